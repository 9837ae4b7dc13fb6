/* count: a count on the shelf (include/invadj/count.h): start, add,
 * undo, show, post, cancel, list.  Every rule, blind counting included,
 * is the engine's; this file formats. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "invadj/count.h"

enum {
	OPT_STORE = 's', OPT_BLIND = 'b', OPT_ITEMS = 'i', OPT_ALL = 'a', OPT_MEMO = 'm', OPT_ITEM = 'I',
	OPT_QTY = 'q', OPT_SET = 'S', OPT_ZERO = 'z', OPT_REASON = 'r', OPT_ACCEPT = 'A', OPT_APPROVER = 'p',
	OPT_DRY = 'x', OPT_VARIANCE = 'v',
};

static const struct option count_opts[] = {
	{"store", required_argument, NULL, OPT_STORE},   {"blind", no_argument, NULL, OPT_BLIND},
	{"items", required_argument, NULL, OPT_ITEMS},   {"all", no_argument, NULL, OPT_ALL},
	{"memo", required_argument, NULL, OPT_MEMO},     {"item", required_argument, NULL, OPT_ITEM},
	{"qty", required_argument, NULL, OPT_QTY},       {"set", required_argument, NULL, OPT_SET},
	{"zero-uncounted", no_argument, NULL, OPT_ZERO}, {"reason", required_argument, NULL, OPT_REASON},
	{"accept-moved", no_argument, NULL, OPT_ACCEPT}, {"approver", required_argument, NULL, OPT_APPROVER},
	{"dry-run", no_argument, NULL, OPT_DRY},         {"by-variance", no_argument, NULL, OPT_VARIANCE},
	{0},
};

/* What the options said; each subcommand takes only its own. */
typedef struct count_args {
	const char *what;      /* start, add, ... */
	int64_t id;            /* the count, for all but start and list */
	const char *store, *items, *memo, *item, *qty, *set, *reason, *approver;
	bool blind, all, zero, accept, dry, variance;
	char given[32];        /* the options given, as their letters */
} count_args;

/* Which options each subcommand takes (their letters). */
static const struct {
	const char *name;
	bool takes_id;
	const char *options;
} subcommands[] = {
	{"start", false, "sbiam"}, {"add", true, "IqS"},     {"undo", true, ""},
	{"show", true, "zv"},      {"post", true, "zrApx"},  {"cancel", true, ""},
	{"list", false, "sa"},
};

static const char *opt_name(int letter)
{
	for (const struct option *o = count_opts; o->name; o++)
		if (o->val == letter)
			return o->name;
	return "?";
}

static int parse_args(cli *c, int argc, char **argv, count_args *a)
{
	memset(a, 0, sizeof *a);
	const char *arg;
	int o;
	size_t ngiven = 0;
	while ((o = cli_getopt(c, &cmd_count, argc, argv, count_opts, &arg)) != -1) {
		switch (o) {
		case OPT_STORE: a->store = arg; break;
		case OPT_BLIND: a->blind = true; break;
		case OPT_ITEMS: a->items = arg; break;
		case OPT_ALL: a->all = true; break;
		case OPT_MEMO: a->memo = arg; break;
		case OPT_ITEM: a->item = arg; break;
		case OPT_QTY: a->qty = arg; break;
		case OPT_SET: a->set = arg; break;
		case OPT_ZERO: a->zero = true; break;
		case OPT_REASON: a->reason = arg; break;
		case OPT_ACCEPT: a->accept = true; break;
		case OPT_APPROVER: a->approver = arg; break;
		case OPT_DRY: a->dry = true; break;
		case OPT_VARIANCE: a->variance = true; break;
		default: return EXIT_USAGE;
		}
		if (ngiven + 1 < sizeof a->given)
			a->given[ngiven++] = (char)o;
	}
	if (optind >= argc)
		return cli_usage_error(&cmd_count, "expected: count start|add|undo|show|post|cancel|list");
	a->what = argv[optind];
	int sub = -1;
	for (int k = 0; k < (int)(sizeof subcommands / sizeof subcommands[0]); k++)
		if (strcmp(a->what, subcommands[k].name) == 0)
			sub = k;
	if (sub < 0)
		return cli_usage_error(&cmd_count, "\"%s\" is not start, add, undo, show, post, cancel or list", a->what);
	int want = subcommands[sub].takes_id ? 2 : 1;
	if (argc - optind != want)
		return cli_usage_error(&cmd_count, want == 2 ? "count %s takes the count's id" : "count %s takes no id",
		                       a->what);
	for (const char *g = a->given; *g; g++)
		if (!strchr(subcommands[sub].options, *g))
			return cli_usage_error(&cmd_count, "--%s is not an option of count %s", opt_name(*g), a->what);
	if (want == 2 && cli_parse_id(&cmd_count, "Count", argv[optind + 1], false, &a->id) != 0)
		return EXIT_USAGE;
	return 0;
}

