/* Counts (include/invadj/count.h), rule by rule, on both backends:
 * scanning, recounts and undo; several terminals scanning one item;
 * blind counts; stock that moves during a count; posting once, with
 * the rules of any adjustment; zeroing what nobody counted; reversing
 * a posted count as a batch; and verify recomputing a count's rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "invadj/count.h"
#include "invadj/upload.h"
#include "support/fixture.h"

#define MAX_LINES 16

typedef struct shown {
	iv_count_line v[MAX_LINES];
	size_t n;
	iv_count_view view;
} shown;

static bool keep_line(void *ctx, const iv_count_line *l)
{
	shown *s = ctx;
	if (s->n < MAX_LINES)
		s->v[s->n++] = *l;
	return true;
}

static const iv_count_line *find_line(const shown *s, const char *item)
{
	for (size_t k = 0; k < s->n; k++)
		if (strcmp(s->v[k].item.number, item) == 0)
			return &s->v[k];
	return NULL;
}

/* The line of an item that must be there. */
static const iv_count_line *line_of(const shown *s, const char *item)
{
	static const iv_count_line none;
	const iv_count_line *l = find_line(s, item);
	if (!l)
		fail_msg("no line for item %s", item);
	return l ? l : &none;
}

static int64_t start(iv_db *db, const char *store, iv_count_scope scope, bool blind, const char *items)
{
	iv_count_start_in in = {store, blind, scope, items, NULL};
	int64_t id = 0;
	assert_int_equal(iv_count_start(db, &in, &id), IV_OK);
	assert_true(id > 0);
	return id;
}

/* One scan; returns the item's Counted after it. */
static iv_qty scan(iv_db *db, int64_t count, const char *item, const char *qty, bool set)
{
	iv_scan_in in = {count, item, qty, set};
	iv_scan_out out;
	assert_int_equal(iv_count_add(db, &in, &out), IV_OK);
	return out.counted;
}

static void show(iv_db *db, int64_t count, bool zero, shown *s)
{
	memset(s, 0, sizeof *s);
	iv_count_show_in in = {count, IV_COUNT_BY_ITEM, zero};
	assert_int_equal(iv_count_show(db, &in, keep_line, s, &s->view), IV_OK);
}

static iv_status post(iv_db *db, int64_t count, bool zero, bool accept, iv_approval ap, iv_count_post_out *out)
{
	iv_count_post_in in = {count, NULL, zero, accept, ap};
	return iv_count_post(db, &in, NULL, NULL, out);
}

static void verify_ok(iv_db *db)
{
	iv_verify_report r;
	iv_status st = iv_verify(db, &r);
	if (st != IV_OK)
		fprintf(stderr, "verify: %s\n", iv_errmsg(db));
	assert_int_equal(st, IV_OK);
}

static void test_scans_add_set_and_multiply(void **state)
{
	fixture *f = *state;
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	assert_int_equal(scan(f->db, id, "KB-100", NULL, false), 1);
	assert_int_equal(scan(f->db, id, "012345678905", NULL, false), 2); /* its UPC */
	assert_int_equal(scan(f->db, id, "kb-100", "12", false), 14);       /* a quantity, any case */
	assert_int_equal(scan(f->db, id, "KB-100", "96", true), 96);        /* a recount replaces */
	assert_int_equal(scan(f->db, id, "KEYB-W", NULL, false), 97);       /* adds count after it */
	shown s;
	show(f->db, id, false, &s);
	assert_int_equal(s.n, 1);
	const iv_count_line *kb = line_of(&s, "KB-100");
	assert_int_equal(kb->qty, 97);
	assert_int_equal(kb->at_start, 100);
	assert_int_equal(kb->diff, -3);
	assert_true(kb->recounted);
	/* bad quantities name the field and write nothing */
	iv_scan_out out;
	iv_scan_in bad[] = {{id, "KB-100", "0", false}, {id, "KB-100", "-1", false}, {id, "KB-100", "1.5", false},
	                    {id, "KB-100", "-1", true}, {id, "KB-100", NULL, true}, {id, "NOPE", NULL, false},
	                    {id, "KB-100", "999999999", false}};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		assert_int_not_equal(iv_count_add(f->db, &bad[k], &out), IV_OK);
		assert_true(strstr(iv_errmsg(f->db), "Qty") || strstr(iv_errmsg(f->db), "Item Number"));
	}
	show(f->db, id, false, &s);
	assert_int_equal(line_of(&s, "KB-100")->qty, 97);
	/* a count that does not exist */
	iv_scan_in nowhere = {id + 100, "KB-100", NULL, false};
	assert_int_equal(iv_count_add(f->db, &nowhere, &out), IV_E_NOT_FOUND);
	assert_non_null(strstr(iv_errmsg(f->db), "no count"));
}

