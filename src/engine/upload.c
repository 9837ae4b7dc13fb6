/* Batch upload: reading, checking and posting the rows of a CSV file.
 *
 * One streaming pass over the file, inside one transaction.  Master
 * data is read once into hash maps; each store and item's balance is
 * read once, on its first row, and from then on Net Available is the
 * balance plus the file's earlier rows, kept in memory; balances and
 * day totals are written once at the end, in key order.  Ledger rows
 * are inserted as the pass goes (ledger_append with defer_sums), so
 * a good file costs one pass; when any row is refused the pass still
 * reads to the end to collect every refusal, inserts nothing more, and
 * the transaction is rolled back: all or nothing.
 *
 * A dry run and a preview (iv_upload_prepare) run the same pass in a
 * read transaction and insert nothing. */
#define _GNU_SOURCE /* fopencookie: the file is hashed as the reader reads it */
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <fcntl.h>
#include <unistd.h>

#include "engine/upload_internal.h"
#include "invadj/csv.h"

#define READ_CHUNK (64u * 1024u)

/* ---- the input ----------------------------------------------------- */

/* What the CSV reader reads goes through here: hashed, counted, and
 * reported to the progress callback once per chunk (at most 64 KiB).
 * Hashing the very bytes that are parsed, in the same pass, costs one
 * read of the file and leaves no gap in which it could change unseen. */
typedef struct source {
	int fd;
	crypto_hash_sha256_state sha;
	uint64_t done, total;
	const iv_upload_opts *o;
	bool failed;
} source;

static ssize_t source_read(void *cookie, char *buf, size_t size)
{
	source *s = cookie;
	if (size > READ_CHUNK)
		size = READ_CHUNK;
	ssize_t got;
	do
		got = read(s->fd, buf, size);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		s->failed = true;
		return -1;
	}
	size_t n = (size_t)got;
	crypto_hash_sha256_update(&s->sha, (const unsigned char *)buf, n);
	s->done += n;
	if (s->o->on_progress && n)
		s->o->on_progress(s->o->ctx, s->done, s->total);
	return (ssize_t)n;
}

