/* make bench: a command from a cold start, the way a user or a script
 * runs one (a new process each time; the files in the page cache).
 * Prints, with medians over many runs and two programs that do nothing
 * as this run's reference:
 *   - `invadj balance` on a small database (target: under 5 ms),
 *   - `invadj adjust`, with the Argon2id PIN check shown apart (timed
 *     in this process on the same stored hash), and `adjust --dry-run`,
 *     which needs no login,
 *   - the same saves through `invadj batch` (one PIN check for all),
 *   - the fsyncs of a single save and of 100 saves, counted by strace.
 * Figures only: nothing here passes or fails on time. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/internal.h"
#include "timing.h"

#define DB "build/bench/coldstart.db"
#define STRACE "/usr/bin/strace"

static void die(const char *what)
{
	fprintf(stderr, "bench_coldstart: %s\n", what);
	exit(1);
}

static void fresh_db(char *invadj)
{
	unlink(DB);
	unlink(DB "-wal");
	unlink(DB "-shm");
	const char *init[] = {invadj, "--db", DB, "init", "--admin", "admin", "--demo", "--data", "data", NULL};
	if (spawn_timed(init, NULL, NULL) != 0)
		die("invadj init failed (run from the repository, after make)");
}

static void line(const char *what, double *t, int n)
{
	double p50 = percentile(t, n, 50), p90 = percentile(t, n, 90);
	printf("  %-48s p50 %6.2f ms   p90 %6.2f ms   (%d runs)\n", what, p50 / 1e3, p90 / 1e3, n);
}

/* The admin's stored PIN hash, for the PIN check to be timed alone. */
static void export_pin_hash(void)
{
	iv_db *db = NULL;
	store_user u;
	if (iv_open(DB, IV_OPEN_EXISTING, &db) != IV_OK || store_user_find(db->st, "admin", &u) != IV_OK)
		die("reading the admin's PIN hash");
	iv_close(db);
	setenv("BENCH_PIN_HASH", u.pin_hash, 1);
}

/* The Argon2id check of the PIN as login does it, in a new process as a
 * command pays it (its 19 MiB mapped afresh). */
static int check_pin(void)
{
	const char *hash = getenv("BENCH_PIN_HASH");
	return hash && sodium_init() >= 0 && crypto_pwhash_str_verify(hash, "0000", 4) == 0 ? 0 : 1;
}

/* Runs argv under strace; prints how many fsync-family calls it made
 * and on which files (once per distinct file). */
static int count_syncs(const char *const argv[], const char *script, char *files, size_t files_size)
{
	const char *traced[32] = {STRACE, "-f", "-qq", "-y", "-o", "build/bench/coldstart.strace", "-e",
	                    "trace=fsync,fdatasync,sync_file_range,syncfs,msync"};
	int n = 8;
	for (int k = 0; argv[k] && n < 31; k++)
		traced[n++] = argv[k];
	traced[n] = NULL;
	if (script && !freopen(script, "r", stdin))
		die("script");
	int rc = spawn_timed(traced, NULL, NULL);
	if (script && !freopen("/dev/null", "r", stdin))
		die("stdin");
	if (rc != 0)
		die("a traced command failed");
	FILE *f = fopen("build/bench/coldstart.strace", "r");
	if (!f)
		die("strace output");
	char buf[1024];
	int count = 0;
	files[0] = '\0';
	while (fgets(buf, sizeof buf, f)) {
		char *lt = strchr(buf, '<'), *gt = lt ? strchr(lt, '>') : NULL;
		if (!strstr(buf, "sync") || !gt)
			continue;
		count++;
		*gt = '\0';
		const char *name = strrchr(lt + 1, '/') ? strrchr(lt + 1, '/') + 1 : lt + 1;
		if (!strstr(files, name) && strlen(files) + strlen(name) + 3 < files_size) {
			strcat(files, files[0] ? ", " : "");
			strcat(files, name);
		}
	}
	fclose(f);
	unlink("build/bench/coldstart.strace");
	return count;
}

