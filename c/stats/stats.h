/* stats.h — significance of in-silico knockout effects (coopmap-stats).
 *
 * Method (EpiBinder study, Supplement B "Statistical testing for motif cooperativity
 * effects"): for each cell (i, j) of the cooperativity map the knockout deltas
 * Delta_ij^(k), k = 1..n, are tested with a two-sided one-sample t-test against 0:
 *     t = mean / (sd / sqrt(n)),  sd the sample standard deviation (n - 1),
 *     p = 2 * P(T_{n-1} > |t|)                (see "Speed and accuracy" below),
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
 * Speed and accuracy: for integer df <= 50 and |t| <= 3 the two-sided p is the
 * finite series of A&S 26.7.3/26.7.4 (Cephes stdtr's, which scipy runs), p = 1 -
 * P(|T| < |t|) (p >= 0.0027 there: ~1e-13 relative); for integer df <= 2000 and
 * |t| > 3 it is the incomplete-beta tail above (continued fraction in log space,
 * ln x = -log1p(t^2/df), ln B(a, 1/2) from lgamma_r for df <= 100; ~1e-13 relative,
 * where GSL's Q, a Cornish-Fisher approximation for df > 30, loses up to 1e-6);
 * everything else goes through GSL gsl_cdf_tdist_Q, with the log-space tail where
 * that underflows.  Checked against 60-digit mpmath and scipy (tests/unit/stats).
 *
 * Other tests (--test): Wilcoxon signed-rank (stats/wilcoxon.h, scipy 1.10.1) and a
 * sign-flip permutation test of the mean (stats/permtest.h).  Corrections
 * (--correction): Benjamini–Hochberg or Benjamini–Yekutieli.  Effect sizes for every
 * cell whatever the test: 95% t confidence interval of the mean and Cohen's d.
 *
 * Nothing here prints or exits; functions that can fail return -1 with err filled.
 */
#ifndef COOPMAP_STATS_H
#define COOPMAP_STATS_H

#include <stddef.h>
#include <stdint.h>
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

/* Two-sided one-sample t-test of x[0..n-1] against 0 (EpiBinder study; p as in
 * "Speed and accuracy" above, = scipy.stats.ttest_1samp to ~1e-13).  Call cm_stats_init()
 * once first (cm_cells_compute does) so GSL never aborts.  Mean = sum/n; variance by
 * the corrected two-pass algorithm (divisor n - 1); all values equal => sd = 0
 * exactly.  Edge cases give p = 1, log10p = 0, score = 0: n < 2, sd = 0, non-finite
 * sd/t (t then NAN), non-finite p (t kept).  Never fails; thread-safe. */
void cm_ttest1(const double *x, size_t n, cm_ttest_t *r);

/* log10 of the two-sided Student-t p-value 2*Q(|t|; df), the p of cm_ttest1 (exact
 * also where p underflows); returns 0 for t = 0 and NAN for df <= 0 or non-finite t. */
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

/* Benjamini & Yekutieli (2001) adjusted p-values (arbitrary dependence), equal to
 * statsmodels multipletests(p, method='fdr_by')[1]: as cm_bh with the factor n/l
 * replaced by n·c(n)/l, c(n) = Σ_{i=1..n} 1/i:
 *   q_(k) = min_{l >= k} min(1, p_(l) / ((l/n) / c(n))).
 * Same conventions as cm_bh (aliasing allowed, n = 0 no-op, NaN as 1). */
void cm_by(const double *p, size_t n, double *q);

/* BY in log10 space, as cm_bh_log10. */
void cm_by_log10(const double *lp, size_t n, double *lq);

/* Multiple-testing corrections (coopmap-stats --correction). */
typedef enum { CM_CORR_BH = 0, CM_CORR_BY, CM_CORR_N } cm_correction_t;

/* "bh", "by"; "?" when out of range. */
const char *cm_correction_name(int corr);
/* The cm_correction_t named s ("bh", "by"), or -1. */
int cm_correction_parse(const char *s);

