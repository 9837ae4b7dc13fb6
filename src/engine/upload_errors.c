/* The error file: the refused rows as they were, with their line and
 * the reason, so that the user can fix them in the spreadsheet and
 * upload them again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/upload_internal.h"
#include "invadj/csv.h"

static void default_path(char *out, size_t size, const char *input)
{
	size_t n = strlen(input);
	const char *slash = strrchr(input, '/');
	const char *dot = strrchr(input, '.');
	if (dot && (!slash || dot > slash + 1))
		n = (size_t)(dot - input); /* counts.csv -> counts.errors.csv */
	snprintf(out, size, "%.*s.errors.csv", (int)n, input);
}

iv_status upload_errfile_init(iv_db *db, upload_errfile *e, const char *input, const char *given,
                              char **header, size_t ncols)
{
	memset(e, 0, sizeof *e);
	if (given && *given)
		snprintf(e->path, sizeof e->path, "%s", given);
	else
		default_path(e->path, sizeof e->path, input);
	struct stat a, b;
	if (stat(input, &a) == 0 && stat(e->path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return iv_fail(db, IV_E_INVALID,
		               "Errors: %s is the file being uploaded; name another file for the errors",
		               e->path);
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

static bool open_file(upload_errfile *e)
{
	if (e->f || e->failed)
		return e->f != NULL;
	e->f = fopen(e->path, "w");
	if (!e->f) {
		e->failed = true;
		return false;
	}
	for (size_t c = 0; c < e->ncols; c++) {
		csv_write_field(e->f, e->header[c]);
		fputc(',', e->f);
	}
	fputs("Line,Error\n", e->f);
	return true;
}

void upload_errfile_add(upload_errfile *e, char *const *fields, size_t n, uint64_t line,
                        const char *message)
{
	if (!open_file(e))
		return;
	for (size_t c = 0; c < e->ncols; c++) {
		csv_write_field(e->f, c < n ? fields[c] : "");
		fputc(',', e->f);
	}
	fprintf(e->f, "%llu,", (unsigned long long)line);
	csv_write_field(e->f, message);
	fputc('\n', e->f);
}

bool upload_errfile_close(upload_errfile *e)
{
	if (!e->f)
		return false;
	bool ok = !ferror(e->f);
	if (fclose(e->f) != 0)
		ok = false;
	e->f = NULL;
	if (!ok)
		e->failed = true;
	return ok;
}

void upload_errfile_free(upload_errfile *e)
{
	if (e->f)
		fclose(e->f);
	e->f = NULL;
	for (size_t c = 0; e->header && c < e->ncols; c++)
		free(e->header[c]);
	free(e->header);
	e->header = NULL;
}
