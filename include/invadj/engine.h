/* The adjustment engine: the rules of the inventory ledger.
 *
 * Everything a front end may do goes through these functions: the
 * command line, the ncurses screens and the tests all call them, and
 * none of them decides a rule of its own.  Every function returns an
 * iv_status; on failure iv_errmsg() holds one sentence for the user that
 * names the field and the reason, and nothing has been written.
 *
 * Text in and out is UTF-8.  Dates are passed as the text the user
 * typed (MM/DD/YYYY, MM-DD-YYYY or YYYY-MM-DD; NULL or "" means today)
 * so that the parsing rule lives here, once. */
#ifndef INVADJ_ENGINE_H
#define INVADJ_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "invadj/date.h"
#include "invadj/money.h"
#include "invadj/qty.h"
#include "invadj/status.h"

/* Limits count characters (Unicode code points), as people do: 100 x
 * "é" is 100 characters.  A cell longer than its field is refused,
 * never cut.  The buffers that hold a field are IV_TEXT_SIZE bytes: up
 * to four bytes a character in UTF-8, and the NUL. */
#define IV_CODE_MAX 32  /* store and reason codes */
#define IV_IDENT_MAX 64 /* item numbers, UPCs, barcodes, user names */
#define IV_NAME_MAX 128 /* store names, descriptions */
#define IV_MEMO_MAX 255
#define IV_TEXT_SIZE(chars) (4 * (chars) + 1)
#define IV_CODE_SIZE IV_TEXT_SIZE(IV_CODE_MAX)
#define IV_IDENT_SIZE IV_TEXT_SIZE(IV_IDENT_MAX)
#define IV_NAME_SIZE IV_TEXT_SIZE(IV_NAME_MAX)
#define IV_MEMO_SIZE IV_TEXT_SIZE(IV_MEMO_MAX)
#define IV_MSG_MAX 512
#define IV_HASH_HEX 65  /* 32-byte hash in hex and its NUL */
#define IV_TZ_MAX 64    /* an IANA time zone name, e.g. Pacific/Pago_Pago */

typedef struct iv_db iv_db;

typedef enum iv_role { IV_ROLE_CLERK, IV_ROLE_SUPERVISOR, IV_ROLE_ADMIN } iv_role;

typedef struct iv_store {
	char code[IV_CODE_SIZE];
	char name[IV_NAME_SIZE];
	bool allow_negative;
	iv_qty approval_threshold; /* |Diff| above it needs a supervisor; 0: none */
	/* Its time zone: "today", the future-date guard and back-dating use
	 * the store's local date; "" is the host's zone (a database file) or
	 * the server's (PostgreSQL). */
	char tz[IV_TZ_MAX + 1];
} iv_store;

typedef struct iv_item {
	char number[IV_IDENT_SIZE];
	char description[IV_NAME_SIZE];
	char upc[IV_IDENT_SIZE];
	char barcode[IV_IDENT_SIZE];
	char alt[3][IV_IDENT_SIZE];
} iv_item;

typedef struct iv_reason {
	char code[IV_CODE_SIZE];
	char description[IV_NAME_SIZE];
} iv_reason;

typedef struct iv_user {
	int64_t id;
	char name[IV_IDENT_SIZE];
	iv_role role;
} iv_user;

/* A user as listed: never the PIN's hash. */
typedef struct iv_user_info {
	char name[IV_IDENT_SIZE];
	iv_role role;
	char created_at[32];
	char disabled_at[32]; /* "" while the user may log in */
	char disabled_by[IV_IDENT_SIZE];
	char pin_set_at[32];  /* the last PIN change after adding: "" if none */
	char pin_set_by[IV_IDENT_SIZE]; /* the user, or an admin who reset it */
} iv_user_info;
typedef bool (*iv_user_cb)(void *ctx, const iv_user_info *u);

/* A supervisor's approval: user name and PIN.  name NULL or "": none. */
typedef struct iv_approval {
	const char *name;
	const char *pin;
} iv_approval;

/* Checks a supervisor's approval (name, PIN, role; the PIN slowdown
 * counts) without posting anything, so that a front end can ask for it
 * before its confirmation.  A supervisor or admin session needs none.
 * what names the act in the message ("a reversal"). */
iv_status iv_approval_check(iv_db *db, iv_approval ap, const char *what);

/* ---- Opening and closing ------------------------------------------ */

typedef enum iv_open_mode { IV_OPEN_EXISTING, IV_OPEN_CREATE, IV_OPEN_READONLY } iv_open_mode;

