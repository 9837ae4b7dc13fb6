/* Unit costs: set by an items import, kept as part of the item's state
 * (its events), and as the history item_costs that reports value Diffs
 * by: a Diff is worth its quantity at the cost in force on its
 * transaction date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "engine/rules.h"

iv_status costs_import(iv_db *db, uint64_t line, int64_t item_id, const char *cell)
{
	const char *p = cell;
	while (*p == ' ' || *p == '\t')
		p++;
	bool has = *p != '\0';
	iv_money cost = 0;
	money_error e = has ? money_parse_cost(cell, &cost) : MONEY_OK;
	if (e != MONEY_OK)
		return iv_fail(db, IV_E_INVALID, "line %llu: UnitCost: \"%s\" %s", (unsigned long long)line, cell,
		               money_error_text(e));
	store_cost now;
	iv_status rc = store_item_cost_get(db->st, item_id, &now);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (now.has == has && now.cost == cost)
		return IV_OK; /* unchanged: no event, no new history */
	iv_date today, prev = 0;
	if ((rc = clock_today(db, NULL, &today)) != IV_OK)
		return rc;
	bool has_prev = now.from[0] && date_parse(now.from, &prev);
	store_cost next = {.has = has, .cost = cost};
	date_format(rule_cost_from(today, has_prev, prev), next.from);
	if ((rc = store_item_cost_set(db->st, item_id, &next)) != IV_OK ||
	    (rc = store_cost_history_put(db->st, item_id, next.from, has, cost)) != IV_OK)
		return iv_fail_store(db, rc);
	return sums_revalue(db, item_id, next.from);
}

/* ---- the history in memory ---- */

bool cost_book_add(cost_book *b, int64_t item_id, iv_date effective, bool has, iv_money cost)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		cost_entry *v = realloc(b->v, cap * sizeof *v);
		if (!v)
			return false;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n] = (cost_entry){item_id, effective, has, cost, b->n};
	b->n++;
	b->sorted = false;
	return true;
}

static int by_item_day(const void *a, const void *b)
{
	const cost_entry *x = a, *y = b;
	if (x->item_id != y->item_id)
		return x->item_id < y->item_id ? -1 : 1;
	if (x->effective != y->effective)
		return x->effective < y->effective ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

void cost_book_sort(cost_book *b)
{
	if (b->sorted)
		return;
	if (b->n > 1)
		qsort(b->v, b->n, sizeof *b->v, by_item_day);
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (k > 0 && b->v[k - 1].item_id == b->v[i].item_id && b->v[k - 1].effective == b->v[i].effective)
			k--;
		b->v[k++] = b->v[i];
	}
	b->n = k;
	b->sorted = true;
}

typedef struct book_load {
	iv_db *db;
	cost_book *b;
	iv_status status;
} book_load;

static bool load_row(void *ctx, const char *const *vals, int ncols)
{
	book_load *l = ctx;
	iv_date d;
	(void)ncols;
	if (!vals[0] || !vals[1] || !date_parse(vals[1], &d)) {
		l->status = iv_fail(l->db, IV_E_CORRUPT, "the cost history holds an entry that is not one "
		                                         "(item %s, day %s): run `invadj verify`",
		                    vals[0] ? vals[0] : "?", vals[1] ? vals[1] : "?");
		return false;
	}
	if (!cost_book_add(l->b, strtoll(vals[0], NULL, 10), d, vals[2] != NULL,
	                   vals[2] ? strtoll(vals[2], NULL, 10) : 0)) {
		l->status = iv_fail(l->db, IV_E_NOMEM, "out of memory");
		return false;
	}
	return true;
}

iv_status cost_book_load(iv_db *db, cost_book *b)
{
	book_load l = {db, b, IV_OK};
	iv_status rc = store_table_each(db->st, STORE_T_ITEM_COSTS, load_row, &l);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	return l.status;
}

bool cost_book_at(cost_book *b, int64_t item_id, iv_date date, iv_money *cost)
{
	cost_book_sort(b);
	/* the first entry after (item_id, date); the one before it, if it
	 * is the item's, is in force */
	size_t lo = 0, hi = b->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const cost_entry *e = &b->v[mid];
		if (e->item_id < item_id || (e->item_id == item_id && e->effective <= date))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || b->v[lo - 1].item_id != item_id || !b->v[lo - 1].has)
		return false;
	*cost = b->v[lo - 1].cost;
	return true;
}

void cost_book_free(cost_book *b)
{
	free(b->v);
	memset(b, 0, sizeof *b);
}
