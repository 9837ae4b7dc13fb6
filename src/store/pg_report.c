/* Unit costs and the report summaries on PostgreSQL (store.h). */
#include <stdio.h>
#include <string.h>

#include "store/pg_internal.h"

iv_status pg_item_cost_get(store *st, int64_t item_id, store_cost *out)
{
	pg_store *pg = pg_of(st);
	pg_params p = {0};
	pg_param_int(&p, item_id);
	PGresult *res;
	memset(out, 0, sizeof *out);
	iv_status rc = pg_exec(pg, PQ_ITEM_COST_GET, &p, &res, "reading an item's unit cost");
	if (rc != IV_OK)
		return rc;
	bool found = PQntuples(res) > 0;
	if (found) {
		out->has = !PQgetisnull(res, 0, 0);
		out->cost = out->has ? pg_int(res, 0, 0) : 0;
		pg_text(res, 0, 1, out->from, sizeof out->from);
	}
	PQclear(res);
	return found ? IV_OK : pg_failf(pg, IV_E_NOT_FOUND, "item #%lld does not exist", (long long)item_id);
}

iv_status pg_item_cost_set(store *st, int64_t item_id, const store_cost *c)
{
	pg_params p = {0};
	pg_param_int(&p, item_id);
	if (c->has)
		pg_param_int(&p, c->cost);
	else
		pg_param_text(&p, NULL);
	pg_param_text(&p, c->from[0] ? c->from : NULL);
	return pg_exec(pg_of(st), PQ_ITEM_COST_SET, &p, NULL, "saving an item's unit cost");
}

iv_status pg_cost_history_put(store *st, int64_t item_id, const char *effective, bool has, iv_money cost)
{
	pg_params p = {0};
	pg_param_int(&p, item_id);
	pg_param_text(&p, effective);
	if (has)
		pg_param_int(&p, cost);
	else
		pg_param_text(&p, NULL);
	return pg_exec(pg_of(st), PQ_COST_HISTORY_PUT, &p, NULL, "saving the cost history");
}

iv_status pg_cost_at(store *st, int64_t item_id, const char *tdate, bool *has, iv_money *cost)
{
	pg_params p = {0};
	pg_param_int(&p, item_id);
	pg_param_text(&p, tdate);
	PGresult *res;
	*has = false;
	*cost = 0;
	iv_status rc = pg_exec(pg_of(st), PQ_COST_AT, &p, &res, "reading the cost history");
	if (rc != IV_OK)
		return rc;
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)) {
		*has = true;
		*cost = pg_int(res, 0, 0);
	}
	PQclear(res);
	return IV_OK;
}

/* The key and sums of r as parameters, in the columns' order. */
static void report_params(pg_params *p, bool items, const store_report_row *r)
{
	pg_param_text(p, r->tdate);
	pg_param_int(p, r->store_id);
	if (items)
		pg_param_int(p, r->item_id);
	pg_param_int(p, r->reason_id);
	pg_param_int(p, r->user_id);
	pg_param_int(p, r->cancelled);
	pg_param_int(p, r->lines);
	pg_param_int(p, r->added);
	pg_param_int(p, r->removed);
	pg_param_int(p, r->value);
	pg_param_int(p, r->unvalued);
}

/* A person's lines reach the summaries by the server's trigger on the
 * ledger (pg_roles.c), which no person can bypass; what is left to send
 * is an admin's new unit cost valuing existing lines again (a delta of
 * value alone). */
static iv_status revalue(pg_store *pg, bool items, const store_report_row *r)
{
	pg_params p = {0};
	pg_param_text(&p, r->tdate);
	pg_param_int(&p, r->store_id);
	if (items)
		pg_param_int(&p, r->item_id);
	pg_param_int(&p, r->reason_id);
	pg_param_int(&p, r->user_id);
	pg_param_int(&p, r->cancelled);
	pg_param_int(&p, r->value);
	pg_param_int(&p, r->unvalued);
	return pg_exec(pg, items ? PQ_REPORT_REVALUE_ITEMS : PQ_REPORT_REVALUE_DAYS, &p, NULL,
	               "valuing the report summaries again");
}

iv_status pg_report_add(store *st, bool items, const store_report_row *r)
{
	pg_store *pg = pg_of(st);
	if (pg->sums_by_server)
		return r->lines || r->added || r->removed ? IV_OK : revalue(pg, items, r);
	if (pg->bulk)
		return pg_defer_report(pg, items, r);
	pg_params p = {0};
	report_params(&p, items, r);
	return pg_exec(pg, items ? PQ_REPORT_ADD_ITEMS : PQ_REPORT_ADD_DAYS, &p, NULL,
	               "updating the report summaries");
}

iv_status pg_report_add_many(store *st, bool items, const store_report_row *v, size_t n)
{
	iv_status rc = IV_OK;
	for (size_t k = 0; rc == IV_OK && k < n; k++)
		rc = pg_report_add(st, items, &v[k]); /* deferred in a bulk load (pg_bulk.c) */
	return rc;
}

