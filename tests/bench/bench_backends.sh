#!/bin/sh
# SQLite and PostgreSQL side by side on this machine (make bench):
# durable single adjustments per second from 1 and 8 processes
# (build/bench/bench_concurrency), and the time of a 1,000,000-row
# Delta upload over 10 stores x 10,000 items after a 100,000-row Sync
# (opening stock), each followed by verify, and the ratio of the two
# uploads against its target (2x).  The PostgreSQL server is a
# throw-away one (tests/pg/pg-start: loopback TCP, fsync on,
# synchronous_commit on), so both backends make every save durable,
# with docs/deployment.md's production settings (PG_SETTINGS=production:
# shared_buffers 6GB, max_wal_size 16GB...; SQLite runs as the product
# opens its files).
# Prints figures only.
#
#   BENCH_ROWS=N  rows of the Delta file (default 1000000)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ -z "${BENCH_UNDER_SERVER:-}" ]; then
	PG_SETTINGS=production BENCH_UNDER_SERVER=1 exec tests/pg/with-server sh "$0"
fi
rows=${BENCH_ROWS:-1000000}
invadj=$root/invadj
conc=$root/build/bench/bench_concurrency
[ -x "$invadj" ] && [ -x "$conc" ] || { echo "bench_backends: run make bench (needs ./invadj and $conc)"; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/invadj-bench-backends.XXXXXX")
trap 'rm -rf "$dir"' EXIT
server=$INVADJ_TEST_DB

newdb() { # newdb NAME: an empty database on the server, its URI
	psql -qX "$server" -c "CREATE DATABASE $1" >/dev/null
	echo "${server%/*}/$1"
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# rate NPROC < bench output: saves/s of that round
rate() { awk -v n="$1" '$1 == n && $2 ~ /^process/ { print $3 }'; }
p99() { awk -v n="$1" '$1 == n && $2 ~ /^process/ { print $9 }'; }

# ---- concurrent single adjustments ----
"$conc" >"$dir/conc-sqlite.txt"
BENCH_DB=$(newdb bench_conc) "$conc" >"$dir/conc-pg.txt"
# Its admin is a role of the server, whose name the upload's database
# wants too: each database's people are the server's.
psql -qX "$server" -c "DROP DATABASE bench_conc" -c "DROP ROLE admin" >/dev/null

# ---- the upload ----
cd "$dir"
header='**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo'
{ echo "StoreCode,StoreName,AllowNegative"; for s in 01 02 03 04 05 06 07 08 09 10; do echo "S$s,Store $s,no"; done; } >stores.csv
awk 'BEGIN { print "ItemNumber,Description"; for (i = 1; i <= 10000; i++) printf "I%05d,Item %d\n", i, i }' >items.csv
printf 'ReasonCode,Description\nCC,Cycle count\n' >reasons.csv
awk -v h="$header" 'BEGIN { print h
	for (s = 1; s <= 10; s++) for (i = 1; i <= 10000; i++) printf "S%02d,I%05d,,1000,CC,,\n", s, i }' >sync.csv
awk -v h="$header" -v n="$rows" 'BEGIN { srand(42); print h
	for (k = 0; k < n; k++) { q = int(rand() * 10) - 5; if (q >= 0) q++
		printf "S%02d,I%05d,,%d,CC,,\n", 1 + int(rand() * 10), 1 + int(rand() * 10000), q } }' >delta.csv
export INVADJ_USER=admin INVADJ_PIN=bench-pin-0
unset INVADJ_TODAY INVADJ_DB 2>/dev/null || true

# upload_time DB: sets up master data and opening stock, then times the Delta upload.
upload_time() {
	"$invadj" --db "$1" init --admin admin >/dev/null
	for k in stores items reasons; do "$invadj" --db "$1" import $k $k.csv >/dev/null; done
	"$invadj" --db "$1" upload sync.csv --rule sync >/dev/null
	sync
	t0=$(now)
	"$invadj" --db "$1" upload delta.csv --rule delta >upload.out 2>&1 || { cat upload.out; exit 1; }
	t1=$(now)
	up=$(secs "$t0" "$t1")
	t0=$(now)
	"$invadj" --db "$1" verify >verify.out 2>&1 || { cat verify.out; exit 1; }
	t1=$(now)
	ver=$(secs "$t0" "$t1")
}
upload_time "$dir/bench.db"
sqlite_up=$up; sqlite_ver=$ver
upload_time "$(newdb bench_upload)"
pg_up=$up; pg_ver=$ver

echo "SQLite file vs PostgreSQL 15 server (throw-away, 127.0.0.1 TCP, fsync on, production settings), this machine"
printf '  %-44s %12s %12s\n' "" "SQLite" "PostgreSQL"
for n in 1 8; do
	printf '  %-44s %12s %12s\n' "durable single adjustments/s, $n process(es)" \
		"$(rate $n <"$dir/conc-sqlite.txt")" "$(rate $n <"$dir/conc-pg.txt")"
	printf '  %-44s %12s %12s\n' "  p99 latency (us)" "$(p99 $n <"$dir/conc-sqlite.txt")" "$(p99 $n <"$dir/conc-pg.txt")"
done
printf '  %-44s %12s %12s\n' "upload of $rows Delta rows (s)" "$sqlite_up" "$pg_up"
printf '  %-44s %12s %12s\n' "verify after it (s)" "$sqlite_ver" "$pg_ver"
# The loader's target (issue 15): PostgreSQL's upload within 2x SQLite's.
ratio=$(awk -v s="$sqlite_up" -v p="$pg_up" 'BEGIN { printf "%.1f", (s > 0 ? p / s : 0) }')
printf '  %-44s %12s %12s\n' "upload, PostgreSQL / SQLite" "" "${ratio}x"
printf '  %-44s %12s %12s\n' "  target" "" "<= 2.0x"
