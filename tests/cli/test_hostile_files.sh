#!/bin/sh
# Hostile paths and hostile text (issue 11): every file invadj writes is
# new, owner-only and never written through a symlink or over another
# file; a dry run writes none; output for people cannot attack them.
. tests/cli/lib.sh
demo_db
export INVADJ_USER=admin INVADJ_PIN=0000
sum() { sha256sum "$1" | cut -d' ' -f1; }
HEADER="StoreCode,ItemNumber,Qty,ReasonCode,Memo"
# A file with one good row and one refused row (unknown item).
printf '%s\nMAIN,KB-100,1,FI,ok\nMAIN,NOPE,1,FI,bad\n' "$HEADER" >"$T/count.csv"
victim="$T/victim.txt"
echo "a colleague's file" >"$victim"
victim_sum=$(sum "$victim")

# The error file's default name planted as a symlink to another file:
# it is not written through; the errors go to the next free name.
ln -s "$victim" "$T/count.errors.csv"
run 3 upload "$T/count.csv" --rule delta
check "a symlinked error file is not written through" "$victim_sum" "$(sum "$victim")"
check_contains "the errors went to a free name" "the refused rows are in $T/count.errors-2.csv" "$err"
check "that file is the error file" "2" "$(wc -l <"$T/count.errors-2.csv")"
check "owner-only" "600" "$(stat -c %a "$T/count.errors-2.csv")"

# --errors naming the database, or any existing file, is refused before
# anything is read: nothing posted, the file untouched.
if ! on_server; then
	db_sum=$(sum "$INVADJ_DB")
	run 6 upload "$T/count.csv" --rule delta --errors "$INVADJ_DB"
	check_contains "--errors naming the database" "Errors: $INVADJ_DB exists; invadj never writes over a file" "$err"
	check "the database is untouched" "$db_sum" "$(sum "$INVADJ_DB")"
	run 0 verify
fi
run 6 upload "$T/count.csv" --rule delta --errors "$victim"
check "--errors naming an existing file leaves it" "$victim_sum" "$(sum "$victim")"
run 6 upload "$T/count.csv" --rule delta --errors "$T/count.errors.csv"
check "--errors naming a symlink" "$victim_sum" "$(sum "$victim")"
check "one line per refusal" "1" "$(printf '%s\n' "$err" | wc -l)"

# The template: never through a symlink (also a dangling one), never over a file.
ln -s "$victim" "$T/template.csv"
run 6 template "$T/template.csv"
check_contains "symlinked template refused" "template.csv exists; invadj never writes over a file" "$err"
check "symlinked template's target untouched" "$victim_sum" "$(sum "$victim")"
ln -s "$T/created-by-template.csv" "$T/dangling.csv"
run 6 template "$T/dangling.csv"
[ -e "$T/created-by-template.csv" ] && fail "a dangling symlink was followed"

# Export and backup, the same.
ln -s "$victim" "$T/export.csv"
run 6 export "$T/export.csv"
check "symlinked export's target untouched" "$victim_sum" "$(sum "$victim")"
if ! on_server; then
	ln -s "$victim" "$T/backup.db"
	run 6 backup "$T/backup.db"
	check "symlinked backup's target untouched" "$victim_sum" "$(sum "$victim")"
fi

# umask 000 still gives owner-only files.
(
	umask 000
	"$INVADJ" template "$T/u-template.csv"
	"$INVADJ" export "$T/u-export.csv" >/dev/null
	"$INVADJ" upload "$T/count.csv" --rule delta --errors "$T/u-errors.csv" 2>/dev/null
	on_server || "$INVADJ" backup "$T/u-backup.db" >/dev/null
)
for f in u-template.csv u-export.csv u-errors.csv; do
	check "umask 000: $f is 600" "600" "$(stat -c %a "$T/$f" 2>&1)"
done
on_server || check "umask 000: backup is 600" "600" "$(stat -c %a "$T/u-backup.db" 2>&1)"

# A dry run writes nothing: the refused rows go to standard error.
printf '%s\nMAIN,NOPE,1,FI,x\n' "$HEADER" >"$T/dry.csv"
run 3 upload "$T/dry.csv" --rule delta --dry-run
[ -e "$T/dry.errors.csv" ] && fail "a dry run wrote an error file"
check_contains "a dry run lists the refused rows on stderr" "MAIN,NOPE,1,FI,x,2," "$err"

