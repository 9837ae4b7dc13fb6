/* Reports (F11): adjustments summed by one or two of reason, store,
 * item, user, day, week and month over a range of transaction dates,
 * valued at cost, each row with a horizontal bar; a grouping and range
 * picker (F6 on the By and date fields), filters by store, item and
 * reason; Enter on a bar opens History filtered to it.  The engine sums
 * (iv_report_adjustments); this screen only lays out and draws. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/chart.h"
#include "tui/draw.h"
#include "tui/field.h"
#include "tui/grid.h"
#include "tui/keys.h"
#include "tui/picker.h"
#include "tui/screen.h"

#define DATE_MAX 24
#define BY_MAX 32
#define WIDE 100 /* from this many columns on, Added and Removed are shown too */

enum { RF_BY, RF_FROM, RF_TO, RF_STORE, RF_ITEM, RF_REASON, RF_COUNT, RF_CHART = RF_COUNT };
enum measure { M_VALUE, M_NET, M_LINES, M_COUNT };
enum col_kind { C_KEY1, C_KEY2, C_LINES, C_ADDED, C_REMOVED, C_NET, C_VALUE, C_BAR, C_KINDS };

/* One row of the report as the screen keeps it. */
struct rep_row {
	char key[2][IV_IDENT_SIZE];
	char from[IV_DATE_ISO_LEN], to[IV_DATE_ISO_LEN];
	iv_report_sums sums;
};

static struct reports_state {
	struct field f[RF_COUNT];
	int focus; /* a field, or RF_CHART */
	bool started;
	/* the report as last read */
	struct rep_row *rows;
	size_t n, cap;
	iv_report_result res;
	iv_report_key by[2];
	bool loaded;
	char error[IV_MSG_MAX];
	bool with_reversed;
	enum measure measure;
	/* the chart's columns for the keys and the width at hand */
	struct grid grid;
	struct grid_col cols[C_KINDS];
	enum col_kind kind[C_KINDS];
	int ncols;
	bool wide;
	iv_report_key laid_out[2];
	/* what the selected bar's first key stands for, read when it changes */
	char label_of[IV_IDENT_SIZE];
	char label[IV_NAME_SIZE];
	struct tui *t;
} rep;

static const char *const measure_names[M_COUNT] = {"Value", "Net", "Lines"};

static const enum action field_scope[] = {ACT_ENTER, ACT_NEXT, ACT_PREV, ACT_PICK, ACT_MEASURE, ACT_WITH_REVERSED,
                                          ACT_RELOAD, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, FIELD_ACTIONS, ACT_NONE};
static const enum action chart_scope[] = {ACT_OPEN_HISTORY, ACT_NEXT, ACT_PREV, ACT_MEASURE, ACT_WITH_REVERSED,
                                          ACT_RELOAD, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END,
                                          ACT_NONE};

static const enum action *reports_scope(struct tui *t)
{
	(void)t;
	return rep.focus == RF_CHART ? chart_scope : field_scope;
}

/* ---- reading ---------------------------------------------------------- */

static bool take_row(void *ctx, const iv_report_row *r)
{
	(void)ctx;
	if (rep.n == rep.cap) {
		size_t cap = rep.cap ? 2 * rep.cap : 64;
		struct rep_row *v = realloc(rep.rows, cap * sizeof *v);
		if (!v)
			return false;
		rep.rows = v;
		rep.cap = cap;
	}
	struct rep_row *row = &rep.rows[rep.n++];
	memcpy(row->key, r->key, sizeof row->key);
	memcpy(row->from, r->from, sizeof row->from);
	memcpy(row->to, r->to, sizeof row->to);
	row->sums = r->sums;
	return true;
}

static const char *opt(const char *s) { return s[0] ? s : NULL; }

