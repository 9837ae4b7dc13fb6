/* Shared by the PostgreSQL backend's files only (pg_*.c). */
#ifndef INVADJ_PG_INTERNAL_H
#define INVADJ_PG_INTERNAL_H

#include <libpq-fe.h>

#include "invadj/hmap.h"
#include "store/pg_backend.h"
#include "store/store_queries.h"

/* Every statement the backend prepares, PQ_<name>: those both backends
 * run (store_queries.h), then PostgreSQL's own; their text is in
 * pg_sql.c.  The balances' statements (PQ_BALANCES...) take their
 * parameters in the order store, item, as-of, only those given.
 * PQ_REPORT_DAYS, _ITEMS, _ITEMS_OF_ITEM, _AUDIT_ITEMS, _AUDIT_DAYS and
 * PQ_BATCH_LINES are read through a cursor (pg_report.c): their text,
 * never prepared. */
#define PG_QUERY(name) PQ_##name,
#define PG_QUERY_RUN(name, n) PQ_##name, PQ_##name##_LAST = PQ_##name + (n) - 1,
typedef enum pg_query {
	STORE_QUERIES(PG_QUERY, PG_QUERY_RUN)
	PQ_LOGIN_MAY_UNLOCK,
	/* per-store writing (pg_lock.c) */
	PQ_LOCK_STORES,
	PQ_LOCK_EVENTS,
	PQ_LEDGER_IDS,
	PQ_LEDGER_AUDIT_PAGE,
	PQ_LEDGER_PAGE_IN_BATCH,
	PQ_BALANCE_ALL,
	PQ_TABLE_COUNT_STORES,
	PQ_TABLE_COUNT_ITEMS,
	PQ_TABLE_COUNT_REASONS,
	PQ_TABLE_COUNT_USERS,
	PQ_TABLE_COUNT_BATCHES,
	PQ_TABLE_COUNT_EVENTS,
	PQ_TABLE_COUNT_LEDGER,
	PQ_TABLE_COUNT_BALANCES,
	PQ_TABLE_COUNT_DAY_TOTALS,
	PQ_TABLE_COUNT_USER_DAYS,
	PQ_TABLE_COUNT_COUNTS,
	PQ_TABLE_COUNT_COUNT_ITEMS,
	PQ_TABLE_COUNT_COUNT_SCANS,
	PQ_TABLE_COUNT_COUNT_ENDS,
	PQ_TABLE_EACH_STORES,
	PQ_TABLE_EACH_ITEMS,
	PQ_TABLE_EACH_REASONS,
	PQ_TABLE_EACH_USERS,
	PQ_TABLE_EACH_BATCHES,
	PQ_TABLE_PAGE_EVENTS,
	PQ_TABLE_PAGE_LEDGER,
	PQ_TABLE_EACH_BALANCES,
	PQ_TABLE_EACH_DAY_TOTALS,
	PQ_TABLE_EACH_USER_DAYS,
	PQ_TABLE_EACH_COUNTS,
	PQ_TABLE_EACH_COUNT_ITEMS,
	PQ_TABLE_PAGE_COUNT_SCANS,
	PQ_TABLE_EACH_COUNT_ENDS,
	PQ_ROW_STORES,
	PQ_ROW_ITEMS,
	PQ_ROW_REASONS,
	PQ_ROW_USERS,
	PQ_ROW_BATCHES,
	PQ_COPY_FINISH,
	PQ_NOW_MS,
	PQ_ZONE_OFFSET,
	PQ_SCHEMA_VERSION,
	PQ_SCHEMA_VERSION_READ,
	PQ_TRIGGERS,
	PQ_MISSING_OBJECTS,
	PQ_LEDGER_BAD_REF,
	PQ_SETUP_EXISTS,
	PQ_SETUP_READ,
	PQ_ROLE_CREATE,
	PQ_ROLE_ALTER,
	PQ_ROLE_EXISTS,
	PQ_ROLE_REVOKE,
	PQ_ROLES_START,
	PQ_APPROVAL_SIGN,
	PQ_CHECK_SECRETS,
	PQ_CHECK_APPROVALS,
	PQ_CHECK_ROLES,
	PQ_REPORT_ADD_ITEMS_MANY,
	PQ_REPORT_ADD_DAYS_MANY,
	PQ_REPORT_REVALUE_ITEMS,
	PQ_REPORT_REVALUE_DAYS,
	PQ_TABLE_COUNT_ITEM_COSTS,
	PQ_TABLE_COUNT_REPORT_ITEMS,
	PQ_TABLE_COUNT_REPORT_DAYS,
	PQ_TABLE_EACH_ITEM_COSTS,
	PQ_TABLE_EACH_REPORT_ITEMS,
	PQ_TABLE_EACH_REPORT_DAYS,
	PQ_TABLE_EACH_ITEMS_5, /* items before schema 7 (while migrating to 5) */
	PQ_ROW_ITEMS_5,
	PQ_COUNT
} pg_query;
#undef PG_QUERY
#undef PG_QUERY_RUN

