#!/bin/sh
# Hostile clocks (issue 11): the installed program's "today" cannot be
# moved by a user, and "today" is the store's, whatever a terminal's TZ.
# The installed program is $ROOT/invadj (no pinned clock); $INVADJ is
# the test build, whose clock INVADJ_NOW / INVADJ_TODAY pin.
. tests/cli/lib.sh
INSTALLED="${INVADJ_INSTALLED:-$ROOT/invadj}" # another build may be tried: INVADJ_INSTALLED
demo_db
export INVADJ_USER=admin INVADJ_PIN=0000

run_installed() { run_program "$INSTALLED" "$@"; }

# INVADJ_TODAY in the future: the installed program still refuses a
# row dated 9999-12-31.
INVADJ_TODAY=9999-12-31 run_installed 2 adjust --store MAIN --item KB-100 --diff 1 --reason FI --date 9999-12-31
check_contains "INVADJ_TODAY cannot date a row in the future" "is in the future" "$err"
INVADJ_TODAY=9999-12-31 run_installed 0 adjust --store MAIN --item KB-100 --diff 1 --reason FI --format csv
check_contains "and a blank date is the real today" ",1," "$out"
rows=$("$INSTALLED" history --limit 1 --format csv | tail -1 | cut -d, -f3)
check "the real today, not 9999-12-31" "$(date -u +%Y)" "$(echo "$rows" | cut -c1-4)"

# INVADJ_TODAY in the past: -100 dated 1900-01-01 is back-dated, so the
# balance on that day (0 in a store without negative stock) is checked.
INVADJ_TODAY=1900-01-01 run_installed 4 adjust --store MAIN --item KB-100 --diff -100 --reason DMG --date 1900-01-01
check_contains "INVADJ_TODAY cannot make a back-dated row today" "back-dated to 1900-01-01" "$err"

# ... and cannot let a Sync upload through back-dated.
printf 'StoreCode,ItemNumber,Qty,ReasonCode,TransactionDate\nMAIN,KB-100,5,CC,2000-01-01\n' >"$T/sync.csv"
INVADJ_TODAY=2000-01-01 run_installed 4 upload "$T/sync.csv" --rule sync --errors "$T/sync.err.csv"
check_contains "INVADJ_TODAY cannot pass a back-dated Sync" "back-dated" "$err"

# The test build does take the pin (so the tests above prove the seam is
# the build, not a broken variable).
INVADJ_TODAY=2000-01-02 run 0 adjust --store MAIN --item MS-200 --diff 1 --reason FI --format csv
check "the test build pins today" "2000-01-02" "$("$INVADJ" history --limit 1 --format csv | tail -1 | cut -d, -f3)"

# Two terminals of one store, in Pacific/Kiritimati (UTC+14) and
# Pacific/Pago_Pago (UTC-11): 25 hours apart, so their own dates always
# differ.  Each posts with a blank date: both rows get the store's date.
# (INVADJ_TODAY, which the test library sets, is left out: with the real
# clock the two terminals' own dates differ at any hour.)
for tz in Pacific/Kiritimati Pacific/Pago_Pago; do
	env -u INVADJ_TODAY TZ=$tz "$INSTALLED" adjust --store WH --item KB-100 --diff 1 --reason FI >/dev/null 2>&1
done
dates=$("$INSTALLED" history --store WH --limit 2 --format csv | tail -2 | cut -d, -f3 | sort -u | wc -l)
check "two terminals' TZ, one today (the host's zone)" "1" "$dates"

# The store's own zone decides: PAGO in Pago Pago.  (A store of its
# own: MAIN's chain already holds rows the real clock recorded, and a
# chain's times never go back, so a clock pinned before them would be
# held at its last row's time.)  At 12:00 UTC on
# 2026-11-29 it is 01:00 on the 29th there (and 02:00 on the 30th in
# Kiritimati): every terminal posts on the 29th, and the 30th is the
# future.
printf 'StoreCode,StoreName,TimeZone\nPAGO,Pago Pago,Pacific/Pago_Pago\n' >"$T/tz.csv"
run 0 import stores "$T/tz.csv"
export INVADJ_NOW=2026-11-29T12:00:00Z
for tz in Pacific/Kiritimati Pacific/Pago_Pago UTC; do
	TZ=$tz run 0 adjust --store PAGO --item CB-0042 --diff 10 --reason FI
done
check "the store's today in every terminal" "2026-11-29" \
	"$("$INVADJ" history --store PAGO --item CB-0042 --limit 3 --format csv | tail -n +2 | cut -d, -f3 | sort -u)"
TZ=Pacific/Kiritimati run 2 adjust --store PAGO --item CB-0042 --diff 1 --reason FI --date 2026-11-30
check_contains "Kiritimati's date is Pago Pago's future" "2026-11-30 is in the future (today is 2026-11-29)" "$err"
# Back-dating is judged by the store's date: one more than the balance
# at the end of the 28th (none), taken on the 28th, is refused, although
# Net Available now (30) would allow it.
check "nothing at PAGO at the end of the 28th" "0" \
	"$("$INVADJ" balance --store PAGO --item CB-0042 --as-of 2026-11-28 --format csv | tail -n +2 | wc -l)"
TZ=Pacific/Pago_Pago run 4 adjust --store PAGO --item CB-0042 --diff -1 --reason DMG --date 2026-11-28
check_contains "back-dated in the store's calendar" "back-dated to 2026-11-28" "$err"

# Recorded times are kept in UTC (CSV) and shown in the store's zone (table).
run 0 history --store PAGO --limit 1 --format csv
check_contains "recorded in UTC" "2026-11-29T12:00:00.000Z" "$out"
TZ=Pacific/Kiritimati run 0 history --store PAGO --limit 1
check_contains "shown in the store's zone" "2026-11-29 01:00:00-11:00" "$out"

# An unknown zone is refused on import.
printf 'StoreCode,TimeZone\nMAIN,Mars/Olympus_Mons\n' >"$T/badtz.csv"
run 2 import stores "$T/badtz.csv"
check_contains "unknown zone" "TimeZone: \"Mars/Olympus_Mons\" is not a time zone" "$err"

# Every row keeps the rules in its store's zone: verify replays the
# dates against the day each was recorded there (issue 9).
run 0 verify
check_contains "the zoned rows verify" "every hash and rule holds" "$out"
finish
