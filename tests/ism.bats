#!/usr/bin/env bats
# coopmap-ism and scripts/coopmap-convert-model.
# Self-made case (tests/fixtures/ism): a 120 bp chrA (NNNN at 60-63) and a 60 bp
# lower-case chrB; a tiny random ExplaiNN (3 units, filter 5, input 30, pool 3/3,
# hidden 4, heads AAA,BBB) made by make_tiny_model.py (numpy) and the converter.
# sources.tsv: s1 s2 s4 evaluated, s3 (TF CCC, no head) skipped; pairs.tsv: p1 p2 p4 p5
# p6 evaluated, p3 (CCC) skipped.  Windows are 0-based half-open, 30 bp.
# Real-data tests use ../shared (the MAX/FOXA1/JUND ExplaiNN and hg19 chr22).

load helpers

CONV="$BATS_TEST_DIRNAME/../scripts/coopmap-convert-model"
MDIR="$SHARED/data/models/explainn_MAX_FOXA1_JUND"

setup_file() {
    make_tiny_model "$BATS_FILE_TMPDIR/tiny.cmm"
}

setup() {
    T="$BATS_TEST_TMPDIR"
    I="$FIX/ism"
    TINY="$BATS_FILE_TMPDIR/tiny.cmm"
    cp "$I/genome.fa" "$T/genome.fa"    # the index is built next to it
}

need_tiny() {
    [ -s "$TINY" ] || skip "no python3 with numpy to make the tiny model"
}

# Run ISM on the fixtures with extra options; output in $T/$1.
ism() {
    local out=$1; shift
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --sources "$I/sources.tsv" \
        --pairs "$I/pairs.tsv" -o "$T/$out" "$@"
}

# Predict every record of FASTA $2 with model $1; print column $3 of the prediction
# rows (2 = logit of the first head, 4 = of the second), separated by single spaces.
predict_col() {
    "$BIN/coopmap-ism" --model "$1" --predict "$2" -o "$2.tsv" &&
        body "$2.tsv" | awk -F'\t' -v c="$3" 'NR > 1 { printf "%s%s", sep, $c; sep = " " }'
}

# Sequence of chrom:start-end (0-based half-open) of the fixture genome, upper case.
window_seq() {
    python3 - "$T/genome.fa" "$1" "$2" "$3" <<'PY'
import sys
seqs, name = {}, None
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith('>'): name = line[1:].split()[0]; seqs[name] = ''
    else: seqs[name] += line
print(seqs[sys.argv[2]][int(sys.argv[3]):int(sys.argv[4])].upper())
PY
}

@test "ism: --version and --help" {
    run "$BIN/coopmap-ism" --version
    assert_success
    assert_output "coopmap-ism 0.1.0"
    run "$BIN/coopmap-ism" --help
    assert_success
    for o in --model --genome --sources --pairs --draws --seed --knockout --scale --threads --predict --output --version; do
        assert_output --partial -- "$o"
    done
}

@test "convert: .pth and .npz of the real model give byte-identical files" {
    need_shared
    py=$(numpy_python) || skip "no python3 with numpy for the .npz"
    run "$CONV" "$MDIR/model_epoch_best_4.pth" --heads MAX,FOXA1,JUND -o "$T/a.cmm"
    assert_success
    run "$py" "$CONV" "$MDIR/explainn_MAX_FOXA1_JUND.npz" --heads MAX,FOXA1,JUND -o "$T/b.cmm"
    assert_success
    cmp "$T/a.cmm" "$T/b.cmm"
    run head -5 "$T/a.cmm"
    assert_line --index 0 "coopmap-model 1"
    assert_line --index 1 "kind explainn"
    assert_line --index 2 "input_length 200"
    assert_line --index 4 "heads MAX FOXA1 JUND"
    # the data section is the flat float32 dump shipped with the model
    local hdr=$(grep -a -b -m1 '^end$' "$T/a.cmm" | cut -d: -f1)
    tail -c +$((hdr + 5)) "$T/a.cmm" | cmp - "$MDIR/explainn_MAX_FOXA1_JUND.f32.bin"
}

