#!/usr/bin/env bats
# coopmap-stats --report DIR: one self-contained HTML page with every figure the given
# tables allow (c/report/report.c), the figures also as DIR/figures/*.svg; rendered in
# headless Chromium (Debian's chromium) to check that the page is not blank and that its
# SVGs are there.  Inputs: the hand-made effects of tests/fixtures/stats as two "cell
# lines", the JOS fixtures of tests/fixtures/compare, a hand-made saturation table, and a
# hand-made coopmap-patterns patterns.tsv with its Tomtom TSV, a motif file naming the
# targets and the JOS per head coopmap-family computes from them.

load helpers

setup_file() {
    export RT="$BATS_FILE_TMPDIR"
    # a saturation table: 2 heads over chrA:20-26 (pos 0-based), 3 alts per base
    /usr/bin/python3 - "$RT/sat.tsv" <<'EOF'
import sys
seq = "ACGTAC"
with open(sys.argv[1], "w") as f:
    f.write("# coopmap-ism 0.1.0: hand-made saturation table\n")
    f.write("chrom\tpos\tref\talt\thead\tbaseline\tdelta\n")
    for h, head in enumerate(("AAA", "BBB")):
        for i, r in enumerate(seq):
            for k, a in enumerate(b for b in "ACGT" if b != r):
                f.write(f"chrA\t{20 + i}\t{r}\t{a}\t{head}\t0.5\t{(-1) ** i * (0.1 * (i + 1) + 0.01 * k) * (h + 1):.6f}\n")
EOF
    printf '# coopmap-pairs 0.1.0: hand-made\nsite_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end\n' > "$RT/sources.tsv"
    printf 's1\tchrA\tAAA\tm1\t21\t25\t+\t8\t38\ns2\tchrA\tBBB\tm2\t90\t96\t-\t78\t108\n' >> "$RT/sources.tsv"
    "$BIN/coopmap-family" jos --labels "$FIX/compare/jos_labels.tsv" -o "$RT/jos.tsv" \
        "$FIX/compare/jos_matches.tsv"
    # patterns of two heads over 50 sequences each; share = sequences / 50
    printf '# coopmap-patterns 0.1.0: hand-made\npattern\thead\tsign\tseqlets\tsequences\tshare\tconsensus\twidth\n' > "$RT/patterns.tsv"
    printf 'AAA_pos_0\tAAA\tpos\t30\t25\t0.5000\tACGTG\t5\nAAA_neg_0\tAAA\tneg\t12\t12\t0.2400\tTTGCA\t5\n' >> "$RT/patterns.tsv"
    printf 'AAA_neg_1\tAAA\tneg\t11\t10\t0.2000\tCCCGG\t5\nBBB_pos_0\tBBB\tpos\t20\t18\t0.3600\tGGAAT\t5\n' >> "$RT/patterns.tsv"
    printf 'BBB_neg_0\tBBB\tneg\t10\t9\t0.1800\tTATAA\t5\n' >> "$RT/patterns.tsv"
    # AAA_pos_0: M2 and M1 tie on q, M1 has the smaller E (its best); AAA_neg_0: M1;
    # AAA_neg_1: no row; BBB_pos_0: M2 then M1; BBB_neg_0: only M3, q = 0.2
    { printf '# coopmap-compare 0.1.0: hand-made\n'
      printf 'Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\tTarget_consensus\tOrientation\n'
      printf 'AAA_pos_0\tM2\t0\t1e-06\t0.001\t0.001\t5\tACGTG\tACGTG\t+\n'
      printf 'AAA_pos_0\tM1\t0\t1e-08\t1e-05\t0.001\t5\tACGTG\tACGTG\t+\n'
      printf 'AAA_neg_0\tM1\t1\t1e-05\t0.01\t0.03\t4\tTTGCA\tTGCA\t-\n'
      printf 'BBB_pos_0\tM2\t0\t1e-07\t0.0001\t0.01\t5\tGGAAT\tGGAAT\t+\n'
      printf 'BBB_pos_0\tM1\t0\t1e-05\t0.01\t0.04\t5\tGGAAT\tGGACT\t-\n'
      printf 'BBB_neg_0\tM3\t0\t0.001\t0.5\t0.2\t5\tTATAA\tTATAT\t+\n'; } > "$RT/pat_tomtom.tsv"
    { printf 'MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n'
      printf 'Background letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n\n'
      for m in "M1 alpha" "M2 beta" "M3"; do
          printf 'MOTIF %s\nletter-probability matrix: alength= 4 w= 2 nsites= 20 E= 0\n1 0 0 0\n0 1 0 0\n\n' "$m"
      done; } > "$RT/targets.meme"
    "$BIN/coopmap-family" jos --labels "$RT/patterns.tsv" --key-col pattern --label-col head \
        -o "$RT/pat_jos.tsv" "$RT/pat_tomtom.tsv"
}

