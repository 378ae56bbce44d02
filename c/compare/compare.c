/* compare.c — see compare.h (Gupta et al. 2007; COMPAT.md "Tomtom comparison"). */
#include "compare/compare.h"
#include "motif/background.h"
#include "compare/blic.h"
#include "stats/qvalue.h"

#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define QRANGE 100  /* quantisation range of column scores */

int cm_dist_parse(const char *name, cm_dist_t *d)
{
    if (strcmp(name, "ed") == 0) *d = CM_DIST_ED;
    else if (strcmp(name, "pearson") == 0) *d = CM_DIST_PEARSON;
    else if (strcmp(name, "sandelin") == 0) *d = CM_DIST_SANDELIN;
    else if (strcmp(name, "kullback") == 0) *d = CM_DIST_KULLBACK;
    else if (strcmp(name, "allr") == 0) *d = CM_DIST_ALLR;
    else if (strcmp(name, "blic1") == 0) *d = CM_DIST_BLIC1;
    else if (strcmp(name, "blic5") == 0) *d = CM_DIST_BLIC5;
    else if (strcmp(name, "llr1") == 0) *d = CM_DIST_LLR1;
    else if (strcmp(name, "llr5") == 0) *d = CM_DIST_LLR5;
    else return -1;
    return 0;
}

int cm_dist_uses_counts(cm_dist_t d)
{
    return d == CM_DIST_ALLR || d == CM_DIST_BLIC1 || d == CM_DIST_BLIC5 ||
           d == CM_DIST_LLR1 || d == CM_DIST_LLR5;
}

