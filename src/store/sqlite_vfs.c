/* The SQLite backend's file layer: SQLite's own unix VFS, but for how a
 * write-ahead log is opened.
 *
 * The WAL is kept between processes (sqlite_conn.c), so that a save
 * costs one fsync of the log.  SQLite opens the log with its "create"
 * flag every time, and a file opened with that flag gets its directory
 * fsync'ed at the first sync, in case the file is new: an extra fsync in
 * every process that saves.  Here the log is opened without the flag
 * when it already exists; when it does not, it is created and its
 * directory synced at once, before anything is written into it.  Either
 * way the log's directory entry is on disk before a save relies on it,
 * as SQLite ensures, but once per log file instead of once per process.
 * (A log some other program created and left behind without ever
 * syncing, e.g. an sqlite3 shell killed while reading, is the one case
 * SQLite's rule covers and this one does not: docs/trust.md.) */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite_internal.h"

#define VFS_NAME "invadj-unix"

static struct keep_wal_vfs {
	pthread_once_t once;
	sqlite3_vfs vfs;        /* the unix VFS with xOpen replaced */
	sqlite3_vfs *base;      /* the unix VFS itself */
	bool registered;
} keep_wal = {.once = PTHREAD_ONCE_INIT};

/* fsync of the folder holding path, so that a file created in it stays
 * there through a power cut. */
static int sync_folder(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	if (n >= sizeof dir)
		return SQLITE_IOERR_DIR_FSYNC;
	if (slash && n == 0)
		n = 1; /* the root folder */
	memcpy(dir, slash ? path : ".", slash ? n : 1);
	dir[slash ? n : 1] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return SQLITE_IOERR_DIR_FSYNC;
	int rc = fsync(fd) == 0 ? SQLITE_OK : SQLITE_IOERR_DIR_FSYNC;
	close(fd);
	return rc;
}

static int keep_wal_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
                         int *out_flags)
{
	(void)vfs;
	sqlite3_vfs *base = keep_wal.base;
	if (!(flags & SQLITE_OPEN_WAL) || !name || !(flags & SQLITE_OPEN_CREATE))
		return base->xOpen(base, name, file, flags, out_flags);
	int got = 0;
	int rc = base->xOpen(base, name, file, flags & ~SQLITE_OPEN_CREATE, &got);
	if (rc == SQLITE_OK && !((flags & SQLITE_OPEN_READWRITE) && (got & SQLITE_OPEN_READONLY))) {
		if (out_flags)
			*out_flags = got;
		return rc;
	}
	/* Opened read-only where read-write was asked: the unix VFS, finding
	 * no log to open for writing, tries read-only, and another terminal
	 * created the log in between.  SQLite would then refuse every write
	 * through this log ("read-only"), so it is opened again below. */
	if (rc == SQLITE_OK && file->pMethods) {
		file->pMethods->xClose(file);
		file->pMethods = NULL;
	}
	/* No log yet (or it just went: another program's last connection
	 * deleted it): create it, and make its name durable now. */
	struct stat sb;
	bool existed = stat(name, &sb) == 0;
	rc = base->xOpen(base, name, file, flags, out_flags);
	if (rc == SQLITE_OK && !existed && (rc = sync_folder(name)) != SQLITE_OK && file->pMethods) {
		file->pMethods->xClose(file);
		file->pMethods = NULL;
	}
	return rc;
}

static void keep_wal_register(void)
{
	sqlite3_vfs *base = sqlite3_vfs_find("unix");
	if (!base)
		return;
	keep_wal.base = base;
	keep_wal.vfs = *base;
	keep_wal.vfs.zName = VFS_NAME;
	keep_wal.vfs.pNext = NULL;
	keep_wal.vfs.xOpen = keep_wal_open;
	keep_wal.registered = sqlite3_vfs_register(&keep_wal.vfs, 0) == SQLITE_OK;
}

const char *sqlite_vfs_name(void)
{
	pthread_once(&keep_wal.once, keep_wal_register);
	return keep_wal.registered ? VFS_NAME : NULL;
}