/* Both adjustments of one family: q from p and lq = log10 q from lp, by `corr`
 * (cm_correction_t); q or lq may be NULL to skip that one (cm_cells_adjust needs lq
 * only where some p is below 1e-290).  p[i] and lp[i] describe the same p-value (p =
 * 10^lp up to rounding; p may underflow to 0 while lp stays finite).  Exactly
 * cm_bh/cm_by on p and cm_bh_log10/cm_by_log10 on lp.  Sorting: qsort below a few
 * thousand values; above, for p, a bucket sort (bucket floor(p·65536) by two 8-bit
 * counting passes, then each bucket by value), ties in index order either way.
 * Arrays of n; q and lq must not alias p or lp.  n = 0 is a no-op. */
void cm_fdr_adjust(const double *p, const double *lp, size_t n, int corr, double *q, double *lq);

/* Effect sizes of a cell from its t-test summary (n, mean, sd):
 *   95% confidence interval of the mean, mean ± t975 · sd / √n, t975 the 0.975
 *   quantile of Student t with n-1 df (cm_t975); NAN, NAN when n < 2 (sd = 0 gives
 *   [mean, mean]);
 *   Cohen's d = mean / sd (one-sample, sd with divisor n-1); NAN when n < 2 or
 *   sd = 0. */
void cm_effect_sizes(const cm_ttest_t *tt, double t975, double *ci_low, double *ci_high,
                     double *cohens_d);

/* 0.975 quantile of Student t with df > 0 degrees of freedom (GSL
 * gsl_cdf_tdist_Pinv; = scipy.stats.t.ppf(0.975, df) to ~1e-15); NAN for df <= 0. */
double cm_t975(double df);

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

/* Tests of a cell (coopmap-stats --test). */
typedef enum {
    CM_TEST_T = 0,          /* one-sample t-test (cm_ttest1), the study's test */
    CM_TEST_WILCOXON,       /* Wilcoxon signed-rank (stats/wilcoxon.h) */
    CM_TEST_PERMUTATION,    /* sign-flip permutation of the mean (stats/permtest.h) */
    CM_TEST_N
} cm_test_kind_t;

/* "t", "wilcoxon", "permutation"; "?" when out of range. */
const char *cm_test_name(int test);
/* The cm_test_kind_t named s, or -1. */
int cm_test_parse(const char *s);

/* How cells are tested and adjusted. */
typedef struct {
    int test;             /* cm_test_kind_t; default CM_TEST_T */
    int correction;       /* cm_correction_t; default CM_CORR_BH */
    long permutations;    /* B, random flips of CM_TEST_PERMUTATION, >= 1; default 10000 */
    uint64_t seed;        /* seed of the permutation flips; default 1 */
} cm_test_opts_t;

/* Fill o with the defaults above. */
void cm_test_opts_init(cm_test_opts_t *o);

/* Multiple-testing families (cooperativity.tsv `family`): which cells are adjusted
 * together. */
typedef enum {
    CM_FAMILY_MAP = 0,        /* kinds self + pair: the heatmap cells, as in the study */
    CM_FAMILY_HOMOTYPIC,      /* kind homotypic */
    CM_FAMILY_INTERACTION,    /* kind interaction */
    CM_FAMILY_N
} cm_family_t;

/* "map", "homotypic", "interaction"; "?" when out of range. */
const char *cm_family_name(int family);
/* The family of a cell kind (cm_cell_kind_t), or -1. */
int cm_cell_family(int kind);

/* One cell of the cooperativity map. */
typedef struct {
    int kind;          /* cm_cell_kind_t */
    int src, tgt;      /* TF indices into cm_effects_t.tf (sorted names) */
    int family;        /* cm_family_t (here so the struct is 128 bytes) */
    cm_ttest_t tt;     /* n, mean, sd, t: the t-test summary, whatever the test;
                          p, log10p, score: those of the chosen test (`test`), score =
                          sign(mean) * (-log10 p) for every test (0 when p = 1 or
                          mean = 0, never -0) */
    double q;          /* adjusted p (BH or BY) within the cell's family (may underflow to 0) */
    double log10q;     /* log10 q, finite */
    int masked;        /* q > alpha */
    int test;          /* cm_test_kind_t that gave tt.p */
    double stat;       /* that test's statistic: t (t; NAN when undefined), W =
                          min(R+, R-) (wilcoxon; NAN when untestable), mean
                          (permutation; NAN when n = 0) */
    double ci_low, ci_high;  /* 95% t confidence interval of the mean; NAN when n < 2 */
    double cohens_d;   /* mean / sd; NAN when n < 2 or sd = 0 */
} cm_cell_t;

