#!/bin/sh
# A ledger of 1,000,000 rows built through invadj's own upload (10
# stores x 10,000 items, back-dated over two weeks, receipts and issues)
# verifies clean: no false alarm from any rule replayed over it.  The
# database sorts verify's second pass in bounded memory.
. tests/cli/lib.sh
ROWS=${MILLION_ROWS:-1000000}
{
	echo "StoreCode,StoreName,AllowNegative,ApprovalThreshold"
	for s in 01 02 03 04 05 06 07 08 09; do echo "S$s,Store $s,no,0"; done
	echo "S10,Store 10,no,400"
} >"$T/stores.csv"
awk 'BEGIN { print "ItemNumber,Description,UPC"; for (i = 1; i <= 10000; i++) printf "I%05d,Item %d,4%011d\n", i, i, i }' >"$T/items.csv"
printf 'ReasonCode,Description\nCC,Cycle count\nFI,Found inventory\n' >"$T/reasons.csv"
# An opening count of 100 for every store and item on the 1st, then
# random receipts and issues (every fourth row, 1 to 3) over the next
# days: stock never runs out, every day's balance is checked.
awk -v n="$ROWS" 'BEGIN { srand(7); print "StoreCode,ItemNumber,Qty,ReasonCode,TransactionDate"
	for (s = 1; s <= 10; s++) for (i = 1; i <= 10000; i++) printf "S%02d,I%05d,100,FI,2026-06-01\n", s, i
	m = n - 100000
	for (k = 0; k < m; k++) { q = (k % 4 == 3) ? -1 - int(rand() * 3) : 1 + int(rand() * 5)
		printf "S%02d,I%05d,%d,CC,2026-06-%02d\n", 1 + int(rand() * 10), 1 + int(rand() * 10000), q, 2 + int(k * 13 / m) } }' >"$T/big.csv"
export INVADJ_USER=admin INVADJ_PIN=0000
"$INVADJ" init --admin admin >/dev/null
for k in stores items reasons; do "$INVADJ" import $k "$T/$k.csv" >/dev/null || fail "import $k"; done
run 0 upload "$T/big.csv" --rule delta
check_contains "the upload posts every row" " $ROWS " "$out"
run 0 verify
check_contains "a million rows verify clean" "ok: $ROWS ledger rows in 10 store chains" "$out"
finish
