/* Unit tests of the CSV reader and writer (include/invadj/csv.h).
 *
 * Most tests feed bytes through parse() below, which renders every
 * record as [field|field] and ends with END or "ERROR <message>", so a
 * test states the whole expected outcome in one string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "invadj/csv.h"

#define CHUNK (64u * 1024u) /* the reader's fread size, for boundary tests */

/* A growable string for rendering parse results. */
typedef struct sbuf {
	char *s;
	size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (b->len + n + 1 > cap)
			cap *= 2;
		b->s = realloc(b->s, cap);
		assert_non_null(b->s);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Opens n bytes as a FILE: fmemopen for data, a mkstemp file for the
 * empty input (fmemopen refuses size 0 on some libcs). */
static FILE *open_bytes(const void *data, size_t n)
{
	if (n > 0) {
		FILE *f = fmemopen((void *)(uintptr_t)data, n, "r");
		assert_non_null(f);
		return f;
	}
	char path[] = "/tmp/invadj-test-csv-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	FILE *f = fdopen(fd, "r");
	assert_non_null(f);
	return f;
}

/* Writes n bytes to a fresh temporary file, rewound, already unlinked. */
static FILE *temp_file(const void *data, size_t n)
{
	char path[] = "/tmp/invadj-test-csv-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	FILE *f = fdopen(fd, "w+b");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	rewind(f);
	return f;
}

/* Reads every record of f and renders the outcome.  With lines > 0, each
 * record is preceded by its csv_line() - (lines - 1): 1 shows the line
 * itself, 2 discounts one padding line put in front. */
static char *render(FILE *f, int lines)
{
	sbuf b = {0};
	csv_reader *r = csv_open(f);
	assert_non_null(r);
	char **fields;
	size_t n;
	csv_result res;
	while ((res = csv_next(r, &fields, &n)) == CSV_RECORD) {
		char num[32];
		if (lines) {
			snprintf(num, sizeof num, "%llu", (unsigned long long)(csv_line(r) - (uint64_t)(lines - 1)));
			sb_str(&b, num);
		}
		sb_str(&b, "[");
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				sb_str(&b, "|");
			for (const char *p = fields[i]; *p; p++) {
				if (*p == '\r')
					sb_str(&b, "\\r");
				else if (*p == '\n')
					sb_str(&b, "\\n");
				else
					sb_add(&b, p, 1);
			}
		}
		sb_str(&b, "]");
	}
	if (res == CSV_END) {
		sb_str(&b, "END");
		/* the end is stable */
		assert_int_equal(csv_next(r, &fields, &n), CSV_END);
	} else {
		assert_int_equal(res, CSV_ERROR);
		sb_str(&b, "ERROR ");
		sb_str(&b, csv_error(r));
		/* errors are sticky: the reader cannot resynchronise */
		assert_int_equal(csv_next(r, &fields, &n), CSV_ERROR);
	}
	csv_close(r);
	fclose(f);
	return b.s;
}

static char *parse_n(const char *data, size_t n)
{
	return render(open_bytes(data, n), 0);
}

static char *parse(const char *data)
{
	return parse_n(data, strlen(data));
}

static char *parse_lines(const char *data)
{
	return render(open_bytes(data, strlen(data)), 1);
}

#define EXPECT(input, want)                            \
	do {                                               \
		char *got_ = parse(input);                     \
		assert_string_equal(got_, (want));             \
		free(got_);                                    \
	} while (0)

#define EXPECT_N(input, len, want)                     \
	do {                                               \
		char *got_ = parse_n((input), (len));          \
		assert_string_equal(got_, (want));             \
		free(got_);                                    \
	} while (0)

#define EXPECT_LINES(input, want)                      \
	do {                                               \
		char *got_ = parse_lines(input);               \
		assert_string_equal(got_, (want));             \
		free(got_);                                    \
	} while (0)

/* ---- well-formed input ------------------------------------------------ */

static void test_simple_lf(void **state)
{
	(void)state;
	EXPECT("a,b,c\n1,2,3\n", "[a|b|c][1|2|3]END");
}

