#!/bin/sh
# Each person is a role of the server (docs/deployment.md): the attacks of
# issue 10, made with psql as a clerk's and as a supervisor's own login,
# each refused by the server itself; and invadj working as those people,
# its approvals signed by the approver's own connection.
. tests/pg/lib.sh
db=$(pg_newdb roles)
name=${db##*/}
export INVADJ_DB="$db"
INVADJ_PIN=0000 "$INVADJ" init --admin admin --demo --data "$ROOT/data" >/dev/null || { echo "init failed"; exit 1; }
clerk=$(pg_uri "$name" clerk 1111)
super=$(pg_uri "$name" super 2222)
id_of() { db_sql "SELECT id FROM users WHERE name = '$1'"; }
CLERK_ID=$(id_of clerk) SUPER_ID=$(id_of super) ADMIN_ID=$(id_of admin)

# ---- invadj as the people themselves --------------------------------
INVADJ_PIN=1111 run 0 --user clerk adjust --store MAIN --item KB-100 --diff 2 --reason FI
INVADJ_PIN=1111 INVADJ_APPROVER_PIN=2222 run 0 --user clerk adjust --store MAIN --item MS-200 \
	--diff 600 --reason FI --approver super
check "the approval was signed by super's own login and used" "$SUPER_ID $CLERK_ID used" \
	"$(db_sql "SELECT approver_id || ' ' || author_id || ' ' || CASE WHEN used_at IS NOT NULL THEN 'used' END FROM approvals")"
INVADJ_PIN=1111 INVADJ_APPROVER_PIN=9999 run 5 --user clerk reverse 1 --approver super
check_contains "a wrong approver PIN is the server's refusal too" "Approver: wrong user name or PIN" "$err"
INVADJ_PIN=1111 INVADJ_APPROVER_PIN=2222 run 0 --user clerk reverse 1 --approver super
INVADJ_PIN=2222 run 0 --user super reverse 2
printf '**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo\nMAIN,KB-100,,3,FI,,up\nMAIN,MS-200,,700,FI,,big\n' >"$T/up.csv"
INVADJ_PIN=1111 INVADJ_APPROVER_PIN=2222 run 0 --user clerk upload "$T/up.csv" --rule delta --approver super
check "each approval used by exactly its rows" "3" "$(db_sql "SELECT count(*) FROM approvals WHERE used_at IS NOT NULL")"
check "the sums are the server's: balances follow the rows" \
	"$(db_sql "SELECT sum(diff) FROM ledger WHERE store_id = 1")" "$(db_sql "SELECT sum(qty) FROM balances WHERE store_id = 1")"
INVADJ_PIN=2222 run 0 --user super checkpoint
check_contains "a supervisor keeps checkpoint on a server (an event of that kind)" "checkpoint" \
	"$(db_sql "SELECT kind FROM events e JOIN users u ON u.id = e.user_id WHERE u.name = 'super' ORDER BY e.id DESC LIMIT 1")"
# Counts as the people: a clerk starts one and scans, a supervisor scans
# and posts it (each row in their own name).
INVADJ_PIN=1111 run 0 --user clerk count start --store MAIN
check "a clerk starts a count as themself" "1" "$out"
INVADJ_PIN=1111 run 0 --user clerk count add 1 --item KB-100
INVADJ_PIN=2222 run 0 --user super count add 1 --item MS-200
INVADJ_PIN=2222 run 0 --user super count post 1
check "each count row is its writer's" "clerk count|clerk scan|super end|super scan" \
	"$(db_sql "SELECT string_agg(w, '|' ORDER BY w) FROM (SELECT u.name || ' count' AS w FROM counts c JOIN users u ON u.id = c.user_id
		UNION ALL SELECT DISTINCT u.name || ' scan' FROM count_scans s JOIN users u ON u.id = s.user_id
		UNION ALL SELECT u.name || ' end' FROM count_ends e JOIN users u ON u.id = e.user_id) x")"
# A unit cost (an admin's on a server: master data), the report
# summaries valued again, a clerk's line at the new cost, a report.
printf 'ItemNumber,UnitCost\nKB-100,12.5\n' >"$T/cost.csv"
INVADJ_PIN=2222 run 5 --user super import items "$T/cost.csv"
INVADJ_PIN=0000 run 0 --user admin import items "$T/cost.csv"
INVADJ_PIN=1111 run 0 --user clerk adjust --store MAIN --item KB-100 --diff -1 --reason DMG
INVADJ_PIN=2222 run 0 --user super report adjustments --by store,reason --format csv
check_contains "a report as super, valued (the count's line too)" "MAIN,DMG,1,0,1,-1,-12.50" "$out"
run 0 verify

# On a server a PIN is a password: eight characters at least (the test
# build's shorter minimum is switched off here).
INVADJ_TEST_MIN_SECRET= INVADJ_PIN=0000 INVADJ_NEW_PIN=4321 run 2 --user admin user add erin --role clerk
check_contains "a four-digit PIN is refused on a server" "at least 8 characters on a PostgreSQL server" "$err"
INVADJ_TEST_MIN_SECRET= INVADJ_PIN=0000 INVADJ_NEW_PIN=erin-pin-1 run 0 --user admin user add erin --role clerk
check "erin is a login role in the clerks' group" "true invadj_clerk false" \
	"$(db_sql "SELECT r.rolcanlogin || ' ' || g.rolname || ' ' || r.rolcreaterole FROM pg_roles r
		JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname = 'erin'")"
check "her password is a SCRAM verifier on the server, no hash in any table" "SCRAM-SHA-256 0" \
	"$(db_sql "SELECT split_part(rolpassword, '\$', 1) FROM pg_authid WHERE rolname = 'erin'") $(db_sql "SELECT count(*) FROM users WHERE pin_hash <> ''")"
INVADJ_PIN=erin-pin-1 run 0 --user erin adjust --store MAIN --item KB-100 --diff 1 --reason FI
INVADJ_PIN=0000 run 0 --user admin user role erin supervisor
check "a role change moves her to the supervisors' group" "invadj_supervisor" \
	"$(db_sql "SELECT g.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid
		JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname = 'erin'")"
INVADJ_PIN=0000 run 0 --user admin user disable erin
check "disabling takes LOGIN away" "f" "$(db_sql "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'erin'")"
INVADJ_PIN=erin-pin-1 run 5 --user erin adjust --store MAIN --item KB-100 --diff 1 --reason FI
check_contains "a disabled person cannot log in" "wrong user name or PIN" "$err"
INVADJ_PIN=0000 run 0 --user admin user enable erin
INVADJ_TEST_MIN_SECRET= INVADJ_PIN=erin-pin-1 INVADJ_NEW_PIN=erin-pin-2 run 0 --user erin user pin
INVADJ_PIN=erin-pin-1 run 5 --user erin user list
INVADJ_PIN=erin-pin-2 run 0 --user erin user list
INVADJ_PIN=2222 run 5 --user super import stores "$ROOT/data/stores.csv"
check_contains "master data is an admin's on a server" "only an admin may import master data" "$err"
run 0 verify

# ---- the catalogue: who owns what, SECURITY DEFINER, search paths -----
check "every table and function is invadj_owner's" "0 0" \
	"$(db_sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'invadj_owner'") $(db_sql "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proowner <> 'invadj_owner'::regrole")"
