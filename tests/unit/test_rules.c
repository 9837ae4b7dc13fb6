/* The rule module on its own: pure functions, given explicit state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "engine/rules.h"

static iv_date d(const char *iso)
{
	iv_date v = 0;
	assert_true(date_parse(iso, &v));
	return v;
}

static void test_stock_allowed_or_positive(void **state)
{
	(void)state;
	rule_stock_fault f;
	rule_stock in = {.allow_negative = true, .diff = -500, .net = 10};
	assert_true(rule_stock_ok(&in, &f));
	in = (rule_stock){.diff = 5, .net = -10};
	assert_true(rule_stock_ok(&in, &f)); /* a receipt never refused */
}

static void test_stock_new_qty(void **state)
{
	(void)state;
	rule_stock_fault f;
	rule_stock in = {.diff = -11, .date = d("2026-06-15"), .net = 10};
	assert_false(rule_stock_ok(&in, &f));
	assert_true(f.new_qty);
	assert_int_equal(f.balance, -1);
	char msg[200];
	rule_stock_text(&in, &f, "MAIN", "KB-100", msg, sizeof msg);
	assert_string_equal(msg, "New Qty would be -1 at store MAIN for item KB-100; negative stock is not allowed");
	in.diff = -10;
	assert_true(rule_stock_ok(&in, &f));
}

/* Back-dated: the balance at the end of the line's day and of every
 * later day with movements counts; a day's movements count together. */
static void test_stock_back_dated(void **state)
{
	(void)state;
	rule_day later[] = {{d("2026-06-10"), -8}, {d("2026-06-12"), 5}, {d("2026-06-12"), -2}};
	rule_stock in = {
		.diff = -3, .date = d("2026-06-05"), .net = 5, .back_dated = true,
		.at_date = 10, .later = later, .nlater = 3,
	};
	rule_stock_fault f;
	/* 10 - 3 = 7 on the 5th, -1 on the 10th. */
	assert_false(rule_stock_ok(&in, &f));
	assert_false(f.new_qty);
	assert_int_equal(f.day, d("2026-06-10"));
	assert_int_equal(f.balance, -1);
	char msg[300];
	rule_stock_text(&in, &f, "MAIN", "KB-100", msg, sizeof msg);
	assert_string_equal(msg, "back-dated to 2026-06-05, this would make the balance at store MAIN for item "
	                         "KB-100 -1 on 2026-06-10; negative stock is not allowed");
	in.diff = -2;
	assert_true(rule_stock_ok(&in, &f)); /* 8, 0, 3 */
	/* Within a day: -4 then +5 on the 12th counts as +1 at its end. */
	rule_day day[] = {{d("2026-06-12"), -4}, {d("2026-06-12"), 5}};
	rule_stock one = {.diff = -1, .date = d("2026-06-11"), .net = 4, .back_dated = true,
	                  .at_date = 3, .later = day, .nlater = 2};
	assert_true(rule_stock_ok(&one, &f));
	/* Not back-dated: only New Qty. */
	in.back_dated = false;
	in.diff = -3;
	assert_true(rule_stock_ok(&in, &f));
}

static void test_needs_approval_counts_the_day(void **state)
{
	(void)state;
	assert_false(rule_needs_approval(0, 10000, 10000)); /* no threshold */
	assert_false(rule_needs_approval(50, 0, 50));
	assert_true(rule_needs_approval(50, 0, 51));
	assert_true(rule_needs_approval(50, 0, -51));
	assert_true(rule_needs_approval(50, 30, 30));  /* 60 that day */
	assert_false(rule_needs_approval(50, 40, -40)); /* back to 0 */
	assert_true(rule_needs_approval(50, -40, -20));
}

