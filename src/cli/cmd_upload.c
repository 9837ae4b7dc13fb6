/* Batch upload commands: template and upload. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "invadj/files.h"
#include "invadj/upload.h"

static int run_template(cli *c, int argc, char **argv)
{
	const char *arg;
	int o;
	while ((o = cli_getopt(c, &cmd_template, argc, argv, NULL, &arg)) != -1)
		return EXIT_USAGE;
	if (argc - optind > 1)
		return cli_usage_error(&cmd_template, "expected at most one file name");
	if (optind == argc)
		return iv_upload_template(stdout) == IV_OK ? 0 : iv_status_exit_code(IV_E_IO);
	/* Never over a file, which may be a filled-in upload. */
	iv_status st = iv_upload_template_file(argv[optind], false);
	if (st != IV_OK) {
		fprintf(stderr, "%s: %s\n", iv_status_text(st), iv_file_errmsg());
		return iv_status_exit_code(st);
	}
	return 0;
}

const command cmd_template = {
	"template", run_template,
	"template [FILE]\n"
	"  Writes the upload template (to standard output without FILE; never over an\n"
	"  existing file): one header line,\n"
	"    **StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo\n"
	"  ** marks the mandatory columns.  Fill in one row per store and item, e.g.\n"
	"    MAIN,KB-100,,-1,DMG,03/14/2026,dropped\n"
	"  and upload it with `invadj upload FILE --rule delta|sync`.",
	"write the upload template CSV",
};

/* ---- upload ---- */

static const char *const row_headers[] = {"Line",         "StoreCode", "ItemNumber", "TransactionDate",
                                          "NetAvailable", "Diff",      "NewQty"};
static const int row_widths[] = {-6, 9, 16, 15, -12, -8, -8};

typedef struct upload_view {
	table rows;
	bool progress; /* stderr is a terminal: show how far the reading is */
	int last_pct;
} upload_view;

static void on_row(void *ctx, const iv_upload_row *r)
{
	upload_view *v = ctx;
	char line[24], net[24], diff[24], nq[24];
	const char *cells[] = {cell_int(line, (long long)r->line), r->store, r->item, r->tdate,
	                       cell_int(net, r->net_available), cell_int(diff, r->diff),
	                       cell_int(nq, r->new_qty)};
	table_row(&v->rows, cells);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	upload_view *v = ctx;
	if (!v->progress || total == 0)
		return;
	int pct = (int)(done * 100 / total);
	if (pct != v->last_pct) {
		v->last_pct = pct;
		fprintf(stderr, "\rreading: %3d%%", pct);
		if (pct >= 100)
			fputs("\r              \r", stderr);
	}
}

static void print_counts(FILE *to, const char *what, const iv_upload_result *res)
{
	fprintf(to, "%s: %llu rows, %llu %s, %llu unchanged, %llu refused\n", what,
	        (unsigned long long)res->rows, (unsigned long long)res->posted,
	        res->batch_id ? "posted" : "to post", (unsigned long long)res->unchanged,
	        (unsigned long long)res->refused);
}

/* One line, as every refusal: the engine's sentence has the counts,
 * the first refused row and where the others are. */
static int report_refusal(cli *c, iv_status st, const iv_upload_result *res)
{
	char msg[IV_MSG_MAX + 64];
	snprintf(msg, sizeof msg, "%s%s", iv_errmsg(c->db),
	         res->duplicate_of ? "; give --allow-duplicate to post it again" : "");
	return cli_fail_text(st, msg);
}