extern const char *const pg_sql[PQ_COUNT];

/* Rows fetched per round trip when walking a large table (verify). */
#define PG_PAGE_ROWS 10000

/* A growing text buffer (deferred bulk writes). */
typedef struct pg_buf {
	char *buf;
	size_t len, cap;
} pg_buf;

typedef struct pg_store {
	store_common base;
	PGconn *conn;
	bool prepared[PQ_COUNT];
	bool in_txn;
	bool read_only; /* the open transaction is a READ ONLY snapshot */
	bool session_read_only; /* opened IV_OPEN_READONLY: every transaction is */
	bool bulk;
	/* A write transaction that is not bulk sends its statements in
	 * libpq's pipeline mode (pg_conn.c): those whose answers the caller
	 * does not read go without waiting, and pending lists what was sent
	 * and not yet answered, in order, with what each was doing (for its
	 * message) and the query being prepared (-1: a statement run). */
	bool pipelined;
	struct pg_pending {
		int preparing;
		int ahead; /* its place among the statements sent ahead, -1: not one */
		char doing[160];
	} *pending;
	size_t npending, pending_cap;
	/* The first failure the pipeline answered (IV_OK: none), its sentence
	 * in base.errmsg: the rest of the transaction reports it, not the
	 * server's refusal of every later statement. */
	iv_status pipe_failed;
	/* A save's reads sent ahead with its BEGIN (pg_ahead.c): noted
	 * while its preview runs, then sent; those before ahead_barrier can
	 * no longer be taken. */
	struct pg_ahead *ahead;
	size_t nahead, ahead_cap, ahead_barrier;
	bool noting;
	bool ahead_sent;
	bool items_costed; /* the schema was seen to have items' unit costs (pg_bulk.c) */
	char *path;     /* the URI it was opened with, for store_open_reader */
	/* How it was opened: what connecting checks (the schema, or that it
	 * is current) and migrates.  A handle connects when first used, or
	 * when a person logs in (pg_connect_as): the login screen comes
	 * before any connection, and a terminal needs no credential of its
	 * own (docs/deployment.md). */
	iv_open_mode mode;
	store_upgrade_fn upgrade;
	char state[6]; /* the SQLSTATE of the last failure, "" when none */
	/* A person's session: the server adds the sums of the rows it
	 * inserts (the trigger ledger_sums, pg_roles.c), and the balances,
	 * day totals and users' day totals are not this session's to write.
	 * The owner's (migrate, a superuser) writes them itself. */
	bool sums_by_server;
	/* Deferred writes of bulk mode (pg_bulk.c): rows in COPY text format
	 * for the table of copy_sql, and balance and day-total additions as
	 * array literals; written before any statement that reads them and
	 * at commit. */
	pg_buf copy;
	bool copy_open; /* a COPY is under way on the connection: rows were sent, more may follow */
	const char *copy_sql;
	bool copy_ledger;
	pg_buf bal[3], day[4], uday[5];
	size_t nbal, nday, nuday;
	/* report summary additions: report_items' 11 columns, report_days' 10 */
	pg_buf ritems[11], rdays[10];
	size_t nritems, nrdays;
	/* Bulk mode, inside a write transaction: after BALANCE_CACHE_AFTER
	 * single balance reads, every balance is read at once into this map
	 * (store and item ids to Net Available), so that an upload touching
	 * 100,000 store-item pairs does not pay 100,000 round trips.  The
	 * writers' lock keeps the balances still meanwhile (and a READ ONLY
	 * snapshot sees them still anyway, e.g. an upload's reader); any
	 * change this connection makes to them drops the map. */
	hmap *balances;
	unsigned balance_reads;
	/* The write transaction's locks (pg_lock.c): the stores' ids, and
	 * whether it holds the events chain's. */
	int64_t *locked;
	size_t nlocked, locked_cap;
	bool events_locked;
	char where[160]; /* "host:port/dbname" for messages, never the password */
} pg_store;

static inline pg_store *pg_of(store *st)
{
	return (pg_store *)(void *)st;
}

