#include "support/fixture.h"

#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One template database per test program, copied for each test: the
 * Argon2id hashing of three users is then paid once. */
static char template_path[300];

static void must(iv_db *db, iv_status st, const char *what)
{
	if (st != IV_OK) {
		fprintf(stderr, "fixture: %s: %s\n", what, iv_errmsg(db));
		abort();
	}
}

const char *fixture_file(const fixture *f, const char *name, const char *text)
{
	static char path[400];
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
	snprintf(template_path, sizeof template_path, "%s/template.db", dir);
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
	setenv("INVADJ_TODAY", FIXTURE_TODAY, 1);
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
	snprintf(f->path, sizeof f->path, "%s/inventory.db", f->dir);
	copy_file(template_path, f->path);
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

int fixture_teardown(void **state)
{
	fixture *f = *state;
	iv_close(f->db);
	nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Removes the template when the program ends. */
__attribute__((destructor)) static void remove_template(void)
{
	if (!template_path[0])
		return;
	char dir[300];
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

static int count_cb(void *ctx, int ncols, char **vals, char **names)
{
	(void)ncols;
	(void)names;
	*(long long *)ctx = vals[0] ? atoll(vals[0]) : -1;
	return 0;
}

long long fixture_ledger_count(const fixture *f)
{
	sqlite3 *db;
	long long n = -1;
	if (sqlite3_open(f->path, &db) == SQLITE_OK)
		sqlite3_exec(db, "SELECT count(*) FROM ledger", count_cb, &n, NULL);
	sqlite3_close(db);
	return n;
}

int fixture_sql(const fixture *f, const char *sql)
{
	sqlite3 *db;
	int rc = sqlite3_open(f->path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

iv_db *fixture_open_other(const fixture *f, const char *user, const char *pin)
{
	iv_db *db = NULL;
	iv_status st = iv_open(f->path, IV_OPEN_EXISTING, &db);
	must(db, st, "open other");
	must(db, iv_login(db, user, pin), "login other");
	return db;
}
