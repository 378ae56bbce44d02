/* Unit tests for compare.c (Tomtom method), qvalue.c (Storey/BH) and mt19937.c.
 * Every expected number below is derived by hand in the comment next to it, except
 * the MT19937 outputs, which come from an independent Python implementation of the
 * 1998 generator (sgenrand: mt[0] = seed, mt[i] = 69069·mt[i−1]; standard twist and
 * tempering), run once to produce these constants, and test_fast_path, a round trip
 * of cm_compare_query against the plain formulation of its steps. */
#include "motif/background.h"
#include "compare/blic.h"
#include "check.h"
#include "compare/compare.h"
#include "core/mt19937.h"
#include "motif/quantise.h"
#include "stats/qvalue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_colscores(void)
{
    const double A[4] = {1, 0, 0, 0}, C[4] = {0, 1, 0, 0}, U[4] = {.25, .25, .25, .25},
                 AC[4] = {.5, .5, 0, 0};
    /* A vs C: Σ(q−t)² = 1 + 1 = 2 */
    CHECK_NEAR(cm_colscore(CM_DIST_ED, A, C), -sqrt(2), 1e-15, 0, "ed(A, C) = -sqrt 2");
    CHECK_NEAR(cm_colscore(CM_DIST_SANDELIN, A, C), 0, 1e-15, 0, "sandelin(A, C) = 2 - 2 = 0");
    /* q−¼ = (¾,−¼,−¼,−¼), t−¼ = (−¼,¾,−¼,−¼): dot = −3/16·2 + 1/16·2 = −¼; both norms² = ¾ */
    CHECK_NEAR(cm_colscore(CM_DIST_PEARSON, A, C), -1.0 / 3, 1e-15, 0, "pearson(A, C) = -1/3");
    CHECK_NEAR(cm_colscore(CM_DIST_PEARSON, A, A), 1, 1e-15, 0, "pearson(A, A) = 1");
    CHECK(cm_colscore(CM_DIST_PEARSON, U, A) == 0, "pearson with a flat column is 0");
    /* U vs AC: differences (−¼,−¼,¼,¼): Σ² = ¼ */
    CHECK_NEAR(cm_colscore(CM_DIST_ED, U, AC), -0.5, 1e-15, 0, "ed(U, AC) = -1/2");
    CHECK_NEAR(cm_colscore(CM_DIST_SANDELIN, U, AC), 1.75, 1e-15, 0, "sandelin(U, AC) = 7/4");
    CHECK(cm_colscore(CM_DIST_ED, AC, AC) == 0, "ed of identical columns is 0");
    cm_dist_t d;
    CHECK(cm_dist_parse("pearson", &d) == 0 && d == CM_DIST_PEARSON, "parse pearson");
    CHECK(cm_dist_parse("kullback", &d) == 0 && d == CM_DIST_KULLBACK, "parse kullback");
    CHECK(cm_dist_parse("allr", &d) == 0 && d == CM_DIST_ALLR, "parse allr");
    CHECK(cm_dist_parse("blic5", &d) == 0 && d == CM_DIST_BLIC5, "parse blic5");
    CHECK(cm_dist_parse("llr1", &d) == 0 && d == CM_DIST_LLR1, "parse llr1");
    CHECK(cm_dist_parse("blic", &d) == -1, "unsupported distance rejected");
    /* kullback, q = (½,¼,⅛,⅛), t uniform, L = log10 2:
     *   A: ½·L + ¼·(−L) = ¼L;  C: 0;  G, T: ⅛·(−L) + ¼·L = ⅛L each;  Σ = ½L
     *   score = −½ · ½L = −¼·log10 2 */
    const double QK[4] = {.5, .25, .125, .125};
    CHECK_NEAR(cm_colscore(CM_DIST_KULLBACK, QK, U), -0.25 * log10(2), 1e-15, 0,
               "kullback(q, uniform) = -log10(2)/4");
    CHECK(cm_colscore(CM_DIST_KULLBACK, QK, QK) == 0, "kullback of identical columns is 0");
    /* allr, same q with 10 sites, t uniform with 20 sites, uniform background:
     *   Σ 20·¼·ln(q/¼) = 5·(ln 2 + 0 − ln 2 − ln 2) = −5 ln 2;  Σ 10·q·ln(¼/¼) = 0;
     *   denominator 10 + 20 = 30  ⇒  −ln 2 / 6 */
    CHECK_NEAR(cm_colscore_allr(QK, 10, U, 20, U), -log(2) / 6, 1e-15, 0,
               "allr(q x10, uniform x20) = -ln(2)/6");
    /* allr of a column with itself: (n+n)·Σ q ln(q/b) / 2n = the relative entropy in nats:
     *   ½ln2 + 0 + ¼ln(½) = ¼ ln 2 */
    CHECK_NEAR(cm_colscore_allr(QK, 7, QK, 7, U), 0.25 * log(2), 1e-15, 0,
               "allr(q, q) = relative entropy of q in nats");
}

