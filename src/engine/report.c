/* Reports: adjustments summed by reason, store, item, user, day, week or
 * month over a range of transaction dates, valued at cost; and an
 * item's Net Available day by day.  Everything is read from the summary
 * tables (report_sums.c, day_totals) in one read snapshot: a report
 * never reads ledger rows, and never holds up a terminal that saves. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/internal.h"
#include "engine/rules.h"

#define DEFAULT_DAYS 30
#define MAX_DAYS 36525 /* a hundred years of days: an item report holds one number a day */

static const char *const key_names[IV_BY_KEYS] = {
	[IV_BY_NONE] = "", [IV_BY_REASON] = "reason", [IV_BY_STORE] = "store", [IV_BY_ITEM] = "item",
	[IV_BY_USER] = "user", [IV_BY_DAY] = "day", [IV_BY_WEEK] = "week", [IV_BY_MONTH] = "month",
};

const char *iv_report_key_name(iv_report_key k)
{
	return (unsigned)k < IV_BY_KEYS ? key_names[k] : "";
}

iv_status iv_report_by(iv_db *db, const char *text, iv_report_key by[2])
{
	by[0] = by[1] = IV_BY_NONE;
	const char *p = text ? text : "";
	int n = 0;
	for (;;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, ",");
		while (len > 0 && p[len - 1] == ' ')
			len--;
		iv_report_key k = IV_BY_NONE;
		for (int i = IV_BY_NONE + 1; i < IV_BY_KEYS; i++)
			if (len == strlen(key_names[i]) && strncasecmp(p, key_names[i], len) == 0)
				k = (iv_report_key)i;
		if (k == IV_BY_NONE)
			return iv_fail(db, IV_E_INVALID,
			               len ? "By: \"%.*s\" is not one of reason, store, item, user, day, week, month"
			                   : "By: give one or two of reason, store, item, user, day, week, month%.*s",
			               (int)len, p);
		if (n == 2)
			return iv_fail(db, IV_E_INVALID, "By: give one or two keys (e.g. store,reason), not more");
		if (n == 1 && by[0] == k)
			return iv_fail(db, IV_E_INVALID, "By: \"%s\" is given twice", key_names[k]);
		by[n++] = k;
		p += strcspn(p, ",");
		if (*p != ',')
			return IV_OK;
		p++;
	}
}

/* ---- the range ---- */

/* from..to as typed (NULL or "": the last DEFAULT_DAYS days up to
 * today, the store's or the database's). */
static iv_status report_range(iv_db *db, const iv_store *shop, const char *from_text, const char *to_text,
                              iv_date *from, iv_date *to)
{
	iv_status rc;
	if (to_text && *to_text) {
		if ((rc = iv_parse_any_date(db, to_text, "To", to)) != IV_OK)
			return rc;
	} else if ((rc = clock_today(db, shop, to)) != IV_OK) {
		return rc;
	}
	if (from_text && *from_text) {
		if ((rc = iv_parse_any_date(db, from_text, "From", from)) != IV_OK)
			return rc;
	} else {
		*from = *to - (DEFAULT_DAYS - 1);
	}
	char a[IV_DATE_ISO_LEN], b[IV_DATE_ISO_LEN];
	date_format(*from, a);
	date_format(*to, b);
	if (*from > *to)
		return iv_fail(db, IV_E_INVALID, "From: %s is after To (%s)", a, b);
	if (*to - *from >= MAX_DAYS)
		return iv_fail(db, IV_E_INVALID, "From: %s to %s is more than a hundred years", a, b);
	return IV_OK;
}

/* ---- named ranges ---- */

enum period_kind { P_TODAY, P_YESTERDAY, P_LAST_7, P_LAST_30, P_THIS_WEEK, P_LAST_WEEK, P_THIS_MONTH,
                   P_LAST_MONTH, P_THIS_YEAR, P_LAST_YEAR, P_COUNT };

static const iv_period periods[P_COUNT] = {
	[P_TODAY] = {"today", "Today"},
	[P_YESTERDAY] = {"yesterday", "Yesterday"},
	[P_LAST_7] = {"last-7-days", "Last 7 days"},
	[P_LAST_30] = {"last-30-days", "Last 30 days"},
	[P_THIS_WEEK] = {"this-week", "This week (Monday to today)"},
	[P_LAST_WEEK] = {"last-week", "Last week (Monday to Sunday)"},
	[P_THIS_MONTH] = {"this-month", "This month"},
	[P_LAST_MONTH] = {"last-month", "Last month"},
	[P_THIS_YEAR] = {"this-year", "This year"},
	[P_LAST_YEAR] = {"last-year", "Last year"},
};

