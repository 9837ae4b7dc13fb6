/* A save's reads sent ahead, so that a save on a server costs about one
 * round trip to read and one to write (issue 15).
 *
 * The engine checks a document twice: a preview (its own read
 * transaction, outside the lock), then the same checks again in the
 * write transaction, under the store's lock.  While the preview runs,
 * its reads are noted here (which statement, which parameters); the
 * write transaction then sends them all with its BEGIN, the store
 * locks first, then the reads, the chain heads and a block of ledger
 * ids, with one flush.  When the engine's checks run again, each
 * statement that is one of those sent takes its answer instead of
 * going to the server: the same statement with the same parameters, in
 * the same transaction, only sent sooner.  Nothing is decided here or
 * on the preview's values: a statement whose parameters differ (the
 * store's day moved past midnight, an item renumbered meanwhile) is not
 * one of those sent, and runs as it always did.  A reversal has no
 * preview: its first plan's reads (which find the row's store) are
 * noted in the write transaction itself and sent again behind the
 * store's lock, for its second plan.  (The preview's own read
 * transaction is pipelined while it is noted: pg_conn.c.)
 *
 * What keeps an answer as good as one read when asked (the order rule):
 * an answer may be taken only if the server ran that statement after
 * every lock or write the engine had asked for before it.  Locks go
 * first in the batch; a lock taken from it moves the "barrier" to its
 * place; any statement that is not a read of the list below, or a
 * lock not sent ahead, moves it to the end (nothing sent may be taken
 * after it).  So no balance or chain head is ever taken from before
 * the store's lock or before one of the transaction's own writes.
 * Answers never taken (the guess was wrong, a check ended the save
 * early) are read and dropped; their statements only read, except the
 * ledger ids, and ids may skip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"

struct pg_ahead {
	pg_query q;
	char *key; /* the parameters as sent: also what they are rebuilt from */
	size_t keylen;
	char doing[160];
	PGresult *res; /* its rows, once read (NULL: not yet, or failed) */
	bool answered;
	bool gone; /* taken, or can no longer be */
};

/* The statements a save's checks read, and may be sent ahead. */
static bool readable_ahead(pg_query q)
{
	switch (q) {
	case PQ_STORE_FIND:
	case PQ_ITEM_FIND_ANY: case PQ_ITEM_FIND_NUMBER: case PQ_ITEM_FIND_UPC:
	case PQ_ITEM_FIND_BARCODE: case PQ_ITEM_FIND_ALT1: case PQ_ITEM_FIND_ALT2:
	case PQ_ITEM_FIND_ALT3:
	case PQ_REASON_FIND:
	case PQ_USER_DAY_GET:
	case PQ_BALANCE_GET:
	case PQ_BALANCE_ASOF:
	case PQ_NOW_MS:
	case PQ_ZONE_OFFSET:
	case PQ_CHAIN_HEAD:
	case PQ_LEDGER_IDS:
	case PQ_LEDGER_GET: /* a reversal's */
	case PQ_ROW_ITEMS: case PQ_ROW_ITEMS_5:
		return true;
	default:
		return false;
	}
}

static bool is_lock(pg_query q)
{
	return q == PQ_LOCK_STORES || q == PQ_LOCK_EVENTS;
}

/* Each parameter as its NULL flag, format, length, bytes and a NUL. */
static char *key_of(const pg_params *p, size_t *len)
{
	size_t n = 1;
	for (int i = 0; i < p->n; i++)
		n += 1 + 1 + sizeof(int) + 1 + (p->val[i] ? (p->fmt[i] ? (size_t)p->len[i] : strlen(p->val[i])) : 0);
	char *k = malloc(n), *w = k;
	if (!k)
		return NULL;
	*w++ = (char)p->n;
	for (int i = 0; i < p->n; i++) {
		int l = p->val[i] ? (p->fmt[i] ? p->len[i] : (int)strlen(p->val[i])) : 0;
		*w++ = (char)(p->val[i] != NULL);
		*w++ = (char)p->fmt[i];
		memcpy(w, &l, sizeof l);
		w += sizeof l;
		if (l)
			memcpy(w, p->val[i], (size_t)l);
		w += l;
		*w++ = '\0'; /* a text parameter is read up to it */
	}
	*len = (size_t)(w - k);
	return k;
}

/* The parameters again from a key (pointing into it). */
static void params_of(const char *k, pg_params *p)
{
	memset(p, 0, sizeof *p);
	int n = (unsigned char)*k++;
	for (int i = 0; i < n; i++) {
		bool set = *k++;
		int fmt = *k++, l;
		memcpy(&l, k, sizeof l);
		k += sizeof l;
		p->val[i] = set ? k : NULL;
		p->len[i] = l;
		p->fmt[i] = fmt;
		k += l + 1;
	}
	p->n = n;
}

static void forget(struct pg_ahead *a)
{
	PQclear(a->res);
	a->res = NULL;
	a->gone = true;
}

void pg_ahead_clear(pg_store *pg)
{
	for (size_t k = 0; k < pg->nahead; k++) {
		PQclear(pg->ahead[k].res);
		free(pg->ahead[k].key);
	}
	pg->nahead = 0;
	pg->ahead_sent = false;
	pg->ahead_barrier = 0;
}

void pg_ahead_free(pg_store *pg)
{
	pg_ahead_clear(pg);
	free(pg->ahead);
	pg->ahead = NULL;
	pg->ahead_cap = 0;
}

void pg_read_ahead_note(store *st, bool on)
{
	pg_store *pg = pg_of(st);
	if (on)
		pg_ahead_clear(pg);
	pg->noting = on;
}