static int run_upload(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"rule", required_argument, NULL, 'r'},     {"date", required_argument, NULL, 'd'},
		{"reason", required_argument, NULL, 'R'},   {"dry-run", no_argument, NULL, 'x'},
		{"errors", required_argument, NULL, 'e'},   {"allow-duplicate", no_argument, NULL, 'D'},
		{"approver", required_argument, NULL, 'a'}, {0},
	};
	iv_upload_opts uo = {0};
	const char *rule = NULL, *arg;
	int o;
	while ((o = cli_getopt(c, &cmd_upload, argc, argv, opts, &arg)) != -1) {
		switch (o) {
		case 'r': rule = arg; break;
		case 'd': uo.date = arg; break;
		case 'R': uo.default_reason = arg; break;
		case 'x': uo.dry_run = true; break;
		case 'e': uo.errors_path = arg; break;
		case 'D': uo.allow_duplicate = true; break;
		case 'a': uo.approval.name = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(&cmd_upload, "expected one CSV file to upload");
	uo.path = argv[optind];
	if (!rule)
		return cli_usage_error(&cmd_upload, "--rule delta or --rule sync is required");
	if (!iv_rule_parse(rule, &uo.rule))
		return cli_usage_error(&cmd_upload, "--rule: \"%s\" is not delta or sync", rule);
	int rc = cli_open(c, uo.dry_run ? IV_OPEN_READONLY : IV_OPEN_EXISTING);
	if (rc == 0 && !uo.dry_run)
		rc = cli_login(c);
	if (rc != 0)
		return rc;
	char pin[128] = "";
	if (uo.approval.name && !uo.dry_run) {
		if (!cli_secret("INVADJ_APPROVER_PIN", "Approver's PIN", pin, sizeof pin))
			return EXIT_USAGE;
		uo.approval.pin = pin;
	}
	upload_view v = {.rows = table_for(c, 7, row_headers, row_widths),
	                 .progress = isatty(STDERR_FILENO) != 0, .last_pct = -1};
	uo.on_row = uo.dry_run ? on_row : NULL;
	/* Refused rows that go to no file (a dry run, standard input) are
	 * written here, as the error file would have them. */
	uo.errors_stream = stderr;
	uo.raw_errors = c->raw;
	uo.on_progress = on_progress;
	uo.ctx = &v;
	iv_upload_result *res = malloc(sizeof *res);
	if (!res) {
		fputs("out of memory\n", stderr);
		return iv_status_exit_code(IV_E_NOMEM);
	}
	iv_status st = iv_upload(c->db, &uo, res);
	memset(pin, 0, sizeof pin);
	if (v.progress && v.last_pct >= 0 && v.last_pct < 100)
		fputs("\r              \r", stderr);
	if (st != IV_OK) {
		rc = report_refusal(c, st, res);
	} else if (uo.dry_run) {
		table_row(&v.rows, NULL); /* the header, also when no row would post */
		/* CSV output stays pure CSV: the summary goes to stderr then. */
		print_counts(c->format == OUT_CSV ? stderr : stdout, "dry run, nothing was posted", res);
		if (res->unapproved == 1)
			fputs("1 row is above its store's approval threshold: a supervisor must post it, or "
			      "approve it with --approver\n", stderr);
		else if (res->unapproved)
			fprintf(stderr, "%llu rows are above their store's approval threshold: a supervisor must "
			        "post them, or approve them with --approver\n", (unsigned long long)res->unapproved);
	} else {
		static const char *const headers[] = {"BatchId", "Document", "Rows", "Posted", "Unchanged"};
		static const int widths[] = {-7, -8, -8, -8, -9};
		table t = table_for(c, 5, headers, widths);
		char b[24], d[24], n[24], p[24], u[24];
		const char *cells[] = {cell_int(b, res->batch_id), cell_int(d, res->document),
		                       cell_int(n, (long long)res->rows), cell_int(p, (long long)res->posted),
		                       cell_int(u, (long long)res->unchanged)};
		table_row(&t, cells);
	}
	free(res);
	return rc;
}

const command cmd_upload = {
	"upload", run_upload,
	"upload FILE.csv --rule delta|sync [--date D] [--reason R] [--dry-run]\n"
	"              [--errors OUT.csv] [--allow-duplicate] [--approver NAME]\n"
	"  Posts every row of FILE (see `invadj template`) in one batch, or none.\n"
	"  --rule delta: Qty is the Diff.  --rule sync: Qty is the counted Net Available\n"
	"  (rows dated today only; a store and item once per file).\n"
	"  --date D is the date of rows with a blank TransactionDate (default today);\n"
	"  --reason R the reason of rows with a blank ReasonCode.\n"
	"  --dry-run checks every row and prints Net Available, Diff and New Qty;\n"
	"  posts nothing and needs no login.\n"
	"  FILE - reads standard input.  When a row is refused nothing is posted, and the\n"
	"  refused rows are written with their Line and Error to OUT.csv, which must not\n"
	"  exist (default: FILE.errors.csv beside FILE, or FILE.errors-2.csv ... if\n"
	"  taken); on a dry run or from standard input, to standard error instead.\n"
	"  Cells a spreadsheet would run as formulas get a leading apostrophe (--raw: none).\n"
	"  A file already posted is refused unless --allow-duplicate.\n"
	"  --approver names the supervisor who approves Diffs above a store's threshold\n"
	"  (PIN from INVADJ_APPROVER_PIN).  Prints the batch id and the counts.",
	"upload a CSV file of counts or movements",
};
