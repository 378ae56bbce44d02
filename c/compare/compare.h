/* compare.h — Tomtom-compatible motif comparison (Gupta, Stamatoyannopoulos, Bailey &
 * Noble 2007, Genome Biology 8:R24), reproducing Tomtom 5.5.8 as described in
 * COMPAT.md "Tomtom comparison".
 *
 * Method, for one query of width Q against a database of targets:
 *  1. Every PPM, with its rows exactly as written (motif.h: never renormalised),
 *     gets the pseudocount (COMPAT.md item 2, 0.1 by default) with the query file's
 *     background (symmetrised, +5e-7: cm_bg_finish).
 *  2. Column scores S[i][c] (larger = more similar) of query column i against every
 *     column c of every target in both orientations (N_c columns in all; a target's
 *     reverse complement lists its columns reversed with A↔T, C↔G swapped).
 *  3. "Complete scores": each row S[i][·] minus its Tomtom median (cm_tomtom_median),
 *     so an unaligned query column scores 0; then the whole Q × N_c matrix is
 *     quantised to 0..100 (cm_quantise, range 100).  Z0 = the integer of real 0.
 *  4. Null: query column i pairs with a target column drawn uniformly from the N_c
 *     columns; the pmf of every sub-range sum Σ_{i=a..b} Z is built by convolution of
 *     the per-column histograms (≤ 101 distinct values each).  One null per query.
 *  5. A placement (offset d = target column − query column, −(Q−1) ≤ d ≤ L−1) aligns
 *     query columns a..b; its complete score is T = Σ_aligned Z + (Q − overlap)·Z0.
 *     The observed alignment is the best T among placements with overlap ≥
 *     min_overlap (and, with internal, overlap = min(Q, L)); ties go to the larger
 *     overlap, then to the earlier placement (smaller d).
 *  6. p = P(max over the Q+L−1 placements × 2 orientations ≥ T), placements
 *     independent, each with its own sub-range pmf:
 *     p = 1 − Π_d (1 − P(S_{a_d..b_d} ≥ T − (Q − overlap_d)·Z0))^2, rounded to float.
 *  7. E = p × number of targets, computed and stored in float; q = Storey over the
 *     2 × #targets (target, orientation) p-values of the query (qvalue.h), stored as
 *     float, one MT19937 stream carried from query to query in query order.
 *  Implementation (same arithmetic as the steps above, so the same numbers): scores
 *  letter-major and vectorised; the extremes of the median-shifted rows follow from
 *  the unshifted ones (rounding is monotone), so quantisation is one pass into a
 *  transposed byte matrix; the null convolves dense per-column kernels over each
 *  column's value range, in the same order of additions as a sparse convolution.
 *  Per query ≈ Q·N_c column scores plus O(Q³·100·101/6) for the null.
 *  Verified against the MEME Suite runs in ../shared/reference (5.5.8: ed, pearson
 *  -min-overlap 5, sandelin; 3,487 rows) and a real 5.4.1 run (2,437 rows): every
 *  id, offset, p, E, q, overlap and orientation identical as printed; consensus
 *  strings follow Tomtom's float-maximum rule (cm_cmp_consensus).
 *
 * Shapes: PPMs and columns are w × K row-major doubles, K the query alphabet's core
 * letters (motif/alphabet.h; DNA: K = 4, letters A, C, G, T).  Alphabets as Tomtom
 * 5.5.8 handles them (tomtom.c, motif-db.c): the query file's alphabet rules; targets
 * must have the same alphabet, or with -xalph (cm_cmp_db_build_alph's xalph) one whose
 * core letters are a subset of it, converted as MEME's convert_matrix_alphabet does
 * (columns moved to the query's letters, missing letters 0, rows renormalised unless
 * they sum to exactly 1, then the pseudocount with the query background, so a missing
 * letter gets pseudo·bg/(n+pseudo)); reverse complements only when the query alphabet
 * is complementable (not RNA or protein).  K = 4 alphabets (DNA, RNA) take the
 * vectorised path below; others the plain formulas of cm_colscore_k.
 */
#ifndef COOPMAP_COMPARE_H
#define COOPMAP_COMPARE_H

