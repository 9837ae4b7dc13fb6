/* verify, the second pass over the ledger: the rows of each store and
 * item in id order (the database sorts them, in bounded memory), with
 * what they add up to as each was saved: the negative-stock rule over
 * every later day, the cumulative approval threshold, and at the end of
 * each store and item its stored balance, day totals and users' day
 * totals against the rows.  Memory holds one store and item's days. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/verify.h"

typedef struct user_day {
	iv_date date;
	int64_t user;
	iv_qty sum;
	bool stored;
} user_day;

/* The rows by item a backend keeps apart (store_item_rows_each): as
 * many as the ledger's rows, and the same (item, id) pairs, told by a
 * sum of their SipHashes under a key of this run's (a forger cannot aim
 * at a key never written down). */
typedef struct item_rows {
	unsigned char key[crypto_shorthash_KEYBYTES];
	uint64_t n, sum;
} item_rows;

static void item_rows_add(item_rows *x, int64_t item_id, int64_t id)
{
	int64_t pair[2] = {item_id, id};
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, (const unsigned char *)pair, sizeof pair, x->key);
	uint64_t v;
	memcpy(&v, h, sizeof v);
	x->n++;
	x->sum += v;
}

static bool on_item_row(void *ctx, int64_t item_id, int64_t id)
{
	item_rows_add(ctx, item_id, id);
	return true;
}

/* Holds the backend's rows by item to the ledger's rows (in); verify
 * reports them last, as the graver faults are found before. */
static iv_status check_item_rows(iv_db *db, const item_rows *in)
{
	item_rows kept = {0};
	memcpy(kept.key, in->key, sizeof kept.key);
	bool any;
	iv_status rc = store_item_rows_each(db->st, on_item_row, &kept, &any);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (!any || (kept.n == in->n && kept.sum == in->sum))
		return IV_OK;
	if (kept.n != in->n)
		return iv_fail(db, IV_E_CORRUPT,
		               "History by item lists %llu rows where the ledger has %llu (its table "
		               "ledger_items was written apart from the ledger)",
		               (unsigned long long)kept.n, (unsigned long long)in->n);
	return iv_fail(db, IV_E_CORRUPT,
	               "History by item lists rows under items they are not of (its table ledger_items "
	               "was written apart from the ledger)");
}

typedef struct pairs_walk {
	iv_db *db;
	const master_book *b;
	bool have_pair;
	int64_t store_id, item_id;
	const entity *store;
	iv_qty balance;
	bool balance_stored;
	rule_day *days; /* ascending, one per date */
	bool *day_stored;
	size_t ndays, days_cap;
	user_day *ud;
	size_t nud, ud_cap;
	uint64_t stored[3]; /* rows of balances, day_totals, user_days met */
	char bad[IV_MSG_MAX];
	iv_status status;
	item_rows by_item;
} pairs_walk;

