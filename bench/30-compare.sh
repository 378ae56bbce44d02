#!/usr/bin/env bash
# coopmap-compare speed and the k-NN TF-family reproduction, in one run:
#   1. JASPAR 2024 vertebrates all-vs-all (879 x 879) with -dist ed and pearson,
#      1 and 2 threads, best of 3 runs each; the thread outputs must be identical.
#      Reference times on this machine (issue 5): MEME 5.5.8 tomtom ~390 s,
#      memelite (numba, approximate) ~6 s.
#   2. Leave-one-out k-NN prediction of the TFClass class from Tomtom neighbours
#      (coopmap-family knn) on JASPAR 2024 CORE all taxa without dimers and classes
#      < 20 motifs (2111 motifs, 20 classes), k = 1..11, ed/pearson/sandelin/ensemble,
#      next to the thesis's numbers (ensemble k = 1: accuracy 0.842, macro-F1 0.765,
#      Tomtom web server distances).
set -euo pipefail
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
J="$SHARED/data/jaspar"
M="$J/JASPAR2024_CORE_vertebrates_non-redundant.meme"
now() { date +%s.%N; }
# best of 3 wall-clock times of a command (output to $W/out.tsv)
best3() {
    local b="" s e d
    for _ in 1 2 3; do
        s=$(now); "$@" -o "$W/out.tsv" > /dev/null; e=$(now)
        d=$(awk -v s="$s" -v e="$e" 'BEGIN { print e - s }')
        b=$(awk -v b="$b" -v d="$d" 'BEGIN { print (b == "" || d < b) ? d : b }')
    done
    echo "$b"
}

printf '%-36s %10s %10s %8s %10s\n' "compare, JASPAR 879 x 879" "1 thread" "2 threads" "speedup" "rows"
for d in ed pearson; do
    t1=$(best3 "$BIN/coopmap-compare" -dist $d --threads 1 "$M" "$M"); sed '$d' "$W/out.tsv" > "$W/o1.tsv"
    t2=$(best3 "$BIN/coopmap-compare" -dist $d --threads 2 "$M" "$M"); sed '$d' "$W/out.tsv" > "$W/o2.tsv"
    cmp -s "$W/o1.tsv" "$W/o2.tsv" || { echo "compare -dist $d: thread outputs differ" >&2; exit 1; }
    rows=$(grep -vc -e '^#' -e '^$' -e '^Query_ID' "$W/o1.tsv" || true)
    printf '%-36s %9.2fs %9.2fs %8.2f %10d\n' "-dist $d (s)" "$t1" "$t2" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { print a / b }')" "$rows"
    [ "$d" = ed ] && ed1=$t1
done
awk -v t="$ed1" 'BEGIN { printf "ed, 1 thread: %.0fx faster than MEME 5.5.8 tomtom (~390 s), %.1fx faster than memelite (~6 s)\n", 390 / t, 6 / t }'

echo
echo "k-NN TF-family prediction (leave-one-out; JASPAR 2024 CORE all taxa, tf_class)"
s=$(now)
"$BIN/coopmap-family" knn --threads 2 --labels "$J/JASPAR2024_CORE_non-redundant_all_taxa.tsv" \
    --confusion "$W/conf.tsv" -o "$W/knn.tsv" "$J/JASPAR2024_CORE_non-redundant_all_taxa.meme"
e=$(now)
grep '^# [0-9]' "$W/knn.tsv" | sed 's/^# /dataset: /'
awk -v s="$s" -v e="$e" 'BEGIN { printf "3 all-vs-all comparisons (ed, pearson, sandelin) + k-NN, 2 threads: %.1f s\n", e - s }'
awk -F'\t' '/^#/ || $1 == "ranking" { next }
    $1 == "p" { acc[$2, $3] = $6; f1[$2, $3] = $7; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } if ($3 > K) K = $3 }
    $1 == "q" { qacc[$2, $3] = $6; qf1[$2, $3] = $7 }
    END {
        print "ranking p: every target in Tomtom order (p-value, overlap, orientation, id)"
        printf "%-10s", "accuracy"; for (k = 1; k <= K; k++) printf " %6s", "k=" k; printf "\n"
        for (i = 1; i <= n; i++) { printf "%-10s", order[i]; for (k = 1; k <= K; k++) printf " %6.3f", acc[order[i], k]; printf "\n" }
        printf "%-10s", "macro-F1"; for (k = 1; k <= K; k++) printf " %6s", "k=" k; printf "\n"
        for (i = 1; i <= n; i++) { printf "%-10s", order[i]; for (k = 1; k <= K; k++) printf " %6.3f", f1[order[i], k]; printf "\n" }
        printf "\n%-52s %9s %9s\n", "k = 1", "accuracy", "macro-F1"
        printf "%-52s %9.3f %9.3f\n", "thesis, ensemble (Tomtom web server)", 0.842, 0.765
        for (i = 1; i <= n; i++)
            printf "%-52s %9.3f %9.3f\n", "coopmap " order[i] ", p ranking", acc[order[i], 1], f1[order[i], 1]
        for (i = 1; i <= n; i++)
            printf "%-52s %9.3f %9.3f\n", "coopmap " order[i] ", q ranking (q <= 0.5)", qacc[order[i], 1], qf1[order[i], 1]
    }' "$W/knn.tsv"

# the same, with every JASPAR motif (dimers, rare and unlabelled classes too) as the
# neighbour database, as a Tomtom run against the whole JASPAR file would give
"$BIN/coopmap-family" knn --threads 2 --database "$J/JASPAR2024_CORE_non-redundant_all_taxa.meme" \
    --labels "$J/JASPAR2024_CORE_non-redundant_all_taxa.tsv" -o "$W/knndb.tsv" \
    "$J/JASPAR2024_CORE_non-redundant_all_taxa.meme"
awk -F'\t' '!/^#/ && $1 != "ranking" && $3 == 1 {
        printf "%-52s %9.3f %9.3f\n", "coopmap " $2 ", " $1 " ranking, all-JASPAR database", $6, $7 }' "$W/knndb.tsv"

# the Tomtom web server's defaults (the thesis's distances came from it):
# -min-overlap 5, matches with E <= 10
"$BIN/coopmap-family" knn --threads 2 --min-overlap 5 --evalue --neighbour-thresh 10 \
    --labels "$J/JASPAR2024_CORE_non-redundant_all_taxa.tsv" -o "$W/knnweb.tsv" \
    "$J/JASPAR2024_CORE_non-redundant_all_taxa.meme"
awk -F'\t' '!/^#/ && $1 == "q" && $3 == 1 {
        printf "%-52s %9.3f %9.3f\n", "coopmap " $2 ", web-server defaults (mo 5, E<=10)", $6, $7 }' "$W/knnweb.tsv"
