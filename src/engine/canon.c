/* The canonical encodings of hashed data (canon.h, docs/schema.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/canon.h"

void ns_hash_init(ns_hasher *h)
{
	crypto_generichash_init(&h->st, NULL, 0, STORE_HASH_LEN);
	h->len = 0;
}

static void flush(ns_hasher *h)
{
	if (h->len)
		crypto_generichash_update(&h->st, h->buf, h->len);
	h->len = 0;
}

/* Raw bytes into the hash, through the buffer: a row is some twenty
 * short fields, and one update per field cost more than the hashing. */
static void put(ns_hasher *h, const void *p, size_t n)
{
	if (h->len + n > sizeof h->buf) {
		flush(h);
		if (n > sizeof h->buf) {
			crypto_generichash_update(&h->st, p, (unsigned long long)n);
			return;
		}
	}
	memcpy(h->buf + h->len, p, n);
	h->len += n;
}

/* Decimal digits of v into buf (at least 21 bytes), no terminator. */
static size_t decimal(int64_t v, char *buf)
{
	char digits[24];
	size_t n = 0, k = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		buf[k++] = '-';
	while (n > 0)
		buf[k++] = digits[--n];
	return k;
}

void ns_hash_bytes(ns_hasher *h, const void *p, size_t n)
{
	char head[24];
	size_t k = decimal((int64_t)n, head);
	head[k++] = ':';
	put(h, head, k);
	put(h, p, n);
	put(h, ",", 1);
}

void ns_hash_text(ns_hasher *h, const char *s)
{
	ns_hash_bytes(h, s ? s : "", s ? strlen(s) : 0);
}

void ns_hash_int(ns_hasher *h, int64_t v)
{
	char d[24];
	ns_hash_bytes(h, d, decimal(v, d));
}

void ns_hash_ref(ns_hasher *h, int64_t id)
{
	if (id)
		ns_hash_int(h, id);
	else
		ns_hash_bytes(h, "", 0);
}

void ns_hash_final(ns_hasher *h, unsigned char out[STORE_HASH_LEN])
{
	flush(h);
	crypto_generichash_final(&h->st, out, STORE_HASH_LEN);
}

void ns_text_add(ns_text *t, const char *field)
{
	size_t n = field ? strlen(field) : 0;
	if (t->nomem)
		return;
	if (t->len + n + 32 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		while (cap < t->len + n + 32)
			cap *= 2;
		char *s = realloc(t->s, cap);
		if (!s) {
			t->nomem = true;
			return;
		}
		t->s = s;
		t->cap = cap;
	}
	char head[24];
	size_t k = decimal((int64_t)n, head);
	memcpy(t->s + t->len, head, k);
	t->len += k;
	t->s[t->len++] = ':';
	if (n)
		memcpy(t->s + t->len, field, n);
	t->len += n;
	t->s[t->len++] = ',';
	t->s[t->len] = '\0';
}

void ns_text_free(ns_text *t)
{
	free(t->s);
	memset(t, 0, sizeof *t);
}

int ns_split(const char *text, const char **field, size_t *len, int max)
{
	int n = 0;
	const char *p = text;
	while (*p) {
		size_t l = 0;
		if (*p < '0' || *p > '9' || (*p == '0' && p[1] != ':'))
			return -1;
		while (*p >= '0' && *p <= '9') {
			if (l > 100000000)
				return -1;
			l = l * 10 + (size_t)(*p++ - '0');
		}
		if (*p++ != ':' || strnlen(p, l) < l || p[l] != ',' || n == max)
			return -1;
		field[n] = p;
		len[n++] = l;
		p += l + 1;
	}
	return n;
}

/* ---- ledger rows ---- */

/* Version 1, the hash of schemas 1 and 2, kept for the rows made then:
 * BLAKE2b-256(prev || "id|document|store_id|item_id|reason_id|diff|
 * tdate|recorded_at|user_id|approved_by|reverses|batch_id|" || memo),
 * integers in decimal, 0 for a NULL reference. */
static void row_hash_v1(const unsigned char prev[STORE_HASH_LEN], const store_ledger_rec *r,
                        unsigned char out[STORE_HASH_LEN])
{
	ns_hasher h;
	ns_hash_init(&h);
	put(&h, prev, STORE_HASH_LEN);
	const int64_t before[] = {r->id, r->document, r->store_id, r->item_id, r->reason_id, r->diff};
	const int64_t after[] = {r->user_id, r->approved_by, r->reverses, r->batch_id};
	char d[24];
	for (size_t k = 0; k < sizeof before / sizeof before[0]; k++) {
		put(&h, d, decimal(before[k], d));
		put(&h, "|", 1);
	}
	put(&h, r->tdate, strlen(r->tdate));
	put(&h, "|", 1);
	put(&h, r->recorded_at, strlen(r->recorded_at));
	put(&h, "|", 1);
	for (size_t k = 0; k < sizeof after / sizeof after[0]; k++) {
		put(&h, d, decimal(after[k], d));
		put(&h, "|", 1);
	}
	const char *memo = r->memo ? r->memo : "";
	put(&h, memo, strlen(memo));
	ns_hash_final(&h, out);
}

