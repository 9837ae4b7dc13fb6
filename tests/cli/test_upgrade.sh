#!/bin/sh
# Old databases keep working: a schema-2 file made by the invadj before
# schema 3 (tests/fixtures/schema2.sql) is brought forward in place (to
# schema 9) by the first command that writes; its rows keep their
# version-1 hashes, its master data gets a history of "migrated" events,
# new rows chain on per store, and verify, export and migrate handle both
# versions.  A schema-1 file too.
. tests/cli/lib.sh
IVCHAIN="python3 $ROOT/tests/cli/ivchain.py"
sqlite3 "$T/old.db" <"$ROOT/tests/fixtures/schema2.sql" || { echo "cannot load the fixture"; exit 1; }
# in WAL mode, as every file invadj made (the shell's dump loads in
# rollback mode, where two terminals opening it at once could deadlock
# on the switch, which no file of invadj's ever needs)
sqlite3 "$T/old.db" "PRAGMA journal_mode = WAL" >/dev/null
export INVADJ_DB="$T/old.db"
before=$(sqlite3 "$T/old.db" "SELECT group_concat(lower(hex(hash))) FROM ledger ORDER BY id")

# A command that only reads does not upgrade it.
run 7 verify
check_contains "verify asks for a command that writes first" "made by an older invadj (schema 2, this one knows 9)" "$err"
check "verify left it as it was" "2" "$(sqlite3 "$T/old.db" "PRAGMA user_version")"
# Two terminals open it at once to write: one migrates, both work.
INVADJ_PIN=9999 "$INVADJ" --user super user list >"$T/v1" 2>&1 &
INVADJ_PIN=9999 run 0 --user super user list
wait $! || fail "the other terminal failed: $(cat "$T/v1")"
run 0 verify
check_contains "the migrated file verifies" "ok: 20 ledger rows in 3 store chains, 25 events" "$out"
check "schema 9" "9" "$(sqlite3 "$T/old.db" "PRAGMA user_version")"
sums=$(sqlite3 "$T/old.db" "SELECT sum(CASE WHEN diff > 0 THEN diff ELSE 0 END) || ',' || sum(CASE WHEN diff < 0 THEN -diff ELSE 0 END) || ',' || sum(diff) FROM ledger")
INVADJ_PIN=9999 run 0 --user super report adjustments --by month --from 2026-06-01 --with-reversed --format csv
check "the report summaries hold the old rows, none valued" "Month,Lines,Added,Removed,Net,Value
2026-06,20,$sums," "$out"
check "the items got their search keys on the way" "0" "$(sqlite3 "$T/old.db" "SELECT count(*) FROM items WHERE search_key IS NULL")"
check "the rebuilt ledger keeps the History indexes (by store: ledger_chain; by item: ledger_items)" \
	"ledger_by_date ledger_by_user" \
	"$(sqlite3 "$T/old.db" "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ledger_by_%' ORDER BY name" | tr '\n' ' ' | sed 's/ $//')"
check "every row is listed by item" "$(sqlite3 "$T/old.db" "SELECT group_concat(item_id || ':' || id) FROM (SELECT item_id, id FROM ledger ORDER BY item_id, id)")" \
	"$(sqlite3 "$T/old.db" "SELECT group_concat(item_id || ':' || id) FROM ledger_items")"
check "the rows keep their hashes" "$before" "$(sqlite3 "$T/old.db" "SELECT group_concat(lower(hex(hash))) FROM ledger ORDER BY id")"
check "every old row is version 1" "20" "$(sqlite3 "$T/old.db" "SELECT count(*) FROM ledger WHERE hash_version = 1")"
check "each store's rows are numbered 1, 2, 3... in id order" "0" \
	"$(sqlite3 "$T/old.db" "SELECT count(*) FROM ledger l WHERE seq <> (SELECT count(*) FROM ledger x WHERE x.store_id = l.store_id AND x.id <= l.id)")"
check "MAIN's chain" "1,2,3,4,5,6,7,8,9" "$(sqlite3 "$T/old.db" "SELECT group_concat(seq) FROM (SELECT seq FROM ledger WHERE store_id = 1 ORDER BY id)")"
check "the master data has its history" "25 migrated" \
	"$(sqlite3 "$T/old.db" "SELECT count(*) || ' ' || min(action) FROM events")"
check "users' day totals are summed" "$(sqlite3 "$T/old.db" "SELECT sum(diff) FROM ledger")" \
	"$(sqlite3 "$T/old.db" "SELECT sum(diff) FROM user_days")"

# New rows chain on, per store, over the old ones.
INVADJ_PIN=9999 "$INVADJ" --user super adjust --store MAIN --item KB-100 --diff 4 --reason FI >/dev/null
INVADJ_PIN=9999 "$INVADJ" --user super reverse 5 >/dev/null
run 0 verify
check_contains "old and new rows verify together" "ok: 22 ledger rows" "$out"
"$INVADJ" export --raw "$T/ledger.csv" >/dev/null
check "an auditor recomputes both versions from the export" "22 rows, every hash and link holds" \
	"$($IVCHAIN audit "$T/ledger.csv")"
check "the first new row chains to its store's last old one" \
	"$(sqlite3 "$T/old.db" "SELECT lower(hex(hash)) FROM ledger WHERE id = 19")" \
	"$(awk -F, '$1 == 21 { print $(NF-1) }' "$T/ledger.csv")"
INVADJ_PIN=0000 "$INVADJ" --user admin user list --history clerk >"$T/h" 2>&1
check_contains "the migrated disablement shows in the history" "disabled_at" "$(cat "$T/h")"

# A changed old row is named, by its old hash.
sqlite3 "$T/old.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$T/old.db" "$T/bad.db"
trigger=$(sqlite3 "$T/bad.db" "SELECT sql FROM sqlite_master WHERE name = 'ledger_no_update'")
sqlite3 "$T/bad.db" "DROP TRIGGER ledger_no_update; UPDATE ledger SET memo = 'x' WHERE id = 3; $trigger;"
run 8 --db "$T/bad.db" verify
check_contains "a changed version-1 row" "ledger row #3 (seq 3): it does not match its hash (version 1)" "$err"

# And the ledger moves to another file with both versions.
run 0 migrate --from "$T/old.db" --to "$T/copy.db"
check_contains "migrate copies events and both versions" "22 ledger rows" "$out"
check_contains "migrate copies the events" "events" "$out"

# A schema-1 file (before users could be disabled) comes forward too.
sqlite3 "$T/one.db" <"$ROOT/tests/fixtures/schema2.sql"
sqlite3 "$T/one.db" "ALTER TABLE users DROP COLUMN disabled_at; ALTER TABLE users DROP COLUMN disabled_by;
	ALTER TABLE users DROP COLUMN pin_set_at; ALTER TABLE users DROP COLUMN pin_set_by; PRAGMA user_version = 1;"
INVADJ_PIN=0000 run 0 --db "$T/one.db" --user admin user list
check "schema 1 is brought to 9" "9" "$(sqlite3 "$T/one.db" "PRAGMA user_version")"
INVADJ_PIN=0000 run 0 --db "$T/one.db" --user admin user disable super
INVADJ_PIN=9999 run 5 --db "$T/one.db" --user super adjust --store MAIN --item KB-100 --diff 1 --reason FI
check_contains "a user disabled after the upgrade cannot log in" "disabled" "$err"
run 0 --db "$T/one.db" verify
finish
