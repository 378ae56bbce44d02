# The embedded demo inside the coopmap image (or chroot), as its non-root user, with /data
# writable: simulate planted truth, run the Snakemake workflow, score it against the truth.
# Used by containers/build.sh and containers/chroot-build.sh; the last line is the user name.
set -e
[ "$(id -u)" != 0 ] || { echo "runs as root"; exit 1; }
cd /data
coopmap-simulate --seed 1 -o /data/demo/data /opt/coopmap/config/demo/demo.grammar
snakemake -s /opt/coopmap/workflows/snakemake/Snakefile --configfile /opt/coopmap/config/demo.yaml \
    --config outdir=/data/demo genome=/data/demo/data/genome.fa motifs=/data/demo/data/motifs.meme \
    peaks=/data/demo/data/peaks.bed --directory /data -c 2 --quiet > /data/snakemake.log 2>&1 \
    || { cat /data/snakemake.log; exit 1; }
python3 /opt/coopmap/tests/sim/score.py /opt/coopmap/config/demo/demo.grammar /data/demo/stats/cooperativity.tsv | tail -1
id -un