static void test_median(void)
{
    double s[1000];
    /* sorted 1 2 3 4: indices floor(4/2)−1 = 1 and ceil(4/2)−1 = 1 → 2 (lower median) */
    double v4[] = {4, 1, 3, 2};
    CHECK(cm_tomtom_median(v4, 4, s) == 2, "median of 4 values = 2nd smallest");
    /* sorted 1..5: indices 1 and 2 → (2 + 3) / 2 = 2.5, not the true median 3 */
    double v5[] = {5, 1, 4, 2, 3};
    CHECK(cm_tomtom_median(v5, 5, s) == 2.5, "median of 5 values = mean of 2nd and 3rd");
    double v3[] = {3, 1, 2};   /* indices 0 and 1 → 1.5 */
    CHECK(cm_tomtom_median(v3, 3, s) == 1.5, "median of 3 values = mean of 1st and 2nd");
    double v2[] = {7, 3};      /* indices 0 and 0 → 3 */
    double v1[] = {-4.5};
    CHECK(cm_tomtom_median(v1, 1, s) == -4.5, "median of one value");
    CHECK(cm_tomtom_median(v2, 2, s) == 3, "median of 2 values = smaller");
    double ties[] = {2, 2, 1, 2, 2, 1};   /* sorted 1 1 2 2 2 2, index 2 */
    CHECK(cm_tomtom_median(ties, 6, s) == 2, "median with ties");
    /* a larger shuffled case: 0..999 → index 499 */
    double *big = malloc(1000 * sizeof *big);
    for (int i = 0; i < 1000; i++) big[i] = (i * 379) % 1000;
    CHECK(cm_tomtom_median(big, 1000, s) == 499, "median of a permutation of 0..999");
    CHECK(big[0] == 0 && big[1] == 379, "input left unmodified");
    /* clustered values (most in one bucket) and a far outlier: sorted −1e9, then
     * 0.001·i for i = 0..998; index 499 is 0.001·498 */
    big[0] = -1e9;
    for (int i = 1; i < 1000; i++) big[i] = 0.001 * ((i * 379) % 999);
    CHECK(cm_tomtom_median(big, 1000, s) == 0.001 * 498, "median with an outlier");
    free(big);
}

static void test_null(void)
{
    /* Q = 2 query columns, 2 target columns: column 0 scores {0, 100}, column 1 {0, 50},
     * each value with probability ½.  Sum over both columns: 0, 50, 100, 150 each ¼. */
    int Z[4] = {0, 100, 0, 50};
    cm_cmp_null_t *nl = cm_cmp_null_build(Z, 2, 2);
    CHECK(cm_cmp_null_tail(nl, 0, 0, 0) == 1, "P(S0 >= 0) = 1");
    CHECK(cm_cmp_null_tail(nl, 0, 0, 1) == 0.5, "P(S0 >= 1) = 1/2");
    CHECK(cm_cmp_null_tail(nl, 0, 0, 100) == 0.5, "P(S0 >= 100) = 1/2");
    CHECK(cm_cmp_null_tail(nl, 0, 0, 101) == 0, "P(S0 >= 101) = 0");
    CHECK(cm_cmp_null_tail(nl, 1, 1, 51) == 0, "P(S1 >= 51) = 0");
    CHECK(cm_cmp_null_tail(nl, 0, 1, 51) == 0.5, "P(S0+S1 >= 51) = 1/2");
    CHECK(cm_cmp_null_tail(nl, 0, 1, 101) == 0.25, "P(S0+S1 >= 101) = 1/4");
    CHECK(cm_cmp_null_tail(nl, 0, 1, 150) == 0.25, "P(S0+S1 >= 150) = 1/4");
    CHECK(cm_cmp_null_tail(nl, 0, 1, 151) == 0, "P(S0+S1 >= 151) = 0");
    CHECK(cm_cmp_null_tail(nl, 0, 1, -5) == 1, "negative threshold gives 1");
    cm_cmp_null_free(nl);
}

