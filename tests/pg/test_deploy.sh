#!/bin/sh
# docs/deployment.md's set-up, step by step, on the throw-away server:
# its superuser runs docs/pg-roles.sql (a database administrator who may
# create roles and owns the database, no superuser), the administrator
# runs `invadj init`, the first admin (a person, their own login) adds a
# clerk and a supervisor, who work as themselves; the administrator's
# verify passes; nobody but the groups may connect.
. tests/pg/lib.sh
dba=ivdba_$$ name=ivpg_$$_deploy
trap 'psql -qX "$ADMIN_URI" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1; pg_drop_people;
	psql -qX "$ADMIN_URI" -c "SET client_min_messages = error" -c "DROP OWNED BY $dba" -c "DROP ROLE IF EXISTS $dba" -c "DROP ROLE IF EXISTS ivnobody_$$" >/dev/null 2>&1; rm -rf "$T"' EXIT
psql -qX -v ON_ERROR_STOP=1 "$ADMIN_URI" -v dba="$dba" -v database="$name" -f "$ROOT/docs/pg-roles.sql" >/dev/null ||
	{ echo "docs/pg-roles.sql failed"; exit 1; }
psql -qX "$ADMIN_URI" -c "ALTER ROLE $dba PASSWORD 'dba-secret-1'" -c "CREATE ROLE ivnobody_$$ LOGIN PASSWORD 'nobody-secret'" >/dev/null
check "the administrator is no superuser, may create roles" "false true" \
	"$(psql -qXAt "$ADMIN_URI" -c "SELECT rolsuper || ' ' || rolcreaterole FROM pg_roles WHERE rolname = '$dba'")"
export INVADJ_DB="$(pg_uri "$name" "$dba" dba-secret-1)"
unset INVADJ_TEST_MIN_SECRET # the real minimum: eight characters

INVADJ_PIN=alice-pin-1 run 0 init --admin alice
INVADJ_PIN=alice-pin-1 INVADJ_NEW_PIN=carl-pin-1 run 0 --user alice user add carl --role clerk
INVADJ_PIN=alice-pin-1 INVADJ_NEW_PIN=sue-pin-12 run 0 --user alice user add sue --role supervisor
INVADJ_PIN=alice-pin-1 run 0 --user alice import stores "$ROOT/data/stores.csv"
INVADJ_PIN=alice-pin-1 run 0 --user alice import items "$ROOT/data/items.csv"
INVADJ_PIN=alice-pin-1 run 0 --user alice import reasons "$ROOT/data/reasons.csv"
INVADJ_PIN=carl-pin-1 run 0 --user carl adjust --store MAIN --item KB-100 --diff 5 --reason FI
INVADJ_PIN=carl-pin-1 INVADJ_APPROVER_PIN=sue-pin-12 run 0 --user carl adjust --store MAIN \
	--item KB-100 --diff 900 --reason FI --approver sue
INVADJ_PIN=carl-pin-1 INVADJ_APPROVER_PIN=carl-pin-1 run 5 --user carl adjust --store MAIN \
	--item KB-100 --diff 900 --reason FI --approver carl
run 0 verify
check_contains "the administrator's verify sees both rows" "ok: 2 ledger rows" "$out"
check "every table is invadj_owner's" "0" \
	"$(psql -qXAt "$(pg_uri "$name")" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'invadj_owner'" 2>&1)"
nobody=$(pg_uri "$name" "ivnobody_$$" nobody-secret)
check_contains "a login of the server that is nobody of invadj's may not even connect" "permission denied" \
	"$(psql_as "$nobody" "SELECT 1")"
res=$(psql_as "$(pg_uri "$name" carl carl-pin-1)" "CREATE TEMP TABLE stores (id bigint)")
check_contains "a person may not make temporary tables in the database" "permission denied" "$res"
finish
