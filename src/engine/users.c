/* Users, roles and PINs (Argon2id through libsodium); logging in and
 * approvals are in login.c. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/internal.h"
#include "engine/rules.h"
#include "invadj/text.h"

static const char *const role_names[] = {"clerk", "supervisor", "admin"};

const char *iv_role_name(iv_role role)
{
	return (unsigned)role < 3 ? role_names[role] : "?";
}

bool iv_role_parse(const char *text, iv_role *out)
{
	for (int i = 0; i < 3; i++)
		if (text && strcmp(text, role_names[i]) == 0) {
			*out = (iv_role)i;
			return true;
		}
	return false;
}

static iv_status check_name(iv_db *db, const char *name)
{
	if (!name || !*name)
		return iv_fail(db, IV_E_INVALID, "User: a user name is required");
	char msg[IV_MSG_MAX];
	if (!field_text("User", name, IV_IDENT_MAX, false, msg, sizeof msg))
		return iv_fail(db, IV_E_INVALID, "%s", msg);
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == ',' || *p == '"')
			return iv_fail(db, IV_E_INVALID,
			               "User: \"%s\" may not contain blanks, commas or quotes", name);
	return IV_OK;
}

static iv_status check_pin(iv_db *db, const char *pin)
{
	size_t chars = pin ? text_chars(pin, strlen(pin)) : 0;
	size_t least = policy_min_secret(db->server);
	if (chars < least && db->server)
		return iv_fail(db, IV_E_INVALID,
		               "PIN: at least %zu characters on a PostgreSQL server, where the PIN is the "
		               "password of the user's own login",
		               least);
	if (chars < least)
		return iv_fail(db, IV_E_INVALID, "PIN: at least %zu characters are required", least);
	if (chars > 64)
		return iv_fail(db, IV_E_INVALID, "PIN: at most 64 characters");
	return IV_OK;
}

/* Argon2id with 19 MiB and two passes: OWASP's recommended minimum for
 * Argon2id.  libsodium's "interactive" setting (64 MiB) would make every
 * logged-in command, a million-row upload included, peak above 64 MiB
 * of memory for the PIN check alone.  A PIN's own parameters are kept in
 * its hash, so hashes made with other settings still verify. */
#define PIN_OPSLIMIT 2
#define PIN_MEMLIMIT (19u * 1024 * 1024)

