/* Checkpoints: an anchor outside the file.  An unkeyed hash chain
 * proves only that the rows agree with each other: whoever can write
 * the file can change a row and recompute every hash after it.  A
 * checkpoint line, printed or mailed off the machine, fixes each
 * chain's length and head at one moment; a later verify against it
 * proves that every row it covered is still there unchanged.
 *
 * The line: "invadj-checkpoint 1 TIME @events=LEN:HEAD CODE=LEN:HEAD
 * ... root=ROOT", the master chain first, then each store chain with
 * rows by code.  A code is written with every byte outside [A-Za-z0-9._-]
 * as %XX, so a code can hold anything and "@events" is no store; HEAD and
 * ROOT are hex; ROOT is canon_root over the time and the chains, so a
 * mistyped line shows as such. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/verify.h"

#define MASTER_NAME "@events"

void chain_list_free(chain_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

static canon_chain *chain_add(chain_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		canon_chain *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	canon_chain *c = &l->v[l->n++];
	memset(c, 0, sizeof *c);
	return c;
}

typedef struct heads {
	chain_list *l;
	bool nomem;
} heads;

static bool on_head(void *ctx, int64_t store_id, const char *code, const store_chain_pos *head)
{
	(void)store_id;
	heads *h = ctx;
	canon_chain *c = chain_add(h->l);
	if (!c)
		return !(h->nomem = true);
	snprintf(c->name, sizeof c->name, "%s", code);
	c->length = head->seq;
	memcpy(c->head, head->hash, STORE_HASH_LEN);
	return true;
}

iv_status checkpoint_chains(iv_db *db, chain_list *out)
{
	memset(out, 0, sizeof *out);
	store_chain_pos master;
	iv_status rc = store_event_head(db->st, &master);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	canon_chain *c = chain_add(out);
	if (!c)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	c->length = master.seq; /* name "": the master chain */
	memcpy(c->head, master.hash, STORE_HASH_LEN);
	heads h = {out, false};
	if ((rc = store_chain_heads(db->st, on_head, &h)) != IV_OK)
		return iv_fail_store(db, rc);
	return h.nomem ? iv_fail(db, IV_E_NOMEM, "out of memory") : IV_OK;
}

/* ---- the line ---- */

static void put_name(char **p, char *end, const char *name)
{
	if (!*name) {
		*p += snprintf(*p, (size_t)(end - *p), MASTER_NAME);
		return;
	}
	for (const unsigned char *s = (const unsigned char *)name; *s && *p + 4 < end; s++) {
		if (isalnum(*s) || *s == '.' || *s == '_' || *s == '-')
			*(*p)++ = (char)*s;
		else
			*p += snprintf(*p, (size_t)(end - *p), "%%%02X", *s);
	}
	**p = '\0';
}

static void make_line(const char *at, const chain_list *l, char *line, size_t size)
{
	char *p = line, *end = line + size;
	unsigned char root[STORE_HASH_LEN];
	char hex[IV_HASH_HEX];
	p += snprintf(p, size, "invadj-checkpoint 1 %s", at);
	for (size_t k = 0; k < l->n && p + 100 < end; k++) {
		*p++ = ' ';
		put_name(&p, end, l->v[k].name);
		canon_hex(l->v[k].head, hex);
		p += snprintf(p, (size_t)(end - p), "=%lld:%s", (long long)l->v[k].length, hex);
	}
	canon_root(at, l->v, l->n, root);
	canon_hex(root, hex);
	snprintf(p, (size_t)(end - p), " root=%s", hex);
}

/* The chains' text in the checkpoint's event: netstrings of name,
 * length and head for each. */
static bool state_of(const chain_list *l, ns_text *t)
{
	char num[24], hex[IV_HASH_HEX];
	for (size_t k = 0; k < l->n; k++) {
		snprintf(num, sizeof num, "%lld", (long long)l->v[k].length);
		canon_hex(l->v[k].head, hex);
		ns_text_add(t, l->v[k].name);
		ns_text_add(t, num);
		ns_text_add(t, hex);
	}
	return !t->nomem;
}

