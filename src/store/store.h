/* The storage module: every SQL statement of invadj lives behind this
 * interface (src/store/), always with bound parameters.  The engine sees
 * rows and ids, never a backend's handle or result codes: they are
 * turned into an iv_status and a sentence (store_errmsg) here.
 *
 * Each comment here says what a call guarantees, whichever backend
 * serves it; how a backend keeps it is said in that backend's files
 * (sqlite_*.c for a database file, pg_*.c for a PostgreSQL server;
 * backend.h says how a call reaches one). */
#ifndef INVADJ_STORE_H
#define INVADJ_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "invadj/count.h"
#include "invadj/engine.h"
#include "invadj/money.h"
#include "invadj/upload.h"

#define STORE_HASH_LEN 32

typedef struct store store;
typedef struct store_backend store_backend; /* backend.h */

/* ---- Connection and transactions ---------------------------------- */

/* What the engine adds to a schema migration that SQL alone cannot
 * write (hashes): called inside the migration's transaction, once for
 * each version step, after the step's tables exist. */
typedef iv_status (*store_upgrade_fn)(store *st, int from_version);

/* Opens the database (creating it with IV_OPEN_CREATE: a file readable
 * by its owner only) so that terminals may read while one writes, every
 * id a row refers to must exist, and every commit survives a power cut;
 * and runs the forward migrations (upgrade, which may be NULL, adds the
 * engine's part).
 * IV_OPEN_READONLY writes nothing: no file is created, no schema
 * migrated, the connection refuses writes, and a database that is
 * missing, empty, foreign or of another schema version is refused with
 * IV_E_STORAGE.  *out is set when memory allows, also on failure. */
iv_status store_open(const char *path, iv_open_mode mode, store_upgrade_fn upgrade, store **out);
/* The one sentence for a path that holds no invadj database. */
#define STORE_NOT_INVADJ "%s is not an invadj database (create one with `invadj init --admin NAME`)"
/* Whether path names a database file rather than a server's address
 * (postgresql://...). */
bool store_is_file(const char *path);
void store_close(store *st);
const char *store_errmsg(const store *st);
int store_schema_version(store *st);

/* A write transaction waits for the other terminals' writes (retrying
 * past a busy moment) and holds the writers' lock until it ends: what it
 * reads (a chain's head, a balance) nobody else changes before its
 * commit.  A read transaction sees one state of the database throughout
 * and never blocks a writer. */
iv_status store_begin(store *st, bool write);
iv_status store_commit(store *st);
/* A write transaction whose COMMIT does not wait for the disk, for the
 * login throttle's counters only (login.c): a process killed at any
 * point after the commit keeps the change, a power cut may lose the last
 * few (docs/trust.md), and the next durable commit of the same file or
 * server makes them durable too.  So that a save costs one flush to the
 * disk, not three. */
iv_status store_begin_relaxed(store *st);
void store_rollback(store *st); /* no-op when no transaction is open */

/* A save's reads sent ahead, so that on a server its write transaction
 * costs a round trip to read and one to write (a file has no round
 * trips: both are no-ops).  Between store_read_ahead_note(st, true) and
 * (st, false), the reads of a first look at the save (a preview, or the
 * checks made before its stores' locks) are noted, and the stores it
 * would lock.  store_read_ahead_send, in the write transaction, sends
 * them all at once: the noted stores' locks first, the reads, the chain
 * heads of the stores noted or locked, a block of nrows ledger ids.
 * Each statement of the transaction that is one of them, with the same
 * parameters and after the same locks, takes its answer instead of
 * asking again.  Only the round trips change: the answers are those the
 * statements would give when asked. */
void store_read_ahead_note(store *st, bool on);
iv_status store_read_ahead_send(store *st, size_t nrows);

/* Writers at different stores do not wait for each other.  A write
 * transaction that appends to stores' chains locks those stores first
 * (store_ids in any order, repeats allowed: they are taken in ascending
 * id order, so that two writers touching the same stores cannot
 * deadlock), before it reads anything it then writes (a head, a
 * balance); one that records a master-data event locks the events chain,
 * after its stores' locks, as late as it can.  Held until the commit or
 * rollback.  A chain head read for writing without its lock takes it
 * then (safe, but out of the one order).  No-ops in a read transaction,
 * and where the backend lets one writer at a time anyway (a file). */
iv_status store_lock_stores(store *st, const int64_t *store_ids, size_t n);
iv_status store_lock_events(store *st);
/* Whether writers at different stores run at once here (a server), so
 * that finding which stores a write touches is worth a read of its own. */
bool store_locks_per_store(store *st);
/* n new ledger ids in a row for the open write transaction, the first in
 * *first: above `after` (the highest it has taken, or -1 before its
 * first) and above every id any other transaction holds.  An id taken
 * and not used is never given again (ids may skip). */
