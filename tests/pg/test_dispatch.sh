#!/bin/sh
# The interim dispatcher (src/store/store_switch.c) must know every
# function of store.h, or a PostgreSQL handle would reach a SQLite
# function: each one is listed in store_funcs.h, renamed for SQLite in
# sqlite_names.h, and has a pg_ twin in pg_backend.h.
set -u
passed=0; failed=0
for f in $(grep -oE '\bstore_[a-z_]+\(' src/store/store.h | tr -d '(' | sort -u); do
	name=${f#store_}
	case "$name" in open | is_file) continue ;; esac # dispatched by path, not by handle
	missing=""
	grep -qE "[XV]\\(([^,]*, *)?$name," src/store/store_funcs.h || missing="$missing store_funcs.h"
	grep -q "define store_$name sqlite_$name\$" src/store/sqlite_names.h || missing="$missing sqlite_names.h"
	grep -qE "\bpg_$name\(" src/store/pg_backend.h || missing="$missing pg_backend.h"
	if [ -n "$missing" ]; then failed=$((failed + 1)); echo "FAIL: store_$name is missing from$missing"
	else passed=$((passed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
