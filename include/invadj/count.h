/* Counts: a store counted on the shelf, by scanners on several
 * terminals at once, reviewed and posted as one document.
 *
 * A count is rows of its own (docs/schema.md): a header (store, blind,
 * scope, who started it and when, and the place of the store's hash
 * chain then), an append-only list of scans (+N, or "set to N" for a
 * recount, or the undoing of one scan) and, once it is posted or
 * cancelled, its end.  Nothing of a count is ever changed: adding a scan
 * is one INSERT, so that two terminals scanning the same item at once
 * lose nothing.
 *
 * The seed's Sync rule at the shelf: what was counted becomes Net
 * Available at the count's moment.  Each item's moment is the count's
 * start, or its last recount (a `set`): Net Available then is exact (the
 * ledger rows of the store's chain up to that place), and Diff = Counted
 * - that Net Available.  Stock that moved since (sales, receipts,
 * back-dated rows saved meanwhile) stays: New Qty = Net Available now +
 * Diff.
 *
 * Blind counts are blind in the engine: a clerk gets Item Number,
 * Description and Counted only, from every function here. */
#ifndef INVADJ_COUNT_H
#define INVADJ_COUNT_H

#include "invadj/engine.h"

/* Which items a count covers.  Scanned: the items someone scans (a spot
 * count).  Items: a list given at the start (a cycle count); other items
 * are refused.  All: every item of the store. */
typedef enum iv_count_scope { IV_COUNT_SCANNED, IV_COUNT_ITEMS, IV_COUNT_ALL } iv_count_scope;
typedef enum iv_count_status { IV_COUNT_OPEN, IV_COUNT_POSTED, IV_COUNT_CANCELLED } iv_count_status;
typedef enum iv_scan_kind { IV_SCAN_ADD, IV_SCAN_SET, IV_SCAN_UNDO } iv_scan_kind;

const char *iv_count_scope_name(iv_count_scope s);   /* "scanned", "items", "all" */
const char *iv_count_status_name(iv_count_status s); /* "open", "posted", "cancelled" */

typedef struct iv_count_start_in {
	const char *store;
	bool blind;
	iv_count_scope scope;
	/* IV_COUNT_ITEMS: a CSV file with an ItemNumber column (any item
	 * identifier; other columns are ignored), e.g. `invadj balance
	 * --format csv` narrowed down. */
	const char *items_path;
	const char *memo; /* may be NULL */
} iv_count_start_in;

/* Starts a count (any logged-in user); *id receives its number. */
iv_status iv_count_start(iv_db *db, const iv_count_start_in *in, int64_t *id);

typedef struct iv_count_info {
	int64_t id;
	char store[IV_CODE_SIZE];
	bool blind;
	iv_count_scope scope;
	char memo[IV_MEMO_SIZE];
	char started_by[IV_IDENT_SIZE];
	char started_at[32];    /* UTC, as recorded */
	char started_local[32]; /* in the store's zone */
	char count_day[IV_DATE_ISO_LEN]; /* the store's date at the start: the posting's date */
	iv_count_status status;
	char ended_by[IV_IDENT_SIZE];    /* posted or cancelled by; "" while open */
	char ended_at[32];
	bool zero_uncounted; /* posted with the items nobody counted as counted 0 */
	int64_t batch;    /* posted with differences: the batch of its rows; else 0 */
	int64_t document; /* and their document */
	uint64_t scans;   /* scans recorded (undos included) */
	uint64_t items;   /* items counted */
} iv_count_info;

iv_status iv_count_get(iv_db *db, int64_t id, iv_count_info *out);

typedef bool (*iv_count_info_cb)(void *ctx, const iv_count_info *c);
/* Open counts, and those posted or cancelled within the last
 * IV_COUNT_RECENT_DAYS (every count with all), newest first; store may
 * be NULL. */
#define IV_COUNT_RECENT_DAYS 30
iv_status iv_count_list(iv_db *db, const char *store, bool all, iv_count_info_cb cb, void *ctx);

/* One scan: an item (any identifier), a quantity as typed (NULL or "":
 * 1; a whole number of 1 or more, or with set 0 or more). */
typedef struct iv_scan_in {
	int64_t count;
	const char *item;
	const char *qty;
	bool set; /* a recount: the item's Counted becomes qty, as of now */
} iv_scan_in;

typedef struct iv_scan_out {
	int64_t scan;      /* the scan's id */
	iv_scan_kind kind;
	iv_qty qty;        /* what it added or set (an undo: what the undone scan had) */
	iv_item item;
	iv_qty counted;    /* the item's Counted after it */
} iv_scan_out;

