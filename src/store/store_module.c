/* Loads the PostgreSQL backend, a module of its own (invadj-pg.so), the
 * first time a postgresql:// address is opened.  libpq pulls some twenty
 * shared libraries (gnutls, krb5, ldap) into a process, which took most
 * of a command's start; a run on a SQLite file now loads none of them.
 *
 * The module's path is fixed when the program is built: INVADJ_PG_MODULE,
 * the build tree's module for ./invadj and the tests, PREFIX/lib/invadj
 * for `make install`.  It is never taken from the environment: a
 * variable naming the module would let whoever can set it run their own
 * code inside invadj, next to the PINs it reads. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/backend.h"

#ifndef INVADJ_PG_MODULE
#error "INVADJ_PG_MODULE, the PostgreSQL module's path, comes from the Makefile"
#endif

/* Loaded once per process (several threads may open databases); the
 * module is never unloaded, so its table stays valid for every handle. */
static struct pg_module_state {
	pthread_once_t once;
	const store_module *module; /* NULL when it could not be loaded */
	char why[IV_MSG_MAX];       /* then the sentence saying why */
} pg_module = {.once = PTHREAD_ONCE_INIT};

#define MODULE_WHAT "invadj's PostgreSQL module " INVADJ_PG_MODULE

/* Whoever may write the module or replace it in its folder could run
 * code as every user of invadj: such a module is refused. */
static bool writable_by_others(const char *path, char *why, size_t n)
{
	char dir[sizeof INVADJ_PG_MODULE];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	const char *const paths[] = {path, slash ? dir : "."};
	for (int k = 0; k < 2; k++) {
		struct stat sb;
		if (stat(paths[k], &sb) != 0)
			continue; /* dlopen says what is missing */
		if (sb.st_mode & S_IWOTH) {
			snprintf(why, n, "%s is not loaded: anyone may write to %s (remove the write permission "
			         "of others: chmod o-w)", MODULE_WHAT, paths[k]);
			return true;
		}
	}
	return false;
}

static void load_module(void)
{
	struct pg_module_state *m = &pg_module;
	struct stat sb;
	if (stat(INVADJ_PG_MODULE, &sb) != 0) {
		snprintf(m->why, sizeof m->why,
		         "a PostgreSQL address needs %s, which %s; install it with the program "
		         "(make install)", MODULE_WHAT,
		         errno == ENOENT ? "is not there" : strerror(errno));
		return;
	}
	if (writable_by_others(INVADJ_PG_MODULE, m->why, sizeof m->why))
		return;
	/* RTLD_NOW: a library missing from the module's dependencies is
	 * reported here, not in the middle of a save. */
	void *handle = dlopen(INVADJ_PG_MODULE, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		const char *detail = dlerror();
		snprintf(m->why, sizeof m->why, "%s cannot be loaded: %s", MODULE_WHAT,
		         detail ? detail : "no detail");
		return;
	}
	const store_module *mod = dlsym(handle, STORE_MODULE_SYMBOL);
	static const size_t sizes[STORE_INTERFACE_NSIZES] = STORE_INTERFACE_SIZES;
	if (!mod || !mod->interface || strcmp(mod->interface, STORE_INTERFACE_TEXT) != 0 ||
	    memcmp(mod->sizes, sizes, sizeof sizes) != 0 || !mod->open) {
		snprintf(m->why, sizeof m->why,
		         "%s is not from this build of invadj; install the program and its module "
		         "together (make install)", MODULE_WHAT);
		dlclose(handle);
		return;
	}
	m->module = mod;
}

/* The handle of a database whose backend could not be loaded: only its
 * sentence is read, and it is closed. */
static void close_unopened(store *st)
{
	free(st);
}

static const store_backend unopened_backend = {.kind = "none", .close = close_unopened};

iv_status store_module_open_pg(const char *path, iv_open_mode mode, store_upgrade_fn upgrade,
                               store **out)
{
	pthread_once(&pg_module.once, load_module);
	if (pg_module.module)
		return pg_module.module->open(path, mode, upgrade, out);
	store_common *h = calloc(1, sizeof *h);
	*out = (store *)(void *)h;
	if (!h)
		return IV_E_NOMEM;
	h->be = &unopened_backend;
	snprintf(h->errmsg, sizeof h->errmsg, "%s", pg_module.why);
	return IV_E_STORAGE;
}
