/* Users, roles and PINs (Argon2id through libsodium); logging in and
 * approvals are in login.c. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/internal.h"
#include "invadj/text.h"

static const char *const role_names[] = {"clerk", "supervisor", "admin"};

const char *iv_role_name(iv_role role)
{
	return (unsigned)role < 3 ? role_names[role] : "?";
}

static bool role_parse(const char *text, iv_role *out)
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
	if (chars < 4)
		return iv_fail(db, IV_E_INVALID, "PIN: at least 4 characters are required");
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
	if (rc == IV_OK && db->user.role != IV_ROLE_ADMIN)
		rc = iv_fail(db, IV_E_PERMISSION, "only an admin may %s (%s is a %s)", what, db->user.name,
		             iv_role_name(db->user.role));
	return rc;
}

static iv_status insert_user(iv_db *db, const char *name, iv_role role, const char *pin)
{
	char hash[crypto_pwhash_STRBYTES];
	iv_status rc = user_hash_pin(db, pin, hash);
	if (rc != IV_OK)
		return rc;
	int64_t existing; /* names are unique regardless of case */
	rc = store_user_id_any_case(db->st, name, &existing);
	if (rc == IV_OK)
		return iv_fail(db, IV_E_CONFLICT, "User: \"%s\" already exists (names are unique regardless of case)",
		               name);
	if (rc != IV_E_NOT_FOUND)
		return iv_fail_store(db, rc);
	rc = store_user_insert(db->st, name, role, hash);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
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
	if (!role_parse(role, &r))
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

/* Runs change(user id, arg) on the user called name, in one write
 * transaction. */
static iv_status change_user(iv_db *db, const char *name,
                             iv_status (*change)(store *st, int64_t id, const void *arg), const void *arg)
{
	iv_status rc = store_begin(db->st, true);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	store_user u;
	rc = store_user_find(db->st, name, &u);
	if (rc == IV_OK)
		rc = change(db->st, u.user.id, arg);
	if (rc == IV_OK)
		rc = store_commit(db->st);
	else
		store_rollback(db->st);
	sodium_memzero(&u, sizeof u);
	if (rc == IV_E_NOT_FOUND)
		return iv_fail(db, IV_E_NOT_FOUND, "User: there is no user \"%s\"", name);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

/* What change_user applies, with the session user as the one who did it. */
typedef struct user_change {
	const char *name;
	const char *pin_hash;
	bool disabled;
	int64_t by;
} user_change;

static iv_status set_pin(store *st, int64_t id, const void *arg)
{
	const user_change *c = arg;
	iv_status rc = store_user_set_pin(st, id, c->pin_hash, c->by);
	/* A new PIN also lifts a slowdown after wrong PINs. */
	return rc == IV_OK ? store_login_failures_set(st, c->name, &(store_login){0}) : rc;
}

static iv_status set_disabled(store *st, int64_t id, const void *arg)
{
	const user_change *c = arg;
	return store_user_set_disabled(st, id, c->disabled, c->by);
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
	char hash[crypto_pwhash_STRBYTES];
	if ((rc = user_hash_pin(db, new_pin, hash)) != IV_OK)
		return rc;
	return change_user(db, name, set_pin, &(user_change){.name = name, .pin_hash = hash, .by = db->user.id});
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
	return change_user(db, name, set_disabled, &(user_change){.disabled = disabled, .by = db->user.id});
}

iv_status iv_user_list(iv_db *db, iv_user_cb cb, void *ctx)
{
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	if (db->user.role == IV_ROLE_CLERK)
		return iv_fail(db, IV_E_PERMISSION, "only a supervisor or admin may list users (%s is a clerk)",
		               db->user.name);
	if ((rc = store_begin(db->st, false)) != IV_OK)
		return iv_fail_store(db, rc);
	rc = store_user_each(db->st, cb, ctx);
	store_rollback(db->st);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

