/* The PostgreSQL connection: opening, session settings, transactions,
 * the statement cache, the deferred bulk writes, and the translation of
 * libpq failures and SQLSTATEs into statuses and sentences. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/pg_internal.h"


#define RETRIES 8

iv_status pg_failf(pg_store *pg, iv_status status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pg->base.errmsg, sizeof pg->base.errmsg, fmt, ap);
	va_end(ap);
	return status;
}

/* libpq's messages end in a newline and may run over several lines;
 * a sentence for the user takes the first line. */
static const char *first_line(const char *msg, char *buf, size_t n)
{
	snprintf(buf, n, "%s", msg && *msg ? msg : "no detail");
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static bool lost(const pg_store *pg)
{
	return PQstatus(pg->conn) == CONNECTION_BAD;
}

/* A statement the server skipped because one before it in the same
 * transaction (or pipeline) had failed. */
static iv_status refused_rest(pg_store *pg, const char *doing)
{
	return pg_failf(pg, IV_E_STORAGE,
	                "an earlier step of this save failed, so the server refused the rest while %s; "
	                "nothing was saved",
	                doing);
}

iv_status pg_fail_result(pg_store *pg, const PGresult *res, const char *doing)
{
	char detail[300];
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	snprintf(pg->state, sizeof pg->state, "%s", state ? state : "");
	if (!primary)
		primary = PQerrorMessage(pg->conn);
	first_line(primary, detail, sizeof detail);
	if (!state || lost(pg) || strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
		return pg_failf(pg, IV_E_STORAGE,
		                "cannot reach the database server %s while %s (%s); nothing was saved",
		                pg->where, doing, detail);
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return pg_failf(pg, IV_E_CONFLICT,
		                "another terminal changed the same data at the same moment while %s; "
		                "nothing was saved, try again",
		                doing);
	if (strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return pg_failf(pg, IV_E_STORAGE,
		                "the database stayed busy (other terminals are writing) while %s; "
		                "nothing was saved, try again",
		                doing);
	if (strncmp(state, "23", 2) == 0 || strcmp(state, "P0001") == 0)
		return pg_failf(pg, IV_E_REFUSED, "the database refused it while %s: %s", doing, detail);
	if (strcmp(state, "42501") == 0 || strcmp(state, "25006") == 0)
		return pg_failf(pg, IV_E_STORAGE,
		                "the database user may not do this while %s (%s); nothing was saved; "
		                "see docs/deployment.md for the roles",
		                doing, detail);
	if (strncmp(state, "53", 2) == 0)
		return pg_failf(pg, IV_E_STORAGE,
		                "the database server could not write (its disk or memory may be full) "
		                "while %s (%s); nothing was saved",
		                doing, detail);
	if (strncmp(state, "XX", 2) == 0)
		return pg_failf(pg, IV_E_CORRUPT, "the database server reports damaged data (%s)", detail);
	if (strcmp(state, "25P02") == 0)
		return refused_rest(pg, doing);
	return pg_failf(pg, IV_E_STORAGE, "database error while %s: %s (SQLSTATE %s)", doing, detail,
	                state);
}

/* ---- parameters and results ---- */

static void param(pg_params *p, const char *val, int len, int fmt)
{
	if (p->n >= PG_MAX_PARAMS)
		abort(); /* a statement table entry with more parameters: a programming error */
	p->val[p->n] = val;
	p->len[p->n] = len;
	p->fmt[p->n] = fmt;
	p->n++;
}

void pg_param_int(pg_params *p, int64_t v)
{
	if (p->n >= PG_MAX_PARAMS)
		abort();
	snprintf(p->num[p->n], sizeof p->num[p->n], "%lld", (long long)v);
	param(p, p->num[p->n], 0, 0);
}

void pg_param_id(pg_params *p, int64_t v)
{
	if (v)
		pg_param_int(p, v);
	else
		param(p, NULL, 0, 0);
}

void pg_param_text(pg_params *p, const char *t)
{
	param(p, t, 0, 0);
}

void pg_param_bytes(pg_params *p, const unsigned char *b, int len)
{
	param(p, (const char *)b, len, 1);
}

bool pg_text_exact(const PGresult *r, int row, int col, char *buf, size_t n)
{
	size_t len = PQgetisnull(r, row, col) ? 0 : (size_t)PQgetlength(r, row, col);
	snprintf(buf, n, "%s", PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
	return len < n;
}

int64_t pg_int(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

void pg_text(const PGresult *r, int row, int col, char *buf, size_t n)
{
	snprintf(buf, n, "%s", PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* bytea in text results is "\x" and hex (bytea_output = hex, set at
 * connection time); a value of another length reads as all zero, which
 * no real hash is, so verify reports the row. */
void pg_hash(const PGresult *r, int row, int col, unsigned char out[STORE_HASH_LEN])
{
	memset(out, 0, STORE_HASH_LEN);
	const char *v = PQgetvalue(r, row, col);
	if (PQgetisnull(r, row, col) || strncmp(v, "\\x", 2) != 0 || strlen(v) != 2 + 2 * STORE_HASH_LEN)
		return;
	unsigned char h[STORE_HASH_LEN];
	for (int i = 0; i < STORE_HASH_LEN; i++) {
		int hi = hexval(v[2 + 2 * i]), lo = hexval(v[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return;
		h[i] = (unsigned char)(hi << 4 | lo);
	}
	memcpy(out, h, STORE_HASH_LEN);
}

/* ---- the connection ---- */

static iv_status session_setup(pg_store *pg)
{
	/* synchronous_commit on: a saved adjustment is on the server's disk
	 * (and its synchronous standbys) before the terminal says so.
	 * lock_timeout: a writer waits a minute for the others, as on SQLite. */
	PGresult *res = PQexec(pg->conn, "SET synchronous_commit = on; SET lock_timeout = '60s';"
	                                 "SET bytea_output = 'hex'; SET client_encoding = 'UTF8';"
	                                 "SET standard_conforming_strings = on");
	iv_status rc = PQresultStatus(res) == PGRES_COMMAND_OK ? IV_OK
	                                                        : pg_fail_result(pg, res, "opening the database");
	PQclear(res);
	if (rc == IV_OK && pg->session_read_only) {
		res = PQexec(pg->conn, "SET default_transaction_read_only = on");
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = pg_fail_result(pg, res, "opening the database");
		PQclear(res);
	}
	return rc;
}

static void describe(pg_store *pg)
{
	const char *host = PQhost(pg->conn), *port = PQport(pg->conn), *db = PQdb(pg->conn);
	snprintf(pg->where, sizeof pg->where, "%s:%s/%s", host && *host ? host : "localhost",
	         port && *port ? port : "5432", db ? db : "?");
}

/* Whether a failed connection was refused as a login (a wrong password,
 * a role that does not exist or may not log in) rather than not made:
 * the server answered, and asked for or checked a password or named the
 * role.  (With SCRAM the server answers an unknown role as a wrong
 * password, so that no answer tells which roles exist.) */
static bool login_refused(PGconn *c)
{
	const char *m = PQerrorMessage(c);
	if (strstr(m, "database \"") && strstr(m, "does not exist"))
		return false;
	return PQconnectionNeedsPassword(c) || PQconnectionUsedPassword(c) ||
	       strstr(m, "password authentication failed") || strstr(m, "not permitted to log in") ||
	       (strstr(m, "role \"") && strstr(m, "does not exist"));
}

static void drop_connection(pg_store *pg)
{
	if (!pg->conn)
		return;
	pg_rollback((store *)(void *)pg);
	PQfinish(pg->conn);
	pg->conn = NULL;
	memset(pg->prepared, 0, sizeof pg->prepared);
}

/* A new connection to pg->path as user with secret (NULL: whatever the
 * URI, PGUSER and ~/.pgpass say), in place of any the handle had, set
 * up as every connection is.  A person's secret is the only password
 * tried: the password file is not read for them, so that a name typed
 * with an empty or wrong PIN never logs in with a password someone
 * left in ~/.pgpass. */
static iv_status connect_session(pg_store *pg, const char *user, const char *secret)
{
	drop_connection(pg);
	const char *keys[6] = {"dbname", "fallback_application_name"};
	const char *vals[6] = {pg->path, "invadj"};
	int n = 2;
	if (user) {
		keys[n] = "user";
		vals[n++] = user;
		keys[n] = "password";
		vals[n++] = secret ? secret : "";
		keys[n] = "passfile";
		vals[n++] = "/dev/null";
	}
	keys[n] = vals[n] = NULL;
	pg->conn = PQconnectdbParams(keys, vals, 1);
	if (!pg->conn)
		return pg_failf(pg, IV_E_NOMEM, "out of memory");
	describe(pg);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		char detail[300];
		first_line(PQerrorMessage(pg->conn), detail, sizeof detail);
		bool refused = login_refused(pg->conn);
		PQfinish(pg->conn);
		pg->conn = NULL;
		if (refused)
			return pg_failf(pg, IV_E_AUTH, "the database server %s refused the login (%s)",
			                pg->where, detail);
		return pg_failf(pg, IV_E_STORAGE, "cannot reach the database server %s: %s", pg->where, detail);
	}
	iv_status rc = session_setup(pg);
	if (rc != IV_OK)
		return rc;
	/* A person, not the owner: the server keeps the sums (pg_roles.c). */
	PGresult *res = PQexec(pg->conn, "SELECT coalesce((SELECT NOT pg_has_role(session_user, r.oid, "
	                                 "'MEMBER') FROM pg_roles r WHERE r.rolname = 'invadj_owner'), false)");
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		pg->sums_by_server = PQgetvalue(res, 0, 0)[0] == 't';
	else
		rc = pg_fail_result(pg, res, "opening the database");
	PQclear(res);
	return rc;
}

/* A handle's connection, checked as its open mode asks: a read-only
 * session must find this very schema; any other brings it up to date
 * (or says who may). */
static iv_status connect_checked(pg_store *pg, const char *user, const char *secret)
{
	iv_status rc = connect_session(pg, user, secret);
	if (rc == IV_OK && pg->mode == IV_OPEN_READONLY)
		rc = pg_check_schema(pg);
	else if (rc == IV_OK)
		rc = pg_migrate(pg, pg->mode == IV_OPEN_CREATE, pg->upgrade);
	if (rc != IV_OK && pg->conn) {
		PQfinish(pg->conn);
		pg->conn = NULL;
		memset(pg->prepared, 0, sizeof pg->prepared);
	}
	return rc;
}

iv_status pg_ready(pg_store *pg)
{
	return pg->conn ? IV_OK : connect_checked(pg, NULL, NULL);
}

static pg_store *new_handle(const char *path, iv_open_mode mode, store_upgrade_fn upgrade)
{
	pg_store *pg = calloc(1, sizeof *pg);
	if (!pg)
		return NULL;
	pg->base.be = &pg_backend;
	pg->mode = mode;
	pg->upgrade = upgrade;
	pg->session_read_only = mode == IV_OPEN_READONLY;
	snprintf(pg->where, sizeof pg->where, "(the server in --db)");
	if (!(pg->path = strdup(path)))
		pg_failf(pg, IV_E_NOMEM, "out of memory");
	return pg;
}

iv_status pg_open(const char *path, iv_open_mode mode, store_upgrade_fn upgrade, store **out)
{
	pg_store *pg = new_handle(path, mode, upgrade);
	*out = (store *)(void *)pg;
	if (!pg)
		return IV_E_NOMEM;
	if (!pg->path)
		return IV_E_NOMEM;
	/* init and migrate's target create the schema now, as whoever runs
	 * them (the database's administrator); every other handle connects
	 * when it is first used or a person logs in. */
	return mode == IV_OPEN_CREATE ? connect_checked(pg, NULL, NULL) : IV_OK;
}

iv_status pg_connect_as(store *st, const char *user, const char *secret)
{
	pg_store *pg = pg_of(st);
	if (!user) {
		drop_connection(pg);
		return IV_OK;
	}
	return connect_checked(pg, user, secret);
}

iv_status pg_open_as(store *st, const char *user, const char *secret, store **out)
{
	pg_store *pg = pg_of(st);
	pg_store *c = new_handle(pg->path, IV_OPEN_EXISTING, NULL);
	*out = (store *)(void *)c;
	if (!c || !c->path)
		return pg_failf(pg, IV_E_NOMEM, "out of memory");
	return connect_session(c, user, secret);
}

iv_status pg_open_like(store *st, iv_open_mode mode, store **out)
{
	pg_store *pg = pg_of(st);
	iv_status rc = pg_ready(pg);
	*out = NULL;
	if (rc != IV_OK)
		return rc;
	pg_store *c;
	rc = pg_connect_like(pg, &c);
	*out = (store *)(void *)c;
	if (rc == IV_OK && c && mode == IV_OPEN_READONLY)
		rc = pg_check_schema(c);
	return rc;
}

void pg_close(store *st)
{
	pg_store *pg = pg_of(st);
	if (!pg)
		return;
	drop_connection(pg);
	pg_forget_balances(pg);
	free(pg->path);
	free(pg->locked);
	free(pg->pending);
	pg_ahead_free(pg);
	free(pg->copy.buf);
	for (int i = 0; i < 3; i++)
		free(pg->bal[i].buf);
	for (int i = 0; i < 4; i++)
		free(pg->day[i].buf);
	for (int i = 0; i < 5; i++)
		free(pg->uday[i].buf);
	for (int i = 0; i < 11; i++)
		free(pg->ritems[i].buf);
	for (int i = 0; i < 10; i++)
		free(pg->rdays[i].buf);
	free(pg);
}

/* A terminal left open for hours may find its connection gone (server
 * restart, network): outside a transaction it is safe to connect again
 * and carry on. */
static bool reconnect(pg_store *pg)
{
	if (pg->in_txn || !lost(pg))
		return false;
	PQreset(pg->conn);
	if (PQstatus(pg->conn) != CONNECTION_OK || session_setup(pg) != IV_OK)
		return false;
	memset(pg->prepared, 0, sizeof pg->prepared);
	return true;
}

static bool retryable(const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	return state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
}

static void pause_before_retry(int attempt)
{
	struct timespec ts = {0, (long)(1 + attempt * attempt) * 2000000L};
	nanosleep(&ts, NULL);
}

static iv_status prepare(pg_store *pg, pg_query q, const char *doing)
{
	char name[16];
	snprintf(name, sizeof name, "iv%d", (int)q);
	PGresult *res = PQprepare(pg->conn, name, pg_sql[q], 0, NULL);
	iv_status rc = IV_OK;
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
		pg->prepared[q] = true;
	else
		rc = pg_fail_result(pg, res, doing);
	PQclear(res);
	return rc;
}

/* ---- the write transaction's pipeline ----
 *
 * A save's statements go to the server without waiting for answers the
 * caller does not read (BEGIN, the locks, the INSERTs and UPDATEs); one
 * whose rows are read asks the server to send what it has (a flush
 * request) and reads the answers in order, each earlier one checked
 * against what it was doing.  Before the COMMIT every answer is read,
 * so that a connection lost before the server answered them all still
 * means nothing was saved; the COMMIT then goes with the pipeline's
 * sync. */

static iv_status pending_push(pg_store *pg, int preparing, const char *doing)
{
	if (pg->npending == pg->pending_cap) {
		size_t cap = pg->pending_cap ? 2 * pg->pending_cap : 16;
		struct pg_pending *v = realloc(pg->pending, cap * sizeof *v);
		if (!v)
			return pg_failf(pg, IV_E_NOMEM, "out of memory");
		pg->pending = v;
		pg->pending_cap = cap;
	}
	struct pg_pending *e = &pg->pending[pg->npending++];
	e->preparing = preparing;
	e->ahead = -1;
	snprintf(e->doing, sizeof e->doing, "%s", doing);
	return IV_OK;
}

/* Sends one statement (send returned libpq's answer) and remembers it;
 * a statement libpq could not send is not waited for. */
static iv_status pipe_sent(pg_store *pg, int sent, const char *doing)
{
	if (sent == 1)
		return IV_OK;
	pg->npending--;
	return pg->pipe_failed = pg_fail_result(pg, NULL, doing);
}

/* Reads the answer to the oldest statement sent: its rows in *out (when
 * out is given and it succeeded); the first failure is kept. */
static void read_answer(pg_store *pg, PGresult **out)
{
	struct pg_pending e = pg->pending[0];
	pg->npending--;
	memmove(pg->pending, pg->pending + 1, pg->npending * sizeof *pg->pending);
	PGresult *res = PQgetResult(pg->conn);
	if (res) {
		PGresult *end; /* the NULL that ends one statement's answer */
		while ((end = PQgetResult(pg->conn)) != NULL)
			PQclear(end);
	}
	ExecStatusType s = PQresultStatus(res);
	bool ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
	if (!ok && e.preparing >= 0)
		pg->prepared[e.preparing] = false;
	if (!ok && pg->pipe_failed == IV_OK)
		pg->pipe_failed = s == PGRES_PIPELINE_ABORTED ? refused_rest(pg, e.doing)
		                                              : pg_fail_result(pg, res, e.doing);
	if (e.ahead >= 0)
		pg_ahead_answered(pg, e.ahead, res, ok);
	else if (ok && out)
		*out = res;
	else
		PQclear(res);
}

/* Asks for the answers sent so far and reads them all (the last one's
 * rows into *out, when given). */
static iv_status read_answers(pg_store *pg, PGresult **out)
{
	if (PQsendFlushRequest(pg->conn) != 1 || PQflush(pg->conn) != 0) {
		const char *doing = pg->npending ? pg->pending[pg->npending - 1].doing : "saving";
		if (pg->pipe_failed == IV_OK)
			pg->pipe_failed = pg_fail_result(pg, NULL, doing);
		return pg->pipe_failed;
	}
	while (pg->npending)
		read_answer(pg, pg->npending == 1 ? out : NULL);
	if (pg->pipe_failed != IV_OK && out && *out) {
		PQclear(*out);
		*out = NULL;
	}
	return pg->pipe_failed;
}

void pg_answers_until(pg_store *pg, const bool *done)
{
	while (!*done && pg->npending)
		read_answer(pg, NULL);
}

/* After the pipeline's sync was sent: reads what is left, then the
 * sync's own answer, and leaves pipeline mode. */
static void pipeline_end(pg_store *pg)
{
	while (pg->npending)
		read_answer(pg, NULL);
	for (int k = 0; k < 4 && PQpipelineStatus(pg->conn) != PQ_PIPELINE_OFF; k++) {
		PGresult *res = PQgetResult(pg->conn); /* PGRES_PIPELINE_SYNC */
		PQclear(res);
		if (PQexitPipelineMode(pg->conn) == 1 || (!res && lost(pg)))
			break;
	}
	pg->npending = 0;
	pg->pipelined = false;
}

iv_status pg_pipeline_leave(pg_store *pg)
{
	pg_ahead_drop(pg);
	if (!pg->pipelined)
		return pg->in_txn ? pg->pipe_failed : IV_OK;
	if (PQpipelineSync(pg->conn) != 1 && pg->pipe_failed == IV_OK)
		pg->pipe_failed = pg_fail_result(pg, NULL, pg->npending ? pg->pending[0].doing : "saving");
	pipeline_end(pg);
	return pg->pipe_failed;
}

/* A write transaction's statement: prepared (on first use on this
 * connection) and sent in the pipeline. */
iv_status pg_send_piped(pg_store *pg, pg_query q, const pg_params *p, const char *doing, int ahead)
{
	if (pg->pipe_failed != IV_OK)
		return pg->pipe_failed;
	char name[16];
	snprintf(name, sizeof name, "iv%d", (int)q);
	iv_status rc = IV_OK;
	if (!pg->prepared[q] && (rc = pending_push(pg, (int)q, doing)) == IV_OK &&
	    (rc = pipe_sent(pg, PQsendPrepare(pg->conn, name, pg_sql[q], 0, NULL), doing)) == IV_OK)
		pg->prepared[q] = true;
	if (rc == IV_OK && (rc = pending_push(pg, -1, doing)) == IV_OK) {
		pg->pending[pg->npending - 1].ahead = ahead;
		rc = pipe_sent(pg, PQsendQueryPrepared(pg->conn, name, p->n, p->val, p->len, p->fmt, 0), doing);
	}
	return rc;
}

/* ... waited for only when its rows are wanted. */
static iv_status exec_piped(pg_store *pg, pg_query q, const pg_params *p, PGresult **out,
                            const char *doing)
{
	iv_status rc = pg_send_piped(pg, q, p, doing, -1);
	if (rc != IV_OK)
		return rc;
	return out ? read_answers(pg, out) : IV_OK;
}

iv_status pg_exec(pg_store *pg, pg_query q, const pg_params *p, PGresult **out, const char *doing)
{
	if (out)
		*out = NULL;
	iv_status rc = pg_ready(pg);
	if (rc == IV_OK)
		rc = pg_flush_for(pg, q);
	if (rc == IV_OK && pg->in_txn)
		rc = pg->pipe_failed;
	if (rc != IV_OK)
		return rc;
	static const pg_params none;
	if (!p)
		p = &none;
	pg_ahead_note(pg, q, p, doing);
	if (pg->pipelined && pg_ahead_take(pg, q, p, out, &rc))
		return rc;
	if (pg->pipelined)
		return exec_piped(pg, q, p, out, doing);
	for (int attempt = 0;; attempt++) {
		if (!pg->prepared[q] && (rc = prepare(pg, q, doing)) != IV_OK) {
			if (attempt == 0 && reconnect(pg))
				continue;
			return rc;
		}
		char name[16];
		snprintf(name, sizeof name, "iv%d", (int)q);
		PGresult *res = PQexecPrepared(pg->conn, name, p->n, p->val, p->len, p->fmt, 0);
		ExecStatusType s = PQresultStatus(res);
		if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
			if (out)
				*out = res;
			else
				PQclear(res);
			return IV_OK;
		}
		/* Outside a transaction the statement is its own transaction and
		 * can simply run again; inside one the whole save must. */
		bool again = attempt < RETRIES &&
		             ((!pg->in_txn && retryable(res)) || (attempt == 0 && reconnect(pg)));
		if (!again) {
			rc = pg_fail_result(pg, res, doing);
			PQclear(res);
			return rc;
		}
		PQclear(res);
		pause_before_retry(attempt);
	}
}

iv_status pg_exec_text(pg_store *pg, const char *sql, const char *doing)
{
	pg_ahead_drop(pg);
	iv_status rc = pg_ready(pg);
	if (rc == IV_OK)
		rc = pg_pipeline_leave(pg);
	if (rc == IV_OK)
		rc = pg_flush(pg);
	if (rc != IV_OK)
		return rc;
	PGresult *res = PQexec(pg->conn, sql);
	ExecStatusType s = PQresultStatus(res);
	rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? IV_OK : pg_fail_result(pg, res, doing);
	PQclear(res);
	return rc;
}

/* ---- transactions ---- */

/* Writers: READ COMMITTED, so that every statement after a store's lock
 * (pg_lock.c) sees the newest committed rows of that store (the head of
 * its chain, its balances).  Readers: one snapshot for the whole read
 * (a preview, verify). */
#define BEGIN_WRITE "BEGIN ISOLATION LEVEL READ COMMITTED"
#define BEGIN_READ "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
/* An upload's reader: its snapshot, and ledger ids from the sequence
 * (which a READ ONLY transaction may not take); it writes no table. */
#define BEGIN_READER "BEGIN ISOLATION LEVEL REPEATABLE READ"

/* A write transaction's BEGIN, or a noted preview's (pg_ahead.c), sent
 * in a new pipeline without waiting (its answer comes with the first
 * statement read; a statement's preparing goes with its first run).  A connection the
 * server closed meanwhile (a restart) is noticed first without a round
 * trip, and made again.  False: not started so (the caller begins as
 * before and says why). */
static bool begin_piped(pg_store *pg, const char *sql, bool write)
{
	if (!PQconsumeInput(pg->conn) || lost(pg))
		reconnect(pg);
	if (lost(pg) || PQenterPipelineMode(pg->conn) != 1)
		return false;
	pg->pipelined = true;
	pg->pipe_failed = IV_OK;
	if (pending_push(pg, -1, "starting a transaction") != IV_OK ||
	    pipe_sent(pg, PQsendQueryParams(pg->conn, sql, 0, NULL, NULL, NULL, NULL, 0),
	              "starting a transaction") != IV_OK) {
		pipeline_end(pg);
		pg->pipe_failed = IV_OK;
		return false;
	}
	pg->in_txn = true;
	pg->read_only = !write;
	return true;
}

static iv_status begin_as(store *st, bool write, const char *sql)
{
	pg_store *pg = pg_of(st);
	iv_status rc = pg_ready(pg);
	if (rc != IV_OK)
		return rc;
	pg->pipe_failed = IV_OK;
	if (!pg->bulk && (write || pg->noting) && begin_piped(pg, sql, write))
		return IV_OK;
	for (int attempt = 0; attempt < RETRIES; attempt++) {
		PGresult *res = PQexec(pg->conn, sql);
		ExecStatusType s = PQresultStatus(res);
		if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
			PQclear(res);
			pg->in_txn = true;
			pg->read_only = !write;
			return IV_OK;
		}
		rc = pg_fail_result(pg, res, "starting a transaction");
		bool again = retryable(res);
		PQclear(res);
		if (PQtransactionStatus(pg->conn) != PQTRANS_IDLE) {
			PGresult *rb = PQexec(pg->conn, "ROLLBACK");
			PQclear(rb);
		}
		if (!again && !(attempt == 0 && reconnect(pg)))
			break;
		pause_before_retry(attempt);
	}
	return rc;
}

iv_status pg_begin(store *st, bool write)
{
	return begin_as(st, write, write ? BEGIN_WRITE : BEGIN_READ);
}

iv_status pg_begin_relaxed(store *st)
{
	iv_status rc = pg_begin(st, true);
	if (rc == IV_OK && (rc = pg_exec_text(pg_of(st), "SET LOCAL synchronous_commit = off",
	                                      "starting a transaction")) != IV_OK)
		pg_rollback(st);
	return rc;
}

/* The COMMIT with the pipeline's sync: its answer (NULL when none came). */
static PGresult *commit_piped(pg_store *pg)
{
	PGresult *res = NULL;
	if (PQsendQueryParams(pg->conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) == 1 &&
	    PQpipelineSync(pg->conn) == 1) {
		res = PQgetResult(pg->conn);
		PGresult *end;
		while (res && (end = PQgetResult(pg->conn)) != NULL)
			PQclear(end);
	}
	pipeline_end(pg);
	return res;
}

iv_status pg_commit(store *st)
{
	pg_store *pg = pg_of(st);
	iv_status rc = pg_flush(pg);
	/* Every answer before the COMMIT: a failure, or a connection lost
	 * now, is certain to have saved nothing. */
	if (rc == IV_OK && pg->pipelined && pg->npending)
		rc = read_answers(pg, NULL);
	if (rc == IV_OK && pg->in_txn)
		rc = pg->pipe_failed;
	if (rc != IV_OK) {
		pg_rollback(st);
		return rc;
	}
	PGresult *res = pg->pipelined ? commit_piped(pg) : PQexec(pg->conn, "COMMIT");
	ExecStatusType s = PQresultStatus(res);
	if (s == PGRES_COMMAND_OK && strcmp(PQcmdStatus(res), "COMMIT") == 0) {
		rc = IV_OK;
	} else if (s == PGRES_COMMAND_OK) {
		/* COMMIT of a transaction that had failed answers ROLLBACK. */
		rc = pg_failf(pg, IV_E_STORAGE, "the server rolled the save back after an earlier "
		                                "failure; nothing was saved");
	} else if (lost(pg)) {
		/* The COMMIT may or may not have reached the server's disk. */
		rc = pg_failf(pg, IV_E_STORAGE,
		              "the connection to the database server %s was lost while saving; it is "
		              "not known whether the save was kept: look at `invadj history` before "
		              "saving again",
		              pg->where);
	} else {
		rc = pg_fail_result(pg, res, "saving");
	}
	PQclear(res);
	pg->in_txn = pg->read_only = false;
	pg_locks_end(pg);
	pg_forget_balances(pg);
	if (pg->ahead_sent)
		pg_ahead_clear(pg);
	if (rc != IV_OK)
		pg_rollback(st);
	return rc;
}

void pg_rollback(store *st)
{
	pg_store *pg = pg_of(st);
	pg_discard(pg);
	if (pg->pipelined) {
		/* The ROLLBACK with the sync: one round trip.  What it and the
		 * answers still owed say is not news: the sentence of the
		 * failure that brought the rollback stays. */
		char kept[sizeof pg->base.errmsg];
		memcpy(kept, pg->base.errmsg, sizeof kept);
		if (pg->in_txn && pending_push(pg, -1, "ending a transaction") == IV_OK)
			pipe_sent(pg, PQsendQueryParams(pg->conn, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0),
			          "ending a transaction");
		pg_pipeline_leave(pg);
		memcpy(pg->base.errmsg, kept, sizeof kept);
	}
	pg->pipe_failed = IV_OK;
	if (PQstatus(pg->conn) == CONNECTION_OK && PQtransactionStatus(pg->conn) != PQTRANS_IDLE) {
		PGresult *res = PQexec(pg->conn, "ROLLBACK");
		PQclear(res);
	}
	pg->in_txn = pg->read_only = false;
	pg_locks_end(pg);
	if (pg->ahead_sent)
		pg_ahead_clear(pg);
}

iv_status pg_connect_like(pg_store *pg, pg_store **out)
{
	iv_status rc = pg_ready(pg);
	pg_store *c = rc == IV_OK ? new_handle(pg->path, IV_OPEN_EXISTING, NULL) : NULL;
	*out = c;
	if (rc != IV_OK)
		return rc;
	if (!c || !c->path)
		return pg_failf(pg, IV_E_NOMEM, "out of memory");
	/* The person this handle logged in as (libpq keeps the password it
	 * connected with, for PQreset); NULL: the default user again. */
	const char *pass = PQpass(pg->conn);
	bool person = pass && *pass;
	rc = connect_session(c, person ? PQuser(pg->conn) : NULL, person ? pass : NULL);
	if (rc != IV_OK)
		memcpy(c->where, pg->where, sizeof c->where);
	return rc;
}

/* A second connection, for a thread that reads while st's thread writes
 * (libpq connections are independent; each is used by one thread).  Its
 * snapshot is taken now: st holds the locks of the stores it writes, so
 * nobody else moves their chains or balances meanwhile, and it sees them
 * as st's transaction found them. */
iv_status pg_open_reader(store *st, store **out)
{
	pg_store *rd;
	iv_status rc = pg_connect_like(pg_of(st), &rd);
	*out = (store *)(void *)rd;
	if (!rd)
		return rc;
	return rc == IV_OK ? begin_as(*out, false, BEGIN_READER) : rc;
}

void pg_bulk_mode(store *st, bool on)
{
	pg_store *pg = pg_of(st);
	if (!on) {
		/* Leaving bulk mode writes what it deferred (within the caller's
		 * transaction, if one is still open). */
		if (pg->in_txn && pg_flush(pg) != IV_OK)
			pg_discard(pg);
	}
	pg->bulk = on;
	pg_forget_balances(pg);
	if (pg_ready(pg) != IV_OK || pg_pipeline_leave(pg) != IV_OK)
		return; /* the next statement says why */
	/* More sort memory for the big sums and merges of a bulk load. */
	PGresult *res = PQexec(pg->conn, on ? "SET work_mem = '256MB'" : "RESET work_mem");
	PQclear(res);
}

/* ---- backup and checks ---- */

iv_status pg_backup(store *st, const char *path)
{
	pg_store *pg = pg_of(st);
	return pg_failf(pg, IV_E_REFUSED,
	                "Backup file: a PostgreSQL database is backed up on the server side, not "
	                "into %s; use pg_dump (e.g. pg_dump -Fc -f invadj.dump '%s'), see "
	                "docs/deployment.md",
	                path, pg->where);
}

/* The objects the guarantees rest on (names as PostgreSQL gives them
 * from the schema in pg_schema.c). */
static const char *const required_objects =
	"{stores_pkey,stores_code_key,stores_allow_negative_check,stores_approval_threshold_check,"
	"items_pkey,items_number_key,items_upc_key,items_barcode_key,items_alt1_key,items_alt2_key,"
	"items_alt3_key,reasons_pkey,reasons_code_key,users_pkey,users_name_key,users_role_check,"
	"batches_pkey,batches_rule_check,batches_user_id_fkey,batches_reverses_batch_key,"
	"batches_reverses_batch_fkey,batches_sha256,"
	"ledger_pkey,ledger_diff_check,ledger_reverses,ledger_batch,ledger_chain,ledger_seq_check,"
	"ledger_hash_version_check,events_pkey,events_seq_key,events_seq_check,events_entity,"
	"balances_pkey,balances_store_id_fkey,balances_item_id_fkey,"
	"day_totals_pkey,day_totals_store_id_fkey,day_totals_item_id_fkey,"
	"user_days_pkey,user_days_store_id_fkey,user_days_item_id_fkey,user_days_user_id_fkey,"
	"counts_pkey,counts_store_id_fkey,counts_user_id_fkey,counts_blind_check,counts_scope_check,"
	"counts_start_seq_check,count_items_pkey,count_items_count_id_fkey,count_items_item_id_fkey,"
	"count_scans_pkey,count_scans_count_id_fkey,count_scans_item_id_fkey,count_scans_user_id_fkey,"
	"count_scans_undoes_fkey,count_scans_kind_check,count_scans_qty_check,count_scans_seq_check,"
	"count_scans_undoes_check,count_scans_item,count_scans_user,count_scans_undoes,"
	"count_ends_pkey,count_ends_count_id_fkey,count_ends_batch_id_key,count_ends_batch_id_fkey,"
	"count_ends_batch_id_check,count_ends_status_check,count_ends_user_id_fkey}";

iv_status pg_check_integrity(store *st)
{
	pg_store *pg = pg_of(st);
	pg_params p = {0};
	pg_param_text(&p, required_objects);
	PGresult *res;
	iv_status rc = pg_exec(pg, PQ_MISSING_OBJECTS, &p, &res, "checking the schema");
	if (rc != IV_OK)
		return rc;
	if (PQntuples(res) > 0)
		rc = pg_failf(pg, IV_E_CORRUPT,
		              "the schema check failed: %s is missing or not valid (a key, index or "
		              "constraint the ledger's guarantees rest on)",
		              PQgetvalue(res, 0, 0));
	PQclear(res);
	if (rc != IV_OK)
		return rc;
	/* The ledger's references, which foreign keys would have kept (see
	 * pg_schema.c): a row written while the check trigger was away. */
	rc = pg_exec(pg, PQ_LEDGER_BAD_REF, NULL, &res, "checking the ledger's references");
	if (rc != IV_OK)
		return rc;
	if (PQntuples(res) > 0)
		rc = pg_failf(pg, IV_E_CORRUPT, "ledger row #%s refers to a %s that does not exist",
		              PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	PQclear(res);
	return rc;
}

/* pg_trigger.tgtype bits: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16,
 * TRUNCATE 32; statement-level triggers have the ROW bit clear. */
#define KEEP_TRIGGERS(t) \
	{t, t "_no_delete", 2 | 8, false, false}, {t, t "_no_truncate", 2 | 32, false, false}, \
	{t, t "_keep_id", 1 | 2 | 16, false, false}
/* The checks of who writes (pg_roles.c): statement-level AFTER INSERT
 * with a transition table, but for the row-level ones noted. */
#define WHO_WRITES(t, n) {t, n, 4, false, true}
#define COUNT_TRIGGERS(t) \
	{t, t "_no_update", 2 | 16, true, false}, {t, t "_no_delete", 2 | 8, true, false}, \
	{t, t "_no_truncate", 2 | 32, true, false}
static const struct {
	const char *table, *name;
	int type;
	bool immutability; /* one of the append-only tables' own */
	bool people;       /* one of the checks of who writes */
} triggers[] = {
	{"ledger", "ledger_no_update", 2 | 16, true, false},
	{"ledger", "ledger_no_delete", 2 | 8, true, false},
	{"ledger", "ledger_no_truncate", 2 | 32, true, false},
	{"events", "events_no_update", 2 | 16, true, false},
	{"events", "events_no_delete", 2 | 8, true, false},
	{"events", "events_no_truncate", 2 | 32, true, false},
	{"ledger", "ledger_refs", 4, false, false},
	KEEP_TRIGGERS("stores"),
	KEEP_TRIGGERS("items"),
	KEEP_TRIGGERS("reasons"),
	KEEP_TRIGGERS("users"),
	KEEP_TRIGGERS("batches"),
	WHO_WRITES("ledger", "ledger_author"),
	WHO_WRITES("ledger", "ledger_approvals"),
	WHO_WRITES("events", "events_author"),
	WHO_WRITES("events", "events_kinds"),
	WHO_WRITES("batches", "batches_author"),
	WHO_WRITES("ledger", "ledger_sums"),
	{"batches", "batches_guard", 1 | 2 | 16, false, true},
	{"users", "users_guard", 1 | 2 | 4 | 16, false, true},
	{"approvals", "approvals_sign", 1 | 2 | 4, false, true},
	{"approval_txns", "approval_txns_check", 1 | 4, false, true},
	WHO_WRITES("counts", "counts_author"),
	WHO_WRITES("count_scans", "count_scans_author"),
	WHO_WRITES("count_ends", "count_ends_author"),
	WHO_WRITES("count_items", "count_items_starter"),
	WHO_WRITES("count_ends", "count_ends_who"),
	COUNT_TRIGGERS("counts"),
	COUNT_TRIGGERS("count_items"),
	COUNT_TRIGGERS("count_scans"),
	COUNT_TRIGGERS("count_ends"),
	{"count_items", "count_items_open", 1 | 2 | 4, false, false},
	{"count_scans", "count_scans_open", 1 | 2 | 4, false, false},
};

/* The triggers as the catalogue describes them: there, enabled always,
 * firing before the right event, their function still raising, and
 * the append-only ones without a WHEN. */
static iv_status check_trigger_catalog(pg_store *pg)
{
	PGresult *res;
	iv_status rc = pg_exec(pg, PQ_TRIGGERS, NULL, &res, "checking the triggers");
	if (rc != IV_OK)
		return rc;
	for (size_t k = 0; rc == IV_OK && k < sizeof triggers / sizeof triggers[0]; k++) {
		bool ok = false;
		for (int i = 0; i < PQntuples(res); i++)
			if (strcmp(PQgetvalue(res, i, 0), triggers[k].table) == 0 &&
			    strcmp(PQgetvalue(res, i, 1), triggers[k].name) == 0 &&
			    strcmp(PQgetvalue(res, i, 2), "A") == 0 && pg_int(res, i, 3) == triggers[k].type &&
			    strcmp(PQgetvalue(res, i, 4), "t") == 0 &&
			    (!triggers[k].immutability || strcmp(PQgetvalue(res, i, 5), "t") == 0) &&
			    strcmp(PQgetvalue(res, i, 6), "t") == 0)
				ok = true;
		if (!ok && triggers[k].immutability)
			rc = pg_failf(pg, IV_E_CORRUPT,
			              "the immutability trigger %s on %s is missing, disabled or altered",
			              triggers[k].name, triggers[k].table);
		else if (!ok && triggers[k].people)
			rc = pg_failf(pg, IV_E_CORRUPT,
			              "the trigger %s on %s, which checks who writes its rows, is missing, "
			              "disabled or altered",
			              triggers[k].name, triggers[k].table);
		else if (!ok)
			rc = pg_failf(pg, IV_E_CORRUPT,
			              "the trigger %s on %s, which keeps the ledger's references whole, is "
			              "missing, disabled or altered",
			              triggers[k].name, triggers[k].table);
	}
	PQclear(res);
	return rc;
}

/* Writes a forger would try, in a transaction of a connection of its
 * own that is always rolled back; each must fail.  Statement-level
 * triggers fire even when no row matches, so WHERE false tries them
 * without touching a row. */
static const struct {
	const char *what, *sql;
	bool locks_table; /* TRUNCATE waits for every reader: tried with a short wait only */
	bool row_trigger; /* refused by a row trigger: a fault only if a row got in */
} attempts[] = {
	{"an UPDATE of the ledger", "UPDATE ledger SET memo = memo WHERE false", false, false},
	{"a DELETE from the ledger", "DELETE FROM ledger WHERE false", false, false},
	{"an INSERT ... ON CONFLICT DO UPDATE over a ledger row",
	 "INSERT INTO ledger SELECT * FROM ledger ORDER BY id DESC LIMIT 1 "
	 "ON CONFLICT (id) DO UPDATE SET memo = excluded.memo", false, false},
	{"an UPDATE of the events", "UPDATE events SET state = state WHERE false", false, false},
	{"a DELETE from the events", "DELETE FROM events WHERE false", false, false},
	{"an INSERT ... ON CONFLICT DO UPDATE over an event",
	 "INSERT INTO events SELECT * FROM events ORDER BY id DESC LIMIT 1 "
	 "ON CONFLICT (id) DO UPDATE SET state = excluded.state", false, false},
	{"a TRUNCATE of the ledger", "TRUNCATE ledger", true, false},
	{"a TRUNCATE of the events", "TRUNCATE events", true, false},
	{"an UPDATE of the counts", "UPDATE counts SET memo = memo WHERE false", false, false},
	{"a DELETE from the counts", "DELETE FROM counts WHERE false", false, false},
	{"an UPDATE of a count's list", "UPDATE count_items SET item_id = item_id WHERE false", false, false},
	{"a DELETE from a count's list", "DELETE FROM count_items WHERE false", false, false},
	{"an UPDATE of the counts' scans", "UPDATE count_scans SET qty = qty WHERE false", false, false},
	{"a DELETE from the counts' scans", "DELETE FROM count_scans WHERE false", false, false},
	{"an UPDATE of the counts' ends", "UPDATE count_ends SET status = status WHERE false", false, false},
	{"a DELETE from the counts' ends", "DELETE FROM count_ends WHERE false", false, false},
	{"a scan added to a count that ended",
	 "INSERT INTO count_scans(id, count_id, item_id, kind, qty, user_id, recorded_at) "
	 "SELECT (SELECT coalesce(max(id), 0) + 1 FROM count_scans), e.count_id, s.item_id, 'add', 1, "
	 "s.user_id, 'probe' FROM count_ends e JOIN count_scans s ON s.count_id = e.count_id LIMIT 1",
	 false, true},
	{"a TRUNCATE of the counts' scans", "TRUNCATE count_scans", true, false},
};

static iv_status try_writes(pg_store *pg, pg_store *probe)
{
	iv_status rc = IV_OK;
	for (size_t k = 0; rc == IV_OK && k < sizeof attempts / sizeof attempts[0]; k++) {
		PGresult *res = PQexec(probe->conn, attempts[k].locks_table
		                                        ? "SAVEPOINT attempt; SET LOCAL lock_timeout = '1s'"
		                                        : "SAVEPOINT attempt");
		PQclear(res);
		res = PQexec(probe->conn, attempts[k].sql);
		ExecStatusType s = PQresultStatus(res);
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		/* A lock not granted in time: the catalogue check stands for it. */
		bool waited = state && strcmp(state, "55P03") == 0;
		bool got_in = !attempts[k].row_trigger || atoi(PQcmdTuples(res)) > 0;
		if ((s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) && !waited && got_in)
			rc = pg_failf(pg, IV_E_CORRUPT,
			              "the append-only triggers let %s through (tried, and rolled back): a "
			              "trigger or its function was altered",
			              attempts[k].what);
		PQclear(res);
		res = PQexec(probe->conn, "ROLLBACK TO SAVEPOINT attempt");
		PQclear(res);
	}
	return rc;
}

iv_status pg_check_triggers(store *st)
{
	pg_store *pg = pg_of(st);
	iv_status rc = check_trigger_catalog(pg);
	if (rc != IV_OK)
		return rc;
	pg_store *probe;
	rc = pg_connect_like(pg, &probe);
	if (rc == IV_OK) {
		PGresult *res = PQexec(probe->conn, "BEGIN ISOLATION LEVEL READ COMMITTED");
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = pg_fail_result(probe, res, "trying the triggers");
		PQclear(res);
	}
	if (rc != IV_OK)
		rc = pg_failf(pg, IV_E_STORAGE, "the triggers could not be tried: %s",
		              probe ? probe->base.errmsg : "out of memory");
	else
		rc = try_writes(pg, probe);
	pg_close((store *)(void *)probe); /* rolls back */
	return rc;
}

const store_backend pg_backend = {
	.kind = "PostgreSQL",
	STORE_FUNCS(STORE_ENTRY_pg, STORE_ENTRY_VOID_pg)
};
