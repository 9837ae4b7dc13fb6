/* Adjustment documents: the seed's scenario, Diff parsing, negative
 * stock (also back-dated), dates, thresholds, all-or-nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "support/fixture.h"

static void test_seed_scenario_adjust_and_reverse(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100);
	iv_line_in line = {"KB-100", "FI", "10", NULL};
	iv_line_out out;
	iv_document doc = {"MAIN", NULL, &line, 1, {0}};
	assert_int_equal(iv_doc_preview(f->db, &doc, &out), IV_OK);
	assert_int_equal(out.net_available, 100);
	assert_int_equal(out.new_qty, 110);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100); /* preview writes nothing */
	int64_t docno;
	assert_int_equal(iv_doc_post(f->db, &doc, &out, &docno), IV_OK);
	assert_int_equal(out.new_qty, 110);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 110);

	iv_db *sup = fixture_open_other(f, "super", "2222");
	iv_reversal rev = {.id = out.id};
	iv_line_out r;
	assert_int_equal(iv_reverse(sup, &rev, &r), IV_OK);
	assert_int_equal(r.diff, -10);
	assert_int_equal(r.net_available, 110);
	assert_int_equal(r.new_qty, 100);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(sup, r.id, &row), IV_OK);
	assert_int_equal(row.reverses, out.id);
	assert_string_equal(row.reason, "REV");
	assert_string_equal(row.approved_by, "super");
	assert_int_equal(iv_ledger_get(sup, out.id, &row), IV_OK);
	assert_int_equal(row.reversed_by, r.id);
	iv_close(sup);
}

static void test_bad_diffs_are_refused_and_write_nothing(void **state)
{
	fixture *f = *state;
	static const char *const bad[] = {"abc", "1.5", "1e3", "0", "1000000001", "-1000000001",
	                                  "99999999999999999999999", "", "  ", "1,000", "--5"};
	long long before = fixture_ledger_count(f);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		iv_status st = fixture_adjust(f->db, "MAIN", "KB-100", bad[i], NULL, NULL);
		assert_int_equal(st, IV_E_INVALID);
		assert_non_null(strstr(iv_errmsg(f->db), "Diff"));
	}
	assert_int_equal(fixture_ledger_count(f), before);
	assert_int_equal(fixture_adjust(f->db, "NEG", "KB-100", "1000000000", NULL, NULL), IV_OK);
	assert_int_equal(fixture_adjust(f->db, "NEG", "KB-100", "-1000000000", NULL, NULL), IV_OK);
}

static void test_negative_stock_refused_unless_allowed(void **state)
{
	fixture *f = *state;
	long long before = fixture_ledger_count(f);
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "-105", NULL, NULL), IV_E_REFUSED);
	assert_string_equal(iv_errmsg(f->db),
	                    "New Qty would be -5 at store MAIN for item KB-100; negative stock is not allowed");
	assert_int_equal(fixture_ledger_count(f), before);
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "-100", NULL, NULL), IV_OK);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 0);
	assert_int_equal(fixture_adjust(f->db, "NEG", "KB-100", "-7", NULL, NULL), IV_OK);
	assert_int_equal(fixture_balance(f->db, "NEG", "KB-100"), -7);
}

static void test_back_dated_line_checked_against_later_days(void **state)
{
	fixture *f = *state;
	/* CB-0042 at MAIN: +5 on 06-05, -3 on 06-10: running 5, then 2. */
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "5", "06/05/2026", NULL), IV_OK);
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "-3", "2026-06-10", NULL), IV_OK);
	long long before = fixture_ledger_count(f);
	/* -3 on 06-07: today's balance would be -1 too, so the plain rule refuses. */
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "-3", "06-07-2026", NULL), IV_E_REFUSED);
	/* Add stock today: now today's balance is 12, but 06-10 would still go to -1. */
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "10", NULL, NULL), IV_OK);
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "-3", "06-07-2026", NULL), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(f->db), "-1 on 2026-06-10"));
	/* Before the first movement the balance was 0: -1 on 06-02 is refused on its own day. */
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "-1", "2026-06-02", NULL), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(f->db), "-1 on 2026-06-02"));
	assert_int_equal(fixture_ledger_count(f), before + 1);
	/* -2 back-dated to 06-07 keeps every day at 0 or above. */
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "-2", "06-07-2026", NULL), IV_OK);
	iv_qty q;
	assert_int_equal(iv_net_available(f->db, "MAIN", "CB-0042", "2026-06-07", &q), IV_OK);
	assert_int_equal(q, 3);
	assert_int_equal(iv_net_available(f->db, "MAIN", "CB-0042", "2026-06-10", &q), IV_OK);
	assert_int_equal(q, 0);
	assert_int_equal(iv_net_available(f->db, "MAIN", "CB-0042", "2026-06-04", &q), IV_OK);
	assert_int_equal(q, 0);
	assert_int_equal(fixture_balance(f->db, "MAIN", "CB-0042"), 10);
}

