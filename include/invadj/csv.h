/* A streaming RFC 4180 reader, as spreadsheets write CSV.
 *
 * Reads one record at a time from a FILE with constant memory (bounded
 * by the longest record): quoted fields with commas, doubled quotes and
 * line breaks, CRLF, LF or lone CR line ends, a UTF-8 byte-order mark,
 * blank and trailing empty lines.  A quote inside an unquoted field is
 * taken literally (12" pipe).  Refuses, naming the line: an unterminated
 * quote, a NUL byte, invalid UTF-8 (including overlongs, surrogates and
 * code points past U+10FFFF), text after a closing quote, a record of
 * more than CSV_MAX_RECORD field bytes (each field's terminator counted)
 * or more than CSV_MAX_FIELDS fields, a read error.  An error is sticky:
 * later calls return CSV_ERROR again.  Checking that each record has the
 * header's field count is the caller's job. */
#ifndef INVADJ_CSV_H
#define INVADJ_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>

#define CSV_MAX_RECORD (1u << 20) /* 1 MiB per record */
#define CSV_MAX_FIELDS 256

typedef struct csv_reader csv_reader;

typedef enum csv_result {
	CSV_RECORD = 1, /* a record was read */
	CSV_END = 0,    /* end of input; trailing empty lines are skipped */
	CSV_ERROR = -1, /* malformed input or I/O error: see csv_error() */
} csv_result;

/* NULL on allocation failure.  The reader does not close the FILE. */
csv_reader *csv_open(FILE *in);
void csv_close(csv_reader *r);

/* Read the next record.  Blank lines between records are skipped.
 * On CSV_RECORD, *fields points at nfields NUL-terminated strings owned
 * by the reader and valid until the next call. */
csv_result csv_next(csv_reader *r, char ***fields, size_t *nfields);

/* The physical line (1-based) on which the last record began.  CR LF,
 * LF and a lone CR each end one line, inside quotes too. */
uint64_t csv_line(const csv_reader *r);

/* Bytes consumed so far (for progress bars). */
uint64_t csv_offset(const csv_reader *r);

/* After CSV_ERROR: a sentence naming the line and the fault. */
const char *csv_error(const csv_reader *r);

/* Write one field, quoting it when it holds a comma, quote, CR or LF,
 * has leading/trailing blanks, or begins with U+FEFF (which a reader
 * would skip as a byte-order mark at the start of a file). */
void csv_write_field(FILE *out, const char *field);

/* Write a record of n fields and a "\n" line end.  A record of one
 * empty field is written "" so that it is not a blank line. */
void csv_write_record(FILE *out, const char *const *fields, size_t n);

/* CSV meant for people, who open it in a spreadsheet: a cell that the
 * spreadsheet would run as a formula (CSV injection: one beginning with
 * =, +, -, @, TAB or CR, such as =HYPERLINK(...) or @SUM(...)) is
 * written with a leading apostrophe, as OWASP recommends, so that it is
 * shown as text.  A number stays a number: -5 and +1.5 are written as
 * they are.  CSV_EXACT writes every cell as it is (--raw, machines). */
typedef enum csv_style { CSV_EXACT, CSV_FOR_PEOPLE } csv_style;

/* Whether a cell needs the apostrophe (the one rule, used by both
 * writers below). */
bool csv_is_formula(const char *field);
void csv_write_field_as(FILE *out, const char *field, csv_style style);
void csv_write_record_as(FILE *out, const char *const *fields, size_t n, csv_style style);

#endif