static void test_crlf_and_cr(void **state)
{
	(void)state;
	EXPECT("a,b\r\nc,d\r\n", "[a|b][c|d]END");
	EXPECT("a,b\rc,d\r", "[a|b][c|d]END");        /* old Mac line ends */
	EXPECT("a\r\nb\nc\rd", "[a][b][c][d]END");      /* mixed */
}

static void test_no_final_newline(void **state)
{
	(void)state;
	EXPECT("a,b", "[a|b]END");
	EXPECT("x\na,b", "[x][a|b]END");
	EXPECT("\"q\"", "[q]END");
	EXPECT("a,", "[a|]END");
}

static void test_empty_input(void **state)
{
	(void)state;
	EXPECT_N("", 0, "END");
	EXPECT("\n", "END");
	EXPECT("\r\n\r\n\n\r", "END");
}

static void test_empty_fields(void **state)
{
	(void)state;
	EXPECT("a,,b\n", "[a||b]END");
	EXPECT(",\n", "[|]END");
	EXPECT(",,\n", "[||]END");
	EXPECT("a,\n", "[a|]END");
	EXPECT("\"\"\n", "[]END");
	EXPECT("\"\",\"\"\n", "[|]END");
	EXPECT(" \n", "[ ]END"); /* a blank is data, not a blank line */
}

static void test_quoted_fields(void **state)
{
	(void)state;
	EXPECT("\"a,b\",c\n", "[a,b|c]END");
	EXPECT("\"say \"\"hi\"\"\"\n", "[say \"hi\"]END");
	EXPECT("\"\"\"\"\n", "[\"]END");
	EXPECT("\"\"\"\"\"\"\n", "[\"\"]END");
	EXPECT("\"two\r\nlines\",x\r\n", "[two\\r\\nlines|x]END"); /* kept verbatim */
	EXPECT("\"lf\nonly\"\n", "[lf\\nonly]END");
	EXPECT("\"cr\ronly\"\n", "[cr\\ronly]END");
	EXPECT("\"\n\n\"\n", "[\\n\\n]END");
	EXPECT("\"a\"\r\n\"b\"\r\n", "[a][b]END");
	EXPECT("\"a\"\r\"b\"", "[a][b]END");
}

static void test_quote_inside_unquoted_is_literal(void **state)
{
	(void)state;
	EXPECT("12\" pipe,3\n", "[12\" pipe|3]END");
	EXPECT("a\"b\"c\n", "[a\"b\"c]END");
	EXPECT(" \"x\",y\n", "[ \"x\"|y]END");
}

static void test_blank_lines_skipped(void **state)
{
	(void)state;
	EXPECT("\n\na\n\n\nb\n\n\n", "[a][b]END");
	EXPECT("a\r\n\r\n\r\nb\r\n\r\n", "[a][b]END");
	EXPECT("a\n\r\n\r\rb\n", "[a][b]END"); /* lines holding only a CR */
}

static void test_bom(void **state)
{
	(void)state;
	EXPECT("\xEF\xBB\xBF" "a,b\n", "[a|b]END");
	EXPECT("\xEF\xBB\xBF", "END");
	EXPECT("\xEF\xBB\xBF\n\n", "END");
	EXPECT("\xEF\xBB\xBF\"q\"\n", "[q]END");
	/* only at the very start: elsewhere U+FEFF is data */
	EXPECT("a\n\xEF\xBB\xBF" "b\n", "[a][\xEF\xBB\xBF" "b]END");
	EXPECT("\xEF\xBB\xBF\xEF\xBB\xBF" "a\n", "[\xEF\xBB\xBF" "a]END");
	/* a truncated BOM is invalid UTF-8, not skipped */
	EXPECT("\xEF\xBB", "ERROR line 1: invalid UTF-8: the file ends inside a multi-byte character");
}