# From a pipe, "-" or /dev/stdin: no NAME.errors.csv anywhere; stderr.
printf '%s\nMAIN,NOPE,1,FI,piped\n' "$HEADER" >"$T/pipe.csv"
cat "$T/pipe.csv" | "$INVADJ" upload /dev/stdin --rule delta >"$T/out" 2>"$T/err"
[ -e /dev/stdin.errors.csv ] && { fail "/dev/stdin.errors.csv was written"; rm -f /dev/stdin.errors.csv; }
check_contains "/dev/stdin: errors on stderr" "MAIN,NOPE,1,FI,piped,2," "$(cat "$T/err")"
cat "$T/pipe.csv" | "$INVADJ" upload - --rule delta >"$T/out" 2>"$T/err"
check_contains "-: errors on stderr" "MAIN,NOPE,1,FI,piped,2," "$(cat "$T/err")"
[ -e "./-.errors.csv" ] && { fail "-.errors.csv was written"; rm -f "./-.errors.csv"; }
printf '%s\nMAIN,MS-200,2,FI,from stdin\n' "$HEADER" | "$INVADJ" upload - --rule delta --format csv >"$T/out" 2>"$T/err"
check_contains "an upload from standard input posts" "BatchId" "$(head -1 "$T/out")"

# Formulas in memos (CSV injection) come out as text in every CSV for
# people: error files, history --format csv, export; --raw is exact.
printf '%s\n' "$HEADER" 'MAIN,KB-100,1,FI,"=HYPERLINK(""http://x"",""y"")"' \
	"MAIN,KB-100,1,FI,=cmd|' /C calc'!A0" 'MAIN,KB-100,1,FI,@SUM(A1:A9)' \
	'MAIN,KB-100,-1,FI,+1+1' 'MAIN,KB-100,1,FI,-2+3' >"$T/formulas.csv"
run 0 upload "$T/formulas.csv" --rule delta
run 0 history --limit 5 --format csv
check_contains "history: =HYPERLINK marked" ",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" "$out"
check_contains "history: =cmd marked" ",'=cmd|' /C calc'!A0" "$out"
check_contains "history: @SUM marked" ",'@SUM(A1:A9)" "$out"
check_contains "history: +1+1 marked" ",'+1+1" "$out"
check_contains "history: -2+3 marked" ",'-2+3" "$out"
check_contains "history: a negative Diff stays a number" ",-1,admin," "$out"
run 0 history --limit 5 --format csv --raw
check_contains "--raw is exact" ",=cmd|' /C calc'!A0" "$out"
run 0 export "$T/ledger.csv"
check_contains "export: formulas marked" ",'@SUM(A1:A9)," "$(cat "$T/ledger.csv")"
run 0 --raw export "$T/ledger-raw.csv"
check_contains "export --raw is exact" ",@SUM(A1:A9)," "$(cat "$T/ledger-raw.csv")"
printf '%s\nMAIN,NOPE,1,FI,=HYPERLINK("http://x")\n' "$HEADER" >"$T/fbad.csv"
run 3 upload "$T/fbad.csv" --rule delta
check_contains "error file: formula marked" "'=HYPERLINK" "$(cat "$T/fbad.errors.csv")"

# Escape sequences in a memo (cursor up, erase line, a window title) are
# shown as '?' in table output, never sent to the terminal.
esc=$(printf '\033')
run 0 adjust --store MAIN --item KB-100 --diff 1 --reason FI --memo "hide${esc}[1A${esc}[2K${esc}]0;pwned$(printf '\007')"
run 0 history --limit 1
case "$out" in *"$esc"*) fail "an ESC reached the terminal in table output" ;; *) ok ;; esac
check_contains "shown as ?" "hide?[1A?[2K?]0;pwned?" "$out"
run 3 adjust --store MAIN --item "x${esc}]0;t$(printf '\007')" --diff 1 --reason FI
case "$err" in *"$esc"*) fail "an ESC reached the terminal in a message" ;; *) ok ;; esac
finish
