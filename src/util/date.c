/* Civil-date arithmetic (days from 1970-01-01) and the date spellings
 * the users type.  The day-number conversion is Howard Hinnant's
 * well-known public-domain algorithm for the proleptic Gregorian
 * calendar, written out here from its description. */
#include "invadj/date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

iv_date date_from_ymd(int year, int month, int day)
{
	int y = year - (month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int mp = (month + 9) % 12; /* March = 0 */
	int doy = (153 * mp + 2) / 5 + day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (iv_date)(era * 146097 + doe - 719468);
}

void date_to_ymd(iv_date d, int *year, int *month, int *day)
{
	/* 64-bit intermediates: any iv_date, however far off, stays defined. */
	int64_t z = (int64_t)d + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

static int days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

/* Reads exactly n digits at *p; false if any is not a digit. */
static bool read_digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* Month and day may be written with one digit (3/7/2026), as
 * spreadsheets often do. */
static bool read_1or2(const char **p, int *out)
{
	if (!isdigit((unsigned char)**p))
		return false;
	int n = isdigit((unsigned char)(*p)[1]) ? 2 : 1;
	return read_digits(p, n, out);
}

bool date_parse(const char *text, iv_date *out)
{
	if (!text)
		return false;
	const char *p = text;
	while (*p == ' ' || *p == '\t')
		p++;
	int y, m, d;
	if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3])) {
		/* YYYY-MM-DD */
		if (!read_digits(&p, 4, &y) || *p++ != '-' || !read_1or2(&p, &m) ||
		    *p++ != '-' || !read_1or2(&p, &d))
			return false;
	} else {
		/* MM/DD/YYYY or MM-DD-YYYY, the same separator twice */
		if (!read_1or2(&p, &m))
			return false;
		char sep = *p++;
		if ((sep != '/' && sep != '-') || !read_1or2(&p, &d) || *p++ != sep ||
		    !read_digits(&p, 4, &y))
			return false;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0')
		return false;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	*out = date_from_ymd(y, m, d);
	return true;
}

void date_format(iv_date d, char buf[IV_DATE_ISO_LEN])
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	if (y < 0 || y > 9999)
		y = 0; /* unreachable for parsed dates; keeps the buffer bounded */
	/* By hand: snprintf was a tenth of a back-dated upload's loader. */
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + dd / 10);
	buf[9] = (char)('0' + dd % 10);
	buf[10] = '\0';
}
