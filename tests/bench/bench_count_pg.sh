#!/bin/sh
# Counting on PostgreSQL (make bench): build/bench/bench_count on an
# empty database of a throw-away server (tests/pg/pg-start: loopback
# TCP, fsync and synchronous_commit on), as bench_count runs on a file.
# Prints figures only.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ -z "${BENCH_UNDER_SERVER:-}" ]; then
	BENCH_UNDER_SERVER=1 exec tests/pg/with-server sh "$0"
fi
bench=$root/build/bench/bench_count
[ -x "$bench" ] || { echo "bench_count_pg: run make bench (needs $bench)"; exit 1; }
psql -qX "$INVADJ_TEST_DB" -c "CREATE DATABASE bench_count" >/dev/null
BENCH_DB="${INVADJ_TEST_DB%/*}/bench_count" "$bench"
