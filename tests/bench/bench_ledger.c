/* make bench: latency of the everyday operations on a big ledger.
 *
 * Builds (once, kept in build/bench/) a ledger of 10,000,000 rows over
 * 10 stores x 10,000 items spread over 100 days, then times:
 *   - a durable single-line adjustment (iv_doc_post, synchronous=FULL),
 *   - a Net Available lookup (iv_net_available),
 *   - an as-of-date lookup (iv_net_available with a date),
 *   - the whole command `invadj balance --store S --item I --as-of D`
 *     (and with --item alone: one item in every store), a new process
 *     each time as a user runs it (target: 5 ms),
 *   - reports (iv_report_adjustments) by store and reason over the last
 *     30 days and over all 100 days (target: 1 s), by item over 30 days
 *     and for one item, and the whole command `invadj report adjustments
 *     --by store,reason`,
 * and prints p50/p99.  Figures only: nothing here passes or fails on time.
 * BENCH_ROWS overrides the ledger size (e.g. for a quick look). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/internal.h"
#include "invadj/hmap.h"
#include "timing.h"

#define STORES 10
#define ITEMS 10000
#define DAYS 100

static void die(iv_db *db, const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, db ? iv_errmsg(db) : "");
	exit(1);
}

static void report(const char *what, double *t, int n)
{
	double p50 = percentile(t, n, 50), p99 = percentile(t, n, 99);
	printf("  %-38s p50 %9.1f us   p99 %9.1f us   (%d samples)\n", what, p50, p99, n);
}

static void write_masters(const char *dir)
{
	char path[512];
	snprintf(path, sizeof path, "%s/stores.csv", dir);
	FILE *f = fopen(path, "w");
	fprintf(f, "StoreCode,StoreName\n");
	for (int s = 0; s < STORES; s++)
		fprintf(f, "S%02d,Store %d\n", s, s);
	fclose(f);
	snprintf(path, sizeof path, "%s/items.csv", dir);
	f = fopen(path, "w");
	fprintf(f, "ItemNumber,Description,UPC\n");
	for (int i = 0; i < ITEMS; i++)
		fprintf(f, "IT%05d,Item %d,9%011d\n", i, i, i);
	fclose(f);
	snprintf(path, sizeof path, "%s/reasons.csv", dir);
	f = fopen(path, "w");
	fprintf(f, "ReasonCode\nCC\n");
	fclose(f);
}

/* Fills the ledger through the engine's own append (hash chain and
 * all), summing balances in memory and writing them once at the end. */
