#!/usr/bin/env bats
# coopmap-ism --model-cmd: the external scorer protocol (docs/scorer-protocol.md) and
# scripts/coopmap-score-torch.
# gc_scorer.py (tests/fixtures/scorer): heads GC, AT = (#G+#C)/10, (#A+#T)/10, with one
# switch per way of breaking the protocol; mimic_scorer.py serves a built-in model
# through the protocol (via coopmap-ism --predict), so runs through a scorer can be
# compared with the built-in engine.  The tiny ExplaiNN and the fixture genome are those
# of tests/ism.bats (tests/fixtures/ism).

load helpers

SCORE_TORCH="$BATS_TEST_DIRNAME/../scripts/coopmap-score-torch"
S="$BATS_TEST_DIRNAME/fixtures/scorer"

setup_file() {
    make_tiny_model "$BATS_FILE_TMPDIR/tiny.cmm"
}

setup() {
    T="$BATS_TEST_TMPDIR"
    I="$FIX/ism"
    TINY="$BATS_FILE_TMPDIR/tiny.cmm"
    cp "$I/genome.fa" "$T/genome.fa"
    printf '>a\nACGTACGTACGTACGTACGTACGTACGTAC\n>b\nGGGGGCCCCCNNNNNAAAAATTTTTACGTN\n>c\nNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN\n' > "$T/s.fa"
}

gc() { echo "python3 $S/gc_scorer.py $*"; }

# A scorer run that must fail: exit 1, message containing $1, no output file.
scorer_fails() {
    local want=$1; shift
    run "$BIN/coopmap-ism" --model-timeout 5 --model-cmd "$(gc "$@")" --predict "$T/s.fa" -o "$T/out.tsv"
    assert_failure 1
    assert_output --partial "coopmap-ism: "
    assert_output --partial "scorer '$(gc "$@")'"
    assert_output --partial "$want"
    [ ! -e "$T/out.tsv" ]
    [ -z "$(ls "$T" | grep out.tsv)" ]   # no temporary file either
}

@test "scorer: --predict through the protocol gives the scorer's hand-checked logits" {
    run "$BIN/coopmap-ism" --model-cmd "$(gc)" --predict "$T/s.fa" -o "$T/p.tsv"
    assert_success
    run bash -c "grep -v '^#' '$T/p.tsv'"
    # a: 15 G/C, 15 A/T; b: 10 G/C, 10 A/T + ACGT = 12, 12; c: all N
    assert_output "$(printf 'name\tlogit_GC\tprob_GC\tlogit_AT\tprob_AT\na\t1.5\t0.817574\t1.5\t0.817574\nb\t1.2\t0.768525\t1.2\t0.768525\nc\t0\t0.5\t0\t0.5')"
}

@test "scorer: answering line by line gives the same output as whole batches" {
    "$BIN/coopmap-ism" --model-cmd "$(gc)" --predict "$T/s.fa" -o "$T/a.tsv"
    "$BIN/coopmap-ism" --model-cmd "$(gc --per-line)" --predict "$T/s.fa" -o "$T/b.tsv"
    diff <(body "$T/a.tsv") <(body "$T/b.tsv")
}

@test "scorer: a scorer that dies mid-batch: its exit status, no output" {
    # one batch of 3 (one thread); the first answer is written (line 2), then it dies
    scorer_fails "exited with status 3 before answering a batch (output line 3)" --die-after 1 --per-line
}

@test "scorer: wrong number of fields, non-numbers, NaN: line and field named" {
    scorer_fails "output line 2: expected 2 logits (one per head), got 3" --fields 3
    scorer_fails "output line 2: expected 2 logits (one per head), got 1" --fields 1
    scorer_fails "output line 2: field 1: 'abc' is not a number" --word
    scorer_fails "output line 2: field 1: 'nan' is not finite" --nan
}

@test "scorer: more lines than sequences, a bad exit status at the end" {
    # --predict sends the 3 sequences as one batch: header (line 1), answers (2-4), extra (5)
    scorer_fails "output line 5: more lines than sequences sent" --extra
    scorer_fails "exited with status 4" --exit 4
}

@test "scorer: bad headers" {
    scorer_fails "output line 1: not a coopmap scorer header" --header junk
    scorer_fails "output line 1: protocol version '2'" --header "'coopmap-scorer 2 input_length=30 heads=GC,AT'"
    scorer_fails "output line 1: head name 'gc' repeated" --header "'coopmap-scorer 1 input_length=30 heads=GC,gc'"
    scorer_fails "output line 1: unknown header field 'x=1'" --header "'coopmap-scorer 1 input_length=30 heads=GC x=1'"
    scorer_fails "output line 1: bad input_length '0'" --header "'coopmap-scorer 1 input_length=0 heads=GC'"
    run "$BIN/coopmap-ism" --model-timeout 5 --model-cmd "exit 7" --predict "$T/s.fa" -o "$T/out.tsv"
    assert_failure 1
    assert_output --partial "scorer 'exit 7': exited with status 7 before writing its header line"
    [ ! -e "$T/out.tsv" ]
}

