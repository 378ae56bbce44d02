#!/usr/bin/env bats
# coopmap-patterns (c/patterns/, docs/patterns.md): seqlets and patterns from per-base
# importance.  Ground truth: the embedded demo (config/demo/demo.grammar, as `make demo`
# simulates it with --seed 1): 300 sequences of 500 bp with planted ELF1, SRF, NRF1 and
# CTCF sites (the model's four heads; ELF1-SRF cooperate, NRF1-CTCF compete) and the
# decoys TP53 and REST (no head).  The grammar model scores every base of every sequence
# (coopmap-ism --saturation), and the patterns are compared with the planted motifs by
# coopmap-compare (Tomtom's q-values).  Needs no ../shared.

load helpers

REPO="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
G="$REPO/config/demo/demo.grammar"

setup_file() {
    local T="$BATS_FILE_TMPDIR"
    "$BIN/coopmap-simulate" --seed 1 -o "$T/data" "$G" 2> "$T/simulate.log" || return 0
    awk -v OFS='\t' '{ print $1, 0, $2 }' "$T/data/genome.fa.fai" > "$T/regions.bed"
    "$BIN/coopmap-ism" --saturation --model "$G" --genome "$T/data/genome.fa" \
        --regions "$T/regions.bed" --bedgraph "$T/bg" --threads 2 -o "$T/sat.tsv.gz" \
        2> "$T/ism.log" || return 0
    "$BIN/coopmap-patterns" --genome "$T/data/genome.fa" -o "$T/pat" "$T/sat.tsv.gz" \
        2> "$T/patterns.log" || return 0
    "$BIN/coopmap-compare" -text -thresh 0.05 "$T/pat/patterns.meme" "$T/data/motifs.meme" \
        > "$T/tomtom.tsv" 2> /dev/null || return 0
}

setup() {
    T="$BATS_TEST_TMPDIR"
    D="$BATS_FILE_TMPDIR"
    P="$D/pat"
}

# significant matches (q <= 0.05) as "query target"
matches() { grep -v '^#' "$D/tomtom.tsv" | awk -F'\t' 'NR > 1 && NF > 5 && $6 <= 0.05 { print $1, $2 }'; }

@test "patterns: --help and --version" {
    run "$BIN/coopmap-patterns" --help
    assert_success
    assert_output --partial "--bedgraph FILE"
    assert_output --partial "DIR/patterns.meme"
    run "$BIN/coopmap-patterns" --version
    assert_output --regexp '^coopmap-patterns [0-9]'
}

@test "patterns: demo ground truth: each head's top pattern is its planted motif, no decoy matches" {
    [ -s "$P/patterns.meme" ] || { cat "$D/patterns.log" >&3; false; }
    column -t "$P/patterns.tsv" | sed 's/^/# /' >&3
    matches | sed 's/^/# match /' >&3
    for h in ELF1 SRF NRF1 CTCF; do
        # the head's largest positive pattern is HEAD_pos_0 and matches the head's motif
        run awk -F'\t' -v h=$h '$2 == h && $3 == "pos" { print $1; exit }' "$P/patterns.tsv"
        assert_output "${h}_pos_0"
        run bash -c "grep -v '^#' '$D/tomtom.tsv' | awk -F'\t' '\$1 == \"${h}_pos_0\" && NF > 5' | head -1 | cut -f2"
        assert_output "$h"
        run bash -c "grep -v '^#' '$D/tomtom.tsv' | awk -F'\t' '\$1 == \"${h}_pos_0\" && \$2 == \"$h\" { print (\$6 <= 0.05) }'"
        assert_output "1"
    done
    # no pattern matches a decoy
    run bash -c "grep -v '^#' '$D/tomtom.tsv' | awk -F'\t' 'NF > 5 && \$6 <= 0.05 && (\$2 == \"TP53\" || \$2 == \"REST\")' | wc -l"
    assert_output "0"
    # every significant match is the head's own motif or its planted partner
    # (ELF1-SRF cooperation, NRF1-CTCF competition): nothing else was learned
    run bash -c "grep -v '^#' '$D/tomtom.tsv' | awk -F'\t' 'NR > 1 && NF > 5 && \$6 <= 0.05 {
        split(\$1, a, \"_\"); p[\"ELF1\"] = \"SRF\"; p[\"SRF\"] = \"ELF1\"; p[\"NRF1\"] = \"CTCF\"; p[\"CTCF\"] = \"NRF1\"
        if (\$2 != a[1] && \$2 != p[a[1]]) bad++ } END { print bad + 0 }'"
    assert_output "0"
    # competition shows as negative importance: NRF1's negative pattern is CTCF, and back
    run bash -c "$(declare -f matches); D='$D'; matches | grep -c -e '^NRF1_neg_[0-9]* CTCF\$' -e '^CTCF_neg_[0-9]* NRF1\$'"
    [ "$output" -ge 2 ]
}

