/* Bulk writes on PostgreSQL: an upload of a million rows must not pay a
 * network round trip per row.  In bulk mode (store_bulk_mode) ledger
 * rows are gathered in COPY text format and balance and day-total
 * additions as arrays; they are written with one COPY and one
 * INSERT ... SELECT FROM unnest(...) each, before any statement that
 * would read them and at commit, so the engine sees no difference.
 * Copying a whole database (migrate) uses the same COPY path.
 *
 * The COPY of a load is one statement however many rows it has: once
 * COPY_SEND_BYTES have piled up they are sent and the COPY stays open
 * (the client's memory stays flat), and it ends only when the
 * connection is wanted for another statement or at commit.  The
 * server's statement triggers on the ledger (who writes, approvals,
 * the sums) then run once over the whole upload: a million rows into
 * 100,000 keys are summed into 100,000 upserts, not into one batch of
 * upserts per few megabytes sent (a 1,000,000-row upload: 57 s in
 * twenty COPYs, see docs/deployment.md for one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"

/* Send the gathered rows once this much has piled up. */
#define COPY_SEND_BYTES (8u << 20)
#define SUMS_FLUSH_KEYS 200000

static const char *const copy_sql[STORE_T_COUNT] = {
	[STORE_T_STORES] = "COPY stores(id, code, name, allow_negative, approval_threshold, tz) FROM STDIN",
	[STORE_T_ITEMS] = "COPY items(id, number, description, upc, barcode, alt1, alt2, alt3, unit_cost, "
	                  "cost_from) FROM STDIN",
	[STORE_T_REASONS] = "COPY reasons(id, code, description) FROM STDIN",
	[STORE_T_USERS] = "COPY users(id, name, role, pin_hash, "
	                  "created_at, disabled_at, disabled_by, pin_set_at, pin_set_by) FROM STDIN",
	[STORE_T_BATCHES] = "COPY batches(id, file_name, sha256, rule, user_id, recorded_at, rows, "
	                    "posted, unchanged, reverses_batch, first_id, last_id) FROM STDIN",
	[STORE_T_EVENTS] = "COPY events(id, seq, kind, entity_id, entity_key, action, state, recorded_at, "
	                   "user_id, hash_version, hash) FROM STDIN",
	[STORE_T_LEDGER] = "COPY ledger(id, document, store_id, item_id, reason_id, diff, tdate, "
	                   "recorded_at, user_id, approved_by, reverses, batch_id, memo, hash, seq, "
	                   "item_number, hash_version) FROM STDIN",
	[STORE_T_BALANCES] = "COPY balances(store_id, item_id, qty) FROM STDIN",
	[STORE_T_DAY_TOTALS] = "COPY day_totals(store_id, item_id, tdate, diff) FROM STDIN",
	[STORE_T_USER_DAYS] = "COPY user_days(store_id, item_id, tdate, user_id, diff) FROM STDIN",
	[STORE_T_COUNTS] = "COPY counts(id, store_id, blind, scope, memo, user_id, started_at, count_day, "
	                   "start_seq) FROM STDIN",
	[STORE_T_COUNT_ITEMS] = "COPY count_items(count_id, item_id) FROM STDIN",
	[STORE_T_COUNT_SCANS] = "COPY count_scans(id, count_id, item_id, kind, qty, seq, undoes, user_id, "
	                        "recorded_at) FROM STDIN",
	[STORE_T_COUNT_ENDS] = "COPY count_ends(count_id, status, batch_id, zero_uncounted, accept_moved, "
	                       "user_id, recorded_at) FROM STDIN",
	[STORE_T_ITEM_COSTS] = "COPY item_costs(item_id, effective, unit_cost) FROM STDIN",
	[STORE_T_REPORT_ITEMS] = "COPY report_items(tdate, store_id, item_id, reason_id, user_id, cancelled, "
	                         "lines, added, removed, value, unvalued) FROM STDIN",
	[STORE_T_REPORT_DAYS] = "COPY report_days(tdate, store_id, reason_id, user_id, cancelled, lines, "
	                        "added, removed, value, unvalued) FROM STDIN",
};

/* ---- buffers ---- */

static bool grow(pg_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *p = realloc(b->buf, cap);
	if (!p)
		return false;
	b->buf = p;
	b->cap = cap;
	return true;
}

