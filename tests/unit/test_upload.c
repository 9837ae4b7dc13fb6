/* Unit tests of the batch upload (include/invadj/upload.h).
 *
 * A group setup builds one database (users, stores, items, reasons, an
 * opening stock of 100 Wireless Keyboards at MAIN dated 03/01/2026);
 * each test copies it into its own temporary folder, logs in, writes the
 * small CSV files it needs and removes everything afterwards.  "Today"
 * is pinned to 2026-03-15 (INVADJ_TODAY). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "engine/internal.h"
#include "invadj/files.h"
#include "invadj/upload.h"
#include "support/fixture.h"

#define TODAY "2026-03-15"
#define HEADER "**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo\n"

static char template_dir[64];
static char template_db[128];

typedef struct fx {
	char dir[64];
	char db_path[128];
	char file[160];   /* the upload written by put() */
	char errors[192]; /* its default error file */
	iv_db *db;
	iv_upload_result res;
} fx;

/* ---- helpers -------------------------------------------------------- */

static void write_text(const char *path, const char *text, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* The whole file as a string (the caller frees); NULL when absent. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static void copy_file(const char *from, const char *to)
{
	char *s = read_text(from);
	assert_non_null(s);
	struct stat sb;
	assert_int_equal(stat(from, &sb), 0);
	write_text(to, s, (size_t)sb.st_size);
	free(s);
}

/* Writes an upload file; n 0: strlen. */
static const char *put_n(fx *f, const char *text, size_t n)
{
	write_text(f->file, text, n ? n : strlen(text));
	return f->file;
}

static const char *put(fx *f, const char *text)
{
	return put_n(f, text, 0);
}

static iv_upload_opts opts_for(fx *f, iv_rule rule)
{
	return (iv_upload_opts){.path = f->file, .rule = rule};
}

static iv_status upload(fx *f, iv_rule rule)
{
	iv_upload_opts o = opts_for(f, rule);
	return iv_upload(f->db, &o, &f->res);
}

static iv_qty net(fx *f, const char *code, const char *item)
{
	iv_qty q = -1;
	assert_int_equal(iv_net_available(f->db, code, item, NULL, &q), IV_OK);
	return q;
}

static uint64_t ledger_rows(fx *f)
{
	iv_verify_report rep;
	assert_int_equal(iv_verify(f->db, &rep), IV_OK);
	return rep.ledger_rows;
}

static void verify_ok(fx *f)
{
	iv_verify_report rep;
	iv_status st = iv_verify(f->db, &rep);
	if (st != IV_OK)
		fail_msg("verify: %s", iv_errmsg(f->db));
}

static void expect_ok(fx *f, iv_status st)
{
	if (st != IV_OK)
		fail_msg("upload refused: %s", iv_errmsg(f->db));
	assert_true(f->res.batch_id > 0);
	assert_int_equal(f->res.refused, 0);
	assert_string_equal(f->res.errors_path, "");
	verify_ok(f);
}

static void login(fx *f, const char *user, const char *pin)
{
	iv_logout(f->db);
	assert_int_equal(iv_login(f->db, user, pin), IV_OK);
}

/* Posts one adjustment line outside the upload (opening stock, another
 * terminal's movement). */
static void adjust(iv_db *db, const char *code, const char *item, const char *diff, const char *date)
{
	iv_line_in line = {item, "FI", diff, NULL};
	iv_document doc = {.store = code, .date = date, .lines = &line, .nlines = 1};
	iv_line_out out;
	int64_t docno;
	if (iv_doc_post(db, &doc, &out, &docno) != IV_OK)
		fail_msg("adjust: %s", iv_errmsg(db));
}

/* ---- fixtures ------------------------------------------------------- */

static int group_setup(void **state)
{
	(void)state;
	setenv("INVADJ_TODAY", TODAY, 1);
	snprintf(template_dir, sizeof template_dir, "/tmp/invadj-test-upload-XXXXXX");
	if (!mkdtemp(template_dir))
		return -1;
	snprintf(template_db, sizeof template_db, "%s/template.db", template_dir);
	iv_db *db;
	if (iv_open(template_db, IV_OPEN_CREATE, &db) != IV_OK || iv_init(db, "admin", "0000") != IV_OK ||
	    iv_login(db, "admin", "0000") != IV_OK || iv_user_add(db, "clerk", "clerk", "1111") != IV_OK ||
	    iv_user_add(db, "super", "supervisor", "2222") != IV_OK)
		return -1;
	char path[160];
	size_t n;
	snprintf(path, sizeof path, "%s/stores.csv", template_dir);
	const char *stores = "StoreCode,StoreName,AllowNegative,ApprovalThreshold\n"
	                     "MAIN,Main Street,no,500\nMALL,Mall,no,0\nWH,Warehouse,yes,0\n";
	write_text(path, stores, strlen(stores));
	if (iv_import(db, IV_IMPORT_STORES, path, &n) != IV_OK)
		return -1;
	snprintf(path, sizeof path, "%s/items.csv", template_dir);
	const char *items = "ItemNumber,Description,UPC,Barcode,AltItemNumber1,AltItemNumber2,AltItemNumber3\n"
	                    "KB-100,Wireless Keyboard,012345678905,2000000001007,KEYB-W,KB-ALT2,KB-ALT3\n"
	                    "MS-200,Wireless Mouse,012345678912,2000000002004,MOUSE-W,,\n"
	                    "CB-0042,USB-C Cable,123456789012,,00042,,\n"
	                    "00789,Numbered Item,,,,,\n";
	write_text(path, items, strlen(items));
	if (iv_import(db, IV_IMPORT_ITEMS, path, &n) != IV_OK)
		return -1;
	snprintf(path, sizeof path, "%s/reasons.csv", template_dir);
	const char *reasons = "ReasonCode,Description\nFI,Found\nNF,Not found\nDMG,Damaged\nCC,Cycle count\n"
	                      "REV,Reversal\n";
	write_text(path, reasons, strlen(reasons));
	if (iv_import(db, IV_IMPORT_REASONS, path, &n) != IV_OK)
		return -1;
	adjust(db, "MAIN", "KB-100", "100", "2026-03-01");
	iv_close(db);
	fixture_settle_file(template_db); /* each test copies the file */
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", template_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/invadj-test-upload-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db_path, sizeof f->db_path, "%s/inv.db", f->dir);
	snprintf(f->file, sizeof f->file, "%s/upload.csv", f->dir);
	snprintf(f->errors, sizeof f->errors, "%s/upload.errors.csv", f->dir);
	copy_file(template_db, f->db_path);
	if (iv_open(f->db_path, IV_OPEN_EXISTING, &f->db) != IV_OK || iv_login(f->db, "admin", "0000") != IV_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	iv_close(f->db);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	int rc = system(cmd);
	free(f);
	return rc == 0 ? 0 : -1;
}

/* ---- template and rules ---------------------------------------------- */

static void test_template(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	assert_non_null(out);
	assert_int_equal(iv_upload_template(out), IV_OK);
	fclose(out);
	assert_string_equal(buf, HEADER);
	/* The copy shipped in data/ is the same. */
	char *shipped = read_text("data/upload-template.csv");
	if (shipped)
		assert_string_equal(shipped, buf);
	free(shipped);
	free(buf);
}

static void test_rule_names(void **state)
{
	(void)state;
	iv_rule r;
	assert_true(iv_rule_parse("delta", &r) && r == IV_RULE_DELTA);
	assert_true(iv_rule_parse("SYNC", &r) && r == IV_RULE_SYNC);
	assert_false(iv_rule_parse("reversal", &r));
	assert_false(iv_rule_parse("", &r));
	assert_string_equal(iv_rule_name(IV_RULE_SYNC), "sync");
}

/* ---- the seed's examples ----------------------------------------------- */

static void test_seed_delta_minus_one(void **state)
{
	fx *f = *state;
	put(f, HEADER "MAIN,KB-100,,-1,DMG,,\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(net(f, "MAIN", "KB-100"), 99);
	assert_int_equal(f->res.posted, 1);
	put(f, HEADER "MAIN,KB-100,,1,FI,,\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(net(f, "MAIN", "KB-100"), 100);
}

static void test_seed_sync_110_and_90(void **state)
{
	fx *f = *state;
	put(f, HEADER "MAIN,KB-100,,110,CC,,\n");
	expect_ok(f, upload(f, IV_RULE_SYNC));
	assert_int_equal(net(f, "MAIN", "KB-100"), 110);
	iv_ledger_row row;
	iv_history_filter hf = {.batch = f->res.batch_id};
	assert_int_equal(iv_ledger_get(f->db, 2, &row), IV_OK);
	assert_int_equal(row.diff, 10); /* Diff = Qty - Net Available */
	assert_int_equal(row.batch, f->res.batch_id);
	(void)hf;
	put(f, HEADER "MAIN,KB-100,,100,CC,,\n");
	expect_ok(f, upload(f, IV_RULE_SYNC));
	put(f, HEADER "MAIN,KB-100,,90,CC,,\n");
	expect_ok(f, upload(f, IV_RULE_SYNC));
	assert_int_equal(net(f, "MAIN", "KB-100"), 90);
	assert_int_equal(iv_ledger_get(f->db, 4, &row), IV_OK);
	assert_int_equal(row.diff, -10);
}

static void test_sync_unchanged_posts_nothing(void **state)
{
	fx *f = *state;
	uint64_t before = ledger_rows(f);
	put(f, HEADER "MAIN,KB-100,,100,CC,,\nMAIN,MS-200,,5,CC,,\n");
	expect_ok(f, upload(f, IV_RULE_SYNC));
	assert_int_equal(f->res.rows, 2);
	assert_int_equal(f->res.unchanged, 1);
	assert_int_equal(f->res.posted, 1);
	assert_int_equal(ledger_rows(f), before + 1);
	assert_int_equal(net(f, "MAIN", "MS-200"), 5);
	iv_batch b;
	assert_int_equal(store_batch_get(f->db->st, f->res.batch_id, &b), IV_OK);
	assert_int_equal(b.rule, IV_RULE_SYNC);
	assert_int_equal(b.rows, 2);
	assert_int_equal(b.posted, 1);
	assert_int_equal(b.unchanged, 1);
	assert_string_equal(b.user, "admin");
	assert_string_equal(b.file_name, f->file);
	assert_string_equal(b.sha256, f->res.sha256);
}

/* The batch keeps the SHA-256 of the file's bytes. */
static void test_batch_sha256(void **state)
{
	fx *f = *state;
	const char *text = HEADER "MAIN,MS-200,,7,FI,,\n";
	put(f, text);
	expect_ok(f, upload(f, IV_RULE_DELTA));
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[IV_HASH_HEX];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	assert_string_equal(f->res.sha256, hex);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, 2, &row), IV_OK);
	assert_int_equal(row.batch, f->res.batch_id);
	assert_int_equal(row.document, f->res.document);
}

/* ---- header ------------------------------------------------------------ */

static void test_header_any_order_and_case(void **state)
{
	fx *f = *state;
	put(f, "qty,ITEMNUMBER,**storecode,reasoncode\n5,MS-200,MAIN,FI\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(net(f, "MAIN", "MS-200"), 5);
}

static void test_header_unknown_columns(void **state)
{
	fx *f = *state;
	put(f, "StoreCode,ItemNumber,Qty,ReasonCode,Colour,Size\nMAIN,MS-200,5,FI,red,L\n");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "line 1: unknown columns \"Colour\", \"Size\""));
	assert_int_equal(f->res.rows, 0); /* refused before any row */
	assert_null(read_text(f->errors));
}

static void test_header_missing_mandatory(void **state)
{
	fx *f = *state;
	put(f, "StoreCode,ItemNumber,ReasonCode\nMAIN,MS-200,FI\n");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "line 1: the mandatory column Qty is missing"));
	assert_int_equal(f->res.rows, 0);
	put(f, "");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "is empty"));
	put(f, HEADER);
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_INVALID);
	assert_non_null(strstr(iv_errmsg(f->db), "no rows"));
}