static void test_undo_takes_back_ones_own_last_scan(void **state)
{
	fixture *f = *state;
	iv_db *other = fixture_open_other(f, "super", "2222");
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	iv_scan_out out;
	assert_int_equal(iv_count_undo(f->db, id, &out), IV_E_NOT_FOUND);
	scan(f->db, id, "KB-100", "5", false);
	scan(f->db, id, "KB-100", "40", true);
	scan(other, id, "KB-100", "3", false); /* another terminal's, after */
	assert_int_equal(iv_count_undo(f->db, id, &out), IV_OK);
	assert_string_equal(out.item.number, "KB-100");
	assert_int_equal(out.kind, IV_SCAN_SET);
	assert_int_equal(out.counted, 8); /* the set undone: 5 + the other's 3 */
	assert_int_equal(iv_count_undo(f->db, id, &out), IV_OK);
	assert_int_equal(out.counted, 3);
	assert_int_equal(iv_count_undo(f->db, id, &out), IV_E_NOT_FOUND); /* the other's scan stays */
	assert_int_equal(iv_count_undo(other, id, &out), IV_OK);
	assert_int_equal(out.counted, 0);
	shown s;
	show(f->db, id, false, &s);
	assert_int_equal(s.n, 0); /* every scan undone: not counted */
	verify_ok(f->db);
	iv_close(other);
}

/* Two terminals scanning the same item at once: every scan counts. */
static int scanner(const fixture *f, int64_t count, int n)
{
	iv_db *db = NULL;
	if (iv_open(f->path, IV_OPEN_EXISTING, &db) != IV_OK || iv_login(db, "clerk", "1111") != IV_OK) {
		fprintf(stderr, "scanner %d: %s\n", n, iv_errmsg(db));
		return 1;
	}
	for (int k = 0; k < 500; k++) {
		iv_scan_in in = {count, "MS-200", NULL, false};
		iv_scan_out out;
		if (iv_count_add(db, &in, &out) != IV_OK) {
			fprintf(stderr, "scanner %d, scan %d: %s\n", n, k, iv_errmsg(db));
			iv_close(db);
			return 1;
		}
	}
	iv_close(db);
	return 0;
}

static void test_two_terminals_scan_one_item_and_lose_nothing(void **state)
{
	fixture *f = *state;
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] == 0)
			_exit(scanner(f, id, k));
	}
	for (int k = 0; k < 2; k++) {
		int status;
		assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	shown s;
	show(f->db, id, false, &s);
	assert_int_equal(line_of(&s, "MS-200")->qty, 1000);
	assert_int_equal(line_of(&s, "MS-200")->diff, 950);
	iv_count_info info;
	assert_int_equal(iv_count_get(f->db, id, &info), IV_OK);
	assert_int_equal(info.scans, 1000);
}