setup() {
    T="$BATS_TEST_TMPDIR"
    E1="$FIX/stats/effects.tsv"
    E2="$FIX/stats/effects_tiny.tsv"
}

full_report() {
    "$BIN/coopmap-stats" --report "$1" --title "A <test> report" --cluster \
        --tomtom "$FIX/compare/jos_matches.tsv" --tomtom-thresh 0.05 --jos "$RT/jos.tsv" \
        --saturation "K562=$RT/sat.tsv" --sources "K562=$RT/sources.tsv" \
        --patterns "K562=$RT/patterns.tsv" --patterns-tomtom "K562=$RT/pat_tomtom.tsv" \
        --patterns-jos "K562=$RT/pat_jos.tsv" --motif-names "$RT/targets.meme" \
        "K562=$E1" "HepG2=$E2"
}

# every SVG parses as XML, has a <title>; print their count
check_svgs() {
    /usr/bin/python3 - "$@" <<'EOF'
import sys, xml.etree.ElementTree as E
ns = "{http://www.w3.org/2000/svg}"
for f in sys.argv[1:]:
    root = E.parse(f).getroot()
    assert root.tag == ns + "svg", (f, root.tag)
    t = root.find(ns + "title")
    assert t is not None and (t.text or "").strip(), (f, "no <title>")
print(len(sys.argv) - 1)
EOF
}

