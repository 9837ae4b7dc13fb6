#!/bin/sh
# Hostile logins (issue 11): parallel guesses get no more PIN checks
# than guesses in a row; unknown, wrong and waiting names get the same
# answer; the database's owner has a way back in that a clerk has not.
. tests/cli/lib.sh
demo_db

# How many PIN checks a name has had (failures counted), whichever
# schema the program under test keeps them in.
checks() {
	n=$(db_sql "SELECT failures FROM login_failures WHERE name = '$1'" 2>/dev/null) ||
		n=$(db_sql "SELECT failed_logins FROM users WHERE name = '$1'")
	echo "${n:-0}"
}

# On a server the server checks passwords (each person is a role of
# it): its auth_delay slows guesses down and invadj counts none, which
# any person could reset with psql.  What invadj keeps there: one answer
# for a wrong PIN, an unknown name and a disabled user, and no counters.
if on_server; then
	for k in $(seq 1 32); do
		INVADJ_PIN="9$k" "$INVADJ" --user super user list >/dev/null 2>&1 &
	done
	wait
	INVADJ_PIN=1234 run 5 --user clerk user list
	wrong=$err
	check "the server's refusal, in invadj's words" "login failed: Login: wrong user name or PIN" "$wrong"
	INVADJ_PIN=1234 run 5 --user nobody user list
	check "unknown name, same answer" "$wrong" "$err"
	INVADJ_PIN=0000 "$INVADJ" --user admin user disable clerk >/dev/null
	INVADJ_PIN=1111 run 5 --user clerk user list
	check "a disabled user (right PIN), same answer" "$wrong" "$err"
	INVADJ_PIN=0000 "$INVADJ" --user admin user enable clerk >/dev/null
	check "no wrong-PIN counters on a server" "0" "$(db_sql "SELECT count(*) FROM login_failures")"
	INVADJ_PIN=2222 run 0 --user super user list
	run 4 user unlock super
	check_contains "nothing to unlock" "nothing to unlock" "$err"
	finish
	exit
fi

# 32 wrong PINs at once for super.
start=$(date +%s)
for k in $(seq 1 32); do
	INVADJ_PIN="9$k" "$INVADJ" --user super user list >/dev/null 2>&1 &
done
wait
elapsed=$(($(date +%s) - start + 1))
# One after another in that time: 3, then one each after 5 s, 10 s, ...
sequential=3 delay=5 waited=5
while [ "$waited" -le "$elapsed" ]; do
	sequential=$((sequential + 1)) delay=$((delay * 2)) waited=$((waited + delay))
done
got=$(checks super)
[ "$got" -ge 3 ] && [ "$got" -le "$sequential" ] && ok ||
	fail "32 guesses at once got $got PIN checks in $elapsed s; one after another would get $sequential"

# The same answer for a wrong PIN, an unknown name and a name that must wait.
INVADJ_PIN=1234 run 5 --user clerk user list
wrong=$err
INVADJ_PIN=1234 run 5 --user nobody user list
check "unknown name, same answer" "$wrong" "$err"
INVADJ_PIN=2222 run 5 --user super user list
check "waiting name (right PIN), same answer" "$wrong" "$err"
for k in 1 2 3 4; do INVADJ_PIN=1234 "$INVADJ" --user nobody user list >/dev/null 2>&1; done
INVADJ_PIN=1234 run 5 --user nobody user list
check "a waiting unknown name, same answer" "$wrong" "$err"
check "unknown names are counted like known ones" "3" "$(checks nobody)"

# One wrong PIN for admin every few minutes kept admin out for good.
# The owner of the database file unlocks; no login is needed for it.
for k in 1 2 3 4; do INVADJ_PIN=9999 "$INVADJ" --user admin user list >/dev/null 2>&1; done
INVADJ_PIN=0000 run 5 --user admin user list
chown 4242 "$INVADJ_DB"
run 5 user unlock admin
check_contains "only the file's owner unlocks" "only the owner of the database file" "$err"
chown "$(id -u)" "$INVADJ_DB"
run 0 user unlock admin
check "unlock" "unlocked admin: the wrong PINs given for it are forgotten" "$out"
INVADJ_PIN=0000 run 0 --user admin user list
finish
