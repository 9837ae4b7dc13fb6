/* A small, known database for the engine's unit tests, made in a
 * temporary folder and removed afterwards.
 *
 * Stores: MAIN (no negative stock), NEG (negative stock allowed), THR
 * (approval threshold 50).  Items: KB-100 "Wireless Keyboard" (UPC
 * 012345678905, barcode 2000000001007, alternates KEYB-W, 00042, ALT3),
 * MS-200 "Wireless Mouse", CB-0042.  Reasons: FI NF DMG CC THF EXP REV.
 * Users: admin/0000 (admin), clerk/1111 (clerk), super/2222 (supervisor).
 * Opening stock: KB-100 100 at MAIN, MS-200 50 at MAIN, dated
 * FIXTURE_OPENING; today is pinned to FIXTURE_TODAY.
 *
 * Two backends: by default each test gets a copy of a template SQLite
 * file.  With INVADJ_TEST_DB set to a PostgreSQL URI (an account that
 * may create databases, e.g. the throw-away server of tests/pg/pg-start)
 * each test gets a new database made from a template database on that
 * server, dropped afterwards, and f->path is its URI. */
#ifndef INVADJ_TEST_FIXTURE_H
#define INVADJ_TEST_FIXTURE_H

#include <sqlite3.h> /* fixture_sql returns its result codes */

#include "invadj/engine.h"

#define FIXTURE_TODAY "2026-06-15"
#define FIXTURE_OPENING "2026-06-01"

typedef struct fixture {
	char dir[256];
	char path[400];
	char dbname[64];   /* PostgreSQL: the test's database */
	iv_db *db; /* logged in as `clerk` */
} fixture;

/* Pins the test build's clock (src/engine/clock.c, -DINVADJ_TEST_CLOCK):
 * an instant "2026-06-15T23:59:59Z", or a day "2026-06-15" (the same
 * in every zone); NULL or "" goes back to INVADJ_NOW / INVADJ_TODAY or
 * the real clock.  Only the tests link this function. */
void iv_test_clock_pin(const char *text);

/* cmocka setup/teardown: state is a fixture*. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* Makes a SQLite file whole on its own: invadj leaves the newest rows in
 * the write-ahead log beside it, which a copy of the file alone lacks. */
void fixture_settle_file(const char *path);

/* Writes text to dir/name and returns the path (static buffer). */
const char *fixture_file(const fixture *f, const char *name, const char *text);

/* Posts one line; returns the status, *id the ledger id. */
iv_status fixture_adjust(iv_db *db, const char *store, const char *item, const char *diff,
                         const char *date, int64_t *id);

/* Net Available now. */
iv_qty fixture_balance(iv_db *db, const char *store, const char *item);

/* Ledger rows in the file. */
long long fixture_ledger_count(const fixture *f);

/* True when the tests run against PostgreSQL (INVADJ_TEST_DB). */
bool fixture_pg(void);
/* The SQL for the backend under test. */
#define FIXTURE_SQL(sqlite_sql, pg_sql) (fixture_pg() ? (pg_sql) : (sqlite_sql))

/* Runs SQL on the database with a plain connection of its own, as
 * someone with the sqlite3 shell or psql would; returns SQLite's result
 * code, and for PostgreSQL the nearest one: SQLITE_OK, SQLITE_CONSTRAINT
 * for a refused write (constraint, or an exception a trigger raised),
 * SQLITE_ERROR for anything else. */
int fixture_sql(const fixture *f, const char *sql);

/* As fixture_sql, with the append-only triggers of ledger, events and the
 * counts' tables set aside for the statement and put back word for word
 * afterwards, as a forger with the sqlite3 shell or psql (as the owner)
 * would: only the hashes and the rules can then tell. */
int fixture_sql_unguarded(const fixture *f, const char *sql);

/* The first column of the first row of a query, as text ("" if none;
 * a static buffer). */
const char *fixture_query_text(const fixture *f, const char *sql);

/* A database that does not hold invadj's tables: a file path that does
 * not exist (SQLite), or a new empty database (PostgreSQL), dropped at
 * teardown.  A static buffer. */
const char *fixture_empty_db(fixture *f);
/* iv_open(path, IV_OPEN_EXISTING) and a first use of the handle (a
 * server's handle connects only then): the status of whichever fails. */
iv_status fixture_open_used(const char *path, iv_db **db);

/* A second handle on the same file (another terminal), logged in as user. */
iv_db *fixture_open_other(const fixture *f, const char *user, const char *pin);

#endif
