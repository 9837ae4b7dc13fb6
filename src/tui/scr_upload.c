/* Upload (F4): a CSV file under the Delta or Sync rule.  Ctrl-S checks
 * the file (iv_upload_prepare) while a progress bar moves and shows every
 * row it would post, as `upload --dry-run` prints them; a second Ctrl-S
 * asks, and only a Yes posts it all or nothing (iv_upload_commit).  The
 * approval of rows above a threshold is asked, and checked, before that
 * question: the rules first, then the approver, then the confirmation. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "invadj/files.h"
#include "invadj/upload.h"
#include "tui/approval.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/field.h"
#include "tui/grid.h"
#include "tui/keys.h"
#include "tui/numfmt.h"
#include "tui/pathcomp.h"
#include "tui/rowfile.h"
#include "tui/screen.h"

#define UP_PATH_MAX 500
#define DATE_MAX 24
#define REPORT_LINES 12

enum { UF_FILE, UF_RULE, UF_DATE, UF_REASON, UF_COUNT };
enum { P_LINE, P_STORE, P_ITEM, P_REASON, P_DATE, P_NET, P_DIFF, P_NEW, P_NOTE, P_NCOLS };

/* What a check found, row by row, kept on disk: an upload may have
 * millions of rows and the screen shows one page of them. */
struct upload_preview {
	bool shown;      /* the list replaces the help text */
	bool refused;    /* it lists refusals: nothing can be posted */
	struct rowfile rows;    /* iv_upload_row */
	struct rowfile refusals; /* iv_upload_error */
	struct grid grid;
	iv_upload_row row;   /* the row being drawn */
	iv_upload_error err;
};

struct upload_progress {
	const char *phase; /* "Checking", "Posting"; NULL when idle */
	uint64_t done, total;
	struct timespec last;
};

static struct upload_state {
	struct field f[UF_COUNT];
	iv_rule rule;
	int focus;
	bool started;
	/* what the engine was given: kept while a plan lives */
	char path[UP_PATH_MAX + 1], date[DATE_MAX + 1], reason[IV_CODE_SIZE];
	struct approval approval;
	bool again; /* the next check posts a file a second time */
	iv_upload_opts opts;
	iv_upload_result res;
	iv_upload_plan *plan;
	struct upload_progress progress;
	struct upload_preview preview;
	struct tui *t;
	char report[REPORT_LINES][IV_MSG_MAX + 64];
	enum role report_role[REPORT_LINES];
	int nreport;
	char template_path[UP_PATH_MAX + 1];
} up;

static const struct grid_col preview_cols[] = {
	[P_LINE] = {"Line", 4, 4, true, 0},     [P_STORE] = {"Store", 5, 5, false, 1},
	[P_ITEM] = {"Item", 10, 6, false, 2},   [P_REASON] = {"Reason", 6, 6, false, 1},
	[P_DATE] = {"Date", 10, 10, false, 0},  [P_NET] = {"Net Avail", 9, 5, true, 0},
	[P_DIFF] = {"Diff", 5, 4, true, 0},     [P_NEW] = {"New Qty", 7, 5, true, 0},
	[P_NOTE] = {"", 8, 4, false, 2},
};
static const struct grid_col refusal_cols[] = {
	{"Line", 4, 4, true, 0},
	{"Refused because", 40, 20, false, 1},
};

static const enum action edit_actions[] = {ACT_POST, ACT_TEMPLATE, ACT_RULE, ACT_ENTER, ACT_NEXT, ACT_PREV,
                                           ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_TOGGLE, FIELD_ACTIONS, ACT_NONE};
static const enum action preview_actions[] = {ACT_POST, ACT_CANCEL, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN,
                                              ACT_HOME, ACT_END, ACT_NONE};

/* Rows to post on screen: the keys look them over, post, or go back.
 * (A list of refusals leaves the fields to edit.) */
static bool previewing(void)
{
	return up.preview.shown && !up.preview.refused;
}

static const enum action *upload_scope(struct tui *t)
{
	(void)t;
	return previewing() ? preview_actions : edit_actions;
}

/* ---- The report above the list -------------------------------------- */

static void report_clear(void) { up.nreport = 0; }

