/* The storage module's front door: store_open chooses the backend by
 * the path, and every other store_<name> hands the call to the backend
 * whose table heads the handle (backend.h). */
#include <stdlib.h>
#include <string.h>


#include "store/backend.h"

static const store_common *header_of(const store *st)
{
	return (const store_common *)(const void *)st;
}

#define FORWARD(ret, fn, params, args)           \
	ret store_##fn params                        \
	{                                            \
		return header_of(st)->be->fn args;       \
	}
#define FORWARD_VOID(fn, params, args)           \
	void store_##fn params                       \
	{                                            \
		if (st)                                  \
			header_of(st)->be->fn args;          \
	}
STORE_FUNCS(FORWARD, FORWARD_VOID)

const char *store_errmsg(const store *st)
{
	return st ? header_of(st)->errmsg : "out of memory";
}

/* A PostgreSQL connection URI (libpq's syntax); anything else names a
 * SQLite file. */
static bool is_server_uri(const char *path)
{
	return path && (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0);
}

iv_status store_open(const char *path, iv_open_mode mode, store_upgrade_fn upgrade, store **out)
{
	iv_status rc = is_server_uri(path) ? store_module_open_pg(path, mode, upgrade, out)
	                                   : sqlite_open(path, mode, upgrade, out);
	/* items a migration or a copy left without a search key get one
	 * (a read-only open writes nothing: its searches miss those items
	 * until the next ordinary open); a server's handle does it when it
	 * connects (pg_schema.c), as the administrator who migrated */
	if (rc == IV_OK && mode != IV_OPEN_READONLY && !is_server_uri(path))
		rc = store_fill_search_keys(*out);
	return rc;
}

bool store_is_file(const char *path)
{
	return !is_server_uri(path);
}
