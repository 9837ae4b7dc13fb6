/* The report summaries, report_items and report_days (store.h), kept in
 * step with the ledger in the transaction that writes it, so that a
 * report by store and reason over ten million rows reads a few thousand
 * summary rows rather than the ledger:
 *   - every row a document, reversal or batch reversal appends
 *     (sums_post, from ledger_append);
 *   - an upload's lines, summed in memory by key as the loader accepts
 *     them and handed on in key order when the held keys fill up and at
 *     the end (sums_batch_*);
 *   - an item's lines again when its unit cost changes (sums_revalue).
 * A line's value is its Diff at the cost in force on its transaction
 * date (rule_value); verify recomputes both tables from the ledger and
 * the item events (verify_reports.c). */
#include <sodium.h>
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

/* Lines held before they are valued and handed on: a loader's rows
 * summed by date, store, item and reason in memory as they are
 * accepted, at most this many keys at a time (72 bytes each with their
 * slots: 9 MiB; a Delta file over 100,000 stores and items, one date
 * and reason, fits, so that each key is written once), and the same
 * without the item. */
#define BATCH_ITEM_LINES (128u * 1024u)
#define BATCH_DAY_LINES (4u * 1024u)

static size_t item_lines_held = BATCH_ITEM_LINES, day_lines_held = BATCH_DAY_LINES;

void sums_set_batch_lines(size_t items, size_t days)
{
	item_lines_held = items ? items : BATCH_ITEM_LINES;
	day_lines_held = days ? days : BATCH_DAY_LINES;
}

typedef struct batch_line {
	int64_t store_id, item_id, reason_id;
	iv_qty added, removed;
	iv_money value; /* report_days' lines: items' are valued when handed on */
	iv_date date;
	uint32_t lines, unvalued; /* a key of more lines is handed on first */
} batch_line;

/* Open addressing over the lines held: a slot is a line's index + 1
 * (0: empty), twice as many slots as lines.  The slot is found by a
 * keyed hash (SipHash, as hmap's) so that no file can be made to pile
 * its keys into one run of slots. */
typedef struct line_table {
	uint32_t *slot;
	size_t nslots; /* a power of two */
	batch_line *v;
	size_t n, cap;
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
} line_table;

struct batch_sums {
	iv_db *db;
	int64_t user_id;
	cost_book book;
	line_table items, days;
	sums_batch_emit emit;
	void *ctx;
};

static bool table_init(line_table *t, size_t cap)
{
	t->n = 0;
	t->cap = cap;
	for (t->nslots = 2; t->nslots < 2 * cap;)
		t->nslots *= 2;
	crypto_shorthash_keygen(t->hash_key);
	return (t->slot = calloc(t->nslots, sizeof *t->slot)) != NULL && (t->v = malloc(cap * sizeof *t->v)) != NULL;
}

static void table_free(line_table *t)
{
	free(t->slot);
	free(t->v);
}

static bool same_key(const batch_line *l, const batch_line *k)
{
	return l->date == k->date && l->store_id == k->store_id && l->item_id == k->item_id &&
	       l->reason_id == k->reason_id;
}

/* The table's line of k's key, a new one of zeros when absent; NULL
 * when the table is full. */
static batch_line *table_line(line_table *t, const batch_line *k)
{
	int64_t words[4] = {k->store_id, k->item_id, k->reason_id, k->date};
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, (const unsigned char *)words, sizeof words, t->hash_key);
	uint64_t at;
	memcpy(&at, h, sizeof at);
	for (at &= t->nslots - 1; t->slot[at]; at = (at + 1) & (t->nslots - 1))
		if (same_key(&t->v[t->slot[at] - 1], k))
			return &t->v[t->slot[at] - 1];
	if (t->n == t->cap)
		return NULL;
	t->v[t->n] = (batch_line){.store_id = k->store_id, .item_id = k->item_id, .reason_id = k->reason_id,
	                          .date = k->date};
	t->slot[at] = (uint32_t)++t->n;
	return &t->v[t->n - 1];
}

static int by_line_key(const void *a, const void *b)
{
	const batch_line *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->store_id != y->store_id)
		return x->store_id < y->store_id ? -1 : 1;
	if (x->item_id != y->item_id)
		return x->item_id < y->item_id ? -1 : 1;
	return (x->reason_id > y->reason_id) - (x->reason_id < y->reason_id);
}

static iv_status nomem(iv_db *db)
{
	return iv_fail(db, IV_E_NOMEM, "out of memory");
}

