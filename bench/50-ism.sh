#!/usr/bin/env bash
# Saturation ISM (all 3 alternative bases at every position = 3·L edits), measured in
# one run by bench/ism_bench.c (linked against build/libcoopmap.a):
#   - a Basset-style CNN (1000 bp; conv 300×19, 200×11, 200×7 with BatchNorm, ReLU,
#     max-pool 3/4/4; linear 4000→1000→1000→164), random weights written here by a
#     generator (stdlib Python, through the converter's own layer checks), kind seqcnn;
#   - the ExplaiNN MAX/FOXA1/JUND checkpoint (200 bp; ../shared), as kind explainn and
#     as kind seqcnn (tests/fixtures/model/explainn.json); skipped without ../shared.
# Lines:
#   ism saturation MODEL: incremental R.Rx full recompute, max |diff| D
#       per-edit time of the full recompute / of the incremental (fastISM-style) path,
#       1 thread (Basset: full recompute timed on the edits at every 10th position);
#       D = max |logit difference| between the two;
#   ism full recompute MODEL: R.Rx PyTorch CPU   (only where /usr/bin/python3 has torch)
#       R = PyTorch time / coopmap time for the same number of full forward passes
#       (128 Basset / 1024 ExplaiNN windows, batches of 64 in PyTorch, one call in
#       coopmap), both on 1 thread (torch.set_num_threads(1)), best of 2;
#   ism threads MODEL: R.Rx on 2 vs 1
#       incremental saturation ISM wall time on 1 thread / on 2 threads (the edits split
#       in two chunks).  On a machine whose cores are busy with other work this is low.
# Targets (docs/model-format.md): incremental >= 10x on Basset with D <= 1e-5; full
# recompute no slower than PyTorch (R >= 1); >= 1.8x on 2 threads.
set -euo pipefail
ROOT="$PWD"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
LIB="${COOPMAP_LIB:-$ROOT/build/libcoopmap.a}"
SHARED="${SHARED:-$ROOT/../shared}"
REF="$ROOT/tests/fixtures/model/seqcnn_ref.py"
CONV="$ROOT/scripts/coopmap-convert-model"
cc -O2 -std=c11 -fopenmp -D_GNU_SOURCE -I"$ROOT/c" -o "$W/ism_bench" "$ROOT/bench/ism_bench.c" \
    "$LIB" -lhts -lgsl -lgslcblas -lz -lm
TORCH=0
/usr/bin/python3 -c 'import torch' 2>/dev/null && TORCH=1

cat > "$W/basset.json" <<'EOF'
{"input_length": 1000, "rc_average": false, "layers": [
 {"type": "conv1d", "name": "conv1", "in": 4, "out": 300, "kernel": 19, "padding": 9},
 {"type": "batchnorm1d", "name": "bn1", "channels": 300}, {"type": "relu"}, {"type": "maxpool1d", "kernel": 3},
 {"type": "conv1d", "name": "conv2", "in": 300, "out": 200, "kernel": 11, "padding": 5},
 {"type": "batchnorm1d", "name": "bn2", "channels": 200}, {"type": "relu"}, {"type": "maxpool1d", "kernel": 4},
 {"type": "conv1d", "name": "conv3", "in": 200, "out": 200, "kernel": 7, "padding": 3},
 {"type": "batchnorm1d", "name": "bn3", "channels": 200}, {"type": "relu"}, {"type": "maxpool1d", "kernel": 4},
 {"type": "flatten"},
 {"type": "linear", "name": "fc1", "in": 4000, "out": 1000}, {"type": "batchnorm1d", "name": "bn4", "channels": 1000},
 {"type": "relu"}, {"type": "dropout"},
 {"type": "linear", "name": "fc2", "in": 1000, "out": 1000}, {"type": "batchnorm1d", "name": "bn5", "channels": 1000},
 {"type": "relu"}, {"type": "dropout"},
 {"type": "linear", "name": "fc3", "in": 1000, "out": 164}]}
EOF

