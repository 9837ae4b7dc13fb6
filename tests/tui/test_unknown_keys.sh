#!/bin/sh
# Function-key sequences this terminal type does not describe (PuTTY's
# F1 "ESC [11~" under TERM=xterm, an F-key of another emulator) are
# dropped, never typed into the field; the field keeps what it had.
. "$(dirname "$0")/lib.sh"
make_db
TUI_TERM=xterm start
login clerk 1111
text MAIN; keys Enter; keys Enter
text KB
printf '\033[11~' | tmux -L "$SOCK" load-buffer -
tmux -L "$SOCK" paste-buffer
printf '\033[25~\033O5P' | tmux -L "$SOCK" load-buffer -
tmux -L "$SOCK" paste-buffer
text -100
wait_re "^ KB"
sleep 0.3
absent "[11~"
absent "[25~"
absent "5P"
wait_re "^ KB-100 "
keys Enter
wait_re "KB-100 +Wireless Keyboard"
echo "ok"