/* 10^k for k = 0..22, all exact doubles. */
static const double pow10_exact[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The slow, obviously right form of cm_round14: through the decimal string. */
static __attribute__((noinline, cold)) double round14_printf(double x)
{
    if (x == 0 || !isfinite(x)) return x;
    char buf[40];
    snprintf(buf, sizeof buf, "%.13e", x);
    return strtod(buf, NULL);
}

/* 10^j for j = −10..14 (index j + 10), the nearest doubles: thresholds only. */
static const double pow10_near[25] = {
    1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2,
    1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14};

/* cm_round14, inlined into the pearson loops.  The exact product ax·10^k = p + r is
 * Dekker's two-product (Veltkamp split of both factors into 26-bit halves), so it
 * needs no fma instruction and no call. */
static inline double round14(double x)
{
    double ax = fabs(x);
    if (!(ax >= 1e-9 && ax < 1e14)) return round14_printf(x);   /* 0, NaN, inf, far */
    /* decimal exponent e = floor(log10 ax): floor(e2·log10 2) (1233/4096) or one
     * more, from the binary exponent e2; the product check below settles the rest */
    uint64_t bits;
    memcpy(&bits, &ax, sizeof bits);
    int e2 = (int)((bits >> 52) & 0x7ff) - 1023;
    int e = e2 >= 0 ? (e2 * 1233) >> 12 : -((-e2 * 1233 + 4095) >> 12);
    e += ax >= pow10_near[e + 11];
    int k = 13 - e;                    /* 0..22: 10^k exact */
    double sc = pow10_exact[k], p = ax * sc;
    if (p < 1e13 || p >= 1e14) return round14_printf(x);   /* at a power of ten */
    const double split = 134217729.0;  /* 2^27 + 1 */
    double ca = split * ax, ah = ca - (ca - ax), al = ax - ah;
    double cs = split * sc, sh = cs - (cs - sc), sl = sc - sh;
    double r = ((ah * sh - p) + ah * sl + al * sh) + al * sl;   /* ax·sc − p, exact */
    /* n = the nearest integer of the exact product p + r, ties to even (as printf
     * rounds a decimal tie) */
    double n = (double)(int64_t)p, f = p - n;   /* n = floor p; f exact */
    double g = (f - 0.5) + r;   /* f − 0.5 is exact (p >= 2^43), so g has the sign
                                   of the exact fraction − 1/2 */
    if (g > 0 || (g == 0 && ((int64_t)n & 1))) n += 1;
    double y = n / sc;          /* n, sc exact: the double nearest n·10^−k */
    return x < 0 ? -y : y;
}

double cm_round14(double x)
{
    return round14(x);
}

/* Σ_a (c_a − 1/4)², the running sum rounded by cm_round14 after each letter (the
 * pearson denominators, as Tomtom 5.5.8 forms them). */
static double pearson_norm(const double *c)
{
    double s = 0;
    for (int a = 0; a < 4; a++) s = round14(s + (c[a] - 0.25) * (c[a] - 0.25));
    return s;
}

/* pearson from the centred query column x[4], its norm qn, the target column and its
 * norm tn (pearson_norm): numerator summed letter by letter, rounded after each. */
static inline double pearson_core(const double *x, double qn, double t0, double t1, double t2,
                                  double t3, double tn)
{
    double s = round14(x[0] * (t0 - 0.25));
    s = round14(s + x[1] * (t1 - 0.25));
    s = round14(s + x[2] * (t2 - 0.25));
    s = round14(s + x[3] * (t3 - 0.25));
    double den = sqrt(qn * tn);
    return den != 0 ? s / den : 0;
}

void cm_cmp_consensus(const double *freq, int w, char *out)
{
    for (int i = 0; i < w; i++) {
        float mx = 0;     /* Tomtom's running maximum is a float ... */
        int best = 0;
        for (int a = 0; a < 4; a++)
            if (freq[i * 4 + a] > (double)mx)   /* ... compared with the double entry */
                mx = (float)freq[i * 4 + a], best = a;
        out[i] = "ACGT"[best];
    }
    out[w] = 0;
}

void cm_cmp_consensus_alph(const cm_alph_t *al, const double *freq, int w, char *out)
{
    int K = al->k;
    for (int i = 0; i < w; i++) {
        float mx = 0;
        int best = 0;
        for (int a = 0; a < K; a++)
            if (freq[(size_t)i * K + a] > (double)mx)
                mx = (float)freq[(size_t)i * K + a], best = a;
        out[i] = al->core[best];
    }
    out[w] = 0;
}

/* Σ_a (c_a − 1/K)², rounded after each letter (pearson_norm for K letters). */
static double pearson_norm_k(const double *c, int K)
{
    double s = 0, u = 1.0 / K;
    for (int a = 0; a < K; a++) s = round14(s + (c[a] - u) * (c[a] - u));
    return s;
}

double cm_colscore_k(cm_dist_t d, int K, const double *q, const double *t, double nq,
                     double nt, const double *bg)
{
    double s = 0;
    switch (d) {
    case CM_DIST_ED:
        for (int a = 0; a < K; a++) s += (q[a] - t[a]) * (q[a] - t[a]);
        return -sqrt(s);
    case CM_DIST_SANDELIN:
        for (int a = 0; a < K; a++) s += (q[a] - t[a]) * (q[a] - t[a]);
        return 2 - s;
    case CM_DIST_PEARSON: {
        double u = 1.0 / K, qn = pearson_norm_k(q, K), tn = pearson_norm_k(t, K);
        for (int a = 0; a < K; a++) s = round14(s + (q[a] - u) * (t[a] - u));
        double den = sqrt(qn * tn);
        return den != 0 ? s / den : 0;
    }
    case CM_DIST_KULLBACK:
        for (int a = 0; a < K; a++)
            if (q[a] != t[a]) s += (q[a] - t[a]) * (log10(q[a]) - log10(t[a]));
        return -0.5 * s;
    case CM_DIST_ALLR: {
        double num = 0, den = 0;
        for (int a = 0; a < K; a++) {
            if (t[a] > 0) num += nt * t[a] * log(q[a] / bg[a]);
            if (q[a] > 0) num += nq * q[a] * log(t[a] / bg[a]);
            den += nq * q[a] + nt * t[a];
        }
        return den > 0 ? num / den : 0;
    }
    default:   /* blic/llr: 4 letters only (refused by cm_cmp_run) */
        return 0;
    }
}

double cm_colscore(cm_dist_t d, const double *q, const double *t)
{
    double s = 0;
    switch (d) {
    case CM_DIST_ED:
        for (int a = 0; a < 4; a++) s += (q[a] - t[a]) * (q[a] - t[a]);
        return -sqrt(s);
    case CM_DIST_SANDELIN:
        for (int a = 0; a < 4; a++) s += (q[a] - t[a]) * (q[a] - t[a]);
        return 2 - s;
    case CM_DIST_PEARSON: {
        double x[4] = {q[0] - 0.25, q[1] - 0.25, q[2] - 0.25, q[3] - 0.25};
        return pearson_core(x, pearson_norm(q), t[0], t[1], t[2], t[3], pearson_norm(t));
    }
    case CM_DIST_KULLBACK:   /* q·log(q/t) + t·log(t/q) = (q − t)·(log q − log t) */
        for (int a = 0; a < 4; a++)
            if (q[a] != t[a]) s += (q[a] - t[a]) * (log10(q[a]) - log10(t[a]));
        return -0.5 * s;
    default:   /* count-based */
        return 0;
    }
}

/* ALLR from the columns and their precomputed log(x/b) (lq, lt); the arithmetic of
 * cm_colscore_allr. */
static inline double allr_core(const double *q, const double *lq, double nq, double t0,
                               double t1, double t2, double t3, const double *lt, double nt)
{
    double t[4] = {t0, t1, t2, t3}, num = 0, den = 0;
    for (int a = 0; a < 4; a++) {
        if (t[a] > 0) num += nt * t[a] * lq[a];
        if (q[a] > 0) num += nq * q[a] * lt[a];
        den += nq * q[a] + nt * t[a];
    }
    return den > 0 ? num / den : 0;
}

double cm_colscore_allr(const double *q, double nq, const double *t, double nt,
                        const double *bg)
{
    double lq[4], lt[4];
    for (int a = 0; a < 4; a++) lq[a] = log(q[a] / bg[a]), lt[a] = log(t[a] / bg[a]);
    return allr_core(q, lq, nq, t[0], t[1], t[2], t[3], lt, nt);
}

/* Quickselect (Hoare partition): reorder v so that v[k] is the k-th smallest, with
 * v[0..k-1] <= v[k] <= v[k+1..n-1]. */
static void select_kth(double *v, long n, long k)
{
    long lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                double t = v[i]; v[i] = v[j]; v[j] = t;
                i++, j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return;   /* v[j+1..i-1] all equal the pivot */
    }
}

/* The r-th smallest (0-based) of v[0..n-1], whose minimum and maximum are mn and mx,
 * without modifying v: bucket the values by a monotone map of their range, then
 * quickselect inside the one bucket holding rank r (buf: n doubles of scratch).
 * Same element as a full sort would give. */
static double rank_select_mm(const double *v, size_t n, size_t r, double mn, double mx,
                             double *buf, unsigned short *bk)
{
    enum { NB = 4096 };
    if (mn == mx) return mn;
    double sc = (NB - 1) / (mx - mn);
    #pragma omp simd
    for (size_t j = 0; j < n; j++) bk[j] = (unsigned short)(int)((v[j] - mn) * sc);   /* 0..NB−1 */
    size_t cnt[NB] = {0}, cnt2[NB] = {0};   /* two tables: fewer store-to-load stalls */
    size_t i = 0;
    for (; i + 2 <= n; i += 2) cnt[bk[i]]++, cnt2[bk[i + 1]]++;
    for (; i < n; i++) cnt[bk[i]]++;
    for (int b = 0; b < NB; b++) cnt[b] += cnt2[b];
    size_t below = 0;
    unsigned short b = 0;
    while (below + cnt[b] <= r) below += cnt[b++];
    /* bucket b holds the values x with b <= (x − mn)·sc < b + 1 */
    size_t m = 0;
    for (i = 0; i < n; i++)
        if (bk[i] == b) buf[m++] = v[i];
    select_kth(buf, (long)m, (long)(r - below));
    return buf[r - below];
}

