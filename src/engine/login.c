/* Logging in and approving: the PIN check (Argon2id through libsodium),
 * the slowdown after wrong PINs, and the session's user. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/internal.h"
#include "engine/rules.h"

/* Three failures in a row are forgiven; after that each further attempt
 * must wait: 5 seconds, then twice as long each time, up to five
 * minutes.  (Whole seconds, so the first wait is long enough to be felt
 * however the clock's second falls.)  A name's failures are forgotten
 * after a day without one. */
#define FREE_FAILURES 3
#define FIRST_DELAY_S 5
#define MAX_DELAY_S 300
#define FORGET_AFTER_S 86400

/* The one answer to a wrong name, a wrong PIN and a name still waiting:
 * the same words (and, below, the same work), so that no answer tells
 * which names exist. */
#define WRONG "%s: wrong user name or PIN (after 3 wrong tries for a name, each try must " \
              "wait: 5 seconds, doubling up to 5 minutes)"

/* A PIN hash with the parameters of hash_pin (users.c), of a random PIN
 * nobody knows: checking a PIN against it costs what a real check costs,
 * for a name that does not exist or must still wait. */
static const char no_user_hash[] =
	"$argon2id$v=19$m=19456,t=2,p=1$cYf641BLkp8/nVS10jsQfg$+ib+c34BkpPgBz5R8HVGStZZo1jaMRSl9I3en39nvGw";

/* Seconds a name with failures in a row, the last at last_at, must
 * still wait. */
static int64_t wait_left(int64_t failures, int64_t last_at, int64_t now)
{
	if (failures < FREE_FAILURES)
		return 0;
	int64_t shift = failures - FREE_FAILURES;
	int64_t delay = shift >= 6 ? MAX_DELAY_S : FIRST_DELAY_S * ((int64_t)1 << shift);
	if (delay > MAX_DELAY_S)
		delay = MAX_DELAY_S;
	int64_t left = last_at + delay - now;
	return left > 0 ? left : 0;
}

/* The database's clock, unpinned: waits are measured in real seconds
 * by one clock for every terminal (the server's on PostgreSQL). */
