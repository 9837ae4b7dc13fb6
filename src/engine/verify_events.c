/* verify, the master chain: every event's place and hash, the rules of
 * who may change what, and the master data rebuilt from the events
 * and compared with the tables stores, items, reasons, users and
 * batches, column by column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/verify.h"


void book_free(master_book *b)
{
	for (int k = 0; k < BOOK_KINDS; k++) {
		timeline *tl = &b->kind[k];
		for (size_t i = 0; i < tl->n; i++) {
			for (size_t j = 0; j < tl->e[i].n; j++)
				free(tl->e[i].v[j].text);
			free(tl->e[i].v);
		}
		free(tl->e);
		hmap_free(tl->index);
	}
	memset(b, 0, sizeof *b);
}

entity *book_find(master_book *b, store_table t, int64_t id)
{
	if ((unsigned)t >= BOOK_KINDS || !b->kind[t].index)
		return NULL;
	const int64_t *ix = hmap_get(b->kind[t].index, &id, sizeof id);
	return ix ? &b->kind[t].e[*ix] : NULL;
}

const entity *book_entity(const master_book *b, store_table t, int64_t id)
{
	if ((unsigned)t >= BOOK_KINDS || !b->kind[t].index)
		return NULL;
	const int64_t *ix = hmap_get(b->kind[t].index, &id, sizeof id);
	return ix ? &b->kind[t].e[*ix] : NULL;
}

const version *entity_at(const entity *e, const char *when, bool strict)
{
	if (!e)
		return NULL;
	/* Versions are in time order; most entities have one or two. */
	const version *found = NULL;
	for (size_t k = 0; k < e->n; k++) {
		int c = strcmp(e->v[k].recorded_at, when);
		if (c > 0 || (strict && c == 0))
			break;
		found = &e->v[k];
	}
	return found;
}

const version *entity_span(const entity *e, const char *when, size_t *n)
{
	*n = 0;
	if (!e)
		return NULL;
	size_t first = 0;
	while (first < e->n && strcmp(e->v[first].recorded_at, when) < 0)
		first++;
	size_t end = first;
	while (end < e->n && strcmp(e->v[end].recorded_at, when) == 0)
		end++;
	size_t start = first > 0 ? first - 1 : first;
	*n = end - start;
	return *n ? &e->v[start] : NULL;
}

const version *entity_latest(const entity *e)
{
	return e && e->n ? &e->v[e->n - 1] : NULL;
}

void book_rule_user(const version *v, int64_t id, rule_user *out)
{
	memset(out, 0, sizeof *out);
	if (!v)
		return;
	out->known = true;
	out->id = id;
	if (!iv_role_parse(v->field[1], &out->role))
		out->known = false; /* not a role: no rights at all */
	out->enabled = v->field[4][0] == '\0'; /* disabled_at */
}

const char *book_key(const master_book *b, store_table t, int64_t id)
{
	const version *v = entity_latest(book_entity(b, t, id));
	return v ? v->field[0] : "";
}

/* Splits an event's state into the version's fields (a field a state
 * of its kind may leave out is there, empty). */
static bool version_fill(version *v, store_table t, const char *state)
{
	const char *f[BOOK_MAX_FIELDS];
	size_t len[BOOK_MAX_FIELDS];
	size_t nfields;
	master_fields(t, &nfields);
	if (nfields > BOOK_MAX_FIELDS)
		return false;
	int n = master_split(t, state, f, len);
	size_t total = strlen(state) + 1;
	if (n != (int)nfields || !(v->text = malloc(total + total + nfields)))
		return false;
	memcpy(v->text, state, total);
	char *p = v->text + total;
	for (int k = 0; k < n; k++) {
		memcpy(p, f[k], len[k]);
		p[len[k]] = '\0';
		if (strlen(p) != len[k]) { /* a NUL inside a field: not invadj's */
			free(v->text);
			v->text = NULL;
			return false;
		}
		v->field[k] = p;
		p += len[k] + 1;
	}
	v->nfields = n;
	return true;
}

