#!/bin/sh
# Upload benchmark (make bench).  Figures only: nothing passes or fails
# on time.  In one run:
#   - each kind of upload (Delta over 100,000 store/item pairs; Sync of
#     every pair of 10, 100 or 300 stores x 10,000 items, as a Sync file
#     names each pair once; Delta back-dated over the last 60 days, the
#     same 100,000 pairs) at each size, its time as a ratio of the
#     sqlite3 shell's bare `.import` of the same file into a table of
#     its own, and the upload's peak RSS;
#   - the insert floor: the sqlite3 shell inserting the same 1,000,000
#     ledger rows into the same database in one WAL transaction, as the
#     schema is (its per-row triggers firing) and as the loader writes
#     them (the triggers set aside, the rows by item in key order);
#   - a 1,000,000-row back-dated upload into the 100,000-row ledger and
#     into a 10,000,000-row one (kept in build/bench/ once built).
#
#   BENCH_SIZES="N ..."  sizes (default "100000 1000000 3000000")
#   BENCH_KINDS="..."    kinds (default "delta sync backdated")
#   BENCH_10M=0          skip the 10,000,000-row ledger
#   BENCH_DIR=D          work folder (default a new one under TMPDIR, removed)
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
invadj=$root/invadj
sizes=${BENCH_SIZES:-100000 1000000 3000000}
kinds=${BENCH_KINDS:-delta sync backdated}
[ -x "$invadj" ] || { echo "bench_upload: build ./invadj first (make)"; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench_upload: the sqlite3 shell is needed (apt-get install sqlite3)"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench_upload: GNU time is needed for peak RSS (apt-get install time)"; exit 1; }

if [ -n "${BENCH_DIR:-}" ]; then
	dir=$BENCH_DIR; mkdir -p "$dir"
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/invadj-bench-upload.XXXXXX")
	trap 'rm -rf "$dir"' EXIT INT TERM
fi
cd "$dir"

export INVADJ_USER=admin INVADJ_PIN=bench-pin-0
unset INVADJ_DB INVADJ_TODAY 2>/dev/null || true
today=$(date +%Y-%m-%d)
opening=$(date -d "$today -70 days" +%Y-%m-%d)

# ---- measuring --------------------------------------------------------
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# measure CMD...: sets $elapsed (s), $cpu (user and system CPU of every
# thread, s: on a shared machine the steadier figure) and $peak_kb (peak
# RSS, KiB).
measure() {
	sync # earlier steps' dirty pages are not this step's to write
	t0=$(now)
	/usr/bin/time -f '%M %U %S' -o rss.txt "$@" >cmd.out 2>cmd.err || { cat cmd.err; exit 1; }
	t1=$(now)
	peak_kb=$(tail -n 1 rss.txt | cut -d' ' -f1)
	cpu=$(tail -n 1 rss.txt | awk '{ printf "%.2f", $2 + $3 }')
	elapsed=$(secs "$t0" "$t1")
}
# copydb FROM TO: a whole copy (the newest rows may be in FROM's -wal).
copydb() { rm -f "$2" "$2-wal" "$2-shm"; "$invadj" --db "$1" backup "$2" >/dev/null; }
# bare FILE: the sqlite3 shell's .import of FILE into a table of its own.
bare() { rm -f bare.db; measure sqlite3 bare.db -cmd '.mode csv' ".import $1 t"; import_s=$elapsed; import_cpu=$cpu; rm -f bare.db; }

# ---- master data and files --------------------------------------------
{
	echo "StoreCode,StoreName,AllowNegative"
	i=1; while [ $i -le 300 ]; do printf 'S%03d,Store %d,no\n' $i $i; i=$((i + 1)); done
} >stores.csv
awk 'BEGIN { print "ItemNumber,Description,UPC"
             for (i = 1; i <= 10000; i++) printf "I%05d,Item %d,4%011d\n", i, i, i }' >items.csv
printf 'ReasonCode,Description\nCC,Cycle count\nFI,Found inventory\n' >reasons.csv
header='**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo'

