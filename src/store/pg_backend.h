/* The PostgreSQL backend of the storage module (libpq).
 *
 * Every function of store.h has a twin here, pg_<name> for store_<name>,
 * with the identical signature; pg_backend (backend.h) is their table.
 * A PostgreSQL handle is a pg_store whose first member is store_common,
 * the header every backend's handle begins with.
 *
 * Which databases go here: store_open hands a path beginning with
 * "postgresql://" or "postgres://" (libpq's URI syntax) to pg_open,
 * through the module that holds this backend (backend.h). */
#ifndef INVADJ_PG_BACKEND_H
#define INVADJ_PG_BACKEND_H

#include "store/backend.h"

/* The backend's functions, pg_<name> for each store_<name>. */
STORE_FUNCS(STORE_DECL_pg, STORE_DECL_VOID_pg)

#endif
