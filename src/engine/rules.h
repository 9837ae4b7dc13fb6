/* The rules of the ledger, once, as pure functions over explicit state:
 * no SQL, no clock, no handle.  Adjustments, reversals, batch
 * reversals, uploads and verify all ask them, each giving what it knows
 * however it got it (the database, memory, or a replay of the rows). */
#ifndef INVADJ_ENGINE_RULES_H
#define INVADJ_ENGINE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "invadj/count.h"
#include "invadj/engine.h"
#include "invadj/money.h"

/* ---- Negative stock ------------------------------------------------ */

/* One day's movements (sum of Diffs) of a store and item. */
typedef struct rule_day {
	iv_date date;
	iv_qty diff;
} rule_day;

/* A line of one store and item, and the stock it meets. */
typedef struct rule_stock {
	bool allow_negative; /* the store's setting */
	iv_qty diff;
	iv_date date;        /* the line's transaction date */
	iv_qty net;          /* Net Available before the line (earlier lines of its document or file included) */
	/* Back-dated: before the day it is saved.  Then the running balance
	 * at the end of its date and of every later day with movements
	 * counts, not only New Qty. */
	bool back_dated;
	iv_qty at_date;         /* the running balance at the end of date, before the line */
	const rule_day *later;  /* movements after date, ascending; a date may repeat (they add up) */
	size_t nlater;
} rule_stock;

/* Where a line would take stock below zero. */
typedef struct rule_stock_fault {
	bool new_qty;   /* New Qty itself; else the balance at the end of day */
	iv_qty balance; /* New Qty, or that day's balance */
	iv_date day;
} rule_stock_fault;

/* True when the line keeps stock at zero or above wherever the store
 * asks it to; otherwise *fault says where not. */
bool rule_stock_ok(const rule_stock *in, rule_stock_fault *fault);
/* The same rule where the days are not at hand (the bulk loader keeps
 * a bound per store and item rather than every day of each): low is at
 * most every end-of-day balance from the line's date on, before the
 * line.  True when the line surely keeps the rule; false when only
 * rule_stock_ok, given the days, can tell. */
bool rule_stock_surely_ok(const rule_stock *in, iv_qty low);
/* The refusal in words: "New Qty would be ... negative stock is not
 * allowed" or "back-dated to ..., this would make the balance ...". */
void rule_stock_text(const rule_stock *in, const rule_stock_fault *f, const char *store,
                     const char *item, char *msg, size_t size);

/* ---- Approval ------------------------------------------------------- */

/* A line needs a supervisor's approval when the store has a threshold
 * and the user's Diffs for its store, item and transaction date (the
 * line's own, and the earlier ones, of its document and before) add up
 * to more than the threshold either way.  before: that sum without the
 * line. */
bool rule_needs_approval(iv_qty threshold, iv_qty before, iv_qty diff);

/* A user as a rule sees them at one moment. */
typedef struct rule_user {
	bool known; /* exists at that moment */
	int64_t id;
	iv_role role;
	bool enabled;
} rule_user;

typedef enum rule_approval {
	RULE_APPROVAL_OK,
	RULE_APPROVER_UNKNOWN,  /* no such user then */
	RULE_APPROVER_CLERK,    /* approvers are supervisors or admins */
	RULE_APPROVER_DISABLED, /* a disabled user approves nothing */
	RULE_APPROVER_NOT_SELF, /* a supervisor's or admin's own line is approved by themself */
} rule_approval;

/* Whether approver may approve author's line. */
rule_approval rule_approver(const rule_user *author, const rule_user *approver);
const char *rule_approval_text(rule_approval a);

/* ---- Who may do what ------------------------------------------------ */

typedef enum rule_action {
	RULE_POST,         /* adjust, reverse (with approval), upload: any enabled user */
	RULE_EDIT_MASTER,  /* import stores, items, reasons: supervisor or admin */
	/* The same on a PostgreSQL server: admin, as the server grants master
	 * data to invadj_admin alone (segregation of duties: who approves
	 * does not also set thresholds).  verify replays RULE_EDIT_MASTER,
	 * which rows made on a server keep too. */
	RULE_EDIT_MASTER_SERVER,
	RULE_CHECKPOINT,   /* supervisor or admin */
	RULE_LIST_USERS,   /* supervisor or admin */
	RULE_ADMIN_USERS,  /* add users, set roles, disable, enable, reset PINs: admin */
	/* reports of adjustments and their value at cost: supervisor or
	 * admin (costs are margins, and the figures by user are about
	 * people: a manager's business, not a clerk's) */
	RULE_REPORT,
	RULE_SEE_BLIND,    /* see what a blind count expected, and post it: supervisor or admin */
} rule_action;

