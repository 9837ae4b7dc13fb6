/* The storage module's front door: store_open chooses the backend by
 * the path, and every other store_<name> hands the call to the backend
 * whose table heads the handle (backend.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/fold.h"

#include "store/backend.h"

static iv_status fill_search_keys(store *st);

static const store_backend *backend_of(const store *st)
{
	/* Every backend's handle begins with its table pointer. */
	const store_backend *be;
	memcpy(&be, (const void *)st, sizeof be);
	return be;
}

#define FORWARD(ret, fn, params, args)           \
	ret store_##fn params                        \
	{                                            \
		return backend_of(st)->fn args;          \
	}
#define FORWARD_VOID(fn, params, args)           \
	void store_##fn params                       \
	{                                            \
		if (st)                                  \
			backend_of(st)->fn args;             \
	}
STORE_FUNCS(FORWARD, FORWARD_VOID)

iv_status store_open(const char *path, iv_open_mode mode, store **out)
{
	iv_status rc = pg_is_uri(path) ? pg_open(path, mode, out) : sqlite_open(path, mode, out);
	/* items a migration or a copy left without a search key get one
	 * (a read-only open writes nothing: its searches miss those items
	 * until the next ordinary open) */
	if (rc == IV_OK && mode != IV_OPEN_READONLY)
		rc = fill_search_keys(*out);
	return rc;
}

bool store_is_file(const char *path)
{
	return !pg_is_uri(path);
}

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

void store_item_key(const iv_item *it, char *out, size_t size)
{
	char all[6 * IV_IDENT_SIZE + IV_NAME_SIZE + 8];
	snprintf(all, sizeof all, "%s %s %s %s %s %s %s", it->number, it->upc, it->barcode, it->alt[0], it->alt[1],
	         it->alt[2], it->description);
	text_fold(all, out, size);
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

/* Items without a search key (after a migration or a copy) get one. */
static iv_status fill_search_keys(store *st)
{
	struct unfolded *u = calloc(1, sizeof *u);
	if (!u || !(u->keys = calloc(FILL_BATCH, STORE_ITEM_KEY_MAX))) {
		free(u);
		return IV_E_NOMEM;
	}
	iv_status rc;
	do {
		u->n = 0;
		if ((rc = store_item_unfolded_each(st, collect_unfolded, u)) != IV_OK || u->n == 0)
			break;
		if ((rc = store_begin(st, true)) != IV_OK)
			break;
		for (int i = 0; i < u->n && rc == IV_OK; i++)
			rc = store_item_set_key(st, u->ids[i], u->keys[i]);
		if (rc == IV_OK)
			rc = store_commit(st);
		else
			store_rollback(st);
	} while (rc == IV_OK && u->n == FILL_BATCH);
	free(u->keys);
	free(u);
	return rc;
}
