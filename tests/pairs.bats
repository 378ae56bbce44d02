#!/usr/bin/env bats
# coopmap-pairs on a hand-made case.  Sites (0-based half-open after FIMO's 1-based):
#   MAX   [100,110) +  (M1; M2 MAX::MYC [102,112) overlaps it and merges into it, p 1e-5 < 2e-5)
#   FOXA1 [200,212) -   FOXA1 [600,612) +   JUND [1000,1010) +
#   FOXA1 [1700,1712) lies in no FOXA1 peak -> not localized (5 of 6 hits localize:
#   M2 counts as MAX since MAX::MYC matches the MAX peak; the MYC peak does not contain it).
# Doubled centres c2 = start+end: 210, 412, 1212, 2010.  With W=400 windows start at
# floor((c2-400)/2): -95 (off the sequence), 6, 406, 805.
# Candidate pairs (distance <= 500): MAX-FOXA1a 101 bp, FOXA1a-FOXA1b 400, FOXA1b-JUND 399
# (MAX-FOXA1b is 501).  Kept: only FOXA1a -> MAX (target [100,110) inside [6,406)).
# Dropped: MAX as source (window off: 1); the four FOXA1a/FOXA1b/JUND directions
# (target outside window: 4).

load helpers

setup() {
    T="$BATS_TEST_TMPDIR"
}

@test "pairs: hand-derived pairs, sources and counts" {
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -w 400 -o "$T/pairs.tsv" -s "$T/sources.tsv" "$FIX/pairs/sites.tsv"
    assert_success
    assert_output --partial "6 hits, 5 localized, 4 sites (1 with windows of 400 bp off the sequence)"
    assert_output --partial "1 pairs (0 homotypic); dropped candidate pairs: 0 overlapping, 1 source window off the sequence, 4 target outside the window"
    run body "$T/pairs.tsv"
    assert_line --index 0 "$(printf 'pair_id\tchrom\tsource_tf\tsource_motif\tsource_start\tsource_end\tsource_strand\ttarget_tf\ttarget_motif\ttarget_start\ttarget_end\ttarget_strand\tdistance\tposition\torientation\twindow_start\twindow_end\thomotypic')"
    assert_line --index 1 "$(printf 'p1\tchrT\tFOXA1\tM3\t200\t212\t-\tMAX\tM1\t100\t110\t+\t101\tupstream\topposite\t6\t406\t0')"
    assert_equal "${#lines[@]}" 2
    run body "$T/sources.tsv"
    assert_equal "$output" "$(printf 'site_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end\ns2\tchrT\tFOXA1\tM3\t200\t212\t-\t6\t406\ns3\tchrT\tFOXA1\tM5\t600\t612\t+\t406\t806\ns4\tchrT\tJUND\tM4\t1000\t1010\t+\t805\t1205')"
    run head -1 "$T/pairs.tsv"
    assert_output --partial "# coopmap-pairs 0.1.0: "
}

@test "pairs: --max-distance is inclusive and bounds the candidates" {
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -w 400 -d 501 -o "$T/p.tsv" "$FIX/pairs/sites.tsv"
    assert_success
    # MAX-FOXA1b (501 bp) now a candidate: one more window-off drop and one more target-outside drop
    assert_output --partial "dropped candidate pairs: 0 overlapping, 2 source window off the sequence, 5 target outside the window"
    # MAX-FOXA1a (101 bp) is the closest pair
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -w 400 -d 100 -o "$T/p.tsv" "$FIX/pairs/sites.tsv"
    assert_success
    assert_output --partial " 0 pairs (0 homotypic); dropped candidate pairs: 0 overlapping, 0 source window off the sequence, 0 target outside"
}

@test "pairs: a wide window keeps both directions with position and orientation" {
    # W=1200, no genome (so only a negative window start is off the sequence): windows of
    # MAX/FOXA1a start at -495/-394 -> only FOXA1b [6,1206) and JUND [405,1605) fit.  FOXA1b->FOXA1a (homotypic,
    # upstream, opposite), FOXA1b->JUND, JUND->FOXA1b; MAX-FOXA1a involve sources off the sequence.
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -w 1200 -o "$T/p.tsv" "$FIX/pairs/sites.tsv"
    assert_success
    run cut -f1,3,8,13-18 <(body "$T/p.tsv")
    assert_line --index 1 "$(printf 'p1\tFOXA1\tFOXA1\t400\tupstream\topposite\t6\t1206\t1')"
    assert_line --index 2 "$(printf 'p2\tFOXA1\tJUND\t399\tdownstream\tsame\t6\t1206\t0')"
    assert_line --index 3 "$(printf 'p3\tJUND\tFOXA1\t399\tupstream\tsame\t405\t1605\t0')"
    assert_equal "${#lines[@]}" 4
}

@test "pairs: --cells keeps only those cells' peaks; no peaks = every hit is a site" {
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -c k562 -w 400 -o "$T/p.tsv" "$FIX/pairs/sites.tsv"
    assert_success
    assert_output --partial "6 hits, 3 localized, 2 sites"
    run "$BIN/coopmap-pairs" -w 400 -o "$T/p.tsv" "$FIX/pairs/sites.tsv"
    assert_success
    # MAX and MAX::MYC are different labels without peaks: 6 sites, none merged
    assert_output --partial "6 hits, 6 localized, 6 sites"
    assert_output --partial "sites of MAX::MYC: 1"
}

