/* Stock (F5): Net Available by store and item, with incremental search
 * and an as-of date.  The numbers come from iv_balances. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/field.h"
#include "tui/grid.h"
#include "tui/keys.h"
#include "tui/picker.h"
#include "tui/screen.h"

#define STOCK_MAX 2000   /* rows kept on screen */
#define STOCK_ITEMS 200  /* items matched by a search */
#define DATE_MAX 24

enum { SF_STORE, SF_SEARCH, SF_ASOF, SF_COUNT };

static const struct grid_col stock_cols[] = {
	{"Store", 8, 5, false, 0},
	{"Item Number", 16, 10, false, 1},
	{"Description", 30, 12, false, 3},
	{"Net Available", 13, 9, true, 0},
};

static struct stock_state {
	struct field f[SF_COUNT];
	int focus;
	iv_balance_row *rows;
	int n;
	bool cut, started;
	char error[IV_MSG_MAX];
	struct grid grid;
	char store[IV_CODE_MAX + 1], asof[DATE_MAX + 1];
} stock;

static const enum action stock_actions[] = {ACT_NEXT, ACT_ENTER, ACT_PICK, ACT_RELOAD, ACT_UP, ACT_DOWN,
                                            ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END, FIELD_ACTIONS, ACT_NONE};

static bool on_balance(void *ctx, const iv_balance_row *row)
{
	(void)ctx;
	if (stock.n >= STOCK_MAX) {
		stock.cut = true;
		return false;
	}
	stock.rows[stock.n++] = *row;
	return true;
}

static bool on_item(void *ctx, const iv_item *it)
{
	iv_db *db = ctx;
	if (stock.n >= STOCK_MAX) {
		stock.cut = true;
		return false;
	}
	if (iv_balances(db, stock.store[0] ? stock.store : NULL, it->number, stock.asof[0] ? stock.asof : NULL, on_balance, NULL) != IV_OK) {
		snprintf(stock.error, sizeof stock.error, "%s", iv_errmsg(db));
		return false;
	}
	return true;
}

static void load(struct tui *t)
{
	char search[IV_NAME_MAX + 1];
	stock.n = 0;
	stock.cut = false;
	stock.error[0] = '\0';
	if (!stock.rows) {
		stock.rows = calloc(STOCK_MAX, sizeof *stock.rows);
		if (!stock.rows) {
			snprintf(stock.error, sizeof stock.error, "Out of memory.");
			stock.grid.nrows = 0;
			return;
		}
	}
	field_get(&stock.f[SF_STORE], stock.store, sizeof stock.store);
	field_get(&stock.f[SF_SEARCH], search, sizeof search);
	field_get(&stock.f[SF_ASOF], stock.asof, sizeof stock.asof);
	iv_status st;
	if (search[0])
		st = iv_item_search(t->db, search, STOCK_ITEMS, on_item, t->db);
	else
		st = iv_balances(t->db, stock.store[0] ? stock.store : NULL, NULL, stock.asof[0] ? stock.asof : NULL, on_balance, NULL);
	if (st != IV_OK && !stock.error[0])
		snprintf(stock.error, sizeof stock.error, "%s", iv_errmsg(t->db));
	stock.grid.nrows = stock.n;
	if (stock.grid.sel >= stock.n)
		stock.grid.sel = stock.n ? stock.n - 1 : 0;
}

static void stock_enter(struct tui *t)
{
	if (!stock.started) {
		field_init(&stock.f[SF_STORE], IV_CODE_MAX, false);
		field_init(&stock.f[SF_SEARCH], IV_NAME_MAX, false);
		field_init(&stock.f[SF_ASOF], DATE_MAX, false);
		grid_init(&stock.grid, stock_cols, 4);
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
	const iv_balance_row *b = &stock.rows[r];
	switch (c) {
	case 0: snprintf(buf, size, "%s", b->store); break;
	case 1: snprintf(buf, size, "%s", b->item); break;
	case 2: snprintf(buf, size, "%s", b->description); break;
	default: snprintf(buf, size, "%" PRId64, b->net_available); break;
	}
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
	char line[IV_MSG_MAX + 64];
	if (stock.error[0])
		snprintf(line, sizeof line, "%s", stock.error);
	else
		snprintf(line, sizeof line, "%d row%s%s%s%s. Search matches item numbers, codes and descriptions.", stock.n,
		         stock.n == 1 ? "" : "s", stock.cut ? " (type more to narrow)" : "", stock.asof[0] ? " as of " : " now",
		         stock.asof[0] ? stock.asof : "");
	draw_text(y + 1, 1, cols - 2, line, stock.error[0] ? ROLE_ERROR : ROLE_DIM, true);
	grid_layout(&stock.grid, 1, cols - 2);
	grid_draw_list(&stock.grid, y + 2, t->body_rows - 3, cell, NULL);
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
		return R_NONE;
	case ACT_RELOAD:
		load(t);
		return R_NONE;
	case ACT_PICK: {
		char text[IV_CODE_MAX + 1];
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
	if (grid_move(&stock.grid, a, t->body_rows - 5))
		return R_NONE;
	if (field_key(&stock.f[stock.focus], key, a) == FIELD_CHANGED && stock.focus == SF_SEARCH)
		load(t); /* incremental search */
	return R_NONE;
}

const struct screen_ops scr_stock_ops = {
	.title = "Stock",
	.actions = stock_actions,
	.enter = stock_enter,
	.draw = stock_draw,
	.key = stock_key,
};
