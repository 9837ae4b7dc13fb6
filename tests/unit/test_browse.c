/* What the screens browse with: History, Stock and items a page at a
 * time in both directions (keyset paging), their counts, History by date,
 * codes in any case, and searches folded for case, accents and Unicode
 * forms.  Run on SQLite and (make test-pg) on PostgreSQL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "support/fixture.h"

#define PAGE 64

struct rows {
	iv_ledger_row r[PAGE];
	int n;
};

static bool keep_row(void *ctx, const iv_ledger_row *row)
{
	struct rows *rs = ctx;
	rs->r[rs->n++] = *row;
	return rs->n < PAGE;
}

/* Every row of the filter, newest first, read page by page from the
 * newest, and again from the oldest backwards: both give every row once. */
static void test_history_pages_both_ways(void **state)
{
	fixture *f = *state;
	for (int i = 0; i < 7; i++)
		assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", NULL, NULL), IV_OK);
	iv_history_filter q = {.item = "kb-100", .limit = 3};
	uint64_t total;
	assert_int_equal(iv_history_count(f->db, &q, &total), IV_OK);
	assert_true(total >= 7);
	int64_t seen[64];
	int n = 0;
	for (;;) {
		struct rows page = {.n = 0};
		assert_int_equal(iv_history(f->db, &q, keep_row, &page), IV_OK);
		for (int i = 0; i < page.n; i++) {
			assert_string_equal(page.r[i].item, "KB-100");
			if (n > 0)
				assert_true(page.r[i].id < seen[n - 1]);
			seen[n++] = page.r[i].id;
		}
		if (page.n < 3)
			break;
		q.before_id = page.r[page.n - 1].id;
	}
	assert_int_equal((uint64_t)n, total);
	/* from the oldest, backwards: the same rows, oldest first */
	iv_history_filter b = {.item = "KB-100", .limit = 2, .oldest_first = true};
	int k = n;
	for (;;) {
		struct rows page = {.n = 0};
		assert_int_equal(iv_history(f->db, &b, keep_row, &page), IV_OK);
		for (int i = 0; i < page.n; i++)
			assert_int_equal(page.r[i].id, seen[--k]);
		if (page.n < 2)
			break;
		b.after_id = page.r[page.n - 1].id;
	}
	assert_int_equal(k, 0);
}

/* Filtered by dates, rows come by transaction date, then id, and page
 * on both. */
static void test_history_by_date(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", "2026-06-10", NULL), IV_OK);
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "2", "2026-06-12", NULL), IV_OK);
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "3", "2026-06-11", NULL), IV_OK);
	iv_history_filter q = {.from = "2026-06-10", .to = "2026-06-12", .limit = 2};
	assert_true(iv_history_by_date(&q));
	struct rows page = {.n = 0};
	assert_int_equal(iv_history(f->db, &q, keep_row, &page), IV_OK);
	assert_int_equal(page.n, 2);
	assert_string_equal(page.r[0].tdate, "2026-06-12");
	assert_string_equal(page.r[1].tdate, "2026-06-11");
	q.before_id = page.r[1].id;
	q.anchor_date = page.r[1].tdate;
	struct rows next = {.n = 0};
	assert_int_equal(iv_history(f->db, &q, keep_row, &next), IV_OK);
	assert_int_equal(next.n, 1);
	assert_string_equal(next.r[0].tdate, "2026-06-10");
	uint64_t n;
	assert_int_equal(iv_history_count(f->db, &q, &n), IV_OK);
	assert_int_equal(n, 3);
}

/* Unknown filter values are named, not read as "no rows"; codes and
 * user names match in any case. */
static void test_history_filter_values(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "1", NULL, NULL), IV_OK);
	struct rows page = {.n = 0};
	iv_history_filter q = {.store = "main", .user = "CLERK", .reason = "cc", .limit = PAGE};
	assert_int_equal(iv_history(f->db, &q, keep_row, &page), IV_OK);
	assert_true(page.n >= 1);
	assert_string_equal(page.r[0].user, "clerk");
	iv_history_filter bad = {.user = "nobody", .limit = 1};
	assert_int_equal(iv_history(f->db, &bad, keep_row, &page), IV_E_NOT_FOUND);
	assert_non_null(strstr(iv_errmsg(f->db), "User: \"nobody\" is not a known user"));
	iv_store s;
	assert_int_equal(iv_store_get(f->db, "mAiN", &s), IV_OK);
	assert_string_equal(s.code, "MAIN");
	iv_item it;
	assert_int_equal(iv_item_find(f->db, "kb-100", &it), IV_OK);
	assert_string_equal(it.number, "KB-100");
}

