#!/bin/sh
# invadj balance with a store, an item or both, now or as of a date, on
# PostgreSQL: the server's own plans (auto_explain, sent to the client
# as notices) read balances and day totals through their primary keys,
# never a sequential scan, on a ledger large enough for a scan to be
# tempting; and the figures are the ones psql sums by hand.
# (SQLite's plans: tests/unit/test_balances.c.)
. tests/pg/lib.sh
export INVADJ_USER=admin INVADJ_PIN=0000
db=$(pg_newdb points)
run 0 --db "$db" init --admin admin
# 10 stores x 2,000 items, a balance each and 30 days of day totals
# (600,000 rows): written directly, as only the plans are looked at.
psql -qX -v ON_ERROR_STOP=1 "$db" >/dev/null <<'EOF' || fail "filling the database"
INSERT INTO stores(code, name) SELECT 'S' || lpad(g::text, 2, '0'), 'Store ' || g FROM generate_series(0, 9) g;
INSERT INTO items(number, description) SELECT 'IT' || lpad(g::text, 5, '0'), 'Item ' || g FROM generate_series(0, 1999) g;
INSERT INTO day_totals SELECT s.id, i.id, to_char(date '2026-05-01' + d, 'YYYY-MM-DD'), 1 + (i.id + d) % 3
  FROM stores s, items i, generate_series(0, 29) d;
INSERT INTO balances SELECT store_id, item_id, sum(diff) FROM day_totals GROUP BY store_id, item_id;
ANALYZE;
EOF

# Generic plans, as a long session (the screens, invadj batch) gets after
# a few runs of a statement: the plan may not count on which parameters
# are NULL, as a one-off run's plan may.
# auto_explain is the database's setting, made by the superuser: the
# commands that log in connect as the admin's own role, which may not
# load a library or set auto_explain's parameters itself.
psql -qX -v ON_ERROR_STOP=1 "$ADMIN_URI" -c "ALTER DATABASE ${db##*/} SET session_preload_libraries = 'auto_explain'" \
	-c "ALTER DATABASE ${db##*/} SET auto_explain.log_min_duration = 0" \
	-c "ALTER DATABASE ${db##*/} SET auto_explain.log_level = notice" >/dev/null || fail "auto_explain for the database"
explain="-c plan_cache_mode=force_generic_plan"
# plans ARGS...: runs invadj balance ARGS with the server explaining
# every statement; the CSV in $T/out, the plans in $T/plans.
plans() {
	PGOPTIONS="$explain" "$INVADJ" --db "$db" balance --format csv "$@" >"$T/out" 2>"$T/plans"
}
sum_sql() { psql -qXAt "$db" -c "$1"; }

asof=2026-05-20
for shape in "--store S05" "--item IT01234" "--store S05 --item IT01234" \
	"--store S05 --as-of $asof" "--item IT01234 --as-of $asof" "--store S05 --item IT01234 --as-of $asof"; do
	plans $shape
	check_contains "balance $shape: explained" "Query Text: SELECT s.code" "$(cat "$T/plans")"
	check "balance $shape: no sequential scan of balances or day totals" "" \
		"$(grep -E 'Seq Scan on (balances|day_totals)' "$T/plans")"
	case "$shape" in
	*as-of*) key=day_totals_pkey ;;
	*) key=balances_pkey ;;
	esac
	check_contains "balance $shape: read through $key" "$key" "$(cat "$T/plans")"
	# An item is looked up in the key, not filtered from a store's rows.
	case "$shape" in
	*--item*) check "balance $shape: the item is in the key's condition" "yes" \
		"$(grep -A1 "$key" "$T/plans" | grep -q 'Index Cond: .*item_id = ' && echo yes)" ;;
	esac
done

# The figures.
plans --store S05 --item IT01234 --as-of $asof
check "pair as of a date" "StoreCode,ItemNumber,NetAvailable
S05,IT01234,$(sum_sql "SELECT sum(diff) FROM day_totals d JOIN stores s ON s.id = d.store_id JOIN items i ON i.id = d.item_id WHERE s.code = 'S05' AND i.number = 'IT01234' AND tdate <= '$asof'")" "$(cat "$T/out")"
plans --item IT01234 --as-of $asof
check "an item in every store as of a date" \
	"$(sum_sql "SELECT s.code || ',IT01234,' || sum(diff) FROM day_totals d JOIN stores s ON s.id = d.store_id JOIN items i ON i.id = d.item_id WHERE i.number = 'IT01234' AND tdate <= '$asof' GROUP BY s.code ORDER BY s.code")" \
	"$(tail -n +2 "$T/out")"
plans --item IT01234
check "an item in every store now" \
	"$(sum_sql "SELECT s.code || ',IT01234,' || b.qty FROM balances b JOIN stores s ON s.id = b.store_id JOIN items i ON i.id = b.item_id WHERE i.number = 'IT01234' ORDER BY s.code")" \
	"$(tail -n +2 "$T/out")"
plans --store S05 --as-of 2026-04-30
check "before the first day: only the header" "StoreCode,ItemNumber,NetAvailable" "$(cat "$T/out")"

# Every statement the command line issues for one store, item, date or
# user (saves, a back-dated one, an upload, History's filters, balance,
# reports),
# on generic plans with sequential scans priced out (enable_seqscan=off:
# a Seq Scan left is one no index could replace, whatever the table's
# size): none reads the ledger, ledger rows by item, day totals, user
# day totals or balances whole.  (SQLite: tests/unit/test_plans.c, every
# statement of its table.)
printf 'ReasonCode,Description\nFI,Found inventory\n' >"$T/reasons.csv"
run 0 --db "$db" import reasons "$T/reasons.csv"
printf '%s\n' '**StoreCode,**ItemNumber,ItemIdentifierCode,**Qty,**ReasonCode,TransactionDate,Memo' \
	'S05,IT01234,,5,FI,2026-05-20,' 'S05,IT00007,,3,FI,,' 'S06,IT01234,,-1,FI,2026-05-25,' >"$T/up.csv"
strict="$explain -c enable_seqscan=off"
for cmd in "adjust --store S05 --item IT01234 --diff 1 --reason FI" \
	"adjust --store S05 --item IT01234 --diff -1 --reason FI --date 2026-05-20" \
	"upload $T/up.csv --rule delta" \
	"history --store S05" "history --item IT01234" "history --store S05 --item IT01234" \
	"history --from 2026-05-20 --to 2026-05-20" "history --by admin" \
	"balance --store S05 --item IT01234 --as-of 2026-05-20" "balance --store S05" \
	"report adjustments --store S05 --from 2026-05-01 --to 2026-05-31" \
	"report adjustments --item IT01234 --from 2026-05-01 --to 2026-05-31" \
	"report item IT01234 --store S05 --from 2026-05-01 --to 2026-05-31"; do
	PGOPTIONS="$strict" "$INVADJ" --db "$db" $cmd >"$T/out" 2>"$T/plans" || fail "$cmd: $(grep -v '^NOTICE\|^ \|^\t' "$T/plans" | head -3)"
	check_contains "$cmd: explained" "Query Text:" "$(cat "$T/plans")"
	check "$cmd: no sequential scan of the ledger, day totals or balances" "" \
		"$(grep -E 'Seq Scan on (ledger|ledger_items|day_totals|user_days|balances|report_items|report_days)( |$)' "$T/plans")"
done
check_contains "the saves were made" "IT01234" "$(PGOPTIONS= "$INVADJ" --db "$db" history --store S05 --format csv)"
finish
