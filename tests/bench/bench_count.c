/* make bench: counting.  100,000 scans into one count from 4 processes
 * (terminals, each its own connection and login), every scan a durable
 * save: scans per second and the latency of one scan (p50, p99); then
 * the count, 10,000 items counted, reviewed, previewed and posted as one
 * 10,000-line document, and verified.  A new SQLite file, or with
 * BENCH_DB set to a PostgreSQL URI of an empty database, that database
 * (tests/bench/bench_count_pg.sh).  BENCH_SCANS changes the number of
 * scans (items stay 10,000).  Figures only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "invadj/count.h"
#include "invadj/engine.h"
#include "invadj/upload.h"
#include "timing.h"

#define ITEMS 10000
#define PROCS 4
#define ON_HAND 12 /* each item's stock before the count */

static void fail(iv_db *db, const char *what)
{
	fprintf(stderr, "bench_count: %s: %s\n", what, iv_errmsg(db));
	exit(1);
}

static void write_items(const char *dir, char *path, size_t size, bool stock)
{
	snprintf(path, size, "%s/%s.csv", dir, stock ? "stock" : "items");
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(stock ? "StoreCode,ItemNumber,Qty,ReasonCode\n" : "ItemNumber,Description\n", f);
	for (int k = 1; k <= ITEMS; k++)
		if (stock)
			fprintf(f, "S1,I%05d,%d,FI\n", k, ON_HAND);
		else
			fprintf(f, "I%05d,Item number %d\n", k, k);
	if (fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static int64_t make_db(const char *dir, const char *path)
{
	iv_db *db = NULL;
	char p[512];
	size_t n;
	if (iv_open(path, IV_OPEN_CREATE, &db) != IV_OK || iv_init(db, "admin", "bench-pin-0") != IV_OK ||
	    iv_login(db, "admin", "bench-pin-0") != IV_OK)
		fail(db, "set-up");
	snprintf(p, sizeof p, "%s/s.csv", dir);
	FILE *f = fopen(p, "w");
	if (!f || fputs("StoreCode,AllowNegative\nS1,no\n", f) < 0 || fclose(f) != 0)
		exit(1);
	if (iv_import(db, IV_IMPORT_STORES, p, &n) != IV_OK)
		fail(db, "stores");
	snprintf(p, sizeof p, "%s/r.csv", dir);
	f = fopen(p, "w");
	if (!f || fputs("ReasonCode\nFI\nCC\n", f) < 0 || fclose(f) != 0)
		exit(1);
	if (iv_import(db, IV_IMPORT_REASONS, p, &n) != IV_OK)
		fail(db, "reasons");
	write_items(dir, p, sizeof p, false);
	if (iv_import(db, IV_IMPORT_ITEMS, p, &n) != IV_OK)
		fail(db, "items");
	write_items(dir, p, sizeof p, true);
	iv_upload_opts o = {.path = p, .rule = IV_RULE_DELTA};
	iv_upload_result r;
	if (iv_upload(db, &o, &r) != IV_OK)
		fail(db, "opening stock");
	iv_count_start_in in = {"S1", false, IV_COUNT_ALL, NULL, "bench"};
	int64_t id;
	if (iv_count_start(db, &in, &id) != IV_OK)
		fail(db, "count start");
	iv_close(db);
	return id;
}

/* One terminal: scans items n, n + PROCS, ... in turn, as a counter
 * walks a shelf. */
static void scanner(const char *path, int64_t count, int n, int scans, double *lat)
{
	iv_db *db = NULL;
	if (iv_open(path, IV_OPEN_EXISTING, &db) != IV_OK || iv_login(db, "admin", "bench-pin-0") != IV_OK)
		_exit(1);
	for (int k = 0; k < scans; k++) {
		char item[16];
		snprintf(item, sizeof item, "I%05d", (n + k * PROCS) % ITEMS + 1);
		iv_scan_in in = {count, item, NULL, false};
		iv_scan_out out;
		double t0 = now_us();
		if (iv_count_add(db, &in, &out) != IV_OK) {
			fprintf(stderr, "bench_count: scan: %s\n", iv_errmsg(db));
			_exit(1);
		}
		lat[k] = now_us() - t0;
	}
	iv_close(db);
	_exit(0);
}

static double since(double t0)
{
	return (now_us() - t0) / 1e6;
}

int main(void)
{
	char dir[] = "/tmp/invadj-bench-count-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char path[512];
	const char *server = getenv("BENCH_DB");
	bool pg = server && *server;
	if (pg)
		snprintf(path, sizeof path, "%s", server);
	else
		snprintf(path, sizeof path, "%s/inventory.db", dir);
	int total = getenv("BENCH_SCANS") ? atoi(getenv("BENCH_SCANS")) : 100000;
	int each = total / PROCS;
	total = each * PROCS;
	int64_t count = make_db(dir, path);
	double *lat = mmap(NULL, (size_t)total * sizeof *lat, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	                   -1, 0);
	if (lat == MAP_FAILED)
		return 1;
	printf("counting, one %s: %d scans into one count from %d processes over %d items\n",
	       pg ? "PostgreSQL database" : "SQLite file", total, PROCS, ITEMS);
	double t0 = now_us();
	for (int n = 0; n < PROCS; n++)
		if (fork() == 0)
			scanner(path, count, n, each, lat + (size_t)n * each);
	int failed = 0;
	for (int n = 0; n < PROCS; n++) {
		int status;
		wait(&status);
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	double secs = since(t0);
	if (failed) {
		fprintf(stderr, "bench_count: %d scanners failed\n", failed);
		return 1;
	}
	qsort(lat, (size_t)total, sizeof *lat, cmp_double);
	printf("  scans     %7.0f scans/s   p50 %8.1f us   p99 %8.1f us  (rate includes 4 logins)\n", total / secs,
	       lat[total / 2], lat[(size_t)total * 99 / 100]);

	iv_db *db = NULL;
	if (iv_open(path, IV_OPEN_EXISTING, &db) != IV_OK || iv_login(db, "admin", "bench-pin-0") != IV_OK)
		fail(db, "open");
	iv_count_view view;
	iv_count_show_in show = {count, IV_COUNT_BY_VARIANCE, false};
	t0 = now_us();
	if (iv_count_show(db, &show, NULL, NULL, &view) != IV_OK)
		fail(db, "show");
	printf("  review    %7.3f s   (%zu lines, %zu with a Diff)\n", since(t0), view.lines, view.differ);
	iv_count_post_in in = {count, NULL, false, false, {0}};
	iv_count_post_out out;
	t0 = now_us();
	if (iv_count_post_preview(db, &in, NULL, NULL, &out) != IV_OK)
		fail(db, "preview");
	printf("  preview   %7.3f s\n", since(t0));
	t0 = now_us();
	if (iv_count_post(db, &in, NULL, NULL, &out) != IV_OK)
		fail(db, "post");
	printf("  post      %7.3f s   (%zu rows as one document; the preview it makes first included)\n", since(t0),
	       out.posted);
	iv_verify_report r;
	t0 = now_us();
	if (iv_verify(db, &r) != IV_OK)
		fail(db, "verify");
	printf("  verify    %7.3f s   (%llu ledger rows, %llu posted count recomputed from its scans)\n", since(t0),
	       (unsigned long long)r.ledger_rows, (unsigned long long)r.counts);
	iv_close(db);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
