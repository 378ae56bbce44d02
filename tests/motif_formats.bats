#!/usr/bin/env bats
# Motif files straight out of the MEME Suite (issue 12): meme.txt, streme.txt, dreme.txt,
# meme.xml, streme.xml, dreme.xml and meme.html, detected from content (motif_formats.h).
#
# tests/fixtures/motif/two.{meme,streme,dreme}.{txt,xml} hold motifs M1 (TGACTCATAC) and
# M2 (CGATTG) of two.meme — same ids and alt names, the rows of two.meme to 6 decimals
# (rows listed in other letter orders in the XML), nsites 20 (STREME: train_pos_count 15 +
# test_pos_count 5), background A 0.3 C 0.2 G 0.2 T 0.3 — around the sections MEME writes
# (banners, log-odds <scores>, sites, ambiguity letters, a DOCTYPE internal subset);
# two.meme.html holds them in MEME 5's embedded `var data = {…}` object (psm, sites, scan,
# string escapes, other scripts and markup around it).
# two_bg.meme is two.meme with that background: each file must scan exactly as it does.

load helpers

setup() {
    SCAN="$BIN/coopmap-scan"
    MF="$BATS_TEST_DIRNAME/fixtures/motif"
    T="$BATS_TEST_TMPDIR"
}

@test "motif formats: MEME, STREME and DREME text, XML and HTML output scan as two_bg.meme does" {
    "$SCAN" --text --thresh 1e-3 "$MF/two_bg.meme" "$MF/seqs.fa" > "$T/ref.tsv"
    run wc -l < "$T/ref.tsv"
    assert_output "28"
    # the background and nsites are read: a uniform background or nsites 15 changes hits
    "$SCAN" --text --thresh 1e-3 "$MF/two.meme" "$MF/seqs.fa" > "$T/uniform.tsv"
    ! cmp -s "$T/ref.tsv" "$T/uniform.tsv"
    sed 's/nsites= 20/nsites= 15/' "$MF/two_bg.meme" > "$T/ns15.meme"
    "$SCAN" --text --thresh 1e-3 "$T/ns15.meme" "$MF/seqs.fa" > "$T/ns15.tsv"
    ! cmp -s "$T/ref.tsv" "$T/ns15.tsv"
    for f in two.meme.txt two.streme.txt two.dreme.txt two.meme.xml two.streme.xml two.dreme.xml two.meme.html; do
        "$SCAN" --text --thresh 1e-3 "$MF/$f" "$MF/seqs.fa" > "$T/$f.tsv"
        cmp "$T/ref.tsv" "$T/$f.tsv"
        # forced format name gives the same; gzip is read too
        fmt=$(case $f in two.meme.xml) echo meme-xml;; two.streme.xml) echo streme-xml;;
              two.dreme.xml) echo dreme-xml;; two.meme.html) echo meme-html;; *) echo meme-text;; esac)
        gzip -c "$MF/$f" > "$T/$f.gz"
        "$SCAN" --text --thresh 1e-3 --motif-format "$fmt" "$T/$f.gz" "$MF/seqs.fa" > "$T/$f.gz.tsv"
        cmp "$T/ref.tsv" "$T/$f.gz.tsv"
    done
    # ids and alt names as two.meme's; the planted site as in scan.bats (different bg → own score)
    run cut -f1,2 "$T/two.streme.xml.tsv"
    assert_line "$(printf 'M1\tTGACTCATAC')"
    assert_line "$(printf 'M2\tCGATTG')"
    # STREME's nsites is train_pos_count + test_pos_count: 10 + 5 differs from 20
    sed 's/train_pos_count="15"/train_pos_count="10"/' "$MF/two.streme.xml" > "$T/s10.xml"
    "$SCAN" --text --thresh 1e-3 "$T/s10.xml" "$MF/seqs.fa" > "$T/s10.tsv"
    ! cmp -s "$T/ref.tsv" "$T/s10.tsv"
    # meme.html: nsites and the background come from the embedded data object
    sed 's/"nsites": 20/"nsites": 15/' "$MF/two.meme.html" > "$T/h15.html"
    "$SCAN" --text --thresh 1e-3 "$T/h15.html" "$MF/seqs.fa" > "$T/h15.tsv"
    ! cmp -s "$T/ref.tsv" "$T/h15.tsv"
    sed 's/"freqs": \[0.3, 0.2, 0.2, 0.3\]/"freqs": [0.25, 0.25, 0.25, 0.25]/' "$MF/two.meme.html" > "$T/hu.html"
    "$SCAN" --text --thresh 1e-3 "$T/hu.html" "$MF/seqs.fa" > "$T/hu.tsv"
    cmp "$T/uniform.tsv" "$T/hu.tsv"
}

@test "motif formats: XML is read whatever the attribute order, quoting, spacing and comments" {
    # one line per tag → everything on few lines, single quotes, comments between tags
    tr '\n' ' ' < "$MF/two.dreme.xml" | sed "s/\"/'/g; s#<pos #<!-- a comment --><pos   #g" > "$T/flat.xml"
    "$SCAN" --text --thresh 1e-3 "$MF/two_bg.meme" "$MF/seqs.fa" > "$T/ref.tsv"
    "$SCAN" --text --thresh 1e-3 "$T/flat.xml" "$MF/seqs.fa" > "$T/flat.tsv"
    cmp "$T/ref.tsv" "$T/flat.tsv"
    # MEME 4 letter ids (letter_A …) without an <alphabet> of A C G T ids
    sed 's/letter_id="\([ACGT]\)"/letter_id="letter_\1"/; /<letter id=/d' "$MF/two.meme.xml" > "$T/m4.xml"
    "$SCAN" --text --thresh 1e-3 "$T/m4.xml" "$MF/seqs.fa" > "$T/m4.tsv"
    cmp "$T/ref.tsv" "$T/m4.tsv"
}

