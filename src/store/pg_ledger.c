/* The ledger, the balances that sum it, and upload batches, on
 * PostgreSQL. */
#include <stdio.h>
#include <string.h>

#include "store/pg_internal.h"
#include "store/sql_shared.h"

iv_status pg_ledger_head(store *st, int64_t *last_id, unsigned char hash[STORE_HASH_LEN])
{
	PGresult *res;
	*last_id = 0;
	memset(hash, 0, STORE_HASH_LEN);
	iv_status rc = pg_exec(pg_of(st), PQ_LEDGER_HEAD, NULL, &res, "reading the ledger");
	if (rc != IV_OK)
		return rc;
	if (PQntuples(res) > 0) {
		*last_id = pg_int(res, 0, 0);
		pg_hash(res, 0, 1, hash);
	}
	PQclear(res);
	return IV_OK;
}

iv_status pg_ledger_insert(store *st, const store_ledger_rec *r)
{
	pg_store *pg = pg_of(st);
	if (pg->bulk)
		return pg_defer_ledger(pg, r);
	pg_params p = {0};
	pg_param_int(&p, r->id);
	pg_param_int(&p, r->document);
	pg_param_int(&p, r->store_id);
	pg_param_int(&p, r->item_id);
	pg_param_int(&p, r->reason_id);
	pg_param_int(&p, r->diff);
	pg_param_text(&p, r->tdate);
	pg_param_text(&p, r->recorded_at);
	pg_param_int(&p, r->user_id);
	pg_param_id(&p, r->approved_by);
	pg_param_id(&p, r->reverses);
	pg_param_id(&p, r->batch_id);
	pg_param_text(&p, r->memo ? r->memo : "");
	pg_param_bytes(&p, r->hash, STORE_HASH_LEN);
	return pg_exec(pg, PQ_LEDGER_INSERT, &p, NULL, "adding to the ledger");
}

/* Columns of LEDGER_VIEW (pg_sql.c). */
static void read_view(const PGresult *s, int i, iv_ledger_row *row, store_ledger_rec *raw)
{
	unsigned char h[STORE_HASH_LEN];
	pg_hash(s, i, 19, h);
	if (row) {
		row->id = pg_int(s, i, 0);
		row->document = pg_int(s, i, 1);
		pg_text(s, i, 2, row->tdate, sizeof row->tdate);
		pg_text(s, i, 3, row->recorded_at, sizeof row->recorded_at);
		pg_text(s, i, 4, row->store, sizeof row->store);
		pg_text(s, i, 5, row->item, sizeof row->item);
		pg_text(s, i, 6, row->reason, sizeof row->reason);
		row->diff = pg_int(s, i, 7);
		pg_text(s, i, 8, row->user, sizeof row->user);
		pg_text(s, i, 9, row->approved_by, sizeof row->approved_by);
		row->reverses = pg_int(s, i, 10);
		row->reversed_by = pg_int(s, i, 11);
		row->batch = pg_int(s, i, 12);
		pg_text(s, i, 13, row->memo, sizeof row->memo);
		static const char digits[] = "0123456789abcdef";
		for (int k = 0; k < STORE_HASH_LEN; k++) {
			row->hash[2 * k] = digits[h[k] >> 4];
			row->hash[2 * k + 1] = digits[h[k] & 15];
		}
		row->hash[2 * STORE_HASH_LEN] = '\0';
	}
	if (raw) {
		memset(raw, 0, sizeof *raw);
		raw->id = pg_int(s, i, 0);
		raw->document = pg_int(s, i, 1);
		pg_text(s, i, 2, raw->tdate, sizeof raw->tdate);
		pg_text(s, i, 3, raw->recorded_at, sizeof raw->recorded_at);
		raw->diff = pg_int(s, i, 7);
		raw->reverses = pg_int(s, i, 10);
		raw->batch_id = pg_int(s, i, 12);
		raw->memo = "";
		raw->store_id = pg_int(s, i, 14);
		raw->item_id = pg_int(s, i, 15);
		raw->reason_id = pg_int(s, i, 16);
		raw->user_id = pg_int(s, i, 17);
		raw->approved_by = pg_int(s, i, 18);
		memcpy(raw->hash, h, STORE_HASH_LEN);
	}
}

