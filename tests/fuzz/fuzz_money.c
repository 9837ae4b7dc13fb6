/* Fuzzes money_parse_cost with arbitrary text against a small
 * independent oracle: after trimming blanks, the text is accepted
 * exactly when it is digits with at most one point, at least one digit,
 * at most four decimals that are not all-zero-padding (extra trailing
 * zeros are fine) and a value within IV_COST_MAX; then to that value.
 * Anything else is refused with a reason and leaves *out alone.  What
 * is accepted prints back (money_format) to text that parses to the
 * same amount. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/money.h"
#include "fuzz.h"

#define MAX_TEXT 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_TEXT)
		return 0;
	char text[MAX_TEXT + 1];
	memcpy(text, data, size);
	text[size] = '\0';

	/* the oracle: an amount in ten-thousandths, as long as it is small */
	const char *b = text;
	while (*b == ' ' || *b == '\t')
		b++;
	const char *e = b + strlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	bool ok = b < e, seen_point = false, any_digit = false;
	long double want = 0;
	int decimals = 0;
	for (const char *p = b; ok && p < e; p++) {
		if (*p == '.' && !seen_point) {
			seen_point = true;
		} else if (*p >= '0' && *p <= '9') {
			any_digit = true;
			if (seen_point) {
				decimals++;
				if (decimals > 4 && *p != '0')
					ok = false;
				else if (decimals <= 4) {
					long double f = *p - '0';
					for (int k = decimals; k < 4; k++)
						f *= 10;
					want += f;
				}
			} else {
				want = want * 10 + (long double)(*p - '0') * 10000;
				if (want > 1e30L)
					want = 1e30L;
			}
		} else {
			ok = false;
		}
	}
	ok = ok && any_digit;
	bool in_range = want <= (long double)IV_COST_MAX;

	iv_money got = -42;
	money_error err = money_parse_cost(text, &got);
	if (ok && in_range) {
		FUZZ_CHECK(err == MONEY_OK);
		FUZZ_CHECK((long double)got == want);
		char back[IV_MONEY_TEXT];
		money_format(got, back, sizeof back);
		iv_money again = -1;
		FUZZ_CHECK(money_parse_cost(back, &again) == MONEY_OK && again == got);
	} else {
		FUZZ_CHECK(err != MONEY_OK);
		FUZZ_CHECK(got == -42);
		if (ok)
			FUZZ_CHECK(err == MONEY_TOO_LARGE);
		if (b == e)
			FUZZ_CHECK(err == MONEY_EMPTY);
	}
	const char *why = money_error_text(err);
	FUZZ_CHECK(why && *why);
	return 0;
}
