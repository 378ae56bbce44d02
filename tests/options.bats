#!/usr/bin/env bats
# Options out of range are refused by name, for every tool: exit 1, one message
# "coopmap-TOOL: OPTION...", and no output file or directory made.  Each case is
# "OPTION VALUE|expected message" (the message as printed, after "coopmap-TOOL: ").

load helpers

setup() {
    T="$BATS_TEST_TMPDIR"
    TG="$FIX/grammar/tiny.grammar"
    cp "$FIX/grammar/tiny.fa" "$T/g.fa"
}

# refused TOOL "BASE ARGS" CASE...: each CASE "OPT VALUE|MESSAGE" (BASE is split on blanks)
refused() {
    local tool=$1 base=$2 c opt msg
    shift 2
    for c in "$@"; do
        opt=${c%%|*} msg=${c#*|}
        # shellcheck disable=SC2086
        run "$BIN/coopmap-$tool" $opt $base
        assert_failure 1
        assert_output "coopmap-$tool: $msg"
    done
    run ls -A "$T"
    assert_output "g.fa"
}

@test "options: coopmap-scan refuses out-of-range values by name" {
    refused scan "--oc $T/oc $FIX/scan/two.meme $FIX/scan/coords.fa" \
        "--thresh 2|--thresh: '2' is not a p- or q-value in [0, 1]" \
        "--thresh -1|--thresh: '-1' is not a p- or q-value in [0, 1]" \
        "--thresh nan|--thresh: 'nan' is not a p- or q-value in [0, 1]" \
        "--threads 0|--threads: '0' is not an integer in 1..1024" \
        "--threads x|--threads: 'x' is not an integer in 1..1024" \
        "--motif-pseudo -1|--motif-pseudo: '-1' is not a number >= 0" \
        "--max-stored-scores 0|--max-stored-scores: '0' is not an integer >= 1" \
        "--verbosity 9|--verbosity: '9' is not an integer in 1..5 (FIMO's levels)" \
        "--batch-bases 0|--batch-bases: '0' is not an integer >= 1" \
        "--shard 2/1|--shard: expected K/N with 1 <= K <= N, got '2/1'"
}

@test "options: coopmap-pairs refuses out-of-range values by name (exit 1, as every tool)" {
    refused pairs "-p $FIX/pairs/peaks.bed -o $T/p.tsv $FIX/pairs/sites.tsv" \
        "--window 0|--window: '0' is not an integer in 1..1000000000" \
        "--window 99999999999|--window: '99999999999' is not an integer in 1..1000000000" \
        "--window 1.5|--window: '1.5' is not an integer in 1..1000000000" \
        "--max-distance -1|--max-distance: '-1' is not a number in [0, 1e9]" \
        "--max-distance nan|--max-distance: 'nan' is not a number in [0, 1e9]" \
        "--max-distance inf|--max-distance: 'inf' is not a number in [0, 1e9]" \
        "--threads 0|--threads: '0' is not an integer in 1..4096"
    run "$BIN/coopmap-pairs" --no-such-option "$FIX/pairs/sites.tsv"
    assert_failure 1
}

@test "options: coopmap-ism refuses out-of-range values by name" {
    refused ism "--model $TG --genome $T/g.fa --sources $FIX/ism/sources.tsv -o $T/e.tsv" \
        "--threads 0|--threads: expected an integer in 1..4096, got '0'" \
        "--draws 0|--draws: expected an integer in 1..1000000, got '0'" \
        "--draws -3|--draws: expected an integer in 1..1000000, got '-3'" \
        "--seed -1|--seed: expected an unsigned 64-bit integer, got '-1'" \
        "--model-timeout -1|--model-timeout: expected seconds >= 0, got '-1'" \
        "--filter-threshold 1.5|--filter-threshold: expected a number in 0..1, got '1.5'" \
        "--shard 0/1|--shard: expected K/N with 1 <= K <= N, got '0/1'" \
        "--scale x|--scale: expected prob or logit, got 'x'" \
        "--knockout x|--knockout: expected random, shuffle, gc or N, got 'x'"
}

@test "options: coopmap-stats refuses out-of-range values by name" {
    refused stats "-o $T/out $FIX/stats/effects.tsv" \
        "--alpha 0|--alpha: '0' is not a number in (0, 1]" \
        "--alpha 2|--alpha: '2' is not a number in (0, 1]" \
        "--bin 0|--bin: '0' is not a positive integer" \
        "--threads 0|--threads: '0' is not a positive integer" \
        "--permutations -5|--permutations: '-5' is not an integer in [1, 1e9]" \
        "--seed -1|--seed: '-1' is not a non-negative integer" \
        "--top 0|--top: '0' is not a positive integer" \
        "--tomtom-thresh 0|--tomtom-thresh: '0' is not a number > 0" \
        "--values maybe|--values: 'maybe' is not auto, yes or no"
}

@test "options: coopmap-simulate refuses out-of-range values by name" {
    refused simulate "-o $T/sim $TG" \
        "--seed -1|--seed: expected an unsigned 64-bit integer, got '-1'" \
        "--count 0|--count: expected an integer in 1..100000000, got '0'" \
        "--threads 0|--threads: expected an integer in 1..4096, got '0'"
}

@test "options: coopmap-compare refuses out-of-range values by name" {
    refused compare "-oc $T/oc $FIX/compare/tiny_query.meme $FIX/compare/tiny_targets.meme" \
        "-thresh -1|-thresh -1: not a number >= 0" \
        "-min-overlap 0|-min-overlap 0: not an integer >= 1" \
        "--threads 0|--threads 0: not an integer in 1..1024" \
        "-motif-pseudo -1|-motif-pseudo -1: not a number >= 0"
}

@test "options: coopmap-family refuses out-of-range values by name" {
    local K="knn --labels $FIX/compare/jos_labels.tsv -o $T/k.tsv $FIX/compare/tiny_query.meme" c
    run "$BIN/coopmap-family" jos --thresh -1 --labels "$FIX/compare/jos_labels.tsv" -o "$T/j.tsv" "$FIX/compare/jos_matches.tsv"
    assert_failure 1
    assert_output "coopmap-family: --thresh -1: not a number >= 0"
    for c in "--kmax 0|--kmax 0: not an integer in 1..100000" \
             "--min-class -1|--min-class -1: not an integer in 0..100000" \
             "--neighbour-thresh -1|--neighbour-thresh -1: not a number >= 0" \
             "--confusion-k 0|--confusion-k 0: not an integer in 1..100000"; do
        # shellcheck disable=SC2086
        run "$BIN/coopmap-family" ${K%% *} ${c%%|*} ${K#* }
        assert_failure 1
        assert_output "coopmap-family: ${c#*|}"
    done
    run "$BIN/coopmap-family" matrix --threads 0 "$FIX/compare/tiny_query.meme" "$FIX/compare/tiny_targets.meme"
    assert_failure 1
    assert_output "coopmap-family: --threads 0: not an integer in 1..1024"
    run "$BIN/coopmap-family" matrix --motif-pseudo -1 "$FIX/compare/tiny_query.meme" "$FIX/compare/tiny_targets.meme"
    assert_failure 1
    assert_output "coopmap-family: --motif-pseudo -1: not a number > 0"
    run ls -A "$T"
    assert_output "g.fa"
}
