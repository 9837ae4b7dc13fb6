/* Unit costs and the report summaries on SQLite (store.h). */
#include <string.h>

#include "store/sqlite_internal.h"

iv_status sqlite_item_cost_get(store *st, int64_t item_id, store_cost *out)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_ITEM_COST_GET);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, item_id);
	memset(out, 0, sizeof *out);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->has = sqlite3_column_type(s, 0) != SQLITE_NULL;
		out->cost = sqlite3_column_int64(s, 0);
		sqlite_text(s, 1, out->from, sizeof out->from);
	}
	iv_status status = sqlite_end_rows(st, s, rc, "reading an item's unit cost");
	if (status == IV_OK && rc != SQLITE_ROW)
		return sqlite_failf(st, IV_E_NOT_FOUND, "item #%lld does not exist", (long long)item_id);
	return status;
}

iv_status sqlite_item_cost_set(store *st, int64_t item_id, const store_cost *c)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_ITEM_COST_SET);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, item_id);
	if (c->has)
		sqlite3_bind_int64(s, 2, c->cost);
	else
		sqlite3_bind_null(s, 2);
	sqlite_param_text(s, 3, c->from[0] ? c->from : NULL);
	return sqlite_step_done(st, s, "saving an item's unit cost");
}

iv_status sqlite_cost_history_put(store *st, int64_t item_id, const char *effective, bool has,
                                  iv_money cost)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_COST_HISTORY_PUT);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, item_id);
	sqlite_param_text(s, 2, effective);
	if (has)
		sqlite3_bind_int64(s, 3, cost);
	else
		sqlite3_bind_null(s, 3);
	return sqlite_step_done(st, s, "saving the cost history");
}

iv_status sqlite_cost_at(store *st, int64_t item_id, const char *tdate, bool *has, iv_money *cost)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_COST_AT);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, item_id);
	sqlite_param_text(s, 2, tdate);
	int rc = sqlite3_step(s);
	*has = rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL;
	*cost = *has ? sqlite3_column_int64(s, 0) : 0;
	return sqlite_end_rows(st, s, rc, "reading the cost history");
}

/* A row's columns from parameter at + 1 on; the item's only in report_items. */
static int bind_report_row(sqlite3_stmt *s, int at, bool items, const store_report_row *r)
{
	sqlite_param_text(s, ++at, r->tdate);
	sqlite3_bind_int64(s, ++at, r->store_id);
	if (items)
		sqlite3_bind_int64(s, ++at, r->item_id);
	sqlite3_bind_int64(s, ++at, r->reason_id);
	sqlite3_bind_int64(s, ++at, r->user_id);
	sqlite3_bind_int(s, ++at, r->cancelled);
	sqlite3_bind_int64(s, ++at, r->lines);
	sqlite3_bind_int64(s, ++at, r->added);
	sqlite3_bind_int64(s, ++at, r->removed);
	sqlite3_bind_int64(s, ++at, r->value);
	sqlite3_bind_int64(s, ++at, r->unvalued);
	return at;
}

iv_status sqlite_report_add(store *st, bool items, const store_report_row *r)
{
	sqlite3_stmt *s = sqlite_statement(st, items ? Q_REPORT_ADD_ITEMS : Q_REPORT_ADD_DAYS);
	if (!s)
		return IV_E_STORAGE;
	bind_report_row(s, 0, items, r);
	return sqlite_step_done(st, s, "updating the report summaries");
}

iv_status sqlite_report_add_many(store *st, bool items, const store_report_row *v, size_t n)
{
	enum { ROWS = SQLITE_SUMS_PER_INSERT };
	size_t k = 0;
	for (; k + ROWS <= n; k += ROWS) {
		sqlite3_stmt *s = sqlite_statement(st, items ? Q_REPORT_ADD_ITEMS_MANY : Q_REPORT_ADD_DAYS_MANY);
		if (!s)
			return IV_E_STORAGE;
		for (int j = 0, at = 0; j < ROWS; j++)
			at = bind_report_row(s, at, items, &v[k + (size_t)j]);
		iv_status rc = sqlite_step_done(st, s, "updating the report summaries");
		if (rc != IV_OK)
			return rc;
	}
	iv_status rc = IV_OK;
	for (; rc == IV_OK && k < n; k++)
		rc = sqlite_report_add(st, items, &v[k]);
	return rc;
}

