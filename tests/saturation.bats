#!/usr/bin/env bats
# coopmap-ism --saturation (c/ism/saturation.h).
# Model: the 14-bp grammar tests/fixtures/grammar/tiny.grammar (docs/grammar.md: X = AACC,
# Y = GAGA at purity 0.97 admit only exact matches; a site is bound with pi = 0.9;
# logit_X = ln(1 + sum pi) + 1.62 [X and Y within 20 bp], logit_Y = -1 + 2 ln(1 + sum pi)).
# Genome: tests/fixtures/ism/sat.fa, chrS (60 bp; AACCTTTTTTGAGA at 0, N at 28) and
# chrT (10 bp, shorter than the model).  Reference values: sat_check.py re-implements the
# tiling and predicts every mutated window with --predict.

load helpers

setup() {
    T="$BATS_TEST_TMPDIR"
    I="$FIX/ism"
    GR="$FIX/grammar/tiny.grammar"
    cp "$I/sat.fa" "$T/sat.fa"
}

sat() {
    local out=$1; shift
    run "$BIN/coopmap-ism" --saturation --model "$GR" --genome "$T/sat.fa" -o "$T/$out" "$@"
}

# A random 1000 bp chromosome chrL (with a few Ns) in $T/long.fa.
long_genome() {
    python3 - "$T/long.fa" <<'PY'
import random, sys
r = random.Random(5)
s = [r.choice("ACGT") for _ in range(1000)]
for i in (100, 101, 555):
    s[i] = "N"
s = "".join(s)
with open(sys.argv[1], "w") as f:
    f.write(">chrL\n" + "\n".join(s[i:i + 60] for i in range(0, 1000, 60)) + "\n")
PY
}

@test "saturation: hand-derived deltas of the grammar model (logit)" {
    printf 'chrS\t0\t14\n' > "$T/r.bed"
    sat s.tsv --regions "$T/r.bed" --scale logit
    assert_success
    assert_output --partial "saturation: 1 regions, 1 windows, 14 positions, 84 rows written"
    run bash -c "grep -v '^#' '$T/s.tsv' | head -1"
    assert_output "$(printf 'chrom\tpos\tref\talt\thead\tbaseline\tdelta')"
    # the window is AACCTTTTTTGAGA: logit_X = ln 1.9 + 1.62 = 2.261854, logit_Y = -1 + 2 ln 1.9
    # any change of AACC kills X: delta_X = -2.261854 and Y is unchanged
    run bash -c "grep -P '^chrS\t1\t' '$T/s.tsv' | cut -f3-7 | tr '\t\n' '  '"
    assert_output "A C X 2.26185 -2.26185 A C Y 0.283708 0 A G X 2.26185 -2.26185 A G Y 0.283708 0 A T X 2.26185 -2.26185 A T Y 0.283708 0 "
    # any change of GAGA kills Y: delta_X = -1.62, delta_Y = -2 ln 1.9 = -1.283708
    run bash -c "grep -P '^chrS\t12\tG\tC\t' '$T/s.tsv' | cut -f5-7 | tr '\t\n' '  '"
    assert_output "X 2.26185 -1.62 Y 0.283708 -1.28371 "
    # the spacer T's make no site: all deltas exactly 0
    run bash -c "awk -F'\t' '\$2 >= 4 && \$2 <= 9 && \$7 != 0' '$T/s.tsv' | grep -vc '^#'"
    assert_output "0"
    # probability scale: delta = sigmoid(0) - sigmoid(2.261854) = 0.5 - 0.905668
    sat p.tsv --regions "$T/r.bed"
    run bash -c "grep -P '^chrS\t0\tA\tC\tX\t' '$T/p.tsv' | cut -f6,7"
    assert_output "$(printf '0.905668\t-0.405668')"
}