static void test_blind_count_hides_what_it_expected_from_a_clerk(void **state)
{
	fixture *f = *state;
	int64_t id = start(f->db, "MAIN", IV_COUNT_ALL, true, NULL);
	scan(f->db, id, "KB-100", "90", false);
	shown s;
	show(f->db, id, false, &s);
	assert_true(s.view.hidden);
	assert_int_equal(s.n, 1); /* MS-200, with stock, uncounted: not even named */
	assert_string_equal(s.v[0].item.number, "KB-100");
	assert_int_equal(s.v[0].qty, 90);
	assert_int_equal(s.v[0].at_start, 0);
	assert_int_equal(s.v[0].diff, 0);
	assert_int_equal(s.v[0].moved, 0);
	assert_int_equal(s.v[0].new_qty, 0);
	assert_int_equal(s.view.moved + s.view.differ + (size_t)s.view.added + (size_t)s.view.removed, 0);
	/* nor by posting or its preview */
	iv_count_post_out out;
	assert_int_equal(post(f->db, id, false, false, (iv_approval){"super", "2222"}, &out), IV_E_PERMISSION);
	assert_non_null(strstr(iv_errmsg(f->db), "blind"));
	shown p = {0};
	iv_count_post_in in = {id, NULL, false, false, {0}};
	assert_int_equal(iv_count_post_preview(f->db, &in, keep_line, &p, &out), IV_E_PERMISSION);
	assert_int_equal(p.n, 0);
	/* nobody logged in is a clerk too */
	iv_db *anon = NULL;
	assert_int_equal(iv_open(f->path, IV_OPEN_READONLY, &anon), IV_OK);
	show(anon, id, false, &s);
	assert_true(s.view.hidden);
	assert_int_equal(s.v[0].at_start, 0);
	iv_close(anon);
	/* a supervisor sees it all, and posts */
	iv_db *sup = fixture_open_other(f, "super", "2222");
	show(sup, id, false, &s);
	assert_false(s.view.hidden);
	assert_int_equal(s.n, 2);
	assert_int_equal(line_of(&s, "KB-100")->diff, -10);
	assert_false(line_of(&s, "MS-200")->counted);
	assert_int_equal(line_of(&s, "MS-200")->at_start, 50);
	assert_int_equal(post(sup, id, false, false, (iv_approval){0}, &out), IV_OK);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 90);
	assert_int_equal(fixture_balance(f->db, "MAIN", "MS-200"), 50);
	/* still blind for the clerk once posted */
	show(f->db, id, false, &s);
	assert_true(s.view.hidden);
	verify_ok(sup);
	iv_close(sup);
}

static void test_movement_during_the_count_is_reported_not_counted(void **state)
{
	fixture *f = *state;
	iv_db *sup = fixture_open_other(f, "super", "2222");
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, id, "KB-100", "97", false);
	scan(f->db, id, "MS-200", "50", false);
	/* a sale after the start, and a row back-dated before it but saved after */
	assert_int_equal(fixture_adjust(sup, "MAIN", "KB-100", "-2", NULL, NULL), IV_OK);
	assert_int_equal(fixture_adjust(sup, "MAIN", "MS-200", "5", "2026-06-10", NULL), IV_OK);
	shown s;
	show(sup, id, false, &s);
	const iv_count_line *kb = line_of(&s, "KB-100"), *ms = line_of(&s, "MS-200");
	assert_int_equal(kb->at_start, 100);
	assert_int_equal(kb->moved, -2);
	assert_int_equal(kb->diff, -3); /* the Diff is the count's, whatever moved since */
	assert_int_equal(ms->at_start, 50);
	assert_int_equal(ms->moved, 5);
	assert_int_equal(ms->diff, 0);
	assert_int_equal(s.view.moved, 2);
	long long rows = fixture_ledger_count(f);
	iv_count_post_out out;
	assert_int_equal(post(sup, id, false, false, (iv_approval){0}, &out), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(sup), "2 items moved since counted: KB-100 (-2), MS-200 (+5)"));
	assert_int_equal(fixture_ledger_count(f), rows);
	/* the preview lists them first */
	shown p = {0};
	iv_count_post_in in = {id, NULL, false, false, {0}};
	assert_int_equal(iv_count_post_preview(sup, &in, keep_line, &p, &out), IV_E_REFUSED);
	assert_int_equal(out.moved, 2);
	assert_true(p.v[0].moved != 0 && p.v[1].moved != 0);
	/* accepted: New Qty = Net Available now + Diff */
	assert_int_equal(post(sup, id, false, true, (iv_approval){0}, &out), IV_OK);
	assert_int_equal(out.posted, 1);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100 - 2 - 3);
	assert_int_equal(fixture_balance(f->db, "MAIN", "MS-200"), 55);
	verify_ok(sup);
	iv_close(sup);
}

