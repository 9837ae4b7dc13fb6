/* The ledger, the balances that sum it, and upload batches. */
#include <stdio.h>
#include <string.h>

#include "store/sql_shared.h"
#include "store/sqlite_internal.h"

static void copy_hash(sqlite3_stmt *s, int col, unsigned char out[STORE_HASH_LEN])
{
	const void *h = sqlite3_column_blob(s, col);
	memset(out, 0, STORE_HASH_LEN);
	if (h && sqlite3_column_bytes(s, col) == STORE_HASH_LEN)
		memcpy(out, h, STORE_HASH_LEN);
}

iv_status sqlite_ledger_head(store *st, int64_t *last_id, unsigned char hash[STORE_HASH_LEN])
{
	sqlite3_stmt *s = store_stmt(st, Q_LEDGER_HEAD);
	if (!s)
		return IV_E_STORAGE;
	int rc = sqlite3_step(s);
	*last_id = 0;
	memset(hash, 0, STORE_HASH_LEN);
	if (rc == SQLITE_ROW) {
		*last_id = sqlite3_column_int64(s, 0);
		copy_hash(s, 1, hash);
	}
	return store_end_rows(st, s, rc, "reading the ledger");
}

iv_status sqlite_ledger_insert(store *st, const store_ledger_rec *r)
{
	sqlite3_stmt *s = store_stmt(st, Q_LEDGER_INSERT);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, r->document);
	sqlite3_bind_int64(s, 3, r->store_id);
	sqlite3_bind_int64(s, 4, r->item_id);
	sqlite3_bind_int64(s, 5, r->reason_id);
	sqlite3_bind_int64(s, 6, r->diff);
	bind_text(s, 7, r->tdate);
	bind_text(s, 8, r->recorded_at);
	sqlite3_bind_int64(s, 9, r->user_id);
	bind_id(s, 10, r->approved_by);
	bind_id(s, 11, r->reverses);
	bind_id(s, 12, r->batch_id);
	bind_text(s, 13, r->memo ? r->memo : "");
	sqlite3_bind_blob(s, 14, r->hash, STORE_HASH_LEN, SQLITE_STATIC);
	return store_step_done(st, s, "adding to the ledger");
}

/* Columns of LEDGER_VIEW (sqlite_sql.c). */
static void read_view(sqlite3_stmt *s, iv_ledger_row *row, store_ledger_rec *raw)
{
	if (row) {
		row->id = sqlite3_column_int64(s, 0);
		row->document = sqlite3_column_int64(s, 1);
		column_text(s, 2, row->tdate, sizeof row->tdate);
		column_text(s, 3, row->recorded_at, sizeof row->recorded_at);
		column_text(s, 4, row->store, sizeof row->store);
		column_text(s, 5, row->item, sizeof row->item);
		column_text(s, 6, row->reason, sizeof row->reason);
		row->diff = sqlite3_column_int64(s, 7);
		column_text(s, 8, row->user, sizeof row->user);
		column_text(s, 9, row->approved_by, sizeof row->approved_by);
		row->reverses = sqlite3_column_int64(s, 10);
		row->reversed_by = sqlite3_column_int64(s, 11);
		row->batch = sqlite3_column_int64(s, 12);
		column_text(s, 13, row->memo, sizeof row->memo);
		unsigned char h[STORE_HASH_LEN];
		copy_hash(s, 19, h);
		static const char digits[] = "0123456789abcdef";
		for (int k = 0; k < STORE_HASH_LEN; k++) {
			row->hash[2 * k] = digits[h[k] >> 4];
			row->hash[2 * k + 1] = digits[h[k] & 15];
		}
		row->hash[2 * STORE_HASH_LEN] = '\0';
	}
	if (raw) {
		memset(raw, 0, sizeof *raw);
		raw->id = sqlite3_column_int64(s, 0);
		raw->document = sqlite3_column_int64(s, 1);
		column_text(s, 2, raw->tdate, sizeof raw->tdate);
		column_text(s, 3, raw->recorded_at, sizeof raw->recorded_at);
		raw->diff = sqlite3_column_int64(s, 7);
		raw->reverses = sqlite3_column_int64(s, 10);
		raw->batch_id = sqlite3_column_int64(s, 12);
		raw->memo = "";
		raw->store_id = sqlite3_column_int64(s, 14);
		raw->item_id = sqlite3_column_int64(s, 15);
		raw->reason_id = sqlite3_column_int64(s, 16);
		raw->user_id = sqlite3_column_int64(s, 17);
		raw->approved_by = sqlite3_column_int64(s, 18);
		copy_hash(s, 19, raw->hash);
	}
}

