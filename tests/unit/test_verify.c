/* verify: the hash chain, the triggers and the balances catch every
 * kind of tampering done with the sqlite3 shell (or, against
 * PostgreSQL, with psql as the database owner). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "engine/internal.h"
#include "support/fixture.h"

/* What a forger who removes the newest row (id 7: clerk's +2 of KB-100
 * at MAIN, reason CC, today) must also take from the report summaries
 * for verify to find every sum consistent. */
#define FORGE_SUMMARY(table, item)                                                                \
	"UPDATE " table " SET lines = lines - 1, added = added - 2, unvalued = unvalued - 1 "        \
	"WHERE store_id = 1 " item "AND tdate = '2026-06-15' AND cancelled = 0 "                    \
	"AND reason_id = (SELECT id FROM reasons WHERE code = 'CC') "                               \
	"AND user_id = (SELECT id FROM users WHERE name = 'clerk');"
#define FORGE_SUMMARIES FORGE_SUMMARY("report_items", "AND item_id = 1 ") FORGE_SUMMARY("report_days", "")

static void add_rows(fixture *f)
{
	for (int i = 0; i < 5; i++)
		assert_int_equal(fixture_adjust(f->db, "MAIN", "KB-100", "2", NULL, NULL), IV_OK);
}

static iv_status verify(fixture *f, iv_verify_report *r)
{
	/* A fresh handle, as `invadj verify` run later would have. */
	iv_db *db = NULL;
	assert_int_equal(iv_open(f->path, IV_OPEN_EXISTING, &db), IV_OK);
	iv_status st = iv_verify(db, r);
	if (st != IV_OK)
		print_message("verify: %s\n", iv_errmsg(db));
	static char msg[IV_MSG_MAX];
	snprintf(msg, sizeof msg, "%s", iv_errmsg(db));
	iv_close(db);
	setenv("LAST_VERIFY_MESSAGE", msg, 1);
	return st;
}

static const char *last_message(void)
{
	return getenv("LAST_VERIFY_MESSAGE");
}

static void test_clean_ledger_verifies(void **state)
{
	fixture *f = *state;
	add_rows(f);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_OK);
	assert_int_equal(r.ledger_rows, 7);
	assert_int_equal(r.balances, 2);
	assert_int_equal(strlen(r.head_hash), 64);
	char head[IV_HASH_HEX];
	memcpy(head, r.head_hash, sizeof head);
	add_rows(f);
	assert_int_equal(verify(f, &r), IV_OK);
	assert_string_not_equal(r.head_hash, head); /* the head moves with every row */
}

static void test_update_and_delete_refused_by_the_database(void **state)
{
	fixture *f = *state;
	add_rows(f);
	assert_int_equal(fixture_sql(f, "UPDATE ledger SET diff = 1000 WHERE id = 3"), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, "DELETE FROM ledger WHERE id = 3"), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, "DELETE FROM ledger"), SQLITE_CONSTRAINT);
	if (fixture_pg()) {
		/* TRUNCATE skips row triggers, and a replication session skips
		 * ordinary ones: neither gets past the ledger's. */
		assert_int_equal(fixture_sql(f, "TRUNCATE ledger CASCADE"), SQLITE_CONSTRAINT);
		assert_int_equal(fixture_sql(f, "SET session_replication_role = replica;"
		                                "DELETE FROM ledger WHERE id = 3"),
		                 SQLITE_CONSTRAINT);
	}
	assert_int_equal(fixture_ledger_count(f), 7);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_OK);
}

static void test_missing_trigger_is_reported(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_sql(f, FIXTURE_SQL("DROP TRIGGER ledger_no_delete",
	                                            "DROP TRIGGER ledger_no_delete ON ledger")),
	                 SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "ledger_no_delete"));
}

/* PostgreSQL: a trigger that is there but switched off, or a function
 * that no longer raises, is as bad as a missing trigger. */
static void test_disabled_or_hollow_trigger_is_reported(void **state)
{
	fixture *f = *state;
	if (!fixture_pg())
		skip(); /* SQLite triggers cannot be disabled; a changed one is caught above */
	assert_int_equal(fixture_sql(f, "ALTER TABLE ledger DISABLE TRIGGER ledger_no_update"), SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "ledger_no_update"));
	assert_int_equal(fixture_sql(f, "ALTER TABLE ledger ENABLE ALWAYS TRIGGER ledger_no_update"), SQLITE_OK);
	assert_int_equal(verify(f, &r), IV_OK);
	assert_int_equal(fixture_sql(f, "CREATE OR REPLACE FUNCTION ledger_immutable() RETURNS trigger "
	                                "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"),
	                 SQLITE_OK);
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "immutability trigger"));
}