static void report(enum role r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(enum role r, const char *fmt, ...)
{
	if (up.nreport >= REPORT_LINES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(up.report[up.nreport], sizeof up.report[0], fmt, ap);
	va_end(ap);
	up.report_role[up.nreport++] = r;
}

static void report_help(void)
{
	char post[32], tmpl[32];
	action_keys_text(ACT_POST, post, sizeof post, false);
	action_keys_text(ACT_TEMPLATE, tmpl, sizeof tmpl, false);
	report_clear();
	report(ROLE_DIM, "Type the file (Tab completes), choose the rule, then %s checks it and shows every row; "
	       "%s again asks before posting.  Nothing is posted if any row is refused.", post, post);
	report(ROLE_DIM, "Date and Reason are used for rows that leave them blank (Date empty: today).");
	report(ROLE_DIM, "Delta: Qty is the Diff (1 adds one, -1 takes one away).");
	report(ROLE_DIM, "Sync: Qty is the count (110 on 100 adds 10); not for back-dated rows.");
	report(ROLE_DIM, "%s writes an empty template to fill in.", tmpl);
}

/* ---- The preview ------------------------------------------------------ */

static void on_row(void *ctx, const iv_upload_row *row)
{
	(void)ctx;
	if (up.progress.phase && strcmp(up.progress.phase, "Checking") == 0)
		rowfile_add(&up.preview.rows, row);
}

static void on_refusal(void *ctx, const iv_upload_error *e)
{
	(void)ctx;
	if (up.progress.phase && strcmp(up.progress.phase, "Checking") == 0)
		rowfile_add(&up.preview.refusals, e);
}

static void preview_drop(void)
{
	up.preview.shown = up.preview.refused = false;
	rowfile_clear(&up.preview.rows);
	rowfile_clear(&up.preview.refusals);
	up.preview.grid.sel = up.preview.grid.top = 0;
	up.preview.grid.nrows = 0;
}

static void preview_show(bool refused)
{
	up.preview.shown = true;
	up.preview.refused = refused;
	grid_init(&up.preview.grid, refused ? refusal_cols : preview_cols, refused ? 2 : P_NCOLS);
	uint64_t n = refused ? up.preview.refusals.n : up.preview.rows.n;
	up.preview.grid.nrows = n > INT32_MAX ? INT32_MAX : (int)n;
	up.preview.grid.sel = up.preview.grid.top = 0;
}

static void preview_cell(void *ctx, int r, int c, char *buf, size_t size, enum role *role)
{
	(void)ctx;
	struct upload_preview *p = &up.preview;
	if (p->refused) {
		if (!rowfile_get(&p->refusals, (uint64_t)r, &p->err))
			return;
		if (c == P_LINE)
			snprintf(buf, size, "%" PRIu64, p->err.line);
		else {
			snprintf(buf, size, "%s", p->err.message);
			*role = ROLE_ERROR;
		}
		return;
	}
	if (!rowfile_get(&p->rows, (uint64_t)r, &p->row))
		return;
	const iv_upload_row *w = &p->row;
	switch (c) {
	case P_LINE: snprintf(buf, size, "%" PRIu64, w->line); break;
	case P_STORE: snprintf(buf, size, "%s", w->store); break;
	case P_ITEM: snprintf(buf, size, "%s", w->item); break;
	case P_REASON: snprintf(buf, size, "%s", w->reason); break;
	case P_DATE: snprintf(buf, size, "%s", w->tdate); break;
	case P_NET: numfmt_qty(buf, size, w->net_available, false); break;
	case P_DIFF: numfmt_qty(buf, size, w->diff, true); break;
	case P_NEW: numfmt_qty(buf, size, w->new_qty, false); break;
	case P_NOTE:
		snprintf(buf, size, "%s", w->unchanged ? "unchanged" : w->needs_approval ? "approval" : "");
		*role = ROLE_DIM;
		break;
	default: break;
	}
}

/* ---- Progress --------------------------------------------------------- */

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx;
	up.progress.done = done;
	up.progress.total = total;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - up.progress.last.tv_sec) * 1000 + (now.tv_nsec - up.progress.last.tv_nsec) / 1000000;
	if (ms >= 50 || done == total) {
		up.progress.last = now;
		tui_paint(up.t);
	}
}

static void progress_start(struct tui *t, const char *phase)
{
	up.t = t;
	up.progress.phase = phase;
	up.progress.done = 0;
	up.progress.total = 1;
}

/* A long check or post ends: what was typed meanwhile answers nothing. */
static void progress_end(void)
{
	up.progress.phase = NULL;
	flushinp();
}

static void plan_drop(void)
{
	if (up.plan)
		iv_upload_plan_free(up.plan);
	up.plan = NULL;
}

