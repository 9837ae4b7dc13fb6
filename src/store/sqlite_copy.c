/* Copying whole tables (store.h: store_table_*, used by migrate and
 * verify), and a master row by id (store_master_row: events), on
 * SQLite.  These statements run once per copy or per change of master
 * data, not per ledger row, so they are prepared per call; they are
 * kept in their own table here until they join sqlite_sql.c's. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

#define STORES_SELECT "SELECT id, code, name, allow_negative, approval_threshold, tz FROM stores "
#define ITEMS_SELECT "SELECT id, number, description, upc, barcode, alt1, alt2, alt3, unit_cost, " \
                     "cost_from FROM items "
/* Items as schema 5 has them, without unit costs: the engine reads them
 * while migrating from 4 to 5 (iv_upgrade), before migration 7 adds
 * the columns. */
#define ITEMS_SELECT_5 "SELECT id, number, description, upc, barcode, alt1, alt2, alt3, NULL, NULL FROM items "
#define ITEMS_COSTS_SINCE 7
#define REASONS_SELECT "SELECT id, code, description FROM reasons "
#define USERS_SELECT "SELECT id, name, role, pin_hash, created_at, disabled_at, disabled_by, " \
                     "pin_set_at, pin_set_by FROM users "
#define BATCHES_SELECT "SELECT id, file_name, sha256, rule, user_id, recorded_at, rows, posted, " \
                       "unchanged, reverses_batch, first_id, last_id FROM batches "

static const char *const each_sql[STORE_T_COUNT] = {
	[STORE_T_STORES] = STORES_SELECT "ORDER BY id",
	[STORE_T_ITEMS] = ITEMS_SELECT "ORDER BY id",
	[STORE_T_REASONS] = REASONS_SELECT "ORDER BY id",
	[STORE_T_USERS] = USERS_SELECT "ORDER BY id",
	[STORE_T_BATCHES] = BATCHES_SELECT "ORDER BY id",
	[STORE_T_EVENTS] = "SELECT id, seq, kind, entity_id, entity_key, action, state, recorded_at, "
	                   "user_id, hash_version, lower(hex(hash)) FROM events ORDER BY id",
	[STORE_T_LEDGER] = "SELECT id, document, store_id, item_id, reason_id, diff, tdate, recorded_at, "
	                   "user_id, approved_by, reverses, batch_id, memo, lower(hex(hash)), seq, "
	                   "item_number, hash_version FROM ledger ORDER BY id",
	[STORE_T_BALANCES] = "SELECT store_id, item_id, qty FROM balances ORDER BY store_id, item_id",
	[STORE_T_DAY_TOTALS] = "SELECT store_id, item_id, tdate, diff FROM day_totals "
	                       "ORDER BY store_id, item_id, tdate",
	[STORE_T_USER_DAYS] = "SELECT store_id, item_id, tdate, user_id, diff FROM user_days "
	                      "ORDER BY store_id, item_id, tdate, user_id",
	[STORE_T_COUNTS] = "SELECT id, store_id, blind, scope, memo, user_id, started_at, count_day, "
	                   "start_seq FROM counts ORDER BY id",
	[STORE_T_COUNT_ITEMS] = "SELECT count_id, item_id FROM count_items ORDER BY count_id, item_id",
	[STORE_T_COUNT_SCANS] = "SELECT id, count_id, item_id, kind, qty, seq, undoes, user_id, recorded_at "
	                        "FROM count_scans ORDER BY id",
	[STORE_T_COUNT_ENDS] = "SELECT count_id, status, batch_id, zero_uncounted, accept_moved, user_id, "
	                       "recorded_at FROM count_ends ORDER BY count_id",
	[STORE_T_ITEM_COSTS] = "SELECT item_id, effective, unit_cost FROM item_costs ORDER BY item_id, effective",
	[STORE_T_REPORT_ITEMS] = "SELECT tdate, store_id, item_id, reason_id, user_id, cancelled, lines, "
	                         "added, removed, value, unvalued FROM report_items "
	                         "ORDER BY tdate, store_id, item_id, reason_id, user_id, cancelled",
	[STORE_T_REPORT_DAYS] = "SELECT tdate, store_id, reason_id, user_id, cancelled, lines, added, "
	                        "removed, value, unvalued FROM report_days "
	                        "ORDER BY tdate, store_id, reason_id, user_id, cancelled",
};

/* One master row by id (store_master_row). */
static const char *const row_sql[STORE_T_COUNT] = {
	[STORE_T_STORES] = STORES_SELECT "WHERE id = ?1",
	[STORE_T_ITEMS] = ITEMS_SELECT "WHERE id = ?1",
	[STORE_T_REASONS] = REASONS_SELECT "WHERE id = ?1",
	[STORE_T_USERS] = USERS_SELECT "WHERE id = ?1",
	[STORE_T_BATCHES] = BATCHES_SELECT "WHERE id = ?1",
};

