#!/usr/bin/env bash
# tests/fuzz/make_seeds.sh — make the seed corpora OUT/NAME/ from the test fixtures
# (tests/fixtures/, used where they are, not copied into the repository) and small files
# made here with the project's own tools.  `make fuzz-build` runs it into build-fuzz/seeds.
#   tests/fuzz/make_seeds.sh BIN_DIR [OUT]   (BIN_DIR: built coopmap-* tools, e.g. bin;
#                                             OUT: default build-fuzz/seeds)
# Needs bgzip (tabix); /usr/bin/python3 with numpy for the two .cmm seeds (skipped without).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$(cd "${1:?usage: make_seeds.sh BIN_DIR}" && pwd)
S=${2:-build-fuzz/seeds} F=tests/fixtures
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
rm -rf "$S"; mkdir -p "$S"
put() { local d=$S/$1; shift; mkdir -p "$d"; for f in "$@"; do cp "$f" "$d/"; done; }
gz() { gzip -nc "$1" > "$2"; }
bgz() { bgzip -c "$1" > "$2"; }

# --- motif files
put motif_auto $F/motif/two.{meme,jaspar,transfac,motif,meme.txt,streme.txt,dreme.txt,meme.xml,streme.xml,dreme.xml,meme.html}
gz $F/motif/two.jaspar $S/motif_auto/two.jaspar.gz
put motif_meme $F/motif/two.meme $F/motif/two_bg.meme $F/compare/{acgtac,ties,tiny_query,bad_row}.meme \
    $F/scan/{two,offsum,bad}.meme
put motif_memetext $F/motif/two.{meme,streme,dreme}.txt
put motif_jaspar $F/motif/two.jaspar
printf '>MA0001.1 AGL3\n1 2 3 4\n5 6 7 8\n9 10 11 12\n13 14 15 16\n' > $S/motif_jaspar/unlabelled.jaspar
printf '>M1 x\nA [ 0.5 0.25 ]\nC [ 0.5 0.25 ]\nG [ 0 0.25 ]\nT [ 0 0.25 ]\n' > $S/motif_jaspar/frac.jaspar
put motif_transfac $F/motif/two.transfac
put motif_homer $F/motif/two.motif
put motif_xml $F/motif/two.{meme,streme,dreme}.xml
put motif_html $F/motif/two.meme.html

# --- MEME background files
mkdir -p $S/background
printf '# 0-order\nA 0.3\nC 0.2\nG 0.2\nT 0.3\n' > $S/background/order0.bg
printf '#   order 0\nA 2.5e-01\nC 2.5e-01\nG 2.5e-01\nT 2.5e-01\n# order 1\nAA 0.0625\nAC 0.0625\nCA 0.0625\n' > $S/background/order1.bg
printf 'a 0.1\nc 0.4\ng 0.4\nt 0.1\n' > $S/background/lower.bg

# --- FASTA: plain, gzip, BGZF
put fasta $F/scan/{coords,galaxy,ties,offsum}.fa $F/grammar/tiny.fa $F/ism/genome.fa $F/ism/sat.fa
printf '; comment\n\n>s1 desc here\nACGT NNNN\nacgt\n>s2\n>s3\tx\nA\r\n' > $S/fasta/edge.fa
gz $F/ism/genome.fa $S/fasta/genome.fa.gz
bgz $F/ism/genome.fa $S/fasta/genome.fa.bgz

# --- BED regions (over tests/fixtures/ism/genome.fa, the harness's genome) and peaks
mkdir -p $S/regions $S/peaks
printf 'chrA\t0\t30\tr1\nchrA\t25\t120\nbrowser x\ntrack name=t\n# c\nchrB\t5\t60\tr3\t0\t+\n' > $S/regions/r.bed
printf 'chrB\t0\t1\n' > $S/regions/one.bed
put peaks $F/pairs/peaks.bed
printf 'chr1\t100\t300\tK562:MAX\t0\t.\t5.1\t-1\t3.2\t90\nchr1\t150\t250\tMYC\t0\t.\t5\t-1\t3\t50\n' > $S/peaks/np.narrowPeak
gz $F/pairs/peaks.bed $S/peaks/peaks.bed.gz

# --- stage TSVs
put sites $F/pairs/sites.tsv
"$BIN/coopmap-scan" --text $F/scan/two.meme $F/scan/coords.fa > $S/sites/scan.tsv
put sources $F/ism/sources.tsv
put pairs $F/ism/pairs.tsv
put effects $F/stats/effects.tsv
GR=$T/m.grammar
cat > $GR <<'G'
coopmap-grammar 1
input_length 30
motif AAA CATGCA
motif BBB GTCCG
motif CCC TTATTC
head AAA
head BBB bias=-1 slope=2
head CCC
coop AAA BBB 1.5 kernel=gauss:10
coop BBB CCC -1 kernel=box:0-20
G
cp $F/ism/genome.fa $T/g.fa
"$BIN/coopmap-ism" --model $GR --genome $T/g.fa --sources $F/ism/sources.tsv --pairs $F/ism/pairs.tsv \
    --draws 2 -o $S/effects/ism.tsv
