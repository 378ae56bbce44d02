#!/usr/bin/env bats
# coopmap-simulate, the grammar model, and the embedded demo with planted ground
# truth (config/demo.yaml + config/demo/demo.grammar, as `make demo` runs it).
# Fixtures (tests/fixtures/grammar): tiny.grammar, a 14-bp two-head model with
# hand-derived logits; exact.grammar, purity-1 motifs so planted bases are exact.
# Needs no ../shared.

load helpers

REPO="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
G="$REPO/config/demo/demo.grammar"

setup_file() {
    # the demo workflow, once, into a temporary directory (make demo uses results/demo)
    local T="$BATS_FILE_TMPDIR"
    "$BIN/coopmap-simulate" --seed 1 -o "$T/data" "$G" 2> "$T/simulate.log" || return 0
    cd "$REPO"
    timeout 600 snakemake -s workflows/snakemake/Snakefile --configfile config/demo.yaml \
        --config outdir="$T/demo" genome="$T/data/genome.fa" motifs="$T/data/motifs.meme" \
        peaks="$T/data/peaks.bed" bin_dir="$(cd "$BIN" && pwd)" \
        --directory "$REPO" -c 2 --quiet > "$T/snakemake.log" 2>&1 \
        || { cat "$T/snakemake.log" >&3; return 0; }
}

setup() {
    T="$BATS_TEST_TMPDIR"
    F="$FIX/grammar"
    D="$BATS_FILE_TMPDIR/demo"
}

# ---------------------------------------------------------------- coopmap-simulate

@test "simulate: --help documents the grammar file with an example" {
    run "$BIN/coopmap-simulate" --help
    assert_success
    assert_output --partial "coopmap-grammar 1"
    assert_output --partial "module NAME [weight=1] [motifs=M1,M2,...] [spacing=20-80]"
    assert_output --partial "Example (a cooperative pair, decoys everywhere):"
    run "$BIN/coopmap-simulate" --version
    assert_output --regexp '^coopmap-simulate [0-9]'
}

@test "simulate: planted sites read their consensus at the truth positions, with spacing and margins kept" {
    "$BIN/coopmap-simulate" --seed 7 -o "$T/s" "$F/exact.grammar"
    /usr/bin/python3 - "$T/s" <<'PY'
import sys
d = sys.argv[1]
seqs, name = {}, None
for l in open(f'{d}/genome.fa'):
    l = l.strip()
    if l.startswith('>'):
        name = l[1:]; seqs[name] = []
    else:
        assert len(l) <= 60
        seqs[name].append(l)
seqs = {k: ''.join(v) for k, v in seqs.items()}
assert list(seqs) == [f's{i:02d}' for i in range(1, 41)], list(seqs)[:3]
assert all(len(s) == 300 and set(s) <= set('ACGT') for s in seqs.values())
cons = {'AAA': 'ACGTTGCA', 'BBB': 'GGGACTTT', 'CCC': 'TATACCGG'}
rc = lambda s: s[::-1].translate(str.maketrans('ACGT', 'TGCA'))
sites = [l.rstrip('\n').split('\t') for l in open(f'{d}/truth.bed') if not l.startswith('#')]
by_seq = {}
for c, s, e, tf, llr, strand, mod in sites:
    s, e = int(s), int(e)
    site = seqs[c][s:e]
    assert site == (cons[tf] if strand == '+' else rc(cons[tf])), (c, s, tf, strand, site)
    assert 60 <= s and e <= 240, (c, s, e)                       # margin=60
    assert abs(float(llr) - 8 * 1.3862944) < 1e-3, llr            # 8 x ln(1/0.25)
    assert (mod == 'decoy') == (tf == 'CCC')
    by_seq.setdefault(c, []).append((s, e, tf, mod))
mods = {}
for c, v in by_seq.items():
    v.sort()
    for a, b in zip(v, v[1:]):
        assert a[1] <= b[0], ('overlap', c, a, b)
    m = {x[3] for x in v if x[3] != 'decoy'}
    assert len(m) <= 1
    mods[c] = m.pop() if m else 'bg'
    ab = [x for x in v if x[3] == 'ab']
    if ab:
        assert sorted(x[2] for x in ab) == ['AAA', 'BBB']
        dist = abs((ab[0][0] + ab[0][1]) - (ab[1][0] + ab[1][1])) / 2
        assert 20 <= dist <= 40 and dist == int(dist), dist        # spacing=20-40, even widths
    ndec = sum(x[3] == 'decoy' for x in v)
    assert 1 <= ndec <= 2, (c, ndec)                              # decoy CCC count=1-2
n = {k: list(mods.values()).count(k) for k in ('ab', 'a', 'bg')}
assert n['ab'] > n['a'] > 0 and n['ab'] + n['a'] + n['bg'] == 40, n  # weights 3:1:1
# both orders and both strands occur
assert {x[5] for x in sites} == {'+', '-'}
peaks = [l.split('\t') for l in open(f'{d}/peaks.bed') if not l.startswith('#')]
assert len(peaks) == len(sites)
for p, s in zip(peaks, sites):
    assert p[0] == s[0] and p[3] == s[3] and int(p[1]) == max(0, int(s[1]) - 10) and int(p[2]) == int(s[2]) + 10
print(f"# {len(sites)} sites in 40 sequences, modules {n}")
PY
    # the index is samtools' own
    cp "$T/s/genome.fa" "$T/copy.fa"
    samtools faidx "$T/copy.fa"
    cmp "$T/copy.fa.fai" "$T/s/genome.fa.fai"
    grep -q '^MOTIF AAA AAA$' "$T/s/motifs.meme"
}

