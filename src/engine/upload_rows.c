/* Checking one row of an upload: its fields, and the rules that depend
 * on the stock (Sync's Diff, negative stock over dates, approval).  Net
 * Available comes from memory: the stored balance read once per store
 * and item, plus the file's earlier accepted rows. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rules.h"
#include "engine/upload_internal.h"

#define DENSE_LIMIT (16u * 1024u * 1024u)

static iv_status row_fail(row *w, iv_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static iv_status row_fail(row *w, iv_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof w->msg, fmt, ap);
	va_end(ap);
	return w->status = st;
}

static const char *cell(const run *r, char **f, int col)
{
	return r->map[col] >= 0 ? f[r->map[col]] : "";
}

static iv_status fatal(run *r, row *w, iv_status st, const char *why)
{
	r->fatal = iv_fail(r->db, st, "%s", why);
	return row_fail(w, st, "%s", why);
}

/* ---- stores and items met ------------------------------------------- */

/* The dense index of a store, allocated on its first row if it fits
 * (a store that does not fit never will: the bytes only grow).  NULL:
 * the hash map serves the store; *nomem when memory ran out. */
static int32_t *dense_of(run *r, size_t store_ix, bool *nomem)
{
	*nomem = false;
	if (r->dense[store_ix])
		return r->dense[store_ix];
	size_t bytes = (r->m.nitems ? r->m.nitems : 1) * sizeof(int32_t);
	if (r->dense_bytes + bytes > DENSE_LIMIT)
		return NULL;
	int32_t *v = malloc(bytes);
	if (!v) {
		*nomem = true;
		return NULL;
	}
	memset(v, 0xff, bytes); /* -1: not met yet */
	r->dense_bytes += bytes;
	return r->dense[store_ix] = v;
}

/* The index's slot of a store and item, made (-1) when new; NULL when
 * memory ran out (r->fatal set). */
static int64_t *slot_of(run *r, size_t store_ix, size_t item_ix, int64_t *scratch)
{
	bool nomem;
	int32_t *dense = dense_of(r, store_ix, &nomem);
	if (dense) {
		*scratch = dense[item_ix];
		return scratch;
	}
	uint32_t key[2] = {(uint32_t)store_ix, (uint32_t)item_ix};
	int64_t *slot = nomem ? NULL : hmap_put(r->pairs, key, sizeof key, -1, NULL);
	if (!slot)
		r->fatal = iv_fail(r->db, IV_E_NOMEM, "out of memory");
	return slot;
}

/* Sets the slot slot_of gave (a copy when the store is dense). */
static void slot_set(run *r, size_t store_ix, size_t item_ix, int64_t *slot, int64_t v)
{
	if (r->dense[store_ix])
		r->dense[store_ix][item_ix] = (int32_t)v;
	else
		*slot = v;
}

/* The stored balance of a store and item, through the pass's reader. */
static iv_status read_balance(run *r, size_t store_ix, size_t item_ix, iv_qty *qty, row *w)
{
	iv_status rc = store_balance_get(r->rd, r->m.store_v[store_ix].id, r->m.item_v[item_ix].id, qty);
	return rc == IV_OK ? IV_OK : fatal(r, w, rc, store_errmsg(r->rd));
}

/* Delta: the pair of the row's store and item, made when new (its
 * balance read: the one read of it in the whole pass). */