static void note(pg_store *pg, pg_query q, const pg_params *p, const char *doing)
{
	if (pg->nahead == pg->ahead_cap) {
		size_t cap = pg->ahead_cap ? 2 * pg->ahead_cap : 16;
		struct pg_ahead *v = realloc(pg->ahead, cap * sizeof *v);
		if (!v)
			return; /* not noted: it will simply run when asked */
		pg->ahead = v;
		pg->ahead_cap = cap;
	}
	static const pg_params none;
	struct pg_ahead *a = &pg->ahead[pg->nahead];
	memset(a, 0, sizeof *a);
	if (!(a->key = key_of(p ? p : &none, &a->keylen)))
		return;
	a->q = q;
	snprintf(a->doing, sizeof a->doing, "%s", doing);
	pg->nahead++;
}

void pg_ahead_note(pg_store *pg, pg_query q, const pg_params *p, const char *doing)
{
	if (pg->noting && !pg->ahead_sent && (readable_ahead(q) || is_lock(q)))
		note(pg, q, p, doing);
}

/* Locks first (stable), in the order they were noted. */
static void locks_first(pg_store *pg)
{
	size_t w = 0;
	for (size_t k = 0; k < pg->nahead; k++)
		if (is_lock(pg->ahead[k].q)) {
			struct pg_ahead a = pg->ahead[k];
			memmove(pg->ahead + w + 1, pg->ahead + w, (k - w) * sizeof a);
			pg->ahead[w++] = a;
		}
}

static iv_status ahead_send(pg_store *pg, size_t nrows);

/* The noted reads into the write transaction's pipeline (a read
 * transaction takes no locks, and none is sent ahead for it). */
iv_status pg_read_ahead_send(store *st, size_t nrows)
{
	pg_store *pg = pg_of(st);
	pg->noting = false;
	if (!pg->pipelined || !pg->in_txn || pg->read_only || pg->ahead_sent || pg->nahead == 0) {
		if (!pg->ahead_sent)
			pg_ahead_clear(pg);
		return IV_OK;
	}
	/* A failure to send is the transaction's, reported by its next
	 * statement as any pipelined one's is. */
	ahead_send(pg, nrows);
	return IV_OK;
}

static iv_status ahead_send(pg_store *pg, size_t nrows)
{
	/* The heads of the stores this transaction holds already. */
	for (size_t k = 0; k < pg->nlocked; k++) {
		pg_params p;
		pg_chain_head_params(&p, pg->locked[k]);
		note(pg, PQ_CHAIN_HEAD, &p, PG_DOING_HEAD);
	}
	if (nrows > 0) {
		pg_params p;
		pg_ledger_ids_params(&p, (int64_t)nrows);
		note(pg, PQ_LEDGER_IDS, &p, PG_DOING_IDS);
	}
	pg->noting = false;
	locks_first(pg);
	iv_status rc = IV_OK;
	for (size_t k = 0; rc == IV_OK && k < pg->nahead; k++) {
		pg_params p;
		params_of(pg->ahead[k].key, &p);
		rc = pg_send_piped(pg, pg->ahead[k].q, &p, pg->ahead[k].doing, (int)k);
	}
	pg->ahead_sent = true;
	pg->ahead_barrier = 0;
	if (rc == IV_OK && (PQsendFlushRequest(pg->conn) != 1 || PQflush(pg->conn) != 0))
		rc = pg->pipe_failed = pg_fail_result(pg, NULL, "starting a transaction");
	return rc;
}

void pg_ahead_answered(pg_store *pg, int k, PGresult *res, bool ok)
{
	if ((size_t)k >= pg->nahead) { /* forgotten already */
		PQclear(res);
		return;
	}
	struct pg_ahead *a = &pg->ahead[k];
	a->answered = true;
	if (ok && !a->gone)
		a->res = res;
	else
		PQclear(res);
}

void pg_ahead_drop(pg_store *pg)
{
	if (!pg->ahead_sent)
		return; /* noted, not sent: nothing to drop yet */
	for (size_t k = pg->ahead_barrier; k < pg->nahead; k++)
		forget(&pg->ahead[k]);
	pg->ahead_barrier = pg->nahead;
}

bool pg_ahead_take(pg_store *pg, pg_query q, const pg_params *p, PGresult **out, iv_status *rc)
{
	if (!pg->ahead_sent || pg->ahead_barrier == pg->nahead)
		return false;
	static const pg_params none;
	size_t len;
	char *key = key_of(p ? p : &none, &len);
	size_t k = pg->ahead_barrier;
	while (key && k < pg->nahead &&
	       (pg->ahead[k].gone || pg->ahead[k].q != q || pg->ahead[k].keylen != len ||
	        memcmp(pg->ahead[k].key, key, len) != 0))
		k++;
	free(key);
	if (!key || k == pg->nahead) {
		/* Run as usual; after it, nothing sent before it is news. */
		if (!readable_ahead(q))
			pg_ahead_drop(pg);
		return false;
	}
	struct pg_ahead *a = &pg->ahead[k];
	if (is_lock(q))
		pg->ahead_barrier = k + 1;
	if (!out) {
		forget(a);
		*rc = pg->pipe_failed;
		return true;
	}
	*out = NULL;
	pg_answers_until(pg, &a->answered);
	if (pg->pipe_failed != IV_OK) {
		forget(a);
		*rc = pg->pipe_failed;
		return true;
	}
	if (!a->res) {
		forget(a);
		*rc = pg_failf(pg, IV_E_STORAGE, "database error while %s: no answer came", a->doing);
		return true;
	}
	*out = a->res;
	a->res = NULL;
	a->gone = true;
	*rc = IV_OK;
	return true;
}