static void test_valid_utf8(void **state)
{
	(void)state;
	EXPECT("caf\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x93\xA6\n", "[caf\xC3\xA9|\xE2\x82\xAC|\xF0\x9F\x93\xA6]END");
	EXPECT("\xC2\x80\n", "[\xC2\x80]END");         /* U+0080, smallest 2-byte */
	EXPECT("\xE0\xA0\x80\n", "[\xE0\xA0\x80]END"); /* U+0800, smallest 3-byte */
	EXPECT("\xED\x9F\xBF\n", "[\xED\x9F\xBF]END"); /* U+D7FF, just below surrogates */
	EXPECT("\xEE\x80\x80\n", "[\xEE\x80\x80]END"); /* U+E000, just above */
	EXPECT("\xEF\xBF\xBF\n", "[\xEF\xBF\xBF]END"); /* U+FFFF */
	EXPECT("\xF0\x90\x80\x80\n", "[\xF0\x90\x80\x80]END"); /* U+10000 */
	EXPECT("\xF4\x8F\xBF\xBF\n", "[\xF4\x8F\xBF\xBF]END"); /* U+10FFFF, the last */
	EXPECT("\"\xC3\xA9,\xC3\xA9\"\n", "[\xC3\xA9,\xC3\xA9]END");
}

static void test_line_numbers(void **state)
{
	(void)state;
	EXPECT_LINES("a\nb\n\nc\n", "1[a]2[b]4[c]END");
	EXPECT_LINES("a\r\nb\r\n\r\nc\r\n", "1[a]2[b]4[c]END");
	EXPECT_LINES("a\rb\r\rc", "1[a]2[b]4[c]END");
	/* a record with line breaks inside quotes spans physical lines */
	EXPECT_LINES("h\n\"x\ny\r\nz\",1\nnext\n", "1[h]2[x\\ny\\r\\nz|1]5[next]END");
	EXPECT_LINES("\n\n\na\n", "4[a]END");
	EXPECT_LINES("\xEF\xBB\xBF" "a\nb\n", "1[a]2[b]END");
}

static void test_offset(void **state)
{
	(void)state;
	const char *text = "ab,c\n\"d\"\n";
	FILE *f = open_bytes(text, strlen(text));
	csv_reader *r = csv_open(f);
	assert_non_null(r);
	assert_int_equal(csv_offset(r), 0);
	char **fields;
	size_t n;
	assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
	assert_int_equal(csv_offset(r), 5);
	assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
	assert_int_equal(csv_offset(r), 9);
	assert_int_equal(csv_next(r, &fields, &n), CSV_END);
	assert_int_equal(csv_offset(r), strlen(text));
	csv_close(r);
	fclose(f);
}

/* Fields stay valid until the next call, even when the record buffer
 * had to grow while the record was read. */
static void test_fields_survive_growth(void **state)
{
	(void)state;
	size_t big = 100000;
	char *text = malloc(big + 16);
	assert_non_null(text);
	memcpy(text, "x,", 2);
	memset(text + 2, 'y', big);
	memcpy(text + 2 + big, ",z\n", 4);
	FILE *f = open_bytes(text, strlen(text));
	csv_reader *r = csv_open(f);
	assert_non_null(r);
	char **fields;
	size_t n;
	assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
	assert_int_equal(n, 3);
	assert_string_equal(fields[0], "x");
	assert_int_equal(strlen(fields[1]), big);
	assert_true(fields[1][0] == 'y' && fields[1][big - 1] == 'y');
	assert_string_equal(fields[2], "z");
	assert_int_equal(csv_next(r, &fields, &n), CSV_END);
	csv_close(r);
	fclose(f);
	free(text);
}

static void test_max_fields(void **state)
{
	(void)state;
	char line[2 * (CSV_MAX_FIELDS + 1) + 2];
	/* exactly CSV_MAX_FIELDS fields: accepted */
	size_t k = 0;
	for (int i = 0; i < CSV_MAX_FIELDS; i++) {
		line[k++] = 'f';
		line[k++] = ',';
	}
	line[k - 1] = '\n';
	line[k] = '\0';
	FILE *f = open_bytes(line, k);
	csv_reader *r = csv_open(f);
	assert_non_null(r);
	char **fields;
	size_t n;
	assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
	assert_int_equal(n, CSV_MAX_FIELDS);
	csv_close(r);
	fclose(f);
	/* one more: refused */
	memcpy(line + k - 1, ",g\n", 4);
	char want[128];
	snprintf(want, sizeof want, "ERROR line 1: more than %d fields in one record", CSV_MAX_FIELDS);
	EXPECT(line, want);
	/* also when the extra field is empty (a trailing comma) */
	line[k + 1] = '\0';
	line[k] = '\n';
	EXPECT(line, want);
}

