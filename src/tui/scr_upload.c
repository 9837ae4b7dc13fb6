/* Upload (F4): a CSV file under the Delta or Sync rule.  The engine
 * validates (iv_upload_prepare), shows what it would do, and posts it
 * all or nothing (iv_upload_commit) while a progress bar moves. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "invadj/files.h"
#include "invadj/upload.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/field.h"
#include "tui/keys.h"
#include "tui/pathcomp.h"
#include "tui/screen.h"

#define UP_PATH_MAX 500
#define DATE_MAX 24
#define REPORT_LINES 16

enum { UF_FILE, UF_RULE, UF_DATE, UF_REASON, UF_COUNT };

static struct {
	struct field f[UF_COUNT];
	iv_rule rule;
	int focus;
	bool started;
	/* what the engine was given: kept while a plan lives */
	char path[UP_PATH_MAX + 1], date[DATE_MAX + 1], reason[IV_CODE_SIZE];
	char ap_name[IV_IDENT_SIZE], ap_pin[IV_IDENT_SIZE];
	bool approve, again; /* the next check: with the approval; posting a duplicate */
	iv_upload_opts opts;
	iv_upload_result res;
	iv_upload_plan *plan;
	/* progress */
	const char *phase;
	uint64_t done, total;
	struct timespec last;
	struct tui *t;
	char report[REPORT_LINES][IV_MSG_MAX + 32];
	enum role report_role[REPORT_LINES];
	int nreport;
} U;

static const enum action upload_actions[] = {ACT_POST, ACT_TEMPLATE, ACT_RULE, ACT_ENTER, ACT_NEXT, ACT_PREV,
                                             ACT_NONE};

static void report_clear(void) { U.nreport = 0; }

