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

static const char *or_null(const char *t)
{
	return t && *t ? t : NULL;
}

iv_status iv_history(iv_db *db, const iv_history_filter *in, iv_ledger_cb cb, void *ctx)
{
	iv_history_filter f = *in;
	char from[IV_DATE_ISO_LEN], to[IV_DATE_ISO_LEN];
	iv_status rc = optional_date(db, in->from, "From", from, &f.from);
	if (rc == IV_OK)
		rc = optional_date(db, in->to, "To", to, &f.to);
	if (rc != IV_OK)
		return rc;
	f.store = or_null(in->store);
	f.reason = or_null(in->reason);
	f.user = or_null(in->user);
	f.item = NULL;
	iv_item it;
	if (in->item && *in->item) {
		/* Any identifier finds the item; an unknown one matches nothing. */
		if ((rc = iv_find_item(db, in->item, NULL, &it)) != IV_OK)
			return rc;
		f.item = it.number;
	}
	rc = store_history(db->st, &f, cb, ctx);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_ledger_get(iv_db *db, int64_t id, iv_ledger_row *out)
{
	iv_status rc = store_ledger_get(db->st, id, out, NULL);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}