static char *long_field_record(size_t content, const char *prefix, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	char *s = malloc(pl + content + sl + 1);
	assert_non_null(s);
	memcpy(s, prefix, pl);
	memset(s + pl, 'v', content);
	memcpy(s + pl + content, suffix, sl + 1);
	return s;
}

static void test_record_limit(void **state)
{
	(void)state;
	/* The record buffer holds the field bytes and one terminator per
	 * field, and may hold CSV_MAX_RECORD of them. */
	char *ok = long_field_record(CSV_MAX_RECORD - 1, "", "\n");
	FILE *f = temp_file(ok, strlen(ok));
	csv_reader *r = csv_open(f);
	assert_non_null(r);
	char **fields;
	size_t n;
	assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
	assert_int_equal(n, 1);
	assert_int_equal(strlen(fields[0]), CSV_MAX_RECORD - 1);
	assert_int_equal(csv_next(r, &fields, &n), CSV_END);
	csv_close(r);
	fclose(f);
	free(ok);

	char want[200];
	char *bad = long_field_record(CSV_MAX_RECORD, "a\nb\n", "\n");
	snprintf(want, sizeof want, "[a][b]ERROR line 3: record longer than %u bytes", CSV_MAX_RECORD);
	EXPECT(bad, want);
	free(bad);

	/* a quote never closed runs into the limit: the message says why */
	bad = long_field_record(2 * CSV_MAX_RECORD, "a\n\"", "\n");
	snprintf(want, sizeof want,
	         "[a]ERROR line 2: record longer than %u bytes (the quote opened on line 2 "
	         "is probably never closed)", CSV_MAX_RECORD);
	EXPECT(bad, want);
	free(bad);
}

/* ---- refused input ---------------------------------------------------- */

static void test_unterminated_quote(void **state)
{
	(void)state;
	EXPECT("a\nb\nc\nd\ne\nf\n\"never closed,1\n2\n",
	       "[a][b][c][d][e][f]ERROR line 7: unterminated quoted field "
	       "(a quote opened on line 7 is never closed)");
	EXPECT("\"", "ERROR line 1: unterminated quoted field (a quote opened on line 1 is never closed)");
	EXPECT("\"abc\"\"", "ERROR line 1: unterminated quoted field (a quote opened on line 1 is never closed)");
	/* the record began on line 1; its second field's quote on line 2 */
	EXPECT("\"x\ny\",\"z\n\n",
	       "ERROR line 1: unterminated quoted field (a quote opened on line 2 is never closed)");
}

static void test_text_after_closing_quote(void **state)
{
	(void)state;
	EXPECT("\"a\"b\n", "ERROR line 1: text after the closing quote of field 1 "
	                   "(a quote inside a quoted field must be doubled: \"\")");
	EXPECT("ok\nx,\"a\" ,y\n", "[ok]ERROR line 2: text after the closing quote of field 2 "
	                           "(a quote inside a quoted field must be doubled: \"\")");
	EXPECT("\"a\"\xC3\xA9\n", "ERROR line 1: text after the closing quote of field 1 "
	                          "(a quote inside a quoted field must be doubled: \"\")");
	EXPECT_N("\"a\"\0\n", 5, "ERROR line 1: text after the closing quote of field 1 "
	                    "(a quote inside a quoted field must be doubled: \"\")");
	/* the line is where the text is, after a multi-line field */
	EXPECT("\"a\nb\"c\n", "ERROR line 2: text after the closing quote of field 1 "
	                      "(a quote inside a quoted field must be doubled: \"\")");
}

#define NUL_MSG "NUL byte in the data (is the file UTF-16 or binary? save it as \"CSV UTF-8\")"

static void test_nul_byte(void **state)
{
	(void)state;
	EXPECT_N("a,b\nc\0d\n", 8, "[a|b]ERROR line 2: " NUL_MSG);
	EXPECT_N("\0", 1, "ERROR line 1: " NUL_MSG);
	EXPECT_N("x\n\"q\0\"\n", 7, "[x]ERROR line 2: " NUL_MSG);
	EXPECT_N("\"a\nb\0\"\n", 7, "ERROR line 2: " NUL_MSG);
	/* UTF-16LE without a BOM: the NULs give it away */
	EXPECT_N("a\0,\0b\0", 6, "ERROR line 1: " NUL_MSG);
}

