/* seqlet.c — seqlet calling (seqlet.h). */
#include "patterns/seqlet.h"
#include "core/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cm_pat_seqlet_opts_init(cm_pat_seqlet_opts_t *o)
{
    o->window = 15, o->flank = 5, o->fdr = 0.05, o->shuffles = 2, o->seed = 1;
}

int cm_pat_window_sums(const float *x, int n, int w, double *out)
{
    if (w < 1 || n < w) return 0;
    for (int i = 0; i + w <= n; i++) {
        double s = 0;
        for (int j = 0; j < w; j++) s += x[i + j];
        out[i] = s;
    }
    return n - w + 1;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x > y ? -1 : x < y;
}

double cm_pat_fdr_threshold(double *obs, size_t nobs, double *null, size_t nnull,
                            double nobs_tot, double nnull_tot, double alpha)
{
    qsort(obs, nobs, sizeof *obs, cmp_desc);
    qsort(null, nnull, sizeof *null, cmp_desc);
    double scale = nnull_tot > 0 ? nobs_tot / nnull_tot : 0, best = HUGE_VAL;
    size_t k = 0;   /* null values >= obs[i] */
    for (size_t i = 0; i < nobs && obs[i] > 0; i++) {
        /* all observed values tied with obs[i] count in the denominator */
        size_t j = i;
        while (j + 1 < nobs && obs[j + 1] == obs[i]) j++;
        while (k < nnull && null[k] >= obs[i]) k++;
        double fdr = (double)k * scale / (double)(j + 1);
        if (fdr <= alpha) best = obs[i];
        i = j;
    }
    return best;
}

typedef struct { double v; int reg, i; } cand_t;

static int cmp_cand(const void *a, const void *b)
{
    const cand_t *x = a, *y = b;
    if (x->v != y->v) return x->v > y->v ? -1 : 1;
    if (x->reg != y->reg) return x->reg < y->reg ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int cmp_seqlet(const void *a, const void *b)
{
    const cm_pat_seqlet_t *x = a, *y = b;
    if (x->reg != y->reg) return x->reg < y->reg ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

int cm_pat_call_seqlets(const cm_pat_track_t *tr, int sign, const cm_pat_seqlet_opts_t *o,
                        uint64_t head_key, cm_pat_seqlet_t **s, int *n, int *cap,
                        cm_pat_call_stats_t *st)
{
    int W = o->window, F = o->flank, R = o->shuffles;
    size_t nw = 0, maxlen = 0;
    for (int r = 0; r < tr->nreg; r++) {
        if (tr->reg[r].len >= W) nw += (size_t)(tr->reg[r].len - W + 1);
        if ((size_t)tr->reg[r].len > maxlen) maxlen = (size_t)tr->reg[r].len;
    }
    memset(st, 0, sizeof *st);
    st->windows = nw;
    st->thresh = HUGE_VAL;
    if (nw == 0) return 0;
    double *obs = cm_malloc(nw * sizeof(double)), *nul = cm_malloc(nw * (size_t)R * sizeof(double));
    double *sums = cm_malloc(nw * sizeof(double));   /* S of every window, region by region */
    float *perm = cm_malloc(maxlen * sizeof(float));
    size_t no = 0, nn = 0;
    for (int r = 0; r < tr->nreg; r++) {
        const cm_pat_region_t *g = &tr->reg[r];
        int m = cm_pat_window_sums(g->imp, g->len, W, sums + no);
        for (int i = 0; i < m; i++) obs[no + i] = sign * sums[no + i];
        for (int k = 0; k < R && m > 0; k++) {
            memcpy(perm, g->imp, (size_t)g->len * sizeof(float));
            uint64_t key = cm_rng_key(cm_rng_key(cm_rng_key(o->seed, head_key), (uint64_t)r),
                                      (uint64_t)k);
            for (int i = g->len - 1; i > 0; i--) {   /* Fisher–Yates */
                int j = (int)cm_rng_below(key, (uint64_t)i, (uint32_t)(i + 1));
                float t = perm[i]; perm[i] = perm[j]; perm[j] = t;
            }
            cm_pat_window_sums(perm, g->len, W, nul + nn);
            for (int i = 0; i < m; i++) nul[nn + i] *= sign;
            nn += (size_t)m;
        }
        no += (size_t)m;
    }
    double t = cm_pat_fdr_threshold(obs, no, nul, nn, (double)no, (double)nn, o->fdr);
    st->thresh = t;
    free(nul);
    free(perm);
    /* candidates: passing windows whose seqlet fits */
    cand_t *c = cm_malloc(nw * sizeof *c);
    size_t nc = 0, off = 0;
    for (int r = 0; r < tr->nreg; r++) {
        int len = tr->reg[r].len, m = len >= W ? len - W + 1 : 0;
        for (int i = 0; i < m; i++) {
            double v = sign * sums[off + i];
            if (v > 0 && v >= t) {
                st->passing++;
                if (i - F >= 0 && i + W + F <= len) c[nc++] = (cand_t){v, r, i};
            }
        }
        off += (size_t)m;
    }
    qsort(c, nc, sizeof *c, cmp_cand);
    /* greedy: cores of one region never overlap (taken[] marks accepted core starts,
     * indexed by window as sums[] is) */
    size_t *roff = cm_malloc(((size_t)tr->nreg + 1) * sizeof(size_t));
    roff[0] = 0;
    for (int r = 0; r < tr->nreg; r++)
        roff[r + 1] = roff[r] + (size_t)(tr->reg[r].len >= W ? tr->reg[r].len - W + 1 : 0);
    unsigned char *taken = cm_calloc(nw, 1);
    int first = *n;
    for (size_t a = 0; a < nc; a++) {
        const cand_t *x = &c[a];
        int m = (int)(roff[x->reg + 1] - roff[x->reg]), ok = 1;
        int lo = x->i - W + 1 < 0 ? 0 : x->i - W + 1, hi = x->i + W - 1 >= m ? m - 1 : x->i + W - 1;
        for (int j = lo; j <= hi && ok; j++)
            if (taken[roff[x->reg] + (size_t)j]) ok = 0;
        if (!ok) continue;
        taken[roff[x->reg] + (size_t)x->i] = 1;
        *s = cm_grow(*s, *n, cap, sizeof **s, 256);
        (*s)[(*n)++] = (cm_pat_seqlet_t){x->reg, x->i - F, sign, sign * x->v};
    }
    free(taken);
    free(roff);
    if (*n > first) qsort(*s + first, (size_t)(*n - first), sizeof **s, cmp_seqlet);
    free(c);
    free(sums);
    free(obs);
    return 0;
}
