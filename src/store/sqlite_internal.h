/* Shared by the SQLite backend's files only. */
#ifndef INVADJ_SQLITE_INTERNAL_H
#define INVADJ_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "store/backend.h"
#include "store/store_queries.h"

#include "store/store.h"

/* Every statement the backend prepares, Q_<name>: those both backends
 * run (store_queries.h), then SQLite's own; their text is in
 * sqlite_sql.c. */
#define SQLITE_QUERY(name) Q_##name,
#define SQLITE_QUERY_RUN(name, n) Q_##name, Q_##name##_LAST = Q_##name + (n) - 1,
typedef enum query {
	STORE_QUERIES(SQLITE_QUERY, SQLITE_QUERY_RUN)
	Q_LEDGER_INSERT_MANY,
	Q_LEDGER_ITEMS_INSERT,
	Q_LEDGER_ITEMS_INSERT_MANY,
	Q_LEDGER_ITEMS_EACH,
	Q_LEDGER_AUDIT,
	Q_LEDGER_BY_PAIR,
	Q_LEDGER_EACH_IN_BATCH,
	Q_SCHEMA_OBJECTS,
	Q_REPORT_ADD_ITEMS_MANY,
	Q_REPORT_ADD_DAYS_MANY,
	Q_COUNT
} query;
#undef SQLITE_QUERY
#undef SQLITE_QUERY_RUN

extern const char *const sqlite_sql[Q_COUNT];

typedef struct sqlite_item_row sqlite_item_row;

/* The SQLite backend's handle: the header first, as every backend's. */
struct store {
	store_common base;
	sqlite3 *db;
	sqlite3_stmt *stmts[Q_COUNT];
	bool in_txn;
	bool relaxed; /* synchronous=NORMAL for this transaction (sqlite_begin_relaxed) */
	bool log_copied; /* the log was copied whole after our last commit */
	bool bulk;       /* store_bulk_mode */
	bool guard_aside; /* this bulk transaction set the per-row triggers aside */
	sqlite_item_row *item_rows; /* its rows by item not yet written (sqlite_bulk.c) */
	size_t nitem_rows;
	bool items_costed; /* the schema was seen to have items' unit costs (sqlite_copy.c) */
};

/* Rows the bulk statements Q_LEDGER_INSERT_MANY and
 * Q_LEDGER_ITEMS_INSERT_MANY insert at once. */
#define SQLITE_LEDGER_ROWS_PER_INSERT 16
#define SQLITE_ITEM_ROWS_PER_INSERT 64
#define SQLITE_SUMS_PER_INSERT 16

/* A bulk write transaction (sqlite_bulk.c): started after BEGIN,
 * finished before COMMIT; every ledger row it inserts is noted; ended
 * (its memory freed) when bulk mode is switched off. */
iv_status sqlite_bulk_start(store *st);
iv_status sqlite_bulk_note(store *st, int64_t item_id, int64_t id);
iv_status sqlite_bulk_finish(store *st);
void sqlite_bulk_end(store *st);

/* The prepared statement for q, reset and unbound; NULL (with the
 * message set) when it cannot be prepared. */
sqlite3_stmt *sqlite_statement(store *st, query q);

/* Turns a SQLite result code into a status and a sentence. */
iv_status sqlite_fail(store *st, int rc, const char *doing);
iv_status sqlite_failf(store *st, iv_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Runs a statement that returns no rows, and resets it. */
iv_status sqlite_step_done(store *st, sqlite3_stmt *s, const char *doing);
/* Resets a statement after its rows; rc is the last sqlite3_step's. */
iv_status sqlite_end_rows(store *st, sqlite3_stmt *s, int rc, const char *doing);

/* Binding helpers: NULL text or 0 id bind SQL NULL. */
void sqlite_param_text(sqlite3_stmt *s, int i, const char *text);
/* Text whose length is known (no strlen in SQLite). */
void sqlite_param_text_len(sqlite3_stmt *s, int i, const char *text, size_t len);
void sqlite_param_id(sqlite3_stmt *s, int i, int64_t id);
/* Copies column i as text into buf (size n), "" for NULL. */
void sqlite_text(sqlite3_stmt *s, int i, char *buf, size_t n);
/* Steps a count(*) statement: its one number. */
iv_status sqlite_one_count(store *st, sqlite3_stmt *s, uint64_t *n, const char *doing);
/* A folded search bound as a LIKE "contains" pattern in buf (NULL when none). */
void sqlite_param_folded(sqlite3_stmt *s, int i, const char *folded, char *buf, size_t size);

/* Runs statements that return no rows (schema, pragmas). */
iv_status sqlite_exec_sql(store *st, const char *sql);

/* The VFS every connection opens with (sqlite_vfs.c: SQLite's own, but
 * a write-ahead log that exists is opened without the create flag);
 * NULL, SQLite's default, if it could not be registered. */
const char *sqlite_vfs_name(void);

/* Schema migrations (sqlite_schema.c). */
iv_status sqlite_migrate(store *st, store_upgrade_fn upgrade);
/* A bulk transaction's per-row triggers (sqlite_schema.c): set aside
 * after BEGIN, made again word for word before COMMIT. */
iv_status sqlite_guard_set_aside(store *st);
iv_status sqlite_guard_restore(store *st);
/* For a read-only open: refuses (STORE_NOT_INVADJ, or older/newer
 * schema) anything but an invadj database of this very schema. */
iv_status sqlite_check_schema(store *st, const char *path);

/* Reads a text column into buf (size n) and tells whether it fitted
 * whole: false when it was longer or held a NUL byte (see
 * store_ledger_rec.overlong). */
bool sqlite_text_exact(sqlite3_stmt *s, int i, char *buf, size_t n);
/* A text column as stored, or NULL when it holds a NUL byte. */
const char *sqlite_text_whole(sqlite3_stmt *s, int i);
/* Copies a 32-byte hash column (all zero when it is not 32 bytes). */
void sqlite_hash(sqlite3_stmt *s, int i, unsigned char out[STORE_HASH_LEN]);

/* The backend's functions, sqlite_<name> for each store_<name>. */
STORE_FUNCS(STORE_DECL_sqlite, STORE_DECL_VOID_sqlite)

#endif