const iv_period *iv_report_periods(size_t *n)
{
	*n = P_COUNT;
	return periods;
}

static iv_date week_start(iv_date d);

iv_status iv_report_period(iv_db *db, const char *name, const char *store_code, char from[IV_DATE_ISO_LEN],
                           char to[IV_DATE_ISO_LEN])
{
	int k = 0;
	while (k < P_COUNT && strcasecmp(name ? name : "", periods[k].name) != 0)
		k++;
	if (k == P_COUNT)
		return iv_fail(db, IV_E_INVALID, "Period: \"%s\" is not one of today, yesterday, last-7-days, "
		                                 "last-30-days, this-week, last-week, this-month, last-month, "
		                                 "this-year, last-year", name ? name : "");
	iv_store shop;
	iv_status rc = IV_OK;
	bool has_store = store_code && *store_code;
	if (has_store && (rc = iv_find_store(db, store_code, NULL, &shop)) != IV_OK)
		return rc;
	iv_date today, a, b;
	if ((rc = clock_today(db, has_store ? &shop : NULL, &today)) != IV_OK)
		return rc;
	int y, m, d;
	date_to_ymd(today, &y, &m, &d);
	switch ((enum period_kind)k) {
	case P_TODAY: a = b = today; break;
	case P_YESTERDAY: a = b = today - 1; break;
	case P_LAST_7: a = today - 6, b = today; break;
	case P_LAST_30: a = today - (DEFAULT_DAYS - 1), b = today; break;
	case P_THIS_WEEK: a = week_start(today), b = today; break;
	case P_LAST_WEEK: a = week_start(today) - 7, b = a + 6; break;
	case P_THIS_MONTH: a = date_from_ymd(y, m, 1), b = today; break;
	case P_LAST_MONTH:
		b = date_from_ymd(y, m, 1) - 1;
		date_to_ymd(b, &y, &m, &d);
		a = date_from_ymd(y, m, 1);
		break;
	case P_THIS_YEAR: a = date_from_ymd(y, 1, 1), b = today; break;
	default: a = date_from_ymd(y - 1, 1, 1), b = date_from_ymd(y, 1, 1) - 1; break;
	}
	date_format(a, from);
	date_format(b, to);
	return IV_OK;
}

/* ---- names of what the keys stand for ---- */

typedef struct name {
	int64_t id;
	char code[IV_IDENT_SIZE];
	char label[IV_NAME_SIZE];
} name;

typedef struct names {
	hmap *index; /* id -> index in v */
	name *v;
	size_t n, cap;
	bool nomem;
} names;

static name *names_add(names *ns, int64_t id)
{
	if (!ns->index && !(ns->index = hmap_new()))
		return NULL;
	int created;
	int64_t *ix = hmap_put(ns->index, &id, sizeof id, (int64_t)ns->n, &created);
	if (!ix)
		return NULL;
	if (!created)
		return &ns->v[*ix];
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 64;
		name *v = realloc(ns->v, cap * sizeof *v);
		if (!v)
			return NULL;
		ns->v = v;
		ns->cap = cap;
	}
	name *e = &ns->v[ns->n++];
	memset(e, 0, sizeof *e);
	e->id = id;
	snprintf(e->code, sizeof e->code, "#%lld", (long long)id); /* until its name is read */
	return e;
}

static const name *names_get(const names *ns, int64_t id)
{
	const int64_t *ix = ns->index ? hmap_get(ns->index, &id, sizeof id) : NULL;
	return ix ? &ns->v[*ix] : NULL;
}

static void names_free(names *ns)
{
	hmap_free(ns->index);
	free(ns->v);
	memset(ns, 0, sizeof *ns);
}

static bool take_store(void *ctx, int64_t id, const iv_store *s)
{
	names *ns = ctx;
	name *e = names_add(ns, id);
	if (!e)
		return !(ns->nomem = true);
	snprintf(e->code, sizeof e->code, "%s", s->code);
	snprintf(e->label, sizeof e->label, "%s", s->name);
	return true;
}

