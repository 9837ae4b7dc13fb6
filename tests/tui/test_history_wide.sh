#!/bin/sh
# History shows item descriptions where the width allows, spare width
# goes to the text columns in proportion (not all to Item), and the
# detail names the item's description.
. "$(dirname "$0")/lib.sh"
make_db
start 250 30
login clerk 1111
keys F3
wait_for "newest first"
wait_re "MAIN +KB-100 +Wireless Keyboard +FI +\\+100 +admin"
# the gap after the item number is not the whole spare width
line=$(screen | grep -E "MAIN +KB-100 +Wireless Keyboard" | head -1)
gap=$(printf '%s\n' "$line" | sed -E 's/.*KB-100( +)Wireless.*/\1/' | tr -d '\n' | wc -c)
[ "$gap" -lt 60 ] || fail "the Item column takes $gap columns of spare width"
tmux -L "$SOCK" resize-window -x 120 -y 30
keys C-l
wait_re "MAIN +KB-100 +Wireless Key"
keys End
wait_re "Row 13 of 13"
keys Enter
wait_for "Item KB-100 (Wireless Keyboard)"
echo "ok"
