#!/bin/sh
# Figures are shown with every digit: a Diff of +1,000,000,000 in Adjust
# (New Qty 1000000100) and in History at 80 and at 250 columns.
. "$(dirname "$0")/lib.sh"
make_db
start
login super 2222
first_line MAIN KB-100 FI 1000000000
wait_re "FI +100 +1000000000 +1000000100"
keys C-s
wait_for "Saved document"
wait_re "FI +100 +1000000000 +1000000100"
keys F3
wait_for "newest first"
wait_re "MAIN +KB-100 .*FI +\\+1000000000 +super"
tmux -L "$SOCK" resize-window -x 250 -y 30
keys C-l
wait_re "MAIN +KB-100 .*FI +\\+1000000000 +super"
echo "ok"
