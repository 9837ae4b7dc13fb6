/* Reports: `invadj report adjustments` (what was adjusted, why, where
 * and at what cost) and `invadj report item` (Net Available day by day),
 * as a table for people or CSV for a spreadsheet. */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

/* The CSV column of each key. */
static const char *const key_columns[IV_BY_KEYS] = {
	[IV_BY_REASON] = "ReasonCode", [IV_BY_STORE] = "StoreCode", [IV_BY_ITEM] = "ItemNumber",
	[IV_BY_USER] = "User",         [IV_BY_DAY] = "Date",        [IV_BY_WEEK] = "Week",
	[IV_BY_MONTH] = "Month",
};

#define MEASURES 5 /* Lines, Added, Removed, Net, Value */

typedef struct report_out {
	table t;
	int nkeys;
	const char *none; /* a Value where no line has a cost: "" in CSV, a dash in a table */
	bool partial;     /* some row's value leaves lines out (marked in a table) */
} report_out;

/* A row's measures as cells; value is the Value cell. */
static void measure_cells(report_out *o, const iv_report_sums *s, char num[MEASURES][IV_MONEY_TEXT + 2],
                          const char **cells)
{
	cells[0] = cell_int(num[0], (long long)s->lines);
	cells[1] = cell_int(num[1], s->added);
	cells[2] = cell_int(num[2], s->removed);
	cells[3] = cell_int(num[3], s->added - s->removed);
	if (s->unvalued == s->lines) {
		cells[4] = o->none;
		return;
	}
	money_format(s->value, num[4], IV_MONEY_TEXT);
	if (s->unvalued && o->t.format == OUT_TABLE) {
		strcat(num[4], "*"); /* the valued lines' only: the footnote says so */
		o->partial = true;
	}
	cells[4] = num[4];
}

static bool print_row(void *ctx, const iv_report_row *r)
{
	report_out *o = ctx;
	const char *cells[2 + MEASURES];
	char num[MEASURES][IV_MONEY_TEXT + 2];
	for (int k = 0; k < o->nkeys; k++)
		cells[k] = r->key[k];
	measure_cells(o, &r->sums, num, cells + o->nkeys);
	table_row(&o->t, cells);
	return true;
}

/* A dash for "no value" where the terminal can show one. */
static const char *dash(void)
{
	setlocale(LC_CTYPE, "");
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? "\xe2\x80\x94" : "-";
}

/* --period NAME in place of --from and --to. */
static int period_dates(cli *c, const char *period, const char *store, const char **from, const char **to,
                        char a[IV_DATE_ISO_LEN], char b[IV_DATE_ISO_LEN])
{
	if (!period)
		return 0;
	if ((*from && **from) || (*to && **to))
		return cli_usage_error(&cmd_report, "--period is instead of --from and --to, not with them");
	iv_status st = iv_report_period(c->db, period, store, a, b);
	if (st != IV_OK)
		return cli_fail(c, st);
	*from = a;
	*to = b;
	return 0;
}

