/* The schema and its forward migrations.  PRAGMA user_version holds the
 * number of migrations applied; each runs in its own write transaction,
 * so two terminals opening a new file at once cannot both apply it.
 * docs/schema.md describes the tables for people using the sqlite3 shell. */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* The objects the ledger's guarantees rest on, as their CREATE
 * statements: the migrations make them from this text, and
 * sqlite_check_integrity finds them in sqlite_master word for word (a
 * trigger altered to `WHEN 0`, or an index dropped, is a fault). */
#define APPEND_ONLY_TEXT(what) \
	"'" what " are append-only: nothing is changed or removed, a mistake is put right by a new row'"
#define APPEND_ONLY_MSG(what) "SELECT RAISE(ABORT, " APPEND_ONLY_TEXT(what) ")"
/* The insert guards raise FAIL, not ABORT, and invadj inserts with OR
 * FAIL: a single-row insert then needs no statement journal (SQLite
 * keeps one for any statement that fires a trigger and may ABORT, and
 * copying every page it touches cost a million-row upload 2 s), and a
 * refused row is refused all the same: nothing of it was written. */
#define APPEND_ONLY_FAIL(what) "SELECT RAISE(FAIL, " APPEND_ONLY_TEXT(what) ")"
#define SQLITE_LEDGER_REVERSES \
	"CREATE UNIQUE INDEX ledger_reverses ON ledger(reverses) WHERE reverses IS NOT NULL"
#define SQLITE_LEDGER_CHAIN "CREATE UNIQUE INDEX ledger_chain ON ledger(store_id, seq)"
#define SQLITE_LEDGER_NO_UPDATE \
	"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN " APPEND_ONLY_MSG("ledger rows") "; END"
#define SQLITE_LEDGER_NO_DELETE \
	"CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN " APPEND_ONLY_MSG("ledger rows") "; END"
/* SQLite fires no DELETE trigger for the rows a REPLACE (INSERT OR
 * REPLACE, REPLACE INTO, an upsert) removes, and a statement's OR
 * clause overrides a constraint's own: so an insert that could collide
 * with a row is refused before it can.  Point probes on indexes only:
 * the highest id, the store chain's last place, a reversal already
 * there. */
#define SQLITE_LEDGER_APPEND_ONLY \
	"CREATE TRIGGER ledger_append_only BEFORE INSERT ON ledger WHEN " \
	"NEW.id <= coalesce((SELECT max(id) FROM ledger), 0) " \
	"OR NEW.seq IS NOT 1 + coalesce((SELECT max(seq) FROM ledger WHERE store_id = NEW.store_id), 0) " \
	"OR (NEW.reverses IS NOT NULL AND EXISTS (SELECT 1 FROM ledger WHERE reverses = NEW.reverses)) " \
	"BEGIN " APPEND_ONLY_FAIL("ledger rows") "; END"
/* History by item reads ledger_items, (item_id, id) of every row, kept
 * by a trigger for every writer and written by a bulk load at its end
 * in key order: an index on the ledger took each upload's rows in the
 * file's random item order, a page of the B-tree touched per row (a
 * third of a million-row upload).  Its rows are as append-only as the
 * ledger's, and verify holds them to the ledger. */
#define SQLITE_LEDGER_ITEMS_ADD \
	"CREATE TRIGGER ledger_items_add AFTER INSERT ON ledger BEGIN " \
	"INSERT INTO ledger_items(item_id, id) VALUES (NEW.item_id, NEW.id); END"
#define SQLITE_LEDGER_ITEMS_NO_UPDATE \
	"CREATE TRIGGER ledger_items_no_update BEFORE UPDATE ON ledger_items BEGIN " \
	APPEND_ONLY_MSG("ledger rows") "; END"
#define SQLITE_LEDGER_ITEMS_NO_DELETE \
	"CREATE TRIGGER ledger_items_no_delete BEFORE DELETE ON ledger_items BEGIN " \
	APPEND_ONLY_MSG("ledger rows") "; END"
