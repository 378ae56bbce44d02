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

# ---- alphabets (issue 12): MEME alphabet definitions, RNA, a covalent-base DNA ----
# fixtures/motif/alph/: rna.meme (ALPHABET= ACGU, uniform background, motif r1 = AUG,
# nsites 10), cov.meme (a DNA-LIKE alphabet with m ~ 1 = 5-methylcytosine and its
# complement, core order A C G T m 1, case-sensitive because it uses both cases;
# background A .25 C .2 G .2 T .25 m .05 1 .05; motif cpg = m then G, nsites 10).

@test "alphabets: RNA motifs scan the given strand only, T and lower case read as U (hand-derived)" {
    # FIMO: RNA has no complements, so one strand; U's alias T and either case map to U.
    # Background: RNA has no NRDB frequencies, so the file's (uniform) is used, +5e-7
    # renormalised = 0.25.  Pseudocounted f' = (10 f + 0.1·0.25)/10.1: 0.9925743 and
    # 0.0024752; L = ln(f'/0.25)·1.44269504 = 1.989248 and −6.658211; offset −7,
    # scale floor(1000/8.989248) = 111; cells nint((L+7)·111) = 998 and 38.  AUG scores
    # 3·998 = 2994 = the maximum, p = P(S >= 2994) = 0.25^3 = 0.015625 (0.0156);
    # score 2994/111 − 21 = 5.97297.  CCAUGCCATGCCaugCCAUGNN has AUG at 3, ATG at 8,
    # aug at 13 and AUG at 18; any other window scores at most 2·998+38, p >= 10/64.
    run "$SCAN" --text --thresh 0.02 "$MF/alph/rna.meme" "$MF/alph/rna.fa"
    assert_success
    assert_output "$(printf 'motif_id\tmotif_alt_id\tsequence_name\tstart\tstop\tstrand\tscore\tp-value\tq-value\tmatched_sequence
r1\tRNA1\ts1\t3\t5\t+\t5.97297\t0.0156\t\tAUG
r1\tRNA1\ts1\t8\t10\t+\t5.97297\t0.0156\t\tATG
r1\tRNA1\ts1\t13\t15\t+\t5.97297\t0.0156\t\taug
r1\tRNA1\ts1\t18\t20\t+\t5.97297\t0.0156\t\tAUG')"
    # full mode: one strand, so the q-values count 18 windows (not 36), and fimo.xml says so
    "$SCAN" --oc "$T/o" --thresh 0.02 "$MF/alph/rna.meme" "$MF/alph/rna.fa"
    run grep -c '^r1' "$T/o/fimo.tsv"
    assert_output "4"
    run grep -c 'scan both strands">false' "$T/o/fimo.xml"
    assert_output "1"
    # the same motif over DNA (ALPHABET= ACGT) does scan the reverse strand as well
    sed 's/ALPHABET= ACGU/ALPHABET= ACGT/; s/ U 0.25/ T 0.25/' "$MF/alph/rna.meme" > "$T/dna.meme"
    run "$SCAN" --text --thresh 0.02 "$T/dna.meme" "$MF/alph/rna.fa"
    assert_output --partial "$(printf '\t-\t')"
}

