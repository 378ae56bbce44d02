#!/usr/bin/env bash
# Run every test and print one closing line "N passed, N failed, N skipped".
# C unit tests (build/tests/test_*) and bats files (tests/*.bats) both speak TAP;
# we count "ok" / "not ok" lines ("ok ... # skip" counts as skipped).  A program that
# exits non-zero without reporting a "not ok" line (a crashing unit test, whose
# buffered output may be lost; a bats file that does not parse) counts as one failure.
# Usage: tests/run.sh [bats files...]   (default: all unit tests and tests/*.bats)
# COOPMAP_UNITS=DIR takes the unit tests from DIR (make sanitize: build-san/tests), and
# the bats files take the tools from COOPMAP_BIN (tests/helpers.bash).
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 skip=0
rcfile=$(mktemp); trap 'rm -f "$rcfile"' EXIT
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
# run NAME CMD...: count CMD's TAP output as it comes, then its exit status (the
# status is written before the output pipe closes, so it is there once count returns)
run() {
    local name=$1 rc before=$fail
    shift
    : > "$rcfile"
    count < <("$@" 2>&1; echo $? > "$rcfile")
    rc=$(cat "$rcfile"); rc=${rc:-1}
    if [ "$rc" -ne 0 ] && [ "$fail" -eq "$before" ]; then
        echo "not ok - $name exited with status $rc"
        fail=$((fail + 1))
    fi
}
if [ $# -eq 0 ]; then
    for t in "${COOPMAP_UNITS:-build/tests}"/test_*; do
        [ -x "$t" ] || continue
        echo "# unit: $t"
        run "$t" "$t"
    done
    set -- tests/*.bats
fi
for b in "$@"; do
    [ -f "$b" ] || continue
    echo "# bats: $b"
    run "$b" bats --tap "$b"
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ $((pass + fail)) -gt 0 ]
