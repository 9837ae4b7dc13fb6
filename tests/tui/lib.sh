# Shared by the tmux tests of the screens (sourced, not run).  Each test
# gets its own temporary directory, database and tmux server, removed
# on exit; "today" is pinned so that the tests do not depend on the date.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
INVADJ=$ROOT/build/invadj-test # the test build: INVADJ_TODAY pins its clock
TMP=$(mktemp -d "${TMPDIR:-/tmp}/invadj-tui.XXXXXX")
SOCK="invadj-tui-$$"
# INVADJ_TUI_DB runs a test on another database, e.g. an empty one on
# a PostgreSQL server (tests/pg/test_on_server.sh).
DB=${INVADJ_TUI_DB:-$TMP/test.db}
export LANG=C.UTF-8 LC_ALL=C.UTF-8 INVADJ_TODAY=2026-03-02
unset INVADJ_USER INVADJ_PIN INVADJ_DB

cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

screen() { tmux -L "$SOCK" capture-pane -p 2>/dev/null; }

fail() {
	echo "FAIL: $*"
	echo "--- the screen was:"
	screen
	exit 1
}

# keys NAME...: tmux key names (Enter, Tab, F3, C-s, Escape ...)
keys() { tmux -L "$SOCK" send-keys "$@"; }
# text STRING: typed literally, character by character
text() { tmux -L "$SOCK" send-keys -l -- "$1"; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT (fixed string).
# The default wait is long because a passing test never waits it out,
# and a loaded CI machine (PostgreSQL, ASan builds alongside) is slow.
wait_for() {
	_n=$(( ${2:-15} * 10 ))
	while [ "$_n" -gt 0 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	fail "the screen never showed: $1"
}

# wait_re REGEX [SECONDS]: the same with an extended regular expression
wait_re() {
	_n=$(( ${2:-15} * 10 ))
	while [ "$_n" -gt 0 ]; do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	fail "the screen never matched: $1"
}

# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT
wait_gone() {
	_n=$(( ${2:-15} * 10 ))
	while [ "$_n" -gt 0 ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	fail "the screen still shows: $1"
}

# absent TEXT: the screen does not show TEXT now
absent() {
	if screen | grep -qF -- "$1"; then fail "the screen shows what it must not: $1"; fi
}

make_db() {
	INVADJ_PIN=0000 "$INVADJ" --db "$DB" init --admin admin --demo >/dev/null || fail "init --demo failed"
}

# start [WIDTH HEIGHT]: the screens on the test database in tmux
# (TUI_TERM names another terminal type, e.g. xterm)
start() {
	tmux -L "$SOCK" -f /dev/null new-session -d -x "${1:-80}" -y "${2:-24}" \
		"echo \$\$ >'$TMP/pid'; exec env TERM=${TUI_TERM:-screen} '$INVADJ' --db '$DB'" || fail "tmux did not start"
	tmux -L "$SOCK" set-option -g window-size manual 2>/dev/null
	wait_for "Inventory Adjustment - log in"
}

login() {
	wait_for "User"
	text "$1"; keys Enter
	text "$2"; keys Enter
	wait_for "User $1 ("
}

# first_line STORE ITEM REASON DIFF: on Adjust, the store, today's date
# and a first line typed as a clerk types it (the Diff not confirmed)
first_line() {
	text "$1"; keys Enter; keys Enter
	text "$2"; keys Enter; text "$3"; keys Enter; text "$4"
}

# approve NAME PIN: the Supervisor approval dialog, answered
approve() {
	wait_for "Supervisor approval"
	text "$1"; keys Enter
	text "$2"; keys Enter
}

# balance STORE ITEM: Net Available from the command line
balance() {
	"$INVADJ" --db "$DB" balance --store "$1" --item "$2" --format csv | sed -n 2p | cut -d, -f3
}

ledger_rows() {
	"$INVADJ" --db "$DB" history --format csv | sed 1d | wc -l
}