bool rule_may(const rule_user *u, rule_action a);

/* ---- Reversal -------------------------------------------------------- */

typedef struct rule_rev_row {
	int64_t id, store_id, item_id;
	int64_t reverses; /* 0: none */
	iv_qty diff;
} rule_rev_row;

typedef enum rule_reversal {
	RULE_REVERSAL_OK,
	RULE_REVERSAL_MISSING,     /* the row it names does not exist */
	RULE_REVERSAL_OF_REVERSAL, /* a reversal is never reversed */
	RULE_REVERSAL_TWICE,       /* a row is reversed once */
	RULE_REVERSAL_NOT_EARLIER, /* it reverses a row saved after it */
	RULE_REVERSAL_NOT_MIRROR,  /* other store or item, or not the opposite Diff */
} rule_reversal;

/* orig NULL: missing.  rev NULL: asked before the reversal is written
 * (it will mirror orig by construction). */
rule_reversal rule_reverse(const rule_rev_row *orig, bool already_reversed, const rule_rev_row *rev);

/* ---- Unit costs and values ------------------------------------------- */

/* What lines of one item and transaction date are worth: their net Diff
 * at the unit cost in force on that date, or (no cost then) nothing,
 * the lines counted as unvalued.  Never zero for "no cost": zero is the
 * value of a free item.  False when the value does not fit 64 bits. */
bool rule_value(int64_t lines, iv_qty net, bool has_cost, iv_money cost, iv_money *value,
                int64_t *unvalued);

/* A unit cost set on `today` (the database's own day: one day for every
 * store) takes effect from that day, never before the day the item's
 * current cost took effect (prev, when has_prev): a clock set back does
 * not rewrite the cost history. */
iv_date rule_cost_from(iv_date today, bool has_prev, iv_date prev_from);
/* verify: whether a recorded cost_from is one invadj writes, for an
 * event recorded on recorded_day (the database's zone). */
bool rule_cost_from_ok(iv_date from, iv_date recorded_day, bool has_prev, iv_date prev_from);

/* ---- Dates and times -------------------------------------------------- */

/* A transaction date may not be after the day it is saved (in the
 * store's zone). */
bool rule_date_ok(iv_date tdate, iv_date saved_day);
/* Within a chain the recorded time never goes back (UTC text compares
 * as time). */
bool rule_in_order(const char *prev_recorded_at, const char *recorded_at);
/* YYYY-MM-DDTHH:MM:SS.mmmZ, as invadj records times. */
bool rule_recorded_at_valid(const char *t);
/* YYYY-MM-DD, a real date, as invadj stores transaction dates. */
bool rule_tdate_valid(const char *t, iv_date *out);

/* ---- Counts (include/invadj/count.h) --------------------------------- */

/* Counted, a Diff and a count's lines stay within a Diff's limit. */
#define RULE_COUNT_MAX IV_QTY_LIMIT

/* One scan of an item, as recorded. */
typedef struct rule_scan {
	iv_scan_kind kind;
	iv_qty qty;
	int64_t seq;  /* a set: the place of the store's chain when it was made */
	bool undone;  /* an undo names it */
} rule_scan;

/* An item's count so far. */
typedef struct rule_counted {
	bool counted;    /* a scan that counts: not undone, not an undo */
	iv_qty qty;      /* the last set, plus the adds after it */
	int64_t moment;  /* the chain place its Net Available is taken at: the
	                    count's start, or its last recount */
	bool recounted;
} rule_counted;

void rule_counted_start(rule_counted *c, int64_t start_seq);
/* Folds the item's next scan (in the order they were recorded) into c;
 * undos and the scans they undo count for nothing. */
void rule_counted_add(rule_counted *c, const rule_scan *s);
/* Whether a scan may be added to c: its Counted stays within
 * RULE_COUNT_MAX. */
bool rule_scan_fits(const rule_counted *c, const rule_scan *s);
/* The Diff that makes Counted the Net Available of the item's moment. */
iv_qty rule_count_diff(iv_qty counted, iv_qty at_moment);
/* Whether user may end (cancel) a count started_by started: they, or a
 * supervisor or admin. */
bool rule_may_end_count(const rule_user *u, int64_t started_by);

#endif