#define SQLITE_EVENTS_NO_UPDATE \
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN " APPEND_ONLY_MSG("events") "; END"
#define SQLITE_EVENTS_NO_DELETE \
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN " APPEND_ONLY_MSG("events") "; END"
#define SQLITE_EVENTS_APPEND_ONLY \
	"CREATE TRIGGER events_append_only BEFORE INSERT ON events WHEN " \
	"NEW.id <= coalesce((SELECT max(id) FROM events), 0) " \
	"OR NEW.seq IS NOT 1 + coalesce((SELECT max(seq) FROM events), 0) " \
	"BEGIN " APPEND_ONLY_FAIL("events") "; END"

/* Counts (migration 6): a count's rows are never changed or removed
 * either, and a count that was posted or cancelled takes nothing more.
 * As for the ledger, an insert that REPLACE could turn into a removal
 * is refused: an id not above the table's highest, a second end of one
 * count, a scan undone twice. */
#define COUNTS_KEPT_MSG \
	"SELECT RAISE(ABORT, 'counts are kept as they were: a count''s rows are never changed or removed')"
/* The insert guards raise FAIL, and invadj inserts with OR FAIL, as
 * the ledger's (above). */
#define COUNT_CLOSED_MSG \
	"SELECT RAISE(FAIL, 'the count was posted or cancelled: it takes nothing more')"
#define COUNTS_KEPT_FAIL \
	"SELECT RAISE(FAIL, 'counts are kept as they were: a count''s rows are never changed or removed')"
#define SQLITE_COUNT_NO_UPDATE(t) \
	"CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t " BEGIN " COUNTS_KEPT_MSG "; END"
#define SQLITE_COUNT_NO_DELETE(t) \
	"CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t " BEGIN " COUNTS_KEPT_MSG "; END"
#define COUNT_KEPT_TRIGGERS(t) \
	X_TRIGGER(t "_no_update", t, SQLITE_COUNT_NO_UPDATE(t)) \
	X_TRIGGER(t "_no_delete", t, SQLITE_COUNT_NO_DELETE(t))
#define SQLITE_COUNTS_APPEND_ONLY \
	"CREATE TRIGGER counts_append_only BEFORE INSERT ON counts WHEN " \
	"NEW.id <= coalesce((SELECT max(id) FROM counts), 0) BEGIN " COUNTS_KEPT_FAIL "; END"
#define SQLITE_COUNT_ITEMS_OPEN \
	"CREATE TRIGGER count_items_open BEFORE INSERT ON count_items WHEN " \
	"EXISTS (SELECT 1 FROM count_ends WHERE count_id = NEW.count_id) " \
	"OR EXISTS (SELECT 1 FROM count_items WHERE count_id = NEW.count_id AND item_id = NEW.item_id) " \
	"BEGIN " COUNT_CLOSED_MSG "; END"
#define SQLITE_COUNT_SCANS_OPEN \
	"CREATE TRIGGER count_scans_open BEFORE INSERT ON count_scans WHEN " \
	"NEW.id <= coalesce((SELECT max(id) FROM count_scans), 0) " \
	"OR EXISTS (SELECT 1 FROM count_ends WHERE count_id = NEW.count_id) " \
	"OR (NEW.undoes IS NOT NULL AND EXISTS (SELECT 1 FROM count_scans WHERE undoes = NEW.undoes)) " \
	"BEGIN " COUNT_CLOSED_MSG "; END"
#define SQLITE_COUNT_ENDS_ONCE \
	"CREATE TRIGGER count_ends_once BEFORE INSERT ON count_ends WHEN " \
	"EXISTS (SELECT 1 FROM count_ends WHERE count_id = NEW.count_id) " \
	"OR (NEW.batch_id IS NOT NULL AND EXISTS (SELECT 1 FROM count_ends WHERE batch_id = NEW.batch_id)) " \
	"BEGIN " COUNT_CLOSED_MSG "; END"
#define SQLITE_COUNT_SCANS_ITEM "CREATE INDEX count_scans_item ON count_scans(count_id, item_id, id)"
#define SQLITE_COUNT_SCANS_USER "CREATE INDEX count_scans_user ON count_scans(count_id, user_id, id)"
#define SQLITE_COUNT_SCANS_UNDOES \
	"CREATE UNIQUE INDEX count_scans_undoes ON count_scans(undoes) WHERE undoes IS NOT NULL"
