/* Reports (both backends): known adjustments, back-dated ones, a
 * reversal, an upload and a batch reversal summed by every grouping and
 * range to exact rows; values at the unit cost in force on each line's
 * date, a cost changed mid-range and one set today; who may; bad input
 * named; reports while other terminals save; and verify finding a
 * summary or a cost history changed behind invadj's back.
 *
 * The fixture: opening stock KB-100 100 and MS-200 50 at MAIN, by admin,
 * FI, on 2026-06-01; today is 2026-06-15 (a Monday: ISO week 25). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/internal.h"
#include "invadj/upload.h"
#include "support/fixture.h"

#define FROM "2026-06-01"
#define TO FIXTURE_TODAY

/* The report as text, a row a line: "KEY[/KEY] lines +added -removed
 * value|- unvalued", the total last as "= ...". */
typedef struct report_text {
	char s[8192];
	size_t len;
} report_text;

static void append(report_text *t, const char *key, const iv_report_sums *s)
{
	char value[IV_MONEY_TEXT];
	if (s->unvalued == s->lines)
		snprintf(value, sizeof value, "-");
	else
		money_format(s->value, value, sizeof value);
	int n = snprintf(t->s + t->len, sizeof t->s - t->len, "%s %llu +%lld -%lld %s %llu\n", key,
	                 (unsigned long long)s->lines, (long long)s->added, (long long)s->removed, value,
	                 (unsigned long long)s->unvalued);
	if (n > 0)
		t->len += (size_t)n;
}

static bool on_row(void *ctx, const iv_report_row *r)
{
	char key[2 * IV_IDENT_SIZE + 2];
	snprintf(key, sizeof key, "%s%s%s", r->key[0], r->key[1][0] ? "/" : "", r->key[1]);
	append(ctx, key, &r->sums);
	return true;
}

/* Runs a report as `db`; returns its text (a static buffer) or the status. */
static const char *report(iv_db *db, const char *by, const char *from, const char *to, const char *store_code,
                          const char *item, const char *reason, bool with_reversed)
{
	static report_text t;
	memset(&t, 0, sizeof t);
	iv_report_query q = {.from = from, .to = to, .store = store_code, .item = item, .reason = reason,
	                     .with_reversed = with_reversed};
	if (iv_report_by(db, by, q.by) != IV_OK)
		return iv_errmsg(db);
	iv_report_result res;
	if (iv_report_adjustments(db, &q, on_row, &t, &res) != IV_OK)
		return iv_errmsg(db);
	append(&t, "=", &res.total);
	return t.s;
}

static void post(iv_db *db, const char *store_code, const char *item, const char *reason, const char *diff,
                 const char *date, int64_t *id)
{
	iv_line_in line = {item, reason, diff, NULL};
	iv_line_out out;
	iv_document doc = {store_code, date, &line, 1, {0}};
	int64_t docno;
	iv_status st = iv_doc_post(db, &doc, &out, &docno);
	if (st != IV_OK)
		fail_msg("post %s %s %s: %s", store_code, item, diff, iv_errmsg(db));
	if (id)
		*id = out.id;
}

/* The known adjustments (A..E above each) and D reversed. */
static iv_db *known_adjustments(fixture *f)
{
	iv_db *super = fixture_open_other(f, "super", "2222");
	post(f->db, "MAIN", "KB-100", "DMG", "-3", "2026-06-10", NULL); /* A: back-dated */
	post(f->db, "MAIN", "MS-200", "FI", "5", NULL, NULL);          /* B: today */
	post(super, "NEG", "KB-100", "THF", "-2", "2026-06-14", NULL); /* C */
	int64_t d;
	post(f->db, "MAIN", "KB-100", "DMG", "-1", NULL, &d);          /* D, reversed below */
	post(f->db, "THR", "CB-0042", "CC", "4", "2026-06-08", NULL);  /* E */
	iv_reversal rev = {d, NULL, NULL, {0}};
	iv_line_out out;
	if (iv_reverse(super, &rev, &out) != IV_OK)
		fail_msg("reverse: %s", iv_errmsg(super));
	return super;
}