@test "patterns: instances of each head's top pattern lie on planted sites of that motif" {
    [ -s "$P/seqlets.bed" ]
    for h in ELF1 SRF NRF1 CTCF; do
        # share of the pattern's instances that overlap a planted site of h (truth.bed)
        run awk -F'\t' -v h=$h -v p="${h}_pos_0" '
            FNR == 1 { f++ } /^#/ { next }
            f == 1 && $4 == h { n[$1]++; s[$1, n[$1]] = $2; e[$1, n[$1]] = $3 }
            f == 2 && $4 == p { tot++; for (k = 1; k <= n[$1]; k++) if ($2 < e[$1, k] && s[$1, k] < $3) { hit++; break } }
            END { printf "%d %d %.3f\n", hit, tot, hit / tot }' "$D/data/truth.bed" "$P/seqlets.bed"
        echo "# $h: $output (on planted $h sites, instances, share)" >&3
        read -r hit tot share <<< "$output"
        # (a few instances may be unplanted sites the model binds: CArG boxes occur by chance)
        [ "$tot" -ge 50 ]
        awk -v s="$share" 'BEGIN { exit !(s >= 0.95) }'
    done
}

@test "patterns: outputs agree: nsites = seqlets = BED rows, share = sequences / regions, CWM widths" {
    run bash -c "grep -c '^MOTIF' '$P/patterns.meme'"
    local nmotif=$output
    run bash -c "grep -vc '^#' '$P/patterns.tsv'"
    [ "$output" -eq $((nmotif + 1)) ]
    [ "$nmotif" -ge 4 ]
    while IFS=$'\t' read -r pat head sign n nseq share cons w; do
        [ "$pat" = pattern ] && continue
        run grep -c "^MOTIF $pat $head\$" "$P/patterns.meme"
        assert_output "1"
        run bash -c "grep -A1 '^MOTIF $pat ' '$P/patterns.meme' | tail -1"
        assert_output "letter-probability matrix: alength= 4 w= $w nsites= $n E= 0"
        run bash -c "awk -F'\t' '\$4 == \"$pat\"' '$P/seqlets.bed' | wc -l"
        assert_output "$n"
        run bash -c "awk -F'\t' '\$4 == \"$pat\" { print \$1 }' '$P/seqlets.bed' | sort -u | wc -l"
        assert_output "$nseq"
        run awk -v a="$nseq" 'BEGIN { printf "%.4f\n", a / 300 }'
        assert_output "$share"
        run bash -c "awk -F'\t' '\$1 == \"$pat\"' '$P/cwm.tsv' | wc -l"
        assert_output "$w"
        [ "${#cons}" -eq "$w" ]
    done < <(grep -v '^#' "$P/patterns.tsv")
    # positive patterns have positive summed CWM, negative ones negative
    run awk -F'\t' '!/^#/ && $1 != "pattern" { s[$1] += $3 + $4 + $5 + $6 }
        END { for (p in s) if ((p ~ /_pos_/ && s[p] <= 0) || (p ~ /_neg_/ && s[p] >= 0)) bad++; print bad + 0 }' "$P/cwm.tsv"
    assert_output "0"
}

@test "patterns: deterministic: same seed twice and --threads 2 give identical files" {
    [ -s "$P/patterns.meme" ]
    run "$BIN/coopmap-patterns" --genome "$D/data/genome.fa" -o "$T/a" --threads 2 "$D/sat.tsv.gz"
    assert_success
    cmp "$P/patterns.meme" "$T/a/patterns.meme"
    for f in patterns.tsv cwm.tsv seqlets.bed; do
        diff <(grep -v '^#' "$P/$f") <(grep -v '^#' "$T/a/$f")
    done
}

@test "patterns: a bedGraph of the same importance gives the same patterns as the saturation table" {
    [ -s "$D/bg.ELF1.obs.bedGraph" ]
    run "$BIN/coopmap-patterns" --genome "$D/data/genome.fa" -o "$T/b" \
        --bedgraph "$D/bg.ELF1.obs.bedGraph" --head ELF1 --bedgraph "$D/bg.SRF.obs.bedGraph" --head SRF
    assert_success
    diff <(grep -v '^#' "$T/b/patterns.tsv") \
         <(grep -v '^#' "$P/patterns.tsv" | awk -F'\t' 'NR == 1 || $2 == "ELF1" || $2 == "SRF"')
    # the same seqlets and instances; scores agree to the %.6g rounding of the inputs
    # (the bedGraph holds -1/4 sum delta rounded, the table the rounded deltas)
    diff <(grep -v '^#' "$T/b/seqlets.bed" | cut -f1-4,6) \
         <(grep -v '^#' "$P/seqlets.bed" | awk -F'\t' '$4 ~ /^(ELF1|SRF)_/' | cut -f1-4,6)
    run bash -c "paste <(grep -v '^#' '$T/b/seqlets.bed' | cut -f5) <(grep -v '^#' '$P/seqlets.bed' | awk -F'\t' '\$4 ~ /^(ELF1|SRF)_/' | cut -f5) |
        awk '{ d = \$1 - \$2; if (d < 0) d = -d; if (d > 1e-5 * (1 + (\$2 < 0 ? -\$2 : \$2))) bad++ } END { print NR, bad + 0 }'"
    [ "${output#* }" = 0 ]
    [ "${output% *}" -ge 100 ]
}