#define X_TRIGGER(name, table, sql) {"trigger", name, table, sql},
#define COUNT_OBJECTS                                                                  \
	COUNT_KEPT_TRIGGERS("counts") COUNT_KEPT_TRIGGERS("count_items")                \
	COUNT_KEPT_TRIGGERS("count_scans") COUNT_KEPT_TRIGGERS("count_ends")            \
	X_TRIGGER("counts_append_only", "counts", SQLITE_COUNTS_APPEND_ONLY)           \
	X_TRIGGER("count_items_open", "count_items", SQLITE_COUNT_ITEMS_OPEN)          \
	X_TRIGGER("count_scans_open", "count_scans", SQLITE_COUNT_SCANS_OPEN)          \
	X_TRIGGER("count_ends_once", "count_ends", SQLITE_COUNT_ENDS_ONCE)             \
	{"index", "count_scans_item", "count_scans", SQLITE_COUNT_SCANS_ITEM},          \
	{"index", "count_scans_user", "count_scans", SQLITE_COUNT_SCANS_USER},          \
	{"index", "count_scans_undoes", "count_scans", SQLITE_COUNT_SCANS_UNDOES},

static const struct {
	const char *type, *name, *table, *sql;
} required[] = {
	{"index", "ledger_reverses", "ledger", SQLITE_LEDGER_REVERSES},
	{"index", "ledger_chain", "ledger", SQLITE_LEDGER_CHAIN},
	{"trigger", "ledger_no_update", "ledger", SQLITE_LEDGER_NO_UPDATE},
	{"trigger", "ledger_no_delete", "ledger", SQLITE_LEDGER_NO_DELETE},
	{"trigger", "ledger_append_only", "ledger", SQLITE_LEDGER_APPEND_ONLY},
	{"trigger", "ledger_items_add", "ledger", SQLITE_LEDGER_ITEMS_ADD},
	{"trigger", "ledger_items_no_update", "ledger_items", SQLITE_LEDGER_ITEMS_NO_UPDATE},
	{"trigger", "ledger_items_no_delete", "ledger_items", SQLITE_LEDGER_ITEMS_NO_DELETE},
	{"trigger", "events_no_update", "events", SQLITE_EVENTS_NO_UPDATE},
	{"trigger", "events_no_delete", "events", SQLITE_EVENTS_NO_DELETE},
	{"trigger", "events_append_only", "events", SQLITE_EVENTS_APPEND_ONLY},
	COUNT_OBJECTS
};
#undef X_TRIGGER

/* History by item, user or date: made by migration 4, and made again
 * by migration 5, which rebuilds the ledger.  History by store reads
 * the store's chain (ledger_chain) from migration 5 on: migration 4's
 * ledger_by_store is not made again (one index less for every save). */
#define SQLITE_LEDGER_HISTORY_INDEXES                         \
	"CREATE INDEX ledger_by_item ON ledger(item_id, id);"   \
	"CREATE INDEX ledger_by_user ON ledger(user_id, id);"   \
	"CREATE INDEX ledger_by_date ON ledger(tdate, id);"
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

/* A report summary: its key (transaction date first, so that a range
 * of dates is one range of the primary key), and its sums.  value is
 * checked to stay an integer: SQLite turns an integer sum that
 * overflows into a float, which would no longer be exact. */
