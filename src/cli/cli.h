/* The `invadj` command line: what the commands share. */
#ifndef INVADJ_CLI_H
#define INVADJ_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "invadj/csv.h"
#include "invadj/engine.h"

/* Exit code for a mistake in the command line itself; the engine's
 * statuses have their own codes (iv_status_exit_code). */
#define EXIT_USAGE 1

typedef enum out_format { OUT_TABLE, OUT_CSV } out_format;

typedef struct cli {
	const char *db_path;  /* --db, INVADJ_DB, or the default */
	const char *user;     /* --user or INVADJ_USER */
	out_format format;    /* --format */
	bool raw;             /* --raw: CSV cells exactly as stored (no formula guard) */
	iv_db *db;            /* opened by the dispatcher */
	char default_path[4096];
	/* --help or --version was answered: the command stops, and its
	 * status is 0 (cli_getopt does not exit, as a batch goes on). */
	bool answered;
	/* Inside `invadj batch` (cmd_batch.c): every line works on the one
	 * database opened for the batch, and logs in at most once. */
	bool batch;
	bool login_tried;
} cli;

typedef struct command {
	const char *name;
	int (*run)(cli *c, int argc, char **argv);
	const char *usage; /* first line: synopsis; then option lines */
	const char *summary;
} command;

/* Every command's table lives in its own file. */
extern const command cmd_init, cmd_user, cmd_import, cmd_adjust, cmd_reverse, cmd_balance,
	cmd_history, cmd_verify, cmd_checkpoint, cmd_template, cmd_upload, cmd_backup, cmd_export,
	cmd_migrate, cmd_store, cmd_item, cmd_reason, cmd_batch, cmd_server, cmd_count, cmd_report;

/* The command of that name, NULL if none. */
const command *cli_command(const char *name);
/* Runs a command on argv (argv[0] its name); returns its exit status. */
int cli_run(cli *c, const command *cmd, int argc, char **argv);

/* Prints the changes of master data (iv_master_history) as a table:
 * key NULL for every entity of the kind.  Returns the exit code. */
int cli_print_changes(cli *c, iv_entity kind, const char *key);

/* Parses a command's options, also accepting the global ones (--db,
 * --user, --format) after the command name.  Returns the option's
 * value as getopt_long does, -1 at the end, '?' on an error (already
 * reported) or after --help or --version (answered, c->answered set).
 * *optarg_out is the argument. */
int cli_getopt(cli *c, const command *cmd, int argc, char **argv, const struct option *opts,
               const char **optarg_out);
/* Prints the usage of a command to stdout (for --help) or stderr. */
void cli_usage(const command *cmd, FILE *to);
/* Parses an id or a count given on the command line: digits only, out
 * of range named as such; on a mistake reports it (what names the
 * option) and returns EXIT_USAGE, else 0. */
int cli_parse_id(const command *cmd, const char *what, const char *text, bool zero_ok, int64_t *out);
/* Reports a usage mistake in one line and returns EXIT_USAGE. */
int cli_usage_error(const command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Opens the database (c->db): IV_OPEN_READONLY for commands that only
 * read, which never create, migrate or write a database.  In a batch,
 * the batch's (opened for writing, as its lines may write). */
int cli_open(cli *c, iv_open_mode mode);
/* Logs c->user in with the PIN from INVADJ_PIN or the terminal; in a
 * batch, only the first time a line needs it. */
int cli_login(cli *c);
/* A secret from an environment variable, or asked on the terminal
 * without echo.  Returns false (message printed) when neither works. */
bool cli_secret(const char *env, const char *prompt, char *buf, size_t size);
/* A supervisor's approval from --approver NAME (NULL: none); the PIN,
 * into pin, from INVADJ_APPROVER_PIN or asked, only when a name is
 * given.  False (message printed) when it could not be read. */
bool cli_approval(const char *name, char *pin, size_t size, iv_approval *ap);
/* Prints "STATUS: message" on stderr; returns the exit code. */
int cli_fail(cli *c, iv_status st);
/* The same for a message kept elsewhere than the handle (files). */
int cli_fail_text(iv_status st, const char *msg);
/* How CSV cells are written: for people unless --raw. */
csv_style cli_csv_style(const cli *c);

/* Output: a table with a header and aligned columns, or CSV. */
typedef struct table {
	out_format format;
	csv_style style;
	size_t ncols;
	const char *const *headers;
	const int *widths; /* minimum widths for the table form; negative: right-aligned */
	bool header_done;
} table;

table table_for(const cli *c, size_t ncols, const char *const *headers, const int *widths);
void table_row(table *t, const char *const *cells);
/* Formats an integer cell; buf must hold 24 bytes. */
const char *cell_int(char *buf, long long v);

/* The history columns, shared by history and export; export adds what
 * each row's hash covers (EXPORT_COLUMNS in all). */
#define HISTORY_COLUMNS 14
#define EXPORT_COLUMNS (HISTORY_COLUMNS + 9)
extern const char *const history_headers[EXPORT_COLUMNS];
typedef struct history_cells {
	char num[13][24];
	const char *cell[EXPORT_COLUMNS];
} history_cells;
/* local_time: RecordedAt in the store's zone (tables for people);
 * otherwise UTC as stored (CSV). */
void history_row_cells(const iv_ledger_row *r, bool local_time, history_cells *out);

#endif
