/* The streaming CSV reader and writer (see csv.h for the contract).
 *
 * The reader is a small state machine run over a fixed read buffer, so
 * a record may be split across any number of fread() chunks and memory
 * stays bounded by the longest record.  The hot loops scan runs of plain
 * bytes with a table lookup and copy each run into the record buffer
 * with one memcpy: an upload of a million rows must parse in well under
 * a second, so there is no per-byte call through stdio and no per-field
 * allocation.  Fields are NUL-terminated in the one record buffer and
 * handed out as pointers into it.
 *
 * Policy choices beyond RFC 4180, made for files that spreadsheets write
 * and clerks edit:
 *  - CR LF, LF and a lone CR (old Mac Excel) all end a line; a CR LF
 *    counts as one physical line.
 *  - A quote inside an unquoted field (12" pipe) is taken literally, as
 *    spreadsheets read it; only text after a *closing* quote is refused,
 *    because there the writer's intent is ambiguous.
 *  - Once the reader has reported an error it stays in error: a CSV
 *    parser cannot reliably resynchronise after a bad quote. */
#include "invadj/csv.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CSV_BUF_SIZE (64u * 1024u)
#define CSV_REC_INITIAL 4096u

enum csv_state {
	ST_REC_START,   /* between records: blank lines are skipped here */
	ST_FIELD_START, /* at the first byte of a field */
	ST_UNQUOTED,    /* inside an unquoted field */
	ST_QUOTED,      /* inside a quoted field */
	ST_QUOTE_SEEN,  /* just after a quote inside a quoted field */
};

struct csv_reader {
	FILE *in;
	unsigned char *buf; /* CSV_BUF_SIZE bytes */
	size_t len;         /* bytes held in buf */
	size_t pos;         /* next byte to look at */
	uint64_t base;      /* input offset of buf[0] */
	unsigned char prev_tail; /* last byte of the previous chunk (CR LF split) */
	bool started;       /* the first chunk (and its BOM) has been read */
	bool at_eof;
	bool failed;        /* an error was reported; it is sticky */

	enum csv_state st;
	uint64_t line;       /* physical line of buf[pos] */
	uint64_t rec_line;   /* physical line where the current record began */
	uint64_t quote_line; /* where the current quoted field opened */

	/* A multi-byte UTF-8 sequence may straddle two chunks, so the
	 * validator keeps its state here: how many continuation bytes are
	 * still owed, and the allowed range of the next one (narrower than
	 * 80..BF right after some lead bytes, which is how overlongs,
	 * surrogates and code points past U+10FFFF are refused). */
	unsigned u8_need;
	unsigned char u8_lo, u8_hi;
	unsigned char u8_lead; /* first byte of the sequence, for the message */
	uint64_t u8_at;        /* and its input offset */

	char *rec; /* field bytes, each field NUL-terminated */
	size_t rec_len, rec_cap;
	size_t nfields;
	size_t off[CSV_MAX_FIELDS];  /* field starts in rec, while rec may move */
	char *field[CSV_MAX_FIELDS]; /* the same as pointers, once the record is whole */

	char err[256];
};

/* Byte classes.  Bit 1: ends a run inside an unquoted field; bit 2:
 * ends a run inside a quoted field.  Every byte >= 0x80 ends a run in
 * both, so it goes through the UTF-8 validator. */
#define UNQ 1u
#define QUO 2u
#define HI2 (UNQ | QUO), (UNQ | QUO)
#define HI8 HI2, HI2, HI2, HI2
#define HI32 HI8, HI8, HI8, HI8
#define HI128 HI32, HI32, HI32, HI32
static const unsigned char byte_class[256] = {
	[0] = UNQ | QUO,
	['\n'] = UNQ | QUO,
	['\r'] = UNQ | QUO,
	[','] = UNQ,
	['"'] = QUO,
	[0x80] = HI128,
};

csv_reader *csv_open(FILE *in)
{
	if (!in)
		return NULL;
	csv_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->buf = malloc(CSV_BUF_SIZE);
	r->rec = malloc(CSV_REC_INITIAL);
	if (!r->buf || !r->rec) {
		free(r->buf);
		free(r->rec);
		free(r);
		return NULL;
	}
	r->rec_cap = CSV_REC_INITIAL;
	r->in = in;
	r->line = 1;
	r->rec_line = 1;
	return r;
}

void csv_close(csv_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r->rec);
	free(r);
}

uint64_t csv_line(const csv_reader *r)
{
	return r->rec_line;
}

uint64_t csv_offset(const csv_reader *r)
{
	return r->base + r->pos;
}