#define SQLITE_REPORT_TABLE(name, item_col, item_key)                                  \
	"CREATE TABLE " name " ("                                                         \
	"  tdate TEXT NOT NULL,"                                                           \
	"  store_id INTEGER NOT NULL,"                                                     \
	"  " item_col                                                                      \
	"  reason_id INTEGER NOT NULL,"                                                    \
	"  user_id INTEGER NOT NULL,"                                                      \
	"  cancelled INTEGER NOT NULL CHECK (cancelled IN (0, 1)),"                       \
	"  lines INTEGER NOT NULL,"                                                        \
	"  added INTEGER NOT NULL,"                                                        \
	"  removed INTEGER NOT NULL,"                                                      \
	"  value INTEGER NOT NULL CHECK (typeof(value) = 'integer'),"                     \
	"  unvalued INTEGER NOT NULL,"                                                     \
	"  PRIMARY KEY (tdate, store_id, " item_key "reason_id, user_id, cancelled)) WITHOUT ROWID;"

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
	/* 5: one hash chain per store and one of events for master data (see
	 * the objects above), the names a row was posted under, and users'
	 * day totals.  The ledger is rebuilt (its triggers refuse UPDATE):
	 * its rows keep their hashes as version 1, numbered per store in id
	 * order, with the item number they stand under now. */
	"CREATE TABLE ledger_chained ("
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
	"  hash BLOB NOT NULL,"
	"  seq INTEGER NOT NULL CHECK (seq > 0),"
	"  item_number TEXT NOT NULL,"
	"  hash_version INTEGER NOT NULL CHECK (hash_version IN (1, 2)));"
	"INSERT INTO ledger_chained SELECT l.id, l.document, l.store_id, l.item_id, l.reason_id, l.diff,"
	"  l.tdate, l.recorded_at, l.user_id, l.approved_by, l.reverses, l.batch_id, l.memo, l.hash,"
	"  row_number() OVER (PARTITION BY l.store_id ORDER BY l.id),"
	"  coalesce((SELECT i.number FROM items i WHERE i.id = l.item_id), ''), 1 FROM ledger l;"
	"DROP TABLE ledger;"
	"ALTER TABLE ledger_chained RENAME TO ledger;"
	SQLITE_LEDGER_REVERSES ";" SQLITE_LEDGER_CHAIN ";" SQLITE_LEDGER_HISTORY_INDEXES
	SQLITE_LEDGER_NO_UPDATE ";" SQLITE_LEDGER_NO_DELETE ";" SQLITE_LEDGER_APPEND_ONLY ";"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  seq INTEGER NOT NULL UNIQUE CHECK (seq > 0),"
	"  kind TEXT NOT NULL,"
	"  entity_id INTEGER NOT NULL,"
	"  entity_key TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  recorded_at TEXT NOT NULL,"
	"  user_id INTEGER NOT NULL,"
	"  hash_version INTEGER NOT NULL,"
	"  hash BLOB NOT NULL);"
	"CREATE INDEX events_entity ON events(kind, entity_id);"
	SQLITE_EVENTS_NO_UPDATE ";" SQLITE_EVENTS_NO_DELETE ";" SQLITE_EVENTS_APPEND_ONLY ";"
	"CREATE TABLE user_days ("
	"  store_id INTEGER NOT NULL REFERENCES stores(id),"
	"  item_id INTEGER NOT NULL REFERENCES items(id),"
	"  tdate TEXT NOT NULL,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  diff INTEGER NOT NULL,"
	"  PRIMARY KEY (store_id, item_id, tdate, user_id)) WITHOUT ROWID;"
	"INSERT INTO user_days SELECT store_id, item_id, tdate, user_id, sum(diff) FROM ledger"
	"  GROUP BY store_id, item_id, tdate, user_id;",
	/* 6: counts (include/invadj/count.h), and batches of rule 'count'
	 * (a posted count's rows).  A CHECK cannot be altered in SQLite: the
	 * batches table is rebuilt as migration 5 rebuilt the ledger, its
	 * rows as they are. */
	"CREATE TABLE batches_counted ("
	"  id INTEGER PRIMARY KEY,"
	"  file_name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  rule TEXT NOT NULL CHECK (rule IN ('delta', 'sync', 'reversal', 'count')),"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  recorded_at TEXT NOT NULL,"
	"  rows INTEGER NOT NULL, posted INTEGER NOT NULL, unchanged INTEGER NOT NULL,"
	"  reverses_batch INTEGER UNIQUE REFERENCES batches(id),"
	"  first_id INTEGER NOT NULL, last_id INTEGER);"
	"INSERT INTO batches_counted SELECT id, file_name, sha256, rule, user_id, recorded_at, rows,"
	"  posted, unchanged, reverses_batch, first_id, last_id FROM batches;"
	"DROP TABLE batches;"
	"ALTER TABLE batches_counted RENAME TO batches;"
	"CREATE INDEX batches_sha256 ON batches(sha256);"
	"CREATE TABLE counts ("
	"  id INTEGER PRIMARY KEY,"
	"  store_id INTEGER NOT NULL REFERENCES stores(id),"
	"  blind INTEGER NOT NULL CHECK (blind IN (0, 1)),"
	"  scope TEXT NOT NULL CHECK (scope IN ('scanned', 'items', 'all')),"
	"  memo TEXT NOT NULL DEFAULT '',"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  started_at TEXT NOT NULL,"
	"  count_day TEXT NOT NULL,"
	"  start_seq INTEGER NOT NULL CHECK (start_seq >= 0));"
	"CREATE TABLE count_items ("
	"  count_id INTEGER NOT NULL REFERENCES counts(id),"
	"  item_id INTEGER NOT NULL REFERENCES items(id),"
	"  PRIMARY KEY (count_id, item_id)) WITHOUT ROWID;"
	"CREATE TABLE count_scans ("
	"  id INTEGER PRIMARY KEY,"
	"  count_id INTEGER NOT NULL REFERENCES counts(id),"
	"  item_id INTEGER NOT NULL REFERENCES items(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('add', 'set', 'undo')),"
	"  qty INTEGER NOT NULL CHECK (qty BETWEEN 0 AND 1000000000 AND (kind <> 'add' OR qty > 0)),"
	"  seq INTEGER CHECK ((kind = 'set') = (seq IS NOT NULL) AND (seq IS NULL OR seq >= 0)),"
	"  undoes INTEGER REFERENCES count_scans(id) CHECK ((kind = 'undo') = (undoes IS NOT NULL)),"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  recorded_at TEXT NOT NULL);"
	"CREATE TABLE count_ends ("
	"  count_id INTEGER PRIMARY KEY REFERENCES counts(id),"
	"  status TEXT NOT NULL CHECK (status IN ('posted', 'cancelled')),"
	"  batch_id INTEGER UNIQUE REFERENCES batches(id) CHECK (batch_id IS NULL OR status = 'posted'),"
	"  zero_uncounted INTEGER NOT NULL CHECK (zero_uncounted IN (0, 1)),"
	"  accept_moved INTEGER NOT NULL CHECK (accept_moved IN (0, 1)),"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  recorded_at TEXT NOT NULL);"
	SQLITE_COUNT_SCANS_ITEM ";" SQLITE_COUNT_SCANS_USER ";" SQLITE_COUNT_SCANS_UNDOES ";"
	SQLITE_COUNT_NO_UPDATE("counts") ";" SQLITE_COUNT_NO_DELETE("counts") ";"
	SQLITE_COUNT_NO_UPDATE("count_items") ";" SQLITE_COUNT_NO_DELETE("count_items") ";"
	SQLITE_COUNT_NO_UPDATE("count_scans") ";" SQLITE_COUNT_NO_DELETE("count_scans") ";"
	SQLITE_COUNT_NO_UPDATE("count_ends") ";" SQLITE_COUNT_NO_DELETE("count_ends") ";"
	SQLITE_COUNTS_APPEND_ONLY ";" SQLITE_COUNT_ITEMS_OPEN ";" SQLITE_COUNT_SCANS_OPEN ";"
	SQLITE_COUNT_ENDS_ONCE ";",
	/* 7: reports.  Items may carry a unit cost (ten-thousandths of the
	 * currency unit) and the day it took effect; item_costs is the cost
	 * history those make (derived from the item events, like the master
	 * tables).  report_items and report_days sum the ledger for reports
	 * by day, store, reason, user (and item), with a row's lines split by
	 * whether they are a reversed adjustment or a reversal (cancelled),
	 * and their value at the cost in force on their date.  All three are
	 * derived and verified; they have no foreign keys, which would cost
	 * a look-up per written row (the bulk loader writes as many summary
	 * rows as it posts lines).  Existing rows are summed here; no item
	 * has a cost yet, so every line is unvalued. */
	"ALTER TABLE items ADD COLUMN unit_cost INTEGER CHECK (unit_cost BETWEEN 0 AND 1000000000);"
	"ALTER TABLE items ADD COLUMN cost_from TEXT;"
	"CREATE TABLE item_costs ("
	"  item_id INTEGER NOT NULL,"
	"  effective TEXT NOT NULL,"
	"  unit_cost INTEGER CHECK (unit_cost BETWEEN 0 AND 1000000000),"
	"  PRIMARY KEY (item_id, effective)) WITHOUT ROWID;"
	SQLITE_REPORT_TABLE("report_items", "item_id INTEGER NOT NULL,", "item_id, ")
	SQLITE_REPORT_TABLE("report_days", "", "")
	"INSERT INTO report_items SELECT tdate, store_id, item_id, reason_id, user_id, cancelled,"
	"  count(*), sum(max(diff, 0)), sum(max(-diff, 0)), 0, count(*) FROM ("
	"  SELECT l.*, (l.reverses IS NOT NULL OR EXISTS (SELECT 1 FROM ledger x WHERE x.reverses = l.id))"
	"  AS cancelled FROM ledger l) GROUP BY 1, 2, 3, 4, 5, 6;"
	"INSERT INTO report_days SELECT tdate, store_id, reason_id, user_id, cancelled, sum(lines),"
	"  sum(added), sum(removed), sum(value), sum(unvalued) FROM report_items GROUP BY 1, 2, 3, 4, 5;",
	/* 8: History by item reads ledger_items (see its trigger above), not
	 * an index on the ledger */
	"DROP INDEX ledger_by_item;"
	"CREATE TABLE ledger_items ("
	"  item_id INTEGER NOT NULL,"
	"  id INTEGER NOT NULL,"
	"  PRIMARY KEY (item_id, id)) WITHOUT ROWID;"
	"INSERT INTO ledger_items(item_id, id) SELECT item_id, id FROM ledger ORDER BY item_id, id;"
	SQLITE_LEDGER_ITEMS_ADD ";" SQLITE_LEDGER_ITEMS_NO_UPDATE ";" SQLITE_LEDGER_ITEMS_NO_DELETE ";",
	/* 9: a server's ledger ids come from a sequence, for writers at
	 * different stores at once (pg_schema.c); a file lets one writer at a
	 * time, and numbers after the highest id as before: the number keeps
	 * both backends' versions one */
	"SELECT 1;",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/* A bulk load's two per-row triggers, set aside for its transaction:
 * the insert guard, which probes the ledger's highest id and the
 * chain's last place for every row (some 1.5 s of a million-row
 * upload), and ledger_items_add, whose rows the load writes itself in
 * key order (sqlite_bulk.c).  A bulk
 * transaction holds the write lock from BEGIN IMMEDIATE to its end, so
 * no other writer can insert meanwhile; invadj's own rows take their
 * places from what it read in the same transaction and are inserted
 * with OR FAIL (the unique indexes refuse a collision all the same, and
 * nothing can REPLACE); and both triggers are made again from the same
 * text before the commit: every other writer, before, after and at any
 * crash (a rollback makes them again), meets them as they were. */
