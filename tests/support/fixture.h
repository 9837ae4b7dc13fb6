/* A small, known database for the engine's unit tests, made in a
 * temporary folder and removed afterwards.
 *
 * Stores: MAIN (no negative stock), NEG (negative stock allowed), THR
 * (approval threshold 50).  Items: KB-100 "Wireless Keyboard" (UPC
 * 012345678905, barcode 2000000001007, alternates KEYB-W, 00042, ALT3),
 * MS-200 "Wireless Mouse", CB-0042.  Reasons: FI NF DMG CC THF EXP REV.
 * Users: admin/0000 (admin), clerk/1111 (clerk), super/2222 (supervisor).
 * Opening stock: KB-100 100 at MAIN, MS-200 50 at MAIN, dated
 * FIXTURE_OPENING; today is pinned to FIXTURE_TODAY. */
#ifndef INVADJ_TEST_FIXTURE_H
#define INVADJ_TEST_FIXTURE_H

#include "invadj/engine.h"

#define FIXTURE_TODAY "2026-06-15"
#define FIXTURE_OPENING "2026-06-01"

typedef struct fixture {
	char dir[256];
	char path[300];
	iv_db *db; /* logged in as `clerk` */
} fixture;

/* cmocka setup/teardown: state is a fixture*. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* Writes text to dir/name and returns the path (static buffer). */
const char *fixture_file(const fixture *f, const char *name, const char *text);

/* Posts one line; returns the status, *id the ledger id. */
iv_status fixture_adjust(iv_db *db, const char *store, const char *item, const char *diff,
                         const char *date, int64_t *id);

/* Net Available now. */
iv_qty fixture_balance(iv_db *db, const char *store, const char *item);

/* Ledger rows in the file. */
long long fixture_ledger_count(const fixture *f);

/* Runs SQL on the file with a plain SQLite connection, as someone with
 * the sqlite3 shell would; returns SQLite's result code. */
int fixture_sql(const fixture *f, const char *sql);

/* A second handle on the same file (another terminal), logged in as user. */
iv_db *fixture_open_other(const fixture *f, const char *user, const char *pin);

#endif
