/* The SQLite connection: opening, pragmas, transactions, statement
 * cache and the translation of SQLite's result codes into statuses. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/sqlite_internal.h"

/* How long a writer waits for another terminal's transaction before the
 * user is told; SQLite's busy handler sleeps and retries within it. */
#define BUSY_TIMEOUT_MS 5000
#define BEGIN_ATTEMPTS 12 /* one minute in all */

/* The write-ahead log is kept between processes, so that a save costs
 * one fsync, of the log, where opening a fresh log and checkpointing it
 * on close cost four more.  A new process reads the whole log back when
 * it opens the database (0.45 ms a MiB here), so the log is copied into
 * the database once it reaches 256 pages (1 MiB, some 85 single
 * adjustments): one checkpoint's fsyncs shared by all of them.  The
 * log's file keeps its size (up to WAL_KEEP_BYTES), as a save that
 * overwrites the log's earlier pages syncs in about half the time of
 * one that makes the file longer. */
#define WAL_CHECKPOINT_FRAMES 256
#define WAL_KEEP_BYTES "4194304"

iv_status sqlite_failf(store *st, iv_status status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->base.errmsg, sizeof st->base.errmsg, fmt, ap);
	va_end(ap);
	return status;
}

iv_status sqlite_fail(store *st, int rc, const char *doing)
{
	const char *detail = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
	int sys = st->db ? sqlite3_system_errno(st->db) : 0;
	/* A failed write is most often a full disk (or a file size limit);
	 * SQLite does not always keep the errno, so say what is likely. */
	if (rc == SQLITE_IOERR_WRITE || ((rc & 0xff) == SQLITE_IOERR &&
	                                 (sys == ENOSPC || sys == EFBIG || sys == EDQUOT)))
		rc = SQLITE_FULL;
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return sqlite_failf(st, IV_E_NOMEM, "out of memory while %s", doing);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return sqlite_failf(st, IV_E_STORAGE,
		                   "the database stayed busy (other terminals are writing) while %s; "
		                   "nothing was saved, try again", doing);
	case SQLITE_READONLY:
		return sqlite_failf(st, IV_E_STORAGE,
		                   "the database file is read-only for this user while %s; nothing was saved",
		                   doing);
	case SQLITE_FULL:
		return sqlite_failf(st, IV_E_STORAGE,
		                   "the database file could not be written (the disk may be full) "
		                   "while %s; nothing was saved", doing);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		return sqlite_failf(st, IV_E_STORAGE,
		                   "cannot read or write the database file while %s (%s); nothing was saved",
		                   doing, detail);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return sqlite_failf(st, IV_E_CORRUPT, "the database file is damaged or not a database (%s)",
		                   detail);
	case SQLITE_CONSTRAINT:
		return sqlite_failf(st, IV_E_REFUSED, "the database refused it while %s: %s", doing, detail);
	default:
		return sqlite_failf(st, IV_E_STORAGE, "database error while %s: %s", doing, detail);
	}
}

sqlite3_stmt *sqlite_statement(store *st, query q)
{
	sqlite3_stmt *s = st->stmts[q];
	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	int rc = sqlite3_prepare_v3(st->db, sqlite_sql[q], -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK) {
		sqlite_fail(st, rc, "preparing a query");
		return NULL;
	}
	st->stmts[q] = s;
	return s;
}

iv_status sqlite_step_done(store *st, sqlite3_stmt *s, const char *doing)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? IV_OK : sqlite_fail(st, rc, doing);
}

iv_status sqlite_end_rows(store *st, sqlite3_stmt *s, int rc, const char *doing)
{
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? IV_OK : sqlite_fail(st, rc, doing);
}

void sqlite_param_text(sqlite3_stmt *s, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

void sqlite_param_text_len(sqlite3_stmt *s, int i, const char *text, size_t len)
{
	sqlite3_bind_text(s, i, text, (int)len, SQLITE_STATIC);
}

void sqlite_param_id(sqlite3_stmt *s, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(s, i, id);
	else
		sqlite3_bind_null(s, i);
}

void sqlite_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(buf, n, "%s", t ? (const char *)t : "");
}

