/* Master data and users on PostgreSQL: stores, items, reason codes. */
#include <stdio.h>
#include <string.h>

#include "store/pg_internal.h"

/* Runs q with one text parameter and hands back its rows. */
static iv_status find(pg_store *pg, pg_query q, const char *key, PGresult **res, const char *doing)
{
	pg_params p = {0};
	pg_param_text(&p, key);
	return pg_exec(pg, q, &p, res, doing);
}

static iv_status run(pg_store *pg, pg_query q, const pg_params *p, const char *doing)
{
	return pg_exec(pg, q, p, NULL, doing);
}

/* ---- stores ---- */

static void read_store(const PGresult *r, int i, int64_t *id, iv_store *out)
{
	if (id)
		*id = pg_int(r, i, 0);
	if (out) {
		pg_text(r, i, 1, out->code, sizeof out->code);
		pg_text(r, i, 2, out->name, sizeof out->name);
		out->allow_negative = pg_int(r, i, 3) != 0;
		out->approval_threshold = pg_int(r, i, 4);
		pg_text(r, i, 5, out->tz, sizeof out->tz);
	}
}

/* Runs an INSERT ... RETURNING id. */
static iv_status run_id(pg_store *pg, pg_query q, const pg_params *p, int64_t *id, const char *doing)
{
	PGresult *res;
	iv_status rc = pg_exec(pg, q, p, &res, doing);
	if (rc != IV_OK)
		return rc;
	if (id)
		*id = PQntuples(res) > 0 ? pg_int(res, 0, 0) : 0;
	PQclear(res);
	return IV_OK;
}

iv_status pg_store_find(store *st, const char *code, int64_t *id, iv_store *out)
{
	PGresult *res;
	iv_status rc = find(pg_of(st), PQ_STORE_FIND, code, &res, "looking up a store");
	if (rc != IV_OK)
		return rc;
	bool found = PQntuples(res) > 0;
	if (found)
		read_store(res, 0, id, out);
	PQclear(res);
	return found ? IV_OK : IV_E_NOT_FOUND;
}

iv_status pg_store_upsert(store *st, const iv_store *in, int64_t *id)
{
	pg_params p = {0};
	pg_param_text(&p, in->code);
	pg_param_text(&p, in->name);
	pg_param_int(&p, in->allow_negative ? 1 : 0);
	pg_param_int(&p, in->approval_threshold);
	pg_param_text(&p, in->tz);
	return run_id(pg_of(st), PQ_STORE_UPSERT, &p, id, "saving a store");
}

iv_status pg_store_each(store *st, store_store_cb cb, void *ctx)
{
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_STORE_EACH, NULL, &res, "listing stores");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		int64_t id;
		iv_store row;
		read_store(res, i, &id, &row);
		if (!cb(ctx, id, &row))
			break;
	}
	PQclear(res);
	return IV_OK;
}

/* ---- items ---- */

static void read_item(const PGresult *r, int i, int64_t *id, iv_item *out)
{
	if (id)
		*id = pg_int(r, i, 0);
	if (out) {
		pg_text(r, i, 1, out->number, sizeof out->number);
		pg_text(r, i, 2, out->description, sizeof out->description);
		pg_text(r, i, 3, out->upc, sizeof out->upc);
		pg_text(r, i, 4, out->barcode, sizeof out->barcode);
		for (int k = 0; k < 3; k++)
			pg_text(r, i, 5 + k, out->alt[k], sizeof out->alt[k]);
	}
}

iv_status pg_item_find(store *st, const char *ident, store_item_kind kind, int64_t *id,
                       iv_item *out)
{
	static const pg_query by_kind[STORE_ITEM_KINDS] = {
		[STORE_ITEM_ANY] = PQ_ITEM_FIND_ANY,         [STORE_ITEM_NUMBER] = PQ_ITEM_FIND_NUMBER,
		[STORE_ITEM_UPC] = PQ_ITEM_FIND_UPC,         [STORE_ITEM_BARCODE] = PQ_ITEM_FIND_BARCODE,
		[STORE_ITEM_ALT1] = PQ_ITEM_FIND_ALT1,       [STORE_ITEM_ALT2] = PQ_ITEM_FIND_ALT2,
		[STORE_ITEM_ALT3] = PQ_ITEM_FIND_ALT3,
	};
	pg_store *pg = pg_of(st);
	if ((unsigned)kind >= STORE_ITEM_KINDS)
		return pg_failf(pg, IV_E_INVALID, "unknown item identifier kind %d", (int)kind);
	PGresult *res;
	iv_status rc = find(pg, by_kind[kind], ident, &res, "looking up an item");
	if (rc != IV_OK)
		return rc;
	bool found = PQntuples(res) > 0;
	if (found)
		read_item(res, 0, id, out);
	PQclear(res);
	return found ? IV_OK : IV_E_NOT_FOUND;
}

