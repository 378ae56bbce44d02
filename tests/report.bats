#!/usr/bin/env bats
# coopmap-stats --report DIR: one self-contained HTML page with every figure the given
# tables allow (c/report/report.c), the figures also as DIR/figures/*.svg; rendered in
# headless Chromium (Debian's chromium) to check that the page is not blank and that its
# SVGs are there.  Inputs: the hand-made effects of tests/fixtures/stats as two "cell
# lines", the JOS fixtures of tests/fixtures/compare, a hand-made saturation table.

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
             saturation_K562 tomtom jos; do
        [ -s "$T/rep/figures/$f.svg" ] || { echo "no $f.svg"; ls "$T/rep/figures"; return 1; }
    done
    run check_svgs "$T"/rep/figures/*.svg
    assert_success
    assert_output 9
    # every figure inline, nothing fetched from elsewhere, ids unique across the page
    [ "$(grep -c '<svg' "$T/rep/index.html")" -eq 9 ]
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
    for s in maps top distance ranking saturation motifs run; do
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
    # the DOM after the page's script ran: the 9 SVGs, the sortable tables
    [ "$(grep -o '<svg' "$T/dom.html" | wc -l)" -eq 9 ]
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
    ! grep -q '<section id="saturation">\|<section id="motifs">' "$T/rep/index.html"
    [ "$(grep -c '<svg' "$T/rep/index.html")" -eq 3 ]
}

@test "report: the same inputs give the same bytes, whatever the thread count" {
    full_report "$T/a"
    "$BIN/coopmap-stats" --threads 2 --report "$T/b" --title "A <test> report" --cluster \
        --tomtom "$FIX/compare/jos_matches.tsv" --tomtom-thresh 0.05 --jos "$RT/jos.tsv" \
        --saturation "K562=$RT/sat.tsv" --sources "K562=$RT/sources.tsv" "K562=$E1" "HepG2=$E2"
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