# generator: random weights (seed 50) for an architecture file, written as a seqcnn
# model through the converter's own layer/shape checks (stdlib only)
python3 - "$CONV" "$W/basset.json" "$W/basset.cmm" <<'EOF'
import importlib.machinery, importlib.util, json, random, struct, sys
loader = importlib.machinery.SourceFileLoader("conv", sys.argv[1])
spec = importlib.util.spec_from_loader("conv", loader)
conv = importlib.util.module_from_spec(spec)
loader.exec_module(conv)
arch = json.load(open(sys.argv[2]))
lines, want, n_out = conv.seqcnn_layers(arch)
rnd = random.Random(50)
tensors = {}
for name, shp in want.items():
    n, fan = 1, 1
    for d in shp:
        n *= d
    for d in shp[1:]:
        fan *= d
    if name.endswith("running_var"):
        vals = [0.5 + rnd.random() for _ in range(n)]
    elif len(shp) == 1:
        vals = [0.2 * (rnd.random() - 0.5) + (1.0 if name.endswith(".weight") else 0.0) for _ in range(n)]
    else:
        s = 1.7 / fan ** 0.5
        vals = [s * (2 * rnd.random() - 1) for _ in range(n)]
    tensors[name] = (shp, struct.pack("<%df" % n, *vals))
heads = ["h%d" % i for i in range(n_out)]
header, names = conv.seqcnn_header(tensors, arch, heads)
conv.write_model(sys.argv[3], header, tensors, names)
EOF

torch_ratio() {   # NAME ARCH WEIGHTS L N CSECONDS
    [ "$TORCH" = 1 ] || return 0
    local tt
    tt=$(/usr/bin/python3 "$REF" time "$2" "$3" "$4" "$5" 1)
    awk -v n="$1" -v t="$tt" -v c="$6" 'BEGIN { printf "ism full recompute %s: %.1fx PyTorch CPU\n", n, t / c }'
    awk -v n="$1" -v t="$tt" -v c="$6" -v w="$5" 'BEGIN { printf "# %s: %d forward passes, 1 thread: PyTorch %.3f s, coopmap %.3f s\n", n, w, t, c }'
}

bench_model() {   # NAME MODEL SAMPLE_EVERY N_FORWARD ARCH WEIGHTS
    local out fw
    out=$("$W/ism_bench" "$2" "$1" "$3" "$4")
    grep -v '^forward ' <<<"$out" | grep -v '^#'
    fw=$(awk '/^forward /{ print $(NF - 1) }' <<<"$out")
    [ -n "$5" ] && torch_ratio "$1" "$5" "$6" "$(awk '/^#/{ print $4 }' <<<"$out" | tr -d ,)" "$4" "$fw"
    grep '^#' <<<"$out" || true
}

if [ "$TORCH" = 1 ]; then
    /usr/bin/python3 "$REF" make "$W/basset.json" "$W/basset.pth" 50
    bench_model basset "$W/basset.cmm" 10 128 "$W/basset.json" "$W/basset.pth"
else
    echo "# /usr/bin/python3 has no torch: PyTorch comparison lines skipped"
    bench_model basset "$W/basset.cmm" 10 128 "" ""
fi

MDIR="$SHARED/data/models/explainn_MAX_FOXA1_JUND"
if [ -f "$MDIR/model_epoch_best_4.pth" ]; then
    python3 "$CONV" "$MDIR/model_epoch_best_4.pth" --heads MAX,FOXA1,JUND -o "$W/explainn.cmm"
    python3 "$CONV" "$MDIR/model_epoch_best_4.pth" --arch "$ROOT/tests/fixtures/model/explainn.json" \
        --heads MAX,FOXA1,JUND -o "$W/explainn_seqcnn.cmm"
    A=""; [ "$TORCH" = 1 ] && A="$ROOT/tests/fixtures/model/explainn.json"
    bench_model explainn "$W/explainn.cmm" 1 1024 "$A" "$MDIR/model_epoch_best_4.pth"
    bench_model explainn-as-seqcnn "$W/explainn_seqcnn.cmm" 1 1024 "$A" "$MDIR/model_epoch_best_4.pth"
else
    echo "skipped: ExplaiNN lines ($MDIR not found)"
fi