static void test_compare_tiny(void)
{
    /* Query: one column A = (1,0,0,0).  Targets (no pseudocount): t1 = A, t2 = C.
     * Database columns (N_c = 4): A, rc(A) = T, C, rc(C) = G.
     * ed scores: 0, −√2, −√2, −√2; Tomtom median (n = 4) = 2nd smallest = −√2;
     * shifted: √2, 0, 0, 0; quantised: o = 0, σ = floor(100/√2) = 70,
     * Z = nint(√2·70) = 99, 0, 0, 0; Z0 = 0.  Null: 99 w.p. ¼, 0 w.p. ¾.
     * t1 '+': one placement (Q = L = 1), T = 99: P(S >= 99) = ¼ per placement and
     * orientation, p = 1 − (1 − ¼)² = 7/16.  t1 '−' and t2: T = 0, p = 1.
     * E = p × 2 targets. */
    cm_motif_t m[2] = {{0}};
    double fa[4] = {1, 0, 0, 0}, fc[4] = {0, 1, 0, 0};
    m[0].id = "t1", m[0].w = 1, m[0].nsites = 20, m[0].freq = fa;
    m[1].id = "t2", m[1].w = 1, m[1].nsites = 20, m[1].freq = fc;
    cm_motifset_t set = {0};
    set.n = 2, set.m = m, set.path = "mem";
    double bg[4] = {.25, .25, .25, .25};
    cm_cmp_db_t db;
    cm_err_t err = {{0}};
    CHECK(cm_cmp_db_build(&db, &set, 1, bg, 0, 0, &err) == 0, "database builds");
    CHECK(db.ncol == 4 && db.norient == 2, "N_c = 4 columns in both orientations");
    CHECK(db.col[1 * 4 + 3] == 1 && db.col[3 * 4 + 2] == 1, "rc columns complemented");
    cm_cmp_opts_t o = {CM_DIST_ED, 1, 0, 0, 0};
    cm_cmp_hit_t h[4];
    CHECK(cm_compare_query(&db, fa, 1, &o, h, &err) == 0, "compare runs");
    CHECK_NEAR(h[0].p, 7.0 / 16, 0, 0, "p(t1, +) = 1 - (3/4)^2");
    CHECK(h[0].offset == 0 && h[0].overlap == 1, "offset 0, overlap 1");
    CHECK_NEAR(h[0].e, 7.0 / 8, 0, 0, "E = p x 2 targets");
    CHECK(h[1].p == 1 && h[2].p == 1 && h[3].p == 1, "non-matching columns give p = 1");
    /* q: 4 p-values (≤ 100 ⇒ pi0 = 1): q(7/16) = min(7/16·4/1, 1·4/2, ...) = 1 */
    cm_mt19937_t rng;
    cm_mt_seed(&rng, CM_MT_DEFAULT_SEED);
    cm_cmp_qvalues(h, 4, &rng);
    CHECK(h[0].q == 1, "q capped at 1");
    int rows[2];
    CHECK(cm_cmp_select(&db, h, 1.0, 0, rows) == 2 && rows[0] == 0, "best row first");
    CHECK(cm_cmp_select(&db, h, 0.5, 1, rows) == 0, "E threshold 0.5 drops E = 0.875");

    /* -min-overlap 2 with 1-column motifs: Tomtom caps it at the shorter width (1),
     * so the hits are those of min-overlap 1 (t1 '+' at p = 7/16) */
    cm_cmp_opts_t o2 = {CM_DIST_ED, 2, 0, 0, 0};
    cm_compare_query(&db, fa, 1, &o2, h, &err);
    CHECK(h[0].overlap == 1 && fabs(h[0].p - 0.4375) < 1e-7, "min-overlap capped at the width");
    CHECK(cm_cmp_select(&db, h, 1.0, 0, rows) == 2 && rows[0] == 0, "capped: best row first");
    cm_cmp_db_free(&db);
}

