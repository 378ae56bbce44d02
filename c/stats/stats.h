/* stats.h — significance of in-silico knockout effects (coopmap-stats).
 *
 * Method (EpiBinder study, Supplement B "Statistical testing for motif cooperativity
 * effects"): for each cell (i, j) of the cooperativity map the knockout deltas
 * Delta_ij^(k), k = 1..n, are tested with a two-sided one-sample t-test against 0:
 *     t = mean / (sd / sqrt(n)),  sd the sample standard deviation (n - 1),
 *     p = 2 * P(T_{n-1} > |t|)                (GSL gsl_cdf_tdist_Q),
 * p = 1 when n < 2, when the variance is 0, or when evaluation fails (non-finite t or p);
 *     score = sign(mean) * (-log10 p)          (0 when p = 1 or mean = 0).
 * Multiple testing: Benjamini & Hochberg (1995) step-up FDR adjustment; cells with
 * q > alpha (0.05 in the study) are masked on the heatmap.
 *
 * Underflow: when 2*Q(|t|) underflows double precision (p < DBL_MIN, large |t| and df),
 * log10 p is still computed exactly from the incomplete-beta tail
 *     p = I_x(df/2, 1/2),  x = df / (df + t^2),
 *     I_x(a,b) = x^a (1-x)^b / (a B(a,b)) * 2F1(a+b, 1; a+1; x)
 * (Abramowitz & Stegun 26.5.23/15.1.1; GSL gsl_sf_lnbeta), evaluated in log space, so
 * scores stay finite (no cap) and p/q can be printed as text ("1.2e-450").
 *
 * Nothing here prints or exits; functions that can fail return -1 with err filled.
 */
#ifndef COOPMAP_STATS_H
#define COOPMAP_STATS_H

#include <stddef.h>
#include <stdio.h>
#include "core/error.h"
#include "stats/effects.h"

/* Result of a one-sample t-test.  All fields are always set. */
typedef struct {
    size_t n;        /* number of values */
    double mean;     /* sample mean; NAN when n = 0 */
    double sd;       /* sample standard deviation (divisor n - 1); NAN when n < 2;
                        exactly 0 when all values are identical */
    double t;        /* t statistic; NAN when undefined (n < 2, sd = 0, non-finite) */
    double p;        /* two-sided p-value in [0, 1]; may be 0 when it underflows */
    double log10p;   /* log10 p, finite even when p underflows; 0 when p = 1 */
    double score;    /* sign(mean) * (-log10 p); 0 when p = 1 or mean = 0 */
} cm_ttest_t;

/* Two-sided one-sample t-test of x[0..n-1] against 0 (EpiBinder study; p from GSL
 * gsl_cdf_tdist_Q, or cm_tdist_log10p2 where that underflows).  Call cm_stats_init()
 * once first (cm_cells_compute does) so GSL never aborts.  Mean = sum/n; variance by
 * the corrected two-pass algorithm (divisor n - 1); all values equal => sd = 0
 * exactly.  Edge cases give p = 1, log10p = 0, score = 0: n < 2, sd = 0, non-finite
 * sd/t (t then NAN), non-finite p (t kept).  Never fails; thread-safe. */
void cm_ttest1(const double *x, size_t n, cm_ttest_t *r);

/* log10 of the two-sided Student-t p-value 2*Q(|t|; df), computed in log space
 * (exact also where p underflows); returns 0 for t = 0 and NAN for df <= 0 or
 * non-finite t. */
double cm_tdist_log10p2(double t, double df);

/* Call once per process before using this module from several threads:
 * switches the GSL error handler off (gsl_set_error_handler_off) so failed GSL
 * evaluations return error codes/NaN instead of aborting.  Idempotent. */
void cm_stats_init(void);

/* Benjamini & Hochberg (1995) adjusted p-values, equal to statsmodels
 * multipletests(p, method='fdr_bh')[1]: q_(k) = min_{l >= k} min(1, p_(l) * n / l)
 * over p sorted ascending.  Tied p-values get the same q.  p and q may alias.
 * n = 0 is a no-op.  p values must be in [0, 1] (NaN is treated as 1). */
void cm_bh(const double *p, size_t n, double *q);

/* The same adjustment in log10 space: lq = log10 q from lp = log10 p (lp <= 0,
 * may be far below the double range of p).  lp and lq may alias. */
void cm_bh_log10(const double *lp, size_t n, double *lq);

/* Cell kinds, in output order (cooperativity.tsv `kind`). */
typedef enum {
    CM_CELL_SELF = 0,     /* (i, i): delta_source of self rows of TF i (map diagonal) */
    CM_CELL_PAIR,         /* (i, j), i != j: delta_target of heterotypic pair rows */
    CM_CELL_HOMOTYPIC,    /* (i, i): delta_target of homotypic pair rows (not on the map) */
    CM_CELL_INTERACTION,  /* (i, j): interaction term of pair rows (not on the map) */
    CM_CELL_NKIND
} cm_cell_kind_t;

/* Name of a kind ("self", "pair", "homotypic", "interaction"). */
const char *cm_cell_kind_name(int kind);

/* One cell of the cooperativity map. */
typedef struct {
    int kind;          /* cm_cell_kind_t */
    int src, tgt;      /* TF indices into cm_effects_t.tf (sorted names) */
    cm_ttest_t tt;     /* test result */
    double q;          /* BH-adjusted p within the cell's family (may underflow to 0) */
    double log10q;     /* log10 q, finite */
    int masked;        /* q > alpha */
} cm_cell_t;