const char *csv_error(const csv_reader *r)
{
	return r->err[0] ? r->err : "no error";
}

/* Records the error sentence and makes the reader sticky-failed. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static csv_result fail(csv_reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	r->failed = true;
	return CSV_ERROR;
}

/* Names the first byte of the faulty sequence (the é of a Latin-1
 * "café"), not the byte where the fault showed, which may be the line
 * end that cut the sequence short. */
static csv_result fail_utf8(csv_reader *r, bool at_end)
{
	/* UTF-16 files begin with FF FE or FE FF; say so, since "invalid
	 * UTF-8" would not tell the clerk what to do. */
	if (r->u8_at == 0 && (r->u8_lead == 0xFF || r->u8_lead == 0xFE))
		return fail(r, "line 1: the file is UTF-16 text; save it as \"CSV UTF-8\"");
	if (at_end)
		return fail(r, "line %" PRIu64 ": invalid UTF-8: the file ends inside a "
		            "multi-byte character", r->line);
	return fail(r, "line %" PRIu64 ": invalid UTF-8 (byte 0x%02X at offset %" PRIu64
	            "); save the file as \"CSV UTF-8\"", r->line, r->u8_lead, r->u8_at);
}

/* Reads the next chunk.  Returns 1 with data, 0 at end of input, -1 on
 * a read error (already reported).  The very first read skips a UTF-8
 * byte-order mark; it insists on three bytes (or the end) first, since
 * fread from a pipe may return fewer. */
static int fill(csv_reader *r)
{
	if (r->len > 0)
		r->prev_tail = r->buf[r->len - 1];
	r->base += r->len;
	r->len = 0;
	r->pos = 0;
	if (r->at_eof)
		return 0;
	size_t want = CSV_BUF_SIZE;
	do {
		size_t got = fread(r->buf + r->len, 1, want - r->len, r->in);
		r->len += got;
		if (got == 0)
			break;
	} while (!r->started && r->len < 3);
	if (r->len == 0 || r->len < want) {
		if (ferror(r->in)) {
			int e = errno;
			fail(r, "line %" PRIu64 ": read error: %s", r->line,
			     e ? strerror(e) : "I/O error");
			return -1;
		}
	}
	if (!r->started) {
		r->started = true;
		if (r->len >= 3 && r->buf[0] == 0xEF && r->buf[1] == 0xBB && r->buf[2] == 0xBF)
			r->pos = 3;
	}
	if (r->len == 0) {
		r->at_eof = true;
		return 0;
	}
	return r->pos < r->len ? 1 : fill(r);
}

/* Copies n field bytes into the record buffer, growing it by doubling
 * up to the record limit. */
static bool rec_append(csv_reader *r, const unsigned char *s, size_t n)
{
	if (n > CSV_MAX_RECORD - r->rec_len) {
		if (r->st == ST_QUOTED)
			fail(r, "line %" PRIu64 ": record longer than %u bytes (the quote opened "
			     "on line %" PRIu64 " is probably never closed)", r->rec_line,
			     CSV_MAX_RECORD, r->quote_line);
		else
			fail(r, "line %" PRIu64 ": record longer than %u bytes", r->rec_line,
			     CSV_MAX_RECORD);
		return false;
	}
	if (r->rec_len + n + 1 > r->rec_cap) {
		size_t cap = r->rec_cap;
		while (r->rec_len + n + 1 > cap)
			cap *= 2;
		char *p = realloc(r->rec, cap);
		if (!p) {
			fail(r, "line %" PRIu64 ": out of memory", r->line);
			return false;
		}
		r->rec = p;
		r->rec_cap = cap;
	}
	memcpy(r->rec + r->rec_len, s, n);
	r->rec_len += n;
	return true;
}

/* Terminates the current field.  The NUL counts toward the record limit
 * like the separator it replaces. */
static bool end_field(csv_reader *r)
{
	static const unsigned char nul = 0;
	if (!rec_append(r, &nul, 1))
		return false;
	r->nfields++;
	return true;
}

static void begin_field(csv_reader *r)
{
	r->off[r->nfields] = r->rec_len;
}

/* After a comma: one more field follows, if there is room for it. */
static bool next_field(csv_reader *r)
{
	if (!end_field(r))
		return false;
	if (r->nfields == CSV_MAX_FIELDS) {
		fail(r, "line %" PRIu64 ": more than %d fields in one record", r->line,
		     CSV_MAX_FIELDS);
		return false;
	}
	r->st = ST_FIELD_START;
	begin_field(r);
	return true;
}

