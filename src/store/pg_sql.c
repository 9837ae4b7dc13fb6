/* Every SQL statement the PostgreSQL backend runs, in one table.  Each
 * is prepared once per connection (named "iv<N>") and always run with
 * bound parameters.  Parameters carry explicit types so that the server
 * never has to guess them from a bare `$1 IS NULL`.
 *
 * The statements mirror sqlite_sql.c one for one; where they differ it
 * is PostgreSQL's spelling (ILIKE for SQLite's case-blind LIKE, LIMIT
 * NULL for "no limit", RETURNING id for last_insert_rowid), and the
 * large walks (verify) read in pages keyed on the primary key so that a
 * ten-million-row ledger is never held in memory at once. */
#include "store/sql_shared.h"
#include "store/pg_internal.h"

#define STORE_COLS "id, code, name, allow_negative, approval_threshold, tz"

#define ITEM_COLS "id, number, description, coalesce(upc,''), coalesce(barcode,''), " \
                  "coalesce(alt1,''), coalesce(alt2,''), coalesce(alt3,'')"

/* A ledger row as people read it (names, not ids; the item number it
 * was posted under), then its raw ids and what its hash covers; as
 * sqlite_sql.c's. */
#define LEDGER_VIEW                                                                        \
	"SELECT l.id, l.document, l.tdate, l.recorded_at, coalesce(s.code,'?'), l.item_number, " \
	"coalesce(r.code,'?'), l.diff, coalesce(u.name,'?'), coalesce(a.name,''), "            \
	"coalesce(l.reverses,0), "                                                              \
	"coalesce((SELECT x.id FROM ledger x WHERE x.reverses = l.id),0), "                     \
	"coalesce(l.batch_id,0), l.memo, "                                                      \
	"l.store_id, l.item_id, l.reason_id, l.user_id, coalesce(l.approved_by,0), l.hash, "    \
	"l.seq, l.hash_version, CASE WHEN l.hash_version = 1 "                                  \
	"THEN (SELECT p.hash FROM ledger p WHERE p.id = l.id - 1) "                             \
	"ELSE (SELECT p.hash FROM ledger p WHERE p.store_id = l.store_id AND p.seq = l.seq - 1) END " \
	"FROM ledger l LEFT JOIN stores s ON s.id = l.store_id "                                \
	"LEFT JOIN items i ON i.id = l.item_id LEFT JOIN reasons r ON r.id = l.reason_id "      \
	"LEFT JOIN users u ON u.id = l.user_id LEFT JOIN users a ON a.id = l.approved_by "

#define RAW_LEDGER_COLS "l.id, l.document, l.store_id, l.item_id, l.reason_id, l.diff, l.tdate, " \
                        "l.recorded_at, l.user_id, coalesce(l.approved_by,0), "                  \
                        "coalesce(l.reverses,0), coalesce(l.batch_id,0), l.memo, l.hash, l.seq, " \
                        "l.item_number, l.hash_version "

#define EVENT_COLS "id, seq, kind, entity_id, entity_key, action, state, recorded_at, user_id, " \
                   "hash_version, hash FROM events "

#define BATCH_COLS "b.id, b.file_name, b.sha256, b.rule, u.name, b.recorded_at, b.rows, b.posted, " \
                   "b.unchanged, coalesce(b.reverses_batch,0), "                                  \
                   "coalesce((SELECT r.id FROM batches r WHERE r.reverses_batch = b.id),0) "      \
                   "FROM batches b JOIN users u ON u.id = b.user_id "

/* A master table's rows as text, in store.h's column order. */
#define STORES_SELECT "SELECT id, code, name, allow_negative, approval_threshold, tz FROM stores "
#define ITEMS_SELECT "SELECT id, number, description, upc, barcode, alt1, alt2, alt3, unit_cost, " \
                     "cost_from FROM items "
/* as schema 5 has them (sqlite_copy.c) */
#define ITEMS_SELECT_5 "SELECT id, number, description, upc, barcode, alt1, alt2, alt3, NULL, NULL FROM items "
#define REASONS_SELECT "SELECT id, code, description FROM reasons "
#define USERS_SELECT "SELECT id, name, role, pin_hash, created_at, disabled_at, disabled_by, " \
                     "pin_set_at, pin_set_by FROM users "
#define BATCHES_SELECT "SELECT id, file_name, sha256, rule, user_id, recorded_at, rows, posted, " \
                       "unchanged, reverses_batch, first_id, last_id FROM batches "

/* A balance as people read it: store code, item number and description,
 * Net Available (now, or summed from day totals as of a date). */
#define BALANCE_COLS "SELECT s.code, i.number, i.description, b.qty "
#define BALANCE_NAMES "JOIN stores s ON s.id = b.store_id JOIN items i ON i.id = b.item_id "
#define DAY_SUM_COLS "SELECT s.code, i.number, i.description, sum(d.diff) "
#define DAY_SUM_NAMES "JOIN stores s ON s.id = d.store_id JOIN items i ON i.id = d.item_id "

/* History: the driving condition (one indexed column, or nothing) and
 * the filters any of them may add.  $8 is the keyset bound, $9 the limit. */
#define HISTORY_FILTERS                                                                             \
	"($1::bigint IS NULL OR l.store_id = $1::bigint) AND ($2::bigint IS NULL OR l.item_id = $2::bigint) " \
	"AND ($3::bigint IS NULL OR l.reason_id = $3::bigint) AND ($4::bigint IS NULL OR l.user_id = $4::bigint) " \
	"AND ($5::text IS NULL OR l.tdate >= $5::text) AND ($6::text IS NULL OR l.tdate <= $6::text) "   \
	"AND ($7::bigint IS NULL OR l.batch_id = $7::bigint) "
#define HISTORY_DATE_RANGE "l.tdate BETWEEN coalesce($5::text, '') AND coalesce($6::text, '9999') AND "
#define HISTORY_STATEMENTS(base, drive, cond)                                                       \
	[base + (drive) * STORE_HIST_KINDS + STORE_HIST_DESC] =                                         \
		LEDGER_VIEW "WHERE " cond HISTORY_FILTERS                                                  \
		"AND ($8::bigint IS NULL OR l.id < $8::bigint) ORDER BY l.id DESC LIMIT $9::bigint",       \
	[base + (drive) * STORE_HIST_KINDS + STORE_HIST_ASC] =                                          \
		LEDGER_VIEW "WHERE " cond HISTORY_FILTERS                                                  \
		"AND ($8::bigint IS NULL OR l.id > $8::bigint) ORDER BY l.id LIMIT $9::bigint",            \
	[base + (drive) * STORE_HIST_KINDS + STORE_HIST_COUNT] =                                        \
		"SELECT count(*) FROM ledger l WHERE " cond HISTORY_FILTERS                                \
		"AND $8::bigint IS NULL AND $9::bigint IS NULL",

/* Stock: as sqlite_sql.c's ($1 store id, $2 folded LIKE pattern, $3
 * as-of date, $5 $4 the keyset bound, $6 the limit). */
#define STOCK_FROM                                                                         \
	"FROM items i JOIN balances b ON b.item_id = i.id JOIN stores s ON s.id = b.store_id " \
	"WHERE ($1::bigint IS NULL OR b.store_id = $1::bigint) "                              \
	"AND ($2::text IS NULL OR i.search_key LIKE $2::text) "