iv_status sqlite_guard_set_aside(store *st)
{
	iv_status rc = sqlite_exec_sql(st, "DROP TRIGGER ledger_append_only; DROP TRIGGER ledger_items_add");
	st->guard_aside = rc == IV_OK;
	return rc;
}

iv_status sqlite_guard_restore(store *st)
{
	iv_status rc = sqlite_exec_sql(st, SQLITE_LEDGER_APPEND_ONLY ";" SQLITE_LEDGER_ITEMS_ADD);
	if (rc == IV_OK)
		st->guard_aside = false;
	return rc;
}

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

/* Runs migration v (to version v + 1) and the engine's part of it. */
static iv_status apply(store *st, int v, store_upgrade_fn upgrade)
{
	iv_status rc = sqlite_exec_sql(st, migrations[v]);
	if (rc == IV_OK && upgrade)
		rc = upgrade(st, v);
	if (rc == IV_OK) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		rc = sqlite_exec_sql(st, sql);
	}
	return rc;
}

iv_status sqlite_check_schema(store *st, const char *path)
{
	int v = user_version(st);
	if (v <= 0 || !has_ledger(st)) /* v < 0: not SQLite at all (or damaged) */
		return sqlite_failf(st, IV_E_STORAGE, STORE_NOT_INVADJ, path);
	if (v > NMIGRATIONS)
		return sqlite_failf(st, IV_E_STORAGE,
		                   "the database was made by a newer invadj (schema %d, this one knows %d)",
		                   v, NMIGRATIONS);
	if (v < NMIGRATIONS)
		return sqlite_failf(st, IV_E_STORAGE,
		                   "%s was made by an older invadj (schema %d, this one knows %d); a command "
		                   "that only reads does not upgrade it: run one that writes, or the "
		                   "screens, once",
		                   path, v, NMIGRATIONS);
	return IV_OK;
}

