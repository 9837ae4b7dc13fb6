/* History (F3): the ledger newest first, however long (a window read
 * page by page: Home and End reach either end at once), a filter, a
 * row's detail, and reversal of a row or of its whole upload batch.
 * Reversal asks in one order everywhere: the engine's rules first
 * (iv_reverse_preview, iv_reverse_batch_preview), then a clerk's
 * supervisor, checked, then one question showing what will be posted. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/upload.h"
#include "tui/approval.h"
#include "tui/counter.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/grid.h"
#include "tui/keys.h"
#include "tui/numfmt.h"
#include "tui/pager.h"
#include "tui/screen.h"

#define DATE_MAX 24
#define DESC_CACHE 64

enum { H_ID, H_DATE, H_STORE, H_ITEM, H_DESC, H_REASON, H_DIFF, H_USER, H_APPR, H_LINK, H_NCOLS };

static const struct grid_col hist_cols[] = {
	[H_ID] = {"Id", 4, 4, true, 0},
	[H_DATE] = {"Date", 10, 10, false, 0},
	[H_STORE] = {"Store", 5, 4, false, 1},
	[H_ITEM] = {"Item", 8, 6, false, 2},
	[H_DESC] = {"Description", 0, 0, false, 4},
	[H_REASON] = {"Reason", 6, 6, false, 1},
	[H_DIFF] = {"Diff", 4, 4, true, 0},
	[H_USER] = {"User", 6, 5, false, 1},
	[H_APPR] = {"Approver", 8, 8, false, 1},
	[H_LINK] = {"Reversal", 16, 12, false, 1},
};

enum { FL_STORE, FL_ITEM, FL_REASON, FL_USER, FL_FROM, FL_TO, FL_BATCH, FL_COUNT };

/* Descriptions of the items on screen, read once each. */
struct desc_cache {
	char item[DESC_CACHE][IV_IDENT_SIZE];
	char text[DESC_CACHE][IV_NAME_SIZE];
	int next;
};

static struct history_state {
	struct pager pager;
	bool ready;
	int64_t total; /* rows the filter matches; -1 while counted */
	unsigned count_ticket;
	char filter[FL_COUNT][IV_IDENT_SIZE];
	char error[IV_MSG_MAX];
	struct desc_cache descs;
	iv_ledger_row target;    /* the row being reversed */
	iv_line_out rev;         /* its reversal preview */
	int64_t batch;           /* the batch being reversed */
	iv_upload_result batch_plan;
	struct approval approval;
	struct tui *t;
} hist;

static const enum action history_actions[] = {ACT_DETAIL, ACT_REVERSE, ACT_REVERSE_BATCH, ACT_FILTER, ACT_RELOAD,
                                              ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END, ACT_NONE};

/* ---- Reading ---------------------------------------------------------- */

struct fetch_ctx {
	iv_ledger_row *out;
	int n;
};

static bool on_row(void *ctx, const iv_ledger_row *row)
{
	struct fetch_ctx *f = ctx;
	f->out[f->n++] = *row;
	return true;
}

static const char *opt(const char *s) { return s[0] ? s : NULL; }

static iv_history_filter filter_now(void)
{
	return (iv_history_filter){
		.store = opt(hist.filter[FL_STORE]), .item = opt(hist.filter[FL_ITEM]),
		.reason = opt(hist.filter[FL_REASON]), .user = opt(hist.filter[FL_USER]),
		.from = opt(hist.filter[FL_FROM]), .to = opt(hist.filter[FL_TO]),
		.batch = hist.filter[FL_BATCH][0] ? strtoll(hist.filter[FL_BATCH], NULL, 10) : 0,
	};
}

/* Newest first: forward is older (before the anchor's id), backward
 * newer (after it, oldest first, which is nearest first). */
static int history_fetch(void *ctx, const void *anchor, bool forward, int limit, void *out)
{
	struct tui *t = ctx;
	const iv_ledger_row *a = anchor;
	iv_history_filter f = filter_now();
	f.limit = (size_t)limit;
	f.oldest_first = !forward;
	if (a && forward)
		f.before_id = a->id;
	else if (a)
		f.after_id = a->id;
	if (a)
		f.anchor_date = a->tdate;
	struct fetch_ctx fc = {out, 0};
	if (iv_history(t->db, &f, on_row, &fc) != IV_OK) {
		snprintf(hist.error, sizeof hist.error, "%s", iv_errmsg(t->db));
		return -1;
	}
	return fc.n;
}

static const struct pager_source history_source = {sizeof(iv_ledger_row), history_fetch};