/* Opens (or with IV_OPEN_CREATE creates, owner-only) the database and
 * brings its schema up to date.  IV_OPEN_READONLY (commands that only
 * read: verify, balance, history, export, dry runs) writes nothing:
 * never creates a file or migrates a schema, and refuses (IV_E_STORAGE,
 * "... is not an invadj database") a missing, empty or foreign one.  *out is set whenever memory allows,
 * also on failure, so that iv_errmsg() can say why; close it either way. */
iv_status iv_open(const char *path, iv_open_mode mode, iv_db **out);
/* Another handle on db's database (for another thread), connected as
 * whoever db is: on a server the person logged in on db, whose password
 * is not asked again.  Nobody is logged in on it. */
iv_status iv_open_like(iv_db *db, iv_open_mode mode, iv_db **out);
void iv_close(iv_db *db);
const char *iv_errmsg(const iv_db *db);

/* $XDG_DATA_HOME/invadj/inventory.db (or ~/.local/share/...); false
 * and *why (a phrase) when neither is set or the path does not fit. */
bool iv_default_db_path(char *buf, size_t size, const char **why);
/* Whether path names a database file rather than a server
 * (postgresql://...). */
bool iv_is_file(const char *path);

/* Today in the store's time zone (store_code NULL or unknown: the
 * database's own zone), by the database's clock (the host's for a file,
 * the server's for PostgreSQL), read now: for a screen to show; every
 * rule reads it again when it runs. */
iv_date iv_today(iv_db *db, const char *store_code);

const char *iv_version(void);

/* ---- Set-up and users --------------------------------------------- */

/* Creates the first admin of an empty database. */
iv_status iv_init(iv_db *db, const char *admin_name, const char *admin_pin);

/* Loads stores.csv, items.csv, reasons.csv, the demo users and the
 * opening stock from data_dir (demo databases only). */
iv_status iv_load_demo(iv_db *db, const char *data_dir);

/* Whether every file iv_load_demo reads is there and readable: asked
 * before iv_init, so that a wrong folder leaves no half-made demo (the
 * demo loads in several transactions, after the admin is made). */
iv_status iv_demo_check(iv_db *db, const char *data_dir);

/* Checks the PIN (Argon2id) and makes the user the session's author.
 * Repeated failures for a user are slowed down: after three in a row
 * the next attempt is refused until a growing delay has passed. */
iv_status iv_login(iv_db *db, const char *name, const char *pin);
/* The way back in when a name is kept waiting (e.g. someone tries one
 * wrong PIN for admin every few minutes): forgets the name's wrong PINs.
 * No login is needed, but only the database's owner may: on a file the
 * Unix owner of the file (whom a clerk working through the group is
 * not); on PostgreSQL a role that may delete from login_failures (the
 * owner's, not the terminals').  IV_E_PERMISSION for anyone else. */
iv_status iv_login_unlock(iv_db *db, const char *name);
void iv_logout(iv_db *db);
const iv_user *iv_session_user(const iv_db *db); /* NULL when none */

/* Users are never deleted: their ledger rows keep naming them.  An
 * admin adds users, sets anyone's PIN (which also lifts a login
 * slowdown) and disables or enables anyone but themselves; a disabled
 * user can neither log in nor approve.  Anyone may set their own PIN. */
iv_status iv_user_add(iv_db *db, const char *name, const char *role, const char *pin);
iv_status iv_user_set_pin(iv_db *db, const char *name, const char *new_pin);
/* The session user's own PIN, given the current one (a screen left
 * logged in must not let a passer-by take the account over). */
iv_status iv_user_change_pin(iv_db *db, const char *current_pin, const char *new_pin);
iv_status iv_user_set_disabled(iv_db *db, const char *name, bool disabled);
/* A file whose ledger came from a server has users without PINs (a
 * server keeps none): an enabled admin among them gets the file's first
 * PIN without a login (whoever may write the file could set one with
 * the sqlite3 shell anyway), and then sets the others'.  Refused for a
 * user who has a PIN, and on a server. */
iv_status iv_user_first_pin(iv_db *db, const char *name, const char *pin);
/* An admin gives NAME the role "clerk", "supervisor" or "admin"; the
 * last enabled admin keeps the role. */
