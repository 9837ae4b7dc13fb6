/* INTERIM dispatcher, until store.h itself becomes a table of function
 * pointers (struct store { const store_backend *be; ... } as the first
 * member of each backend's handle).  Until then the SQLite backend's
 * functions are renamed sqlite_<name> (sqlite_names.h, force-included by
 * the Makefile) and each store_<name> here hands the call to the backend
 * that opened the handle.  A PostgreSQL handle begins with store_common,
 * whose be is pg_backend_tag; a SQLite handle begins with its sqlite3
 * pointer, which can never equal that address.  Delete this file,
 * store_funcs.h and sqlite_names.h when the real dispatch lands. */
#include <string.h>

#include "store/pg_backend.h"
#include "store/store_funcs.h"

static bool is_pg(const store *st)
{
	const void *head;
	memcpy(&head, (const void *)st, sizeof head);
	return head == (const void *)pg_backend_tag;
}

/* The SQLite backend under its interim names. */
#define DECLARE(ret, name, params, args) ret sqlite_##name params;
#define DECLARE_VOID(name, params, args) void sqlite_##name params;
STORE_FUNCS(DECLARE, DECLARE_VOID)
iv_status sqlite_open(const char *path, bool create, store **out);

#define FORWARD(ret, name, params, args) \
	ret store_##name params              \
	{                                    \
		return is_pg(st) ? pg_##name args : sqlite_##name args; \
	}
#define FORWARD_VOID(name, params, args) \
	void store_##name params             \
	{                                    \
		if (!st)                         \
			return;                      \
		if (is_pg(st))                   \
			pg_##name args;              \
		else                             \
			sqlite_##name args;          \
	}
STORE_FUNCS(FORWARD, FORWARD_VOID)

iv_status store_open(const char *path, bool create, store **out)
{
	return pg_is_uri(path) ? pg_open(path, create, out) : sqlite_open(path, create, out);
}

bool store_is_file(const char *path)
{
	return !pg_is_uri(path);
}
