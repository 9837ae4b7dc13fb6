/* Recovery commands: backup and export. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "invadj/csv.h"
#include "invadj/files.h"

static int run_backup(cli *c, int argc, char **argv)
{
	const char *arg;
	if (cli_getopt(c, &cmd_backup, argc, argv, NULL, &arg) != -1)
		return EXIT_USAGE;
	if (optind + 1 != argc)
		return cli_usage_error(&cmd_backup, "expected one backup file name");
	int rc = cli_open(c, IV_OPEN_READONLY);
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
	csv_style style;
	unsigned long long rows;
} export_out;

static bool write_row(void *ctx, const iv_ledger_row *r)
{
	export_out *e = ctx;
	history_cells c;
	history_row_cells(r, false, &c);
	csv_write_record_as(e->f, c.cell, EXPORT_COLUMNS, e->style);
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
	int rc = cli_open(c, IV_OPEN_READONLY);
	if (rc != 0)
		return rc;
	const char *path = optind < argc ? argv[optind] : NULL;
	iv_outfile file;
	export_out e = {stdout, cli_csv_style(c), 0};
	if (path) {
		iv_status st = iv_outfile_create(&file, "Export file", path, false);
		if (st != IV_OK)
			return cli_fail_text(st, file.errmsg);
		e.f = file.f;
	}
	csv_write_record(e.f, history_headers, EXPORT_COLUMNS);
	iv_history_filter all = {.oldest_first = true};
	iv_status st = iv_history(c->db, &all, write_row, &e);
	if (st != IV_OK) {
		if (path)
			iv_outfile_discard(&file);
		return cli_fail(c, st);
	}
	if (path && (st = iv_outfile_finish(&file)) != IV_OK)
		return cli_fail_text(st, file.errmsg);
	if (!path && (fflush(stdout) != 0 || ferror(stdout)))
		return cli_fail_text(IV_E_IO, "Export: writing to standard output failed");
	if (path)
		printf("exported %llu ledger rows to %s\n", e.rows, path);
	return 0;
}

const command cmd_export = {
	"export", run_export,
	"export [FILE]\n"
	"  Writes the whole ledger as CSV, oldest row first (to standard output without\n"
	"  FILE; FILE must not exist and is made owner-only).  Columns as in history,\n"
	"  then everything else each row's hash covers: Seq, the ids, HashVersion,\n"
	"  PrevHash and Hash, so that an auditor recomputes every hash from the file\n"
	"  alone (docs/schema.md gives the bytes; use --raw for that).  Cells a\n"
	"  spreadsheet would run as formulas get a leading apostrophe; --raw writes\n"
	"  every cell exactly.",
	"write the whole ledger as CSV",
};
