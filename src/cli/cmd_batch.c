/* batch: the commands of a script, one a line on standard input, run
 * after one opening of the database and at most one login.  A login
 * checks the PIN with Argon2id (tens of milliseconds and 19 MiB, on
 * purpose); a script that posts hundreds of adjustments pays it once
 * here instead of once a command.  Each line runs exactly as `invadj
 * LINE` would, with the same output and the same exit status; its words
 * are split as include/invadj/words.h says, and nothing else of the
 * shell's applies. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "invadj/words.h"

#define LINE_MAX_BYTES 65536
#define WORDS_MAX 128

typedef enum line_read { LINE_OK, LINE_END, LINE_TOO_LONG, LINE_HAS_NUL } line_read;

/* Reads one line without its newline (nor a '\r' before it, as a script
 * saved on Windows has).  A line too long is read to its end, so that
 * the next one starts where it should. */
static line_read read_line(FILE *in, char *buf, size_t cap)
{
	size_t n = 0;
	bool nul = false, any = false;
	int ch;
	while ((ch = getc(in)) != EOF && ch != '\n') {
		any = true;
		if (ch == '\0')
			nul = true;
		if (n + 1 < cap)
			buf[n] = (char)ch;
		n++;
	}
	if (!any && ch == EOF)
		return LINE_END;
	if (n + 1 > cap)
		return LINE_TOO_LONG;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return nul ? LINE_HAS_NUL : LINE_OK;
}

/* A line's problem before any command runs: one sentence, usage status. */
static int line_error(unsigned long n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int line_error(unsigned long n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "invadj batch: line %lu: ", n);
	vfprintf(stderr, fmt, ap);
	fputs("; nothing was run\n", stderr);
	va_end(ap);
	return EXIT_USAGE;
}

static int run_line(cli *c, unsigned long n, char *line)
{
	char *argv[WORDS_MAX + 1];
	size_t argc;
	words_error e = words_split(line, argv, WORDS_MAX, &argc);
	if (e != WORDS_OK)
		return line_error(n, "the line %s", words_error_text(e));
	argv[argc] = NULL;
	const command *cmd = cli_command(argv[0]);
	if (!cmd)
		return line_error(n, "unknown command \"%s\"", argv[0]);
	if (cmd == &cmd_init || cmd == &cmd_batch)
		return line_error(n, "%s cannot run inside a batch", cmd->name);
	return cli_run(c, cmd, (int)argc, argv);
}

static int run_batch(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"keep-going", no_argument, NULL, 'k'}, {0}};
	bool keep_going = false;
	const char *arg;
	int o;
	while ((o = cli_getopt(c, &cmd_batch, argc, argv, opts, &arg)) != -1) {
		if (o != 'k')
			return EXIT_USAGE;
		keep_going = true;
	}
	if (optind != argc)
		return cli_usage_error(&cmd_batch, "unexpected argument \"%s\" (the commands come on "
		                                   "standard input)", argv[optind]);
	/* For writing: the lines may write (an older schema is brought up to
	 * date, as by any command that writes). */
	int rc = cli_open(c, IV_OPEN_EXISTING);
	if (rc != 0)
		return rc;
	char *line = malloc(LINE_MAX_BYTES + 1);
	if (!line) {
		fprintf(stderr, "%s\n", iv_status_text(IV_E_NOMEM));
		return iv_status_exit_code(IV_E_NOMEM);
	}
	c->batch = true;
	const out_format format = c->format;
	const bool raw = c->raw;
	int status = 0;
	for (unsigned long n = 1;; n++) {
		line_read r = read_line(stdin, line, LINE_MAX_BYTES + 1);
		if (r == LINE_END)
			break;
		int line_rc;
		if (r == LINE_TOO_LONG)
			line_rc = line_error(n, "the line is longer than %d bytes", LINE_MAX_BYTES);
		else if (r == LINE_HAS_NUL)
			line_rc = line_error(n, "the line has a NUL byte");
		else if (words_is_comment(line))
			continue;
		else
			line_rc = run_line(c, n, line);
		c->format = format; /* a line's --format and --raw are its own */
		c->raw = raw;
		fflush(stdout);     /* a script reading the output gets each line's now */
		if (line_rc == 0)
			continue;
		if (status == 0)
			status = line_rc;
		if (!keep_going) {
			fprintf(stderr, "invadj batch: line %lu failed (exit %d); the lines after it were not run\n",
			        n, line_rc);
			break;
		}
		fprintf(stderr, "invadj batch: line %lu failed (exit %d)\n", n, line_rc);
	}
	free(line);
	return status;
}

const command cmd_batch = {
	"batch", run_batch,
	"batch [--keep-going]  < SCRIPT\n"
	"  Runs the commands on standard input, one a line (adjust --store MAIN ...), each\n"
	"  with the output and exit status it has alone, after one opening of the database\n"
	"  and at most one login: the PIN is checked once, not once a line.  Words are\n"
	"  separated by blanks; '...' and \"...\" quote (in \"...\", \\\" and \\\\), \\ quotes one\n"
	"  character; nothing else is special (no variables, patterns or redirection).\n"
	"  Empty lines and lines starting with # are skipped.  --db and --user go before\n"
	"  batch; --format before batch is every line's, on a line that line's.\n"
	"  The first line that fails stops the batch (its status is the batch's); with\n"
	"  --keep-going every line runs and the first failure's status is the batch's.",
	"run commands from standard input after one login",
};
