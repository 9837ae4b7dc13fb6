#!/bin/sh
# Esc then a digit is a function key only at once and only where Esc
# was pressed: a digit typed two seconds later, or scanned after Esc
# closed a list, is a digit.  Enter alone never answers yes to quitting.
. "$(dirname "$0")/lib.sh"
make_db
start
login clerk 1111
first_line MAIN KB-100 FI 7; keys Enter
text MS-200; keys Enter; text FI; keys Enter; text 3
wait_re "MS-200 +Wireless Mouse +FI +80 +3 +83"

# Esc, a pause, then 0: a zero typed, not F10 (no Quit question)
keys Tab                                  # to the next line's Item Number
keys Escape
sleep 2
keys 0
wait_re "^ 0 "
absent "Quit invadj"
keys C-u

# a name that opens the list, Esc closes it, a scan follows at once:
# the scan is typed as it is and its Enter takes it
text keyb; keys Enter
wait_for "Choose an item"
keys Escape
wait_gone "Choose an item"
text 012345678905; keys Enter
absent "Quit invadj"
wait_re "KB-100 +Wireless Keyboard +FI +100 +7 +107"
wait_re "MS-200 +Wireless Mouse +FI +80 +3 +83"

# F10 asks; Enter alone is No and the lines stay
keys F10
wait_for "Quit invadj anyway?"
keys Enter
wait_gone "Quit invadj anyway?"
wait_re "MS-200 +Wireless Mouse +FI +80 +3 +83"
pid=$(cat "$TMP/pid")
kill -0 "$pid" 2>/dev/null || fail "Enter quit invadj"

# keys typed before the question opened do not answer it: a y typed
# right after F10 is dropped when the box opens (it asks again)
keys F10 y
wait_for "Quit invadj anyway?"
sleep 0.5
kill -0 "$pid" 2>/dev/null || fail "a typed-ahead y answered the Quit question"
keys n
wait_gone "Quit invadj anyway?"

# Esc then a digit at once still works as the function key
keys Escape 3
wait_for "newest first"
echo "ok"
