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
#   >hg19_chr2_1000_2000   NNNNGATTACAGNNN         gat + 5..12 -> Galaxy: hg19_chr2 (FIMO
#                          5.5.8 names it GENOME_CHROM), offset 999
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
             --verbosity --threads --oc --batch-bases --spill-bytes --version \
             --qv-method --no-qvalue --max-stored-scores --motif-format --regions --genome \
             --max-strand --filter --psp --prior-dist --alpha --qv-thresh --shard --merge; do
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

@test "scan: full mode --oc: fimo.tsv equals FIMO's byte for byte, q-values included" {
    need_ref
    run "$SCAN" --no-pgc --thresh 1e-4 --oc "$T/full" --motif MA0148.5 --motif MA0139.2 \
        --motif MA0058.4 --motif MA0491.3 "$REF/dev_motifs.meme" "$REF/chr22_16050000_22000000.fa.gz"
    assert_success
    grep -v '^#' "$T/full/fimo.tsv" > "$T/got"
    grep -v '^#' "$REF/fimo_dev_full/fimo.tsv" > "$T/want"
    run wc -l < "$T/want"
    assert_output "5220"    # header, 5218 hits, blank line
    cmp "$T/got" "$T/want"
    # the reference's CTCF q-values are not all 1 (a test that can fail): 0.00655 ... 0.318
    run awk -F'\t' '$1 == "MA0139.2" { n++; if ($9 != 1) d++ } END { print n, d }' "$T/got"
    assert_output "3486 3486"
    run tail -n 3 "$T/full/fimo.tsv"
    assert_line --index 0 --partial "# coopmap-scan 0.1.0"
    assert_line --index 2 --partial "--oc $T/full --motif MA0148.5"
}

@test "scan: q-value methods: bh = p*m/rank by hand, storey exact, cap drops the worse half" {
    need_ref
    args=(--no-pgc --motif MA0139.2 "$REF/dev_motifs.meme" "$REF/chr22_16050000_22000000.fa.gz")
    run "$SCAN" --qv-method bh --oc "$T/bh" "${args[@]}"
    assert_success
    # m = 2 x 5,699,780 N-free 15-bp windows of the slice; BH q of the best hit = p*m/1,
    # of the 2nd/3rd (tied p) = p*m/3
    run awk -F'\t' 'NR > 1 && NR <= 4 { printf "%s %s\n", $8, $9 }' "$T/bh/fimo.tsv"
    assert_line --index 0 "5.86e-10 0.00668"     # 5.86e-10 * 11399560 = 0.006680
    assert_line --index 1 "4.03e-09 0.0153"      # 4.03e-09 * 11399560 / 3 = 0.01531
    n_bh=$(grep -vc '^#' "$T/bh/fimo.tsv")
    run "$SCAN" --qv-method storey --oc "$T/st" "${args[@]}"
    assert_success
    # exact Storey pi0 over all windows is < 1, so its q-values are below BH's
    # (q = pi0 * BH q, same p-values and m)
    run awk -F'\t' 'NR == 2 { print ($9 < 0.00668 && $9 > 0) }' "$T/st/fimo.tsv"
    assert_output "1"
    assert_equal "$(grep -vc '^#' "$T/st/fimo.tsv")" "$n_bh"
    # FIMO's cap: 3,486 hits > 1000 -> halve at 1000 stored (cutoff = 501st best p),
    # again as needed; the kept hits are exactly those below the final cutoff
    run "$SCAN" --max-stored-scores 1000 --oc "$T/cap" "${args[@]}"
    assert_success
    assert_output --partial "reached --max-stored-scores 1000; matches with p-value >= 1.83e-05 were dropped (2636)"
    run grep -vc '^#' "$T/cap/fimo.tsv"
    assert_output "852"   # header, 850 hits, blank line
    run awk -F'\t' 'NR > 1 && NF > 5 && $8 >= 1.83e-05' "$T/cap/fimo.tsv"
    assert_output ""
    run "$SCAN" --no-qvalue --oc "$T/nq" "${args[@]}"
    # FIMO 5.5.8 --no-qvalue writes 0 in fimo.tsv's q-value column (--text: empty)
    run awk -F'\t' 'NR == 2 { print "[" $9 "]" }' "$T/nq/fimo.tsv"
    assert_output "[0]"
    run bash -c 'gzip -dc "$0" | "$1" --oc "$2/x" --motif MA0139.2 "$3" -' "$REF/chr22_16050000_22000000.fa.gz" "$SCAN" "$T" "$REF/dev_motifs.meme"
    assert_failure
    assert_output --partial "standard input"
}

@test "scan: header coordinates parsed by default (UCSC, Galaxy, in description)" {
    run "$SCAN" --text --bfile --uniform-- "$FIX/two.meme" "$FIX/coords.fa"
    assert_success
    assert_equal "${#lines[@]}" 8
    assert_line --index 0 "$HDR"
    assert_line --index 1 "$(row gat GATTACA chr1 102 109 + GATtacag)"
    assert_line --index 2 "$(row gat GATTACA chr1 112 119 - GATTACAG)"
    assert_line --index 3 "$(row gat GATTACA plain 1 8 + GATTACAG)"
    assert_line --index 4 "$(row gat GATTACA hg19_chr2 1004 1011 + GATTACAG)"
    assert_line --index 5 "$(row gat GATTACA chrX 54 61 + GATTACAg)"
    assert_line --index 6 "$(row pal '' plain 11 18 + CCCCGGGG)"
    assert_line --index 7 "$(row pal '' plain 11 18 - CCCCGGGG)"
}

# offsum.meme: motif acgtac, w = 6, rows permutations of 0.875 0.042 0.042 0.042 (sum
# 1.001, off 1 by more than MEME's 1e-5, so divided by it: 0.874126 / 0.041958), nsites 20.
# Default (NRDB) background, symmetrised, +5e-7: A = T = 0.274552, C = G = 0.225448.
# f' = (20 f + 0.1 b) / 20.1; L = log2(f'/b): high A/T 1.66583, high C/G 2.5648 (max),
# low C in an A row -2.39472; offset floor(min L) = -3, scale floor(1000/(max + 3)) = 202;
# cells nint((L + 3)·202): high A/T 942, high C/G 1000.  ACGTAC scores
# (942+1000+1000+942+942+1000)/202 - 18 = 5826/202 - 18 = 10.8416 (FIMO 5.5.8's value).
# With the rows as written: scale 201, cells 938 / 995, 5799/201 - 18 = 10.8507 (wrong).
@test "scan: rows off 1 by more than 1e-5 are normalised as MEME does (score 10.8416)" {
    run "$SCAN" --text --thresh 1e-3 "$FIX/offsum.meme" "$FIX/offsum.fa"
    assert_success
    assert_equal "${#lines[@]}" 2
    assert_line --index 1 "$(printf 'acgtac\t\ts\t5\t10\t+\t10.8416\t0.000237\t\tACGTAC')"
    # every format goes through the same rule: JASPAR probabilities summing to 1.001
    { echo '>acgtac'
      for a in 0 1 2 3; do
          r=''; for i in 0 1 2 3 0 1; do [ "$i" = "$a" ] && r="$r 0.875" || r="$r 0.042"; done
          echo "${r# }"
      done; } > "$T/offsum.jaspar"
    run "$SCAN" --text --thresh 1e-3 --motif-format jaspar "$T/offsum.jaspar" "$FIX/offsum.fa"
    assert_success
    assert_line --index 1 --partial "$(printf '10.8416\t0.000237')"
}