@test "simulate: deterministic for a seed, identical for any --threads, different for another seed" {
    "$BIN/coopmap-simulate" --seed 3 --threads 1 -o "$T/a" "$G" 2> /dev/null
    "$BIN/coopmap-simulate" --seed 3 --threads 2 -o "$T/b" "$G" 2> /dev/null
    "$BIN/coopmap-simulate" --seed 4 -o "$T/c" "$G" 2> /dev/null
    for f in genome.fa genome.fa.fai motifs.meme; do cmp "$T/a/$f" "$T/b/$f"; done
    for f in truth.bed peaks.bed; do diff <(body "$T/a/$f") <(body "$T/b/$f"); done
    # (`! cmd` would not fail a bats test: errexit ignores negated commands)
    run cmp -s "$T/a/genome.fa" "$T/c/genome.fa"
    assert_failure
    run diff -q <(body "$T/a/truth.bed") <(body "$T/c/truth.bed")
    assert_failure
    # sequence k does not depend on the count
    "$BIN/coopmap-simulate" --seed 3 -n 5 -o "$T/d" "$G" 2> /dev/null
    diff <(head -50 "$T/a/genome.fa") "$T/d/genome.fa"
}

@test "simulate: a bad grammar names file and line, exits 1 and writes nothing" {
    run "$BIN/coopmap-simulate" -o "$T/x" "$F/bad_motif.grammar"
    assert_failure 1
    assert_output "coopmap-simulate: $F/bad_motif.grammar:4: motif 'BAD': 'Z' (column 4) is not an IUPAC DNA letter"
    [ ! -e "$T/x" ]
    run "$BIN/coopmap-simulate" -o "$T/y" "$F/tiny.grammar"
    assert_failure 1
    assert_output "coopmap-simulate: $F/tiny.grammar: no 'sequences' line: nothing to simulate"
    [ ! -e "$T/y" ]
}

@test "simulate: a sequence that cannot be generated fails the run and leaves no file" {
    # five non-overlapping 10 bp decoys need 50 bp; 40 bp sequences with margin 5 have 30
    printf 'coopmap-grammar 1\nmotif M ACGTACGTAC\nsequences count=3 length=40 margin=5\ndecoy M count=5\n' > "$T/g.grammar"
    mkdir "$T/out"
    run "$BIN/coopmap-simulate" --seed 1 -o "$T/out" "$T/g.grammar"
    assert_failure 1
    assert_output "coopmap-simulate: $T/g.grammar:4: cannot place decoy M in seq1 (no free room after 1000 tries)"
    run ls -A "$T/out"
    assert_output ""
    run "$BIN/coopmap-simulate" --seed 1 -o "$T/new/out" "$T/g.grammar"
    assert_failure 1
    [ ! -e "$T/new" ]     # directories the failed run created are removed again
}

# ---------------------------------------------------------------- the grammar model