static void test_incomplete(void)
{
    /* Query AC (2 columns), one target A (N_c = 2: A and its rc T), no pseudocount.
     * ed rows: A: [0, −√2], C: [−√2, −√2].
     * Complete: medians (n = 2: the smaller) −√2, −√2 → shifted A: [√2, 0], C: [0, 0];
     *   o = 0, σ = floor(100/√2) = 70 → Z A: [99, 0], C: [0, 0], Z0 = 0.
     *   '+': d = −1 aligns C with A (T = 0), d = 0 aligns A with A (T = 99) → best d = 0;
     *   p = 1 − [(1 − P(S_A ≥ 99))·(1 − P(S_C ≥ 99))]² = 1 − (½·1)² = 3/4.
     * Incomplete: raw scores, o = floor(−√2) = −2, σ = floor(100/2) = 50 →
     *   Z A: [100, nint(29.29) = 29], C: [29, 29].  '+': d = −1: P(S_C ≥ 29) = 1;
     *   d = 0: P(S_A ≥ 100) = ½ → best d = 0, p = 1 − (1 − ½)^(2·2) = 15/16. */
    cm_motif_t m = {0};
    double fa[4] = {1, 0, 0, 0}, fq[8] = {1, 0, 0, 0, 0, 1, 0, 0};
    m.id = "t", m.w = 1, m.nsites = 20, m.freq = fa;
    cm_motifset_t set = {0};
    set.n = 1, set.m = &m, set.path = "mem";
    double bg[4] = {.25, .25, .25, .25};
    cm_cmp_db_t db;
    cm_err_t err = {{0}};
    cm_cmp_db_build(&db, &set, 1, bg, 0, 0, &err);
    cm_cmp_hit_t h[2];
    cm_cmp_opts_t o = {CM_DIST_ED, 1, 0, 0, 0};
    cm_compare_query(&db, fq, 2, &o, h, &err);
    CHECK(h[0].p == 0.75 && h[0].offset == 0 && h[0].overlap == 1, "complete: p = 3/4 at offset 0");
    CHECK(h[1].p == 1, "complete: '-' (T) never scores above 0: p = 1");
    o.incomplete = 1;
    cm_compare_query(&db, fq, 2, &o, h, &err);
    CHECK(h[0].p == 15.0 / 16 && h[0].offset == 0 && h[0].overlap == 1,
          "incomplete: p = 1 - (1/2)^4 at offset 0");
    cm_cmp_db_free(&db);

    /* Query AC against target AC (N_c = 4: A, C and the rc G, T), incomplete.
     * Raw ed rows: A: [0, −√2, −√2, −√2], C: [−√2, 0, −√2, −√2]; o = −2, σ = 50 →
     * Z A: [100, 29, 29, 29], C: [29, 100, 29, 29]; each column is 100 w.p. ¼.
     * '+' d = 0 scores 200: P(S ≥ 200) = 1/16; d = ±1 score 29 with p = 1.
     * min-overlap 1: 3 placements → p = 1 − (15/16)^(2·3);
     * min-overlap 2: only d = 0 is allowed → p = 1 − (15/16)^(2·1) = 31/256. */
    m.w = 2, m.freq = fq;
    cm_cmp_db_build(&db, &set, 1, bg, 0, 0, &err);
    o.min_overlap = 1;
    cm_compare_query(&db, fq, 2, &o, h, &err);
    CHECK(h[0].p == (float)(1 - pow(15.0 / 16, 6)) && h[0].overlap == 2,
          "incomplete: corrected for 2 x 3 placements");
    o.min_overlap = 2;
    cm_compare_query(&db, fq, 2, &o, h, &err);
    CHECK(h[0].p == (float)(31.0 / 256) && h[0].overlap == 2,
          "incomplete, min-overlap 2: corrected for the 2 x 1 placements allowed");
    cm_cmp_db_free(&db);
}

