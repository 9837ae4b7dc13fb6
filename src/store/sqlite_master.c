/* Master data and users: stores, items, reason codes. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite_internal.h"

/* Runs a statement that returns at most one row; SQLITE_ROW or
 * SQLITE_DONE pass, anything else becomes a failure. */
static iv_status step_one(store *st, sqlite3_stmt *s, bool *found, const char *doing)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		if (found)
			*found = rc == SQLITE_ROW;
		return IV_OK;
	}
	iv_status status = sqlite_fail(st, rc, doing);
	sqlite3_reset(s);
	return status;
}

/* ---- stores ---- */

static void read_store(sqlite3_stmt *s, int64_t *id, iv_store *out)
{
	if (id)
		*id = sqlite3_column_int64(s, 0);
	if (out) {
		sqlite_text(s, 1, out->code, sizeof out->code);
		sqlite_text(s, 2, out->name, sizeof out->name);
		out->allow_negative = sqlite3_column_int(s, 3) != 0;
		out->approval_threshold = sqlite3_column_int64(s, 4);
		sqlite_text(s, 5, out->tz, sizeof out->tz);
	}
}

/* Runs an upsert ... RETURNING id. */
static iv_status upsert_id(store *st, sqlite3_stmt *s, int64_t *id, const char *doing)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && id)
		*id = sqlite3_column_int64(s, 0);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? IV_OK : sqlite_fail(st, rc, doing);
}

iv_status sqlite_store_find(store *st, const char *code, int64_t *id, iv_store *out)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_STORE_FIND);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, code);
	bool found = false;
	iv_status rc = step_one(st, s, &found, "looking up a store");
	if (rc != IV_OK)
		return rc;
	if (found)
		read_store(s, id, out);
	sqlite3_reset(s);
	return found ? IV_OK : IV_E_NOT_FOUND;
}

iv_status sqlite_store_upsert(store *st, const iv_store *in, int64_t *id)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_STORE_UPSERT);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, in->code);
	sqlite_param_text(s, 2, in->name);
	sqlite3_bind_int(s, 3, in->allow_negative);
	sqlite3_bind_int64(s, 4, in->approval_threshold);
	sqlite_param_text(s, 5, in->tz);
	return upsert_id(st, s, id, "saving a store");
}

iv_status sqlite_store_each(store *st, store_store_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_STORE_EACH);
	if (!s)
		return IV_E_STORAGE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id;
		iv_store row;
		read_store(s, &id, &row);
		if (!cb(ctx, id, &row))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? IV_OK : sqlite_fail(st, rc, "listing stores");
}

/* ---- items ---- */

static void read_item(sqlite3_stmt *s, int64_t *id, iv_item *out)
{
	if (id)
		*id = sqlite3_column_int64(s, 0);
	if (out) {
		sqlite_text(s, 1, out->number, sizeof out->number);
		sqlite_text(s, 2, out->description, sizeof out->description);
		sqlite_text(s, 3, out->upc, sizeof out->upc);
		sqlite_text(s, 4, out->barcode, sizeof out->barcode);
		for (int i = 0; i < 3; i++)
			sqlite_text(s, 5 + i, out->alt[i], sizeof out->alt[i]);
	}
}

iv_status sqlite_item_find(store *st, const char *ident, store_item_kind kind, int64_t *id,
                           iv_item *out)
{
	static const query by_kind[STORE_ITEM_KINDS] = {
		[STORE_ITEM_ANY] = Q_ITEM_FIND_ANY,         [STORE_ITEM_NUMBER] = Q_ITEM_FIND_NUMBER,
		[STORE_ITEM_UPC] = Q_ITEM_FIND_UPC,         [STORE_ITEM_BARCODE] = Q_ITEM_FIND_BARCODE,
		[STORE_ITEM_ALT1] = Q_ITEM_FIND_ALT1,       [STORE_ITEM_ALT2] = Q_ITEM_FIND_ALT2,
		[STORE_ITEM_ALT3] = Q_ITEM_FIND_ALT3,
	};
	if ((unsigned)kind >= STORE_ITEM_KINDS)
		return sqlite_failf(st, IV_E_INVALID, "unknown item identifier kind %d", (int)kind);
	sqlite3_stmt *s = sqlite_statement(st, by_kind[kind]);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, ident);
	bool found = false;
	iv_status rc = step_one(st, s, &found, "looking up an item");
	if (rc != IV_OK)
		return rc;
	if (found)
		read_item(s, id, out);
	sqlite3_reset(s);
	return found ? IV_OK : IV_E_NOT_FOUND;
}