static const char *or_null(const char *t)
{
	return t && *t ? t : NULL;
}

iv_status pg_item_upsert(store *st, const iv_item *in, int64_t *id)
{
	pg_params p = {0};
	pg_param_text(&p, in->number);
	pg_param_text(&p, in->description);
	pg_param_text(&p, or_null(in->upc));
	pg_param_text(&p, or_null(in->barcode));
	for (int i = 0; i < 3; i++)
		pg_param_text(&p, or_null(in->alt[i]));
	char key[STORE_ITEM_KEY_MAX];
	store_item_key(in, key, sizeof key);
	pg_param_text(&p, key);
	return run_id(pg_of(st), PQ_ITEM_UPSERT, &p, id, "saving an item");
}

iv_status pg_item_each(store *st, store_item_cb cb, void *ctx)
{
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_ITEM_EACH, NULL, &res, "listing items");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		int64_t id;
		iv_item row;
		read_item(res, i, &id, &row);
		if (!cb(ctx, id, &row))
			break;
	}
	PQclear(res);
	return IV_OK;
}

iv_status pg_item_search(store *st, const char *text, size_t limit, iv_item_cb cb, void *ctx)
{
	char prefix[2 * IV_NAME_MAX + 4], contains[2 * IV_NAME_MAX + 4];
	store_like_pattern(prefix, sizeof prefix, text ? text : "", false);
	store_like_pattern(contains, sizeof contains, text ? text : "", true);
	pg_params p = {0};
	pg_param_text(&p, prefix);
	pg_param_text(&p, contains);
	pg_param_id(&p, (int64_t)limit); /* 0: no limit */
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_ITEM_SEARCH, &p, &res, "searching items");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		iv_item row;
		read_item(res, i, NULL, &row);
		if (!cb(ctx, &row))
			break;
	}
	PQclear(res);
	return IV_OK;
}

/* ---- reasons ---- */

static void read_reason(const PGresult *r, int i, int64_t *id, iv_reason *out)
{
	if (id)
		*id = pg_int(r, i, 0);
	if (out) {
		pg_text(r, i, 1, out->code, sizeof out->code);
		pg_text(r, i, 2, out->description, sizeof out->description);
	}
}

iv_status pg_reason_find(store *st, const char *code, int64_t *id, iv_reason *out)
{
	PGresult *res;
	iv_status rc = find(pg_of(st), PQ_REASON_FIND, code, &res, "looking up a reason code");
	if (rc != IV_OK)
		return rc;
	bool found = PQntuples(res) > 0;
	if (found)
		read_reason(res, 0, id, out);
	PQclear(res);
	return found ? IV_OK : IV_E_NOT_FOUND;
}

iv_status pg_reason_upsert(store *st, const iv_reason *in, int64_t *id)
{
	pg_params p = {0};
	pg_param_text(&p, in->code);
	pg_param_text(&p, in->description);
	return run_id(pg_of(st), PQ_REASON_UPSERT, &p, id, "saving a reason code");
}

iv_status pg_reason_each(store *st, store_reason_cb cb, void *ctx)
{
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_REASON_EACH, NULL, &res, "listing reason codes");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		int64_t id;
		iv_reason row;
		read_reason(res, i, &id, &row);
		if (!cb(ctx, id, &row))
			break;
	}
	PQclear(res);
	return IV_OK;
}

/* ---- users ---- */