/* Back to a first Ctrl-S: no approval, no second posting. */
static void answers_forget(void)
{
	up.again = false;
	approval_forget(&up.approval);
}

static void report_errors(const iv_upload_result *res)
{
	if (res->errors_path[0])
		report(ROLE_NORMAL, "The refused rows, with the reason, are in %s", res->errors_path);
}

/* ---- Posting ---------------------------------------------------------- */

static int commit(struct tui *t)
{
	progress_start(t, "Posting");
	iv_status st = iv_upload_commit(t->db, up.plan, &up.res);
	progress_end();
	report_clear();
	preview_drop();
	if (st != IV_OK) {
		report(ROLE_ERROR, "Nothing was posted: %s", iv_errmsg(t->db));
		for (size_t i = 0; i < up.res.nerrors; i++)
			report(ROLE_ERROR, "line %" PRIu64 ": %s", up.res.errors[i].line, up.res.errors[i].message);
		report_errors(&up.res);
		if (st == IV_E_CONFLICT) {
			char post[32];
			report(ROLE_NORMAL, "Press %s to check the file again with the current numbers.",
			       action_keys_text(ACT_POST, post, sizeof post, false));
		}
		tui_msg(t, MSG_ERROR, "Upload not posted.");
	} else {
		report(ROLE_OK, "Posted as batch %" PRId64 " (document %" PRId64 "): %" PRIu64 " rows read, %" PRIu64
		       " posted, %" PRIu64 " unchanged.", up.res.batch_id, up.res.document, up.res.rows, up.res.posted,
		       up.res.unchanged);
		char hist_key[24], batch_key[24];
		report(ROLE_NORMAL, "History (%s) lists it; a supervisor can reverse the batch there (%s on one of its rows).",
		       action_keys_text(ACT_HISTORY, hist_key, sizeof hist_key, false),
		       action_keys_text(ACT_REVERSE_BATCH, batch_key, sizeof batch_key, false));
		tui_msg(t, MSG_OK, "Batch %" PRId64 " posted.", up.res.batch_id);
	}
	plan_drop();
	return R_NONE;
}

static int on_post_answer(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (!result) {
		char back[24];
		tui_msg(t, MSG_INFO, "Nothing posted.  The preview stays; %s goes back to the file.",
		        action_keys_text(ACT_CANCEL, back, sizeof back, false));
		return R_NONE;
	}
	return commit(t);
}

/* The one question before posting: what exactly will be posted. */
static void ask_post(struct tui *t)
{
	char text[IV_MSG_MAX + 512];
	int used = snprintf(text, sizeof text, "%s, %s rule: %" PRIu64 " rows read, %" PRIu64
	                    " adjustments to post, %" PRIu64 " unchanged (the list behind this box).",
	                    up.path, iv_rule_name(up.rule), up.res.rows, up.res.posted, up.res.unchanged);
	if (up.approval.given && used > 0 && (size_t)used < sizeof text)
		used += snprintf(text + used, sizeof text - (size_t)used, "\nApproved by %s (PIN checked).",
		                 up.approval.name);
	if (used > 0 && (size_t)used < sizeof text)
		snprintf(text + used, sizeof text - (size_t)used, "\nPost them now, all together?");
	struct overlay *o = dialog_confirm("Post upload", text);
	if (o)
		o->done = on_post_answer;
	overlay_push(t, o);
}

/* ---- Checking --------------------------------------------------------- */

static int check(struct tui *t);

static int on_approved(struct tui *t) { return check(t); }

static int on_again(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (!result) {
		answers_forget();
		tui_msg(t, MSG_INFO, "Nothing posted.");
		return R_NONE;
	}
	up.again = true;
	return check(t);
}

/* The fields as the engine takes them; false (and said) when the file
 * is missing. */
static bool check_inputs(struct tui *t)
{
	field_get(&up.f[UF_FILE], up.path, sizeof up.path);
	field_get(&up.f[UF_DATE], up.date, sizeof up.date);
	field_get(&up.f[UF_REASON], up.reason, sizeof up.reason);
	if (!up.path[0]) {
		char tab[24];
		tui_msg(t, MSG_ERROR, "File: type the path of the CSV file (%s completes).",
		        action_keys_text(ACT_NEXT, tab, sizeof tab, false));
		up.focus = UF_FILE;
		return false;
	}
	memset(&up.opts, 0, sizeof up.opts);
	up.opts.path = up.path;
	up.opts.rule = up.rule;
	up.opts.date = up.date[0] ? up.date : NULL;
	up.opts.default_reason = up.reason[0] ? up.reason : NULL;
	up.opts.approval = approval_get(&up.approval);
	up.opts.allow_duplicate = up.again;
	up.opts.on_progress = on_progress;
	up.opts.on_row = on_row;
	up.opts.on_refusal = on_refusal;
	return true;
}

