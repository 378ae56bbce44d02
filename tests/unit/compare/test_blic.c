/* Unit tests for blic.c (BLiC and LLR column scores with Dirichlet priors).
 * Hand-derived cases are worked out in the comments; the 40 random cases come from
 * an independent scipy implementation (tests/fixtures/compare/blic_gen.py). */
#include "compare/blic.h"
#include "check.h"

#include <math.h>
#include <stdio.h>

#include "../../fixtures/compare/blic_cases.h"

static void test_sources(void)
{
    double p[4];
    /* 1 component, n = (2,0,0,0): (n + 1)/(N + 4) = (3,1,1,1)/6 */
    const double n2[4] = {2, 0, 0, 0};
    cm_dirichlet_source(1, n2, p);
    CHECK_NEAR(p[0], 0.5, 1e-15, 0, "laplace source of (2,0,0,0): A = 1/2");
    CHECK_NEAR(p[3], 1.0 / 6, 1e-15, 0, "laplace source of (2,0,0,0): T = 1/6");
    /* 5 components, n = 0: every component has likelihood 1, weights 1/5 each, and
     * the mean of α_k/8 is (5+1+1+1+2)/40 = 1/4 for every letter */
    const double n0[4] = {0, 0, 0, 0};
    cm_dirichlet_source(5, n0, p);
    CHECK(fabs(p[0] - 0.25) < 1e-15 && fabs(p[1] - 0.25) < 1e-15 && fabs(p[2] - 0.25) < 1e-15 &&
          fabs(p[3] - 0.25) < 1e-15, "mixture source of no counts is uniform");
    /* 5 components, n = (1,0,0,0): Pr(n | α_k) = Γ(8)/Γ(9)·Γ(α_A+1)/Γ(α_A) = α_A/8, so the
     * weights are (5,1,1,1,2)/10; the component means (n + α)/9 are (6,1,1,1),
     * (2,5,1,1), (2,1,5,1), (2,1,1,5), (3,2,2,2) over 9, so
     * p_A = (5·6 + 2 + 2 + 2 + 2·3)/90 = 42/90 = 7/15 and
     * p_C = (5·1 + 5 + 1 + 1 + 2·2)/90 = 16/90 = 8/45 (G and T alike) */
    const double n1[4] = {1, 0, 0, 0};
    cm_dirichlet_source(5, n1, p);
    CHECK_NEAR(p[0], 7.0 / 15, 1e-15, 0, "mixture source of (1,0,0,0): A = 7/15");
    CHECK_NEAR(p[1], 8.0 / 45, 1e-15, 0, "mixture source of (1,0,0,0): C = 8/45");
    CHECK_NEAR(p[3], 8.0 / 45, 1e-15, 0, "mixture source of (1,0,0,0): T = 8/45");
    /* self term of (2,0,0,0), 1 component: 2·ln(1/2) */
    CHECK_NEAR(cm_dirichlet_selfterm(1, n2), -2 * log(2), 1e-15, 0, "self term of (2,0,0,0) = -2 ln 2");
    /* large counts: the estimate approaches the frequencies and sums to 1 */
    const double nb[4] = {4552 * 0.7, 4552 * 0.1, 4552 * 0.1, 4552 * 0.1};
    cm_dirichlet_source(5, nb, p);
    /* the weights exp(ln Pr(n|α_k) − ln Σ) carry the rounding of log-likelihoods of
     * size ~1e3, so Σ p is 1 to ~1e-13, not to the last bit */
    CHECK_NEAR(p[0] + p[1] + p[2] + p[3], 1, 1e-11, 0, "mixture source sums to 1 (4552 sites)");
    CHECK_NEAR(p[0], 0.7, 1e-3, 0, "mixture source of 4552 sites ~ the frequencies");
}