/* cm_tomtom_median of v[0..n-1] given its minimum mn and maximum mx (scratch: n
 * doubles, bk: n unsigned shorts). */
static double tomtom_median_mm(const double *v, size_t n, double mn, double mx, double *scratch,
                               unsigned short *bk)
{
    if (n == 1) return v[0];
    size_t i1 = n / 2 - 1, i2 = (n + 1) / 2 - 1;   /* floor(n/2)−1, ceil(n/2)−1 */
    double x = rank_select_mm(v, n, i1, mn, mx, scratch, bk);
    if (i2 != i1) x = (x + rank_select_mm(v, n, i2, mn, mx, scratch, bk)) / 2;
    return x;
}

double cm_tomtom_median(const double *v, size_t n, double *scratch)
{
    double mn = v[0], mx = v[0];
    for (size_t i = 1; i < n; i++) {
        if (v[i] < mn) mn = v[i];
        if (v[i] > mx) mx = v[i];
    }
    unsigned short *bk = cm_malloc(n * sizeof *bk);
    double x = tomtom_median_mm(v, n, mn, mx, scratch, bk);
    free(bk);
    return x;
}

void cm_query_bg(const cm_motifset_t *qs, double bg[4])
{
    if (qs->alph.k > 0 && qs->alph.k != 4) {   /* only 4 entries fit: see cm_query_bg_alph */
        for (int a = 0; a < 4; a++) bg[a] = 0.25;
        return;
    }
    for (int a = 0; a < 4; a++) bg[a] = qs->has_bg ? qs->bg[a] : 0.25;
    cm_bg_finish_alph(qs->alph.k > 0 ? &qs->alph : NULL, bg, 1);
}

void cm_query_bg_alph(const cm_motifset_t *qs, double *bg)
{
    int K = qs->alph.k > 0 ? qs->alph.k : 4;
    for (int a = 0; a < K; a++) bg[a] = qs->has_bg ? qs->bg[a] : (K == 4 ? 0.25 : 1.0 / K);
    cm_bg_finish_alph(qs->alph.k > 0 ? &qs->alph : NULL, bg, 1);
}

int cm_cmp_db_build(cm_cmp_db_t *db, const cm_motifset_t *sets, int nsets,
                    const double bg[4], double pseudo, int norc, cm_err_t *err)
{
    cm_alph_t dna;
    const cm_alph_t *al = nsets > 0 && sets[0].alph.k > 0 ? &sets[0].alph : NULL;
    if (!al) { cm_alph_dna(&dna); al = &dna; }
    if (al->k != 4) {
        memset(db, 0, sizeof *db);
        return cm_fail(err, "%s: alphabet %s has %d letters; this comparison takes 4-letter "
                       "(DNA, RNA) motifs only (coopmap-compare takes any alphabet)",
                       sets[0].path, al->name, al->k);
    }
    return cm_cmp_db_build_alph(db, sets, nsets, al, bg, pseudo, norc, 0, err);
}

/* Target motif m (alphabet from) converted to alphabet to (Tomtom -xalph, MEME's
 * convert_matrix_alphabet): each core letter's column moves to that letter's index in
 * to (idx), letters to lacks are 0, and each row is divided by its sum unless that is
 * exactly 1 (normalize_subarray with tolerance 0).  Returns the w × to->k matrix. */
static double *convert_freq(const cm_motif_t *m, const cm_alph_t *from, const cm_alph_t *to,
                            const int *idx)
{
    int K = to->k, F = from->k;
    double *f = cm_calloc((size_t)m->w * K, sizeof *f);
    for (int i = 0; i < m->w; i++) {
        double *row = f + (size_t)i * K, t = 0;
        for (int a = 0; a < F; a++) row[idx[a]] = m->freq[(size_t)i * F + a];
        for (int a = 0; a < K; a++) t += row[a];
        if (t != 1.0 && t > 0)
            for (int a = 0; a < K; a++) row[a] /= t;
    }
    return f;
}