static void build(const char *path, long rows)
{
	iv_db *db = NULL;
	char dir[] = "/tmp/invadj-bench-XXXXXX";
	if (!mkdtemp(dir))
		die(NULL, "mkdtemp");
	if (iv_open(path, IV_OPEN_CREATE, &db) != IV_OK || iv_init(db, "admin", "bench-pin-0") != IV_OK ||
	    iv_login(db, "admin", "bench-pin-0") != IV_OK)
		die(db, "init");
	write_masters(dir);
	char p[512];
	size_t n;
	static const char *const files[] = {"stores.csv", "items.csv", "reasons.csv"};
	for (int k = 0; k < 3; k++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[k]);
		if (iv_import(db, (iv_import_kind)k, p, &n) != IV_OK)
			die(db, "import");
		unlink(p);
	}
	rmdir(dir);
	double t0 = now_us();
	static iv_qty balance[STORES][ITEMS];
	static iv_qty day_total[STORES][ITEMS][DAYS];
	/* the report summaries' sums (one reason, one user) */
	static uint16_t day_lines[STORES][ITEMS][DAYS];
	static int32_t day_added[STORES][ITEMS][DAYS], day_removed[STORES][ITEMS][DAYS];
	store_bulk_mode(db->st, true);
	if (store_begin(db->st, true) != IV_OK)
		die(db, "begin");
	ledger_chains chains;
	if (ledger_chains_init(db, &chains) != IV_OK)
		die(db, "head");
	char codes[STORES][8];
	for (int s = 0; s < STORES; s++)
		snprintf(codes[s], sizeof codes[s], "S%02d", s);
	char numbers[ITEMS][16];
	for (int i = 0; i < ITEMS; i++)
		snprintf(numbers[i], sizeof numbers[i], "IT%05d", i);
	iv_date today = iv_today(db, NULL), first = today - DAYS + 1;
	char now[32];
	if (clock_now_text(db, now) != IV_OK)
		die(db, "clock");
	srand(42);
	for (long r = 0; r < rows; r++) {
		int s = (int)(r % STORES), i = (int)((r / STORES) % ITEMS), d = (int)(r * DAYS / rows);
		/* Each store and item's every fourth row an issue of 1, after
		 * three receipts: no store goes negative on any day (verify
		 * replays the rule). */
		iv_qty diff = (r / (STORES * ITEMS)) % 4 == 3 ? -1 : 1 + rand() % 5;
		store_ledger_rec rec = {.store_id = s + 1, .item_id = i + 1, .item_number = numbers[i],
		                        .reason_id = 1, .diff = diff, .user_id = 1, .memo = ""};
		row_names names = {codes[s], "CC", "admin", ""};
		date_format(first + d, rec.tdate);
		memcpy(rec.recorded_at, now, sizeof now);
		if (ledger_append(db, &chains, &rec, &names, true) != IV_OK)
			die(db, "append");
		balance[s][i] += diff;
		day_total[s][i][d] += diff;
		day_lines[s][i][d]++;
		if (diff > 0)
			day_added[s][i][d] += (int32_t)diff;
		else
			day_removed[s][i][d] -= (int32_t)diff;
		if (r % 1000000 == 999999) {
			fprintf(stderr, "  ... %ld rows\n", r + 1);
		}
	}
	for (int s = 0; s < STORES; s++)
		for (int i = 0; i < ITEMS; i++) {
			if (store_balance_add(db->st, s + 1, i + 1, balance[s][i]) != IV_OK)
				die(db, "balance");
			for (int d = 0; d < DAYS; d++) {
				if (!day_total[s][i][d])
					continue;
				char t[IV_DATE_ISO_LEN];
				date_format(first + d, t);
				if (store_day_add(db->st, s + 1, i + 1, t, day_total[s][i][d]) != IV_OK ||
				    store_user_day_add(db->st, 1, s + 1, i + 1, t, day_total[s][i][d]) != IV_OK)
					die(db, "day");
			}
		}
	/* The report summaries in their key order, a day at a time, as the
	 * loader's step writes an upload's (no item has a cost here: every
	 * line is unvalued). */
	for (int d = 0; d < DAYS; d++) {
		char t[IV_DATE_ISO_LEN];
		date_format(first + d, t);
		for (int s = 0; s < STORES; s++) {
			store_report_row day = {.store_id = s + 1, .reason_id = 1, .user_id = 1};
			memcpy(day.tdate, t, sizeof t);
			for (int i = 0; i < ITEMS; i++) {
				if (!day_lines[s][i][d])
					continue;
				store_report_row r = day;
				r.item_id = i + 1;
				r.lines = day_lines[s][i][d];
				r.added = day_added[s][i][d];
				r.removed = day_removed[s][i][d];
				r.unvalued = r.lines;
				if (store_report_add(db->st, true, &r) != IV_OK)
					die(db, "report summaries");
				day.lines += r.lines;
				day.added += r.added;
				day.removed += r.removed;
				day.unvalued += r.unvalued;
			}
			if (day.lines && store_report_add(db->st, false, &day) != IV_OK)
				die(db, "report summaries");
		}
	}
	ledger_chains_free(&chains);
	if (store_commit(db->st) != IV_OK)
		die(db, "commit");
	store_bulk_mode(db->st, false);
	printf("  built %ld ledger rows in %.1f s\n", rows, (now_us() - t0) / 1e6);
	iv_close(db);
}

/* The floor under any durable commit on this disk: a 4 KiB write and
 * fdatasync, next to the database. */
static void fsync_reference(double *t, int n)
{
	const char *path = "build/bench/fsync.ref";
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die(NULL, "fsync reference");
	char block[4096] = {0};
	for (int k = 0; k < n; k++) {
		double t0 = now_us();
		if (pwrite(fd, block, sizeof block, (off_t)k * 4096) < 0 || fdatasync(fd) != 0)
			die(NULL, "fsync reference");
		t[k] = now_us() - t0;
	}
	close(fd);
	unlink(path);
	report("reference: 4 KiB write + fdatasync", t, n);
}