static bool put(pg_buf *b, const char *s, size_t n)
{
	if (!grow(b, n))
		return false;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return true;
}

static bool put_int(pg_buf *b, int64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof num, "%lld", (long long)v);
	return put(b, num, (size_t)n);
}

/* A COPY text field: backslash, tab, newline and carriage return are
 * escaped; NULL is \N. */
static bool put_field(pg_buf *b, const char *v)
{
	if (!v)
		return put(b, "\\N", 2);
	for (const char *p = v; *p; p++) {
		const char *esc = NULL;
		switch (*p) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		}
		if (!(esc ? put(b, esc, 2) : put(b, p, 1)))
			return false;
	}
	return true;
}

/* An array literal element list: "{1,2,3" (closed when sent). */
static bool put_elem(pg_buf *b, const char *v, size_t n)
{
	return put(b, b->len ? "," : "{", 1) && put(b, v, n);
}

static bool put_elem_int(pg_buf *b, int64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof num, "%lld", (long long)v);
	return put_elem(b, num, (size_t)n);
}

/* ---- writing what was deferred ---- */

static iv_status end_copy(pg_store *pg, const char *abort);
/* end_copy's abort on a rollback: the failure it causes is no news. */
static const char abandoned[] = "the save was abandoned";

/* Sends the gathered rows, starting the COPY if none is open. */
static iv_status send_copy(pg_store *pg)
{
	const char *doing = pg->copy_ledger ? "adding to the ledger" : "copying rows";
	if (!pg->copy_open) {
		iv_status rc = pg_pipeline_leave(pg); /* a COPY cannot run in a pipeline */
		PGresult *res = rc == IV_OK ? PQexec(pg->conn, pg->copy_sql) : NULL;
		if (rc == IV_OK)
			rc = PQresultStatus(res) == PGRES_COPY_IN ? IV_OK : pg_fail_result(pg, res, doing);
		PQclear(res);
		if (rc != IV_OK) {
			pg->copy.len = 0;
			return rc;
		}
		pg->copy_open = true;
	}
	bool sent = !pg->copy.len || PQputCopyData(pg->conn, pg->copy.buf, (int)pg->copy.len) == 1;
	pg->copy.len = 0;
	/* The server refused the rows already (it said why): end the COPY
	 * to hear it. */
	return sent ? IV_OK : end_copy(pg, "the rows could not be sent");
}

/* Ends the open COPY (sending what is gathered first); the server's
 * triggers on the table run now, over every row the COPY carried.
 * abort: end it as failed (nothing it carried is kept). */