@test "patterns: --head keeps only the heads asked for" {
    run "$BIN/coopmap-patterns" --genome "$D/data/genome.fa" -o "$T/c" --head NRF1 "$D/sat.tsv.gz"
    assert_success
    run bash -c "grep -v '^#' '$T/c/patterns.tsv' | cut -f2 | LC_ALL=C sort -u | tr '\n' ' '"
    assert_output "NRF1 head "
}

@test "patterns: a run that finds no pattern still feeds annotation and JOS (header-only tables)" {
    run "$BIN/coopmap-patterns" --genome "$D/data/genome.fa" -o "$T/z" --min-seqlets 100000 "$D/sat.tsv.gz"
    assert_success
    [ "$(grep -c '^MOTIF' "$T/z/patterns.meme")" = 0 ]
    [ "$(grep -vc '^#' "$T/z/patterns.tsv")" = 1 ]   # the header only
    # coopmap-compare: a query file without motifs warns and writes the header-only table
    run "$BIN/coopmap-compare" -text -thresh 0.5 "$T/z/patterns.meme" "$D/data/motifs.meme"
    assert_success
    assert_line --index 0 "coopmap-compare: warning: $T/z/patterns.meme: no query motifs: the output holds only its header"
    assert_line --index 1 "$(printf 'Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\tTarget_consensus\tOrientation')"
    "$BIN/coopmap-compare" -text -thresh 0.5 "$T/z/patterns.meme" "$D/data/motifs.meme" > "$T/z/tomtom.tsv" 2> /dev/null
    run "$BIN/coopmap-family" jos --labels "$T/z/patterns.tsv" --key-col pattern --label-col head \
        --thresh 0.05 -o "$T/z/jos.tsv" "$T/z/tomtom.tsv"
    assert_success
    [ "$(grep -v '^#' "$T/z/jos.tsv")" = "$(printf 'tf\tn_patterns\tn_matched\tn_pairs\tjos\tmean_matches')" ]
    # as a target database a file without motifs stays an error
    run "$BIN/coopmap-compare" -text "$D/data/motifs.meme" "$T/z/patterns.meme"
    assert_failure 1
    assert_output "coopmap-compare: $T/z/patterns.meme: no motifs found"
}

# ---------------------------------------------------------------- bad input

# the first three positions of the demo's table (1 + 36 rows) in $T/s.tsv
small() { zcat "$D/sat.tsv.gz" | grep -v '^#' | head -37 > "$T/s.tsv"; }

bad() {   # bad EXPECTED-MESSAGE-REGEX ARGS...: exit 1, the message, no output directory
    local want=$1; shift
    run "$BIN/coopmap-patterns" --genome "$D/data/genome.fa" -o "$T/out" "$@"
    assert_failure 1
    assert_output --regexp "$want"
    [ ! -e "$T/out" ]
}