static bool pair_fault(pairs_walk *w, const store_pair_row *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool pair_fault(pairs_walk *w, const store_pair_row *r, const char *fmt, ...)
{
	char why[IV_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	w->status = iv_fail(w->db, IV_E_CORRUPT, "store %s, ledger row #%lld (item %s): %s",
	                    book_key(w->b, STORE_T_STORES, r->store_id), (long long)r->id,
	                    book_key(w->b, STORE_T_ITEMS, r->item_id), why);
	return false;
}

static bool nomem(pairs_walk *w)
{
	w->status = iv_fail(w->db, IV_E_NOMEM, "out of memory");
	return false;
}

/* The index of date in days, or where it goes. */
static size_t day_slot(const pairs_walk *w, iv_date date)
{
	size_t lo = 0, hi = w->ndays;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (w->days[mid].date < date)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool add_day(pairs_walk *w, iv_date date, iv_qty diff)
{
	size_t k = day_slot(w, date);
	if (k < w->ndays && w->days[k].date == date) {
		w->days[k].diff += diff;
		return true;
	}
	if (w->ndays == w->days_cap) {
		size_t cap = w->days_cap ? 2 * w->days_cap : 32;
		rule_day *v = realloc(w->days, cap * sizeof *v);
		bool *s = realloc(w->day_stored, cap * sizeof *s);
		if (v)
			w->days = v;
		if (s)
			w->day_stored = s;
		if (!v || !s)
			return false;
		w->days_cap = cap;
	}
	memmove(&w->days[k + 1], &w->days[k], (w->ndays - k) * sizeof *w->days);
	memmove(&w->day_stored[k + 1], &w->day_stored[k], (w->ndays - k) * sizeof *w->day_stored);
	w->days[k] = (rule_day){date, diff};
	w->day_stored[k] = false;
	w->ndays++;
	return true;
}

/* The index of (date, user) in ud (ascending), or where it goes. */
static size_t user_day_slot(const pairs_walk *w, iv_date date, int64_t user)
{
	size_t lo = 0, hi = w->nud;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const user_day *u = &w->ud[mid];
		if (u->date < date || (u->date == date && u->user < user))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static user_day *find_user_day(pairs_walk *w, iv_date date, int64_t user)
{
	size_t k = user_day_slot(w, date, user);
	return k < w->nud && w->ud[k].date == date && w->ud[k].user == user ? &w->ud[k] : NULL;
}

static user_day *user_day_of(pairs_walk *w, iv_date date, int64_t user)
{
	size_t k = user_day_slot(w, date, user);
	if (k < w->nud && w->ud[k].date == date && w->ud[k].user == user)
		return &w->ud[k];
	if (w->nud == w->ud_cap) {
		size_t cap = w->ud_cap ? 2 * w->ud_cap : 32;
		user_day *v = realloc(w->ud, cap * sizeof *v);
		if (!v)
			return NULL;
		w->ud = v;
		w->ud_cap = cap;
	}
	memmove(&w->ud[k + 1], &w->ud[k], (w->nud - k) * sizeof *w->ud);
	w->ud[k] = (user_day){date, user, 0, false};
	w->nud++;
	return &w->ud[k];
}

/* ---- the stored sums of the pair just walked ---- */

static bool on_sum(void *ctx, store_sum_kind kind, const char *tdate, int64_t user_id, iv_qty qty)
{
	pairs_walk *w = ctx;
	const char *code = book_key(w->b, STORE_T_STORES, w->store_id);
	const char *item = book_key(w->b, STORE_T_ITEMS, w->item_id);
	w->stored[kind]++;
	if (kind == STORE_SUM_BALANCE) {
		w->balance_stored = true;
		if (qty != w->balance)
			snprintf(w->bad, sizeof w->bad, "the balance of store %s, item %s is %lld but its ledger rows sum to %lld",
			         code, item, (long long)qty, (long long)w->balance);
		return !*w->bad;
	}
	iv_date d;
	bool dated = tdate && rule_tdate_valid(tdate, &d);
	iv_qty sum = 0;
	if (dated && kind == STORE_SUM_DAY) {
		size_t k = day_slot(w, d);
		if (k < w->ndays && w->days[k].date == d) {
			sum = w->days[k].diff;
			w->day_stored[k] = true;
		}
	} else if (dated) {
		user_day *u = find_user_day(w, d, user_id);
		if (u) {
			sum = u->sum;
			u->stored = true;
		}
	}
	if (!dated || sum != qty) {
		if (kind == STORE_SUM_DAY)
			snprintf(w->bad, sizeof w->bad,
			         "the day total of store %s, item %s on %.16s is %lld but its ledger rows sum to %lld",
			         code, item, tdate ? tdate : "?", (long long)qty, (long long)sum);
		else
			snprintf(w->bad, sizeof w->bad,
			         "the day total of user %s at store %s, item %s on %.16s is %lld but the user's "
			         "ledger rows sum to %lld",
			         book_key(w->b, STORE_T_USERS, user_id), code, item, tdate ? tdate : "?",
			         (long long)qty, (long long)sum);
	}
	return !*w->bad;
}

static iv_status finish_pair(pairs_walk *w)
{
	if (!w->have_pair)
		return IV_OK;
	w->balance_stored = false;
	w->bad[0] = '\0';
	iv_status rc = store_pair_sums(w->db->st, w->store_id, w->item_id, on_sum, w);
	if (rc != IV_OK)
		return iv_fail_store(w->db, rc);
	if (*w->bad)
		return iv_fail(w->db, IV_E_CORRUPT, "%s", w->bad);
	const char *code = book_key(w->b, STORE_T_STORES, w->store_id);
	const char *item = book_key(w->b, STORE_T_ITEMS, w->item_id);
	if (!w->balance_stored && w->balance != 0)
		return iv_fail(w->db, IV_E_CORRUPT,
		               "the balance of store %s, item %s is 0 but its ledger rows sum to %lld", code,
		               item, (long long)w->balance);
	for (size_t k = 0; k < w->ndays; k++)
		if (!w->day_stored[k] && w->days[k].diff != 0) {
			char d[IV_DATE_ISO_LEN];
			date_format(w->days[k].date, d);
			return iv_fail(w->db, IV_E_CORRUPT,
			               "the day total of store %s, item %s on %s is 0 but its ledger rows sum to %lld",
			               code, item, d, (long long)w->days[k].diff);
		}
	for (size_t k = 0; k < w->nud; k++)
		if (!w->ud[k].stored && w->ud[k].sum != 0) {
			char d[IV_DATE_ISO_LEN];
			date_format(w->ud[k].date, d);
			return iv_fail(w->db, IV_E_CORRUPT,
			               "the day total of user %s at store %s, item %s on %s is 0 but the user's "
			               "ledger rows sum to %lld",
			               book_key(w->b, STORE_T_USERS, w->ud[k].user), code, item, d,
			               (long long)w->ud[k].sum);
		}
	return IV_OK;
}

/* ---- the rules that sum ---- */

/* The store's states that may have applied to row id: from *lo to *hi
 * (a row saved in the same millisecond as a change may have met either);
 * false when none did (the first pass has said why). */
static bool store_states(const entity *shop, int64_t id, size_t *lo, size_t *hi)
{
	bool any = false;
	size_t sure = 0, maybe = 0;
	bool have_sure = false;
	for (size_t k = 0; shop && k < shop->n; k++) {
		if (shop->v[k].first_id_at <= id) {
			maybe = k;
			any = true;
		}
		if (shop->v[k].first_id_after <= id) {
			sure = k;
			have_sure = true;
		}
	}
	*hi = maybe;
	*lo = have_sure ? sure : maybe;
	return any;
}

static bool check_rules(pairs_walk *w, const store_pair_row *r, iv_date date, iv_qty user_before)
{
	size_t lo, hi;
	if (r->hash_version != 2 || !store_states(w->store, r->id, &lo, &hi))
		return true;
	/* A reversal is approved as such; other lines when the user's day
	 * for the store and item goes past the threshold. */
	if (!r->reversal && !r->approved) {
		bool needed = true;
		iv_qty threshold = 0;
		for (size_t k = lo; k <= hi; k++) {
			threshold = strtoll(w->store->v[k].field[3], NULL, 10);
			needed &= rule_needs_approval(threshold, user_before, r->diff);
		}
		if (needed)
			return pair_fault(w, r,
			                  "its Diff %lld makes %lld for the user that day, above the store's "
			                  "approval threshold of %lld, and nobody approved it",
			                  (long long)r->diff, (long long)(user_before + r->diff), (long long)threshold);
	}
	if (r->diff >= 0)
		return true;
	for (size_t k = lo; k <= hi; k++)
		if (strcmp(w->store->v[k].field[2], "1") == 0)
			return true; /* negative stock was allowed */
	size_t after = day_slot(w, date + 1);
	rule_stock in = {
		.diff = r->diff,
		.date = date,
		.net = w->balance,
		.back_dated = true,
		.later = w->days + after,
		.nlater = w->ndays - after,
	};
	for (size_t k = 0; k < after; k++)
		in.at_date += w->days[k].diff;
	rule_stock_fault f;
	if (rule_stock_ok(&in, &f))
		return true;
	char msg[IV_MSG_MAX];
	rule_stock_text(&in, &f, book_key(w->b, STORE_T_STORES, r->store_id),
	                book_key(w->b, STORE_T_ITEMS, r->item_id), msg, sizeof msg);
	return pair_fault(w, r, "negative stock: %s", msg);
}

static bool on_pair_row(void *ctx, const store_pair_row *r)
{
	pairs_walk *w = ctx;
	item_rows_add(&w->by_item, r->item_id, r->id);
	if (!w->have_pair || r->store_id != w->store_id || r->item_id != w->item_id) {
		if ((w->status = finish_pair(w)) != IV_OK)
			return false;
		w->have_pair = true;
		w->store_id = r->store_id;
		w->item_id = r->item_id;
		w->store = book_entity(w->b, STORE_T_STORES, r->store_id);
		w->balance = 0;
		w->ndays = w->nud = 0;
	}
	iv_date date;
	if (!rule_tdate_valid(r->tdate, &date))
		return pair_fault(w, r, "its transaction date \"%s\" is not a date", r->tdate);
	user_day *u = user_day_of(w, date, r->user_id);
	if (!u)
		return nomem(w);
	if (!check_rules(w, r, date, u->sum))
		return false;
	u->sum += r->diff;
	w->balance += r->diff;
	return add_day(w, date, r->diff) || nomem(w);
}

iv_status verify_pairs(iv_db *db, const master_book *book, ledger_tally *out)
{
	pairs_walk w = {.db = db, .b = book, .status = IV_OK};
	if (sodium_init() < 0)
		return iv_fail(db, IV_E_NOMEM, "cannot initialise libsodium");
	randombytes_buf(w.by_item.key, sizeof w.by_item.key);
	iv_status rc = store_ledger_by_pair(db->st, on_pair_row, &w);
	if (rc != IV_OK)
		rc = iv_fail_store(db, rc);
	else if ((rc = w.status) == IV_OK)
		rc = finish_pair(&w);
	/* Rows of stores and items that have no ledger rows at all. */
	static const store_table tables[3] = {STORE_T_BALANCES, STORE_T_DAY_TOTALS, STORE_T_USER_DAYS};
	for (int k = 0; rc == IV_OK && k < 3; k++) {
		int64_t n;
		if ((rc = store_table_count(db->st, tables[k], &n)) != IV_OK)
			rc = iv_fail_store(db, rc);
		else if ((uint64_t)n != w.stored[k])
			rc = iv_fail(db, IV_E_CORRUPT,
			             "the %s table holds %llu rows for stores and items that have no ledger rows",
			             store_table_names[tables[k]], (unsigned long long)((uint64_t)n - w.stored[k]));
	}
	if (rc == IV_OK)
		rc = check_item_rows(db, &w.by_item);
	out->balances = w.stored[STORE_SUM_BALANCE];
	free(w.days);
	free(w.day_stored);
	free(w.ud);
	return rc;
}
