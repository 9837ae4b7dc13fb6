/* The ledger, the balances that sum it, and upload batches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql_shared.h"
#include "store/sqlite_internal.h"

/* A chain position from columns seq, id, recorded_at, hash. */
static void read_pos(sqlite3_stmt *s, int col, store_chain_pos *out)
{
	out->seq = sqlite3_column_int64(s, col);
	out->id = sqlite3_column_int64(s, col + 1);
	sqlite_text(s, col + 2, out->recorded_at, sizeof out->recorded_at);
	sqlite_hash(s, col + 3, out->hash);
}

/* Runs q (bound) for at most one chain position. */
static iv_status one_pos(store *st, sqlite3_stmt *s, store_chain_pos *out, bool *found)
{
	memset(out, 0, sizeof *out);
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	if (*found)
		read_pos(s, 0, out);
	return sqlite_end_rows(st, s, rc, "reading the ledger");
}

iv_status sqlite_ledger_last_id(store *st, int64_t *id)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_LEDGER_LAST_ID);
	if (!s)
		return IV_E_STORAGE;
	int rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return sqlite_end_rows(st, s, rc, "reading the ledger");
}

/* One writer at a time: the ids after the highest are free. */
iv_status sqlite_ledger_ids(store *st, int64_t after, int64_t n, int64_t *first)
{
	(void)n;
	iv_status rc = after >= 0 ? IV_OK : sqlite_ledger_last_id(st, &after);
	*first = after + 1;
	return rc;
}

iv_status sqlite_chain_head(store *st, int64_t store_id, store_chain_pos *out)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_CHAIN_HEAD);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	bool found;
	return one_pos(st, s, out, &found);
}

iv_status sqlite_chain_row(store *st, int64_t store_id, int64_t seq, store_chain_pos *out)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_CHAIN_ROW);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, seq);
	bool found;
	iv_status rc = one_pos(st, s, out, &found);
	return rc == IV_OK && !found ? IV_E_NOT_FOUND : rc;
}

iv_status sqlite_chain_heads(store *st, store_chain_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_CHAIN_HEADS);
	if (!s)
		return IV_E_STORAGE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_chain_pos head;
		char code[IV_CODE_SIZE];
		sqlite_text(s, 1, code, sizeof code);
		read_pos(s, 2, &head);
		if (!cb(ctx, sqlite3_column_int64(s, 0), code, &head))
			break;
	}
	return sqlite_end_rows(st, s, rc, "reading the ledger");
}

/* A row's 17 values from parameter at + 1 on. */
static void bind_row(sqlite3_stmt *s, int at, const store_ledger_rec *r)
{
	const char *memo = r->memo ? r->memo : "", *number = r->item_number ? r->item_number : "";
	sqlite3_bind_int64(s, at + 1, r->id);
	sqlite3_bind_int64(s, at + 2, r->document);
	sqlite3_bind_int64(s, at + 3, r->store_id);
	sqlite3_bind_int64(s, at + 4, r->item_id);
	sqlite3_bind_int64(s, at + 5, r->reason_id);
	sqlite3_bind_int64(s, at + 6, r->diff);
	sqlite_param_text_len(s, at + 7, r->tdate, strnlen(r->tdate, sizeof r->tdate));
	sqlite_param_text_len(s, at + 8, r->recorded_at, strnlen(r->recorded_at, sizeof r->recorded_at));
	sqlite3_bind_int64(s, at + 9, r->user_id);
	sqlite_param_id(s, at + 10, r->approved_by);
	sqlite_param_id(s, at + 11, r->reverses);
	sqlite_param_id(s, at + 12, r->batch_id);
	sqlite_param_text_len(s, at + 13, memo, r->memo_len ? r->memo_len : strlen(memo));
	sqlite3_bind_blob(s, at + 14, r->hash, STORE_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, at + 15, r->seq);
	sqlite_param_text_len(s, at + 16, number, r->item_number_len ? r->item_number_len : strlen(number));
	sqlite3_bind_int(s, at + 17, r->hash_version);
}

iv_status sqlite_ledger_insert(store *st, const store_ledger_rec *r)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_LEDGER_INSERT);
	if (!s)
		return IV_E_STORAGE;
	bind_row(s, 0, r);
	iv_status rc = sqlite_step_done(st, s, "adding to the ledger");
	return rc == IV_OK ? sqlite_bulk_note(st, r->item_id, r->id) : rc;
}

