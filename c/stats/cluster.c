/* cluster.c — see cluster.h. */
#include "stats/cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cm_tree_free(cm_tree_t *t)
{
    if (!t) return;
    free(t->merge);
    free(t->height);
    free(t->size);
    free(t->order);
    memset(t, 0, sizeof *t);
}

int cm_cluster_average(const double *d, int n, cm_tree_t *t, cm_err_t *err)
{
    memset(t, 0, sizeof *t);
    if (n < 0) return cm_fail(err, "cluster: negative number of items (%d)", n);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double v = d[(size_t)i * n + j];
            if (!isfinite(v) || v < 0)
                return cm_fail(err, "cluster: distance d[%d][%d] = %g is not a finite number >= 0", i, j, v);
        }
    t->n = n;
    int m = n > 1 ? n - 1 : 0;
    t->merge = cm_malloc(sizeof *t->merge * (size_t)(m + 1));
    t->height = cm_malloc(sizeof *t->height * (size_t)(m + 1));
    t->size = cm_malloc(sizeof *t->size * (size_t)(m + 1));
    t->order = cm_malloc(sizeof *t->order * (size_t)(n + 1));
    if (n == 0) return 0;

    /* Slot s holds the active cluster whose lowest member is item s (merging slots
     * i < j keeps slot i), so scanning pairs (i, j) in lexicographic order and keeping
     * the first strict minimum breaks ties by the lowest member indices. */
    double *D = cm_malloc(sizeof *D * (size_t)n * n);
    int *id = cm_malloc(sizeof *id * (size_t)n), *sz = cm_malloc(sizeof *sz * (size_t)n);
    int *act = cm_malloc(sizeof *act * (size_t)n);   /* active slots, ascending */
    for (int i = 0; i < n; i++) {
        id[i] = i, sz[i] = 1, act[i] = i;
        D[(size_t)i * n + i] = 0;
        for (int j = i + 1; j < n; j++) D[(size_t)i * n + j] = D[(size_t)j * n + i] = d[(size_t)i * n + j];
    }
    int na = n;
    for (int k = 0; k < m; k++) {
        int bi = 0, bj = 1;
        double best = INFINITY;
        for (int a = 0; a < na; a++) {
            const double *row = D + (size_t)act[a] * n;
            for (int b = a + 1; b < na; b++)
                if (row[act[b]] < best) best = row[act[b]], bi = a, bj = b;
        }
        int i = act[bi], j = act[bj];
        int lo = id[i] < id[j] ? id[i] : id[j], hi = id[i] < id[j] ? id[j] : id[i];
        t->merge[k][0] = lo, t->merge[k][1] = hi;
        t->height[k] = best;
        t->size[k] = sz[i] + sz[j];
        /* Lance-Williams update for average linkage (as scipy's _hierarchy) */
        for (int a = 0; a < na; a++) {
            int v = act[a];
            if (v == i || v == j) continue;
            double nd = (sz[i] * D[(size_t)i * n + v] + sz[j] * D[(size_t)j * n + v]) / (double)(sz[i] + sz[j]);
            D[(size_t)i * n + v] = D[(size_t)v * n + i] = nd;
        }
        sz[i] += sz[j];
        id[i] = n + k;
        memmove(act + bj, act + bj + 1, sizeof *act * (size_t)(na - bj - 1));
        na--;
    }
    /* leaf order: pre-order walk from the root, first child first */
    int *stack = cm_malloc(sizeof *stack * (size_t)(2 * n));
    int sp = 0, no = 0;
    stack[sp++] = 2 * n - 2;
    while (sp) {
        int c = stack[--sp];
        if (c < n) { t->order[no++] = c; continue; }
        stack[sp++] = t->merge[c - n][1];
        stack[sp++] = t->merge[c - n][0];
    }
    free(stack);
    free(D); free(id); free(sz); free(act);
    return 0;
}

void cm_dist_euclid_rows(const double *x, int nr, int nc, double *d)
{
    for (int i = 0; i < nr; i++) {
        d[(size_t)i * nr + i] = 0;
        for (int j = i + 1; j < nr; j++) {
            double s = 0;
            for (int k = 0; k < nc; k++) {
                double e = x[(size_t)i * nc + k] - x[(size_t)j * nc + k];
                s += e * e;
            }
            d[(size_t)i * nr + j] = d[(size_t)j * nr + i] = sqrt(s);
        }
    }
}
