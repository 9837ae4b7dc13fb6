/* Who changed what in the master data: consecutive states of an
 * entity's events, field by field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "engine/rules.h"

#define MAX_FIELDS 12

typedef struct last_state {
	int64_t id;
	char *state;
} last_state;

typedef struct history_walk {
	iv_db *db;
	store_table t;
	iv_change_cb cb;
	void *ctx;
	hmap *index; /* entity id -> index in last */
	last_state *last;
	size_t n, cap;
	hmap *names; /* user id -> index in user_names: who did it */
	char (*user_names)[IV_IDENT_SIZE];
	size_t nnames, names_cap;
	bool stop;
	iv_status status;
} history_walk;

static bool take_name(void *ctx, const char *const *vals, int ncols)
{
	(void)ncols;
	snprintf(ctx, IV_IDENT_SIZE, "%s", vals[1] ? vals[1] : "");
	return false;
}

/* A user's name by id, read once. */
static const char *user_name(history_walk *w, int64_t id)
{
	int created;
	int64_t *ix = hmap_put(w->names, &id, sizeof id, (int64_t)w->nnames, &created);
	if (!ix)
		return "?";
	if (!created)
		return w->user_names[*ix];
	if (w->nnames == w->names_cap) {
		size_t cap = w->names_cap ? 2 * w->names_cap : 16;
		char (*v)[IV_IDENT_SIZE] = realloc(w->user_names, cap * sizeof *v);
		if (!v)
			return "?";
		w->user_names = v;
		w->names_cap = cap;
	}
	char *name = w->user_names[w->nnames++];
	snprintf(name, IV_IDENT_SIZE, "#%lld", (long long)id);
	if (id)
		store_master_row(w->db->st, STORE_T_USERS, id, take_name, name);
	return name;
}

/* A field's value as history shows it: users by name, PINs not at all. */
static void shown(history_walk *w, const master_field *f, const char *v, size_t len, char *out, size_t size)
{
	if (f->digest) {
		snprintf(out, size, "%s", len ? "(a PIN)" : "");
		return;
	}
	snprintf(out, size, "%.*s", (int)len, v);
	if (f->money && len) {
		char amount[IV_MONEY_TEXT];
		snprintf(out, size, "%s", money_format(strtoll(out, NULL, 10), amount, sizeof amount));
		return;
	}
	bool user_ref = w->t == STORE_T_USERS && (strcmp(f->name, "disabled_by") == 0 ||
	                                          strcmp(f->name, "pin_set_by") == 0);
	if ((user_ref || (w->t == STORE_T_BATCHES && strcmp(f->name, "user_id") == 0)) && len)
		snprintf(out, size, "%s", user_name(w, strtoll(out, NULL, 10)));
}

static char **last_of(history_walk *w, int64_t id)
{
	int created;
	int64_t *ix = hmap_put(w->index, &id, sizeof id, (int64_t)w->n, &created);
	if (!ix)
		return NULL;
	if (!created)
		return &w->last[*ix].state;
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 16;
		last_state *v = realloc(w->last, cap * sizeof *v);
		if (!v)
			return NULL;
		w->last = v;
		w->cap = cap;
	}
	w->last[w->n] = (last_state){id, NULL};
	return &w->last[w->n++].state;
}

