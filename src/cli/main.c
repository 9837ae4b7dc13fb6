/* invadj: the entry point.  With a command, runs it (see commands in
 * src/cli/cmd_*.c); without one, opens the screens (src/tui). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "tui/tui.h"

static const command *const commands[] = {
	&cmd_init,    &cmd_user,    &cmd_import,   &cmd_adjust, &cmd_reverse,
	&cmd_balance, &cmd_history, &cmd_template, &cmd_upload, &cmd_verify, &cmd_backup,
	&cmd_export,  &cmd_migrate,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

enum { OPT_DB = 1000, OPT_USER, OPT_FORMAT, OPT_HELP, OPT_VERSION };

static const struct option global_opts[] = {
	{"db", required_argument, NULL, OPT_DB},
	{"user", required_argument, NULL, OPT_USER},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
};
#define NGLOBAL (sizeof global_opts / sizeof global_opts[0])

static void main_usage(FILE *to)
{
	fprintf(to, "usage: invadj [--db PATH] [--user NAME] [--format table|csv] [COMMAND [OPTIONS]]\n"
	            "\nWithout a command, opens the screens.  Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(to, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(to, "\n`invadj COMMAND --help` tells more; `man invadj` tells all.\n"
	            "Environment: INVADJ_DB, INVADJ_USER, INVADJ_PIN, INVADJ_APPROVER_PIN, "
	            "INVADJ_NEW_PIN, INVADJ_TODAY.\n");
}

void cli_usage(const command *cmd, FILE *to)
{
	fprintf(to, "usage: invadj %s\n", cmd->usage);
	fprintf(to, "Global options: --db PATH, --user NAME, --format table|csv, --help\n");
}

int cli_usage_error(const command *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "invadj %s: ", cmd ? cmd->name : "");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	if (cmd)
		cli_usage(cmd, stderr);
	return EXIT_USAGE;
}

/* Handles a global option; false when val is not one. */
static bool global_option(cli *c, const command *cmd, int val, const char *arg, int *exit_code)
{
	*exit_code = -1;
	switch (val) {
	case OPT_DB: c->db_path = arg; return true;
	case OPT_USER: c->user = arg; return true;
	case OPT_FORMAT:
		if (strcmp(arg, "csv") == 0)
			c->format = OUT_CSV;
		else if (strcmp(arg, "table") == 0)
			c->format = OUT_TABLE;
		else
			*exit_code = cli_usage_error(cmd, "--format: \"%s\" is not table or csv", arg);
		return true;
	case OPT_HELP:
		if (cmd)
			cli_usage(cmd, stdout);
		else
			main_usage(stdout);
		*exit_code = 0;
		return true;
	case OPT_VERSION:
		printf("invadj %s\n", iv_version());
		*exit_code = 0;
		return true;
	default: return false;
	}
}

int cli_getopt(cli *c, const command *cmd, int argc, char **argv, const struct option *opts,
               const char **optarg_out)
{
	static struct option all[64];
	size_t n = 0;
	for (; opts && opts[n].name && n < 64 - NGLOBAL - 1; n++)
		all[n] = opts[n];
	for (size_t i = 0; i < NGLOBAL; i++)
		all[n++] = global_opts[i];
	memset(&all[n], 0, sizeof all[n]);
	for (;;) {
		int val = getopt_long(argc, argv, ":", all, NULL);
		*optarg_out = optarg;
		if (val == '?') {
			cli_usage_error(cmd, "unknown option %s", argv[optind - 1]);
			return '?';
		}
		if (val == ':') {
			cli_usage_error(cmd, "%s needs a value", argv[optind - 1]);
			return '?';
		}
		int code;
		if (!global_option(c, cmd, val, optarg, &code))
			return val;
		if (code >= 0)
			exit(code); /* --help, --version, or a bad --format */
	}
}

int cli_fail(cli *c, iv_status st)
{
	fprintf(stderr, "%s: %s\n", iv_status_text(st), iv_errmsg(c->db));
	return iv_status_exit_code(st);
}

int cli_open(cli *c, bool create)
{
	if (!c->db_path) {
		if (!iv_default_db_path(c->default_path, sizeof c->default_path)) {
			fprintf(stderr, "invalid input: --db: give a database path (HOME is not set)\n");
			return EXIT_USAGE;
		}
		c->db_path = c->default_path;
	}
	iv_status st = iv_open(c->db_path, create ? IV_OPEN_CREATE : IV_OPEN_EXISTING, &c->db);
	return st == IV_OK ? 0 : cli_fail(c, st);
}

bool cli_secret(const char *env, const char *prompt, char *buf, size_t size)
{
	const char *v = env ? getenv(env) : NULL;
	if (v) {
		snprintf(buf, size, "%s", v);
		return true;
	}
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty) {
		fprintf(stderr, "invalid input: %s: set %s or run on a terminal to be asked\n", prompt, env);
		return false;
	}
	struct termios old, quiet;
	int fd = fileno(tty);
	bool restore = tcgetattr(fd, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	fprintf(tty, "%s: ", prompt);
	fflush(tty);
	bool ok = fgets(buf, (int)size, tty) != NULL;
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	if (ok)
		buf[strcspn(buf, "\r\n")] = '\0';
	return ok;
}

int cli_login(cli *c)
{
	if (!c->user || !*c->user) {
		fprintf(stderr, "invalid input: User: give --user NAME or set INVADJ_USER\n");
		return EXIT_USAGE;
	}
	char pin[128];
	if (!cli_secret("INVADJ_PIN", "PIN", pin, sizeof pin))
		return EXIT_USAGE;
	iv_status st = iv_login(c->db, c->user, pin);
	memset(pin, 0, sizeof pin);
	return st == IV_OK ? 0 : cli_fail(c, st);
}

int main(int argc, char **argv)
{
	cli c = {.db_path = getenv("INVADJ_DB"), .user = getenv("INVADJ_USER"), .format = OUT_TABLE};
	if (c.db_path && !*c.db_path)
		c.db_path = NULL;
	/* Global options before the command. */
	int i = 1;
	while (i < argc && argv[i][0] == '-' && argv[i][1] == '-') {
		const char *name = argv[i] + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct option *o = NULL;
		for (size_t k = 0; k < NGLOBAL; k++)
			if (strlen(global_opts[k].name) == len && strncmp(global_opts[k].name, name, len) == 0)
				o = &global_opts[k];
		if (!o)
			return cli_usage_error(NULL, "unknown option %s", argv[i]);
		const char *arg = NULL;
		if (o->has_arg == required_argument) {
			arg = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
			if (!arg)
				return cli_usage_error(NULL, "--%s needs a value", o->name);
		}
		int code;
		global_option(&c, NULL, o->val, arg, &code);
		if (code >= 0)
			return code;
		i++;
	}
	int rc;
	if (i == argc) {
		if ((rc = cli_open(&c, false)) != 0) {
			iv_close(c.db);
			return rc;
		}
		rc = tui_run(c.db, c.db_path);
		iv_close(c.db);
		return rc;
	}
	const command *cmd = NULL;
	for (size_t k = 0; k < NCOMMANDS; k++)
		if (strcmp(argv[i], commands[k]->name) == 0)
			cmd = commands[k];
	if (!cmd) {
		fprintf(stderr, "invadj: unknown command \"%s\"\n", argv[i]);
		main_usage(stderr);
		return EXIT_USAGE;
	}
	optind = 0; /* the command parses its own argv from the start */
	rc = cmd->run(&c, argc - i, argv + i);
	iv_close(c.db);
	return rc;
}
