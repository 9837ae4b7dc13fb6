#!/bin/sh
# invadj batch: a script's commands on standard input, one login for all
# of them.  Each line's output and status are what the command gives
# alone; the PIN is checked (Argon2id) once, however many lines write;
# quoting is the shell's, nothing else of the shell's applies; a failing
# line stops the batch (or not, with --keep-going); a user disabled
# while the batch runs writes no more.
. tests/cli/lib.sh
demo_db
export INVADJ_USER=clerk INVADJ_PIN=1111
unset INVADJ_FORMAT 2>/dev/null || true

# batch CODE [OPTION...] < script: runs invadj batch, checks its status.
batch() {
	want=$1; shift
	"$INVADJ" batch "$@" >"$T/out" 2>"$T/err"; got=$?
	out=$(cat "$T/out"); err=$(cat "$T/err")
	check "batch $* exit status" "$want" "$got"
}

# ---- the same output, line for line, as the commands alone
cat >"$T/script" <<'EOF'
# counts of the morning
balance --store MAIN --item KB-100 --format csv

adjust --store MAIN --item KB-100 --diff -2 --reason NF --memo 'shelf 3, "top"' --format csv
  adjust	--store MAIN --item MS-200 --diff 5 --reason FI --format csv
balance --store MAIN --format csv
history --store MAIN --limit 2
EOF
batch 0 <"$T/script"
batch_out=$out
# The same commands, each alone, on a fresh copy of the demo data.
alone_db="$T/alone.db"
INVADJ_PIN=0000 "$INVADJ" --db "$alone_db" init --admin admin --demo --data "$ROOT/data" >/dev/null
alone() { "$INVADJ" --db "$alone_db" "$@"; }
{
	alone balance --store MAIN --item KB-100 --format csv
	alone adjust --store MAIN --item KB-100 --diff -2 --reason NF --memo 'shelf 3, "top"' --format csv
	alone adjust --store MAIN --item MS-200 --diff 5 --reason FI --format csv
	alone balance --store MAIN --format csv
	alone history --store MAIN --limit 2
} >"$T/alone.out" 2>"$T/alone.err"
# History shows when each row was recorded: the moments differ.
no_times() { sed 's/20[0-9-]*T[0-9:.]*Z/TIME/g'; }
check "batch output = the commands' own output" "$(no_times <"$T/alone.out")" "$(echo "$batch_out" | no_times)"
check "nothing on stderr" "" "$err"
run 0 history --limit 2 --format csv
check_contains "quotes kept the memo whole" ',"shelf 3, ""top"""' "$out"

# ---- the PIN is checked once: Argon2id maps its 19 MiB once per check
# argon_maps CMD...: how many 19 MiB mappings the command made.
argon_maps() {
	strace -f -qq -e trace=mmap -o "$T/mmaps" "$@" >/dev/null 2>&1 <"$T/script5"
	awk -F', ' '/^[0-9]* *mmap\(/ && $2 + 0 >= 19 * 1024 * 1024 && $2 + 0 < 20 * 1024 * 1024 { n++ } END { print n + 0 }' "$T/mmaps"
}
# On a server the server checks the PIN, once per connection: a login
# is a connection of the person's own.
connects() {
	strace -f -qq -e trace=connect -o "$T/connects" "$@" >/dev/null 2>&1 <"$T/script5"
	grep -c "sin_port=htons($(echo "$INVADJ_DB" | sed 's|.*:\([0-9]*\)/.*|\1|'))" "$T/connects"
}
logins() { if on_server; then connects "$@"; else argon_maps "$@"; fi; }
for k in 1 2 3 4 5; do echo "adjust --store WH --item KB-100 --diff 1 --reason FI"; done >"$T/script5"
check "five saves, one PIN check" "1" "$(logins "$INVADJ" batch)"
check "one save alone: one PIN check (the measure works)" "1" \
	"$(logins "$INVADJ" adjust --store WH --item KB-100 --diff 1 --reason FI)"
echo "balance --store WH --item KB-100" >"$T/script5"
check "reading needs no login: no PIN check" "0" "$(argon_maps "$INVADJ" batch)"

