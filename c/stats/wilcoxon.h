/* wilcoxon.h — Wilcoxon signed-rank test of one sample against 0 (coopmap-stats
 * --test wilcoxon).
 *
 * Method: exactly scipy.stats.wilcoxon(x) with its defaults as Debian's scipy 1.10.1
 * runs them (scipy/stats/_morestats.py: zero_method='wilcox', correction=False,
 * alternative='two-sided', method='auto'):
 *   * mode: exact when n <= 50 (n = all values, zeros included) and no value is 0;
 *     otherwise the normal approximation.  Ties alone do NOT switch 1.10.1 to the
 *     approximation (later scipy versions do).
 *   * ranks: average ranks of |x| (scipy.stats.rankdata 'average'); in the
 *     approximation the zeros are dropped first (zero_method 'wilcox');
 *     R+ = sum of the ranks of the positive values, R- of the negative ones;
 *     statistic W = min(R+, R-).
 *   * exact: R+ is truncated to an integer (int(r_plus), as scipy does when ties
 *     give half ranks) and p = 2·min(P(S <= R+), P(S >= R+)) clipped to 1, S the
 *     null sum of signed ranks 1..n (each sign 1/2); p = 1 when R+ is the centre
 *     floor(n(n+1)/4) of that distribution.  The null counts are computed as exact
 *     integers (scipy's _get_wilcoxon_distr builds the same numbers by halving, also
 *     exactly for n <= 50).
 *   * approximation: m = N(N+1)/4, s² = [N(N+1)(2N+1) − ½·Σ t(t²−1)]/24 over the tie
 *     groups t of the N non-zero |x| (scipy's find_repeats of the ranks), z = (W − m)/s
 *     (no continuity correction, scipy's default correction=False), p = 2·Φ(−|z|) =
 *     erfc(|z|/√2).  When that underflows (p < 1e-290) log10 p comes from GSL
 *     gsl_sf_log_erfc, so it stays finite and exact.
 * Where scipy has no number coopmap defines one (the cell is untestable, p = 1):
 *   n = 0 (scipy: NaN, NaN); every value 0 (scipy raises ValueError).  These give
 *   mode CM_WILCOXON_NONE, W = z = NAN, p = 1, log10p = 0.
 * Nothing here allocates except through the caller's work buffer, prints or fails.
 */
#ifndef COOPMAP_WILCOXON_H
#define COOPMAP_WILCOXON_H

#include <stddef.h>

/* How the p-value was obtained. */
enum { CM_WILCOXON_NONE = 0, CM_WILCOXON_EXACT = 1, CM_WILCOXON_APPROX = 2 };

/* Largest n (all values) for the exact distribution (scipy 1.10.1 method 'auto'). */
#define CM_WILCOXON_EXACT_MAX 50

/* Result of a Wilcoxon signed-rank test.  All fields are always set. */
typedef struct {
    size_t n;          /* values given */
    size_t n_zero;     /* values equal to 0 */
    int mode;          /* CM_WILCOXON_NONE / _EXACT / _APPROX */
    double r_plus;     /* sum of ranks of the positive values (average ranks); NAN if NONE */
    double r_minus;    /* the same for the negative values; NAN if NONE */
    double w;          /* statistic min(R+, R-) = scipy's `statistic`; NAN if NONE */
    double z;          /* (W - m) / s of the approximation; NAN unless APPROX */
    double p;          /* two-sided p in [0, 1]; 1 if NONE; may underflow to 0 */
    double log10p;     /* log10 p, finite; 0 when p = 1 */
} cm_wilcoxon_t;

/* Two-sided Wilcoxon signed-rank test of x[0..n-1] (finite values) against 0, as
 * above.  work: scratch of at least n doubles (x is not modified), or NULL to let
 * the function allocate it (cm_malloc) for this call.  Never fails; thread-safe with
 * a work buffer per thread.  Cost: O(n log n) for the ranks plus, in exact mode,
 * O(n · min(R+, n(n+1)/2 − R+)) for the null counts (at most ~32,000 steps). */
void cm_wilcoxon1(const double *x, size_t n, double *work, cm_wilcoxon_t *r);

/* Number of the 2^n sign assignments of ranks 1..n (n <= 62) whose positive-rank sum
 * is <= k (k < 0 gives 0; k >= n(n+1)/2 gives 2^n).  Exact integer. */
unsigned long long cm_wilcoxon_count_le(int n, long k);

#endif