#include <stdio.h>
#include "core/error.h"
#include "motif/motif.h"
#include "core/mt19937.h"

/* Column similarity functions (COMPAT.md "Tomtom comparison", second bullet; Gupta
 * et al. 2007, "Column comparison functions").  q and t are pseudocounted columns. */
typedef enum {
    CM_DIST_ED = 0,     /* −sqrt(Σ_a (q_a − t_a)²), Euclidean distance negated (default) */
    CM_DIST_PEARSON,    /* Pearson correlation of q − 1/4 and t − 1/4; 0 if a norm is 0.
                           As Tomtom 5.5.8: the numerator Σ_a x_a·y_a and the two norms
                           Σ_a x_a², Σ_a y_a² are summed letter by letter in A, C, G, T
                           order, each running sum rounded to 14 significant digits
                           (cm_round14) after every letter; then num / sqrt(nq · nt) */
    CM_DIST_SANDELIN,   /* 2 − Σ_a (q_a − t_a)² (Sandelin & Wasserman 2004) */
    CM_DIST_KULLBACK,   /* −½ Σ_a [q_a·log10(q_a/t_a) + t_a·log10(t_a/q_a)], the negated
                           average Kullback–Leibler divergence, computed as
                           −½ Σ_a (q_a − t_a)·(log10 q_a − log10 t_a) (letters with
                           q_a = t_a add 0; needs pseudocounts so no q_a or t_a is 0) */
    CM_DIST_ALLR,       /* average log-likelihood ratio (Wang & Stormo 2003) on counts
                           n_q·q_a and n_t·t_a (n = nsites as written, 20 when absent):
                           [Σ_a n_t t_a ln(q_a/b_a) + Σ_a n_q q_a ln(t_a/b_a)] /
                           Σ_a (n_q q_a + n_t t_a), b = the comparison background */
    CM_DIST_BLIC1,      /* BLiC with a 1-component Dirichlet prior (blic.h), on the same
                           counts as ALLR */
    CM_DIST_BLIC5,      /* BLiC with the 5-component Dirichlet mixture (blic.h) */
    CM_DIST_LLR1,       /* log-likelihood ratio of a common source, 1 component (blic.h) */
    CM_DIST_LLR5        /* the same with the 5-component mixture (blic.h) */
} cm_dist_t;

/* Parse "ed" | "pearson" | "sandelin" | "kullback" | "allr" | "blic1" | "blic5" |
 * "llr1" | "llr5" (case-sensitive, as Tomtom).  0, or -1 for any other name. */
int cm_dist_parse(const char *name, cm_dist_t *d);

/* Does distance d score site counts (nsites × frequencies: allr, blic*, llr*)? */
int cm_dist_uses_counts(cm_dist_t d);

/* Score of query column q[4] against target column t[4] for the distances that use
 * frequencies only (ed, pearson, sandelin, kullback; 0 for the count-based ones:
 * use cm_colscore_allr or blic.h). */
double cm_colscore(cm_dist_t d, const double *q, const double *t);

/* x rounded to 14 significant decimal digits: the double nearest the value of
 * printf("%.13e", x) (decimal ties to even; 0, ±inf, NaN unchanged).  Exact: the
 * product |x|·10^k is split exactly with fma, so there is no double rounding; |x|
 * outside [1e-9, 1e14) goes through the string.  Used by the pearson column score. */
double cm_round14(double x);

/* Consensus of a pseudocounted PPM (w × 4, row-major) as Tomtom 5.5.8 writes it:
 * per column the running maximum starts at 0 and is kept as a float; a letter (A, C,
 * G, T in order) replaces it when its frequency, a double, compares greater than
 * that float.  Among tied letters the first wins when its float rounds up (0.3 →
 * 0.3000000119: 0.1 0.3 0.3 0.3 gives C), the second when it rounds down (0.35 →
 * 0.3499999940: 0.15 0.35 0.35 0.15 gives G); a letter less than float rounding below
 * the maximum can win the same way.  out holds w+1 bytes.  This rule reproduces all
 * 3,493 consensus strings of 100 JASPAR 2024 queries × 879 targets. */
