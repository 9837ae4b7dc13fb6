/* Stock (F5): Net Available by store and item, now or as of a date,
 * with a search that narrows the list at every keystroke.  The list is
 * read a page at a time (iv_stock_page): every row of any store can be
 * reached, Home and End at once, and the count above it is the true one. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/chart.h"
#include "tui/counter.h"
#include "tui/draw.h"
#include "tui/field.h"
#include "tui/grid.h"
#include "tui/keys.h"
#include "tui/numfmt.h"
#include "tui/pager.h"
#include "tui/picker.h"
#include "tui/screen.h"

#define DATE_MAX 24
#define SPARK_DAYS 30

enum { SF_STORE, SF_SEARCH, SF_ASOF, SF_COUNT };
enum { SC_STORE, SC_ITEM, SC_DESC, SC_NET, SC_NCOLS };

static const struct grid_col stock_cols[] = {
	[SC_STORE] = {"Store", 6, 5, false, 1},
	[SC_ITEM] = {"Item Number", 14, 10, false, 2},
	[SC_DESC] = {"Description", 30, 12, false, 4},
	[SC_NET] = {"Net Available", 13, 9, true, 0},
};

static struct stock_state {
	struct field f[SF_COUNT];
	int focus;
	bool started;
	struct pager pager;
	int64_t total; /* rows matching; -1 while counted */
	unsigned count_ticket;
	char error[IV_MSG_MAX];
	/* the selected row's Net Available over the last SPARK_DAYS days,
	 * read when the selection moves to another store or item */
	char spark_store[IV_CODE_SIZE], spark_item[IV_IDENT_SIZE];
	int64_t spark[SPARK_DAYS];
	int nspark;
	char spark_from[IV_DATE_ISO_LEN], spark_to[IV_DATE_ISO_LEN];
	/* the query as last applied */
	char store[IV_CODE_SIZE], search[IV_NAME_SIZE], asof[DATE_MAX + 1];
	struct tui *t;
} stock;

static const enum action stock_actions[] = {ACT_NEXT, ACT_PREV, ACT_ENTER, ACT_PICK, ACT_RELOAD, ACT_UP, ACT_DOWN,
                                            ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END, FIELD_ACTIONS, ACT_NONE};

static const char *opt(const char *s) { return s[0] ? s : NULL; }

struct fetch_ctx {
	iv_balance_row *out;
	int n;
};

static bool on_row(void *ctx, const iv_balance_row *row)
{
	struct fetch_ctx *f = ctx;
	f->out[f->n++] = *row;
	return true;
}

static int stock_fetch(void *ctx, const void *anchor, bool forward, int limit, void *out)
{
	struct tui *t = ctx;
	iv_stock_query q = {opt(stock.store), opt(stock.search), opt(stock.asof), anchor, !forward, (size_t)limit};
	struct fetch_ctx fc = {out, 0};
	if (iv_stock_page(t->db, &q, on_row, &fc) != IV_OK) {
		snprintf(stock.error, sizeof stock.error, "%s", iv_errmsg(t->db));
		return -1;
	}
	return fc.n;
}

static const struct pager_source stock_source = {sizeof(iv_balance_row), stock_fetch};

/* The fields applied: the count, then the first page. */
static void load(struct tui *t)
{
	field_get(&stock.f[SF_STORE], stock.store, sizeof stock.store);
	field_get(&stock.f[SF_SEARCH], stock.search, sizeof stock.search);
	field_get(&stock.f[SF_ASOF], stock.asof, sizeof stock.asof);
	stock.error[0] = '\0';
	(void)t;
	/* the first rows at once; the count when the counting thread has it */
	pager_home(&stock.pager);
	struct count_request r = {.kind = COUNT_STOCK};
	snprintf(r.text[0], sizeof r.text[0], "%s", stock.store);
	snprintf(r.text[1], sizeof r.text[1], "%s", stock.search);
	snprintf(r.text[2], sizeof r.text[2], "%s", stock.asof);
	stock.total = -1;
	stock.count_ticket = counter_ask(&r);
}

