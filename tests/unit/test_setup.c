/* Set-up and master data: the database file, users and PINs, roles,
 * imports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/fixture.h"

#define query_text fixture_query_text
#define SCHEMA_NOW "9" /* the newest migration */

static void test_file_is_private_wal_and_versioned(void **state)
{
	fixture *f = *state;
	if (fixture_pg()) {
		/* A server database: no file, no WAL pragma; the version is kept
		 * in a table of its own. */
		assert_string_equal(query_text(f, "SELECT version FROM invadj_schema"), SCHEMA_NOW);
		skip();
	}
	char path[290];
	snprintf(path, sizeof path, "%.250s/new.db", f->dir);
	iv_db *db = NULL;
	assert_int_equal(iv_open(path, IV_OPEN_CREATE, &db), IV_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	iv_close(db);
	fixture g = *f;
	snprintf(g.path, sizeof g.path, "%s", path);
	assert_string_equal(query_text(&g, "PRAGMA journal_mode"), "wal");
	assert_string_equal(query_text(&g, "PRAGMA user_version"), SCHEMA_NOW);
}

static void test_missing_database_is_not_created(void **state)
{
	fixture *f = *state;
	char path[sizeof f->path];
	snprintf(path, sizeof path, "%s", fixture_empty_db(f));
	iv_db *db = NULL;
	assert_int_equal(fixture_open_used(path, &db), IV_E_NOT_FOUND);
	assert_non_null(strstr(iv_errmsg(db), "invadj init"));
	iv_close(db);
	if (fixture_pg()) {
		/* The empty server database got no tables. */
		fixture g = *f;
		snprintf(g.path, sizeof g.path, "%s", path);
		assert_string_equal(query_text(&g, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
		                    "0");
		return;
	}
	struct stat st;
	assert_int_not_equal(stat(path, &st), 0);
}

static void test_newer_schema_is_refused(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_sql(f, FIXTURE_SQL("PRAGMA user_version = 99",
	                                            "UPDATE invadj_schema SET version = 99")),
	                 SQLITE_OK);
	iv_db *db = NULL;
	assert_int_equal(fixture_open_used(f->path, &db), IV_E_STORAGE);
	assert_non_null(strstr(iv_errmsg(db), "newer"));
	iv_close(db);
}

/* Older schemas are brought forward by tests/cli/test_upgrade.sh and
 * tests/pg/test_upgrade.sh, from files that older versions made. */

static bool count_user(void *ctx, const iv_user_info *u)
{
	iv_user_info *seen = ctx;
	for (; seen->name[0]; seen++)
		;
	*seen = *u;
	return true;
}

/* PINs are set by their owner or an admin; a disabled user can neither
 * log in nor approve, and hears so only with the right PIN. */
static void test_user_pins_and_disabling(void **state)
{
	fixture *f = *state;
	assert_int_equal(iv_login(f->db, "clerk", "1111"), IV_OK);
	assert_int_equal(iv_user_set_pin(f->db, "super", "5555"), IV_E_PERMISSION);
	assert_int_equal(iv_user_set_disabled(f->db, "super", true), IV_E_PERMISSION);
	iv_user_info seen[8];
	memset(seen, 0, sizeof seen);
	assert_int_equal(iv_user_list(f->db, count_user, seen), IV_E_PERMISSION);
	assert_int_equal(iv_user_set_pin(f->db, NULL, "12"), IV_E_INVALID);
	assert_int_equal(iv_user_set_pin(f->db, NULL, "4321"), IV_OK);
	assert_int_equal(iv_login(f->db, "clerk", "1111"), IV_E_AUTH);
	assert_int_equal(iv_login(f->db, "clerk", "4321"), IV_OK);
	/* The screens' way: the current PIN first. */
	assert_int_equal(iv_user_change_pin(f->db, "1111", "8642"), IV_E_AUTH);
	assert_int_equal(iv_user_change_pin(f->db, "4321", "8642"), IV_OK);
	assert_int_equal(iv_login(f->db, "clerk", "8642"), IV_OK);
	assert_int_equal(iv_user_set_pin(f->db, NULL, "4321"), IV_OK);

	/* Three wrong PINs slow super down; an admin's new PIN lifts it. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(iv_login(f->db, "super", "0001"), IV_E_AUTH);
	assert_int_equal(iv_login(f->db, "admin", "0000"), IV_OK);
	assert_int_equal(iv_user_set_pin(f->db, "super", "2468"), IV_OK);
	assert_int_equal(iv_user_set_pin(f->db, "nobody", "2468"), IV_E_NOT_FOUND);
	assert_int_equal(iv_login(f->db, "super", "2468"), IV_OK);

	assert_int_equal(iv_login(f->db, "admin", "0000"), IV_OK);
	assert_int_equal(iv_user_set_disabled(f->db, "admin", true), IV_E_REFUSED);
	assert_int_equal(iv_user_set_disabled(f->db, "super", true), IV_OK);
	assert_int_equal(iv_user_list(f->db, count_user, seen), IV_OK);
	assert_string_equal(seen[0].name, "admin");
	assert_string_equal(seen[2].name, "super");
	assert_int_equal(seen[2].role, IV_ROLE_SUPERVISOR);
	assert_string_equal(seen[0].disabled_at, "");
	assert_true(seen[2].disabled_at[0] != '\0');
	assert_string_equal(seen[2].disabled_by, "admin");
	assert_string_equal(seen[2].pin_set_by, "admin"); /* the reset shows */
	assert_string_equal(seen[1].pin_set_by, "clerk");
	assert_string_equal(seen[0].pin_set_at, "");
	assert_string_equal(seen[3].name, "");

	assert_int_equal(iv_login(f->db, "super", "0001"), IV_E_AUTH);
	assert_null(strstr(iv_errmsg(f->db), "disabled")); /* a wrong PIN learns nothing */
	assert_int_equal(iv_login(f->db, "super", "2468"), IV_E_AUTH);
	/* On a file the engine tells whoever knows the PIN; on a server the
	 * disabled role may not log in, which the server answers as any
	 * refused login. */
	if (fixture_pg())
		assert_null(strstr(iv_errmsg(f->db), "disabled"));
	else
		assert_non_null(strstr(iv_errmsg(f->db), "disabled"));
	assert_int_equal(iv_login(f->db, "clerk", "4321"), IV_OK);
	iv_reversal rev = {.id = 1, .approval = {"super", "2468"}};
	iv_line_out out;
	assert_int_equal(iv_reverse(f->db, &rev, &out), IV_E_AUTH); /* nor approve */
	assert_non_null(strstr(iv_errmsg(f->db), fixture_pg() ? "wrong user name or PIN" : "disabled"));

	assert_int_equal(iv_login(f->db, "admin", "0000"), IV_OK);
	assert_int_equal(iv_user_set_disabled(f->db, "super", false), IV_OK);
	assert_int_equal(iv_login(f->db, "super", "2468"), IV_OK);

	/* A session open when its user is disabled (another terminal's
	 * admin) writes no more and ends. */
	iv_db *admin = NULL;
	assert_int_equal(iv_open(f->path, IV_OPEN_EXISTING, &admin), IV_OK);
	assert_int_equal(iv_login(admin, "admin", "0000"), IV_OK);
	assert_int_equal(iv_user_set_disabled(admin, "super", true), IV_OK);
	iv_close(admin);
	uint64_t rows_before = (uint64_t)atoll(query_text(f, "SELECT count(*) FROM ledger"));
	assert_int_equal(iv_reverse(f->db, &(iv_reversal){.id = 1}, &out), IV_E_AUTH);
	assert_non_null(strstr(iv_errmsg(f->db), "disabled"));
	assert_null(iv_session_user(f->db));
	assert_int_equal((uint64_t)atoll(query_text(f, "SELECT count(*) FROM ledger")), rows_before);
}

static void test_init_only_once(void **state)
{
	fixture *f = *state;
	assert_int_equal(iv_init(f->db, "root", "123456"), IV_E_REFUSED);
	assert_string_equal(query_text(f, "SELECT count(*) FROM users"), "3");
}

static void test_pins_are_argon2id_hashes(void **state)
{
	fixture *f = *state;
	if (fixture_pg()) {
		/* No table holds a secret on a server: the server keeps each
		 * user's password, as a SCRAM verifier only it may read. */
		assert_string_equal(query_text(f, "SELECT count(*) FROM users WHERE pin_hash <> ''"), "0");
		assert_string_equal(query_text(f, "SELECT count(*) FROM pg_authid WHERE rolname IN "
		                                  "('admin', 'clerk', 'super') AND rolpassword LIKE 'SCRAM-SHA-256$%'"),
		                    "3");
		return;
	}
	const char *h = query_text(f, "SELECT pin_hash FROM users WHERE name = 'clerk'");
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_null(strstr(h, "1111"));
	/* The same PIN gets a different salt. */
	char first[256];
	snprintf(first, sizeof first, "%s", h);
	assert_string_not_equal(first, query_text(f, "SELECT pin_hash FROM users WHERE name = 'admin'"));
}

static void test_login_refusals_and_slowdown(void **state)
{
	fixture *f = *state;
	assert_int_equal(iv_login(f->db, "super", "2222"), IV_OK);
	assert_int_equal(iv_session_user(f->db)->role, IV_ROLE_SUPERVISOR);
	assert_int_equal(iv_login(f->db, "super", "9999"), IV_E_AUTH);
	assert_null(iv_session_user(f->db)); /* a failed login leaves nobody logged in */
	char wrong_pin[IV_MSG_MAX];
	snprintf(wrong_pin, sizeof wrong_pin, "%s", iv_errmsg(f->db));
	assert_int_equal(iv_login(f->db, "nobody", "2222"), IV_E_AUTH);
	assert_string_equal(iv_errmsg(f->db), wrong_pin); /* does not tell which part was wrong */
	assert_int_equal(iv_login(f->db, "super", "9998"), IV_E_AUTH);
	assert_int_equal(iv_login(f->db, "super", "9997"), IV_E_AUTH);
	if (fixture_pg()) {
		/* A server's slowdown is the server's (auth_delay): invadj keeps
		 * no counters there, which a person could reset with psql. */
		assert_int_equal(iv_login(f->db, "super", "2222"), IV_OK);
		assert_string_equal(query_text(f, "SELECT count(*) FROM login_failures"), "0");
		return;
	}
	/* Three failures in a row: the next attempt, even the right PIN, must
	 * wait; it is told in the same words (an unknown name waits alike). */
	assert_int_equal(iv_login(f->db, "super", "2222"), IV_E_AUTH);
	assert_string_equal(iv_errmsg(f->db), wrong_pin);
	assert_string_equal(query_text(f, "SELECT failures FROM login_failures WHERE name = 'super'"), "3");
	/* The other users are not affected. */
	assert_int_equal(iv_login(f->db, "clerk", "1111"), IV_OK);
	assert_string_equal(query_text(f, "SELECT failures FROM login_failures WHERE name = 'clerk'"), "0");
}

/* The finding: after three failures a known name answered "too many
 * wrong PINs" where an unknown one answered "wrong user name or PIN",
 * which told which names exist.  Now unknown names are counted under
 * the name as typed and wait exactly alike. */
static void test_unknown_names_wait_alike(void **state)
{
	fixture *f = *state;
	char answers[2][5][IV_MSG_MAX];
	const char *names[2] = {"super", "nobody"};
	for (int n = 0; n < 2; n++)
		for (int k = 0; k < 5; k++) {
			assert_int_equal(iv_login(f->db, names[n], "9999"), IV_E_AUTH);
			snprintf(answers[n][k], sizeof answers[n][k], "%s", iv_errmsg(f->db));
			assert_string_equal(answers[n][k], answers[0][0]);
		}
	if (fixture_pg()) {
		assert_string_equal(query_text(f, "SELECT count(*) FROM login_failures"), "0");
		return;
	}
	assert_string_equal(query_text(f, "SELECT failures FROM login_failures WHERE name = 'super'"), "3");
	assert_string_equal(query_text(f, "SELECT failures FROM login_failures WHERE name = 'nobody'"), "3");
}

/* One process per guess, all at once: no more PIN checks than guesses
 * made one after another in the same time would get (3, then one after
 * 5 s, 10 s more, ...).  The failure is counted before the Argon2id
 * check, so the guesses cannot all read "0 failures" and all be
 * checked (64 at once used to get 54 checks). */
#define GUESSERS 32
static void test_parallel_guesses_get_no_more_tries(void **state)
{
	fixture *f = *state;
	time_t start = time(NULL);
	pid_t kids[GUESSERS];
	for (int k = 0; k < GUESSERS; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] == 0) {
			iv_db *db = NULL;
			char pin[8];
			snprintf(pin, sizeof pin, "%04d", 3000 + k);
			int code = iv_open(f->path, IV_OPEN_EXISTING, &db) == IV_OK &&
			                   iv_login(db, "super", pin) == IV_E_AUTH ? 0 : 1;
			iv_close(db);
			_exit(code);
		}
	}
	for (int k = 0; k < GUESSERS; k++) {
		int status;
		assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	if (fixture_pg()) {
		/* Each guess was the server's to refuse (and to slow down, with
		 * auth_delay, docs/deployment.md); invadj counted none. */
		assert_string_equal(query_text(f, "SELECT count(*) FROM login_failures"), "0");
		return;
	}
	long elapsed = (long)(time(NULL) - start) + 1;
	long sequential = 3;
	for (long delay = 5, waited = delay; waited <= elapsed; delay *= 2, waited += delay)
		sequential++;
	long checked = atol(query_text(f, "SELECT failures FROM login_failures WHERE name = 'super'"));
	if (checked < 3 || checked > sequential)
		fail_msg("%ld PIN checks for %d guesses at once in %ld s; one after another: %ld", checked,
		         GUESSERS, elapsed, sequential);
	assert_string_equal(query_text(f, "SELECT checking FROM login_failures WHERE name = 'super'"), "0");
}

