/* The sums of an upload's posted rows (balances, day totals, the
 * user's day totals), handed to the writer thread in key order, so that
 * SQLite fills each B-tree front to back: a Delta file's by walking the
 * store and item index in id order, each pair's dates sorted among
 * themselves (no record of every pair is collected and sorted); a Sync
 * file's, which keeps no pairs, by sorting the Diffs it holds, a bounded
 * number at a time. */
#include <stdlib.h>
#include <string.h>

#include "engine/upload_internal.h"

/* Where a store's and an item's ids come in id order. */
typedef struct key_ranks {
	uint32_t *store, *item; /* item NULL: an item's index is its rank */
} key_ranks;

static bool ranks_make(const upload_master *m, key_ranks *k)
{
	memset(k, 0, sizeof *k);
	if (!(k->store = malloc((m->nstores ? m->nstores : 1) * sizeof *k->store)))
		return false;
	for (size_t i = 0; i < m->nstores; i++)
		k->store[m->store_by_id[i]] = (uint32_t)i;
	if (!m->item_by_id)
		return true;
	if (!(k->item = malloc(m->nitems * sizeof *k->item)))
		return false;
	for (size_t i = 0; i < m->nitems; i++)
		k->item[m->item_by_id[i]] = (uint32_t)i;
	return true;
}

static void ranks_free(key_ranks *k)
{
	free(k->store);
	free(k->item);
}

static uint64_t key_of(const key_ranks *k, uint32_t store_ix, uint32_t item_ix)
{
	return (uint64_t)k->store[store_ix] << 32 | (k->item ? k->item[item_ix] : item_ix);
}

static iv_status hand(run *r, size_t store_ix, size_t item_ix, iv_date date, iv_qty diff)
{
	store_sum s = {.store_id = r->m.store_v[store_ix].id, .item_id = r->m.item_v[item_ix].id, .diff = diff};
	date_format(date, s.tdate);
	iv_status rc = ledger_writer_sum(r->writer, &s);
	return rc == IV_OK ? IV_OK : IV_E_STORAGE;
}

/* ---- Sync ---- */

typedef struct keyed_sum {
	uint64_t key;
	const sync_sum *s;
} keyed_sum;

