#!/usr/bin/env bash
# Recovery of planted cooperativity (tests/sim/run.sh): 5 seeds x effect sizes
# |c| = 0.01 .. 1 on the logit, with 1 and 10 knockout draws per site.  Each run
# simulates 700 sequences from tests/sim/sim.grammar.in (7 model TFs, 6 planted
# directed effects, 4 co-planted cells without effect, 3 decoy motifs) and runs
# scan -> pairs -> ism -> stats; a cell called at q <= 0.05 is a true positive when an
# effect of that sign was planted there.  Needs no ../shared.
set -euo pipefail
cd "$(dirname "$0")/.."
export BIN="${BIN:-$PWD/bin}"
s=$(date +%s.%N)
bash tests/sim/run.sh 5 "0.01 0.05 0.25 1" "1 10"
e=$(date +%s.%N)
awk -v s="$s" -v e="$e" 'BEGIN { printf "recovery benchmark: 40 pipeline runs in %.1f s\n", e - s }'
