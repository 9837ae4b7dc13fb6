/* People on a PostgreSQL server: each invadj user is a login role of
 * the server, a member of one group (invadj_clerk, invadj_supervisor,
 * invadj_admin), and the server checks passwords and privileges.
 *
 * The set-up (pg_setup) runs after the migrations, in their transaction,
 * as the database's administrator, and may run again at any time (every
 * statement is idempotent):
 *   - the group roles and the schema's owner role invadj_owner (NOLOGIN)
 *     exist; the owner owns every table and function, and only it may
 *     create in the schema;
 *   - the grants: every table readable; the ledger, events, batches,
 *     the sums and approvals insertable by whom docs/deployment.md says;
 *     master data and users writable by admins only;
 *   - the triggers that check, for every row a person writes, that it is
 *     in their own name, that an approved row has its approval signed by
 *     the approver's own connection (consumed at commit), that events
 *     are of a kind their role may record, and that a PIN hash is never
 *     stored;
 *   - every function with a fixed search_path (public, then pg_temp
 *     last), SECURITY DEFINER only where a person must not hold the
 *     privilege itself (writing the approvals' bookkeeping, setting the
 *     ledger's id sequence forward: invadj_ledger_ids, pg_schema.c).
 * The owner (and a superuser) is exempt from the checks of who writes:
 * it owns the tables and could drop the triggers anyway; migrate copies
 * a ledger with it, and init creates the first admin with it.
 *
 * The role functions are SECURITY INVOKER: the server checks that the
 * caller may create or alter roles (an admin's role has CREATEROLE), and
 * they refuse any role that is not one of invadj's people. */
#include <stdio.h>
#include <string.h>

#include "store/pg_internal.h"

/* "Is the session the schema's owner (or a superuser)?" inside the
 * functions below. */
#define EXEMPT "pg_catalog.pg_has_role(session_user, 'invadj_owner', 'MEMBER')"
/* Every function's search path: invadj's schema, and the session's
 * temporary schema last, so that a temporary table never stands in for
 * one of invadj's. */
#define FIXED_PATH "SET search_path = public, pg_temp"
/* A check or sum over a statement's rows is planned for each statement,
 * and a whole upload's is costed high enough for the server to compile
 * it first (JIT): 1.2-1.3 s of a 1,000,000-row upload's CPU went to
 * compiling the sums' statement, whose work is index probes and upserts
 * that compiled expressions do not speed up. */
#define NO_JIT " SET jit = off"
#define GROUPS "invadj_clerk, invadj_supervisor, invadj_admin"
/* A recorded time by the server's clock, as the engine writes them. */
#define NOW_TEXT "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* Run as the session's own role (the administrator): roles, the
 * schema's privileges, and who owns what. */
static const char setup_as_admin[] =
	"SET LOCAL client_min_messages = warning;"
	"DO $roles$ DECLARE r TEXT; BEGIN"
	" FOREACH r IN ARRAY ARRAY['invadj_owner', 'invadj_clerk', 'invadj_supervisor', 'invadj_admin'] LOOP"
	"  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN"
	"   BEGIN EXECUTE format('CREATE ROLE %I NOLOGIN', r);"
	"   EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;"
	"  END IF;"
	" END LOOP;"
	" IF NOT " EXEMPT " THEN EXECUTE format('GRANT invadj_owner TO %I', session_user); END IF;"
	" EXECUTE format('GRANT CONNECT ON DATABASE %I TO " GROUPS "', current_database());"
	"END $roles$;"
	"GRANT USAGE, CREATE ON SCHEMA public TO invadj_owner;"
	"REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
	"GRANT USAGE ON SCHEMA public TO " GROUPS ";"
	/* Tables made by earlier migrations, or by a deployment whose owner
	 * was another role, go to invadj_owner (their indexes and identity
	 * sequences with them). */
	"DO $owner$ DECLARE r RECORD; BEGIN"
	" FOR r IN SELECT c.oid::regclass AS t FROM pg_catalog.pg_class c"
	"  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')"
	"  AND c.relowner <> 'invadj_owner'::regrole LOOP"
	"  EXECUTE format('ALTER TABLE %s OWNER TO invadj_owner', r.t);"
	" END LOOP;"
	" FOR r IN SELECT p.oid::regprocedure AS f FROM pg_catalog.pg_proc p"
	"  WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> 'invadj_owner'::regrole LOOP"
	"  EXECUTE format('ALTER FUNCTION %s OWNER TO invadj_owner', r.f);"
	" END LOOP;"
	"END $owner$;";

/* A statement-level check of the rows an INSERT added (transition
 * table `added`), enabled always. */
#define INSERT_CHECK(table, name, call)                                                            \
	"DROP TRIGGER IF EXISTS " name " ON " table ";"                                             \
	"CREATE TRIGGER " name " AFTER INSERT ON " table " REFERENCING NEW TABLE AS added"          \
	"  FOR EACH STATEMENT EXECUTE FUNCTION " call ";"                                           \
	"ALTER TABLE " table " ENABLE ALWAYS TRIGGER " name ";"

