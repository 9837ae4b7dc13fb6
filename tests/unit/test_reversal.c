/* Reversal: who may reverse, once only, never a reversal, negative
 * stock, and whole batches. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/upload.h"
#include "support/fixture.h"

static int64_t post(fixture *f, const char *store, const char *item, const char *diff)
{
	int64_t id = 0;
	assert_int_equal(fixture_adjust(f->db, store, item, diff, NULL, &id), IV_OK);
	return id;
}

static void test_clerk_needs_a_supervisors_approval(void **state)
{
	fixture *f = *state;
	int64_t id = post(f, "MAIN", "KB-100", "10");
	long long before = fixture_ledger_count(f);
	iv_reversal rev = {.id = id};
	iv_line_out out;
	assert_int_equal(iv_reverse(f->db, &rev, &out), IV_E_PERMISSION);
	rev.approval = (iv_approval){"clerk", "1111"};
	assert_int_equal(iv_reverse(f->db, &rev, &out), IV_E_PERMISSION);
	rev.approval = (iv_approval){"super", "0000"};
	assert_int_equal(iv_reverse(f->db, &rev, &out), IV_E_AUTH);
	assert_int_equal(fixture_ledger_count(f), before);
	assert_int_equal(iv_reverse_preview(f->db, id, &out), IV_OK);
	assert_true(out.needs_approval);
	assert_int_equal(out.new_qty, 100);
	rev.approval = (iv_approval){"super", "2222"};
	assert_int_equal(iv_reverse(f->db, &rev, &out), IV_OK);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, out.id, &row), IV_OK);
	assert_string_equal(row.user, "clerk");
	assert_string_equal(row.approved_by, "super");
	assert_int_equal(row.reverses, id);
	assert_int_equal(row.diff, -10);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100);
}

static void test_once_only_and_never_a_reversal(void **state)
{
	fixture *f = *state;
	int64_t id = post(f, "MAIN", "KB-100", "10");
	iv_db *sup = fixture_open_other(f, "super", "2222");
	iv_reversal rev = {.id = id};
	iv_line_out out;
	assert_int_equal(iv_reverse(sup, &rev, &out), IV_OK);
	int64_t rev_id = out.id;
	assert_int_equal(iv_reverse(sup, &rev, &out), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(sup), "already reversed"));
	rev.id = rev_id;
	assert_int_equal(iv_reverse(sup, &rev, &out), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(sup), "itself a reversal"));
	assert_int_equal(iv_reverse_preview(sup, rev_id, &out), IV_E_REFUSED);
	rev.id = 99999;
	assert_int_equal(iv_reverse(sup, &rev, &out), IV_E_NOT_FOUND);
	/* The database refuses a second reversal row even past the engine. */
	assert_int_equal(fixture_sql(f, FIXTURE_SQL("INSERT INTO ledger(id,document,store_id,item_id,reason_id,"
	                                            "diff,tdate,recorded_at,user_id,reverses,hash) "
	                                            "SELECT max(id)+1,1,1,1,1,-10,'2026-06-15','x',1,3,x'00' "
	                                            "FROM ledger",
	                                            "INSERT INTO ledger(id,document,store_id,item_id,reason_id,"
	                                            "diff,tdate,recorded_at,user_id,reverses,hash) "
	                                            "SELECT max(id)+1,1,1,1,1,-10,'2026-06-15','x',1,3,"
	                                            "'\\x00'::bytea FROM ledger")),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100);
	iv_close(sup);
}

static void test_reversal_obeys_negative_stock(void **state)
{
	fixture *f = *state;
	int64_t in = post(f, "MAIN", "CB-0042", "10");
	post(f, "MAIN", "CB-0042", "-10");
	iv_db *sup = fixture_open_other(f, "super", "2222");
	iv_reversal rev = {.id = in};
	iv_line_out out;
	assert_int_equal(iv_reverse(sup, &rev, &out), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(sup), "New Qty would be -10"));
	assert_int_equal(fixture_balance(f->db, "MAIN", "CB-0042"), 0);
	iv_close(sup);
}

