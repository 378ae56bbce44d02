/* stats.c — see stats.h. */
#include "stats/stats.h"

#include "stats/permtest.h"
#include "stats/wilcoxon.h"
#include "core/rng.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

/* Below this p the GSL value is replaced by the log-space tail (it may have lost
 * relative accuracy or underflowed). */
#define CM_P_SMALL 1e-290

void cm_stats_init(void)
{
    gsl_set_error_handler_off();
}

/* ln of the continued fraction factor of I_x(a,b) (DLMF 8.17.22), modified Lentz.
 * Valid (fast) for x < (a+1)/(a+b+2).  Returns NAN if it does not converge. */
static double ln_betacf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-16;
    double f = 1.0, C = 1.0, D = 0.0;
    for (int j = 1; j <= 200000; j++) {
        int m = j / 2;
        double d;
        if (j & 1) d = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
        else       d = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
        D = 1.0 + d * D;
        if (fabs(D) < tiny) D = tiny;
        C = 1.0 + d / C;
        if (fabs(C) < tiny) C = tiny;
        D = 1.0 / D;
        double delta = C * D;
        f *= delta;
        if (fabs(delta - 1.0) < eps) return -log(f);
    }
    return NAN;
}

/* ln p of the two-sided tail p = I_x(df/2, 1/2), x = df/(df+t^2), |t| = at > 0, by
 * the continued fraction in log space; NAN when x is not in the tail region. */
static double tail_ln_p(double at, double df)
{
    double a = 0.5 * df, b = 0.5, lx, l1mx;
    if (at > 1e150) {                 /* t^2 would overflow; df/t^2 negligible */
        lx = log(df) - 2.0 * log(at);
        l1mx = -exp(lx);
    } else {
        double t2 = at * at;
        lx = -log1p(t2 / df);             /* accurate also when multiplied by a large a */
        l1mx = log(t2) - log(df + t2);
    }
    double x = exp(lx);
    if (x >= (a + 1.0) / (a + b + 2.0)) return NAN;   /* not the tail: should not happen */
    double lcf = ln_betacf(a, b, x);
    if (!isfinite(lcf)) return NAN;
    /* ln B(a, 1/2): from libm's lgamma_r (reentrant) while the cancellation between
     * lgamma(a) and lgamma(a + 1/2) stays below ~1e-14 (df <= 100), else GSL */
    double lnb;
    if (df <= 100) {
        int sg;
        lnb = lgamma_r(a, &sg) + 0.5 * log(M_PI) - lgamma_r(a + b, &sg);
    } else lnb = gsl_sf_lnbeta(a, b);
    double ln_p = a * lx + b * l1mx - log(a) - lnb + lcf;
    return isfinite(ln_p) ? ln_p : NAN;
}

/* Largest integer df of the continued-fraction tail for |t| > CM_T_SERIES (GSL's
 * gsl_cdf_tdist_Q loses up to ~1e-6 relative there for df >= 50 when p is tiny). */
#define CM_DF_FAST 2000
/* Largest df of the finite series (O(df) terms, rounding grows with df). */
#define CM_DF_SERIES 50
/* |t| up to which the finite series is used (p >= 0.0027 there for every df, so the
 * subtraction 1 - A loses at most ~2.6 digits). */
#define CM_T_SERIES 3.0

/* Two-sided p = 2*Q(|t|; df) in *p and log10 p returned (NAN when evaluation fails,
 * *p then NAN too).  See stats.h ("Speed") for the branches. */
static double tdist_p2(double t, double df, double *p)
{
    *p = NAN;
    if (!(df > 0) || !isfinite(t) || !isfinite(df)) return NAN;
    if (t == 0) { *p = 1.0; return 0.0; }
    double at = fabs(t);
    if (df <= CM_DF_FAST && df == floor(df) && (at > CM_T_SERIES || df <= CM_DF_SERIES)) {
        if (at <= CM_T_SERIES) {
            /* A = P(|T| < at): Cephes stdtr's series (A&S 26.7.3 odd df, 26.7.4 even) */
            const double machep = DBL_EPSILON / 2;
            int k = (int)df;
            double z = 1.0 + at * at / df, A, f = 1.0, tz = 1.0;
            if (k & 1) {
                double xsqk = at / sqrt(df);
                A = atan(xsqk);
                if (k > 1) {
                    for (int j = 3; j <= k - 2 && tz > machep * f; j += 2) {
                        tz *= (j - 1) / (z * j);
                        f += tz;
                    }
                    A += f * xsqk / z;
                }
                A *= 2.0 / M_PI;
            } else {
                for (int j = 2; j <= k - 2 && tz > machep * f; j += 2) {
                    tz *= (j - 1) / (z * j);
                    f += tz;
                }
                A = f * at / sqrt(z * df);
            }
            double q = 1.0 - A;
            if (q > 0 && q <= 1) { *p = q; return q >= 1.0 ? 0.0 : log10(q); }
        }
        double ln_p = tail_ln_p(at, df);
        if (isfinite(ln_p)) {
            *p = exp(ln_p);
            return ln_p >= 0 ? 0.0 : ln_p / M_LN10;
        }
    }
    double q = *p = 2.0 * gsl_cdf_tdist_Q(at, df);
    if (isfinite(q) && q >= CM_P_SMALL) return q >= 1.0 ? 0.0 : log10(q);
    double ln_p = tail_ln_p(at, df);
    if (!isfinite(ln_p)) return NAN;
    double lp = ln_p / M_LN10;
    *p = pow(10.0, lp);
    return lp;
}

