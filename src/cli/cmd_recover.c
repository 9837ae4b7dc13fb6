/* Recovery commands: backup and export. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "invadj/csv.h"

static int run_backup(cli *c, int argc, char **argv)
{
	const char *arg;
	if (cli_getopt(c, &cmd_backup, argc, argv, NULL, &arg) != -1)
		return EXIT_USAGE;
	if (optind + 1 != argc)
		return cli_usage_error(&cmd_backup, "expected one backup file name");
	int rc = cli_open(c, false);
	if (rc != 0)
		return rc;
	iv_status st = iv_backup(c->db, argv[optind]);
	if (st != IV_OK)
		return cli_fail(c, st);
	printf("backed up %s to %s\n", c->db_path, argv[optind]);
	return 0;
}

const command cmd_backup = {
	"backup", run_backup,
	"backup FILE\n"
	"  Writes a consistent copy of the whole database to FILE (a new file, owner-only),\n"
	"  using SQLite's online backup: terminals may keep working meanwhile.  The copy is\n"
	"  an ordinary invadj database: `invadj --db FILE verify` checks it.",
	"copy the database while it is in use",
};

typedef struct export_out {
	FILE *f;
	unsigned long long rows;
} export_out;

static bool write_row(void *ctx, const iv_ledger_row *r)
{
	export_out *e = ctx;
	history_cells c;
	history_row_cells(r, false, &c);
	csv_write_record(e->f, c.cell, HISTORY_COLUMNS + 1);
	e->rows++;
	return !ferror(e->f);
}

static int run_export(cli *c, int argc, char **argv)
{
	const char *arg;
	if (cli_getopt(c, &cmd_export, argc, argv, NULL, &arg) != -1)
		return EXIT_USAGE;
	if (optind + 1 < argc)
		return cli_usage_error(&cmd_export, "expected at most one file name");
	int rc = cli_open(c, false);
	if (rc != 0)
		return rc;
	const char *path = optind < argc ? argv[optind] : NULL;
	export_out e = {path ? fopen(path, "wx") : stdout, 0};
	if (!e.f) {
		fprintf(stderr, "file error: Export file: cannot create %s (it may exist already)\n", path);
		return iv_status_exit_code(IV_E_IO);
	}
	const char *headers[HISTORY_COLUMNS + 1];
	memcpy(headers, history_headers, sizeof history_headers);
	headers[HISTORY_COLUMNS] = "Hash";
	csv_write_record(e.f, headers, HISTORY_COLUMNS + 1);
	iv_history_filter all = {.oldest_first = true};
	iv_status st = iv_history(c->db, &all, write_row, &e);
	bool io_error = ferror(e.f) != 0;
	if (path && fclose(e.f) != 0)
		io_error = true;
	if (st != IV_OK)
		return cli_fail(c, st);
	if (io_error) {
		fprintf(stderr, "file error: Export file: writing failed\n");
		return iv_status_exit_code(IV_E_IO);
	}
	if (path)
		printf("exported %llu ledger rows to %s\n", e.rows, path);
	return 0;
}

const command cmd_export = {
	"export", run_export,
	"export [FILE]\n"
	"  Writes the whole ledger as CSV, oldest row first, with each row's hash (to\n"
	"  standard output without FILE; FILE must not exist).  Columns as in history,\n"
	"  plus Hash.  The last row's hash is the head that `verify` prints.",
	"write the whole ledger as CSV",
};
