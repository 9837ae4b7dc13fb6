/* The stores a posting upload writes to, locked before it reads a chain
 * head or a balance.  On a server writers at different stores run at
 * once, each holding its stores' locks (store_lock_stores); an upload
 * takes all of its stores' at once, in the one order, so that two
 * uploads naming the same stores in opposite orders cannot deadlock.  So
 * the file's StoreCode column is read once before the rows are: a
 * fraction of the upload's time, and the other stores' terminals never
 * wait for it. */
#include <stdio.h>
#include <stdlib.h>

#include "engine/upload_internal.h"
#include "invadj/csv.h"

/* The indexes (in store_v) of the stores the file's rows name, marked in
 * seen; false when the file could not be read (then every store). */
static bool stores_named(run *r, bool *seen)
{
	FILE *in = fopen(r->o->path, "r");
	csv_reader *cr = in ? csv_open(in) : NULL;
	if (!cr) {
		if (in)
			fclose(in);
		return false;
	}
	char **f;
	size_t n;
	csv_result got = csv_next(cr, &f, &n); /* the header */
	int col = r->map[COL_STORE];
	while (got == CSV_RECORD && (got = csv_next(cr, &f, &n)) == CSV_RECORD) {
		r->rows_hint++;
		char code[IV_CODE_SIZE], msg[IV_MSG_MAX];
		if (col < 0 || (size_t)col >= n ||
		    !field_ident("StoreCode", f[col], IV_CODE_MAX, code, sizeof code, msg, sizeof msg))
			continue; /* refused when its turn comes */
		const int64_t *v = upload_code_get(r->m.stores, code);
		if (v)
			seen[*v] = true;
	}
	csv_close(cr);
	fclose(in);
	return got == CSV_END;
}

iv_status upload_lock_stores(run *r)
{
	iv_db *db = r->db;
	if (!store_locks_per_store(db->st) || r->m.nstores == 0)
		return IV_OK;
	bool *seen = calloc(r->m.nstores, sizeof *seen);
	int64_t *ids = malloc(r->m.nstores * sizeof *ids);
	if (!seen || !ids) {
		free(seen);
		free(ids);
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	}
	bool all = !r->rereadable || !stores_named(r, seen);
	size_t n = 0;
	for (size_t k = 0; k < r->m.nstores; k++)
		if (all || seen[k])
			ids[n++] = r->m.store_v[k].id;
	iv_status rc = ledger_lock_stores(db, ids, n);
	free(seen);
	free(ids);
	return rc;
}