check "SECURITY DEFINER only where a person must not hold the privilege" \
	"approvals_consume invadj_ledger_ids invadj_user_pin ledger_add_sums ledger_check_approvals" \
	"$(db_sql "SELECT string_agg(proname, ' ' ORDER BY proname) FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prosecdef")"
check "every function's search path is fixed, pg_temp last" "0" \
	"$(db_sql "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
		AND NOT coalesce('search_path=public, pg_temp' = ANY (proconfig), false)")"
check "no person nor PUBLIC may create in the schema" "f f f" \
	"$(db_sql "SELECT string_agg(has_schema_privilege(r, 'public', 'CREATE')::text, ' ' ORDER BY r)
		FROM unnest(ARRAY['clerk', 'super', 'public']) r" 2>&1 | tr -d '\n' | sed 's/true/t/g; s/false/f/g')"

# An admin who made themself the schema's owner (CREATEROLE allows it on
# PostgreSQL 15: docs/deployment.md), or a clerk given CREATEROLE, is
# named by verify.
psql_as "$ADMIN_URI" "GRANT invadj_owner TO admin" >/dev/null
run 8 verify
check_contains "verify names an admin acting as the owner" "user admin can act as invadj_owner" "$err"
psql_as "$ADMIN_URI" "REVOKE invadj_owner FROM admin" >/dev/null
psql_as "$ADMIN_URI" "ALTER ROLE clerk CREATEROLE" >/dev/null
run 8 verify
check_contains "verify names a clerk who may create roles" "user clerk is a clerk, but their role may create roles" "$err"
psql_as "$ADMIN_URI" "ALTER ROLE clerk NOCREATEROLE" >/dev/null
run 0 verify

