#!/bin/sh
# The demo on a server: `init --demo` with the real least PIN (eight
# characters) loads everything, its users' PINs the demo's digits
# repeated to that length (11111111, 22222222), which log in and work;
# the file's four-digit ones do not.
. tests/pg/lib.sh
db=$(pg_newdb demo)
export INVADJ_DB="$db"
unset INVADJ_TEST_MIN_SECRET # the real minimum: eight characters

INVADJ_PIN=admin-pin-1 run 0 init --admin admin --demo --data "$ROOT/data"
check_contains "init says the demo data is in" "and the demo data" "$out"
INVADJ_PIN=11111111 run 0 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
INVADJ_PIN=22222222 run 0 --user super history --store MAIN
check_contains "the supervisor sees the clerk's line" "KB-100" "$out"
INVADJ_PIN=1111 run 5 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
check_contains "the four-digit PIN is refused" "wrong user name or PIN" "$err"
run 0 verify
check_contains "verify passes with the opening stock and the one line" "ok:" "$out"
finish