iv_status sqlite_ledger_get(store *st, int64_t id, iv_ledger_row *row, store_ledger_rec *raw)
{
	sqlite3_stmt *s = store_stmt(st, Q_LEDGER_GET);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_view(s, row, raw);
	iv_status status = store_end_rows(st, s, rc, "reading the ledger");
	if (status == IV_OK && rc != SQLITE_ROW)
		return store_failf(st, IV_E_NOT_FOUND, "there is no adjustment #%lld", (long long)id);
	return status;
}

iv_status sqlite_ledger_reversed_by(store *st, int64_t id, int64_t *rev_id)
{
	sqlite3_stmt *s = store_stmt(st, Q_LEDGER_REVERSED_BY);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	*rev_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return store_end_rows(st, s, rc, "reading the ledger");
}

static iv_status each_raw(store *st, sqlite3_stmt *s, store_ledger_cb cb, void *ctx)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_ledger_rec r;
		r.id = sqlite3_column_int64(s, 0);
		r.document = sqlite3_column_int64(s, 1);
		r.store_id = sqlite3_column_int64(s, 2);
		r.item_id = sqlite3_column_int64(s, 3);
		r.reason_id = sqlite3_column_int64(s, 4);
		r.diff = sqlite3_column_int64(s, 5);
		column_text(s, 6, r.tdate, sizeof r.tdate);
		column_text(s, 7, r.recorded_at, sizeof r.recorded_at);
		r.user_id = sqlite3_column_int64(s, 8);
		r.approved_by = sqlite3_column_int64(s, 9);
		r.reverses = sqlite3_column_int64(s, 10);
		r.batch_id = sqlite3_column_int64(s, 11);
		const unsigned char *memo = sqlite3_column_text(s, 12);
		r.memo = memo ? (const char *)memo : "";
		copy_hash(s, 13, r.hash);
		if (!cb(ctx, &r))
			break;
	}
	return store_end_rows(st, s, rc, "reading the ledger");
}

iv_status sqlite_ledger_each(store *st, store_ledger_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_stmt(st, Q_LEDGER_EACH);
	return s ? each_raw(st, s, cb, ctx) : IV_E_STORAGE;
}

iv_status sqlite_ledger_each_in_batch(store *st, int64_t batch, store_ledger_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_stmt(st, Q_LEDGER_EACH_IN_BATCH);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, batch);
	return each_raw(st, s, cb, ctx);
}

static sqlite3_stmt *history_stmt(store *st, const store_history_query *q, store_history_kind kind)
{
	sqlite3_stmt *s = store_stmt(st, (int)Q_HISTORY + (int)store_history_drive_of(q) * STORE_HIST_KINDS + (int)kind);
	if (!s)
		return NULL;
	bind_id(s, 1, q->store_id);
	bind_id(s, 2, q->item_id);
	bind_id(s, 3, q->reason_id);
	bind_id(s, 4, q->user_id);
	bind_text(s, 5, q->from);
	bind_text(s, 6, q->to);
	bind_id(s, 7, q->batch);
	if (kind != STORE_HIST_COUNT) {
		bind_id(s, 8, kind == STORE_HIST_ASC ? q->after_id : q->before_id);
		sqlite3_bind_int64(s, 9, q->limit ? (sqlite3_int64)q->limit : -1);
		if (store_history_drive_of(q) == STORE_HIST_DATE)
			bind_text(s, 10, q->anchor_tdate);
	}
	return s;
}

iv_status sqlite_history(store *st, const store_history_query *q, iv_ledger_cb cb, void *ctx)
{
	sqlite3_stmt *s = history_stmt(st, q, q->oldest_first ? STORE_HIST_ASC : STORE_HIST_DESC);
	if (!s)
		return IV_E_STORAGE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		iv_ledger_row row;
		read_view(s, &row, NULL);
		if (!cb(ctx, &row))
			break;
	}
	return store_end_rows(st, s, rc, "reading the history");
}

iv_status sqlite_history_count(store *st, const store_history_query *q, uint64_t *n)
{
	sqlite3_stmt *s = history_stmt(st, q, STORE_HIST_COUNT);
	if (!s)
		return IV_E_STORAGE;
	return sqlite_one_count(st, s, n, "counting the history");
}

/* ---- balances ---- */

iv_status sqlite_balance_get(store *st, int64_t store_id, int64_t item_id, iv_qty *qty)
{
	sqlite3_stmt *s = store_stmt(st, Q_BALANCE_GET);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	int rc = sqlite3_step(s);
	*qty = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return store_end_rows(st, s, rc, "reading a balance");
}

iv_status sqlite_balance_add(store *st, int64_t store_id, int64_t item_id, iv_qty diff)
{
	sqlite3_stmt *s = store_stmt(st, Q_BALANCE_ADD);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	sqlite3_bind_int64(s, 3, diff);
	return store_step_done(st, s, "updating a balance");
}