/* The count of the filter, by the counting thread. */
static void ask_count(void)
{
	struct count_request r = {.kind = COUNT_HISTORY, .batch = filter_now().batch};
	for (int i = 0; i < FL_BATCH; i++)
		snprintf(r.text[i], sizeof r.text[i], "%s", hist.filter[i]);
	hist.total = -1;
	hist.count_ticket = counter_ask(&r);
}

void history_preset(const struct history_filter_preset *p)
{
	const char *v[FL_COUNT] = {p->store, p->item, p->reason, p->user, p->from, p->to, NULL};
	for (int i = 0; i < FL_COUNT; i++)
		snprintf(hist.filter[i], sizeof hist.filter[i], "%s", v[i] ? v[i] : "");
}

/* The filter applied: the newest page now, the count when it is done. */
static void load(struct tui *t)
{
	(void)t;
	hist.error[0] = '\0';
	pager_home(&hist.pager);
	ask_count();
}

static void history_enter(struct tui *t)
{
	hist.t = t;
	if (!hist.ready) {
		grid_init(&hist.pager.grid, hist_cols, H_NCOLS);
		if (!pager_init(&hist.pager, &history_source, t)) {
			tui_msg(t, MSG_ERROR, "Out of memory: History cannot be shown.");
			return;
		}
		hist.ready = true;
	}
	load(t);
}

static void history_leave(struct tui *t)
{
	(void)t;
	approval_forget(&hist.approval);
}

/* After a reversal: the count and the rows around the selection again. */
static void reread(struct tui *t)
{
	(void)t;
	pager_refresh(&hist.pager);
	ask_count();
}

static const char *description_of(struct tui *t, const char *item)
{
	struct desc_cache *c = &hist.descs;
	for (int i = 0; i < DESC_CACHE; i++)
		if (c->item[i][0] && strcmp(c->item[i], item) == 0)
			return c->text[i];
	iv_item it;
	int slot = c->next;
	c->next = (c->next + 1) % DESC_CACHE;
	snprintf(c->item[slot], sizeof c->item[slot], "%s", item);
	snprintf(c->text[slot], sizeof c->text[slot], "%s",
	         iv_item_find(t->db, item, &it) == IV_OK ? it.description : "");
	return c->text[slot];
}

/* ---- Drawing ---------------------------------------------------------- */

static void link_text(const iv_ledger_row *r, char *buf, size_t size)
{
	if (r->reversed_by)
		snprintf(buf, size, "reversed by #%" PRId64, r->reversed_by);
	else if (r->reverses)
		snprintf(buf, size, "reverses #%" PRId64, r->reverses);
	else if (r->batch)
		snprintf(buf, size, "batch %" PRId64, r->batch);
	else
		buf[0] = '\0';
}

static void cell(void *ctx, int r, int c, char *buf, size_t size, enum role *role)
{
	struct tui *t = ctx;
	const iv_ledger_row *row = pager_row(&hist.pager, r);
	if (!row)
		return;
	switch (c) {
	case H_ID: snprintf(buf, size, "%" PRId64, row->id); break;
	case H_DATE: snprintf(buf, size, "%s", row->tdate); break;
	case H_STORE: snprintf(buf, size, "%s", row->store); break;
	case H_ITEM: snprintf(buf, size, "%s", row->item); break;
	case H_DESC: snprintf(buf, size, "%s", description_of(t, row->item)); *role = ROLE_DIM; break;
	case H_REASON: snprintf(buf, size, "%s", row->reason); break;
	case H_DIFF: numfmt_qty(buf, size, row->diff, true); break;
	case H_USER: snprintf(buf, size, "%s", row->user); break;
	case H_APPR: snprintf(buf, size, "%s", row->approved_by); break;
	case H_LINK:
		link_text(row, buf, size);
		if (row->reversed_by)
			*role = ROLE_DIM;
		break;
	default: break;
	}
}

