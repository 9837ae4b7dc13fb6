/* SQL that both backends run word for word (no parameters, standard
 * SQL that SQLite and PostgreSQL read alike). */
#ifndef INVADJ_SQL_SHARED_H
#define INVADJ_SQL_SHARED_H

/* Every store with ledger rows and the head of its chain, by code: one
 * probe of the chain index per store. */
#define STORE_CHAIN_HEADS_SQL "SELECT s.id, s.code, l.seq, l.id, l.recorded_at, l.hash FROM stores s " \
	"JOIN ledger l ON l.store_id = s.id AND l.seq = (SELECT max(x.seq) FROM ledger x " \
	"WHERE x.store_id = s.id) ORDER BY s.code"

/* A store and item's stored sums (verify): balance, day totals, users'
 * day totals, each by its primary key.  S and I are the parameters. */
#define STORE_PAIR_SUMS_SQL(S, I) "SELECT 0, NULL, 0, qty FROM balances WHERE store_id = " S \
	" AND item_id = " I " UNION ALL SELECT 1, tdate, 0, diff FROM day_totals WHERE store_id = " S \
	" AND item_id = " I " UNION ALL SELECT 2, tdate, user_id, diff FROM user_days WHERE store_id = " \
	S " AND item_id = " I

/* A store and item's day totals after a date (store_stock_after): their
 * sum, and the lowest of their running sums, read by the primary key in
 * date order in one row. */
#define STORE_STOCK_AFTER_SQL(S, I, T) "SELECT coalesce(sum(diff), 0), coalesce(min(running), 0) " \
	"FROM (SELECT diff, sum(diff) OVER (ORDER BY tdate ROWS UNBOUNDED PRECEDING) AS running " \
	"FROM day_totals WHERE store_id = " S " AND item_id = " I " AND tdate > " T ") AS d"

/* Every user by name, with the names of who disabled them and who last
 * set their PIN (user_each). */
#define STORE_USER_EACH_SQL "SELECT u.name, u.role, u.created_at, coalesce(u.disabled_at, ''), " \
	"coalesce(d.name, ''), coalesce(u.pin_set_at, ''), coalesce(p.name, '') FROM users u " \
	"LEFT JOIN users d ON d.id = u.disabled_by LEFT JOIN users p ON p.id = u.pin_set_by ORDER BY u.name"

/* Which of balances_each's statements serves the filters given: one
 * each for none, a store, an item, both (in that order in each backend's
 * list of statements), as "(? IS NULL OR code = ?)" can use no index. */
#define BALANCES_SHAPE(store_code, item_id) (((store_code) ? 1 : 0) | ((item_id) ? 2 : 0))

/* A count as store_count gives it: the header, its end (if any), the
 * names for people, and SCANS (the number of scans and of items
 * scanned, or "0, 0" where nobody needs them). */
#define STORE_COUNT_VIEW_SQL(SCANS)                                                              \
	"SELECT c.id, c.store_id, c.blind, c.scope, c.memo, c.user_id, c.started_at, c.count_day, "   \
	"c.start_seq, coalesce(e.status, 'open'), coalesce(e.batch_id, 0), coalesce(e.user_id, 0), "   \
	"coalesce(e.zero_uncounted, 0), coalesce(e.accept_moved, 0), coalesce(e.recorded_at, ''), "   \
	"s.code, u.name, coalesce(eu.name, ''), " SCANS " FROM counts c "                              \
	"JOIN stores s ON s.id = c.store_id JOIN users u ON u.id = c.user_id "                          \
	"LEFT JOIN count_ends e ON e.count_id = c.id LEFT JOIN users eu ON eu.id = e.user_id "
#define STORE_COUNT_SCANS_SQL                                                                     \
	"(SELECT count(*) FROM count_scans x WHERE x.count_id = c.id), "                                \
	"(SELECT count(DISTINCT x.item_id) FROM count_scans x WHERE x.count_id = c.id)"
/* A scan as store_count_scan gives it, then the item's number and
 * description (NAMES); "undone" finds an undo by the unique index. */
#define STORE_COUNT_SCAN_SQL(NAMES)                                                               \
	"SELECT s.id, s.count_id, s.item_id, s.user_id, s.kind, s.qty, coalesce(s.seq, 0), "            \
	"coalesce(s.undoes, 0), s.recorded_at, "                                                      \
	"EXISTS (SELECT 1 FROM count_scans u WHERE u.undoes = s.id), " NAMES " FROM count_scans s "

/* An upload's lines by date, store, item and reason (store_batch_lines),
 * in report_items' key order and its row's columns; POS(x) is x when
 * positive, else 0.  Its rows are from the batch's first id on, by the
 * primary key (on a server other stores' rows may come between). */
#define STORE_BATCH_LINES_SQL(B, POS) "SELECT tdate, store_id, item_id, reason_id, 0, 0, count(*), " \
	"sum(" POS("diff") "), sum(" POS("-diff") "), 0, 0 FROM ledger WHERE id >= " \
	"(SELECT first_id FROM batches WHERE id = " B ") AND batch_id = " B " GROUP BY tdate, store_id, item_id, reason_id " \
	"ORDER BY tdate, store_id, item_id, reason_id"

#endif