/* ---- identifiers ------------------------------------------------------- */

static void test_identifier_codes(void **state)
{
	fx *f = *state;
	put(f, HEADER "MAIN,MS-200,,1,FI,,\n"
	              "MAIN,MS-200,0,1,FI,,\n"
	              "MAIN,MS-200,1,1,FI,,\n"
	              "MAIN,012345678912,2,1,FI,,\n"
	              "MAIN,2000000002004,3,1,FI,,\n"
	              "MAIN,MOUSE-W,4,1,FI,,\n"
	              "MAIN,KB-ALT2,5,1,FI,,\n"
	              "MAIN,KB-ALT3,6,1,FI,,\n"
	              "MAIN,00042,4,1,FI,,\n"
	              "MAIN,00789,,1,FI,,\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(net(f, "MAIN", "MS-200"), 6);
	assert_int_equal(net(f, "MAIN", "KB-100"), 102);
	assert_int_equal(net(f, "MAIN", "CB-0042"), 1);
	assert_int_equal(net(f, "MAIN", "00789"), 1); /* leading zeros kept: it is text */
}

/* ---- one test per kind of refused row ----------------------------------
 * Each file holds a good row (line 2) and the bad one (line 3): nothing
 * is posted, and the error file holds the bad row as it was, its line
 * and the reason. */

/* A reason as the CSV error file writes it: quotes doubled. */
static void csv_quoted(const char *in, char *out, size_t size)
{
	size_t j = 0;
	for (; *in && j + 2 < size; in++) {
		if (*in == '"')
			out[j++] = '"';
		out[j++] = *in;
	}
	out[j] = '\0';
}

/* file_row: the row as the error file shows it (NULL: as it was). */
static void bad_row_as(void **state, iv_rule rule, const char *row, const char *file_row,
                       iv_status status, const char *reason)
{
	fx *f = *state;
	char text[2048];
	snprintf(text, sizeof text, HEADER "MAIN,MS-200,,5,FI,,\n%s\n", row);
	put(f, text);
	uint64_t before = ledger_rows(f);
	iv_qty ms = net(f, "MAIN", "MS-200");
	iv_status st = upload(f, rule);
	if (st != status)
		fail_msg("status %d, expected %d: %s", st, status, iv_errmsg(f->db));
	assert_int_equal(f->res.rows, 2);
	assert_int_equal(f->res.refused, 1);
	assert_int_equal(f->res.batch_id, 0);
	assert_int_equal(ledger_rows(f), before);
	assert_int_equal(net(f, "MAIN", "MS-200"), ms);
	assert_int_equal(f->res.nerrors, 1);
	assert_int_equal(f->res.errors[0].line, 3);
	if (!strstr(f->res.errors[0].message, reason))
		fail_msg("message \"%s\" lacks \"%s\"", f->res.errors[0].message, reason);
	assert_string_equal(f->res.errors_path, f->errors);
	char *errs = read_text(f->errors);
	assert_non_null(errs);
	char expect[2048];
	snprintf(expect, sizeof expect, "**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,"
	                                "TransactionDate,Memo,Line,Error\n%s,3,",
	         file_row ? file_row : row);
	if (strncmp(errs, expect, strlen(expect)) != 0)
		fail_msg("error file:\n%s\nexpected to start:\n%s", errs, expect);
	char quoted[512];
	csv_quoted(reason, quoted, sizeof quoted);
	assert_non_null(strstr(errs + strlen(expect), quoted));
	free(errs);
	verify_ok(f);
}

static void bad_row(void **state, iv_rule rule, const char *row, iv_status status, const char *reason)
{
	bad_row_as(state, rule, row, NULL, status, reason);
}

#define BAD_ROW(name, rule, row, status, reason)              \
	static void test_refuse_##name(void **state)              \
	{                                                         \
		bad_row(state, IV_RULE_##rule, row, status, reason);  \
	}

BAD_ROW(store_blank, DELTA, ",MS-200,,1,FI,,", IV_E_INVALID, "StoreCode: a store code is required")
BAD_ROW(store_unknown, DELTA, "NOPE,MS-200,,1,FI,,", IV_E_NOT_FOUND, "StoreCode: \"NOPE\" is not a known store code")
BAD_ROW(item_blank, DELTA, "MAIN,,,1,FI,,", IV_E_INVALID, "ItemNumber: an item is required")
BAD_ROW(item_unknown, DELTA, "MAIN,ZZ-999,,1,FI,,", IV_E_NOT_FOUND, "is not a known item number")
BAD_ROW(item_other_kind, DELTA, "MAIN,012345678912,,1,FI,,", IV_E_NOT_FOUND, "it is the UPC of item MS-200: set ItemIdentifierCode to 2")
BAD_ROW(identifier_code, DELTA, "MAIN,MS-200,7,1,FI,,", IV_E_INVALID, "ItemIdentifierCode: \"7\" is not blank, 0 or 1")
BAD_ROW(upc_scientific, DELTA, "MAIN,1.23457E+11,2,1,FI,,", IV_E_NOT_FOUND, "scientific notation")
BAD_ROW(leading_zeros, DELTA, "MAIN,789,,1,FI,,", IV_E_NOT_FOUND, "item number \"00789\" (item 00789) is the same with its leading zeros")
BAD_ROW(upc_leading_zeros, DELTA, "MAIN,12345678905,2,1,FI,,", IV_E_NOT_FOUND, "UPC \"012345678905\" (item KB-100)")
BAD_ROW(qty_blank, DELTA, "MAIN,MS-200,,,FI,,", IV_E_INVALID, "Qty: a quantity is required")
BAD_ROW(qty_not_number, DELTA, "MAIN,MS-200,,abc,FI,,", IV_E_INVALID, "Qty: \"abc\" is not a number")
BAD_ROW(qty_fraction, DELTA, "MAIN,MS-200,,1.5,FI,,", IV_E_INVALID, "is not a whole number")
BAD_ROW(qty_zero_delta, DELTA, "MAIN,MS-200,,0,FI,,", IV_E_INVALID, "Qty: 0 changes nothing under the Delta rule")
BAD_ROW(qty_too_big, DELTA, "MAIN,MS-200,,2000000000,FI,,", IV_E_INVALID, "beyond the limit")
BAD_ROW(reason_blank, DELTA, "MAIN,MS-200,,1,,,", IV_E_INVALID, "ReasonCode: a reason code is required")
BAD_ROW(reason_unknown, DELTA, "MAIN,MS-200,,1,XYZ,,", IV_E_NOT_FOUND, "ReasonCode: \"XYZ\" is not a known reason code")
BAD_ROW(date_invalid, DELTA, "MAIN,MS-200,,1,FI,02/30/2026,", IV_E_INVALID, "TransactionDate: \"02/30/2026\" is not a valid date")
BAD_ROW(date_future, DELTA, "MAIN,MS-200,,1,FI,03/16/2026,", IV_E_INVALID, "is in the future (today is 2026-03-15)")
BAD_ROW(negative_stock, DELTA, "MAIN,KB-100,,-101,NF,,", IV_E_REFUSED, "New Qty would be -1 at store MAIN for item KB-100; negative stock is not allowed")
BAD_ROW(sync_negative, SYNC, "MAIN,KB-100,,-1,CC,,", IV_E_REFUSED, "New Qty would be -1")
BAD_ROW(sync_backdated, SYNC, "MAIN,KB-100,,90,CC,03/14/2026,", IV_E_REFUSED, "Sync Rule does not work on back-dated adjustments")
BAD_ROW(sync_twice, SYNC, "MAIN,MS-200,,7,CC,,", IV_E_INVALID, "item MS-200 is already counted on line 2")

/* The error file keeps the header's columns: a row with too many fields
 * is cut to them (the Line tells where to look), one with too few padded. */
static void test_refuse_field_count(void **state)
{
	bad_row_as(state, IV_RULE_DELTA, "MAIN,MS-200,,1,FI,,,extra", "MAIN,MS-200,,1,FI,,", IV_E_INVALID,
	           "the row has 8 fields where the header has 7");
}

static void test_refuse_field_count_short(void **state)
{
	bad_row_as(state, IV_RULE_DELTA, "MAIN,MS-200,1,FI", "MAIN,MS-200,1,FI,,,", IV_E_INVALID,
	           "the row has 4 fields where the header has 7");
}

static void test_refuse_memo_too_long(void **state)
{
	char row[400];
	int n = snprintf(row, sizeof row, "MAIN,MS-200,,1,FI,,");
	memset(row + n, 'x', 256);
	row[n + 256] = '\0';
	bad_row(state, IV_RULE_DELTA, row, IV_E_INVALID, "Memo: 256 characters, more than the 255 allowed");
}

/* The messages in res->errors are plain sentences: */
static void test_error_messages_unquoted(void **state)
{
	fx *f = *state;
	put(f, HEADER "NOPE,MS-200,,1,FI,,\n");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_NOT_FOUND);
	assert_string_equal(f->res.errors[0].message, "StoreCode: \"NOPE\" is not a known store code");
	assert_non_null(strstr(iv_errmsg(f->db), "1 of 1 rows refused; nothing was posted. Line 2: StoreCode"));
}

static void test_default_reason_and_date(void **state)
{
	fx *f = *state;
	put(f, HEADER "MAIN,MS-200,,4,,,\nMAIN,MS-200,,1,FI,03-10-2026,\n");
	iv_upload_opts o = opts_for(f, IV_RULE_DELTA);
	o.default_reason = "CC";
	o.date = "03/12/2026";
	expect_ok(f, iv_upload(f->db, &o, &f->res));
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, 2, &row), IV_OK);
	assert_string_equal(row.reason, "CC");
	assert_string_equal(row.tdate, "2026-03-12");
	assert_int_equal(iv_ledger_get(f->db, 3, &row), IV_OK);
	assert_string_equal(row.reason, "FI");
	assert_string_equal(row.tdate, "2026-03-10");
	/* An unknown default reason, a future default date: refused before any row. */
	put(f, HEADER "MAIN,MS-200,,4,,,\n");
	o.default_reason = "NOPE";
	o.date = NULL;
	assert_int_equal(iv_upload(f->db, &o, &f->res), IV_E_NOT_FOUND);
	o.default_reason = "CC";
	o.date = "2026-03-16";
	assert_int_equal(iv_upload(f->db, &o, &f->res), IV_E_INVALID);
	/* Sync with a back-dated default date. */
	o.date = "2026-03-14";
	o.rule = IV_RULE_SYNC;
	assert_int_equal(iv_upload(f->db, &o, &f->res), IV_E_REFUSED);
	assert_non_null(strstr(iv_errmsg(f->db), "Sync Rule does not work on back-dated adjustments"));
}

