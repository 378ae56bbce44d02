#!/usr/bin/env bats
# The bad-input corpus (tests/bad/README.md): for every tool and every input it reads,
# the malformed files a user makes by mistake, each with the one line it must print.
# tests/bad/cases.tsv lists the cases (tool, case, arguments, message); the small bad
# files live in tests/bad/TOOL/, the big or binary ones (a 100 MB line, truncated gzip,
# BGZF without its end-of-file marker, CR-only line ends, damaged model files) are made
# here, in $G.  Every case must exit 1 (not 0, not a signal), print exactly
# "coopmap-TOOL: MESSAGE" on stderr and nothing on stdout, finish within 60 s, and
# leave its output directory empty and tests/ unchanged.  Then the valid edge cases
# (empty but well-formed inputs, all-N sequences, motifs longer than the sequence, CRLF
# line ends, BGZF without an index) give correct outputs with their headers, and the
# limits of README "Limits" hold.

load helpers

CASES="$BATS_TEST_DIRNAME/bad/cases.tsv"

setup_file() {
    export G="$BATS_FILE_TMPDIR/gen"
    mkdir -p "$G/cr" "$G/trunc" "$G/models"
    local F="$BATS_TEST_DIRNAME/fixtures" B="$BATS_TEST_DIRNAME/bad"
    # genomes (copies: the tools build .fai/.gzi next to them)
    cp "$F/ism/genome.fa" "$G/genome.fa"
    cp "$F/grammar/tiny.fa" "$G/tiny.fa"
    cp "$B/pairs/other_genome.fa" "$G/other_genome.fa"
    gzip -nc "$F/ism/genome.fa" > "$G/genome.fa.gz"
    bgzip -c "$F/ism/genome.fa" > "$G/bgzf.fa.gz"
    head -c $(( $(stat -c %s "$G/bgzf.fa.gz") - 28 )) "$G/bgzf.fa.gz" > "$G/noeof.fa.gz"
    rm "$G/bgzf.fa.gz"
    printf 'chrA\t0\t50\n' > "$G/ok.bed"
    # CR-only (old Mac) line ends
    local f
    for f in scan/two.meme scan/coords.fa pairs/sites.tsv pairs/peaks.bed ism/sources.tsv \
             stats/effects.tsv compare/jos_matches.tsv; do
        tr '\n' '\r' < "$F/$f" > "$G/cr/${f#*/}"
    done
    tr '\n' '\r' < "$BATS_TEST_DIRNAME/../config/demo/demo.grammar" > "$G/cr/demo.grammar"
    # gzip cut in the middle
    awk 'BEGIN { x = 7; for (r = 0; r < 4; r++) { print ">s" r; for (l = 0; l < 200; l++) {
             s = ""; for (i = 0; i < 60; i++) { x = (x * 1103515245 + 12345) % 2147483648;
             s = s substr("ACGT", int(x / 65536) % 4 + 1, 1) } print s } } }' > "$G/seq.fa"
    for f in "$F/scan/two.meme" "$G/seq.fa" "$F/pairs/peaks.bed" "$F/ism/sources.tsv"; do
        gzip -nc "$f" > "$G/trunc/full.gz"
        head -c $(( $(stat -c %s "$G/trunc/full.gz") / 2 )) "$G/trunc/full.gz" > "$G/trunc/$(basename "$f").gz"
    done
    rm "$G/trunc/full.gz"
    # one line of 100 MB (no line end)
    head -c 100000000 /dev/zero | tr '\0' A > "$G/big.txt"
    # scan shards, a saturation table
    "$BIN/coopmap-scan" --text --thresh 0.01 --shard 1/2 -o "$G/shard1.tsv" "$F/scan/two.meme" "$F/motif/seqs.fa"
    "$BIN/coopmap-scan" --text --thresh 0.01 --shard 2/2 -o "$G/shard2.tsv" "$F/scan/two.meme" "$F/motif/seqs.fa"
    printf 'both\t0\t14\n' > "$G/tiny.bed"
    "$BIN/coopmap-ism" --saturation --model "$F/grammar/tiny.grammar" --genome "$G/tiny.fa" \
        --regions "$G/tiny.bed" -o "$G/sat.tsv" 2> /dev/null
    tr '\n' '\r' < "$G/sat.tsv" > "$G/cr/sat.tsv"
    # the tiny ExplaiNN (needs numpy) and damaged copies of it
    make_tiny_model "$G/tiny.cmm"
    if [ -s "$G/tiny.cmm" ]; then
        local M="$G/tiny.cmm" D="$G/models"
        sed 's/^coopmap-model 1$/coopmap-model 2/' "$M" > "$D/version.cmm"
        sed 's/^kind explainn$/kind transformer/' "$M" > "$D/kind.cmm"
        sed 's/^units 3$/units 4/' "$M" > "$D/units.cmm"
        sed 's/^input_length 30$/input_length 31/' "$M" > "$D/input_length.cmm"
        sed 's/^heads AAA BBB$/heads AAA BBB CCC/' "$M" > "$D/heads.cmm"
        sed 's/^heads AAA BBB$/heads AAA AAA/' "$M" > "$D/repeated_head.cmm"
        sed 's/^tensor linears.0.weight f32 3,4,5$/tensor linears.0.weight f32 3,5,4/' "$M" > "$D/shape.cmm"
        head -c 1000 "$M" > "$D/truncated.cmm"
        { cat "$M"; echo extra; } > "$D/trailing.cmm"
        sed 's/$/\r/' "$M" > "$D/crlf.cmm"
        /usr/bin/python3 - "$M" "$D/nan.cmm" <<'EOF'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