@test "alphabets: a covalent-base DNA alphabet scans over 6 letters, both strands (hand-derived)" {
    # K = 6 (A C G T m 1), complements A~T C~G m~1; background the file's (not built-in
    # DNA, so no NRDB), symmetric already, +5e-7.  Column 0 is m (f' = (10 + 0.1·0.05)/10.1),
    # column 1 G; L = ln(f'/b)·1.44269504 gives min −6.658 (offset −7), max 4.308 (m),
    # scale floor(1000/11.308) = 88: cells m 995, G 819, every other 30.  mG scores
    # 1814 (6.61364 = 1814/88 − 14), p = P(m)·P(G) = 0.0500000·0.2000001 = 0.01; on the
    # reverse strand the matrix is column 0 = C 819, column 1 = 1 995, so C1 at 5–6
    # matches '-' and shows as its reverse complement mG.  CG (8–9) scores 819+30 on each
    # strand, p 0.24; "mg" (11–12) holds g, which is no letter of this case-sensitive
    # alphabet, so it is not scored.
    run "$SCAN" --text --thresh 0.011 "$MF/alph/cov.meme" "$MF/alph/cov.fa"
    assert_success
    assert_output "$(printf 'motif_id\tmotif_alt_id\tsequence_name\tstart\tstop\tstrand\tscore\tp-value\tq-value\tmatched_sequence
cpg\tmCG\ts1\t2\t3\t+\t6.61364\t0.01\t\tmG
cpg\tmCG\ts1\t5\t6\t-\t6.61364\t0.01\t\tmG')"
    run "$SCAN" --text --thresh 1 "$MF/alph/cov.meme" "$MF/alph/cov.fa"
    assert_line --partial "$(printf 's1\t8\t9\t+\t-4.35227\t0.24\t\tCG')"
    assert_line --partial "$(printf 's1\t1\t2\t-\t-13.3182\t1\t\t1T')"
    refute_line --partial "$(printf 's1\t11\t12')"
    run bash -c "\"$SCAN\" --text --thresh 1 \"$MF/alph/cov.meme\" \"$MF/alph/cov.fa\" | tail -n +2 | wc -l"
    assert_output "20"    # windows 1–10 × 2 strands; 11 and 12 hold g
    # --bfile over the alphabet: a background file with all six letters (uniform) changes
    # the scores; one that lacks m is refused by name
    printf 'A 0.1666667\nC 0.1666667\nG 0.1666667\nT 0.1666667\nm 0.1666667\n1 0.1666667\n' > "$T/u6.bg"
    run "$SCAN" --text --thresh 0.05 --bfile "$T/u6.bg" "$MF/alph/cov.meme" "$MF/alph/cov.fa"
    assert_success
    assert_line --partial "0.0278"     # 1/36
    printf 'A 0.25\nC 0.25\nG 0.25\nT 0.25\n' > "$T/dna.bg"
    run "$SCAN" --text --bfile "$T/dna.bg" "$MF/alph/cov.meme" "$MF/alph/cov.fa"
    assert_failure
    assert_output --partial "$T/dna.bg: no frequency for letter m"
}

@test "alphabets: bad ALPHABET blocks, rows and backgrounds fail naming FILE:LINE" {
    hdr='MEME version 5\n\nALPHABET "x" DNA-LIKE\n'
    tail='END ALPHABET\n\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n1 0 0 0\n'
    printf "${hdr}A ~ T\nC ~ G\nA ~ T\n${tail}" > "$T/dup.meme"
    run "$SCAN" --text "$T/dup.meme" "$MF/alph/cov.fa"
    assert_failure
    assert_output --partial "$T/dup.meme:6: alphabet: core symbol A is already defined"
    printf "${hdr}A ~ T\nC ~ G\nN = ACGTZ\n${tail}" > "$T/undef.meme"
    run "$SCAN" --text "$T/undef.meme" "$MF/alph/cov.fa"
    assert_output --partial "$T/undef.meme:6: alphabet: required core symbol Z has not been defined"
    printf "${hdr}A ~ T\nN = AT\nC ~ G\n${tail}" > "$T/order.meme"
    run "$SCAN" --text "$T/order.meme" "$MF/alph/cov.fa"
    assert_output --partial "$T/order.meme:6: alphabet: core symbol C after an ambiguous symbol"
    printf "${hdr}A ~ T\nC\nG\n${tail}" > "$T/like.meme"
    run "$SCAN" --text "$T/like.meme" "$MF/alph/cov.fa"
    assert_output --partial "$T/like.meme:7: alphabet: not like DNA alphabet as C complement rules are incorrect"
    printf "${hdr}A ~ T\nC ~ G\n? = AC\n${tail}" > "$T/wild.meme"
    run "$SCAN" --text "$T/wild.meme" "$MF/alph/cov.fa"
    assert_output --partial "$T/wild.meme:6: alphabet: symbol '?' is reserved as a wildcard"
    printf "${hdr}A ~ T\nC ~ G\nmm ~ 1\n${tail}" > "$T/long.meme"
    run "$SCAN" --text "$T/long.meme" "$MF/alph/cov.fa"
    assert_output --partial "$T/long.meme:6: alphabet: symbols are one character"
    printf "${hdr}A ~ T\nC ~ G\n" > "$T/noend.meme"
    run "$SCAN" --text "$T/noend.meme" "$MF/alph/cov.fa"
    assert_output --partial "$T/noend.meme:5: alphabet: the ALPHABET block of line 3 has no END ALPHABET line"
    printf 'MEME version 5\n\nALPHABET= ACGX\n' > "$T/letters.meme"
    run "$SCAN" --text "$T/letters.meme" "$MF/alph/cov.fa"
    assert_output --partial "$T/letters.meme:3: alphabet: unrecognised alphabet 'ACGX'"
    # a 4-value row, alength= 4 and a background letter outside the 6-letter alphabet
    sed 's/^0 0 1 0 0 0$/0 0 1 0/' "$MF/alph/cov.meme" > "$T/row.meme"
    run "$SCAN" --text "$T/row.meme" "$MF/alph/cov.fa"
    assert_output --partial "$T/row.meme:25: matrix row has 4 values, expected 6 (alphabet DNA with 5mC: ACGTm1)"
    sed 's/alength= 6/alength= 4/' "$MF/alph/cov.meme" > "$T/alen.meme"
    run "$SCAN" --text "$T/alen.meme" "$MF/alph/cov.fa"
    assert_output --partial "$T/alen.meme:23: alength= 4 does not match the DNA with 5mC alphabet's 6 letters"
    sed 's/ m 0.05 1 0.05/ M 0.05 1 0.05/' "$MF/alph/cov.meme" > "$T/bgl.meme"
    run "$SCAN" --text "$T/bgl.meme" "$MF/alph/cov.fa"
    assert_output --partial "$T/bgl.meme:20: bad background entry 'M 0.05': 'M' is not a core letter of alphabet DNA with 5mC (ACGTm1)"
}