@test "predict: 118 real hg19 chr22 windows match the reference logits within 1e-3" {
    need_shared
    "$CONV" "$MDIR/model_epoch_best_4.pth" --heads MAX,FOXA1,JUND -o "$T/m.cmm"
    awk -F'\t' 'NR > 1 { print ">" $1; print $5 }' "$MDIR/reference_logits_hg19_chr22.tsv" > "$T/ref.fa"
    run "$BIN/coopmap-ism" --model "$T/m.cmm" --predict "$T/ref.fa" --threads 2 -o "$T/pred.tsv"
    assert_success
    run bash -c "grep -v '^#' '$T/pred.tsv' | head -1"
    assert_output "$(printf 'name\tlogit_MAX\tprob_MAX\tlogit_FOXA1\tprob_FOXA1\tlogit_JUND\tprob_JUND')"
    run python3 - "$MDIR/reference_logits_hg19_chr22.tsv" "$T/pred.tsv" <<'PY'
import math, sys
ref = [l.rstrip('\n').split('\t') for l in open(sys.argv[1])][1:]
pred = [l.rstrip('\n').split('\t') for l in open(sys.argv[2]) if not l.startswith('#')][1:]
assert len(ref) == len(pred) == 118, (len(ref), len(pred))
mx = 0.0
for r, p in zip(ref, pred):
    assert r[0] == p[0]
    for j in range(3):
        lg = float(p[1 + 2 * j])
        mx = max(mx, abs(float(r[5 + j]) - lg))
        assert abs(float(p[2 + 2 * j]) - 1 / (1 + math.exp(-lg))) < 1e-5
print("max abs logit difference %.3g" % mx)
sys.exit(0 if mx <= 1e-3 else 1)
PY
    echo "# $output" >&3
    assert_success
}

@test "ism: real model on the bgzip genome; baseline = predict on the same window" {
    need_shared
    "$CONV" "$MDIR/model_epoch_best_4.pth" --heads MAX,FOXA1,JUND -o "$T/m.cmm"
    # reference row 1: FOXA1 peak chr22:21128222-21128422; knock out 20 bp at its centre
    printf 'site_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end\nf1\tchr22\tfoxa1\tM\t21128312\t21128332\t+\t21128222\t21128422\n' > "$T/src.tsv"
    run "$BIN/coopmap-ism" --model "$T/m.cmm" --genome "$SHARED/data/genome/hg19_chr22_1-22000000.fa.gz" \
        --sources "$T/src.tsv" -o "$T/e.tsv"
    assert_success
    awk -F'\t' 'NR == 2 { print ">" $1; print $5 }' "$MDIR/reference_logits_hg19_chr22.tsv" > "$T/one.fa"
    want=$(predict_col "$T/m.cmm" "$T/one.fa" 5)    # prob_FOXA1
    run bash -c "grep -v '^#' '$T/e.tsv' | awk -F'\t' 'NR == 2 { print \$20, \$21 }'"
    assert_output "FOXA1 $want"
}

@test "ism: identical output with --threads 1 and 2" {
    need_tiny
    ism one.tsv --threads 1
    assert_success
    ism two.tsv --threads 2
    assert_success
    cmp <(body "$T/one.tsv") <(body "$T/two.tsv")
    run body "$T/one.tsv"
    assert_equal "${#lines[@]}" 9    # header + 3 self + 5 pair
}

