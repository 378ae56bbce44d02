#!/usr/bin/env bats
# coopmap-stats on the hand-made tests/fixtures/stats/effects.tsv (made by
# make_fixtures.py, which also wrote expected_long.tsv from scipy/mpmath t-tests and
# statsmodels fdr_bh q-values, BH families self+pair / homotypic / interaction).
# Cells: self CTCF (n 8, significant), GATA1 (n 4), FOS::JUN (n 1 => p 1);
# pair CTCF>GATA1 (significant), CTCF>FOS::JUN, GATA1>CTCF (zero variance => p 1),
# GATA1>A&B<x> (n 2); homotypic CTCF>CTCF; interaction CTCF>CTCF/GATA1/FOS::JUN.

load helpers

setup() {
    T="$BATS_TEST_TMPDIR"
    E="$FIX/stats/effects.tsv"
}

# Compare a cooperativity.tsv with expected_long.tsv: same keys in the same order,
# n/kind/masked exact, numbers to 5.1e-6 relative (%.6g rounding), empty <=> empty;
# then the appended columns: test "t", family by kind (self/pair -> map), the 95% CI
# mean -/+ t.ppf(0.975, n-1) sd / sqrt(n) and Cohen's d = mean / sd from the expected
# mean and sd (empty when n < 2; d empty when sd = 0).
compare_long() {
    /usr/bin/python3 - "$1" "$FIX/stats/${2:-expected_long.tsv}" <<'EOF'
import sys, math
from decimal import Decimal   # exact also for p/q printed beyond the double range
from scipy import stats
def rows(p):
    return [l.rstrip('\n').split('\t') for l in open(p) if not l.startswith('#')]
got, want = rows(sys.argv[1]), rows(sys.argv[2])
assert got[0] == want[0] + ['test', 'family', 'ci_low', 'ci_high', 'cohens_d'], ('header', got[0])
assert len(got) == len(want), ('rows', len(got), len(want))
fam = {'self': 'map', 'pair': 'map', 'homotypic': 'homotypic', 'interaction': 'interaction'}
def close(a, b, scale):
    return abs(Decimal(a) - Decimal(repr(b))) <= Decimal('5.1e-6') * Decimal(repr(scale))
for g, w in zip(got[1:], want[1:]):
    assert len(g) == 16 and g[:4] == w[:4] and g[10] == w[10], (g, w)
    for col, a, b in zip(want[0][4:10], g[4:10], w[4:10]):
        if b == '':
            assert a == '', (col, g, w)
            continue
        a, b = Decimal(a), Decimal(b)
        assert abs(a - b) <= Decimal('5.1e-6') * abs(b), (col, str(a), str(b), g)
    assert g[11] == 't' and g[12] == fam[g[2]], g
    n, mean = int(w[3]), float(w[4])
    if n < 2:
        assert g[13:] == ['', '', ''], g
        continue
    sd = float(w[5])
    h = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    assert close(g[13], mean - h, abs(mean) + h) and close(g[14], mean + h, abs(mean) + h), (g, mean, h)
    assert (g[15] == '') if sd == 0 else close(g[15], mean / sd, abs(mean / sd)), g
print('ok %d rows' % (len(got) - 1))
EOF
}

@test "stats: --version and --help" {
    run "$BIN/coopmap-stats" --version
    assert_success
    assert_output "coopmap-stats 0.1.0"
    run "$BIN/coopmap-stats" --help
    assert_success
    for w in --prefix --long --matrix --svg --profile --ranking --alpha --title --values --bin --threads \
             "BH families" "source_tf target_tf" masked mean_abs_target_effect n_interaction; do
        assert_output --partial -- "$w"
    done
}