/* Run as invadj_owner: its tables, functions, triggers and grants. */
static const char setup_as_owner[] =
	"SET LOCAL ROLE invadj_owner;"
	"CREATE TABLE IF NOT EXISTS invadj_server (setup INTEGER NOT NULL, roles_since BIGINT);"
	"INSERT INTO invadj_server (setup) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM invadj_server);"
	/* One-time approvals: signed by the approver's own connection for
	 * exactly the rows approved (docs/schema.md, "Approvals"), used by
	 * the rows when their transaction commits. */
	"CREATE TABLE IF NOT EXISTS approvals ("
	"  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  approver_id BIGINT NOT NULL REFERENCES users(id),"
	"  author_id BIGINT NOT NULL REFERENCES users(id),"
	"  digest BYTEA NOT NULL CHECK (length(digest) = 32),"
	"  rows BIGINT NOT NULL CHECK (rows > 0),"
	"  created_at TEXT COLLATE \"C\" NOT NULL,"
	"  used_at TEXT COLLATE \"C\", first_id BIGINT, last_id BIGINT);"
	"CREATE INDEX IF NOT EXISTS approvals_unused ON approvals(approver_id, author_id, digest)"
	"  WHERE used_at IS NULL;"
	/* Which approval each approved row used (filled at commit). */
	"CREATE TABLE IF NOT EXISTS approval_claims ("
	"  ledger_id BIGINT PRIMARY KEY,"
	"  approval_id BIGINT REFERENCES approvals(id),"
	"  approver_id BIGINT NOT NULL, author_id BIGINT NOT NULL, txid BIGINT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS approval_claims_open ON approval_claims(txid) WHERE approval_id IS NULL;"
	"CREATE INDEX IF NOT EXISTS approval_claims_of ON approval_claims(approval_id);"
	/* A transaction with rows to match, matched when it commits. */
	"CREATE TABLE IF NOT EXISTS approval_txns (txid BIGINT PRIMARY KEY);"
	/* verify's look at the approved rows reads this, not the ledger. */
	"CREATE INDEX IF NOT EXISTS ledger_approved ON ledger(id) WHERE approved_by IS NOT NULL;"

	/* Every function the migrations made (and any a later one makes)
	 * gets a fixed search path; those below are made with it. */
	"DO $path$ DECLARE r RECORD; BEGIN"
	" FOR r IN SELECT p.oid::regprocedure AS f FROM pg_catalog.pg_proc p"
	"  WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f'"
	"  AND NOT coalesce('search_path=public, pg_temp' = ANY (p.proconfig), false) LOOP"
	"  EXECUTE format('ALTER FUNCTION %s " FIXED_PATH "', r.f);"
	" END LOOP;"
	"END $path$;"
	/* The ledger's references (pg_schema.c made the first version): a
	 * statement of up to 1,000 rows (a save, a count, a reversal) runs
	 * the query PL/pgSQL planned once, with index probes; a bigger one (a
	 * COPY) plans it for its own size, with hash joins.  Planning it for
	 * every save cost a single save about 1 ms of the server's CPU, a
	 * third of all it spent on a save, most of it searching the orders of
	 * the seven-way join: the order written (the new rows, then each
	 * table they refer to) is the one any plan takes. */
	"CREATE OR REPLACE FUNCTION ledger_check_refs() RETURNS trigger LANGUAGE plpgsql " FIXED_PATH
	NO_JIT " SET join_collapse_limit = 1 AS $f$ DECLARE bad_id BIGINT; what TEXT; BEGIN"
	"  IF EXISTS (SELECT 1 FROM added OFFSET 1000) THEN"
	"   EXECUTE $q$" LEDGER_REFS_QUERY "$q$ INTO bad_id, what;"
	"  ELSE"
	"   " LEDGER_REFS_QUERY " INTO bad_id, what;"
	"  END IF;"
	LEDGER_REFS_REFUSE

	/* Ledger ids (pg_schema.c made the first version): a block of n is
	 * taken under the ids' advisory lock, so that no other id falls
	 * inside it; a single id (a save's) takes the lock shared, so that
	 * single saves at different stores never wait for each other there
	 * (with 64 terminals on two cores a holder was often descheduled
	 * holding it, and the others queued behind: 0.4 ms a save). */
	"CREATE OR REPLACE FUNCTION invadj_ledger_ids(n BIGINT) RETURNS BIGINT LANGUAGE plpgsql"
	" SECURITY DEFINER " FIXED_PATH " AS $f$ DECLARE first BIGINT; BEGIN"
	" IF n IS NULL OR n < 1 OR n > 1000000 THEN"
	"  RAISE EXCEPTION 'a block of ledger ids is 1 to 1000000 ids long' USING ERRCODE = '22023';"
	" END IF;"
	" IF n = 1 THEN"
	"  PERFORM pg_catalog.pg_advisory_lock_shared(" PG_LOCK_IDS ");"
	"  first := pg_catalog.nextval('ledger_ids');"
	"  PERFORM pg_catalog.pg_advisory_unlock_shared(" PG_LOCK_IDS ");"
	"  RETURN first;"
	" END IF;"
	" PERFORM pg_catalog.pg_advisory_lock(" PG_LOCK_IDS ");"
	" first := pg_catalog.nextval('ledger_ids');"
	" PERFORM pg_catalog.setval('ledger_ids', first + n - 1);"
	" PERFORM pg_catalog.pg_advisory_unlock(" PG_LOCK_IDS ");"
	" RETURN first; END $f$;"

	/* Rows a person writes are in their own name (every table it guards
	 * names its writer in user_id), and they are an enabled user.  A
	 * query of the function's own, not one built per call: PL/pgSQL
	 * plans it once per table and keeps the plan. */
	"CREATE OR REPLACE FUNCTION invadj_author() RETURNS trigger LANGUAGE plpgsql " FIXED_PATH NO_JIT
	" AS $f$ DECLARE me BIGINT; bad BOOLEAN; BEGIN"
	"  IF " EXEMPT " THEN RETURN NULL; END IF;"
	"  SELECT id INTO me FROM users WHERE name = session_user AND disabled_at IS NULL;"
	"  SELECT true INTO bad FROM added WHERE user_id IS DISTINCT FROM me LIMIT 1;"
	"  IF bad THEN"
	"   RAISE EXCEPTION '% may write % rows in their own name only%', session_user, TG_TABLE_NAME,"
	"    CASE WHEN me IS NULL THEN ' (and is not an enabled invadj user)' ELSE '' END"
	"    USING ERRCODE = 'insufficient_privilege';"
	"  END IF;"
	"  RETURN NULL;"
	" END $f$;"

	/* An approved row: the author's own approval only for a supervisor
	 * or admin; another's is claimed now and matched with a signed
	 * approval when the transaction commits (approvals_consume). */
	"CREATE OR REPLACE FUNCTION ledger_check_approvals() RETURNS trigger LANGUAGE plpgsql"
	" SECURITY DEFINER " FIXED_PATH NO_JIT " AS $f$ DECLARE bad BIGINT; BEGIN"
	"  IF " EXEMPT " THEN RETURN NULL; END IF;"
	"  SELECT a.id INTO bad FROM added a JOIN users u ON u.id = a.user_id"
	"   WHERE a.approved_by = a.user_id AND u.role NOT IN ('supervisor', 'admin') ORDER BY a.id LIMIT 1;"
	"  IF bad IS NOT NULL THEN"
	"   RAISE EXCEPTION 'ledger row #% is approved by its own author, who is not a supervisor or admin',"
	"    bad USING ERRCODE = 'insufficient_privilege';"
	"  END IF;"
	"  INSERT INTO approval_claims (ledger_id, approver_id, author_id, txid)"
	"   SELECT id, approved_by, user_id, txid_current() FROM added"
	"   WHERE approved_by IS NOT NULL AND approved_by <> user_id;"
	"  IF FOUND THEN"
	"   INSERT INTO approval_txns VALUES (txid_current()) ON CONFLICT DO NOTHING;"
	"  END IF;"
	"  RETURN NULL;"
	" END $f$;"

	/* At commit: the transaction's claimed rows, by approver, must be
	 * exactly the rows of one unused approval that approver signed for
	 * this author (the digest over their hashes in id order), which they
	 * then use up. */
	"CREATE OR REPLACE FUNCTION approvals_consume() RETURNS trigger LANGUAGE plpgsql"
	" SECURITY DEFINER " FIXED_PATH " AS $f$ DECLARE g RECORD; aid BIGINT; BEGIN"
	"  FOR g IN SELECT c.approver_id, c.author_id, count(*) AS n, min(l.id) AS first_id,"
	"   max(l.id) AS last_id, sha256(string_agg(l.hash, ''::bytea ORDER BY l.id)) AS digest"
	"   FROM approval_claims c JOIN ledger l ON l.id = c.ledger_id"
	"   WHERE c.txid = NEW.txid AND c.approval_id IS NULL GROUP BY c.approver_id, c.author_id LOOP"
	"   SELECT id INTO aid FROM approvals WHERE approver_id = g.approver_id"
	"    AND author_id = g.author_id AND digest = g.digest AND rows = g.n AND used_at IS NULL"
	"    ORDER BY id LIMIT 1 FOR UPDATE;"
	"   IF aid IS NULL THEN"
	"    RAISE EXCEPTION 'ledger rows #% to #% name an approver who signed no unused approval of"
	" exactly these rows: a supervisor or admin approves with their own user name and PIN',"
	"     g.first_id, g.last_id USING ERRCODE = 'insufficient_privilege';"
	"   END IF;"
	"   UPDATE approvals SET used_at = " NOW_TEXT ", first_id = g.first_id, last_id = g.last_id"
	"    WHERE id = aid;"
	"   UPDATE approval_claims SET approval_id = aid WHERE txid = NEW.txid AND approval_id IS NULL"
	"    AND approver_id = g.approver_id AND author_id = g.author_id;"
	"  END LOOP;"
	"  DELETE FROM approval_txns WHERE txid = NEW.txid;"
	"  RETURN NULL;"
	" END $f$;"

	/* Signing: by an enabled supervisor or admin, in their own name, for
	 * another enabled user; unused when made. */
	"CREATE OR REPLACE FUNCTION approvals_sign() RETURNS trigger LANGUAGE plpgsql " FIXED_PATH
	" AS $f$ DECLARE my_id BIGINT; my_role TEXT; BEGIN"
	"  SELECT id, role INTO my_id, my_role FROM users WHERE name = session_user AND disabled_at IS NULL;"
	"  IF my_id IS NULL OR my_role NOT IN ('supervisor', 'admin') THEN"
	"   RAISE EXCEPTION 'only an enabled supervisor or admin signs approvals, logged in as"
	" themself (% may not)', session_user USING ERRCODE = 'insufficient_privilege';"
	"  END IF;"
	"  IF NEW.author_id = my_id THEN"
	"   RAISE EXCEPTION 'a supervisor''s or admin''s own lines are approved by themself: % signs"
	" no approval for them', session_user USING ERRCODE = 'insufficient_privilege';"
	"  END IF;"
	"  IF NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.author_id AND disabled_at IS NULL) THEN"
	"   RAISE EXCEPTION 'approvals are for enabled users only' USING ERRCODE = 'insufficient_privilege';"
	"  END IF;"
	"  NEW.approver_id := my_id; NEW.created_at := " NOW_TEXT ";"
	"  NEW.used_at := NULL; NEW.first_id := NULL; NEW.last_id := NULL;"
	"  RETURN NEW;"
	" END $f$;"

	/* Events of the kinds a role records: master data and users are an
	 * admin's; anyone records their own PIN change and their uploads;
	 * a supervisor also checkpoints. */
	"CREATE OR REPLACE FUNCTION events_check_kinds() RETURNS trigger LANGUAGE plpgsql " FIXED_PATH
	" AS $f$ DECLARE my_id BIGINT; my_role TEXT; bad BIGINT; BEGIN"
	"  IF " EXEMPT " THEN RETURN NULL; END IF;"
	"  SELECT id, role INTO my_id, my_role FROM users WHERE name = session_user AND disabled_at IS NULL;"
	"  SELECT a.seq INTO bad FROM added a WHERE NOT (coalesce(my_role = 'admin', false)"
	"   OR (a.kind = 'batch' AND a.action = 'add')"
	"   OR (a.kind = 'user' AND a.action = 'pin-set' AND a.entity_id = my_id)"
	"   OR (a.kind = 'checkpoint' AND coalesce(my_role = 'supervisor', false))) ORDER BY a.seq LIMIT 1;"
	"  IF bad IS NOT NULL THEN"
	"   RAISE EXCEPTION 'event #% is not one % may record: master data and users are an admin''s',"
	"    bad, session_user USING ERRCODE = 'insufficient_privilege';"
	"  END IF;"
	"  RETURN NULL;"
	" END $f$;"

	/* The sums of a person's rows, kept by the server from the rows a
	 * statement added (a whole upload's COPY is one statement): no
	 * person may write a balance, a day total, a user's day total or a
	 * report summary (an admin may value the summaries again when a
	 * cost changes, as that is master data's).  (The owner writes its
	 * own: migrate copies them.)  One statement, one pass over the new
	 * rows: they are summed once by the finest key any table wants
	 * (`rows`), and each table's upsert sums that, far smaller, again. */
	"CREATE OR REPLACE FUNCTION ledger_add_sums() RETURNS trigger LANGUAGE plpgsql"
	" SECURITY DEFINER " FIXED_PATH NO_JIT " AS $f$ BEGIN"
	"  IF " EXEMPT " THEN RETURN NULL; END IF;"
	"  WITH rows AS MATERIALIZED (SELECT store_id, item_id, tdate, user_id, reason_id,"
	"    (reverses IS NOT NULL)::int AS c, count(*) AS lines, sum(diff) AS net,"
	"    sum(greatest(diff, 0)) AS added, sum(greatest(-diff, 0)) AS removed"
	"    FROM added GROUP BY 1, 2, 3, 4, 5, 6),"
	"  bal AS (INSERT INTO balances (store_id, item_id, qty) SELECT store_id, item_id, sum(net) FROM rows"
	"   GROUP BY 1, 2 ORDER BY 1, 2"
	"   ON CONFLICT (store_id, item_id) DO UPDATE SET qty = balances.qty + excluded.qty),"
	"  days AS (INSERT INTO day_totals (store_id, item_id, tdate, diff) SELECT store_id, item_id, tdate,"
	"   sum(net) FROM rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
	"   ON CONFLICT (store_id, item_id, tdate) DO UPDATE SET diff = day_totals.diff + excluded.diff),"
	"  udays AS (INSERT INTO user_days (store_id, item_id, tdate, user_id, diff)"
	"   SELECT store_id, item_id, tdate, user_id, sum(net) FROM rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
	"   ON CONFLICT (store_id, item_id, tdate, user_id) DO UPDATE SET diff = user_days.diff + excluded.diff),"
	/* The report summaries (report_sums.c's rules, in SQL): each new
	 * row's line, a reversal's among the cancelled; the original a
	 * reversal reverses moves from the uncancelled to the cancelled
	 * (looked up by its id, one index probe a reversal: a join would
	 * read the whole ledger to find none); each valued at its item's
	 * cost in force on its date. */
	"  moved AS (SELECT tdate, store_id, item_id, reason_id, user_id, c, lines, added, removed FROM rows"
	"   UNION ALL SELECT o.tdate, o.store_id, o.item_id, o.reason_id, o.user_id, k.c, k.n,"
	"    k.n * greatest(o.diff, 0), k.n * greatest(-o.diff, 0)"
	"    FROM added a CROSS JOIN LATERAL (SELECT l.tdate, l.store_id, l.item_id, l.reason_id, l.user_id,"
	"     l.diff FROM ledger l WHERE l.id = a.reverses LIMIT 1) o"
	"    CROSS JOIN (VALUES (0, -1), (1, 1)) AS k(c, n) WHERE a.reverses IS NOT NULL),"
	"  keyed AS (SELECT tdate, store_id, item_id, reason_id, user_id, c, sum(lines) AS lines,"
	"    sum(added) AS added, sum(removed) AS removed FROM moved GROUP BY 1, 2, 3, 4, 5, 6),"
	/* one item and date: one cost for the whole key (a look-up a key,
	 * not a row) */
	"  sums AS (SELECT k.tdate, k.store_id, k.item_id, k.reason_id, k.user_id, k.c, k.lines, k.added,"
	"    k.removed, coalesce((k.added - k.removed) * h.unit_cost, 0) AS value,"
	"    CASE WHEN h.unit_cost IS NULL THEN k.lines ELSE 0 END AS unvalued FROM keyed k"
	"    LEFT JOIN LATERAL (SELECT unit_cost FROM item_costs WHERE item_id = k.item_id"
	"     AND effective <= k.tdate ORDER BY effective DESC LIMIT 1) h ON true),"
	"  items AS (INSERT INTO report_items (tdate, store_id, item_id, reason_id, user_id, cancelled,"
	"    lines, added, removed, value, unvalued) SELECT * FROM sums ORDER BY 1, 2, 3, 4, 5, 6"
	"    ON CONFLICT (tdate, store_id, item_id, reason_id, user_id, cancelled) DO UPDATE SET"
	"    lines = report_items.lines + excluded.lines, added = report_items.added + excluded.added,"
	"    removed = report_items.removed + excluded.removed, value = report_items.value + excluded.value,"
	"    unvalued = report_items.unvalued + excluded.unvalued)"
	"  INSERT INTO report_days (tdate, store_id, reason_id, user_id, cancelled, lines, added, removed,"
	"    value, unvalued) SELECT tdate, store_id, reason_id, user_id, c, sum(lines), sum(added),"
	"    sum(removed), sum(value), sum(unvalued) FROM sums GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
	"   ON CONFLICT (tdate, store_id, reason_id, user_id, cancelled) DO UPDATE SET"
	"    lines = report_days.lines + excluded.lines, added = report_days.added + excluded.added,"
	"    removed = report_days.removed + excluded.removed, value = report_days.value + excluded.value,"
	"    unvalued = report_days.unvalued + excluded.unvalued;"
	"  IF false THEN RAISE EXCEPTION 'unreachable'; END IF;" /* verify's catalogue check: it may raise */
	"  RETURN NULL;"
	" END $f$;"

	/* A batch's counts are its uploader's to write while the upload is
	 * under way (its last row not yet set), and nobody's after. */
	"CREATE OR REPLACE FUNCTION batches_guard() RETURNS trigger LANGUAGE plpgsql " FIXED_PATH
	" AS $f$ BEGIN"
	"  IF " EXEMPT " THEN RETURN NEW; END IF;"
	"  IF OLD.last_id IS NOT NULL OR OLD.user_id IS DISTINCT FROM"
	"   (SELECT id FROM users WHERE name = session_user AND disabled_at IS NULL) THEN"
	"   RAISE EXCEPTION 'batch #% is finished, or not %''s upload: its counts stay', OLD.id, session_user"
	"    USING ERRCODE = 'insufficient_privilege';"
	"  END IF;"
	"  RETURN NEW;"
	" END $f$;"

	/* A count's list of items is its starter's; a count is ended
	 * (posted or cancelled) by its starter or a supervisor or admin. */
	"CREATE OR REPLACE FUNCTION count_items_starter() RETURNS trigger LANGUAGE plpgsql " FIXED_PATH
	" AS $f$ DECLARE bad BIGINT; BEGIN"
	"  IF " EXEMPT " THEN RETURN NULL; END IF;"
	"  SELECT a.count_id INTO bad FROM added a JOIN counts c ON c.id = a.count_id"
	"   WHERE c.user_id IS DISTINCT FROM"
	"   (SELECT id FROM users WHERE name = session_user AND disabled_at IS NULL) ORDER BY 1 LIMIT 1;"
	"  IF bad IS NOT NULL THEN"
	"   RAISE EXCEPTION 'count % is not %''s: the items to count are its starter''s to list', bad,"
	"    session_user USING ERRCODE = 'insufficient_privilege';"
	"  END IF;"
	"  RETURN NULL;"
	" END $f$;"
	"CREATE OR REPLACE FUNCTION count_ends_who() RETURNS trigger LANGUAGE plpgsql " FIXED_PATH
	" AS $f$ DECLARE my_id BIGINT; my_role TEXT; bad BIGINT; BEGIN"
	"  IF " EXEMPT " THEN RETURN NULL; END IF;"
	"  SELECT id, role INTO my_id, my_role FROM users WHERE name = session_user AND disabled_at IS NULL;"
	"  SELECT a.count_id INTO bad FROM added a JOIN counts c ON c.id = a.count_id"
	"   WHERE c.user_id IS DISTINCT FROM my_id AND NOT coalesce(my_role IN ('supervisor', 'admin'), false)"
	"   ORDER BY 1 LIMIT 1;"
	"  IF bad IS NOT NULL THEN"
	"   RAISE EXCEPTION 'count % was started by another: only they or a supervisor may end it (% may not)',"
	"    bad, session_user USING ERRCODE = 'insufficient_privilege';"
	"  END IF;"
	"  RETURN NULL;"
	" END $f$;"

	/* Users: no PIN hash is ever stored on a server (the server keeps
	 * the password). */
	"CREATE OR REPLACE FUNCTION users_guard() RETURNS trigger LANGUAGE plpgsql " FIXED_PATH
	" AS $f$ BEGIN"
	"  IF " EXEMPT " THEN RETURN NEW; END IF;"
	"  IF NEW.pin_hash <> '' THEN"
	"   RAISE EXCEPTION 'no PIN hash is stored on a server: the server keeps each password'"
	"    USING ERRCODE = 'insufficient_privilege';"
	"  END IF;"
	"  RETURN NEW;"
	" END $f$;"
	/* The record of a PIN change (who, when): a person's own, or anyone's
	 * by an admin.  No person may UPDATE users for it. */
	"CREATE OR REPLACE FUNCTION invadj_user_pin(p_id BIGINT, p_hash TEXT, p_by BIGINT, p_at TEXT)"
	" RETURNS VOID LANGUAGE plpgsql SECURITY DEFINER " FIXED_PATH " AS $f$"
	" DECLARE my_id BIGINT; my_role TEXT; BEGIN"
	"  IF NOT " EXEMPT " THEN"
	"   SELECT id, role INTO my_id, my_role FROM users WHERE name = session_user AND disabled_at IS NULL;"
	"   IF my_id IS NULL OR p_by IS DISTINCT FROM my_id OR (p_id <> my_id AND my_role <> 'admin') THEN"
	"    RAISE EXCEPTION '% may record a change of their own PIN only', session_user"
	"     USING ERRCODE = 'insufficient_privilege';"
	"   END IF;"
	"  END IF;"
	"  UPDATE users SET pin_hash = p_hash, pin_set_at = p_at, pin_set_by = p_by WHERE id = p_id;"
	" END $f$;"

	/* Whether a role is one of invadj's people: a direct member of a
	 * group, and not a superuser. */
	"CREATE OR REPLACE FUNCTION invadj_person(p_name TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE "
	FIXED_PATH " AS $f$"
	"  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r JOIN pg_catalog.pg_auth_members m"
	"   ON m.member = r.oid JOIN pg_catalog.pg_roles g ON g.oid = m.roleid"
	"   WHERE r.rolname = p_name AND NOT r.rolsuper AND g.rolname IN"
	"   ('invadj_clerk', 'invadj_supervisor', 'invadj_admin'))"
	" $f$;"
	/* A person's role, its password a SCRAM verifier made by the client
	 * (a password never crosses as text); an admin's role may create
	 * and alter roles. */
	"CREATE OR REPLACE FUNCTION invadj_role_create(p_name TEXT, p_role TEXT, p_verifier TEXT,"
	" p_login BOOLEAN) RETURNS VOID LANGUAGE plpgsql " FIXED_PATH " AS $f$ BEGIN"
	"  IF p_role NOT IN ('clerk', 'supervisor', 'admin') THEN"
	"   RAISE EXCEPTION 'no such role as %', p_role USING ERRCODE = 'invalid_parameter_value';"
	"  END IF;"
	"  IF p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN"
	"   RAISE EXCEPTION 'a password is set as a SCRAM-SHA-256 verifier only'"
	"    USING ERRCODE = 'invalid_parameter_value';"
	"  END IF;"
	"  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_name) THEN"
	"   RAISE EXCEPTION 'the server already has a role named %', p_name"
	"    USING ERRCODE = 'duplicate_object';"
	"  END IF;"
	"  EXECUTE format('CREATE ROLE %I %s %s PASSWORD %L IN ROLE %I', p_name,"
	"   CASE WHEN p_login THEN 'LOGIN' ELSE 'NOLOGIN' END,"
	"   CASE WHEN p_role = 'admin' THEN 'CREATEROLE' ELSE 'NOCREATEROLE' END,"
	"   p_verifier, 'invadj_' || p_role);"
	" END $f$;"
	"CREATE OR REPLACE FUNCTION invadj_role_alter(p_name TEXT, p_verifier TEXT, p_login BOOLEAN,"
	" p_role TEXT) RETURNS VOID LANGUAGE plpgsql " FIXED_PATH " SET client_min_messages = error"
	" AS $f$ BEGIN"
	"  IF NOT invadj_person(p_name) THEN"
	"   RAISE EXCEPTION '% is not one of invadj''s people on this server', p_name"
	"    USING ERRCODE = 'invalid_parameter_value';"
	"  END IF;"
	"  IF p_verifier IS NOT NULL THEN"
	"   IF p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN"
	"    RAISE EXCEPTION 'a password is set as a SCRAM-SHA-256 verifier only'"
	"     USING ERRCODE = 'invalid_parameter_value';"
	"   END IF;"
	"   EXECUTE format('ALTER ROLE %I PASSWORD %L', p_name, p_verifier);"
	"  END IF;"
	"  IF p_login IS NOT NULL THEN"
	"   EXECUTE format('ALTER ROLE %I %s', p_name, CASE WHEN p_login THEN 'LOGIN' ELSE 'NOLOGIN' END);"
	"  END IF;"
	"  IF p_role IS NOT NULL THEN"
	"   IF p_role NOT IN ('clerk', 'supervisor', 'admin') THEN"
	"    RAISE EXCEPTION 'no such role as %', p_role USING ERRCODE = 'invalid_parameter_value';"
	"   END IF;"
	"   EXECUTE format('REVOKE " GROUPS " FROM %I', p_name);"
	"   EXECUTE format('GRANT %I TO %I', 'invadj_' || p_role, p_name);"
	"   EXECUTE format('ALTER ROLE %I %s', p_name,"
	"    CASE WHEN p_role = 'admin' THEN 'CREATEROLE' ELSE 'NOCREATEROLE' END);"
	"  END IF;"
	" END $f$;"
	/* The shared terminal role of an older deployment loses everything. */
	"CREATE OR REPLACE FUNCTION invadj_role_revoke(p_name TEXT) RETURNS VOID LANGUAGE plpgsql "
	FIXED_PATH " SET client_min_messages = error AS $f$ BEGIN"
	"  IF p_name IN ('invadj_owner', 'invadj_clerk', 'invadj_supervisor', 'invadj_admin')"
	"   OR invadj_person(p_name) OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_name) THEN"
	"   RAISE EXCEPTION '% is not a terminal role invadj can take privileges from', p_name"
	"    USING ERRCODE = 'invalid_parameter_value';"
	"  END IF;"
	"  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', p_name);"
	"  EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', p_name);"
	"  EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM %I', p_name);"
	"  EXECUTE format('REVOKE ALL ON SCHEMA public FROM %I', p_name);"
	"  EXECUTE format('REVOKE ALL ON DATABASE %I FROM %I', current_database(), p_name);"
	" END $f$;"

	/* Every save and upload adds to its items' balances: with half of
	 * each page kept free the new version of a row stays on its page
	 * and the key's index entry stands (a HOT update), where a full page
	 * sent it to another page and wrote a new entry.  (Pages written
	 * from now on; the day-keyed sums mostly take new keys, and keep
	 * their pages full.) */
	"ALTER TABLE balances SET (fillfactor = 50);"

	/* The triggers (ENABLE ALWAYS, as the append-only ones). */
	"DROP TRIGGER IF EXISTS ledger_author ON ledger;"
	"CREATE TRIGGER ledger_author AFTER INSERT ON ledger REFERENCING NEW TABLE AS added"
	"  FOR EACH STATEMENT EXECUTE FUNCTION invadj_author();"
	"ALTER TABLE ledger ENABLE ALWAYS TRIGGER ledger_author;"
	"DROP TRIGGER IF EXISTS ledger_approvals ON ledger;"
	"CREATE TRIGGER ledger_approvals AFTER INSERT ON ledger REFERENCING NEW TABLE AS added"
	"  FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_approvals();"
	"ALTER TABLE ledger ENABLE ALWAYS TRIGGER ledger_approvals;"
	"DROP TRIGGER IF EXISTS events_author ON events;"
	"CREATE TRIGGER events_author AFTER INSERT ON events REFERENCING NEW TABLE AS added"
	"  FOR EACH STATEMENT EXECUTE FUNCTION invadj_author();"
	"ALTER TABLE events ENABLE ALWAYS TRIGGER events_author;"
	"DROP TRIGGER IF EXISTS events_kinds ON events;"
	"CREATE TRIGGER events_kinds AFTER INSERT ON events REFERENCING NEW TABLE AS added"
	"  FOR EACH STATEMENT EXECUTE FUNCTION events_check_kinds();"
	"ALTER TABLE events ENABLE ALWAYS TRIGGER events_kinds;"
	"DROP TRIGGER IF EXISTS batches_author ON batches;"
	"CREATE TRIGGER batches_author AFTER INSERT ON batches REFERENCING NEW TABLE AS added"
	"  FOR EACH STATEMENT EXECUTE FUNCTION invadj_author();"
	"ALTER TABLE batches ENABLE ALWAYS TRIGGER batches_author;"
	/* The counts' rows (schema 6): in their writer's own name. */
	INSERT_CHECK("counts", "counts_author", "invadj_author()")
	INSERT_CHECK("count_scans", "count_scans_author", "invadj_author()")
	INSERT_CHECK("count_ends", "count_ends_author", "invadj_author()")
	INSERT_CHECK("count_items", "count_items_starter", "count_items_starter()")
	INSERT_CHECK("count_ends", "count_ends_who", "count_ends_who()")
	"DROP TRIGGER IF EXISTS ledger_sums ON ledger;"
	"CREATE TRIGGER ledger_sums AFTER INSERT ON ledger REFERENCING NEW TABLE AS added"
	"  FOR EACH STATEMENT EXECUTE FUNCTION ledger_add_sums();"
	"ALTER TABLE ledger ENABLE ALWAYS TRIGGER ledger_sums;"
	"DROP TRIGGER IF EXISTS batches_guard ON batches;"
	"CREATE TRIGGER batches_guard BEFORE UPDATE ON batches FOR EACH ROW EXECUTE FUNCTION batches_guard();"
	"ALTER TABLE batches ENABLE ALWAYS TRIGGER batches_guard;"
	"DROP TRIGGER IF EXISTS users_guard ON users;"
	"CREATE TRIGGER users_guard BEFORE INSERT OR UPDATE ON users"
	"  FOR EACH ROW EXECUTE FUNCTION users_guard();"
	"ALTER TABLE users ENABLE ALWAYS TRIGGER users_guard;"
	"DROP TRIGGER IF EXISTS approvals_sign ON approvals;"
	"CREATE TRIGGER approvals_sign BEFORE INSERT ON approvals FOR EACH ROW EXECUTE FUNCTION approvals_sign();"
	"ALTER TABLE approvals ENABLE ALWAYS TRIGGER approvals_sign;"
	"DROP TRIGGER IF EXISTS approval_txns_check ON approval_txns;"
	"CREATE CONSTRAINT TRIGGER approval_txns_check AFTER INSERT ON approval_txns"
	"  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION approvals_consume();"
	"ALTER TABLE approval_txns ENABLE ALWAYS TRIGGER approval_txns_check;"

	/* The grants, the whole list (docs/deployment.md), from nothing:
	 * running the set-up again gives exactly these.  A table a later
	 * migration adds is readable by all; what else a person may do with
	 * it is added here, by the same pattern (and a user column it has
	 * gets an invadj_author trigger). */
	"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, " GROUPS ";"
	"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, " GROUPS ";"
	"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC, " GROUPS ";"
	"GRANT SELECT ON ALL TABLES IN SCHEMA public TO " GROUPS ";"
	"GRANT INSERT ON ledger, events, batches TO " GROUPS ";"
	"GRANT INSERT ON counts, count_items, count_scans, count_ends TO " GROUPS ";"
	/* The report summaries are the server's (ledger_add_sums); an admin
	 * values them again when a unit cost changes, and the cost history
	 * is master data's. */
	"GRANT UPDATE (value, unvalued) ON report_items, report_days TO invadj_admin;"
	"GRANT INSERT, UPDATE ON item_costs TO invadj_admin;"
	"GRANT UPDATE (sha256, rows, posted, unchanged, first_id, last_id) ON batches TO " GROUPS ";"
	"GRANT INSERT, UPDATE ON stores, items, reasons TO invadj_admin;"
	"GRANT INSERT (name, role, pin_hash, created_at) ON users TO invadj_admin;"
	"GRANT UPDATE (role, disabled_at, disabled_by) ON users TO invadj_admin;"
	"GRANT INSERT (author_id, digest, rows) ON approvals TO invadj_supervisor, invadj_admin;"
	"GRANT USAGE ON SEQUENCE batches_id_seq, counts_id_seq, count_scans_id_seq TO " GROUPS ";"
	"GRANT EXECUTE ON FUNCTION invadj_ledger_ids(BIGINT) TO " GROUPS ";"
	"GRANT USAGE ON SEQUENCE approvals_id_seq TO invadj_supervisor, invadj_admin;"
	"GRANT USAGE ON SEQUENCE stores_id_seq, items_id_seq, reasons_id_seq, users_id_seq TO invadj_admin;"
	"GRANT EXECUTE ON FUNCTION invadj_person(TEXT), invadj_role_alter(TEXT, TEXT, BOOLEAN, TEXT),"
	" invadj_user_pin(BIGINT, TEXT, BIGINT, TEXT) TO " GROUPS ";"
	"GRANT EXECUTE ON FUNCTION invadj_role_create(TEXT, TEXT, TEXT, BOOLEAN) TO invadj_admin;"
	"RESET ROLE;";

