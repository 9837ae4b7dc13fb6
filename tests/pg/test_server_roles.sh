#!/bin/sh
# An older deployment on a server (one terminal role shared by every
# till, PIN hashes in the users table: tests/fixtures/schema5-terminal-pg.sql
# and pg-terminal-roles.sql) moves to a login of their own for every
# person with `invadj server roles`, run by the server's administrator:
# one-time passwords printed once, PIN hashes cleared (a reset each, in
# the admin's name), the terminal role left with no privilege, and the
# ledger verifies, its earlier approved rows too.
. tests/pg/lib.sh
db=$(pg_newdb oldterm)
name=${db##*/}
term=ivterm_$$
psql -qX "$ADMIN_URI" -c "SET client_min_messages = error" -c "DROP ROLE IF EXISTS $term" \
	-c "CREATE ROLE $term LOGIN PASSWORD 'terminal-secret'" >/dev/null
trap 'for d in $DBS; do psql -qX "$ADMIN_URI" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1; done; pg_drop_people; psql -qX "$ADMIN_URI" -c "DROP ROLE IF EXISTS $term" >/dev/null 2>&1; rm -rf "$T"' EXIT
psql -qX -v ON_ERROR_STOP=1 "$db" -f "$ROOT/tests/fixtures/schema5-terminal-pg.sql" >/dev/null 2>&1 ||
	{ echo "cannot load the fixture"; exit 1; }
psql -qX -v ON_ERROR_STOP=1 "$db" -v terminal="$term" -f "$ROOT/tests/fixtures/pg-terminal-roles.sql" >/dev/null
termuri=$(pg_uri "$name" "$term" terminal-secret)
unset INVADJ_TEST_MIN_SECRET # the one-time passwords are long enough anyway

# Before: the terminal role reads every PIN hash (the issue's finding),
# and this invadj will not work on the old deployment.
check "the old terminal role reads PIN hashes" "4" \
	"$(psql_as "$termuri" "SELECT count(*) FROM users WHERE pin_hash LIKE '\$argon2id\$%'")"
run 7 --db "$termuri" balance --store MAIN
check_contains "the old deployment is named as such" "was made by an older invadj" "$err"
INVADJ_PIN=1111 run 5 --db "$termuri" --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
check_contains "nobody logs in (clerk has no login of their own yet)" "wrong user name or PIN" "$err"

# The move, by the server's administrator (the test's superuser URI).
export INVADJ_DB="$db"
run 1 server roles
check_contains "an admin is named" "--admin NAME is required" "$err"
run 2 server roles --admin clerk
check_contains "... an admin" "clerk is not an enabled admin" "$err"
run 0 server roles --admin admin --revoke "$term" --format csv
check "one line a user, a one-time password each" "4" "$(echo "$out" | grep -cE '^[a-z]+,[a-z]+,(yes|no \(disabled\)),[a-z2-9]{12}$')"
pw() { echo "$out" | awk -F, -v n="$1" '$1 == n { print $4 }'; }
pw_admin=$(pw admin) pw_clerk=$(pw clerk) pw_super=$(pw super) pw_dora=$(pw dora)
check_contains "the disabled user's role may not log in" "dora,clerk,no (disabled)," "$out"
check "no PIN hash left on the server" "0" "$(db_sql "SELECT count(*) FROM users WHERE pin_hash <> ''")"
check "each role in its group, LOGIN but dora" \
	"admin invadj_admin yes|clerk invadj_clerk yes|dora invadj_clerk no|super invadj_supervisor yes" \
	"$(db_sql "SELECT string_agg(r.rolname || ' ' || g.rolname || ' ' ||
		CASE WHEN r.rolcanlogin THEN 'yes' ELSE 'no' END, '|' ORDER BY r.rolname)
		FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid
		WHERE r.rolname IN ('admin', 'clerk', 'super', 'dora')")"
run 0 verify
check_contains "the moved ledger verifies, its earlier approved row too" "ok: 17 ledger rows" "$out"
# Every reset is in the users' history, in the admin's name.
INVADJ_PIN=$pw_admin run 0 --user admin user list --history clerk --format csv
check_contains "the reset is clerk's history" ",pin-reset,admin," "$out"

# The old terminal role: nothing any more.
for sql in "SELECT count(*) FROM ledger" "SELECT pin_hash FROM users" \
	"INSERT INTO login_failures VALUES ('x', 0, 0, 0, 0)"; do
	res=$(psql_as "$termuri" "$sql")
	case "$res" in
	*"permission denied"*) ok ;;
	*) fail "the revoked terminal role still may: $sql"; echo "  got: $res" ;;
	esac
done

# The people: old PINs are gone, the one-time passwords work once set.
INVADJ_PIN=1111 run 5 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
INVADJ_PIN=$pw_clerk INVADJ_NEW_PIN=clerk-own-pin run 0 --user clerk user pin
INVADJ_PIN=$pw_clerk run 5 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
INVADJ_PIN=clerk-own-pin run 0 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
INVADJ_PIN=clerk-own-pin INVADJ_APPROVER_PIN=$pw_super run 0 --user clerk adjust --store MAIN \
	--item MS-200 --diff 600 --reason FI --approver super
check "an approval signed by super's own login, used" "1" \
	"$(db_sql "SELECT count(*) FROM approvals a JOIN users u ON u.id = a.approver_id WHERE u.name = 'super' AND a.used_at IS NOT NULL")"
INVADJ_PIN=$pw_dora run 5 --user dora adjust --store MAIN --item KB-100 --diff 1 --reason FI
run 0 verify

# A later invadj whose set-up is newer: a person's login cannot bring it
# up to date, and says who can; the administrator's run does.
db_sql "UPDATE invadj_server SET setup = 0" >/dev/null
INVADJ_PIN=clerk-own-pin run 7 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
check_contains "a person does not set the server up" "its administrator runs \`invadj server roles\`" "$err"

# Again: nothing new to make, the same people kept; still verifies.
run 0 server roles --admin admin --format csv
check "a second run keeps every role" "4" "$(echo "$out" | grep -c ',(their role was there: kept)$')"
INVADJ_PIN=clerk-own-pin run 0 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
run 0 verify
finish
