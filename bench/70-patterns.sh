#!/usr/bin/env bash
# coopmap-patterns (c/patterns/, docs/patterns.md): cost of seqlets -> patterns as the
# number of seqlets grows, measured in one run by a small C driver written here and
# linked against build/libcoopmap.a.
# Synthetic data: N regions of 50 bp of uniform random bases (counter RNG, seed 1),
# each with one instance of one of 8 random 12-bp motifs (uniform family, random strand
# and position) whose bases carry importance 0.2, every other base Gaussian noise of
# sd 0.02.  The seqlets are called (seqlet.h: window 15, flank 5, FDR 0.05, 2
# shuffles) and clustered (pattern.h defaults: k-NN 15, 40 exact similarities per
# seqlet, Louvain, merging at 0.8), on 1 thread.
# Lines:
#   patterns N=10000: S seqlets, P patterns, purity X, T s (R seqlets/s)
#   patterns N=100000: ...
#   patterns growth 10k -> 100k seqlets: G.Gx (linear 10x, quadratic 100x)
#   patterns real run: saturation of W windows (200 bp) through ExplaiNN (3 heads): T s on 2 threads
#   patterns real run: S seqlets, P patterns, T s on 1 thread (R seqlets/s)
# The real-run lines (../shared needed, else "skipped"): the real run's saturation table,
# made as `make real` makes it (tests/real/config.yaml: the ExplaiNN MAX/FOXA1/JUND
# checkpoint converted, coopmap-ism --saturation over tests/real/saturation.bed), then
# coopmap-patterns with the defaults on 1 thread; its time includes reading and checking
# the table (568,800 rows) against the genome.
# purity = share of the seqlets in patterns whose pattern's majority family is theirs.
# Target: growth well below 100x (the all-pairs similarity of TF-MoDISco is
# quadratic; here the exact similarities are O(N)).
set -euo pipefail
ROOT="$PWD"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
LIB="${COOPMAP_LIB:-$ROOT/build/libcoopmap.a}"
cat > "$W/pat_bench.c" <<'EOF'
#include "core/rng.h"
#include "patterns/pattern.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char **argv)
{
    int N = atoi(argv[1]), F = 8, M = 12, LEN = 50;
    uint8_t mot[8][12];
    for (int f = 0; f < F; f++)
        for (int k = 0; k < M; k++) mot[f][k] = (uint8_t)cm_rng_below(cm_rng_key(1, 100 + f), k, 4);
    cm_pat_track_t tr = {"B", N, N, cm_malloc((size_t)N * sizeof(cm_pat_region_t))};
    int *fam = cm_malloc((size_t)N * sizeof(int));
    for (int r = 0; r < N; r++) {
        uint64_t key = cm_rng_key(1, (uint64_t)r + 1000);
        cm_pat_region_t *g = &tr.reg[r];
        g->chrom = 0, g->start = (int64_t)r * LEN, g->len = LEN;
        g->seq = cm_malloc(LEN), g->imp = cm_malloc(LEN * sizeof(float));
        for (int i = 0; i < LEN; i++) {
            g->seq[i] = (uint8_t)cm_rng_below(key, i, 4);
            double u1 = cm_rng_double(key, 100 + 2 * i) + 1e-300, u2 = cm_rng_double(key, 101 + 2 * i);
            g->imp[i] = (float)(0.02 * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2));
        }
        int f = (int)cm_rng_below(key, 500, F), rc = (int)cm_rng_below(key, 501, 2);
        int p = 12 + (int)cm_rng_below(key, 502, 15);
        fam[r] = f;
        for (int k = 0; k < M; k++) {
            g->seq[p + k] = rc ? (uint8_t)(3 - mot[f][M - 1 - k]) : mot[f][k];
            g->imp[p + k] = 0.2f;
        }
    }
    cm_pat_opts_t o;
    cm_pat_opts_init(&o);
    double t0 = now();
    cm_pat_seqlet_t *s = NULL;
    int n = 0, cap = 0;
    cm_pat_call_stats_t cs;
    cm_pat_call_seqlets(&tr, 1, &o.seq, 7, &s, &n, &cap, &cs);
    cm_pat_result_t res;
    memset(&res, 0, sizeof res);
    cm_pat_group_t g;
    cm_pat_cluster_group(&tr, 0, 1, s, n, &o, &res, &g);
    double t = now() - t0;
    /* purity: per pattern the majority family of its members */
    int *cnt = cm_calloc((size_t)res.npat * F + 1, sizeof(int));
    for (int i = 0; i < res.nsite; i++)
        if (res.site[i].pattern >= 0) cnt[res.site[i].pattern * F + fam[res.site[i].reg]]++;
    long good = 0, tot = 0;
    for (int p = 0; p < res.npat; p++) {
        int mx = 0;
        for (int f = 0; f < F; f++) { tot += cnt[p * F + f]; if (cnt[p * F + f] > mx) mx = cnt[p * F + f]; }
        good += mx;
    }
    printf("%d %d %.4f %.3f %ld\n", n, res.npat, tot ? (double)good / tot : 0, t, g.nexact);
    return 0;
}
EOF
cc -O2 -std=c11 -fopenmp -D_GNU_SOURCE -I"$ROOT/c" -o "$W/pat_bench" "$W/pat_bench.c" "$LIB" \
    -lhts -lgsl -lgslcblas -lz -lm