@test "report: one self-contained page with every figure the tables allow" {
    run full_report "$T/rep"
    assert_success
    [ -s "$T/rep/index.html" ]
    for f in map_K562 map_HepG2 maps_panel distance_profile ranking_K562 ranking_HepG2 \
             saturation_K562 tomtom jos patterns_tomtom_K562 patterns_jos_K562; do
        [ -s "$T/rep/figures/$f.svg" ] || { echo "no $f.svg"; ls "$T/rep/figures"; return 1; }
    done
    run check_svgs "$T"/rep/figures/*.svg
    assert_success
    assert_output 11
    # every figure inline, nothing fetched from elsewhere, ids unique across the page
    [ "$(grep -c '<svg' "$T/rep/index.html")" -eq 11 ]
    ! grep -Eq '<(link|img|iframe)|src=|@import' "$T/rep/index.html"
    ! grep -E 'https?://' "$T/rep/index.html" | grep -v 'http://www.w3.org/'
    run /usr/bin/python3 -c '
import re, sys, collections
ids = re.findall(r"\sid=\"([^\"]+)\"", open(sys.argv[1]).read())
d = [i for i, n in collections.Counter(ids).items() if n > 1]
print(len(ids), d)' "$T/rep/index.html"
    assert_output --regexp '^[0-9]+ \[\]$'
    # the title escaped, sections present, parameters and checksums of the inputs
    grep -q '<title>A &lt;test&gt; report</title>' "$T/rep/index.html"
    for s in maps top distance ranking saturation patterns motifs run; do
        grep -q "<section id=\"$s\">" "$T/rep/index.html" || { echo "no section $s"; return 1; }
    done
    grep -q "$(md5sum < "$E1" | cut -c1-32)" "$T/rep/index.html"
    grep -q 'coopmap-family 0.1.0: ' "$T/rep/index.html"
}

@test "report: the strongest-cells tables are cooperativity.tsv's unmasked cells by score" {
    "$BIN/coopmap-stats" --report "$T/rep" --long "$T/long.tsv" "$E1"
    # expected: self/pair cells, masked 0, score > 0, by score descending, as map,src,tgt
    want=$(body "$T/long.tsv" | awk -F'\t' 'NR > 1 && ($3 == "self" || $3 == "pair") && $11 == 0 && $9 > 0 {print $9 "\t" $1 "\t" $2}' |
           sort -s -g -r -k1,1 | cut -f2,3)
    got=$(/usr/bin/python3 - "$T/rep/index.html" <<'EOF'
import re, sys, html
page = open(sys.argv[1]).read()
t = page.split("Strongest cooperative")[1].split("</table>")[0]
for row in re.findall(r"<tr><td>(.*?)</tr>", t):
    cells = [html.unescape(re.sub("<[^>]+>", "", c)) for c in re.split(r"</td><td[^>]*>", row)]
    print(cells[1] + "\t" + cells[2])
EOF
)
    [ -n "$want" ]
    [ "$got" = "$want" ] || { echo "got:"; echo "$got"; echo "want:"; echo "$want"; return 1; }
}

@test "report: rendered by headless Chromium, the screenshot is not blank and every SVG is in the page" {
    command -v chromium > /dev/null || skip "chromium not installed (make deps-test)"
    full_report "$T/rep"
    local cr=(chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage
              --no-first-run --user-data-dir="$T/chrome")
    timeout 120 "${cr[@]}" --window-size=1400,3000 --screenshot="$T/shot.png" \
        "file://$T/rep/index.html" > "$T/chrome.log" 2>&1 || { cat "$T/chrome.log"; return 1; }
    timeout 120 "${cr[@]}" --dump-dom "file://$T/rep/index.html" > "$T/dom.html" 2> "$T/dom.log"
    # the DOM after the page's script ran: the 11 SVGs, the sortable tables
    [ "$(grep -o '<svg' "$T/dom.html" | wc -l)" -eq 11 ]
    grep -q 'class="sortable"' "$T/dom.html"
    run /usr/bin/python3 - "$T/shot.png" <<'EOF'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
w, h = im.size
colours = im.getcolors(maxcolors=1 << 20) or []
nonwhite = sum(n for n, c in colours if c != (255, 255, 255))
# the page's blue header, the red/blue map cells: many colours, a good share not white
print(w, h, len(colours), round(nonwhite / (w * h), 3))
assert w == 1400 and h == 3000
assert len(colours) > 50, "too few colours: blank page?"
assert nonwhite > 0.03 * w * h, "almost all white"
reds = sum(n for n, (r, g, b) in colours if r > 180 and g < 120 and b < 120)
blues = sum(n for n, (r, g, b) in colours if b > 150 and r < 120)
assert reds > 50 and blues > 50, ("no map colours", reds, blues)
EOF
    echo "$output"
    assert_success
}

@test "report: only the figures the tables allow; one map has no side-by-side panel" {
    "$BIN/coopmap-stats" --report "$T/rep" "$E1"
    run ls "$T/rep/figures"
    assert_output "$(printf 'distance_profile.svg\nmap_all.svg\nranking_all.svg')"
    ! grep -q '<section id="saturation">\|<section id="motifs">\|<section id="patterns">' "$T/rep/index.html"
    [ "$(grep -c '<svg' "$T/rep/index.html")" -eq 3 ]
}

@test "report: the same inputs give the same bytes, whatever the thread count" {
    full_report "$T/a"
    "$BIN/coopmap-stats" --threads 2 --report "$T/b" --title "A <test> report" --cluster \
        --tomtom "$FIX/compare/jos_matches.tsv" --tomtom-thresh 0.05 --jos "$RT/jos.tsv" \
        --saturation "K562=$RT/sat.tsv" --sources "K562=$RT/sources.tsv" \
        --patterns "K562=$RT/patterns.tsv" --patterns-tomtom "K562=$RT/pat_tomtom.tsv" \
        --patterns-jos "K562=$RT/pat_jos.tsv" --motif-names "$RT/targets.meme" "K562=$E1" "HepG2=$E2"
    # the provenance names the command, which differs by --threads 2: compare without it
    diff <(grep -v 'coopmap-stats 0.1.0: ' "$T/a/index.html") <(grep -v 'coopmap-stats 0.1.0: ' "$T/b/index.html")
    for f in "$T"/a/figures/*.svg; do
        diff <(grep -v 'coopmap-stats 0.1.0: ' "$f") <(grep -v 'coopmap-stats 0.1.0: ' "$T/b/figures/${f##*/}")
    done
}