static void test_groupings(void **state)
{
	fixture *f = *state;
	iv_db *super = known_adjustments(f);
	assert_string_equal(report(super, "reason", FROM, TO, NULL, NULL, NULL, false),
	                    "CC 1 +4 -0 - 1\n"
	                    "DMG 1 +0 -3 - 1\n"
	                    "FI 3 +155 -0 - 3\n"
	                    "THF 1 +0 -2 - 1\n"
	                    "= 6 +159 -5 - 6\n");
	/* the reversed line and its reversal, kept */
	assert_string_equal(report(super, "reason", FROM, TO, NULL, NULL, NULL, true),
	                    "CC 1 +4 -0 - 1\n"
	                    "DMG 2 +0 -4 - 2\n"
	                    "FI 3 +155 -0 - 3\n"
	                    "REV 1 +1 -0 - 1\n"
	                    "THF 1 +0 -2 - 1\n"
	                    "= 8 +160 -6 - 8\n");
	assert_string_equal(report(super, "store,reason", FROM, TO, NULL, NULL, NULL, false),
	                    "MAIN/DMG 1 +0 -3 - 1\n"
	                    "MAIN/FI 3 +155 -0 - 3\n"
	                    "NEG/THF 1 +0 -2 - 1\n"
	                    "THR/CC 1 +4 -0 - 1\n"
	                    "= 6 +159 -5 - 6\n");
	assert_string_equal(report(super, "reason,store", FROM, TO, NULL, NULL, NULL, false),
	                    "CC/THR 1 +4 -0 - 1\n"
	                    "DMG/MAIN 1 +0 -3 - 1\n"
	                    "FI/MAIN 3 +155 -0 - 3\n"
	                    "THF/NEG 1 +0 -2 - 1\n"
	                    "= 6 +159 -5 - 6\n");
	assert_string_equal(report(super, "item", FROM, TO, NULL, NULL, NULL, false),
	                    "CB-0042 1 +4 -0 - 1\n"
	                    "KB-100 3 +100 -5 - 3\n"
	                    "MS-200 2 +55 -0 - 2\n"
	                    "= 6 +159 -5 - 6\n");
	assert_string_equal(report(super, "user", FROM, TO, NULL, NULL, NULL, false),
	                    "admin 2 +150 -0 - 2\n"
	                    "clerk 3 +9 -3 - 3\n"
	                    "super 1 +0 -2 - 1\n"
	                    "= 6 +159 -5 - 6\n");
	assert_string_equal(report(super, "day", FROM, TO, NULL, NULL, NULL, false),
	                    "2026-06-01 2 +150 -0 - 2\n"
	                    "2026-06-08 1 +4 -0 - 1\n"
	                    "2026-06-10 1 +0 -3 - 1\n"
	                    "2026-06-14 1 +0 -2 - 1\n"
	                    "2026-06-15 1 +5 -0 - 1\n"
	                    "= 6 +159 -5 - 6\n");
	assert_string_equal(report(super, "week", FROM, TO, NULL, NULL, NULL, false),
	                    "2026-W23 2 +150 -0 - 2\n"
	                    "2026-W24 3 +4 -5 - 3\n"
	                    "2026-W25 1 +5 -0 - 1\n"
	                    "= 6 +159 -5 - 6\n");
	assert_string_equal(report(super, "month,user", FROM, TO, NULL, NULL, NULL, false),
	                    "2026-06/admin 2 +150 -0 - 2\n"
	                    "2026-06/clerk 3 +9 -3 - 3\n"
	                    "2026-06/super 1 +0 -2 - 1\n"
	                    "= 6 +159 -5 - 6\n");
	iv_close(super);
}

/* The dates each row covers. */
typedef struct periods {
	char from[3][IV_DATE_ISO_LEN], to[3][IV_DATE_ISO_LEN];
	int n;
} periods;