iv_status store_ledger_ids(store *st, int64_t after, int64_t n, int64_t *first);

/* A bulk load (upload) may use more memory for its transaction and
 * skips the checks that the ids a row refers to exist: it must take
 * every id it inserts from rows read in the same write transaction.
 * Switch on before store_begin() and off after the commit or rollback.
 * An iv_db handle (and so its store) is used by one thread at a time.
 * A backend may also set the ledger's per-row checks aside for a bulk
 * write transaction and make them again before its commit: the rows
 * must take their ids and places from the chains read in the same
 * transaction, as ledger_chain_row gives them. */
void store_bulk_mode(store *st, bool on);

/* A second connection to the same database, in a read transaction, for
 * a thread that reads while st's own thread writes.  While st holds the
 * write lock nobody else commits, so the reader sees the state st's
 * transaction started from.  Close it with store_close. */
iv_status store_open_reader(store *st, store **out);

/* ---- The clock ------------------------------------------------------
 * One clock for every terminal of a database: a file's is its host's,
 * a server's is the server's (so that the terminals of a chain agree on
 * the time whatever their own clocks say). */

/* Milliseconds since 1970-01-01 UTC by the database's clock. */
iv_status store_now_ms(store *st, int64_t *unix_ms);
/* How far the zone tz is ahead of UTC at the instant (seconds; negative
 * west of Greenwich).  tz "" is the database's own zone: the host's
 * (/etc/localtime, whatever a terminal's TZ says) for a file, the
 * server's configured TimeZone for a server.  An unknown zone is
 * IV_E_INVALID. */
iv_status store_zone_offset(store *st, const char *tz, int64_t unix_s, int64_t *offset_s);

/* ---- Master data ---------------------------------------------------- */

iv_status store_store_find(store *st, const char *code, int64_t *id, iv_store *out);
/* Inserts or updates by code; *id receives the row's id. */
iv_status store_store_upsert(store *st, const iv_store *s, int64_t *id);
typedef bool (*store_store_cb)(void *ctx, int64_t id, const iv_store *s);
iv_status store_store_each(store *st, store_store_cb cb, void *ctx);

/* Which of an item's identifiers store_item_find matches.  The values
 * from STORE_ITEM_NUMBER on are an upload file's ItemIdentifierCode. */
typedef enum store_item_kind {
	STORE_ITEM_ANY,     /* any of the six below */
	STORE_ITEM_NUMBER,  /* the item number */
	STORE_ITEM_UPC,
	STORE_ITEM_BARCODE,
	STORE_ITEM_ALT1,    /* alternate item numbers 1..3 */
	STORE_ITEM_ALT2,
	STORE_ITEM_ALT3,
	STORE_ITEM_KINDS
} store_item_kind;
iv_status store_item_find(store *st, const char *ident, store_item_kind kind, int64_t *id,
                          iv_item *out);
iv_status store_item_upsert(store *st, const iv_item *it, int64_t *id);
typedef bool (*store_item_cb)(void *ctx, int64_t id, const iv_item *it);
iv_status store_item_each(store *st, store_item_cb cb, void *ctx);
iv_status store_item_search(store *st, const char *text, size_t limit, iv_item_cb cb, void *ctx);
/* Items whose folded search key (store_item_key) contains the folded
 * text (NULL: any), by number, after (or with back, before) the number
 * given (NULL: from that end), at most limit; and how many match. */
iv_status store_item_page(store *st, const char *folded, const char *number, bool back, size_t limit,
                          iv_item_cb cb, void *ctx);
iv_status store_item_count(store *st, const char *folded, uint64_t *n);
iv_status store_item_unfolded_each(store *st, store_item_cb cb, void *ctx);
iv_status store_item_set_key(store *st, int64_t id, const char *key);
/* Items a migration or a copy left without a search key get one, in
 * write transactions of their own (backend_shared.c). */
iv_status store_fill_search_keys(store *st);

/* Stock: balances by store code and item number, a page from a keyset
 * bound (store code and item number, NULL: from that end), forward or
 * back (then nearest first); store_id 0 and folded NULL: any. */
typedef struct store_stock_query {
	int64_t store_id;
	const char *folded;  /* search text folded; NULL: any */
	const char *as_of;   /* ISO date; NULL: now */
	const char *after_store, *after_item;
	bool back;
	size_t limit;
} store_stock_query;
iv_status store_stock_page(store *st, const store_stock_query *q, iv_balance_cb cb, void *ctx);
iv_status store_stock_count(store *st, const store_stock_query *q, uint64_t *n);

iv_status store_reason_find(store *st, const char *code, int64_t *id, iv_reason *out);
iv_status store_reason_upsert(store *st, const iv_reason *r, int64_t *id);
typedef bool (*store_reason_cb)(void *ctx, int64_t id, const iv_reason *r);
iv_status store_reason_each(store *st, store_reason_cb cb, void *ctx);