# ---- the attacks, through psql, as the people's own logins -----------
# refused NAME URI SQL: the server refuses SQL (an error, no result).
refused() {
	res=$(psql_as "$2" "$3")
	case "$res" in
	*ERROR:*) ok ;;
	*) fail "$1: not refused: $3"; echo "  got: $res" ;;
	esac
}
tables="stores:code items:number reasons:code users:name batches:rows events:state ledger:memo
	balances:qty day_totals:diff user_days:diff approvals:rows approval_claims:txid approval_txns:txid
	login_failures:failures invadj_schema:version invadj_server:setup
	counts:memo count_items:item_id count_scans:qty count_ends:status item_costs:unit_cost"
for who in clerk super; do
	eval uri=\$$who
	# Read any secret: the server's password verifiers are its own, and
	# no table of invadj's holds one.
	refused "$who reads the password verifiers" "$uri" "SELECT rolpassword FROM pg_authid"
	refused "$who reads pg_shadow" "$uri" "SELECT passwd FROM pg_shadow"
	refused "$who reads the server's files" "$uri" "SELECT pg_read_file('pg_hba.conf')"
	check "$who finds no secret in invadj's tables" "0" "$(psql_as "$uri" "SELECT count(*) FROM users WHERE pin_hash <> ''")"
	# Create or change a user.
	refused "$who creates a role" "$uri" "CREATE ROLE mallory LOGIN PASSWORD 'mallory-1'"
	refused "$who adds a user" "$uri" "INSERT INTO users(name, role, pin_hash, created_at) VALUES ('mallory', 'admin', '', 'x')"
	refused "$who sets the admin's password" "$uri" "ALTER ROLE admin PASSWORD 'owned-now'"
	refused "$who creates a role through invadj's function" "$uri" \
		"SELECT invadj_role_create('mallory', 'admin', 'SCRAM-SHA-256\$4096:x', true)"
	refused "$who alters the admin through invadj's function" "$uri" \
		"SELECT invadj_role_alter('admin', 'SCRAM-SHA-256\$4096:x', NULL, NULL)"
	refused "$who records a PIN change for the admin" "$uri" \
		"SELECT invadj_user_pin($ADMIN_ID, '', $ADMIN_ID, 'x')"
	refused "$who stores a PIN hash" "$uri" "SELECT invadj_user_pin((SELECT id FROM users WHERE name = '$who'), '\$argon2id\$x', (SELECT id FROM users WHERE name = '$who'), 'x')"
	# Change a role.
	refused "$who joins the admins" "$uri" "GRANT invadj_admin TO $who"
	refused "$who becomes the owner" "$uri" "SET ROLE invadj_owner"
	refused "$who changes a role in the table" "$uri" "UPDATE users SET role = 'admin' WHERE name = '$who'"
	refused "$who changes their group through invadj's function" "$uri" "SELECT invadj_role_alter('$who', NULL, NULL, 'admin')"
	# UPDATE, DELETE, TRUNCATE any table.
	for tc in $tables; do
		t=${tc%%:*} c=${tc#*:}
		refused "$who updates $t" "$uri" "UPDATE $t SET $c = $c"
		refused "$who deletes from $t" "$uri" "DELETE FROM $t"
		refused "$who truncates $t" "$uri" "TRUNCATE $t"
	done
	# The report summaries are the server's (a trigger on the ledger
	# keeps them): no person writes one.
	for t in report_items report_days; do
		refused "$who updates $t" "$uri" "UPDATE $t SET removed = removed + 5"
		refused "$who inserts into $t" "$uri" \
			"INSERT INTO $t SELECT * FROM $t LIMIT 1 ON CONFLICT DO NOTHING"
		refused "$who deletes from $t" "$uri" "DELETE FROM $t"
		refused "$who truncates $t" "$uri" "TRUNCATE $t"
	done
	# The schema and its triggers.
	refused "$who creates a table" "$uri" "CREATE TABLE public.evil (i int)"
	refused "$who replaces a function" "$uri" \
		"CREATE OR REPLACE FUNCTION public.ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RETURN NULL; END \$\$"
	refused "$who drops a trigger" "$uri" "DROP TRIGGER ledger_author ON ledger"
	refused "$who disables a trigger" "$uri" "ALTER TABLE ledger DISABLE TRIGGER ledger_approvals"
	refused "$who drops the ledger" "$uri" "DROP TABLE ledger"
done

# A ledger row in another person's name, and other rows in others' names.
row() { # row ID_OFFSET USER_ID APPROVED_BY HASH_SQL: a ledger row after the last
	echo "INSERT INTO ledger SELECT max(id) + $1, max(id) + $1, 1, 1, 1, 5, '2026-06-15',
		'2026-06-15T12:00:00.000Z', $2, $3, NULL, NULL, 'psql', $4,
		(SELECT max(seq) + $1 FROM ledger WHERE store_id = 1), 'KB-100', 2 FROM ledger"
}
refused "clerk writes a ledger row in admin's name" "$clerk" "$(row 1 "$ADMIN_ID" NULL "'\\x00'")"
refused "super writes a ledger row in clerk's name" "$super" "$(row 1 "$CLERK_ID" NULL "'\\x00'")"
refused "clerk writes an event in admin's name" "$clerk" \
	"INSERT INTO events SELECT max(id) + 1, max(seq) + 1, 'batch', 1, '1', 'add', '', 'x', $ADMIN_ID, 2, '\\x00' FROM events"
refused "clerk records a change of a store (an admin's)" "$clerk" \
	"INSERT INTO events SELECT max(id) + 1, max(seq) + 1, 'store', 1, 'MAIN', 'change', '', 'x', $CLERK_ID, 2, '\\x00' FROM events"
refused "clerk records a checkpoint (a supervisor's or admin's)" "$clerk" \
	"INSERT INTO events SELECT max(id) + 1, max(seq) + 1, 'checkpoint', 0, '', 'add', '', 'x', $CLERK_ID, 2, '\\x00' FROM events"
refused "clerk starts a batch in super's name" "$clerk" \
	"INSERT INTO batches(file_name, sha256, rule, user_id, recorded_at, rows, posted, unchanged, first_id) VALUES ('f', 'x', 'delta', $SUPER_ID, 'x', 0, 0, 0, 1)"
# Counts: a count, a scan or an end in another's name; items added to
# another's count; a clerk ending another's count.
INVADJ_PIN=2222 run 0 --user super count start --store MAIN --memo super
scount=$out
refused "clerk starts a count in super's name" "$clerk" \
	"INSERT INTO counts SELECT max(id) + 1, 1, 0, 'all', '', $SUPER_ID, 'x', '2026-06-15', 0 FROM counts"
refused "clerk scans in super's name" "$clerk" \
	"INSERT INTO count_scans SELECT max(id) + 1, $scount, 1, 'add', 5, NULL, NULL, $SUPER_ID, 'x' FROM count_scans"
refused "clerk adds an item to super's count" "$clerk" "INSERT INTO count_items VALUES ($scount, 1)"
refused "clerk cancels super's count" "$clerk" \
	"INSERT INTO count_ends VALUES ($scount, 'cancelled', NULL, 0, 0, $CLERK_ID, 'x')"
refused "clerk ends a count in super's name" "$clerk" \
	"INSERT INTO count_ends VALUES ($scount, 'cancelled', NULL, 0, 0, $SUPER_ID, 'x')"
check "super's count is still open, as super left it" "0 0" \
	"$(db_sql "SELECT (SELECT count(*) FROM count_ends WHERE count_id = $scount) || ' ' || (SELECT count(*) FROM count_scans WHERE count_id = $scount)")"
# An "approved" row without an approval, and approving one's own line.
refused "clerk writes a row approved by super, who signed nothing" "$clerk" "$(row 1 "$CLERK_ID" "$SUPER_ID" "'\\x01'")"
refused "clerk approves their own row" "$clerk" "$(row 1 "$CLERK_ID" "$CLERK_ID" "'\\x02'")"
refused "clerk signs an approval" "$clerk" \
	"INSERT INTO approvals(author_id, digest, rows) VALUES ($CLERK_ID, sha256('\\x03'), 1)"
refused "super signs an approval for their own rows" "$super" \
	"INSERT INTO approvals(author_id, digest, rows) VALUES ($SUPER_ID, sha256('\\x03'), 1)"
# Temporary tables standing in for invadj's: the functions' search path
# puts pg_temp last, so they are never read.
refused "clerk's temporary stores let a row past the reference check" "$clerk" \
	"CREATE TEMP TABLE stores (id bigint); INSERT INTO pg_temp.stores VALUES (999);
	$(row 1 "$CLERK_ID" NULL "'\\x04'" | sed 's/SELECT max(id) + 1, max(id) + 1, 1,/SELECT max(id) + 1, max(id) + 1, 999,/')"
refused "clerk's temporary users make them an admin for the events' check" "$clerk" \
	"CREATE TEMP TABLE users (id bigint, name text, role text, disabled_at text);
	INSERT INTO pg_temp.users VALUES ($CLERK_ID, 'clerk', 'admin', NULL);
	INSERT INTO events SELECT max(id) + 1, max(seq) + 1, 'store', 1, 'MAIN', 'change', '', 'x', $CLERK_ID, 2, '\\x00' FROM events"
check "nothing of it was written" "0" "$(db_sql "SELECT count(*) FROM ledger WHERE memo = 'psql'")"
run 0 verify

# The summaries a person cannot write are still checked by verify: one
# changed by the owner (as a superuser could) is named, and its fix
# verifies again.
db_sql "UPDATE report_days SET removed = removed + 5 WHERE store_id = 1" >/dev/null
run 8 verify
check_contains "verify names a report summary changed behind invadj's back" "report" "$err"
db_sql "UPDATE report_days SET removed = removed - 5 WHERE store_id = 1" >/dev/null
run 0 verify

# Reusing an approval: super signs one for a row of clerk's (by its
# hash); the row with that hash is taken once, and never again.
hash="'\\x$(printf '%064d' 7)'"
psql_as "$super" "INSERT INTO approvals(author_id, digest, rows) VALUES ($CLERK_ID, sha256($hash::bytea), 1)" >/dev/null
check "the row super approved goes in once" "" "$(psql_as "$clerk" "$(row 1 "$CLERK_ID" "$SUPER_ID" "$hash")")"
refused "clerk reuses super's approval" "$clerk" "$(row 1 "$CLERK_ID" "$SUPER_ID" "$hash")"
check "one approval, used by one row" "1" \
	"$(db_sql "SELECT count(*) FROM approval_claims c JOIN ledger l ON l.id = c.ledger_id WHERE l.memo = 'psql'")"
finish