static void test_a_recount_takes_the_moment_of_the_recount(void **state)
{
	fixture *f = *state;
	iv_db *sup = fixture_open_other(f, "super", "2222");
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, id, "KB-100", "100", false);
	assert_int_equal(fixture_adjust(sup, "MAIN", "KB-100", "-4", NULL, NULL), IV_OK);
	shown s;
	show(sup, id, false, &s);
	assert_int_equal(line_of(&s, "KB-100")->moved, -4);
	/* counted again after the sale: 95 on the shelf, 96 on the books */
	scan(f->db, id, "KB-100", "95", true);
	assert_int_equal(fixture_adjust(sup, "MAIN", "MS-200", "-1", NULL, NULL), IV_OK); /* another item */
	show(sup, id, false, &s);
	const iv_count_line *kb = line_of(&s, "KB-100");
	assert_true(kb->recounted);
	assert_int_equal(kb->moved, 0);
	assert_int_equal(kb->at_start, 96);
	assert_int_equal(kb->diff, -1);
	/* and a move after the recount is a move again */
	assert_int_equal(fixture_adjust(sup, "MAIN", "KB-100", "-1", NULL, NULL), IV_OK);
	show(sup, id, false, &s);
	assert_int_equal(line_of(&s, "KB-100")->moved, -1);
	assert_int_equal(line_of(&s, "KB-100")->at_start, 96);
	iv_count_post_out out;
	assert_int_equal(post(sup, id, false, true, (iv_approval){0}, &out), IV_OK);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 94);
	verify_ok(sup);
	iv_close(sup);
}

typedef struct rows_seen {
	int n;
	iv_ledger_row r[4];
} rows_seen;

static bool keep_row(void *ctx, const iv_ledger_row *r)
{
	rows_seen *rows = ctx;
	if (rows->n < 4)
		rows->r[rows->n++] = *r;
	return true;
}

static void test_posting_is_one_document_once(void **state)
{
	fixture *f = *state;
	iv_db *sup = fixture_open_other(f, "super", "2222");
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, id, "KB-100", "98", false);
	scan(f->db, id, "MS-200", "50", false); /* matches: no row */
	scan(f->db, id, "CB-0042", "7", false); /* never stocked here */
	iv_count_post_out out;
	assert_int_equal(post(f->db, id, false, false, (iv_approval){0}, &out), IV_OK); /* a clerk may */
	assert_int_equal(out.posted, 2);
	assert_true(out.batch > 0);
	iv_batch b;
	assert_int_equal(iv_batch_get(f->db, out.batch, &b), IV_OK);
	assert_int_equal(b.rule, IV_RULE_COUNT);
	assert_string_equal(iv_rule_name(b.rule), "count");
	iv_history_filter hf = {.batch = out.batch};
	rows_seen rows = {0};
	assert_int_equal(iv_history(f->db, &hf, keep_row, &rows), IV_OK);
	assert_int_equal(rows.n, 2);
	for (int k = 0; k < rows.n; k++) {
		assert_int_equal(rows.r[k].document, out.document);
		assert_string_equal(rows.r[k].reason, "CC");
		assert_string_equal(rows.r[k].tdate, FIXTURE_TODAY);
		char memo[32];
		snprintf(memo, sizeof memo, "count %lld", (long long)id);
		assert_string_equal(rows.r[k].memo, memo);
	}
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 98);
	assert_int_equal(fixture_balance(f->db, "MAIN", "CB-0042"), 7);
	/* twice: refused, by the engine and by the database */
	long long n = fixture_ledger_count(f);
	assert_int_equal(post(sup, id, false, true, (iv_approval){0}, &out), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(sup), "already posted"));
	iv_scan_in late = {id, "KB-100", NULL, false};
	iv_scan_out sout;
	assert_int_equal(iv_count_add(f->db, &late, &sout), IV_E_REFUSED);
	assert_int_equal(iv_count_cancel(sup, id), IV_E_REFUSED);
	assert_int_equal(fixture_ledger_count(f), n);
	char sql[512];
	snprintf(sql, sizeof sql,
	         "INSERT INTO count_ends(count_id, status, zero_uncounted, accept_moved, user_id, recorded_at) "
	         "VALUES (%lld, 'cancelled', 0, 0, 1, 'x')",
	         (long long)id);
	assert_int_equal(fixture_sql(f, sql), SQLITE_CONSTRAINT);
	snprintf(sql, sizeof sql,
	         "INSERT INTO count_scans(id, count_id, item_id, kind, qty, user_id, recorded_at) "
	         "VALUES (1000, %lld, 1, 'add', 1, 1, 'x')",
	         (long long)id);
	assert_int_equal(fixture_sql(f, sql), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, "UPDATE count_scans SET qty = 5"), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, "DELETE FROM count_scans"), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, "UPDATE counts SET start_seq = 0"), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, "DELETE FROM count_ends"), SQLITE_CONSTRAINT);
	if (!fixture_pg())
		assert_int_equal(fixture_sql(f, "INSERT OR REPLACE INTO count_ends SELECT * FROM count_ends"),
		                 SQLITE_CONSTRAINT);
	/* a count where everything matches posts nothing and ends */
	int64_t even = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, even, "KB-100", "98", false);
	assert_int_equal(post(f->db, even, false, false, (iv_approval){0}, &out), IV_OK);
	assert_int_equal(out.batch, 0);
	assert_int_equal(out.posted, 0);
	iv_count_info info;
	assert_int_equal(iv_count_get(f->db, even, &info), IV_OK);
	assert_int_equal(info.status, IV_COUNT_POSTED);
	verify_ok(sup);
	iv_close(sup);
}