iv_status sqlite_migrate(store *st, store_upgrade_fn upgrade)
{
	int v = user_version(st);
	if (v < 0)
		return sqlite_fail(st, sqlite3_errcode(st->db), "reading the schema version");
	if (v > NMIGRATIONS)
		return sqlite_failf(st, IV_E_STORAGE,
		                   "the database was made by a newer invadj (schema %d, this one knows %d)",
		                   v, NMIGRATIONS);
	if (v == NMIGRATIONS)
		return IV_OK;
	/* A table is rebuilt by copy, drop and rename (migration 5): its
	 * foreign keys would see it missing in between.  The pragma is a
	 * no-op inside a transaction, so it is switched around it. */
	sqlite_exec_sql(st, "PRAGMA foreign_keys = OFF");
	iv_status rc = sqlite_begin(st, true);
	if (rc == IV_OK) {
		v = user_version(st); /* another terminal may have migrated meanwhile */
		if (v == 0 && !is_empty_file(st))
			rc = sqlite_failf(st, IV_E_STORAGE, "the file is an SQLite database but not an invadj one");
		for (; v < NMIGRATIONS && rc == IV_OK; v++)
			rc = apply(st, v, upgrade);
		if (rc == IV_OK)
			rc = sqlite_commit(st);
		else
			sqlite_rollback(st);
	}
	sqlite_exec_sql(st, "PRAGMA foreign_keys = ON");
	return rc;
}