/* invadj balance for one store and item, or one item in every store, as
 * of a random day: the whole command, start-up included. */
static void commands(const char *path, double *t)
{
	char invadj[4096];
	if (!realpath("invadj", invadj)) {
		printf("  (no ./invadj: the whole commands are not timed)\n");
		return;
	}
	enum { COMMANDS = 200, WARM_UP = 20 };
	/* The reference, interleaved with the commands: a program that does
	 * nothing, started the same way (its p99 is this machine's noise). */
	static double ref[COMMANDS];
	const char *nothing[] = {"/bin/true", NULL};
	for (int with_store = 1; with_store >= 0; with_store--) {
		for (int k = -WARM_UP; k < COMMANDS; k++) {
			char store_code[8], item[16], date[IV_DATE_ISO_LEN];
			snprintf(store_code, sizeof store_code, "S%02d", rand() % STORES);
			snprintf(item, sizeof item, "IT%05d", rand() % ITEMS);
			date_format((iv_date)(time(NULL) / 86400) - rand() % DAYS, date);
			const char *pair[] = {invadj, "--db", path, "balance", "--item", item, "--as-of", date,
			                      "--store", store_code, NULL};
			if (!with_store)
				pair[8] = NULL;
			double us;
			if (spawn_timed(pair, NULL, &us) != 0)
				die(NULL, "invadj balance");
			if (k < 0)
				continue; /* the first runs bring the program into the page cache */
			t[k] = us;
			if (with_store && spawn_timed(nothing, NULL, &ref[k]) != 0)
				die(NULL, "/bin/true");
		}
		double p50 = percentile(t, COMMANDS, 50), p99 = percentile(t, COMMANDS, 99);
		printf("  %-38s p50 %9.2f ms   p99 %9.2f ms   (%d runs%s)\n",
		       with_store ? "invadj balance --store --item --as-of" : "invadj balance --item --as-of",
		       p50 / 1e3, p99 / 1e3, COMMANDS, with_store ? "; target 5 ms" : ", every store");
		if (with_store)
			printf("  %-38s p50 %9.2f ms   p99 %9.2f ms   (the same moments)\n",
			       "reference: /bin/true", percentile(ref, COMMANDS, 50) / 1e3,
			       percentile(ref, COMMANDS, 99) / 1e3);
	}
}

/* A report, timed: runs iv_report_adjustments `runs` times. */
static void time_report(iv_db *db, const char *what, const iv_report_query *q, double *t, int runs)
{
	iv_report_result res = {0};
	for (int k = 0; k < runs; k++) {
		double t0 = now_us();
		if (iv_report_adjustments(db, q, NULL, NULL, &res) != IV_OK)
			die(db, "report");
		t[k] = now_us() - t0;
	}
	double p50 = percentile(t, runs, 50), p99 = percentile(t, runs, 99);
	printf("  %-38s p50 %9.2f ms   p99 %9.2f ms   (%d runs; %zu rows, %llu lines)\n", what, p50 / 1e3,
	       p99 / 1e3, runs, res.rows, (unsigned long long)res.total.lines);
}

/* Reports as a supervisor reads them; the store x reason one over the
 * whole ledger is the one with a target (1 s). */
static void reports(iv_db *db, const char *path, double *t)
{
	char from[IV_DATE_ISO_LEN];
	date_format(iv_today(db, NULL) - DAYS + 1, from);
	iv_report_query q = {.by = {IV_BY_STORE, IV_BY_REASON}};
	time_report(db, "report by store, reason: 30 days", &q, t, 50);
	q.from = from;
	time_report(db, "report by store, reason: all 100 days", &q, t, 50);
	q = (iv_report_query){.by = {IV_BY_WEEK}, .from = from};
	time_report(db, "report by week: all 100 days", &q, t, 50);
	q = (iv_report_query){.by = {IV_BY_REASON}, .item = "IT00042", .from = from};
	time_report(db, "report of one item by reason: 100 days", &q, t, 50);
	q = (iv_report_query){.by = {IV_BY_ITEM}};
	time_report(db, "report by item: 30 days (row summaries)", &q, t, 3);
	char invadj[4096];
	if (!realpath("invadj", invadj))
		return;
	setenv("INVADJ_PIN", "0000", 1);
	enum { RUNS = 20 };
	for (int k = 0; k < RUNS; k++) {
		const char *argv[] = {invadj, "--db", path, "--user", "admin", "report", "adjustments", "--by",
		                      "store,reason", "--from", from, "--format", "csv", NULL};
		if (spawn_timed(argv, NULL, &t[k]) != 0)
			die(NULL, "invadj report");
	}
	printf("  %-38s p50 %9.2f ms   p99 %9.2f ms   (%d runs, a login's Argon2id included; target 1 s)\n",
	       "invadj report adjustments --by store,reason", percentile(t, RUNS, 50) / 1e3,
	       percentile(t, RUNS, 99) / 1e3, RUNS);
}

