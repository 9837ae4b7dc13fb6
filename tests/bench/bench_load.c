/* make bench: a chain's load on one PostgreSQL server (issue 15).
 * BENCH_PROCS terminal processes (64) over BENCH_STORES stores (16), each
 * logged in as its store's clerk, save single adjustments for
 * BENCH_SECONDS (30):
 *   1. alone;
 *   2. while a supervisor's BENCH_ROWS-row upload (1,000,000) posts at
 *      another store (started with them; the saves during it are those
 *      that started and ended while it ran);
 *   3. all at one store.
 * Prints saves per second, p50/p99 save latency, the upload's time, and
 * the two ratios of the targets.  With BENCH_PG_PID (the
 * server's postmaster), it also prints the CPU a save costs (the
 * terminals' and the server's processes, measured in the 16-store run)
 * and the rate this machine's cores allow at that cost: when one store
 * alone is bound by its lock and 16 stores by the cores, the second
 * ratio cannot pass cores x (lock-held time / CPU per save).  Figures
 * only: nothing passes or fails on time.  Needs BENCH_DB, the URI of an empty database on a
 * server where roles may be created (tests/bench/bench_load.sh starts a
 * throw-away one); without it, says so and does nothing. */
#define _GNU_SOURCE /* sched_getaffinity: the cores this run may use */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "invadj/engine.h"
#include "invadj/upload.h"
#include "timing.h"

#define MAX_SAVES_PER_PROC 200000

typedef struct save_rec {
	double start, lat; /* microseconds, on the monotonic clock */
} save_rec;

typedef struct shared {
	double upload_start, upload_end; /* 0: none */
	int upload_ok;
	size_t count[]; /* per process */
} shared;

typedef struct bench_cfg {
	const char *uri;
	char dir[64];
	int procs, stores, seconds;
	long rows;
	long postmaster; /* BENCH_PG_PID: 0 unknown */
} bench_cfg;