static void test_dates(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", "06/16/2026", NULL), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "future"));
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", "02/30/2026", NULL), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "Date"));
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", "yesterday", NULL), IV_E_INVALID);
	int64_t id;
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", "06-14-2026", &id), IV_OK);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, id, &row), IV_OK);
	assert_string_equal(row.tdate, "2026-06-14");
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", NULL, &id), IV_OK);
	assert_int_equal(iv_ledger_get(f->db, id, &row), IV_OK);
	assert_string_equal(row.tdate, FIXTURE_TODAY);
}

static void test_unknown_store_item_reason(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_adjust(f->db, "NOPE", "KB-100", "1", NULL, NULL), IV_E_NOT_FOUND);
	assert_non_null(strstr(iv_errmsg(f->db), "Store"));
	assert_int_equal(fixture_adjust(f->db, "MAIN", "XX-1", "1", NULL, NULL), IV_E_NOT_FOUND);
	assert_non_null(strstr(iv_errmsg(f->db), "Item Number"));
	iv_line_in line = {"KB-100", "ZZZ", "1", NULL};
	iv_line_out out;
	iv_document doc = {"MAIN", NULL, &line, 1, {0}};
	int64_t docno;
	assert_int_equal(iv_doc_post(f->db, &doc, &out, &docno), IV_E_NOT_FOUND);
	assert_string_equal(out.field, "Reason Code");
}

static void test_any_identifier_finds_the_item(void **state)
{
	fixture *f = *state;
	static const char *const ids[] = {"KB-100", "012345678905", "2000000001007", "KEYB-W", "00042", "ALT3"};
	for (size_t i = 0; i < 6; i++) {
		iv_line_in line = {ids[i], "FI", "1", NULL};
		iv_line_out out;
		iv_document doc = {"MAIN", NULL, &line, 1, {0}};
		int64_t docno;
		assert_int_equal(iv_doc_post(f->db, &doc, &out, &docno), IV_OK);
		assert_string_equal(out.item.number, "KB-100");
		assert_string_equal(out.item.description, "Wireless Keyboard");
	}
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 106);
}

static void test_document_is_all_or_nothing(void **state)
{
	fixture *f = *state;
	long long before = fixture_ledger_count(f);
	iv_line_in lines[] = {{"KB-100", "FI", "5", NULL}, {"MS-200", "FI", "5", NULL}, {"KB-100", "FI", "x", NULL}};
	iv_line_out out[3];
	iv_document doc = {"MAIN", NULL, lines, 3, {0}};
	int64_t docno = 0;
	assert_int_equal(iv_doc_post(f->db, &doc, out, &docno), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "line 3"));
	assert_int_equal(out[0].status, IV_OK);
	assert_int_equal(out[2].status, IV_E_INVALID);
	assert_int_equal(fixture_ledger_count(f), before);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100);
	lines[2].diff = "7";
	assert_int_equal(iv_doc_post(f->db, &doc, out, &docno), IV_OK);
	assert_int_equal(fixture_ledger_count(f), before + 3);
	assert_int_equal(docno, out[0].id);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, out[2].id, &row), IV_OK);
	assert_int_equal(row.document, docno);
	/* Net Available of a line includes the earlier lines of the same document. */
	assert_int_equal(out[2].net_available, 105);
	assert_int_equal(out[2].new_qty, 112);
}