static pair *find_pair(run *r, row *w)
{
	int64_t scratch, *slot = slot_of(r, w->store_ix, w->item_ix, &scratch);
	if (!slot) {
		row_fail(w, r->fatal, "out of memory");
		return NULL;
	}
	if (*slot >= 0) {
		w->pair_ix = (size_t)*slot;
		return &r->pair_v[w->pair_ix];
	}
	if (r->npairs >= INT32_MAX) {
		fatal(r, w, IV_E_NOMEM, "out of memory: too many stores and items in one file");
		return NULL;
	}
	if (r->npairs == r->pair_cap) {
		size_t cap = r->pair_cap ? 2 * r->pair_cap : 4096;
		pair *v = realloc(r->pair_v, cap * sizeof *v);
		if (!v) {
			fatal(r, w, IV_E_NOMEM, "out of memory");
			return NULL;
		}
		r->pair_v = v;
		r->pair_cap = cap;
	}
	w->pair_ix = r->npairs++;
	slot_set(r, w->store_ix, w->item_ix, slot, (int64_t)w->pair_ix);
	pair *p = &r->pair_v[w->pair_ix];
	*p = (pair){.day = PAIR_NO_DAY, .more = -1};
	return read_balance(r, w->store_ix, w->item_ix, &p->net, w) == IV_OK ? p : NULL;
}

iv_qty upload_day_total(const run *r, const pair *p, iv_date date)
{
	if (p->day == date)
		return p->day_diff;
	for (int32_t d = p->more; d >= 0; d = r->day_v[d].next)
		if (r->day_v[d].date == date)
			return r->day_v[d].diff;
	return 0;
}

/* Adds a Diff to a pair's total of its date: the pair's own date, or
 * one in the chain (the newest first: files are mostly one date). */
static bool add_to_day(run *r, pair *p, iv_date date, iv_qty diff)
{
	if (p->day == PAIR_NO_DAY || p->day == date) {
		p->day = date;
		p->day_diff += diff;
		return true;
	}
	for (int32_t d = p->more; d >= 0; d = r->day_v[d].next)
		if (r->day_v[d].date == date) {
			r->day_v[d].diff += diff;
			return true;
		}
	if (r->ndays >= INT32_MAX)
		return false;
	if (r->ndays == r->day_cap) {
		size_t cap = r->day_cap ? 2 * r->day_cap : 4096;
		day *v = realloc(r->day_v, cap * sizeof *v);
		if (!v)
			return false;
		r->day_v = v;
		r->day_cap = cap;
	}
	r->day_v[r->ndays] = (day){.diff = diff, .date = date, .next = p->more};
	p->more = (int32_t)r->ndays++;
	return true;
}

iv_status upload_count_row(run *r, const row *w)
{
	if (r->o->rule == IV_RULE_SYNC) {
		int64_t scratch, *slot = slot_of(r, w->store_ix, w->item_ix, &scratch);
		if (!slot)
			return r->fatal;
		slot_set(r, w->store_ix, w->item_ix, slot, w->line < INT32_MAX ? (int64_t)w->line : INT32_MAX);
		if (w->diff == 0 || !r->post || r->res->refused)
			return IV_OK; /* a refusal means a rollback: nothing more is written */
		r->sync_v[r->nsync++] = (sync_sum){(uint32_t)w->store_ix, (uint32_t)w->item_ix, w->diff};
		return r->nsync < UPLOAD_SYNC_SUMS ? IV_OK : upload_sums_hand_over(r);
	}
	if (w->diff == 0)
		return IV_OK;
	/* No rows are written after a refusal (the upload rolls back): no
	 * writer to hand sums to either. */
	if (r->ndays >= upload_days_held() && r->post && r->writer && !r->res->refused &&
	    upload_sums_spill(r) != IV_OK)
		return r->fatal;
	pair *p = &r->pair_v[w->pair_ix];
	p->net += w->diff;
	if (!add_to_day(r, p, w->date, w->diff))
		return r->fatal = iv_fail(r->db, IV_E_NOMEM, "out of memory");
	return IV_OK;
}

/* ---- the negative-stock rule ---------------------------------------- */

typedef struct dayvec {
	rule_day *v;
	size_t n, cap;
	bool nomem;
} dayvec;