#define U8(line, byte, off)                                                          \
	"ERROR line " #line ": invalid UTF-8 (byte 0x" byte " at offset " #off           \
	"); save the file as \"CSV UTF-8\""

static void test_invalid_utf8(void **state)
{
	(void)state;
	EXPECT("caf\xE9\n", U8(1, "E9", 3));              /* Latin-1 e-acute */
	EXPECT("ok\ncaf\xE9,1\n", "[ok]" U8(2, "E9", 6));
	EXPECT("\x80\n", U8(1, "80", 0));                 /* lone continuation */
	EXPECT("a\xBF\n", U8(1, "BF", 1));
	EXPECT("\xC0\x80\n", U8(1, "C0", 0));             /* overlong NUL */
	EXPECT("\xC1\xBF\n", U8(1, "C1", 0));             /* overlong 2-byte */
	EXPECT("\xE0\x80\x80\n", U8(1, "E0", 0));         /* overlong 3-byte */
	EXPECT("\xE0\x9F\xBF\n", U8(1, "E0", 0));
	EXPECT("\xF0\x80\x80\x80\n", U8(1, "F0", 0));     /* overlong 4-byte */
	EXPECT("\xF0\x8F\xBF\xBF\n", U8(1, "F0", 0));
	EXPECT("\xED\xA0\x80\n", U8(1, "ED", 0));         /* surrogate U+D800 */
	EXPECT("\xED\xBF\xBF\n", U8(1, "ED", 0));         /* surrogate U+DFFF */
	EXPECT("\xF4\x90\x80\x80\n", U8(1, "F4", 0));     /* U+110000 */
	EXPECT("\xF5\x80\x80\x80\n", U8(1, "F5", 0));
	EXPECT("\xF8\x88\x80\x80\x80\n", U8(1, "F8", 0)); /* 5-byte form */
	EXPECT("a\xFF\n", U8(1, "FF", 1));
	EXPECT("x\xC3,\n", U8(1, "C3", 1));               /* cut short by a comma */
	EXPECT("x\xE2\x82\n", U8(1, "E2", 1));            /* cut short by the line end */
	EXPECT("\"\xC3\"\n", U8(1, "C3", 1));             /* cut short by a quote */
	EXPECT("\"\xC3\n\"\n", U8(1, "C3", 1));
	EXPECT("\xC3\xA9\xA9\n", U8(1, "A9", 2));         /* one continuation too many */
	EXPECT("\xE2\x82\xAC\xE2\x28\xA1\n", U8(1, "E2", 3));
	EXPECT("x\xC3", "ERROR line 1: invalid UTF-8: the file ends inside a multi-byte character");
	EXPECT("\"x\xF0\x9F\x93", "ERROR line 1: invalid UTF-8: the file ends inside a multi-byte character");
}

static void test_utf16(void **state)
{
	(void)state;
	EXPECT_N("\xFF\xFE" "a\0", 4, "ERROR line 1: the file is UTF-16 text; save it as \"CSV UTF-8\"");
	EXPECT_N("\xFE\xFF\0a", 4, "ERROR line 1: the file is UTF-16 text; save it as \"CSV UTF-8\"");
}

static void test_io_error(void **state)
{
	(void)state;
	/* Reading a directory fails with EISDIR on Linux. */
	FILE *f = fopen("/", "r");
	assert_non_null(f);
	char *got = render(f, 0);
	assert_non_null(strstr(got, "ERROR line 1: read error: "));
	free(got);
}

static void test_open_null(void **state)
{
	(void)state;
	assert_null(csv_open(NULL));
	csv_close(NULL); /* harmless */
}

/* ---- chunk boundaries ------------------------------------------------- */

/* Every sample is parsed alone and again after a padding line that puts
 * each of its bytes, in turn, at the boundary between two 64 KiB reads.
 * The records, their line numbers and whether it fails must not change. */