# ---- a wrong PIN: the line fails as it would alone, and is not retried
printf 'balance --store WH --item KB-100 --format csv\nadjust --store WH --item KB-100 --diff 1 --reason FI\nadjust --store WH --item KB-100 --diff 1 --reason FI\nbalance --store WH --item KB-100 --format csv\n' >"$T/script"
INVADJ_PIN=9999 batch 5 --keep-going <"$T/script"
check "wrong PIN: reads still run" "StoreCode,ItemNumber,NetAvailable
WH,KB-100,606
StoreCode,ItemNumber,NetAvailable
WH,KB-100,606" "$out"
check_contains "wrong PIN: the login's own message" "login failed: Login: wrong user name or PIN" "$err"
check_contains "wrong PIN: not asked again" "line 3 failed (exit 5)" "$err"
check_contains "... saying why" "this batch is not logged in (its login failed or ended on an earlier line)" "$err"
if on_server; then
	# the reads' connection, one refused login (which ends it), the last
	# read's connection: no second try of the PIN
	cp "$T/script" "$T/script5"
	check "wrong PIN: one login tried, not two" "3" "$(INVADJ_PIN=9999 connects "$INVADJ" batch --keep-going)"
	printf 'adjust --store WH --item KB-100 --diff 1 --reason FI\n' | "$INVADJ" batch >/dev/null 2>&1
else
	check "wrong PIN: one failure counted, not two" "1" \
		"$(db_sql "SELECT coalesce(max(failures), 0) FROM login_failures WHERE name = 'clerk'")"
	printf 'adjust --store WH --item KB-100 --diff 1 --reason FI\n' | "$INVADJ" batch >/dev/null 2>&1
	check "the right PIN logs in and clears the count" "0" \
		"$(db_sql "SELECT coalesce(max(failures), 0) FROM login_failures WHERE name = 'clerk'")"
fi

# ---- a failing line stops the batch; --keep-going runs the rest
printf 'adjust --store WH --item KB-100 --diff 1 --reason FI\nadjust --store MALL --item WC-100 --diff -999 --reason NF\nadjust --store WH --item KB-100 --diff 1 --reason FI\n' >"$T/script"
batch 4 <"$T/script"
check_contains "the refusal, as alone" "refused:" "$err"
check_contains "the batch says where it stopped" "invadj batch: line 2 failed (exit 4); the lines after it were not run" "$err"
run 0 balance --store WH --item KB-100 --format csv
check "line 3 did not run" "StoreCode,ItemNumber,NetAvailable
WH,KB-100,608" "$out"
batch 4 --keep-going <"$T/script"
run 0 balance --store WH --item KB-100 --format csv
check "--keep-going: line 3 ran" "StoreCode,ItemNumber,NetAvailable
WH,KB-100,610" "$out"

