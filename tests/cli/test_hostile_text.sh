#!/bin/sh
# Limits and cells (issue 11): limits count characters, a cell longer
# than its field is refused and never cut, identifier cells are trimmed
# (or refused with a blank inside) the same way in every import and
# upload.
. tests/cli/lib.sh
demo_db
export INVADJ_USER=admin INVADJ_PIN=0000
rep() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

# 100 x "é" is 100 characters (200 bytes): within a 128-character name.
e100=$(rep é 100)
printf 'StoreCode,StoreName\nMAIN,%s\n' "$e100" >"$T/names.csv"
run 0 import stores "$T/names.csv"
check "100 x é is a 128-character name's worth" "MAIN $e100" "$(db_sql "SELECT code || ' ' || name FROM stores WHERE code = 'MAIN'")"
printf 'StoreCode,StoreName\nMAIN,%s\n' "$(rep é 129)" >"$T/long.csv"
run 2 import stores "$T/long.csv"
check_contains "129 characters are refused, in characters" "StoreName: 129 characters, more than the 128 allowed" "$err"
check "and never cut" "$e100" "$(db_sql "SELECT name FROM stores WHERE code = 'MAIN'")"
run 2 adjust --store MAIN --item KB-100 --diff 1 --reason FI --memo "$(rep ü 256)"
check_contains "a memo of 256 characters" "Memo: 256 characters, more than the 255 allowed" "$err"
run 0 adjust --store MAIN --item KB-100 --diff 1 --reason FI --memo "$(rep ü 255)" --format csv
check "255 x ü fit a memo" "$(rep ü 255)" "$(db_sql "SELECT memo FROM ledger ORDER BY id DESC LIMIT 1")"

# A date cell padded with blanks and followed by text is refused (it
# used to be cut to a fixed buffer and accepted).
pad=$(rep ' ' 40)
printf 'StoreCode,ItemNumber,Qty,ReasonCode,TransactionDate\nMAIN,KB-100,1,FI,06/01/2026%sDROP\n' "$pad" >"$T/date.csv"
run 2 upload "$T/date.csv" --rule delta --errors "$T/date.err.csv"
check_contains "padded date with text refused" "TransactionDate: \"06/01/2026$pad" "$err"
printf 'StoreCode,ItemNumber,Qty,ReasonCode,TransactionDate\nMAIN,KB-100,1,FI,%s06/01/2026%s\n' "$pad" "$pad" >"$T/date2.csv"
run 0 upload "$T/date2.csv" --rule delta
check "blanks alone around a date are fine" "2026-06-01" "$(db_sql "SELECT tdate FROM ledger ORDER BY id DESC LIMIT 1")"
printf 'StoreCode,ItemNumber,Qty,ReasonCode\nMAIN%s,KB-100,1,FI\n' "$(rep ' ' 60)" >"$T/code.csv"
run 0 upload "$T/code.csv" --rule delta
printf 'StoreCode,ItemNumber,Qty,ReasonCode\nMA IN,KB-100,1,FI\n' >"$T/code2.csv"
run 2 upload "$T/code2.csv" --rule delta --errors "$T/code2.err.csv"
check_contains "a store code with blanks inside" "has a blank inside" "$err"
printf 'StoreCode,ItemNumber,Qty,ReasonCode\nMAIN,%s,1,FI\n' "$(rep K 65)" >"$T/item.csv"
run 2 upload "$T/item.csv" --rule delta --errors "$T/item.err.csv"
check_contains "an item number over its limit" "ItemNumber: 65 characters, more than the 64 allowed" "$err"

# Identifier cells in import are trimmed like uploads trim them: " KB-100"
# and "KB-100 " update KB-100 (they used to become new items no upload
# could reach); an identifier with a blank inside is refused.
items=$(db_sql "SELECT count(*) FROM items")
printf 'ItemNumber,Description,UPC\n KB-100,Keyboard (left),\nKB-100 ,Keyboard,\t 012345678905 \n' >"$T/items.csv"
run 0 import items "$T/items.csv"
check "no new item from blanks" "$items" "$(db_sql "SELECT count(*) FROM items")"
check "trimmed identifiers update the item" "Keyboard|012345678905" "$(db_sql "SELECT description || '|' || upc FROM items WHERE number = 'KB-100'")"
printf 'ItemNumber,Description\nKB 100,Two words\n' >"$T/items2.csv"
run 2 import items "$T/items2.csv"
check_contains "a blank inside an item number" "ItemNumber: \"KB 100\" has a blank inside" "$err"
printf 'ReasonCode,Description\n  FI  ,Found\n' >"$T/reasons.csv"
reasons=$(db_sql "SELECT count(*) FROM reasons")
run 0 import reasons "$T/reasons.csv"
check "reason codes trimmed" "$reasons" "$(db_sql "SELECT count(*) FROM reasons")"
printf 'StoreCode,StoreName\n MALL ,Mall\n' >"$T/stores.csv"
stores=$(db_sql "SELECT count(*) FROM stores")
run 0 import stores "$T/stores.csv"
check "store codes trimmed" "$stores" "$(db_sql "SELECT count(*) FROM stores")"

# Messages: one line on stderr per refusal, numbers out of range named so.
run 1 reverse 99999999999999999999
check "an id out of range" "invadj reverse: Id: \"99999999999999999999\" is out of range (at most 9223372036854775807) (\`invadj reverse --help\` shows the usage)" "$err"
run 1 history --limit -5
check_contains "a negative limit" "--limit: \"-5\" is not a whole number of 0 or more" "$err"
run 1 reverse --batch 99999999999999999999
check_contains "a batch out of range" "is out of range" "$err"
run 1 balance --colour
check "a usage mistake is one line" "1" "$(printf '%s\n' "$err" | wc -l)"
long=$(rep x 5000)
XDG_DATA_HOME="$long" INVADJ_DB= run 1 balance
check_contains "a long XDG_DATA_HOME is said so" "XDG_DATA_HOME is too long for a path" "$err"
env -u HOME -u XDG_DATA_HOME -u INVADJ_DB "$INVADJ" balance >"$T/out" 2>"$T/err"
check_contains "no HOME" "neither XDG_DATA_HOME nor HOME is set" "$(cat "$T/err")"
finish
