# Shared by the command-line tests: a temporary folder and database,
# the program under test, and small assertions that count.
#   . tests/cli/lib.sh   (from the repository root)
set -u
ROOT=$(pwd)
# The test build of the program: the same code with a clock that
# INVADJ_TODAY / INVADJ_NOW pin (the installed ./invadj ignores them).
INVADJ="${INVADJ_TEST_PROGRAM:-$ROOT/build/invadj-test}"
T=$(mktemp -d /tmp/invadj-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
# INVADJ_CLI_DB runs a test on another database, e.g. an empty one on
# a PostgreSQL server (tests/pg/test_on_server.sh).
export INVADJ_DB="${INVADJ_CLI_DB:-$T/inventory.db}"
export INVADJ_TODAY=2026-06-15
unset INVADJ_USER INVADJ_PIN INVADJ_APPROVER_PIN INVADJ_NEW_PIN
passed=0
failed=0

fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
ok() { passed=$((passed + 1)); }

# check NAME EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then ok; else
		fail "$1"; printf '  expected: %s\n  actual:   %s\n' "$2" "$3"
	fi
}

# check_contains NAME NEEDLE HAYSTACK
check_contains() {
	case "$3" in *"$2"*) ok ;; *) fail "$1"; printf '  wanted: %s\n  in:     %s\n' "$2" "$3" ;; esac
}

# run CODE CMD...: runs the program, checks its exit code; stdout in $out, stderr in $err.
run() { run_program "$INVADJ" "$@"; }

# run_program PROGRAM CODE CMD...: the same with another build (the
# installed ./invadj, whose clock cannot be pinned).
run_program() {
	program=$1 want=$2; shift 2
	"$program" "$@" >"$T/out" 2>"$T/err"; got=$?
	out=$(cat "$T/out"); err=$(cat "$T/err")
	if [ "$got" -ne "$want" ]; then
		fail "invadj $* exited $got, expected $want"; printf '  stderr: %s\n' "$err"
	else ok; fi
}

# on_server: the test database is on a PostgreSQL server, not a file.
on_server() {
	case "$INVADJ_DB" in postgres://* | postgresql://*) return 0 ;; *) return 1 ;; esac
}

# db_sql SQL: runs SQL on the test database as its owner would with
# the sqlite3 shell (or psql); prints rows, fails like the shell does.
db_sql() {
	if on_server; then psql -qXAt -v ON_ERROR_STOP=1 "$INVADJ_DB" -c "$1"
	else sqlite3 "$INVADJ_DB" "$1"; fi
}

demo_db() {
	INVADJ_PIN=0000 "$INVADJ" init --admin admin --demo --data "$ROOT/data" >/dev/null || { echo "init failed"; exit 1; }
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
