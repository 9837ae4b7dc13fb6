/* The report summaries, report_items and report_days (store.h), kept in
 * step with the ledger in the transaction that writes it, so that a
 * report by store and reason over ten million rows reads a few thousand
 * summary rows rather than the ledger:
 *   - every row a document, reversal or batch reversal appends
 *     (sums_post, from ledger_append);
 *   - an upload's lines, summed in memory by the loader and written
 *     once at its end (sums_write_lines);
 *   - an item's lines again when its unit cost changes (sums_revalue).
 * A line's value is its Diff at the cost in force on its transaction
 * date (rule_value); verify recomputes both tables from the ledger and
 * the item events (verify_reports.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "engine/rules.h"

/* Adds r to its key in report_items and, without the item, report_days. */
static iv_status add_both(iv_db *db, const store_report_row *r)
{
	iv_status rc = store_report_add(db->st, true, r);
	if (rc == IV_OK) {
		store_report_row day = *r;
		day.item_id = 0;
		rc = store_report_add(db->st, false, &day);
	}
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

static iv_status value_fails(iv_db *db)
{
	return iv_fail(db, IV_E_REFUSED, "the value of these lines at their unit cost is beyond what a "
	                                 "report can sum exactly; nothing was saved");
}

/* One ledger row's line, with sign +1 (added to its key) or -1 (taken
 * from it), valued at the cost in force on its date. */
static iv_status one_line(iv_db *db, const store_ledger_rec *rec, bool cancelled, int sign,
                          store_report_row *out)
{
	bool has;
	iv_money cost, value;
	int64_t unvalued;
	iv_status rc = store_cost_at(db->st, rec->item_id, rec->tdate, &has, &cost);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (!rule_value(1, rec->diff, has, cost, &value, &unvalued))
		return value_fails(db);
	*out = (store_report_row){
		.store_id = rec->store_id,
		.item_id = rec->item_id,
		.reason_id = rec->reason_id,
		.user_id = rec->user_id,
		.cancelled = cancelled,
		.lines = sign,
		.added = sign * (rec->diff > 0 ? rec->diff : 0),
		.removed = sign * (rec->diff < 0 ? -rec->diff : 0),
		.value = sign * value,
		.unvalued = sign * unvalued,
	};
	memcpy(out->tdate, rec->tdate, sizeof out->tdate);
	return IV_OK;
}

iv_status sums_post(iv_db *db, const store_ledger_rec *rec)
{
	store_report_row r;
	iv_status rc = one_line(db, rec, rec->reverses != 0, 1, &r);
	if (rc == IV_OK)
		rc = add_both(db, &r);
	if (rc != IV_OK || !rec->reverses)
		return rc;
	/* The reversed row leaves the sums reports show by default and
	 * joins the cancelled ones, keyed as it was posted. */
	store_ledger_rec orig;
	if ((rc = store_ledger_get(db->st, rec->reverses, NULL, &orig)) != IV_OK)
		return iv_fail_store(db, rc);
	if ((rc = one_line(db, &orig, false, -1, &r)) == IV_OK && (rc = add_both(db, &r)) == IV_OK &&
	    (rc = one_line(db, &orig, true, 1, &r)) == IV_OK)
		rc = add_both(db, &r);
	return rc;
}

/* ---- a cost changed ---- */

typedef struct row_list {
	store_report_row *v;
	size_t n, cap;
	bool nomem;
} row_list;

static bool collect(void *ctx, const store_report_row *r)
{
	row_list *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		store_report_row *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return !(l->nomem = true);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *r;
	return true;
}

iv_status sums_revalue(iv_db *db, int64_t item_id, const char *from)
{
	/* Read first, then write: the rows change under their own cursor otherwise. */
	row_list l = {0};
	store_report_query q = {.from = from, .to = "9999-12-31", .item_id = item_id, .items = true,
	                        .with_cancelled = true};
	iv_status rc = store_report_rows(db->st, &q, collect, &l);
	if (rc != IV_OK)
		rc = iv_fail_store(db, rc);
	else if (l.nomem)
		rc = iv_fail(db, IV_E_NOMEM, "out of memory");
	for (size_t i = 0; rc == IV_OK && i < l.n; i++) {
		store_report_row *r = &l.v[i];
		bool has;
		iv_money cost, value;
		int64_t unvalued;
		if ((rc = store_cost_at(db->st, item_id, r->tdate, &has, &cost)) != IV_OK) {
			rc = iv_fail_store(db, rc);
			break;
		}
		if (!rule_value(r->lines, r->added - r->removed, has, cost, &value, &unvalued)) {
			rc = value_fails(db);
			break;
		}
		if (value == r->value && unvalued == r->unvalued)
			continue;
		store_report_row delta = *r;
		delta.lines = delta.added = delta.removed = 0;
		delta.value = value - r->value;
		delta.unvalued = unvalued - r->unvalued;
		rc = add_both(db, &delta);
	}
	free(l.v);
	return rc;
}

/* ---- an upload's lines ---- */

static int by_item_key(const void *a, const void *b)
{
	const sums_line *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->store_id != y->store_id)
		return x->store_id < y->store_id ? -1 : 1;
	if (x->item_id != y->item_id)
		return x->item_id < y->item_id ? -1 : 1;
	return (x->reason_id > y->reason_id) - (x->reason_id < y->reason_id);
}

