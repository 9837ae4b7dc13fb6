/* Upload batches: reading one, and reversing a whole upload at once
 * under the rules of single reversals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "invadj/hmap.h"
#include "invadj/upload.h"

iv_status iv_batch_get(iv_db *db, int64_t id, iv_batch *out)
{
	iv_status rc = store_batch_get(db->st, id, out);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

typedef struct batch_reversal {
	iv_db *db;
	ledger_chains chains;
	hmap *store_index;  /* store id -> index into stores and today */
	iv_store *stores;
	iv_date *today;     /* each store's: reversals are dated today */
	size_t nstores;
	hmap *item_index;   /* item id -> index into numbers: each item read once */
	char (*numbers)[IV_IDENT_SIZE];
	size_t nnumbers, numbers_cap;
	int64_t new_batch, reason_id;
	char reason[IV_CODE_SIZE];
	iv_user approver;
	const char *memo;
	clock_reading clock;
	char now[32];
	iv_upload_result *res;
	struct batch_row *page; /* REVERSAL_PAGE rows, checked then written */
	size_t npage;
	iv_status status;
} batch_reversal;

static bool collect_store(void *ctx, int64_t id, const iv_store *s)
{
	batch_reversal *b = ctx;
	iv_store *grown = realloc(b->stores, (b->nstores + 1) * sizeof *grown);
	if (grown)
		b->stores = grown;
	iv_date *days = realloc(b->today, (b->nstores + 1) * sizeof *days);
	if (days)
		b->today = days;
	if (!grown || !days || !hmap_put(b->store_index, &id, sizeof id, (int64_t)b->nstores, NULL)) {
		b->status = iv_fail(b->db, IV_E_NOMEM, "out of memory");
		return false;
	}
	b->stores[b->nstores++] = *s;
	return true;
}

/* The item's number now (the reversal is posted under it). */
static const char *number_of(batch_reversal *b, int64_t item_id)
{
	int created;
	int64_t *ix = hmap_put(b->item_index, &item_id, sizeof item_id, (int64_t)b->nnumbers, &created);
	if (!ix) {
		b->status = iv_fail(b->db, IV_E_NOMEM, "out of memory");
		return NULL;
	}
	if (!created)
		return b->numbers[*ix];
	if (b->nnumbers == b->numbers_cap) {
		size_t cap = b->numbers_cap ? 2 * b->numbers_cap : 64;
		char (*v)[IV_IDENT_SIZE] = realloc(b->numbers, cap * sizeof *v);
		if (!v) {
			b->status = iv_fail(b->db, IV_E_NOMEM, "out of memory");
			return NULL;
		}
		b->numbers = v;
		b->numbers_cap = cap;
	}
	iv_item it;
	if ((b->status = iv_item_by_id(b->db, item_id, &it)) != IV_OK)
		return NULL;
	memcpy(b->numbers[b->nnumbers], it.number, sizeof it.number);
	return b->numbers[b->nnumbers++];
}

/* One row of the batch, as much of it as its reversal needs. */
typedef struct batch_row {
	int64_t id, store_id, item_id;
	iv_qty diff;
	bool reversed;    /* already reversed one by one: left unchanged */
} batch_row;

/* Rows are reversed a page at a time: every row of a page is checked
 * (reversed already? its item's number, the negative-stock rule) before
 * any of them is written.  A server's writer sends rows in one COPY
 * that a read must end first, so checking and writing row by row made
 * each row a COPY and a run of the server's triggers of its own. */
enum { REVERSAL_PAGE = 4096 };

/* Checks every row of the page, in order, as if each earlier row of
 * the page were already saved: pending holds their Diffs by store and
 * item. */
static iv_status check_page(batch_reversal *b, hmap *pending)
{
	iv_db *db = b->db;
	for (size_t k = 0; k < b->npage; k++) {
		batch_row *row = &b->page[k];
		int64_t rev_id;
		iv_status rc = store_ledger_reversed_by(db->st, row->id, &rev_id);
		if (rc != IV_OK)
			return iv_fail_store(db, rc);
		if ((row->reversed = rev_id != 0))
			continue;
		int64_t *si = hmap_get(b->store_index, &row->store_id, sizeof row->store_id);
		if (!si)
			return iv_fail(db, IV_E_CORRUPT, "adjustment #%lld names an unknown store",
			               (long long)row->id);
		const char *number = number_of(b, row->item_id); /* read once, then kept */
		if (!number)
			return b->status;
		int64_t pair[2] = {row->store_id, row->item_id};
		int64_t *before = hmap_put(pending, pair, sizeof pair, 0, NULL);
		if (!before)
			return iv_fail(db, IV_E_NOMEM, "out of memory");
		iv_date today = b->today[*si];
		char msg[IV_MSG_MAX];
		iv_qty net;
		rc = ledger_check_negative(db, &b->stores[*si], row->store_id, row->item_id, number,
		                           *before, -row->diff, today, today, &net, msg, sizeof msg);
		if (rc != IV_OK)
			return rc == IV_E_REFUSED
			           ? iv_fail(db, rc, "reversing #%lld: %s", (long long)row->id, msg)
			           : rc;
		*before -= row->diff;
	}
	return IV_OK;
}