static iv_status end_copy(pg_store *pg, const char *abort)
{
	iv_status rc = IV_OK;
	if (!abort && pg->copy.len)
		rc = send_copy(pg); /* ends the COPY itself when the server refused */
	if (!pg->copy_open)
		return rc;
	const char *doing = pg->copy_ledger ? "adding to the ledger" : "copying rows";
	pg->copy_open = false;
	pg->copy.len = 0;
	PQputCopyEnd(pg->conn, abort);
	PGresult *res;
	while ((res = PQgetResult(pg->conn)) != NULL) {
		if (rc == IV_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = abort == abandoned ? IV_E_STORAGE : pg_fail_result(pg, res, doing);
		PQclear(res);
	}
	/* The server added the rows' sums: a map of balances read before is
	 * behind. */
	if (pg->copy_ledger && pg->sums_by_server)
		pg_forget_balances(pg);
	return rc;
}

static iv_status flush_copy(pg_store *pg)
{
	return pg->copy.len || pg->copy_open ? end_copy(pg, NULL) : IV_OK;
}

static void close_array(pg_buf *b)
{
	put(b, "}", 1);
}

static iv_status flush_sums(pg_store *pg)
{
	iv_status rc = IV_OK;
	if (pg->nbal) {
		pg->nbal = 0; /* before running: the statement itself reads no deferred sums */
		pg_params p = {0};
		for (int i = 0; i < 3; i++) {
			close_array(&pg->bal[i]);
			pg_param_text(&p, pg->bal[i].buf);
		}
		rc = pg_exec(pg, PQ_BALANCE_ADD_MANY, &p, NULL, "updating balances");
		for (int i = 0; i < 3; i++)
			pg->bal[i].len = 0;
	}
	if (pg->nday) {
		pg->nday = 0;
		pg_params p = {0};
		for (int i = 0; i < 4; i++) {
			close_array(&pg->day[i]);
			pg_param_text(&p, pg->day[i].buf);
		}
		if (rc == IV_OK)
			rc = pg_exec(pg, PQ_DAY_ADD_MANY, &p, NULL, "updating day totals");
		for (int i = 0; i < 4; i++)
			pg->day[i].len = 0;
	}
	if (pg->nuday) {
		pg->nuday = 0;
		pg_params p = {0};
		for (int i = 0; i < 5; i++) {
			close_array(&pg->uday[i]);
			pg_param_text(&p, pg->uday[i].buf);
		}
		if (rc == IV_OK)
			rc = pg_exec(pg, PQ_USER_DAY_ADD_MANY, &p, NULL, "updating day totals");
		for (int i = 0; i < 5; i++)
			pg->uday[i].len = 0;
	}
	if (pg->nritems) {
		pg->nritems = 0;
		pg_params p = {0};
		for (int i = 0; i < 11; i++) {
			close_array(&pg->ritems[i]);
			pg_param_text(&p, pg->ritems[i].buf);
		}
		if (rc == IV_OK)
			rc = pg_exec(pg, PQ_REPORT_ADD_ITEMS_MANY, &p, NULL, "updating the report summaries");
		for (int i = 0; i < 11; i++)
			pg->ritems[i].len = 0;
	}
	if (pg->nrdays) {
		pg->nrdays = 0;
		pg_params p = {0};
		for (int i = 0; i < 10; i++) {
			close_array(&pg->rdays[i]);
			pg_param_text(&p, pg->rdays[i].buf);
		}
		if (rc == IV_OK)
			rc = pg_exec(pg, PQ_REPORT_ADD_DAYS_MANY, &p, NULL, "updating the report summaries");
		for (int i = 0; i < 10; i++)
			pg->rdays[i].len = 0;
	}
	return rc;
}

iv_status pg_flush(pg_store *pg)
{
	iv_status rc = flush_copy(pg);
	iv_status rc2 = flush_sums(pg);
	return rc != IV_OK ? rc : rc2;
}

/* Which statements read (or must be ordered after) deferred writes. */
static bool reads_ledger(pg_query q)
{
	if (q >= PQ_HISTORY && q <= PQ_HISTORY_LAST)
		return true;
	switch (q) {
	case PQ_LEDGER_LAST_ID: case PQ_CHAIN_HEAD: case PQ_CHAIN_ROW: case PQ_CHAIN_HEADS:
	case PQ_LEDGER_INSERT: case PQ_LEDGER_GET: case PQ_LEDGER_REVERSED_BY:
	case PQ_LEDGER_AUDIT_PAGE: case PQ_LEDGER_PAGE_IN_BATCH:
	case PQ_TABLE_COUNT_LEDGER: case PQ_TABLE_PAGE_LEDGER: case PQ_LEDGER_BAD_REF:
	case PQ_BATCH_INSERT: case PQ_BATCH_FINISH: case PQ_BATCH_FINISH_UPLOAD:
		return true;
	default:
		return false;
	}
}

static bool reads_sums(pg_query q)
{
	switch (q) {
	case PQ_BALANCE_ALL: case PQ_BALANCE_GET: case PQ_BALANCE_ADD: case PQ_DAY_ADD: case PQ_BALANCE_ASOF:
	case PQ_DAYS_AFTER: case PQ_STOCK_AFTER: case PQ_PAIR_SUMS: case PQ_USER_DAY_GET: case PQ_USER_DAY_ADD:
	case PQ_BALANCES: case PQ_BALANCES_OF_STORE: case PQ_BALANCES_OF_ITEM: case PQ_BALANCES_OF_PAIR:
	case PQ_BALANCES_ASOF: case PQ_BALANCES_ASOF_OF_STORE: case PQ_BALANCES_ASOF_OF_ITEM:
	case PQ_BALANCES_ASOF_OF_PAIR: case PQ_TABLE_COUNT_BALANCES:
	case PQ_TABLE_COUNT_DAY_TOTALS: case PQ_TABLE_EACH_BALANCES: case PQ_TABLE_EACH_DAY_TOTALS:
	case PQ_TABLE_COUNT_USER_DAYS: case PQ_TABLE_EACH_USER_DAYS:
	case PQ_REPORT_ADD_ITEMS: case PQ_REPORT_ADD_DAYS: case PQ_REPORT_DAYS: case PQ_REPORT_ITEMS:
	case PQ_REPORT_REVALUE_ITEMS: case PQ_REPORT_REVALUE_DAYS:
	case PQ_REPORT_ITEMS_OF_ITEM: case PQ_REPORT_AUDIT_ITEMS: case PQ_REPORT_AUDIT_DAYS:
	case PQ_TABLE_COUNT_REPORT_ITEMS: case PQ_TABLE_COUNT_REPORT_DAYS:
	case PQ_TABLE_EACH_REPORT_ITEMS: case PQ_TABLE_EACH_REPORT_DAYS:
		return true;
	default:
		return false;
	}
}

iv_status pg_flush_for(pg_store *pg, pg_query q)
{
	iv_status rc = IV_OK;
	/* Deferred ledger rows wait for a statement that reads the ledger
	 * (or the sums the server adds for them); rows of a copied table
	 * (migrate) for any statement. */
	if (pg->copy_open || (pg->copy.len && (!pg->copy_ledger || reads_ledger(q) ||
	                                       (pg->sums_by_server && reads_sums(q)))))
		rc = flush_copy(pg); /* an open COPY holds the connection: any statement ends it */
	if (rc == IV_OK && (pg->nbal || pg->nday || pg->nuday || pg->nritems || pg->nrdays) && reads_sums(q))
		rc = flush_sums(pg);
	return rc;
}

void pg_forget_balances(pg_store *pg)
{
	hmap_free(pg->balances);
	pg->balances = NULL;
	pg->balance_reads = 0;
}

/* After this many single reads in one bulk transaction, read them all. */
#define BALANCE_CACHE_AFTER 64

iv_status pg_balance_cached(pg_store *pg, int64_t store_id, int64_t item_id, iv_qty *qty, bool *found)
{
	*found = false;
	if (!pg->in_txn || !(pg->bulk || pg->read_only))
		return IV_OK;
	if (!pg->balances) {
		if (++pg->balance_reads <= BALANCE_CACHE_AFTER)
			return IV_OK;
		PGresult *res;
		iv_status rc = pg_exec(pg, PQ_BALANCE_ALL, NULL, &res, "reading balances");
		if (rc != IV_OK)
			return rc;
		pg->balances = hmap_new();
		for (int i = 0; pg->balances && i < PQntuples(res); i++) {
			int64_t key[2] = {pg_int(res, i, 0), pg_int(res, i, 1)};
			int64_t *v = hmap_put(pg->balances, key, sizeof key, 0, NULL);
			if (!v) {
				hmap_free(pg->balances);
				pg->balances = NULL;
			} else {
				*v = pg_int(res, i, 2);
			}
		}
		PQclear(res);
		if (!pg->balances) /* no memory for the map: single reads it is */
			return IV_OK;
	}
	int64_t key[2] = {store_id, item_id};
	const int64_t *v = hmap_get(pg->balances, key, sizeof key);
	*qty = v ? *v : 0; /* no row: no movement yet */
	*found = true;
	return IV_OK;
}

void pg_discard(pg_store *pg)
{
	pg_forget_balances(pg);
	if (pg->copy_open)
		end_copy(pg, abandoned); /* the rollback that follows drops its rows */
	pg->copy.len = 0;
	pg->nbal = pg->nday = pg->nuday = pg->nritems = pg->nrdays = 0;
	for (int i = 0; i < 11; i++)
		pg->ritems[i].len = 0;
	for (int i = 0; i < 10; i++)
		pg->rdays[i].len = 0;
	for (int i = 0; i < 5; i++)
		pg->uday[i].len = 0;
	for (int i = 0; i < 3; i++)
		pg->bal[i].len = 0;
	for (int i = 0; i < 4; i++)
		pg->day[i].len = 0;
}

/* ---- deferring ---- */

static iv_status nomem(pg_store *pg)
{
	pg_discard(pg);
	return pg_failf(pg, IV_E_NOMEM, "out of memory while gathering rows for the database");
}

/* Starts a COPY row for table t, writing rows gathered for another
 * table first. */
static iv_status start_row(pg_store *pg, store_table t)
{
	iv_status rc = IV_OK;
	if ((pg->copy.len || pg->copy_open) && pg->copy_sql != copy_sql[t])
		rc = flush_copy(pg);
	pg->copy_sql = copy_sql[t];
	pg->copy_ledger = t == STORE_T_LEDGER;
	return rc;
}

static iv_status end_row(pg_store *pg)
{
	if (!put(&pg->copy, "\n", 1))
		return nomem(pg);
	return pg->copy.len >= COPY_SEND_BYTES ? send_copy(pg) : IV_OK;
}

static bool put_ref(pg_buf *b, int64_t id)
{
	return id ? put_int(b, id) : put(b, "\\N", 2);
}

iv_status pg_defer_ledger(pg_store *pg, const store_ledger_rec *r)
{
	iv_status rc = start_row(pg, STORE_T_LEDGER);
	if (rc != IV_OK)
		return rc;
	char hex[3 + IV_HASH_HEX] = "\\\\x"; /* bytea's escaped \x, the hash in hex */
	store_hash_hex(r->hash, hex + 3);
	pg_buf *b = &pg->copy;
	bool ok = put_int(b, r->id) && put(b, "\t", 1) && put_int(b, r->document) && put(b, "\t", 1) &&
	          put_int(b, r->store_id) && put(b, "\t", 1) && put_int(b, r->item_id) &&
	          put(b, "\t", 1) && put_int(b, r->reason_id) && put(b, "\t", 1) &&
	          put_int(b, r->diff) && put(b, "\t", 1) && put_field(b, r->tdate) && put(b, "\t", 1) &&
	          put_field(b, r->recorded_at) && put(b, "\t", 1) && put_int(b, r->user_id) &&
	          put(b, "\t", 1) && put_ref(b, r->approved_by) && put(b, "\t", 1) &&
	          put_ref(b, r->reverses) && put(b, "\t", 1) && put_ref(b, r->batch_id) &&
	          put(b, "\t", 1) && put_field(b, r->memo ? r->memo : "") && put(b, "\t", 1) &&
	          put(b, hex, sizeof hex - 1) && put(b, "\t", 1) && put_int(b, r->seq) && put(b, "\t", 1) &&
	          put_field(b, r->item_number ? r->item_number : "") && put(b, "\t", 1) &&
	          put_int(b, r->hash_version);
	return ok ? end_row(pg) : nomem(pg);
}

iv_status pg_defer_balance(pg_store *pg, int64_t store_id, int64_t item_id, iv_qty diff)
{
	pg_forget_balances(pg);
	if (!put_elem_int(&pg->bal[0], store_id) || !put_elem_int(&pg->bal[1], item_id) ||
	    !put_elem_int(&pg->bal[2], diff))
		return nomem(pg);
	return ++pg->nbal >= SUMS_FLUSH_KEYS ? flush_sums(pg) : IV_OK;
}

/* A date as an element of an array literal: quoted, with its quotes
 * and backslashes escaped (a date has none, but a file may lie). */
static size_t quote_date(const char *tdate, char *quoted, size_t size)
{
	size_t n = 0;
	quoted[n++] = '"';
	for (const char *p = tdate; *p && n + 3 < size; p++) {
		if (*p == '"' || *p == '\\')
			quoted[n++] = '\\';
		quoted[n++] = *p;
	}
	quoted[n++] = '"';
	return n;
}

iv_status pg_defer_user_day(pg_store *pg, int64_t user_id, int64_t store_id, int64_t item_id,
                            const char *tdate, iv_qty diff)
{
	char quoted[2 * IV_DATE_ISO_LEN + 4];
	size_t n = quote_date(tdate, quoted, sizeof quoted);
	if (!put_elem_int(&pg->uday[0], store_id) || !put_elem_int(&pg->uday[1], item_id) ||
	    !put_elem(&pg->uday[2], quoted, n) || !put_elem_int(&pg->uday[3], user_id) ||
	    !put_elem_int(&pg->uday[4], diff))
		return nomem(pg);
	return ++pg->nuday >= SUMS_FLUSH_KEYS ? flush_sums(pg) : IV_OK;
}

iv_status pg_defer_day(pg_store *pg, int64_t store_id, int64_t item_id, const char *tdate, iv_qty diff)
{
	char quoted[2 * IV_DATE_ISO_LEN + 4];
	size_t n = quote_date(tdate, quoted, sizeof quoted);
	if (!put_elem_int(&pg->day[0], store_id) || !put_elem_int(&pg->day[1], item_id) ||
	    !put_elem(&pg->day[2], quoted, n) || !put_elem_int(&pg->day[3], diff))
		return nomem(pg);
	return ++pg->nday >= SUMS_FLUSH_KEYS ? flush_sums(pg) : IV_OK;
}

iv_status pg_defer_report(pg_store *pg, bool items, const store_report_row *r)
{
	char quoted[2 * IV_DATE_ISO_LEN + 4];
	size_t n = quote_date(r->tdate, quoted, sizeof quoted);
	pg_buf *b = items ? pg->ritems : pg->rdays;
	int64_t cols[10] = {r->store_id, r->item_id, r->reason_id, r->user_id, r->cancelled,
	                    r->lines, r->added, r->removed, r->value, r->unvalued};
	bool ok = put_elem(&b[0], quoted, n);
	for (int c = 0, k = 1; ok && c < 10; c++) {
		if (c == 1 && !items)
			continue; /* report_days has no item */
		ok = put_elem_int(&b[k++], cols[c]);
	}
	if (!ok)
		return nomem(pg);
	size_t *count = items ? &pg->nritems : &pg->nrdays;
	return ++*count >= SUMS_FLUSH_KEYS ? flush_sums(pg) : IV_OK;
}

/* ---- copying whole tables ---- */

/* Items have unit costs from schema 7 on; the engine reads them without
 * while migrating from 4 to 5 (iv_upgrade).  Once seen, for good. */
static bool items_costed(store *st)
{
	pg_store *pg = pg_of(st);
	return pg->items_costed || (pg->items_costed = pg_schema_version(st) >= 7);
}

iv_status pg_table_insert(store *st, store_table t, const char *const *vals, int ncols)
{
	pg_store *pg = pg_of(st);
	if (ncols != store_table_cols[t])
		return pg_failf(pg, IV_E_INVALID, "copying %s: %d columns where %d were expected",
		                store_table_names[t], ncols, store_table_cols[t]);
	iv_status rc = start_row(pg, t);
	if (rc != IV_OK)
		return rc;
	pg_buf *b = &pg->copy;
	for (int c = 0; c < ncols; c++) {
		bool ok = c == 0 || put(b, "\t", 1);
		/* A hash arrives as hex; bytea's input form is \x and hex. */
		if (ok && ((t == STORE_T_LEDGER && c == 13) || (t == STORE_T_EVENTS && c == 10)) && vals[c])
			ok = put(b, "\\\\x", 3);
		if (!ok || !put_field(b, vals[c]))
			return nomem(pg);
	}
	rc = end_row(pg);
	/* Outside bulk mode a row is written at once, as any other insert. */
	return rc == IV_OK && !pg->bulk ? flush_copy(pg) : rc;
}

static const pg_query count_q[STORE_T_COUNT] = {
	PQ_TABLE_COUNT_STORES,   PQ_TABLE_COUNT_ITEMS,   PQ_TABLE_COUNT_REASONS,
	PQ_TABLE_COUNT_USERS,    PQ_TABLE_COUNT_BATCHES, PQ_TABLE_COUNT_EVENTS,
	PQ_TABLE_COUNT_LEDGER,   PQ_TABLE_COUNT_BALANCES, PQ_TABLE_COUNT_DAY_TOTALS,
	PQ_TABLE_COUNT_USER_DAYS, PQ_TABLE_COUNT_COUNTS, PQ_TABLE_COUNT_COUNT_ITEMS,
	PQ_TABLE_COUNT_COUNT_SCANS, PQ_TABLE_COUNT_COUNT_ENDS, PQ_TABLE_COUNT_ITEM_COSTS,
	PQ_TABLE_COUNT_REPORT_ITEMS, PQ_TABLE_COUNT_REPORT_DAYS,
};

iv_status pg_table_count(store *st, store_table t, int64_t *n)
{
	pg_store *pg = pg_of(st);
	PGresult *res;
	iv_status rc = pg_exec(pg, count_q[t], NULL, &res, "counting rows");
	*n = rc == IV_OK ? pg_int(res, 0, 0) : 0;
	PQclear(res);
	return rc;
}

static bool each_row(PGresult *res, int ncols, store_row_cb cb, void *ctx, int *rows)
{
	const char *vals[STORE_TABLE_MAX_COLS];
	*rows = PQntuples(res);
	for (int i = 0; i < *rows; i++) {
		for (int c = 0; c < ncols; c++)
			vals[c] = PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
		if (!cb(ctx, vals, ncols))
			return false;
	}
	return true;
}

iv_status pg_table_each(store *st, store_table t, store_row_cb cb, void *ctx)
{
	static const pg_query each_q[STORE_T_COUNT] = {
		PQ_TABLE_EACH_STORES,   PQ_TABLE_EACH_ITEMS,   PQ_TABLE_EACH_REASONS,
		PQ_TABLE_EACH_USERS,    PQ_TABLE_EACH_BATCHES, PQ_TABLE_PAGE_EVENTS,
		PQ_TABLE_PAGE_LEDGER,   PQ_TABLE_EACH_BALANCES, PQ_TABLE_EACH_DAY_TOTALS,
		PQ_TABLE_EACH_USER_DAYS, PQ_TABLE_EACH_COUNTS, PQ_TABLE_EACH_COUNT_ITEMS,
		PQ_TABLE_PAGE_COUNT_SCANS, PQ_TABLE_EACH_COUNT_ENDS, PQ_TABLE_EACH_ITEM_COSTS,
		PQ_TABLE_EACH_REPORT_ITEMS, PQ_TABLE_EACH_REPORT_DAYS,
	};
	bool paged = t == STORE_T_LEDGER || t == STORE_T_EVENTS || t == STORE_T_COUNT_SCANS;
	pg_store *pg = pg_of(st);
	pg_query q = t == STORE_T_ITEMS && !items_costed(st) ? PQ_TABLE_EACH_ITEMS_5 : each_q[t];
	int64_t after = 0;
	for (;;) {
		pg_params p = {0};
		if (paged) {
			pg_param_int(&p, after);
			pg_param_int(&p, PG_PAGE_ROWS);
		}
		PGresult *res;
		iv_status rc = pg_exec(pg, q, &p, &res, "reading rows to copy");
		if (rc != IV_OK)
			return rc;
		int rows;
		bool go_on = each_row(res, store_table_cols[t], cb, ctx, &rows);
		if (rows > 0)
			after = pg_int(res, rows - 1, 0);
		PQclear(res);
		if (!go_on || !paged || rows < PG_PAGE_ROWS)
			return IV_OK;
	}
}

iv_status pg_master_row(store *st, store_table t, int64_t id, store_row_cb cb, void *ctx)
{
	static const pg_query row_q[] = {
		[STORE_T_STORES] = PQ_ROW_STORES, [STORE_T_ITEMS] = PQ_ROW_ITEMS,
		[STORE_T_REASONS] = PQ_ROW_REASONS, [STORE_T_USERS] = PQ_ROW_USERS,
		[STORE_T_BATCHES] = PQ_ROW_BATCHES,
	};
	pg_store *pg = pg_of(st);
	if ((unsigned)t > STORE_T_BATCHES)
		return pg_failf(pg, IV_E_INVALID, "%s is not master data", store_table_names[t]);
	pg_params p = {0};
	pg_param_int(&p, id);
	PGresult *res;
	pg_query q = t == STORE_T_ITEMS && !items_costed(st) ? PQ_ROW_ITEMS_5 : row_q[t];
	iv_status rc = pg_exec(pg, q, &p, &res, "reading master data");
	if (rc != IV_OK)
		return rc;
	int rows;
	each_row(res, store_table_cols[t], cb, ctx, &rows);
	PQclear(res);
	return rows ? IV_OK : IV_E_NOT_FOUND;
}

iv_status pg_copy_finish(store *st)
{
	return pg_exec(pg_of(st), PQ_COPY_FINISH, NULL, NULL, "setting the next ids");
}