/* ---- all or nothing ------------------------------------------------------ */

static void test_all_or_nothing_999_good_1_bad(void **state)
{
	fx *f = *state;
	size_t cap = 64 * 1024, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text, cap, HEADER);
	for (int k = 0; k < 1000; k++)
		len += (size_t)snprintf(text + len, cap - len, k == 500 ? "MAIN,NOPE,,1,FI,,\n" : "MAIN,MS-200,,1,FI,,\n");
	put_n(f, text, len);
	free(text);
	uint64_t before = ledger_rows(f);
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_NOT_FOUND);
	assert_int_equal(f->res.rows, 1000);
	assert_int_equal(f->res.refused, 1);
	assert_int_equal(f->res.errors[0].line, 502);
	assert_int_equal(ledger_rows(f), before);
	assert_int_equal(net(f, "MAIN", "MS-200"), 0);
	iv_balance_row dummy;
	(void)dummy;
	verify_ok(f);
}

static void test_first_errors_kept_all_in_file(void **state)
{
	fx *f = *state;
	char text[4096];
	size_t len = (size_t)snprintf(text, sizeof text, HEADER);
	for (int k = 0; k < 15; k++)
		len += (size_t)snprintf(text + len, sizeof text - len, "MAIN,NOPE%d,,1,FI,,\n", k);
	put_n(f, text, len);
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_NOT_FOUND);
	assert_int_equal(f->res.refused, 15);
	assert_int_equal(f->res.nerrors, IV_UPLOAD_FIRST_ERRORS);
	char *errs = read_text(f->errors);
	int lines = 0;
	for (char *p = errs; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 16);
	free(errs);
}