int cm_cmp_db_build_alph(cm_cmp_db_t *db, const cm_motifset_t *sets, int nsets,
                         const cm_alph_t *qalph, const double *bg, double pseudo, int norc,
                         int xalph, cm_err_t *err)
{
    memset(db, 0, sizeof *db);
    int n = 0;
    size_t cols = 0;
    for (int s = 0; s < nsets; s++) {
        n += sets[s].n;
        for (int k = 0; k < sets[s].n; k++) cols += sets[s].m[k].w;
    }
    if (n == 0) return cm_fail(err, "%s: no target motifs", nsets ? sets[0].path : "targets");
    /* alphabets: equal to the query's, or (xalph) converted to it */
    int conv[64] = {0}, *idx = cm_calloc((size_t)(nsets ? nsets : 1) * CM_ALPH_MAX, sizeof *idx);
    for (int s = 0; s < nsets && s < 64; s++) {
        const cm_alph_t *ta = &sets[s].alph;
        if (ta->k <= 0 || cm_alph_equal(ta, qalph)) continue;
        if (!xalph) {
            free(idx);
            return cm_fail(err, "%s: the motifs are in the %s alphabet (%s) but the query motifs in %s (%s); "
                           "give --xalph to convert the targets to the query alphabet",
                           sets[s].path, ta->name, ta->core, qalph->name, qalph->core);
        }
        int sub = cm_alph_core_subset(ta, qalph, idx + (size_t)s * CM_ALPH_MAX);
        if (sub == 0) {
            free(idx);
            return cm_fail(err, "%s: the motifs have the '%s' alphabet (%s), which is not a subset of the "
                           "query's '%s' alphabet (%s), so --xalph cannot convert them",
                           sets[s].path, ta->name, ta->core, qalph->name, qalph->core);
        }
        if (sub < 0) db->xalph_warn = 1;
        conv[s] = 1;
    }
    if (nsets > 64) {
        for (int s = 64; s < nsets; s++)
            if (sets[s].alph.k > 0 && !cm_alph_equal(&sets[s].alph, qalph)) {
                free(idx);
                return cm_fail(err, "%s: more than 64 target files with converted alphabets", sets[s].path);
            }
    }
    int K = qalph->k;
    db->k = K;
    db->alph = *qalph;
    db->n = n;
    db->norient = norc || !qalph->complementable ? 1 : 2;
    db->ncol = cols * db->norient;
    /* columns of every motif (and its reverse complement) over the query's K letters;
     * DNA consensus strings through Tomtom's own tie rule (cm_cmp_consensus) */
    int dnacons = cm_alph_is_dna(qalph);
    db->col = cm_malloc(db->ncol * (size_t)K * sizeof(double));
    db->w = cm_malloc(n * sizeof(int));
    db->first = cm_malloc(n * sizeof(size_t));
    db->m = cm_malloc(n * sizeof *db->m);
    db->cons = cm_calloc((size_t)n * db->norient, sizeof(char *));
    db->nsites = cm_malloc(n * sizeof(double));
    memcpy(db->bg, bg, (size_t)K * sizeof *bg);
    size_t c = 0;
    int t = 0;
    for (int s = 0; s < nsets; s++)
        for (int k = 0; k < sets[s].n; k++, t++) {
            const cm_motif_t *m = &sets[s].m[k];
            int w = m->w;
            db->m[t] = m;
            db->w[t] = w;
            db->first[t] = c;
            db->nsites[t] = m->nsites;
            double *f = db->col + c * K;
            if (s < 64 && conv[s]) {
                cm_motif_t cm = *m;
                cm.freq = convert_freq(m, &sets[s].alph, qalph, idx + (size_t)s * CM_ALPH_MAX);
                cm.k = K;
                cm_motif_pseudocount(&cm, bg, pseudo, f);
                free(cm.freq);
            } else {
                cm_motif_pseudocount(m, bg, pseudo, f);
            }
            db->cons[t * db->norient] = cm_malloc(w + 1);
            if (dnacons) cm_cmp_consensus(f, w, db->cons[t * db->norient]);
            else cm_cmp_consensus_alph(qalph, f, w, db->cons[t * db->norient]);
            c += w;
            if (db->norient == 2) {
                double *r = db->col + c * K;
                for (int i = 0; i < w; i++)
                    for (int a = 0; a < K; a++) {
                        int ca = qalph->comp[a] >= 0 ? qalph->comp[a] : a;
                        r[(size_t)i * K + a] = f[(size_t)(w - 1 - i) * K + ca];
                    }
                db->cons[t * 2 + 1] = cm_malloc(w + 1);
                if (dnacons) cm_cmp_consensus(r, w, db->cons[t * 2 + 1]);
                else cm_cmp_consensus_alph(qalph, r, w, db->cons[t * 2 + 1]);
                c += w;
            }
        }
    if (K != 4) {   /* the general-K scorer reads db->col directly */
        db->colsites = cm_malloc(db->ncol * sizeof(double));
        for (int k = 0; k < n; k++)
            for (size_t j = 0; j < (size_t)db->w[k] * db->norient; j++)
                db->colsites[db->first[k] + j] = db->nsites[k];
        free(idx);
        return 0;
    }
    /* letter-major copies for the column-score loops (and per-column extras) */
    size_t NC = db->ncol;
    db->soa = cm_malloc(NC * 4 * sizeof(double));
    db->colnorm = cm_malloc(NC * sizeof(double));
    db->colsites = cm_malloc(NC * sizeof(double));
    for (int k = 0; k < n; k++)
        for (size_t j = 0; j < (size_t)db->w[k] * db->norient; j++)
            db->colsites[db->first[k] + j] = db->nsites[k];
    db->l10 = cm_malloc(NC * 4 * sizeof(double));
    db->lnb = cm_malloc(NC * 4 * sizeof(double));
    db->cnt = cm_malloc(NC * 4 * sizeof(double));
    db->self1 = cm_malloc(NC * sizeof(double));
    db->self5 = cm_malloc(NC * sizeof(double));
    for (int a = 0; a < 4; a++) db->lnbg[a] = log(bg[a]);
    for (size_t j = 0; j < NC; j++) {
        double n[4];
        for (int a = 0; a < 4; a++) {
            db->l10[a * NC + j] = log10(db->col[j * 4 + a]);
            db->lnb[a * NC + j] = log(db->col[j * 4 + a] / bg[a]);
            db->soa[a * NC + j] = db->col[j * 4 + a];
            n[a] = db->cnt[a * NC + j] = db->colsites[j] * db->col[j * 4 + a];
        }
        db->colnorm[j] = pearson_norm(db->col + j * 4);
        db->self1[j] = cm_dirichlet_selfterm(1, n);
        db->self5[j] = cm_dirichlet_selfterm(5, n);
    }
    free(idx);
    return 0;
}

void cm_cmp_db_free(cm_cmp_db_t *db)
{
    if (!db) return;
    if (db->cons)
        for (int i = 0; i < db->n * db->norient; i++) free(db->cons[i]);
    free(db->cons);
    free(db->col);
    free(db->soa);
    free(db->colnorm);
    free(db->l10);
    free(db->lnb);
    free(db->colsites);
    free(db->cnt);
    free(db->self1);
    free(db->self5);
    free(db->nsites);
    free(db->w);
    free(db->first);
    free(db->m);
    memset(db, 0, sizeof *db);
}

/* Survival functions P(S_{a..b} >= x) of every sub-range sum of the query columns'
 * null scores, stored over the sum's support lo..hi only (below lo the survival is
 * the total mass, above hi it is 0). */
struct cm_cmp_null_s {
    int Q;
    double **tail;   /* Q × Q, tail[a*Q+b] for a <= b: tail[..][x − lo] */
    int *lo, *hi;    /* Q × Q support bounds */
};