# galaxy.fa: >mm9_chr18_1000_1017, TTTTACGTACTTTTTTTT (18 bases = 1000..1017); the acgtac
# hit at record positions 5..10 is reported as mm9_chr18 1004..1009 (offset START - 1 =
# 999), as FIMO 5.5.8 parses Galaxy headers: name GENOME_CHROM, not CHROM.
@test "scan: without coordinates the name stops at the first ':' (FIMO's fallback); --no-pgc keeps it" {
    # seq-reader-from-fasta.c parse_seq_name with --parse-genomic-coord: the first run of
    # characters other than blanks and ':' of the header
    printf '>chr1:abc desc\nGATTACAG\n>x:1-y\nGATTACAG\n>:lead:x\nGATTACAG\n' > "$T/c.fa"
    run bash -c "'$SCAN' --text --bfile --uniform-- '$FIX/two.meme' '$T/c.fa' | tail -n +2 | cut -f3,4"
    assert_output "$(printf 'chr1\t1\nx\t1\nlead\t1')"
    run bash -c "'$SCAN' --text --no-pgc --bfile --uniform-- '$FIX/two.meme' '$T/c.fa' | tail -n +2 | cut -f3"
    assert_output "$(printf 'chr1:abc\nx:1-y\n:lead:x')"
}

@test "scan: a Galaxy header is named GENOME_CHROM, positions offset by START - 1" {
    run "$SCAN" --text --thresh 1e-3 "$FIX/offsum.meme" "$FIX/galaxy.fa"
    assert_success
    assert_line --index 1 "$(printf 'acgtac\t\tmm9_chr18\t1004\t1009\t+\t10.8416\t0.000237\t\tACGTAC')"
    run "$SCAN" --text --no-pgc --thresh 1e-3 "$FIX/offsum.meme" "$FIX/galaxy.fa"
    assert_line --index 1 --partial "$(printf 'mm9_chr18_1000_1017\t5\t10\t+')"
}

# ties.fa: >t CTGTAATC CCCCGGGG tt GATTACAG: gat '-' at 1..8, pal '+' and '-' at 9..16,
# gat '+' at 19..26.  All four are exact matches with the same full-precision p, 4^-8
# (uniform background; pal is its own reverse complement, so both strands' tables are
# identical).  fimo.tsv order: p, then the position of the motif's first column (stop
# on '-': 8, 9, 16, 19), then scan order; scan order alone would be gat -, gat +, pal +,
# pal -.  --no-qvalue: FIMO 5.5.8 writes 0 in the q-value column of fimo.tsv.
@test "scan: full mode orders equal p by first-column position; --no-qvalue writes q 0" {
    run "$SCAN" --oc "$T/ties" --no-qvalue --bfile --uniform-- "$FIX/two.meme" "$FIX/ties.fa"
    assert_success
    run head -n 5 "$T/ties/fimo.tsv"
    assert_line --index 0 "$HDR"
    assert_line --index 1 "$(printf 'gat\tGATTACA\tt\t1\t8\t-\t15.6084\t1.53e-05\t0\tGATTACAG')"
    assert_line --index 2 "$(printf 'pal\t\tt\t9\t16\t+\t15.6084\t1.53e-05\t0\tCCCCGGGG')"
    assert_line --index 3 "$(printf 'pal\t\tt\t9\t16\t-\t15.6084\t1.53e-05\t0\tCCCCGGGG')"
    assert_line --index 4 "$(printf 'gat\tGATTACA\tt\t19\t26\t+\t15.6084\t1.53e-05\t0\tGATTACAG')"
    # best sites in that order: gat's is the smaller start (1, '-'), pal's the '+'
    run cut -f1-4,6 "$T/ties/best_site.narrowPeak"
    assert_equal "${#lines[@]}" 2
    assert_line --index 0 "$(printf 't\t1\t9\tgat\t-')"
    assert_line --index 1 "$(printf 't\t9\t17\tpal\t+')"
    # best_site's q-value column is FIMO's unset q field too (0); fimo.gff has no
    # qvalue= attribute (fimo-output.c print_fimo_gff_file: only with q-values)
    run cut -f9 "$T/ties/best_site.narrowPeak"
    assert_output "$(printf '0\n0')"
    run grep -c 'qvalue=' "$T/ties/fimo.gff"
    assert_output "0"
    run grep -c ';pvalue=1.53e-05;sequence=' "$T/ties/fimo.gff"
    assert_output "4"
    # --text keeps the q-value column empty
    run "$SCAN" --text --no-qvalue --bfile --uniform-- "$FIX/two.meme" "$FIX/ties.fa"
    assert_line --index 1 "$(printf 'gat\tGATTACA\tt\t1\t8\t-\t15.6084\t1.53e-05\t\tGATTACAG')"
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
    # full mode: a bad FASTA, or an output that cannot be written (/dev/full), leaves
    # none of fimo.tsv, fimo.gff, fimo.bed, best_site.narrowPeak, and not the --oc
    # directory either when the run created it (an existing one stays, empty)
    run "$SCAN" --oc "$T/full" "$FIX/two.meme" "$FIX/bad.fa"
    assert_failure
    assert_output --partial "$FIX/bad.fa:1:"
    [ ! -e "$T/full" ]
    mkdir "$T/full"
    if [ -w /dev/full ]; then
        run "$SCAN" --bfile --uniform-- --oc "$T/full" --bed /dev/full "$FIX/two.meme" "$FIX/coords.fa"
        assert_failure
        assert_output --partial "/dev/full: write error"
        run ls -A "$T/full"
        assert_output ""
    fi
    run "$SCAN" --text --thresh abc "$FIX/two.meme" "$FIX/coords.fa"
    assert_failure
    assert_output --partial "--thresh"
    run "$SCAN" --text "$FIX/two.meme"
    assert_failure
}

