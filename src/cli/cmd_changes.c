/* The history of master data: who changed which field of a store, item,
 * reason or user from what to what, and when. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static bool print_change(void *ctx, const iv_change *ch)
{
	const char *cells[] = {ch->recorded_at, ch->key, ch->action, ch->by, ch->field, ch->from, ch->to};
	table_row(ctx, cells);
	return true;
}

int cli_print_changes(cli *c, iv_entity kind, const char *key)
{
	static const char *const headers[] = {"RecordedAt", "Key", "Action", "By", "Field", "From", "To"};
	static const int widths[] = {24, 12, 9, 10, 18, 20, 0};
	table t = table_for(c, 7, headers, widths);
	iv_status st = iv_master_history(c->db, kind, key, print_change, &t);
	if (st != IV_OK)
		return cli_fail(c, st);
	table_row(&t, NULL);
	return 0;
}

/* `invadj KIND history [KEY]`. */
static int run_kind(cli *c, const command *cmd, iv_entity kind, int argc, char **argv)
{
	const char *arg;
	if (cli_getopt(c, cmd, argc, argv, NULL, &arg) != -1)
		return EXIT_USAGE;
	int n = argc - optind;
	if (n < 1 || n > 2 || strcmp(argv[optind], "history") != 0)
		return cli_usage_error(cmd, "expected: %s history [KEY]", cmd->name);
	int rc = cli_open(c, IV_OPEN_READONLY);
	return rc ? rc : cli_print_changes(c, kind, n == 2 ? argv[optind + 1] : NULL);
}

static int run_store(cli *c, int argc, char **argv)
{
	return run_kind(c, &cmd_store, IV_ENTITY_STORE, argc, argv);
}

static int run_item(cli *c, int argc, char **argv)
{
	return run_kind(c, &cmd_item, IV_ENTITY_ITEM, argc, argv);
}

static int run_reason(cli *c, int argc, char **argv)
{
	return run_kind(c, &cmd_reason, IV_ENTITY_REASON, argc, argv);
}

const command cmd_store = {
	"store", run_store,
	"store history [CODE]\n"
	"  Every change of a store (or of every store): when, by whom, which field\n"
	"  (name, allow_negative, approval_threshold, tz) from what to what.",
	"the history of stores",
};

const command cmd_item = {
	"item", run_item,
	"item history [ITEM]\n"
	"  Every change of an item (any of its identifiers finds it), or of every item:\n"
	"  when, by whom, which field from what to what (a renumbering included).",
	"the history of items",
};

const command cmd_reason = {
	"reason", run_reason,
	"reason history [CODE]\n"
	"  Every change of a reason code (or of every one): when, by whom, what.",
	"the history of reason codes",
};
