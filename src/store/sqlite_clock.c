/* The clock of a database file: its host's, and the zones of its tz
 * database (/usr/share/zoneinfo), read through the C library. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "store/sqlite_internal.h"

iv_status sqlite_now_ms(store *st, int64_t *unix_ms)
{
	(void)st;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	*unix_ms = (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	return IV_OK;
}

/* An IANA name such as Pacific/Pago_Pago whose file the host has: the C
 * library silently takes an unknown name for UTC, so it is checked
 * first (and a name is never a path out of the zone folder). */
static bool zone_known(const char *tz)
{
	if (tz[0] == '/' || strstr(tz, ".."))
		return false;
	for (const char *p = tz; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '/' || *p == '_' || *p == '-' || *p == '+'))
			return false;
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
	return access(path, R_OK) == 0;
}

iv_status sqlite_zone_offset(store *st, const char *tz, int64_t unix_s, int64_t *offset_s)
{
	if (*tz && !zone_known(tz))
		return sqlite_failf(st, IV_E_INVALID,
		                   "TimeZone: \"%s\" is not a time zone this machine knows "
		                   "(an IANA name such as Europe/Paris)",
		                   tz);
	/* The C library knows one zone at a time, the TZ variable's: it is
	 * set for the call and put back.  "" is the host's own zone, so a
	 * terminal's TZ is left out too.  (Only the thread that owns the
	 * handle calls this, before any writer thread starts.) */
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	if (old && !saved)
		return sqlite_failf(st, IV_E_NOMEM, "out of memory");
	if (*tz)
		setenv("TZ", tz, 1);
	else
		unsetenv("TZ");
	tzset();
	time_t t = (time_t)unix_s;
	struct tm tm;
	bool ok = localtime_r(&t, &tm) != NULL;
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
	if (!ok)
		return sqlite_failf(st, IV_E_INVALID, "the time %lld cannot be shown in zone %s",
		                   (long long)unix_s, *tz ? tz : "of this machine");
	*offset_s = tm.tm_gmtoff;
	return IV_OK;
}
