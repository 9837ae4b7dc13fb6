/* Counts on PostgreSQL (store.h, "Counts"), as sqlite_counts.c. */
#include <stdint.h>
#include <string.h>

#include "store/pg_internal.h"

/* STORE_COUNT_VIEW_SQL's columns. */
static void read_count(const PGresult *r, int i, store_count *c)
{
	memset(c, 0, sizeof *c);
	c->id = pg_int(r, i, 0);
	c->store_id = pg_int(r, i, 1);
	c->blind = pg_int(r, i, 2) != 0;
	c->scope = store_scope_parse(PQgetvalue(r, i, 3));
	pg_text(r, i, 4, c->memo, sizeof c->memo);
	c->user_id = pg_int(r, i, 5);
	pg_text(r, i, 6, c->started_at, sizeof c->started_at);
	pg_text(r, i, 7, c->count_day, sizeof c->count_day);
	c->start_seq = pg_int(r, i, 8);
	c->status = store_count_status_parse(PQgetvalue(r, i, 9));
	c->batch_id = pg_int(r, i, 10);
	c->end_user_id = pg_int(r, i, 11);
	c->zero_uncounted = pg_int(r, i, 12) != 0;
	c->accept_moved = pg_int(r, i, 13) != 0;
	pg_text(r, i, 14, c->ended_at, sizeof c->ended_at);
	pg_text(r, i, 15, c->store_code, sizeof c->store_code);
	pg_text(r, i, 16, c->started_by, sizeof c->started_by);
	pg_text(r, i, 17, c->ended_by, sizeof c->ended_by);
	c->scans = (uint64_t)pg_int(r, i, 18);
	c->items = (uint64_t)pg_int(r, i, 19);
}

iv_status pg_count_insert(store *st, store_count *c)
{
	pg_params p = {0};
	pg_param_int(&p, c->store_id);
	pg_param_int(&p, c->blind);
	pg_param_text(&p, store_scope_text(c->scope));
	pg_param_text(&p, c->memo);
	pg_param_int(&p, c->user_id);
	pg_param_text(&p, c->started_at);
	pg_param_text(&p, c->count_day);
	pg_param_int(&p, c->start_seq);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_COUNT_INSERT, &p, &res, "starting the count");
	if (rc != IV_OK)
		return rc;
	c->id = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}

iv_status pg_count_get(store *st, int64_t id, bool tally, store_count *out)
{
	pg_params p = {0};
	pg_param_int(&p, id);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), tally ? PQ_COUNT_GET_TALLIED : PQ_COUNT_GET, &p, &res, "reading the count");
	if (rc != IV_OK)
		return rc;
	bool found = PQntuples(res) > 0;
	if (found)
		read_count(res, 0, out);
	PQclear(res);
	return found ? IV_OK : pg_failf(pg_of(st), IV_E_NOT_FOUND, "Count: there is no count %lld", (long long)id);
}

iv_status pg_count_each(store *st, const store_count_filter *f, store_count_cb cb, void *ctx)
{
	pg_params p = {0};
	if (!f->posted_oldest_first) {
		pg_param_id(&p, f->store_id);
		pg_param_text(&p, f->ended_since);
	}
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), f->posted_oldest_first ? PQ_COUNT_EACH_POSTED : PQ_COUNT_EACH, &p,
	                       &res, "reading counts");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		store_count c;
		read_count(res, i, &c);
		if (!cb(ctx, &c))
			break;
	}
	PQclear(res);
	return IV_OK;
}

iv_status pg_count_item_add(store *st, int64_t count_id, int64_t item_id)
{
	pg_params p = {0};
	pg_param_int(&p, count_id);
	pg_param_int(&p, item_id);
	return pg_exec(pg_of(st), PQ_COUNT_ITEM_ADD, &p, NULL, "listing the count's items");
}

iv_status pg_count_in_list(store *st, int64_t count_id, int64_t item_id, bool *in)
{
	pg_params p = {0};
	pg_param_int(&p, count_id);
	pg_param_int(&p, item_id);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_COUNT_IN_LIST, &p, &res, "reading the count's items");
	if (rc != IV_OK)
		return rc;
	*in = PQntuples(res) > 0;
	PQclear(res);
	return IV_OK;
}

iv_status pg_count_scan_insert(store *st, store_count_scan *s)
{
	pg_params p = {0};
	pg_param_int(&p, s->count_id);
	pg_param_int(&p, s->item_id);
	pg_param_text(&p, store_scan_kind_text(s->kind));
	pg_param_int(&p, s->qty);
	if (s->kind == IV_SCAN_SET)
		pg_param_int(&p, s->seq);
	else
		pg_param_text(&p, NULL);
	pg_param_id(&p, s->undoes);
	pg_param_int(&p, s->user_id);
	pg_param_text(&p, s->recorded_at);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_COUNT_SCAN_INSERT, &p, &res, "recording the scan");
	if (rc != IV_OK)
		return rc;
	s->id = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}