static void stock_enter(struct tui *t)
{
	stock.t = t;
	if (!stock.started) {
		field_init(&stock.f[SF_STORE], IV_CODE_MAX, false);
		field_init(&stock.f[SF_SEARCH], IV_NAME_MAX, false);
		field_init(&stock.f[SF_ASOF], DATE_MAX, false);
		grid_init(&stock.pager.grid, stock_cols, SC_NCOLS);
		if (!pager_init(&stock.pager, &stock_source, t)) {
			tui_msg(t, MSG_ERROR, "Out of memory: Stock cannot be shown.");
			return;
		}
		field_set(&stock.f[SF_STORE], t->store);
		stock.focus = SF_SEARCH;
		stock.started = true;
	}
	load(t);
}

static void cell(void *ctx, int r, int c, char *buf, size_t size, enum role *role)
{
	(void)ctx;
	(void)role;
	const iv_balance_row *b = pager_row(&stock.pager, r);
	if (!b)
		return;
	switch (c) {
	case SC_STORE: snprintf(buf, size, "%s", b->store); break;
	case SC_ITEM: snprintf(buf, size, "%s", b->item); break;
	case SC_DESC: snprintf(buf, size, "%s", b->description); break;
	default: numfmt_qty(buf, size, b->net_available, false); break;
	}
}

static void status_text(char *line, size_t size)
{
	char when[DATE_MAX + 8];
	snprintf(when, sizeof when, "%s%s", stock.asof[0] ? "as of " : "now", stock.asof);
	if (counter_poll(stock.count_ticket, &stock.total))
		pager_total_known(&stock.pager, stock.total);
	int64_t pos = pager_position(&stock.pager);
	if (stock.total < 0)
		snprintf(line, size, "Counting the rows %s...  Search finds item numbers, codes and descriptions, any "
		         "case or accent.", when);
	else if (stock.total > 0 && pos >= 0)
		snprintf(line, size, "%" PRId64 " row%s %s; row %" PRId64 " selected.  Search finds item numbers, codes "
		         "and descriptions, any case or accent.", stock.total, stock.total == 1 ? "" : "s", when, pos + 1);
	else
		snprintf(line, size, "%" PRId64 " row%s %s.  Search finds item numbers, codes and descriptions, any case "
		         "or accent.", stock.total, stock.total == 1 ? "" : "s", when);
}

static bool spark_day(void *ctx, const iv_item_day *d)
{
	(void)ctx;
	if (stock.nspark < SPARK_DAYS)
		stock.spark[stock.nspark++] = d->net_available;
	return true;
}

/* The selected row's detail: its item's Net Available at its store day
 * by day over the last SPARK_DAYS days, as a sparkline. */
static void draw_detail(struct tui *t, int y, int width)
{
	const iv_balance_row *b = pager_selected(&stock.pager);
	if (!b)
		return;
	if (strcmp(b->store, stock.spark_store) != 0 || strcmp(b->item, stock.spark_item) != 0) {
		snprintf(stock.spark_store, sizeof stock.spark_store, "%s", b->store);
		snprintf(stock.spark_item, sizeof stock.spark_item, "%s", b->item);
		stock.nspark = 0;
		if (iv_report_item(t->db, b->item, b->store, NULL, NULL, spark_day, NULL, stock.spark_from,
		                   stock.spark_to) != IV_OK)
			stock.nspark = 0;
	}
	if (stock.nspark == 0)
		return;
	int64_t lo = stock.spark[0], hi = stock.spark[0];
	for (int i = 1; i < stock.nspark; i++) {
		lo = stock.spark[i] < lo ? stock.spark[i] : lo;
		hi = stock.spark[i] > hi ? stock.spark[i] : hi;
	}
	char spark[4 * SPARK_DAYS + 1], line[512];
	chart_sparkline(spark, sizeof spark, stock.spark, stock.nspark, draw_utf8());
	snprintf(line, sizeof line, "%d days at %s: ", stock.nspark, b->store);
	int x = 1 + draw_text(y, 1, width, line, ROLE_DIM, false);
	x += draw_text(y, x, width - x + 1, spark, ROLE_CHART_UP, false);
	snprintf(line, sizeof line, " %" PRId64 " to %" PRId64 ", low %" PRId64 ", high %" PRId64 " (%s to %s)",
	         stock.spark[0], stock.spark[stock.nspark - 1], lo, hi, stock.spark_from, stock.spark_to);
	draw_text(y, x, width - x + 1, line, ROLE_DIM, false);
}

