#!/bin/sh
# The screens at the size of a large store (make bench): 20,000 items,
# 10 stores and 10,000,000 ledger rows (ten 1,000,000-row Delta uploads
# after a Sync of opening stock), on SQLite and on a throw-away
# PostgreSQL server.  build/tools/screen_latency prints what a Stock
# search keystroke and History's first window cost (targets: p99 50 ms
# per keystroke, 10 ms for History's first page).  Figures only.
#
#   BENCH_SCREEN_ROWS=N  ledger rows (default 10000000)
#   BENCH_BACKENDS="sqlite pg"  which to measure
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
backends=${BENCH_BACKENDS:-sqlite pg}
case " $backends " in
*" pg "*) if [ -z "${BENCH_UNDER_SERVER:-}" ]; then BENCH_UNDER_SERVER=1 exec tests/pg/with-server sh "$0"; fi ;;
esac
rows=${BENCH_SCREEN_ROWS:-10000000}
invadj=$root/invadj
tool=$root/build/tools/screen_latency
[ -x "$invadj" ] && [ -x "$tool" ] || { echo "bench_screens: run make bench (needs ./invadj and $tool)"; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/invadj-bench-screens.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
export INVADJ_USER=admin INVADJ_PIN=bench-pin-0 INVADJ_TODAY=2026-03-02
unset INVADJ_DB 2>/dev/null || true

header='**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo'
{ echo "StoreCode,StoreName,AllowNegative"; for s in 01 02 03 04 05 06 07 08 09 10; do echo "S$s,Store $s,yes"; done; } >stores.csv
awk 'BEGIN { print "ItemNumber,Description,UPC"
	for (i = 1; i <= 20000; i++) printf "I%05d,Item %d of the range,4%011d\n", i, i, i
	print "CF-1,Caf\303\251 cr\303\250me,"; }' >items.csv
printf 'ReasonCode,Description\nCC,Cycle count\n' >reasons.csv
awk -v h="$header" 'BEGIN { print h
	for (s = 1; s <= 10; s++) for (i = 1; i <= 20000; i++) printf "S%02d,I%05d,,1000,CC,,\n", s, i }' >sync.csv
files=$(( (rows + 999999) / 1000000 ))
per=$(( rows / files ))
k=0
while [ "$k" -lt "$files" ]; do
	# one day per file, back-dated: History by date has days to find
	awk -v h="$header" -v n="$per" -v seed="$k" -v day="$((k + 1))" 'BEGIN { srand(seed); print h
		for (j = 0; j < n; j++) { q = int(rand() * 10) - 5; if (q >= 0) q++
			printf "S%02d,I%05d,,%d,CC,2026-02-%02d,\n", 1 + int(rand() * 10), 1 + int(rand() * 20000), q, day } }' >delta$k.csv
	k=$((k + 1))
done

build() { # build DB: the master data, opening stock and the Delta files
	"$invadj" --db "$1" init --admin admin >/dev/null
	for t in stores items reasons; do "$invadj" --db "$1" import $t $t.csv >/dev/null; done
	"$invadj" --db "$1" upload sync.csv --rule sync >/dev/null
	t0=$(date +%s)
	for f in delta*.csv; do "$invadj" --db "$1" upload "$f" --rule delta >/dev/null; done
	echo "  (built: $((files * per)) Delta rows in $(( $(date +%s) - t0 )) s)"
}

for b in $backends; do
	if [ "$b" = sqlite ]; then
		db=$dir/big.db
		echo "SQLite file, 20,000 items, 10 stores, $((files * per + 200000)) ledger rows:"
	else
		psql -qX "$INVADJ_TEST_DB" -c "CREATE DATABASE bench_screens" >/dev/null
		db=${INVADJ_TEST_DB%/*}/bench_screens
		echo "PostgreSQL server (throw-away, loopback), the same data:"
	fi
	build "$db"
	"$tool" "$db" S05 I12345 admin 2026-02-01 400000012345
	[ "$b" = sqlite ] && rm -f "$db" "$db-wal" "$db-shm"
done