iv_status sqlite_ledger_insert_many(store *st, const store_ledger_rec *recs, size_t n)
{
	enum { ROWS = SQLITE_LEDGER_ROWS_PER_INSERT, COLS = 17 };
	size_t k = 0;
	for (; k + ROWS <= n; k += ROWS) {
		sqlite3_stmt *s = sqlite_statement(st, Q_LEDGER_INSERT_MANY);
		if (!s)
			return IV_E_STORAGE;
		for (int j = 0; j < ROWS; j++)
			bind_row(s, j * COLS, &recs[k + (size_t)j]);
		iv_status rc = sqlite_step_done(st, s, "adding to the ledger");
		for (int j = 0; rc == IV_OK && j < ROWS; j++)
			rc = sqlite_bulk_note(st, recs[k + (size_t)j].item_id, recs[k + (size_t)j].id);
		if (rc != IV_OK)
			return rc;
	}
	for (; k < n; k++) {
		iv_status rc = sqlite_ledger_insert(st, &recs[k]);
		if (rc != IV_OK)
			return rc;
	}
	return IV_OK;
}

/* Columns of LEDGER_VIEW (sqlite_sql.c). */
static void read_view(sqlite3_stmt *s, iv_ledger_row *row, store_ledger_rec *raw)
{
	if (row) {
		row->id = sqlite3_column_int64(s, 0);
		row->document = sqlite3_column_int64(s, 1);
		sqlite_text(s, 2, row->tdate, sizeof row->tdate);
		sqlite_text(s, 3, row->recorded_at, sizeof row->recorded_at);
		sqlite_text(s, 4, row->store, sizeof row->store);
		sqlite_text(s, 5, row->item, sizeof row->item);
		sqlite_text(s, 6, row->reason, sizeof row->reason);
		row->diff = sqlite3_column_int64(s, 7);
		sqlite_text(s, 8, row->user, sizeof row->user);
		sqlite_text(s, 9, row->approved_by, sizeof row->approved_by);
		row->reverses = sqlite3_column_int64(s, 10);
		row->reversed_by = sqlite3_column_int64(s, 11);
		row->batch = sqlite3_column_int64(s, 12);
		sqlite_text(s, 13, row->memo, sizeof row->memo);
		row->store_id = sqlite3_column_int64(s, 14);
		row->item_id = sqlite3_column_int64(s, 15);
		row->reason_id = sqlite3_column_int64(s, 16);
		row->user_id = sqlite3_column_int64(s, 17);
		row->approver_id = sqlite3_column_int64(s, 18);
		unsigned char h[STORE_HASH_LEN];
		sqlite_hash(s, 19, h);
		store_hash_hex(h, row->hash);
		row->seq = sqlite3_column_int64(s, 20);
		row->hash_version = sqlite3_column_int(s, 21);
		sqlite_hash(s, 22, h);
		store_hash_hex(h, row->prev_hash);
	}
	if (raw) {
		memset(raw, 0, sizeof *raw);
		raw->id = sqlite3_column_int64(s, 0);
		raw->document = sqlite3_column_int64(s, 1);
		sqlite_text(s, 2, raw->tdate, sizeof raw->tdate);
		sqlite_text(s, 3, raw->recorded_at, sizeof raw->recorded_at);
		raw->diff = sqlite3_column_int64(s, 7);
		raw->reverses = sqlite3_column_int64(s, 10);
		raw->batch_id = sqlite3_column_int64(s, 12);
		raw->memo = "";
		raw->item_number = "";
		raw->store_id = sqlite3_column_int64(s, 14);
		raw->item_id = sqlite3_column_int64(s, 15);
		raw->reason_id = sqlite3_column_int64(s, 16);
		raw->user_id = sqlite3_column_int64(s, 17);
		raw->approved_by = sqlite3_column_int64(s, 18);
		sqlite_hash(s, 19, raw->hash);
		raw->seq = sqlite3_column_int64(s, 20);
		raw->hash_version = sqlite3_column_int(s, 21);
	}
}

iv_status sqlite_ledger_get(store *st, int64_t id, iv_ledger_row *row, store_ledger_rec *raw)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_LEDGER_GET);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_view(s, row, raw);
	iv_status status = sqlite_end_rows(st, s, rc, "reading the ledger");
	if (status == IV_OK && rc != SQLITE_ROW)
		return sqlite_failf(st, IV_E_NOT_FOUND, "there is no adjustment #%lld", (long long)id);
	return status;
}

iv_status sqlite_ledger_reversed_by(store *st, int64_t id, int64_t *rev_id)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_LEDGER_REVERSED_BY);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	*rev_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return sqlite_end_rows(st, s, rc, "reading the ledger");
}