@test "saturation: long region tiled (each base once), ref N, every delta = --predict" {
    # chrS:0-60 > L = 14: k = ceil(60/7) = 9 windows; chrS:50-52 is centred and clipped
    printf 'chrS\t0\t60\tlong\nchrS\t50\t52\nchrS\t27\t30\n' > "$T/r.bed"
    for sc in logit prob; do
        sat s.tsv --regions "$T/r.bed" --scale $sc
        assert_success
        assert_output --partial "3 regions, 11 windows, 65 positions"
        run python3 "$I/sat_check.py" "$BIN/coopmap-ism" "$GR" "$T/sat.fa" 14 "$T/r.bed" "$T/s.tsv" $sc "$T"
        echo "# $sc: $output" >&3
        assert_success
    done
    # each position of chrS:0-60 once (3 alts x 2 heads, 4 alts at the N at 28), in order
    run bash -c "grep -v '^#' '$T/s.tsv' | awk -F'\t' 'NR > 1 && NR <= 363 { n[\$2]++; if (\$2 < last) bad = 1; last = \$2 }
        END { for (p = 0; p < 60; p++) { want = p == 28 ? 8 : 6; if (n[p] != want) bad = 1 }; print bad ? \"bad\" : \"ok\" }'"
    assert_output "ok"
    run bash -c "grep -P '^chrS\t28\t' '$T/s.tsv' | cut -f3,4 | sort -u | tr '\t\n' '  '"
    assert_output "N A N C N G N T "
}

@test "saturation: --threads 1 and 2 byte-identical; .gz is BGZF and round-trips" {
    long_genome
    printf 'chrL\t3\t997\n' > "$T/r.bed"    # 142 windows: three rounds of 64
    run "$BIN/coopmap-ism" --saturation --model "$GR" --genome "$T/long.fa" --regions "$T/r.bed" -o "$T/a.tsv" --threads 1
    assert_success
    assert_output --partial "1 regions, 142 windows, 994 positions, 5970 rows written"
    run "$BIN/coopmap-ism" --saturation --model "$GR" --genome "$T/long.fa" --regions "$T/r.bed" -o "$T/b.tsv.gz" --threads 2
    assert_success
    run python3 - "$T/a.tsv" "$T/b.tsv.gz" <<'PY'
import gzip, sys
raw = open(sys.argv[2], "rb").read()
assert raw[:4] == b"\x1f\x8b\x08\x04" and raw[12:14] == b"BC", "not BGZF"
assert raw[-28:] == bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000"), "no BGZF EOF block"
a = [l for l in open(sys.argv[1]) if not l.startswith("# coopmap-ism ")]
b = [l for l in gzip.open(sys.argv[2], "rt") if not l.startswith("# coopmap-ism ")]
assert a == b, "plain and .gz bodies differ"
pos = [int(l.split("\t")[1]) for l in a if not l.startswith(("#", "chrom"))]
assert sorted(set(pos)) == list(range(3, 997)) and pos == sorted(pos)
print("ok", len(a))
PY
    assert_success
    assert_output "ok 5972"    # 994 x 6 rows + 2 more at each of 3 Ns, header, # saturation line
    # sampled against --predict (every row of a 2-window region near the N at 100)
    printf 'chrL\t95\t112\n' > "$T/r2.bed"
    run "$BIN/coopmap-ism" --saturation --model "$GR" --genome "$T/long.fa" --regions "$T/r2.bed" -o "$T/c.tsv" --threads 2
    assert_success
    run python3 "$I/sat_check.py" "$BIN/coopmap-ism" "$GR" "$T/long.fa" 14 "$T/r2.bed" "$T/c.tsv" prob "$T"
    assert_success
}

@test "saturation: bedGraphs equal max |delta| and the mean-centred observed-base delta" {
    printf 'chrS\t0\t60\n' > "$T/r.bed"
    sat s.tsv --regions "$T/r.bed" --scale logit --bedgraph "$T/bg"
    assert_success
    for h in X Y; do for w in maxabs obs; do [ -s "$T/bg.$h.$w.bedGraph" ]; done; done
    run head -1 "$T/bg.X.maxabs.bedGraph"
    assert_output --regexp '^track type=bedGraph name="X maxabs" '
    run python3 - "$T/s.tsv" "$T/bg" <<'PY'
import collections, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#")][1:]
d = collections.defaultdict(list)
for c, p, ref, alt, h, b, x in rows:
    d[(h, c, int(p))].append(float(x))
n = 0
for h in "XY":
    for w in ("maxabs", "obs"):
        lines = [l.split() for l in open("%s.%s.%s.bedGraph" % (sys.argv[2], h, w))]
        assert lines[0][0] == "track"
        body = lines[1:]
        assert [(c, int(s), int(e)) for c, s, e, v in body] == [("chrS", p, p + 1) for p in range(60)]
        for c, s, e, v in body:
            ds = d[(h, c, int(s))]
            want = max(abs(x) for x in ds) if w == "maxabs" else -sum(ds) / 4
            assert abs(float(v) - want) <= 2e-5 * (1 + abs(want)), (h, w, s, v, want)
            n += 1
# hand value: chrS:0 A->C/G/T each kill X (-2.261854): obs importance = 3 * 2.261854 / 4
x0 = [l.split() for l in open(sys.argv[2] + ".X.obs.bedGraph")][1]
assert x0[3] == "1.69639", x0
print("ok", n)
PY
    assert_success
    assert_output "ok 240"
}

@test "saturation: --sources runs every source window; --full-recompute gives the same rows" {
    printf '# test\nsite_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end\na\tchrS\tX\tm\t2\t6\t+\t0\t14\nb\tchrS\tY\tm\t40\t44\t+\t33\t47\n' > "$T/src.tsv"
    printf 'chrS\t0\t14\nchrS\t33\t47\n' > "$T/r.bed"
    sat a.tsv --sources "$T/src.tsv"
    assert_success
    sat b.tsv --regions "$T/r.bed"
    assert_success
    cmp <(body "$T/a.tsv") <(body "$T/b.tsv")
    sat c.tsv --regions "$T/r.bed" --full-recompute
    assert_success
    cmp <(body "$T/b.tsv") <(body "$T/c.tsv")
    run bash -c "grep -vc '^#' '$T/a.tsv'"
    assert_output "169"    # header + 28 positions x 3 alts x 2 heads
}

@test "saturation: the tiny CNN: incremental path = --full-recompute = --predict" {
    py=
    for p in python3 /usr/bin/python3; do "$p" -c 'import numpy' 2>/dev/null && { py=$p; break; }; done
    [ -n "$py" ] || skip "no python3 with numpy to make the tiny model"
    "$py" "$I/make_tiny_model.py" "$T/tiny.npz"
    "$py" "$BATS_TEST_DIRNAME/../scripts/coopmap-convert-model" "$T/tiny.npz" --heads AAA,BBB \
        --input-length 30 --pool-size 3 --pool-stride 3 -o "$T/tiny.cmm"
    cp "$I/genome.fa" "$T/genome.fa"
    printf 'chrA\t40\t120\nchrB\t5\t9\n' > "$T/r.bed"
    run "$BIN/coopmap-ism" --saturation --model "$T/tiny.cmm" --genome "$T/genome.fa" --regions "$T/r.bed" --scale logit -o "$T/a.tsv"
    assert_success
    run "$BIN/coopmap-ism" --saturation --model "$T/tiny.cmm" --genome "$T/genome.fa" --regions "$T/r.bed" --scale logit --full-recompute -o "$T/b.tsv" --threads 2
    assert_success
    run python3 - "$T/a.tsv" "$T/b.tsv" <<'PY'
import sys
a = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#")]
b = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if not l.startswith("#")]
assert len(a) == len(b) == 1 + 84 * 3 * 2 + 4 * 2, len(a)   # NNNN at chrA 60-63: 4 alts
assert all(x[:6] == y[:6] for x, y in zip(a, b))
# float rounding of the two paths, and %.6g of values up to |logit| ~ 10
mx = max(abs(float(x[6]) - float(y[6])) / (1 + abs(float(x[5]))) for x, y in zip(a[1:], b[1:]))
assert mx <= 1e-5, mx
print("ok %.3g" % mx)
PY
    echo "# incremental vs full recompute, max |diff| / (1 + |baseline|): $output" >&3
    assert_success
    run python3 "$I/sat_check.py" "$BIN/coopmap-ism" "$T/tiny.cmm" "$T/genome.fa" 30 "$T/r.bed" "$T/a.tsv" logit "$T"
    echo "# $output" >&3
    assert_success
}

