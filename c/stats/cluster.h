/* cluster.h — average-linkage (UPGMA) hierarchical clustering, for ordering the rows
 * and columns of the cooperativity map (stats/figures).
 *
 * Method: UPGMA (Sokal & Michener 1958, "A statistical method for evaluating
 * systematic relationships", Univ. Kansas Sci. Bull. 38:1409-1438): start with every
 * item in its own cluster; repeatedly merge the two clusters at the smallest distance;
 * the distance of the merged cluster u = a + b to any other cluster v is the size-
 * weighted mean (Lance-Williams update for average linkage)
 *     d(u, v) = (|a| d(a, v) + |b| d(b, v)) / (|a| + |b|),
 * i.e. the mean of the original pairwise distances between the members of u and v.
 * This is scipy.cluster.hierarchy.linkage(y, method='average'); the tree is returned in
 * scipy's linkage layout and the leaf order is scipy's dendrogram order
 * (scipy.cluster.hierarchy.leaves_list), checked against scipy 1.10 in
 * tests/unit/stats/test_cluster.c (fixture made by tests/fixtures/stats/make_cluster_fixture.py).
 *
 * Cluster ids (scipy's): 0..n-1 are the leaves (the items), n + k is the cluster made
 * by merge k (k = 0..n-2, in merge order, heights non-decreasing).
 * Child order within a merge (scipy's rule): the child with the smaller cluster id
 * first, so a leaf comes before a cluster and an earlier merge before a later one.
 * The leaf order is the left-to-right order of a pre-order walk from the root (id
 * 2n-2) visiting merge[k][0] before merge[k][1].  Example: points 0, 0.1, 10, 0.5, 20
 * on a line give the order 4 2 3 0 1 (the leaf 3 precedes the cluster {0, 1}).
 * Ties: when several pairs are at the same smallest distance, the pair of clusters
 * whose lowest member indices (a, b), a < b, are lexicographically smallest merges
 * first.  scipy (nearest-neighbour chain, then a stable sort by height) may resolve
 * exact ties in another order, giving an equally valid but different tree, so the
 * tests compare leaf orders on distance matrices without tied distances only; merge
 * heights agree in every case.
 *
 * Cost: O(n^3) time and O(n^2) memory (fine for the hundreds of TFs on a map).
 */
#ifndef COOPMAP_CLUSTER_H
#define COOPMAP_CLUSTER_H

#include "core/error.h"

/* A clustering tree of n items. */
typedef struct {
    int n;            /* leaves */
    int (*merge)[2];  /* n-1 merges: the two child cluster ids, the smaller id first */
    double *height;   /* n-1 merge distances, non-decreasing */
    int *size;        /* n-1 leaf counts of the merged clusters */
    int *order;       /* n leaf indices in dendrogram order (leaves_list) */
} cm_tree_t;

/* Average-linkage clustering of n >= 0 items from d, an n x n distance matrix
 * (row-major, d[i*n + j]); only the upper triangle (i < j) is read, so d need be
 * symmetric only in intent.  Distances must be finite and >= 0.  n = 0 gives an empty
 * tree, n = 1 a tree with no merge and order {0}.  Returns 0, or -1 with err filled
 * (n < 0, a negative or non-finite distance "cluster: distance d[i][j] = ... is not
 * a finite number >= 0"); on failure t is left empty.  Free with cm_tree_free. */
int cm_cluster_average(const double *d, int n, cm_tree_t *t, cm_err_t *err);

/* Free the arrays and zero t; NULL-safe. */
void cm_tree_free(cm_tree_t *t);

/* Euclidean distances between the rows of x (nr x nc, row-major): d[i*nr + j] =
 * sqrt(sum_k (x[i*nc+k] - x[j*nc+k])^2), d (nr x nr) filled in full, 0 diagonal. */
void cm_dist_euclid_rows(const double *x, int nr, int nc, double *d);

#endif