static int by_day_key(const void *a, const void *b)
{
	const sums_line *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->store_id != y->store_id)
		return x->store_id < y->store_id ? -1 : 1;
	return (x->reason_id > y->reason_id) - (x->reason_id < y->reason_id);
}

static iv_status write_item_rows(iv_db *db, sums_line *v, size_t n, int64_t user_id)
{
	cost_book book = {0};
	iv_status rc = cost_book_load(db, &book);
	char iso[IV_DATE_ISO_LEN] = "";
	iv_date iso_of = 0;
	qsort(v, n, sizeof *v, by_item_key); /* in key order: the B-tree fills front to back */
	for (size_t i = 0; rc == IV_OK && i < n; i++) {
		iv_money cost;
		bool has = cost_book_at(&book, v[i].item_id, v[i].date, &cost);
		if (!rule_value(v[i].lines, v[i].added - v[i].removed, has, cost, &v[i].value, &v[i].unvalued)) {
			rc = value_fails(db);
			break;
		}
		if (!iso[0] || iso_of != v[i].date)
			date_format(iso_of = v[i].date, iso);
		store_report_row r = {
			.store_id = v[i].store_id, .item_id = v[i].item_id, .reason_id = v[i].reason_id,
			.user_id = user_id, .lines = v[i].lines, .added = v[i].added, .removed = v[i].removed,
			.value = v[i].value, .unvalued = v[i].unvalued,
		};
		memcpy(r.tdate, iso, sizeof r.tdate);
		if ((rc = store_report_add(db->st, true, &r)) != IV_OK)
			rc = iv_fail_store(db, rc);
	}
	cost_book_free(&book);
	return rc;
}

/* The same lines by day, store and reason: runs of the sorted lines. */
static iv_status write_day_rows(iv_db *db, sums_line *v, size_t n, int64_t user_id)
{
	qsort(v, n, sizeof *v, by_day_key);
	iv_status rc = IV_OK;
	for (size_t i = 0; rc == IV_OK && i < n;) {
		store_report_row r = {.store_id = v[i].store_id, .reason_id = v[i].reason_id, .user_id = user_id};
		date_format(v[i].date, r.tdate);
		size_t j = i;
		for (; j < n && by_day_key(&v[i], &v[j]) == 0; j++) {
			r.lines += v[j].lines;
			r.added += v[j].added;
			r.removed += v[j].removed;
			r.unvalued += v[j].unvalued;
			if (__builtin_add_overflow(r.value, v[j].value, &r.value))
				return value_fails(db);
		}
		if ((rc = store_report_add(db->st, false, &r)) != IV_OK)
			rc = iv_fail_store(db, rc);
		i = j;
	}
	return rc;
}

iv_status sums_write_lines(iv_db *db, sums_line *v, size_t n, int64_t user_id)
{
	iv_status rc = write_item_rows(db, v, n, user_id);
	return rc == IV_OK ? write_day_rows(db, v, n, user_id) : rc;
}
