#!/usr/bin/env bats
# A full disk gives a clear error, exit 1 and no output, for every tool: each output
# file once on /dev/full (every write fails with ENOSPC), standard output on /dev/full,
# and whole runs into a tmpfs filled to the last page (directories and temporaries can
# still be created there, their data cannot), where nothing but the filler may remain.

load helpers

setup_file() {
    export FULL="$BATS_FILE_TMPDIR/full"
    mkdir -p "$FULL"
    # a 256 KiB tmpfs, filled; needs root and a mount namespace that allows it
    if mount -t tmpfs -o size=256k coopmap-full "$FULL" 2> /dev/null; then
        dd if=/dev/zero of="$FULL/filler" bs=4096 2> /dev/null || true
        export FULL_OK=1
    fi
}

teardown_file() {
    [ -z "${FULL_OK:-}" ] || umount "$FULL"
}

setup() {
    T="$BATS_TEST_TMPDIR"
    G="$BATS_TEST_DIRNAME/../config/demo/demo.grammar"
    TG="$FIX/grammar/tiny.grammar"
    cp "$FIX/grammar/tiny.fa" "$T/g.fa"
    printf 'both\t0\t14\n' > "$T/r.bed"
    "$BIN/coopmap-compare" -text "$FIX/compare/tiny_query.meme" "$FIX/compare/tiny_targets.meme" > "$T/tomtom.tsv"
}

need_full() {
    [ -n "${FULL_OK:-}" ] || skip "cannot mount a tmpfs here (needs root)"
    # the filler really left no room: a one-byte write fails
    ! printf x > "$FULL/probe" 2> /dev/null || { rm -f "$FULL/probe"; skip "tmpfs not full"; }
    rm -f "$FULL/probe"
}

# full_fails TOOL MSG CMD...: CMD exits 1 with "coopmap-TOOL: ... No space left on device"
full_fails() {
    local tool=$1; shift
    run "$@"
    assert_failure 1
    assert_output --partial "coopmap-$tool: "
    assert_output --partial "write error: No space left on device"
    refute_output --partial "Segmentation"
}

# Nothing in the full tmpfs but the filler.
only_filler() {
    run bash -c "cd '$FULL' && find . -mindepth 1 | sort"
    assert_output "./filler"
}

@test "/dev/full as every tool's output file: clear error, exit 1, partner outputs not left" {
    [ -w /dev/full ] || skip "/dev/full not available"
    cd "$T"
    full_fails scan "$BIN/coopmap-scan" --text -o /dev/full "$FIX/scan/two.meme" "$FIX/scan/coords.fa"
    assert_output "coopmap-scan: /dev/full: write error: No space left on device"
    full_fails scan "$BIN/coopmap-scan" --text -o "$T/s.tsv" --bed /dev/full "$FIX/scan/two.meme" "$FIX/scan/coords.fa"
    [ ! -e "$T/s.tsv" ]
    full_fails pairs "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -w 400 -o /dev/full "$FIX/pairs/sites.tsv"
    assert_output "coopmap-pairs: /dev/full: write error: No space left on device"
    full_fails pairs "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -w 400 -o "$T/p.tsv" -s /dev/full "$FIX/pairs/sites.tsv"
    [ ! -e "$T/p.tsv" ]
    full_fails ism "$BIN/coopmap-ism" --model "$TG" --predict "$T/g.fa" -o /dev/full
    assert_output "coopmap-ism: /dev/full: write error: No space left on device"
    full_fails ism "$BIN/coopmap-ism" --saturation --model "$TG" --genome "$T/g.fa" --regions "$T/r.bed" -o /dev/full
    "$BIN/coopmap-ism" --saturation --model "$TG" --genome "$T/g.fa" --regions "$T/r.bed" -o "$T/sat.tsv" 2> /dev/null
    full_fails ism "$BIN/coopmap-ism" --plot-saturation "$T/sat.tsv" -o /dev/full
    full_fails stats "$BIN/coopmap-stats" --long /dev/full "$FIX/stats/effects.tsv"
    assert_output "coopmap-stats: /dev/full: write error: No space left on device"
    full_fails stats "$BIN/coopmap-stats" --long "$T/l.tsv" --svg /dev/full "$FIX/stats/effects.tsv"
    [ ! -e "$T/l.tsv" ]
    full_fails compare "$BIN/coopmap-compare" -o /dev/full "$FIX/compare/tiny_query.meme" "$FIX/compare/tiny_targets.meme"
    assert_output "coopmap-compare: /dev/full: write error: No space left on device"
    full_fails family "$BIN/coopmap-family" jos --labels "$FIX/compare/jos_labels.tsv" -o /dev/full "$FIX/compare/jos_matches.tsv"
    full_fails family "$BIN/coopmap-family" jos --labels "$FIX/compare/jos_labels.tsv" -o "$T/j.tsv" --svg /dev/full "$FIX/compare/jos_matches.tsv"
    [ ! -e "$T/j.tsv" ]
    full_fails family "$BIN/coopmap-family" matrix -o /dev/full "$FIX/compare/tiny_query.meme" "$FIX/compare/tiny_targets.meme"
    full_fails family "$BIN/coopmap-family" heatmap -o /dev/full "$T/tomtom.tsv"
    run ls -A "$T"
    assert_output "$(printf '%s\n' g.fa g.fa.fai r.bed sat.tsv tomtom.tsv)"
}