static bool dayvec_push(dayvec *dv, iv_date date, iv_qty diff)
{
	if (dv->n == dv->cap) {
		size_t cap = dv->cap ? 2 * dv->cap : 16;
		rule_day *v = realloc(dv->v, cap * sizeof *v);
		if (!v)
			return !(dv->nomem = true);
		dv->v = v;
		dv->cap = cap;
	}
	dv->v[dv->n++] = (rule_day){date, diff};
	return true;
}

static bool collect_day(void *ctx, const char *tdate, iv_qty diff)
{
	iv_date d;
	return !date_parse(tdate, &d) || dayvec_push(ctx, d, diff);
}

static int by_date(const void *a, const void *b)
{
	const rule_day *x = a, *y = b;
	return (x->date > y->date) - (x->date < y->date);
}

/* The file's dates of a pair after date into dv (unsorted), their sum
 * into *after, and the sum of all the file's Diffs of the pair into
 * *all. */
static void file_days_after(const run *r, const pair *p, iv_date date, dayvec *dv, iv_qty *after,
                            iv_qty *all)
{
	*after = *all = 0;
	if (p->day != PAIR_NO_DAY) {
		*all += p->day_diff;
		if (p->day > date && dayvec_push(dv, p->day, p->day_diff))
			*after += p->day_diff;
	}
	for (int32_t d = p->more; d >= 0; d = r->day_v[d].next) {
		*all += r->day_v[d].diff;
		if (r->day_v[d].date > date && dayvec_push(dv, r->day_v[d].date, r->day_v[d].diff))
			*after += r->day_v[d].diff;
	}
}

/* At most every end-of-day balance of the pair from the row's date on:
 * the stored days' floor from there on (read once per pair, and again
 * only for a row dated before any read so far), plus the lowest the
 * running sum of the file's own Diffs gets from the row's date on. */
static bool floor_from(run *r, const pair *p, row *w, iv_qty *low)
{
	if (w->pair_ix >= r->floor_cap) {
		size_t cap = r->pair_cap;
		stock_floor *v = realloc(r->floor_v, cap * sizeof *v);
		if (!v) {
			fatal(r, w, IV_E_NOMEM, "out of memory");
			return false;
		}
		memset(v + r->floor_cap, 0, (cap - r->floor_cap) * sizeof *v);
		r->floor_v = v;
		r->floor_cap = cap;
	}
	dayvec later = {0};
	iv_qty after, all;
	file_days_after(r, p, w->date, &later, &after, &all);
	if (later.nomem) {
		free(later.v);
		fatal(r, w, IV_E_NOMEM, "out of memory");
		return false;
	}
	stock_floor *f = &r->floor_v[w->pair_ix];
	if (!f->known || w->date < f->from) {
		char iso[IV_DATE_ISO_LEN];
		date_format(w->date, iso);
		iv_qty sum, lowest;
		iv_status rc = store_stock_after(r->rd, r->m.store_v[w->store_ix].id, r->m.item_v[w->item_ix].id,
		                                 iso, &sum, &lowest);
		if (rc != IV_OK) {
			free(later.v);
			fatal(r, w, rc, store_errmsg(r->rd));
			return false;
		}
		/* The stored balance is Net Available less the file's Diffs (those
		 * held, and those handed over); at the end of the date it is that
		 * less the stored days after. */
		iv_qty at_date = p->net - all - upload_spill_of(r, w->pair_ix).total - sum;
		f->low = at_date + (lowest < 0 ? lowest : 0);
		f->from = w->date;
		f->known = true;
	}
	if (later.n > 1)
		qsort(later.v, later.n, sizeof *later.v, by_date);
	iv_qty running = all - after, lowest = running;
	for (size_t k = 0; k < later.n; k++) {
		running += later.v[k].diff;
		if (running < lowest)
			lowest = running;
	}
	free(later.v);
	*low = f->low + lowest + upload_spill_of(r, w->pair_ix).negative;
	return true;
}