static void test_zero_uncounted_posts_only_what_had_stock(void **state)
{
	fixture *f = *state;
	iv_db *sup = fixture_open_other(f, "super", "2222");
	/* CB-0042 has stock at NEG only: not one of MAIN's items to zero */
	assert_int_equal(fixture_adjust(sup, "NEG", "CB-0042", "9", NULL, NULL), IV_OK);
	int64_t id = start(f->db, "MAIN", IV_COUNT_ALL, false, NULL);
	scan(f->db, id, "MS-200", "50", false);
	shown s;
	show(sup, id, true, &s);
	assert_int_equal(s.n, 2);
	assert_true(line_of(&s, "KB-100")->zeroed);
	assert_int_equal(line_of(&s, "KB-100")->diff, -100);
	assert_null(find_line(&s, "CB-0042"));
	show(sup, id, false, &s); /* without it: listed, nothing posts */
	assert_false(line_of(&s, "KB-100")->zeroed);
	assert_int_equal(line_of(&s, "KB-100")->diff, 0);
	iv_count_post_out out;
	assert_int_equal(post(sup, id, true, false, (iv_approval){0}, &out), IV_OK);
	assert_int_equal(out.posted, 1);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 0);
	assert_int_equal(fixture_balance(f->db, "MAIN", "MS-200"), 50);
	assert_int_equal(fixture_balance(f->db, "NEG", "CB-0042"), 9);
	/* a count of scanned items has no uncounted items */
	int64_t spot = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, spot, "MS-200", "50", false);
	assert_int_equal(post(sup, spot, true, false, (iv_approval){0}, &out), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(sup), "Zero uncounted"));
	verify_ok(sup);
	iv_close(sup);
}

static void test_a_list_count_takes_its_items_only(void **state)
{
	fixture *f = *state;
	iv_count_start_in in = {"MAIN", false, IV_COUNT_ITEMS,
	                        fixture_file(f, "bad.csv", "StoreCode,ItemNumber\nMAIN,KB-100\nMAIN,NOPE\n"), NULL};
	int64_t id;
	assert_int_equal(iv_count_start(f->db, &in, &id), IV_E_NOT_FOUND);
	assert_non_null(strstr(iv_errmsg(f->db), "Items file, line 3"));
	in.items_path = fixture_file(f, "none.csv", "Number\nKB-100\n");
	assert_int_equal(iv_count_start(f->db, &in, &id), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "ItemNumber"));
	/* the Stock list's own columns do, each item once */
	in.items_path = fixture_file(f, "list.csv", "StoreCode,ItemNumber,NetAvailable\nMAIN,KB-100,100\n"
	                                            "MAIN,012345678905,100\nMAIN,CB-0042,0\n");
	assert_int_equal(iv_count_start(f->db, &in, &id), IV_OK);
	iv_scan_in other = {id, "MS-200", NULL, false};
	iv_scan_out out;
	assert_int_equal(iv_count_add(f->db, &other, &out), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(f->db), "not one of the items"));
	scan(f->db, id, "CB-0042", "2", false);
	shown s;
	show(f->db, id, false, &s);
	assert_int_equal(s.n, 2);
	assert_false(line_of(&s, "KB-100")->counted); /* listed, not counted yet */
	assert_int_equal(line_of(&s, "CB-0042")->diff, 2);
	iv_db *sup = fixture_open_other(f, "super", "2222");
	iv_count_post_out po;
	assert_int_equal(post(sup, id, true, false, (iv_approval){0}, &po), IV_OK);
	assert_int_equal(po.posted, 2);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 0);
	assert_int_equal(fixture_balance(f->db, "MAIN", "MS-200"), 50); /* not on the list */
	verify_ok(sup);
	iv_close(sup);
}

