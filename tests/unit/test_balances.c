/* Balances by store, item and date (iv_balances): every combination of
 * filters gives the same rows as the whole list filtered by hand, on
 * both backends, and on SQLite every filtered statement finds its rows
 * by an index rather than scanning balances or day totals (the
 * PostgreSQL plans: tests/pg/test_point_query.sh). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "engine/internal.h"
#include "store/sqlite_internal.h"
#include "support/fixture.h"

#define DAY1 "2026-06-05"
#define DAY2 "2026-06-10"

/* Adds, to the fixture's opening stock (MAIN: KB-100 100, MS-200 50 on
 * FIXTURE_OPENING): NEG KB-100 +5 on DAY1 and -2 on DAY2, THR MS-200 +7
 * on DAY2, and NEG CB-0042 +4 then -4 on DAY2 (a pair at zero). */
static void movements(iv_db *db)
{
	int64_t id;
	assert_int_equal(fixture_adjust(db, "NEG", "KB-100", "5", DAY1, &id), IV_OK);
	assert_int_equal(fixture_adjust(db, "NEG", "KB-100", "-2", DAY2, &id), IV_OK);
	assert_int_equal(fixture_adjust(db, "THR", "MS-200", "7", DAY2, &id), IV_OK);
	assert_int_equal(fixture_adjust(db, "NEG", "CB-0042", "4", DAY2, &id), IV_OK);
	assert_int_equal(fixture_adjust(db, "NEG", "CB-0042", "-4", DAY2, &id), IV_OK);
}

typedef struct listing {
	char text[1024];
} listing;

static bool collect(void *ctx, const iv_balance_row *r)
{
	listing *l = ctx;
	size_t n = strlen(l->text);
	snprintf(l->text + n, sizeof l->text - n, "%s/%s=%lld ", r->store, r->item,
	         (long long)r->net_available);
	return true;
}

static const char *balances(iv_db *db, const char *store_code, const char *item, const char *as_of)
{
	static listing l;
	l.text[0] = '\0';
	assert_int_equal(iv_balances(db, store_code, item, as_of, collect, &l), IV_OK);
	return l.text;
}

static void test_every_filter_now(void **state)
{
	fixture *f = *state;
	movements(f->db);
	const char *all = "MAIN/KB-100=100 MAIN/MS-200=50 NEG/CB-0042=0 NEG/KB-100=3 THR/MS-200=7 ";
	assert_string_equal(balances(f->db, NULL, NULL, NULL), all);
	assert_string_equal(balances(f->db, "", "", ""), all);
	assert_string_equal(balances(f->db, "NEG", NULL, NULL), "NEG/CB-0042=0 NEG/KB-100=3 ");
	assert_string_equal(balances(f->db, NULL, "KB-100", NULL), "MAIN/KB-100=100 NEG/KB-100=3 ");
	/* An item named by its UPC, in every store. */
	assert_string_equal(balances(f->db, NULL, "012345678905", NULL), "MAIN/KB-100=100 NEG/KB-100=3 ");
	assert_string_equal(balances(f->db, "NEG", "KB-100", NULL), "NEG/KB-100=3 ");
	assert_string_equal(balances(f->db, "THR", "KB-100", NULL), "");
	assert_string_equal(balances(f->db, "THR", NULL, NULL), "THR/MS-200=7 ");
}

static void test_every_filter_as_of(void **state)
{
	fixture *f = *state;
	movements(f->db);
	assert_string_equal(balances(f->db, NULL, NULL, DAY1),
	                    "MAIN/KB-100=100 MAIN/MS-200=50 NEG/KB-100=5 ");
	assert_string_equal(balances(f->db, "NEG", NULL, DAY1), "NEG/KB-100=5 ");
	assert_string_equal(balances(f->db, NULL, "KB-100", DAY1), "MAIN/KB-100=100 NEG/KB-100=5 ");
	assert_string_equal(balances(f->db, NULL, "MS-200", DAY1), "MAIN/MS-200=50 ");
	assert_string_equal(balances(f->db, "NEG", "KB-100", DAY1), "NEG/KB-100=5 ");
	assert_string_equal(balances(f->db, "THR", "MS-200", DAY1), "");
	/* DAY2 and today: every movement. */
	const char *all = "MAIN/KB-100=100 MAIN/MS-200=50 NEG/CB-0042=0 NEG/KB-100=3 THR/MS-200=7 ";
	assert_string_equal(balances(f->db, NULL, NULL, DAY2), all);
	assert_string_equal(balances(f->db, NULL, NULL, FIXTURE_TODAY), all);
	assert_string_equal(balances(f->db, NULL, "MS-200", "06/10/2026"), "MAIN/MS-200=50 THR/MS-200=7 ");
	assert_string_equal(balances(f->db, "NEG", "CB-0042", DAY2), "NEG/CB-0042=0 ");
	assert_string_equal(balances(f->db, "NEG", NULL, DAY2), "NEG/CB-0042=0 NEG/KB-100=3 ");
	/* Before the opening stock: nothing yet, whatever the filter. */
	assert_string_equal(balances(f->db, NULL, NULL, "2026-05-31"), "");
	assert_string_equal(balances(f->db, "MAIN", NULL, "2026-05-31"), "");
	assert_string_equal(balances(f->db, NULL, "KB-100", "2026-05-31"), "");
	assert_string_equal(balances(f->db, "MAIN", "KB-100", "2026-05-31"), "");
}

static void test_unknown_filters_refused(void **state)
{
	fixture *f = *state;
	listing l = {""};
	assert_int_equal(iv_balances(f->db, "NOPE", NULL, NULL, collect, &l), IV_E_NOT_FOUND);
	assert_int_equal(iv_balances(f->db, NULL, "NOPE", NULL, collect, &l), IV_E_NOT_FOUND);
	assert_int_equal(iv_balances(f->db, NULL, NULL, "2026-13-01", collect, &l), IV_E_INVALID);
	assert_string_equal(l.text, "");
}

/* EXPLAIN QUERY PLAN of SQLite's statement for each filtered shape: a
 * line "SCAN b" or "SCAN d" would be a full scan of balances or day
 * totals; each must be a SEARCH of its primary key instead. */
static void test_sqlite_filters_use_the_index(void **state)
{
	fixture *f = *state;
	if (fixture_pg())
		skip(); /* tests/pg/test_point_query.sh reads the server's plans */
	static const query filtered[] = {
		Q_BALANCES_OF_STORE, Q_BALANCES_OF_ITEM, Q_BALANCES_OF_PAIR,
		Q_BALANCES_ASOF_OF_STORE, Q_BALANCES_ASOF_OF_ITEM, Q_BALANCES_ASOF_OF_PAIR,
	};
	sqlite3 *db = f->db->st->db;
	for (size_t k = 0; k < sizeof filtered / sizeof filtered[0]; k++) {
		char sql[2048];
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite_sql[filtered[k]]);
		sqlite3_stmt *s;
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
		bool searched = false;
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *step = (const char *)sqlite3_column_text(s, 3);
			if (strncmp(step, "SCAN b", 6) == 0 || strncmp(step, "SCAN d", 6) == 0)
				fail_msg("statement %d scans: %s", (int)filtered[k], step);
			if (strstr(step, "SEARCH b USING PRIMARY KEY") || strstr(step, "SEARCH d USING PRIMARY KEY"))
				searched = true;
		}
		sqlite3_finalize(s);
		if (!searched)
			fail_msg("statement %d does not search balances or day totals by key", (int)filtered[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_filter_now, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_every_filter_as_of, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_filters_refused, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_filters_use_the_index, fixture_setup,
		                                fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