static void head_text(char *head, size_t size)
{
	static const char *const names[] = {"store", "item", "reason", "user", "from", "to", "batch"};
	int used;
	if (counter_poll(hist.count_ticket, &hist.total))
		pager_total_known(&hist.pager, hist.total);
	int64_t pos = pager_position(&hist.pager);
	iv_history_filter f = filter_now();
	const char *order = iv_history_by_date(&f) ? "by date, newest first" : "newest first";
	if (hist.total < 0 && pos >= 0)
		used = snprintf(head, size, "Row %" PRId64 " (counting), %s.", pos + 1, order);
	else if (hist.total < 0)
		used = snprintf(head, size, "Counting rows, %s.", order);
	else if (pos >= 0 && hist.total > 0)
		used = snprintf(head, size, "Row %" PRId64 " of %" PRId64 ", %s.", pos + 1, hist.total, order);
	else
		used = snprintf(head, size, "%" PRId64 " row%s, %s.", hist.total, hist.total == 1 ? "" : "s", order);
	bool any = false;
	for (int i = 0; i < FL_COUNT && used > 0 && (size_t)used < size; i++)
		if (hist.filter[i][0]) {
			used += snprintf(head + used, size - (size_t)used, "%s %s %s", any ? "," : " Filter:", names[i],
			                 hist.filter[i]);
			any = true;
		}
	if (!any && used > 0 && (size_t)used < size) {
		char fk[16], d[16], r[16];
		snprintf(head + used, size - (size_t)used, "  %s filters, %s shows a row, %s reverses it.",
		         action_keys_text(ACT_FILTER, fk, sizeof fk, false), action_keys_text(ACT_DETAIL, d, sizeof d, false),
		         action_keys_text(ACT_REVERSE, r, sizeof r, false));
	}
}

static void history_draw(struct tui *t)
{
	int y = t->body_top, cols = draw_cols();
	char head[512];
	head_text(head, sizeof head);
	int used = draw_wrapped(y, 1, cols - 2, 2, head, ROLE_NORMAL);
	if (hist.error[0])
		used += draw_wrapped(y + used, 1, cols - 2, 2, hist.error, ROLE_ERROR);
	struct grid *g = &hist.pager.grid;
	grid_layout(g, 1, cols - 2);
	if (hist.pager.n == 0) {
		grid_draw_header(g, y + used);
		bool any = false;
		for (int i = 0; i < FL_COUNT; i++)
			any |= hist.filter[i][0] != '\0';
		draw_text(y + used + 2, 3, cols - 6, any ? "No adjustment matches the filter." : "No adjustments yet.",
		          ROLE_DIM, false);
		return;
	}
	grid_draw_list(g, y + used, t->body_rows - used, cell, t);
}

/* ---- Reversal of one row ---------------------------------------------- */

static int not_done(struct tui *t, const char *what)
{
	char text[IV_MSG_MAX + 160];
	snprintf(text, sizeof text, "%s\n%s", what, iv_errmsg(t->db));
	overlay_push(t, dialog_message("Not done", text));
	return R_NONE;
}

static int do_reverse(struct tui *t)
{
	iv_reversal rev = {hist.target.id, NULL, NULL, approval_get(&hist.approval)};
	iv_line_out out;
	memset(&out, 0, sizeof out);
	iv_status st = iv_reverse(t->db, &rev, &out);
	approval_forget(&hist.approval);
	if (st != IV_OK) {
		char what[64];
		snprintf(what, sizeof what, "Adjustment #%" PRId64 " was not reversed.", hist.target.id);
		return not_done(t, what);
	}
	tui_msg(t, MSG_OK, "Reversed #%" PRId64 " with #%" PRId64 ": Diff %+" PRId64 ", New Qty %" PRId64 ".",
	        hist.target.id, out.id, out.diff, out.new_qty);
	reread(t);
	return R_NONE;
}

static int on_reverse_answer(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (!result) {
		approval_forget(&hist.approval);
		tui_msg(t, MSG_INFO, "Nothing reversed.");
		return R_NONE;
	}
	return do_reverse(t);
}

static int confirm_reverse(struct tui *t)
{
	const iv_ledger_row *r = &hist.target;
	char text[2048];
	snprintf(text, sizeof text,
	         "Original #%" PRId64 ": %s, store %s, item %s, reason %s, Diff %+" PRId64 ", by %s.\n"
	         "Reversal to post: Diff %+" PRId64 " (reason REV), dated today.\n"
	         "Net Available now %" PRId64 ", New Qty after the reversal %" PRId64 ".\n%s%s%s"
	         "Reverse it?",
	         r->id, r->tdate, r->store, r->item, r->reason, r->diff, r->user, hist.rev.diff,
	         hist.rev.net_available, hist.rev.new_qty, hist.approval.given ? "Approved by " : "",
	         hist.approval.given ? hist.approval.name : "", hist.approval.given ? " (PIN checked).\n" : "");
	struct overlay *o = dialog_confirm("Reverse adjustment", text);
	if (o)
		o->done = on_reverse_answer;
	overlay_push(t, o);
	return R_NONE;
}

