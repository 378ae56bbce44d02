#!/usr/bin/env bash
# Recovery of planted cooperativity over seeds and effect sizes (bench/40-sim.sh).
# For each effect size C and seed: coopmap-simulate with tests/sim/sim.grammar.in
# (every planted |c| = C; 700 sequences, 7 model TFs, 6 planted directed effects,
# 4 co-planted cells without effect, 3 decoy motifs), then scan -> pairs -> ism ->
# stats (the workflow's commands, without Snakemake), then tests/sim/score.py:
# a significant off-diagonal cell (q <= 0.05) is a true positive when an effect was
# planted there with that sign.  Prints one row per (C, draws): summed TP/FP/FN over
# the seeds, precision, recall, and self-effects negative and significant.
# Usage: tests/sim/run.sh [SEEDS [EFFECTS [DRAWS]]]  defaults: 3, "0.25 0.5 1 2", 1
# BIN (default bin/) names the tools.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${BIN:-$PWD/bin}"
SEEDS="${1:-3}" EFFECTS="${2:-0.25 0.5 1 2}" DRAWS="${3:-1}"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
printf '%-6s %-6s %-6s %5s %5s %5s %10s %8s %10s\n' C draws seeds TP FP FN precision recall self_ok
for C in $EFFECTS; do
    sed "s/@C@/$C/g" tests/sim/sim.grammar.in > "$W/g.grammar"
    for D in $DRAWS; do
        : > "$W/rows"
        for s in $(seq 1 "$SEEDS"); do
            R="$W/r$s"
            rm -rf "$R"
            "$BIN/coopmap-simulate" --seed "$s" -o "$R/data" "$W/g.grammar" 2> /dev/null
            "$BIN/coopmap-scan" --text --thresh 1e-4 --bfile --uniform-- -o "$R/sites.tsv" \
                "$R/data/motifs.meme" "$R/data/genome.fa" 2> /dev/null
            "$BIN/coopmap-pairs" --peaks "$R/data/peaks.bed" --model "$W/g.grammar" --genome "$R/data/genome.fa" \
                --sources "$R/sources.tsv" -o "$R/pairs.tsv" "$R/sites.tsv" 2> /dev/null
            "$BIN/coopmap-ism" --model "$W/g.grammar" --genome "$R/data/genome.fa" --sources "$R/sources.tsv" \
                --pairs "$R/pairs.tsv" --draws "$D" --seed 1 --threads 2 -o "$R/effects.tsv" 2> /dev/null
            "$BIN/coopmap-stats" --long "$R/coop.tsv" "$R/effects.tsv" 2> /dev/null
            python3 tests/sim/score.py --tsv "$s" "$W/g.grammar" "$R/coop.tsv" >> "$W/rows"
        done
        awk -v C="$C" -v D="$D" -v S="$SEEDS" '{ tp += $2; fp += $3; fn += $4; so += $5; sn += $6 }
            END { p = tp + fp ? tp / (tp + fp) : 1; r = tp + fn ? tp / (tp + fn) : 1
                  printf "%-6s %-6s %-6s %5d %5d %5d %10.3f %8.3f %7d/%d\n", C, D, S, tp, fp, fn, p, r, so, sn }' "$W/rows"
    done
done
