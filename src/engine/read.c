/* Reading: Net Available (now or as of a date), balances, history. */
#include <stdio.h>
#include <string.h>

#include "engine/internal.h"

/* An as-of date may be any valid date, also a future one (it then
 * equals today's balance). */
static iv_status parse_as_of(iv_db *db, const char *text, char iso[IV_DATE_ISO_LEN], bool *given)
{
	*given = text && *text;
	if (!*given)
		return IV_OK;
	iv_date d;
	if (!date_parse(text, &d))
		return iv_fail(db, IV_E_INVALID,
		               "As of: \"%s\" is not a valid date (use MM/DD/YYYY, MM-DD-YYYY or YYYY-MM-DD)",
		               text);
	date_format(d, iso);
	return IV_OK;
}

iv_status iv_net_available(iv_db *db, const char *store_code, const char *item, const char *as_of,
                           iv_qty *out)
{
	char iso[IV_DATE_ISO_LEN];
	bool dated;
	iv_status rc = parse_as_of(db, as_of, iso, &dated);
	if (rc != IV_OK)
		return rc;
	int64_t sid, iid;
	iv_store s;
	iv_item it;
	if ((rc = store_store_find(db->st, store_code ? store_code : "", &sid, &s)) == IV_E_NOT_FOUND)
		return iv_fail(db, rc, "Store: \"%s\" is not a known store code", store_code ? store_code : "");
	if (rc == IV_OK && (rc = store_item_find(db->st, item ? item : "", 0, &iid, &it)) == IV_E_NOT_FOUND)
		return iv_fail(db, rc,
		               "Item Number: \"%s\" is not a known item number, UPC, barcode or alternate number",
		               item ? item : "");
	if (rc == IV_OK)
		rc = dated ? store_balance_asof(db->st, sid, iid, iso, out)
		           : store_balance_get(db->st, sid, iid, out);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_balances(iv_db *db, const char *store_code, const char *item, const char *as_of,
                      iv_balance_cb cb, void *ctx)
{
	char iso[IV_DATE_ISO_LEN];
	bool dated;
	iv_status rc = parse_as_of(db, as_of, iso, &dated);
	if (rc != IV_OK)
		return rc;
	if (store_code && *store_code) {
		iv_store s;
		if ((rc = iv_store_get(db, store_code, &s)) != IV_OK)
			return rc;
	} else {
		store_code = NULL;
	}
	int64_t iid = 0;
	if (item && *item) {
		rc = store_item_find(db->st, item, 0, &iid, NULL);
		if (rc == IV_E_NOT_FOUND)
			return iv_fail(db, rc,
			               "Item Number: \"%s\" is not a known item number, UPC, barcode or alternate number",
			               item);
		if (rc != IV_OK)
			return iv_fail_store(db, rc);
	}
	rc = store_balances_each(db->st, store_code, iid, dated ? iso : NULL, cb, ctx);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

static iv_status filter_date(iv_db *db, const char *text, const char *field, char iso[IV_DATE_ISO_LEN],
                             const char **out)
{
	*out = NULL;
	if (!text || !*text)
		return IV_OK;
	iv_date d;
	if (!date_parse(text, &d))
		return iv_fail(db, IV_E_INVALID,
		               "%s: \"%s\" is not a valid date (use MM/DD/YYYY, MM-DD-YYYY or YYYY-MM-DD)",
		               field, text);
	date_format(d, iso);
	*out = iso;
	return IV_OK;
}

static const char *or_null(const char *t)
{
	return t && *t ? t : NULL;
}

iv_status iv_history(iv_db *db, const iv_history_filter *in, iv_ledger_cb cb, void *ctx)
{
	iv_history_filter f = *in;
	char from[IV_DATE_ISO_LEN], to[IV_DATE_ISO_LEN];
	iv_status rc = filter_date(db, in->from, "From", from, &f.from);
	if (rc == IV_OK)
		rc = filter_date(db, in->to, "To", to, &f.to);
	if (rc != IV_OK)
		return rc;
	f.store = or_null(in->store);
	f.reason = or_null(in->reason);
	f.user = or_null(in->user);
	f.item = NULL;
	iv_item it;
	if (in->item && *in->item) {
		/* Any identifier finds the item; an unknown one matches nothing. */
		if ((rc = iv_item_find(db, in->item, &it)) != IV_OK)
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
