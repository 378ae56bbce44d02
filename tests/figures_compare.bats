#!/usr/bin/env bats
# SVG figures of issue 11 drawn in C: the Tomtom heatmap and the JOS bar chart
# (c/compare/figures.h; coopmap-family heatmap, jos --svg, jos-plot) and the
# saturation-mutagenesis tracks (c/ism/sat_figure.h; coopmap-ism --plot-saturation).
# Every SVG is parsed as XML (/usr/bin/python3 xml.etree) and its marks are counted and
# read back; the expected numbers come from the input tables (awk) or by hand.

load helpers

setup() {
    T="$BATS_TEST_TMPDIR"
    F="$BIN/coopmap-family"
    ISM="$BIN/coopmap-ism"
    REF="$SHARED/reference"
    FX="$FIX/compare"
    I="$FIX/ism"
}

# svgq FILE MODE [CLASS]: parse FILE as XML and print
#   title  the document <title> (it must be the first child of <svg>)
#   count  the number of elements with class CLASS
#   tips   the <title> text of each element with class CLASS, one per line
#   height the height attribute of each element with class CLASS
#   texts  the text of each <text> in the group with id CLASS
svgq() {
    /usr/bin/python3 - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
NS = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
mode = sys.argv[2]
cls = sys.argv[3] if len(sys.argv) > 3 else None
assert root.tag == NS + "svg", root.tag
marks = [e for e in root.iter() if e.get("class") == cls]
if mode == "title":
    first = list(root)[0]
    assert first.tag == NS + "title", first.tag
    print(first.text)
elif mode == "count":
    print(len(marks))
elif mode == "tips":
    for e in marks:
        print(e.find(NS + "title").text)
elif mode == "height":
    for e in marks:
        print(e.get("height"))
elif mode == "texts":
    g = [e for e in root.iter() if e.get("id") == cls][0]
    for e in g.iter(NS + "text"):
        print("".join(e.itertext()))
PY
}

# A hand-made Tomtom TSV: q1-tA (E 1, q 0.2) and tD (E 2) are not significant at
# q <= 0.05, q2-<t&C> is on the threshold (q = 0.05, boxed); the ids need escaping.
tiny_tomtom() {
    {
        printf 'Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\tTarget_consensus\tOrientation\n'
        printf 'q1\ttA\t0\t1e-03\t1\t0.2\t8\tACGT\tACGT\t+\n'
        printf 'q1\ttB\t0\t1e-08\t1e-05\t0.001\t8\tACGT\tACGT\t+\n'
        printf 'q2\ttA\t0\t1e-07\t1e-04\t0.01\t8\tACGT\tACGT\t-\n'
        printf 'q2\t<t&C>\t0\t1e-05\t0.01\t0.05\t8\tACGT\tACGT\t+\n'
        printf 'q3\ttD\t0\t1e-02\t2\t0.5\t8\tACGT\tACGT\t+\n'
        printf '\n# Tomtom (Motif Comparison Tool): hand-made\n'
    } > "$1"
}