/* PostgreSQL: the unique index that lets a row be reversed once only
 * is part of the schema check. */
static void test_dropped_index_is_reported(void **state)
{
	fixture *f = *state;
	if (!fixture_pg())
		skip(); /* SQLite: PRAGMA integrity_check, tested with the file itself */
	assert_int_equal(fixture_sql(f, "DROP INDEX ledger_reverses"), SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "ledger_reverses"));
}

/* PostgreSQL: the ledger has no foreign keys (they cost a query per
 * inserted row); instead the rows it refers to can neither be deleted
 * nor renumbered, whoever asks, and names and flags still change. */
static void test_referenced_rows_are_kept(void **state)
{
	fixture *f = *state;
	if (!fixture_pg())
		skip(); /* SQLite keeps its foreign keys */
	add_rows(f);
	static const char *const refused[] = {
		"DELETE FROM stores WHERE code = 'MAIN'",
		"DELETE FROM items WHERE number = 'KB-100'",
		"DELETE FROM users WHERE name = 'admin'",
		"DELETE FROM reasons",
		"DELETE FROM batches",
		"DELETE FROM stores WHERE id = -1", /* even one that matches nothing */
		"UPDATE stores SET id = 99 WHERE code = 'MAIN'",
		"UPDATE items SET id = id + 1000",
		"UPDATE users SET id = 99 WHERE name = 'admin'",
		"UPDATE reasons SET id = 99",
		"TRUNCATE stores CASCADE",
		"TRUNCATE items CASCADE",
		"TRUNCATE users CASCADE",
		"SET session_replication_role = replica; DELETE FROM stores WHERE code = 'MAIN'",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		print_message("%s\n", refused[i]);
		assert_int_equal(fixture_sql(f, refused[i]), SQLITE_CONSTRAINT);
	}
	assert_int_equal(fixture_sql(f, "UPDATE stores SET name = 'Main street' WHERE code = 'MAIN';"
	                                "UPDATE items SET id = id WHERE number = 'KB-100'"),
	                 SQLITE_OK);
	assert_string_equal(fixture_query_text(f, "SELECT count(*) FROM stores WHERE code = 'MAIN' AND id = 1"),
	                    "1");
	/* The server lets a name change; no event records it, and verify
	 * says so. */
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "store MAIN (#1): name is \"Main street\""));
}

/* PostgreSQL: a row that names a store, item, user, approver, batch or
 * reversed row that does not exist is refused by the database itself
 * (the statement trigger ledger_refs), one row or many. */
static void test_missing_reference_refused_by_the_database(void **state)
{
	fixture *f = *state;
	if (!fixture_pg())
		skip(); /* SQLite: its foreign keys */
	add_rows(f);
/* A row that would go in but for the reference given: store, item,
 * reason, user, approver, reversed row, batch. */
#define FORGE(store, seq, item, reason, user, approver, reverses, batch)                          \
	"INSERT INTO ledger(id,document,store_id,item_id,reason_id,diff,tdate,recorded_at,user_id,"   \
	"approved_by,reverses,batch_id,hash,seq,item_number,hash_version) VALUES (8,8," store ","     \
	item "," reason ",5,'2026-06-15','2026-06-15T10:00:00.000Z'," user "," approver "," reverses \
	"," batch ",decode(md5('a') || md5('b'), 'hex')," seq ",'KB-100',2)"
	/* The shape itself is accepted (and rolled back). */
	assert_int_equal(fixture_sql(f, "BEGIN; " FORGE("1", "8", "1", "1", "1", "NULL", "NULL", "NULL")
	                                "; ROLLBACK"),
	                 SQLITE_OK);
	assert_int_equal(fixture_sql(f, FORGE("999", "1", "1", "1", "1", "NULL", "NULL", "NULL")), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, FORGE("1", "8", "999", "1", "1", "NULL", "NULL", "NULL")), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, FORGE("1", "8", "1", "999", "1", "NULL", "NULL", "NULL")), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, FORGE("1", "8", "1", "1", "999", "NULL", "NULL", "NULL")), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, FORGE("1", "8", "1", "1", "1", "999", "NULL", "NULL")), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, FORGE("1", "8", "1", "1", "1", "NULL", "999", "NULL")), SQLITE_CONSTRAINT);
	assert_int_equal(fixture_sql(f, FORGE("1", "8", "1", "1", "1", "NULL", "NULL", "999")), SQLITE_CONSTRAINT);
	/* Many rows in one statement, one of them bad: none is added. */
	assert_int_equal(fixture_sql(f, "INSERT INTO ledger(id,document,store_id,item_id,reason_id,diff,"
	                                "tdate,recorded_at,user_id,hash,seq,item_number,hash_version) "
	                                "SELECT g, g, CASE WHEN g = 500 THEN 999 ELSE 2 END, 1, 1, 5, "
	                                "'2026-06-15', '2026-06-15T10:00:00.000Z', 1, '\\x00', g, 'KB-100', 2 "
	                                "FROM generate_series(8, 1000) g"),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(fixture_ledger_count(f), 7);
#undef FORGE
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_OK);
}