double cm_tdist_log10p2(double t, double df)
{
    double p;
    return tdist_p2(t, df, &p);
}

void cm_ttest1(const double *x, size_t n, cm_ttest_t *r)
{
    r->n = n;
    r->mean = r->sd = r->t = NAN;
    r->p = 1.0;
    r->log10p = 0.0;
    r->score = 0.0;
    if (n == 0) return;
    double s = 0;
    int same = 1;
    for (size_t i = 0; i < n; i++) {
        s += x[i];
        if (x[i] != x[0]) same = 0;
    }
    double mean = s / (double)n;
    r->mean = same ? x[0] : mean;
    if (n < 2) return;
    if (same) { r->sd = 0.0; return; }
    double ss = 0, sc = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - mean;
        ss += d * d;
        sc += d;
    }
    double var = (ss - sc * sc / (double)n) / (double)(n - 1);
    double sd = sqrt(var > 0 ? var : 0);
    r->sd = sd;
    if (!(sd > 0) || !isfinite(sd)) return;
    double t = mean / (sd / sqrt((double)n));
    if (!isfinite(t)) return;                           /* evaluation failed */
    double p, lp = tdist_p2(t, (double)(n - 1), &p);
    if (!isfinite(lp)) { r->t = t; return; }            /* evaluation failed: p = 1 */
    if (!isfinite(p)) { r->t = t; return; }
    if (p >= 1.0) { p = 1.0; lp = 0.0; }
    r->t = t;
    r->p = p;
    r->log10p = lp;
    double sc2 = mean > 0 ? -lp : mean < 0 ? lp : 0.0;
    r->score = sc2 == 0 ? 0.0 : sc2;                    /* never -0 */
}

/* A value to rank for the FDR adjustments: key v (p, NaN as 1; or log10 p, NaN as 0;
 * -0 as 0) and ib = input index << 16 | bucket (rank_sort), 16 bytes in all.  Sorted
 * by (v, index): ascending, ties in index order. */
typedef struct { double v; uint64_t ib; } cm_rk_t;
#define RK_I(r) ((r).ib >> 16)

static int cmp_rk(const void *a, const void *b)
{
    const cm_rk_t *x = a, *y = b;
    if (x->v < y->v) return -1;
    if (x->v > y->v) return 1;
    return (RK_I(*x) > RK_I(*y)) - (RK_I(*x) < RK_I(*y));
}

/* Below this many values qsort, above it the bucket sort of rank_sort. */
#define CM_BUCKET_MIN 4096
/* Buckets of the bucket sort (two 8-bit LSD passes over the bucket number). */
#define CM_NBUCKET 65536

/* Order one bucket r[lo..hi) (already in index order) by v: insertion sort, qsort
 * when large. */
static void sort_bucket(cm_rk_t *r, size_t lo, size_t hi)
{
    if (hi - lo > 64) { qsort(r + lo, hi - lo, sizeof *r, cmp_rk); return; }
    for (size_t k = lo + 1; k < hi; k++) {
        cm_rk_t x = r[k];
        size_t j = k;
        while (j > lo && r[j - 1].v > x.v) { r[j] = r[j - 1]; j--; }
        r[j] = x;
    }
}

/* Sort r[0..n) (given in index order) by (v, index).  With by_p (v a probability)
 * and n >= CM_BUCKET_MIN: bucket sort on bucket floor(v·65536) — a stable counting
 * pass on its high byte (per-thread counts, OpenMP), then within each of the 256
 * segments (in parallel) a counting pass on the low byte and an ordering of each
 * bucket by v.  The result is the unique (v, index) order whatever the thread count.
 * A few streaming passes where p-values spread over (0, 1]; no worse than qsort where
 * they crowd into one bucket. */