static void test_lines_of_one_document_share_the_stock(void **state)
{
	fixture *f = *state;
	iv_line_in lines[] = {{"KB-100", "DMG", "-60", NULL}, {"KB-100", "DMG", "-60", NULL}};
	iv_line_out out[2];
	iv_document doc = {"MAIN", NULL, lines, 2, {0}};
	assert_int_equal(iv_doc_preview(f->db, &doc, out), IV_E_REFUSED);
	assert_int_equal(out[0].status, IV_OK);
	assert_int_equal(out[1].status, IV_E_REFUSED);
	assert_int_equal(out[1].net_available, 40);
	assert_int_equal(out[1].new_qty, -20);
}

/* THR's threshold is 50, and it counts the user's Diffs for the store,
 * item and day together: no splitting a large Diff into small ones. */
static void test_approval_threshold(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_adjust(f->db, "THR", "KB-100", "50", NULL, NULL), IV_OK);  /* 50 */
	assert_int_equal(fixture_adjust(f->db, "THR", "KB-100", "-50", NULL, NULL), IV_OK); /* 0 */
	assert_int_equal(fixture_adjust(f->db, "THR", "KB-100", "51", NULL, NULL), IV_E_PERMISSION);
	assert_non_null(strstr(iv_errmsg(f->db), "Approver"));
	assert_int_equal(fixture_adjust(f->db, "THR", "KB-100", "30", NULL, NULL), IV_OK);  /* 30 */
	assert_int_equal(fixture_adjust(f->db, "THR", "KB-100", "30", NULL, NULL), IV_E_PERMISSION);
	/* Another day, another user, another item: counted apart. */
	assert_int_equal(fixture_adjust(f->db, "THR", "KB-100", "30", "2026-06-14", NULL), IV_OK);
	assert_int_equal(fixture_adjust(f->db, "THR", "MS-200", "30", NULL, NULL), IV_OK);
	iv_db *super = fixture_open_other(f, "super", "2222");
	assert_int_equal(fixture_adjust(super, "THR", "KB-100", "45", NULL, NULL), IV_OK);
	iv_close(super);
	long long before = fixture_ledger_count(f);
	iv_line_in line = {"KB-100", "FI", "30", NULL}; /* 60 for the clerk today */
	iv_line_out out;
	iv_document doc = {"THR", NULL, &line, 1, {"clerk", "1111"}};
	int64_t docno;
	assert_int_equal(iv_doc_post(f->db, &doc, &out, &docno), IV_E_PERMISSION); /* a clerk cannot approve */
	doc.approval = (iv_approval){"super", "9999"};
	assert_int_equal(iv_doc_post(f->db, &doc, &out, &docno), IV_E_AUTH);
	assert_int_equal(fixture_ledger_count(f), before);
	doc.approval = (iv_approval){"super", "2222"};
	assert_int_equal(iv_doc_post(f->db, &doc, &out, &docno), IV_OK);
	assert_true(out.needs_approval);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, out.id, &row), IV_OK);
	assert_string_equal(row.approved_by, "super");
	assert_string_equal(row.user, "clerk");
	/* A document's own lines count together. */
	iv_line_in two[] = {{"CB-0042", "FI", "30", NULL}, {"CB-0042", "FI", "30", NULL}};
	iv_line_out outs[2];
	iv_document d2 = {"THR", NULL, two, 2, {0}};
	assert_int_equal(iv_doc_preview(f->db, &d2, outs), IV_OK);
	assert_false(outs[0].needs_approval);
	assert_true(outs[1].needs_approval);
}

static void test_writing_needs_a_login(void **state)
{
	fixture *f = *state;
	iv_logout(f->db);
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", NULL, NULL), IV_E_AUTH);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100);
}

static void test_each_row_records_who_and_when(void **state)
{
	fixture *f = *state;
	int64_t id;
	iv_line_in line = {"MS-200", "THF", "-2", "shelf 4"};
	iv_line_out out;
	iv_document doc = {"MAIN", "06/12/2026", &line, 1, {0}};
	assert_int_equal(iv_doc_post(f->db, &doc, &out, &id), IV_OK);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, out.id, &row), IV_OK);
	assert_string_equal(row.user, "clerk");
	assert_string_equal(row.store, "MAIN");
	assert_string_equal(row.item, "MS-200");
	assert_string_equal(row.reason, "THF");
	assert_string_equal(row.memo, "shelf 4");
	assert_string_equal(row.tdate, "2026-06-12");
	assert_int_equal(row.diff, -2);
	assert_int_equal(strlen(row.recorded_at), 24);
	assert_int_equal(row.approved_by[0], '\0');
	assert_int_equal(row.batch, 0);
}