/* ---- start ---- */

static int count_start(cli *c, const count_args *a)
{
	if (!a->store)
		return cli_usage_error(&cmd_count, "--store is required");
	if (a->items && a->all)
		return cli_usage_error(&cmd_count, "--items and --all: give one (a list of items, or every item)");
	iv_count_start_in in = {
		.store = a->store,
		.blind = a->blind,
		.scope = a->items ? IV_COUNT_ITEMS : a->all ? IV_COUNT_ALL : IV_COUNT_SCANNED,
		.items_path = a->items,
		.memo = a->memo,
	};
	int64_t id;
	iv_status st = iv_count_start(c->db, &in, &id);
	if (st != IV_OK)
		return cli_fail(c, st);
	char cell[24];
	if (c->format == OUT_CSV) {
		static const char *const headers[] = {"CountId"};
		table t = table_for(c, 1, headers, NULL);
		const char *cells[] = {cell_int(cell, id)};
		table_row(&t, cells);
	} else {
		printf("%lld\n", (long long)id); /* the id alone: ID=$(invadj count start ...) */
	}
	return 0;
}

/* ---- add and undo: the item's Counted after it ---- */

static const char *const counted_headers[] = {"ItemNumber", "Description", "Counted"};
static const int counted_widths[] = {16, 30, -8};

static void print_counted(cli *c, const iv_scan_out *o)
{
	table t = table_for(c, 3, counted_headers, counted_widths);
	char n[24];
	const char *cells[] = {o->item.number, o->item.description, cell_int(n, o->counted)};
	table_row(&t, cells);
}

static int count_add(cli *c, const count_args *a)
{
	if (!a->item)
		return cli_usage_error(&cmd_count, "--item is required");
	if (a->qty && a->set)
		return cli_usage_error(&cmd_count, "--qty and --set: give one (add N, or set the count to N)");
	iv_scan_in in = {a->id, a->item, a->set ? a->set : a->qty, a->set != NULL};
	iv_scan_out out;
	iv_status st = iv_count_add(c->db, &in, &out);
	if (st != IV_OK)
		return cli_fail(c, st);
	print_counted(c, &out);
	return 0;
}

static int count_undo(cli *c, const count_args *a)
{
	iv_scan_out out;
	iv_status st = iv_count_undo(c->db, a->id, &out);
	if (st != IV_OK)
		return cli_fail(c, st);
	if (c->format == OUT_TABLE)
		printf("undone: scan %lld, %s %s%lld\n", (long long)out.scan, out.item.number,
		       out.kind == IV_SCAN_SET ? "set to " : "+", (long long)out.qty);
	print_counted(c, &out);
	return 0;
}

/* ---- show, and the lines of post ---- */

/* show's columns (the table adds the Diff's Value at the item's cost:
 * the CSV keeps the columns scripts were promised); post's add the
 * row's Id in front and New Qty. */
#define SHOW_COLUMNS 6
#define POST_COLUMNS 8
static const char *const show_headers[SHOW_COLUMNS + 1] = {
	"ItemNumber", "Description", "Counted", "NetAvailableAtStart", "MovedSince", "Diff", "Value",
};
static const int show_widths[SHOW_COLUMNS + 1] = {16, 24, -8, -19, -10, -8, -10};
static const char *const post_headers[POST_COLUMNS] = {
	"Id", "ItemNumber", "Description", "Counted", "NetAvailableAtStart", "MovedSince", "Diff", "NewQty",
};
static const int post_widths[POST_COLUMNS] = {-6, 16, 24, -8, -19, -10, -8, -8};

typedef struct line_printer {
	cli *c;
	table t;
	bool started;      /* the table's columns chosen */
	bool posting;      /* post's columns: NewQty and the row's Id */
	bool moved_only;   /* the lines to accept or recount, no others */
	const iv_count_view *view; /* show: what the engine lets the session see */
} line_printer;

static void print_summary(const iv_count_info *i)
{
	printf("count %lld at %s, %s%s, %s items, started %s by %s%s%s\n", (long long)i->id, i->store,
	       iv_count_status_name(i->status), i->blind ? ", blind" : "", iv_count_scope_name(i->scope),
	       i->started_local, i->started_by, i->memo[0] ? ": " : "", i->memo);
}

/* The columns, once the engine has said what the session may see
 * (blind, for a clerk: three). */
