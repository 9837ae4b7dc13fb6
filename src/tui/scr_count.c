/* Count (F9): counting a store with scanners.  Four views of one
 * screen: the open and recent counts; starting one; scanning into one
 * (the item field takes scans: a scanner types the code and Enter, and
 * each scan is saved before the next key is read, so that a fast scan
 * never lands anywhere but the item field); and the review, where the
 * differences are listed largest first, moved items marked, a line can
 * be recounted, and the count is posted after one question.  What a
 * clerk may see of a blind count is the engine's to say: this screen
 * shows what it is given. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/count.h"
#include "tui/approval.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/field.h"
#include "tui/grid.h"
#include "tui/keys.h"
#include "tui/picker.h"
#include "tui/screen.h"

#define LAST_SCANS 40
#define QTY_TEXT 12
#define PATH_MAX_TEXT 500

enum count_view { CV_LIST, CV_START, CV_SCAN, CV_REVIEW };
enum { SF_STORE, SF_BLIND, SF_SCOPE, SF_FILE, SF_MEMO, SF_COUNT };
enum { L_ID, L_STORE, L_STATUS, L_BLIND, L_SCOPE, L_SCANS, L_BY, L_MEMO, L_NCOLS };
enum { R_ITEM, R_DESC, R_COUNTED, R_START, R_MOVED, R_DIFF, R_NEW, R_VALUE, R_NCOLS };
enum { S_ITEM, S_DESC, S_WHAT, S_COUNTED, S_NCOLS };

/* A scan made on this screen, for the list under the item field. */
struct seen_scan {
	char number[IV_IDENT_SIZE];
	char description[IV_NAME_SIZE];
	char what[32]; /* "+1", "+12", "set 40", "undo +1" */
	iv_qty counted;
};

/* A line of the review, as the engine gave it. */
struct review_line {
	char *number, *description;
	iv_count_line l;
};

static struct count_state {
	enum count_view view;
	bool started;
	struct tui *t;
	/* the list */
	iv_count_info *counts;
	size_t ncounts, counts_cap;
	struct grid list;
	/* starting one */
	struct field start[SF_COUNT];
	int start_focus;
	bool blind;
	iv_count_scope scope;
	/* the count open */
	iv_count_info info;
	struct field item;
	char qty[QTY_TEXT + 1]; /* the next scan's quantity, "" for 1 */
	struct seen_scan seen[LAST_SCANS];
	int nseen;
	struct grid seen_grid;
	/* the review */
	struct review_line *lines;
	size_t nlines, lines_cap;
	iv_count_view sum;
	struct grid review;
	bool zero;        /* post what nobody counted as counted 0 */
	bool review_failed;
	struct approval approval;
	int64_t recount_row;
	bool valued; /* a line of the review has a value: the Value column */
} cnt;

static const struct grid_col list_cols[L_NCOLS] = {
	[L_ID] = {"Count", 5, 5, true, 0},      [L_STORE] = {"Store", 6, 5, false, 1},
	[L_STATUS] = {"Status", 9, 6, false, 0}, [L_BLIND] = {"Blind", 5, 5, false, 0},
	[L_SCOPE] = {"Items", 7, 5, false, 0},  [L_SCANS] = {"Scans", 6, 5, true, 0},
	[L_BY] = {"Started by", 10, 6, false, 1}, [L_MEMO] = {"Memo", 16, 6, false, 3},
};
static const struct grid_col review_cols[R_NCOLS] = {
	[R_ITEM] = {"Item Number", 12, 8, false, 1},   [R_DESC] = {"Description", 18, 8, false, 3},
	[R_COUNTED] = {"Counted", 7, 5, true, 0},      [R_START] = {"At start", 8, 5, true, 0},
	[R_MOVED] = {"Moved", 9, 5, false, 0},         [R_DIFF] = {"Diff", 6, 4, true, 0},
	[R_NEW] = {"New Qty", 7, 5, true, 0},        [R_VALUE] = {"Value", 9, 5, true, 0},
};
static const struct grid_col seen_cols[S_NCOLS] = {
	[S_ITEM] = {"Item Number", 14, 8, false, 1}, [S_DESC] = {"Description", 24, 8, false, 3},
	[S_WHAT] = {"Scan", 10, 6, false, 0},        [S_COUNTED] = {"Counted", 8, 7, true, 0},
};

static const enum action list_actions[] = {ACT_OPEN_COUNT, ACT_START_COUNT, ACT_RELOAD, ACT_UP, ACT_DOWN,
                                           ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END, ACT_NONE};
static const enum action start_actions[] = {ACT_BEGIN_COUNT, ACT_PICK, ACT_BACK, ACT_ENTER, ACT_NEXT, ACT_PREV,
                                            ACT_UP, ACT_DOWN, ACT_TOGGLE, FIELD_ACTIONS, ACT_NONE};
