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
/* Each field: its column, its name, and whether it is kept as a digest,
 * may be left out (optional) and is an amount (money). */
#define FIELD(col, name) {col, name, false, false, false}
static const master_field store_fields[] = {
	FIELD(1, "code"), FIELD(2, "name"), FIELD(3, "allow_negative"), FIELD(4, "approval_threshold"),
	FIELD(5, "tz"),
};
static const master_field item_fields[] = {
	FIELD(1, "number"), FIELD(2, "description"), FIELD(3, "upc"), FIELD(4, "barcode"),
	FIELD(5, "alt1"),   FIELD(6, "alt2"),        FIELD(7, "alt3"),
	/* since schema 7; an item never given a cost keeps the seven fields
	 * above, as its events before schema 7 have them */
	{8, "unit_cost", false, true, true},
	{9, "cost_from", false, true, false},
};
static const master_field reason_fields[] = {FIELD(1, "code"), FIELD(2, "description")};
static const master_field user_fields[] = {
	FIELD(1, "name"),       FIELD(2, "role"),        {3, "pin", true, false, false},
	FIELD(4, "created_at"), FIELD(5, "disabled_at"), FIELD(6, "disabled_by"),
	FIELD(7, "pin_set_at"), FIELD(8, "pin_set_by"),
};
static const master_field batch_fields[] = {
	FIELD(1, "file_name"),      FIELD(2, "sha256"),       FIELD(3, "rule"),
	FIELD(4, "user_id"),        FIELD(5, "recorded_at"),  FIELD(6, "rows"),
	FIELD(7, "posted"),         FIELD(8, "unchanged"),    FIELD(9, "reverses_batch"),
	FIELD(10, "first_id"),      FIELD(11, "last_id"),
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

/* The fields a state of kind k has: the optional ones at its end only
 * when one of them is set. */
static size_t fields_used(int k, const char *const *vals)
{
	size_t n = kinds[k].nfields;
	while (n > 0 && kinds[k].fields[n - 1].optional) {
		const char *v = vals[kinds[k].fields[n - 1].col];
		if (v && *v)
			return kinds[k].nfields;
		n--;
	}
	return n;
}

int master_split(store_table t, const char *state, const char **f, size_t *len)
{
	int k = kind_index(t);
	if (k < 0)
		return -1;
	int max = (int)kinds[k].nfields;
	int n = ns_split(state, f, len, max);
	if (n < 0 || n > max)
		return -1;
	int required = max;
	while (required > 0 && kinds[k].fields[required - 1].optional)
		required--;
	if (n != required && n != max)
		return -1; /* optional fields come all or none */
	for (int i = n; i < max; i++) {
		f[i] = "";
		len[i] = 0;
	}
	return max;
}

bool master_state(store_table t, const char *const *vals, int ncols, ns_text *state,
                  char key[IV_NAME_SIZE])
{
	int k = kind_index(t);
	if (k < 0 || ncols != store_table_cols[t])
		return false;
	size_t used = fields_used(k, vals);
	for (size_t f = 0; f < used; f++) {
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
