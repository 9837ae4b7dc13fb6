/* Appending to the ledger: the hash chain, the balances, and the
 * negative-stock rule that every way of posting shares. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "engine/internal.h"

/* Appends "%lld|".  The bulk loader hashes a million rows in a run, and
 * snprintf was a fifth of its time. */
static char *put_int(char *p, int64_t v)
{
	char digits[24];
	int n = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*p++ = '-';
	while (n > 0)
		*p++ = digits[--n];
	*p++ = '|';
	return p;
}

/* Appends "%s|" of a NUL-terminated field of at most max bytes. */
static char *put_text(char *p, const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	memcpy(p, s, n);
	p += n;
	*p++ = '|';
	return p;
}

void ledger_hash(const unsigned char prev[STORE_HASH_LEN], const store_ledger_rec *r,
                 unsigned char out[STORE_HASH_LEN])
{
	/* The canonical form of a row: its fields in a fixed order, each
	 * followed by "|" (integers in decimal), the memo last so that no
	 * separator inside it can be ambiguous.  The same bytes as
	 * "%lld|%lld|%lld|%lld|%lld|%lld|%s|%s|%lld|%lld|%lld|%lld|". */
	char text[12 * 21 + sizeof r->tdate + sizeof r->recorded_at];
	char *p = text;
	p = put_int(p, r->id);
	p = put_int(p, r->document);
	p = put_int(p, r->store_id);
	p = put_int(p, r->item_id);
	p = put_int(p, r->reason_id);
	p = put_int(p, r->diff);
	p = put_text(p, r->tdate, sizeof r->tdate);
	p = put_text(p, r->recorded_at, sizeof r->recorded_at);
	p = put_int(p, r->user_id);
	p = put_int(p, r->approved_by);
	p = put_int(p, r->reverses);
	p = put_int(p, r->batch_id);
	size_t n = (size_t)(p - text);
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, STORE_HASH_LEN);
	crypto_generichash_update(&st, prev, STORE_HASH_LEN);
	crypto_generichash_update(&st, (const unsigned char *)text, (unsigned long long)n);
	const char *memo = r->memo ? r->memo : "";
	crypto_generichash_update(&st, (const unsigned char *)memo, strlen(memo));
	crypto_generichash_final(&st, out, STORE_HASH_LEN);
}

iv_status ledger_head(iv_db *db, ledger_chain *chain)
{
	iv_status rc = store_ledger_head(db->st, &chain->last_id, chain->hash);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status ledger_append(iv_db *db, ledger_chain *chain, store_ledger_rec *rec, bool defer_balances)
{
	rec->id = chain->last_id + 1;
	if (rec->document == 0)
		rec->document = rec->id;
	ledger_hash(chain->hash, rec, rec->hash);
	iv_status rc = store_ledger_insert(db->st, rec);
	if (rc == IV_OK && !defer_balances) {
		rc = store_balance_add(db->st, rec->store_id, rec->item_id, rec->diff);
		if (rc == IV_OK)
			rc = store_day_add(db->st, rec->store_id, rec->item_id, rec->tdate, rec->diff);
	}
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	chain->last_id = rec->id;
	memcpy(chain->hash, rec->hash, STORE_HASH_LEN);
	return IV_OK;
}

struct later_days {
	iv_qty running;
	bool refused;
	char day[IV_DATE_ISO_LEN];
};

static bool walk_day(void *ctx, const char *tdate, iv_qty diff)
{
	struct later_days *w = ctx;
	w->running += diff;
	if (w->running < 0) {
		w->refused = true;
		snprintf(w->day, sizeof w->day, "%s", tdate);
		return false;
	}
	return true;
}

iv_status ledger_check_negative(iv_db *db, const iv_store *s, int64_t store_id, int64_t item_id,
                                const char *item_number, iv_qty pending, iv_qty diff,
                                iv_date tdate, iv_date today, iv_qty *net, char *msg, size_t msgsize)
{
	iv_qty balance;
	iv_status rc = store_balance_get(db->st, store_id, item_id, &balance);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	*net = balance + pending;
	if (s->allow_negative || diff >= 0)
		return IV_OK;
	if (*net + diff < 0) {
		snprintf(msg, msgsize,
		         "New Qty would be %lld at store %s for item %s; negative stock is not allowed",
		         (long long)(*net + diff), s->code, item_number);
		return IV_E_REFUSED;
	}
	if (tdate >= today)
		return IV_OK;
	/* Back-dated: the running balance at the end of the line's own day and
	 * of every later day that has movements must stay at zero or above. */
	char day[IV_DATE_ISO_LEN];
	date_format(tdate, day);
	struct later_days w = {0};
	rc = store_balance_asof(db->st, store_id, item_id, day, &w.running);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	w.running += pending + diff;
	if (w.running < 0) {
		w.refused = true;
		snprintf(w.day, sizeof w.day, "%s", day);
	} else {
		rc = store_days_after(db->st, store_id, item_id, day, walk_day, &w);
		if (rc != IV_OK)
			return iv_fail_store(db, rc);
	}
	if (w.refused) {
		snprintf(msg, msgsize,
		         "back-dated to %s, this would make the balance at store %s for item %s "
		         "%lld on %s; negative stock is not allowed",
		         day, s->code, item_number, (long long)w.running, w.day);
		return IV_E_REFUSED;
	}
	return IV_OK;
}
