#!/bin/sh
# invadj migrate from one SQLite file into a new one: the copy has the
# same ledger (ids, hashes), balances, upload batches and their rows.
. tests/cli/lib.sh
demo_db
printf 'StoreCode,ItemNumber,Qty,ReasonCode\nMAIN,KB-100,2,FI\nMALL,MS-200,-1,DMG\n' >"$T/up.csv"
INVADJ_PIN=2222 run 0 --user super upload "$T/up.csv" --rule delta
INVADJ_PIN=2222 run 0 --user super reverse --batch 1
INVADJ_PIN=0000 run 0 --user admin user disable clerk
if on_server; then
	# A server keeps no PINs: the file's first is an admin's, named.
	run 1 migrate --from "$INVADJ_DB" --to "$T/copy.db"
	check_contains "from a server, an admin is named" "--admin NAME: a server keeps no PINs" "$err"
	INVADJ_NEW_PIN=0000 run 0 migrate --from "$INVADJ_DB" --to "$T/copy.db" --admin admin
	check_contains "the admin is told" "admin logs in to $T/copy.db with the new PIN" "$out"
else
	run 0 migrate --from "$INVADJ_DB" --to "$T/copy.db"
fi
check_contains "migrate verified" "verified on both sides" "$out"
for what in "export" "balance --format csv" "history --batch 1 --format csv" "history --batch 2 --format csv"; do
	# shellcheck disable=SC2086
	check "same $what" "$("$INVADJ" $what)" "$("$INVADJ" --db "$T/copy.db" $what)"
done
check "batch rows found in the copy" "3" "$("$INVADJ" --db "$T/copy.db" history --batch 1 --format csv | wc -l)"
run 0 --db "$T/copy.db" verify
users=$(INVADJ_PIN=0000 "$INVADJ" --user admin user list --format csv)
check_contains "users listed" "clerk,clerk," "$users"
copied=$(INVADJ_PIN=0000 "$INVADJ" --db "$T/copy.db" --user admin user list --format csv)
# (from a server, the admin's first PIN on the file is the one change)
on_server && copied=$(echo "$copied" | sed 's/^\(admin,admin,[^,]*\),[^,]*,admin,/\1,,,/')
check "same users, the disabled one too" "$users" "$copied"
INVADJ_PIN=1111 run 5 --db "$T/copy.db" --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
if on_server; then
	INVADJ_NEW_PIN=1234 run 4 migrate --from "$INVADJ_DB" --to "$T/copy3.db" --admin clerk
	check_contains "only an enabled admin gets the first PIN" "clerk is not an enabled admin" "$err"
fi
finish