iv_status iv_user_set_role(iv_db *db, const char *name, const char *role);
/* On a PostgreSQL server every user is a login role of the server
 * (docs/deployment.md).  A database whose users have no roles yet (an
 * older deployment with one terminal role, or a ledger just migrated
 * there) gets them: run by the server's administrator (no login: the
 * connection is theirs), each user without a role gets one, in the group
 * of their role, LOGIN unless disabled, with a one-time password; a role
 * that is there is put in step with the users table; PIN hashes the
 * table still holds are cleared (a reset recorded in admin's name); from
 * then on every approved row needs its approval; and, when revoke names
 * the old shared terminal role, it loses every privilege on the
 * database.  All in one transaction; cb then hears of every user, with
 * the one-time passwords of the roles made (told once). */
#define IV_SERVER_PASSWORD 16
typedef struct iv_server_person {
	char name[IV_IDENT_SIZE];
	iv_role role;
	bool enabled;
	bool created;                      /* false: the role was there */
	char password[IV_SERVER_PASSWORD]; /* created: the one-time password */
} iv_server_person;
typedef bool (*iv_server_person_cb)(void *ctx, const iv_server_person *p);
iv_status iv_server_roles(iv_db *db, const char *admin, const char *revoke, iv_server_person_cb cb,
                          void *ctx);
/* Every user by name (supervisor or admin). */
iv_status iv_user_list(iv_db *db, iv_user_cb cb, void *ctx);
const char *iv_role_name(iv_role role);

/* ---- Master data --------------------------------------------------- */

typedef enum iv_import_kind { IV_IMPORT_STORES, IV_IMPORT_ITEMS, IV_IMPORT_REASONS } iv_import_kind;

/* Inserts or updates master data from CSV (headers in the man page);
 * one transaction; never touches the ledger.  Admin or supervisor. */
iv_status iv_import(iv_db *db, iv_import_kind kind, const char *path, size_t *rows);

iv_status iv_store_get(iv_db *db, const char *code, iv_store *out);
/* Finds an item by item number, UPC, barcode or alternate number. */
iv_status iv_item_find(iv_db *db, const char *ident, iv_item *out);
iv_status iv_reason_get(iv_db *db, const char *code, iv_reason *out);

/* Callbacks return true to go on, false to stop early. */
typedef bool (*iv_store_cb)(void *ctx, const iv_store *s);
typedef bool (*iv_item_cb)(void *ctx, const iv_item *it);
typedef bool (*iv_reason_cb)(void *ctx, const iv_reason *r);

iv_status iv_store_list(iv_db *db, iv_store_cb cb, void *ctx);
iv_status iv_reason_list(iv_db *db, iv_reason_cb cb, void *ctx);
/* Items whose identifiers start with text or whose description contains
 * it (case-insensitive), at most limit of them, by item number. */
iv_status iv_item_search(iv_db *db, const char *text, size_t limit, iv_item_cb cb, void *ctx);

/* ---- Adjustments --------------------------------------------------- */

typedef struct iv_line_in {
	const char *item;   /* any item identifier */
	const char *reason; /* reason code */
	const char *diff;   /* as typed: a non-zero whole number */
	const char *memo;   /* may be NULL */
} iv_line_in;

typedef struct iv_line_out {
	iv_status status;          /* IV_OK, or why this line is refused */
	char field[24];            /* the refused field: "Diff", "Item Number", ... */
	char message[IV_MSG_MAX];  /* the refusal in words */
	iv_item item;              /* resolved item (number and description) */
	char reason[IV_CODE_SIZE];
	iv_qty net_available;      /* before this line (earlier lines included) */
	iv_qty diff;
	iv_qty new_qty;            /* net_available + diff */
	bool needs_approval;       /* above the store's approval threshold */
	int64_t id;                /* ledger id once posted */
	bool back_dated;           /* the document's date is before today */
	iv_qty net_on_date;        /* Net Available at the end of that date (earlier lines included) */
	iv_qty new_qty_on_date;    /* net_on_date + diff */
} iv_line_out;

typedef struct iv_document {
	const char *store;
	const char *date; /* NULL or "": today */
	const iv_line_in *lines;
	size_t nlines;
	iv_approval approval;
} iv_document;

/* Fills out[0..nlines) with each line's Net Available, Diff and New Qty
 * or its refusal.  Returns the first refusal's status (the message then
 * names the line), IV_OK when the document could be posted as it is.
 * Writes nothing. */
iv_status iv_doc_preview(iv_db *db, const iv_document *doc, iv_line_out *out);

/* A document's Date as typed (NULL or "": today), checked as saving
 * checks it (a real date, not after the store's today), into ISO text;
 * *back_dated when it is before that today.  For a screen to refuse a
 * date when the field is left rather than when a line is entered. */