/* ---- Users ------------------------------------------------------------ */

typedef struct store_user {
	iv_user user;
	char pin_hash[128];
	bool disabled;
} store_user;

iv_status store_user_find(store *st, const char *name, store_user *out);
/* A new user, created at `at` (a recorded time); *id receives its id. */
iv_status store_user_insert(store *st, const char *name, iv_role role, const char *pin_hash,
                            const char *at, int64_t *id);
iv_status store_user_count(store *st, int64_t *n);
/* Enabled admins. */
iv_status store_user_admins(store *st, int64_t *n);

/* Wrong-PIN counters, by the name as typed (known or not): failures in
 * a row and the last one's time, and the checks under way (counted
 * before the PIN is checked) and since when; unix seconds; all 0 when
 * none.  Kept in the caller's write transaction. */
typedef struct store_login {
	int64_t failures, last_failed_at;
	int64_t checking, checking_since;
} store_login;
iv_status store_login_failures_get(store *st, const char *name, store_login *out);
iv_status store_login_failures_set(store *st, const char *name, const store_login *in);
/* Forgets a name's failures, for the database's owner only: on a file,
 * the Unix owner of the file (IV_E_PERMISSION otherwise); on a server,
 * a role that may delete from login_failures (not the terminals'). */
iv_status store_login_unlock(store *st, const char *name);
/* A new PIN hash, set at `at` (a recorded time) by user by_id. */
iv_status store_user_set_pin(store *st, int64_t user_id, const char *pin_hash, int64_t by_id,
                             const char *at);
/* Disabled at `at` by user by_id, or enabled again. */
iv_status store_user_set_disabled(store *st, int64_t user_id, bool disabled, int64_t by_id,
                                  const char *at);
iv_status store_user_set_role(store *st, int64_t user_id, iv_role role);
/* A user's id by name in any case (filters; logins match exactly). */
iv_status store_user_id_any_case(store *st, const char *name, int64_t *id);
/* Every user by name, without PIN hashes. */
iv_status store_user_each(store *st, iv_user_cb cb, void *ctx);

/* ---- People on a server -----------------------------------------------
 * On a PostgreSQL server every user is a login role of their own, a
 * member of one of the groups invadj_clerk, invadj_supervisor and
 * invadj_admin, and the server checks their password (docs/deployment.md).
 * A database file has no roles: these refuse there, and the engine
 * never calls them for one. */

/* Connects st as user with secret, in place of its connection; user
 * NULL drops the connection (the next call then connects as libpq's
 * default user).  IV_E_AUTH when the server refuses the login: a wrong
 * password, an unknown role and a role that may not log in alike. */
iv_status store_connect_as(store *st, const char *user, const char *secret);
/* A handle of its own on st's database, logged in as user (an
 * approver's short connection).  IV_E_AUTH as store_connect_as. */
iv_status store_open_as(store *st, const char *user, const char *secret, store **out);
/* A handle of its own on st's database as whoever st is connected as
 * (another thread's); IV_OPEN_READONLY makes it refuse writes. */
iv_status store_open_like(store *st, iv_open_mode mode, store **out);
/* A person's role: created in the group of role, with the secret as
 * its password (sent as a SCRAM verifier, never as text), LOGIN or not;
 * refused when a role of that name exists.  Altered: a new password,
 * LOGIN or NOLOGIN, another group (each -1 or NULL: unchanged). */
iv_status store_role_create(store *st, const char *name, iv_role role, const char *secret, bool login);
typedef struct store_role_change {
	const char *secret;
	int login;
	int role;
} store_role_change;
iv_status store_role_alter(store *st, const char *name, const store_role_change *c);
/* Whether the server has a role of that name, anyone's. */
iv_status store_role_exists(store *st, const char *name, bool *exists);
/* Takes every privilege on invadj's database and tables from a role
 * (the shared terminal role of an older deployment). */
iv_status store_role_revoke(store *st, const char *name);
/* From now on every approved row needs its approval (the ledger's rows
 * so far predate per-person roles); once only. */
iv_status store_roles_start(store *st);
/* Signs, as st's own user (a supervisor or admin), a one-time approval
 * of author's next rows whose hashes, in id order, give digest
 * (docs/schema.md, "Approvals"). */
iv_status store_approval_sign(store *st, int64_t author_id, const unsigned char *digest, uint64_t rows);
/* verify's pass over the server's people: every approved row since
 * per-person roles has its approval, no PIN hash is stored, and each
 * user's role agrees with the users table.  IV_OK on a file. */
iv_status store_check_server(store *st);
/* Whether the server keeps this session's sums (a person on a server:
 * balances, day totals and report summaries come from its trigger on
 * the ledger, and what the client would add is not sent).  False on a
 * file and for the schema's owner. */