static bool take(void *ctx, const iv_report_row *r)
{
	periods *w = ctx;
	if (w->n < 3) {
		memcpy(w->from[w->n], r->from, IV_DATE_ISO_LEN);
		memcpy(w->to[w->n], r->to, IV_DATE_ISO_LEN);
	}
	w->n++;
	return true;
}

static void test_ranges_and_filters(void **state)
{
	fixture *f = *state;
	iv_db *super = known_adjustments(f);
	/* the default: the last 30 days, to today */
	assert_string_equal(report(super, "reason", NULL, NULL, NULL, NULL, NULL, false),
	                    report(super, "reason", "2026-05-17", TO, NULL, NULL, NULL, false));
	assert_string_equal(report(super, "reason", "06/10/2026", "2026-06-14", NULL, NULL, NULL, false),
	                    "DMG 1 +0 -3 - 1\n"
	                    "THF 1 +0 -2 - 1\n"
	                    "= 2 +0 -5 - 2\n");
	assert_string_equal(report(super, "reason", "2026-06-02", "2026-06-07", NULL, NULL, NULL, false),
	                    "= 0 +0 -0 - 0\n");
	assert_string_equal(report(super, "reason", FROM, TO, "main", NULL, NULL, false),
	                    "DMG 1 +0 -3 - 1\n"
	                    "FI 3 +155 -0 - 3\n"
	                    "= 4 +155 -3 - 4\n");
	/* an item by any identifier: KB-100's UPC */
	assert_string_equal(report(super, "store", FROM, TO, NULL, "012345678905", NULL, false),
	                    "MAIN 2 +100 -3 - 2\n"
	                    "NEG 1 +0 -2 - 1\n"
	                    "= 3 +100 -5 - 3\n");
	assert_string_equal(report(super, "reason", FROM, TO, "MAIN", "KB-100", NULL, true),
	                    "DMG 2 +0 -4 - 2\n"
	                    "FI 1 +100 -0 - 1\n"
	                    "REV 1 +1 -0 - 1\n"
	                    "= 4 +101 -4 - 4\n");
	assert_string_equal(report(super, "item", FROM, TO, NULL, NULL, "FI", false),
	                    "KB-100 1 +100 -0 - 1\n"
	                    "MS-200 2 +55 -0 - 2\n"
	                    "= 3 +155 -0 - 3\n");
	/* a week at the range's edge covers only the range's days */
	iv_report_query q = {.by = {IV_BY_WEEK}, .from = "2026-06-10", .to = TO};
	periods weeks = {0};
	iv_report_result res;
	assert_int_equal(iv_report_adjustments(super, &q, take, &weeks, &res), IV_OK);
	assert_int_equal(weeks.n, 2);
	assert_string_equal(weeks.from[0], "2026-06-10");
	assert_string_equal(weeks.to[0], "2026-06-14");
	assert_string_equal(weeks.from[1], "2026-06-15");
	assert_string_equal(weeks.to[1], "2026-06-15");
	assert_string_equal(res.from, "2026-06-10");
	iv_close(super);
}

static bool count_day(void *ctx, const iv_item_day *d)
{
	(void)d;
	(*(int *)ctx)++;
	return true;
}