iv_status pg_ledger_get(store *st, int64_t id, iv_ledger_row *row, store_ledger_rec *raw)
{
	pg_store *pg = pg_of(st);
	pg_params p = {0};
	pg_param_int(&p, id);
	PGresult *res;
	iv_status rc = pg_exec(pg, PQ_LEDGER_GET, &p, &res, "reading the ledger");
	if (rc != IV_OK)
		return rc;
	bool found = PQntuples(res) > 0;
	if (found)
		read_view(res, 0, row, raw);
	PQclear(res);
	return found ? IV_OK : pg_failf(pg, IV_E_NOT_FOUND, "there is no adjustment #%lld", (long long)id);
}

iv_status pg_ledger_reversed_by(store *st, int64_t id, int64_t *rev_id)
{
	pg_params p = {0};
	pg_param_int(&p, id);
	PGresult *res;
	*rev_id = 0;
	iv_status rc = pg_exec(pg_of(st), PQ_LEDGER_REVERSED_BY, &p, &res, "reading the ledger");
	if (rc != IV_OK)
		return rc;
	if (PQntuples(res) > 0)
		*rev_id = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}

/* Walks RAW_LEDGER_COLS rows a page at a time, keyed on id, so that the
 * whole ledger is never in memory and the callback may itself query. */
static iv_status each_raw(pg_store *pg, pg_query q, int64_t batch, store_ledger_cb cb, void *ctx)
{
	int64_t after = 0;
	for (;;) {
		pg_params p = {0};
		pg_param_int(&p, after);
		pg_param_int(&p, PG_PAGE_ROWS);
		if (q == PQ_LEDGER_PAGE_IN_BATCH)
			pg_param_int(&p, batch);
		PGresult *res;
		iv_status rc = pg_exec(pg, q, &p, &res, "reading the ledger");
		if (rc != IV_OK)
			return rc;
		int n = PQntuples(res);
		for (int i = 0; i < n; i++) {
			store_ledger_rec r;
			r.id = pg_int(res, i, 0);
			r.document = pg_int(res, i, 1);
			r.store_id = pg_int(res, i, 2);
			r.item_id = pg_int(res, i, 3);
			r.reason_id = pg_int(res, i, 4);
			r.diff = pg_int(res, i, 5);
			pg_text(res, i, 6, r.tdate, sizeof r.tdate);
			pg_text(res, i, 7, r.recorded_at, sizeof r.recorded_at);
			r.user_id = pg_int(res, i, 8);
			r.approved_by = pg_int(res, i, 9);
			r.reverses = pg_int(res, i, 10);
			r.batch_id = pg_int(res, i, 11);
			r.memo = PQgetvalue(res, i, 12);
			pg_hash(res, i, 13, r.hash);
			after = r.id;
			if (!cb(ctx, &r)) {
				PQclear(res);
				return IV_OK;
			}
		}
		PQclear(res);
		if (n < PG_PAGE_ROWS)
			return IV_OK;
	}
}

iv_status pg_ledger_each(store *st, store_ledger_cb cb, void *ctx)
{
	return each_raw(pg_of(st), PQ_LEDGER_PAGE, 0, cb, ctx);
}

iv_status pg_ledger_each_in_batch(store *st, int64_t batch, store_ledger_cb cb, void *ctx)
{
	return each_raw(pg_of(st), PQ_LEDGER_PAGE_IN_BATCH, batch, cb, ctx);
}

static pg_query history_query(const store_history_query *q, store_history_kind kind, pg_params *p)
{
	memset(p, 0, sizeof *p);
	pg_param_id(p, q->store_id);
	pg_param_id(p, q->item_id);
	pg_param_id(p, q->reason_id);
	pg_param_id(p, q->user_id);
	pg_param_text(p, q->from);
	pg_param_text(p, q->to);
	pg_param_id(p, q->batch);
	pg_param_id(p, kind == STORE_HIST_COUNT ? 0 : kind == STORE_HIST_ASC ? q->after_id : q->before_id);
	pg_param_id(p, kind == STORE_HIST_COUNT ? 0 : (int64_t)q->limit); /* 0: all */
	if (store_history_drive_of(q) == STORE_HIST_DATE)
		pg_param_text(p, kind == STORE_HIST_COUNT ? NULL : q->anchor_tdate);
	return (pg_query)((int)PQ_HISTORY + (int)store_history_drive_of(q) * STORE_HIST_KINDS + (int)kind);
}

