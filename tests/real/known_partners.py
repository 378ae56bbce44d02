#!/usr/bin/python3
"""Known TF partners against the per-cell-line cooperativity maps of the real run.

usage: known_partners.py RESULTS_DIR MODELS_DIR [--markdown]

RESULTS_DIR: the workflow outdir holding maps/CELL/{stats,pairs}/ (results/real);
MODELS_DIR: tests/real/models (CELL.cmm, CELL.metrics.tsv).  Prints one TSV row
(or a Markdown table row) per known partner pair and direction, source -> target:

  cell group source target status n mean q call auroc_source auroc_target

status: 'tested' (a pair cell exists in stats/cooperativity.tsv), 'no head' (the
source TF has no head in the cell's model: no ChIP-seq peaks of it in that cell, or
fewer than coopmap-train's --min-peaks), 'no sites' (source or target has no
localized site: no JASPAR motif of that name, or no motif hit inside its peaks),
'no pairs' (both have sites but no pair within the distance/window).  call, for a
tested cell: 'cooperative' when q <= 0.05 and mean < 0 (knocking out the target
lowers the source head's prediction), 'competitive' when q <= 0.05 and mean > 0,
'n.s.' otherwise.  auroc_*: the head's held-out AUROC (NA when it has no head).
"""
import csv
import os
import sys

# (cell, group, A, B): both directions are reported.
KNOWN = [
    ("GM12878", "cohesin/CTCF", "RAD21", "CTCF"),
    ("K562", "cohesin/CTCF", "RAD21", "CTCF"),
    ("K562", "AP-1/ATF", "JUND", "ATF3"),
    ("K562", "AP-1/ATF", "JUND", "ATF7"),
    ("K562", "AP-1/ATF", "ATF3", "ATF7"),
    ("K562", "AP-1/ATF", "JUND", "CREB1"),
    ("HepG2", "AP-1/ATF", "JUND", "ATF3"),
    ("HepG2", "AP-1/ATF", "JUND", "ATF7"),
    ("HepG2", "AP-1/ATF", "ATF3", "ATF7"),
    ("GM12878", "AP-1/ATF", "JUND", "ATF7"),
    ("K562", "GATA1-TAL1", "GATA1", "TAL1"),
    ("K562", "GATA1-TAL1", "GATA2", "TAL1"),
    ("HepG2", "FOXA-HNF4A", "FOXA1", "HNF4A"),
    ("HepG2", "FOXA-HNF4A", "FOXA2", "HNF4A"),
    ("HepG2", "FOXA-HNF4A", "FOXA1", "FOXA2"),
]
COLS = ["cell", "group", "source", "target", "status", "n", "mean", "q", "call",
        "auroc_source", "auroc_target"]


def rows(path):
    with open(path) as f:
        return list(csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t"))


def heads_of(cmm):
    with open(cmm, "rb") as f:
        for line in f:
            if line.startswith(b"heads "):
                return line.decode().split()[1:]
            if line.strip() == b"end":
                break
    raise SystemExit("%s: no heads line" % cmm)


def table(res, models):
    out = []
    cache = {}
    for cell, group, a, b in KNOWN:
        if cell not in cache:
            heads = {h.upper() for h in heads_of(os.path.join(models, cell + ".cmm"))}
            auroc = {r["head"].upper(): r["auroc"] for r in rows(os.path.join(models, cell + ".metrics.tsv"))}
            cells = {(r["source_tf"].upper(), r["target_tf"].upper()): r
                     for r in rows(os.path.join(res, "maps", cell, "stats", "cooperativity.tsv"))
                     if r["kind"] == "pair"}
            site_tfs = {r["tf"].upper() for r in rows(os.path.join(res, "maps", cell, "pairs", "sources.tsv"))}
            cache[cell] = heads, auroc, cells, site_tfs
        heads, auroc, cells, site_tfs = cache[cell]
        for s, t in ((a, b), (b, a)):
            r = {"cell": cell, "group": group, "source": s, "target": t, "n": "", "mean": "",
                 "q": "", "call": "", "auroc_source": auroc.get(s, "NA"), "auroc_target": auroc.get(t, "NA")}
            c = cells.get((s, t))
            if c is not None:
                q, m = float(c["q"]), float(c["mean"])
                r.update(status="tested", n=c["n"], mean="%.4g" % m, q="%.3g" % q,
                         call=("cooperative" if m < 0 else "competitive") if q <= 0.05 else "n.s.")
            elif s not in heads:
                r["status"] = "no head"
            elif s not in site_tfs or t not in site_tfs:
                r["status"] = "no sites"
            else:
                r["status"] = "no pairs"
            out.append(r)
    return out


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    out = table(argv[0], argv[1])
    if len(argv) == 3 and argv[2] == "--markdown":
        print("| " + " | ".join(COLS) + " |")
        print("|" + " --- |" * len(COLS))
        for r in out:
            print("| " + " | ".join(str(r[c]) for c in COLS) + " |")
    else:
        print("\t".join(COLS))
        for r in out:
            print("\t".join(str(r[c]) for c in COLS))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
