/* verify, the costs and the report summaries:
 *   - the cost history (item_costs) against the item events: each
 *     change of an item's unit cost, on the day it took effect, which
 *     must be a day invadj gives it (rule_cost_from_ok);
 *   - report_items against the ledger rows (the database groups them:
 *     lines, added, removed by day, store, item, reason, user and
 *     whether cancelled), each key's value recomputed here from the
 *     cost history the events make (not from item_costs);
 *   - report_days against the sums of report_items' rows.
 * A key on one side only must hold nothing (a reversed line leaves its
 * key at zero). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/verify.h"

/* The fields of an item's state (events.c): unit_cost and cost_from. */
enum { ITEM_UNIT_COST = 7, ITEM_COST_FROM = 8 };

typedef struct reports_walk {
	iv_db *db;
	const master_book *b;
	cost_book costs; /* the history by the events */
	bool items;      /* checking report_items (else report_days) */
	iv_status status;
} reports_walk;

/* ---- the cost history ---- */

static iv_status cost_fault(iv_db *db, const version *v, const char *why)
{
	return iv_fail(db, IV_E_CORRUPT, "item %s: event %lld (%s at %s) %s", v->field[0],
	               (long long)v->event_seq, v->action, v->recorded_at, why);
}

/* An item's versions, in order: each change of cost or of its day. */
static iv_status item_history(iv_db *db, const entity *e, cost_book *out)
{
	bool has_prev = false;
	iv_date prev_from = 0;
	const char *prev_cost = "", *prev_day = "";
	for (size_t k = 0; k < e->n; k++) {
		const version *v = &e->v[k];
		const char *cost = v->field[ITEM_UNIT_COST], *day = v->field[ITEM_COST_FROM];
		if (strcmp(cost, prev_cost) == 0 && strcmp(day, prev_day) == 0)
			continue;
		iv_date from;
		char *end;
		long long c = *cost ? strtoll(cost, &end, 10) : 0;
		if (!rule_tdate_valid(day, &from))
			return cost_fault(db, v, "gives its unit cost no day it took effect");
		if (*cost && (*end || c < 0 || c > IV_COST_MAX))
			return cost_fault(db, v, "sets a unit cost that is not one");
		iv_date recorded;
		if (iv_recorded_day(db, "", v->recorded_at, &recorded) != IV_OK)
			return cost_fault(db, v, "has no time it was recorded");
		if (!rule_cost_from_ok(from, recorded, has_prev, prev_from)) {
			char why[160];
			snprintf(why, sizeof why,
			         "makes its unit cost take effect on %s, not on the day it was set "
			         "(the cost history would be rewritten)", day);
			return cost_fault(db, v, why);
		}
		if (!cost_book_add(out, e->id, from, *cost != '\0', c))
			return iv_fail(db, IV_E_NOMEM, "out of memory");
		has_prev = true;
		prev_from = from;
		prev_cost = cost;
		prev_day = day;
	}
	return IV_OK;
}

static iv_status check_cost_history(reports_walk *w)
{
	const timeline *tl = &w->b->kind[STORE_T_ITEMS];
	iv_status rc = IV_OK;
	for (size_t i = 0; rc == IV_OK && i < tl->n; i++)
		rc = item_history(w->db, &tl->e[i], &w->costs);
	cost_book stored = {0};
	if (rc == IV_OK)
		rc = cost_book_load(w->db, &stored);
	if (rc == IV_OK) {
		cost_book_sort(&w->costs);
		cost_book_sort(&stored);
		for (size_t k = 0; rc == IV_OK && (k < stored.n || k < w->costs.n); k++) {
			const cost_entry *want = k < w->costs.n ? &w->costs.v[k] : NULL;
			const cost_entry *got = k < stored.n ? &stored.v[k] : NULL;
			if (want && got && want->item_id == got->item_id && want->effective == got->effective &&
			    want->has == got->has && (!want->has || want->cost == got->cost))
				continue;
			const cost_entry *e = want ? want : got;
			char day[IV_DATE_ISO_LEN], amount[IV_MONEY_TEXT];
			date_format(e->effective, day);
			rc = iv_fail(w->db, IV_E_CORRUPT,
			             "the cost history (item_costs) of item %s from %s is not what its events "
			             "say (%s): it was changed behind invadj's back",
			             book_key(w->b, STORE_T_ITEMS, e->item_id), day,
			             !want ? "no change that day"
			                   : want->has ? money_format(want->cost, amount, sizeof amount)
			                               : "no cost");
			break;
		}
	}
	cost_book_free(&stored);
	return rc;
}

/* ---- the summaries ---- */

static void describe(const reports_walk *w, const store_report_row *r, char *buf, size_t size)
{
	int n = snprintf(buf, size, "store %s, ", book_key(w->b, STORE_T_STORES, r->store_id));
	if (w->items && n > 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "item %s, ", book_key(w->b, STORE_T_ITEMS, r->item_id));
	if (n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "reason %s, user %s on %.10s (%s)",
		         book_key(w->b, STORE_T_REASONS, r->reason_id), book_key(w->b, STORE_T_USERS, r->user_id),
		         r->tdate, r->cancelled ? "cancelled" : "not cancelled");
}

static bool on_check(void *ctx, const store_report_check *c)
{
	reports_walk *w = ctx;
	const store_report_row *s = &c->stored;
	iv_money value = c->value;
	int64_t unvalued = c->unvalued;
	if (w->items) {
		iv_date d;
		iv_money cost = 0;
		bool has = rule_tdate_valid(s->tdate, &d) && cost_book_at(&w->costs, s->item_id, d, &cost);
		if (!rule_value(c->lines, c->added - c->removed, has, cost, &value, &unvalued))
			value = 0; /* cannot be: no line's value overflows; the sums will differ */
	}
	if (s->lines == c->lines && s->added == c->added && s->removed == c->removed && s->value == value &&
	    s->unvalued == unvalued)
		return true;
	char key[512], want[IV_MONEY_TEXT], got[IV_MONEY_TEXT];
	describe(w, s, key, sizeof key);
	w->status = iv_fail(w->db, IV_E_CORRUPT,
	                    "the report summary %s of %s holds %lld lines, +%lld -%lld, worth %s with %lld "
	                    "unvalued, but %s make %lld lines, +%lld -%lld, worth %s with %lld unvalued",
	                    w->items ? "report_items" : "report_days", key, (long long)s->lines,
	                    (long long)s->added, (long long)s->removed, money_format(s->value, got, sizeof got),
	                    (long long)s->unvalued, w->items ? "its ledger rows" : "report_items' rows",
	                    (long long)c->lines, (long long)c->added, (long long)c->removed,
	                    money_format(value, want, sizeof want), (long long)unvalued);
	return false;
}

static iv_status check_summaries(reports_walk *w, bool items)
{
	w->items = items;
	w->status = IV_OK;
	iv_status rc = store_report_audit(w->db->st, items, on_check, w);
	return rc != IV_OK ? iv_fail_store(w->db, rc) : w->status;
}

iv_status verify_reports(iv_db *db, const master_book *book)
{
	reports_walk w = {.db = db, .b = book, .status = IV_OK};
	iv_status rc = check_cost_history(&w);
	if (rc == IV_OK)
		rc = check_summaries(&w, true);
	if (rc == IV_OK)
		rc = check_summaries(&w, false);
	cost_book_free(&w.costs);
	return rc;
}
