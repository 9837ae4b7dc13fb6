/* The master chain: every change of a store, item, reason, user or
 * upload batch is an event holding the entity's full state after it,
 * appended in the same transaction as the change to its table, and
 * hashed in one chain with the checkpoints.  The tables are derived
 * state; verify rebuilds them from the events (verify_events.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "engine/rules.h"

/* The state of each kind: the table's columns that make it, in order.
 * A user's PIN hash is kept as a digest: the events keep forever that a
 * PIN was set and which hash it was, never a hash a guesser could
 * attack; failed logins are operational (their own table) and not kept. */
static const master_field store_fields[] = {
	{1, "code", false}, {2, "name", false}, {3, "allow_negative", false},
	{4, "approval_threshold", false}, {5, "tz", false},
};
static const master_field item_fields[] = {
	{1, "number", false}, {2, "description", false}, {3, "upc", false}, {4, "barcode", false},
	{5, "alt1", false},   {6, "alt2", false},        {7, "alt3", false},
};
static const master_field reason_fields[] = {{1, "code", false}, {2, "description", false}};
static const master_field user_fields[] = {
	{1, "name", false},        {2, "role", false},        {3, "pin", true},
	{4, "created_at", false},  {5, "disabled_at", false}, {6, "disabled_by", false},
	{7, "pin_set_at", false},  {8, "pin_set_by", false},
};
static const master_field batch_fields[] = {
	{1, "file_name", false},  {2, "sha256", false},   {3, "rule", false},
	{4, "user_id", false},    {5, "recorded_at", false}, {6, "rows", false},
	{7, "posted", false},     {8, "unchanged", false},   {9, "reverses_batch", false},
	{10, "first_id", false},  {11, "last_id", false},
};

#define FIELDS(a) a, sizeof a / sizeof a[0]
static const struct {
	store_table table;
	const char *kind;
	const master_field *fields;
	size_t nfields;
	int key_col;
} kinds[] = {
	{STORE_T_STORES, "store", FIELDS(store_fields), 1},
	{STORE_T_ITEMS, "item", FIELDS(item_fields), 1},
	{STORE_T_REASONS, "reason", FIELDS(reason_fields), 1},
	{STORE_T_USERS, "user", FIELDS(user_fields), 1},
	{STORE_T_BATCHES, "batch", FIELDS(batch_fields), 0},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static int kind_index(store_table t)
{
	for (size_t k = 0; k < NKINDS; k++)
		if (kinds[k].table == t)
			return (int)k;
	return -1;
}

const master_field *master_fields(store_table t, size_t *n)
{
	int k = kind_index(t);
	*n = k < 0 ? 0 : kinds[k].nfields;
	return k < 0 ? NULL : kinds[k].fields;
}

const char *master_kind(store_table t)
{
	int k = kind_index(t);
	return k < 0 ? NULL : kinds[k].kind;
}

store_table master_table(const char *kind)
{
	for (size_t k = 0; k < NKINDS; k++)
		if (strcmp(kinds[k].kind, kind) == 0)
			return kinds[k].table;
	return STORE_T_COUNT;
}

bool master_state(store_table t, const char *const *vals, int ncols, ns_text *state,
                  char key[IV_NAME_SIZE])
{
	int k = kind_index(t);
	if (k < 0 || ncols != store_table_cols[t])
		return false;
	for (size_t f = 0; f < kinds[k].nfields; f++) {
		const char *v = vals[kinds[k].fields[f].col];
		if (kinds[k].fields[f].digest && v && *v) {
			unsigned char h[STORE_HASH_LEN];
			char hex[IV_HASH_HEX];
			crypto_generichash(h, sizeof h, (const unsigned char *)v, strlen(v), NULL, 0);
			canon_hex(h, hex);
			ns_text_add(state, hex);
		} else {
			ns_text_add(state, v); /* SQL NULL: the empty field */
		}
	}
	const char *kv = vals[kinds[k].key_col];
	snprintf(key, IV_NAME_SIZE, "%s", kv ? kv : "");
	return !state->nomem;
}

static iv_status load_head(iv_db *db, event_chain *c)
{
	if (c->loaded)
		return IV_OK;
	iv_status rc = store_event_head(db->st, &c->head);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	c->loaded = true;
	return IV_OK;
}

iv_status events_append(iv_db *db, event_chain *c, const char *kind, const char *action,
                        int64_t entity_id, const char *key, const char *state, const iv_user *actor,
                        const char *at)
{
	iv_status rc = load_head(db, c);
	if (rc != IV_OK)
		return rc;
	store_event e = {
		.id = c->head.id + 1,
		.seq = c->head.seq + 1,
		.entity_id = entity_id,
		.entity_key = key,
		.state = state,
		.user_id = actor->id,
		.hash_version = 2,
	};
	snprintf(e.kind, sizeof e.kind, "%s", kind);
	snprintf(e.action, sizeof e.action, "%s", action);
	if (at)
		snprintf(e.recorded_at, sizeof e.recorded_at, "%s", at);
	else if ((rc = clock_now_text(db, e.recorded_at)) != IV_OK)
		return rc;
	if (!rule_in_order(c->head.recorded_at, e.recorded_at))
		memcpy(e.recorded_at, c->head.recorded_at, sizeof e.recorded_at);
	canon_event_hash(c->head.hash, &e, actor->name, e.hash);
	if ((rc = store_event_insert(db->st, &e)) != IV_OK)
		return iv_fail_store(db, rc);
	c->head.seq = e.seq;
	c->head.id = e.id;
	memcpy(c->head.recorded_at, e.recorded_at, sizeof c->head.recorded_at);
	memcpy(c->head.hash, e.hash, STORE_HASH_LEN);
	return IV_OK;
}

typedef struct row_state {
	store_table t;
	ns_text state;
	char key[IV_NAME_SIZE];
	bool ok;
} row_state;

static bool take_row(void *ctx, const char *const *vals, int ncols)
{
	row_state *r = ctx;
	r->ok = master_state(r->t, vals, ncols, &r->state, r->key);
	return false;
}

iv_status events_state(iv_db *db, store_table t, int64_t id, ns_text *out, bool *found)
{
	row_state r = {.t = t};
	iv_status rc = store_master_row(db->st, t, id, take_row, &r);
	*found = rc == IV_OK;
	if (rc == IV_E_NOT_FOUND)
		rc = IV_OK;
	else if (rc != IV_OK)
		rc = iv_fail_store(db, rc);
	else if (!r.ok)
		rc = iv_fail(db, IV_E_NOMEM, "out of memory");
	if (rc == IV_OK && *found)
		*out = r.state;
	else
		ns_text_free(&r.state);
	return rc;
}

iv_status events_record(iv_db *db, event_chain *c, store_table t, int64_t id, const char *before,
                        const char *action, const iv_user *actor)
{
	row_state r = {.t = t};
	iv_status rc = store_master_row(db->st, t, id, take_row, &r);
	if (rc != IV_OK)
		rc = iv_fail_store(db, rc);
	else if (!r.ok)
		rc = iv_fail(db, IV_E_NOMEM, "out of memory");
	else if (!before || strcmp(before, r.state.s) != 0)
		rc = events_append(db, c, master_kind(t), action ? action : before ? "change" : "add", id,
		                   r.key, r.state.s, actor, NULL);
	ns_text_free(&r.state);
	return rc;
}
