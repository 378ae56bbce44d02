#!/usr/bin/env bats
# Damaged and suspicious inputs: a truncated gzip/BGZF file names the real line where its
# data ends (htslib drops the whole block it could not finish, so the line it stopped
# at can be line 1); a BGZF genome without its end-of-file marker is refused, not an
# htslib assertion; peaks only on other sequences and empty FASTA files give a warning
# naming the file.

load helpers

setup() {
    T="$BATS_TEST_TMPDIR"
    M="$FIX/scan/two.meme"
    # 2000 lines of pseudo-random bases (an LCG: nearly incompressible), 10 records
    awk 'BEGIN { x = 7; for (r = 0; r < 10; r++) { print ">s" r; for (l = 0; l < 199; l++) {
             s = ""; for (i = 0; i < 60; i++) { x = (x * 1103515245 + 12345) % 2147483648;
             s = s substr("ACGT", int(x / 65536) % 4 + 1, 1) } print s } } }' > "$T/seq.fa"
}

# expected_line FILE.gz: 1 + the newlines in what Python's zlib can decompress of FILE
# (gzip members in sequence, so BGZF too), i.e. the first line not held in full.
expected_line() {
    /usr/bin/python3 - "$1" <<'EOF'
import sys, zlib
data, out = open(sys.argv[1], 'rb').read(), b''
while data:
    d = zlib.decompressobj(31)
    try:
        out += d.decompress(data)
    except zlib.error:
        break
    data = d.unused_data if d.eof else b''
print(out.count(b'\n') + 1)
EOF
}

@test "truncated gzip FASTA: the message names the line where the data ends, not line 1" {
    gzip -c "$T/seq.fa" > "$T/seq.fa.gz"
    local size; size=$(stat -c %s "$T/seq.fa.gz")
    head -c $((size / 2)) "$T/seq.fa.gz" > "$T/cut.fa.gz"
    local want; want=$(expected_line "$T/cut.fa.gz")
    [ "$want" -gt 500 ] && [ "$want" -lt 1500 ]
    run "$BIN/coopmap-scan" --text "$M" "$T/cut.fa.gz"
    assert_failure 1
    assert_line "coopmap-scan: $T/cut.fa.gz:$want: read error: compressed data cut short or corrupt (truncated file?)"
    run "$BIN/coopmap-ism" --model "$FIX/grammar/tiny.grammar" --predict "$T/cut.fa.gz"
    assert_failure 1
    # ism stops at the first record of the wrong length, before the damage; a FASTA of
    # 14-bp records reaches it
    awk '/^>/ { print; next } { print substr($0, 1, 14) }' "$T/seq.fa" | head -1200 | gzip -c > "$T/short.fa.gz"
    head -c $(( $(stat -c %s "$T/short.fa.gz") * 2 / 3 )) "$T/short.fa.gz" > "$T/short_cut.fa.gz"
    want=$(expected_line "$T/short_cut.fa.gz")
    [ "$want" -gt 100 ]
    run "$BIN/coopmap-ism" --model "$FIX/grammar/tiny.grammar" --predict "$T/short_cut.fa.gz" -o "$T/p.tsv"
    assert_failure 1
    assert_line "coopmap-ism: $T/short_cut.fa.gz:$want: read error: compressed data cut short or corrupt (truncated file?)"
    [ ! -e "$T/p.tsv" ]
}

@test "truncated gzip TSV (effects, sites): the real line" {
    { grep '^#' "$FIX/stats/effects.tsv"; grep -v '^#' "$FIX/stats/effects.tsv" | head -1
      for i in $(seq 1 400); do grep -v '^#' "$FIX/stats/effects.tsv" | tail -n +2; done; } \
        | awk -F'\t' -v OFS='\t' 'NR > 2 { $NF = NR } { print }' | gzip -c > "$T/e.tsv.gz"
    head -c $(( $(stat -c %s "$T/e.tsv.gz") / 2 )) "$T/e.tsv.gz" > "$T/e_cut.tsv.gz"
    local want; want=$(expected_line "$T/e_cut.tsv.gz")
    [ "$want" -gt 100 ]
    run "$BIN/coopmap-stats" -o "$T/out" "$T/e_cut.tsv.gz"
    assert_failure 1
    # htslib may first hand back the part of the cut line it decoded (a short row), so
    # the message is that row's or the read error's; either way a line near the cut
    assert_output --regexp "coopmap-stats: $T/e_cut.tsv.gz:[0-9]+: "
    local got; got=$(sed -n 's/.*e_cut\.tsv\.gz:\([0-9]*\):.*/\1/p' <<< "$output")
    [ "$got" -gt $((want - 300)) ] && [ "$got" -le "$want" ]
    [ ! -e "$T/out" ]
}

