/* Conventions both backends keep alike (backend.h): LIKE patterns, the
 * names of roles, items' search keys, hashes in hex and which statement
 * serves a history query.  Linked into the program and into the PostgreSQL
 * module both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "invadj/fold.h"
#include "store/backend.h"

void store_like_pattern(char *out, size_t n, const char *text, bool leading)
{
	size_t j = 0;
	if (leading && j + 1 < n)
		out[j++] = '%';
	for (const char *p = text; *p && j + 3 < n; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			out[j++] = '\\';
		out[j++] = *p;
	}
	if (j + 1 < n)
		out[j++] = '%';
	out[j] = '\0';
}

void store_hash_hex(const unsigned char h[STORE_HASH_LEN], char out[IV_HASH_HEX])
{
	sodium_bin2hex(out, IV_HASH_HEX, h, STORE_HASH_LEN);
}

static const char *const role_texts[] = {"clerk", "supervisor", "admin"};

const char *store_role_text(iv_role role)
{
	return (unsigned)role < 3 ? role_texts[role] : role_texts[IV_ROLE_CLERK];
}

iv_role store_role_parse(const char *text)
{
	for (int i = 0; i < 3; i++)
		if (text && strcmp(text, role_texts[i]) == 0)
			return (iv_role)i;
	return IV_ROLE_CLERK;
}

/* A count's words as the counts tables keep them (docs/schema.md). */
static const char *const scope_texts[] = {"scanned", "items", "all"};
static const char *const status_texts[] = {"open", "posted", "cancelled"};
static const char *const kind_texts[] = {"add", "set", "undo"};

static int word_index(const char *const *words, int n, const char *text)
{
	for (int i = 0; i < n; i++)
		if (text && strcmp(text, words[i]) == 0)
			return i;
	return -1;
}

const char *store_scope_text(iv_count_scope s)
{
	return (unsigned)s < 3 ? scope_texts[s] : "?";
}

const char *store_count_status_text(iv_count_status s)
{
	return (unsigned)s < 3 ? status_texts[s] : "?";
}

const char *store_scan_kind_text(iv_scan_kind k)
{
	return (unsigned)k < 3 ? kind_texts[k] : "?";
}

/* Unknown words (a row written by hand) read as the least: a count of
 * scanned items, open, an add; verify reads them again. */
iv_count_scope store_scope_parse(const char *text)
{
	int i = word_index(scope_texts, 3, text);
	return i < 0 ? IV_COUNT_SCANNED : (iv_count_scope)i;
}

iv_count_status store_count_status_parse(const char *text)
{
	int i = word_index(status_texts, 3, text);
	return i < 0 ? IV_COUNT_OPEN : (iv_count_status)i;
}

iv_scan_kind store_scan_kind_parse(const char *text)
{
	int i = word_index(kind_texts, 3, text);
	return i < 0 ? IV_SCAN_ADD : (iv_scan_kind)i;
}

void store_item_key(const iv_item *it, char *out, size_t size)
{
	char all[6 * IV_IDENT_SIZE + IV_NAME_SIZE + 8];
	snprintf(all, sizeof all, "%s %s %s %s %s %s %s", it->number, it->upc, it->barcode, it->alt[0], it->alt[1],
	         it->alt[2], it->description);
	text_fold(all, out, size);
}

store_history_drive store_history_drive_of(const store_history_query *q)
{
	if (q->batch)
		return STORE_HIST_BATCH;
	if (q->item_id)
		return STORE_HIST_ITEM;
	if (q->from || q->to)
		return STORE_HIST_DATE;
	if (q->user_id)
		return STORE_HIST_USER;
	if (q->store_id)
		return STORE_HIST_STORE;
	return STORE_HIST_ALL;
}

#define FILL_BATCH 1000

struct unfolded {
	int64_t ids[FILL_BATCH];
	char (*keys)[STORE_ITEM_KEY_MAX];
	int n;
};

static bool collect_unfolded(void *ctx, int64_t id, const iv_item *it)
{
	struct unfolded *u = ctx;
	if (u->n >= FILL_BATCH)
		return false;
	u->ids[u->n] = id;
	store_item_key(it, u->keys[u->n], STORE_ITEM_KEY_MAX);
	u->n++;
	return true;
}

/* Through the handle's own backend table: the PostgreSQL module has no
 * store_<name> forwarders of its own. */
iv_status store_fill_search_keys(store *st)
{
	const store_backend *be = ((const store_common *)(const void *)st)->be;
	struct unfolded *u = calloc(1, sizeof *u);
	if (!u || !(u->keys = calloc(FILL_BATCH, STORE_ITEM_KEY_MAX))) {
		free(u);
		return IV_E_NOMEM;
	}
	iv_status rc;
	do {
		u->n = 0;
		if ((rc = be->item_unfolded_each(st, collect_unfolded, u)) != IV_OK || u->n == 0)
			break;
		if ((rc = be->begin(st, true)) != IV_OK)
			break;
		for (int i = 0; i < u->n && rc == IV_OK; i++)
			rc = be->item_set_key(st, u->ids[i], u->keys[i]);
		if (rc == IV_OK)
			rc = be->commit(st);
		else
			be->rollback(st);
	} while (rc == IV_OK && u->n == FILL_BATCH);
	free(u->keys);
	free(u);
	return rc;
}
