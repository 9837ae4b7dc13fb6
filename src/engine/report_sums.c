/* The report summaries, report_items and report_days (store.h), kept in
 * step with the ledger in the transaction that writes it, so that a
 * report by store and reason over ten million rows reads a few thousand
 * summary rows rather than the ledger:
 *   - every row a document, reversal or batch reversal appends
 *     (sums_post, from ledger_append);
 *   - an upload's lines, summed in memory by key as the loader accepts
 *     them (by the database from its rows when they are too many) and
 *     written once at its end in key order (sums_batch_*);
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

/* Keys an upload sums in memory (48 bytes each, 56 with their slots:
 * 7 MiB): a Delta file over 100,000 stores and items on one day and
 * reason fits; a file of more keys (a back-dated one over many days, a
 * Sync file over many stores) is summed by the database at the end, which
 * writes each page of report_items once where keys handed on in pieces
 * would pass over the whole table again with each piece. */
#define BATCH_ITEM_LINES (128u * 1024u)
/* report_items' rows handed to the store at once. */
#define BATCH_ROWS_OUT 256u

static size_t item_lines_held = BATCH_ITEM_LINES;

void sums_set_batch_lines(size_t items)
{
	item_lines_held = items ? items : BATCH_ITEM_LINES;
}

/* A key's sums so far. */
typedef struct batch_line {
	int64_t store_id, item_id, reason_id;
	iv_qty added, removed;
	iv_date date;
	uint32_t lines; /* a key of more lines sends the upload to the database's sums */
} batch_line;

/* Open addressing over the lines held: a slot is a line's index + 1
 * (0: empty), at least twice as many slots as lines.  The slot is found
 * by a keyed hash (SipHash, as hmap's) so that no file can pile its keys
 * into one run of slots. */
typedef struct line_table {
	uint32_t *slot;
	size_t nslots; /* a power of two */
	batch_line *v;
	size_t n, cap;
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
} line_table;

/* The lines on their way to the summaries, in key order (date, store,
 * item, reason: the user and cancelled are the same for all): each
 * valued and added to report_items, a few rows at a time; report_days'
 * rows of one date and store (one per reason: a few) gathered until the
 * next. */
struct batch_sums {
	iv_db *db;
	int64_t user_id;
	cost_book book;
	line_table held;
	bool overflowed; /* more keys than held: the database sums them */
	store_report_row out[BATCH_ROWS_OUT];
	size_t nout;
	store_report_row *day_v;
	size_t nday, day_cap;
	iv_status rc;
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
	memset(t, 0, sizeof *t);
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
	for (at &= t->nslots - 1; t->slot[at]; at = (at + 1) & (t->nslots - 1)) {
		batch_line *l = &t->v[t->slot[at] - 1];
		if (l->date == k->date && l->store_id == k->store_id && l->item_id == k->item_id &&
		    l->reason_id == k->reason_id)
			return l;
	}
	if (t->n == t->cap)
		return NULL;
	t->v[t->n] = *k;
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

static int by_reason(const void *a, const void *b)
{
	const store_report_row *x = a, *y = b;
	return (x->reason_id > y->reason_id) - (x->reason_id < y->reason_id);
}

static iv_status write_items(batch_sums *b)
{
	iv_status rc = store_report_add_many(b->db->st, true, b->out, b->nout);
	b->nout = 0;
	return rc == IV_OK ? IV_OK : iv_fail_store(b->db, rc);
}

static iv_status write_days(batch_sums *b)
{
	if (b->nday > 1)
		qsort(b->day_v, b->nday, sizeof *b->day_v, by_reason); /* the key's order */
	iv_status rc = store_report_add_many(b->db->st, false, b->day_v, b->nday);
	b->nday = 0;
	return rc == IV_OK ? IV_OK : iv_fail_store(b->db, rc);
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
	b->out[b->nout++] = r;
	if (b->nout == BATCH_ROWS_OUT && (b->rc = write_items(b)) != IV_OK)
		return false;
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

/* The lines held, in key order. */
static iv_status add_held(batch_sums *b)
{
	line_table *t = &b->held;
	if (t->n > 1)
		qsort(t->v, t->n, sizeof *t->v, by_line_key);
	for (size_t k = 0; k < t->n; k++) {
		const batch_line *l = &t->v[k];
		store_report_row r = {.store_id = l->store_id, .item_id = l->item_id, .reason_id = l->reason_id,
		                      .lines = l->lines, .added = l->added, .removed = l->removed};
		date_format(l->date, r.tdate);
		if (!add_line(b, &r))
			return b->rc;
	}
	return IV_OK;
}

iv_status sums_batch_start(iv_db *db, int64_t user_id, batch_sums **out)
{
	*out = NULL;
	if (store_sums_by_server(db->st))
		return IV_OK; /* the server's trigger sums each row (pg_roles.c) */
	batch_sums *b = calloc(1, sizeof *b);
	if (!b)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	b->db = db;
	b->user_id = user_id;
	b->rc = IV_OK;
	iv_status rc = table_init(&b->held, item_lines_held) ? IV_OK : iv_fail(db, IV_E_NOMEM, "out of memory");
	if (rc == IV_OK)
		rc = cost_book_load(db, &b->book);
	if (rc != IV_OK) {
		sums_batch_free(b);
		return rc;
	}
	*out = b;
	return IV_OK;
}

void sums_batch_add(batch_sums *b, iv_date date, int64_t store_id, int64_t item_id, int64_t reason_id,
                    iv_qty diff)
{
	if (!b || b->overflowed)
		return;
	batch_line key = {.store_id = store_id, .item_id = item_id, .reason_id = reason_id, .date = date};
	batch_line *l = table_line(&b->held, &key);
	if (!l || l->lines == UINT32_MAX) {
		b->overflowed = true;
		table_free(&b->held); /* the database sums the rows at the end */
		return;
	}
	l->lines++;
	if (diff > 0)
		l->added += diff;
	else
		l->removed -= diff;
}

iv_status sums_batch_finish(batch_sums *b, int64_t batch_id)
{
	if (!b)
		return IV_OK;
	iv_status rc;
	if (!b->overflowed) {
		rc = add_held(b);
	} else {
		/* SQLite's sorter keeps as much in memory as the page cache may
		 * hold before it spills to temporary files: the store sorts in a
		 * small cache (sqlite_batch_lines). */
		rc = store_batch_lines(b->db->st, batch_id, add_line, b);
		if (b->rc != IV_OK)
			rc = b->rc;
		else if (rc != IV_OK)
			rc = iv_fail_store(b->db, rc);
	}
	if (rc == IV_OK)
		rc = write_items(b);
	if (rc == IV_OK)
		rc = write_days(b);
	return rc;
}

void sums_batch_free(batch_sums *b)
{
	if (!b)
		return;
	table_free(&b->held);
	cost_book_free(&b->book);
	free(b->day_v);
	free(b);
}
