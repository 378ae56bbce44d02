#!/usr/bin/env bats
# coopmap-ism --filter-pwms (c/ism/filter_pwm.h): first-layer filters as MEME motifs.
# 1. Tiny random ExplaiNN (make_tiny_model.py: 3 units, width 5, input 30): the counts
#    are recomputed in numpy straight from the .npz (conv, BatchNorm, exp, F x max,
#    no N) and must equal the MEME file's nsites and counts exactly.
# 2. Real data: the MAX/FOXA1/JUND ExplaiNN over 200-bp windows centred on the
#    summits of the shared chr22 peaks; coopmap-compare against JASPAR 2024 must
#    annotate some filter as FOX, some as a CACGTG E-box bHLH-ZIP and some as AP-1/CRE;
#    the same checkpoint converted as kind seqcnn (fixtures/model/explainn.json) gives the
#    same MEME file.
# 3. Kind seqcnn: a small random conv(4->6, k=5, padding 2) + BatchNorm + ReLU + maxpool +
#    flatten + linear (fixtures/model/seqcnn_ref.py make, seed 7): the counts equal a
#    torch (float64) enumeration of the unpadded, N-free, forward-strand subsequences with
#    ReLU activation >= F x max; the tiny ExplaiNN written as seqcnn gives the same MEME
#    bytes as kind explainn; first layers that are not a stride-1 conv are refused.

load helpers

CONV="$BATS_TEST_DIRNAME/../scripts/coopmap-convert-model"
REF="$BATS_TEST_DIRNAME/fixtures/model/seqcnn_ref.py"
MDIR="$SHARED/data/models/explainn_MAX_FOXA1_JUND"
JASPAR="$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant"

setup() {
    T="$BATS_TEST_TMPDIR"
}

make_tiny() {
    PY=$(numpy_python) || skip "no python3 with numpy to make the tiny model"
    make_tiny_model "$T/tiny.cmm"   # helpers.bash; also leaves $T/tiny.npz
}

@test "filter-pwms: tiny model, counts equal a numpy enumeration (F 0.5, 0.8, 0)" {
    make_tiny
    # 40 random windows of varying length (some shorter than the filter), with Ns
    "$PY" - "$T/s.fa" <<'PY'
import random, sys
r = random.Random(3)
with open(sys.argv[1], "w") as f:
    for i in range(40):
        n = r.choice([3, 30, 30, 30, 47])
        s = "".join(r.choice("ACGT" * 12 + "N") for _ in range(n))
        f.write(">s%d\n%s\n" % (i, s.lower() if i % 5 == 0 else s))
PY
    for F in 0.5 0.8 0; do
        run "$BIN/coopmap-ism" --model "$T/tiny.cmm" --predict "$T/s.fa" --filter-pwms "$T/f$F.meme" \
            --filter-threshold $F
        assert_success
        echo "$output"
        run "$PY" - "$T/tiny.npz" "$T/s.fa" "$T/f$F.meme" "$F" <<'PY'
import sys, numpy as np
t = np.load(sys.argv[1]); F = float(sys.argv[4])
W = t["linears.0.weight"].astype(np.float64); b = t["linears.0.bias"].astype(np.float64)
bn = lambda k: t["linears.1." + k].astype(np.float64)
s = bn("weight") / np.sqrt(bn("running_var") + 1e-5)
U, _, K = W.shape
seqs = [l.strip().upper() for l in open(sys.argv[2]) if not l.startswith(">")]
acts = []   # (u, act, subsequence)
for q in seqs:
    for i in range(len(q) - K + 1):
        sub = q[i:i + K]
        if "N" in sub: continue
        x = np.zeros((4, K)); x[["ACGT".index(c) for c in sub], range(K)] = 1
        a = ((W * x).sum(axis=(1, 2)) + b - bn("running_mean")) * s + bn("bias")
        acts.append((np.exp(a), sub))
mx = np.max([a for a, _ in acts], axis=0)
want = {}
for a, sub in acts:
    for u in range(U):
        if a[u] >= F * mx[u]:
            want.setdefault(u, []).append(sub)
# the C side thresholds float32 values: no activation may sit within 1e-5 of a threshold
for a, _ in acts:
    for u in range(U):
        if F > 0: assert abs(a[u] / (F * mx[u]) - 1) > 1e-5, "too close to the threshold"
got, ns, cur = {}, {}, None
for l in open(sys.argv[3]):
    if l.startswith("MOTIF"): cur = int(l.split()[1][len("filter"):]); got[cur] = []
    elif l.startswith("letter-probability"): ns[cur] = int(l.split("nsites=")[1].split()[0])
    elif cur is not None and l.startswith(" "): got[cur].append([float(v) for v in l.split()])
for u in range(U):
    if u not in want: assert u not in got, u; continue
    n = len(want[u]); assert ns[u] == n, (u, ns[u], n)
    c = np.array([[sum(w[k] == "ACGT"[j] for w in want[u]) for j in range(4)] for k in range(K)]) / n
    assert np.abs(np.array(got[u]) - c).max() < 5e-7, u
    print("filter%d nsites %d" % (u, n))
PY
        echo "$output"
        assert_success
    done
    # F = 0: every N-free position of every sequence: 40 records, the 3-bp ones give none
    run grep -c nsites "$T/f0.meme"
    assert_output 3
}

