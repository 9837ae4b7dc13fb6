/* The schema and its forward migrations.  PRAGMA user_version holds the
 * number of migrations applied; each runs in its own write transaction,
 * so two terminals opening a new file at once cannot both apply it.
 * docs/schema.md describes the tables for people using the sqlite3 shell. */
#include <stdio.h>

#include "store/sqlite_internal.h"

#define MIGRATION_3_INDEXES                                   \
	"CREATE INDEX ledger_by_item ON ledger(item_id, id);"   \
	"CREATE INDEX ledger_by_user ON ledger(user_id, id);"   \
	"CREATE INDEX ledger_by_store ON ledger(store_id, id);" \
	"CREATE INDEX ledger_by_date ON ledger(tdate, id);"     \
	"ALTER TABLE items ADD COLUMN search_key TEXT;"          \
	"CREATE INDEX stores_code_nocase ON stores(code COLLATE NOCASE);"    \
	"CREATE INDEX reasons_code_nocase ON reasons(code COLLATE NOCASE);"  \
	"CREATE INDEX users_name_nocase ON users(name COLLATE NOCASE);"      \
	"CREATE INDEX items_number_nocase ON items(number COLLATE NOCASE);"  \
	"CREATE INDEX items_upc_nocase ON items(upc COLLATE NOCASE);"        \
	"CREATE INDEX items_barcode_nocase ON items(barcode COLLATE NOCASE);" \
	"CREATE INDEX items_alt1_nocase ON items(alt1 COLLATE NOCASE);"      \
	"CREATE INDEX items_alt2_nocase ON items(alt2 COLLATE NOCASE);"      \
	"CREATE INDEX items_alt3_nocase ON items(alt3 COLLATE NOCASE);"

static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE stores ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  allow_negative INTEGER NOT NULL DEFAULT 0 CHECK (allow_negative IN (0, 1)),"
	"  approval_threshold INTEGER NOT NULL DEFAULT 0 CHECK (approval_threshold >= 0));"
	"CREATE TABLE items ("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT NOT NULL UNIQUE,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  upc TEXT UNIQUE, barcode TEXT UNIQUE,"
	"  alt1 TEXT UNIQUE, alt2 TEXT UNIQUE, alt3 TEXT UNIQUE);"
	"CREATE TABLE reasons ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  description TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),"
	"  pin_hash TEXT NOT NULL,"
	"  failed_logins INTEGER NOT NULL DEFAULT 0,"
	"  last_failed_at INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL);"
	"CREATE TABLE batches ("
	"  id INTEGER PRIMARY KEY,"
	"  file_name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  rule TEXT NOT NULL CHECK (rule IN ('delta', 'sync', 'reversal')),"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  recorded_at TEXT NOT NULL,"
	"  rows INTEGER NOT NULL, posted INTEGER NOT NULL, unchanged INTEGER NOT NULL,"
	"  reverses_batch INTEGER UNIQUE REFERENCES batches(id),"
	/* A batch's rows are consecutive ledger ids (one writer holds the
	 * lock for the whole upload), so a range finds them without an
	 * index on ledger.batch_id that a million-row upload would pay for. */
	"  first_id INTEGER NOT NULL, last_id INTEGER);"
	"CREATE INDEX batches_sha256 ON batches(sha256);"
	"CREATE TABLE ledger ("
	"  id INTEGER PRIMARY KEY,"
	"  document INTEGER NOT NULL,"
	"  store_id INTEGER NOT NULL REFERENCES stores(id),"
	"  item_id INTEGER NOT NULL REFERENCES items(id),"
	"  reason_id INTEGER NOT NULL REFERENCES reasons(id),"
	"  diff INTEGER NOT NULL CHECK (diff <> 0 AND diff BETWEEN -1000000000 AND 1000000000),"
	"  tdate TEXT NOT NULL,"
	"  recorded_at TEXT NOT NULL,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  approved_by INTEGER REFERENCES users(id),"
	"  reverses INTEGER REFERENCES ledger(id),"
	"  batch_id INTEGER REFERENCES batches(id),"
	"  memo TEXT NOT NULL DEFAULT '',"
	"  hash BLOB NOT NULL);"
	/* A row can be reversed once: the database itself says so. */
	"CREATE UNIQUE INDEX ledger_reverses ON ledger(reverses) WHERE reverses IS NOT NULL;"
	"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN"
	"  SELECT RAISE(ABORT, 'ledger rows are immutable: reverse an adjustment with a new one');"
	"END;"
	"CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN"
	"  SELECT RAISE(ABORT, 'ledger rows are immutable: reverse an adjustment with a new one');"
	"END;"
	"CREATE TABLE balances ("
	"  store_id INTEGER NOT NULL REFERENCES stores(id),"
	"  item_id INTEGER NOT NULL REFERENCES items(id),"
	"  qty INTEGER NOT NULL,"
	"  PRIMARY KEY (store_id, item_id)) WITHOUT ROWID;"
	"CREATE TABLE day_totals ("
	"  store_id INTEGER NOT NULL REFERENCES stores(id),"
	"  item_id INTEGER NOT NULL REFERENCES items(id),"
	"  tdate TEXT NOT NULL,"
	"  diff INTEGER NOT NULL,"
	"  PRIMARY KEY (store_id, item_id, tdate)) WITHOUT ROWID;",
	/* 2: users may be disabled (people leave; their rows stay theirs);
	 * who disabled them and who last set their PIN, and when, are kept
	 * (user ids, without a foreign key so that a copy may insert users
	 * in id order) */
	"ALTER TABLE users ADD COLUMN disabled_at TEXT;"
	"ALTER TABLE users ADD COLUMN disabled_by INTEGER;"
	"ALTER TABLE users ADD COLUMN pin_set_at TEXT;"
	"ALTER TABLE users ADD COLUMN pin_set_by INTEGER;",
	/* 3: each store's time zone ('' = the host's): "today" is the
	 * store's local date; wrong-PIN counters move out of users into a
	 * table keyed by the name as typed, so that unknown names are
	 * counted (and slowed down) exactly as known ones */
	"ALTER TABLE stores ADD COLUMN tz TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE login_failures ("
	"  name TEXT PRIMARY KEY,"
	"  failures INTEGER NOT NULL,"
	"  last_failed_at INTEGER NOT NULL,"
	"  checking INTEGER NOT NULL DEFAULT 0,"
	"  checking_since INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"ALTER TABLE users DROP COLUMN failed_logins;"
	"ALTER TABLE users DROP COLUMN last_failed_at;",
	/* 4: History by item, user or store reads one page, not the ledger
	 * (each index is ordered by id within its key; measured in `make
	 * bench`, and each costs every uploaded row, so no more of them).
	 * Items get a search key: identifiers and description folded by
	 * utf8proc (filled in when the database is next opened for writing). */
	MIGRATION_3_INDEXES,
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static int user_version(store *st)
{
	sqlite3_stmt *s;
	int v = -1;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	return v;
}