static void start_lines(line_printer *p)
{
	if (p->started)
		return;
	p->started = true;
	bool hidden = p->view && p->view->hidden;
	if (p->view && p->c->format == OUT_TABLE)
		print_summary(&p->view->info);
	if (p->posting)
		p->t = table_for(p->c, POST_COLUMNS, post_headers, post_widths);
	else
		p->t = table_for(p->c, hidden ? 3 : SHOW_COLUMNS + (p->c->format == OUT_TABLE), show_headers,
		                 show_widths);
}

static bool print_line(void *ctx, const iv_count_line *l)
{
	line_printer *p = ctx;
	if (p->moved_only && (l->moved == 0 || (!l->counted && !l->zeroed)))
		return true;
	/* an item nobody counted has no Counted and posts nothing (unless zeroed) */
	bool has = l->counted || l->zeroed;
	if (p->posting && !has)
		return true;
	start_lines(p);
	char n[6][24];
	const char *counted = has ? cell_int(n[0], l->qty) : "", *diff = has ? cell_int(n[3], l->diff) : "";
	const char *at_start = cell_int(n[1], l->at_start), *moved = cell_int(n[2], l->moved);
	char value[IV_MONEY_TEXT];
	if (l->valued)
		money_format(l->value, value, sizeof value);
	else
		snprintf(value, sizeof value, "%s", has && l->diff != 0 ? "-" : ""); /* no cost that day */
	const char *show_cells[SHOW_COLUMNS + 1] = {l->item.number, l->item.description, counted, at_start, moved,
	                                            diff, value};
	const char *post_cells[POST_COLUMNS] = {
		l->id ? cell_int(n[5], l->id) : "", l->item.number, l->item.description, counted, at_start, moved,
		diff, cell_int(n[4], l->new_qty),
	};
	const char *const *cells = p->posting ? post_cells : show_cells;
	table_row(&p->t, cells);
	return true;
}

static int count_show(cli *c, const count_args *a)
{
	iv_count_show_in in = {a->id, a->variance ? IV_COUNT_BY_VARIANCE : IV_COUNT_BY_ITEM, a->zero};
	iv_count_view view;
	line_printer p = {.c = c, .view = &view};
	iv_status st = iv_count_show(c->db, &in, print_line, &p, &view);
	if (st != IV_OK)
		return cli_fail(c, st);
	start_lines(&p);
	table_row(&p.t, NULL);
	if (c->format == OUT_TABLE && !view.hidden)
		printf("%zu counted, %zu not counted, %zu moved since counted; posting would write %zu rows "
		       "(+%lld, -%lld)\n",
		       view.counted, view.uncounted, view.moved, view.differ, (long long)view.added,
		       (long long)view.removed);
	else if (c->format == OUT_TABLE)
		printf("%zu counted\n", view.counted);
	return 0;
}

static int count_post(cli *c, const count_args *a)
{
	char pin[128];
	iv_count_post_in in = {.count = a->id, .reason = a->reason, .zero_uncounted = a->zero,
	                       .accept_moved = a->accept};
	if (!cli_approval(a->approver, pin, sizeof pin, &in.approval))
		return EXIT_USAGE;
	iv_count_post_out out;
	/* The lines whose stock moved are listed before anything posts:
	 * refused without --accept-moved, posted as they are with it. */
	line_printer p = {.c = c, .posting = true, .moved_only = !a->dry};
	iv_status st = iv_count_post_preview(c->db, &in, print_line, &p, &out);
	if (p.started && c->format == OUT_TABLE && !a->dry)
		printf("%zu item%s moved since counted%s\n", out.moved, out.moved == 1 ? "" : "s",
		       a->accept ? ": posted as counted, the moves kept (--accept-moved)" : "");
	if (st == IV_OK && !a->dry) {
		if (p.started && c->format == OUT_TABLE)
			putchar('\n');
		p = (line_printer){.c = c, .posting = true};
		st = iv_count_post(c->db, &in, print_line, &p, &out);
	}
	memset(pin, 0, sizeof pin);
	if (st != IV_OK)
		return cli_fail(c, st);
	start_lines(&p);
	table_row(&p.t, NULL);
	if (c->format == OUT_TABLE) {
		if (a->dry)
			printf("would post %zu row%s (nothing saved)\n", out.posted, out.posted == 1 ? "" : "s");
		else if (out.batch)
			printf("posted count %lld: %zu row%s as document %lld, batch %lld\n", (long long)a->id,
			       out.posted, out.posted == 1 ? "" : "s", (long long)out.document, (long long)out.batch);
		else
			printf("posted count %lld: every item matched, nothing to adjust\n", (long long)a->id);
	}
	return 0;
}