/* The fields applied: the report read again. */
static void load(struct tui *t)
{
	char by[4 * BY_MAX + 1], from[4 * DATE_MAX + 1], to[4 * DATE_MAX + 1];
	char store[IV_CODE_SIZE], item[IV_IDENT_SIZE], reason[IV_CODE_SIZE];
	field_get(&rep.f[RF_BY], by, sizeof by);
	field_get(&rep.f[RF_FROM], from, sizeof from);
	field_get(&rep.f[RF_TO], to, sizeof to);
	field_get(&rep.f[RF_STORE], store, sizeof store);
	field_get(&rep.f[RF_ITEM], item, sizeof item);
	field_get(&rep.f[RF_REASON], reason, sizeof reason);
	rep.n = 0;
	rep.loaded = false;
	rep.error[0] = '\0';
	rep.label_of[0] = '\0';
	iv_report_query q = {.from = opt(from), .to = opt(to), .store = opt(store), .item = opt(item),
	                     .reason = opt(reason), .with_reversed = rep.with_reversed};
	if (iv_report_by(t->db, by, q.by) != IV_OK ||
	    iv_report_adjustments(t->db, &q, take_row, NULL, &rep.res) != IV_OK) {
		snprintf(rep.error, sizeof rep.error, "%s", iv_errmsg(t->db));
		rep.n = 0;
		rep.grid.nrows = 0;
		return;
	}
	memcpy(rep.by, q.by, sizeof rep.by);
	rep.loaded = true;
	rep.grid.nrows = (int)rep.n;
	if (rep.n < rep.res.rows)
		snprintf(rep.error, sizeof rep.error, "Out of memory: %zu of %zu rows are shown.", rep.n, rep.res.rows);
}

static void reports_enter(struct tui *t)
{
	rep.t = t;
	if (!rep.started) {
		field_init(&rep.f[RF_BY], BY_MAX, false);
		field_init(&rep.f[RF_FROM], DATE_MAX, false);
		field_init(&rep.f[RF_TO], DATE_MAX, false);
		field_init(&rep.f[RF_STORE], IV_CODE_MAX, false);
		field_init(&rep.f[RF_ITEM], IV_IDENT_MAX, false);
		field_init(&rep.f[RF_REASON], IV_CODE_MAX, false);
		field_set(&rep.f[RF_BY], "store,reason");
		rep.focus = RF_CHART;
		rep.started = true;
	}
	load(t);
}

/* ---- the chart's columns ---------------------------------------------- */

static const char *key_title(iv_report_key k)
{
	static const char *const titles[IV_BY_KEYS] = {
		[IV_BY_REASON] = "Reason", [IV_BY_STORE] = "Store", [IV_BY_ITEM] = "Item", [IV_BY_USER] = "User",
		[IV_BY_DAY] = "Date",      [IV_BY_WEEK] = "Week",   [IV_BY_MONTH] = "Month",
	};
	return (unsigned)k < IV_BY_KEYS && titles[k] ? titles[k] : "";
}

/* Columns for the keys shown and the terminal's width; the selection
 * stays where it was. */