@test "heatmap: Tomtom 5.5.8 references, one box per row with q <= thresh (or E <= thresh)" {
    need_shared
    tt="$REF/tomtom_dev_ed_default.tsv"
    [ -f "$tt" ] || skip "no $tt"
    run "$F" heatmap --title 'dev motifs vs JASPAR <ed> & co' -o "$T/h.svg" "$tt"
    assert_success
    run svgq "$T/h.svg" title
    assert_output 'dev motifs vs JASPAR <ed> & co'
    rows() { awk -F'\t' -v c="$2" -v x="$3" '!/^#/ && NF >= 6 && $1 != "Query_ID" && $c <= x' "$1"; }
    want=$(rows "$tt" 6 0.05 | wc -l)
    [ "$want" -eq 629 ]
    run svgq "$T/h.svg" count sig
    assert_output "$want"
    # every query is a row, the targets with a match are the columns: rows x columns cells
    nq=$(rows "$tt" 6 1e99 | cut -f1 | sort -u | wc -l)
    nt=$(rows "$tt" 6 0.05 | cut -f2 | sort -u | wc -l)
    [ "$nq" -eq 36 ]
    cells=$(( $(svgq "$T/h.svg" count cell) + $(svgq "$T/h.svg" count none) ))
    [ "$cells" -eq $(( nq * nt )) ]
    [ "$(svgq "$T/h.svg" texts row-labels | wc -l)" -eq "$nq" ]
    [ "$(svgq "$T/h.svg" texts col-labels | wc -l)" -eq "$nt" ]
    # every data mark has a tooltip
    [ "$(svgq "$T/h.svg" tips cell | grep -c '^query .*, target .*: E = ')" -eq "$(svgq "$T/h.svg" count cell)" ]
    # pearson run, E-value threshold
    tt="$REF/tomtom_dev_pearson_mo5_E10.tsv"
    run "$F" heatmap --evalue --thresh 1 -o "$T/p.svg" "$tt"
    assert_success
    want=$(rows "$tt" 5 1 | wc -l)
    [ "$want" -gt 100 ]
    run svgq "$T/p.svg" count sig
    assert_output "$want"
    run svgq "$T/p.svg" title
    assert_output 'Tomtom matches: queries × targets'
    # JASPAR names as labels ("ID NAME")
    J="$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.tsv"
    run "$F" heatmap --labels "$J" --key-col matrix_id --label-col name -o "$T/n.svg" "$REF/tomtom_dev_ed_default.tsv"
    assert_success
    run svgq "$T/n.svg" texts row-labels
    assert_line --index 0 "MA0014.4 PAX5"
}

@test "heatmap: hand-made Tomtom TSV: columns, order, boxes, colours, escaping, labels" {
    tiny_tomtom "$T/t.tsv"
    run "$F" heatmap -o "$T/t.svg" "$T/t.tsv"
    assert_success
    # rows: the queries in file order; columns: the targets with q <= 0.05 (tD has
    # none), ordered by their best query: tB (q1, E 1e-5), tA (q2, 1e-4), <t&C> (q2, 0.01)
    run svgq "$T/t.svg" texts row-labels
    assert_output "$(printf 'q1\nq2\nq3')"
    run svgq "$T/t.svg" texts col-labels
    assert_output "$(printf 'tB\ntA\n<t&C>')"
    run svgq "$T/t.svg" count sig
    assert_output "$(awk -F'\t' 'NR > 1 && NF >= 6 && !/^#/ && $6 <= 0.05' "$T/t.tsv" | wc -l)"
    assert_output "3"
    # 4 rows in the 3 x 3 cells drawn, 5 pairs without a row
    [ "$(svgq "$T/t.svg" count cell)" -eq 4 ]
    [ "$(svgq "$T/t.svg" count none)" -eq 5 ]
    # colour limit = the largest -log10 E drawn (5): E = 1e-5 is the scale's red end,
    # E = 1 white; q1 x tA (q 0.2) is not boxed
    run svgq "$T/t.svg" tips cell
    assert_line --index 0 "query q1, target tB: E = 1e-05, q = 0.001, −log10 E = 5.00; boxed: q ≤ 0.05"
    assert_line --index 1 "query q1, target tA: E = 1, q = 0.2, −log10 E = 0.00"
    grep -q 'fill="#b2182b"><title>query q1, target tB' "$T/t.svg"
    grep -q 'fill="#ffffff"><title>query q1, target tA' "$T/t.svg"
    # --evalue: E <= 1 boxes q1 x tA too
    run "$F" heatmap --evalue --thresh 1 -o "$T/e.svg" "$T/t.tsv"
    assert_success
    run svgq "$T/e.svg" count sig
    assert_output "$(awk -F'\t' 'NR > 1 && NF >= 6 && !/^#/ && $5 <= 1' "$T/t.tsv" | wc -l)"
    assert_output "4"
    # nothing significant: every target is a column, and the figure says so
    run "$F" heatmap --thresh 0.0001 -o "$T/z.svg" "$T/t.tsv"
    assert_success
    run svgq "$T/z.svg" count sig
    assert_output "0"
    run svgq "$T/z.svg" texts col-labels
    assert_output "$(printf 'tB\ntA\n<t&C>\ntD')"
    grep -q 'no match with q ≤ 0.0001: all 4 targets shown' "$T/z.svg"
    # names from a labels table
    printf 'id\tname\ntB\tFOXA1\ntA\t\n' > "$T/names.tsv"
    run "$F" heatmap --labels "$T/names.tsv" --title 'a "title"' -o "$T/l.svg" "$T/t.tsv"
    assert_success
    run svgq "$T/l.svg" texts col-labels
    assert_output "$(printf 'tB FOXA1\ntA\n<t&C>')"
    run svgq "$T/l.svg" title
    assert_output 'a "title"'
}