@test "ism: row order does not change per-row values" {
    need_tiny
    ism a.tsv
    { grep -E '^(#|pair_id)' "$I/pairs.tsv"; grep -vE '^(#|pair_id)' "$I/pairs.tsv" | tac; } > "$T/rev.tsv"
    { grep -E '^(#|site_id)' "$I/sources.tsv"; grep -vE '^(#|site_id)' "$I/sources.tsv" | tac; } > "$T/revs.tsv"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --sources "$T/revs.tsv" --pairs "$T/rev.tsv" -o "$T/b.tsv"
    assert_success
    cmp <(body "$T/a.tsv" | sort) <(body "$T/b.tsv" | sort)
    # and the order of rows follows the input
    run bash -c "grep '^pair' '$T/b.tsv' | cut -f2 | tr '\n' ' '"
    assert_output "p6 p5 p4 p2 p1 "
}

@test "ism: columns, self rows and deltas / interaction consistent" {
    need_tiny
    ism e.tsv --draws 5 --seed 7
    assert_success
    run head -1 "$T/e.tsv"
    assert_output --regexp "^# coopmap-ism 0\.1\.0: .*coopmap-ism --model "
    run python3 - "$T/e.tsv" <<'PY'
import sys
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if not l.startswith('#')]
hdr = rows[0]
assert hdr == ("kind pair_id chrom source_tf source_motif source_start source_end source_strand "
               "target_tf target_motif target_start target_end target_strand distance position "
               "orientation window_start window_end homotypic head baseline ko_source ko_target "
               "ko_both delta_source delta_target interaction draws seed").split(), hdr
kinds = [r[0] for r in rows[1:]]
assert kinds == ['self'] * 3 + ['pair'] * 5, kinds
for r in rows[1:]:
    assert len(r) == 29, r
    d = dict(zip(hdr, r))
    assert d['draws'] == '5' and d['seed'] == '7'
    b, ks = float(d['baseline']), float(d['ko_source'])
    assert 0 < b < 1 and 0 < ks < 1
    assert abs(float(d['delta_source']) - (ks - b)) < 2e-6, d
    if d['kind'] == 'self':
        for c in ('target_tf', 'target_motif', 'target_start', 'target_end', 'target_strand',
                  'distance', 'position', 'orientation', 'homotypic', 'ko_target', 'ko_both',
                  'delta_target', 'interaction'):
            assert d[c] == '', (c, d)
    else:
        kt, kb = float(d['ko_target']), float(d['ko_both'])
        assert abs(float(d['delta_target']) - (kt - b)) < 2e-6, d
        assert abs(float(d['interaction']) - (kb - ks - kt + b)) < 4e-6, d
byid = {r[1]: dict(zip(hdr, r)) for r in rows[1:]}
# s1 and p1/p4 share the window chrA:8-38 and the head AAA: same baseline
assert byid['s1']['baseline'] == byid['p1']['baseline'] == byid['p4']['baseline']
assert byid['s2']['head'] == 'BBB' and byid['p6']['head'] == 'AAA'   # case-insensitive match
# self and pair knockouts of the same site are independent draws
assert byid['s1']['ko_source'] != byid['p1']['ko_source']
print('ok')
PY
    assert_success
    assert_output "ok"
}

@test "ism: N-mask knockouts equal predictions of hand-masked windows" {
    need_tiny
    ism e.tsv --knockout N --scale logit --draws 7
    assert_success
    # p1: window chrA [8,38), source [20,26) -> offsets 12..17, target [30,35) -> 22..26
    w=$(window_seq chrA 8 38)
    mask() { local s=$1 a=$2 b=$3; echo "${s:0:a}$(printf 'N%.0s' $(seq $a $((b - 1))))${s:b}"; }
    ks=$(mask "$w" 12 18); kt=$(mask "$w" 22 27); kb=$(mask "$ks" 22 27)
    printf '>base\n%s\n>ks\n%s\n>kt\n%s\n>kb\n%s\n' "$w" "$ks" "$kt" "$kb" > "$T/h.fa"
    want=$(predict_col "$TINY" "$T/h.fa" 2)      # logit_AAA
    run bash -c "grep -P '^pair\tp1\t' '$T/e.tsv' | cut -f21-24,28 | tr '\t' ' '"
    assert_output "$want 1"
    # s2: window chrA [38,68) (holds NNNN at 60-63), site [50,55) -> offsets 12..16, head BBB
    w=$(window_seq chrA 38 68)
    printf '>b\n%s\n>k\n%s\n' "$w" "$(mask "$w" 12 17)" > "$T/s.fa"
    want=$(predict_col "$TINY" "$T/s.fa" 4)      # logit_BBB
    run bash -c "grep -P '^self\ts2\t' '$T/e.tsv' | cut -f21,22 | tr '\t' ' '"
    assert_output "$want"
}

