/* What the engine's own files share, and nothing outside src/engine. */
#ifndef INVADJ_ENGINE_INTERNAL_H
#define INVADJ_ENGINE_INTERNAL_H

#include <stdarg.h>

#include "engine/canon.h"
#include "invadj/engine.h"
#include "invadj/hmap.h"
#include "store/store.h"

/* A zone's offset from UTC, kept for a quarter of an hour (clock.c). */
typedef struct zone_memo {
	bool used;
	char tz[IV_TZ_MAX + 1];
	int64_t quarter; /* unix time / 900 */
	int64_t offset;  /* seconds ahead of UTC */
} zone_memo;
#define ZONE_MEMO 8

struct iv_db {
	store *st;
	iv_user user;   /* the logged-in author of writes */
	bool logged_in;
	/* A PostgreSQL server: each person is a role of the server, which
	 * checks their password (roles.c); a file's PINs are invadj's own. */
	bool server;
	zone_memo zones[ZONE_MEMO];
	unsigned next_zone;
	char errmsg[IV_MSG_MAX];
};

/* Records the sentence for iv_errmsg() and returns st, so that a
 * refusal reads: return iv_fail(db, IV_E_REFUSED, "...", ...); */
iv_status iv_fail(iv_db *db, iv_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Keeps the sentence for iv_file_errmsg() (files.c). */
void files_set_errmsg(const char *msg);

/* Passes a storage failure up with the store's sentence. */
iv_status iv_fail_store(iv_db *db, iv_status st);

/* Refuses unless someone is logged in whose user is not disabled; a
 * session whose user was disabled meanwhile is ended. */
iv_status iv_need_login(iv_db *db);

/* Hashes a PIN with Argon2id (users.c): out holds crypto_pwhash_STRBYTES. */
iv_status user_hash_pin(iv_db *db, const char *pin, char *out);
/* Checks name and PIN, counting failures (login.c); who names the field
 * in messages ("Login", "Approver", "Current PIN"). */
iv_status login_check(iv_db *db, const char *name, const char *pin, const char *who,
                      store_user *out);

/* The least length of a PIN (policy.c): 4 characters on a file; on a
 * server, where it is the password of the person's login, 8. */
size_t policy_min_secret(bool server);

/* ---- People on a server (roles.c) ----
 * The login: the handle connects as the person (name and PIN are the
 * connection's user and password); a wrong password, an unknown name and
 * a role that may not log in are one refusal. */
iv_status roles_login(iv_db *db, const char *name, const char *pin);
/* A person's PIN proved by a short connection of their own (an
 * approver's, or the current PIN before a change); *out their user. */
iv_status roles_check(iv_db *db, const char *name, const char *pin, const char *who, store_user *out);

/* Checks a supervisor's approval (name and PIN, role supervisor or
 * admin); *approver receives the approver.  A supervisor or admin
 * session approves its own lines: no separate approval is needed. */
iv_status iv_check_approval(iv_db *db, iv_approval ap, const char *what, iv_user *approver);

/* "clerk", "supervisor" or "admin". */
bool iv_role_parse(const char *text, iv_role *out);

/* The session user as the rules see them (rules.h). */
struct rule_user;
void iv_session_rule_user(const iv_db *db, struct rule_user *out);

/* ---- The clock (clock.c) ----
 * Read once per action (a document, a reversal, an upload), so that its
 * rows share one recorded time and one "today" per store. */
typedef struct clock_reading {
	int64_t unix_ms;
	bool day_pinned; /* test build, INVADJ_TODAY: day in every zone */
	iv_date day;
} clock_reading;
iv_status clock_read(iv_db *db, clock_reading *out);
/* The recorded time: UTC, ISO 8601 with milliseconds. */
void clock_utc_text(const clock_reading *t, char buf[32]);
/* clock_read and clock_utc_text: the time of a change to master data. */
iv_status clock_now_text(iv_db *db, char buf[32]);
/* The date at t in zone tz ("" the database's own zone). */
iv_status clock_day(iv_db *db, const clock_reading *t, const char *tz, iv_date *out);
/* Today in the store's zone (s NULL: the database's own zone), now. */
iv_status clock_today(iv_db *db, const iv_store *s, iv_date *out);
/* A recorded time (UTC text) as "YYYY-MM-DD HH:MM:SS+HH:MM" in zone tz;
 * the text as it is when it cannot be converted. */
void clock_local_text(iv_db *db, const char *tz, const char *utc, char *buf, size_t size);
/* A recorded time (UTC text, as on ledger rows: 2026-11-29T12:00:00.000Z)
 * as a reading; false when the text is not one. */
bool clock_parse_utc(const char *text, clock_reading *out);
/* The day a time was recorded (UTC text, as on ledger rows) in zone tz
 * (a store's): the day against which its transaction date is checked.
 * IV_E_INVALID when the text is not a recorded time. */
iv_status iv_recorded_day(iv_db *db, const char *tz, const char *recorded_at, iv_date *out);

/* Parses a user's date ("" or NULL: today) and refuses dates after
 * today (the store's, given by the caller); field names the field in the
 * message. */
iv_status iv_parse_date(iv_db *db, const char *text, const char *field, iv_date today, iv_date *out);
/* Parses any valid date (filters, as-of dates): future ones too. */
iv_status iv_parse_any_date(iv_db *db, const char *text, const char *field, iv_date *out);

/* Master data by code or identifier, refusing unknown ones in words.
 * id and out may be NULL. */
iv_status iv_find_store(iv_db *db, const char *code, int64_t *id, iv_store *out);
iv_status iv_find_item(iv_db *db, const char *ident, int64_t *id, iv_item *out);

/* ---- Fields (fields.c): the one place for cells' limits ----
 * An identifier (store code, item number, UPC, barcode, alternate
 * number, reason code): surrounding blanks trimmed, the rest copied to
 * out; refused (false, msg filled, naming the field) when longer than
 * max characters, or with a blank or control character inside. */
bool field_ident(const char *field, const char *in, size_t max, char *out, size_t out_size,
                 char *msg, size_t msgsize);
/* Text (a name, a description, a memo), taken as it is: refused when
 * longer than max characters, or (unless control_ok) holding a control
 * character. */
bool field_text(const char *field, const char *in, size_t max, bool control_ok, char *msg,
                size_t msgsize);

/* Parses a Diff: non-zero, whole, within the limit. */
iv_status iv_parse_diff(iv_db *db, const char *text, const char *field, iv_qty *out);

/* An item by id (its current number and identifiers). */
iv_status iv_item_by_id(iv_db *db, int64_t id, iv_item *out);

/* ---- Appending to the ledger (ledger.c) -----------------------------
 * One hash chain per store.  A write transaction keeps the heads of
 * the chains it appends to here, read from the database on first use:
 * from db->st, or from a reader connection while a ledger_writer owns
 * db->st (the upload). */
typedef struct chain_head {
	int64_t store_id;
	store_chain_pos pos;
} chain_head;

#define LEDGER_RECENT_HEADS 64
typedef struct ledger_chains {
	int64_t last_id;  /* the highest ledger id taken (-1: none yet) */
	/* Ids taken from the store and not used yet: next_id..ids_end.  The
	 * first time as many as ids_hint (the rows the write will post, when
	 * known: ids then have no gaps), else 1; then twice the last, up to
	 * LEDGER_ID_BLOCK at a time. */
	int64_t next_id, ids_end, ids_hint, ids_block;
	hmap *index;      /* store id -> index in heads */
	chain_head *heads;
	size_t n, cap;
	/* The rows approved by another user than their author, in id order:
	 * on a server the approver signs exactly these (ledger_sign). */
	crypto_hash_sha256_state approved;
	uint64_t napproved;
	int64_t approved_author;
	/* heads' index + 1 by store id modulo LEDGER_RECENT_HEADS (0: none):
	 * a bulk load's rows find their chain without a hash lookup */
	uint32_t recent[LEDGER_RECENT_HEADS];
} ledger_chains;

#define LEDGER_ID_BLOCK 4096
#define LEDGER_ID_HINT_MAX 1000000 /* the most a server gives at once */
/* Inside the caller's write transaction, after store_lock_stores. */
iv_status ledger_chains_init(iv_db *db, ledger_chains *c);
void ledger_chains_free(ledger_chains *c);
/* The write transaction's stores (any order, repeats allowed), locked
 * before anything is read that the write then depends on
 * (store_lock_stores); those of batch's rows, for its reversal. */
iv_status ledger_lock_stores(iv_db *db, const int64_t *store_ids, size_t n);
iv_status ledger_lock_batch_stores(iv_db *db, int64_t batch);
/* Every store's: a change of the states the rules read (a store's
 * threshold, a user's role, a reason's code) or of what the report
 * lines are worth (an item's unit cost), so that no save at any store
 * is between reading the old state and its commit (verify judges each
 * row by the states in force at its time). */
iv_status ledger_lock_all_stores(iv_db *db);
/* Gives rec its place (the next id, the next seq of its store's chain,
 * the document when 0), keeps its recorded time from going back before
 * the chain's last, and hashes it (version 2) over names.  rd: where a
 * chain's head is read the first time. */
iv_status ledger_chain_row(iv_db *db, store *rd, ledger_chains *c, store_ledger_rec *rec,
                           const row_names *names);
/* On a server, before the caller's commit: the approver named by ap
 * signs, with a short connection of their own, a one-time approval of
 * exactly the rows chained with another approver than their author
 * (docs/schema.md, "Approvals"), which those rows use up when the
 * transaction commits.  Nothing to do on a file, or without such rows. */
iv_status ledger_sign(iv_db *db, ledger_chains *c, iv_approval ap);
/* Chains and inserts one row inside the caller's write transaction,
 * and unless defer_sums is set adds its Diff to the balance, the day
 * total, the user's day total and the report summaries. */
iv_status ledger_append(iv_db *db, ledger_chains *c, store_ledger_rec *rec, const row_names *names,
                        bool defer_sums);
/* A ledger writer inserts rows on a thread of its own while the caller
 * goes on checking the next rows (the bulk loader): the caller's
 * ledger_writer_put chains each row as ledger_append does (reading
 * heads through rd), the thread only inserts.  While it runs, the
 * caller must not use db->st (but see ledger_writer_drain).  The sums
 * of the rows are the caller's to hand over (ledger_writer_sum), in
 * key order, the logged-in user's. */
typedef struct ledger_writer ledger_writer;
iv_status ledger_writer_start(iv_db *db, ledger_chains *chains, store *rd, ledger_writer **out);
/* Chains and queues one row; rec->id and rec->document are set. */
iv_status ledger_writer_put(ledger_writer *w, store_ledger_rec *rec, const row_names *names);
/* A Diff of a store, item and date, added to its balance, day total and
 * the user's day total (store_sums_add): handed over in (store_id,
 * item_id, tdate) order; a store and item may come again in a later run
 * of them. */
iv_status ledger_writer_sum(ledger_writer *w, const store_sum *s);
/* Waits until everything handed over is written: db->st is then the
 * caller's to read (it sees those writes) until its next put or sum. */
iv_status ledger_writer_drain(ledger_writer *w);
/* Waits for the queued rows, frees w; returns the first failure (its
 * sentence on db). */
iv_status ledger_writer_finish(ledger_writer *w);

/* The negative-stock rule (rules.h) for one store and item, for a line
 * of Diff dated tdate, against today (the store's).  pending is the sum
 * of Diffs for the same store and item earlier in this document that
 * are not in the database yet (0 when they are).  *net receives Net
 * Available before the line (balance + pending).  Refuses (status
 * IV_E_REFUSED, msg filled) as rule_stock_ok does. */
iv_status ledger_check_negative(iv_db *db, const iv_store *s, int64_t store_id, int64_t item_id,
                                const char *item_number, iv_qty pending, iv_qty diff,
                                iv_date tdate, iv_date today, iv_qty *net, char *msg, size_t msgsize);

/* ---- Unit costs (costs.c) ---------------------------------------------
 * An item's unit cost is part of its state (items.unit_cost and
 * cost_from, in its events); item_costs is the history they make. */

/* An import's UnitCost cell for item_id ("" clears the cost), inside the
 * import's transaction: when the cost changes it takes effect today
 * (the database's day, rule_cost_from), the history gets that day's
 * entry, and the summaries of the item's lines from that day on are
 * valued again.  Refuses a cell that is not a cost, naming the line. */
iv_status costs_import(iv_db *db, uint64_t line, int64_t item_id, const char *cell);

/* The cost history in memory, for the passes that value many lines at
 * once (an upload's summaries, verify). */
typedef struct cost_entry {
	int64_t item_id;
	iv_date effective;
	bool has;
	iv_money cost;
	size_t order; /* as added: the later of one item and day wins */
} cost_entry;
typedef struct cost_book {
	cost_entry *v;
	size_t n, cap;
	bool sorted;
} cost_book;

/* One entry (a later one of the same item and day replaces it once
 * sorted); false when memory runs out. */
bool cost_book_add(cost_book *b, int64_t item_id, iv_date effective, bool has, iv_money cost);
/* Every entry of item_costs. */
iv_status cost_book_load(iv_db *db, cost_book *b);
/* Sorts the entries by item and day, one per item and day (the last
 * added); cost_book_at sorts when it must. */
void cost_book_sort(cost_book *b);
/* The cost in force for item_id on date; false when none. */
bool cost_book_at(cost_book *b, int64_t item_id, iv_date date, iv_money *cost);
void cost_book_free(cost_book *b);

/* ---- The report summaries (report_sums.c) -----------------------------
 * report_items and report_days (store.h) kept in step with the ledger
 * in the transaction that writes it. */

/* A ledger row just appended: its line in both summaries, valued at the
 * cost in force on its date; a reversal is a cancelled line, and the
 * row it reverses moves to the cancelled sums. */
iv_status sums_post(iv_db *db, const store_ledger_rec *rec);
/* An item's cost changed from day `from` on: its summary rows of that
 * day and after are valued again. */
iv_status sums_revalue(iv_db *db, int64_t item_id, const char *from);

/* An upload's lines, the logged-in user's, none cancelled, in its
 * transaction: summed in memory by date, store, item and reason as the
 * rows are accepted (sums_batch_add), and at its end valued by the cost
 * history and written in key order to report_items, and by date, store
 * and reason to report_days (sums_batch_finish).  A file of more keys
 * than memory holds (a bounded number: memory does not grow with the
 * upload) is summed by the database from its rows at the end instead,
 * in key order (store_batch_lines).  On a server that sums rows itself,
 * *out is NULL and the calls with it do nothing. */
typedef struct batch_sums batch_sums;
iv_status sums_batch_start(iv_db *db, int64_t user_id, batch_sums **out);
void sums_batch_add(batch_sums *b, iv_date date, int64_t store_id, int64_t item_id, int64_t reason_id,
                    iv_qty diff);
iv_status sums_batch_finish(batch_sums *b, int64_t batch_id);
void sums_batch_free(batch_sums *b);

/* ---- The master chain (events.c) ------------------------------------ */

typedef struct event_chain {
	bool loaded;
	store_chain_pos head;
} event_chain;

/* The canonical state of master row (t, id) as it is now; *found is
 * false when there is no such row (out is then left empty). */
iv_status events_state(iv_db *db, store_table t, int64_t id, ns_text *out, bool *found);
/* Appends an event with the state the master row (t, id) has now,
 * after the caller changed it in the same write transaction, unless it
 * equals before (the state before the change; NULL: a new row).
 * action: add, change (NULL: one of these two), pin-set, pin-reset,
 * disable, enable, role.  actor: who did it. */
iv_status events_record(iv_db *db, event_chain *c, store_table t, int64_t id, const char *before,
                        const char *action, const iv_user *actor);
/* Appends an event of the given kind and state, recorded at `at` (NULL:
 * now; never before the chain's last event). */
iv_status events_append(iv_db *db, event_chain *c, const char *kind, const char *action,
                        int64_t entity_id, const char *key, const char *state, const iv_user *actor,
                        const char *at);

/* A master table's columns that make an entity's state, in order. */
typedef struct master_field {
	int col;          /* in store_table_each's columns */
	const char *name; /* as history shows it */
	bool digest;      /* kept as the hex BLAKE2b-256 of the value (a PIN's hash) */
	/* Left out of the state, with the fields after it, while they are all
	 * empty: a state written before the field existed is the state of an
	 * entity that does not use it (an item without a unit cost). */
	bool optional;
	bool money;       /* ten-thousandths, shown as an amount */
} master_field;

const master_field *master_fields(store_table t, size_t *n);
/* Splits a state of kind t into its fields (f[k], len[k]), the optional
 * ones left out given as empty; returns the number of fields, or -1
 * when the state is not one of that kind. */
int master_split(store_table t, const char *state, const char **f, size_t *len);
/* The event kind of a master table ("store", ...), NULL for others. */
const char *master_kind(store_table t);
store_table master_table(const char *kind); /* STORE_T_COUNT when none */
/* The canonical state of a master row given as text values
 * (store_table_each's), and its key (code, number, name, or the id). */
bool master_state(store_table t, const char *const *vals, int ncols, ns_text *state,
                  char key[IV_NAME_SIZE]);

/* The engine's part of a schema migration (store_upgrade_fn): from
 * schema 2, an event for every store, item, reason, user and batch. */
iv_status iv_upgrade(store *st, int from_version);

/* How many further dates of its store and item pairs an upload holds
 * before it hands its sums over (UPLOAD_DAYS_HELD, upload_internal.h):
 * tests make it small to reach that path with small files; 0 restores
 * it. */
void upload_set_days_held(size_t n);
/* How many keys of report_items an upload's summaries hold in memory
 * (report_sums.c): tests make it small to reach the database's sums; 0
 * restores it. */
void sums_set_batch_lines(size_t items);

#endif
