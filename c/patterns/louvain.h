/* louvain.h — Louvain community detection (Blondel, Guillaume, Lambiotte & Lefebvre
 * 2008, "Fast unfolding of communities in large networks", J Stat Mech P10008) on an
 * undirected weighted graph, as TF-MoDISco clusters its seqlet graph (it now uses
 * Leiden, Traag et al. 2019, whose refinement step guarantees connected communities;
 * Louvain is the smaller, well-known method and its communities are then merged by
 * pattern similarity anyway, pattern.h).
 *
 * Modularity with resolution γ: Q = (1/2m) Σ_ij [A_ij − γ k_i k_j / 2m] δ(c_i, c_j),
 * k_i = Σ_j A_ij, 2m = Σ_i k_i.
 * Algorithm, deterministic: (1) local moving: nodes in index order; node i leaves its
 * community and joins the neighbouring community (or its own) of largest gain
 *     k_{i,C} − γ · tot_C · k_i / 2m
 * (k_{i,C} = weight from i to C, self loop excluded; tot_C = Σ degrees in C without i);
 * it moves only when the gain beats staying by more than 1e-12 · (1 + |gain|); ties
 * between other communities go to the lower community id; passes repeat until no
 * node moves (at most 1000 passes).  (2) aggregation: communities (numbered by their
 * lowest node) become nodes, edge weights summed (internal weight as a self loop).
 * (1)–(2) repeat until a level moves nothing.
 * Cost O(E) per pass.  Input graph: CSR (rowptr[n+1], col, w), symmetric (both
 * directions listed), weights > 0; self loops allowed (A_ii listed once).
 */
#ifndef COOPMAP_PAT_LOUVAIN_H
#define COOPMAP_PAT_LOUVAIN_H

/* Communities of the n nodes into label[0..n−1] (0 .. ncomm−1, numbered by their
 * lowest node); returns ncomm and, when Q is not NULL, the modularity. */
int cm_pat_louvain(int n, const int *rowptr, const int *col, const double *w, double gamma,
                   int *label, double *Q);

/* Modularity of a labelling (label[i] in 0..n−1) of the graph above. */
double cm_pat_modularity(int n, const int *rowptr, const int *col, const double *w,
                         double gamma, const int *label);

#endif