@test "ism: seed and draws change random knockouts; same seed reproduces" {
    need_tiny
    for args in "a.tsv --seed 3" "b.tsv --seed 3" "c.tsv --seed 4" "d.tsv --seed 3 --draws 1"; do
        ism $args
        assert_success
    done
    cmp <(body "$T/a.tsv") <(body "$T/b.tsv")
    run cmp -s <(body "$T/a.tsv" | cut -f22) <(body "$T/c.tsv" | cut -f22)
    assert_failure
    run cmp -s <(body "$T/a.tsv" | cut -f22) <(body "$T/d.tsv" | cut -f22)
    assert_failure
    # baselines do not depend on the knockouts
    cmp <(body "$T/a.tsv" | cut -f21) <(body "$T/c.tsv" | cut -f21)
}

@test "ism: rows whose source TF has no head are skipped and counted" {
    need_tiny
    ism e.tsv
    assert_success
    assert_output --partial "info: 3 self rows, 5 pair rows written; skipped 2 rows (1 sources, 1 pairs) whose source TF has no model head (heads: AAA BBB)"
    run tail -1 "$T/e.tsv"
    assert_output "# skipped 2 rows (1 sources, 1 pairs): source TF has no model head"
    run grep -cP '\t(s3|p3)\t' "$T/e.tsv"
    assert_output "0"
}

@test "ism: bad input rows give FILE:LINE errors and no output file" {
    need_tiny
    # line 4 = data row 2 (after a comment and the header)
    sed '4s/\t50\t/\tfifty\t/' "$I/pairs.tsv" > "$T/p.tsv"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --pairs "$T/p.tsv" -o "$T/o.tsv"
    assert_failure
    assert_output "coopmap-ism: $T/p.tsv:4: source_start 'fifty' is not a non-negative integer"
    [ ! -e "$T/o.tsv" ]
    [ -z "$(ls "$T" | grep 'o.tsv.tmp')" ]
    sed '5s/\t0$//' "$I/pairs.tsv" > "$T/p.tsv"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --pairs "$T/p.tsv" -o "$T/o.tsv"
    assert_failure
    assert_output "coopmap-ism: $T/p.tsv:5: 17 fields, the header has 18"
    sed '2s/source_tf/src_tf/' "$I/pairs.tsv" > "$T/p.tsv"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --pairs "$T/p.tsv" -o "$T/o.tsv"
    assert_failure
    assert_output --partial "coopmap-ism: $T/p.tsv:2: header has no column 'source_tf'"
    # a pairs file given as --sources
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --sources "$I/pairs.tsv" -o "$T/o.tsv"
    assert_failure
    assert_output --partial "pairs.tsv:2: header has no column 'site_id'"
    [ ! -e "$T/o.tsv" ]
}

@test "ism: window length must equal the model input length" {
    need_tiny
    sed '4s/\t38\t68$/\t38\t69/' "$I/sources.tsv" > "$T/s.tsv"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --sources "$T/s.tsv" -o "$T/o.tsv"
    assert_failure
    assert_output "coopmap-ism: $T/s.tsv:4: window chrA:38-69 is 31 bp, the model's input length is 30"
    [ ! -e "$T/o.tsv" ]
}