static void test_hand_scores(void)
{
    /* nq = nt = (1,0,0,0), 1 component, uniform background:
     *   c = (2,0,0,0), p(c) = (1/2, 1/6, 1/6, 1/6): Σ c ln p(c) = 2 ln(1/2)
     *   p(nq) = (2,1,1,1)/5: self terms ln(2/5) each;  Σ c ln b = 2 ln(1/4)
     *   BLiC = 4 ln(1/2) − 2 ln(2/5) − 2 ln(1/4) = −2 ln(2/5) = 2 ln(5/2)
     *   LLR  = 2 ln(1/2) − 2 ln(2/5) = 2 ln(5/4) */
    const double a[4] = {1, 0, 0, 0}, lnu[4] = {log(.25), log(.25), log(.25), log(.25)};
    double s = cm_dirichlet_selfterm(1, a);
    CHECK_NEAR(s, log(0.4), 1e-15, 0, "self term of (1,0,0,0) = ln(2/5)");
    CHECK_NEAR(cm_colscore_blic(1, a, s, a, s, lnu), 2 * log(2.5), 1e-14, 0, "blic1(A, A) = 2 ln(5/2)");
    CHECK_NEAR(cm_colscore_llr(1, a, s, a, s), 2 * log(1.25), 1e-14, 0, "llr1(A, A) = 2 ln(5/4)");
    /* nq = (1,0,0,0), nt = (0,1,0,0): c = (1,1,0,0), p(c) = (2,2,1,1)/6:
     *   Σ c ln p(c) = 2 ln(1/3); self terms ln(2/5) each; Σ c ln b = 2 ln(1/4)
     *   BLiC = 4 ln(1/3) − 2 ln(2/5) − 2 ln(1/4) = 2 ln(4·5/(9·2)) = 2 ln(10/9)
     *   LLR  = 2 ln(1/3) − 2 ln(2/5) = 2 ln(5/6) < 0 (different sources) */
    const double c[4] = {0, 1, 0, 0};
    CHECK_NEAR(cm_colscore_blic(1, a, s, c, s, lnu), 2 * log(10.0 / 9), 1e-14, 0, "blic1(A, C) = 2 ln(10/9)");
    CHECK_NEAR(cm_colscore_llr(1, a, s, c, s), 2 * log(5.0 / 6), 1e-14, 0, "llr1(A, C) = 2 ln(5/6)");
}

static void test_scipy_cases(void)
{
    int n = (int)(sizeof BLIC_CASES / sizeof BLIC_CASES[0]), bad_b = 0, bad_l = 0, asym = 0;
    double worst = 0;
    for (int i = 0; i < n; i++) {
        const double *r = BLIC_CASES[i];
        int k = (int)r[0];
        const double *nq = r + 1, *nt = r + 5, *bg = r + 9;
        double lnbg[4];
        for (int a = 0; a < 4; a++) lnbg[a] = log(bg[a]);
        double sq = cm_dirichlet_selfterm(k, nq), st = cm_dirichlet_selfterm(k, nt);
        double b = cm_colscore_blic(k, nq, sq, nt, st, lnbg), l = cm_colscore_llr(k, nq, sq, nt, st);
        /* the terms reach ~1e4 for 4552 sites and the mixture weights carry their
         * rounding (see test_sources); compare relative to that scale */
        double scale = 1 + fabs(sq) + fabs(st);
        double eb = fabs(b - r[13]) / scale, el = fabs(l - r[14]) / scale;
        if (eb > 1e-11) bad_b++;
        if (el > 1e-11) bad_l++;
        if (eb > worst) worst = eb;
        if (el > worst) worst = el;
        if (cm_colscore_blic(k, nt, st, nq, sq, lnbg) != b) asym++;
    }
    char msg[160];
    snprintf(msg, sizeof msg, "blic on %d scipy cases (worst scaled error %.2g)", n, worst);
    CHECK(n == 40 && bad_b == 0, msg);
    CHECK(bad_l == 0, "llr on the scipy cases");
    CHECK(asym == 0, "blic(q, t) == blic(t, q) exactly");
}

int main(void)
{
    test_sources();
    test_hand_scores();
    test_scipy_cases();
    return check_status();
}