static const enum action scan_actions[] = {ACT_SCAN, ACT_SCAN_QTY, ACT_UNDO_SCAN, ACT_REVIEW, ACT_PICK, ACT_BACK,
                                           FIELD_ACTIONS, ACT_NONE};
static const enum action review_actions[] = {ACT_POST_COUNT, ACT_RECOUNT, ACT_ZERO_UNCOUNTED, ACT_CANCEL_COUNT,
                                             ACT_RELOAD, ACT_BACK, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN,
                                             ACT_HOME, ACT_END, ACT_NONE};

static const enum action *count_scope(struct tui *t)
{
	(void)t;
	switch (cnt.view) {
	case CV_START: return start_actions;
	case CV_SCAN: return scan_actions;
	case CV_REVIEW: return review_actions;
	default: return list_actions;
	}
}

static const char *keys_of(enum action a, char *buf, int size)
{
	return action_keys_text(a, buf, size, false);
}

/* ---- The list of counts ----------------------------------------------- */

static bool keep_count(void *ctx, const iv_count_info *c)
{
	(void)ctx;
	if (cnt.ncounts == cnt.counts_cap) {
		size_t cap = cnt.counts_cap ? 2 * cnt.counts_cap : 16;
		iv_count_info *v = realloc(cnt.counts, cap * sizeof *v);
		if (!v)
			return false;
		cnt.counts = v;
		cnt.counts_cap = cap;
	}
	cnt.counts[cnt.ncounts++] = *c;
	return true;
}

static void load_list(struct tui *t)
{
	cnt.ncounts = 0;
	if (iv_count_list(t->db, NULL, false, keep_count, NULL) != IV_OK)
		tui_engine_msg(t, "Counts");
	cnt.list.nrows = (int)cnt.ncounts;
}

static void list_cell(void *ctx, int r, int c, char *buf, size_t size, enum role *role)
{
	(void)ctx;
	const iv_count_info *i = &cnt.counts[r];
	switch (c) {
	case L_ID: snprintf(buf, size, "%" PRId64, i->id); break;
	case L_STORE: snprintf(buf, size, "%s", i->store); break;
	case L_STATUS:
		snprintf(buf, size, "%s", iv_count_status_name(i->status));
		if (i->status == IV_COUNT_OPEN)
			*role = ROLE_OK;
		break;
	case L_BLIND: snprintf(buf, size, "%s", i->blind ? "blind" : ""); break;
	case L_SCOPE: snprintf(buf, size, "%s", iv_count_scope_name(i->scope)); break;
	case L_SCANS: snprintf(buf, size, "%" PRIu64, i->scans); break;
	case L_BY: snprintf(buf, size, "%s", i->started_by); break;
	case L_MEMO: snprintf(buf, size, "%s", i->memo); break;
	default: break;
	}
}

/* ---- Scanning ------------------------------------------------------------ */

static void seen_add(const iv_scan_out *o, bool undo)
{
	if (cnt.nseen == LAST_SCANS)
		cnt.nseen--;
	memmove(&cnt.seen[1], &cnt.seen[0], (size_t)cnt.nseen * sizeof cnt.seen[0]);
	struct seen_scan *s = &cnt.seen[0];
	snprintf(s->number, sizeof s->number, "%s", o->item.number);
	snprintf(s->description, sizeof s->description, "%s", o->item.description);
	const char *kind = o->kind == IV_SCAN_SET ? "set " : "+";
	snprintf(s->what, sizeof s->what, "%s%s%" PRId64, undo ? "undo " : "", kind, o->qty);
	s->counted = o->counted;
	cnt.nseen++;
	cnt.seen_grid.nrows = cnt.nseen;
	cnt.seen_grid.sel = -1;
}

static void open_count(struct tui *t, int64_t id)
{
	if (iv_count_get(t->db, id, &cnt.info) != IV_OK) {
		tui_engine_msg(t, "Count");
		return;
	}
	snprintf(t->store, sizeof t->store, "%s", cnt.info.store);
	cnt.nseen = 0;
	cnt.seen_grid.nrows = 0;
	cnt.qty[0] = '\0';
	field_clear(&cnt.item);
	cnt.zero = cnt.info.zero_uncounted;
	cnt.view = cnt.info.status == IV_COUNT_OPEN ? CV_SCAN : CV_REVIEW;
}

/* Enter in the item field: the scan is saved now, then the field is
 * empty for the next one. */