/* PostgreSQL: a row forged while the reference trigger was away (and
 * put back) is found by verify, which names it. */
static void test_forged_reference_is_named(void **state)
{
	fixture *f = *state;
	if (!fixture_pg())
		skip(); /* SQLite: foreign keys and PRAGMA foreign_key_check */
	add_rows(f);
	assert_int_equal(fixture_sql(f, "DROP TRIGGER ledger_refs ON ledger;"
	                                "INSERT INTO ledger(id,document,store_id,item_id,reason_id,diff,"
	                                "tdate,recorded_at,user_id,hash,seq,item_number,hash_version) VALUES "
	                                "(8,8,999,1,1,500,'2026-06-15','2026-06-15T10:00:00.000Z',1,"
	                                "decode(md5('a') || md5('b'), 'hex'),1,'KB-100',2);"),
	                 SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "#8"));
	assert_non_null(strstr(last_message(), "store"));
	assert_int_equal(fixture_sql(f, "CREATE TRIGGER ledger_refs AFTER INSERT ON ledger "
	                                "REFERENCING NEW TABLE AS added FOR EACH STATEMENT "
	                                "EXECUTE FUNCTION ledger_check_refs();"
	                                "ALTER TABLE ledger ENABLE ALWAYS TRIGGER ledger_refs"),
	                 SQLITE_OK);
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "#8 refers to a store"));
}

/* PostgreSQL: the triggers that keep master rows are checked like the
 * ledger's own. */
static void test_missing_keep_trigger_is_reported(void **state)
{
	fixture *f = *state;
	if (!fixture_pg())
		skip();
	assert_int_equal(fixture_sql(f, "ALTER TABLE stores DISABLE TRIGGER stores_no_delete"), SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "stores_no_delete"));
	assert_int_equal(fixture_sql(f, "ALTER TABLE stores ENABLE ALWAYS TRIGGER stores_no_delete;"
	                                "DROP TRIGGER ledger_refs ON ledger"),
	                 SQLITE_OK);
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "ledger_refs"));
}

static void test_changed_diff_is_named(void **state)
{
	fixture *f = *state;
	add_rows(f);
	assert_int_equal(fixture_sql_unguarded(f, "UPDATE ledger SET diff = 3 WHERE id = 4;"
	                                          "UPDATE balances SET qty = qty + 1;"
	                                          "UPDATE day_totals SET diff = diff + 1 WHERE tdate = '2026-06-15';"
	                                          "UPDATE user_days SET diff = diff + 1 WHERE tdate = '2026-06-15';"),
	                 SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "#4"));
}

static void test_deleted_middle_row_is_named(void **state)
{
	fixture *f = *state;
	add_rows(f);
	assert_int_equal(fixture_sql_unguarded(f, "DELETE FROM ledger WHERE id = 5;"), SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "store MAIN, ledger row #6 (seq 6): the chain's row 5 is missing"));
}

static void test_forged_row_is_named(void **state)
{
	fixture *f = *state;
	add_rows(f);
	/* A forged row at the end of MAIN's chain, in its next place, with a
	 * made-up hash: the append-only trigger lets it in. */
	assert_int_equal(fixture_sql(f, FIXTURE_SQL(
	                                    "INSERT INTO ledger(id,document,store_id,item_id,reason_id,diff,"
	                                    "tdate,recorded_at,user_id,hash,seq,item_number,hash_version) VALUES "
	                                    "(8,8,1,1,1,500,'2026-06-15','2099-06-15T10:00:00.000Z',1,"
	                                    "randomblob(32),8,'KB-100',2);",
	                                    "INSERT INTO ledger(id,document,store_id,item_id,reason_id,diff,"
	                                    "tdate,recorded_at,user_id,hash,seq,item_number,hash_version) VALUES "
	                                    "(8,8,1,1,1,500,'2026-06-15','2099-06-15T10:00:00.000Z',1,"
	                                    "decode(md5('a') || md5('b'), 'hex'),8,'KB-100',2);")),
	                 SQLITE_OK);
	assert_int_equal(fixture_sql(f, "UPDATE balances SET qty = qty + 500 WHERE store_id = 1 AND item_id = 1;"),
	                 SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "#8"));
}