declare -A T
for N in 10000 100000; do
    read -r n np pur t ne < <("$W/pat_bench" $N)
    T[$N]=$t
    awk -v N=$N -v n=$n -v p=$np -v u=$pur -v t=$t -v e=$ne 'BEGIN {
        printf "patterns N=%d: %d seqlets, %d patterns, purity %.4f, %.2f s (%.0f seqlets/s), %d exact similarities (%.1f per seqlet)\n",
               N, n, p, u, t, n / t, e, e / n }'
done
awk -v a="${T[10000]}" -v b="${T[100000]}" 'BEGIN {
    printf "patterns growth 10k -> 100k seqlets: %.1fx (linear 10x, quadratic 100x)\n", b / a }'

# the real run's saturation table -> seqlets per second
SHARED="${SHARED:-$ROOT/../shared}"
BIN="${BIN:-$ROOT/bin}"
MDIR="$SHARED/data/models/explainn_MAX_FOXA1_JUND"
GEN="$SHARED/data/genome/hg19_chr22_1-22000000.fa.gz"
if [ -f "$MDIR/model_epoch_best_4.pth" ] && [ -f "$GEN" ]; then
    python3 "$ROOT/scripts/coopmap-convert-model" "$MDIR/model_epoch_best_4.pth" --heads MAX,FOXA1,JUND \
        --input-length 200 -o "$W/explainn.cmm" > /dev/null
    nwin=$(grep -vc '^#' "$ROOT/tests/real/saturation.bed")
    t0=$(date +%s.%N)
    "$BIN/coopmap-ism" --saturation --model "$W/explainn.cmm" --genome "$GEN" \
        --regions "$ROOT/tests/real/saturation.bed" --threads 2 -o "$W/sat.tsv.gz" 2> /dev/null
    t1=$(date +%s.%N)
    "$BIN/coopmap-patterns" --genome "$GEN" -o "$W/pat" "$W/sat.tsv.gz" 2> "$W/pat.log"
    t2=$(date +%s.%N)
    awk -v t=$(awk -v a=$t0 -v b=$t1 'BEGIN { print b - a }') -v w=$nwin 'BEGIN {
        printf "patterns real run: saturation of %d windows (200 bp) through ExplaiNN (3 heads): %.2f s on 2 threads\n", w, t }'
    np=$(grep -vc -e '^#' -e '^pattern' "$W/pat/patterns.tsv")
    sed -n 's/.* \([0-9][0-9]*\) seqlets,.*/\1/p' "$W/pat.log" |
        awk -v t=$(awk -v a=$t1 -v b=$t2 'BEGIN { print b - a }') -v p=$np '{ n += $1 } END {
            printf "patterns real run: %d seqlets, %d patterns, %.2f s on 1 thread (%.0f seqlets/s)\n", n, p, t, n / t }'
else
    echo "skipped: patterns real run ($MDIR or $GEN not found)"
fi
