#!/bin/sh
# A read-only database file and a full disk: a clear error, nothing
# half-written, the database still verifies.
. tests/cli/lib.sh
demo_db
before=$(sqlite3 "$INVADJ_DB" "SELECT count(*) || '/' || sum(qty) FROM balances")

# Read-only: root ignores file modes, so as root the program runs as
# nobody on a file nobody may read but not write.
chmod 1777 "$T" # a reader of a WAL database needs to create its -shm file
chmod 644 "$INVADJ_DB"
as_reader() {
	if [ "$(id -u)" = 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] || chmod 444 "$INVADJ_DB"
INVADJ_PIN=1111 as_reader "$INVADJ" --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI >"$T/out" 2>"$T/err"
check "read-only exit code" "7" "$?"
check_contains "read-only message" "read-only" "$(cat "$T/err")"
as_reader "$INVADJ" balance --store MAIN --item KB-100 --format csv >"$T/out" 2>"$T/err"
check "read-only file still readable" "StoreCode,ItemNumber,NetAvailable
MAIN,KB-100,100" "$(cat "$T/out")"
chmod 600 "$INVADJ_DB"

# Full disk: the files may not grow past 64 KiB (ulimit -f), so a large
# import cannot be written.  SIGXFSZ is ignored so that the write fails
# with an error instead of killing the program.
{
	echo "ItemNumber,Description"
	i=0; while [ $i -lt 3000 ]; do echo "BULK-$i,A long description to fill the pages of the database $i"; i=$((i + 1)); done
} >"$T/items.csv"
sqlite3 "$INVADJ_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
(
	trap '' XFSZ
	ulimit -f 64
	INVADJ_PIN=0000 exec "$INVADJ" --user admin import items "$T/items.csv"
) >"$T/out" 2>"$T/err"
check "full disk exit code" "7" "$?"
check_contains "full disk message" "could not be written (the disk may be full) while saving" "$(cat "$T/err")"
check_contains "full disk: nothing saved" "nothing was saved" "$(cat "$T/err")"
check "no item of the failed import" "0" "$(sqlite3 "$INVADJ_DB" "SELECT count(*) FROM items WHERE number LIKE 'BULK-%'")"
check "balances untouched" "$before" "$(sqlite3 "$INVADJ_DB" "SELECT count(*) || '/' || sum(qty) FROM balances")"
run 0 verify

# The same while a large upload's rows are being inserted (on the
# loader's writer thread): refused, nothing posted.
awk 'BEGIN { print "StoreCode,ItemNumber,Qty,ReasonCode,Memo"
	for (i = 0; i < 250000; i++) print "WH,DS-010,1,CC,a memo to make the rows longer " i }' >"$T/big.csv"
(
	trap '' XFSZ
	ulimit -f 4096
	INVADJ_PIN=0000 exec "$INVADJ" --user admin upload "$T/big.csv" --rule delta
) >"$T/out" 2>"$T/err"
check "full disk during an upload: exit code" "7" "$?"
check_contains "full disk during an upload: message" "could not be written (the disk may be full)" "$(cat "$T/err")"
check "no batch" "0" "$(sqlite3 "$INVADJ_DB" "SELECT count(*) FROM batches")"
check "balances untouched after the upload" "$before" "$(sqlite3 "$INVADJ_DB" "SELECT count(*) || '/' || sum(qty) FROM balances")"
run 0 verify
INVADJ_PIN=1111 run 0 --user clerk adjust --store MAIN --item KB-100 --diff 1 --reason FI
finish
