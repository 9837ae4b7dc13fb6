/* The one parser and printer of money amounts (include/invadj/money.h). */
#include "invadj/money.h"

#include <ctype.h>
#include <stdio.h>

money_error money_parse_cost(const char *text, iv_money *out)
{
	if (!text)
		return MONEY_EMPTY;
	const char *p = text;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return MONEY_EMPTY;
	iv_money whole = 0;
	bool digits = false, too_big = false;
	while (isdigit((unsigned char)*p)) {
		digits = true;
		if (!too_big)
			whole = whole * 10 + (*p - '0');
		if (whole > IV_COST_MAX / IV_MONEY_SCALE)
			too_big = true; /* keep scanning: what follows may be the real fault */
		p++;
	}
	if (*p == ',' && digits && isdigit((unsigned char)p[1]))
		return MONEY_SEPARATOR;
	iv_money frac = 0;
	int decimals = 0;
	bool extra = false; /* a non-zero digit past the fourth decimal */
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			digits = true;
			if (++decimals <= IV_MONEY_DECIMALS)
				frac = frac * 10 + (*p - '0');
			else if (*p != '0')
				extra = true;
			p++;
		}
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (!digits || *p != '\0')
		return MONEY_NOT_NUMBER;
	if (extra)
		return MONEY_DECIMALS;
	for (int k = decimals; k < IV_MONEY_DECIMALS; k++)
		frac *= 10;
	if (too_big)
		return MONEY_TOO_LARGE;
	iv_money v = whole * IV_MONEY_SCALE + frac;
	if (v > IV_COST_MAX)
		return MONEY_TOO_LARGE;
	*out = v;
	return MONEY_OK;
}

const char *money_error_text(money_error e)
{
	switch (e) {
	case MONEY_OK: return "is valid";
	case MONEY_EMPTY: return "is empty";
	case MONEY_NOT_NUMBER:
		return "is not a cost (digits, a point and up to 4 decimals, e.g. 12.3456; no sign or "
		       "currency symbol)";
	case MONEY_DECIMALS: return "has more than 4 decimals";
	case MONEY_SEPARATOR:
		return "has a comma: type a point for the decimals and no thousands separator (1234.50, "
		       "not 1,234.50 or 1234,50)";
	case MONEY_TOO_LARGE: return "is above the largest unit cost, 100000.0000";
	}
	return "is invalid";
}

char *money_format(iv_money v, char *buf, size_t size)
{
	/* INT64_MIN has no positive twin: work on the magnitude unsigned */
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t whole = mag / IV_MONEY_SCALE;
	unsigned frac = (unsigned)(mag % IV_MONEY_SCALE);
	int decimals = IV_MONEY_DECIMALS;
	while (decimals > 2 && frac % 10 == 0) {
		frac /= 10;
		decimals--;
	}
	snprintf(buf, size, "%s%llu.%0*u", v < 0 ? "-" : "", (unsigned long long)whole, decimals, frac);
	return buf;
}

bool money_value(int64_t diff, iv_money unit_cost, iv_money *out)
{
	return !__builtin_mul_overflow(diff, unit_cost, out);
}
