#!/bin/sh
# Counts on the command line, golden output on the demo data: start, scan
# from two terminals, blind output for a clerk in every format, a sale
# during the count, posting (refused for moved items, then accepted),
# posting twice, zeroing what nobody counted, reversing a posted count
# as a batch, cancel and list, and verify.  Run on PostgreSQL too
# (tests/pg/test_on_server.sh).
. tests/cli/lib.sh
demo_db
clerk() { INVADJ_PIN=1111 run "$@"; }
ledger_rows() { "$INVADJ" history --format csv | sed 1d | wc -l; }
super() { INVADJ_PIN=2222 run "$@"; }

# Start: the id alone for a script, or CSV with its header.
clerk 0 --user clerk count start --store MAIN --blind --all --memo "aisle 3"
check "start prints the id" "1" "$out"
clerk 0 --user clerk count start --store WH --format csv
check "start as CSV" "CountId
2" "$out"
clerk 1 --user clerk count start --store MAIN --all --items "$T/x.csv"
check_contains "items or all" "--items and --all" "$err"
clerk 3 --user clerk count start --store NOPE
check_contains "an unknown store" 'Store: "NOPE" is not a known store code' "$err"
run 1 count start --store MAIN
check_contains "a login is needed" "User:" "$err"

# Scans, several terminals at once: every one counts.
for t in 1 2 3; do
	( for k in 1 2 3 4 5; do INVADJ_PIN=1111 "$INVADJ" --user clerk count add 1 --item KB-100 >/dev/null || exit 1; done ) &
done
wait
clerk 0 --user clerk count add 1 --item 012345678905 --qty 3 --format csv
check "15 scans from three terminals, then 3 by UPC" "ItemNumber,Description,Counted
KB-100,Wireless Keyboard,18" "$out"
clerk 0 --user clerk count add 1 --item KB-100 --set 98 --format csv
check "a recount" "ItemNumber,Description,Counted
KB-100,Wireless Keyboard,98" "$out"
clerk 0 --user clerk count add 1 --item MS-200 --qty 80
clerk 0 --user clerk count add 1 --item MS-200
clerk 0 --user clerk count undo 1
check "undo says what it took back" "undone: scan 20, MS-200 +1
ItemNumber        Description                      Counted
MS-200            Wireless Mouse                        80" "$out"
clerk 2 --user clerk count add 1 --item MS-200 --qty 0
check "no zero scans" "invalid input: Qty: 0 must be 1 or more (a scan adds; undo one with count undo, or recount with --set)" "$err"
clerk 1 --user clerk count add 1 --item MS-200 --qty 2 --set 3
check_contains "qty or set" "--qty and --set" "$err"
clerk 1 --user clerk count add 1 --item MS-200 --memo x
check_contains "options of another subcommand" "--memo is not an option of count add" "$err"

# Blind: a clerk (or anyone not logged in) sees what was counted, no more.
clerk 0 --user clerk count show 1 --format csv
check "blind for the clerk" "ItemNumber,Description,Counted
KB-100,Wireless Keyboard,98
MS-200,Wireless Mouse,80" "$out"
run 0 count show 1 --format csv --by-variance
check "blind for nobody in particular" "ItemNumber,Description,Counted
KB-100,Wireless Keyboard,98
MS-200,Wireless Mouse,80" "$out"
clerk 0 --user clerk count show 1
check "blind table" "count 1 at MAIN, open, blind, all items, started 2026-06-15 12:00:00+00:00 by clerk: aisle 3
ItemNumber        Description                Counted
KB-100            Wireless Keyboard               98
MS-200            Wireless Mouse                  80
2 counted" "$out"
clerk 5 --user clerk count post 1
check "a clerk does not post a blind count" "not permitted: count 1 is blind: a supervisor or admin reviews and posts it" "$err"
check "nor sees its lines" "" "$out"
clerk 5 --user clerk count post 1 --dry-run
check "nor previews it" "" "$out"
super 0 --user super count show 1 --format csv
check "the supervisor sees everything" "ItemNumber,Description,Counted,NetAvailableAtStart,MovedSince,Diff
CB-0042,\"USB-C Cable, 1 m\",,250,0,
HD-500,Headset with Microphone,,30,0,
KB-100,Wireless Keyboard,98,100,0,-2
MN-270,\"27\"\" Monitor\",,12,0,
MS-200,Wireless Mouse,80,80,0,0" "$out"

