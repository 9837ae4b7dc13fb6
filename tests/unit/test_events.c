/* Master data and users are events: every change appends one, the
 * tables follow, and history shows who changed what from what to what. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/fixture.h"

static iv_db *as(fixture *f, const char *user, const char *pin)
{
	iv_db *db = fixture_open_other(f, user, pin);
	assert_non_null(db);
	return db;
}

/* Who imports master data: a supervisor may on a file; on a server
 * only an admin (the server grants it to invadj_admin alone). */
static iv_db *editor(fixture *f)
{
	return fixture_pg() ? as(f, "admin", "0000") : as(f, "super", "2222");
}

static const char *editor_name(void)
{
	return fixture_pg() ? "admin" : "super";
}

static bool has_line(const char *text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool has_line(const char *text, const char *fmt, ...)
{
	char line[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	return strstr(text, line) != NULL;
}

static long long events(const fixture *f)
{
	return atoll(fixture_query_text(f, "SELECT count(*) FROM events"));
}

typedef struct changes {
	char text[8192];
	int n;
} changes;

static bool collect(void *ctx, const iv_change *c)
{
	changes *ch = ctx;
	size_t len = strlen(ch->text);
	snprintf(ch->text + len, sizeof ch->text - len, "%s %s %s %s: %s -> %s\n", c->key, c->action,
	         c->by, c->field, c->from, c->to);
	ch->n++;
	return true;
}

static void verify_ok(fixture *f)
{
	iv_db *db = NULL;
	assert_int_equal(iv_open(f->path, IV_OPEN_EXISTING, &db), IV_OK);
	iv_verify_report r;
	iv_status st = iv_verify(db, &r);
	if (st != IV_OK)
		print_message("verify: %s\n", iv_errmsg(db));
	assert_int_equal(st, IV_OK);
	iv_close(db);
}

/* An import appends an event per changed row, none for a row that is
 * the same, and history shows the change field by field. */
static void test_import_records_changes(void **state)
{
	fixture *f = *state;
	iv_db *sup = editor(f);
	long long before = events(f);
	size_t n;
	const char *same = fixture_file(f, "same.csv", "StoreCode,StoreName\nMAIN,Main Street\n");
	assert_int_equal(iv_import(sup, IV_IMPORT_STORES, same, &n), IV_OK);
	assert_int_equal(events(f), before); /* nothing changed: no event */
	const char *changed = fixture_file(f, "changed.csv",
	                                   "StoreCode,AllowNegative,ApprovalThreshold,TimeZone\n"
	                                   "MAIN,yes,25,Europe/Berlin\n");
	assert_int_equal(iv_import(sup, IV_IMPORT_STORES, changed, &n), IV_OK);
	assert_int_equal(events(f), before + 1);
	changes ch = {0};
	assert_int_equal(iv_master_history(f->db, IV_ENTITY_STORE, "MAIN", collect, &ch), IV_OK);
	assert_true(has_line(ch.text, "MAIN change %s allow_negative: 0 -> 1\n", editor_name()));
	assert_true(has_line(ch.text, "MAIN change %s approval_threshold: 0 -> 25\n", editor_name()));
	assert_true(has_line(ch.text, "MAIN change %s tz:  -> Europe/Berlin\n", editor_name()));
	assert_non_null(strstr(ch.text, "MAIN add admin code:  -> MAIN\n"));
	iv_store s;
	assert_int_equal(iv_store_get(f->db, "MAIN", &s), IV_OK);
	assert_string_equal(s.tz, "Europe/Berlin");
	iv_close(sup);
	verify_ok(f);
}

/* A zone the zone database does not know is refused, naming the line. */
static void test_time_zone_checked(void **state)
{
	fixture *f = *state;
	iv_db *sup = editor(f);
	size_t n;
	const char *bad = fixture_file(f, "bad.csv", "StoreCode,TimeZone\nMAIN,Mars/Olympus\n");
	assert_int_equal(iv_import(sup, IV_IMPORT_STORES, bad, &n), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(sup), "line 2: TimeZone: \"Mars/Olympus\" is not a time zone"));
	bad = fixture_file(f, "bad.csv", "StoreCode,TimeZone\nMAIN,../../etc/passwd\n");
	assert_int_equal(iv_import(sup, IV_IMPORT_STORES, bad, &n), IV_E_INVALID);
	const char *host = fixture_file(f, "host.csv", "StoreCode,TimeZone\nMAIN,\n");
	assert_int_equal(iv_import(sup, IV_IMPORT_STORES, host, &n), IV_OK);
	iv_close(sup);
}

/* An item's history, found by any of its identifiers; rows name the
 * item number they were posted under. */
static void test_item_history(void **state)
{
	fixture *f = *state;
	int64_t id;
	assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "3", NULL, &id), IV_OK);
	iv_db *sup = editor(f);
	size_t n;
	const char *desc = fixture_file(f, "desc.csv", "ItemNumber,Description,AltItemNumber2\nKB-100,Keyboard,\n");
	assert_int_equal(iv_import(sup, IV_IMPORT_ITEMS, desc, &n), IV_OK);
	iv_close(sup);
	changes ch = {0};
	assert_int_equal(iv_master_history(f->db, IV_ENTITY_ITEM, "012345678905", collect, &ch), IV_OK);
	assert_true(has_line(ch.text, "KB-100 change %s description: Wireless Keyboard -> Keyboard\n", editor_name()));
	assert_true(has_line(ch.text, "KB-100 change %s alt2: 00042 -> \n", editor_name()));
	assert_null(strstr(ch.text, "MS-200"));
	assert_int_equal(iv_master_history(f->db, IV_ENTITY_ITEM, "NOPE", collect, &ch), IV_E_NOT_FOUND);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, id, &row), IV_OK);
	assert_string_equal(row.item, "KB-100");
	verify_ok(f);
}