static void stock_draw(struct tui *t)
{
	int y = t->body_top + 1, cols = draw_cols();
	draw_text(y, 1, 6, "Store", ROLE_NORMAL, true);
	field_draw(&stock.f[SF_STORE], y, 7, 10, stock.focus == SF_STORE, &t->cur_y, &t->cur_x);
	draw_text(y, 19, 7, "Search", ROLE_NORMAL, true);
	field_draw(&stock.f[SF_SEARCH], y, 26, cols - 26 - 25, stock.focus == SF_SEARCH, &t->cur_y, &t->cur_x);
	draw_text(y, cols - 23, 6, "As of", ROLE_NORMAL, true);
	field_draw(&stock.f[SF_ASOF], y, cols - 17, 12, stock.focus == SF_ASOF, &t->cur_y, &t->cur_x);
	char line[IV_MSG_MAX + 160];
	if (stock.error[0])
		snprintf(line, sizeof line, "%s", stock.error);
	else
		status_text(line, sizeof line);
	int used = draw_wrapped(y + 1, 1, cols - 2, 2, line, stock.error[0] ? ROLE_ERROR : ROLE_DIM);
	grid_layout(&stock.pager.grid, 1, cols - 2);
	grid_draw_list(&stock.pager.grid, y + 1 + used, t->body_rows - 3 - used, cell, NULL);
	draw_detail(t, t->body_top + t->body_rows - 1, cols - 2);
}

static int on_pick(struct tui *t, struct overlay *o, int result)
{
	if (result) {
		field_set(&stock.f[SF_STORE], picker_choice(o));
		snprintf(t->store, sizeof t->store, "%s", picker_choice(o));
		load(t);
	}
	return R_NONE;
}

static int stock_key(struct tui *t, int key, enum action a)
{
	switch (a) {
	case ACT_NEXT:
	case ACT_ENTER:
		load(t);
		stock.focus = (stock.focus + 1) % SF_COUNT;
		field_select(&stock.f[stock.focus]);
		return R_NONE;
	case ACT_PREV:
		load(t);
		stock.focus = (stock.focus + SF_COUNT - 1) % SF_COUNT;
		field_select(&stock.f[stock.focus]);
		return R_NONE;
	case ACT_RELOAD:
		load(t);
		return R_NONE;
	case ACT_PICK: {
		char text[IV_CODE_SIZE];
		field_get(&stock.f[SF_STORE], text, sizeof text);
		struct overlay *o = picker_open(t, PICK_STORE, text);
		if (o)
			o->done = on_pick;
		overlay_push(t, o);
		stock.focus = SF_STORE;
		return R_NONE;
	}
	default:
		break;
	}
	if (pager_move(&stock.pager, a, t->body_rows - 6, stock.total)) {
		if (stock.pager.failed)
			tui_msg(t, MSG_ERROR, "Stock: %s", stock.error);
		return R_NONE;
	}
	enum field_result r = field_key(&stock.f[stock.focus], key, a);
	if (r == FIELD_CHANGED && stock.focus == SF_SEARCH)
		load(t); /* the search narrows at every keystroke */
	return r == FIELD_IGNORED ? R_UNKNOWN : R_NONE;
}

const struct screen_ops scr_stock_ops = {
	.title = "Stock",
	.actions = stock_actions,
	.enter = stock_enter,
	.draw = stock_draw,
	.key = stock_key,
};
