#!/bin/sh
# A save checks its document twice, a preview and then under the
# store's lock; on a server the second look's reads are sent ahead on
# the strength of the first's (the store's day among their parameters).
# When the first look's guess is wrong the save is still right: here
# the clock crosses midnight between the two (the test clock moves a
# second at each reading), and the save is dated, summed and approved
# by the second look's day.  Run on a file (test-cli) and on a server
# (tests/pg/test_on_server.sh): the same answers.
. tests/cli/lib.sh
export TZ=UTC
demo_db
unset INVADJ_TODAY
udays() { db_sql "SELECT coalesce(sum(diff), 0) FROM user_days WHERE tdate = '$1'
	AND user_id = (SELECT id FROM users WHERE name = 'clerk')"; }
# 450 on the 15th: the clerk's day total at MAIN (threshold 500).
INVADJ_NOW=2026-06-15T12:00:00Z INVADJ_PIN=1111 run 0 --user clerk adjust --store MAIN --item KB-100 \
	--diff 450 --reason FI
# 100 more, previewed at 23:59:59.5 on the 15th (550: over the
# threshold, so a supervisor approves) and checked at 00:00:00.5 on the
# 16th, where the clerk's day total is 0 and 100 needs no approval.
INVADJ_NOW=2026-06-15T23:59:59.500Z INVADJ_NOW_STEP_MS=1000 INVADJ_PIN=1111 INVADJ_APPROVER_PIN=2222 \
	run 0 --user clerk adjust --store MAIN --item KB-100 --diff 100 --reason FI --approver super
last="SELECT %s FROM ledger WHERE id = (SELECT max(id) FROM ledger)"
check "the save is dated by its check's day, not its preview's" "2026-06-16" \
	"$(db_sql "$(printf "$last" tdate)")"
check "... recorded after midnight" "2026-06-16T00:00:00.500Z" "$(db_sql "$(printf "$last" recorded_at)")"
check "... and needed no approval there (the 16th's day total, not the 15th's)" "0" \
	"$(db_sql "$(printf "$last" "coalesce(approved_by, 0)")")"
check "the clerk's day totals: 450 on the 15th" "450" "$(udays 2026-06-15)"
check "... 100 on the 16th" "100" "$(udays 2026-06-16)"
check "the store's day totals: 100 on the 16th" "100" \
	"$(db_sql "SELECT coalesce(sum(diff), 0) FROM day_totals WHERE tdate = '2026-06-16'")"
run 0 verify
finish
