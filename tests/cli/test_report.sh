#!/bin/sh
# invadj report: golden output on the demo, also on PostgreSQL
# (tests/pg/test_on_server.sh).  The demo's costs take effect on
# 2026-06-15, its opening stock's day; before them a back-dated line
# (WH KB-100 -2 on 06-10) and an uploaded one (WH SD-064 -4 on 06-12)
# have no value; HB-004 never has a cost; a clerk's line at MALL is
# reversed (a pair left out unless --with-reversed); on 06-20 KB-100's
# cost goes from 24.90 to 30, and the lines of 06-18 and 06-20 are
# valued at the cost of their own date.
. tests/cli/lib.sh
demo_db
export INVADJ_USER=clerk INVADJ_PIN=1111
as_super() { INVADJ_USER=super INVADJ_PIN=2222 "$@"; }
"$INVADJ" adjust --store WH --item KB-100 --diff -2 --reason DMG --date 2026-06-10 >/dev/null || fail "back-dated line"
"$INVADJ" adjust --store MAIN --item MS-200 --diff -1 --reason NF >/dev/null || fail "today's line"
"$INVADJ" adjust --store MALL --item KB-100 --diff -1 --reason THF >/dev/null || fail "the line to reverse"
id=$("$INVADJ" history --limit 1 --format csv | sed -n '2s/,.*//p')
as_super "$INVADJ" reverse "$id" >/dev/null || fail "reverse"
printf '**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo\nWH,KB-100,,-3,DMG,2026-06-15,\nWH,HB-004,,5,FI,,\nWH,SD-064,,-4,DMG,2026-06-12,\n' >"$T/up.csv"
as_super "$INVADJ" upload "$T/up.csv" --rule delta >/dev/null || fail "upload"
export INVADJ_TODAY=2026-06-20
printf 'ItemNumber,UnitCost\nKB-100,30\n' >"$T/cost.csv"
INVADJ_USER=admin INVADJ_PIN=0000 "$INVADJ" import items "$T/cost.csv" >/dev/null || fail "cost import (an admin's: master data on a server)"
"$INVADJ" adjust --store MAIN --item KB-100 --diff -1 --reason DMG >/dev/null || fail "a line at the new cost"
"$INVADJ" adjust --store MAIN --item KB-100 --diff -1 --reason DMG --date 2026-06-18 >/dev/null || fail "back-dated to the old cost"

# report KEYS [OPTION...]: CSV of June so far, as super
report() { by=$1; shift; as_super run 0 report adjustments --by "$by" --from 2026-06-01 --format csv "$@"; }
lines() { printf '%s\n' "$@"; }

report reason
check "by reason" "$(lines ReasonCode,Lines,Added,Removed,Net,Value DMG,5,0,11,-11,-129.60 \
	FI,14,1975,0,1975,41062.50 NF,1,0,1,-1,-12.50)" "$out"
check "the CSV's note on standard error" \
	"invadj report: note: 4 of 20 lines have no unit cost on their date: Value is the value of the others only." "$err"
report store,reason
check "by store and reason" "$(lines StoreCode,ReasonCode,Lines,Added,Removed,Net,Value \
	MAIN,DMG,2,0,2,-2,-54.90 MAIN,FI,5,472,0,472,7619.25 MAIN,NF,1,0,1,-1,-12.50 \
	MALL,FI,3,93,0,93,2203.00 WH,DMG,3,0,9,-9,-74.70 WH,FI,6,1410,0,1410,31240.25)" "$out"
report item
check "by item (HB-004 has no cost: an empty Value, never 0)" "$(lines ItemNumber,Lines,Added,Removed,Net,Value \
	CB-0042,1,250,0,250,811.25 DS-010,1,75,0,75,9749.25 HB-004,2,95,0,95, HD-500,1,30,0,30,1050.00 \
	KB-100,7,740,7,733,18296.40 MN-270,1,12,0,12,2268.00 MS-200,3,115,1,114,1425.00 \
	PB-020,1,140,0,140,2576.00 SD-064,2,500,4,496,3975.00 WC-100,1,18,0,18,769.50)" "$out"
report user
check "by user" "$(lines User,Lines,Added,Removed,Net,Value admin,13,1970,0,1970,41062.50 \
	clerk,4,0,5,-5,-67.40 super,3,5,7,-2,-74.70)" "$out"
report day
check "by day: KB-100 at 24.90 on 06-18, at 30 on 06-20" "$(lines Date,Lines,Added,Removed,Net,Value \
	2026-06-10,1,0,2,-2, 2026-06-12,1,0,4,-4, 2026-06-15,16,1975,4,1971,40975.30 \
	2026-06-18,1,0,1,-1,-24.90 2026-06-20,1,0,1,-1,-30.00)" "$out"