/* Several terminals logging in as one user at once all get in: a check
 * under way is waited for, not taken for a failure. */
static void test_parallel_right_pins_all_get_in(void **state)
{
	fixture *f = *state;
	pid_t kids[8];
	for (int k = 0; k < 8; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] == 0) {
			iv_db *db = NULL;
			int code = iv_open(f->path, IV_OPEN_EXISTING, &db) == IV_OK &&
			                   iv_login(db, "clerk", "1111") == IV_OK ? 0 : 1;
			iv_close(db);
			_exit(code);
		}
	}
	for (int k = 0; k < 8; k++) {
		int status;
		assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
}

/* The way back in: someone keeps admin waiting; the database's owner
 * lifts it without a login, nobody else can. */
static void test_owner_unlocks_a_login(void **state)
{
	fixture *f = *state;
	for (int k = 0; k < 4; k++)
		iv_login(f->db, "admin", "9999");
	if (fixture_pg()) {
		/* The server checks passwords: nothing of invadj's to unlock, and
		 * no name kept waiting by invadj. */
		assert_int_equal(iv_login_unlock(f->db, "admin"), IV_E_REFUSED);
		assert_non_null(strstr(iv_errmsg(f->db), "nothing to unlock"));
	} else {
		assert_int_equal(iv_login(f->db, "admin", "0000"), IV_E_AUTH); /* waiting */
		/* Another Unix user (the file handed to uid 4242) may not. */
		assert_int_equal(chown(f->path, 4242, (gid_t)-1), 0);
		assert_int_equal(iv_login_unlock(f->db, "admin"), IV_E_PERMISSION);
		assert_non_null(strstr(iv_errmsg(f->db), "only the owner of the database file"));
		assert_int_equal(iv_login(f->db, "admin", "0000"), IV_E_AUTH);
		assert_int_equal(chown(f->path, geteuid(), (gid_t)-1), 0);
		assert_int_equal(iv_login_unlock(f->db, "admin"), IV_OK);
	}
	assert_int_equal(iv_login(f->db, "admin", "0000"), IV_OK);
}