static void do_scan(struct tui *t, const char *code)
{
	iv_scan_in in = {cnt.info.id, code, cnt.qty[0] ? cnt.qty : NULL, false};
	iv_scan_out out;
	if (iv_count_add(t->db, &in, &out) != IV_OK) {
		/* the code stays, selected: the next scan replaces it */
		tui_engine_msg(t, "Not counted");
		field_select(&cnt.item);
		beep();
		return;
	}
	seen_add(&out, false);
	cnt.info.scans++;
	tui_msg(t, MSG_OK, "%s %s: counted %" PRId64 " (+%" PRId64 ")", out.item.number, out.item.description,
	        out.counted, out.qty);
	field_clear(&cnt.item);
	cnt.qty[0] = '\0';
}

static int on_item_pick(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (result)
		do_scan(t, picker_choice(o));
	return R_NONE;
}

static void undo_scan(struct tui *t)
{
	iv_scan_out out;
	if (iv_count_undo(t->db, cnt.info.id, &out) != IV_OK) {
		tui_engine_msg(t, "Nothing undone");
		return;
	}
	seen_add(&out, true);
	tui_msg(t, MSG_OK, "Undone: %s %s%" PRId64 "; %s is counted %" PRId64 " now.", out.item.number,
	        out.kind == IV_SCAN_SET ? "set to " : "+", out.qty, out.item.number, out.counted);
}

/* '*' after digits: they are the next scan's quantity. */
static bool take_quantity(struct tui *t)
{
	char text[QTY_TEXT + 2];
	field_get(&cnt.item, text, sizeof text);
	size_t n = strlen(text);
	if (n == 0 || n > 9 || strspn(text, "0123456789") != n)
		return false;
	snprintf(cnt.qty, sizeof cnt.qty, "%s", text);
	field_clear(&cnt.item);
	tui_msg(t, MSG_INFO, "The next scan counts %s.", cnt.qty);
	return true;
}

static void seen_cell(void *ctx, int r, int c, char *buf, size_t size, enum role *role)
{
	(void)ctx;
	(void)role;
	const struct seen_scan *s = &cnt.seen[r];
	switch (c) {
	case S_ITEM: snprintf(buf, size, "%s", s->number); break;
	case S_DESC: snprintf(buf, size, "%s", s->description); break;
	case S_WHAT: snprintf(buf, size, "%s", s->what); break;
	case S_COUNTED: snprintf(buf, size, "%" PRId64, s->counted); break;
	default: break;
	}
}

/* ---- The review ------------------------------------------------------- */

static void review_free(void)
{
	for (size_t k = 0; k < cnt.nlines; k++) {
		free(cnt.lines[k].number);
		free(cnt.lines[k].description);
	}
	cnt.nlines = 0;
	cnt.review.nrows = 0;
	cnt.valued = false;
}

static bool keep_review_line(void *ctx, const iv_count_line *l)
{
	(void)ctx;
	if (cnt.nlines == cnt.lines_cap) {
		size_t cap = cnt.lines_cap ? 2 * cnt.lines_cap : 64;
		struct review_line *v = realloc(cnt.lines, cap * sizeof *v);
		if (!v)
			return false;
		cnt.lines = v;
		cnt.lines_cap = cap;
	}
	/* the item's texts as long as they are, not iv_item's buffers */
	struct review_line *r = &cnt.lines[cnt.nlines];
	r->number = strdup(l->item.number);
	r->description = strdup(l->item.description);
	r->l = *l;
	cnt.valued |= l->valued;
	if (!r->number || !r->description) {
		free(r->number);
		free(r->description);
		return false;
	}
	cnt.nlines++;
	return true;
}

static void load_review(struct tui *t)
{
	review_free();
	iv_count_show_in in = {cnt.info.id, IV_COUNT_BY_VARIANCE, cnt.zero};
	cnt.review_failed = iv_count_show(t->db, &in, keep_review_line, NULL, &cnt.sum) != IV_OK;
	if (cnt.review_failed)
		tui_engine_msg(t, "Review");
	else
		cnt.info = cnt.sum.info;
	cnt.review.nrows = (int)cnt.nlines;
}

static const char *qty_text(char *buf, size_t size, iv_qty q)
{
	snprintf(buf, size, "%" PRId64, q);
	return buf;
}

static void review_cell(void *ctx, int r, int c, char *buf, size_t size, enum role *role)
{
	(void)ctx;
	const struct review_line *rl = &cnt.lines[r];
	const iv_count_line *l = &rl->l;
	bool has = l->counted || l->zeroed;
	bool moved = l->moved != 0 && has;
	switch (c) {
	case R_ITEM: snprintf(buf, size, "%s", rl->number); break;
	case R_DESC: snprintf(buf, size, "%s", rl->description); break;
	case R_COUNTED:
		if (has)
			qty_text(buf, size, l->qty);
		break;
	case R_START:
		if (!cnt.sum.hidden)
			snprintf(buf, size, "%" PRId64 "%s", l->at_start, l->recounted ? "r" : "");
		break;
	case R_MOVED:
		if (!cnt.sum.hidden && l->moved)
			snprintf(buf, size, "%s%+" PRId64, moved ? "MOVED " : "", l->moved);
		if (moved)
			*role = ROLE_ERROR;
		break;
	case R_DIFF:
		if (!cnt.sum.hidden && has)
			snprintf(buf, size, "%+" PRId64, l->diff);
		if (l->diff != 0 && !cnt.sum.hidden)
			*role = ROLE_TITLE;
		break;
	case R_NEW:
		if (!cnt.sum.hidden && has)
			qty_text(buf, size, l->new_qty);
		break;
	case R_VALUE:
		if (l->valued)
			money_format(l->value, buf, size);
		else if (l->diff != 0 && !cnt.sum.hidden)
			snprintf(buf, size, "-"); /* no cost on the count's day */
		break;
	default: break;
	}
}

