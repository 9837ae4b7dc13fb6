/* What a storage backend provides: one function for each function of
 * store.h (listed once, in store_funcs.h), gathered in a table.  Every
 * backend's handle begins with a pointer to its table; store.c reads it
 * and hands each store_<name> call to the backend's <name>. */
#ifndef INVADJ_STORE_BACKEND_H
#define INVADJ_STORE_BACKEND_H

#include "store/store.h"
#include "store/store_funcs.h"

struct store_backend {
	const char *kind; /* "SQLite", "PostgreSQL" */
#define STORE_MEMBER(ret, fn, params, args) ret(*fn) params;
#define STORE_MEMBER_VOID(fn, params, args) void(*fn) params;
	STORE_FUNCS(STORE_MEMBER, STORE_MEMBER_VOID)
#undef STORE_MEMBER
#undef STORE_MEMBER_VOID
};

/* A backend's declarations of its functions prefix_<name>, and its
 * table of them (they must all exist: a missing one fails the link). */
#define STORE_DECL_sqlite(ret, fn, params, args) ret sqlite_##fn params;
#define STORE_DECL_VOID_sqlite(fn, params, args) void sqlite_##fn params;
#define STORE_DECL_pg(ret, fn, params, args) ret pg_##fn params;
#define STORE_DECL_VOID_pg(fn, params, args) void pg_##fn params;
#define STORE_ENTRY_sqlite(ret, fn, params, args) .fn = sqlite_##fn,
#define STORE_ENTRY_VOID_sqlite(fn, params, args) .fn = sqlite_##fn,
#define STORE_ENTRY_pg(ret, fn, params, args) .fn = pg_##fn,
#define STORE_ENTRY_VOID_pg(fn, params, args) .fn = pg_##fn,

extern const store_backend sqlite_backend;
extern const store_backend pg_backend;

/* A LIKE pattern in which the user's %, _ and \ are literal (escape
 * character \): prefix matching, or containing when leading is set. */
void store_like_pattern(char *out, size_t n, const char *text, bool leading);
/* The statement that serves a history query: the index of its most
 * selective filter (store.h). */
store_history_drive store_history_drive_of(const store_history_query *q);
/* The search key of an item: its identifiers and description folded. */
#define STORE_ITEM_KEY_MAX (6 * IV_IDENT_SIZE + IV_NAME_SIZE + 8)
void store_item_key(const iv_item *it, char *out, size_t size);

/* A user's role as both backends keep it: its name in users.role. */
const char *store_role_text(iv_role role);
iv_role store_role_parse(const char *text); /* unknown: clerk, the least */

/* Which backend a path names: a PostgreSQL connection URI
 * (postgresql:// or postgres://) or, anything else, a SQLite file. */
bool pg_is_uri(const char *path);
iv_status sqlite_open(const char *path, iv_open_mode mode, store **out);
iv_status pg_open(const char *path, iv_open_mode mode, store **out);

#endif