iv_status pg_setup_version(pg_store *pg, int *version)
{
	PGresult *res;
	*version = 0;
	iv_status rc = pg_exec(pg, PQ_SETUP_EXISTS, NULL, &res, "reading the server's set-up");
	if (rc != IV_OK)
		return rc;
	bool exists = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!exists)
		return IV_OK;
	if ((rc = pg_exec(pg, PQ_SETUP_READ, NULL, &res, "reading the server's set-up")) != IV_OK)
		return rc;
	*version = PQntuples(res) > 0 ? (int)pg_int(res, 0, 0) : 0;
	PQclear(res);
	return IV_OK;
}

iv_status pg_setup(pg_store *pg)
{
	iv_status rc = pg_exec_text(pg, setup_as_admin, "setting up the server's roles");
	if (rc == IV_OK)
		rc = pg_exec_text(pg, setup_as_owner, "setting up the server's roles");
	if (rc == IV_OK) {
		char sql[64];
		snprintf(sql, sizeof sql, "UPDATE invadj_server SET setup = %d", PG_SETUP_VERSION);
		rc = pg_exec_text(pg, sql, "setting up the server's roles");
	}
	return rc;
}

iv_status pg_fill_search_keys(pg_store *pg)
{
	return store_fill_search_keys((store *)(void *)pg);
}

