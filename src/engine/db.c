/* Opening the database, the error sentence, "today", shared checks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "engine/internal.h"

#ifndef INVADJ_VERSION
#define INVADJ_VERSION "0.1.0"
#endif

const char *iv_version(void)
{
	return INVADJ_VERSION;
}

iv_status iv_fail(iv_db *db, iv_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
	va_end(ap);
	return st;
}

iv_status iv_fail_store(iv_db *db, iv_status st)
{
	return iv_fail(db, st, "%s", store_errmsg(db->st));
}

const char *iv_errmsg(const iv_db *db)
{
	return db ? db->errmsg : "out of memory";
}

/* mkdir -p, owner-only, for the default database's folder. */
static int make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc != 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

bool iv_default_db_path(char *buf, size_t size, const char **why)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && *xdg)
		n = snprintf(buf, size, "%s/invadj/inventory.db", xdg);
	else if (home && *home)
		n = snprintf(buf, size, "%s/.local/share/invadj/inventory.db", home);
	else {
		*why = "neither XDG_DATA_HOME nor HOME is set";
		return false;
	}
	if (n > 0 && (size_t)n < size)
		return true;
	*why = xdg && *xdg ? "XDG_DATA_HOME is too long for a path" : "HOME is too long for a path";
	return false;
}

bool iv_is_file(const char *path)
{
	return store_is_file(path);
}

iv_status iv_open(const char *path, iv_open_mode mode, iv_db **out)
{
	iv_db *db = calloc(1, sizeof *db);
	*out = db;
	if (!db)
		return IV_E_NOMEM;
	db->server = !store_is_file(path);
	if (mode == IV_OPEN_CREATE && store_is_file(path)) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s", path);
		if (make_dirs(dir) != 0)
			return iv_fail(db, IV_E_IO, "cannot create the folder for %s: %s", path, strerror(errno));
	}
	iv_status rc = store_open(path, mode, iv_upgrade, &db->st);
	if (!db->st)
		return iv_fail(db, IV_E_NOMEM, "out of memory");
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	return IV_OK;
}

iv_status iv_open_like(iv_db *db, iv_open_mode mode, iv_db **out)
{
	iv_db *like = calloc(1, sizeof *like);
	*out = like;
	if (!like)
		return IV_E_NOMEM;
	like->server = db->server;
	iv_status rc = store_open_like(db->st, mode, &like->st);
	if (!like->st)
		return iv_fail(like, rc != IV_OK ? rc : IV_E_NOMEM, "%s",
		               rc != IV_OK ? store_errmsg(db->st) : "out of memory");
	return rc == IV_OK ? IV_OK : iv_fail_store(like, rc);
}

void iv_close(iv_db *db)
{
	if (!db)
		return;
	store_close(db->st);
	free(db);
}

iv_status iv_parse_any_date(iv_db *db, const char *text, const char *field, iv_date *out)
{
	if (!date_parse(text, out))
		return iv_fail(db, IV_E_INVALID,
		               "%s: \"%s\" is not a valid date (use MM/DD/YYYY, MM-DD-YYYY or YYYY-MM-DD)",
		               field, text ? text : "");
	return IV_OK;
}

iv_status iv_parse_date(iv_db *db, const char *text, const char *field, iv_date today, iv_date *out)
{
	if (!text || !*text) {
		*out = today;
		return IV_OK;
	}
	iv_date d;
	iv_status rc = iv_parse_any_date(db, text, field, &d);
	if (rc != IV_OK)
		return rc;
	if (d > today) {
		char iso[IV_DATE_ISO_LEN];
		date_format(today, iso);
		return iv_fail(db, IV_E_INVALID, "%s: %s is in the future (today is %s)", field, text, iso);
	}
	*out = d;
	return IV_OK;
}

iv_status iv_parse_diff(iv_db *db, const char *text, const char *field, iv_qty *out)
{
	iv_qty q;
	qty_error e = qty_parse(text, &q);
	if (e != QTY_OK)
		return iv_fail(db, IV_E_INVALID, "%s: \"%s\" %s", field, text ? text : "", qty_error_text(e));
	if (q == 0)
		return iv_fail(db, IV_E_INVALID, "%s: 0 changes nothing; enter a positive or negative quantity",
		               field);
	*out = q;
	return IV_OK;
}