@test "grammar model: coopmap-ism --predict gives the hand-derived logits" {
    run "$BIN/coopmap-ism" --model "$F/tiny.grammar" --predict "$F/tiny.fa" -o "$T/p.tsv"
    assert_success
    run body "$T/p.tsv"
    # X: ln 1.9 = 0.641854; + 2 * 0.81 for a Y site 10 bp away; Y: -1 + 2 ln 1.9 = 0.283708
    assert_line --index 1 --regexp $'^both\t2.26185\t0.9056[0-9]*\t0.283708\t0.5704[0-9]*$'
    assert_line --index 2 --regexp $'^x_only\t0.641854\t0.6551[0-9]*\t-1\t0.2689[0-9]*$'
    assert_line --index 3 --regexp $'^y_only\t0\t0.5\t0.283708\t'
    assert_line --index 4 --regexp $'^none\t0\t0.5\t-1\t'
    assert_line --index 5 --regexp $'^x_n\t0\t0.5\t0.283708\t'
}

@test "grammar model: errors in a grammar model name file and line" {
    run "$BIN/coopmap-ism" --model "$F/bad_motif.grammar" --predict "$F/tiny.fa"
    assert_failure
    assert_output --partial "coopmap-ism: $F/bad_motif.grammar:4: motif 'BAD'"
    run "$BIN/coopmap-ism" --model "$F/exact.grammar" --predict "$F/tiny.fa"
    assert_failure
    assert_output "coopmap-ism: $F/exact.grammar: grammar model has no 'input_length L' line"
}

# ---------------------------------------------------------------- the demo

@test "demo: the workflow writes every output" {
    for f in scan/sites.tsv pairs/pairs.tsv pairs/sources.tsv ism/effects.tsv stats/cooperativity.tsv \
             stats/cooperativity_matrix.tsv stats/heatmap.svg; do
        [ -s "$D/$f" ] || { cat "$BATS_FILE_TMPDIR/snakemake.log"; echo "missing $D/$f"; return 1; }
    done
    /usr/bin/python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$D/stats/heatmap.svg"
}

@test "demo: nearly every planted site of a model TF is localized and scored" {
    /usr/bin/python3 - "$BATS_FILE_TMPDIR/data/truth.bed" "$D/pairs/sources.tsv" <<'PY'
import csv, sys
truth = [l.split('\t')[:4] for l in open(sys.argv[1]) if not l.startswith('#')]
with open(sys.argv[2]) as f:
    src = {(r['chrom'], r['start'], r['end'], r['tf'])
           for r in csv.DictReader((l for l in f if not l.startswith('#')), delimiter='\t')}
heads = {'ELF1', 'SRF', 'NRF1', 'CTCF'}
planted = [t for t in truth if t[3] in heads]
found = sum((c, s, e, tf) in src for c, s, e, tf in planted)
print(f'# planted sites of model TFs: {len(planted)}, localized at the exact position: {found}')
assert len(planted) > 500 and found >= 0.9 * len(planted), (found, len(planted))
PY
}

@test "demo: planted cooperation and competition are found with their sign; nothing else is" {
    /usr/bin/python3 - "$D/stats/cooperativity.tsv" <<'PY'
import csv, sys
with open(sys.argv[1]) as f:
    rows = list(csv.DictReader((l for l in f if not l.startswith('#')), delimiter='\t'))
cell = {(r['source_tf'], r['target_tf'], r['kind']): r for r in rows}
sig = lambda r: float(r['q']) <= 0.05 and r['masked'] == '0'
def show(r):
    print(f"# {r['source_tf']:>4} <- {r['target_tf']:<4} {r['kind']:<4} n={r['n']:>3} mean={float(r['mean']):+.4f} q={float(r['q']):.3g}")
# every self-effect is negative and significant
for tf in ('ELF1', 'SRF', 'NRF1', 'CTCF'):
    r = cell[(tf, tf, 'self')]; show(r)
    assert float(r['mean']) < 0 and sig(r), r
# cooperative ELF1 <-> SRF: knocking out the partner lowers binding (negative)
for a, b in (('ELF1', 'SRF'), ('SRF', 'ELF1')):
    r = cell[(a, b, 'pair')]; show(r)
    assert int(r['n']) >= 30 and float(r['mean']) < 0 and sig(r), r
# competitive NRF1 <-> CTCF: knocking out the competitor raises binding (positive)
for a, b in (('NRF1', 'CTCF'), ('CTCF', 'NRF1')):
    r = cell[(a, b, 'pair')]; show(r)
    assert int(r['n']) >= 30 and float(r['mean']) > 0 and sig(r), r
# co-planted without interaction, and decoys: tested, not significant
checked = 0
for (a, b, k), r in cell.items():
    if k != 'pair' or {a, b} in ({'ELF1', 'SRF'}, {'NRF1', 'CTCF'}):
        continue
    assert not sig(r), r
    checked += 1
for a, b in (('ELF1', 'NRF1'), ('NRF1', 'ELF1')):
    r = cell[(a, b, 'pair')]; show(r)
    assert int(r['n']) >= 30, r
for h in ('ELF1', 'SRF', 'NRF1', 'CTCF'):
    for d in ('TP53', 'REST'):
        assert (h, d, 'pair') in cell, (h, d)
print(f'# {checked} no-interaction / decoy cells tested, none significant')
assert checked >= 10
PY
}