@test "report: a run-info TSV becomes tables; errors name FILE:LINE and leave no report" {
    printf '# run info\nsection\tkey\tvalue\nconfig\tscan.thresh\t0.0001\ntools\tcoopmap-scan\t0.1.0\n' > "$T/info.tsv"
    "$BIN/coopmap-stats" --report "$T/rep" --run-info "$T/info.tsv" "$E1"
    grep -q '<h3>config</h3>' "$T/rep/index.html"
    grep -q '<td>scan.thresh</td><td><code>0.0001</code>' "$T/rep/index.html"
    ! grep -q '<h3>section</h3>' "$T/rep/index.html"
    printf 'config\tonly-two-fields\n' > "$T/bad.tsv"
    run "$BIN/coopmap-stats" --report "$T/rep2" --run-info "$T/bad.tsv" "$E1"
    assert_failure
    assert_output --partial "$T/bad.tsv:1:"
    [ ! -e "$T/rep2/index.html" ]
    # a broken Tomtom table
    printf 'Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\tTarget_consensus\tOrientation\np1\tA\t0\t0.1\tx\t1\t8\tA\tA\t+\n' > "$T/bad_tomtom.tsv"
    run "$BIN/coopmap-stats" --report "$T/rep3" --tomtom "$T/bad_tomtom.tsv" "$E1"
    assert_failure
    assert_output --partial "$T/bad_tomtom.tsv:2:"
    [ ! -e "$T/rep3/index.html" ]
    # names: a saturation table for a map that does not exist; two maps without --report
    run "$BIN/coopmap-stats" --report "$T/rep4" --saturation "X=$RT/sat.tsv" "K562=$E1"
    assert_failure
    assert_output --partial "--saturation: no map named 'X'"
    run "$BIN/coopmap-stats" --long "$T/l.tsv" "K562=$E1" "HepG2=$E2"
    assert_failure
    assert_output --partial "two or more maps"
    [ ! -e "$T/l.tsv" ]
}