@test "filter-pwms: F 1 keeps exactly the argmax windows; MEME header; parses in coopmap-compare" {
    make_tiny
    run "$BIN/coopmap-ism" --model "$T/tiny.cmm" --predict "$FIX/ism/sat.fa" --filter-pwms "$T/f.meme" \
        --filter-threshold 1
    assert_success
    run sed -n 1,9p "$T/f.meme"
    assert_output "$(printf 'MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n')"
    # with F = 1 a filter's motif is one subsequence (unless tied): probabilities 0 or 1
    run bash -c "awk '/^ /' '$T/f.meme' | tr ' ' '\n' | grep -v '^$' | sort -u"
    assert_output "$(printf '0.000000\n1.000000')"
    run "$BIN/coopmap-compare" -thresh 1 -text "$T/f.meme" "$T/f.meme"
    assert_success
    assert_line --partial "filter0	filter0	0	"
}

@test "filter-pwms: errors (grammar model, bad threshold, no --predict, a pipe); all filters skipped" {
    run "$BIN/coopmap-ism" --model "$FIX/grammar/tiny.grammar" --predict "$FIX/ism/sat.fa" --filter-pwms "$T/f.meme"
    assert_failure
    assert_output --partial "--filter-pwms needs a CNN model (kind grammar)"
    [ ! -e "$T/f.meme" ]
    run "$BIN/coopmap-ism" --model "$FIX/grammar/tiny.grammar" --predict "$FIX/ism/sat.fa" --filter-threshold 0.5
    assert_failure
    assert_output --partial "--filter-threshold needs --filter-pwms"
    run "$BIN/coopmap-ism" --model "$FIX/grammar/tiny.grammar" --predict "$FIX/ism/sat.fa" --filter-pwms "$T/f.meme" --filter-threshold 1.5
    assert_failure
    assert_output --partial "--filter-threshold: expected a number in 0..1, got '1.5'"
    run "$BIN/coopmap-ism" --model "$FIX/grammar/tiny.grammar" --filter-pwms "$T/f.meme"
    assert_failure
    assert_output --partial "--filter-pwms takes --predict SEQS.fa"
    # two passes over the FASTA: a pipe cannot be read twice
    make_tiny
    run bash -c "cat '$FIX/ism/sat.fa' | '$BIN/coopmap-ism' --model '$T/tiny.cmm' --predict /dev/stdin --filter-pwms '$T/f.meme'"
    assert_failure
    assert_output --partial "/dev/stdin: read twice (two passes) but gave 2 records, then 0: give a regular file, not a pipe"
    [ ! -e "$T/f.meme" ]
    # no N-free subsequence at all: every filter skipped, said on stderr, header only
    printf '>a\nACGTNACGTN\n>b\nAC\n' > "$T/n.fa"
    run "$BIN/coopmap-ism" --model "$T/tiny.cmm" --predict "$T/n.fa" --filter-pwms "$T/n.meme"
    assert_success
    assert_line "coopmap-ism: info: filter 0: no subsequence reaches 0.5 x max activation; skipped"
    assert_line "coopmap-ism: info: filter 2: no subsequence reaches 0.5 x max activation; skipped"
    assert_output --partial "2 sequences, 0 positions without N, 0 of 3 filters written (width 5"
    [ "$(grep -c MOTIF "$T/n.meme")" = 0 ]
    [ "$(head -1 "$T/n.meme")" = "MEME version 4" ]
}

