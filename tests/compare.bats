#!/usr/bin/env bats
# CLI tests of coopmap-compare (Tomtom 5.5.8-compatible motif comparison).
# Reference runs live in ../shared (skipped when absent); see tests/fixtures/compare/README.md.

load helpers

setup() {
    TOOL="$BIN/coopmap-compare"
    FX="$BATS_TEST_DIRNAME/fixtures/compare"
    REF="$SHARED/reference"
    JASPAR="$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme"
    DIFF="awk -f $FX/tomtom_diff.awk"
    TMP="$BATS_TEST_TMPDIR"
}

need_ref() {
    [ -f "$REF/dev_motifs.meme" ] && [ -f "$JASPAR" ] || skip "shared reference data not found at $SHARED"
}

@test "--help documents every option, --version prints the version" {
    run "$TOOL" --help
    assert_success
    for o in -dist -min-overlap -internal -incomplete-scores -thresh -evalue -m -mi -norc -motif-pseudo -bfile -text -oc -o \
             -verbosity -no-ssc --threads --version; do
        assert_output --partial "  $o "
    done
    run "$TOOL" --version
    assert_success
    assert_output "coopmap-compare 0.1.0"
}

@test "hand-derived one-column case: p = 7/16, E = 7/8, q = 1" {
    run "$TOOL" -text -motif-pseudo 0 -thresh 1 "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_success
    assert_line --index 0 "Query_ID	Target_ID	Optimal_offset	p-value	E-value	q-value	Overlap	Query_consensus	Target_consensus	Orientation"
    assert_line --index 1 "q1	t1	0	0.4375	0.875	1	1	A	A	+"
    assert_line --index 2 "q1	t2	0	1	2	1	1	A	C	+"
    assert_line --index 3 --partial "# coopmap-compare"
    # E-value threshold 1 keeps only t1; single-dash and double-dash options agree
    run "$TOOL" --text --motif-pseudo 0 --evalue --thresh 1 "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_success
    assert_line --index 1 "q1	t1	0	0.4375	0.875	1	1	A	A	+"
    refute_output --partial "t2"
}

@test "reference: tomtom -no-ssc -text (ed, defaults) reproduced" {
    need_ref
    "$TOOL" -verbosity 1 -no-ssc -text "$REF/dev_motifs.meme" "$JASPAR" > "$TMP/ed.tsv"
    # every column identical, consensus strings included (Tomtom's float-maximum tie
    # rule: MA0059.2 is AGCACGTGGT, not ACCACGTGGT)
    run $DIFF "$TMP/ed.tsv" "$REF/tomtom_dev_ed_default.tsv"
    assert_success
    assert_output "rows=1406 want=1406 mismatches=0 known=0"
}

@test "reference: -dist pearson -min-overlap 5 -evalue -thresh 10 reproduced" {
    need_ref
    "$TOOL" -verbosity 1 -no-ssc -text -dist pearson -min-overlap 5 -evalue -thresh 10 \
        "$REF/dev_motifs.meme" "$JASPAR" > "$TMP/pe.tsv"
    run $DIFF "$TMP/pe.tsv" "$REF/tomtom_dev_pearson_mo5_E10.tsv"
    assert_success
    assert_output "rows=1023 want=1023 mismatches=0 known=0"
}

@test "reference: -dist sandelin -evalue -thresh 10 reproduced" {
    need_ref
    "$TOOL" -verbosity 1 -no-ssc -text -dist sandelin -evalue -thresh 10 \
        "$REF/dev_motifs.meme" "$JASPAR" > "$TMP/sa.tsv"
    run $DIFF "$TMP/sa.tsv" "$REF/tomtom_dev_sandelin_E10.tsv"
    assert_success
    assert_output "rows=1058 want=1058 mismatches=0 known=0"
}