static void test_changed_balance_is_named(void **state)
{
	fixture *f = *state;
	add_rows(f);
	assert_int_equal(fixture_sql(f, "UPDATE balances SET qty = 1 WHERE item_id = "
	                                "(SELECT id FROM items WHERE number = 'MS-200')"),
	                 SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "MS-200"));
	assert_non_null(strstr(last_message(), "balance"));
}

static void test_changed_or_removed_day_total_is_named(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_sql(f, "UPDATE day_totals SET diff = diff + 1 WHERE item_id = "
	                                "(SELECT id FROM items WHERE number = 'MS-200')"),
	                 SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "day total of store MAIN, item MS-200 on " FIXTURE_OPENING));
	assert_int_equal(fixture_sql(f, "DELETE FROM day_totals WHERE item_id = "
	                                "(SELECT id FROM items WHERE number = 'MS-200')"),
	                 SQLITE_OK);
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "on " FIXTURE_OPENING " is 0 but its ledger rows sum to 50"));
}

static void test_removed_balance_row_is_named(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_sql(f, "DELETE FROM balances WHERE item_id = "
	                                "(SELECT id FROM items WHERE number = 'KB-100')"),
	                 SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "KB-100"));
}

/* Row 7 taken away as a forger would, every sum and index kept in step
 * (on SQLite the rows by item too: a table, where PostgreSQL keeps an
 * index of its own). */
static int remove_newest_row(fixture *f)
{
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "DELETE FROM ledger WHERE id = 7; %s"
	         "UPDATE balances SET qty = qty - 2 WHERE store_id = 1 AND item_id = 1;"
	         "UPDATE day_totals SET diff = diff - 2 WHERE store_id = 1 AND item_id = 1 AND tdate = '2026-06-15';"
	         "UPDATE user_days SET diff = diff - 2 WHERE store_id = 1 AND item_id = 1 AND tdate = '2026-06-15';"
	         FORGE_SUMMARIES,
	         fixture_pg() ? "" : "DELETE FROM ledger_items WHERE id = 7;");
	return fixture_sql_unguarded(f, sql);
}

static void test_removed_newest_rows_change_the_head(void **state)
{
	fixture *f = *state;
	add_rows(f);
	iv_verify_report before, after;
	assert_int_equal(verify(f, &before), IV_OK);
	assert_int_equal(remove_newest_row(f), SQLITE_OK);
	/* The chain is intact but shorter: only the written-down head tells. */
	assert_int_equal(verify(f, &after), IV_OK);
	assert_int_equal(after.ledger_rows, before.ledger_rows - 1);
	assert_string_not_equal(after.head_hash, before.head_hash);
}

/* The triggers are tried, not read: a write that gets through is the
 * fault, whatever the catalogue says. */
static void test_triggers_are_tried(void **state)
{
	fixture *f = *state;
	add_rows(f);
	assert_int_equal(fixture_sql(f, FIXTURE_SQL("DROP TRIGGER ledger_no_update",
	                                            "CREATE OR REPLACE FUNCTION ledger_immutable() RETURNS "
	                                            "trigger LANGUAGE plpgsql SET search_path = public, pg_temp "
	                                            "AS $$ BEGIN IF false THEN RAISE "
	                                            "EXCEPTION 'no'; END IF; RETURN NULL; END $$")),
	                 SQLITE_OK);
	iv_db *db = NULL;
	assert_int_equal(iv_open(f->path, IV_OPEN_EXISTING, &db), IV_OK);
	assert_int_equal(store_check_triggers(db->st), IV_E_CORRUPT);
	assert_non_null(strstr(store_errmsg(db->st), "let an UPDATE of "));
	iv_close(db);
	/* Rolled back: the rows are all there, unchanged. */
	assert_int_equal(fixture_ledger_count(f), 7);
	assert_string_equal(fixture_query_text(f, "SELECT count(*) FROM ledger WHERE memo = 'probe'"), "0");
}

/* A file this user may not write: all else is checked, and verify says
 * the triggers could not be tried. */