static void test_supervisor_may_reverse_by_hand(void **state)
{
	fixture *f = *state;
	post(f, "MAIN", "KB-100", "10");
	iv_db *sup = fixture_open_other(f, "super", "2222");
	int64_t id;
	assert_int_equal(fixture_adjust(sup, "MAIN", "KB-100", "-10", NULL, &id), IV_OK);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(sup, id, &row), IV_OK);
	assert_int_equal(row.reverses, 0); /* an ordinary adjustment */
	assert_int_equal(fixture_balance(sup, "MAIN", "KB-100"), 100);
	iv_close(sup);
}

static void test_reason_of_a_reversal(void **state)
{
	fixture *f = *state;
	int64_t id = post(f, "MAIN", "KB-100", "3");
	iv_db *sup = fixture_open_other(f, "super", "2222");
	iv_reversal rev = {.id = id, .reason = "NOPE"};
	iv_line_out out;
	assert_int_equal(iv_reverse(sup, &rev, &out), IV_E_NOT_FOUND);
	rev.reason = "DMG";
	rev.memo = "wrong shelf";
	assert_int_equal(iv_reverse(sup, &rev, &out), IV_OK);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(sup, out.id, &row), IV_OK);
	assert_string_equal(row.reason, "DMG");
	assert_string_equal(row.memo, "wrong shelf");
	iv_close(sup);
}

static int64_t upload(fixture *f, const char *csv)
{
	iv_upload_opts opts = {.path = fixture_file(f, "batch.csv", csv), .rule = IV_RULE_DELTA};
	iv_upload_result res;
	assert_int_equal(iv_upload(f->db, &opts, &res), IV_OK);
	return res.batch_id;
}

static void test_batch_reversal(void **state)
{
	fixture *f = *state;
	int64_t batch = upload(f, "StoreCode,ItemNumber,Qty,ReasonCode\nMAIN,KB-100,5,CC\nMAIN,MS-200,-5,CC\n");
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 105);
	long long before = fixture_ledger_count(f);
	iv_upload_result res;
	/* A clerk needs a supervisor's approval here too. */
	assert_int_equal(iv_reverse_batch(f->db, batch, NULL, NULL, (iv_approval){0}, &res), IV_E_PERMISSION);
	assert_int_equal(fixture_ledger_count(f), before);
	assert_int_equal(iv_reverse_batch(f->db, batch, NULL, "recount", (iv_approval){"super", "2222"}, &res),
	                 IV_OK);
	assert_int_equal(res.posted, 2);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100);
	assert_int_equal(fixture_balance(f->db, "MAIN", "MS-200"), 50);
	iv_batch b;
	assert_int_equal(iv_batch_get(f->db, batch, &b), IV_OK);
	assert_int_equal(b.reversed_by_batch, res.batch_id);
	assert_int_equal(iv_batch_get(f->db, res.batch_id, &b), IV_OK);
	assert_int_equal(b.rule, IV_RULE_REVERSAL);
	assert_int_equal(b.reverses_batch, batch);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, before + 1, &row), IV_OK);
	assert_int_equal(row.reverses, before - 1);
	assert_string_equal(row.approved_by, "super");
	assert_int_equal(row.batch, res.batch_id);
	/* Once only, and never the reversal itself. */
	int64_t reversal = res.batch_id;
	assert_int_equal(iv_reverse_batch(f->db, batch, NULL, NULL, (iv_approval){"super", "2222"}, &res),
	                 IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(f->db), "already reversed"));
	assert_int_equal(iv_reverse_batch(f->db, reversal, NULL, NULL, (iv_approval){"super", "2222"}, &res),
	                 IV_E_REFUSED);
	assert_int_equal(iv_reverse_batch(f->db, 999, NULL, NULL, (iv_approval){"super", "2222"}, &res),
	                 IV_E_NOT_FOUND);
}

static void test_batch_reversal_skips_rows_reversed_alone_and_obeys_stock(void **state)
{
	fixture *f = *state;
	int64_t batch = upload(f, "StoreCode,ItemNumber,Qty,ReasonCode\nMAIN,CB-0042,5,CC\nMAIN,KB-100,1,CC\n");
	iv_db *sup = fixture_open_other(f, "super", "2222");
	iv_reversal rev = {.id = fixture_ledger_count(f)}; /* the KB-100 row */
	iv_line_out out;
	assert_int_equal(iv_reverse(sup, &rev, &out), IV_OK);
	/* Selling the 5 cables makes the batch's reversal (-5) go negative. */
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "-5", NULL, NULL), IV_OK);
	long long before = fixture_ledger_count(f);
	iv_upload_result res;
	assert_int_equal(iv_reverse_batch(sup, batch, NULL, NULL, (iv_approval){0}, &res), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(sup), "negative stock"));
	assert_int_equal(fixture_ledger_count(f), before);
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "5", NULL, NULL), IV_OK);
	assert_int_equal(iv_reverse_batch(sup, batch, NULL, NULL, (iv_approval){0}, &res), IV_OK);
	assert_int_equal(res.posted, 1);
	assert_int_equal(res.unchanged, 1); /* the row reversed on its own is skipped */
	assert_int_equal(fixture_balance(f->db, "MAIN", "CB-0042"), 0);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100);
	iv_verify_report r;
	assert_int_equal(iv_verify(sup, &r), IV_OK);
	iv_close(sup);
}