static void write_script(const char *path, int saves)
{
	FILE *f = fopen(path, "w");
	if (!f)
		die("script");
	for (int k = 0; k < saves; k++)
		fprintf(f, "adjust --store WH --item KB-100 --diff 1 --reason FI\n");
	fclose(f);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--empty") == 0)
		return 0; /* the reference: this program, linked with SQLite and libsodium, doing nothing */
	if (argc > 1 && strcmp(argv[1], "--pin-check") == 0)
		return check_pin();
	char invadj[4096], self[4096];
	if (!realpath("invadj", invadj) || !realpath(argv[0], self))
		die("run from the repository root, after make");
	mkdir("build/bench", 0755);
	unsetenv("INVADJ_TODAY");
	unsetenv("INVADJ_DB");
	setenv("INVADJ_PIN", "0000", 1);
	setenv("INVADJ_USER", "admin", 1);
	fresh_db(invadj);

	enum { RUNS = 300, SAVES = 40, BATCH = 100 };
	static double t[RUNS], pin[SAVES];
	double empty_p50;
	printf("cold start: a new process each run, files in the page cache (this machine, this run)\n");
	const char *true_argv[] = {"/bin/true", NULL};
	time_runs(true_argv, RUNS, t);
	line("/bin/true (a C program that does nothing)", t, RUNS);
	const char *empty_argv[] = {self, "--empty", NULL};
	time_runs(empty_argv, RUNS, t);
	line("nothing, linked with SQLite and libsodium", t, RUNS);
	empty_p50 = percentile(t, RUNS, 50);

	const char *balance[] = {invadj, "--db", DB, "balance", NULL};
	time_runs(balance, 20, t); /* warm the page cache and the log */
	time_runs(balance, RUNS, t);
	line("invadj balance, demo database (target < 5 ms)", t, RUNS);
	const char *point[] = {invadj, "--db", DB, "balance", "--store", "MAIN", "--item", "KB-100",
	                 "--as-of", "2026-01-01", NULL};
	time_runs(point, RUNS, t);
	line("invadj balance --store --item --as-of, demo", t, RUNS);

	const char *dry[] = {invadj, "--db", DB, "adjust", "--store", "WH", "--item", "KB-100", "--diff", "1",
	               "--reason", "FI", "--dry-run", NULL};
	time_runs(dry, SAVES, t);
	line("invadj adjust --dry-run (no login, no save)", t, SAVES);
	const char *adjust[] = {invadj, "--db", DB, "adjust", "--store", "WH", "--item", "KB-100", "--diff", "1",
	                  "--reason", "FI", NULL};
	time_runs(adjust, SAVES, t);
	double adjust_p50 = percentile(t, SAVES, 50);
	line("invadj adjust (login, one durable save)", t, SAVES);
	export_pin_hash();
	const char *pin_argv[] = {self, "--pin-check", NULL};
	time_runs(pin_argv, SAVES, pin);
	double pin_p50 = percentile(pin, SAVES, 50) - empty_p50;
	printf("  %-48s p50 %6.2f ms   (a process checking it, less one doing nothing)\n",
	       "  of which the Argon2id PIN check", pin_p50 / 1e3);
	printf("  %-48s     %6.2f ms   (adjust p50 less the PIN check)\n", "  the rest: start, open, rules, save",
	       (adjust_p50 - pin_p50) / 1e3);

	write_script("build/bench/coldstart.script", BATCH);
	const char *batch[] = {invadj, "--db", DB, "batch", NULL};
	double whole;
	if (!freopen("build/bench/coldstart.script", "r", stdin) || spawn_timed(batch, NULL, &whole) != 0 ||
	    !freopen("/dev/null", "r", stdin))
		die("invadj batch failed");
	printf("  %-48s %6.2f ms a save (%d saves in %.0f ms, one PIN check)\n",
	       "invadj batch of adjustments", whole / BATCH / 1e3, BATCH, whole / 1e3);

	if (access(STRACE, X_OK) != 0) {
		printf("fsyncs: %s is not installed (apt-get install strace)\n", STRACE);
	} else {
		char files[256];
		printf("fsyncs (strace: fsync, fdatasync, sync_file_range, msync):\n");
		for (int k = 0; k < 3; k++) {
			int n = count_syncs(adjust, NULL, files, sizeof files);
			printf("  invadj adjust (login and one save), run %d: %d (%s)\n", k + 1, n, files);
		}
		/* The login counts the attempt before and after the PIN check (a
		 * commit each): a save alone is a batch of two saves less one. */
		write_script("build/bench/coldstart.one", 1);
		write_script("build/bench/coldstart.two", 2);
		for (int k = 0; k < 3; k++) {
			int one = count_syncs(batch, "build/bench/coldstart.one", files, sizeof files);
			int two = count_syncs(batch, "build/bench/coldstart.two", files, sizeof files);
			printf("  a single save, the login apart, run %d: %d (%s; the login: %d)\n", k + 1,
			       two - one, files, one - (two - one));
		}
		unlink("build/bench/coldstart.one");
		unlink("build/bench/coldstart.two");
		int n = count_syncs(batch, "build/bench/coldstart.script", files, sizeof files);
		printf("  invadj batch of %d saves: %d, %.2f a save (%s)\n", BATCH, n, (double)n / BATCH, files);
	}
	unlink("build/bench/coldstart.script");
	return 0;
}