/* The negative-stock rule (rules.h), with Net Available and every
 * day's balance counting the file's earlier accepted rows, whatever
 * their dates.  A back-dated row is first held to the pair's floor; only
 * when that cannot tell are the stored days after its date read, and
 * merged with the file's. */
static iv_status check_stock(run *r, const pair *p, row *w)
{
	const upload_store *s = &r->m.store_v[w->store_ix];
	rule_stock in = {
		.allow_negative = s->s.allow_negative,
		.diff = w->diff,
		.date = w->date,
		.net = w->net,
		.back_dated = w->date < s->today,
	};
	bool days_needed = false;
	if (in.back_dated && !in.allow_negative && in.diff < 0 && in.net + in.diff >= 0) {
		iv_qty low;
		if (!floor_from(r, p, w, &low))
			return w->status;
		if (rule_stock_surely_ok(&in, low))
			return IV_OK;
		days_needed = true;
	}
	dayvec later = {0};
	if (days_needed) {
		char iso[IV_DATE_ISO_LEN];
		date_format(w->date, iso);
		/* Once sums were handed over, the stored days with them are
		 * read where they are written, when the writer has written them. */
		store *days = r->rd;
		if (r->spilled) {
			if (ledger_writer_drain(r->writer) != IV_OK)
				return fatal(r, w, IV_E_STORAGE, "the upload's rows could not be written");
			days = r->db->st;
		}
		iv_status rc = store_days_after(days, s->id, r->m.item_v[w->item_ix].id, iso, collect_day, &later);
		if (rc != IV_OK) {
			free(later.v);
			return fatal(r, w, rc, store_errmsg(days));
		}
		iv_qty stored_after = 0, after, all;
		for (size_t k = 0; k < later.n; k++)
			stored_after += later.v[k].diff;
		file_days_after(r, p, w->date, &later, &after, &all);
		if (later.nomem) {
			free(later.v);
			return fatal(r, w, IV_E_NOMEM, "out of memory");
		}
		if (later.n > 1)
			qsort(later.v, later.n, sizeof *later.v, by_date);
		/* The stored balance is the sum of the stored days (verify holds
		 * it to them): the balance at the end of date is Net Available
		 * less every later day's movements. */
		in.at_date = in.net - stored_after - after;
		in.later = later.v;
		in.nlater = later.n;
	}
	rule_stock_fault f;
	bool ok = rule_stock_ok(&in, &f);
	if (!ok) {
		char msg[IV_MSG_MAX];
		rule_stock_text(&in, &f, s->s.code, upload_item_number(&r->m, w->item_ix), msg, sizeof msg);
		row_fail(w, IV_E_REFUSED, "Qty: %s", msg);
	}
	free(later.v);
	return ok ? IV_OK : w->status;
}

/* The pair of a store and item met, or -1. */
static int64_t pair_index(const run *r, size_t store_ix, size_t item_ix)
{
	if (r->dense[store_ix])
		return r->dense[store_ix][item_ix];
	uint32_t key[2] = {(uint32_t)store_ix, (uint32_t)item_ix};
	const int64_t *v = hmap_get(r->pairs, key, sizeof key);
	return v ? *v : -1;
}

typedef struct user_day_keys {
	uint32_t (*v)[3];
	size_t n;
} user_day_keys;

static void collect_user_day(void *ctx, const void *key, size_t len, int64_t value)
{
	(void)value;
	user_day_keys *k = ctx;
	if (len == sizeof k->v[0])
		memcpy(k->v[k->n++], key, len);
}

iv_status upload_fold_user_days(run *r)
{
	size_t n = r->user_days ? hmap_count(r->user_days) : 0;
	if (n == 0)
		return IV_OK;
	user_day_keys k = {malloc(n * sizeof k.v[0]), 0};
	if (!k.v)
		return r->fatal = iv_fail(r->db, IV_E_NOMEM, "out of memory");
	hmap_each(r->user_days, collect_user_day, &k);
	for (size_t i = 0; i < k.n; i++) {
		int64_t pair_ix = pair_index(r, k.v[i][0], k.v[i][1]);
		if (pair_ix >= 0)
			*hmap_get(r->user_days, k.v[i], sizeof k.v[i]) +=
				upload_day_total(r, &r->pair_v[pair_ix], (iv_date)k.v[i][2]);
	}
	free(k.v);
	return IV_OK;
}

