/* qvalue.c — see qvalue.h (Storey 2002; Benjamini & Hochberg 1995; COMPAT.md item 11). */
#include "stats/qvalue.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NLAMBDA 100
#define LAMBDA_STEP 0.005
#define NBOOT CM_STOREY_NBOOT
#define BOOT_N CM_STOREY_BOOT_N
#define RANK_TABLE_MAX ((uint64_t)1 << 24)   /* bytes of the rank -> bin table */

/* Stable LSD radix sort of the indices 0..n-1 by the values v[] when every value is
 * >= 0 (not NaN): the bit patterns of non-negative doubles order as the numbers do
 * (+0 before every positive value; -0 is rejected by the sign test below).  Returns 0
 * and fills idx (ascending value, ties in index order), or -1 if some value is not a
 * non-negative number (callers then use qsort, which gives the same order). */
static int radix_order(const double *v, size_t n, size_t *idx)
{
    enum { BITS = 11, NB = 1 << BITS, PASSES = 6 };   /* 66 bits >= 64 */
    uint64_t *key = cm_malloc((n ? n : 1) * sizeof *key);
    for (size_t i = 0; i < n; i++) {
        if (!(v[i] >= 0) || signbit(v[i])) { free(key); return -1; }
        memcpy(&key[i], &v[i], sizeof key[i]);
    }
    size_t *tmp = cm_malloc((n ? n : 1) * sizeof *tmp);
    for (size_t i = 0; i < n; i++) idx[i] = i;
    size_t *src = idx, *dst = tmp;
    for (int pass = 0; pass < PASSES; pass++) {
        int sh = pass * BITS;
        size_t cnt[NB + 1];
        memset(cnt, 0, sizeof cnt);
        for (size_t i = 0; i < n; i++) cnt[((key[src[i]] >> sh) & (NB - 1)) + 1]++;
        if (cnt[((key[src[0]] >> sh) & (NB - 1)) + 1] == n) continue;   /* one bucket: no-op */
        for (int b = 0; b < NB; b++) cnt[b + 1] += cnt[b];
        for (size_t i = 0; i < n; i++) dst[cnt[(key[src[i]] >> sh) & (NB - 1)]++] = src[i];
        size_t *t = src; src = dst; dst = t;
    }
    if (src != idx) memcpy(idx, src, n * sizeof *idx);
    free(tmp);
    free(key);
    return 0;
}

int cm_storey_bin(double p)
{
    int c = 0;
    if (p >= LAMBDA_STEP) {   /* start near the answer, then step with the exact comparisons */
        c = p < 1 ? (int)(p / LAMBDA_STEP) : NLAMBDA;
        if (c > NLAMBDA) c = NLAMBDA;
        while (c > 0 && !(p >= LAMBDA_STEP * c)) c--;
        while (c < NLAMBDA && p >= LAMBDA_STEP * (c + 1)) c++;
    }
    return c;
}

