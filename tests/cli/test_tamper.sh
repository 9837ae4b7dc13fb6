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
finish
