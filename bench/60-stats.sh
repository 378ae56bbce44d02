#!/usr/bin/env bash
# coopmap-stats' cell tests against scipy + statsmodels, measured in one run by
# bench/stats_bench.c (linked against build/libcoopmap.a) on the same 1e6 cells x 20
# values (float64 written by the driver, read by numpy):
#   Python: scipy.stats.ttest_1samp(x, 0, axis=1) (vectorised) + statsmodels
#           multipletests(p, method='fdr_bh'), best of 3;
#   C:      cm_cells_test (t-test, 95% CI, Cohen's d) + cm_cells_adjust (BH, one
#           family) on min(2, nproc) threads, best of 5.
# Prints exactly one line on stdout:
#   stats 1e6 cells x 20 values: R.Rx scipy+statsmodels      (R = Python time / C time)
# and on stderr a '#' line with the absolute times and the largest relative difference
# of the p- and q-values (C vs scipy/statsmodels).  Target (issue 11): R >= 5.
set -euo pipefail
ROOT="$PWD"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
LIB="${COOPMAP_LIB:-$ROOT/build/libcoopmap.a}"
NC=1000000 NV=20
T=$(nproc); [ "$T" -gt 2 ] && T=2
cc -O2 -std=c11 -fopenmp -D_GNU_SOURCE -I"$ROOT/c" -o "$W/stats_bench" "$ROOT/bench/stats_bench.c" \
    "$LIB" -lhts -lgsl -lgslcblas -lz -lm
if ! /usr/bin/python3 -c 'import scipy, statsmodels' 2>/dev/null; then
    echo "skipped: stats benchmark (/usr/bin/python3 has no scipy/statsmodels)"
    exit 0
fi
ct=$("$W/stats_bench" "$W/x.f64" "$NC" "$NV" "$T" | awk '/^c_seconds/ { print $2 }')
/usr/bin/python3 - "$W/x.f64" "$NC" "$NV" "$ct" "$T" <<'PY'
import sys, time
import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests
path, nc, nv, ct, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
x = np.fromfile(path, dtype=np.float64).reshape(nc, nv)
best = 1e30
for _ in range(3):
    t0 = time.perf_counter()
    p = stats.ttest_1samp(x, 0.0, axis=1).pvalue
    q = multipletests(p, method='fdr_bh')[1]
    best = min(best, time.perf_counter() - t0)
c = np.fromfile(path + '.q', dtype=np.float64).reshape(nc, 2)
dp = float(np.max(np.abs(c[:, 0] - p) / p))
dq = float(np.max(np.abs(c[:, 1] - q) / q))
print('stats 1e6 cells x 20 values: %.1fx scipy+statsmodels' % (best / ct))
print('# stats: Python %.3f s, coopmap %.3f s on %s thread(s); max relative difference p %.2g, q %.2g'
      % (best, ct, threads, dp, dq), file=sys.stderr)
PY
