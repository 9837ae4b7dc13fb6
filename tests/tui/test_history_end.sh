#!/bin/sh
# History of 200,000 rows: the header gives the true count, End shows
# the oldest row at once and Home the newest, PgUp/PgDn read on from
# there, and a filter by item reads the first page of its rows.
. "$(dirname "$0")/lib.sh"
make_db
awk 'BEGIN { print "StoreCode,ItemNumber,Qty,ReasonCode"; for (i = 0; i < 200000; i++) print "MAIN,MS-200,1,CC" }' >"$TMP/many.csv"
INVADJ_USER=super INVADJ_PIN=2222 "$INVADJ" --db "$DB" upload "$TMP/many.csv" --rule delta >/dev/null || fail "set-up upload failed"
total=$(( 200000 + $(INVADJ_USER=super INVADJ_PIN=2222 "$INVADJ" --db "$DB" history --format csv --item KB-100 | sed 1d | wc -l) ))
start
login clerk 1111
keys F3
wait_for "newest first"
wait_re "Row 1 of 2000[0-9][0-9],"
keys End
wait_re "Row 2000[0-9][0-9] of 2000[0-9][0-9],"
wait_re "^ +1 2026-03-02 MAIN +KB-100"
keys PPage
wait_re "^ +1[0-9] 2026-03-02"
keys Home
wait_re "Row 1 of 2000[0-9][0-9],"
wait_re "^ +2000[0-9][0-9] 2026-03-02 MAIN +MS-200"
keys /
wait_for "Leave a field empty to match any"
keys Down; text KB-100; keys Enter Enter Enter Enter Enter Enter
wait_for "Filter: item KB-100"
wait_re "^ +1 2026-03-02 MAIN +KB-100"
absent "MS-200"
echo "ok"
