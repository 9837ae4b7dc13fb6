/* What the count files share (count.c, count_lines.c, count_post.c,
 * verify_counts.c), and nothing outside src/engine. */
#ifndef INVADJ_ENGINE_COUNT_INTERNAL_H
#define INVADJ_ENGINE_COUNT_INTERNAL_H

#include "engine/internal.h"
#include "engine/rules.h"
#include "invadj/count.h"

/* The count, or IV_E_NOT_FOUND in words; tally: with its numbers of
 * scans and items (store_count_get). */
iv_status count_load(iv_db *db, int64_t id, bool tally, store_count *out);
/* The count as a front end sees it. */
iv_status count_info(iv_db *db, const store_count *c, iv_count_info *out);
/* The count to change: count_load, and refused in words (by whom and
 * when) if it was posted or cancelled. */
iv_status count_load_open(iv_db *db, int64_t id, store_count *out);
/* Blind, and the session may not see what it expected (a clerk's, or nobody's). */
bool count_hidden(const iv_db *db, const store_count *c);
/* An item's Counted so far: its scans folded (rule_counted_add). */
iv_status count_counted(iv_db *db, const store_count *c, int64_t item_id, rule_counted *out);

/* One line of a count: an item counted, or of its scope and not counted. */
typedef struct count_line {
	int64_t item_id;
	size_t number, description; /* offsets into the lines' text */
	bool counted, recounted, zeroed;
	iv_qty qty;      /* Counted */
	int64_t moment;  /* the chain place its Net Available is taken at */
	iv_qty net_now;  /* Net Available now */
	iv_qty moved;    /* Diffs since the moment, but the count's own */
	iv_qty own;      /* a posted count: its own rows' Diffs */
	iv_qty at_start; /* Net Available at the moment: net_now - moved */
	iv_qty diff;     /* what posting writes: qty - at_start, -at_start when zeroed, else 0 */
	/* showing: Diff at the item's unit cost on the count's day */
	bool valued;
	iv_money value;
	/* posting */
	bool needs_approval; /* above the store's approval threshold */
	int64_t id;          /* its ledger row once posted */
} count_line;

/* Every line of a count, computed in the caller's transaction (one
 * snapshot): the scans folded item by item, the items of the scope
 * nobody counted (a list's, or for all every item with stock at the
 * start), Net Available now, and what moved since each item's moment
 * (the store's chain since the start, read once; an item recounted
 * later by its own rows since).  Memory: a line and the item's number
 * and description per item, nothing per scan or per ledger row. */
typedef struct count_lines {
	count_line *v;
	size_t n, cap;
	char *text; /* numbers and descriptions, NUL-terminated */
	size_t used, text_cap;
} count_lines;

iv_status count_lines_load(iv_db *db, const store_count *c, bool zero_uncounted, count_lines *out);
void count_lines_free(count_lines *l);
void count_lines_sort(count_lines *l, iv_count_order order);
/* Its stock moved since its moment, and posting would take its count
 * as of then: it needs accepting (or a recount). */
bool count_line_moved(const count_line *ln);
/* The line for a front end; hidden: Item Number, Description and
 * Counted only. */
void count_line_give(const count_lines *l, const count_line *ln, bool hidden, iv_count_line *out);

#endif