/* All cells with at least one value.  Sorted by kind, then source TF index, then
 * target TF index (the TF table is sorted by name, so this is name order). */
typedef struct {
    cm_cell_t *c;
    size_t n;
} cm_cells_t;

/* Group the effect rows into cells (see cm_cell_kind_t), test every cell
 * (cm_cells_test: OpenMP over cells; values within a cell are in input order, so
 * results do not depend on the thread count) and adjust per family
 * (cm_cells_adjust).  Families (cm_family_t): kinds self + pair together (the
 * heatmap cells, as in the study); homotypic cells on their own; interaction cells
 * on their own.  Every cell with n >= 1 belongs to its family, including cells whose
 * test returned p = 1.  alpha in (0, 1] is the masking threshold.  opts NULL means
 * the defaults (t-test, BH).  Permutation flips of a cell are keyed by
 *   cm_rng_key(cm_rng_key(cm_rng_key(cm_rng_key(seed, CM_PERM_STREAM), kind),
 *              cm_rng_hash_str(source TF)), cm_rng_hash_str(target TF)),
 * so a cell's p depends on its values, B and the seed only (not on the thread count,
 * nor on which other cells or TFs the input holds).
 * Returns 0, or -1 with err filled on bad alpha or options. */
int cm_cells_compute_opts(const cm_effects_t *ef, double alpha, const cm_test_opts_t *opts,
                          cm_cells_t *cells, cm_err_t *err);

/* cm_cells_compute_opts with the defaults (t-test, BH). */
int cm_cells_compute(const cm_effects_t *ef, double alpha, cm_cells_t *cells, cm_err_t *err);

/* First field of the permutation keys of cm_cells_compute_opts ("perm" in ASCII). */
#define CM_PERM_STREAM UINT64_C(0x7065726d)

/* The test step on its own: test nc cells whose values are v[off[i] .. off[i+1]-1]
 * (off has nc + 1 entries, non-decreasing) with opts->test, filling c[i].tt, test,
 * stat, ci_low, ci_high and cohens_d (kind, src, tgt, family, q, masked untouched).
 * keys[i] is the permutation key of cell i; keys NULL means
 * cm_rng_key(cm_rng_key(opts->seed, CM_PERM_STREAM), i).  OpenMP over cells (dynamic
 * schedule), one scratch buffer per thread, no per-cell allocation.  Calls
 * cm_stats_init.  Returns 0, or -1 with err filled on bad options. */
int cm_cells_test(const double *v, const size_t *off, size_t nc, const cm_test_opts_t *opts,
                  const uint64_t *keys, cm_cell_t *c, cm_err_t *err);

/* The adjustment step on its own: within each family (c[i].family, cells with other
 * values are skipped) adjust tt.p/tt.log10p by `corr` (cm_fdr_adjust), setting q,
 * log10q (q below 1e-290 taken from the log-space adjustment) and masked = q > alpha.
 * Returns 0, or -1 with err filled on a bad corr or alpha. */
int cm_cells_adjust(cm_cell_t *c, size_t nc, int corr, double alpha, cm_err_t *err);

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
 *   test family ci_low ci_high cohens_d
 *   in the cells' order (kind self, pair, homotypic, interaction; then TF names).
 *   p, score and q are those of the cell's test and correction; t is always the t
 *   statistic.  test: cm_test_name; family: cm_family_name (the cells adjusted
 *   together); ci_low/ci_high: 95% t interval of the mean; cohens_d: mean / sd.
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

/* One TF of the ranking (cm_write_ranking's rows). */
typedef struct {
    int tf;          /* index into ef->tf */
    size_t n_self;   /* self rows of the TF */
    size_t n_pair;   /* pair rows with the TF as source */
    double self;     /* mean |delta_source| of the self rows; NAN when n_self = 0 */
    double pair;     /* mean |delta_target| of the pair rows; NAN when n_pair = 0 */
} cm_rank_t;

/* The ranking of every TF of ef (ef->n_tf entries, caller frees), in cm_write_ranking's
 * order: self descending (TFs without self rows last), then pair descending, then name. */
cm_rank_t *cm_ranking(const cm_effects_t *ef);

#endif
