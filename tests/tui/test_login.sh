#!/bin/sh
# Login: a wrong PIN is refused without saying which part was wrong, the
# form is cleared with the cursor in User; the PIN is never echoed; the
# right PIN opens Adjust with the user and role in the top line.
. "$(dirname "$0")/lib.sh"
make_db
start

text clerk; keys Enter
text 9999
wait_for "****"
absent "9999"
keys Enter
wait_for "wrong user name or PIN"
wait_for "not logged in"
absent "clerk"
# F2 before logging in stays on the login screen
keys F2
wait_for "Log in first"
wait_for "Inventory Adjustment - log in"

text clerk; keys Enter
text 1111; keys Enter
wait_for "User clerk (clerk)"
wait_for "Adjust Inventory"
wait_for "Item Number"
echo "ok"
