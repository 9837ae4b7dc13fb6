/* Every SQL statement the SQLite backend runs, in one table.  Each is
 * prepared once per connection and always run with bound parameters. */
#include "store/sql_shared.h"
#include "store/sqlite_internal.h"

#define STORE_COLS "id, code, name, allow_negative, approval_threshold, tz"

#define ITEM_COLS "id, number, description, coalesce(upc,''), coalesce(barcode,''), " \
                  "coalesce(alt1,''), coalesce(alt2,''), coalesce(alt3,'')"

/* A ledger row as people read it (names, not ids; the item number it
 * was posted under), then its raw ids and what its hash covers.  Rows
 * whose store, reason or user row has gone are still listed (LEFT
 * JOIN, "?"): verify names the fault, history does not hide the row. */
#define LEDGER_VIEW LEDGER_VIEW_FROM("ledger l ")
/* from: the ledger as l, or a table that leads to its rows (by item) */
#define LEDGER_VIEW_FROM(from)                                                             \
	"SELECT l.id, l.document, l.tdate, l.recorded_at, coalesce(s.code,'?'), l.item_number, " \
	"coalesce(r.code,'?'), l.diff, coalesce(u.name,'?'), coalesce(a.name,''), "            \
	"coalesce(l.reverses,0), "                                                              \
	"coalesce((SELECT x.id FROM ledger x WHERE x.reverses = l.id),0), "                     \
	"coalesce(l.batch_id,0), l.memo, "                                                      \
	"l.store_id, l.item_id, l.reason_id, l.user_id, coalesce(l.approved_by,0), l.hash, "    \
	"l.seq, l.hash_version, CASE WHEN l.hash_version = 1 "                                  \
	"THEN (SELECT p.hash FROM ledger p WHERE p.id = l.id - 1) "                             \
	"ELSE (SELECT p.hash FROM ledger p WHERE p.store_id = l.store_id AND p.seq = l.seq - 1) END " \
	"FROM " from LEDGER_VIEW_NAMES
#define LEDGER_VIEW_NAMES                                                                  \
	"LEFT JOIN stores s ON s.id = l.store_id "                                              \
	"LEFT JOIN items i ON i.id = l.item_id LEFT JOIN reasons r ON r.id = l.reason_id "      \
	"LEFT JOIN users u ON u.id = l.user_id LEFT JOIN users a ON a.id = l.approved_by "

#define RAW_LEDGER_COLS "l.id, l.document, l.store_id, l.item_id, l.reason_id, l.diff, l.tdate, " \
                        "l.recorded_at, l.user_id, coalesce(l.approved_by,0), "                  \
                        "coalesce(l.reverses,0), coalesce(l.batch_id,0), l.memo, l.hash, l.seq, " \
                        "l.item_number, l.hash_version "
/* History: the driving condition (one indexed column, or nothing) and
 * the filters any of them may add.  ?8 is the keyset bound, ?9 the limit. */
#define HISTORY_FILTERS                                                                   \
	"(?1 IS NULL OR l.store_id = ?1) AND (?2 IS NULL OR l.item_id = ?2) "                \
	"AND (?3 IS NULL OR l.reason_id = ?3) AND (?4 IS NULL OR l.user_id = ?4) "           \
	"AND (?5 IS NULL OR l.tdate >= ?5) AND (?6 IS NULL OR l.tdate <= ?6) "               \
	"AND (?7 IS NULL OR l.batch_id = ?7) "
#define BY_ITEM "ledger_items x CROSS JOIN ledger l ON l.id = x.id "
#define HISTORY_DATE_RANGE "l.tdate BETWEEN coalesce(?5, '') AND coalesce(?6, '9999') AND "
#define HISTORY_STATEMENTS(base, drive, cond)                                             \
	[base + (drive) * STORE_HIST_KINDS + STORE_HIST_DESC] =                               \
		LEDGER_VIEW "WHERE " cond HISTORY_FILTERS                                        \
		"AND (?8 IS NULL OR l.id < ?8) ORDER BY l.id DESC LIMIT ?9",                     \
	[base + (drive) * STORE_HIST_KINDS + STORE_HIST_ASC] =                                \
		LEDGER_VIEW "WHERE " cond HISTORY_FILTERS                                        \
		"AND (?8 IS NULL OR l.id > ?8) ORDER BY l.id LIMIT ?9",                          \
	[base + (drive) * STORE_HIST_KINDS + STORE_HIST_COUNT] =                              \
		"SELECT count(*) FROM ledger l WHERE " cond HISTORY_FILTERS "AND ?8 IS NULL AND ?9 IS NULL",

/* Stock: balances of the items whose folded search key matches, by
 * item number then store code, a page at a time from a keyset bound
 * (?5 item number, ?4 store code); ?1 store id, ?2 the folded search as
 * a LIKE pattern, ?3 as-of date, ?6 the limit.  The join is written in
 * the order it runs: items by their number index (each search key
 * tested once), the stores, then a balance by its primary key, so that
 * a page stops after its rows and nothing is sorted.  The as-of sum is
 * taken for the page's rows only. */
#define STOCK_FROM                                                                          \
	"FROM items i CROSS JOIN stores s CROSS JOIN balances b "                              \
	"ON b.store_id = s.id AND b.item_id = i.id "                                           \
	"WHERE (?1 IS NULL OR s.id = ?1) AND (?2 IS NULL OR i.search_key LIKE ?2 ESCAPE '\\') "
