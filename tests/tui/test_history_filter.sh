#!/bin/sh
# History: newest first with the newest row selected, `/` filters by
# item, Enter shows a row's detail.
. "$(dirname "$0")/lib.sh"
make_db
for d in 4 -3; do
	INVADJ_USER=clerk INVADJ_PIN=1111 "$INVADJ" --db "$DB" adjust --store MAIN --item MS-200 --diff "$d" --reason CC >/dev/null \
		|| fail "set-up adjustment failed"
done
start
login clerk 1111
keys F3
wait_for "newest first"
# the first row under the header is the newest: Diff -3
screen | sed -n 4p | grep -qE "MAIN +MS-200 +CC +-3 +clerk" || fail "the newest row is not first"
keys /
wait_for "Leave a field empty to match any"
keys Down
text MS-200; keys Enter Enter Enter Enter Enter Enter
wait_for "Filter: item MS-200"
wait_for "of 4, newest first"
absent "KB-100"
keys Down Enter
wait_for "Diff +4"
wait_for "Entered by clerk"
keys Escape
wait_for "Filter: item MS-200"
echo "ok"
