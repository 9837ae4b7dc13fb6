#!/bin/sh
# A supervisor reviews a count on the Count screen and posts it: the
# lines come largest difference first (by value, where items have a
# cost) with the item that moved during the count marked; Enter recounts it; z posts what nobody counted as 0;
# Ctrl-S asks one question (a y typed with Ctrl-S answers nothing) and
# only then posts, as one document; the command line and verify agree.
. "$(dirname "$0")/lib.sh"
make_db
cli() { "$INVADJ" --db "$DB" "$@"; }
INVADJ_PIN=1111 cli --user clerk count start --store MAIN --all >/dev/null || fail "count start"
INVADJ_PIN=1111 cli --user clerk count add 1 --item KB-100 --qty 98 >/dev/null
INVADJ_PIN=1111 cli --user clerk count add 1 --item MS-200 --qty 80 >/dev/null
INVADJ_PIN=1111 cli --user clerk count add 1 --item MN-270 --qty 10 >/dev/null
# sold while the count was under way
INVADJ_PIN=2222 cli --user super adjust --store MAIN --item KB-100 --diff -1 --reason DMG >/dev/null
rows=$(ledger_rows)
start
login super 2222

keys F9
wait_re "1 +MAIN +open +all +3 +clerk"
keys Enter
wait_for "Count 1 at MAIN"
wait_for "No scans on this terminal yet."
keys F7
wait_for "3 counted, 2 not, 1 moved; posts 2 rows: +0 -4"
# the moved item first, then the largest difference
# (the Value column, Diff at the item's cost, leaves the description
# 16 columns at 80)
wait_re "KB-100 +Wireless Keyboard? +98 +100 +MOVED -1 +-2 +97 +-49.80"
wait_re "MN-270 +27\" Monitor +10 +12 +-2 +10 +-378.00"
screen | grep -A1 "Item Number" | grep -q "KB-100" || fail "the moved item is not listed first"

# recounted: 97 on the shelf now, against 99 on the books now
keys Enter
wait_for "Recount KB-100 Wireless Keyboard"
text 97; keys Enter
wait_for "KB-100 recounted: 97 on the shelf now."
wait_re "KB-100 +Wireless Keyboard? +97 +99r +-2 +97"
wait_for "3 counted, 2 not, 0 moved"

keys z
wait_for "Items nobody counted will post as counted 0."
wait_re "CB-0042 +USB-C Cable, 1 m +0 +250 +-250 +0"
wait_for "posts 4 rows: +0 -284"

# one question; the y typed with Ctrl-S answers nothing
keys C-s y
wait_for "Post count 1 at MAIN as one document dated 2026-03-02: 4 rows, +0 and"
sleep 1
absent "Posted count"
[ "$(ledger_rows)" = "$rows" ] || fail "a key typed before the question posted the count"
keys y
wait_for "Posted count 1: 4 rows as document"
wait_for "posted, all items"
[ "$(balance MAIN KB-100)" = 97 ] || fail "KB-100 is $(balance MAIN KB-100), not 97"
[ "$(balance MAIN MN-270)" = 10 ] || fail "MN-270 is $(balance MAIN MN-270), not 10"
[ "$(balance MAIN CB-0042)" = 0 ] || fail "CB-0042 is $(balance MAIN CB-0042), not 0"
[ "$(balance MAIN MS-200)" = 80 ] || fail "MS-200 changed"
[ "$(cli history --batch 1 --format csv | sed 1d | cut -d, -f13,14 | sort -u)" = "1,count 1" ] ||
	fail "the batch's rows do not name the count"
cli verify >"$TMP/verify" 2>&1 || fail "verify: $(cat "$TMP/verify")"
# posted once
keys C-s
wait_for "Count 1 was posted: it posts once."
# History: one document, its rows a batch of rule count that names the count
keys F3
wait_re "CC +-250 +super +batch 1"
keys Enter
wait_for "Batch 1 (rule count): count 1 at MAIN"
wait_for "Memo: count 1"
echo "ok"
