#!/bin/sh
# The command line's golden tests and the screens' tmux tests, run
# unchanged against PostgreSQL: each on an empty database of its own on
# the throw-away server, every user logging in as their own role of the
# server (its roles are dropped again after each test).  Rules, messages and screens must not depend
# on the backend.  (Left out: the crash and fault tests, which kill and
# starve a local SQLite file; a server's faults are test_faults.sh's and
# test_restart_screen.sh's.)
. tests/pg/lib.sh
# test_million.sh runs with a fifth of its rows here: the point is that
# verify's passes (a cursor sorted once by the server) find no false
# alarm on a large ledger; the upload's speed on a server is measured by
# make bench.
for t in tests/cli/test_cli_adjust.sh tests/cli/test_cli_setup.sh tests/cli/test_cli_recover.sh tests/cli/test_cli_migrate.sh \
	tests/cli/test_upload.sh tests/cli/test_readonly.sh tests/cli/test_hostile_clock.sh \
	tests/cli/test_hostile_files.sh tests/cli/test_hostile_text.sh \
	tests/cli/test_hostile_login.sh tests/cli/test_batch.sh tests/cli/test_million.sh tests/cli/test_count.sh \
	tests/cli/test_report.sh tests/cli/test_read_ahead.sh \
	tests/tui/test_*.sh; do
	name=$(basename "$t" .sh)
	uri=$(pg_newdb "$name")
	if MILLION_ROWS=200000 INVADJ_CLI_DB=$uri INVADJ_TUI_DB=$uri sh "$t" >"$T/$name.log" 2>&1; then
		ok
	else
		fail "$t on PostgreSQL"; tail -20 "$T/$name.log"
	fi
	pg_drop_people
done
finish