# tests/fixtures/motif: motifs M1 (TGACTCATAC) and M2 (CGATTG) as counts out of 20 in
# four formats (MEME rows = count/20, HOMER rows = count/20 to 3 decimals, nsites 20 or
# the default 20), and seqs.fa with TGACTCATAC planted at s1:101-110 and its reverse
# complement GTATGAGTCA at s1:2001-2010 (random sequence otherwise).
@test "scan: the same motifs in MEME, JASPAR, TRANSFAC and HOMER form give identical hits" {
    MF="$BATS_TEST_DIRNAME/fixtures/motif"
    for f in two.meme two.jaspar two.transfac two.motif; do
        "$SCAN" --text --thresh 1e-3 "$MF/$f" "$MF/seqs.fa" > "$T/$f.tsv"
    done
    # header + 27 hits: the count of bench/exhaustive_scan.c (every window and strand
    # scored column by column, no filter) on these files at 1e-3
    run wc -l < "$T/two.meme.tsv"
    assert_output "28"
    for f in two.jaspar two.transfac two.motif; do cmp "$T/two.meme.tsv" "$T/$f.tsv"; done
    # the planted site on both strands: same score and p (reverse complement)
    run grep -P '^M1\tTGACTCATAC\ts1\t(101|2001)\t' "$T/two.meme.tsv"
    assert_line --index 0 "$(printf 'M1\tTGACTCATAC\ts1\t101\t110\t+\t14.33\t4.03e-06\t\tTGACTCATAC')"
    assert_line --index 1 "$(printf 'M1\tTGACTCATAC\ts1\t2001\t2010\t-\t14.33\t4.03e-06\t\tTGACTCATAC')"
    # forcing a wrong format fails with FILE:LINE
    run "$SCAN" --text --motif-format homer "$MF/two.jaspar" "$MF/seqs.fa"
    assert_failure
    assert_output --partial "two.jaspar:2: HOMER row must be 4 probabilities"
    run "$SCAN" --text --motif-format jaspar "$MF/two.motif" "$MF/seqs.fa"
    assert_failure
    run "$SCAN" --text --motif-format xml "$MF/two.motif" "$MF/seqs.fa"
    assert_failure
    assert_output --partial "--motif-format"
}

@test "scan: JASPAR 2024 .jaspar and TRANSFAC downloads of the reference motifs give the same hits" {
    need_ref
    J="$SHARED/data/jaspar"
    grep '^MOTIF' "$REF/dev_motifs.meme" | awk '{ print $2 }' > "$T/ids"
    awk 'NR == FNR { want[">" $1] = 1; next } /^>/ { keep = ($1 in want) } keep' "$T/ids" \
        "$J/JASPAR2024_CORE_vertebrates_non-redundant.jaspar" > "$T/dev.jaspar"
    gzip -dc "$J/JASPAR2024_CORE_non-redundant_pfms_transfac.source.txt.gz" |
        awk 'NR == FNR { want[$1] = 1; next } { rec = rec $0 "\n" } /^AC / { ac = $2 }
             /^\/\// { if (ac in want) printf "%s", rec; rec = ""; ac = "" }' "$T/ids" - > "$T/dev.transfac"
    run grep -c '^>' "$T/dev.jaspar"
    assert_output "36"
    run grep -c '^//' "$T/dev.transfac"
    assert_output "36"
    "$SCAN" --text --no-pgc "$T/dev.jaspar" "$REF/chr22_16050000_22000000.fa.gz" > "$T/j.tsv"
    "$SCAN" --text --no-pgc "$T/dev.transfac" "$REF/chr22_16050000_22000000.fa.gz" > "$T/t.tsv"
    # the TRANSFAC download lists the motifs in another order: same rows, other order
    sort "$T/j.tsv" > "$T/j.sorted"; sort "$T/t.tsv" > "$T/t.sorted"
    cmp "$T/j.sorted" "$T/t.sorted"
    run cmp -s "$T/j.tsv" "$T/t.tsv"
    assert_failure
    # vs FIMO on the MEME file: JASPAR's .meme rounds frequencies to 6 decimals, which
    # moves the integer matrix of 6 motifs (float counts or near-ties); the other 30
    # motifs' rows are identical
    gzip -dc "$REF/fimo_dev_nrdb_text.tsv.gz" > "$T/want.tsv"
    run bash -c "diff '$T/j.tsv' '$T/want.tsv' | grep '^[<>]' | cut -c3- | cut -f1 | sort -u | tr '\n' ' '"
    assert_output "MA0079.5 MA0088.2 MA0496.4 MA0605.3 MA0841.2 MA1419.2 "
    run bash -c "grep -v -e MA0079.5 -e MA0088.2 -e MA0496.4 -e MA0605.3 -e MA0841.2 -e MA1419.2 '$T/j.tsv' | wc -l"
    assert_output "$(grep -v -e MA0079.5 -e MA0088.2 -e MA0496.4 -e MA0605.3 -e MA0841.2 -e MA1419.2 "$T/want.tsv" | wc -l)"
}

