#!/bin/sh
# Messages say what to do and go when their cause goes: 1,000 is said
# to be typed 1000; the approval box names the line and the threshold;
# an error about a line goes when F8 deletes the line; a missing upload
# file is named as missing; a key with no use, and F2 while a box is
# open, are answered instead of doing nothing.
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
first_line MAIN KB-100 FI 1,000
wait_for "has a thousands separator: type the digits only"
keys C-u; text 600
wait_re "FI +100 +600 +700"
keys C-s
wait_for "Supervisor approval"
wait_for "line 1 (KB-100, Diff +600) above store MAIN's"
wait_for "approval threshold of 500."
keys Escape
wait_for "Not saved: no approval given"
keys C-u; text -500
keys C-s
wait_for "Not saved"
wait_for "negative stock"
keys F8
wait_gone "negative stock"
absent "Not saved"

keys F4
wait_for "Upload Inventory"
text "$TMP/no-such.csv"
keys C-s
wait_re "no-such.csv.*(No such file|cannot|does not exist)"
absent "The file has errors"

keys F3
wait_for "newest first"
keys q
wait_for "q does nothing here"
keys b
wait_for "was not posted by an upload"
keys F2
wait_for "answer or close the box first"
keys Enter
wait_gone "was not posted by an upload"
keys F2
wait_for "Item Number"
echo "ok"
