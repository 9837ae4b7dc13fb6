/* The report summaries, report_items and report_days (store.h), kept in
 * step with the ledger in the transaction that writes it, so that a
 * report by store and reason over ten million rows reads a few thousand
 * summary rows rather than the ledger:
 *   - every row a document, reversal or batch reversal appends
 *     (sums_post, from ledger_append);
 *   - an upload's lines, summed by the database from its rows and
 *     written once at its end (sums_write_batch);
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
	if (store_sums_by_server(db->st))
		return IV_OK; /* the server's trigger sums the row (pg_roles.c) */
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

/* The lines as the store sums them, by date, store, item and reason: each
 * valued and added to report_items as it comes; report_days' rows of one
 * date and store (one per reason: a few) gathered until the next. */
typedef struct batch_sums {
	iv_db *db;
	int64_t user_id;
	cost_book book;
	store_report_row *day_v;
	size_t nday, day_cap;
	iv_status rc;
} batch_sums;

static int by_reason(const void *a, const void *b)
{
	const store_report_row *x = a, *y = b;
	return (x->reason_id > y->reason_id) - (x->reason_id < y->reason_id);
}

static iv_status write_days(batch_sums *b)
{
	if (b->nday > 1)
		qsort(b->day_v, b->nday, sizeof *b->day_v, by_reason); /* the key's order */
	iv_status rc = IV_OK;
	for (size_t k = 0; rc == IV_OK && k < b->nday; k++)
		if ((rc = store_report_add(b->db->st, false, &b->day_v[k])) != IV_OK)
			rc = iv_fail_store(b->db, rc);
	b->nday = 0;
	return rc;
}

static bool add_line(void *ctx, const store_report_row *line)
{
	batch_sums *b = ctx;
	if (b->nday && (strcmp(b->day_v[0].tdate, line->tdate) != 0 || b->day_v[0].store_id != line->store_id) &&
	    (b->rc = write_days(b)) != IV_OK)
		return false;
	store_report_row r = *line;
	r.user_id = b->user_id;
	r.cancelled = false;
	iv_date date;
	iv_money cost = 0;
	bool has = date_parse(r.tdate, &date) && cost_book_at(&b->book, r.item_id, date, &cost);
	if (!rule_value(r.lines, r.added - r.removed, has, cost, &r.value, &r.unvalued)) {
		b->rc = value_fails(b->db);
		return false;
	}
	if ((b->rc = store_report_add(b->db->st, true, &r)) != IV_OK) {
		b->rc = iv_fail_store(b->db, b->rc);
		return false;
	}
	size_t k = 0;
	while (k < b->nday && b->day_v[k].reason_id != r.reason_id)
		k++;
	if (k == b->nday) {
		if (b->nday == b->day_cap) {
			size_t cap = b->day_cap ? 2 * b->day_cap : 16;
			store_report_row *v = realloc(b->day_v, cap * sizeof *v);
			if (!v) {
				b->rc = iv_fail(b->db, IV_E_NOMEM, "out of memory");
				return false;
			}
			b->day_v = v;
			b->day_cap = cap;
		}
		b->day_v[b->nday++] = (store_report_row){.store_id = r.store_id, .reason_id = r.reason_id,
		                                          .user_id = r.user_id};
		memcpy(b->day_v[k].tdate, r.tdate, sizeof r.tdate);
	}
	store_report_row *d = &b->day_v[k];
	d->lines += r.lines;
	d->added += r.added;
	d->removed += r.removed;
	d->unvalued += r.unvalued;
	if (__builtin_add_overflow(d->value, r.value, &d->value)) {
		b->rc = value_fails(b->db);
		return false;
	}
	return true;
}

iv_status sums_write_batch(iv_db *db, int64_t batch_id, int64_t user_id)
{
	if (store_sums_by_server(db->st))
		return IV_OK; /* the server's trigger summed each COPY (pg_roles.c) */
	batch_sums b = {.db = db, .user_id = user_id};
	iv_status rc = cost_book_load(db, &b.book);
	if (rc == IV_OK) {
		rc = store_batch_lines(db->st, batch_id, add_line, &b);
		if (b.rc != IV_OK)
			rc = b.rc;
		else if (rc != IV_OK)
			rc = iv_fail_store(db, rc);
		else
			rc = write_days(&b);
	}
	cost_book_free(&b.book);
	free(b.day_v);
	return rc;
}
