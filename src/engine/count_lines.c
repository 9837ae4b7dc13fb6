/* A count's lines and their snapshot (count_internal.h), and showing
 * them (iv_count_show).  The snapshot is exact and lazy: nothing is
 * copied at the start but the place of the store's chain; an item's Net
 * Available at its moment is Net Available now less what its rows after
 * that place added. */
#define _GNU_SOURCE /* qsort_r: the lines' text is the comparison's context */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/count_internal.h"
#include "invadj/hmap.h"
#include "invadj/money.h"

typedef struct loading {
	iv_db *db;
	const store_count *c;
	count_lines *l;
	hmap *index; /* item id -> index in l->v */
	/* the item whose scans are being folded */
	bool folding;
	int64_t item_id;
	rule_counted counted;
	char number[IV_IDENT_SIZE], description[IV_NAME_SIZE];
	iv_status status;
} loading;

static bool nomem(loading *ld)
{
	ld->status = iv_fail(ld->db, IV_E_NOMEM, "out of memory");
	return false;
}

static bool keep_text(count_lines *l, const char *s, size_t *at)
{
	size_t len = strlen(s) + 1;
	if (l->used + len > l->text_cap) {
		size_t cap = l->text_cap ? 2 * l->text_cap : 4096;
		while (cap < l->used + len)
			cap *= 2;
		char *t = realloc(l->text, cap);
		if (!t)
			return false;
		l->text = t;
		l->text_cap = cap;
	}
	memcpy(l->text + l->used, s, len);
	*at = l->used;
	l->used += len;
	return true;
}

/* A new line for the item (which has none yet). */
static count_line *add_line(loading *ld, int64_t item_id, const char *number, const char *description)
{
	count_lines *l = ld->l;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		count_line *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	count_line *ln = &l->v[l->n];
	memset(ln, 0, sizeof *ln);
	ln->item_id = item_id;
	ln->moment = ld->c->start_seq;
	ln->net_now = INT64_MIN; /* not read yet */
	if (!keep_text(l, number, &ln->number) || !keep_text(l, description, &ln->description) ||
	    !hmap_put(ld->index, &item_id, sizeof item_id, (int64_t)l->n, NULL))
		return NULL;
	l->n++;
	return ln;
}

static count_line *line_of(loading *ld, int64_t item_id)
{
	int64_t *k = hmap_get(ld->index, &item_id, sizeof item_id);
	return k ? &ld->l->v[*k] : NULL;
}

/* The item folded so far becomes a line. */
static bool end_item(loading *ld)
{
	if (!ld->folding)
		return true;
	ld->folding = false;
	count_line *ln = add_line(ld, ld->item_id, ld->number, ld->description);
	if (!ln)
		return nomem(ld);
	ln->counted = ld->counted.counted;
	ln->qty = ld->counted.qty;
	ln->moment = ld->counted.moment;
	ln->recounted = ld->counted.recounted;
	return true;
}

static bool on_scan(void *ctx, const store_count_scan *s)
{
	loading *ld = ctx;
	if (!ld->folding || s->item_id != ld->item_id) {
		if (!end_item(ld))
			return false;
		ld->folding = true;
		ld->item_id = s->item_id;
		rule_counted_start(&ld->counted, ld->c->start_seq);
		snprintf(ld->number, sizeof ld->number, "%s", s->number);
		snprintf(ld->description, sizeof ld->description, "%s", s->description);
	}
	rule_scan r = {s->kind, s->qty, s->seq, s->undone};
	rule_counted_add(&ld->counted, &r);
	return true;
}

/* An item of the scope (a list's, or one with a balance at the store):
 * a line of its own when nobody scanned it, and its Net Available now. */
static bool on_scope_item(void *ctx, int64_t item_id, const char *number, const char *description, iv_qty qty)
{
	loading *ld = ctx;
	count_line *ln = line_of(ld, item_id);
	if (!ln && !(ln = add_line(ld, item_id, number, description)))
		return nomem(ld);
	if (ld->c->scope == IV_COUNT_ALL)
		ln->net_now = qty;
	return true;
}

static bool on_moved(void *ctx, int64_t item_id, iv_qty sum)
{
	loading *ld = ctx;
	count_line *ln = line_of(ld, item_id);
	if (ln && !ln->recounted)
		ln->moved = sum;
	return true;
}

/* A posted count's own rows are no movement on the shelf: they are
 * taken out of what moved (not out of Net Available at the moment,
 * which every row since it made). */