static int on_recount(struct tui *t, struct overlay *o, int result)
{
	if (!result)
		return R_NONE;
	char qty[QTY_TEXT + 1];
	dialog_value(o, 0, qty, sizeof qty);
	const struct review_line *rl = &cnt.lines[cnt.recount_row];
	iv_scan_in in = {cnt.info.id, rl->number, qty, true};
	iv_scan_out out;
	char number[IV_IDENT_SIZE];
	snprintf(number, sizeof number, "%s", rl->number);
	if (iv_count_add(t->db, &in, &out) != IV_OK) {
		tui_engine_msg(t, "Not recounted");
		return R_NONE;
	}
	load_review(t);
	tui_msg(t, MSG_OK, "%s recounted: %" PRId64 " on the shelf now.", number, out.counted);
	return R_NONE;
}

static void ask_recount(struct tui *t)
{
	if (cnt.nlines == 0 || cnt.info.status != IV_COUNT_OPEN)
		return;
	cnt.recount_row = cnt.review.sel;
	const struct review_line *rl = &cnt.lines[cnt.recount_row];
	char text[IV_MSG_MAX];
	snprintf(text, sizeof text, "Recount %s %s: how many are on the shelf now?\nThis replaces its count.",
	         rl->number, rl->description);
	static const char *const labels[] = {"Counted"};
	static const size_t max[] = {QTY_TEXT};
	struct overlay *o = dialog_form("Recount", text, 1, labels, max, NULL);
	if (o)
		o->done = on_recount;
	overlay_push(t, o);
}

static iv_count_post_in post_in(bool with_approval)
{
	return (iv_count_post_in){cnt.info.id, NULL, cnt.zero, true,
	                          with_approval ? approval_get(&cnt.approval) : (iv_approval){0}};
}

static int post_now(struct tui *t)
{
	iv_count_post_in in = post_in(true);
	iv_count_post_out out;
	iv_status st = iv_count_post(t->db, &in, NULL, NULL, &out);
	approval_forget(&cnt.approval);
	if (st != IV_OK) {
		tui_engine_msg(t, "Not posted");
		return R_NONE;
	}
	load_review(t);
	if (out.batch)
		tui_msg(t, MSG_OK, "Posted count %" PRId64 ": %zu row%s as document %" PRId64 ".", cnt.info.id,
		        out.posted, out.posted == 1 ? "" : "s", out.document);
	else
		tui_msg(t, MSG_OK, "Posted count %" PRId64 ": every item matched, nothing to adjust.", cnt.info.id);
	return R_NONE;
}

static int on_post_answer(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (!result) {
		approval_forget(&cnt.approval);
		tui_msg(t, MSG_INFO, "Not posted.");
		return R_NONE;
	}
	return post_now(t);
}

/* The one question, after the approval when one is needed. */
static int ask_post(struct tui *t)
{
	char text[IV_MSG_MAX + 256];
	int used = snprintf(text, sizeof text,
	                    "Post count %" PRId64 " at %s as one document dated %s: %zu row%s, +%" PRId64
	                    " and -%" PRId64 ".",
	                    cnt.info.id, cnt.info.store, cnt.info.count_day, cnt.sum.differ,
	                    cnt.sum.differ == 1 ? "" : "s", cnt.sum.added, cnt.sum.removed);
	if (cnt.sum.moved && used > 0 && (size_t)used < sizeof text)
		used += snprintf(text + used, sizeof text - (size_t)used,
		                 "\n%zu item%s moved since counted: %s as counted, %s moves kept.", cnt.sum.moved,
		                 cnt.sum.moved == 1 ? "" : "s", cnt.sum.moved == 1 ? "it posts" : "they post",
		                 cnt.sum.moved == 1 ? "its" : "their");
	if (cnt.zero && cnt.sum.uncounted && used > 0 && (size_t)used < sizeof text)
		snprintf(text + used, sizeof text - (size_t)used, "\nItems nobody counted post as counted 0.");
	struct overlay *o = dialog_confirm("Post count", text);
	if (o)
		o->done = on_post_answer;
	overlay_push(t, o);
	return R_NONE;
}

