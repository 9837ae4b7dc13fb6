# invadj: an inventory-adjustment ledger in the terminal.
#
#   make            build ./invadj
#   make run        build, create a demo database if none, open the screens
#   make check      build and run every test (unit, sanitizers, command line, screens)
#   make bench      benchmarks (not part of check)
#   make fuzz       libFuzzer runs of the parsers (FUZZ_SECONDS each)
#   make install    install the program and its man page under PREFIX
#
# Layout: src/util (pure helpers), src/store (all SQL), src/engine (the
# rules) form the engine library, build/libinvadj.a, which has no curses
# in it: the unit tests link it without -lncursesw, so a curses call in
# the engine fails their link.  src/cli and src/tui are the front ends.

# make defines CC (as cc), so `CC ?= gcc` would never apply: gcc unless
# the command line or the environment names another compiler.
ifeq ($(origin CC),default)
CC       = gcc
endif
PREFIX   ?= /usr/local
DEMO_DB  ?= data/demo.db

WARN     = -Wall -Wextra -Wshadow -Wformat=2 -Wcast-qual -Wwrite-strings \
           -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wnull-dereference -Werror
CSTD     = -std=c11
CPPFLAGS += -Iinclude -Isrc -Itests -I/usr/include/postgresql \
            -D_XOPEN_SOURCE=700 -D_XOPEN_SOURCE_EXTENDED -D_DEFAULT_SOURCE
CFLAGS   ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -pthread

ENGINE_LIBS = -lsqlite3 -lsodium -lutf8proc -lm
TUI_LIBS    = -lncursesw
TEST_LIBS   = -lcmocka -lpq

# Debian packages: a plain `make` needs only what building the program
# needs; `make check` (and every test target) also the test tools.
# Missing ones are installed when run as root, or the apt-get line to
# run is printed.  `make deps` / `make test-deps` do just that.
BUILD_PACKAGES = gcc make libsqlite3-dev libncurses-dev libsodium-dev libpq-dev libutf8proc-dev
TEST_PACKAGES  = sqlite3 libcmocka-dev tmux clang libclang-rt-14-dev postgresql strace python3 tzdata


# The clock (src/engine/clock.c) is built twice and kept out of the
# library: ./invadj reads only the real clock; the test build of the
# program (build/invadj-test, which every test script runs), the unit
# tests and the test tools get -DINVADJ_TEST_CLOCK, which also reads a
# pinned "now" from INVADJ_NOW or INVADJ_TODAY.  No user can move the
# installed program's "today".
# (src/engine/policy.c likewise: the test build may ask for shorter PINs
# on a test server, INVADJ_TEST_MIN_SECRET.)
CLOCK_SRC  = src/engine/clock.c src/engine/policy.c

# The PostgreSQL backend (src/store/pg_*.c and libpq) is a module of its
# own, build/invadj-pg.so, which the program loads only when given a
# postgresql:// address (docs/design.md): a run on a SQLite file does
# not load libpq and its libraries.  Its path is built into the loader,
# src/store/store_module.c: the build tree's for ./invadj and the tests,
# PREFIX/lib/invadj's for `make install`, which links the program again.
PG_SRC     = $(sort $(wildcard src/store/pg_*.c))
PG_MODULE_SRC = $(PG_SRC) src/store/backend_shared.c src/store/store_tables.c src/util/hmap.c src/util/fold.c
PG_MODULE_OBJ = $(PG_MODULE_SRC:%.c=build/pic/%.o)
PG_MODULE  = build/invadj-pg.so
PG_MODULE_DIR = $(PREFIX)/lib/invadj
PG_LIBS    = -lpq -lsodium -lutf8proc

