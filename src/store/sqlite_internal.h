/* Shared by the SQLite backend's files only. */
#ifndef INVADJ_SQLITE_INTERNAL_H
#define INVADJ_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "store/backend.h"

#include "store/store.h"

/* Every statement the backend prepares; their text is in sqlite_sql.c. */
typedef enum query {
	Q_STORE_FIND,
	Q_STORE_UPSERT,
	Q_STORE_EACH,
	Q_ITEM_FIND_ANY,
	Q_ITEM_FIND_NUMBER,
	Q_ITEM_FIND_UPC,
	Q_ITEM_FIND_BARCODE,
	Q_ITEM_FIND_ALT1,
	Q_ITEM_FIND_ALT2,
	Q_ITEM_FIND_ALT3,
	Q_ITEM_UPSERT,
	Q_ITEM_EACH,
	Q_ITEM_SEARCH,
	Q_ITEM_UNFOLDED,
	Q_ITEM_SET_KEY,
	Q_ITEM_PAGE,
	Q_ITEM_PAGE_BACK,
	Q_ITEM_COUNT,
	Q_STOCK_PAGE,
	Q_STOCK_PAGE_BACK,
	Q_STOCK_COUNT,
	Q_REASON_FIND,
	Q_REASON_UPSERT,
	Q_REASON_EACH,
	Q_USER_FIND,
	Q_USER_INSERT,
	Q_LOGIN_GET,
	Q_LOGIN_SET,
	Q_LOGIN_CLEAR,
	Q_USER_COUNT,
	Q_USER_ADMINS,
	Q_USER_SET_PIN,
	Q_USER_DISABLE,
	Q_USER_ENABLE,
	Q_USER_SET_ROLE,
	Q_USER_EACH,
	Q_USER_ID_ANY_CASE,
	Q_LEDGER_LAST_ID,
	Q_CHAIN_HEAD,
	Q_CHAIN_ROW,
	Q_CHAIN_HEADS,
	Q_LEDGER_INSERT,
	Q_LEDGER_INSERT_MANY,
	Q_LEDGER_ITEMS_INSERT,
	Q_LEDGER_ITEMS_INSERT_MANY,
	Q_LEDGER_ITEMS_EACH,
	Q_LEDGER_GET,
	Q_LEDGER_REVERSED_BY,
	Q_LEDGER_AUDIT,
	Q_LEDGER_BY_PAIR,
	Q_LEDGER_EACH_IN_BATCH,
	/* STORE_HIST_DRIVES x STORE_HIST_KINDS statements, drive-major */
	Q_HISTORY,
	Q_HISTORY_LAST = Q_HISTORY + STORE_HIST_DRIVES * STORE_HIST_KINDS - 1,
	Q_BALANCE_GET,
	Q_BALANCE_ADD,
	Q_DAY_ADD,
	Q_BALANCE_ADD_MANY,
	Q_DAY_ADD_MANY,
	Q_USER_DAY_ADD_MANY,
	Q_BALANCE_ASOF,
	Q_DAYS_AFTER,
	Q_STOCK_AFTER,
	/* Balances by which filters are given, so that each uses its index:
	 * the statement is Q_BALANCES (or Q_BALANCES_ASOF) + BALANCES_SHAPE. */
	Q_BALANCES,
	Q_BALANCES_OF_STORE,
	Q_BALANCES_OF_ITEM,
	Q_BALANCES_OF_PAIR,
	Q_BALANCES_ASOF,
	Q_BALANCES_ASOF_OF_STORE,
	Q_BALANCES_ASOF_OF_ITEM,
	Q_BALANCES_ASOF_OF_PAIR,
	Q_USER_DAY_GET,
	Q_USER_DAY_ADD,
	Q_PAIR_SUMS,
	Q_BATCH_INSERT,
	Q_BATCH_FINISH,
	Q_BATCH_FIND_SHA,
	Q_BATCH_GET,
	Q_BATCH_FINISH_UPLOAD,
	Q_EVENT_HEAD,
	Q_EVENT_AT,
	Q_EVENT_INSERT,
	Q_EVENTS_EACH,
	Q_SCHEMA_OBJECTS,
	Q_COUNT_INSERT,
	Q_COUNT_GET,
	Q_COUNT_GET_TALLIED,
	Q_COUNT_EACH,
	Q_COUNT_EACH_POSTED,
	Q_COUNT_ITEM_ADD,
	Q_COUNT_IN_LIST,
	Q_COUNT_SCAN_INSERT,
	Q_COUNT_SCANS_OF_ITEM,
	Q_COUNT_SCANS_ALL,
	Q_COUNT_LAST_SCAN,
	Q_COUNT_LIST_ITEMS,
	Q_COUNT_STOCK,
	Q_COUNT_END_INSERT,
	Q_CHAIN_SUMS,
	Q_ITEM_MOVED_AFTER,
	Q_ITEM_COST_GET,
	Q_ITEM_COST_SET,
	Q_COST_HISTORY_PUT,
	Q_COST_AT,
	Q_REPORT_ADD_ITEMS,
	Q_REPORT_ADD_DAYS,
	Q_REPORT_ADD_ITEMS_MANY,
	Q_REPORT_ADD_DAYS_MANY,
	Q_REPORT_DAYS,
	Q_REPORT_ITEMS,
	Q_REPORT_ITEMS_OF_ITEM,
	Q_REPORT_AUDIT_ITEMS,
	Q_REPORT_AUDIT_DAYS,
	Q_BATCH_LINES,
	Q_COUNT
} query;