#define STOCK_PAGE(cmp, order)                                                                  \
	"SELECT p.code, p.number, p.description, CASE WHEN $3::text IS NULL THEN p.qty ELSE "      \
	"(SELECT coalesce(sum(d.diff),0) FROM day_totals d WHERE d.store_id = p.store_id "         \
	"AND d.item_id = p.item_id AND d.tdate <= $3::text) END FROM ("                            \
	"SELECT b.store_id, b.item_id, s.code, i.number, i.description, b.qty " STOCK_FROM         \
	"AND ($5::text IS NULL OR i.number " cmp " $5::text OR (i.number = $5::text AND s.code "  \
	cmp " $4::text)) ORDER BY i.number " order ", s.code " order " LIMIT $6::bigint) p "       \
	"ORDER BY p.number " order ", p.code " order

#define ITEM_FIND_SQL(col)                                                                   \
	"SELECT " ITEM_COLS " FROM items WHERE lower(" col ") = lower($1::text) ORDER BY " col " = $1::text " \
	"DESC, id LIMIT 1"

/* A batch's first and last ledger ids, from its rows (the index
 * ledger_batch's two ends): other stores' writers take ids in between
 * while it runs, so its rows are not all the ids after the highest at
 * its start.  No rows: an empty range. */
#define BATCH_RANGE(b) "first_id = coalesce((SELECT min(id) FROM ledger WHERE batch_id = " b "), first_id), " \
                       "last_id = coalesce((SELECT max(id) FROM ledger WHERE batch_id = " b "), first_id - 1)"

/* An identity column's next value: after the highest id in the table. */
#define NEXT_ID(t) "setval(pg_get_serial_sequence('" t "', 'id'), " \
                   "coalesce((SELECT max(id) FROM " t "), 0) + 1, false)"

/* The report summaries, as sqlite_sql.c's. */
#define REPORT_KEY_COLS(item_col) "tdate, store_id, " item_col "reason_id, user_id, cancelled"
/* A key's sums added to its row; the parameters are the columns in
 * order (report_items: 11, report_days: 10, without the item). */
#define REPORT_ADD(table, item_col, values)                                                       \
	"INSERT INTO " table "(" REPORT_KEY_COLS(item_col) ", lines, added, removed, value, unvalued) " \
	"VALUES (" values ") ON CONFLICT (" REPORT_KEY_COLS(item_col) ") DO UPDATE SET "             \
	REPORT_SUMS_ADD(table)
#define REPORT_SUMS_ADD(table)                                                                    \
	"lines = " table ".lines + excluded.lines, added = " table ".added + excluded.added, "      \
	"removed = " table ".removed + excluded.removed, value = " table ".value + excluded.value, " \
	"unvalued = " table ".unvalued + excluded.unvalued"
/* Bulk mode's deferred additions, many keys in one statement (as the
 * day totals'): one array per column. */
#define REPORT_ADD_MANY(table, item_col, arrays, names, key)                                     \
	"INSERT INTO " table "(" REPORT_KEY_COLS(item_col) ", lines, added, removed, value, unvalued) " \
	"SELECT " key ", sum(n), sum(a), sum(m), sum(v), sum(x) FROM unnest(" arrays ") AS t(" names   \
	") GROUP BY " key " ORDER BY " key " ON CONFLICT (" REPORT_KEY_COLS(item_col) ") DO UPDATE SET " \
	REPORT_SUMS_ADD(table)
#define REPORT_SUMS_OF(p) p "reason_id, " p "user_id, " p "cancelled, " p "lines, " p "added, " \
	p "removed, " p "value, " p "unvalued"
#define REPORT_FILTERS(p) "AND ($5::bigint IS NULL OR " p "reason_id = $5::bigint) "            \
	"AND ($6::boolean OR " p "cancelled = 0) AND ($3::bigint IS NULL OR " p "store_id = $3::bigint) " \
	"AND $4::bigint IS NULL"
#define REPORT_AUDIT(expected, table, g_item, r_item, item_match)                                \
	"SELECT coalesce(g.tdate, r.tdate), coalesce(g.store_id, r.store_id), "                      \
	"coalesce(" g_item ", " r_item "), coalesce(g.reason_id, r.reason_id), "                    \
	"coalesce(g.user_id, r.user_id), coalesce(g.cancelled, r.cancelled), "                      \
	"coalesce(r.lines, 0), coalesce(r.added, 0), coalesce(r.removed, 0), coalesce(r.value, 0), " \
	"coalesce(r.unvalued, 0), (r.tdate IS NOT NULL)::int, coalesce(g.lines, 0), "               \
	"coalesce(g.added, 0), coalesce(g.removed, 0), coalesce(g.value, 0), coalesce(g.unvalued, 0) " \
	"FROM (" expected ") g FULL JOIN " table " r ON r.tdate = g.tdate AND r.store_id = g.store_id " \
	item_match "AND r.reason_id = g.reason_id AND r.user_id = g.user_id AND r.cancelled = g.cancelled"

