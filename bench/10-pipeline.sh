#!/usr/bin/env bash
# Stage throughput on the real data, 1 vs 2 threads, in one run:
#   scan     879 JASPAR 2024 motifs x hg19 chr22 slice (5.95 Mb) -> ms per motif per Mb
#   compare  879 x 879 JASPAR all-vs-all (ed)
#   model    ExplaiNN forward pass, windows per second (--predict on 20,000 windows)
set -euo pipefail
[ -d "$SHARED/data" ] || { echo "skipped: $SHARED/data not found (real-data benchmark)"; exit 0; }
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
M="$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme"
FA="$SHARED/reference/chr22_16050000_22000000.fa.gz"
now() { date +%s.%N; }
t() { local s e; s=$(now); "$@" > /dev/null; e=$(now); awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'; }

s1=$(t "$BIN/coopmap-scan" --text --threads 1 -o "$W/s1.tsv" "$M" "$FA")
s2=$(t "$BIN/coopmap-scan" --text --threads 2 -o "$W/s2.tsv" "$M" "$FA")
cmp -s "$W/s1.tsv" "$W/s2.tsv" || { echo "scan: thread outputs differ" >&2; exit 1; }
c1=$(t "$BIN/coopmap-compare" --threads 1 -o "$W/c1.tsv" "$M" "$M")
c2=$(t "$BIN/coopmap-compare" --threads 2 -o "$W/c2.tsv" "$M" "$M")

python3 "$PWD/scripts/coopmap-convert-model" \
    "$SHARED/data/models/explainn_MAX_FOXA1_JUND/model_epoch_best_4.pth" --heads MAX,FOXA1,JUND -o "$W/m.cmm"
# the first 20,000 N-free 200-bp windows of the slice, tiled
zcat "$FA" | awk 'NR > 1 { s = s $0 } END {
    for (i = 1; n < 20000 && i + 199 <= length(s); i += 200) {
        w = substr(s, i, 200); if (w !~ /[Nn]/) { n++; print ">w" n; print w } } }' > "$W/win.fa"
n=$(grep -c '>' "$W/win.fa")
p1=$(t "$BIN/coopmap-ism" --predict "$W/win.fa" --model "$W/m.cmm" --threads 1)
p2=$(t "$BIN/coopmap-ism" --predict "$W/win.fa" --model "$W/m.cmm" --threads 2)

awk -v s1="$s1" -v s2="$s2" -v c1="$c1" -v c2="$c2" -v p1="$p1" -v p2="$p2" -v n="$n" 'BEGIN {
    mb = 5.95; nm = 879
    printf "%-34s %12s %12s %8s\n", "stage", "1 thread", "2 threads", "speedup"
    printf "%-34s %12.2f %12.2f %8.2f\n", "scan: ms per motif per Mb", 1000*s1/nm/mb, 1000*s2/nm/mb, s1/s2
    printf "%-34s %12.2f %12.2f %8.2f\n", "compare 879x879 (ed): s", c1, c2, c1/c2
    printf "%-34s %12.0f %12.0f %8.2f\n", "ExplaiNN: windows per s", n/p1, n/p2, p1/p2
}'