/* Whether the row needs a supervisor: the threshold counts the user's
 * Diffs for its store, item and date, stored ones (read once per store,
 * item and date) and the file's. */
static iv_status check_approval(run *r, const pair *p, row *w)
{
	const upload_store *s = &r->m.store_v[w->store_ix];
	iv_qty limit = s->s.approval_threshold;
	w->needs_approval = false;
	if (w->diff == 0 || limit <= 0)
		return IV_OK;
	if (!r->user_days && !(r->user_days = hmap_new()))
		return fatal(r, w, IV_E_NOMEM, "out of memory");
	uint32_t key[3] = {(uint32_t)w->store_ix, (uint32_t)w->item_ix, (uint32_t)w->date};
	int created;
	int64_t *stored = hmap_put(r->user_days, key, sizeof key, 0, &created);
	if (!stored)
		return fatal(r, w, IV_E_NOMEM, "out of memory");
	if (created && r->db->logged_in) {
		char iso[IV_DATE_ISO_LEN];
		date_format(w->date, iso);
		iv_status rc = store_user_day_get(r->rd, r->db->user.id, s->id, r->m.item_v[w->item_ix].id, iso,
		                                  stored);
		if (rc != IV_OK)
			return fatal(r, w, rc, store_errmsg(r->rd));
	}
	iv_qty before = *stored + (p ? upload_day_total(r, p, w->date) : 0);
	w->needs_approval = rule_needs_approval(limit, before, w->diff);
	if (w->needs_approval && r->post && !r->approver.id)
		return row_fail(w, IV_E_PERMISSION,
		                "Qty: a Diff of %lld (%lld in all for store %s, item %s on this date) is above "
		                "store %s's approval threshold of %lld; a supervisor must approve the upload "
		                "(Approver)",
		                (long long)w->diff, (long long)(before + w->diff), s->s.code,
		                upload_item_number(&r->m, w->item_ix), s->s.code, (long long)limit);
	return IV_OK;
}

/* ---- checking one row ---------------------------------------------- */

/* code's value in m, through the cache of the last one found. */
static const int64_t *cached_get(const hmap *m, code_cache *c, const char *code)
{
	if (c->code[0] && strcmp(c->code, code) == 0)
		return &c->value;
	size_t n = strlen(code);
	const int64_t *v = upload_code_get(m, code);
	if (v && n < sizeof c->code) {
		memcpy(c->code, code, n + 1);
		c->value = *v;
	}
	return v;
}

/* ItemIdentifierCode: blank, 0 or 1 the item number, 2..6 the kinds
 * after it in store_item_kind's order (UPC, barcode, alternates). */
static bool parse_kind(const char *t, store_item_kind *kind)
{
	if (!*t || strcmp(t, "0") == 0 || strcmp(t, "1") == 0) {
		*kind = STORE_ITEM_NUMBER;
		return true;
	}
	if (t[0] >= '2' && t[0] < '0' + STORE_ITEM_KINDS && t[1] == '\0') {
		*kind = (store_item_kind)(t[0] - '0');
		return true;
	}
	return false;
}

static bool all_blank(const char *t)
{
	while (*t == ' ' || *t == '\t')
		t++;
	return !*t;
}

/* The row's date: its cell as a whole (date_parse allows blanks around
 * and nothing else, so padding never hides trailing text), or --date, or
 * the store's today; never after the store's today. */
