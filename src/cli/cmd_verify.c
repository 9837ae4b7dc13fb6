/* Checking commands: verify and checkpoint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The whole of a checkpoint file (at most 16 MiB: a year of evenings
 * is some hundred kilobytes). */
static char *read_file(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (len + 1 == cap) {
			char *more = cap < (16u << 20) ? realloc(buf, cap *= 2) : NULL;
			if (!more) {
				free(buf);
				buf = NULL;
			}
			buf = more;
		}
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
}

static int run_verify(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"checkpoint", required_argument, NULL, 'c'}, {0}};
	const char *file = NULL, *arg;
	int o;
	while ((o = cli_getopt(c, &cmd_verify, argc, argv, opts, &arg)) != -1) {
		if (o != 'c')
			return EXIT_USAGE;
		file = arg;
	}
	if (optind != argc)
		return cli_usage_error(&cmd_verify, "unexpected argument \"%s\"", argv[optind]);
	iv_verify_opts opts_in = {0};
	char *text = NULL;
	if (file && !(text = read_file(file))) {
		fprintf(stderr, "file error: Checkpoint: cannot read %s\n", file);
		return iv_status_exit_code(IV_E_IO);
	}
	opts_in.checkpoints = text;
	int rc = cli_open(c, IV_OPEN_READONLY);
	if (rc != 0) {
		free(text);
		return rc;
	}
	iv_verify_report r;
	iv_status st = iv_verify_with(c->db, &opts_in, &r);
	free(text);
	if (st != IV_OK && !(st == IV_E_STORAGE && !r.triggers_tried))
		return cli_fail(c, st);
	printf("ok: %llu ledger rows in %llu store chains, %llu events, %llu balances, %llu posted "
	       "counts; every hash and rule holds",
	       (unsigned long long)r.ledger_rows, (unsigned long long)r.chains,
	       (unsigned long long)r.events, (unsigned long long)r.balances,
	       (unsigned long long)r.counts);
	if (file)
		printf("; %llu checkpoint%s hold%s", (unsigned long long)r.checkpoints,
		       r.checkpoints == 1 ? "" : "s", r.checkpoints == 1 ? "s" : "");
	printf("; head %s\n", r.head_hash);
	/* All else holds, but the triggers were not tried: not a clean bill. */
	return st == IV_OK ? 0 : cli_fail(c, st);
}

const command cmd_verify = {
	"verify", run_verify,
	"verify [--checkpoint FILE]\n"
	"  Checks the database from its rows alone: the database's own check, the\n"
	"  append-only triggers (tried, in a transaction that is rolled back), each\n"
	"  store's hash chain and the master chain of events, the master data rebuilt\n"
	"  from its events, every rule replayed as it stood when each row was saved, and\n"
	"  every balance against its rows.  Names the first fault (chain, row, rule).\n"
	"  Prints the head: one hash over every chain's length and head.\n"
	"  --checkpoint FILE: also proves that every row each checkpoint line in FILE\n"
	"  (see `invadj checkpoint`; - for standard input) covered is still there,\n"
	"  unchanged.  Exit 8 on a fault; 7 when all else holds but the triggers could\n"
	"  not be tried (the file is not writable for this user).",
	"check the database, every chain and every rule",
};

static int run_checkpoint(cli *c, int argc, char **argv)
{
	const char *arg;
	if (cli_getopt(c, &cmd_checkpoint, argc, argv, NULL, &arg) != -1)
		return EXIT_USAGE;
	if (optind != argc)
		return cli_usage_error(&cmd_checkpoint, "unexpected argument \"%s\"", argv[optind]);
	int rc = cli_open(c, IV_OPEN_EXISTING);
	if (rc == 0)
		rc = cli_login(c);
	if (rc != 0)
		return rc;
	static char line[IV_CHECKPOINT_MAX];
	iv_status st = iv_checkpoint(c->db, line);
	if (st != IV_OK)
		return cli_fail(c, st);
	printf("%s\n", line);
	return 0;
}

const command cmd_checkpoint = {
	"checkpoint", run_checkpoint,
	"checkpoint\n"
	"  Records a checkpoint (supervisor or admin) and prints it as one line: the\n"
	"  time, each chain's length and head, and one root hash over them.  Print it or\n"
	"  mail it off the machine every evening; `invadj verify --checkpoint FILE` later\n"
	"  proves that every row it covered is still there, unchanged.",
	"record a checkpoint line to keep off the machine",
};