# ---- quoting, and nothing else of the shell's
cat >"$T/script" <<EOF
adjust --store WH --item KB-100 --diff 1 --reason FI --memo \$HOME;\$(id)\`id\`*~|>x
adjust --store WH --item KB-100 --diff 1 --reason FI --memo "\$(touch $T/ran) \`touch $T/ran\`"
EOF
printf '%s\n' "adjust --store WH --item KB-100 --diff 1 --reason FI --memo a\\ b\\\"c\\'d\"e\\\"f\"'g\\h'" >>"$T/script"
batch 0 <"$T/script"
check "no command substitution ran" "no" "$([ -e "$T/ran" ] && echo yes || echo no)"
check "no redirection either" "no" "$([ -e x ] && echo yes || echo no)"
run 0 history --limit 3 --format csv
check_contains "\$, ;, \$( ), \` \`, *, ~, | and > are ordinary characters" ',$HOME;$(id)`id`*~|>x' "$out"
check_contains "inside double quotes too" ",\$(touch $T/ran) \`touch $T/ran\`" "$out"
check_contains "backslashes and both quotes (as CSV)" '"a b""c'"'"'de""fg\h"' "$out"
printf 'balance ; verify\n' >"$T/script"
batch 1 <"$T/script"
check_contains "; is not a separator" 'unexpected argument ";"' "$err"
printf 'balance --store "MAIN\n' >"$T/script"
batch 1 <"$T/script"
check "unclosed quote: one sentence, then where it stopped" "invadj batch: line 1: the line has a quote that is not closed; nothing was run
invadj batch: line 1 failed (exit 1); the lines after it were not run" "$err"
printf 'balance --store MAIN --item KB-100 --format csv\r\n\r\n  # note\r\n' >"$T/script"
batch 0 <"$T/script"
check "CRLF lines" "StoreCode,ItemNumber,NetAvailable
MAIN,KB-100,98" "$out"
printf 'balance --item KB-100 \\' >"$T/script"
batch 1 <"$T/script"
check_contains "a last line without newline, ending in \\" "line 1: the line ends with a backslash" "$err"
awk 'BEGIN { printf "balance --memo "; for (i = 0; i < 70000; i++) printf "x"; printf "\nbalance --store MAIN --item KB-100 --format csv\n" }' >"$T/script"
batch 1 --keep-going <"$T/script"
check_contains "a line too long" "line 1: the line is longer than 65536 bytes" "$err"
check "... and the next line is read whole" "StoreCode,ItemNumber,NetAvailable
MAIN,KB-100,98" "$out"

# ---- what a line may not do
printf 'init --admin x\nbatch\nfrobnicate\nbalance --db other.db\nbalance --user admin\n' >"$T/script"
batch 1 --keep-going <"$T/script"
check_contains "init refused" "line 1: init cannot run inside a batch; nothing was run" "$err"
check_contains "batch refused" "line 2: batch cannot run inside a batch" "$err"
check_contains "unknown command" "line 3: unknown command \"frobnicate\"" "$err"
check_contains "--db refused" "--db: a batch works on the database it was started with" "$err"
check_contains "--user refused" "--user: a batch logs in once, as the user given before batch" "$err"
check "every one of them failed" "5" "$(grep -c 'failed (exit 1)' "$T/err")"
printf 'balance --help\nbalance --store MAIN --item KB-100 --format csv\n' >"$T/script"
batch 0 <"$T/script"
check_contains "--help on a line: the usage, status 0, and on" "usage: invadj balance" "$out"
check_contains "... then the next line" "MAIN,KB-100,98" "$out"
batch 1 extra <"$T/script"
check_contains "no arguments: the commands come on standard input" "standard input" "$err"
"$INVADJ" --format csv batch >"$T/out" 2>&1 <<'EOF'
balance --store MAIN --item KB-100
balance --store MAIN --item KB-100 --format table
balance --store MAIN --item KB-100
EOF
check "--format before batch is every line's, a line's its own" "StoreCode,ItemNumber,NetAvailable
MAIN,KB-100,98
StoreCode  ItemNumber        NetAvailable
MAIN       KB-100                      98
StoreCode,ItemNumber,NetAvailable
MAIN,KB-100,98" "$(cat "$T/out")"

# ---- a clerk disabled while the batch runs: the next save is refused
# (lines are fed one at a time; each is sent once the previous line's
# output has appeared, which the batch flushes line by line).
mkfifo "$T/feed"
"$INVADJ" batch --keep-going --format csv <"$T/feed" >"$T/live.out" 2>"$T/live.err" &
pid=$!
exec 3>"$T/feed"
wait_for() { # wait_for TEXT FILE: up to 15 s
	k=0; while [ $k -lt 150 ] && ! grep -q "$1" "$2"; do sleep 0.1; k=$((k + 1)); done
}
echo "adjust --store WH --item KB-100 --diff 1 --reason FI --memo before" >&3
wait_for "NewQty" "$T/live.out"
check "the first save, before" "1" "$(grep -c '^[0-9]*,WH,KB-100' "$T/live.out")"
INVADJ_PIN=0000 "$INVADJ" --user admin user disable clerk >/dev/null
echo "adjust --store WH --item KB-100 --diff 1 --reason FI --memo after" >&3
echo "adjust --store WH --item KB-100 --diff 1 --reason FI --memo later" >&3
exec 3>&-
wait $pid; code=$?
check "disabled mid-batch: the status of the refused line" "5" "$code"
check_contains "disabled mid-batch: refused, saying so" "user clerk has been disabled and is logged out" "$(cat "$T/live.err")"
check_contains "... and never logged in again" "line 3 failed (exit 5)" "$(cat "$T/live.err")"
run 0 history --limit 1 --format csv
check_contains "the last row saved is the one before" ",before" "$out"
INVADJ_PIN=0000 "$INVADJ" --user admin user enable clerk >/dev/null
run 0 verify
finish
