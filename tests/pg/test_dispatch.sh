#!/bin/sh
# Every function of store.h that takes a handle must be in the list the
# backends' declarations and tables and the dispatcher are made from
# (store_funcs.h): a function left out of the list would never reach the
# backend of the handle.  (A backend missing one of the listed functions
# fails the link.)
set -u
passed=0; failed=0
for f in $(grep -oE '\bstore_[a-z_]+\(' src/store/store.h | tr -d '(' | sort -u); do
	name=${f#store_}
	# open and is_file are dispatched by path, errmsg is read from the
	# header every handle begins with (store_common), fill_search_keys
	# calls the backend through that header's table (backend_shared.c).
	case "$name" in open | is_file | errmsg | fill_search_keys) continue ;; esac
	missing=""
	grep -qE "[XV]\\(([^,]*, *)?$name," src/store/store_funcs.h || missing="$missing store_funcs.h"
	if [ -n "$missing" ]; then failed=$((failed + 1)); echo "FAIL: store_$name is missing from$missing"
	else passed=$((passed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