bool store_sums_by_server(store *st);

/* ---- The ledger -------------------------------------------------------
 * One hash chain per store: a row's place is (store_id, seq), seq 1, 2,
 * 3, ... within the store; ids increase within each chain (and today
 * across all, which nothing may rely on).  docs/schema.md. */

typedef struct store_ledger_rec {
	int64_t id;
	int64_t seq;
	int64_t document;
	int64_t store_id, item_id, reason_id;
	iv_qty diff;
	char tdate[IV_DATE_ISO_LEN];
	char recorded_at[32];
	int64_t user_id;
	int64_t approved_by; /* 0: none */
	int64_t reverses;    /* 0: none */
	int64_t batch_id;    /* 0: none */
	const char *item_number; /* the number it was posted under; never NULL */
	const char *memo;    /* never NULL */
	/* Their lengths when the writer knows them (0: the store measures). */
	size_t item_number_len, memo_len;
	int hash_version;    /* 1: migrated from schema 2; 2: docs/schema.md */
	/* Read back: a text column was longer than its field here, or held
	 * a NUL byte.  invadj never writes such a row; verify says so rather
	 * than hash a cut copy. */
	bool overlong;
	unsigned char hash[STORE_HASH_LEN];
} store_ledger_rec;

/* A position in a chain: the row (or event) at seq. */
typedef struct store_chain_pos {
	int64_t seq;  /* 0 when the chain is empty */
	int64_t id;
	char recorded_at[32];
	unsigned char hash[STORE_HASH_LEN]; /* all zero when empty */
} store_chain_pos;

/* The highest ledger id (0 when empty). */
iv_status store_ledger_last_id(store *st, int64_t *id);
/* The newest row of a store's chain. */
iv_status store_chain_head(store *st, int64_t store_id, store_chain_pos *out);
/* The row of a store's chain at seq; IV_E_NOT_FOUND when the chain is shorter. */
iv_status store_chain_row(store *st, int64_t store_id, int64_t seq, store_chain_pos *out);
/* Every store with rows and its chain's head, by store code. */
typedef bool (*store_chain_cb)(void *ctx, int64_t store_id, const char *code,
                               const store_chain_pos *head);
iv_status store_chain_heads(store *st, store_chain_cb cb, void *ctx);
iv_status store_ledger_insert(store *st, const store_ledger_rec *rec);
/* n rows in order, as n calls of store_ledger_insert would insert them
 * (the bulk loader's blocks, which a backend may insert several to a
 * statement). */
iv_status store_ledger_insert_many(store *st, const store_ledger_rec *recs, size_t n);
/* raw may be NULL; row may be NULL. */
iv_status store_ledger_get(store *st, int64_t id, iv_ledger_row *row, store_ledger_rec *raw);
/* The id of the row reversing id, 0 when none. */
iv_status store_ledger_reversed_by(store *st, int64_t id, int64_t *rev_id);
/* A batch's rows in id order; rec's texts valid during the call. */
typedef bool (*store_ledger_cb)(void *ctx, const store_ledger_rec *rec);
iv_status store_ledger_each_in_batch(store *st, int64_t batch, store_ledger_cb cb, void *ctx);
/* History by ids (the engine resolved the codes): 0 or NULL is "any".
 * The statement is chosen by the most selective filter given (batch,
 * item, dates, user, store), each of which has an index ordered by id,
 * so the first page of any of them reads a page of rows, not the
 * ledger.  Filtered by dates, rows come by transaction date, then id
 * (newest first), so that the date index gives them in order too. */
typedef enum store_history_drive {
	STORE_HIST_ALL, STORE_HIST_STORE, STORE_HIST_USER, STORE_HIST_DATE, STORE_HIST_ITEM, STORE_HIST_BATCH,
	STORE_HIST_DRIVES
} store_history_drive;
typedef enum store_history_kind { STORE_HIST_DESC, STORE_HIST_ASC, STORE_HIST_COUNT, STORE_HIST_KINDS } store_history_kind;
typedef struct store_history_query {
	int64_t store_id, item_id, reason_id, user_id, batch;
	const char *from, *to;  /* ISO dates */
	int64_t before_id;      /* DESC: rows before it */
	int64_t after_id;       /* ASC: rows after it */
	const char *anchor_tdate; /* the date drive orders by (tdate, id): the bound row's date */
	size_t limit;           /* 0: all */
	bool oldest_first;
} store_history_query;
iv_status store_history(store *st, const store_history_query *q, iv_ledger_cb cb, void *ctx);
iv_status store_history_count(store *st, const store_history_query *q, uint64_t *n);

/* verify's first pass: every row in id order, with the row it
 * reverses (when it names one that exists). */
