/* The ledger, the balances that sum it, and upload batches, on
 * PostgreSQL. */
#include <stdio.h>
#include <string.h>

#include "store/pg_internal.h"
#include "store/sql_shared.h"

static void read_pos(const PGresult *r, int row, int col, store_chain_pos *out)
{
	out->seq = pg_int(r, row, col);
	out->id = pg_int(r, row, col + 1);
	pg_text(r, row, col + 2, out->recorded_at, sizeof out->recorded_at);
	pg_hash(r, row, col + 3, out->hash);
}

/* Runs q for at most one chain position. */
static iv_status one_pos(pg_store *pg, pg_query q, const pg_params *p, store_chain_pos *out,
                         bool *found, const char *doing)
{
	PGresult *res;
	memset(out, 0, sizeof *out);
	*found = false;
	iv_status rc = pg_exec(pg, q, p, &res, doing);
	if (rc != IV_OK)
		return rc;
	if ((*found = PQntuples(res) > 0))
		read_pos(res, 0, 0, out);
	PQclear(res);
	return IV_OK;
}

iv_status pg_ledger_last_id(store *st, int64_t *id)
{
	PGresult *res;
	*id = 0;
	iv_status rc = pg_exec(pg_of(st), PQ_LEDGER_LAST_ID, NULL, &res, "reading the ledger");
	if (rc != IV_OK)
		return rc;
	*id = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}

void pg_chain_head_params(pg_params *p, int64_t store_id)
{
	memset(p, 0, sizeof *p);
	pg_param_int(p, store_id);
}

iv_status pg_chain_head(store *st, int64_t store_id, store_chain_pos *out)
{
	iv_status rc = pg_lock_for_head(pg_of(st), store_id);
	if (rc != IV_OK)
		return rc;
	pg_params p;
	pg_chain_head_params(&p, store_id);
	bool found;
	return one_pos(pg_of(st), PQ_CHAIN_HEAD, &p, out, &found, PG_DOING_HEAD);
}

iv_status pg_chain_row(store *st, int64_t store_id, int64_t seq, store_chain_pos *out)
{
	pg_params p = {0};
	pg_param_int(&p, store_id);
	pg_param_int(&p, seq);
	bool found;
	iv_status rc = one_pos(pg_of(st), PQ_CHAIN_ROW, &p, out, &found, "reading the ledger");
	return rc == IV_OK && !found ? IV_E_NOT_FOUND : rc;
}

iv_status pg_chain_heads(store *st, store_chain_cb cb, void *ctx)
{
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_CHAIN_HEADS, NULL, &res, "reading the ledger");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		store_chain_pos head;
		char code[IV_CODE_SIZE];
		pg_text(res, i, 1, code, sizeof code);
		read_pos(res, i, 2, &head);
		if (!cb(ctx, pg_int(res, i, 0), code, &head))
			break;
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
	pg_param_int(&p, r->seq);
	pg_param_text(&p, r->item_number ? r->item_number : "");
	pg_param_int(&p, r->hash_version);
	return pg_exec(pg, PQ_LEDGER_INSERT, &p, NULL, "adding to the ledger");
}

iv_status pg_ledger_insert_many(store *st, const store_ledger_rec *recs, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		iv_status rc = pg_ledger_insert(st, &recs[k]);
		if (rc != IV_OK)
			return rc;
	}
	return IV_OK;
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
		row->store_id = pg_int(s, i, 14);
		row->item_id = pg_int(s, i, 15);
		row->reason_id = pg_int(s, i, 16);
		row->user_id = pg_int(s, i, 17);
		row->approver_id = pg_int(s, i, 18);
		store_hash_hex(h, row->hash);
		row->seq = pg_int(s, i, 20);
		row->hash_version = (int)pg_int(s, i, 21);
		unsigned char prev[STORE_HASH_LEN];
		pg_hash(s, i, 22, prev);
		store_hash_hex(prev, row->prev_hash);
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
		raw->item_number = "";
		raw->store_id = pg_int(s, i, 14);
		raw->item_id = pg_int(s, i, 15);
		raw->reason_id = pg_int(s, i, 16);
		raw->user_id = pg_int(s, i, 17);
		raw->approved_by = pg_int(s, i, 18);
		memcpy(raw->hash, h, STORE_HASH_LEN);
		raw->seq = pg_int(s, i, 20);
		raw->hash_version = (int)pg_int(s, i, 21);
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