@test "stats: long TSV matches scipy/statsmodels reference values" {
    run "$BIN/coopmap-stats" -o "$T/" "$E"
    assert_success
    run compare_long "$T/cooperativity.tsv"
    assert_success
    assert_output "ok 11 rows"
    run head -1 "$T/cooperativity.tsv"
    assert_output --regexp '^# coopmap-stats 0\.1\.0: .*coopmap-stats -o .*effects\.tsv$'
    # the printed values themselves (%.6g), one heatmap row, the n=1 and zero-variance rows
    run grep -P '^CTCF\tGATA1\tpair\t' "$T/cooperativity.tsv"
    assert_output "$(printf 'CTCF\tGATA1\tpair\t6\t0.0574215\t0.014745\t9.53904\t0.000214268\t3.66904\t0.000749937\t0\tt\tmap\t0.0419475\t0.0728955\t3.8943')"
    run grep -P '^FOS::JUN\tFOS::JUN\tself\t' "$T/cooperativity.tsv"
    assert_output "$(printf 'FOS::JUN\tFOS::JUN\tself\t1\t-0.3\t\t\t1\t0\t1\t1\tt\tmap\t\t\t')"
    run grep -P '^GATA1\tCTCF\tpair\t' "$T/cooperativity.tsv"
    assert_output "$(printf 'GATA1\tCTCF\tpair\t3\t0.02\t0\t\t1\t0\t1\t1\tt\tmap\t0.02\t0.02\t')"
    # homotypic is its own BH family of one cell: q = p
    run grep -P '^CTCF\tCTCF\thomotypic\t' "$T/cooperativity.tsv"
    assert_output "$(printf 'CTCF\tCTCF\thomotypic\t4\t-0.0796805\t0.0145876\t-10.9244\t0.00164183\t-2.78467\t0.00164183\t0\tt\thomotypic\t-0.102893\t-0.0564684\t-5.46221')"
}

@test "stats: p below the double range: exact from its log, finite score" {
    run "$BIN/coopmap-stats" --long "$T/l.tsv" --matrix "$T/m.tsv" "$FIX/stats/effects_tiny.tsv"
    assert_success
    run compare_long "$T/l.tsv" expected_long_tiny.tsv
    assert_success
    assert_output "ok 2 rows"
    run grep -P '^GATA1\tGATA1\tself\t' "$T/l.tsv"
    assert_output "$(printf 'GATA1\tGATA1\tself\t200\t-1\t0.000200229\t-70630.2\t3.4575e-738\t-737.461\t6.91499e-738\t0\tt\tmap\t-1.00003\t-0.999975\t-4994.31')"
    run grep -P '^GATA1\t' "$T/m.tsv"
    assert_output "$(printf 'GATA1\t\t-737.461')"
}

@test "stats: matrix TSV shape, masked and untested cells empty" {
    run "$BIN/coopmap-stats" --matrix "$T/m.tsv" "$E"
    assert_success
    [ ! -e "$T/cooperativity.tsv" ]
    run body "$T/m.tsv"
    # A&B<x> is never a source of a tested cell: no row by default (it stays a column)
    assert_equal "${#lines[@]}" 4
    assert_line --index 0 "$(printf 'source_tf\tA&B<x>\tCTCF\tFOS::JUN\tGATA1')"
    assert_line --index 1 "$(printf 'CTCF\t\t-5.13606\t\t3.66904')"
    assert_line --index 2 "$(printf 'FOS::JUN\t\t\t\t')"
    assert_line --index 3 "$(printf 'GATA1\t\t\t\t')"
    run "$BIN/coopmap-stats" --square --matrix "$T/sq.tsv" "$E"
    assert_success
    run body "$T/sq.tsv"
    assert_equal "${#lines[@]}" 5
    assert_line --index 1 "$(printf 'A&B<x>\t\t\t\t')"
    assert_line --index 2 "$(printf 'CTCF\t\t-5.13606\t\t3.66904')"
    # every row of the square matrix has 1 + 4 fields
    run awk -F'\t' '!/^#/ && NF != 5' "$T/sq.tsv"
    assert_output ""
    # --alpha 1 unmasks every tested cell (masked GATA1 self now shows its score)
    run "$BIN/coopmap-stats" --alpha 1 --matrix "$T/m1.tsv" "$E"
    assert_success
    run grep -P '^GATA1\t' "$T/m1.tsv"
    assert_output "$(printf 'GATA1\t0.978245\t0\t\t0.4509')"
}

@test "stats: SVG is well-formed XML with escaped TF labels, title and legend" {
    run "$BIN/coopmap-stats" --svg "$T/h.svg" --title 'K562 & <test>' "$E"
    assert_success
    run /usr/bin/python3 -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
print(d.documentElement.tagName)
t = [n.firstChild.data for n in d.getElementsByTagName("text") if n.firstChild]
for w in ("A&B<x>", "CTCF", "FOS::JUN", "GATA1", "K562 & <test>", "masked (q > 0.05)", "-5.1", "3.7"):
    assert w in t, w
print(len(d.getElementsByTagName("rect")))' "$T/h.svg"
    assert_success
    assert_line --index 0 svg
    grep -q 'coopmap-stats 0.1.0' "$T/h.svg"
    grep -q 'url(#hatch)' "$T/h.svg"
}