typedef struct store_audit_row {
	store_ledger_rec rec;
	bool orig_found;
	int64_t orig_store_id, orig_item_id, orig_reverses;
	iv_qty orig_diff;
} store_audit_row;
typedef bool (*store_audit_cb)(void *ctx, const store_audit_row *row);
iv_status store_ledger_audit(store *st, store_audit_cb cb, void *ctx);

/* verify's second pass: every row sorted by store, item and id (the
 * database sorts, in bounded memory), with what the per-item rules
 * need. */
typedef struct store_pair_row {
	int64_t id, store_id, item_id, user_id;
	iv_qty diff;
	char tdate[IV_DATE_ISO_LEN];
	bool approved; /* approved_by is set */
	bool reversal; /* reverses is set */
	int hash_version;
} store_pair_row;
typedef bool (*store_pair_cb)(void *ctx, const store_pair_row *row);
iv_status store_ledger_by_pair(store *st, store_pair_cb cb, void *ctx);

/* The ledger's rows by item as a backend keeps them in a table of their
 * own (which History by item reads), each (item_id, id) in no particular
 * order, for verify to hold them to the ledger.  *kept is false when the
 * backend keeps no such table (an index the database keeps itself
 * serves instead). */
typedef bool (*store_item_row_cb)(void *ctx, int64_t item_id, int64_t id);
iv_status store_item_rows_each(store *st, store_item_row_cb cb, void *ctx, bool *kept);

/* ---- Balances ----------------------------------------------------------
 * balances holds Net Available per store and item; day_totals the sum
 * of Diffs per store, item and transaction date (for as-of reads and
 * the back-dated negative-stock check); user_days the same per user
 * (the cumulative approval threshold).  All are written in the same
 * transaction as the ledger rows they sum. */

iv_status store_balance_get(store *st, int64_t store_id, int64_t item_id, iv_qty *qty);
iv_status store_balance_add(store *st, int64_t store_id, int64_t item_id, iv_qty diff);
iv_status store_day_add(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty diff);
/* Net Available at the end of tdate. */
iv_status store_balance_asof(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty *qty);
/* Day totals after tdate, ascending. */
typedef bool (*store_day_cb)(void *ctx, const char *tdate, iv_qty diff);
/* A store and item's day totals after tdate, in one row: their sum, and
 * the lowest running sum they reach (0 when none is lower): with the
 * balance, the lowest end-of-day balance from tdate on, where a bulk
 * load cannot keep every day of every store and item. */
iv_status store_stock_after(store *st, int64_t store_id, int64_t item_id, const char *tdate, iv_qty *sum,
                            iv_qty *lowest);
/* A bulk load's sums, in (store_id, item_id, tdate) order: each Diff
 * added to its store and item's balance, its day total and user_id's
 * day total (a store and item may come again in a later call). */
typedef struct store_sum {
	int64_t store_id, item_id;
	char tdate[IV_DATE_ISO_LEN];
	iv_qty diff;
} store_sum;
iv_status store_sums_add(store *st, int64_t user_id, const store_sum *v, size_t n);
iv_status store_days_after(store *st, int64_t store_id, int64_t item_id, const char *tdate,
                           store_day_cb cb, void *ctx);
/* store_code, item_ident, as_of may be NULL. */
iv_status store_balances_each(store *st, const char *store_code, int64_t item_id,
                              const char *as_of, iv_balance_cb cb, void *ctx);
/* A user's sum of Diffs for a store, item and transaction date. */
iv_status store_user_day_get(store *st, int64_t user_id, int64_t store_id, int64_t item_id,
                             const char *tdate, iv_qty *qty);
iv_status store_user_day_add(store *st, int64_t user_id, int64_t store_id, int64_t item_id,
                             const char *tdate, iv_qty diff);

/* The stored sums of one store and item (verify): its balance (tdate
 * NULL, user 0), its day totals (user 0) and its users' day totals. */
typedef enum store_sum_kind { STORE_SUM_BALANCE, STORE_SUM_DAY, STORE_SUM_USER_DAY } store_sum_kind;
typedef bool (*store_sum_cb)(void *ctx, store_sum_kind kind, const char *tdate, int64_t user_id,
                             iv_qty qty);
iv_status store_pair_sums(store *st, int64_t store_id, int64_t item_id, store_sum_cb cb, void *ctx);

/* ---- Unit costs and the report summaries --------------------------------
 * An item's unit cost (items.unit_cost, in ten-thousandths) and the day
 * it took effect (items.cost_from) are part of its state; item_costs is
 * the history they make, one row per item and day a cost took effect
 * (unit_cost NULL: no cost from that day on).  report_items sums the
 * ledger by transaction date, store, item, reason, user and whether the
 * lines are cancelled (a reversed adjustment or a reversal);
 * report_days the same without the item.  Both hold each key's lines,
 * added (the positive Diffs), removed (the negative ones, as a positive
 * number), the value of the lines that have a unit cost on their date
 * and how many lines have none.  Written in the same transaction as the
 * rows they sum, or (a cost set) the item. */