static iv_status write_page(batch_reversal *b)
{
	iv_db *db = b->db;
	for (size_t k = 0; k < b->npage; k++) {
		const batch_row *row = &b->page[k];
		if (row->reversed) {
			b->res->unchanged++;
			continue;
		}
		size_t si = (size_t)*hmap_get(b->store_index, &row->store_id, sizeof row->store_id);
		/* Kept since check_page (numbers may have moved as they grew). */
		const char *number = number_of(b, row->item_id);
		if (!number)
			return b->status;
		store_ledger_rec rec = {
			.document = b->res->document,
			.store_id = row->store_id,
			.item_id = row->item_id,
			.item_number = number,
			.reason_id = b->reason_id,
			.diff = -row->diff,
			.user_id = db->user.id,
			.approved_by = b->approver.id,
			.reverses = row->id,
			.batch_id = b->new_batch,
			.memo = b->memo,
		};
		row_names names = {b->stores[si].code, b->reason, db->user.name, b->approver.name};
		date_format(b->today[si], rec.tdate);
		memcpy(rec.recorded_at, b->now, sizeof rec.recorded_at);
		iv_status rc = ledger_append(db, &b->chains, &rec, &names, false);
		if (rc != IV_OK)
			return rc;
		b->res->document = rec.document;
		b->res->posted++;
	}
	return IV_OK;
}

static iv_status reverse_page(batch_reversal *b)
{
	hmap *pending = hmap_new();
	if (!pending)
		return iv_fail(b->db, IV_E_NOMEM, "out of memory");
	iv_status rc = check_page(b, pending);
	hmap_free(pending);
	if (rc == IV_OK)
		rc = write_page(b);
	b->npage = 0;
	return rc;
}

static bool reverse_row(void *ctx, const store_ledger_rec *orig)
{
	batch_reversal *b = ctx;
	b->res->rows++;
	b->page[b->npage++] =
		(batch_row){.id = orig->id, .store_id = orig->store_id, .item_id = orig->item_id, .diff = orig->diff};
	if (b->npage < REVERSAL_PAGE)
		return true;
	b->status = reverse_page(b);
	return b->status == IV_OK;
}

/* The rules that refuse a batch reversal before any row is looked at. */
static iv_status batch_reversal_rules(iv_db *db, int64_t batch, iv_batch *orig)
{
	iv_status rc = store_batch_get(db->st, batch, orig);
	if (rc == IV_E_NOT_FOUND)
		return iv_fail(db, rc, "Batch: %lld is not an upload batch", (long long)batch);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (orig->rule == IV_RULE_REVERSAL)
		return iv_fail(db, IV_E_REFUSED,
		               "batch %lld is itself the reversal of batch %lld and cannot be reversed; "
		               "enter a new adjustment or upload instead",
		               (long long)batch, (long long)orig->reverses_batch);
	if (orig->reversed_by_batch)
		return iv_fail(db, IV_E_REFUSED, "batch %lld was already reversed by batch %lld",
		               (long long)batch, (long long)orig->reversed_by_batch);
	return IV_OK;
}

static bool count_row(void *ctx, const store_ledger_rec *orig)
{
	batch_reversal *b = ctx;
	int64_t rev_id;
	b->res->rows++;
	iv_status rc = store_ledger_reversed_by(b->db->st, orig->id, &rev_id);
	if (rc != IV_OK) {
		b->status = iv_fail_store(b->db, rc);
		return false;
	}
	if (rev_id)
		b->res->unchanged++;
	else
		b->res->posted++;
	return true;
}

iv_status iv_reverse_batch_preview(iv_db *db, int64_t batch, iv_upload_result *res)
{
	memset(res, 0, sizeof *res);
	batch_reversal b = {.db = db, .res = res, .status = IV_OK};
	iv_batch orig;
	iv_status rc = store_begin(db->st, false);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if ((rc = batch_reversal_rules(db, batch, &orig)) == IV_OK) {
		if ((rc = store_ledger_each_in_batch(db->st, batch, count_row, &b)) != IV_OK)
			rc = iv_fail_store(db, rc);
		else
			rc = b.status;
	}
	store_rollback(db->st);
	if (rc == IV_OK && res->posted == 0)
		rc = iv_fail(db, IV_E_REFUSED,
		             "nothing to reverse: every row of batch %lld was already reversed one by one",
		             (long long)batch);
	res->unapproved = rc == IV_OK && (!db->logged_in || db->user.role == IV_ROLE_CLERK) ? res->posted : 0;
	return rc;
}

