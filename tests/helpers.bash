# Shared setup for the bats CLI tests.
BIN="${COOPMAP_BIN:-$BATS_TEST_DIRNAME/../bin}"
SHARED="${COOPMAP_SHARED:-$BATS_TEST_DIRNAME/../../shared}"
FIX="$BATS_TEST_DIRNAME/fixtures"
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

need_shared() {
    [ -d "$SHARED/data" ] || skip "../shared not found (real-data test)"
}
# Lines of a TSV without '#' comment lines.
body() { grep -v '^#' "$1"; }

# A python3 that has numpy (the one on PATH, else the system one), or status 1.
numpy_python() {
    local p
    for p in python3 /usr/bin/python3; do
        "$p" -c 'import numpy' 2>/dev/null && { echo "$p"; return 0; }
    done
    return 1
}

# Write the tiny random ExplaiNN of tests/fixtures/ism (3 units, filter 5, input 30,
# pool 3/3, hidden 4, heads AAA,BBB) to $1 (a .cmm path) when numpy is available;
# tests check [ -s "$1" ] and skip otherwise.  Used by setup_file of several files.
make_tiny_model() {
    local py
    py=$(numpy_python) || return 0
    "$py" "$BATS_TEST_DIRNAME/fixtures/ism/make_tiny_model.py" "${1%.cmm}.npz"
    "$py" "$BATS_TEST_DIRNAME/../scripts/coopmap-convert-model" "${1%.cmm}.npz" --heads AAA,BBB \
        --input-length 30 --pool-size 3 --pool-stride 3 -o "$1"
}