static bool own_row(void *ctx, const store_ledger_rec *r)
{
	loading *ld = ctx;
	count_line *ln = line_of(ld, r->item_id);
	if (ln)
		ln->own += r->diff;
	return true;
}

/* Net Available now of the lines that have none yet, and what moved
 * since each line's moment. */
static iv_status read_ledger(loading *ld)
{
	iv_db *db = ld->db;
	const store_count *c = ld->c;
	iv_status rc = IV_OK;
	for (size_t k = 0; rc == IV_OK && k < ld->l->n; k++)
		if (ld->l->v[k].net_now == INT64_MIN)
			rc = store_balance_get(db->st, c->store_id, ld->l->v[k].item_id, &ld->l->v[k].net_now);
	/* Everything the store's chain added since the start, by item: one
	 * read of that stretch of the chain. */
	if (rc == IV_OK)
		rc = store_chain_sums(db->st, c->store_id, c->start_seq, INT64_MAX, on_moved, ld);
	/* A recounted item's moment is later: its own rows since then. */
	for (size_t k = 0; rc == IV_OK && k < ld->l->n; k++) {
		count_line *ln = &ld->l->v[k];
		if (!ln->recounted)
			continue;
		store_chain_pos at = {0};
		if (ln->moment > 0 && (rc = store_chain_row(db->st, c->store_id, ln->moment, &at)) != IV_OK)
			break;
		rc = store_item_moved_after(db->st, c->store_id, ln->item_id, at.id, &ln->moved);
	}
	if (rc == IV_OK && c->batch_id)
		rc = store_ledger_each_in_batch(db->st, c->batch_id, own_row, ld);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

/* Diffs, and the lines that are no lines: for a count of scanned items,
 * items whose every scan was undone; for all items, items nobody
 * counted that had no stock at the start. */
static void settle(const store_count *c, bool zero_uncounted, count_lines *l)
{
	size_t kept = 0;
	for (size_t k = 0; k < l->n; k++) {
		count_line *ln = &l->v[k];
		ln->at_start = ln->net_now - ln->moved;
		ln->moved -= ln->own;
		if (!ln->counted && (c->scope == IV_COUNT_SCANNED || (c->scope == IV_COUNT_ALL && ln->at_start == 0)))
			continue;
		ln->zeroed = !ln->counted && zero_uncounted && ln->at_start != 0;
		ln->diff = ln->counted ? rule_count_diff(ln->qty, ln->at_start)
		                       : ln->zeroed ? rule_count_diff(0, ln->at_start) : 0;
		l->v[kept++] = *ln;
	}
	l->n = kept;
}

iv_status count_lines_load(iv_db *db, const store_count *c, bool zero_uncounted, count_lines *out)
{
	memset(out, 0, sizeof *out);
	loading ld = {.db = db, .c = c, .l = out, .status = IV_OK};
	if (!(ld.index = hmap_new()))
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	iv_status rc = store_count_scans(db->st, c->id, 0, on_scan, &ld);
	if (rc == IV_OK && ld.status == IV_OK)
		end_item(&ld);
	if (rc == IV_OK && ld.status == IV_OK && c->scope == IV_COUNT_ITEMS)
		rc = store_count_list_items(db->st, c->id, on_scope_item, &ld);
	if (rc == IV_OK && ld.status == IV_OK && c->scope == IV_COUNT_ALL)
		rc = store_count_stock(db->st, c->store_id, on_scope_item, &ld);
	if (rc != IV_OK)
		rc = iv_fail_store(db, rc);
	else if ((rc = ld.status) == IV_OK)
		rc = read_ledger(&ld);
	hmap_free(ld.index);
	if (rc != IV_OK) {
		count_lines_free(out);
		return rc;
	}
	settle(c, zero_uncounted, out);
	return IV_OK;
}

void count_lines_free(count_lines *l)
{
	free(l->v);
	free(l->text);
	memset(l, 0, sizeof *l);
}

bool count_line_moved(const count_line *ln)
{
	return (ln->counted || ln->zeroed) && ln->moved != 0;
}

static int by_item(const void *a, const void *b, void *text)
{
	const count_line *x = a, *y = b;
	return strcmp((const char *)text + x->number, (const char *)text + y->number);
}

static iv_qty magnitude(iv_qty q)
{
	return q < 0 ? -q : q;
}

/* A supervisor looks at money first where the items have costs; units
 * and money cannot be weighed against each other, so the lines without
 * a value follow, by units. */
static int by_variance(const void *a, const void *b, void *text)
{
	const count_line *x = a, *y = b;
	bool mx = count_line_moved(x), my = count_line_moved(y);
	if (mx != my)
		return mx ? -1 : 1;
	if (x->valued != y->valued)
		return x->valued ? -1 : 1;
	if (x->valued) {
		iv_money vx = x->value < 0 ? -x->value : x->value, vy = y->value < 0 ? -y->value : y->value;
		if (vx != vy)
			return vx > vy ? -1 : 1;
	}
	iv_qty dx = magnitude(x->diff), dy = magnitude(y->diff);
	if (dx != dy)
		return dx > dy ? -1 : 1;
	return by_item(a, b, text);
}

void count_lines_sort(count_lines *l, iv_count_order order)
{
	if (l->n > 1)
		qsort_r(l->v, l->n, sizeof *l->v, order == IV_COUNT_BY_VARIANCE ? by_variance : by_item, l->text);
}

void count_line_give(const count_lines *l, const count_line *ln, bool hidden, iv_count_line *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->item.number, sizeof out->item.number, "%s", l->text + ln->number);
	snprintf(out->item.description, sizeof out->item.description, "%s", l->text + ln->description);
	out->counted = ln->counted;
	out->qty = ln->qty;
	if (hidden)
		return; /* blind: nothing of what the count expected */
	out->at_start = ln->at_start;
	out->moved = ln->moved;
	out->diff = ln->diff;
	out->recounted = ln->recounted;
	out->zeroed = ln->zeroed;
	out->net_now = ln->net_now;
	out->new_qty = ln->net_now + ln->diff;
	out->valued = ln->valued;
	out->value = ln->value;
	out->needs_approval = ln->needs_approval;
	out->id = ln->id;
}