static void lay_out(int cols)
{
	bool wide = cols >= WIDE;
	if (rep.ncols && wide == rep.wide && memcmp(rep.laid_out, rep.by, sizeof rep.by) == 0)
		return;
	int sel = rep.grid.sel, top = rep.grid.top;
	rep.ncols = 0;
	struct grid_col key1 = {key_title(rep.by[0]), rep.by[0] == IV_BY_ITEM ? 12 : 8, 6, false, 1};
	rep.cols[rep.ncols] = key1;
	rep.kind[rep.ncols++] = C_KEY1;
	if (rep.by[1] != IV_BY_NONE) {
		struct grid_col key2 = {key_title(rep.by[1]), rep.by[1] == IV_BY_ITEM ? 12 : 8, 6, false, 1};
		rep.cols[rep.ncols] = key2;
		rep.kind[rep.ncols++] = C_KEY2;
	}
	struct grid_col lines = {"Lines", 5, 5, true, 0}, added = {"Added", 6, 5, true, 0},
	                removed = {"Removed", 7, 7, true, 0}, net = {"Net", 6, 5, true, 0},
	                value = {"Value", 10, 8, true, 0}, bar = {"", 10, 4, false, 3};
	rep.cols[rep.ncols] = lines;
	rep.kind[rep.ncols++] = C_LINES;
	if (wide) {
		rep.cols[rep.ncols] = added;
		rep.kind[rep.ncols++] = C_ADDED;
		rep.cols[rep.ncols] = removed;
		rep.kind[rep.ncols++] = C_REMOVED;
	}
	rep.cols[rep.ncols] = net;
	rep.kind[rep.ncols++] = C_NET;
	rep.cols[rep.ncols] = value;
	rep.kind[rep.ncols++] = C_VALUE;
	rep.cols[rep.ncols] = bar;
	rep.kind[rep.ncols++] = C_BAR;
	int nrows = rep.grid.nrows;
	grid_init(&rep.grid, rep.cols, rep.ncols);
	rep.grid.nrows = nrows;
	rep.grid.sel = sel;
	rep.grid.top = top;
	rep.wide = wide;
	memcpy(rep.laid_out, rep.by, sizeof rep.by);
}

/* ---- drawing ------------------------------------------------------------ */

static bool has_value(const iv_report_sums *s)
{
	return s->unvalued < s->lines;
}

/* What the bars measure for a row; false when it has none (no value). */
static bool measured(const iv_report_sums *s, int64_t *m)
{
	switch (rep.measure) {
	case M_VALUE: *m = s->value; return has_value(s);
	case M_NET: *m = s->added - s->removed; return true;
	default: *m = (int64_t)s->lines; return true;
	}
}

static int64_t largest(void)
{
	int64_t max = 0;
	for (size_t i = 0; i < rep.n; i++) {
		int64_t m;
		if (measured(&rep.rows[i].sums, &m) && (m < 0 ? -m : m) > max)
			max = m < 0 ? -m : m;
	}
	return max;
}

/* A Value as shown: the amount, marked when some lines have no cost,
 * or a dash when none has one. */
static void value_text(const iv_report_sums *s, char *buf, size_t size)
{
	if (!has_value(s)) {
		snprintf(buf, size, "%s", draw_utf8() ? "\u2014" : "-");
		return;
	}
	char amount[IV_MONEY_TEXT];
	snprintf(buf, size, "%s%s", money_format(s->value, amount, sizeof amount), s->unvalued ? "*" : "");
}

static void cell(void *ctx, int r, int c, char *buf, size_t size, enum role *role)
{
	(void)ctx;
	if (r < 0 || (size_t)r >= rep.n || c < 0 || c >= rep.ncols)
		return;
	const struct rep_row *row = &rep.rows[r];
	const iv_report_sums *s = &row->sums;
	int64_t m;
	switch (rep.kind[c]) {
	case C_KEY1: snprintf(buf, size, "%s", row->key[0]); break;
	case C_KEY2: snprintf(buf, size, "%s", row->key[1]); break;
	case C_LINES: snprintf(buf, size, "%" PRIu64, s->lines); break;
	case C_ADDED: snprintf(buf, size, "%" PRId64, s->added); break;
	case C_REMOVED: snprintf(buf, size, "%" PRId64, s->removed); break;
	case C_NET: snprintf(buf, size, "%" PRId64, s->added - s->removed); break;
	case C_VALUE: value_text(s, buf, size); break;
	case C_BAR:
		if (measured(s, &m)) {
			chart_bar(buf, size, m, largest(), rep.grid.w[c], draw_utf8());
			*role = m < 0 ? ROLE_CHART_DOWN : ROLE_CHART_UP;
		}
		break;
	default: break;
	}
}

/* The range and the rows; then what the selected bar stands for. */
static void status_text(const char *label, char *line, size_t size)
{
	const iv_report_result *r = &rep.res;
	snprintf(line, size, "%s to %s, %zu row%s.%s%s%s%s", r->from, r->to, r->rows, r->rows == 1 ? "" : "s",
	         label[0] ? "  " : "", label[0] ? rep.rows[rep.grid.sel].key[0] : "", label[0] ? ": " : "", label);
}

