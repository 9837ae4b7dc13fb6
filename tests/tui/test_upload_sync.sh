#!/bin/sh
# Upload under the Sync rule: the file's Qty is the count.  KB-100 counted
# 110 on 100 posts +10, MS-200 counted 80 on 80 is unchanged; a preview
# and a confirmation come before posting; a back-dated Sync row is
# refused with the seed's words; Write template saves the CSV; the batch
# is reversed from a row's detail in History.
. "$(dirname "$0")/lib.sh"
make_db
cat >"$TMP/count.csv" <<'CSV'
**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo
MAIN,KB-100,,110,CC,,shelf count
MAIN,MS-200,,80,CC,,
CSV
cat >"$TMP/late.csv" <<'CSV'
StoreCode,ItemNumber,Qty,ReasonCode,TransactionDate
MAIN,MN-270,10,CC,03/01/2026
CSV
start
login super 2222
keys F4
wait_for "Upload Inventory"
text "$TMP/cou"; keys Tab           # Tab completes the path
wait_for "$TMP/count.csv"
keys Enter                           # to Rule
keys Space
wait_for "[Sync]"
keys C-s
wait_for "Checked"
wait_re "3 +MAIN +MS-200 +CC +2026-03-02 +80 +\\+0 +80 unchanged"
keys C-s
wait_for "Post upload"
wait_for "to post, 1 unchanged"
[ "$(balance MAIN KB-100)" = 100 ] || fail "the preview posted something"
keys y
wait_for "Posted as batch"
[ "$(balance MAIN KB-100)" = 110 ] || fail "balance is $(balance MAIN KB-100), not 110 after Sync 110"
[ "$(balance MAIN MS-200)" = 80 ] || fail "the unchanged row changed MS-200"
batch=$("$INVADJ" --db "$DB" history --format csv | sed -n 2p | awk -F, '{print $13}')
[ -n "$batch" ] && [ "$batch" != 0 ] || fail "the posted row has no batch id"

# a back-dated Sync row: refused, nothing posted, the reason in words
keys Up                              # from Rule back to File
keys C-u; text "$TMP/late.csv"
keys C-s
wait_for "Refused, nothing posted"
wait_for "Sync Rule does not"
wait_for "work on back-dated adjustments"
[ "$(balance MAIN MN-270)" = 12 ] || fail "a refused upload changed MN-270"

# Write template
keys C-t
wait_for "The upload template CSV is written"
keys C-u; text "$TMP/template.csv"; keys Enter
wait_for "Template written"
head -1 "$TMP/template.csv" | grep -q '^\*\*StoreCode,\*\*ItemNumber' || fail "the template has no header"

# reverse the whole batch from a row's detail
keys F3
wait_for "newest first"
wait_re "batch $batch"
keys Enter
wait_for "Batch $batch (rule sync): "
keys b
wait_for "Reverse the batch?"
keys y
wait_for "reversed by batch"
[ "$(balance MAIN KB-100)" = 100 ] || fail "balance after the batch reversal is $(balance MAIN KB-100)"
echo "ok"
