/* Batch upload of a CSV count or movement file, and batch reversal.
 *
 * An upload is all or nothing: every row is posted in one transaction
 * under one batch id, or, when any row is refused, nothing is posted and
 * the refused rows go to an error file the user can fix and upload
 * again. */
#ifndef INVADJ_UPLOAD_H
#define INVADJ_UPLOAD_H

#include <stdio.h>

#include "invadj/engine.h"

typedef enum iv_rule {
	IV_RULE_DELTA, /* Qty is the Diff */
	IV_RULE_SYNC,  /* Qty is the new Net Available; Diff = Qty - Net Available */
	IV_RULE_REVERSAL, /* a batch that reverses another (never parsed from input) */
	IV_RULE_COUNT,    /* a posted count's rows (include/invadj/count.h; never parsed from input) */
} iv_rule;

/* "delta" or "sync", any case. */
bool iv_rule_parse(const char *text, iv_rule *out);
const char *iv_rule_name(iv_rule rule);

/* One validated row, as reported to on_row during a dry run. */
typedef struct iv_upload_row {
	uint64_t line;
	char store[IV_CODE_SIZE];
	char item[IV_IDENT_SIZE];
	char reason[IV_CODE_SIZE];
	char tdate[IV_DATE_ISO_LEN];
	iv_qty net_available;
	iv_qty diff;
	iv_qty new_qty;
	bool unchanged; /* Sync row equal to Net Available: posts nothing */
	bool needs_approval; /* |Diff| above the store's approval threshold */
} iv_upload_row;

typedef struct iv_upload_error {
	uint64_t line;      /* physical line where the row begins (the header is line 1) */
	iv_status status;   /* why: IV_E_INVALID, IV_E_NOT_FOUND, IV_E_REFUSED, IV_E_CONFLICT... */
	char message[IV_MSG_MAX]; /* names the column and the reason */
} iv_upload_error;

#define IV_UPLOAD_FIRST_ERRORS 10

typedef struct iv_upload_opts {
	const char *path;           /* "-": standard input */
	iv_rule rule;
	const char *date;           /* for blank TransactionDate; NULL: today */
	const char *default_reason; /* for blank ReasonCode; NULL: none */
	bool dry_run;               /* validate and report, post nothing */
	bool allow_duplicate;       /* post a file whose content was posted before */
	/* Where the refused rows go: errors_path, which must not exist; or
	 * (NULL) NAME.errors.csv beside the input, or the first free
	 * NAME.errors-2.csv ..., when posting a regular file; on a dry run
	 * or for input from a pipe or "-" (standard input) no file is
	 * written and the rows go to errors_stream (NULL: nowhere). */
	const char *errors_path;
	FILE *errors_stream;
	bool raw_errors;            /* cells exactly as read (no formula guard) */
	iv_approval approval;       /* for rows above a store's threshold */
	void (*on_row)(void *ctx, const iv_upload_row *row);             /* may be NULL */
	void (*on_progress)(void *ctx, uint64_t done, uint64_t total);  /* bytes; may be NULL */
	void (*on_refusal)(void *ctx, const iv_upload_error *e);        /* every refused row; may be NULL */
	void *ctx;
} iv_upload_opts;

typedef struct iv_upload_result {
	uint64_t rows;      /* data rows read */
	uint64_t posted;    /* ledger rows written (or that would be, on a dry run) */
	uint64_t unchanged; /* Sync rows that changed nothing */
	uint64_t refused;
	uint64_t unapproved; /* preview: rows above a store's approval threshold and no approver */
	int64_t batch_id;   /* 0 unless posted */
	int64_t document;
	int64_t duplicate_of; /* refused: the batch that posted the same content */
	char sha256[IV_HASH_HEX];
	char errors_path[4096]; /* "" when no error file was written */
	size_t nerrors;         /* first errors kept below */
	iv_upload_error errors[IV_UPLOAD_FIRST_ERRORS];
} iv_upload_result;

/* Validates and (unless dry_run) posts the file.  Posting needs a
 * login; a dry run does not.  On refusal nothing is posted, res holds
 * the counts and the first errors, and the error file (unless it could
 * not be written) holds every refused row. */
iv_status iv_upload(iv_db *db, const iv_upload_opts *opts, iv_upload_result *res);

/* A preview that can be committed later (the Upload screen): remembers
 * the file's hash and the Net Available each Sync row saw.  Commit
 * refuses, naming the rows, when another terminal changed any of them
 * meanwhile, and when the file changed. */
typedef struct iv_upload_plan iv_upload_plan;
iv_status iv_upload_prepare(iv_db *db, const iv_upload_opts *opts,
                            iv_upload_result *res, iv_upload_plan **plan);
iv_status iv_upload_commit(iv_db *db, iv_upload_plan *plan, iv_upload_result *res);
void iv_upload_plan_free(iv_upload_plan *plan);

/* Writes the template CSV: the header line only.  An example row would
 * be a data row to the spreadsheet the user fills in (a "#" comment is
 * just text in a cell there), so the example lives in the docs. */
iv_status iv_upload_template(FILE *out);
/* Writes it to a new file (include/invadj/files.h): IV_E_CONFLICT,
 * naming the file, when path exists and replace is false (a front end
 * asks the user, "No" the default, and calls again with replace set);
 * iv_file_errmsg() has the sentence. */
iv_status iv_upload_template_file(const char *path, bool replace);

typedef struct iv_batch {
	int64_t id;
	char file_name[4096];
	char sha256[IV_HASH_HEX];
	iv_rule rule;
	char user[IV_IDENT_SIZE];
	char recorded_at[32];
	uint64_t rows, posted, unchanged;
	int64_t reverses_batch;    /* for a reversal batch: the batch it reverses */
	int64_t reversed_by_batch; /* 0 when not reversed */
} iv_batch;

iv_status iv_batch_get(iv_db *db, int64_t id, iv_batch *out);

/* Reverses every row of a batch in one transaction, under the rules of
 * single reversals: a supervisor (or a clerk with a supervisor's
 * approval), once only, negative stock checked.  The reversal rows form
 * a new batch of rule IV_RULE_REVERSAL; res->batch_id is its id.  Rows
 * already reversed one by one are skipped and counted as unchanged. */
/* What iv_reverse_batch would do, writing nothing: its rules first
 * (a reversal batch, already reversed, nothing left: refused as it
 * would), then res->rows, res->posted (rows that get a reversal),
 * res->unchanged (already reversed one by one) and res->unapproved
 * (non-zero when the session is a clerk's: a supervisor must approve). */
iv_status iv_reverse_batch_preview(iv_db *db, int64_t batch, iv_upload_result *res);
iv_status iv_reverse_batch(iv_db *db, int64_t batch, const char *reason,
                           const char *memo, iv_approval approval,
                           iv_upload_result *res);

#endif
