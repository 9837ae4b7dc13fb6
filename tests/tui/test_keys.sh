#!/bin/sh
# Keys that must never lose work or crash: Ctrl-C and F10 ask first,
# Esc+digit works like a function key, very long pasted input is cut at
# the field's length, Ctrl-Z suspends and the screen comes back.
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
first_line MAIN KB-100 FI 7
wait_re "FI +100 +7 +107"

# Ctrl-C asks; n keeps everything
keys C-c
wait_for "Quit invadj anyway?"
keys n
wait_gone "Quit invadj anyway?"
wait_re "FI +100 +7 +107"
# F10 with unsaved lines asks too
keys F10
wait_for "Lines you have not saved will be lost"
keys Escape
wait_gone "Lines you have not saved will be lost"
wait_re "FI +100 +7 +107"

# Esc then 3 is F3, Esc then 2 back to Adjust (the line is still there)
keys Escape; keys 3
wait_for "newest first"
keys Escape; keys 2
wait_re "FI +100 +7 +107"
keys F1
wait_for "WHAT THE WORDS MEAN"
keys NPage
wait_for "Esc 1 = F1"
keys NPage
wait_for "F3/Alt-3/Esc 3"
keys F2
wait_re "FI +100 +7 +107"

# a very long paste into the Diff field: cut, refused in words, no crash
long=$(printf '9%.0s' $(seq 1 400))
keys C-u
text "$long"
wait_for "field is full"
wait_re "KB-100 +Wireless K[a-z]* +FI +100 +9999"
wait_for "beyond the limit"
keys C-s
wait_for "Not saved"
[ "$(balance MAIN KB-100)" = 100 ] || fail "the long Diff was saved"
keys C-u
text 7
wait_re "FI +100 +7 +107"

# Ctrl-Z without a shell to return to: says so instead of hanging
keys C-z
wait_for "cannot be suspended"
wait_re "FI +100 +7 +107"
pid=$(cat "$TMP/pid")
keys C-s
wait_for "Saved document"
[ "$(balance MAIN KB-100)" = 107 ] || fail "balance is $(balance MAIN KB-100), not 107"

# nothing unsaved now: a double Ctrl-C quits
keys C-c
wait_for "Quit invadj?"
keys y
n=50
while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
kill -0 "$pid" 2>/dev/null && fail "invadj did not quit"
echo "ok"
