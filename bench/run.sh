#!/usr/bin/env bash
# make bench: every bench/*.sh in turn (each prints its own table of ratios, measured
# in one run). Benchmarks use ../shared beside the checkout and skip without it.
set -u
cd "$(dirname "$0")/.."
export BIN="${COOPMAP_BIN:-$PWD/bin}" SHARED="${COOPMAP_SHARED:-$PWD/../shared}"
if [ ! -d "$SHARED/data" ]; then
    echo "bench: $SHARED/data not found; the benchmarks need the real data" >&2
    exit 1
fi
rc=0
for b in bench/[0-9]*.sh; do
    echo "== $b"
    bash "$b" || rc=1
done
exit $rc