static bool take_reason(void *ctx, int64_t id, const iv_reason *r)
{
	names *ns = ctx;
	name *e = names_add(ns, id);
	if (!e)
		return !(ns->nomem = true);
	snprintf(e->code, sizeof e->code, "%s", r->code);
	snprintf(e->label, sizeof e->label, "%s", r->description);
	return true;
}

static bool take_user(void *ctx, const char *const *vals, int ncols)
{
	names *ns = ctx;
	(void)ncols;
	name *e = vals[0] ? names_add(ns, strtoll(vals[0], NULL, 10)) : NULL;
	if (!e)
		return !(ns->nomem = true);
	snprintf(e->code, sizeof e->code, "%s", vals[1] ? vals[1] : "");
	snprintf(e->label, sizeof e->label, "%s", vals[2] ? vals[2] : "");
	return true;
}

/* Items: only those the report names (all items may be many). */
static bool take_item(void *ctx, int64_t id, const iv_item *it)
{
	names *ns = ctx;
	const int64_t *ix = ns->index ? hmap_get(ns->index, &id, sizeof id) : NULL;
	if (ix) {
		snprintf(ns->v[*ix].code, sizeof ns->v[*ix].code, "%s", it->number);
		snprintf(ns->v[*ix].label, sizeof ns->v[*ix].label, "%s", it->description);
	}
	return true;
}

/* ---- summing ---- */

typedef struct group {
	int64_t k[2];
	const char *text[2];           /* the key as shown: a name's code, or period below */
	char period[2][24]; /* a date, week or month as text */
	iv_report_sums sums;
} group;

typedef struct report_run {
	iv_db *db;
	const iv_report_query *q;
	iv_date from, to;
	hmap *index; /* the two keys -> index in groups */
	group *v;
	size_t n, cap;
	names stores, reasons, users, items;
	iv_status status;
} report_run;

/* Monday of the ISO week of d (1970-01-01 was a Thursday). */
static iv_date week_start(iv_date d)
{
	int64_t dow = ((int64_t)d + 3) % 7; /* 0 Monday .. 6 Sunday */
	if (dow < 0)
		dow += 7;
	return (iv_date)(d - dow);
}

static int64_t key_of(iv_report_key k, const store_report_row *r, iv_date d)
{
	int y, m, day;
	switch (k) {
	case IV_BY_REASON: return r->reason_id;
	case IV_BY_STORE: return r->store_id;
	case IV_BY_ITEM: return r->item_id;
	case IV_BY_USER: return r->user_id;
	case IV_BY_DAY: return d;
	case IV_BY_WEEK: return week_start(d);
	case IV_BY_MONTH: date_to_ymd(d, &y, &m, &day); return (int64_t)y * 12 + (m - 1);
	default: return 0;
	}
}

static bool add_sums(iv_report_sums *to, const iv_report_sums *add)
{
	to->lines += add->lines;
	to->added += add->added;
	to->removed += add->removed;
	to->unvalued += add->unvalued;
	return !__builtin_add_overflow(to->value, add->value, &to->value);
}

static bool too_large(report_run *run)
{
	run->status = iv_fail(run->db, IV_E_REFUSED, "the value of these lines is beyond what a report can "
	                                             "sum exactly; report a shorter range or fewer stores");
	return false;
}