static void total_text(char *line, size_t size)
{
	const iv_report_sums *s = &rep.res.total;
	char value[IV_MONEY_TEXT + 8];
	value_text(s, value, sizeof value);
	int n = snprintf(line, size, "Total: %" PRIu64 " line%s, added %" PRId64 ", removed %" PRId64 ", Net %" PRId64
	                 ", Value %s.", s->lines, s->lines == 1 ? "" : "s", s->added, s->removed, s->added - s->removed,
	                 value);
	if (s->unvalued && n > 0 && (size_t)n < size)
		snprintf(line + n, size - (size_t)n, "  %s%" PRIu64 " of them %s", has_value(s) ? "* " : "", s->unvalued,
		         s->unvalued == 1 ? "has no unit cost on its date." : "have no unit cost on their date.");
}

/* A store's name, an item's description or a reason's, for the first
 * key of row; "" for the others. */
static const char *label_of(struct tui *t, const struct rep_row *row)
{
	if (strcmp(rep.label_of, row->key[0]) == 0)
		return rep.label;
	snprintf(rep.label_of, sizeof rep.label_of, "%s", row->key[0]);
	rep.label[0] = '\0';
	iv_store s;
	iv_item it;
	iv_reason r;
	if (rep.by[0] == IV_BY_STORE && iv_store_get(t->db, row->key[0], &s) == IV_OK)
		snprintf(rep.label, sizeof rep.label, "%s", s.name);
	else if (rep.by[0] == IV_BY_ITEM && iv_item_find(t->db, row->key[0], &it) == IV_OK)
		snprintf(rep.label, sizeof rep.label, "%s", it.description);
	else if (rep.by[0] == IV_BY_REASON && iv_reason_get(t->db, row->key[0], &r) == IV_OK)
		snprintf(rep.label, sizeof rep.label, "%s", r.description);
	return rep.label;
}

static void field_at(int which, int y, int x, int label_w, const char *label, int width, struct tui *t)
{
	draw_text(y, x, label_w, label, ROLE_NORMAL, true);
	field_draw(&rep.f[which], y, x + label_w, width, rep.focus == which, &t->cur_y, &t->cur_x);
}

static void reports_draw(struct tui *t)
{
	int y = t->body_top + 1, cols = draw_cols();
	field_at(RF_BY, y, 1, 3, "By", 18, t);
	field_at(RF_FROM, y, 24, 5, "From", 12, t);
	field_at(RF_TO, y, 43, 3, "To", 12, t);
	field_at(RF_STORE, y + 1, 1, 6, "Store", 10, t);
	field_at(RF_ITEM, y + 1, 19, 5, "Item", 16, t);
	field_at(RF_REASON, y + 1, 42, 7, "Reason", 10, t);
	/* what F7 and F8 switch, where the fields end */
	char state[64];
	snprintf(state, sizeof state, "Bars: %s", measure_names[rep.measure]);
	draw_text(y, 61, cols - 62, state, ROLE_NORMAL, false);
	snprintf(state, sizeof state, "Reversed: %s", rep.with_reversed ? "counted" : "left out");
	draw_text(y + 1, 61, cols - 62, state, ROLE_NORMAL, false);
	char line[IV_MSG_MAX + 2 * IV_NAME_SIZE];
	if (rep.error[0]) {
		draw_wrapped(y + 2, 1, cols - 2, 1, rep.error, ROLE_ERROR);
		if (!rep.loaded)
			return;
	}
	int height = t->body_rows - 6;
	lay_out(cols);
	grid_layout(&rep.grid, 1, cols - 2);
	if (rep.n == 0) {
		grid_draw_header(&rep.grid, y + 3);
		draw_text(y + 5, 3, cols - 6, "No adjustments in this range.", ROLE_DIM, false);
	} else {
		grid_draw_list(&rep.grid, y + 3, height, cell, NULL);
	}
	if (!rep.error[0]) {
		status_text(rep.n ? label_of(t, &rep.rows[rep.grid.sel]) : "", line, sizeof line);
		draw_text(y + 2, 1, cols - 2, line, ROLE_DIM, true);
	}
	total_text(line, sizeof line);
	draw_wrapped(t->body_top + t->body_rows - 2, 1, cols - 2, 2, line, ROLE_NORMAL);
	if (rep.focus == RF_CHART)
		t->cur_y = t->cur_x = -1;
}

