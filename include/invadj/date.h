/* Calendar dates as day numbers, and the three spellings users type.
 *
 * A date is an iv_date: days since 1970-01-01 (proleptic Gregorian), so
 * dates compare and subtract as integers.  In the database a date is
 * stored as ISO text (YYYY-MM-DD) so that people reading the file with
 * the sqlite3 shell see plain dates. */
#ifndef INVADJ_DATE_H
#define INVADJ_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t iv_date;

#define IV_DATE_ISO_LEN 11 /* "YYYY-MM-DD" and its NUL */

/* Parse MM/DD/YYYY, MM-DD-YYYY or YYYY-MM-DD (surrounding blanks
 * allowed).  Years 1900..9999.  Refuses impossible dates such as
 * 02/30/2026.  Returns false and leaves *out alone on any error. */
bool date_parse(const char *text, iv_date *out);

/* Writes "YYYY-MM-DD" into buf (at least IV_DATE_ISO_LEN bytes). */
void date_format(iv_date d, char buf[IV_DATE_ISO_LEN]);

/* Day number from a civil date; the caller has validated the fields. */
iv_date date_from_ymd(int year, int month, int day);
void date_to_ymd(iv_date d, int *year, int *month, int *day);

#endif