/* ---- roles ---- */

/* The SCRAM-SHA-256 verifier of a secret for a role, made here by libpq
 * (the server's iteration count), so that the secret itself never
 * crosses to the server.  Free with PQfreemem. */
static char *verifier(pg_store *pg, const char *name, const char *secret)
{
	char *v = PQencryptPasswordConn(pg->conn, secret, name, "scram-sha-256");
	if (!v)
		pg_failf(pg, IV_E_NOMEM, "the password could not be prepared for the server");
	return v;
}

iv_status pg_role_create(store *st, const char *name, iv_role role, const char *secret, bool login)
{
	pg_store *pg = pg_of(st);
	iv_status rc = pg_ready(pg);
	if (rc != IV_OK)
		return rc;
	char *v = verifier(pg, name, secret);
	if (!v)
		return IV_E_NOMEM;
	pg_params p = {0};
	pg_param_text(&p, name);
	pg_param_text(&p, store_role_text(role));
	pg_param_text(&p, v);
	pg_param_text(&p, login ? "true" : "false");
	rc = pg_exec(pg, PQ_ROLE_CREATE, &p, NULL, "creating the user's login on the server");
	PQfreemem(v);
	return rc;
}

iv_status pg_role_alter(store *st, const char *name, const store_role_change *c)
{
	pg_store *pg = pg_of(st);
	iv_status rc = pg_ready(pg);
	if (rc != IV_OK)
		return rc;
	char *v = NULL;
	if (c->secret && !(v = verifier(pg, name, c->secret)))
		return IV_E_NOMEM;
	pg_params p = {0};
	pg_param_text(&p, name);
	pg_param_text(&p, v);
	pg_param_text(&p, c->login < 0 ? NULL : c->login ? "true" : "false");
	pg_param_text(&p, c->role < 0 ? NULL : store_role_text((iv_role)c->role));
	rc = pg_exec(pg, PQ_ROLE_ALTER, &p, NULL, "changing the user's login on the server");
	if (v)
		PQfreemem(v);
	return rc;
}