extern const char *const store_sql[Q_COUNT];

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
sqlite3_stmt *store_stmt(store *st, query q);

/* Turns a SQLite result code into a status and a sentence. */
iv_status store_fail(store *st, int rc, const char *doing);
iv_status store_failf(store *st, iv_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Runs a statement that returns no rows, and resets it. */
iv_status store_step_done(store *st, sqlite3_stmt *s, const char *doing);
/* Resets a statement after its rows; rc is the last sqlite3_step's. */
iv_status store_end_rows(store *st, sqlite3_stmt *s, int rc, const char *doing);

/* Binding helpers: NULL text or 0 id bind SQL NULL. */
void bind_text(sqlite3_stmt *s, int i, const char *text);
/* Text whose length is known (no strlen in SQLite). */
void bind_text_len(sqlite3_stmt *s, int i, const char *text, size_t len);
void bind_id(sqlite3_stmt *s, int i, int64_t id);
/* Copies column i as text into buf (size n), "" for NULL. */
void column_text(sqlite3_stmt *s, int i, char *buf, size_t n);
/* Steps a count(*) statement: its one number. */
iv_status sqlite_one_count(store *st, sqlite3_stmt *s, uint64_t *n, const char *doing);
/* A folded search bound as a LIKE "contains" pattern in buf (NULL when none). */
void bind_folded(sqlite3_stmt *s, int i, const char *folded, char *buf, size_t size);

/* Runs statements that return no rows (schema, pragmas). */
iv_status store_exec(store *st, const char *sql);

/* The VFS every connection opens with (sqlite_vfs.c: SQLite's own, but
 * a write-ahead log that exists is opened without the create flag);
 * NULL, SQLite's default, if it could not be registered. */
const char *sqlite_vfs_name(void);

/* Schema migrations (sqlite_schema.c). */
iv_status store_migrate(store *st, store_upgrade_fn upgrade);
/* A bulk transaction's per-row triggers (sqlite_schema.c): set aside
 * after BEGIN, made again word for word before COMMIT. */
iv_status sqlite_guard_set_aside(store *st);
iv_status sqlite_guard_restore(store *st);
/* For a read-only open: refuses (STORE_NOT_INVADJ, or older/newer
 * schema) anything but an invadj database of this very schema. */
iv_status store_check_schema(store *st, const char *path);

/* Reads a text column into buf (size n) and tells whether it fitted
 * whole: false when it was longer or held a NUL byte (see
 * store_ledger_rec.overlong). */
bool column_text_exact(sqlite3_stmt *s, int i, char *buf, size_t n);
/* A text column as stored, or NULL when it holds a NUL byte. */
const char *column_text_whole(sqlite3_stmt *s, int i);
/* Copies a 32-byte hash column (all zero when it is not 32 bytes). */
void column_hash(sqlite3_stmt *s, int i, unsigned char out[STORE_HASH_LEN]);

/* The backend's functions, sqlite_<name> for each store_<name>. */
STORE_FUNCS(STORE_DECL_sqlite, STORE_DECL_VOID_sqlite)

#endif
