/* pssm.h — FIMO's position-specific scoring matrix: log2-odds, integer matrix and the
 * exact null score distribution / p-value table (MEME Suite 5.5.8 FIMO behaviour,
 * COMPAT.md "FIMO scoring" items 2–7).
 *
 * Matrices are w × K, row-major (m[i*K+a] is column i of the motif, letter a), K the
 * alphabet's core letters (alphabet.h): 4 for DNA (A, C, G, T, index 0..3), the
 * functions without _k take DNA.  Integer scores of a window are sums of w cells, in
 * 0..max_score.
 *
 * Method (COMPAT.md):
 *   f' = pseudocounted frequency (cm_motif_pseudocount, item 2)
 *   L  = ln(f'/b) · 1.44269504            (log2-odds with FIMO's constant, item 3)
 *   offset = floor(min L), scale = floor(range / (max L − offset)),
 *   M  = nint((L − offset) · scale)        (cm_quantise, range 1000, item 4)
 *   pmf of S = Σ M[i][X_i] with X_i ~ b independently, by convolution over columns;
 *   pv[s] = P(S ≥ s) capped at 1          (item 5)
 *   reported score = s / scale + w · offset; score and p rounded to 10 significant
 *   digits before the (inclusive) threshold test (item 6).
 * The reverse-complement motif (item 7) is built as its own cm_pssm_t with
 * cm_pssm_revcomp().
 */
#ifndef COOPMAP_PSSM_H
#define COOPMAP_PSSM_H

#include "core/error.h"
#include "motif/motif.h"

/* FIMO's ln → log2 conversion constant (COMPAT.md item 3; deliberately not 1/ln 2). */
#define CM_LOG2_FIMO 1.44269504

/* FIMO's integer range for score matrices (COMPAT.md item 4). */
#define CM_PSSM_RANGE 1000

/* An integer PSSM with its p-value table. */
typedef struct {
    int w;            /* width (columns) */
    int k;            /* letters per column (K; 4 for DNA) */
    int *mat;         /* w × k integer scores, row-major, each in 0..range */
    double offset;    /* floor(min L) in log2 units (bits) */
    double scale;     /* integer units per bit: floor(range / (max L − offset)) */
    int max_score;    /* largest reachable window score: Σ_i max_a mat[i][a] */
    double *pv;       /* max_score + 1 entries: pv[s] = P(S ≥ s) under the background,
                       * capped at 1 (pv[0] == 1); not rounded */
} cm_pssm_t;

/* Log2-odds L[i*4+a] = ln(f[i*4+a] / bg[a]) · CM_LOG2_FIMO for a w × 4 matrix f of
 * (pseudocounted) frequencies.  Returns 0, or -1 if some f or bg is <= 0 (the log-odds
 * would be −∞; happens only with --motif-pseudo 0 and a zero frequency). */
int cm_log_odds(const double *f, int w, const double bg[4], double *L);
/* The same for a w × k matrix and bg[k]. */
int cm_log_odds_k(const double *f, int w, int k, const double *bg, double *L);

/* Build the PSSM of motif m: pseudocount (pseudo, n = (int)nsites), log-odds, integer
 * matrix with `range` (CM_PSSM_RANGE for FIMO) and the p-value table under bg (the
 * finished background, cm_bg_finish).  p is overwritten (free with cm_pssm_free).
 * Returns 0, or -1 with err "MOTIFS:LINE: motif ID: ..." when a log-odds is −∞
 * (path names the motif file for the message; may be NULL). */
int cm_pssm_build(const cm_motif_t *m, const char *path, const double *bg, double pseudo,
                  int range, cm_pssm_t *p, cm_err_t *err);
/* (K = cm_motif_k(m) letters, bg[K]; p->k = K.) */

/* Build from an integer matrix directly (w × 4 cells >= 0), computing max_score and the
 * p-value table under bg; offset and scale are copied as given.  Used by
 * cm_pssm_build and cm_pssm_revcomp, and by tests. */
void cm_pssm_from_int(const int *mat, int w, double offset, double scale, const double bg[4],
                      cm_pssm_t *p);
/* The same for a w × k integer matrix and bg[k]. */
void cm_pssm_from_int_k(const int *mat, int w, int k, double offset, double scale,
                        const double *bg, cm_pssm_t *p);

/* The reverse-complement PSSM of fwd: column i, letter a of rc is column w−1−i,
 * letter 3−a of fwd; same offset and scale; its own p-value table under bg (identical
 * to fwd's when bg is complement-symmetric, as it is whenever both strands are scanned). */
void cm_pssm_revcomp(const cm_pssm_t *fwd, const double bg[4], cm_pssm_t *rc);
/* The reverse complement over alphabet al (K = fwd->k letters): column i, letter a of
 * rc is column w−1−i, letter al->comp[a] of fwd (a letter without a complement keeps
 * its own column); for DNA the same as cm_pssm_revcomp. */
void cm_pssm_revcomp_alph(const cm_pssm_t *fwd, const cm_alph_t *al, const double *bg,
                          cm_pssm_t *rc);

/* Free the arrays of p and zero it; NULL-safe. */
void cm_pssm_free(cm_pssm_t *p);

/* x rounded to `digits` significant decimal digits (correctly rounded through the
 * decimal representation, i.e. the value of printf("%.{digits-1}e", x)).  0, ±inf and
 * NaN are returned unchanged.  digits in 1..17. */
double cm_round_sig(double x, int digits);

/* P-value of integer score s as FIMO reports it: pv[s] rounded to 10 significant
 * digits (pv[0] for s < 0, 0 for s > max_score). */
double cm_pssm_pvalue(const cm_pssm_t *p, int s);

/* Reported score of integer score s: s / scale + w · offset, rounded to 10 significant
 * digits (COMPAT.md item 6). */
double cm_pssm_score(const cm_pssm_t *p, int s);

/* Smallest integer score s whose reported p-value is <= thresh (inclusive, after the
 * 10-digit rounding), so a window passes iff its integer score >= the result.
 * Returns max_score + 1 when no score passes.  pv is non-increasing, so a window
 * test is one integer comparison. */
int cm_pssm_min_score(const cm_pssm_t *p, double thresh);

#endif
