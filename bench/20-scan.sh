#!/usr/bin/env bash
# coopmap-scan throughput, measured in one run on the same data (min of 2 runs each):
#   all 879 JASPAR 2024 vertebrate motifs, p <= 1e-4, --text output to a file,
#   over the real hg19 chr22 slice (5.95 Mb) and over i.i.d. uniform random sequence of
#   the same length, 1 and 2 threads -> ms per motif per Mb;
#   a plain exhaustive C scan of the same integer matrices (bench/exhaustive_scan.c,
#   every 4th motif, hit counts checked against coopmap-scan's) -> speed ratio;
#   the workflow's genome file (22 Mb, first 16.05 Mb N) -> N runs must cost ~nothing;
#   peak RSS of each run and CPU time (/usr/bin/time; wall time is what the table
#   shows, CPU time the per-core cost when the machine is shared).
set -euo pipefail
[ -d "$SHARED/data" ] || { echo "skipped: $SHARED/data not found (real-data benchmark)"; exit 0; }
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
M="$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme"
FA="$SHARED/reference/chr22_16050000_22000000.fa.gz"
GEN="$SHARED/data/genome/hg19_chr22_1-22000000.fa.gz"
ROOT="$PWD"
NM=$(grep -c '^MOTIF' "$M")

# random sequence: 5,950,000 uniform i.i.d. bases, fixed seed, one record
python3 - "$W/random.fa" <<'EOF'
import random, sys
random.seed(20)
n = 5950000
s = "".join(random.choices("ACGT", k=n))
with open(sys.argv[1], "w") as f:
    f.write(">random\n")
    for i in range(0, n, 60):
        f.write(s[i:i + 60] + "\n")
EOF

# one timed run: prints "wall_s maxrss_kb cpu_s" (cpu = user + sys)
run() {
    /usr/bin/time -f "%e %M %U %S" -o "$W/time" "$@" > /dev/null
    awk '{ print $1, $2, $3 + $4 }' "$W/time"
}
# min wall time (s), max RSS (MB) and min CPU time (s) of 2 runs
best() {
    local a b
    a=$(run "$@"); b=$(run "$@")
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
        t = x[1] < y[1] ? x[1] : y[1]; m = x[2] > y[2] ? x[2] : y[2]; c = x[3] < y[3] ? x[3] : y[3]
        printf "%s %.0f %s\n", t, m / 1024, c }'
}
S="$BIN/coopmap-scan"
read -r s1 r1 c1 < <(best "$S" --text --threads 1 -o "$W/s1.tsv" "$M" "$FA")
read -r s2 r2 c2 < <(best "$S" --text --threads 2 -o "$W/s2.tsv" "$M" "$FA")
cmp -s "$W/s1.tsv" "$W/s2.tsv" || { echo "scan: 1- and 2-thread outputs differ" >&2; exit 1; }
read -r q1 x1 d1 < <(best "$S" --text --threads 1 -o "$W/q1.tsv" "$M" "$W/random.fa")
read -r q2 x2 d2 < <(best "$S" --text --threads 2 -o "$W/q2.tsv" "$M" "$W/random.fa")
cmp -s "$W/q1.tsv" "$W/q2.tsv" || { echo "scan: random 1- and 2-thread outputs differ" >&2; exit 1; }
read -r g1 y1 _ < <(best "$S" --text --threads 1 -o "$W/g1.tsv" "$M" "$GEN")
h1=$(($(wc -l < "$W/s1.tsv") - 1)); hq=$(($(wc -l < "$W/q1.tsv") - 1)); hg=$(($(wc -l < "$W/g1.tsv") - 1))
acgt_gen=$(gzip -dc "$GEN" | grep -v '>' | tr -cd 'ACGTacgt' | wc -c)

