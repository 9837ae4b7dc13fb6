/* verify: everything that makes the ledger trustworthy, checked again
 * from the rows themselves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "invadj/hmap.h"

/* The hash chain, walked in id order, and Net Available recomputed
 * per store and item (a map as large as the master data, not the
 * ledger); compared with the balances afterwards. */
typedef struct chain_walk {
	iv_db *db;
	hmap *balance;
	unsigned char prev[STORE_HASH_LEN];
	int64_t expect_id;
	uint64_t rows;
	iv_status status;
} chain_walk;

typedef struct pair_key {
	int64_t store_id, item_id;
} pair_key;

static bool on_row(void *ctx, const store_ledger_rec *r)
{
	chain_walk *w = ctx;
	unsigned char h[STORE_HASH_LEN];
	if (r->id != w->expect_id) {
		w->status = iv_fail(w->db, IV_E_CORRUPT,
		                    "ledger row #%lld is missing (the next row is #%lld): rows were removed",
		                    (long long)w->expect_id, (long long)r->id);
		return false;
	}
	ledger_hash(w->prev, r, h);
	if (memcmp(h, r->hash, STORE_HASH_LEN) != 0) {
		w->status = iv_fail(w->db, IV_E_CORRUPT,
		                    "ledger row #%lld does not match its hash: it was altered, inserted "
		                    "or the row before it was removed",
		                    (long long)r->id);
		return false;
	}
	memcpy(w->prev, h, STORE_HASH_LEN);
	w->expect_id++;
	w->rows++;
	pair_key k = {r->store_id, r->item_id};
	int64_t *b = hmap_put(w->balance, &k, sizeof k, 0, NULL);
	if (!b) {
		w->status = iv_fail(w->db, IV_E_NOMEM, "out of memory");
		return false;
	}
	*b += r->diff;
	return true;
}

static iv_status fail_sum(iv_db *db, int64_t s, int64_t i, iv_qty stored, iv_qty sum)
{
	char code[IV_CODE_SIZE], number[IV_IDENT_SIZE];
	store_key_names(db->st, s, i, code, number);
	return iv_fail(db, IV_E_CORRUPT,
	               "the balance of store %s, item %s is %lld but its ledger rows sum to %lld", code,
	               number, (long long)stored, (long long)sum);
}

/* Each stored balance against the recomputed sum; the pairs met are
 * marked, so that a sum without a stored balance shows afterwards. */
typedef struct balance_check {
	chain_walk *w;
	hmap *seen;
	uint64_t count;
	iv_status status;
} balance_check;

static bool on_balance(void *ctx, int64_t s, int64_t i, const char *tdate, iv_qty qty)
{
	(void)tdate;
	balance_check *c = ctx;
	pair_key k = {s, i};
	int64_t *sum = hmap_get(c->w->balance, &k, sizeof k);
	iv_qty expected = sum ? *sum : 0;
	if (expected != qty || !hmap_put(c->seen, &k, sizeof k, 1, NULL)) {
		c->status = expected != qty ? fail_sum(c->w->db, s, i, qty, expected)
		                            : iv_fail(c->w->db, IV_E_NOMEM, "out of memory");
		return false;
	}
	c->count++;
	return true;
}

typedef struct unseen {
	hmap *seen;
	bool found;
	pair_key key;
	iv_qty sum;
} unseen;

static void find_unseen(void *ctx, const void *key, size_t len, int64_t value)
{
	unseen *u = ctx;
	if (u->found || value == 0 || hmap_get(u->seen, key, len))
		return;
	u->found = true;
	memcpy(&u->key, key, sizeof u->key);
	u->sum = value;
}

static iv_status check_balances(iv_db *db, chain_walk *w, uint64_t *count)
{
	balance_check c = {.w = w, .seen = hmap_new(), .status = IV_OK};
	if (!c.seen)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	iv_status rc = store_balance_each_raw(db->st, on_balance, &c);
	if (rc != IV_OK)
		rc = iv_fail_store(db, rc);
	else if ((rc = c.status) == IV_OK) {
		unseen u = {.seen = c.seen};
		hmap_each(w->balance, find_unseen, &u);
		if (u.found)
			rc = fail_sum(db, u.key.store_id, u.key.item_id, 0, u.sum);
	}
	hmap_free(c.seen);
	*count = c.count;
	return rc;
}

/* Day totals are as many as the ledger's distinct dates per store and
 * item (up to one per row): the store compares them with the ledger in
 * one sorted pass, in bounded memory. */
static iv_status check_day_totals(iv_db *db)
{
	store_day_mismatch m;
	iv_status rc = store_day_totals_mismatch(db->st, &m);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (!m.found)
		return IV_OK;
	return iv_fail(db, IV_E_CORRUPT,
	               "the day total of store %s, item %s on %s is %lld but its ledger rows sum to %lld",
	               m.store, m.item, m.tdate, (long long)m.stored, (long long)m.summed);
}

static void to_hex(const unsigned char *h, char out[IV_HASH_HEX])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < STORE_HASH_LEN; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * STORE_HASH_LEN] = '\0';
}

iv_status iv_verify(iv_db *db, iv_verify_report *out)
{
	memset(out, 0, sizeof *out);
	iv_status rc = store_begin(db->st, false); /* one snapshot: writers may go on */
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	chain_walk w = {.db = db, .balance = hmap_new(), .expect_id = 1, .status = IV_OK};
	if (!w.balance)
		rc = iv_fail(db, IV_E_NOMEM, "out of memory");
	if (rc == IV_OK && (rc = store_check_integrity(db->st)) != IV_OK)
		rc = iv_fail_store(db, rc);
	if (rc == IV_OK && (rc = store_ledger_each(db->st, on_row, &w)) != IV_OK)
		rc = iv_fail_store(db, rc);
	if (rc == IV_OK)
		rc = w.status;
	if (rc == IV_OK)
		rc = check_balances(db, &w, &out->balances);
	if (rc == IV_OK)
		rc = check_day_totals(db);
	/* The triggers last: a ledger already altered is the graver news. */
	if (rc == IV_OK && (rc = store_check_triggers(db->st)) != IV_OK)
		rc = iv_fail_store(db, rc);
	store_rollback(db->st);
	hmap_free(w.balance);
	out->ledger_rows = w.rows;
	to_hex(w.prev, out->head_hash);
	return rc;
}