static void test_posting_meets_the_rules_of_any_adjustment(void **state)
{
	fixture *f = *state;
	iv_db *sup = fixture_open_other(f, "super", "2222");
	/* negative stock: counted 0 of 100, then 10 sold meanwhile */
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, id, "KB-100", "0", true);
	assert_int_equal(fixture_adjust(sup, "MAIN", "KB-100", "-10", NULL, NULL), IV_OK);
	iv_count_post_out out;
	assert_int_equal(post(sup, id, false, true, (iv_approval){0}, &out), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(sup), "New Qty would be -10 at store MAIN for item KB-100"));
	/* the threshold (THR: 50): a clerk needs a supervisor, who posts alone */
	assert_int_equal(fixture_adjust(sup, "THR", "MS-200", "40", NULL, NULL), IV_OK);
	int64_t thr = start(f->db, "THR", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, thr, "MS-200", "100", false);
	assert_int_equal(post(f->db, thr, false, false, (iv_approval){0}, &out), IV_E_PERMISSION);
	assert_int_equal(post(f->db, thr, false, false, (iv_approval){"clerk", "1111"}, &out), IV_E_PERMISSION);
	assert_int_equal(post(f->db, thr, false, false, (iv_approval){"super", "2222"}, &out), IV_OK);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, out.document, &row), IV_OK);
	assert_string_equal(row.user, "clerk");
	assert_string_equal(row.approved_by, "super");
	assert_int_equal(row.diff, 60);
	/* the reason: CC unless given, and an unknown one named */
	int64_t r = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, r, "MS-200", "49", false);
	iv_count_post_in in = {r, "NOSUCH", false, false, {0}};
	assert_int_equal(iv_count_post(sup, &in, NULL, NULL, &out), IV_E_NOT_FOUND);
	assert_non_null(strstr(iv_errmsg(sup), "Reason Code: \"NOSUCH\""));
	in.reason = "dmg";
	assert_int_equal(iv_count_post(sup, &in, NULL, NULL, &out), IV_OK);
	assert_int_equal(iv_ledger_get(f->db, out.document, &row), IV_OK);
	assert_string_equal(row.reason, "DMG");
	verify_ok(sup);
	iv_close(sup);
}

static void test_a_count_is_dated_its_day(void **state)
{
	fixture *f = *state;
	iv_test_clock_pin("2026-06-14T21:00:00Z");
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, id, "KB-100", "99", false);
	iv_test_clock_pin("2026-06-15T08:00:00Z"); /* the next morning */
	iv_db *sup = fixture_open_other(f, "super", "2222");
	assert_int_equal(fixture_adjust(sup, "MAIN", "KB-100", "-1", NULL, NULL), IV_OK);
	iv_count_post_out out;
	assert_int_equal(post(sup, id, false, true, (iv_approval){0}, &out), IV_OK);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, out.document, &row), IV_OK);
	assert_string_equal(row.tdate, "2026-06-14");
	assert_int_equal(row.diff, -1);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 98);
	verify_ok(sup);
	iv_close(sup);
	iv_test_clock_pin(NULL);
}

/* The host's clock set back an hour during a count (NTP, a hand):
 * the scans still count, and verify finds nothing wrong. */
static void test_a_clock_set_back_during_a_count(void **state)
{
	fixture *f = *state;
	iv_test_clock_pin("2026-06-15T12:00:00Z");
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	iv_test_clock_pin("2026-06-15T11:00:00Z");
	scan(f->db, id, "KB-100", "99", false);
	iv_test_clock_pin("2026-06-15T11:30:00Z");
	iv_db *sup = fixture_open_other(f, "super", "2222");
	iv_count_post_out out;
	assert_int_equal(post(sup, id, false, false, (iv_approval){0}, &out), IV_OK);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 99);
	verify_ok(sup);
	iv_close(sup);
	iv_test_clock_pin(NULL);
}

/* The review weighs money first where items have a cost (KB-100 24.90,
 * MS-200 12.50, CB-0042 none): value at the cost on the count's day,
 * the lines without one after them by units; a blind count gives a
 * clerk no value either. */