static int by_key(const void *a, const void *b)
{
	const keyed_sum *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

static iv_status hand_sync(run *r, const key_ranks *k)
{
	keyed_sum *v = malloc((r->nsync ? r->nsync : 1) * sizeof *v);
	if (!v)
		return iv_fail(r->db, IV_E_NOMEM, "out of memory");
	for (size_t i = 0; i < r->nsync; i++)
		v[i] = (keyed_sum){key_of(k, r->sync_v[i].store_ix, r->sync_v[i].item_ix), &r->sync_v[i]};
	qsort(v, r->nsync, sizeof *v, by_key);
	iv_status rc = IV_OK;
	/* Every Sync row is dated its store's today. */
	for (size_t i = 0; rc == IV_OK && i < r->nsync; i++)
		rc = hand(r, v[i].s->store_ix, v[i].s->item_ix, r->m.store_v[v[i].s->store_ix].today, v[i].s->diff);
	free(v);
	r->nsync = 0;
	return rc;
}

/* ---- Delta ---- */

typedef struct pair_at {
	uint64_t key;
	uint32_t store_ix, item_ix;
	int32_t pair_ix;
} pair_at;

static int by_pair_key(const void *a, const void *b)
{
	const pair_at *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

typedef struct hashed_pairs {
	const key_ranks *k;
	pair_at *v;
	size_t n;
} hashed_pairs;

static void collect_hashed(void *ctx, const void *key, size_t len, int64_t value)
{
	hashed_pairs *h = ctx;
	uint32_t ix[2];
	if (len != sizeof ix)
		return;
	memcpy(ix, key, sizeof ix);
	h->v[h->n++] = (pair_at){key_of(h->k, ix[0], ix[1]), ix[0], ix[1], (int32_t)value};
}

static int by_day(const void *a, const void *b)
{
	const day *x = a, *y = b;
	return (x->date > y->date) - (x->date < y->date);
}

/* One pair's dates, in date order. */
static iv_status hand_pair(run *r, size_t store_ix, size_t item_ix, pair *p, day **scratch, size_t *cap)
{
	if (p->day == PAIR_NO_DAY)
		return IV_OK;
	if (p->more < 0)
		return hand(r, store_ix, item_ix, p->day, p->day_diff);
	size_t n = 0;
	for (int32_t d = p->more; d >= 0; d = r->day_v[d].next)
		n++;
	if (n + 1 > *cap) {
		day *v = realloc(*scratch, (n + 1) * sizeof *v);
		if (!v)
			return iv_fail(r->db, IV_E_NOMEM, "out of memory");
		*scratch = v;
		*cap = n + 1;
	}
	day *v = *scratch;
	n = 0;
	v[n++] = (day){.diff = p->day_diff, .date = p->day};
	for (int32_t d = p->more; d >= 0; d = r->day_v[d].next)
		v[n++] = r->day_v[d];
	qsort(v, n, sizeof *v, by_day);
	iv_status rc = IV_OK;
	for (size_t i = 0; rc == IV_OK && i < n; i++)
		rc = hand(r, store_ix, item_ix, v[i].date, v[i].diff);
	return rc;
}

static iv_status hand_delta(run *r, const key_ranks *k)
{
	/* The pairs of stores too large for the dense index, sorted; the
	 * others by walking it. */
	hashed_pairs h = {k, NULL, 0};
	size_t nh = hmap_count(r->pairs);
	if (nh && !(h.v = malloc(nh * sizeof *h.v)))
		return iv_fail(r->db, IV_E_NOMEM, "out of memory");
	hmap_each(r->pairs, collect_hashed, &h);
	if (h.n > 1)
		qsort(h.v, h.n, sizeof *h.v, by_pair_key);
	day *scratch = NULL;
	size_t cap = 0, next_hashed = 0;
	iv_status rc = IV_OK;
	for (size_t i = 0; rc == IV_OK && i < r->m.nstores; i++) {
		size_t s = r->m.store_by_id[i];
		const int32_t *dense = r->dense[s];
		for (size_t j = 0; dense && rc == IV_OK && j < r->m.nitems; j++) {
			size_t item = r->m.item_by_id ? r->m.item_by_id[j] : j;
			if (dense[item] >= 0)
				rc = hand_pair(r, s, item, &r->pair_v[dense[item]], &scratch, &cap);
		}
		for (; !dense && rc == IV_OK && next_hashed < h.n && h.v[next_hashed].store_ix == s; next_hashed++) {
			const pair_at *a = &h.v[next_hashed];
			rc = hand_pair(r, a->store_ix, a->item_ix, &r->pair_v[a->pair_ix], &scratch, &cap);
		}
	}
	free(scratch);
	free(h.v);
	return rc;
}

/* ---- a Delta file's spill ---- */

static size_t days_held = UPLOAD_DAYS_HELD;

void upload_set_days_held(size_t n)
{
	days_held = n ? n : UPLOAD_DAYS_HELD;
}

size_t upload_days_held(void)
{
	return days_held;
}

pair_spill upload_spill_of(const run *r, size_t pair_ix)
{
	return pair_ix < r->nspill ? r->spill_v[pair_ix] : (pair_spill){0, 0};
}

/* Every pair's dates so far to the writer, in key order, then into its
 * spill; the pairs keep their Net Available and start again from no
 * date. */
iv_status upload_sums_spill(run *r)
{
	iv_status rc = upload_fold_user_days(r);
	if (rc == IV_OK)
		rc = upload_sums_hand_over(r);
	if (rc != IV_OK)
		return rc;
	if (r->npairs > r->nspill) {
		pair_spill *v = realloc(r->spill_v, r->npairs * sizeof *v);
		if (!v)
			return r->fatal = iv_fail(r->db, IV_E_NOMEM, "out of memory");
		memset(v + r->nspill, 0, (r->npairs - r->nspill) * sizeof *v);
		r->spill_v = v;
		r->nspill = r->npairs;
	}
	for (size_t i = 0; i < r->npairs; i++) {
		pair *p = &r->pair_v[i];
		if (p->day == PAIR_NO_DAY)
			continue;
		pair_spill *sp = &r->spill_v[i];
		sp->total += p->day_diff;
		sp->negative += p->day_diff < 0 ? p->day_diff : 0;
		for (int32_t d = p->more; d >= 0; d = r->day_v[d].next) {
			sp->total += r->day_v[d].diff;
			sp->negative += r->day_v[d].diff < 0 ? r->day_v[d].diff : 0;
		}
		p->day = PAIR_NO_DAY;
		p->day_diff = 0;
		p->more = -1;
	}
	r->ndays = 0;
	r->spilled = true;
	return IV_OK;
}

iv_status upload_sums_hand_over(run *r)
{
	key_ranks k;
	iv_status rc = ranks_make(&r->m, &k) ? IV_OK : iv_fail(r->db, IV_E_NOMEM, "out of memory");
	if (rc == IV_OK)
		rc = r->o->rule == IV_RULE_SYNC ? hand_sync(r, &k) : hand_delta(r, &k);
	ranks_free(&k);
	if (rc != IV_OK)
		r->fatal = rc; /* a writer's failure gets its sentence when it is stopped */
	return rc;
}
