/* Quantities: whole units, signed.  The parser is the one place that
 * decides what a typed Diff or Qty may look like. */
#ifndef INVADJ_QTY_H
#define INVADJ_QTY_H

#include <stdint.h>

typedef int64_t iv_qty;

#define IV_QTY_LIMIT 1000000000LL /* |Diff| and |Qty| may not exceed this */

typedef enum qty_error {
	QTY_OK = 0,
	QTY_EMPTY,        /* nothing typed */
	QTY_NOT_NUMBER,   /* letters or symbols */
	QTY_FRACTION,     /* 1.5 */
	QTY_EXPONENT,     /* 1e3, 1.23E+11 */
	QTY_OUT_OF_RANGE, /* beyond +-IV_QTY_LIMIT, including overflow */
	QTY_SEPARATOR,    /* 1,000: digits grouped with commas */
} qty_error;

/* Parse an optionally signed whole number, surrounding blanks allowed,
 * thousands separators not.  Zero is accepted here; whether zero is
 * allowed is a rule the engine decides. */
qty_error qty_parse(const char *text, iv_qty *out);

/* The reason in words, e.g. "is not a whole number". */
const char *qty_error_text(qty_error e);

#endif
