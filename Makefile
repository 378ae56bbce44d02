# coopmap — build, test, bench, install.
#   make            build bin/coopmap-*
#   make demo       the embedded demo: simulate planted truth, run the workflow, check it
#   make test       every test (C unit tests + bats CLI tests), a fuzz smoke round, and the suite
#                   again under ASan + UBSan; each round ends with "N passed, N failed"
#   make real       the Snakemake workflow on the real data in ../shared (tests/real/config.yaml)
#   make real-models  retrain the per-cell-line ExplaiNN models of tests/real/models (scripts/coopmap-train)
#   make bench      benchmarks (ratios measured in one run)
#   make container  build the container image offline (podman, debootstrap) and run the demo in it
#   make deps       install build dependencies (apt-get when root, else print the commands);
#                   make deps-test adds what the tests need (python3-torch, python3-scipy)
#   make install PREFIX=/usr/local

CC      ?= cc
CFLAGS  ?= -O2
CPPFLAGS ?=
LDFLAGS ?=
# required flags stay even when CFLAGS is overridden on the command line
CM_FLAGS := -std=c11 -Wall -Wextra -fopenmp -D_GNU_SOURCE -MMD -MP
LDLIBS  := -lhts -lgsl -lgslcblas -lz -lm
PREFIX  ?= /usr/local
BUILD   ?= build
BIN     ?= bin