/* RAW_LEDGER_COLS of row i (texts valid while res lives). */
static void read_raw(const PGresult *res, int i, store_ledger_rec *r)
{
	bool whole = true;
	r->id = pg_int(res, i, 0);
	r->document = pg_int(res, i, 1);
	r->store_id = pg_int(res, i, 2);
	r->item_id = pg_int(res, i, 3);
	r->reason_id = pg_int(res, i, 4);
	r->diff = pg_int(res, i, 5);
	whole &= pg_text_exact(res, i, 6, r->tdate, sizeof r->tdate);
	whole &= pg_text_exact(res, i, 7, r->recorded_at, sizeof r->recorded_at);
	r->user_id = pg_int(res, i, 8);
	r->approved_by = pg_int(res, i, 9);
	r->reverses = pg_int(res, i, 10);
	r->batch_id = pg_int(res, i, 11);
	r->memo = PQgetvalue(res, i, 12); /* a PostgreSQL text holds no NUL byte */
	pg_hash(res, i, 13, r->hash);
	r->seq = pg_int(res, i, 14);
	r->item_number = PQgetvalue(res, i, 15);
	r->hash_version = (int)pg_int(res, i, 16);
	r->overlong = !whole;
}

/* Walks pages of rows keyed on id, so that the whole ledger is never in
 * memory and the callback may itself query; visit sees each page. */
typedef bool (*page_fn)(void *ctx, const PGresult *res, int i);

static iv_status walk_pages(pg_store *pg, pg_query q, int64_t batch, page_fn visit, void *ctx)
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
			after = pg_int(res, i, 0);
			if (!visit(ctx, res, i)) {
				PQclear(res);
				return IV_OK;
			}
		}
		PQclear(res);
		if (n < PG_PAGE_ROWS)
			return IV_OK;
	}
}

typedef struct raw_visit {
	store_ledger_cb cb;
	store_audit_cb audit;
	void *ctx;
} raw_visit;

static bool visit_raw(void *ctx, const PGresult *res, int i)
{
	raw_visit *v = ctx;
	store_ledger_rec r;
	read_raw(res, i, &r);
	return v->cb(v->ctx, &r);
}

static bool visit_audit(void *ctx, const PGresult *res, int i)
{
	raw_visit *v = ctx;
	store_audit_row a;
	read_raw(res, i, &a.rec);
	a.orig_found = PQgetvalue(res, i, 17)[0] == 't';
	a.orig_store_id = pg_int(res, i, 18);
	a.orig_item_id = pg_int(res, i, 19);
	a.orig_reverses = pg_int(res, i, 20);
	a.orig_diff = pg_int(res, i, 21);
	return v->audit(v->ctx, &a);
}

iv_status pg_ledger_each_in_batch(store *st, int64_t batch, store_ledger_cb cb, void *ctx)
{
	raw_visit v = {.cb = cb, .ctx = ctx};
	return walk_pages(pg_of(st), PQ_LEDGER_PAGE_IN_BATCH, batch, visit_raw, &v);
}

iv_status pg_ledger_audit(store *st, store_audit_cb cb, void *ctx)
{
	raw_visit v = {.audit = cb, .ctx = ctx};
	return walk_pages(pg_of(st), PQ_LEDGER_AUDIT_PAGE, 0, visit_audit, &v);
}

/* Sorted by the server once, read through a cursor a page at a time
 * (paging by key would sort again for every page). */
iv_status pg_item_rows_each(store *st, store_item_row_cb cb, void *ctx, bool *kept)
{
	(void)st, (void)cb, (void)ctx;
	*kept = false; /* ledger_by_item is an index: the server keeps it */
	return IV_OK;
}

iv_status pg_ledger_by_pair(store *st, store_pair_cb cb, void *ctx)
{
	pg_store *pg = pg_of(st);
	iv_status rc = pg_exec_text(pg,
	                            "DECLARE iv_by_pair NO SCROLL CURSOR FOR SELECT id, store_id, item_id, "
	                            "user_id, diff, tdate, approved_by IS NOT NULL, reverses IS NOT NULL, "
	                            "hash_version FROM ledger ORDER BY store_id, item_id, id",
	                            "reading the ledger");
	bool more = rc == IV_OK;
	while (more) {
		PGresult *res = PQexec(pg->conn, "FETCH FORWARD 10000 FROM iv_by_pair");
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			rc = pg_fail_result(pg, res, "reading the ledger");
			PQclear(res);
			break;
		}
		int n = PQntuples(res);
		for (int i = 0; more && i < n; i++) {
			store_pair_row p;
			p.id = pg_int(res, i, 0);
			p.store_id = pg_int(res, i, 1);
			p.item_id = pg_int(res, i, 2);
			p.user_id = pg_int(res, i, 3);
			p.diff = pg_int(res, i, 4);
			pg_text(res, i, 5, p.tdate, sizeof p.tdate);
			p.approved = PQgetvalue(res, i, 6)[0] == 't';
			p.reversal = PQgetvalue(res, i, 7)[0] == 't';
			p.hash_version = (int)pg_int(res, i, 8);
			more = cb(ctx, &p);
		}
		PQclear(res);
		more = more && n > 0;
	}
	if (rc == IV_OK)
		rc = pg_exec_text(pg, "CLOSE iv_by_pair", "reading the ledger");
	return rc;
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

