#!/usr/bin/env bats
# Findings of the fuzzers (tests/fuzz/README.md) as command-line regressions with the
# normal build: each input of tests/fuzz/regress/ that a tool can read gives a clean
# result (a "FILE: what" message and exit 1, or a correct output), never an abort.
# The fuzz targets themselves re-run every regress/ input in `make fuzz-smoke`.

load helpers

R="$BATS_TEST_DIRNAME/fuzz/regress"

setup() {
    T=$(mktemp -d)
    printf '>s\nACGTACGTACGTACGTACGTACGTACGTAC\n' > "$T/s.fa"
}
teardown() { rm -rf "$T"; }

@test "fuzz model: a tensor shape larger than the file is a truncated-file error, not an out-of-memory abort" {
    # 2^40 floats (4 TiB): malloc fails; the reader must compare with the bytes left first
    printf 'coopmap-model 1\nkind explainn\ntensor h f32 1099511627776\nend\n' > "$T/huge.cmm"
    run "$BIN/coopmap-ism" --model "$T/huge.cmm" --predict "$T/s.fa"
    assert_failure 1
    assert_output "coopmap-ism: $T/huge.cmm: truncated model file: tensor 'h' needs 4398046511104 bytes, only 0 left (4398046511104 bytes of tensor data expected in all)"
    run "$BIN/coopmap-ism" --model "$R/model/crash-huge-tensor-shape" --predict "$T/s.fa"
    assert_failure 1
    assert_output --partial "truncated model file: tensor 'h' needs 17179184928 bytes, only 0 left"
}

@test "fuzz model: a short last tensor still names the bytes that are there" {
    { printf 'coopmap-model 1\nkind explainn\ntensor a f32 2\ntensor b f32 3\nend\n'; head -c 14 /dev/zero; } > "$T/short.cmm"
    run "$BIN/coopmap-ism" --model "$T/short.cmm" --predict "$T/s.fa"
    assert_failure 1
    assert_output "coopmap-ism: $T/short.cmm: truncated model file: tensor 'b' needs 12 bytes, only 6 left (20 bytes of tensor data expected in all)"
}

@test "fuzz satfig: a saturation table drawn without --sources (no sites) gives its figure" {
    run "$BIN/coopmap-ism" --plot-saturation "$R/satfig/crash-qsort-null-without-sources" -o "$T/f.svg"
    assert_success
    # one position (chrA:10) and three heads: three transparent tooltip rects, no site boxes
    [ "$(grep -c '<rect class="pos"' "$T/f.svg")" = 3 ]
    [ "$(grep -c '<g class="site"' "$T/f.svg")" = 0 ]
}

@test "fuzz motif_xml: a DREME length of 1e30 is refused by name, not converted to int (UBSan)" {
    # found by the 15-minute round of fuzz_motif_xml: (int)1e30 is undefined behaviour
    run "$BIN/coopmap-scan" --text "$R/motif_xml/crash-dreme-length-1e30" "$T/s.fa"
    assert_failure 1
    assert_output "coopmap-scan: $R/motif_xml/crash-dreme-length-1e30:12: motif M1: length '1000000000000000000000000050000' is not a whole number of columns in [1, 300]"
    # MEME text: a w= beyond int is a bad w= value (301..INT_MAX: the width limit, tests/bad)
    printf 'MEME version 4\n\nALPHABET= ACGT\n\nMOTIF a\nletter-probability matrix: alength= 4 w= 99999999999\n0.25 0.25 0.25 0.25\n' > "$T/w.meme"
    run "$BIN/coopmap-scan" --text "$T/w.meme" "$T/s.fa"
    assert_failure 1
    assert_output "coopmap-scan: $T/w.meme:6: bad w= value"
}

@test "fuzz motif_xml: a bad DREME <background> row is an error naming the background, not a NULL motif (UBSan)" {
    # found by the second 15-minute round of fuzz_motif_xml
    run "$BIN/coopmap-scan" --text "$R/motif_xml/crash-background-pos-null-motif" "$T/s.fa"
    assert_failure 1
    assert_output "coopmap-scan: $R/motif_xml/crash-background-pos-null-motif:42: motif (background), position 11: probabilities sum to 0.45, expected 1 ± 0.1"
}