@test "real Tomtom 5.4.1 run (ExplaiNN filters vs JASPAR 2020): every column identical" {
    D="$SHARED/data/motifs_query"
    [ -f "$D/explainn_filters_vs_JASPAR2020_tomtom.tsv" ] || skip "shared data not found at $D"
    "$TOOL" -text --threads 2 "$D/explainn_filters.meme" \
        "$D/JASPAR2020_CORE_vertebrates_non-redundant_pfms_meme.txt" > "$TMP/ex.tsv"
    # ids, offset, p, E, q, overlap, orientation: every row identical
    run $DIFF -v cols=1,2,3,4,5,6,7,10 "$TMP/ex.tsv" "$D/explainn_filters_vs_JASPAR2020_tomtom.tsv"
    assert_success
    assert_output "rows=2438 want=2438 mismatches=0 known=0"
    # both consensus columns identical too (cm_cmp_consensus, Tomtom's tie rule)
    run $DIFF -v cols=8,9 "$TMP/ex.tsv" "$D/explainn_filters_vs_JASPAR2020_tomtom.tsv"
    assert_success
    assert_output "rows=2438 want=2438 mismatches=0 known=0"
}

@test "--threads 2 output is byte-identical to --threads 1; -m/-mi select queries" {
    need_ref
    "$TOOL" -text --threads 1 "$REF/dev_motifs.meme" "$JASPAR" > "$TMP/t1.tsv"
    "$TOOL" -text --threads 2 "$REF/dev_motifs.meme" "$JASPAR" > "$TMP/t2.tsv"
    # the last trailer line is the command line, which names the thread count
    diff <(sed '$d' "$TMP/t1.tsv") <(sed '$d' "$TMP/t2.tsv")
    # as many lines as Tomtom's run with the same options (header, rows, trailer)
    run awk 'END { print NR }' "$TMP/t1.tsv"
    assert_output "$(awk 'END { print NR }' "$REF/tomtom_dev_ed_default.tsv")"
    # a selected query gets exactly its rows of the full run (q-values included:
    # the MT19937 stream restarts, and MA0014.4 is the first query anyway)
    "$TOOL" -text -mi 1 "$REF/dev_motifs.meme" "$JASPAR" > "$TMP/m.tsv"
    diff <(grep -v '^#' "$TMP/m.tsv" | grep -v '^$') <(grep -v '^#' "$TMP/t1.tsv" | awk -F'\t' 'NR == 1 || $1 == "MA0014.4"')
    run "$TOOL" -text -m MA0139.2 -m PAX5 "$REF/dev_motifs.meme" "$JASPAR"
    assert_success
    assert_output --partial "MA0139.2	MA0139.2	0	"
    assert_output --partial "MA0014.4	MA0014.4	0	"
    refute_output --partial "MA0018.5	"
}

@test "-o FILE and -oc DIR write the TSV atomically" {
    run "$TOOL" -motif-pseudo 0 -thresh 1 -o "$TMP/out.tsv" "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_success
    run sed -n 2p "$TMP/out.tsv"
    assert_output "q1	t1	0	0.4375	0.875	1	1	A	A	+"
    run "$TOOL" -motif-pseudo 0 -thresh 1 -oc "$TMP/dir" "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_success
    run grep -c "^q1" "$TMP/dir/tomtom.tsv"
    assert_output "2"
    run tail -n 1 "$TMP/dir/tomtom.tsv"
    assert_output --partial "coopmap-compare -motif-pseudo 0 -thresh 1 -oc $TMP/dir "
    ls "$TMP" "$TMP/dir" | { ! grep -q '\.tmp\.'; }
}

