/* The error file: the refused rows as they were, with their line and
 * the reason, so that the user can fix them in the spreadsheet and
 * upload them again.  It is CSV for people: cells a spreadsheet would
 * run as formulas are marked (csv_write_field_as), unless --raw.
 *
 * Where it goes (the rule, here only):
 *   --errors FILE        that file, which must not exist;
 *   posting a file       NAME.errors.csv beside it, or the first free
 *                        NAME.errors-2.csv ... when taken (never over a
 *                        file: the old one may be a colleague's);
 *   a dry run, or input from a pipe, "-" or /dev/stdin
 *                        no file: the rows go to the caller's stream
 *                        (the command line's standard error). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/upload_internal.h"
#include "invadj/csv.h"

#define MAX_NUMBERED 99

static void default_path(char *out, size_t size, const char *input, int number)
{
	size_t n = strlen(input);
	const char *slash = strrchr(input, '/');
	const char *dot = strrchr(input, '.');
	if (dot && (!slash || dot > slash + 1))
		n = (size_t)(dot - input); /* counts.csv -> counts.errors.csv */
	if (number > 1)
		snprintf(out, size, "%.*s.errors-%d.csv", (int)n, input, number);
	else
		snprintf(out, size, "%.*s.errors.csv", (int)n, input);
}

iv_status upload_errfile_init(iv_db *db, upload_errfile *e, const iv_upload_opts *o,
                              bool input_is_file, char **header, size_t ncols)
{
	memset(e, 0, sizeof *e);
	e->style = o->raw_errors ? CSV_EXACT : CSV_FOR_PEOPLE;
	if (o->errors_path && *o->errors_path) {
		/* Refused before anything is read: --errors naming the database,
		 * the upload itself or any other file would have written over it. */
		if (strlen(o->errors_path) >= sizeof e->path)
			return iv_fail(db, IV_E_INVALID, "Errors: the file name is too long");
		if (iv_file_exists(o->errors_path))
			return iv_fail(db, IV_E_CONFLICT,
			               "Errors: %s exists; invadj never writes over a file, name a new one",
			               o->errors_path);
		snprintf(e->path, sizeof e->path, "%s", o->errors_path);
		e->where = ERRORS_NAMED;
	} else if (input_is_file && !o->dry_run) {
		snprintf(e->input, sizeof e->input, "%s", o->path);
		default_path(e->path, sizeof e->path, o->path, 1);
		e->where = ERRORS_BESIDE;
	} else {
		e->stream = o->errors_stream;
		e->where = ERRORS_STREAM;
	}
	/* The header is copied: the reader's fields live only until its next record. */
	e->header = calloc(ncols ? ncols : 1, sizeof *e->header);
	if (!e->header)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	e->ncols = ncols;
	for (size_t c = 0; c < ncols; c++)
		if (!(e->header[c] = strdup(header[c])))
			return iv_fail(db, IV_E_NOMEM, "out of memory");
	return IV_OK;
}

/* The output, at the first refused row. */
static FILE *output(upload_errfile *e)
{
	if (e->started || e->failed)
		return e->failed ? NULL : e->where == ERRORS_STREAM ? e->stream : e->file.f;
	e->started = true;
	if (e->where == ERRORS_STREAM) {
		if (!e->stream)
			return NULL;
	} else {
		iv_status rc = iv_outfile_create(&e->file, "Errors", e->path, false);
		for (int k = 2; rc == IV_E_CONFLICT && e->where == ERRORS_BESIDE && k <= MAX_NUMBERED; k++) {
			default_path(e->path, sizeof e->path, e->input, k);
			rc = iv_outfile_create(&e->file, "Errors", e->path, false);
		}
		if (rc != IV_OK) {
			e->failed = true;
			snprintf(e->why, sizeof e->why, "%s", e->file.errmsg);
			return NULL;
		}
	}
	FILE *f = e->where == ERRORS_STREAM ? e->stream : e->file.f;
	for (size_t c = 0; c < e->ncols; c++) {
		csv_write_field_as(f, e->header[c], e->style);
		fputc(',', f);
	}
	fputs("Line,Error\n", f);
	return f;
}

void upload_errfile_add(upload_errfile *e, char *const *fields, size_t n, uint64_t line,
                        const char *message)
{
	FILE *f = output(e);
	if (!f)
		return;
	for (size_t c = 0; c < e->ncols; c++) {
		csv_write_field_as(f, c < n ? fields[c] : "", e->style);
		fputc(',', f);
	}
	fprintf(f, "%llu,", (unsigned long long)line);
	csv_write_field_as(f, message, e->style);
	fputc('\n', f);
}

bool upload_errfile_close(upload_errfile *e)
{
	if (e->where == ERRORS_STREAM) {
		if (e->stream)
			fflush(e->stream);
		return false;
	}
	if (!e->file.f)
		return false;
	if (iv_outfile_finish(&e->file) != IV_OK) {
		e->failed = true;
		snprintf(e->why, sizeof e->why, "%s", e->file.errmsg);
		return false;
	}
	return true;
}

void upload_errfile_free(upload_errfile *e)
{
	if (e->file.f)
		iv_outfile_discard(&e->file);
	for (size_t c = 0; e->header && c < e->ncols; c++)
		free(e->header[c]);
	free(e->header);
	e->header = NULL;
}