/* Version 2: the netstrings of, in this order, "2", the chain (store
 * code), seq, id, document, store_id, store code, item_id, item number
 * (as posted), reason_id, reason code, diff, tdate, recorded_at,
 * user_id, user name, approver id, approver name, reverses, batch_id,
 * memo, and the previous hash of the same chain (32 bytes). */
static void row_hash_v2(const unsigned char prev[STORE_HASH_LEN], const store_ledger_rec *r,
                        const row_names *n, unsigned char out[STORE_HASH_LEN])
{
	ns_hasher h;
	ns_hash_init(&h);
	ns_hash_text(&h, "2");
	ns_hash_text(&h, n->store_code);
	ns_hash_int(&h, r->seq);
	ns_hash_int(&h, r->id);
	ns_hash_int(&h, r->document);
	ns_hash_int(&h, r->store_id);
	ns_hash_text(&h, n->store_code);
	ns_hash_int(&h, r->item_id);
	ns_hash_text(&h, r->item_number);
	ns_hash_int(&h, r->reason_id);
	ns_hash_text(&h, n->reason_code);
	ns_hash_int(&h, r->diff);
	ns_hash_text(&h, r->tdate);
	ns_hash_text(&h, r->recorded_at);
	ns_hash_int(&h, r->user_id);
	ns_hash_text(&h, n->user_name);
	ns_hash_ref(&h, r->approved_by);
	ns_hash_text(&h, r->approved_by ? n->approver_name : "");
	ns_hash_ref(&h, r->reverses);
	ns_hash_ref(&h, r->batch_id);
	ns_hash_text(&h, r->memo);
	ns_hash_bytes(&h, prev, STORE_HASH_LEN);
	ns_hash_final(&h, out);
}

void canon_row_hash(const unsigned char prev[STORE_HASH_LEN], const store_ledger_rec *r,
                    const row_names *names, unsigned char out[STORE_HASH_LEN])
{
	if (r->hash_version == 1)
		row_hash_v1(prev, r, out);
	else
		row_hash_v2(prev, r, names, out);
}

/* The netstrings of "2", the chain ("" : the master chain), seq, id,
 * kind, action, entity_id, entity_key, state, recorded_at, user_id,
 * user name, and the previous event's hash. */
void canon_event_hash(const unsigned char prev[STORE_HASH_LEN], const store_event *e,
                      const char *actor_name, unsigned char out[STORE_HASH_LEN])
{
	ns_hasher h;
	ns_hash_init(&h);
	ns_hash_text(&h, "2");
	ns_hash_text(&h, "");
	ns_hash_int(&h, e->seq);
	ns_hash_int(&h, e->id);
	ns_hash_text(&h, e->kind);
	ns_hash_text(&h, e->action);
	ns_hash_int(&h, e->entity_id);
	ns_hash_text(&h, e->entity_key);
	ns_hash_text(&h, e->state);
	ns_hash_text(&h, e->recorded_at);
	ns_hash_int(&h, e->user_id);
	ns_hash_text(&h, actor_name);
	ns_hash_bytes(&h, prev, STORE_HASH_LEN);
	ns_hash_final(&h, out);
}

/* The netstrings of "invadj-checkpoint", "1", the time ("" for verify's
 * root), and for each chain in the given order its name, length and
 * head (32 bytes). */
void canon_root(const char *recorded_at, const canon_chain *chains, size_t n,
                unsigned char out[STORE_HASH_LEN])
{
	ns_hasher h;
	ns_hash_init(&h);
	ns_hash_text(&h, "invadj-checkpoint");
	ns_hash_text(&h, "1");
	ns_hash_text(&h, recorded_at ? recorded_at : "");
	for (size_t k = 0; k < n; k++) {
		ns_hash_text(&h, chains[k].name);
		ns_hash_int(&h, chains[k].length);
		ns_hash_bytes(&h, chains[k].head, STORE_HASH_LEN);
	}
	ns_hash_final(&h, out);
}

void canon_hex(const unsigned char h[STORE_HASH_LEN], char out[IV_HASH_HEX])
{
	sodium_bin2hex(out, IV_HASH_HEX, h, STORE_HASH_LEN);
}

bool canon_unhex(const char *hex, unsigned char out[STORE_HASH_LEN])
{
	size_t n = 0;
	return strlen(hex) == 2 * STORE_HASH_LEN &&
	       sodium_hex2bin(out, STORE_HASH_LEN, hex, 2 * STORE_HASH_LEN, NULL, &n, NULL) == 0 &&
	       n == STORE_HASH_LEN;
}