/* Null from per-column histograms: column i takes value v (0..QRANGE) with
 * probability cnt[i][v] / NC.  The convolution adds, into every sum value y, the
 * terms pmf[x]·P(v = y − x) in ascending x, exactly as a sparse convolution over the
 * distinct values would (the extra terms are +0), so the numbers do not depend on
 * which of the two forms is used. */
static cm_cmp_null_t *null_from_hist(const unsigned *cnt, int Q, size_t NC)
{
    cm_cmp_null_t *nl = cm_calloc(1, sizeof *nl);
    nl->Q = Q;
    nl->tail = cm_calloc((size_t)Q * Q, sizeof(double *));
    nl->lo = cm_calloc((size_t)Q * Q, sizeof(int));
    nl->hi = cm_calloc((size_t)Q * Q, sizeof(int));
    int *vmin = cm_malloc(Q * sizeof(int)), *vmax = cm_malloc(Q * sizeof(int));
    double *kern = cm_calloc((size_t)Q * (QRANGE + 1), sizeof(double));
    for (int i = 0; i < Q; i++) {
        const unsigned *h = cnt + (size_t)i * (QRANGE + 1);
        vmin[i] = QRANGE, vmax[i] = 0;
        for (int v = 0; v <= QRANGE; v++)
            if (h[v]) {
                if (v < vmin[i]) vmin[i] = v;
                vmax[i] = v;
            }
        for (int v = vmin[i]; v <= vmax[i]; v++)
            kern[i * (QRANGE + 1) + v - vmin[i]] = h[v] ? (double)h[v] / (double)NC : 0.0;
    }
    double *pmf = cm_malloc(((size_t)QRANGE * Q + 1) * sizeof(double));
    double *nxt = cm_malloc(((size_t)QRANGE * Q + 1) * sizeof(double));
    for (int a = 0; a < Q; a++) {
        int lo = 0, hi = 0;
        pmf[0] = 1;
        for (int b = a; b < Q; b++) {
            int nlo = lo + vmin[b], nhi = hi + vmax[b], kw = vmax[b] - vmin[b] + 1;
            memset(nxt + nlo, 0, (size_t)(nhi - nlo + 1) * sizeof(double));
            const double *restrict k = kern + b * (QRANGE + 1);
            for (int x = lo; x <= hi; x++) {
                double px = pmf[x];
                if (px == 0) continue;
                double *restrict dst = nxt + x + vmin[b];
                #pragma omp simd
                for (int j = 0; j < kw; j++) dst[j] += px * k[j];   /* lanes independent */
            }
            lo = nlo, hi = nhi;
            double *t = cm_malloc((size_t)(hi - lo + 1) * sizeof(double));
            double acc = 0;
            for (int x = hi; x >= lo; x--) {
                acc += nxt[x];
                t[x - lo] = acc;
            }
            nl->tail[a * Q + b] = t;
            nl->lo[a * Q + b] = lo;
            nl->hi[a * Q + b] = hi;
            double *sw = pmf; pmf = nxt; nxt = sw;
        }
    }
    free(pmf);
    free(nxt);
    free(kern);
    free(vmin);
    free(vmax);
    return nl;
}

cm_cmp_null_t *cm_cmp_null_build(const int *Z, int Q, size_t NC)
{
    unsigned *cnt = cm_calloc((size_t)Q * (QRANGE + 1), sizeof(unsigned));
    for (int i = 0; i < Q; i++)
        for (size_t c = 0; c < NC; c++) cnt[(size_t)i * (QRANGE + 1) + Z[i * NC + c]]++;
    cm_cmp_null_t *nl = null_from_hist(cnt, Q, NC);
    free(cnt);
    return nl;
}

static inline double null_tail(const cm_cmp_null_t *nl, int ab, long x)
{
    if (x <= 0) return 1;
    if (x > nl->hi[ab]) return 0;
    long lo = nl->lo[ab];
    double t = nl->tail[ab][x < lo ? 0 : x - lo];
    return t < 1 ? t : 1;   /* rounding can push a sum of probabilities past 1 */
}

double cm_cmp_null_tail(const cm_cmp_null_t *nl, int a, int b, long x)
{
    return null_tail(nl, a * nl->Q + b, x);
}

void cm_cmp_null_free(cm_cmp_null_t *nl)
{
    if (!nl) return;
    for (int i = 0; i < nl->Q * nl->Q; i++) free(nl->tail[i]);
    free(nl->tail);
    free(nl->lo);
    free(nl->hi);
    free(nl);
}

/* Scores of query column q[4] against every database column into row[0..NC-1], with
 * the same arithmetic as cm_colscore (so the same numbers); returns min and max. */