@test "scan: full mode writes FIMO's fimo.gff and best_site.narrowPeak byte for byte, and a BED6+ fimo.bed" {
    need_ref
    run "$SCAN" --no-pgc --oc "$T/full" --motif MA0148.5 --motif MA0139.2 --motif MA0058.4 \
        --motif MA0491.3 "$REF/dev_motifs.meme" "$REF/chr22_16050000_22000000.fa.gz"
    assert_success
    gzip -dc "$REF/fimo_dev_full/fimo.gff.gz" > "$T/want.gff"
    run wc -l < "$T/full/fimo.gff"
    assert_output "5219"
    # byte-identical, the score column too: FIMO writes MIN(1000, -4.342 ln p), not
    # -10 log10 p (which printed 0.1 higher in 54 of 533 distinct values)
    cmp "$T/full/fimo.gff" "$T/want.gff"
    # best site per motif and sequence (MA0058.4 has no hits), FIMO's 1-based chromStart
    cmp "$T/full/best_site.narrowPeak" "$REF/fimo_dev_full/best_site.narrowPeak"
    # several sequences (FIMO's print_fimo_gff_file): per motif, per sequence in FASTA
    # order, numbered from 1 within each sequence; Alias= stays (empty) without an alt
    run "$SCAN" --no-pgc --bfile --uniform-- --oc "$T/gffx" "$FIX/two.meme" "$FIX/coords.fa"
    assert_success
    run cut -f1,4,7,9 "$T/gffx/fimo.gff"
    assert_line --index 1 "$(printf 'chr1:100-200\t3\t+\tName=gat_chr1:100-200+;Alias=GATTACA;ID=gat-GATTACA-1-chr1:100-200;pvalue=1.53e-05;qvalue=0.000134;sequence=GATtacag;')"
    assert_line --index 2 "$(printf 'chr1:100-200\t13\t-\tName=gat_chr1:100-200-;Alias=GATTACA;ID=gat-GATTACA-2-chr1:100-200;pvalue=1.53e-05;qvalue=0.000134;sequence=GATTACAG;')"
    assert_line --index 3 --partial "$(printf 'plain\t1\t+\tName=gat_plain+;Alias=GATTACA;ID=gat-GATTACA-1-plain;')"
    assert_line --index 6 --partial "$(printf 'plain\t11\t+\tName=pal_plain+;Alias=;ID=pal-1-plain;')"
    assert_line --index 7 --partial "ID=pal-2-plain;"
    # best sites: one per motif and sequence; equal p -> smaller start ('+' 3 over '-' 13),
    # equal start -> '+' (pal at 11); in fimo.tsv order
    run cut -f1-3,6 "$T/gffx/best_site.narrowPeak"
    assert_equal "${#lines[@]}" 5
    assert_line --index 1 "$(printf 'chr1:100-200\t3\t11\t+')"
    assert_line --index 4 "$(printf 'plain\t11\t19\t+')"
    # score: -4.342 ln(1.53e-05) = 48.2 (p as stored, before rounding)
    run cut -f6 "$T/gffx/fimo.gff"
    assert_line --index 1 "48.2"
    # BED6+: 0-based start, half-open end, in fimo.tsv order
    tail -n +2 "$T/full/fimo.tsv" | grep -v '^#' | grep . |
        awk -F'\t' -v OFS='\t' '{ print $3, $4 - 1, $5, $1, $7, $6, $2, $8 }' > "$T/want.bed"
    cmp "$T/full/fimo.bed" "$T/want.bed"
}

@test "scan: --regions BED --genome FASTA reports genome coordinates and the region name" {
    MF="$BATS_TEST_DIRNAME/fixtures/motif"
    cp "$MF/seqs.fa" "$T/g.fa"          # the index (.fai) is built next to it
    printf 's1\t90\t120\tsiteA\ns2\t0\t3000\n# comment\ns1\t1995\t2015\trcsite\n' > "$T/r.bed"
    run "$SCAN" --text --thresh 1e-4 --regions "$T/r.bed" --genome "$T/g.fa" "$MF/two.meme"
    assert_success
    assert_line --index 0 "$(printf 'motif_id\tmotif_alt_id\tsequence_name\tstart\tstop\tstrand\tscore\tp-value\tq-value\tmatched_sequence\tregion')"
    assert_line --index 1 "$(printf 'M1\tTGACTCATAC\ts1\t101\t110\t+\t14.33\t4.03e-06\t\tTGACTCATAC\tsiteA')"
    assert_line --index 3 "$(printf 'M1\tTGACTCATAC\ts1\t2001\t2010\t-\t14.33\t4.03e-06\t\tTGACTCATAC\trcsite')"
    # the whole-record region s2 gives the FASTA scan's s2 rows (plus the column '.')
    "$SCAN" --text --thresh 1e-4 "$MF/two.meme" "$MF/seqs.fa" | awk -F'\t' '$3 == "s2"' > "$T/fa.s2"
    run bash -c "awk -F'\t' '\$3 == \"s2\"' <<< \"\$0\" | cut -f1-10" "$output"
    assert_output "$(cat "$T/fa.s2")"
    [ -s "$T/fa.s2" ]
    # errors name the BED line
    printf 's1\t10\t5\n' > "$T/bad.bed"
    run "$SCAN" --text --regions "$T/bad.bed" --genome "$T/g.fa" "$MF/two.meme"
    assert_failure
    assert_output --partial "bad.bed:1: bad BED line"
    printf 'chrZ\t1\t5\n' > "$T/bad.bed"
    run "$SCAN" --text --regions "$T/bad.bed" --genome "$T/g.fa" "$MF/two.meme"
    assert_failure
    assert_output --partial "bad.bed:1: sequence 'chrZ' is not in"
    # full mode: whole records as regions give the FASTA run's rows and q-values
    # (FIMO's method reads the regions again for its reservoir sample)
    printf 's1\t0\t3000\ta\ns2\t0\t3000\tb\n' > "$T/whole.bed"
    for q in fimo bh storey; do
        "$SCAN" --thresh 1e-3 --qv-method $q --oc "$T/fa_$q" "$MF/two.meme" "$MF/seqs.fa"
        "$SCAN" --thresh 1e-3 --qv-method $q --oc "$T/rg_$q" --regions "$T/whole.bed" --genome "$T/g.fa" "$MF/two.meme"
        cmp <(grep -v '^#' "$T/fa_$q/fimo.tsv") <(grep -v '^#' "$T/rg_$q/fimo.tsv" | cut -f1-10)
    done
    run awk -F'\t' 'NR == 2 { print $9 }' "$T/rg_bh/fimo.tsv"
    # BH by hand: M1 (w 10) has m = 2 records x 2,991 windows x 2 strands = 11,964 tests;
    # the two best hits tie at p 4.03e-06: q = p * m / 2 = 0.0241
    assert_output "0.0241"
}

@test "scan: an all-N record adds no tested windows (q-values unchanged)" {
    # m counts N-free windows only (COMPAT.md item 8), so a record of N between s1 and s2
    # must leave every row, q-values included, as without it (a stale run table once
    # counted the previous record's windows again for such a record)
    MF="$BATS_TEST_DIRNAME/fixtures/motif"
    awk '/^>s2/ { print ">nn"; for (i = 0; i < 50; i++) print "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN" } 1' \
        "$MF/seqs.fa" > "$T/withn.fa"
    for q in bh fimo; do
        run "$SCAN" --thresh 1e-3 --qv-method $q --oc "$T/a_$q" "$MF/two.meme" "$MF/seqs.fa"
        assert_success
        run "$SCAN" --thresh 1e-3 --qv-method $q --oc "$T/b_$q" "$MF/two.meme" "$T/withn.fa"
        assert_success
        cmp <(grep -v '^#' "$T/a_$q/fimo.tsv") <(grep -v '^#' "$T/b_$q/fimo.tsv")
    done
}