@test "motif formats: a malformed file of each kind fails naming FILE:LINE" {
    bad() {   # $1 file, $2 sed script, $3 expected message part
        sed "$2" "$MF/$1" > "$T/bad.$1"
        run "$SCAN" --text "$T/bad.$1" "$MF/seqs.fa"
        assert_failure
        assert_output --partial "bad.$1:$3"
    }
    # a row summing to 0.5 (0.8 -> 0.3 in M1's first row)
    bad two.meme.txt '69s/0.800000/0.300000/' "69: matrix row sums to 0.5"
    bad two.streme.txt '26s/0.800000/0.300000/' "26: matrix row sums to 0.5"
    bad two.dreme.txt '22s/0.800000/0.300000/' "22: matrix row sums to 0.5"
    bad two.meme.xml '113s/0.800000/0.300000/' "117: motif M1, position 1: probabilities sum to 0.5"
    bad two.streme.xml '36s/T="0.800000"/T="0.300000"/' "36: motif M1, position 1: probabilities sum to 0.5"
    bad two.dreme.xml '22s/T="0.800000"/T="0.300000"/' "22: motif M1, position 1: probabilities sum to 0.5"
    # a short matrix (w= 10 but 9 rows), a non-number, XML syntax errors
    bad two.meme.txt '70d' "78: motif M1 has 9 matrix rows, w= says 10"
    bad two.meme.xml '113s/0.800000/abc/' "113: <value>: value 'abc' is not a number >= 0"
    bad two.streme.xml '36s/T="0.800000"/T=0.8/' "36: attribute T: value not quoted"
    bad two.dreme.xml '22s/<pos i/<pos i="1" A=0.1/' "22: attribute A: value not quoted"
    bad two.dreme.xml '22s/\/>$//' "22: bad attribute in tag <pos>"
    bad two.dreme.xml '22s/ T="0.800000"//' "22: motif M1, position 1: no value for letter T"
    # the motif count does not match width=
    bad two.dreme.xml '22d' "21: motif M1 has 9 positions, width says 10"
    # meme.html: malformed JSON (a missing ',' after "nsites": 20 on line 62), bad values
    bad two.meme.html '62s/"nsites": 20,/"nsites": 20/' "63: JSON: expected ',' or '}' in object"
    bad two.meme.html '84s/0.800000/0.300000/' "84: motif M1, position 1: probabilities sum to 0.5"
    bad two.meme.html '84s/0.800000/abc/' "84: JSON: unexpected character (not a JSON value)"
    bad two.meme.html '84s/\],$/,],/' "84: JSON: trailing ',' in array"
    bad two.meme.html '15s/\\u00e9/\\ud800/' "15: JSON: lone high surrogate"
    bad two.meme.html '59s/"M1"/"M1/' "59: JSON: control character in string"
    bad two.meme.html '90d' "83: motif M1 has 9 pwm rows, len says 10"
    # other XML is refused by name, HTML without a MEME Suite data object too
    printf '<html><body>x</body></html>\n' > "$T/x.html"
    run "$SCAN" --text "$T/x.html" "$MF/seqs.fa"
    assert_failure
    assert_output --partial "root <html> is not MEME, STREME or DREME XML output"
    sed 's/"program": "MEME"/"program": "Tomtom"/' "$MF/two.meme.html" > "$T/tt.html"
    run "$SCAN" --text "$T/tt.html" "$MF/seqs.fa"
    assert_failure
    assert_output --partial "tt.html: XML or HTML root <html> is not MEME, STREME or DREME XML output"
}

@test "motif formats: coopmap-compare and coopmap-family read every format as two_bg.meme" {
    CMP="$BIN/coopmap-compare"
    "$CMP" -text "$MF/two_bg.meme" "$MF/two_bg.meme" > "$T/ref.tsv"
    [ "$(grep -c . "$T/ref.tsv")" -ge 3 ]
    for f in two.meme.txt two.streme.txt two.dreme.txt two.meme.xml two.streme.xml two.dreme.xml two.meme.html; do
        # as query and as target database: the same rows as the MEME minimal file
        "$CMP" -text "$MF/$f" "$MF/two_bg.meme" > "$T/q.tsv"
        cmp <(grep -v "^#" "$T/ref.tsv") <(grep -v "^#" "$T/q.tsv") || { echo "query $f differs"; diff "$T/ref.tsv" "$T/q.tsv"; return 1; }
        "$CMP" -text "$MF/two_bg.meme" "$MF/$f" > "$T/t.tsv"
        cmp <(grep -v "^#" "$T/ref.tsv") <(grep -v "^#" "$T/t.tsv") || { echo "target $f differs"; diff "$T/ref.tsv" "$T/t.tsv"; return 1; }
    done
    "$BIN/coopmap-family" matrix -o "$T/m1.tsv" "$MF/two_bg.meme" "$MF/two_bg.meme"
    "$BIN/coopmap-family" matrix -o "$T/m2.tsv" "$MF/two.streme.xml" "$MF/two.meme.xml"
    cmp <(grep -v '^#' "$T/m1.tsv") <(grep -v '^#' "$T/m2.tsv")
}
