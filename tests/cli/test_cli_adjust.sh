#!/bin/sh
# End-to-end: the command line against a temporary demo database, with
# golden output on fixed data and a pinned "today".
. tests/cli/lib.sh
demo_db

# The seed's scenario: Wireless Keyboard 100, +10 gives 110, reversal -10 gives 100.
run 0 balance --store MAIN --item KB-100 --format csv
check "opening balance" "StoreCode,ItemNumber,NetAvailable
MAIN,KB-100,100" "$out"
INVADJ_PIN=1111 run 3 --user clerk adjust --store MAIN --item "Wireless Keyboard" --diff 10 --reason FI
check_contains "unknown item named" 'Item Number: "Wireless Keyboard" is not a known' "$err"
INVADJ_PIN=1111 run 0 --user clerk adjust --store MAIN --item KB-100 --diff 10 --reason FI --format csv
check "adjust output" "Id,StoreCode,ItemNumber,NetAvailable,Diff,NewQty
14,MAIN,KB-100,100,10,110" "$out"
run 0 balance --store MAIN --item 012345678905 --format csv
check "balance after +10 (by UPC)" "StoreCode,ItemNumber,NetAvailable
MAIN,KB-100,110" "$out"
INVADJ_PIN=1111 run 5 --user clerk reverse 14
check_contains "clerk needs approval" "supervisor's approval" "$err"
INVADJ_PIN=1111 INVADJ_APPROVER_PIN=2222 run 0 --user clerk reverse 14 --approver super --format csv
check "reverse output" "Id,StoreCode,ItemNumber,NetAvailable,Diff,NewQty
15,MAIN,KB-100,110,-10,100" "$out"
INVADJ_PIN=2222 run 4 --user super reverse 14
check "reverse twice" "refused: adjustment #14 was already reversed by #15" "$err"
INVADJ_PIN=2222 run 4 --user super reverse 15
check_contains "reversal of a reversal" "itself a reversal" "$err"
run 0 history --item KB-100 --store MAIN --format csv
check "history" "Id,Document,TransactionDate,StoreCode,ItemNumber,ReasonCode,Diff,User,ApprovedBy,Reverses,ReversedBy,BatchId,Memo
15,15,2026-06-15,MAIN,KB-100,REV,-10,clerk,super,14,,,
14,14,2026-06-15,MAIN,KB-100,FI,10,clerk,,,15,,
1,1,2026-06-15,MAIN,KB-100,FI,100,admin,,,,,opening stock (demo)" "$(echo "$out" | cut -d, -f1-3,5-)"

# Refusals name the field and the reason, exit non-zero and write nothing.
INVADJ_PIN=1111 run 4 --user clerk adjust --store MAIN --item KB-100 --diff -105 --reason DMG
check "negative stock" "refused: New Qty would be -5 at store MAIN for item KB-100; negative stock is not allowed" "$err"
for bad in abc 1.5 1e3 0 99999999999 ""; do
	INVADJ_PIN=1111 run 2 --user clerk adjust --store MAIN --item KB-100 --diff "$bad" --reason DMG
	check_contains "diff $bad refused" "Diff:" "$err"
done
INVADJ_PIN=1111 run 2 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI --date 06/16/2026
check_contains "future date" "Date: 06/16/2026 is in the future" "$err"
INVADJ_PIN=1111 run 2 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI --date 02/30/2026
check_contains "impossible date" 'Date: "02/30/2026" is not a valid date' "$err"
INVADJ_PIN=1111 run 3 --user clerk adjust --store NOPE --item KB-100 --diff 1 --reason FI
check_contains "unknown store" 'Store: "NOPE"' "$err"
INVADJ_PIN=9999 run 5 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
check_contains "wrong PIN" "login failed: Login: wrong user name or PIN" "$err"
run 1 adjust --store MAIN --item KB-100 --diff 1 --reason FI
check_contains "no user" "User: give --user NAME or set INVADJ_USER" "$err"
run 0 balance --store MAIN --item KB-100 --format csv
check "nothing written by refusals" "StoreCode,ItemNumber,NetAvailable
MAIN,KB-100,100" "$out"

# Threshold at MAIN is 500: a clerk needs a supervisor above it.
INVADJ_PIN=1111 run 5 --user clerk adjust --store MAIN --item KB-100 --diff 600 --reason FI
check_contains "threshold" "approval threshold" "$err"
INVADJ_PIN=1111 INVADJ_APPROVER_PIN=2222 run 0 --user clerk adjust --store MAIN --item KB-100 --diff 600 --reason FI --approver super

# Dry run shows the numbers and saves nothing; needs no login.
run 0 adjust --store MAIN --item KB-100 --diff -5 --reason DMG --dry-run --format csv
check "dry run" "Id,StoreCode,ItemNumber,NetAvailable,Diff,NewQty
,MAIN,KB-100,700,-5,695" "$out"

# Back-dated: as-of balances, and a later day that would go negative.
INVADJ_PIN=2222 run 0 --user super adjust --store MALL --item WC-100 --diff -18 --reason NF --date 2026-06-15
INVADJ_PIN=2222 run 0 --user super adjust --store MALL --item WC-100 --diff 5 --reason FI --date 06/01/2026
INVADJ_PIN=2222 run 0 --user super adjust --store MALL --item WC-100 --diff -5 --reason NF --date 06/12/2026
INVADJ_PIN=2222 run 0 --user super adjust --store MALL --item WC-100 --diff 10 --reason FI
INVADJ_PIN=2222 run 4 --user super adjust --store MALL --item WC-100 --diff -3 --reason NF --date 06/10/2026
check "back-dated names the day" "refused: back-dated to 2026-06-10, this would make the balance at store MALL for item WC-100 -3 on 2026-06-12; negative stock is not allowed" "$err"
run 0 balance --store MALL --item WC-100 --as-of 06/11/2026 --format csv
check "as-of" "StoreCode,ItemNumber,NetAvailable
MALL,WC-100,5" "$out"
run 0 balance --store MALL --item WC-100 --as-of 2026-06-14 --format csv
check "as-of after the -5" "StoreCode,ItemNumber,NetAvailable
MALL,WC-100,0" "$out"

# The ledger cannot be changed with the database's own shell.
if db_sql "UPDATE ledger SET diff = 999 WHERE id = 1" 2>"$T/sqlerr"; then fail "UPDATE ledger succeeded"; else ok; fi
check_contains "update trigger message" "append-only" "$(cat "$T/sqlerr")"
if db_sql "DELETE FROM ledger WHERE id = 1" 2>/dev/null; then fail "DELETE ledger succeeded"; else ok; fi
check "ledger unchanged" "100" "$(db_sql "SELECT diff FROM ledger WHERE id = 1")"

run 0 verify
check_contains "verify" "ok: " "$out"
db_sql "UPDATE balances SET qty = qty + 1 WHERE store_id = 1 AND item_id = 1"
run 8 verify
check_contains "verify names the balance" "the balance of store MAIN, item KB-100" "$err"
finish
