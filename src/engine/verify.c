/* verify: everything that makes the ledger trustworthy, checked again
 * from the rows themselves, in one read snapshot (writers go on):
 *   1. the database's own check and the schema objects the guarantees
 *      rest on (store_check_integrity);
 *   2. the master chain, and the master data rebuilt from it against
 *      the tables (verify_events.c);
 *   3. each store's chain, row by row, with the rules of one row
 *      (verify_chains.c);
 *   4. each store and item's rows, with the rules that sum and the
 *      stored sums (verify_pairs.c); the cost history and the report
 *      summaries (verify_reports.c); on a server, the people: every
 *      approved row's approval signed by its approver, no PIN hash
 *      stored, each user's role as the users table says
 *      (store_check_server);
 *   4b. each posted count's rows against its scans (verify_counts.c);
 *   5. the append-only triggers, tried (store_check_triggers);
 *   6. any checkpoint lines given (checkpoint.c).
 * The first fault found is the answer, naming the chain, row and rule. */
#include <stdio.h>
#include <string.h>

#include "engine/verify.h"

/* The root over every chain's length and head now (a checkpoint's,
 * without its time). */
static iv_status heads_root(iv_db *db, char out[IV_HASH_HEX])
{
	chain_list l;
	iv_status rc = checkpoint_chains(db, &l);
	if (rc == IV_OK) {
		unsigned char root[STORE_HASH_LEN];
		canon_root(NULL, l.v, l.n, root);
		canon_hex(root, out);
	}
	chain_list_free(&l);
	return rc;
}

static iv_status verify_snapshot(iv_db *db, const iv_verify_opts *opts, iv_verify_report *out)
{
	master_book book = {0};
	ledger_tally tally = {0};
	iv_status rc = store_check_integrity(db->st);
	if (rc != IV_OK)
		rc = iv_fail_store(db, rc);
	if (rc == IV_OK)
		rc = verify_events(db, &book);
	if (rc == IV_OK)
		rc = verify_master_tables(db, &book);
	if (rc == IV_OK)
		rc = verify_chains(db, &book, &tally);
	if (rc == IV_OK)
		rc = verify_pairs(db, &book, &tally);
	if (rc == IV_OK && (rc = store_check_server(db->st)) != IV_OK)
		rc = iv_fail_store(db, rc);
	if (rc == IV_OK)
		rc = verify_reports(db, &book);
	if (rc == IV_OK)
		rc = verify_counts(db, &book, &out->counts);
	if (rc == IV_OK)
		rc = heads_root(db, out->head_hash);
	if (rc == IV_OK && opts && opts->checkpoints)
		rc = verify_checkpoints(db, opts->checkpoints, &out->checkpoints);
	out->ledger_rows = tally.rows;
	out->chains = tally.chains;
	out->balances = tally.balances;
	out->events = book.events;
	book_free(&book);
	return rc;
}

iv_status iv_verify_with(iv_db *db, const iv_verify_opts *opts, iv_verify_report *out)
{
	memset(out, 0, sizeof *out);
	iv_status rc = store_begin(db->st, false); /* one snapshot: writers may go on */
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	rc = verify_snapshot(db, opts, out);
	store_rollback(db->st);
	if (rc != IV_OK)
		return rc;
	/* The triggers last: a ledger already altered is the graver news. */
	rc = store_check_triggers(db->st);
	out->triggers_tried = rc != IV_E_STORAGE;
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_verify(iv_db *db, iv_verify_report *out)
{
	return iv_verify_with(db, NULL, out);
}
