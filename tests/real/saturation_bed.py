#!/usr/bin/env python3
"""Write tests/real/saturation.bed, the regions the real run (tests/real/config.yaml)
mutates base by base (coopmap-ism --saturation) and turns into patterns
(coopmap-patterns):

    python3 tests/real/saturation_bed.py ../shared/data/peaks/hg19_chr22_16050000-22000000.all_peaks.narrowPeak.gz \
        > tests/real/saturation.bed

First the 200 bp window the report draws (a HepG2 FOXA1 site 17.5 bp from an HNF4A
site, from pairs.tsv), then, for each head of the ExplaiNN model (FOXA1, MAX, JUND),
the 200 bp windows centred on the summits of that TF's peaks (any cell line), strongest
signalValue first (ties: lower start), skipping a window that overlaps or touches one
already taken, up to N per TF (default 120; the slice has 76 FOXA1 peaks).  BED,
0-based half-open, name CELL:TF.
"""
import gzip
import sys

FIRST = ("chr22", 18631253, 18631453, "FOXA1-HNF4A")


def main():
    path = sys.argv[1]
    n_per = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    peaks = []
    with gzip.open(path, "rt") as f:
        for line in f:
            x = line.rstrip("\n").split("\t")
            cell, tf = x[3].split(":")[:2]
            peaks.append((tf, cell, x[0], int(x[1]), float(x[6]), int(x[9])))
    out = [FIRST]
    for tf in ("FOXA1", "MAX", "JUND"):
        k = 0
        for p in sorted((p for p in peaks if p[0] == tf), key=lambda p: (-p[4], p[3])):
            if k == n_per:
                break
            c = p[3] + p[5]
            s, e = c - 100, c + 100
            if any(o[0] == p[2] and s <= o[2] and o[1] <= e for o in out):
                continue
            out.append((p[2], s, e, f"{p[1]}:{tf}"))
            k += 1
    print("# The regions the real run mutates base by base (saturation in tests/real/config.yaml)")
    print("# and turns into patterns: made by tests/real/saturation_bed.py (see there); the first")
    print("# is the 200 bp model window of a HepG2 FOXA1 site 17.5 bp from an HNF4A site (drawn")
    print(f"# in the report), then up to {n_per} summit-centred 200 bp windows per head (FOXA1, MAX, JUND).")
    for o in out:
        print(*o, sep="\t")


if __name__ == "__main__":
    main()