static void test_read_only_file_says_triggers_not_tried(void **state)
{
	fixture *f = *state;
	if (fixture_pg() || geteuid() == 0)
		skip(); /* a server has no file; root writes any file */
	assert_int_equal(fixture_sql(f, "PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
	iv_close(f->db);
	f->db = NULL;
	assert_int_equal(chmod(f->path, 0400), 0);
	iv_db *db = NULL;
	assert_int_equal(iv_open(f->path, IV_OPEN_EXISTING, &db), IV_OK);
	iv_verify_report r;
	assert_int_equal(iv_verify(db, &r), IV_E_STORAGE);
	assert_false(r.triggers_tried);
	assert_int_equal(r.ledger_rows, 2);
	assert_non_null(strstr(iv_errmsg(db), "could not be tried"));
	iv_close(db);
	chmod(f->path, 0600);
}

/* An event changed, its hash left: named in the master chain. */
static void test_changed_event_is_named(void **state)
{
	fixture *f = *state;
	assert_int_equal(fixture_sql_unguarded(f, "UPDATE events SET state = replace(state, '2:50,', '1:0,') "
	                                          "WHERE kind = 'store' AND entity_key = 'THR';"
	                                          "UPDATE stores SET approval_threshold = 0 WHERE code = 'THR'"),
	                 SQLITE_OK);
	iv_verify_report r;
	assert_int_equal(verify(f, &r), IV_E_CORRUPT);
	assert_non_null(strstr(last_message(), "the master chain, event"));
	assert_non_null(strstr(last_message(), "store THR): it does not match its hash"));
}

/* A checkpoint taken, rows removed from the end after it (the chain
 * stays whole): verify alone cannot tell, the checkpoint can. */
static void test_checkpoint_proves_rows(void **state)
{
	fixture *f = *state;
	add_rows(f);
	char line[IV_CHECKPOINT_MAX];
	assert_int_equal(iv_checkpoint(f->db, line), IV_E_PERMISSION); /* a clerk */
	iv_db *sup = fixture_open_other(f, "super", "2222");
	assert_int_equal(iv_checkpoint(sup, line), IV_OK);
	iv_close(sup);
	assert_non_null(strstr(line, "invadj-checkpoint 1 "));
	assert_non_null(strstr(line, " MAIN=7:"));
	assert_non_null(strstr(line, " root="));
	assert_null(strchr(line, '\n'));
	iv_db *db = NULL;
	assert_int_equal(iv_open(f->path, IV_OPEN_EXISTING, &db), IV_OK);
	char text[IV_CHECKPOINT_MAX + 64];
	snprintf(text, sizeof text, "# closing, Monday\n\n%s\n", line);
	iv_verify_opts o = {text};
	iv_verify_report r;
	assert_int_equal(iv_verify_with(db, &o, &r), IV_OK);
	assert_int_equal(r.checkpoints, 1);
	assert_int_equal(remove_newest_row(f), SQLITE_OK);
	assert_int_equal(iv_verify(db, &r), IV_OK);
	assert_int_equal(iv_verify_with(db, &o, &r), IV_E_CORRUPT);
	assert_non_null(strstr(iv_errmsg(db), "store MAIN has 6 rows, but the checkpoint of"));
	/* A line with one digit changed is mistyped, and says so. */
	char *root = strstr(text, "root=") + 5;
	*root = *root == '0' ? '1' : '0';
	assert_int_equal(iv_verify_with(db, &o, &r), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(db), "line 3"));
	assert_non_null(strstr(iv_errmsg(db), "mistyped"));
	iv_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
		T(test_clean_ledger_verifies),
		T(test_update_and_delete_refused_by_the_database),
		T(test_missing_trigger_is_reported),
		T(test_disabled_or_hollow_trigger_is_reported),
		T(test_dropped_index_is_reported),
		T(test_referenced_rows_are_kept),
		T(test_missing_reference_refused_by_the_database),
		T(test_forged_reference_is_named),
		T(test_missing_keep_trigger_is_reported),
		T(test_changed_diff_is_named),
		T(test_deleted_middle_row_is_named),
		T(test_forged_row_is_named),
		T(test_changed_balance_is_named),
		T(test_changed_or_removed_day_total_is_named),
		T(test_removed_balance_row_is_named),
		T(test_removed_newest_rows_change_the_head),
		T(test_triggers_are_tried),
		T(test_read_only_file_says_triggers_not_tried),
		T(test_changed_event_is_named),
		T(test_checkpoint_proves_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