static void rank_sort(cm_rk_t *r, size_t n, int by_p)
{
    if (n < CM_BUCKET_MIN || !by_p) {
        qsort(r, n, sizeof *r, cmp_rk);
        return;
    }
    long nl = (long)n;
    #pragma omp parallel for schedule(static)
    for (long k = 0; k < nl; k++) {
        double p = r[k].v;                       /* in [0, 1] (NaN already 1) */
        uint64_t b = p > 0 ? (uint64_t)(p * CM_NBUCKET) : 0;
        r[k].ib |= b < CM_NBUCKET ? b : CM_NBUCKET - 1;
    }
    cm_rk_t *t = cm_malloc(n * sizeof *t);
    int maxt = omp_get_max_threads();
    if (maxt > 64) maxt = 64;
    size_t (*cnt)[256] = cm_calloc((size_t)maxt, sizeof *cnt);
    size_t seg[257];
    int nt = 1;
    #pragma omp parallel num_threads(maxt)
    {
        int id = omp_get_thread_num();
        #pragma omp single
        nt = omp_get_num_threads();
        size_t lo = n * (size_t)id / (size_t)nt, hi = n * (size_t)(id + 1) / (size_t)nt;
        for (size_t k = lo; k < hi; k++) cnt[id][(r[k].ib >> 8) & 255]++;
        #pragma omp barrier
        #pragma omp single
        {
            size_t off = 0;
            for (int d = 0; d < 256; d++) {
                seg[d] = off;
                for (int th = 0; th < nt; th++) { size_t c = cnt[th][d]; cnt[th][d] = off; off += c; }
            }
            seg[256] = off;
        }
        for (size_t k = lo; k < hi; k++) t[cnt[id][(r[k].ib >> 8) & 255]++] = r[k];
        #pragma omp barrier
        /* each high-byte segment: by the low byte back into r, then each bucket by v */
        #pragma omp for schedule(dynamic, 4)
        for (int d = 0; d < 256; d++) {
            size_t c2[256] = { 0 }, a = seg[d], e = seg[d + 1];
            for (size_t k = a; k < e; k++) c2[t[k].ib & 255]++;
            size_t sum = a, start[257];
            for (int x = 0; x < 256; x++) { start[x] = sum; sum += c2[x]; c2[x] = start[x]; }
            start[256] = sum;
            for (size_t k = a; k < e; k++) r[c2[t[k].ib & 255]++] = t[k];
            for (int x = 0; x < 256; x++)
                if (start[x + 1] - start[x] > 1) sort_bucket(r, start[x], start[x + 1]);
        }
    }
    free(cnt);
    free(t);
}

/* r[0..n) for the values v: p-values (logspace 0: NaN as 1, clamped to [0, 1]) or
 * log10 p-values (logspace 1: NaN as 0, clamped to <= 0); sorted. */
static cm_rk_t *ranked(const double *v, size_t n, int logspace)
{
    cm_rk_t *r = cm_malloc((n + 1) * sizeof *r);
    long nl = (long)n;
    #pragma omp parallel for schedule(static) if (n >= CM_BUCKET_MIN)
    for (long i = 0; i < nl; i++) {
        double x = v[i];
        if (logspace) x = isnan(x) || x > 0 ? 0.0 : x;
        else x = isnan(x) || x > 1 ? 1.0 : x < 0 ? 0.0 : x;
        r[i].v = x == 0 ? 0.0 : x;
        r[i].ib = (uint64_t)i << 16;
    }
    rank_sort(r, n, !logspace);
    return r;
}

/* Harmonic number c(n) = sum 1/i (Benjamini–Yekutieli's constant). */
static double harmonic(size_t n)
{
    double c = 0;
    for (size_t i = 1; i <= n; i++) c += 1.0 / (double)i;
    return c;
}

/* Step-up adjustment over the sorted r (r.v overwritten): linear space (r.v = p) ... */
static void fdr_linear(cm_rk_t *r, size_t n, int corr, double *q)
{
    double cm = corr == CM_CORR_BY ? harmonic(n) : 1.0, run = 1.0;
    long nl = (long)n;
    #pragma omp parallel for schedule(static) if (n >= CM_BUCKET_MIN)
    for (long k = 0; k < nl; k++)
        r[k].v = corr == CM_CORR_BY
            ? r[k].v / (((double)(k + 1) / (double)n) / cm)  /* statsmodels: p / (ecdf / cm) */
            : r[k].v / ((double)(k + 1) / (double)n);        /* as statsmodels: p / ecdf */
    for (size_t k = n; k-- > 0;) {              /* the step-up minimum, in sorted order */
        if (r[k].v < run) run = r[k].v;
        r[k].v = run;
    }
    #pragma omp parallel for schedule(static) if (n >= CM_BUCKET_MIN)
    for (long k = 0; k < nl; k++) q[RK_I(r[k])] = r[k].v;    /* random stores: in parallel */
}

/* ... or log10 space (r.v = log10 p). */
static void fdr_log10(cm_rk_t *r, size_t n, int corr, double *lq)
{
    double cm = corr == CM_CORR_BY ? harmonic(n) : 1.0, run = 0.0;
    for (size_t k = n; k-- > 0;) {
        double v = r[k].v + (corr == CM_CORR_BY ? log10((double)n * cm / (double)(k + 1))
                                                : log10((double)n / (double)(k + 1)));
        if (v < run) run = v;
        lq[RK_I(r[k])] = run;
    }
}

/* One correction of one array, in place allowed (indices up to 2^48). */
static void fdr_one(const double *v, size_t n, int corr, int logspace, double *out)
{
    if (n == 0) return;
    cm_rk_t *r = ranked(v, n, logspace);
    if (logspace) fdr_log10(r, n, corr, out);
    else fdr_linear(r, n, corr, out);
    free(r);
}