@test "standard output on /dev/full: every tool says so and exits 1" {
    [ -w /dev/full ] || skip "/dev/full not available"
    run bash -c "'$BIN/coopmap-scan' --text '$FIX/scan/two.meme' '$FIX/scan/coords.fa' > /dev/full"
    assert_failure 1
    assert_output "coopmap-scan: standard output: write error: No space left on device"
    run bash -c "'$BIN/coopmap-pairs' -p '$FIX/pairs/peaks.bed' -w 400 '$FIX/pairs/sites.tsv' > /dev/full"
    assert_failure 1
    assert_output "coopmap-pairs: standard output: write error: No space left on device"
    run bash -c "'$BIN/coopmap-ism' --model '$TG' --predict '$T/g.fa' > /dev/full"
    assert_failure 1
    assert_output "coopmap-ism: standard output: write error: No space left on device"
    run bash -c "'$BIN/coopmap-stats' '$FIX/stats/effects.tsv' > /dev/full"
    assert_failure 1
    assert_output "coopmap-stats: standard output: write error: No space left on device"
    run bash -c "'$BIN/coopmap-compare' -text '$FIX/compare/tiny_query.meme' '$FIX/compare/tiny_targets.meme' > /dev/full"
    assert_failure 1
    assert_output "coopmap-compare: standard output: write error: No space left on device"
    run bash -c "'$BIN/coopmap-family' matrix '$FIX/compare/tiny_query.meme' '$FIX/compare/tiny_targets.meme' > /dev/full"
    assert_failure 1
    assert_output "coopmap-family: standard output: write error: No space left on device"
}

@test "full tmpfs: scan --oc DIR and scan -o leave nothing, not even DIR" {
    need_full
    full_fails scan "$BIN/coopmap-scan" --oc "$FULL/oc" "$FIX/scan/two.meme" "$FIX/scan/coords.fa"
    only_filler
    full_fails scan "$BIN/coopmap-scan" --text -o "$FULL/s.tsv" "$FIX/scan/two.meme" "$FIX/scan/coords.fa"
    only_filler
}

@test "full tmpfs: pairs, ism (effects, predictions, saturation + bedGraphs) leave nothing" {
    need_full
    full_fails pairs "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -w 400 -o "$FULL/p.tsv" -s "$FULL/s.tsv" "$FIX/pairs/sites.tsv"
    only_filler
    full_fails ism "$BIN/coopmap-ism" --model "$TG" --predict "$T/g.fa" -o "$FULL/pred.tsv"
    only_filler
    full_fails ism "$BIN/coopmap-ism" --saturation --model "$TG" --genome "$T/g.fa" --regions "$T/r.bed" \
        -o "$FULL/sat.tsv" --bedgraph "$FULL/sat"
    only_filler
}

@test "full tmpfs: stats -o DIR and --report DIR leave nothing, not even DIR" {
    need_full
    full_fails stats "$BIN/coopmap-stats" -o "$FULL/a/stats" "$FIX/stats/effects.tsv"
    only_filler
    full_fails stats "$BIN/coopmap-stats" --report "$FULL/rep" "$FIX/stats/effects.tsv"
    only_filler
}

@test "full tmpfs: compare -oc DIR, family and simulate -o DIR leave nothing" {
    need_full
    full_fails compare "$BIN/coopmap-compare" -o "$FULL/m.tsv" "$FIX/compare/tiny_query.meme" "$FIX/compare/tiny_targets.meme"
    only_filler
    full_fails compare "$BIN/coopmap-compare" -oc "$FULL/oc" "$FIX/compare/tiny_query.meme" "$FIX/compare/tiny_targets.meme"
    only_filler
    full_fails family "$BIN/coopmap-family" jos --labels "$FIX/compare/jos_labels.tsv" -o "$FULL/j.tsv" \
        --svg "$FULL/j.svg" "$FIX/compare/jos_matches.tsv"
    only_filler
    full_fails simulate "$BIN/coopmap-simulate" --seed 1 -o "$FULL/a/b/sim" "$G"
    only_filler
}
