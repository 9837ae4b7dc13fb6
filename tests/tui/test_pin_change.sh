#!/bin/sh
# Ctrl-P: a clerk changes their own PIN from any screen.  A wrong
# current PIN or two different new ones change nothing; then the new
# PIN works and the old one no longer does.
. "$(dirname "$0")/lib.sh"
make_db
start
keys C-p
wait_for "Log in first; then ^P changes your PIN"
login clerk 1111
keys F5
wait_for "Net Available"

keys C-p
wait_for "Change the PIN of clerk"
text 9999; keys Enter; text 4321; keys Enter; text 4321; keys Enter
wait_for "Your PIN was not changed: Current PIN: wrong user name or PIN"
absent "4321"

keys C-p
wait_for "Change the PIN of clerk"
text 1111; keys Enter; text 4321; keys Enter; text 4322; keys Enter
wait_for "the two entries differ"

keys C-p
wait_for "Change the PIN of clerk"
text 1111; keys Enter; text 4321; keys Enter; text 4321; keys Enter
wait_for "Your PIN was changed"
INVADJ_USER=clerk INVADJ_PIN=1111 "$INVADJ" --db "$DB" adjust --store MAIN --item KB-100 --diff 1 --reason FI >/dev/null 2>&1 \
	&& fail "the old PIN still works"
INVADJ_USER=clerk INVADJ_PIN=4321 "$INVADJ" --db "$DB" adjust --store MAIN --item KB-100 --diff 1 --reason FI >/dev/null 2>&1 \
	|| fail "the new PIN does not work"
keys F1
wait_for "WHAT THE WORDS MEAN"
keys NPage; keys NPage
wait_for "Change your own PIN"
echo "ok"
