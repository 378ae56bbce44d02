#!/usr/bin/env bats
# coopmap-scan: FIMO 5.5.8 compatibility on the reference outputs in ../shared/reference,
# and hand-derived cases on tests/fixtures/scan.
#
# Fixture two.meme: motifs gat (GATTACAG) and pal (CCCCGGGG, its own reverse complement),
# each column 0.97 / 0.01 / 0.01 / 0.01, nsites 20.  Under the uniform background with
# pseudocount 0.1: f' = 19.425/20.1 or 0.225/20.1, log2-odds 1.9507 / -4.4811, offset -5,
# scale floor(1000/6.9507) = 143, cells 994 / 74; an exact match scores
# 8·994/143 − 40 = 15.6084 with p = 4^-8 = 1.53e-05; one mismatch already has
# p >= 25/65536 = 3.8e-4, so at 1e-4 only exact matches are reported.
# coords.fa (positions 1-based within each record):
#   >chr1:100-200 test     ttGATtacagnnctgtaatcaa  gat + at 3..10, gat - at 13..20 -> offset 99
#   >plain                 GATTACAGttCCCCGGGG      gat + 1..8, pal + and - 11..18
#   >hg19_chr2_1000_2000   NNNNGATTACAGNNN         gat + 5..12 -> Galaxy: chr2, offset 999
#   >desc_only some text chrX:51-60   acgGATTACAg  gat + 4..11 -> chrX, offset 50

load helpers
REF="$SHARED/reference"
FIX="$BATS_TEST_DIRNAME/fixtures/scan"

need_ref() {
    [ -f "$REF/fimo_dev_nrdb_text.tsv.gz" ] || skip "../shared/reference not found (FIMO reference test)"
}

setup() {
    T="$BATS_TEST_TMPDIR"
    SCAN="$BIN/coopmap-scan"
    HDR="$(printf 'motif_id\tmotif_alt_id\tsequence_name\tstart\tstop\tstrand\tscore\tp-value\tq-value\tmatched_sequence')"
}

row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t15.6084\t1.53e-05\t\t%s' "$@"; }

@test "scan: --help documents every option, --version" {
    run "$SCAN" --help
    assert_success
    for o in --text --output --bed --thresh --bfile --motif-pseudo --motif --norc --no-pgc \
             --verbosity --threads --oc --batch-bases --spill-bytes --version; do
        assert_output --partial -- "$o"
    done
    run "$SCAN" --version
    assert_success
    assert_output "coopmap-scan 0.1.0"
}

@test "scan: FIMO reference, NRDB background: 65,598 hits byte-for-byte" {
    need_ref
    run bash -c '"$0" --text --no-pgc --thresh 1e-4 "$1/dev_motifs.meme" "$1/chr22_16050000_22000000.fa.gz" > "$2/nrdb.tsv"' "$SCAN" "$REF" "$T"
    assert_success
    gzip -dc "$REF/fimo_dev_nrdb_text.tsv.gz" > "$T/want.tsv"
    run wc -l < "$T/nrdb.tsv"
    assert_output "65599"
    cmp "$T/nrdb.tsv" "$T/want.tsv"
}

@test "scan: FIMO reference, uniform background: 55,032 hits byte-for-byte" {
    need_ref
    run bash -c '"$0" --text --no-pgc --thresh 1e-4 --bfile --uniform-- "$1/dev_motifs.meme" "$1/chr22_16050000_22000000.fa.gz" > "$2/uni.tsv"' "$SCAN" "$REF" "$T"
    assert_success
    gzip -dc "$REF/fimo_dev_uniform_text.tsv.gz" > "$T/want.tsv"
    run wc -l < "$T/uni.tsv"
    assert_output "55033"
    cmp "$T/uni.tsv" "$T/want.tsv"
}

@test "scan: --threads 2 with spilling and -o FILE equals the reference; --bed is start-1, stop" {
    need_ref
    run "$SCAN" --text --no-pgc --threads 2 --spill-bytes 100000 -o "$T/t2.tsv" --bed "$T/t2.bed" \
        "$REF/dev_motifs.meme" "$REF/chr22_16050000_22000000.fa.gz"
    assert_success
    assert_output ""
    gzip -dc "$REF/fimo_dev_nrdb_text.tsv.gz" > "$T/want.tsv"
    cmp "$T/t2.tsv" "$T/want.tsv"
    # BED6+ from the reference rows: chrom, start-1, stop, motif_id, score, strand, alt, p
    tail -n +2 "$T/want.tsv" | awk -F'\t' -v OFS='\t' '{print $3, $4-1, $5, $1, $7, $6, $2, $8}' > "$T/want.bed"
    cmp "$T/t2.bed" "$T/want.bed"
}

@test "scan: full mode --oc: fimo.tsv sorted by p equals FIMO's except q-values" {
    need_ref
    run "$SCAN" --no-pgc --thresh 1e-4 --oc "$T/full" --motif MA0148.5 --motif MA0139.2 \
        --motif MA0058.4 --motif MA0491.3 "$REF/dev_motifs.meme" "$REF/chr22_16050000_22000000.fa.gz"
    assert_success
    cut -f1-8,10 "$T/full/fimo.tsv" | grep -v '^#' > "$T/got"
    cut -f1-8,10 "$REF/fimo_dev_full/fimo.tsv" | grep -v '^#' > "$T/want"
    run wc -l < "$T/want"
    assert_output "5220"    # header, 5218 hits, blank line
    cmp "$T/got" "$T/want"
    run tail -n 3 "$T/full/fimo.tsv"
    assert_line --index 0 --partial "# coopmap-scan 0.1.0"
    assert_line --index 2 --partial "--oc $T/full --motif MA0148.5"
}

