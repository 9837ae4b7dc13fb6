#!/bin/sh
# Ctrl-T onto a file that exists asks before replacing it; Enter alone
# (No) and n leave the file as it was, y replaces it with the template.
. "$(dirname "$0")/lib.sh"
make_db
printf 'StoreCode,ItemNumber,Qty,ReasonCode\nMAIN,KB-100,7,CC\n' >"$TMP/count.csv"
start
login clerk 1111
keys F4
wait_for "Upload Inventory"
keys C-t
wait_for "The upload template CSV is written"
keys C-u; text "$TMP/count.csv"; keys Enter
wait_for "already exists"
keys Enter
wait_for "is unchanged"
grep -q '^MAIN,KB-100,7,CC$' "$TMP/count.csv" || fail "Enter replaced the filled file"
keys C-t
wait_for "The upload template CSV is written"
keys C-u; text "$TMP/count.csv"; keys Enter
wait_for "already exists"
keys y
wait_for "Template written"
grep -q 'MAIN,KB-100' "$TMP/count.csv" && fail "y did not replace the file"
head -1 "$TMP/count.csv" | grep -q '^\*\*StoreCode' || fail "the replaced file is not the template"
# a new name is written without a question
keys C-t
wait_for "The upload template CSV is written"
keys C-u; text "$TMP/new.csv"; keys Enter
wait_for "Template written to $TMP/new.csv"
[ "$(stat -c %a "$TMP/new.csv")" = 600 ] || fail "the template is not owner-only"
echo "ok"