static void test_only_admin_adds_users(void **state)
{
	fixture *f = *state;
	assert_int_equal(iv_user_add(f->db, "eve", "admin", "4444"), IV_E_PERMISSION);
	assert_int_equal(iv_login(f->db, "admin", "0000"), IV_OK);
	assert_int_equal(iv_user_add(f->db, "eve", "boss", "4444"), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "Role"));
	assert_int_equal(iv_user_add(f->db, "eve", "clerk", "12"), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "PIN"));
	assert_int_equal(iv_user_add(f->db, "clerk", "clerk", "4444"), IV_E_CONFLICT);
	assert_int_equal(iv_user_add(f->db, "eve", "clerk", "4444"), IV_OK);
	assert_int_equal(iv_login(f->db, "eve", "4444"), IV_OK);
	assert_int_equal(iv_session_user(f->db)->role, IV_ROLE_CLERK);
}

static void test_import_updates_names_never_the_ledger(void **state)
{
	fixture *f = *state;
	size_t n;
	const char *path = fixture_file(f, "items2.csv",
	                                "**ItemNumber,description\nKB-100,Keyboard (wireless)\n"
	                                "NEW-1,\"New, item\"\n");
	assert_int_equal(iv_import(f->db, IV_IMPORT_ITEMS, path, &n), IV_E_PERMISSION); /* clerk */
	/* a supervisor imports on a file; on a server an admin only */
	if (fixture_pg())
		assert_int_equal(iv_login(f->db, "admin", "0000"), IV_OK);
	else
		assert_int_equal(iv_login(f->db, "super", "2222"), IV_OK);
	long long before = fixture_ledger_count(f);
	assert_int_equal(iv_import(f->db, IV_IMPORT_ITEMS, path, &n), IV_OK);
	assert_int_equal(n, 2);
	iv_item it;
	assert_int_equal(iv_item_find(f->db, "KB-100", &it), IV_OK);
	assert_string_equal(it.description, "Keyboard (wireless)");
	assert_string_equal(it.upc, "012345678905"); /* a column left out keeps its value */
	assert_int_equal(iv_item_find(f->db, "NEW-1", &it), IV_OK);
	assert_string_equal(it.description, "New, item");
	assert_int_equal(fixture_ledger_count(f), before);
	assert_int_equal(fixture_balance(f->db, "MAIN", "KB-100"), 100);
}

