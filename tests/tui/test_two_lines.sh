#!/bin/sh
# A document of two lines saved by one Ctrl-S: the second line's Reason
# Code defaults to the line above, typing over it replaces it, and both
# lines post together under one document number.
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
first_line MAIN KB-100 FI 10; keys Enter
text 012345678912; keys Enter          # MS-200 by its UPC
wait_re "MS-200 +Wireless Mouse +FI +80"  # FI taken from the line above
text DMG; keys Enter
wait_re "MS-200 +Wireless Mouse +DMG +80"
text -5
wait_re "DMG +80 +-5 +75"
wait_re "KB-100 +Wireless Keyboard +FI +100 +10 +110"
keys C-s
wait_for "Saved document"
wait_for "KB-100 110, MS-200 75."
[ "$(balance MAIN KB-100)" = 110 ] || fail "KB-100 is $(balance MAIN KB-100)"
[ "$(balance MAIN MS-200)" = 75 ] || fail "MS-200 is $(balance MAIN MS-200)"
docs=$("$INVADJ" --db "$DB" history --format csv | sed -n '2,3p' | cut -d, -f2 | sort -u | wc -l)
[ "$docs" = 1 ] || fail "the two lines were not saved as one document"
echo "ok"