static bool on_summary(void *ctx, const store_report_row *r)
{
	report_run *run = ctx;
	if (r->lines == 0 && r->unvalued == 0 && r->value == 0)
		return true; /* a key whose lines were reversed since */
	iv_date d;
	if (!rule_tdate_valid(r->tdate, &d)) {
		run->status = iv_fail(run->db, IV_E_CORRUPT, "a report summary has the date \"%.16s\": run "
		                                             "`invadj verify`", r->tdate);
		return false;
	}
	int64_t key[2] = {key_of(run->q->by[0], r, d), key_of(run->q->by[1], r, d)};
	int created;
	int64_t *ix = hmap_put(run->index, key, sizeof key, (int64_t)run->n, &created);
	if (!ix) {
		run->status = iv_fail(run->db, IV_E_NOMEM, "out of memory");
		return false;
	}
	if (created) {
		if (run->n == run->cap) {
			size_t cap = run->cap ? 2 * run->cap : 256;
			group *v = realloc(run->v, cap * sizeof *v);
			if (!v) {
				run->status = iv_fail(run->db, IV_E_NOMEM, "out of memory");
				return false;
			}
			run->v = v;
			run->cap = cap;
		}
		memset(&run->v[run->n], 0, sizeof run->v[run->n]);
		memcpy(run->v[run->n].k, key, sizeof key);
		run->n++;
		/* an item's name is read once the report knows its items */
		if ((run->q->by[0] == IV_BY_ITEM || run->q->by[1] == IV_BY_ITEM) &&
		    !names_add(&run->items, r->item_id)) {
			run->status = iv_fail(run->db, IV_E_NOMEM, "out of memory");
			return false;
		}
	}
	iv_report_sums s = {(uint64_t)r->lines, r->added, r->removed, r->value, (uint64_t)r->unvalued};
	return add_sums(&run->v[*ix].sums, &s) || too_large(run);
}

/* The key's text and the dates its period covers within the range. */
static void key_text(report_run *run, group *g, int i, iv_date *first, iv_date *last)
{
	int64_t k = g->k[i];
	const name *nm = NULL;
	switch (run->q->by[i]) {
	case IV_BY_REASON: nm = names_get(&run->reasons, k); break;
	case IV_BY_STORE: nm = names_get(&run->stores, k); break;
	case IV_BY_ITEM: nm = names_get(&run->items, k); break;
	case IV_BY_USER: nm = names_get(&run->users, k); break;
	case IV_BY_DAY:
		date_format((iv_date)k, g->period[i]);
		*first = *last = (iv_date)k;
		break;
	case IV_BY_WEEK: {
		/* ISO 8601: the week belongs to the year of its Thursday */
		iv_date thursday = (iv_date)k + 3;
		int y, m, d;
		date_to_ymd(thursday, &y, &m, &d);
		int week = (thursday - date_from_ymd(y, 1, 1)) / 7 + 1;
		snprintf(g->period[i], sizeof g->period[i], "%04d-W%02d", y, week);
		*first = (iv_date)k;
		*last = (iv_date)k + 6;
		break;
	}
	case IV_BY_MONTH: {
		int y = (int)(k / 12), m = (int)(k % 12) + 1;
		snprintf(g->period[i], sizeof g->period[i], "%04d-%02d", y, m);
		*first = date_from_ymd(y, m, 1);
		*last = (m == 12 ? date_from_ymd(y + 1, 1, 1) : date_from_ymd(y, m + 1, 1)) - 1;
		break;
	}
	default: break;
	}
	g->text[i] = nm ? nm->code : g->period[i];
}

static int by_keys(const void *a, const void *b)
{
	const group *x = a, *y = b;
	int c = strcmp(x->text[0], y->text[0]);
	return c ? c : strcmp(x->text[1], y->text[1]);
}

static const char *label_of(report_run *run, const group *g, int i)
{
	const name *nm = NULL;
	switch (run->q->by[i]) {
	case IV_BY_REASON: nm = names_get(&run->reasons, g->k[i]); break;
	case IV_BY_STORE: nm = names_get(&run->stores, g->k[i]); break;
	case IV_BY_ITEM: nm = names_get(&run->items, g->k[i]); break;
	default: break;
	}
	return nm ? nm->label : "";
}

/* The names the keys need, in the report's snapshot. */
static iv_status read_names(report_run *run)
{
	iv_db *db = run->db;
	iv_status rc = IV_OK;
	iv_report_key a = run->q->by[0], b = run->q->by[1];
	if (a == IV_BY_STORE || b == IV_BY_STORE)
		rc = store_store_each(db->st, take_store, &run->stores);
	if (rc == IV_OK && (a == IV_BY_REASON || b == IV_BY_REASON))
		rc = store_reason_each(db->st, take_reason, &run->reasons);
	if (rc == IV_OK && (a == IV_BY_USER || b == IV_BY_USER))
		rc = store_table_each(db->st, STORE_T_USERS, take_user, &run->users);
	if (rc == IV_OK && run->items.n)
		rc = store_item_each(db->st, take_item, &run->items);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (run->stores.nomem || run->reasons.nomem || run->users.nomem)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	return IV_OK;
}