static void score_row(const cm_cmp_db_t *db, cm_dist_t dist, const double *q, double qn,
                      double *restrict row, double *mn, double *mx)
{
    size_t NC = db->ncol;
    if (db->k != 4) {   /* other alphabets: the plain K-letter formulas (cm_colscore_k) */
        int K = db->k;
        for (size_t c = 0; c < NC; c++)
            row[c] = cm_colscore_k(dist, K, q, db->col + c * K, qn, db->colsites[c], db->bg);
        double lo = row[0], hi = row[0];
        for (size_t c = 1; c < NC; c++) {
            lo = row[c] < lo ? row[c] : lo;
            hi = row[c] > hi ? row[c] : hi;
        }
        *mn = lo, *mx = hi;
        return;
    }
    const double *restrict tA = db->soa, *restrict tC = tA + NC, *restrict tG = tC + NC,
                 *restrict tT = tG + NC;
    double q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];
    switch (dist) {
    case CM_DIST_ED:
    case CM_DIST_SANDELIN: {
        double slo = INFINITY, shi = -INFINITY;
        #pragma omp simd reduction(min:slo) reduction(max:shi)
        for (size_t c = 0; c < NC; c++) {
            double d0 = q0 - tA[c], d1 = q1 - tC[c], d2 = q2 - tG[c], d3 = q3 - tT[c];
            double s = d0 * d0;
            s += d1 * d1;
            s += d2 * d2;
            s += d3 * d3;
            row[c] = s;
            slo = s < slo ? s : slo;   /* exact in any order (s >= +0, no NaN) */
            shi = s > shi ? s : shi;
        }
        /* both scores are decreasing functions of s, computed with one correctly
         * rounded operation, so the extremes map to the extremes */
        if (dist == CM_DIST_SANDELIN) {
            for (size_t c = 0; c < NC; c++) row[c] = 2 - row[c];
            *mn = 2 - shi, *mx = 2 - slo;
        } else {
            *mn = -sqrt(shi), *mx = -sqrt(slo);
            size_t c = 0;
#ifdef __SSE2__
            const __m128d neg = _mm_set1_pd(-0.0);
            for (; c + 2 <= NC; c += 2)
                _mm_storeu_pd(row + c, _mm_xor_pd(_mm_sqrt_pd(_mm_loadu_pd(row + c)), neg));
#endif
            for (; c < NC; c++) row[c] = -sqrt(row[c]);
        }
        return;
    }
    case CM_DIST_PEARSON: {
        /* scalar: the running sums are rounded after each letter (cm_round14) */
        const double *restrict tt = db->colnorm;
        double x[4] = {q0 - 0.25, q1 - 0.25, q2 - 0.25, q3 - 0.25};
        for (size_t c = 0; c < NC; c++)
            row[c] = pearson_core(x, qn, tA[c], tC[c], tG[c], tT[c], tt[c]);
        break;
    }
    case CM_DIST_ALLR: {
        double lq[4];
        for (int a = 0; a < 4; a++) lq[a] = log(q[a] / db->bg[a]);
        for (size_t c = 0; c < NC; c++) {
            double lt[4] = {db->lnb[c], db->lnb[NC + c], db->lnb[2 * NC + c], db->lnb[3 * NC + c]};
            row[c] = allr_core(q, lq, qn, tA[c], tC[c], tG[c], tT[c], lt, db->colsites[c]);
        }
        break;
    }
    case CM_DIST_BLIC1:
    case CM_DIST_BLIC5:
    case CM_DIST_LLR1:
    case CM_DIST_LLR5: {
        /* counts of the query column (qn sites) and of each target column */
        int k = (dist == CM_DIST_BLIC1 || dist == CM_DIST_LLR1) ? 1 : 5;
        int blic = dist == CM_DIST_BLIC1 || dist == CM_DIST_BLIC5;
        const double *restrict self = k == 1 ? db->self1 : db->self5, *restrict cnt = db->cnt;
        double nq[4] = {qn * q0, qn * q1, qn * q2, qn * q3};
        double sq = cm_dirichlet_selfterm(k, nq);
        for (size_t c = 0; c < NC; c++) {
            double nt[4] = {cnt[c], cnt[NC + c], cnt[2 * NC + c], cnt[3 * NC + c]};
            row[c] = blic ? cm_colscore_blic(k, nq, sq, nt, self[c], db->lnbg)
                          : cm_colscore_llr(k, nq, sq, nt, self[c]);
        }
        break;
    }
    case CM_DIST_KULLBACK: {
        double lq[4];
        for (int a = 0; a < 4; a++) lq[a] = log10(q[a]);
        const double *restrict l10 = db->l10;
        for (size_t c = 0; c < NC; c++) {
            double t[4] = {tA[c], tC[c], tG[c], tT[c]}, sum = 0;
            for (int a = 0; a < 4; a++)
                if (q[a] != t[a]) sum += (q[a] - t[a]) * (lq[a] - l10[a * NC + c]);
            row[c] = -0.5 * sum;
        }
        break;
    }
    default:
        for (size_t c = 0; c < NC; c++) row[c] = cm_colscore(dist, q, db->col + c * 4);
        break;
    }
    double lo = row[0], hi = row[0];
    for (size_t c = 1; c < NC; c++) {
        lo = row[c] < lo ? row[c] : lo;
        hi = row[c] > hi ? row[c] : hi;
    }
    *mn = lo, *mx = hi;
}

/* nint(x) for 0 <= x < 2^31: round half away from zero, exactly as round() does
 * (x − trunc(x) is exact). */
static inline int nint_pos(double x)
{
    double t = (double)(long)x;
    return (int)t + (x - t >= 0.5);
}

/* Placement d (−(Q−1) <= d <= L−1) of a width-L target against a width-Q query
 * aligns query columns a..b with target columns a+d..b+d; sets *a, *b and returns
 * the overlap b − a + 1 (step 5 of compare.h). */
static inline int placement(int Q, int L, int d, int *a, int *b)
{
    *a = d < 0 ? -d : 0;
    *b = Q - 1 < L - 1 - d ? Q - 1 : L - 1 - d;
    return *b - *a + 1;
}

/* Does placement overlap len pass -min-overlap and -internal (minw = min(Q, L))?
 * As in Tomtom, -min-overlap is capped at the shorter width, so a motif narrower
 * than it still aligns (fully). */
static inline int placement_allowed(const cm_cmp_opts_t *o, int len, int minw)
{
    int mo = o->min_overlap < minw ? o->min_overlap : minw;
    return len >= mo && (!o->internal || len == minw);
}

/* Σ of the quantised scores of query columns a..a+len−1 against target columns
 * a+d.., read from the transposed matrix zb (zb[c·Q + i], target column c, query
 * column i: one diagonal, stride Q + 1). */
static inline long diag_sum(const unsigned char *zb, int Q, int a, int d, int len)
{
    const unsigned char *z = zb + (size_t)(a + d) * Q + a;
    long s = 0;
    for (int i = 0; i < len; i++) s += z[(size_t)i * (Q + 1)];
    return s;
}

/* The hit of a (target, orientation) with no placement passing -min-overlap /
 * -internal: not reported (overlap 0), p = 1. */
static inline void no_alignment(cm_cmp_hit_t *h, const cm_cmp_db_t *db)
{
    h->offset = 0, h->overlap = 0, h->p = 1, h->e = (float)db->n;
}

