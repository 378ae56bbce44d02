#!/usr/bin/env bats
# Model kind "seqcnn" against PyTorch (docs/model-format.md, c/model/seqcnn.h).
# Each architecture in tests/fixtures/model/*.json gets random weights made at test time
# by tests/fixtures/model/seqcnn_ref.py (torch.save state_dict), is converted with
# scripts/coopmap-convert-model --arch, and 100 random windows (some with N runs) are
# predicted by PyTorch (torch.nn.functional, eval mode) and by coopmap-ism --predict:
# max |delta logit| <= 1e-4.  The shared ExplaiNN checkpoint is run both as kind
# explainn and as kind seqcnn (tests/fixtures/model/explainn.json).  Needs
# /usr/bin/python3 with torch (installed in CI; skipped only where it is missing).

load helpers

CONV="$BATS_TEST_DIRNAME/../scripts/coopmap-convert-model"
REF="$BATS_TEST_DIRNAME/fixtures/model/seqcnn_ref.py"
ARCH="$BATS_TEST_DIRNAME/fixtures/model"
MDIR="$SHARED/data/models/explainn_MAX_FOXA1_JUND"

need_torch() {
    /usr/bin/python3 -c 'import torch' 2>/dev/null || skip "/usr/bin/python3 cannot import torch"
}

# parity NAME HEADS: random weights, convert, predict in PyTorch and coopmap, compare
parity() {
    local n=$1 heads=$2 d="$BATS_TEST_TMPDIR" L
    L=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['input_length'])" "$ARCH/$n.json")
    /usr/bin/python3 "$REF" make "$ARCH/$n.json" "$d/$n.pth" 11
    /usr/bin/python3 "$REF" fasta "$L" 100 4 "$d/$n.fa"
    /usr/bin/python3 "$REF" predict "$ARCH/$n.json" "$d/$n.pth" "$d/$n.fa" "$d/ref.tsv"
    run python3 "$CONV" "$d/$n.pth" --arch "$ARCH/$n.json" --heads "$heads" -o "$d/$n.cmm"
    assert_success
    run "$BIN/coopmap-ism" --predict "$d/$n.fa" --model "$d/$n.cmm" -o "$d/got.tsv"
    assert_success
    run /usr/bin/python3 "$REF" compare "$d/ref.tsv" "$d/got.tsv"
    assert_success
    echo "$output"
    [[ "$output" == "100 windows, max |dlogit| "* ]]
    local worst=${output##* }
    /usr/bin/python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 1e-4 else 1)" "$worst"
}

@test "seqcnn Basset-style (3 conv + BN + ReLU + maxpool, 2 linear, 1000 bp) matches PyTorch" {
    need_torch
    parity basset_small A,B,C
}

@test "seqcnn residual dilated blocks (add, dilation 2/4/8) match PyTorch" {
    need_torch
    parity residual A,B
}

@test "seqcnn ELU/softplus/exp/tanh/sigmoid, avgpool, groups, stride, padding=same, RC averaging match PyTorch" {
    need_torch
    parity mixed_rc A,B
}

@test "ExplaiNN checkpoint as kind explainn and as kind seqcnn both match PyTorch" {
    need_torch
    need_shared
    local d="$BATS_TEST_TMPDIR"
    /usr/bin/python3 "$REF" fasta 200 100 9 "$d/ex.fa"
    /usr/bin/python3 "$REF" predict "$ARCH/explainn.json" "$MDIR/model_epoch_best_4.pth" "$d/ex.fa" "$d/ref.tsv"
    run python3 "$CONV" "$MDIR/model_epoch_best_4.pth" --heads MAX,FOXA1,JUND -o "$d/ex.cmm"
    assert_success
    run python3 "$CONV" "$MDIR/model_epoch_best_4.pth" --arch "$ARCH/explainn.json" --heads MAX,FOXA1,JUND -o "$d/exs.cmm"
    assert_success
    grep -qx 'kind seqcnn' <(head -c 4096 "$d/exs.cmm" | tr -d '\0' | head -3)
    for m in ex exs; do
        run "$BIN/coopmap-ism" --predict "$d/ex.fa" --model "$d/$m.cmm" -o "$d/$m.tsv"
        assert_success
        run /usr/bin/python3 "$REF" compare "$d/ref.tsv" "$d/$m.tsv"
        assert_success
        echo "$m: $output"
        /usr/bin/python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 1e-4 else 1)" "${output##* }"
    done
}

