/* The clock: "now" for recorded times, and "today" in a store's zone.
 *
 * There is one clock per database (store_now_ms: the host's for a file,
 * the server's for PostgreSQL) and no "today" kept on the handle: every
 * rule reads the clock when it runs, so a screen left open past
 * midnight sees the new day, and every terminal of a store, whatever
 * its own TZ, gets the store's date.
 *
 * This file is compiled twice.  The program (./invadj) reads only the
 * real clock.  The test build (-DINVADJ_TEST_CLOCK: build/invadj-test,
 * the unit tests, the test tools) also takes a pinned clock from
 * INVADJ_NOW (an instant, 2026-11-29T12:00:00Z) or INVADJ_TODAY (a day,
 * the same in every zone), or from iv_test_clock_pin(): a seam that the
 * installed program does not have, so no user can move "today". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/internal.h"

#define MS_PER_DAY 86400000LL

/* "YYYY-MM-DDTHH:MM:SS[.mmm]Z" (or with a blank for the T) as ms. */
static bool parse_instant(const char *text, int64_t *ms)
{
	int y, mo, d, h, mi, s, n = 0, frac = 0;
	char sep;
	if (sscanf(text, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &s, &n) != 7 ||
	    (sep != 'T' && sep != ' '))
		return false;
	const char *p = text + n;
	if (*p == '.' && sscanf(p, ".%3d", &frac) == 1)
		p += 4;
	if (*p == 'Z')
		p++;
	if (*p)
		return false;
	*ms = (int64_t)date_from_ymd(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000LL + frac;
	return true;
}

#ifdef INVADJ_TEST_CLOCK
static char pinned[64];

void iv_test_clock_pin(const char *text);
void iv_test_clock_pin(const char *text)
{
	snprintf(pinned, sizeof pinned, "%s", text ? text : "");
}

/* A pinned clock: true when the test build was given one.  An instant
 * pinned by INVADJ_NOW moves INVADJ_NOW_STEP_MS further at each reading
 * after the first: a clock that crosses midnight between two readings
 * of one save (its preview's and its write's). */
static bool test_pin(clock_reading *out)
{
	const char *now = pinned[0] ? pinned : getenv("INVADJ_NOW");
	if (now && *now && parse_instant(now, &out->unix_ms)) {
		static int64_t readings;
		const char *step = pinned[0] ? NULL : getenv("INVADJ_NOW_STEP_MS");
		if (step && *step)
			out->unix_ms += readings++ * strtoll(step, NULL, 10);
		return true;
	}
	const char *today = pinned[0] ? pinned : getenv("INVADJ_TODAY");
	if (today && *today && date_parse(today, &out->day)) {
		/* Noon UTC of that day: the same date in zones from -12 to +12. */
		out->day_pinned = true;
		out->unix_ms = (int64_t)out->day * MS_PER_DAY + MS_PER_DAY / 2;
		return true;
	}
	return false;
}
#else
static bool test_pin(clock_reading *out)
{
	(void)out;
	return false;
}
#endif

iv_status clock_read(iv_db *db, clock_reading *out)
{
	memset(out, 0, sizeof *out);
	if (test_pin(out))
		return IV_OK;
	iv_status rc = store_now_ms(db->st, &out->unix_ms);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status clock_now_text(iv_db *db, char buf[32])
{
	clock_reading t;
	iv_status rc = clock_read(db, &t);
	if (rc == IV_OK)
		clock_utc_text(&t, buf);
	return rc;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void clock_utc_text(const clock_reading *t, char buf[32])
{
	int64_t day = floor_div(t->unix_ms, MS_PER_DAY), ms = t->unix_ms - day * MS_PER_DAY;
	char date[IV_DATE_ISO_LEN];
	date_format((iv_date)day, date);
	snprintf(buf, 32, "%sT%02d:%02d:%02d.%03dZ", date, (int)(ms / 3600000), (int)(ms / 60000 % 60),
	         (int)(ms / 1000 % 60), (int)(ms % 1000));
}

/* A zone's offset at an instant.  Offsets change at most every quarter
 * of an hour (zones and their changes are whole quarters), so the
 * answer is kept for the quarter: History shows a thousand rows at the
 * cost of a few look-ups (one query each on a server). */
static iv_status zone_offset(iv_db *db, const char *tz, int64_t unix_s, int64_t *offset)
{
	int64_t quarter = floor_div(unix_s, 900);
	for (size_t k = 0; k < ZONE_MEMO; k++) {
		const zone_memo *z = &db->zones[k];
		if (z->used && z->quarter == quarter && strcmp(z->tz, tz) == 0) {
			*offset = z->offset;
			return IV_OK;
		}
	}
	iv_status rc = store_zone_offset(db->st, tz, unix_s, offset);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	zone_memo *z = &db->zones[db->next_zone++ % ZONE_MEMO];
	z->used = true;
	z->quarter = quarter;
	z->offset = *offset;
	snprintf(z->tz, sizeof z->tz, "%s", tz);
	return IV_OK;
}

iv_status clock_day(iv_db *db, const clock_reading *t, const char *tz, iv_date *out)
{
	if (t->day_pinned) {
		*out = t->day;
		return IV_OK;
	}
	int64_t offset;
	iv_status rc = zone_offset(db, tz ? tz : "", floor_div(t->unix_ms, 1000), &offset);
	if (rc == IV_OK)
		*out = (iv_date)floor_div(t->unix_ms / 1000 + offset, 86400);
	return rc;
}

iv_status clock_today(iv_db *db, const iv_store *s, iv_date *out)
{
	clock_reading t;
	iv_status rc = clock_read(db, &t);
	return rc == IV_OK ? clock_day(db, &t, s ? s->tz : "", out) : rc;
}

iv_date iv_today(iv_db *db, const char *store_code)
{
	iv_store s;
	if (!store_code || !*store_code || store_store_find(db->st, store_code, NULL, &s) != IV_OK)
		memset(&s, 0, sizeof s);
	iv_date d;
	/* The database's clock cannot be read (a server gone): the UTC date,
	 * for a screen to show; every rule reads the clock again. */
	if (clock_today(db, &s, &d) != IV_OK)
		d = (iv_date)floor_div((int64_t)time(NULL), 86400);
	return d;
}

void clock_local_text(iv_db *db, const char *tz, const char *utc, char *buf, size_t size)
{
	int y, mo, d, h, mi, s, n = 0;
	snprintf(buf, size, "%s", utc);
	if (sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6)
		return;
	int64_t unix_s = (int64_t)date_from_ymd(y, mo, d) * 86400 + (h * 60 + mi) * 60 + s, offset;
	if (zone_offset(db, tz ? tz : "", unix_s, &offset) != IV_OK)
		return;
	int64_t local = unix_s + offset, day = floor_div(local, 86400), secs = local - day * 86400;
	int64_t off = offset < 0 ? -offset : offset;
	char date[IV_DATE_ISO_LEN];
	date_format((iv_date)day, date);
	snprintf(buf, size, "%s %02d:%02d:%02d%c%02d:%02d", date, (int)(secs / 3600),
	         (int)(secs / 60 % 60), (int)(secs % 60), offset < 0 ? '-' : '+', (int)(off / 3600),
	         (int)(off / 60 % 60));
}

bool clock_parse_utc(const char *text, clock_reading *out)
{
	memset(out, 0, sizeof *out);
	return text && parse_instant(text, &out->unix_ms);
}

iv_status iv_recorded_day(iv_db *db, const char *tz, const char *recorded_at, iv_date *out)
{
	clock_reading t;
	if (!clock_parse_utc(recorded_at, &t))
		return iv_fail(db, IV_E_INVALID, "\"%s\" is not a recorded time", recorded_at);
	return clock_day(db, &t, tz, out);
}