int sqlite_schema_version(store *st)
{
	return user_version(st);
}

static bool has_ledger(store *st)
{
	sqlite3_stmt *s;
	bool found = false;
	if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger'",
	                       -1, &s, NULL) == SQLITE_OK) {
		found = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_finalize(s);
	}
	return found;
}

static bool is_empty_file(store *st)
{
	sqlite3_stmt *s;
	bool empty = false;
	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			empty = sqlite3_column_int(s, 0) == 0;
		sqlite3_finalize(s);
	}
	return empty;
}

iv_status store_check_schema(store *st, const char *path)
{
	int v = user_version(st);
	if (v <= 0 || !has_ledger(st)) /* v < 0: not SQLite at all (or damaged) */
		return store_failf(st, IV_E_STORAGE, STORE_NOT_INVADJ, path);
	if (v > NMIGRATIONS)
		return store_failf(st, IV_E_STORAGE,
		                   "the database was made by a newer invadj (schema %d, this one knows %d)",
		                   v, NMIGRATIONS);
	if (v < NMIGRATIONS)
		return store_failf(st, IV_E_STORAGE,
		                   "%s was made by an older invadj (schema %d, this one knows %d); a command "
		                   "that only reads does not upgrade it: run one that writes, or the "
		                   "screens, once",
		                   path, v, NMIGRATIONS);
	return IV_OK;
}

iv_status store_migrate(store *st)
{
	int v = user_version(st);
	if (v < 0)
		return store_fail(st, sqlite3_errcode(st->db), "reading the schema version");
	if (v > NMIGRATIONS)
		return store_failf(st, IV_E_STORAGE,
		                   "the database was made by a newer invadj (schema %d, this one knows %d)",
		                   v, NMIGRATIONS);
	if (v == NMIGRATIONS)
		return IV_OK;
	iv_status rc = sqlite_begin(st, true);
	if (rc != IV_OK)
		return rc;
	v = user_version(st); /* another terminal may have migrated meanwhile */
	if (v == 0 && !is_empty_file(st)) {
		sqlite_rollback(st);
		return store_failf(st, IV_E_STORAGE, "the file is an SQLite database but not an invadj one");
	}
	for (; v < NMIGRATIONS && rc == IV_OK; v++) {
		rc = store_exec(st, migrations[v]);
		if (rc == IV_OK) {
			char sql[64];
			snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
			rc = store_exec(st, sql);
		}
	}
	if (rc != IV_OK) {
		sqlite_rollback(st);
		return rc;
	}
	return sqlite_commit(st);
}
