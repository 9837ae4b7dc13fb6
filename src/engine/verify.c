/* verify: everything that makes the ledger trustworthy, checked again
 * from the rows themselves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "invadj/hmap.h"

/* Sums recomputed from the ledger, keyed by (store, item) and by
 * (store, item, date); compared with the stored tables afterwards. */
typedef struct sums {
	iv_db *db;
	hmap *balance, *day;
	unsigned char prev[STORE_HASH_LEN];
	int64_t expect_id;
	uint64_t rows;
	iv_status status;
	bool nomem;
} sums;

typedef struct key2 {
	int64_t store_id, item_id;
} key2;

/* A day key: the date as the number YYYYMMDD keeps the key small enough
 * to sit in the hash map's slot (one cache miss per row, not two); a
 * date that is not plain ISO text (tampered) gets NOT_A_DAY and so never
 * matches a ledger row's date. */
typedef struct key3 {
	int64_t store_id, item_id;
	uint32_t day;
} key3;

#define NOT_A_DAY UINT32_MAX

static uint32_t day_number(const char *t)
{
	if (!t || strlen(t) != 10 || t[4] != '-' || t[7] != '-')
		return NOT_A_DAY;
	uint32_t n = 0;
	for (int k = 0; k < 10; k++) {
		if (k == 4 || k == 7)
			continue;
		if (t[k] < '0' || t[k] > '9')
			return NOT_A_DAY;
		n = n * 10 + (uint32_t)(t[k] - '0');
	}
	return n;
}

static void make_key3(key3 *k, int64_t s, int64_t i, const char *tdate)
{
	memset(k, 0, sizeof *k); /* the padding is hashed too */
	k->store_id = s;
	k->item_id = i;
	k->day = tdate ? day_number(tdate) : 0;
}

static void key3_date(const key3 *k, char out[IV_DATE_ISO_LEN])
{
	if (k->day == NOT_A_DAY)
		snprintf(out, IV_DATE_ISO_LEN, "?");
	else
		snprintf(out, IV_DATE_ISO_LEN, "%04u-%02u-%02u", (k->day / 10000) % 10000,
		         (k->day / 100) % 100, k->day % 100);
}

static bool on_row(void *ctx, const store_ledger_rec *r)
{
	sums *v = ctx;
	unsigned char h[STORE_HASH_LEN];
	if (r->id != v->expect_id) {
		v->status = iv_fail(v->db, IV_E_CORRUPT,
		                    "ledger row #%lld is missing (the next row is #%lld): rows were removed",
		                    (long long)v->expect_id, (long long)r->id);
		return false;
	}
	ledger_hash(v->prev, r, h);
	if (memcmp(h, r->hash, STORE_HASH_LEN) != 0) {
		v->status = iv_fail(v->db, IV_E_CORRUPT,
		                    "ledger row #%lld does not match its hash: it was altered, inserted "
		                    "or the row before it was removed",
		                    (long long)r->id);
		return false;
	}
	memcpy(v->prev, h, STORE_HASH_LEN);
	v->expect_id++;
	v->rows++;
	key2 k2 = {r->store_id, r->item_id};
	key3 k3;
	make_key3(&k3, r->store_id, r->item_id, r->tdate);
	int64_t *b = hmap_put(v->balance, &k2, sizeof k2, 0, NULL);
	int64_t *d = hmap_put(v->day, &k3, sizeof k3, 0, NULL);
	if (!b || !d) {
		v->nomem = true;
		return false;
	}
	*b += r->diff;
	*d += r->diff;
	return true;
}

typedef struct compare {
	sums *v;
	hmap *seen;
	uint64_t count;
	bool day;
} compare;

static bool fail_sum(compare *c, int64_t s, int64_t i, const char *tdate, iv_qty stored, iv_qty sum)
{
	char code[IV_CODE_MAX + 1], number[IV_IDENT_MAX + 1];
	store_key_names(c->v->db->st, s, i, code, number);
	if (tdate)
		c->v->status = iv_fail(c->v->db, IV_E_CORRUPT,
		                       "the day total of store %s, item %s on %s is %lld but its ledger "
		                       "rows sum to %lld",
		                       code, number, tdate, (long long)stored, (long long)sum);
	else
		c->v->status = iv_fail(c->v->db, IV_E_CORRUPT,
		                       "the balance of store %s, item %s is %lld but its ledger rows sum to %lld",
		                       code, number, (long long)stored, (long long)sum);
	return false;
}

