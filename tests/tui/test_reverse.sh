#!/bin/sh
# Reversal from History by a clerk: the newest row is selected, r asks a
# supervisor's name and PIN first, checked at once (a wrong PIN is said
# in that box and reverses nothing), then a
# dialog shows the original, the reversal's Diff and the New Qty; after
# y the balance is back to 100 and the row says "reversed by #N".
. "$(dirname "$0")/lib.sh"
make_db
INVADJ_USER=clerk INVADJ_PIN=1111 "$INVADJ" --db "$DB" adjust --store MAIN --item KB-100 --diff 10 --reason FI >/dev/null \
	|| fail "the +10 adjustment from the command line failed"
[ "$(balance MAIN KB-100)" = 110 ] || fail "set-up: balance is not 110"
id=$("$INVADJ" --db "$DB" history --format csv | sed -n 2p | cut -d, -f1)

start
login clerk 1111
keys F3
wait_for "newest first"
wait_re "^ +$id 2026-03-02 MAIN +KB-100 +FI +\\+10 +clerk"

# a wrong supervisor PIN: said in the approval box, before any question
# about the reversal; Esc gives up and nothing is reversed
keys r
approve super 0000
wait_for "wrong user name or PIN"
absent "Reverse it?"
keys Escape
wait_for "Nothing reversed: no approval given"
[ "$(balance MAIN KB-100)" = 110 ] || fail "a refused reversal changed the balance"

# Enter shows the detail; r there reverses the row
keys Enter
wait_for "Entered by clerk"
keys r
approve super 2222
wait_for "Reverse it?"
wait_for "Original #$id"
wait_for "Reversal to post: Diff -10"
wait_for "New Qty after the reversal 100"
absent "2222"
keys y
wait_for "Reversed #$id"
wait_re "reversed by #[0-9]+"
wait_re "REV +-10 +clerk +super +reverses #$id"
[ "$(balance MAIN KB-100)" = 100 ] || fail "balance after the reversal is $(balance MAIN KB-100), not 100"
"$INVADJ" --db "$DB" history --format csv | grep -q "^$id,.*,super," && fail "the original row shows an approver"
"$INVADJ" --db "$DB" history --format csv | sed -n 2p | grep -q ",REV,-10,clerk,super,$id," \
	|| fail "the reversal row is not recorded with the approver"

# a second reversal of the same row is refused, with the reason
keys Down
wait_re "reversed by #"
keys r
wait_for "cannot be reversed"
wait_for "already reversed"
keys Enter
[ "$(balance MAIN KB-100)" = 100 ] || fail "a second reversal changed the balance"
echo "ok"