iv_status pg_user_find(store *st, const char *name, store_user *out)
{
	PGresult *res;
	iv_status rc = find(pg_of(st), PQ_USER_FIND, name, &res, "looking up a user");
	if (rc != IV_OK)
		return rc;
	bool found = PQntuples(res) > 0;
	if (found) {
		memset(out, 0, sizeof *out);
		out->user.id = pg_int(res, 0, 0);
		pg_text(res, 0, 1, out->user.name, sizeof out->user.name);
		out->user.role = store_role_parse(PQgetvalue(res, 0, 2));
		pg_text(res, 0, 3, out->pin_hash, sizeof out->pin_hash);
		out->disabled = PQgetvalue(res, 0, 4)[0] == 't';
	}
	PQclear(res);
	return found ? IV_OK : IV_E_NOT_FOUND;
}

iv_status pg_user_insert(store *st, const char *name, iv_role role, const char *pin_hash,
                         const char *at, int64_t *id)
{
	pg_params p = {0};
	pg_param_text(&p, name);
	pg_param_text(&p, store_role_text(role));
	pg_param_text(&p, pin_hash);
	pg_param_text(&p, at);
	return run_id(pg_of(st), PQ_USER_INSERT, &p, id, "saving a user");
}

iv_status pg_login_failures_get(store *st, const char *name, store_login *out)
{
	PGresult *res;
	iv_status rc = find(pg_of(st), PQ_LOGIN_GET, name, &res, "reading wrong PINs");
	if (rc != IV_OK)
		return rc;
	memset(out, 0, sizeof *out);
	if (PQntuples(res) > 0)
		*out = (store_login){pg_int(res, 0, 0), pg_int(res, 0, 1), pg_int(res, 0, 2), pg_int(res, 0, 3)};
	PQclear(res);
	return IV_OK;
}

iv_status pg_login_failures_set(store *st, const char *name, const store_login *in)
{
	pg_params p = {0};
	pg_param_text(&p, name);
	pg_param_int(&p, in->failures);
	pg_param_int(&p, in->last_failed_at);
	pg_param_int(&p, in->checking);
	pg_param_int(&p, in->checking_since);
	return run(pg_of(st), PQ_LOGIN_SET, &p, "counting a wrong PIN");
}

iv_status pg_login_unlock(store *st, const char *name)
{
	pg_store *pg = pg_of(st);
	PGresult *res;
	iv_status rc = pg_exec(pg, PQ_LOGIN_MAY_UNLOCK, NULL, &res, "unlocking a login");
	if (rc != IV_OK)
		return rc;
	bool may = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!may)
		return pg_failf(pg, IV_E_PERMISSION,
		                "only the database's owner may unlock a login (connect as the role that "
		                "ran `invadj init`, not the terminals' role)");
	pg_params p = {0};
	pg_param_text(&p, name);
	return run(pg, PQ_LOGIN_CLEAR, &p, "unlocking a login");
}

static iv_status count(store *st, pg_query q, int64_t *n, const char *doing)
{
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), q, NULL, &res, doing);
	if (rc != IV_OK)
		return rc;
	*n = pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}

iv_status pg_user_count(store *st, int64_t *n)
{
	return count(st, PQ_USER_COUNT, n, "counting users");
}

iv_status pg_user_admins(store *st, int64_t *n)
{
	return count(st, PQ_USER_ADMINS, n, "counting admins");
}

iv_status pg_user_set_pin(store *st, int64_t user_id, const char *pin_hash, int64_t by_id,
                          const char *at)
{
	pg_params p = {0};
	pg_param_int(&p, user_id);
	pg_param_text(&p, pin_hash);
	pg_param_int(&p, by_id);
	pg_param_text(&p, at);
	return run(pg_of(st), PQ_USER_SET_PIN, &p, "saving a PIN");
}

iv_status pg_user_set_disabled(store *st, int64_t user_id, bool disabled, int64_t by_id,
                               const char *at)
{
	pg_params p = {0};
	pg_param_int(&p, user_id);
	if (disabled) {
		pg_param_int(&p, by_id);
		pg_param_text(&p, at);
	}
	return run(pg_of(st), disabled ? PQ_USER_DISABLE : PQ_USER_ENABLE, &p, "saving a user");
}

iv_status pg_user_set_role(store *st, int64_t user_id, iv_role role)
{
	pg_params p = {0};
	pg_param_int(&p, user_id);
	pg_param_text(&p, store_role_text(role));
	return run(pg_of(st), PQ_USER_SET_ROLE, &p, "saving a user");
}