@test "heatmap: 150 queries x 150 targets stays readable (canvas grows, labels rotated)" {
    awk 'BEGIN { OFS = "\t"; print "Query_ID", "Target_ID", "Optimal_offset", "p-value", "E-value", "q-value", "Overlap", "Query_consensus", "Target_consensus", "Orientation"
        for (i = 1; i <= 150; i++) print "query_motif_" i, "TARGET_" i, 0, 1e-9, 1e-6, 1e-4, 8, "A", "A", "+" }' > "$T/big.tsv"
    run "$F" heatmap -o "$T/big.svg" "$T/big.tsv"
    assert_success
    run svgq "$T/big.svg" count sig
    assert_output "150"
    # cells of at least 8 px: the picture is at least 150 x 8 px wide; column labels vertical
    w=$(grep -o '<svg [^>]*width="[0-9]*"' "$T/big.svg" | grep -o '[0-9]*"$' | tr -d '"')
    [ "$w" -ge 1200 ]
    grep -q 'transform="rotate(-90 ' "$T/big.svg"
}

@test "jos --svg and jos-plot: NA without a bar, bars in JOS order with heights = JOS" {
    run "$F" jos --labels "$FX/jos_labels.tsv" --svg "$T/j.svg" --title 'JOS <per TF>' -o "$T/jos.tsv" \
        "$FX/jos_matches.tsv" "$FX/jos_matches2.tsv"
    assert_success
    run svgq "$T/j.svg" title
    assert_output "JOS <per TF>"
    # the TFs with a JOS, sorted by it (ties in table order), from the table itself
    order=$(body "$T/jos.tsv" | awk -F'\t' 'NR > 1 && $5 != "NA" { print $1 "\t" $5 }' | sort -s -t$'\t' -k2,2gr)
    [ "$(echo "$order" | head -1 | cut -f1)" = CTCF ]
    run svgq "$T/j.svg" tips bar
    [ "$(printf '%s\n' "${lines[@]}" | sed 's/: JOS .*//')" = "$(echo "$order" | cut -f1)" ]
    assert_line --index 0 "CTCF: JOS 0.5556 (n_patterns 3, n_matched 3, n_pairs 3, mean_matches 2)"
    # heights: JOS x 240 px, in the same order
    run svgq "$T/j.svg" height bar
    [ "$(printf '%s\n' "${lines[@]}" | awk '{ printf "%.4f\n", $1 / 240 }')" = "$(echo "$order" | awk -F'\t' '{ printf "%.4f\n", $2 }')" ]
    # MAX (one pattern) is NA: an "NA" mark and no bar
    run svgq "$T/j.svg" tips na
    assert_output "MAX: JOS NA, fewer than 2 patterns (n_patterns 1)"
    run svgq "$T/j.svg" tips bar
    refute_output --partial "MAX"
    # jos-plot draws the same chart from the table
    run "$F" jos-plot --title 'JOS <per TF>' -o "$T/j2.svg" "$T/jos.tsv"
    assert_success
    diff <(grep -v '^<!--' "$T/j.svg") <(grep -v '^<!--' "$T/j2.svg")
}

