#!/bin/sh
# The seed's scenario typed by a clerk: Wireless Keyboard with 100 units,
# Diff 10, New Qty 110 on the line before saving, Ctrl-S ("Adjust
# Inventory"), and the command line then reads 110.
. "$(dirname "$0")/lib.sh"
make_db
[ "$(balance MAIN KB-100)" = 100 ] || fail "demo data: KB-100 at MAIN is not 100"
start
login clerk 1111

text MAIN; keys Enter
wait_for "Main Street"
keys Enter                      # Date: today
text "Wireless Keyboard"; keys Enter
wait_for "Choose an item"       # not an exact code: the picker opens
wait_for "KB-100"
keys Enter
wait_re "KB-100 +Wireless Keyboard"
text FI; keys Enter
wait_re "KB-100 +Wireless Keyboard +FI +100"
text 1
wait_re "FI +100 +1 +101"       # New Qty follows every keystroke
text 0
wait_re "FI +100 +10 +110"
[ "$(balance MAIN KB-100)" = 100 ] || fail "something was saved before Ctrl-S"

keys C-s
wait_for "Saved document"
wait_for "KB-100 110"
[ "$(balance MAIN KB-100)" = 110 ] || fail "balance after saving is $(balance MAIN KB-100), not 110"

# a new document reads Net Available again from the engine
keys Enter
text KB-100; keys Enter
wait_re "KB-100 +Wireless Keyboard +FI +110"
echo "ok"
