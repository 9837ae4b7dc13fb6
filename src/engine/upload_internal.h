/* Shared by the upload's files only (src/engine/upload*.c):
 *   upload_header.c  the template, the rule names, matching the header
 *   upload_master.c  master data in memory, resolving items
 *   upload_errors.c  the error file
 *   upload.c         reading, checking and posting the rows */
#ifndef INVADJ_UPLOAD_INTERNAL_H
#define INVADJ_UPLOAD_INTERNAL_H

#include <stdio.h>

#include "engine/internal.h"
#include "invadj/csv.h"
#include "invadj/files.h"
#include "invadj/hmap.h"
#include "invadj/upload.h"

/* ---- Columns (upload_header.c) ------------------------------------- */

/* The template's columns, in template order. */
enum upload_col { COL_STORE, COL_ITEM, COL_KIND, COL_QTY, COL_REASON, COL_DATE, COL_MEMO, NCOLS };

extern const char *const upload_col_names[NCOLS];

/* Maps the header record onto the columns: map[c] is the file's column
 * holding column c, or -1.  Refuses (naming them) unknown, unnamed and
 * repeated columns and missing mandatory ones. */
iv_status upload_header_match(iv_db *db, char **fields, size_t n, int map[NCOLS]);

/* ---- Master data in memory (upload_master.c) ----------------------- */

typedef struct upload_store {
	int64_t id;
	iv_store s;
	iv_date today; /* in the store's zone, at the upload's one clock reading */
} upload_store;

/* The reason's code as the master data spells it: rows hash it so,
 * whatever case the file wrote it in. */
typedef struct upload_reason {
	int64_t id;
	char code[IV_CODE_SIZE];
} upload_reason;

typedef struct upload_item {
	int64_t id;
	size_t number_off; /* the item number, in upload_master.numbers */
} upload_item;

/* Every store, item identifier and reason code, read once so that no
 * row costs a query: a million rows would otherwise cost millions. */
typedef struct upload_master {
	hmap *stores; /* code -> index in store_v (upload_code_get) */
	upload_store *store_v;
	size_t nstores, store_cap;
	hmap *items;    /* kind (1 byte) + identifier -> index in item_v */
	hmap *stripped; /* kind + identifier without leading zeros -> index */
	upload_item *item_v;
	size_t nitems, item_cap;
	char *numbers;
	size_t numbers_len, numbers_cap;
	hmap *reasons; /* code -> index in reason_v (upload_code_get) */
	upload_reason *reason_v;
	size_t nreasons, reason_cap;
	/* Store indexes in id order, and item indexes in id order (NULL
	 * when item_v is in id order already): the sums' key order. */
	uint32_t *store_by_id, *item_by_id;
} upload_master;

iv_status upload_master_load(iv_db *db, upload_master *m);
/* A store's index in store_v or a reason's in reason_v by its code, in
 * any case (as spelled first); NULL when unknown. */
const int64_t *upload_code_get(const hmap *m, const char *code);
void upload_master_free(upload_master *m);

static inline const char *upload_item_number(const upload_master *m, size_t ix)
{
	return m->numbers + m->item_v[ix].number_off;
}

/* The name of an ItemIdentifierCode's kind in messages ("item number",
 * "UPC", ...); the file's codes 1..6 are store_item_kind's values. */
const char *upload_kind_name(store_item_kind kind);

/* Finds an identifier of one kind.  When it is not found, msg says why
 * in the user's terms: scientific notation, leading zeros dropped by a
 * spreadsheet, an identifier of another kind, or simply unknown. */
bool upload_item_resolve(store *st, const upload_master *m, store_item_kind kind, const char *ident,
                         size_t *ix, char *msg, size_t msgsize);

/* ---- The error file (upload_errors.c) ------------------------------ */

typedef struct upload_errfile {
	enum { ERRORS_NAMED, ERRORS_BESIDE, ERRORS_STREAM } where;
	char input[IV_PATH_MAX];
	char path[IV_PATH_MAX];
	iv_outfile file; /* created at the first refused row */
	FILE *stream;    /* ERRORS_STREAM: the caller's, or NULL */
	csv_style style;
	char **header;
	size_t ncols;
	bool started;
	bool failed;                /* it could not be written: */
	char why[IV_MSG_MAX];       /* why */
} upload_errfile;