@test "scan: --regions on the bgzip genome equals FIMO's reference rows of the slice" {
    need_ref
    printf 'chr22\t16050000\t22000000\tslice\n' > "$T/s.bed"
    run bash -c '"$0" --text --regions "$1" --genome "$2" "$3" > "$4/r.tsv"' "$SCAN" "$T/s.bed" \
        "$SHARED/data/genome/hg19_chr22_1-22000000.fa.gz" "$REF/dev_motifs.meme" "$T"
    assert_success
    gzip -dc "$REF/fimo_dev_nrdb_text.tsv.gz" | tail -n +2 |
        awk -F'\t' -v OFS='\t' '{ $3 = "chr22"; $4 += 16050000; $5 += 16050000; print $0, "slice" }' > "$T/want"
    tail -n +2 "$T/r.tsv" > "$T/got"
    run wc -l < "$T/got"
    assert_output "65598"
    cmp "$T/got" "$T/want"
}

@test "scan: --max-strand keeps the better strand of a window ('+' on ties)" {
    MF="$BATS_TEST_DIRNAME/fixtures/motif"
    for f in "$MF/two.meme $MF/seqs.fa" "$FIX/two.meme $FIX/coords.fa"; do
        "$SCAN" --text --bfile --uniform-- --thresh 1e-3 $f > "$T/all"
        "$SCAN" --text --bfile --uniform-- --thresh 1e-3 --max-strand $f > "$T/max"
        # by hand from all rows: per (motif, seq, start) the higher score, '+' on ties
        tail -n +2 "$T/all" | awk -F'\t' '{ k = $1 FS $3 FS $4; if (!(k in best) || $7 > s[k]) { best[k] = $0; s[k] = $7 }
            if (!(k in ord)) { ord[k] = ++n; key[n] = k } } END { for (i = 1; i <= n; i++) print best[key[i]] }' > "$T/want"
        run diff <(tail -n +2 "$T/max") "$T/want"
        assert_success
    done
    # the palindrome pal hits both strands of plain:11-18 with equal scores: '+' stays
    run grep -c $'^pal\t' "$T/all"
    assert_output "2"
    run grep $'^pal\t' "$T/max"
    assert_output "$(printf 'pal\t\tplain\t11\t18\t+\t15.6084\t1.53e-05\t\tCCCCGGGG')"
    # q-values: FIMO records (counts, samples) only the chosen strand of each window, so
    # m = windows.  coords.fa has 6 + 11 + 1 + 4 = 22 N-free windows of width 8: BH by
    # hand, gat's 5 tied hits p = 4^-8 = 1.52588e-05 -> q = p * 22 / 5 = 6.71e-05 (with
    # both strands m = 44: 1.34e-04); pal's one hit q = p * 22 / 1 = 3.36e-04
    for ms in "--max-strand" ""; do
        "$SCAN" --oc "$T/q$ms" --qv-method bh --bfile --uniform-- --thresh 1e-3 $ms "$FIX/two.meme" "$FIX/coords.fa"
    done
    run bash -c "grep -v '^#' '$T/q--max-strand/fimo.tsv' | awk -F'\t' 'NF > 5 { print \$1, \$9 }' | sort -u"
    assert_output "$(printf 'gat 6.71e-05\nmotif_id q-value\npal 0.000336')"
    run bash -c "awk -F'\t' '\$1 == \"gat\" { print \$9 }' '$T/q/fimo.tsv' | sort -u"
    assert_output "0.000134"
}

@test "scan: N runs, chunk boundaries, filters and threads never change the rows" {
    need_ref
    gzip -dc "$REF/fimo_dev_nrdb_text.tsv.gz" > "$T/want.tsv"
    # the last two: 12 chunks of 512 Ki in one batch, and batches of 8 chunks + 4, so the
    # 6 chunk workspaces of 2+ threads are reused within a batch (scan.c prep_slot)
    for a in "--filter kmer --batch-bases 100003 --threads 2" "--filter lookahead --batch-bases 77777" \
             "--threads 2" "--threads 3 --batch-bases 4194304"; do
        run bash -c "'$SCAN' --text --no-pgc $a '$REF/dev_motifs.meme' '$REF/chr22_16050000_22000000.fa.gz' > '$T/o.tsv'"
        assert_success
        cmp "$T/o.tsv" "$T/want.tsv"
    done
    # the workflow's genome file: 16.05 Mb of N then the slice: same rows, shifted
    run bash -c "'$SCAN' --text '$REF/dev_motifs.meme' '$SHARED/data/genome/hg19_chr22_1-22000000.fa.gz' | tail -n +2 | cut -f1,2,4-" 
    assert_success
    tail -n +2 "$T/want.tsv" | awk -F'\t' -v OFS='\t' '{ $4 += 16050000; $5 += 16050000; print }' | cut -f1,2,4- > "$T/shift"
    assert_equal "$(printf '%s\n' "$output" | md5sum)" "$(md5sum < "$T/shift")"
}

@test "scan: spaces and tabs inside sequence lines are skipped, also where a chunk ends mid-line" {
    # fachunk copies a line whole unless it holds a space or a tab; chunks of 5 and 7 bases
    # end inside lines of both kinds
    printf '>s1 d\nACGTACGTTT GACGTCA\tTTACGTACGTAAAA\nACG TTTACGTACGT\n>s2\nTTACG TAAC\n' > "$T/sp.fa"
    printf '>s1 d\nACGTACGTTTGACGTCATTACGTACGTAAAA\nACGTTTACGTACGT\n>s2\nTTACGTAAC\n' > "$T/nosp.fa"
    "$SCAN" --text --bfile --uniform-- --thresh 1 "$FIX/two.meme" "$T/nosp.fa" > "$T/want.tsv"
    [ "$(wc -l < "$T/want.tsv")" -eq 161 ]   # header + every window: 2 motifs x 2 strands x (38 + 2)
    for b in "" "--batch-bases 5" "--batch-bases 7 --threads 2"; do
        "$SCAN" --text --bfile --uniform-- --thresh 1 $b "$FIX/two.meme" "$T/sp.fa" > "$T/got.tsv"
        cmp "$T/want.tsv" "$T/got.tsv"
    done
}

@test "scan --shard: 3 motif slices merged equal FIMO 5.5.8's --text output byte for byte" {
    need_ref
    for k in 1 2 3; do
        "$SCAN" --text --no-pgc --thresh 1e-4 --shard "$k/3" -o "$T/s$k.tsv" \
            "$REF/dev_motifs.meme" "$REF/chr22_16050000_22000000.fa.gz"
    done
    "$SCAN" --merge -o "$T/m.tsv" "$T/s1.tsv" "$T/s2.tsv" "$T/s3.tsv"
    gzip -dc "$REF/fimo_dev_nrdb_text.tsv.gz" > "$T/want.tsv"
    [ "$(wc -l < "$T/want.tsv")" -gt 1000 ]
    cmp "$T/want.tsv" "$T/m.tsv"
}

