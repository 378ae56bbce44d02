#!/usr/bin/env python3
"""Score a coopmap run against the planted truth of its grammar file.

usage: score.py GRAMMAR COOPERATIVITY.tsv [--alpha 0.05] [--expect] [--tsv LABEL]

Truth (docs/grammar.md): a "coop HEAD MOTIF C" line with C != 0 plants an effect of
MOTIF's sites on HEAD's prediction.  Knocking out a cooperative partner (C > 0) lowers
the head's binding, so the expected cell mean (delta_target) is negative; a
competitive one (C < 0) gives a positive mean.  Every other off-diagonal cell
(co-planted without a term, decoys) should be non-significant; self cells
(diagonal) should be negative and significant.

A cell is called when q <= alpha (masked == 0).  Off-diagonal cells (kind "pair"):
  (truth: coop / comp = planted C > 0 / C < 0; none = no term; decoy = target is a
  decoy motif)
  TP  called with the planted sign;  FP  called without a planted effect, or with
  the wrong sign;  FN  planted, not called with its sign.
Prints one line per cell (cell, truth, n, mean, q, call, verdict) and a summary
"precision P recall R tp N fp N fn N self_ok N/N".  With --expect, exits 1 unless
precision = recall = 1 and every self cell is negative and significant.  With
--tsv LABEL, prints only "LABEL tp fp fn self_ok self_n" (tab-separated).
"""
import csv
import sys


def grammar_truth(path):
    truth, heads, decoys = {}, set(), set()
    with open(path) as f:
        for line in f:
            tok = line.split('#', 1)[0].split()
            if not tok:
                continue
            if tok[0] == 'head':
                heads.add(tok[1].upper())
            if tok[0] == 'decoy':
                decoys.add(tok[1].upper())
            if tok[0] == 'coop' and float(tok[3]) != 0:
                key = (tok[1].upper(), tok[2].upper())
                truth[key] = truth.get(key, 0.0) + float(tok[3])
    return {k: (-1 if c > 0 else 1) for k, c in truth.items() if c != 0}, heads, decoys


def main(argv):
    args = argv[1:]
    alpha, expect, label = 0.05, False, None
    if '--alpha' in args:
        i = args.index('--alpha'); alpha = float(args[i + 1]); del args[i:i + 2]
    if '--expect' in args:
        args.remove('--expect'); expect = True
    if '--tsv' in args:
        i = args.index('--tsv'); label = args[i + 1]; del args[i:i + 2]
    grammar, table = args
    truth, heads, decoys = grammar_truth(grammar)
    with open(table) as f:
        rows = list(csv.DictReader((l for l in f if not l.startswith('#')), delimiter='\t'))
    tp = fp = fn = self_ok = self_n = 0
    seen = set()
    out = []
    for r in rows:
        i, j, kind = r['source_tf'].upper(), r['target_tf'].upper(), r['kind']
        mean, q = float(r['mean']), float(r['q'])
        called = q <= alpha
        sign = (mean > 0) - (mean < 0)
        if kind == 'self':
            self_n += 1
            ok = called and mean < 0
            self_ok += ok
            out.append(f"{i}/{j}\tself\t{r['n']}\t{mean:.4g}\t{q:.3g}\t{int(called)}\t{'ok' if ok else 'BAD'}")
            continue
        if kind != 'pair':
            continue
        want = truth.get((i, j), 0)
        seen.add((i, j))
        if want:
            verdict = 'TP' if called and sign == want else ('FP+FN' if called else 'FN')
        else:
            verdict = 'FP' if called else 'TN'
        tp += verdict == 'TP'
        fp += verdict in ('FP', 'FP+FN')
        fn += verdict in ('FN', 'FP+FN')
        tname = {0: 'decoy' if j in decoys else 'none', -1: 'coop', 1: 'comp'}[want]
        out.append(f"{i}/{j}\t{tname}\t{r['n']}\t{mean:.4g}\t{q:.3g}\t{int(called)}\t{verdict}")
    # planted cells that were never tested are misses too
    for k in truth:
        if k not in seen and k[0] in heads:
            fn += 1
            out.append(f"{k[0]}/{k[1]}\t{'coop' if truth[k] < 0 else 'comp'}\t0\t\t\t0\tFN (untested)")
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    if label is not None:
        print(f"{label}\t{tp}\t{fp}\t{fn}\t{self_ok}\t{self_n}")
    else:
        print("cell\ttruth\tn\tmean\tq\tcalled\tverdict")
        print('\n'.join(out))
        print(f"precision {prec:.3f} recall {rec:.3f} tp {tp} fp {fp} fn {fn} self_ok {self_ok}/{self_n}")
    if expect and not (fp == 0 and fn == 0 and tp > 0 and self_ok == self_n and self_n > 0):
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
