/* Browsing for the screens: stock and items a page at a time, with the
 * search folded once here so that both backends match alike. */
#include <stdio.h>
#include <string.h>

#include "engine/internal.h"
#include "invadj/fold.h"

/* The search folded into buf (*out NULL when there is none); text that
 * is not UTF-8 is refused, as a server would refuse it. */
static iv_status folded_search(iv_db *db, const char *search, char *buf, size_t size, const char **out)
{
	*out = NULL;
	if (!search || !*search)
		return IV_OK;
	if (!text_fold(search, buf, size))
		return iv_fail(db, IV_E_INVALID, "Search: the text is not valid UTF-8");
	*out = buf[0] ? buf : NULL;
	return IV_OK;
}

static iv_status stock_query(iv_db *db, const iv_stock_query *in, char as_of[IV_DATE_ISO_LEN], char *folded,
                             size_t fsize, store_stock_query *q)
{
	memset(q, 0, sizeof *q);
	if (in->store && *in->store) {
		iv_status rc = iv_find_store(db, in->store, &q->store_id, NULL);
		if (rc != IV_OK)
			return rc;
	}
	if (in->as_of && *in->as_of) {
		iv_date d;
		iv_status rc = iv_parse_any_date(db, in->as_of, "As of", &d);
		if (rc != IV_OK)
			return rc;
		date_format(d, as_of);
		q->as_of = as_of;
	}
	iv_status rc = folded_search(db, in->search, folded, fsize, &q->folded);
	if (rc != IV_OK)
		return rc;
	if (in->after) {
		q->after_store = in->after->store;
		q->after_item = in->after->item;
	}
	q->back = in->back;
	q->limit = in->limit;
	return IV_OK;
}

iv_status iv_stock_page(iv_db *db, const iv_stock_query *in, iv_balance_cb cb, void *ctx)
{
	char as_of[IV_DATE_ISO_LEN], folded[4 * IV_NAME_SIZE];
	store_stock_query q;
	iv_status rc = stock_query(db, in, as_of, folded, sizeof folded, &q);
	if (rc == IV_OK && (rc = store_stock_page(db->st, &q, cb, ctx)) != IV_OK)
		rc = iv_fail_store(db, rc);
	return rc;
}

iv_status iv_stock_count(iv_db *db, const iv_stock_query *in, uint64_t *n)
{
	char as_of[IV_DATE_ISO_LEN], folded[4 * IV_NAME_SIZE];
	store_stock_query q;
	*n = 0;
	iv_status rc = stock_query(db, in, as_of, folded, sizeof folded, &q);
	if (rc == IV_OK && (rc = store_stock_count(db->st, &q, n)) != IV_OK)
		rc = iv_fail_store(db, rc);
	return rc;
}

iv_status iv_item_page(iv_db *db, const char *search, const char *after_number, bool back, size_t limit,
                       iv_item_cb cb, void *ctx)
{
	char folded[4 * IV_NAME_SIZE];
	const char *f;
	iv_status rc = folded_search(db, search, folded, sizeof folded, &f);
	if (rc != IV_OK)
		return rc;
	rc = store_item_page(db->st, f, after_number, back, limit, cb, ctx);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_item_count(iv_db *db, const char *search, uint64_t *n)
{
	char folded[4 * IV_NAME_SIZE];
	const char *f;
	*n = 0;
	iv_status rc = folded_search(db, search, folded, sizeof folded, &f);
	if (rc != IV_OK)
		return rc;
	rc = store_item_count(db->st, f, n);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}