/* Users: add, role, PIN set and reset, disable, enable: each an event,
 * each in history; the last admin keeps the role. */
static void test_user_changes_are_events(void **state)
{
	fixture *f = *state;
	iv_db *admin = as(f, "admin", "0000");
	assert_int_equal(iv_user_set_role(admin, "clerk", "supervisor"), IV_OK);
	assert_int_equal(iv_user_set_pin(admin, "clerk", "4444"), IV_OK); /* a reset */
	assert_int_equal(iv_user_set_disabled(admin, "clerk", true), IV_OK);
	assert_int_equal(iv_user_set_disabled(admin, "clerk", false), IV_OK);
	assert_int_equal(iv_user_set_role(admin, "admin", "clerk"), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(admin), "last admin"));
	assert_int_equal(iv_user_set_role(admin, "nobody", "clerk"), IV_E_NOT_FOUND);
	assert_int_equal(iv_user_set_role(admin, "clerk", "boss"), IV_E_INVALID);
	iv_db *sup = as(f, "super", "2222");
	assert_int_equal(iv_user_set_role(sup, "clerk", "admin"), IV_E_PERMISSION);
	iv_close(sup);
	iv_db *clerk = as(f, "clerk", "4444");
	assert_int_equal(iv_user_change_pin(clerk, "4444", "5555"), IV_OK); /* set by themself */
	iv_close(clerk);
	changes ch = {0};
	assert_int_equal(iv_master_history(admin, IV_ENTITY_USER, "clerk", collect, &ch), IV_OK);
	assert_non_null(strstr(ch.text, "clerk role admin role: clerk -> supervisor\n"));
	/* A server keeps no hash of a PIN, not even in the events: the
	 * reset is there, by whom and when. */
	if (fixture_pg())
		assert_null(strstr(ch.text, "clerk pin-reset admin pin:"));
	else
		assert_non_null(strstr(ch.text, "clerk pin-reset admin pin: (another PIN) -> (a PIN)\n"));
	assert_non_null(strstr(ch.text, "clerk pin-reset admin pin_set_by:  -> admin\n"));
	assert_non_null(strstr(ch.text, "clerk disable admin disabled_by:  -> admin\n"));
	assert_non_null(strstr(ch.text, "clerk enable admin disabled_by: admin -> \n"));
	assert_non_null(strstr(ch.text, "clerk pin-set clerk pin_set_by: admin -> clerk\n"));
	/* A clerk may not read users' history; anyone may read a store's. */
	assert_int_equal(iv_master_history(f->db, IV_ENTITY_USER, NULL, collect, &ch), IV_E_PERMISSION);
	iv_close(admin);
	verify_ok(f);
}

/* On a server master data is an admin's alone: a supervisor's import
 * is refused in words, before the server would refuse it. */
static void test_server_master_data_is_admins(void **state)
{
	fixture *f = *state;
	if (!fixture_pg())
		return;
	iv_db *sup = as(f, "super", "2222");
	size_t n;
	long long before = events(f);
	const char *csv = fixture_file(f, "s.csv", "StoreCode,ApprovalThreshold\nTHR,0\n");
	assert_int_equal(iv_import(sup, IV_IMPORT_STORES, csv, &n), IV_E_PERMISSION);
	assert_non_null(strstr(iv_errmsg(sup), "only an admin may import master data on a PostgreSQL server"));
	assert_int_equal(events(f), before);
	iv_close(sup);
}

/* A session whose role an admin lowered writes with the new role. */
static void test_role_change_applies_to_open_sessions(void **state)
{
	fixture *f = *state;
	iv_db *sup = as(f, "super", "2222");
	iv_db *admin = as(f, "admin", "0000");
	assert_int_equal(iv_user_set_role(admin, "super", "clerk"), IV_OK);
	iv_close(admin);
	/* Above THR's threshold: a clerk now, so an approval is needed. */
	assert_int_equal(fixture_adjust(sup, "THR", "KB-100", "60", NULL, NULL), IV_E_PERMISSION);
	iv_close(sup);
	verify_ok(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(test_import_records_changes),
		T(test_time_zone_checked),
		T(test_server_master_data_is_admins),
		T(test_item_history),
		T(test_user_changes_are_events),
		T(test_role_change_applies_to_open_sessions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
