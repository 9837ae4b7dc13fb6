/* Creating the files invadj writes (include/invadj/files.h): new,
 * owner-only, never through a symlink, never over another file. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/internal.h"
#include "invadj/files.h"

static _Thread_local char last_file_error[IV_MSG_MAX];

const char *iv_file_errmsg(void)
{
	return last_file_error;
}

void files_set_errmsg(const char *msg)
{
	snprintf(last_file_error, sizeof last_file_error, "%s", msg);
}

static iv_status outfile_fail(iv_outfile *o, iv_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static iv_status outfile_fail(iv_outfile *o, iv_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->errmsg, sizeof o->errmsg, fmt, ap);
	va_end(ap);
	return st;
}

bool iv_file_exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0;
}

static iv_status refuse_existing(iv_outfile *o)
{
	return outfile_fail(o, IV_E_CONFLICT,
	                    "%s: %s exists; invadj never writes over a file, name a new one", o->field,
	                    o->path);
}

/* A temporary file beside path (same folder, so that rename is atomic
 * and never crosses file systems). */
static int make_temporary(iv_outfile *o)
{
	const char *slash = strrchr(o->path, '/');
	int dir_len = slash ? (int)(slash - o->path + 1) : 0;
	snprintf(o->tmp, sizeof o->tmp, "%.*s.invadj-XXXXXX", dir_len, o->path);
	return mkstemp(o->tmp); /* O_EXCL, 0600 */
}

iv_status iv_outfile_create(iv_outfile *o, const char *field, const char *path, bool replace)
{
	memset(o, 0, sizeof *o);
	snprintf(o->field, sizeof o->field, "%s", field);
	if (!path || !*path)
		return outfile_fail(o, IV_E_INVALID, "%s: a file name is required", field);
	if (strlen(path) >= sizeof o->path)
		return outfile_fail(o, IV_E_INVALID, "%s: the file name is longer than %d bytes", field,
		                    IV_PATH_MAX - 1);
	snprintf(o->path, sizeof o->path, "%s", path);
	int fd;
	if (replace && iv_file_exists(path)) {
		struct stat sb;
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			return outfile_fail(o, IV_E_IO, "%s: %s is a folder", field, path);
		fd = make_temporary(o);
		o->replacing = fd >= 0;
	} else {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST)
			return refuse_existing(o);
	}
	if (fd < 0)
		return outfile_fail(o, IV_E_IO, "%s: cannot create %s: %s", field, path, strerror(errno));
	/* 0600 exactly, whatever the umask (which may take bits away, as
	 * 0277 would, but never adds any here). */
	if (fchmod(fd, 0600) != 0 || !(o->f = fdopen(fd, "w"))) {
		int err = errno;
		close(fd);
		unlink(o->replacing ? o->tmp : path);
		return outfile_fail(o, IV_E_IO, "%s: cannot create %s: %s", field, path, strerror(err));
	}
	return IV_OK;
}

iv_status iv_outfile_finish(iv_outfile *o)
{
	if (!o->f)
		return outfile_fail(o, IV_E_IO, "%s: %s was not opened", o->field, o->path);
	bool ok = fflush(o->f) == 0 && !ferror(o->f) && fsync(fileno(o->f)) == 0;
	int err = errno;
	if (fclose(o->f) != 0 && ok) {
		ok = false;
		err = errno;
	}
	o->f = NULL;
	if (ok && o->replacing && rename(o->tmp, o->path) != 0) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		unlink(o->replacing ? o->tmp : o->path);
		return outfile_fail(o, IV_E_IO, "%s: writing %s failed: %s", o->field, o->path,
		                    strerror(err));
	}
	return IV_OK;
}

void iv_outfile_discard(iv_outfile *o)
{
	if (!o->f)
		return;
	/* Only the file this handle made: compared by inode, in case the
	 * name was taken meanwhile. */
	struct stat mine, named;
	const char *name = o->replacing ? o->tmp : o->path;
	bool same = fstat(fileno(o->f), &mine) == 0 && lstat(name, &named) == 0 &&
	            mine.st_dev == named.st_dev && mine.st_ino == named.st_ino;
	fclose(o->f);
	o->f = NULL;
	if (same)
		unlink(name);
}
