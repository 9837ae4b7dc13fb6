/* The picker: a list read a page at a time (every item can be reached,
 * Home and End at once), narrowed at every keystroke by a search that
 * ignores case and accents. */
#include "tui/picker.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/fold.h"
#include "tui/counter.h"
#include "tui/draw.h"
#include "tui/field.h"
#include "tui/grid.h"
#include "tui/keys.h"
#include "tui/pager.h"

struct pick_entry {
	char code[IV_IDENT_SIZE];
	char text[IV_NAME_SIZE];
};

struct picker {
	struct overlay base;
	enum picker_kind kind;
	iv_db *db;
	struct field query;
	struct pager pager;
	int64_t total; /* -1 while counted */
	unsigned count_ticket;
	char error[IV_MSG_MAX];
	char choice[IV_IDENT_SIZE];
	char choice_text[IV_NAME_SIZE];
	char q[FIELD_CAP * 4 + 1];      /* the query as UTF-8 */
	char folded[FIELD_CAP * 4 + 1]; /* and folded, for stores and reasons */
	/* PICK_LIST: the caller's list, its title and what it lists */
	const struct pick_choice *list;
	int nlist;
	const char *title, *noun;
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

/* ---- Stores and reason codes: short lists, matched here ------------- */

static bool matches(const struct picker *p, const char *code, const char *text)
{
	if (!p->folded[0])
		return true;
	char f[4 * IV_NAME_SIZE];
	text_fold(code, f, sizeof f);
	if (strstr(f, p->folded))
		return true;
	text_fold(text, f, sizeof f);
	return strstr(f, p->folded) != NULL;
}

/* A page of a short list by code: forward after the anchor, or back
 * before it nearest first (the list comes in code order, so the last
 * `limit` before the anchor are kept in a ring). */
struct short_page {
	const struct picker *p;
	const char *anchor; /* NULL: from that end */
	bool forward;
	int limit, n;
	struct pick_entry *out;
	long long seen;
	int64_t count; /* every match */
};

static bool short_add(struct short_page *s, const char *code, const char *text)
{
	if (!matches(s->p, code, text))
		return true;
	s->count++;
	if (!s->out)
		return true;
	if (s->forward) {
		if (s->anchor && strcmp(code, s->anchor) <= 0)
			return true;
		if (s->n >= s->limit)
			return true;
		snprintf(s->out[s->n].code, sizeof s->out[0].code, "%s", code);
		snprintf(s->out[s->n].text, sizeof s->out[0].text, "%s", text);
		s->n++;
		return true;
	}
	if (s->anchor && strcmp(code, s->anchor) >= 0)
		return true;
	int slot = (int)(s->seen++ % s->limit);
	snprintf(s->out[slot].code, sizeof s->out[0].code, "%s", code);
	snprintf(s->out[slot].text, sizeof s->out[0].text, "%s", text);
	return true;
}

static bool on_store(void *ctx, const iv_store *s) { return short_add(ctx, s->code, s->name); }
static bool on_reason(void *ctx, const iv_reason *r) { return short_add(ctx, r->code, r->description); }

/* The caller's list in its own order: after (or before, nearest first)
 * the anchor's place in it. */
static void fixed_list(struct picker *p, struct short_page *s)
{
	for (int k = 0; k < p->nlist; k++)
		if (matches(p, p->list[k].code, p->list[k].text))
			s->count++;
	if (!s->out)
		return;
	int at = -1;
	for (int k = 0; s->anchor && k < p->nlist; k++)
		if (strcmp(p->list[k].code, s->anchor) == 0)
			at = k;
	if (s->anchor && at < 0)
		return; /* the anchor is not in the list: nothing is next to it */
	int step = s->forward ? 1 : -1;
	for (int i = s->anchor ? at + step : s->forward ? 0 : p->nlist - 1; i >= 0 && i < p->nlist && s->n < s->limit;
	     i += step) {
		if (!matches(p, p->list[i].code, p->list[i].text))
			continue;
		snprintf(s->out[s->n].code, sizeof s->out[0].code, "%s", p->list[i].code);
		snprintf(s->out[s->n].text, sizeof s->out[0].text, "%s", p->list[i].text);
		s->n++;
	}
}

static iv_status short_list(struct picker *p, struct short_page *s)
{
	if (p->kind == PICK_LIST) {
		fixed_list(p, s);
		return IV_OK;
	}
	iv_status st = p->kind == PICK_STORE ? iv_store_list(p->db, on_store, s) : iv_reason_list(p->db, on_reason, s);
	if (st != IV_OK || s->forward || !s->out)
		return st;
	/* the ring back into nearest-first order */
	int n = s->seen < s->limit ? (int)s->seen : s->limit;
	struct pick_entry *tmp = calloc((size_t)(n ? n : 1), sizeof *tmp);
	if (!tmp)
		return IV_E_NOMEM;
	for (int i = 0; i < n; i++)
		tmp[i] = s->out[(int)((s->seen - 1 - i) % s->limit)];
	memcpy(s->out, tmp, (size_t)n * sizeof *tmp);
	free(tmp);
	s->n = n;
	return IV_OK;
}

/* ---- The pager's source --------------------------------------------- */

struct item_page {
	struct pick_entry *out;
	int n;
};

static bool on_item(void *ctx, const iv_item *it)
{
	struct item_page *ip = ctx;
	snprintf(ip->out[ip->n].code, sizeof ip->out[0].code, "%s", it->number);
	snprintf(ip->out[ip->n].text, sizeof ip->out[0].text, "%s", it->description);
	ip->n++;
	return true;
}

static int picker_fetch(void *ctx, const void *anchor, bool forward, int limit, void *out)
{
	struct picker *p = ctx;
	const struct pick_entry *a = anchor;
	iv_status st;
	int n;
	if (p->kind == PICK_ITEM) {
		struct item_page ip = {out, 0};
		st = iv_item_page(p->db, p->q, a ? a->code : NULL, !forward, (size_t)limit, on_item, &ip);
		n = ip.n;
	} else {
		struct short_page s = {p, a ? a->code : NULL, forward, limit, 0, out, 0, 0};
		st = short_list(p, &s);
		n = s.n;
	}
	if (st != IV_OK) {
		snprintf(p->error, sizeof p->error, "%s", iv_errmsg(p->db));
		return -1;
	}
	return n;
}

static const struct pager_source picker_source = {sizeof(struct pick_entry), picker_fetch};

static void refill(struct picker *p)
{
	p->error[0] = '\0';
	field_get(&p->query, p->q, sizeof p->q);
	text_fold(p->q, p->folded, sizeof p->folded);
	uint64_t n = 0;
	iv_status st;
	if (p->kind == PICK_ITEM) {
		struct count_request r = {.kind = COUNT_ITEMS};
		snprintf(r.text[1], sizeof r.text[1], "%.*s", (int)sizeof r.text[1] - 1, p->q);
		p->count_ticket = counter_ask(&r);
		p->total = -1;
		pager_home(&p->pager);
		return;
	} else {
		struct short_page s = {p, NULL, true, 0, 0, NULL, 0, 0};
		st = short_list(p, &s);
		n = (uint64_t)s.count;
	}
	if (st != IV_OK)
		snprintf(p->error, sizeof p->error, "%s", iv_errmsg(p->db));
	p->total = st == IV_OK ? (int64_t)n : -1;
	pager_home(&p->pager);
}

struct overlay *picker_open(struct tui *t, enum picker_kind kind, const char *query)
{
	struct picker *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	grid_init(&p->pager.grid, pick_cols, 2);
	if (!pager_init(&p->pager, &picker_source, p)) {
		pager_free(&p->pager);
		free(p);
		return NULL;
	}
	p->base.ops = &picker_ops;
	p->base.actions = picker_actions;
	p->base.question = true;
	p->kind = kind;
	p->db = t->db;
	field_init(&p->query, IV_NAME_MAX, false);
	field_set(&p->query, query);
	refill(p);
	return &p->base;
}

struct overlay *picker_open_list(struct tui *t, const char *title, const char *noun,
                                 const struct pick_choice *list, int n)
{
	struct overlay *o = picker_open(t, PICK_LIST, "");
	if (!o)
		return NULL;
	struct picker *p = (struct picker *)o;
	p->list = list;
	p->nlist = n;
	p->title = title;
	p->noun = noun;
	refill(p); /* now that it has its list */
	return o;
}

const char *picker_choice(struct overlay *o) { return ((struct picker *)o)->choice; }
const char *picker_choice_text(struct overlay *o) { return ((struct picker *)o)->choice_text; }

static void picker_free(struct overlay *o)
{
	struct picker *p = (struct picker *)o;
	pager_free(&p->pager);
	free(p);
}

static void cell(void *ctx, int r, int c, char *buf, size_t size, enum role *role)
{
	struct picker *p = ctx;
	(void)role;
	const struct pick_entry *e = pager_row(&p->pager, r);
	if (e)
		snprintf(buf, size, "%s", c == 0 ? e->code : e->text);
}

static void picker_draw(struct tui *t, struct overlay *o)
{
	struct picker *p = (struct picker *)o;
	static const char *const titles[] = {"Choose a store", "Choose an item", "Choose a reason code", ""};
	static const char *const nouns[] = {"store", "item", "reason code", ""};
	const char *title = p->kind == PICK_LIST ? p->title : titles[p->kind];
	const char *noun = p->kind == PICK_LIST ? p->noun : nouns[p->kind];
	int rows = draw_rows(), cols = draw_cols();
	int w = cols - 4 < 76 ? cols - 4 : 76;
	int h = rows - 4;
	if (w < 20 || h < 8)
		return;
	int y = 2, x = (cols - w) / 2;
	draw_box(y, x, h, w, title);
	draw_text(y + 1, x + 2, 8, "Search:", ROLE_NORMAL, true);
	field_draw(&p->query, y + 1, x + 10, w - 12, true, &t->cur_y, &t->cur_x);
	grid_layout(&p->pager.grid, x + 2, w - 4);
	grid_draw_list(&p->pager.grid, y + 2, h - 6, cell, p);
	char status[IV_MSG_MAX + 64], hint[160];
	if (p->kind == PICK_ITEM && counter_poll(p->count_ticket, &p->total))
		pager_total_known(&p->pager, p->total);
	int64_t pos = pager_position(&p->pager);
	if (p->error[0])
		snprintf(status, sizeof status, "%s", p->error);
	else if (p->pager.n == 0)
		snprintf(status, sizeof status, "Nothing matches; change the search.");
	else if (p->total < 0)
		snprintf(status, sizeof status, "Counting the %ss that match...", noun);
	else
		snprintf(status, sizeof status, "%" PRId64 " %s%s match; row %" PRId64 " selected.", p->total,
		         noun, p->total == 1 ? "" : "s", pos + 1);
	draw_text(y + h - 3, x + 2, w - 4, status, p->error[0] ? ROLE_ERROR : ROLE_DIM, true);
	draw_text(y + h - 2, x + 2, w - 4, action_hint(picker_actions, hint, sizeof hint), ROLE_DIM, true);
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
		const struct pick_entry *e = pager_selected(&p->pager);
		if (e) {
			snprintf(p->choice, sizeof p->choice, "%s", e->code);
			snprintf(p->choice_text, sizeof p->choice_text, "%s", e->text);
			overlay_close(o, 1);
		}
		return R_NONE;
	}
	if (pager_move(&p->pager, a, draw_rows() - 12, p->total))
		return R_NONE;
	enum field_result r = field_key(&p->query, key, a);
	if (r == FIELD_CHANGED)
		refill(p);
	return r == FIELD_IGNORED ? R_UNKNOWN : R_NONE;
}