static void test_who_and_bad_input(void **state)
{
	fixture *f = *state;
	/* a clerk: no reports of adjustments (values and figures by user) */
	iv_report_query q = {.by = {IV_BY_REASON}};
	iv_report_result res;
	assert_int_equal(iv_report_adjustments(f->db, &q, on_row, NULL, &res), IV_E_PERMISSION);
	assert_non_null(strstr(iv_errmsg(f->db), "supervisors and admins"));
	iv_db *super = fixture_open_other(f, "super", "2222");
	assert_string_equal(report(super, "colour", NULL, NULL, NULL, NULL, NULL, false),
	                    "By: \"colour\" is not one of reason, store, item, user, day, week, month");
	assert_string_equal(report(super, "store,store", NULL, NULL, NULL, NULL, NULL, false),
	                    "By: \"store\" is given twice");
	assert_string_equal(report(super, "store,reason,item", NULL, NULL, NULL, NULL, NULL, false),
	                    "By: give one or two keys (e.g. store,reason), not more");
	assert_string_equal(report(super, "", NULL, NULL, NULL, NULL, NULL, false),
	                    "By: give one or two of reason, store, item, user, day, week, month");
	assert_string_equal(report(super, "reason", "2026-06-15", "2026-06-01", NULL, NULL, NULL, false),
	                    "From: 2026-06-15 is after To (2026-06-01)");
	assert_string_equal(report(super, "reason", "June", NULL, NULL, NULL, NULL, false),
	                    "From: \"June\" is not a valid date (use MM/DD/YYYY, MM-DD-YYYY or YYYY-MM-DD)");
	assert_string_equal(report(super, "reason", NULL, NULL, "NOPE", NULL, NULL, false),
	                    "Store: \"NOPE\" is not a known store code");
	assert_string_equal(report(super, "reason", NULL, NULL, NULL, NULL, "XX", false),
	                    "Reason Code: \"XX\" is not a known reason code");
	/* an item by day: anyone may (quantities only) */
	int days = 0;
	assert_int_equal(iv_report_item(f->db, "KB-100", NULL, NULL, NULL, count_day, &days, NULL, NULL), IV_OK);
	assert_int_equal(days, 30);
	iv_close(super);
}

static bool item_day_text(void *ctx, const iv_item_day *d)
{
	report_text *t = ctx;
	int n = snprintf(t->s + t->len, sizeof t->s - t->len, "%s %lld %+lld\n", d->date,
	                 (long long)d->net_available, (long long)d->diff);
	if (n > 0)
		t->len += (size_t)n;
	return true;
}

static void test_item_by_day(void **state)
{
	fixture *f = *state;
	iv_db *super = known_adjustments(f);
	report_text t = {0};
	char from[IV_DATE_ISO_LEN], to[IV_DATE_ISO_LEN];
	assert_int_equal(iv_report_item(f->db, "KB-100", NULL, "2026-06-09", "2026-06-15", item_day_text, &t, from, to),
	                 IV_OK);
	/* every store; the reversed -1 and its +1 both today */
	assert_string_equal(t.s, "2026-06-09 100 +0\n"
	                         "2026-06-10 97 -3\n"
	                         "2026-06-11 97 +0\n"
	                         "2026-06-12 97 +0\n"
	                         "2026-06-13 97 +0\n"
	                         "2026-06-14 95 -2\n"
	                         "2026-06-15 95 +0\n");
	assert_string_equal(from, "2026-06-09");
	memset(&t, 0, sizeof t);
	assert_int_equal(iv_report_item(f->db, "KB-100", "NEG", "2026-06-13", "2026-06-15", item_day_text, &t, NULL,
	                                NULL),
	                 IV_OK);
	assert_string_equal(t.s, "2026-06-13 0 +0\n2026-06-14 -2 -2\n2026-06-15 -2 +0\n");
	assert_int_equal(iv_report_item(f->db, "KB-100", NULL, "1900-01-01", "2100-01-01", item_day_text, &t, NULL, NULL),
	                 IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "more than a hundred years"));
	iv_close(super);
}

/* ---- costs ---- */

/* By the admin: on a server master data is an admin's only. */
static void import_cost(fixture *f, const char *day, const char *cost)
{
	iv_test_clock_pin(day);
	char text[128];
	snprintf(text, sizeof text, "ItemNumber,UnitCost\nKB-100,%s\n", cost);
	size_t n;
	iv_db *admin = fixture_open_other(f, "admin", "0000");
	if (iv_import(admin, IV_IMPORT_ITEMS, fixture_file(f, "costs.csv", text), &n) != IV_OK)
		fail_msg("import cost %s on %s: %s", cost, day, iv_errmsg(admin));
	iv_close(admin);
}

static void assert_verifies(iv_db *db)
{
	iv_verify_report r;
	iv_status st = iv_verify(db, &r);
	if (st != IV_OK)
		fail_msg("verify: %s", iv_errmsg(db));
}