void cm_cmp_consensus(const double *freq, int w, char *out);
/* The same rule over a K-letter alphabet (letters in al->core order). */
void cm_cmp_consensus_alph(const cm_alph_t *al, const double *freq, int w, char *out);

/* Column score over K letters (q, t: K frequencies; nq, nt: site counts for allr; bg:
 * K background frequencies): ed, sandelin, kullback and allr as above with sums over
 * the K letters; pearson centres on 1/K (Tomtom's x_bar = 1/alphabet size), its sums
 * rounded after each letter as above.  0 for blic/llr (4 letters only). */
double cm_colscore_k(cm_dist_t d, int K, const double *q, const double *t, double nq,
                     double nt, const double *bg);

/* Tomtom's p-value of the best of n independent tries of p-value p (its EV macro):
 * p·n when p·n < 0.001, else 1 − (1 − p)^n (computed as −expm1(n·log1p(−p)));
 * 1 for p >= 1.  Used only by -incomplete-scores: with complete scores the p-value is
 * the distribution of the maximum over placements (step 6), as in Tomtom, which uses
 * no such correction there. */
double cm_cmp_min_pvalue(double p, int n);

/* ALLR of query column q[4] (nq sites) and target column t[4] (nt sites) under the
 * background bg[4]; see CM_DIST_ALLR. */
double cm_colscore_allr(const double *q, double nq, const double *t, double nt,
                        const double *bg);

/* Tomtom's median of v[0..n-1] (n >= 1): the mean of the sorted elements with 0-based
 * indices floor(n/2) − 1 and ceil(n/2) − 1 (for even n the lower median; for odd n the
 * mean of the two elements just below the true median index; n == 1 gives v[0]).
 * v is not modified; scratch holds n doubles.  O(n) expected (bucketing + select). */
double cm_tomtom_median(const double *v, size_t n, double *scratch);

/* The background of a comparison run (step 1): the query file's letter frequencies
 * (qs->bg when qs->has_bg, else uniform 0.25), finished as Tomtom does
 * (cm_bg_finish: symmetrised, +5e-7).  Queries and targets are pseudocounted with it. */
void cm_query_bg(const cm_motifset_t *qs, double bg[4]);
/* The same over the query alphabet's K letters (bg holds K entries; uniform 1/K when
 * the file has no background; symmetrised over complement pairs, +5e-7). */
void cm_query_bg_alph(const cm_motifset_t *qs, double *bg);

/* The target database, prepared once for all queries. */
typedef struct {
    int n;              /* number of target motifs (E-value multiplier) */
    int norient;        /* 2 (both strands) or 1 (norc) */
    size_t ncol;        /* N_c = norient × Σ widths */
    double *col;        /* ncol × 4 pseudocounted columns: per target its forward
                           columns, then (norient 2) its reverse-complement columns */
    int *w;             /* n widths */
    size_t *first;      /* n: index in col of target k's first forward column */
    const cm_motif_t **m; /* n borrowed motif pointers (ids, alt names) */
    char **cons;        /* n × norient consensus strings (cons[k*norient + o]) */
    double *soa;        /* 4 × ncol: the columns letter-major (soa[a*ncol + c]) */
    double *colnorm;    /* ncol: Σ_a (t_a − 1/4)² per column (pearson) */
    double *l10;        /* 4 × ncol letter-major: log10 t_a (kullback) */
    double *lnb;        /* 4 × ncol letter-major: ln(t_a / bg_a) (allr) */
    double *colsites;   /* ncol: nsites of the column's motif (count-based scores) */
    double *nsites;     /* n: nsites per target, as written (20 when absent) */
    double *cnt;        /* 4 × ncol letter-major: counts colsites · t_a (blic, llr) */
    double *self1, *self5; /* ncol: cm_dirichlet_selfterm of the counts, 1 and 5 components */
    double lnbg[4];     /* ln bg (blic) */
    double bg[CM_ALPH_MAX]; /* the background the columns were pseudocounted with (K) */
    int k;              /* K, letters per column (4 for DNA and RNA) */
    cm_alph_t alph;     /* the comparison (query) alphabet */
    int xalph_warn;     /* -xalph converted a target alphabet whose complements differ
                           from the query's (Tomtom warns) */
} cm_cmp_db_t;