iv_status iv_checkpoint(iv_db *db, char line[IV_CHECKPOINT_MAX])
{
	line[0] = '\0';
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	rule_user u;
	iv_session_rule_user(db, &u);
	if (!rule_may(&u, RULE_CHECKPOINT))
		return iv_fail(db, IV_E_PERMISSION, "only a supervisor or admin may take a checkpoint (%s is a %s)",
		               db->user.name, iv_role_name(db->user.role));
	/* The heads are read in one statement, one moment of every chain
	 * (writers at other stores may move theirs after it: the line says
	 * where each was then); the events chain is locked from reading its
	 * head to appending the checkpoint. */
	if ((rc = store_begin(db->st, true)) != IV_OK)
		return iv_fail_store(db, rc);
	chain_list l;
	ns_text state = {0};
	rc = checkpoint_chains(db, &l);
	char at[32];
	if (rc == IV_OK)
		rc = clock_now_text(db, at);
	event_chain events = {0};
	if (rc == IV_OK && (rc = store_event_head(db->st, &events.head)) != IV_OK)
		rc = iv_fail_store(db, rc);
	events.loaded = rc == IV_OK;
	if (rc == IV_OK && strcmp(at, events.head.recorded_at) < 0)
		memcpy(at, events.head.recorded_at, sizeof at); /* a clock set back */
	if (rc == IV_OK && !state_of(&l, &state))
		rc = iv_fail(db, IV_E_NOMEM, "out of memory");
	if (rc == IV_OK) {
		make_line(at, &l, line, IV_CHECKPOINT_MAX);
		rc = events_append(db, &events, "checkpoint", "add", 0, "", state.s, &db->user, at);
	}
	ns_text_free(&state);
	chain_list_free(&l);
	if (rc == IV_OK && (rc = store_commit(db->st)) != IV_OK)
		rc = iv_fail_store(db, rc);
	if (rc != IV_OK) {
		store_rollback(db->st);
		line[0] = '\0';
	}
	return rc;
}

/* ---- proving a line ---- */

static int unhex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                                      : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "name=len:hex" into c; false when malformed. */
static bool parse_chain(const char *tok, canon_chain *c)
{
	const char *eq = strchr(tok, '=');
	if (!eq)
		return false;
	memset(c, 0, sizeof *c);
	size_t n = 0;
	if (!(eq - tok == (int)strlen(MASTER_NAME) && strncmp(tok, MASTER_NAME, strlen(MASTER_NAME)) == 0)) {
		for (const char *p = tok; p < eq; p++) {
			int ch = (unsigned char)*p;
			if (*p == '%') {
				int hi = p + 2 < eq ? unhex_digit(p[1]) : -1, lo = hi >= 0 ? unhex_digit(p[2]) : -1;
				if (lo < 0)
					return false;
				ch = hi * 16 + lo;
				p += 2;
			}
			if (n + 1 >= sizeof c->name || ch == 0)
				return false;
			c->name[n++] = (char)ch;
		}
		if (n == 0)
			return false;
	}
	char *colon;
	long long len = strtoll(eq + 1, &colon, 10);
	if (colon == eq + 1 || *colon != ':' || len <= 0)
		return false;
	c->length = len;
	return canon_unhex(colon + 1, c->head);
}

typedef struct checkpoint_line {
	char at[32];
	chain_list chains;
	unsigned char root[STORE_HASH_LEN];
} checkpoint_line;

/* Splits a line into its parts; false (and a sentence) when it is not
 * one, or its root does not match. */