/* The check's result when the engine refused the file or rows of it. */
static int check_refused(struct tui *t)
{
	report_clear();
	if (up.res.refused) {
		report(ROLE_ERROR, "Refused, nothing posted: %" PRIu64 " of %" PRIu64 " rows refused (listed below).",
		       up.res.refused, up.res.rows);
		report_errors(&up.res);
		preview_show(true);
		char post[32];
		tui_msg(t, MSG_ERROR, "%" PRIu64 " row%s refused: fix the file and press %s again.", up.res.refused,
		        up.res.refused == 1 ? "" : "s", action_keys_text(ACT_POST, post, sizeof post, false));
	} else {
		/* the file itself (missing, unreadable, its header): the engine's sentence */
		report(ROLE_ERROR, "Nothing posted: %s", iv_errmsg(t->db));
		tui_engine_msg(t, "Not checked");
	}
	plan_drop();
	answers_forget();
	return R_NONE;
}

static void ask_again(struct tui *t)
{
	char text[IV_MSG_MAX + 64];
	snprintf(text, sizeof text, "%s.\nPost the same rows a second time?", iv_errmsg(t->db));
	text[0] = (char)toupper((unsigned char)text[0]); /* the message starts a sentence here */
	struct overlay *o = dialog_confirm("Already posted", text);
	if (o)
		o->done = on_again;
	overlay_push(t, o);
}

/* Ctrl-S on the fields: check the file and show every row; then, when
 * the engine says so, ask whether to post a file a second time or for
 * a supervisor (each answer checks the file again). */
static int check(struct tui *t)
{
	plan_drop();
	preview_drop();
	if (!check_inputs(t)) {
		answers_forget();
		return R_NONE;
	}
	memset(&up.res, 0, sizeof up.res);
	progress_start(t, "Checking");
	iv_status st = iv_upload_prepare(t->db, &up.opts, &up.res, &up.plan);
	progress_end();
	if (st == IV_E_CONFLICT && up.res.duplicate_of && !up.again) {
		preview_drop();
		ask_again(t);
		return R_NONE;
	}
	if (st != IV_OK)
		return check_refused(t);
	if (up.res.unapproved && !up.approval.given) {
		char why[IV_MSG_MAX];
		snprintf(why, sizeof why, "%" PRIu64 " row%s above the store's approval threshold.", up.res.unapproved,
		         up.res.unapproved == 1 ? " is" : "s are");
		plan_drop();
		preview_drop();
		approval_ask(t, &up.approval, why, "rows above the store's approval threshold",
		             "Nothing posted: no approval given.", on_approved);
		return R_NONE;
	}
	report_clear();
	report(ROLE_NORMAL, "Checked %s under the %s rule: %" PRIu64 " rows, %" PRIu64 " to post, %" PRIu64
	       " unchanged.", up.path, iv_rule_name(up.rule), up.res.rows, up.res.posted, up.res.unchanged);
	if (up.preview.rows.failed)
		report(ROLE_ERROR, "The list could not be kept whole (no room for a temporary file): it shows %" PRIu64
		       " rows.", up.preview.rows.n);
	preview_show(false);
	char post[32], back[32];
	tui_msg(t, MSG_INFO, "Look the rows over (Up/Down, PgUp/PgDn); %s posts them after one question, %s goes back.",
	        action_keys_text(ACT_POST, post, sizeof post, false), action_keys_text(ACT_CANCEL, back, sizeof back, false));
	return R_NONE;
}

/* ---- Template --------------------------------------------------------- */

static int on_template_replace(struct tui *t, struct overlay *o, int result);