/* ---- pickers ------------------------------------------------------------ */

static const struct pick_choice groupings[] = {
	{"store,reason", "Each store, then why"},      {"reason", "Why: by reason code"},
	{"store", "Where: by store"},                   {"item", "Which items"},
	{"user", "Who entered them"},                   {"reason,store", "Each reason, then where"},
	{"item,store", "Each item, then where"},        {"item,reason", "Each item, then why"},
	{"store,item", "Each store, then which items"}, {"reason,item", "Each reason, then which items"},
	{"user,reason", "Each user, then why"},         {"store,user", "Each store, then who"},
	{"day", "Day by day"},                          {"week", "Week by week (ISO weeks)"},
	{"month", "Month by month"},                    {"week,reason", "Each week, then why"},
	{"week,store", "Each week, then where"},        {"month,reason", "Each month, then why"},
	{"month,store", "Each month, then where"},      {"day,store", "Each day, then where"},
};

#define MAX_PERIODS 16
static struct pick_choice period_list[MAX_PERIODS];

static int on_grouping(struct tui *t, struct overlay *o, int result)
{
	if (result) {
		field_set(&rep.f[RF_BY], picker_choice(o));
		load(t);
		rep.focus = RF_CHART;
	}
	return R_NONE;
}

static int on_period(struct tui *t, struct overlay *o, int result)
{
	if (!result)
		return R_NONE;
	char from[IV_DATE_ISO_LEN], to[IV_DATE_ISO_LEN], store[IV_CODE_SIZE];
	field_get(&rep.f[RF_STORE], store, sizeof store);
	if (iv_report_period(t->db, picker_choice(o), opt(store), from, to) != IV_OK) {
		tui_engine_msg(t, "Range");
		return R_NONE;
	}
	field_set(&rep.f[RF_FROM], from);
	field_set(&rep.f[RF_TO], to);
	load(t);
	rep.focus = RF_CHART;
	return R_NONE;
}

static int on_code(struct tui *t, struct overlay *o, int result)
{
	if (result) {
		field_set(&rep.f[rep.focus], picker_choice(o));
		load(t);
	}
	return R_NONE;
}

static void open_picker(struct tui *t)
{
	struct overlay *o = NULL;
	char text[IV_NAME_SIZE];
	switch (rep.focus) {
	case RF_BY:
		o = picker_open_list(t, "Group the adjustments by", "grouping", groupings,
		                     (int)(sizeof groupings / sizeof groupings[0]));
		if (o)
			o->done = on_grouping;
		break;
	case RF_FROM:
	case RF_TO: {
		size_t n;
		const iv_period *p = iv_report_periods(&n);
		for (size_t i = 0; i < n && i < MAX_PERIODS; i++)
			period_list[i] = (struct pick_choice){p[i].name, p[i].label};
		o = picker_open_list(t, "Choose a range of dates", "range", period_list,
		                     (int)(n < MAX_PERIODS ? n : MAX_PERIODS));
		if (o)
			o->done = on_period;
		break;
	}
	case RF_STORE:
	case RF_ITEM:
	case RF_REASON:
		field_get(&rep.f[rep.focus], text, sizeof text);
		o = picker_open(t, rep.focus == RF_STORE ? PICK_STORE : rep.focus == RF_ITEM ? PICK_ITEM : PICK_REASON,
		                text);
		if (o)
			o->done = on_code;
		break;
	default: {
		char keys[24];
		tui_msg(t, MSG_INFO, "%s picks in a field: By, From, To, Store, Item or Reason (Tab moves to them).",
		        action_keys_text(ACT_PICK, keys, sizeof keys, false));
		return;
	}
	}
	overlay_push(t, o);
}