/* Columns key..unvalued (11) from column `at` on. */
static void read_report_row(const PGresult *res, int i, int at, store_report_row *r)
{
	pg_text(res, i, at, r->tdate, sizeof r->tdate);
	r->store_id = pg_int(res, i, at + 1);
	r->item_id = pg_int(res, i, at + 2);
	r->reason_id = pg_int(res, i, at + 3);
	r->user_id = pg_int(res, i, at + 4);
	r->cancelled = pg_int(res, i, at + 5) != 0;
	r->lines = pg_int(res, i, at + 6);
	r->added = pg_int(res, i, at + 7);
	r->removed = pg_int(res, i, at + 8);
	r->value = pg_int(res, i, at + 9);
	r->unvalued = pg_int(res, i, at + 10);
}

/* Runs statement q's text through a cursor, a page at a time, so that a
 * summary of millions of rows is never held in memory at once; inside
 * the caller's transaction (a read snapshot, or verify's).  visit gets
 * each page and returns false to stop. */
typedef bool (*page_fn)(void *ctx, const PGresult *res, int n);

static iv_status cursor_walk(pg_store *pg, pg_query q, const pg_params *p, page_fn visit, void *ctx,
                             const char *doing)
{
	iv_status rc = pg_pipeline_leave(pg); /* a cursor's statements run one by one */
	if (rc == IV_OK)
		rc = pg_flush(pg); /* deferred additions first: the cursor reads them */
	if (rc != IV_OK)
		return rc;
	char sql[8192];
	snprintf(sql, sizeof sql, "DECLARE iv_report NO SCROLL CURSOR FOR %s", pg_sql[q]);
	static const pg_params none;
	if (!p)
		p = &none;
	PGresult *res = PQexecParams(pg->conn, sql, p->n, NULL, p->val, p->len, p->fmt, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_fail_result(pg, res, doing);
	PQclear(res);
	bool more = rc == IV_OK;
	while (more) {
		res = PQexec(pg->conn, "FETCH FORWARD 10000 FROM iv_report");
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			rc = pg_fail_result(pg, res, doing);
			PQclear(res);
			return rc; /* the transaction is given up: the cursor goes with it */
		}
		int n = PQntuples(res);
		more = n > 0 && visit(ctx, res, n);
		PQclear(res);
	}
	if (rc == IV_OK)
		rc = pg_exec_text(pg, "CLOSE iv_report", doing);
	return rc;
}

typedef struct rows_visit {
	store_report_cb cb;
	store_report_check_cb check;
	void *ctx;
} rows_visit;

static bool visit_rows(void *ctx, const PGresult *res, int n)
{
	rows_visit *v = ctx;
	for (int i = 0; i < n; i++) {
		store_report_row r;
		read_report_row(res, i, 0, &r);
		if (!v->cb(v->ctx, &r))
			return false;
	}
	return true;
}

iv_status pg_report_rows(store *st, const store_report_query *q, store_report_cb cb, void *ctx)
{
	pg_params p = {0};
	pg_param_text(&p, q->from);
	pg_param_text(&p, q->to);
	pg_param_id(&p, q->store_id);
	pg_param_id(&p, q->item_id);
	pg_param_id(&p, q->reason_id);
	pg_param_text(&p, q->with_cancelled ? "true" : "false");
	pg_query which = q->item_id ? PQ_REPORT_ITEMS_OF_ITEM : q->items ? PQ_REPORT_ITEMS : PQ_REPORT_DAYS;
	rows_visit v = {.cb = cb, .ctx = ctx};
	return cursor_walk(pg_of(st), which, &p, visit_rows, &v, "reading the report summaries");
}

iv_status pg_batch_lines(store *st, int64_t batch_id, store_report_cb cb, void *ctx)
{
	pg_params p = {0};
	pg_param_int(&p, batch_id);
	rows_visit v = {.cb = cb, .ctx = ctx};
	return cursor_walk(pg_of(st), PQ_BATCH_LINES, &p, visit_rows, &v, "summing the upload's lines");
}

static bool visit_checks(void *ctx, const PGresult *res, int n)
{
	rows_visit *v = ctx;
	for (int i = 0; i < n; i++) {
		store_report_check c;
		read_report_row(res, i, 0, &c.stored);
		c.has_stored = pg_int(res, i, 11) != 0;
		c.lines = pg_int(res, i, 12);
		c.added = pg_int(res, i, 13);
		c.removed = pg_int(res, i, 14);
		c.value = pg_int(res, i, 15);
		c.unvalued = pg_int(res, i, 16);
		if (!v->check(v->ctx, &c))
			return false;
	}
	return true;
}

iv_status pg_report_audit(store *st, bool items, store_report_check_cb cb, void *ctx)
{
	rows_visit v = {.check = cb, .ctx = ctx};
	return cursor_walk(pg_of(st), items ? PQ_REPORT_AUDIT_ITEMS : PQ_REPORT_AUDIT_DAYS, NULL,
	                   visit_checks, &v, "checking the report summaries");
}
