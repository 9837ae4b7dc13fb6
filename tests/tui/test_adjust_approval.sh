#!/bin/sh
# A clerk's Diff above MAIN's approval threshold (500): Ctrl-S asks for
# a supervisor; Esc saves nothing, a clerk cannot approve, a supervisor's
# name and PIN save the line with the approver recorded.
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
text MAIN; keys Enter
keys Enter
text KB-100; keys Enter
wait_re "KB-100 +Wireless Keyboard"
text FI; keys Enter
text 600
wait_re "FI +100 +600 +700"
keys C-s
wait_for "Supervisor approval"
wait_for "approval threshold of 500."
keys Escape
wait_for "Not saved"
[ "$(balance MAIN KB-100)" = 100 ] || fail "cancelling the approval saved the line"

keys C-s
approve clerk 1111
wait_for "clerk is a clerk; a supervisor or admin must approve"
[ "$(balance MAIN KB-100)" = 100 ] || fail "a clerk approved the line"
# the box stays open, the name kept: the right approver is typed over it
keys BTab C-u
text super; keys Enter
text 2222; keys Enter
wait_for "Saved document"
[ "$(balance MAIN KB-100)" = 700 ] || fail "balance is $(balance MAIN KB-100), not 700"

keys C-n
text KB-100; keys Enter; text FI; keys Enter; text 600
wait_re "FI +700 +600 +1300"

keys C-s
approve super 2222
wait_for "Saved document"
[ "$(balance MAIN KB-100)" = 1300 ] || fail "balance is $(balance MAIN KB-100), not 1300"
"$INVADJ" --db "$DB" history --format csv | grep -q ",MAIN,KB-100,FI,600,clerk,super," \
	|| fail "the line is not recorded with its approver"
echo "ok"