# The 60 days before today, for back-dated rows (awk has no calendar).
days=$(i=1; while [ $i -le 60 ]; do date -d "$today -$i days" +%Y-%m-%d; i=$((i + 1)); done | tr '\n' ' ')
# delta N FILE [SEED]: random stores S001..S010 and items, Diffs of -5..5
# but not 0, dated today; with a seed, over the 60 days before today.
delta() {
	awk -v h="$header" -v n="$1" -v seed="${3:-}" -v days="$days" 'BEGIN {
		srand(seed == "" ? n : n + seed); split(days, day, " "); print h
		for (k = 0; k < n; k++) { q = int(rand() * 10) - 5; if (q >= 0) q++
			d = seed == "" ? "" : day[1 + int(rand() * 60)]
			printf "S%03d,I%05d,,%d,CC,%s,\n", 1 + int(rand() * 10), 1 + int(rand() * 10000), q, d } }' >"$2"
}
# sync N FILE: every item of the first N/10000 stores counted at 1000.
sync_file() {
	awk -v h="$header" -v n="$1" 'BEGIN { print h
		for (s = 1; s <= n / 10000; s++) for (i = 1; i <= 10000; i++) printf "S%03d,I%05d,,1000,CC,,\n", s, i }' >"$2"
}

"$invadj" --db base.db init --admin admin >/dev/null
"$invadj" --db base.db import stores stores.csv >/dev/null
"$invadj" --db base.db import items items.csv >/dev/null
"$invadj" --db base.db import reasons reasons.csv >/dev/null
# The opening stock: 1000 of every item in S001..S010, 70 days ago.
awk -v h="$header" -v d="$opening" 'BEGIN { print h
	for (s = 1; s <= 10; s++) for (i = 1; i <= 10000; i++) printf "S%03d,I%05d,,1000,FI,%s,\n", s, i, d }' >opening.csv
copydb base.db open.db
"$invadj" --db open.db upload opening.csv --rule delta >/dev/null

echo "upload benchmark ($(nproc) cores; ratios to the bare import measured just before each upload)"
printf '  %-11s %9s  %8s  %8s  %6s  %9s  %s\n' kind rows "import" upload ratio "peak RSS" "CPU: import, upload"
for n in $sizes; do
	for kind in $kinds; do
		case $kind in
		delta) f=delta-$n.csv; [ -f "$f" ] || delta "$n" "$f"; from=open.db; rule=delta ;;
		backdated) f=back-$n.csv; [ -f "$f" ] || delta "$n" "$f" 1; from=open.db; rule=delta ;;
		sync) f=sync-$n.csv; [ -f "$f" ] || sync_file "$n" "$f"; from=base.db; rule=sync ;;
		esac
		copydb "$from" up.db
		bare "$f"
		measure "$invadj" --db up.db upload "$f" --rule $rule
		printf '  %-11s %9d  %6.2f s  %6.2f s  %5.2fx  %5.1f MiB  %5.2f s, %5.2f s\n' "$kind" "$n" "$import_s" \
			"$elapsed" "$(ratio "$elapsed" "$import_s")" "$(mib "$peak_kb")" "$import_cpu" "$cpu"
		if [ "$kind" = delta ] && [ "$n" = 1000000 ]; then
			mv up.db d1m.db; rm -f up.db-wal up.db-shm
		fi
	done
done