/* RAW_LEDGER_COLS from column 0. */
static void read_raw(sqlite3_stmt *s, store_ledger_rec *r)
{
	bool whole = true;
	r->id = sqlite3_column_int64(s, 0);
	r->document = sqlite3_column_int64(s, 1);
	r->store_id = sqlite3_column_int64(s, 2);
	r->item_id = sqlite3_column_int64(s, 3);
	r->reason_id = sqlite3_column_int64(s, 4);
	r->diff = sqlite3_column_int64(s, 5);
	whole &= sqlite_text_exact(s, 6, r->tdate, sizeof r->tdate);
	whole &= sqlite_text_exact(s, 7, r->recorded_at, sizeof r->recorded_at);
	r->user_id = sqlite3_column_int64(s, 8);
	r->approved_by = sqlite3_column_int64(s, 9);
	r->reverses = sqlite3_column_int64(s, 10);
	r->batch_id = sqlite3_column_int64(s, 11);
	r->memo = sqlite_text_whole(s, 12);
	sqlite_hash(s, 13, r->hash);
	r->seq = sqlite3_column_int64(s, 14);
	r->item_number = sqlite_text_whole(s, 15);
	r->hash_version = sqlite3_column_int(s, 16);
	if (!r->memo || !r->item_number) {
		whole = false;
		r->memo = r->memo ? r->memo : "";
		r->item_number = r->item_number ? r->item_number : "";
	}
	r->overlong = !whole;
}

iv_status sqlite_ledger_each_in_batch(store *st, int64_t batch, store_ledger_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_LEDGER_EACH_IN_BATCH);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, batch);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_ledger_rec r;
		read_raw(s, &r);
		if (!cb(ctx, &r))
			break;
	}
	return sqlite_end_rows(st, s, rc, "reading the ledger");
}

iv_status sqlite_ledger_audit(store *st, store_audit_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_LEDGER_AUDIT);
	if (!s)
		return IV_E_STORAGE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_audit_row a;
		read_raw(s, &a.rec);
		a.orig_found = sqlite3_column_int(s, 17) != 0;
		a.orig_store_id = sqlite3_column_int64(s, 18);
		a.orig_item_id = sqlite3_column_int64(s, 19);
		a.orig_reverses = sqlite3_column_int64(s, 20);
		a.orig_diff = sqlite3_column_int64(s, 21);
		if (!cb(ctx, &a))
			break;
	}
	return sqlite_end_rows(st, s, rc, "reading the ledger");
}

iv_status sqlite_ledger_by_pair(store *st, store_pair_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_LEDGER_BY_PAIR);
	if (!s)
		return IV_E_STORAGE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_pair_row p;
		p.id = sqlite3_column_int64(s, 0);
		p.store_id = sqlite3_column_int64(s, 1);
		p.item_id = sqlite3_column_int64(s, 2);
		p.user_id = sqlite3_column_int64(s, 3);
		p.diff = sqlite3_column_int64(s, 4);
		sqlite_text(s, 5, p.tdate, sizeof p.tdate);
		p.approved = sqlite3_column_int(s, 6) != 0;
		p.reversal = sqlite3_column_int(s, 7) != 0;
		p.hash_version = sqlite3_column_int(s, 8);
		if (!cb(ctx, &p))
			break;
	}
	return sqlite_end_rows(st, s, rc, "reading the ledger");
}

/* ledger_items, the ledger's (item_id, id) pairs that History by item
 * reads, kept by a trigger on the ledger (sqlite_schema.c) and by the
 * bulk loader (sqlite_bulk.c). */
iv_status sqlite_item_rows_each(store *st, store_item_row_cb cb, void *ctx, bool *kept)
{
	*kept = true;
	sqlite3_stmt *s = sqlite_statement(st, Q_LEDGER_ITEMS_EACH);
	if (!s)
		return IV_E_STORAGE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (!cb(ctx, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1)))
			break;
	return sqlite_end_rows(st, s, rc, "reading the ledger by item");
}