#define STOCK_PAGE(cmp, order)                                                            \
	"SELECT p.code, p.number, p.description, CASE WHEN ?3 IS NULL THEN p.qty ELSE "       \
	"(SELECT coalesce(sum(d.diff),0) FROM day_totals d WHERE d.store_id = p.store_id "    \
	"AND d.item_id = p.item_id AND d.tdate <= ?3) END FROM ("                             \
	"SELECT b.store_id, b.item_id, s.code, i.number, i.description, b.qty " STOCK_FROM    \
	"AND (?5 IS NULL OR i.number " cmp " ?5 OR (i.number = ?5 AND s.code " cmp " ?4)) "   \
	"ORDER BY i.number " order ", s.code " order " LIMIT ?6) p ORDER BY p.number " order ", p.code " order

#define LEDGER_INSERT                                                                        \
	"INSERT OR FAIL INTO ledger(id, document, store_id, item_id, reason_id, diff, tdate, "   \
	"recorded_at, user_id, approved_by, reverses, batch_id, memo, hash, seq, item_number, "  \
	"hash_version) VALUES "
#define LEDGER_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define LEDGER_ROWS_2 LEDGER_ROW ", " LEDGER_ROW
#define LEDGER_ROWS_4 LEDGER_ROWS_2 ", " LEDGER_ROWS_2
#define LEDGER_ROWS_8 LEDGER_ROWS_4 ", " LEDGER_ROWS_4
#define LEDGER_ROWS_16 LEDGER_ROWS_8 ", " LEDGER_ROWS_8

#define ITEM_ROWS_4 "(?, ?), (?, ?), (?, ?), (?, ?)"
#define ITEM_ROWS_16 ITEM_ROWS_4 ", " ITEM_ROWS_4 ", " ITEM_ROWS_4 ", " ITEM_ROWS_4
#define ITEM_ROWS_64 ITEM_ROWS_16 ", " ITEM_ROWS_16 ", " ITEM_ROWS_16 ", " ITEM_ROWS_16

#define SUMS_4(row) row ", " row ", " row ", " row
#define SUMS_16(row) SUMS_4(row) ", " SUMS_4(row) ", " SUMS_4(row) ", " SUMS_4(row)

#define ITEM_FIND_SQL(col) \
	"SELECT " ITEM_COLS " FROM items WHERE " col " = ?1 COLLATE NOCASE ORDER BY " col " = ?1 DESC, id LIMIT 1"


#define BATCH_COLS "b.id, b.file_name, b.sha256, b.rule, u.name, b.recorded_at, b.rows, b.posted, " \
                   "b.unchanged, coalesce(b.reverses_batch,0), "                                  \
                   "coalesce((SELECT r.id FROM batches r WHERE r.reverses_batch = b.id),0) "      \
                   "FROM batches b JOIN users u ON u.id = b.user_id "

#define EVENT_COLS "id, seq, kind, entity_id, entity_key, action, state, recorded_at, user_id, " \
                   "hash_version, hash FROM events "

/* A balance as people read it: store code, item number and description,
 * Net Available (now, or summed from day totals as of a date). */
#define BALANCE_COLS "SELECT s.code, i.number, i.description, b.qty "
#define BALANCE_NAMES "JOIN stores s ON s.id = b.store_id JOIN items i ON i.id = b.item_id "
#define DAY_SUM_COLS "SELECT s.code, i.number, i.description, sum(d.diff) "
#define DAY_SUM_NAMES "JOIN stores s ON s.id = d.store_id JOIN items i ON i.id = d.item_id "

/* The report summaries (store.h): a key's sums added to its row. */
#define REPORT_ADD(table, item_col, item_param)                                                   \
	"INSERT INTO " table "(tdate, store_id, " item_col "reason_id, user_id, cancelled, lines, added, " \
	"removed, value, unvalued) VALUES (?, ?, " item_param "?, ?, ?, ?, ?, ?, ?, ?) "               \
	"ON CONFLICT(tdate, store_id, " item_col "reason_id, user_id, cancelled) DO UPDATE SET "         \
	"lines = lines + excluded.lines, added = added + excluded.added, "                              \
	"removed = removed + excluded.removed, value = value + excluded.value, "                        \
	"unvalued = unvalued + excluded.unvalued"
/* SQLITE_SUMS_PER_INSERT keys at once (a bulk load's): OR FAIL, as the
 * sums' (no statement journal). */
#define REPORT_ADD_MANY(table, item_col, item_param)                                              \
	"INSERT OR FAIL INTO " table "(tdate, store_id, " item_col "reason_id, user_id, cancelled, lines, " \
	"added, removed, value, unvalued) VALUES "                                                    \
	SUMS_16("(?, ?, " item_param "?, ?, ?, ?, ?, ?, ?, ?)")                                       \
	" ON CONFLICT(tdate, store_id, " item_col "reason_id, user_id, cancelled) DO UPDATE SET "       \
	"lines = lines + excluded.lines, added = added + excluded.added, "                              \
	"removed = removed + excluded.removed, value = value + excluded.value, "                        \
	"unvalued = unvalued + excluded.unvalued"