static void test_errors_path(void **state)
{
	fx *f = *state;
	put(f, HEADER "NOPE,MS-200,,1,FI,,\n");
	char other[200];
	snprintf(other, sizeof other, "%s/mine.csv", f->dir);
	iv_upload_opts o = opts_for(f, IV_RULE_DELTA);
	o.errors_path = other;
	assert_int_equal(iv_upload(f->db, &o, &f->res), IV_E_NOT_FOUND);
	assert_string_equal(f->res.errors_path, other);
	char *s = read_text(other);
	assert_non_null(s);
	free(s);
	assert_null(read_text(f->errors));
	o.errors_path = f->file; /* never over the input */
	assert_int_equal(iv_upload(f->db, &o, &f->res), IV_E_CONFLICT);
	s = read_text(f->file);
	assert_string_equal(s, HEADER "NOPE,MS-200,,1,FI,,\n");
	free(s);
}

/* The template's engine entry point (the Upload screen's Ctrl-T): never
 * over a file or through a symlink unless the user confirmed replacing;
 * replacing renames a new file over the name, so a symlink is replaced,
 * never written through. */
static void test_template_file_never_clobbers(void **state)
{
	fx *f = *state;
	char victim[300], link[300];
	snprintf(victim, sizeof victim, "%s/victim.txt", f->dir);
	snprintf(link, sizeof link, "%s/template.csv", f->dir);
	FILE *v = fopen(victim, "w");
	fputs("precious\n", v);
	fclose(v);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(iv_upload_template_file(link, false), IV_E_CONFLICT);
	assert_non_null(strstr(iv_file_errmsg(), "template.csv exists; invadj never writes over a file"));
	assert_int_equal(iv_upload_template_file(link, true), IV_OK);
	char *s = read_text(victim);
	assert_string_equal(s, "precious\n");
	free(s);
	struct stat sb;
	assert_int_equal(lstat(link, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0600);
	s = read_text(link);
	assert_non_null(strstr(s, "**StoreCode"));
	free(s);
	char fresh[300];
	snprintf(fresh, sizeof fresh, "%s/new-template.csv", f->dir);
	mode_t old = umask(0);
	assert_int_equal(iv_upload_template_file(fresh, false), IV_OK);
	umask(old);
	assert_int_equal(stat(fresh, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

/* ---- the negative-stock rule over dates and rows ----------------------- */

static void test_earlier_rows_of_the_file_count(void **state)
{
	fx *f = *state;
	put(f, HEADER "MAIN,KB-100,,-60,NF,,\nMAIN,KB-100,,-50,NF,,\n");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_REFUSED);
	assert_int_equal(f->res.errors[0].line, 3);
	assert_non_null(strstr(f->res.errors[0].message, "New Qty would be -10"));
	assert_int_equal(net(f, "MAIN", "KB-100"), 100);
	/* A store that allows negative stock takes it. */
	put(f, HEADER "WH,KB-100,,-60,NF,,\nWH,KB-100,,-50,NF,,\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(net(f, "WH", "KB-100"), -110);
}

/* Codes and identifiers match in any (ASCII) case, as on the screens
 * and the command line: a file typed in lower case posts to the stores,
 * items and reasons it names; a code that is unknown in every case is
 * still refused. */
static void test_codes_match_in_any_case(void **state)
{
	fx *f = *state;
	put(f, HEADER "main,kb-100,,-1,nf,,\nMain,keyb-w,4,-2,Nf,,\nMAIN,Kb-Alt2,5,-3,NF,,\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(net(f, "MAIN", "KB-100"), 94);
	put(f, HEADER "main,kb-100,,-1,xx,,\n");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_NOT_FOUND);
	assert_non_null(strstr(f->res.errors[0].message, "\"xx\" is not a known reason code"));
	put(f, HEADER "mane,kb-100,,-1,nf,,\n");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_NOT_FOUND);
	assert_non_null(strstr(f->res.errors[0].message, "\"mane\""));
	assert_int_equal(net(f, "MAIN", "KB-100"), 94);
	/* a default reason in any case too */
	put(f, HEADER "main,kb-100,,-1,,,\n");
	iv_upload_opts o = opts_for(f, IV_RULE_DELTA);
	o.default_reason = "nf";
	expect_ok(f, iv_upload(f->db, &o, &f->res));
	assert_int_equal(net(f, "MAIN", "KB-100"), 93);
	verify_ok(f);
}

static void test_backdated_delta_later_day_negative(void **state)
{
	fx *f = *state;
	adjust(f->db, "MAIN", "KB-100", "-95", "2026-03-10");
	adjust(f->db, "MAIN", "KB-100", "100", "2026-03-15");
	/* Now 105; on 03/10 the balance was 5: -10 on 03/05 makes it -5. */
	put(f, HEADER "MAIN,KB-100,,-10,NF,03/05/2026,\n");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_REFUSED);
	assert_non_null(strstr(f->res.errors[0].message,
	                       "back-dated to 2026-03-05, this would make the balance at store MAIN for item "
	                       "KB-100 -5 on 2026-03-10"));
	/* -5 on 03/05 leaves 0 on 03/10: allowed. */
	put(f, HEADER "MAIN,KB-100,,-5,NF,03/05/2026,\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(net(f, "MAIN", "KB-100"), 100);
}

/* A back-dated row checked against a later-dated row earlier in the same file. */
static void test_backdated_against_file_rows(void **state)
{
	fx *f = *state;
	put(f, HEADER "MAIN,KB-100,,-95,NF,2026-03-10,\nMAIN,KB-100,,100,FI,,\n"
	              "MAIN,KB-100,,-10,NF,2026-03-05,\n");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_REFUSED);
	assert_int_equal(f->res.errors[0].line, 4);
	assert_non_null(strstr(f->res.errors[0].message, "-5 on 2026-03-10"));
	/* The file's own later rows on the same day are summed before the check. */
	put(f, HEADER "MAIN,KB-100,,50,FI,2026-03-10,\nMAIN,KB-100,,-95,NF,2026-03-10,\n"
	              "MAIN,KB-100,,-50,NF,2026-03-05,\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(net(f, "MAIN", "KB-100"), 5);
	iv_qty q;
	assert_int_equal(iv_net_available(f->db, "MAIN", "KB-100", "2026-03-05", &q), IV_OK);
	assert_int_equal(q, 50);
}

/* A file whose dates outgrow what the loader holds hands its sums to the
 * writer as it goes (upload_sums_spill; here after every further date):
 * a back-dated row is still held to the days handed over, both through
 * the pair's floor and through the days themselves, and what is posted
 * verifies. */
static void test_spilled_dates_still_count(void **state)
{
	fx *f = *state;
	upload_set_days_held(1);
	/* 03/10 -95 and today +100 are handed over before 03/12's +1: -10 on
	 * 03/05 makes 03/10's balance -5 all the same. */
	put(f, HEADER "MAIN,KB-100,,-95,NF,2026-03-10,\nMAIN,KB-100,,100,FI,,\n"
	              "MAIN,KB-100,,1,FI,2026-03-12,\nMAIN,KB-100,,-10,NF,2026-03-05,\n");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_REFUSED);
	assert_int_equal(f->res.errors[0].line, 5);
	assert_non_null(strstr(f->res.errors[0].message, "-5 on 2026-03-10"));
	assert_int_equal(net(f, "MAIN", "KB-100"), 100);
	put(f, HEADER "MAIN,KB-100,,-95,NF,2026-03-10,\nMAIN,KB-100,,100,FI,,\n"
	              "MAIN,KB-100,,1,FI,2026-03-12,\nMAIN,KB-100,,-5,NF,2026-03-05,\n"
	              "MAIN,MS-200,,7,FI,2026-03-11,\nMAIN,MS-200,,-7,NF,2026-03-12,\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(net(f, "MAIN", "KB-100"), 101);
	iv_qty q;
	assert_int_equal(iv_net_available(f->db, "MAIN", "KB-100", "2026-03-10", &q), IV_OK);
	assert_int_equal(q, 0);
	assert_int_equal(iv_net_available(f->db, "MAIN", "MS-200", "2026-03-11", &q), IV_OK);
	assert_int_equal(q, 7);
	upload_set_days_held(0);
}

/* The approval threshold counts the user's Diffs of the day handed over
 * before the row, as it counts those held. */
static void test_spilled_dates_still_need_approval(void **state)
{
	fx *f = *state;
	upload_set_days_held(1);
	login(f, "clerk", "1111");
	/* 300 today, then a second date, then a row that hands them over:
	 * 250 more today is 550, above MAIN's 500. */
	put(f, HEADER "MAIN,MS-200,,300,FI,,\nMAIN,MS-200,,1,FI,2026-03-14,\nMAIN,KB-100,,1,FI,2026-03-13,\n"
	              "MAIN,MS-200,,250,FI,,\n");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_PERMISSION);
	assert_int_equal(f->res.errors[0].line, 5);
	assert_non_null(strstr(f->res.errors[0].message, "550 in all"));
	upload_set_days_held(0);
}

/* ---- approval ------------------------------------------------------------ */

static void test_approval_threshold(void **state)
{
	fx *f = *state;
	login(f, "clerk", "1111");
	put(f, HEADER "MAIN,MS-200,,600,FI,,\n");
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_PERMISSION);
	assert_non_null(strstr(f->res.errors[0].message, "above store MAIN's approval threshold of 500"));
	iv_upload_opts o = opts_for(f, IV_RULE_DELTA);
	o.approval = (iv_approval){"super", "9999"};
	assert_int_equal(iv_upload(f->db, &o, &f->res), IV_E_AUTH); /* before any row */
	o.approval = (iv_approval){"super", "2222"};
	expect_ok(f, iv_upload(f->db, &o, &f->res));
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, 2, &row), IV_OK);
	assert_string_equal(row.user, "clerk");
	assert_string_equal(row.approved_by, "super");
	/* Below the threshold a clerk needs nobody. */
	put(f, HEADER "MAIN,MS-200,,-500,NF,,\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(iv_ledger_get(f->db, 3, &row), IV_OK);
	assert_string_equal(row.approved_by, "");
}