# A sale during the count: reported, not in the Diff.
super 0 --user super adjust --store MAIN --item KB-100 --diff -1 --reason DMG
super 0 --user super count show 1 --format csv --by-variance
check "moved first, the Diff unchanged" "ItemNumber,Description,Counted,NetAvailableAtStart,MovedSince,Diff
KB-100,Wireless Keyboard,98,100,-1,-2
CB-0042,\"USB-C Cable, 1 m\",,250,0,
HD-500,Headset with Microphone,,30,0,
MN-270,\"27\"\" Monitor\",,12,0,
MS-200,Wireless Mouse,80,80,0,0" "$out"
# The table adds each Diff's value at the item's cost (KB-100 24.90):
# 2 x 24.90; CSV keeps its six columns (above).
super 0 --user super count show 1 --by-variance
check_contains "the table values the Diff" "KB-100            Wireless Keyboard               98                  100          -1        -2      -49.80" "$out"
rows=$(ledger_rows)
super 4 --user super count post 1 --format csv
check "moved lines listed before anything posts" "Id,ItemNumber,Description,Counted,NetAvailableAtStart,MovedSince,Diff,NewQty
,KB-100,Wireless Keyboard,98,100,-1,-2,97" "$out"
check "and refused" "refused: 1 item moved since counted: KB-100 (-1); recount it or post accepting the moves" "$err"
check "nothing posted" "$rows" "$(ledger_rows)"
super 0 --user super count post 1 --zero-uncounted --accept-moved --dry-run --format csv
check "a dry run shows every line" "Id,ItemNumber,Description,Counted,NetAvailableAtStart,MovedSince,Diff,NewQty
,KB-100,Wireless Keyboard,98,100,-1,-2,97
,CB-0042,\"USB-C Cable, 1 m\",0,250,0,-250,0
,HD-500,Headset with Microphone,0,30,0,-30,0
,MN-270,\"27\"\" Monitor\",0,12,0,-12,0
,MS-200,Wireless Mouse,80,80,0,0,80" "$out"
check "and posts nothing" "$rows" "$(ledger_rows)"
super 0 --user super count post 1 --accept-moved
check "posted: the moved line, then the rows" "    Id  ItemNumber        Description                Counted  NetAvailableAtStart  MovedSince      Diff    NewQty
        KB-100            Wireless Keyboard               98                  100          -1        -2        97
1 item moved since counted: posted as counted, the moves kept (--accept-moved)

    Id  ItemNumber        Description                Counted  NetAvailableAtStart  MovedSince      Diff    NewQty
    15  KB-100            Wireless Keyboard               98                  100          -1        -2        97
        MS-200            Wireless Mouse                  80                   80           0         0        80
posted count 1: 1 row as document 15, batch 1" "$out"
run 0 balance --store MAIN --item KB-100 --format csv
check "New Qty = Net Available now + Diff" "MAIN,KB-100,97" "$(echo "$out" | sed 1d)"
run 0 history --batch 1 --format csv
check "History: one document with its count" "15,15,2026-06-15,MAIN,KB-100,CC,-2,super,,,,1,count 1" \
	"$(echo "$out" | sed 1d | cut -d, -f1-3,5-)"
super 4 --user super count post 1 --accept-moved
check "posting twice" "refused: count 1 was already posted by super at 2026-06-15T12:00:00.000Z: a count posts once" "$err"
clerk 4 --user clerk count add 1 --item KB-100
check_contains "no scans after" "already posted" "$err"

# Zero-uncounted: only what had stock and nobody counted.
clerk 0 --user clerk count start --store WH --all
clerk 0 --user clerk count add 3 --item KB-100 --set 600
super 0 --user super count post 3 --zero-uncounted --format csv
check "zeroed" "Id,ItemNumber,Description,Counted,NetAvailableAtStart,MovedSince,Diff,NewQty
16,DS-010,Laptop Docking Station,0,75,0,-75,0
17,HB-004,USB Hub 4 Port,0,90,0,-90,0
,KB-100,Wireless Keyboard,600,600,0,0,600
18,PB-020,Power Bank 20000 mAh,0,140,0,-140,0
19,SD-064,SD Card 64 GB,0,500,0,-500,0" "$out"
clerk 2 --user clerk count post 2 --zero-uncounted
check_contains "scanned items only: none is uncounted" "Zero uncounted: count 2 covers the items scanned only" "$err"

# Reversing a posted count is a batch reversal.
super 0 --user super reverse --batch 2
check "reversed" "reversed batch 2: 4 rows reversed by batch 3 (document 20)" "$out"
run 0 balance --store WH --item SD-064 --format csv
check "back to the books" "WH,SD-064,500" "$(echo "$out" | sed 1d)"

# Cancel and list.
clerk 0 --user clerk count cancel 2
check "cancelled" "cancelled count 2" "$out"
run 0 count list --format csv
check "list" "CountId,Store,Status,Blind,Scope,Scans,Items,StartedBy,StartedAt,EndedBy,EndedAt,Document,Memo
3,WH,posted,no,all,1,1,clerk,2026-06-15T12:00:00.000Z,super,2026-06-15T12:00:00.000Z,16,
2,WH,cancelled,no,scanned,0,0,clerk,2026-06-15T12:00:00.000Z,clerk,2026-06-15T12:00:00.000Z,,
1,MAIN,posted,yes,all,20,2,clerk,2026-06-15T12:00:00.000Z,super,2026-06-15T12:00:00.000Z,15,aisle 3" "$out"
run 0 count list --store MAIN --format csv
check "list of a store" "2" "$(echo "$out" | wc -l | tr -d ' ')"
run 1 count
check_contains "a subcommand is needed" "expected: count start|add|undo|show|post|cancel|list" "$err"
run 1 count show
check_contains "an id is needed" "count show takes the count's id" "$err"
run 3 count show 99
check "an unknown count" "not found: Count: there is no count 99" "$err"

run 0 verify
check_contains "verify recomputes the posted counts" "2 posted counts; every hash and rule holds" "$out"
finish