/* One column score from the public functions (the query has 20 sites). */
static double plain_colscore(const cm_cmp_db_t *db, cm_dist_t dist, const double *q, size_t c)
{
    const double *t = db->col + 4 * c;
    double ns = db->colsites[c], nq[4], nt[4], lnbg[4];
    for (int a = 0; a < 4; a++) nq[a] = 20 * q[a], nt[a] = ns * t[a], lnbg[a] = log(db->bg[a]);
    int k = (dist == CM_DIST_BLIC1 || dist == CM_DIST_LLR1) ? 1 : 5;
    switch (dist) {
    case CM_DIST_ALLR: return cm_colscore_allr(q, 20, t, ns, db->bg);
    case CM_DIST_BLIC1: case CM_DIST_BLIC5:
        return cm_colscore_blic(k, nq, cm_dirichlet_selfterm(k, nq), nt, cm_dirichlet_selfterm(k, nt), lnbg);
    case CM_DIST_LLR1: case CM_DIST_LLR5:
        return cm_colscore_llr(k, nq, cm_dirichlet_selfterm(k, nq), nt, cm_dirichlet_selfterm(k, nt));
    default: return cm_colscore(dist, q, t);
    }
}

/* Steps 1–6 of compare.h written plainly (cm_colscore, cm_tomtom_median,
 * cm_quantise, cm_cmp_null_build), for the round trip in test_fast_path. */
static void plain_compare(const cm_cmp_db_t *db, const double *qf, int Q, cm_dist_t dist,
                          int min_overlap, cm_cmp_hit_t *out)
{
    size_t NC = db->ncol;
    double *S = malloc(Q * NC * sizeof *S), *scr = malloc(NC * sizeof *scr);
    for (int i = 0; i < Q; i++) {
        for (size_t c = 0; c < NC; c++) S[i * NC + c] = plain_colscore(db, dist, qf + 4 * i, c);
        double med = cm_tomtom_median(S + i * NC, NC, scr);
        for (size_t c = 0; c < NC; c++) S[i * NC + c] -= med;
    }
    int *Z = malloc(Q * NC * sizeof *Z);
    double off, sc;
    cm_quantise(S, (int)(Q * NC), 100, Z, &off, &sc);
    long Z0 = lround(-off * sc);
    cm_cmp_null_t *nl = cm_cmp_null_build(Z, Q, NC);
    for (int k = 0; k < db->n; k++)
        for (int or = 0; or < db->norient; or++) {
            int L = db->w[k];
            size_t c0 = db->first[k] + (size_t)or * L;
            long bestT = 0;
            int bestlen = 0, bestd = 0;
            for (int d = -(Q - 1); d <= L - 1; d++) {
                int a = d < 0 ? -d : 0, b = Q - 1 < L - 1 - d ? Q - 1 : L - 1 - d, len = b - a + 1;
                if (len < (min_overlap < (Q < L ? Q : L) ? min_overlap : (Q < L ? Q : L))) continue;
                long T = (long)(Q - len) * Z0;
                for (int i = a; i <= b; i++) T += Z[i * NC + c0 + i + d];
                if (bestlen == 0 || T > bestT || (T == bestT && len > bestlen))
                    bestT = T, bestlen = len, bestd = d;
            }
            cm_cmp_hit_t *h = &out[k * db->norient + or];
            h->offset = bestd, h->overlap = bestlen;
            double lg = 0;
            for (int d = -(Q - 1); d <= L - 1; d++) {
                int a = d < 0 ? -d : 0, b = Q - 1 < L - 1 - d ? Q - 1 : L - 1 - d;
                double t = cm_cmp_null_tail(nl, a, b, bestT - (long)(Q - (b - a + 1)) * Z0);
                if (t != 0) lg += log1p(-t);
            }
            h->p = bestlen ? (float)-expm1(db->norient * lg) : 1;
        }
    cm_cmp_null_free(nl);
    free(Z), free(S), free(scr);
}

/* Round trip: the optimised cm_compare_query (vectorised scores, bucketed medians,
 * fused quantisation, dense null) gives exactly the numbers of plain_compare on
 * random pseudocounted motifs (20 sites each), for every distance. */