/* A preview counts the rows a clerk may not post alone and checks a
 * named approver's PIN, so that a screen can ask for the approval
 * before the user confirms; a supervisor's own preview needs nobody. */
static void test_preview_counts_rows_needing_approval(void **state)
{
	fx *f = *state;
	login(f, "clerk", "1111");
	put(f, HEADER "MAIN,MS-200,,600,FI,,\nMAIN,KB-100,,501,FI,,\nMAIN,KB-100,,1,FI,,\n");
	iv_upload_opts o = opts_for(f, IV_RULE_DELTA);
	iv_upload_plan *plan = NULL;
	assert_int_equal(iv_upload_prepare(f->db, &o, &f->res, &plan), IV_OK);
	/* 600; 501; and 1, which makes 502 for KB-100 that day. */
	assert_int_equal(f->res.unapproved, 3);
	iv_upload_plan_free(plan);
	o.approval = (iv_approval){"super", "9999"};
	assert_int_equal(iv_upload_prepare(f->db, &o, &f->res, &plan), IV_E_AUTH);
	assert_null(plan);
	o.approval = (iv_approval){"super", "2222"};
	assert_int_equal(iv_upload_prepare(f->db, &o, &f->res, &plan), IV_OK);
	assert_int_equal(f->res.unapproved, 0);
	expect_ok(f, iv_upload_commit(f->db, plan, &f->res));
	iv_upload_plan_free(plan);
	assert_int_equal(net(f, "MAIN", "MS-200"), 600);

	login(f, "super", "2222");
	put(f, HEADER "MAIN,MS-200,,700,FI,,\n");
	o = opts_for(f, IV_RULE_DELTA);
	assert_int_equal(iv_upload_prepare(f->db, &o, &f->res, &plan), IV_OK);
	assert_int_equal(f->res.unapproved, 0);
	iv_upload_plan_free(plan);
}

