#!/bin/sh
# A key typed while the upload is checked never answers the question to
# post: y and Enter typed during "Checking" post nothing; the rows are
# shown first, and only Ctrl-S then y posts them.
. "$(dirname "$0")/lib.sh"
make_db
awk 'BEGIN { print "StoreCode,ItemNumber,Qty,ReasonCode"; for (i = 0; i < 100000; i++) print "MAIN,KB-100,1,CC" }' >"$TMP/many.csv"
start
login super 2222
keys F4
wait_for "Upload Inventory"
text "$TMP/many.csv"
keys C-s y Enter y Enter
wait_for "Checked"
wait_re "2 +MAIN +KB-100 +CC +2026-03-02 +100 +\\+1 +101"
sleep 1
absent "Posted as batch"
[ "$(balance MAIN KB-100)" = 100 ] || fail "a key typed during the check posted the upload"
keys C-s
wait_for "Post upload"
wait_for "100000 rows read"
keys y
wait_for "Posted as batch" 60
[ "$(balance MAIN KB-100)" = 100100 ] || fail "balance is $(balance MAIN KB-100), not 100100"
echo "ok"