@test "truncated BGZF: a cut block and a missing end-of-file marker are errors, not a short read" {
    bgzip -c "$T/seq.fa" > "$T/seq.fa.gz"
    local size; size=$(stat -c %s "$T/seq.fa.gz")
    # cut inside a block: htslib reports it as the end of the file
    head -c $((size - 5000)) "$T/seq.fa.gz" > "$T/cut.fa.gz"
    local want; want=$(expected_line "$T/cut.fa.gz")
    run "$BIN/coopmap-scan" --text "$M" "$T/cut.fa.gz"
    assert_failure 1
    assert_line "coopmap-scan: $T/cut.fa.gz:$want: read error: compressed data cut short or corrupt (truncated file?)"
    # cut exactly at a block end (the 28-byte EOF block removed): only the marker tells
    head -c $((size - 28)) "$T/seq.fa.gz" > "$T/noeof.fa.gz"
    run "$BIN/coopmap-scan" --text "$M" "$T/noeof.fa.gz"
    assert_failure 1
    assert_line "coopmap-scan: $T/noeof.fa.gz:2001: read error: no BGZF end-of-file marker (truncated file?)"
    # the intact file reads
    run "$BIN/coopmap-scan" --text "$M" "$T/seq.fa.gz"
    assert_success
}

@test "truncated bgzip genome with its index: refused by name, no htslib abort" {
    bgzip -c "$T/seq.fa" > "$T/g.fa.gz"
    samtools faidx "$T/g.fa.gz"
    head -c $(( $(stat -c %s "$T/g.fa.gz") * 2 / 3 )) "$T/g.fa.gz" > "$T/cut.fa.gz"
    cp "$T/g.fa.gz.fai" "$T/cut.fa.gz.fai"
    cp "$T/g.fa.gz.gzi" "$T/cut.fa.gz.gzi"
    printf 's9\t100\t200\n' > "$T/r.bed"
    local msg="$T/cut.fa.gz: no BGZF end-of-file marker: truncated? (compress it again with bgzip and remake its .fai and .gzi)"
    run "$BIN/coopmap-scan" --text --regions "$T/r.bed" --genome "$T/cut.fa.gz" "$M"
    assert_failure 1
    assert_output "coopmap-scan: $msg"
    run "$BIN/coopmap-ism" --saturation --model "$FIX/grammar/tiny.grammar" --genome "$T/cut.fa.gz" \
        --regions "$T/r.bed" -o "$T/sat.tsv"
    assert_failure 1
    assert_output "coopmap-ism: $msg"
    [ ! -e "$T/sat.tsv" ]
    run "$BIN/coopmap-pairs" -g "$T/cut.fa.gz" "$FIX/pairs/sites.tsv"
    assert_failure 1
    assert_output "coopmap-pairs: $msg"
    # the intact genome scans
    run "$BIN/coopmap-scan" --text --regions "$T/r.bed" --genome "$T/g.fa.gz" "$M"
    assert_success
}

@test "pairs: peaks only on other sequences, no peaks of --cells, no hits: a warning naming the file" {
    sed 's/^chrT/chr1/' "$FIX/pairs/peaks.bed" > "$T/other.bed"
    run "$BIN/coopmap-pairs" -p "$T/other.bed" -o "$T/p.tsv" "$FIX/pairs/sites.tsv"
    assert_success
    assert_line "coopmap-pairs: warning: $T/other.bed: no peak is on a sequence of $FIX/pairs/sites.tsv (peaks on 'chr1', sites on 'chrT'): no site is localized"
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -c NoSuchCell -o "$T/p.tsv" "$FIX/pairs/sites.tsv"
    assert_success
    assert_line "coopmap-pairs: warning: $FIX/pairs/peaks.bed: no peaks of the cells given by --cells: no site is localized"
    head -1 "$FIX/pairs/sites.tsv" > "$T/none.tsv"
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -o "$T/p.tsv" "$T/none.tsv"
    assert_success
    assert_line "coopmap-pairs: warning: $T/none.tsv: no motif hits"
    # the output is still a well-formed, empty pairs table
    run body "$T/p.tsv"
    assert_output --regexp '^pair_id	chrom	source_tf'
    # matching names: no warning
    run "$BIN/coopmap-pairs" -p "$FIX/pairs/peaks.bed" -o "$T/p.tsv" "$FIX/pairs/sites.tsv"
    refute_output --partial "warning"
}

@test "empty FASTA: scan and ism --predict warn naming the file, outputs keep their headers" {
    : > "$T/empty.fa"
    run "$BIN/coopmap-scan" --text -o "$T/s.tsv" "$M" "$T/empty.fa"
    assert_success
    assert_output "coopmap-scan: warning: $T/empty.fa: no sequences (an empty FASTA?)"
    run "$BIN/coopmap-scan" --oc "$T/oc" "$M" "$T/empty.fa"
    assert_success
    assert_output "coopmap-scan: warning: $T/empty.fa: no sequences (an empty FASTA?)"
    run head -1 "$T/oc/fimo.tsv"
    assert_output --partial "motif_id"
    run "$BIN/coopmap-ism" --model "$FIX/grammar/tiny.grammar" --predict "$T/empty.fa" -o "$T/p.tsv"
    assert_success
    assert_output "coopmap-ism: warning: $T/empty.fa: no sequences (an empty FASTA?)"
    run body "$T/p.tsv"
    assert_output "$(printf 'name\tlogit_X\tprob_X\tlogit_Y\tprob_Y')"
    # a FASTA with records: no warning
    run "$BIN/coopmap-scan" --text -o "$T/s.tsv" "$M" "$FIX/scan/coords.fa"
    assert_output ""
}
