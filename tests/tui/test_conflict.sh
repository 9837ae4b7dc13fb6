#!/bin/sh
# Another terminal's adjustment made while lines are on screen: Ctrl-R
# (and only it: no other key is pressed) shows the new Net Available, and
# the save that would now drive stock negative is refused, not lost
# silently, the line staying.
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
first_line MAIN MS-200 DMG -70
wait_re "DMG +80 +-70 +10"
INVADJ_USER=super INVADJ_PIN=2222 "$INVADJ" --db "$DB" adjust --store MAIN --item MS-200 --diff -20 --reason THF >/dev/null \
	|| fail "the other terminal's adjustment failed"
sleep 0.5
wait_re "DMG +80 +-70 +10"          # the screen does not change by itself
keys C-r
wait_re "DMG +60 +-70 +-10"
wait_for "Numbers read again"
keys C-s
wait_for "Not saved"
wait_re "MS-200 +Wireless Mouse +DMG +60 +-70 +-10"
wait_for "negative stock"
[ "$(balance MAIN MS-200)" = 60 ] || fail "balance is $(balance MAIN MS-200), not 60"
echo "ok"