@test "jos-plot: 120 TFs (some NA): heights never increase, one bar per JOS, canvas grows" {
    awk 'BEGIN { OFS = "\t"; print "tf", "n_patterns", "n_matched", "n_pairs", "jos", "mean_matches"
        for (i = 1; i <= 120; i++) print "TF_number_" i, 3, 3, 3, (i % 10 == 0 ? "NA" : ((i * 37) % 101) / 100), 1 }' > "$T/many.tsv"
    run "$F" jos-plot -o "$T/m.svg" "$T/many.tsv"
    assert_success
    [ "$(svgq "$T/m.svg" count bar)" -eq 108 ]
    [ "$(svgq "$T/m.svg" count na)" -eq 12 ]
    run bash -c "$(declare -f svgq); svgq '$T/m.svg' height bar | awk 'NR > 1 && \$1 > last + 1e-9 { bad++ } { last = \$1 } END { print bad + 0 }'"
    assert_output "0"
    # the tallest bar is the largest JOS of the table
    top=$(awk -F'\t' 'NR > 1 && $5 != "NA" && $5 > m { m = $5 } END { printf "%.3f", m * 240 }' "$T/many.tsv")
    [ "$(svgq "$T/m.svg" height bar | head -1)" = "$top" ]
    w=$(grep -o '<svg [^>]*width="[0-9]*"' "$T/m.svg" | grep -o '[0-9]*"$' | tr -d '"')
    [ "$w" -ge 1440 ]
}

# A hand-made saturation table (logit scale), heads X and Y, chrS:99-107 plus a later
# overlapping block at 102 (ignored) and chrT.  Importance = -(sum of the alt deltas)/4:
#   pos  ref  X deltas (alt order)   imp X   Y deltas            imp Y
#   100  A    -0.4 -0.4 -0.4          0.3    0.1 0.1 0.2         -0.1
#   101  C    -0.2  0   -0.2          0.1    0.4 0.4 0.4         -0.3
#   102  G     0.8 -0.4  0           -0.1   -1 -1 -1              0.75
#   103  T     0    0    0            0     -0.08 -0.04 0         0.03
#   104  N    -0.1 x4 (A C G T)       0.1    0.2 0 0 0           -0.05
#   105  A    -2 -2 -2                1.5    0.06 0.02 0.02      -0.025
hand_sat() {
    /usr/bin/python3 - "$1" <<'PY'
import sys
rows = []
def pos(chrom, p, ref, dx, dy):
    alts = [a for a in "ACGT" if a != ref]
    for a, x, y in zip(alts, dx, dy):
        rows.append((chrom, p, ref, a, "X", 1.5, x))
        rows.append((chrom, p, ref, a, "Y", -0.5, y))
pos("chrS", 99, "C", [9, 9, 9], [9, 9, 9])
pos("chrS", 100, "A", [-0.4, -0.4, -0.4], [0.1, 0.1, 0.2])
pos("chrS", 101, "C", [-0.2, 0, -0.2], [0.4, 0.4, 0.4])
pos("chrS", 102, "G", [0.8, -0.4, 0], [-1, -1, -1])
pos("chrS", 103, "T", [0, 0, 0], [-0.08, -0.04, 0])
pos("chrS", 104, "N", [-0.1] * 4, [0.2, 0, 0, 0])
pos("chrS", 105, "A", [-2, -2, -2], [0.06, 0.02, 0.02])
pos("chrS", 106, "A", [7, 7, 7], [7, 7, 7])
pos("chrS", 102, "G", [5, 5, 5], [5, 5, 5])      # a later, overlapping region: ignored
pos("chrT", 100, "A", [3, 3, 3], [3, 3, 3])
with open(sys.argv[1], "w") as f:
    f.write("# coopmap-ism 0.1.0: hand-made\n# saturation: ...; delta = f(alt) - f(ref) on the logit scale; ref N: all 4 alts\n")
    f.write("chrom\tpos\tref\talt\thead\tbaseline\tdelta\n")
    for r in rows:
        f.write("\t".join(str(v) for v in r) + "\n")
PY
}

# "1-based-pos head importance" of each position tooltip
imps() {
    svgq "$1" tips pos | sed -E 's/^[^:]+:([0-9]+) \(1-based\) (ref [ACGTN], )?head ([^:]+): (importance ([^ ]+)|no data).*/\1 \3 \5/'
}