@test "filter-pwms: real ExplaiNN filters match FOX, E-box bHLH-ZIP and AP-1 motifs in JASPAR (q <= 0.05)" {
    need_shared
    /usr/bin/python3 "$CONV" "$MDIR/model_epoch_best_4.pth" --heads MAX,FOXA1,JUND -o "$T/m.cmm"
    # 200-bp windows centred on each peak's summit (midpoint when no summit)
    zcat "$SHARED/data/peaks/hg19_chr22_16050000-22000000.all_peaks.narrowPeak.gz" |
        awk -F'\t' '{ c = ($10 >= 0) ? $2 + $10 : int(($2 + $3) / 2); s = c - 100
                      if (s >= 0 && s + 200 <= 22000000) print $1 ":" s + 1 "-" s + 200 }' | sort -u > "$T/r.txt"
    samtools faidx "$SHARED/data/genome/hg19_chr22_1-22000000.fa.gz" -r "$T/r.txt" > "$T/w.fa"
    run "$BIN/coopmap-ism" --model "$T/m.cmm" --predict "$T/w.fa" --filter-pwms "$T/f.meme"
    assert_success
    echo "$output"
    assert_output --partial "of 100 filters written (width 19"
    [ "$(grep -c '^MOTIF filter' "$T/f.meme")" -ge 90 ]
    run "$BIN/coopmap-compare" -thresh 0.05 -text "$T/f.meme" "$JASPAR.meme"
    assert_success
    echo "$output" > "$T/cmp.tsv"
    # best (smallest p) JASPAR match of each filter with q <= 0.05, named via the .tsv
    awk -F'\t' 'NR == FNR { n[$1] = $4; next }
                FNR > 1 && $1 !~ /^#/ && $1 != "" && $6 <= 0.05 {
                    if (!($1 in p) || $4 < p[$1]) { p[$1] = $4; b[$1] = $2 } }
                END { for (f in p) print f "\t" b[f] "\t" n[b[f]] }' "$JASPAR.tsv" "$T/cmp.tsv" | sort > "$T/best.tsv"
    fox=$(awk -F'\t' 'toupper($3) ~ /^FOX/' "$T/best.tsv" | wc -l)
    ebox=$(awk -F'\t' 'toupper($3) ~ /(^|::)(MAX|MYC|USF|MNT|MLX|TFE)/' "$T/best.tsv" | wc -l)
    ap1=$(awk -F'\t' 'toupper($3) ~ /(^|::)(FOS|JUN|ATF|BATF)/' "$T/best.tsv" | wc -l)
    echo "# filters with a match: $(wc -l < "$T/best.tsv"); best match FOX: $fox, E-box bHLH-ZIP: $ebox, AP-1/CRE bZIP: $ap1" >&3
    [ "$fox" -ge 1 ]
    [ "$ebox" -ge 1 ]
    [ "$ap1" -ge 1 ]
    # the same checkpoint as kind seqcnn: the same MEME file (same counts; the two
    # engines sum the conv taps in different float orders, so a position within float
    # rounding of its threshold could in principle differ: then compare the counts)
    /usr/bin/python3 "$CONV" "$MDIR/model_epoch_best_4.pth" --arch "$FIX/model/explainn.json" \
        --heads MAX,FOXA1,JUND -o "$T/s.cmm"
    run "$BIN/coopmap-ism" --model "$T/s.cmm" --predict "$T/w.fa" --filter-pwms "$T/s.meme"
    assert_success
    assert_output --partial "of 100 filters written (width 19"
    cmp "$T/f.meme" "$T/s.meme"
}

need_torch() {
    /usr/bin/python3 -c 'import torch' 2>/dev/null || skip "/usr/bin/python3 cannot import torch"
}