@test "stats: distance profile and TF ranking" {
    run "$BIN/coopmap-stats" --profile "$T/p.tsv" --ranking "$T/r.tsv" --bin 100 "$E"
    assert_success
    run body "$T/p.tsv"
    assert_line --index 0 "$(printf 'kind\tbin_start\tbin_end\tn\tmean_delta_target\tsd_delta_target\tmean_abs_delta_target\tn_interaction\tmean_interaction')"
    # [0,100): CTCF>GATA1 at 40 and 70 bp, GATA1>A&B<x> at 10 bp; 20 pair rows in all
    run awk -F'\t' '!/^#/ && $1 == "pair" && $2 == 0' "$T/p.tsv"
    assert_output --regexp "^pair	0	100	3	"
    run awk -F'\t' '!/^#/ && NR > 2 {n += $4} END {print n}' "$T/p.tsv"
    assert_output 20
    run body "$T/r.tsv"
    # FOS::JUN: one self row, |-0.3|; CTCF: 8 self rows, all negative, so mean |delta| =
    # -mean = 0.20548475 (expected_long.tsv); 15 pair rows as source (6 + 5 + 4 homotypic)
    assert_line --index 0 "$(printf 'tf\tn_self\tmean_abs_self\tn_pair\tmean_abs_target_effect')"
    assert_line --index 1 "$(printf 'FOS::JUN\t1\t0.3\t0\t')"
    assert_line --index 2 --regexp "^CTCF	8	0.205485	15	"
}

@test "stats: results do not depend on threads; shards pool; gzip input" {
    "$BIN/coopmap-stats" --threads 1 --long "$T/a.tsv" "$E"
    "$BIN/coopmap-stats" --threads 2 --long "$T/b.tsv" "$E"
    diff <(body "$T/a.tsv") <(body "$T/b.tsv")
    # split into two shards, each with the header line (the second without the '#' line)
    { sed -n 1,2p "$E"; sed -n 3,12p "$E"; } > "$T/s1.tsv"
    { sed -n 2p "$E"; sed -n '13,$p' "$E"; } | gzip > "$T/s2.tsv.gz"
    "$BIN/coopmap-stats" --long "$T/c.tsv" "$T/s1.tsv" "$T/s2.tsv.gz"
    diff <(body "$T/a.tsv") <(body "$T/c.tsv")
    # no output option: long table on stdout
    run "$BIN/coopmap-stats" "$E"
    assert_success
    assert_line --index 1 "$(printf 'source_tf\ttarget_tf\tkind\tn\tmean\tsd\tt\tp\tscore\tq\tmasked\ttest\tfamily\tci_low\tci_high\tcohens_d')"
}

@test "stats: missing column => FILE:LINE message, exit 1, no output left" {
    # rename the delta_target header field
    sed '2s/\tdelta_target\t/\tdelta_tgt\t/' "$E" > "$T/bad.tsv"
    mkdir "$T/out"
    run "$BIN/coopmap-stats" -o "$T/out/" "$T/bad.tsv"
    assert_failure 1
    assert_output "coopmap-stats: $T/bad.tsv:2: missing column 'delta_target' in the header line"
    run ls -A "$T/out"
    assert_output ""
}

@test "stats: non-numeric value => FILE:LINE message, exit 1, no output left" {
    # line 7 is the 5th data row (a self row): corrupt its delta_source
    awk -F'\t' -v OFS='\t' 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == "delta_source") c = i }
                           NR == 7 { $c = "0.1x" } { print }' "$E" > "$T/bad.tsv"
    mkdir "$T/out"
    run "$BIN/coopmap-stats" -o "$T/out/" "$T/bad.tsv"
    assert_failure 1
    assert_output "coopmap-stats: $T/bad.tsv:7: column 'delta_source': '0.1x' is not a finite number"
    run ls -A "$T/out"
    assert_output ""
    # a bad second shard also leaves nothing
    run "$BIN/coopmap-stats" -o "$T/out/" "$E" "$T/bad.tsv"
    assert_failure 1
    run ls -A "$T/out"
    assert_output ""
}

