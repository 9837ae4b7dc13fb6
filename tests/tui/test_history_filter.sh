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
# the first row under the header is the newest: Diff -3; other items
# are listed too, so that their absence after the filter means something
screen | sed -n 4p | grep -qE "MAIN +MS-200 +CC +-3 +clerk" || fail "the newest row is not first"
wait_for "KB-100"
wait_re "of 15, newest first"
keys /
wait_for "Leave a field empty to match any"
keys Down
text MS-200; keys Enter Enter Enter Enter Enter Enter
wait_for "Filter: item MS-200"
wait_for "of 4, newest first"
absent "KB-100"
[ "$(screen | grep -cE '^ +[0-9]+ 2026-03-02 (MAIN|MALL) +MS-200 ')" = 4 ] || fail "the filtered list is not MS-200's 4 rows"
keys Down Enter
wait_for "Diff +4"
wait_for "Entered by clerk"
keys Escape
wait_for "Filter: item MS-200"
echo "ok"
