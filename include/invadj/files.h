/* Files invadj writes for people: error files, the upload template,
 * exports, backups.
 *
 * Each is created new (O_CREAT|O_EXCL|O_NOFOLLOW), owner-only (0600
 * whatever the umask), so that a name planted as a symlink in a shared
 * folder (count.errors.csv -> inventory.db) is never written through,
 * and an existing file, the database included, is never written over.
 * Only when the caller says the user confirmed replacing a file is it
 * written to a temporary file in the same folder and renamed over the
 * old one at the end (which replaces a symlink itself, never what it
 * points to). */
#ifndef INVADJ_FILES_H
#define INVADJ_FILES_H

#include <stdbool.h>
#include <stdio.h>

#include "invadj/engine.h"

#define IV_PATH_MAX 4096

typedef struct iv_outfile {
	FILE *f;
	bool replacing;         /* writing to tmp, renamed over path by iv_outfile_finish */
	char path[IV_PATH_MAX];
	char tmp[IV_PATH_MAX + 32];
	char field[32];          /* how messages name the file: "Errors", "Export file" */
	char errmsg[IV_MSG_MAX]; /* why the last call failed */
} iv_outfile;

/* IV_E_CONFLICT, naming the file, when path exists (also as a symlink)
 * and replace is false; IV_E_IO when it cannot be created. */
iv_status iv_outfile_create(iv_outfile *o, const char *field, const char *path, bool replace);
/* Flushes and closes (renaming over the old file when replacing);
 * IV_E_IO and the file removed when anything could not be written. */
iv_status iv_outfile_finish(iv_outfile *o);
/* Closes and removes what was written (an action that failed). */
void iv_outfile_discard(iv_outfile *o);

/* Whether path names an existing file, directory or symlink. */
bool iv_file_exists(const char *path);

/* The sentence of the last failure of a function that has no handle to
 * keep it on (iv_upload_template_file), in this thread. */
const char *iv_file_errmsg(void);

#endif