typedef struct store_cost {
	bool has;  /* false: no cost (never set, or cleared) */
	iv_money cost;
	char from[IV_DATE_ISO_LEN]; /* the day it took effect; "" when never set */
} store_cost;

iv_status store_item_cost_get(store *st, int64_t item_id, store_cost *out);
iv_status store_item_cost_set(store *st, int64_t item_id, const store_cost *c);
/* The cost history's entry for item_id on day effective (inserted, or
 * replaced: a cost set twice in a day takes effect as the last one). */
iv_status store_cost_history_put(store *st, int64_t item_id, const char *effective, bool has,
                                 iv_money cost);
/* The unit cost in force on tdate by the history; *has false when none. */
iv_status store_cost_at(store *st, int64_t item_id, const char *tdate, bool *has, iv_money *cost);

typedef struct store_report_row {
	char tdate[IV_DATE_ISO_LEN];
	int64_t store_id;
	int64_t item_id; /* 0 in report_days */
	int64_t reason_id, user_id;
	bool cancelled;
	int64_t lines;
	iv_qty added, removed;
	iv_money value;
	int64_t unvalued;
} store_report_row;

/* Adds r's sums to its key's row of report_items (items) or report_days;
 * in bulk mode the backend may defer the write until a statement reads
 * the summaries or the transaction commits. */
iv_status store_report_add(store *st, bool items, const store_report_row *r);
/* store_report_add of n rows of distinct keys (a bulk load's, in key
 * order), several to a statement where the backend can. */
iv_status store_report_add_many(store *st, bool items, const store_report_row *v, size_t n);

/* Summary rows of transaction dates from..to (ISO, inclusive), of one
 * store, item and reason (0: any); report_items when items is set or an
 * item is given, else report_days.  Cancelled rows only with
 * with_cancelled.  Rows of one item come by day_totals' index (one
 * probe per store, item and day with movements); the others by the
 * range of dates. */
typedef struct store_report_query {
	const char *from, *to;
	int64_t store_id, item_id, reason_id;
	bool items;
	bool with_cancelled;
} store_report_query;
typedef bool (*store_report_cb)(void *ctx, const store_report_row *r);
iv_status store_report_rows(store *st, const store_report_query *q, store_report_cb cb, void *ctx);

/* verify: every key of report_items with the ledger rows' own sums
 * (items), or every key of report_days with the sums of report_items'
 * rows of that key (!items); a key on one side only comes with zeros
 * (and has_stored false when report_items or report_days lacks it).
 * In no particular order. */
typedef struct store_report_check {
	store_report_row stored;  /* its key, and the stored sums */
	bool has_stored;
	int64_t lines;            /* what it should hold: */
	iv_qty added, removed;
	iv_money value;           /* report_days only: the sum of report_items' */
	int64_t unvalued;
} store_report_check;
typedef bool (*store_report_check_cb)(void *ctx, const store_report_check *c);
iv_status store_report_audit(store *st, bool items, store_report_check_cb cb, void *ctx);
/* An upload's lines, in its transaction: batch_id's ledger rows (the
 * newest) summed by transaction date, store, item and reason, in that
 * order, sorted by the database (which spills to temporary files rather
 * than hold them): lines, added and removed; user, value and unvalued 0
 * (sums_write_batch sets them). */
iv_status store_batch_lines(store *st, int64_t batch_id, store_report_cb cb, void *ctx);

/* ---- Upload batches --------------------------------------------------- */

iv_status store_batch_insert(store *st, const iv_batch *b, int64_t user_id,
                             int64_t reverses_batch, int64_t *id);
/* Sets a batch's counts once its rows are in (same transaction). */
iv_status store_batch_finish(store *st, int64_t id, uint64_t rows, uint64_t posted, uint64_t unchanged);
/* The newest posted batch with this content that was not reversed, 0 when none. */
iv_status store_batch_find_sha(store *st, const char *sha256, int64_t *id);
iv_status store_batch_get(store *st, int64_t id, iv_batch *out);
/* An upload's batch row is inserted before its ledger rows (they refer
 * to it) and gets the file's hash and the counts once the pass has read
 * the whole file, in the same transaction. */
iv_status store_batch_finish_upload(store *st, int64_t id, const char *sha256, uint64_t rows,
                                    uint64_t posted, uint64_t unchanged);

/* A consistent copy of the database into a new file (online backup). */
iv_status store_backup(store *st, const char *path);

/* ---- The master chain: events -----------------------------------------
 * Every change of a store, item, reason, user or batch, and every
 * checkpoint, is an event holding the entity's full state after it;
 * the tables stores, items, reasons, users and batches are derived
 * from them, written in the same transaction. */