static int env_int(const char *name, int dflt)
{
	const char *v = getenv(name);
	return v && *v ? atoi(v) : dflt;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void die(iv_db *db, const char *doing)
{
	fprintf(stderr, "bench_load: %s: %s\n", doing, db ? iv_errmsg(db) : "cannot open");
	exit(1);
}

static void clerk_of(int store, char *name, size_t n, char *pin, size_t m)
{
	snprintf(name, n, "clerk%02d", store + 1);
	snprintf(pin, m, "clerk-pin-%02d", store + 1);
}

/* Stores S01.. and UP (the upload's), items I1..I64, reason CC, a clerk
 * per store and the supervisor "loader"; the upload's file. */
static void make_db(const bench_cfg *c)
{
	iv_db *db = NULL;
	if (iv_open(c->uri, IV_OPEN_CREATE, &db) != IV_OK || iv_init(db, "admin", "bench-admin-pin") != IV_OK ||
	    iv_login(db, "admin", "bench-admin-pin") != IV_OK)
		die(db, "creating the database");
	char path[128], line[64];
	size_t n;
	FILE *f;
	snprintf(path, sizeof path, "%s/s.csv", c->dir);
	if (!(f = fopen(path, "w")))
		exit(1);
	fputs("StoreCode,AllowNegative\nUP,yes\n", f);
	for (int s = 0; s < c->stores; s++)
		fprintf(f, "S%02d,yes\n", s + 1);
	fclose(f);
	if (iv_import(db, IV_IMPORT_STORES, path, &n) != IV_OK)
		die(db, "importing stores");
	snprintf(path, sizeof path, "%s/i.csv", c->dir);
	if (!(f = fopen(path, "w")))
		exit(1);
	fputs("ItemNumber\n", f);
	for (int i = 1; i <= 64; i++)
		fprintf(f, "I%d\n", i);
	fclose(f);
	if (iv_import(db, IV_IMPORT_ITEMS, path, &n) != IV_OK)
		die(db, "importing items");
	snprintf(path, sizeof path, "%s/r.csv", c->dir);
	write_file(path, "ReasonCode\nCC\n");
	if (iv_import(db, IV_IMPORT_REASONS, path, &n) != IV_OK)
		die(db, "importing reasons");
	for (int s = 0; s < c->stores; s++) {
		char name[16], pin[24];
		clerk_of(s, name, sizeof name, pin, sizeof pin);
		if (iv_user_add(db, name, "clerk", pin) != IV_OK)
			die(db, "adding a clerk");
	}
	if (iv_user_add(db, "loader", "supervisor", "loader-pin-1") != IV_OK)
		die(db, "adding the supervisor");
	iv_close(db);
	snprintf(path, sizeof path, "%s/up.csv", c->dir);
	if (!(f = fopen(path, "w")))
		exit(1);
	fputs("**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo\n", f);
	for (long r = 0; r < c->rows; r++) {
		snprintf(line, sizeof line, "UP,I%ld,,1,CC,,\n", r % 64 + 1);
		fputs(line, f);
	}
	fclose(f);
}

/* Waits until the parent closes the start pipe. */
static void wait_start(int ready_fd, int start_fd)
{
	char b = 1, x;
	if (write(ready_fd, &b, 1) != 1)
		_exit(1);
	while (read(start_fd, &x, 1) > 0) {
	}
}

static void saver(const bench_cfg *c, int n, int store, shared *sh, save_rec *recs, int ready_fd,
                  int start_fd)
{
	iv_db *db = NULL;
	char name[16], pin[24], code[16], item[16];
	clerk_of(store, name, sizeof name, pin, sizeof pin);
	snprintf(code, sizeof code, "S%02d", store + 1);
	snprintf(item, sizeof item, "I%d", n % 64 + 1);
	if (iv_open(c->uri, IV_OPEN_EXISTING, &db) != IV_OK || iv_login(db, name, pin) != IV_OK) {
		fprintf(stderr, "bench_load: %s: %s\n", name, db ? iv_errmsg(db) : "cannot open");
		_exit(1);
	}
	wait_start(ready_fd, start_fd);
	double end = now_us() + c->seconds * 1e6;
	size_t k = 0;
	while (k < MAX_SAVES_PER_PROC) {
		double t0 = now_us();
		if (t0 >= end)
			break;
		iv_line_in line = {item, "CC", "1", NULL};
		iv_line_out out;
		iv_document doc = {code, NULL, &line, 1, {0}};
		int64_t docno;
		if (iv_doc_post(db, &doc, &out, &docno) != IV_OK) {
			fprintf(stderr, "bench_load: save at %s: %s\n", code, iv_errmsg(db));
			_exit(1);
		}
		recs[k].start = t0;
		recs[k].lat = now_us() - t0;
		k++;
	}
	sh->count[n] = k;
	iv_close(db);
	_exit(0);
}

static void uploader(const bench_cfg *c, shared *sh, int ready_fd, int start_fd)
{
	iv_db *db = NULL;
	if (iv_open(c->uri, IV_OPEN_EXISTING, &db) != IV_OK || iv_login(db, "loader", "loader-pin-1") != IV_OK)
		die(db, "the upload's login");
	char path[128];
	snprintf(path, sizeof path, "%s/up.csv", c->dir);
	iv_upload_opts o = {.path = path, .rule = IV_RULE_DELTA, .allow_duplicate = true};
	iv_upload_result res;
	wait_start(ready_fd, start_fd);
	sh->upload_start = now_us();
	iv_status rc = iv_upload(db, &o, &res);
	sh->upload_end = now_us();
	sh->upload_ok = rc == IV_OK;
	if (rc != IV_OK)
		fprintf(stderr, "bench_load: upload: %s\n", iv_errmsg(db));
	iv_close(db);
	_exit(rc == IV_OK ? 0 : 1);
}

/* ---- CPU spent by the terminals and the server ---- */

/* utime + stime (+ cutime + cstime when with_children) of a process, in
 * clock ticks, from /proc/PID/stat; *ppid gets its parent.  0 when gone. */
static double proc_ticks(long pid, bool with_children, long *ppid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the command, which is in parentheses and may hold spaces. */
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	char state;
	long parent;
	unsigned long ut, st;
	long cut, cst;
	if (sscanf(p + 2, "%c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld %ld", &state, &parent, &ut,
	           &st, &cut, &cst) != 6)
		return 0;
	if (ppid)
		*ppid = parent;
	return (double)ut + (double)st + (with_children ? (double)cut + (double)cst : 0);
}

/* Seconds of CPU the server has used: the postmaster, its live children
 * (backends, WAL writer, checkpointer) and the children it has reaped. */
static double server_cpu_s(long postmaster)
{
	double ticks = proc_ticks(postmaster, true, NULL);
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		long pid = strtol(e->d_name, NULL, 10), parent = 0;
		if (pid <= 0 || pid == postmaster)
			continue;
		double t = proc_ticks(pid, false, &parent);
		if (parent == postmaster)
			ticks += t;
	}
	if (d)
		closedir(d);
	return ticks / (double)sysconf(_SC_CLK_TCK);
}

