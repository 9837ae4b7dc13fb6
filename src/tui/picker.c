/* The picker. */
#include "tui/picker.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/field.h"
#include "tui/grid.h"
#include "tui/keys.h"

#define PICK_MAX 300

struct pick_entry {
	char code[IV_IDENT_MAX + 1];
	char text[IV_NAME_MAX + 1];
};

struct picker {
	struct overlay base;
	enum picker_kind kind;
	iv_db *db;
	struct field query;
	struct pick_entry *entries;
	int n;
	bool more; /* the list was cut at PICK_MAX */
	char error[IV_MSG_MAX];
	struct grid grid;
	char choice[IV_IDENT_MAX + 1];
	char choice_text[IV_NAME_MAX + 1];
	char q[FIELD_CAP * 4 + 1]; /* the query as UTF-8, while filling */
};

static const struct grid_col pick_cols[] = {
	{"Code", 16, 8, false, 1},
	{"Description", 40, 10, false, 3},
};

static void picker_draw(struct tui *t, struct overlay *o);
static int picker_key(struct tui *t, struct overlay *o, int key, enum action a);
static void picker_free(struct overlay *o);
static const struct overlay_ops picker_ops = {picker_draw, picker_key, picker_free};
static const enum action picker_actions[] = {ACT_CHOOSE, ACT_CANCEL, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN,
                                             ACT_HOME, ACT_END, FIELD_ACTIONS, ACT_NONE};

/* ASCII case-insensitive "contains"; codes and names are matched loosely. */
static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return true;
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

static bool add(struct picker *p, const char *code, const char *text)
{
	if (p->n >= PICK_MAX) {
		p->more = true;
		return false;
	}
	snprintf(p->entries[p->n].code, sizeof p->entries[p->n].code, "%s", code);
	snprintf(p->entries[p->n].text, sizeof p->entries[p->n].text, "%s", text);
	p->n++;
	return true;
}

static bool on_store(void *ctx, const iv_store *s)
{
	struct picker *p = ctx;
	if (contains(s->code, p->q) || contains(s->name, p->q))
		return add(p, s->code, s->name);
	return true;
}

static bool on_reason(void *ctx, const iv_reason *r)
{
	struct picker *p = ctx;
	if (contains(r->code, p->q) || contains(r->description, p->q))
		return add(p, r->code, r->description);
	return true;
}

static bool on_item(void *ctx, const iv_item *it)
{
	return add(ctx, it->number, it->description);
}

static void refill(struct picker *p)
{
	p->n = 0;
	p->more = false;
	p->error[0] = '\0';
	field_get(&p->query, p->q, sizeof p->q);
	iv_status st;
	switch (p->kind) {
	case PICK_STORE: st = iv_store_list(p->db, on_store, p); break;
	case PICK_REASON: st = iv_reason_list(p->db, on_reason, p); break;
	default: st = iv_item_search(p->db, p->q, PICK_MAX, on_item, p); break;
	}
	if (st != IV_OK)
		snprintf(p->error, sizeof p->error, "%s", iv_errmsg(p->db));
	p->grid.nrows = p->n;
	if (p->grid.sel >= p->n)
		p->grid.sel = p->n ? p->n - 1 : 0;
}

struct overlay *picker_open(struct tui *t, enum picker_kind kind, const char *query)
{
	struct picker *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->entries = calloc(PICK_MAX, sizeof *p->entries);
	if (!p->entries) {
		free(p);
		return NULL;
	}
	p->base.ops = &picker_ops;
	p->base.actions = picker_actions;
	p->kind = kind;
	p->db = t->db;
	field_init(&p->query, IV_NAME_MAX, false);
	field_set(&p->query, query);
	grid_init(&p->grid, pick_cols, 2);
	refill(p);
	return &p->base;
}

const char *picker_choice(struct overlay *o) { return ((struct picker *)o)->choice; }
const char *picker_choice_text(struct overlay *o) { return ((struct picker *)o)->choice_text; }

static void picker_free(struct overlay *o)
{
	struct picker *p = (struct picker *)o;
	free(p->entries);
	free(p);
}

static void cell(void *ctx, int r, int c, char *buf, size_t size, enum role *role)
{
	struct picker *p = ctx;
	(void)role;
	snprintf(buf, size, "%s", c == 0 ? p->entries[r].code : p->entries[r].text);
}

static void picker_draw(struct tui *t, struct overlay *o)
{
	struct picker *p = (struct picker *)o;
	static const char *const titles[] = {"Choose a store", "Choose an item", "Choose a reason code"};
	int rows = draw_rows(), cols = draw_cols();
	int w = cols - 4 < 76 ? cols - 4 : 76;
	int h = rows - 4;
	if (w < 20 || h < 8)
		return;
	int y = 2, x = (cols - w) / 2;
	draw_box(y, x, h, w, titles[p->kind]);
	draw_text(y + 1, x + 2, 8, "Search:", ROLE_NORMAL, true);
	field_draw(&p->query, y + 1, x + 10, w - 12, true, &t->cur_y, &t->cur_x);
	grid_layout(&p->grid, x + 2, w - 4);
	grid_draw_list(&p->grid, y + 2, h - 5, cell, p);
	char status[IV_MSG_MAX + 64];
	if (p->error[0])
		snprintf(status, sizeof status, "%s", p->error);
	else if (p->n == 0)
		snprintf(status, sizeof status, "Nothing matches; change the search.");
	else
		snprintf(status, sizeof status, "%d%s shown.  Up/Down: move  Enter: choose  Esc: cancel",
		         p->n, p->more ? "+ (type more to narrow)" : "");
	draw_text(y + h - 2, x + 2, w - 4, status, p->error[0] ? ROLE_ERROR : ROLE_DIM, true);
}

static int picker_key(struct tui *t, struct overlay *o, int key, enum action a)
{
	struct picker *p = (struct picker *)o;
	(void)t;
	if (a == ACT_CANCEL) {
		overlay_close(o, 0);
		return R_NONE;
	}
	if (a == ACT_CHOOSE) {
		if (p->n > 0) {
			snprintf(p->choice, sizeof p->choice, "%s", p->entries[p->grid.sel].code);
			snprintf(p->choice_text, sizeof p->choice_text, "%s", p->entries[p->grid.sel].text);
			overlay_close(o, 1);
		}
		return R_NONE;
	}
	if (grid_move(&p->grid, a, draw_rows() - 11))
		return R_NONE;
	enum field_result r = field_key(&p->query, key, a);
	if (r == FIELD_CHANGED)
		refill(p);
	return r == FIELD_IGNORED ? R_UNKNOWN : R_NONE;
}