typedef struct store_event {
	int64_t id, seq;
	char kind[16];   /* store, item, reason, user, batch, checkpoint */
	char action[16]; /* add, change, pin-set, ... (docs/schema.md) */
	int64_t entity_id;
	const char *entity_key; /* valid during a callback */
	const char *state;      /* the canonical fields, netstrings */
	char recorded_at[32];
	int64_t user_id;        /* who did it */
	int hash_version;
	bool overlong;          /* read back: as store_ledger_rec.overlong */
	unsigned char hash[STORE_HASH_LEN];
} store_event;

iv_status store_event_head(store *st, store_chain_pos *out);
/* The event at seq; IV_E_NOT_FOUND when the chain is shorter. */
iv_status store_event_at(store *st, int64_t seq, store_chain_pos *out);
iv_status store_event_insert(store *st, const store_event *e);
/* Events in id order: all (kind NULL), or of one kind, and of one
 * entity (entity_id not 0). */
typedef bool (*store_event_cb)(void *ctx, const store_event *e);
iv_status store_events_each(store *st, const char *kind, int64_t entity_id, store_event_cb cb,
                            void *ctx);

/* ---- Counts (include/invadj/count.h, docs/schema.md) ----------------
 * Rows of their own, never changed: the header, the items of a list
 * count, the scans, and the end.  Every function runs in the caller's
 * transaction. */

typedef struct store_count {
	int64_t id, store_id, user_id;
	bool blind;
	iv_count_scope scope;
	char memo[IV_MEMO_SIZE];
	char started_at[32];
	char count_day[IV_DATE_ISO_LEN];
	int64_t start_seq;
	/* count_ends: status IV_COUNT_OPEN when there is none */
	iv_count_status status;
	int64_t batch_id, end_user_id;
	bool zero_uncounted, accept_moved;
	char ended_at[32];
	/* Read back only: names for people, and the scans so far. */
	char store_code[IV_CODE_SIZE], started_by[IV_IDENT_SIZE], ended_by[IV_IDENT_SIZE];
	uint64_t scans, items;
} store_count;

/* Inserts the header; c->id receives its id. */
iv_status store_count_insert(store *st, store_count *c);
/* IV_E_NOT_FOUND when there is no such count.  tally: also its scans
 * and items scanned (which reads every scan of the count: for people,
 * not for each scan). */
iv_status store_count_get(store *st, int64_t id, bool tally, store_count *out);
/* Counts newest first: of one store (0: every store), open ones and
 * those ended at or after ended_since (NULL: every one); with
 * oldest_first, the posted ones only, oldest first (verify). */
typedef struct store_count_filter {
	int64_t store_id;
	const char *ended_since;
	bool posted_oldest_first;
} store_count_filter;
typedef bool (*store_count_cb)(void *ctx, const store_count *c);
iv_status store_count_each(store *st, const store_count_filter *f, store_count_cb cb, void *ctx);

/* The items of a list count. */
iv_status store_count_item_add(store *st, int64_t count_id, int64_t item_id);
iv_status store_count_in_list(store *st, int64_t count_id, int64_t item_id, bool *in);

typedef struct store_count_scan {
	int64_t id, count_id, item_id, user_id;
	iv_scan_kind kind;
	iv_qty qty;
	int64_t seq;    /* a set: the store chain's place then; else 0 */
	int64_t undoes; /* an undo: the scan it undoes; else 0 */
	char recorded_at[32];
	/* Read back only. */
	bool undone;             /* an undo names it */
	const char *number;      /* the item's number and description (store_count_scans with */
	const char *description; /* item 0), valid during the callback */
} store_count_scan;

/* s->id receives the scan's id. */
iv_status store_count_scan_insert(store *st, store_count_scan *s);
/* A count's scans in the order recorded: of one item, or (item_id 0)
 * of every item, item by item (by item id) with the item's number and
 * description. */
typedef bool (*store_count_scan_cb)(void *ctx, const store_count_scan *s);
iv_status store_count_scans(store *st, int64_t count_id, int64_t item_id, store_count_scan_cb cb,
                            void *ctx);
/* The newest scan of user_id in the count that is neither an undo nor
 * undone; *found false when none. */
iv_status store_count_last_scan(store *st, int64_t count_id, int64_t user_id, store_count_scan *out,
                                bool *found);
/* An item of a count's scope: its id, number and description, and (in
 * store_count_stock) its Net Available now. */
typedef bool (*store_count_item_cb)(void *ctx, int64_t item_id, const char *number,
                                    const char *description, iv_qty qty);
/* The items of a list count, by item id. */
iv_status store_count_list_items(store *st, int64_t count_id, store_count_item_cb cb, void *ctx);
/* Every item with a balance at a store (zero included), by item id. */
iv_status store_count_stock(store *st, int64_t store_id, store_count_item_cb cb, void *ctx);

