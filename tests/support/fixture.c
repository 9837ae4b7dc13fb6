#include "support/fixture.h"

#include <ftw.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One template database per test program, copied for each test: the
 * Argon2id hashing of three users is then paid once.  SQLite: a file;
 * PostgreSQL: a database that CREATE DATABASE ... TEMPLATE copies. */
static char template_path[400];
static char template_db[64];
static PGconn *admin; /* PostgreSQL: the connection that creates and drops databases */

static void must(iv_db *db, iv_status st, const char *what)
{
	if (st != IV_OK) {
		fprintf(stderr, "fixture: %s: %s\n", what, iv_errmsg(db));
		abort();
	}
}

bool fixture_pg(void)
{
	const char *uri = getenv("INVADJ_TEST_DB");
	return uri && *uri;
}

/* INVADJ_TEST_DB with its database name replaced by name. */
static void uri_for(const char *name, char *out, size_t n)
{
	const char *uri = getenv("INVADJ_TEST_DB");
	const char *host = strstr(uri, "://");
	host = host ? host + 3 : uri;
	const char *slash = strchr(host, '/');
	const char *query = strchr(host, '?');
	size_t keep = slash ? (size_t)(slash - uri) : query ? (size_t)(query - uri) : strlen(uri);
	snprintf(out, n, "%.*s/%s%s", (int)keep, uri, name, query ? query : "");
}

static PGconn *admin_conn(void)
{
	if (admin && PQstatus(admin) == CONNECTION_OK)
		return admin;
	PQfinish(admin);
	admin = PQconnectdb(getenv("INVADJ_TEST_DB"));
	if (PQstatus(admin) != CONNECTION_OK) {
		fprintf(stderr, "fixture: cannot connect to INVADJ_TEST_DB: %s", PQerrorMessage(admin));
		abort();
	}
	PGresult *r = PQexec(admin, "SET client_min_messages = error");
	PQclear(r);
	return admin;
}

/* Runs an administrative statement (names come from the fixture, never
 * from input), retrying while a just-closed session still holds the
 * template open. */
static void admin_exec(const char *sql)
{
	for (int attempt = 0;; attempt++) {
		PGresult *r = PQexec(admin_conn(), sql);
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		bool busy = state && strcmp(state, "55006") == 0; /* object_in_use */
		if (!ok && (!busy || attempt == 50)) {
			fprintf(stderr, "fixture: %s: %s", sql, PQerrorMessage(admin));
			abort();
		}
		PQclear(r);
		if (ok)
			return;
		struct timespec ts = {0, 100000000L};
		nanosleep(&ts, NULL);
	}
}

/* Every invadj person's role on the test server but those named (SQL
 * text, quoted), dropped: roles belong to the server, not to a database,
 * so each test program (and each test) starts from the template's. */
#define PEOPLE_BUT(keep)                                                                          \
	"DO $$ DECLARE r record; BEGIN FOR r IN SELECT DISTINCT m.rolname FROM pg_roles m "            \
	"JOIN pg_auth_members a ON a.member = m.oid JOIN pg_roles g ON g.oid = a.roleid "             \
	"WHERE g.rolname IN ('invadj_clerk', 'invadj_supervisor', 'invadj_admin') AND NOT m.rolsuper " \
	"AND m.rolname NOT IN (" keep ") LOOP EXECUTE format('DROP ROLE %I', r.rolname); END LOOP; END $$"

/* The template's three people as the template made them: a test may
 * have changed a PIN, a role or disabled one, on the server's roles,
 * which every copy of the template shares. */
static void reset_people(void)
{
	admin_exec(PEOPLE_BUT("'admin', 'clerk', 'super'"));
	admin_exec("REVOKE invadj_clerk, invadj_supervisor, invadj_admin FROM admin, clerk, super");
	admin_exec("GRANT invadj_admin TO admin");
	admin_exec("GRANT invadj_clerk TO clerk");
	admin_exec("GRANT invadj_supervisor TO super");
	admin_exec("ALTER ROLE admin LOGIN CREATEROLE PASSWORD '0000'");
	admin_exec("ALTER ROLE clerk LOGIN NOCREATEROLE PASSWORD '1111'");
	admin_exec("ALTER ROLE super LOGIN NOCREATEROLE PASSWORD '2222'");
}

const char *fixture_file(const fixture *f, const char *name, const char *text)
{
	static char path[500];
	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	FILE *out = fopen(path, "wb");
	if (!out)
		abort();
	fputs(text, out);
	fclose(out);
	return path;
}