@test "saturation: regions off the genome give FILE:LINE errors and no output" {
    bad() {   # bad BED-LINE... EXPECTED-MESSAGE-SUFFIX
        printf "$1" > "$T/r.bed"
        sat o.tsv --regions "$T/r.bed" --bedgraph "$T/bg"
        assert_failure
        assert_output "coopmap-ism: $T/r.bed:$2"
        [ ! -e "$T/o.tsv" ]
        [ -z "$(ls "$T" | grep -E 'o\.tsv|bg\.')" ]
    }
    bad 'chrS\t0\t10\nchrZ\t0\t10\n' "2: chrom 'chrZ' is not in the genome $T/sat.fa"
    bad 'chrS\t0\t10\nchrS\t50\t61\n' "2: region chrS:50-61 runs past the end of chrS (length 60) in $T/sat.fa"
    bad 'track name=x\nchrS\t10\t10\n' "2: empty or inverted region chrS:10-10 (end <= start)"
    bad 'chrS\t12\t10\n' "1: empty or inverted region chrS:12-10 (end <= start)"
    bad 'chrT\t0\t5\n' "1: chrT is 10 bp, shorter than the model input length 14: no window fits"
    bad 'chrS\t-1\t5\n' "1: start '-1' is not a non-negative integer"
    bad 'chrS\t1\n' "1: 2 fields, a BED line needs chrom, start, end"
    # a sources.tsv from another genome
    printf 'site_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end\na\tchr22\tX\tm\t2\t6\t+\t0\t14\n' > "$T/src.tsv"
    sat o.tsv --sources "$T/src.tsv"
    assert_failure
    assert_output "coopmap-ism: $T/src.tsv:2: chrom 'chr22' is not in the genome $T/sat.fa"
    printf 'site_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end\na\tchrS\tX\tm\t2\t6\t+\t50\t64\n' > "$T/src.tsv"
    sat o.tsv --sources "$T/src.tsv"
    assert_failure
    assert_output "coopmap-ism: $T/src.tsv:2: region chrS:50-64 runs past the end of chrS (length 60) in $T/sat.fa"
    printf 'site_id\tchrom\ttf\n' > "$T/src.tsv"
    sat o.tsv --sources "$T/src.tsv"
    assert_failure
    assert_output --partial "coopmap-ism: $T/src.tsv:1: header has no column 'window_start'"
    [ ! -e "$T/o.tsv" ]
}

