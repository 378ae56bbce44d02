/* blic.h — Tomtom's Bayesian column scores: BLiC (Bayesian Likelihood 2-Component;
 * Habib, Kaplan, Margalit & Friedman 2008, PLoS Comput Biol 4(2):e1000010, eq. 2)
 * and the plain log-likelihood ratio (LLR) of a common source, each with a
 * Dirichlet prior of 1 component (Tomtom -dist blic1, llr1) or a 5-component
 * mixture (blic5, llr5).
 *
 * A column is a count vector n[4] (A, C, G, T) = nsites × the pseudocounted
 * frequencies (Tomtom's counts: the motif's nsites= value, 20 when absent, times
 * its frequencies).  Its source distribution is estimated as the posterior mean
 * under the prior:
 *   1 component:  α = (1,1,1,1):  p_a = (n_a + α_a) / Σ_b (n_b + α_b)   (Laplace)
 *   5 components: α_k = (5,1,1,1), (1,5,1,1), (1,1,5,1), (1,1,1,5), (2,2,2,2), each
 *                 with prior weight 1/5; p = Σ_k Pr(k | n) · p_k with p_k as above
 *                 and Pr(k | n) ∝ Pr(n | α_k) =
 *                 Γ(A_k)/Γ(N + A_k) · Π_a Γ(n_a + α_ka)/Γ(α_ka)   (A_k = Σ α_k = 8,
 *                 N = Σ n; Habib et al., the likelihood of counts under a Dirichlet).
 * The prior is a DNA prior: a strong preference for one letter, or none.
 *
 * With n_q, n_t the two columns' counts, c = n_q + n_t and p̂(·) the estimate:
 *   BLiC = 2 Σ c_a ln p̂(c)_a − Σ n_q,a ln p̂(n_q)_a − Σ n_t,a ln p̂(n_t)_a
 *          − Σ c_a ln b_a
 *   LLR  =   Σ c_a ln p̂(c)_a − Σ n_q,a ln p̂(n_q)_a − Σ n_t,a ln p̂(n_t)_a
 * (natural logs, b = the comparison background).  BLiC rewards a common source
 * that also differs from the background; LLR only the common source.  Larger =
 * more similar, as for every Tomtom column score.  The arithmetic (order of sums,
 * lgamma, the pairwise log-sum of the mixture) follows Tomtom 5.5.8's, so scores
 * equal Tomtom's to the last bit on the same libm; no Tomtom run of these
 * distances is available here, so that equality is not tested (see docs/compare.md).
 */
#ifndef COOPMAP_BLIC_H
#define COOPMAP_BLIC_H

/* The estimated source p[4] of counts n[4] (all >= 0) under the 1- or 5-component
 * prior (ncomp 1 or 5; any other value is treated as 5).  Σ p = 1 up to rounding;
 * every p_a > 0. */
void cm_dirichlet_source(int ncomp, const double n[4], double p[4]);

/* Σ_a n_a ln p̂(n)_a, the self term of a column under the prior (<= 0). */
double cm_dirichlet_selfterm(int ncomp, const double n[4]);

/* BLiC of query counts nq[4] and target counts nt[4] whose self terms
 * (cm_dirichlet_selfterm) are sq and st, with ln_bg[4] = ln of the background. */
double cm_colscore_blic(int ncomp, const double nq[4], double sq, const double nt[4],
                        double st, const double ln_bg[4]);

/* LLR of query counts nq[4] and target counts nt[4] with self terms sq and st. */
double cm_colscore_llr(int ncomp, const double nq[4], double sq, const double nt[4],
                       double st);

#endif