@test "demo: scored against its grammar, precision and recall are 1" {
    run /usr/bin/python3 "$REPO/tests/sim/score.py" --expect "$G" "$D/stats/cooperativity.tsv"
    assert_success
    assert_line --regexp '^precision 1.000 recall 1.000 tp 4 fp 0 fn 0 self_ok 4/4$'
}

@test "demo: ISM is identical with 1 and 2 threads" {
    "$BIN/coopmap-ism" --model "$G" --genome "$BATS_FILE_TMPDIR/data/genome.fa" --sources "$D/pairs/sources.tsv" \
        --pairs "$D/pairs/pairs.tsv" --draws 10 --seed 1 --threads 1 -o "$T/e1.tsv" 2> /dev/null   # as config/demo.yaml
    diff <(body "$D/ism/effects.tsv") <(body "$T/e1.tsv")
}

@test "demo: 3 scan shards and 4 ism shards give byte-identical outputs" {
    # scan.shards slices the motifs, ism.shards the rows; the merges are exact. The run
    # goes to a folder of the same relative name (outdir=demo under another --directory),
    # so even the provenance lines, which carry the command lines, must be identical.
    sed -e 's/^scan: {\(.*\)}$/scan: {\1, shards: 3}/' -e 's/^ism: {\(.*\)}$/ism: {\1, shards: 4}/' \
        "$REPO/config/demo.yaml" > "$T/sharded.yaml"
    grep -q 'scan: {.*shards: 3}' "$T/sharded.yaml" && grep -q 'ism: {.*shards: 4}' "$T/sharded.yaml"
    mkdir -p "$T/w"
    conf=(genome="$BATS_FILE_TMPDIR/data/genome.fa" motifs="$BATS_FILE_TMPDIR/data/motifs.meme"
          peaks="$BATS_FILE_TMPDIR/data/peaks.bed" bin_dir="$(cd "$BIN" && pwd)" outdir=demo)
    for w in one w; do
        [ "$w" = one ] && cf="$REPO/config/demo.yaml" || cf="$T/sharded.yaml"
        mkdir -p "$T/$w"
        timeout 600 snakemake -s "$REPO/workflows/snakemake/Snakefile" --configfile "$cf" \
            --config "${conf[@]}" --directory "$T/$w" -c 2 --quiet > "$T/$w.log" 2>&1 \
            || { cat "$T/$w.log"; return 1; }
    done
    [ -f "$T/w/demo/logs/scan_shard_3.log" ] && [ -f "$T/w/demo/logs/ism_shard_4.log" ]
    [ ! -e "$T/w/demo/scan/shards/1.tsv" ] && [ ! -e "$T/w/demo/ism/shards/1.tsv" ]   # temp()
    n=0
    for f in scan/sites.tsv pairs/pairs.tsv pairs/sources.tsv ism/effects.tsv stats/cooperativity.tsv \
             stats/cooperativity_matrix.tsv stats/heatmap.svg; do
        cmp "$T/one/demo/$f" "$T/w/demo/$f"
        n=$((n + 1))
    done
    [ "$n" -eq 7 ]
    diff <(body "$T/one/demo/stats/cooperativity.tsv") <(body "$D/stats/cooperativity.tsv")
}