static void test_import_refusals_write_nothing(void **state)
{
	fixture *f = *state;
	size_t n;
	assert_int_equal(iv_login(f->db, "admin", "0000"), IV_OK);
	assert_int_equal(iv_import(f->db, IV_IMPORT_ITEMS,
	                           fixture_file(f, "a.csv", "ItemNumber,Colour\nX,red\n"), &n),
	                 IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "Colour"));
	assert_int_equal(iv_import(f->db, IV_IMPORT_ITEMS,
	                           fixture_file(f, "b.csv", "Description\nthing\n"), &n),
	                 IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "ItemNumber"));
	/* A UPC already used by another item; the good first row is not kept either. */
	assert_int_equal(iv_import(f->db, IV_IMPORT_ITEMS,
	                           fixture_file(f, "c.csv", "ItemNumber,UPC\nZZ-1,\nZZ-2,012345678905\n"),
	                           &n),
	                 IV_E_CONFLICT);
	assert_non_null(strstr(iv_errmsg(f->db), "line 3"));
	assert_non_null(strstr(iv_errmsg(f->db), "KB-100"));
	iv_item it;
	assert_int_equal(iv_item_find(f->db, "ZZ-1", &it), IV_E_NOT_FOUND);
	/* An alternate number equal to another item's number. */
	assert_int_equal(iv_import(f->db, IV_IMPORT_ITEMS,
	                           fixture_file(f, "d.csv", "ItemNumber,AltItemNumber2\nZZ-3,MS-200\n"), &n),
	                 IV_E_CONFLICT);
	assert_int_equal(iv_import(f->db, IV_IMPORT_STORES,
	                           fixture_file(f, "e.csv", "StoreCode,AllowNegative\nX1,maybe\n"), &n),
	                 IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "AllowNegative"));
	iv_store s;
	assert_int_equal(iv_store_get(f->db, "X1", &s), IV_E_NOT_FOUND);
}