#define REPORT_SUMS_OF(p) p "reason_id, " p "user_id, " p "cancelled, " p "lines, " p "added, " \
	p "removed, " p "value, " p "unvalued"
#define REPORT_SUMS REPORT_SUMS_OF("")
#define REPORT_FILTERS(p) "AND (?5 IS NULL OR " p "reason_id = ?5) AND (?6 OR " p "cancelled = 0) " \
	"AND (?3 IS NULL OR " p "store_id = ?3) AND ?4 IS NULL"
/* verify: the sums each key should hold (g) beside those it holds (r),
 * a key on one side only included (FULL JOIN), in no order. */
#define REPORT_AUDIT(expected, table, g_item, r_item, item_match)                                \
	"SELECT coalesce(g.tdate, r.tdate), coalesce(g.store_id, r.store_id), "                      \
	"coalesce(" g_item ", " r_item "), coalesce(g.reason_id, r.reason_id), "                    \
	"coalesce(g.user_id, r.user_id), coalesce(g.cancelled, r.cancelled), "                      \
	"coalesce(r.lines, 0), coalesce(r.added, 0), coalesce(r.removed, 0), coalesce(r.value, 0), " \
	"coalesce(r.unvalued, 0), r.tdate IS NOT NULL, coalesce(g.lines, 0), coalesce(g.added, 0), " \
	"coalesce(g.removed, 0), coalesce(g.value, 0), coalesce(g.unvalued, 0) "                    \
	"FROM (" expected ") g FULL JOIN " table " r ON r.tdate = g.tdate AND r.store_id = g.store_id " \
	item_match "AND r.reason_id = g.reason_id AND r.user_id = g.user_id AND r.cancelled = g.cancelled"