static void start_reverse(struct tui *t, const iv_ledger_row *row)
{
	hist.target = *row;
	approval_forget(&hist.approval);
	memset(&hist.rev, 0, sizeof hist.rev);
	if (iv_reverse_preview(t->db, row->id, &hist.rev) != IV_OK) {
		char what[64];
		snprintf(what, sizeof what, "Adjustment #%" PRId64 " cannot be reversed.", row->id);
		not_done(t, what);
		return;
	}
	if (hist.rev.needs_approval) {
		approval_ask(t, &hist.approval, "A clerk's reversal needs a supervisor's approval.", "a reversal",
		             "Nothing reversed: no approval given.", confirm_reverse);
		return;
	}
	confirm_reverse(t);
}

/* ---- Reversal of a batch ---------------------------------------------- */

static int do_reverse_batch(struct tui *t)
{
	iv_upload_result res;
	memset(&res, 0, sizeof res);
	iv_status st = iv_reverse_batch(t->db, hist.batch, NULL, NULL, approval_get(&hist.approval), &res);
	approval_forget(&hist.approval);
	if (st != IV_OK) {
		char what[IV_MSG_MAX + 128];
		int used = snprintf(what, sizeof what, "Batch %" PRId64 " was not reversed.", hist.batch);
		for (size_t i = 0; i < res.nerrors && i < 3 && used > 0 && (size_t)used < sizeof what; i++)
			used += snprintf(what + used, sizeof what - (size_t)used, "\n%s", res.errors[i].message);
		return not_done(t, what);
	}
	tui_msg(t, MSG_OK, "Batch %" PRId64 " reversed by batch %" PRId64 ": %" PRIu64 " rows.", hist.batch,
	        res.batch_id, res.posted);
	reread(t);
	return R_NONE;
}

static int on_batch_answer(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (!result) {
		approval_forget(&hist.approval);
		tui_msg(t, MSG_INFO, "Nothing reversed.");
		return R_NONE;
	}
	return do_reverse_batch(t);
}

static int confirm_reverse_batch(struct tui *t)
{
	iv_batch b;
	if (iv_batch_get(t->db, hist.batch, &b) != IV_OK)
		return not_done(t, "The batch cannot be read.");
	const iv_upload_result *p = &hist.batch_plan;
	char skipped[160] = "", text[4096];
	if (p->unchanged)
		snprintf(skipped, sizeof skipped, " %" PRIu64 " of its rows %s already reversed one by one and %s skipped.",
		         p->unchanged, p->unchanged == 1 ? "was" : "were", p->unchanged == 1 ? "is" : "are");
	snprintf(text, sizeof text,
	         "Batch %" PRId64 ": %.300s, rule %s, %" PRIu64 " rows posted by %s at %s.\n"
	         "To post: %" PRIu64 " reversal%s with the opposite Diff, dated today, all at once or none.%s\n%s%s%s"
	         "Reverse the batch?",
	         b.id, b.file_name, iv_rule_name(b.rule), b.posted, b.user, b.recorded_at, p->posted,
	         p->posted == 1 ? "" : "s", skipped, hist.approval.given ? "Approved by " : "",
	         hist.approval.given ? hist.approval.name : "", hist.approval.given ? " (PIN checked).\n" : "");
	struct overlay *o = dialog_confirm("Reverse batch", text);
	if (o)
		o->done = on_batch_answer;
	overlay_push(t, o);
	return R_NONE;
}

static void start_reverse_batch(struct tui *t, int64_t batch)
{
	hist.batch = batch;
	approval_forget(&hist.approval);
	if (iv_reverse_batch_preview(t->db, batch, &hist.batch_plan) != IV_OK) {
		char what[64];
		snprintf(what, sizeof what, "Batch %" PRId64 " cannot be reversed.", batch);
		not_done(t, what);
		return;
	}
	if (hist.batch_plan.unapproved) {
		approval_ask(t, &hist.approval, "A clerk's batch reversal needs a supervisor's approval.",
		             "a batch reversal", "Nothing reversed: no approval given.", confirm_reverse_batch);
		return;
	}
	confirm_reverse_batch(t);
}

static void reverse_batch_of(struct tui *t, const iv_ledger_row *row)
{
	if (!row->batch) {
		char what[96];
		snprintf(what, sizeof what, "Adjustment #%" PRId64 " was not posted by an upload: it has no batch.", row->id);
		overlay_push(t, dialog_message("Not an upload", what));
		return;
	}
	start_reverse_batch(t, row->batch);
}

/* ---- Detail and filter ------------------------------------------------ */

static int on_detail(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	const iv_ledger_row *row = pager_selected(&hist.pager);
	if (!row)
		return R_NONE;
	if (result == ACT_REVERSE)
		start_reverse(t, row);
	else if (result == ACT_REVERSE_BATCH)
		reverse_batch_of(t, row);
	return R_NONE;
}