iv_status user_hash_pin(iv_db *db, const char *pin, char *out)
{
	if (sodium_init() < 0)
		return iv_fail(db, IV_E_NOMEM, "the hashing library could not start");
	if (crypto_pwhash_str_alg(out, pin, strlen(pin), PIN_OPSLIMIT, PIN_MEMLIMIT,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0)
		return iv_fail(db, IV_E_NOMEM, "out of memory while hashing the PIN");
	return IV_OK;
}

static iv_status need_admin(iv_db *db, const char *what)
{
	iv_status rc = iv_need_login(db);
	rule_user u;
	iv_session_rule_user(db, &u);
	if (rc == IV_OK && !rule_may(&u, RULE_ADMIN_USERS))
		rc = iv_fail(db, IV_E_PERMISSION, "only an admin may %s (%s is a %s)", what, db->user.name,
		             iv_role_name(db->user.role));
	return rc;
}

/* On a server a new user is a new login role of the server, with the
 * PIN as its password; the users table holds no hash of it. */
static iv_status add_role(iv_db *db, const char *name, iv_role role, const char *pin)
{
	bool taken;
	iv_status rc = store_role_exists(db->st, name, &taken);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (taken)
		return iv_fail(db, IV_E_CONFLICT,
		               "User: the server already has a login role named \"%s\" (another "
		               "application's, or a user of another database on it); choose another name",
		               name);
	rc = store_role_create(db->st, name, role, pin, true);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

/* Adds the user and its event; the first admin (no session yet) is
 * its own author. */
static iv_status insert_user(iv_db *db, const char *name, iv_role role, const char *pin)
{
	char hash[crypto_pwhash_STRBYTES] = "";
	iv_status rc = db->server ? IV_OK : user_hash_pin(db, pin, hash);
	if (rc != IV_OK)
		return rc;
	int64_t existing; /* names are unique regardless of case */
	rc = store_user_id_any_case(db->st, name, &existing);
	if (rc == IV_OK)
		return iv_fail(db, IV_E_CONFLICT, "User: \"%s\" already exists (names are unique regardless of case)",
		               name);
	if (rc != IV_E_NOT_FOUND)
		return iv_fail_store(db, rc);
	if (db->server && (rc = add_role(db, name, role, pin)) != IV_OK)
		return rc;
	char now[32];
	if ((rc = clock_now_text(db, now)) != IV_OK)
		return rc;
	iv_user added = {.role = role};
	snprintf(added.name, sizeof added.name, "%s", name);
	if ((rc = store_user_insert(db->st, name, role, hash, now, &added.id)) != IV_OK)
		return iv_fail_store(db, rc);
	event_chain events = {0};
	return events_record(db, &events, STORE_T_USERS, added.id, NULL, "add",
	                     db->logged_in ? &db->user : &added);
}

iv_status iv_init(iv_db *db, const char *admin_name, const char *admin_pin)
{
	iv_status rc = check_name(db, admin_name);
	if (rc == IV_OK)
		rc = check_pin(db, admin_pin);
	if (rc != IV_OK)
		return rc;
	if ((rc = store_begin(db->st, true)) != IV_OK)
		return iv_fail_store(db, rc);
	int64_t n = 0;
	rc = store_user_count(db->st, &n);
	if (rc != IV_OK) {
		rc = iv_fail_store(db, rc);
	} else if (n > 0) {
		rc = iv_fail(db, IV_E_REFUSED, "the database is already initialised (it has users)");
	} else {
		rc = insert_user(db, admin_name, IV_ROLE_ADMIN, admin_pin);
		/* Every approved row from the first on needs its approval. */
		if (rc == IV_OK && db->server && (rc = store_roles_start(db->st)) != IV_OK)
			rc = iv_fail_store(db, rc);
	}
	if (rc != IV_OK) {
		store_rollback(db->st);
		return rc;
	}
	rc = store_commit(db->st);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_user_add(iv_db *db, const char *name, const char *role, const char *pin)
{
	iv_status rc = need_admin(db, "add users");
	if (rc != IV_OK)
		return rc;
	iv_role r;
	if (!iv_role_parse(role, &r))
		return iv_fail(db, IV_E_INVALID, "Role: \"%s\" is not one of clerk, supervisor, admin",
		               role ? role : "");
	if ((rc = check_name(db, name)) != IV_OK || (rc = check_pin(db, pin)) != IV_OK)
		return rc;
	if ((rc = store_begin(db->st, true)) != IV_OK)
		return iv_fail_store(db, rc);
	rc = insert_user(db, name, r, pin);
	if (rc != IV_OK) {
		store_rollback(db->st);
		return rc;
	}
	rc = store_commit(db->st);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

/* What change_user applies, with the session user as the one who did it
 * and the time of the change. */
typedef struct user_change {
	const char *name;
	const char *action;
	const char *pin_hash;
	const char *pin; /* on a server: the new password of the user's role */
	bool disabled;
	iv_role role;
	const iv_user *by;
	char at[32];
} user_change;

/* On a server the change is made to the user's role too, in the same
 * transaction: a new password, another group, LOGIN or NOLOGIN. */
static iv_status apply_change(iv_db *db, const store_user *u, const user_change *c)
{
	store *st = db->st;
	int64_t id = u->user.id;
	bool pin = strcmp(c->action, "pin-set") == 0 || strcmp(c->action, "pin-reset") == 0;
	bool role = strcmp(c->action, "role") == 0;
	if (db->server) {
		store_role_change rc = {pin ? c->pin : NULL, pin || role ? -1 : !c->disabled, role ? (int)c->role : -1};
		iv_status st_rc = store_role_alter(st, u->user.name, &rc);
		if (st_rc != IV_OK)
			return st_rc;
	}
	if (pin) {
		iv_status rc = store_user_set_pin(st, id, c->pin_hash, c->by->id, c->at);
		/* A new PIN also lifts a slowdown after wrong PINs (a file's:
		 * a server keeps no counters). */
		return rc == IV_OK && !db->server ? store_login_failures_set(st, c->name, &(store_login){0}) : rc;
	}
	if (role)
		return store_user_set_role(st, id, c->role);
	return store_user_set_disabled(st, id, c->disabled, c->by->id, c->at);
}

/* Applies c to the user called name and appends its event, in one
 * write transaction. */
static iv_status change_user(iv_db *db, const char *name, user_change *c)
{
	iv_status rc = clock_now_text(db, c->at);
	if (rc != IV_OK)
		return rc;
	if ((rc = store_begin(db->st, true)) != IV_OK)
		return iv_fail_store(db, rc);
	if ((rc = ledger_lock_all_stores(db)) != IV_OK) {
		store_rollback(db->st);
		return rc;
	}
	store_user u;
	ns_text before = {0};
	bool found = false;
	rc = store_user_find(db->st, name, &u);
	if (rc == IV_E_NOT_FOUND) {
		rc = iv_fail(db, IV_E_NOT_FOUND, "User: there is no user \"%s\"", name);
	} else if (rc != IV_OK) {
		rc = iv_fail_store(db, rc);
	} else if ((rc = events_state(db, STORE_T_USERS, u.user.id, &before, &found)) == IV_OK) {
		if (strcmp(c->action, "role") == 0 && u.user.role == IV_ROLE_ADMIN && c->role != IV_ROLE_ADMIN) {
			int64_t admins = 0;
			if ((rc = store_user_admins(db->st, &admins)) != IV_OK)
				rc = iv_fail_store(db, rc);
			else if (admins <= 1 && !u.disabled)
				rc = iv_fail(db, IV_E_REFUSED,
				             "Role: %s is the last admin; make another user admin first", u.user.name);
		}
		if (rc == IV_OK && (rc = apply_change(db, &u, c)) != IV_OK)
			rc = iv_fail_store(db, rc);
		if (rc == IV_OK) {
			event_chain events = {0};
			rc = events_record(db, &events, STORE_T_USERS, u.user.id, before.s, c->action, c->by);
		}
	}
	ns_text_free(&before);
	sodium_memzero(&u, sizeof u);
	if (rc == IV_OK && (rc = store_commit(db->st)) != IV_OK)
		return iv_fail_store(db, rc);
	if (rc != IV_OK)
		store_rollback(db->st);
	return rc;
}

iv_status iv_user_set_pin(iv_db *db, const char *name, const char *new_pin)
{
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	if (!name || !*name)
		name = db->user.name;
	if (strcmp(name, db->user.name) != 0 && (rc = need_admin(db, "set another user's PIN")) != IV_OK)
		return rc;
	if ((rc = check_pin(db, new_pin)) != IV_OK)
		return rc;
	char hash[crypto_pwhash_STRBYTES] = ""; /* a server's users have none */
	if (!db->server && (rc = user_hash_pin(db, new_pin, hash)) != IV_OK)
		return rc;
	/* Set by the user, or reset by an admin: history tells them apart. */
	bool own = strcmp(name, db->user.name) == 0;
	user_change c = {.name = name, .action = own ? "pin-set" : "pin-reset", .pin_hash = hash,
	                 .pin = new_pin, .by = &db->user};
	rc = change_user(db, name, &c);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

iv_status iv_user_first_pin(iv_db *db, const char *name, const char *pin)
{
	if (db->server)
		return iv_fail(db, IV_E_REFUSED, "User: on a server the server keeps each user's password; "
		                                 "an admin sets it with `invadj user pin NAME`");
	iv_status rc = check_name(db, name);
	if (rc != IV_OK || (rc = check_pin(db, pin)) != IV_OK)
		return rc;
	store_user u;
	if ((rc = store_user_find(db->st, name, &u)) == IV_E_NOT_FOUND)
		return iv_fail(db, rc, "User: there is no user \"%s\"", name);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	bool pinless = u.pin_hash[0] == '\0';
	iv_user who = u.user;
	bool usable = u.user.role == IV_ROLE_ADMIN && !u.disabled;
	sodium_memzero(&u, sizeof u);
	if (!pinless)
		return iv_fail(db, IV_E_REFUSED, "User: %s has a PIN; it is changed after logging in", name);
	if (!usable)
		return iv_fail(db, IV_E_REFUSED, "User: %s is not an enabled admin; name one", name);
	char hash[crypto_pwhash_STRBYTES];
	if ((rc = user_hash_pin(db, pin, hash)) != IV_OK)
		return rc;
	user_change c = {.name = name, .action = "pin-set", .pin_hash = hash, .pin = pin, .by = &who};
	rc = change_user(db, name, &c);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

iv_status iv_user_change_pin(iv_db *db, const char *current_pin, const char *new_pin)
{
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK || (rc = check_pin(db, new_pin)) != IV_OK)
		return rc;
	store_user u;
	rc = login_check(db, db->user.name, current_pin, "Current PIN", &u);
	sodium_memzero(&u, sizeof u);
	if (rc != IV_OK)
		return rc;
	return iv_user_set_pin(db, NULL, new_pin);
}

iv_status iv_user_set_disabled(iv_db *db, const char *name, bool disabled)
{
	iv_status rc = need_admin(db, disabled ? "disable users" : "enable users");
	if (rc != IV_OK)
		return rc;
	if (!name || !*name)
		return iv_fail(db, IV_E_INVALID, "User: a user name is required");
	/* So that there is always an admin who can log in. */
	if (disabled && strcmp(name, db->user.name) == 0)
		return iv_fail(db, IV_E_REFUSED, "User: you cannot disable yourself; another admin can");
	user_change c = {.action = disabled ? "disable" : "enable", .disabled = disabled, .by = &db->user};
	return change_user(db, name, &c);
}

iv_status iv_user_set_role(iv_db *db, const char *name, const char *role)
{
	iv_status rc = need_admin(db, "change roles");
	if (rc != IV_OK)
		return rc;
	if (!name || !*name)
		return iv_fail(db, IV_E_INVALID, "User: a user name is required");
	user_change c = {.action = "role", .by = &db->user};
	if (!iv_role_parse(role, &c.role))
		return iv_fail(db, IV_E_INVALID, "Role: \"%s\" is not one of clerk, supervisor, admin",
		               role ? role : "");
	return change_user(db, name, &c);
}

iv_status iv_user_list(iv_db *db, iv_user_cb cb, void *ctx)
{
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	rule_user u;
	iv_session_rule_user(db, &u);
	if (!rule_may(&u, RULE_LIST_USERS))
		return iv_fail(db, IV_E_PERMISSION, "only a supervisor or admin may list users (%s is a clerk)",
		               db->user.name);
	if ((rc = store_begin(db->st, false)) != IV_OK)
		return iv_fail_store(db, rc);
	rc = store_user_each(db->st, cb, ctx);
	store_rollback(db->st);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