@test "report: patterns: the Tomtom heatmap, JOS bars per head and the pattern table show the tables' values" {
    # JOS by hand: AAA's match sets {M1,M2}, {M1}, {}: Jaccard 1/2, 0, 0 -> 1/6;
    # BBB's {M1,M2}, {}: 0
    run body "$RT/pat_jos.tsv"
    assert_line --regexp $'^AAA\t3\t2\t3\t0.166667\t'
    assert_line --regexp $'^BBB\t2\t1\t1\t0\t'
    full_report "$T/rep"
    H="$T/rep/index.html"
    grep -q '<a href="#patterns">Patterns</a>' "$H"
    # (a) the heatmap: the patterns as rows in file order, the targets with a match
    # q <= 0.05 named from the motif file ('ID NAME'), one box per such row
    run /usr/bin/python3 - "$T/rep/figures/patterns_tomtom_K562.svg" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
labels = re.findall(r'dominant-baseline="central"[^>]*>([^<]+)</text>', s)
print(" ".join(labels[:6]))   # row then column labels, before the colour bar's
print(len(re.findall(r'class="sig"', s)))
print(re.search(r"<title>([^<]*)</title>", s).group(1))
PY
    assert_line --index 0 "AAA_pos_0 AAA_neg_0 BBB_pos_0 BBB_neg_0 M1 alpha M2 beta"
    assert_line --index 1 "5"
    assert_line --index 2 "Patterns vs motifs (Tomtom): −log10 E, q ≤ 0.05 boxed — K562"
    # (b) one bar per head, JOS as coopmap-family wrote it, sorted by JOS
    run grep -o '<title>[A-Z]*: JOS [^ ]*' "$T/rep/figures/patterns_jos_K562.svg"
    assert_output "$(printf '<title>AAA: JOS 0.1667\n<title>BBB: JOS 0')"
    # (c) the table: patterns.tsv's rows and values, each pattern's best match (smallest
    # q, ties by E: M1 for AAA_pos_0), its E and q, and its count of matches q <= 0.05
    run /usr/bin/python3 - "$H" <<'PY'
import re, sys, html
page = open(sys.argv[1]).read()
t = page.split('<table class="sortable patterns">')[1].split("</table>")[0]
print("|".join(re.findall(r"<th>(.*?)</th>", t)))
for row in re.findall(r"<tr>(<td.*?)</tr>", t):
    out = []
    for attr, c in re.findall(r"<td([^>]*)>(.*?)</td>", row):
        v = re.search(r'data-v="([^"]*)"', attr)
        out.append(html.unescape(re.sub("<[^>]+>", "", c)).strip() + (f"[{v.group(1)}]" if v and "share" in c else ""))
    print("\t".join(out))
PY
    assert_line --index 0 "pattern|head|sign|seqlets|sequences|share of sequences|consensus|width|best match|E|q|matches q &le; 0.05"
    assert_line --index 1 "$(printf 'AAA_pos_0\tAAA\tpos\t30\t25\t50.0%%[0.5000]\tACGTG\t5\tM1 alpha\t1e-05\t0.001\t2')"
    assert_line --index 2 "$(printf 'AAA_neg_0\tAAA\tneg\t12\t12\t24.0%%[0.2400]\tTTGCA\t5\tM1 alpha\t0.01\t0.03\t1')"
    assert_line --index 3 "$(printf 'AAA_neg_1\tAAA\tneg\t11\t10\t20.0%%[0.2000]\tCCCGG\t5\tno Tomtom row\t\t\t0')"
    assert_line --index 4 "$(printf 'BBB_pos_0\tBBB\tpos\t20\t18\t36.0%%[0.3600]\tGGAAT\t5\tM2 beta\t0.0001\t0.01\t2')"
    assert_line --index 5 "$(printf 'BBB_neg_0\tBBB\tneg\t10\t9\t18.0%%[0.1800]\tTATAA\t5\tM3\t0.5\t0.2\t0')"
    [ "${#lines[@]}" -eq 6 ]
    # significant best matches bold, the non-significant one not
    [ "$(grep -c '<td class="sig">M[12] ' "$H")" -eq 3 ]
    # the inputs, with their checksums
    for f in patterns.tsv pat_tomtom.tsv pat_jos.tsv targets.meme; do
        grep -q "$(md5sum < "$RT/$f" | cut -c1-32)" "$H" || { echo "no md5 of $f"; return 1; }
    done
}

@test "report: patterns without a map name, or only some of the three tables" {
    "$BIN/coopmap-stats" --report "$T/rep" --patterns "$RT/patterns.tsv" "$E1"
    run ls "$T/rep/figures"
    assert_output "$(printf 'distance_profile.svg\nmap_all.svg\nranking_all.svg')"
    grep -q '<section id="patterns">' "$T/rep/index.html"
    ! sed -n '/<section id="patterns">/,/<\/section>/p' "$T/rep/index.html" | grep -q '<h3>'
    # without the Tomtom TSV, no best-match columns
    ! grep -q '<th>best match</th>' "$T/rep/index.html"
    grep -q '<tr><td>BBB_neg_0</td><td>BBB</td><td>neg</td><td>10</td><td>9</td>' "$T/rep/index.html"
    "$BIN/coopmap-stats" --report "$T/rep2" --patterns-jos "$RT/pat_jos.tsv" "$E1"
    run ls "$T/rep2/figures"
    assert_output "$(printf 'distance_profile.svg\nmap_all.svg\npatterns_jos.svg\nranking_all.svg')"
    ! grep -q 'class="sortable patterns"' "$T/rep2/index.html"
}

