/* make bench: durable single adjustments per second from 1, 2, 4 and 8
 * processes saving into one database, with p50/p99 latency.  Each
 * process is a terminal: its own connection, one login, then saves in a
 * loop.  The database is a new SQLite file, or, with BENCH_DB set to a
 * PostgreSQL URI of an empty database, that database (see
 * tests/bench/bench_backends.sh, which starts a throw-away server). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "invadj/engine.h"
#include "timing.h"

#define SAVES 1000 /* in all, per round */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void make_db(const char *dir, const char *path)
{
	iv_db *db = NULL;
	char p[512];
	size_t n;
	if (iv_open(path, IV_OPEN_CREATE, &db) != IV_OK || iv_init(db, "admin", "bench-pin-0") != IV_OK ||
	    iv_login(db, "admin", "bench-pin-0") != IV_OK)
		goto fail;
	snprintf(p, sizeof p, "%s/s.csv", dir);
	write_file(p, "StoreCode,AllowNegative\nS1,yes\n");
	if (iv_import(db, IV_IMPORT_STORES, p, &n) != IV_OK)
		goto fail;
	snprintf(p, sizeof p, "%s/i.csv", dir);
	write_file(p, "ItemNumber\nI1\nI2\nI3\nI4\nI5\nI6\nI7\nI8\n");
	if (iv_import(db, IV_IMPORT_ITEMS, p, &n) != IV_OK)
		goto fail;
	snprintf(p, sizeof p, "%s/r.csv", dir);
	write_file(p, "ReasonCode\nCC\n");
	if (iv_import(db, IV_IMPORT_REASONS, p, &n) != IV_OK)
		goto fail;
	iv_close(db);
	return;
fail:
	fprintf(stderr, "bench: %s\n", iv_errmsg(db));
	exit(1);
}

static void child(const char *path, int n, int count, double *lat)
{
	iv_db *db = NULL;
	if (iv_open(path, IV_OPEN_EXISTING, &db) != IV_OK || iv_login(db, "admin", "bench-pin-0") != IV_OK)
		_exit(1);
	char item[8];
	snprintf(item, sizeof item, "I%d", n % 8 + 1);
	for (int k = 0; k < count; k++) {
		iv_line_in line = {item, "CC", "1", NULL};
		iv_line_out out;
		iv_document doc = {"S1", NULL, &line, 1, {0}};
		int64_t docno;
		double t0 = now_us();
		if (iv_doc_post(db, &doc, &out, &docno) != IV_OK) {
			fprintf(stderr, "bench: %s\n", iv_errmsg(db));
			_exit(1);
		}
		lat[k] = now_us() - t0;
	}
	iv_close(db);
	_exit(0);
}

int main(void)
{
	char dir[] = "/tmp/invadj-bench-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char path[512];
	const char *server = getenv("BENCH_DB");
	if (server && *server)
		snprintf(path, sizeof path, "%s", server);
	else
		snprintf(path, sizeof path, "%s/inventory.db", dir);
	make_db(dir, path);
	double *lat = mmap(NULL, SAVES * sizeof *lat, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (lat == MAP_FAILED)
		return 1;
	printf("concurrent terminals: %d durable single adjustments per round, one %s\n", SAVES,
	       server && *server ? "PostgreSQL database" : "SQLite file");
	static const int procs[] = {1, 2, 4, 8};
	for (int r = 0; r < 4; r++) {
		int np = procs[r], each = SAVES / np;
		double t0 = now_us();
		for (int n = 0; n < np; n++)
			if (fork() == 0)
				child(path, n, each, lat + n * each);
		int failed = 0;
		for (int n = 0; n < np; n++) {
			int status;
			wait(&status);
			failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		}
		double secs = (now_us() - t0) / 1e6;
		if (failed) {
			fprintf(stderr, "bench: %d processes failed\n", failed);
			return 1;
		}
		qsort(lat, (size_t)(each * np), sizeof *lat, cmp_double);
		printf("  %d process%s  %7.0f saves/s   p50 %8.1f us   p99 %8.1f us  (rate includes logins)\n", np,
		       np > 1 ? "es" : "  ", each * np / secs, lat[each * np / 2], lat[each * np * 99 / 100]);
	}
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
