#!/bin/sh
# Stock and the item picker over 3,000 items of one store: the count is
# the true one (not the first page's), End reaches the last item at
# once and Home the first, and the search ignores case and accents
# however the accent is written (one code point or a combining mark).
. "$(dirname "$0")/lib.sh"
make_db
awk 'BEGIN { print "ItemNumber,Description,UPC,Barcode,AltItemNumber1,AltItemNumber2,AltItemNumber3";
             for (i = 1; i <= 3000; i++) printf "BULK-%05d,Bulk part %d,,,,,\n", i, i }' >"$TMP/items.csv"
printf 'ItemNumber,Description,UPC,Barcode,AltItemNumber1,AltItemNumber2,AltItemNumber3\nCF-1,Caf\303\251 cr\303\250me,,,,,\nCF-2,Cafe\314\201 noir,,,,,\n' >>"$TMP/items.csv"
INVADJ_USER=admin INVADJ_PIN=0000 "$INVADJ" --db "$DB" import items "$TMP/items.csv" >/dev/null || fail "item import failed"
awk 'BEGIN { print "StoreCode,ItemNumber,Qty,ReasonCode"; for (i = 1; i <= 3000; i++) printf "WH,BULK-%05d,%d,CC\n", i, i;
             print "WH,CF-1,5,CC"; print "WH,CF-2,6,CC" }' >"$TMP/stock.csv"
INVADJ_USER=super INVADJ_PIN=2222 "$INVADJ" --db "$DB" upload "$TMP/stock.csv" --rule delta >/dev/null || fail "set-up upload failed"
start
login super 2222
keys F5
wait_for "Net Available"
keys BTab; text WH; keys Enter
text bulk
wait_for "3000 rows now"
wait_re "WH +BULK-00001 +Bulk part 1 +1"
keys End
wait_re "WH +BULK-03000 +Bulk part 3000 +3000"
wait_for "row 3000 selected"
keys PPage
wait_re "WH +BULK-02999 +Bulk part 2999 +2999"
keys Home
wait_re "WH +BULK-00001 +Bulk part 1 +1"
keys C-u
text "CAFÉ"
wait_for "2 rows now"
wait_re "WH +CF-1 +Caf"
wait_re "WH +CF-2 +Caf"
keys C-u
text "café"
wait_for "2 rows now"
keys C-u
text "CRÈME"
wait_for "1 row now"
wait_re "WH +CF-1 +Caf"

# the item picker on Adjust: the true count, End and Home
keys F2
wait_for "Item Number"
text WH; keys Enter Enter
keys F6
wait_for "Choose an item"
text bulk-0
wait_for "3000 items match"
keys End
wait_for "BULK-03000"
wait_for "row 3000 selected"
keys Home
wait_for "BULK-00001"
keys Escape
echo "ok"