/* ---- History of a bar ----------------------------------------------------- */

static int open_history(struct tui *t)
{
	if (rep.n == 0)
		return R_NONE;
	const struct rep_row *row = &rep.rows[rep.grid.sel];
	char store[IV_CODE_SIZE], item[IV_IDENT_SIZE], reason[IV_CODE_SIZE];
	field_get(&rep.f[RF_STORE], store, sizeof store);
	field_get(&rep.f[RF_ITEM], item, sizeof item);
	field_get(&rep.f[RF_REASON], reason, sizeof reason);
	struct history_filter_preset p = {store, item, reason, NULL, row->from, row->to};
	for (int k = 0; k < 2; k++)
		switch (rep.by[k]) {
		case IV_BY_STORE: p.store = row->key[k]; break;
		case IV_BY_ITEM: p.item = row->key[k]; break;
		case IV_BY_REASON: p.reason = row->key[k]; break;
		case IV_BY_USER: p.user = row->key[k]; break;
		default: break;
		}
	history_preset(&p);
	tui_msg(t, MSG_INFO, "History of the bar %s%s%s, %s to %s: every row, reversed ones too.", row->key[0],
	        row->key[1][0] ? " / " : "", row->key[1], row->from, row->to);
	t->want = SCR_HISTORY;
	return R_SWITCH;
}

/* ---- keys ------------------------------------------------------------------ */

static void focus(int which)
{
	rep.focus = which;
	if (which != RF_CHART)
		field_select(&rep.f[which]);
}

static int reports_key(struct tui *t, int key, enum action a)
{
	switch (a) {
	case ACT_NEXT:
		if (rep.focus != RF_CHART)
			load(t);
		focus((rep.focus + 1) % (RF_COUNT + 1));
		return R_NONE;
	case ACT_PREV:
		if (rep.focus != RF_CHART)
			load(t);
		focus((rep.focus + RF_COUNT) % (RF_COUNT + 1));
		return R_NONE;
	case ACT_ENTER: /* a field applied: the chart */
		load(t);
		focus(RF_CHART);
		return R_NONE;
	case ACT_OPEN_HISTORY:
		return open_history(t);
	case ACT_PICK:
		open_picker(t);
		return R_NONE;
	case ACT_MEASURE:
		rep.measure = (rep.measure + 1) % M_COUNT;
		tui_msg(t, MSG_INFO, "The bars show %s.", rep.measure == M_VALUE ? "the value at cost"
		                                        : rep.measure == M_NET   ? "the Net Diff"
		                                                                 : "the number of lines");
		return R_NONE;
	case ACT_WITH_REVERSED:
		rep.with_reversed = !rep.with_reversed;
		load(t);
		tui_msg(t, MSG_INFO, "Reversed adjustments and their reversals are %s.",
		        rep.with_reversed ? "counted" : "left out");
		return R_NONE;
	case ACT_RELOAD:
		load(t);
		return R_NONE;
	default:
		break;
	}
	if (grid_move(&rep.grid, a, t->body_rows - 8)) {
		focus(RF_CHART);
		return R_NONE;
	}
	if (rep.focus == RF_CHART)
		return R_UNKNOWN;
	enum field_result r = field_key(&rep.f[rep.focus], key, a);
	return r == FIELD_IGNORED ? R_UNKNOWN : R_NONE;
}

static void reports_leave(struct tui *t)
{
	(void)t;
}

const struct screen_ops scr_reports_ops = {
	.title = "Reports",
	.actions = field_scope,
	.scope = reports_scope,
	.enter = reports_enter,
	.leave = reports_leave,
	.draw = reports_draw,
	.key = reports_key,
};
