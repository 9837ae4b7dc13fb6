/* A plain driver for a fuzz target: feeds it every saved input, so the
 * corpus and the crash regressions run in `make check` under ASan and
 * UBSan without libFuzzer (and with gcc).
 *
 *   replay_X [FILE|DIR]...
 *
 * With no arguments it replays tests/fuzz/corpus/X and
 * tests/fuzz/regressions/X (X is REPLAY_TARGET), relative to the top of
 * the source tree where make runs it.  A failing input aborts through
 * the sanitizers or FUZZ_CHECK, naming the file first. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef REPLAY_TARGET
#error "build with -DREPLAY_TARGET='\"csv\"' (the fuzz target's name)"
#endif

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			fprintf(stderr, "%s: out of memory\n", path);
			fclose(f);
			return -1;
		}
		len += fread(buf + len, 1, cap - len, f);
		if (len < cap)
			break;
		uint8_t *bigger = realloc(buf, cap * 2);
		if (!bigger)
			free(buf);
		buf = bigger;
		cap *= 2;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "%s: read error\n", path);
		free(buf);
		return -1;
	}
	fprintf(stderr, "replay %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 1;
}

/* Replays a file, or every regular file directly in a directory.
 * Returns the number of inputs run, or -1. */
static int replay_path(const char *path, int must_exist)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (!must_exist && errno == ENOENT)
			return 0;
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	DIR *dir = opendir(path);
	if (!dir) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	int count = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char full[4096];
		snprintf(full, sizeof full, "%s/%s", path, e->d_name);
		if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		int n = replay_file(full);
		if (n < 0) {
			closedir(dir);
			return -1;
		}
		count += n;
	}
	closedir(dir);
	return count;
}

int main(int argc, char **argv)
{
	int total = 0, n;
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			if ((n = replay_path(argv[i], 1)) < 0)
				return 1;
			total += n;
		}
	} else {
		/* The seed corpus must be there; regressions may not be yet. */
		if ((n = replay_path("tests/fuzz/corpus/" REPLAY_TARGET, 1)) < 0)
			return 1;
		total += n;
		if ((n = replay_path("tests/fuzz/regressions/" REPLAY_TARGET, 0)) < 0)
			return 1;
		total += n;
	}
	if (total == 0) {
		fprintf(stderr, "replay " REPLAY_TARGET ": no inputs found\n");
		return 1;
	}
	printf("replay " REPLAY_TARGET ": %d inputs ok\n", total);
	return 0;
}