void cm_bh(const double *p, size_t n, double *q) { fdr_one(p, n, CM_CORR_BH, 0, q); }
void cm_bh_log10(const double *lp, size_t n, double *lq) { fdr_one(lp, n, CM_CORR_BH, 1, lq); }
void cm_by(const double *p, size_t n, double *q) { fdr_one(p, n, CM_CORR_BY, 0, q); }
void cm_by_log10(const double *lp, size_t n, double *lq) { fdr_one(lp, n, CM_CORR_BY, 1, lq); }

void cm_fdr_adjust(const double *p, const double *lp, size_t n, int corr, double *q, double *lq)
{
    if (q) fdr_one(p, n, corr, 0, q);
    if (lq) fdr_one(lp, n, corr, 1, lq);
}

static const char *const corr_names[CM_CORR_N] = { "bh", "by" };
static const char *const test_names[CM_TEST_N] = { "t", "wilcoxon", "permutation" };
static const char *const family_names[CM_FAMILY_N] = { "map", "homotypic", "interaction" };

const char *cm_correction_name(int corr) { return corr >= 0 && corr < CM_CORR_N ? corr_names[corr] : "?"; }
const char *cm_test_name(int test) { return test >= 0 && test < CM_TEST_N ? test_names[test] : "?"; }
const char *cm_family_name(int family) { return family >= 0 && family < CM_FAMILY_N ? family_names[family] : "?"; }

int cm_correction_parse(const char *s)
{
    for (int k = 0; k < CM_CORR_N; k++) if (s && !strcmp(s, corr_names[k])) return k;
    return -1;
}

int cm_test_parse(const char *s)
{
    for (int k = 0; k < CM_TEST_N; k++) if (s && !strcmp(s, test_names[k])) return k;
    return -1;
}

int cm_cell_family(int kind)
{
    switch (kind) {
    case CM_CELL_SELF: case CM_CELL_PAIR: return CM_FAMILY_MAP;
    case CM_CELL_HOMOTYPIC: return CM_FAMILY_HOMOTYPIC;
    case CM_CELL_INTERACTION: return CM_FAMILY_INTERACTION;
    default: return -1;
    }
}

void cm_test_opts_init(cm_test_opts_t *o)
{
    o->test = CM_TEST_T;
    o->correction = CM_CORR_BH;
    o->permutations = CM_PERM_DEFAULT_B;
    o->seed = 1;
}

double cm_t975(double df)
{
    if (!(df > 0)) return NAN;
    return gsl_cdf_tdist_Pinv(0.975, df);
}

void cm_effect_sizes(const cm_ttest_t *tt, double t975, double *ci_low, double *ci_high,
                     double *cohens_d)
{
    *ci_low = *ci_high = *cohens_d = NAN;
    if (tt->n < 2 || !isfinite(tt->sd)) return;
    double h = t975 * tt->sd / sqrt((double)tt->n);
    *ci_low = tt->mean - h;
    *ci_high = tt->mean + h;
    if (tt->sd > 0) *cohens_d = tt->mean / tt->sd;
}

const char *cm_cell_kind_name(int kind)
{
    static const char *const names[CM_CELL_NKIND] = { "self", "pair", "homotypic", "interaction" };
    return kind >= 0 && kind < CM_CELL_NKIND ? names[kind] : "?";
}

/* One value for grouping: key (kind, src, tgt), then input row for a stable order. */
typedef struct { int kind, src, tgt; size_t row; double v; } cm_entry_t;

static int cmp_entry(const void *a, const void *b)
{
    const cm_entry_t *x = a, *y = b;
    if (x->kind != y->kind) return x->kind - y->kind;
    if (x->src != y->src) return x->src - y->src;
    if (x->tgt != y->tgt) return x->tgt - y->tgt;
    return (x->row > y->row) - (x->row < y->row);
}

static int check_opts(const cm_test_opts_t *o, cm_err_t *err)
{
    if (o->test < 0 || o->test >= CM_TEST_N) return cm_fail(err, "unknown test %d", o->test);
    if (o->correction < 0 || o->correction >= CM_CORR_N)
        return cm_fail(err, "unknown correction %d", o->correction);
    if (o->permutations < 1) return cm_fail(err, "permutations must be >= 1, got %ld", o->permutations);
    return 0;
}

/* sign(mean) * (-log10 p), 0 when p = 1 or mean = 0, never -0. */
static double signed_score(double mean, double lp)
{
    double s = mean > 0 ? -lp : mean < 0 ? lp : 0.0;
    return s == 0 ? 0.0 : s;
}

