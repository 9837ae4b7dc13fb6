/* Unit tests of the quantity parser (include/invadj/qty.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "invadj/qty.h"

static void expect_ok(const char *text, iv_qty want)
{
	iv_qty q = -424242;
	qty_error e = qty_parse(text, &q);
	if (e != QTY_OK)
		fail_msg("qty_parse(\"%s\") = %d (%s); want %lld", text, (int)e, qty_error_text(e),
		         (long long)want);
	assert_int_equal(q, want);
}

/* Expects the error and that *out is left alone. */
static void expect_err(const char *text, qty_error want)
{
	iv_qty q = 31337;
	qty_error e = qty_parse(text, &q);
	if (e != want)
		fail_msg("qty_parse(\"%s\") = %d; want %d", text, (int)e, (int)want);
	assert_int_equal(q, 31337);
}

static void test_whole_numbers(void **state)
{
	(void)state;
	expect_ok("10", 10);
	expect_ok("-10", -10);
	expect_ok("+5", 5);
	expect_ok(" 7 ", 7);
	expect_ok("\t7\t", 7);
	expect_ok("0", 0);
	expect_ok("-0", 0);
	expect_ok("007", 7);
	expect_ok("1", 1);
}

static void test_limits(void **state)
{
	(void)state;
	expect_ok("1000000000", IV_QTY_LIMIT);
	expect_ok("-1000000000", -IV_QTY_LIMIT);
	expect_ok("+1000000000", IV_QTY_LIMIT);
	expect_ok("999999999", 999999999);
	expect_ok("0001000000000", IV_QTY_LIMIT); /* leading zeros do not count */
	expect_err("1000000001", QTY_OUT_OF_RANGE);
	expect_err("-1000000001", QTY_OUT_OF_RANGE);
	expect_err("10000000000", QTY_OUT_OF_RANGE);
	expect_err("9223372036854775807", QTY_OUT_OF_RANGE);  /* INT64_MAX */
	expect_err("9223372036854775808", QTY_OUT_OF_RANGE);  /* one past */
	expect_err("-9223372036854775808", QTY_OUT_OF_RANGE);
	expect_err("99999999999999999999999", QTY_OUT_OF_RANGE);
	expect_err("18446744073709551617", QTY_OUT_OF_RANGE); /* wraps a uint64 to 1 */
}

static void test_empty(void **state)
{
	(void)state;
	expect_err("", QTY_EMPTY);
	expect_err("  ", QTY_EMPTY);
	expect_err("\t", QTY_EMPTY);
	expect_err(NULL, QTY_EMPTY);
}

static void test_not_number(void **state)
{
	(void)state;
	expect_err("abc", QTY_NOT_NUMBER);
	expect_err("1,000", QTY_SEPARATOR); /* said so: type 1000 */
	expect_err("--1", QTY_NOT_NUMBER);
	expect_err("-", QTY_NOT_NUMBER);
	expect_err("+", QTY_NOT_NUMBER);
	expect_err("+-1", QTY_NOT_NUMBER);
	expect_err("- 1", QTY_NOT_NUMBER);
	expect_err("1 2", QTY_NOT_NUMBER);
	expect_err("12abc", QTY_NOT_NUMBER);
	expect_err("0x10", QTY_NOT_NUMBER);
	expect_err("1'000", QTY_NOT_NUMBER);
	expect_err("1 000", QTY_NOT_NUMBER);
	expect_err("$5", QTY_NOT_NUMBER);
	expect_err("5-", QTY_NOT_NUMBER);
	expect_err("(5)", QTY_NOT_NUMBER);
	expect_err(".5", QTY_NOT_NUMBER);
	expect_err("1e", QTY_NOT_NUMBER);
	expect_err("1e+", QTY_NOT_NUMBER);
	expect_err("e5", QTY_NOT_NUMBER);
	expect_err("inf", QTY_NOT_NUMBER);
	expect_err("NaN", QTY_NOT_NUMBER);
	expect_err("\xEF\xBC\x95", QTY_NOT_NUMBER); /* a full-width 5 */
	expect_err("\xC2\xA0" "5", QTY_NOT_NUMBER); /* a no-break space */
}

static void test_fraction(void **state)
{
	(void)state;
	expect_err("1.5", QTY_FRACTION);
	expect_err("1.0", QTY_FRACTION); /* a decimal point means a fraction was typed */
	expect_err("-2.25", QTY_FRACTION);
	expect_err("3.", QTY_FRACTION);
	expect_err(" 4.75 ", QTY_FRACTION);
	expect_err("99999999999999.5", QTY_FRACTION); /* the fraction is named first */
	expect_err("1.2.3", QTY_NOT_NUMBER);
}

static void test_exponent(void **state)
{
	(void)state;
	expect_err("1e3", QTY_EXPONENT);
	expect_err("1E3", QTY_EXPONENT);
	expect_err("1.23E+11", QTY_EXPONENT);
	expect_err("1.23e-4", QTY_EXPONENT);
	expect_err("-5E+2", QTY_EXPONENT);
	expect_err("1e99", QTY_EXPONENT);
	expect_err("99999999999999999999e1", QTY_EXPONENT);
}

/* Each error has its own sentence, non-empty. */
static void test_error_text(void **state)
{
	(void)state;
	const qty_error all[] = {QTY_OK, QTY_EMPTY, QTY_NOT_NUMBER, QTY_FRACTION, QTY_EXPONENT,
	                         QTY_OUT_OF_RANGE};
	size_t n = sizeof all / sizeof *all;
	for (size_t i = 0; i < n; i++) {
		const char *t = qty_error_text(all[i]);
		assert_non_null(t);
		assert_true(strlen(t) > 0);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(t, qty_error_text(all[j]));
	}
	iv_qty q;
	assert_int_equal(qty_parse("1,000", &q), QTY_SEPARATOR);
	assert_int_equal(qty_parse("-12,345,678", &q), QTY_SEPARATOR);
	assert_int_equal(qty_parse("1,000x", &q), QTY_NOT_NUMBER);
	assert_int_equal(qty_parse("1,", &q), QTY_NOT_NUMBER);
	assert_non_null(strstr(qty_error_text(QTY_SEPARATOR), "1000, not 1,000"));
	assert_string_equal(qty_error_text(QTY_FRACTION), "is not a whole number");
	assert_non_null(strstr(qty_error_text(QTY_OUT_OF_RANGE), "1,000,000,000"));
	assert_non_null(qty_error_text((qty_error)99));
}

/* Every value printed back parses to itself, across the whole range's
 * edges and a sweep through it. */
static void test_round_trip(void **state)
{
	(void)state;
	char buf[32];
	for (long long v = -IV_QTY_LIMIT; v <= IV_QTY_LIMIT; v += 999983) {
		snprintf(buf, sizeof buf, "%lld", v);
		expect_ok(buf, v);
	}
	for (long long v = -1000; v <= 1000; v++) {
		snprintf(buf, sizeof buf, "%lld", v);
		expect_ok(buf, v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_numbers),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_not_number),
		cmocka_unit_test(test_fraction),
		cmocka_unit_test(test_exponent),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