static void build_template(const char *dir)
{
	fixture f;
	snprintf(f.dir, sizeof f.dir, "%s", dir);
	if (fixture_pg()) {
		/* The PINs below are the file tests' own (src/engine/policy.c). */
		setenv("INVADJ_TEST_MIN_SECRET", "4", 1);
		admin_exec(PEOPLE_BUT("''"));
		snprintf(template_db, sizeof template_db, "ivtest_tpl_%ld", (long)getpid());
		char sql[128];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", template_db);
		admin_exec(sql);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", template_db);
		admin_exec(sql);
		uri_for(template_db, template_path, sizeof template_path);
	} else {
		snprintf(template_path, sizeof template_path, "%s/template.db", dir);
	}
	iv_db *db = NULL;
	iv_status st = iv_open(template_path, IV_OPEN_CREATE, &db);
	must(db, st, "open");
	must(db, iv_init(db, "admin", "0000"), "init");
	must(db, iv_login(db, "admin", "0000"), "login");
	must(db, iv_user_add(db, "clerk", "clerk", "1111"), "user clerk");
	must(db, iv_user_add(db, "super", "supervisor", "2222"), "user super");
	size_t n;
	must(db, iv_import(db, IV_IMPORT_STORES,
	                   fixture_file(&f, "stores.csv",
	                                "StoreCode,StoreName,AllowNegative,ApprovalThreshold\n"
	                                "MAIN,Main Street,no,0\nNEG,Negative Allowed,yes,0\n"
	                                "THR,Threshold Store,no,50\n"),
	                   &n), "stores");
	must(db, iv_import(db, IV_IMPORT_ITEMS,
	                   fixture_file(&f, "items.csv",
	                                "ItemNumber,Description,UPC,Barcode,AltItemNumber1,"
	                                "AltItemNumber2,AltItemNumber3\n"
	                                "KB-100,Wireless Keyboard,012345678905,2000000001007,KEYB-W,00042,ALT3\n"
	                                "MS-200,Wireless Mouse,012345678912,,,,\n"
	                                "CB-0042,USB-C Cable,,,,,\n"),
	                   &n), "items");
	must(db, iv_import(db, IV_IMPORT_REASONS,
	                   fixture_file(&f, "reasons.csv",
	                                "ReasonCode,Description\nFI,Found inventory\nNF,Not found\n"
	                                "DMG,Damaged\nCC,Cycle count\nTHF,Theft\nEXP,Expired\nREV,Reversal\n"),
	                   &n), "reasons");
	iv_line_in lines[] = {{"KB-100", "FI", "100", "opening"}, {"MS-200", "FI", "50", "opening"}};
	iv_line_out out[2];
	iv_document doc = {"MAIN", FIXTURE_OPENING, lines, 2, {0}};
	int64_t docno;
	must(db, iv_doc_post(db, &doc, out, &docno), "opening stock");
	iv_close(db);
	if (!fixture_pg())
		fixture_settle_file(template_path);
}

void fixture_settle_file(const char *path)
{
	/* SQLite's default connection, closing last, checkpoints the log into
	 * the file and removes it (invadj's leaves it: a save costs one fsync). */
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	sqlite3_close(db);
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	if (!in || !out)
		abort();
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	return fclose(out);
}