@test "issue 13: bad MEME background entries and JASPAR rows give clear messages (no freed memory, no NULL copies)" {
    # the message quotes the entry: it used to print the token after freeing its buffer
    printf 'MEME version 4\n\nBackground letter frequencies\nX 0.25 C 0.25 G 0.25 T 0.25\n\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n1 0 0 0\n' > "$T/bgx.meme"
    run "$SCAN" --text "$T/bgx.meme" "$MF/seqs.fa"
    assert_failure
    assert_output "coopmap-scan: $T/bgx.meme:4: bad background entry 'X 0.25': 'X' is not a core letter of alphabet DNA (ACGT)"
    printf 'MEME version 4\n\nBackground letter frequencies\nA 0.25 C zz G 0.25 T 0.25\n' > "$T/bgn.meme"
    run "$SCAN" --text "$T/bgn.meme" "$MF/seqs.fa"
    assert_output "coopmap-scan: $T/bgn.meme:4: bad background entry 'C zz': frequency is not a number >= 0"
    printf 'MEME version 4\n\nBackground letter frequencies\nA 0.25 A 0.25 G 0.25 T 0.25\n' > "$T/bgd.meme"
    run "$SCAN" --text "$T/bgd.meme" "$MF/seqs.fa"
    assert_output "coopmap-scan: $T/bgd.meme:4: background letter 'A' given twice"
    # JASPAR: an empty row (was a memcpy from NULL) and counts whose column sum overflows
    printf '>MA1 x\nA [ ]\nC [ 1 ]\nG [ 1 ]\nT [ 1 ]\n' > "$T/empty.jaspar"
    run "$SCAN" --text --motif-format jaspar "$T/empty.jaspar" "$MF/seqs.fa"
    assert_failure
    assert_output "coopmap-scan: $T/empty.jaspar:2: motif MA1: matrix row has no values"
    printf '>MA2 x\nA [ 1e308 1 ]\nC [ 1e308 1 ]\nG [ 1 1 ]\nT [ 1 1 ]\n' > "$T/huge.jaspar"
    run "$SCAN" --text --motif-format jaspar "$T/huge.jaspar" "$MF/seqs.fa"
    assert_failure
    assert_output --partial "$T/huge.jaspar:1: motif MA2: column 1: the counts sum to more than the largest number a double holds"
    refute_output --partial "zero probability"
}