static void test_store_settings_import(void **state)
{
	fixture *f = *state;
	size_t n;
	assert_int_equal(iv_login(f->db, "admin", "0000"), IV_OK);
	assert_int_equal(iv_import(f->db, IV_IMPORT_STORES,
	                           fixture_file(f, "s.csv", "StoreCode,StoreName,AllowNegative,ApprovalThreshold\n"
	                                                    "MAIN,Main St,yes,10\n"),
	                           &n),
	                 IV_OK);
	iv_store s;
	assert_int_equal(iv_store_get(f->db, "MAIN", &s), IV_OK);
	assert_true(s.allow_negative);
	assert_int_equal(s.approval_threshold, 10);
	assert_string_equal(s.name, "Main St");
}

static bool count_items(void *ctx, const iv_item *it)
{
	(void)it;
	(*(int *)ctx)++;
	return true;
}

static void test_item_search(void **state)
{
	fixture *f = *state;
	int n = 0;
	assert_int_equal(iv_item_search(f->db, "wireless", 10, count_items, &n), IV_OK);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(iv_item_search(f->db, "0123456789", 10, count_items, &n), IV_OK);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(iv_item_search(f->db, "%", 10, count_items, &n), IV_OK);
	assert_int_equal(n, 0); /* % is a literal character, not a wildcard */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(test_file_is_private_wal_and_versioned),
		T(test_missing_database_is_not_created),
		T(test_newer_schema_is_refused),
		T(test_user_pins_and_disabling),
		T(test_init_only_once),
		T(test_pins_are_argon2id_hashes),
		T(test_login_refusals_and_slowdown),
		T(test_unknown_names_wait_alike),
		T(test_parallel_guesses_get_no_more_tries),
		T(test_parallel_right_pins_all_get_in),
		T(test_owner_unlocks_a_login),
		T(test_only_admin_adds_users),
		T(test_import_updates_names_never_the_ledger),
		T(test_import_refusals_write_nothing),
		T(test_store_settings_import),
		T(test_item_search),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