static void show_detail(struct tui *t)
{
	const iv_ledger_row *r = pager_selected(&hist.pager);
	char link[64], batch[400] = "", text[4096];
	link_text(r, link, sizeof link);
	iv_batch b;
	/* what the batch was: an upload's file, a reversal, a count */
	if (r->batch && iv_batch_get(t->db, r->batch, &b) == IV_OK)
		snprintf(batch, sizeof batch, "Batch %" PRId64 " (rule %s): %.300s\n", r->batch, iv_rule_name(b.rule),
		         b.file_name);
	else if (r->batch)
		snprintf(batch, sizeof batch, "Batch %" PRId64 "\n", r->batch);
	if (r->batch && !r->reversed_by && !r->reverses)
		link[0] = '\0'; /* already said on the batch line */
	snprintf(text, sizeof text,
	         "Id %" PRId64 "   Document %" PRId64 "\n"
	         "Transaction date %s   Recorded %s\n"
	         "Store %s   Item %s (%s)   Reason %s\n"
	         "Diff %+" PRId64 "\n"
	         "Entered by %s%s%s\n"
	         "%s%s%s"
	         "Memo: %s",
	         r->id, r->document, r->tdate, r->recorded_local, r->store, r->item, description_of(t, r->item), r->reason,
	         r->diff, r->user, r->approved_by[0] ? ", approved by " : "", r->approved_by, link, link[0] ? "\n" : "",
	         batch, r->memo[0] ? r->memo : "-");
	/* only what the engine's rules allow is offered */
	enum action offer[3] = {ACT_NONE, ACT_NONE, ACT_NONE};
	int n = 0;
	iv_line_out rev;
	if (iv_reverse_preview(t->db, r->id, &rev) == IV_OK)
		offer[n++] = ACT_REVERSE;
	iv_upload_result plan;
	if (r->batch && iv_reverse_batch_preview(t->db, r->batch, &plan) == IV_OK)
		offer[n++] = ACT_REVERSE_BATCH;
	struct overlay *o = dialog_choices("Adjustment", text, offer);
	if (o)
		o->done = on_detail;
	overlay_push(t, o);
}

static int on_filter(struct tui *t, struct overlay *o, int result)
{
	(void)t;
	if (!result)
		return R_NONE;
	for (int i = 0; i < FL_COUNT; i++)
		dialog_value(o, i, hist.filter[i], sizeof hist.filter[i]);
	return R_RELOAD;
}

static void open_filter(struct tui *t)
{
	static const char *const labels[] = {"Store", "Item", "Reason", "User", "From date", "To date", "Batch id"};
	static const size_t max[] = {IV_CODE_MAX, IV_IDENT_MAX, IV_CODE_MAX, IV_IDENT_MAX, DATE_MAX, DATE_MAX, 20};
	char clear[16], text[96];
	snprintf(text, sizeof text, "Leave a field empty to match any.  %s clears a field.",
	         action_keys_text(ACT_CLEAR_FIELD, clear, sizeof clear, false));
	struct overlay *o = dialog_form("Filter", text, FL_COUNT, labels, max, NULL);
	if (!o) {
		overlay_push(t, o);
		return;
	}
	for (int i = 0; i < FL_COUNT; i++)
		dialog_set_value(o, i, hist.filter[i]);
	o->done = on_filter;
	overlay_push(t, o);
}

static int history_key(struct tui *t, int key, enum action a)
{
	(void)key;
	const iv_ledger_row *row = pager_selected(&hist.pager);
	switch (a) {
	case ACT_FILTER:
		open_filter(t);
		return R_NONE;
	case ACT_RELOAD:
		return R_RELOAD;
	case ACT_DETAIL:
		if (row)
			show_detail(t);
		return R_NONE;
	case ACT_REVERSE:
		if (row)
			start_reverse(t, row);
		return R_NONE;
	case ACT_REVERSE_BATCH:
		if (row)
			reverse_batch_of(t, row);
		return R_NONE;
	default:
		break;
	}
	if (!pager_move(&hist.pager, a, t->body_rows - 3, hist.total))
		return R_UNKNOWN;
	if (hist.pager.failed)
		tui_msg(t, MSG_ERROR, "History: %s", hist.error);
	return R_NONE;
}

const struct screen_ops scr_history_ops = {
	.title = "History",
	.actions = history_actions,
	.enter = history_enter,
	.leave = history_leave,
	.draw = history_draw,
	.key = history_key,
};
