#!/bin/sh
# A schema-2 database on a PostgreSQL server, made by the invadj before
# schema 3 (tests/fixtures/schema2-pg.sql, from pg_dump), is brought
# forward in place (to schema 9) by its administrator, with `invadj
# server roles`, which also gives its users logins of their own: its
# rows keep their version-1 hashes, its master data gets a history, new
# rows chain on per store, and it moves to a SQLite file with the same
# head.
. tests/pg/lib.sh
IVCHAIN="python3 $ROOT/tests/cli/ivchain.py"
db=$(pg_newdb upgrade)
psql -qX -v ON_ERROR_STOP=1 "$db" -f "$ROOT/tests/fixtures/schema2-pg.sql" >/dev/null 2>&1 || { echo "cannot load the fixture"; exit 1; }
export INVADJ_DB="$db"
before=$(psql -qXAt "$db" -c "SELECT string_agg(encode(hash, 'hex'), ',' ORDER BY id) FROM ledger")

run 7 verify
check_contains "verify does not upgrade" "older invadj" "$err"
INVADJ_PIN=9999 run 5 --user super user list
check_contains "nobody logs in before the move" "wrong user name or PIN" "$err"
run 0 server roles --admin admin --format csv
super_pin=$(echo "$out" | awk -F, '$1 == "super" { print $4 }')
INVADJ_PIN=$super_pin run 0 --user super user list
run 0 verify
check_contains "the migrated database verifies" "ok: 20 ledger rows in 3 store chains, 28 events" "$out"
check "schema 9" "9" "$(psql -qXAt "$db" -c "SELECT version FROM invadj_schema")"
sums=$(psql -qXAt "$db" -c "SELECT sum(CASE WHEN diff > 0 THEN diff ELSE 0 END) || ',' || sum(CASE WHEN diff < 0 THEN -diff ELSE 0 END) || ',' || sum(diff) FROM ledger")
INVADJ_PIN=$super_pin run 0 --user super report adjustments --by month --from 2026-06-01 --with-reversed --format csv
check "the report summaries hold the old rows, none valued" "Month,Lines,Added,Removed,Net,Value
2026-06,20,$sums," "$out"
check "the items got their search keys on the way" "0" "$(psql -qXAt "$db" -c "SELECT count(*) FROM items WHERE search_key IS NULL")"
check "the rows keep their hashes" "$before" "$(psql -qXAt "$db" -c "SELECT string_agg(encode(hash, 'hex'), ',' ORDER BY id) FROM ledger")"
check "each store's rows are numbered in id order" "0" "$(psql -qXAt "$db" -c "SELECT count(*) FROM (SELECT seq, row_number() OVER (PARTITION BY store_id ORDER BY id) AS n FROM ledger) x WHERE seq <> n")"
check "the update trigger is back on, always" "A" "$(psql -qXAt "$db" -c "SELECT tgenabled FROM pg_trigger WHERE tgname = 'ledger_no_update'")"

INVADJ_PIN=$super_pin "$INVADJ" --user super adjust --store MAIN --item KB-100 --diff 4 --reason FI >/dev/null
INVADJ_PIN=$super_pin "$INVADJ" --user super reverse 5 >/dev/null
run 0 verify
check_contains "old and new rows verify together" "ok: 22 ledger rows" "$out"
head=${out##* }
"$INVADJ" export --raw "$T/ledger.csv" >/dev/null
check "an auditor recomputes both versions from the export" "22 rows, every hash and link holds" \
	"$($IVCHAIN audit "$T/ledger.csv")"

INVADJ_NEW_PIN=0000 run 0 migrate --from "$db" --to "$T/copy.db" --admin admin
check_contains "it moves to a file, events and all" "verified on both sides; head $head" "$out"
# (the file's one change: the admin's first PIN there, an event more)
run 0 --db "$T/copy.db" verify
check_contains "the file verifies, the admin's PIN event added" "ok: 22 ledger rows in 3 store chains, 29 events" "$out"
finish
