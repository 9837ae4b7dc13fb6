#!/bin/sh
# The chain's load on one throw-away PostgreSQL server (make bench, issue
# 15): build/bench/bench_load's 64 terminals over 16 stores, alone,
# during a 1,000,000-row upload at a 17th store, and all at one store.
# Figures only, with the CPU a save costs (terminals and server) and the
# 16-stores / 1-store ratio this machine's cores allow at that cost.  The
# server runs with docs/deployment.md's production settings
# (PG_SETTINGS=production, tests/pg/pg-start).
#
#   BENCH_SECONDS=N  each run's seconds (default 30)
#   BENCH_ROWS=N     the upload's rows (default 1000000)
#   BENCH_PROCS=N    terminals (default 64); BENCH_STORES=N (default 16)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ -z "${BENCH_UNDER_SERVER:-}" ]; then
	PG_SETTINGS=production PG_MAX_CONNECTIONS=$(( ${BENCH_PROCS:-64} + 20 )) BENCH_UNDER_SERVER=1 exec tests/pg/with-server sh "$0"
fi
load=$root/build/bench/bench_load
[ -x "$load" ] || { echo "bench_load: run make bench (needs $load)"; exit 1; }
server=$INVADJ_TEST_DB
psql -qX "$server" -c "CREATE DATABASE bench_load" >/dev/null
# The postmaster's pid, for the CPU a save costs the server.
pid=$(head -n 1 "$(head -n 1 "$INVADJ_TEST_PG_STATE")/data/postmaster.pid")
BENCH_PG_PID=$pid BENCH_DB="${server%/*}/bench_load" "$load"
