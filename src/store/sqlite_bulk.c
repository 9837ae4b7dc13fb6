/* A bulk write transaction on SQLite (store_bulk_mode: an upload, a
 * batch reversal, a copy into a new file).  It sets the ledger's two
 * per-row triggers aside while it holds the write lock
 * (sqlite_guard_set_aside, sqlite_schema.c), and writes what one of
 * them would have, the rows by item (ledger_items), itself: gathered as
 * the rows are inserted, sorted, and inserted a chunk at a time in the
 * table's key order, so that each chunk passes over the B-tree once
 * where rows in a file's order would each land on a page of their own. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* Rows by item held before they are written: 4 MiB. */
#define ITEM_ROWS_CHUNK (256u * 1024u)

struct sqlite_item_row {
	int64_t item_id, id;
};

static int by_key(const void *a, const void *b)
{
	const sqlite_item_row *x = a, *y = b;
	if (x->item_id != y->item_id)
		return x->item_id < y->item_id ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Writes the gathered rows in key order; several to a statement (OR
 * FAIL: no statement journal, and (item_id, id) is new by construction). */
static iv_status flush_item_rows(store *st)
{
	enum { ROWS = SQLITE_ITEM_ROWS_PER_INSERT };
	sqlite_item_row *v = st->item_rows;
	size_t n = st->nitem_rows, k = 0;
	st->nitem_rows = 0;
	qsort(v, n, sizeof *v, by_key);
	for (; k + ROWS <= n; k += ROWS) {
		sqlite3_stmt *s = sqlite_statement(st, Q_LEDGER_ITEMS_INSERT_MANY);
		if (!s)
			return IV_E_STORAGE;
		for (int j = 0; j < ROWS; j++) {
			sqlite3_bind_int64(s, 2 * j + 1, v[k + (size_t)j].item_id);
			sqlite3_bind_int64(s, 2 * j + 2, v[k + (size_t)j].id);
		}
		iv_status rc = sqlite_step_done(st, s, "indexing the ledger by item");
		if (rc != IV_OK)
			return rc;
	}
	for (; k < n; k++) {
		sqlite3_stmt *s = sqlite_statement(st, Q_LEDGER_ITEMS_INSERT);
		if (!s)
			return IV_E_STORAGE;
		sqlite3_bind_int64(s, 1, v[k].item_id);
		sqlite3_bind_int64(s, 2, v[k].id);
		iv_status rc = sqlite_step_done(st, s, "indexing the ledger by item");
		if (rc != IV_OK)
			return rc;
	}
	return IV_OK;
}

iv_status sqlite_bulk_start(store *st)
{
	if (!st->item_rows && !(st->item_rows = malloc(ITEM_ROWS_CHUNK * sizeof *st->item_rows)))
		return sqlite_failf(st, IV_E_NOMEM, "out of memory");
	st->nitem_rows = 0;
	return sqlite_guard_set_aside(st);
}

iv_status sqlite_bulk_note(store *st, int64_t item_id, int64_t id)
{
	if (!st->guard_aside)
		return IV_OK; /* the trigger is there: it writes the row */
	st->item_rows[st->nitem_rows++] = (sqlite_item_row){item_id, id};
	return st->nitem_rows < ITEM_ROWS_CHUNK ? IV_OK : flush_item_rows(st);
}

iv_status sqlite_bulk_finish(store *st)
{
	iv_status rc = flush_item_rows(st);
	return rc == IV_OK ? sqlite_guard_restore(st) : rc;
}

void sqlite_bulk_end(store *st)
{
	free(st->item_rows);
	st->item_rows = NULL;
	st->nitem_rows = 0;
}
