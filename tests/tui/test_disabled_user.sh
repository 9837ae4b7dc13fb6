#!/bin/sh
# A clerk's screen is left logged in while an admin disables the clerk
# from another terminal: the next save is refused, nothing is written,
# and the screen goes back to the login, where the clerk cannot log in.
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
first_line MAIN KB-100 FI 5
wait_re "FI +100 +5 +105"
INVADJ_USER=admin INVADJ_PIN=0000 "$INVADJ" --db "$DB" user disable clerk >/dev/null || fail "user disable failed"
keys C-s
wait_for "Logged out: an admin has disabled this user"
wait_for "Inventory Adjustment - log in"
[ "$(balance MAIN KB-100)" = 100 ] || fail "the disabled clerk's line was saved"
text clerk; keys Enter; text 1111; keys Enter
# (on a server the disabled role may not log in: any refused login)
case "$DB" in
postgres*) wait_for "Login: wrong user name or PIN" ;;
*) wait_for "user clerk is disabled" ;;
esac
wait_for "not logged in"
echo "ok"