iv_status pg_user_each(store *st, iv_user_cb cb, void *ctx)
{
	PGresult *res;
	iv_status rc = pg_exec(pg_of(st), PQ_USER_EACH, NULL, &res, "listing users");
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		iv_user_info u;
		memset(&u, 0, sizeof u);
		pg_text(res, i, 0, u.name, sizeof u.name);
		u.role = store_role_parse(PQgetvalue(res, i, 1));
		pg_text(res, i, 2, u.created_at, sizeof u.created_at);
		pg_text(res, i, 3, u.disabled_at, sizeof u.disabled_at);
		pg_text(res, i, 4, u.disabled_by, sizeof u.disabled_by);
		pg_text(res, i, 5, u.pin_set_at, sizeof u.pin_set_at);
		pg_text(res, i, 6, u.pin_set_by, sizeof u.pin_set_by);
		if (!cb(ctx, &u))
			break;
	}
	PQclear(res);
	return IV_OK;
}

static iv_status each_item_of(pg_store *pg, pg_query q, const pg_params *p, bool with_id, void *cb, void *ctx,
                              const char *doing)
{
	PGresult *res;
	iv_status rc = pg_exec(pg, q, p, &res, doing);
	if (rc != IV_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		int64_t id;
		iv_item row;
		read_item(res, i, &id, &row);
		bool go = with_id ? ((store_item_cb)cb)(ctx, id, &row) : ((iv_item_cb)cb)(ctx, &row);
		if (!go)
			break;
	}
	PQclear(res);
	return IV_OK;
}

void pg_param_folded(pg_params *p, const char *folded, char *buf, size_t size)
{
	if (folded && *folded) {
		store_like_pattern(buf, size, folded, true);
		pg_param_text(p, buf);
	} else {
		pg_param_text(p, NULL);
	}
}

iv_status pg_item_page(store *st, const char *folded, const char *number, bool back, size_t limit,
                       iv_item_cb cb, void *ctx)
{
	char pattern[2 * STORE_ITEM_KEY_MAX + 4];
	pg_params p = {0};
	pg_param_folded(&p, folded, pattern, sizeof pattern);
	pg_param_text(&p, number && *number ? number : NULL);
	pg_param_id(&p, (int64_t)limit);
	return each_item_of(pg_of(st), back ? PQ_ITEM_PAGE_BACK : PQ_ITEM_PAGE, &p, false, (void *)cb, ctx,
	                    "searching items");
}

iv_status pg_one_count(pg_store *pg, pg_query q, const pg_params *p, uint64_t *n, const char *doing)
{
	PGresult *res;
	*n = 0;
	iv_status rc = pg_exec(pg, q, p, &res, doing);
	if (rc != IV_OK)
		return rc;
	if (PQntuples(res) > 0)
		*n = (uint64_t)pg_int(res, 0, 0);
	PQclear(res);
	return IV_OK;
}

iv_status pg_item_count(store *st, const char *folded, uint64_t *n)
{
	char pattern[2 * STORE_ITEM_KEY_MAX + 4];
	pg_params p = {0};
	pg_param_folded(&p, folded, pattern, sizeof pattern);
	return pg_one_count(pg_of(st), PQ_ITEM_COUNT, &p, n, "counting items");
}

iv_status pg_item_unfolded_each(store *st, store_item_cb cb, void *ctx)
{
	return each_item_of(pg_of(st), PQ_ITEM_UNFOLDED, NULL, true, (void *)cb, ctx, "reading items");
}

iv_status pg_item_set_key(store *st, int64_t id, const char *key)
{
	pg_params p = {0};
	pg_param_int(&p, id);
	pg_param_text(&p, key);
	return run(pg_of(st), PQ_ITEM_SET_KEY, &p, "saving an item's search key");
}

iv_status pg_user_id_any_case(store *st, const char *name, int64_t *id)
{
	pg_params p = {0};
	pg_param_text(&p, name);
	PGresult *res;
	*id = 0;
	iv_status rc = pg_exec(pg_of(st), PQ_USER_ID_ANY_CASE, &p, &res, "looking up a user");
	if (rc != IV_OK)
		return rc;
	bool found = PQntuples(res) > 0;
	if (found)
		*id = pg_int(res, 0, 0);
	PQclear(res);
	return found ? IV_OK : IV_E_NOT_FOUND;
}