ENGINE_SRC = $(filter-out $(CLOCK_SRC) $(PG_SRC),$(sort $(wildcard src/util/*.c src/store/*.c src/engine/*.c)))
FRONT_SRC  = $(sort $(wildcard src/cli/*.c src/tui/*.c))
UNIT_SRC   = $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRC  = $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BIN  = $(BENCH_SRC:tests/bench/%.c=build/bench/%)
TOOL_SRC   = $(sort $(wildcard tests/tools/*.c))
TOOL_BIN   = $(TOOL_SRC:tests/tools/%.c=build/tools/%)
TEST_SUPPORT_SRC = $(sort $(wildcard tests/support/*.c))

ENGINE_OBJ = $(ENGINE_SRC:%.c=build/%.o)
CLOCK_OBJ  = $(CLOCK_SRC:%.c=build/%.o)
TEST_CLOCK_OBJ = $(CLOCK_SRC:%.c=build/testclock/%.o)
TEST_CLOCK_SAN_OBJ = $(CLOCK_SRC:%.c=build/asan/testclock/%.o)
FRONT_OBJ  = $(FRONT_SRC:%.c=build/%.o)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=build/tests/%)
SUPPORT_OBJ = $(TEST_SUPPORT_SRC:%.c=build/%.o)

# The same unit tests, built with AddressSanitizer and UBSan.
SAN_FLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ENGINE_SAN_OBJ = $(ENGINE_SRC:%.c=build/asan/%.o)
SUPPORT_SAN_OBJ = $(TEST_SUPPORT_SRC:%.c=build/asan/%.o)
UNIT_SAN_BIN = $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

.SECONDARY:

.PHONY: all run check check-start test-unit test-asan test-cli test-tui test-pg bench soak install clean deps test-deps demo

all: invadj

# The program as the tests run it: the same objects and a clock that a
# test may pin (see CLOCK_SRC above).
TEST_PROGRAM = build/invadj-test

deps: build/.deps-ok
test-deps: build/.deps-test-ok

# install_missing PACKAGES: installs (as root) or names the missing ones.
define install_missing
	@missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing Debian packages; run:  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi; \
	mkdir -p build && touch $@
endef

build/.deps-ok:
	$(call install_missing,$(BUILD_PACKAGES))

build/.deps-test-ok: | build/.deps-ok
	$(call install_missing,$(TEST_PACKAGES))

build/%.o: %.c | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

build/asan/%.o: %.c | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

# The tests' own objects need the test packages (cmocka) first.
build/tests/%.o: tests/%.c | build/.deps-test-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

build/asan/tests/%.o: tests/%.c | build/.deps-test-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

build/testclock/%.o: %.c | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DINVADJ_TEST_CLOCK $(ALL_CFLAGS) -MMD -MP -c $< -o $@

build/asan/testclock/%.o: %.c | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DINVADJ_TEST_CLOCK $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

# The module's objects: position-independent, and hidden but for the one
# symbol the loader looks up (src/store/pg_module.c).
build/pic/%.o: %.c | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -MMD -MP -c $< -o $@

$(PG_MODULE): $(PG_MODULE_OBJ)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-z,defs -o $@ $^ $(PG_LIBS)

build/src/store/store_module.o build/asan/src/store/store_module.o: \
	CPPFLAGS += -DINVADJ_PG_MODULE='"$(CURDIR)/$(PG_MODULE)"'

build/libinvadj.a: $(ENGINE_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/asan/libinvadj.a: $(ENGINE_SAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

invadj: $(FRONT_OBJ) build/libinvadj.a $(CLOCK_OBJ) | $(PG_MODULE)
	$(CC) $(ALL_CFLAGS) -o $@ $(FRONT_OBJ) $(CLOCK_OBJ) build/libinvadj.a $(TUI_LIBS) $(ENGINE_LIBS)

$(TEST_PROGRAM): $(FRONT_OBJ) build/libinvadj.a $(TEST_CLOCK_OBJ) | $(PG_MODULE)
	$(CC) $(ALL_CFLAGS) -o $@ $(FRONT_OBJ) $(TEST_CLOCK_OBJ) build/libinvadj.a $(TUI_LIBS) $(ENGINE_LIBS)

# Unit tests: the engine library and cmocka, no curses.
build/tests/%: build/tests/unit/%.o $(SUPPORT_OBJ) build/libinvadj.a $(TEST_CLOCK_OBJ) | build/.deps-test-ok
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(SUPPORT_OBJ) $(TEST_CLOCK_OBJ) build/libinvadj.a $(TEST_LIBS) $(ENGINE_LIBS)

build/asan/tests/%: build/asan/tests/unit/%.o $(SUPPORT_SAN_OBJ) build/asan/libinvadj.a $(TEST_CLOCK_SAN_OBJ) | build/.deps-test-ok
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $< $(SUPPORT_SAN_OBJ) $(TEST_CLOCK_SAN_OBJ) build/asan/libinvadj.a $(TEST_LIBS) $(ENGINE_LIBS)

# Test tools: small programs linked with the engine that the crash tests
# and benchmarks drive (e.g. a terminal that saves in a loop).
build/tools/%: build/tests/tools/%.o build/libinvadj.a $(TEST_CLOCK_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(TEST_CLOCK_OBJ) build/libinvadj.a $(ENGINE_LIBS)

# Benchmarks: C programs linked with the engine (each prints its figures),
# then scripts that time whole commands (they get ./invadj built -O2).
build/bench/%: build/tests/bench/%.o build/libinvadj.a $(CLOCK_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(CLOCK_OBJ) build/libinvadj.a $(ENGINE_LIBS)

bench: invadj $(BENCH_BIN) $(TOOL_BIN)
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done
	@for s in $(sort $(wildcard tests/bench/bench_*.sh)); do echo "== $$s"; sh $$s || exit 1; done

demo: $(DEMO_DB)

$(DEMO_DB): | invadj
	INVADJ_PIN=0000 ./invadj --db $@ init --admin admin --demo

run: invadj $(DEMO_DB)
	INVADJ_DB=$(DEMO_DB) ./invadj

test-unit: $(UNIT_BIN)
	@tests/run-suite unit $(UNIT_BIN)

test-asan: $(UNIT_SAN_BIN)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 tests/run-suite asan $(UNIT_SAN_BIN)

test-cli: invadj $(TEST_PROGRAM) $(TOOL_BIN) | build/.deps-test-ok
	@tests/run-suite cli $(sort $(wildcard tests/cli/test_*.sh))

# The long crash run (the short one is part of check).
soak: invadj $(TEST_PROGRAM) $(TOOL_BIN)
	@CRASH_KILLS=200 tests/run-suite soak tests/cli/test_crash.sh

test-tui: $(TEST_PROGRAM) | build/.deps-test-ok
	@tests/run-suite tui $(sort $(wildcard tests/tui/test_*.sh))

# The engine's tests (rules, upload, concurrency, tampering) again, each
# test on a fresh database of a throw-away PostgreSQL server started
# from Debian's binaries on a loopback port, then the PostgreSQL-only
# scripts (roles, migrate).  The pure parser tests do not touch a
# database and are not repeated.
PG_UNIT_BIN = $(filter-out build/tests/test_csv build/tests/test_date build/tests/test_qty build/tests/test_text build/tests/test_words build/tests/test_canon build/tests/test_rules,$(UNIT_BIN))
PG_SCRIPTS  = $(sort $(wildcard tests/pg/test_*.sh))

test-pg: invadj $(TEST_PROGRAM) $(PG_UNIT_BIN) | build/.deps-test-ok
	@tests/pg/with-server tests/run-suite pg $(PG_UNIT_BIN) $(PG_SCRIPTS)

# A fresh tally for the closing line (tests/run-suite keeps it).
check-start: build/.deps-test-ok
	@rm -f build/test-tally

check: check-start invadj test-unit test-asan test-fuzz-replay test-cli test-tui test-pg
	@tests/run-suite --total

# The installed program loads the installed module: its loader is built
# again with that path (every time, as PREFIX may differ).
install: invadj $(PG_MODULE) $(CLOCK_OBJ)
	@mkdir -p build/install
	$(CC) $(CPPFLAGS) -DINVADJ_PG_MODULE='"$(PG_MODULE_DIR)/invadj-pg.so"' $(ALL_CFLAGS) \
	  -c src/store/store_module.c -o build/install/store_module.o
	$(CC) $(ALL_CFLAGS) -o build/install/invadj $(FRONT_OBJ) $(CLOCK_OBJ) build/install/store_module.o \
	  build/libinvadj.a $(TUI_LIBS) $(ENGINE_LIBS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PG_MODULE_DIR) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 build/install/invadj $(DESTDIR)$(PREFIX)/bin/invadj
	install -m 644 $(PG_MODULE) $(DESTDIR)$(PG_MODULE_DIR)/invadj-pg.so
	install -m 644 docs/invadj.1 $(DESTDIR)$(PREFIX)/share/man/man1/invadj.1

clean:
	rm -rf build invadj

# ---- fuzzing: libFuzzer runs, and replay of saved inputs in check ------
# `make fuzz` builds tests/fuzz/fuzz_X.c with clang and libFuzzer and
# runs each for FUZZ_SECONDS; new inputs go to build/fuzz/corpus/X,
# crashes to build/fuzz/artifacts/X (save them, minimised, under
# tests/fuzz/regressions/X once fixed).  `make test-fuzz-replay` (part of
# check) builds the same targets with gcc, ASan and UBSan around a plain
# driver, tests/fuzz/replay_main.c, and feeds them every file under
# tests/fuzz/corpus/X and tests/fuzz/regressions/X.  Each target links
# only its own parser, src/util/X.c (pure: no libraries needed).
FUZZ_TARGETS = csv date qty words money
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_FLAGS   = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_BIN     = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
REPLAY_BIN   = $(FUZZ_TARGETS:%=build/asan/fuzz/replay_%)

.PHONY: test-fuzz-replay fuzz

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c src/util/%.c tests/fuzz/fuzz.h | build/.deps-test-ok
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(CSTD) $(WARN) -O1 -g $(FUZZ_FLAGS) -o $@ $< src/util/$*.c

build/asan/fuzz/replay_%: tests/fuzz/fuzz_%.c src/util/%.c tests/fuzz/fuzz.h tests/fuzz/replay_main.c | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -DREPLAY_TARGET='"$*"' -o $@ $< tests/fuzz/replay_main.c src/util/$*.c

fuzz: $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus/$$t build/fuzz/artifacts/$$t tests/fuzz/regressions/$$t; \
	  echo "fuzz_$$t: $(FUZZ_SECONDS)s"; \
	  build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/$$t/ \
	    build/fuzz/corpus/$$t tests/fuzz/corpus/$$t tests/fuzz/regressions/$$t \
	    2>build/fuzz/fuzz_$$t.log || { tail -40 build/fuzz/fuzz_$$t.log; exit 1; }; \
	  grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done' build/fuzz/fuzz_$$t.log; \
	done

test-fuzz-replay: $(REPLAY_BIN)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 tests/run-suite fuzz-replay $(REPLAY_BIN)
# ---- end of fuzzing ----------------------------------------------------

-include $(shell find build -name '*.d' 2>/dev/null)
