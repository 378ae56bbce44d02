/* sim.h — similarity of seqlets and patterns: maximum cross-correlation of
 * contribution-weighted one-hot matrices over offsets and both strands, and a sparse
 * nearest-neighbour search (k-mer sketch + sorted SimHash) so that the exact similarity
 * is computed for O(n) pairs, not n².
 *
 * Matrices.  A seqlet of width L is the L × 4 matrix M[k][b] = σ·x_k·[s_k = b]
 * (x = per-base importance, s = the base, σ = the seqlet's sign, so both signs look
 * positive; an N base gives a zero row): TF-MoDISco's contribution-weighted one-hot
 * ("contrib scores × one-hot").  A pattern's CWM is a dense w × 4 matrix.
 *
 * Similarity of A (la × 4) to B (lb × 4) at offset d (A row k against B row k + d,
 * rows outside B count 0) and orientation o (o = 1: A reverse-complemented, row k of
 * rc(A) = A[la−1−k] with b ↔ 3−b):
 *     c(d, o) = Σ_k Σ_b A_o[k][b] · B[k+d][b] / (‖A‖_F · ‖B‖_F),
 * the cosine of the two matrices zero-padded to the alignment (in [−1, 1]; 0 when a
 * norm is 0).  sim(A, B) = max over d in [dmin, dmax] and o of c(d, o).  Ties go to
 * the d nearest the range's centre floor((dmin+dmax)/2), then to o = 0, then to the
 * smaller d.  This is the "maximum cross-correlation over offsets and strands" of
 * issue 14; TF-MoDISco's fine similarity is a continuous Jaccard over the same
 * alignments, the cosine keeps it a plain inner product (cheap on the one-hot rows:
 * one multiply per row and offset).  Note sim(A, B) = sim(B, A) up to which matrix is
 * shifted and flipped.
 *
 * Nearest neighbours (cm_pat_knn), per seqlet i:
 *  1. sketch: e_i[κ] = Σ over the 4-mers of the seqlet (bases ACGT only) whose
 *     canonical form (the lesser code of the 4-mer and its reverse complement) is κ
 *     of the sum of the 4 bases' M values; e_i is L2-normalised (136 dimensions,
 *     strand-symmetric by construction);
 *  2. candidates: `tables` SimHash codes of `bits` bits (the signs of e_i · h for
 *     random hyperplanes h with coordinates uniform in [−1, 1], from the counter RNG
 *     keyed on seed, table and bit); per table the seqlets are sorted by (code, index)
 *     and the `span` seqlets on either side of i in that order are candidates (the
 *     sorted-LSH variant of multi-probe LSH: a fixed number of candidates per table,
 *     so the cost is linear in n whatever the bucket sizes).  When n − 1 <= ncand,
 *     every other seqlet is a candidate instead;
 *  3. the `ncand` candidates of largest sketch cosine e_i · e_j (ties: smaller j) get
 *     the exact similarity sim(M_i, M_j) with |d| <= L/2; the k best (ties: smaller
 *     j) with sim > 0 are i's neighbours.
 * Cost: O(n log n · tables) for the sorts plus O(n · (tables·span·136 + ncand·L²))
 * for the scores.  Each seqlet's neighbours depend only on the inputs and the seed,
 * so the result is the same for any thread count.
 */
#ifndef COOPMAP_PAT_SIM_H
#define COOPMAP_PAT_SIM_H

#include <stdint.h>

/* The matrices of n seqlets of one width L, one-hot rows kept sparse. */
typedef struct {
    int n, L;
    uint8_t *base;    /* n × L bases (4 = N) */
    float *val;       /* n × L values σ·x (0 at N) */
    double *norm;     /* n Frobenius norms */
} cm_pat_mats_t;

/* Frobenius norm of a dense w × 4 matrix. */
double cm_pat_norm(const float *m, int w);

/* sim of dense A (la × 4, norm na) to dense B (lb × 4, norm nb) over d in [dmin,
 * dmax], both orientations unless norc; writes the best d and o (may be NULL). */
double cm_pat_xcorr_dense(const float *A, int la, double na, const float *B, int lb,
                          double nb, int dmin, int dmax, int norc, int *best_d, int *best_o);

/* The same for A given as one-hot rows (base[k], val[k]; base 4 = zero row). */
double cm_pat_xcorr_sparse(const uint8_t *base, const float *val, int la, double na,
                           const float *B, int lb, double nb, int dmin, int dmax,
                           int *best_d, int *best_o);

/* Dense L × 4 matrix of seqlet i of M into out. */
void cm_pat_dense(const cm_pat_mats_t *M, int i, float *out);

/* Sketch of seqlet i (step 1) into e[136]. */
void cm_pat_sketch(const cm_pat_mats_t *M, int i, float *e);

/* Neighbour-search options. */
typedef struct {
    int k;            /* neighbours kept (default 15) */
    int ncand;        /* exact similarities per seqlet (default 40) */
    int tables, bits, span;   /* SimHash (defaults 8, 12, 6) */
    uint64_t seed;
    int threads;
} cm_pat_knn_opts_t;

void cm_pat_knn_opts_init(cm_pat_knn_opts_t *o);

/* Neighbours of every seqlet: nbr[i·k + r] (−1 past the last) and sim[i·k + r], best
 * first.  Also returns the number of exact similarities computed in *nexact. */
void cm_pat_knn(const cm_pat_mats_t *M, const cm_pat_knn_opts_t *o, int *nbr, float *sim,
                long *nexact);

#endif