static const char *const insert_sql[STORE_T_COUNT] = {
	[STORE_T_STORES] = "INSERT INTO stores(id, code, name, allow_negative, approval_threshold, tz) "
	                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STORE_T_ITEMS] = "INSERT INTO items(id, number, description, upc, barcode, alt1, alt2, alt3, "
	                  "unit_cost, cost_from) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[STORE_T_REASONS] = "INSERT INTO reasons(id, code, description) VALUES (?1, ?2, ?3)",
	[STORE_T_USERS] = "INSERT INTO users(id, name, role, pin_hash, "
	                  "created_at, disabled_at, disabled_by, pin_set_at, pin_set_by) "
	                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[STORE_T_BATCHES] = "INSERT INTO batches(id, file_name, sha256, rule, user_id, recorded_at, rows, "
	                    "posted, unchanged, reverses_batch, first_id, last_id) "
	                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[STORE_T_EVENTS] = "INSERT INTO events(id, seq, kind, entity_id, entity_key, action, state, "
	                   "recorded_at, user_id, hash_version, hash) "
	                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[STORE_T_LEDGER] = "INSERT INTO ledger(id, document, store_id, item_id, reason_id, diff, tdate, "
	                   "recorded_at, user_id, approved_by, reverses, batch_id, memo, hash, seq, "
	                   "item_number, hash_version) "
	                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
	[STORE_T_BALANCES] = "INSERT INTO balances(store_id, item_id, qty) VALUES (?1, ?2, ?3)",
	[STORE_T_DAY_TOTALS] = "INSERT INTO day_totals(store_id, item_id, tdate, diff) VALUES (?1, ?2, ?3, ?4)",
	[STORE_T_USER_DAYS] = "INSERT INTO user_days(store_id, item_id, tdate, user_id, diff) "
	                      "VALUES (?1, ?2, ?3, ?4, ?5)",
	[STORE_T_COUNTS] = "INSERT INTO counts(id, store_id, blind, scope, memo, user_id, started_at, "
	                   "count_day, start_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[STORE_T_COUNT_ITEMS] = "INSERT INTO count_items(count_id, item_id) VALUES (?1, ?2)",
	[STORE_T_COUNT_SCANS] = "INSERT INTO count_scans(id, count_id, item_id, kind, qty, seq, undoes, "
	                        "user_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[STORE_T_COUNT_ENDS] = "INSERT INTO count_ends(count_id, status, batch_id, zero_uncounted, "
	                       "accept_moved, user_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STORE_T_ITEM_COSTS] = "INSERT INTO item_costs(item_id, effective, unit_cost) VALUES (?1, ?2, ?3)",
	[STORE_T_REPORT_ITEMS] = "INSERT INTO report_items(tdate, store_id, item_id, reason_id, user_id, "
	                         "cancelled, lines, added, removed, value, unvalued) "
	                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[STORE_T_REPORT_DAYS] = "INSERT INTO report_days(tdate, store_id, reason_id, user_id, cancelled, "
	                        "lines, added, removed, value, unvalued) "
	                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
};

/* Integer columns of each table, by position: they are bound as
 * integers so that the copy has SQLite's integer type, not text. */
static bool is_int_col(store_table t, int c)
{
	switch (t) {
	case STORE_T_STORES: return c == 0 || c == 3 || c == 4;
	case STORE_T_ITEMS: return c == 0 || c == 8;
	case STORE_T_REASONS: return c == 0;
	case STORE_T_USERS: return c == 0 || c == 6 || c == 8;
	case STORE_T_BATCHES: return c == 0 || c == 4 || c >= 6;
	case STORE_T_EVENTS: return c == 0 || c == 1 || c == 3 || c == 8 || c == 9;
	case STORE_T_LEDGER: return c <= 5 || (c >= 8 && c <= 11) || c == 14 || c == 16;
	case STORE_T_BALANCES: return true;
	case STORE_T_DAY_TOTALS: return c != 2;
	case STORE_T_USER_DAYS: return c != 2;
	case STORE_T_COUNTS: return c <= 2 || c == 5 || c == 8;
	case STORE_T_COUNT_ITEMS: return true;
	case STORE_T_COUNT_SCANS: return c <= 2 || (c >= 4 && c <= 7);
	case STORE_T_COUNT_ENDS: return c == 0 || (c >= 2 && c <= 5);
	case STORE_T_ITEM_COSTS: return c != 1;
	case STORE_T_REPORT_ITEMS: case STORE_T_REPORT_DAYS: return c != 0;
	default: return false;
	}
}