static iv_status parse_line(iv_db *db, char *text, unsigned lineno, checkpoint_line *out)
{
	char *save = NULL;
	char *tok = strtok_r(text, " \t\r", &save);
	memset(out, 0, sizeof *out);
	if (!tok || strcmp(tok, "invadj-checkpoint") != 0)
		return iv_fail(db, IV_E_INVALID,
		               "Checkpoint: line %u is not a checkpoint line (one begins \"invadj-checkpoint\")", lineno);
	tok = strtok_r(NULL, " \t\r", &save);
	if (!tok || strcmp(tok, "1") != 0)
		return iv_fail(db, IV_E_INVALID, "Checkpoint: line %u is of a format this invadj does not know", lineno);
	tok = strtok_r(NULL, " \t\r", &save);
	if (!tok || !rule_recorded_at_valid(tok))
		return iv_fail(db, IV_E_INVALID, "Checkpoint: line %u: its time is mistyped", lineno);
	snprintf(out->at, sizeof out->at, "%s", tok);
	bool have_root = false;
	while ((tok = strtok_r(NULL, " \t\r", &save)) != NULL) {
		if (strncmp(tok, "root=", 5) == 0 && !have_root) {
			have_root = canon_unhex(tok + 5, out->root);
			if (!have_root)
				break;
			continue;
		}
		canon_chain *c = have_root ? NULL : chain_add(&out->chains);
		if (!c || !parse_chain(tok, c)) {
			have_root = false;
			break;
		}
	}
	unsigned char root[STORE_HASH_LEN];
	canon_root(out->at, out->chains.v, out->chains.n, root);
	if (!have_root || out->chains.n == 0 || memcmp(root, out->root, STORE_HASH_LEN) != 0)
		return iv_fail(db, IV_E_INVALID,
		               "Checkpoint: line %u (of %s) is mistyped or altered: its chains do not give its "
		               "root; copy it again from the printout",
		               lineno, out->at);
	return IV_OK;
}

/* One chain of a checkpoint against the database. */
static iv_status prove_chain(iv_db *db, const checkpoint_line *l, const canon_chain *c)
{
	store_chain_pos pos;
	iv_status rc;
	if (!*c->name) {
		rc = store_event_at(db->st, c->length, &pos);
		if (rc == IV_E_NOT_FOUND) {
			store_chain_pos head;
			store_event_head(db->st, &head);
			return iv_fail(db, IV_E_CORRUPT,
			               "the master chain has %lld events, but the checkpoint of %s covers %lld: "
			               "events were removed",
			               (long long)head.seq, l->at, (long long)c->length);
		}
		if (rc != IV_OK)
			return iv_fail_store(db, rc);
		if (memcmp(pos.hash, c->head, STORE_HASH_LEN) != 0)
			return iv_fail(db, IV_E_CORRUPT,
			               "the master chain, event %lld (#%lld), is not the event checkpointed at %s: "
			               "the chain was rewritten at or before it",
			               (long long)c->length, (long long)pos.id, l->at);
		return IV_OK;
	}
	int64_t store_id;
	rc = store_store_find(db->st, c->name, &store_id, NULL);
	if (rc == IV_E_NOT_FOUND)
		return iv_fail(db, IV_E_CORRUPT, "store %s of the checkpoint of %s is gone", c->name, l->at);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	rc = store_chain_row(db->st, store_id, c->length, &pos);
	if (rc == IV_E_NOT_FOUND) {
		store_chain_pos head;
		store_chain_head(db->st, store_id, &head);
		return iv_fail(db, IV_E_CORRUPT,
		               "store %s has %lld rows, but the checkpoint of %s covers %lld: rows were removed",
		               c->name, (long long)head.seq, l->at, (long long)c->length);
	}
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (memcmp(pos.hash, c->head, STORE_HASH_LEN) != 0)
		return iv_fail(db, IV_E_CORRUPT,
		               "store %s, ledger row #%lld (seq %lld), is not the row checkpointed at %s: the "
		               "chain was rewritten at or before this row",
		               c->name, (long long)pos.id, (long long)c->length, l->at);
	return IV_OK;
}

iv_status verify_checkpoints(iv_db *db, const char *text, uint64_t *proved)
{
	*proved = 0;
	char *copy = strdup(text);
	if (!copy)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	iv_status rc = IV_OK;
	unsigned lineno = 0;
	char *save = NULL;
	for (char *line = copy; rc == IV_OK && line; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		char *p = line;
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			continue;
		checkpoint_line l;
		rc = parse_line(db, p, lineno, &l);
		for (size_t k = 0; rc == IV_OK && k < l.chains.n; k++)
			rc = prove_chain(db, &l, &l.chains.v[k]);
		if (rc == IV_OK)
			(*proved)++;
		chain_list_free(&l.chains);
	}
	free(copy);
	if (rc == IV_OK && *proved == 0)
		rc = iv_fail(db, IV_E_INVALID, "Checkpoint: the file holds no checkpoint line");
	return rc;
}
