#!/bin/sh
# When the terminal goes away (the SSH connection drops, the pane is
# closed), invadj exits instead of spinning on a dead terminal.
. "$(dirname "$0")/lib.sh"
make_db
# In a session of its own, invadj gets no hangup signal when the
# terminal closes (as when it runs under another program that dies
# first): the dead terminal itself must be noticed.
cat >"$TMP/launch" <<LAUNCH
#!/bin/sh
echo \$\$ >"$TMP/pid"
exec env TERM=screen "$INVADJ" --db "$DB"
LAUNCH
chmod +x "$TMP/launch"
tmux -L "$SOCK" -f /dev/null new-session -d -x 80 -y 24 "setsid -w $TMP/launch" || fail "tmux did not start"
wait_for "Inventory Adjustment - log in"
pid=$(cat "$TMP/pid")
[ -n "$pid" ] || fail "no pane process"
tmux -L "$SOCK" kill-server
n=50
while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
if kill -0 "$pid" 2>/dev/null; then
	kill -9 "$pid"
	echo "FAIL: invadj was still running 5 s after its terminal went away"
	exit 1
fi
echo ok