@test "ism: window off the sequence or on an unknown chrom is an error" {
    need_tiny
    printf 'site_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end\nx\tchrB\tAAA\tm\t40\t45\t+\t35\t65\n' > "$T/s.tsv"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --sources "$T/s.tsv" -o "$T/o.tsv"
    assert_failure
    assert_output --partial "s.tsv:2: $T/genome.fa: window chrB:35-65 runs past the end of chrB (length 60)"
    printf 'site_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end\nx\tchrZ\tAAA\tm\t40\t45\t+\t35\t65\n' > "$T/s.tsv"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --sources "$T/s.tsv" -o "$T/o.tsv"
    assert_failure
    assert_output --partial "s.tsv:2: $T/genome.fa: no sequence named 'chrZ'"
    [ ! -e "$T/o.tsv" ]
}

@test "ism: --predict rejects sequences of the wrong length with FILE:LINE" {
    need_tiny
    printf '>a\n%s\n>b\n%s\n' "$(window_seq chrA 0 30)" "$(window_seq chrA 0 29)" > "$T/x.fa"
    run "$BIN/coopmap-ism" --model "$TINY" --predict "$T/x.fa" -o "$T/o.tsv"
    assert_failure
    assert_output "coopmap-ism: $T/x.fa:3: sequence 'b' is 29 bp, the model's input length is 30"
    [ ! -e "$T/o.tsv" ]
}

@test "ism: damaged model files and bad options are clear errors" {
    need_tiny
    head -c -5 "$TINY" > "$T/bad.cmm"
    run "$BIN/coopmap-ism" --model "$T/bad.cmm" --predict "$I/genome.fa"
    assert_failure
    assert_output --partial "coopmap-ism: $T/bad.cmm: truncated model file: tensor 'final.bias' needs 8 bytes, only 3 left"
    echo "hello" > "$T/bad.cmm"
    run "$BIN/coopmap-ism" --model "$T/bad.cmm" --predict "$I/genome.fa"
    assert_failure
    assert_output --partial "$T/bad.cmm:1: not a coopmap model file"
    ism o.tsv --draws 0
    assert_failure
    assert_output "coopmap-ism: --draws: expected an integer in 1..1000000, got '0'"
    ism o.tsv --scale odds
    assert_failure
    assert_output "coopmap-ism: --scale: expected prob or logit, got 'odds'"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" -o "$T/o.tsv"
    assert_failure
    assert_output --partial "give --sources and/or --pairs"
}

@test "convert: head count and input length are checked" {
    need_tiny
    py=$(numpy_python)
    run "$py" "$CONV" "$BATS_FILE_TMPDIR/tiny.npz" --heads AAA --input-length 30 --pool-size 3 --pool-stride 3 -o "$T/x.cmm"
    assert_failure
    assert_output --partial "--heads names 1 outputs, the model has 2"
    run "$py" "$CONV" "$BATS_FILE_TMPDIR/tiny.npz" --heads AAA,BBB --input-length 40 --pool-size 3 --pool-stride 3 -o "$T/x.cmm"
    assert_failure
    assert_output --partial "--input-length 40 does not fit the model: filter 5 and pool 3/3 give 12 pooled positions per unit, linears.6.weight expects 8 (input lengths 28..30 fit)"
    [ ! -e "$T/x.cmm" ]
    run "$py" "$CONV" "$BATS_FILE_TMPDIR/tiny.npz" --heads AAA,BBB --input-length 28 --pool-size 3 --pool-stride 3 -o "$T/x.cmm"
    assert_success
    run head -3 "$T/x.cmm"
    assert_line --index 2 "input_length 28"
}

@test "convert: .pth with strided, float64, shared-storage tensors (made without torch)" {
    need_tiny
    py=$(numpy_python)
    "$py" "$I/make_fake_pth.py" "$BATS_FILE_TMPDIR/tiny.npz" "$T/fake.pth"
    run "$CONV" "$T/fake.pth" --heads AAA,BBB --input-length 30 --pool-size 3 --pool-stride 3 -o "$T/fake.cmm"
    assert_success
    cmp "$T/fake.cmm" "$TINY"
}