iv_status sqlite_day_add(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty diff)
{
	sqlite3_stmt *s = store_stmt(st, Q_DAY_ADD);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	bind_text(s, 3, tdate);
	sqlite3_bind_int64(s, 4, diff);
	return store_step_done(st, s, "updating a day total");
}

iv_status sqlite_balance_asof(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty *qty)
{
	sqlite3_stmt *s = store_stmt(st, Q_BALANCE_ASOF);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	bind_text(s, 3, tdate);
	int rc = sqlite3_step(s);
	*qty = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return store_end_rows(st, s, rc, "reading a balance");
}

iv_status sqlite_days_after(store *st, int64_t store_id, int64_t item_id, const char *tdate,
                           store_day_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_stmt(st, Q_DAYS_AFTER);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	bind_text(s, 3, tdate);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (!cb(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1)))
			break;
	return store_end_rows(st, s, rc, "reading day totals");
}

/* Rows of store code, item number, description and a quantity. */
static iv_status each_balance_row(store *st, sqlite3_stmt *s, iv_balance_cb cb, void *ctx, const char *doing)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		iv_balance_row row;
		column_text(s, 0, row.store, sizeof row.store);
		column_text(s, 1, row.item, sizeof row.item);
		column_text(s, 2, row.description, sizeof row.description);
		row.net_available = sqlite3_column_int64(s, 3);
		if (!cb(ctx, &row))
			break;
	}
	return store_end_rows(st, s, rc, doing);
}

iv_status sqlite_balances_each(store *st, const char *store_code, int64_t item_id,
                              const char *as_of, iv_balance_cb cb, void *ctx)
{
	query q = (query)((as_of ? Q_BALANCES_ASOF : Q_BALANCES) + BALANCES_SHAPE(store_code, item_id));
	sqlite3_stmt *s = store_stmt(st, q);
	if (!s)
		return IV_E_STORAGE;
	if (store_code)
		bind_text(s, sqlite3_bind_parameter_index(s, ":store"), store_code);
	if (item_id)
		bind_id(s, sqlite3_bind_parameter_index(s, ":item"), item_id);
	if (as_of)
		bind_text(s, sqlite3_bind_parameter_index(s, ":asof"), as_of);
	return each_balance_row(st, s, cb, ctx, "reading balances");
}

static sqlite3_stmt *stock_stmt(store *st, const store_stock_query *q, int which, char *pattern, size_t size)
{
	sqlite3_stmt *s = store_stmt(st, which);
	if (!s)
		return NULL;
	if (q->store_id)
		sqlite3_bind_int64(s, 1, q->store_id);
	else
		sqlite3_bind_null(s, 1);
	bind_folded(s, 2, q->folded, pattern, size);
	if (which != Q_STOCK_COUNT) {
		bind_text(s, 3, q->as_of);
		bind_text(s, 4, q->after_item ? q->after_store : NULL);
		bind_text(s, 5, q->after_item);
		sqlite3_bind_int64(s, 6, q->limit ? (sqlite3_int64)q->limit : -1);
	}
	return s;
}

iv_status sqlite_stock_page(store *st, const store_stock_query *q, iv_balance_cb cb, void *ctx)
{
	char pattern[2 * STORE_ITEM_KEY_MAX + 4];
	sqlite3_stmt *s = stock_stmt(st, q, q->back ? Q_STOCK_PAGE_BACK : Q_STOCK_PAGE, pattern, sizeof pattern);
	if (!s)
		return IV_E_STORAGE;
	return each_balance_row(st, s, cb, ctx, "reading stock");
}

iv_status sqlite_stock_count(store *st, const store_stock_query *q, uint64_t *n)
{
	char pattern[2 * STORE_ITEM_KEY_MAX + 4];
	sqlite3_stmt *s = stock_stmt(st, q, Q_STOCK_COUNT, pattern, sizeof pattern);
	if (!s)
		return IV_E_STORAGE;
	return sqlite_one_count(st, s, n, "counting stock");
}


static iv_status each_sum(store *st, query q, bool dated, store_sum_cb cb, void *ctx)
{
	sqlite3_stmt *s = store_stmt(st, q);
	if (!s)
		return IV_E_STORAGE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *tdate = dated ? (const char *)sqlite3_column_text(s, 2) : NULL;
		if (!cb(ctx, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), tdate,
		        sqlite3_column_int64(s, dated ? 3 : 2)))
			break;
	}
	return store_end_rows(st, s, rc, "reading balances");
}

iv_status sqlite_balance_each_raw(store *st, store_sum_cb cb, void *ctx)
{
	return each_sum(st, Q_BALANCE_EACH_RAW, false, cb, ctx);
}