static void test_fast_path(void)
{
    enum { NT = 40, NQ = 8 };
    cm_mt19937_t r;
    cm_mt_seed(&r, 7);
    cm_motif_t m[NT] = {{0}};
    double *f[NT];
    char id[NT][16];
    for (int k = 0; k < NT; k++) {
        int w = 3 + k % 10;   /* widths 3..12 */
        f[k] = malloc(w * 4 * sizeof(double));
        for (int i = 0; i < w; i++) {
            double t = 0;
            for (int a = 0; a < 4; a++) t += f[k][i * 4 + a] = pow(cm_mt_double(&r), 3);
            for (int a = 0; a < 4; a++) f[k][i * 4 + a] /= t;
        }
        snprintf(id[k], sizeof id[k], "t%d", k);
        m[k].id = id[k], m[k].w = w, m[k].nsites = 20, m[k].freq = f[k];
    }
    cm_motifset_t set = {0};
    set.n = NT, set.m = m, set.path = "mem";
    double bg[4] = {.3, .2, .2, .3};
    cm_cmp_db_t db;
    cm_err_t err = {{0}};
    cm_cmp_db_build(&db, &set, 1, bg, 0.1, 0, &err);
    enum { ND = 9 };
    const cm_dist_t dists[ND] = {CM_DIST_ED, CM_DIST_PEARSON, CM_DIST_SANDELIN, CM_DIST_KULLBACK,
                                 CM_DIST_ALLR, CM_DIST_BLIC1, CM_DIST_BLIC5, CM_DIST_LLR1, CM_DIST_LLR5};
    cm_cmp_hit_t fast[2 * NT], plain[2 * NT];
    int same = 1;
    for (int q = 0; q < NQ; q++) {   /* queries: the first NQ targets (widths 3..10) */
        double qf[12 * 4];
        cm_motif_pseudocount(&m[q], bg, 0.1, qf);
        for (int di = 0; di < ND; di++)
            for (int mo = 1; mo <= 4; mo += 3) {
                cm_cmp_opts_t o = {dists[di], mo, 0, 0, 0};
                cm_compare_query(&db, qf, m[q].w, &o, fast, &err);
                plain_compare(&db, qf, m[q].w, dists[di], mo, plain);
                for (int h = 0; h < 2 * NT; h++)
                    same &= fast[h].p == plain[h].p && fast[h].offset == plain[h].offset &&
                            fast[h].overlap == plain[h].overlap;
            }
    }
    CHECK(same, "cm_compare_query = the plain steps 1-6 (8 queries, 9 distances, min-overlap 1 and 4)");
    cm_cmp_db_free(&db);
    for (int k = 0; k < NT; k++) free(f[k]);
}

static void test_mt(void)
{
    cm_mt19937_t r;
    cm_mt_seed(&r, 4357);
    uint32_t want[5] = {3510405877u, 4290933890u, 2191955339u, 564929546u, 152112058u};
    int ok = 1;
    for (int i = 0; i < 5; i++) ok &= cm_mt_u32(&r) == want[i];
    CHECK(ok, "MT19937 seed 4357: first five outputs");
    uint32_t x = 0;
    for (int i = 5; i <= 623; i++) x = cm_mt_u32(&r);
    CHECK(x == 730882493u, "output 623 (end of the first block)");
    CHECK(cm_mt_u32(&r) == 2222118351u, "output 624 (after the second twist)");
    for (int i = 625; i < 999; i++) cm_mt_u32(&r);
    CHECK(cm_mt_u32(&r) == 1309179303u, "output 999");
    cm_mt_seed(&r, 4357);
    /* ((3510405877 << 32) | 4290933890) · 2^-64 */
    CHECK_NEAR(cm_mt_double(&r), 0.81733006006084874, 1e-16, 0, "double = (a<<32|b)·2^-64");
    /* the bulk form gives the same doubles, across block boundaries (624 words) */
    cm_mt19937_t r1, r2;
    cm_mt_seed(&r1, 4357);
    cm_mt_seed(&r2, 4357);
    cm_mt_u32(&r1), cm_mt_u32(&r2);          /* odd start: a pair straddles each block end */
    double bulk[1500];
    cm_mt_doubles(&r2, bulk, 7);
    cm_mt_doubles(&r2, bulk + 7, 1493);
    int same = 1;
    for (int i = 0; i < 1500; i++) same &= cm_mt_double(&r1) == bulk[i];
    CHECK(same, "cm_mt_doubles = cm_mt_double x 1500 (odd start)");
    CHECK(cm_mt_u32(&r1) == cm_mt_u32(&r2), "streams aligned afterwards");
    cm_mt19937_t a, b;
    cm_mt_seed(&a, 1);
    cm_mt_seed(&b, 2);
    CHECK(cm_mt_u32(&a) != cm_mt_u32(&b), "different seeds, different streams");
}

