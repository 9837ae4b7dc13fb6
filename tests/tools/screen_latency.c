/* What a keystroke costs on the screens, measured through the engine
 * calls they make: Stock search (the count and the first window of rows
 * at every keystroke of a typed search and of a scanned UPC) and
 * History's first window (and its count) by store, item, user and date.
 * Prints milliseconds; no pass or fail.  tests/bench/bench_screens.sh
 * builds the big database and runs it.
 *   screen_latency DB STORE ITEM USER DATE UPC */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "invadj/engine.h"

#define WINDOW 400 /* the screens' window of rows (tui/pager.h) */
#define MAX_SAMPLES 256

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	int i = (int)(p * (n - 1) + 0.5);
	return n ? v[i] : 0;
}

static bool count_balance(void *ctx, const iv_balance_row *r)
{
	(void)r;
	(*(int *)ctx)++;
	return true;
}

static bool count_row(void *ctx, const iv_ledger_row *r)
{
	(void)r;
	(*(int *)ctx)++;
	return true;
}

static iv_db *db;
static double count_ms[MAX_SAMPLES];
static int ncount;

/* Every prefix of text typed, as the Stock screen reads at each key. */
static int type_search(const char *store, const char *text, double *samples, int n)
{
	char prefix[128];
	for (size_t k = 1; k <= strlen(text) && n < MAX_SAMPLES; k++) {
		if (((unsigned char)text[k] & 0xc0) == 0x80)
			continue; /* a key types a whole character */
		snprintf(prefix, sizeof prefix, "%.*s", (int)k, text);
		iv_stock_query q = {store, prefix, NULL, NULL, false, WINDOW};
		uint64_t total;
		int rows = 0;
		/* the page at the keystroke; the count when typing pauses */
		double t0 = now_ms();
		if (iv_stock_page(db, &q, count_balance, &rows) != IV_OK) {
			fprintf(stderr, "screen_latency: %s\n", iv_errmsg(db));
			exit(1);
		}
		samples[n++] = now_ms() - t0;
		t0 = now_ms();
		if (iv_stock_count(db, &q, &total) != IV_OK) {
			fprintf(stderr, "screen_latency: %s\n", iv_errmsg(db));
			exit(1);
		}
		if (ncount < MAX_SAMPLES)
			count_ms[ncount++] = now_ms() - t0;
	}
	return n;
}

static void history(const char *what, iv_history_filter f)
{
	double page[9], count[3];
	uint64_t n = 0;
	int rows = 0;
	for (int k = 0; k < 9; k++) {
		rows = 0;
		f.limit = WINDOW;
		double t0 = now_ms();
		if (iv_history(db, &f, count_row, &rows) != IV_OK) {
			fprintf(stderr, "screen_latency: %s\n", iv_errmsg(db));
			exit(1);
		}
		page[k] = now_ms() - t0;
	}
	for (int k = 0; k < 3; k++) {
		double t0 = now_ms();
		iv_history_count(db, &f, &n);
		count[k] = now_ms() - t0;
	}
	printf("  History by %-22s first %d rows %8.2f ms (median of 9)   count of %llu rows %9.1f ms\n", what,
	       rows, pct(page, 9, 0.5), (unsigned long long)n, pct(count, 3, 0.5));
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: screen_latency DB STORE ITEM USER DATE UPC\n");
		return 1;
	}
	if (iv_open(argv[1], IV_OPEN_EXISTING, &db) != IV_OK) {
		fprintf(stderr, "screen_latency: %s\n", iv_errmsg(db));
		return 1;
	}
	static double samples[MAX_SAMPLES];
	int n = 0;
	/* a clerk types a description and an item number; a scanner a UPC */
	n = type_search(argv[2], "item 1234", samples, n);
	n = type_search(argv[2], argv[3], samples, n);
	n = type_search(argv[2], argv[6], samples, n);
	n = type_search(argv[2], "CAFÉ", samples, n);
	double all[MAX_SAMPLES];
	memcpy(all, samples, sizeof all);
	printf("  Stock search in one store, per keystroke (%d keys): p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", n,
	       pct(samples, n, 0.5), pct(all, n, 0.99), pct(all, n, 1.0));
	printf("    its count, when typing pauses: p50 %.2f ms  max %.2f ms\n", pct(count_ms, ncount, 0.5),
	       pct(count_ms, ncount, 1.0));
	ncount = 0;
	n = 0;
	n = type_search(NULL, "item 1234", samples, n);
	n = type_search(NULL, argv[6], samples, n);
	memcpy(all, samples, sizeof all);
	printf("  Stock search in every store, per keystroke (%d keys): p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", n,
	       pct(samples, n, 0.5), pct(all, n, 0.99), pct(all, n, 1.0));
	printf("    its count, when typing pauses: p50 %.2f ms  max %.2f ms\n", pct(count_ms, ncount, 0.5),
	       pct(count_ms, ncount, 1.0));
	history("nothing (newest)", (iv_history_filter){0});
	history("store", (iv_history_filter){.store = argv[2]});
	history("item", (iv_history_filter){.item = argv[3]});
	history("store and item", (iv_history_filter){.store = argv[2], .item = argv[3]});
	history("user", (iv_history_filter){.user = argv[4]});
	history("date (one day)", (iv_history_filter){.from = argv[5], .to = argv[5]});
	iv_close(db);
	return 0;
}