@test "stats: a failed write leaves none of the outputs" {
    [ -w /dev/full ] || skip "/dev/full not available"
    mkdir "$T/out"
    run "$BIN/coopmap-stats" --long "$T/out/l.tsv" --matrix /dev/full --ranking "$T/out/r.tsv" "$E"
    assert_failure 1
    assert_output --partial "coopmap-stats: /dev/full: write error"
    run ls -A "$T/out"
    assert_output ""
}

@test "stats: -o DIR is a directory (created with its parents), --prefix prepends" {
    cd "$T"
    run "$BIN/coopmap-stats" -o results "$E"
    assert_success
    run ls results
    assert_output "$(printf '%s\n' cooperativity.svg cooperativity.tsv cooperativity_matrix.tsv distance_profile.tsv tf_ranking.tsv)"
    [ ! -e resultscooperativity.tsv ]
    run compare_long results/cooperativity.tsv
    assert_output "ok 11 rows"
    run "$BIN/coopmap-stats" --outdir a/b/c --prefix k562_ "$E"
    assert_success
    run ls a/b/c
    assert_output "$(printf 'k562_%s\n' cooperativity.svg cooperativity.tsv cooperativity_matrix.tsv distance_profile.tsv tf_ranking.tsv)"
    cmp <(body results/cooperativity.tsv) <(body a/b/c/k562_cooperativity.tsv)
    # --prefix alone: the old prefix use; --long overrides one name
    mkdir p
    run "$BIN/coopmap-stats" --prefix p/x_ --long long.tsv "$E"
    assert_success
    run ls p
    assert_output "$(printf 'x_%s\n' cooperativity.svg cooperativity_matrix.tsv distance_profile.tsv tf_ranking.tsv)"
    cmp <(body results/cooperativity.tsv) <(body long.tsv)
}

@test "stats: -o DIR refused when not a directory; a failing run removes the DIR it made" {
    run "$BIN/coopmap-stats" -o /dev/full "$E"
    assert_failure 1
    assert_output "coopmap-stats: /dev/full: not a directory"
    touch "$T/file"
    run "$BIN/coopmap-stats" -o "$T/file/sub" "$E"
    assert_failure 1
    assert_output "coopmap-stats: $T/file: not a directory"
    # bad input: DIR is not created at all
    sed '2s/\tdelta_target\t/\tdelta_tgt\t/' "$E" > "$T/bad.tsv"
    run "$BIN/coopmap-stats" -o "$T/new/out" "$T/bad.tsv"
    assert_failure 1
    [ ! -e "$T/new" ]
    # a write that fails after DIR was made: DIR and its created parent are removed
    run "$BIN/coopmap-stats" -o "$T/new/out" --matrix /dev/full "$E"
    assert_failure 1
    assert_output --partial "coopmap-stats: /dev/full: write error: No space left on device"
    [ ! -e "$T/new" ]
}

@test "stats: bad options" {
    run "$BIN/coopmap-stats" --alpha 0 "$E"
    assert_failure 1
    assert_output --partial "--alpha: '0' is not a number in (0, 1]"
    run "$BIN/coopmap-stats" --values maybe "$E"
    assert_failure 1
    run "$BIN/coopmap-stats" --long "$T/x.tsv"
    assert_failure 1
    assert_output --partial "no effects file"
    run "$BIN/coopmap-stats" --long "$T/x.tsv" "$T/missing.tsv"
    assert_failure 1
    assert_output --partial "missing.tsv"
    [ ! -e "$T/x.tsv" ]
    run "$BIN/coopmap-stats" --long "$T/nodir/x.tsv" "$E"
    assert_failure 1
    assert_output --partial "nodir/x.tsv: cannot write"
}