int cm_cells_test(const double *v, const size_t *off, size_t nc, const cm_test_opts_t *opts,
                  const uint64_t *keys, cm_cell_t *c, cm_err_t *err)
{
    cm_test_opts_t def;
    if (!opts) { cm_test_opts_init(&def); opts = &def; }
    if (check_opts(opts, err) < 0) return -1;
    cm_stats_init();
    /* t quantiles of the CIs, once per df that occurs */
    size_t maxn = 0;
    for (size_t i = 0; i < nc; i++)
        if (off[i + 1] - off[i] > maxn) maxn = off[i + 1] - off[i];
    double *t975 = cm_malloc((maxn + 1) * sizeof *t975);
    for (size_t k = 0; k <= maxn; k++) t975[k] = 0;       /* 0 = not needed */
    for (size_t i = 0; i < nc; i++) {
        size_t n = off[i + 1] - off[i];
        if (n >= 2) t975[n - 1] = 1;
    }
    long nq = (long)maxn;
    #pragma omp parallel for schedule(dynamic, 64)
    for (long df = 1; df <= nq; df++)
        if (t975[df] != 0) t975[df] = cm_t975((double)df);

    const int test = opts->test;
    const long B = opts->permutations;
    const uint64_t base = cm_rng_key(opts->seed, CM_PERM_STREAM);
    long nci = (long)nc;
    #pragma omp parallel
    {
        double *work = test == CM_TEST_WILCOXON ? cm_malloc((maxn + 1) * sizeof *work) : NULL;
        #pragma omp for schedule(dynamic, 256)
        for (long i = 0; i < nci; i++) {
            const double *x = v + off[i];
            size_t n = off[i + 1] - off[i];
            cm_cell_t *ci = &c[i];
            cm_ttest1(x, n, &ci->tt);
            cm_effect_sizes(&ci->tt, n >= 2 ? t975[n - 1] : NAN, &ci->ci_low, &ci->ci_high, &ci->cohens_d);
            ci->test = test;
            if (test == CM_TEST_T) {
                ci->stat = ci->tt.t;
            } else if (test == CM_TEST_WILCOXON) {
                cm_wilcoxon_t w;
                cm_wilcoxon1(x, n, work, &w);
                ci->stat = w.w;
                ci->tt.p = w.p;
                ci->tt.log10p = w.log10p;
                ci->tt.score = signed_score(ci->tt.mean, w.log10p);
            } else {
                cm_permtest_t pr;
                cm_permtest1(x, n, B, keys ? keys[i] : cm_rng_key(base, (uint64_t)i), &pr);
                ci->stat = pr.mean;
                ci->tt.p = pr.p;
                ci->tt.log10p = pr.log10p;
                ci->tt.score = signed_score(ci->tt.mean, pr.log10p);
            }
        }
        free(work);
    }
    free(t975);
    return 0;
}

int cm_cells_adjust(cm_cell_t *c, size_t nc, int corr, double alpha, cm_err_t *err)
{
    if (corr < 0 || corr >= CM_CORR_N) return cm_fail(err, "unknown correction %d", corr);
    if (!(alpha > 0 && alpha <= 1)) return cm_fail(err, "alpha must be in (0, 1], got %g", alpha);
    /* one pass over the (large) cells: family and p into compact arrays; the families
     * are gathered from those.  log10 p is read only for a family with a p below
     * CM_P_SMALL: q >= min p, so without one every q is >= CM_P_SMALL and the
     * log-space adjustment is not needed. */
    size_t cnt[CM_FAMILY_N + 1] = { 0 };
    int tiny[CM_FAMILY_N + 1] = { 0 };
    unsigned char *fam = cm_malloc(nc + 1);
    double *p = cm_malloc((nc + 1) * sizeof *p), *q = cm_malloc((nc + 1) * sizeof *q), *lq = NULL;
    long nci = (long)nc;
    #pragma omp parallel for schedule(static) if (nc > 100000)
    for (long i = 0; i < nci; i++) {
        int f = c[i].family;
        fam[i] = (unsigned char)(f >= 0 && f < CM_FAMILY_N ? f : CM_FAMILY_N);
        p[i] = c[i].tt.p;
    }
    for (size_t i = 0; i < nc; i++) {
        cnt[fam[i]]++;
        tiny[fam[i]] |= !(p[i] >= CM_P_SMALL);
    }
    for (int f = 0; f < CM_FAMILY_N; f++) {
        size_t m = cnt[f];
        if (m == 0) continue;
        int all = m == nc;                /* one family: no gather */
        size_t *idx = all ? NULL : cm_malloc(m * sizeof *idx);
        double *fp = all ? p : cm_malloc(m * sizeof *fp), *fq = all ? q : cm_malloc(m * sizeof *fq);
        for (size_t i = 0, k = 0; !all && i < nc; i++)
            if (fam[i] == f) { idx[k] = i; fp[k] = p[i]; k++; }
        fdr_one(fp, m, corr, 0, fq);
        if (!all) for (size_t k = 0; k < m; k++) q[idx[k]] = fq[k];
        if (tiny[f]) {
            if (!lq) lq = cm_malloc((nc + 1) * sizeof *lq);
            double *flp = cm_malloc(m * sizeof *flp), *flq = cm_malloc(m * sizeof *flq);
            for (size_t i = 0, k = 0; i < nc; i++)
                if (fam[i] == f) flp[k++] = c[i].tt.log10p;
            fdr_one(flp, m, corr, 1, flq);
            for (size_t i = 0, k = 0; i < nc; i++)
                if (fam[i] == f) lq[i] = flq[k++];
            free(flp);
            free(flq);
        }
        if (!all) { free(idx); free(fp); free(fq); }
    }
    #pragma omp parallel for schedule(static) if (nc > 100000)
    for (long i = 0; i < nci; i++) {
        if (fam[i] == CM_FAMILY_N) continue;
        cm_cell_t *x = &c[i];
        if (q[i] >= CM_P_SMALL) {
            x->q = q[i];
            x->log10q = log10(q[i]);
        } else {                          /* only where the family had a tiny p: lq set */
            x->q = pow(10.0, lq[i]);
            x->log10q = lq[i];
        }
        x->masked = x->q > alpha;
    }
    free(fam); free(p); free(q); free(lq);
    return 0;
}

