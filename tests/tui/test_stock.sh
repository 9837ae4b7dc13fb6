#!/bin/sh
# Stock: Net Available by store and item with incremental search, now
# and as of an earlier date; numbers re-read after an adjustment made
# from another terminal (the command line) when the screen is entered.
. "$(dirname "$0")/lib.sh"
INVADJ_TODAY=2026-03-01 make_db
INVADJ_USER=clerk INVADJ_PIN=1111 "$INVADJ" --db "$DB" adjust --store MAIN --item MS-200 --diff -5 --reason DMG >/dev/null \
	|| fail "set-up adjustment failed"
start
login super 2222
keys F5
wait_for "Net Available"
text mou
# the status line says when the search is applied: the unfiltered list
# also shows both rows below, so they alone prove nothing
wait_for "2 rows now"
wait_re "MAIN +MS-200 +Wireless Mouse +75"
wait_re "MALL +MS-200 +Wireless Mouse +35"
absent "KB-100"
keys Tab
text 2026-03-01; keys Enter
wait_for "as of 2026-03-01"
wait_re "MAIN +MS-200 +Wireless Mouse +80"

# another terminal adjusts meanwhile: clearing As of reads it again
INVADJ_USER=clerk INVADJ_PIN=1111 "$INVADJ" --db "$DB" adjust --store MAIN --item MS-200 --diff -10 --reason DMG >/dev/null
keys Tab Tab; keys C-u; keys Enter   # back in As of: cleared
wait_re "MAIN +MS-200 +Wireless Mouse +65"
# and so does switching screens
INVADJ_USER=clerk INVADJ_PIN=1111 "$INVADJ" --db "$DB" adjust --store MAIN --item MS-200 --diff -1 --reason DMG >/dev/null
keys F2
wait_for "Item Number"
keys F5
wait_re "MAIN +MS-200 +Wireless Mouse +64"
echo "ok"
