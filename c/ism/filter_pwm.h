/* filter_pwm.h — first-layer convolution filters as motifs (coopmap-ism --filter-pwms).
 *
 * Method (ExplaiNN, Novakovsky et al., Genome Biology 2023, "filter
 * visualisation"; the same procedure as Basset, Kelley et al. 2016, and SATORI,
 * Ullah & Ben-Hur 2021): for each first-layer filter u of width K, every subsequence
 * x[t, t + K) of the input sequences whose activation act_u(t) is at least
 * F × max act_u over all positions of all sequences is collected, and the filter's
 * motif is the base counts of the collected subsequences, column by column
 * (counts / nsites = letter probabilities).  F = 0.5 by default (ExplaiNN's rule).
 *
 * Kind "explainn" (cnn.h): act_u(t) = exp(a_u(t)) with a_u(t) the folded conv + BN1
 * value (cm_cnn_first_layer).  exp is increasing and positive, so for F > 0
 *   exp(a) >= F · max_t' exp(a(t'))   <=>   a >= log(F) + max_t' a(t'),
 * which is how the rule is applied (in double: thr_u = (double)max a_u + log F; a
 * position qualifies when (double)a_u(t) >= thr_u; with F = 1 exactly the positions
 * equal to the maximum qualify).  F = 0 qualifies every position (log 0 = −inf).
 * The activations of ExplaiNN are always positive, so "F · max with a non-positive
 * max" cannot occur for it.
 *
 * Kind "seqcnn" (seqcnn.h): the first layer must be a conv1d on the one-hot input with
 * stride 1, dilation 1, groups 1 (any padding), optionally followed by batchnorm1d and
 * one activation (cm_seqcnn_first_conv; otherwise an error).  act_u(t) is the value of
 * filter u after the BatchNorm and the activation, as the engine computes it
 * (cm_seqcnn_first_conv_values: same kernel and float order as the predictions).  With
 * an exp activation the rule is applied to the pre-activation value as above (max +
 * log F), exactly as for kind explainn; with any other activation (or none) it is
 * applied to the activation itself: a position qualifies when (double)act_u(t) >=
 * F · (double)max act_u, and only when max act_u > 0 (a filter whose max is <= 0 gets
 * no subsequence; with F = 0 and max > 0 every position with act >= 0 qualifies, i.e.
 * every position for ReLU).  For ReLU this equals thresholding the pre-ReLU value at
 * F · max > 0.  The ExplaiNN checkpoint expressed as seqcnn (tests/fixtures/model/
 * explainn.json) gives the same counts as kind explainn except where a conv value lies
 * within float rounding of its threshold (the two engines sum the taps in different
 * orders: triple tables vs one table row per tap).
 *
 * Scope: forward strand only (as ExplaiNN: its filters see the sequence as given; the
 * motif of a filter that learned the reverse complement is matched by coopmap-compare,
 * which compares both orientations).  Only valid conv positions t in [0, L − K]
 * are used (for a padded seqcnn conv the padded positions are not subsequences of the
 * input and are not computed), so no subsequence runs over a window edge; a subsequence that
 * contains an N (or any non-ACGT letter, code 4) is skipped: it takes part neither in
 * the maximum nor in the counts (an N column adds 0 to the conv value, which is not
 * the value of any real base).  Sequences may have any length (the first layer does
 * not depend on the model's input length); one shorter than K contributes nothing.
 *
 * Memory: two passes over the FASTA (pass 1: per-filter maxima; pass 2: counting),
 * one record at a time, so memory is O(U·L) for the longest record, independent of
 * the number of sequences; so the FASTA must be a file that can be read twice (a pipe
 * is refused: "PATH: read twice (two passes) but gave N records, then 0: give a
 * regular file, not a pipe").  Counts are integers and maxima exact, so the result does
 * not depend on any ordering (single-threaded).
 */
#ifndef COOPMAP_FILTER_PWM_H
#define COOPMAP_FILTER_PWM_H

#include <stdio.h>
#include "core/error.h"
#include "model/cnn.h"
#include "model/model.h"
#include "model/seqcnn.h"

/* Per-filter counts of the collected subsequences. */
typedef struct {
    int U, K;          /* filters, width (bp) */
    double F;          /* the threshold fraction used */
    long n_seqs;       /* FASTA records read (pass 1) */
    long n_pos;        /* positions without N over all records (candidates per filter) */
    float *max;        /* U: max of the thresholded value over all candidate positions (−inf
                        * if none): pre-activation a_u for exp (explainn; seqcnn + exp),
                        * the activation act_u otherwise (seqcnn) */
    long *nsites;      /* U: number of collected subsequences */
    long *counts;      /* U × K × 4 row-major: counts[(u·K + k)·4 + b], b = A,C,G,T */
} cm_filter_counts_t;

/* Run both passes of the method above for ExplaiNN model c over the FASTA file
 * fasta, threshold fraction F in [0, 1].  Fills fc (free with cm_filter_counts_free).
 * Returns 0, or -1 with err ("PATH:LINE: ..." for a bad FASTA; "--filter-threshold:
 * expected a number in 0..1, got X"). */
int cm_filter_pwm_cnn(const cm_cnn_t *c, const char *fasta, double F, cm_filter_counts_t *fc,
                      cm_err_t *err);

/* The same for a seqcnn model s (the seqcnn rule above).  Returns 0, or -1 with err
 * (the errors of cm_seqcnn_first_conv for a first layer that is not such a conv, or
 * those of cm_filter_pwm_cnn). */
int cm_filter_pwm_seqcnn(const cm_seqcnn_t *s, const char *fasta, double F, cm_filter_counts_t *fc,
                         cm_err_t *err);

/* Write fc as a MEME minimal-format motif file (MEME version 4, ALPHABET= ACGT,
 * strands: + -, uniform background), one "MOTIF filterU" per filter with nsites > 0
 * (U = the 0-based unit index, as in the PyTorch state_dict), its
 * "letter-probability matrix: alength= 4 w= K nsites= N E= 0" and K rows of
 * counts / N ("%.6f").  Returns the number of motifs written; the indices of the
 * skipped filters (nsites 0) are reported by the caller. */
int cm_filter_pwm_write_meme(FILE *fp, const cm_filter_counts_t *fc);

/* The whole of --filter-pwms: check the model's kind (explainn or seqcnn; otherwise -1
 * with "--filter-pwms needs a CNN model (kind K)"), count (for seqcnn -1 with the
 * errors of cm_seqcnn_first_conv when its first layer is not a usable conv1d), write out_path
 * atomically (cm_out_open), and print to stderr one line per skipped filter
 * ("coopmap-ism: info: filter U: no subsequence reaches F x max; skipped") and a
 * summary.  Returns 0, or -1 with err. */
int cm_filter_pwm_run(const cm_model_t *m, const char *fasta, double F, const char *out_path,
                      cm_err_t *err);

void cm_filter_counts_free(cm_filter_counts_t *fc);  /* frees contents, zeroes fc */

#endif