/* Writes the template; an existing file is replaced only after a Yes. */
static void template_write(struct tui *t, bool replace)
{
	iv_status st = iv_upload_template_file(up.template_path, replace);
	if (st == IV_E_CONFLICT && !replace) {
		char text[UP_PATH_MAX + 160];
		snprintf(text, sizeof text, "%s already exists.\nReplace it with an empty template?  What it holds "
		         "now will be lost.", up.template_path);
		struct overlay *q = dialog_confirm("Replace file", text);
		if (q)
			q->done = on_template_replace;
		overlay_push(t, q);
		return;
	}
	if (st != IV_OK) {
		tui_msg(t, MSG_ERROR, "Save as: cannot write %s (check the folder exists, may be written, and the "
		        "name is not a link).", up.template_path);
		return;
	}
	tui_msg(t, MSG_OK, "Template written to %s: fill it in, then upload it here.", up.template_path);
	field_set(&up.f[UF_FILE], up.template_path);
}

static int on_template_replace(struct tui *t, struct overlay *o, int result)
{
	(void)o;
	if (!result)
		tui_msg(t, MSG_INFO, "The template was not written; %s is unchanged.", up.template_path);
	else
		template_write(t, true);
	return R_NONE;
}

static int on_template(struct tui *t, struct overlay *o, int result)
{
	if (!result)
		return R_NONE;
	dialog_value(o, 0, up.template_path, sizeof up.template_path);
	if (!up.template_path[0])
		tui_msg(t, MSG_ERROR, "Save as: no file name given; the template was not written.");
	else
		template_write(t, false);
	return R_NONE;
}

static void ask_template(struct tui *t)
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

/* ---- The screen ------------------------------------------------------- */

static void upload_enter(struct tui *t)
{
	(void)t;
	if (up.started)
		return;
	field_init(&up.f[UF_FILE], UP_PATH_MAX, false);
	field_init(&up.f[UF_RULE], 8, false);
	field_init(&up.f[UF_DATE], DATE_MAX, false);
	field_init(&up.f[UF_REASON], IV_CODE_MAX, false);
	rowfile_init(&up.preview.rows, sizeof(iv_upload_row));
	rowfile_init(&up.preview.refusals, sizeof(iv_upload_error));
	grid_init(&up.preview.grid, preview_cols, P_NCOLS);
	up.rule = IV_RULE_DELTA;
	up.started = true;
	report_help();
}

static void upload_leave(struct tui *t)
{
	(void)t;
	plan_drop();
	answers_forget();
}

static void draw_progress(int y, int cols)
{
	int bw = cols - 30;
	const struct upload_progress *p = &up.progress;
	int filled = p->total ? (int)((double)p->done / (double)p->total * bw) : 0;
	if (filled > bw)
		filled = bw;
	char pct[48];
	snprintf(pct, sizeof pct, "%s %3d%%", p->phase, p->total ? (int)(p->done * 100 / p->total) : 0);
	draw_text(y, 1, 14, pct, ROLE_NORMAL, true);
	draw_fill(y, 16, filled, ROLE_SEL);
	draw_fill(y, 16 + filled, bw - filled, ROLE_DIM);
}

static void draw_fields(struct tui *t, int y, int cols)
{
	static const char *const labels[] = {"File", "Rule", "Date", "Reason"};
	bool editing = !previewing();
	for (int i = 0; i < UF_COUNT; i++) {
		draw_text(y + i, 1, 8, labels[i], ROLE_NORMAL, true);
		bool focus = editing && up.focus == i;
		if (i == UF_RULE) {
			bool delta = up.rule == IV_RULE_DELTA;
			char keys[48];
			draw_text(y + i, 10, 9, delta ? "[Delta]" : " Delta ", focus && delta ? ROLE_FOCUS : ROLE_NORMAL, true);
			draw_text(y + i, 19, 8, delta ? " Sync " : "[Sync]", focus && !delta ? ROLE_FOCUS : ROLE_NORMAL, true);
			snprintf(keys, sizeof keys, "Space, Left/Right or %s switches",
			         action_keys_text(ACT_RULE, keys + 40, 8, false));
			draw_text(y + i, 29, cols - 30, focus ? keys : "", ROLE_DIM, true);
			if (focus) {
				t->cur_y = y + i;
				t->cur_x = delta ? 11 : 20;
			}
			continue;
		}
		int w = i == UF_FILE ? cols - 12 : i == UF_DATE ? 12 : 10;
		field_draw(&up.f[i], y + i, 10, w, focus, &t->cur_y, &t->cur_x);
	}
}