static void test_qvalues(void)
{
    /* BH over m = 4: sorted .01 .03 .04 .2 → p·4/r = .04 .06 .0533 .2 → running minimum
     * from the top: .04 .05333 .05333 .2 */
    double p[4] = {0.01, 0.04, 0.03, 0.2}, q[4];
    cm_bh_qvalues(p, 4, 4, q);
    CHECK_NEAR(q[0], 0.04, 1e-15, 0, "BH q(.01)");
    CHECK_NEAR(q[1], 0.16 / 3, 1e-15, 0, "BH q(.04)");
    CHECK_NEAR(q[2], 0.16 / 3, 1e-15, 0, "BH q(.03) lowered by the next rank");
    CHECK_NEAR(q[3], 0.2, 1e-15, 0, "BH q(.2)");
    /* more tests than stored: m = 8 doubles every q (capped at 1) */
    cm_bh_qvalues(p, 4, 8, q);
    CHECK_NEAR(q[0], 0.08, 1e-15, 0, "BH with m > n");

    cm_mt19937_t r, r0;
    cm_mt_seed(&r, 4357);
    r0 = r;
    CHECK(cm_storey_pi0(p, 4, &r) == 1, "pi0 = 1 for <= 100 p-values");
    CHECK(memcmp(&r, &r0, sizeof r) == 0, "and no random numbers drawn");

    /* 500 p-values of 1e-6 and 500 of 1: pi0(λ) = 500/((1−λ)·1000) is smallest at
     * λ = 0.005, and every bootstrap curve is c/(1000(1−λ)), closest to that minimum
     * at λ = 0.005 too, so pi0 = 0.5/0.995. */
    double *pp = malloc(1000 * sizeof *pp), *qq = malloc(1000 * sizeof *qq);
    for (int i = 0; i < 1000; i++) pp[i] = i % 2 ? 1.0 : 1e-6;
    double pi0 = cm_storey_qvalues(pp, 1000, &r, qq);
    CHECK_NEAR(pi0, 0.5 / 0.995, 1e-15, 0, "Storey pi0 on a two-point sample");
    /* q of the 1e-6 values: pi0·1e-6·1000/500 (ties take the last rank's value) */
    CHECK_NEAR(qq[0], 0.5 / 0.995 * 1e-6 * 1000 / 500, 1e-20, 1e-12, "Storey q of tied small p");
    CHECK_NEAR(qq[1], 0.5 / 0.995, 1e-15, 0, "Storey q of p = 1 is pi0");
    for (int i = 0; i < 1000; i++) pp[i] = 1.0;
    CHECK(cm_storey_pi0(pp, 1000, &r) == 1, "pi0 > 1 clamped to 1");

    /* monotonicity: q is non-decreasing in p on a random sample */
    cm_mt_seed(&r, 99);
    for (int i = 0; i < 1000; i++) pp[i] = pow(cm_mt_double(&r), 3);
    cm_storey_qvalues(pp, 1000, &r, qq);
    int mono = 1, bounded = 1;
    for (int i = 0; i < 1000; i++)
        for (int j = 0; j < 1000; j += 7) {
            if (pp[i] < pp[j] && qq[i] > qq[j]) mono = 0;
            if (qq[i] < 0 || qq[i] > 1) bounded = 0;
        }
    CHECK(mono, "Storey q-values monotone in p");
    CHECK(bounded, "q-values in [0, 1]");
    free(pp);
    free(qq);

    /* reservoir: no more than cap values, exact when the stream is shorter */
    cm_reservoir_t res;
    cm_reservoir_init(&res, 10);
    for (int i = 0; i < 5; i++) cm_reservoir_add(&res, i, &r);
    CHECK(res.n == 5 && res.v[4] == 4, "short stream kept whole");
    for (int i = 5; i < 1000; i++) cm_reservoir_add(&res, i, &r);
    CHECK(res.n == 10 && res.seen == 1000, "reservoir capped");
    cm_reservoir_free(&res);
}

/* Issue 12: Tomtom 5.5.8's pearson rounding, -incomplete-scores correction and
 * consensus tie rule (compare.h: cm_round14, cm_cmp_min_pvalue, cm_cmp_consensus). */