/* "Today" is read when a rule runs, never kept on the handle: a screen
 * left open past midnight posts on the new day, and the future-date
 * guard moves with it.  Also: the store's zone, not the host's. */
static void test_today_moves_past_midnight_in_the_stores_zone(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_sql(f, "UPDATE stores SET tz = 'Etc/UTC' WHERE code = 'MAIN';"
	                                 "UPDATE stores SET tz = 'Asia/Tokyo' WHERE code = 'NEG'"),
	                 0);
	iv_test_clock_pin("2026-06-15T23:59:59Z");
	assert_int_equal(iv_today(f->db, "MAIN"), date_from_ymd(2026, 6, 15));
	assert_int_equal(iv_today(f->db, "NEG"), date_from_ymd(2026, 6, 16)); /* 08:59 in Tokyo */
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", "2026-06-16", NULL), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "is in the future (today is 2026-06-15)"));
	assert_int_equal(fixture_adjust(f->db, "NEG", "KB-100", "1", "2026-06-16", NULL), IV_OK);
	int64_t before, after;
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", NULL, &before), IV_OK);
	iv_test_clock_pin("2026-06-16T00:00:01Z"); /* the same handle, two seconds later */
	assert_int_equal(iv_today(f->db, "MAIN"), date_from_ymd(2026, 6, 16));
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", NULL, &after), IV_OK);
	iv_ledger_row a, b;
	assert_int_equal(iv_ledger_get(f->db, before, &a), IV_OK);
	assert_int_equal(iv_ledger_get(f->db, after, &b), IV_OK);
	assert_string_equal(a.tdate, "2026-06-15");
	assert_string_equal(a.recorded_at, "2026-06-15T23:59:59.000Z");
	assert_string_equal(b.tdate, "2026-06-16");
	assert_string_equal(b.recorded_at, "2026-06-16T00:00:01.000Z");
	assert_string_equal(b.recorded_local, "2026-06-16 00:00:01+00:00");
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", "2026-06-16", NULL), IV_OK);
	iv_test_clock_pin(NULL);
}

/* A terminal's handle saves, another changes the master data, the
 * terminal saves again: the second save obeys the new store policy and
 * threshold.  On a server a save's reads are sent ahead on the strength
 * of its own preview, never of an earlier save's (pg_ahead.c). */
static void test_a_terminal_obeys_master_data_changed_between_its_saves(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_adjust(f->db, "NEG", "KB-100", "-5", NULL, NULL), IV_OK);
	assert_int_equal(fixture_adjust(f->db, "THR", "KB-100", "10", NULL, NULL), IV_OK);
	iv_db *admin = fixture_open_other(f, "admin", "0000");
	const char *csv = fixture_file(f, "policy.csv", "StoreCode,AllowNegative,ApprovalThreshold\n"
	                                                "NEG,no,0\nTHR,no,0\n");
	size_t n;
	assert_int_equal(iv_import(admin, IV_IMPORT_STORES, csv, &n), IV_OK);
	iv_close(admin);
	/* refused: NEG no longer allows negative stock */
	assert_int_equal(fixture_adjust(f->db, "NEG", "KB-100", "-1", NULL, NULL), IV_E_REFUSED);
	assert_int_equal(fixture_balance(f->db, "NEG", "KB-100"), -5);
	/* saved without a supervisor: THR has no threshold any more (60 was over 50) */
	int64_t id;
	assert_int_equal(fixture_adjust(f->db, "THR", "KB-100", "50", NULL, &id), IV_OK);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, id, &row), IV_OK);
	assert_string_equal(row.approved_by, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(test_seed_scenario_adjust_and_reverse),
		T(test_bad_diffs_are_refused_and_write_nothing),
		T(test_negative_stock_refused_unless_allowed),
		T(test_back_dated_line_checked_against_later_days),
		T(test_dates),
		T(test_unknown_store_item_reason),
		T(test_any_identifier_finds_the_item),
		T(test_document_is_all_or_nothing),
		T(test_lines_of_one_document_share_the_stock),
		T(test_approval_threshold),
		T(test_writing_needs_a_login),
		T(test_each_row_records_who_and_when),
		T(test_today_moves_past_midnight_in_the_stores_zone),
		T(test_a_terminal_obeys_master_data_changed_between_its_saves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