/* Records the sentence and returns status. */
iv_status pg_failf(pg_store *pg, iv_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Turns a failed result (or a lost connection when res is NULL) into a
 * status and a sentence; doing says what was being done. */
iv_status pg_fail_result(pg_store *pg, const PGresult *res, const char *doing);

/* Parameters of one statement, as text (NULL: SQL NULL) or binary. */
#define PG_MAX_PARAMS 24
typedef struct pg_params {
	int n;
	const char *val[PG_MAX_PARAMS];
	int len[PG_MAX_PARAMS];
	int fmt[PG_MAX_PARAMS];
	char num[PG_MAX_PARAMS][24];
} pg_params;

void pg_param_int(pg_params *p, int64_t v);
void pg_param_id(pg_params *p, int64_t v); /* 0 binds NULL */
void pg_param_text(pg_params *p, const char *t); /* NULL binds NULL */
void pg_param_bytes(pg_params *p, const unsigned char *b, int len);

/* Runs prepared statement q (preparing it on first use on this
 * connection).  On success *res (when res is not NULL) holds the rows
 * for the caller to PQclear.  Outside a transaction a serialization
 * failure or deadlock is retried here. */
iv_status pg_exec(pg_store *pg, pg_query q, const pg_params *p, PGresult **res, const char *doing);
/* A folded search as a LIKE "contains" parameter in buf (NULL when none). */
void pg_param_folded(pg_params *p, const char *folded, char *buf, size_t size);
/* The one number a count(*) statement gives. */
iv_status pg_one_count(pg_store *pg, pg_query q, const pg_params *p, uint64_t *n, const char *doing);
/* Reads every answer the write transaction's pipeline still owes and
 * leaves pipeline mode (the transaction goes on without it): before
 * anything that needs the connection to itself (a COPY, a cursor, SQL
 * text). */
iv_status pg_pipeline_leave(pg_store *pg);
/* A write transaction's statement sent in its pipeline without waiting
 * (ahead: its place among the statements sent ahead, or -1). */
iv_status pg_send_piped(pg_store *pg, pg_query q, const pg_params *p, const char *doing, int ahead);
/* Reads the pipeline's answers in order until *done (or none is owed). */
void pg_answers_until(pg_store *pg, const bool *done);

/* A save's reads sent ahead (pg_ahead.c).  pg_ahead_note: q, run while
 * the reads are being noted, is noted if it may be sent ahead.
 * pg_ahead_take: true when q with
 * these parameters was sent ahead and may be taken, its rows in *out
 * and its status in *rc; false: run it (what a statement not taken
 * means for those sent is handled).  pg_ahead_answered: the answer to
 * the k-th (read_answer).  pg_ahead_drop: none may be taken any more;
 * pg_ahead_clear: forgets them all, at the transaction's end. */
void pg_ahead_note(pg_store *pg, pg_query q, const pg_params *p, const char *doing);
bool pg_ahead_take(pg_store *pg, pg_query q, const pg_params *p, PGresult **out, iv_status *rc);
void pg_ahead_answered(pg_store *pg, int k, PGresult *res, bool ok);
void pg_ahead_drop(pg_store *pg);
void pg_ahead_clear(pg_store *pg);
void pg_ahead_free(pg_store *pg);
/* The parameters of a chain head's read (pg_chain_head) and of a block
 * of n ledger ids (pg_ledger_ids), for noting them. */
void pg_chain_head_params(pg_params *p, int64_t store_id);
void pg_ledger_ids_params(pg_params *p, int64_t n);
#define PG_DOING_HEAD "reading the ledger"
#define PG_DOING_IDS "numbering the ledger's new rows"

/* Runs SQL text without parameters (schema, transaction control). */
iv_status pg_exec_text(pg_store *pg, const char *sql, const char *doing);

/* Writes every deferred bulk write (pg_flush), or those that statement
 * q would otherwise not see (pg_flush_for); pg_discard drops them (on
 * rollback). */
iv_status pg_flush(pg_store *pg);
iv_status pg_flush_for(pg_store *pg, pg_query q);
void pg_discard(pg_store *pg);
/* Bulk mode's map of balances (see pg_store.balances): *found tells
 * whether *qty came from it. */
iv_status pg_balance_cached(pg_store *pg, int64_t store_id, int64_t item_id, iv_qty *qty, bool *found);
void pg_forget_balances(pg_store *pg);
/* Bulk mode's deferred ledger insert and balance and day additions. */
iv_status pg_defer_ledger(pg_store *pg, const store_ledger_rec *r);
iv_status pg_defer_balance(pg_store *pg, int64_t store_id, int64_t item_id, iv_qty diff);
iv_status pg_defer_day(pg_store *pg, int64_t store_id, int64_t item_id, const char *tdate, iv_qty diff);
iv_status pg_defer_user_day(pg_store *pg, int64_t user_id, int64_t store_id, int64_t item_id,
                            const char *tdate, iv_qty diff);
iv_status pg_defer_report(pg_store *pg, bool items, const store_report_row *r);

/* Column readers for text-format results. */
int64_t pg_int(const PGresult *r, int row, int col);
void pg_text(const PGresult *r, int row, int col, char *buf, size_t n);
void pg_hash(const PGresult *r, int row, int col, unsigned char out[STORE_HASH_LEN]);

/* The first row a statement added to the ledger whose store, item,
 * reason, user, approver, batch or reversed row does not exist, and
 * which.  A reversal's reference to an earlier row is probed only where
 * there is one (most rows have none), so the check never reads the
 * whole ledger.  The reference check of the ledger (pg_schema.c, and
 * pg_roles.c's set-up, which replaces it) runs it. */
#define LEDGER_REFS_QUERY                                                                          \
	"SELECT a.id, CASE WHEN s.id IS NULL THEN 'store' WHEN i.id IS NULL THEN 'item'"               \
	" WHEN r.id IS NULL THEN 'reason' WHEN u.id IS NULL THEN 'user'"                               \
	" WHEN a.approved_by IS NOT NULL AND p.id IS NULL THEN 'approver'"                             \
	" WHEN a.batch_id IS NOT NULL AND b.id IS NULL THEN 'batch' ELSE 'reversed row' END"           \
	" FROM added a LEFT JOIN stores s ON s.id = a.store_id LEFT JOIN items i ON i.id = a.item_id"  \
	" LEFT JOIN reasons r ON r.id = a.reason_id LEFT JOIN users u ON u.id = a.user_id"             \
	" LEFT JOIN users p ON p.id = a.approved_by LEFT JOIN batches b ON b.id = a.batch_id"          \
	" WHERE s.id IS NULL OR i.id IS NULL OR r.id IS NULL OR u.id IS NULL"                          \
	" OR (a.approved_by IS NOT NULL AND p.id IS NULL) OR (a.batch_id IS NOT NULL AND b.id IS NULL)" \
	" OR (a.reverses IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger x WHERE x.id = a.reverses))" \
	" ORDER BY a.id LIMIT 1"

/* ... and the check's end, with that row in bad_id and what it lacks in
 * what: the statement is refused. */
#define LEDGER_REFS_REFUSE                                                                         \
	"  IF bad_id IS NOT NULL THEN"                                                             \
	"   RAISE EXCEPTION 'ledger row #% refers to a % that does not exist', bad_id, what"       \
	"    USING ERRCODE = 'foreign_key_violation';"                                             \
	"  END IF;"                                                                                \
	"  RETURN NULL;"                                                                           \
	" END $f$;"

/* The advisory lock keys (pg_advisory_xact_lock, one bigint): a
 * store's is STORE_BASE + its id ('invS' << 32 + id), the events
 * chain's one, and the one that makes a block of ledger ids contiguous
 * (held for the instant of taking them, in invadj_ledger_ids). */
#define PG_LOCK_STORE_BASE "7597139720274968576"
#define PG_LOCK_EVENTS "7597139660145426432"
#define PG_LOCK_IDS "7597139677325295616"
/* Forgets the locks of the transaction that ended. */
void pg_locks_end(pg_store *pg);
/* Takes the lock of store_id's chain (or the events chain's, store_id
 * 0) unless held: before a head is read for writing. */
iv_status pg_lock_for_head(pg_store *pg, int64_t store_id);

/* Schema migrations (pg_schema.c). */
iv_status pg_migrate(pg_store *pg, bool create, store_upgrade_fn upgrade);
/* A read-only open: the session refuses writes; anything but an invadj
 * database of this very schema is refused. */
iv_status pg_check_schema(pg_store *pg);

/* A text column into buf (size n); false when it did not fit whole
 * (store_ledger_rec.overlong). */
bool pg_text_exact(const PGresult *r, int row, int col, char *buf, size_t n);

/* A connection of its own to the same database (the probe of the
 * triggers, a reader), as the same user, set up as every connection is. */
iv_status pg_connect_like(pg_store *pg, pg_store **out);

/* Connects the handle now if it is not connected yet (as libpq's
 * default user: the URI, PGUSER, ~/.pgpass). */
iv_status pg_ready(pg_store *pg);

/* The server's set-up of people (pg_roles.c): the owner and group
 * roles, who owns what, the grants, and the triggers that check who
 * writes; run after the migrations, in their transaction, by whoever
 * may (the database's owner or a superuser).  pg_setup_version reads
 * the version a database has (0: never set up). */
/* 2: the report summaries are the server's too; 3: summed in one pass;
 * 4: ledger ids from a sequence, counts' from identity columns
 * (pg_lock.c); 5: the who-writes check planned once, the reference
 * check's join in the order written, a single ledger id without waiting
 * for another's (a save's server CPU); 6: the statement triggers'
 * functions are not compiled (jit off), balances' pages half free for
 * updates in place (an upload's server CPU) */
#define PG_SETUP_VERSION 6
iv_status pg_setup(pg_store *pg);
iv_status pg_setup_version(pg_store *pg, int *version);
/* Items left without a search key by a migration or a copy get one
 * (as in store.c, for files), when this session may write items. */
iv_status pg_fill_search_keys(pg_store *pg);

#endif