# The reference rows below (p score q masked, %.6g) were computed with Debian's scipy
# 1.10.1 and statsmodels 0.13.5 from the cells of effects.tsv (values of each cell in
# file order; BH/BY within the families map = self + pair, homotypic, interaction):
#   scipy.stats.wilcoxon(x).pvalue (zero_method 'wilcox', method 'auto': exact for the
#   cells here without zeros, the normal approximation for the CTCF>GATA1 interaction
#   cell, which holds a 0); multipletests(p, method='fdr_bh' / 'fdr_by')[1].
# FOS::JUN self has n = 1 (scipy: p = 1 too); the CTCF>FOS::JUN pair's R+ is the centre
# of the null distribution (scipy: p = 1).
@test "stats: --test wilcoxon equals scipy.stats.wilcoxon, with BH and BY q" {
    run "$BIN/coopmap-stats" --test wilcoxon --long "$T/w.tsv" "$E"
    assert_success
    run awk -F'\t' -v OFS='\t' '!/^#/ && $1 != "source_tf" { print $1, $2, $3, $4, $8, $9, $10, $11, $12, $13 }' "$T/w.tsv"
    assert_output "$(printf '%s\n' \
        $'CTCF\tCTCF\tself\t8\t0.0078125\t-2.10721\t0.0546875\t1\twilcoxon\tmap' \
        $'FOS::JUN\tFOS::JUN\tself\t1\t1\t0\t1\t1\twilcoxon\tmap' \
        $'GATA1\tGATA1\tself\t4\t0.375\t0.425969\t0.65625\t1\twilcoxon\tmap' \
        $'CTCF\tFOS::JUN\tpair\t5\t1\t0\t1\t1\twilcoxon\tmap' \
        $'CTCF\tGATA1\tpair\t6\t0.03125\t1.50515\t0.109375\t1\twilcoxon\tmap' \
        $'GATA1\tA&B<x>\tpair\t2\t0.5\t0.30103\t0.7\t1\twilcoxon\tmap' \
        $'GATA1\tCTCF\tpair\t3\t0.25\t0.60206\t0.583333\t1\twilcoxon\tmap' \
        $'CTCF\tCTCF\thomotypic\t4\t0.125\t-0.90309\t0.125\t1\twilcoxon\thomotypic' \
        $'CTCF\tCTCF\tinteraction\t4\t0.125\t-0.90309\t0.375\t1\twilcoxon\tinteraction' \
        $'CTCF\tFOS::JUN\tinteraction\t5\t0.625\t0.20412\t0.625\t1\twilcoxon\tinteraction' \
        $'CTCF\tGATA1\tinteraction\t6\t0.496242\t0.304306\t0.625\t1\twilcoxon\tinteraction')"
    # mean, sd, t, CI and d stay the t-test summary's: columns 4-7 and 14-16 as with --test t
    "$BIN/coopmap-stats" --long "$T/t.tsv" "$E"
    diff <(body "$T/t.tsv" | cut -f1-7,14-16) <(body "$T/w.tsv" | cut -f1-7,14-16)
    # Benjamini-Yekutieli: statsmodels fdr_by of the same p-values
    run "$BIN/coopmap-stats" --test wilcoxon --correction by --long /dev/stdout "$E"
    assert_success
    run awk -F'\t' '!/^#/ && $1 != "source_tf" { printf "%s ", $10 }' <<<"$output"
    assert_output "0.141797 1 1 1 0.283594 1 1 0.125 0.6875 1 1 "
}

@test "stats: --correction by on the t-test p-values equals statsmodels fdr_by" {
    # p-values: expected_long.tsv (scipy ttest_1samp); fdr_by per family, by statsmodels
    run /usr/bin/python3 - "$FIX/stats/expected_long.tsv" <<'PY'
import csv
from statsmodels.stats.multitest import multipletests
rows = list(csv.DictReader(open(__import__('sys').argv[1]), delimiter='\t'))
fam = {'self': 'map', 'pair': 'map', 'homotypic': 'homotypic', 'interaction': 'interaction'}
q = {}
for f in set(fam.values()):
    idx = [i for i, r in enumerate(rows) if fam[r['kind']] == f]
    for i, v in zip(idx, multipletests([float(rows[i]['p']) for i in idx], method='fdr_by')[1]):
        q[i] = v
print(' '.join('%.6g' % q[i] for i in range(len(rows))))
PY
    assert_success
    want=$output
    run "$BIN/coopmap-stats" --correction by --long "$T/by.tsv" "$E"
    assert_success
    run awk -F'\t' '!/^#/ && $1 != "source_tf" { printf "%s%s", (n++ ? " " : ""), $10 }' "$T/by.tsv"
    assert_output "$want"
    # p and score are the t-test's, unchanged by the correction
    "$BIN/coopmap-stats" --long "$T/bh.tsv" "$E"
    diff <(body "$T/bh.tsv" | cut -f1-9) <(body "$T/by.tsv" | cut -f1-9)
}