iv_status pg_role_exists(store *st, const char *name, bool *exists)
{
	pg_params p = {0};
	pg_param_text(&p, name);
	PGresult *res;
	*exists = false;
	iv_status rc = pg_exec(pg_of(st), PQ_ROLE_EXISTS, &p, &res, "looking up a role");
	if (rc != IV_OK)
		return rc;
	*exists = PQntuples(res) > 0 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return IV_OK;
}

iv_status pg_role_revoke(store *st, const char *name)
{
	pg_params p = {0};
	pg_param_text(&p, name);
	return pg_exec(pg_of(st), PQ_ROLE_REVOKE, &p, NULL, "taking the terminal role's privileges");
}

iv_status pg_roles_start(store *st)
{
	return pg_exec(pg_of(st), PQ_ROLES_START, NULL, NULL, "starting per-person logins");
}

iv_status pg_approval_sign(store *st, int64_t author_id, const unsigned char *digest, uint64_t rows)
{
	pg_params p = {0};
	pg_param_int(&p, author_id);
	pg_param_bytes(&p, digest, STORE_HASH_LEN);
	pg_param_int(&p, (int64_t)rows);
	return pg_exec(pg_of(st), PQ_APPROVAL_SIGN, &p, NULL, "signing the approval");
}

/* ---- verify's pass ---- */