@test "scan --shard: JASPAR's 879 motifs in 1, 4 and 12 slices merge to the unsharded scan" {
    need_ref
    M="$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme"
    gzip -dc "$REF/chr22_16050000_22000000.fa.gz" | head -c 300000 > "$T/g.fa"
    "$SCAN" --text --thresh 1e-4 -o "$T/one.tsv" "$M" "$T/g.fa"
    [ "$(wc -l < "$T/one.tsv")" -gt 1000 ]
    for n in 1 4 12; do
        files=()
        for k in $(seq 1 "$n"); do
            "$SCAN" --text --thresh 1e-4 --shard "$k/$n" -o "$T/s${n}_$k.tsv" "$M" "$T/g.fa"
            files+=("$T/s${n}_$k.tsv")
        done
        "$SCAN" --merge -o "$T/m$n.tsv" "${files[@]}"
        cmp "$T/one.tsv" "$T/m$n.tsv"
    done
    # 879 motifs in 12 slices: floor(2*879/12) = 146, floor(3*879/12) = 219
    run tail -1 "$T/s12_3.tsv"
    assert_output --regexp '^# shard 3/12: motifs 146-219 of 879, run [0-9a-f]{16}$'
}

@test "scan --shard: a shard without hits, --merge checks, and full mode refused" {
    printf '>s\nACGTACGTACGTAC\n' > "$T/s.fa"
    "$SCAN" --text --shard 1/2 -o "$T/a.tsv" "$FIX/two.meme" "$T/s.fa"
    "$SCAN" --text --shard 2/2 -o "$T/b.tsv" "$FIX/two.meme" "$T/s.fa"
    run cat "$T/a.tsv"
    assert_output --regexp '^# shard 1/2: motifs 0-1 of 2, run [0-9a-f]{16}$'
    run "$SCAN" --merge -o "$T/m.tsv" "$T/a.tsv" "$T/b.tsv"
    assert_success
    [ -e "$T/m.tsv" ] && [ ! -s "$T/m.tsv" ]     # no hits: no header, as an unsharded scan
    run "$SCAN" --merge -o "$T/m2.tsv" "$T/b.tsv" "$T/a.tsv"
    assert_failure
    assert_output --partial "b.tsv:1: shard 2/2 given as shard 1 of 2"
    run "$SCAN" --merge -o "$T/m2.tsv" "$T/a.tsv"
    assert_failure
    [ ! -e "$T/m2.tsv" ]
    run "$SCAN" --shard 1/2 --oc "$T/full" "$FIX/two.meme" "$T/s.fa"
    assert_failure
    assert_output --partial "--shard needs --text"
}

# The run key of the shard line (shard.h cm_run_key): the command line without --threads,
# --shard, -o, --verbosity, --batch-bases, --spill-bytes, with each input file as its base
# name and size.  So shards of one scan run elsewhere, on staged copies, with other thread
# counts, merge; shards of another scan (other --thresh, another sequence file of another
# size) are refused before anything is written.
@test "scan --merge: shards of different scans are refused by their run key, copies elsewhere merge" {
    printf '>s\nACGTACGTACGTACGATCGATCGAAAACCCGGGTTT\n' > "$T/s.fa"
    "$SCAN" --text --thresh 0.01 -o "$T/one.tsv" "$FIX/two.meme" "$T/s.fa"
    "$SCAN" --text --thresh 0.01 --shard 1/2 -o "$T/a.tsv" "$FIX/two.meme" "$T/s.fa"
    mkdir -p "$T/node2" && cp "$FIX/two.meme" "$T/s.fa" "$T/node2/"
    ( cd "$T/node2" && "$SCAN" --text --threads 2 --thresh=0.01 --shard=2/2 --verbosity 1 \
        -o b.tsv two.meme s.fa )
    run "$SCAN" --merge -o "$T/m.tsv" "$T/a.tsv" "$T/node2/b.tsv"
    assert_success
    cmp "$T/one.tsv" "$T/m.tsv"
    key=$(tail -1 "$T/a.tsv" | sed 's/.*, run //')
    [ "$(tail -1 "$T/node2/b.tsv" | sed 's/.*, run //')" = "$key" ]
    # another threshold, another sequence file (one more base): other keys
    "$SCAN" --text --thresh 0.02 --shard 2/2 -o "$T/b2.tsv" "$FIX/two.meme" "$T/s.fa"
    printf '>s\nACGTACGTACGTACGATCGATCGAAAACCCGGGTTTA\n' > "$T/node2/s.fa"
    ( cd "$T/node2" && "$SCAN" --text --thresh 0.01 --shard 2/2 -o b3.tsv two.meme s.fa )
    for b in "$T/b2.tsv" "$T/node2/b3.tsv"; do
        other=$(tail -1 "$b" | sed 's/.*, run //')
        [ "$other" != "$key" ]
        run "$SCAN" --merge -o "$T/m2.tsv" "$T/a.tsv" "$b"
        assert_failure
        assert_output --partial "$b:$(wc -l < "$b"): run $other, but $T/a.tsv is of run $key: shards of different scans"
        [ ! -e "$T/m2.tsv" ]
    done
    # shard lines without a key (written before it existed) merge only among themselves
    sed 's/, run [0-9a-f]*$//' "$T/a.tsv" > "$T/a0.tsv"
    sed 's/, run [0-9a-f]*$//' "$T/node2/b.tsv" > "$T/b0.tsv"
    run "$SCAN" --merge -o "$T/m0.tsv" "$T/a0.tsv" "$T/b0.tsv"
    assert_success
    cmp "$T/one.tsv" "$T/m0.tsv"
    run "$SCAN" --merge -o "$T/m3.tsv" "$T/a0.tsv" "$T/node2/b.tsv"
    assert_failure
    assert_output --partial "run $key, but $T/a0.tsv is of run (none)"
    # a damaged key is not a shard line
    sed 's/, run \([0-9a-f]*\)$/, run \1x/' "$T/node2/b.tsv" > "$T/bx.tsv"
    run "$SCAN" --merge -o "$T/m4.tsv" "$T/a.tsv" "$T/bx.tsv"
    assert_failure
    assert_output --partial "unexpected '#' line"
}