/* Where the refused rows go (see upload_errors.c); refuses a --errors
 * file that exists. */
iv_status upload_errfile_init(iv_db *db, upload_errfile *e, const iv_upload_opts *o,
                              bool input_is_file, char **header, size_t ncols);
/* Writes a refused row as it was, padded or cut to the header's columns,
 * with its line and the reason. */
void upload_errfile_add(upload_errfile *e, char *const *fields, size_t n, uint64_t line,
                        const char *message);
/* Closes it; true when it was written completely. */
bool upload_errfile_close(upload_errfile *e);
void upload_errfile_free(upload_errfile *e);

/* ---- One upload's pass (upload.c, upload_rows.c, upload_sums.c) ----- */

/* Memory that does not grow with the file: a Delta file's store and
 * item pairs are kept in 24 bytes each, a pair's one date inside it and
 * only further dates in a chain; a Sync file, which names each pair
 * once, keeps no pair at all, only the line that counted it (in the
 * index below) and its Diff until its sums are handed to the writer. */
#define PAIR_NO_DAY INT32_MIN

/* One store and item met in a Delta file. */
typedef struct pair {
	iv_qty net;      /* Net Available: the stored balance when first met, plus the file's accepted Diffs */
	iv_qty day_diff; /* the file's Diffs on day */
	iv_date day;     /* the first date with Diffs; PAIR_NO_DAY: none yet */
	int32_t more;    /* the file's other dates: a chain in day_v, -1 none */
} pair;

/* A further date of a pair's Diffs. */
typedef struct day {
	iv_qty diff;
	iv_date date;
	int32_t next;
} day;

/* A pair's Diffs already handed to the writer when the file's dates
 * outgrew UPLOAD_DAYS_HELD (upload_sums_spill): their sum, and the sum
 * of their negative day totals, below which their running sum cannot
 * go on any day. */
typedef struct pair_spill {
	iv_qty total, negative;
} pair_spill;

/* What the negative-stock rule knows of a pair's stored days without
 * keeping them, read on the first back-dated row that needs it (again
 * only for an earlier date): the lowest stored end-of-day balance from
 * a date on (upload_rows.c). */
typedef struct stock_floor {
	iv_qty low;
	iv_date from;
	bool known;
} stock_floor;

/* A Sync row's Diff until its sums are handed over. */
typedef struct sync_sum {
	uint32_t store_ix, item_ix;
	iv_qty diff;
} sync_sum;

/* The last code looked up in a map and what it found: files repeat
 * their reason (and often their store) row after row. */
typedef struct code_cache {
	char code[IV_CODE_SIZE];
	int64_t value;
} code_cache;

