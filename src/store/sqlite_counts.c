/* Counts on SQLite (store.h, "Counts"): the header, its list of items,
 * its scans and its end, and the two ledger sums a count's snapshot is
 * made of. */
#include <stdint.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* STORE_COUNT_VIEW_SQL's columns. */
static void read_count(sqlite3_stmt *s, store_count *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(s, 0);
	c->store_id = sqlite3_column_int64(s, 1);
	c->blind = sqlite3_column_int(s, 2) != 0;
	c->scope = store_scope_parse((const char *)sqlite3_column_text(s, 3));
	sqlite_text(s, 4, c->memo, sizeof c->memo);
	c->user_id = sqlite3_column_int64(s, 5);
	sqlite_text(s, 6, c->started_at, sizeof c->started_at);
	sqlite_text(s, 7, c->count_day, sizeof c->count_day);
	c->start_seq = sqlite3_column_int64(s, 8);
	c->status = store_count_status_parse((const char *)sqlite3_column_text(s, 9));
	c->batch_id = sqlite3_column_int64(s, 10);
	c->end_user_id = sqlite3_column_int64(s, 11);
	c->zero_uncounted = sqlite3_column_int(s, 12) != 0;
	c->accept_moved = sqlite3_column_int(s, 13) != 0;
	sqlite_text(s, 14, c->ended_at, sizeof c->ended_at);
	sqlite_text(s, 15, c->store_code, sizeof c->store_code);
	sqlite_text(s, 16, c->started_by, sizeof c->started_by);
	sqlite_text(s, 17, c->ended_by, sizeof c->ended_by);
	c->scans = (uint64_t)sqlite3_column_int64(s, 18);
	c->items = (uint64_t)sqlite3_column_int64(s, 19);
}

iv_status sqlite_count_insert(store *st, store_count *c)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_COUNT_INSERT);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, c->store_id);
	sqlite3_bind_int(s, 2, c->blind);
	sqlite_param_text(s, 3, store_scope_text(c->scope));
	sqlite_param_text(s, 4, c->memo);
	sqlite3_bind_int64(s, 5, c->user_id);
	sqlite_param_text(s, 6, c->started_at);
	sqlite_param_text(s, 7, c->count_day);
	sqlite3_bind_int64(s, 8, c->start_seq);
	iv_status rc = sqlite_step_done(st, s, "starting the count");
	if (rc == IV_OK)
		c->id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

iv_status sqlite_count_get(store *st, int64_t id, bool tally, store_count *out)
{
	sqlite3_stmt *s = sqlite_statement(st, tally ? Q_COUNT_GET_TALLIED : Q_COUNT_GET);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	bool found = rc == SQLITE_ROW;
	if (found)
		read_count(s, out);
	iv_status status = sqlite_end_rows(st, s, rc, "reading the count");
	if (status == IV_OK && !found)
		return sqlite_failf(st, IV_E_NOT_FOUND, "Count: there is no count %lld", (long long)id);
	return status;
}

iv_status sqlite_count_each(store *st, const store_count_filter *f, store_count_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, f->posted_oldest_first ? Q_COUNT_EACH_POSTED : Q_COUNT_EACH);
	if (!s)
		return IV_E_STORAGE;
	if (!f->posted_oldest_first) {
		sqlite_param_id(s, 1, f->store_id);
		sqlite_param_text(s, 2, f->ended_since);
	}
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_count c;
		read_count(s, &c);
		if (!cb(ctx, &c))
			break;
	}
	return sqlite_end_rows(st, s, rc, "reading counts");
}

iv_status sqlite_count_item_add(store *st, int64_t count_id, int64_t item_id)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_COUNT_ITEM_ADD);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, count_id);
	sqlite3_bind_int64(s, 2, item_id);
	return sqlite_step_done(st, s, "listing the count's items");
}

iv_status sqlite_count_in_list(store *st, int64_t count_id, int64_t item_id, bool *in)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_COUNT_IN_LIST);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, count_id);
	sqlite3_bind_int64(s, 2, item_id);
	int rc = sqlite3_step(s);
	*in = rc == SQLITE_ROW;
	return sqlite_end_rows(st, s, rc, "reading the count's items");
}

