#!/bin/sh
# Server faults (issue 10): the server stopped at once (`pg_ctl stop -m
# immediate`, a crash as far as its data is concerned) in the middle of
# a save and of an upload, and the saving connection killed by the
# server's administrator: after the restart the save is all there or not
# at all, verify is clean, and the same save then goes through on a new
# connection.
#
# "In the middle" is made certain, not left to timing: a superuser's
# session holds the balance row the save's sums must update (FOR
# UPDATE), so the clerk's transaction has inserted its ledger rows and
# waits inside the server's sums trigger when the server goes down.
. tests/pg/lib.sh
if [ -z "${INVADJ_TEST_PG_STATE:-}" ]; then
	echo "needs tests/pg/with-server (INVADJ_TEST_PG_STATE names its server)"; exit 1
fi
db=$(pg_newdb faults)
export INVADJ_DB="$db"
INVADJ_PIN=0000 "$INVADJ" init --admin admin --demo --data "$ROOT/data" >/dev/null || { echo "init failed"; exit 1; }
HOLDER=""
trap 'kill $HOLDER 2>/dev/null; for d in $DBS; do psql -qX "$ADMIN_URI" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1; done; pg_drop_people; rm -rf "$T"' EXIT

state() { db_sql "SELECT (SELECT count(*) FROM ledger) || ' ' || (SELECT sum(qty) FROM balances) || ' ' ||
	(SELECT count(*) FROM batches) || ' ' || (SELECT count(*) FROM user_days)"; }

# hold_balance: a superuser's transaction holds MAIN/KB-100's balance row
# until it is killed (or the server stops).
hold_balance() {
	psql -qXAt "$INVADJ_DB" -c "BEGIN" -c "SELECT 1 FROM balances b JOIN stores s ON s.id = b.store_id
		JOIN items i ON i.id = b.item_id WHERE s.code = 'MAIN' AND i.number = 'KB-100' FOR UPDATE" \
		-c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
	HOLDER=$!
	n=0
	until [ "$(db_sql "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE a.query LIKE '%pg_sleep(120)%' AND l.locktype = 'transactionid'")" = 1 ]; do
		n=$((n + 1)); [ $n -lt 300 ] || { fail "the balance row was never held"; return 1; }
		sleep 0.1
	done
}

# wait_blocked USER: until USER's connection waits for a lock (it is
# inside its save's transaction, its rows inserted).
wait_blocked() {
	n=0
	until [ "$(db_sql "SELECT count(*) FROM pg_stat_activity WHERE usename = '$1' AND wait_event_type = 'Lock'")" = 1 ]; do
		n=$((n + 1)); [ $n -lt 600 ] || { fail "$1's save never reached the server's sums"; return 1; }
		sleep 0.1
	done
}

# start_cmd PIN CMD...: invadj in the background, its output in $T/bg.*
start_cmd() { pin=$1; shift; INVADJ_PIN=$pin "$INVADJ" "$@" >"$T/bg.out" 2>"$T/bg.err" & BG=$!; }
end_cmd() { wait "$BG"; BG_RC=$?; BG_ERR=$(cat "$T/bg.err"); }

server() { tests/pg/pg-ctl "$INVADJ_TEST_PG_STATE" "$@"; }

before=$(state)

# ---- an immediate stop in the middle of a save ---------------------
hold_balance
start_cmd 1111 --user clerk adjust --store MAIN --item KB-100 --diff 7 --reason FI --memo crash
wait_blocked clerk
server stop immediate || fail "the server did not stop"
end_cmd
check "a save cut by the server's crash fails (exit 7)" "7" "$BG_RC"
check_contains "... saying the server went away and nothing was saved" "cannot reach the database server" "$BG_ERR"
check_contains "... nothing was saved" "nothing was saved" "$BG_ERR"
wait "$HOLDER" 2>/dev/null; HOLDER=""
server start || { fail "the server did not start again"; finish; exit 1; }
check "after the restart: no row, no sum of the cut save" "$before" "$(state)"
check "not a trace of its memo" "0" "$(db_sql "SELECT count(*) FROM ledger WHERE memo = 'crash'")"
run 0 verify
INVADJ_PIN=1111 run 0 --user clerk adjust --store MAIN --item KB-100 --diff 7 --reason FI --memo again
check "the same save goes through after the restart" "107" \
	"$(db_sql "SELECT qty FROM balances b JOIN stores s ON s.id = b.store_id JOIN items i ON i.id = b.item_id
		WHERE s.code = 'MAIN' AND i.number = 'KB-100'")"
before=$(state)

# ---- an immediate stop in the middle of an upload -------------------
{
	echo '**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo'
	# (in and out by turns: no day's total comes near the approval threshold)
	i=0; while [ $i -lt 2500 ]; do
		echo "MAIN,KB-100,,1,FI,,up $i"; echo "MALL,MS-200,,2,FI,,up $i"
		echo "MAIN,KB-100,,-1,FI,,up $i"; echo "MALL,MS-200,,-2,FI,,up $i"; i=$((i + 1))
	done
} >"$T/up.csv"
hold_balance
start_cmd 1111 --user clerk upload "$T/up.csv" --rule delta
wait_blocked clerk
check "the upload's rows are in its open transaction, unseen" "0" \
	"$(db_sql "SELECT count(*) FROM ledger WHERE memo LIKE 'up %'")"
server stop immediate || fail "the server did not stop"
end_cmd
check "an upload cut by the server's crash fails (exit 7)" "7" "$BG_RC"
check_contains "... saying the server went away" "cannot reach the database server" "$BG_ERR"
wait "$HOLDER" 2>/dev/null; HOLDER=""
server start || { fail "the server did not start again"; finish; exit 1; }
check "after the restart: none of the upload's 10000 rows, no batch, no sum" "$before" "$(state)"
run 0 verify
INVADJ_PIN=1111 run 0 --user clerk upload "$T/up.csv" --rule delta
check "the same upload after the restart: every row" "10000" \
	"$(db_sql "SELECT count(*) FROM ledger WHERE memo LIKE 'up %'")"
run 0 verify
before=$(state)

# ---- the saving connection killed by the administrator --------------
hold_balance
start_cmd 1111 --user clerk adjust --store MAIN --item KB-100 --diff 3 --reason FI --memo killed
wait_blocked clerk
check "the administrator ends the clerk's connection" "t" \
	"$(db_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'clerk'")"
end_cmd
check "a save whose connection was killed fails (exit 7)" "7" "$BG_RC"
check_contains "... nothing was saved" "nothing was saved" "$BG_ERR"
kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; HOLDER=""
check "no row of the killed save" "$before" "$(state)"
run 0 verify

# ---- a command on a stopped server, then on the restarted one --------
server stop fast || fail "the server did not stop"
INVADJ_PIN=1111 run 7 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
check_contains "a stopped server: one clear line" "cannot reach the database server" "$err"
server start || { fail "the server did not start again"; finish; exit 1; }
INVADJ_PIN=1111 run 0 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
run 0 verify
finish
