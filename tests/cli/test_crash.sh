#!/bin/sh
# kill -9 at random moments while terminals save and while a large
# upload posts, then check that nothing is half-written: every saved
# adjustment is there, each upload batch is wholly present or wholly
# absent, every balance equals its ledger sum, and verify passes.
# CRASH_KILLS sets how many kills of each kind (`make soak` runs more).
. tests/cli/lib.sh
demo_db
HAMMER="$ROOT/build/tools/hammer"
KILLS=${CRASH_KILLS:-20}

# A random delay of 0.05 to 0.60 seconds, from the shell's own numbers.
pause() { sleep "0.$(printf '%02d' $(( $(od -An -N2 -tu2 /dev/urandom) % 56 + 5 )))"; }

expected_wh=600 # KB-100 at WH in the demo data
i=0
while [ $i -lt "$KILLS" ]; do
	"$HAMMER" "$INVADJ_DB" clerk 1111 WH KB-100 1 1000000 >"$T/saved" 2>"$T/hammer.err" &
	pid=$!
	pause
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	# Every id the hammer printed was saved before it was printed: it must be there.
	last=$(tail -n 1 "$T/saved")
	if [ -n "$last" ]; then
		check "saved row $last survived kill $i" "1" "$(sqlite3 "$INVADJ_DB" "SELECT count(*) FROM ledger WHERE id = $last")"
	fi
	expected_wh=$((expected_wh + $(wc -l <"$T/saved")))
	run 0 verify
	i=$((i + 1))
done
# The balance may exceed the printed count by the one save that was
# committed but killed before it printed its id; never by more, never less.
got=$(sqlite3 "$INVADJ_DB" "SELECT qty FROM balances b JOIN stores s ON s.id = b.store_id JOIN items i ON i.id = b.item_id WHERE s.code = 'WH' AND i.number = 'KB-100'")
lost=$((got - expected_wh))
if [ "$lost" -ge 0 ] && [ "$lost" -le "$KILLS" ]; then ok; else fail "WH KB-100 is $got after $KILLS kills, printed saves say $expected_wh"; fi
check "balance equals its ledger sum" "$got" "$(sqlite3 "$INVADJ_DB" "SELECT sum(diff) FROM ledger l JOIN stores s ON s.id = l.store_id JOIN items i ON i.id = l.item_id WHERE s.code = 'WH' AND i.number = 'KB-100'")"

# A large upload, killed at random moments: the batch is all there or not at all.
awk 'BEGIN { print "StoreCode,ItemNumber,Qty,ReasonCode"; for (i = 0; i < 60000; i++) print "WH,DS-010,1,CC" }' >"$T/big.csv"
i=0
while [ $i -lt "$KILLS" ]; do
	INVADJ_PIN=1111 "$INVADJ" --user clerk upload "$T/big.csv" --rule delta --allow-duplicate >/dev/null 2>&1 &
	pid=$!
	pause
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	check "every batch wholly present (kill $i)" "" "$(sqlite3 "$INVADJ_DB" "SELECT b.id FROM batches b WHERE b.posted <> (SELECT count(*) FROM ledger l WHERE l.batch_id = b.id)")"
	check "no rows without their batch (kill $i)" "0" "$(sqlite3 "$INVADJ_DB" "SELECT count(*) FROM ledger WHERE batch_id IS NOT NULL AND batch_id NOT IN (SELECT id FROM batches)")"
	run 0 verify
	i=$((i + 1))
done
batches=$(sqlite3 "$INVADJ_DB" "SELECT count(*) FROM batches")
check "DS-010 at WH is 75 plus whole batches" "$((75 + batches * 60000))" "$(sqlite3 "$INVADJ_DB" "SELECT qty FROM balances b JOIN stores s ON s.id = b.store_id JOIN items i ON i.id = b.item_id WHERE s.code = 'WH' AND i.number = 'DS-010'")"
echo "($batches of $KILLS killed uploads had committed)"
finish