static sqlite3_stmt *history_stmt(store *st, const store_history_query *q, store_history_kind kind)
{
	sqlite3_stmt *s = sqlite_statement(st, (int)Q_HISTORY + (int)store_history_drive_of(q) * STORE_HIST_KINDS + (int)kind);
	if (!s)
		return NULL;
	sqlite_param_id(s, 1, q->store_id);
	sqlite_param_id(s, 2, q->item_id);
	sqlite_param_id(s, 3, q->reason_id);
	sqlite_param_id(s, 4, q->user_id);
	sqlite_param_text(s, 5, q->from);
	sqlite_param_text(s, 6, q->to);
	sqlite_param_id(s, 7, q->batch);
	if (kind != STORE_HIST_COUNT) {
		sqlite_param_id(s, 8, kind == STORE_HIST_ASC ? q->after_id : q->before_id);
		sqlite3_bind_int64(s, 9, q->limit ? (sqlite3_int64)q->limit : -1);
		if (store_history_drive_of(q) == STORE_HIST_DATE)
			sqlite_param_text(s, 10, q->anchor_tdate);
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
	return sqlite_end_rows(st, s, rc, "reading the history");
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
	sqlite3_stmt *s = sqlite_statement(st, Q_BALANCE_GET);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	int rc = sqlite3_step(s);
	*qty = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return sqlite_end_rows(st, s, rc, "reading a balance");
}

iv_status sqlite_balance_add(store *st, int64_t store_id, int64_t item_id, iv_qty diff)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_BALANCE_ADD);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	sqlite3_bind_int64(s, 3, diff);
	return sqlite_step_done(st, s, "updating a balance");
}

iv_status sqlite_day_add(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty diff)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_DAY_ADD);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	sqlite_param_text(s, 3, tdate);
	sqlite3_bind_int64(s, 4, diff);
	return sqlite_step_done(st, s, "updating a day total");
}

iv_status sqlite_balance_asof(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty *qty)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_BALANCE_ASOF);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	sqlite_param_text(s, 3, tdate);
	int rc = sqlite3_step(s);
	*qty = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return sqlite_end_rows(st, s, rc, "reading a balance");
}

/* n sums from v into the statement many (SQLITE_SUMS_PER_INSERT rows of
 * cols parameters each, bound by bind from at + 1) and the rest one at
 * a time into the statement one (bound by bind_one). */
typedef void (*sum_binder)(sqlite3_stmt *s, int at, const store_sum *v, int64_t user_id);

static iv_status add_sums(store *st, query many, sum_binder bind, int cols, query one, sum_binder bind_one,
                          const store_sum *v, size_t n, int64_t user_id, const char *doing)
{
	enum { ROWS = SQLITE_SUMS_PER_INSERT };
	size_t k = 0;
	for (; k + ROWS <= n; k += ROWS) {
		sqlite3_stmt *s = sqlite_statement(st, many);
		if (!s)
			return IV_E_STORAGE;
		for (int j = 0; j < ROWS; j++)
			bind(s, j * cols, &v[k + (size_t)j], user_id);
		iv_status rc = sqlite_step_done(st, s, doing);
		if (rc != IV_OK)
			return rc;
	}
	for (; k < n; k++) {
		sqlite3_stmt *s = sqlite_statement(st, one);
		if (!s)
			return IV_E_STORAGE;
		bind_one(s, 0, &v[k], user_id);
		iv_status rc = sqlite_step_done(st, s, doing);
		if (rc != IV_OK)
			return rc;
	}
	return IV_OK;
}

static void bind_balance(sqlite3_stmt *s, int at, const store_sum *v, int64_t user_id)
{
	(void)user_id;
	sqlite3_bind_int64(s, at + 1, v->store_id);
	sqlite3_bind_int64(s, at + 2, v->item_id);
	sqlite3_bind_int64(s, at + 3, v->diff);
}

static void bind_day(sqlite3_stmt *s, int at, const store_sum *v, int64_t user_id)
{
	(void)user_id;
	sqlite3_bind_int64(s, at + 1, v->store_id);
	sqlite3_bind_int64(s, at + 2, v->item_id);
	sqlite_param_text_len(s, at + 3, v->tdate, IV_DATE_ISO_LEN - 1);
	sqlite3_bind_int64(s, at + 4, v->diff);
}

/* Q_USER_DAY_ADD's parameters are (user, store, item, date, diff);
 * the many's rows (store, item, date, user, diff), in the key's order. */
static void bind_user_day(sqlite3_stmt *s, int at, const store_sum *v, int64_t user_id)
{
	sqlite3_bind_int64(s, at + 1, v->store_id);
	sqlite3_bind_int64(s, at + 2, v->item_id);
	sqlite_param_text_len(s, at + 3, v->tdate, IV_DATE_ISO_LEN - 1);
	sqlite3_bind_int64(s, at + 4, user_id);
	sqlite3_bind_int64(s, at + 5, v->diff);
}