int cm_cells_compute(const cm_effects_t *ef, double alpha, cm_cells_t *cells, cm_err_t *err)
{
    return cm_cells_compute_opts(ef, alpha, NULL, cells, err);
}

int cm_cells_compute_opts(const cm_effects_t *ef, double alpha, const cm_test_opts_t *opts,
                          cm_cells_t *cells, cm_err_t *err)
{
    cells->c = NULL;
    cells->n = 0;
    cm_test_opts_t def;
    if (!opts) { cm_test_opts_init(&def); opts = &def; }
    if (!(alpha > 0 && alpha <= 1))
        return cm_fail(err, "alpha must be in (0, 1], got %g", alpha);
    if (check_opts(opts, err) < 0) return -1;
    cm_stats_init();

    size_t ne = 0;
    cm_entry_t *e = cm_malloc((2 * ef->n + 1) * sizeof *e);
    for (size_t k = 0; k < ef->n; k++) {
        const cm_effect_t *r = &ef->e[k];
        if (!r->is_pair) {
            e[ne++] = (cm_entry_t){ CM_CELL_SELF, r->src, r->src, k, r->delta_source };
            continue;
        }
        e[ne++] = (cm_entry_t){ r->homotypic ? CM_CELL_HOMOTYPIC : CM_CELL_PAIR, r->src, r->tgt, k, r->delta_target };
        if (!isnan(r->interaction))
            e[ne++] = (cm_entry_t){ CM_CELL_INTERACTION, r->src, r->tgt, k, r->interaction };
    }
    qsort(e, ne, sizeof *e, cmp_entry);

    double *v = cm_malloc((ne + 1) * sizeof *v);
    size_t *off = cm_malloc((ne + 1) * sizeof *off);
    size_t nc = 0;
    for (size_t k = 0; k < ne; k++) {   /* a cell starts where the key (kind, src, tgt) changes */
        v[k] = e[k].v;
        if (k == 0 || e[k].kind != e[k - 1].kind || e[k].src != e[k - 1].src || e[k].tgt != e[k - 1].tgt)
            off[nc++] = k;
    }
    off[nc] = ne;
    cm_cell_t *c = cm_calloc(nc + 1, sizeof *c);
    uint64_t *keys = NULL;
    if (opts->test == CM_TEST_PERMUTATION) keys = cm_malloc((nc + 1) * sizeof *keys);
    uint64_t base = cm_rng_key(opts->seed, CM_PERM_STREAM);
    for (size_t i = 0; i < nc; i++) {
        c[i].kind = e[off[i]].kind;
        c[i].src = e[off[i]].src;
        c[i].tgt = e[off[i]].tgt;
        c[i].family = cm_cell_family(c[i].kind);
        if (keys)
            keys[i] = cm_rng_key(cm_rng_key(cm_rng_key(base, (uint64_t)c[i].kind),
                                            cm_rng_hash_str(ef->tf[c[i].src])),
                                 cm_rng_hash_str(ef->tf[c[i].tgt]));
    }
    free(e);

    int rc = cm_cells_test(v, off, nc, opts, keys, c, err);
    free(v);
    free(off);
    free(keys);
    if (rc == 0) rc = cm_cells_adjust(c, nc, opts->correction, alpha, err);
    if (rc < 0) { free(c); return -1; }
    cells->c = c;
    cells->n = nc;
    return 0;
}

void cm_cells_free(cm_cells_t *cells)
{
    if (!cells) return;
    free(cells->c);
    cells->c = NULL;
    cells->n = 0;
}

char *cm_fmt_prob(char *buf, size_t size, double p, double log10p)
{
    if (p >= DBL_MIN || !isfinite(log10p) || log10p >= -300) {
        snprintf(buf, size, "%.6g", p);
        return buf;
    }
    double e = floor(log10p);
    char m[32];
    snprintf(m, sizeof m, "%.6g", pow(10.0, log10p - e));
    if (strcmp(m, "10") == 0) { e += 1; snprintf(m, sizeof m, "1"); }
    snprintf(buf, size, "%se-%02.0f", m, -e);
    return buf;
}