# a small seqcnn with a padded first conv, BatchNorm and ReLU; random weights (seed 7)
make_seqcnn() {
    cat > "$T/a.json" <<'JSON'
{"input_length": 30, "rc_average": false, "layers": [
  {"type": "conv1d", "name": "c1", "in": 4, "out": 6, "kernel": 5, "padding": 2},
  {"type": "batchnorm1d", "name": "bn1", "channels": 6},
  {"type": "relu"},
  {"type": "maxpool1d", "kernel": 5},
  {"type": "flatten"},
  {"type": "linear", "name": "fc", "in": 36, "out": 2}]}
JSON
    /usr/bin/python3 "$REF" make "$T/a.json" "$T/a.pth" 7
    run /usr/bin/python3 "$CONV" "$T/a.pth" --arch "$T/a.json" --heads A,B -o "$T/a.cmm"
    assert_success
}

@test "filter-pwms: seqcnn conv + BatchNorm + ReLU, counts equal a torch enumeration (F 0.5, 0.8, 0)" {
    need_torch
    make_seqcnn
    /usr/bin/python3 - "$T/s.fa" <<'PY'
import random, sys
r = random.Random(5)
with open(sys.argv[1], "w") as f:
    for i in range(40):
        n = r.choice([4, 30, 30, 30, 61])
        s = "".join(r.choice("ACGT" * 12 + "N") for _ in range(n))
        f.write(">s%d\n%s\n" % (i, s.lower() if i % 5 == 0 else s))
PY
    for F in 0.5 0.8 0; do
        run "$BIN/coopmap-ism" --model "$T/a.cmm" --predict "$T/s.fa" --filter-pwms "$T/f$F.meme" \
            --filter-threshold $F
        assert_success
        echo "$output"
        assert_output --partial "40 sequences"
        run /usr/bin/python3 - "$T/a.pth" "$T/s.fa" "$T/f$F.meme" "$F" <<'PY'
import sys, torch, torch.nn.functional as Fn
sd = {k: v.double() for k, v in torch.load(sys.argv[1]).items()}; F = float(sys.argv[4])
seqs = [l.strip().upper() for l in open(sys.argv[2]) if not l.startswith(">")]
W = sd["c1.weight"]; U, _, K = W.shape
subs, acts = [], []
for q in seqs:
    if len(q) < K: continue
    x = torch.zeros(1, 4, len(q), dtype=torch.float64)
    for j, ch in enumerate(q):
        if ch in "ACGT": x[0, "ACGT".index(ch), j] = 1
    # no padding: only the subsequences of the input (the model pads by 2)
    h = Fn.conv1d(x, W, sd["c1.bias"])
    h = Fn.batch_norm(h, sd["bn1.running_mean"], sd["bn1.running_var"], sd["bn1.weight"],
                      sd["bn1.bias"], training=False, eps=1e-5)
    h = Fn.relu(h)[0]
    for i in range(len(q) - K + 1):
        if "N" in q[i:i + K]: continue
        subs.append(q[i:i + K]); acts.append(h[:, i])
A = torch.stack(acts); mx = A.max(dim=0).values
assert (mx > 0).all()
if F > 0:   # the C side thresholds float32 values: none within 1e-5 of a threshold
    assert ((A - F * mx).abs() / mx).min() > 1e-5, "too close to the threshold"
got, ns, cur = {}, {}, None
for l in open(sys.argv[3]):
    if l.startswith("MOTIF"): cur = int(l.split()[1][len("filter"):]); got[cur] = []
    elif l.startswith("letter-probability"): ns[cur] = int(l.split("nsites=")[1].split()[0])
    elif cur is not None and l.startswith(" "): got[cur].append([float(v) for v in l.split()])
assert sorted(got) == list(range(U)), sorted(got)
for u in range(U):
    keep = [s for s, a in zip(subs, A[:, u]) if a >= F * mx[u]]
    n = len(keep); assert ns[u] == n, (u, ns[u], n)
    c = torch.tensor([[sum(w[k] == "ACGT"[j] for w in keep) for j in range(4)] for k in range(K)],
                     dtype=torch.float64) / n
    assert (torch.tensor(got[u], dtype=torch.float64) - c).abs().max() < 5e-7, u
    print("filter%d nsites %d of %d" % (u, n, len(subs)))
PY
        echo "$output"
        assert_success
    done
    # F = 0 with ReLU: every N-free unpadded position, the same for every filter
    n=$(grep -o 'nsites= [0-9]*' "$T/f0.meme" | sort -u)
    [ "$(echo "$n" | wc -l)" = 1 ]
    run grep -c 'nsites=' "$T/f0.meme"
    assert_output 6
}