@test "scorer: a scorer that hangs is killed after --model-timeout, with what it started" {
    SECONDS=0
    run "$BIN/coopmap-ism" --model-cmd "$(gc --hang)" --model-timeout 1 --predict "$T/s.fa" -o "$T/o.tsv"
    assert_failure 1
    assert_output --partial "no answer within 1 s (killed; --model-timeout)"
    [ "$SECONDS" -lt 30 ]
    sleep 0.3
    ! pgrep -f "gc_scorer.py --hang"
}

@test "scorer: knockouts through a scorer equal the built-in model's, for 1 and 2 threads" {
    [ -s "$TINY" ] || skip "no python3 with numpy to make the tiny model"
    local cmd="python3 $S/mimic_scorer.py $BIN/coopmap-ism $TINY 30 AAA,BBB"
    "$BIN/coopmap-ism" --model "$TINY" --genome "$T/genome.fa" --sources "$I/sources.tsv" \
        --pairs "$I/pairs.tsv" --draws 4 -o "$T/builtin.tsv"
    for t in 1 2; do
        run "$BIN/coopmap-ism" --model-cmd "$cmd" --genome "$T/genome.fa" --sources "$I/sources.tsv" \
            --pairs "$I/pairs.tsv" --draws 4 --threads $t -o "$T/scorer$t.tsv"
        assert_success
    done
    diff <(body "$T/scorer1.tsv") <(body "$T/scorer2.tsv")
    # the scorer sees logits rounded to 6 digits (--predict's output): equal within 1e-5
    python3 - "$T/builtin.tsv" "$T/scorer1.tsv" <<'PY'
import sys
def rows(p):
    return [l.rstrip('\n').split('\t') for l in open(p) if not l.startswith('#')]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
assert len(a) == len(b) > 8 and a[0] == b[0], (len(a), len(b))
num = [i for i, c in enumerate(a[0]) if c in ('baseline', 'ko_source', 'ko_target', 'ko_both',
                                               'delta_source', 'delta_target', 'interaction')]
mx = 0.0
for x, y in zip(a[1:], b[1:]):
    assert x[:num[0]] == y[:num[0]], (x, y)
    for i in num:
        if x[i] != '':
            mx = max(mx, abs(float(x[i]) - float(y[i])))
print('max |diff| %.3g' % mx)
sys.exit(0 if mx <= 1e-5 else 1)
PY
}

@test "scorer: saturation through a scorer equals the built-in model's" {
    [ -s "$TINY" ] || skip "no python3 with numpy to make the tiny model"
    local cmd="python3 $S/mimic_scorer.py $BIN/coopmap-ism $TINY 30 AAA,BBB"
    printf 'chrA\t30\t75\n' > "$T/r.bed"
    "$BIN/coopmap-ism" --saturation --model "$TINY" --genome "$T/genome.fa" --regions "$T/r.bed" \
        --scale logit -o "$T/a.tsv"
    run "$BIN/coopmap-ism" --saturation --model-cmd "$cmd" --genome "$T/genome.fa" --regions "$T/r.bed" \
        --scale logit -o "$T/b.tsv"
    assert_success
    python3 - "$T/a.tsv" "$T/b.tsv" <<'PY'
import sys
def rows(p):
    return [l.rstrip('\n').split('\t') for l in open(p) if not l.startswith('#')]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
# 45 bases x 3 alts x 2 heads (+ header); chrA 60-63 is NNNN: 4 alts there
assert len(a) == len(b) and len(a) - 1 == 2 * (45 * 3 + 4), len(a)
mx = max(abs(float(x[i]) - float(y[i])) for x, y in zip(a[1:], b[1:]) for i in (5, 6))
assert all(x[:5] == y[:5] for x, y in zip(a, b))
print('max |diff| %.3g' % mx)
# each delta is a difference of two logits rounded to 6 significant digits (|logit| < 10):
# at most 2 x 5e-6 apart from the built-in's, plus float32 rounding
sys.exit(0 if mx <= 1.2e-5 else 1)
PY
}

@test "scorer: --model and --model-cmd are exclusive; --model-timeout is checked" {
    run "$BIN/coopmap-ism" --model x.cmm --model-cmd "$(gc)" --predict "$T/s.fa"
    assert_failure 1
    assert_output "coopmap-ism: give one of --model and --model-cmd (see --help)"
    run "$BIN/coopmap-ism" --model-cmd "$(gc)" --model-timeout -1 --predict "$T/s.fa"
    assert_failure 1
    assert_output "coopmap-ism: --model-timeout: expected seconds >= 0, got '-1'"
}

