/* Unit tests for the t-test on many vectors, the effect sizes (95% CI, Cohen's d),
 * Benjamini–Hochberg / Benjamini–Yekutieli and the test options of cm_cells_compute_opts.
 * Reference numbers: tests/fixtures/stats/make_tests_fixtures.py (scipy 1.10.1
 * ttest_1samp, 60-digit mpmath, statsmodels 0.13.5 multipletests fdr_bh / fdr_by).
 * Every comparison is to 1e-12 relative unless a comment says otherwise.
 *
 * Where coopmap defines a case differently from scipy (the fixture holds coopmap's
 * value):
 *   - n < 2, zero variance (all values equal, all zeros included): scipy gives t NaN
 *     (or ±inf) and p NaN (or 0); coopmap prints t empty, p = 1, score 0 (the study's
 *     convention: such a cell is not evidence);
 *   - the CI's t quantile is the exact one (mpmath); scipy 1.10.1's t.ppf (cdflib) is off
 *     by up to ~4e-9 relative, so it is checked to 1e-8 only;
 *   - CI with n < 2: empty (NaN); zero variance: [mean, mean]; Cohen's d with sd = 0 or
 *     n < 2: empty (NaN), where numpy would give ±inf/NaN. */
#include "check.h"
#include "stats/effects.h"
#include "stats/stats.h"
#include "stats/wilcoxon.h"
#include "../../fixtures/stats/tests_ttest_cases.h"
#include "../../fixtures/stats/tests_fdr_cases.h"

#include <float.h>
#include <omp.h>
#include <stdlib.h>
#include <unistd.h>

#define HDR "kind\tpair_id\tsource_tf\ttarget_tf\tdistance\thomotypic\tdelta_source\tdelta_target\tinteraction\n"

static int read_text(const char *text, cm_effects_t *ef)
{
    cm_err_t err = { { 0 } };
    const char *path = check_tmpfile(text);
    cm_effects_init(ef);
    int rc = cm_effects_read(path, ef, &err);
    unlink(path);
    if (rc == 0) cm_effects_finish(ef);
    return rc;
}

static char *long_tsv(const cm_cells_t *cells, const cm_effects_t *ef)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    cm_write_long(fp, cells, ef, NULL);
    fclose(fp);
    return buf;
}

