/* invadj: the entry point.  With a command, runs it (see commands in
 * src/cli/cmd_*.c); without one, opens the screens (src/tui). */
#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "invadj/text.h"
#include "tui/tui.h"

static const command *const commands[] = {
	&cmd_init,    &cmd_user,    &cmd_import,   &cmd_adjust, &cmd_reverse,   &cmd_balance,
	&cmd_history, &cmd_template, &cmd_upload,  &cmd_verify, &cmd_checkpoint, &cmd_backup,
	&cmd_export,  &cmd_migrate, &cmd_store,    &cmd_item,   &cmd_reason,   &cmd_batch,
	&cmd_server,
	&cmd_count,
	&cmd_report,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

enum { OPT_DB = 1000, OPT_USER, OPT_FORMAT, OPT_RAW, OPT_HELP, OPT_VERSION };

static const struct option global_opts[] = {
	{"db", required_argument, NULL, OPT_DB},
	{"user", required_argument, NULL, OPT_USER},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"raw", no_argument, NULL, OPT_RAW},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
};
#define NGLOBAL (sizeof global_opts / sizeof global_opts[0])

static void main_usage(FILE *to)
{
	fprintf(to, "usage: invadj [--db PATH] [--user NAME] [--format table|csv] [--raw] [COMMAND [OPTIONS]]\n"
	            "\nWithout a command, opens the screens.  Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(to, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(to, "\n`invadj COMMAND --help` tells more; `man invadj` tells all.\n"
	            "Environment: INVADJ_DB, INVADJ_USER, INVADJ_PIN, INVADJ_APPROVER_PIN, "
	            "INVADJ_NEW_PIN.\n");
}

void cli_usage(const command *cmd, FILE *to)
{
	fprintf(to, "usage: invadj %s\n", cmd->usage);
	fprintf(to, "Global options: --db PATH, --user NAME, --format table|csv, --raw, --help\n");
}

/* One line, as every refusal: the mistake, and where the usage is. */
int cli_usage_error(const command *cmd, const char *fmt, ...)
{
	char msg[IV_MSG_MAX], text[2 * IV_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	text_printable(msg, text, sizeof text);
	if (cmd)
		fprintf(stderr, "invadj %s: %s (`invadj %s --help` shows the usage)\n", cmd->name, text,
		        cmd->name);
	else
		fprintf(stderr, "invadj: %s (`invadj --help` shows the usage)\n", text);
	return EXIT_USAGE;
}

int cli_parse_id(const command *cmd, const char *what, const char *text, bool zero_ok, int64_t *out)
{
	errno = 0;
	char *end;
	long long v = strtoll(text, &end, 10);
	bool digits = *text >= '0' && *text <= '9' && !*end;
	if (digits && errno == ERANGE)
		return cli_usage_error(cmd, "%s: \"%s\" is out of range (at most %lld)", what, text,
		                       (long long)INT64_MAX);
	if (!digits || (v == 0 && !zero_ok))
		return cli_usage_error(cmd, "%s: \"%s\" is not a whole number%s", what, text,
		                       zero_ok ? " of 0 or more" : " above 0");
	*out = v;
	return 0;
}

/* Handles a global option; false when val is not one. */
static bool global_option(cli *c, const command *cmd, int val, const char *arg, int *exit_code)
{
	*exit_code = -1;
	switch (val) {
	case OPT_DB:
		if (c->batch)
			*exit_code = cli_usage_error(cmd, "--db: a batch works on the database it was started "
			                                  "with (give --db before batch)");
		else
			c->db_path = arg;
		return true;
	case OPT_USER:
		if (c->batch)
			*exit_code = cli_usage_error(cmd, "--user: a batch logs in once, as the user given "
			                                  "before batch");
		else
			c->user = arg;
		return true;
	case OPT_FORMAT:
		if (strcmp(arg, "csv") == 0)
			c->format = OUT_CSV;
		else if (strcmp(arg, "table") == 0)
			c->format = OUT_TABLE;
		else
			*exit_code = cli_usage_error(cmd, "--format: \"%s\" is not table or csv", arg);
		return true;
	case OPT_RAW: c->raw = true; return true;
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
		if (code == 0)
			c->answered = true; /* --help or --version */
		if (code >= 0)
			return '?';
	}
}

const command *cli_command(const char *name)
{
	for (size_t k = 0; k < NCOMMANDS; k++)
		if (strcmp(name, commands[k]->name) == 0)
			return commands[k];
	return NULL;
}

int cli_run(cli *c, const command *cmd, int argc, char **argv)
{
	optind = 0; /* the command parses its own argv from the start */
	c->answered = false;
	int rc = cmd->run(c, argc, argv);
	return c->answered ? 0 : rc;
}

int cli_fail_text(iv_status st, const char *msg)
{
	/* Messages quote what was typed or read (a cell, an identifier):
	 * shown, never run by the terminal. */
	char text[2 * IV_MSG_MAX];
	text_printable(msg, text, sizeof text);
	fprintf(stderr, "%s: %s\n", iv_status_text(st), text);
	return iv_status_exit_code(st);
}

int cli_fail(cli *c, iv_status st)
{
	return cli_fail_text(st, iv_errmsg(c->db));
}

csv_style cli_csv_style(const cli *c)
{
	return c->raw ? CSV_EXACT : CSV_FOR_PEOPLE;
}

int cli_open(cli *c, iv_open_mode mode)
{
	if (c->batch && c->db)
		return 0;
	if (!c->db_path) {
		const char *why;
		if (!iv_default_db_path(c->default_path, sizeof c->default_path, &why)) {
			fprintf(stderr, "invalid input: --db: give a database path (%s)\n", why);
			return EXIT_USAGE;
		}
		c->db_path = c->default_path;
	}
	iv_status st = iv_open(c->db_path, mode, &c->db);
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

bool cli_approval(const char *name, char *pin, size_t size, iv_approval *ap)
{
	ap->name = name;
	ap->pin = NULL;
	if (!name)
		return true;
	if (!cli_secret("INVADJ_APPROVER_PIN", "Approver's PIN", pin, size))
		return false;
	ap->pin = pin;
	return true;
}

int cli_login(cli *c)
{
	if (c->batch && iv_session_user(c->db))
		return 0;
	if (c->batch && c->login_tried) {
		/* Never asked again: a wrong PIN would be tried line after line. */
		fprintf(stderr, "%s: User: this batch is not logged in (its login failed or ended on an "
		        "earlier line); nothing was saved\n", iv_status_text(IV_E_AUTH));
		return iv_status_exit_code(IV_E_AUTH);
	}
	c->login_tried = c->batch;
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
		if ((rc = cli_open(&c, IV_OPEN_EXISTING)) != 0) {
			iv_close(c.db);
			return rc;
		}
		rc = tui_run(c.db);
		iv_close(c.db);
		return rc;
	}
	const command *cmd = cli_command(argv[i]);
	if (!cmd) {
		fprintf(stderr, "invadj: unknown command \"%s\"\n", argv[i]);
		main_usage(stderr);
		return EXIT_USAGE;
	}
	rc = cli_run(&c, cmd, argc - i, argv + i);
	iv_close(c.db);
	return rc;
}