iv_status pg_history(store *st, const store_history_query *q, iv_ledger_cb cb, void *ctx)
{
	pg_params p;
	pg_query which = history_query(q, q->oldest_first ? STORE_HIST_ASC : STORE_HIST_DESC, &p);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), which, &p, &res, "reading the history");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		iv_ledger_row row;
		read_view(res, i, &row, NULL);
		if (!cb(ctx, &row))
			break;
	}
	PQclear(res);
	return IV_OK;
}

iv_status pg_history_count(store *st, const store_history_query *q, uint64_t *n)
{
	pg_params p;
	pg_query which = history_query(q, STORE_HIST_COUNT, &p);
	return pg_one_count(pg_of(st), which, &p, n, "counting the history");
}

/* ---- balances ---- */

static iv_status one_qty(pg_store *pg, pg_query q, const pg_params *p, iv_qty *qty, const char *doing)
{
	PGresult *res;
	*qty = 0;
	iv_status rc = pg_exec(pg, q, p, &res, doing);
	if (rc != IV_OK)
		return rc;
	if (PQntuples(res) > 0)
		*qty = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}

iv_status pg_balance_get(store *st, int64_t store_id, int64_t item_id, iv_qty *qty)
{
	bool found;
	iv_status rc = pg_balance_cached(pg_of(st), store_id, item_id, qty, &found);
	if (rc != IV_OK || found)
		return rc;
	pg_params p = {0};
	pg_param_int(&p, store_id);
	pg_param_int(&p, item_id);
	return one_qty(pg_of(st), PQ_BALANCE_GET, &p, qty, "reading a balance");
}

iv_status pg_balance_add(store *st, int64_t store_id, int64_t item_id, iv_qty diff)
{
	pg_store *pg = pg_of(st);
	if (pg->bulk)
		return pg_defer_balance(pg, store_id, item_id, diff);
	pg_forget_balances(pg);
	pg_params p = {0};
	pg_param_int(&p, store_id);
	pg_param_int(&p, item_id);
	pg_param_int(&p, diff);
	return pg_exec(pg, PQ_BALANCE_ADD, &p, NULL, "updating a balance");
}

iv_status pg_day_add(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty diff)
{
	pg_store *pg = pg_of(st);
	if (pg->bulk)
		return pg_defer_day(pg, store_id, item_id, tdate, diff);
	pg_params p = {0};
	pg_param_int(&p, store_id);
	pg_param_int(&p, item_id);
	pg_param_text(&p, tdate);
	pg_param_int(&p, diff);
	return pg_exec(pg, PQ_DAY_ADD, &p, NULL, "updating a day total");
}

iv_status pg_balance_asof(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty *qty)
{
	pg_params p = {0};
	pg_param_int(&p, store_id);
	pg_param_int(&p, item_id);
	pg_param_text(&p, tdate);
	return one_qty(pg_of(st), PQ_BALANCE_ASOF, &p, qty, "reading a balance");
}

iv_status pg_days_after(store *st, int64_t store_id, int64_t item_id, const char *tdate,
                        store_day_cb cb, void *ctx)
{
	pg_params p = {0};
	pg_param_int(&p, store_id);
	pg_param_int(&p, item_id);
	pg_param_text(&p, tdate);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_DAYS_AFTER, &p, &res, "reading day totals");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++)
		if (!cb(ctx, PQgetvalue(res, i, 0), pg_int(res, i, 1)))
			break;
	PQclear(res);
	return IV_OK;
}

/* Rows of store code, item number, description and a quantity. */
static iv_status each_balance_row(pg_store *pg, pg_query q, const pg_params *p, iv_balance_cb cb, void *ctx,
                                  const char *doing)
{
	PGresult *res;
	iv_status rc = pg_exec(pg, q, p, &res, doing);
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		iv_balance_row row;
		pg_text(res, i, 0, row.store, sizeof row.store);
		pg_text(res, i, 1, row.item, sizeof row.item);
		pg_text(res, i, 2, row.description, sizeof row.description);
		row.net_available = pg_int(res, i, 3);
		if (!cb(ctx, &row))
			break;
	}
	PQclear(res);
	return IV_OK;
}