@test "convert: a checkpoint that unpickles anything but tensors is refused" {
    python3 - "$T/evil.pth" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("archive/data.pkl", b"cos\nsystem\n(S'touch EVIL'\ntR.")
PY
    cd "$T"
    run "$CONV" "$T/evil.pth" --heads A -o "$T/x.cmm"
    assert_failure
    assert_output --partial "checkpoint refers to os.system"
    [ ! -e "$T/EVIL" ]     # (one test per line: errexit ignores all but the last of an && list)
    [ ! -e "$T/x.cmm" ]
    echo "not a zip" > "$T/junk.pth"
    run "$CONV" "$T/junk.pth" --heads A -o "$T/x.cmm"
    assert_failure
    assert_output --partial "coopmap-convert-model: $T/junk.pth: not a PyTorch zip checkpoint"
}

# Knockout modes shuffle and gc, checked against every possible knockout: the window
# with each arrangement of the site's bases that has its dinucleotide counts (shuffle;
# CAAAACCA at chrA 15-23 has 8) or each C/G filling of an all-G/C site (gc: GGCG at
# chrA 36-40 has GC fraction 1, so every base is C or G: 16 fillings).
@test "ism: --knockout shuffle and gc draw only the allowed sequences" {
    need_tiny
    printf 'site_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end\nsh\tchrA\tAAA\tm\t15\t23\t+\t8\t38\ngc\tchrA\tAAA\tm\t36\t40\t+\t20\t50\nnn\tchrA\tBBB\tm\t60\t64\t+\t40\t70\n' > "$T/src.tsv"
    python3 - "$T" "$(window_seq chrA 8 38)" "$(window_seq chrA 20 50)" <<'PY'
import collections, itertools, sys
t, w1, w2 = sys.argv[1:4]
dn = lambda s: collections.Counter(s[i:i + 2] for i in range(len(s) - 1))
site = w1[7:15]
assert site == "CAAAACCA", site
sh = sorted(set("".join(p) for p in itertools.permutations(site) if dn("".join(p)) == dn(site)))
assert len(sh) == 8, sh
gc = ["".join(p) for p in itertools.product("CG", repeat=4)]
assert w2[16:20] == "GGCG"
with open(t + "/sh.fa", "w") as f:
    for s in sh: f.write(">s\n%s\n" % (w1[:7] + s + w1[15:]))
with open(t + "/gc.fa", "w") as f:
    for s in gc: f.write(">g\n%s\n" % (w2[:16] + s + w2[20:]))
PY
    allowed_sh=" $(predict_col "$TINY" "$T/sh.fa" 2) "    # logit_AAA of each candidate
    allowed_gc=" $(predict_col "$TINY" "$T/gc.fa" 2) "
    declare -A seen_sh seen_gc
    for s in 1 2 3 4 5 6 7 8 9 10; do
        run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --sources "$T/src.tsv" \
            --knockout shuffle --draws 1 --scale logit --seed $s -o "$T/s.tsv"
        assert_success
        v=$(grep -P '^self\tsh\t' "$T/s.tsv" | cut -f22)
        [[ "$allowed_sh" == *" $v "* ]] || { echo "shuffle seed $s: $v not in$allowed_sh"; false; }
        seen_sh[$v]=1
        # NNNN shuffles to itself: no effect
        run bash -c "grep -P '^self\tnn\t' '$T/s.tsv' | cut -f25"
        assert_output "0"
        run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --sources "$T/src.tsv" \
            --knockout gc --draws 1 --scale logit --seed $s -o "$T/g.tsv"
        assert_success
        v=$(grep -P '^self\tgc\t' "$T/g.tsv" | cut -f22)
        [[ "$allowed_gc" == *" $v "* ]] || { echo "gc seed $s: $v not in$allowed_gc"; false; }
        seen_gc[$v]=1
    done
    echo "# distinct knockouts in 10 seeds: shuffle ${#seen_sh[@]}, gc ${#seen_gc[@]}" >&3
    [ "${#seen_sh[@]}" -ge 3 ]
    [ "${#seen_gc[@]}" -ge 3 ]
}

