#!/bin/sh
# invadj migrate: a store's SQLite ledger onto a PostgreSQL server, with
# the same ids, hashes, balances and history on both sides.
. tests/pg/lib.sh
demo_db
export INVADJ_DB="$T/inventory.db"
# Rows that exercise the copy: a memo with a tab, a backslash and a quote,
# a reversal with its approver, and an upload batch.
memo=$(printf 'tab\there \\ back "quoted"')
INVADJ_PIN=1111 "$INVADJ" --user clerk adjust --store MAIN --item KB-100 --diff 5 --reason FI --memo "$memo" >/dev/null
INVADJ_PIN=2222 "$INVADJ" --user super reverse 10 >/dev/null
printf '**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo\nMAIN,KB-100,,3,FI,,up\nMALL,MS-200,,2,FI,,up\n' >"$T/up.csv"
INVADJ_PIN=2222 "$INVADJ" --user super upload "$T/up.csv" --rule delta >/dev/null
run 0 verify
src_head=${out##* }

target=$(pg_newdb target)
run 0 migrate --from "$T/inventory.db" --to "$target"
check_contains "migrate reports the copy" "verified on both sides; head $src_head" "$out"
run 0 --db "$target" verify
check "same head hash on the server" "$src_head" "${out##* }"
check "same balances" "$("$INVADJ" balance --format csv)" "$("$INVADJ" --db "$target" balance --format csv)"
check "same history" "$("$INVADJ" history --format csv)" "$("$INVADJ" --db "$target" history --format csv)"
check "same export (with row hashes)" "$("$INVADJ" export)" "$("$INVADJ" --db "$target" export)"
check "same as-of balances" "$("$INVADJ" balance --as-of 2026-06-14 --format csv)" \
	"$("$INVADJ" --db "$target" balance --as-of 2026-06-14 --format csv)"

# The copy is a working ledger once its users have logins of their own on
# the server (a server keeps no PIN hashes: `server roles` clears the
# copied ones), ids going on after the copied ones.
INVADJ_PIN=1111 run 5 --db "$target" --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
run 0 --db "$target" server roles --admin admin --format csv
pw() { echo "$out" | awk -F, -v n="$1" '$1 == n { print $4 }'; }
pw_clerk=$(pw clerk) pw_admin=$(pw admin)
check "no PIN hash on the server" "0" "$(psql -qXAt "$target" -c "SELECT count(*) FROM users WHERE pin_hash <> ''")"
INVADJ_PIN=$pw_clerk "$INVADJ" --db "$target" --user clerk --format csv adjust --store MAIN --item KB-100 --diff 1 --reason FI >"$T/out" 2>&1
rows=$(psql -qXAt "$target" -c "SELECT count(*) FROM ledger")
check "the next id follows the copied ones" "$rows" "$(sed -n 2p "$T/out" | cut -d, -f1)"
INVADJ_NEW_PIN=43214321 INVADJ_PIN=$pw_admin "$INVADJ" --db "$target" --user admin user add dana --role clerk >/dev/null
check "a new user gets a new id" "1" "$(psql -qXAt "$target" -c "SELECT count(*) FROM users WHERE name = 'dana' AND id > 3")"
run 0 --db "$target" verify

# Into a database that already holds invadj data: refused, nothing changed.
before=$(psql -qXAt "$target" -c "SELECT count(*) FROM ledger")
run 4 migrate --from "$T/inventory.db" --to "$target"
check_contains "migrate refuses a database with data" "already holds invadj data" "$err"
check "the target was not touched" "$before" "$(psql -qXAt "$target" -c "SELECT count(*) FROM ledger")"

# Into a database used for something else: refused.
other=$(pg_newdb other)
psql -qX "$other" -c "CREATE TABLE payroll (id int)" >/dev/null
run 7 migrate --from "$T/inventory.db" --to "$other"
check_contains "migrate refuses a foreign database" "not invadj's" "$err"

# From a tampered file: refused before anything is copied.
"$INVADJ" --db "$T/inventory.db" backup "$T/tampered.db" >/dev/null
sqlite3 "$T/tampered.db" "DROP TRIGGER ledger_no_update; UPDATE ledger SET diff = 99 WHERE id = 3;"
fresh=$(pg_newdb fresh)
run 8 migrate --from "$T/tampered.db" --to "$fresh"
check_contains "migrate names the source's fault" "From: the source does not verify" "$err"
check "nothing was created on the server" "0" "$(psql -qXAt "$fresh" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"

run 1 migrate --from "$T/inventory.db"
check_contains "migrate needs both sides" "--to" "$err"
finish