@test "scan: header coordinates parsed by default (UCSC, Galaxy, in description)" {
    run "$SCAN" --text --bfile --uniform-- "$FIX/two.meme" "$FIX/coords.fa"
    assert_success
    assert_equal "${#lines[@]}" 8
    assert_line --index 0 "$HDR"
    assert_line --index 1 "$(row gat GATTACA chr1 102 109 + GATtacag)"
    assert_line --index 2 "$(row gat GATTACA chr1 112 119 - GATTACAG)"
    assert_line --index 3 "$(row gat GATTACA plain 1 8 + GATTACAG)"
    assert_line --index 4 "$(row gat GATTACA chr2 1004 1011 + GATTACAG)"
    assert_line --index 5 "$(row gat GATTACA chrX 54 61 + GATTACAg)"
    assert_line --index 6 "$(row pal '' plain 11 18 + CCCCGGGG)"
    assert_line --index 7 "$(row pal '' plain 11 18 - CCCCGGGG)"
}

@test "scan: --no-pgc keeps the first word and record positions; gzip input" {
    gzip -c "$FIX/coords.fa" > "$T/coords.fa.gz"
    run "$SCAN" --text --no-pgc --bfile --uniform-- "$FIX/two.meme" "$T/coords.fa.gz"
    assert_success
    assert_equal "${#lines[@]}" 8
    assert_line --index 1 "$(row gat GATTACA chr1:100-200 3 10 + GATtacag)"
    assert_line --index 2 "$(row gat GATTACA chr1:100-200 13 20 - GATTACAG)"
    assert_line --index 4 "$(row gat GATTACA hg19_chr2_1000_2000 5 12 + GATTACAG)"
    assert_line --index 5 "$(row gat GATTACA desc_only 4 11 + GATTACAg)"
}

@test "scan: --norc reports only + rows" {
    run "$SCAN" --text --norc --bfile --uniform-- "$FIX/two.meme" "$FIX/coords.fa"
    assert_success
    assert_equal "${#lines[@]}" 6
    assert_line --index 1 "$(row gat GATTACA chr1 102 109 + GATtacag)"
    assert_line --index 5 "$(row pal '' plain 11 18 + CCCCGGGG)"
    refute_output --partial "$(printf '\t-\t')"
}

@test "scan: --bed on the fixture; --motif selects; batches and spills do not change output" {
    run "$SCAN" --text --bfile --uniform-- --motif pal -o "$T/o.tsv" --bed "$T/o.bed" "$FIX/two.meme" "$FIX/coords.fa"
    assert_success
    run cat "$T/o.bed"
    assert_equal "${#lines[@]}" 2
    assert_line --index 0 "$(printf 'plain\t10\t18\tpal\t15.6084\t+\t\t1.53e-05')"
    assert_line --index 1 "$(printf 'plain\t10\t18\tpal\t15.6084\t-\t\t1.53e-05')"
    "$SCAN" --text --bfile --uniform-- "$FIX/two.meme" "$FIX/coords.fa" > "$T/a.tsv"
    "$SCAN" --text --bfile --uniform-- --threads 2 --batch-bases 1 --spill-bytes 1 "$FIX/two.meme" "$FIX/coords.fa" > "$T/b.tsv"
    cmp "$T/a.tsv" "$T/b.tsv"
    run "$SCAN" --text --motif nosuch "$FIX/two.meme" "$FIX/coords.fa"
    assert_failure
    assert_output --partial "nosuch"
}

@test "scan: no header when there are no hits; full mode always has one" {
    run "$SCAN" --text --bfile --uniform-- --thresh 1e-5 "$FIX/two.meme" "$FIX/coords.fa"
    assert_success
    assert_output ""
    run "$SCAN" --bfile --uniform-- --thresh 1e-5 --oc "$T/empty" "$FIX/two.meme" "$FIX/coords.fa"
    assert_success
    run head -n 1 "$T/empty/fimo.tsv"
    assert_output "$HDR"
}

@test "scan: errors: missing file, bad motif file (FILE:LINE), bad FASTA leaves no output" {
    run "$SCAN" --text "$FIX/two.meme" "$T/nosuch.fa"
    assert_failure
    assert_output --partial "coopmap-scan: $T/nosuch.fa: cannot open"
    run "$SCAN" --text "$FIX/bad.meme" "$FIX/coords.fa"
    assert_failure
    assert_output --partial "coopmap-scan: $FIX/bad.meme:6: matrix row sums to 1.8"
    run "$SCAN" --text -o "$T/out/x.tsv" --bed "$T/out/x.bed" "$FIX/two.meme" "$FIX/bad.fa"
    assert_failure
    assert_output --partial "$T/out/x.tsv: cannot write"
    mkdir "$T/out"
    run "$SCAN" --text -o "$T/out/x.tsv" --bed "$T/out/x.bed" "$FIX/two.meme" "$FIX/bad.fa"
    assert_failure
    assert_output --partial "$FIX/bad.fa:1:"
    run ls -A "$T/out"
    assert_output ""
    run "$SCAN" --text --thresh abc "$FIX/two.meme" "$FIX/coords.fa"
    assert_failure
    assert_output --partial "--thresh"
    run "$SCAN" --text "$FIX/two.meme"
    assert_failure
}
