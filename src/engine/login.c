/* Logging in and approving: the PIN check (Argon2id through libsodium),
 * the slowdown after wrong PINs, and the session's user. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/internal.h"

/* Three failures in a row are forgiven; after that each further attempt
 * must wait: 5 seconds, then twice as long each time, up to five
 * minutes.  (Whole seconds, so the first wait is long enough to be felt
 * however the clock's second falls.) */
#define FREE_FAILURES 3
#define FIRST_DELAY_S 5
#define MAX_DELAY_S 300

/* Seconds the user must still wait before the next attempt. */
static int64_t wait_left(const store_user *u, int64_t now)
{
	if (u->failed_logins < FREE_FAILURES)
		return 0;
	int64_t shift = u->failed_logins - FREE_FAILURES;
	int64_t delay = shift >= 6 ? MAX_DELAY_S : FIRST_DELAY_S * ((int64_t)1 << shift);
	if (delay > MAX_DELAY_S)
		delay = MAX_DELAY_S;
	int64_t left = u->last_failed_at + delay - now;
	return left > 0 ? left : 0;
}

/* Checks name and PIN; counts failures.  Used for logins and for
 * approvals, so that guessing a supervisor's PIN is slowed down too. */
iv_status login_check(iv_db *db, const char *name, const char *pin, const char *who,
                      store_user *out)
{
	static const char dummy_pin_hash_input[] = "no such user";
	int64_t now = (int64_t)time(NULL);
	store_user u;
	iv_status rc = store_user_find(db->st, name ? name : "", &u);
	if (rc != IV_OK && rc != IV_E_NOT_FOUND)
		return iv_fail_store(db, rc);
	if (rc == IV_E_NOT_FOUND) {
		/* Spend the same time as a real check, so the delay does not
		 * tell which part was wrong. */
		char h[crypto_pwhash_STRBYTES];
		user_hash_pin(db, dummy_pin_hash_input, h);
		return iv_fail(db, IV_E_AUTH, "%s: wrong user name or PIN", who);
	}
	int64_t left = wait_left(&u, now);
	if (left > 0)
		return iv_fail(db, IV_E_AUTH,
		               "%s: too many wrong PINs for this user; try again in %lld seconds", who,
		               (long long)left);
	bool ok = pin && crypto_pwhash_str_verify(u.pin_hash, pin, strlen(pin)) == 0;
	if ((rc = store_begin(db->st, true)) == IV_OK) {
		rc = store_user_login_result(db->st, u.user.id, ok, now);
		rc = rc == IV_OK ? store_commit(db->st) : (store_rollback(db->st), rc);
	}
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if (!ok)
		return iv_fail(db, IV_E_AUTH, "%s: wrong user name or PIN", who);
	/* Said only to whoever knows the PIN. */
	if (u.disabled)
		return iv_fail(db, IV_E_AUTH, "%s: user %s is disabled; an admin can enable it again", who,
		               u.user.name);
	*out = u;
	return IV_OK;
}

iv_status iv_login(iv_db *db, const char *name, const char *pin)
{
	store_user u;
	iv_logout(db);
	iv_status rc = login_check(db, name, pin, "Login", &u);
	if (rc != IV_OK)
		return rc;
	db->user = u.user;
	db->logged_in = true;
	sodium_memzero(&u, sizeof u);
	return IV_OK;
}

/* Before every write: a screen left logged in by someone an admin has
 * since disabled must write no more.  One indexed read per write. */
iv_status iv_need_login(iv_db *db)
{
	if (!db->logged_in)
		return iv_fail(db, IV_E_AUTH, "User: nobody is logged in; give --user and the PIN");
	store_user u;
	iv_status rc = store_user_find(db->st, db->user.name, &u);
	bool disabled = rc == IV_OK && u.disabled;
	sodium_memzero(&u, sizeof u);
	if (rc != IV_OK && rc != IV_E_NOT_FOUND)
		return iv_fail_store(db, rc);
	if (rc == IV_E_NOT_FOUND || disabled) {
		char name[sizeof db->user.name];
		snprintf(name, sizeof name, "%s", db->user.name);
		iv_logout(db);
		return iv_fail(db, IV_E_AUTH, "Login: user %s has been disabled and is logged out",
		               name);
	}
	return IV_OK;
}

void iv_logout(iv_db *db)
{
	memset(&db->user, 0, sizeof db->user);
	db->logged_in = false;
}

const iv_user *iv_session_user(const iv_db *db)
{
	return db->logged_in ? &db->user : NULL;
}

iv_status iv_check_approval(iv_db *db, iv_approval ap, const char *what, int64_t *approver_id)
{
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	if (db->user.role != IV_ROLE_CLERK) {
		*approver_id = db->user.id;
		return IV_OK;
	}
	if (!ap.name || !*ap.name)
		return iv_fail(db, IV_E_PERMISSION,
		               "Approver: %s needs a supervisor's approval (user name and PIN); "
		               "%s is a clerk", what, db->user.name);
	store_user u;
	rc = login_check(db, ap.name, ap.pin, "Approver", &u);
	if (rc != IV_OK)
		return rc;
	if (u.user.role == IV_ROLE_CLERK)
		return iv_fail(db, IV_E_PERMISSION, "Approver: %s is a clerk; a supervisor or admin must approve",
		               u.user.name);
	*approver_id = u.user.id;
	return IV_OK;
}