static bool keep(void *ctx, const iv_change *c)
{
	if (strcmp(c->field, "unit_cost") == 0)
		*(iv_change *)ctx = *c;
	return true;
}

static void test_values_at_the_cost_of_their_date(void **state)
{
	fixture *f = *state;
	iv_db *super = fixture_open_other(f, "super", "2222");
	import_cost(f, "2026-06-05", "2.50");
	import_cost(f, "2026-06-12", "3");
	iv_test_clock_pin(FIXTURE_TODAY);
	post(super, "MAIN", "KB-100", "DMG", "-1", "2026-06-03", NULL); /* before any cost */
	post(super, "MAIN", "KB-100", "DMG", "-1", "2026-06-06", NULL); /* 2.50 */
	post(super, "MAIN", "KB-100", "DMG", "-2", "2026-06-11", NULL); /* 2.50, back-dated past the change */
	post(super, "MAIN", "KB-100", "DMG", "-1", "2026-06-12", NULL); /* 3 */
	post(super, "MAIN", "KB-100", "DMG", "-1", NULL, NULL);         /* 3, today */
	post(super, "MAIN", "MS-200", "DMG", "-1", NULL, NULL);         /* no cost */
	assert_string_equal(report(super, "day", FROM, TO, NULL, "KB-100", NULL, false),
	                    "2026-06-01 1 +100 -0 - 1\n"
	                    "2026-06-03 1 +0 -1 - 1\n"
	                    "2026-06-06 1 +0 -1 -2.50 0\n"
	                    "2026-06-11 1 +0 -2 -5.00 0\n"
	                    "2026-06-12 1 +0 -1 -3.00 0\n"
	                    "2026-06-15 1 +0 -1 -3.00 0\n"
	                    "= 6 +100 -6 -13.50 2\n");
	/* a total over valued and unvalued lines: the valued ones, and the
	 * count of the others */
	assert_string_equal(report(super, "reason", FROM, TO, NULL, NULL, NULL, false),
	                    "DMG 6 +0 -7 -13.50 2\n"
	                    "FI 2 +150 -0 - 2\n"
	                    "= 8 +150 -7 -13.50 4\n");
	/* a cost set today applies to today's lines, already posted */
	import_cost(f, FIXTURE_TODAY, "4.1234");
	assert_string_equal(report(super, "day", "2026-06-12", TO, NULL, "KB-100", NULL, false),
	                    "2026-06-12 1 +0 -1 -3.00 0\n"
	                    "2026-06-15 1 +0 -1 -4.1234 0\n"
	                    "= 2 +0 -2 -7.1234 0\n");
	/* cleared: no value from today on, never a value of zero */
	import_cost(f, FIXTURE_TODAY, "");
	assert_string_equal(report(super, "day", "2026-06-12", TO, NULL, "KB-100", NULL, false),
	                    "2026-06-12 1 +0 -1 -3.00 0\n"
	                    "2026-06-15 1 +0 -1 - 1\n"
	                    "= 2 +0 -2 -3.00 1\n");
	/* a free item is worth zero, not unknown */
	import_cost(f, FIXTURE_TODAY, "0");
	assert_string_equal(report(super, "day", TO, TO, NULL, "KB-100", NULL, false),
	                    "2026-06-15 1 +0 -1 0.00 0\n"
	                    "= 1 +0 -1 0.00 0\n");
	/* a reversal is valued at today's cost, the line it reverses at its own */
	int64_t id;
	post(super, "MAIN", "KB-100", "DMG", "-2", "2026-06-06", &id);
	iv_reversal rev = {id, NULL, NULL, {0}};
	iv_line_out out;
	assert_int_equal(iv_reverse(super, &rev, &out), IV_OK);
	assert_string_equal(report(super, "reason", "2026-06-06", TO, NULL, "KB-100", NULL, true),
	                    "DMG 5 +0 -7 -15.50 0\n"
	                    "REV 1 +2 -0 0.00 0\n"
	                    "= 6 +2 -7 -15.50 0\n");
	assert_verifies(super);
	/* the item's history shows the change, as an amount */
	iv_change last = {0};
	assert_int_equal(iv_master_history(super, IV_ENTITY_ITEM, "KB-100", keep, &last), IV_OK);
	assert_string_equal(last.field, "unit_cost");
	assert_string_equal(last.to, "0.00");
	iv_close(super);
}

