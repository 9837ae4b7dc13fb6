/* People on a database file: a file has no server roles (store.h,
 * "People on a server").  Its users log in with a PIN the engine checks
 * (src/engine/login.c); the engine never asks a file for a role, and a
 * call that does anyway is refused in words. */
#include "store/sqlite_internal.h"

static iv_status no_roles(store *st)
{
	return sqlite_failf(st, IV_E_INVALID,
	                   "a database file has no server roles: its users log in with their PIN");
}

iv_status sqlite_connect_as(store *st, const char *user, const char *secret)
{
	(void)user;
	(void)secret;
	return no_roles(st);
}

iv_status sqlite_open_as(store *st, const char *user, const char *secret, store **out)
{
	(void)user;
	(void)secret;
	*out = NULL;
	return no_roles(st);
}

iv_status sqlite_open_like(store *st, iv_open_mode mode, store **out)
{
	const char *path = sqlite3_db_filename(st->db, "main");
	return sqlite_open(path ? path : "", mode == IV_OPEN_CREATE ? IV_OPEN_EXISTING : mode, NULL, out);
}

iv_status sqlite_role_create(store *st, const char *name, iv_role role, const char *secret, bool login)
{
	(void)name;
	(void)role;
	(void)secret;
	(void)login;
	return no_roles(st);
}

iv_status sqlite_role_alter(store *st, const char *name, const store_role_change *c)
{
	(void)name;
	(void)c;
	return no_roles(st);
}

iv_status sqlite_role_exists(store *st, const char *name, bool *exists)
{
	(void)name;
	*exists = false;
	return no_roles(st);
}

iv_status sqlite_role_revoke(store *st, const char *name)
{
	(void)name;
	return no_roles(st);
}

iv_status sqlite_roles_start(store *st)
{
	return no_roles(st);
}

iv_status sqlite_approval_sign(store *st, int64_t author_id, const unsigned char *digest, uint64_t rows)
{
	(void)author_id;
	(void)digest;
	(void)rows;
	return no_roles(st);
}

bool sqlite_sums_by_server(store *st)
{
	(void)st;
	return false; /* a file's sums are the engine's */
}

iv_status sqlite_check_server(store *st)
{
	(void)st;
	return IV_OK; /* a file's approvals are the engine's to check (verify_chains.c) */
}