iv_status iv_doc_date(iv_db *db, const char *store_code, const char *text, char iso[IV_DATE_ISO_LEN],
                      bool *back_dated);

/* Checks again and posts all lines in one transaction, or none.
 * *document_no receives the document number shared by the lines. */
iv_status iv_doc_post(iv_db *db, const iv_document *doc, iv_line_out *out, int64_t *document_no);

typedef struct iv_reversal {
	int64_t id;          /* the ledger row to reverse */
	const char *reason;  /* NULL or "": REV */
	const char *memo;
	iv_approval approval; /* needed when the session user is a clerk */
} iv_reversal;

/* What reversing would do (New Qty) or why it cannot be done; writes
 * nothing.  out->needs_approval tells a clerk's front end to ask for a
 * supervisor before calling iv_reverse(). */
iv_status iv_reverse_preview(iv_db *db, int64_t id, iv_line_out *out);
iv_status iv_reverse(iv_db *db, const iv_reversal *rev, iv_line_out *out);

/* ---- Reading ------------------------------------------------------- */

typedef struct iv_balance_row {
	char store[IV_CODE_SIZE];
	char item[IV_IDENT_SIZE];
	char description[IV_NAME_SIZE];
	iv_qty net_available;
} iv_balance_row;

typedef bool (*iv_balance_cb)(void *ctx, const iv_balance_row *row);

/* Net Available now, or as of the end of a date (as_of NULL or ""). */
iv_status iv_net_available(iv_db *db, const char *store, const char *item,
                           const char *as_of, iv_qty *out);
/* Balances by store and item; store, item, as_of may be NULL. */
iv_status iv_balances(iv_db *db, const char *store, const char *item,
                      const char *as_of, iv_balance_cb cb, void *ctx);

/* Browsing lists of any length a page at a time (keyset paging), for
 * the screens.  Search text is folded (case, accents, Unicode forms:
 * "CAFÉ" finds "café") and found anywhere in an item's number, UPC,
 * barcode, alternate numbers and description. */
typedef struct iv_stock_query {
	const char *store;  /* NULL or "": every store */
	const char *search; /* NULL or "": every item */
	const char *as_of;  /* NULL or "": now */
	const iv_balance_row *after; /* rows after this one (with back: before it); NULL: from that end */
	bool back;          /* backwards, nearest first */
	size_t limit;
} iv_stock_query;
/* Balances by item number, then store code. */
iv_status iv_stock_page(iv_db *db, const iv_stock_query *q, iv_balance_cb cb, void *ctx);
/* How many rows the query's store and search match (after, back and
 * limit are ignored). */
iv_status iv_stock_count(iv_db *db, const iv_stock_query *q, uint64_t *n);
/* Items by number, after (with back: before) after_number. */
iv_status iv_item_page(iv_db *db, const char *search, const char *after_number, bool back, size_t limit,
                       iv_item_cb cb, void *ctx);
iv_status iv_item_count(iv_db *db, const char *search, uint64_t *n);

typedef struct iv_ledger_row {
	int64_t id;
	int64_t seq;         /* the row's place in its store's chain: 1, 2, 3, ... */
	int64_t document;
	char tdate[IV_DATE_ISO_LEN];
	char recorded_at[32]; /* UTC, ISO 8601 with milliseconds */
	char recorded_local[32]; /* the same in the store's zone: 2026-11-30 02:00:00+14:00 */
	char store[IV_CODE_SIZE];
	char item[IV_IDENT_SIZE];
	char reason[IV_CODE_SIZE];
	iv_qty diff;
	char user[IV_IDENT_SIZE];
	char approved_by[IV_IDENT_SIZE]; /* "" when none */
	int64_t reverses;    /* 0 when none */
	int64_t reversed_by; /* 0 when none */
	int64_t batch;       /* 0 when none */
	char memo[IV_MEMO_SIZE];
	char hash[IV_HASH_HEX]; /* the row's link in the hash chain, hex */
	/* What else the hash covers (docs/schema.md), for export. */
	int64_t store_id, item_id, reason_id, user_id, approver_id; /* approver 0: none */
	int hash_version;            /* 1: before schema 3; 2: store codes and names too */
	char prev_hash[IV_HASH_HEX]; /* the hash it chains to, hex */
} iv_ledger_row;

