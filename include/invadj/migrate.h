/* Moving a ledger from one database to another (e.g. a store's SQLite
 * file to the chain's PostgreSQL server): `invadj migrate`. */
#ifndef INVADJ_MIGRATE_H
#define INVADJ_MIGRATE_H

#include <stdint.h>

#include "invadj/engine.h"

typedef struct iv_migrate_report {
	uint64_t stores, items, reasons, users, batches, events, ledger_rows, balances, day_totals,
		user_days, counts, count_items, count_scans, count_ends;
	char source_head[IV_HASH_HEX]; /* the source's head (all chains), as verify printed it */
	char target_head[IV_HASH_HEX]; /* the copy's, recomputed by verify on the target */
	char message[IV_MSG_MAX];      /* on failure: which side, and why */
} iv_migrate_report;

/* Verifies the source's chains and sums, copies every table (ids, PIN
 * hashes, events and row hashes as they are) into the target, which must be
 * empty (a new file, or a server database with no invadj data yet), in
 * one transaction, then verifies the target and compares its head hash
 * and row count with what was copied.  Nothing is written to the
 * source.  A failure before the commit leaves the target empty; a
 * target that does not verify afterwards is reported (IV_E_CORRUPT). */
iv_status iv_migrate(const char *from, const char *to, iv_migrate_report *out);

#endif
