/* seqlet.h — seqlets: windows of high summed importance, called against a shuffled
 * null at a target FDR, each sign on its own (coopmap-patterns, docs/patterns.md).
 *
 * Method (after TF-MoDISco's seqlet step: Shrikumar et al. 2018, arXiv:1811.00416,
 * and tfmodisco-lite's tfmodisco_seqlets; what differs is said here).
 *  1. Smoothing.  Per region, the box-smoothed track S(i) = Σ_{j=i}^{i+W−1} x_j for
 *     every window wholly inside the region (i = 0 .. len − W): the summed importance
 *     of the W-bp "core" starting at i (TF-MoDISco's sliding-window sum, W = 21 there;
 *     15 here by default, the width of most TF sites).
 *  2. Null.  R times (--shuffles, default 2) per region, the region's own per-base
 *     importances are permuted (Fisher–Yates with the counter-based RNG keyed on seed,
 *     head, region and replicate: deterministic for a --seed) and smoothed the same
 *     way.  This keeps the importance distribution of the region's positions (its
 *     flanks included) and destroys only their clustering into sites; TF-MoDISco
 *     instead fits a Laplace distribution to the window sums (tfmodisco-lite) or
 *     scores dinucleotide-shuffled sequences through the model (the original), which
 *     needs the model; a permutation needs no distributional assumption and no model.
 *  3. FDR threshold, per sign.  For sign +1 the statistic is v = S, for −1 it is −S.
 *     With n_obs windows observed and n_null = R·n_obs null windows,
 *         FDR(t) = [#null windows with v >= t · n_obs / n_null] / #observed with v >= t,
 *     the permutation estimate of the false discovery rate of the cut v >= t with
 *     π0 = 1 (conservative; Storey & Tibshirani 2003's plug-in with every window
 *     presumed null).  The threshold t* is the smallest observed v > 0 with
 *     FDR(v) <= alpha (--fdr, default 0.05), i.e. every window whose q-value
 *     min_{u <= v} FDR(u) <= alpha passes; +inf when none does.  Windows with v <= 0
 *     never pass.  (TF-MoDISco uses isotonic regression of real-vs-null labels and a
 *     target FDR of 0.2, then clamps the passing fraction to 3–20 %; we keep the plain
 *     estimate and no clamp, so a track without sites gives no seqlets.)
 *  4. Seqlets, greedily as TF-MoDISco: among passing windows whose seqlet
 *     [i − F, i + W + F) fits inside the region (F = --flank, default 5), take the
 *     largest v first (ties: lower region, then lower i), and drop every window of the
 *     same region whose core overlaps a taken core (|i − j| < W); repeat.  A seqlet is
 *     (region, start = i − F, width W + 2F, sign, score = S(i)).  Positive and negative
 *     seqlets are called independently (one base may lie in one of each).
 * Cost: O(R · bases · log) for the sorts; memory O(R · bases) doubles.
 */
#ifndef COOPMAP_PAT_SEQLET_H
#define COOPMAP_PAT_SEQLET_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "patterns/track.h"

/* One seqlet. */
typedef struct {
    int reg;          /* region index in its track */
    int start;        /* offset of the seqlet's first base in the region (core − flank) */
    int sign;         /* +1 or −1 */
    double score;     /* S of the core window (signed: < 0 for sign −1) */
} cm_pat_seqlet_t;

/* Seqlet-calling options. */
typedef struct {
    int window;       /* W >= 1 (default 15) */
    int flank;        /* F >= 0 (default 5) */
    double fdr;       /* alpha in (0, 1] (default 0.05) */
    int shuffles;     /* R >= 1 (default 2) */
    uint64_t seed;    /* default 1 */
} cm_pat_seqlet_opts_t;

void cm_pat_seqlet_opts_init(cm_pat_seqlet_opts_t *o);

/* Window sums of x[0..n−1] with width w into out[0..n−w]; returns n − w + 1 (0 when
 * n < w).  Summed in double, left to right, per window (no running-sum drift). */
int cm_pat_window_sums(const float *x, int n, int w, double *out);

/* The threshold of step 3: obs[0..nobs−1] and null[0..nnull−1] are statistics v (any
 * order; both arrays are sorted in place, descending); nnull_tot / nobs_tot scale the
 * null counts (pass nnull and nobs when every window is in the arrays).  Returns the
 * smallest obs value v > 0 with FDR(v) <= alpha, or HUGE_VAL. */
double cm_pat_fdr_threshold(double *obs, size_t nobs, double *null, size_t nnull,
                            double nobs_tot, double nnull_tot, double alpha);

/* Counts of one call. */
typedef struct {
    size_t windows;   /* observed windows */
    double thresh;    /* t* (HUGE_VAL when nothing passes) */
    size_t passing;   /* windows with v >= t* */
} cm_pat_call_stats_t;

/* Steps 1–4 for track tr and one sign (+1, −1); head_key keys the shuffles (e.g.
 * cm_rng_hash_str of the head).  Appends seqlets to *s (*n of them, capacity *cap,
 * cm_grow), sorted by (region, start).  Returns 0 (never fails; memory aborts). */
int cm_pat_call_seqlets(const cm_pat_track_t *tr, int sign, const cm_pat_seqlet_opts_t *o,
                        uint64_t head_key, cm_pat_seqlet_t **s, int *n, int *cap,
                        cm_pat_call_stats_t *st);

#endif
