#!/bin/sh
# A clerk counts at the shelf on the Count screen (F9): starts a blind
# count of all items, then scans as a scanner does (the code and Enter,
# as fast as the keys come, several in one burst): each scan adds 1,
# digits and * multiply the next scan, an unknown code stays for the
# next scan to replace, - with the field empty undoes the last scan.
# Every scan lands in the item field and is saved: the command line
# shows the same counts.  The clerk's review shows no expected numbers.
. "$(dirname "$0")/lib.sh"
make_db
count_show() { INVADJ_PIN=$2 "$INVADJ" --db "$DB" --user "$1" count show 1 --format csv; }
start
login clerk 1111

keys F9
wait_for "No count is open"
keys C-n
wait_for "Start a count"
text MAIN; keys Enter
wait_re "Blind +\\[not blind\\]"
keys Space
wait_re "Blind +not blind +\\[blind\\]"
keys Enter Space
wait_re "Items +scanned items +\\[all items\\]"
keys Enter; text "aisle 3"; keys C-s
wait_for "Count 1 at MAIN: aisle 3"
wait_for "open, BLIND, all items"

# A burst, typed as a scanner types it, nothing waited for: four scans
# of the keyboard (number, UPC, barcode, alternate) and 12 mice at once.
keys -l "KB-100"; keys Enter
keys -l "012345678905"; keys Enter
keys -l "2000000001007"; keys Enter
keys -l "KEYB-W"; keys Enter
keys -l "12*"; keys -l "012345678912"; keys Enter
wait_re "MS-200 +Wireless Mouse +\\+12 +12"
wait_re "KB-100 +Wireless Keyboard +\\+1 +4"
# A code that is no item stays in the field, and the next scan replaces it.
keys -l "NOPE"; keys Enter
wait_for 'is not a known item number'
wait_re "Item +NOPE"
keys -l "00042"; keys Enter
wait_re "CB-0042 +USB-C Cable, 1 m +\\+1 +1"
check_csv=$(count_show clerk 1111)
[ "$check_csv" = "ItemNumber,Description,Counted
CB-0042,\"USB-C Cable, 1 m\",1
KB-100,Wireless Keyboard,4
MS-200,Wireless Mouse,12" ] || fail "the counts saved are not the scans: $check_csv"

# Undo: - with the field empty takes the cable back; a - in a code is typed.
keys -
wait_re "CB-0042 +USB-C Cable, 1 m +undo \\+1 +0"
keys -l "KB-100"; keys Enter
wait_re "KB-100 +Wireless Keyboard +\\+1 +5"
[ "$(count_show clerk 1111 | grep -c CB-0042)" = 0 ] || fail "the undone scan still counts"

# The clerk's review: what was counted, nothing the books say.
keys F7
wait_for "Blind: 2 items counted"
wait_re "KB-100 +Wireless Keyboard +5"
absent "At start"
absent "-95"   # KB-100's Diff: 5 counted, 100 on the books
absent "-68"   # MS-200's
keys C-s
wait_for "is blind: a supervisor or admin reviews and posts it"
keys Escape
wait_for "Your last scans"
echo "ok"
