/* wilcoxon.c — see wilcoxon.h. */
#include "stats/wilcoxon.h"
#include "core/error.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <gsl/gsl_sf_erf.h>

/* Below this p the normal tail is taken from its logarithm (see wilcoxon.h). */
#define CM_WX_P_SMALL 1e-290

unsigned long long cm_wilcoxon_count_le(int n, long k)
{
    if (k < 0 || n < 0) return 0;
    long m = (long)n * (n + 1) / 2;
    if (k >= m) return n >= 64 ? ~0ULL : 1ULL << n;
    /* c[s] = number of subsets of {1..j} with sum s, s <= k, built rank by rank */
    uint64_t c[62 * 63 / 2 + 1];
    if (n > 62) return 0;
    for (long s = 0; s <= k; s++) c[s] = 0;
    c[0] = 1;
    long top = 0;                      /* largest reachable sum so far, capped at k */
    for (int j = 1; j <= n; j++) {
        top = top + j < k ? top + j : k;
        for (long s = top; s >= j; s--) c[s] += c[s - j];
    }
    uint64_t tot = 0;
    for (long s = 0; s <= k; s++) tot += c[s];
    return tot;
}

/* Ascending |x| (insertion sort for the small cells that dominate, else qsort). */
static int cmp_abs(const void *a, const void *b)
{
    double x = fabs(*(const double *)a), y = fabs(*(const double *)b);
    return (x > y) - (x < y);
}

static void sort_abs(double *v, size_t n)
{
    if (n > 32) { qsort(v, n, sizeof *v, cmp_abs); return; }
    for (size_t i = 1; i < n; i++) {
        double t = v[i], at = fabs(t);
        size_t j = i;
        while (j > 0 && fabs(v[j - 1]) > at) { v[j] = v[j - 1]; j--; }
        v[j] = t;
    }
}

void cm_wilcoxon1(const double *x, size_t n, double *work, cm_wilcoxon_t *r)
{
    r->n = n;
    r->n_zero = 0;
    r->mode = CM_WILCOXON_NONE;
    r->r_plus = r->r_minus = r->w = r->z = NAN;
    r->p = 1.0;
    r->log10p = 0.0;
    if (n == 0) return;
    size_t nz = 0;
    for (size_t i = 0; i < n; i++) nz += x[i] == 0;
    r->n_zero = nz;
    if (nz == n) return;                          /* scipy: ValueError */
    int exact = n <= CM_WILCOXON_EXACT_MAX && nz == 0;

    double *v = work ? work : cm_malloc(n * sizeof *v);
    size_t N = 0;                                 /* non-zero values, ranked */
    for (size_t i = 0; i < n; i++)
        if (x[i] != 0) v[N++] = x[i];
    sort_abs(v, N);
    double rp = 0, rm = 0, ties = 0;              /* ties: sum t(t^2 - 1) */
    for (size_t i = 0; i < N;) {
        size_t j = i + 1;
        while (j < N && fabs(v[j]) == fabs(v[i])) j++;
        double avg = 0.5 * ((double)(i + 1) + (double)j), pos = 0;
        for (size_t k = i; k < j; k++) pos += v[k] > 0;
        rp += pos * avg;
        rm += ((double)(j - i) - pos) * avg;
        double t = (double)(j - i);
        if (j - i > 1) ties += t * (t * t - 1);
        i = j;
    }
    if (!work) free(v);
    r->r_plus = rp;
    r->r_minus = rm;
    double W = rp < rm ? rp : rm;
    r->w = W;

    if (exact) {
        r->mode = CM_WILCOXON_EXACT;
        long M = (long)N * (long)(N + 1) / 2;
        long rk = (long)rp;                       /* scipy: int(r_plus) */
        long k = rk < M - rk ? rk : M - rk;
        double p = 2.0 * (double)cm_wilcoxon_count_le((int)N, k) / ldexp(1.0, (int)N);
        if (p > 1) p = 1;
        r->p = p;
        r->log10p = p >= 1 ? 0.0 : log10(p);
        return;
    }
    r->mode = CM_WILCOXON_APPROX;
    double c = (double)N;
    double mn = c * (c + 1.0) * 0.25;
    double se = c * (c + 1.0) * (2.0 * c + 1.0);
    se -= 0.5 * ties;
    se = sqrt(se / 24);
    double z = (W - mn) / se;
    r->z = z;
    double a = fabs(z) * M_SQRT1_2;
    double p = erfc(a);
    if (p >= CM_WX_P_SMALL) {
        if (p > 1) p = 1;
        r->p = p;
        r->log10p = p >= 1 ? 0.0 : log10(p);
    } else {
        double lp = gsl_sf_log_erfc(a) / M_LN10;
        r->log10p = lp;
        r->p = pow(10.0, lp);
    }
}