int fixture_setup(void **state)
{
	static int serial;
	setenv("INVADJ_TODAY", FIXTURE_TODAY, 1);
	iv_test_clock_pin(NULL);
	fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/invadj-test-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (!template_path[0]) {
		static char tdir[256] = "/tmp/invadj-template-XXXXXX";
		if (!mkdtemp(tdir))
			return -1;
		build_template(tdir);
	}
	if (fixture_pg()) {
		snprintf(f->dbname, sizeof f->dbname, "ivtest_%ld_%d", (long)getpid(), ++serial);
		char sql[200];
		snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s", f->dbname, template_db);
		admin_exec(sql);
		uri_for(f->dbname, f->path, sizeof f->path);
		reset_people();
	} else {
		snprintf(f->path, sizeof f->path, "%s/inventory.db", f->dir);
		copy_file(template_path, f->path);
	}
	iv_status st = iv_open(f->path, IV_OPEN_EXISTING, &f->db);
	must(f->db, st, "open copy");
	must(f->db, iv_login(f->db, "clerk", "1111"), "login clerk");
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void drop_database(const char *name)
{
	char sql[200];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	admin_exec(sql);
}

int fixture_teardown(void **state)
{
	fixture *f = *state;
	iv_close(f->db);
	if (fixture_pg()) {
		drop_database(f->dbname);
		char empty[80];
		snprintf(empty, sizeof empty, "%s_empty", f->dbname);
		drop_database(empty);
	}
	nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Removes the template when the program ends (not in forked children,
 * which leave with _exit). */
__attribute__((destructor)) static void remove_template(void)
{
	if (!template_path[0])
		return;
	if (fixture_pg()) {
		drop_database(template_db);
		admin_exec(PEOPLE_BUT("''"));
		PQfinish(admin);
		admin = NULL;
		return;
	}
	char dir[400];
	snprintf(dir, sizeof dir, "%s", template_path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

iv_status fixture_adjust(iv_db *db, const char *store, const char *item, const char *diff,
                         const char *date, int64_t *id)
{
	iv_line_in line = {item, "CC", diff, NULL};
	iv_line_out out;
	iv_document doc = {store, date, &line, 1, {0}};
	int64_t docno;
	iv_status st = iv_doc_post(db, &doc, &out, &docno);
	if (id)
		*id = st == IV_OK ? out.id : 0;
	return st;
}

iv_qty fixture_balance(iv_db *db, const char *store, const char *item)
{
	iv_qty q = -999999;
	must(db, iv_net_available(db, store, item, NULL, &q), "balance");
	return q;
}

long long fixture_ledger_count(const fixture *f)
{
	const char *n = fixture_query_text(f, "SELECT count(*) FROM ledger");
	return *n ? atoll(n) : -1;
}

static int pg_sql(const fixture *f, const char *sql)
{
	PGconn *c = PQconnectdb(f->path);
	int rc = SQLITE_ERROR;
	if (PQstatus(c) == CONNECTION_OK) {
		PGresult *r = PQexec(c, sql);
		ExecStatusType s = PQresultStatus(r);
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
			rc = SQLITE_OK;
		else if (state && (strncmp(state, "23", 2) == 0 || strcmp(state, "P0001") == 0))
			rc = SQLITE_CONSTRAINT;
		PQclear(r);
	}
	PQfinish(c);
	return rc;
}

int fixture_sql(const fixture *f, const char *sql)
{
	if (fixture_pg())
		return pg_sql(f, sql);
	sqlite3 *db;
	int rc = sqlite3_open(f->path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

const char *fixture_query_text(const fixture *f, const char *sql)
{
	static char buf[8192];
	buf[0] = '\0';
	if (fixture_pg()) {
		PGconn *c = PQconnectdb(f->path);
		if (PQstatus(c) == CONNECTION_OK) {
			PGresult *r = PQexec(c, sql);
			if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
				snprintf(buf, sizeof buf, "%s", PQgetvalue(r, 0, 0));
			PQclear(r);
		}
		PQfinish(c);
		return buf;
	}
	sqlite3 *db;
	sqlite3_stmt *s;
	if (sqlite3_open(f->path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
			snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return buf;
}

const char *fixture_empty_db(fixture *f)
{
	static char path[500];
	if (fixture_pg()) {
		char name[80], sql[200];
		snprintf(name, sizeof name, "%s_empty", f->dbname);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
		admin_exec(sql);
		uri_for(name, path, sizeof path);
	} else {
		snprintf(path, sizeof path, "%s/absent.db", f->dir);
	}
	return path;
}

iv_db *fixture_open_other(const fixture *f, const char *user, const char *pin)
{
	iv_db *db = NULL;
	iv_status st = iv_open(f->path, IV_OPEN_EXISTING, &db);
	must(db, st, "open other");
	must(db, iv_login(db, user, pin), "login other");
	return db;
}

/* The tables whose rows triggers keep as they were. */
#define GUARDED_TABLES "'ledger', 'ledger_items', 'events', 'counts', 'count_items', 'count_scans', 'count_ends'"

int fixture_sql_unguarded(const fixture *f, const char *sql)
{
	char drop[2048], restore[8192], all[16384];
	if (fixture_pg()) {
		snprintf(restore, sizeof restore, "%s",
		         fixture_query_text(f, "SELECT string_agg(format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I;', "
		                               "c.relname, t.tgname), ' ') FROM pg_trigger t JOIN pg_class c ON "
		                               "c.oid = t.tgrelid WHERE c.relname IN (" GUARDED_TABLES ") "
		                               "AND NOT t.tgisinternal"));
		snprintf(drop, sizeof drop, "ALTER TABLE ledger DISABLE TRIGGER USER; "
		                            "ALTER TABLE events DISABLE TRIGGER USER; "
		                            "ALTER TABLE counts DISABLE TRIGGER USER; "
		                            "ALTER TABLE count_items DISABLE TRIGGER USER; "
		                            "ALTER TABLE count_scans DISABLE TRIGGER USER; "
		                            "ALTER TABLE count_ends DISABLE TRIGGER USER;");
	} else {
		snprintf(drop, sizeof drop, "%s",
		         fixture_query_text(f, "SELECT group_concat('DROP TRIGGER ' || name || ';', ' ') FROM "
		                               "sqlite_master WHERE type = 'trigger' AND tbl_name IN (" GUARDED_TABLES ")"));
		snprintf(restore, sizeof restore, "%s",
		         fixture_query_text(f, "SELECT group_concat(sql || ';', ' ') FROM sqlite_master "
		                               "WHERE type = 'trigger' AND tbl_name IN (" GUARDED_TABLES ")"));
	}
	snprintf(all, sizeof all, "%s %s; %s", drop, sql, restore);
	return fixture_sql(f, all);
}

iv_status fixture_open_used(const char *path, iv_db **db)
{
	iv_status st = iv_open(path, IV_OPEN_EXISTING, db);
	if (st != IV_OK)
		return st;
	iv_verify_report r;
	return iv_verify(*db, &r);
}
