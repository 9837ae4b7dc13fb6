/* The clock of a database on a server: the server's, and the zones of
 * its tz database, so that every terminal of a chain agrees. */
#include <stdlib.h>

#include "store/pg_internal.h"

iv_status pg_now_ms(store *st, int64_t *unix_ms)
{
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_NOW_MS, NULL, &res, "reading the server's clock");
	if (rc != IV_OK)
		return rc;
	*unix_ms = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}

iv_status pg_zone_offset(store *st, const char *tz, int64_t unix_s, int64_t *offset_s)
{
	pg_params p = {0};
	pg_param_int(&p, unix_s);
	pg_param_text(&p, tz);
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_ZONE_OFFSET, &p, &res, "reading a store's time zone");
	if (rc != IV_OK)
		return rc;
	*offset_s = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}