@test "score-torch: a TorchScript CNN through coopmap-score-torch matches PyTorch within 1e-5" {
    /usr/bin/python3 -c 'import torch' 2>/dev/null || skip "no PyTorch (Debian: python3-torch)"
    /usr/bin/python3 - "$T" <<'PY'
import json, random, sys, torch
T = sys.argv[1]
torch.manual_seed(3)
m = torch.nn.Sequential(torch.nn.Conv1d(4, 6, 7), torch.nn.ReLU(), torch.nn.MaxPool1d(4),
                        torch.nn.Flatten(), torch.nn.Linear(6 * 11, 3)).eval()
s = torch.jit.script(m)
torch.jit.save(s, T + '/m.pt', _extra_files={'coopmap.json': json.dumps({'heads': ['X', 'Y', 'Z'], 'input_length': 50})})
random.seed(5)
seqs = [''.join(random.choice('ACGTN' if i % 7 == 0 else 'ACGT') for _ in range(50)) for i in range(40)]
with open(T + '/w.fa', 'w') as f:
    for i, q in enumerate(seqs):
        f.write('>w%d\n%s\n' % (i, q))
x = torch.zeros(len(seqs), 4, 50)
for i, q in enumerate(seqs):
    for j, c in enumerate(q):
        if c in 'ACGT':
            x[i, 'ACGT'.index(c), j] = 1
with torch.no_grad():
    y = m(x)
with open(T + '/ref.tsv', 'w') as f:
    for r in y.tolist():
        f.write('\t'.join('%.9g' % v for v in r) + '\n')
PY
    # run through its shebang (#!/usr/bin/python3, the interpreter with torch), as documented
    run "$BIN/coopmap-ism" --model-cmd "$SCORE_TORCH $T/m.pt --device cpu --batch 7" \
        --predict "$T/w.fa" --threads 2 -o "$T/p.tsv"
    assert_success
    /usr/bin/python3 - "$T/ref.tsv" "$T/p.tsv" <<'PY'
import sys
ref = [list(map(float, l.split())) for l in open(sys.argv[1])]
got = [l.rstrip('\n').split('\t') for l in open(sys.argv[2]) if not l.startswith('#')]
assert got[0] == ['name', 'logit_X', 'prob_X', 'logit_Y', 'prob_Y', 'logit_Z', 'prob_Z'], got[0]
got = got[1:]
assert len(got) == len(ref) == 40
mx = max(abs(float(g[1 + 2 * h]) - r[h]) for g, r in zip(got, ref) for h in range(3))
print('max |diff| %.3g' % mx)
sys.exit(0 if mx <= 1e-5 else 1)
PY
    # heads and length from the options override coopmap.json; a wrong head count is an error
    run "$BIN/coopmap-ism" --model-cmd "/usr/bin/python3 $SCORE_TORCH $T/m.pt --heads A,B --device cpu" \
        --predict "$T/w.fa" -o "$T/q.tsv"
    assert_failure 1
    assert_output --partial "coopmap-score-torch: the model gives 3 outputs, --heads names 2"
    [ ! -e "$T/q.tsv" ]
}

@test "scorer: killed by a signal, its stderr passed through; inf and float overflow refused" {
    local h='echo "coopmap-scorer 1 input_length=30 heads=GC"'
    run "$BIN/coopmap-ism" --model-timeout 5 --model-cmd "$h; echo 'scorer-side complaint' >&2; kill -9 \$\$" \
        --predict "$T/s.fa" -o "$T/out.tsv"
    assert_failure 1
    assert_output --partial "scorer-side complaint"
    assert_output --partial "killed by signal 9 before answering a batch (output line 2)"
    [ ! -e "$T/out.tsv" ]
    # s.fa is one batch of 3: answers are output lines 2-4; the bad value is on line 3
    local v
    for v in inf -Infinity 1e300; do
        run "$BIN/coopmap-ism" --model-timeout 5 \
            --model-cmd "$h; read b; read x; read y; read z; printf '1\n$v\n2\n'; cat >/dev/null" \
            --predict "$T/s.fa" -o "$T/out.tsv"
        assert_failure 1
        assert_output --partial "output line 3: field 1: '$v' is not finite"
        [ ! -e "$T/out.tsv" ]
    done
    # the same shell scorer with finite answers works (so the failures above are the values)
    run "$BIN/coopmap-ism" --model-timeout 5 \
        --model-cmd "$h; read b; read x; read y; read z; printf '1\n-2.5\n0\n'; cat >/dev/null" \
        --predict "$T/s.fa" -o "$T/out.tsv"
    assert_success
    run bash -c "grep -v '^#' '$T/out.tsv' | cut -f1,2"
    assert_output "$(printf 'name\tlogit_GC\na\t1\nb\t-2.5\nc\t0')"
}
