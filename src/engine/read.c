/* Reading: Net Available (now or as of a date), balances, history. */
#include <stdio.h>
#include <string.h>

#include "engine/internal.h"

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
	rc = store_history(db->st, &q, cb, ctx);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
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
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

bool iv_history_by_date(const iv_history_filter *f)
{
	bool dated = (f->from && *f->from) || (f->to && *f->to);
	return dated && !(f->item && *f->item) && !f->batch;
}