# ---- the insert floor ---------------------------------------------------
if [ -f d1m.db ]; then
	rm -f rows.db
	sqlite3 rows.db "ATTACH 'd1m.db' AS d; CREATE TABLE rows AS SELECT * FROM d.ledger
		WHERE batch_id = (SELECT max(id) FROM d.batches) ORDER BY id;"
	copydb open.db floor.db
	bare delta-1000000.csv
	measure sqlite3 floor.db "PRAGMA synchronous = FULL; ATTACH 'rows.db' AS r; BEGIN;
		INSERT OR FAIL INTO ledger SELECT * FROM r.rows ORDER BY id; COMMIT;"
	as_is=$elapsed as_is_cpu=$cpu
	copydb open.db floor.db
	guard=$(sqlite3 floor.db "SELECT sql FROM sqlite_master WHERE name = 'ledger_append_only'")
	fill=$(sqlite3 floor.db "SELECT sql FROM sqlite_master WHERE name = 'ledger_items_add'")
	measure sqlite3 floor.db "PRAGMA synchronous = FULL; ATTACH 'rows.db' AS r; BEGIN;
		DROP TRIGGER ledger_append_only; DROP TRIGGER ledger_items_add;
		INSERT OR FAIL INTO ledger SELECT * FROM r.rows ORDER BY id;
		INSERT INTO ledger_items SELECT item_id, id FROM r.rows ORDER BY item_id, id;
		$guard; $fill; COMMIT;"
	loader_way=$elapsed loader_way_cpu=$cpu
	copydb open.db floor.db
	measure sqlite3 floor.db "PRAGMA synchronous = FULL; ATTACH 'rows.db' AS r; BEGIN;
		DROP TRIGGER ledger_append_only; DROP TRIGGER ledger_items_add; DROP INDEX ledger_chain;
		DROP INDEX ledger_by_user; DROP INDEX ledger_by_date;
		INSERT OR FAIL INTO ledger SELECT * FROM r.rows ORDER BY id; COMMIT;"
	table_only=$elapsed table_only_cpu=$cpu
	echo "insert floor: the sqlite3 shell inserting the 1,000,000 Delta rows the upload made, in one WAL"
	echo "transaction (bare import of the same file just before: $import_s s, CPU $import_cpu s)"
	floor_line() { printf '  %-58s %6.2f s  %5.2fx  CPU %5.2f s\n' "$1" "$2" "$(ratio "$2" "$import_s")" "$3"; }
	floor_line "the schema as it is (guard and by-item triggers per row)" "$as_is" "$as_is_cpu"
	floor_line "as the loader writes (triggers aside, by item sorted)" "$loader_way" "$loader_way_cpu"
	floor_line "the ledger table alone (no index but its primary key)" "$table_only" "$table_only_cpu"
	"$invadj" --db d1m.db verify >verify.out || { cat verify.out; exit 1; }
	echo "  verify after the 1,000,000-row Delta upload: $(cut -c1-60 verify.out)..."
	rm -f rows.db floor.db
fi

# ---- back-dated into a small and a big ledger ---------------------------
if [ "${BENCH_10M:-1}" != 0 ]; then
	f=back-1000000.csv
	[ -f "$f" ] || delta 1000000 "$f" 1
	big=$root/build/bench/upload-10m.db
	mkdir -p "$root/build/bench"
	if [ ! -f "$big" ]; then
		echo "building a 10,000,000-row ledger (kept in $big) ..."
		copydb open.db "$big.tmp"
		k=1
		while [ $k -le 10 ]; do
			delta 990000 fill.csv $((k + 1))
			"$invadj" --db "$big.tmp" upload fill.csv --rule delta >/dev/null
			k=$((k + 1))
		done
		rm -f fill.csv
		"$invadj" --db "$big.tmp" backup "$big"
		rm -f "$big.tmp" "$big.tmp-wal" "$big.tmp-shm"
	fi
	echo "back-dated upload of 1,000,000 rows (60 days, 100,000 pairs) into a small and a big ledger"
	for ledger in open.db "$big"; do
		rows=$(sqlite3 "$ledger" "SELECT count(*) FROM ledger")
		copydb "$ledger" up.db
		bare "$f"
		measure "$invadj" --db up.db upload "$f" --rule delta
		printf '  into %10d rows   %6.2f s  %5.2fx of the bare import (%.2f s)  %5.1f MiB  CPU %5.2f s\n' "$rows" \
			"$elapsed" "$(ratio "$elapsed" "$import_s")" "$import_s" "$(mib "$peak_kb")" "$cpu"
		rm -f up.db up.db-wal up.db-shm
	done
fi