static void test_chunk_boundaries(void **state)
{
	(void)state;
	static const char *const samples[] = {
		"a,b\r\nc,d\r\n",
		"\"q,\"\"x\"\"\r\ny\",z\r\n",
		"\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x93\xA6\r\n",
		"\"\xF0\x9F\x93\xA6\"\r\r\n\n",
		"x\r\n\r\n\r\ny\r\n",
		"\"\"\"\"\r\n",
		"caf\xE9\n",
		"\xF0\x9F\x93\n",
		"\"a\"b\n",
		"\"open\r\n",
	};
	for (size_t s = 0; s < sizeof samples / sizeof *samples; s++) {
		const char *smp = samples[s];
		size_t sl = strlen(smp);
		char *alone = parse_lines(smp);
		int alone_err = strstr(alone, "ERROR") != NULL;
		char *alone_end = alone_err ? strstr(alone, "ERROR") : NULL;
		if (alone_end)
			*alone_end = '\0'; /* compare records; line numbers differ */
		for (size_t k = 0; k <= sl; k++) {
			size_t pad = CHUNK - k; /* padding line incl. its LF */
			char *text = malloc(pad + sl + 1);
			assert_non_null(text);
			memset(text, 'p', pad - 1);
			text[pad - 1] = '\n';
			memcpy(text + pad, smp, sl + 1);
			FILE *f = temp_file(text, pad + sl);
			char *got = render(f, 2);
			/* drop the padding record "0[ppp...]" */
			assert_true(got[0] == '0' && got[1] == '[' && got[pad + 1] == ']');
			char *rest = got + pad + 2;
			char *err = strstr(rest, "ERROR");
			assert_int_equal(err != NULL, alone_err);
			if (err)
				*err = '\0';
			assert_string_equal(rest, alone);
			free(got);
			free(text);
		}
		free(alone);
	}
}

/* ---- writer ----------------------------------------------------------- */