/* Each check gives the first fault as a row (who or which row, why). */
static iv_status server_fault(pg_store *pg, pg_query q, const char *what, const char *why)
{
	switch (q) {
	case PQ_CHECK_SECRETS:
		return pg_failf(pg, IV_E_CORRUPT,
		                "user %s has a PIN hash stored on the server (%s): the server keeps the "
		                "passwords, no table may",
		                what, why);
	case PQ_CHECK_APPROVALS:
		return pg_failf(pg, IV_E_CORRUPT, "ledger row #%s %s", what, why);
	default:
		return pg_failf(pg, IV_E_CORRUPT,
		                "user %s %s: the server's roles and the users table disagree (changed "
		                "outside invadj?)",
		                what, why);
	}
}

bool pg_sums_by_server(store *st)
{
	return pg_of(st)->sums_by_server;
}

iv_status pg_check_server(store *st)
{
	static const pg_query checks[] = {PQ_CHECK_SECRETS, PQ_CHECK_APPROVALS, PQ_CHECK_ROLES};
	pg_store *pg = pg_of(st);
	for (size_t k = 0; k < sizeof checks / sizeof checks[0]; k++) {
		PGresult *res;
		iv_status rc = pg_exec(pg, checks[k], NULL, &res, "checking the server's people");
		if (rc != IV_OK)
			return rc;
		if (PQntuples(res) > 0) {
			char what[200], why[200];
			pg_text(res, 0, 0, what, sizeof what);
			pg_text(res, 0, 1, why, sizeof why);
			PQclear(res);
			return server_fault(pg, checks[k], what, why);
		}
		PQclear(res);
	}
	return IV_OK;
}
