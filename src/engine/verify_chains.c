/* verify, the first pass over the ledger: every row in id order, each
 * store's chain kept apart (its place, its hash over the names its ids
 * stood for, its times), and the rules a row meets on its own: its
 * date, its item number as posted, its author and approver as they
 * were when it was saved, a reversal's original, its upload batch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/verify.h"

typedef struct store_chain {
	int64_t store_id;
	entity *store;    /* its events; NULL: none */
	int64_t seq, last_id;
	char recorded_at[32];
	unsigned char hash[STORE_HASH_LEN];
	size_t boundary;  /* the next store version whose first rows are to be found */
} store_chain;

typedef struct batch_tally {
	int64_t id;
	uint64_t rows;
	int64_t min_id, max_id;
} batch_tally;

typedef struct chains_walk {
	iv_db *db;
	master_book *b;
	hmap *chain_index;
	store_chain *chains;
	size_t n, cap;
	hmap *batch_index;
	batch_tally *batches;
	size_t nb, capb;
	unsigned char v1_prev[STORE_HASH_LEN];
	int64_t v1_expect;
	bool v2_seen;
	uint64_t rows;
	iv_status status;
} chains_walk;

static bool row_fault(chains_walk *w, const store_ledger_rec *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool row_fault(chains_walk *w, const store_ledger_rec *r, const char *fmt, ...)
{
	char why[IV_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	const char *code = book_key(w->b, STORE_T_STORES, r->store_id);
	char chain[64];
	if (*code)
		snprintf(chain, sizeof chain, "store %.40s", code);
	else
		snprintf(chain, sizeof chain, "store #%lld", (long long)r->store_id);
	w->status = iv_fail(w->db, IV_E_CORRUPT, "%s, ledger row #%lld (seq %lld): %s", chain,
	                    (long long)r->id, (long long)r->seq, why);
	return false;
}

static store_chain *chain_of(chains_walk *w, int64_t store_id)
{
	int created;
	int64_t *ix = hmap_put(w->chain_index, &store_id, sizeof store_id, (int64_t)w->n, &created);
	if (!ix)
		return NULL;
	if (!created)
		return &w->chains[*ix];
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 16;
		store_chain *v = realloc(w->chains, cap * sizeof *v);
		if (!v)
			return NULL;
		w->chains = v;
		w->cap = cap;
	}
	store_chain *c = &w->chains[w->n++];
	memset(c, 0, sizeof *c);
	c->store_id = store_id;
	c->store = book_find(w->b, STORE_T_STORES, store_id);
	return c;
}

static batch_tally *tally_of(chains_walk *w, int64_t batch)
{
	int created;
	int64_t *ix = hmap_put(w->batch_index, &batch, sizeof batch, (int64_t)w->nb, &created);
	if (!ix)
		return NULL;
	if (!created)
		return &w->batches[*ix];
	if (w->nb == w->capb) {
		size_t cap = w->capb ? 2 * w->capb : 16;
		batch_tally *v = realloc(w->batches, cap * sizeof *v);
		if (!v)
			return NULL;
		w->batches = v;
		w->capb = cap;
	}
	batch_tally *t = &w->batches[w->nb++];
	*t = (batch_tally){batch, 0, INT64_MAX, 0};
	return t;
}

/* Marks where the store's later states begin in its chain (verify_pairs
 * reads them by row id instead of by time). */
static void mark_versions(store_chain *c, int64_t id, const char *recorded_at)
{
	for (; c->store && c->boundary < c->store->n; c->boundary++) {
		version *v = &c->store->v[c->boundary];
		int cmp = strcmp(recorded_at, v->recorded_at);
		if (cmp >= 0 && v->first_id_at == INT64_MAX)
			v->first_id_at = id;
		if (cmp > 0 && v->first_id_after == INT64_MAX)
			v->first_id_after = id;
		if (v->first_id_after == INT64_MAX)
			break;
	}
}

/* Up to USER_SPAN states of user id a row recorded at `when` may have
 * met (entity_span); the first is the latest. */
#define USER_SPAN 8
static size_t user_then(const master_book *b, int64_t id, const char *when, rule_user out[USER_SPAN])
{
	size_t n;
	const version *v = entity_span(book_entity(b, STORE_T_USERS, id), when, &n);
	if (n > USER_SPAN) { /* keep the latest ones */
		v += n - USER_SPAN;
		n = USER_SPAN;
	}
	for (size_t k = 0; k < n; k++)
		book_rule_user(&v[n - 1 - k], id, &out[k]);
	if (!n)
		book_rule_user(NULL, id, &out[0]);
	return n;
}

/* What a version-2 row says about its master data, as it was then.
 * Where a change has the row's very millisecond, either state passes. */
static bool check_refs(chains_walk *w, const store_ledger_rec *r, row_names *names)
{
	const master_book *b = w->b;
	const char *when = r->recorded_at;
	if (!entity_at(book_entity(b, STORE_T_STORES, r->store_id), when, false))
		return row_fault(w, r, "store #%lld did not exist when it was recorded (%s)",
		                 (long long)r->store_id, when);
	size_t ni;
	const version *iv = entity_span(book_entity(b, STORE_T_ITEMS, r->item_id), when, &ni);
	if (!ni)
		return row_fault(w, r, "item #%lld did not exist when it was recorded", (long long)r->item_id);
	bool numbered = false;
	for (size_t k = 0; k < ni && !numbered; k++)
		numbered = strcmp(iv[k].field[0], r->item_number) == 0;
	if (!numbered)
		return row_fault(w, r, "it was posted under item number \"%s\", but item #%lld was "
		                       "numbered \"%s\" then",
		                 r->item_number, (long long)r->item_id, iv[ni - 1].field[0]);
	if (!entity_at(book_entity(b, STORE_T_REASONS, r->reason_id), when, false))
		return row_fault(w, r, "reason #%lld did not exist when it was recorded", (long long)r->reason_id);
	rule_user author[USER_SPAN];
	size_t na = user_then(b, r->user_id, when, author);
	bool may = false;
	for (size_t k = 0; k < na && !may; k++)
		may = rule_may(&author[k], RULE_POST);
	if (!may)
		return row_fault(w, r, "it was entered by %s (user #%lld), who %s then",
		                 *book_key(b, STORE_T_USERS, r->user_id) ? book_key(b, STORE_T_USERS, r->user_id) : "?",
		                 (long long)r->user_id, author[0].known ? "was disabled" : "was not a user");
	if (r->approved_by) {
		rule_user by[USER_SPAN];
		size_t nb = user_then(b, r->approved_by, when, by);
		bool ok = false;
		for (size_t k = 0; k < na && !ok; k++)
			for (size_t j = 0; j < nb && !ok; j++)
				ok = rule_may(&author[k], RULE_POST) && rule_approver(&author[k], &by[j]) == RULE_APPROVAL_OK;
		if (!ok)
			return row_fault(w, r, "approved by %s (user #%lld): %s",
			                 *book_key(b, STORE_T_USERS, r->approved_by) ? book_key(b, STORE_T_USERS, r->approved_by) : "?",
			                 (long long)r->approved_by, rule_approval_text(rule_approver(&author[0], &by[0])));
	}
	names->store_code = book_key(b, STORE_T_STORES, r->store_id);
	names->reason_code = book_key(b, STORE_T_REASONS, r->reason_id);
	names->user_name = book_key(b, STORE_T_USERS, r->user_id);
	names->approver_name = r->approved_by ? book_key(b, STORE_T_USERS, r->approved_by) : "";
	return true;
}

/* The rules of a reversal and of an upload batch, for rows of any
 * version (invadj has always kept them). */
static bool check_links(chains_walk *w, const store_audit_row *a)
{
	const store_ledger_rec *r = &a->rec;
	if (r->document <= 0 || r->document > r->id)
		return row_fault(w, r, "its document number %lld is not an earlier row", (long long)r->document);
	if (r->reverses) {
		if (!r->approved_by)
			return row_fault(w, r, "it reverses #%lld, and nobody approved it", (long long)r->reverses);
		rule_rev_row orig = {r->reverses, a->orig_store_id, a->orig_item_id, a->orig_reverses, a->orig_diff};
		rule_rev_row rev = {r->id, r->store_id, r->item_id, r->reverses, r->diff};
		switch (rule_reverse(a->orig_found ? &orig : NULL, false, &rev)) {
		case RULE_REVERSAL_OK: break;
		case RULE_REVERSAL_MISSING:
			return row_fault(w, r, "it reverses #%lld, which does not exist", (long long)r->reverses);
		case RULE_REVERSAL_OF_REVERSAL:
			return row_fault(w, r, "it reverses #%lld, itself a reversal", (long long)r->reverses);
		case RULE_REVERSAL_NOT_EARLIER:
			return row_fault(w, r, "it reverses #%lld, a later row", (long long)r->reverses);
		case RULE_REVERSAL_TWICE:
		case RULE_REVERSAL_NOT_MIRROR:
			return row_fault(w, r, "it claims to reverse #%lld but does not mirror it (a reversal has "
			                       "its store and item and the opposite Diff, %lld)",
			                 (long long)r->reverses, (long long)-a->orig_diff);
		}
	}
	if (r->batch_id) {
		const version *bv = entity_latest(book_entity(w->b, STORE_T_BATCHES, r->batch_id));
		if (!bv)
			return row_fault(w, r, "it names upload batch %lld, which has no event", (long long)r->batch_id);
		if (strtoll(bv->field[3], NULL, 10) != r->user_id)
			return row_fault(w, r, "it is in batch %lld, which another user posted", (long long)r->batch_id);
		if (strcmp(bv->field[2], "reversal") == 0 && !r->reverses)
			return row_fault(w, r, "it is in batch %lld, a batch reversal, but reverses no row",
			                 (long long)r->batch_id);
		batch_tally *t = tally_of(w, r->batch_id);
		if (!t) {
			w->status = iv_fail(w->db, IV_E_NOMEM, "out of memory");
			return false;
		}
		t->rows++;
		if (r->id < t->min_id)
			t->min_id = r->id;
		if (r->id > t->max_id)
			t->max_id = r->id;
	}
	return true;
}

/* The transaction date is not after the day the row was recorded, in
 * its store's zone at the time.  Zones are within a day of UTC, so
 * only a date from the UTC day before on needs the zone (one look-up a
 * quarter of an hour, clock.c). */
static bool date_recorded_ok(chains_walk *w, store_chain *c, const store_ledger_rec *r, iv_date tdate)
{
	char utc[IV_DATE_ISO_LEN];
	snprintf(utc, sizeof utc, "%.10s", r->recorded_at); /* a valid time: checked before */
	iv_date utc_day;
	if (rule_tdate_valid(utc, &utc_day) && tdate < utc_day)
		return true;
	const version *sv = entity_at(c->store, r->recorded_at, false);
	iv_date day;
	iv_status rc = iv_recorded_day(w->db, sv ? sv->field[4] : "", r->recorded_at, &day);
	if (rc != IV_OK) {
		w->status = rc;
		return false;
	}
	if (!rule_date_ok(tdate, day))
		return row_fault(w, r, "dated %s, after the day it was recorded (%s)", r->tdate,
		                 r->recorded_at);
	return true;
}

static bool on_row(void *ctx, const store_audit_row *a)
{
	chains_walk *w = ctx;
	const store_ledger_rec *r = &a->rec;
	if (r->overlong)
		return row_fault(w, r, "its transaction date, time, memo or item number is cut or holds a "
		                       "NUL byte: not as invadj writes it (\"%s\")",
		                 r->tdate);
	store_chain *c = chain_of(w, r->store_id);
	if (!c) {
		w->status = iv_fail(w->db, IV_E_NOMEM, "out of memory");
		return false;
	}
	if (r->seq != c->seq + 1)
		return row_fault(w, r,
		                 r->seq > c->seq + 1 ? "the chain's row %lld is missing before it: rows were removed"
		                                     : "the chain's place %lld is taken twice: a row was inserted",
		                 (long long)(r->seq > c->seq + 1 ? c->seq + 1 : r->seq));
	if (r->id <= c->last_id)
		return row_fault(w, r, "its id is not above the chain's row before it (#%lld)", (long long)c->last_id);
	if (r->diff == 0 || r->diff > IV_QTY_LIMIT || r->diff < -IV_QTY_LIMIT)
		return row_fault(w, r, "its Diff %lld is not one invadj takes", (long long)r->diff);
	unsigned char h[STORE_HASH_LEN];
	if (r->hash_version == 1) {
		/* Rows from before schema 4: one chain over all of them, in id
		 * order, all before the first version-2 row. */
		if (w->v2_seen)
			return row_fault(w, r, "a version-1 row after version-2 rows: rows were forged");
		if (r->id != w->v1_expect)
			return row_fault(w, r, "version-1 row #%lld is missing before it: rows were removed",
			                 (long long)w->v1_expect);
		canon_row_hash(w->v1_prev, r, NULL, h);
		if (memcmp(h, r->hash, STORE_HASH_LEN) != 0)
			return row_fault(w, r, "it does not match its hash (version 1): it was altered, inserted, "
			                       "or the row before it removed");
		memcpy(w->v1_prev, h, STORE_HASH_LEN);
		w->v1_expect++;
	} else if (r->hash_version == 2) {
		w->v2_seen = true;
		iv_date tdate;
		if (!rule_tdate_valid(r->tdate, &tdate))
			return row_fault(w, r, "its transaction date \"%s\" is not a date", r->tdate);
		if (!rule_recorded_at_valid(r->recorded_at))
			return row_fault(w, r, "its recorded time \"%s\" is not a time as invadj records it",
			                 r->recorded_at);
		if (!rule_in_order(c->recorded_at, r->recorded_at))
			return row_fault(w, r, "recorded at %s, before the chain's row before it (%s)",
			                 r->recorded_at, c->recorded_at);
		if (!date_recorded_ok(w, c, r, tdate))
			return false;
		row_names names;
		if (!check_refs(w, r, &names))
			return false;
		canon_row_hash(c->hash, r, &names, h);
		if (memcmp(h, r->hash, STORE_HASH_LEN) != 0)
			return row_fault(w, r, "it does not match its hash: it was altered, inserted, or the "
			                       "chain's row before it removed");
	} else {
		return row_fault(w, r, "hash version %d is not one invadj writes", r->hash_version);
	}
	if (!check_links(w, a))
		return false;
	mark_versions(c, r->id, r->recorded_at);
	c->seq = r->seq;
	c->last_id = r->id;
	memcpy(c->recorded_at, r->recorded_at, sizeof c->recorded_at);
	memcpy(c->hash, r->hash, STORE_HASH_LEN);
	w->rows++;
	return true;
}

/* Each batch's rows against the counts and ids its state gives. */
static iv_status check_batches(chains_walk *w)
{
	const timeline *tl = &w->b->kind[STORE_T_BATCHES];
	for (size_t k = 0; k < tl->n; k++) {
		const entity *e = &tl->e[k];
		const version *v = entity_latest(e);
		const int64_t *ix = hmap_get(w->batch_index, &e->id, sizeof e->id);
		const batch_tally *t = ix ? &w->batches[*ix] : NULL;
		uint64_t rows = t ? t->rows : 0;
		uint64_t posted = strtoull(v->field[6], NULL, 10), unchanged = strtoull(v->field[7], NULL, 10);
		if (rows != posted)
			return iv_fail(w->db, IV_E_CORRUPT,
			               "upload batch %lld says it posted %llu rows, but %llu ledger rows name it",
			               (long long)e->id, (unsigned long long)posted, (unsigned long long)rows);
		if (strtoull(v->field[5], NULL, 10) != posted + unchanged)
			return iv_fail(w->db, IV_E_CORRUPT,
			               "upload batch %lld: its %s rows are not its posted and unchanged ones",
			               (long long)e->id, v->field[5]);
		if (t && (strtoll(v->field[9], NULL, 10) != t->min_id || strtoll(v->field[10], NULL, 10) != t->max_id))
			return iv_fail(w->db, IV_E_CORRUPT,
			               "upload batch %lld: its rows are #%lld..#%lld, not #%s..#%s as it says",
			               (long long)e->id, (long long)t->min_id, (long long)t->max_id, v->field[9],
			               v->field[10]);
	}
	return IV_OK;
}

iv_status verify_chains(iv_db *db, master_book *book, ledger_tally *out)
{
	chains_walk w = {.db = db, .b = book, .v1_expect = 1, .status = IV_OK};
	if (!(w.chain_index = hmap_new()) || !(w.batch_index = hmap_new())) {
		hmap_free(w.chain_index);
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	}
	iv_status rc = store_ledger_audit(db->st, on_row, &w);
	if (rc != IV_OK)
		rc = iv_fail_store(db, rc);
	else if ((rc = w.status) == IV_OK)
		rc = check_batches(&w);
	out->rows = w.rows;
	out->chains = w.n;
	hmap_free(w.chain_index);
	hmap_free(w.batch_index);
	free(w.chains);
	free(w.batches);
	return rc;
}