@test "plot-saturation: hand-derived importances in the tooltips, sites in the region only" {
    hand_sat "$T/sat.tsv"
    printf 'site_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end\n' > "$T/src.tsv"
    printf 'in1\tchrS\tX\tmX\t101\t104\t+\t90\t110\n' >> "$T/src.tsv"
    printf 'edge\tchrS\tY\tmY\t104\t110\t-\t90\t120\n' >> "$T/src.tsv"
    printf 'left\tchrS\tZ\tmZ\t90\t100\t+\t80\t110\n' >> "$T/src.tsv"
    printf 'other\tchrT\tX\tmX\t100\t104\t+\t90\t110\n' >> "$T/src.tsv"
    printf 'far\tchrS\tW\tmW\t200\t210\t+\t190\t220\n' >> "$T/src.tsv"
    run "$ISM" --plot-saturation "$T/sat.tsv" --sources "$T/src.tsv" --region chrS:100-106 --title 'sat & <co>' -o "$T/s.svg"
    assert_success
    run svgq "$T/s.svg" title
    assert_output "sat & <co>"
    run imps "$T/s.svg"
    assert_output "$(printf '%s\n' '101 X 0.3' '102 X 0.1' '103 X -0.1' '104 X 0' '105 X 0.1' '106 X 1.5' \
        '101 Y -0.1' '102 Y -0.3' '103 Y 0.75' '104 Y 0.03' '105 Y -0.05' '106 Y -0.025')"
    run svgq "$T/s.svg" tips pos
    assert_line --index 0 "chrS:101 (1-based) ref A, head X: importance 0.3 Δ logit; max |Δ| 0.4"
    assert_line --index 4 --partial "chrS:105 (1-based) ref N, head X"
    # letters: one per position and head with importance != 0 (11), coloured by base
    [ "$(svgq "$T/s.svg" count letter)" -eq 11 ]
    grep -q '<text class="letter" fill="#109648" transform="translate(141.00 ' "$T/s.svg"
    # sites: overlapping the region only (left ends at 100, other is on chrT, far is past it)
    run svgq "$T/s.svg" tips site
    assert_output "$(printf '%s\n' 'site in1: X (motif mX) chrS:102-104 (1-based, inclusive), strand +' \
        'site edge: Y (motif mY) chrS:105-110 (1-based, inclusive), strand -; extends past the drawn region')"
    run svgq "$T/s.svg" texts sites
    assert_output "$(printf '%s\n' 'X →' 'Y ←')"
    # no --region: the first contiguous run (chrS 99..106, 0-based), first block of 102
    run "$ISM" --plot-saturation "$T/sat.tsv" -o "$T/r.svg"
    assert_success
    run bash -c "$(declare -f svgq imps); imps '$T/r.svg' | grep ' X '"
    assert_output "$(printf '%s\n' '100 X -6.75' '101 X 0.3' '102 X 0.1' '103 X -0.1' '104 X 0' '105 X 0.1' '106 X 1.5' '107 X -5.25')"
    [ "$(svgq "$T/r.svg" count site)" -eq 0 ]
    # --max-bp 4: the central 4 bp, 0-based 101..104
    run "$ISM" --plot-saturation "$T/sat.tsv" --region chrS:100-106 --max-bp 4 --sources "$T/src.tsv" -o "$T/c.svg"
    assert_success
    run bash -c "$(declare -f svgq imps); imps '$T/c.svg' | grep ' Y '"
    assert_output "$(printf '%s\n' '102 Y -0.3' '103 Y 0.75' '104 Y 0.03' '105 Y -0.05')"
    grep -q 'the central 4 bp of chrS:100-106' "$T/c.svg"
    [ "$(svgq "$T/c.svg" count site)" -eq 2 ]
    # region positions without rows are drawn empty ("no data"); gzip input
    gzip -c "$T/sat.tsv" > "$T/sat.tsv.gz"
    run "$ISM" --plot-saturation "$T/sat.tsv.gz" --region chrS:105-109 -o "$T/g.svg"
    assert_success
    run bash -c "$(declare -f svgq imps); imps '$T/g.svg' | grep ' X '"
    assert_output "$(printf '%s\n' '106 X 1.5' '107 X -5.25' '108 X ' '109 X ')"
}

