/* What the engine's own files share, and nothing outside src/engine. */
#ifndef INVADJ_ENGINE_INTERNAL_H
#define INVADJ_ENGINE_INTERNAL_H

#include <stdarg.h>

#include "engine/canon.h"
#include "invadj/engine.h"
#include "invadj/hmap.h"
#include "store/store.h"

struct iv_db {
	store *st;
	iv_user user;   /* the logged-in author of writes */
	bool logged_in;
	iv_date today;
	char errmsg[IV_MSG_MAX];
};

/* Records the sentence for iv_errmsg() and returns st, so that a
 * refusal reads: return iv_fail(db, IV_E_REFUSED, "...", ...); */
iv_status iv_fail(iv_db *db, iv_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Passes a storage failure up with the store's sentence. */
iv_status iv_fail_store(iv_db *db, iv_status st);

/* Refuses unless someone is logged in whose user is not disabled; a
 * session whose user was disabled meanwhile is ended. */
iv_status iv_need_login(iv_db *db);

/* Checks a supervisor's approval (name and PIN, role supervisor or
 * admin); *approver receives the approver.  A supervisor or admin
 * session approves its own lines: no separate approval is needed. */
iv_status iv_check_approval(iv_db *db, iv_approval ap, const char *what, iv_user *approver);

/* "clerk", "supervisor" or "admin". */
bool iv_role_parse(const char *text, iv_role *out);

/* The session user as the rules see them (rules.h). */
struct rule_user;
void iv_session_rule_user(const iv_db *db, struct rule_user *out);

/* The day a time was recorded (UTC text, as on ledger rows), in the
 * store's zone: the day against which its transaction date is checked.
 * Until the stores' zones take effect it is the host's zone: this is
 * the one place that changes then. */
iv_date iv_recorded_day(const iv_store *s, const char *recorded_at);

/* Parses a user's date ("" or NULL: today) and refuses future dates;
 * field names the field in the message. */
iv_status iv_parse_date(iv_db *db, const char *text, const char *field, iv_date *out);
/* Parses any valid date (filters, as-of dates): future ones too. */
iv_status iv_parse_any_date(iv_db *db, const char *text, const char *field, iv_date *out);

/* Master data by code or identifier, refusing unknown ones in words.
 * id and out may be NULL. */
iv_status iv_find_store(iv_db *db, const char *code, int64_t *id, iv_store *out);
iv_status iv_find_item(iv_db *db, const char *ident, int64_t *id, iv_item *out);

/* Parses a Diff: non-zero, whole, within the limit. */
iv_status iv_parse_diff(iv_db *db, const char *text, const char *field, iv_qty *out);

/* The current time as recorded on ledger rows (UTC, milliseconds). */
void iv_now_text(char buf[32]);

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

typedef struct ledger_chains {
	int64_t last_id;  /* the highest ledger id */
	hmap *index;      /* store id -> index in heads */
	chain_head *heads;
	size_t n, cap;
} ledger_chains;

/* Reads the highest id, inside the caller's write transaction. */
iv_status ledger_chains_init(iv_db *db, ledger_chains *c);
void ledger_chains_free(ledger_chains *c);
/* Gives rec its place (the next id, the next seq of its store's chain,
 * the document when 0), keeps its recorded time from going back before
 * the chain's last, and hashes it (version 2) over names.  rd: where a
 * chain's head is read the first time. */
iv_status ledger_chain_row(iv_db *db, store *rd, ledger_chains *c, store_ledger_rec *rec,
                           const row_names *names);
/* Chains and inserts one row inside the caller's write transaction,
 * and unless defer_sums is set adds its Diff to the balance, the day
 * total and the user's day total. */
iv_status ledger_append(iv_db *db, ledger_chains *c, store_ledger_rec *rec, const row_names *names,
                        bool defer_sums);
/* A ledger writer inserts rows on a thread of its own while the caller
 * goes on checking the next rows (the bulk loader): the caller's
 * ledger_writer_put chains each row as ledger_append does (reading
 * heads through rd), the thread only inserts.  While it runs, the
 * caller must not use db->st.  The sums are the caller's to write after
 * ledger_writer_finish. */
typedef struct ledger_writer ledger_writer;
iv_status ledger_writer_start(iv_db *db, ledger_chains *chains, store *rd, ledger_writer **out);
/* Chains and queues one row; rec->id and rec->document are set. */
iv_status ledger_writer_put(ledger_writer *w, store_ledger_rec *rec, const row_names *names);
/* Waits for the queued rows, frees w; returns the first failure (its
 * sentence on db). */
iv_status ledger_writer_finish(ledger_writer *w);

/* The negative-stock rule (rules.h) for one store and item, for a line
 * of Diff dated tdate, with what the database holds now.  pending is
 * the sum of Diffs for the same store and item earlier in this document
 * that are not in the database yet (0 when they are).  *net receives
 * Net Available before the line (balance + pending).  Refuses (status
 * IV_E_REFUSED, msg filled) as rule_stock_ok does. */
iv_status ledger_check_negative(iv_db *db, const iv_store *s, int64_t store_id, int64_t item_id,
                                const char *item_number, iv_qty pending, iv_qty diff,
                                iv_date tdate, iv_qty *net, char *msg, size_t msgsize);

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
} master_field;

const master_field *master_fields(store_table t, size_t *n);
/* The event kind of a master table ("store", ...), NULL for others. */
const char *master_kind(store_table t);
store_table master_table(const char *kind); /* STORE_T_COUNT when none */
/* The canonical state of a master row given as text values
 * (store_table_each's), and its key (code, number, name, or the id). */
bool master_state(store_table t, const char *const *vals, int ncols, ns_text *state,
                  char key[IV_NAME_MAX + 1]);

/* The engine's part of a schema migration (store_upgrade_fn): from
 * schema 2, an event for every store, item, reason, user and batch. */
iv_status iv_upgrade(store *st, int from_version);

#endif