static void test_tomtom_rules(void)
{
    /* cm_round14 = printf("%.13e") read back, on values of every magnitude */
    CHECK(cm_round14(0.22500000000000003) == 0.225, "round14: 0.22500000000000003 -> 0.225");
    CHECK(cm_round14(0.13500000000000001) == 0.135, "round14: 0.13500000000000001 -> 0.135");
    CHECK(cm_round14(-0.123456789012345678) == -0.12345678901235, "round14 of a negative");
    CHECK(cm_round14(0) == 0 && cm_round14(1e-12 / 3) == 3.3333333333333e-13,
          "round14: 0, and a value below 1e-9 (string path)");
    cm_mt19937_t r;
    cm_mt_seed(&r, 12);
    int same = 1;
    for (int i = 0; i < 200000; i++) {
        double x = (cm_mt_double(&r) - 0.5) * pow(10, -(int)(cm_mt_double(&r) * 12)), y;
        char buf[40];
        snprintf(buf, sizeof buf, "%.13e", x);
        y = strtod(buf, NULL);
        same &= cm_round14(x) == y;
    }
    CHECK(same, "round14 = printf %.13e on 200000 random values (1e-12 .. 0.5)");
    /* pearson of q = (0, 0, 1/4, 3/4) and t = (.1, .1, .25, .55): x = (−¼, −¼, 0, ½),
     * y = (−.15, −.15, 0, .3) = 0.6·x, so the correlation is exactly 1.  Unrounded
     * doubles: num = 0.22500000000000003, Σx² = 0.375, Σy² = 0.13500000000000001,
     * num/sqrt(0.375·0.135…01) = 1.0000000000000002.  Tomtom's rounding (after each
     * letter; the intermediate sums 0.0625, 0.125, 0.125 and 0.0375, 0.075, 0.075 are
     * already 14-digit) gives num = 0.225 and Σy² = 0.135, and the score 1 exactly. */
    double q[4] = {0, 0, 0.25, 0.75}, t[4] = {0.10, 0.10, 0.25, 0.55};
    double sp = 0, qq = 0, tt = 0;
    for (int a = 0; a < 4; a++) {
        sp += (q[a] - 0.25) * (t[a] - 0.25);
        qq += (q[a] - 0.25) * (q[a] - 0.25);
        tt += (t[a] - 0.25) * (t[a] - 0.25);
    }
    CHECK(sp / sqrt(qq * tt) == 1.0000000000000002, "unrounded pearson is 1 + 2^-52");
    CHECK(cm_colscore(CM_DIST_PEARSON, q, t) == 1, "rounded pearson is exactly 1");
    /* EV: p·n below 0.001, else 1 − (1 − p)^n */
    CHECK(cm_cmp_min_pvalue(1e-4, 2) == 2e-4, "min p: 1e-4 x 2 = 2e-4 (not 1.9999e-4)");
    CHECK_NEAR(cm_cmp_min_pvalue(0.01, 2), 0.0199, 1e-17, 0, "min p: 1 - 0.99^2 = 0.0199");
    CHECK(cm_cmp_min_pvalue(1, 5) == 1, "min p of 1 is 1");
    /* consensus: the running maximum is a float.  0.1 0.3 0.3 0.3: (float)0.3 =
     * 0.30000001192… > 0.3, so G and T do not compare greater: C.  0.15 0.35 0.35 0.15:
     * (float)0.35 = 0.34999999403… < 0.35, so G compares greater than C's float: G.
     * 0.25 × 4: (float)0.25 is exact: A. */
    double f[12] = {0.1, 0.3, 0.3, 0.3, 0.15, 0.35, 0.35, 0.15, 0.25, 0.25, 0.25, 0.25};
    char cons[4];
    cm_cmp_consensus(f, 3, cons);
    CHECK(strcmp(cons, "CGA") == 0, "consensus ties: 0.3 -> first (C), 0.35 -> second (G), 0.25 -> A");
}

int main(void)
{
    test_tomtom_rules();
    test_colscores();
    test_median();
    test_null();
    test_compare_tiny();
    test_incomplete();
    test_fast_path();
    test_mt();
    test_qvalues();
    return check_status();
}