@test "ism: shuffle and gc knockouts: thread-independent, averaged over draws, unlike random" {
    need_tiny
    for ko in shuffle gc; do
        ism $ko.1.tsv --knockout $ko --threads 1
        assert_success
        ism $ko.2.tsv --knockout $ko --threads 2
        assert_success
        cmp <(body "$T/$ko.1.tsv") <(body "$T/$ko.2.tsv")
        run bash -c "grep -v '^#' '$T/$ko.1.tsv' | awk -F'\t' 'NR > 1 { print \$28 }' | sort -u"
        assert_output "10"
    done
    ism random.tsv
    run cmp -s <(body "$T/random.tsv" | cut -f22) <(body "$T/gc.1.tsv" | cut -f22)
    assert_failure
    run cmp -s <(body "$T/shuffle.1.tsv" | cut -f22) <(body "$T/gc.1.tsv" | cut -f22)
    assert_failure
    # the baselines do not depend on the mode
    cmp <(body "$T/random.tsv" | cut -f21) <(body "$T/shuffle.1.tsv" | cut -f21)
    ism o.tsv --knockout dinuc
    assert_failure
    assert_output "coopmap-ism: --knockout: expected random, shuffle, gc or N, got 'dinuc'"
}

@test "ism: files from another genome fail even on rows without a model head" {
    need_tiny
    # s3 (TF CCC, no head, skipped) moved to a chrom the genome lacks
    sed '5s/^s3\tchrA/s3\tchr7/' "$I/sources.tsv" > "$T/s.tsv"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --sources "$T/s.tsv" -o "$T/o.tsv"
    assert_failure
    assert_output "coopmap-ism: $T/s.tsv:5: $T/genome.fa: no sequence named 'chr7'"
    [ ! -e "$T/o.tsv" ]
    # p3 (CCC) moved to a window past the end of chrA (120 bp)
    awk -F'\t' -v OFS='\t' 'NR == 5 { $5 = 105; $6 = 111; $10 = 112; $11 = 118; $16 = 100; $17 = 130 } 1' \
        "$I/pairs.tsv" > "$T/p.tsv"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --pairs "$T/p.tsv" -o "$T/o.tsv"
    assert_failure
    assert_output "coopmap-ism: $T/p.tsv:5: $T/genome.fa: window chrA:100-130 runs past the end of chrA (length 120)"
    [ ! -e "$T/o.tsv" ]
    [ -z "$(ls "$T" | grep 'o.tsv')" ]
}

@test "ism: a site outside its window is an error" {
    need_tiny
    sed '3s/\t20\t26\t+\t8\t38$/\t40\t46\t+\t8\t38/' "$I/sources.tsv" > "$T/s.tsv"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --sources "$T/s.tsv" -o "$T/o.tsv"
    assert_failure
    assert_output "coopmap-ism: $T/s.tsv:3: source site 40-46 lies outside the window 8-38"
    sed '3s/\t30\t35\t-\t9.5/\t38\t43\t-\t9.5/' "$I/pairs.tsv" > "$T/p.tsv"
    run "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --pairs "$T/p.tsv" -o "$T/o.tsv"
    assert_failure
    assert_output "coopmap-ism: $T/p.tsv:3: target site 38-43 lies outside the window 8-38"
    [ ! -e "$T/o.tsv" ]
}

