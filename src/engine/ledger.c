/* Appending to the ledger: each store's hash chain, the sums, and the
 * negative-stock rule as every way of posting meets it in the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "engine/rules.h"

iv_status ledger_chains_init(iv_db *db, ledger_chains *c)
{
	memset(c, 0, sizeof *c);
	crypto_hash_sha256_init(&c->approved);
	c->last_id = -1;
	if (!(c->index = hmap_new()))
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	return IV_OK;
}

iv_status ledger_lock_stores(iv_db *db, const int64_t *store_ids, size_t n)
{
	iv_status rc = store_lock_stores(db->st, store_ids, n);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

typedef struct store_set {
	hmap *seen;
	int64_t *ids;
	size_t n, cap;
	bool failed;
} store_set;

static bool add_row_store(void *ctx, const store_ledger_rec *rec)
{
	store_set *s = ctx;
	int created;
	if (!hmap_put(s->seen, &rec->store_id, sizeof rec->store_id, 0, &created))
		return !(s->failed = true);
	if (!created)
		return true;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		int64_t *v = realloc(s->ids, cap * sizeof *v);
		if (!v)
			return !(s->failed = true);
		s->ids = v;
		s->cap = cap;
	}
	s->ids[s->n++] = rec->store_id;
	return true;
}

static bool add_store(void *ctx, int64_t id, const iv_store *st)
{
	(void)st;
	store_ledger_rec rec = {.store_id = id};
	return add_row_store(ctx, &rec);
}

/* Locks the stores collected in s (rc: how collecting them went) and
 * lets s go. */
static iv_status lock_collected(iv_db *db, store_set *s, iv_status rc)
{
	if (rc != IV_OK)
		rc = iv_fail_store(db, rc);
	else if (s->failed)
		rc = iv_fail(db, IV_E_NOMEM, "out of memory");
	else
		rc = ledger_lock_stores(db, s->ids, s->n);
	hmap_free(s->seen);
	free(s->ids);
	return rc;
}

iv_status ledger_lock_all_stores(iv_db *db)
{
	if (!store_locks_per_store(db->st))
		return IV_OK;
	store_set s = {.seen = hmap_new()};
	s.failed = !s.seen;
	return lock_collected(db, &s, s.seen ? store_store_each(db->st, add_store, &s) : IV_OK);
}

/* A batch's rows never change, so their stores may be read before the
 * locks; only a server, where the locks are per store, needs them. */
iv_status ledger_lock_batch_stores(iv_db *db, int64_t batch)
{
	if (!store_locks_per_store(db->st))
		return IV_OK;
	store_set s = {.seen = hmap_new()};
	s.failed = !s.seen;
	return lock_collected(db, &s, s.seen ? store_ledger_each_in_batch(db->st, batch, add_row_store, &s) : IV_OK);
}

/* The next ledger id, taken from the store in blocks (on a server they
 * come from a sequence that writers at other stores share). */
static iv_status next_id(iv_db *db, store *rd, ledger_chains *c, int64_t *id)
{
	if (c->last_id < 0 || c->next_id > c->ids_end) {
		int64_t want = c->ids_block ? 2 * c->ids_block : 1;
		if (want > LEDGER_ID_BLOCK)
			want = LEDGER_ID_BLOCK;
		if (!c->ids_block && c->ids_hint > 0) /* as many as the write will use, at once */
			want = c->ids_hint < LEDGER_ID_HINT_MAX ? c->ids_hint : LEDGER_ID_HINT_MAX;
		iv_status rc = store_ledger_ids(rd, c->last_id, want, &c->next_id);
		if (rc != IV_OK)
			return iv_fail(db, rc, "%s", store_errmsg(rd));
		c->ids_block = want;
		c->ids_end = c->next_id + want - 1;
	}
	*id = c->next_id++;
	return IV_OK;
}

void ledger_chains_free(ledger_chains *c)
{
	hmap_free(c->index);
	free(c->heads);
	memset(c, 0, sizeof *c);
}

/* The head of store_id's chain, read through rd on first use. */
static iv_status head_of(iv_db *db, store *rd, ledger_chains *c, int64_t store_id, chain_head **out)
{
	*out = NULL;
	uint32_t *recent = &c->recent[(uint64_t)store_id % LEDGER_RECENT_HEADS];
	if (*recent && c->heads[*recent - 1].store_id == store_id) {
		*out = &c->heads[*recent - 1];
		return IV_OK;
	}
	int created;
	int64_t *slot = hmap_put(c->index, &store_id, sizeof store_id, (int64_t)c->n, &created);
	if (!slot)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	if (!created) {
		*recent = (uint32_t)*slot + 1;
		*out = &c->heads[*slot];
		return IV_OK;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		chain_head *v = realloc(c->heads, cap * sizeof *v);
		if (!v)
			return iv_fail(db, IV_E_NOMEM, "out of memory");
		c->heads = v;
		c->cap = cap;
	}
	*recent = (uint32_t)c->n + 1;
	chain_head *h = &c->heads[c->n++];
	h->store_id = store_id;
	iv_status rc = store_chain_head(rd, store_id, &h->pos);
	if (rc != IV_OK)
		return iv_fail(db, rc, "%s", store_errmsg(rd)); /* the transaction is given up */
	*out = h;
	return IV_OK;
}

