/* Reading commands: balance and history. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static bool print_balance(void *ctx, const iv_balance_row *r)
{
	char q[24];
	const char *cells[] = {r->store, r->item, cell_int(q, r->net_available)};
	table_row(ctx, cells);
	return true;
}

static int run_balance(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"item", required_argument, NULL, 'i'},
		{"as-of", required_argument, NULL, 'd'},
		{0},
	};
	const char *store = NULL, *item = NULL, *as_of = NULL, *arg;
	int o;
	while ((o = cli_getopt(c, &cmd_balance, argc, argv, opts, &arg)) != -1) {
		switch (o) {
		case 's': store = arg; break;
		case 'i': item = arg; break;
		case 'd': as_of = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(&cmd_balance, "unexpected argument \"%s\"", argv[optind]);
	int rc = cli_open(c, IV_OPEN_READONLY);
	if (rc != 0)
		return rc;
	static const char *const headers[] = {"StoreCode", "ItemNumber", "NetAvailable"};
	static const int widths[] = {9, 16, -12};
	table t = table_for(c, 3, headers, widths);
	iv_status st = iv_balances(c->db, store, item, as_of, print_balance, &t);
	if (st != IV_OK)
		return cli_fail(c, st);
	table_row(&t, NULL); /* the header, also when there are no rows */
	return 0;
}

const command cmd_balance = {
	"balance", run_balance,
	"balance [--store S] [--item I] [--as-of D]\n"
	"  Net Available by store and item, now or at the end of date D.",
	"show Net Available",
};

static bool print_history(void *ctx, const iv_ledger_row *r)
{
	table *t = ctx;
	history_cells c;
	history_row_cells(r, t->format == OUT_TABLE, &c);
	table_row(t, c.cell);
	return true;
}

static int run_history(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'}, {"item", required_argument, NULL, 'i'},
		{"from", required_argument, NULL, 'f'},  {"to", required_argument, NULL, 't'},
		{"reason", required_argument, NULL, 'r'}, {"by", required_argument, NULL, 'u'},
		{"batch", required_argument, NULL, 'b'}, {"limit", required_argument, NULL, 'l'},
		{0},
	};
	iv_history_filter f = {0};
	const char *arg;
	int64_t n;
	int o;
	while ((o = cli_getopt(c, &cmd_history, argc, argv, opts, &arg)) != -1) {
		switch (o) {
		case 's': f.store = arg; break;
		case 'i': f.item = arg; break;
		case 'f': f.from = arg; break;
		case 't': f.to = arg; break;
		case 'r': f.reason = arg; break;
		case 'u': f.user = arg; break;
		case 'b':
			if (cli_parse_id(&cmd_history, "--batch", arg, false, &f.batch) != 0)
				return EXIT_USAGE;
			break;
		case 'l':
			if (cli_parse_id(&cmd_history, "--limit", arg, true, &n) != 0)
				return EXIT_USAGE;
			f.limit = (size_t)n;
			break;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(&cmd_history, "unexpected argument \"%s\"", argv[optind]);
	int rc = cli_open(c, IV_OPEN_READONLY);
	if (rc != 0)
		return rc;
	static const int widths[HISTORY_COLUMNS] = {-6, -8, 15, 25, 9, 12, 10, -8, 8, 10, -8, -10, -7, 0};
	table t = table_for(c, HISTORY_COLUMNS, history_headers, widths);
	iv_status st = iv_history(c->db, &f, print_history, &t);
	if (st != IV_OK)
		return cli_fail(c, st);
	table_row(&t, NULL);
	return 0;
}

const command cmd_history = {
	"history", run_history,
	"history [--store S] [--item I] [--from D] [--to D] [--reason R] [--by USER]\n"
	"               [--batch ID] [--limit N]\n"
	"  Ledger rows, newest first, with who entered and approved them and what they\n"
	"  reverse or were reversed by.",
	"list ledger rows",
};
