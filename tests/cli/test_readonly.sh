#!/bin/sh
# Commands that only read (issue 11) open the database read-only: they
# never create, migrate or write one.  On a missing, empty or foreign
# database they say it is not an invadj database and exit 7.
. tests/cli/lib.sh
sum() { sha256sum "$1" | cut -d' ' -f1; }

if on_server; then
	# An empty database on the server: nothing is created in it.
	for cmd in verify balance history export; do
		run 7 $cmd
		check_contains "$cmd on an empty server database" "is not an invadj database" "$err"
	done
	check "no table was created" "0" \
		"$(db_sql "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")"
	finish
	exit
fi

# A missing file: not created.
for cmd in verify balance history export "adjust --store S --item I --diff 1 --reason R --dry-run"; do
	run 7 --db "$T/missing.db" $cmd
	check_contains "$cmd on a missing file" "$T/missing.db is not an invadj database" "$err"
	[ -e "$T/missing.db" ] && { fail "$cmd created the file"; rm -f "$T/missing.db"; }
done

# An empty file (the finding: verify created the whole schema in it and
# reported "ok: 0 ledger rows").
: >"$T/empty.db"
for cmd in verify balance history export; do
	run 7 --db "$T/empty.db" $cmd
	check_contains "$cmd on an empty file" "$T/empty.db is not an invadj database" "$err"
done
check "the empty file stays empty" "0" "$(stat -c %s "$T/empty.db")"
# Commands that write, and commands that read after a login, refuse an
# empty file too (only init makes one a database): they made a schema
# without users in it and then failed to log in.
for cmd in "adjust --store MAIN --item KB-100 --diff 1 --reason CC" "count show 1" "user list" "count start --store MAIN"; do
	INVADJ_PIN=2222 run 7 --db "$T/empty.db" --user super $cmd
	check_contains "$cmd on an empty file" "$T/empty.db is not an invadj database" "$err"
done
check "the empty file stays empty after commands that write" "0" "$(stat -c %s "$T/empty.db")"
check "and has no log beside it" "" "$(ls "$T" | grep 'empty.db-')"

# A foreign SQLite database and a file that is no database at all.
sqlite3 "$T/foreign.db" "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'x')"
foreign=$(sum "$T/foreign.db")
run 7 --db "$T/foreign.db" verify
check_contains "a foreign SQLite file" "is not an invadj database" "$err"
check "the foreign file is unchanged" "$foreign" "$(sum "$T/foreign.db")"
INVADJ_PIN=2222 run 7 --db "$T/foreign.db" --user super adjust --store MAIN --item KB-100 --diff 1 --reason CC
check_contains "a foreign SQLite file, by a command that writes" "is not an invadj database" "$err"
check "the foreign file is unchanged, not even switched to WAL" "$foreign" "$(sum "$T/foreign.db")"
echo "just some text, long enough to be more than a header of some sort" >"$T/text.db"
run 7 --db "$T/text.db" balance
check_contains "a text file" "is not an invadj database" "$err"

# An invadj file of an older schema is not migrated by a reading command.
demo_db
v=$(sqlite3 "$INVADJ_DB" "PRAGMA user_version")
sqlite3 "$INVADJ_DB" "PRAGMA user_version = $((v - 1))"
before=$(sum "$INVADJ_DB")
run 7 verify
check_contains "an older schema is not upgraded by reading" "older invadj (schema $((v - 1))" "$err"
check "the older file is unchanged" "$before" "$(sum "$INVADJ_DB")"
sqlite3 "$INVADJ_DB" "PRAGMA user_version = $v"
run 0 verify
finish
