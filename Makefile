# coopmap — build, test, bench, install.
#   make            build bin/coopmap-*
#   make test       every test (C unit tests + bats CLI tests); ends with "N passed, N failed"
#   make real       the Snakemake workflow on the real data in ../shared (tests/real/config.yaml)
#   make bench      benchmarks (ratios measured in one run)
#   make deps       install build/test dependencies (apt-get when root, else print the commands)
#   make install PREFIX=/usr/local

CC      ?= cc
CFLAGS  ?= -O2
# required flags stay even when CFLAGS is overridden on the command line
CM_FLAGS := -std=c11 -Wall -Wextra -fopenmp -D_GNU_SOURCE -MMD -MP
LDLIBS  := -lhts -lgsl -lgslcblas -lz -lm
PREFIX  ?= /usr/local
BUILD   ?= build
BIN     ?= bin

LIB_SRC   := $(filter-out c/coopmap-%.c,$(wildcard c/*.c))
LIB_OBJ   := $(patsubst c/%.c,$(BUILD)/%.o,$(LIB_SRC))
TOOL_SRC  := $(wildcard c/coopmap-*.c)
TOOLS     := $(patsubst c/%.c,$(BIN)/%,$(TOOL_SRC))
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNITS     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

.PHONY: all test units real bench deps install clean
all: $(TOOLS)

$(BUILD)/%.o: c/%.c | $(BUILD)
	$(CC) $(CFLAGS) $(CM_FLAGS) -c -o $@ $<

$(BUILD)/libcoopmap.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BIN)/%: $(BUILD)/%.o $(BUILD)/libcoopmap.a | $(BIN)
	$(CC) $(CFLAGS) $(CM_FLAGS) -o $@ $< $(BUILD)/libcoopmap.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcoopmap.a | $(BUILD)/tests
	$(CC) $(CFLAGS) $(CM_FLAGS) -Ic -o $@ $< $(BUILD)/libcoopmap.a $(LDLIBS)

$(BUILD) $(BUILD)/tests $(BIN):
	mkdir -p $@

.SECONDARY:

test: deps
	@$(MAKE) --no-print-directory all units
	@bash tests/run.sh

units: $(UNITS)

deps:
	@bash scripts/deps.sh

real: deps
	@$(MAKE) --no-print-directory all
	@bash tests/run.sh tests/real.bats

bench: all
	@bash bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build bin

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)
