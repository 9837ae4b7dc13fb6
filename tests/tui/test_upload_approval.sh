#!/bin/sh
# Upload by a clerk with a row above MAIN's approval threshold (500):
# the screen asks for a supervisor's approval before the preview, a
# wrong PIN is said in the approval box and posts nothing, and the
# approver is recorded.  The same file
# again: the screen says which batch posted it and asks before posting
# it a second time.
. "$(dirname "$0")/lib.sh"
make_db
cat >"$TMP/big.csv" <<'CSV'
StoreCode,ItemNumber,Qty,ReasonCode
MAIN,KB-100,600,FI
MAIN,MS-200,1,FI
CSV
start
login clerk 1111
keys F4
wait_for "Upload Inventory"
text "$TMP/big.csv"
keys C-s
wait_for "1 row is above the store's approval threshold"
approve super 9999
wait_for "wrong user name or PIN"
absent "Post upload"
keys Escape
wait_for "Nothing posted: no approval given"
[ "$(balance MAIN KB-100)" = 100 ] || fail "a wrong PIN posted something"

keys C-s
approve super 2222
wait_for "Checked"
wait_re "2 +MAIN +KB-100 +FI +2026-03-02 +100 +\\+600 +700 approval"
keys C-s
wait_for "Post upload"
wait_for "Approved by super (PIN checked)"
keys y
wait_for "Posted as batch"
[ "$(balance MAIN KB-100)" = 700 ] || fail "balance is $(balance MAIN KB-100), not 700"
"$INVADJ" --db "$DB" history --format csv | grep -q ",MAIN,KB-100,FI,600,clerk,super," \
	|| fail "the row above the threshold is not recorded with its approver"

# the same file again: asked, and No posts nothing
keys C-s
wait_for "Already posted"
wait_re "This file's content was already posted as batch [0-9]+"
wait_for "big.csv, by clerk at"
keys n
wait_for "Nothing posted"
[ "$(balance MAIN KB-100)" = 700 ] || fail "declining posted the duplicate"
# Yes: then the approval, the preview, and a second batch
keys C-s
wait_for "Already posted"
keys y
approve super 2222
wait_for "Checked"
keys C-s
wait_for "Post upload"
keys y
wait_for "Posted as batch"
[ "$(balance MAIN KB-100)" = 1300 ] || fail "balance is $(balance MAIN KB-100), not 1300 after posting twice"
echo "ok"