/* Columns key..unvalued (11) from column `at` on. */
static void read_report_row(sqlite3_stmt *s, int at, store_report_row *r)
{
	sqlite_text(s, at, r->tdate, sizeof r->tdate);
	r->store_id = sqlite3_column_int64(s, at + 1);
	r->item_id = sqlite3_column_int64(s, at + 2);
	r->reason_id = sqlite3_column_int64(s, at + 3);
	r->user_id = sqlite3_column_int64(s, at + 4);
	r->cancelled = sqlite3_column_int(s, at + 5) != 0;
	r->lines = sqlite3_column_int64(s, at + 6);
	r->added = sqlite3_column_int64(s, at + 7);
	r->removed = sqlite3_column_int64(s, at + 8);
	r->value = sqlite3_column_int64(s, at + 9);
	r->unvalued = sqlite3_column_int64(s, at + 10);
}

/* Steps s, a row of report columns at a time, to cb until it says stop. */
static iv_status each_report_row(store *st, sqlite3_stmt *s, store_report_cb cb, void *ctx, const char *doing)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_report_row r;
		read_report_row(s, 0, &r);
		if (!cb(ctx, &r))
			break;
	}
	return sqlite_end_rows(st, s, rc, doing);
}

iv_status sqlite_report_rows(store *st, const store_report_query *q, store_report_cb cb, void *ctx)
{
	query which = q->item_id ? Q_REPORT_ITEMS_OF_ITEM : q->items ? Q_REPORT_ITEMS : Q_REPORT_DAYS;
	sqlite3_stmt *s = sqlite_statement(st, which);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, q->from);
	sqlite_param_text(s, 2, q->to);
	sqlite_param_id(s, 3, q->store_id);
	sqlite_param_id(s, 4, q->item_id);
	sqlite_param_id(s, 5, q->reason_id);
	sqlite3_bind_int(s, 6, q->with_cancelled);
	return each_report_row(st, s, cb, ctx, "reading the report summaries");
}

iv_status sqlite_batch_lines(store *st, int64_t batch_id, store_report_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_BATCH_LINES);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, batch_id);
	/* SQLite's sorter keeps as much in memory as the page cache may
	 * hold (a bulk load's 10 MiB, sqlite_bulk_mode) before it spills to
	 * temporary files: a small cache for the sort keeps the upload's
	 * memory flat. */
	if (st->bulk)
		sqlite_exec_sql(st, "PRAGMA cache_size = -2000");
	iv_status status = each_report_row(st, s, cb, ctx, "summing the upload's lines");
	if (st->bulk)
		sqlite_exec_sql(st, "PRAGMA cache_size = -10000"); /* sqlite_bulk_mode's */
	return status;
}

iv_status sqlite_report_audit(store *st, bool items, store_report_check_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, items ? Q_REPORT_AUDIT_ITEMS : Q_REPORT_AUDIT_DAYS);
	if (!s)
		return IV_E_STORAGE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_report_check c;
		read_report_row(s, 0, &c.stored);
		c.has_stored = sqlite3_column_int(s, 11) != 0;
		c.lines = sqlite3_column_int64(s, 12);
		c.added = sqlite3_column_int64(s, 13);
		c.removed = sqlite3_column_int64(s, 14);
		c.value = sqlite3_column_int64(s, 15);
		c.unvalued = sqlite3_column_int64(s, 16);
		if (!cb(ctx, &c))
			break;
	}
	return sqlite_end_rows(st, s, rc, "checking the report summaries");
}
