/* Writing commands: adjust and reverse. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "invadj/upload.h"

static const char *const line_headers[] = {"Id", "StoreCode", "ItemNumber", "NetAvailable", "Diff", "NewQty"};
static const int line_widths[] = {-6, 9, 16, -12, -8, -8};

static void print_line(cli *c, const char *store, const iv_line_out *o)
{
	table t = table_for(c, 6, line_headers, line_widths);
	char id[24], net[24], diff[24], nq[24];
	const char *cells[] = {
		o->id ? cell_int(id, o->id) : "", store, o->item.number, cell_int(net, o->net_available),
		cell_int(diff, o->diff), cell_int(nq, o->new_qty),
	};
	table_row(&t, cells);
}

static int run_adjust(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'}, {"item", required_argument, NULL, 'i'},
		{"diff", required_argument, NULL, 'n'},  {"reason", required_argument, NULL, 'r'},
		{"date", required_argument, NULL, 'd'},  {"memo", required_argument, NULL, 'm'},
		{"approver", required_argument, NULL, 'a'}, {"dry-run", no_argument, NULL, 'x'},
		{0},
	};
	iv_line_in line = {0};
	const char *store = NULL, *date = NULL, *approver = NULL, *arg;
	bool dry = false;
	int o;
	while ((o = cli_getopt(c, &cmd_adjust, argc, argv, opts, &arg)) != -1) {
		switch (o) {
		case 's': store = arg; break;
		case 'i': line.item = arg; break;
		case 'n': line.diff = arg; break;
		case 'r': line.reason = arg; break;
		case 'd': date = arg; break;
		case 'm': line.memo = arg; break;
		case 'a': approver = arg; break;
		case 'x': dry = true; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(&cmd_adjust, "unexpected argument \"%s\"", argv[optind]);
	/* Missing values are the engine's to refuse, with the field named;
	 * the option names are given here for the command line's users. */
	if (!store || !line.item || !line.diff || !line.reason)
		return cli_usage_error(&cmd_adjust, "--store, --item, --diff and --reason are required");
	int rc = cli_open(c, dry ? IV_OPEN_READONLY : IV_OPEN_EXISTING);
	if (rc == 0 && !dry)
		rc = cli_login(c);
	if (rc != 0)
		return rc;
	char pin[128];
	iv_document doc = {.store = store, .date = date, .lines = &line, .nlines = 1};
	if (!cli_approval(approver, pin, sizeof pin, &doc.approval))
		return EXIT_USAGE;
	iv_line_out out;
	int64_t docno;
	iv_status st = dry ? iv_doc_preview(c->db, &doc, &out) : iv_doc_post(c->db, &doc, &out, &docno);
	memset(pin, 0, sizeof pin);
	if (st != IV_OK)
		return cli_fail(c, st);
	iv_store s;
	print_line(c, iv_store_get(c->db, store, &s) == IV_OK ? s.code : store, &out);
	return 0;
}

const command cmd_adjust = {
	"adjust", run_adjust,
	"adjust --store S --item I --diff N --reason R [--date D] [--memo TEXT]\n"
	"              [--approver NAME] [--dry-run]\n"
	"  Posts one adjustment line; prints Id, Net Available, Diff and New Qty.\n"
	"  I is an item number, UPC, barcode or alternate number; D is today or earlier\n"
	"  (MM/DD/YYYY, MM-DD-YYYY or YYYY-MM-DD).  --approver names the supervisor who\n"
	"  approves a Diff above the store's threshold (PIN from INVADJ_APPROVER_PIN).\n"
	"  --dry-run shows the result and saves nothing.",
	"post an adjustment",
};


static int reverse_batch(cli *c, const char *id_text, const char *reason, const char *memo,
                         iv_approval ap)
{
	int64_t id;
	int rc = cli_parse_id(&cmd_reverse, "--batch", id_text, false, &id);
	if (rc != 0)
		return rc;
	iv_upload_result res;
	iv_status st = iv_reverse_batch(c->db, id, reason, memo, ap, &res);
	if (st != IV_OK)
		return cli_fail(c, st);
	printf("reversed batch %lld: %llu rows reversed by batch %lld (document %lld)",
	       (long long)id, (unsigned long long)res.posted, (long long)res.batch_id, (long long)res.document);
	if (res.unchanged)
		printf(", %llu already reversed one by one", (unsigned long long)res.unchanged);
	putchar('\n');
	return 0;
}


static int run_reverse(cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"reason", required_argument, NULL, 'r'}, {"memo", required_argument, NULL, 'm'},
		{"approver", required_argument, NULL, 'a'}, {"batch", required_argument, NULL, 'b'},
		{0},
	};
	const char *reason = NULL, *memo = NULL, *approver = NULL, *batch = NULL, *arg;
	int o;
	while ((o = cli_getopt(c, &cmd_reverse, argc, argv, opts, &arg)) != -1) {
		switch (o) {
		case 'r': reason = arg; break;
		case 'm': memo = arg; break;
		case 'a': approver = arg; break;
		case 'b': batch = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (batch ? optind != argc : optind + 1 != argc)
		return cli_usage_error(&cmd_reverse, "expected one adjustment id, or --batch ID");
	int64_t id = 0;
	int rc = batch ? 0 : cli_parse_id(&cmd_reverse, "Id", argv[optind], false, &id);
	if (rc == 0)
		rc = cli_open(c, IV_OPEN_EXISTING);
	if (rc == 0)
		rc = cli_login(c);
	if (rc != 0)
		return rc;
	char pin[128];
	iv_approval ap;
	if (!cli_approval(approver, pin, sizeof pin, &ap))
		return EXIT_USAGE;
	if (batch) {
		rc = reverse_batch(c, batch, reason, memo, ap);
		memset(pin, 0, sizeof pin);
		return rc;
	}
	iv_reversal rev = {.id = id, .reason = reason, .memo = memo, .approval = ap};
	iv_line_out out;
	iv_status st = iv_reverse(c->db, &rev, &out);
	memset(pin, 0, sizeof pin);
	if (st != IV_OK)
		return cli_fail(c, st);
	iv_ledger_row row;
	print_line(c, iv_ledger_get(c->db, out.id, &row) == IV_OK ? row.store : "", &out);
	return 0;
}

const command cmd_reverse = {
	"reverse", run_reverse,
	"reverse ID [--reason R] [--memo TEXT] [--approver NAME]\n"
	"       invadj reverse --batch ID [--reason R] [--memo TEXT] [--approver NAME]\n"
	"  Reverses an adjustment (or a whole upload batch) with a new row of the opposite\n"
	"  Diff, dated today, reason REV unless given.  A supervisor or admin may reverse;\n"
	"  a clerk needs --approver (a supervisor; PIN from INVADJ_APPROVER_PIN).\n"
	"  An adjustment is reversed once only; a reversal cannot be reversed.",
	"reverse an adjustment or an upload batch",
};