@test "report: patterns errors name FILE:LINE or the option and leave no report" {
    sed 's/\t0.3600\t/\t1.5\t/' "$RT/patterns.tsv" > "$T/bad_share.tsv"
    run "$BIN/coopmap-stats" --report "$T/r1" --patterns "$T/bad_share.tsv" "$E1"
    assert_failure
    assert_output "coopmap-stats: $T/bad_share.tsv:6: share '1.5' is not a number in 0..1"
    sed 's/^AAA_neg_0\tAAA\tneg/AAA_neg_0\tAAA\tboth/' "$RT/patterns.tsv" > "$T/bad_sign.tsv"
    run "$BIN/coopmap-stats" --report "$T/r2" --patterns "$T/bad_sign.tsv" "$E1"
    assert_output "coopmap-stats: $T/bad_sign.tsv:4: sign 'both' is not pos or neg"
    sed 's/\t11\t10\t/\t11\tx\t/' "$RT/patterns.tsv" > "$T/bad_count.tsv"
    run "$BIN/coopmap-stats" --report "$T/r3" --patterns "$T/bad_count.tsv" "$E1"
    assert_output "coopmap-stats: $T/bad_count.tsv:5: sequences 'x' is not an integer >= 0"
    sed 's/\tshare\t/\tfraction\t/' "$RT/patterns.tsv" > "$T/bad_header.tsv"
    run "$BIN/coopmap-stats" --report "$T/r4" --patterns "$T/bad_header.tsv" "$E1"
    assert_output --partial "coopmap-stats: $T/bad_header.tsv:2: not a coopmap-patterns patterns.tsv: no column 'share'"
    sed 's/\tfraction\t/\tshare\t/' "$T/bad_header.tsv" > "$T/short_row.tsv"
    printf 'AAA_pos_9\tAAA\tpos\t1\n' >> "$T/short_row.tsv"
    run "$BIN/coopmap-stats" --report "$T/r5" --patterns "$T/short_row.tsv" "$E1"
    assert_output "coopmap-stats: $T/short_row.tsv:8: 4 fields, the header has 8"
    printf 'MOTIF M9 x\nletter-probability matrix: alength= 4 w= 1\n0.5 0.5\n' > "$T/bad.meme"
    run "$BIN/coopmap-stats" --report "$T/r6" --patterns-tomtom "$RT/pat_tomtom.tsv" --motif-names "$T/bad.meme" "$E1"
    assert_failure
    assert_output --partial "coopmap-stats: $T/bad.meme"
    for d in r1 r2 r3 r4 r5 r6; do [ ! -e "$T/$d" ] || { echo "$d left behind"; return 1; }; done
    # names: a map that does not exist, two tables for one map, no --report
    run "$BIN/coopmap-stats" --report "$T/r7" --patterns-jos "X=$RT/pat_jos.tsv" "K562=$E1"
    assert_output "coopmap-stats: --patterns-jos: no map named 'X'"
    run "$BIN/coopmap-stats" --report "$T/r7" --patterns "K562=$RT/patterns.tsv,K562=$RT/patterns.tsv" "K562=$E1"
    assert_output "coopmap-stats: --patterns: two tables for map 'K562'"
    run "$BIN/coopmap-stats" --long "$T/l.tsv" --patterns "$RT/patterns.tsv" "$E1"
    assert_failure
    assert_output --partial "are report inputs: give --report DIR"
    [ ! -e "$T/r7" ] && [ ! -e "$T/l.tsv" ]
}
