/* History (F3): the ledger newest first, a filter, a row's detail, and
 * reversal of a row or of a whole upload batch.  Whether a row may be
 * reversed, and what it gives, is the engine's answer (iv_reverse_preview). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/upload.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/grid.h"
#include "tui/keys.h"
#include "tui/screen.h"

#define HIST_PAGE 500
#define DATE_MAX 24

enum { H_ID, H_DATE, H_STORE, H_ITEM, H_REASON, H_DIFF, H_USER, H_APPR, H_LINK, H_NCOLS };

static const struct grid_col hist_cols[] = {
	[H_ID] = {"Id", 6, 4, true, 0},
	[H_DATE] = {"Date", 10, 10, false, 0},
	[H_STORE] = {"Store", 5, 4, false, 0},
	[H_ITEM] = {"Item", 12, 7, false, 2},
	[H_REASON] = {"Reason", 6, 6, false, 0},
	[H_DIFF] = {"Diff", 7, 6, true, 0},
	[H_USER] = {"User", 8, 5, false, 1},
	[H_APPR] = {"Approver", 8, 8, false, 1},
	[H_LINK] = {"Reversal", 19, 16, false, 0},
};

enum { FL_STORE, FL_ITEM, FL_REASON, FL_USER, FL_FROM, FL_TO, FL_BATCH, FL_COUNT };

static struct {
	iv_ledger_row *rows;
	int n, cap;
	bool more, failed;
	struct grid grid;
	char filter[FL_COUNT][IV_IDENT_SIZE];
	iv_ledger_row target;    /* the row being reversed */
	iv_line_out rev;         /* its reversal preview */
	int64_t batch;           /* the batch being reversed */
	char ap_name[IV_IDENT_SIZE], ap_pin[IV_IDENT_SIZE];
	bool have_approval;
} S;

static const enum action history_actions[] = {ACT_DETAIL, ACT_REVERSE, ACT_FILTER, ACT_RELOAD, ACT_UP, ACT_DOWN,
                                              ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END, ACT_NONE};

static bool on_row(void *ctx, const iv_ledger_row *row)
{
	(void)ctx;
	if (S.n == S.cap) {
		int cap = S.cap ? S.cap * 2 : 256;
		iv_ledger_row *p = realloc(S.rows, (size_t)cap * sizeof *p);
		if (!p) {
			S.failed = true;
			return false;
		}
		S.rows = p;
		S.cap = cap;
	}
	S.rows[S.n++] = *row;
	return true;
}

static const char *opt(const char *s) { return s[0] ? s : NULL; }

static void load(struct tui *t, bool append)
{
	if (!append) {
		S.n = 0;
		S.grid.sel = S.grid.top = 0; /* the newest row selected */
	}
	int before = S.n;
	iv_history_filter f = {
		.store = opt(S.filter[FL_STORE]), .item = opt(S.filter[FL_ITEM]),
		.reason = opt(S.filter[FL_REASON]), .user = opt(S.filter[FL_USER]),
		.from = opt(S.filter[FL_FROM]), .to = opt(S.filter[FL_TO]),
		.batch = S.filter[FL_BATCH][0] ? strtoll(S.filter[FL_BATCH], NULL, 10) : 0,
		.before_id = append && S.n ? S.rows[S.n - 1].id : 0,
		.limit = HIST_PAGE,
	};
	S.failed = false;
	if (iv_history(t->db, &f, on_row, NULL) != IV_OK)
		tui_engine_msg(t, "History");
	else if (S.failed)
		tui_msg(t, MSG_ERROR, "Out of memory: only the first %d rows are shown.", S.n);
	S.more = S.n - before == HIST_PAGE;
	S.grid.nrows = S.n;
}

static void history_enter(struct tui *t)
{
	if (!S.grid.cols)
		grid_init(&S.grid, hist_cols, H_NCOLS);
	load(t, false);
}

