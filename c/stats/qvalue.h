/* qvalue.h — false-discovery-rate q-values.
 *
 * Storey's method (Storey 2002, JRSS B 64:479; Storey & Tibshirani 2003) with the pi0
 * estimator exactly as FIMO and Tomtom 5.5.8 run it (COMPAT.md FIMO scoring item 11):
 *   λ_k = 0.005·k, k = 1..100;  pi0(λ) = #{p ≥ λ} / ((1 − λ)·n);
 *   100 bootstrap resamples of 1000 p-values (drawn with replacement, index
 *   floor(u·n) with u from cm_mt_double); λ* minimises Σ_boot (pi0_boot(λ) − min_λ pi0(λ))²
 *   (first λ on ties); pi0 = pi0(λ*) clamped to [0, 1].
 *   q_(r) = min over r' ≥ r of pi0 · p_(r') · m / r'  (capped at 1), p sorted ascending.
 * The random stream is the caller's: pass the same cm_mt19937_t from test to test so
 * the stream carries over, as FIMO (motif to motif) and Tomtom (query to query) do.
 * Verified on Tomtom 5.5.8: with cm_mt_seed(4357) and the p-values of 108 reference
 * queries (1,758 each), this estimator gives every printed q-value (Tomtom stores q
 * as float; see compare.h).
 *
 * When m exceeds the number of stored p-values (FIMO keeps only hits under its
 * threshold), estimate pi0 from a reservoir sample of all p-values (cm_reservoir_*)
 * and call cm_qvalues_pi0 with the stored p-values and the full m.
 *
 * Also plain Benjamini–Hochberg (1995): pi0 = 1.
 */
#ifndef COOPMAP_QVALUE_H
#define COOPMAP_QVALUE_H

#include <stddef.h>
#include <stdint.h>
#include "core/mt19937.h"

/* Number of p-values above which pi0 is bootstrapped; with n <= this many the
 * estimator returns 1 and draws no random numbers (an assumption, not checked
 * against MEME: every reference run has more). */
#define CM_PI0_MIN_N 100
/* Capacity of FIMO's reservoir sample for pi0. */
#define CM_PI0_RESERVOIR 10000

/* Storey pi0 from the n p-values p[0..n-1] (any order; not modified), consuming
 * 100 × 1000 doubles from rng when n > CM_PI0_MIN_N.  Returns pi0 in [0, 1].
 * Computed as cm_storey_pi0_hist of the values' bins (no sort needed). */
double cm_storey_pi0(const double *p, size_t n, cm_mt19937_t *rng);

/* Storey's bootstrap: CM_STOREY_NBOOT resamples of CM_STOREY_BOOT_N values each, one
 * cm_mt_double per value (COMPAT.md item 11). */
#define CM_STOREY_NBOOT 100
#define CM_STOREY_BOOT_N 1000

/* Number of bins of the λ grid λ_k = 0.005·k, k = 1..100 (bins 0..100). */
#define CM_STOREY_BINS 101

/* Bin of p-value p on that grid: #{k in 1..100 : p >= λ_k}, 0..100 (NaN -> 0). */
int cm_storey_bin(double p);

/* Storey pi0 from a histogram: hist[b] counts the values whose bin (cm_storey_bin) is
 * b.  The bootstrap draws the value of sorted rank floor(u·n), so a histogram is all
 * it needs: the same result and random-number use as on the values themselves
 * (which is how cm_storey_pi0 runs).  Used by coopmap-scan's exact Storey mode, which
 * bins every tested window without storing it. */
double cm_storey_pi0_hist(const uint64_t hist[CM_STOREY_BINS], cm_mt19937_t *rng);

/* q[i] for p[i], i < n, given pi0 and the number of tests m (m >= n; m = n when all
 * tests are stored).  Ties in p get ranks in index order (stable).  q may alias
 * nothing in p.  q values are capped at 1. */
void cm_qvalues_pi0(const double *p, size_t n, double m, double pi0, double *q);

/* Storey q-values over all n tests (m = n): pi0 via cm_storey_pi0, then
 * cm_qvalues_pi0.  Returns the pi0 used. */
double cm_storey_qvalues(const double *p, size_t n, cm_mt19937_t *rng, double *q);

/* Benjamini–Hochberg adjusted p-values (pi0 = 1) over m tests, n of them stored. */
void cm_bh_qvalues(const double *p, size_t n, double m, double *q);

/* Reservoir sample of at most cap p-values out of a stream (Vitter's algorithm R:
 * the i-th value, i > cap, replaces slot floor(u·i) when that is < cap, u from
 * cm_mt_double).  This is FIMO 5.5.8's rule: coopmap-scan's FIMO q-values, which
 * draw the same way, reproduce the reference fimo.tsv exactly.  For streams of at most
 * cap values (all of Tomtom's) no random numbers are drawn and the sample is exact. */
typedef struct {
    double *v;       /* sampled values, n of them */
    size_t n, cap;
    uint64_t seen;   /* values offered so far */
} cm_reservoir_t;

void cm_reservoir_init(cm_reservoir_t *r, size_t cap);
void cm_reservoir_add(cm_reservoir_t *r, double p, cm_mt19937_t *rng);
void cm_reservoir_free(cm_reservoir_t *r);

#endif
