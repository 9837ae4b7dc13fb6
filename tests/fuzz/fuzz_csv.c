/* Fuzzes the CSV reader with arbitrary bytes.  Beyond "no crash, no
 * leak, no undefined behaviour" it checks properties the contract
 * promises:
 *  - every record has 1..CSV_MAX_FIELDS fields, each valid UTF-8
 *    (checked here by decoding code points, independently of csv.c);
 *  - csv_line() never goes backwards and csv_offset() never passes the
 *    input's size, and reaches it at CSV_END;
 *  - an error has a message beginning "line N:";
 *  - what the reader read, the writer writes and the reader reads back
 *    identically (the writer quotes whatever needs it). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invadj/csv.h"
#include "fuzz.h"

/* Decodes UTF-8 strictly: shortest form, no surrogates, <= U+10FFFF. */
static bool valid_utf8(const unsigned char *s)
{
	while (*s) {
		uint32_t cp;
		int n;
		if (*s < 0x80) {
			s++;
			continue;
		} else if ((*s & 0xE0) == 0xC0) {
			cp = *s & 0x1Fu;
			n = 1;
		} else if ((*s & 0xF0) == 0xE0) {
			cp = *s & 0x0Fu;
			n = 2;
		} else if ((*s & 0xF8) == 0xF0) {
			cp = *s & 0x07u;
			n = 3;
		} else {
			return false;
		}
		s++;
		for (int i = 0; i < n; i++, s++) {
			if ((*s & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (*s & 0x3Fu);
		}
		static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};
		if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
	}
	return true;
}

/* The records of one parse, copied out (the reader's pointers die at
 * the next call). */
typedef struct table {
	char **cells; /* all fields, in order */
	size_t *widths; /* fields per record */
	size_t ncells, nrecs;
} table;

static void table_free(table *t)
{
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->widths);
	memset(t, 0, sizeof *t);
}

static void table_add(table *t, char **fields, size_t n)
{
	t->cells = realloc(t->cells, (t->ncells + n) * sizeof *t->cells);
	t->widths = realloc(t->widths, (t->nrecs + 1) * sizeof *t->widths);
	FUZZ_CHECK(t->cells && t->widths);
	for (size_t i = 0; i < n; i++) {
		t->cells[t->ncells + i] = strdup(fields[i]);
		FUZZ_CHECK(t->cells[t->ncells + i]);
	}
	t->ncells += n;
	t->widths[t->nrecs++] = n;
}

/* Parses size bytes into t; returns the final result. */
static csv_result parse(const uint8_t *data, size_t size, table *t, bool check)
{
	FILE *f = fmemopen((void *)(uintptr_t)data, size, "r");
	FUZZ_CHECK(f);
	csv_reader *r = csv_open(f);
	FUZZ_CHECK(r);
	char **fields;
	size_t n;
	csv_result res;
	uint64_t last_line = 0, last_off = 0;
	while ((res = csv_next(r, &fields, &n)) == CSV_RECORD) {
		if (check) {
			FUZZ_CHECK(n >= 1 && n <= CSV_MAX_FIELDS);
			FUZZ_CHECK(csv_line(r) > last_line);
			FUZZ_CHECK(csv_offset(r) >= last_off && csv_offset(r) <= size);
			for (size_t i = 0; i < n; i++)
				FUZZ_CHECK(valid_utf8((const unsigned char *)fields[i]));
		}
		last_line = csv_line(r);
		last_off = csv_offset(r);
		table_add(t, fields, n);
	}
	if (check) {
		if (res == CSV_END) {
			FUZZ_CHECK(csv_offset(r) == size);
		} else {
			FUZZ_CHECK(res == CSV_ERROR);
			FUZZ_CHECK(strncmp(csv_error(r), "line ", 5) == 0);
			FUZZ_CHECK(csv_next(r, &fields, &n) == CSV_ERROR); /* sticky */
		}
	}
	csv_close(r);
	fclose(f);
	return res;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0; /* fmemopen needs a non-empty buffer */
	table first = {0};
	parse(data, size, &first, true);

	/* Round trip whatever records were read before any error. */
	char *out = NULL;
	size_t outlen = 0;
	FILE *w = open_memstream(&out, &outlen);
	FUZZ_CHECK(w);
	size_t cell = 0;
	for (size_t i = 0; i < first.nrecs; i++) {
		csv_write_record(w, (const char *const *)(void *)(first.cells + cell), first.widths[i]);
		cell += first.widths[i];
	}
	FUZZ_CHECK(fclose(w) == 0);
	if (outlen > 0) {
		table second = {0};
		FUZZ_CHECK(parse((const uint8_t *)out, outlen, &second, false) == CSV_END);
		FUZZ_CHECK(second.nrecs == first.nrecs && second.ncells == first.ncells);
		for (size_t i = 0; i < first.nrecs; i++)
			FUZZ_CHECK(second.widths[i] == first.widths[i]);
		for (size_t i = 0; i < first.ncells; i++)
			FUZZ_CHECK(strcmp(second.cells[i], first.cells[i]) == 0);
		table_free(&second);
	} else {
		FUZZ_CHECK(first.nrecs == 0);
	}
	free(out);
	table_free(&first);
	return 0;
}
