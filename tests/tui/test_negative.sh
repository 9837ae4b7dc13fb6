#!/bin/sh
# A refused negative Diff: the refusal shows on the line in words before
# saving, Ctrl-S saves nothing and keeps the line on screen.
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
rows=$(ledger_rows)

text MAIN; keys Enter
keys Enter
text 012345678912; keys Enter     # the mouse's UPC, as a scanner types it
wait_re "MS-200 +Wireless Mouse"
text DMG; keys Enter
text -200
wait_re "DMG +80 +-200 +-120"
wait_for "negative stock"
keys C-s
wait_for "Not saved"
wait_re "MS-200 +Wireless Mouse +DMG +80 +-200"
[ "$(balance MAIN MS-200)" = 80 ] || fail "balance changed to $(balance MAIN MS-200)"
[ "$(ledger_rows)" = "$rows" ] || fail "a ledger row was written"

# fixing the Diff on the same line then saves it
keys BSpace BSpace BSpace
text 20
wait_re "DMG +80 +-20 +60"
absent "negative stock"
keys C-s
wait_for "Saved document"
[ "$(balance MAIN MS-200)" = 60 ] || fail "balance after the fix is $(balance MAIN MS-200)"
echo "ok"
