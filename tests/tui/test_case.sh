#!/bin/sh
# Codes match whatever their case: main, kb-100 and fi are taken on
# Adjust without a list; History's filter takes CLERK and main, and an
# unknown user is named as such instead of showing 0 rows.  An import
# of "main" updates MAIN (no twin), and a user "Clerk" cannot be added
# beside "clerk".
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
text main; keys Enter
wait_re "Store MAIN +Main Street"
keys Enter
text kb-100; keys Enter
wait_re "KB-100 +Wireless Keyboard"
text fi; keys Enter
text 3
wait_re "KB-100 +Wireless Keyboard +FI +100 +3 +103"
absent "Choose"
keys C-s
wait_for "Saved document"
keys F3
wait_for "newest first"
keys /
wait_for "Leave a field empty to match any"
text main; keys Down Down Down; text CLERK; keys Enter Enter Enter Enter
wait_for "Filter: store main, user CLERK"
wait_re "of 1, newest first"
wait_re "MAIN +KB-100 .*FI +\\+3 +clerk"
keys /
wait_for "Leave a field empty to match any"
keys Down Down Down C-u; text nobody; keys Enter Enter Enter Enter
wait_for "User: \"nobody\" is not a known user"

printf 'StoreCode,StoreName,AllowNegative,ApprovalThreshold\nmain,Main Street Renamed,no,500\n' >"$TMP/s.csv"
INVADJ_USER=admin INVADJ_PIN=0000 "$INVADJ" --db "$DB" import stores "$TMP/s.csv" >/dev/null || fail "import of main failed"
"$INVADJ" --db "$DB" balance --store MAIN --item KB-100 --format csv | sed -n 2p | grep -q '^MAIN,' || fail "MAIN lost its spelling"
out=$(INVADJ_USER=admin INVADJ_PIN=0000 INVADJ_NEW_PIN=4444 "$INVADJ" --db "$DB" user add Clerk --role clerk 2>&1) && fail "a user Clerk was added beside clerk"
echo "$out" | grep -q "unique regardless of case" || fail "the refusal does not say why: $out"
echo "ok"