/* ---- iv_count_show ---- */

/* Each line's Diff at its item's unit cost on the count's day (the day
 * posting dates its rows), in the caller's read snapshot: for the
 * review only, so posting pays no lookup per line. */
static iv_status value_lines(iv_db *db, const store_count *c, count_lines *l)
{
	for (size_t k = 0; k < l->n; k++) {
		count_line *ln = &l->v[k];
		bool has = false;
		iv_money cost = 0;
		if (ln->diff == 0)
			continue;
		iv_status rc = store_cost_at(db->st, ln->item_id, c->count_day, &has, &cost);
		if (rc != IV_OK)
			return iv_fail_store(db, rc);
		ln->valued = has && money_value(ln->diff, cost, &ln->value);
	}
	return IV_OK;
}

/* A line in the view's totals; hidden: how many were counted, no more. */
static void tally(iv_count_view *v, const count_line *ln, bool hidden)
{
	v->lines++;
	if (ln->counted)
		v->counted++;
	else
		v->uncounted++;
	if (hidden)
		return;
	if (count_line_moved(ln))
		v->moved++;
	if (ln->diff != 0)
		v->differ++;
	if (ln->diff > 0)
		v->added += ln->diff;
	else
		v->removed -= ln->diff;
}

iv_status iv_count_show(iv_db *db, const iv_count_show_in *in, iv_count_line_cb cb, void *ctx,
                        iv_count_view *view)
{
	memset(view, 0, sizeof *view);
	iv_status rc = store_begin(db->st, false); /* one snapshot for the count and every line */
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	store_count c;
	count_lines l;
	if ((rc = count_load(db, in->count, true, &c)) == IV_OK && (rc = count_info(db, &c, &view->info)) == IV_OK)
		/* a posted count shows its lines as posted */
		rc = count_lines_load(db, &c,
		                      c.status == IV_COUNT_POSTED ? c.zero_uncounted
		                                                  : in->zero_uncounted && c.scope != IV_COUNT_SCANNED,
		                      &l);
	bool hidden = rc == IV_OK && count_hidden(db, &c);
	if (rc == IV_OK && !hidden && (rc = value_lines(db, &c, &l)) != IV_OK)
		count_lines_free(&l);
	store_rollback(db->st);
	if (rc != IV_OK)
		return rc;
	view->hidden = hidden;
	count_lines_sort(&l, view->hidden ? IV_COUNT_BY_ITEM : in->order);
	for (size_t k = 0; k < l.n; k++) {
		const count_line *ln = &l.v[k];
		/* blind: an item nobody counted would say that the store has
		 * it; a list count's items are no secret */
		if (view->hidden && !ln->counted && c.scope != IV_COUNT_ITEMS)
			continue;
		tally(view, ln, view->hidden);
		iv_count_line out;
		count_line_give(&l, ln, view->hidden, &out);
		if (cb && !cb(ctx, &out))
			break;
	}
	count_lines_free(&l);
	return IV_OK;
}
