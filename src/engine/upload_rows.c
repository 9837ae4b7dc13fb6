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

/* The dense index of a store, allocated on its first row if it fits. */
static int32_t *dense_of(run *r, size_t store_ix)
{
	if (r->dense[store_ix])
		return r->dense[store_ix];
	size_t bytes = (r->m.nitems ? r->m.nitems : 1) * sizeof(int32_t);
	if (r->dense_bytes + bytes > DENSE_LIMIT)
		return NULL;
	int32_t *v = malloc(bytes);
	if (!v)
		return NULL; /* the hash map will do */
	memset(v, 0xff, bytes); /* -1: no pair yet */
	r->dense_bytes += bytes;
	return r->dense[store_ix] = v;
}

static pair *find_pair(run *r, size_t store_ix, size_t item_ix, size_t *ix)
{
	int32_t *dense = dense_of(r, store_ix);
	if (dense && dense[item_ix] >= 0) {
		*ix = (size_t)dense[item_ix];
		return &r->pair_v[*ix];
	}
	if (!dense) {
		uint32_t key[2] = {(uint32_t)store_ix, (uint32_t)item_ix};
		int created;
		int64_t *slot = hmap_put(r->pairs, key, sizeof key, (int64_t)r->npairs, &created);
		if (!slot) {
			r->fatal = iv_fail(r->db, IV_E_NOMEM, "out of memory");
			return NULL;
		}
		if (!created) {
			*ix = (size_t)*slot;
			return &r->pair_v[*ix];
		}
	}
	if (r->npairs >= INT32_MAX) {
		r->fatal = iv_fail(r->db, IV_E_NOMEM, "out of memory: too many stores and items in one file");
		return NULL;
	}
	if (r->npairs == r->pair_cap) {
		size_t cap = r->pair_cap ? 2 * r->pair_cap : 4096;
		pair *v = realloc(r->pair_v, cap * sizeof *v);
		if (!v) {
			r->fatal = iv_fail(r->db, IV_E_NOMEM, "out of memory");
			return NULL;
		}
		r->pair_v = v;
		r->pair_cap = cap;
	}
	*ix = r->npairs++;
	if (dense)
		dense[item_ix] = (int32_t)*ix;
	pair *p = &r->pair_v[*ix];
	*p = (pair){.store_ix = (uint32_t)store_ix, .item_ix = (uint32_t)item_ix, .days = -1};
	/* The one read of this balance in the whole pass. */
	iv_status rc = store_balance_get(r->rd, r->m.store_v[store_ix].id, r->m.item_v[item_ix].id,
	                                 &p->base);
	if (rc != IV_OK) {
		r->fatal = iv_fail(r->db, rc, "%s", store_errmsg(r->rd));
		return NULL;
	}
	return p;
}

/* The file's day total of a pair for a date; the chain keeps the
 * latest date met first, as files are mostly one date. */