i = d.index(b'\nend\n') + 5
d[i:i + 4] = struct.pack('<f', float('nan'))
open(sys.argv[2], 'wb').write(d)
EOF
        "$BIN/coopmap-ism" --model "$M" --genome "$G/genome.fa" --sources "$F/ism/sources.tsv" \
            --pairs "$F/ism/pairs.tsv" --shard 1/2 -o "$G/eshard1.tsv" 2> /dev/null
    fi
}

# A listing of tests/ (names and sizes): no case may write there.
tree_state() { (cd "$BATS_TEST_DIRNAME" && find bad fixtures -printf '%p %s\n' | sort); }

# expand STRING TOOL: the placeholders of cases.tsv
expand() {
    local s=$1
    s=${s//\{D\}/$BATS_TEST_DIRNAME/bad/$2}
    s=${s//\{BAD\}/$BATS_TEST_DIRNAME/bad}
    s=${s//\{FIX\}/$BATS_TEST_DIRNAME/fixtures}
    s=${s//\{G\}/$G}
    s=${s//\{O\}/$O}
    printf '%s' "$s"
}

# The message as an extended regex: literal, except {N} = a line number.
message_regex() {
    local r
    r=$(printf '%s' "$1" | sed -e 's/[][\.*^$+?(){}|/]/\\&/g' -e 's/\\{N\\}/[0-9]+/g')
    printf '^%s$' "$r"
}

# run_cases TOOL: every case of TOOL; one failure message per failing case, then fail.
run_cases() {
    local tool=$1 t id args msg n=0 bad=0 skipped=0 before after
    before=$(tree_state)
    while IFS=$'\t' read -r t id args msg; do
        [ "$t" = "$tool" ] || continue
        if [[ "$args" == *"{G}/tiny.cmm"* || "$args" == *"{G}/models/"* || "$args" == *"{G}/eshard"* ]] \
           && [ ! -s "$G/tiny.cmm" ]; then
            skipped=$((skipped + 1)); continue
        fi
        n=$((n + 1))
        O="$BATS_TEST_TMPDIR/$id"
        mkdir -p "$O"
        local -a argv
        read -r -a argv <<< "$(expand "$args" "$tool")"
        local want; want=$(expand "$msg" "$tool")
        local status=0
        timeout 60 "$BIN/coopmap-$tool" "${argv[@]}" > "$O.stdout" 2> "$O.stderr" || status=$?
        local err; err=$(cat "$O.stderr")
        local why=""
        if [ "$status" -ne 1 ]; then why="exit status $status (want 1)"
        elif ! printf '%s\n' "$err" | grep -Eq "$(message_regex "coopmap-$tool: $want")" ||
             [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ]; then why="stderr: $err"
        elif [ -s "$O.stdout" ]; then why="stdout: $(head -c 200 "$O.stdout")"
        elif [ -n "$(ls -A "$O")" ]; then why="left behind: $(ls -A "$O" | tr '\n' ' ')"
        fi
        if [ -n "$why" ]; then
            echo "# case $tool/$id: $why" >&3
            echo "#   want: coopmap-$tool: $want" >&3
            bad=$((bad + 1))
        fi
    done < <(grep -v '^#' "$CASES")
    after=$(tree_state)
    if [ "$before" != "$after" ]; then
        echo "# $tool: cases changed tests/bad or tests/fixtures:" >&3
        diff <(echo "$before") <(echo "$after") | sed 's/^/#   /' >&3
        bad=$((bad + 1))
    fi
    local sk=""
    [ "$skipped" -eq 0 ] || sk=", $skipped skipped (no numpy: no model file)"
    echo "# $tool: $n cases, $bad failed$sk" >&3
    [ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}

@test "bad input: coopmap-scan (motifs in four formats, FASTA, regions, genome, bfile, PSP, priors, shards)" {
    run_cases scan
}

@test "bad input: coopmap-pairs (sites, peaks, model, genome)" {
    run_cases pairs
}

@test "bad input: coopmap-ism (model files, genome, sources, pairs, FASTA, regions, shards, saturation tables)" {
    run_cases ism
}

@test "bad input: coopmap-stats (effects, and the report's Tomtom, JOS, run-info and saturation tables)" {
    run_cases stats
}

@test "bad input: coopmap-compare (query and target motifs, background)" {
    run_cases compare
}

@test "bad input: coopmap-family (Tomtom TSV, labels, motifs, JOS table)" {
    run_cases family
}

@test "bad input: coopmap-simulate (grammar)" {
    run_cases simulate
}

@test "bad input: coopmap-patterns (saturation table, bedGraph, genome)" {
    run_cases patterns
}

# ---------------------------------------------------------------- valid edge cases

@test "edge: an all-N sequence and a motif longer than the sequence: scan writes empty outputs with their headers" {
    local T="$BATS_TEST_TMPDIR"
    printf '>alln\nNNNNNNNNNNNNNNNNNNNN\n>short\nGATT\n' > "$T/edge.fa"
    run "$BIN/coopmap-scan" --oc "$T/oc" "$FIX/scan/two.meme" "$T/edge.fa"
    assert_success
    assert_output ""
    run head -1 "$T/oc/fimo.tsv"
    assert_output "$(printf 'motif_id\tmotif_alt_id\tsequence_name\tstart\tstop\tstrand\tscore\tp-value\tq-value\tmatched_sequence')"
    [ "$(grep -cv '^#' "$T/oc/fimo.tsv")" -eq 2 ]     # the header and the blank line before the trailer
    run cat "$T/oc/fimo.gff"
    assert_output "##gff-version 3"
    [ ! -s "$T/oc/best_site.narrowPeak" ] && [ ! -s "$T/oc/fimo.bed" ]
    grep -q '<sequence-data num-sequences="2" num-residues="24" />' "$T/oc/fimo.xml"
    # text mode writes no header without hits, as FIMO --text
    run "$BIN/coopmap-scan" --text -o "$T/t.tsv" --bed "$T/t.bed" "$FIX/scan/two.meme" "$T/edge.fa"
    assert_success
    [ -e "$T/t.tsv" ] && [ ! -s "$T/t.tsv" ] && [ -e "$T/t.bed" ] && [ ! -s "$T/t.bed" ]
}

@test "edge: empty but well-formed stage files give empty outputs with their headers (pairs, ism, stats, compare, family, simulate)" {
    local T="$BATS_TEST_TMPDIR" TAB=$'\t'
    # pairs: hits, but no peak holds one
    printf 'chrT\t5000\t6000\tK562:MAX:x\n' > "$T/far.bed"
    run "$BIN/coopmap-pairs" -p "$T/far.bed" -o "$T/p.tsv" -s "$T/s.tsv" "$FIX/pairs/sites.tsv"
    assert_success
    run body "$T/p.tsv"
    assert_output "$(printf 'pair_id\tchrom\tsource_tf\tsource_motif\tsource_start\tsource_end\tsource_strand\ttarget_tf\ttarget_motif\ttarget_start\ttarget_end\ttarget_strand\tdistance\tposition\torientation\twindow_start\twindow_end\thomotypic')"
    run body "$T/s.tsv"
    assert_output "$(printf 'site_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end')"
    # ism: a sources table with its header only; saturation of no regions
    head -2 "$FIX/ism/sources.tsv" > "$T/src.tsv"
    run "$BIN/coopmap-ism" --model "$FIX/grammar/tiny.grammar" --genome "$G/tiny.fa" --sources "$T/src.tsv" -o "$T/e.tsv"
    assert_success
    run body "$T/e.tsv"
    assert_output "$(printf 'kind\tpair_id\tchrom\tsource_tf\tsource_motif\tsource_start\tsource_end\tsource_strand\ttarget_tf\ttarget_motif\ttarget_start\ttarget_end\ttarget_strand\tdistance\tposition\torientation\twindow_start\twindow_end\thomotypic\thead\tbaseline\tko_source\tko_target\tko_both\tdelta_source\tdelta_target\tinteraction\tdraws\tseed')"
    run tail -1 "$T/e.tsv"
    assert_output "# skipped 0 rows (0 sources, 0 pairs): source TF has no model head"
    : > "$T/none.bed"
    run "$BIN/coopmap-ism" --saturation --model "$FIX/grammar/tiny.grammar" --genome "$G/tiny.fa" \
        --regions "$T/none.bed" -o "$T/sat.tsv" --bedgraph "$T/bg"
    assert_success
    run body "$T/sat.tsv"
    assert_output "$(printf 'chrom\tpos\tref\talt\thead\tbaseline\tdelta')"
    run cat "$T/bg.X.maxabs.bedGraph"
    assert_output 'track type=bedGraph name="X maxabs" description="coopmap-ism saturation, prob scale: max over alts of |delta|"'
    # stats: an effects table with its header only
    grep -E '^(#|kind)' "$FIX/stats/effects.tsv" > "$T/eff.tsv"
    run "$BIN/coopmap-stats" -o "$T/st" "$T/eff.tsv"
    assert_success
    run body "$T/st/cooperativity.tsv"
    assert_output "$(printf 'source_tf\ttarget_tf\tkind\tn\tmean\tsd\tt\tp\tscore\tq\tmasked\ttest\tfamily\tci_low\tci_high\tcohens_d')"
    run body "$T/st/cooperativity_matrix.tsv"
    assert_output "source_tf"
    run body "$T/st/distance_profile.tsv"
    assert_output "$(printf 'kind\tbin_start\tbin_end\tn\tmean_delta_target\tsd_delta_target\tmean_abs_delta_target\tn_interaction\tmean_interaction')"
    run body "$T/st/tf_ranking.tsv"
    assert_output "$(printf 'tf\tn_self\tmean_abs_self\tn_pair\tmean_abs_target_effect')"
    grep -q 'Heatmap of 0 source TFs (rows) by 0 target TFs' "$T/st/cooperativity.svg"
    # compare: no match passes -thresh 0
    run "$BIN/coopmap-compare" -thresh 0 -o "$T/m.tsv" "$FIX/compare/tiny_query.meme" "$FIX/compare/tiny_targets.meme"
    assert_success
    run head -2 "$T/m.tsv"
    assert_output "$(printf 'Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\tTarget_consensus\tOrientation\n')"
    # family: a Tomtom table without rows: every TF's patterns have no matches (JOS 0, NA
    # for a single pattern); the heatmap says so
    head -1 "$FIX/compare/jos_matches.tsv" > "$T/none.tsv"
    run "$BIN/coopmap-family" jos --labels "$FIX/compare/jos_labels.tsv" -o "$T/j.tsv" "$T/none.tsv"
    assert_success
    run body "$T/j.tsv"
    assert_output "$(printf 'tf\tn_patterns\tn_matched\tn_pairs\tjos\tmean_matches\nCTCF\t3\t0\t3\t0\t0\nFOXA1\t2\t0\t1\t0\t0\nMAX\t1\t0\t0\tNA\t0\nJUND\t2\t0\t1\t0\t0')"
    run "$BIN/coopmap-family" heatmap -o "$T/h.svg" "$T/none.tsv"
    assert_success
    grep -q 'no Tomtom rows' "$T/h.svg"
    # simulate: sequences only, nothing planted
    run "$BIN/coopmap-simulate" -o "$T/sim" "$BATS_TEST_DIRNAME/bad/simulate/bare.grammar"
    assert_success
    [ "$(grep -c '^>' "$T/sim/genome.fa")" -eq 3 ]
    run body "$T/sim/truth.bed"
    assert_output ""
    run grep -v '^# coopmap' "$T/sim/truth.bed"
    assert_output "#chrom${TAB}start${TAB}end${TAB}tf${TAB}llr${TAB}strand${TAB}module"
    run grep -v '^# coopmap' "$T/sim/peaks.bed"
    assert_output "#chrom${TAB}start${TAB}end${TAB}tf${TAB}score${TAB}strand"
}

@test "edge: an all-N window is predicted (the model's baseline), not refused" {
    printf '>a\nNNNNNNNNNNNNNN\n' > "$BATS_TEST_TMPDIR/n.fa"
    run "$BIN/coopmap-ism" --model "$FIX/grammar/tiny.grammar" --predict "$BATS_TEST_TMPDIR/n.fa"
    assert_success
    # no PWM occupancy: logit X = bias 0, logit Y = bias -1 (tiny.grammar)
    assert_line "$(printf 'a\t0\t0.5\t-1\t0.268941')"
}

# same_crlf TOOL "FILES" ARGS...: FILES (space-separated paths) are copied to lf/ as they
# are and to crlf/ with CRLF line ends; TOOL ARGS runs in each (ARGS name the files by
# their base names, outputs go to out/): standard output and every output file must be
# byte-identical.
same_crlf() {
    local tool=$1 files=$2 d f
    shift 2
    for d in lf crlf; do
        rm -rf "$BATS_TEST_TMPDIR/$d"; mkdir -p "$BATS_TEST_TMPDIR/$d/out"
        for f in $files; do
            if [ "$d" = lf ]; then cp "$f" "$BATS_TEST_TMPDIR/$d/"
            else sed 's/$/\r/' "$f" > "$BATS_TEST_TMPDIR/$d/$(basename "$f")"; fi
        done
        (cd "$BATS_TEST_TMPDIR/$d" && "$BIN/coopmap-$tool" "$@" > out/stdout 2> stderr) || {
            echo "# $tool $*: failed in $d: $(cat "$BATS_TEST_TMPDIR/$d/stderr")" >&3; return 1; }
    done
    diff -r "$BATS_TEST_TMPDIR/lf/out" "$BATS_TEST_TMPDIR/crlf/out" > /dev/null || {
        echo "# $tool $*: CRLF input gives other output" >&3; return 1; }
}

@test "edge: CRLF line ends (a file from Windows) read exactly as LF in every text input" {
    local M="$FIX/scan/two.meme" S="$BATS_TEST_DIRNAME/bad/scan"
    same_crlf scan "$M $FIX/scan/coords.fa" --oc out/oc two.meme coords.fa
    same_crlf scan "$FIX/motif/two.jaspar $FIX/motif/two.transfac $FIX/motif/seqs.fa" \
        --text --thresh 0.01 -o out/j.tsv two.jaspar seqs.fa
    same_crlf scan "$FIX/motif/two.transfac $FIX/motif/seqs.fa" --text --thresh 0.01 -o out/t.tsv two.transfac seqs.fa
    same_crlf scan "$FIX/motif/two.motif $FIX/motif/seqs.fa" --text --thresh 0.01 -o out/h.tsv --motif-format homer two.motif seqs.fa
    same_crlf scan "$M $G/genome.fa $G/ok.bed" --text --thresh 0.01 -o out/r.tsv --regions ok.bed --genome genome.fa two.meme
    same_crlf scan "$M $FIX/scan/coords.fa $S/short.bfile" --text -o out/b.tsv --bfile --uniform-- two.meme coords.fa
    same_crlf scan "$S/one.meme $S/s1.fa $S/ok.psp $S/ok.prior" --text --thresh 1 -o out/p.tsv \
        --motif-pseudo 0 --psp ok.psp --prior-dist ok.prior one.meme s1.fa
    same_crlf pairs "$FIX/pairs/sites.tsv $FIX/pairs/peaks.bed" -p peaks.bed -w 400 -o out/p.tsv -s out/s.tsv sites.tsv
    same_crlf ism "$FIX/grammar/tiny.grammar $FIX/grammar/tiny.fa" --model tiny.grammar --predict tiny.fa -o out/p.tsv
    same_crlf ism "$FIX/grammar/tiny.grammar $G/tiny.fa $G/tiny.bed" --saturation --model tiny.grammar \
        --genome tiny.fa --regions tiny.bed -o out/sat.tsv --bedgraph out/bg
    same_crlf ism "$G/sat.tsv" --plot-saturation sat.tsv -o out/f.svg
    if [ -s "$G/tiny.cmm" ]; then
        cp "$G/tiny.cmm" "$BATS_TEST_TMPDIR/tiny.cmm"
        same_crlf ism "$FIX/ism/sources.tsv $FIX/ism/pairs.tsv $G/genome.fa" --model "$BATS_TEST_TMPDIR/tiny.cmm" \
            --genome genome.fa --sources sources.tsv --pairs pairs.tsv -o out/e.tsv
    fi
    same_crlf stats "$FIX/stats/effects.tsv" -o out/st effects.tsv
    same_crlf compare "$FIX/compare/tiny_query.meme $FIX/compare/tiny_targets.meme" -o out/m.tsv tiny_query.meme tiny_targets.meme
    same_crlf family "$FIX/compare/jos_matches.tsv $FIX/compare/jos_labels.tsv" jos --labels jos_labels.tsv \
        -o out/j.tsv --svg out/j.svg jos_matches.tsv
    same_crlf family "$BATS_TEST_DIRNAME/bad/family/jos.tsv" jos-plot -o out/j.svg jos.tsv
    same_crlf simulate "$BATS_TEST_DIRNAME/../config/demo/demo.grammar" --seed 3 -n 5 -o out/sim demo.grammar
}

@test "edge: a bgzip genome without .fai and .gzi is indexed on first use and reads as the plain one" {
    local T="$BATS_TEST_TMPDIR"
    bgzip -c "$FIX/ism/genome.fa" > "$T/g.fa.gz"
    printf 'chrA\t0\t120\nchrB\t0\t60\n' > "$T/r.bed"
    "$BIN/coopmap-scan" --text --thresh 0.1 --regions "$T/r.bed" --genome "$G/genome.fa" "$FIX/scan/two.meme" > "$T/plain.tsv"
    [ "$(wc -l < "$T/plain.tsv")" -eq 42 ]
    run "$BIN/coopmap-scan" --text --thresh 0.1 --regions "$T/r.bed" --genome "$T/g.fa.gz" "$FIX/scan/two.meme"
    assert_success
    assert_output "$(cat "$T/plain.tsv")"
    [ -s "$T/g.fa.gz.fai" ] && [ -s "$T/g.fa.gz.gzi" ]
    # ism's saturation over it: the rows of the plain genome
    bgzip -c "$FIX/grammar/tiny.fa" > "$T/t.fa.gz"
    "$BIN/coopmap-ism" --saturation --model "$FIX/grammar/tiny.grammar" --genome "$G/tiny.fa" \
        --regions "$G/tiny.bed" -o "$T/plain_sat.tsv" 2> /dev/null
    run "$BIN/coopmap-ism" --saturation --model "$FIX/grammar/tiny.grammar" --genome "$T/t.fa.gz" \
        --regions "$G/tiny.bed" -o "$T/sat.tsv"
    assert_success
    [ -s "$T/t.fa.gz.fai" ] && [ -s "$T/t.fa.gz.gzi" ]
    diff <(body "$T/plain_sat.tsv") <(body "$T/sat.tsv")
    [ "$(body "$T/sat.tsv" | wc -l)" -eq 85 ]
}

# ---------------------------------------------------------------- limits (README "Limits")

@test "limits: a motif of 300 columns is scanned, 301 are refused (tests/bad cases meme_too_wide)" {
    local T="$BATS_TEST_TMPDIR"
    { printf 'MEME version 4\n\nALPHABET= ACGT\n\nMOTIF w300\nletter-probability matrix: alength= 4 w= 300\n'
      for i in $(seq 1 300); do echo "0.7 0.1 0.1 0.1"; done; } > "$T/w300.meme"
    { printf '>s\n'; head -c 400 /dev/zero | tr '\0' A; echo; } > "$T/a.fa"
    run timeout 60 "$BIN/coopmap-scan" --text --thresh 1e-30 "$T/w300.meme" "$T/a.fa"
    assert_success
    # 101 windows of 300 As on '+', each p = 0.7^300 * (correction of the pseudocount)
    [ "$(grep -c $'\tw300\t\t\|^w300\t' <<< "$output")" -eq 101 ]
}

@test "limits: a sequence line has no length limit (a chromosome on one 100 MB line), other text files 64 MiB" {
    local T="$BATS_TEST_TMPDIR"
    { printf '>chrA\n'; cat "$G/big.txt"; printf 'GATTACAG\n'; } > "$T/one_line.fa"
    run timeout 60 "$BIN/coopmap-scan" --text "$FIX/scan/two.meme" "$T/one_line.fa"
    assert_success
    # the one hit: GATTACAG at the very end (1-based 100000001-100000008)
    assert_line "$(printf 'gat\tGATTACA\tchrA\t100000001\t100000008\t+\t15.3714\t1.79e-05\t\tGATTACAG')"
    [ "${#lines[@]}" -eq 2 ]
    # the same line as a motif file is refused by the limit (cases *_one_100mb_line)
    run "$BIN/coopmap-scan" --text "$G/big.txt" "$FIX/scan/coords.fa"
    assert_failure 1
    assert_output "coopmap-scan: $G/big.txt:1: line of 100000000 bytes, longer than the limit of 64 MiB for this kind of file (not a text file, or no line ends?)"
}

@test "limits: full mode's hit table beyond the memory allowed: a clear message, exit 1, nothing left" {
    grep -q __asan_init "$BIN/coopmap-scan" && skip "an AddressSanitizer build cannot run under ulimit -v"
    local T="$BATS_TEST_TMPDIR"
    awk 'BEGIN { x = 7; print ">s"; for (l = 0; l < 20000; l++) { s = ""; for (i = 0; i < 60; i++) {
             x = (x * 1103515245 + 12345) % 2147483648; s = s substr("ACGT", int(x / 65536) % 4 + 1, 1) }
             print s } }' > "$T/s.fa"
    # --thresh 1: every one of 4.8 million windows is a hit, about 150 bytes each in memory
    run bash -c "ulimit -v 150000; exec '$BIN/coopmap-scan' --thresh 1 --oc '$T/a/oc' '$FIX/scan/two.meme' '$T/s.fa'"
    assert_failure 1
    assert_output "coopmap-scan: out of memory (the run needs more than the machine or its limits allow)"
    [ ! -e "$T/a" ]
    # --text holds the rows of one batch: with smaller batches the same scan fits
    run bash -c "ulimit -v 150000; exec '$BIN/coopmap-scan' --text --thresh 1 --batch-bases 65536 '$FIX/scan/two.meme' '$T/s.fa' | wc -l"
    assert_success
    assert_output "4799973"
}

@test "limits: numbers stay sane at the edges: p-values in (0, 1] and monotone in the score, no NaN or inf anywhere" {
    local T="$BATS_TEST_TMPDIR"
    # scan: every window (--thresh 1), full mode with q-values
    run "$BIN/coopmap-scan" --thresh 1 --oc "$T/oc" "$FIX/scan/two.meme" "$FIX/motif/seqs.fa"
    assert_success
    run awk -F'\t' 'NR > 1 && NF == 10 && !($8 > 0 && $8 <= 1 && $9 >= 0 && $9 <= 1) { print }' "$T/oc/fimo.tsv"
    assert_output ""
    # per motif, by descending score: the p-value never decreases (the score's table is monotone)
    run bash -c "awk -F'\t' 'NR > 1 && NF == 10 { print \$1 \"\t\" \$7 \"\t\" \$8 }' '$T/oc/fimo.tsv' |
        sort -t\$'\t' -k1,1 -k2,2gr -k3,3g | awk -F'\t' '\$1 == m && \$3 < p { print \"not monotone: \" \$0 }
            { m = \$1; p = \$3; n++ } END { print n }'"
    assert_output "23944"
    # stats: values at the limit, zero variance, a single value
    { grep -E '^(#|kind)' "$FIX/stats/effects.tsv"
      grep -v -E '^(#|kind)' "$FIX/stats/effects.tsv" | awk -F'\t' -v OFS='\t' '
        $1 == "self" && $4 == "CTCF" { $26 = (++k % 2) ? "1e100" : "-1e100" }
        $1 == "pair" && $4 == "CTCF" { $27 = "0.25"; $28 = "0.25" }
        { print }'; } > "$T/edge.tsv"
    run "$BIN/coopmap-stats" -o "$T/st" --profile "$T/st2.tsv" "$T/edge.tsv"
    assert_success
    for f in "$T"/oc/* "$T"/st/* "$T/st2.tsv"; do
        ! grep -v '^#' "$f" | grep -qiwE 'nan|-?inf(inity)?' || { echo "# NaN or inf in $f" >&3; return 1; }
    done
    # every p of the long table in (0, 1]
    run awk -F'\t' '!/^#/ && $1 != "source_tf" && !($8 > 0 && $8 <= 1) { print }' "$T/st/cooperativity.tsv"
    assert_output ""
}
