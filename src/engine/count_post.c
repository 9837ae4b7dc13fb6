/* Posting a count (iv_count_post): every non-zero Diff as one document,
 * dated the count's day, a batch of rule "count" that names the count,
 * under the rules any adjustment meets (negative stock, the approval
 * threshold), and the count's end, in one write transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/count_internal.h"
#include "invadj/upload.h"

#define DEFAULT_REASON "CC"
#define MOVED_NAMED 5 /* items a refusal names before "and N more" */

typedef struct post_plan {
	store_count c;
	iv_store store;
	int64_t reason_id;
	char reason[IV_CODE_SIZE];
	clock_reading now;
	iv_date today, day;
	count_lines lines;
	size_t moved, posting, approvals;
	/* the first line refused by a rule (negative stock, a Diff out of
	 * range): the plan's status, with the lines all given */
	iv_status refusal;
} post_plan;

static void plan_free(post_plan *p)
{
	count_lines_free(&p->lines);
}

/* The count's own rules: open, who may post it, what it asks for. */
static iv_status plan_count(iv_db *db, const iv_count_post_in *in, post_plan *p)
{
	iv_status rc = count_load_open(db, in->count, &p->c);
	if (rc != IV_OK)
		return rc;
	if (count_hidden(db, &p->c))
		return iv_fail(db, IV_E_PERMISSION,
		               "count %lld is blind: a supervisor or admin reviews and posts it", (long long)p->c.id);
	if (in->zero_uncounted && p->c.scope == IV_COUNT_SCANNED)
		return iv_fail(db, IV_E_INVALID,
		               "Zero uncounted: count %lld covers the items scanned only, so no item is "
		               "uncounted (a count started for all items, or for a list, has uncounted items)",
		               (long long)p->c.id);
	const char *code = in->reason && *in->reason ? in->reason : DEFAULT_REASON;
	iv_reason r;
	rc = store_reason_find(db->st, code, &p->reason_id, &r);
	if (rc == IV_E_NOT_FOUND)
		return iv_fail(db, rc, "Reason Code: \"%s\" is not a known reason code; import it or give another one",
		               code);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	snprintf(p->reason, sizeof p->reason, "%s", r.code);
	if ((rc = iv_find_store(db, p->c.store_code, NULL, &p->store)) != IV_OK ||
	    (rc = clock_read(db, &p->now)) != IV_OK ||
	    (rc = clock_day(db, &p->now, p->store.tz, &p->today)) != IV_OK)
		return rc;
	if (!rule_tdate_valid(p->c.count_day, &p->day) || !rule_date_ok(p->day, p->today))
		return iv_fail(db, IV_E_REFUSED, "count %lld is dated %s, after today at store %s",
		               (long long)p->c.id, p->c.count_day, p->store.code);
	return IV_OK;
}

/* The refusal of lines that moved, naming the first few. */
static iv_status refuse_moved(iv_db *db, post_plan *p)
{
	char names[IV_MSG_MAX] = "";
	size_t used = 0, named = 0;
	for (size_t k = 0; k < p->lines.n && named < MOVED_NAMED; k++) {
		const count_line *ln = &p->lines.v[k];
		if (!count_line_moved(ln))
			continue;
		int w = snprintf(names + used, sizeof names - used, "%s%s (%+lld)", named ? ", " : "",
		                 p->lines.text + ln->number, (long long)ln->moved);
		if (w < 0 || (size_t)w >= sizeof names - used)
			break;
		used += (size_t)w;
		named++;
	}
	return iv_fail(db, IV_E_REFUSED,
	               "%zu item%s moved since counted: %s%s; recount %s or post accepting the moves",
	               p->moved, p->moved == 1 ? "" : "s", names, p->moved > named ? ", ..." : "",
	               p->moved == 1 ? "it" : "them");
}