@test "saturation: option errors" {
    printf 'chrS\t0\t10\n' > "$T/r.bed"
    sat o.tsv
    assert_failure
    assert_output "coopmap-ism: --saturation needs exactly one of --regions and --sources"
    sat o.tsv --regions "$T/r.bed" --sources "$T/r.bed"
    assert_failure
    sat o.tsv --regions "$T/r.bed" --pairs "$T/r.bed"
    assert_failure
    assert_output --partial "not --predict or --pairs"
    run "$BIN/coopmap-ism" --model "$GR" --genome "$T/sat.fa" --regions "$T/r.bed" -o "$T/o.tsv"
    assert_failure
    assert_output "coopmap-ism: --regions and --bedgraph need --saturation"
    run "$BIN/coopmap-ism" --help
    for o in --saturation --regions --bedgraph --full-recompute; do assert_output --partial -- "$o"; done
    [ ! -e "$T/o.tsv" ]
}

@test "saturation: real ExplaiNN on hg19 chr22: incremental = full recompute = --predict" {
    need_shared
    M="$SHARED/data/models/explainn_MAX_FOXA1_JUND"
    "$BATS_TEST_DIRNAME/../scripts/coopmap-convert-model" "$M/model_epoch_best_4.pth" --heads MAX,FOXA1,JUND -o "$T/m.cmm"
    GEN="$SHARED/data/genome/hg19_chr22_1-22000000.fa.gz"
    # 60 bp at the centre of the FOXA1 peak chr22:21128222-21128422 (one window of 200)
    printf 'chr22\t21128292\t21128352\n' > "$T/r.bed"
    run "$BIN/coopmap-ism" --saturation --model "$T/m.cmm" --genome "$GEN" --regions "$T/r.bed" --scale logit -o "$T/a.tsv" --threads 2
    assert_success
    assert_output --partial "1 regions, 1 windows, 60 positions, 540 rows written"
    run "$BIN/coopmap-ism" --saturation --model "$T/m.cmm" --genome "$GEN" --regions "$T/r.bed" --scale logit -o "$T/b.tsv" --full-recompute
    assert_success
    run python3 - "$T/a.tsv" "$T/b.tsv" <<'PY'
import sys
a = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#")][1:]
b = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if not l.startswith("#")][1:]
assert len(a) == len(b) == 540 and all(x[:6] == y[:6] for x, y in zip(a, b))
mx = max(abs(float(x[6]) - float(y[6])) for x, y in zip(a, b))
assert mx <= 1e-4, mx
print("max |incremental - full| %.3g (logit)" % mx)
PY
    echo "# $output" >&3
    assert_success
    # the region sequence from the bgzip genome, as a plain FASTA for sat_check.py
    python3 - "$GEN" "$T/chr22.fa" <<'PY'
import gzip, sys
s, keep = [], False
for line in gzip.open(sys.argv[1], "rt"):
    if line.startswith(">"):
        keep = line[1:].split()[0] == "chr22"
    elif keep:
        s.append(line.strip())
s = "".join(s)
open(sys.argv[2], "w").write(">chr22\n" + s + "\n")
PY
    run python3 "$I/sat_check.py" "$BIN/coopmap-ism" "$T/m.cmm" "$T/chr22.fa" 200 "$T/r.bed" "$T/b.tsv" logit "$T"
    echo "# $output" >&3
    assert_success
}

@test "saturation: knockout options are refused rather than silently ignored" {
    for o in "--draws 3" "--seed 2" "--knockout N"; do
        run "$BIN/coopmap-ism" --saturation --model m.cmm --genome g.fa --regions r.bed $o -o "$BATS_TEST_TMPDIR/o.tsv"
        assert_failure 1
        assert_output "coopmap-ism: --draws, --seed and --knockout are for knockouts, not --saturation"
    done
    [ ! -e "$BATS_TEST_TMPDIR/o.tsv" ]
}