@test "errors: FILE:LINE message, non-zero exit, no output file left" {
    run "$TOOL" -o "$TMP/e1.tsv" "$FX/tiny_query.meme" "$FX/missing.meme"
    assert_failure
    assert_output --partial "coopmap-compare: $FX/missing.meme"
    [ ! -e "$TMP/e1.tsv" ]
    run "$TOOL" -o "$TMP/e2.tsv" "$FX/tiny_query.meme" "$FX/bad_row.meme"
    assert_failure
    assert_output --partial "coopmap-compare: $FX/bad_row.meme:6: matrix row sums to 1.8"
    [ ! -e "$TMP/e2.tsv" ]
    run "$TOOL" -dist blic7 -o "$TMP/e3.tsv" "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_failure
    assert_output --partial "-dist blic7: not one of"
    run "$TOOL" -bfile --uniform-- -o "$TMP/e3.tsv" "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_failure
    assert_output --partial "-bfile is not allowed with -dist ed"
    run "$TOOL" -dist blic1 -bfile "$FX/missing.bg" -o "$TMP/e3.tsv" "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_failure
    assert_output --partial "$FX/missing.bg"
    run "$TOOL" -m nosuch -o "$TMP/e4.tsv" "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_failure
    assert_output --partial "nosuch"
    run "$TOOL" "$FX/tiny_query.meme"
    assert_failure
    ls "$TMP" | { ! grep -q 'e[1-4]\.tsv'; }
    # -oc DIR: a failed run leaves neither DIR/tomtom.tsv nor a DIR it created
    run "$TOOL" -oc "$TMP/ocdir" "$FX/tiny_query.meme" "$FX/bad_row.meme"
    assert_failure
    [ ! -e "$TMP/ocdir" ]
}

@test "kullback, allr, blic, llr and -incomplete-scores: hand-derived one-column case" {
    # Query column A vs database columns A, T (t1 and its rc), C, G (t2): with the
    # default pseudocount the three mismatching columns score alike under every
    # distance, so only t1 '+' scores high: p = 1 - (3/4)^2 = 7/16 as for ed.  A
    # distance with the wrong sign would give t1 p = 1 instead.
    for d in kullback allr blic1 blic5 llr1 llr5; do
        run "$TOOL" -text -dist $d -thresh 1 "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
        assert_success
        assert_line --index 1 "q1	t1	0	0.4375	0.875	1	1	A	A	+"
        assert_line --index 2 "q1	t2	0	1	2	1	1	A	C	+"
    done
    # incomplete scores: raw ed scores 0 and -sqrt 2 quantise to 100 and 29; t1 '+'
    # has placement p 1/4, corrected for 2 tries: 7/16 again
    run "$TOOL" -text -incomplete-scores -motif-pseudo 0 -thresh 1 "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_success
    assert_line --index 1 "q1	t1	0	0.4375	0.875	1	1	A	A	+"
    run "$TOOL" -text -dist allr -motif-pseudo 0 "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_failure
    assert_output --partial "need -motif-pseudo > 0"
}

@test "-incomplete-scores: p*n below 0.001, 1-(1-p)^n above (hand-derived)" {
    # acgtac.meme vs itself, -motif-pseudo 0: N_c = 12 columns (ACGTAC and its rc
    # GTACGT), each letter in 3 of them.  Raw ed is 0 (same letter) or -sqrt 2, so
    # o = -2, sigma = 50, Z = 100 or nint((2 - sqrt 2)*50) = 29; each query column
    # scores 100 w.p. 1/4.  Offset 0 scores 600: p_min = (1/4)^6 = 1/4096.
    # -internal: 1 placement x 2 strands, n = 2: p*n = 2/4096 < 0.001, so
    # p = 0.00048828125 (printed 0.000488281; 1-(1-p)^2 would print 0.000488222);
    # q = p*2/1 (Storey, pi0 = 1 for 2 p-values).
    run "$TOOL" -text -incomplete-scores -internal -motif-pseudo 0 -thresh 1 "$FX/acgtac.meme" "$FX/acgtac.meme"
    assert_success
    assert_line --index 1 "acgtac	acgtac	0	0.000488281	0.000488281	0.000976562	6	ACGTAC	ACGTAC	+"
    # -min-overlap 6 allows the same single placement: the same numbers
    run "$TOOL" -text -incomplete-scores -min-overlap 6 -motif-pseudo 0 -thresh 1 "$FX/acgtac.meme" "$FX/acgtac.meme"
    assert_line --index 1 "acgtac	acgtac	0	0.000488281	0.000488281	0.000976562	6	ACGTAC	ACGTAC	+"
    # all 11 placements x 2 strands: n = 22, p*n = 0.00537 >= 0.001, so
    # p = 1 - (4095/4096)^22 = 0.00535735 (p*n would print 0.00537109)
    run "$TOOL" -text -incomplete-scores -motif-pseudo 0 -thresh 1 "$FX/acgtac.meme" "$FX/acgtac.meme"
    assert_line --index 1 "acgtac	acgtac	0	0.00535735	0.00535735	0.0107147	6	ACGTAC	ACGTAC	+"
}

