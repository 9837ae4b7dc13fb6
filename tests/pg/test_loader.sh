#!/bin/sh
# The loader on a server (src/store/pg_bulk.c): a person's upload is one
# COPY however large, sent in pieces while the client reads on, and the
# server sums it once (ledger_add_sums, pg_roles.c).  Here an upload of
# many pieces with every field at its limits (memos of 255 characters in
# UTF-8 with backslashes and quotes, negative Diffs, back-dated rows, no
# memo) reads back equal and leaves sums that equal the ledger's own; a
# reversal moves the lines it cancels; an upload the server refuses
# after several pieces were sent leaves nothing behind; the statement
# triggers' functions are not compiled (JIT).
. tests/pg/lib.sh
db=$(pg_newdb loader)
export INVADJ_DB="$db" INVADJ_USER=admin INVADJ_PIN=0000
"$INVADJ" init --admin admin >/dev/null || { echo "init failed"; exit 1; }
{ echo "StoreCode,StoreName,AllowNegative"; for s in 1 2 3; do echo "S$s,Store $s,yes"; done; } >"$T/stores.csv"
awk 'BEGIN { print "ItemNumber,Description"; for (i = 1; i <= 1000; i++) printf "I%04d,Item %d\n", i, i }' >"$T/items.csv"
printf 'ReasonCode,Description\nCC,Cycle count\nREV,Reversal\n' >"$T/reasons.csv"
for k in stores items reasons; do "$INVADJ" import $k "$T/$k.csv" >/dev/null || fail "import $k"; done

# 255 characters: a backslash (COPY's escape), a quote, and the euro
# sign (three bytes) up to the limit; the CSV doubles the quote.
memo=$(awk 'BEGIN { s = "back\\slash \"q\" "; for (i = length(s); i < 255; i++) s = s "€"; printf "%s", s }')
[ "$(printf '%s' "$memo" | wc -m)" -eq 255 ] || fail "the test's memo is 255 characters"
csv_memo=$(printf '%s' "$memo" | sed 's/"/""/g')
# rows FILE N [POISON]: N rows over 3 stores x 1,000 items, Diffs -5..5
# but not 0, every fifth row without a memo, back-dated up to 4 days;
# with POISON the last row's memo is it.
rows() {
	awk -v n="$2" -v memo="$csv_memo" -v poison="${3:-}" 'BEGIN {
		srand(11); print "**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo"
		for (k = 0; k < n; k++) {
			q = int(rand() * 10) - 5; if (q >= 0) q++
			d = sprintf("2026-06-%02d", 11 + k % 5) # up to today, INVADJ_TODAY
			m = k % 5 == 4 ? "" : "\"" memo "\""
			if (poison != "" && k == n - 1) m = poison
			printf "S%d,I%04d,,%d,CC,%s,%s\n", 1 + k % 3, 1 + int(rand() * 1000), q, d, m } }' >"$1"
}
rows "$T/a.csv" 30000
[ "$(wc -c <"$T/a.csv")" -gt 16000000 ] || fail "the upload is several of the loader's 8 MiB pieces"

# sums_match: the server's balances, day totals and users' day totals
# equal the ledger's own sums, every key both ways ("0" when they do).
sums_match() {
	psql -qXAt -v ON_ERROR_STOP=1 "$db" -c "SELECT
	  (SELECT count(*) FROM ((SELECT store_id, item_id, qty FROM balances WHERE qty <> 0
	    EXCEPT SELECT store_id, item_id, sum(diff) FROM ledger GROUP BY 1, 2)
	   UNION ALL (SELECT store_id, item_id, sum(diff) FROM ledger GROUP BY 1, 2 HAVING sum(diff) <> 0
	    EXCEPT SELECT store_id, item_id, qty FROM balances)) b)
	+ (SELECT count(*) FROM ((SELECT store_id, item_id, tdate, diff FROM day_totals WHERE diff <> 0
	    EXCEPT SELECT store_id, item_id, tdate, sum(diff) FROM ledger GROUP BY 1, 2, 3)
	   UNION ALL (SELECT store_id, item_id, tdate, sum(diff) FROM ledger GROUP BY 1, 2, 3 HAVING sum(diff) <> 0
	    EXCEPT SELECT store_id, item_id, tdate, diff FROM day_totals)) d)
	+ (SELECT count(*) FROM ((SELECT store_id, item_id, tdate, user_id, diff FROM user_days WHERE diff <> 0
	    EXCEPT SELECT store_id, item_id, tdate, user_id, sum(diff) FROM ledger GROUP BY 1, 2, 3, 4)
	   UNION ALL (SELECT store_id, item_id, tdate, user_id, sum(diff) FROM ledger GROUP BY 1, 2, 3, 4
	    HAVING sum(diff) <> 0 EXCEPT SELECT store_id, item_id, tdate, user_id, diff FROM user_days)) u)"
}

