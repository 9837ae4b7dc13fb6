/* Money: unit costs and the values of Diffs, exact.  An amount is an
 * integer number of ten-thousandths of the currency unit (12.3456 is
 * 123456), never a float, so that sums are exact whatever their size.
 *
 * A unit cost is at most 100,000.0000: the value of the largest Diff
 * (1,000,000,000) at the largest cost is then 10^18 ten-thousandths,
 * which 64 bits hold with room for sums of many such lines. */
#ifndef INVADJ_MONEY_H
#define INVADJ_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t iv_money;

#define IV_MONEY_SCALE 10000                            /* ten-thousandths */
#define IV_MONEY_DECIMALS 4
#define IV_COST_MAX ((iv_money)100000 * IV_MONEY_SCALE) /* 100,000.0000 */
#define IV_MONEY_TEXT 32 /* the longest amount as text, sign and NUL included */

typedef enum money_error {
	MONEY_OK = 0,
	MONEY_EMPTY,      /* nothing typed */
	MONEY_NOT_NUMBER, /* letters, a sign, a currency symbol, two points */
	MONEY_DECIMALS,   /* more than four decimals */
	MONEY_SEPARATOR,  /* 1,234.50 or 12,5: a comma */
	MONEY_TOO_LARGE,  /* above IV_COST_MAX */
} money_error;

/* Parses a unit cost: digits with at most four decimals after a point
 * ("12", "12.5", "0.0042", ".5"), surrounding blanks allowed; no sign,
 * no currency symbol, no thousands separators, no exponent.  Zero is a
 * cost (a free item).  *out is left alone on any error. */
money_error money_parse_cost(const char *text, iv_money *out);

/* The reason in words, e.g. "has more than 4 decimals". */
const char *money_error_text(money_error e);

/* An amount as people read it: a minus sign when negative, the whole
 * units without grouping, and two to four decimals (12.30, 12.3456,
 * -0.05).  buf holds IV_MONEY_TEXT bytes. */
char *money_format(iv_money v, char *buf, size_t size);

/* A Diff's value at a unit cost, exact: false when it does not fit (it
 * always does within the limits of Diffs and costs). */
bool money_value(int64_t diff, iv_money unit_cost, iv_money *out);

#endif