typedef struct store_count_end {
	int64_t count_id;
	iv_count_status status; /* posted or cancelled */
	int64_t batch_id;       /* 0: none */
	bool zero_uncounted, accept_moved;
	int64_t user_id;
	char recorded_at[32];
} store_count_end;
iv_status store_count_end_insert(store *st, const store_count_end *e);

/* The sum of Diffs of each item in a store's chain between two places:
 * after_seq < seq <= upto_seq (INT64_MAX: to the head), by item id.
 * Reads that stretch of the chain only (ledger_chain). */
typedef bool (*store_item_sum_cb)(void *ctx, int64_t item_id, iv_qty sum);
iv_status store_chain_sums(store *st, int64_t store_id, int64_t after_seq, int64_t upto_seq,
                           store_item_sum_cb cb, void *ctx);
/* The sum of Diffs of one store and item in rows after ledger id
 * after_id: the item's own rows since then (ledger_by_item), however
 * busy the store's chain was. */
iv_status store_item_moved_after(store *st, int64_t store_id, int64_t item_id, int64_t after_id,
                                 iv_qty *sum);

/* ---- Checks (verify) -------------------------------------------------- */

/* Each returns IV_E_CORRUPT and a sentence in store_errmsg on a fault.
 * store_check_integrity: the database's own check and the schema
 * objects the guarantees rest on (keys, indexes, triggers).
 * store_check_triggers: tries UPDATE, DELETE, REPLACE (or ON CONFLICT
 * DO UPDATE and TRUNCATE) on the ledger and the events in a
 * transaction of a connection of its own that is always rolled back;
 * IV_E_STORAGE when it could not be tried (the sentence says why). */
iv_status store_check_integrity(store *st);
iv_status store_check_triggers(store *st);

/* ---- Copying a whole database (invadj migrate) ----------------------
 * Every table's rows as text, in key order, with the columns in the
 * order below (NULL for SQL NULL, the ledger hash in lower-case hex),
 * and back into another database with their ids as they are. */
typedef enum store_table {
	STORE_T_STORES,     /* id code name allow_negative approval_threshold tz */
	STORE_T_ITEMS,      /* id number description upc barcode alt1 alt2 alt3 unit_cost cost_from */
	STORE_T_REASONS,    /* id code description */
	STORE_T_USERS,      /* id name role pin_hash created_at disabled_at disabled_by
	                       pin_set_at pin_set_by (login_failures is not copied) */
	STORE_T_BATCHES,    /* id file_name sha256 rule user_id recorded_at rows posted unchanged
	                       reverses_batch first_id last_id */
	STORE_T_EVENTS,     /* id seq kind entity_id entity_key action state recorded_at user_id
	                       hash_version hash */
	STORE_T_LEDGER,     /* id document store_id item_id reason_id diff tdate recorded_at user_id
	                       approved_by reverses batch_id memo hash seq item_number hash_version */
	STORE_T_BALANCES,   /* store_id item_id qty */
	STORE_T_DAY_TOTALS, /* store_id item_id tdate diff */
	STORE_T_USER_DAYS,  /* store_id item_id tdate user_id diff */
	STORE_T_COUNTS,     /* id store_id blind scope memo user_id started_at count_day start_seq */
	STORE_T_COUNT_ITEMS, /* count_id item_id */
	STORE_T_COUNT_SCANS, /* id count_id item_id kind qty seq undoes user_id recorded_at */
	STORE_T_COUNT_ENDS, /* count_id status batch_id zero_uncounted accept_moved user_id recorded_at */
	STORE_T_ITEM_COSTS, /* item_id effective unit_cost */
	STORE_T_REPORT_ITEMS, /* tdate store_id item_id reason_id user_id cancelled lines added removed
	                         value unvalued */
	STORE_T_REPORT_DAYS,  /* tdate store_id reason_id user_id cancelled lines added removed value
	                         unvalued */
	STORE_T_COUNT
} store_table;

#define STORE_TABLE_MAX_COLS 17
extern const int store_table_cols[STORE_T_COUNT];
extern const char *const store_table_names[STORE_T_COUNT];

typedef bool (*store_row_cb)(void *ctx, const char *const *vals, int ncols);
iv_status store_table_each(store *st, store_table t, store_row_cb cb, void *ctx);
/* Inside the caller's write transaction; in bulk mode the backend may
 * defer the write until its commit (failures are then reported there). */
iv_status store_table_insert(store *st, store_table t, const char *const *vals, int ncols);
iv_status store_table_count(store *st, store_table t, int64_t *n);
/* One row of a master table (stores, items, reasons, users, batches) by
 * id, as store_table_each gives it; IV_E_NOT_FOUND when there is none. */
iv_status store_master_row(store *st, store_table t, int64_t id, store_row_cb cb, void *ctx);
/* After copying: ids given from now on follow the highest copied one. */
iv_status store_copy_finish(store *st);

#endif
