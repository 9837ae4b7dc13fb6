#!/bin/sh
# The server restarting while a clerk works on the screens (issue 10):
# Ctrl-S while it is down says the server went away and that nothing was
# saved, the typed lines stay on screen, and once the server is back the
# same Ctrl-S saves them on a new connection made with the clerk's own
# login (kept by the session: docs/deployment.md), without logging in
# again.
. "$(dirname "$0")/../tui/lib.sh"
if [ -z "${INVADJ_TEST_DB:-}" ] || [ -z "${INVADJ_TEST_PG_STATE:-}" ]; then
	echo "needs tests/pg/with-server (INVADJ_TEST_DB, INVADJ_TEST_PG_STATE)"; exit 1
fi
name=ivpg_$$_restart
psql -qX "$INVADJ_TEST_DB" -c "CREATE DATABASE $name" >/dev/null || { echo "cannot create $name"; exit 1; }
DB=${INVADJ_TEST_DB%/*}/$name
export INVADJ_TEST_MIN_SECRET=4 # the demo's four-digit PINs (tests/pg/lib.sh)
drop() {
	cleanup
	psql -qX "$INVADJ_TEST_DB" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1
	for r in admin clerk super; do psql -qX "$INVADJ_TEST_DB" -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
}
trap drop EXIT
server() { tests/pg/pg-ctl "$INVADJ_TEST_PG_STATE" "$@" || fail "pg_ctl $* failed"; }

make_db
rows=$(ledger_rows)
start
login clerk 1111
first_line MAIN KB-100 FI 10; keys Enter
text MS-200; keys Enter; keys Enter; text -5
wait_re "MS-200 +Wireless Mouse +FI +80 +-5 +75"
wait_re "KB-100 +Wireless Keyboard +FI +100 +10 +110"

server stop fast   # a restart: every session is ended
keys C-s
wait_for "Not saved"
wait_for "cannot reach the database server"
# The lines and their Diffs stay (Net Available is unknown while the
# server is away).
wait_re "KB-100 +Wireless Keyboard +FI +(100 +10 +110|10) *\$"
wait_re "MS-200 +Wireless Mouse +FI +(80 +-5 +75|-5) *\$"

server start
keys C-s
wait_for "Saved document"
wait_for "KB-100 110, MS-200 75."
[ "$(balance MAIN KB-100)" = 110 ] || fail "KB-100 is $(balance MAIN KB-100) after the restart"
[ "$(balance MAIN MS-200)" = 75 ] || fail "MS-200 is $(balance MAIN MS-200) after the restart"
[ "$(ledger_rows)" = $((rows + 2)) ] || fail "$(ledger_rows) ledger rows, not $rows and the document's 2"
who=$("$INVADJ" --db "$DB" history --format csv | sed 1d | cut -d, -f1-20 | grep -c clerk)
[ "$who" = 2 ] || fail "the rows saved after the restart are not clerk's: $("$INVADJ" --db "$DB" history --format csv)"
"$INVADJ" --db "$DB" verify >/dev/null || fail "verify after the restart: $("$INVADJ" --db "$DB" verify 2>&1)"
echo "ok"