static int run_adjustments(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"by", required_argument, NULL, 'b'},     {"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},     {"store", required_argument, NULL, 's'},
		{"item", required_argument, NULL, 'i'},   {"reason", required_argument, NULL, 'r'},
		{"with-reversed", no_argument, NULL, 'w'}, {"period", required_argument, NULL, 'p'}, {0},
	};
	iv_report_query q = {0};
	const char *by = "reason", *period = NULL, *arg;
	int o;
	while ((o = cli_getopt(c, &cmd_report, argc, argv, opts, &arg)) != -1) {
		switch (o) {
		case 'b': by = arg; break;
		case 'f': q.from = arg; break;
		case 't': q.to = arg; break;
		case 's': q.store = arg; break;
		case 'i': q.item = arg; break;
		case 'r': q.reason = arg; break;
		case 'w': q.with_reversed = true; break;
		case 'p': period = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(&cmd_report, "unexpected argument \"%s\"", argv[optind + 1]);
	int rc = cli_open(c, IV_OPEN_EXISTING);
	if (rc == 0)
		rc = cli_login(c);
	char a[IV_DATE_ISO_LEN], b[IV_DATE_ISO_LEN];
	if (rc == 0)
		rc = period_dates(c, period, q.store, &q.from, &q.to, a, b);
	if (rc != 0)
		return rc;
	iv_status st = iv_report_by(c->db, by, q.by);
	if (st != IV_OK)
		return cli_fail(c, st);
	report_out out = {.nkeys = q.by[1] == IV_BY_NONE ? 1 : 2};
	const char *headers[2 + MEASURES];
	int widths[2 + MEASURES];
	for (int k = 0; k < out.nkeys; k++) {
		headers[k] = key_columns[q.by[k]];
		widths[k] = q.by[k] == IV_BY_ITEM ? 16 : 12;
	}
	static const char *const measures[MEASURES] = {"Lines", "Added", "Removed", "Net", "Value"};
	for (int m = 0; m < MEASURES; m++) {
		headers[out.nkeys + m] = measures[m];
		widths[out.nkeys + m] = m == MEASURES - 1 ? -14 : -9;
	}
	out.t = table_for(c, (size_t)(out.nkeys + MEASURES), headers, widths);
	out.none = c->format == OUT_CSV ? "" : dash();
	iv_report_result res;
	st = iv_report_adjustments(c->db, &q, print_row, &out, &res);
	if (st != IV_OK)
		return cli_fail(c, st);
	table_row(&out.t, NULL); /* the header, also when there are no rows */
	if (c->format == OUT_TABLE) {
		const char *cells[2 + MEASURES] = {"Total", ""};
		char num[MEASURES][IV_MONEY_TEXT + 2];
		measure_cells(&out, &res.total, num, cells + out.nkeys);
		table_row(&out.t, cells);
		printf("%s to %s, by %s%s%s; %s.\n", res.from, res.to, iv_report_key_name(q.by[0]),
		       out.nkeys == 2 ? " and " : "", iv_report_key_name(q.by[1]),
		       q.with_reversed ? "reversed adjustments and their reversals included"
		                       : "reversed adjustments and their reversals left out");
	}
	if (res.total.unvalued)
		fprintf(c->format == OUT_CSV ? stderr : stdout,
		        "%s%llu of %llu lines have no unit cost on their date: Value is %s.\n",
		        c->format == OUT_CSV ? "invadj report: note: " : out.partial ? "* " : "",
		        (unsigned long long)res.total.unvalued, (unsigned long long)res.total.lines,
		        res.total.unvalued == res.total.lines ? "not known for any"
		                                              : "the value of the others only");
	return 0;
}

static bool print_day(void *ctx, const iv_item_day *d)
{
	char net[24], diff[24];
	const char *cells[] = {d->date, cell_int(net, d->net_available), cell_int(diff, d->diff)};
	table_row(ctx, cells);
	return true;
}

static int run_item(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"period", required_argument, NULL, 'p'},
		{0},
	};
	const char *store = NULL, *from = NULL, *to = NULL, *period = NULL, *arg;
	int o;
	while ((o = cli_getopt(c, &cmd_report, argc, argv, opts, &arg)) != -1) {
		switch (o) {
		case 's': store = arg; break;
		case 'f': from = arg; break;
		case 't': to = arg; break;
		case 'p': period = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind + 2 != argc)
		return cli_usage_error(&cmd_report, optind + 2 > argc ? "report item needs an ITEM"
		                                                      : "report item takes one ITEM");
	int rc = cli_open(c, IV_OPEN_READONLY);
	char a[IV_DATE_ISO_LEN], b[IV_DATE_ISO_LEN];
	if (rc == 0)
		rc = period_dates(c, period, store, &from, &to, a, b);
	if (rc != 0)
		return rc;
	static const char *const headers[] = {"Date", "NetAvailable", "Diff"};
	static const int widths[] = {10, -12, -10};
	table t = table_for(c, 3, headers, widths);
	iv_status st = iv_report_item(c->db, argv[optind + 1], store, from, to, print_day, &t, NULL, NULL);
	if (st != IV_OK)
		return cli_fail(c, st);
	table_row(&t, NULL);
	return 0;
}

static int run_report(cli *c, int argc, char **argv)
{
	/* the kind of report first; its options after it */
	const char *kind = argc > 1 ? argv[1] : "";
	if (strcmp(kind, "adjustments") == 0)
		return run_adjustments(c, argc, argv);
	if (strcmp(kind, "item") == 0)
		return run_item(c, argc, argv);
	const char *arg;
	if (argc > 1 && kind[0] == '-' && cli_getopt(c, &cmd_report, argc, argv, NULL, &arg) != -1)
		return c->answered ? 0 : EXIT_USAGE; /* --help */
	return cli_usage_error(&cmd_report, "expected: report adjustments|item, see the usage");
}

const command cmd_report = {
	"report", run_report,
	"report adjustments [--by KEY[,KEY]] [--from D] [--to D | --period P] [--store S]\n"
	"                          [--item I] [--reason R] [--with-reversed]\n"
	"       invadj report item ITEM [--store S] [--from D] [--to D | --period P]\n"
	"  adjustments: Lines, Added, Removed, Net and Value (at the unit cost in force on\n"
	"  each line's date) by one or two of reason, store, item, user, day, week, month\n"
	"  (--by store,reason; default reason), over transaction dates D..D (default the\n"
	"  last 30 days); a reversed adjustment and its reversal are left out unless\n"
	"  --with-reversed.  Supervisor or admin.  item: Net Available at the end of each\n"
	"  day and the day's Diffs, in one store or all.  --period: today, yesterday,\n"
	"  last-7-days, last-30-days, this-week, last-week, this-month, last-month,\n"
	"  this-year or last-year.",
	"reports: adjustments by reason, store, item, user or period; an item by day",
};