double cm_cmp_min_pvalue(double p, int n)
{
    if (p >= 1) return 1;
    double pn = p * n;
    return pn < 0.001 ? pn : -expm1(n * log1p(-p));
}

/* -incomplete-scores: the best placement by its own p-value (see compare.h). */
static void incomplete_hit(const cm_cmp_null_t *nl, const unsigned char *zb, int Q, int L,
                           const cm_cmp_opts_t *o, const cm_cmp_db_t *db, cm_cmp_hit_t *h)
{
    int minw = Q < L ? Q : L, bestlen = 0, bestd = 0, tried = 0;
    double bestp = 2;
    for (int d = -(Q - 1); d <= L - 1; d++) {
        int a, b, len = placement(Q, L, d, &a, &b);
        if (!placement_allowed(o, len, minw)) continue;
        tried++;
        double pv = null_tail(nl, a * Q + b, diag_sum(zb, Q, a, d, len));
        if (bestlen == 0 || pv < bestp || (pv == bestp && len > bestlen))
            bestp = pv, bestlen = len, bestd = d;
    }
    if (bestlen == 0) {
        no_alignment(h, db);
        return;
    }
    int tries = db->norient * tried;   /* the placements allowed, both strands */
    float pf = (float)cm_cmp_min_pvalue(bestp, tries);
    h->offset = bestd;
    h->overlap = bestlen;
    h->p = pf;
    h->e = pf * (float)db->n;
}

int cm_compare_query(const cm_cmp_db_t *db, const double *qfreq, int Q,
                     const cm_cmp_opts_t *o, cm_cmp_hit_t *hits, cm_err_t *err)
{
    (void)err;
    size_t NC = db->ncol;
    double *S = cm_malloc((size_t)Q * NC * sizeof(double));
    double *tmp = cm_malloc(NC * sizeof(double));   /* median scratch, once per query */
    unsigned short *bk = cm_malloc(NC * sizeof *bk);
    double *med = cm_malloc(Q * sizeof(double));
    double gmin = 0, gmax = 0;
    for (int i = 0; i < Q; i++) {
        double *row = S + i * NC, mn, mx, qn = 0;
        if (cm_dist_uses_counts(o->dist))   /* the query's site count */
            qn = o->qnsites > 0 ? o->qnsites : 20;
        else if (db->k == 4 || db->k == 0)   /* Σ (q_a − 1/4)² for pearson */
            qn = pearson_norm(qfreq + i * 4);
        int K = db->k > 0 ? db->k : 4;
        score_row(db, o->dist, qfreq + (size_t)i * K, qn, row, &mn, &mx);
        med[i] = o->incomplete ? 0.0 : tomtom_median_mm(row, NC, mn, mx, tmp, bk);
        /* x ↦ fl(x − med) is monotone, so the extremes of the shifted row are these */
        double smn = mn - med[i], smx = mx - med[i];
        if (i == 0 || smn < gmin) gmin = smn;
        if (i == 0 || smx > gmax) gmax = smx;
    }
    free(tmp);
    free(bk);
    /* quantise (cm_quantise's rule on the median-shifted scores), transposed into
     * Zt[c·Q + i], and count each query column's values for the null */
    if (gmax == gmin) gmin = gmax - 1;   /* all scores equal: MEME's scale_score_matrix */
    double off = floor(gmin);
    double sc = floor(QRANGE / (gmax - off));   /* 0 when the scores span more than
                                                   QRANGE: every Z is then 0, as in Tomtom */
    unsigned char *Zt = cm_malloc((size_t)Q * NC);
    unsigned *cnt = cm_calloc((size_t)Q * (QRANGE + 1), sizeof(unsigned));
    for (int i = 0; i < Q; i++) {
        const double *row = S + i * NC;
        unsigned *h = cnt + (size_t)i * (QRANGE + 1);
        double m = med[i];
        unsigned h2[QRANGE + 1] = {0};   /* second table: fewer store-to-load stalls */
        unsigned char *zt = Zt + i;
        size_t c = 0;
        for (; c + 2 <= NC; c += 2) {
            /* ((S − med) − off) >= 0 since S − med >= gmin >= off, so nint = nint_pos */
            int z0 = nint_pos(((row[c] - m) - off) * sc);
            int z1 = nint_pos(((row[c + 1] - m) - off) * sc);
            zt[c * Q] = (unsigned char)z0;
            zt[(c + 1) * Q] = (unsigned char)z1;
            h[z0]++, h2[z1]++;
        }
        for (; c < NC; c++) {
            int z0 = nint_pos(((row[c] - m) - off) * sc);
            zt[c * Q] = (unsigned char)z0;
            h[z0]++;
        }
        for (int v = 0; v <= QRANGE; v++) h[v] += h2[v];
    }
    free(S);
    free(med);
    long Z0 = lround(-off * sc);
    cm_cmp_null_t *nl = null_from_hist(cnt, Q, NC);
    free(cnt);

    for (int k = 0; k < db->n; k++) {
        int L = db->w[k], minw = Q < L ? Q : L;
        for (int or = 0; or < db->norient; or++) {
            const unsigned char *zb = Zt + (db->first[k] + (size_t)or * L) * Q;   /* column 0 */
            cm_cmp_hit_t *h = &hits[k * db->norient + or];
            h->target = k, h->orient = or, h->q = 1;
            if (o->incomplete) {
                incomplete_hit(nl, zb, Q, L, o, db, h);
                continue;
            }
            long bestT = 0;
            int bestlen = 0, bestd = 0;
            for (int d = -(Q - 1); d <= L - 1; d++) {
                int a, b, len = placement(Q, L, d, &a, &b);
                if (!placement_allowed(o, len, minw)) continue;
                long T = diag_sum(zb, Q, a, d, len) + (long)(Q - len) * Z0;
                if (bestlen == 0 || T > bestT || (T == bestT && len > bestlen))
                    bestT = T, bestlen = len, bestd = d;
            }
            if (bestlen == 0) {
                no_alignment(h, db);
                continue;
            }
            double lg = 0;   /* Σ log P(placement d scores below the observed best) */
            for (int d = -(Q - 1); d <= L - 1; d++) {
                int a, b, len = placement(Q, L, d, &a, &b);
                double t = null_tail(nl, a * Q + b, bestT - (long)(Q - len) * Z0);
                if (t != 0) lg += log1p(-t);   /* log1p(−0) = −0 adds nothing */
            }
            float pf = (float)-expm1(db->norient * lg);
            h->offset = bestd;
            h->overlap = bestlen;
            h->p = pf;
            h->e = pf * (float)db->n;      /* float arithmetic, as Tomtom */
        }
    }
    cm_cmp_null_free(nl);
    free(Zt);
    return sc == 0;
}