iv_status sqlite_count_scan_insert(store *st, store_count_scan *c)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_COUNT_SCAN_INSERT);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, c->count_id);
	sqlite3_bind_int64(s, 2, c->item_id);
	sqlite_param_text(s, 3, store_scan_kind_text(c->kind));
	sqlite3_bind_int64(s, 4, c->qty);
	if (c->kind == IV_SCAN_SET)
		sqlite3_bind_int64(s, 5, c->seq);
	else
		sqlite3_bind_null(s, 5);
	sqlite_param_id(s, 6, c->undoes);
	sqlite3_bind_int64(s, 7, c->user_id);
	sqlite_param_text(s, 8, c->recorded_at);
	iv_status rc = sqlite_step_done(st, s, "recording the scan");
	if (rc == IV_OK)
		c->id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

/* STORE_COUNT_SCAN_SQL's columns. */
static void read_scan(sqlite3_stmt *s, store_count_scan *c)
{
	c->id = sqlite3_column_int64(s, 0);
	c->count_id = sqlite3_column_int64(s, 1);
	c->item_id = sqlite3_column_int64(s, 2);
	c->user_id = sqlite3_column_int64(s, 3);
	c->kind = store_scan_kind_parse((const char *)sqlite3_column_text(s, 4));
	c->qty = sqlite3_column_int64(s, 5);
	c->seq = sqlite3_column_int64(s, 6);
	c->undoes = sqlite3_column_int64(s, 7);
	sqlite_text(s, 8, c->recorded_at, sizeof c->recorded_at);
	c->undone = sqlite3_column_int(s, 9) != 0;
	const char *number = (const char *)sqlite3_column_text(s, 10);
	const char *description = (const char *)sqlite3_column_text(s, 11);
	c->number = number ? number : "";
	c->description = description ? description : "";
}

iv_status sqlite_count_scans(store *st, int64_t count_id, int64_t item_id, store_count_scan_cb cb,
                             void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, item_id ? Q_COUNT_SCANS_OF_ITEM : Q_COUNT_SCANS_ALL);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, count_id);
	if (item_id)
		sqlite3_bind_int64(s, 2, item_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_count_scan c;
		read_scan(s, &c);
		if (!cb(ctx, &c))
			break;
	}
	return sqlite_end_rows(st, s, rc, "reading the count's scans");
}

iv_status sqlite_count_last_scan(store *st, int64_t count_id, int64_t user_id, store_count_scan *out,
                                 bool *found)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_COUNT_LAST_SCAN);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, count_id);
	sqlite3_bind_int64(s, 2, user_id);
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	memset(out, 0, sizeof *out);
	if (*found) {
		read_scan(s, out);
		out->number = out->description = "";
	}
	return sqlite_end_rows(st, s, rc, "reading the count's scans");
}

static iv_status each_count_item(store *st, sqlite3_stmt *s, store_count_item_cb cb, void *ctx)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *number = (const char *)sqlite3_column_text(s, 1);
		const char *description = (const char *)sqlite3_column_text(s, 2);
		if (!cb(ctx, sqlite3_column_int64(s, 0), number ? number : "", description ? description : "",
		        sqlite3_column_int64(s, 3)))
			break;
	}
	return sqlite_end_rows(st, s, rc, "reading the count's items");
}

iv_status sqlite_count_list_items(store *st, int64_t count_id, store_count_item_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_COUNT_LIST_ITEMS);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, count_id);
	return each_count_item(st, s, cb, ctx);
}

iv_status sqlite_count_stock(store *st, int64_t store_id, store_count_item_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_COUNT_STOCK);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	return each_count_item(st, s, cb, ctx);
}

iv_status sqlite_count_end_insert(store *st, const store_count_end *e)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_COUNT_END_INSERT);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, e->count_id);
	sqlite_param_text(s, 2, store_count_status_text(e->status));
	sqlite_param_id(s, 3, e->batch_id);
	sqlite3_bind_int(s, 4, e->zero_uncounted);
	sqlite3_bind_int(s, 5, e->accept_moved);
	sqlite3_bind_int64(s, 6, e->user_id);
	sqlite_param_text(s, 7, e->recorded_at);
	return sqlite_step_done(st, s, "ending the count");
}

iv_status sqlite_chain_sums(store *st, int64_t store_id, int64_t after_seq, int64_t upto_seq,
                            store_item_sum_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_CHAIN_SUMS);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, after_seq);
	sqlite3_bind_int64(s, 3, upto_seq);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (!cb(ctx, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1)))
			break;
	return sqlite_end_rows(st, s, rc, "reading the ledger");
}

iv_status sqlite_item_moved_after(store *st, int64_t store_id, int64_t item_id, int64_t after_id,
                                  iv_qty *sum)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_ITEM_MOVED_AFTER);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	sqlite3_bind_int64(s, 3, after_id);
	int rc = sqlite3_step(s);
	*sum = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return sqlite_end_rows(st, s, rc, "reading the ledger");
}
