#!/usr/bin/env bats
# The whole workflow on real data (tests/real/config.yaml -> ../shared/data):
# hg19 chr22 slice x JASPAR 2024 vertebrates, HepG2 + K562 peaks, the trained
# ExplaiNN CNN, ExplaiNN filters vs JASPAR. Results stay in results/real/ for a look.
# Skipped when ../shared/data is absent.

load helpers

REPO="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
export PYTHONPATH="$BATS_TEST_DIRNAME${PYTHONPATH:+:$PYTHONPATH}"   # stage_tsv.py
OUT=results/real
R="$REPO/$OUT"

setup_file() {
    [ -d "$SHARED/data" ] || return 0
    cd "$REPO"
    rm -rf "$R"
    # offline Snakemake 7 can hang on features that download: bound it
    timeout 1500 snakemake -s workflows/snakemake/Snakefile --configfile tests/real/config.yaml \
        --config outdir="$OUT" bin_dir="$(cd "$BIN" && pwd)" --directory "$REPO" -c 2 --quiet \
        > "$BATS_FILE_TMPDIR/snakemake.log" 2>&1 \
        || { cat "$BATS_FILE_TMPDIR/snakemake.log" >&3; return 0; }
}

@test "real: the workflow produces every output" {
    need_shared
    for f in scan/sites.tsv pairs/pairs.tsv pairs/sources.tsv ism/effects.tsv stats/cooperativity.tsv \
             stats/cooperativity_matrix.tsv stats/heatmap.svg compare/matches.tsv; do
        [ -s "$R/$f" ] || { cat "$BATS_FILE_TMPDIR/snakemake.log"; echo "missing $R/$f"; return 1; }
    done
    for r in scan pairs ism stats compare convert_model; do
        [ -f "$R/logs/$r.log" ] || { echo "no log for rule $r"; return 1; }
        [ -f "$R/benchmarks/$r.tsv" ] || { echo "no benchmark for rule $r"; return 1; }
    done
}

