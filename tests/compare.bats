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
    for o in -dist -min-overlap -internal -thresh -evalue -m -mi -norc -motif-pseudo -text -oc -o -verbosity -no-ssc --threads; do
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
    # every column identical except one known consensus tie (MA0059.2, see report)
    run $DIFF -v known=MA0059.2 "$TMP/ed.tsv" "$REF/tomtom_dev_ed_default.tsv"
    assert_success
    assert_output "rows=1406 want=1406 mismatches=0 known=4"
}

@test "reference: -dist pearson -min-overlap 5 -evalue -thresh 10 reproduced" {
    need_ref
    "$TOOL" -verbosity 1 -no-ssc -text -dist pearson -min-overlap 5 -evalue -thresh 10 \
        "$REF/dev_motifs.meme" "$JASPAR" > "$TMP/pe.tsv"
    run $DIFF -v known=MA0059.2 "$TMP/pe.tsv" "$REF/tomtom_dev_pearson_mo5_E10.tsv"
    assert_success
    assert_output "rows=1023 want=1023 mismatches=0 known=4"
}

@test "reference: -dist sandelin -evalue -thresh 10 reproduced" {
    need_ref
    "$TOOL" -verbosity 1 -no-ssc -text -dist sandelin -evalue -thresh 10 \
        "$REF/dev_motifs.meme" "$JASPAR" > "$TMP/sa.tsv"
    run $DIFF -v known=MA0059.2 "$TMP/sa.tsv" "$REF/tomtom_dev_sandelin_E10.tsv"
    assert_success
    assert_output "rows=1058 want=1058 mismatches=0 known=3"
}

@test "real Tomtom 5.4.1 run (ExplaiNN filters vs JASPAR 2020): all numbers identical" {
    D="$SHARED/data/motifs_query"
    [ -f "$D/explainn_filters_vs_JASPAR2020_tomtom.tsv" ] || skip "shared data not found at $D"
    "$TOOL" -text --threads 2 "$D/explainn_filters.meme" \
        "$D/JASPAR2020_CORE_vertebrates_non-redundant_pfms_meme.txt" > "$TMP/ex.tsv"
    # ids, offset, p, E, q, overlap, orientation: every row identical
    run $DIFF -v cols=1,2,3,4,5,6,7,10 "$TMP/ex.tsv" "$D/explainn_filters_vs_JASPAR2020_tomtom.tsv"
    assert_success
    assert_output "rows=2438 want=2438 mismatches=0 known=0"
    # consensus strings differ only where a column has tied letters (65 query, 27 target rows)
    run $DIFF "$TMP/ex.tsv" "$D/explainn_filters_vs_JASPAR2020_tomtom.tsv"
    assert_failure
    assert_line --partial "mismatches=92 "
}

@test "--threads 2 output is byte-identical to --threads 1; -m/-mi select queries" {
    need_ref
    "$TOOL" -text --threads 1 "$REF/dev_motifs.meme" "$JASPAR" > "$TMP/t1.tsv"
    "$TOOL" -text --threads 2 "$REF/dev_motifs.meme" "$JASPAR" > "$TMP/t2.tsv"
    # the last trailer line is the command line, which names the thread count
    diff <(sed '$d' "$TMP/t1.tsv") <(sed '$d' "$TMP/t2.tsv")
    run awk 'END { print NR }' "$TMP/t1.tsv"
    assert_output "1410"
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
    run "$TOOL" -dist kullback -o "$TMP/e3.tsv" "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_failure
    assert_output --partial "-dist kullback"
    run "$TOOL" -m nosuch -o "$TMP/e4.tsv" "$FX/tiny_query.meme" "$FX/tiny_targets.meme"
    assert_failure
    assert_output --partial "nosuch"
    run "$TOOL" "$FX/tiny_query.meme"
    assert_failure
    ls "$TMP" | { ! grep -q 'e[1-4]\.tsv'; }
}
