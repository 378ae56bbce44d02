/* permtest.h — sign-flip permutation test of a mean against 0 (coopmap-stats
 * --test permutation).
 *
 * Under H0 (the values are symmetric about 0) every sign assignment s_i = ±1 of the
 * values is equally likely.  Statistic: S = Σ x_i (equivalent to the mean; the sums
 * are taken in input order, so the identity flip gives S itself bit for bit).
 * Two-sided; a flip counts when |S*| >= |S| − tol, tol = 4·n·DBL_EPSILON·Σ|x_i| (the
 * rounding-error bound of a sum, so flips that tie S mathematically count even when
 * their floating-point sums differ in the last bits).
 *   * exact, when 2^n <= B: all 2^n flips are enumerated (flip m negates x_i for
 *     every bit i of m); p = #{counted flips} / 2^n (the identity flip included).
 *   * Monte Carlo otherwise: B random flips, b = 0..B-1; the sign of x_i in flip b is
 *     bit (i mod 64) of cm_rng_u64(key, b·W + i/64), W = ceil(n/64) (core/rng.h, a
 *     counter-based stream: the result is a pure function of (x, B, key));
 *     p = (1 + #{counted flips}) / (B + 1)  (Phipson & Smyth 2010: never 0).
 * Edge cases (no special rule needed): n = 0 gives p = 1; all values 0 give p = 1
 * (every flip ties); n = 1 gives p = 1 (exact).
 * p >= 1/(B+1) or >= 2/2^n, so log10p = log10 p never underflows.
 */
#ifndef COOPMAP_PERMTEST_H
#define COOPMAP_PERMTEST_H

#include <stddef.h>
#include <stdint.h>

/* Default number of random flips (coopmap-stats --permutations). */
#define CM_PERM_DEFAULT_B 10000

/* Result of a sign-flip permutation test.  All fields are always set. */
typedef struct {
    size_t n;           /* values */
    int exact;          /* 1: all 2^n flips enumerated; 0: Monte Carlo (or n = 0) */
    uint64_t flips;     /* flips evaluated: 2^n (exact) or B */
    uint64_t count;     /* flips with |S*| >= |S| - tol (identity included when exact) */
    double mean;        /* S / n; NAN when n = 0 */
    double p;           /* two-sided p in (0, 1] */
    double log10p;      /* log10 p; 0 when p = 1 */
} cm_permtest_t;

/* Sign-flip test of x[0..n-1] (finite values) with B >= 1 random flips (exact
 * enumeration when 2^n <= B) keyed by key (e.g. cm_rng_key(seed, cell)).  Never
 * fails (B < 1 is taken as 1); thread-safe; no allocation.  Cost O(n · min(B, 2^n)). */
void cm_permtest1(const double *x, size_t n, long B, uint64_t key, cm_permtest_t *r);

#endif