@test "converter --arch: deterministic output, same bytes from .pth and .npz" {
    need_torch
    local d="$BATS_TEST_TMPDIR"
    /usr/bin/python3 "$REF" make "$ARCH/residual.json" "$d/r.pth" 3
    /usr/bin/python3 -c "
import sys, torch, numpy as np
sd = torch.load(sys.argv[1])
np.savez(sys.argv[2], **{k: v.numpy() for k, v in sd.items()})" "$d/r.pth" "$d/r.npz"
    run python3 "$CONV" "$d/r.pth" --arch "$ARCH/residual.json" --heads A,B -o "$d/a.cmm"
    assert_success
    run python3 "$CONV" "$d/r.pth" --arch "$ARCH/residual.json" --heads A,B -o "$d/b.cmm"
    assert_success
    run /usr/bin/python3 "$CONV" "$d/r.npz" --arch "$ARCH/residual.json" --heads A,B -o "$d/c.cmm"
    assert_success
    cmp "$d/a.cmm" "$d/b.cmm"
    cmp "$d/a.cmm" "$d/c.cmm"
}

@test "converter --torchscript: a scripted nn.Sequential gives the same predictions as PyTorch" {
    need_torch
    local d="$BATS_TEST_TMPDIR"
    /usr/bin/python3 - "$d" <<'EOF'
import sys, torch, torch.nn as nn
torch.manual_seed(3)
d = sys.argv[1]
m = nn.Sequential(nn.Conv1d(4, 8, 7, padding=3), nn.BatchNorm1d(8), nn.ReLU(), nn.MaxPool1d(4),
                  nn.Conv1d(8, 8, 3, dilation=2, padding=2), nn.ELU(), nn.Flatten(),
                  nn.Linear(8 * 25, 6), nn.Softplus(), nn.Dropout(0.2), nn.Linear(6, 2))
with torch.no_grad():
    m[1].running_mean.uniform_(-0.1, 0.1); m[1].running_var.uniform_(0.5, 2)
m.eval()
torch.jit.script(m).save(d + "/m.pt")
import random
rnd = random.Random(1)
seqs = ["".join(rnd.choice("ACGT") for _ in range(100)) for _ in range(20)]
x = torch.zeros(20, 4, 100)
for i, s in enumerate(seqs):
    for j, c in enumerate(s):
        x[i, "ACGT".index(c), j] = 1
y = m(x).detach()
with open(d + "/s.fa", "w") as f, open(d + "/ref.tsv", "w") as r:
    for i, s in enumerate(seqs):
        f.write(">s%d\n%s\n" % (i, s))
        r.write("s%d\t%.9g\t%.9g\n" % (i, y[i, 0], y[i, 1]))
EOF
    run /usr/bin/python3 "$CONV" --torchscript "$d/m.pt" --input-length 100 --heads A,B -o "$d/m.cmm"
    assert_success
    run "$BIN/coopmap-ism" --predict "$d/s.fa" --model "$d/m.cmm" -o "$d/got.tsv"
    assert_success
    run /usr/bin/python3 "$REF" compare "$d/ref.tsv" "$d/got.tsv"
    assert_success
    echo "$output"
    /usr/bin/python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 1e-4 else 1)" "${output##* }"
}

# ---- loader and converter errors ----

# write a seqcnn file whose header is HEADER (lines after the magic) and whose tensor
# data are zeros of the given tensor lines
mkmodel() {
    /usr/bin/python3 - "$1" "$2" <<'EOF'
import sys
path, hdr = sys.argv[1], sys.argv[2]
n = 0
for line in hdr.splitlines():
    if line.startswith("tensor "):
        k = 1
        for d in line.split()[3].split(","):
            k *= int(d)
        n += k
with open(path, "wb") as f:
    f.write(("coopmap-model 1\n" + hdr + "\nend\n").encode())
    f.write(b"\0" * (4 * n))
EOF
}