void cm_cmp_qvalues(cm_cmp_hit_t *hits, size_t n, cm_mt19937_t *rng)
{
    double *p = cm_malloc(n * sizeof(double)), *q = cm_malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) p[i] = hits[i].p;
    cm_storey_qvalues(p, n, rng, q);
    for (size_t i = 0; i < n; i++) hits[i].q = (float)q[i];
    free(p);
    free(q);
}

int cm_cmp_run(const cm_cmp_db_t *db, const cm_motifset_t *qs, const double *bg,
               double pseudo, const cm_cmp_opts_t *o, int threads, cm_cmp_each_fn fn,
               void *ud, int *nflat, cm_err_t *err)
{
    int K = db->k > 0 ? db->k : 4;
    if (K != 4 && cm_dist_uses_counts(o->dist) && o->dist != CM_DIST_ALLR)
        return cm_fail(err, "-dist blic1/blic5/llr1/llr5 use 4-letter Dirichlet priors; the %s "
                       "alphabet has %d letters (use ed, pearson, sandelin, kullback or allr)",
                       db->alph.name, K);
    if (qs->alph.k > 0 && qs->alph.k != K)
        return cm_fail(err, "%s: query alphabet has %d letters, the database %d", qs->path, qs->alph.k, K);
    cm_mt19937_t rng;
    cm_mt_seed(&rng, CM_MT_DEFAULT_SEED);
    int nh = db->n * db->norient, stop = 0, flat = 0;
    /* Queries run in parallel; the q-values (one stream in query order) and the
     * callback run in an ordered section, overlapping the next queries' comparisons. */
    #pragma omp parallel num_threads(threads)
    {
        cm_cmp_hit_t *h = cm_malloc((size_t)nh * sizeof *h);
        #pragma omp for ordered schedule(dynamic, 1)
        for (int q = 0; q < qs->n; q++) {
            const cm_motif_t *m = &qs->m[q];
            double *qf = cm_malloc((size_t)m->w * K * sizeof(double));
            cm_motif_pseudocount(m, bg, pseudo, qf);
            cm_cmp_opts_t co = *o;
            co.qnsites = m->nsites;
            int skip;
            #pragma omp atomic read
            skip = stop;
            int isflat = !skip && cm_compare_query(db, qf, m->w, &co, h, NULL) == 1;
            #pragma omp ordered
            {
                if (!stop) {
                    flat += isflat;
                    cm_cmp_qvalues(h, nh, &rng);
                    if (fn(ud, q, h, err) != 0) {
                        #pragma omp atomic write
                        stop = 1;
                    }
                }
            }
            free(qf);
        }
        free(h);
    }
    if (nflat) *nflat = flat;
    return stop ? -1 : 0;
}

typedef struct { const cm_cmp_hit_t *h; const char *id; int idx; } row_t;

static int cmp_rows(const void *x, const void *y)
{
    const row_t *ra = x, *rb = y;
    const cm_cmp_hit_t *a = ra->h, *b = rb->h;
    if (a->p != b->p) return a->p < b->p ? -1 : 1;
    if (a->overlap != b->overlap) return a->overlap > b->overlap ? -1 : 1;
    if (a->orient != b->orient) return a->orient < b->orient ? -1 : 1;
    int c = strcmp(ra->id, rb->id);
    if (c) return c;
    return a->target < b->target ? -1 : a->target > b->target;
}

int cm_cmp_select(const cm_cmp_db_t *db, const cm_cmp_hit_t *hits, double thresh,
                  int use_evalue, int *rows)
{
    row_t *r = cm_malloc(db->n * sizeof *r);
    int n = 0;
    for (int k = 0; k < db->n; k++) {
        int best = -1;
        for (int o = 0; o < db->norient; o++) {
            int i = k * db->norient + o;
            const cm_cmp_hit_t *h = &hits[i];
            if (h->overlap == 0) continue;
            if (best < 0 || h->p < hits[best].p ||
                (h->p == hits[best].p && h->overlap > hits[best].overlap))
                best = i;
        }
        if (best >= 0) r[n].h = &hits[best], r[n].id = db->m[k]->id, r[n].idx = best, n++;
    }
    qsort(r, n, sizeof *r, cmp_rows);
    int m = 0;
    for (; m < n; m++) {
        double v = use_evalue ? r[m].h->e : r[m].h->q;
        if (v > thresh) break;
        rows[m] = r[m].idx;
    }
    free(r);
    return m;
}

void cm_cmp_write_header(FILE *fp)
{
    fputs("Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\t"
          "Query_consensus\tTarget_consensus\tOrientation\n", fp);
}

void cm_cmp_write_rows(FILE *fp, const cm_cmp_db_t *db, const char *qid, const char *qcons,
                       const cm_cmp_hit_t *hits, const int *rows, int nrows)
{
    for (int r = 0; r < nrows; r++) {
        const cm_cmp_hit_t *h = &hits[rows[r]];
        fprintf(fp, "%s\t%s\t%d\t%g\t%g\t%g\t%d\t%s\t%s\t%c\n", qid, db->m[h->target]->id,
                h->offset, h->p, h->e, h->q, h->overlap, qcons,
                db->cons[h->target * db->norient + h->orient], h->orient ? '-' : '+');
    }
}
