/* What the engine's own files share, and nothing outside src/engine. */
#ifndef INVADJ_ENGINE_INTERNAL_H
#define INVADJ_ENGINE_INTERNAL_H

#include <stdarg.h>

#include "invadj/engine.h"
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

/* Checks a supervisor's approval (name and PIN, role supervisor or
 * admin); *approver_id receives the approver.  A supervisor or admin
 * session approves its own lines: no separate approval is needed. */
iv_status iv_check_approval(iv_db *db, iv_approval ap, const char *what, int64_t *approver_id);

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
/* The date at t in zone tz ("" the database's own zone). */
iv_status clock_day(iv_db *db, const clock_reading *t, const char *tz, iv_date *out);
/* Today in the store's zone (s NULL: the database's own zone), now. */
iv_status clock_today(iv_db *db, const iv_store *s, iv_date *out);
/* A recorded time (UTC text) as "YYYY-MM-DD HH:MM:SS+HH:MM" in zone tz;
 * the text as it is when it cannot be converted. */
void clock_local_text(iv_db *db, const char *tz, const char *utc, char *buf, size_t size);

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

/* Appends one row to the ledger inside the caller's write transaction:
 * assigns rec->id (the next id), chains rec->hash to the previous row's,
 * inserts it, and unless defer_balances is set adds the Diff to the
 * balance and day totals.  head/head_id carry the chain between calls
 * within one transaction: load them with ledger_head() first. */
typedef struct ledger_chain {
	int64_t last_id;
	unsigned char hash[STORE_HASH_LEN];
} ledger_chain;

iv_status ledger_head(iv_db *db, ledger_chain *chain);
iv_status ledger_append(iv_db *db, ledger_chain *chain, store_ledger_rec *rec, bool defer_balances);
/* A ledger writer inserts rows on a thread of its own while the caller
 * goes on checking the next rows (the bulk loader): the caller assigns
 * ids and hashes (the chain) as ledger_append does, the thread only
 * inserts.  While it runs, the caller must not use db->st; it reads
 * through store_open_reader instead.  Balances are the caller's to
 * write (as with defer_balances) after ledger_writer_finish. */
typedef struct ledger_writer ledger_writer;
iv_status ledger_writer_start(iv_db *db, ledger_chain *chain, ledger_writer **out);
/* Chains and queues one row; rec->id and rec->document are set. */
iv_status ledger_writer_put(ledger_writer *w, store_ledger_rec *rec);
/* Waits for the queued rows, frees w; returns the first failure (its
 * sentence on db). */
iv_status ledger_writer_finish(ledger_writer *w);

/* The row hash: BLAKE2b-256 over the previous hash and the row's fields. */
void ledger_hash(const unsigned char prev[STORE_HASH_LEN], const store_ledger_rec *rec,
                 unsigned char out[STORE_HASH_LEN]);

/* The negative-stock rule for one store and item, for a line of Diff
 * dated tdate (today: the store's).  pending is the sum of Diffs for the same store and item
 * earlier in this document that are not in the database yet (0 when
 * they are).  *net receives Net Available before the line (balance +
 * pending).  Unless the store allows negative stock, refuses (status
 * IV_E_REFUSED, msg filled) when New Qty would be below zero, or, for a
 * back-dated line, when the running balance at the end of its date or
 * of any later day would be. */
iv_status ledger_check_negative(iv_db *db, const iv_store *s, int64_t store_id, int64_t item_id,
                                const char *item_number, iv_qty pending, iv_qty diff,
                                iv_date tdate, iv_date today, iv_qty *net, char *msg, size_t msgsize);

#endif
