/* server: the administrator's commands for a PostgreSQL server, where
 * every person is a login role of the server (docs/deployment.md). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static bool on_person(void *ctx, const iv_server_person *p)
{
	const char *cells[] = {p->name, iv_role_name(p->role), p->enabled ? "yes" : "no (disabled)",
	                       p->created ? p->password : "(their role was there: kept)"};
	table_row(ctx, cells);
	return true;
}

static int server_roles(cli *c, const char *admin, const char *revoke)
{
	int rc = cli_open(c, IV_OPEN_EXISTING);
	if (rc != 0)
		return rc;
	static const char *const headers[] = {"Name", "Role", "MayLogIn", "OneTimePassword"};
	static const int widths[] = {12, 10, 14, 16};
	table t = table_for(c, 4, headers, widths);
	iv_status st = iv_server_roles(c->db, admin, revoke, on_person, &t);
	if (st != IV_OK)
		return cli_fail(c, st);
	table_row(&t, NULL);
	if (c->format == OUT_TABLE)
		printf("Each person logs in once with the password above (shown here only) and sets a PIN\n"
		       "of their own: `invadj user pin`, or My PIN on the screens.\n");
	if (revoke && c->format == OUT_TABLE)
		printf("The role %s has no privilege on this database any more.\n", revoke);
	return 0;
}

static int run_server(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"admin", required_argument, NULL, 'a'},
		{"revoke", required_argument, NULL, 'r'},
		{0},
	};
	const char *admin = NULL, *revoke = NULL, *arg;
	int o;
	while ((o = cli_getopt(c, &cmd_server, argc, argv, opts, &arg)) != -1) {
		if (o == 'a')
			admin = arg;
		else if (o == 'r')
			revoke = arg;
		else
			return EXIT_USAGE;
	}
	if (argc - optind != 1 || strcmp(argv[optind], "roles") != 0)
		return cli_usage_error(&cmd_server, "expected: server roles --admin NAME [--revoke ROLE]");
	if (!admin)
		return cli_usage_error(&cmd_server, "--admin NAME is required (the admin in whose name the "
		                                    "PIN resets are recorded)");
	return server_roles(c, admin, revoke);
}

const command cmd_server = {
	"server", run_server,
	"server roles --admin NAME [--revoke ROLE]\n"
	"  On a PostgreSQL server, run by its administrator (--db names the postgres superuser,\n"
	"  or the database's owner with CREATEROLE; no invadj login): brings the schema up to\n"
	"  date, and gives every user a login role of their own on the server, in the group of\n"
	"  their role, with a one-time password printed once (a role already there is put in\n"
	"  step with the users table).  PIN hashes left in the users table are cleared, recorded\n"
	"  as resets by the admin NAME.  From then on every approved row needs an approval\n"
	"  signed by its approver's own login.  --revoke ROLE takes every privilege on the\n"
	"  database from ROLE (an older deployment's shared terminal role).  For a deployment\n"
	"  with one terminal role, and after `invadj migrate` onto a server.",
	"give every user a login of their own on a PostgreSQL server",
};