/* The filters as ids (0: any); refuses unknown codes in words. */
static iv_status resolve_filters(iv_db *db, const iv_report_query *q, store_report_query *sq, iv_store *shop,
                                 bool *has_store)
{
	iv_status rc = IV_OK;
	*has_store = q->store && *q->store;
	if (*has_store)
		rc = iv_find_store(db, q->store, &sq->store_id, shop);
	if (rc == IV_OK && q->item && *q->item)
		rc = iv_find_item(db, q->item, &sq->item_id, NULL);
	if (rc == IV_OK && q->reason && *q->reason) {
		rc = store_reason_find(db->st, q->reason, &sq->reason_id, NULL);
		if (rc == IV_E_NOT_FOUND)
			rc = iv_fail(db, rc, "Reason Code: \"%s\" is not a known reason code", q->reason);
		else if (rc != IV_OK)
			rc = iv_fail_store(db, rc);
	}
	return rc;
}

static iv_status run_report(report_run *run, iv_report_cb cb, void *ctx, iv_report_result *out)
{
	iv_db *db = run->db;
	const iv_report_query *q = run->q;
	store_report_query sq = {.with_cancelled = q->with_reversed,
	                         .items = q->by[0] == IV_BY_ITEM || q->by[1] == IV_BY_ITEM};
	iv_store shop;
	bool has_store;
	iv_status rc = resolve_filters(db, q, &sq, &shop, &has_store);
	if (rc == IV_OK)
		rc = report_range(db, has_store ? &shop : NULL, q->from, q->to, &run->from, &run->to);
	if (rc != IV_OK)
		return rc;
	date_format(run->from, out->from);
	date_format(run->to, out->to);
	sq.from = out->from;
	sq.to = out->to;
	if (!(run->index = hmap_new()))
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	if ((rc = store_begin(db->st, false)) != IV_OK)
		return iv_fail_store(db, rc);
	/* one snapshot: the sums and the names they are shown by */
	if ((rc = store_report_rows(db->st, &sq, on_summary, run)) != IV_OK)
		rc = iv_fail_store(db, rc);
	else
		rc = run->status;
	if (rc == IV_OK)
		rc = read_names(run);
	store_rollback(db->st);
	if (rc != IV_OK)
		return rc;
	for (size_t i = 0; i < run->n; i++) { /* the keys' texts, to sort by */
		group *g = &run->v[i];
		g->text[1] = "";
		for (int k = 0; k < 2 && q->by[k] != IV_BY_NONE; k++) {
			iv_date f, l;
			key_text(run, g, k, &f, &l);
		}
	}
	if (run->n > 1)
		qsort(run->v, run->n, sizeof *run->v, by_keys);
	for (size_t i = 0; i < run->n; i++) {
		group *g = &run->v[i];
		if (g->sums.lines == 0)
			continue; /* every line of it cancelled out */
		iv_report_row row;
		memset(&row, 0, sizeof row);
		iv_date first = run->from, last = run->to;
		for (int k = 0; k < 2 && q->by[k] != IV_BY_NONE; k++) {
			iv_date f = run->from, l = run->to;
			key_text(run, g, k, &f, &l);
			if (f > first)
				first = f;
			if (l < last)
				last = l;
			snprintf(row.key[k], sizeof row.key[k], "%s", g->text[k]);
			snprintf(row.label[k], sizeof row.label[k], "%s", label_of(run, g, k));
		}
		date_format(first, row.from);
		date_format(last, row.to);
		row.sums = g->sums;
		if (!add_sums(&out->total, &g->sums)) {
			too_large(run);
			return run->status;
		}
		out->rows++;
		if (cb && !cb(ctx, &row))
			break;
	}
	return IV_OK;
}