# --qv-thresh (FIMO 5.5.8 fimo.c/fimo-output.c): the scan still keeps p <= --thresh, q-values
# are computed over those hits, then fimo.tsv (and coopmap's fimo.bed), fimo.gff and
# cisml.xml keep only q <= --thresh; best_site.narrowPeak is not filtered; GFF hits keep
# the numbers they have unfiltered.  Refused with --no-qvalue and with --text.
# By hand, two.meme on coords.fa, uniform background, --qv-method bh: only exact matches
# pass p <= 2e-4 (p = 4^-8 = 1.526e-05; one mismatch is >= 3.8e-4).  m = N-free 8-bp
# windows x 2 strands: chr1 record (22 bp, 'nn' at 11-12) 3 + 3, plain (18) 11, hg19_chr2
# (15, only 5..12 N-free) 1, desc_only (11) 4 = 22 windows, m = 44.  gat: 5 hits, q =
# p*44/5 = 1.343e-04 <= 2e-4 (kept); pal: 2 hits, q = p*44/2 = 3.357e-04 > 2e-4 (dropped).
@test "scan --qv-thresh: --thresh applies to q-values too (BH by hand); refused with --text, --no-qvalue" {
    args=(--bfile --uniform-- --qv-method bh --thresh 2e-4 "$FIX/two.meme" "$FIX/coords.fa")
    run "$SCAN" --oc "$T/all" "${args[@]}"
    assert_success
    run awk -F'\t' 'NR > 1 && NF > 5 { print $1, $9 }' "$T/all/fimo.tsv"
    assert_equal "${#lines[@]}" 7
    assert_line "gat 0.000134"
    assert_line "pal 0.000336"
    run "$SCAN" --oc "$T/q" --qv-thresh "${args[@]}"
    assert_success
    run awk -F'\t' 'NR > 1 && NF > 5 { print $1, $9 }' "$T/q/fimo.tsv"
    assert_equal "${#lines[@]}" 5
    refute_output --partial "pal"
    run wc -l < "$T/q/fimo.bed"
    assert_output "5"
    # GFF: gat's 5 lines, numbered as without the filter; pal's gone
    cmp "$T/q/fimo.gff" <(grep -v 'Name=pal_' "$T/all/fimo.gff")
    # best_site.narrowPeak is not filtered (FIMO): pal's site stays
    cmp "$T/q/best_site.narrowPeak" "$T/all/best_site.narrowPeak"
    run grep -c '	pal	' "$T/q/best_site.narrowPeak"
    assert_output "1"
    run grep -c '<matched-element' "$T/q/cisml.xml"
    assert_output "5"
    run grep -c '<site-pvalue-cutoff>' "$T/q/cisml.xml"
    assert_output "0"
    run grep '"threshold type"' "$T/q/fimo.xml"
    assert_output '<setting name="threshold type">q-value</setting>'
    # --thresh 1e-4: the gat q-values 1.343e-04 are over it: header only
    run "$SCAN" --oc "$T/q1" --qv-thresh --bfile --uniform-- --qv-method bh "$FIX/two.meme" "$FIX/coords.fa"
    assert_success
    run grep -vc '^#' "$T/q1/fimo.tsv"
    assert_output "2"     # header, blank line
    run "$SCAN" --text --qv-thresh "${args[@]}"
    assert_failure
    assert_output --partial "--text option (or -o) cannot be used with the --qv-thresh option"
    run "$SCAN" --oc "$T/x" --qv-thresh --no-qvalue "$FIX/two.meme" "$FIX/coords.fa"
    assert_failure
    assert_output --partial "--no-qvalue option (or --qv-method none) cannot be used with the --qv-thresh"
    [ ! -e "$T/x" ]
}

# cisml.xml checked against fimo.tsv: every listed matched-element is one fimo.tsv row
# (motif, sequence, start/stop with start > stop on '-', score, p, q, sequence) and back.
cisml_vs_tsv() {
    /usr/bin/python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
d = sys.argv[1]
ET.parse(d + "/fimo.xml")                      # well-formed
root = ET.parse(d + "/cisml.xml").getroot()
ns = {"c": "http://zlab.bu.edu/schema/cisml", "mem": "http://noble.gs.washington.edu/meme"}
got = []
for p in root.findall("c:pattern", ns):
    for s in p.findall("c:scanned-sequence", ns):
        for m in s.findall("c:matched-element", ns):
            a, b = int(m.get("start")), int(m.get("stop"))
            q = m.find("mem:qvalue", ns)
            got.append((p.get("accession"), p.get("name"), s.get("name"), str(min(a, b)), str(max(a, b)),
                        "-" if a > b else "+", m.get("score"), m.get("pvalue"),
                        q.text if q is not None else "0", m.find("c:sequence", ns).text))
want = [tuple(l.rstrip("\n").split("\t")) for l in open(d + "/fimo.tsv")
        if l.strip() and not l.startswith("#") and not l.startswith("motif_id\t")]
print(len(got), len(want), sorted(got) == sorted(want))
PY
}

@test "scan: full mode writes fimo.xml (as FIMO 5.5.8's) and cisml.xml (= fimo.tsv's numbers)" {
    # fixture: 4 records of 22 + 18 + 15 + 11 = 66 letters; both motifs listed with their
    # argmax letters; the uniform background "%1.3f"
    run "$SCAN" --bfile --uniform-- --oc "$T/fx" "$FIX/two.meme" "$FIX/coords.fa"
    assert_success
    run grep -e '<sequence-data' -e '<motif ' -e '<value letter="A"' "$T/fx/fimo.xml"
    assert_line --index 0 '<sequence-data num-sequences="4" num-residues="66" />'
    assert_line --index 1 '<motif name="gat" alt="GATTACA" width="8" best-possible-match="GATTACAG"/>'
    assert_line --index 2 '<motif name="pal" alt="" width="8" best-possible-match="CCCCGGGG"/>'
    assert_line --index 3 '<value letter="A">0.250</value>'
    run cisml_vs_tsv "$T/fx"
    assert_output "7 7 True"
    # every scanned sequence appears under every motif, with or without hits
    run grep -c '<scanned-sequence ' "$T/fx/cisml.xml"
    assert_output "8"
    # the '-' hit of chr1:112-119 is start 119, stop 112 in CisML
    run grep -c '<matched-element start="119" stop="112" score="15.6084" pvalue="1.53e-05">' "$T/fx/cisml.xml"
    assert_output "1"
    need_ref
    run "$SCAN" --verbosity 1 --no-pgc --thresh 1e-4 --oc "$T/full" --motif MA0148.5 --motif MA0139.2 \
        --motif MA0058.4 --motif MA0491.3 "$REF/dev_motifs.meme" "$REF/chr22_16050000_22000000.fa.gz"
    assert_success
    # FIMO's fimo.xml line for line, except the release (tool) line, the command line
    # and the three file names: settings, 5,950,000 residues, all 36 motifs of the file
    # with FIMO's best-possible-match, the background 0.275/0.225
    keep() { sed '3d' "$1" | grep -v -e '<command-line>' -e 'file name"' -e '"output directory"'; }
    cmp <(keep "$T/full/fimo.xml") <(keep "$REF/fimo_dev_full/fimo.xml")
    run grep -c '<motif ' "$T/full/fimo.xml"
    assert_output "36"
    run cisml_vs_tsv "$T/full"
    assert_output "5218 5218 True"
}

