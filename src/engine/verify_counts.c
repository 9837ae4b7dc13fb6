/* verify, the counts: each posted count's rows are exactly what its
 * scans make them, recomputed from the rows alone.  For every store,
 * its posted counts in the order they started: the store's chain is
 * summed item by item up to each count's start (one pass over the
 * chain, a stretch at a time, memory one sum per item), which is Net
 * Available at that moment; an item recounted later adds its own rows
 * up to the recount.  Counted comes from the scans by the rule posting
 * used (rule_counted_add), so Diff = Counted - that Net Available, and
 * the count's batch must hold exactly those Diffs, one row per item,
 * dated the count's day and posted by whoever ended the count.  And
 * every batch of rule "count" belongs to a posted count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/count_internal.h"
#include "engine/verify.h"
#include "invadj/hmap.h"

/* What verify needs of a posted count. */
typedef struct posted {
	int64_t id, store_id, start_seq, batch_id, end_user;
	iv_count_scope scope;
	bool zero_uncounted;
	char count_day[IV_DATE_ISO_LEN];
} posted;

typedef struct counts_walk {
	iv_db *db;
	const master_book *b;
	posted *v;
	size_t n, cap;
	hmap *at_start; /* item id -> Net Available at the current count's start (the store's chain summed) */
	hmap *claimed;  /* batch ids that a count's end names */
	iv_status status;
} counts_walk;

static bool nomem(counts_walk *w)
{
	w->status = iv_fail(w->db, IV_E_NOMEM, "out of memory");
	return false;
}