@test "consensus ties: Tomtom's float running maximum decides (hand-derived)" {
    # ties.meme, -motif-pseudo 0 (frequencies as written): 'up' = 0.1 0.3 0.3 0.3:
    # (float)0.3 = 0.3000000119 > 0.3, so after C neither G nor T compares greater: C.
    # Its reverse complement 0.3 0.3 0.3 0.1: A.  'down' = 0.15 0.35 0.35 0.15:
    # (float)0.35 = 0.3499999940 < 0.35, so G compares greater than C's float: G
    # (the earlier-letter rule would give C); its rc is the same column: G.
    run "$TOOL" -text -motif-pseudo 0 -thresh 1 "$FX/tiny_query.meme" "$FX/ties.meme"
    assert_success
    assert_line --index 1 "q1	up	0	0.4375	0.875	1	1	A	A	-"
    assert_line --index 2 "q1	down	0	0.9375	1.875	1	1	A	G	+"
    run "$TOOL" -text -motif-pseudo 0 -thresh 1 -norc "$FX/tiny_query.meme" "$FX/ties.meme"
    assert_output --partial "q1	up	0	"
    assert_output --partial "	A	C	+"
}

@test "kullback and allr on the reference queries: every query finds itself" {
    need_ref
    # No Tomtom reference exists for these distances; what must hold: every query
    # (as many as MOTIF lines in the query file) is reported against itself at
    # offset 0, '+', with a tiny p-value.  (How often the self-match is ranked first
    # is not asserted: no reference says what it should be.)
    nq=$(grep -c '^MOTIF' "$REF/dev_motifs.meme")
    for d in kullback allr; do
        "$TOOL" -text -dist $d "$REF/dev_motifs.meme" "$JASPAR" > "$TMP/d.tsv"
        run awk -F'\t' '/^#/ || NF < 10 || $1 == "Query_ID" { next }
            $1 == $2 && $3 == 0 && $10 == "+" && $4 < 1e-6 { n++ }
            END { print n + 0 }' "$TMP/d.tsv"
        assert_output "$nq"
    done
}

@test "blic and llr: every query finds itself; large nsites flatten the scores with a warning" {
    need_ref
    # No Tomtom run of these distances exists here (blic.h).  With nsites= 20 every
    # query must match itself at offset 0 (either strand: palindromes) with p < 1e-4.  With JASPAR's
    # own nsites= (median 4552) the column scores span far more than 100, Tomtom's
    # quantisation scale floor(100/span) is 0, every p-value is 1: no rows, and a
    # warning saying why.
    nq=$(grep -c '^MOTIF' "$REF/dev_motifs.meme")
    sed -E 's/nsites= [0-9.]+/nsites= 20/' "$REF/dev_motifs.meme" > "$TMP/q20.meme"
    sed -E 's/nsites= [0-9.]+/nsites= 20/' "$JASPAR" > "$TMP/t20.meme"
    for d in blic1 blic5 llr1 llr5; do
        "$TOOL" -text -dist $d "$TMP/q20.meme" "$TMP/t20.meme" > "$TMP/d.tsv"
        run awk -F'\t' '/^#/ || NF < 10 || $1 == "Query_ID" { next }
            $1 == $2 && $3 == 0 && $4 < 1e-4 { n++ }
            END { print n + 0 }' "$TMP/d.tsv"
        assert_output "$nq"
    done
    run "$TOOL" -text -dist blic1 -mi 1 -mi 2 "$REF/dev_motifs.meme" "$JASPAR"
    assert_success
    assert_output --partial "warning: 2 of 2 queries: column scores span more than 100"
    refute_output --partial "MA0014.4	MA0014.4"
    # -bfile is used by blic (the background term) and changes the p-values
    "$TOOL" -text -dist blic1 -mi 1 "$TMP/q20.meme" "$TMP/t20.meme" > "$TMP/b1.tsv"
    printf 'A 0.4\nC 0.1\nG 0.1\nT 0.4\n' > "$TMP/at.bg"
    "$TOOL" -text -dist blic1 -mi 1 -bfile "$TMP/at.bg" "$TMP/q20.meme" "$TMP/t20.meme" > "$TMP/b2.tsv"
    run cmp -s <(grep -v '^#' "$TMP/b1.tsv") <(grep -v '^#' "$TMP/b2.tsv")
    assert_failure
}

