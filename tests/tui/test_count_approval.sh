#!/bin/sh
# A clerk posts a count (not blind) whose difference is above the
# store's approval threshold (MAIN: 500): the one approval box asks for
# a supervisor before the question, a wrong PIN is said in the box, and
# the rows are the clerk's, approved by the supervisor.
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
keys F9
wait_for "No count is open"
keys C-n
wait_for "Start a count"
text MAIN; keys C-s
wait_for "Count 1 at MAIN"
keys -l "800*"; keys -l "00042"; keys Enter
wait_re "CB-0042 +USB-C Cable, 1 m +\\+800 +800"
keys F7
wait_re "CB-0042 +USB-C Cable, 1 m +800 +250 +\\+550 +800"
keys C-s
wait_for "Supervisor approval"
wait_for "1 line of count 1 is above store MAIN's approval threshold."
text super; keys Enter; text 9999; keys Enter
wait_for "wrong user name or PIN"
text 2222; keys Enter
wait_for "Post count 1 at MAIN as one document"
keys y
wait_for "Posted count 1: 1 row as document"
[ "$(balance MAIN CB-0042)" = 800 ] || fail "CB-0042 is $(balance MAIN CB-0042), not 800"
row=$("$INVADJ" --db "$DB" history --item CB-0042 --limit 1 --format csv | sed 1d | cut -d, -f9,10)
[ "$row" = "clerk,super" ] || fail "the row's user and approver are $row"
echo "ok"