static bool on_event(void *ctx, const store_event *e)
{
	history_walk *w = ctx;
	char **last = last_of(w, e->entity_id);
	if (!last) {
		w->status = iv_fail(w->db, IV_E_NOMEM, "out of memory");
		return false;
	}
	size_t nf;
	const master_field *mf = master_fields(w->t, &nf);
	const char *now[MAX_FIELDS], *was[MAX_FIELDS];
	size_t now_len[MAX_FIELDS], was_len[MAX_FIELDS];
	int n = master_split(w->t, e->state, now, now_len);
	int m = *last ? master_split(w->t, *last, was, was_len) : 0;
	iv_change c = {.event = e->seq};
	snprintf(c.recorded_at, sizeof c.recorded_at, "%s", e->recorded_at);
	snprintf(c.by, sizeof c.by, "%s", user_name(w, e->user_id));
	snprintf(c.action, sizeof c.action, "%s", e->action);
	snprintf(c.key, sizeof c.key, "%s", e->entity_key);
	for (size_t k = 0; n == (int)nf && k < nf && !w->stop; k++) {
		const char *before = m == (int)nf ? was[k] : "";
		size_t before_len = m == (int)nf ? was_len[k] : 0;
		if (before_len == now_len[k] && memcmp(before, now[k], now_len[k]) == 0)
			continue;
		snprintf(c.field, sizeof c.field, "%s", mf[k].name);
		shown(w, &mf[k], before, before_len, c.from, sizeof c.from);
		shown(w, &mf[k], now[k], now_len[k], c.to, sizeof c.to);
		if (mf[k].digest && before_len)
			snprintf(c.from, sizeof c.from, "(another PIN)");
		w->stop = !w->cb(w->ctx, &c);
	}
	free(*last);
	if (!(*last = strdup(e->state))) {
		w->status = iv_fail(w->db, IV_E_NOMEM, "out of memory");
		return false;
	}
	return !w->stop;
}

/* The entity's id from its key. */
static iv_status entity_id(iv_db *db, store_table t, const char *key, int64_t *id)
{
	iv_status rc;
	store_user u;
	char *end;
	switch (t) {
	case STORE_T_STORES: return iv_find_store(db, key, id, NULL);
	case STORE_T_ITEMS: return iv_find_item(db, key, id, NULL);
	case STORE_T_REASONS:
		rc = store_reason_find(db->st, key, id, NULL);
		if (rc == IV_E_NOT_FOUND)
			return iv_fail(db, rc, "Reason Code: \"%s\" is not a known reason code", key);
		return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
	case STORE_T_USERS:
		rc = store_user_find(db->st, key, &u);
		*id = u.user.id;
		sodium_memzero(u.pin_hash, sizeof u.pin_hash);
		if (rc == IV_E_NOT_FOUND)
			return iv_fail(db, rc, "User: there is no user \"%s\"", key);
		return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
	default:
		*id = strtoll(key, &end, 10);
		if (*end || *id <= 0)
			return iv_fail(db, IV_E_INVALID, "Batch: \"%s\" is not a batch id", key);
		return IV_OK;
	}
}

iv_status iv_master_history(iv_db *db, iv_entity kind, const char *key, iv_change_cb cb, void *ctx)
{
	static const store_table tables[] = {STORE_T_STORES, STORE_T_ITEMS, STORE_T_REASONS,
	                                     STORE_T_USERS, STORE_T_BATCHES};
	if ((unsigned)kind >= sizeof tables / sizeof tables[0])
		return iv_fail(db, IV_E_INVALID, "no such kind of master data");
	history_walk w = {.db = db, .t = tables[kind], .cb = cb, .ctx = ctx, .status = IV_OK};
	iv_status rc = IV_OK;
	if (w.t == STORE_T_USERS) {
		rule_user u;
		iv_session_rule_user(db, &u);
		if ((rc = iv_need_login(db)) != IV_OK)
			return rc;
		if (!rule_may(&u, RULE_LIST_USERS))
			return iv_fail(db, IV_E_PERMISSION, "only a supervisor or admin may see users' history "
			                                    "(%s is a clerk)", db->user.name);
	}
	if ((rc = store_begin(db->st, false)) != IV_OK)
		return iv_fail_store(db, rc);
	int64_t id = 0;
	if (key && *key)
		rc = entity_id(db, w.t, key, &id);
	if (rc == IV_OK && (!(w.index = hmap_new()) || !(w.names = hmap_new())))
		rc = iv_fail(db, IV_E_NOMEM, "out of memory");
	if (rc == IV_OK && (rc = store_events_each(db->st, master_kind(w.t), id, on_event, &w)) != IV_OK)
		rc = iv_fail_store(db, rc);
	if (rc == IV_OK)
		rc = w.status;
	store_rollback(db->st);
	for (size_t k = 0; k < w.n; k++)
		free(w.last[k].state);
	free(w.last);
	free(w.user_names);
	hmap_free(w.index);
	hmap_free(w.names);
	return rc;
}
