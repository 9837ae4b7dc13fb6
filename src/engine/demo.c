/* The demo database: master data, demo users and opening stock from
 * data/.  Demo only: the users' PINs are published in data/README.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/internal.h"
#include "invadj/csv.h"

#define MAX_OPENING_LINES 256

/* The files of data_dir the demo loads, in the order it loads them. */
enum { DEMO_STORES, DEMO_REASONS, DEMO_ITEMS, DEMO_OPENING, NDEMO_FILES };
static const char *const demo_files[NDEMO_FILES] = {"stores.csv", "reasons.csv", "items.csv",
                                                    "opening-stock.csv"};

static iv_status import_file(iv_db *db, iv_import_kind kind, const char *dir, const char *name)
{
	char path[4096];
	size_t rows;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return iv_import(db, kind, path, &rows);
}

typedef struct opening {
	char store[IV_CODE_SIZE];
	char item[MAX_OPENING_LINES][IV_IDENT_SIZE];
	char qty[MAX_OPENING_LINES][24];
	iv_line_in lines[MAX_OPENING_LINES];
	size_t n;
} opening;

/* Posts the lines gathered for one store as one FI document. */
static iv_status post_opening(iv_db *db, opening *o)
{
	if (o->n == 0)
		return IV_OK;
	iv_line_out *out = calloc(o->n, sizeof *out);
	if (!out)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	for (size_t k = 0; k < o->n; k++)
		o->lines[k] = (iv_line_in){o->item[k], "FI", o->qty[k], "opening stock (demo)"};
	iv_document doc = {.store = o->store, .lines = o->lines, .nlines = o->n};
	int64_t docno;
	iv_status rc = iv_doc_post(db, &doc, out, &docno);
	free(out);
	o->n = 0;
	return rc;
}

static iv_status load_opening(iv_db *db, const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, demo_files[DEMO_OPENING]);
	FILE *f = fopen(path, "rb");
	if (!f)
		return iv_fail(db, IV_E_IO, "cannot open %s", path);
	csv_reader *r = csv_open(f);
	opening *o = calloc(1, sizeof *o);
	iv_status rc = r && o ? IV_OK : iv_fail(db, IV_E_NOMEM, "out of memory");
	char **fields;
	size_t n;
	bool header = true;
	csv_result cr = CSV_END;
	while (rc == IV_OK && (cr = csv_next(r, &fields, &n)) == CSV_RECORD) {
		if (header) {
			header = false;
			continue;
		}
		if (n != 3) {
			rc = iv_fail(db, IV_E_INVALID, "%s line %llu: expected StoreCode,ItemNumber,Qty", path,
			             (unsigned long long)csv_line(r));
			break;
		}
		if (o->n == MAX_OPENING_LINES || (o->n > 0 && strcmp(o->store, fields[0]) != 0))
			rc = post_opening(db, o);
		snprintf(o->store, sizeof o->store, "%s", fields[0]);
		snprintf(o->item[o->n], sizeof o->item[o->n], "%s", fields[1]);
		snprintf(o->qty[o->n], sizeof o->qty[o->n], "%s", fields[2]);
		o->n++;
	}
	if (rc == IV_OK && cr == CSV_ERROR)
		rc = iv_fail(db, IV_E_INVALID, "%s", csv_error(r));
	if (rc == IV_OK)
		rc = post_opening(db, o);
	free(o);
	csv_close(r);
	fclose(f);
	return rc;
}

iv_status iv_demo_check(iv_db *db, const char *data_dir)
{
	for (size_t k = 0; k < NDEMO_FILES; k++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", data_dir, demo_files[k]);
		FILE *f = fopen(path, "r");
		if (!f)
			return iv_fail(db, IV_E_IO, "demo data: cannot open %s: %s", path, strerror(errno));
		fclose(f);
	}
	return IV_OK;
}

/* A demo user's PIN: its digit, as many times as the shortest PIN this
 * database takes (1111 on a file; 11111111 on a server, where a PIN is
 * the password of the person's own login). */
static void demo_pin(const iv_db *db, char digit, char *pin, size_t size)
{
	size_t n = policy_min_secret(db->server);
	if (n < 4)
		n = 4;
	if (n >= size)
		n = size - 1;
	memset(pin, digit, n);
	pin[n] = '\0';
}

iv_status iv_load_demo(iv_db *db, const char *data_dir)
{
	char clerk_pin[16], super_pin[16];
	demo_pin(db, '1', clerk_pin, sizeof clerk_pin);
	demo_pin(db, '2', super_pin, sizeof super_pin);
	iv_status rc = iv_need_login(db);
	if (rc == IV_OK && db->user.role != IV_ROLE_ADMIN)
		rc = iv_fail(db, IV_E_PERMISSION, "only an admin may load the demo data");
	if (rc == IV_OK)
		rc = import_file(db, IV_IMPORT_STORES, data_dir, demo_files[DEMO_STORES]);
	if (rc == IV_OK)
		rc = import_file(db, IV_IMPORT_REASONS, data_dir, demo_files[DEMO_REASONS]);
	if (rc == IV_OK)
		rc = import_file(db, IV_IMPORT_ITEMS, data_dir, demo_files[DEMO_ITEMS]);
	if (rc == IV_OK)
		rc = iv_user_add(db, "clerk", "clerk", clerk_pin);
	if (rc == IV_OK)
		rc = iv_user_add(db, "super", "supervisor", super_pin);
	if (rc == IV_OK)
		rc = load_opening(db, data_dir);
	return rc;
}
