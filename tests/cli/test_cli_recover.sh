#!/bin/sh
# End-to-end: backup while another terminal writes, and export.
. tests/cli/lib.sh
demo_db

if on_server; then
	# A server's database is backed up with pg_dump, which says so.
	run 4 backup "$T/copy.db"
	check_contains "backup points to pg_dump" "pg_dump" "$err"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		INVADJ_PIN=1111 "$INVADJ" --user clerk adjust --store WH --item KB-100 --diff 1 --reason FI >/dev/null
	done
else
	# Another terminal keeps adjusting while the backup runs.
	( for i in 1 2 3 4 5 6 7 8 9 10; do
		INVADJ_PIN=1111 "$INVADJ" --user clerk adjust --store WH --item KB-100 --diff 1 --reason FI >/dev/null || echo "writer failed" >"$T/writer-failed"
	  done ) &
	writer=$!
	run 0 backup "$T/copy.db"
	check_contains "backup" "backed up" "$out"
	wait $writer
	check "writer was not disturbed" "" "$(cat "$T/writer-failed" 2>/dev/null)"
	check "backup is owner-only" "600" "$(stat -c %a "$T/copy.db")"
	run 0 --db "$T/copy.db" verify
	check_contains "backup verifies" "ok: " "$out"
	rows=$(sqlite3 "$T/copy.db" "SELECT count(*) FROM ledger")
	case "$rows" in 1[3-9]|2[0-3]) ok ;; *) fail "backup has $rows rows, expected 13..23" ;; esac
	run 6 backup "$T/copy.db"
	check_contains "backup never overwrites" "copy.db exists; invadj never writes over a file" "$err"
fi

run 0 export "$T/ledger.csv"
check "export summary" "exported 23 ledger rows to $T/ledger.csv" "$out"
check "export header" "Id,Document,TransactionDate,RecordedAt,StoreCode,ItemNumber,ReasonCode,Diff,User,ApprovedBy,Reverses,ReversedBy,BatchId,Memo,Seq,StoreId,ItemId,ReasonId,UserId,ApproverId,HashVersion,PrevHash,Hash" "$(head -1 "$T/ledger.csv")"
check "export oldest first" "1,1,2026-06-15" "$(sed -n 2p "$T/ledger.csv" | cut -d, -f1-3)"
if on_server; then last=$(db_sql "SELECT encode(hash, 'hex') FROM ledger ORDER BY id DESC LIMIT 1")
else last=$(db_sql "SELECT lower(hex(hash)) FROM ledger ORDER BY id DESC LIMIT 1"); fi
check "last exported hash is the newest row's" "$last" "$(tail -1 "$T/ledger.csv" | awk -F, '{print $NF}')"
# An auditor recomputes every hash of the export, and every link, alone
# (from cells written exactly: --raw).
run 0 export --raw "$T/ledger-raw.csv"
check "the export audits" "23 rows, every hash and link holds" "$(python3 "$ROOT/tests/cli/ivchain.py" audit "$T/ledger-raw.csv")"
run 6 export "$T/ledger.csv"
check_contains "export never overwrites" "ledger.csv exists; invadj never writes over a file" "$err"
finish