run 0 upload "$T/a.csv" --rule delta
check_contains "the upload posts every row" " 30000 " "$out"
batch=$(printf '%s\n' "$out" | awk 'NR == 2 { print $1 }')
check "every memo reads back as written (24,000 at 255 characters, 6,000 none)" "24000|6000" \
	"$(echo "SELECT count(*) FILTER (WHERE memo = :'memo'), count(*) FILTER (WHERE memo = '') FROM ledger" |
	   psql -qXAt "$db" -v memo="$memo" | tr -d ' ')"
check "negative Diffs and five dates arrive" "t|5" \
	"$(psql -qXAt "$db" -c "SELECT min(diff) = -5 AND max(diff) = 5, count(DISTINCT tdate) FROM ledger" | tr -d ' ')"
check "the server's sums equal the ledger's after the upload" "0" "$(sums_match)"
check "the report lines count every row once, none cancelled" "30000|0" \
	"$(psql -qXAt "$db" -c "SELECT sum(lines) FILTER (WHERE cancelled = 0), coalesce(sum(lines) FILTER (WHERE cancelled = 1), 0) FROM report_items" | tr -d ' ')"
run 0 verify
check_contains "verify recomputes the same sums and summaries" "ok: 30000 ledger rows" "$out"

# A reversal's rows move their originals' lines among the cancelled
# (ledger_add_sums looks each original up by its id).
rows "$T/c.csv" 300
run 0 upload "$T/c.csv" --rule delta
small=$(printf '%s\n' "$out" | awk 'NR == 2 { print $1 }')
run 0 reverse --batch "$small"
check_contains "the small batch is reversed" "300 rows reversed" "$out"
check "the server's sums equal the ledger's after the reversal" "0" "$(sums_match)"
check "the first upload's lines stand, the reversed batch's and its reversal's are cancelled" "30000|600" \
	"$(psql -qXAt "$db" -c "SELECT sum(lines) FILTER (WHERE cancelled = 0), sum(lines) FILTER (WHERE cancelled = 1) FROM report_items" | tr -d ' ')"
run 0 verify
check_contains "verify agrees after the reversal" "ok: 30600 ledger rows" "$out"

# The server refuses the last row, after several pieces went: nothing of
# the upload stays (ledger, sums, summaries, batch).
rows "$T/b.csv" 30000 poison
snapshot() {
	psql -qXAt "$db" -c "SELECT (SELECT count(*) FROM ledger), (SELECT count(*) FROM batches),
	  (SELECT md5(string_agg(concat_ws(',', store_id, item_id, qty), ';' ORDER BY store_id, item_id)) FROM balances),
	  (SELECT md5(string_agg(concat_ws(',', tdate, store_id, item_id, cancelled, lines, added, removed), ';'
	    ORDER BY tdate, store_id, item_id, reason_id, user_id, cancelled)) FROM report_items)"
}
before=$(snapshot)
psql -qX "$db" -c "ALTER TABLE ledger ADD CONSTRAINT test_poison CHECK (memo <> 'poison') NOT VALID" >/dev/null
run 4 upload "$T/b.csv" --rule delta
check_contains "the server's refusal is the message" "test_poison" "$err"
check "nothing of the refused upload stays" "$before" "$(snapshot)"
psql -qX "$db" -c "ALTER TABLE ledger DROP CONSTRAINT test_poison" >/dev/null
run 0 upload "$T/b.csv" --rule delta
check_contains "the same file posts once the server takes it" " 30000 " "$out"
check "the server's sums equal the ledger's after it" "0" "$(sums_match)"
run 0 verify

# The checks and sums over a statement's rows are never compiled (JIT):
# a whole upload's statement is costed high enough for the server to
# compile it first, 1.2 s of a 1,000,000-row upload's CPU for nothing.
check "the four statement triggers on the ledger run with jit off" "4" \
	"$(psql -qXAt "$db" -c "SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
	  WHERE t.tgrelid = 'ledger'::regclass AND t.tgname IN ('ledger_author', 'ledger_approvals',
	  'ledger_sums', 'ledger_refs') AND 'jit=off' = ANY (p.proconfig)")"
# Balances are updated by every save and upload: their pages keep room
# for the new versions (updates in place, no new index entry).
check "balances' pages are half filled" "{fillfactor=50}" \
	"$(psql -qXAt "$db" -c "SELECT reloptions FROM pg_class WHERE oid = 'balances'::regclass")"
finish
