/* Several terminals saving into one file at the same moment: every
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

#include "support/fixture.h"

#define WRITERS 8
#define EACH 250

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

static void test_eight_terminals_lose_nothing(void **state)
{
	fixture *f = *state;
	long long before = fixture_ledger_count(f);
	pid_t pids[WRITERS];
	for (int n = 0; n < WRITERS; n++) {
		pids[n] = fork();
		assert_true(pids[n] >= 0);
		if (pids[n] == 0)
			_exit(writer(f, n));
	}
	int failures = 0;
	for (int n = 0; n < WRITERS; n++) {
		int status;
		assert_int_equal(waitpid(pids[n], &status, 0), pids[n]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failures++;
	}
	assert_int_equal(failures, 0);
	assert_int_equal(fixture_balance(f->db, "NEG", "KB-100"), WRITERS * EACH);
	assert_int_equal(fixture_ledger_count(f), before + WRITERS * EACH);
	iv_verify_report r;
	assert_int_equal(iv_verify(f->db, &r), IV_OK);
	assert_int_equal(r.ledger_rows, before + WRITERS * EACH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_eight_terminals_lose_nothing, fixture_setup,
		                                fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
