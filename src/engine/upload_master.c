/* Master data in memory for the upload, and resolving a row's item with
 * messages that recognise what spreadsheets do to identifiers. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/upload_internal.h"

enum { KEY_MAX = IV_IDENT_SIZE + 1 }; /* kind byte, identifier, NUL */

/* Codes and identifiers match without regard to (ASCII) case, as they
 * do on the screens and the command line (COLLATE NOCASE): each is in
 * the maps twice, as spelled and folded, under two leading bytes, and a
 * lookup tries the spelling first.  So the spelling wins, and of case
 * twins an old database may hold (KB-100 and kb-100) the one of the
 * lowest id answers any other spelling, as the queries' ORDER BY does. */
#define SPELLED '0'
#define FOLDED 'a'

/* lead byte + text (folded or not); false when too long for a stored one. */
static bool code_key(char lead, const char *text, bool fold, char key[KEY_MAX], size_t *len)
{
	size_t n = strlen(text);
	if (n + 2 > KEY_MAX)
		return false;
	key[0] = lead;
	for (size_t k = 0; k < n; k++) {
		char c = text[k];
		key[1 + k] = fold && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	*len = n + 1;
	return true;
}

/* Puts text both ways (an earlier entry keeps a folded key it shares). */
static bool code_put(hmap *m, char lead_offset, const char *text, int64_t value)
{
	char key[KEY_MAX];
	size_t len;
	if (code_key((char)(SPELLED + lead_offset), text, false, key, &len) && !hmap_put(m, key, len, value, NULL))
		return false;
	if (code_key((char)(FOLDED + lead_offset), text, true, key, &len) && !hmap_put(m, key, len, value, NULL))
		return false;
	return true;
}

static int64_t *code_get(const hmap *m, char lead_offset, const char *text)
{
	char key[KEY_MAX];
	size_t len;
	int64_t *v = NULL;
	if (code_key((char)(SPELLED + lead_offset), text, false, key, &len))
		v = hmap_get(m, key, len);
	if (!v && code_key((char)(FOLDED + lead_offset), text, true, key, &len))
		v = hmap_get(m, key, len);
	return v;
}

const int64_t *upload_code_get(const hmap *m, const char *code)
{
	return code_get(m, 0, code);
}

static const char *const kind_names[STORE_ITEM_KINDS] = {
	[STORE_ITEM_ANY] = "item identifier",
	[STORE_ITEM_NUMBER] = "item number",
	[STORE_ITEM_UPC] = "UPC",
	[STORE_ITEM_BARCODE] = "barcode",
	[STORE_ITEM_ALT1] = "alternate item number 1",
	[STORE_ITEM_ALT2] = "alternate item number 2",
	[STORE_ITEM_ALT3] = "alternate item number 3",
};

const char *upload_kind_name(store_item_kind kind)
{
	return kind < STORE_ITEM_KINDS ? kind_names[kind] : kind_names[STORE_ITEM_ANY];
}

/* An item's identifier of one kind (not STORE_ITEM_ANY). */
static const char *ident_of(const iv_item *it, store_item_kind kind)
{
	switch (kind) {
	case STORE_ITEM_UPC: return it->upc;
	case STORE_ITEM_BARCODE: return it->barcode;
	case STORE_ITEM_ALT1: return it->alt[0];
	case STORE_ITEM_ALT2: return it->alt[1];
	case STORE_ITEM_ALT3: return it->alt[2];
	default: return it->number;
	}
}

/* kind byte + identifier as spelled; false when the identifier is too
 * long to be a stored one. */
static bool make_key(store_item_kind kind, const char *ident, char key[KEY_MAX], size_t *len)
{
	return code_key((char)(SPELLED + kind), ident, false, key, len);
}

/* The same key without the identifier's leading zeros ("" when it is
 * only zeros: nothing to suggest then). */
static bool make_stripped_key(store_item_kind kind, const char *ident, char key[KEY_MAX], size_t *len)
{
	while (*ident == '0')
		ident++;
	return *ident && make_key(kind, ident, key, len);
}

typedef struct loader {
	upload_master *m;
	bool nomem;
} loader;

static bool add_store(void *ctx, int64_t id, const iv_store *s)
{
	loader *l = ctx;
	upload_master *m = l->m;
	if (m->nstores == m->store_cap) {
		size_t cap = m->store_cap ? 2 * m->store_cap : 16;
		upload_store *v = realloc(m->store_v, cap * sizeof *v);
		if (!v)
			return !(l->nomem = true);
		m->store_v = v;
		m->store_cap = cap;
	}
	if (!code_put(m->stores, 0, s->code, (int64_t)m->nstores))
		return !(l->nomem = true);
	m->store_v[m->nstores++] = (upload_store){id, *s, 0};
	return true;
}

static bool add_reason(void *ctx, int64_t id, const iv_reason *r)
{
	loader *l = ctx;
	upload_master *m = l->m;
	if (m->nreasons == m->reason_cap) {
		size_t cap = m->reason_cap ? 2 * m->reason_cap : 16;
		upload_reason *v = realloc(m->reason_v, cap * sizeof *v);
		if (!v)
			return !(l->nomem = true);
		m->reason_v = v;
		m->reason_cap = cap;
	}
	upload_reason *u = &m->reason_v[m->nreasons];
	u->id = id;
	snprintf(u->code, sizeof u->code, "%s", r->code);
	if (!code_put(m->reasons, 0, r->code, (int64_t)m->nreasons++))
		return !(l->nomem = true);
	return true;
}

static bool add_ident(loader *l, store_item_kind kind, const char *ident, size_t ix)
{
	char key[KEY_MAX];
	size_t len;
	if (!*ident)
		return true;
	if (!code_put(l->m->items, (char)kind, ident, (int64_t)ix))
		return !(l->nomem = true);
	/* Several identifiers may strip to the same key (0042 and 042): the
	 * first is suggested; a suggestion is a hint, never a match. */
	if (make_stripped_key(kind, ident, key, &len) &&
	    !hmap_put(l->m->stripped, key, len, (int64_t)ix, NULL))
		return !(l->nomem = true);
	return true;
}

static bool add_item(void *ctx, int64_t id, const iv_item *it)
{
	loader *l = ctx;
	upload_master *m = l->m;
	size_t nlen = strlen(it->number) + 1;
	if (m->nitems == m->item_cap) {
		size_t cap = m->item_cap ? 2 * m->item_cap : 1024;
		upload_item *v = realloc(m->item_v, cap * sizeof *v);
		if (!v)
			return !(l->nomem = true);
		m->item_v = v;
		m->item_cap = cap;
	}
	if (m->numbers_len + nlen > m->numbers_cap) {
		size_t cap = m->numbers_cap ? 2 * m->numbers_cap : 16384;
		while (cap < m->numbers_len + nlen)
			cap *= 2;
		char *v = realloc(m->numbers, cap);
		if (!v)
			return !(l->nomem = true);
		m->numbers = v;
		m->numbers_cap = cap;
	}
	size_t ix = m->nitems++;
	m->item_v[ix] = (upload_item){id, m->numbers_len};
	memcpy(m->numbers + m->numbers_len, it->number, nlen);
	m->numbers_len += nlen;
	for (store_item_kind k = STORE_ITEM_NUMBER; k < STORE_ITEM_KINDS; k++)
		if (!add_ident(l, k, ident_of(it, k), ix))
			return false;
	return true;
}

typedef struct id_ix {
	int64_t id;
	uint32_t ix;
} id_ix;

static int by_id(const void *a, const void *b)
{
	const id_ix *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* v's indexes in the order of their ids (v is sorted, then freed). */
static uint32_t *id_order(id_ix *v, size_t n)
{
	uint32_t *out = v ? malloc((n ? n : 1) * sizeof *out) : NULL;
	if (out) {
		qsort(v, n, sizeof *v, by_id);
		for (size_t k = 0; k < n; k++)
			out[k] = v[k].ix;
	}
	free(v);
	return out;
}

/* The stores' and items' id orders (the items usually come in it). */
static bool key_orders(upload_master *m)
{
	id_ix *v = malloc((m->nstores ? m->nstores : 1) * sizeof *v);
	for (size_t k = 0; v && k < m->nstores; k++)
		v[k] = (id_ix){m->store_v[k].id, (uint32_t)k};
	if (!(m->store_by_id = id_order(v, m->nstores)))
		return false;
	bool in_order = true;
	for (size_t k = 1; k < m->nitems && in_order; k++)
		in_order = m->item_v[k - 1].id < m->item_v[k].id;
	if (in_order)
		return true;
	v = malloc(m->nitems * sizeof *v);
	for (size_t k = 0; v && k < m->nitems; k++)
		v[k] = (id_ix){m->item_v[k].id, (uint32_t)k};
	return (m->item_by_id = id_order(v, m->nitems)) != NULL;
}

iv_status upload_master_load(iv_db *db, upload_master *m)
{
	memset(m, 0, sizeof *m);
	m->stores = hmap_new();
	m->items = hmap_new();
	m->stripped = hmap_new();
	m->reasons = hmap_new();
	if (!m->stores || !m->items || !m->stripped || !m->reasons)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	loader l = {m, false};
	iv_status rc = store_store_each(db->st, add_store, &l);
	if (rc == IV_OK && !l.nomem)
		rc = store_item_each(db->st, add_item, &l);
	if (rc == IV_OK && !l.nomem)
		rc = store_reason_each(db->st, add_reason, &l);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (l.nomem || !key_orders(m))
		return iv_fail(db, IV_E_NOMEM, "out of memory while reading the master data");
	return IV_OK;
}

void upload_master_free(upload_master *m)
{
	hmap_free(m->stores);
	hmap_free(m->items);
	hmap_free(m->stripped);
	hmap_free(m->reasons);
	free(m->store_v);
	free(m->reason_v);
	free(m->item_v);
	free(m->numbers);
	free(m->store_by_id);
	free(m->item_by_id);
	memset(m, 0, sizeof *m);
}

/* 1.23457E+11: how a spreadsheet shows a long number it has taken for
 * one; the digits past the sixth are gone. */
static bool is_scientific(const char *s)
{
	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s == '.' || *s == ',') {
		s++;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s != 'e' && *s != 'E')
		return false;
	s++;
	if (*s == '+' || *s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	while (*s == ' ')
		s++;
	return *s == '\0';
}

/* The identifier of one kind of an item, for a suggestion (rare: a
 * query is fine here). */
static void ident_of_kind(store *st, const char *number, store_item_kind kind, char *out, size_t size)
{
	iv_item it;
	snprintf(out, size, "%s", number);
	if (store_item_find(st, number, STORE_ITEM_NUMBER, NULL, &it) != IV_OK)
		return;
	snprintf(out, size, "%s", ident_of(&it, kind));
}

bool upload_item_resolve(store *st, const upload_master *m, store_item_kind kind, const char *ident,
                         size_t *ix, char *msg, size_t msgsize)
{
	char key[KEY_MAX];
	size_t len;
	int64_t *v = code_get(m->items, (char)kind, ident);
	if (v) {
		*ix = (size_t)*v;
		return true;
	}
	const char *what = upload_kind_name(kind);
	if (is_scientific(ident)) {
		snprintf(msg, msgsize,
		         "ItemNumber: \"%s\" is a number in scientific notation, as a spreadsheet shows a "
		         "long %s; its last digits are lost: format the column as Text and type the %s again",
		         ident, what, what);
		return false;
	}
	if (make_stripped_key(kind, ident, key, &len) && (v = hmap_get(m->stripped, key, len))) {
		char real[IV_IDENT_SIZE];
		const char *number = upload_item_number(m, (size_t)*v);
		ident_of_kind(st, number, kind, real, sizeof real);
		snprintf(msg, msgsize,
		         "ItemNumber: \"%s\" is not a known %s, but %s \"%s\" (item %s) is the same with "
		         "its leading zeros; a spreadsheet drops them from numbers: format the column as "
		         "Text and type \"%s\"",
		         ident, what, what, real, number, real);
		return false;
	}
	for (store_item_kind k = STORE_ITEM_NUMBER; k < STORE_ITEM_KINDS; k++) {
		if (k == kind || !(v = code_get(m->items, (char)k, ident)))
			continue;
		snprintf(msg, msgsize,
		         "ItemNumber: \"%s\" is not a known %s; it is the %s of item %s: set "
		         "ItemIdentifierCode to %d",
		         ident, what, upload_kind_name(k), upload_item_number(m, (size_t)*v), (int)k);
		return false;
	}
	snprintf(msg, msgsize, "ItemNumber: \"%s\" is not a known %s", ident, what);
	return false;
}