bool sqlite_text_exact(sqlite3_stmt *s, int i, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t bytes = (size_t)sqlite3_column_bytes(s, i);
	snprintf(buf, n, "%s", t ? (const char *)t : "");
	return bytes < n && strlen(buf) == bytes;
}

const char *sqlite_text_whole(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t bytes = (size_t)sqlite3_column_bytes(s, i);
	if (!t)
		return "";
	return strlen((const char *)t) == bytes ? (const char *)t : NULL;
}

void sqlite_hash(sqlite3_stmt *s, int i, unsigned char out[STORE_HASH_LEN])
{
	const void *h = sqlite3_column_blob(s, i);
	memset(out, 0, STORE_HASH_LEN);
	if (h && sqlite3_column_bytes(s, i) == STORE_HASH_LEN)
		memcpy(out, h, STORE_HASH_LEN);
}

iv_status sqlite_exec_sql(store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? IV_OK : sqlite_fail(st, rc, "setting up the database");
}

/* Creates the file owner-only before SQLite opens it: SQLite then gives
 * its -wal and -shm files the same permissions. */
static iv_status create_private(store *st, const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return sqlite_failf(st, IV_E_STORAGE, "cannot create the database %s: %s", path,
		                   strerror(errno));
	close(fd);
	return IV_OK;
}

/* After each commit (SQLite's WAL hook, in place of its automatic
 * checkpoint, which would copy the log but leave it full: the next
 * process would read it all back, and copy it all again).  The log is
 * copied and emptied only if no other terminal is reading an older
 * snapshot: it never waits for one (whatever it could copy is copied,
 * and the next commit tries again).  The commit has happened whatever
 * this does. */
static int checkpoint_when_long(void *ctx, sqlite3 *db, const char *name, int frames)
{
	store *st = ctx;
	st->log_copied = false;
	if (frames < WAL_CHECKPOINT_FRAMES)
		return SQLITE_OK;
	/* RESTART: the next commit writes the log from its start again. */
	int log = -1, copied = -2;
	sqlite3_busy_timeout(db, 0);
	int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, &log, &copied);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	st->log_copied = rc == SQLITE_OK && log == copied;
	return SQLITE_OK;
}

/* On close, after a checkpoint that copied the whole log with no commit
 * since: the next commit would start the log afresh, but a new process
 * (whose index of the log starts empty) would take the copied pages for
 * new ones, read them all back and copy them again.  So the log is
 * emptied now (no fsync: nothing is left to copy). */