/* Everything of a batch reversal that runs under the write lock. */
static iv_status reverse_locked(batch_reversal *b, int64_t batch, const char *reason)
{
	iv_db *db = b->db;
	iv_batch orig;
	iv_status rc = ledger_lock_batch_stores(db, batch);
	if (rc == IV_OK)
		rc = batch_reversal_rules(db, batch, &orig);
	if (rc != IV_OK)
		return rc;
	const char *code = reason && *reason ? reason : "REV";
	iv_reason r;
	if ((rc = store_reason_find(db->st, code, &b->reason_id, &r)) == IV_E_NOT_FOUND)
		return iv_fail(db, rc, "Reason Code: \"%s\" is not a known reason code", code);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	snprintf(b->reason, sizeof b->reason, "%s", r.code);
	if ((rc = store_store_each(db->st, collect_store, b)) != IV_OK)
		return iv_fail_store(db, rc);
	if (b->status != IV_OK)
		return b->status;
	for (size_t k = 0; k < b->nstores; k++)
		if ((rc = clock_day(db, &b->clock, b->stores[k].tz, &b->today[k])) != IV_OK)
			return rc;
	iv_batch nb = {.rule = IV_RULE_REVERSAL};
	snprintf(nb.file_name, sizeof nb.file_name, "reversal of batch %lld (%.3000s)",
	         (long long)batch, orig.file_name);
	memcpy(nb.sha256, orig.sha256, sizeof nb.sha256);
	memcpy(nb.recorded_at, b->now, sizeof nb.recorded_at);
	if ((rc = store_batch_insert(db->st, &nb, db->user.id, batch, &b->new_batch)) != IV_OK)
		return iv_fail_store(db, rc);
	if ((rc = ledger_chains_init(db, &b->chains)) != IV_OK)
		return rc;
	b->chains.ids_hint = (int64_t)orig.posted;
	if (!(b->page = malloc(REVERSAL_PAGE * sizeof *b->page)))
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	if ((rc = store_ledger_each_in_batch(db->st, batch, reverse_row, b)) != IV_OK)
		return iv_fail_store(db, rc);
	if (b->status != IV_OK || (b->status = reverse_page(b)) != IV_OK)
		return b->status;
	if (b->res->posted == 0)
		return iv_fail(db, IV_E_REFUSED,
		               "nothing to reverse: every row of batch %lld was already reversed one by one",
		               (long long)batch);
	rc = store_batch_finish(db->st, b->new_batch, b->res->rows, b->res->posted, b->res->unchanged);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	event_chain events = {0};
	return events_record(db, &events, STORE_T_BATCHES, b->new_batch, NULL, "add", &db->user);
}

iv_status iv_reverse_batch(iv_db *db, int64_t batch, const char *reason, const char *memo,
                           iv_approval approval, iv_upload_result *res)
{
	memset(res, 0, sizeof *res);
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	char msg[IV_MSG_MAX];
	if (!field_text("Memo", memo, IV_MEMO_MAX, true, msg, sizeof msg))
		return iv_fail(db, IV_E_INVALID, "%s", msg);
	batch_reversal b = {.db = db, .memo = memo ? memo : "", .res = res, .status = IV_OK};
	if ((rc = iv_check_approval(db, approval, "a batch reversal", &b.approver)) != IV_OK)
		return rc;
	if (!(b.store_index = hmap_new()) || !(b.item_index = hmap_new())) {
		hmap_free(b.store_index);
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	}
	if ((rc = clock_read(db, &b.clock)) != IV_OK) {
		hmap_free(b.store_index);
		hmap_free(b.item_index);
		return rc;
	}
	clock_utc_text(&b.clock, b.now);
	store_bulk_mode(db->st, true);
	if ((rc = store_begin(db->st, true)) != IV_OK) {
		rc = iv_fail_store(db, rc);
	} else if ((rc = reverse_locked(&b, batch, reason)) != IV_OK ||
	           (rc = ledger_sign(db, &b.chains, approval)) != IV_OK) {
		store_rollback(db->st);
	} else if ((rc = store_commit(db->st)) != IV_OK) {
		rc = iv_fail_store(db, rc);
	}
	store_bulk_mode(db->st, false);
	ledger_chains_free(&b.chains);
	hmap_free(b.store_index);
	hmap_free(b.item_index);
	free(b.numbers);
	free(b.page);
	free(b.stores);
	free(b.today);
	if (rc != IV_OK) {
		uint64_t rows = res->rows;
		memset(res, 0, sizeof *res);
		res->rows = rows;
		return rc;
	}
	res->batch_id = b.new_batch;
	return IV_OK;
}
