#!/usr/bin/env bash
# make bench: every bench/*.sh in turn (each prints its own table of ratios, measured
# in one run). Benchmarks on real data use ../shared beside the checkout and say
# "skipped" without it; the simulation benchmark needs nothing else.
set -u
cd "$(dirname "$0")/.."
export BIN="${COOPMAP_BIN:-$PWD/bin}" SHARED="${COOPMAP_SHARED:-$PWD/../shared}"
rc=0
for b in bench/[0-9]*.sh; do
    echo "== $b"
    bash "$b" || rc=1
done
exit $rc