typedef struct iv_history_filter {
	const char *store, *item, *reason, *user; /* NULL: any */
	const char *from, *to;                    /* dates, inclusive; NULL: open */
	int64_t batch;                            /* 0: any */
	int64_t before_id;                        /* 0: from the newest; paging */
	size_t limit;                             /* 0: all */
	bool oldest_first;                        /* export order; before_id is ignored */
	int64_t after_id;                         /* with oldest_first: rows after it (paging back) */
	const char *anchor_date;                  /* the before/after row's date: dated filters page by date */
} iv_history_filter;

typedef bool (*iv_ledger_cb)(void *ctx, const iv_ledger_row *row);

/* Ledger rows, newest first. */
iv_status iv_history(iv_db *db, const iv_history_filter *f, iv_ledger_cb cb, void *ctx);
iv_status iv_ledger_get(iv_db *db, int64_t id, iv_ledger_row *out);
/* Whether the rows come by transaction date (then id) rather than by id
 * alone: when dates are filtered and neither an item nor a batch is. */
bool iv_history_by_date(const iv_history_filter *f);
/* How many rows the filter matches (its before_id, after_id and limit
 * are ignored). */
iv_status iv_history_count(iv_db *db, const iv_history_filter *f, uint64_t *n);

/* ---- Reports --------------------------------------------------------
 * What was adjusted, why, where and at what cost, summed from the
 * report summaries (never the ledger rows) in one read snapshot, so
 * that a report over ten million rows takes well under a second and
 * never holds up a terminal that saves. */

typedef enum iv_report_key {
	IV_BY_NONE, IV_BY_REASON, IV_BY_STORE, IV_BY_ITEM, IV_BY_USER, IV_BY_DAY, IV_BY_WEEK, IV_BY_MONTH,
	IV_BY_KEYS
} iv_report_key;

/* "reason", "store", ... ("" for IV_BY_NONE). */
const char *iv_report_key_name(iv_report_key k);
/* One or two keys, as `--by store,reason` gives them: by[1] is
 * IV_BY_NONE for one.  Refuses an unknown key or one given twice. */
iv_status iv_report_by(iv_db *db, const char *text, iv_report_key by[2]);

/* Named ranges of transaction dates, for a picker and `--period`:
 * today, yesterday, last-7-days, last-30-days, this-week and last-week
 * (ISO weeks, Monday to Sunday), this-month, last-month, this-year,
 * last-year. */
typedef struct iv_period {
	const char *name;  /* last-30-days */
	const char *label; /* Last 30 days */
} iv_period;
const iv_period *iv_report_periods(size_t *n);
/* The dates of a named range, by today (the store's when store_code is
 * given, else the database's). */
iv_status iv_report_period(iv_db *db, const char *name, const char *store_code, char from[IV_DATE_ISO_LEN],
                           char to[IV_DATE_ISO_LEN]);

typedef struct iv_report_query {
	iv_report_key by[2];
	/* Transaction dates, inclusive, as typed; NULL or "": to is today
	 * (the store's when one is given, else the database's), from the
	 * 29 days before it: the last 30 days. */
	const char *from, *to;
	const char *store, *item, *reason; /* NULL or "": any */
	/* A reversed adjustment and its reversal cancel and are left out;
	 * true keeps both. */
	bool with_reversed;
} iv_report_query;

typedef struct iv_report_sums {
	uint64_t lines;
	iv_qty added, removed; /* the positive Diffs, the negative ones as a positive number */
	/* The value of the lines that have a unit cost on their transaction
	 * date, at that cost (Diff x cost); the lines without one are
	 * counted in unvalued and have no value, not a value of zero. */
	iv_money value;
	uint64_t unvalued;
} iv_report_sums;

typedef struct iv_report_row {
	/* Each key's value: a store or reason code, an item number, a user
	 * name, a date, an ISO week (2026-W24) or a month (2026-06). */
	char key[2][IV_IDENT_SIZE];
	char label[2][IV_NAME_SIZE]; /* what it stands for (a description, a store's name) or "" */
	/* The transaction dates the row covers: its day, week or month
	 * within the range, or the whole range. */
	char from[IV_DATE_ISO_LEN], to[IV_DATE_ISO_LEN];
	iv_report_sums sums;
} iv_report_row;

typedef struct iv_report_result {
	char from[IV_DATE_ISO_LEN], to[IV_DATE_ISO_LEN]; /* the range, resolved */
	size_t rows;
	iv_report_sums total;
} iv_report_result;

typedef bool (*iv_report_cb)(void *ctx, const iv_report_row *row);

/* Adjustments summed by one or two keys (rows in key order: codes and
 * numbers alphabetically, dates, weeks and months in time order), and
 * their total in *out.  A supervisor or admin. */