void cm_cells_map(const cm_cells_t *cells, int n_tf, double *score, unsigned char *state)
{
    size_t nn = (size_t)n_tf * (size_t)n_tf;
    for (size_t k = 0; k < nn; k++) { score[k] = NAN; state[k] = CM_MAP_UNTESTED; }
    for (size_t i = 0; i < cells->n; i++) {
        const cm_cell_t *c = &cells->c[i];
        if (c->kind != CM_CELL_SELF && c->kind != CM_CELL_PAIR) continue;
        size_t k = (size_t)c->src * (size_t)n_tf + (size_t)c->tgt;
        state[k] = c->masked ? CM_MAP_MASKED : CM_MAP_SHOWN;
        if (!c->masked) score[k] = c->tt.score;
    }
}

/* "%.6g" or empty for NaN. */
static void put_num(FILE *fp, double v)
{
    if (!isnan(v)) fprintf(fp, "%.6g", v);
}

int cm_write_long(FILE *fp, const cm_cells_t *cells, const cm_effects_t *ef, const char *prov)
{
    if (prov) fprintf(fp, "# %s\n", prov);
    fputs("source_tf\ttarget_tf\tkind\tn\tmean\tsd\tt\tp\tscore\tq\tmasked"
          "\ttest\tfamily\tci_low\tci_high\tcohens_d\n", fp);
    char b[64];
    for (size_t i = 0; i < cells->n; i++) {
        const cm_cell_t *c = &cells->c[i];
        fprintf(fp, "%s\t%s\t%s\t%zu\t", ef->tf[c->src], ef->tf[c->tgt], cm_cell_kind_name(c->kind), c->tt.n);
        put_num(fp, c->tt.mean); fputc('\t', fp);
        put_num(fp, c->tt.sd); fputc('\t', fp);
        put_num(fp, c->tt.t); fputc('\t', fp);
        fputs(cm_fmt_prob(b, sizeof b, c->tt.p, c->tt.log10p), fp); fputc('\t', fp);
        put_num(fp, c->tt.score); fputc('\t', fp);
        fputs(cm_fmt_prob(b, sizeof b, c->q, c->log10q), fp);
        fprintf(fp, "\t%d\t%s\t%s\t", c->masked, cm_test_name(c->test), cm_family_name(c->family));
        put_num(fp, c->ci_low); fputc('\t', fp);
        put_num(fp, c->ci_high); fputc('\t', fp);
        put_num(fp, c->cohens_d);
        fputc('\n', fp);
    }
    return 0;
}

void cm_map_axes(const unsigned char *state, int n_tf, int square, int *rows, int *nr,
                 int *cols, int *nc)
{
    *nr = *nc = 0;
    for (int i = 0; i < n_tf; i++) {
        int keep = square;
        for (int j = 0; j < n_tf && !keep; j++) keep = state[(size_t)i * n_tf + j] != CM_MAP_UNTESTED;
        if (keep) rows[(*nr)++] = i;
    }
    for (int j = 0; j < n_tf; j++) {
        int keep = square;
        for (int i = 0; i < n_tf && !keep; i++) keep = state[(size_t)i * n_tf + j] != CM_MAP_UNTESTED;
        if (keep) cols[(*nc)++] = j;
    }
}

int cm_write_matrix(FILE *fp, const cm_cells_t *cells, const cm_effects_t *ef, int square,
                    const char *prov)
{
    int n = ef->n_tf, nr, nc;
    double *score = cm_malloc((size_t)n * n * sizeof *score + 1);
    unsigned char *state = cm_malloc((size_t)n * n + 1);
    int *rows = cm_malloc(sizeof(int) * (n + 1)), *cols = cm_malloc(sizeof(int) * (n + 1));
    cm_cells_map(cells, n, score, state);
    cm_map_axes(state, n, square, rows, &nr, cols, &nc);
    if (prov) fprintf(fp, "# %s\n", prov);
    fputs("source_tf", fp);
    for (int j = 0; j < nc; j++) fprintf(fp, "\t%s", ef->tf[cols[j]]);
    fputc('\n', fp);
    for (int i = 0; i < nr; i++) {
        fputs(ef->tf[rows[i]], fp);
        for (int j = 0; j < nc; j++) {
            size_t k = (size_t)rows[i] * n + cols[j];
            fputc('\t', fp);
            if (state[k] == CM_MAP_SHOWN) put_num(fp, score[k]);
        }
        fputc('\n', fp);
    }
    free(score); free(state); free(rows); free(cols);
    return 0;
}

/* Running sums for a bin or a TF. */
typedef struct { size_t n, ni; double s, s2, sa, si; } cm_acc_t;

/* A pair row's profile bin: kind (0 pair, 1 homotypic), bin index, row index. */
typedef struct { int h; size_t b, k; } cm_pbin_t;

