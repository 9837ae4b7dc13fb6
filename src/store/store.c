/* The storage module's front door: store_open chooses the backend by
 * the path, and every other store_<name> hands the call to the backend
 * whose table heads the handle (backend.h). */
#include <string.h>

#include "store/backend.h"

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

iv_status store_open(const char *path, bool create, store **out)
{
	return pg_is_uri(path) ? pg_open(path, create, out) : sqlite_open(path, create, out);
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
	if (q->user_id)
		return STORE_HIST_USER;
	if (q->store_id)
		return STORE_HIST_STORE;
	return STORE_HIST_ALL;
}