static bool keep_balance(void *ctx, const iv_balance_row *b)
{
	iv_balance_row *out = ctx;
	while (out->item[0])
		out++;
	*out = *b;
	return true;
}

static bool count_item(void *ctx, const iv_item *it)
{
	(void)it;
	(*(int *)ctx)++;
	return true;
}

/* Search folds case, accents and the way an accent is written. */
static void test_search_folds(void **state)
{
	fixture *f = *state;
	iv_db *admin = fixture_open_other(f, "admin", "0000");
	const char *csv = fixture_file(f, "items.csv",
	                               "ItemNumber,Description\nCF-1,Caf\xc3\xa9 cr\xc3\xa8me\nCF-2,Cafe\xcc\x81 noir\n");
	size_t rows;
	assert_int_equal(iv_import(admin, IV_IMPORT_ITEMS, csv, &rows), IV_OK);
	const char *queries[] = {"CAF\xc3\x89", "caf\xc3\xa9", "cafe\xcc\x81", "cafe", "CF-"};
	for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
		uint64_t n = 0;
		assert_int_equal(iv_item_count(f->db, queries[i], &n), IV_OK);
		assert_int_equal(n, 2);
		int seen = 0;
		assert_int_equal(iv_item_page(f->db, queries[i], NULL, false, 10, count_item, &seen), IV_OK);
		assert_int_equal(seen, 2);
	}
	uint64_t n;
	assert_int_equal(iv_item_count(f->db, "CR\xc3\x88ME", &n), IV_OK);
	assert_int_equal(n, 1);
	assert_int_equal(iv_item_count(f->db, "caf\xc3", &n), IV_E_INVALID); /* not UTF-8 */
	iv_close(admin);
}

/* Stock pages by item number then store, both ways, and counts. */
static void test_stock_pages(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_adjust(f->db, "NEG", "KB-100", "1", NULL, NULL), IV_OK);
	assert_int_equal(fixture_adjust(f->db, "NEG", "MS-200", "1", NULL, NULL), IV_OK);
	iv_stock_query all = {.limit = 100};
	iv_balance_row rows[101];
	memset(rows, 0, sizeof rows);
	assert_int_equal(iv_stock_page(f->db, &all, keep_balance, rows), IV_OK);
	int n = 0;
	while (rows[n].item[0])
		n++;
	assert_true(n >= 4);
	uint64_t total;
	assert_int_equal(iv_stock_count(f->db, &all, &total), IV_OK);
	assert_int_equal((uint64_t)n, total);
	for (int i = 1; i < n; i++) {
		int c = strcmp(rows[i - 1].item, rows[i].item);
		assert_true(c < 0 || (c == 0 && strcmp(rows[i - 1].store, rows[i].store) < 0));
	}
	/* after the third row: the fourth on; before it: the second, then the first */
	iv_stock_query after = {.after = &rows[2], .limit = 1};
	iv_balance_row one[2];
	memset(one, 0, sizeof one);
	assert_int_equal(iv_stock_page(f->db, &after, keep_balance, one), IV_OK);
	assert_string_equal(one[0].item, rows[3].item);
	assert_string_equal(one[0].store, rows[3].store);
	iv_stock_query before = {.after = &rows[2], .back = true, .limit = 2};
	iv_balance_row two[3];
	memset(two, 0, sizeof two);
	assert_int_equal(iv_stock_page(f->db, &before, keep_balance, two), IV_OK);
	assert_string_equal(two[0].item, rows[1].item);
	assert_string_equal(two[1].item, rows[0].item);
	iv_stock_query mine = {.store = "main", .search = "WIRELESS", .limit = 10};
	assert_int_equal(iv_stock_count(f->db, &mine, &total), IV_OK);
	assert_int_equal(total, 2); /* KB-100 and MS-200 at MAIN */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(test_history_pages_both_ways),
		T(test_history_by_date),
		T(test_history_filter_values),
		T(test_search_folds),
		T(test_stock_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