static iv_status check_date(run *r, const char *t, const upload_store *s, row *w)
{
	const char *field = "TransactionDate";
	iv_date d;
	if (all_blank(t)) {
		if (!r->has_default_date) {
			w->date = s->today;
			return IV_OK;
		}
		field = "Date";
		t = r->o->date;
		d = r->default_date;
	} else if (strcmp(t, r->date_text) == 0) {
		d = r->date_value;
	} else if (!date_parse(t, &d)) {
		return row_fail(w, IV_E_INVALID,
		                "TransactionDate: \"%s\" is not a valid date (use MM/DD/YYYY, MM-DD-YYYY or "
		                "YYYY-MM-DD)",
		                t);
	} else if (strlen(t) < sizeof r->date_text) {
		snprintf(r->date_text, sizeof r->date_text, "%s", t);
		r->date_value = d;
	}
	if (d > s->today) {
		char today[IV_DATE_ISO_LEN];
		date_format(s->today, today);
		return row_fail(w, IV_E_INVALID, "%s: %s is in the future (today is %s)", field, t, today);
	}
	w->date = d;
	return IV_OK;
}

/* Everything about a row that does not depend on the stock. */
static iv_status check_fields(run *r, char **f, row *w, iv_qty *qty)
{
	/* Identifier cells as every import and upload takes them (fields.c):
	 * trimmed, refused with a blank inside or over the limit, never cut. */
	char code[IV_CODE_SIZE], kind_text[IV_TEXT_SIZE(1)], item[IV_IDENT_SIZE];
	if (!field_ident("StoreCode", cell(r, f, COL_STORE), IV_CODE_MAX, code, sizeof code, w->msg,
	                 sizeof w->msg))
		return w->status = IV_E_INVALID;
	if (!*code)
		return row_fail(w, IV_E_INVALID, "StoreCode: a store code is required");
	const int64_t *v = cached_get(r->m.stores, &r->last_store, code);
	if (!v)
		return row_fail(w, IV_E_NOT_FOUND, "StoreCode: \"%s\" is not a known store code", code);
	w->store_ix = (size_t)*v;

	store_item_kind kind;
	if (!field_ident("ItemIdentifierCode", cell(r, f, COL_KIND), 1, kind_text, sizeof kind_text,
	                 w->msg, sizeof w->msg) ||
	    !parse_kind(kind_text, &kind))
		return row_fail(w, IV_E_INVALID,
		                "ItemIdentifierCode: \"%s\" is not blank, 0 or 1 (item number), 2 (UPC), "
		                "3 (barcode), or 4, 5, 6 (alternate item numbers 1 to 3)",
		                cell(r, f, COL_KIND));
	if (!field_ident("ItemNumber", cell(r, f, COL_ITEM), IV_IDENT_MAX, item, sizeof item, w->msg,
	                 sizeof w->msg))
		return w->status = IV_E_INVALID;
	if (!*item)
		return row_fail(w, IV_E_INVALID, "ItemNumber: an item is required");
	if (!upload_item_resolve(r->rd, &r->m, kind, item, &w->item_ix, w->msg, sizeof w->msg))
		return w->status = IV_E_NOT_FOUND;

	const char *qt = cell(r, f, COL_QTY);
	qty_error qe = qty_parse(qt, qty);
	if (qe == QTY_EMPTY)
		return row_fail(w, IV_E_INVALID, "Qty: a quantity is required");
	if (qe != QTY_OK)
		return row_fail(w, IV_E_INVALID, "Qty: \"%s\" %s", qt, qty_error_text(qe));
	if (r->o->rule == IV_RULE_DELTA && *qty == 0)
		return row_fail(w, IV_E_INVALID,
		                "Qty: 0 changes nothing under the Delta rule; enter a positive or negative "
		                "quantity");

	char *reason = w->reason_code;
	if (!field_ident("ReasonCode", cell(r, f, COL_REASON), IV_CODE_MAX, reason, sizeof w->reason_code,
	                 w->msg, sizeof w->msg))
		return w->status = IV_E_INVALID;
	if (!*reason) {
		if (!r->default_reason)
			return row_fail(w, IV_E_INVALID,
			                "ReasonCode: a reason code is required (or upload with a default reason)");
		w->reason_id = r->default_reason;
		w->reason = r->default_reason_code;
	} else {
		if (!(v = cached_get(r->m.reasons, &r->last_reason, reason)))
			return row_fail(w, IV_E_NOT_FOUND, "ReasonCode: \"%s\" is not a known reason code", reason);
		w->reason_id = r->m.reason_v[*v].id;
		w->reason = r->m.reason_v[*v].code; /* as the master data spells it */
	}

	const upload_store *s = &r->m.store_v[w->store_ix];
	if (check_date(r, cell(r, f, COL_DATE), s, w) != IV_OK)
		return w->status;
	if (r->o->rule == IV_RULE_SYNC && w->date < s->today) {
		char iso[IV_DATE_ISO_LEN];
		date_format(w->date, iso);
		return row_fail(w, IV_E_REFUSED,
		                "TransactionDate: %s is back-dated, and the Sync Rule does not work on "
		                "back-dated adjustments; leave the date blank (today) to upload a count, or "
		                "use the Delta rule to post back-dated movements",
		                iso);
	}
	w->memo = cell(r, f, COL_MEMO);
	if (!field_text("Memo", w->memo, IV_MEMO_MAX, true, w->msg, sizeof w->msg))
		return w->status = IV_E_INVALID;
	return IV_OK;
}

