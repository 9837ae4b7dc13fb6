/* Set-up commands: init, user, import. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* ---- init ---- */

static int run_init(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"admin", required_argument, NULL, 'a'},
		{"demo", no_argument, NULL, 'd'},
		{"data", required_argument, NULL, 'D'},
		{0},
	};
	const char *admin = NULL, *data = NULL, *arg;
	bool demo = false;
	int o;
	while ((o = cli_getopt(c, &cmd_init, argc, argv, opts, &arg)) != -1) {
		switch (o) {
		case 'a': admin = arg; break;
		case 'd': demo = true; break;
		case 'D': data = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(&cmd_init, "unexpected argument \"%s\"", argv[optind]);
	if (!admin)
		return cli_usage_error(&cmd_init, "--admin NAME is required");
	char pin[128];
	if (!cli_secret("INVADJ_PIN", "PIN for the new admin", pin, sizeof pin))
		return EXIT_USAGE;
	int rc = cli_open(c, IV_OPEN_CREATE);
	iv_status st = IV_OK;
	const char *dir = data ? data : getenv("INVADJ_DATA") ? getenv("INVADJ_DATA") : "data";
	if (rc == 0 && demo)
		st = iv_demo_check(c->db, dir);
	if (rc == 0 && st == IV_OK && (st = iv_init(c->db, admin, pin)) == IV_OK && demo) {
		st = iv_login(c->db, admin, pin);
		if (st == IV_OK)
			st = iv_load_demo(c->db, dir);
	}
	memset(pin, 0, sizeof pin);
	if (rc != 0)
		return rc;
	if (st != IV_OK)
		return cli_fail(c, st);
	printf("created %s with admin %s%s\n", c->db_path, admin, demo ? " and the demo data" : "");
	return 0;
}

const command cmd_init = {
	"init", run_init,
	"init --admin NAME [--demo] [--data DIR]\n"
	"  Creates the database and its first admin (PIN from INVADJ_PIN or asked).\n"
	"  --demo loads the demo stores, items, reasons, users and stock from DIR (default: data).",
	"create a database and its first admin",
};

/* ---- user ---- */

static bool on_user(void *ctx, const iv_user_info *u)
{
	const char *cells[] = {u->name,       iv_role_name(u->role), u->created_at, u->pin_set_at,
	                       u->pin_set_by, u->disabled_at,        u->disabled_by};
	table_row(ctx, cells);
	return true;
}

static int user_list(cli *c)
{
	static const char *const headers[] = {"Name",     "Role",       "CreatedAt", "PinSetAt",
	                                      "PinSetBy", "DisabledAt", "DisabledBy"};
	static const int widths[] = {12, 10, 24, 24, 10, 24, 10};
	table t = table_for(c, 7, headers, widths);
	iv_status st = iv_user_list(c->db, on_user, &t);
	if (st != IV_OK)
		return cli_fail(c, st);
	table_row(&t, NULL); /* the header, also when alone */
	return 0;
}

/* add NAME, or pin [NAME]: a new PIN from INVADJ_NEW_PIN or asked. */
static int user_pin(cli *c, const char *what, const char *name, const char *role)
{
	char pin[128];
	bool add = strcmp(what, "add") == 0;
	if (!cli_secret("INVADJ_NEW_PIN", add ? "PIN for the new user" : "New PIN", pin, sizeof pin))
		return EXIT_USAGE;
	iv_status st = add ? iv_user_add(c->db, name, role, pin) : iv_user_set_pin(c->db, name, pin);
	memset(pin, 0, sizeof pin);
	if (st != IV_OK)
		return cli_fail(c, st);
	if (add)
		printf("added %s (%s)\n", name, role);
	else
		printf("PIN of %s set\n", name ? name : iv_session_user(c->db)->name);
	return 0;
}

static int run_user(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"history", no_argument, NULL, 'h'},
		{0},
	};
	const char *role = NULL, *arg;
	bool history = false;
	int o;
	while ((o = cli_getopt(c, &cmd_user, argc, argv, opts, &arg)) != -1) {
		if (o == 'h')
			history = true;
		else if (o == 'r')
			role = arg;
		else
			return EXIT_USAGE;
	}
	int n = argc - optind;
	const char *what = n > 0 ? argv[optind] : "";
	const char *name = n > 1 ? argv[optind + 1] : NULL;
	bool named = strcmp(what, "add") == 0 || strcmp(what, "disable") == 0 || strcmp(what, "enable") == 0 ||
	             strcmp(what, "unlock") == 0;
	bool role_cmd = strcmp(what, "role") == 0;
	if (role_cmd ? n != 3
	             : named ? n != 2 : strcmp(what, "pin") == 0 ? n > 2 : strcmp(what, "list") != 0 || n > 2)
		return cli_usage_error(&cmd_user,
		                       "expected: user add|pin|disable|enable|unlock|role|list, see the usage");
	if (strcmp(what, "add") == 0 && !role)
		return cli_usage_error(&cmd_user, "--role clerk|supervisor|admin is required");
	if (strcmp(what, "add") != 0 && role)
		return cli_usage_error(&cmd_user, "--role is for user add only");
	if (strcmp(what, "list") != 0 && history)
		return cli_usage_error(&cmd_user, "--history is for user list only");
	if (strcmp(what, "list") == 0 && name && !history)
		return cli_usage_error(&cmd_user, "user list takes a NAME with --history only");
	int rc = cli_open(c, IV_OPEN_EXISTING);
	if (rc == 0 && strcmp(what, "unlock") == 0) {
		/* No login: whoever is locked out cannot give one. */
		iv_status st = iv_login_unlock(c->db, name);
		if (st != IV_OK)
			return cli_fail(c, st);
		printf("unlocked %s: the wrong PINs given for it are forgotten\n", name);
		return 0;
	}
	if (rc == 0)
		rc = cli_login(c);
	if (rc != 0)
		return rc;
	if (strcmp(what, "list") == 0)
		return history ? cli_print_changes(c, IV_ENTITY_USER, name) : user_list(c);
	if (role_cmd) {
		iv_status st = iv_user_set_role(c->db, name, argv[optind + 2]);
		if (st != IV_OK)
			return cli_fail(c, st);
		printf("%s is now %s\n", name, argv[optind + 2]);
		return 0;
	}
	if (strcmp(what, "add") == 0 || strcmp(what, "pin") == 0)
		return user_pin(c, what, name, role);
	bool disable = strcmp(what, "disable") == 0;
	iv_status st = iv_user_set_disabled(c->db, name, disable);
	if (st != IV_OK)
		return cli_fail(c, st);
	printf("%s %s\n", disable ? "disabled" : "enabled", name);
	return 0;
}

