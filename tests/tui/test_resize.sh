#!/bin/sh
# Resizing while in use: larger, smaller than 80x24 (a plain message,
# no garbage), and back to 80x24, with typed lines kept and still working.
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
text MAIN; keys Enter; keys Enter
text KB-100; keys Enter
text FI; keys Enter
text 5
wait_re "FI +100 +5 +105"

tmux -L "$SOCK" resize-window -x 132 -y 40
wait_re "FI +100 +5 +105"
# the top line's right end follows the width: 132 columns
[ "$(screen | sed -n 1p | awk '{print length($0)}')" -gt 100 ] || fail "the top line did not widen"
screen | sed -n 40p | grep -q "F10 Quit" || fail "the key bar is not on the last of 40 lines"

tmux -L "$SOCK" resize-window -x 60 -y 20
wait_for "needs a terminal of at least 80x24"

tmux -L "$SOCK" resize-window -x 80 -y 24
wait_re "FI +100 +5 +105"
screen | sed -n 24p | grep -q "F10 Quit" || fail "the key bar is not on line 24"
[ "$(screen | sed -n 1p | awk '{print length($0)}')" -le 80 ] || fail "the top line is wider than 80"
absent "needs a terminal"

keys C-s
wait_for "Saved document"
[ "$(balance MAIN KB-100)" = 105 ] || fail "balance is $(balance MAIN KB-100), not 105"
echo "ok"
