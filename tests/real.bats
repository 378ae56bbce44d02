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
        --config outdir="$OUT" --directory "$REPO" -c 2 --quiet > "$BATS_FILE_TMPDIR/snakemake.log" 2>&1 \
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
    "$REPO/bin/coopmap-ism" --model "$R/model/model.cmm" --genome "$SHARED/data/genome/hg19_chr22_1-22000000.fa.gz" \
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