@test "pairs: --genome drops windows that run off the sequence end" {
    # chrT of 1100 bp: JUND's window [805,1205) no longer fits
    { echo ">chrT"; head -c 1100 /dev/zero | tr '\0' 'A'; echo; } > "$T/g.fa"
    printf 'chrT\t1100\t6\t1100\t1101\n' > "$T/g.fa.fai"
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -w 400 -g "$T/g.fa" -s "$T/s.tsv" -o "$T/p.tsv" "$FIX/pairs/sites.tsv"
    assert_success
    assert_output --partial "4 sites (2 with windows of 400 bp off the sequence)"
    run grep -c "^s[0-9]" "$T/s.tsv"
    assert_output 2
}

@test "pairs: errors name file and line, exit non-zero, leave no output" {
    printf 'motif_id\tsequence_name\n' > "$T/bad.tsv"
    run "$BIN/coopmap-pairs" -w 400 -o "$T/out.tsv" "$T/bad.tsv"
    assert_failure
    assert_output --partial "coopmap-pairs: $T/bad.tsv:1: not a FIMO TSV header: no 'motif_alt_id' column"
    [ ! -e "$T/out.tsv" ]
    head -3 "$FIX/pairs/sites.tsv" > "$T/bad2.tsv"
    printf 'M9\tX\tchrT\t50\tten\t+\t1\t0.1\t\tA\n' >> "$T/bad2.tsv"
    run "$BIN/coopmap-pairs" -w 400 -o "$T/out.tsv" "$T/bad2.tsv"
    assert_failure
    assert_output --partial "bad2.tsv:4: bad start/stop '50'/'ten'"
    printf 'chrT\t10\n' > "$T/bad.bed"
    run "$BIN/coopmap-pairs" -p "$T/bad.bed" -w 400 -o "$T/out.tsv" "$FIX/pairs/sites.tsv"
    assert_failure
    assert_output --partial "bad.bed:1: 2 tab-separated columns"
    run "$BIN/coopmap-pairs" -w 400 -o "$T/out.tsv" "$T/missing.tsv"
    assert_failure
    assert_output --partial "missing.tsv: cannot open"
    [ -z "$(ls "$T" | grep out.tsv)" ]
}

@test "pairs: distances are exact beyond six digits" {
    # two sites 1,500,001 bp apart (doubled centres 4000010 and 7000012, "%g" would give
    # 1.5e+06), W = 4 Mb: windows [5,4000005) and [1500006,5500006) hold the other site
    { head -1 "$FIX/pairs/sites.tsv"
      printf 'M1\tMAX\tchrT\t2000001\t2000010\t+\t10\t1e-05\t\tA\n'
      printf 'M3\tFOXA1\tchrT\t3500002\t3500011\t+\t10\t1e-05\t\tA\n'; } > "$T/far.tsv"
    run "$BIN/coopmap-pairs" -w 4000000 -d 2e6 -o "$T/p.tsv" "$T/far.tsv"
    assert_success
    run cut -f1,3,8,13,14,16,17 <(body "$T/p.tsv")
    assert_line --index 1 "$(printf 'p1\tMAX\tFOXA1\t1500001\tdownstream\t5\t4000005')"
    assert_line --index 2 "$(printf 'p2\tFOXA1\tMAX\t1500001\tupstream\t1500006\t5500006')"
    assert_equal "${#lines[@]}" 3
}

@test "pairs: a failed write leaves neither output (both or neither)" {
    [ -w /dev/full ] || skip "/dev/full not available"
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -w 400 -s "$T/s.tsv" -o /dev/full "$FIX/pairs/sites.tsv"
    assert_failure
    assert_output --partial "coopmap-pairs: /dev/full: write error"
    [ -z "$(ls -A "$T")" ]
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -w 400 -s "$T/nodir/s.tsv" -o "$T/p.tsv" "$FIX/pairs/sites.tsv"
    assert_failure
    assert_output --partial "nodir/s.tsv: cannot write"
    [ -z "$(ls -A "$T")" ]
}

@test "pairs: bad options exit 1, as every tool" {
    for a in "--window 0" "--window 1.5" "--max-distance -1" "--threads 0" "--threads x"; do
        run "$BIN/coopmap-pairs" $a "$FIX/pairs/sites.tsv"
        assert_failure 1
        assert_output --partial "coopmap-pairs: --"
    done
    run "$BIN/coopmap-pairs"
    assert_failure 1
    assert_output --partial "expected one SITES.tsv argument"
}

@test "pairs: --help and --version" {
    run "$BIN/coopmap-pairs" --help
    assert_success
    for w in --peaks --cells --max-distance --window --model --genome --allow-overlap --output \
             --sources --threads --help --version pair_id source_motif window_end homotypic site_id; do
        assert_output --partial -- "$w"
    done
    run "$BIN/coopmap-pairs" --version
    assert_output "coopmap-pairs 0.1.0"
}

@test "pairs: --model makes the model's input length the default window" {
    need_shared
    python3 "$BATS_TEST_DIRNAME/../scripts/coopmap-convert-model" \
        "$SHARED/data/models/explainn_MAX_FOXA1_JUND/model_epoch_best_4.pth" --heads MAX,FOXA1,JUND -o "$T/m.cmm"
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -m "$T/m.cmm" -s "$T/s.tsv" -o "$T/p.tsv" "$FIX/pairs/sites.tsv"
    assert_success
    assert_output --partial "windows of 200 bp"
    # FOXA1a centre 206: window [106,306) with W=200
    run grep -P '^s2\t' "$T/s.tsv"
    assert_output "$(printf 's2\tchrT\tFOXA1\tM3\t200\t212\t-\t106\t306')"
    run "$BIN/coopmap-pairs" -m "$T/missing.cmm" "$FIX/pairs/sites.tsv"
    assert_failure
    assert_output --partial "missing.cmm"
}