int main(void)
{
	long rows = getenv("BENCH_ROWS") ? atol(getenv("BENCH_ROWS")) : 10000000L;
	char path[256];
	mkdir("build/bench", 0755);
	snprintf(path, sizeof path, "build/bench/ledger-%ld.db", rows);
	unsetenv("INVADJ_TODAY");
	printf("ledger benchmark: %ld rows, %d stores x %d items, %d days\n", rows, STORES, ITEMS, DAYS);
	if (access(path, F_OK) != 0)
		build(path, rows);
	else
		printf("  reusing %s (delete it to rebuild)\n", path);

	iv_db *db = NULL;
	if (iv_open(path, IV_OPEN_EXISTING, &db) != IV_OK || iv_login(db, "admin", "bench-pin-0") != IV_OK)
		die(db, "open");
	enum { LOOKUPS = 100000, ADJUSTS = 1000, ASOF = 20000 };
	static double t[LOOKUPS];
	char store_code[8], item[16], date[IV_DATE_ISO_LEN];
	srand(7);

	for (int k = 0; k < LOOKUPS; k++) {
		snprintf(store_code, sizeof store_code, "S%02d", rand() % STORES);
		snprintf(item, sizeof item, "IT%05d", rand() % ITEMS);
		iv_qty q;
		double t0 = now_us();
		if (iv_net_available(db, store_code, item, NULL, &q) != IV_OK)
			die(db, "lookup");
		t[k] = now_us() - t0;
	}
	report("Net Available lookup", t, LOOKUPS);

	for (int k = 0; k < ASOF; k++) {
		snprintf(store_code, sizeof store_code, "S%02d", rand() % STORES);
		snprintf(item, sizeof item, "IT%05d", rand() % ITEMS);
		date_format(iv_today(db, NULL) - rand() % DAYS, date);
		iv_qty q;
		double t0 = now_us();
		if (iv_net_available(db, store_code, item, date, &q) != IV_OK)
			die(db, "as-of");
		t[k] = now_us() - t0;
	}
	report("as-of-date lookup", t, ASOF);
	commands(path, t);

	reports(db, path, t);

	for (int k = 0; k < ADJUSTS; k++) {
		snprintf(store_code, sizeof store_code, "S%02d", rand() % STORES);
		snprintf(item, sizeof item, "IT%05d", rand() % ITEMS);
		iv_line_in line = {item, "CC", "1", NULL};
		iv_line_out out;
		iv_document doc = {store_code, NULL, &line, 1, {0}};
		int64_t docno;
		double t0 = now_us();
		if (iv_doc_post(db, &doc, &out, &docno) != IV_OK)
			die(db, "adjust");
		t[k] = now_us() - t0;
	}
	report("durable single-line adjustment", t, ADJUSTS);
	double adjust_p50 = t[ADJUSTS / 2], adjust_p99 = t[ADJUSTS * 99 / 100];
	fsync_reference(t, ADJUSTS);
	printf("  adjustment / fsync reference: p50 %.2fx, p99 %.2fx\n", adjust_p50 / t[ADJUSTS / 2],
	       adjust_p99 / t[ADJUSTS * 99 / 100]);
	iv_verify_report vr;
	double t0 = now_us();
	if (iv_verify(db, &vr) != IV_OK)
		die(db, "verify");
	printf("  verify of %llu ledger rows: %.1f s (%.0f rows/s)\n", (unsigned long long)vr.ledger_rows,
	       (now_us() - t0) / 1e6, vr.ledger_rows / ((now_us() - t0) / 1e6));
	iv_close(db);
	return 0;
}
