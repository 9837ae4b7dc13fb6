#!/bin/sh
# Writers at different stores never wait for each other on a server
# (issue 15): a save waits only for the stores it writes; two uploads
# and eight savers at once, every Diff kept and every chain whole; two
# uploads naming the same stores in opposite orders both complete; and
# what a person with psql can and cannot do with the locks.
#
# No time is asserted: where a test needs a writer to be still running,
# a lock held from psql keeps it so (the events chain's, which an upload
# takes last), and "it waits" is the server's own word (pg_locks).
. tests/pg/lib.sh
DB=$(pg_newdb locks)
export INVADJ_DB="$DB"
demo_db
STORE_BASE=7597139720274968576
EVENTS_KEY=7597139660145426432
HDR='**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo'

store_key() { db_sql "SELECT $STORE_BASE + id FROM stores WHERE code = '$1'"; }
# waiting N: until N sessions wait for an advisory lock (a hang guard of
# ten minutes, not a time limit on anything measured).
waiting() {
	i=0
	while [ "$(db_sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")" -lt "$1" ]; do
		i=$((i + 1)); [ $i -gt 6000 ] && { fail "nobody came to wait for a lock ($1 expected)"; return 1; }
		sleep 0.1
	done
}
# holder_start URI: a psql session reading SQL from a pipe (fd 3); holder_sql SQL; holder_end.
holder_start() {
	rm -f "$T/hold.fifo"; mkfifo "$T/hold.fifo"
	psql -qXAt "$1" <"$T/hold.fifo" >"$T/hold.out" 2>&1 &
	HOLDER=$!
	exec 3>"$T/hold.fifo"
}
holder_sql() { echo "$1" >&3; }
# holder_end: psql quits (the children started meanwhile hold the pipe open too).
holder_end() { printf '\\q\n' >&3; exec 3>&-; wait $HOLDER; }
# granted KEY: whether some session holds advisory lock KEY.
granted() {
	db_sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND ((classid::bigint << 32) | objid::bigint) = $1"
}
save() { INVADJ_PIN=1111 "$INVADJ" --user clerk adjust --store "$1" --item KB-100 --diff "$2" --reason FI; }
upload() { INVADJ_PIN=2222 "$INVADJ" --user super upload "$1" --rule delta --allow-duplicate; }
balance() { db_sql "SELECT coalesce(sum(diff), 0) FROM ledger l JOIN stores s ON s.id = l.store_id WHERE s.code = '$1'"; }

# ---- a save at MAIN does not wait for WH's lock; one at WH does ------
holder_start "$DB"
holder_sql "BEGIN; SELECT pg_advisory_xact_lock($(store_key WH));"
while [ "$(granted "$(store_key WH)")" -lt 1 ]; do sleep 0.1; done
INVADJ_PIN=1111 run 0 --user clerk adjust --store MAIN --item KB-100 --diff 2 --reason FI
check "a save at MAIN completed while WH's lock was held" "1" "$(granted "$(store_key WH)")"
save WH 3 >"$T/wh.out" 2>&1 &
wh=$!
waiting 1
kill -0 $wh 2>/dev/null && ok || fail "the save at WH did not wait for WH's lock"
holder_sql "COMMIT;"
holder_end
wait $wh; check "the save at WH completed once the lock was let go" "0" "$?"

# ---- round trips of a save ---------------------------------------------
# A save's write transaction runs in libpq's pipeline mode: each sendto
# is one round trip (libpq sends, then waits for what it asked), and it
# may carry many statements: each statement run is one Execute message
# ('E', length 9, the unnamed portal, no row limit), each prepared one a
# Parse.  From the send that carries the BEGIN to the one that carries
# the COMMIT.  A new connection prepares its statements in the same
# sends, so the count is that of a terminal's first save.  Three: the
# BEGIN with every read sent ahead (the store's lock, the store, item
# and reason, the balance, the day total, the chain's head, the ids),
# the INSERT, the COMMIT (sent once every answer is in, so that a
# connection lost before it certainly saved nothing).
INVADJ_PIN=1111 strace -f -qq -e trace=sendto -s 4096 -o "$T/rt" "$INVADJ" --user clerk adjust --store MAIN \
	--item KB-100 --diff 1 --reason FI >/dev/null 2>&1 || fail "the traced save"