static int cmp_pbin(const void *a, const void *b)
{
    const cm_pbin_t *x = a, *y = b;
    if (x->h != y->h) return x->h - y->h;
    if (x->b != y->b) return x->b < y->b ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

int cm_write_profile(FILE *fp, const cm_effects_t *ef, long bin, const char *prov)
{
    if (bin < 1) bin = 1;
    /* only the bins that hold rows (distances reach 1e9 bp, so no dense table); sorted
     * by (kind, bin, row), so each bin sums its rows in input order */
    size_t np = 0;
    for (size_t k = 0; k < ef->n; k++) np += ef->e[k].is_pair;
    cm_pbin_t *pb = cm_malloc((np ? np : 1) * sizeof *pb);
    np = 0;
    for (size_t k = 0; k < ef->n; k++)
        if (ef->e[k].is_pair)
            pb[np++] = (cm_pbin_t){ ef->e[k].homotypic, (size_t)floor(ef->e[k].distance / bin), k };
    qsort(pb, np, sizeof *pb, cmp_pbin);
    if (prov) fprintf(fp, "# %s\n", prov);
    fputs("kind\tbin_start\tbin_end\tn\tmean_delta_target\tsd_delta_target\tmean_abs_delta_target"
          "\tn_interaction\tmean_interaction\n", fp);
    for (size_t i = 0, j; i < np; i = j) {
        /* first pass: sums; mean then centred sums for sd (two-pass, as cm_ttest1) */
        cm_acc_t x = {0};
        for (j = i; j < np && pb[j].h == pb[i].h && pb[j].b == pb[i].b; j++) {
            const cm_effect_t *r = &ef->e[pb[j].k];
            x.n++;
            x.s += r->delta_target;
            x.sa += fabs(r->delta_target);
            if (!isnan(r->interaction)) { x.ni++; x.si += r->interaction; }
        }
        for (size_t t = i; t < j; t++) {
            double d = ef->e[pb[t].k].delta_target - x.s / (double)x.n;
            x.s2 += d * d;
        }
        fprintf(fp, "%s\t%ld\t%ld\t%zu\t", pb[i].h ? "homotypic" : "pair", (long)pb[i].b * bin,
                (long)(pb[i].b + 1) * bin, x.n);
        put_num(fp, x.s / (double)x.n); fputc('\t', fp);
        if (x.n >= 2) put_num(fp, sqrt(x.s2 / (double)(x.n - 1)));
        fputc('\t', fp);
        put_num(fp, x.sa / (double)x.n);
        fprintf(fp, "\t%zu\t", x.ni);
        if (x.ni) put_num(fp, x.si / (double)x.ni);
        fputc('\n', fp);
    }
    free(pb);
    return 0;
}

static int cmp_rank(const void *a, const void *b)
{
    const cm_rank_t *x = a, *y = b;
    int xs = !isnan(x->self), ys = !isnan(y->self);
    if (xs != ys) return ys - xs;
    if (xs && x->self != y->self) return x->self < y->self ? 1 : -1;
    int xp = !isnan(x->pair), yp = !isnan(y->pair);
    if (xp != yp) return yp - xp;
    if (xp && x->pair != y->pair) return x->pair < y->pair ? 1 : -1;
    return x->tf - y->tf;       /* TF table is sorted by name */
}

cm_rank_t *cm_ranking(const cm_effects_t *ef)
{
    int n = ef->n_tf;
    cm_rank_t *rk = cm_calloc((size_t)n + 1, sizeof *rk);
    for (int i = 0; i < n; i++) rk[i].tf = i;
    for (size_t k = 0; k < ef->n; k++) {
        const cm_effect_t *r = &ef->e[k];
        if (r->src < 0 || r->src >= n) continue;
        if (!r->is_pair) { rk[r->src].n_self++; rk[r->src].self += fabs(r->delta_source); }
        else { rk[r->src].n_pair++; rk[r->src].pair += fabs(r->delta_target); }
    }
    for (int i = 0; i < n; i++) {
        rk[i].self = rk[i].n_self ? rk[i].self / (double)rk[i].n_self : NAN;
        rk[i].pair = rk[i].n_pair ? rk[i].pair / (double)rk[i].n_pair : NAN;
    }
    qsort(rk, (size_t)n, sizeof *rk, cmp_rank);
    return rk;
}

int cm_write_ranking(FILE *fp, const cm_effects_t *ef, const char *prov)
{
    cm_rank_t *rk = cm_ranking(ef);
    if (prov) fprintf(fp, "# %s\n", prov);
    fputs("tf\tn_self\tmean_abs_self\tn_pair\tmean_abs_target_effect\n", fp);
    for (int i = 0; i < ef->n_tf; i++) {
        fprintf(fp, "%s\t%zu\t", ef->tf[rk[i].tf], rk[i].n_self);
        put_num(fp, rk[i].self);
        fprintf(fp, "\t%zu\t", rk[i].n_pair);
        put_num(fp, rk[i].pair);
        fputc('\n', fp);
    }
    free(rk);
    return 0;
}
