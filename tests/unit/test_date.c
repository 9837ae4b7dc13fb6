/* Unit tests of the date parser and day arithmetic (include/invadj/date.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "invadj/date.h"

/* Parses text, expecting success, and returns the ISO spelling. */
static void expect_date(const char *text, const char *iso)
{
	iv_date d = -12345;
	if (!date_parse(text, &d))
		fail_msg("date_parse(\"%s\") refused; want %s", text, iso);
	char buf[IV_DATE_ISO_LEN];
	date_format(d, buf);
	assert_string_equal(buf, iso);
}

/* Expects a refusal that leaves *out alone. */
static void expect_refused(const char *text)
{
	iv_date d = 777;
	if (date_parse(text, &d))
		fail_msg("date_parse(\"%s\") accepted; want a refusal", text);
	assert_int_equal(d, 777);
}

static void test_epoch(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1970, 1, 2), 1);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
	assert_int_equal(date_from_ymd(2026, 11, 26), 20783);
	int y, m, d;
	date_to_ymd(0, &y, &m, &d);
	assert_true(y == 1970 && m == 1 && d == 1);
	date_to_ymd(-1, &y, &m, &d);
	assert_true(y == 1969 && m == 12 && d == 31);
}

static void test_spellings(void **state)
{
	(void)state;
	expect_date("03/15/2026", "2026-03-15");
	expect_date("03-15-2026", "2026-03-15");
	expect_date("2026-03-15", "2026-03-15");
	expect_date("3/7/2026", "2026-03-07"); /* spreadsheets drop leading zeros */
	expect_date("12/31/1999", "1999-12-31");
	expect_date("2026-3-7", "2026-03-07");
	expect_date("01/01/1900", "1900-01-01");
	expect_date("12/31/9999", "9999-12-31");
}

static void test_blanks(void **state)
{
	(void)state;
	expect_date("  03/15/2026", "2026-03-15");
	expect_date("03/15/2026  ", "2026-03-15");
	expect_date("\t2026-03-15\t", "2026-03-15");
	expect_date(" 03-15-2026 ", "2026-03-15");
	expect_refused("03 /15/2026");
	expect_refused("2026 -03-15");
}

static void test_impossible_dates(void **state)
{
	(void)state;
	expect_refused("02/30/2026");
	expect_refused("02/29/2026");
	expect_refused("04/31/2026");
	expect_refused("2026-13-01");
	expect_refused("13/01/2026");
	expect_refused("00/10/2026");
	expect_refused("10/00/2026");
	expect_refused("2026-00-10");
	expect_refused("2026-01-00");
	expect_refused("2026-01-32");
	expect_refused("01/32/2026");
	expect_date("01/31/2026", "2026-01-31");
	expect_date("04/30/2026", "2026-04-30");
}

static void test_leap_years(void **state)
{
	(void)state;
	expect_date("02/29/2024", "2024-02-29");
	expect_refused("02/29/2025");
	expect_refused("02/29/1900"); /* divisible by 100 */
	expect_date("02/29/2000", "2000-02-29"); /* divisible by 400 */
	expect_refused("2100-02-29");
	expect_date("2400-02-29", "2400-02-29");
}

static void test_year_range(void **state)
{
	(void)state;
	expect_refused("12/31/1899");
	expect_refused("1899-12-31");
	expect_refused("01/01/0000");
	expect_refused("01/01/10000");
	expect_refused("10000-01-01");
	expect_refused("01/01/26"); /* two-digit years are ambiguous */
	expect_refused("26-01-01");
}

static void test_malformed(void **state)
{
	(void)state;
	expect_refused("");
	expect_refused("   ");
	expect_refused("03/15/2026x");
	expect_refused("03/15/2026 x");
	expect_refused("2026-03-15T00:00");
	expect_refused("03/15-2026"); /* the separators must match */
	expect_refused("03-15/2026");
	expect_refused("2026/03/15");
	expect_refused("15.03.2026");
	expect_refused("March 15, 2026");
	expect_refused("20260315");
	expect_refused("003/15/2026");
	expect_refused("03/015/2026");
	expect_refused("2026-003-15");
	expect_refused("-03/15/2026");
	expect_refused("+2026-03-15");
	expect_refused("03/15/");
	expect_refused("03/");
	expect_refused("2026-");
	expect_refused("2026-03-");
	expect_refused("0x1/15/2026");
	expect_refused("\xEF\xBC\x91/15/2026"); /* a full-width digit */
	assert_false(date_parse(NULL, &(iv_date){0}));
}

/* Walk every day from 1900 to 2400 with a plain calendar counter: the
 * day numbers must be consecutive, and format/parse/to_ymd must agree
 * with the counter on each. */
static void test_round_trip(void **state)
{
	(void)state;
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = 1900, m = 1, d = 1;
	iv_date expect = date_from_ymd(1900, 1, 1);
	while (y <= 2400) {
		iv_date got = date_from_ymd(y, m, d);
		assert_int_equal(got, expect);
		int yy, mm, dd;
		date_to_ymd(got, &yy, &mm, &dd);
		assert_true(yy == y && mm == m && dd == d);
		char iso[IV_DATE_ISO_LEN], want[32], us[32];
		date_format(got, iso);
		snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
		assert_string_equal(iso, want);
		iv_date back;
		assert_true(date_parse(iso, &back));
		assert_int_equal(back, got);
		snprintf(us, sizeof us, "%02d/%02d/%04d", m, d, y);
		assert_true(date_parse(us, &back));
		assert_int_equal(back, got);
		/* the next day by hand */
		bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int len = m == 2 && leap ? 29 : mdays[m - 1];
		if (++d > len) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
		expect++;
	}
	char iso[IV_DATE_ISO_LEN];
	date_format(date_from_ymd(9999, 12, 31), iso);
	assert_string_equal(iso, "9999-12-31");
	date_format(0, iso);
	assert_string_equal(iso, "1970-01-01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_spellings),
		cmocka_unit_test(test_blanks),
		cmocka_unit_test(test_impossible_dates),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_year_range),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