iv_status ledger_chain_row(iv_db *db, store *rd, ledger_chains *c, store_ledger_rec *rec,
                           const row_names *names)
{
	chain_head *h;
	iv_status rc = head_of(db, rd, c, rec->store_id, &h);
	if (rc != IV_OK || !h)
		return rc != IV_OK ? rc : IV_E_NOMEM;
	if ((rc = next_id(db, rd, c, &rec->id)) != IV_OK)
		return rc;
	rec->seq = h->pos.seq + 1;
	rec->hash_version = 2;
	if (rec->document == 0)
		rec->document = rec->id;
	/* A clock set back must not make the chain's times go back: the
	 * row keeps its chain's last time (verify holds every chain to it). */
	if (!rule_in_order(h->pos.recorded_at, rec->recorded_at))
		memcpy(rec->recorded_at, h->pos.recorded_at, sizeof rec->recorded_at);
	canon_row_hash(h->pos.hash, rec, names, rec->hash);
	if (rec->approved_by && rec->approved_by != rec->user_id) {
		crypto_hash_sha256_update(&c->approved, rec->hash, STORE_HASH_LEN);
		c->napproved++;
		c->approved_author = rec->user_id;
	}
	c->last_id = rec->id;
	h->pos.seq = rec->seq;
	h->pos.id = rec->id;
	memcpy(h->pos.recorded_at, rec->recorded_at, sizeof h->pos.recorded_at);
	memcpy(h->pos.hash, rec->hash, STORE_HASH_LEN);
	return IV_OK;
}

iv_status ledger_sign(iv_db *db, ledger_chains *c, iv_approval ap)
{
	if (!db->server || c->napproved == 0)
		return IV_OK;
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&c->approved, digest);
	uint64_t rows = c->napproved;
	c->napproved = 0; /* signed once */
	store *approver = NULL;
	iv_status rc = store_open_as(db->st, ap.name ? ap.name : "", ap.pin, &approver);
	if (rc == IV_E_AUTH)
		rc = iv_fail(db, IV_E_AUTH, "Approver: wrong user name or PIN");
	else if (rc != IV_OK)
		rc = iv_fail(db, rc, "%s", store_errmsg(approver));
	else if ((rc = store_approval_sign(approver, c->approved_author, digest, rows)) != IV_OK)
		rc = iv_fail(db, rc, "%s", store_errmsg(approver));
	store_close(approver);
	return rc;
}

iv_status ledger_append(iv_db *db, ledger_chains *c, store_ledger_rec *rec, const row_names *names,
                        bool defer_sums)
{
	iv_status rc = ledger_chain_row(db, db->st, c, rec, names);
	if (rc != IV_OK)
		return rc;
	rc = store_ledger_insert(db->st, rec);
	if (rc == IV_OK && !defer_sums) {
		rc = store_balance_add(db->st, rec->store_id, rec->item_id, rec->diff);
		if (rc == IV_OK)
			rc = store_day_add(db->st, rec->store_id, rec->item_id, rec->tdate, rec->diff);
		if (rc == IV_OK)
			rc = store_user_day_add(db->st, rec->user_id, rec->store_id, rec->item_id, rec->tdate,
			                        rec->diff);
		if (rc == IV_OK)
			return sums_post(db, rec); /* the report summaries (report_sums.c) */
	}
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

typedef struct later_days {
	rule_day *v;
	size_t n, cap;
	bool nomem;
} later_days;

static bool collect_day(void *ctx, const char *tdate, iv_qty diff)
{
	later_days *l = ctx;
	iv_date d;
	if (!date_parse(tdate, &d))
		return true; /* not a date: verify's to report, not this line's */
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		rule_day *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return !(l->nomem = true);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (rule_day){d, diff};
	return true;
}

iv_status ledger_check_negative(iv_db *db, const iv_store *s, int64_t store_id, int64_t item_id,
                                const char *item_number, iv_qty pending, iv_qty diff,
                                iv_date tdate, iv_date today, iv_qty *net, char *msg, size_t msgsize)
{
	iv_qty balance;
	iv_status rc = store_balance_get(db->st, store_id, item_id, &balance);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	*net = balance + pending;
	rule_stock in = {
		.allow_negative = s->allow_negative,
		.diff = diff,
		.date = tdate,
		.net = *net,
		.back_dated = tdate < today,
	};
	later_days later = {0};
	/* The days are read only when the rule will look at them. */
	if (in.back_dated && !in.allow_negative && diff < 0 && *net + diff >= 0) {
		char day[IV_DATE_ISO_LEN];
		date_format(tdate, day);
		rc = store_balance_asof(db->st, store_id, item_id, day, &in.at_date);
		if (rc == IV_OK)
			rc = store_days_after(db->st, store_id, item_id, day, collect_day, &later);
		if (rc != IV_OK || later.nomem) {
			free(later.v);
			return rc != IV_OK ? iv_fail_store(db, rc) : iv_fail(db, IV_E_NOMEM, "out of memory");
		}
		in.at_date += pending; /* a document's lines share its date */
		in.later = later.v;
		in.nlater = later.n;
	}
	rule_stock_fault f;
	bool ok = rule_stock_ok(&in, &f);
	if (!ok)
		rule_stock_text(&in, &f, s->code, item_number, msg, msgsize);
	free(later.v);
	return ok ? IV_OK : IV_E_REFUSED;
}