@test "loader: a tensor of the wrong shape is named with the expected and actual shape" {
    local m="$BATS_TEST_TMPDIR/model.cmm"
    mkmodel "$m" $'kind seqcnn\ninput_length 50\nheads a\nlayer 0 conv1d name=conv1 in=4 out=3 kernel=19\nlayer 1 maxpool1d kernel=32\nlayer 2 flatten\nlayer 3 linear name=fc in=3 out=1\ntensor conv1.weight f32 3,4,18\ntensor conv1.bias f32 3\ntensor fc.weight f32 1,3\ntensor fc.bias f32 1'
    printf '>s\n%s\n' "$(printf 'A%.0s' $(seq 50))" > "$BATS_TEST_TMPDIR/s.fa"
    run "$BIN/coopmap-ism" --predict "$BATS_TEST_TMPDIR/s.fa" --model "$m"
    assert_failure
    assert_output --partial "$m: tensor 'conv1.weight': expected 3,4,19, got 3,4,18"
    # the same file with the right shape loads and predicts the bias path (all-zero weights)
    mkmodel "$m" $'kind seqcnn\ninput_length 50\nheads a\nlayer 0 conv1d name=conv1 in=4 out=3 kernel=19\nlayer 1 maxpool1d kernel=32\nlayer 2 flatten\nlayer 3 linear name=fc in=3 out=1\ntensor conv1.weight f32 3,4,19\ntensor conv1.bias f32 3\ntensor fc.weight f32 1,3\ntensor fc.bias f32 1'
    run "$BIN/coopmap-ism" --predict "$BATS_TEST_TMPDIR/s.fa" --model "$m"
    assert_success
    assert_output --partial $'s\t0\t0.5'
}

@test "loader: unknown layer type, unknown key, missing/unused tensor, version" {
    local m="$BATS_TEST_TMPDIR/model.cmm" f="$BATS_TEST_TMPDIR/s.fa"
    printf '>s\nACGTACGTAC\n' > "$f"
    mkmodel "$m" $'kind seqcnn\ninput_length 10\nheads a\nlayer 0 conv1d name=c in=4 out=1 kernel=10 bias=0\nlayer 1 gelu\ntensor c.weight f32 1,4,10'
    run "$BIN/coopmap-ism" --predict "$f" --model "$m"
    assert_failure
    assert_output --partial "$m:6: layer 1: unknown layer type 'gelu'"
    mkmodel "$m" $'kind seqcnn\ninput_length 10\nheads a\nlayer 0 conv1d name=c in=4 out=1 kernel=10 bias=0 pad=3\ntensor c.weight f32 1,4,10'
    run "$BIN/coopmap-ism" --predict "$f" --model "$m"
    assert_failure
    assert_output --partial "$m:5: layer 0 (conv1d): unknown key 'pad'"
    mkmodel "$m" $'kind seqcnn\ninput_length 10\nheads a\nlayer 0 conv1d name=c in=4 out=1 kernel=10\ntensor c.weight f32 1,4,10'
    run "$BIN/coopmap-ism" --predict "$f" --model "$m"
    assert_failure
    assert_output --partial "$m: tensor 'c.bias': expected 1, got no tensor"
    mkmodel "$m" $'kind seqcnn\ninput_length 10\nheads a\nlayer 0 conv1d name=c in=4 out=1 kernel=10 bias=0\ntensor c.weight f32 1,4,10\ntensor c.bias f32 1'
    run "$BIN/coopmap-ism" --predict "$f" --model "$m"
    assert_failure
    assert_output --partial "$m: tensor 'c.bias': not used by any layer"
    printf 'coopmap-model 2\nkind seqcnn\nend\n' > "$m"
    run "$BIN/coopmap-ism" --predict "$f" --model "$m"
    assert_failure
    assert_output --partial "version"
}

@test "converter --arch: shape mismatch, unknown layer type and head count are reported" {
    need_torch
    local d="$BATS_TEST_TMPDIR"
    /usr/bin/python3 "$REF" make "$ARCH/basset_small.json" "$d/b.pth" 1
    sed 's/"kernel": 19, "padding": 9/"kernel": 18, "padding": 9/' "$ARCH/basset_small.json" > "$d/bad.json"
    run python3 "$CONV" "$d/b.pth" --arch "$d/bad.json" --heads A,B,C -o "$d/x.cmm"
    assert_failure
    assert_output --partial "tensor 'conv1.weight': expected 64,4,18, got 64,4,19"
    sed 's/"type": "relu"/"type": "gelu"/' "$ARCH/basset_small.json" > "$d/bad.json"
    run python3 "$CONV" "$d/b.pth" --arch "$d/bad.json" --heads A,B,C -o "$d/x.cmm"
    assert_failure
    assert_output --partial "unknown layer type 'gelu'"
    run python3 "$CONV" "$d/b.pth" --arch "$ARCH/basset_small.json" --heads A,B -o "$d/x.cmm"
    assert_failure
    assert_output --partial "--heads names 2 outputs, the model has 3"
    [ ! -e "$d/x.cmm" ]
}