static void test_approver(void **state)
{
	(void)state;
	rule_user clerk = {true, 2, IV_ROLE_CLERK, true};
	rule_user super = {true, 3, IV_ROLE_SUPERVISOR, true};
	rule_user other = {true, 4, IV_ROLE_ADMIN, true};
	rule_user gone = {true, 5, IV_ROLE_SUPERVISOR, false};
	rule_user nobody = {0};
	assert_int_equal(rule_approver(&clerk, &super), RULE_APPROVAL_OK);
	assert_int_equal(rule_approver(&clerk, &clerk), RULE_APPROVER_CLERK);
	assert_int_equal(rule_approver(&clerk, &gone), RULE_APPROVER_DISABLED);
	assert_int_equal(rule_approver(&clerk, &nobody), RULE_APPROVER_UNKNOWN);
	assert_int_equal(rule_approver(&super, &super), RULE_APPROVAL_OK);
	assert_int_equal(rule_approver(&super, &other), RULE_APPROVER_NOT_SELF);
	assert_non_null(strstr(rule_approval_text(RULE_APPROVER_CLERK), "clerk"));
}

static void test_may(void **state)
{
	(void)state;
	rule_user clerk = {true, 2, IV_ROLE_CLERK, true}, admin = {true, 1, IV_ROLE_ADMIN, true};
	rule_user super = {true, 3, IV_ROLE_SUPERVISOR, true}, off = {true, 4, IV_ROLE_ADMIN, false};
	assert_true(rule_may(&clerk, RULE_POST));
	assert_false(rule_may(&clerk, RULE_EDIT_MASTER));
	assert_false(rule_may(&clerk, RULE_CHECKPOINT));
	assert_true(rule_may(&super, RULE_CHECKPOINT));
	assert_false(rule_may(&super, RULE_ADMIN_USERS));
	assert_true(rule_may(&admin, RULE_ADMIN_USERS));
	assert_false(rule_may(&off, RULE_POST)); /* disabled: nothing */
}

static void test_reversal(void **state)
{
	(void)state;
	rule_rev_row orig = {10, 1, 5, 0, 7};
	rule_rev_row rev = {20, 1, 5, 10, -7};
	assert_int_equal(rule_reverse(&orig, false, &rev), RULE_REVERSAL_OK);
	assert_int_equal(rule_reverse(&orig, false, NULL), RULE_REVERSAL_OK);
	assert_int_equal(rule_reverse(NULL, false, &rev), RULE_REVERSAL_MISSING);
	assert_int_equal(rule_reverse(&orig, true, NULL), RULE_REVERSAL_TWICE);
	rule_rev_row of_rev = {10, 1, 5, 3, 7};
	assert_int_equal(rule_reverse(&of_rev, false, &rev), RULE_REVERSAL_OF_REVERSAL);
	rev.diff = -6;
	assert_int_equal(rule_reverse(&orig, false, &rev), RULE_REVERSAL_NOT_MIRROR);
	rev.diff = -7;
	rev.item_id = 6;
	assert_int_equal(rule_reverse(&orig, false, &rev), RULE_REVERSAL_NOT_MIRROR);
	rev.item_id = 5;
	rev.id = 9;
	assert_int_equal(rule_reverse(&orig, false, &rev), RULE_REVERSAL_NOT_EARLIER);
}

static void test_dates_and_times(void **state)
{
	(void)state;
	iv_date t;
	assert_true(rule_tdate_valid("2026-03-02", &t));
	assert_false(rule_tdate_valid("2026-03-02Z", &t)); /* the attack 2 */
	assert_false(rule_tdate_valid("03/02/2026", &t));   /* typed form, never stored */
	assert_false(rule_tdate_valid("2026-02-30", &t));
	assert_true(rule_recorded_at_valid("2026-03-02T10:11:12.345Z"));
	assert_false(rule_recorded_at_valid("2026-03-02T10:11:12Z"));
	assert_false(rule_recorded_at_valid("2026-03-02T25:11:12.345Z"));
	assert_true(rule_in_order("2026-03-02T10:11:12.345Z", "2026-03-02T10:11:12.345Z"));
	assert_false(rule_in_order("2026-03-02T10:11:12.346Z", "2026-03-02T10:11:12.345Z"));
	assert_true(rule_date_ok(d("2026-03-02"), d("2026-03-02")));
	assert_false(rule_date_ok(d("2026-03-03"), d("2026-03-02")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stock_allowed_or_positive),
		cmocka_unit_test(test_stock_new_qty),
		cmocka_unit_test(test_stock_back_dated),
		cmocka_unit_test(test_needs_approval_counts_the_day),
		cmocka_unit_test(test_approver),
		cmocka_unit_test(test_may),
		cmocka_unit_test(test_reversal),
		cmocka_unit_test(test_dates_and_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