iv_status upload_check_row(run *r, char **f, row *w)
{
	iv_qty qty;
	if (check_fields(r, f, w, &qty) != IV_OK)
		return w->status;
	const upload_store *s = &r->m.store_v[w->store_ix];
	const char *number = upload_item_number(&r->m, w->item_ix);
	pair *p = NULL;
	if (r->o->rule == IV_RULE_SYNC) {
		/* A Sync file names a pair once: its line is all that is kept of
		 * it, and its balance is read on its one row. */
		int64_t scratch, *slot = slot_of(r, w->store_ix, w->item_ix, &scratch);
		if (!slot)
			return row_fail(w, r->fatal, "out of memory");
		if (*slot >= 0)
			return row_fail(w, IV_E_INVALID,
			                "ItemNumber: store %s, item %s is already counted on line %lld; a Sync "
			                "file counts an item once per store",
			                s->s.code, number, (long long)*slot);
		if (read_balance(r, w->store_ix, w->item_ix, &w->net, w) != IV_OK)
			return w->status;
		w->diff = qty - w->net;
		if (w->diff > IV_QTY_LIMIT || w->diff < -IV_QTY_LIMIT)
			return row_fail(w, IV_E_INVALID,
			                "Qty: %lld would change Net Available (%lld) by more than 1,000,000,000",
			                (long long)qty, (long long)w->net);
	} else {
		if (!(p = find_pair(r, w)))
			return w->status;
		w->net = p->net;
		w->diff = qty;
	}
	if (r->seen_in && r->o->rule == IV_RULE_SYNC) {
		int64_t key[2] = {s->id, r->m.item_v[w->item_ix].id};
		int64_t *seen = hmap_get(r->seen_in, key, sizeof key);
		if (!seen || *seen != w->net) {
			r->conflicts++;
			if (!seen)
				return row_fail(w, IV_E_CONFLICT,
				                "Qty: store %s, item %s was not counted in the preview; preview again",
				                s->s.code, number);
			return row_fail(w, IV_E_CONFLICT,
			                "Qty: Net Available of store %s, item %s was %lld in the preview and is "
			                "now %lld (another terminal posted meanwhile); preview again",
			                s->s.code, number, (long long)*seen, (long long)w->net);
		}
	}
	if (check_stock(r, p, w) != IV_OK)
		return w->status;
	return check_approval(r, p, w);
}
