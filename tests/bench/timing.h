/* What the benchmarks share: a clock, percentiles, and the time of a
 * whole command run as a new process (the way a user or a script runs
 * one, start-up included).  Figures only: nothing passes or fails on
 * time. */
#ifndef INVADJ_BENCH_TIMING_H
#define INVADJ_BENCH_TIMING_H

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static inline double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The pct-th percentile of t[0..n-1] (sorts t). */
static inline double percentile(double *t, int n, int pct)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	int k = n * pct / 100;
	return t[k < n ? k : n - 1];
}

/* Runs argv (argv[0] a path) with its output thrown away, or written
 * to out_path when given; returns its exit status, -1 if it could not
 * run.  *us gets the wall time from spawn to exit. */
static inline int spawn_timed(const char *const argv[], const char *out_path, double *us)
{
	/* posix_spawn takes char *const[]: the words are copied, not cast. */
	char *args[64];
	size_t n = 0;
	while (argv[n] && n < 63)
		n++;
	memcpy(args, argv, n * sizeof *args);
	args[n] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out_path ? out_path : "/dev/null",
	                                 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	double t0 = now_us();
	int rc = posix_spawn(&pid, args[0], &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (us)
		*us = now_us() - t0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Runs argv n times; t[k] the wall time of run k.  Stops the benchmark
 * if a run fails (a figure of a failing command means nothing). */
static inline void time_runs(const char *const argv[], int n, double *t)
{
	for (int k = 0; k < n; k++)
		if (spawn_timed(argv, NULL, &t[k]) != 0) {
			fprintf(stderr, "bench: %s %s failed\n", argv[0], argv[1] ? argv[1] : "");
			exit(1);
		}
}

#endif