/* The rules of each line that posts, as any adjustment meets them. */
static iv_status plan_lines(iv_db *db, post_plan *p)
{
	p->refusal = IV_OK;
	char first[2 * IV_MSG_MAX] = "";
	for (size_t k = 0; k < p->lines.n; k++) {
		count_line *ln = &p->lines.v[k];
		if (count_line_moved(ln))
			p->moved++;
		if (ln->diff == 0)
			continue;
		p->posting++;
		const char *number = p->lines.text + ln->number;
		char msg[2 * IV_MSG_MAX] = "";
		if (ln->diff > IV_QTY_LIMIT || ln->diff < -IV_QTY_LIMIT)
			snprintf(msg, sizeof msg, "item %s: its Diff %lld is beyond %lld either way", number,
			         (long long)ln->diff, (long long)IV_QTY_LIMIT);
		iv_qty net;
		char why[IV_MSG_MAX];
		iv_status rc = msg[0] ? IV_E_REFUSED
		                      : ledger_check_negative(db, &p->store, p->c.store_id, ln->item_id, number, 0,
		                                              ln->diff, p->day, p->today, &net, why, sizeof why);
		if (rc == IV_E_REFUSED && !msg[0])
			snprintf(msg, sizeof msg, "%s", why); /* it names the store and item */
		else if (rc != IV_OK && rc != IV_E_REFUSED)
			return rc;
		if (msg[0] && p->refusal == IV_OK) {
			p->refusal = IV_E_REFUSED;
			snprintf(first, sizeof first, "%s", msg);
		}
		iv_qty user_day = 0;
		if (p->store.approval_threshold > 0 && db->logged_in &&
		    (rc = store_user_day_get(db->st, db->user.id, p->c.store_id, ln->item_id, p->c.count_day,
		                             &user_day)) != IV_OK)
			return iv_fail_store(db, rc);
		ln->needs_approval = rule_needs_approval(p->store.approval_threshold, user_day, ln->diff);
		if (ln->needs_approval)
			p->approvals++;
	}
	if (p->refusal != IV_OK)
		return iv_fail(db, p->refusal, "%s", first);
	return IV_OK;
}

/* Everything posting checks, in the caller's transaction.  The lines
 * are loaded (for a front end to show) whenever the count itself may
 * be posted, also when a line is then refused. */
static iv_status plan_post(iv_db *db, const iv_count_post_in *in, post_plan *p)
{
	memset(p, 0, sizeof *p);
	iv_status rc = plan_count(db, in, p);
	if (rc == IV_OK)
		rc = ledger_lock_stores(db, &p->c.store_id, 1); /* before its balances are read */
	if (rc == IV_OK)
		rc = count_lines_load(db, &p->c, in->zero_uncounted, &p->lines);
	if (rc != IV_OK)
		return rc;
	count_lines_sort(&p->lines, IV_COUNT_BY_VARIANCE);
	if ((rc = plan_lines(db, p)) != IV_OK)
		return rc;
	if (p->moved && !in->accept_moved)
		return refuse_moved(db, p);
	return IV_OK;
}

static void give_lines(const post_plan *p, iv_count_line_cb cb, void *ctx)
{
	for (size_t k = 0; cb && k < p->lines.n; k++) {
		iv_count_line line;
		count_line_give(&p->lines, &p->lines.v[k], false, &line);
		if (!cb(ctx, &line))
			break;
	}
}

static void plan_out(iv_db *db, const post_plan *p, iv_count_post_out *out)
{
	out->posted = p->posting;
	out->moved = p->moved;
	out->unapproved = db->logged_in && db->user.role != IV_ROLE_CLERK ? 0 : p->approvals;
}

iv_status iv_count_post_preview(iv_db *db, const iv_count_post_in *in, iv_count_line_cb cb, void *ctx,
                                iv_count_post_out *out)
{
	memset(out, 0, sizeof *out);
	iv_status rc = store_begin(db->st, false);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	post_plan p;
	rc = plan_post(db, in, &p);
	store_rollback(db->st);
	plan_out(db, &p, out);
	give_lines(&p, cb, ctx);
	plan_free(&p);
	return rc;
}