const char *const sqlite_sql[Q_COUNT] = {
	/* Codes match regardless of (ASCII) case; the exact spelling first,
	 * then the oldest, where a database kept twins from before. */
	[Q_STORE_FIND] = "SELECT " STORE_COLS " FROM stores "
	                 "WHERE code = ?1 COLLATE NOCASE ORDER BY code = ?1 DESC, id LIMIT 1",
	[Q_STORE_UPSERT] =
		"INSERT INTO stores(code, name, allow_negative, approval_threshold, tz) "
		"VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
		"allow_negative = excluded.allow_negative, approval_threshold = excluded.approval_threshold, "
		"tz = excluded.tz RETURNING id",
	[Q_STORE_EACH] = "SELECT " STORE_COLS " FROM stores ORDER BY code",

	[Q_ITEM_FIND_ANY] =
		"SELECT * FROM ("
		"SELECT " ITEM_COLS ", number = ?1 AS exact, 1 AS k FROM items WHERE number = ?1 COLLATE NOCASE UNION ALL "
		"SELECT " ITEM_COLS ", upc = ?1, 2 FROM items WHERE upc = ?1 COLLATE NOCASE UNION ALL "
		"SELECT " ITEM_COLS ", barcode = ?1, 3 FROM items WHERE barcode = ?1 COLLATE NOCASE UNION ALL "
		"SELECT " ITEM_COLS ", alt1 = ?1, 4 FROM items WHERE alt1 = ?1 COLLATE NOCASE UNION ALL "
		"SELECT " ITEM_COLS ", alt2 = ?1, 5 FROM items WHERE alt2 = ?1 COLLATE NOCASE UNION ALL "
		"SELECT " ITEM_COLS ", alt3 = ?1, 6 FROM items WHERE alt3 = ?1 COLLATE NOCASE) "
		"ORDER BY exact DESC, k, id LIMIT 1",
	[Q_ITEM_FIND_NUMBER] = ITEM_FIND_SQL("number"),
	[Q_ITEM_FIND_UPC] = ITEM_FIND_SQL("upc"),
	[Q_ITEM_FIND_BARCODE] = ITEM_FIND_SQL("barcode"),
	[Q_ITEM_FIND_ALT1] = ITEM_FIND_SQL("alt1"),
	[Q_ITEM_FIND_ALT2] = ITEM_FIND_SQL("alt2"),
	[Q_ITEM_FIND_ALT3] = ITEM_FIND_SQL("alt3"),
	[Q_ITEM_UPSERT] =
		"INSERT INTO items(number, description, upc, barcode, alt1, alt2, alt3, search_key) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
		"ON CONFLICT(number) DO UPDATE SET description = excluded.description, "
		"upc = excluded.upc, barcode = excluded.barcode, alt1 = excluded.alt1, "
		"alt2 = excluded.alt2, alt3 = excluded.alt3, search_key = excluded.search_key RETURNING id",
	[Q_ITEM_UNFOLDED] = "SELECT " ITEM_COLS " FROM items WHERE search_key IS NULL LIMIT 1000",
	[Q_ITEM_SET_KEY] = "UPDATE items SET search_key = ?2 WHERE id = ?1",
	/* ?1 the folded search as a LIKE pattern (NULL: any), ?2 the keyset
	 * bound (item number), ?3 the limit */
	[Q_ITEM_PAGE] = "SELECT " ITEM_COLS " FROM items WHERE (?1 IS NULL OR search_key LIKE ?1 ESCAPE '\\') "
	                "AND (?2 IS NULL OR number > ?2) ORDER BY number LIMIT ?3",
	[Q_ITEM_PAGE_BACK] = "SELECT " ITEM_COLS " FROM items WHERE (?1 IS NULL OR search_key LIKE ?1 ESCAPE '\\') "
	                     "AND (?2 IS NULL OR number < ?2) ORDER BY number DESC LIMIT ?3",
	[Q_ITEM_COUNT] = "SELECT count(*) FROM items WHERE (?1 IS NULL OR search_key LIKE ?1 ESCAPE '\\')",
	[Q_ITEM_EACH] = "SELECT " ITEM_COLS " FROM items ORDER BY id",
	[Q_ITEM_SEARCH] =
		"SELECT " ITEM_COLS " FROM items WHERE number LIKE ?1 ESCAPE '\\' "
		"OR upc LIKE ?1 ESCAPE '\\' OR barcode LIKE ?1 ESCAPE '\\' "
		"OR alt1 LIKE ?1 ESCAPE '\\' OR alt2 LIKE ?1 ESCAPE '\\' OR alt3 LIKE ?1 ESCAPE '\\' "
		"OR description LIKE ?2 ESCAPE '\\' ORDER BY number LIMIT ?3",

	[Q_REASON_FIND] = "SELECT id, code, description FROM reasons WHERE code = ?1 COLLATE NOCASE "
	                  "ORDER BY code = ?1 DESC, id LIMIT 1",
	[Q_REASON_UPSERT] = "INSERT INTO reasons(code, description) VALUES (?1, ?2) "
	                    "ON CONFLICT(code) DO UPDATE SET description = excluded.description RETURNING id",
	[Q_REASON_EACH] = "SELECT id, code, description FROM reasons ORDER BY code",

	[Q_USER_FIND] = "SELECT id, name, role, pin_hash, disabled_at IS NOT NULL FROM users WHERE name = ?1",
	[Q_USER_INSERT] = "INSERT INTO users(name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4) "
	                  "RETURNING id",
	[Q_LOGIN_GET] = "SELECT failures, last_failed_at, checking, checking_since FROM login_failures "
	                "WHERE name = ?1",
	[Q_LOGIN_SET] = "INSERT INTO login_failures(name, failures, last_failed_at, checking, checking_since) "
	                "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(name) DO UPDATE SET "
	                "failures = excluded.failures, last_failed_at = excluded.last_failed_at, "
	                "checking = excluded.checking, checking_since = excluded.checking_since",
	[Q_LOGIN_CLEAR] = "DELETE FROM login_failures WHERE name = ?1",
	[Q_USER_COUNT] = "SELECT count(*) FROM users",
	[Q_USER_ADMINS] = "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL",
	[Q_USER_SET_PIN] = "UPDATE users SET pin_hash = ?2, pin_set_at = ?4, pin_set_by = ?3 WHERE id = ?1",
	[Q_USER_DISABLE] = "UPDATE users SET disabled_at = ?3, disabled_by = ?2 WHERE id = ?1",
	[Q_USER_ENABLE] = "UPDATE users SET disabled_at = NULL, disabled_by = NULL WHERE id = ?1",
	[Q_USER_SET_ROLE] = "UPDATE users SET role = ?2 WHERE id = ?1",
	[Q_USER_EACH] = STORE_USER_EACH_SQL,
	[Q_USER_ID_ANY_CASE] = "SELECT id FROM users WHERE name = ?1 COLLATE NOCASE ORDER BY name = ?1 DESC, id LIMIT 1",

	[Q_LEDGER_LAST_ID] = "SELECT coalesce(max(id), 0) FROM ledger",
	[Q_CHAIN_HEAD] = "SELECT seq, id, recorded_at, hash FROM ledger WHERE store_id = ?1 "
	                 "ORDER BY seq DESC LIMIT 1",
	[Q_CHAIN_ROW] = "SELECT seq, id, recorded_at, hash FROM ledger WHERE store_id = ?1 AND seq = ?2",
	[Q_CHAIN_HEADS] = STORE_CHAIN_HEADS_SQL,
	/* OR FAIL: see the append-only triggers (sqlite_schema.c) */
	[Q_LEDGER_INSERT] = LEDGER_INSERT "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
	/* SQLITE_LEDGER_ROWS_PER_INSERT rows, their parameters numbered on:
	 * one statement's cost shared by sixteen rows. */
	[Q_LEDGER_INSERT_MANY] = LEDGER_INSERT LEDGER_ROWS_16,
	/* a bulk load's rows by item, in the table's key order (sqlite_schema.c) */
	[Q_LEDGER_ITEMS_INSERT] = "INSERT OR FAIL INTO ledger_items(item_id, id) VALUES (?1, ?2)",
	[Q_LEDGER_ITEMS_INSERT_MANY] = "INSERT OR FAIL INTO ledger_items(item_id, id) VALUES " ITEM_ROWS_64,
	[Q_LEDGER_ITEMS_EACH] = "SELECT item_id, id FROM ledger_items",
	[Q_LEDGER_GET] = LEDGER_VIEW "WHERE l.id = ?1",
	[Q_LEDGER_REVERSED_BY] = "SELECT id FROM ledger WHERE reverses = ?1",
	/* The original's columns where the row reverses one that exists. */
	[Q_LEDGER_AUDIT] = "SELECT " RAW_LEDGER_COLS ", o.id IS NOT NULL, o.store_id, o.item_id, "
	                   "coalesce(o.reverses,0), o.diff FROM ledger l "
	                   "LEFT JOIN ledger o ON o.id = l.reverses ORDER BY l.id",
	/* Sorted by the database, which spills to temporary files rather
	 * than hold the ledger in memory; only what the per-item rules need. */
	[Q_LEDGER_BY_PAIR] = "SELECT id, store_id, item_id, user_id, diff, tdate, "
	                     "approved_by IS NOT NULL, reverses IS NOT NULL, hash_version FROM ledger "
	                     "ORDER BY store_id, item_id, id",
	[Q_LEDGER_EACH_IN_BATCH] =
		"SELECT " RAW_LEDGER_COLS "FROM ledger l WHERE l.id BETWEEN "
		"(SELECT first_id FROM batches WHERE id = ?1) "
		"AND (SELECT last_id FROM batches WHERE id = ?1) AND l.batch_id = ?1 ORDER BY l.id",
	HISTORY_STATEMENTS(Q_HISTORY, STORE_HIST_ALL, "")
	/* by store: the store's chain, in ledger_chain's order (ids rise with
	 * seq within a chain); the bound is ?8's place in it */
	[Q_HISTORY + STORE_HIST_STORE * STORE_HIST_KINDS + STORE_HIST_DESC] =
		LEDGER_VIEW "WHERE l.store_id = ?1 AND " HISTORY_FILTERS
		"AND (?8 IS NULL OR l.seq < (SELECT b.seq FROM ledger b WHERE b.id = ?8)) "
		"ORDER BY l.seq DESC LIMIT ?9",
	[Q_HISTORY + STORE_HIST_STORE * STORE_HIST_KINDS + STORE_HIST_ASC] =
		LEDGER_VIEW "WHERE l.store_id = ?1 AND " HISTORY_FILTERS
		"AND (?8 IS NULL OR l.seq > (SELECT b.seq FROM ledger b WHERE b.id = ?8)) "
		"ORDER BY l.seq LIMIT ?9",
	[Q_HISTORY + STORE_HIST_STORE * STORE_HIST_KINDS + STORE_HIST_COUNT] =
		"SELECT count(*) FROM ledger l WHERE l.store_id = ?1 AND " HISTORY_FILTERS
		"AND ?8 IS NULL AND ?9 IS NULL",
	HISTORY_STATEMENTS(Q_HISTORY, STORE_HIST_USER, "l.user_id = ?4 AND ")
	/* by item: ledger_items, (item_id, id) in key order, leads to the rows */
	[Q_HISTORY + STORE_HIST_ITEM * STORE_HIST_KINDS + STORE_HIST_DESC] =
		LEDGER_VIEW_FROM(BY_ITEM) "WHERE x.item_id = ?2 AND " HISTORY_FILTERS
		"AND (?8 IS NULL OR x.id < ?8) ORDER BY x.id DESC LIMIT ?9",
	[Q_HISTORY + STORE_HIST_ITEM * STORE_HIST_KINDS + STORE_HIST_ASC] =
		LEDGER_VIEW_FROM(BY_ITEM) "WHERE x.item_id = ?2 AND " HISTORY_FILTERS
		"AND (?8 IS NULL OR x.id > ?8) ORDER BY x.id LIMIT ?9",
	[Q_HISTORY + STORE_HIST_ITEM * STORE_HIST_KINDS + STORE_HIST_COUNT] =
		"SELECT count(*) FROM " BY_ITEM "WHERE x.item_id = ?2 AND " HISTORY_FILTERS
		"AND ?8 IS NULL AND ?9 IS NULL",
	/* by date: the range bounds the index scan, ?10 is the bound row's date */
	[Q_HISTORY + STORE_HIST_DATE * STORE_HIST_KINDS + STORE_HIST_DESC] =
		LEDGER_VIEW "WHERE " HISTORY_DATE_RANGE HISTORY_FILTERS
		"AND (?8 IS NULL OR l.tdate < ?10 OR (l.tdate = ?10 AND l.id < ?8)) "
		"ORDER BY l.tdate DESC, l.id DESC LIMIT ?9",
	[Q_HISTORY + STORE_HIST_DATE * STORE_HIST_KINDS + STORE_HIST_ASC] =
		LEDGER_VIEW "WHERE " HISTORY_DATE_RANGE HISTORY_FILTERS
		"AND (?8 IS NULL OR l.tdate > ?10 OR (l.tdate = ?10 AND l.id > ?8)) "
		"ORDER BY l.tdate, l.id LIMIT ?9",
	[Q_HISTORY + STORE_HIST_DATE * STORE_HIST_KINDS + STORE_HIST_COUNT] =
		"SELECT count(*) FROM ledger l WHERE " HISTORY_DATE_RANGE HISTORY_FILTERS,
	HISTORY_STATEMENTS(Q_HISTORY, STORE_HIST_BATCH,
	                   "l.id BETWEEN (SELECT first_id FROM batches WHERE id = ?7) "
	                   "AND (SELECT last_id FROM batches WHERE id = ?7) AND ")

	[Q_BALANCE_GET] = "SELECT qty FROM balances WHERE store_id = ?1 AND item_id = ?2",
	[Q_BALANCE_ADD] = "INSERT INTO balances(store_id, item_id, qty) VALUES (?1, ?2, ?3) "
	                  "ON CONFLICT(store_id, item_id) DO UPDATE SET qty = qty + excluded.qty",
	[Q_DAY_ADD] = "INSERT INTO day_totals(store_id, item_id, tdate, diff) VALUES (?1, ?2, ?3, ?4) "
	              "ON CONFLICT(store_id, item_id, tdate) DO UPDATE SET diff = diff + excluded.diff",
	/* SQLITE_SUMS_PER_INSERT at once (a bulk load's sums): OR FAIL, so
	 * that no statement journal is kept (a Diff that cannot be added
	 * fails the load: it rolls back) */
	[Q_BALANCE_ADD_MANY] = "INSERT OR FAIL INTO balances(store_id, item_id, qty) VALUES " SUMS_16("(?, ?, ?)")
	                       " ON CONFLICT(store_id, item_id) DO UPDATE SET qty = qty + excluded.qty",
	[Q_DAY_ADD_MANY] = "INSERT OR FAIL INTO day_totals(store_id, item_id, tdate, diff) VALUES "
	                   SUMS_16("(?, ?, ?, ?)")
	                   " ON CONFLICT(store_id, item_id, tdate) DO UPDATE SET diff = diff + excluded.diff",
	[Q_USER_DAY_ADD_MANY] = "INSERT OR FAIL INTO user_days(store_id, item_id, tdate, user_id, diff) VALUES "
	                        SUMS_16("(?, ?, ?, ?, ?)")
	                        " ON CONFLICT(store_id, item_id, tdate, user_id) DO UPDATE SET diff = diff + excluded.diff",
	[Q_BALANCE_ASOF] = "SELECT coalesce(sum(diff),0) FROM day_totals "
	                   "WHERE store_id = ?1 AND item_id = ?2 AND tdate <= ?3",
	[Q_DAYS_AFTER] = "SELECT tdate, diff FROM day_totals "
	                 "WHERE store_id = ?1 AND item_id = ?2 AND tdate > ?3 ORDER BY tdate",
	[Q_STOCK_AFTER] = STORE_STOCK_AFTER_SQL("?1", "?2", "?3"),
	/* Parameters by name: :store (a code), :item (an id), :asof.  One
	 * item in every store: the stores are the outer loop (CROSS JOIN
	 * keeps that order), each a primary-key lookup of the pair. */
	[Q_BALANCES] = BALANCE_COLS "FROM balances b " BALANCE_NAMES "ORDER BY s.code, i.number",
	[Q_BALANCES_OF_STORE] = BALANCE_COLS "FROM stores s JOIN balances b ON b.store_id = s.id "
	                        "JOIN items i ON i.id = b.item_id WHERE s.code = :store ORDER BY i.number",
	[Q_BALANCES_OF_ITEM] = BALANCE_COLS "FROM stores s CROSS JOIN balances b ON b.store_id = s.id "
	                       "AND b.item_id = :item JOIN items i ON i.id = b.item_id ORDER BY s.code",
	[Q_BALANCES_OF_PAIR] = BALANCE_COLS "FROM stores s JOIN balances b ON b.store_id = s.id "
	                       "JOIN items i ON i.id = b.item_id WHERE s.code = :store AND b.item_id = :item",
	[Q_BALANCES_ASOF] = DAY_SUM_COLS "FROM day_totals d " DAY_SUM_NAMES "WHERE d.tdate <= :asof "
	                    "GROUP BY d.store_id, d.item_id ORDER BY s.code, i.number",
	[Q_BALANCES_ASOF_OF_STORE] =
		DAY_SUM_COLS "FROM stores s JOIN day_totals d ON d.store_id = s.id "
		"JOIN items i ON i.id = d.item_id WHERE s.code = :store AND d.tdate <= :asof "
		"GROUP BY d.item_id ORDER BY i.number",
	[Q_BALANCES_ASOF_OF_ITEM] =
		DAY_SUM_COLS "FROM stores s CROSS JOIN day_totals d ON d.store_id = s.id "
		"AND d.item_id = :item AND d.tdate <= :asof JOIN items i ON i.id = d.item_id "
		"GROUP BY s.code ORDER BY s.code",
	[Q_BALANCES_ASOF_OF_PAIR] =
		DAY_SUM_COLS "FROM stores s JOIN day_totals d ON d.store_id = s.id "
		"JOIN items i ON i.id = d.item_id "
		"WHERE s.code = :store AND d.item_id = :item AND d.tdate <= :asof GROUP BY d.item_id",
	[Q_USER_DAY_GET] = "SELECT diff FROM user_days WHERE store_id = ?2 AND item_id = ?3 "
	                   "AND tdate = ?4 AND user_id = ?1",
	[Q_USER_DAY_ADD] = "INSERT INTO user_days(store_id, item_id, tdate, user_id, diff) "
	                   "VALUES (?2, ?3, ?4, ?1, ?5) ON CONFLICT(store_id, item_id, tdate, user_id) "
	                   "DO UPDATE SET diff = diff + excluded.diff",
	[Q_PAIR_SUMS] = STORE_PAIR_SUMS_SQL("?1", "?2"),
	[Q_STOCK_PAGE] = STOCK_PAGE(">", "ASC"),
	[Q_STOCK_PAGE_BACK] = STOCK_PAGE("<", "DESC"),
	[Q_STOCK_COUNT] = "SELECT count(*) " STOCK_FROM,

	[Q_BATCH_INSERT] =
		"INSERT INTO batches(file_name, sha256, rule, user_id, recorded_at, rows, posted, "
		"unchanged, reverses_batch, first_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		"(SELECT coalesce(max(id), 0) + 1 FROM ledger))",
	[Q_BATCH_FINISH] = "UPDATE batches SET rows = ?2, posted = ?3, unchanged = ?4, "
	                   "last_id = (SELECT max(id) FROM ledger) WHERE id = ?1",
	[Q_BATCH_FIND_SHA] =
		"SELECT b.id FROM batches b WHERE b.sha256 = ?1 AND b.rule <> 'reversal' "
		"AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.reverses_batch = b.id) "
		"ORDER BY b.id DESC LIMIT 1",
	[Q_BATCH_GET] = "SELECT " BATCH_COLS "WHERE b.id = ?1",
	[Q_BATCH_FINISH_UPLOAD] = "UPDATE batches SET sha256 = ?2, rows = ?3, posted = ?4, unchanged = ?5, "
	                          "last_id = (SELECT max(id) FROM ledger) WHERE id = ?1",

	[Q_EVENT_HEAD] = "SELECT seq, id, recorded_at, hash FROM events ORDER BY seq DESC LIMIT 1",
	[Q_EVENT_AT] = "SELECT seq, id, recorded_at, hash FROM events WHERE seq = ?1",
	[Q_EVENT_INSERT] =
		"INSERT OR FAIL INTO events(id, seq, kind, entity_id, entity_key, action, state, recorded_at, "
		"user_id, hash_version, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[Q_EVENTS_EACH] = "SELECT " EVENT_COLS "WHERE (?1 IS NULL OR kind = ?1) "
	                  "AND (?2 IS NULL OR entity_id = ?2) ORDER BY id",

	[Q_ITEM_COST_GET] = "SELECT unit_cost, coalesce(cost_from, '') FROM items WHERE id = ?1",
	[Q_ITEM_COST_SET] = "UPDATE items SET unit_cost = ?2, cost_from = ?3 WHERE id = ?1",
	[Q_COST_HISTORY_PUT] = "INSERT INTO item_costs(item_id, effective, unit_cost) VALUES (?1, ?2, ?3) "
	                       "ON CONFLICT(item_id, effective) DO UPDATE SET unit_cost = excluded.unit_cost",
	[Q_COST_AT] = "SELECT unit_cost FROM item_costs WHERE item_id = ?1 AND effective <= ?2 "
	              "ORDER BY effective DESC LIMIT 1",
	[Q_REPORT_ADD_ITEMS] = REPORT_ADD("report_items", "item_id, ", "?, "),
	[Q_REPORT_ADD_DAYS] = REPORT_ADD("report_days", "", ""),
	[Q_REPORT_ADD_ITEMS_MANY] = REPORT_ADD_MANY("report_items", "item_id, ", "?, "),
	[Q_REPORT_ADD_DAYS_MANY] = REPORT_ADD_MANY("report_days", "", ""),
	/* ?1..?2 the dates, ?3 a store id, ?4 an item id, ?5 a reason id (NULL:
	 * any), ?6 whether cancelled rows count.  The dates are a range of the
	 * primary key; store and reason are tested on the rows of that range
	 * (a few per day and store), so one statement serves either.  An item
	 * has a statement of its own (?4 is NULL in these). */
	[Q_REPORT_DAYS] = "SELECT tdate, store_id, 0, " REPORT_SUMS " FROM report_days "
	                  "WHERE tdate BETWEEN ?1 AND ?2 " REPORT_FILTERS(""),
	[Q_REPORT_ITEMS] = "SELECT tdate, store_id, item_id, " REPORT_SUMS " FROM report_items "
	                   "WHERE tdate BETWEEN ?1 AND ?2 " REPORT_FILTERS(""),
	/* One item: the store and item's days with movements (day_totals'
	 * key), each a probe of report_items' key, the stores the outer loop. */
	[Q_REPORT_ITEMS_OF_ITEM] =
		"SELECT r.tdate, r.store_id, r.item_id, " REPORT_SUMS_OF("r.") " FROM stores s "
		"CROSS JOIN day_totals d ON d.store_id = s.id AND d.item_id = ?4 AND d.tdate BETWEEN ?1 AND ?2 "
		"CROSS JOIN report_items r ON r.tdate = d.tdate AND r.store_id = d.store_id "
		"AND r.item_id = d.item_id WHERE (?3 IS NULL OR s.id = ?3) "
		"AND (?5 IS NULL OR r.reason_id = ?5) AND (?6 OR r.cancelled = 0)",
	[Q_REPORT_AUDIT_ITEMS] = REPORT_AUDIT(
		"SELECT l.tdate, l.store_id, l.item_id, l.reason_id, l.user_id, (l.reverses IS NOT NULL "
		"OR EXISTS (SELECT 1 FROM ledger x WHERE x.reverses = l.id)) AS cancelled, count(*) AS lines, "
		"sum(max(l.diff, 0)) AS added, sum(max(-l.diff, 0)) AS removed, 0 AS value, 0 AS unvalued "
		"FROM ledger l GROUP BY 1, 2, 3, 4, 5, 6",
		"report_items", "g.item_id", "r.item_id", "AND r.item_id = g.item_id "),
	[Q_REPORT_AUDIT_DAYS] = REPORT_AUDIT(
		"SELECT tdate, store_id, reason_id, user_id, cancelled, sum(lines) AS lines, "
		"sum(added) AS added, sum(removed) AS removed, sum(value) AS value, "
		"sum(unvalued) AS unvalued FROM report_items GROUP BY 1, 2, 3, 4, 5",
		"report_days", "0", "0", ""),