@test "scan --threads 1, 2, 3: byte-identical --text and full-mode outputs over many sequences, chunks and batches" {
    # 6 records (one of 1 base, one with N runs, one of 60,000 bases) of i.i.d. random
    # sequence with GATTACAG planted every 997 bases: the last batch is short or full
    # depending on --batch-bases, and hits lie on chunk overlaps
    /usr/bin/python3 - "$T/many.fa" <<'PY'
import random, sys
random.seed(12)
lens = [3000, 1, 12345, 777, 60000, 20011]
with open(sys.argv[1], "w") as f:
    for i, n in enumerate(lens):
        s = [random.choice("ACGT") for _ in range(n)]
        for p in range(5, n - 8, 997):
            s[p:p + 8] = "GATTACAG"
        if i == 3:
            s[100:160] = "N" * 60
            s[400:401] = "n"
        f.write(">r%d\n" % i)
        t = "".join(s)
        for j in range(0, n, 61):
            f.write(t[j:j + 61] + "\n")
PY
    M="$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme"
    sets=("$FIX/two.meme|--bfile --uniform-- --thresh 1e-3")
    [ -f "$M" ] && sets+=("$M|--thresh 1e-3 --motif MA0139.2 --motif MA0079.5 --motif MA0080.7 --motif MA0114.5 --motif MA0018.5")
    for s in "${sets[@]}"; do
        mf="${s%%|*}"; opts="${s#*|}"
        for b in "--batch-bases 5000" "--batch-bases 4096 --spill-bytes 1" "--batch-bases 100000" ""; do
            for t in 1 2 3; do
                # shellcheck disable=SC2086
                "$SCAN" --text $opts $b --threads "$t" -o "$T/t$t.tsv" "$mf" "$T/many.fa"
                # shellcheck disable=SC2086
                "$SCAN" $opts $b --threads "$t" --oc "$T/f$t" "$mf" "$T/many.fa"
                sed -i '$d' "$T/f$t/fimo.tsv"   # the command line differs
            done
            for t in 2 3; do
                cmp "$T/t1.tsv" "$T/t$t.tsv"
                for f in fimo.tsv fimo.gff fimo.bed best_site.narrowPeak; do cmp "$T/f1/$f" "$T/f$t/$f"; done
            done
            # many hits, on every record long enough, and the planted ones are there
            [ "$(wc -l < "$T/t1.tsv")" -gt 150 ]
            [ "$(tail -n +2 "$T/t1.tsv" | cut -f3 | sort -u | wc -l)" -ge 5 ]
            # two.meme: a gat '+' hit at every planted site of r4 (60,000 bases: 6, 1003,
            # ..., 59826, 61 sites)
            [ "$mf" = "$FIX/two.meme" ] || continue
            run bash -c "awk -F'\t' '\$1 == \"gat\" && \$3 == \"r4\" && \$6 == \"+\" && \$10 == \"GATTACAG\" && (\$4 - 6) % 997 == 0 { print \$4 }' '$T/t1.tsv' | awk 'NR == 1 || NR == 2 { printf \"%s \", \$1 } END { print NR, \$1 }'"
            assert_output "6 1003 61 59826"
        done
    done
}

@test "scan --text: rows formatted by the scan threads equal the one-thread callback writer (with --max-strand, --regions, stdout)" {
    # --text without --bed has the scan threads format the rows (cm_scan_chunks_rows);
    # with --bed the rows go through the single-thread callback (cm_fimo_write_hit):
    # both, to -o and to stdout, with 1-3 threads and small batches, must be identical
    /usr/bin/python3 - "$T/g.fa" <<'PY'
import random, sys
random.seed(21)
with open(sys.argv[1], "w") as f:
    for i, n in enumerate([40000, 3, 9000, 25000]):
        s = [random.choice("ACGT") for _ in range(n)]
        for p in range(7, n - 10, 613):
            s[p:p + 8] = "CCCCGGGG" if p % 2 else "GATTACAG"
        f.write(">c%d\n" % i)
        t = "".join(s)
        for j in range(0, n, 70):
            f.write(t[j:j + 70] + "\n")
PY
    printf 'c0\t100\t30000\tr1\nc2\t0\t9000\nc3\t5\t24000\tr3\n' > "$T/r.bed"
    for mode in fa regions; do
        for ms in "" "--max-strand"; do
            if [ $mode = fa ]; then in=("$FIX/two.meme" "$T/g.fa"); else in=(--regions "$T/r.bed" --genome "$T/g.fa" "$FIX/two.meme"); fi
            # shellcheck disable=SC2086
            "$SCAN" --text --bfile --uniform-- --thresh 1e-3 $ms --bed "$T/x.bed" -o "$T/want.tsv" "${in[@]}"
            for t in 1 2 3; do
                for b in "" "--batch-bases 7000 --spill-bytes 1"; do
                    # shellcheck disable=SC2086
                    "$SCAN" --text --bfile --uniform-- --thresh 1e-3 $ms $b --threads $t -o "$T/r.tsv" "${in[@]}"
                    cmp "$T/want.tsv" "$T/r.tsv"
                    # shellcheck disable=SC2086
                    "$SCAN" --text --bfile --uniform-- --thresh 1e-3 $ms $b --threads $t "${in[@]}" > "$T/s.tsv"
                    cmp "$T/want.tsv" "$T/s.tsv"
                done
            done
            [ "$(wc -l < "$T/want.tsv")" -gt 100 ]
        done
    done
    # --max-strand dropped the weaker strand of the palindromes' windows: fewer rows
    "$SCAN" --text --bfile --uniform-- --thresh 1e-3 "$FIX/two.meme" "$T/g.fa" > "$T/all.tsv"
    "$SCAN" --text --bfile --uniform-- --thresh 1e-3 --max-strand --threads 2 "$FIX/two.meme" "$T/g.fa" > "$T/max.tsv"
    [ "$(wc -l < "$T/max.tsv")" -lt "$(wc -l < "$T/all.tsv")" ]
}