static bool on_stored(void *ctx, int64_t s, int64_t i, const char *tdate, iv_qty qty)
{
	compare *c = ctx;
	int64_t *sum;
	if (c->day) {
		key3 k;
		make_key3(&k, s, i, tdate);
		sum = hmap_get(c->v->day, &k, sizeof k);
	} else {
		key2 k = {s, i};
		sum = hmap_get(c->v->balance, &k, sizeof k);
	}
	iv_qty expected = sum ? *sum : 0;
	if (expected != qty)
		return fail_sum(c, s, i, tdate, qty, expected);
	c->count++;
	return true;
}

/* A ledger sum with no stored row at all is a fault too, unless zero. */
static bool stored_has(void *ctx, int64_t s, int64_t i, const char *tdate, iv_qty qty)
{
	(void)qty;
	hmap *present = ctx;
	key3 k;
	make_key3(&k, s, i, tdate);
	return hmap_put(present, &k, sizeof k, 1, NULL) != NULL;
}

struct find_missing {
	hmap *present;
	bool day;
	bool found;
	key3 key;
	iv_qty sum;
};

static void check_present(void *ctx, const void *key, size_t len, int64_t value)
{
	struct find_missing *m = ctx;
	if (m->found || value == 0)
		return;
	key3 k;
	if (m->day) {
		memcpy(&k, key, len);
	} else {
		key2 k2;
		memcpy(&k2, key, sizeof k2);
		make_key3(&k, k2.store_id, k2.item_id, NULL);
	}
	if (!hmap_get(m->present, &k, sizeof k)) {
		m->found = true;
		m->key = k;
		m->sum = value;
	}
}

static iv_status check_sums(iv_db *db, sums *v, bool day, uint64_t *count)
{
	compare c = {.v = v, .day = day};
	iv_status rc = day ? store_day_each_raw(db->st, on_stored, &c)
	                   : store_balance_each_raw(db->st, on_stored, &c);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (v->status != IV_OK)
		return v->status;
	*count = c.count;
	struct find_missing m = {.day = day};
	if (!(m.present = hmap_new()))
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	rc = day ? store_day_each_raw(db->st, stored_has, m.present)
	         : store_balance_each_raw(db->st, stored_has, m.present);
	if (rc == IV_OK)
		hmap_each(day ? v->day : v->balance, check_present, &m);
	hmap_free(m.present);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (m.found) {
		char date[IV_DATE_ISO_LEN];
		key3_date(&m.key, date);
		fail_sum(&c, m.key.store_id, m.key.item_id, day ? date : NULL, 0, m.sum);
	}
	return v->status;
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
	sums v = {.db = db, .expect_id = 1, .status = IV_OK};
	v.balance = hmap_new();
	v.day = hmap_new();
	if (!v.balance || !v.day)
		rc = iv_fail(db, IV_E_NOMEM, "out of memory");
	if (rc == IV_OK && (rc = store_check_integrity(db->st)) != IV_OK)
		rc = iv_fail_store(db, rc);
	if (rc == IV_OK && (rc = store_ledger_each(db->st, on_row, &v)) != IV_OK)
		rc = iv_fail_store(db, rc);
	if (rc == IV_OK && v.nomem)
		rc = iv_fail(db, IV_E_NOMEM, "out of memory");
	if (rc == IV_OK)
		rc = v.status;
	uint64_t days = 0;
	if (rc == IV_OK)
		rc = check_sums(db, &v, false, &out->balances);
	if (rc == IV_OK)
		rc = check_sums(db, &v, true, &days);
	/* The triggers last: a ledger already altered is the graver news. */
	if (rc == IV_OK && (rc = store_check_triggers(db->st)) != IV_OK)
		rc = iv_fail_store(db, rc);
	store_rollback(db->st);
	hmap_free(v.balance);
	hmap_free(v.day);
	out->ledger_rows = v.rows;
	to_hex(v.prev, out->head_hash);
	return rc;
}