iv_status iv_report_adjustments(iv_db *db, const iv_report_query *q, iv_report_cb cb, void *ctx,
                                iv_report_result *out)
{
	memset(out, 0, sizeof *out);
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	rule_user u;
	iv_session_rule_user(db, &u);
	if (!rule_may(&u, RULE_REPORT))
		return iv_fail(db, IV_E_PERMISSION, "reports of adjustments are for supervisors and admins "
		                                    "(they show values at cost and figures by user)");
	if (q->by[0] == IV_BY_NONE || q->by[0] >= IV_BY_KEYS || q->by[1] >= IV_BY_KEYS || q->by[0] == q->by[1])
		return iv_fail(db, IV_E_INVALID, "By: give one or two of reason, store, item, user, day, week, month");
	report_run run = {.db = db, .q = q, .status = IV_OK};
	rc = run_report(&run, cb, ctx, out);
	hmap_free(run.index);
	free(run.v);
	names_free(&run.stores);
	names_free(&run.reasons);
	names_free(&run.users);
	names_free(&run.items);
	if (rc != IV_OK)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- an item day by day ---- */

typedef struct item_days {
	iv_date from, to;
	iv_qty *diff; /* by day from from */
	iv_status status;
} item_days;

static bool on_day(void *ctx, const char *tdate, iv_qty diff)
{
	item_days *w = ctx;
	iv_date d;
	if (!date_parse(tdate, &d) || d > w->to)
		return true; /* after the range (day totals come in date order, but a bad one is verify's) */
	if (d >= w->from)
		w->diff[d - w->from] += diff;
	return true;
}

typedef struct store_ids {
	int64_t *v;
	size_t n;
	bool nomem;
} store_ids;

static bool take_store_id(void *ctx, int64_t id, const iv_store *s)
{
	(void)s;
	store_ids *ids = ctx;
	int64_t *v = realloc(ids->v, (ids->n + 1) * sizeof *v);
	if (!v)
		return !(ids->nomem = true);
	ids->v = v;
	ids->v[ids->n++] = id;
	return true;
}

/* Net Available at the end of the day before from, and each day's
 * Diffs, summed over the stores. */
static iv_status read_item_days(iv_db *db, int64_t item_id, const store_ids *ids, item_days *w, iv_qty *opening)
{
	char before[IV_DATE_ISO_LEN];
	date_format(w->from - 1, before);
	*opening = 0;
	for (size_t k = 0; k < ids->n; k++) {
		iv_qty q;
		iv_status rc = store_balance_asof(db->st, ids->v[k], item_id, before, &q);
		if (rc == IV_OK)
			rc = store_days_after(db->st, ids->v[k], item_id, before, on_day, w);
		if (rc != IV_OK)
			return iv_fail_store(db, rc);
		*opening += q;
	}
	return IV_OK;
}

iv_status iv_report_item(iv_db *db, const char *item, const char *store_code, const char *from, const char *to,
                         iv_item_day_cb cb, void *ctx, char from_out[IV_DATE_ISO_LEN],
                         char to_out[IV_DATE_ISO_LEN])
{
	int64_t item_id;
	iv_store s;
	store_ids ids = {0};
	int64_t store_id = 0;
	item_days w = {.status = IV_OK};
	iv_status rc = iv_find_item(db, item, &item_id, NULL);
	if (rc == IV_OK && store_code && *store_code && (rc = iv_find_store(db, store_code, &store_id, &s)) == IV_OK &&
	    !take_store_id(&ids, store_id, &s))
		rc = iv_fail(db, IV_E_NOMEM, "out of memory");
	if (rc == IV_OK)
		rc = report_range(db, store_id ? &s : NULL, from, to, &w.from, &w.to);
	if (rc != IV_OK)
		return rc;
	if (from_out)
		date_format(w.from, from_out);
	if (to_out)
		date_format(w.to, to_out);
	size_t n = (size_t)(w.to - w.from + 1);
	if (!(w.diff = calloc(n, sizeof *w.diff)))
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	iv_qty net = 0;
	if ((rc = store_begin(db->st, false)) != IV_OK) {
		rc = iv_fail_store(db, rc);
	} else {
		if (!store_id && (rc = store_store_each(db->st, take_store_id, &ids)) != IV_OK)
			rc = iv_fail_store(db, rc);
		else if (ids.nomem)
			rc = iv_fail(db, IV_E_NOMEM, "out of memory");
		if (rc == IV_OK)
			rc = read_item_days(db, item_id, &ids, &w, &net);
		store_rollback(db->st);
	}
	for (size_t i = 0; rc == IV_OK && i < n; i++) {
		iv_item_day d = {.diff = w.diff[i]};
		net += w.diff[i];
		d.net_available = net;
		date_format(w.from + (iv_date)i, d.date);
		if (!cb(ctx, &d))
			break;
	}
	free(w.diff);
	free(ids.v);
	return rc;
}