iv_status pg_balances_each(store *st, const char *store_code, int64_t item_id,
                           const char *as_of, iv_balance_cb cb, void *ctx)
{
	pg_params p = {0};
	if (store_code)
		pg_param_text(&p, store_code);
	if (item_id)
		pg_param_int(&p, item_id);
	if (as_of)
		pg_param_text(&p, as_of);
	pg_query q = (pg_query)((as_of ? PQ_BALANCES_ASOF : PQ_BALANCES) + BALANCES_SHAPE(store_code, item_id));
	return each_balance_row(pg_of(st), q, &p, cb, ctx, "reading balances");
}

iv_status pg_stock_page(store *st, const store_stock_query *q, iv_balance_cb cb, void *ctx)
{
	char pattern[2 * STORE_ITEM_KEY_MAX + 4];
	pg_params p = {0};
	pg_param_id(&p, q->store_id);
	param_folded(&p, q->folded, pattern, sizeof pattern);
	pg_param_text(&p, q->as_of);
	pg_param_text(&p, q->after_item ? q->after_store : NULL);
	pg_param_text(&p, q->after_item);
	pg_param_id(&p, (int64_t)q->limit);
	return each_balance_row(pg_of(st), q->back ? PQ_STOCK_PAGE_BACK : PQ_STOCK_PAGE, &p, cb, ctx, "reading stock");
}

iv_status pg_stock_count(store *st, const store_stock_query *q, uint64_t *n)
{
	char pattern[2 * STORE_ITEM_KEY_MAX + 4];
	pg_params p = {0};
	pg_param_id(&p, q->store_id);
	param_folded(&p, q->folded, pattern, sizeof pattern);
	return pg_one_count(pg_of(st), PQ_STOCK_COUNT, &p, n, "counting stock");
}


/* Walks balances or day totals a page at a time, keyed on the primary key. */
static iv_status each_sum(pg_store *pg, bool dated, store_sum_cb cb, void *ctx)
{
	int64_t s = 0, i = 0;
	char d[IV_DATE_ISO_LEN] = "";
	for (;;) {
		pg_params p = {0};
		pg_param_int(&p, s);
		pg_param_int(&p, i);
		if (dated)
			pg_param_text(&p, d);
		pg_param_int(&p, PG_PAGE_ROWS);
		PGresult *res;
		iv_status rc = pg_exec(pg, dated ? PQ_DAY_PAGE_RAW : PQ_BALANCE_PAGE_RAW, &p, &res,
		                       "reading balances");
		if (rc != IV_OK)
			return rc;
		int n = PQntuples(res);
		for (int k = 0; k < n; k++) {
			s = pg_int(res, k, 0);
			i = pg_int(res, k, 1);
			if (dated)
				pg_text(res, k, 2, d, sizeof d);
			if (!cb(ctx, s, i, dated ? d : NULL, pg_int(res, k, dated ? 3 : 2))) {
				PQclear(res);
				return IV_OK;
			}
		}
		PQclear(res);
		if (n < PG_PAGE_ROWS)
			return IV_OK;
	}
}

iv_status pg_balance_each_raw(store *st, store_sum_cb cb, void *ctx)
{
	return each_sum(pg_of(st), false, cb, ctx);
}

iv_status pg_day_each_raw(store *st, store_sum_cb cb, void *ctx)
{
	return each_sum(pg_of(st), true, cb, ctx);
}

iv_status pg_key_names(store *st, int64_t store_id, int64_t item_id,
                       char code[IV_CODE_SIZE], char number[IV_IDENT_SIZE])
{
	pg_params p = {0};
	pg_param_int(&p, store_id);
	pg_param_int(&p, item_id);
	PGresult *res;
	code[0] = number[0] = '\0';
	iv_status rc = pg_exec(pg_of(st), PQ_KEY_NAMES, &p, &res, "reading names");
	if (rc != IV_OK)
		return rc;
	if (PQntuples(res) > 0) {
		pg_text(res, 0, 0, code, IV_CODE_SIZE);
		pg_text(res, 0, 1, number, IV_IDENT_SIZE);
	}
	PQclear(res);
	return IV_OK;
}