/* Seconds of CPU of this process's reaped children (the terminals). */
static double children_cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

typedef struct phase_result {
	double saves_per_s, p50, p99;             /* all saves */
	double during_p50, during_p99;            /* saves within the upload */
	size_t during_n;
	double upload_s;
	double terminal_cpu_s, server_cpu_s; /* over the run, with BENCH_PG_PID */
} phase_result;

static double pct(double *v, size_t n, int p)
{
	return n ? v[n * (size_t)p / 100 < n ? n * (size_t)p / 100 : n - 1] : 0;
}

/* procs savers, process n at store n % nstores, and the upload if asked. */
static void run_phase(const bench_cfg *c, int nstores, bool upload, phase_result *out)
{
	double term0 = children_cpu_s(), server0 = 0;
	size_t cap = (size_t)c->procs * MAX_SAVES_PER_PROC;
	save_rec *recs = mmap(NULL, cap * sizeof *recs, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	shared *sh = mmap(NULL, sizeof *sh + (size_t)c->procs * sizeof(size_t), PROT_READ | PROT_WRITE,
	                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (recs == MAP_FAILED || sh == MAP_FAILED)
		exit(1);
	int ready[2], start[2];
	if (pipe(ready) != 0 || pipe(start) != 0)
		exit(1);
	int nchildren = c->procs + (upload ? 1 : 0);
	for (int n = 0; n < c->procs; n++)
		if (fork() == 0) {
			close(ready[0]);
			close(start[1]);
			saver(c, n, n % nstores, sh, recs + (size_t)n * MAX_SAVES_PER_PROC, ready[1], start[0]);
		}
	if (upload && fork() == 0) {
		close(ready[0]);
		close(start[1]);
		uploader(c, sh, ready[1], start[0]);
	}
	close(ready[1]);
	close(start[0]);
	char b;
	for (int n = 0; n < nchildren; n++)
		if (read(ready[0], &b, 1) != 1) {
			fprintf(stderr, "bench_load: a terminal could not log in\n");
			exit(1);
		}
	if (c->postmaster)
		server0 = server_cpu_s(c->postmaster); /* every terminal has logged in */
	close(start[1]); /* go */
	int failed = 0;
	for (int n = 0; n < nchildren; n++) {
		int status;
		wait(&status);
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	if (failed) {
		fprintf(stderr, "bench_load: %d processes failed\n", failed);
		exit(1);
	}
	out->terminal_cpu_s = children_cpu_s() - term0;
	if (c->postmaster) {
		/* The backends end after their terminals: wait for the postmaster to
		 * reap them, so that their CPU is counted. */
		for (int tries = 0; tries < 50; tries++) {
			double a = server_cpu_s(c->postmaster);
			usleep(100000);
			if (server_cpu_s(c->postmaster) == a)
				break;
		}
		out->server_cpu_s = server_cpu_s(c->postmaster) - server0;
	}
	size_t total = 0;
	for (int n = 0; n < c->procs; n++)
		total += sh->count[n];
	double *all = malloc((total ? total : 1) * sizeof *all), *during = malloc((total ? total : 1) * sizeof *during);
	if (!all || !during)
		exit(1);
	size_t k = 0, d = 0;
	for (int n = 0; n < c->procs; n++)
		for (size_t j = 0; j < sh->count[n]; j++) {
			const save_rec *r = &recs[(size_t)n * MAX_SAVES_PER_PROC + j];
			all[k++] = r->lat;
			if (upload && r->start >= sh->upload_start && r->start + r->lat <= sh->upload_end)
				during[d++] = r->lat;
		}
	qsort(all, total, sizeof *all, cmp_double);
	qsort(during, d, sizeof *during, cmp_double);
	out->saves_per_s = total / (double)c->seconds;
	out->p50 = pct(all, total, 50);
	out->p99 = pct(all, total, 99);
	out->during_n = d;
	out->during_p50 = pct(during, d, 50);
	out->during_p99 = pct(during, d, 99);
	out->upload_s = upload ? (sh->upload_end - sh->upload_start) / 1e6 : 0;
	free(all);
	free(during);
	munmap(recs, cap * sizeof *recs);
	munmap(sh, sizeof *sh + (size_t)c->procs * sizeof(size_t));
}

int main(void)
{
	bench_cfg c = {.uri = getenv("BENCH_DB")};
	if (!c.uri || !*c.uri) {
		printf("bench_load: needs BENCH_DB, a PostgreSQL database (tests/bench/bench_load.sh)\n");
		return 0;
	}
	c.procs = env_int("BENCH_PROCS", 64);
	c.stores = env_int("BENCH_STORES", 16);
	c.seconds = env_int("BENCH_SECONDS", 30);
	c.rows = env_int("BENCH_ROWS", 1000000);
	c.postmaster = env_int("BENCH_PG_PID", 0);
	snprintf(c.dir, sizeof c.dir, "/tmp/invadj-bench-load-XXXXXX");
	if (!mkdtemp(c.dir) || c.procs < 1 || c.stores < 1 || c.seconds < 1 || c.rows < 1)
		return 1;
	make_db(&c);
	printf("load: %d terminals over %d stores, single adjustments for %d s each run; upload %ld rows at "
	       "another store\n", c.procs, c.stores, c.seconds, c.rows);
	phase_result alone, loaded, one;
	run_phase(&c, c.stores, false, &alone);
	printf("  %2d stores            %7.0f saves/s   p50 %7.1f ms   p99 %7.1f ms\n", c.stores,
	       alone.saves_per_s, alone.p50 / 1e3, alone.p99 / 1e3);
	run_phase(&c, c.stores, true, &loaded);
	printf("  %2d stores + upload   %7.0f saves/s   p50 %7.1f ms   p99 %7.1f ms   during the upload "
	       "(%zu saves): p50 %7.1f ms  p99 %7.1f ms\n",
	       c.stores, loaded.saves_per_s, loaded.p50 / 1e3, loaded.p99 / 1e3, loaded.during_n,
	       loaded.during_p50 / 1e3, loaded.during_p99 / 1e3);
	printf("  upload of %ld rows    %.1f s\n", c.rows, loaded.upload_s);
	run_phase(&c, 1, false, &one);
	printf("   1 store             %7.0f saves/s   p50 %7.1f ms   p99 %7.1f ms\n", one.saves_per_s,
	       one.p50 / 1e3, one.p99 / 1e3);
	printf("  p99 during the upload / without: %.2fx (target <= 3)   saves/s %d stores / 1 store: %.2fx "
	       "(target >= 4)\n",
	       alone.p99 > 0 ? loaded.during_p99 / alone.p99 : 0, c.stores,
	       one.saves_per_s > 0 ? alone.saves_per_s / one.saves_per_s : 0);
	if (c.postmaster && alone.saves_per_s > 0) {
		cpu_set_t set;
		long cores = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : sysconf(_SC_NPROCESSORS_ONLN);
		double saves = alone.saves_per_s * c.seconds;
		double cpu_ms = (alone.terminal_cpu_s + alone.server_cpu_s) / saves * 1e3;
		double lock_ms = one.saves_per_s > 0 ? 1e3 / one.saves_per_s : 0;
		printf("  CPU a save costs (%d stores): %.2f ms (terminals %.2f, server %.2f); %ld cores allow "
		       "%.0f saves/s at that cost\n",
		       c.stores, cpu_ms, alone.terminal_cpu_s / saves * 1e3, alone.server_cpu_s / saves * 1e3, cores,
		       cpu_ms > 0 ? cores * 1e3 / cpu_ms : 0);
		printf("  one store holds its lock %.2f ms a save: the cores cap %d stores / 1 store at %.2fx; "
		       "4x would need at most %.2f ms of CPU a save\n",
		       lock_ms, c.stores, cpu_ms > 0 ? cores * lock_ms / cpu_ms : 0, cores * lock_ms / 4);
	}
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", c.dir);
	return system(cmd) == 0 ? 0 : 1;
}