/* Adds a scan to an open count (any logged-in user). */
iv_status iv_count_add(iv_db *db, const iv_scan_in *in, iv_scan_out *out);
/* Undoes the session user's last scan of the count that is not undone
 * (never another terminal's); out describes the scan undone. */
iv_status iv_count_undo(iv_db *db, int64_t count, iv_scan_out *out);

/* ---- Review ------------------------------------------------------- */

typedef struct iv_count_line {
	iv_item item;         /* number and description */
	bool counted;         /* someone counted it; false: an item of the scope nobody counted */
	iv_qty qty;           /* Counted (0 when not counted) */
	/* Not for a clerk on a blind count (iv_count_view.hidden): 0. */
	iv_qty at_start;      /* Net Available at the item's moment: the start, or its last recount */
	iv_qty moved;         /* Diffs posted at the store for the item since that moment */
	iv_qty diff;          /* qty - at_start; 0 for an item not counted (unless zeroed) */
	bool recounted;       /* its moment is a recount */
	bool zeroed;          /* not counted, and posted as counted 0 (zero_uncounted) */
	/* iv_count_show only: the Diff at the item's unit cost in force on
	 * the count's day; valued false when the item has none then (or
	 * the Diff is 0). */
	bool valued;
	iv_money value;
	/* Posting (and its preview) only. */
	iv_qty net_now;       /* Net Available now */
	iv_qty new_qty;       /* net_now + diff */
	bool needs_approval;  /* above the store's approval threshold */
	int64_t id;           /* the ledger row once posted, else 0 */
} iv_count_line;

typedef enum iv_count_order {
	IV_COUNT_BY_ITEM,     /* item number */
	/* moved items first; then the lines with a value, the largest either
	 * way first; then the others by the largest Diff either way; then
	 * item number */
	IV_COUNT_BY_VARIANCE,
} iv_count_order;

typedef struct iv_count_view {
	iv_count_info info;
	bool hidden;       /* blind, and the session is a clerk's (or nobody's): only Counted is given */
	size_t lines;      /* lines given */
	size_t counted;    /* items counted */
	size_t uncounted;  /* items of the scope nobody counted (with stock at the start, for all) */
	size_t moved;      /* lines whose stock moved since their moment */
	size_t differ;     /* lines with a Diff (what posting would write) */
	iv_qty added, removed; /* sum of the positive Diffs, of the negative ones */
} iv_count_view;

typedef bool (*iv_count_line_cb)(void *ctx, const iv_count_line *line);

typedef struct iv_count_show_in {
	int64_t count;
	iv_count_order order;
	bool zero_uncounted; /* show uncounted items as counted 0, as posting with it would */
} iv_count_show_in;

/* Every line of a count (counted items, and for an items or all count
 * the items of its scope nobody counted), in one consistent snapshot. */
iv_status iv_count_show(iv_db *db, const iv_count_show_in *in, iv_count_line_cb cb, void *ctx,
                        iv_count_view *view);

/* ---- Posting -------------------------------------------------------- */

typedef struct iv_count_post_in {
	int64_t count;
	const char *reason;  /* NULL or "": CC */
	bool zero_uncounted; /* items or all counts: items nobody counted are counted 0 */
	bool accept_moved;   /* post lines whose stock moved since their moment as they are */
	iv_approval approval;
} iv_count_post_in;

typedef struct iv_count_post_out {
	int64_t batch;    /* 0 when nothing differed (the count is posted, nothing written) */
	int64_t document;
	size_t posted;    /* ledger rows written */
	size_t moved;     /* lines whose stock moved */
	size_t unapproved; /* preview: lines above a threshold that a clerk's session cannot post alone */
} iv_count_post_out;

/* What posting would do, line by line (moved lines first, as
 * IV_COUNT_BY_VARIANCE), and its refusal if any; writes nothing.  The
 * lines are given also when posting would be refused, so that a front
 * end can show the moved ones. */
iv_status iv_count_post_preview(iv_db *db, const iv_count_post_in *in, iv_count_line_cb cb, void *ctx,
                                iv_count_post_out *out);
/* Posts every non-zero Diff as one document dated the count's day (a
 * batch of rule "count" naming the count), all or nothing, under the
 * rules of any adjustment (negative stock, approval threshold), and
 * ends the count.  A blind count is posted by a supervisor or admin.
 * Lines whose stock moved are refused without accept_moved.  cb (may
 * be NULL) gets each line as posted. */
iv_status iv_count_post(iv_db *db, const iv_count_post_in *in, iv_count_line_cb cb, void *ctx,
                        iv_count_post_out *out);

/* Ends an open count without posting (the user who started it, or a
 * supervisor or admin). */
iv_status iv_count_cancel(iv_db *db, int64_t count);

#endif
