/* louvain.c — Louvain modularity clustering (louvain.h). */
#include "patterns/louvain.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double cm_pat_modularity(int n, const int *rowptr, const int *col, const double *w,
                         double gamma, const int *label)
{
    double m2 = 0, in = 0;
    double *tot = cm_calloc((size_t)(n > 0 ? n : 1), sizeof(double));
    for (int i = 0; i < n; i++)
        for (int e = rowptr[i]; e < rowptr[i + 1]; e++) {
            m2 += w[e];
            tot[label[i]] += w[e];
            if (label[col[e]] == label[i]) in += w[e];
        }
    double q = 0;
    if (m2 > 0) {
        q = in / m2;
        for (int c = 0; c < n; c++) q -= gamma * (tot[c] / m2) * (tot[c] / m2);
    }
    free(tot);
    return q;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* One level of local moving on graph (n, rp, cl, w); comm[] in/out.  Returns the
 * number of nodes that ended in another community than they started in. */
static int local_moving(int n, const int *rp, const int *cl, const double *w, double gamma,
                        int *comm)
{
    double *k = cm_malloc((size_t)n * sizeof(double)), *tot = cm_calloc((size_t)n, sizeof(double));
    double *kin = cm_calloc((size_t)n, sizeof(double)), m2 = 0;
    int *touched = cm_malloc((size_t)n * sizeof(int)), *start = cm_malloc((size_t)n * sizeof(int));
    for (int i = 0; i < n; i++) {
        k[i] = 0;
        for (int e = rp[i]; e < rp[i + 1]; e++) k[i] += w[e];
        m2 += k[i];
        tot[comm[i]] += k[i];
        start[i] = comm[i];
    }
    for (int pass = 0; pass < 1000 && m2 > 0; pass++) {
        int moved = 0;
        for (int i = 0; i < n; i++) {
            int ci = comm[i], nt = 0;
            for (int e = rp[i]; e < rp[i + 1]; e++) {
                int j = cl[e];
                if (j == i) continue;
                int c = comm[j];
                if (kin[c] == 0) touched[nt++] = c;
                kin[c] += w[e];
            }
            tot[ci] -= k[i];
            double stay = kin[ci] - gamma * tot[ci] * k[i] / m2, best = stay;
            int bc = ci;
            for (int t = 0; t < nt; t++) {
                int c = touched[t];
                if (c == ci) continue;
                double g = kin[c] - gamma * tot[c] * k[i] / m2;
                if (g > best + 1e-12 * (1 + fabs(g)) || (bc != ci && g == best && c < bc))
                    best = g, bc = c;
            }
            if (bc != ci && !(best > stay + 1e-12 * (1 + fabs(stay)))) bc = ci;
            tot[bc] += k[i];
            if (bc != ci) comm[i] = bc, moved++;
            for (int t = 0; t < nt; t++) kin[touched[t]] = 0;
        }
        if (!moved) break;
    }
    int changed = 0;
    for (int i = 0; i < n; i++) changed += comm[i] != start[i];
    free(k), free(tot), free(kin), free(touched), free(start);
    return changed;
}

int cm_pat_louvain(int n, const int *rowptr, const int *col, const double *w, double gamma,
                   int *label, double *Q)
{
    if (n <= 0) {
        if (Q) *Q = 0;
        return 0;
    }
    /* the current level's graph (a copy) */
    int gn = n, *rp = cm_malloc((size_t)(n + 1) * sizeof(int));
    memcpy(rp, rowptr, (size_t)(n + 1) * sizeof(int));
    int *cl = cm_malloc((size_t)(rowptr[n] + 1) * sizeof(int));
    double *ww = cm_malloc((size_t)(rowptr[n] + 1) * sizeof(double));
    memcpy(cl, col, (size_t)rowptr[n] * sizeof(int));
    memcpy(ww, w, (size_t)rowptr[n] * sizeof(double));
    for (int i = 0; i < n; i++) label[i] = i;
    int *comm = cm_malloc((size_t)n * sizeof(int)), *id = cm_malloc((size_t)n * sizeof(int));
    for (int level = 0; level < 100; level++) {
        for (int i = 0; i < gn; i++) comm[i] = i;
        int changed = local_moving(gn, rp, cl, ww, gamma, comm);
        /* renumber communities by their lowest node */
        for (int i = 0; i < gn; i++) id[i] = -1;
        int nc = 0;
        for (int i = 0; i < gn; i++) if (id[comm[i]] < 0) id[comm[i]] = nc++;
        for (int i = 0; i < gn; i++) comm[i] = id[comm[i]];
        for (int v = 0; v < n; v++) label[v] = comm[label[v]];
        if (!changed || nc == gn) break;
        /* aggregate: nodes of each community, then summed rows */
        int *cnt = cm_calloc((size_t)nc + 1, sizeof(int)), *mem = cm_malloc((size_t)gn * sizeof(int));
        for (int i = 0; i < gn; i++) cnt[comm[i] + 1]++;
        for (int c = 0; c < nc; c++) cnt[c + 1] += cnt[c];
        int *fill = cm_malloc((size_t)nc * sizeof(int));
        memcpy(fill, cnt, (size_t)nc * sizeof(int));
        for (int i = 0; i < gn; i++) mem[fill[comm[i]]++] = i;
        double *acc = cm_calloc((size_t)nc, sizeof(double));
        int *tl = cm_malloc((size_t)nc * sizeof(int));
        int *nrp = cm_malloc((size_t)(nc + 1) * sizeof(int)), ne = 0, capE = rp[gn] + 1;
        int *ncl = cm_malloc((size_t)capE * sizeof(int));
        double *nw = cm_malloc((size_t)capE * sizeof(double));
        nrp[0] = 0;
        for (int c = 0; c < nc; c++) {
            int nt = 0;
            for (int q = cnt[c]; q < cnt[c + 1]; q++) {
                int i = mem[q];
                for (int e = rp[i]; e < rp[i + 1]; e++) {
                    int d = comm[cl[e]];
                    if (acc[d] == 0) tl[nt++] = d;
                    acc[d] += ww[e];
                }
            }
            qsort(tl, (size_t)nt, sizeof(int), cmp_int);
            for (int t = 0; t < nt; t++) {
                ncl[ne] = tl[t], nw[ne] = acc[tl[t]], ne++;
                acc[tl[t]] = 0;
            }
            nrp[c + 1] = ne;
        }
        free(cnt), free(mem), free(fill), free(acc), free(tl);
        free(rp), free(cl), free(ww);
        rp = nrp, cl = ncl, ww = nw, gn = nc;
    }
    int nc = 0;
    for (int v = 0; v < n; v++) if (label[v] + 1 > nc) nc = label[v] + 1;
    if (Q) *Q = cm_pat_modularity(n, rowptr, col, w, gamma, label);
    free(rp), free(cl), free(ww), free(comm), free(id);
    return nc;
}