static iv_status now_s(iv_db *db, int64_t *out)
{
	int64_t ms;
	iv_status rc = store_now_ms(db->st, &ms);
	*out = ms / 1000;
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

/* Before the PIN is checked, in one write transaction (writers take
 * turns), the attempt is counted as a check under way; after it, as a
 * failure or not.  Every attempt reads what the ones before it wrote, so
 * 32 guesses at once get no more checks than 32 in a row:
 *   - while the name must wait (three failures and the delay not over)
 *     the attempt is refused (*allowed false), and changes nothing, so
 *     waiting attempts do not lengthen the wait; the same transaction is
 *     written all the same, to take the same time;
 *   - while checks under way could, if they failed, make the name wait,
 *     the attempt waits for them to end (a moment: one Argon2id check),
 *     so that several terminals logging in as one user at once all get
 *     in, and guesses at once are judged as if in a row;
 *   - a check under way for longer than CHECK_STALE_S is a process
 *     killed in the middle: it counts as a failure (killing a guess
 *     before it is counted gains nothing). */
#define CHECK_STALE_S 30
#define CHECK_POLL_NS 20000000L

static void forget_stale(store_login *l, int64_t now)
{
	if (l->checking > 0 && now - l->checking_since > CHECK_STALE_S) {
		l->failures += l->checking;
		l->last_failed_at = now;
		l->checking = 0;
	}
	if (l->failures > 0 && now - l->last_failed_at > FORGET_AFTER_S)
		l->failures = 0;
}

/* What a change of a name's counters decided: write them back, or
 * wait for the checks under way and read again. */
typedef enum login_step { LOGIN_WRITE, LOGIN_BUSY } login_step;
typedef login_step (*login_change)(store_login *l, int64_t now, void *ctx);

/* Reads a name's counters, lets change decide and writes them back, in
 * one write transaction; reads again after a pause while it is busy.
 * Committed without waiting for the disk (store_begin_relaxed): the
 * counters survive a killed process, and a power cut can lose only the
 * last few counts (a handful of extra guesses, docs/trust.md), where a
 * durable commit before and after every PIN check made each save of the
 * command line cost three fsyncs instead of one. */
static iv_status update_login(iv_db *db, const char *name, login_change change, void *ctx)
{
	for (;;) {
		int64_t now;
		iv_status rc = now_s(db, &now);
		if (rc != IV_OK)
			return rc;
		if ((rc = store_begin_relaxed(db->st)) != IV_OK)
			return iv_fail_store(db, rc);
		store_login l;
		login_step step = LOGIN_WRITE;
		if ((rc = store_login_failures_get(db->st, name, &l)) == IV_OK &&
		    (step = change(&l, now, ctx)) == LOGIN_WRITE &&
		    (rc = store_login_failures_set(db->st, name, &l)) == IV_OK)
			return (rc = store_commit(db->st)) == IV_OK ? IV_OK : iv_fail_store(db, rc);
		store_rollback(db->st);
		if (rc != IV_OK)
			return iv_fail_store(db, rc);
		struct timespec pause = {0, CHECK_POLL_NS};
		nanosleep(&pause, NULL);
	}
}

/* Before the check: allowed (and counted as under way), busy, or not
 * allowed (written back unchanged). */
static login_step start_check(store_login *l, int64_t now, void *ctx)
{
	bool *allowed = ctx;
	store_login before = *l;
	forget_stale(l, now);
	*allowed = wait_left(l->failures, l->last_failed_at, now) == 0;
	if (!*allowed) {
		*l = before;
		return LOGIN_WRITE;
	}
	if (l->checking > 0 && l->failures + l->checking >= FREE_FAILURES)
		return LOGIN_BUSY;
	l->checking++;
	l->checking_since = now;
	return LOGIN_WRITE;
}

/* After the check: one check fewer under way, and a failure more, or
 * none (a right PIN ends a run of failures).  An attempt that was not
 * allowed writes the row back as it is: the same work as a failure. */
typedef struct check_end {
	bool allowed, ok;
} check_end;

static login_step end_check(store_login *l, int64_t now, void *ctx)
{
	const check_end *e = ctx;
	if (!e->allowed)
		return LOGIN_WRITE;
	if (l->checking > 0)
		l->checking--;
	if (e->ok) {
		l->failures = 0;
	} else {
		l->failures++;
		l->last_failed_at = now;
	}
	return LOGIN_WRITE;
}

/* Checks name and PIN.  Used for logins and for approvals, so that
 * guessing a supervisor's PIN is slowed down too.  Unknown names are
 * counted and slowed down exactly as known ones, and every refusal
 * does the same work: one counted write, one look-up, one Argon2id
 * check. */
iv_status login_check(iv_db *db, const char *name, const char *pin, const char *who,
                      store_user *out)
{
	if (db->server)
		return roles_check(db, name, pin, who, out);
	if (!name || !*name)
		return iv_fail(db, IV_E_AUTH, WRONG, who);
	char msg[IV_MSG_MAX];
	if (!field_text(who, name, IV_IDENT_MAX, true, msg, sizeof msg))
		return iv_fail(db, IV_E_AUTH, WRONG, who); /* no such name can exist */
	if (sodium_init() < 0)
		return iv_fail(db, IV_E_NOMEM, "the hashing library could not start");
	bool allowed = false;
	iv_status rc = update_login(db, name, start_check, &allowed);
	if (rc != IV_OK)
		return rc;
	store_user u;
	rc = store_user_find(db->st, name, &u);
	if (rc != IV_OK && rc != IV_E_NOT_FOUND)
		return iv_fail_store(db, rc);
	bool known = rc == IV_OK;
	const char *hash = known && allowed ? u.pin_hash : no_user_hash;
	bool ok = crypto_pwhash_str_verify(hash, pin ? pin : "", pin ? strlen(pin) : 0) == 0 && known &&
	          allowed;
	if ((rc = update_login(db, name, end_check, &(check_end){allowed, ok})) != IV_OK)
		ok = false;
	if (!ok) {
		sodium_memzero(&u, sizeof u);
		return rc != IV_OK ? rc : iv_fail(db, IV_E_AUTH, WRONG, who);
	}
	/* Said only to whoever knows the PIN. */
	if (u.disabled) {
		sodium_memzero(&u, sizeof u);
		return iv_fail(db, IV_E_AUTH, "%s: user %s is disabled; an admin can enable it again", who,
		               name);
	}
	*out = u;
	return IV_OK;
}

iv_status iv_login_unlock(iv_db *db, const char *name)
{
	if (!name || !*name)
		return iv_fail(db, IV_E_INVALID, "User: a user name is required");
	if (db->server)
		return iv_fail(db, IV_E_REFUSED,
		               "User: on a PostgreSQL server the server checks passwords and invadj counts "
		               "no wrong PINs, so there is nothing to unlock; the server's own slowdown and "
		               "bans are in docs/deployment.md");
	iv_status rc = store_begin(db->st, true);
	if (rc != IV_OK)
		return iv_fail_store(db, rc);
	if ((rc = store_login_unlock(db->st, name)) == IV_OK)
		rc = store_commit(db->st);
	else
		store_rollback(db->st);
	return rc == IV_OK ? IV_OK : iv_fail_store(db, rc);
}

iv_status iv_login(iv_db *db, const char *name, const char *pin)
{
	store_user u;
	iv_logout(db);
	if (db->server)
		return roles_login(db, name, pin);
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
	iv_role role = u.user.role;
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
	/* A role an admin changed meanwhile applies from the next write on. */
	db->user.role = role;
	return IV_OK;
}

void iv_logout(iv_db *db)
{
	/* On a server the connection is the person's: it ends with them. */
	if (db->server && db->logged_in)
		store_connect_as(db->st, NULL, NULL);
	memset(&db->user, 0, sizeof db->user);
	db->logged_in = false;
}

const iv_user *iv_session_user(const iv_db *db)
{
	return db->logged_in ? &db->user : NULL;
}

void iv_session_rule_user(const iv_db *db, rule_user *out)
{
	*out = (rule_user){db->logged_in, db->user.id, db->user.role, db->logged_in};
}

iv_status iv_check_approval(iv_db *db, iv_approval ap, const char *what, iv_user *approver)
{
	iv_status rc = iv_need_login(db);
	if (rc != IV_OK)
		return rc;
	if (db->user.role != IV_ROLE_CLERK) {
		*approver = db->user;
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
	rule_user author, by = {true, u.user.id, u.user.role, !u.disabled};
	iv_session_rule_user(db, &author);
	rule_approval a = rule_approver(&author, &by);
	iv_user who = u.user;
	sodium_memzero(&u, sizeof u);
	if (a == RULE_APPROVER_CLERK)
		return iv_fail(db, IV_E_PERMISSION, "Approver: %s is a clerk; a supervisor or admin must approve",
		               who.name);
	if (a != RULE_APPROVAL_OK)
		return iv_fail(db, IV_E_PERMISSION, "Approver: %s: %s", who.name, rule_approval_text(a));
	*approver = who;
	return IV_OK;
}
