#!/bin/sh
# End-to-end: creating a database, users, imports, help and version.
. tests/cli/lib.sh

run 7 balance
check_contains "no database yet" "is not an invadj database (create one with \`invadj init --admin NAME\`)" "$err"
on_server || [ ! -e "$INVADJ_DB" ] || fail "a command that only reads created the database"
INVADJ_PIN=0000 run 0 init --admin boss
check "init" "created $INVADJ_DB with admin boss" "$out"
on_server || check "owner-only file" "600" "$(stat -c %a "$INVADJ_DB")"
INVADJ_PIN=0000 run 4 init --admin boss
check_contains "init twice" "already initialised" "$err"

printf 'StoreCode,StoreName\nS1,First\n' >"$T/stores.csv"
printf 'ReasonCode,Description\nCC,Cycle count\n' >"$T/reasons.csv"
printf 'ItemNumber,Description,UPC\n00123,Leading zeros,4006381333931\n' >"$T/items.csv"
INVADJ_PIN=0000 run 0 --user boss import stores "$T/stores.csv"
check "import stores" "imported 1 stores" "$out"
INVADJ_PIN=0000 run 0 --user boss import reasons "$T/reasons.csv"
INVADJ_PIN=0000 run 0 --user boss import items "$T/items.csv"
INVADJ_PIN=0000 INVADJ_NEW_PIN=5555 run 0 --user boss user add ann --role clerk
check "user add" "added ann (clerk)" "$out"
INVADJ_PIN=5555 INVADJ_NEW_PIN=6666 run 5 --user ann user add bob --role clerk
check_contains "clerk cannot add users" "only an admin" "$err"
INVADJ_PIN=5555 run 5 --user ann import items "$T/items.csv"
INVADJ_PIN=5555 run 0 --user ann adjust --store S1 --item 00123 --diff 7 --reason CC --format csv
check "leading zeros kept" "Id,StoreCode,ItemNumber,NetAvailable,Diff,NewQty
1,S1,00123,0,7,7" "$out"
INVADJ_PIN=5555 run 3 --user ann adjust --store S1 --item 123 --diff 7 --reason CC
run 0 balance
check "table output" "StoreCode  ItemNumber        NetAvailable
S1         00123                        7" "$out"
run 0 history --format csv --by ann
check_contains "history by user" ",ann," "$out"

# PINs, disabling and the list of users: ann leaves, her rows stay hers.
INVADJ_PIN=5555 INVADJ_NEW_PIN=5656 run 0 --user ann user pin
check "own PIN" "PIN of ann set" "$out"
INVADJ_PIN=5555 run 5 --user ann adjust --store S1 --item 00123 --diff 1 --reason CC
INVADJ_PIN=5656 INVADJ_NEW_PIN=7777 run 5 --user ann user pin boss
check_contains "a clerk sets no one else's PIN" "only an admin" "$err"
INVADJ_PIN=5656 run 5 --user ann user list
INVADJ_PIN=0000 run 0 --user boss user disable ann
check "disable" "disabled ann" "$out"
INVADJ_PIN=5656 run 5 --user ann adjust --store S1 --item 00123 --diff 1 --reason CC
# (On a server the disabled role may not log in, which the server
# answers as any refused login.)
if on_server; then
	check_contains "a disabled user cannot log in" "wrong user name or PIN" "$err"
else
	check_contains "a disabled user cannot log in" "user ann is disabled" "$err"
fi
INVADJ_PIN=0000 run 4 --user boss user disable boss
check_contains "an admin cannot disable themselves" "cannot disable yourself" "$err"
INVADJ_PIN=0000 run 3 --user boss user enable nobody
INVADJ_PIN=0000 run 0 --user boss --format csv user list
check "user list" "Name,Role,CreatedAt,PinSetAt,PinSetBy,DisabledAt,DisabledBy
ann,clerk,ann,disabled,boss
boss,admin,,active," "$(echo "$out" | awk -F, 'NR == 1 { print; next } { print $1 "," $2 "," $5 "," ($6 == "" ? "active" : "disabled") "," $7 }')"
run 0 history --format csv --by ann
check_contains "a disabled user's rows are still theirs" ",ann," "$out"
INVADJ_PIN=0000 INVADJ_NEW_PIN=8888 run 0 --user boss user pin ann
INVADJ_PIN=0000 run 0 --user boss user enable ann
INVADJ_PIN=8888 run 0 --user ann adjust --store S1 --item 00123 --diff 1 --reason CC
INVADJ_PIN=0000 run 1 --user boss user remove ann

# Usage: every command has --help, unknown things are refused.
for c in init user import adjust reverse balance history verify; do
	run 0 "$c" --help
	check_contains "$c --help" "usage: invadj $c" "$out"
done
run 0 --version
check_contains "version" "invadj " "$out"
run 0 --help
check_contains "main help" "Without a command, opens the screens" "$out"
run 1 frobnicate
check_contains "unknown command" 'unknown command "frobnicate"' "$err"
run 1 balance --colour
check_contains "unknown option" "unknown option --colour" "$err"
run 1 balance --format xml
check_contains "bad format" "not table or csv" "$err"
run 0 verify

# init --demo with a wrong data folder: refused before the admin is made,
# so init can be run again with the right one (on a file; the check runs
# before anything reaches either backend).
if ! on_server; then
	INVADJ_PIN=0000 run 7 --db "$T/demo.db" init --admin admin --demo --data "$T/no-such-folder"
	check_contains "a missing demo file is named" "demo data: cannot open $T/no-such-folder/stores.csv" "$err"
	INVADJ_PIN=0000 run 0 --db "$T/demo.db" init --admin admin --demo --data "$ROOT/data"
	check "init again, with the demo" "created $T/demo.db with admin admin and the demo data" "$out"
fi
finish
