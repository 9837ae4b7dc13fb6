#!/bin/sh
# Upload benchmark (make bench): a 1,000,000-row Delta file over
# 10 stores x 10,000 items, timed against the sqlite3 shell's .import of
# the same file into a bare table; peak RSS of the upload for 100,000
# and 1,000,000 rows; a 100,000-row Sync upload.  Prints figures only:
# no pass or fail on time.
#
#   BENCH_ROWS=N  rows of the big Delta file (default 1000000)
#   BENCH_DIR=D   work folder (default a new one under TMPDIR, removed)
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
invadj=$root/invadj
rows=${BENCH_ROWS:-1000000}
[ -x "$invadj" ] || { echo "bench_upload: build ./invadj first (make)"; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench_upload: the sqlite3 shell is needed (apt-get install sqlite3)"; exit 1; }

if [ -n "${BENCH_DIR:-}" ]; then
	dir=$BENCH_DIR; mkdir -p "$dir"
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/invadj-bench-upload.XXXXXX")
	trap 'rm -rf "$dir"' EXIT INT TERM
fi
cd "$dir"

export INVADJ_USER=admin INVADJ_PIN=bench-pin-0
unset INVADJ_DB INVADJ_TODAY 2>/dev/null || true

# ---- master data and files --------------------------------------------
{
	echo "StoreCode,StoreName,AllowNegative"
	for s in 01 02 03 04 05 06 07 08 09 10; do echo "S$s,Store $s,no"; done
} >stores.csv
awk 'BEGIN { print "ItemNumber,Description,UPC"
             for (i = 1; i <= 10000; i++) printf "I%05d,Item %d,4%011d\n", i, i, i }' >items.csv
printf 'ReasonCode,Description\nCC,Cycle count\nFI,Found inventory\n' >reasons.csv

header='**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo'
# Sync: every store and item counted once, at 1000: the opening stock.
awk -v h="$header" 'BEGIN { print h
	for (s = 1; s <= 10; s++) for (i = 1; i <= 10000; i++) printf "S%02d,I%05d,,1000,CC,,\n", s, i }' >sync.csv
# Delta: random stores and items, Diffs of -5..5 but not 0.
awk -v h="$header" -v n="$rows" 'BEGIN { srand(42); print h
	for (k = 0; k < n; k++) { q = int(rand() * 10) - 5; if (q >= 0) q++
		printf "S%02d,I%05d,,%d,CC,,\n", 1 + int(rand() * 10), 1 + int(rand() * 10000), q } }' >delta.csv
head -n 100001 delta.csv >delta100k.csv

"$invadj" --db base.db init --admin admin >/dev/null
"$invadj" --db base.db import stores stores.csv >/dev/null
"$invadj" --db base.db import items items.csv >/dev/null
"$invadj" --db base.db import reasons reasons.csv >/dev/null

# ---- measuring --------------------------------------------------------
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Runs a command; sets $elapsed (s) and $peak_kb (peak RSS, KiB).
measure() {
	sync # earlier steps' dirty pages are not this step's to write
	if [ -x /usr/bin/time ]; then
		t0=$(now)
		/usr/bin/time -f '%M' -o rss.txt "$@" >cmd.out 2>cmd.err || { cat cmd.err; exit 1; }
		t1=$(now)
		peak_kb=$(tail -n 1 rss.txt)
	else
		# No GNU time: poll the process's VmHWM (its own high-water mark).
		t0=$(now)
		"$@" >cmd.out 2>cmd.err &
		pid=$!; peak_kb=0
		while kill -0 "$pid" 2>/dev/null; do
			v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
			[ -n "$v" ] && peak_kb=$v
			sleep 0.02
		done
		wait "$pid" || { cat cmd.err; exit 1; }
		t1=$(now)
	fi
	elapsed=$(secs "$t0" "$t1")
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
# copydb FROM TO: a whole copy (the newest rows may be in FROM's -wal).
copydb() { rm -f "$2"; "$invadj" --db "$1" backup "$2" >/dev/null; }

# The PIN check alone (Argon2id, libsodium's interactive limits: 64 MiB
# by design) sets a floor under every command that logs in; a dry run
# (no login) shows the loader's own memory.
printf '%s\nS01,I00001,,1,CC,,\n' "$header" >one.csv
copydb base.db login.db
measure "$invadj" --db login.db upload one.csv --rule delta
login_kb=$peak_kb

copydb base.db sync.db
measure "$invadj" --db sync.db upload sync.csv --rule sync
sync_s=$elapsed; sync_kb=$peak_kb

copydb sync.db d100k.db
measure "$invadj" --db d100k.db upload delta100k.csv --rule delta
d100k_s=$elapsed; d100k_kb=$peak_kb

measure "$invadj" --db sync.db upload delta.csv --rule delta --dry-run
dry_s=$elapsed; dry_kb=$peak_kb

copydb sync.db d1m.db
measure "$invadj" --db d1m.db upload delta.csv --rule delta
d1m_s=$elapsed; d1m_kb=$peak_kb

rm -f bare.db
measure sqlite3 bare.db -cmd '.mode csv' '.import delta.csv t'
import_s=$elapsed

"$invadj" --db d1m.db verify >verify.out || { cat verify.out; exit 1; }

ratio=$(awk -v a="$d1m_s" -v b="$import_s" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
lines=$(($(wc -l <delta.csv) - 1))
echo "upload benchmark: $lines Delta rows over 10 stores x 10,000 items ($(du -h delta.csv | cut -f1) CSV)"
echo "  sqlite3 .import into a bare table   ${import_s} s"
echo "  invadj upload --rule delta          ${d1m_s} s   ratio ${ratio} (target <= 2.5)"
echo "  peak RSS, upload of 100,000 rows    $(mib "$d100k_kb")   (${d100k_s} s)"
echo "  peak RSS, upload of $lines rows  $(mib "$d1m_kb")"
echo "  peak RSS, dry run of $lines rows $(mib "$dry_kb")   (${dry_s} s; no login)"
echo "  peak RSS, login and a 1-row upload  $(mib "$login_kb")   (the Argon2id PIN check's floor)"
echo "  invadj upload --rule sync, 100,000  ${sync_s} s   peak RSS $(mib "$sync_kb")"
echo "  verify after the upload: $(cat verify.out)"