typedef struct run {
	iv_db *db;
	/* Where the pass reads balances and items: the database's own
	 * connection, or while a ledger_writer owns that one (posting), a
	 * second connection reading the same snapshot (upload.c). */
	store *rd;
	store *reader;         /* that second connection, when open */
	ledger_writer *writer; /* posting: inserts the rows on its own thread */
	const iv_upload_opts *o;
	iv_upload_result *res;
	bool post;
	bool rereadable; /* a regular file, which upload_lock_stores may read first */
	uint64_t rows_hint; /* the rows it read there (0: not read), ids to take at once */
	hmap *seen_in;  /* commit: Net Available each Sync row saw in the preview */
	hmap *seen_out; /* preview: records them */
	upload_master m;
	int map[NCOLS];
	size_t ncols;
	clock_reading clock;   /* read once: every row's "today" and recorded time */
	bool has_default_date; /* --date: for rows with a blank TransactionDate */
	iv_date default_date;
	int64_t default_reason; /* 0: none */
	char default_reason_code[IV_CODE_SIZE];
	iv_user approver; /* who approves rows above a threshold; id 0: nobody */
	bool approved;    /* rows above a threshold have an approver (a dry run: will have) */
	/* {store, item} -> index in pair_v (Delta), or the line that
	 * counted it (Sync; 0 none): per store an array by item index (one
	 * cache line away, where a hash map of 100,000 pairs misses the
	 * cache twice per row), up to DENSE_LIMIT bytes in all, then a hash
	 * map for the stores that do not fit.  Walked in store and item id
	 * order, it gives the sums in key order without a sort. */
	int32_t **dense; /* by store index; NULL: not allocated */
	size_t dense_bytes;
	hmap *pairs;
	pair *pair_v;
	size_t npairs, pair_cap;
	day *day_v;
	size_t ndays, day_cap;
	stock_floor *floor_v; /* by pair, made on the first back-dated check */
	size_t floor_cap;
	/* By pair, from the first spill on (pairs met after it have none):
	 * the Diffs the writer holds, no longer in day_v. */
	pair_spill *spill_v;
	size_t nspill;
	bool spilled;
	hmap *user_days; /* {pair, date} -> the user's stored day total (stores with a threshold) */
	sync_sum *sync_v; /* Sync: Diffs not yet handed over */
	size_t nsync;
	batch_sums *report; /* posting: the report summaries' lines (NULL: the server sums them) */
	ledger_chains chains;
	int64_t batch_id, document;
	char now[32];
	upload_errfile err;
	iv_status first_status; /* of the first refused row */
	uint64_t conflicts;
	iv_status fatal; /* the pass cannot go on (storage, memory) */
	bool csv_failed;
	/* The last date typed, parsed, and the last date written as ISO
	 * text: files repeat the same one. */
	char date_text[24];
	iv_date date_value;
	iv_date iso_value;
	char iso[IV_DATE_ISO_LEN];
	code_cache last_store, last_reason;
} run;

/* One row, checked. */
typedef struct row {
	uint64_t line;
	size_t store_ix, item_ix, pair_ix;
	int64_t reason_id;
	const char *reason;
	char reason_code[IV_CODE_SIZE]; /* the cell, trimmed */
	iv_date date;
	iv_qty net, diff;
	bool needs_approval;
	const char *memo;
	iv_status status;
	char msg[IV_MSG_MAX];
} row;

/* Checks one record against the rules (upload_rows.c); on refusal
 * w->status and w->msg say why.  Fatal troubles (storage, memory) also
 * set r->fatal. */
/* Posting, inside the transaction, once the master data is loaded:
 * locks the stores the file's rows name, all at once and in order
 * (store_lock_stores), before any head or balance is read; where the
 * backend lets writers at different stores run at once, the file is
 * read for them first, and input that cannot be read twice locks every
 * store (upload_stores.c). */
iv_status upload_lock_stores(run *r);
iv_status upload_check_row(run *r, char **f, row *w);
/* Counts an accepted row's Diff in its pair (Delta) or among the Sync
 * Diffs to hand over; the Sync line in the index.  IV_OK or a fatal
 * status (r->fatal set). */
iv_status upload_count_row(run *r, const row *w);
/* The file's Diffs of a pair on a date so far. */
iv_qty upload_day_total(const run *r, const pair *p, iv_date date);

/* Hands the sums of the posted rows to the writer, in key order
 * (upload_sums.c): at the end of the pass, and a Sync file's whenever
 * UPLOAD_SYNC_SUMS of them are held. */
#define UPLOAD_SYNC_SUMS (256u * 1024u)
iv_status upload_sums_hand_over(run *r);

/* A posting Delta file holds at most this many further dates of its
 * pairs (16 bytes each): when it would hold more, every sum so far goes
 * to the writer (upload_sums_spill) and the pairs start again from no
 * date, so that a file's memory does not grow with its store, item and
 * date combinations (a back-dated file's).  The rules then count what
 * was handed over: the stock floor through pair_spill, the exact check
 * by reading the days through the writer's own connection once it has
 * written them, approvals through the stored user day totals, which
 * take in the file's days as they are handed over. */
#define UPLOAD_DAYS_HELD (512u * 1024u)
size_t upload_days_held(void); /* upload_set_days_held (internal.h) */
iv_status upload_sums_spill(run *r);
/* Adds the file's Diffs of each cached store, item and date to the
 * stored user day total cached for it (upload_rows.c), as they are
 * handed over. */
iv_status upload_fold_user_days(run *r);
/* A pair's spill, zero when it has none. */
pair_spill upload_spill_of(const run *r, size_t pair_ix);

#endif