static void sha_hex(crypto_hash_sha256_state *st, char hex[IV_HASH_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(st, h);
	sodium_bin2hex(hex, IV_HASH_HEX, h, sizeof h);
}

/* ---- accepting, refusing, posting ---------------------------------- */

static void refuse(run *r, char **f, size_t n, uint64_t line, iv_status st, const char *msg)
{
	iv_upload_result *res = r->res;
	if (res->refused++ == 0)
		r->first_status = st;
	if (res->nerrors < IV_UPLOAD_FIRST_ERRORS) {
		iv_upload_error *e = &res->errors[res->nerrors++];
		e->line = line;
		e->status = st;
		snprintf(e->message, sizeof e->message, "%s", msg);
	}
	upload_errfile_add(&r->err, f, n, line, msg);
	if (r->o->on_refusal) {
		iv_upload_error e = {.line = line, .status = st};
		snprintf(e.message, sizeof e.message, "%s", msg);
		r->o->on_refusal(r->o->ctx, &e);
	}
}

static const char *iso_of(run *r, iv_date d)
{
	if (d != r->iso_value || !r->iso[0]) {
		date_format(d, r->iso);
		r->iso_value = d;
	}
	return r->iso;
}

static iv_status accept(run *r, const row *w)
{
	iv_status rc = upload_count_row(r, w);
	if (rc != IV_OK)
		return rc;
	if (r->o->rule == IV_RULE_SYNC) {
		if (r->seen_out) {
			int64_t key[2] = {r->m.store_v[w->store_ix].id, r->m.item_v[w->item_ix].id};
			if (!hmap_put(r->seen_out, key, sizeof key, w->net, NULL))
				return iv_fail(r->db, IV_E_NOMEM, "out of memory");
		}
	}
	if (r->o->on_row) {
		iv_upload_row out = {
			.line = w->line,
			.net_available = w->net,
			.diff = w->diff,
			.new_qty = w->net + w->diff,
			.unchanged = w->diff == 0,
			.needs_approval = w->needs_approval,
		};
		snprintf(out.store, sizeof out.store, "%s", r->m.store_v[w->store_ix].s.code);
		snprintf(out.item, sizeof out.item, "%s", upload_item_number(&r->m, w->item_ix));
		snprintf(out.reason, sizeof out.reason, "%s", w->reason);
		date_format(w->date, out.tdate);
		r->o->on_row(r->o->ctx, &out);
	}
	if (w->diff == 0) {
		r->res->unchanged++;
		return IV_OK;
	}
	r->res->posted++;
	if (w->needs_approval && !r->approved)
		r->res->unapproved++; /* a preview's: posting refuses the row */
	if (!r->post || r->res->refused)
		return IV_OK; /* a refusal means a rollback: inserting more is wasted work */
	const upload_store *s = &r->m.store_v[w->store_ix];
	store_ledger_rec rec = {
		.document = r->document,
		.store_id = s->id,
		.item_id = r->m.item_v[w->item_ix].id,
		.item_number = upload_item_number(&r->m, w->item_ix),
		.reason_id = w->reason_id,
		.diff = w->diff,
		.user_id = r->db->user.id,
		.approved_by = w->needs_approval ? r->approver.id : 0,
		.batch_id = r->batch_id,
		.memo = w->memo,
	};
	row_names names = {s->s.code, w->reason, r->db->user.name, r->approver.name};
	memcpy(rec.tdate, iso_of(r, w->date), IV_DATE_ISO_LEN);
	memcpy(rec.recorded_at, r->now, sizeof rec.recorded_at);
	rc = ledger_writer_put(r->writer, &rec, &names);
	r->document = rec.document;
	if (rc == IV_OK)
		sums_batch_add(r->report, w->date, rec.store_id, rec.item_id, rec.reason_id, rec.diff);
	return rc;
}

/* ---- the pass ------------------------------------------------------- */

/* A row of empty cells (",,,,,,"), as spreadsheets leave below the data. */
static bool blank_record(char **f, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (f[k][0])
			return false;
	return true;
}

static bool fatal_status(iv_status st)
{
	return st == IV_E_STORAGE || st == IV_E_NOMEM || st == IV_E_CORRUPT || st == IV_E_IO;
}

static iv_status read_rows(run *r, csv_reader *cr)
{
	char **f;
	size_t n;
	csv_result got;
	while ((got = csv_next(cr, &f, &n)) == CSV_RECORD) {
		uint64_t line = csv_line(cr);
		if (blank_record(f, n))
			continue;
		r->res->rows++;
		if (n != r->ncols) {
			char msg[IV_MSG_MAX];
			snprintf(msg, sizeof msg,
			         "the row has %zu fields where the header has %zu (a comma too many or too "
			         "few, or a quote that is not doubled?)",
			         n, r->ncols);
			refuse(r, f, n, line, IV_E_INVALID, msg);
			continue;
		}
		row w = {.line = line, .status = IV_OK};
		if (upload_check_row(r, f, &w) != IV_OK) {
			if (r->fatal || fatal_status(w.status))
				return r->fatal ? r->fatal : iv_fail(r->db, w.status, "%s", w.msg);
			refuse(r, f, n, line, w.status, w.msg);
			continue;
		}
		iv_status rc = accept(r, &w);
		if (rc != IV_OK)
			return rc;
	}
	if (got == CSV_ERROR) {
		/* The reader cannot find the next record after a malformed one. */
		char msg[IV_MSG_MAX];
		snprintf(msg, sizeof msg, "%s; the rows after it were not read", csv_error(cr));
		r->csv_failed = true;
		r->res->rows++;
		refuse(r, NULL, 0, csv_line(cr), IV_E_INVALID, msg);
	}
	return IV_OK;
}

/* A file whose content was posted before (and not reversed).  The
 * result names the earlier batch, so that a front end can offer to post
 * it again (opts.allow_duplicate) in its own words. */
static iv_status check_duplicate(run *r)
{
	iv_db *db = r->db;
	int64_t earlier = 0;
	iv_status rc = store_batch_find_sha(db->st, r->res->sha256, &earlier);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (!earlier || r->o->allow_duplicate)
		return IV_OK;
	r->res->duplicate_of = earlier;
	iv_batch b;
	if (store_batch_get(db->st, earlier, &b) != IV_OK)
		return iv_fail(db, IV_E_CONFLICT, "this file's content was already posted as batch %lld; nothing was posted",
		               (long long)earlier);
	return iv_fail(db, IV_E_CONFLICT,
	               "this file's content was already posted as batch %lld (%s, by %s at %s); nothing was posted",
	               (long long)earlier, b.file_name, b.user, b.recorded_at);
}

/* Inside the transaction: the master data, the default reason, and
 * (posting) the batch row, the cost history and the chain's head. */
static iv_status start_batch(run *r)
{
	iv_db *db = r->db;
	iv_status rc = upload_master_load(db, &r->m);
	if (rc != IV_OK)
		return rc;
	if (!(r->dense = calloc(r->m.nstores ? r->m.nstores : 1, sizeof *r->dense)))
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	if (r->post && (rc = upload_lock_stores(r)) != IV_OK)
		return rc;
	if (r->post && r->o->rule == IV_RULE_SYNC && !(r->sync_v = malloc(UPLOAD_SYNC_SUMS * sizeof *r->sync_v)))
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	/* Each store's "today" now, before any writer thread (a zone look-up
	 * may switch the process's TZ). */
	for (size_t k = 0; k < r->m.nstores; k++)
		if ((rc = clock_day(db, &r->clock, r->m.store_v[k].s.tz, &r->m.store_v[k].today)) != IV_OK)
			return rc;
	const char *dr = r->o->default_reason;
	if (dr && *dr) {
		const int64_t *v = upload_code_get(r->m.reasons, dr);
		if (!v)
			return iv_fail(db, IV_E_NOT_FOUND, "Reason Code: \"%s\" is not a known reason code", dr);
		r->default_reason = r->m.reason_v[*v].id;
		snprintf(r->default_reason_code, sizeof r->default_reason_code, "%s", r->m.reason_v[*v].code);
	}
	if (!r->post)
		return IV_OK;
	clock_utc_text(&r->clock, r->now);
	iv_batch b = {.rule = r->o->rule};
	snprintf(b.file_name, sizeof b.file_name, "%s", r->o->path);
	/* The content's hash is known at the end of the pass (set then). */
	snprintf(b.recorded_at, sizeof b.recorded_at, "%s", r->now);
	if ((rc = store_batch_insert(db->st, &b, db->user.id, 0, &r->batch_id)) != IV_OK)
		return iv_fail_store(db, rc);
	if ((rc = sums_batch_start(db, db->user.id, &r->report)) != IV_OK)
		return rc;
	if ((rc = ledger_chains_init(db, &r->chains)) == IV_OK)
		r->chains.ids_hint = (int64_t)r->rows_hint;
	return rc;
}

/* The refusal of the whole upload when rows were refused. */
static iv_status refuse_upload(run *r)
{
	iv_upload_result *res = r->res;
	char where[sizeof res->errors_path + 64] = "";
	if (upload_errfile_close(&r->err))
		snprintf(res->errors_path, sizeof res->errors_path, "%s", r->err.path);
	if (res->errors_path[0])
		snprintf(where, sizeof where, "; the refused rows are in %s", res->errors_path);
	else if (r->err.failed)
		snprintf(where, sizeof where, "; no error file (%s)", r->err.why);
	const iv_upload_error *e = &res->errors[0];
	if (r->conflicts)
		return iv_fail(r->db, IV_E_CONFLICT,
		               "%llu row%s changed since the preview (another terminal posted meanwhile); "
		               "nothing was posted; preview again. Line %llu: %s%s",
		               (unsigned long long)r->conflicts, r->conflicts > 1 ? "s" : "",
		               (unsigned long long)e->line, e->message, where);
	return iv_fail(r->db, r->first_status,
	               "%llu of %llu rows refused; nothing was posted. Line %llu: %s%s",
	               (unsigned long long)res->refused, (unsigned long long)res->rows,
	               (unsigned long long)e->line, e->message, where);
}

/* Posting: the rows are inserted on a second thread (ledger_writer.c)
 * while this one reads, checks and hashes the next; this thread then
 * reads through a second connection, as the writer owns the first. */
static iv_status start_writer(iv_db *db, run *r)
{
	iv_status rc = store_open_reader(db->st, &r->reader);
	if (rc != IV_OK)
		return iv_fail(db, rc, "%s", r->reader ? store_errmsg(r->reader) : "out of memory");
	r->rd = r->reader;
	return ledger_writer_start(db, &r->chains, r->reader, &r->writer);
}

static iv_status stop_writer(run *r)
{
	iv_status rc = ledger_writer_finish(r->writer);
	r->writer = NULL;
	store_close(r->reader);
	r->reader = NULL;
	r->rd = r->db->st;
	return rc;
}

/* Everything after the header, in the transaction. */
static iv_status run_rows(run *r, source *src, csv_reader *cr, const char *expect_sha)
{
	iv_status rc = start_batch(r);
	if (rc == IV_OK && r->post)
		rc = start_writer(r->db, r);
	if (rc == IV_OK)
		rc = read_rows(r, cr);
	/* The sums of a file that posts, written by the writer after its rows. */
	if (rc == IV_OK && r->post && !r->res->refused)
		rc = upload_sums_hand_over(r);
	iv_status written = stop_writer(r);
	if (rc == IV_OK)
		rc = written;
	if (rc != IV_OK)
		return rc;
	if (src->failed)
		return iv_fail(r->db, IV_E_IO, "File: cannot read %s; nothing was posted", r->o->path);
	if (!r->csv_failed) {
		/* The whole file was read: its hash is complete. */
		sha_hex(&src->sha, r->res->sha256);
		if (expect_sha && strcmp(expect_sha, r->res->sha256) != 0)
			return iv_fail(r->db, IV_E_CONFLICT,
			               "%s changed since the preview; nothing was posted, preview it again",
			               r->o->path);
		if ((rc = check_duplicate(r)) != IV_OK)
			return rc;
	}
	if (r->res->refused)
		return refuse_upload(r);
	if (r->res->rows == 0)
		return iv_fail(r->db, IV_E_INVALID,
		               "the file has no rows below its header; nothing was posted");
	if (!r->post)
		return IV_OK;
	/* The report summaries: summed in memory, or by the database from the
	 * rows written. */
	rc = sums_batch_finish(r->report, r->batch_id);
	if (rc == IV_OK && (rc = store_batch_finish_upload(r->db->st, r->batch_id, r->res->sha256, r->res->rows,
	                                                   r->res->posted, r->res->unchanged)) != IV_OK)
		rc = iv_fail_store(r->db, rc);
	event_chain events = {0};
	if (rc == IV_OK)
		rc = events_record(r->db, &events, STORE_T_BATCHES, r->batch_id, NULL, "add", &r->db->user);
	if (rc == IV_OK)
		rc = ledger_sign(r->db, &r->chains, r->o->approval);
	if (rc == IV_OK && (rc = store_commit(r->db->st)) != IV_OK)
		rc = iv_fail_store(r->db, rc);
	if (rc == IV_OK) {
		r->res->batch_id = r->batch_id;
		r->res->document = r->document;
	}
	return rc;
}

/* Opens the file, hashes it, reads the header; then the rows in one
 * transaction. */
static iv_status run_file(run *r, const char *expect_sha)
{
	iv_db *db = r->db;
	const iv_upload_opts *o = r->o;
	bool from_stdin = strcmp(o->path, "-") == 0;
	int fd = from_stdin ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0) : open(o->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return iv_fail(db, IV_E_IO, "File: cannot open %s: %s", from_stdin ? "standard input" : o->path,
		               strerror(errno));
	source src = {.fd = fd, .o = o};
	struct stat sb;
	bool regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
	if (regular)
		src.total = (uint64_t)sb.st_size;
	r->rereadable = regular && !from_stdin;
	iv_status rc = IV_OK;
	crypto_hash_sha256_init(&src.sha);
	cookie_io_functions_t io = {.read = source_read};
	FILE *in = fopencookie(&src, "r", io);
	csv_reader *cr = in ? csv_open(in) : NULL;
	/* Full buffering in chunks: glibc reads an unbuffered cookie stream
	 * a byte at a time. */
	if (!cr || setvbuf(in, NULL, _IOFBF, READ_CHUNK) != 0) {
		if (cr)
			csv_close(cr);
		if (in)
			fclose(in);
		close(fd);
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	}
	char **f;
	size_t n;
	csv_result got = csv_next(cr, &f, &n);
	if (got == CSV_ERROR)
		rc = iv_fail(db, IV_E_INVALID, "%s", csv_error(cr));
	else if (got == CSV_END)
		rc = iv_fail(db, IV_E_INVALID, "%s is empty; its first line must name the columns "
		                               "(see `invadj template`)", o->path);
	if (rc == IV_OK && (rc = upload_header_match(db, f, n, r->map)) == IV_OK) {
		r->ncols = n;
		rc = upload_errfile_init(db, &r->err, o, regular && !from_stdin, f, n);
	}
	if (rc == IV_OK) {
		if (r->post)
			store_bulk_mode(db->st, true);
		if ((rc = store_begin(db->st, r->post)) != IV_OK)
			rc = iv_fail_store(db, rc);
		else if ((rc = run_rows(r, &src, cr, expect_sha)) != IV_OK || !r->post)
			store_rollback(db->st);
		if (r->post)
			store_bulk_mode(db->st, false);
	}
	csv_close(cr);
	fclose(in);
	close(fd);
	return rc;
}

static void run_free(run *r)
{
	for (size_t k = 0; r->dense && k < r->m.nstores; k++)
		free(r->dense[k]);
	free(r->dense);
	upload_master_free(&r->m);
	sums_batch_free(r->report);
	upload_errfile_free(&r->err);
	ledger_chains_free(&r->chains);
	hmap_free(r->pairs);
	hmap_free(r->user_days);
	free(r->pair_v);
	free(r->day_v);
	free(r->floor_v);
	free(r->spill_v);
	free(r->sync_v);
}

/* One upload, posting or not.  expect_sha and seen_in come from a
 * preview being committed; seen_out is filled by a preview. */
static iv_status upload_run(iv_db *db, const iv_upload_opts *o, bool post, const char *expect_sha,
                            hmap *seen_in, hmap *seen_out, iv_upload_result *res)
{
	memset(res, 0, sizeof *res);
	if (!o || !o->path || !*o->path)
		return iv_fail(db, IV_E_INVALID, "File: name the CSV file to upload");
	if (o->rule != IV_RULE_DELTA && o->rule != IV_RULE_SYNC)
		return iv_fail(db, IV_E_INVALID, "Rule: an upload is posted under the Delta or the Sync rule");
	run r = {.db = db, .rd = db->st, .o = o, .res = res, .post = post, .seen_in = seen_in, .seen_out = seen_out};
	iv_status rc = IV_OK;
	if (post && (rc = iv_need_login(db)) != IV_OK)
		return rc;
	/* Who approves the rows above a store's threshold; a supervisor's
	 * own session does.  Posting checks the approver's PIN (a slow
	 * check) before the write lock is taken, and so does a preview that
	 * is to be committed (seen_out), so that a wrong PIN shows before
	 * the user confirms.  A dry run checks no PIN: it takes a named
	 * approver at their word. */
	bool named = o->approval.name && *o->approval.name;
	if ((post || seen_out) && (db->user.role != IV_ROLE_CLERK || named) &&
	    (rc = iv_check_approval(db, o->approval, "a Diff above a store's approval threshold",
	                            &r.approver)) != IV_OK)
		return rc;
	r.approved = r.approver.id || named || (db->user.id && db->user.role != IV_ROLE_CLERK);
	/* Whether --date is after a row's "today" depends on the row's
	 * store: checked per row. */
	r.has_default_date = o->date && *o->date;
	if (r.has_default_date && (rc = iv_parse_any_date(db, o->date, "Date", &r.default_date)) != IV_OK)
		return rc;
	if ((rc = clock_read(db, &r.clock)) != IV_OK)
		return rc;
	if (!(r.pairs = hmap_new()))
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	rc = run_file(&r, expect_sha);
	run_free(&r);
	if (rc != IV_OK) {
		res->batch_id = 0;
		res->document = 0;
	}
	return rc;
}

iv_status iv_upload(iv_db *db, const iv_upload_opts *opts, iv_upload_result *res)
{
	return upload_run(db, opts, !opts->dry_run, NULL, NULL, NULL, res);
}

/* ---- preview and commit ---------------------------------------------- */

struct iv_upload_plan {
	iv_upload_opts opts; /* its strings point into the copies below */
	char *path, *date, *reason, *errors_path, *approver, *pin;
	char sha256[IV_HASH_HEX];
	hmap *seen; /* {store id, item id} -> Net Available the preview saw */
};

static bool dup_opt(const char *in, char **copy)
{
	*copy = NULL;
	return !in || (*copy = strdup(in)) != NULL;
}

void iv_upload_plan_free(iv_upload_plan *p)
{
	if (!p)
		return;
	if (p->pin) {
		sodium_memzero(p->pin, strlen(p->pin));
		free(p->pin);
	}
	free(p->path);
	free(p->date);
	free(p->reason);
	free(p->errors_path);
	free(p->approver);
	hmap_free(p->seen);
	free(p);
}

iv_status iv_upload_prepare(iv_db *db, const iv_upload_opts *opts, iv_upload_result *res,
                            iv_upload_plan **plan)
{
	*plan = NULL;
	iv_upload_plan *p = calloc(1, sizeof *p);
	if (!p || !(p->seen = hmap_new()) || !dup_opt(opts->path, &p->path) ||
	    !dup_opt(opts->date, &p->date) || !dup_opt(opts->default_reason, &p->reason) ||
	    !dup_opt(opts->errors_path, &p->errors_path) || !dup_opt(opts->approval.name, &p->approver) ||
	    !dup_opt(opts->approval.pin, &p->pin)) {
		memset(res, 0, sizeof *res);
		iv_upload_plan_free(p);
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	}
	p->opts = *opts;
	p->opts.path = p->path;
	p->opts.date = p->date;
	p->opts.default_reason = p->reason;
	p->opts.errors_path = p->errors_path;
	p->opts.approval = (iv_approval){p->approver, p->pin};
	p->opts.dry_run = false;
	iv_status rc = upload_run(db, &p->opts, false, NULL, NULL, p->seen, res);
	if (rc != IV_OK) {
		iv_upload_plan_free(p);
		return rc;
	}
	snprintf(p->sha256, sizeof p->sha256, "%s", res->sha256);
	*plan = p;
	return IV_OK;
}

iv_status iv_upload_commit(iv_db *db, iv_upload_plan *plan, iv_upload_result *res)
{
	if (!plan) {
		memset(res, 0, sizeof *res);
		return iv_fail(db, IV_E_INVALID, "there is no preview to commit; preview the upload first");
	}
	hmap *seen = plan->opts.rule == IV_RULE_SYNC ? plan->seen : NULL;
	return upload_run(db, &plan->opts, true, plan->sha256, seen, NULL, res);
}