static char *write_to_string(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	fn(f, arg);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void write_one(FILE *f, const void *arg)
{
	csv_write_field(f, arg);
}

#define EXPECT_FIELD(in, want)                                    \
	do {                                                          \
		char *got_ = write_to_string(write_one, (in));            \
		assert_string_equal(got_, (want));                        \
		free(got_);                                               \
	} while (0)

static void test_write_field(void **state)
{
	(void)state;
	EXPECT_FIELD("plain", "plain");
	EXPECT_FIELD("", "");
	EXPECT_FIELD("a,b", "\"a,b\"");
	EXPECT_FIELD("say \"hi\"", "\"say \"\"hi\"\"\"");
	EXPECT_FIELD("\"", "\"\"\"\"");
	EXPECT_FIELD("two\nlines", "\"two\nlines\"");
	EXPECT_FIELD("cr\rhere", "\"cr\rhere\"");
	EXPECT_FIELD(" lead", "\" lead\"");
	EXPECT_FIELD("trail ", "\"trail \"");
	EXPECT_FIELD("\ttab", "\"\ttab\"");
	EXPECT_FIELD("tab\t", "\"tab\t\"");
	EXPECT_FIELD("in side", "in side");
	EXPECT_FIELD("caf\xC3\xA9", "caf\xC3\xA9");
	EXPECT_FIELD("-10", "-10");
	/* U+FEFF first would pass for a byte-order mark at a file's start */
	EXPECT_FIELD("\xEF\xBB\xBF" "a", "\"\xEF\xBB\xBF" "a\"");
	EXPECT_FIELD("a\xEF\xBB\xBF", "a\xEF\xBB\xBF");
}

static void write_rec(FILE *f, const void *arg)
{
	const char *const *fields = arg;
	size_t n = 0;
	while (fields[n])
		n++;
	csv_write_record(f, fields, n);
}

static void test_write_record(void **state)
{
	(void)state;
	const char *const r1[] = {"a", "b,c", "", "d\"", NULL};
	char *got = write_to_string(write_rec, r1);
	assert_string_equal(got, "a,\"b,c\",,\"d\"\"\"\n");
	free(got);
	const char *const r2[] = {"", NULL};
	got = write_to_string(write_rec, r2);
	assert_string_equal(got, "\"\"\n"); /* not a blank line */
	free(got);
	const char *const r3[] = {"", "", NULL};
	got = write_to_string(write_rec, r3);
	assert_string_equal(got, ",\n");
	free(got);
	const char *const r4[] = {NULL};
	got = write_to_string(write_rec, r4);
	assert_string_equal(got, "\n");
	free(got);
}

/* What the writer writes, the reader reads back unchanged. */
static void test_round_trip(void **state)
{
	(void)state;
	static const char *const recs[][4] = {
		{"plain", "a,b", "say \"hi\"", NULL},
		{"", NULL, NULL, NULL},
		{"", "", "", NULL},
		{"multi\r\nline", " lead", "trail\t", NULL},
		{"\"", "\"\"", ",", NULL},
		{"caf\xC3\xA9", "\xF0\x9F\x93\xA6", "\r", NULL},
	};
	/* found by fuzz_csv: a first field starting with U+FEFF came back
	 * without it, read as the file's byte-order mark */
	static const char *const first[] = {"\xEF\xBB\xBF", "x", NULL};
	size_t nrec = sizeof recs / sizeof *recs;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	csv_write_record(out, first, 2);
	for (size_t i = 0; i < nrec; i++) {
		size_t n = 0;
		while (n < 4 && recs[i][n])
			n++;
		csv_write_record(out, recs[i], n);
	}
	assert_int_equal(fclose(out), 0);

	FILE *in = open_bytes(buf, len);
	csv_reader *r = csv_open(in);
	assert_non_null(r);
	char **fields;
	size_t n;
	assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
	assert_int_equal(n, 2);
	assert_string_equal(fields[0], first[0]);
	assert_string_equal(fields[1], first[1]);
	for (size_t i = 0; i < nrec; i++) {
		assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
		size_t want = 0;
		while (want < 4 && recs[i][want])
			want++;
		assert_int_equal(n, want);
		for (size_t j = 0; j < n; j++)
			assert_string_equal(fields[j], recs[i][j]);
	}
	assert_int_equal(csv_next(r, &fields, &n), CSV_END);
	csv_close(r);
	fclose(in);
	free(buf);
}

/* ---- volume ----------------------------------------------------------- */

/* 200,000 upload-shaped rows through a real file: every row and field
 * arrives, the line numbers and the offset add up. */
static void test_many_rows(void **state)
{
	(void)state;
	char path[] = "/tmp/invadj-test-csv-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	FILE *f = fdopen(fd, "w+b");
	assert_non_null(f);
	const unsigned rows = 200000;
	fputs("\xEF\xBB\xBFStoreCode,ItemId,Qty,ReasonCode,TransactionDate\r\n", f);
	for (unsigned i = 0; i < rows; i++)
		fprintf(f, "S%03u,ITEM-%07u,%d,DMG,\"03/%02u/2026\"\r\n", i % 50, i, (int)(i % 1001) - 500,
		        i % 28 + 1);
	long size = ftell(f);
	rewind(f);
	csv_reader *r = csv_open(f);
	assert_non_null(r);
	char **fields;
	size_t n;
	assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
	assert_string_equal(fields[0], "StoreCode");
	for (unsigned i = 0; i < rows; i++) {
		assert_int_equal(csv_next(r, &fields, &n), CSV_RECORD);
		assert_int_equal(n, 5);
		assert_int_equal(csv_line(r), i + 2);
		assert_int_equal(atoi(fields[2]), (int)(i % 1001) - 500);
		assert_int_equal((unsigned)atoi(fields[1] + 5), i);
	}
	assert_int_equal(csv_next(r, &fields, &n), CSV_END);
	assert_int_equal(csv_offset(r), (uint64_t)size);
	csv_close(r);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_lf),
		cmocka_unit_test(test_crlf_and_cr),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_empty_fields),
		cmocka_unit_test(test_quoted_fields),
		cmocka_unit_test(test_quote_inside_unquoted_is_literal),
		cmocka_unit_test(test_blank_lines_skipped),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_fields_survive_growth),
		cmocka_unit_test(test_max_fields),
		cmocka_unit_test(test_record_limit),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_io_error),
		cmocka_unit_test(test_open_null),
		cmocka_unit_test(test_chunk_boundaries),
		cmocka_unit_test(test_write_field),
		cmocka_unit_test(test_write_record),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_many_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