static int count_cancel(cli *c, const count_args *a)
{
	iv_status st = iv_count_cancel(c->db, a->id);
	if (st != IV_OK)
		return cli_fail(c, st);
	printf("cancelled count %lld\n", (long long)a->id);
	return 0;
}

/* ---- list ---- */

static bool print_count(void *ctx, const iv_count_info *i)
{
	char n[4][24];
	const char *cells[] = {
		cell_int(n[0], i->id), i->store, iv_count_status_name(i->status), i->blind ? "yes" : "no",
		iv_count_scope_name(i->scope), cell_int(n[1], (long long)i->scans), cell_int(n[2], (long long)i->items),
		i->started_by, i->started_at, i->ended_by, i->ended_at, i->document ? cell_int(n[3], i->document) : "",
		i->memo,
	};
	table_row(ctx, cells);
	return true;
}

static int count_list(cli *c, const count_args *a)
{
	static const char *const headers[] = {"CountId", "Store", "Status", "Blind", "Scope", "Scans", "Items",
	                                      "StartedBy", "StartedAt", "EndedBy", "EndedAt", "Document", "Memo"};
	static const int widths[] = {-7, 6, 9, 5, 7, -6, -6, 10, 24, 8, 24, -8, 0};
	table t = table_for(c, 13, headers, widths);
	iv_status st = iv_count_list(c->db, a->store, a->all, print_count, &t);
	if (st != IV_OK)
		return cli_fail(c, st);
	table_row(&t, NULL);
	return 0;
}

static int run_count(cli *c, int argc, char **argv)
{
	count_args a;
	int rc = parse_args(c, argc, argv, &a);
	if (rc != 0)
		return rc;
	/* list needs no login (no quantities); show logs in when a user is
	 * given, as what a blind count shows depends on who asks */
	bool reads = strcmp(a.what, "list") == 0 || (strcmp(a.what, "show") == 0 && !c->user) ||
	             (strcmp(a.what, "post") == 0 && a.dry && !c->user);
	rc = cli_open(c, reads ? IV_OPEN_READONLY : IV_OPEN_EXISTING);
	if (rc == 0 && !reads)
		rc = cli_login(c);
	if (rc != 0)
		return rc;
	static const struct {
		const char *name;
		int (*run)(cli *c, const count_args *a);
	} runs[] = {
		{"start", count_start}, {"add", count_add},       {"undo", count_undo}, {"show", count_show},
		{"post", count_post},   {"cancel", count_cancel}, {"list", count_list},
	};
	for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++)
		if (strcmp(a.what, runs[k].name) == 0)
			return runs[k].run(c, &a);
	return EXIT_USAGE;
}

const command cmd_count = {
	"count", run_count,
	"count start --store S [--blind] [--items FILE | --all] [--memo TEXT]\n"
	"       invadj count add ID --item I [--qty N | --set N]\n"
	"       invadj count undo ID\n"
	"       invadj count show ID [--zero-uncounted] [--by-variance]\n"
	"       invadj count post ID [--zero-uncounted] [--accept-moved] [--reason R]\n"
	"                          [--approver NAME] [--dry-run]\n"
	"       invadj count cancel ID | invadj count list [--store S] [--all]\n"
	"  A count on the shelf, scanned on any number of terminals at once.  start\n"
	"  prints the count's id; --items FILE: a CSV file whose ItemNumber column lists\n"
	"  the items to count (others are refused); --all: every item of the store;\n"
	"  neither: the items scanned.  --blind: clerks see only what they counted.\n"
	"  add: one scan of I (any identifier) adds N (1 unless given); --set N: a\n"
	"  recount, the item's count is N as of now.  undo: your last scan is undone.\n"
	"  show: Counted, Net Available at the start (or the item's recount), what moved\n"
	"  since and Diff = Counted - Net Available then (blind: Counted only, for a\n"
	"  clerk); give --user to be shown as who you are.  post: every non-zero Diff as\n"
	"  one document dated the count's day, reason CC unless --reason; New Qty = Net\n"
	"  Available now + Diff.  Items whose stock moved since counted are listed and\n"
	"  refused unless --accept-moved (or recount them).  --zero-uncounted: items of\n"
	"  the count nobody counted are posted as counted 0.  A clerk needs --approver\n"
	"  above a store's threshold; a blind count is posted by a supervisor or admin.\n"
	"  A count posts once; cancel ends it without posting.  list: open counts and\n"
	"  those ended in the last 30 days (--all: every count).",
	"count a store with scanners and post the differences",
};
