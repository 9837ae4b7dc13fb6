# The seven attacks of issue 9, and rechaining after a checkpoint, each
# done as a hostile insider would with the database's own shell (sqlite3,
# or psql as the owner) on a copy of a demo database; verify (or verify
# --checkpoint) must fail and name the chain, the row and the fault.
# Sourced by tests/cli/test_tamper.sh (SQLite) and tests/pg/test_tamper.sh
# (PostgreSQL), which define fresh_db NAME: a copy of the base database
# made by base_db, as INVADJ_DB.
IVCHAIN="python3 $ROOT/tests/cli/ivchain.py"
dialect=sqlite
on_server && dialect=pg

# unguarded SQL: runs SQL with the append-only triggers of ledger (and
# on SQLite its rows by item) and events set aside, and puts them back
# word for word.
unguarded() {
	if on_server; then
		restore=$(db_sql "SELECT string_agg(format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I;', c.relname, t.tgname), ' ')
			FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
			WHERE c.relname IN ('ledger', 'events') AND NOT t.tgisinternal")
		db_sql "ALTER TABLE ledger DISABLE TRIGGER USER; ALTER TABLE events DISABLE TRIGGER USER; $1; $restore"
	else
		drop=$(db_sql "SELECT group_concat('DROP TRIGGER ' || name || ';', ' ') FROM sqlite_master
			WHERE type = 'trigger' AND tbl_name IN ('ledger', 'ledger_items', 'events')")
		restore=$(db_sql "SELECT group_concat(sql || ';', ' ') FROM sqlite_master
			WHERE type = 'trigger' AND tbl_name IN ('ledger', 'ledger_items', 'events')")
		db_sql "$drop $1; $restore"
	fi
}

# fault NAME NEEDLE...: verify fails (8) and its message holds each NEEDLE.
fault() {
	name=$1; shift
	run 8 verify
	for needle in "$@"; do check_contains "$name" "$needle" "$err"; done
}

# forge FIELD=VALUE...: appends a row with a valid hash as any writer
# could (tests/cli/ivchain.py), the sums kept in step: only the rules
# can tell.
forge() {
	rm -f "$T/forge.csv"
	"$INVADJ" export "$T/forge.csv" >/dev/null || fail "export for forging"
	db_sql "$($IVCHAIN forge "$T/forge.csv" --dialect $dialect "$@")" >/dev/null || fail "forged row refused: $*"
}

# sums SIGN STORE_ID ITEM_ID TDATE REASON_ID USER_ID CANCELLED DIFF: the
# SQL a forger adds to (SIGN 1) or takes from (-1) the report summaries
# for one line (ivchain.py's, as invadj values it).
sums() {
	python3 -c "import sys; sys.path.insert(0, '$ROOT/tests/cli'); import ivchain
print(''.join(ivchain.summaries($1, $2, $3, \"'$4'\", $5, $6, $7, $8)))"
}

# The base: the demo, a clerk's line, one above MAIN's threshold approved
# by super, a reversal, and an upload batch.
base_db() {
	demo_db
	INVADJ_PIN=1111 "$INVADJ" --user clerk adjust --store MAIN --item KB-100 --diff 5 --reason FI >/dev/null
	INVADJ_PIN=1111 INVADJ_APPROVER_PIN=2222 "$INVADJ" --user clerk adjust --store MAIN --item MS-200 \
		--diff 600 --reason FI --approver super >/dev/null
	INVADJ_PIN=2222 "$INVADJ" --user super reverse 14 >/dev/null
	printf '**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo\nWH,KB-100,,3,FI,,up\nMALL,MS-200,,2,FI,2026-06-14,up\n' >"$T/up.csv"
	INVADJ_PIN=2222 "$INVADJ" --user super upload "$T/up.csv" --rule delta >/dev/null
	run 0 verify
	check_contains "the base verifies" "ok: 18 ledger rows in 3 store chains" "$out"
}

base_db

# ---- a clean ledger: no false alarm, and an auditor agrees ----------
fresh_db clean
run 0 verify
rm -f "$T/clean.csv"
"$INVADJ" export "$T/clean.csv" >/dev/null
check "an auditor recomputes every hash of the export" "18 rows, every hash and link holds" \
	"$($IVCHAIN audit "$T/clean.csv")"

# ---- 1: REPLACE, upsert, id reuse ------------------------------------
fresh_db replace
if on_server; then
	sql="INSERT INTO ledger SELECT * FROM ledger WHERE id = 14 ON CONFLICT (id) DO UPDATE SET tdate = '2026-06-01'"
else
	sql="INSERT OR REPLACE INTO ledger SELECT id, document, store_id, item_id, reason_id, diff, '2026-06-01',
		recorded_at, user_id, approved_by, reverses, batch_id, memo, hash, seq, item_number, hash_version
		FROM ledger WHERE id = 14"
fi
if db_sql "$sql" 2>"$T/sqlerr"; then fail "1: the replace went through"; else ok; fi
check_contains "1: the database refuses it" "append-only" "$(cat "$T/sqlerr")"
check "1: the row is as it was" "2026-06-15" "$(db_sql "SELECT tdate FROM ledger WHERE id = 14")"
if on_server; then unguarded "UPDATE ledger SET tdate = '2026-06-01' WHERE id = 14"
else unguarded "$sql"; fi
fault "1: a row replaced behind the triggers" "ledger row #14" "does not match its hash"

# ---- 2: a field cut to a buffer --------------------------------------
fresh_db cut
unguarded "UPDATE ledger SET tdate = '2026-06-15Z' WHERE id = 14"
fault "2: a date one byte longer" "ledger row #14" "not as invadj writes it"

# ---- 3: what the ids stand for ---------------------------------------
fresh_db swap
db_sql "UPDATE items SET number = 'SWAP' WHERE number = 'KB-100';
	UPDATE items SET number = 'KB-100' WHERE number = 'MS-200';
	UPDATE items SET number = 'MS-200' WHERE number = 'SWAP'"
fault "3: two item numbers swapped" "item KB-100 (#1): number is \"MS-200\" in the items table, but \"KB-100\" by its events"
fresh_db reason
if on_server; then
	res=$(psql_as "$INVADJ_DB" "DELETE FROM reasons WHERE code = 'FI'")
	check_contains "3: the server keeps a reason code rows name" "rows are kept" "$res"
	res=$(psql_as "$INVADJ_DB" "UPDATE reasons SET code = 'XX' WHERE code = 'FI'")
	fault "3: a reason code changed" "reason FI (#1): code is \"XX\""
else
	db_sql "DELETE FROM reasons WHERE code = 'FI'"
	fault "3: a reason code deleted" "reason FI (#1) has events but no row in the reasons table"
	rows=$("$INVADJ" export | wc -l)
	check "3: export still lists every row" "19" "$rows"
	check_contains "3: history shows the row with its reason gone" ",?," "$("$INVADJ" history --format csv --limit 30)"
fi

# ---- 4: rechaining, found by a checkpoint ------------------------------
fresh_db rechain
INVADJ_PIN=2222 "$INVADJ" --user super checkpoint >"$T/checkpoint.txt" || fail "4: checkpoint"
check_contains "4: one line" "invadj-checkpoint 1 " "$(cat "$T/checkpoint.txt")"
run 0 verify --checkpoint "$T/checkpoint.txt"
check_contains "4: the checkpoint holds" "1 checkpoint holds" "$out"
unguarded "UPDATE ledger SET diff = 650 WHERE id = 15;
	UPDATE balances SET qty = qty + 50 WHERE store_id = 1 AND item_id = 2;
	UPDATE day_totals SET diff = diff + 50 WHERE store_id = 1 AND item_id = 2 AND tdate = '2026-06-15';
	UPDATE user_days SET diff = diff + 50 WHERE store_id = 1 AND item_id = 2 AND tdate = '2026-06-15' AND user_id = 2;
	$(sums -1 1 2 2026-06-15 1 2 0 600) $(sums 1 1 2 2026-06-15 1 2 0 650)"
fault "4: a changed Diff" "ledger row #15" "does not match its hash"
rm -f "$T/rechain.csv"
"$INVADJ" export "$T/rechain.csv" >/dev/null
unguarded "$($IVCHAIN rechain "$T/rechain.csv" --dialect $dialect)"
if on_server; then
	# On a server row #15's approval was signed, by its approver's own
	# connection, for the row's hash then; the owner may rewrite that too
	# (an approval is a row of the server's, not a signature of the
	# approver's): then only the checkpoint tells.
	run 8 verify
	check_contains "4: the rechained approved row no longer matches its approval" \
		"ledger row #15 used approval #1, which its approver signed for other rows" "$err"
	db_sql "UPDATE approvals a SET digest = x.d FROM (SELECT c.approval_id,
		sha256(string_agg(l.hash, ''::bytea ORDER BY l.id)) AS d FROM approval_claims c
		JOIN ledger l ON l.id = c.ledger_id GROUP BY c.approval_id) x WHERE x.approval_id = a.id"
fi
run 0 verify
check_contains "4: rechained, the chain agrees with itself again (an unkeyed chain cannot tell)" "ok: " "$out"
run 8 verify --checkpoint "$T/checkpoint.txt"
check_contains "4: the checkpoint names the chain and row" "store MAIN, ledger row #16 (seq 8), is not the row checkpointed at" "$err"
# (the root's first digit changed, whatever it was)
sed -e 's/root=0/root=1/' -e 't' -e 's/root=./root=0/' "$T/checkpoint.txt" >"$T/mistyped.txt"
run 2 verify --checkpoint "$T/mistyped.txt"
check_contains "4: a mistyped line says so" "is mistyped or altered" "$err"
# Rows removed after a checkpoint, the chain left whole: the checkpoint tells.
fresh_db removed
INVADJ_PIN=2222 "$INVADJ" --user super checkpoint >"$T/checkpoint.txt"
# (on SQLite the rows by item too: there they are a table of their own)
by_item=""
[ "$dialect" = sqlite ] && by_item="DELETE FROM ledger_items WHERE id = 16;"
unguarded "DELETE FROM ledger WHERE id = 16; $by_item
	UPDATE balances SET qty = qty + 5 WHERE store_id = 1 AND item_id = 1;
	UPDATE day_totals SET diff = diff + 5 WHERE store_id = 1 AND item_id = 1 AND tdate = '2026-06-15';
	UPDATE user_days SET diff = diff + 5 WHERE store_id = 1 AND item_id = 1 AND tdate = '2026-06-15' AND user_id = 3;
	$(sums -1 1 1 2026-06-15 7 3 1 -5) $(sums -1 1 1 2026-06-15 1 2 1 5) $(sums 1 1 1 2026-06-15 1 2 0 5)"
run 0 verify
run 8 verify --checkpoint "$T/checkpoint.txt"
check_contains "4: removed newest rows" "store MAIN has 7 rows, but the checkpoint of" "$err"
# What no checkpoint can tell: rows appended after it that keep every rule.
fresh_db after
INVADJ_PIN=2222 "$INVADJ" --user super checkpoint >"$T/checkpoint.txt"
forge store=MAIN item_id=1 item=KB-100 reason_id=1 reason=FI user_id=2 user=clerk diff=7 \
	tdate=2026-06-15 recorded_at=2099-01-01T00:00:00.000Z memo=forged
run 0 verify --checkpoint "$T/checkpoint.txt"
check_contains "4: a forged row after the last checkpoint that keeps every rule passes (the limit)" "1 checkpoint holds" "$out"

# ---- 5: triggers that only look right ----------------------------------
fresh_db trigger
if on_server; then
	db_sql "CREATE OR REPLACE FUNCTION ledger_immutable() RETURNS trigger LANGUAGE plpgsql
		SET search_path = public, pg_temp AS \$f\$ BEGIN
		IF false THEN RAISE EXCEPTION 'ledger rows are immutable'; END IF; RETURN NULL; END \$f\$"
	fault "5: a function that no longer raises" "let an UPDATE of the ledger through"
	fresh_db trigger3
	db_sql "ALTER FUNCTION ledger_check_refs() RESET search_path"
	fault "5: a function whose search path a temporary table could shadow" "ledger_refs on ledger"
	fresh_db trigger2
	db_sql "ALTER TABLE events DISABLE TRIGGER events_no_delete"
	fault "5: a disabled trigger on the events" "events_no_delete on events"
else
	db_sql "DROP TRIGGER ledger_no_delete;
		CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger WHEN 0 BEGIN SELECT RAISE(ABORT, 'no'); END"
	fault "5: a trigger that never fires" "ledger_no_delete on ledger is missing or altered"
	fresh_db trigger2
	db_sql "CREATE TRIGGER ledger_sneak AFTER INSERT ON ledger BEGIN SELECT 1; END"
	fault "5: a trigger that is not invadj's" "ledger_sneak"
fi

# ---- 6: rows from another writer, with valid hashes, against the rules --
rowof() { echo "store=MAIN item_id=1 item=KB-100 reason_id=1 reason=FI user_id=2 user=clerk tdate=2026-06-15 recorded_at=2099-01-01T00:00:00.000Z"; }
fresh_db approver
# shellcheck disable=SC2046
forge $(rowof) diff=600 approver_id=2 approver=clerk
fault "6: approved by a clerk" "ledger row #19" "approved by clerk" "a supervisor or admin must approve"
fresh_db unapproved
# shellcheck disable=SC2046
forge $(rowof) diff=600
fault "6: above the threshold, nobody approved" "ledger row #19" "above the store's approval threshold of 500"
fresh_db split
# shellcheck disable=SC2046
forge $(rowof) diff=300 approver_id=3 approver=super
# shellcheck disable=SC2046
forge $(rowof) diff=300 recorded_at=2099-01-01T00:00:01.000Z
fault "6: a Diff split to pass under the threshold" "ledger row #20" "605 for the user that day"
fresh_db negative
# shellcheck disable=SC2046
forge $(rowof) diff=-100000 approver_id=3 approver=super
fault "6: stock below zero" "ledger row #19" "negative stock: New Qty would be"
fresh_db mirror
# shellcheck disable=SC2046
forge $(rowof) diff=-1 reverses=15 approver_id=3 approver=super
fault "6: a reversal that does not mirror" "ledger row #19" "does not mirror"
fresh_db backwards
# shellcheck disable=SC2046
forge $(rowof) diff=1 recorded_at=2026-01-01T00:00:00.000Z
fault "6: recorded before the row before it" "ledger row #19" "before the chain's row before it"
fresh_db disabled
INVADJ_PIN=0000 "$INVADJ" --user admin user disable super >/dev/null
# shellcheck disable=SC2046
forge $(rowof) diff=600 approver_id=3 approver=super
fault "6: approved by a supervisor disabled then" "ledger row #19" "the approver was disabled"

# ---- 7: master data and users changed in place -------------------------
fresh_db role
db_sql "UPDATE users SET role = 'admin' WHERE name = 'clerk'"
fault "7: a clerk made admin" "user clerk (#2): role is \"admin\" in the users table, but \"clerk\""
fresh_db negflag
db_sql "UPDATE stores SET allow_negative = 1 WHERE code = 'MAIN'"
fault "7: negative stock allowed" "store MAIN (#1): allow_negative is \"1\""
fresh_db threshold
db_sql "UPDATE stores SET approval_threshold = 0 WHERE code = 'MAIN'"
fault "7: the threshold lifted" "store MAIN (#1): approval_threshold is \"0\""
fresh_db pin
old=$(db_sql "SELECT pin_hash FROM users WHERE name = 'clerk'")
INVADJ_NEW_PIN=7777 INVADJ_PIN=0000 "$INVADJ" --user admin user pin clerk >/dev/null
if on_server; then
	# A server keeps no PIN hash: one put into the table is the fault.
	db_sql "UPDATE users SET pin_hash = '\$argon2id\$v=19\$m=19456,t=2,p=1\$c2FsdHNhbHQ\$aGFzaA' WHERE name = 'clerk'"
	fault "7: a PIN hash put into a server's users table" "user clerk (#2): its pin in the users table is not the one its events set"
else
	db_sql "UPDATE users SET pin_hash = '$old' WHERE name = 'clerk'"
	fault "7: an admin's PIN reset overwritten" "user clerk (#2): its pin in the users table is not the one its events set" "pin-reset by admin"
fi
INVADJ_PIN=0000 "$INVADJ" --user admin user list --history clerk >"$T/out" 2>&1
check_contains "7: the reset stays in the history" "pin-reset" "$(cat "$T/out")"