static void test_bad_costs_refused(void **state)
{
	fixture *f = *state;
	iv_db *admin = fixture_open_other(f, "admin", "0000"); /* master data: an admin's on a server */
	static const char *const bad[][2] = {
		{"abc", "UnitCost: \"abc\" is not a cost"},
		{"-1", "UnitCost: \"-1\" is not a cost"},
		{"1.23456", "UnitCost: \"1.23456\" has more than 4 decimals"},
		{"\"1,234.50\"", "UnitCost: \"1,234.50\" has a comma"},
		{"100000.01", "is above the largest unit cost"},
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		char text[128];
		snprintf(text, sizeof text, "ItemNumber,UnitCost\nMS-200,1\nKB-100,%s\n", bad[k][0]);
		size_t n;
		assert_int_equal(iv_import(admin, IV_IMPORT_ITEMS, fixture_file(f, "bad.csv", text), &n), IV_E_INVALID);
		if (!strstr(iv_errmsg(admin), bad[k][1]) || !strstr(iv_errmsg(admin), "line 3"))
			fail_msg("%s: %s", bad[k][0], iv_errmsg(admin));
	}
	/* nothing of any file was saved: MS-200 has no cost */
	post(admin, "MAIN", "MS-200", "DMG", "-1", NULL, NULL);
	assert_string_equal(report(admin, "item", TO, TO, NULL, NULL, NULL, false), "MS-200 1 +0 -1 - 1\n= 1 +0 -1 - 1\n");
	iv_close(admin);
}

/* ---- uploads and batch reversals ---- */

/* Posts rows (after the header) as a Delta upload by the fixture's
 * clerk, KB-100 costing 2 from 2026-06-10; returns the batch. */
static int64_t upload_rows(fixture *f, const char *rows)
{
	import_cost(f, "2026-06-10", "2");
	iv_test_clock_pin(FIXTURE_TODAY);
	char text[1024];
	snprintf(text, sizeof text, "StoreCode,ItemNumber,Qty,ReasonCode,TransactionDate\n%s", rows);
	iv_upload_opts o = {.path = fixture_file(f, "up.csv", text), .rule = IV_RULE_DELTA};
	iv_upload_result res;
	if (iv_upload(f->db, &o, &res) != IV_OK)
		fail_msg("upload: %s", iv_errmsg(f->db));
	return res.batch_id;
}

static void test_upload_and_batch_reversal(void **state)
{
	fixture *f = *state;
	iv_db *super = fixture_open_other(f, "super", "2222");
	int64_t batch = upload_rows(f, "MAIN,KB-100,-2,DMG,2026-06-12\n"
	                               "MAIN,KB-100,-1,DMG,2026-06-12\n"
	                               "MAIN,MS-200,3,FI,\n"
	                               "NEG,KB-100,1,FI,2026-06-09\n"
	                               "NEG,KB-100,4,FI,2026-06-14\n");
	assert_string_equal(report(super, "store,reason", "2026-06-02", TO, NULL, NULL, NULL, false),
	                    "MAIN/DMG 2 +0 -3 -6.00 0\n"
	                    "MAIN/FI 1 +3 -0 - 1\n"
	                    "NEG/FI 2 +5 -0 8.00 1\n"
	                    "= 5 +8 -3 2.00 2\n");
	assert_string_equal(report(super, "user", "2026-06-02", TO, NULL, NULL, NULL, false),
	                    "clerk 5 +8 -3 2.00 2\n"
	                    "= 5 +8 -3 2.00 2\n");
	assert_verifies(super);
	iv_upload_result rev;
	assert_int_equal(iv_reverse_batch(super, batch, NULL, NULL, (iv_approval){0}, &rev), IV_OK);
	/* reversed pairs cancel: nothing of the upload is left */
	assert_string_equal(report(super, "store,reason", "2026-06-02", TO, NULL, NULL, NULL, false),
	                    "= 0 +0 -0 - 0\n");
	assert_string_equal(report(super, "store,reason", "2026-06-02", TO, NULL, NULL, NULL, true),
	                    "MAIN/DMG 2 +0 -3 -6.00 0\n"
	                    "MAIN/FI 1 +3 -0 - 1\n"
	                    "MAIN/REV 3 +3 -3 6.00 1\n"
	                    "NEG/FI 2 +5 -0 8.00 1\n"
	                    "NEG/REV 2 +0 -5 -10.00 0\n"
	                    "= 10 +11 -11 -2.00 3\n");
	assert_verifies(super);
	iv_close(super);
}