static void report(enum role r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(enum role r, const char *fmt, ...)
{
	if (U.nreport >= REPORT_LINES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(U.report[U.nreport], sizeof U.report[0], fmt, ap);
	va_end(ap);
	U.report_role[U.nreport++] = r;
}

static void report_errors(const iv_upload_result *res)
{
	for (size_t i = 0; i < res->nerrors; i++) {
		if (res->errors[i].line)
			report(ROLE_ERROR, "line %" PRIu64 ": %s", res->errors[i].line, res->errors[i].message);
		else
			report(ROLE_ERROR, "%s", res->errors[i].message);
	}
	if (res->errors_path[0])
		report(ROLE_NORMAL, "The refused rows, with the reason, are in %s", res->errors_path);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx;
	U.done = done;
	U.total = total;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - U.last.tv_sec) * 1000 + (now.tv_nsec - U.last.tv_nsec) / 1000000;
	if (ms >= 50 || done == total) {
		U.last = now;
		tui_paint(U.t);
	}
}

static void plan_drop(void)
{
	if (U.plan)
		iv_upload_plan_free(U.plan);
	U.plan = NULL;
}

/* Back to a first Ctrl-S: no approval, no second posting. */
static void answers_forget(void)
{
	U.approve = U.again = false;
	memset(U.ap_pin, 0, sizeof U.ap_pin);
}

static int check(struct tui *t);

static int on_approval(struct tui *t, struct overlay *o, int result)
{
	if (!result) {
		answers_forget();
		tui_msg(t, MSG_INFO, "Nothing posted: no approval given.");
		return R_NONE;
	}
	dialog_value(o, 0, U.ap_name, sizeof U.ap_name);
	dialog_value(o, 1, U.ap_pin, sizeof U.ap_pin);
	U.approve = true;
	return check(t);
}

static void ask_approval(struct tui *t, const char *why)
{
	struct overlay *o = dialog_approval(why);
	if (o)
		o->done = on_approval;
	overlay_push(t, o);
}

static int commit(struct tui *t)
{
	U.phase = "Posting";
	U.done = 0;
	U.total = 1;
	U.t = t;
	iv_status st = iv_upload_commit(t->db, U.plan, &U.res);
	U.phase = NULL;
	report_clear();
	if (st != IV_OK) {
		report(ROLE_ERROR, "Nothing was posted: %s", iv_errmsg(t->db));
		report_errors(&U.res);
		if (st == IV_E_CONFLICT)
			report(ROLE_NORMAL, "Press Ctrl-S to check the file again with the current numbers.");
		tui_msg(t, MSG_ERROR, "Upload not posted.");
	} else {
		report(ROLE_OK, "Posted as batch %" PRId64 " (document %" PRId64 "): %" PRIu64 " rows read, %" PRIu64
		       " posted, %" PRIu64 " unchanged.", U.res.batch_id, U.res.document, U.res.rows, U.res.posted,
		       U.res.unchanged);
		report(ROLE_NORMAL, "History (F3) lists it; a supervisor can reverse the batch from a row's detail.");
		tui_msg(t, MSG_OK, "Batch %" PRId64 " posted.", U.res.batch_id);
	}
	plan_drop();
	return R_NONE;
}

static int on_confirm(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (!result) {
		plan_drop();
		tui_msg(t, MSG_INFO, "Nothing posted.");
		return R_NONE;
	}
	return commit(t);
}

static int on_again(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (!result) {
		answers_forget();
		tui_msg(t, MSG_INFO, "Nothing posted.");
		return R_NONE;
	}
	U.again = true;
	return check(t);
}

/* Ctrl-S: validate, show the preview, and ask before posting; first,
 * when the engine says so, for a supervisor's approval or whether to
 * post a file a second time (each answer checks the file again). */
static int check(struct tui *t)
{
	plan_drop();
	field_get(&U.f[UF_FILE], U.path, sizeof U.path);
	field_get(&U.f[UF_DATE], U.date, sizeof U.date);
	field_get(&U.f[UF_REASON], U.reason, sizeof U.reason);
	if (!U.path[0]) {
		answers_forget();
		tui_msg(t, MSG_ERROR, "File: type the path of the CSV file (Tab completes).");
		U.focus = UF_FILE;
		return R_NONE;
	}
	memset(&U.opts, 0, sizeof U.opts);
	U.opts.path = U.path;
	U.opts.rule = U.rule;
	U.opts.date = U.date[0] ? U.date : NULL;
	U.opts.default_reason = U.reason[0] ? U.reason : NULL;
	U.opts.approval.name = U.approve ? U.ap_name : NULL;
	U.opts.approval.pin = U.approve ? U.ap_pin : NULL;
	U.opts.allow_duplicate = U.again;
	U.opts.on_progress = on_progress;
	U.t = t;
	U.phase = "Checking";
	U.done = 0;
	U.total = 1;
	memset(&U.res, 0, sizeof U.res);
	iv_status st = iv_upload_prepare(t->db, &U.opts, &U.res, &U.plan);
	U.phase = NULL;
	report_clear();
	if (st == IV_E_CONFLICT && U.res.duplicate_of && !U.again) {
		char text[IV_MSG_MAX + 64];
		snprintf(text, sizeof text, "%s.\nPost the same rows a second time?", iv_errmsg(t->db));
		text[0] = (char)toupper((unsigned char)text[0]); /* the message starts a sentence here */
		struct overlay *o = dialog_confirm("Already posted", text);
		if (o)
			o->done = on_again;
		overlay_push(t, o);
		return R_NONE;
	}
	if (st == IV_OK && U.res.unapproved && !U.approve) {
		char why[IV_MSG_MAX];
		snprintf(why, sizeof why, "%" PRIu64 " row%s above the store's approval threshold.", U.res.unapproved,
		         U.res.unapproved == 1 ? " is" : "s are");
		plan_drop();
		ask_approval(t, why);
		return R_NONE;
	}
	answers_forget(); /* the plan keeps its own copy of the PIN */
	if (st != IV_OK) {
		if (U.res.nerrors)
			report(ROLE_ERROR, "Refused, nothing posted: %" PRIu64 " of %" PRIu64 " rows refused.  The first:",
			       U.res.refused, U.res.rows);
		else
			report(ROLE_ERROR, "Refused, nothing posted: %s", iv_errmsg(t->db));
		report_errors(&U.res);
		plan_drop();
		tui_msg(t, MSG_ERROR, "The file has errors: fix them and press Ctrl-S again.");
		return R_NONE;
	}
	report(ROLE_NORMAL, "Checked %s under the %s rule: %" PRIu64 " rows, %" PRIu64 " to post, %" PRIu64
	       " unchanged, %" PRIu64 " refused.", U.path, iv_rule_name(U.rule), U.res.rows, U.res.posted,
	       U.res.unchanged, U.res.refused);
	char text[IV_MSG_MAX + 256];
	snprintf(text, sizeof text, "%" PRIu64 " rows read: %" PRIu64 " adjustments to post, %" PRIu64
	         " unchanged.\nPost them now, all together, under the %s rule?",
	         U.res.rows, U.res.posted, U.res.unchanged, iv_rule_name(U.rule));
	struct overlay *o = dialog_confirm("Post upload", text);
	if (o)
		o->done = on_confirm;
	overlay_push(t, o);
	return R_NONE;
}

/* ---- Template ------------------------------------------------------ */

static int on_template(struct tui *t, struct overlay *o, int result)
{
	char path[UP_PATH_MAX + 1];
	if (!result)
		return R_NONE;
	dialog_value(o, 0, path, sizeof path);
	if (!path[0]) {
		tui_msg(t, MSG_ERROR, "No file name given: the template was not written.");
		return R_NONE;
	}
	/* Never over a file (the question whether to replace one is the
	 * screens' to ask). */
	if (iv_upload_template_file(path, false) != IV_OK) {
		tui_msg(t, MSG_ERROR, "%s", iv_file_errmsg());
		return R_NONE;
	}
	tui_msg(t, MSG_OK, "Template written to %s: fill it in, then upload it here.", path);
	field_set(&U.f[UF_FILE], path);
	return R_NONE;
}

static void write_template(struct tui *t)
{
	static const char *const labels[] = {"Save as"};
	static const size_t max[] = {UP_PATH_MAX};
	struct overlay *o = dialog_form("Write template", "The upload template CSV is written to this file.", 1,
	                                labels, max, NULL);
	if (o) {
		dialog_set_value(o, 0, "invadj-template.csv");
		o->done = on_template;
	}
	overlay_push(t, o);
}

/* ---- The screen ---------------------------------------------------- */

static void upload_enter(struct tui *t)
{
	(void)t;
	if (U.started)
		return;
	field_init(&U.f[UF_FILE], UP_PATH_MAX, false);
	field_init(&U.f[UF_RULE], 8, false);
	field_init(&U.f[UF_DATE], DATE_MAX, false);
	field_init(&U.f[UF_REASON], IV_CODE_MAX, false);
	U.rule = IV_RULE_DELTA;
	U.started = true;
	report(ROLE_DIM, "Type the file (Tab completes), choose the rule, then Ctrl-S checks it");
	report(ROLE_DIM, "and asks before posting.  Nothing is posted if any row is refused.");
	report(ROLE_DIM, "Date and Reason are used for rows that leave them blank (Date empty: today).");
	report(ROLE_DIM, "Delta: Qty is the Diff (1 adds one, -1 takes one away).");
	report(ROLE_DIM, "Sync: Qty is the count (110 on 100 adds 10); not for back-dated rows.");
}

static void upload_leave(struct tui *t)
{
	(void)t;
	plan_drop();
}

static void upload_draw(struct tui *t)
{
	int y = t->body_top + 1, cols = draw_cols();
	static const char *const labels[] = {"File", "Rule", "Date", "Reason"};
	for (int i = 0; i < UF_COUNT; i++) {
		draw_text(y + i, 1, 8, labels[i], ROLE_NORMAL, true);
		if (i == UF_RULE) {
			bool delta = U.rule == IV_RULE_DELTA;
			draw_text(y + i, 10, 9, delta ? "[Delta]" : " Delta ", U.focus == i && delta ? ROLE_FOCUS : ROLE_NORMAL, true);
			draw_text(y + i, 19, 8, delta ? " Sync " : "[Sync]", U.focus == i && !delta ? ROLE_FOCUS : ROLE_NORMAL, true);
			draw_text(y + i, 29, cols - 30, U.focus == i ? "Space, Left/Right or F7 switches" : "",
			          ROLE_DIM, true);
			if (U.focus == i) {
				t->cur_y = y + i;
				t->cur_x = delta ? 11 : 20;
			}
			continue;
		}
		int w = i == UF_FILE ? cols - 12 : i == UF_DATE ? 12 : 10;
		field_draw(&U.f[i], y + i, 10, w, U.focus == i, &t->cur_y, &t->cur_x);
	}
	int ry = y + UF_COUNT + 1;
	if (U.phase) {
		int bw = cols - 30;
		int filled = U.total ? (int)((double)U.done / (double)U.total * bw) : 0;
		if (filled > bw)
			filled = bw;
		char pct[48];
		snprintf(pct, sizeof pct, "%s %3d%%", U.phase, U.total ? (int)(U.done * 100 / U.total) : 0);
		draw_text(ry, 1, 14, pct, ROLE_NORMAL, true);
		draw_fill(ry, 16, filled, ROLE_SEL);
		draw_fill(ry, 16 + filled, bw - filled, ROLE_DIM);
		draw_text(ry, 16 + filled, bw - filled, "", ROLE_FIELD, true);
		ry += 2;
	}
	int end = t->body_top + t->body_rows;
	for (int i = 0; i < U.nreport && ry < end; i++)
		ry += draw_wrapped(ry, 1, cols - 2, end - ry, U.report[i], U.report_role[i]);
}

static int upload_key(struct tui *t, int key, enum action a)
{
	switch (a) {
	case ACT_POST:
		answers_forget();
		return check(t);
	case ACT_TEMPLATE:
		write_template(t);
		return R_NONE;
	case ACT_RULE:
		U.rule = U.rule == IV_RULE_DELTA ? IV_RULE_SYNC : IV_RULE_DELTA;
		return R_NONE;
	case ACT_ENTER:
		U.focus = (U.focus + 1) % UF_COUNT;
		return R_NONE;
	case ACT_PREV:
		U.focus = (U.focus + UF_COUNT - 1) % UF_COUNT;
		return R_NONE;
	case ACT_NEXT:
		if (U.focus == UF_FILE) {
			char path[UP_PATH_MAX + 1], done[UP_PATH_MAX + 1], hint[256];
			field_get(&U.f[UF_FILE], path, sizeof path);
			int n = path_complete(path, done, sizeof done, hint, sizeof hint);
			field_set(&U.f[UF_FILE], done);
			if (n == 0)
				tui_msg(t, MSG_INFO, "No file name starts like that.");
			else if (n > 1)
				tui_msg(t, MSG_INFO, "%s", hint);
			else
				t->msg[0] = '\0';
			return R_NONE;
		}
		U.focus = (U.focus + 1) % UF_COUNT;
		return R_NONE;
	default:
		break;
	}
	if (key == TK_FN(KEY_UP)) {
		U.focus = (U.focus + UF_COUNT - 1) % UF_COUNT;
		return R_NONE;
	}
	if (key == TK_FN(KEY_DOWN)) {
		U.focus = (U.focus + 1) % UF_COUNT;
		return R_NONE;
	}
	if (U.focus == UF_RULE) {
		if (key == ' ' || key == TK_FN(KEY_LEFT) || key == TK_FN(KEY_RIGHT))
			U.rule = U.rule == IV_RULE_DELTA ? IV_RULE_SYNC : IV_RULE_DELTA;
		else if (key == 'd' || key == 'D')
			U.rule = IV_RULE_DELTA;
		else if (key == 's' || key == 'S')
			U.rule = IV_RULE_SYNC;
		return R_NONE;
	}
	struct field *f = &U.f[U.focus];
	field_key(f, key);
	if (f->full)
		tui_msg(t, MSG_ERROR, "That field is full: nothing more fits.");
	return R_NONE;
}

const struct screen_ops scr_upload_ops = {
	.title = "Upload Inventory",
	.actions = upload_actions,
	.enter = upload_enter,
	.leave = upload_leave,
	.draw = upload_draw,
	.key = upload_key,
};