static csv_result finish_record(csv_reader *r, char ***fields, size_t *nfields)
{
	if (!end_field(r))
		return CSV_ERROR;
	for (size_t i = 0; i < r->nfields; i++)
		r->field[i] = r->rec + r->off[i];
	*fields = r->field;
	*nfields = r->nfields;
	r->st = ST_REC_START;
	return CSV_RECORD;
}

/* Counts a line break at p.  A LF right after a CR (possibly the last
 * byte of the previous chunk) belongs to the same break. */
static void count_break(csv_reader *r, const unsigned char *p)
{
	if (*p == '\r') {
		r->line++;
	} else {
		unsigned char prev = p > r->buf ? p[-1] : r->prev_tail;
		if (prev != '\r')
			r->line++;
	}
}

/* Validates UTF-8 starting at *pp: either a lead byte (>= 0x80) or the
 * continuation bytes still owed from the previous chunk.  Consumes the
 * whole sequence, or as much of it as the chunk holds. */
static bool utf8_take(csv_reader *r, const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	if (r->u8_need == 0) {
		unsigned char c = *p;
		r->u8_lead = c;
		r->u8_at = r->base + (uint64_t)(p - r->buf);
		r->u8_lo = 0x80;
		r->u8_hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF) {
			r->u8_need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			r->u8_need = 2;
			if (c == 0xE0)
				r->u8_lo = 0xA0; /* below is an overlong 3-byte form */
			else if (c == 0xED)
				r->u8_hi = 0x9F; /* above are the UTF-16 surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			r->u8_need = 3;
			if (c == 0xF0)
				r->u8_lo = 0x90; /* overlong 4-byte form */
			else if (c == 0xF4)
				r->u8_hi = 0x8F; /* past U+10FFFF */
		} else {
			/* C0, C1: overlong 2-byte; F5..FF: never valid; 80..BF: a
			 * continuation byte without a lead. */
			*pp = p;
			return false;
		}
		p++;
	}
	while (r->u8_need > 0 && p < end) {
		if (*p < r->u8_lo || *p > r->u8_hi) {
			*pp = p;
			return false;
		}
		r->u8_lo = 0x80;
		r->u8_hi = 0xBF;
		r->u8_need--;
		p++;
	}
	*pp = p;
	return true;
}

/* Scans field content from *pp up to the first byte whose class has
 * `stop` set and is not UTF-8 or (in a quoted field) a line break,
 * appending the run to the record.  Returns false on an error (already
 * reported). */
static bool scan_run(csv_reader *r, const unsigned char **pp, const unsigned char *end,
                     unsigned stop)
{
	const unsigned char *p = *pp;
	const unsigned char *run = p;
	bool ok = true;
	if (r->u8_need > 0 && !utf8_take(r, &p, end))
		ok = false;
	while (ok && p < end) {
		while (p < end && !(byte_class[*p] & stop))
			p++;
		if (p == end)
			break;
		if (*p >= 0x80) {
			if (!utf8_take(r, &p, end))
				ok = false;
		} else if (stop == QUO && (*p == '\n' || *p == '\r')) {
			count_break(r, p); /* a line break inside quotes is data */
			p++;
		} else {
			break;
		}
	}
	if (!ok) {
		r->pos = (size_t)(p - r->buf);
		fail_utf8(r, false);
		return false;
	}
	*pp = p;
	return rec_append(r, run, (size_t)(p - run));
}