@test "plot-saturation: the tiny model's --saturation output; importances = the .obs.bedGraph" {
    make_tiny_model "$T/tiny.cmm"
    [ -s "$T/tiny.cmm" ] || skip "numpy not available"
    cp "$I/genome.fa" "$T/genome.fa"
    run "$ISM" --saturation --model "$T/tiny.cmm" --genome "$T/genome.fa" --sources "$I/sources.tsv" \
        --bedgraph "$T/bg" -o "$T/sat.tsv.gz"
    assert_success
    run "$ISM" --plot-saturation "$T/sat.tsv.gz" --sources "$I/sources.tsv" -o "$T/m.svg"
    assert_success
    run svgq "$T/m.svg" title
    assert_output --partial "Saturation mutagenesis of chrA:"
    # the first run: source windows 8-38 and 38-68 (60 bp, heads AAA and BBB); the third
    # window (58-88) overlaps them and starts a new run; its site s3 (70-76) is not drawn
    [ "$(svgq "$T/m.svg" count pos)" -eq 120 ]
    run bash -c "$(declare -f svgq); svgq '$T/m.svg' tips site | cut -d: -f1"
    assert_output "$(printf 'site s1\nsite s2')"
    for h in AAA BBB; do
        # the figure sums the table's deltas (%.6g), the bedGraph the unrounded ones
        run bash -c "$(declare -f svgq imps); imps '$T/m.svg' | awk -v h=$h '\$2 == h { print \$1 - 1, \$3 }' |
            paste -d' ' - <(awk 'NR > 1 && NR <= 61 { print \$2, \$4 }' '$T/bg.$h.obs.bedGraph') |
            awk '{ d = \$2 - \$4; if (d < 0) d = -d; a = \$4 < 0 ? -\$4 : \$4 }
                 \$1 != \$3 || d > 1e-6 + 1e-4 * a { bad++ } END { print NR, bad + 0 }'"
        assert_output "60 0"
    done
    grep -q 'Δ probability' "$T/m.svg"
}

@test "figures: --help documents the new modes and options" {
    run "$F" --help
    assert_success
    for m in heatmap jos-plot; do assert_line --regexp "^$m +[A-Z]"; done
    for o in --svg --title --labels --thresh --evalue; do assert_output --partial "  $o "; done
    run "$ISM" --help
    assert_success
    for o in --plot-saturation --region --max-bp --title; do assert_output --partial "  $o "; done
}