iv_status iv_report_adjustments(iv_db *db, const iv_report_query *q, iv_report_cb cb, void *ctx,
                                iv_report_result *out);

typedef struct iv_item_day {
	char date[IV_DATE_ISO_LEN];
	iv_qty net_available; /* at the end of the day */
	iv_qty diff;          /* the day's Diffs */
} iv_item_day;
typedef bool (*iv_item_day_cb)(void *ctx, const iv_item_day *d);

/* An item's Net Available day by day over from..to (as in
 * iv_report_query; at most 100 years), in one store or every store, and
 * each day's Diffs; the range resolved in from_out and to_out (may be
 * NULL).  Quantities only: anyone may. */
iv_status iv_report_item(iv_db *db, const char *item, const char *store_code, const char *from, const char *to,
                         iv_item_day_cb cb, void *ctx, char from_out[IV_DATE_ISO_LEN],
                         char to_out[IV_DATE_ISO_LEN]);

/* ---- Recovery ------------------------------------------------------ */

/* A consistent copy of the whole database into path (created
 * owner-only; refused if it exists), made with SQLite's online backup
 * while other terminals keep working. */
iv_status iv_backup(iv_db *db, const char *path);

/* ---- Checking ------------------------------------------------------ */

typedef struct iv_verify_report {
	uint64_t ledger_rows;
	uint64_t chains;      /* store chains with rows */
	uint64_t events;      /* rows of the master chain */
	uint64_t balances;
	uint64_t counts;      /* posted counts whose rows were recomputed from their scans */
	uint64_t checkpoints; /* checkpoint lines proved (iv_verify_with) */
	/* One hash over every chain's length and head (the root a
	 * checkpoint taken now would carry, without its time): equal on
	 * two databases holding the same chains. */
	char head_hash[IV_HASH_HEX];
	bool triggers_tried;  /* false: the file could not be opened for writing */
} iv_verify_report;

typedef struct iv_verify_opts {
	/* Text of one or more checkpoint lines (blank lines and lines
	 * starting with '#' are skipped), or NULL. */
	const char *checkpoints;
} iv_verify_opts;

/* Everything that makes the ledger trustworthy, from the rows alone:
 * the database's own checks and schema, the immutability triggers
 * (tried, in a transaction that is rolled back), every chain's hashes,
 * the master data rebuilt from its events, every rule replayed as the
 * engine applied it when each row was saved, and every balance, day
 * total and user day total against its rows.  IV_E_CORRUPT names the
 * first fault (chain, row and rule).  IV_E_STORAGE when all else holds
 * but the triggers could not be tried (report.triggers_tried false). */
iv_status iv_verify(iv_db *db, iv_verify_report *out);
/* The same, and then proves that each checkpoint line still holds:
 * every row it covered is there, unchanged. */
iv_status iv_verify_with(iv_db *db, const iv_verify_opts *opts, iv_verify_report *out);

/* ---- Checkpoints and the history of master data ---------------------- */

#define IV_CHECKPOINT_MAX 16384

/* Appends a checkpoint to the master chain (supervisor or admin) and
 * returns its line: the time, every chain's length and head, and one
 * root hash over them, to be printed or mailed off the machine. */
iv_status iv_checkpoint(iv_db *db, char line[IV_CHECKPOINT_MAX]);

typedef enum iv_entity {
	IV_ENTITY_STORE, IV_ENTITY_ITEM, IV_ENTITY_REASON, IV_ENTITY_USER, IV_ENTITY_BATCH
} iv_entity;

/* One field changed by one event: who changed what, from what to
 * what, and when.  An entity's first event lists its fields from "". */
typedef struct iv_change {
	int64_t event;            /* the event's place in the master chain */
	char recorded_at[32];
	char by[IV_IDENT_SIZE];
	char action[16];          /* add, change, pin-set, pin-reset, disable, enable, role, migrated */
	char key[IV_NAME_SIZE]; /* store code, item number, reason code, user name, batch id */
	char field[24];
	char from[IV_MEMO_SIZE];
	char to[IV_MEMO_SIZE];
} iv_change;
typedef bool (*iv_change_cb)(void *ctx, const iv_change *c);

/* The changes of one entity (key: a store code, any item identifier, a
 * reason code or a user name), or of every entity of the kind (key NULL
 * or ""), oldest first.  Users' history needs a supervisor or admin. */
iv_status iv_master_history(iv_db *db, iv_entity kind, const char *key, iv_change_cb cb, void *ctx);

#endif
