/* People on a PostgreSQL server: each user is a login role of the
 * server (docs/deployment.md), the login screen's name and PIN are the
 * connection's user and password, and the server checks them (SCRAM).
 * No table holds a PIN hash there.  A file's users are checked by
 * login.c instead. */
#include <stdio.h>
#include <stdlib.h>
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

/* ---- An older deployment (or a ledger just migrated) moves to logins
 * of its own for every person: `invadj server roles`. */

/* Letters and digits that cannot be misread for each other (no 0/o,
 * 1/l/i): a one-time password is read off a sheet and typed once. */
static const char password_letters[] = "abcdefghjkmnpqrstuvwxyz23456789";
#define ONE_TIME_CHARS 12 /* 59 bits */

static void one_time_password(char out[IV_SERVER_PASSWORD])
{
	for (int k = 0; k < ONE_TIME_CHARS; k++)
		out[k] = password_letters[randombytes_uniform(sizeof password_letters - 1)];
	out[ONE_TIME_CHARS] = '\0';
}

typedef struct person_list {
	iv_server_person *v;
	int64_t *ids;
	bool *pin_held; /* the users table holds a PIN hash for them */
	size_t n, cap;
	bool nomem;
} person_list;

static bool take_user(void *ctx, const char *const *vals, int ncols)
{
	person_list *l = ctx;
	(void)ncols;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		iv_server_person *v = realloc(l->v, cap * sizeof *v);
		int64_t *ids = v ? realloc(l->ids, cap * sizeof *ids) : NULL;
		bool *held = ids ? realloc(l->pin_held, cap * sizeof *held) : NULL;
		if (v)
			l->v = v;
		if (ids)
			l->ids = ids;
		if (!held)
			return !(l->nomem = true);
		l->pin_held = held;
		l->cap = cap;
	}
	iv_server_person *p = &l->v[l->n];
	memset(p, 0, sizeof *p);
	l->ids[l->n] = strtoll(vals[0], NULL, 10);
	snprintf(p->name, sizeof p->name, "%s", vals[1] ? vals[1] : "");
	iv_role_parse(vals[2], &p->role);
	l->pin_held[l->n] = vals[3] && *vals[3];
	p->enabled = !vals[5] || !*vals[5];
	l->n++;
	return true;
}

static void person_list_free(person_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		sodium_memzero(l->v[k].password, sizeof l->v[k].password);
	free(l->v);
	free(l->ids);
	free(l->pin_held);
}

/* One person: their role created with a one-time password, or, when it
 * is there already, put in step with the users table; and any PIN hash
 * the table still holds cleared, as a reset recorded in admin's name. */
static iv_status give_login(iv_db *db, iv_server_person *p, int64_t id, bool pin_held,
                            const iv_user *admin, const char *now)
{
	bool exists;
	iv_status rc = store_role_exists(db->st, p->name, &exists);
	if (rc == IV_OK && !exists) {
		one_time_password(p->password);
		p->created = true;
		rc = store_role_create(db->st, p->name, p->role, p->password, p->enabled);
	} else if (rc == IV_OK) {
		store_role_change c = {NULL, p->enabled, (int)p->role};
		rc = store_role_alter(db->st, p->name, &c);
	}
	if (rc != IV_OK)
		return iv_fail(db, rc, "User %s: %s", p->name, store_errmsg(db->st));
	if (!pin_held)
		return IV_OK;
	ns_text before = {0};
	bool found;
	if ((rc = events_state(db, STORE_T_USERS, id, &before, &found)) != IV_OK)
		return rc;
	if ((rc = store_user_set_pin(db->st, id, "", admin->id, now)) != IV_OK)
		rc = iv_fail_store(db, rc);
	event_chain events = {0};
	if (rc == IV_OK)
		rc = events_record(db, &events, STORE_T_USERS, id, before.s, "pin-reset", admin);
	ns_text_free(&before);
	return rc;
}

iv_status iv_server_roles(iv_db *db, const char *admin, const char *revoke, iv_server_person_cb cb,
                          void *ctx)
{
	if (!db->server)
		return iv_fail(db, IV_E_INVALID, "server roles: a database file has no server roles; its "
		                                 "users log in with their PINs");
	if (!admin || !*admin)
		return iv_fail(db, IV_E_INVALID,
		               "Admin: name the admin in whose name the PIN resets are recorded (--admin NAME)");
	if (sodium_init() < 0)
		return iv_fail(db, IV_E_NOMEM, "the random number generator could not start");
	char now[32];
	iv_status rc = clock_now_text(db, now);
	if (rc != IV_OK)
		return rc;
	if ((rc = store_begin(db->st, true)) != IV_OK)
		return iv_fail_store(db, rc);
	store_user a;
	person_list l = {0};
	rc = store_user_find(db->st, admin, &a);
	if (rc == IV_E_NOT_FOUND || (rc == IV_OK && (a.user.role != IV_ROLE_ADMIN || a.disabled)))
		rc = iv_fail(db, IV_E_INVALID, "Admin: %s is not an enabled admin of this database", admin);
	else if (rc != IV_OK)
		rc = iv_fail_store(db, rc);
	else if ((rc = store_table_each(db->st, STORE_T_USERS, take_user, &l)) != IV_OK)
		rc = iv_fail_store(db, rc);
	else if (l.nomem)
		rc = iv_fail(db, IV_E_NOMEM, "out of memory");
	iv_user by = a.user;
	sodium_memzero(&a, sizeof a);
	for (size_t k = 0; rc == IV_OK && k < l.n; k++)
		rc = give_login(db, &l.v[k], l.ids[k], l.pin_held[k], &by, now);
	if (rc == IV_OK && (rc = store_roles_start(db->st)) != IV_OK)
		rc = iv_fail_store(db, rc);
	if (rc == IV_OK && revoke && *revoke && (rc = store_role_revoke(db->st, revoke)) != IV_OK)
		rc = iv_fail(db, rc, "Revoke: %s", store_errmsg(db->st));
	if (rc == IV_OK && (rc = store_commit(db->st)) != IV_OK)
		rc = iv_fail_store(db, rc);
	if (rc != IV_OK)
		store_rollback(db->st);
	/* The passwords are told once, and only when they hold. */
	for (size_t k = 0; rc == IV_OK && k < l.n; k++)
		if (!cb(ctx, &l.v[k]))
			break;
	person_list_free(&l);
	return rc;
}