@test "figures: malformed input names FILE:LINE, exits 1 and leaves no output" {
    tiny_tomtom "$T/t.tsv"
    sed '3s/1e-05/zz/' "$T/t.tsv" > "$T/bad.tsv"
    run "$F" heatmap -o "$T/o1.svg" "$T/bad.tsv"
    assert_failure 1
    assert_output "coopmap-family: $T/bad.tsv:3: bad Tomtom row: E-value 'zz' is not a number >= 0"
    [ ! -e "$T/o1.svg" ]
    printf 'Query_ID\tTarget_ID\nq\tt\n' > "$T/bad2.tsv"
    run "$F" heatmap -o "$T/o2.svg" "$T/bad2.tsv"
    assert_failure 1
    assert_output --partial "bad2.tsv:1: not a Tomtom TSV"
    [ ! -e "$T/o2.svg" ]
    run "$F" heatmap -o "$T/o3.svg" "$T/t.tsv" "$T/t.tsv"
    assert_failure 1
    assert_output --partial "heatmap needs one Tomtom TSV"
    run "$F" heatmap --svg "$T/o4.svg" "$T/t.tsv"
    assert_failure 1
    assert_output --partial "option --svg does not apply to heatmap"
    # JOS table
    printf 'tf\tn_patterns\tn_matched\tn_pairs\tjos\tmean_matches\nA\t2\t2\t1\t0.5\t1\nB\t2\t2\t1\t1.5\t1\n' > "$T/j.tsv"
    run "$F" jos-plot -o "$T/o5.svg" "$T/j.tsv"
    assert_failure 1
    assert_output "coopmap-family: $T/j.tsv:3: jos '1.5' is neither NA nor a number in 0..1"
    [ ! -e "$T/o5.svg" ]
    printf 'tf\tjos\nA\t0.5\t7\n' > "$T/j2.tsv"
    run "$F" jos-plot -o "$T/o6.svg" "$T/j2.tsv"
    assert_failure 1
    assert_output --partial "j2.tsv:2: 3 fields, the header has 2"
    # jos --svg: a failure writes neither output
    run "$F" jos --labels "$FX/jos_labels.tsv" --evalue --svg "$T/o7.svg" -o "$T/o7.tsv" "$T/bad.tsv"
    assert_failure 1
    assert_output --partial "bad.tsv:3:"
    [ ! -e "$T/o7.svg" ] && [ ! -e "$T/o7.tsv" ]
    # saturation table
    hand_sat "$T/sat.tsv"
    sed '11s/\t0\.1$/\tabc/' "$T/sat.tsv" > "$T/sbad.tsv"
    grep -q abc "$T/sbad.tsv"
    run "$ISM" --plot-saturation "$T/sbad.tsv" -o "$T/o8.svg"
    assert_failure 1
    assert_output "coopmap-ism: $T/sbad.tsv:$(grep -n abc "$T/sbad.tsv" | cut -d: -f1): delta 'abc' is not a finite number"
    [ ! -e "$T/o8.svg" ]
    sed '/^chrS\t101\tC\tG\tX/d' "$T/sat.tsv" > "$T/sinc.tsv"
    run "$ISM" --plot-saturation "$T/sinc.tsv" --region chrS:100-106 -o "$T/o9.svg"
    assert_failure 1
    assert_output --partial "sinc.tsv: chrS:101 (0-based) head X: 2 alternatives, need 3"
    [ ! -e "$T/o9.svg" ]
    sed '5s/\tC\tA\t/\tC\tC\t/' "$T/sat.tsv" > "$T/seq.tsv"
    run "$ISM" --plot-saturation "$T/seq.tsv" -o "$T/o10.svg"
    assert_failure 1
    assert_output --partial "seq.tsv:5: alt C equals ref"
    printf 'site_id\tchrom\ttf\tmotif\tstart\tend\tstrand\nx\tchrS\tX\tm\t105\t101\t+\n' > "$T/sb.tsv"
    run "$ISM" --plot-saturation "$T/sat.tsv" --sources "$T/sb.tsv" -o "$T/o11.svg"
    assert_failure 1
    assert_output --partial "sb.tsv:2: start '105', end '101': need integers 0 <= start < end"
    [ ! -e "$T/o11.svg" ]
    # options and regions
    run "$ISM" --plot-saturation "$T/sat.tsv" --region chrS:106-100 -o "$T/o12.svg"
    assert_failure 1
    assert_output --partial "region 'chrS:106-100': expected chrom:start-end (0-based half-open"
    run "$ISM" --plot-saturation "$T/sat.tsv" --region chrQ:0-10 -o "$T/o13.svg"
    assert_failure 1
    assert_output --partial "no saturation rows in chrQ:0-10"
    run "$ISM" --plot-saturation "$T/sat.tsv" --model "$T/m.cmm" -o "$T/o14.svg"
    assert_failure 1
    assert_output --partial "--plot-saturation takes only --sources, --region, --max-bp, --title and -o (not --model)"
    run "$ISM" --saturation --region chrS:0-5 --model x --genome y -o "$T/o15.tsv"
    assert_failure 1
    assert_output --partial "--region needs --plot-saturation"
    run "$ISM" --plot-saturation "$T/sat.tsv" --max-bp -3 -o "$T/o16.svg"
    assert_failure 1
    assert_output --partial "--max-bp: expected an integer in 0.."
    for k in 12 13 14 15 16; do [ ! -e "$T/o$k.svg" ] && [ ! -e "$T/o$k.tsv" ]; done
}
