/* The PostgreSQL backend of the storage module (libpq).
 *
 * Every function of store.h has a twin here, pg_<name> for store_<name>,
 * with the identical signature; pg_backend (backend.h) is their table.
 * A PostgreSQL handle is a pg_store whose first member is store_common,
 * which begins with the table pointer as every backend's handle does.
 *
 * Which databases go here: store_open hands a path beginning with
 * "postgresql://" or "postgres://" (libpq's URI syntax) to pg_open;
 * pg_is_uri says so. */
#ifndef INVADJ_PG_BACKEND_H
#define INVADJ_PG_BACKEND_H

#include "store/backend.h"

/* The head of a PostgreSQL handle (be first, as every backend's handle;
 * errmsg: the last failure's sentence, read by pg_errmsg). */
typedef struct store_common {
	const store_backend *be;
	char errmsg[IV_MSG_MAX];
} store_common;

/* The backend's functions, pg_<name> for each store_<name>. */
STORE_FUNCS(STORE_DECL_pg, STORE_DECL_VOID_pg)

#endif
