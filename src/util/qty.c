/* The one parser for typed quantities (Diff, Qty). */
#include "invadj/qty.h"

#include <ctype.h>
#include <stdbool.h>

qty_error qty_parse(const char *text, iv_qty *out)
{
	if (!text)
		return QTY_EMPTY;
	const char *p = text;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return QTY_EMPTY;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p))
		return QTY_NOT_NUMBER;
	iv_qty v = 0;
	bool too_big = false;
	while (isdigit((unsigned char)*p)) {
		if (!too_big)
			v = v * 10 + (*p - '0');
		if (v > IV_QTY_LIMIT)
			too_big = true; /* keep scanning: "1e99" is an exponent, not a range error */
		p++;
	}
	if (*p == ',' && isdigit((unsigned char)p[1])) {
		/* "1,000": said as such, so that the user knows to type 1000 */
		while (*p == ',' || isdigit((unsigned char)*p))
			p++;
		while (*p == ' ' || *p == '\t')
			p++;
		return *p == '\0' ? QTY_SEPARATOR : QTY_NOT_NUMBER;
	}
	qty_error tail = QTY_OK;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
		tail = QTY_FRACTION;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return QTY_NOT_NUMBER;
		while (isdigit((unsigned char)*p))
			p++;
		tail = QTY_EXPONENT;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0')
		return QTY_NOT_NUMBER;
	if (tail != QTY_OK)
		return tail;
	if (too_big)
		return QTY_OUT_OF_RANGE;
	*out = neg ? -v : v;
	return QTY_OK;
}

const char *qty_error_text(qty_error e)
{
	switch (e) {
	case QTY_OK: return "is valid";
	case QTY_EMPTY: return "is empty";
	case QTY_NOT_NUMBER: return "is not a number";
	case QTY_FRACTION: return "is not a whole number";
	case QTY_EXPONENT: return "is written in scientific notation (e.g. 1E+3); type the whole number";
	case QTY_OUT_OF_RANGE: return "is beyond the limit of 1,000,000,000";
	case QTY_SEPARATOR: return "has a thousands separator: type the digits only (1000, not 1,000)";
	}
	return "is invalid";
}
