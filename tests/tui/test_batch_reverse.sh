#!/bin/sh
# b on a History row reverses its upload batch, in the one order of
# every reversal: the rules first (a batch already reversed, or itself a
# reversal, is refused before anyone is asked for a PIN), then a
# clerk's supervisor, checked, then one question that says exactly what
# will be posted (rows already reversed one by one are skipped).  The
# detail box offers only what the rules allow.
. "$(dirname "$0")/lib.sh"
make_db
printf 'StoreCode,ItemNumber,Qty,ReasonCode\nMAIN,KB-100,1,CC\nMAIN,MS-200,2,CC\nMAIN,KB-100,3,CC\n' >"$TMP/b.csv"
INVADJ_USER=super INVADJ_PIN=2222 "$INVADJ" --db "$DB" upload "$TMP/b.csv" --rule delta >/dev/null || fail "set-up upload failed"
first=$("$INVADJ" --db "$DB" history --format csv | sed -n 4p | cut -d, -f1)
INVADJ_USER=super INVADJ_PIN=2222 "$INVADJ" --db "$DB" reverse "$first" >/dev/null || fail "set-up reversal failed"
start
login clerk 1111
keys F3
wait_for "newest first"
keys Down                                  # the newest batch row (+3)
wait_re "reverses #$first"
# the detail of the row reversed one by one offers no r
keys End
keys /
wait_for "Leave a field empty to match any"
keys Down; text KB-100; keys Enter Enter Enter Enter Enter Enter
wait_for "Filter: item KB-100"
wait_re "reversed by #"
keys Down Down                              # #$first, reversed one by one
wait_for "Row 3 of"
keys Enter
wait_for "Entered by"
wait_re "Enter/Esc Close +b Reverse batch"
absent "Close   r Reverse"
keys Escape
wait_gone "Entered by"
keys /
wait_for "Leave a field empty to match any"
keys Down C-u Enter Enter Enter Enter Enter Enter
wait_for "Row 1 of"
keys Down
keys b
wait_for "Supervisor approval"
approve super 2222
wait_for "Reverse batch"
wait_for "To post: 2 reversals"
wait_for "1 of its rows was already reversed one by one and is skipped"
wait_for "Approved by super (PIN checked)"
keys y
wait_for "reversed by batch"
[ "$(balance MAIN KB-100)" = 100 ] || fail "KB-100 is $(balance MAIN KB-100) after the batch reversal"
[ "$(balance MAIN MS-200)" = 80 ] || fail "MS-200 is $(balance MAIN MS-200) after the batch reversal"
# again: refused by the rules, before any approval
keys Home Down Down Down
wait_re "^ +16 .*reversed by #19"
wait_for "Row 4 of"
keys b
wait_for "cannot be reversed"
wait_for "was already reversed by batch"
absent "Supervisor approval"
keys Enter
wait_gone "cannot be reversed"
keys Home
wait_for "Row 1 of"
keys b
wait_for "is itself the reversal of batch"
absent "Supervisor approval"
echo "ok"