int main(void)
{
    char name[200];
    cm_stats_init();

    /* ---- t-test, CI, Cohen's d on the fixture vectors ---- */
    int bad_t = 0, bad_ci = 0, bad_d = 0, bad_q = 0;
    for (int i = 0; i < N_TV_CASES; i++) {
        const tv_case_t *c = &tv_cases[i];
        cm_ttest_t r;
        cm_ttest1(c->x, c->n, &r);
        snprintf(name, sizeof name, "t-test %s (n %zu): mean sd t p log10p", c->name, c->n);
        int ok = r.n == c->n;
        #define NEAR(g, w, abs_) (fabs((g) - (w)) <= (abs_) + 1e-12 * fabs(w) || (isnan(g) && isnan(w)))
        ok &= NEAR(r.mean, c->mean, 0) && NEAR(r.sd, c->sd, 0) && NEAR(r.t, c->t, 0);
        /* p below the double range: p itself compared to within the subnormal grain */
        ok &= NEAR(r.p, c->p, 1e-300) && NEAR(r.log10p, c->log10p, 0);
        if (!ok) {
            printf("# %s: got mean %.17g sd %.17g t %.17g p %.17g lp %.17g\n#   want %.17g %.17g %.17g %.17g %.17g\n",
                   c->name, r.mean, r.sd, r.t, r.p, r.log10p, c->mean, c->sd, c->t, c->p, c->log10p);
            bad_t++;
        }
        if (i < 16 || !ok) CHECK(ok, name);
        double lo, hi, d, q = c->n >= 2 ? cm_t975((double)(c->n - 1)) : NAN;
        if (c->n >= 2 && !(NEAR(q, c->t975, 0) && fabs(q - c->t975_scipy) <= 1e-8 * c->t975)) {
            printf("# %s: t975 %.17g want %.17g (scipy %.17g)\n", c->name, q, c->t975, c->t975_scipy);
            bad_q++;
        }
        cm_effect_sizes(&r, q, &lo, &hi, &d);
        /* the endpoints are sums mean ± h: relative to |mean| + h (near-zero endpoints) */
        double scale = fabs(c->mean) + fabs(c->ci_high - c->mean);
        if (!(NEAR(lo, c->ci_low, 1e-12 * scale) && NEAR(hi, c->ci_high, 1e-12 * scale))) {
            printf("# %s: CI [%.17g, %.17g] want [%.17g, %.17g]\n", c->name, lo, hi, c->ci_low, c->ci_high);
            bad_ci++;
        }
        if (!NEAR(d, c->d, 0)) {
            printf("# %s: d %.17g want %.17g\n", c->name, d, c->d);
            bad_d++;
        }
    }
    snprintf(name, sizeof name, "t-test: all %d fixture vectors (edge cases, p < 1e-300, df 1500/2400, random)", N_TV_CASES);
    CHECK(bad_t == 0, name);
    CHECK(bad_q == 0, "t975 = exact quantile to 1e-12 (scipy's cdflib t.ppf to 1e-8) for every df");
    CHECK(bad_ci == 0, "95% CI of the mean on every fixture vector (NaN when n < 2, [mean, mean] when sd = 0)");
    CHECK(bad_d == 0, "Cohen's d on every fixture vector (NaN when n < 2 or sd = 0)");
    CHECK(isnan(cm_t975(0)) && fabs(cm_t975(1) - 12.706204736174707) < 1e-13, "t975: df 0 NaN, df 1 = 12.7062047361747");

    /* ---- BH and BY against statsmodels ---- */
    int bad_bh = 0, bad_by = 0, bad_log = 0, bad_fdr = 0;
    for (int i = 0; i < N_FDR_CASES; i++) {
        const fdr_case_t *c = &fdr_cases[i];
        size_t n = c->n;
        double *q = malloc((n + 1) * sizeof *q), *q2 = malloc((n + 1) * sizeof *q2);
        double *lp = malloc((n + 1) * sizeof *lp), *lq = malloc((n + 1) * sizeof *lq);
        double *lq2 = malloc((n + 1) * sizeof *lq2);
        for (int corr = 0; corr < 2; corr++) {
            const double *want = corr ? c->by : c->bh;
            if (corr) cm_by(c->p, n, q); else cm_bh(c->p, n, q);
            for (size_t k = 0; k < n; k++)
                if (!NEAR(q[k], want[k], 0)) {
                    printf("# %s %s q[%zu] %.17g want %.17g\n", corr ? "BY" : "BH", c->name, k, q[k], want[k]);
                    if (corr) bad_by++; else bad_bh++;
                }
            /* log10 space: lp = log10 p for p > 0 (p = 0 as -400, beyond the double range) */
            for (size_t k = 0; k < n; k++) lp[k] = c->p[k] > 0 ? log10(c->p[k]) : -400;
            if (corr) cm_by_log10(lp, n, lq); else cm_bh_log10(lp, n, lq);
            for (size_t k = 0; k < n; k++)
                if (want[k] > 0 && fabs(lq[k] - log10(want[k])) > 1e-12 * (1 + fabs(lq[k]))) bad_log++;
            /* the one-sort pair of both */
            cm_fdr_adjust(c->p, lp, n, corr, q2, lq2);
            for (size_t k = 0; k < n; k++)
                if (q2[k] != q[k] || lq2[k] != lq[k]) bad_fdr++;
        }
        free(q); free(q2); free(lp); free(lq); free(lq2);
    }
    snprintf(name, sizeof name, "BH = statsmodels fdr_bh on %d p-value vectors (ties, 0, 1, 1e-300)", N_FDR_CASES);
    CHECK(bad_bh == 0, name);
    snprintf(name, sizeof name, "BY = statsmodels fdr_by on %d p-value vectors", N_FDR_CASES);
    CHECK(bad_by == 0, name);
    CHECK(bad_log == 0, "BH / BY in log10 space = log10 of statsmodels' q");
    CHECK(bad_fdr == 0, "cm_fdr_adjust (one sort) = cm_bh/cm_by and their log10 forms, bit for bit");
    {   /* by hand: p = 0.01, 0.04, 0.03; c(3) = 11/6; BY q_(3) = 0.04*3*11/6/3 = 0.0733...,
         * q_(2) = min(0.03*3*(11/6)/2, q_(3)) = 0.0733..., q_(1) = 0.01*3*11/6 = 0.055 */
        double p[3] = { 0.01, 0.04, 0.03 }, q[3];
        cm_by(p, 3, q);
        CHECK_NEAR(q[0], 0.055, 0, 1e-14, "BY by hand: q_(1)");
        CHECK_NEAR(q[1], 0.04 * 11.0 / 6.0, 0, 1e-14, "BY by hand: q_(3)");
        CHECK(q[2] == q[1], "BY by hand: step-up min carries q_(3) to q_(2)");
        cm_by(p, 3, p);
        CHECK(p[0] == q[0] && p[1] == q[1] && p[2] == q[2], "BY in place");
        cm_by(NULL, 0, NULL);
    }
    {   /* a 60,000-value family (the radix-sort path) given by the fixture's formula */
        size_t n = FDR_BIG_N;
        double *p = malloc(n * sizeof *p), *lp = malloc(n * sizeof *lp), *q = malloc(n * sizeof *q);
        for (size_t i = 0; i < n; i++) p[i] = (double)((i * 7919) % 10007 + 1) / 10007.0;
        for (size_t i = 0; i < n; i += 997) p[i] = 1e-300 * (double)(i % 7 + 1);
        for (size_t i = 0; i < n; i++) lp[i] = log10(p[i]);
        for (int corr = 0; corr < 2; corr++) {
            const double *want = corr ? fdr_big_by : fdr_big_bh;
            cm_fdr_adjust(p, lp, n, corr, q, NULL);
            int ok = 1;
            for (int k = 0; k < FDR_BIG_NS; k++)
                if (!NEAR(q[fdr_big_i[k]], want[k], 0)) {
                    ok = 0;
                    printf("# big %d: q[%zu] %.17g want %.17g\n", corr, fdr_big_i[k], q[fdr_big_i[k]], want[k]);
                }
            snprintf(name, sizeof name, "%s on 60,000 p-values (bucket sort, ties, 1e-300) = statsmodels at %d indices",
                     corr ? "BY" : "BH", FDR_BIG_NS);
            CHECK(ok, name);
        }
        free(p); free(lp); free(q);
    }

    /* ---- names and options ---- */
    CHECK(cm_test_parse("t") == CM_TEST_T && cm_test_parse("wilcoxon") == CM_TEST_WILCOXON &&
          cm_test_parse("permutation") == CM_TEST_PERMUTATION && cm_test_parse("T") == -1 &&
          cm_test_parse("") == -1, "test names parse");
    CHECK(cm_correction_parse("bh") == CM_CORR_BH && cm_correction_parse("by") == CM_CORR_BY &&
          cm_correction_parse("storey") == -1, "correction names parse");
    CHECK_STR(cm_family_name(cm_cell_family(CM_CELL_PAIR)), "map", "family of pair cells: map");
    CHECK_STR(cm_family_name(cm_cell_family(CM_CELL_SELF)), "map", "family of self cells: map");
    CHECK_STR(cm_family_name(cm_cell_family(CM_CELL_HOMOTYPIC)), "homotypic", "family of homotypic cells");
    CHECK_STR(cm_family_name(cm_cell_family(CM_CELL_INTERACTION)), "interaction", "family of interaction cells");

    /* ---- cm_cells_compute_opts ---- */
    cm_effects_t ef;
    const char *tab = "# prov\n" HDR
        "self\ts1\tZNF\t\t\t\t-0.5\t\t\n"
        "self\ts2\tZNF\t\t\t\t-0.7\t\t\n"
        "self\ts3\tZNF\t\t\t\t-0.4\t\t\n"
        "self\ts4\tZNF\t\t\t\t-0.45\t\t\n"
        "self\ts5\tZNF\t\t\t\t0\t\t\n"
        "pair\tp1\tZNF\tAP1\t120\t0\t\t0.2\t0.01\n"
        "pair\tp2\tZNF\tAP1\t10\t0\t\t0.3\t\n"
        "pair\tp3\tZNF\tAP1\t130\t0\t\t0.25\t0.03\n"
        "pair\tp4\tZNF\tAP1\t130\t0\t\t0.2\t0.02\n"
        "pair\tp5\tAP1\tAP1\t70\t1\t\t-0.3\t0.04\n"
        "pair\tp6\tAP1\tAP1\t75\t1\t\t-0.2\t0.05\n";
    CHECK(read_text(tab, &ef) == 0, "cells: table reads");
    cm_cells_t cells;
    cm_err_t err = { { 0 } };
    cm_test_opts_t o;
    cm_test_opts_init(&o);
    CHECK(o.test == CM_TEST_T && o.correction == CM_CORR_BH && o.permutations == 10000 && o.seed == 1,
          "options: defaults t, bh, 10000, seed 1");
    o.permutations = 0;
    CHECK(cm_cells_compute_opts(&ef, 0.05, &o, &cells, &err) == -1 && strstr(err.msg, "permutations"),
          "options: permutations 0 refused");
    cm_test_opts_init(&o);
    o.test = 7;
    CHECK(cm_cells_compute_opts(&ef, 0.05, &o, &cells, &err) == -1 && strstr(err.msg, "test"), "options: unknown test refused");
    cm_test_opts_init(&o);
    o.correction = 2;
    CHECK(cm_cells_compute_opts(&ef, 0.05, &o, &cells, &err) == -1, "options: unknown correction refused");

    /* cells: self ZNF (5), pair ZNF>AP1 (4), homotypic AP1>AP1 (2), interaction AP1>AP1 (2),
     * ZNF>AP1 (3) */
    cm_cells_t ct, cw, cby;
    CHECK(cm_cells_compute(&ef, 0.05, &ct, &err) == 0, "cells: default (t, bh)");
    cm_test_opts_init(&o);
    o.test = CM_TEST_WILCOXON;
    CHECK(cm_cells_compute_opts(&ef, 0.05, &o, &cw, &err) == 0, "cells: wilcoxon");
    cm_test_opts_init(&o);
    o.correction = CM_CORR_BY;
    CHECK(cm_cells_compute_opts(&ef, 0.05, &o, &cby, &err) == 0, "cells: t + by");
    int shape = ct.n == 5 && cw.n == 5 && cby.n == 5;
    CHECK(shape, "cells: 5 cells each");
    if (shape) {
        static const int fam[5] = { CM_FAMILY_MAP, CM_FAMILY_MAP, CM_FAMILY_HOMOTYPIC, CM_FAMILY_INTERACTION, CM_FAMILY_INTERACTION };
        int ok = 1;
        for (int i = 0; i < 5; i++) ok &= ct.c[i].family == fam[i] && cw.c[i].family == fam[i] && ct.c[i].test == CM_TEST_T && cw.c[i].test == CM_TEST_WILCOXON;
        CHECK(ok, "cells: family and test fields");
        /* wilcoxon: p from cm_wilcoxon1 on the same values, t/mean/sd/CI unchanged */
        double zs[5] = { -0.5, -0.7, -0.4, -0.45, 0 };
        cm_wilcoxon_t w;
        cm_wilcoxon1(zs, 5, NULL, &w);
        CHECK(cw.c[0].tt.p == w.p && cw.c[0].stat == w.w && w.mode == CM_WILCOXON_APPROX,
              "cells wilcoxon: self cell = wilcoxon of delta_source (a zero => approximation)");
        CHECK(cw.c[0].tt.t == ct.c[0].tt.t && cw.c[0].tt.mean == ct.c[0].tt.mean && cw.c[0].ci_low == ct.c[0].ci_low &&
              cw.c[0].cohens_d == ct.c[0].cohens_d, "cells wilcoxon: t, mean, CI and d are the t-test summary's");
        CHECK(cw.c[0].tt.mean < 0 && w.log10p < 0 && cw.c[0].tt.score == w.log10p,
              "cells wilcoxon: score = sign(mean) * -log10 p (mean < 0: score = log10 p < 0)");
        double p2[2] = { cw.c[0].tt.p, cw.c[1].tt.p }, q2[2];
        cm_bh(p2, 2, q2);
        CHECK(cw.c[0].q == q2[0] && cw.c[1].q == q2[1], "cells wilcoxon: BH over the map family of the wilcoxon p");
        double p2t[2] = { ct.c[0].tt.p, ct.c[1].tt.p }, b2[2];
        cm_by(p2t, 2, b2);
        CHECK(cby.c[0].q == b2[0] && cby.c[1].q == b2[1] && cby.c[0].tt.p == ct.c[0].tt.p, "cells by: BY within the map family");
        double p3[2] = { ct.c[3].tt.p, ct.c[4].tt.p }, b3[2];
        cm_by(p3, 2, b3);
        CHECK(cby.c[3].q == b3[0] && cby.c[4].q == b3[1], "cells by: BY within the interaction family");
        CHECK(cby.c[2].q == ct.c[2].tt.p, "cells by: homotypic family of one cell, q = p");
        /* CI of the self cell by hand: mean -0.41, sd 0.2607681, t975(4) = 2.7764451051977987 */
        double sd = sqrt((0.09 * 0.09 + 0.29 * 0.29 + 0.01 * 0.01 + 0.04 * 0.04 + 0.41 * 0.41) / 4);
        double h = 2.7764451051977987 * sd / sqrt(5.0);
        CHECK_NEAR(ct.c[0].ci_low, -0.41 - h, 1e-15, 1e-12, "cells: CI low of the self cell by hand");
        CHECK_NEAR(ct.c[0].ci_high, -0.41 + h, 1e-15, 1e-12, "cells: CI high of the self cell by hand");
        CHECK_NEAR(ct.c[0].cohens_d, -0.41 / sd, 0, 1e-12, "cells: Cohen's d of the self cell by hand");
        char *s = long_tsv(&cw, &ef);
        CHECK(strstr(s, "\tmasked\ttest\tfamily\tci_low\tci_high\tcohens_d\n") != NULL, "long TSV: appended columns");
        CHECK(strstr(s, "\twilcoxon\tinteraction\t") != NULL && strstr(s, "\twilcoxon\tmap\t") != NULL &&
              strstr(s, "\twilcoxon\thomotypic\t") != NULL, "long TSV: test and family names");
        int fields = 1;
        for (const char *c = s; *c && *c != '\n'; c++) fields += *c == '\t';
        CHECK(fields == 16, "long TSV: 16 columns");
        free(s);
    }
    cm_cells_free(&ct); cm_cells_free(&cw); cm_cells_free(&cby);

    /* ---- cm_cells_test / cm_cells_adjust directly (the bench path) and threads ---- */
    {
        size_t nc = 3000, per = 20;
        double *v = malloc(nc * per * sizeof *v);
        size_t *off = malloc((nc + 1) * sizeof *off);
        for (size_t i = 0; i <= nc; i++) off[i] = i * per;
        uint64_t z = 12345;
        for (size_t k = 0; k < nc * per; k++) {     /* LCG: deterministic values in [-1, 1) + shift */
            z = z * 6364136223846793005ULL + 1442695040888963407ULL;
            v[k] = (double)(z >> 11) / 9007199254740992.0 * 2 - 1 + (k / per % 10 == 0 ? 0.4 : 0);
        }
        cm_cell_t *a = calloc(nc, sizeof *a), *b = calloc(nc, sizeof *b);
        int same = 1;
        for (int test = 0; test < CM_TEST_N; test++) {
            cm_test_opts_init(&o);
            o.test = test;
            o.permutations = 999;
            omp_set_num_threads(1);
            CHECK(cm_cells_test(v, off, nc, &o, NULL, a, &err) == 0, "cells_test on 1 thread");
            omp_set_num_threads(4);
            CHECK(cm_cells_test(v, off, nc, &o, NULL, b, &err) == 0, "cells_test on 4 threads");
            for (size_t i = 0; i < nc; i++)
                same &= a[i].tt.p == b[i].tt.p && a[i].tt.log10p == b[i].tt.log10p && a[i].stat == b[i].stat &&
                        a[i].ci_low == b[i].ci_low;
            if (test == CM_TEST_T) {   /* each cell = cm_ttest1 */
                int eq = 1;
                for (size_t i = 0; i < nc; i++) {
                    cm_ttest_t r;
                    cm_ttest1(v + off[i], per, &r);
                    eq &= r.p == a[i].tt.p && r.t == a[i].stat;
                }
                CHECK(eq, "cells_test t: every cell = cm_ttest1");
            }
        }
        omp_set_num_threads(1);
        CHECK(same, "cells_test: t, wilcoxon and permutation p identical on 1 and 4 threads");
        for (size_t i = 0; i < nc; i++) a[i].family = CM_FAMILY_MAP;
        CHECK(cm_cells_adjust(a, nc, CM_CORR_BH, 0.05, &err) == 0, "cells_adjust");
        double *p = malloc(nc * sizeof *p), *q = malloc(nc * sizeof *q);
        for (size_t i = 0; i < nc; i++) p[i] = a[i].tt.p;
        cm_bh(p, nc, q);
        int eq = 1;
        for (size_t i = 0; i < nc; i++) eq &= a[i].q == q[i] && a[i].masked == (q[i] > 0.05);
        CHECK(eq, "cells_adjust = cm_bh over the family, masked = q > alpha");
        CHECK(cm_cells_adjust(a, nc, 5, 0.05, &err) == -1, "cells_adjust: bad correction refused");
        free(p); free(q); free(a); free(b); free(v); free(off);
    }
    cm_effects_free(&ef);
    return check_status();
}