static void empty_copied_log(store *st)
{
	if (!st->log_copied)
		return;
	sqlite3_busy_timeout(st->db, 0);
	sqlite3_wal_checkpoint_v2(st->db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

/* Opens a connection with the settings every one of ours has. */
static int open_connection(store *st, const char *path, int flags)
{
	/* A handle is used by one thread at a time (a front end's), so the
	 * per-call connection mutex is not needed. */
	int rc = sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, sqlite_vfs_name());
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	/* The last connection to close leaves the log as it is (see
	 * WAL_CHECKPOINT_FRAMES); checkpoints follow commits instead. */
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
	sqlite3_wal_hook(st->db, checkpoint_when_long, st);
	/* A size, not a check: a file that is no database says so later,
	 * where the database is first read. */
	sqlite3_exec(st->db, "PRAGMA journal_size_limit = " WAL_KEEP_BYTES, NULL, NULL, NULL);
	return SQLITE_OK;
}

iv_status sqlite_open(const char *path, iv_open_mode mode, store_upgrade_fn upgrade, store **out)
{
	store *st = calloc(1, sizeof *st);
	*out = st;
	if (!st)
		return IV_E_NOMEM;
	st->base.be = &sqlite_backend;
	bool create = mode == IV_OPEN_CREATE, read_only = mode == IV_OPEN_READONLY;
	if (read_only && access(path, F_OK) != 0)
		return sqlite_failf(st, IV_E_STORAGE, STORE_NOT_INVADJ, path);
	if (!create && access(path, F_OK) != 0)
		return sqlite_failf(st, IV_E_NOT_FOUND,
		                   "no database at %s; create one with `invadj init --admin NAME`", path);
	if (create) {
		iv_status rc = create_private(st, path);
		if (rc != IV_OK)
			return rc;
	}
	/* Statistics on SQLite's memory are not used, and keeping them takes a
	 * global mutex on every allocation; only possible before SQLite's
	 * first use in the process, and harmless to ask again. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	int rc = open_connection(st, path, read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
	if (rc != SQLITE_OK)
		return sqlite_fail(st, rc, "opening the database");
	if (read_only)
		return sqlite_check_schema(st, path);
	/* Only `init` makes a database of an empty file, as on a server:
	 * another command given one (a typo in INVADJ_DB, a file `touch`
	 * made) would leave a schema without users behind while failing to
	 * log in, and switching a stranger's SQLite file to WAL writes to it. */
	if (!create && sqlite_schema_version(st) <= 0)
		return sqlite_failf(st, IV_E_STORAGE, STORE_NOT_INVADJ, path);
	/* WAL lets terminals read while one writes; FULL makes each saved
	 * adjustment survive a power cut; foreign keys keep ids honest. */
	iv_status s = sqlite_exec_sql(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
	if (s != IV_OK)
		return s;
	if (!sqlite3_db_readonly(st->db, "main")) {
		s = sqlite_exec_sql(st, "PRAGMA journal_mode = WAL;");
		if (s != IV_OK)
			return s;
	}
	return sqlite_migrate(st, upgrade);
}

void sqlite_close(store *st)
{
	if (!st)
		return;
	sqlite_bulk_end(st);
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(st->stmts[i]);
	if (st->db) {
		empty_copied_log(st);
		sqlite3_close(st->db);
	}
	free(st);
}

void sqlite_bulk_mode(store *st, bool on)
{
	/* 10 MiB of page cache for a bulk load, the default 2 MiB otherwise:
	 * with the report summaries' sort at its end (sqlite_batch_lines), 20
	 * MiB took a 3,000,000-row upload past 64 MiB (73 MiB back-dated, 51
	 * with 10), for no time that could be told apart from the noise.
	 * Foreign-key checks cost five parent lookups per ledger row, almost
	 * half the time of a million-row upload; the loader takes every id
	 * from the master data it read in the same write transaction, so
	 * they cannot fail.  (The pragma is a no-op inside a transaction:
	 * callers switch before BEGIN and after COMMIT or ROLLBACK.) */
	sqlite_exec_sql(st, on ? "PRAGMA cache_size = -10000; PRAGMA foreign_keys = OFF"
	                  : "PRAGMA cache_size = -2000; PRAGMA foreign_keys = ON");
	st->bulk = on;
	if (!on)
		sqlite_bulk_end(st);
}

/* Every save after a relaxed transaction is durable again.  FULL can
 * only fail on a connection that is closing: the next statement fails
 * too. */
static void relaxed_end(store *st)
{
	if (st->relaxed)
		sqlite3_exec(st->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	st->relaxed = false;
}

/* A writer takes the write lock at once, BEGIN IMMEDIATE (a deferred
 * BEGIN would take it at its first write and could then fail, having
 * read state another writer changes), waiting the busy timeout each
 * attempt; a reader's plain BEGIN reads one snapshot of the write-ahead
 * log and holds no writer up. */
iv_status sqlite_begin(store *st, bool write)
{
	int rc = SQLITE_BUSY;
	for (int attempt = 0; attempt < BEGIN_ATTEMPTS; attempt++) {
		rc = sqlite3_exec(st->db, write ? "BEGIN IMMEDIATE" : "BEGIN", NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
	}
	if (rc != SQLITE_OK)
		return sqlite_fail(st, rc, "starting a transaction");
	st->in_txn = true;
	if (write && st->bulk) {
		iv_status s = sqlite_bulk_start(st);
		if (s != IV_OK) {
			sqlite_rollback(st);
			return s;
		}
	}
	return IV_OK;
}

/* synchronous=NORMAL: the commit writes the log but does not sync it.
 * It cannot be set inside a transaction: it is set before BEGIN and
 * FULL again after the COMMIT or ROLLBACK (relaxed_end). */
iv_status sqlite_begin_relaxed(store *st)
{
	int rc = sqlite3_exec(st->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sqlite_fail(st, rc, "starting a transaction");
	st->relaxed = true;
	iv_status s = sqlite_begin(st, true);
	if (s != IV_OK)
		relaxed_end(st);
	return s;
}

/* A file has no round trips to save: nothing is noted or sent ahead. */
void sqlite_read_ahead_note(store *st, bool on)
{
	(void)st, (void)on;
}

iv_status sqlite_read_ahead_send(store *st, size_t nrows)
{
	(void)st, (void)nrows;
	return IV_OK;
}

/* BEGIN IMMEDIATE lets one writer at a time: there is nothing more to
 * lock per store or for the events. */
iv_status sqlite_lock_stores(store *st, const int64_t *store_ids, size_t n)
{
	(void)st, (void)store_ids, (void)n;
	return IV_OK;
}

iv_status sqlite_lock_events(store *st)
{
	(void)st;
	return IV_OK;
}

bool sqlite_locks_per_store(store *st)
{
	(void)st;
	return false;
}

iv_status sqlite_commit(store *st)
{
	if (st->guard_aside) {
		iv_status s = sqlite_bulk_finish(st);
		if (s != IV_OK) {
			sqlite_rollback(st);
			return s;
		}
	}
	int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		iv_status s = sqlite_fail(st, rc, "saving");
		sqlite_rollback(st);
		return s;
	}
	st->in_txn = false;
	relaxed_end(st);
	return IV_OK;
}

void sqlite_rollback(store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_txn = false;
	relaxed_end(st);
	st->guard_aside = false; /* the rollback made them again */
	st->nitem_rows = 0;
}

/* ---- the append-only triggers, tried ---- */

/* Writes a forger would try, each on the probe rows (the newest ledger
 * row and event, or rows the probe adds first when a table is empty),
 * in a transaction that is always rolled back.  Each must fail. */
static const struct {
	const char *what, *sql;
} attempts[] = {
	{"an UPDATE of a ledger row", "UPDATE ledger SET memo = memo WHERE id = (SELECT max(id) FROM ledger)"},
	{"a DELETE of a ledger row", "DELETE FROM ledger WHERE id = (SELECT max(id) FROM ledger)"},
	{"an INSERT OR REPLACE of a ledger row",
	 "INSERT OR REPLACE INTO ledger SELECT * FROM ledger WHERE id = (SELECT max(id) FROM ledger)"},
	{"an upsert over a ledger row",
	 "INSERT INTO ledger SELECT * FROM ledger WHERE id = (SELECT max(id) FROM ledger) "
	 "ON CONFLICT(id) DO UPDATE SET memo = 'probe'"},
	{"an UPDATE of an event", "UPDATE events SET state = state WHERE id = (SELECT max(id) FROM events)"},
	{"a DELETE of an event", "DELETE FROM events WHERE id = (SELECT max(id) FROM events)"},
	{"an INSERT OR REPLACE of an event",
	 "INSERT OR REPLACE INTO events SELECT * FROM events WHERE id = (SELECT max(id) FROM events)"},
	{"an UPDATE of a count", "UPDATE counts SET memo = memo WHERE id = (SELECT max(id) FROM counts)"},
	{"a DELETE of a count", "DELETE FROM counts WHERE id = (SELECT max(id) FROM counts)"},
	{"an INSERT OR REPLACE of a count",
	 "INSERT OR REPLACE INTO counts SELECT * FROM counts WHERE id = (SELECT max(id) FROM counts)"},
	{"an UPDATE of a count's scan",
	 "UPDATE count_scans SET qty = qty WHERE id = (SELECT max(id) FROM count_scans)"},
	{"a DELETE of a count's scan", "DELETE FROM count_scans WHERE id = (SELECT max(id) FROM count_scans)"},
	{"an INSERT OR REPLACE of a count's scan",
	 "INSERT OR REPLACE INTO count_scans SELECT * FROM count_scans "
	 "WHERE id = (SELECT max(id) FROM count_scans)"},
	{"an UPDATE of a count's list", "UPDATE count_items SET item_id = item_id"},
	{"a DELETE from a count's list", "DELETE FROM count_items"},
	{"an UPDATE of a count's end", "UPDATE count_ends SET status = status"},
	{"a DELETE of a count's end", "DELETE FROM count_ends"},
	{"an INSERT OR REPLACE of a count's end",
	 "INSERT OR REPLACE INTO count_ends SELECT * FROM count_ends "
	 "WHERE count_id = (SELECT max(count_id) FROM count_ends)"},
	{"a scan added to a count that ended",
	 "INSERT INTO count_scans(id, count_id, item_id, kind, qty, user_id, recorded_at) "
	 "SELECT (SELECT max(id) FROM count_scans) + 1, count_id, 1, 'add', 1, 1, 'probe' FROM count_ends "
	 "ORDER BY count_id DESC LIMIT 1"},
};

/* Rows to try the writes on when a table has none yet (a new file):
 * inserted in the same rolled-back transaction.  Foreign keys are off
 * on the probe's connection, so the ids need not exist. */
static const char probe_rows[] =
	"INSERT INTO ledger(id, document, store_id, item_id, reason_id, diff, tdate, recorded_at, "
	"user_id, memo, hash, seq, item_number, hash_version) SELECT 1, 1, 1, 1, 1, 1, '2000-01-01', "
	"'2000-01-01T00:00:00.000Z', 1, 'probe', zeroblob(32), 1, 'probe', 2 "
	"WHERE NOT EXISTS (SELECT 1 FROM ledger);"
	"INSERT INTO events(id, seq, kind, entity_id, entity_key, action, state, recorded_at, user_id, "
	"hash_version, hash) SELECT 1, 1, 'checkpoint', 0, '', 'add', '', "
	"'2000-01-01T00:00:00.000Z', 1, 2, zeroblob(32) WHERE NOT EXISTS (SELECT 1 FROM events);"
	"INSERT INTO counts(id, store_id, blind, scope, memo, user_id, started_at, count_day, start_seq) "
	"SELECT (SELECT coalesce(max(id), 0) + 1 FROM counts), 1, 0, 'scanned', 'probe', 1, 'probe', "
	"'2000-01-01', 0;"
	"INSERT INTO count_items(count_id, item_id) SELECT max(id), 1 FROM counts;"
	"INSERT INTO count_scans(id, count_id, item_id, kind, qty, user_id, recorded_at) "
	"SELECT (SELECT coalesce(max(id), 0) + 1 FROM count_scans), (SELECT max(id) FROM counts), 1, "
	"'add', 1, 1, 'probe';"
	"INSERT INTO count_ends(count_id, status, zero_uncounted, accept_moved, user_id, recorded_at) "
	"SELECT max(id), 'cancelled', 0, 0, 1, 'probe' FROM counts;";

iv_status sqlite_check_triggers(store *st)
{
	const char *path = sqlite3_db_filename(st->db, "main");
	sqlite3 *probe = NULL;
	/* Its own connection, read-write, never creating, never migrating:
	 * verify's snapshot stays as it is. */
	int rc = sqlite3_open_v2(path ? path : "", &probe, SQLITE_OPEN_READWRITE, sqlite_vfs_name());
	if (rc == SQLITE_OK)
		sqlite3_busy_timeout(probe, BUSY_TIMEOUT_MS);
	for (int attempt = 0; rc == SQLITE_OK && attempt < BEGIN_ATTEMPTS; attempt++) {
		rc = sqlite3_exec(probe, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		rc = attempt + 1 < BEGIN_ATTEMPTS ? SQLITE_OK : rc;
	}
	if (rc != SQLITE_OK) {
		iv_status status = sqlite_failf(st, IV_E_STORAGE,
		                               "the triggers could not be tried: the database file cannot "
		                               "be opened for writing (%s)",
		                               probe ? sqlite3_errmsg(probe) : sqlite3_errstr(rc));
		sqlite3_close(probe);
		return status;
	}
	iv_status status = IV_OK;
	if (sqlite3_exec(probe, probe_rows, NULL, NULL, NULL) != SQLITE_OK)
		status = sqlite_failf(st, IV_E_STORAGE, "the triggers could not be tried: %s",
		                     sqlite3_errmsg(probe));
	for (size_t k = 0; status == IV_OK && k < sizeof attempts / sizeof attempts[0]; k++) {
		/* A savepoint per attempt: one that fails leaves the next a
		 * clean transaction, one that succeeds is the fault. */
		sqlite3_exec(probe, "SAVEPOINT attempt", NULL, NULL, NULL);
		if (sqlite3_exec(probe, attempts[k].sql, NULL, NULL, NULL) == SQLITE_OK &&
		    sqlite3_changes(probe) > 0)
			status = sqlite_failf(st, IV_E_CORRUPT,
			                     "the append-only triggers let %s through (tried, and rolled "
			                     "back): a trigger was dropped or altered",
			                     attempts[k].what);
		sqlite3_exec(probe, "ROLLBACK TO attempt", NULL, NULL, NULL);
	}
	sqlite3_exec(probe, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(probe);
	return status;
}

/* The copy is made in a private folder (mkdtemp: 0700, the caller's)
 * beside the target, where nobody can plant a symlink for SQLite or its
 * journal to write through, and then linked to its name, which fails if
 * that name exists in any form: the target is never written through or
 * over, and appears only once complete. */
iv_status sqlite_backup(store *st, const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return sqlite_failf(st, IV_E_CONFLICT,
		                   "Backup file: %s exists; invadj never writes over a file, name a new one",
		                   path);
	char dir[4200], copy[4300];
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path + 1) : 0;
	snprintf(dir, sizeof dir, "%.*s.invadj-backup-XXXXXX", dir_len, path);
	if (!mkdtemp(dir))
		return sqlite_failf(st, IV_E_IO, "Backup file: cannot create %s: %s", path, strerror(errno));
	snprintf(copy, sizeof copy, "%s/copy.db", dir);
	sqlite3 *dest = NULL;
	int rc = sqlite3_open_v2(copy, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
	                         NULL);
	if (rc == SQLITE_OK) {
		/* One step copies every page under one read snapshot: in WAL mode
		 * writers go on meanwhile and the copy is consistent. */
		sqlite3_backup *b = sqlite3_backup_init(dest, "main", st->db, "main");
		if (b) {
			do
				rc = sqlite3_backup_step(b, -1);
			while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
			sqlite3_backup_finish(b);
			rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		} else {
			rc = sqlite3_errcode(dest);
		}
	}
	sqlite3_close(dest);
	iv_status status = IV_OK;
	if (rc != SQLITE_OK)
		status = sqlite_failf(st, IV_E_IO, "Backup file: copying into %s failed: %s", path,
		                     sqlite3_errstr(rc));
	else if (chmod(copy, 0600) != 0 || link(copy, path) != 0)
		status = sqlite_failf(st, errno == EEXIST ? IV_E_CONFLICT : IV_E_IO,
		                     "Backup file: cannot create %s: %s", path, strerror(errno));
	/* The folder holds the copy and whatever SQLite left beside it. */
	char leftover[4400];
	static const char *const names[] = {"copy.db", "copy.db-journal", "copy.db-wal", "copy.db-shm"};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		snprintf(leftover, sizeof leftover, "%s/%s", dir, names[k]);
		unlink(leftover);
	}
	rmdir(dir);
	return status;
}

iv_status sqlite_open_reader(store *st, store **out)
{
	store *rd = calloc(1, sizeof *rd);
	*out = rd;
	if (!rd)
		return sqlite_failf(st, IV_E_NOMEM, "out of memory");
	rd->base.be = &sqlite_backend;
	const char *path = sqlite3_db_filename(st->db, "main");
	int rc = open_connection(rd, path ? path : "", SQLITE_OPEN_READONLY);
	if (rc != SQLITE_OK)
		return sqlite_fail(rd, rc, "opening a second connection");
	return sqlite_begin(rd, false) == IV_OK ? IV_OK : sqlite_fail(rd, sqlite3_errcode(rd->db), "reading");
}

const store_backend sqlite_backend = {
	.kind = "SQLite",
	STORE_FUNCS(STORE_ENTRY_sqlite, STORE_ENTRY_VOID_sqlite)
};