/* STORE_COUNT_SCAN_SQL's columns. */
static void read_scan(const PGresult *r, int i, store_count_scan *s)
{
	s->id = pg_int(r, i, 0);
	s->count_id = pg_int(r, i, 1);
	s->item_id = pg_int(r, i, 2);
	s->user_id = pg_int(r, i, 3);
	s->kind = store_scan_kind_parse(PQgetvalue(r, i, 4));
	s->qty = pg_int(r, i, 5);
	s->seq = pg_int(r, i, 6);
	s->undoes = pg_int(r, i, 7);
	pg_text(r, i, 8, s->recorded_at, sizeof s->recorded_at);
	s->undone = PQgetvalue(r, i, 9)[0] == 't';
	s->number = PQgetvalue(r, i, 10);
	s->description = PQgetvalue(r, i, 11);
}

iv_status pg_count_scans(store *st, int64_t count_id, int64_t item_id, store_count_scan_cb cb, void *ctx)
{
	pg_params p = {0};
	pg_param_int(&p, count_id);
	if (item_id)
		pg_param_int(&p, item_id);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), item_id ? PQ_COUNT_SCANS_OF_ITEM : PQ_COUNT_SCANS_ALL, &p, &res,
	                       "reading the count's scans");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		store_count_scan s;
		read_scan(res, i, &s);
		if (!cb(ctx, &s))
			break;
	}
	PQclear(res);
	return IV_OK;
}

iv_status pg_count_last_scan(store *st, int64_t count_id, int64_t user_id, store_count_scan *out,
                             bool *found)
{
	pg_params p = {0};
	pg_param_int(&p, count_id);
	pg_param_int(&p, user_id);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_COUNT_LAST_SCAN, &p, &res, "reading the count's scans");
	if (rc != IV_OK)
		return rc;
	memset(out, 0, sizeof *out);
	*found = PQntuples(res) > 0;
	if (*found)
		read_scan(res, 0, out);
	out->number = out->description = "";
	PQclear(res);
	return IV_OK;
}

static iv_status each_count_item(pg_store *pg, pg_query q, int64_t id, store_count_item_cb cb, void *ctx)
{
	pg_params p = {0};
	pg_param_int(&p, id);
	PGresult *res;
	iv_status rc = pg_exec(pg, q, &p, &res, "reading the count's items");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++)
		if (!cb(ctx, pg_int(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), pg_int(res, i, 3)))
			break;
	PQclear(res);
	return IV_OK;
}

iv_status pg_count_list_items(store *st, int64_t count_id, store_count_item_cb cb, void *ctx)
{
	return each_count_item(pg_of(st), PQ_COUNT_LIST_ITEMS, count_id, cb, ctx);
}

iv_status pg_count_stock(store *st, int64_t store_id, store_count_item_cb cb, void *ctx)
{
	return each_count_item(pg_of(st), PQ_COUNT_STOCK, store_id, cb, ctx);
}

iv_status pg_count_end_insert(store *st, const store_count_end *e)
{
	pg_params p = {0};
	pg_param_int(&p, e->count_id);
	pg_param_text(&p, store_count_status_text(e->status));
	pg_param_id(&p, e->batch_id);
	pg_param_int(&p, e->zero_uncounted);
	pg_param_int(&p, e->accept_moved);
	pg_param_int(&p, e->user_id);
	pg_param_text(&p, e->recorded_at);
	return pg_exec(pg_of(st), PQ_COUNT_END_INSERT, &p, NULL, "ending the count");
}

iv_status pg_chain_sums(store *st, int64_t store_id, int64_t after_seq, int64_t upto_seq,
                        store_item_sum_cb cb, void *ctx)
{
	pg_params p = {0};
	pg_param_int(&p, store_id);
	pg_param_int(&p, after_seq);
	pg_param_int(&p, upto_seq);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_CHAIN_SUMS, &p, &res, "reading the ledger");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++)
		if (!cb(ctx, pg_int(res, i, 0), pg_int(res, i, 1)))
			break;
	PQclear(res);
	return IV_OK;
}

iv_status pg_item_moved_after(store *st, int64_t store_id, int64_t item_id, int64_t after_id, iv_qty *sum)
{
	pg_params p = {0};
	pg_param_int(&p, store_id);
	pg_param_int(&p, item_id);
	pg_param_int(&p, after_id);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_ITEM_MOVED_AFTER, &p, &res, "reading the ledger");
	if (rc != IV_OK)
		return rc;
	*sum = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}
