/* Several terminals saving (and two uploading) into one file at the same moment: every
 * save succeeds (waiting for the others, never "database is locked")
 * and no Diff is lost. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "invadj/upload.h"
#include "support/fixture.h"

#define WRITERS 8
#define EACH 250
#define UPLOADERS 2
#define UPLOADS_EACH 5
#define UPLOAD_ROWS 100

/* A child process: its own connection, like another terminal. */
static int writer(const fixture *f, int n)
{
	iv_db *db = NULL;
	if (iv_open(f->path, IV_OPEN_EXISTING, &db) != IV_OK || iv_login(db, "clerk", "1111") != IV_OK) {
		fprintf(stderr, "writer %d: %s\n", n, iv_errmsg(db));
		return 1;
	}
	for (int k = 0; k < EACH; k++) {
		iv_line_in line = {"KB-100", "FI", "1", NULL};
		iv_line_out out;
		iv_document doc = {"NEG", NULL, &line, 1, {0}};
		int64_t docno;
		iv_status st = iv_doc_post(db, &doc, &out, &docno);
		if (st != IV_OK) {
			fprintf(stderr, "writer %d, save %d: %s\n", n, k, iv_errmsg(db));
			iv_close(db);
			return 1;
		}
	}
	iv_close(db);
	return 0;
}

/* A child that uploads batches of +1 rows (each its own file content). */
static int uploader(const fixture *f, int n)
{
	iv_db *db = NULL;
	if (iv_open(f->path, IV_OPEN_EXISTING, &db) != IV_OK || iv_login(db, "clerk", "1111") != IV_OK) {
		fprintf(stderr, "uploader %d: %s\n", n, iv_errmsg(db));
		return 1;
	}
	for (int b = 0; b < UPLOADS_EACH; b++) {
		char path[400];
		snprintf(path, sizeof path, "%s/upload-%d-%d.csv", f->dir, n, b);
		FILE *out = fopen(path, "w");
		if (!out)
			return 1;
		fprintf(out, "StoreCode,ItemNumber,Qty,ReasonCode,Memo\n");
		for (int r = 0; r < UPLOAD_ROWS; r++)
			fprintf(out, "NEG,MS-200,1,CC,uploader %d batch %d row %d\n", n, b, r);
		fclose(out);
		iv_upload_opts opts = {.path = path, .rule = IV_RULE_DELTA};
		iv_upload_result res;
		if (iv_upload(db, &opts, &res) != IV_OK || res.posted != UPLOAD_ROWS) {
			fprintf(stderr, "uploader %d, batch %d: %s\n", n, b, iv_errmsg(db));
			iv_close(db);
			return 1;
		}
	}
	iv_close(db);
	return 0;
}

static void test_eight_terminals_lose_nothing(void **state)
{
	fixture *f = *state;
	long long before = fixture_ledger_count(f);
	pid_t pids[WRITERS + UPLOADERS];
	for (int n = 0; n < WRITERS + UPLOADERS; n++) {
		pids[n] = fork();
		assert_true(pids[n] >= 0);
		if (pids[n] == 0)
			_exit(n < WRITERS ? writer(f, n) : uploader(f, n - WRITERS));
	}
	int failures = 0;
	for (int n = 0; n < WRITERS + UPLOADERS; n++) {
		int status;
		assert_int_equal(waitpid(pids[n], &status, 0), pids[n]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failures++;
	}
	assert_int_equal(failures, 0);
	long long uploaded = UPLOADERS * UPLOADS_EACH * UPLOAD_ROWS;
	assert_int_equal(fixture_balance(f->db, "NEG", "KB-100"), WRITERS * EACH);
	assert_int_equal(fixture_balance(f->db, "NEG", "MS-200"), uploaded);
	assert_int_equal(fixture_ledger_count(f), before + WRITERS * EACH + uploaded);
	iv_verify_report r;
	assert_int_equal(iv_verify(f->db, &r), IV_OK);
	assert_int_equal(r.ledger_rows, before + WRITERS * EACH + uploaded);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_eight_terminals_lose_nothing, fixture_setup,
		                                fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