/* Build the database from targets in sets[0..nsets-1] (in order), with pseudocount
 * `pseudo` and background bg[4], in sets[0]'s alphabet, which must have 4 letters
 * (DNA or RNA: an RNA database gets one orientation).  The sets must outlive the
 * database.  Returns 0, or -1 with err if there are no targets, the alphabet has
 * another size or the sets' alphabets differ. */
int cm_cmp_db_build(cm_cmp_db_t *db, const cm_motifset_t *sets, int nsets,
                    const double bg[4], double pseudo, int norc, cm_err_t *err);

/* The same in the query alphabet qalph (K letters, bg[K]): one orientation when norc
 * or qalph is not complementable; a target set in another alphabet is an error
 * ("give --xalph"), or with xalph converted (see the top of this file; at most 64
 * target files may need converting; a core letter of the target missing from qalph
 * is an error; complements that differ set db->xalph_warn). */
int cm_cmp_db_build_alph(cm_cmp_db_t *db, const cm_motifset_t *sets, int nsets,
                         const cm_alph_t *qalph, const double *bg, double pseudo, int norc,
                         int xalph, cm_err_t *err);
/* Free what cm_cmp_db_build allocated (not the borrowed motifs) and zero *db;
 * NULL-safe, and safe on a zeroed or partly built database. */
void cm_cmp_db_free(cm_cmp_db_t *db);

/* Comparison options (Tomtom option names in brackets). */
typedef struct {
    cm_dist_t dist;     /* [-dist] */
    int min_overlap;    /* [-min-overlap], default 1; capped at min(Q, L) per pair, as
                           Tomtom does (a narrower motif still aligns fully) */
    int internal;       /* [-internal]: only alignments covering the shorter motif */
    double qnsites;     /* nsites of the query (count-based distances; 0 means 20) */
    int incomplete;     /* [-incomplete-scores]: see cm_compare_query */
} cm_cmp_opts_t;

/* The null of one query (step 4): survival functions of every sub-range sum. */
typedef struct cm_cmp_null_s cm_cmp_null_t;

/* Build the null from the quantised complete scores Z (Q × nc row-major, values
 * 0..100, not checked): query column i scores Z[i][c] against a target column c
 * drawn uniformly from the nc columns; sub-range sums are convolutions of these
 * independent columns.  Cost O(Q² · 100Q · 101) at worst.  Never fails (memory
 * exhaustion aborts, error.h); free with cm_cmp_null_free. */
cm_cmp_null_t *cm_cmp_null_build(const int *Z, int Q, size_t nc);

/* P(Σ_{i=a..b} score_i >= x) for 0 <= a <= b < Q (1 for x <= 0, 0 above the
 * largest possible sum, at most 1; below the smallest possible sum the total mass
 * as accumulated, capped at 1). */
double cm_cmp_null_tail(const cm_cmp_null_t *nl, int a, int b, long x);
/* Free a null from cm_cmp_null_build; NULL-safe. */
void cm_cmp_null_free(cm_cmp_null_t *nl);

/* Result for one (target, orientation). */
typedef struct {
    int target;         /* index into the database */
    int orient;         /* 0 = '+', 1 = '-' (target reverse-complemented) */
    int offset;         /* Optimal_offset: target column − query column */
    int overlap;        /* aligned columns; 0 when no placement passed min_overlap */
    double p;           /* p-value rounded to float (Tomtom stores floats); 1 when
                           overlap == 0 */
    double e;           /* E-value = p × number of targets in float arithmetic */
    double q;           /* q-value rounded to float (cm_cmp_qvalues) */
} cm_cmp_hit_t;