static entity *add_entity(timeline *tl, int64_t id)
{
	if (!tl->index && !(tl->index = hmap_new()))
		return NULL;
	int created;
	int64_t *ix = hmap_put(tl->index, &id, sizeof id, (int64_t)tl->n, &created);
	if (!ix)
		return NULL;
	if (!created)
		return &tl->e[*ix];
	if (tl->n == tl->cap) {
		size_t cap = tl->cap ? 2 * tl->cap : 64;
		entity *e = realloc(tl->e, cap * sizeof *e);
		if (!e)
			return NULL;
		tl->e = e;
		tl->cap = cap;
	}
	entity *e = &tl->e[tl->n++];
	memset(e, 0, sizeof *e);
	e->id = id;
	return e;
}

static version *add_version(entity *e)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 2;
		version *v = realloc(e->v, cap * sizeof *v);
		if (!v)
			return NULL;
		e->v = v;
		e->cap = cap;
	}
	version *v = &e->v[e->n];
	memset(v, 0, sizeof *v);
	v->first_id_at = v->first_id_after = INT64_MAX;
	return v;
}

/* ---- the walk ---- */

typedef struct events_walk {
	iv_db *db;
	master_book *b;
	unsigned char prev[STORE_HASH_LEN];
	int64_t expect_seq, last_id;
	char last_at[32];
	bool beyond_migration; /* an event other than "migrated" was met */
	iv_status status;
} events_walk;