#define SQLITE_POS(x) "max(" x ", 0)"
	[Q_BATCH_LINES] = STORE_BATCH_LINES_SQL("?1", SQLITE_POS),
	[Q_SCHEMA_OBJECTS] = "SELECT type, name, tbl_name, sql FROM sqlite_master "
	                     "WHERE type IN ('index', 'trigger') AND tbl_name IN ('ledger', 'ledger_items', 'events', "
	                     "'counts', 'count_items', 'count_scans', 'count_ends')",

	/* Counts.  Ids are the next after the highest, given here under the
	 * write lock, so that the append-only triggers may refuse any id at
	 * or below it; OR FAIL as the ledger's (sqlite_schema.c). */
	[Q_COUNT_INSERT] = "INSERT OR FAIL INTO counts(id, store_id, blind, scope, memo, user_id, started_at, "
	                   "count_day, start_seq) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM counts), "
	                   "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[Q_COUNT_GET] = STORE_COUNT_VIEW_SQL("0, 0") "WHERE c.id = ?1",
	[Q_COUNT_GET_TALLIED] = STORE_COUNT_VIEW_SQL(STORE_COUNT_SCANS_SQL) "WHERE c.id = ?1",
	/* counts are few (one a day or so per store): no index needed */
	[Q_COUNT_EACH] = STORE_COUNT_VIEW_SQL(STORE_COUNT_SCANS_SQL)
	                 "WHERE (?1 IS NULL OR c.store_id = ?1) AND (e.count_id IS NULL OR ?2 IS NULL "
	                 "OR e.recorded_at >= ?2) ORDER BY c.id DESC",
	[Q_COUNT_EACH_POSTED] = STORE_COUNT_VIEW_SQL("0, 0") "WHERE e.status = 'posted' ORDER BY c.id",
	[Q_COUNT_ITEM_ADD] = "INSERT OR FAIL INTO count_items(count_id, item_id) VALUES (?1, ?2)",
	[Q_COUNT_IN_LIST] = "SELECT 1 FROM count_items WHERE count_id = ?1 AND item_id = ?2",
	[Q_COUNT_SCAN_INSERT] =
		"INSERT OR FAIL INTO count_scans(id, count_id, item_id, kind, qty, seq, undoes, user_id, recorded_at) "
		"VALUES ((SELECT coalesce(max(id), 0) + 1 FROM count_scans), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[Q_COUNT_SCANS_OF_ITEM] = STORE_COUNT_SCAN_SQL("'', ''")
	                          "WHERE s.count_id = ?1 AND s.item_id = ?2 ORDER BY s.id",
	[Q_COUNT_SCANS_ALL] = STORE_COUNT_SCAN_SQL("i.number, i.description")
	                      "JOIN items i ON i.id = s.item_id WHERE s.count_id = ?1 ORDER BY s.item_id, s.id",
	[Q_COUNT_LAST_SCAN] = STORE_COUNT_SCAN_SQL("'', ''")
	                      "WHERE s.count_id = ?1 AND s.user_id = ?2 AND s.kind <> 'undo' AND NOT EXISTS "
	                      "(SELECT 1 FROM count_scans u WHERE u.undoes = s.id) ORDER BY s.id DESC LIMIT 1",
	[Q_COUNT_LIST_ITEMS] = "SELECT i.id, i.number, i.description, 0 FROM count_items c "
	                       "JOIN items i ON i.id = c.item_id WHERE c.count_id = ?1 ORDER BY c.item_id",
	[Q_COUNT_STOCK] = "SELECT i.id, i.number, i.description, b.qty FROM balances b "
	                  "JOIN items i ON i.id = b.item_id WHERE b.store_id = ?1 ORDER BY b.item_id",
	[Q_COUNT_END_INSERT] = "INSERT OR FAIL INTO count_ends(count_id, status, batch_id, zero_uncounted, "
	                       "accept_moved, user_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* a stretch of one store's chain (ledger_chain), summed by item */
	[Q_CHAIN_SUMS] = "SELECT item_id, sum(diff) FROM ledger WHERE store_id = ?1 AND seq > ?2 "
	                 "AND seq <= ?3 GROUP BY item_id ORDER BY item_id",
	/* the item's own rows since, by ledger_items (CROSS JOIN keeps the
	 * planner off ledger_chain, which would read every row of the store) */
	[Q_ITEM_MOVED_AFTER] = "SELECT coalesce(sum(l.diff), 0) FROM " BY_ITEM
	                       "WHERE x.item_id = ?2 AND x.id > ?3 AND l.store_id = ?1",
};
