/* Path completion. */
#include "tui/pathcomp.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int path_complete(const char *path, char *out, size_t size, char *hint, size_t hint_size)
{
	char dir[4096], base[1024], common[1024] = "";
	const char *slash = strrchr(path, '/');
	if (slash) {
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path + 1), path);
		snprintf(base, sizeof base, "%s", slash + 1);
	} else {
		snprintf(dir, sizeof dir, "%s", "");
		snprintf(base, sizeof base, "%s", path);
	}
	char real_dir[4096];
	if (dir[0] == '~' && dir[1] == '/' && getenv("HOME"))
		snprintf(real_dir, sizeof real_dir, "%s%s", getenv("HOME"), dir + 1);
	else
		snprintf(real_dir, sizeof real_dir, "%s", dir[0] ? dir : "./");
	if (hint_size)
		hint[0] = '\0';
	DIR *d = opendir(real_dir);
	if (!d) {
		snprintf(out, size, "%s", path);
		return 0;
	}
	size_t blen = strlen(base), hused = 0;
	int matches = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, base, blen) != 0)
			continue;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_name[0] == '.' && base[0] != '.')
			continue;
		if (matches++ == 0) {
			snprintf(common, sizeof common, "%s", e->d_name);
		} else {
			size_t i = 0;
			while (common[i] && common[i] == e->d_name[i])
				i++;
			common[i] = '\0';
		}
		if (hint_size && hused + strlen(e->d_name) + 2 < hint_size) {
			int n = snprintf(hint + hused, hint_size - hused, "%s%s", hused ? "  " : "", e->d_name);
			if (n > 0)
				hused += (size_t)n;
		}
	}
	closedir(d);
	if (matches == 0) {
		snprintf(out, size, "%s", path);
		return 0;
	}
	snprintf(out, size, "%s%s", dir, common);
	if (matches == 1) {
		char full[4096 + 1024];
		struct stat sb;
		snprintf(full, sizeof full, "%s%s", real_dir, common);
		if (stat(full, &sb) == 0 && S_ISDIR(sb.st_mode) && strlen(out) + 1 < size)
			strcat(out, "/");
	}
	return matches;
}
