#!/bin/sh
# invadj migrate from one SQLite file into a new one: the copy has the
# same ledger (ids, hashes), balances, upload batches and their rows.
. tests/cli/lib.sh
demo_db
printf 'StoreCode,ItemNumber,Qty,ReasonCode\nMAIN,KB-100,2,FI\nMALL,MS-200,-1,DMG\n' >"$T/up.csv"
INVADJ_PIN=2222 run 0 --user super upload "$T/up.csv" --rule delta
INVADJ_PIN=2222 run 0 --user super reverse --batch 1
INVADJ_PIN=0000 run 0 --user admin user disable clerk
run 0 migrate --from "$INVADJ_DB" --to "$T/copy.db"
check_contains "migrate verified" "verified on both sides" "$out"
for what in "export" "balance --format csv" "history --batch 1 --format csv" "history --batch 2 --format csv"; do
	# shellcheck disable=SC2086
	check "same $what" "$("$INVADJ" $what)" "$("$INVADJ" --db "$T/copy.db" $what)"
done
check "batch rows found in the copy" "3" "$("$INVADJ" --db "$T/copy.db" history --batch 1 --format csv | wc -l)"
run 0 --db "$T/copy.db" verify
users=$(INVADJ_PIN=0000 "$INVADJ" --user admin user list --format csv)
check_contains "users listed" "clerk,clerk," "$users"
check "same users, the disabled one too" "$users" \
	"$(INVADJ_PIN=0000 "$INVADJ" --db "$T/copy.db" --user admin user list --format csv)"
INVADJ_PIN=1111 run 5 --db "$T/copy.db" --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
finish