# exhaustive baseline on every 4th motif; coopmap-scan on the same motifs
cc -O2 -std=c11 -fopenmp -D_GNU_SOURCE -I"$ROOT/c" -o "$W/exhaustive" "$ROOT/bench/exhaustive_scan.c" \
    "${COOPMAP_LIB:-$ROOT/build/libcoopmap.a}" -lhts -lgsl -lgslcblas -lz -lm
grep '^MOTIF' "$M" | awk 'NR % 4 == 1 { print $2 }' > "$W/ids"
args=(); while read -r id; do args+=(--motif "$id"); done < "$W/ids"
n8=$(wc -l < "$W/ids")
read -r e1 _ _ < <(best "$W/exhaustive" "$M" "$FA" 1e-4 4)
read -r o8 _ _ < <(best "$S" --text --threads 1 "${args[@]}" -o "$W/o8.tsv" "$M" "$FA")
exh_hits=$("$W/exhaustive" "$M" "$FA" 1e-4 4 | cut -d' ' -f1)
our_hits=$(($(wc -l < "$W/o8.tsv") - 1))
[ "$exh_hits" = "$our_hits" ] || { echo "scan: exhaustive $exh_hits hits vs coopmap-scan $our_hits" >&2; exit 1; }

awk -v c1="$c1" -v c2="$c2" -v d1="$d1" -v d2="$d2" -v nm="$NM" -v s1="$s1" -v s2="$s2" -v q1="$q1" -v q2="$q2" -v g1="$g1" \
    -v r1="$r1" -v r2="$r2" -v x1="$x1" -v x2="$x2" -v y1="$y1" -v h1="$h1" -v hq="$hq" -v hg="$hg" \
    -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v acgt="$acgt_gen" -v e1="$e1" -v o8="$o8" -v n8="$n8" -v eh="$exh_hits" 'BEGIN {
    mb = 5.95; gmb = acgt / 1e6
    printf "coopmap-scan --text, %d JASPAR 2024 motifs, p <= 1e-4 (ms per motif per Mb; min of 2 runs)\n", nm
    printf "%-36s %7s %9s %9s %8s %9s %12s\n", "sequence", "Mb", "1 thread", "2 threads", "speedup", "hits", "peak RSS MB"
    printf "%-36s %7.2f %9.3f %9.3f %8.2f %9d %6d/%-5d\n", "hg19 chr22 slice (real)", mb, 1000*s1/nm/mb, 1000*s2/nm/mb, s1/s2, h1, r1, r2
    printf "%-36s %7.2f %9.3f %9.3f %8.2f %9d %6d/%-5d\n", "uniform random", mb, 1000*q1/nm/mb, 1000*q2/nm/mb, q1/q2, hq, x1, x2
    printf "%-36s %7.2f %9.3f %9s %8s %9d %6d\n", "hg19 chr22:1-22M (16.05 Mb N; per ACGT Mb)", gmb, 1000*g1/nm/gmb, "-", "-", hg, y1
    printf "CPU time (user+sys), ms per motif per Mb: slice %.3f (1 thread) / %.3f (2 threads); random %.3f / %.3f\n", 1000*c1/nm/mb, 1000*c2/nm/mb, 1000*d1/nm/mb, 1000*d2/nm/mb
    printf "load average now: %s (2 threads only pay off when both cores are free)\n", load
    printf "genome file / slice wall time: %.2f for %.2fx the ACGT bases (N runs cost nothing)\n", g1/s1, gmb/mb
    printf "exhaustive C scan, same integer matrices (%d motifs, slice, 1 thread): %.2f ms/motif/Mb; coopmap-scan on them: %.3f -> %.1fx faster (%d hits both)\n", n8, 1000*e1/n8/mb, 1000*o8/n8/mb, e1/o8, eh
    printf "FIMO 5.5.8 (~450-2500 ms per motif per Mb on this machine): coopmap-scan %.0f-%.0fx faster single-threaded\n", 450/(1000*s1/nm/mb), 2500/(1000*s1/nm/mb)
}'
