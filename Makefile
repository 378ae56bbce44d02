# coopmap — build, test, bench, install.
#   make            build bin/coopmap-*
#   make test       every test (C unit tests + bats CLI tests); ends with "N passed, N failed"
#   make real       the Snakemake workflow on the real data in ../shared (tests/real/config.yaml)
#   make bench      benchmarks (ratios measured in one run)
#   make deps       install build/test dependencies (apt-get when root, else print the commands)
#   make install PREFIX=/usr/local

CC      ?= cc
CFLAGS  ?= -O2
CFLAGS  += -std=c11 -Wall -Wextra -fopenmp -D_GNU_SOURCE -MMD -MP
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

.PHONY: all test unit bats real bench deps install clean demo
all: $(TOOLS)

$(BUILD)/%.o: c/%.c | $(BUILD)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libcoopmap.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BIN)/%: $(BUILD)/%.o $(BUILD)/libcoopmap.a | $(BIN)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcoopmap.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcoopmap.a | $(BUILD)/tests
	$(CC) $(CFLAGS) -Ic -o $@ $< $(BUILD)/libcoopmap.a $(LDLIBS)

$(BUILD) $(BUILD)/tests $(BIN):
	mkdir -p $@

.SECONDARY:

test: all $(UNITS)
	@bash tests/run.sh

deps:
	@bash scripts/deps.sh

real: all
	@bash tests/run.sh tests/real.bats

bench: all
	@bash bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build bin

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)