/* An upload's lines are summed in memory, or when they are more keys
 * than memory holds (here one), by the database from the rows at the
 * end, the keys held before they overflowed included: the same sums
 * either way. */
static void upload_of_keys_held(void **state, size_t held)
{
	fixture *f = *state;
	iv_db *super = fixture_open_other(f, "super", "2222");
	sums_set_batch_lines(held);
	upload_rows(f, "MAIN,KB-100,-2,DMG,2026-06-12\n"
	               "MAIN,MS-200,3,FI,\n"
	               "MAIN,KB-100,-1,DMG,2026-06-12\n"
	               "NEG,KB-100,1,FI,2026-06-09\n"
	               "MAIN,MS-200,2,FI,\n"
	               "NEG,KB-100,4,FI,2026-06-14\n"
	               "MAIN,KB-100,1,DMG,2026-06-12\n");
	sums_set_batch_lines(0);
	assert_string_equal(report(super, "store,reason", "2026-06-02", TO, NULL, NULL, NULL, false),
	                    "MAIN/DMG 3 +1 -3 -4.00 0\n"
	                    "MAIN/FI 2 +5 -0 - 2\n"
	                    "NEG/FI 2 +5 -0 8.00 1\n"
	                    "= 7 +11 -3 4.00 3\n");
	assert_string_equal(report(super, "item", "2026-06-02", TO, NULL, NULL, NULL, false),
	                    "KB-100 5 +6 -3 4.00 1\n"
	                    "MS-200 2 +5 -0 - 2\n"
	                    "= 7 +11 -3 4.00 3\n");
	assert_verifies(super);
	iv_close(super);
}

static void test_upload_keys_summed_in_memory(void **state)
{
	upload_of_keys_held(state, 0);
}

static void test_upload_keys_summed_by_the_database(void **state)
{
	upload_of_keys_held(state, 1);
}

/* ---- reports while others save ---- */

#define WRITERS 3
#define DOCS 60

/* Another terminal: documents of two lines, KB-100 and MS-200 at NEG. */
static int writer(const fixture *f)
{
	iv_db *db = NULL;
	if (iv_open(f->path, IV_OPEN_EXISTING, &db) != IV_OK || iv_login(db, "clerk", "1111") != IV_OK)
		return 1;
	for (int k = 0; k < DOCS; k++) {
		iv_line_in lines[] = {{"KB-100", "FI", "1", NULL}, {"MS-200", "FI", "1", NULL}};
		iv_line_out out[2];
		iv_document doc = {"NEG", NULL, lines, 2, {0}};
		int64_t docno;
		if (iv_doc_post(db, &doc, out, &docno) != IV_OK) {
			fprintf(stderr, "writer: %s\n", iv_errmsg(db));
			iv_close(db);
			return 1;
		}
	}
	iv_close(db);
	return 0;
}

typedef struct two_items {
	uint64_t kb, ms;
} two_items;

static bool count_items(void *ctx, const iv_report_row *r)
{
	two_items *t = ctx;
	if (strcmp(r->key[0], "KB-100") == 0)
		t->kb = r->sums.lines;
	else if (strcmp(r->key[0], "MS-200") == 0)
		t->ms = r->sums.lines;
	return true;
}