static void test_the_review_sorts_by_value_where_items_have_a_cost(void **state)
{
	fixture *f = *state;
	iv_db *admin = fixture_open_other(f, "admin", "0000");
	size_t n;
	assert_int_equal(iv_import(admin, IV_IMPORT_ITEMS,
	                           fixture_file(f, "costs.csv", "ItemNumber,UnitCost\nKB-100,24.90\nMS-200,12.50\n"),
	                           &n),
	                 IV_OK);
	iv_close(admin);
	iv_db *sup = fixture_open_other(f, "super", "2222");
	int64_t id = start(sup, "MAIN", IV_COUNT_SCANNED, false, NULL);
	char qty[24];
	snprintf(qty, sizeof qty, "%lld", (long long)(fixture_balance(sup, "MAIN", "KB-100") - 1));
	scan(sup, id, "KB-100", qty, true); /* -1: -24.90 */
	snprintf(qty, sizeof qty, "%lld", (long long)(fixture_balance(sup, "MAIN", "MS-200") - 2));
	scan(sup, id, "MS-200", qty, true); /* -2: -25.00 */
	snprintf(qty, sizeof qty, "%lld", (long long)(fixture_balance(sup, "MAIN", "CB-0042") + 5));
	scan(sup, id, "CB-0042", qty, true); /* +5, no cost */
	shown s;
	memset(&s, 0, sizeof s);
	iv_count_show_in in = {id, IV_COUNT_BY_VARIANCE, false};
	assert_int_equal(iv_count_show(sup, &in, keep_line, &s, &s.view), IV_OK);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.v[0].item.number, "MS-200");
	assert_true(s.v[0].valued);
	assert_int_equal(s.v[0].value, -250000);
	assert_string_equal(s.v[1].item.number, "KB-100");
	assert_int_equal(s.v[1].value, -249000);
	assert_string_equal(s.v[2].item.number, "CB-0042");
	assert_false(s.v[2].valued);
	assert_int_equal(s.v[2].diff, 5);
	/* blind, for a clerk: no value, as no Diff */
	int64_t blind = start(sup, "MAIN", IV_COUNT_SCANNED, true, NULL);
	scan(f->db, blind, "KB-100", "3", true);
	show(f->db, blind, false, &s);
	assert_true(s.view.hidden);
	assert_false(line_of(&s, "KB-100")->valued);
	assert_int_equal(line_of(&s, "KB-100")->value, 0);
	iv_close(sup);
}

static void test_a_posted_count_reverses_as_a_batch(void **state)
{
	fixture *f = *state;
	iv_db *sup = fixture_open_other(f, "super", "2222");
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, id, "KB-100", "90", false);
	scan(f->db, id, "MS-200", "55", false);
	iv_count_post_out out;
	assert_int_equal(post(sup, id, false, false, (iv_approval){0}, &out), IV_OK);
	iv_upload_result res;
	assert_int_equal(iv_reverse_batch(sup, out.batch, NULL, "counted the wrong aisle", (iv_approval){0}, &res),
	                 IV_OK);
	assert_int_equal(res.posted, 2);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100);
	assert_int_equal(fixture_balance(f->db, "MAIN", "MS-200"), 50);
	/* the count stays posted: a count posts once, its reversal is the batch's */
	assert_int_equal(post(sup, id, false, false, (iv_approval){0}, &out), IV_E_REFUSED);
	verify_ok(sup);
	iv_close(sup);
}

static void test_cancel(void **state)
{
	fixture *f = *state;
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, id, "KB-100", NULL, false);
	iv_db *other = fixture_open_other(f, "admin", "0000");
	assert_int_equal(iv_user_add(other, "clerk2", "clerk", "3333"), IV_OK);
	iv_db *clerk2 = fixture_open_other(f, "clerk2", "3333");
	assert_int_equal(iv_count_cancel(clerk2, id), IV_E_PERMISSION);
	assert_int_equal(iv_count_cancel(f->db, id), IV_OK);
	iv_count_info info;
	assert_int_equal(iv_count_get(f->db, id, &info), IV_OK);
	assert_int_equal(info.status, IV_COUNT_CANCELLED);
	assert_string_equal(info.ended_by, "clerk");
	iv_count_post_out out;
	assert_int_equal(post(other, id, false, false, (iv_approval){0}, &out), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(other), "cancelled"));
	int64_t id2 = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	assert_int_equal(iv_count_cancel(other, id2), IV_OK); /* a supervisor or admin may */
	iv_close(clerk2);
	iv_close(other);
}