day *upload_day(run *r, pair *p, iv_date date)
{
	for (int32_t d = p->days; d >= 0; d = r->day_v[d].next)
		if (r->day_v[d].date == date)
			return &r->day_v[d];
	if (r->ndays == r->day_cap) {
		size_t cap = r->day_cap ? 2 * r->day_cap : 4096;
		day *v = realloc(r->day_v, cap * sizeof *v);
		if (!v) {
			r->fatal = iv_fail(r->db, IV_E_NOMEM, "out of memory");
			return NULL;
		}
		r->day_v = v;
		r->day_cap = cap;
	}
	r->day_v[r->ndays] = (day){.date = date, .next = p->days, .reasons = -1};
	p->days = (int32_t)r->ndays++;
	return &r->day_v[p->days];
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

/* The negative-stock rule (rules.h) where Net Available and every day's
 * running balance include the file's earlier accepted rows, whatever
 * their dates: the stored day totals and the file's merged by date. */
static iv_status check_stock(run *r, const pair *p, iv_date date, iv_qty diff, row *w)
{
	const upload_store *s = &r->m.store_v[p->store_ix];
	rule_stock in = {
		.allow_negative = s->s.allow_negative,
		.diff = diff,
		.date = date,
		.net = p->base + p->file,
		.back_dated = date < s->today,
	};
	dayvec later = {0};
	if (in.back_dated && !in.allow_negative && diff < 0 && in.net + diff >= 0) {
		char iso[IV_DATE_ISO_LEN];
		date_format(date, iso);
		int64_t item_id = r->m.item_v[p->item_ix].id;
		iv_status rc = store_balance_asof(r->rd, s->id, item_id, iso, &in.at_date);
		if (rc == IV_OK)
			rc = store_days_after(r->rd, s->id, item_id, iso, collect_day, &later);
		if (rc != IV_OK) {
			free(later.v);
			r->fatal = iv_fail(r->db, rc, "%s", store_errmsg(r->rd));
			return row_fail(w, rc, "%s", store_errmsg(r->rd));
		}
		for (int32_t d = p->days; d >= 0; d = r->day_v[d].next) {
			if (r->day_v[d].date <= date)
				in.at_date += r->day_v[d].diff;
			else
				dayvec_push(&later, r->day_v[d].date, r->day_v[d].diff);
		}
		if (later.nomem) {
			free(later.v);
			r->fatal = iv_fail(r->db, IV_E_NOMEM, "out of memory");
			return row_fail(w, IV_E_NOMEM, "out of memory");
		}
		if (later.n > 1)
			qsort(later.v, later.n, sizeof *later.v, by_date);
		in.later = later.v;
		in.nlater = later.n;
	}
	rule_stock_fault f;
	bool ok = rule_stock_ok(&in, &f);
	if (!ok) {
		char msg[IV_MSG_MAX];
		rule_stock_text(&in, &f, s->s.code, upload_item_number(&r->m, p->item_ix), msg, sizeof msg);
		row_fail(w, IV_E_REFUSED, "Qty: %s", msg);
	}
	free(later.v);
	return ok ? IV_OK : w->status;
}

/* Whether the row needs a supervisor: the threshold counts the user's
 * Diffs for its store, item and date, stored ones and the file's. */
static iv_status check_approval(run *r, pair *p, row *w)
{
	const upload_store *s = &r->m.store_v[w->store_ix];
	iv_qty limit = s->s.approval_threshold;
	w->needs_approval = false;
	if (w->diff == 0 || limit <= 0)
		return IV_OK;
	day *d = upload_day(r, p, w->date);
	if (!d)
		return row_fail(w, r->fatal, "out of memory");
	if (!d->user_read && r->db->logged_in) {
		char iso[IV_DATE_ISO_LEN];
		date_format(w->date, iso);
		iv_status rc = store_user_day_get(r->rd, r->db->user.id, s->id, r->m.item_v[w->item_ix].id,
		                                  iso, &d->user_before);
		if (rc != IV_OK) {
			r->fatal = iv_fail(r->db, rc, "%s", store_errmsg(r->rd));
			return row_fail(w, rc, "%s", store_errmsg(r->rd));
		}
	}
	d->user_read = true;
	w->needs_approval = rule_needs_approval(limit, d->user_before + d->diff, w->diff);
	if (w->needs_approval && r->post && !r->approver.id)
		return row_fail(w, IV_E_PERMISSION,
		                "Qty: a Diff of %lld (%lld in all for store %s, item %s on this date) is above "
		                "store %s's approval threshold of %lld; a supervisor must approve the upload "
		                "(Approver)",
		                (long long)w->diff, (long long)(d->user_before + d->diff + w->diff), s->s.code,
		                upload_item_number(&r->m, w->item_ix), s->s.code, (long long)limit);
	return IV_OK;
}

/* ---- checking one row ---------------------------------------------- */

static bool parse_kind(const char *t, int *kind)
{
	if (!*t || strcmp(t, "0") == 0 || strcmp(t, "1") == 0) {
		*kind = 1;
		return true;
	}
	if (t[0] >= '2' && t[0] <= '6' && t[1] == '\0') {
		*kind = t[0] - '0';
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
	int64_t *v = hmap_get(r->m.stores, code, strlen(code));
	if (!v)
		return row_fail(w, IV_E_NOT_FOUND, "StoreCode: \"%s\" is not a known store code", code);
	w->store_ix = (size_t)*v;

	int kind;
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
		if (!(v = hmap_get(r->m.reasons, reason, strlen(reason))))
			return row_fail(w, IV_E_NOT_FOUND, "ReasonCode: \"%s\" is not a known reason code", reason);
		w->reason_id = *v;
		w->reason = reason;
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
	pair *p = find_pair(r, w->store_ix, w->item_ix, &w->pair_ix);
	if (!p)
		return row_fail(w, r->fatal, "%s", r->db->errmsg);
	const upload_store *s = &r->m.store_v[w->store_ix];
	const char *number = upload_item_number(&r->m, w->item_ix);
	w->net = p->base + p->file;
	if (r->o->rule == IV_RULE_SYNC) {
		if (p->sync_line)
			return row_fail(w, IV_E_INVALID,
			                "ItemNumber: store %s, item %s is already counted on line %llu; a Sync "
			                "file counts an item once per store",
			                s->s.code, number, (unsigned long long)p->sync_line);
		w->diff = qty - w->net;
		if (w->diff > IV_QTY_LIMIT || w->diff < -IV_QTY_LIMIT)
			return row_fail(w, IV_E_INVALID,
			                "Qty: %lld would change Net Available (%lld) by more than 1,000,000,000",
			                (long long)qty, (long long)w->net);
	} else {
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
	if (check_stock(r, p, w->date, w->diff, w) != IV_OK)
		return w->status;
	return check_approval(r, p, w);
}
