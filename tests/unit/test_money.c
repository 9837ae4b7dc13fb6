/* Unit tests of money amounts (include/invadj/money.h): unit costs as
 * typed in an items file, and amounts as reports print them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "invadj/money.h"

static void expect_cost(const char *text, iv_money want)
{
	iv_money m = -1;
	money_error e = money_parse_cost(text, &m);
	if (e != MONEY_OK)
		fail_msg("money_parse_cost(\"%s\") = %d (%s); want %lld", text, (int)e, money_error_text(e),
		         (long long)want);
	assert_int_equal(m, want);
}

static void expect_refused(const char *text, money_error want)
{
	iv_money m = 31337;
	money_error e = money_parse_cost(text, &m);
	if (e != want)
		fail_msg("money_parse_cost(\"%s\") = %d; want %d", text, (int)e, (int)want);
	assert_int_equal(m, 31337);
}

static void test_costs(void **state)
{
	(void)state;
	expect_cost("12.3456", 123456);
	expect_cost("12", 120000);
	expect_cost("12.5", 125000);
	expect_cost("0.0042", 42);
	expect_cost(".5", 5000);
	expect_cost("12.", 120000);
	expect_cost(" 7.25\t", 72500);
	expect_cost("0", 0);                /* a free item has a cost */
	expect_cost("12.345600", 123456);   /* zeros past the fourth decimal change nothing */
	expect_cost("100000", IV_COST_MAX);
	expect_cost("100000.0000", IV_COST_MAX);
}

static void test_refusals(void **state)
{
	(void)state;
	expect_refused("", MONEY_EMPTY);
	expect_refused("   ", MONEY_EMPTY);
	expect_refused("12.34567", MONEY_DECIMALS);
	expect_refused("1,234.50", MONEY_SEPARATOR);
	expect_refused("100000.0001", MONEY_TOO_LARGE);
	expect_refused("99999999999999999999999", MONEY_TOO_LARGE);
	expect_refused("-5", MONEY_NOT_NUMBER);
	expect_refused("+5", MONEY_NOT_NUMBER);
	expect_refused("$5", MONEY_NOT_NUMBER);
	expect_refused("5 EUR", MONEY_NOT_NUMBER);
	expect_refused("1e3", MONEY_NOT_NUMBER);
	expect_refused("1.2.3", MONEY_NOT_NUMBER);
	expect_refused(".", MONEY_NOT_NUMBER);
	expect_refused("12,5", MONEY_SEPARATOR); /* a decimal comma is refused too, in words */
	assert_non_null(strstr(money_error_text(MONEY_DECIMALS), "4 decimals"));
}

static void expect_text(iv_money v, const char *want)
{
	char buf[IV_MONEY_TEXT];
	assert_string_equal(money_format(v, buf, sizeof buf), want);
}

static void test_format(void **state)
{
	(void)state;
	expect_text(0, "0.00");
	expect_text(123456, "12.3456");
	expect_text(123000, "12.30");
	expect_text(123450, "12.345");
	expect_text(-500, "-0.05");
	expect_text(-123456, "-12.3456");
	expect_text(INT64_MAX, "922337203685477.5807");
	expect_text(INT64_MIN, "-922337203685477.5808");
}

static void test_value(void **state)
{
	(void)state;
	iv_money v;
	assert_true(money_value(-3, 123456, &v));
	assert_int_equal(v, -370368);
	assert_true(money_value(1000000000, IV_COST_MAX, &v)); /* the largest line fits */
	assert_int_equal(v, 1000000000000000000LL);
	assert_false(money_value(INT64_MAX / 2, 3, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_costs),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