static const char *or_null(const char *t)
{
	return t && *t ? t : NULL;
}

iv_status sqlite_item_upsert(store *st, const iv_item *in, int64_t *id)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_ITEM_UPSERT);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, in->number);
	sqlite_param_text(s, 2, in->description);
	sqlite_param_text(s, 3, or_null(in->upc));
	sqlite_param_text(s, 4, or_null(in->barcode));
	for (int i = 0; i < 3; i++)
		sqlite_param_text(s, 5 + i, or_null(in->alt[i]));
	char key[STORE_ITEM_KEY_MAX];
	store_item_key(in, key, sizeof key);
	sqlite3_bind_text(s, 8, key, -1, SQLITE_TRANSIENT);
	return upsert_id(st, s, id, "saving an item");
}

iv_status sqlite_item_each(store *st, store_item_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_ITEM_EACH);
	if (!s)
		return IV_E_STORAGE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id;
		iv_item row;
		read_item(s, &id, &row);
		if (!cb(ctx, id, &row))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? IV_OK : sqlite_fail(st, rc, "listing items");
}

iv_status sqlite_item_search(store *st, const char *text, size_t limit, iv_item_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_ITEM_SEARCH);
	if (!s)
		return IV_E_STORAGE;
	char prefix[2 * IV_NAME_MAX + 4], contains[2 * IV_NAME_MAX + 4];
	store_like_pattern(prefix, sizeof prefix, text ? text : "", false);
	store_like_pattern(contains, sizeof contains, text ? text : "", true);
	sqlite_param_text(s, 1, prefix);
	sqlite_param_text(s, 2, contains);
	sqlite3_bind_int64(s, 3, limit ? (sqlite3_int64)limit : -1);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		iv_item row;
		read_item(s, NULL, &row);
		if (!cb(ctx, &row))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? IV_OK : sqlite_fail(st, rc, "searching items");
}

/* ---- reasons ---- */

static void read_reason(sqlite3_stmt *s, int64_t *id, iv_reason *out)
{
	if (id)
		*id = sqlite3_column_int64(s, 0);
	if (out) {
		sqlite_text(s, 1, out->code, sizeof out->code);
		sqlite_text(s, 2, out->description, sizeof out->description);
	}
}

iv_status sqlite_reason_find(store *st, const char *code, int64_t *id, iv_reason *out)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_REASON_FIND);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, code);
	bool found = false;
	iv_status rc = step_one(st, s, &found, "looking up a reason code");
	if (rc != IV_OK)
		return rc;
	if (found)
		read_reason(s, id, out);
	sqlite3_reset(s);
	return found ? IV_OK : IV_E_NOT_FOUND;
}

iv_status sqlite_reason_upsert(store *st, const iv_reason *in, int64_t *id)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_REASON_UPSERT);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, in->code);
	sqlite_param_text(s, 2, in->description);
	return upsert_id(st, s, id, "saving a reason code");
}

iv_status sqlite_reason_each(store *st, store_reason_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_REASON_EACH);
	if (!s)
		return IV_E_STORAGE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id;
		iv_reason row;
		read_reason(s, &id, &row);
		if (!cb(ctx, id, &row))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? IV_OK : sqlite_fail(st, rc, "listing reason codes");
}

/* ---- users ---- */