csv_result csv_next(csv_reader *r, char ***fields, size_t *nfields)
{
	if (r->failed)
		return CSV_ERROR;
	r->rec_len = 0;
	r->nfields = 0;
	r->st = ST_REC_START;
	for (;;) {
		if (r->pos == r->len) {
			int got = fill(r);
			if (got < 0)
				return CSV_ERROR;
			if (got == 0) {
				if (r->u8_need > 0)
					return fail_utf8(r, true);
				switch (r->st) {
				case ST_REC_START:
					return CSV_END;
				case ST_QUOTED:
					return fail(r, "line %" PRIu64 ": unterminated quoted field "
					            "(a quote opened on line %" PRIu64 " is never closed)",
					            r->rec_line, r->quote_line);
				case ST_FIELD_START:
				case ST_UNQUOTED:
				case ST_QUOTE_SEEN:
					return finish_record(r, fields, nfields);
				}
			}
		}
		const unsigned char *p = r->buf + r->pos;
		const unsigned char *end = r->buf + r->len;
		switch (r->st) {
		case ST_REC_START:
			while (p < end && (*p == '\n' || *p == '\r')) {
				count_break(r, p);
				p++;
			}
			r->pos = (size_t)(p - r->buf);
			if (p == end)
				continue;
			r->rec_line = r->line;
			r->st = ST_FIELD_START;
			begin_field(r);
			continue;
		case ST_FIELD_START:
			if (*p == '"') {
				r->quote_line = r->line;
				r->st = ST_QUOTED;
				r->pos++;
			} else {
				r->st = ST_UNQUOTED;
			}
			continue;
		case ST_UNQUOTED:
			if (!scan_run(r, &p, end, UNQ))
				return CSV_ERROR;
			r->pos = (size_t)(p - r->buf);
			if (p == end)
				continue;
			r->pos++;
			if (*p == ',') {
				if (!next_field(r))
					return CSV_ERROR;
				continue;
			}
			if (*p == '\n' || *p == '\r') {
				count_break(r, p);
				return finish_record(r, fields, nfields);
			}
			r->pos--;
			return fail(r, "line %" PRIu64 ": NUL byte in the data (is the file UTF-16 "
			            "or binary? save it as \"CSV UTF-8\")", r->line);
		case ST_QUOTED:
			if (!scan_run(r, &p, end, QUO))
				return CSV_ERROR;
			r->pos = (size_t)(p - r->buf);
			if (p == end)
				continue;
			if (*p == '"') {
				r->st = ST_QUOTE_SEEN;
				r->pos++;
				continue;
			}
			return fail(r, "line %" PRIu64 ": NUL byte in the data (is the file UTF-16 "
			            "or binary? save it as \"CSV UTF-8\")", r->line);
		case ST_QUOTE_SEEN:
			if (*p == '"') {
				/* a doubled quote stands for one quote */
				if (!rec_append(r, p, 1))
					return CSV_ERROR;
				r->st = ST_QUOTED;
				r->pos++;
				continue;
			}
			if (*p == ',') {
				r->pos++;
				if (!next_field(r))
					return CSV_ERROR;
				continue;
			}
			if (*p == '\n' || *p == '\r') {
				r->pos++;
				count_break(r, p);
				return finish_record(r, fields, nfields);
			}
			return fail(r, "line %" PRIu64 ": text after the closing quote of field %zu "
			            "(a quote inside a quoted field must be doubled: \"\")",
			            r->line, r->nfields + 1);
		}
	}
}

/* Spreadsheets trim or mangle unquoted leading/trailing blanks, so those
 * are quoted too.  So is a field beginning with U+FEFF: written first in
 * a file, a reader would take it for a byte-order mark and drop it. */
static bool needs_quotes(const char *s)
{
	if (*s == '\0')
		return false;
	if (*s == ' ' || *s == '\t' || strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		return true;
	size_t n = strlen(s);
	if (s[n - 1] == ' ' || s[n - 1] == '\t')
		return true;
	return strpbrk(s, ",\"\r\n") != NULL;
}

/* A plain decimal number: optional sign, digits, optional fraction.
 * (Not "-2+3", which a spreadsheet computes.) */
static bool is_number(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

bool csv_is_formula(const char *field)
{
	return field && field[0] != '\0' && strchr("=+-@\t\r", field[0]) && !is_number(field);
}

void csv_write_field_as(FILE *out, const char *field, csv_style style)
{
	if (!field)
		field = "";
	/* The apostrophe comes first, inside the quotes if any: the quoting
	 * rule then looks at the cell as written. */
	bool mark = style == CSV_FOR_PEOPLE && csv_is_formula(field);
	if (!(mark ? strpbrk(field, ",\"\r\n") || needs_quotes(field + strlen(field) - 1)
	           : needs_quotes(field))) {
		if (mark)
			putc('\'', out);
		fputs(field, out);
		return;
	}
	putc('"', out);
	if (mark)
		putc('\'', out);
	for (const char *s = field; *s; s++) {
		if (*s == '"')
			putc('"', out);
		putc(*s, out);
	}
	putc('"', out);
}

void csv_write_field(FILE *out, const char *field)
{
	csv_write_field_as(out, field, CSV_EXACT);
}

void csv_write_record_as(FILE *out, const char *const *fields, size_t n, csv_style style)
{
	/* A record of one empty field would be a blank line, which the
	 * reader skips; "" keeps it. */
	if (n == 1 && (!fields[0] || fields[0][0] == '\0')) {
		fputs("\"\"\n", out);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			putc(',', out);
		csv_write_field_as(out, fields[i], style);
	}
	putc('\n', out);
}

void csv_write_record(FILE *out, const char *const *fields, size_t n)
{
	csv_write_record_as(out, fields, n, CSV_EXACT);
}
