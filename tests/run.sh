#!/usr/bin/env bash
# Run every test and print one closing line "N passed, N failed[, N skipped]".
# C unit tests (build/tests/test_*) and bats files (tests/*.bats) both speak TAP;
# we count "ok" / "not ok" lines ("ok ... # skip" counts as skipped).
# Usage: tests/run.sh [bats files...]   (default: all unit tests and tests/*.bats)
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 skip=0
log=$(mktemp); trap 'rm -f "$log"' EXIT
count() {
    while IFS= read -r line; do
        printf '%s\n' "$line"
        case "$line" in
            "not ok"*) fail=$((fail + 1)) ;;
            "ok "*"# skip"*|"ok "*"# SKIP"*) skip=$((skip + 1)) ;;
            "ok "*) pass=$((pass + 1)) ;;
        esac
    done
}
if [ $# -eq 0 ]; then
    for t in build/tests/test_*; do
        [ -x "$t" ] || continue
        echo "# unit: $t"
        count < <("$t" 2>&1; rc=$?; [ $rc -eq 0 ] || echo "not ok - $t exited with status $rc")
    done
    set -- tests/*.bats
fi
for b in "$@"; do
    [ -f "$b" ] || continue
    echo "# bats: $b"
    count < <(bats --tap "$b" 2>&1)
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ $((pass + fail)) -gt 0 ]