# Exact sign-flip p-values of the cells of effects.tsv (every n <= 8, so 2^n <= 10000
# flips are all enumerated), counted in rational arithmetic in Python:
# #{s in {+-1}^n : |sum s_i x_i| >= |sum x_i|} / 2^n.
@test "stats: --test permutation: exact enumeration for small cells" {
    run "$BIN/coopmap-stats" --test permutation --long /dev/stdout "$E"
    assert_success
    run awk -F'\t' '!/^#/ && $1 != "source_tf" { printf "%s%s", (n++ ? " " : ""), $8 }' <<<"$output"
    assert_output "0.0078125 1 0.375 0.875 0.03125 0.5 0.25 0.125 0.125 0.625 0.6875"
}

@test "stats: --test permutation Monte Carlo: reproducible with --seed, independent of --threads" {
    # 4 TFs x 20 self rows: 2^20 > B = 1000, so p = (1 + #)/(B + 1) from random flips
    awk 'BEGIN { printf "kind\tsource_tf\ttarget_tf\tdistance\thomotypic\tdelta_source\tdelta_target\tinteraction\n"
                 split("A B C D", t, " ")
                 for (k = 1; k <= 4; k++) for (i = 1; i <= 20; i++)
                     printf "self\t%s\t\t\t\t%.4f\t\t\n", t[k], ((i * 37) % 11 - 5 + 0.4 * k) / 100 }' > "$T/mc.tsv"
    "$BIN/coopmap-stats" --test permutation --permutations 1000 --seed 7 --threads 1 --long "$T/a.tsv" "$T/mc.tsv"
    "$BIN/coopmap-stats" --test permutation --permutations 1000 --seed 7 --threads 2 --long "$T/b.tsv" "$T/mc.tsv"
    "$BIN/coopmap-stats" --test permutation --permutations 1000 --seed 7 --threads 2 --long "$T/c.tsv" "$T/mc.tsv"
    "$BIN/coopmap-stats" --test permutation --permutations 1000 --seed 8 --long "$T/d.tsv" "$T/mc.tsv"
    diff <(body "$T/a.tsv") <(body "$T/b.tsv")
    diff <(body "$T/a.tsv") <(body "$T/c.tsv")
    # every p is (1 + k) / 1001 for an integer k, and another seed moves at least one
    run awk -F'\t' '!/^#/ && $1 != "source_tf" { x = $8 * 1001; if (x - int(x + 0.5) > 0.001 || int(x + 0.5) - x > 0.001) bad++; n++ }
                    END { print n, bad + 0 }' "$T/a.tsv"
    assert_output "4 0"
    run diff <(body "$T/a.tsv" | cut -f8) <(body "$T/d.tsv" | cut -f8)
    assert_failure
    # a cell's flips do not depend on the other cells: drop TF D, the p of A-C stay
    grep -v -P '^self\tD\t' "$T/mc.tsv" > "$T/mc3.tsv"
    "$BIN/coopmap-stats" --test permutation --permutations 1000 --seed 7 --long "$T/e.tsv" "$T/mc3.tsv"
    diff <(body "$T/a.tsv" | grep -v -P '^D\t' | cut -f1-8) <(body "$T/e.tsv" | cut -f1-8)
}

@test "stats: bad --test, --correction, --permutations, --seed values" {
    run "$BIN/coopmap-stats" --test ttest --long "$T/x.tsv" "$E"
    assert_failure 1
    assert_output "coopmap-stats: --test: 'ttest' is not t, wilcoxon or permutation"
    run "$BIN/coopmap-stats" --correction storey --long "$T/x.tsv" "$E"
    assert_failure 1
    assert_output "coopmap-stats: --correction: 'storey' is not bh or by"
    for b in 0 -5 1.5 x ""; do
        run "$BIN/coopmap-stats" --test permutation --permutations "$b" --long "$T/x.tsv" "$E"
        assert_failure 1
        assert_output "coopmap-stats: --permutations: '$b' is not an integer in [1, 1e9]"
    done
    run "$BIN/coopmap-stats" --seed -1 --long "$T/x.tsv" "$E"
    assert_failure 1
    assert_output "coopmap-stats: --seed: '-1' is not a non-negative integer"
    [ ! -e "$T/x.tsv" ]
    run "$BIN/coopmap-stats" --help
    for w in "--test T" wilcoxon permutation "--correction C" "--permutations B" "--seed S" \
             ci_low cohens_d family; do
        assert_output --partial -- "$w"
    done
}
