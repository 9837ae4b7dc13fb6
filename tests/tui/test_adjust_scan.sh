#!/bin/sh
# Adjust's scan mode (F7): the Reason Code and the sign chosen once,
# then each scan (a burst, as a scanner types) adds to its item's line;
# digits then * multiply the next scan; the sign - takes away; an
# unknown code stays for the next scan to replace; Ctrl-S saves the
# lines as one document.
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
text MAIN; keys Enter
keys F7
# the form's own words ("Scan mode" is also in the key line): the form
# drops what was typed before it opened, as every question does
wait_for "Each scan will add 1"
text DMG; keys Tab
keys BSpace; text "-"; keys Enter
wait_for "Scan mode: each scan takes away 1 with reason DMG."
keys -l "012345678905"; keys Enter
keys -l "KB-100"; keys Enter
keys -l "3*"; keys -l "012345678912"; keys Enter
keys -l "2000000001007"; keys Enter
wait_re "KB-100 +Wireless Keyboard +DMG +100 +-3 +97"
wait_re "MS-200 +Wireless Mouse +DMG +80 +-3 +77"
keys -l "NOPE"; keys Enter
wait_for 'is not a known item number'
wait_re "Scan +NOPE"
keys -l "MOUSE-W"; keys Enter
wait_re "MS-200 +Wireless Mouse +DMG +80 +-4 +76"
[ "$(balance MAIN KB-100)" = 100 ] || fail "a scan saved before Ctrl-S"
keys C-s
wait_for "Saved document"
[ "$(balance MAIN KB-100)" = 97 ] || fail "KB-100 is $(balance MAIN KB-100), not 97"
[ "$(balance MAIN MS-200)" = 76 ] || fail "MS-200 is $(balance MAIN MS-200), not 76"
# scanning goes on into the next document; F7 ends it
keys -l "KB-100"; keys Enter
wait_re "KB-100 +Wireless Keyboard +DMG +97 +-1 +96"
keys F7
wait_for "Scan mode ended"
absent "Scan  "
echo "ok"
