/* No query scans where an index could serve (issue 16): EXPLAIN QUERY
 * PLAN of every statement in SQLite's table (src/store/sqlite_sql.c),
 * on a database of the current schema.  A step that scans the ledger,
 * ledger_items, day totals, user day totals, balances or the report
 * summaries whole fails the test, unless the statement reads the whole
 * table by design (whole_read below, each with why).  SQLite's plans do not depend on the values
 * bound (no STAT4), so one plan per statement covers every store, item
 * and date it is given.  A scan of a table the statement does not name
 * is the foreign-key code's (a parent row's insert, run only against
 * deferred violations, which invadj never has): not the statement's.
 * The PostgreSQL plans: tests/pg/test_point_query.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "engine/internal.h"
#include "store/sqlite_internal.h"
#include "support/fixture.h"

static const char *const big_tables[] = {"ledger", "ledger_items", "day_totals", "user_days", "balances",
                                         "report_items", "report_days"};
#define NBIG (sizeof big_tables / sizeof big_tables[0])

/* Statements that read a whole table by design: verify's and export's
 * passes, the lists of every balance, History with no filter. */
static bool whole_read(int q)
{
	static const query whole[] = {
		Q_LEDGER_ITEMS_EACH, /* verify: ledger_items against the ledger */
		Q_LEDGER_AUDIT,      /* verify and export: every row, in id order */
		Q_LEDGER_BY_PAIR,    /* verify: every row by store and item */
		Q_REPORT_AUDIT_ITEMS, /* verify: report_items against the ledger */
		Q_REPORT_AUDIT_DAYS, /* ... and report_days against report_items */
		Q_BALANCES,          /* `balance` with no filter: every balance */
		Q_BALANCES_ASOF,     /* ... as of a date: every day total up to it */
		Q_HISTORY + STORE_HIST_ALL * STORE_HIST_KINDS + STORE_HIST_DESC, /* History, no filter: the */
		Q_HISTORY + STORE_HIST_ALL * STORE_HIST_KINDS + STORE_HIST_ASC,  /* newest rows by the */
		Q_HISTORY + STORE_HIST_ALL * STORE_HIST_KINDS + STORE_HIST_COUNT, /* primary key; all counted */
	};
	for (size_t k = 0; k < sizeof whole / sizeof whole[0]; k++)
		if ((int)whole[k] == q)
			return true;
	return false;
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Whether sql names word as a whole word. */
static const char *find_word(const char *sql, const char *word, const char *from)
{
	size_t n = strlen(word);
	for (const char *p = strstr(from, word); p; p = strstr(p + 1, word))
		if ((p == sql || !is_word_char(p[-1])) && !is_word_char(p[n]))
			return p;
	return NULL;
}

/* Whether name (a plan's "SCAN name ...") is table, or an alias sql
 * gives it ("table alias" or "table AS alias"). */
static bool names_table(const char *sql, const char *table, const char *name, size_t name_len)
{
	static const char *const keywords[] = {"WHERE", "JOIN", "ON", "CROSS", "LEFT", "INNER", "ORDER", "GROUP",
	                                       "LIMIT", "USING", "SET", "VALUES", "AS", "WITH", "UNION"};
	if (strlen(table) == name_len && strncmp(table, name, name_len) == 0)
		return find_word(sql, table, sql) != NULL;
	for (const char *p = find_word(sql, table, sql); p; p = find_word(sql, table, p + 1)) {
		const char *a = p + strlen(table);
		while (*a == ' ')
			a++;
		if (strncmp(a, "AS ", 3) == 0)
			a += 3;
		size_t len = 0;
		while (is_word_char(a[len]))
			len++;
		bool keyword = false;
		for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
			keyword |= strlen(keywords[k]) == len && strncmp(keywords[k], a, len) == 0;
		if (!keyword && len == name_len && strncmp(a, name, len) == 0)
			return true;
	}
	return false;
}

/* The big table a plan step scans whole, or NULL. */
static const char *scanned(const char *sql, const char *step)
{
	if (strncmp(step, "SCAN ", 5) != 0)
		return NULL;
	const char *name = step + 5;
	size_t len = 0;
	while (is_word_char(name[len]))
		len++;
	for (size_t k = 0; k < NBIG; k++)
		if (names_table(sql, big_tables[k], name, len))
			return big_tables[k];
	return NULL;
}

static void test_no_statement_scans_a_big_table(void **state)
{
	fixture *f = *state;
	if (fixture_pg())
		skip(); /* tests/pg/test_point_query.sh reads the server's plans */
	sqlite3 *db = f->db->st->db;
	int planned = 0, whole = 0;
	for (int q = 0; q < Q_COUNT; q++) {
		if (!sqlite_sql[q])
			continue;
		char sql[32768];
		assert_true((size_t)snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite_sql[q]) < sizeof sql);
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
			fail_msg("statement %d does not prepare: %s", q, sqlite3_errmsg(db));
		bool scans = false;
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *step = (const char *)sqlite3_column_text(s, 3);
			const char *table = scanned(sqlite_sql[q], step);
			if (table && !whole_read(q))
				fail_msg("statement %d scans %s whole (%s): %s", q, table, step, sqlite_sql[q]);
			scans |= table != NULL;
		}
		sqlite3_finalize(s);
		planned++;
		whole += scans;
	}
	/* The test itself: it planned the table, and it sees a whole read. */
	assert_true(planned > 80);
	assert_true(whole >= 3);
}

/* The alias reading the test relies on. */
static void test_scans_are_read_through_aliases(void **state)
{
	(void)state;
	assert_string_equal(scanned("SELECT 1 FROM ledger l WHERE l.id = 1", "SCAN l"), "ledger");
	assert_string_equal(scanned("SELECT 1 FROM ledger AS l", "SCAN l"), "ledger");
	assert_string_equal(scanned("SELECT 1 FROM day_totals", "SCAN day_totals USING INDEX x"), "day_totals");
	assert_null(scanned("SELECT 1 FROM (SELECT x FROM day_totals WHERE a = 1) AS d", "SCAN d"));
	assert_null(scanned("SELECT 1 FROM ledger l", "SEARCH l USING INTEGER PRIMARY KEY (rowid=?)"));
	assert_null(scanned("INSERT INTO items(number) VALUES (?1)", "SCAN ledger"));
	assert_null(scanned("SELECT 1 FROM ledger_items x", "SCAN ledger"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_statement_scans_a_big_table, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_scans_are_read_through_aliases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
