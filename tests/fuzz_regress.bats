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

# The genome of the harnesses (tests/fuzz/fixtures_small.h) and fuzz_prior.c's motif.
fz_genome() {
    printf '>chrA test\nTTTCCTCATGCAATTCAAAACCATGTCCGTAATGTAGGCGAAATAGTAAA\n' > "$T/g.fa"
    printf 'CCATTTTACGNNNNATACCAAATTCCTCCTTATTCAGGACCTAACCTGAG\nGTAAACCAGGTCTCTCCGCC\n' >> "$T/g.fa"
    printf '>chrB\ncccttataaaagctgttgcacctagccaagttcaacggcagctgcaatgg\naaataggcaa\n' >> "$T/g.fa"
}

@test "fuzz patterns: a bedGraph value beyond float range is refused by name, not read as inf" {
    fz_genome
    run "$BIN/coopmap-patterns" --genome "$T/g.fa" -o "$T/pat" --head X \
        --bedgraph "$R/patterns/crash-bedgraph-float-overflow"
    assert_failure 1
    assert_output "coopmap-patterns: $R/patterns/crash-bedgraph-float-overflow:2: value '181111111111111111111111111111111111111111111111111111111111111' is not a finite number in [-1e+15, 1e+15]"
    [ ! -e "$T/pat" ]
    # the limit itself is read: 1e15 passes, 1.0000001e15 does not
    printf 'chrA\t0\t30\t1e15\n' > "$T/ok.bedGraph"
    run "$BIN/coopmap-patterns" --genome "$T/g.fa" -o "$T/pat2" --head X --bedgraph "$T/ok.bedGraph"
    assert_success
    [ -s "$T/pat2/patterns.tsv" ]
    printf 'chrA\t0\t30\t-1.0000001e15\n' > "$T/big.bedGraph"
    run "$BIN/coopmap-patterns" --genome "$T/g.fa" -o "$T/pat3" --head X --bedgraph "$T/big.bedGraph"
    assert_failure 1
    assert_output --partial "big.bedGraph:1: value '-1.0000001e15' is not a finite number in [-1e+15, 1e+15]"
}

@test "fuzz prior: a PSP prior above what --prior-dist covers is refused, not scanned to p-value 0" {
    fz_genome
    printf 'MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n\nMOTIF m1 cat\nletter-probability matrix: alength= 4 w= 4 nsites= 10 E= 0\n0.1 0.7 0.1 0.1\n0.7 0.1 0.1 0.1\n0.1 0.1 0.1 0.7\n0.1 0.1 0.7 0.1\n' > "$T/m.meme"
    for c in crash-psp-above-prior-dist crash-psp-above-prior-dist-coords; do
        awk -v a="$T/$c.psp" -v b="$T/$c.dist" 'BEGIN { f = a } /^@@$/ { f = b; next } { print > f }' "$R/prior/$c"
        run "$BIN/coopmap-scan" --text --thresh 0.05 --bfile --uniform-- --psp "$T/$c.psp" \
            --prior-dist "$T/$c.dist" -o "$T/$c.tsv" "$T/m.meme" "$T/g.fa"
        assert_failure 1
        assert_output --regexp "^coopmap-scan: $T/$c.psp:1: the prior 0\.9 of chrA lies above what the --prior-dist distribution covers: motif m1 would get p-value 0 there; make the distribution from this PSP file \(MEME's create-priors\)$"
        [ ! -e "$T/$c.tsv" ]
    done
    # the same PSP with its priors within the distribution's #max scans, every p in (0, 0.05]
    sed 's/0\.9/0.39/' "$T/crash-psp-above-prior-dist.psp" > "$T/in.psp"
    run "$BIN/coopmap-scan" --text --thresh 0.05 --bfile --uniform-- --psp "$T/in.psp" \
        --prior-dist "$T/crash-psp-above-prior-dist.dist" -o "$T/in.tsv" "$T/m.meme" "$T/g.fa"
    assert_success
    [ "$(awk -F'\t' 'NR > 1 && !($8 > 0 && $8 <= 0.05)' "$T/in.tsv" | wc -l)" -eq 0 ]
    [ "$(tail -n +2 "$T/in.tsv" | wc -l)" -gt 0 ]
}
