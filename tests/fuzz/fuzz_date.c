/* Fuzzes date_parse with arbitrary text.  An accepted date must lie in
 * 1900..9999, survive format and parse unchanged, and the trimmed text
 * must be one of the spellings of that very date (so no garbage slips
 * through: a prefix parsed and the rest ignored, a wrong separator).
 * A refused date must leave *out alone.
 *
 * The day arithmetic is also driven directly over the day numbers the
 * parser can produce (1900-01-01 .. 9999-12-31): to_ymd and from_ymd
 * must be inverses, and format/parse must round-trip. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/date.h"
#include "fuzz.h"

#define MAX_TEXT 64

/* Is text (already trimmed, length n) one of the spellings of y-m-d? */
static bool is_spelling(const char *text, size_t n, int y, int m, int d)
{
	/* month and day each with or without a leading zero, in the three
	 * spellings */
	char buf[3][40];
	for (int mz = 0; mz < 2; mz++) {
		for (int dz = 0; dz < 2; dz++) {
			char ms[4], ds[4];
			snprintf(ms, sizeof ms, mz ? "%02d" : "%d", m);
			snprintf(ds, sizeof ds, dz ? "%02d" : "%d", d);
			snprintf(buf[0], sizeof buf[0], "%04d-%s-%s", y, ms, ds);
			snprintf(buf[1], sizeof buf[1], "%s/%s/%04d", ms, ds, y);
			snprintf(buf[2], sizeof buf[2], "%s-%s-%04d", ms, ds, y);
			for (int k = 0; k < 3; k++)
				if (strlen(buf[k]) == n && memcmp(buf[k], text, n) == 0)
					return true;
		}
	}
	return false;
}

static void check_day(iv_date day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	FUZZ_CHECK(y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
	FUZZ_CHECK(date_from_ymd(y, m, d) == day);
	char iso[IV_DATE_ISO_LEN];
	date_format(day, iso);
	FUZZ_CHECK(strlen(iso) == IV_DATE_ISO_LEN - 1);
	iv_date back = -1;
	FUZZ_CHECK(date_parse(iso, &back));
	FUZZ_CHECK(back == day);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4) {
		/* the first four bytes, as a day in the parser's range */
		static iv_date lo, span;
		if (span == 0) {
			lo = date_from_ymd(1900, 1, 1);
			span = date_from_ymd(9999, 12, 31) - lo + 1;
		}
		uint32_t raw = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
		               (uint32_t)data[3] << 24;
		check_day(lo + (iv_date)(raw % (uint32_t)span));
	}
	if (size > MAX_TEXT)
		return 0;
	char text[MAX_TEXT + 1];
	memcpy(text, data, size);
	text[size] = '\0';

	iv_date got = INT32_MIN;
	if (!date_parse(text, &got)) {
		FUZZ_CHECK(got == INT32_MIN);
		return 0;
	}
	check_day(got);
	int y, m, d;
	date_to_ymd(got, &y, &m, &d);
	const char *b = text;
	while (*b == ' ' || *b == '\t')
		b++;
	size_t n = strlen(b);
	while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\t'))
		n--;
	FUZZ_CHECK(is_spelling(b, n, y, m, d));
	return 0;
}