/* Ctrl-S: the rules first (a preview), then a supervisor if a line needs
 * one, then the question. */
static void post_count(struct tui *t)
{
	load_review(t);
	if (cnt.review_failed)
		return;
	iv_count_post_in in = post_in(false);
	iv_count_post_out out;
	if (iv_count_post_preview(t->db, &in, NULL, NULL, &out) != IV_OK) {
		tui_engine_msg(t, "Not posted");
		return;
	}
	if (out.unapproved) {
		char why[IV_MSG_MAX];
		snprintf(why, sizeof why, "%zu line%s of count %" PRId64 " %s above store %s's approval threshold.",
		         out.unapproved, out.unapproved == 1 ? "" : "s", cnt.info.id, out.unapproved == 1 ? "is" : "are",
		         cnt.info.store);
		approval_ask(t, &cnt.approval, why, "a count's Diff above the store's approval threshold",
		             "Not posted: no approval given.", ask_post);
		return;
	}
	ask_post(t);
}

static int on_cancel_answer(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (!result)
		return R_NONE;
	if (iv_count_cancel(t->db, cnt.info.id) != IV_OK) {
		tui_engine_msg(t, "Not cancelled");
		return R_NONE;
	}
	tui_msg(t, MSG_OK, "Count %" PRId64 " cancelled: nothing was posted.", cnt.info.id);
	load_review(t);
	return R_NONE;
}

static void ask_cancel(struct tui *t)
{
	char text[256];
	snprintf(text, sizeof text, "Cancel count %" PRId64 " at %s? Its scans are kept; nothing is posted, and it "
	                            "takes no more scans.",
	         cnt.info.id, cnt.info.store);
	struct overlay *o = dialog_confirm("Cancel count", text);
	if (o)
		o->done = on_cancel_answer;
	overlay_push(t, o);
}

/* ---- Starting one --------------------------------------------------------- */

static void start_form_reset(void)
{
	field_init(&cnt.start[SF_STORE], IV_CODE_MAX, false);
	field_init(&cnt.start[SF_BLIND], 1, false);
	field_init(&cnt.start[SF_SCOPE], 1, false);
	field_init(&cnt.start[SF_FILE], PATH_MAX_TEXT, false);
	field_init(&cnt.start[SF_MEMO], IV_MEMO_MAX, false);
	cnt.blind = false;
	cnt.scope = IV_COUNT_SCANNED;
	cnt.start_focus = SF_STORE;
	if (cnt.t && cnt.t->store[0])
		field_set(&cnt.start[SF_STORE], cnt.t->store);
}

static void begin_count(struct tui *t)
{
	char store[IV_CODE_SIZE], path[PATH_MAX_TEXT + 1], memo[IV_MEMO_SIZE];
	field_get(&cnt.start[SF_STORE], store, sizeof store);
	field_get(&cnt.start[SF_FILE], path, sizeof path);
	field_get(&cnt.start[SF_MEMO], memo, sizeof memo);
	iv_count_start_in in = {store, cnt.blind, cnt.scope, cnt.scope == IV_COUNT_ITEMS ? path : NULL, memo};
	int64_t id;
	if (iv_count_start(t->db, &in, &id) != IV_OK) {
		tui_engine_msg(t, "Not started");
		return;
	}
	open_count(t, id);
	char undo[24], review[24];
	tui_msg(t, MSG_OK, "Count %" PRId64 " started at %s: scan the items (%s undoes a scan, %s reviews).", id,
	        cnt.info.store, keys_of(ACT_UNDO_SCAN, undo, sizeof undo), keys_of(ACT_REVIEW, review, sizeof review));
}

static int on_store_pick(struct tui *t, struct overlay *o, int result)
{
	(void)t;
	if (result) {
		field_set(&cnt.start[SF_STORE], picker_choice(o));
		cnt.start_focus = SF_BLIND;
	}
	return R_NONE;
}

/* The scopes in the order the form shows them. */
static const iv_count_scope scope_order[] = {IV_COUNT_SCANNED, IV_COUNT_ALL, IV_COUNT_ITEMS};
static const char *const scope_words[] = {"scanned items", "all items", "a list of items"};

static void start_switch(int dir)
{
	if (cnt.start_focus == SF_BLIND) {
		cnt.blind = !cnt.blind;
		return;
	}
	int k = 0;
	while (k < 2 && scope_order[k] != cnt.scope)
		k++;
	cnt.scope = scope_order[(k + 3 + dir) % 3];
}