@test "ism: knockouts through the incremental path equal --full-recompute (every mode)" {
    need_tiny
    for ko in random shuffle gc N; do
        ism inc.tsv --knockout $ko --draws 3 --scale logit
        assert_success
        ism full.tsv --knockout $ko --draws 3 --scale logit --full-recompute
        assert_success
        python3 - "$T/inc.tsv" "$T/full.tsv" <<'PY'
import sys
def rows(p):
    return [l.rstrip('\n').split('\t') for l in open(p) if not l.startswith('#')]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
assert len(a) == len(b) > 8 and a[0] == b[0]
num = [i for i, c in enumerate(a[0]) if c in ('baseline', 'ko_source', 'ko_target', 'ko_both',
                                               'delta_source', 'delta_target', 'interaction')]
mx = 0.0
for x, y in zip(a[1:], b[1:]):
    assert x[:num[0]] == y[:num[0]] and x[-2:] == y[-2:]
    for i in num:
        if x[i] != '' or y[i] != '':
            mx = max(mx, abs(float(x[i]) - float(y[i])) / max(1.0, abs(float(y[i]))))
print('max rel |diff| %.3g' % mx)
sys.exit(0 if mx <= 1e-5 else 1)
PY
    done
}

@test "ism --shard: 1, 2, 3 and 9 shards merged are byte-identical to one run (9 > the 8 rows)" {
    need_tiny
    ism one.tsv --threads 2
    assert_success
    for n in 1 2 3 9; do
        files=()
        for k in $(seq 1 "$n"); do
            ism "s${n}_$k.tsv" --shard "$k/$n"
            assert_success
            files+=("$T/s${n}_$k.tsv")
        done
        run "$BIN/coopmap-ism" --merge -o "$T/m$n.tsv" "${files[@]}"
        assert_success
        cmp "$T/one.tsv" "$T/m$n.tsv"
    done
    # 8 evaluated + 2 skipped rows in 3 shards: rows 0-3, 3-6, 6-10 (floor(k*10/3))
    run tail -1 "$T/s3_2.tsv"
    assert_output "# shard 2/3: rows 3-6 of 10"
    # the skipped row counts are summed: p3 (no head) is in shard 3, s3 in shard 1
    run tail -1 "$T/m3.tsv"
    assert_output "# skipped 2 rows (1 sources, 1 pairs): source TF has no model head"
    # the provenance leaves out --threads, --shard and -o
    run head -1 "$T/m3.tsv"
    refute_output --partial "--shard"
    refute_output --partial "--threads"
    refute_output --partial " -o "
}

@test "ism --merge: missing, reordered, cut or foreign shards are refused and nothing is written" {
    need_tiny
    for k in 1 2 3; do ism "s$k.tsv" --shard "$k/3"; assert_success; done
    run "$BIN/coopmap-ism" --merge -o "$T/m.tsv" "$T/s1.tsv" "$T/s2.tsv"
    assert_failure
    assert_output --partial "s1.tsv:"
    assert_output --partial "shard 1/3 given as shard 1 of 2"
    run "$BIN/coopmap-ism" --merge -o "$T/m.tsv" "$T/s1.tsv" "$T/s3.tsv" "$T/s2.tsv"
    assert_failure
    assert_output --partial "shard 3/3 given as shard 2 of 3"
    head -n -1 "$T/s2.tsv" > "$T/cut.tsv"
    run "$BIN/coopmap-ism" --merge -o "$T/m.tsv" "$T/s1.tsv" "$T/cut.tsv" "$T/s3.tsv"
    assert_failure
    assert_output --partial "cut.tsv: no '# shard K/N' line at the end"
    ism o2.tsv --shard 2/3 --seed 7
    run "$BIN/coopmap-ism" --merge -o "$T/m.tsv" "$T/s1.tsv" "$T/o2.tsv" "$T/s3.tsv"
    assert_failure
    assert_output --partial "o2.tsv:1: the provenance line differs"
    [ ! -e "$T/m.tsv" ]
    run "$BIN/coopmap-ism" --merge --model "$TINY" -o "$T/m.tsv" "$T/s1.tsv"
    assert_failure
    assert_output --partial "--merge takes only -o OUT and the shard files"
    ism x.tsv --shard 4/3
    assert_failure
    assert_output --partial "--shard: expected K/N with 1 <= K <= N, got '4/3'"
}
