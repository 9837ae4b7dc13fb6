/* migrate: copy a ledger into another database (a store's SQLite file
 * into the chain's PostgreSQL server). */
#include <stdio.h>

#include "cli/cli.h"
#include "invadj/migrate.h"

static int run_migrate(cli *c, int argc, char **argv)
{
	enum { OPT_FROM = 1, OPT_TO };
	static const struct option opts[] = {
		{"from", required_argument, NULL, OPT_FROM},
		{"to", required_argument, NULL, OPT_TO},
		{NULL, 0, NULL, 0},
	};
	const char *from = NULL, *to = NULL, *arg;
	int o;
	while ((o = cli_getopt(c, &cmd_migrate, argc, argv, opts, &arg)) != -1) {
		if (o == OPT_FROM)
			from = arg;
		else if (o == OPT_TO)
			to = arg;
		else
			return EXIT_USAGE;
	}
	if (optind != argc)
		return cli_usage_error(&cmd_migrate, "unexpected argument \"%s\"", argv[optind]);
	if (!from || !to)
		return cli_usage_error(&cmd_migrate, "both --from and --to are needed");
	iv_migrate_report r;
	iv_status st = iv_migrate(from, to, &r);
	if (st != IV_OK) {
		fprintf(stderr, "%s: %s\n", iv_status_text(st), r.message);
		return iv_status_exit_code(st);
	}
	printf("migrated: %llu ledger rows, %llu balances, %llu day totals, %llu stores, %llu items, "
	       "%llu reasons, %llu users, %llu batches, %llu events, %llu counts (%llu scans)\n",
	       (unsigned long long)r.ledger_rows, (unsigned long long)r.balances,
	       (unsigned long long)r.day_totals, (unsigned long long)r.stores,
	       (unsigned long long)r.items, (unsigned long long)r.reasons,
	       (unsigned long long)r.users, (unsigned long long)r.batches,
	       (unsigned long long)r.events, (unsigned long long)r.counts,
	       (unsigned long long)r.count_scans);
	printf("verified on both sides; head %s\n", r.target_head);
	return 0;
}

const command cmd_migrate = {
	"migrate", run_migrate,
	"migrate --from SOURCE --to TARGET\n"
	"  Copies a whole ledger (stores, items, reasons, users with their PIN hashes, upload\n"
	"  batches, ledger rows with their ids and hashes, balances) into TARGET, which must be\n"
	"  empty: a new SQLite file, or a PostgreSQL database (postgresql://...) with no invadj\n"
	"  data yet.  The source's hash chain is verified first, the copy is made in one\n"
	"  transaction, then verified on the target and its head hash compared.  The source is\n"
	"  not changed.  Stop the terminals while it runs: rows saved meanwhile are not copied.",
	"copy a ledger into another database (e.g. onto a PostgreSQL server)",
};