@test "family jos: hand-derived Jaccard Overlap Scores" {
    F="$BIN/coopmap-family"
    # CTCF p1 {A,B}, p2 {A,B} (A again in the second file), p3 {A,C}: (1 + 1/3 + 1/3)/3;
    # FOXA1 {D} {E}: 0; MAX one pattern: NA; JUND no matches at q <= 0.05: 0
    run "$F" jos --labels "$FX/jos_labels.tsv" -o "$TMP/jos.tsv" "$FX/jos_matches.tsv" "$FX/jos_matches2.tsv"
    assert_success
    assert_output --partial "1 match rows of patterns not in"
    run body "$TMP/jos.tsv"
    assert_line --index 0 "tf	n_patterns	n_matched	n_pairs	jos	mean_matches"
    assert_line --index 1 "CTCF	3	3	3	0.555556	2"
    assert_line --index 2 "FOXA1	2	2	1	0	1"
    assert_line --index 3 "MAX	1	1	0	NA	1"
    assert_line --index 4 "JUND	2	0	1	0	0"
    # q <= 0.5 adds F to p1: (2/3 + 1/4 + 1/3)/3 = 15/36
    run "$F" jos --labels "$FX/jos_labels.tsv" --thresh 0.5 "$FX/jos_matches.tsv"
    assert_success
    assert_line --index 2 "CTCF	3	3	3	0.416667	2.33333"
    run "$F" jos --labels "$FX/jos_labels.tsv" "$FX/tiny_query.meme"
    assert_failure
    assert_output --partial "tiny_query.meme:1: not a Tomtom TSV"
}

@test "family matrix: -log10 E of the hand-derived case" {
    run "$BIN/coopmap-family" matrix --value E "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_success
    assert_line --index 1 "query	t1	t2"
    # E(t1) = 7/8 -> 0.0579919; E(t2) = 2 -> -log10 2
    assert_line --index 2 "q1	0.0579919	-0.30103"
}

# Accuracy and macro-F1 of a confusion matrix (coopmap-family knn --confusion), computed
# independently of family.c: every motif has a prediction in the p ranking, so a row
# sum is the class's size; prints "total accuracy macro_f1" (%.4f, as knn.tsv).
conf_scores() {
    awk -F'\t' '/^#/ || $1 == "true\\predicted" { next }
        { r++; for (j = 2; j <= NF; j++) { c[r, j - 1] = $j; row[r] += $j; col[j - 1] += $j; t += $j } }
        END { for (i = 1; i <= r; i++) { d += c[i, i]; f += 2 * c[i, i] / (row[i] + col[i]) }
              printf "%d %.4f %.4f\n", t, d / t, f / r }' "$1"
}