awk '/sendto\(/ && /BEGIN ISOLATION LEVEL READ COMMITTED/ { on = 1 }
	on && /sendto\(/ { sends++; s = $0; stmts += gsub(/E\\0\\0\\0\\t\\0\\0\\0\\0\\0/, "", s) }
	on && /sendto\(/ && /\\0COMMIT\\0/ { on = 0 }
	END { printf "%d %d\n", sends, stmts }' "$T/rt" >"$T/rt.n"
read -r sends stmts <"$T/rt.n"
echo "  a save's write transaction: $sends round trips carrying $stmts statements (BEGIN and COMMIT among them)"
[ "$sends" -gt 0 ] && [ "$sends" -le 3 ] && ok || fail "a save's write transaction took $sends round trips (at most 3 expected)"
# The whole save, its preview (a read transaction whose BEGIN, ROLLBACK
# and statements' preparing are pipelined too) and its write: 6 and 3.
awk '/sendto\(/ && /REPEATABLE READ READ ONLY/ { on = 1 }
	on && /sendto\(/ { sends++ }
	on && /sendto\(/ && /\\0COMMIT\\0/ { on = 0 }
	END { print sends + 0 }' "$T/rt" >"$T/rt.all"
read -r all <"$T/rt.all"
echo "  the whole save, preview and write: $all round trips"
[ "$all" -gt "$sends" ] && [ "$all" -le 9 ] && ok || fail "a save took $all round trips in all (at most 9 expected)"
# Pipelined: more statements than round trips (sent one by one, each
# statement would be a round trip of its own).
[ "$stmts" -ge $((sends + 2)) ] && ok || fail "a save's $stmts statements took $sends round trips: not pipelined"
# What the trace shows is what the server ran: the save is there.
check "the traced save was kept" "1" "$(db_sql "SELECT count(*) FROM ledger WHERE id = (SELECT max(id) FROM ledger) AND diff = 1")"

# A reversal: its first plan's reads one by one (it learns the row's
# store), then the store's lock and its second plan's reads in one.
rev_id=$(db_sql "SELECT max(id) FROM ledger")
INVADJ_PIN=1111 INVADJ_APPROVER_PIN=2222 strace -f -qq -e trace=sendto -s 4096 -o "$T/rv" "$INVADJ" --user clerk \
	reverse "$rev_id" --approver super >/dev/null 2>&1 || fail "the traced reversal"
main_fd=$(awk '/sendto\(/ && /BEGIN ISOLATION LEVEL READ COMMITTED/ { sub(/.*sendto\(/, ""); sub(/,.*/, ""); print; exit }' "$T/rv")
awk -v fd="$main_fd" '/sendto\(/ && /BEGIN ISOLATION LEVEL READ COMMITTED/ { on = 1 }
	on && index($0, "sendto(" fd ",") { sends++ }
	on && index($0, "sendto(" fd ",") && /\\0COMMIT\\0/ { on = 0 }
	END { print sends + 0 }' "$T/rv" >"$T/rv.n"
read -r rsends <"$T/rv.n"
echo "  a reversal's write transaction: $rsends round trips (the supervisor's signature on a connection of its own)"
[ "$rsends" -gt 0 ] && [ "$rsends" -le 10 ] && ok || fail "a reversal's write transaction took $rsends round trips (at most 10 expected)"
check "the traced reversal was kept" "1" "$(db_sql "SELECT count(*) FROM ledger WHERE reverses = $rev_id")"

# A statement sent without waiting that the server refuses: its own
# words and the server's, nothing saved (its answer is read before the
# COMMIT is sent).
db_sql "CREATE FUNCTION refuse_memo() RETURNS trigger LANGUAGE plpgsql AS \$f\$ BEGIN
	RAISE EXCEPTION 'no memo refuse-me here'; END \$f\$;
	CREATE TRIGGER refuse_memo BEFORE INSERT ON ledger FOR EACH ROW WHEN (NEW.memo = 'refuse-me')
	EXECUTE FUNCTION refuse_memo()" >/dev/null
rows_before=$(db_sql "SELECT count(*) FROM ledger")
INVADJ_PIN=1111 run 4 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI --memo refuse-me
check_contains "a queued INSERT's refusal names what it was doing" \
	"the database refused it while adding to the ledger: no memo refuse-me here" "$err"
check "... and nothing was saved" "$rows_before" "$(db_sql "SELECT count(*) FROM ledger")"
db_sql "DROP TRIGGER refuse_memo ON ledger; DROP FUNCTION refuse_memo()" >/dev/null

# ---- what a save sends ahead is read behind its store's lock --------
# A save's reads go with its BEGIN, queued behind the store's lock in
# the same batch: whatever another terminal or an admin changed while
# it waited for the lock is what it checks, not what its preview saw.
qty() { db_sql "SELECT qty FROM balances b JOIN stores s ON s.id = b.store_id JOIN items i ON i.id = b.item_id
	WHERE s.code = '$1' AND i.number = '$2'"; }
hold_store() {
	holder_start "$DB"
	holder_sql "BEGIN; SELECT pg_advisory_xact_lock($(store_key "$1"));"
	while [ "$(granted "$(store_key "$1")")" -lt 1 ]; do sleep 0.1; done
}
# Two saves that would each take more than half of MAIN's keyboards
# (MAIN allows no negative stock): both previewed while the balance was
# whole, both waiting for the lock.  One is kept, the other refused by
# the balance the first left.
q=$(qty MAIN KB-100)
take=$((q / 2 + 1))
hold_store MAIN
save MAIN -$take >"$T/race1.out" 2>&1 &
r1=$!
save MAIN -$take >"$T/race2.out" 2>&1 &
r2=$!
waiting 2
holder_sql "COMMIT;"
holder_end
wait $r1; rc1=$?
wait $r2; rc2=$?
check "of two saves previewed on the same balance, one kept and one refused" "0 4" "$(printf '%s\n%s\n' $rc1 $rc2 | sort | tr '\n' ' ' | sed 's/ $//')"
check_contains "... by the negative-stock rule, on the balance the first left" \
	"New Qty would be $((q - 2 * take)) at store MAIN" "$(cat "$T/race1.out" "$T/race2.out")"
check "MAIN's keyboards: one save's worth taken" "$((q - take))" "$(qty MAIN KB-100)"
# The store's policy changed between a save's preview and its check:
# an import of stores takes every store's lock, so it waits for WH's
# holder first, then the save is previewed (WH allows negative stock)
# and waits behind the import.  When the holder lets go, the import
# makes WH refuse negative stock, then the save is checked under the
# new policy.
q=$(qty WH KB-100)
hold_store WH
printf 'StoreCode,StoreName,AllowNegative\nWH,Central Warehouse,no\n' >"$T/wh-policy.csv"
INVADJ_PIN=0000 "$INVADJ" --user admin import stores "$T/wh-policy.csv" >"$T/import.out" 2>&1 &
imp=$!
waiting 1
save WH -$((q + 5)) >"$T/policy.out" 2>&1 &
p1=$!
waiting 2
holder_sql "COMMIT;"
holder_end
wait $imp; check "the import of WH's new policy completed: $(cat "$T/import.out")" "0" "$?"
wait $p1; check "a save previewed under the old policy is refused under the new: $(cat "$T/policy.out")" "4" "$?"
check_contains "... by the negative-stock rule" "negative stock is not allowed" "$(cat "$T/policy.out")"
check "... and nothing was saved" "$q" "$(qty WH KB-100)"
printf 'StoreCode,StoreName,AllowNegative\nWH,Central Warehouse,yes\n' >"$T/wh-policy.csv"
INVADJ_PIN=0000 run 0 --user admin import stores "$T/wh-policy.csv"

# ---- two uploads and eight savers at once ----------------------------
ROWS=${LOCK_TEST_ROWS:-20000}
python3 - "$T" "$ROWS" <<EOF
import sys
t, n = sys.argv[1], int(sys.argv[2])
for name, store in (("main", "MAIN"), ("mall", "MALL")):
    with open(f"{t}/{name}.csv", "w") as f:
        f.write("$HDR\n")
        for i in range(n):
            f.write(f"{store},{'KB-100' if i % 2 else 'MS-200'},,1,FI,,row {i}\n")
EOF
main_before=$(balance MAIN); mall_before=$(balance MALL); wh_before=$(balance WH)
# The events chain held: each upload holds its store to its very end.
holder_start "$DB"
holder_sql "BEGIN; SELECT pg_advisory_xact_lock($EVENTS_KEY);"
while [ "$(granted $EVENTS_KEY)" -lt 1 ]; do sleep 0.1; done
upload "$T/main.csv" >"$T/up1.out" 2>&1 &
up1=$!
upload "$T/mall.csv" >"$T/up2.out" 2>&1 &
up2=$!
pids=""
for k in 1 2 3 4 5 6 7 8; do
	( s=$(date +%s.%N); save WH 1 >"$T/saver$k.out" 2>&1; rc=$?
	  echo "$rc $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$s" "$(date +%s.%N)")" \
	  >"$T/saver$k.rc" ) &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
savers_ok=0
waits=""
for k in 1 2 3 4 5 6 7 8; do
	read -r rc secs <"$T/saver$k.rc"
	[ "$rc" = 0 ] && savers_ok=$((savers_ok + 1))
	waits="$waits ${secs}s"
done
echo "  the eight saves at WH took:$waits (two uploads running at MAIN and MALL)"
check "eight saves at WH completed" "8" "$savers_ok"
kill -0 $up1 2>/dev/null && kill -0 $up2 2>/dev/null && ok ||
	fail "an upload ended before the savers did (the events lock should have held it)"
waiting 2 # both uploads wait for the events chain, at their very end
holder_sql "COMMIT;"
holder_end
wait $up1; check "the upload at MAIN completed" "0" "$?"
wait $up2; check "the upload at MALL completed" "0" "$?"
check "every Diff at MAIN" "$((main_before + ROWS))" "$(balance MAIN)"
check "every Diff at MALL" "$((mall_before + ROWS))" "$(balance MALL)"
check "every Diff at WH" "$((wh_before + 8))" "$(balance WH)"
check "Net Available agrees at MAIN" "$(balance MAIN)" "$(db_sql "SELECT sum(qty) FROM balances b JOIN stores s ON s.id = b.store_id WHERE s.code = 'MAIN'")"
run 0 verify
check_contains "every chain verifies" "ok:" "$out"

# ---- two uploads naming the same stores in opposite orders -----------
printf '%s\nMAIN,KB-100,,1,FI,,a\nMALL,KB-100,,1,FI,,a\nMAIN,MS-200,,1,FI,,a\n' "$HDR" >"$T/ab.csv"
printf '%s\nMALL,MS-200,,1,FI,,b\nMAIN,KB-100,,1,FI,,b\nMALL,KB-100,,1,FI,,b\n' "$HDR" >"$T/ba.csv"
# MAIN's lock held: both start, both wait, both go at once when it goes.
holder_start "$DB"
holder_sql "BEGIN; SELECT pg_advisory_xact_lock($(store_key MAIN));"
while [ "$(granted "$(store_key MAIN)")" -lt 1 ]; do sleep 0.1; done
upload "$T/ab.csv" >"$T/ab.out" 2>&1 &
ab=$!
upload "$T/ba.csv" >"$T/ba.out" 2>&1 &
ba=$!
waiting 2
holder_sql "COMMIT;"
holder_end
wait $ab; check "the upload MAIN, MALL completed" "0" "$?"
wait $ba; check "the upload MALL, MAIN completed" "0" "$?"
grep -qi deadlock "$T/ab.out" "$T/ba.out" && fail "a deadlock: $(cat "$T/ab.out" "$T/ba.out")"
run 0 verify

# ---- a person with psql ---------------------------------------------
CLERK_URI=$(pg_uri "${DB##*/}" clerk 1111)
# The events chain's lock held by a person forever: master-data changes
# wait (as for any long writer), saves at every store go on.
holder_start "$CLERK_URI"
holder_sql "SELECT pg_advisory_lock($EVENTS_KEY);"
while [ "$(granted $EVENTS_KEY)" -lt 1 ]; do sleep 0.1; done
INVADJ_PIN=1111 run 0 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
printf 'StoreCode,StoreName\nWH,Warehouse renamed\n' >"$T/st.csv"
INVADJ_PIN=0000 "$INVADJ" --user admin import stores "$T/st.csv" >"$T/imp.out" 2>&1 &
imp=$!
waiting 1
kill -0 $imp 2>/dev/null && ok || fail "the import did not wait for the events chain"
holder_end # the session ends: its lock goes with it
wait $imp; check "the import completed when the holder left: $(cat "$T/imp.out")" "0" "$?"
run 0 verify

# A fork: two sessions insert at the same place of MAIN's chain at once;
# the second waits for the first, and when it commits the unique index
# refuses the second (the first's row is a forgery verify names; the
# tamper suite shows that).
fork_row() { # a copy of clerk's row at MAIN's head, at id $1 and the next place
	echo "INSERT INTO ledger(id, document, store_id, item_id, reason_id, diff, tdate, recorded_at, user_id,
		hash, seq, item_number, hash_version) SELECT $1, $1, store_id, item_id, reason_id, diff, tdate,
		recorded_at, user_id, hash, (SELECT max(seq) + 1 FROM ledger WHERE store_id = l.store_id),
		item_number, hash_version FROM ledger l
		WHERE store_id = (SELECT id FROM stores WHERE code = 'MAIN') AND user_id = (SELECT id FROM users WHERE name = 'clerk')
		ORDER BY seq DESC LIMIT 1;"
}
holder_start "$CLERK_URI"
holder_sql "BEGIN; $(fork_row 900000001)"
while [ "$(db_sql "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND usename = 'clerk'")" -lt 1 ]; do sleep 0.1; done
psql_as "$CLERK_URI" "$(fork_row 900000002)" >"$T/fork2.out" 2>&1 &
second=$!
i=0
while [ "$(db_sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND usename = 'clerk'")" -lt 1 ]; do
	i=$((i + 1)); [ $i -gt 6000 ] && { fail "the second insert did not wait"; break; }
	sleep 0.1
done
holder_sql "COMMIT;"
holder_end
wait $second
check_contains "the second row at the same place is refused" "ledger_chain" "$(cat "$T/fork2.out")"
check "one row at that place, not two" "1" "$(db_sql "SELECT count(*) FROM ledger WHERE id > 900000000")"

# Ledger ids: single ids (a save's, taken without waiting for another
# single) and blocks (an upload's, a document's) taken at once by four
# sessions never overlap.
for who in 1 2 3 4; do
	n=1
	[ "$who" -gt 2 ] && n=97
	psql -qXAt "$DB" -c "SELECT invadj_ledger_ids($n), $n FROM generate_series(1, 300)" >"$T/ids$who" &
done
wait
cat "$T"/ids1 "$T"/ids2 "$T"/ids3 "$T"/ids4 | sort -t'|' -k1,1n >"$T/ids"
check "1,200 blocks taken" "1200" "$(wc -l <"$T/ids" | tr -d ' ')"
check "no block overlaps the next" "" "$(awk -F'|' 'NR > 1 && $1 <= end { print "overlap at " $1 } { end = $1 + $2 - 1 }' "$T/ids" | head -1)"
finish