static void bind_user_day_one(sqlite3_stmt *s, int at, const store_sum *v, int64_t user_id)
{
	sqlite3_bind_int64(s, at + 1, user_id);
	sqlite3_bind_int64(s, at + 2, v->store_id);
	sqlite3_bind_int64(s, at + 3, v->item_id);
	sqlite_param_text_len(s, at + 4, v->tdate, IV_DATE_ISO_LEN - 1);
	sqlite3_bind_int64(s, at + 5, v->diff);
}

iv_status sqlite_sums_add(store *st, int64_t user_id, const store_sum *v, size_t n)
{
	/* A store and item's balance once per run of its sums. */
	store_sum *b = malloc((n ? n : 1) * sizeof *b);
	if (!b)
		return sqlite_failf(st, IV_E_NOMEM, "out of memory");
	size_t nb = 0;
	for (size_t k = 0; k < n; k++) {
		if (nb && b[nb - 1].store_id == v[k].store_id && b[nb - 1].item_id == v[k].item_id)
			b[nb - 1].diff += v[k].diff;
		else
			b[nb++] = v[k];
	}
	iv_status rc = add_sums(st, Q_BALANCE_ADD_MANY, bind_balance, 3, Q_BALANCE_ADD, bind_balance, b, nb,
	                        user_id, "updating a balance");
	free(b);
	if (rc == IV_OK)
		rc = add_sums(st, Q_DAY_ADD_MANY, bind_day, 4, Q_DAY_ADD, bind_day, v, n, user_id,
		              "updating a day total");
	if (rc == IV_OK)
		rc = add_sums(st, Q_USER_DAY_ADD_MANY, bind_user_day, 5, Q_USER_DAY_ADD, bind_user_day_one, v, n,
		              user_id, "updating a day total");
	return rc;
}

iv_status sqlite_stock_after(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty *sum,
                             iv_qty *lowest)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_STOCK_AFTER);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	sqlite_param_text(s, 3, tdate);
	int rc = sqlite3_step(s);
	*sum = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	*lowest = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
	return sqlite_end_rows(st, s, rc, "reading day totals");
}

iv_status sqlite_days_after(store *st, int64_t store_id, int64_t item_id, const char *tdate,
                           store_day_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_DAYS_AFTER);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	sqlite_param_text(s, 3, tdate);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (!cb(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1)))
			break;
	return sqlite_end_rows(st, s, rc, "reading day totals");
}

/* Rows of store code, item number, description and a quantity. */
static iv_status each_balance_row(store *st, sqlite3_stmt *s, iv_balance_cb cb, void *ctx, const char *doing)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		iv_balance_row row;
		sqlite_text(s, 0, row.store, sizeof row.store);
		sqlite_text(s, 1, row.item, sizeof row.item);
		sqlite_text(s, 2, row.description, sizeof row.description);
		row.net_available = sqlite3_column_int64(s, 3);
		if (!cb(ctx, &row))
			break;
	}
	return sqlite_end_rows(st, s, rc, doing);
}

iv_status sqlite_balances_each(store *st, const char *store_code, int64_t item_id,
                              const char *as_of, iv_balance_cb cb, void *ctx)
{
	query q = (query)((as_of ? Q_BALANCES_ASOF : Q_BALANCES) + BALANCES_SHAPE(store_code, item_id));
	sqlite3_stmt *s = sqlite_statement(st, q);
	if (!s)
		return IV_E_STORAGE;
	if (store_code)
		sqlite_param_text(s, sqlite3_bind_parameter_index(s, ":store"), store_code);
	if (item_id)
		sqlite_param_id(s, sqlite3_bind_parameter_index(s, ":item"), item_id);
	if (as_of)
		sqlite_param_text(s, sqlite3_bind_parameter_index(s, ":asof"), as_of);
	return each_balance_row(st, s, cb, ctx, "reading balances");
}

static sqlite3_stmt *stock_stmt(store *st, const store_stock_query *q, int which, char *pattern, size_t size)
{
	sqlite3_stmt *s = sqlite_statement(st, which);
	if (!s)
		return NULL;
	if (q->store_id)
		sqlite3_bind_int64(s, 1, q->store_id);
	else
		sqlite3_bind_null(s, 1);
	sqlite_param_folded(s, 2, q->folded, pattern, size);
	if (which != Q_STOCK_COUNT) {
		sqlite_param_text(s, 3, q->as_of);
		sqlite_param_text(s, 4, q->after_item ? q->after_store : NULL);
		sqlite_param_text(s, 5, q->after_item);
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

iv_status sqlite_user_day_get(store *st, int64_t user_id, int64_t store_id, int64_t item_id,
                              const char *tdate, iv_qty *qty)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_USER_DAY_GET);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, store_id);
	sqlite3_bind_int64(s, 3, item_id);
	sqlite_param_text(s, 4, tdate);
	int rc = sqlite3_step(s);
	*qty = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return sqlite_end_rows(st, s, rc, "reading a day total");
}

