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