/* Runs a prepared statement, handing each row to cb as text. */
static iv_status rows_as_text(store *st, store_table t, sqlite3_stmt *s, store_row_cb cb, void *ctx,
                              bool *any)
{
	int n = store_table_cols[t];
	const char *vals[STORE_TABLE_MAX_COLS];
	int rc;
	*any = false;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*any = true;
		for (int c = 0; c < n; c++)
			vals[c] = (const char *)sqlite3_column_text(s, c);
		if (!cb(ctx, vals, n)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? IV_OK : sqlite_fail(st, rc, "reading rows");
}

/* The statement reading table t (each: whole, else one row by id):
 * items without costs before the migration that adds them. */
static const char *read_sql(store *st, store_table t, bool each)
{
	if (t == STORE_T_ITEMS && !st->items_costed &&
	    !(st->items_costed = sqlite_schema_version(st) >= ITEMS_COSTS_SINCE))
		return each ? ITEMS_SELECT_5 "ORDER BY id" : ITEMS_SELECT_5 "WHERE id = ?1";
	return each ? each_sql[t] : row_sql[t];
}

iv_status sqlite_master_row(store *st, store_table t, int64_t id, store_row_cb cb, void *ctx)
{
	if (!row_sql[t])
		return sqlite_failf(st, IV_E_INVALID, "%s is not master data", store_table_names[t]);
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, read_sql(st, t, false), -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sqlite_fail(st, rc, "reading master data");
	sqlite3_bind_int64(s, 1, id);
	bool any;
	iv_status status = rows_as_text(st, t, s, cb, ctx, &any);
	return status == IV_OK && !any ? IV_E_NOT_FOUND : status;
}

iv_status sqlite_table_each(store *st, store_table t, store_row_cb cb, void *ctx)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, read_sql(st, t, true), -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sqlite_fail(st, rc, "reading rows to copy");
	bool any;
	return rows_as_text(st, t, s, cb, ctx, &any);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	                                      : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

iv_status sqlite_table_insert(store *st, store_table t, const char *const *vals, int ncols)
{
	if (ncols != store_table_cols[t])
		return sqlite_failf(st, IV_E_INVALID, "copying %s: %d columns where %d were expected",
		                   store_table_names[t], ncols, store_table_cols[t]);
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, insert_sql[t], -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sqlite_fail(st, rc, "copying rows");
	unsigned char hash[STORE_HASH_LEN];
	for (int c = 0; c < ncols; c++) {
		if (!vals[c]) {
			sqlite3_bind_null(s, c + 1);
		} else if ((t == STORE_T_LEDGER && c == 13) || (t == STORE_T_EVENTS && c == 10)) {
			size_t len = strlen(vals[c]) / 2;
			if (len > STORE_HASH_LEN)
				len = STORE_HASH_LEN;
			for (size_t k = 0; k < len; k++)
				hash[k] = (unsigned char)(hexval(vals[c][2 * k]) << 4 | hexval(vals[c][2 * k + 1]));
			sqlite3_bind_blob(s, c + 1, hash, (int)len, SQLITE_TRANSIENT);
		} else if (is_int_col(t, c)) {
			sqlite3_bind_int64(s, c + 1, strtoll(vals[c], NULL, 10));
		} else {
			sqlite3_bind_text(s, c + 1, vals[c], -1, SQLITE_STATIC);
		}
	}
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sqlite_fail(st, rc, "copying rows");
	return t == STORE_T_LEDGER ? sqlite_bulk_note(st, strtoll(vals[3], NULL, 10), strtoll(vals[0], NULL, 10))
	                           : IV_OK;
}

iv_status sqlite_table_count(store *st, store_table t, int64_t *n)
{
	static const char *const count_sql[STORE_T_COUNT] = {
		"SELECT count(*) FROM stores",     "SELECT count(*) FROM items",
		"SELECT count(*) FROM reasons",    "SELECT count(*) FROM users",
		"SELECT count(*) FROM batches",    "SELECT count(*) FROM events",
		"SELECT count(*) FROM ledger",     "SELECT count(*) FROM balances",
		"SELECT count(*) FROM day_totals", "SELECT count(*) FROM user_days",
		"SELECT count(*) FROM counts",     "SELECT count(*) FROM count_items",
		"SELECT count(*) FROM count_scans", "SELECT count(*) FROM count_ends",
		"SELECT count(*) FROM item_costs", "SELECT count(*) FROM report_items",
		"SELECT count(*) FROM report_days",
	};
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, count_sql[t], -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sqlite_fail(st, rc, "counting rows");
	rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? IV_OK : sqlite_fail(st, rc, "counting rows");
}

iv_status sqlite_copy_finish(store *st)
{
	(void)st; /* INTEGER PRIMARY KEY continues after the highest id by itself */
	return IV_OK;
}
