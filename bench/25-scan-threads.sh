#!/usr/bin/env bash
# coopmap-scan thread scaling on the real chr22 scan (issue 12), measured in one run:
#   all 879 JASPAR 2024 vertebrate motifs, p <= 1e-4, --text to a file, over the
#   workflow's genome file hg19 chr22:1-22,000,000 (16.05 Mb N, 5.95 Mb ACGT; ~1.44M
#   hits); 1 and 2 threads alternated REPS times (default 5) -> min wall time each,
#   ratio min(1 thread) / min(2 threads), and the spread of the per-pair ratios.
#   The outputs of 1, 2 and 3 threads must be byte-identical.  --text rows are formatted by
#   the scan threads (scan.h cm_scan_chunks_rows); one thread only writes them in order.
#   The ratio needs two free cores: the load average is printed with it.
#   The ceiling printed beside it is what the machine gives two copies of the 1-thread
#   scan run at once as two processes (nothing shared, no synchronisation), in the same
#   alternation: 2 x min(1 thread) / min(wall of the pair).  Where the two cores share
#   the last-level cache and memory bandwidth (with other tenants, on a cloud VM) it is
#   below 2, and threading one scan cannot beat it.
set -euo pipefail
[ -d "$SHARED/data" ] || { echo "skipped: $SHARED/data not found (real-data benchmark)"; exit 0; }
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
M="$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme"
GEN="$SHARED/data/genome/hg19_chr22_1-22000000.fa.gz"
S="$BIN/coopmap-scan"
REPS=${REPS:-5}
wall() {   # wall seconds of one run (the previous run's output is removed first: -o
          # renames over it, and freeing 115 MB of page cache is not the scan's time)
    rm -f "$W/t$1.tsv"
    /usr/bin/time -f "%e" -o "$W/time" "$S" --text --thresh 1e-4 --threads "$1" -o "$W/t$1.tsv" "$M" "$GEN"
    cat "$W/time"
}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
t1s=(); t2s=()
pair() {   # wall seconds of two 1-thread scans started together, as two processes
    rm -f "$W/pa.tsv" "$W/pb.tsv"
    local s e
    s=$(date +%s.%N)
    "$S" --text --thresh 1e-4 --threads 1 -o "$W/pa.tsv" "$M" "$GEN" &
    local bg=$!
    "$S" --text --thresh 1e-4 --threads 1 -o "$W/pb.tsv" "$M" "$GEN" || exit 1
    wait "$bg" || exit 1
    e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }'
}
tps=()
for _ in $(seq "$REPS"); do
    t1s+=("$(wall 1)"); t2s+=("$(wall 2)"); tps+=("$(pair)")
done
wall 3 > /dev/null
cmp -s "$W/t1.tsv" "$W/t2.tsv" && cmp -s "$W/t1.tsv" "$W/t3.tsv" \
    || { echo "scan threads: 1-, 2- and 3-thread outputs differ" >&2; exit 1; }
hits=$(($(wc -l < "$W/t1.tsv") - 1))
awk -v a="${t1s[*]}" -v b="${t2s[*]}" -v c="${tps[*]}" -v hits="$hits" -v l0="$load0" -v l1="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
    n = split(a, x, " "); split(b, y, " ")
    m1 = x[1]; m2 = y[1]; lo = 1e9; hi = 0
    for (i = 1; i <= n; i++) {
        if (x[i] < m1) m1 = x[i]; if (y[i] < m2) m2 = y[i]
        r = x[i] / y[i]; if (r < lo) lo = r; if (r > hi) hi = r
    }
    printf "chr22:1-22M, 879 motifs, p <= 1e-4, %d hits; %d alternating runs each\n", hits, n
    printf "1 thread  (s): %s  min %.2f\n", a, m1
    printf "2 threads (s): %s  min %.2f\n", b, m2
    printf "per-run ratio spread: %.2fx .. %.2fx; load average before %s, after %s\n", lo, hi, l0, l1
    split(c, z, " "); mp = z[1]
    for (i = 1; i <= n; i++) if (z[i] < mp) mp = z[i]
    printf "2 x 1 thread at once as two processes (s): %s  min %.2f\n", c, mp
    printf "scan threads chr22: %.2fx on 2 vs 1 (machine ceiling %.2fx: two 1-thread scans at once)\n", m1 / m2, 2 * m1 / mp
}'