static void test_reports_while_terminals_save(void **state)
{
	fixture *f = *state;
	iv_db *super = fixture_open_other(f, "super", "2222");
	pid_t pids[WRITERS];
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0)
			_exit(writer(f));
	}
	/* Every report sees whole documents only (one snapshot), and the
	 * writers never wait for it: all their saves go through. */
	iv_report_query q = {.by = {IV_BY_ITEM}, .from = FROM, .to = TO};
	int reports = 0;
	bool running = true;
	while (running) {
		two_items t = {0};
		iv_report_result res;
		assert_int_equal(iv_report_adjustments(super, &q, count_items, &t, &res), IV_OK);
		assert_int_equal(t.kb, t.ms);
		reports++;
		running = false;
		for (int w = 0; w < WRITERS; w++)
			if (pids[w] && waitpid(pids[w], NULL, WNOHANG) == 0)
				running = true;
	}
	for (int w = 0; w < WRITERS; w++) {
		int status;
		if (waitpid(pids[w], &status, 0) == pids[w])
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	two_items t = {0};
	iv_report_result res;
	assert_int_equal(iv_report_adjustments(super, &q, count_items, &t, &res), IV_OK);
	assert_int_equal(t.kb, 1 + WRITERS * DOCS);
	assert_int_equal(t.ms, 1 + WRITERS * DOCS);
	assert_true(reports > 0);
	assert_verifies(super);
	iv_close(super);
}

/* ---- verify ---- */

static void test_verify_finds_changed_summaries(void **state)
{
	fixture *f = *state;
	iv_db *super = known_adjustments(f);
	import_cost(f, FIXTURE_TODAY, "1.25");
	assert_verifies(super);
	iv_close(super);
	iv_verify_report r;
	/* a value nudged */
	assert_int_equal(fixture_sql(f, "UPDATE report_items SET value = value + 1 WHERE store_id = "
	                                "(SELECT id FROM stores WHERE code = 'NEG')"),
	                 SQLITE_OK);
	assert_int_equal(iv_verify(f->db, &r), IV_E_CORRUPT);
	assert_non_null(strstr(iv_errmsg(f->db), "the report summary report_items of store NEG, item KB-100, "
	                                          "reason THF, user super on 2026-06-14 (not cancelled) holds"));
	assert_int_equal(fixture_sql(f, "UPDATE report_items SET value = value - 1 WHERE store_id = "
	                                "(SELECT id FROM stores WHERE code = 'NEG')"),
	                 SQLITE_OK);
	/* a cancelled pair made to count again, in both tables alike */
	assert_int_equal(fixture_sql(f, "UPDATE report_days SET cancelled = 0 WHERE cancelled = 1 AND "
	                                "reason_id = (SELECT id FROM reasons WHERE code = 'REV')"),
	                 SQLITE_OK);
	assert_int_equal(iv_verify(f->db, &r), IV_E_CORRUPT);
	assert_non_null(strstr(iv_errmsg(f->db), "report_days"));
	assert_int_equal(fixture_sql(f, "UPDATE report_days SET cancelled = 1 WHERE cancelled = 0 AND "
	                                "reason_id = (SELECT id FROM reasons WHERE code = 'REV')"),
	                 SQLITE_OK);
	assert_int_equal(iv_verify(f->db, &r), IV_OK);
	/* a cost history back-dated: every line of the month valued */
	assert_int_equal(fixture_sql(f, "UPDATE item_costs SET effective = '2026-06-01'"), SQLITE_OK);
	assert_int_equal(iv_verify(f->db, &r), IV_E_CORRUPT);
	assert_non_null(strstr(iv_errmsg(f->db), "the cost history (item_costs) of item KB-100"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_groupings, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ranges_and_filters, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_who_and_bad_input, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_item_by_day, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_values_at_the_cost_of_their_date, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bad_costs_refused, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_upload_and_batch_reversal, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_upload_keys_summed_in_memory, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_upload_keys_summed_by_the_database, fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reports_while_terminals_save, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_verify_finds_changed_summaries, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