static int start_key(struct tui *t, int key, enum action a)
{
	bool on_switch = cnt.start_focus == SF_BLIND || cnt.start_focus == SF_SCOPE;
	switch (a) {
	case ACT_BEGIN_COUNT: begin_count(t); return R_NONE;
	case ACT_BACK:
		cnt.view = CV_LIST;
		load_list(t);
		return R_NONE;
	case ACT_PICK: {
		char text[IV_CODE_SIZE];
		field_get(&cnt.start[SF_STORE], text, sizeof text);
		struct overlay *o = picker_open(t, PICK_STORE, cnt.start_focus == SF_STORE ? text : "");
		if (o)
			o->done = on_store_pick;
		overlay_push(t, o);
		return R_NONE;
	}
	case ACT_ENTER:
		if (cnt.start_focus == SF_MEMO) {
			begin_count(t);
			return R_NONE;
		}
		/* fall through */
	case ACT_NEXT:
	case ACT_DOWN:
		cnt.start_focus = (cnt.start_focus + 1) % SF_COUNT;
		if (cnt.start_focus == SF_FILE && cnt.scope != IV_COUNT_ITEMS)
			cnt.start_focus++;
		return R_NONE;
	case ACT_PREV:
	case ACT_UP:
		cnt.start_focus = (cnt.start_focus + SF_COUNT - 1) % SF_COUNT;
		if (cnt.start_focus == SF_FILE && cnt.scope != IV_COUNT_ITEMS)
			cnt.start_focus--;
		return R_NONE;
	case ACT_TOGGLE:
	case ACT_LEFT:
	case ACT_RIGHT:
		if (on_switch) {
			start_switch(a == ACT_LEFT ? -1 : 1);
			return R_NONE;
		}
		break;
	default: break;
	}
	if (on_switch)
		return R_UNKNOWN;
	struct field *f = &cnt.start[cnt.start_focus];
	if (field_key(f, key, a) == FIELD_IGNORED)
		return R_UNKNOWN;
	if (f->full)
		tui_msg(t, MSG_ERROR, "That field is full: nothing more fits.");
	return R_NONE;
}

/* ---- Keys ------------------------------------------------------------------ */

static int list_key(struct tui *t, enum action a)
{
	switch (a) {
	case ACT_OPEN_COUNT:
		if (cnt.ncounts == 0) {
			char start[24];
			tui_msg(t, MSG_INFO, "No count to open: %s starts one.", keys_of(ACT_START_COUNT, start, sizeof start));
			return R_NONE;
		}
		open_count(t, cnt.counts[cnt.list.sel].id);
		if (cnt.view == CV_REVIEW)
			load_review(t);
		return R_NONE;
	case ACT_START_COUNT:
		start_form_reset();
		cnt.view = CV_START;
		return R_NONE;
	case ACT_RELOAD: load_list(t); return R_NONE;
	default: break;
	}
	return grid_move(&cnt.list, a, t->body_rows - 4) ? R_NONE : R_UNKNOWN;
}

static int scan_key(struct tui *t, int key, enum action a)
{
	char code[IV_IDENT_SIZE];
	field_get(&cnt.item, code, sizeof code);
	switch (a) {
	case ACT_SCAN:
		if (!code[0]) {
			char pick[24];
			tui_msg(t, MSG_INFO, "Scan or type an item number, UPC or barcode (%s searches).",
			        keys_of(ACT_PICK, pick, sizeof pick));
			return R_NONE;
		}
		do_scan(t, code);
		return R_NONE;
	case ACT_SCAN_QTY:
		if (take_quantity(t))
			return R_NONE;
		break; /* a '*' in a code is typed */
	case ACT_UNDO_SCAN:
		if (!code[0]) {
			undo_scan(t);
			return R_NONE;
		}
		break; /* a '-' in a code (KB-100) is typed */
	case ACT_REVIEW:
		t->msg[0] = '\0'; /* a scan's message is not the review's */
		cnt.view = CV_REVIEW;
		load_review(t);
		return R_NONE;
	case ACT_PICK: {
		struct overlay *o = picker_open(t, PICK_ITEM, code);
		if (o)
			o->done = on_item_pick;
		overlay_push(t, o);
		return R_NONE;
	}
	case ACT_BACK:
		cnt.view = CV_LIST;
		load_list(t);
		return R_NONE;
	default: break;
	}
	if (field_key(&cnt.item, key, a) == FIELD_IGNORED)
		return R_UNKNOWN;
	if (cnt.item.full)
		tui_msg(t, MSG_ERROR, "That field is full: nothing more fits.");
	return R_NONE;
}