/* All cells with at least one value.  Sorted by kind, then source TF index, then
 * target TF index (the TF table is sorted by name, so this is name order). */
typedef struct {
    cm_cell_t *c;
    size_t n;
} cm_cells_t;

/* Group the effect rows into cells (see cm_cell_kind_t), test every cell with
 * cm_ttest1 (OpenMP over cells; values within a cell are in input order, so results
 * do not depend on the thread count) and BH-adjust.
 * BH families: kinds self + pair together (the heatmap cells, as in the study);
 * homotypic cells on their own; interaction cells on their own.  Every cell with
 * n >= 1 belongs to its family, including cells whose test returned p = 1.
 * alpha in (0, 1] is the masking threshold.  Returns 0, or -1 on bad alpha. */
int cm_cells_compute(const cm_effects_t *ef, double alpha, cm_cells_t *cells, cm_err_t *err);

/* Free the cells and zero the struct; NULL-safe. */
void cm_cells_free(cm_cells_t *cells);

/* Format a probability given as (p, log10p) with %.6g; when p underflows
 * (p < DBL_MIN and log10p finite and < -300) print "M.MMMMMe-EEE" (mantissa %.6g)
 * from log10p instead.  buf needs >= 32 bytes.  Returns buf. */
char *cm_fmt_prob(char *buf, size_t size, double p, double log10p);

/* Heatmap view of the cells: score[i*n_tf+j] and state[i*n_tf+j] for source TF i,
 * target TF j (n_tf = ef->n_tf), from the self cell (i == j) or pair cell (i != j).
 * state: CM_MAP_UNTESTED (no values), CM_MAP_MASKED (q > alpha), CM_MAP_SHOWN;
 * score is NAN unless shown.  Arrays of n_tf*n_tf elements, filled by the call. */
enum { CM_MAP_UNTESTED = 0, CM_MAP_MASKED = 1, CM_MAP_SHOWN = 2 };
void cm_cells_map(const cm_cells_t *cells, int n_tf, double *score, unsigned char *state);

/* Writers.  Each writes "# PROV" first when prov is not NULL (provenance line, e.g.
 * "coopmap-stats 0.1.0: coopmap-stats -o out/ effects.tsv"), then a header line and
 * rows; numbers with %.6g, undefined values as empty fields.  Write errors are left
 * to the stream (caught by cm_out_commit).  All return 0.
 *
 * cm_write_long: cooperativity.tsv, columns
 *   source_tf target_tf kind n mean sd t p score q masked
 *   in the cells' order (kind self, pair, homotypic, interaction; then TF names).
 *   p and q below the double range are printed from their log10 (cm_fmt_prob). */
int cm_write_long(FILE *fp, const cm_cells_t *cells, const cm_effects_t *ef, const char *prov);

/* The rows and columns of the map worth showing, from a cm_cells_map state array
 * (n_tf x n_tf): row i is kept when TF i is the source of any tested self/pair cell,
 * column j when TF j is the target of one (the self cell (i, i) counts for both), so a
 * model with a few heads gives a few rows instead of a mostly empty square.  With
 * square != 0 every TF is kept on both axes.  rows and cols hold n_tf ints each;
 * kept indices are written in TF order and their counts returned in *nr and *nc. */
void cm_map_axes(const unsigned char *state, int n_tf, int square, int *rows, int *nr,
                 int *cols, int *nc);

/* cm_write_matrix: cooperativity_matrix.tsv: header "source_tf" + one column per
 * target TF, one row per source TF (both as chosen by cm_map_axes with `square`, in
 * sorted TF order); cell = score of the self (row TF = column TF) or pair cell,
 * empty when masked or untested. */
int cm_write_matrix(FILE *fp, const cm_cells_t *cells, const cm_effects_t *ef, int square,
                    const char *prov);

/* cm_write_profile: distance profile of knockout effects (EpiBinder Fig. 3d).
 * Pair rows binned by centre-to-centre distance into [bin_start, bin_end) bins of
 * bin bp (bin >= 1), separately for kind pair (heterotypic) and homotypic; columns
 *   kind bin_start bin_end n mean_delta_target sd_delta_target mean_abs_delta_target
 *   n_interaction mean_interaction
 * only non-empty bins; sd empty when n < 2, mean_interaction empty when
 * n_interaction = 0. */
int cm_write_profile(FILE *fp, const cm_effects_t *ef, long bin, const char *prov);

/* cm_write_ranking: per-TF absolute knockout effects (EpiBinder Fig. 3e); columns
 *   tf n_self mean_abs_self n_pair mean_abs_target_effect
 * n_self/mean_abs_self: self rows of the TF, mean |delta_source| (its own motif
 * knocked out); n_pair/mean_abs_target_effect: pair rows with the TF as source
 * (heterotypic and homotypic), mean |delta_target| (how much its predicted binding
 * moves when a neighbour is knocked out).  Sorted by mean_abs_self descending
 * (TFs without self rows last), then mean_abs_target_effect descending, then name.
 * Means are empty when their n is 0. */
int cm_write_ranking(FILE *fp, const cm_effects_t *ef, const char *prov);

#endif