/* Compare one query PPM qfreq (qw × db->k, already pseudocounted) with every target.
 * Complete scores (default): steps 1–7 above.  With o->incomplete
 * (-incomplete-scores) only aligned columns count: no median shift, the raw
 * scores are quantised, a placement d scores T_d = Σ_aligned Z and has p-value
 * p_d = P(S_{a_d..b_d} >= T_d); the observed alignment is the placement with the
 * smallest p_d (ties: larger overlap, then earlier), and it is corrected for the
 * number of placements tried: p = cm_cmp_min_pvalue(p_min, n) with n = norient · n_d:
 * p_min·n when that is below 0.001, else 1 − (1 − p_min)^n; n_d = the placements
 * allowed by min_overlap / internal (Q+L−1 by default, Q+L−2m+1 with -min-overlap m,
 * |Q−L|+1 with -internal), as Tomtom 5.5.8 does it.
 * hits must hold db->n × db->norient entries; hit k*norient + o is target k,
 * orientation o.  Thread-safe (db is read-only).  Returns 0, or 1 when the
 * median-shifted scores span more than 100 so that the quantisation scale
 * floor(100 / span) is 0: every Z is then 0 and every p-value 1 (Tomtom 5.5.8 does
 * the same; it happens with the count-based distances and large nsites). */
int cm_compare_query(const cm_cmp_db_t *db, const double *qfreq, int qw,
                     const cm_cmp_opts_t *o, cm_cmp_hit_t *hits, cm_err_t *err);

/* Storey q-values over the n hits of one query (all of them, m = n), drawing from
 * rng (COMPAT.md: the stream continues from the previous query). */
void cm_cmp_qvalues(cm_cmp_hit_t *hits, size_t n, cm_mt19937_t *rng);

/* Pick the rows Tomtom prints for one query: per target the better orientation
 * (smaller p, then larger overlap, then '+'), sorted by p, then overlap desc, then
 * '+' before '-', then target id (strcmp), then database order (the order of ties in
 * the 5.5.8 and 5.4.1 reference outputs), cut at the first row whose q (or E = p·db->n with use_evalue)
 * exceeds thresh.  Writes hit indices into rows (db->n entries); returns the count. */
int cm_cmp_select(const cm_cmp_db_t *db, const cm_cmp_hit_t *hits, double thresh,
                  int use_evalue, int *rows);

/* Called once per query, in query order and never concurrently, with that query's
 * hits (db->n × db->norient, q-values filled) and its index qi in qs.  ud is the
 * caller's.  Return 0 to go on, non-zero to stop (cm_cmp_run then returns -1 with
 * the err the callback filled). */
typedef int (*cm_cmp_each_fn)(void *ud, int qi, const cm_cmp_hit_t *hits, cm_err_t *err);

/* Compare every query of qs with the database as coopmap-compare does: queries
 * pseudocounted with (bg, pseudo), compared in parallel on `threads` OpenMP threads,
 * q-values drawn from one MT19937 stream (seed 4357) in query order, then fn.  The
 * results do not depend on threads.  If nflat is not NULL it receives the number
 * of queries whose scores were flattened (cm_compare_query returned 1).  bg has db->k
 * entries.  Returns 0, or -1 (err from fn; or blic/llr asked of a K != 4 alphabet, or
 * queries with another number of letters than the database). */
int cm_cmp_run(const cm_cmp_db_t *db, const cm_motifset_t *qs, const double *bg,
               double pseudo, const cm_cmp_opts_t *o, int threads, cm_cmp_each_fn fn,
               void *ud, int *nflat, cm_err_t *err);

/* printf format (two ints: flattened queries, all queries) of the warning the tools
 * print when cm_cmp_run reports flattened queries. */
#define CM_CMP_FLAT_WARNING \
    "%d of %d queries: column scores span more than 100, so Tomtom's quantisation " \
    "scale floor(100/span) is 0 and every p-value is 1 (Tomtom 5.5.8 gives the same); " \
    "with -dist blic/llr this comes from large nsites= values (counts = nsites x " \
    "frequencies): give the motifs smaller nsites to compare them"

/* Tomtom TSV header line (with '\n'). */
void cm_cmp_write_header(FILE *fp);

/* Write the selected rows of one query (query id, consensus of its pseudocounted
 * PPM).  Numbers as %g. */
void cm_cmp_write_rows(FILE *fp, const cm_cmp_db_t *db, const char *qid, const char *qcons,
                       const cm_cmp_hit_t *hits, const int *rows, int nrows);

#endif
