#!/bin/sh
# The ledger's references on PostgreSQL, kept without foreign keys
# (docs/design.md, "Referential integrity on PostgreSQL"): while an
# upload is writing rows that name a store and an item, neither can be
# deleted or renumbered from psql, so the upload's rows never point at
# a row that went meanwhile; a row forged behind the check is found by
# verify.
. tests/pg/lib.sh
db=$(pg_newdb refs)
export INVADJ_DB="$db"
INVADJ_PIN=0000 "$INVADJ" init --admin admin --demo --data "$ROOT/data" >/dev/null
awk 'BEGIN { print "**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo"
	for (k = 0; k < 100000; k++) print "MAIN,KB-100,,1,FI,," }' >"$T/up.csv"

INVADJ_PIN=2222 "$INVADJ" --user super upload "$T/up.csv" --rule delta >"$T/up.out" 2>&1 &
up=$!
tries=0 refused=0
while kill -0 "$up" 2>/dev/null || [ "$tries" -lt 3 ]; do
	for sql in "DELETE FROM stores WHERE code = 'MAIN'" "UPDATE items SET id = 999 WHERE number = 'KB-100'" \
		"TRUNCATE stores CASCADE"; do
		tries=$((tries + 1))
		case "$(psql_as "$db" "$sql")" in
		*"rows are kept"*) refused=$((refused + 1)) ;;
		*) echo "  not refused: $sql" ;;
		esac
	done
done
wait "$up"
check "the upload posts while deletions are tried" "0" "$?"
check "every deletion and renumbering was refused" "$tries" "$refused"
check "the store and item are still there, ids unchanged" "1|1" \
	"$(psql -qXAt "$db" -c "SELECT (SELECT id FROM stores WHERE code = 'MAIN'), (SELECT id FROM items WHERE number = 'KB-100')" | tr -d ' ')"
run 0 verify

# A ledger row with a made-up store, forged with the reference trigger
# dropped and put back: verify names it.
psql -qX -v ON_ERROR_STOP=1 "$db" >/dev/null 2>&1 <<'SQL'
DROP TRIGGER ledger_refs ON ledger;
INSERT INTO ledger(id, document, store_id, item_id, reason_id, diff, tdate, recorded_at, user_id, hash,
  seq, item_number, hash_version)
SELECT max(id) + 1, max(id) + 1, 4242, 1, 1, 5, '2026-06-15', '2026-06-15T10:00:00.000Z', 1, '\x00',
  1, 'KB-100', 2 FROM ledger;
CREATE TRIGGER ledger_refs AFTER INSERT ON ledger REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_refs();
ALTER TABLE ledger ENABLE ALWAYS TRIGGER ledger_refs;
SQL
check "the forgery went in" "0" "$?"
run 8 verify
check_contains "verify names the row with a missing store" "refers to a store that does not exist" "$err"
# With the trigger in place the same forgery is refused.
res=$(psql_as "$db" "INSERT INTO ledger(id, document, store_id, item_id, reason_id, diff, tdate, recorded_at, user_id, hash, seq, item_number, hash_version) SELECT max(id) + 1, 1, 4242, 1, 1, 5, '2026-06-15', 'x', 1, '\\x00', 2, 'KB-100', 2 FROM ledger")
check_contains "the database refuses a row with a missing store" "does not exist" "$res"

# The check takes one of two ways by the statement's size (a save's
# plan kept, a COPY's made for it): each refuses the first bad row, and
# names what it lacks.
forge() { # forge ROWS BAD_ROW COLUMN VALUE: ROWS rows, row BAD_ROW with COLUMN = VALUE
	psql_as "$db" "INSERT INTO ledger(id, document, store_id, item_id, reason_id, diff, tdate, recorded_at,
	  user_id, hash, seq, item_number, hash_version, reverses)
	  SELECT m + g, 1, CASE WHEN g = $2 AND '$3' = 'store' THEN $4 ELSE 1 END,
	  CASE WHEN g = $2 AND '$3' = 'item' THEN $4 ELSE 1 END, 1, 1, '2026-06-15', 'x', 1, '\\x00',
	  1000000 + g, 'KB-100', 2, CASE WHEN g = $2 AND '$3' = 'reverses' THEN $4 END
	  FROM (SELECT max(id) AS m FROM ledger) l, generate_series(1, $1) g"
}
max=$(psql -qXAt "$db" -c "SELECT max(id) FROM ledger")
for rows in 1 1500; do
	bad=$rows
	[ "$rows" -gt 1 ] && bad=1400
	res=$(forge "$rows" "$bad" item 999999)
	check_contains "$rows row(s), row $bad's item missing: refused, naming it" \
		"ledger row #$((max + bad)) refers to a item that does not exist" "$res"
	res=$(forge "$rows" "$bad" reverses 999999999)
	check_contains "$rows row(s), row $bad reverses a row that is not there: refused" \
		"ledger row #$((max + bad)) refers to a reversed row that does not exist" "$res"
done
check "none of them went in" "$max" "$(psql -qXAt "$db" -c "SELECT max(id) FROM ledger")"
finish
