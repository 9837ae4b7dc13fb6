/* Who waits for whom on a server: a write transaction locks the stores
 * whose chains it appends to, and the events chain when it records a
 * master-data event (transaction-scoped advisory locks, released at the
 * commit or rollback); and it takes ledger ids from a sequence, so that
 * writers at different stores never take the same one.
 *
 * One order for everyone: stores by ascending id, then the events chain.
 * A writer that keeps it never waits for one that waits for it.  A head
 * read for writing without its lock (pg_lock_for_head) takes the lock
 * then: out of the order (the server would then break a deadlock by
 * failing one save), but never a head that another writer is about to
 * move. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"

static bool holds(const pg_store *pg, int64_t store_id)
{
	for (size_t k = 0; k < pg->nlocked; k++)
		if (pg->locked[k] == store_id)
			return true;
	return false;
}

static iv_status remember(pg_store *pg, int64_t store_id)
{
	if (holds(pg, store_id))
		return IV_OK;
	if (pg->nlocked == pg->locked_cap) {
		size_t cap = pg->locked_cap ? 2 * pg->locked_cap : 16;
		int64_t *v = realloc(pg->locked, cap * sizeof *v);
		if (!v)
			return pg_failf(pg, IV_E_NOMEM, "out of memory");
		pg->locked = v;
		pg->locked_cap = cap;
	}
	pg->locked[pg->nlocked++] = store_id;
	return IV_OK;
}

/* The ids as a bigint[] literal in buf (grown as needed). */
static char *id_array(const int64_t *ids, size_t n)
{
	size_t cap = 3 + n * 21, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	buf[len++] = '{';
	for (size_t k = 0; k < n; k++)
		len += (size_t)snprintf(buf + len, cap - len, k ? ",%lld" : "%lld", (long long)ids[k]);
	buf[len++] = '}';
	buf[len] = '\0';
	return buf;
}

#define DOING_LOCK_STORES "waiting for the stores' other saves"

/* A preview whose reads are noted (pg_ahead.c): the write transaction
 * after it will take these stores' locks, then read their chains'
 * heads.  As the write would ask, nothing being held yet. */
static void note_locks(pg_store *pg, const int64_t *store_ids, size_t n)
{
	char *arr = pg->noting && n ? id_array(store_ids, n) : NULL;
	if (!arr)
		return;
	pg_params p = {0};
	pg_param_text(&p, arr);
	pg_ahead_note(pg, PQ_LOCK_STORES, &p, DOING_LOCK_STORES);
	free(arr);
	for (size_t k = 0; k < n; k++) {
		pg_chain_head_params(&p, store_ids[k]);
		pg_ahead_note(pg, PQ_CHAIN_HEAD, &p, PG_DOING_HEAD);
	}
}

iv_status pg_lock_stores(store *st, const int64_t *store_ids, size_t n)
{
	pg_store *pg = pg_of(st);
	if (pg->in_txn && pg->read_only) {
		note_locks(pg, store_ids, n);
		return IV_OK; /* a preview's snapshot: it writes nothing */
	}
	if (!pg->in_txn)
		return pg_failf(pg, IV_E_STORAGE, "locking stores outside a transaction");
	int64_t *todo = malloc((n ? n : 1) * sizeof *todo);
	if (!todo)
		return pg_failf(pg, IV_E_NOMEM, "out of memory");
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		if (!holds(pg, store_ids[k]))
			todo[m++] = store_ids[k];
	iv_status rc = IV_OK;
	char *arr = m ? id_array(todo, m) : NULL;
	if (m && !arr)
		rc = pg_failf(pg, IV_E_NOMEM, "out of memory");
	if (arr) {
		pg_params p = {0};
		pg_param_text(&p, arr);
		rc = pg_exec(pg, PQ_LOCK_STORES, &p, NULL, DOING_LOCK_STORES);
	}
	for (size_t k = 0; rc == IV_OK && k < m; k++)
		rc = remember(pg, todo[k]);
	free(arr);
	free(todo);
	return rc;
}

iv_status pg_lock_events(store *st)
{
	pg_store *pg = pg_of(st);
	if (pg->events_locked)
		return IV_OK;
	if (pg->in_txn && pg->read_only)
		return IV_OK;
	if (!pg->in_txn)
		return pg_failf(pg, IV_E_STORAGE, "locking the events outside a transaction");
	iv_status rc = pg_exec(pg, PQ_LOCK_EVENTS, NULL, NULL, "waiting for other master-data changes");
	pg->events_locked = rc == IV_OK;
	return rc;
}

bool pg_locks_per_store(store *st)
{
	(void)st;
	return true;
}

iv_status pg_lock_for_head(pg_store *pg, int64_t store_id)
{
	if (!pg->in_txn || pg->read_only)
		return IV_OK; /* a reader's snapshot: nothing is written from it */
	return store_id == 0 ? pg_lock_events((store *)(void *)pg)
	                     : pg_lock_stores((store *)(void *)pg, &store_id, 1);
}

void pg_locks_end(pg_store *pg)
{
	pg->nlocked = 0;
	pg->events_locked = false;
}

void pg_ledger_ids_params(pg_params *p, int64_t n)
{
	memset(p, 0, sizeof *p);
	pg_param_int(p, n);
}

/* The sequence ledger_ids gives them (invadj_ledger_ids, pg_schema.c),
 * above every id any transaction has taken, committed or not; `after`
 * is below them all already. */
iv_status pg_ledger_ids(store *st, int64_t after, int64_t n, int64_t *first)
{
	pg_store *pg = pg_of(st);
	(void)after;
	pg_params p;
	pg_ledger_ids_params(&p, n);
	PGresult *res;
	iv_status rc = pg_exec(pg, PQ_LEDGER_IDS, &p, &res, PG_DOING_IDS);
	if (rc != IV_OK)
		return rc;
	*first = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}