const command cmd_user = {
	"user", run_user,
	"user add NAME --role clerk|supervisor|admin\n"
	"       invadj user pin [NAME]\n"
	"       invadj user disable NAME | invadj user enable NAME\n"
	"       invadj user unlock NAME\n"
	"       invadj user role NAME clerk|supervisor|admin\n"
	"       invadj user list [--history [NAME]]\n"
	"  add: adds a user (admin only).  pin: sets your own PIN, or (admin) NAME's,\n"
	"  which also lifts a slowdown after wrong PINs.  The new PIN comes from\n"
	"  INVADJ_NEW_PIN or is asked.  disable: NAME can no longer log in or approve\n"
	"  (admin only, not yourself); users are never deleted, as ledger rows name\n"
	"  them; enable undoes it.  unlock: forgets the wrong PINs given for NAME, so\n"
	"  that it need not wait; no login, but only the database's owner may (the Unix\n"
	"  owner of the file; on PostgreSQL the owner role).  role: gives NAME a role\n"
	"  (admin only; the last admin stays one).  list: every user and role, who last\n"
	"  set each PIN and who disabled whom, and when (supervisor or admin);\n"
	"  --history: every change of every user (or of NAME), who made it and when,\n"
	"  field by field.",
	"add, disable and list users; set PINs and roles",
};

/* ---- import ---- */

static int run_import(cli *c, int argc, char **argv)
{
	const char *arg;
	if (cli_getopt(c, &cmd_import, argc, argv, NULL, &arg) != -1)
		return EXIT_USAGE;
	if (optind + 2 != argc)
		return cli_usage_error(&cmd_import, "expected: import stores|items|reasons FILE.csv");
	static const char *const kinds[] = {"stores", "items", "reasons"};
	int kind = -1;
	for (int k = 0; k < 3; k++)
		if (strcmp(argv[optind], kinds[k]) == 0)
			kind = k;
	if (kind < 0)
		return cli_usage_error(&cmd_import, "\"%s\" is not stores, items or reasons", argv[optind]);
	int rc = cli_open(c, IV_OPEN_EXISTING);
	if (rc == 0)
		rc = cli_login(c);
	if (rc != 0)
		return rc;
	size_t rows;
	iv_status st = iv_import(c->db, (iv_import_kind)kind, argv[optind + 1], &rows);
	if (st != IV_OK)
		return cli_fail(c, st);
	printf("imported %zu %s\n", rows, kinds[kind]);
	return 0;
}

const command cmd_import = {
	"import", run_import,
	"import stores|items|reasons FILE.csv\n"
	"  Inserts or updates master data (supervisor or admin); never touches the ledger.\n"
	"  stores:  StoreCode,StoreName,AllowNegative,ApprovalThreshold,TimeZone\n"
	"  items:   ItemNumber,Description,UPC,Barcode,AltItemNumber1,AltItemNumber2,AltItemNumber3\n"
	"  reasons: ReasonCode,Description\n"
	"  Only the first column is required; columns left out keep their values.\n"
	"  TimeZone is an IANA zone (Europe/Berlin); empty: this computer's zone.\n"
	"  Every change is kept as an event: see `invadj store history CODE`.",
	"import stores, items or reason codes",
};