"$BIN/coopmap-ism" --model $GR --genome $T/g.fa --sources $F/ism/sources.tsv --pairs $F/ism/pairs.tsv \
    --draws 2 --shard 1/1 -o $S/effects/shard.tsv
put matches $F/compare/jos_matches.tsv $F/compare/jos_matches2.tsv
"$BIN/coopmap-compare" -text -thresh 1 $F/compare/tiny_query.meme $F/compare/tiny_targets.meme > $S/matches/compare.tsv
put labels $F/compare/jos_labels.tsv
printf 'matrix_id\tname\ttf_class\tfamily\nMA0001.1\tAGL3\tMADS\tx\nMA0002.1\tRUNX1::ETS\tRunt\ty\n' > $S/labels/jaspar.tsv
mkdir -p $S/jos
"$BIN/coopmap-family" jos --labels $F/compare/jos_labels.tsv -o $S/jos/jos.tsv $F/compare/jos_matches.tsv
mkdir -p $S/fimo_merge
"$BIN/coopmap-scan" --text --shard 1/1 $F/scan/two.meme $F/scan/coords.fa > $S/fimo_merge/shard.tsv
{ "$BIN/coopmap-scan" --text --shard 1/2 $F/scan/two.meme $F/scan/coords.fa; printf '@@\n'
  "$BIN/coopmap-scan" --text --shard 2/2 $F/scan/two.meme $F/scan/coords.fa; } > $S/fimo_merge/two_shards.tsv

# --- saturation regions and figure
put satregions $F/ism/sources.tsv
printf 'chrA\t10\t45\tx\nchrB\t0\t30\n' > $S/satregions/r.bed
mkdir -p $S/satfig
"$BIN/coopmap-ism" --saturation --model $GR --genome $T/g.fa --regions $S/satregions/r.bed --scale logit \
    -o $T/sat.tsv
head -c 6000 $T/sat.tsv > $S/satfig/sat.tsv
{ cat $S/satfig/sat.tsv; printf '@@\n'; cat $F/ism/sources.tsv; printf '@@\nchrA:12-30\n'; } > $S/satfig/with_sources.tsv

# --- coopmap-patterns inputs (over the same genome): a saturation table, a bedGraph
mkdir -p $S/patterns
cp $S/satfig/sat.tsv $S/patterns/sat.tsv
"$BIN/coopmap-ism" --saturation --model $GR --genome $T/g.fa --regions $S/satregions/r.bed --scale logit \
    --bedgraph $T/bg -o $T/sat2.tsv 2> /dev/null
for f in $T/bg*.obs.bedGraph; do [ -e "$f" ] && head -c 4000 "$f" > $S/patterns/"${f##*/}"; done
printf 'track type=bedGraph\nchrA\t10\t14\t0.5\nchrA\t14\t20\t-0.25\nchrB\t0\t3\t1e-3\n' > $S/patterns/hand.bedGraph

# --- FIMO priors: PSP files (records in the genome's order) and a prior distribution,
# each with a distribution after "@@" (fuzz_prior.c)
mkdir -p $S/prior
D='#min 0.01000\n#max 0.40000\n#median 0.10000\n0.75000\n0.25000\n'
printf ">chrA\n0.3 0.05\n0.4 0 0.2\n>chrB\n0.1 0.1 0.1\n@@\n$D" > $S/prior/psp_dist.txt
printf ">chrA:3-8 prior\n0.3 0.05 0.4 0 0.2 0.9\n>chrB:1-2\n0.5 0.5\n@@\n$D" > $S/prior/coords.txt
printf "$D" > $S/prior/dist_only.txt
cp tests/bad/scan/ok.psp $S/prior/bad_ok.psp

# --- model files and grammars
put grammar $F/grammar/{tiny,exact,bad_motif}.grammar config/demo/demo.grammar $GR
put model $F/grammar/tiny.grammar
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    /usr/bin/python3 $F/ism/make_tiny_model.py $T/tiny.npz
    /usr/bin/python3 scripts/coopmap-convert-model $T/tiny.npz --heads AAA,BBB --input-length 30 \
        --pool-size 3 --pool-stride 3 -o $S/model/explainn.cmm
    if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
        /usr/bin/python3 scripts/coopmap-convert-model $T/tiny.npz --arch $F/ism/tiny_explainn_arch.json --heads AAA,BBB \
            -o $S/model/seqcnn.cmm
    fi
fi

# --- option values (one per line)
mkdir -p $S/options
printf '1/4\n4/4\n0/3\nrandom\nshuffle\nN\ngc\ned\npearson\nblic5\nauto\nmeme-html\nfimo\nstorey\nbh\nby\nt\nwilcoxon\npermutation\n1e-4\n-0x10\n12\n--thresh\n-o\nchr1:100-200\nmm9_chr18_3_100\n' > $S/options/values.txt
printf -- '--threads\n2\n--shard=1/2\n-ofoo\n--seed\n7\n' > $S/options/argv.txt
echo "seeds: $(find $S -type f | wc -l) files, $(du -sk $S | cut -f1) KB"
