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

CC       ?= gcc
PREFIX   ?= /usr/local
DEMO_DB  ?= data/demo.db

WARN     = -Wall -Wextra -Wshadow -Wformat=2 -Wcast-qual -Wwrite-strings \
           -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wnull-dereference -Werror
CSTD     = -std=c11
CPPFLAGS += -Iinclude -Isrc -D_XOPEN_SOURCE=700 -D_XOPEN_SOURCE_EXTENDED -D_DEFAULT_SOURCE
CFLAGS   ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS)

ENGINE_LIBS = -lsqlite3 -lsodium -lm
TUI_LIBS    = -lncursesw
TEST_LIBS   = -lcmocka

# Debian packages the build and the tests need; `make deps` installs the
# missing ones when run as root, or prints the apt-get line to run.
DEB_PACKAGES = gcc make libsqlite3-dev sqlite3 libncurses-dev libsodium-dev \
               libcmocka-dev tmux clang libclang-rt-14-dev

ENGINE_SRC = $(sort $(wildcard src/util/*.c src/store/*.c src/engine/*.c))
FRONT_SRC  = $(sort $(wildcard src/cli/*.c src/tui/*.c))
UNIT_SRC   = $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRC  = $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BIN  = $(BENCH_SRC:tests/bench/%.c=build/bench/%)
TEST_SUPPORT_SRC = $(sort $(wildcard tests/support/*.c))

ENGINE_OBJ = $(ENGINE_SRC:%.c=build/%.o)
FRONT_OBJ  = $(FRONT_SRC:%.c=build/%.o)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=build/tests/%)
SUPPORT_OBJ = $(TEST_SUPPORT_SRC:%.c=build/%.o)

# The same unit tests, built with AddressSanitizer and UBSan.
SAN_FLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ENGINE_SAN_OBJ = $(ENGINE_SRC:%.c=build/asan/%.o)
SUPPORT_SAN_OBJ = $(TEST_SUPPORT_SRC:%.c=build/asan/%.o)
UNIT_SAN_BIN = $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

.SECONDARY:

.PHONY: all run check test-unit test-asan test-cli test-tui bench fuzz soak install clean deps demo

all: invadj

deps: build/.deps-ok

build/.deps-ok:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
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

build/%.o: %.c | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

build/asan/%.o: %.c | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

build/libinvadj.a: $(ENGINE_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/asan/libinvadj.a: $(ENGINE_SAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

invadj: $(FRONT_OBJ) build/libinvadj.a
	$(CC) $(ALL_CFLAGS) -o $@ $(FRONT_OBJ) build/libinvadj.a $(TUI_LIBS) $(ENGINE_LIBS)

# Unit tests: the engine library and cmocka, no curses.
build/tests/%: build/tests/unit/%.o $(SUPPORT_OBJ) build/libinvadj.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(SUPPORT_OBJ) build/libinvadj.a $(TEST_LIBS) $(ENGINE_LIBS)

build/asan/tests/%: build/asan/tests/unit/%.o $(SUPPORT_SAN_OBJ) build/asan/libinvadj.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $< $(SUPPORT_SAN_OBJ) build/asan/libinvadj.a $(TEST_LIBS) $(ENGINE_LIBS)

# Benchmarks: C programs linked with the engine (each prints its figures),
# then scripts that time whole commands (they get ./invadj built -O2).
build/bench/%: build/tests/bench/%.o build/libinvadj.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< build/libinvadj.a $(ENGINE_LIBS)

bench: invadj $(BENCH_BIN)
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

test-cli: invadj
	@tests/run-suite cli $(sort $(wildcard tests/cli/test_*.sh))

test-tui: invadj
	@tests/run-suite tui $(sort $(wildcard tests/tui/test_*.sh))

check: invadj test-unit test-asan test-cli test-tui
	@tests/run-suite --total

install: invadj
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 invadj $(DESTDIR)$(PREFIX)/bin/invadj
	install -m 644 docs/invadj.1 $(DESTDIR)$(PREFIX)/share/man/man1/invadj.1

clean:
	rm -rf build invadj

-include $(shell find build -name '*.d' 2>/dev/null)