double cm_storey_pi0_hist(const uint64_t hist[CM_STOREY_BINS], cm_mt19937_t *rng)
{
    uint64_t n = 0, cum[NLAMBDA + 1];
    for (int b = 0; b <= NLAMBDA; b++) { n += hist[b]; cum[b] = n; }
    if (n <= CM_PI0_MIN_N) return 1.0;
    /* pi0(λ_k) = #{p >= λ_k} / ((1 − λ_k)·n); #{p >= λ_k} = values with bin >= k */
    double pi0[NLAMBDA], mse[NLAMBDA] = {0};
    uint64_t above = 0;
    for (int k = NLAMBDA; k >= 1; k--) {
        above += hist[k];
        pi0[k - 1] = (double)above / ((1.0 - LAMBDA_STEP * k) * (double)n);
    }
    double min_pi0 = pi0[0];
    for (int k = 1; k < NLAMBDA; k++)
        if (pi0[k] < min_pi0) min_pi0 = pi0[k];
    /* each bootstrap draw takes the value of sorted rank floor(u·n); its bin is the first
     * bin whose cumulative count exceeds that rank.  For up to RANK_TABLE_MAX values the
     * rank -> bin map is expanded once (one lookup per draw: Tomtom calls this per
     * query); beyond that (scan's exact mode over every window) it is searched. */
    unsigned char *rank_bin = NULL;
    if (n <= RANK_TABLE_MAX) {
        rank_bin = cm_malloc(n);
        for (int b = 0; b <= NLAMBDA; b++)
            memset(rank_bin + (b ? cum[b - 1] : 0), b, hist[b]);
    }
    double u[BOOT_N];
    for (int it = 0; it < NBOOT; it++) {
        int h[NLAMBDA + 1] = {0};
        cm_mt_doubles(rng, u, BOOT_N);
        for (int j = 0; j < BOOT_N; j++) {
            uint64_t i = (uint64_t)(u[j] * (double)n);
            if (i >= n) i = n - 1;
            if (rank_bin) { h[rank_bin[i]]++; continue; }
            int lo = 0, hi = NLAMBDA;
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (cum[mid] > i) hi = mid; else lo = mid + 1;
            }
            h[lo]++;
        }
        int ab = 0;   /* draws >= λ_k, accumulated from the top */
        for (int k = NLAMBDA; k >= 1; k--) {
            ab += h[k];
            double d = (double)ab / ((1.0 - LAMBDA_STEP * k) * (double)BOOT_N) - min_pi0;
            mse[k - 1] += d * d;
        }
    }
    free(rank_bin);
    int best = 0;
    for (int k = 1; k < NLAMBDA; k++)
        if (mse[k] < mse[best]) best = k;
    double r = pi0[best];
    return r < 0 ? 0 : r > 1 ? 1 : r;
}

double cm_storey_pi0(const double *p, size_t n, cm_mt19937_t *rng)
{
    if (n <= CM_PI0_MIN_N) return 1.0;
    uint64_t hist[CM_STOREY_BINS] = {0};
    for (size_t i = 0; i < n; i++) hist[cm_storey_bin(p[i])]++;
    return cm_storey_pi0_hist(hist, rng);
}

typedef struct { double p; size_t i; } pidx_t;

static int cmp_pidx(const void *a, const void *b)
{
    const pidx_t *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

void cm_qvalues_pi0(const double *p, size_t n, double m, double pi0, double *q)
{
    if (n == 0) return;
    pidx_t *a = cm_malloc(n * sizeof *a);
    size_t *ord = cm_malloc(n * sizeof *ord);
    if (radix_order(p, n, ord) == 0) {
        for (size_t i = 0; i < n; i++) a[i].p = p[ord[i]], a[i].i = ord[i];
    } else {
        for (size_t i = 0; i < n; i++) a[i].p = p[i], a[i].i = i;
        qsort(a, n, sizeof *a, cmp_pidx);
    }
    free(ord);
    double run = 1.0;
    for (size_t r = n; r-- > 0;) {
        double v = pi0 * a[r].p * m / (double)(r + 1);
        if (v < run) run = v;
        q[a[r].i] = run;
    }
    free(a);
}

double cm_storey_qvalues(const double *p, size_t n, cm_mt19937_t *rng, double *q)
{
    double pi0 = cm_storey_pi0(p, n, rng);
    cm_qvalues_pi0(p, n, (double)n, pi0, q);
    return pi0;
}

void cm_bh_qvalues(const double *p, size_t n, double m, double *q)
{
    cm_qvalues_pi0(p, n, m, 1.0, q);
}

void cm_reservoir_init(cm_reservoir_t *r, size_t cap)
{
    r->v = cm_malloc((cap ? cap : 1) * sizeof *r->v);
    r->n = 0;
    r->cap = cap;
    r->seen = 0;
}

void cm_reservoir_add(cm_reservoir_t *r, double p, cm_mt19937_t *rng)
{
    r->seen++;
    if (r->n < r->cap) {
        r->v[r->n++] = p;
        return;
    }
    uint64_t j = (uint64_t)(cm_mt_double(rng) * (double)r->seen);
    if (j < r->cap) r->v[j] = p;
}

void cm_reservoir_free(cm_reservoir_t *r)
{
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}