report week
check "by ISO week" "$(lines Week,Lines,Added,Removed,Net,Value 2026-W24,2,0,6,-6, \
	2026-W25,18,1975,6,1969,40920.40)" "$out"
report month
check "by month" "$(lines Month,Lines,Added,Removed,Net,Value 2026-06,20,1975,12,1963,40920.40)" "$out"
report store,reason --with-reversed
check "the reversed pair kept" "$(lines StoreCode,ReasonCode,Lines,Added,Removed,Net,Value \
	MAIN,DMG,2,0,2,-2,-54.90 MAIN,FI,5,472,0,472,7619.25 MAIN,NF,1,0,1,-1,-12.50 \
	MALL,FI,3,93,0,93,2203.00 MALL,REV,1,1,0,1,24.90 MALL,THF,1,0,1,-1,-24.90 \
	WH,DMG,3,0,9,-9,-74.70 WH,FI,6,1410,0,1410,31240.25)" "$out"
report reason --store WH --item KB-100 --to 2026-06-14
check "a store, an item and a range: before any cost" "$(lines ReasonCode,Lines,Added,Removed,Net,Value \
	DMG,1,0,2,-2,)" "$out"
report item --reason DMG --from 2026-06-16
check "a reason, from a later day" "$(lines ItemNumber,Lines,Added,Removed,Net,Value \
	KB-100,2,0,2,-2,-54.90)" "$out"
as_super run 0 report adjustments --by store
check "the table ends with a total line; the default range is the last 30 days" "$(lines \
	'StoreCode         Lines      Added    Removed        Net           Value' \
	'MAIN                  8        472          3        469         7551.85' \
	'MALL                  3         93          0         93         2203.00' \
	'WH                    9       1410          9       1401       31165.55*' \
	'Total                20       1975         12       1963       40920.40*' \
	'2026-05-22 to 2026-06-20, by store; reversed adjustments and their reversals left out.' \
	'* 4 of 20 lines have no unit cost on their date: Value is the value of the others only.')" "$out"
LC_ALL=C.UTF-8 as_super run 0 report adjustments --by item,store --item HB-004
check "no value at all: a dash" "$(lines \
	'ItemNumber        StoreCode         Lines      Added    Removed        Net           Value' \
	'HB-004            WH                    2         95          0         95               —' \
	'Total                                   2         95          0         95               —' \
	'2026-05-22 to 2026-06-20, by item and store; reversed adjustments and their reversals left out.' \
	'2 of 2 lines have no unit cost on their date: Value is not known for any.')" "$out"
LC_ALL=C as_super run 0 report adjustments --by item --item HB-004
check_contains "... an ASCII one where the terminal has no other" "HB-004                    2         95          0         95               -" "$out"

run 0 report item KB-100 --store MAIN --from 2026-06-14 --format csv
check "an item day by day, for anyone" "$(lines Date,NetAvailable,Diff 2026-06-14,0,0 2026-06-15,100,100 \
	2026-06-16,100,0 2026-06-17,100,0 2026-06-18,99,-1 2026-06-19,99,0 2026-06-20,98,-1)" "$out"
run 0 report item 012345678905 --from 2026-06-19
check "every store, the item by its UPC, as a table" "$(lines 'Date        NetAvailable        Diff' \
	'2026-06-19           734           0' '2026-06-20           733          -1')" "$out"

# Who may, and bad input: one line naming the field.
run 5 report adjustments
check "a clerk may not" "not permitted: reports of adjustments are for supervisors and admins (they show values at cost and figures by user)" "$err"
as_super run 2 report adjustments --by store,colour
check "an unknown key" "invalid input: By: \"colour\" is not one of reason, store, item, user, day, week, month" "$err"
as_super run 2 report adjustments --from 2026-06-20 --to 2026-06-01
check "from after to" "invalid input: From: 2026-06-20 is after To (2026-06-01)" "$err"
as_super run 3 report adjustments --store NOPE
check "an unknown store" "not found: Store: \"NOPE\" is not a known store code" "$err"
run 1 report
check_contains "a kind is needed" "expected: report adjustments|item" "$err"
run 1 report item
check_contains "an item is needed" "report item needs an ITEM" "$err"
run 0 report --help
check_contains "help" "report adjustments [--by KEY[,KEY]]" "$out"
run 0 verify
check_contains "every summary verifies" "ok: 22 ledger rows" "$out"
finish