static bool fault(events_walk *w, const store_event *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fault(events_walk *w, const store_event *e, const char *fmt, ...)
{
	char why[IV_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	w->status = iv_fail(w->db, IV_E_CORRUPT, "the master chain, event %lld (#%lld, %.16s %.64s): %s",
	                    (long long)e->seq, (long long)e->id, e->kind, e->entity_key, why);
	return false;
}

static bool nomem(events_walk *w)
{
	w->status = iv_fail(w->db, IV_E_NOMEM, "out of memory");
	return false;
}

/* The action's rule: who may have made the event. */
static bool permitted(const store_event *e, store_table t, const rule_user *actor,
                      const char *batch_user)
{
	const char *a = e->action;
	if (strcmp(a, "migrated") == 0)
		return true;
	if (strcmp(e->kind, "checkpoint") == 0)
		return rule_may(actor, RULE_CHECKPOINT);
	switch (t) {
	case STORE_T_STORES:
	case STORE_T_ITEMS:
	case STORE_T_REASONS:
		return (strcmp(a, "add") == 0 || strcmp(a, "change") == 0) && rule_may(actor, RULE_EDIT_MASTER);
	case STORE_T_USERS:
		if (strcmp(a, "pin-set") == 0)
			return actor->id == e->entity_id && rule_may(actor, RULE_POST);
		return (strcmp(a, "add") == 0 || strcmp(a, "role") == 0 || strcmp(a, "disable") == 0 ||
		        strcmp(a, "enable") == 0 || strcmp(a, "pin-reset") == 0) &&
		       rule_may(actor, RULE_ADMIN_USERS);
	case STORE_T_BATCHES:
		return strcmp(a, "add") == 0 && rule_may(actor, RULE_POST) && batch_user &&
		       strtoll(batch_user, NULL, 10) == actor->id;
	default:
		return false;
	}
}

static bool on_event(void *ctx, const store_event *e)
{
	events_walk *w = ctx;
	master_book *b = w->b;
	if (e->overlong)
		return fault(w, e, "a field is cut or holds a NUL byte: not as invadj writes it");
	if (e->seq != w->expect_seq)
		return fault(w, e,
		             e->seq > w->expect_seq
		                 ? "event %lld is missing before it: events were removed"
		                 : "event %lld is here twice: an event was inserted",
		             (long long)w->expect_seq);
	if (e->id <= w->last_id)
		return fault(w, e, "its id does not follow the event before it (#%lld)", (long long)w->last_id);
	if (e->hash_version != 2)
		return fault(w, e, "hash version %d is not one invadj writes", e->hash_version);
	if (!rule_recorded_at_valid(e->recorded_at))
		return fault(w, e, "its time \"%s\" is not a time as invadj records it", e->recorded_at);
	if (!rule_in_order(w->last_at, e->recorded_at))
		return fault(w, e, "recorded at %s, before the event before it (%s)", e->recorded_at, w->last_at);
	bool checkpoint = strcmp(e->kind, "checkpoint") == 0;
	store_table t = master_table(e->kind);
	if (!checkpoint && t == STORE_T_COUNT)
		return fault(w, e, "\"%s\" is not a kind of event", e->kind);
	bool migrated = strcmp(e->action, "migrated") == 0;
	if (migrated && w->beyond_migration)
		return fault(w, e, "a \"migrated\" event after invadj's own: events were forged");
	w->beyond_migration |= !migrated;

	/* The actor as they were then: after every event before this one
	 * (the master chain orders them exactly). */
	const version *at = entity_latest(book_entity(b, STORE_T_USERS, e->user_id));
	version fresh = {0};
	entity *ent = NULL;
	const version *prev_v = NULL;
	if (!checkpoint) {
		size_t nfields;
		master_fields(t, &nfields);
		if (!version_fill(&fresh, t, e->state))
			return fault(w, e, "its state is not the %zu fields of a %s", nfields, e->kind);
		char key[32];
		snprintf(key, sizeof key, "%lld", (long long)e->entity_id);
		const char *want_key = t == STORE_T_BATCHES ? key : fresh.field[0];
		if (strcmp(want_key, e->entity_key) != 0) {
			free(fresh.text);
			return fault(w, e, "its key is not the one its state names (%s)", want_key);
		}
		ent = book_find(b, t, e->entity_id);
		prev_v = entity_latest(ent);
	}
	/* The first admin adds themself. */
	bool self_made = t == STORE_T_USERS && e->user_id == e->entity_id && !b->kind[STORE_T_USERS].n &&
	                 (strcmp(e->action, "add") == 0 || migrated);
	rule_user u_at;
	book_rule_user(at, e->user_id, &u_at);
	const char *actor_name = at ? at->field[0] : NULL;
	if (self_made) {
		book_rule_user(&fresh, e->user_id, &u_at);
		actor_name = fresh.field[0];
	}
	bool ok = true;
	if (!actor_name)
		ok = fault(w, e, "made by user #%lld, who was not a user then", (long long)e->user_id);
	const char *batch_user = t == STORE_T_BATCHES ? fresh.field[3] : NULL;
	if (ok && !self_made && !permitted(e, t, &u_at, batch_user))
		ok = fault(w, e, "%s may not %s it (%s then)", actor_name, e->action,
		           u_at.known ? (u_at.enabled ? iv_role_name(u_at.role) : "disabled") : "unknown");
	unsigned char h[STORE_HASH_LEN];
	if (ok) {
		canon_event_hash(w->prev, e, actor_name, h);
		if (memcmp(h, e->hash, STORE_HASH_LEN) != 0)
			ok = fault(w, e, "it does not match its hash: it was altered, inserted, or the event "
			                 "before it removed");
	}
	bool adds = strcmp(e->action, "add") == 0 || migrated;
	if (ok && !checkpoint && adds && prev_v)
		ok = fault(w, e, "it adds a %s that exists already", e->kind);
	if (ok && !checkpoint && !adds && !prev_v)
		ok = fault(w, e, "it changes a %s that was never added", e->kind);
	/* Codes and names never change: ledger rows are hashed over them. */
	if (ok && prev_v && t != STORE_T_ITEMS && t != STORE_T_BATCHES &&
	    strcmp(prev_v->field[0], fresh.field[0]) != 0)
		ok = fault(w, e, "it changes the %s's key from \"%s\" to \"%s\", which never changes",
		           e->kind, prev_v->field[0], fresh.field[0]);
	if (!ok) {
		free(fresh.text);
		return false;
	}
	if (checkpoint) {
		b->checkpoints++;
	} else {
		if (!ent && !(ent = add_entity(&b->kind[t], e->entity_id))) {
			free(fresh.text);
			return nomem(w);
		}
		version *v = add_version(ent);
		if (!v) {
			free(fresh.text);
			return nomem(w);
		}
		*v = fresh;
		v->first_id_at = v->first_id_after = INT64_MAX;
		v->event_seq = e->seq;
		v->actor = e->user_id;
		memcpy(v->recorded_at, e->recorded_at, sizeof v->recorded_at);
		snprintf(v->action, sizeof v->action, "%s", e->action);
		ent->n++;
	}
	memcpy(w->prev, e->hash, STORE_HASH_LEN);
	memcpy(w->last_at, e->recorded_at, sizeof w->last_at);
	w->expect_seq++;
	w->last_id = e->id;
	b->events++;
	b->head.seq = e->seq;
	b->head.id = e->id;
	memcpy(b->head.recorded_at, e->recorded_at, sizeof b->head.recorded_at);
	memcpy(b->head.hash, e->hash, STORE_HASH_LEN);
	return true;
}

iv_status verify_events(iv_db *db, master_book *book)
{
	events_walk w = {.db = db, .b = book, .expect_seq = 1, .status = IV_OK};
	iv_status rc = store_events_each(db->st, NULL, 0, on_event, &w);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	return w.status;
}

/* ---- the derived tables ---- */

typedef struct table_check {
	iv_db *db;
	const master_book *b;
	store_table t;
	bool *seen;
	iv_status status;
} table_check;

static bool on_table_row(void *ctx, const char *const *vals, int ncols)
{
	table_check *c = ctx;
	const char *kind = master_kind(c->t);
	ns_text state = {0};
	char key[IV_NAME_SIZE];
	if (!master_state(c->t, vals, ncols, &state, key)) {
		c->status = iv_fail(c->db, IV_E_NOMEM, "out of memory");
		return false;
	}
	int64_t id = vals[0] ? strtoll(vals[0], NULL, 10) : 0;
	const entity *e = book_entity(c->b, c->t, id);
	const version *v = entity_latest(e);
	if (!v) {
		c->status = iv_fail(c->db, IV_E_CORRUPT,
		                    "%s %s (#%lld) is in the %s table but no event added it: it was "
		                    "written behind invadj's back",
		                    kind, key, (long long)id, store_table_names[c->t]);
	} else if (strcmp(v->text, state.s) != 0) {
		size_t nf;
		const master_field *mf = master_fields(c->t, &nf);
		version now = {0};
		size_t k = 0;
		if (version_fill(&now, c->t, state.s))
			while (k + 1 < nf && strcmp(now.field[k], v->field[k]) == 0)
				k++;
		const char *actor = book_key(c->b, STORE_T_USERS, v->actor);
		const char *name = c->t == STORE_T_BATCHES ? key : v->field[0]; /* as the events know it */
		if (mf[k].digest)
			c->status = iv_fail(c->db, IV_E_CORRUPT,
			                    "%s %s (#%lld): its %s in the %s table is not the one its events set "
			                    "(event %lld, %s by %s at %s): it was overwritten",
			                    kind, name, (long long)id, mf[k].name, store_table_names[c->t],
			                    (long long)v->event_seq, v->action, actor, v->recorded_at);
		else
			c->status = iv_fail(c->db, IV_E_CORRUPT,
			                    "%s %s (#%lld): %s is \"%s\" in the %s table, but \"%s\" by its "
			                    "events (event %lld, %s by %s at %s): it was changed behind invadj's back",
			                    kind, name, (long long)id, mf[k].name, now.text ? now.field[k] : "?",
			                    store_table_names[c->t], v->field[k], (long long)v->event_seq,
			                    v->action, actor, v->recorded_at);
		free(now.text);
	} else {
		const int64_t *ix = hmap_get(c->b->kind[c->t].index, &id, sizeof id);
		c->seen[*ix] = true;
	}
	ns_text_free(&state);
	return c->status == IV_OK;
}

iv_status verify_master_tables(iv_db *db, const master_book *book)
{
	for (int k = 0; k < BOOK_KINDS; k++) {
		const timeline *tl = &book->kind[k];
		table_check c = {.db = db, .b = book, .t = (store_table)k, .status = IV_OK};
		if (!(c.seen = calloc(tl->n ? tl->n : 1, sizeof *c.seen)))
			return iv_fail(db, IV_E_NOMEM, "out of memory");
		iv_status rc = store_table_each(db->st, c.t, on_table_row, &c);
		if (rc != IV_OK)
			rc = iv_fail_store(db, rc);
		else
			rc = c.status;
		for (size_t i = 0; rc == IV_OK && i < tl->n; i++) {
			const version *v = entity_latest(&tl->e[i]);
			if (!c.seen[i])
				rc = iv_fail(db, IV_E_CORRUPT,
				             "%s %s (#%lld) has events but no row in the %s table: it was "
				             "deleted behind invadj's back",
				             master_kind(c.t), v ? v->field[0] : "?", (long long)tl->e[i].id,
				             store_table_names[c.t]);
		}
		free(c.seen);
		if (rc != IV_OK)
			return rc;
	}
	return IV_OK;
}