/* ---- login, dry run, progress -------------------------------------------- */

typedef struct seen_rows {
	int n;
	iv_upload_row rows[4];
	int progress_calls;
	uint64_t last_done, total;
} seen_rows;

static void on_row(void *ctx, const iv_upload_row *r)
{
	seen_rows *s = ctx;
	if (s->n < 4)
		s->rows[s->n] = *r;
	s->n++;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	seen_rows *s = ctx;
	assert_true(done > s->last_done);
	s->last_done = done;
	s->total = total;
	s->progress_calls++;
}

static void test_dry_run_needs_no_login_posts_nothing(void **state)
{
	fx *f = *state;
	iv_logout(f->db);
	put(f, HEADER "MAIN,KB-100,,-1,DMG,,\nMAIN,KB-100,,3,FI,03/02/2026,\n");
	seen_rows s = {0};
	iv_upload_opts o = opts_for(f, IV_RULE_DELTA);
	o.dry_run = true;
	o.on_row = on_row;
	o.ctx = &s;
	assert_int_equal(iv_upload(f->db, &o, &f->res), IV_OK);
	assert_int_equal(f->res.batch_id, 0);
	assert_int_equal(f->res.posted, 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.rows[0].line, 2);
	assert_string_equal(s.rows[0].store, "MAIN");
	assert_string_equal(s.rows[0].item, "KB-100");
	assert_string_equal(s.rows[0].tdate, TODAY);
	assert_int_equal(s.rows[0].net_available, 100);
	assert_int_equal(s.rows[0].diff, -1);
	assert_int_equal(s.rows[0].new_qty, 99);
	assert_int_equal(s.rows[1].net_available, 99);
	assert_int_equal(s.rows[1].new_qty, 102);
	assert_string_equal(s.rows[1].tdate, "2026-03-02");
	assert_int_equal(ledger_rows(f), 1);
	/* Posting needs a login. */
	o.dry_run = false;
	assert_int_equal(iv_upload(f->db, &o, &f->res), IV_E_AUTH);
	assert_int_equal(ledger_rows(f), 1);
}

