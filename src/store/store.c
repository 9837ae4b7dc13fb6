/* The storage module's front door: store_open chooses the backend by
 * the path, and every other store_<name> hands the call to the backend
 * whose table heads the handle (backend.h). */
#include <stdlib.h>
#include <string.h>


#include "store/backend.h"

static iv_status fill_search_keys(store *st);

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
	 * until the next ordinary open) */
	if (rc == IV_OK && mode != IV_OPEN_READONLY)
		rc = fill_search_keys(*out);
	return rc;
}

bool store_is_file(const char *path)
{
	return !is_server_uri(path);
}



#define FILL_BATCH 1000

struct unfolded {
	int64_t ids[FILL_BATCH];
	char (*keys)[STORE_ITEM_KEY_MAX];
	int n;
};

static bool collect_unfolded(void *ctx, int64_t id, const iv_item *it)
{
	struct unfolded *u = ctx;
	if (u->n >= FILL_BATCH)
		return false;
	u->ids[u->n] = id;
	store_item_key(it, u->keys[u->n], STORE_ITEM_KEY_MAX);
	u->n++;
	return true;
}

/* Items without a search key (after a migration or a copy) get one. */
static iv_status fill_search_keys(store *st)
{
	struct unfolded *u = calloc(1, sizeof *u);
	if (!u || !(u->keys = calloc(FILL_BATCH, STORE_ITEM_KEY_MAX))) {
		free(u);
		return IV_E_NOMEM;
	}
	iv_status rc;
	do {
		u->n = 0;
		if ((rc = store_item_unfolded_each(st, collect_unfolded, u)) != IV_OK || u->n == 0)
			break;
		if ((rc = store_begin(st, true)) != IV_OK)
			break;
		for (int i = 0; i < u->n && rc == IV_OK; i++)
			rc = store_item_set_key(st, u->ids[i], u->keys[i]);
		if (rc == IV_OK)
			rc = store_commit(st);
		else
			store_rollback(st);
	} while (rc == IV_OK && u->n == FILL_BATCH);
	free(u->keys);
	free(u);
	return rc;
}
