#!/bin/sh
# The tamper suite on a SQLite file with the real sqlite3 shell: the
# attacks are in tamper_attacks.sh (tests/pg/test_tamper.sh runs the same
# on PostgreSQL).
. tests/cli/lib.sh
BASE=$T/base.db
export INVADJ_DB="$BASE"

# fresh_db NAME: a copy of the base database.
fresh_db() {
	sqlite3 "$BASE" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	cp "$BASE" "$T/$1.db"
	export INVADJ_DB="$T/$1.db"
}

. tests/cli/tamper_attacks.sh

# A file this user may not write: verify checks all else, says the
# triggers could not be tried, and exits 7 rather than 0.
fresh_db readonly
sqlite3 "$INVADJ_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
locked=""
if [ "$(id -u)" = 0 ]; then chattr +i "$INVADJ_DB" 2>/dev/null && locked=chattr
else chmod 0400 "$INVADJ_DB" && locked=chmod; fi
if [ -n "$locked" ]; then
	run 7 verify
	check_contains "read-only: all else was checked" "ok: 18 ledger rows" "$out"
	check_contains "read-only: the triggers were not tried" "the triggers could not be tried" "$err"
	if [ "$locked" = chattr ]; then chattr -i "$INVADJ_DB"; else chmod 0600 "$INVADJ_DB"; fi
fi
finish
