#!/bin/sh
# Adjust's Date is checked when it is left (an impossible date is said
# at once), a back-dated document is marked and its lines show Net
# Available and New Qty as of its day with today's beside them, the
# Memo is saved with every line, and after the save the date is today
# again.
. "$(dirname "$0")/lib.sh"
make_db
start
login super 2222
text MAIN; keys Enter
for bad in 02/30/2026 13/01/2026 yesterday; do
	keys C-u; text "$bad"; keys Enter
	wait_for "Date: \"$bad\" is not a valid date"
	wait_re "Date +$bad"                    # still in the Date field
done
keys C-u; text 03/09/2026; keys Enter
wait_for "is in the future"
keys C-u; text 02/15/2026; keys Tab
wait_for "BACK-DATED"
text "recount after audit"; keys Enter
text MS-200; keys Enter; text CC; keys Enter; text 5
wait_for "Dated 2026-02-15"
wait_re "MS-200 +Wireless Mouse +CC +0 \\(now 80\\) +5 +5 \\(now 85\\)"
keys C-s
wait_for "Saved document"
"$INVADJ" --db "$DB" history --format csv | sed -n 2p | grep -q "2026-02-15,.*,MAIN,MS-200,CC,5,.*recount after audit" \
	|| fail "the back-dated line is not saved with its date and memo"
keys Enter
wait_re "Date +2026-03-02"
absent "BACK-DATED"
absent "recount after audit"
echo "ok"
