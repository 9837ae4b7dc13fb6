/* Text for people: characters counted, terminal controls shown as '?',
 * spreadsheet formulas marked in CSV (src/util/text.c, csv.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/csv.h"
#include "invadj/text.h"

static void test_chars_count_code_points(void **state)
{
	(void)state;
	assert_int_equal(text_chars("abc", 3), 3);
	assert_int_equal(text_chars("\xC3\xA9\xC3\xA9", 4), 2);         /* éé */
	assert_int_equal(text_chars("\xF0\x9F\x98\x80x", 5), 2);         /* an emoji and x */
	assert_int_equal(text_chars("\xC3\xA9\xC3\xA9", 3), 2);         /* cut inside the second */
	assert_int_equal(text_chars("\xFF\xFE", 2), 2);                 /* not UTF-8: a byte each */
}

static void test_printable_replaces_controls(void **state)
{
	(void)state;
	char out[128];
	assert_true(text_printable("hide\x1b[1A\x1b[2K", out, sizeof out));
	assert_string_equal(out, "hide?[1A?[2K");
	assert_true(text_printable("\x1b]0;pwned\x07", out, sizeof out));
	assert_string_equal(out, "?]0;pwned?");
	assert_true(text_printable("a\xC2\x9B" "31mb", out, sizeof out)); /* C1 CSI */
	assert_string_equal(out, "a?31mb");
	assert_true(text_printable("x\xE2\x80\xAEy", out, sizeof out)); /* RIGHT-TO-LEFT OVERRIDE */
	assert_string_equal(out, "x?y");
	assert_true(text_printable("tab\there\r\n\x7f", out, sizeof out));
	assert_string_equal(out, "tab?here???");
	assert_true(text_printable("\xC3(", out, sizeof out)); /* a cut sequence */
	assert_string_equal(out, "?(");
	assert_false(text_printable("Caf\xC3\xA9 \xF0\x9F\x98\x80", out, sizeof out));
	assert_string_equal(out, "Caf\xC3\xA9 \xF0\x9F\x98\x80");
	/* never cut inside a character */
	assert_false(text_printable("\xC3\xA9\xC3\xA9", out, 4));
	assert_string_equal(out, "\xC3\xA9");
}

static char *written(const char *field, csv_style style)
{
	static char buf[256];
	memset(buf, 0, sizeof buf);
	FILE *f = fmemopen(buf, sizeof buf, "w");
	csv_write_field_as(f, field, style);
	fclose(f);
	return buf;
}

static void test_formulas_are_marked(void **state)
{
	(void)state;
	assert_string_equal(written("=HYPERLINK(\"http://x\",\"y\")", CSV_FOR_PEOPLE),
	                    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	assert_string_equal(written("=cmd|' /C calc'!A0", CSV_FOR_PEOPLE), "'=cmd|' /C calc'!A0");
	assert_string_equal(written("@SUM(A1:A9)", CSV_FOR_PEOPLE), "'@SUM(A1:A9)");
	assert_string_equal(written("+1+1", CSV_FOR_PEOPLE), "'+1+1");
	assert_string_equal(written("-2+3", CSV_FOR_PEOPLE), "'-2+3");
	assert_string_equal(written("\tx", CSV_FOR_PEOPLE), "'\tx");
	assert_string_equal(written("\rx", CSV_FOR_PEOPLE), "\"'\rx\"");
	/* numbers stay numbers, and ordinary text is untouched */
	assert_string_equal(written("-5", CSV_FOR_PEOPLE), "-5");
	assert_string_equal(written("+12.50", CSV_FOR_PEOPLE), "+12.50");
	assert_string_equal(written("dropped", CSV_FOR_PEOPLE), "dropped");
	assert_string_equal(written("", CSV_FOR_PEOPLE), "");
	assert_true(csv_is_formula("-")); /* OWASP: any such cell but a number */
	assert_true(csv_is_formula("-x"));
	/* --raw: exact */
	assert_string_equal(written("=1+1", CSV_EXACT), "=1+1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chars_count_code_points),
		cmocka_unit_test(test_printable_replaces_controls),
		cmocka_unit_test(test_formulas_are_marked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