static bool fault(counts_walk *w, const posted *p, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool fault(counts_walk *w, const posted *p, const char *fmt, ...)
{
	char why[IV_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	w->status = iv_fail(w->db, IV_E_CORRUPT, "count %lld at store %s: %s", (long long)p->id,
	                    book_key(w->b, STORE_T_STORES, p->store_id), why);
	return false;
}

static bool collect(void *ctx, const store_count *c)
{
	counts_walk *w = ctx;
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;
		posted *v = realloc(w->v, cap * sizeof *v);
		if (!v)
			return nomem(w);
		w->v = v;
		w->cap = cap;
	}
	posted *p = &w->v[w->n++];
	*p = (posted){c->id, c->store_id, c->start_seq, c->batch_id, c->end_user_id, c->scope, c->zero_uncounted, ""};
	snprintf(p->count_day, sizeof p->count_day, "%s", c->count_day);
	if (c->batch_id && !hmap_put(w->claimed, &c->batch_id, sizeof c->batch_id, c->id, NULL))
		return nomem(w);
	return true;
}

static int by_store_and_start(const void *a, const void *b)
{
	const posted *x = a, *y = b;
	if (x->store_id != y->store_id)
		return x->store_id < y->store_id ? -1 : 1;
	if (x->start_seq != y->start_seq)
		return x->start_seq < y->start_seq ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static bool add_sum(void *ctx, int64_t item_id, iv_qty sum)
{
	counts_walk *w = ctx;
	int64_t *v = hmap_put(w->at_start, &item_id, sizeof item_id, 0, NULL);
	if (!v)
		return nomem(w);
	*v += sum;
	return true;
}

/* ---- one count ---- */

/* One item of the count: what its scans make of it, and what its batch
 * rows posted. */
typedef struct item_check {
	int64_t item_id;
	rule_counted counted;
	bool scanned, listed;
	iv_qty posted;
	size_t rows;
} item_check;

typedef struct count_check {
	counts_walk *w;
	const posted *p;
	item_check *v;
	size_t n, cap;
	hmap *index;  /* item id -> index in v */
	hmap *scans;  /* scan id -> item id, for undos */
	iv_status status;
} count_check;

static item_check *item_of(count_check *k, int64_t item_id)
{
	int created;
	int64_t *ix = hmap_put(k->index, &item_id, sizeof item_id, (int64_t)k->n, &created);
	if (!ix)
		return NULL;
	if (!created)
		return &k->v[*ix];
	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 64;
		item_check *v = realloc(k->v, cap * sizeof *v);
		if (!v)
			return NULL;
		k->v = v;
		k->cap = cap;
	}
	item_check *it = &k->v[k->n++];
	memset(it, 0, sizeof *it);
	it->item_id = item_id;
	rule_counted_start(&it->counted, k->p->start_seq);
	return it;
}

static bool check_fault(count_check *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool check_fault(count_check *k, const char *fmt, ...)
{
	char why[IV_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	fault(k->w, k->p, "%s", why);
	k->status = k->w->status;
	return false;
}

static bool on_scan(void *ctx, const store_count_scan *s)
{
	count_check *k = ctx;
	/* (A scan's time is not held to the count's: a clock set back
	 * during a count would make a good scan look early.  The triggers
	 * keep scans out of a count that ended.) */
	const char *item = book_key(k->w->b, STORE_T_ITEMS, s->item_id);
	if (s->kind == IV_SCAN_SET && s->seq < k->p->start_seq)
		return check_fault(k, "scan %lld recounts item %s as of place %lld of the chain, before the count "
		                      "started (%lld)",
		                   (long long)s->id, item, (long long)s->seq, (long long)k->p->start_seq);
	if (s->kind == IV_SCAN_UNDO) {
		int64_t *of = hmap_get(k->scans, &s->undoes, sizeof s->undoes);
		if (!of || *of != s->item_id)
			return check_fault(k, "scan %lld undoes scan %lld, which is no earlier scan of item %s in the count",
			                   (long long)s->id, (long long)s->undoes, item);
	} else if (!hmap_put(k->scans, &s->id, sizeof s->id, s->item_id, NULL)) {
		k->status = IV_E_NOMEM;
		return false;
	}
	item_check *it = item_of(k, s->item_id);
	if (!it) {
		k->status = IV_E_NOMEM;
		return false;
	}
	it->scanned = true;
	rule_scan r = {s->kind, s->qty, s->seq, s->undone};
	rule_counted_add(&it->counted, &r);
	return true;
}

static bool on_listed(void *ctx, int64_t item_id, const char *number, const char *description, iv_qty qty)
{
	(void)number, (void)description, (void)qty;
	count_check *k = ctx;
	item_check *it = item_of(k, item_id);
	if (!it) {
		k->status = IV_E_NOMEM;
		return false;
	}
	it->listed = true;
	return true;
}

static bool on_row(void *ctx, const store_ledger_rec *r)
{
	count_check *k = ctx;
	char memo[32];
	snprintf(memo, sizeof memo, "count %lld", (long long)k->p->id);
	if (r->store_id != k->p->store_id || strcmp(r->tdate, k->p->count_day) != 0 || strcmp(r->memo, memo) != 0 ||
	    r->user_id != k->p->end_user || r->reverses)
		return check_fault(k, "ledger row #%lld of its batch %lld is not a row of the count (its store, "
		                      "date %s, memo, user or reversal)",
		                   (long long)r->id, (long long)k->p->batch_id, r->tdate);
	item_check *it = item_of(k, r->item_id);
	if (!it) {
		k->status = IV_E_NOMEM;
		return false;
	}
	it->posted += r->diff;
	it->rows++;
	return true;
}

/* Net Available of the item at its moment: at the count's start, or
 * at its recount (the item's own rows in between added). */
static iv_status moment_balance(count_check *k, const item_check *it, iv_qty *out)
{
	const int64_t *sum = hmap_get(k->w->at_start, &it->item_id, sizeof it->item_id);
	*out = sum ? *sum : 0;
	if (!it->counted.recounted || it->counted.moment == k->p->start_seq)
		return IV_OK;
	store *st = k->w->db->st;
	store_chain_pos from = {0}, to = {0};
	iv_qty after_start, after_moment;
	iv_status rc = k->p->start_seq > 0 ? store_chain_row(st, k->p->store_id, k->p->start_seq, &from) : IV_OK;
	if (rc == IV_OK && it->counted.moment > 0)
		rc = store_chain_row(st, k->p->store_id, it->counted.moment, &to);
	if (rc == IV_OK)
		rc = store_item_moved_after(st, k->p->store_id, it->item_id, from.id, &after_start);
	if (rc == IV_OK)
		rc = store_item_moved_after(st, k->p->store_id, it->item_id, to.id, &after_moment);
	if (rc == IV_OK)
		*out += after_start - after_moment;
	return rc;
}

/* Every item a zeroing count covers that nobody counted: for all
 * items, each with stock at the start. */
static void add_uncounted(void *ctx, const void *key, size_t len, int64_t value)
{
	count_check *k = ctx;
	int64_t item_id;
	if (k->status != IV_OK || len != sizeof item_id || value == 0)
		return;
	memcpy(&item_id, key, sizeof item_id);
	if (!item_of(k, item_id))
		k->status = IV_E_NOMEM;
}

static bool compare(count_check *k)
{
	const posted *p = k->p;
	for (size_t i = 0; i < k->n; i++) {
		item_check *it = &k->v[i];
		const char *item = book_key(k->w->b, STORE_T_ITEMS, it->item_id);
		iv_qty at;
		iv_status rc = moment_balance(k, it, &at);
		if (rc != IV_OK) {
			if (rc == IV_E_NOT_FOUND)
				return check_fault(k, "item %s was recounted as of place %lld of the chain, which it "
				                      "does not have",
				                   item, (long long)it->counted.moment);
			k->status = iv_fail_store(k->w->db, rc);
			return false;
		}
		bool in_scope = p->scope == IV_COUNT_ALL || (p->scope == IV_COUNT_ITEMS && it->listed);
		iv_qty want = it->counted.counted ? rule_count_diff(it->counted.qty, at)
		              : p->zero_uncounted && in_scope ? rule_count_diff(0, at) : 0;
		if (it->rows > 1)
			return check_fault(k, "its batch %lld has %zu rows of item %s; a count posts one", (long long)p->batch_id,
			                   it->rows, item);
		if (it->posted != want)
			return check_fault(k,
			                   "item %s: its scans count %lld%s against %lld on hand at %s, a Diff of %lld, "
			                   "but its batch posted %lld",
			                   item, (long long)(it->counted.counted ? it->counted.qty : 0),
			                   it->counted.counted ? "" : " (not counted)", (long long)at,
			                   it->counted.recounted ? "its recount" : "the start", (long long)want,
			                   (long long)it->posted);
	}
	return true;
}

static bool check_count(counts_walk *w, const posted *p)
{
	count_check k = {.w = w, .p = p, .status = IV_OK};
	k.index = hmap_new();
	k.scans = hmap_new();
	iv_status rc = k.index && k.scans ? IV_OK : IV_E_NOMEM;
	if (rc == IV_OK)
		rc = store_count_scans(w->db->st, p->id, 0, on_scan, &k);
	if (rc == IV_OK && k.status == IV_OK && p->scope == IV_COUNT_ITEMS)
		rc = store_count_list_items(w->db->st, p->id, on_listed, &k);
	if (rc == IV_OK && k.status == IV_OK && p->scope == IV_COUNT_ALL && p->zero_uncounted)
		hmap_each(w->at_start, add_uncounted, &k);
	if (rc == IV_OK && k.status == IV_OK && p->batch_id)
		rc = store_ledger_each_in_batch(w->db->st, p->batch_id, on_row, &k);
	if (rc == IV_OK && k.status == IV_OK)
		compare(&k);
	if (rc != IV_OK)
		w->status = rc == IV_E_NOMEM ? iv_fail(w->db, rc, "out of memory") : iv_fail_store(w->db, rc);
	else if (k.status == IV_E_NOMEM)
		w->status = iv_fail(w->db, IV_E_NOMEM, "out of memory");
	hmap_free(k.index);
	hmap_free(k.scans);
	free(k.v);
	return w->status == IV_OK;
}

/* The batch a count posted: of rule "count", by whoever ended it. */
static bool check_batch(counts_walk *w, const posted *p)
{
	if (!p->batch_id)
		return true;
	const version *bv = entity_latest(book_entity(w->b, STORE_T_BATCHES, p->batch_id));
	if (!bv)
		return fault(w, p, "its batch %lld has no event", (long long)p->batch_id);
	if (strcmp(bv->field[2], "count") != 0 || strtoll(bv->field[3], NULL, 10) != p->end_user)
		return fault(w, p, "its batch %lld is not a count's batch posted by whoever posted the count",
		             (long long)p->batch_id);
	return true;
}

/* Every batch of rule count is a posted count's. */
static bool check_unclaimed(counts_walk *w)
{
	const timeline *tl = &w->b->kind[STORE_T_BATCHES];
	for (size_t k = 0; k < tl->n; k++) {
		const version *bv = entity_latest(&tl->e[k]);
		int64_t id = tl->e[k].id;
		if (bv && strcmp(bv->field[2], "count") == 0 && !hmap_get(w->claimed, &id, sizeof id)) {
			w->status = iv_fail(w->db, IV_E_CORRUPT,
			                    "batch %lld is a count's batch, but no posted count names it", (long long)id);
			return false;
		}
	}
	return true;
}

iv_status verify_counts(iv_db *db, const master_book *book, uint64_t *posted_counts)
{
	counts_walk w = {.db = db, .b = book, .status = IV_OK};
	*posted_counts = 0;
	if (!(w.claimed = hmap_new()))
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	store_count_filter f = {.posted_oldest_first = true};
	iv_status rc = store_count_each(db->st, &f, collect, &w);
	if (rc != IV_OK)
		w.status = iv_fail_store(db, rc);
	if (w.status == IV_OK && w.n > 1)
		qsort(w.v, w.n, sizeof *w.v, by_store_and_start);
	int64_t store_id = 0, summed_to = 0;
	for (size_t k = 0; w.status == IV_OK && k < w.n; k++) {
		const posted *p = &w.v[k];
		if (!w.at_start || p->store_id != store_id) {
			hmap_free(w.at_start);
			if (!(w.at_start = hmap_new())) {
				nomem(&w);
				break;
			}
			store_id = p->store_id;
			summed_to = 0;
		}
		/* the store's chain up to this count's start */
		if (p->start_seq > summed_to &&
		    (rc = store_chain_sums(db->st, store_id, summed_to, p->start_seq, add_sum, &w)) != IV_OK) {
			w.status = iv_fail_store(db, rc);
			break;
		}
		summed_to = p->start_seq > summed_to ? p->start_seq : summed_to;
		if (w.status != IV_OK || !check_batch(&w, p) || !check_count(&w, p))
			break;
		(*posted_counts)++;
	}
	if (w.status == IV_OK)
		check_unclaimed(&w);
	hmap_free(w.at_start);
	hmap_free(w.claimed);
	free(w.v);
	return w.status;
}
