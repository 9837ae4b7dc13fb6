/* Reading: Net Available (now or as of a date), balances, history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "invadj/hmap.h"

/* An optional date (as-of, from, to) as ISO text; any valid date, also
 * a future one (an as-of date then equals today's balance).  *out is
 * NULL when none was given. */
static iv_status optional_date(iv_db *db, const char *text, const char *field,
                               char iso[IV_DATE_ISO_LEN], const char **out)
{
	*out = NULL;
	if (!text || !*text)
		return IV_OK;
	iv_date d;
	iv_status rc = iv_parse_any_date(db, text, field, &d);
	if (rc != IV_OK)
		return rc;
	date_format(d, iso);
	*out = iso;
	return IV_OK;
}

iv_status iv_net_available(iv_db *db, const char *store_code, const char *item, const char *as_of,
                           iv_qty *out)
{
	char iso[IV_DATE_ISO_LEN];
	const char *dated;
	int64_t sid, iid;
	iv_status rc = optional_date(db, as_of, "As of", iso, &dated);
	if (rc == IV_OK)
		rc = iv_find_store(db, store_code, &sid, NULL);
	if (rc == IV_OK)
		rc = iv_find_item(db, item, &iid, NULL);
	if (rc != IV_OK)
		return rc;
	rc = dated ? store_balance_asof(db->st, sid, iid, dated, out) : store_balance_get(db->st, sid, iid, out);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_balances(iv_db *db, const char *store_code, const char *item, const char *as_of,
                      iv_balance_cb cb, void *ctx)
{
	char iso[IV_DATE_ISO_LEN];
	const char *dated;
	iv_status rc = optional_date(db, as_of, "As of", iso, &dated);
	if (rc != IV_OK)
		return rc;
	if (store_code && *store_code) {
		if ((rc = iv_find_store(db, store_code, NULL, NULL)) != IV_OK)
			return rc;
	} else {
		store_code = NULL;
	}
	int64_t iid = 0;
	if (item && *item && (rc = iv_find_item(db, item, &iid, NULL)) != IV_OK)
		return rc;
	rc = store_balances_each(db->st, store_code, iid, dated, cb, ctx);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

/* The stores' zones, so that each row's recorded time is shown in its
 * store's (stores are few: read once per listing). */
typedef struct zones {
	hmap *index; /* store code -> index in tz */
	char (*tz)[IV_TZ_MAX + 1];
	size_t n;
	bool nomem;
} zones;

static bool add_zone(void *ctx, int64_t id, const iv_store *s)
{
	(void)id;
	zones *z = ctx;
	char(*grown)[IV_TZ_MAX + 1] = realloc(z->tz, (z->n + 1) * sizeof *z->tz);
	if (grown)
		z->tz = grown;
	if (!grown || !hmap_put(z->index, s->code, strlen(s->code), (int64_t)z->n, NULL))
		return !(z->nomem = true);
	snprintf(z->tz[z->n++], IV_TZ_MAX + 1, "%s", s->tz);
	return true;
}

static iv_status zones_load(iv_db *db, zones *z)
{
	memset(z, 0, sizeof *z);
	if (!(z->index = hmap_new()))
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	iv_status rc = store_store_each(db->st, add_zone, z);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	return z->nomem ? iv_fail(db, IV_E_NOMEM, "out of memory") : IV_OK;
}

static void zones_free(zones *z)
{
	hmap_free(z->index);
	free(z->tz);
}

static void show_local(iv_db *db, const zones *z, iv_ledger_row *r)
{
	int64_t *ix = hmap_get(z->index, r->store, strlen(r->store));
	clock_local_text(db, ix ? z->tz[*ix] : "", r->recorded_at, r->recorded_local,
	                 sizeof r->recorded_local);
}

typedef struct local_rows {
	iv_db *db;
	zones z;
	iv_ledger_cb cb;
	void *ctx;
} local_rows;

static bool with_local(void *ctx, const iv_ledger_row *in)
{
	local_rows *l = ctx;
	iv_ledger_row r = *in;
	show_local(l->db, &l->z, &r);
	return l->cb(l->ctx, &r);
}

/* The filter as the store takes it: dates as ISO text, every code
 * resolved to its id (matched as the lookups match them); an unknown
 * one is refused naming the field, never read as "no rows". */
static iv_status history_query(iv_db *db, const iv_history_filter *in, char from[IV_DATE_ISO_LEN],
                               char to[IV_DATE_ISO_LEN], store_history_query *q)
{
	memset(q, 0, sizeof *q);
	iv_status rc = optional_date(db, in->from, "From", from, &q->from);
	if (rc == IV_OK)
		rc = optional_date(db, in->to, "To", to, &q->to);
	if (rc == IV_OK && in->store && *in->store)
		rc = iv_find_store(db, in->store, &q->store_id, NULL);
	if (rc == IV_OK && in->item && *in->item)
		rc = iv_find_item(db, in->item, &q->item_id, NULL);
	if (rc == IV_OK && in->reason && *in->reason) {
		iv_reason r;
		rc = store_reason_find(db->st, in->reason, &q->reason_id, &r);
		if (rc == IV_E_NOT_FOUND)
			return iv_fail(db, rc, "Reason: \"%s\" is not a known reason code", in->reason);
		if (rc != IV_OK)
			return iv_fail_store(db, rc);
	}
	if (rc == IV_OK && in->user && *in->user) {
		rc = store_user_id_any_case(db->st, in->user, &q->user_id);
		if (rc == IV_E_NOT_FOUND)
			return iv_fail(db, rc, "User: \"%s\" is not a known user", in->user);
		if (rc != IV_OK)
			return iv_fail_store(db, rc);
	}
	q->batch = in->batch;
	q->before_id = in->before_id;
	q->after_id = in->after_id;
	q->anchor_tdate = in->anchor_date && *in->anchor_date ? in->anchor_date : NULL;
	q->limit = in->limit;
	q->oldest_first = in->oldest_first;
	return rc;
}

iv_status iv_history(iv_db *db, const iv_history_filter *in, iv_ledger_cb cb, void *ctx)
{
	char from[IV_DATE_ISO_LEN], to[IV_DATE_ISO_LEN];
	store_history_query q;
	iv_status rc = history_query(db, in, from, to, &q);
	if (rc != IV_OK)
		return rc;
	local_rows l = {.db = db, .cb = cb, .ctx = ctx};
	if ((rc = zones_load(db, &l.z)) == IV_OK && (rc = store_history(db->st, &q, with_local, &l)) != IV_OK)
		rc = iv_fail_store(db, rc);
	zones_free(&l.z);
	return rc;
}

iv_status iv_history_count(iv_db *db, const iv_history_filter *in, uint64_t *n)
{
	char from[IV_DATE_ISO_LEN], to[IV_DATE_ISO_LEN];
	store_history_query q;
	*n = 0;
	iv_status rc = history_query(db, in, from, to, &q);
	if (rc != IV_OK)
		return rc;
	rc = store_history_count(db->st, &q, n);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_ledger_get(iv_db *db, int64_t id, iv_ledger_row *out)
{
	iv_status rc = store_ledger_get(db->st, id, out, NULL);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	iv_store s;
	if (store_store_find(db->st, out->store, NULL, &s) != IV_OK)
		memset(&s, 0, sizeof s);
	clock_local_text(db, s.tz, out->recorded_at, out->recorded_local, sizeof out->recorded_local);
	return IV_OK;
}

bool iv_history_by_date(const iv_history_filter *f)
{
	bool dated = (f->from && *f->from) || (f->to && *f->to);
	return dated && !(f->item && *f->item) && !f->batch;
}