static void test_progress_every_chunk(void **state)
{
	fx *f = *state;
	size_t cap = 300 * 1024, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text, cap, HEADER);
	while (len + 64 < cap)
		len += (size_t)snprintf(text + len, cap - len, "MAIN,MS-200,,1,FI,,a memo to make the file longer\n");
	put_n(f, text, len);
	free(text);
	seen_rows s = {0};
	iv_upload_opts o = opts_for(f, IV_RULE_DELTA);
	o.on_progress = on_progress;
	o.ctx = &s;
	expect_ok(f, iv_upload(f->db, &o, &f->res));
	assert_int_equal(s.last_done, len);
	assert_int_equal(s.total, len);
	assert_true(s.progress_calls >= (int)(len / (64 * 1024)));
}

/* Many more rows than the writer thread's ring of blocks holds: every
 * row arrives, in order, with its own memo, and the chain verifies. */
static void test_large_upload_crosses_the_writers_blocks(void **state)
{
	fx *f = *state;
	enum { ROWS = 20011 };
	size_t cap = (size_t)ROWS * 64 + 256, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text, cap, HEADER);
	for (int k = 0; k < ROWS; k++)
		len += (size_t)snprintf(text + len, cap - len, "MAIN,MS-200,,%d,FI,,row %d\n", k % 2 ? -1 : 2, k);
	put_n(f, text, len);
	free(text);
	uint64_t before = ledger_rows(f);
	iv_qty was = net(f, "MAIN", "MS-200");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(f->res.posted, ROWS);
	assert_int_equal(ledger_rows(f), before + ROWS);
	assert_int_equal(net(f, "MAIN", "MS-200"), was + (ROWS + 1) / 2 * 2 - ROWS / 2);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, (int64_t)before + 12346, &row), IV_OK);
	assert_string_equal(row.memo, "row 12345");
	assert_int_equal(row.diff, -1);
	assert_int_equal(iv_ledger_get(f->db, (int64_t)before + ROWS, &row), IV_OK);
	assert_string_equal(row.memo, "row 20010");
}

/* ---- duplicates -------------------------------------------------------------- */

static void test_duplicate_refused_unless_allowed(void **state)
{
	fx *f = *state;
	put(f, HEADER "MAIN,MS-200,,5,FI,,\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	int64_t first = f->res.batch_id;
	uint64_t before = ledger_rows(f);
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_CONFLICT);
	char want[64];
	snprintf(want, sizeof want, "already posted as batch %lld", (long long)first);
	assert_non_null(strstr(iv_errmsg(f->db), want));
	assert_int_equal(f->res.duplicate_of, first); /* a front end may offer to post it again */
	assert_int_equal(ledger_rows(f), before);
	iv_upload_opts o = opts_for(f, IV_RULE_DELTA);
	o.allow_duplicate = true;
	expect_ok(f, iv_upload(f->db, &o, &f->res));
	assert_int_equal(net(f, "MAIN", "MS-200"), 10);
}

/* A reversed upload may be posted again: its batch no longer counts. */
static void test_reversed_batch_may_be_posted_again(void **state)
{
	fx *f = *state;
	put(f, HEADER "MAIN,MS-200,,5,FI,,\n");
	expect_ok(f, upload(f, IV_RULE_DELTA));
	int64_t first = f->res.batch_id;
	iv_upload_result rev;
	if (iv_reverse_batch(f->db, first, NULL, NULL, (iv_approval){0}, &rev) != IV_OK)
		fail_msg("reverse: %s", iv_errmsg(f->db));
	assert_int_equal(net(f, "MAIN", "MS-200"), 0);
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_true(f->res.batch_id != first);
	assert_int_equal(net(f, "MAIN", "MS-200"), 5);
}

/* ---- Sync preview and commit -------------------------------------------------- */

static void test_sync_preview_conflict(void **state)
{
	fx *f = *state;
	put(f, HEADER "MAIN,MS-200,,5,CC,,\nMAIN,KB-100,,120,CC,,\n");
	iv_upload_opts o = opts_for(f, IV_RULE_SYNC);
	iv_upload_plan *plan;
	assert_int_equal(iv_upload_prepare(f->db, &o, &f->res, &plan), IV_OK);
	assert_int_equal(f->res.posted, 2);
	assert_int_equal(f->res.batch_id, 0);
	/* Another terminal moves KB-100 meanwhile. */
	iv_db *other;
	assert_int_equal(iv_open(f->db_path, IV_OPEN_EXISTING, &other), IV_OK);
	assert_int_equal(iv_login(other, "admin", "0000"), IV_OK);
	adjust(other, "MAIN", "KB-100", "-3", NULL);
	iv_close(other);
	uint64_t before = ledger_rows(f);
	assert_int_equal(iv_upload_commit(f->db, plan, &f->res), IV_E_CONFLICT);
	assert_int_equal(f->res.refused, 1);
	assert_int_equal(f->res.errors[0].line, 3);
	assert_non_null(strstr(f->res.errors[0].message,
	                       "Net Available of store MAIN, item KB-100 was 100 in the preview and is now 97"));
	assert_non_null(strstr(iv_errmsg(f->db), "preview again"));
	assert_int_equal(ledger_rows(f), before);
	assert_int_equal(net(f, "MAIN", "KB-100"), 97);
	iv_upload_plan_free(plan);
	/* Previewed again, it commits. */
	assert_int_equal(iv_upload_prepare(f->db, &o, &f->res, &plan), IV_OK);
	expect_ok(f, iv_upload_commit(f->db, plan, &f->res));
	assert_int_equal(net(f, "MAIN", "KB-100"), 120);
	iv_upload_plan_free(plan);
}

static void test_commit_refused_when_file_changed(void **state)
{
	fx *f = *state;
	put(f, HEADER "MAIN,MS-200,,5,CC,,\n");
	iv_upload_opts o = opts_for(f, IV_RULE_SYNC);
	iv_upload_plan *plan;
	assert_int_equal(iv_upload_prepare(f->db, &o, &f->res, &plan), IV_OK);
	put(f, HEADER "MAIN,MS-200,,6,CC,,\n");
	assert_int_equal(iv_upload_commit(f->db, plan, &f->res), IV_E_CONFLICT);
	assert_non_null(strstr(iv_errmsg(f->db), "changed since the preview"));
	assert_int_equal(net(f, "MAIN", "MS-200"), 0);
	iv_upload_plan_free(plan);
	/* A preview with refused rows gives no plan. */
	put(f, HEADER "MAIN,NOPE,,5,CC,,\n");
	assert_int_equal(iv_upload_prepare(f->db, &o, &f->res, &plan), IV_E_NOT_FOUND);
	assert_null(plan);
}

