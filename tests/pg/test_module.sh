#!/bin/sh
# The PostgreSQL backend is a module (build/invadj-pg.so) loaded only for
# a postgresql:// address: a run on a SQLite file loads no libpq; the
# installed program loads the installed module by the path fixed at
# build time, never one named by the environment; a missing, writable,
# foreign or stale module is refused with one sentence (exit 7).
. tests/pg/lib.sh
export INVADJ_USER=admin INVADJ_PIN=0000
file="$T/shop.db"
server=$(pg_newdb module)

# loaded_libs CMD...: the shared objects the dynamic loader opened.
loaded_libs() {
	LD_DEBUG=files "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\) \[0\]; *\(needed\|dynamically loaded\) by.*/\1/p'
}

# ---- the program as built: no libpq for a file, the module for a server
check "the program does not link libpq" "" "$(ldd "$INVADJ" | grep -o 'libpq[^ ]*')"
run 0 --db "$file" init --admin admin --demo
libs=$(loaded_libs "$INVADJ" --db "$file" balance)
check_contains "a SQLite run loads SQLite" "libsqlite3" "$libs"
check "a SQLite run loads neither libpq nor the module" "" "$(echo "$libs" | grep -E 'libpq|invadj-pg')"
run 0 --db "$server" init --admin admin --demo
libs=$(loaded_libs "$INVADJ" --db "$server" balance --store MAIN --item KB-100)
check_contains "a PostgreSQL run loads the module" "build/invadj-pg.so" "$libs"
check_contains "a PostgreSQL run loads libpq" "libpq" "$libs"
run 0 --db "$server" balance --store MAIN --item KB-100 --format csv
check "the module works" "StoreCode,ItemNumber,NetAvailable
MAIN,KB-100,100" "$out"

# ---- make install: the installed program loads the installed module
prefix="$T/prefix"
make -s install PREFIX="$prefix" >"$T/install.log" 2>&1 || { fail "make install"; cat "$T/install.log"; }
installed="$prefix/bin/invadj"
module="$prefix/lib/invadj/invadj-pg.so"
check "make install installs the module" "yes" "$([ -f "$module" ] && echo yes)"
libs=$(loaded_libs "$installed" --db "$server" balance)
check_contains "the installed program loads the installed module" "$module" "$libs"
check "... and not the build tree's" "" "$(echo "$libs" | grep "$ROOT/build/invadj-pg.so")"

# ---- the environment cannot name another module
cat >"$T/evil.c" <<'EOF'
#include <stdio.h>
__attribute__((constructor)) static void evil(void)
{
	const char *mark = getenv("EVIL_MARK");
	if (mark)
		fclose(fopen(mark, "w"));
}
EOF
cc -shared -fPIC -include stdlib.h -o "$T/evil.so" "$T/evil.c"
for var in INVADJ_PG_MODULE INVADJ_MODULE PG_MODULE; do
	env "$var=$T/evil.so" EVIL_MARK="$T/evil-ran" "$installed" --db "$server" balance >/dev/null 2>&1
done
check "no variable makes invadj load another module" "no" "$([ -e "$T/evil-ran" ] && echo yes || echo no)"

# ---- refusals: one sentence, exit 7, and a file still works
mv "$module" "$module.away"
"$installed" --db "$server" balance >"$T/out" 2>"$T/err"; code=$?
check "missing module: exit 7" "7" "$code"
check "missing module: one line" "1" "$(wc -l <"$T/err")"
check_contains "missing module: named, with what to do" "invadj's PostgreSQL module $module, which is not there; install it with the program (make install)" "$(cat "$T/err")"
"$installed" --db "$file" balance --store MAIN --item KB-100 --format csv >"$T/out" 2>"$T/err"
check "missing module: a SQLite file still works" "StoreCode,ItemNumber,NetAvailable
MAIN,KB-100,100" "$(cat "$T/out")"
"$installed" --db "$server" migrate --from "$file" --to "$(pg_newdb module_to)" >"$T/out" 2>"$T/err"; code=$?
check "missing module: migrate to a server exit 7" "7" "$code"
check_contains "missing module: migrate says why" "is not there" "$(cat "$T/err")"
mv "$module.away" "$module"

chmod o+w "$module"
"$installed" --db "$server" balance >"$T/out" 2>"$T/err"; code=$?
check "module anyone may write: exit 7" "7" "$code"
check_contains "module anyone may write: refused" "is not loaded: anyone may write to $module" "$(cat "$T/err")"
chmod o-w "$module"
chmod o+w "$prefix/lib/invadj"
"$installed" --db "$server" balance >"$T/out" 2>"$T/err"; code=$?
check "module folder anyone may write: exit 7" "7" "$code"
check_contains "module folder anyone may write: refused" "anyone may write to $prefix/lib/invadj" "$(cat "$T/err")"
chmod o-w "$prefix/lib/invadj"

# A module of another build: the same symbol over a different interface.
cp "$module" "$T/good.so"
cat >"$T/stale.c" <<'EOF'
#include <stddef.h>
struct stale { const char *interface; size_t sizes[13]; void *open; };
__attribute__((visibility("default"))) const struct stale invadj_pg_module = {"void close(store * st);", {0}, 0};
EOF
cc -shared -fPIC -o "$module" "$T/stale.c"
"$installed" --db "$server" balance >"$T/out" 2>"$T/err"; code=$?
check "module of another build: exit 7" "7" "$code"
check_contains "module of another build: refused" "is not from this build of invadj" "$(cat "$T/err")"
cp "$T/evil.so" "$module"
"$installed" --db "$server" balance >"$T/out" 2>"$T/err"; code=$?
check "not a module at all: exit 7" "7" "$code"
check_contains "not a module at all: refused" "is not from this build of invadj" "$(cat "$T/err")"
cp "$T/good.so" "$module"
run 0 --db "$server" balance --store MAIN --item KB-100
"$installed" --db "$server" balance --store MAIN --item KB-100 >"$T/out" 2>"$T/err"
check "the right module again: works" "0" "$?"
finish
