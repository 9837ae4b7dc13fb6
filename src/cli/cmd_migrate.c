/* migrate: copy a ledger into another database (a store's SQLite file
 * into the chain's PostgreSQL server). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "invadj/migrate.h"

static int run_migrate(cli *c, int argc, char **argv)
{
	enum { OPT_FROM = 1, OPT_TO, OPT_ADMIN };
	static const struct option opts[] = {
		{"from", required_argument, NULL, OPT_FROM},
		{"to", required_argument, NULL, OPT_TO},
		{"admin", required_argument, NULL, OPT_ADMIN},
		{NULL, 0, NULL, 0},
	};
	const char *from = NULL, *to = NULL, *admin = NULL, *arg;
	int o;
	while ((o = cli_getopt(c, &cmd_migrate, argc, argv, opts, &arg)) != -1) {
		if (o == OPT_FROM)
			from = arg;
		else if (o == OPT_TO)
			to = arg;
		else if (o == OPT_ADMIN)
			admin = arg;
		else
			return EXIT_USAGE;
	}
	if (optind != argc)
		return cli_usage_error(&cmd_migrate, "unexpected argument \"%s\"", argv[optind]);
	if (!from || !to)
		return cli_usage_error(&cmd_migrate, "both --from and --to are needed");
	/* A server keeps no PINs: a file made from it needs one for an admin. */
	bool to_file_from_server = !iv_is_file(from) && iv_is_file(to);
	if (to_file_from_server && !admin)
		return cli_usage_error(&cmd_migrate, "--admin NAME: a server keeps no PINs, so name the admin "
		                                     "who gets the file's first PIN (INVADJ_NEW_PIN)");
	if (admin && !to_file_from_server)
		return cli_usage_error(&cmd_migrate, "--admin is for a copy from a server into a file");
	char pin[128] = "";
	if (admin && !cli_secret("INVADJ_NEW_PIN", "PIN for the admin on the file", pin, sizeof pin))
		return EXIT_USAGE;
	iv_migrate_report r;
	iv_status st = iv_migrate(from, to, &r);
	if (st != IV_OK) {
		memset(pin, 0, sizeof pin);
		fprintf(stderr, "%s: %s\n", iv_status_text(st), r.message);
		return iv_status_exit_code(st);
	}
	if (admin) {
		iv_db *file = NULL;
		st = iv_open(to, IV_OPEN_EXISTING, &file);
		if (st == IV_OK)
			st = iv_user_first_pin(file, admin, pin);
		memset(pin, 0, sizeof pin);
		if (st != IV_OK) {
			c->db = file; /* closed by the dispatcher */
			fprintf(stderr, "%s: the copy was made and verified, but %s got no PIN: %s\n",
			        iv_status_text(st), admin, iv_errmsg(file));
			return iv_status_exit_code(st);
		}
		iv_close(file);
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
	if (admin)
		printf("%s logs in to %s with the new PIN, and sets the others' with `invadj user pin NAME`\n",
		       admin, to);
	else if (!iv_is_file(to))
		printf("next: `invadj --db TARGET server roles --admin NAME` gives every user a login of their "
		       "own on the server (docs/deployment.md)\n");
	return 0;
}

const command cmd_migrate = {
	"migrate", run_migrate,
	"migrate --from SOURCE --to TARGET [--admin NAME]\n"
	"  Copies a whole ledger (stores, items, reasons, users with their PIN hashes, upload\n"
	"  batches, ledger rows with their ids and hashes, balances) into TARGET, which must be\n"
	"  empty: a new SQLite file, or a PostgreSQL database (postgresql://...) with no invadj\n"
	"  data yet.  The source's hash chain is verified first, the copy is made in one\n"
	"  transaction, then verified on the target and its head hash compared.  The source is\n"
	"  not changed.  Stop the terminals while it runs: rows saved meanwhile are not copied.\n"
	"  Onto a server, the users then get logins of their own with `invadj server roles`.\n"
	"  From a server into a file, --admin NAME is needed: a server keeps no PINs, so the\n"
	"  admin NAME gets the file's first PIN (INVADJ_NEW_PIN or asked) and sets the others'.",
	"copy a ledger into another database (e.g. onto a PostgreSQL server)",
};