/* Every line of a table to emit, in the summary's key order (date,
 * store, item, reason: the key's order, the user and cancelled being
 * the same for all), and the table emptied. */
static iv_status table_emit(batch_sums *b, line_table *t, bool items)
{
	if (t->n > 1)
		qsort(t->v, t->n, sizeof *t->v, by_line_key);
	iv_status rc = IV_OK;
	for (size_t k = 0; rc == IV_OK && k < t->n; k++) {
		const batch_line *l = &t->v[k];
		store_report_row r = {
			.store_id = l->store_id,
			.item_id = l->item_id,
			.reason_id = l->reason_id,
			.user_id = b->user_id,
			.lines = l->lines,
			.added = l->added,
			.removed = l->removed,
			.value = l->value,
			.unvalued = l->unvalued,
		};
		date_format(l->date, r.tdate);
		rc = b->emit(b->ctx, items, &r);
	}
	t->n = 0;
	memset(t->slot, 0, t->nslots * sizeof *t->slot);
	return rc;
}

/* A valued line added to its day's (no item) line. */
static iv_status add_to_days(batch_sums *b, const batch_line *l)
{
	batch_line key = {.store_id = l->store_id, .reason_id = l->reason_id, .date = l->date};
	batch_line *d = table_line(&b->days, &key);
	if (!d || UINT32_MAX - d->lines < l->lines) {
		iv_status rc = table_emit(b, &b->days, false);
		if (rc != IV_OK)
			return rc;
		d = table_line(&b->days, &key);
	}
	d->lines += l->lines;
	d->added += l->added;
	d->removed += l->removed;
	d->unvalued += l->unvalued;
	return __builtin_add_overflow(d->value, l->value, &d->value) ? value_fails(b->db) : IV_OK;
}

/* The held item lines valued at the cost in force on their dates (one
 * look-up a key: one item and date have one cost), each added to its
 * day, and emitted. */
static iv_status emit_items(batch_sums *b)
{
	for (size_t k = 0; k < b->items.n; k++) {
		batch_line *l = &b->items.v[k];
		iv_money cost = 0;
		int64_t unvalued;
		bool has = cost_book_at(&b->book, l->item_id, l->date, &cost);
		if (!rule_value(l->lines, l->added - l->removed, has, cost, &l->value, &unvalued))
			return value_fails(b->db);
		l->unvalued = (uint32_t)unvalued; /* 0 or lines */
		iv_status rc = add_to_days(b, l);
		if (rc != IV_OK)
			return rc;
	}
	return table_emit(b, &b->items, true);
}

iv_status sums_batch_start(iv_db *db, int64_t user_id, sums_batch_emit emit, void *ctx, batch_sums **out)
{
	*out = NULL;
	if (store_sums_by_server(db->st))
		return IV_OK; /* the server's trigger sums each row (pg_roles.c) */
	batch_sums *b = calloc(1, sizeof *b);
	if (!b)
		return nomem(db);
	*b = (batch_sums){.db = db, .user_id = user_id, .emit = emit, .ctx = ctx};
	iv_status rc = IV_OK;
	if (!table_init(&b->items, item_lines_held) || !table_init(&b->days, day_lines_held))
		rc = nomem(db);
	else
		rc = cost_book_load(db, &b->book);
	if (rc != IV_OK) {
		sums_batch_free(b);
		return rc;
	}
	*out = b;
	return IV_OK;
}

iv_status sums_batch_add(batch_sums *b, iv_date date, int64_t store_id, int64_t item_id, int64_t reason_id,
                         iv_qty diff)
{
	if (!b)
		return IV_OK;
	batch_line key = {.store_id = store_id, .item_id = item_id, .reason_id = reason_id, .date = date};
	batch_line *l = table_line(&b->items, &key);
	if (!l || l->lines == UINT32_MAX) {
		iv_status rc = emit_items(b);
		if (rc != IV_OK)
			return rc;
		l = table_line(&b->items, &key);
	}
	l->lines++;
	if (diff > 0)
		l->added += diff;
	else
		l->removed -= diff;
	return IV_OK;
}

iv_status sums_batch_finish(batch_sums *b)
{
	if (!b)
		return IV_OK;
	iv_status rc = emit_items(b);
	return rc == IV_OK ? table_emit(b, &b->days, false) : rc;
}

void sums_batch_free(batch_sums *b)
{
	if (!b)
		return;
	table_free(&b->items);
	table_free(&b->days);
	cost_book_free(&b->book);
	free(b);
}