/* ---- CSV as spreadsheets write it ------------------------------------------- */

static void test_csv_edge_cases(void **state)
{
	fx *f = *state;
	const char text[] = "\xEF\xBB\xBF" "StoreCode,ItemNumber,ItemIdentifierCode,Qty,ReasonCode,TransactionDate,Memo\r\n"
	                    "MAIN,MS-200,,1,FI,,\"a, b\"\r\n"
	                    "MAIN,MS-200,,2,FI,,\"say \"\"hi\"\"\"\r\n"
	                    "MAIN,MS-200,,3,FI,,\"two\r\nlines\"\r\n"
	                    " MAIN , 00042 ,4, 4 ,FI,,\r\n"
	                    ",,,,,,\r\n"
	                    "\r\n\r\n";
	put_n(f, text, sizeof text - 1);
	expect_ok(f, upload(f, IV_RULE_DELTA));
	assert_int_equal(f->res.rows, 4);
	assert_int_equal(net(f, "MAIN", "MS-200"), 6);
	assert_int_equal(net(f, "MAIN", "CB-0042"), 4);
	iv_ledger_row row;
	assert_int_equal(iv_ledger_get(f->db, 2, &row), IV_OK);
	assert_string_equal(row.memo, "a, b");
	assert_int_equal(iv_ledger_get(f->db, 3, &row), IV_OK);
	assert_string_equal(row.memo, "say \"hi\"");
	assert_int_equal(iv_ledger_get(f->db, 4, &row), IV_OK);
	assert_string_equal(row.memo, "two\r\nlines");
}

/* A malformed file is refused naming the line; nothing is posted. */
static void malformed(void **state, const char *text, size_t n, uint64_t line, const char *what)
{
	fx *f = *state;
	put_n(f, text, n);
	assert_int_equal(upload(f, IV_RULE_DELTA), IV_E_INVALID);
	assert_int_equal(ledger_rows(f), 1);
	assert_true(f->res.nerrors >= 1);
	const iv_upload_error *e = &f->res.errors[f->res.nerrors - 1];
	assert_int_equal(e->line, line);
	if (!strstr(e->message, what))
		fail_msg("message \"%s\" lacks \"%s\"", e->message, what);
	char *errs = read_text(f->errors);
	assert_non_null(errs);
	assert_non_null(strstr(errs, what));
	free(errs);
}

static void test_malformed_unterminated_quote(void **state)
{
	static const char t[] = HEADER "MAIN,MS-200,,1,FI,,ok\nMAIN,MS-200,,1,FI,,\"never closed\nMAIN,MS-200,,1,FI,,\n";
	malformed(state, t, sizeof t - 1, 3, "line 3");
}

static void test_malformed_nul_byte(void **state)
{
	static const char t[] = HEADER "MAIN,MS-200,,1,FI,,\nMAIN,MS\0-200,,1,FI,,\n";
	malformed(state, t, sizeof t - 1, 3, "line 3");
}

static void test_malformed_invalid_utf8(void **state)
{
	static const char t[] = HEADER "MAIN,MS-200,,1,FI,,\nMAIN,MS-200,,1,FI,,caf\xE9\n";
	malformed(state, t, sizeof t - 1, 3, "line 3");
}

static void test_malformed_field_count(void **state)
{
	static const char t[] = HEADER "MAIN,MS-200,,1,FI,,\nMAIN,MS-200,1,FI\n";
	malformed(state, t, sizeof t - 1, 3, "4 fields where the header has 7");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_rule_names),
		T(test_seed_delta_minus_one),
		T(test_seed_sync_110_and_90),
		T(test_sync_unchanged_posts_nothing),
		T(test_batch_sha256),
		T(test_header_any_order_and_case),
		T(test_header_unknown_columns),
		T(test_header_missing_mandatory),
		T(test_identifier_codes),
		T(test_refuse_store_blank),
		T(test_refuse_store_unknown),
		T(test_refuse_item_blank),
		T(test_refuse_item_unknown),
		T(test_refuse_item_other_kind),
		T(test_refuse_identifier_code),
		T(test_refuse_upc_scientific),
		T(test_refuse_leading_zeros),
		T(test_refuse_upc_leading_zeros),
		T(test_refuse_qty_blank),
		T(test_refuse_qty_not_number),
		T(test_refuse_qty_fraction),
		T(test_refuse_qty_zero_delta),
		T(test_refuse_qty_too_big),
		T(test_refuse_reason_blank),
		T(test_refuse_reason_unknown),
		T(test_refuse_date_invalid),
		T(test_refuse_date_future),
		T(test_refuse_negative_stock),
		T(test_refuse_sync_negative),
		T(test_refuse_sync_backdated),
		T(test_refuse_sync_twice),
		T(test_refuse_field_count),
		T(test_refuse_field_count_short),
		T(test_refuse_memo_too_long),
		T(test_error_messages_unquoted),
		T(test_default_reason_and_date),
		T(test_all_or_nothing_999_good_1_bad),
		T(test_first_errors_kept_all_in_file),
		T(test_errors_path),
		T(test_template_file_never_clobbers),
		T(test_earlier_rows_of_the_file_count),
		T(test_codes_match_in_any_case),
		T(test_backdated_delta_later_day_negative),
		T(test_backdated_against_file_rows),
		T(test_spilled_dates_still_count),
		T(test_spilled_dates_still_need_approval),
		T(test_approval_threshold),
		T(test_preview_counts_rows_needing_approval),
		T(test_dry_run_needs_no_login_posts_nothing),
		T(test_progress_every_chunk),
		T(test_large_upload_crosses_the_writers_blocks),
		T(test_duplicate_refused_unless_allowed),
		T(test_reversed_batch_may_be_posted_again),
		T(test_sync_preview_conflict),
		T(test_commit_refused_when_file_changed),
		T(test_csv_edge_cases),
		T(test_malformed_unterminated_quote),
		T(test_malformed_nul_byte),
		T(test_malformed_invalid_utf8),
		T(test_malformed_field_count),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