# The library: one folder per stage under c/ (docs/architecture.md); the thin mains
# are in c/tools/.  Objects mirror the source tree under $(BUILD)/.
LIB_DIRS  := core seq motif scan pairs model ism stats compare sim report patterns
LIB_SRC   := $(foreach d,$(LIB_DIRS),$(wildcard c/$(d)/*.c))
LIB_OBJ   := $(patsubst c/%.c,$(BUILD)/%.o,$(LIB_SRC))
TOOL_SRC  := $(wildcard c/tools/coopmap-*.c)
TOOLS     := $(patsubst c/tools/%.c,$(BIN)/%,$(TOOL_SRC))
UNIT_SRC  := $(wildcard tests/unit/*/test_*.c)
UNITS     := $(addprefix $(BUILD)/tests/,$(basename $(notdir $(UNIT_SRC))))
INC       := -Ic -Itests/unit

.PHONY: all test units real real-models bench deps deps-test install clean demo container
all: $(TOOLS)

$(BUILD)/%.o: c/%.c
	@mkdir -p $(@D)
	$(CC) $(INC) $(CPPFLAGS) $(CFLAGS) $(CM_FLAGS) -c -o $@ $<

$(BUILD)/libcoopmap.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BIN)/%: $(BUILD)/tools/%.o $(BUILD)/libcoopmap.a | $(BIN)
	$(CC) $(CFLAGS) $(CM_FLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libcoopmap.a $(LDLIBS)

# unit tests mirror the library folders (tests/unit/STAGE/test_X.c -> build/tests/test_X)
define UNIT_RULE
$(BUILD)/tests/$(basename $(notdir $(1))): $(1) $(BUILD)/libcoopmap.a | $(BUILD)/tests
	$$(CC) $$(INC) $$(CPPFLAGS) $$(CFLAGS) $$(CM_FLAGS) $$(LDFLAGS) -o $$@ $$< $(BUILD)/libcoopmap.a $$(LDLIBS)
endef
$(foreach u,$(UNIT_SRC),$(eval $(call UNIT_RULE,$(u))))

$(BUILD)/tests $(BIN):
	mkdir -p $@

.SECONDARY:

# make test = the suite on the normal build, the fuzz smoke round (make fuzz-smoke), then
# the suite again on the ASan + UBSan build (make sanitize); each round ends with its own
# "N passed, N failed, N skipped" line and any failure fails the target.
test: deps-test
	@$(MAKE) --no-print-directory all units
	@bash tests/run.sh
	@$(MAKE) --no-print-directory fuzz-smoke
	@$(MAKE) --no-print-directory sanitize

units: $(UNITS)

deps:
	@bash scripts/deps.sh

# what the tests add (PyTorch for the parity and training checks, scipy)
deps-test:
	@bash scripts/deps.sh --test

real: deps-test
	@$(MAKE) --no-print-directory all
	@bash tests/run.sh tests/real.bats

# Remake the per-cell-line ExplaiNN models that `make real` maps (tests/real/models/,
# scripts/coopmap-train on ../shared/data; seed 1, 2 threads; a few minutes in all).
REAL_CELLS ?= GM12878 K562 HepG2
real-models:
	@for c in $(REAL_CELLS); do nice /usr/bin/python3 scripts/coopmap-train --seed 1 --threads 2 \
	    --genome ../shared/data/genome/hg19_chr22_1-22000000.fa.gz \
	    --peaks ../shared/data/peaks/hg19_chr22_16050000-22000000.all_peaks.narrowPeak.gz \
	    --cell $$c -o tests/real/models/$$c || exit 1; done

# The embedded demo (config/demo.yaml): simulate planted ground truth, run the whole
# workflow on it, print where the outputs are and how they compare with the truth.
demo: deps
	@$(MAKE) --no-print-directory -j2 all
	@rm -rf results/demo && mkdir -p results/demo
	@$(BIN)/coopmap-simulate --seed 1 -o results/demo/data config/demo/demo.grammar
	@timeout 900 snakemake -s workflows/snakemake/Snakefile --configfile config/demo.yaml \
	    --config outdir=results/demo bin_dir=$(abspath $(BIN)) --directory $(CURDIR) -c 2 --quiet \
	    > results/demo/snakemake.log 2>&1 || { cat results/demo/snakemake.log; exit 1; }
	@echo; grep -v '^#' results/demo/stats/cooperativity.tsv | awk -F'\t' 'NR == 1 || $$3 == "self" || $$3 == "pair" { printf "%-10s %-10s %-5s %4s %11s %11s %10s %s\n", $$1, $$2, $$3, $$4, $$5, $$10, $$9, $$11 }'
	@echo; python3 tests/sim/score.py config/demo/demo.grammar results/demo/stats/cooperativity.tsv | tail -1 | sed 's/^/planted truth vs calls (q <= 0.05): /'
	@echo; echo "coopmap demo outputs (results/demo/):"
	@echo "  report    results/demo/report/index.html  (open it in a browser: every figure, the top cells, the run)"
	@echo "  heatmap   results/demo/stats/heatmap.svg"
	@echo "  tables    results/demo/stats/cooperativity.tsv  results/demo/stats/cooperativity_matrix.tsv"
	@echo "  effects   results/demo/ism/effects.tsv  (pairs: results/demo/pairs/pairs.tsv)"
	@echo "  truth     results/demo/data/truth.bed  (model and plan: config/demo/demo.grammar)"

# The container image, built offline (podman on a debootstrap'd bookworm base; cached in
# build/container/), and the demo run inside it as its non-root user (containers/build.sh).
container:
	@bash containers/build.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@bash bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(TOOLS) scripts/coopmap-convert-model scripts/coopmap-score-torch \
	    scripts/coopmap-train scripts/coopmap-rerun $(DESTDIR)$(PREFIX)/bin/

# Fuzzing (tests/fuzz/README.md): libFuzzer harnesses for every parser, built with clang,
# ASan + UBSan (any report is fatal) into build-fuzz/.  `make fuzz FUZZ_S=N` runs each
# harness N seconds on a copy of its seeds (build-fuzz/corpus/), after its regression
# inputs (tests/fuzz/regress/); `make fuzz-smoke` is the short CI round.  Any crash, leak
# or timeout fails.  FUZZ_JOBS harnesses run at a time, niced.
FUZZ_CC     ?= clang
FUZZ_S      ?= 60
FUZZ_SMOKE_S ?= 60
FUZZ_JOBS   ?= 1
FUZZ_BUILD  := build-fuzz
FUZZ_FLAGS  := -g -O1 -std=c11 -fopenmp -D_GNU_SOURCE -MMD -MP -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=undefined -Wno-pass-failed
FUZZ_OBJ    := $(patsubst c/%.c,$(FUZZ_BUILD)/obj/%.o,$(LIB_SRC))
FUZZ_BINS   := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))
.PHONY: fuzz fuzz-smoke fuzz-build
$(FUZZ_BUILD)/obj/%.o: c/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(INC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
$(FUZZ_BUILD)/libcoopmap.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FUZZ_BUILD)/libcoopmap.a
	$(FUZZ_CC) $(INC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libcoopmap.a $(LDLIBS)
fuzz-build: $(FUZZ_BINS) all
	@bash tests/fuzz/make_seeds.sh $(BIN) $(FUZZ_BUILD)/seeds
fuzz: fuzz-build
	@bash tests/fuzz/run.sh -j $(FUZZ_JOBS) $(FUZZ_S)
fuzz-smoke: fuzz-build
	@bash tests/fuzz/run.sh -j 2 $(FUZZ_SMOKE_S)

# make sanitize: every tool and unit test built with ASan + UBSan (any UBSan report is
# fatal) into build-san/ and bin-san/, then the whole suite (tests/run.sh: unit tests of
# build-san/tests, bats files with COOPMAP_BIN=bin-san, the demo among them) on them.
# Skipped sanitized: the container build (tests/container.bats builds its own image
# from source; nothing of bin-san runs in it).  Leaks are the fuzz round's (make fuzz).
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
.PHONY: sanitize
sanitize: deps-test
	@$(MAKE) --no-print-directory BUILD=build-san BIN=bin-san CFLAGS="$(SAN_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined" all units
	@ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    COOPMAP_SANITIZE=1 COOPMAP_BIN=$(abspath bin-san) COOPMAP_UNITS=build-san/tests bash tests/run.sh

clean:
	rm -rf build bin

-include $(wildcard $(BUILD)/*/*.d $(BUILD)/tests/*.d)
-include $(wildcard $(FUZZ_BUILD)/obj/*/*.d $(FUZZ_BUILD)/*.d)