static bool count_listed(void *ctx, const iv_count_info *c)
{
	(*(int *)ctx)++;
	(void)c;
	return true;
}

static void test_list_shows_open_and_recent_counts(void **state)
{
	fixture *f = *state;
	iv_test_clock_pin("2026-04-01T12:00:00Z");
	int64_t old = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	assert_int_equal(iv_count_cancel(f->db, old), IV_OK);
	start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL); /* still open */
	iv_test_clock_pin(NULL);
	int64_t recent = start(f->db, "NEG", IV_COUNT_SCANNED, false, NULL);
	assert_int_equal(iv_count_cancel(f->db, recent), IV_OK);
	int n = 0;
	assert_int_equal(iv_count_list(f->db, NULL, false, count_listed, &n), IV_OK);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(iv_count_list(f->db, NULL, true, count_listed, &n), IV_OK);
	assert_int_equal(n, 3);
	n = 0;
	assert_int_equal(iv_count_list(f->db, "neg", true, count_listed, &n), IV_OK);
	assert_int_equal(n, 1);
	assert_int_equal(iv_count_list(f->db, "NOPE", true, count_listed, &n), IV_E_NOT_FOUND);
}

static void test_verify_recomputes_a_posted_count(void **state)
{
	fixture *f = *state;
	iv_db *sup = fixture_open_other(f, "super", "2222");
	int64_t id = start(f->db, "MAIN", IV_COUNT_SCANNED, false, NULL);
	scan(f->db, id, "KB-100", "95", false);
	iv_count_post_out out;
	assert_int_equal(post(sup, id, false, false, (iv_approval){0}, &out), IV_OK);
	verify_ok(sup);
	iv_verify_report r;
	assert_int_equal(iv_verify(sup, &r), IV_OK);
	assert_int_equal(r.counts, 1);
	/* a forger changes what was counted, the triggers set aside */
	assert_int_equal(fixture_sql_unguarded(f, "UPDATE count_scans SET qty = 90"), 0);
	assert_int_equal(iv_verify(sup, &r), IV_E_CORRUPT);
	assert_non_null(strstr(iv_errmsg(sup), "item KB-100: its scans count 90"));
	assert_int_equal(fixture_sql_unguarded(f, "UPDATE count_scans SET qty = 95"), 0);
	verify_ok(sup);
	/* or moves the count's start */
	char restore[128];
	snprintf(restore, sizeof restore, "UPDATE counts SET start_seq = %s",
	         fixture_query_text(f, "SELECT start_seq FROM counts"));
	assert_int_equal(fixture_sql_unguarded(f, "UPDATE counts SET start_seq = 0"), 0);
	assert_int_equal(iv_verify(sup, &r), IV_E_CORRUPT);
	assert_non_null(strstr(iv_errmsg(sup), "against 0 on hand"));
	assert_int_equal(fixture_sql_unguarded(f, restore), 0);
	verify_ok(sup);
	/* or a trigger goes */
	assert_int_equal(fixture_sql(f, FIXTURE_SQL("DROP TRIGGER count_scans_no_delete",
	                                            "DROP TRIGGER count_scans_no_delete ON count_scans")),
	                 0);
	assert_int_equal(iv_verify(sup, &r), IV_E_CORRUPT);
	assert_non_null(strstr(iv_errmsg(sup), "count_scans_no_delete"));
	iv_close(sup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(test_scans_add_set_and_multiply),
		T(test_undo_takes_back_ones_own_last_scan),
		T(test_two_terminals_scan_one_item_and_lose_nothing),
		T(test_blind_count_hides_what_it_expected_from_a_clerk),
		T(test_movement_during_the_count_is_reported_not_counted),
		T(test_a_recount_takes_the_moment_of_the_recount),
		T(test_posting_is_one_document_once),
		T(test_zero_uncounted_posts_only_what_had_stock),
		T(test_a_list_count_takes_its_items_only),
		T(test_posting_meets_the_rules_of_any_adjustment),
		T(test_a_count_is_dated_its_day),
		T(test_a_clock_set_back_during_a_count),
		T(test_the_review_sorts_by_value_where_items_have_a_cost),
		T(test_a_posted_count_reverses_as_a_batch),
		T(test_cancel),
		T(test_list_shows_open_and_recent_counts),
		T(test_verify_recomputes_a_posted_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