static int review_key(struct tui *t, enum action a)
{
	bool open = cnt.info.status == IV_COUNT_OPEN;
	switch (a) {
	case ACT_POST_COUNT:
		if (open)
			post_count(t);
		else
			tui_msg(t, MSG_INFO, "Count %" PRId64 " was %s: it posts once.", cnt.info.id,
			        iv_count_status_name(cnt.info.status));
		return R_NONE;
	case ACT_RECOUNT: ask_recount(t); return R_NONE;
	case ACT_ZERO_UNCOUNTED:
		if (!open)
			return R_NONE;
		if (cnt.info.scope == IV_COUNT_SCANNED) {
			tui_msg(t, MSG_INFO, "Count %" PRId64 " covers the items scanned only: none is uncounted.",
			        cnt.info.id);
			return R_NONE;
		}
		cnt.zero = !cnt.zero;
		load_review(t);
		tui_msg(t, MSG_INFO, cnt.zero ? "Items nobody counted will post as counted 0."
		                              : "Items nobody counted will not post.");
		return R_NONE;
	case ACT_CANCEL_COUNT:
		if (open)
			ask_cancel(t);
		return R_NONE;
	case ACT_RELOAD: load_review(t); return R_NONE;
	case ACT_BACK:
		cnt.view = open ? CV_SCAN : CV_LIST;
		if (!open)
			load_list(t);
		return R_NONE;
	default: break;
	}
	return grid_move(&cnt.review, a, t->body_rows - 6) ? R_NONE : R_UNKNOWN;
}

static int count_key(struct tui *t, int key, enum action a)
{
	switch (cnt.view) {
	case CV_START: return start_key(t, key, a);
	case CV_SCAN: return scan_key(t, key, a);
	case CV_REVIEW: return review_key(t, a);
	default: return list_key(t, a);
	}
}

/* ---- The screen -------------------------------------------------------------- */

static void count_enter(struct tui *t)
{
	cnt.t = t;
	if (!cnt.started) {
		grid_init(&cnt.list, list_cols, L_NCOLS);
		grid_init(&cnt.review, review_cols, R_NCOLS);
		grid_init(&cnt.seen_grid, seen_cols, S_NCOLS);
		field_init(&cnt.item, IV_IDENT_MAX, false);
		start_form_reset();
		cnt.started = true;
	}
	if (cnt.view == CV_LIST)
		load_list(t);
	else if (cnt.view == CV_REVIEW)
		load_review(t);
}

static void count_leave(struct tui *t)
{
	(void)t;
	approval_forget(&cnt.approval);
}

/* The count's header: what it is and how it stands (two rows). */
static void draw_header(int y, int cols)
{
	const iv_count_info *i = &cnt.info;
	char head[IV_MEMO_SIZE + 512];
	snprintf(head, sizeof head, "Count %" PRId64 " at %s%s%s", i->id, i->store, i->memo[0] ? ": " : "", i->memo);
	draw_text(y, 1, cols - 2, head, ROLE_TITLE, true);
	snprintf(head, sizeof head, "%s%s, %s items, started %.16s by %s", iv_count_status_name(i->status),
	         i->blind ? ", BLIND" : "", iv_count_scope_name(i->scope), i->started_local, i->started_by);
	draw_text(y + 1, 1, cols - 2, head, i->status == IV_COUNT_OPEN ? ROLE_OK : ROLE_DIM, true);
}

static void draw_list(struct tui *t, int y, int cols)
{
	draw_text(y, 1, cols - 2, "Open counts, and those ended in the last 30 days", ROLE_TITLE, true);
	if (cnt.ncounts == 0) {
		char start[24];
		char m[160];
		snprintf(m, sizeof m, "No count is open.  %s starts one.", keys_of(ACT_START_COUNT, start, sizeof start));
		draw_text(y + 2, 1, cols - 2, m, ROLE_DIM, true);
		return;
	}
	grid_layout(&cnt.list, 1, cols - 2);
	grid_draw_list(&cnt.list, y + 2, t->body_top + t->body_rows - y - 2, list_cell, NULL);
}

static void draw_start(struct tui *t, int y, int cols)
{
	static const char *const labels[SF_COUNT] = {"Store", "Blind", "Items", "File", "Memo"};
	draw_text(y, 1, cols - 2, "Start a count", ROLE_TITLE, true);
	y += 2;
	for (int i = 0; i < SF_COUNT; i++) {
		bool focus = cnt.start_focus == i;
		draw_text(y + i, 1, 8, labels[i], i == SF_FILE && cnt.scope != IV_COUNT_ITEMS ? ROLE_DIM : ROLE_NORMAL,
		          true);
		if (i == SF_BLIND || i == SF_SCOPE) {
			int x = 10;
			for (int k = 0; k < (i == SF_BLIND ? 2 : 3); k++) {
				bool on = i == SF_BLIND ? (k == 1) == cnt.blind : scope_order[k] == cnt.scope;
				char cell[48];
				snprintf(cell, sizeof cell, on ? "[%s]" : " %s ",
				         i == SF_BLIND ? (k ? "blind" : "not blind") : scope_words[k]);
				int w = text_width(cell) + 1;
				draw_text(y + i, x, w, cell, focus && on ? ROLE_FOCUS : ROLE_NORMAL, true);
				if (focus && on) {
					t->cur_y = y + i;
					t->cur_x = x + 1;
				}
				x += w;
			}
			if (focus)
				draw_text(y + i, x + 1, cols - x - 2, "Space switches", ROLE_DIM, true);
			continue;
		}
		if (i == SF_FILE && cnt.scope != IV_COUNT_ITEMS)
			continue;
		int w = i == SF_STORE ? 12 : cols - 12;
		field_draw(&cnt.start[i], y + i, 10, w, focus, &t->cur_y, &t->cur_x);
	}
	char pick[24], begin[24];
	char m[300];
	snprintf(m, sizeof m,
	         "Blind: clerks see what they counted, never what the books say.  A list of items: a CSV file with an "
	         "ItemNumber column.  %s picks a store, %s starts.",
	         keys_of(ACT_PICK, pick, sizeof pick), keys_of(ACT_BEGIN_COUNT, begin, sizeof begin));
	draw_wrapped(y + SF_COUNT + 1, 1, cols - 2, 3, m, ROLE_DIM);
}

