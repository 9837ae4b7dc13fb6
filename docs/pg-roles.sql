-- Privileges for terminals on a PostgreSQL invadj database.
-- Run as the database owner (the role that ran `invadj init`), after
-- init, in the invadj database:
--
--   psql 'postgresql://owner@db.example.com/invadj' -v terminal=invadj_terminal -f docs/pg-roles.sql
--
-- The terminal role (created beforehand: CREATE ROLE invadj_terminal
-- LOGIN PASSWORD '...') may read everything and add ledger rows, and
-- may never change or remove one: it has no UPDATE, DELETE or TRUNCATE
-- on `ledger` or `events`, and as it owns nothing it can neither drop
-- nor disable the append-only triggers.  It adds the events that record
-- every change of master data and users.  It keeps the summary tables
-- (balances, day totals, users' day totals, the report summaries and
-- the items' cost history), batch counts and login counters up to
-- date, which needs
-- UPDATE there; `invadj verify` recomputes those from the ledger, so a
-- change made to them by hand is found.  Master data (stores, items,
-- reasons) and users are written by invadj's own supervisors and admins
-- from any terminal, hence INSERT and UPDATE on them; of a user, a
-- terminal may change the PIN (`invadj user pin`) and whether the user
-- is disabled, never the name or the role (`invadj user role` is run as
-- the owner).  (The role may insert ledger rows naming any user, so a
-- PIN it could not change would protect nothing the database does not
-- already trust it with; and `invadj verify` finds any change to these
-- tables that no event records.)
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"terminal";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"terminal";
GRANT INSERT ON ledger, events TO :"terminal";
GRANT INSERT, UPDATE ON balances, day_totals, user_days TO :"terminal";
GRANT INSERT, UPDATE ON item_costs, report_items, report_days TO :"terminal";
GRANT INSERT ON batches TO :"terminal";
GRANT UPDATE (sha256, rows, posted, unchanged, last_id) ON batches TO :"terminal";
GRANT INSERT, UPDATE ON stores, items, reasons TO :"terminal";
GRANT INSERT ON users TO :"terminal";
GRANT UPDATE (pin_hash, disabled_at, disabled_by, pin_set_at, pin_set_by)
  ON users TO :"terminal";
-- Wrong-PIN counters, by the name as typed; no DELETE: only the owner
-- unlocks a name (`invadj user unlock NAME` run as the owner role).
GRANT INSERT, UPDATE ON login_failures TO :"terminal";
-- Counts: rows are added, never changed (triggers refuse UPDATE, DELETE
-- and TRUNCATE, and anything added to a count that ended), as the
-- ledger's; a terminal adds counts, their lists, scans and ends.
GRANT INSERT ON counts, count_items, count_scans, count_ends TO :"terminal";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO :"terminal";