const char *const pg_sql[PQ_COUNT] = {
	/* as sqlite_sql.c's: any (ASCII: the columns' collation is "C") case */
	[PQ_STORE_FIND] = "SELECT " STORE_COLS " FROM stores "
	                  "WHERE lower(code) = lower($1::text) ORDER BY code = $1::text DESC, id LIMIT 1",
	[PQ_STORE_UPSERT] =
		"INSERT INTO stores(code, name, allow_negative, approval_threshold, tz) "
		"VALUES ($1::text, $2::text, $3::integer, $4::bigint, $5::text) "
		"ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
		"allow_negative = excluded.allow_negative, approval_threshold = excluded.approval_threshold, "
		"tz = excluded.tz RETURNING id",
	[PQ_STORE_EACH] = "SELECT " STORE_COLS " FROM stores ORDER BY code",

	[PQ_ITEM_FIND_ANY] =
		"SELECT * FROM ("
		"SELECT " ITEM_COLS ", number = $1::text AS exact, 1 AS k FROM items WHERE lower(number) = lower($1::text) UNION ALL "
		"SELECT " ITEM_COLS ", upc = $1::text, 2 FROM items WHERE lower(upc) = lower($1::text) UNION ALL "
		"SELECT " ITEM_COLS ", barcode = $1::text, 3 FROM items WHERE lower(barcode) = lower($1::text) UNION ALL "
		"SELECT " ITEM_COLS ", alt1 = $1::text, 4 FROM items WHERE lower(alt1) = lower($1::text) UNION ALL "
		"SELECT " ITEM_COLS ", alt2 = $1::text, 5 FROM items WHERE lower(alt2) = lower($1::text) UNION ALL "
		"SELECT " ITEM_COLS ", alt3 = $1::text, 6 FROM items WHERE lower(alt3) = lower($1::text)) f "
		"ORDER BY exact DESC, k, id LIMIT 1",
	[PQ_ITEM_FIND_NUMBER] = ITEM_FIND_SQL("number"),
	[PQ_ITEM_FIND_UPC] = ITEM_FIND_SQL("upc"),
	[PQ_ITEM_FIND_BARCODE] = ITEM_FIND_SQL("barcode"),
	[PQ_ITEM_FIND_ALT1] = ITEM_FIND_SQL("alt1"),
	[PQ_ITEM_FIND_ALT2] = ITEM_FIND_SQL("alt2"),
	[PQ_ITEM_FIND_ALT3] = ITEM_FIND_SQL("alt3"),
	[PQ_ITEM_UPSERT] =
		"INSERT INTO items(number, description, upc, barcode, alt1, alt2, alt3, search_key) "
		"VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text) "
		"ON CONFLICT (number) DO UPDATE SET description = excluded.description, "
		"upc = excluded.upc, barcode = excluded.barcode, alt1 = excluded.alt1, "
		"alt2 = excluded.alt2, alt3 = excluded.alt3, search_key = excluded.search_key RETURNING id",
	[PQ_ITEM_UNFOLDED] = "SELECT " ITEM_COLS " FROM items WHERE search_key IS NULL LIMIT 1000",
	[PQ_ITEM_SET_KEY] = "UPDATE items SET search_key = $2::text WHERE id = $1::bigint",
	[PQ_ITEM_PAGE] = "SELECT " ITEM_COLS " FROM items WHERE ($1::text IS NULL OR search_key LIKE $1::text) "
	                 "AND ($2::text IS NULL OR number > $2::text) ORDER BY number LIMIT $3::bigint",
	[PQ_ITEM_PAGE_BACK] = "SELECT " ITEM_COLS " FROM items WHERE ($1::text IS NULL OR search_key LIKE $1::text) "
	                      "AND ($2::text IS NULL OR number < $2::text) ORDER BY number DESC LIMIT $3::bigint",
	[PQ_ITEM_COUNT] = "SELECT count(*) FROM items WHERE ($1::text IS NULL OR search_key LIKE $1::text)",
	[PQ_ITEM_EACH] = "SELECT " ITEM_COLS " FROM items ORDER BY id",
	[PQ_ITEM_SEARCH] =
		"SELECT " ITEM_COLS " FROM items WHERE number ILIKE $1::text ESCAPE '\\' "
		"OR upc ILIKE $1::text ESCAPE '\\' OR barcode ILIKE $1::text ESCAPE '\\' "
		"OR alt1 ILIKE $1::text ESCAPE '\\' OR alt2 ILIKE $1::text ESCAPE '\\' "
		"OR alt3 ILIKE $1::text ESCAPE '\\' OR description ILIKE $2::text ESCAPE '\\' "
		"ORDER BY number LIMIT $3::bigint",

	[PQ_REASON_FIND] = "SELECT id, code, description FROM reasons WHERE lower(code) = lower($1::text) "
	                   "ORDER BY code = $1::text DESC, id LIMIT 1",
	[PQ_REASON_UPSERT] = "INSERT INTO reasons(code, description) VALUES ($1::text, $2::text) "
	                     "ON CONFLICT (code) DO UPDATE SET description = excluded.description "
	                     "RETURNING id",
	[PQ_REASON_EACH] = "SELECT id, code, description FROM reasons ORDER BY code",

	[PQ_USER_FIND] = "SELECT id, name, role, pin_hash, disabled_at IS NOT NULL FROM users "
	                 "WHERE name = $1::text",
	[PQ_USER_INSERT] = "INSERT INTO users(name, role, pin_hash, created_at) "
	                   "VALUES ($1::text, $2::text, $3::text, $4::text) RETURNING id",
	[PQ_LOGIN_GET] = "SELECT failures, last_failed_at, checking, checking_since FROM login_failures "
	                 "WHERE name = $1::text",
	[PQ_LOGIN_SET] = "INSERT INTO login_failures(name, failures, last_failed_at, checking, checking_since) "
	                 "VALUES ($1::text, $2::bigint, $3::bigint, $4::bigint, $5::bigint) "
	                 "ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, "
	                 "last_failed_at = excluded.last_failed_at, checking = excluded.checking, "
	                 "checking_since = excluded.checking_since",
	/* Only a role that may delete from login_failures (the owner's, not
	 * the terminals': docs/pg-roles.sql) unlocks a name. */
	[PQ_LOGIN_MAY_UNLOCK] = "SELECT has_table_privilege('login_failures', 'DELETE')",
	[PQ_LOGIN_CLEAR] = "DELETE FROM login_failures WHERE name = $1::text",
	[PQ_USER_COUNT] = "SELECT count(*) FROM users",
	[PQ_USER_ADMINS] = "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL",
	/* (a function: a person records their own PIN change, an admin
	 * anyone's, and nobody may UPDATE users for it: pg_roles.c) */
	[PQ_USER_SET_PIN] = "SELECT invadj_user_pin($1::bigint, $2::text, $3::bigint, $4::text)",
	[PQ_USER_DISABLE] = "UPDATE users SET disabled_at = $3::text, disabled_by = $2::bigint "
	                    "WHERE id = $1::bigint",
	[PQ_USER_ENABLE] = "UPDATE users SET disabled_at = NULL, disabled_by = NULL WHERE id = $1::bigint",
	[PQ_USER_SET_ROLE] = "UPDATE users SET role = $2::text WHERE id = $1::bigint",
	[PQ_USER_EACH] = STORE_USER_EACH_SQL,
	[PQ_USER_ID_ANY_CASE] = "SELECT id FROM users WHERE lower(name) = lower($1::text) "
	                        "ORDER BY name = $1::text DESC, id LIMIT 1",

	[PQ_LEDGER_LAST_ID] = "SELECT coalesce(max(id), 0) FROM ledger",
	/* Ascending ids (the one order of all writers): the aggregate takes
	 * the sorted rows one by one. */
	[PQ_LOCK_STORES] = "SELECT count(pg_advisory_xact_lock(" PG_LOCK_STORE_BASE " + s)) FROM "
	                   "(SELECT DISTINCT s FROM unnest($1::bigint[]) AS u(s) ORDER BY s) t",
	[PQ_LOCK_EVENTS] = "SELECT pg_advisory_xact_lock(" PG_LOCK_EVENTS ")",
	[PQ_LEDGER_IDS] = "SELECT invadj_ledger_ids($1::bigint)",
	[PQ_CHAIN_HEAD] = "SELECT seq, id, recorded_at, hash FROM ledger WHERE store_id = $1::bigint "
	                  "ORDER BY seq DESC LIMIT 1",
	[PQ_CHAIN_ROW] = "SELECT seq, id, recorded_at, hash FROM ledger WHERE store_id = $1::bigint "
	                 "AND seq = $2::bigint",
	[PQ_CHAIN_HEADS] = STORE_CHAIN_HEADS_SQL,
	[PQ_LEDGER_INSERT] =
		"INSERT INTO ledger(id, document, store_id, item_id, reason_id, diff, tdate, "
		"recorded_at, user_id, approved_by, reverses, batch_id, memo, hash, seq, item_number, "
		"hash_version) "
		"VALUES ($1::bigint, $2::bigint, $3::bigint, $4::bigint, $5::bigint, $6::bigint, $7::text, "
		"$8::text, $9::bigint, $10::bigint, $11::bigint, $12::bigint, $13::text, $14::bytea, "
		"$15::bigint, $16::text, $17::integer)",
	[PQ_LEDGER_GET] = LEDGER_VIEW "WHERE l.id = $1::bigint",
	[PQ_LEDGER_REVERSED_BY] = "SELECT id FROM ledger WHERE reverses = $1::bigint",
	[PQ_LEDGER_AUDIT_PAGE] = "SELECT " RAW_LEDGER_COLS ", o.id IS NOT NULL, o.store_id, o.item_id, "
	                         "coalesce(o.reverses,0), o.diff FROM ledger l "
	                         "LEFT JOIN ledger o ON o.id = l.reverses WHERE l.id > $1::bigint "
	                         "ORDER BY l.id LIMIT $2::bigint",
	[PQ_LEDGER_PAGE_IN_BATCH] = "SELECT " RAW_LEDGER_COLS "FROM ledger l WHERE l.batch_id = $3::bigint "
	                            "AND l.id > $1::bigint ORDER BY l.id LIMIT $2::bigint",
	HISTORY_STATEMENTS(PQ_HISTORY, STORE_HIST_ALL, "")
	/* by store: as sqlite_sql.c's, the store's chain in ledger_chain's order */
	[PQ_HISTORY + STORE_HIST_STORE * STORE_HIST_KINDS + STORE_HIST_DESC] =
		LEDGER_VIEW "WHERE l.store_id = $1::bigint AND " HISTORY_FILTERS
		"AND ($8::bigint IS NULL OR l.seq < (SELECT b.seq FROM ledger b WHERE b.id = $8::bigint)) "
		"ORDER BY l.seq DESC LIMIT $9::bigint",
	[PQ_HISTORY + STORE_HIST_STORE * STORE_HIST_KINDS + STORE_HIST_ASC] =
		LEDGER_VIEW "WHERE l.store_id = $1::bigint AND " HISTORY_FILTERS
		"AND ($8::bigint IS NULL OR l.seq > (SELECT b.seq FROM ledger b WHERE b.id = $8::bigint)) "
		"ORDER BY l.seq LIMIT $9::bigint",
	[PQ_HISTORY + STORE_HIST_STORE * STORE_HIST_KINDS + STORE_HIST_COUNT] =
		"SELECT count(*) FROM ledger l WHERE l.store_id = $1::bigint AND " HISTORY_FILTERS
		"AND $8::bigint IS NULL AND $9::bigint IS NULL",
	HISTORY_STATEMENTS(PQ_HISTORY, STORE_HIST_USER, "l.user_id = $4::bigint AND ")
	HISTORY_STATEMENTS(PQ_HISTORY, STORE_HIST_ITEM, "l.item_id = $2::bigint AND ")
	[PQ_HISTORY + STORE_HIST_DATE * STORE_HIST_KINDS + STORE_HIST_DESC] =
		LEDGER_VIEW "WHERE " HISTORY_DATE_RANGE HISTORY_FILTERS
		"AND ($8::bigint IS NULL OR l.tdate < $10::text OR (l.tdate = $10::text AND l.id < $8::bigint)) "
		"ORDER BY l.tdate DESC, l.id DESC LIMIT $9::bigint",
	[PQ_HISTORY + STORE_HIST_DATE * STORE_HIST_KINDS + STORE_HIST_ASC] =
		LEDGER_VIEW "WHERE " HISTORY_DATE_RANGE HISTORY_FILTERS
		"AND ($8::bigint IS NULL OR l.tdate > $10::text OR (l.tdate = $10::text AND l.id > $8::bigint)) "
		"ORDER BY l.tdate, l.id LIMIT $9::bigint",
	[PQ_HISTORY + STORE_HIST_DATE * STORE_HIST_KINDS + STORE_HIST_COUNT] =
		"SELECT count(*) FROM ledger l WHERE " HISTORY_DATE_RANGE HISTORY_FILTERS
		"AND $8::bigint IS NULL AND $9::bigint IS NULL AND $10::text IS NULL",
	HISTORY_STATEMENTS(PQ_HISTORY, STORE_HIST_BATCH,
	                   "l.id BETWEEN (SELECT first_id FROM batches WHERE id = $7::bigint) "
	                   "AND (SELECT last_id FROM batches WHERE id = $7::bigint) AND ")

	[PQ_BALANCE_GET] = "SELECT qty FROM balances WHERE store_id = $1::bigint AND item_id = $2::bigint",
	/* The row lock ON CONFLICT takes makes two terminals' additions to one
	 * balance wait for each other: neither Diff is lost. */
	[PQ_BALANCE_ADD] = "INSERT INTO balances(store_id, item_id, qty) VALUES ($1::bigint, $2::bigint, $3::bigint) "
	                   "ON CONFLICT (store_id, item_id) DO UPDATE SET qty = balances.qty + excluded.qty",
	[PQ_DAY_ADD] = "INSERT INTO day_totals(store_id, item_id, tdate, diff) "
	               "VALUES ($1::bigint, $2::bigint, $3::text, $4::bigint) "
	               "ON CONFLICT (store_id, item_id, tdate) DO UPDATE SET diff = day_totals.diff + excluded.diff",
	[PQ_BALANCE_ASOF] = "SELECT coalesce(sum(diff),0) FROM day_totals "
	                    "WHERE store_id = $1::bigint AND item_id = $2::bigint AND tdate <= $3::text",
	[PQ_DAYS_AFTER] = "SELECT tdate, diff FROM day_totals WHERE store_id = $1::bigint "
	                  "AND item_id = $2::bigint AND tdate > $3::text ORDER BY tdate",
	[PQ_STOCK_AFTER] = STORE_STOCK_AFTER_SQL("$1::bigint", "$2::bigint", "$3::text"),
	/* One item in every store: a LATERAL lookup of the pair's primary
	 * key for each store (the planner may not turn it into a scan). */
	[PQ_BALANCES] = BALANCE_COLS "FROM balances b " BALANCE_NAMES "ORDER BY s.code, i.number",
	[PQ_BALANCES_OF_STORE] = BALANCE_COLS "FROM stores s JOIN balances b ON b.store_id = s.id "
	                         "JOIN items i ON i.id = b.item_id WHERE s.code = $1::text ORDER BY i.number",
	[PQ_BALANCES_OF_ITEM] =
		BALANCE_COLS "FROM stores s CROSS JOIN LATERAL (SELECT qty FROM balances "
		"WHERE store_id = s.id AND item_id = $1::bigint) b JOIN items i ON i.id = $1::bigint "
		"ORDER BY s.code",
	[PQ_BALANCES_OF_PAIR] = BALANCE_COLS "FROM stores s JOIN balances b ON b.store_id = s.id "
	                        "JOIN items i ON i.id = b.item_id "
	                        "WHERE s.code = $1::text AND b.item_id = $2::bigint",
	[PQ_BALANCES_ASOF] = DAY_SUM_COLS "FROM day_totals d " DAY_SUM_NAMES "WHERE d.tdate <= $1::text "
	                     "GROUP BY s.code, i.number, i.description ORDER BY s.code, i.number",
	[PQ_BALANCES_ASOF_OF_STORE] =
		DAY_SUM_COLS "FROM stores s JOIN day_totals d ON d.store_id = s.id "
		"JOIN items i ON i.id = d.item_id WHERE s.code = $1::text AND d.tdate <= $2::text "
		"GROUP BY s.code, i.number, i.description ORDER BY i.number",
	[PQ_BALANCES_ASOF_OF_ITEM] =
		"SELECT s.code, i.number, i.description, d.total FROM stores s CROSS JOIN LATERAL "
		"(SELECT sum(diff) AS total, count(*) AS days FROM day_totals WHERE store_id = s.id "
		"AND item_id = $1::bigint AND tdate <= $2::text) d JOIN items i ON i.id = $1::bigint "
		"WHERE d.days > 0 ORDER BY s.code",
	[PQ_BALANCES_ASOF_OF_PAIR] =
		DAY_SUM_COLS "FROM stores s JOIN day_totals d ON d.store_id = s.id "
		"JOIN items i ON i.id = d.item_id "
		"WHERE s.code = $1::text AND d.item_id = $2::bigint AND d.tdate <= $3::text "
		"GROUP BY s.code, i.number, i.description",
	[PQ_USER_DAY_GET] = "SELECT diff FROM user_days WHERE store_id = $2::bigint AND item_id = $3::bigint "
	                    "AND tdate = $4::text AND user_id = $1::bigint",
	[PQ_USER_DAY_ADD] = "INSERT INTO user_days(store_id, item_id, tdate, user_id, diff) "
	                    "VALUES ($2::bigint, $3::bigint, $4::text, $1::bigint, $5::bigint) "
	                    "ON CONFLICT (store_id, item_id, tdate, user_id) "
	                    "DO UPDATE SET diff = user_days.diff + excluded.diff",
	[PQ_PAIR_SUMS] = STORE_PAIR_SUMS_SQL("$1::bigint", "$2::bigint"),
	[PQ_STOCK_PAGE] = STOCK_PAGE(">", "ASC"),
	[PQ_STOCK_PAGE_BACK] = STOCK_PAGE("<", "DESC"),
	[PQ_STOCK_COUNT] = "SELECT count(*) " STOCK_FROM,

	[PQ_BATCH_INSERT] =
		"INSERT INTO batches(file_name, sha256, rule, user_id, recorded_at, rows, posted, "
		"unchanged, reverses_batch, first_id) VALUES ($1::text, $2::text, $3::text, $4::bigint, "
		"$5::text, $6::bigint, $7::bigint, $8::bigint, $9::bigint, "
		"(SELECT coalesce(max(id), 0) + 1 FROM ledger)) RETURNING id",
	[PQ_BATCH_FINISH] = "UPDATE batches SET rows = $2::bigint, posted = $3::bigint, "
	                    "unchanged = $4::bigint, " BATCH_RANGE("$1::bigint") " WHERE id = $1::bigint",
	[PQ_BATCH_FIND_SHA] =
		"SELECT b.id FROM batches b WHERE b.sha256 = $1::text AND b.rule <> 'reversal' "
		"AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.reverses_batch = b.id) "
		"ORDER BY b.id DESC LIMIT 1",
	[PQ_BATCH_GET] = "SELECT " BATCH_COLS "WHERE b.id = $1::bigint",
	[PQ_BATCH_FINISH_UPLOAD] = "UPDATE batches SET sha256 = $2::text, rows = $3::bigint, "
	                           "posted = $4::bigint, unchanged = $5::bigint, "
	                           BATCH_RANGE("$1::bigint") " WHERE id = $1::bigint",

	[PQ_EVENT_HEAD] = "SELECT seq, id, recorded_at, hash FROM events ORDER BY seq DESC LIMIT 1",
	[PQ_EVENT_AT] = "SELECT seq, id, recorded_at, hash FROM events WHERE seq = $1::bigint",
	[PQ_EVENT_INSERT] =
		"INSERT INTO events(id, seq, kind, entity_id, entity_key, action, state, recorded_at, "
		"user_id, hash_version, hash) VALUES ($1::bigint, $2::bigint, $3::text, $4::bigint, "
		"$5::text, $6::text, $7::text, $8::text, $9::bigint, $10::integer, $11::bytea)",
	[PQ_EVENTS_EACH] = "SELECT " EVENT_COLS "WHERE ($1::text IS NULL OR kind = $1::text) "
	                   "AND ($2::bigint IS NULL OR entity_id = $2::bigint) ORDER BY id",

	/* Bulk mode's deferred sums, many keys in one statement; GROUP BY
	 * because ON CONFLICT may touch each row only once per statement. */
	[PQ_BALANCE_ADD_MANY] =
		"INSERT INTO balances(store_id, item_id, qty) SELECT s, i, sum(q) "
		"FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS u(s, i, q) GROUP BY s, i "
		"ORDER BY s, i ON CONFLICT (store_id, item_id) DO UPDATE SET qty = balances.qty + excluded.qty",
	[PQ_BALANCE_ALL] = "SELECT store_id, item_id, qty FROM balances",
	[PQ_DAY_ADD_MANY] =
		"INSERT INTO day_totals(store_id, item_id, tdate, diff) SELECT s, i, d, sum(q) "
		"FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[]) AS u(s, i, d, q) "
		"GROUP BY s, i, d ORDER BY s, i, d ON CONFLICT (store_id, item_id, tdate) "
		"DO UPDATE SET diff = day_totals.diff + excluded.diff",
	[PQ_USER_DAY_ADD_MANY] =
		"INSERT INTO user_days(store_id, item_id, tdate, user_id, diff) SELECT s, i, d, u, sum(q) "
		"FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[]) "
		"AS x(s, i, d, u, q) GROUP BY s, i, d, u ORDER BY s, i, d, u "
		"ON CONFLICT (store_id, item_id, tdate, user_id) "
		"DO UPDATE SET diff = user_days.diff + excluded.diff",

	/* Copying a whole database (migrate): rows as text in the column
	 * order of store.h's store_table, the hash in hex. */
	[PQ_TABLE_COUNT_STORES] = "SELECT count(*) FROM stores",
	[PQ_TABLE_COUNT_ITEMS] = "SELECT count(*) FROM items",
	[PQ_TABLE_COUNT_REASONS] = "SELECT count(*) FROM reasons",
	[PQ_TABLE_COUNT_USERS] = "SELECT count(*) FROM users",
	[PQ_TABLE_COUNT_BATCHES] = "SELECT count(*) FROM batches",
	[PQ_TABLE_COUNT_EVENTS] = "SELECT count(*) FROM events",
	[PQ_TABLE_COUNT_LEDGER] = "SELECT count(*) FROM ledger",
	[PQ_TABLE_COUNT_BALANCES] = "SELECT count(*) FROM balances",
	[PQ_TABLE_COUNT_DAY_TOTALS] = "SELECT count(*) FROM day_totals",
	[PQ_TABLE_COUNT_USER_DAYS] = "SELECT count(*) FROM user_days",
	[PQ_TABLE_EACH_STORES] = STORES_SELECT "ORDER BY id",
	[PQ_TABLE_EACH_ITEMS] = ITEMS_SELECT "ORDER BY id",
	[PQ_TABLE_EACH_REASONS] = REASONS_SELECT "ORDER BY id",
	[PQ_TABLE_EACH_USERS] = USERS_SELECT "ORDER BY id",
	[PQ_TABLE_EACH_BATCHES] = BATCHES_SELECT "ORDER BY id",
	[PQ_TABLE_PAGE_EVENTS] = "SELECT id, seq, kind, entity_id, entity_key, action, state, recorded_at, "
	                         "user_id, hash_version, encode(hash, 'hex') FROM events "
	                         "WHERE id > $1::bigint ORDER BY id LIMIT $2::bigint",
	[PQ_TABLE_PAGE_LEDGER] = "SELECT id, document, store_id, item_id, reason_id, diff, tdate, "
	                         "recorded_at, user_id, approved_by, reverses, batch_id, memo, "
	                         "encode(hash, 'hex'), seq, item_number, hash_version FROM ledger "
	                         "WHERE id > $1::bigint ORDER BY id LIMIT $2::bigint",
	[PQ_TABLE_EACH_BALANCES] = "SELECT store_id, item_id, qty FROM balances ORDER BY store_id, item_id",
	[PQ_TABLE_EACH_DAY_TOTALS] = "SELECT store_id, item_id, tdate, diff FROM day_totals "
	                             "ORDER BY store_id, item_id, tdate",
	[PQ_TABLE_EACH_USER_DAYS] = "SELECT store_id, item_id, tdate, user_id, diff FROM user_days "
	                            "ORDER BY store_id, item_id, tdate, user_id",
	[PQ_TABLE_COUNT_COUNTS] = "SELECT count(*) FROM counts",
	[PQ_TABLE_COUNT_COUNT_ITEMS] = "SELECT count(*) FROM count_items",
	[PQ_TABLE_COUNT_COUNT_SCANS] = "SELECT count(*) FROM count_scans",
	[PQ_TABLE_COUNT_COUNT_ENDS] = "SELECT count(*) FROM count_ends",
	[PQ_TABLE_EACH_COUNTS] = "SELECT id, store_id, blind, scope, memo, user_id, started_at, count_day, "
	                         "start_seq FROM counts ORDER BY id",
	[PQ_TABLE_EACH_COUNT_ITEMS] = "SELECT count_id, item_id FROM count_items ORDER BY count_id, item_id",
	[PQ_TABLE_PAGE_COUNT_SCANS] = "SELECT id, count_id, item_id, kind, qty, seq, undoes, user_id, "
	                              "recorded_at FROM count_scans WHERE id > $1::bigint ORDER BY id "
	                              "LIMIT $2::bigint",
	[PQ_TABLE_EACH_COUNT_ENDS] = "SELECT count_id, status, batch_id, zero_uncounted, accept_moved, "
	                             "user_id, recorded_at FROM count_ends ORDER BY count_id",
	[PQ_ROW_STORES] = STORES_SELECT "WHERE id = $1::bigint",
	[PQ_ROW_ITEMS] = ITEMS_SELECT "WHERE id = $1::bigint",
	[PQ_TABLE_EACH_ITEMS_5] = ITEMS_SELECT_5 "ORDER BY id",
	[PQ_ROW_ITEMS_5] = ITEMS_SELECT_5 "WHERE id = $1::bigint",
	[PQ_ROW_REASONS] = REASONS_SELECT "WHERE id = $1::bigint",
	[PQ_ROW_USERS] = USERS_SELECT "WHERE id = $1::bigint",
	[PQ_ROW_BATCHES] = BATCHES_SELECT "WHERE id = $1::bigint",
	/* New ids continue after the copied ones. */
	[PQ_COPY_FINISH] =
		"SELECT " NEXT_ID("stores") ", " NEXT_ID("items") ", " NEXT_ID("reasons") ", "
		NEXT_ID("users") ", " NEXT_ID("batches") ", " NEXT_ID("counts") ", " NEXT_ID("count_scans") ", "
		"setval('ledger_ids', coalesce((SELECT max(id) FROM ledger), 0) + 1, false)",

	/* Whether the version table exists: a statement naming a missing
	 * table could not even be prepared. */
	/* The server's clock, not the terminal's. */
	[PQ_NOW_MS] = "SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint",
	/* A zone's offset from UTC at an instant; "" is the server's own
	 * zone: its TimeZone setting, unless a terminal's PGTZ sent another
	 * (source 'client'), when log_timezone, which no client can set and
	 * initdb sets to the same zone, stands in. */
	[PQ_ZONE_OFFSET] =
		"SELECT extract(epoch FROM (t AT TIME ZONE z) - (t AT TIME ZONE 'UTC'))::bigint "
		"FROM (SELECT to_timestamp($1::bigint) AS t, coalesce(nullif($2::text, ''), "
		"(SELECT CASE WHEN source = 'client' THEN current_setting('log_timezone') "
		"ELSE setting END FROM pg_settings WHERE name = 'TimeZone')) AS z) s",
	[PQ_SCHEMA_VERSION] = "SELECT to_regclass('invadj_schema') IS NOT NULL",
	[PQ_SCHEMA_VERSION_READ] = "SELECT max(version) FROM invadj_schema",
	/* The triggers the guarantees rest on (the ledger's immutability,
	 * its reference check, the master tables' keeping of rows and ids,
	 * and the checks of who writes): table, name, when they fire,
	 * whether they are enabled (A: always, also for replication
	 * sessions), whether their function still raises, and whether its
	 * search path is fixed. */
	[PQ_TRIGGERS] =
		"SELECT c.relname, t.tgname, t.tgenabled, t.tgtype, "
		"p.prosrc LIKE '%RAISE EXCEPTION%', t.tgqual IS NULL, "
		/* its function's search path fixed, the session's temporary
		 * schema last (a temporary table never stands in for a table) */
		"coalesce('search_path=public, pg_temp' = ANY (p.proconfig), false) FROM pg_trigger t "
		"JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
		"WHERE c.relnamespace = to_regnamespace(current_schema())::oid AND NOT t.tgisinternal",
	/* The tables' keys, unique and partial indexes, foreign keys and
	 * checks that the guarantees rest on; each row names one that is
	 * missing or not valid. */
	[PQ_MISSING_OBJECTS] =
		"SELECT e.name FROM unnest($1::text[]) AS e(name) WHERE NOT EXISTS ("
		"SELECT 1 FROM pg_constraint c WHERE c.conname = e.name AND c.convalidated "
		"AND c.connamespace = to_regnamespace(current_schema())::oid) AND NOT EXISTS ("
		"SELECT 1 FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
		"WHERE c.relname = e.name AND i.indisvalid AND i.indisready "
		"AND c.relnamespace = to_regnamespace(current_schema())::oid)",
	/* The first ledger row whose store, item, reason, user, approver,
	 * batch or reversed row does not exist (the ledger has no foreign
	 * keys on PostgreSQL: pg_schema.c), and which reference it is.  One
	 * pass with hash joins over the whole ledger, materialised before
	 * ORDER BY so that LIMIT 1 cannot turn it into a probe per row in id
	 * order; a reversed row is probed only where there is one. */
	[PQ_ITEM_COST_GET] = "SELECT unit_cost, coalesce(cost_from, '') FROM items WHERE id = $1::bigint",
	[PQ_ITEM_COST_SET] = "UPDATE items SET unit_cost = $2::bigint, cost_from = $3::text WHERE id = $1::bigint",
	[PQ_COST_HISTORY_PUT] = "INSERT INTO item_costs(item_id, effective, unit_cost) "
	                        "VALUES ($1::bigint, $2::text, $3::bigint) ON CONFLICT (item_id, effective) "
	                        "DO UPDATE SET unit_cost = excluded.unit_cost",
	[PQ_COST_AT] = "SELECT unit_cost FROM item_costs WHERE item_id = $1::bigint AND effective <= $2::text "
	               "ORDER BY effective DESC LIMIT 1",
	[PQ_REPORT_ADD_ITEMS] = REPORT_ADD("report_items", "item_id, ",
		"$1::text, $2::bigint, $3::bigint, $4::bigint, $5::bigint, $6::integer, $7::bigint, "
		"$8::bigint, $9::bigint, $10::bigint, $11::bigint"),
	[PQ_REPORT_ADD_DAYS] = REPORT_ADD("report_days", "",
		"$1::text, $2::bigint, $3::bigint, $4::bigint, $5::integer, $6::bigint, $7::bigint, "
		"$8::bigint, $9::bigint, $10::bigint"),
	[PQ_REPORT_ADD_ITEMS_MANY] = REPORT_ADD_MANY("report_items", "item_id, ",
		"$1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::integer[], "
		"$7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[]",
		"d, s, i, r, u, c, n, a, m, v, x", "d, s, i, r, u, c"),
	[PQ_REPORT_ADD_DAYS_MANY] = REPORT_ADD_MANY("report_days", "",
		"$1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::integer[], $6::bigint[], "
		"$7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[]",
		"d, s, r, u, c, n, a, m, v, x", "d, s, r, u, c"),
	/* A person's summaries are the server's (pg_roles.c): an admin's
	 * change of a unit cost values a key's lines again, no more. */
	[PQ_REPORT_REVALUE_ITEMS] = "UPDATE report_items SET value = value + $7::bigint, "
		"unvalued = unvalued + $8::bigint WHERE tdate = $1::text AND store_id = $2::bigint "
		"AND item_id = $3::bigint AND reason_id = $4::bigint AND user_id = $5::bigint "
		"AND cancelled = $6::integer",
	[PQ_REPORT_REVALUE_DAYS] = "UPDATE report_days SET value = value + $6::bigint, "
		"unvalued = unvalued + $7::bigint WHERE tdate = $1::text AND store_id = $2::bigint "
		"AND reason_id = $3::bigint AND user_id = $4::bigint AND cancelled = $5::integer",
	[PQ_REPORT_DAYS] = "SELECT tdate, store_id, 0, " REPORT_SUMS_OF("") " FROM report_days "
	                   "WHERE tdate BETWEEN $1::text AND $2::text " REPORT_FILTERS(""),
	[PQ_REPORT_ITEMS] = "SELECT tdate, store_id, item_id, " REPORT_SUMS_OF("") " FROM report_items "
	                    "WHERE tdate BETWEEN $1::text AND $2::text " REPORT_FILTERS(""),
	[PQ_REPORT_ITEMS_OF_ITEM] =
		"SELECT r.tdate, r.store_id, r.item_id, " REPORT_SUMS_OF("r.") " FROM stores s "
		"JOIN day_totals d ON d.store_id = s.id AND d.item_id = $4::bigint "
		"AND d.tdate BETWEEN $1::text AND $2::text "
		"JOIN report_items r ON r.tdate = d.tdate AND r.store_id = d.store_id AND r.item_id = d.item_id "
		"WHERE ($3::bigint IS NULL OR s.id = $3::bigint) "
		"AND ($5::bigint IS NULL OR r.reason_id = $5::bigint) AND ($6::boolean OR r.cancelled = 0)",
	[PQ_REPORT_AUDIT_ITEMS] = REPORT_AUDIT(
		"SELECT l.tdate, l.store_id, l.item_id, l.reason_id, l.user_id, (l.reverses IS NOT NULL "
		"OR EXISTS (SELECT 1 FROM ledger x WHERE x.reverses = l.id))::int AS cancelled, "
		"count(*) AS lines, sum(greatest(l.diff, 0)) AS added, sum(greatest(-l.diff, 0)) AS removed, "
		"0 AS value, 0 AS unvalued FROM ledger l GROUP BY 1, 2, 3, 4, 5, 6",
		"report_items", "g.item_id", "r.item_id", "AND r.item_id = g.item_id "),
	[PQ_REPORT_AUDIT_DAYS] = REPORT_AUDIT(
		"SELECT tdate, store_id, reason_id, user_id, cancelled, sum(lines) AS lines, "
		"sum(added) AS added, sum(removed) AS removed, sum(value) AS value, "
		"sum(unvalued) AS unvalued FROM report_items GROUP BY 1, 2, 3, 4, 5",
		"report_days", "0", "0", ""),
#define PG_POS(x) "greatest(" x ", 0)"
	[PQ_BATCH_LINES] = STORE_BATCH_LINES_SQL("$1::bigint", PG_POS),
	[PQ_TABLE_COUNT_ITEM_COSTS] = "SELECT count(*) FROM item_costs",
	[PQ_TABLE_COUNT_REPORT_ITEMS] = "SELECT count(*) FROM report_items",
	[PQ_TABLE_COUNT_REPORT_DAYS] = "SELECT count(*) FROM report_days",
	[PQ_TABLE_EACH_ITEM_COSTS] = "SELECT item_id, effective, unit_cost FROM item_costs "
	                             "ORDER BY item_id, effective",
	[PQ_TABLE_EACH_REPORT_ITEMS] = "SELECT " REPORT_KEY_COLS("item_id, ") ", lines, added, removed, "
	                               "value, unvalued FROM report_items ORDER BY " REPORT_KEY_COLS("item_id, "),
	[PQ_TABLE_EACH_REPORT_DAYS] = "SELECT " REPORT_KEY_COLS("") ", lines, added, removed, value, "
	                              "unvalued FROM report_days ORDER BY " REPORT_KEY_COLS(""),
	[PQ_LEDGER_BAD_REF] =
		"WITH bad AS MATERIALIZED (SELECT l.id, CASE WHEN s.id IS NULL THEN 'store' "
		"WHEN i.id IS NULL THEN 'item' WHEN r.id IS NULL THEN 'reason' "
		"WHEN u.id IS NULL THEN 'user' WHEN l.approved_by IS NOT NULL AND p.id IS NULL THEN 'approver' "
		"WHEN l.batch_id IS NOT NULL AND b.id IS NULL THEN 'batch' ELSE 'reversed row' END AS what "
		"FROM ledger l LEFT JOIN stores s ON s.id = l.store_id LEFT JOIN items i ON i.id = l.item_id "
		"LEFT JOIN reasons r ON r.id = l.reason_id LEFT JOIN users u ON u.id = l.user_id "
		"LEFT JOIN users p ON p.id = l.approved_by LEFT JOIN batches b ON b.id = l.batch_id "
		"WHERE s.id IS NULL OR i.id IS NULL OR r.id IS NULL OR u.id IS NULL "
		"OR (l.approved_by IS NOT NULL AND p.id IS NULL) OR (l.batch_id IS NOT NULL AND b.id IS NULL) "
		"OR (l.reverses IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger x WHERE x.id = l.reverses))) "
		"SELECT id, what FROM bad ORDER BY id LIMIT 1",

	/* People on the server (pg_roles.c). */
	[PQ_SETUP_EXISTS] = "SELECT to_regclass('public.invadj_server') IS NOT NULL",
	[PQ_SETUP_READ] = "SELECT setup FROM invadj_server",
	[PQ_ROLE_CREATE] = "SELECT invadj_role_create($1::text, $2::text, $3::text, $4::boolean)",
	[PQ_ROLE_ALTER] = "SELECT invadj_role_alter($1::text, $2::text, $3::boolean, $4::text)",
	[PQ_ROLE_EXISTS] = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1::text)",
	[PQ_ROLE_REVOKE] = "SELECT invadj_role_revoke($1::text)",
	[PQ_ROLES_START] = "UPDATE invadj_server SET roles_since = (SELECT coalesce(max(id), 0) FROM ledger) "
	                   "WHERE roles_since IS NULL",
	[PQ_APPROVAL_SIGN] = "INSERT INTO approvals (author_id, digest, rows) "
	                     "VALUES ($1::bigint, $2::bytea, $3::bigint)",
	/* verify's checks of the people (each: the first fault, two columns),
	 * from the moment per-person logins began (invadj_server.roles_since;
	 * a ledger migrated here and not yet given roles has none). */
	[PQ_CHECK_SECRETS] =
		"SELECT u.name, 'per-person logins began after ledger row #' || s.roles_since "
		"FROM users u CROSS JOIN invadj_server s WHERE s.roles_since IS NOT NULL AND u.pin_hash <> '' "
		"ORDER BY u.id LIMIT 1",
	/* Every approved row since then (but a supervisor's or admin's own)
	 * used an approval its approver signed for its author, and every
	 * used approval covers exactly the rows it was signed for (the
	 * digest over their hashes in id order). */
	[PQ_CHECK_APPROVALS] =
		"WITH s AS (SELECT roles_since FROM invadj_server WHERE roles_since IS NOT NULL), "
		/* (the bound as a scalar, so that the partial index ledger_approved
		 * serves even before the server has statistics of a fresh upload:
		 * joined, the planner scanned the whole ledger) */
		"r AS (SELECT l.id, l.user_id, l.approved_by, c.approval_id FROM ledger l "
		" LEFT JOIN approval_claims c ON c.ledger_id = l.id WHERE l.approved_by IS NOT NULL "
		" AND l.approved_by <> l.user_id AND l.id > (SELECT roles_since FROM s)), "
		"bad_row AS (SELECT r.id, CASE WHEN r.approval_id IS NULL "
		" THEN 'names an approver, but no approval signed by them was used for it' "
		" WHEN a.id IS NULL OR a.used_at IS NULL THEN 'claims an approval that does not exist or was not used' "
		" WHEN a.approver_id <> r.approved_by THEN 'names another approver than the one who signed its approval' "
		" WHEN a.author_id <> r.user_id THEN 'used an approval signed for another author' END AS why "
		" FROM r LEFT JOIN approvals a ON a.id = r.approval_id), "
		"used AS (SELECT c.approval_id, count(*) AS n, min(c.ledger_id) AS first_id, "
		" sha256(string_agg(l.hash, ''::bytea ORDER BY l.id)) AS digest FROM approval_claims c "
		" JOIN ledger l ON l.id = c.ledger_id WHERE c.approval_id IS NOT NULL GROUP BY c.approval_id), "
		"bad_approval AS (SELECT u.first_id AS id, 'used approval #' || a.id || "
		" ', which its approver signed for other rows' AS why FROM used u "
		" JOIN approvals a ON a.id = u.approval_id WHERE u.n <> a.rows OR u.digest <> a.digest) "
		"SELECT id, why FROM (SELECT id, why FROM bad_row WHERE why IS NOT NULL "
		" UNION ALL SELECT id, why FROM bad_approval) f ORDER BY id LIMIT 1",
	/* Each user's login role: there, no superuser, not the schema's
	 * owner (an admin on PostgreSQL 15 may grant it to themself: found
	 * here), CREATEROLE for admins only, LOGIN exactly while enabled,
	 * and in the group of its role alone. */
	[PQ_CHECK_ROLES] =
		"SELECT name, why FROM (SELECT u.id, u.name, CASE "
		" WHEN r.oid IS NULL THEN 'has no login role on the server' "
		" WHEN r.rolsuper THEN 'has a superuser''s role: a person''s role may not be one' "
		" WHEN pg_catalog.pg_has_role(r.oid, 'invadj_owner', 'MEMBER') "
		" THEN 'can act as invadj_owner, the schema''s owner: a person''s role may not' "
		" WHEN r.rolcreaterole AND u.role <> 'admin' THEN 'is a ' || u.role || ', but their role may create roles' "
		" WHEN r.rolcanlogin AND u.disabled_at IS NOT NULL THEN 'is disabled, but their role may log in' "
		" WHEN NOT r.rolcanlogin AND u.disabled_at IS NULL THEN 'is enabled, but their role may not log in' "
		" WHEN g.groups IS DISTINCT FROM 'invadj_' || u.role "
		" THEN 'is a ' || u.role || ', but their role is in ' || coalesce(g.groups, 'no invadj group') "
		" END AS why FROM users u CROSS JOIN invadj_server s "
		" LEFT JOIN pg_catalog.pg_roles r ON r.rolname = u.name "
		" LEFT JOIN LATERAL (SELECT string_agg(gr.rolname, ', ' ORDER BY gr.rolname) AS groups "
		"  FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles gr ON gr.oid = m.roleid "
		"  WHERE m.member = r.oid AND gr.rolname IN ('invadj_clerk', 'invadj_supervisor', 'invadj_admin')) g "
		" ON true WHERE s.roles_since IS NOT NULL) x WHERE why IS NOT NULL ORDER BY id LIMIT 1",
	/* Counts, as sqlite_sql.c's, but numbered by their identity columns:
	 * counts at different stores are started and scanned at once. */
	[PQ_COUNT_INSERT] = "INSERT INTO counts(store_id, blind, scope, memo, user_id, started_at, "
	                    "count_day, start_seq) VALUES ($1::bigint, $2::integer, "
	                    "$3::text, $4::text, $5::bigint, $6::text, $7::text, $8::bigint) "
	                    "RETURNING id",
	[PQ_COUNT_GET] = STORE_COUNT_VIEW_SQL("0, 0") "WHERE c.id = $1::bigint",
	[PQ_COUNT_GET_TALLIED] = STORE_COUNT_VIEW_SQL(STORE_COUNT_SCANS_SQL) "WHERE c.id = $1::bigint",
	[PQ_COUNT_EACH] = STORE_COUNT_VIEW_SQL(STORE_COUNT_SCANS_SQL)
	                  "WHERE ($1::bigint IS NULL OR c.store_id = $1::bigint) AND (e.count_id IS NULL "
	                  "OR $2::text IS NULL OR e.recorded_at >= $2::text) ORDER BY c.id DESC",
	[PQ_COUNT_EACH_POSTED] = STORE_COUNT_VIEW_SQL("0, 0") "WHERE e.status = 'posted' ORDER BY c.id",
	[PQ_COUNT_ITEM_ADD] = "INSERT INTO count_items(count_id, item_id) VALUES ($1::bigint, $2::bigint)",
	[PQ_COUNT_IN_LIST] = "SELECT 1 FROM count_items WHERE count_id = $1::bigint AND item_id = $2::bigint",
	[PQ_COUNT_SCAN_INSERT] =
		"INSERT INTO count_scans(count_id, item_id, kind, qty, seq, undoes, user_id, recorded_at) "
		"VALUES ($1::bigint, $2::bigint, $3::text, $4::bigint, $5::bigint, "
		"$6::bigint, $7::bigint, $8::text) RETURNING id",
	[PQ_COUNT_SCANS_OF_ITEM] = STORE_COUNT_SCAN_SQL("'', ''")
	                           "WHERE s.count_id = $1::bigint AND s.item_id = $2::bigint ORDER BY s.id",
	[PQ_COUNT_SCANS_ALL] = STORE_COUNT_SCAN_SQL("i.number, i.description")
	                       "JOIN items i ON i.id = s.item_id WHERE s.count_id = $1::bigint "
	                       "ORDER BY s.item_id, s.id",
	[PQ_COUNT_LAST_SCAN] = STORE_COUNT_SCAN_SQL("'', ''")
	                       "WHERE s.count_id = $1::bigint AND s.user_id = $2::bigint AND s.kind <> 'undo' "
	                       "AND NOT EXISTS (SELECT 1 FROM count_scans u WHERE u.undoes = s.id) "
	                       "ORDER BY s.id DESC LIMIT 1",
	[PQ_COUNT_LIST_ITEMS] = "SELECT i.id, i.number, i.description, 0 FROM count_items c "
	                        "JOIN items i ON i.id = c.item_id WHERE c.count_id = $1::bigint ORDER BY c.item_id",
	[PQ_COUNT_STOCK] = "SELECT i.id, i.number, i.description, b.qty FROM balances b "
	                   "JOIN items i ON i.id = b.item_id WHERE b.store_id = $1::bigint ORDER BY b.item_id",
	[PQ_COUNT_END_INSERT] = "INSERT INTO count_ends(count_id, status, batch_id, zero_uncounted, "
	                        "accept_moved, user_id, recorded_at) VALUES ($1::bigint, $2::text, $3::bigint, "
	                        "$4::integer, $5::integer, $6::bigint, $7::text)",
	[PQ_CHAIN_SUMS] = "SELECT item_id, sum(diff) FROM ledger WHERE store_id = $1::bigint "
	                  "AND seq > $2::bigint AND seq <= $3::bigint GROUP BY item_id ORDER BY item_id",
	[PQ_ITEM_MOVED_AFTER] = "SELECT coalesce(sum(diff), 0) FROM ledger WHERE item_id = $2::bigint "
	                        "AND id > $3::bigint AND store_id = $1::bigint",
};
