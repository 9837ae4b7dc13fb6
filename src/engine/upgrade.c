/* The engine's part of the schema migrations (store_upgrade_fn), run
 * inside their transaction: what SQL alone cannot write because it is
 * hashed.  From schema 4 to 5 the master data gets its history: one
 * event per store, item, reason, user and batch, action "migrated", by
 * the first admin, so that an old database has a complete master chain
 * from the migration on (its ledger rows keep their version-1 hashes). */
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"

typedef struct migration {
	iv_db *db;
	event_chain chain;
	iv_user actor;
	bool have_actor;
	store_table table;
	iv_status status;
} migration;

/* The first enabled admin, else the first user. */
static bool find_actor(void *ctx, const char *const *vals, int ncols)
{
	migration *m = ctx;
	(void)ncols;
	bool admin = vals[2] && strcmp(vals[2], "admin") == 0 && !vals[5];
	if (!m->have_actor || admin) {
		m->actor.id = strtoll(vals[0], NULL, 10);
		snprintf(m->actor.name, sizeof m->actor.name, "%s", vals[1] ? vals[1] : "");
		m->have_actor = true;
	}
	return !admin;
}

static bool migrate_row(void *ctx, const char *const *vals, int ncols)
{
	migration *m = ctx;
	ns_text state = {0};
	char key[IV_NAME_SIZE];
	if (!master_state(m->table, vals, ncols, &state, key))
		m->status = iv_fail(m->db, IV_E_NOMEM, "out of memory");
	else
		m->status = events_append(m->db, &m->chain, master_kind(m->table), "migrated",
		                          strtoll(vals[0], NULL, 10), key, state.s, &m->actor, NULL);
	ns_text_free(&state);
	return m->status == IV_OK;
}

iv_status iv_upgrade(store *st, int from_version)
{
	if (from_version != 4)
		return IV_OK;
	iv_db db = {.st = st};
	migration m = {.db = &db, .status = IV_OK};
	iv_status rc = store_table_each(st, STORE_T_USERS, find_actor, &m);
	if (rc != IV_OK || !m.have_actor)
		return rc; /* no users: an empty database, nothing to record */
	static const store_table order[] = {STORE_T_USERS, STORE_T_STORES, STORE_T_ITEMS,
	                                    STORE_T_REASONS, STORE_T_BATCHES};
	for (size_t k = 0; rc == IV_OK && k < sizeof order / sizeof order[0]; k++) {
		m.table = order[k];
		rc = store_table_each(st, m.table, migrate_row, &m);
		if (rc == IV_OK)
			rc = m.status;
	}
	return rc;
}
