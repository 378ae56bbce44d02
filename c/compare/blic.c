/* blic.c — see blic.h (Habib et al. 2008; Tomtom -dist blic1/blic5/llr1/llr5). */
#include "compare/blic.h"

#include <math.h>

/* The Dirichlet parameters: component 0 is the 1-component prior, 1..5 the mixture. */
static const int ALPHA[6][4] = {
    {1, 1, 1, 1},
    {5, 1, 1, 1}, {1, 5, 1, 1}, {1, 1, 5, 1}, {1, 1, 1, 5}, {2, 2, 2, 2},
};

/* lgamma without touching the global signgam (all arguments here are > 0). */
static inline double lgam(double x)
{
    int sign;
    return lgamma_r(x, &sign);
}

/* Posterior mean of one Dirichlet component: (n_a + α_a) / Σ_b (n_b + α_b), the
 * denominator summed in letter order. */
static inline void one_component(const int *alpha, const double n[4], double p[4])
{
    double den = 0.0;
    for (int a = 0; a < 4; a++) den += n[a] + alpha[a];
    for (int a = 0; a < 4; a++) p[a] = (n[a] + alpha[a]) / den;
}

/* ln(e^x + e^y) as a pairwise log-sum. */
static inline double logsum(double x, double y)
{
    return x < y ? y + log(1.0 + exp(x - y)) : x + log(1.0 + exp(y - x));
}

/* The 5-component mixture posterior mean.  ln Pr(n | α_k) =
 * lnΓ(8) − lnΓ(N + 8) + Σ_a [lnΓ(α_ka + n_a) − lnΓ(α_ka)], accumulated in that
 * order; the lnΓ(α + n_a) for α ∈ {1, 2, 5} are computed once per letter. */
static void mixture5(const double n[4], double p[4])
{
    double N = 0.0;
    for (int a = 0; a < 4; a++) N += n[a];
    const double g8 = lgam(8.0), gN = lgam(N + 8.0);
    const double g[6] = {0, lgam(1.0), lgam(2.0), 0, 0, lgam(5.0)};
    double ln[6][4];   /* ln[α][a] = lnΓ(α + n_a) for α = 1, 2, 5 */
    for (int a = 0; a < 4; a++) {
        ln[1][a] = lgam(1.0 + n[a]);
        ln[2][a] = lgam(2.0 + n[a]);
        ln[5][a] = lgam(5.0 + n[a]);
    }
    double ll[6];
    for (int k = 1; k <= 5; k++) {
        double l = g8 - gN;
        for (int a = 0; a < 4; a++) {
            int al = ALPHA[k][a];
            l += ln[al][a] - g[al];
        }
        ll[k] = l;
    }
    const double lw = log(1.0 / 5.0);   /* equal prior weights */
    double lden = lw + ll[1];
    for (int k = 2; k <= 5; k++) lden = logsum(lden, lw + ll[k]);
    for (int a = 0; a < 4; a++) p[a] = 0.0;
    for (int k = 1; k <= 5; k++) {
        double w = exp(lw + ll[k] - lden), pk[4];
        one_component(ALPHA[k], n, pk);
        for (int a = 0; a < 4; a++) p[a] += pk[a] * w;
    }
}

void cm_dirichlet_source(int ncomp, const double n[4], double p[4])
{
    if (ncomp == 1) one_component(ALPHA[0], n, p);
    else mixture5(n, p);
}

double cm_dirichlet_selfterm(int ncomp, const double n[4])
{
    double p[4], s = 0.0;
    cm_dirichlet_source(ncomp, n, p);
    for (int a = 0; a < 4; a++) s += n[a] * log(p[a]);
    return s;
}

/* Σ_a c_a ln p̂(c)_a (times 2 for BLiC, in Tomtom's order: (2·c_a)·ln p̂_a) and the
 * common counts c = nq + nt. */
static inline double common_term(int ncomp, int twice, const double nq[4], const double nt[4],
                                 double c[4])
{
    double p[4], s = 0.0;
    for (int a = 0; a < 4; a++) c[a] = nq[a] + nt[a];
    cm_dirichlet_source(ncomp, c, p);
    for (int a = 0; a < 4; a++) s += (twice ? 2 * c[a] : c[a]) * log(p[a]);
    return s;
}

double cm_colscore_blic(int ncomp, const double nq[4], double sq, const double nt[4],
                        double st, const double ln_bg[4])
{
    double c[4], first = common_term(ncomp, 1, nq, nt, c), fourth = 0.0;
    for (int a = 0; a < 4; a++) fourth += c[a] * ln_bg[a];
    return first - (sq + st + fourth);
}

double cm_colscore_llr(int ncomp, const double nq[4], double sq, const double nt[4],
                       double st)
{
    double c[4], first = common_term(ncomp, 0, nq, nt, c);
    return first - (sq + st);
}
