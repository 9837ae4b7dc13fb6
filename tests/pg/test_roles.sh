#!/bin/sh
# The deployment's security set-up (docs/deployment.md, docs/pg-roles.sql):
# terminals log in as a role that may add ledger rows and read, and the
# server itself refuses that role any UPDATE, DELETE or TRUNCATE of the
# ledger and any change to its triggers, while invadj works as usual.
. tests/pg/lib.sh
db=$(pg_newdb roles)
name=${db##*/}
psql -qX "$ADMIN_URI" -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS ivterm_$$" \
	-c "CREATE ROLE ivterm_$$ LOGIN" >/dev/null
trap 'for d in $DBS; do psql -qX "$ADMIN_URI" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1; done; psql -qX "$ADMIN_URI" -c "DROP ROLE IF EXISTS ivterm_$$" >/dev/null 2>&1; rm -rf "$T"' EXIT

# The owner creates the schema and the demo data, then grants.
INVADJ_PIN=0000 "$INVADJ" --db "$db" init --admin admin --demo --data "$ROOT/data" >/dev/null
psql -qX -v ON_ERROR_STOP=1 "$db" -v terminal="ivterm_$$" -f docs/pg-roles.sql >/dev/null
check "roles script applied" "0" "$?"
term=$(pg_uri "$name" "ivterm_$$")

# invadj works as the terminal role: adjust, reverse, upload, user add, import, verify.
export INVADJ_DB="$term"
INVADJ_PIN=1111 "$INVADJ" --user clerk adjust --store MAIN --item KB-100 --diff 2 --reason FI >"$T/o" 2>&1
check_contains "a clerk saves as the terminal role" "KB-100" "$(cat "$T/o")"
INVADJ_PIN=2222 "$INVADJ" --user super reverse 1 >"$T/o" 2>&1
check "a supervisor reverses as the terminal role" "0" "$?"
printf '**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo\nMAIN,KB-100,,3,FI,,up\n' >"$T/up.csv"
INVADJ_PIN=2222 "$INVADJ" --user super upload "$T/up.csv" --rule delta >"$T/o" 2>&1
check "an upload posts as the terminal role" "0" "$?"
INVADJ_NEW_PIN=4321 INVADJ_PIN=0000 "$INVADJ" --user admin user add erin --role clerk >"$T/o" 2>&1
check "an admin adds a user as the terminal role" "0" "$?"
INVADJ_NEW_PIN=5678 INVADJ_PIN=4321 "$INVADJ" --user erin user pin >"$T/o" 2>&1
check "a user sets their own PIN as the terminal role" "0" "$?"
INVADJ_PIN=0000 "$INVADJ" --user admin user disable erin >"$T/o" 2>&1
check "an admin disables a user as the terminal role" "0" "$?"
INVADJ_PIN=5678 "$INVADJ" --user erin adjust --store MAIN --item KB-100 --diff 1 --reason FI >"$T/o" 2>&1
check_contains "the disabled user cannot log in" "disabled" "$(cat "$T/o")"
INVADJ_PIN=1111 "$INVADJ" --user clerk count start --store MAIN >"$T/o" 2>&1
check "a clerk starts a count as the terminal role" "1" "$(cat "$T/o")"
INVADJ_PIN=1111 "$INVADJ" --user clerk count add 1 --item KB-100 >"$T/o" 2>&1
check "a scan as the terminal role" "0" "$?"
INVADJ_PIN=2222 "$INVADJ" --user super count post 1 >"$T/o" 2>&1
check "a count posts as the terminal role" "0" "$?"
# A unit cost (the cost history, the report summaries valued again) and a report.
printf 'ItemNumber,UnitCost\nKB-100,12.5\n' >"$T/cost.csv"
INVADJ_PIN=2222 "$INVADJ" --user super import items "$T/cost.csv" >"$T/o" 2>&1
check "a supervisor sets a unit cost as the terminal role" "0" "$?"
INVADJ_PIN=1111 "$INVADJ" --user clerk adjust --store MAIN --item KB-100 --diff -1 --reason DMG >"$T/o" 2>&1
check "a clerk's line at the new cost" "0" "$?"
INVADJ_PIN=2222 run 0 --user super report adjustments --by store,reason --format csv
check_contains "a report as the terminal role, valued (the count's line too)" "MAIN,CC,1,0,4,-4,-50.00
MAIN,DMG,1,0,1,-1,-12.50" "$out"
run 0 verify

# Wrong PINs are counted as the terminal role (login_failures), but only
# the owner role unlocks a name: the terminals' role may not delete.
for k in 1 2 3 4; do INVADJ_PIN=9999 "$INVADJ" --user admin user list >/dev/null 2>&1; done
INVADJ_PIN=0000 run 5 --user admin user list
run 5 user unlock admin
check_contains "the terminal role cannot unlock" "only the database's owner may unlock a login" "$err"
run 0 --db "$db" user unlock admin
INVADJ_PIN=0000 run 0 --user admin user list

# What the terminal role cannot do, whatever it tries.
for sql in "UPDATE ledger SET diff = 1000 WHERE id = 1" "DELETE FROM ledger WHERE id = 1" \
	"TRUNCATE ledger" "DROP TRIGGER ledger_no_update ON ledger" \
	"ALTER TABLE ledger DISABLE TRIGGER ledger_no_delete" "DROP TABLE ledger" \
	"CREATE OR REPLACE FUNCTION ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RETURN NULL; END \$\$" \
	"UPDATE users SET role = 'admin' WHERE name = 'clerk'" "UPDATE users SET name = 'x' WHERE name = 'clerk'" \
	"UPDATE count_scans SET qty = 9" "DELETE FROM count_ends" "TRUNCATE count_scans"; do
	res=$(psql_as "$term" "$sql")
	case "$res" in
	*"permission denied"* | *"must be owner"*) ok ;;
	*) fail "not refused to the terminal role: $sql"; echo "  got: $res" ;;
	esac
done
check "the ledger is whole" "" "$(psql -qXAt "$db" -c "SELECT 1 FROM ledger WHERE id = 1 AND diff <> 100")"
run 0 verify
# The owner is stopped by the triggers instead (tested in test_verify).
res=$(psql_as "$db" "DELETE FROM ledger WHERE id = 1")
check_contains "even the owner's DELETE is refused" "append-only" "$res"

# A summary table changed by hand is found by verify.
psql -qX "$term" -c "UPDATE balances SET qty = qty + 1 WHERE store_id = 1 AND item_id = 1" >/dev/null
run 8 verify
check_contains "verify finds a changed balance" "balance" "$err"
finish