/* ---- batches ---- */

static const char *const rule_names[] = {"delta", "sync", "reversal"};

iv_status pg_batch_insert(store *st, const iv_batch *b, int64_t user_id,
                          int64_t reverses_batch, int64_t *id)
{
	pg_params p = {0};
	pg_param_text(&p, b->file_name);
	pg_param_text(&p, b->sha256);
	pg_param_text(&p, rule_names[b->rule]);
	pg_param_int(&p, user_id);
	pg_param_text(&p, b->recorded_at);
	pg_param_int(&p, (int64_t)b->rows);
	pg_param_int(&p, (int64_t)b->posted);
	pg_param_int(&p, (int64_t)b->unchanged);
	pg_param_id(&p, reverses_batch);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_BATCH_INSERT, &p, &res, "recording the upload batch");
	if (rc != IV_OK)
		return rc;
	*id = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}

/* Sets a batch's counts (and with sha256, the file's hash). */
static iv_status counts(store *st, pg_query q, int64_t id, const char *sha256, uint64_t rows,
                        uint64_t posted, uint64_t unchanged)
{
	pg_params p = {0};
	pg_param_int(&p, id);
	if (q == PQ_BATCH_FINISH_UPLOAD)
		pg_param_text(&p, sha256);
	pg_param_int(&p, (int64_t)rows);
	pg_param_int(&p, (int64_t)posted);
	pg_param_int(&p, (int64_t)unchanged);
	return pg_exec(pg_of(st), q, &p, NULL, "recording the upload batch");
}

iv_status pg_batch_finish(store *st, int64_t id, uint64_t rows, uint64_t posted, uint64_t unchanged)
{
	return counts(st, PQ_BATCH_FINISH, id, NULL, rows, posted, unchanged);
}

iv_status pg_batch_finish_upload(store *st, int64_t id, const char *sha256, uint64_t rows,
                                 uint64_t posted, uint64_t unchanged)
{
	return counts(st, PQ_BATCH_FINISH_UPLOAD, id, sha256, rows, posted, unchanged);
}

iv_status pg_batch_find_sha(store *st, const char *sha256, int64_t *id)
{
	PGresult *res;
	pg_params p = {0};
	pg_param_text(&p, sha256);
	*id = 0;
	iv_status rc = pg_exec(pg_of(st), PQ_BATCH_FIND_SHA, &p, &res, "looking up earlier uploads");
	if (rc != IV_OK)
		return rc;
	if (PQntuples(res) > 0)
		*id = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}

iv_status pg_batch_get(store *st, int64_t id, iv_batch *out)
{
	pg_store *pg = pg_of(st);
	pg_params p = {0};
	pg_param_int(&p, id);
	PGresult *res;
	iv_status rc = pg_exec(pg, PQ_BATCH_GET, &p, &res, "reading an upload batch");
	if (rc != IV_OK)
		return rc;
	bool found = PQntuples(res) > 0;
	if (found) {
		memset(out, 0, sizeof *out);
		out->id = pg_int(res, 0, 0);
		pg_text(res, 0, 1, out->file_name, sizeof out->file_name);
		pg_text(res, 0, 2, out->sha256, sizeof out->sha256);
		const char *rule = PQgetvalue(res, 0, 3);
		out->rule = IV_RULE_DELTA;
		for (int i = 0; i < 3; i++)
			if (strcmp(rule, rule_names[i]) == 0)
				out->rule = (iv_rule)i;
		pg_text(res, 0, 4, out->user, sizeof out->user);
		pg_text(res, 0, 5, out->recorded_at, sizeof out->recorded_at);
		out->rows = (uint64_t)pg_int(res, 0, 6);
		out->posted = (uint64_t)pg_int(res, 0, 7);
		out->unchanged = (uint64_t)pg_int(res, 0, 8);
		out->reverses_batch = pg_int(res, 0, 9);
		out->reversed_by_batch = pg_int(res, 0, 10);
	}
	PQclear(res);
	return found ? IV_OK : pg_failf(pg, IV_E_NOT_FOUND, "there is no upload batch #%lld", (long long)id);
}
