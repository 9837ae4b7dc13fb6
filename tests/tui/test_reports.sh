#!/bin/sh
# Reports (F11): bars of the adjustments by store and reason over the
# last 30 days, Enter on a bar opens History filtered to it (exactly its
# rows), the bars switched to Net and reversed pairs counted, the
# grouping and range pickers, wider columns on a wider terminal, ASCII
# bars without UTF-8, no colour under NO_COLOR, a clerk refused in
# words; and the Stock screen's sparkline of the selected row.
. "$(dirname "$0")/lib.sh"
INVADJ_TODAY=2026-03-01 make_db
cli() { INVADJ_USER=clerk INVADJ_PIN=1111 "$INVADJ" --db "$DB" "$@" >/dev/null || fail "set-up: $*"; }
cli adjust --store MAIN --item KB-100 --diff -3 --reason DMG
cli adjust --store WH --item HB-004 --diff -4 --reason NF --date 2026-02-20
start
login super 2222
keys F11
wait_for "invadj | Reports"
# the demo's opening stock (valued at its costs), the two lines above
wait_re "MAIN +DMG +1 +-3 +-74\.70 +▏"
wait_re "WH +FI +5 +1405 +31240\.25\* +█{20,}"
wait_re "WH +NF +1 +-4 +— *$"
wait_for "2026-02-01 to 2026-03-02, 5 rows."
wait_for "Total: 15 lines, added 1970, removed 7, Net 1963, Value 40987.80*."
wait_for "Bars: Value"
# the first bar (MAIN DMG) is selected: its History is that one row
keys Enter
wait_for "invadj | History"
wait_for "Filter: store MAIN, reason DMG, from"
wait_for "2026-02-01, to 2026-03-02"
wait_for "Row 1 of 1"
wait_re "MAIN +KB-100 +DMG +-3 +clerk"
# the second (MAIN FI): the five opening rows; Ctrl-G is F11 where the
# terminal keeps F11 for itself
keys C-g
wait_for "invadj | Reports"
keys Down Enter
wait_for "Filter: store MAIN, reason FI"
wait_for "Row 1 of 5"
# bars by Net, reversed pairs counted (a reversal appears)
INVADJ_USER=super INVADJ_PIN=2222 "$INVADJ" --db "$DB" reverse \
	"$("$INVADJ" --db "$DB" history --limit 1 --reason DMG --format csv | sed -n '2s/,.*//p')" >/dev/null \
	|| fail "set-up: the reversal"
keys F11
wait_for "invadj | Reports"
wait_gone "DMG"   # the reversed line and its reversal cancel
keys F8
wait_for "Reversed: counted"
wait_re "MAIN +DMG +1 +-3 "
wait_re "MAIN +REV +1 +3 "
keys F7
wait_for "Bars: Net"
wait_re "WH +FI +5 +1405 .* █{20,}"
# the grouping picker: by item, then store
keys Tab
keys F6
wait_for "Group the adjustments by"
text "item,store"
wait_for "1 grouping match"
keys Enter
wait_re "Item +Store +Lines"
wait_re "HB-004 +WH +2 +86 +— "
# the range picker: today only
keys Tab Tab
keys F6
wait_for "Choose a range of dates"
text today
keys Enter
wait_for "2026-03-02 to 2026-03-02, "
absent "HB-004"   # its -4 was on 02-20
keys F10
sleep 0.3

# Wider: Added and Removed too; an ASCII terminal: # bars and a plain dash.
tmux -L "$SOCK" kill-server 2>/dev/null
export LANG=C LC_ALL=C
start 120 30
login super 2222
keys F11
wait_re "Store +Reason +Lines +Added +Removed +Net +Value"
wait_re "WH +NF +1 +0 +4 +-4 +- *$"
wait_re "WH +FI +5 +1405 +0 +1405 +31240\.25\* +#{20,}"
absent "█"
keys F10
sleep 0.3

# NO_COLOR: the bars are drawn, in no colour; with colours, in cyan.
tmux -L "$SOCK" kill-server 2>/dev/null
export LANG=C.UTF-8 LC_ALL=C.UTF-8
colours() { tmux -L "$SOCK" capture-pane -p -e | grep -c '\[[0-9;]*3[0-7]m' ; }
start
login super 2222
keys F11
wait_re "WH +FI .* █{20,}"
[ "$(colours)" -gt 0 ] || fail "no colour without NO_COLOR"
keys F10
sleep 0.3
tmux -L "$SOCK" kill-server 2>/dev/null
tmux -L "$SOCK" -f /dev/null new-session -d -x 80 -y 24 \
	"exec env TERM=screen NO_COLOR=1 '$INVADJ' --db '$DB'" || fail "tmux did not start"
wait_for "Inventory Adjustment - log in"
login super 2222
keys F11
wait_re "WH +FI .* █{20,}"
[ "$(colours)" -eq 0 ] || fail "colours under NO_COLOR"
keys F10
sleep 0.3

# A clerk: the engine's refusal, in words.
tmux -L "$SOCK" kill-server 2>/dev/null
start
login clerk 1111
keys F11
wait_for "reports of adjustments are for supervisors and admins"
# Help: the key from the action table, and Reports and Value in words
# after the keys.
keys F1
wait_for "WHAT THE WORDS MEAN"
k=0
until screen | grep -q "^ REPORTS"; do
	k=$((k + 1)); [ "$k" -le 12 ] || fail "no REPORTS section in Help"
	keys NPage; sleep 0.3
done
wait_re "^ Value +A Diff at the item's unit cost"
# back up the keys, a page at a time, to Reports' own
k=0
until screen | grep -qE "F11/\^G +Adjustments by reason, store, item or period"; do
	k=$((k + 1)); [ "$k" -le 8 ] || fail "no F11 in Help's keys"
	keys PPage; sleep 0.3
done
# Stock's detail: the selected row's Net Available over 30 days.
keys F5
wait_for "Net Available"
text hb-004
wait_for "1 row now"
wait_re "30 days at WH: ▁{28}█{2} 0 to 86, low -4, high 86"
echo "ok"