iv_status sqlite_user_day_add(store *st, int64_t user_id, int64_t store_id, int64_t item_id,
                              const char *tdate, iv_qty diff)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_USER_DAY_ADD);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, store_id);
	sqlite3_bind_int64(s, 3, item_id);
	sqlite_param_text(s, 4, tdate);
	sqlite3_bind_int64(s, 5, diff);
	return sqlite_step_done(st, s, "updating a day total");
}

iv_status sqlite_pair_sums(store *st, int64_t store_id, int64_t item_id, store_sum_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_PAIR_SUMS);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, store_id);
	sqlite3_bind_int64(s, 2, item_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *tdate = (const char *)sqlite3_column_text(s, 1);
		if (!cb(ctx, (store_sum_kind)sqlite3_column_int(s, 0), tdate, sqlite3_column_int64(s, 2),
		        sqlite3_column_int64(s, 3)))
			break;
	}
	return sqlite_end_rows(st, s, rc, "reading balances");
}

/* ---- batches ---- */

static const char *const rule_names[] = {"delta", "sync", "reversal", "count"};

iv_status sqlite_batch_insert(store *st, const iv_batch *b, int64_t user_id,
                             int64_t reverses_batch, int64_t *id)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_BATCH_INSERT);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, b->file_name);
	sqlite_param_text(s, 2, b->sha256);
	sqlite_param_text(s, 3, rule_names[b->rule]);
	sqlite3_bind_int64(s, 4, user_id);
	sqlite_param_text(s, 5, b->recorded_at);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)b->rows);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)b->posted);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)b->unchanged);
	sqlite_param_id(s, 9, reverses_batch);
	iv_status rc = sqlite_step_done(st, s, "recording the upload batch");
	if (rc == IV_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

iv_status sqlite_batch_finish(store *st, int64_t id, uint64_t rows, uint64_t posted, uint64_t unchanged)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_BATCH_FINISH);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)rows);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)posted);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)unchanged);
	return sqlite_step_done(st, s, "recording the upload batch");
}

iv_status sqlite_batch_find_sha(store *st, const char *sha256, int64_t *id)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_BATCH_FIND_SHA);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, sha256);
	int rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return sqlite_end_rows(st, s, rc, "looking up earlier uploads");
}

iv_status sqlite_batch_get(store *st, int64_t id, iv_batch *out)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_BATCH_GET);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(s, 0);
		sqlite_text(s, 1, out->file_name, sizeof out->file_name);
		sqlite_text(s, 2, out->sha256, sizeof out->sha256);
		const char *rule = (const char *)sqlite3_column_text(s, 3);
		out->rule = IV_RULE_DELTA;
		for (int i = 0; i < (int)(sizeof rule_names / sizeof rule_names[0]); i++)
			if (rule && strcmp(rule, rule_names[i]) == 0)
				out->rule = (iv_rule)i;
		sqlite_text(s, 4, out->user, sizeof out->user);
		sqlite_text(s, 5, out->recorded_at, sizeof out->recorded_at);
		out->rows = (uint64_t)sqlite3_column_int64(s, 6);
		out->posted = (uint64_t)sqlite3_column_int64(s, 7);
		out->unchanged = (uint64_t)sqlite3_column_int64(s, 8);
		out->reverses_batch = sqlite3_column_int64(s, 9);
		out->reversed_by_batch = sqlite3_column_int64(s, 10);
	}
	iv_status status = sqlite_end_rows(st, s, rc, "reading an upload batch");
	if (status == IV_OK && rc != SQLITE_ROW)
		return sqlite_failf(st, IV_E_NOT_FOUND, "there is no upload batch #%lld", (long long)id);
	return status;
}

iv_status sqlite_batch_finish_upload(store *st, int64_t id, const char *sha256, uint64_t rows,
                                    uint64_t posted, uint64_t unchanged)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_BATCH_FINISH_UPLOAD);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	sqlite_param_text(s, 2, sha256);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)rows);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)posted);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)unchanged);
	return sqlite_step_done(st, s, "recording the upload batch");
}