/* The batch's reversal is refused, naming row `row`, and writes nothing. */
static void assert_reversal_refused_at(fixture *f, iv_db *sup, int64_t batch, long long row)
{
	long long before = fixture_ledger_count(f);
	iv_upload_result res;
	assert_int_equal(iv_reverse_batch(sup, batch, NULL, NULL, (iv_approval){0}, &res), IV_E_REFUSED);
	char want[64];
	snprintf(want, sizeof want, "reversing #%lld:", row);
	assert_non_null(strstr(iv_errmsg(sup), want));
	assert_int_equal(fixture_ledger_count(f), before);
}

/* A batch's rows are checked as if each earlier row of the batch were
 * already reversed, however many there are: rows of one item in the
 * same page of the reversal and rows pages apart. */
static void test_batch_reversal_counts_its_own_earlier_rows(void **state)
{
	fixture *f = *state;
	int64_t batch = upload(f, "StoreCode,ItemNumber,Qty,ReasonCode\nMAIN,CB-0042,5,CC\nMAIN,CB-0042,5,CC\n");
	long long first = fixture_ledger_count(f) - 1;
	iv_db *sup = fixture_open_other(f, "super", "2222");
	/* 10 on hand, 3 sold: the first -5 leaves 2, the second would leave -3. */
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "-3", NULL, NULL), IV_OK);
	assert_reversal_refused_at(f, sup, batch, first + 1);
	assert_int_equal(fixture_balance(f->db, "MAIN", "CB-0042"), 7);
	iv_close(sup);
}

static void test_long_batch_reversal_counts_rows_pages_apart(void **state)
{
	fixture *f = *state;
	enum { ROWS = 5000 }; /* more than one page of the reversal */
	static const char head[] = "StoreCode,ItemNumber,Qty,ReasonCode\n";
	static const char line[] = "MAIN,CB-0042,1,CC\n";
	char *csv = malloc(sizeof head + ROWS * (sizeof line - 1));
	assert_non_null(csv);
	char *p = csv + sprintf(csv, "%s", head);
	for (int k = 0; k < ROWS; k++)
		p += sprintf(p, "%s", line);
	int64_t batch = upload(f, csv);
	free(csv);
	long long last = fixture_ledger_count(f);
	iv_db *sup = fixture_open_other(f, "super", "2222");
	/* One sold: only the batch's very last reversal would go negative. */
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "-1", NULL, NULL), IV_OK);
	assert_reversal_refused_at(f, sup, batch, last);
	/* Given back, all of it reverses, and the ledger verifies. */
	assert_int_equal(fixture_adjust(f->db, "MAIN", "CB-0042", "1", NULL, NULL), IV_OK);
	iv_upload_result res;
	assert_int_equal(iv_reverse_batch(sup, batch, NULL, NULL, (iv_approval){0}, &res), IV_OK);
	assert_int_equal(res.posted, ROWS);
	assert_int_equal(fixture_balance(f->db, "MAIN", "CB-0042"), 0);
	iv_verify_report r;
	assert_int_equal(iv_verify(sup, &r), IV_OK);
	iv_close(sup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(test_clerk_needs_a_supervisors_approval),
		T(test_once_only_and_never_a_reversal),
		T(test_reversal_obeys_negative_stock),
		T(test_supervisor_may_reverse_by_hand),
		T(test_reason_of_a_reversal),
		T(test_batch_reversal),
		T(test_batch_reversal_skips_rows_reversed_alone_and_obeys_stock),
		T(test_batch_reversal_counts_its_own_earlier_rows),
		T(test_long_batch_reversal_counts_rows_pages_apart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
