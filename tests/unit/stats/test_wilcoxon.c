/* Unit tests for wilcoxon.c against scipy 1.10.1's scipy.stats.wilcoxon(x) (defaults:
 * zero_method 'wilcox', correction False, method 'auto'), 330 vectors of
 * tests/fixtures/stats/make_tests_fixtures.py: n = 0..80 and 400, 3000; exact and
 * approximate modes; ties (half ranks), zeros among the values, zero variance.
 * Every p and log10 p to 1e-12 relative, W exactly (sums of half-integer ranks).
 *
 * Where coopmap defines a case scipy has no number for (mode NONE in the fixture):
 *   n = 0: scipy returns (NaN, NaN); coopmap W NaN, p = 1 (printed 1, score 0);
 *   every value 0: scipy raises ValueError; coopmap W NaN, p = 1.
 * Where scipy's p underflows (n = 3000, all positive: p ~ 1e-1000) the fixture holds
 * the 60-digit mpmath erfc of scipy's z, and log10 p is compared (p itself is 0). */
#include "check.h"
#include "stats/wilcoxon.h"
#include "../../fixtures/stats/tests_wilcoxon_cases.h"

#include <stdlib.h>

int main(void)
{
    char name[200];
    int bad = 0, n_exact = 0, n_approx = 0, n_none = 0;
    double *work = malloc(4000 * sizeof *work);
    for (int i = 0; i < N_WX_CASES; i++) {
        const wx_case_t *c = &wx_cases[i];
        cm_wilcoxon_t r;
        cm_wilcoxon1(c->x, c->n, work, &r);
        int ok = r.n == c->n && r.mode == c->mode;
        ok &= (isnan(c->w) && isnan(r.w)) || r.w == c->w;
        ok &= fabs(r.p - c->p) <= 1e-12 * c->p || (c->p < 1e-300 && r.p < 1e-300);
        ok &= fabs(r.log10p - c->log10p) <= 1e-12 * fabs(c->log10p);
        n_exact += c->mode == CM_WILCOXON_EXACT;
        n_approx += c->mode == CM_WILCOXON_APPROX;
        n_none += c->mode == CM_WILCOXON_NONE;
        if (!ok) {
            bad++;
            printf("# %s (n %zu): mode %d W %.17g p %.17g lp %.17g; want mode %d W %.17g p %.17g lp %.17g\n",
                   c->name, c->n, r.mode, r.w, r.p, r.log10p, c->mode, c->w, c->p, c->log10p);
        }
        if (i < 18 || !ok) {          /* the named edge cases one by one */
            snprintf(name, sizeof name, "wilcoxon %s (n %zu): mode, W, p, log10 p", c->name, c->n);
            CHECK(ok, name);
        }
    }
    snprintf(name, sizeof name, "wilcoxon = scipy on all %d vectors (%d exact, %d approximation, %d untestable)",
             N_WX_CASES, n_exact, n_approx, n_none);
    CHECK(bad == 0, name);
    CHECK(n_exact > 100 && n_approx > 50 && n_none == 3, "fixture covers both modes and the untestable cases");

    /* by hand: 1, 2, 2, 3, -1: |x| ranks 1.5 (1, -1), 3.5 (2, 2), 5; R+ = 1.5+3.5+3.5+5 =
     * 13.5, R- = 1.5, W = 1.5; exact: int(R+) = 13, M = 15, P(S <= 2) = 3/32 (sums 0, 1, 2)
     * -> p = 6/32 = 0.1875 (scipy 0.1875) */
    {
        double x[] = { 1, 2, 2, 3, -1 };
        cm_wilcoxon_t r;
        cm_wilcoxon1(x, 5, NULL, &r);
        CHECK(r.mode == CM_WILCOXON_EXACT && r.r_plus == 13.5 && r.r_minus == 1.5 && r.w == 1.5 && r.p == 0.1875,
              "wilcoxon by hand: half ranks, int(R+), p = 6/32 (work NULL)");
        /* a zero switches to the approximation, N = 5 (the zero dropped): no ties,
         * m = 7.5, s^2 = 5*6*11/24 = 13.75; 0, 1, 2, 3, 4, 5 -> W = 0, z = -7.5/sqrt(13.75) */
        double y[] = { 0, 1, 2, 3, 4, 5 };
        cm_wilcoxon1(y, 6, NULL, &r);
        CHECK(r.mode == CM_WILCOXON_APPROX && r.n_zero == 1 && r.w == 0 &&
              fabs(r.z + 7.5 / sqrt(13.75)) < 1e-15 && fabs(r.p - erfc(7.5 / sqrt(13.75) / sqrt(2))) < 1e-16,
              "wilcoxon by hand: a zero => normal approximation on the non-zero values");
        double z[] = { 0, 0, 0 };
        cm_wilcoxon1(z, 3, NULL, &r);
        CHECK(r.mode == CM_WILCOXON_NONE && r.p == 1 && r.log10p == 0 && isnan(r.w), "wilcoxon all zeros: untestable, p = 1");
        cm_wilcoxon1(z, 0, NULL, &r);
        CHECK(r.mode == CM_WILCOXON_NONE && r.p == 1 && isnan(r.w), "wilcoxon n = 0: p = 1");
    }
    /* null counts: n = 3 subsets of {1,2,3} by sum 0,1,2,3,3,4,5,6 */
    CHECK(cm_wilcoxon_count_le(3, 3) == 5 && cm_wilcoxon_count_le(3, -1) == 0 && cm_wilcoxon_count_le(3, 6) == 8 &&
          cm_wilcoxon_count_le(3, 99) == 8 && cm_wilcoxon_count_le(0, 0) == 1, "null counts n = 3");
    /* n = 50: P(S <= 0) = 1/2^50; the total is 2^50 */
    CHECK(cm_wilcoxon_count_le(50, 0) == 1 && cm_wilcoxon_count_le(50, 1275) == (1ULL << 50) &&
          cm_wilcoxon_count_le(50, 637) == (1ULL << 49), "null counts n = 50: ends and the symmetric half");
    free(work);
    return check_status();
}