@test "family knn: JASPAR 2024 vertebrates by TFClass class, thread-independent" {
    J="$SHARED/data/jaspar"
    [ -f "$J/JASPAR2024_CORE_non-redundant_all_taxa.tsv" ] || skip "shared data not found at $J"
    F="$BIN/coopmap-family"
    LAB="$J/JASPAR2024_CORE_non-redundant_all_taxa.tsv"
    M="$J/JASPAR2024_CORE_vertebrates_non-redundant.meme"
    "$F" knn --kmax 3 --min-class 20 --labels "$LAB" --confusion "$TMP/conf.tsv" -o "$TMP/k1.tsv" "$M"
    "$F" knn --kmax 3 --min-class 20 --threads 2 --labels "$LAB" --confusion-dist ed --confusion-k 3 \
        --confusion "$TMP/conf2.tsv" -o "$TMP/k2.tsv" "$M"
    diff <(sed 1d "$TMP/k1.tsv") <(sed 1d "$TMP/k2.tsv")
    # --min-overlap reaches the comparisons: 30 (capped at each pair's narrower width,
    # so only full-overlap alignments) changes the neighbours and hence some scores
    "$F" knn --kmax 3 --min-class 20 --min-overlap 30 --threads 2 --labels "$LAB" -o "$TMP/k3.tsv" "$M"
    run cmp -s <(sed 1d "$TMP/k1.tsv") <(sed 1d "$TMP/k3.tsv")
    assert_failure
    run body "$TMP/k1.tsv"
    assert_line --index 0 "ranking	distance	k	n	classes	accuracy	macro_f1"
    # 2 rankings x (3 distances + ensemble) x k = 1..3
    [ "${#lines[@]}" -eq 25 ]
    # the labelled set, derived from the two files by hand: MEME motifs whose matrix_id
    # has a tf_class, no '::' in the name, and a class of at least 20 such motifs
    set=$(awk 'NR == FNR { split($0, f, "\t"); if (FNR > 1 && f[8] != "" && index(f[4], "::") == 0) cls[f[1]] = f[8]; next }
        $1 == "MOTIF" && ($2 in cls) { n[cls[$2]]++ }
        END { for (c in n) if (n[c] >= 20) { t += n[c]; k++ } print t "\t" k }' "$LAB" "$M")
    run awk -F'\t' -v want="$set" '!/^#/ && $1 != "ranking" && $4 "\t" $5 != want { bad++ } END { print bad + 0 }' "$TMP/k1.tsv"
    assert_output "0"
    # accuracy and macro-F1 recomputed from the confusion matrices (ensemble k = 1,
    # ed k = 3) equal the printed ones; the n of the matrix is the labelled set's
    run conf_scores "$TMP/conf.tsv"
    assert_output "$(awk -F'\t' '$1 == "p" && $2 == "ensemble" && $3 == 1 { print $4, $6, $7 }' "$TMP/k1.tsv")"
    run conf_scores "$TMP/conf2.tsv"
    assert_output "$(awk -F'\t' '$1 == "p" && $2 == "ed" && $3 == 3 { print $4, $6, $7 }' "$TMP/k1.tsv")"
    # k = 2 always equals k = 1 (a 1-1 tie goes to the nearer neighbour; family.h)
    run awk -F'\t' '!/^#/ && $3 == 1 { a[$1 $2] = $6 $7 } !/^#/ && $3 == 2 && a[$1 $2] != $6 $7 { bad++ } END { print bad + 0 }' "$TMP/k1.tsv"
    assert_output "0"
}

@test "family: --help, --version, errors name FILE:LINE and leave no output" {
    F="$BIN/coopmap-family"
    run "$F" --help
    assert_success
    for o in --labels --key-col --label-col --name-col --thresh --evalue --min-class --keep-dimers \
             --kmax --neighbour-thresh --min-overlap --database --confusion --confusion-dist --confusion-k --matrix \
             --matrix-dist -dist --value -o --motif-pseudo --threads; do
        assert_output --partial "  $o "
    done
    for m in jos knn matrix; do assert_line --regexp "^$m +[A-Z]"; done
    run "$F" --version
    assert_output "coopmap-family 0.1.0"
    run "$F"
    assert_failure
    assert_output --partial "need a mode"
    run "$F" knn "$FX/tiny_query.meme"
    assert_failure
    assert_output --partial "knn needs --labels FILE"
    run "$F" jos --labels "$FX/bad_row.meme" -o "$TMP/j1.tsv" "$FX/jos_matches.tsv"
    assert_failure
    assert_output --partial "bad_row.meme:1: the header needs at least 2 tab-separated columns"
    printf 'pattern\ttf\np1\n' > "$TMP/short.tsv"
    run "$F" jos --labels "$TMP/short.tsv" -o "$TMP/j2.tsv" "$FX/jos_matches.tsv"
    assert_failure
    assert_output --partial "short.tsv:2: 1 fields, need 2"
    run "$F" knn --labels "$FX/jos_labels.tsv" --key-col nosuch -o "$TMP/j3.tsv" "$FX/tiny_query.meme"
    assert_failure
    assert_output --partial "no column 'nosuch'"
    # a distance that knn does not compute would silently write no file
    run "$F" knn --labels "$FX/jos_labels.tsv" --confusion-dist kullback --confusion "$TMP/j4.tsv" "$FX/tiny_query.meme"
    assert_failure
    assert_output --partial "--confusion-dist kullback: ed, pearson, sandelin or ensemble"
    run "$F" knn --labels "$FX/jos_labels.tsv" --matrix-dist ensemble --matrix "$TMP/j5.tsv" "$FX/tiny_query.meme"
    assert_failure
    assert_output --partial "--matrix-dist ensemble: ed, pearson or sandelin"
    # an option of another mode would be ignored: refused
    run "$F" matrix --labels "$FX/jos_labels.tsv" -o "$TMP/j6.tsv" "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_failure
    assert_output --partial "option --labels does not apply to matrix"
    [ ! -e "$TMP/j1.tsv" ] && [ ! -e "$TMP/j2.tsv" ] && [ ! -e "$TMP/j3.tsv" ] && [ ! -e "$TMP/j4.tsv" ] &&
        [ ! -e "$TMP/j5.tsv" ] && [ ! -e "$TMP/j6.tsv" ]
}

# ---- alphabets (issue 12): fixtures in fixtures/motif/alph (see motif_formats.bats) ----

@test "compare alphabets: a 6-letter covalent alphabet, both orientations, hand-derived p-values" {
    A="$BATS_TEST_DIRNAME/fixtures/motif/alph"
    # Query q1 (w 1): m 0.9, others 0.02.  Targets t1 = q1 and t2 = 1 0.7, m 0.1, others
    # 0.05, whose reverse complement is m 0.7, 1 0.1 (m ~ 1, A ~ T, C ~ G).  Uniform 1/6
    # background, nsites 20 for all, so pseudocounts keep the order of ed scores:
    # t1+ 0 > t2− −0.22 > t2+ −1.05 > t1− −1.24 (N_c = 4 columns).  Median = 2nd
    # smallest (Tomtom: mean of sorted elements floor(4/2)−1 and ceil(4/2)−1), then
    # quantised: four distinct values.  One placement, two orientations:
    # p = 1 − (1 − P(Z >= z))^2 with P = 1/4 for t1 (p 0.4375) and 2/4 for t2's '−'
    # (p 0.75); E = 2p; q = 1 (Storey over 4 p-values, pi0 = 1, capped at 1).
    run "$TOOL" -text -evalue -thresh 10 "$A/cov_q.meme" "$A/cov_t.meme"
    assert_success
    assert_line --index 1 "$(printf 'q1\tt1\t0\t0.4375\t0.875\t1\t1\tm\tm\t+')"
    assert_line --index 2 "$(printf 'q1\tt2\t0\t0.75\t1.5\t1\t1\tm\tm\t-')"
    # -norc: one orientation, N_c = 2 (t1 0 > t2 −1.05); the median of two is the
    # smaller, so t1 has P(Z >= z) = 1/2 (p 0.5) and t2 2/2 (p 1); t2's consensus is 1
    run "$TOOL" -text -evalue -thresh 10 -norc "$A/cov_q.meme" "$A/cov_t.meme"
    assert_line --index 1 "$(printf 'q1\tt1\t0\t0.5\t1\t1\t1\tm\tm\t+')"
    assert_line --index 2 "$(printf 'q1\tt2\t0\t1\t2\t1\t1\tm\t1\t+')"
    # blic/llr need 4 letters: refused before any output
    run "$TOOL" -text -dist blic5 "$A/cov_q.meme" "$A/cov_t.meme"
    assert_failure
    assert_output "coopmap-compare: -dist blic1/blic5/llr1/llr5 use 4-letter Dirichlet priors; the DNA with 5mC alphabet has 6 letters (use ed, pearson, sandelin, kullback or allr)"
}

@test "compare alphabets: RNA compares one orientation (= DNA -norc with U for T); -xalph converts" {
    A="$BATS_TEST_DIRNAME/fixtures/motif/alph"
    # RNA is not complementable: Tomtom compares the given orientation only.  With a
    # complement-symmetric background that is DNA with -norc, letters renamed.
    "$TOOL" -text -thresh 1 "$A/rna_q.meme" "$A/rna_t.meme" | grep -v '^#' > "$TMP/rna.tsv"
    "$TOOL" -text -thresh 1 -norc "$A/dna_q.meme" "$A/dna_t.meme" | grep -v '^#' | tr T U \
        | sed '1s/.*/Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\tTarget_consensus\tOrientation/' > "$TMP/dnanorc.tsv"
    run diff "$TMP/rna.tsv" "$TMP/dnanorc.tsv"
    assert_success
    run grep -c "$(printf '\t-$')" "$TMP/rna.tsv"
    assert_output "0"
    assert_equal "$(sed -n 2p "$TMP/rna.tsv")" "$(printf 'rq\td1\t0\t0.008\t0.016\t0.016\t3\tACU\tACU\t+')"
    # another alphabet without -xalph: refused as Tomtom does
    run "$TOOL" -text "$A/dna_q.meme" "$A/rna_t.meme"
    assert_failure
    assert_output --partial "rna_t.meme: the motifs are in the RNA alphabet (ACGU) but the query motifs in DNA (ACGT); give --xalph"
    # -xalph: RNA targets in a DNA query's alphabet (U is T's alias; complements differ:
    # warned) give exactly the DNA targets' rows
    run "$TOOL" -text -thresh 1 -xalph "$A/dna_q.meme" "$A/rna_t.meme"
    assert_success
    assert_output --partial "warning: the alphabet expansion to 'DNA' requires changing complementation rules"
    "$TOOL" -text -thresh 1 -xalph "$A/dna_q.meme" "$A/rna_t.meme" 2>/dev/null | grep -v '^#' > "$TMP/x.tsv"
    "$TOOL" -text -thresh 1 "$A/dna_q.meme" "$A/dna_t.meme" | grep -v '^#' > "$TMP/d.tsv"
    run diff "$TMP/x.tsv" "$TMP/d.tsv"
    assert_success
    # -xalph into a 6-letter alphabet: DNA targets get m = 1 = 0 before the pseudocount
    # (MEME's convert_matrix_alphabet), the same as writing those zero columns out
    "$TOOL" -text -thresh 1 -xalph "$A/cov_q2.meme" "$A/dna_t.meme" | grep -v '^#' > "$TMP/xc.tsv"
    "$TOOL" -text -thresh 1 "$A/cov_q2.meme" "$A/dna_as_cov.meme" | grep -v '^#' > "$TMP/c.tsv"
    run diff "$TMP/xc.tsv" "$TMP/c.tsv"
    assert_success
    assert_equal "$(sed -n 2p "$TMP/xc.tsv")" "$(printf 'q2\td1\t0\t0.0199\t0.0398\t0.0796\t3\tAmT\tACT\t+')"
    # a target alphabet that is not a subset of the query's cannot be converted
    run "$TOOL" -text -xalph "$A/dna_q.meme" "$A/cov_t.meme"
    assert_failure
    assert_output --partial "which is not a subset of the query's 'DNA' alphabet (ACGT), so --xalph cannot convert them"
}
