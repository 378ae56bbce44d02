#!/usr/bin/env bash
# tests/fuzz/run.sh — run the libFuzzer harnesses built by `make fuzz-build` (README.md).
#   run.sh [-j JOBS] [--regress-only] SECONDS [NAME...]
# For each harness NAME (default: every build-fuzz/fuzz_* binary):
#   1. the regression inputs tests/fuzz/regress/NAME/* (each must now run clean);
#   2. SECONDS of fuzzing (skipped when SECONDS is 0 or --regress-only) on a copy of the seed
#      corpus in build-fuzz/corpus/NAME ($FB/seeds/NAME/ from make_seeds.sh, plus what earlier rounds kept),
#      with the dictionary NAME.dict, -timeout=10 -rss_limit_mb=2048, leaks detected.
# Any crash, leak, timeout or out-of-memory fails the run (exit 1); libFuzzer's artifact
# is left in build-fuzz/artifacts/NAME/ and its log in build-fuzz/logs/NAME.log.
# Fuzzers run under nice -n 19; JOBS harnesses at a time (default 1).
set -uo pipefail
cd "$(dirname "$0")/../.."
FB=${FUZZ_BUILD:-build-fuzz}
jobs=1 regress_only=0
while [ $# -gt 0 ]; do
    case $1 in
        -j) jobs=$2; shift 2 ;;
        --regress-only) regress_only=1; shift ;;
        *) break ;;
    esac
done
secs=${1:?usage: run.sh [-j JOBS] [--regress-only] SECONDS [NAME...]}; shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for b in "$FB"/fuzz_*; do [ -x "$b" ] && names+=("${b##*/fuzz_}"); done
fi
[ ${#names[@]} -gt 0 ] || { echo "fuzz: no harnesses in $FB (make fuzz-build)" >&2; exit 1; }
mkdir -p "$FB/logs" "$FB/artifacts" "$FB/corpus"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export OMP_NUM_THREADS=1

one() {
    local n=$1 bin=$FB/fuzz_$1 log=$FB/logs/$1.log
    local dict=() art=$FB/artifacts/$1/
    [ -f "tests/fuzz/$n.dict" ] && dict=(-dict="tests/fuzz/$n.dict")
    mkdir -p "$art"
    : > "$log"
    if [ -d "tests/fuzz/regress/$n" ] && ls "tests/fuzz/regress/$n"/* >/dev/null 2>&1; then
        if ! nice -n 19 "$bin" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$art" \
                "tests/fuzz/regress/$n"/* >> "$log" 2>&1; then
            echo "fuzz $n: FAIL on a regression input (log: $log)"; tail -30 "$log"; return 1
        fi
    fi
    [ "$regress_only" = 1 ] || [ "$secs" = 0 ] && { echo "fuzz $n: regressions ok"; return 0; }
    local corp=$FB/corpus/$n
    mkdir -p "$corp"
    [ -d "$FB/seeds/$n" ] && cp -n "$FB/seeds/$n"/* "$corp"/ 2>/dev/null
    if nice -n 19 "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$art" "${dict[@]}" "$corp" >> "$log" 2>&1; then
        local ex cov
        ex=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
        echo "fuzz $n: ok, ${secs}s, ${ex:-?} executions, $cov, corpus $(ls "$corp" | wc -l)"
    else
        echo "fuzz $n: FAIL (log: $log, artifacts: $art)"; grep -E 'ERROR|SUMMARY|leak|timeout' "$log" | head -20
        return 1
    fi
}

fail=0
if [ "$jobs" -le 1 ]; then
    for n in "${names[@]}"; do one "$n" || fail=1; done
else
    running=0
    for n in "${names[@]}"; do
        one "$n" > "$FB/logs/$n.summary" 2>&1 &
        running=$((running + 1))
        if [ "$running" -ge "$jobs" ]; then wait -n || fail=1; running=$((running - 1)); fi
    done
    while [ "$running" -gt 0 ]; do wait -n || fail=1; running=$((running - 1)); done
    for n in "${names[@]}"; do cat "$FB/logs/$n.summary"; done
fi
[ "$fail" = 0 ] && echo "fuzz: all ${#names[@]} harnesses clean" || echo "fuzz: FAILED"
exit "$fail"