@test "real: counts of sites, pairs and tested cells agree across stages (printed for the record)" {
    need_shared
    sites=$(grep -vc -e '^#' -e '^motif_id' "$R/scan/sites.tsv")
    pairs=$(body "$R/pairs/pairs.tsv" | tail -n +2 | wc -l)
    sources=$(body "$R/pairs/sources.tsv" | tail -n +2 | wc -l)
    cells=$(body "$R/stats/cooperativity.tsv" | awk -F'\t' 'NR>1 && ($3=="self"||$3=="pair")' | wc -l)
    echo "# sites=$sites sources=$sources pairs=$pairs tested_cells=$cells" >&3
    log=$(grep "coopmap-pairs: .* hits" "$R/logs/pairs.log")
    echo "$log" >&3
    # under the null, 879 motifs x 2 strands x 5.70 Mb of ACGT windows x 1e-4 ~ 1.0e6 hits;
    # real sequence is enriched: require the same order of magnitude
    [ "$sites" -gt 500000 ] && [ "$sites" -lt 3000000 ]
    # pairs read every hit; sources.tsv = sites whose window fits; pairs.tsv = pairs counted
    [[ "$log" == *"coopmap-pairs: $sites hits,"* ]]
    n=$(sed -E 's/.* ([0-9]+) sites \(([0-9]+) with windows.*/\1 \2/' <<< "$log")
    [ "$sources" -eq $(( ${n% *} - ${n#* } )) ]
    [[ "$log" == *", $pairs pairs ("* ]]
    # tested cells recomputed from effects.tsv: one self cell per source TF with self rows,
    # one pair cell per heterotypic (source TF, target TF) with pair rows
    want=$(/usr/bin/python3 - "$R/ism/effects.tsv" <<'PY'
import sys
from stage_tsv import rows
cells = set()
for e in rows(sys.argv[1]):
    if e['kind'] == 'self':
        cells.add((e['source_tf'], e['source_tf']))
    elif e['homotypic'] == '0':
        cells.add((e['source_tf'], e['target_tf']))
print(len(cells))
PY
)
    [ "$cells" -eq "$want" ]
}

@test "real: every effects row comes from pairs.tsv / sources.tsv, with the source TF's head" {
    need_shared
    /usr/bin/python3 - "$R" <<'PY'
import sys
from stage_tsv import rows
R = sys.argv[1]
pairs = {r['pair_id']: r for r in rows(f'{R}/pairs/pairs.tsv')}
sources = {r['site_id']: r for r in rows(f'{R}/pairs/sources.tsv')}
eff = rows(f'{R}/ism/effects.tsv')
assert eff, 'no effects'
heads = {'MAX', 'FOXA1', 'JUND'}
npair = nself = 0
for e in eff:
    assert e['head'].upper() == e['source_tf'].upper() and e['head'].upper() in heads, e
    if e['kind'] == 'pair':
        p = pairs[e['pair_id']]
        for k in ('chrom', 'source_tf', 'source_start', 'source_end', 'target_tf', 'target_start',
                  'target_end', 'window_start', 'window_end'):
            assert p[k] == e[k], (k, p, e)
        npair += 1
    else:
        assert e['kind'] == 'self'
        s = sources[e['pair_id']]
        assert (s['tf'], s['start'], s['end']) == (e['source_tf'], e['source_start'], e['source_end'])
        nself += 1
    b, ks = float(e['baseline']), float(e['ko_source'])
    assert 0 <= b <= 1 and 0 <= ks <= 1
    assert abs(float(e['delta_source']) - (ks - b)) < 1e-5
# every pair / source whose source TF has a head is scored
assert npair == sum(1 for p in pairs.values() if p['source_tf'].upper() in heads), npair
assert nself == sum(1 for s in sources.values() if s['tf'].upper() in heads), nself
print(f'# effects: {nself} self rows, {npair} pair rows')
PY
}

@test "real: FOXA1 and MAX self-effects are negative and significant; masks follow q" {
    need_shared
    /usr/bin/python3 - "$R" <<'PY'
import sys
from stage_tsv import rows
R = sys.argv[1]
coop = rows(f'{R}/stats/cooperativity.tsv')
cells = {(r['source_tf'], r['target_tf'], r['kind']): r for r in coop}
for tf in ('FOXA1', 'MAX'):
    r = cells[(tf, tf, 'self')]
    print(f"# self {tf}: n={r['n']} mean={r['mean']} p={r['p']} q={r['q']} score={r['score']}")
    assert float(r['mean']) < 0 and float(r['score']) < 0, r
    assert float(r['q']) <= 0.05 and r['masked'] == '0', r
for r in coop:
    if r['kind'] in ('self', 'pair'):
        assert (r['masked'] == '1') == (float(r['q']) > 0.05), r
        assert 0 <= float(r['p']) <= 1 and float(r['p']) <= float(r['q']) + 1e-12, r
PY
}

@test "real: matrix TSV holds exactly the unmasked self/pair scores" {
    need_shared
    /usr/bin/python3 - "$R" <<'PY'
import sys
from stage_tsv import rows
R = sys.argv[1]
long = {(r['source_tf'], r['target_tf']): r for r in rows(f'{R}/stats/cooperativity.tsv')
        if r['kind'] in ('self', 'pair')}
n = 0
for row in rows(f'{R}/stats/cooperativity_matrix.tsv'):
    for tgt, v in row.items():
        if tgt == 'source_tf':
            continue
        r = long.get((row['source_tf'], tgt))
        if v == '':
            assert r is None or r['masked'] == '1'
        else:
            assert r is not None and r['masked'] == '0' and abs(float(v) - float(r['score'])) < 1e-4 * max(1, abs(float(v)))
            n += 1
assert n == sum(1 for r in long.values() if r['masked'] == '0')
PY
}

@test "real: heatmap SVG is well-formed and labels the TFs" {
    need_shared
    /usr/bin/python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$R/stats/heatmap.svg"
    grep -q '>FOXA1<' "$R/stats/heatmap.svg"
    grep -q '>MAX<' "$R/stats/heatmap.svg"
}

@test "real: ISM is identical with 1 and 2 threads" {
    need_shared
    "$BIN/coopmap-ism" --model "$R/model/model.cmm" --genome "$SHARED/data/genome/hg19_chr22_1-22000000.fa.gz" \
        --sources "$R/pairs/sources.tsv" --pairs "$R/pairs/pairs.tsv" --threads 1 -o "$BATS_TEST_TMPDIR/e1.tsv"
    diff <(body "$R/ism/effects.tsv") <(body "$BATS_TEST_TMPDIR/e1.tsv")
}

@test "real: ExplaiNN filters vs JASPAR 2024 (compare) finds the FOXA motifs" {
    need_shared
    run head -1 "$R/compare/matches.tsv"
    assert_output "$(printf 'Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\tTarget_consensus\tOrientation')"
    # FOXA1 is one of the model's heads: some filter must match a FOXA motif at q <= 0.05
    n=$(/usr/bin/python3 - "$R/compare/matches.tsv" "$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.tsv" <<'PY'
import csv, sys
names = {r['matrix_id']: r['name'] for r in csv.DictReader(open(sys.argv[2]), delimiter='\t')}
n = 0
for l in open(sys.argv[1]):
    f = l.rstrip('\n').split('\t')
    if len(f) < 10 or f[0] == 'Query_ID' or l.startswith('#'):
        continue
    if names.get(f[1], '').upper().startswith('FOXA') and float(f[5]) <= 0.05:
        n += 1
print(n)
PY
)
    echo "# filter-FOXA matches at q <= 0.05: $n" >&3
    [ "$n" -gt 0 ]
}

@test "real: the ExplaiNN heads' patterns match FOXA, E-box (MAX) and AP-1 (JUND) motifs of JASPAR 2024 (q <= 0.05)" {
    need_shared
    P="$R/patterns"
    for f in patterns.meme patterns.tsv cwm.tsv seqlets.bed tomtom.tsv jos.tsv; do
        [ -s "$P/$f" ] || { cat "$BATS_FILE_TMPDIR/snakemake.log"; echo "missing $P/$f"; return 1; }
    done
    for m in GM12878 K562 HepG2; do
        for f in patterns.tsv tomtom.tsv jos.tsv; do [ -s "$R/maps/$m/patterns/$f" ] || { echo "missing $m/$f"; return 1; }; done
    done
    # what saturation and patterns cost, per map (Snakemake's benchmarks, seconds)
    for d in "$R" "$R"/maps/*; do
        echo "# ${d#$R/}: saturation $(tail -1 "$d/benchmarks/saturation.tsv" | cut -f1) s," \
             "patterns $(tail -1 "$d/benchmarks/patterns.tsv" | cut -f1) s," \
             "annotation $(tail -1 "$d/benchmarks/patterns_compare.tsv" | cut -f1) s" >&3
    done
    /usr/bin/python3 - "$P" "$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.tsv" "$REPO/tests/real/saturation.bed" <<'PY' >&3
import csv, re, sys
from stage_tsv import rows
P, jaspar, bed = sys.argv[1:]
names = {r['matrix_id']: r['name'] for r in csv.DictReader(open(jaspar), delimiter='\t')}
pats = rows(f'{P}/patterns.tsv')
assert {p['head'] for p in pats} == {'MAX', 'FOXA1', 'JUND'}, pats
tom = {}
for r in rows(f'{P}/tomtom.tsv'):
    tom.setdefault(r['Query_ID'], []).append((float(r['q-value']), float(r['E-value']), r['Target_ID']))
for v in tom.values():
    v.sort()
# one sequence per window of the BED (none overlap or touch): the share is over them
nreg = sum(1 for l in open(bed) if l.strip() and l[0] != '#')
for p in pats:
    top = ', '.join(f"{names[t]} {t} q={q:.2g}" for q, e, t in tom.get(p['pattern'], [])[:3])
    print(f"# {p['pattern']:12} {p['consensus']:16} seqlets {p['seqlets']:>3}, "
          f"share {float(p['share']):.3f}: {top or 'no match'}")
    assert abs(float(p['share']) - int(p['sequences']) / nreg) < 1e-4, (p, nreg)
def sig(head, ok):
    """(pattern, name, id, q) of the head's positive patterns' matches q <= 0.05 that ok() accepts."""
    return [(p['pattern'], names[t], t, q) for p in pats if p['head'] == head and p['sign'] == 'pos'
            for q, e, t in tom.get(p['pattern'], []) if q <= 0.05 and ok(names[t].upper())]
want = {'FOXA1': ('FOXA', lambda n: n.startswith('FOXA')),
        'MAX': ('MAX (E-box)', lambda n: n == 'MAX'),
        'JUND': ('JUND (AP-1)', lambda n: 'JUND' in n.split('::'))}
for head, (what, ok) in want.items():
    s = sig(head, ok)
    assert s, f"no positive {head} pattern matches {what} at q <= 0.05"
    best = min(s, key=lambda x: x[3])
    print(f"# {head}: {len(s)} significant {what} matches, best {best[0]} ~ {best[1]} {best[2]} q={best[3]:.2g}")
# the head's largest positive pattern is its own motif's: FOX core, E-box, AP-1 site
cons = {p['pattern']: p['consensus'] for p in pats}
rc = lambda s: s[::-1].translate(str.maketrans('ACGT', 'TGCA'))
for pat, motif in (('FOXA1_pos_0', 'T[AG]TTT[AG]C'), ('MAX_pos_0', 'CA[CT][GA]TG'), ('JUND_pos_0', 'TGA[CG]TCA')):
    assert re.search(motif, cons[pat]) or re.search(motif, rc(cons[pat])), (pat, cons[pat], motif)
# the JOS table: one row per head, n_patterns = the head's patterns
jos = {r['tf']: r for r in rows(f'{P}/jos.tsv')}
for head in want:
    n = sum(p['head'] == head for p in pats)
    assert int(jos[head]['n_patterns']) == n, (head, jos[head], n)
    assert jos[head]['jos'] == 'NA' if n < 2 else 0 <= float(jos[head]['jos']) <= 1, jos[head]
    print(f"# JOS {head}: {jos[head]['jos']} ({n} patterns)")
PY
}

# ---- coopmap-train and one map per cell line (tests/real/models, `make real-models`)

MODELS="$REPO/tests/real/models"
CELLS="GM12878 K562 HepG2"
GENOME_GZ="${SHARED}/data/genome/hg19_chr22_1-22000000.fa.gz"
PEAKS_GZ="${SHARED}/data/peaks/hg19_chr22_16050000-22000000.all_peaks.narrowPeak.gz"

@test "train: AUROC and AUPRC agree with hand-derived values and with scipy's Mann-Whitney U" {
    /usr/bin/python3 - "$REPO/scripts/coopmap-train" <<'PY'
import importlib.machinery, importlib.util, random, sys
loader = importlib.machinery.SourceFileLoader("coopmap_train", sys.argv[1])
spec = importlib.util.spec_from_loader("coopmap_train", loader)
t = importlib.util.module_from_spec(spec); loader.exec_module(t)
close = lambda a, b: abs(a - b) < 1e-12
# scores 0.1 0.4 0.35 0.8, labels 0 0 1 1: positives beat negatives in 3 of 4 pairs;
# ranked 0.8(+) 0.4(-) 0.35(+) 0.1(-): AP = 1/2 * 1 + 1/2 * 2/3 = 5/6
assert close(t.auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75)
assert close(t.auprc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 5 / 6)
# ties: one tied (pos, neg) pair counts 1/2; a tied block enters the PR curve at once
assert close(t.auroc([0.5, 0.5], [0, 1]), 0.5) and close(t.auprc([0.5, 0.5], [0, 1]), 0.5)
# 0.9(+) then {0.5+, 0.5-, 0.5-}: ROC pairs (+0.9 > both -) 2 + (0.5+ vs 2 tied -) 1 -> 3/4;
# AP = 1/2 * 1 + 1/2 * (2/4)
assert close(t.auroc([0.9, 0.5, 0.5, 0.5], [1, 1, 0, 0]), 0.75)
assert close(t.auprc([0.9, 0.5, 0.5, 0.5], [1, 1, 0, 0]), 0.75)
assert t.auroc([1, 2], [1, 1]) is None and t.auprc([1, 2], [0, 0]) is None
assert close(t.auroc([3, 2, 1], [1, 0, 0]), 1.0) and close(t.auroc([1, 2, 3], [1, 0, 0]), 0.0)
# random data with many ties against scipy: AUROC = U / (n1 n0); AP against the
# definition sum_k (R_k - R_k-1) P_k evaluated at every distinct threshold
from scipy.stats import mannwhitneyu
rng = random.Random(7)
for _ in range(20):
    n = rng.randint(5, 60)
    s = [rng.randint(0, 8) / 4 for _ in range(n)]
    y = [rng.random() < 0.4 for _ in range(n)]
    y[0], y[1] = True, False
    y = [int(v) for v in y]
    n1 = sum(y); n0 = n - n1
    u = mannwhitneyu([a for a, b in zip(s, y) if b], [a for a, b in zip(s, y) if not b],
                     alternative="two-sided").statistic
    assert abs(t.auroc(s, y) - u / (n1 * n0)) < 1e-12
    ap, prev = 0.0, 0.0
    for th in sorted(set(s), reverse=True):
        sel = [b for a, b in zip(s, y) if a >= th]
        r = sum(sel) / n1
        ap += (r - prev) * sum(sel) / len(sel); prev = r
    assert abs(t.auprc(s, y) - ap) < 1e-12
print("# metrics ok")
PY
}

@test "train: a small model is bit-identical for one seed, differs for another, and coopmap-ism reproduces PyTorch" {
    need_shared
    T="$BATS_TEST_TMPDIR"
    small=(--genome "$GENOME_GZ" --peaks "$PEAKS_GZ" --cell HepG2 --units 8 --hidden 10 --epochs 1
           --max-examples 300 --threads 2 --quiet)
    /usr/bin/python3 "$REPO/scripts/coopmap-train" "${small[@]}" --seed 3 -o "$T/a"
    /usr/bin/python3 "$REPO/scripts/coopmap-train" "${small[@]}" --seed 3 -o "$T/b"
    /usr/bin/python3 "$REPO/scripts/coopmap-train" "${small[@]}" --seed 4 -o "$T/c"
    cmp "$T/a.cmm" "$T/b.cmm"
    cmp "$T/a.metrics.tsv" "$T/b.metrics.tsv"
    ! cmp -s "$T/a.cmm" "$T/c.cmm"
    grep -q '^heads ARID3A ATF3 ATF7 CEBPB CREB1 CTCF EP300 FOXA1 FOXA2 GABPA HNF4A JUND MAFK MAX REST TEAD4 YY1 ZNF143$' "$T/a.cmm"
    # PyTorch forward (eval mode) of the saved state_dict vs the C engine on 40 real windows
    /usr/bin/python3 - "$REPO/scripts/coopmap-train" "$T/a.pth" "$GENOME_GZ" "$T/w.fa" "$T/torch.tsv" <<'PY'
import importlib.machinery, importlib.util, sys, torch
loader = importlib.machinery.SourceFileLoader("coopmap_train", sys.argv[1])
spec = importlib.util.spec_from_loader("coopmap_train", loader)
t = importlib.util.module_from_spec(spec); loader.exec_module(t)
sd = torch.load(sys.argv[2])
m = t.explainn(torch, 8, 19, 10, 200, sd["final.weight"].shape[0], 7, 7)
m.load_state_dict(sd); m.eval()
g = t.read_fasta_gz(sys.argv[3])["chr22"]
seqs = [g[s:s + 200] for s in range(17000000, 21000000, 100000)]
with open(sys.argv[4], "w") as f:
    for i, s in enumerate(seqs):
        f.write(">w%d\n%s\n" % (i, s.decode()))
with torch.no_grad():
    out = m(t.onehot(torch, seqs)).tolist()
with open(sys.argv[5], "w") as f:
    for i, o in enumerate(out):
        f.write("w%d\t%s\n" % (i, "\t".join("%.6f" % v for v in o)))
PY
    "$BIN/coopmap-ism" --model "$T/a.cmm" --predict "$T/w.fa" -o "$T/c.tsv"
    /usr/bin/python3 - "$T/torch.tsv" "$T/c.tsv" <<'PY' >&3
import sys
ref = {l.split("\t")[0]: [float(x) for x in l.split("\t")[1:]] for l in open(sys.argv[1])}
lines = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if not l.startswith("#")]
hdr, body = lines[0], lines[1:]
li = [i for i, h in enumerate(hdr) if h.startswith("logit_")]
assert len(body) == len(ref) == 40 and len(li) == 18, (len(body), len(li))
worst = max(abs(float(r[i]) - ref[r[0]][k]) for r in body for k, i in enumerate(li))
print("# max |logit C - PyTorch| = %.2g" % worst)
assert worst < 1e-3, worst
PY
}

@test "real maps: one map per cell line, over hundreds of tested cells, every head in that cell's model" {
    need_shared
    total=0
    for c in $CELLS; do
        for f in pairs/pairs.tsv pairs/sources.tsv ism/effects.tsv stats/cooperativity.tsv \
                 stats/cooperativity_matrix.tsv stats/heatmap.svg; do
            [ -s "$R/maps/$c/$f" ] || { cat "$BATS_FILE_TMPDIR/snakemake.log"; echo "missing $R/maps/$c/$f"; return 1; }
        done
        n=$(/usr/bin/python3 - "$R/maps/$c" "$MODELS/$c.cmm" "$MODELS/$c.metrics.tsv" <<'PY'
import sys
from stage_tsv import rows
M, cmm, met = sys.argv[1:]
heads = next(l.decode().split()[1:] for l in open(cmm, 'rb') if l.startswith(b'heads '))
H = {h.upper() for h in heads}
metrics = {r['head'].upper(): r for r in rows(met)}
assert set(metrics) == H, (sorted(H - set(metrics)), sorted(set(metrics) - H))
for r in metrics.values():
    assert r['auroc'] == 'NA' or 0 <= float(r['auroc']) <= 1, r
eff = rows(f'{M}/ism/effects.tsv')
assert eff
for e in eff:
    assert e['head'].upper() in H and e['head'].upper() == e['source_tf'].upper(), e
cells = [r for r in rows(f'{M}/stats/cooperativity.tsv') if r['kind'] in ('self', 'pair')]
srcs = sorted({r['source_tf'] for r in cells})
assert all(s.upper() in H for s in srcs)
print(len(cells), len(srcs), len(heads))
PY
) || return 1
        read cells nsrc nheads <<< "$n"
        echo "# map $c: $cells tested cells, $nsrc of $nheads heads are sources with sites" >&3
        total=$((total + cells))
        case $c in
            GM12878) [ "$cells" -ge 90 ] ;;
            K562)    [ "$cells" -ge 190 ] ;;
            HepG2)   [ "$cells" -ge 80 ] ;;
        esac
    done
    echo "# all maps: $total tested cells" >&3
    [ "$total" -ge 360 ]
}

@test "real maps: held-out AUROC of the per-cell-line models beats chance" {
    need_shared
    for c in $CELLS; do
        /usr/bin/python3 - "$MODELS/$c.metrics.tsv" <<'PY' >&3
import sys
from stage_tsv import rows
r = [float(x['auroc']) for x in rows(sys.argv[1]) if x['auroc'] != 'NA']
mean = sum(r) / len(r)
print(f"# {sys.argv[1].rsplit('/', 1)[1]}: {len(r)} heads, mean held-out AUROC {mean:.3f}")
assert len(r) >= 10 and mean > 0.6, mean
PY
    done
}

@test "real maps: known partners are reported (tests/real/known_partners.py)" {
    need_shared
    /usr/bin/python3 "$BATS_TEST_DIRNAME/real/known_partners.py" "$R" "$MODELS" > "$R/maps/known_partners.tsv"
    cat "$R/maps/known_partners.tsv" | sed 's/^/# /' >&3
    /usr/bin/python3 - "$R/maps/known_partners.tsv" <<'PY'
import csv, sys
t = {(r['cell'], r['source'], r['target']): r for r in csv.DictReader(open(sys.argv[1]), delimiter='\t')}
assert len(t) == 30, len(t)
# RAD21 has no JASPAR motif: never a site, whatever the model
for c in ('GM12878', 'K562'):
    assert t[(c, 'RAD21', 'CTCF')]['status'] in ('no sites', 'no head'), t[(c, 'RAD21', 'CTCF')]
# GM12878 has 4 JUND peaks in the slice: no head
assert t[('GM12878', 'JUND', 'ATF7')]['status'] == 'no head'
# K562 GATA1 and TAL1 sites are the same GATA1::TAL1 composite hits (MA0140.3) in
# peaks of both: every candidate pair overlaps and is dropped (pairs.allow_overlap)
for k in (('K562', 'GATA1', 'TAL1'), ('K562', 'TAL1', 'GATA1')):
    assert t[k]['status'] == 'no pairs', t[k]
# these cells are tested in the maps
for k in (('K562', 'JUND', 'ATF3'), ('K562', 'ATF3', 'JUND'), ('K562', 'GATA2', 'TAL1'), ('K562', 'TAL1', 'GATA2'),
          ('HepG2', 'FOXA1', 'HNF4A'), ('HepG2', 'HNF4A', 'FOXA1'), ('HepG2', 'JUND', 'ATF3')):
    assert t[k]['status'] == 'tested', t[k]
for r in t.values():
    if r['status'] == 'tested':
        assert int(r['n']) >= 1 and 0 <= float(r['q']) <= 1 and r['auroc_source'] != 'NA', r
PY
}

@test "train --arch basset: a tiny Basset-style model converts to kind seqcnn and coopmap-ism reproduces PyTorch" {
    need_shared
    T="$BATS_TEST_TMPDIR"
    /usr/bin/python3 "$REPO/scripts/coopmap-train" --genome "$GENOME_GZ" --peaks "$PEAKS_GZ" --cell HepG2 \
        --arch basset --epochs 1 --max-examples 200 --threads 2 --seed 5 --quiet -o "$T/b"
    grep -q '^kind seqcnn$' "$T/b.cmm"
    grep -q '^layer 16 linear name=fc2 in=64 out=18$' "$T/b.cmm"
    # PyTorch forward (eval mode) of the saved state_dict vs the C engine on 20 real windows
    /usr/bin/python3 - "$REPO/scripts/coopmap-train" "$T/b" "$GENOME_GZ" <<'PY'
import importlib.machinery, importlib.util, json, sys, torch
loader = importlib.machinery.SourceFileLoader("coopmap_train", sys.argv[1])
spec = importlib.util.spec_from_loader("coopmap_train", loader)
t = importlib.util.module_from_spec(spec); loader.exec_module(t)
pre = sys.argv[2]
heads = next(l.decode().split()[1:] for l in open(pre + ".cmm", "rb") if l.startswith(b"heads "))
assert len(heads) == 18, heads
# one metrics row per head, in head order
rows = [l.rstrip("\n").split("\t") for l in open(pre + ".metrics.tsv") if not l.startswith("#")]
assert rows[0] == ["head", "n_pos", "n_neg", "auroc", "auprc"] and [r[0] for r in rows[1:]] == heads, rows
assert json.load(open(pre + ".arch.json")) == t.basset_arch(200, 18)
m = t.basset(torch, 200, 18)
m.load_state_dict(torch.load(pre + ".pth")); m.eval()
g = t.read_fasta_gz(sys.argv[3])["chr22"]
seqs = [g[s:s + 200] for s in range(17000000, 21000000, 200000)]
with open(pre + ".w.fa", "w") as f:
    for i, s in enumerate(seqs):
        f.write(">w%d\n%s\n" % (i, s.decode()))
with torch.no_grad():
    out = m(t.onehot(torch, seqs)).tolist()
with open(pre + ".torch.tsv", "w") as f:
    for i, o in enumerate(out):
        f.write("w%d\t%s\n" % (i, "\t".join("%.9g" % v for v in o)))
PY
    "$BIN/coopmap-ism" --model "$T/b.cmm" --predict "$T/b.w.fa" -o "$T/b.c.tsv"
    /usr/bin/python3 - "$T/b.torch.tsv" "$T/b.c.tsv" <<'PY' >&3
import sys
ref = {l.split("\t")[0]: [float(x) for x in l.split("\t")[1:]] for l in open(sys.argv[1])}
lines = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if not l.startswith("#")]
hdr, body = lines[0], lines[1:]
li = [i for i, h in enumerate(hdr) if h.startswith("logit_")]
assert len(body) == len(ref) == 20 and len(li) == 18, (len(body), len(li))
worst = max(abs(float(r[i]) - ref[r[0]][k]) for r in body for k, i in enumerate(li))
spread = max(abs(v) for o in ref.values() for v in o)
print("# basset: max |logit C - PyTorch| = %.2g (max |logit| %.3g)" % (worst, spread))
assert worst <= 1e-4 and spread > 1e-3, (worst, spread)
PY
}

@test "real: 4 scan shards and 4 ism shards give every final file byte-identical (cmp)" {
    need_shared
    # the same config with scan.shards = ism.shards = 4, run under another --directory
    # with the same relative outdir, so even the provenance lines must agree
    W="$BATS_TEST_TMPDIR/w"
    mkdir -p "$W"
    /usr/bin/python3 - "$REPO/tests/real/config.yaml" "$W/sharded.yaml" <<'PY'
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
c.setdefault("scan", {})["shards"] = 4
c.setdefault("ism", {})["shards"] = 4
yaml.safe_dump(c, open(sys.argv[2], "w"), allow_unicode=True)
PY
    timeout 1500 snakemake -s "$REPO/workflows/snakemake/Snakefile" --configfile "$W/sharded.yaml" \
        --config outdir="$OUT" bin_dir="$(cd "$BIN" && pwd)" --directory "$W" -c 2 --quiet \
        > "$W/snakemake.log" 2>&1 || { cat "$W/snakemake.log"; return 1; }
    S="$W/$OUT"
    [ -f "$S/logs/scan_shard_4.log" ] && [ -f "$S/maps/K562/logs/ism_shard_4.log" ] && [ -f "$S/logs/ism_shard_4.log" ]
    # every output file of both runs (logs, benchmarks, the run manifest and the table
    # an earlier test wrote into results/real aside)
    outputs() { (cd "$1" && find . -type f ! -path './logs/*' ! -path '*/logs/*' ! -path '*benchmarks/*' \
        ! -name manifest.json ! -name manifest.tsv ! -path ./report/index.html \
        ! -path ./maps/known_partners.tsv | sort); }
    diff <(outputs "$R") <(outputs "$S")
    n=0
    while read -r f; do
        cmp "$R/$f" "$S/$f"
        n=$((n + 1))
    done < <(outputs "$R")
    echo "# $n final files identical with 4 scan and 4 ism shards" >&3
    [ "$n" -ge 20 ]
}

@test "real: the report opens in headless Chromium with every figure the run allows" {
    need_shared
    command -v chromium > /dev/null || skip "chromium not installed (make deps-test)"
    P="$R/report"
    # 4 maps (main + 3 cell lines): each map, the panel, the profile, 4 rankings,
    # 4 saturation tracks, the Tomtom heatmap (no compare.labels: no JOS), and per map
    # the patterns' Tomtom heatmap and JOS bars
    for f in map_main map_GM12878 map_K562 map_HepG2 maps_panel distance_profile ranking_main \
             ranking_GM12878 ranking_K562 ranking_HepG2 saturation_main saturation_GM12878 \
             saturation_K562 saturation_HepG2 tomtom \
             patterns_tomtom_{main,GM12878,K562,HepG2} patterns_jos_{main,GM12878,K562,HepG2}; do
        [ -s "$P/figures/$f.svg" ] || { ls "$P/figures"; echo "no $f.svg"; return 1; }
    done
    n=$(ls "$P/figures" | wc -l)
    [ "$n" -eq 23 ]
    # the patterns section: a table per map, the main map's rows as patterns.tsv's, each
    # head's JOS bar, JASPAR names on the heatmap's targets (--motif-names)
    grep -q '<section id="patterns">' "$P/index.html"
    [ "$(grep -c '<table class="sortable patterns">' "$P/index.html")" -eq 4 ]
    for pat in $(body "$R/patterns/patterns.tsv" | tail -n +2 | cut -f1); do
        grep -q "<tr><td>$pat</td>" "$P/index.html" || { echo "no row $pat"; return 1; }
    done
    for h in MAX FOXA1 JUND; do grep -q "<title>$h: JOS" "$P/figures/patterns_jos_main.svg"; done
    grep -q '>MA0058.4 MAX<' "$P/figures/patterns_tomtom_main.svg"
    local cr=(chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
              --user-data-dir="$BATS_TEST_TMPDIR/chrome")
    timeout 180 "${cr[@]}" --dump-dom "file://$P/index.html" > "$BATS_TEST_TMPDIR/dom.html" 2> /dev/null
    [ "$(grep -o '<svg' "$BATS_TEST_TMPDIR/dom.html" | wc -l)" -eq "$n" ]
    timeout 180 "${cr[@]}" --window-size=1400,2400 --screenshot="$BATS_TEST_TMPDIR/shot.png" \
        "file://$P/index.html" > /dev/null 2>&1
    /usr/bin/python3 - "$BATS_TEST_TMPDIR/shot.png" <<'PY'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
colours = im.getcolors(maxcolors=1 << 22) or []
nonwhite = sum(n for n, c in colours if c != (255, 255, 255))
assert len(colours) > 50 and nonwhite > 0.03 * im.size[0] * im.size[1], (len(colours), nonwhite)
blues = sum(n for n, (r, g, b) in colours if b > 150 and r < 120)
assert blues > 50, "no negative (blue) cell on the maps"
PY
    # the run's parameters, versions and checksums from the manifest
    grep -q '<h3>tools</h3>' "$P/index.html"
    grep -q '<td>scan.thresh</td>' "$P/index.html"
    grep -q "$(sha256sum < "$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme" | cut -c1-64)" "$P/index.html"
    echo "# report: $n figures, $(du -k "$P/index.html" | cut -f1) kB page" >&3
}
