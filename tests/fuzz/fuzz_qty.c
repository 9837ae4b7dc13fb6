/* Fuzzes qty_parse with arbitrary text against a small independent
 * oracle: after trimming blanks, the text is accepted exactly when it
 * is an optional sign and digits whose value is within IV_QTY_LIMIT, and
 * then to that value.  Anything else must be refused with a reason, and
 * must leave *out alone. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/qty.h"
#include "fuzz.h"

#define MAX_TEXT 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_TEXT)
		return 0;
	char text[MAX_TEXT + 1];
	memcpy(text, data, size);
	text[size] = '\0'; /* an embedded NUL just ends the text early */

	/* the oracle */
	const char *b = text;
	while (*b == ' ' || *b == '\t')
		b++;
	const char *e = b + strlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	const char *p = b;
	bool neg = false;
	if (p < e && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	const char *digits = p;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	bool whole = p == e && p > digits;
	long long want = 0;
	bool in_range = true;
	for (const char *d = digits; whole && d < e; d++) {
		if (want > IV_QTY_LIMIT) {
			in_range = false;
			break;
		}
		want = want * 10 + (*d - '0');
	}
	if (want > IV_QTY_LIMIT)
		in_range = false;

	iv_qty got = 123456789012LL; /* a value the parser cannot return */
	qty_error err = qty_parse(text, &got);
	if (whole && in_range) {
		FUZZ_CHECK(err == QTY_OK);
		FUZZ_CHECK(got == (neg ? -want : want));
	} else {
		FUZZ_CHECK(err != QTY_OK);
		FUZZ_CHECK(got == 123456789012LL);
		if (whole)
			FUZZ_CHECK(err == QTY_OUT_OF_RANGE);
		if (b == e)
			FUZZ_CHECK(err == QTY_EMPTY);
	}
	const char *why = qty_error_text(err);
	FUZZ_CHECK(why && *why);
	return 0;
}