static void draw_scan(struct tui *t, int y, int cols)
{
	draw_header(y, cols);
	y += 3;
	char label[32];
	snprintf(label, sizeof label, "%s x", cnt.qty[0] ? cnt.qty : "1");
	draw_text(y, 1, 8, "Item", ROLE_NORMAL, true);
	field_draw(&cnt.item, y, 10, 30, true, &t->cur_y, &t->cur_x);
	draw_text(y, 42, 12, cnt.qty[0] ? label : "", ROLE_OK, true);
	char qty[24], undo[24], review[24], m[240];
	snprintf(m, sizeof m, "Each scan adds 1.  Digits then %s: the next scan counts that many.  %s (field empty) "
	                      "undoes your last scan.  %s: review.",
	         keys_of(ACT_SCAN_QTY, qty, sizeof qty), keys_of(ACT_UNDO_SCAN, undo, sizeof undo),
	         keys_of(ACT_REVIEW, review, sizeof review));
	int used = draw_wrapped(y + 1, 1, cols - 2, 2, m, ROLE_DIM);
	int top = y + 2 + used;
	draw_text(top, 1, cols - 2, cnt.nseen ? "Your last scans, newest first" : "No scans on this terminal yet.",
	          ROLE_DIM, true);
	if (cnt.nseen) {
		grid_layout(&cnt.seen_grid, 1, cols - 2);
		grid_draw_list(&cnt.seen_grid, top + 1, t->body_top + t->body_rows - top - 1, seen_cell, NULL);
	}
}

static void draw_review(struct tui *t, int y, int cols)
{
	draw_header(y, cols);
	char m[300];
	const iv_count_view *v = &cnt.sum;
	if (v->hidden)
		snprintf(m, sizeof m, "Blind: %zu item%s counted.  A supervisor reviews the differences and posts.",
		         v->counted, v->counted == 1 ? "" : "s");
	else
		snprintf(m, sizeof m, "%zu counted, %zu not%s, %zu moved; %s %zu row%s: +%" PRId64 " -%" PRId64,
		         v->counted, v->uncounted, cnt.zero ? " (as 0)" : "", v->moved,
		         cnt.info.status == IV_COUNT_OPEN ? "posts" : "posted", v->differ, v->differ == 1 ? "" : "s",
		         v->added, v->removed);
	y++;
	draw_text(y + 1, 1, cols - 2, m, v->moved ? ROLE_ERROR : ROLE_NORMAL, true);
	/* blind for this user: what was counted; ended: New Qty was then */
	/* the Value column where an item has a cost (an open count: what
	 * posting would be worth) */
	cnt.review.ncols = v->hidden                         ? R_START
	                   : cnt.info.status != IV_COUNT_OPEN ? R_NEW
	                   : cnt.valued                       ? R_NCOLS
	                                                      : R_VALUE;
	grid_layout(&cnt.review, 1, cols - 2);
	if (cnt.nlines == 0) {
		draw_text(y + 3, 1, cols - 2, "Nothing counted yet.", ROLE_DIM, true);
		return;
	}
	grid_draw_list(&cnt.review, y + 3, t->body_top + t->body_rows - y - 3, review_cell, NULL);
}

static void count_draw(struct tui *t)
{
	int y = t->body_top + 1, cols = draw_cols();
	switch (cnt.view) {
	case CV_START: draw_start(t, y, cols); break;
	case CV_SCAN: draw_scan(t, y, cols); break;
	case CV_REVIEW: draw_review(t, y, cols); break;
	default: draw_list(t, y, cols); break;
	}
}

const struct screen_ops scr_count_ops = {
	.title = "Count",
	.actions = list_actions,
	.scope = count_scope,
	.enter = count_enter,
	.leave = count_leave,
	.draw = count_draw,
	.key = count_key,
};
