#!/bin/sh
# Ctrl-Z from a shell with job control: the shell reports the job
# stopped, `fg` brings the screen back with the typed line intact.
. "$(dirname "$0")/lib.sh"
command -v bash >/dev/null || { echo "skip: no bash"; exit 0; }
make_db
tmux -L "$SOCK" -f /dev/null new-session -d -x 80 -y 24 \
	"env TERM=screen PS1='test\$ ' bash --norc --noprofile -i" || fail "tmux did not start"
wait_for "test\$"
text "'$INVADJ' --db '$DB'"; keys Enter
wait_for "Inventory Adjustment - log in"
login clerk 1111
first_line MAIN KB-100 FI 3
wait_re "FI +100 +3 +103"

keys C-z
wait_for "Stopped"
absent "Item Number"
text fg; keys Enter
wait_re "FI +100 +3 +103"
wait_for "F10 Quit"
keys C-s
wait_for "Saved document"
[ "$(balance MAIN KB-100)" = 103 ] || fail "balance is $(balance MAIN KB-100), not 103"
echo "ok"