static void history_leave(struct tui *t)
{
	(void)t;
	memset(S.ap_pin, 0, sizeof S.ap_pin);
}

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
	(void)ctx;
	const iv_ledger_row *row = &S.rows[r];
	switch (c) {
	case H_ID: snprintf(buf, size, "%" PRId64, row->id); break;
	case H_DATE: snprintf(buf, size, "%s", row->tdate); break;
	case H_STORE: snprintf(buf, size, "%s", row->store); break;
	case H_ITEM: snprintf(buf, size, "%s", row->item); break;
	case H_REASON: snprintf(buf, size, "%s", row->reason); break;
	case H_DIFF: snprintf(buf, size, "%+" PRId64, row->diff); break;
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

static void history_draw(struct tui *t)
{
	int y = t->body_top, cols = draw_cols();
	char head[512];
	int used = snprintf(head, sizeof head, "%d row%s%s, newest first.", S.n, S.n == 1 ? "" : "s", S.more ? "+" : "");
	static const char *const names[] = {"store", "item", "reason", "user", "from", "to", "batch"};
	bool any = false;
	for (int i = 0; i < FL_COUNT && used > 0 && (size_t)used < sizeof head; i++)
		if (S.filter[i][0]) {
			used += snprintf(head + used, sizeof head - (size_t)used, "%s %s %s", any ? "," : " Filter:",
			                 names[i], S.filter[i]);
			any = true;
		}
	if (!any && used > 0 && (size_t)used < sizeof head)
		snprintf(head + used, sizeof head - (size_t)used, "  / filters, Enter shows a row, r reverses it.");
	draw_text(y, 1, cols - 2, head, ROLE_NORMAL, true);
	grid_layout(&S.grid, 1, cols - 2);
	if (S.n == 0) {
		grid_draw_header(&S.grid, y + 1);
		draw_text(y + 3, 3, cols - 6, any ? "No adjustment matches the filter." : "No adjustments yet.",
		          ROLE_DIM, false);
		return;
	}
	grid_draw_list(&S.grid, y + 1, t->body_rows - 1, cell, NULL);
}

/* ---- Reversal ------------------------------------------------------ */

static void ask_approval(struct tui *t, overlay_done_fn done, const char *why);

static int after_failure(struct tui *t, const char *what)
{
	char text[IV_MSG_MAX + 128];
	snprintf(text, sizeof text, "%s\n%s", what, iv_errmsg(t->db));
	overlay_push(t, dialog_message("Not done", text, NULL, NULL));
	return R_NONE;
}

/* The approval typed for this attempt, if any. */
static iv_approval held_approval(void)
{
	return (iv_approval){S.have_approval ? S.ap_name : NULL, S.have_approval ? S.ap_pin : NULL};
}

/* After an attempt: forgets the PIN; when the engine refused for want
 * of a supervisor and none was asked yet, asks (done runs the attempt
 * again) and returns true. */
static bool approval_asked(struct tui *t, iv_status st, overlay_done_fn done)
{
	memset(S.ap_pin, 0, sizeof S.ap_pin);
	if (st == IV_E_PERMISSION && !S.have_approval) {
		char why[IV_MSG_MAX];
		snprintf(why, sizeof why, "%s", iv_errmsg(t->db));
		ask_approval(t, done, why);
		return true;
	}
	S.have_approval = false;
	return false;
}

static int do_reverse(struct tui *t)
{
	iv_reversal rev = {S.target.id, NULL, NULL, held_approval()};
	iv_line_out out;
	memset(&out, 0, sizeof out);
	iv_status st = iv_reverse(t->db, &rev, &out);
	if (approval_asked(t, st, NULL))
		return R_NONE;
	if (st != IV_OK) {
		char what[64];
		snprintf(what, sizeof what, "Adjustment #%" PRId64 " was not reversed.", S.target.id);
		return after_failure(t, what);
	}
	tui_msg(t, MSG_OK, "Reversed #%" PRId64 " with #%" PRId64 ": Diff %+" PRId64 ", New Qty %" PRId64 ".",
	        S.target.id, out.id, out.diff, out.new_qty);
	return R_RELOAD;
}

static int on_confirm(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (!result) {
		S.have_approval = false;
		memset(S.ap_pin, 0, sizeof S.ap_pin);
		tui_msg(t, MSG_INFO, "Nothing reversed.");
		return R_NONE;
	}
	return do_reverse(t);
}

static void confirm_reverse(struct tui *t)
{
	const iv_ledger_row *r = &S.target;
	char text[2048];
	snprintf(text, sizeof text,
	         "Original #%" PRId64 ": %s, store %s, item %s, reason %s, Diff %+" PRId64 ", by %s.\n"
	         "Reversal: Diff %+" PRId64 " (reason REV).\n"
	         "Net Available now %" PRId64 ", New Qty after the reversal %" PRId64 ".\n%s%s%s\n"
	         "Reverse it?",
	         r->id, r->tdate, r->store, r->item, r->reason, r->diff, r->user, S.rev.diff,
	         S.rev.net_available, S.rev.new_qty, S.have_approval ? "Approved by " : "",
	         S.have_approval ? S.ap_name : "", S.have_approval ? "." : "");
	struct overlay *o = dialog_confirm("Reverse adjustment", text);
	if (o)
		o->done = on_confirm;
	overlay_push(t, o);
}

static int on_approval(struct tui *t, struct overlay *o, int result)
{
	if (!result) {
		tui_msg(t, MSG_INFO, "Nothing reversed: no approval given.");
		return R_NONE;
	}
	dialog_value(o, 0, S.ap_name, sizeof S.ap_name);
	dialog_value(o, 1, S.ap_pin, sizeof S.ap_pin);
	S.have_approval = true;
	if (S.batch)
		return R_NONE; /* the batch path passes its own continuation */
	confirm_reverse(t);
	return R_NONE;
}

static void ask_approval(struct tui *t, overlay_done_fn done, const char *why)
{
	struct overlay *o = dialog_approval(why);
	if (o)
		o->done = done ? done : on_approval;
	overlay_push(t, o);
}

static void start_reverse(struct tui *t, const iv_ledger_row *row)
{
	S.target = *row;
	S.batch = 0;
	S.have_approval = false;
	memset(&S.rev, 0, sizeof S.rev);
	if (iv_reverse_preview(t->db, row->id, &S.rev) != IV_OK) {
		char what[64];
		snprintf(what, sizeof what, "Adjustment #%" PRId64 " cannot be reversed.", row->id);
		after_failure(t, what);
		return;
	}
	if (S.rev.needs_approval) {
		ask_approval(t, NULL, "A clerk's reversal needs a supervisor's approval.");
		return;
	}
	confirm_reverse(t);
}

/* ---- Batch reversal ------------------------------------------------ */

static int do_reverse_batch(struct tui *t);

static int on_batch_approval(struct tui *t, struct overlay *o, int result)
{
	if (!result) {
		tui_msg(t, MSG_INFO, "Nothing reversed: no approval given.");
		return R_NONE;
	}
	dialog_value(o, 0, S.ap_name, sizeof S.ap_name);
	dialog_value(o, 1, S.ap_pin, sizeof S.ap_pin);
	S.have_approval = true;
	return do_reverse_batch(t);
}

static int do_reverse_batch(struct tui *t)
{
	iv_upload_result res;
	memset(&res, 0, sizeof res);
	iv_status st = iv_reverse_batch(t->db, S.batch, NULL, NULL, held_approval(), &res);
	if (approval_asked(t, st, on_batch_approval))
		return R_NONE;
	if (st != IV_OK) {
		char what[IV_MSG_MAX + 128];
		int used = snprintf(what, sizeof what, "Batch %" PRId64 " was not reversed.", S.batch);
		for (size_t i = 0; i < res.nerrors && i < 3 && used > 0 && (size_t)used < sizeof what; i++)
			used += snprintf(what + used, sizeof what - (size_t)used, "\n%s", res.errors[i].message);
		return after_failure(t, what);
	}
	tui_msg(t, MSG_OK, "Batch %" PRId64 " reversed by batch %" PRId64 ": %" PRIu64 " rows.", S.batch,
	        res.batch_id, res.posted);
	return R_RELOAD;
}

static int on_batch_confirm(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (!result) {
		tui_msg(t, MSG_INFO, "Nothing reversed.");
		return R_NONE;
	}
	return do_reverse_batch(t);
}

static void start_reverse_batch(struct tui *t, int64_t batch)
{
	iv_batch b;
	S.batch = batch;
	S.have_approval = false;
	if (iv_batch_get(t->db, batch, &b) != IV_OK) {
		after_failure(t, "The batch cannot be read.");
		return;
	}
	char text[1200];
	snprintf(text, sizeof text,
	         "Batch %" PRId64 ": %.300s, rule %s, %" PRIu64 " rows posted by %s at %s.\n"
	         "Every row of it gets a reversal with the opposite Diff, all at once or none.\n"
	         "Reverse the whole batch?",
	         b.id, b.file_name, iv_rule_name(b.rule), b.posted, b.user, b.recorded_at);
	struct overlay *o = dialog_confirm("Reverse batch", text);
	if (o)
		o->done = on_batch_confirm;
	overlay_push(t, o);
}

/* ---- Detail and filter --------------------------------------------- */

static int on_detail(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (S.grid.sel >= S.n)
		return R_NONE;
	const iv_ledger_row *row = &S.rows[S.grid.sel];
	if (result == 'r')
		start_reverse(t, row);
	else if (result == 'b' && row->batch)
		start_reverse_batch(t, row->batch);
	return R_NONE;
}

static void show_detail(struct tui *t)
{
	const iv_ledger_row *r = &S.rows[S.grid.sel];
	char link[64], batch[48] = "", text[4096];
	link_text(r, link, sizeof link);
	if (r->batch)
		snprintf(batch, sizeof batch, "Upload batch %" PRId64 "\n", r->batch);
	if (r->batch && !r->reversed_by && !r->reverses)
		link[0] = '\0'; /* already said on the batch line */
	snprintf(text, sizeof text,
	         "Id %" PRId64 "   Document %" PRId64 "\n"
	         "Transaction date %s   Recorded %s\n"
	         "Store %s   Item %s   Reason %s\n"
	         "Diff %+" PRId64 "\n"
	         "Entered by %s%s%s\n"
	         "%s%s%s"
	         "Memo: %s",
	         r->id, r->document, r->tdate, r->recorded_local, r->store, r->item, r->reason, r->diff, r->user,
	         r->approved_by[0] ? ", approved by " : "", r->approved_by, link, link[0] ? "\n" : "", batch,
	         r->memo[0] ? r->memo : "-");
	struct overlay *o = dialog_message("Adjustment", text, r->batch ? "rb" : "r",
	                                   r->batch ? "Enter: close   r: reverse this row   b: reverse the whole batch"
	                                            : "Enter: close   r: reverse this row");
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
		dialog_value(o, i, S.filter[i], sizeof S.filter[i]);
	return R_RELOAD;
}

static void open_filter(struct tui *t)
{
	static const char *const labels[] = {"Store", "Item", "Reason", "User", "From date", "To date", "Batch id"};
	static const size_t max[] = {IV_CODE_MAX, IV_IDENT_MAX, IV_CODE_MAX, IV_IDENT_MAX, DATE_MAX, DATE_MAX, 20};
	struct overlay *o = dialog_form("Filter", "Leave a field empty to match any.  Ctrl-U clears a field.",
	                                FL_COUNT, labels, max, NULL);
	if (!o) {
		overlay_push(t, o);
		return;
	}
	for (int i = 0; i < FL_COUNT; i++)
		dialog_set_value(o, i, S.filter[i]);
	o->done = on_filter;
	overlay_push(t, o);
}

static int history_key(struct tui *t, int key, enum action a)
{
	(void)key;
	switch (a) {
	case ACT_FILTER:
		open_filter(t);
		return R_NONE;
	case ACT_RELOAD:
		return R_RELOAD;
	case ACT_DETAIL:
		if (S.n)
			show_detail(t);
		return R_NONE;
	case ACT_REVERSE:
		if (S.n)
			start_reverse(t, &S.rows[S.grid.sel]);
		return R_NONE;
	default:
		break;
	}
	if (grid_move(&S.grid, a, t->body_rows - 3) && S.more && S.grid.sel >= S.n - 1) {
		load(t, true);
		if (a == ACT_END)
			S.grid.sel = S.n - 1;
	}
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