static void upload_draw(struct tui *t)
{
	int y = t->body_top + 1, cols = draw_cols();
	draw_fields(t, y, cols);
	int ry = y + UF_COUNT + 1;
	if (up.progress.phase) {
		draw_progress(ry, cols);
		ry += 2;
	}
	int end = t->body_top + t->body_rows;
	for (int i = 0; i < up.nreport && ry < end; i++)
		ry += draw_wrapped(ry, 1, cols - 2, end - ry, up.report[i], up.report_role[i]);
	if (up.preview.shown && up.preview.refused && end - ry >= 6) {
		/* the selected refusal in full under the list: it is the
		 * sentence to act on, and a column would cut it */
		iv_upload_error e;
		if (rowfile_get(&up.preview.refusals, (uint64_t)up.preview.grid.sel, &e)) {
			char full[IV_MSG_MAX + 32];
			snprintf(full, sizeof full, "Line %" PRIu64 ": %s", e.line, e.message);
			end -= 3;
			draw_wrapped(end, 1, cols - 2, 3, full, ROLE_ERROR);
		}
	}
	if (up.preview.shown && end - ry >= 3) {
		grid_layout(&up.preview.grid, 1, cols - 2);
		grid_draw_list(&up.preview.grid, ry, end - ry, preview_cell, NULL);
	}
}

static void rule_switch(void)
{
	up.rule = up.rule == IV_RULE_DELTA ? IV_RULE_SYNC : IV_RULE_DELTA;
}

static void file_complete(struct tui *t)
{
	char path[UP_PATH_MAX + 1], done[UP_PATH_MAX + 1], hint[256];
	field_get(&up.f[UF_FILE], path, sizeof path);
	int n = path_complete(path, done, sizeof done, hint, sizeof hint);
	field_set(&up.f[UF_FILE], done);
	if (n == 0)
		tui_msg(t, MSG_INFO, "No file name starts like that.");
	else if (n > 1)
		tui_msg(t, MSG_INFO, "%s", hint);
	else
		t->msg[0] = '\0';
}

static int preview_key(struct tui *t, enum action a)
{
	switch (a) {
	case ACT_POST:
		if (!up.plan) {
			answers_forget();
			return check(t);
		}
		ask_post(t);
		return R_NONE;
	case ACT_CANCEL:
		preview_drop();
		plan_drop();
		answers_forget();
		report_help();
		tui_msg(t, MSG_INFO, "Nothing posted.");
		return R_NONE;
	default:
		break;
	}
	int page = t->body_rows - UF_COUNT - up.nreport - 4;
	return grid_move(&up.preview.grid, a, page) ? R_NONE : R_UNKNOWN;
}

static int edit_key(struct tui *t, int key, enum action a)
{
	bool on_rule = up.focus == UF_RULE;
	switch (a) {
	case ACT_POST:
		answers_forget();
		return check(t);
	case ACT_TEMPLATE:
		ask_template(t);
		return R_NONE;
	case ACT_RULE:
		rule_switch();
		return R_NONE;
	case ACT_ENTER:
	case ACT_DOWN:
		up.focus = (up.focus + 1) % UF_COUNT;
		return R_NONE;
	case ACT_PREV:
	case ACT_UP:
		up.focus = (up.focus + UF_COUNT - 1) % UF_COUNT;
		return R_NONE;
	case ACT_NEXT:
		if (up.focus == UF_FILE)
			file_complete(t);
		else
			up.focus = (up.focus + 1) % UF_COUNT;
		return R_NONE;
	case ACT_PGUP:
	case ACT_PGDN:
		/* the refusals listed under the fields */
		return grid_move(&up.preview.grid, a, t->body_rows - UF_COUNT - up.nreport - 7) ? R_NONE : R_UNKNOWN;
	case ACT_TOGGLE:
	case ACT_LEFT:
	case ACT_RIGHT:
		if (on_rule) {
			rule_switch();
			return R_NONE;
		}
		break;
	default:
		break;
	}
	if (on_rule)
		return R_UNKNOWN;
	struct field *f = &up.f[up.focus];
	if (field_key(f, key, a) == FIELD_IGNORED)
		return R_UNKNOWN;
	if (f->full)
		tui_msg(t, MSG_ERROR, "That field is full: nothing more fits.");
	return R_NONE;
}

static int upload_key(struct tui *t, int key, enum action a)
{
	return previewing() ? preview_key(t, a) : edit_key(t, key, a);
}

const struct screen_ops scr_upload_ops = {
	.title = "Upload Inventory",
	.actions = edit_actions,
	.scope = upload_scope,
	.enter = upload_enter,
	.leave = upload_leave,
	.draw = upload_draw,
	.key = upload_key,
};