iv_status sqlite_user_find(store *st, const char *name, store_user *out)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_USER_FIND);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, name);
	bool found = false;
	iv_status rc = step_one(st, s, &found, "looking up a user");
	if (rc != IV_OK)
		return rc;
	if (found) {
		memset(out, 0, sizeof *out);
		out->user.id = sqlite3_column_int64(s, 0);
		sqlite_text(s, 1, out->user.name, sizeof out->user.name);
		out->user.role = store_role_parse((const char *)sqlite3_column_text(s, 2));
		sqlite_text(s, 3, out->pin_hash, sizeof out->pin_hash);
		out->disabled = sqlite3_column_int(s, 4) != 0;
	}
	sqlite3_reset(s);
	return found ? IV_OK : IV_E_NOT_FOUND;
}

iv_status sqlite_user_insert(store *st, const char *name, iv_role role, const char *pin_hash,
                             const char *at, int64_t *id)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_USER_INSERT);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, name);
	sqlite_param_text(s, 2, store_role_text(role));
	sqlite_param_text(s, 3, pin_hash);
	sqlite_param_text(s, 4, at);
	return upsert_id(st, s, id, "saving a user");
}

iv_status sqlite_login_failures_get(store *st, const char *name, store_login *out)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_LOGIN_GET);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, name);
	bool found = false;
	iv_status rc = step_one(st, s, &found, "reading wrong PINs");
	memset(out, 0, sizeof *out);
	if (rc == IV_OK && found)
		*out = (store_login){sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
		                     sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3)};
	sqlite3_reset(s);
	return rc;
}

iv_status sqlite_login_failures_set(store *st, const char *name, const store_login *in)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_LOGIN_SET);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, name);
	sqlite3_bind_int64(s, 2, in->failures);
	sqlite3_bind_int64(s, 3, in->last_failed_at);
	sqlite3_bind_int64(s, 4, in->checking);
	sqlite3_bind_int64(s, 5, in->checking_since);
	return sqlite_step_done(st, s, "counting a wrong PIN");
}

/* Whoever owns the file may write it with any tool anyway; a clerk who
 * may only use it through the group may not lift the slowdown. */
iv_status sqlite_login_unlock(store *st, const char *name)
{
	const char *path = sqlite3_db_filename(st->db, "main");
	struct stat sb;
	if (!path || stat(path, &sb) != 0)
		return sqlite_failf(st, IV_E_IO, "cannot read the database file's owner: %s", strerror(errno));
	if (sb.st_uid != geteuid()) {
		struct passwd *pw = getpwuid(sb.st_uid);
		return sqlite_failf(st, IV_E_PERMISSION,
		                   "only the owner of the database file (%s) may unlock a login; run it as "
		                   "that Unix user",
		                   pw ? pw->pw_name : "uid unknown");
	}
	sqlite3_stmt *s = sqlite_statement(st, Q_LOGIN_CLEAR);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, name);
	return sqlite_step_done(st, s, "unlocking a login");
}

static iv_status count(store *st, query q, int64_t *n, const char *doing)
{
	sqlite3_stmt *s = sqlite_statement(st, q);
	if (!s)
		return IV_E_STORAGE;
	iv_status rc = step_one(st, s, NULL, doing);
	if (rc == IV_OK)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc;
}

iv_status sqlite_user_count(store *st, int64_t *n)
{
	return count(st, Q_USER_COUNT, n, "counting users");
}

iv_status sqlite_user_admins(store *st, int64_t *n)
{
	return count(st, Q_USER_ADMINS, n, "counting admins");
}

iv_status sqlite_user_set_pin(store *st, int64_t user_id, const char *pin_hash, int64_t by_id,
                              const char *at)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_USER_SET_PIN);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite_param_text(s, 2, pin_hash);
	sqlite3_bind_int64(s, 3, by_id);
	sqlite_param_text(s, 4, at);
	return sqlite_step_done(st, s, "saving a PIN");
}

iv_status sqlite_user_set_disabled(store *st, int64_t user_id, bool disabled, int64_t by_id,
                                   const char *at)
{
	sqlite3_stmt *s = sqlite_statement(st, disabled ? Q_USER_DISABLE : Q_USER_ENABLE);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, user_id);
	if (disabled) {
		sqlite3_bind_int64(s, 2, by_id);
		sqlite_param_text(s, 3, at);
	}
	return sqlite_step_done(st, s, "saving a user");
}

