#!/bin/sh
# End-to-end test of `invadj template` and `invadj upload` against a
# temporary demo database: output, dry run, error file, exit codes.
# "Today" is pinned with INVADJ_TODAY.  Exits 0 when every check passes.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
invadj=$root/build/invadj-test # the test build: INVADJ_TODAY pins its clock
tmp=$(mktemp -d "${TMPDIR:-/tmp}/invadj-cli-upload.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

export INVADJ_DB=$tmp/inv.db INVADJ_USER=admin INVADJ_PIN=0000 INVADJ_TODAY=2026-03-15
unset INVADJ_APPROVER_PIN INVADJ_DATA 2>/dev/null || true

failures=0 checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect CODE CMD...: runs CMD, output in $tmp/out and $tmp/err.
expect() {
	checks=$((checks + 1))
	want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		fail "exit $got (expected $want): $*"
		sed 's/^/    /' "$tmp/out" "$tmp/err"
	fi
}
contains() { # FILE TEXT
	checks=$((checks + 1))
	grep -qF -- "$2" "$1" || { fail "$1 lacks: $2"; sed 's/^/    /' "$1"; }
}
balance() { # STORE ITEM
	"$invadj" balance --store "$1" --item "$2" --format csv | tail -n 1 | cut -d, -f3
}

header='**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo'

(cd "$root" && "$invadj" init --admin admin --demo >/dev/null) || { echo "FAIL: init"; exit 1; }

# ---- template
expect 0 "$invadj" template
[ "$(cat "$tmp/out")" = "$header" ] || fail "template header: $(cat "$tmp/out")"
cmp -s "$tmp/out" "$root/data/upload-template.csv" || fail "data/upload-template.csv differs from invadj template"
expect 0 "$invadj" template "$tmp/t.csv"
cmp -s "$tmp/t.csv" "$root/data/upload-template.csv" || fail "template FILE differs"
expect 6 "$invadj" template "$tmp/t.csv" # never overwrites
contains "$tmp/err" "t.csv exists; invadj never writes over a file"

# ---- the seed: Delta -1 decreases by 1
printf '%s\nMAIN,KB-100,,-1,DMG,,dropped\n' "$header" >"$tmp/delta.csv"
expect 0 "$invadj" upload "$tmp/delta.csv" --rule delta --dry-run
contains "$tmp/out" "Line  StoreCode  ItemNumber        TransactionDate  NetAvailable      Diff    NewQty"
contains "$tmp/out" "     2  MAIN       KB-100            2026-03-15                100        -1        99"
contains "$tmp/out" "dry run, nothing was posted: 1 rows, 1 to post, 0 unchanged, 0 refused"
[ "$(balance MAIN KB-100)" = 100 ] || fail "dry run posted"
expect 0 "$invadj" --format csv upload "$tmp/delta.csv" --rule delta --dry-run
[ "$(cat "$tmp/out")" = "Line,StoreCode,ItemNumber,TransactionDate,NetAvailable,Diff,NewQty
2,MAIN,KB-100,2026-03-15,100,-1,99" ] || fail "dry run csv: $(cat "$tmp/out")"
# A dry run needs no login.
INVADJ_USER= expect 0 "$invadj" upload "$tmp/delta.csv" --rule delta --dry-run
expect 0 "$invadj" --format csv upload "$tmp/delta.csv" --rule delta
batch=$(tail -n 1 "$tmp/out" | cut -d, -f1)
[ "$(head -n 1 "$tmp/out")" = "BatchId,Document,Rows,Posted,Unchanged" ] || fail "upload csv header"
[ "$(tail -n 1 "$tmp/out" | cut -d, -f3-)" = "1,1,0" ] || fail "upload counts: $(cat "$tmp/out")"
[ "$(balance MAIN KB-100)" = 99 ] || fail "Delta -1 did not make 99"
expect 0 "$invadj" --format csv history --batch "$batch"
contains "$tmp/out" ",MAIN,KB-100,DMG,-1,admin,,,,$batch,dropped"

# ---- duplicates
expect 6 "$invadj" upload "$tmp/delta.csv" --rule delta
contains "$tmp/err" "already posted as batch $batch"
contains "$tmp/err" "give --allow-duplicate to post it again"
expect 0 "$invadj" upload "$tmp/delta.csv" --rule delta --allow-duplicate
[ "$(balance MAIN KB-100)" = 98 ] || fail "--allow-duplicate"

# ---- the seed: Sync 110 on 100 adds 10, Sync 90 on 100 takes 10
printf '%s\nMAIN,KB-100,,100,CC,,\n' "$header" >"$tmp/s100.csv"
expect 0 "$invadj" upload "$tmp/s100.csv" --rule sync
[ "$(balance MAIN KB-100)" = 100 ] || fail "Sync 100"
printf '%s\nMAIN,KB-100,,110,CC,,\nMAIN,MS-200,,80,CC,,\n' "$header" >"$tmp/s110.csv"
expect 0 "$invadj" --format csv upload "$tmp/s110.csv" --rule sync
[ "$(tail -n 1 "$tmp/out" | cut -d, -f3-)" = "2,1,1" ] || fail "Sync counts (MS-200 unchanged): $(cat "$tmp/out")"
[ "$(balance MAIN KB-100)" = 110 ] || fail "Sync 110 on 100"
expect 0 "$invadj" --format csv history --limit 1
contains "$tmp/out" ",MAIN,KB-100,CC,10,"
printf '%s\nMAIN,KB-100,,100,CC,,\n' "$header" >"$tmp/s100b.csv"
echo "MAIN,MS-200,,80,CC,," >>"$tmp/s100b.csv" # unchanged: Net Available is 80
expect 0 "$invadj" upload "$tmp/s100b.csv" --rule sync
printf '%s\nMAIN,KB-100,,90,CC,,\n' "$header" >"$tmp/s90.csv"
expect 0 "$invadj" upload "$tmp/s90.csv" --rule sync
[ "$(balance MAIN KB-100)" = 90 ] || fail "Sync 90 on 100"
# Sync does not work on back-dated adjustments.
printf '%s\nMAIN,KB-100,,95,CC,03/01/2026,\n' "$header" >"$tmp/sback.csv"
expect 4 "$invadj" upload "$tmp/sback.csv" --rule sync
contains "$tmp/err" "Sync Rule does not work on back-dated adjustments"

# ---- refused rows: nothing posted, counts, first errors, error file
cat >"$tmp/bad.csv" <<EOF
$header
MAIN,KB-100,,5,FI,,
MAIN,NOPE,,1,FI,,"a, memo"
MAIN,KB-100,,abc,FI,,
EOF
before=$("$invadj" verify)
expect 3 "$invadj" upload "$tmp/bad.csv" --rule delta
# One line on stderr: the counts, the first refused row, the error file.
[ "$(cat "$tmp/err")" = "not found: 2 of 3 rows refused; nothing was posted. Line 3: ItemNumber: \"NOPE\" is not a known item number; the refused rows are in $tmp/bad.errors.csv" ] ||
	fail "one line per refusal: $(cat "$tmp/err")"
[ "$("$invadj" verify)" = "$before" ] || fail "a refused upload changed the ledger"
[ "$(cat "$tmp/bad.errors.csv")" = "$header,Line,Error
MAIN,NOPE,,1,FI,,\"a, memo\",3,\"ItemNumber: \"\"NOPE\"\" is not a known item number\"
MAIN,KB-100,,abc,FI,,,4,\"Qty: \"\"abc\"\" is not a number\"" ] || { fail "error file"; cat "$tmp/bad.errors.csv"; }
expect 3 "$invadj" upload "$tmp/bad.csv" --rule delta --errors "$tmp/mine.csv"
[ -s "$tmp/mine.csv" ] || fail "--errors OUT.csv not written"
contains "$tmp/err" "$tmp/mine.csv"

# ---- header and malformed files
printf 'StoreCode,ItemNumber,Qty,ReasonCode,Colour\nMAIN,KB-100,1,FI,red\n' >"$tmp/h.csv"
expect 2 "$invadj" upload "$tmp/h.csv" --rule delta
contains "$tmp/err" 'line 1: unknown column "Colour"'
printf '%s\nMAIN,KB-100,,1,FI,,"never closed\n' "$header" >"$tmp/q.csv"
expect 2 "$invadj" upload "$tmp/q.csv" --rule delta
contains "$tmp/err" "line 2"

# ---- default date and reason; back-dated Delta; future dates
printf '%s\nMAIN,MS-200,,1,,,\n' "$header" >"$tmp/d.csv"
expect 2 "$invadj" upload "$tmp/d.csv" --rule delta
contains "$tmp/err" "ReasonCode: a reason code is required"
expect 0 "$invadj" upload "$tmp/d.csv" --rule delta --reason FI --date 03/10/2026
expect 0 "$invadj" --format csv history --limit 1
contains "$tmp/out" ",2026-03-10,"
contains "$tmp/out" ",MAIN,MS-200,FI,1,"
printf '%s\nMAIN,MS-200,,1,FI,03/16/2026,\n' "$header" >"$tmp/f.csv"
expect 2 "$invadj" upload "$tmp/f.csv" --rule delta
contains "$tmp/err" "is in the future (today is 2026-03-15)"

# ---- approval threshold (MAIN: 500) for a clerk
printf '%s\nMAIN,MS-200,,600,FI,,\n' "$header" >"$tmp/big.csv"
INVADJ_USER=clerk INVADJ_PIN=1111 expect 0 "$invadj" upload "$tmp/big.csv" --rule delta --dry-run
contains "$tmp/err" "1 row is above its store's approval threshold"
INVADJ_USER=clerk INVADJ_PIN=1111 expect 5 "$invadj" upload "$tmp/big.csv" --rule delta
contains "$tmp/err" "approval threshold of 500"
INVADJ_USER=clerk INVADJ_PIN=1111 INVADJ_APPROVER_PIN=2222 \
	expect 0 "$invadj" upload "$tmp/big.csv" --rule delta --approver super
expect 0 "$invadj" --format csv history --limit 1
contains "$tmp/out" ",MS-200,FI,600,clerk,super,"

# ---- usage and login
expect 1 "$invadj" upload "$tmp/d.csv"
contains "$tmp/err" "--rule delta or --rule sync is required"
expect 1 "$invadj" upload "$tmp/d.csv" --rule sideways
INVADJ_PIN=9999 expect 5 "$invadj" upload "$tmp/d.csv" --rule delta --reason FI --allow-duplicate
expect 7 "$invadj" upload "$tmp/missing.csv" --rule delta
contains "$tmp/err" "cannot open"

expect 0 "$invadj" verify

# The last line is the summary tests/run-suite counts.
echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
