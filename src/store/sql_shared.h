/* SQL that both backends run word for word (no parameters, standard
 * SQL that SQLite and PostgreSQL read alike). */
#ifndef INVADJ_SQL_SHARED_H
#define INVADJ_SQL_SHARED_H

/* The day totals against their ledger rows (verify). */
#define STORE_DAY_MISMATCH_SQL "SELECT coalesce(s.code, '?'), coalesce(i.number, '?'), x.tdate, x.stored, x.summed FROM (" \
	"SELECT coalesce(d.store_id, l.store_id) AS store_id, coalesce(d.item_id, l.item_id) AS item_id, " \
	"coalesce(d.tdate, l.tdate) AS tdate, coalesce(d.diff, 0) AS stored, coalesce(l.s, 0) AS summed " \
	"FROM (SELECT store_id, item_id, tdate, sum(diff) AS s FROM ledger GROUP BY store_id, item_id, tdate) l " \
	"FULL OUTER JOIN day_totals d ON d.store_id = l.store_id AND d.item_id = l.item_id AND d.tdate = l.tdate" \
	") x LEFT JOIN stores s ON s.id = x.store_id LEFT JOIN items i ON i.id = x.item_id " \
	"WHERE x.stored <> x.summed LIMIT 1"

/* Every user by name, with the names of who disabled them and who last
 * set their PIN (user_each). */
#define STORE_USER_EACH_SQL "SELECT u.name, u.role, u.created_at, coalesce(u.disabled_at, ''), " \
	"coalesce(d.name, ''), coalesce(u.pin_set_at, ''), coalesce(p.name, '') FROM users u " \
	"LEFT JOIN users d ON d.id = u.disabled_by LEFT JOIN users p ON p.id = u.pin_set_by ORDER BY u.name"

/* Which of balances_each's statements serves the filters given: one
 * each for none, a store, an item, both (in that order in each backend's
 * list of statements), as "(? IS NULL OR code = ?)" can use no index. */
#define BALANCES_SHAPE(store_code, item_id) (((store_code) ? 1 : 0) | ((item_id) ? 2 : 0))

#endif