iv_status sqlite_day_each_raw(store *st, store_sum_cb cb, void *ctx)
{
	return each_sum(st, Q_DAY_EACH_RAW, true, cb, ctx);
}

iv_status sqlite_key_names(store *st, int64_t store_id, int64_t item_id,
                          char code[IV_CODE_SIZE], char number[IV_IDENT_SIZE])
{
	sqlite3_stmt *s = store_stmt(st, Q_KEY_NAMES);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	int rc = sqlite3_step(s);
	code[0] = number[0] = '\0';
	if (rc == SQLITE_ROW) {
		column_text(s, 0, code, IV_CODE_SIZE);
		column_text(s, 1, number, IV_IDENT_SIZE);
	}
	return store_end_rows(st, s, rc, "reading names");
}

/* ---- batches ---- */

static const char *const rule_names[] = {"delta", "sync", "reversal"};

iv_status sqlite_batch_insert(store *st, const iv_batch *b, int64_t user_id,
                             int64_t reverses_batch, int64_t *id)
{
	sqlite3_stmt *s = store_stmt(st, Q_BATCH_INSERT);
	if (!s)
		return IV_E_STORAGE;
	bind_text(s, 1, b->file_name);
	bind_text(s, 2, b->sha256);
	bind_text(s, 3, rule_names[b->rule]);
	sqlite3_bind_int64(s, 4, user_id);
	bind_text(s, 5, b->recorded_at);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)b->rows);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)b->posted);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)b->unchanged);
	bind_id(s, 9, reverses_batch);
	iv_status rc = store_step_done(st, s, "recording the upload batch");
	if (rc == IV_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

iv_status sqlite_batch_finish(store *st, int64_t id, uint64_t rows, uint64_t posted, uint64_t unchanged)
{
	sqlite3_stmt *s = store_stmt(st, Q_BATCH_FINISH);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)rows);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)posted);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)unchanged);
	return store_step_done(st, s, "recording the upload batch");
}

iv_status sqlite_batch_find_sha(store *st, const char *sha256, int64_t *id)
{
	sqlite3_stmt *s = store_stmt(st, Q_BATCH_FIND_SHA);
	if (!s)
		return IV_E_STORAGE;
	bind_text(s, 1, sha256);
	int rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return store_end_rows(st, s, rc, "looking up earlier uploads");
}

iv_status sqlite_batch_get(store *st, int64_t id, iv_batch *out)
{
	sqlite3_stmt *s = store_stmt(st, Q_BATCH_GET);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(s, 0);
		column_text(s, 1, out->file_name, sizeof out->file_name);
		column_text(s, 2, out->sha256, sizeof out->sha256);
		const char *rule = (const char *)sqlite3_column_text(s, 3);
		out->rule = IV_RULE_DELTA;
		for (int i = 0; i < 3; i++)
			if (rule && strcmp(rule, rule_names[i]) == 0)
				out->rule = (iv_rule)i;
		column_text(s, 4, out->user, sizeof out->user);
		column_text(s, 5, out->recorded_at, sizeof out->recorded_at);
		out->rows = (uint64_t)sqlite3_column_int64(s, 6);
		out->posted = (uint64_t)sqlite3_column_int64(s, 7);
		out->unchanged = (uint64_t)sqlite3_column_int64(s, 8);
		out->reverses_batch = sqlite3_column_int64(s, 9);
		out->reversed_by_batch = sqlite3_column_int64(s, 10);
	}
	iv_status status = store_end_rows(st, s, rc, "reading an upload batch");
	if (status == IV_OK && rc != SQLITE_ROW)
		return store_failf(st, IV_E_NOT_FOUND, "there is no upload batch #%lld", (long long)id);
	return status;
}

iv_status sqlite_batch_finish_upload(store *st, int64_t id, const char *sha256, uint64_t rows,
                                    uint64_t posted, uint64_t unchanged)
{
	sqlite3_stmt *s = store_stmt(st, Q_BATCH_FINISH_UPLOAD);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, sha256);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)rows);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)posted);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)unchanged);
	return store_step_done(st, s, "recording the upload batch");
}

iv_status sqlite_day_totals_mismatch(store *st, store_day_mismatch *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = store_stmt(st, Q_DAY_MISMATCH);
	if (!s)
		return IV_E_STORAGE;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->found = true;
		column_text(s, 0, out->store, sizeof out->store);
		column_text(s, 1, out->item, sizeof out->item);
		column_text(s, 2, out->tdate, sizeof out->tdate);
		out->stored = sqlite3_column_int64(s, 3);
		out->summed = sqlite3_column_int64(s, 4);
	}
	return store_end_rows(st, s, rc, "comparing day totals with the ledger");
}
