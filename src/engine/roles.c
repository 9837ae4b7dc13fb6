/* People on a PostgreSQL server: each user is a login role of the
 * server (docs/deployment.md), the login screen's name and PIN are the
 * connection's user and password, and the server checks them (SCRAM).
 * No table holds a PIN hash there.  A file's users are checked by
 * login.c instead. */
#include <stdio.h>
#include <string.h>

#include "engine/internal.h"

/* The one answer to a wrong password, a name the server does not know
 * and a role that may not log in: the server itself answers an unknown
 * name as a wrong password, so no answer tells which names exist. */
#define SERVER_WRONG "%s: wrong user name or PIN"

/* A name no user can have is refused before the server is asked. */
static bool plausible(const char *name, const char *who)
{
	char msg[IV_MSG_MAX];
	return name && *name && field_text(who, name, IV_IDENT_MAX, false, msg, sizeof msg);
}

/* The user called name, through st; a role of the server that is no
 * user of this database (an administrator's) is refused as a wrong
 * login, and a disabled user in words (only to whoever knows the PIN). */
static iv_status find_person(iv_db *db, store *st, const char *name, const char *who, store_user *out)
{
	iv_status rc = store_user_find(st, name, out);
	if (rc == IV_E_NOT_FOUND)
		return iv_fail(db, IV_E_AUTH, SERVER_WRONG, who);
	if (rc != IV_OK)
		return iv_fail(db, rc, "%s", store_errmsg(st));
	if (out->disabled)
		return iv_fail(db, IV_E_AUTH, "%s: user %s is disabled; an admin can enable it again", who,
		               name);
	return IV_OK;
}

iv_status roles_login(iv_db *db, const char *name, const char *pin)
{
	if (!plausible(name, "Login"))
		return iv_fail(db, IV_E_AUTH, SERVER_WRONG, "Login");
	iv_status rc = store_connect_as(db->st, name, pin ? pin : "");
	if (rc == IV_E_AUTH)
		return iv_fail(db, IV_E_AUTH, SERVER_WRONG, "Login");
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	store_user u;
	if ((rc = find_person(db, db->st, name, "Login", &u)) != IV_OK) {
		store_connect_as(db->st, NULL, NULL);
		return rc;
	}
	db->user = u.user;
	db->logged_in = true;
	return IV_OK;
}

iv_status roles_check(iv_db *db, const char *name, const char *pin, const char *who, store_user *out)
{
	if (!plausible(name, who))
		return iv_fail(db, IV_E_AUTH, SERVER_WRONG, who);
	store *own = NULL;
	iv_status rc = store_open_as(db->st, name, pin ? pin : "", &own);
	if (rc == IV_E_AUTH)
		rc = iv_fail(db, IV_E_AUTH, SERVER_WRONG, who);
	else if (rc != IV_OK)
		rc = iv_fail(db, rc, "%s", store_errmsg(own));
	else
		rc = find_person(db, own, name, who, out);
	store_close(own);
	return rc;
}