iv_status sqlite_check_integrity(store *st)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sqlite_fail(st, rc, "checking integrity");
	iv_status status = IV_OK;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(s, 0);
		if (!r || strcmp(r, "ok") != 0)
			status = sqlite_failf(st, IV_E_CORRUPT, "SQLite integrity check failed: %s", r ? r : "?");
	} else {
		status = sqlite_fail(st, sqlite3_errcode(st->db), "checking integrity");
	}
	sqlite3_finalize(s);
	if (status != IV_OK)
		return status;
	/* Every required object, word for word, and no other trigger on the
	 * append-only tables. */
	sqlite3_stmt *q = sqlite_statement(st, Q_SCHEMA_OBJECTS);
	if (!q)
		return IV_E_STORAGE;
	bool found[sizeof required / sizeof required[0]] = {false};
	while (status == IV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(q, 0);
		const char *name = (const char *)sqlite3_column_text(q, 1);
		const char *table = (const char *)sqlite3_column_text(q, 2);
		const char *sql = (const char *)sqlite3_column_text(q, 3);
		bool known = false;
		for (size_t k = 0; k < sizeof required / sizeof required[0]; k++) {
			if (!name || strcmp(name, required[k].name) != 0)
				continue;
			known = true;
			if (type && strcmp(type, required[k].type) == 0 && table &&
			    strcmp(table, required[k].table) == 0 && sql && strcmp(sql, required[k].sql) == 0)
				found[k] = true;
		}
		if (!known && type && strcmp(type, "trigger") == 0)
			status = sqlite_failf(st, IV_E_CORRUPT,
			                     "the trigger %s on %s is not invadj's: the %s table takes no "
			                     "other triggers than its own",
			                     name ? name : "?", table ? table : "?", table ? table : "?");
	}
	iv_status ended = sqlite_end_rows(st, q, rc, "checking the schema");
	if (status != IV_OK || ended != IV_OK)
		return status != IV_OK ? status : ended;
	for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
		if (!found[k])
			return sqlite_failf(st, IV_E_CORRUPT,
			                   "the %s %s on %s is missing or altered (an append-only guarantee "
			                   "rests on it)",
			                   required[k].type, required[k].name, required[k].table);
	return IV_OK;
}