@test "filter-pwms: the tiny ExplaiNN as kind seqcnn gives the same MEME bytes as kind explainn" {
    need_torch
    make_tiny
    run /usr/bin/python3 "$CONV" "$T/tiny.npz" --arch "$BATS_TEST_DIRNAME/fixtures/ism/tiny_explainn_arch.json" --heads AAA,BBB -o "$T/tinys.cmm"
    assert_success
    /usr/bin/python3 "$REF" fasta 40 60 9 "$T/w.fa"
    for F in 0.5 0.9 0 1; do
        run "$BIN/coopmap-ism" --model "$T/tiny.cmm" --predict "$T/w.fa" --filter-pwms "$T/e$F.meme" \
            --filter-threshold $F
        assert_success
        local want=$output
        run "$BIN/coopmap-ism" --model "$T/tinys.cmm" --predict "$T/w.fa" --filter-pwms "$T/s$F.meme" \
            --filter-threshold $F
        assert_success
        [ "$output" = "$want" ]
        cmp "$T/e$F.meme" "$T/s$F.meme"
        [ "$(grep -c '^MOTIF' "$T/s$F.meme")" = 3 ]
    done
}

@test "filter-pwms: seqcnn whose first layer is not a stride-1 conv on the input: clear error" {
    need_torch
    local d=$T
    printf '%s\n' '{"input_length": 20, "layers": [' \
        '{"type": "conv1d", "name": "c1", "in": 4, "out": 2, "kernel": 3, "stride": 2},' \
        '{"type": "flatten"}, {"type": "linear", "name": "fc", "in": 18, "out": 1}]}' > "$d/st.json"
    printf '%s\n' '{"input_length": 20, "layers": [' \
        '{"type": "conv1d", "name": "c1", "in": 4, "out": 2, "kernel": 3, "dilation": 2},' \
        '{"type": "flatten"}, {"type": "linear", "name": "fc", "in": 32, "out": 1}]}' > "$d/di.json"
    printf '%s\n' '{"input_length": 20, "layers": [{"type": "maxpool1d", "kernel": 2},' \
        '{"type": "conv1d", "name": "c1", "in": 4, "out": 2, "kernel": 3},' \
        '{"type": "flatten"}, {"type": "linear", "name": "fc", "in": 16, "out": 1}]}' > "$d/mp.json"
    printf '%s\n' '{"input_length": 20, "layers": [' \
        '{"type": "conv1d", "name": "c1", "in": 4, "out": 4, "kernel": 3, "padding": "same"},' \
        '{"type": "batchnorm1d", "name": "bn", "channels": 4}, {"type": "add", "inputs": [0, 1]},' \
        '{"type": "flatten"}, {"type": "linear", "name": "fc", "in": 80, "out": 1}]}' > "$d/ad.json"
    printf '>a\nACGTACGTACGTACGTACGT\n' > "$d/a.fa"
    for n in st di mp ad; do
        /usr/bin/python3 "$REF" make "$d/$n.json" "$d/$n.pth" 1
        run /usr/bin/python3 "$CONV" "$d/$n.pth" --arch "$d/$n.json" --heads A -o "$d/$n.cmm"
        assert_success
        run "$BIN/coopmap-ism" --model "$d/$n.cmm" --predict "$d/a.fa" --filter-pwms "$d/$n.meme"
        assert_failure
        echo "$output"
        [ ! -e "$d/$n.meme" ]
        case $n in
        st) assert_output --partial "--filter-pwms: the first layer of a seqcnn model: the first conv1d has stride 2 (needs 1)" ;;
        di) assert_output --partial "the first conv1d has dilation 2 (needs 1)" ;;
        mp) assert_output --partial "--filter-pwms: the first layer of a seqcnn model must be a conv1d on the one-hot input (layer 0 is maxpool1d)" ;;
        ad) assert_output --partial "layer 1 (batchnorm1d) after the first conv1d could not be folded into it (another layer reads the conv1d output)" ;;
        esac
    done
}
