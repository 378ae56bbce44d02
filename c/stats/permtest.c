/* permtest.c — see permtest.h. */
#include "stats/permtest.h"
#include "core/rng.h"

#include <float.h>
#include <math.h>

void cm_permtest1(const double *x, size_t n, long B, uint64_t key, cm_permtest_t *r)
{
    if (B < 1) B = 1;
    r->n = n;
    r->exact = 0;
    r->flips = 0;
    r->count = 0;
    r->mean = NAN;
    r->p = 1.0;
    r->log10p = 0.0;
    if (n == 0) return;
    double S = 0, sa = 0;
    for (size_t i = 0; i < n; i++) { S += x[i]; sa += fabs(x[i]); }
    r->mean = S / (double)n;
    double thr = fabs(S) - 4.0 * (double)n * DBL_EPSILON * sa;
    uint64_t cnt = 0;
    if (n < 63 && (UINT64_C(1) << n) <= (uint64_t)B) {
        uint64_t nf = UINT64_C(1) << n;
        for (uint64_t m = 0; m < nf; m++) {
            double s = 0;
            for (size_t i = 0; i < n; i++) s += (m >> i) & 1 ? -x[i] : x[i];
            cnt += fabs(s) >= thr;
        }
        r->exact = 1;
        r->flips = nf;
        r->count = cnt;
        r->p = (double)cnt / (double)nf;
    } else {
        uint64_t W = (n + 63) / 64;
        for (uint64_t b = 0; b < (uint64_t)B; b++) {
            double s = 0;
            for (uint64_t w = 0; w < W; w++) {
                uint64_t u = cm_rng_u64(key, b * W + w);
                size_t lo = (size_t)(w * 64), hi = lo + 64 < n ? lo + 64 : n;
                for (size_t i = lo; i < hi; i++, u >>= 1) s += u & 1 ? -x[i] : x[i];
            }
            cnt += fabs(s) >= thr;
        }
        r->flips = (uint64_t)B;
        r->count = cnt;
        r->p = (1.0 + (double)cnt) / ((double)B + 1.0);
    }
    if (r->p >= 1) r->p = 1;
    r->log10p = r->p >= 1 ? 0.0 : log10(r->p);
}