iv_status sqlite_user_set_role(store *st, int64_t user_id, iv_role role)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_USER_SET_ROLE);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite_param_text(s, 2, store_role_text(role));
	return sqlite_step_done(st, s, "saving a user");
}

iv_status sqlite_user_each(store *st, iv_user_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_USER_EACH);
	if (!s)
		return IV_E_STORAGE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		iv_user_info u;
		memset(&u, 0, sizeof u);
		sqlite_text(s, 0, u.name, sizeof u.name);
		u.role = store_role_parse((const char *)sqlite3_column_text(s, 1));
		sqlite_text(s, 2, u.created_at, sizeof u.created_at);
		sqlite_text(s, 3, u.disabled_at, sizeof u.disabled_at);
		sqlite_text(s, 4, u.disabled_by, sizeof u.disabled_by);
		sqlite_text(s, 5, u.pin_set_at, sizeof u.pin_set_at);
		sqlite_text(s, 6, u.pin_set_by, sizeof u.pin_set_by);
		if (!cb(ctx, &u))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? IV_OK : sqlite_fail(st, rc, "listing users");
}

static iv_status each_item_of(store *st, sqlite3_stmt *s, bool with_id, void *cb, void *ctx, const char *doing)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id;
		iv_item row;
		read_item(s, &id, &row);
		bool go = with_id ? ((store_item_cb)cb)(ctx, id, &row) : ((iv_item_cb)cb)(ctx, &row);
		if (!go)
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? IV_OK : sqlite_fail(st, rc, doing);
}

void sqlite_param_folded(sqlite3_stmt *s, int i, const char *folded, char *buf, size_t size)
{
	if (folded && *folded) {
		store_like_pattern(buf, size, folded, true);
		sqlite_param_text(s, i, buf);
	} else {
		sqlite3_bind_null(s, i);
	}
}

iv_status sqlite_item_page(store *st, const char *folded, const char *number, bool back, size_t limit,
                           iv_item_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, back ? Q_ITEM_PAGE_BACK : Q_ITEM_PAGE);
	if (!s)
		return IV_E_STORAGE;
	char pattern[2 * STORE_ITEM_KEY_MAX + 4];
	sqlite_param_folded(s, 1, folded, pattern, sizeof pattern);
	sqlite_param_text(s, 2, number && *number ? number : NULL);
	sqlite3_bind_int64(s, 3, limit ? (sqlite3_int64)limit : -1);
	return each_item_of(st, s, false, (void *)cb, ctx, "searching items");
}

iv_status sqlite_item_count(store *st, const char *folded, uint64_t *n)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_ITEM_COUNT);
	if (!s)
		return IV_E_STORAGE;
	char pattern[2 * STORE_ITEM_KEY_MAX + 4];
	sqlite_param_folded(s, 1, folded, pattern, sizeof pattern);
	return sqlite_one_count(st, s, n, "counting items");
}

iv_status sqlite_item_unfolded_each(store *st, store_item_cb cb, void *ctx)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_ITEM_UNFOLDED);
	return s ? each_item_of(st, s, true, (void *)cb, ctx, "reading items") : IV_E_STORAGE;
}

iv_status sqlite_item_set_key(store *st, int64_t id, const char *key)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_ITEM_SET_KEY);
	if (!s)
		return IV_E_STORAGE;
	sqlite3_bind_int64(s, 1, id);
	sqlite_param_text(s, 2, key);
	return sqlite_step_done(st, s, "saving an item's search key");
}

iv_status sqlite_user_id_any_case(store *st, const char *name, int64_t *id)
{
	sqlite3_stmt *s = sqlite_statement(st, Q_USER_ID_ANY_CASE);
	if (!s)
		return IV_E_STORAGE;
	sqlite_param_text(s, 1, name);
	bool found = false;
	iv_status rc = step_one(st, s, &found, "looking up a user");
	if (rc != IV_OK)
		return rc;
	*id = found ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return found ? IV_OK : IV_E_NOT_FOUND;
}

iv_status sqlite_one_count(store *st, sqlite3_stmt *s, uint64_t *n, const char *doing)
{
	int rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(s, 0) : 0;
	return sqlite_end_rows(st, s, rc, doing);
}