/* A person's rows get their sums from the server (pg_roles.c). */
static bool sums_by_server(pg_store *pg)
{
	if (pg->sums_by_server)
		pg_forget_balances(pg);
	return pg->sums_by_server;
}

iv_status pg_balance_add(store *st, int64_t store_id, int64_t item_id, iv_qty diff)
{
	pg_store *pg = pg_of(st);
	if (sums_by_server(pg))
		return IV_OK;
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
	if (sums_by_server(pg))
		return IV_OK;
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

iv_status pg_sums_add(store *st, int64_t user_id, const store_sum *v, size_t n)
{
	iv_status rc = IV_OK;
	for (size_t k = 0; rc == IV_OK && k < n; k++) {
		rc = pg_balance_add(st, v[k].store_id, v[k].item_id, v[k].diff);
		if (rc == IV_OK)
			rc = pg_day_add(st, v[k].store_id, v[k].item_id, v[k].tdate, v[k].diff);
		if (rc == IV_OK)
			rc = pg_user_day_add(st, user_id, v[k].store_id, v[k].item_id, v[k].tdate, v[k].diff);
	}
	return rc;
}

iv_status pg_stock_after(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty *sum,
                         iv_qty *lowest)
{
	pg_params p = {0};
	pg_param_int(&p, store_id);
	pg_param_int(&p, item_id);
	pg_param_text(&p, tdate);
	PGresult *res;
	*sum = *lowest = 0;
	iv_status rc = pg_exec(pg_of(st), PQ_STOCK_AFTER, &p, &res, "reading day totals");
	if (rc != IV_OK)
		return rc;
	if (PQntuples(res) > 0) {
		*sum = pg_int(res, 0, 0);
		*lowest = pg_int(res, 0, 1);
	}
	PQclear(res);
	return IV_OK;
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
	pg_param_folded(&p, q->folded, pattern, sizeof pattern);
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
	pg_param_folded(&p, q->folded, pattern, sizeof pattern);
	return pg_one_count(pg_of(st), PQ_STOCK_COUNT, &p, n, "counting stock");
}

iv_status pg_user_day_get(store *st, int64_t user_id, int64_t store_id, int64_t item_id,
                          const char *tdate, iv_qty *qty)
{
	pg_params p = {0};
	pg_param_int(&p, user_id);
	pg_param_int(&p, store_id);
	pg_param_int(&p, item_id);
	pg_param_text(&p, tdate);
	return one_qty(pg_of(st), PQ_USER_DAY_GET, &p, qty, "reading a day total");
}

iv_status pg_user_day_add(store *st, int64_t user_id, int64_t store_id, int64_t item_id,
                          const char *tdate, iv_qty diff)
{
	pg_store *pg = pg_of(st);
	if (sums_by_server(pg))
		return IV_OK;
	if (pg->bulk)
		return pg_defer_user_day(pg, user_id, store_id, item_id, tdate, diff);
	pg_params p = {0};
	pg_param_int(&p, user_id);
	pg_param_int(&p, store_id);
	pg_param_int(&p, item_id);
	pg_param_text(&p, tdate);
	pg_param_int(&p, diff);
	return pg_exec(pg, PQ_USER_DAY_ADD, &p, NULL, "updating a day total");
}

iv_status pg_pair_sums(store *st, int64_t store_id, int64_t item_id, store_sum_cb cb, void *ctx)
{
	pg_params p = {0};
	pg_param_int(&p, store_id);
	pg_param_int(&p, item_id);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_PAIR_SUMS, &p, &res, "reading balances");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++)
		if (!cb(ctx, (store_sum_kind)pg_int(res, i, 0), PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1),
		        pg_int(res, i, 2), pg_int(res, i, 3)))
			break;
	PQclear(res);
	return IV_OK;
}

/* ---- batches ---- */

static const char *const rule_names[] = {"delta", "sync", "reversal", "count"};

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
		for (int i = 0; i < (int)(sizeof rule_names / sizeof rule_names[0]); i++)
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