/* The rows, the batch and the count's end, under the write lock. */
static iv_status write_post(iv_db *db, const iv_count_post_in *in, post_plan *p, const iv_user *approver,
                            iv_count_post_out *out)
{
	char now[32];
	clock_utc_text(&p->now, now);
	iv_status rc = IV_OK;
	if (p->posting > 0) {
		iv_batch nb = {.rule = IV_RULE_COUNT};
		snprintf(nb.file_name, sizeof nb.file_name, "count %lld at %s%s%.3000s", (long long)p->c.id,
		         p->store.code, p->c.memo[0] ? ": " : "", p->c.memo);
		memcpy(nb.recorded_at, now, sizeof nb.recorded_at);
		if ((rc = store_batch_insert(db->st, &nb, db->user.id, 0, &out->batch)) != IV_OK)
			return iv_fail_store(db, rc);
	}
	char memo[32];
	snprintf(memo, sizeof memo, "count %lld", (long long)p->c.id);
	ledger_chains chains;
	if (p->posting > 0 && (rc = ledger_chains_init(db, &chains)) != IV_OK)
		return rc;
	chains.ids_hint = (int64_t)p->posting;
	for (size_t k = 0; rc == IV_OK && p->posting > 0 && k < p->lines.n; k++) {
		count_line *ln = &p->lines.v[k];
		if (ln->diff == 0)
			continue;
		store_ledger_rec rec = {
			.document = out->document,
			.store_id = p->c.store_id,
			.item_id = ln->item_id,
			.item_number = p->lines.text + ln->number,
			.reason_id = p->reason_id,
			.diff = ln->diff,
			.user_id = db->user.id,
			.approved_by = ln->needs_approval ? approver->id : 0,
			.batch_id = out->batch,
			.memo = memo,
		};
		row_names names = {p->store.code, p->reason, db->user.name, ln->needs_approval ? approver->name : ""};
		memcpy(rec.tdate, p->c.count_day, sizeof rec.tdate);
		memcpy(rec.recorded_at, now, sizeof rec.recorded_at);
		if ((rc = ledger_append(db, &chains, &rec, &names, false)) == IV_OK) {
			out->document = rec.document;
			ln->id = rec.id;
		}
	}
	/* On a server a clerk's approved rows need the approver's own
	 * signature, as any document's (ledger_sign). */
	if (rc == IV_OK && p->posting > 0)
		rc = ledger_sign(db, &chains, in->approval);
	if (p->posting > 0)
		ledger_chains_free(&chains);
	if (rc == IV_OK && p->posting > 0) {
		rc = store_batch_finish(db->st, out->batch, p->lines.n, p->posting, p->lines.n - p->posting);
		event_chain events = {0};
		rc = rc == IV_OK ? events_record(db, &events, STORE_T_BATCHES, out->batch, NULL, "add", &db->user)
		                 : iv_fail_store(db, rc);
	}
	store_count_end e = {
		.count_id = p->c.id,
		.status = IV_COUNT_POSTED,
		.batch_id = out->batch,
		.zero_uncounted = in->zero_uncounted,
		.accept_moved = in->accept_moved,
		.user_id = db->user.id,
	};
	memcpy(e.recorded_at, now, sizeof e.recorded_at);
	if (rc == IV_OK && (rc = store_count_end_insert(db->st, &e)) != IV_OK)
		rc = iv_fail_store(db, rc);
	return rc;
}

iv_status iv_count_post(iv_db *db, const iv_count_post_in *in, iv_count_line_cb cb, void *ctx,
                        iv_count_post_out *out)
{
	memset(out, 0, sizeof *out);
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	/* A first look outside the transaction tells whether a supervisor
	 * must approve; the approval (a slow PIN check) is made before the
	 * write lock is taken, and every rule is checked again under it. */
	iv_count_post_out first;
	if ((rc = iv_count_post_preview(db, in, NULL, NULL, &first)) != IV_OK)
		return rc;
	iv_user approver = {0};
	if ((first.unapproved > 0 || (db->user.role != IV_ROLE_CLERK && first.posted > 0)) &&
	    (rc = iv_check_approval(db, in->approval, "a count's Diff above the store's approval threshold",
	                            &approver)) != IV_OK)
		return rc;
	/* Bulk mode, as an upload or a batch reversal: on a server the rows
	 * go in one COPY and the sums in one statement each, not a round
	 * trip per row (a 10,000-line count: 15 s otherwise). */
	store_bulk_mode(db->st, true);
	if ((rc = store_begin(db->st, true)) != IV_OK) {
		store_bulk_mode(db->st, false);
		return iv_fail_store(db, rc);
	}
	post_plan p;
	rc = plan_post(db, in, &p);
	if (rc == IV_OK && p.approvals && !approver.id)
		rc = iv_fail(db, IV_E_PERMISSION, "the store's approval threshold changed meanwhile; post again "
		                                  "to be asked for a supervisor's approval");
	/* the document in item order, as a reader of History expects it */
	count_lines_sort(&p.lines, IV_COUNT_BY_ITEM);
	if (rc == IV_OK)
		rc = write_post(db, in, &p, &approver, out);
	if (rc == IV_OK && (rc = store_commit(db->st)) != IV_OK)
		rc = iv_fail_store(db, rc);
	else if (rc != IV_OK)
		store_rollback(db->st);
	store_bulk_mode(db->st, false);
	if (rc != IV_OK) {
		plan_free(&p);
		memset(out, 0, sizeof *out);
		return rc;
	}
	out->posted = p.posting;
	out->moved = p.moved;
	give_lines(&p, cb, ctx);
	plan_free(&p);
	return IV_OK;
}