@test "patterns: bad input: another genome (chrom, position, ref), named FILE:LINE, nothing written" {
    small
    sed '2s/^seq001/chrX/' "$T/s.tsv" > "$T/chr.tsv"
    bad "^coopmap-patterns: $T/chr.tsv:2: chrom chrX is not in the genome .*genome.fa" "$T/chr.tsv"
    awk -F'\t' -v OFS='\t' 'NR >= 26 { $2 = 600 } 1' "$T/s.tsv" > "$T/pos.tsv"
    bad "^coopmap-patterns: $T/pos.tsv:26: pos 600 is beyond the end of seq001 \(500 bp\)" "$T/pos.tsv"
    # position 1 is A in the genome (row 14 is its first row); say it is C
    run bash -c "sed -n 14p '$T/s.tsv' | cut -f1-3"
    local ref=${output##*$'\t'}
    local other=C; [ "$ref" = C ] && other=G
    awk -F'\t' -v OFS='\t' -v o=$other 'NR >= 14 && NR <= 25 { $3 = o; if ($4 == o) $4 = "'"$ref"'" } 1' "$T/s.tsv" > "$T/ref.tsv"
    bad "^coopmap-patterns: $T/ref.tsv:14: ref $other at seq001:1 but the genome .* has $ref there" "$T/ref.tsv"
}

@test "patterns: bad input: missing head, unknown head, empty track, thresholds out of range" {
    small
    # drop the SRF row of the second position's first alt (line 15)
    sed '15d' "$T/s.tsv" > "$T/miss.tsv"
    bad "^coopmap-patterns: $T/miss.tsv:14: seq001:1 has 2 rows of head SRF, expected 3" "$T/miss.tsv"
    bad "^coopmap-patterns: $T/s.tsv: head GATA1 not in the file \(its heads: ELF1,SRF,NRF1,CTCF\)" --head GATA1 "$T/s.tsv"
    head -1 "$T/s.tsv" > "$T/empty.tsv"
    bad "^coopmap-patterns: $T/empty.tsv:1: no data rows \(empty importance track\)" "$T/empty.tsv"
    printf 'track type=bedGraph\n' > "$T/empty.bedGraph"
    bad "^coopmap-patterns: $T/empty.bedGraph: no intervals \(empty importance track of head X\)" \
        --bedgraph "$T/empty.bedGraph" --head X
    bad "^coopmap-patterns: --fdr 0: out of range \(0, 1\]" --fdr 0 "$T/s.tsv"
    bad "^coopmap-patterns: --fdr 1.5: out of range" --fdr 1.5 "$T/s.tsv"
    bad "^coopmap-patterns: --trim -0.1: out of range \[0, 1\]" --trim -0.1 "$T/s.tsv"
    bad "^coopmap-patterns: --window 0: not an integer in 1..1000" --window 0 "$T/s.tsv"
    bad "^coopmap-patterns: 1 --bedgraph files but 0 --head names" --bedgraph "$T/empty.bedGraph"
}

# ---------------------------------------------------------------- workflow

# the demo's config with saturation of the first 60 sequences and patterns enabled
wf_config() {
    head -60 "$D/regions.bed" > "$T/reg60.bed"
    printf 'saturation: {regions: %s}\npatterns: {enabled: true}\n' "$T/reg60.bed" > "$T/pat.yaml"
}
wf() {
    snakemake -s "$REPO/workflows/snakemake/Snakefile" --configfile "$REPO/config/demo.yaml" "$T/pat.yaml" \
        --config outdir="$T/wf" genome="$D/data/genome.fa" motifs="$D/data/motifs.meme" \
        peaks="$D/data/peaks.bed" bin_dir="$(cd "$BIN" && pwd)" --directory "$REPO" "$@"
}

@test "patterns: workflow: the patterns rules follow workflows/stages.yaml (drift check)" {
    command -v snakemake > /dev/null || skip "snakemake not installed"
    wf_config
    wf -n -p --forceall > "$T/dry.txt" 2>&1 || { cat "$T/dry.txt"; false; }
    run python3 "$REPO/tests/workflow_drift.py" "$T/dry.txt" --expect patterns,patterns_compare,patterns_jos
    assert_success
    assert_line "# rule patterns: 1 command follows the table"
    assert_line "# rule patterns_jos: 1 command follows the table"
    # without patterns.enabled the rules do not run
    printf 'saturation: {regions: %s}\n' "$T/reg60.bed" > "$T/pat.yaml"
    wf -n -p --forceall > "$T/dry2.txt" 2>&1
    run grep -c '^rule patterns' "$T/dry2.txt"
    assert_output "0"
}

@test "patterns: workflow: saturation -> patterns -> annotation -> JOS per head on 60 demo sequences" {
    command -v snakemake > /dev/null || skip "snakemake not installed"
    wf_config
    wf -c 2 --quiet --until patterns_jos > "$T/run.txt" 2>&1 || { cat "$T/run.txt"; false; }
    column -t "$T/wf/patterns/patterns.tsv" | sed 's/^/# /' >&3
    # each head's top positive pattern is annotated with the head's motif
    for h in ELF1 SRF NRF1 CTCF; do
        run bash -c "grep -v '^#' '$T/wf/patterns/tomtom.tsv' | awk -F'\t' '\$1 == \"${h}_pos_0\" && NF > 5' | head -1 | cut -f2"
        assert_output "$h"
    done
    # JOS per head: one row per head with patterns, n_patterns from patterns.tsv
    run bash -c "grep -v '^#' '$T/wf/patterns/jos.tsv' | cut -f1,2 | tail -n +2 | sort | tr '\t\n' ' '"
    local want
    want=$(grep -v '^#' "$T/wf/patterns/patterns.tsv" | tail -n +2 | cut -f2 | sort | uniq -c | awk '{ printf "%s %s ", $2, $1 }')
    assert_output "$want"
}
