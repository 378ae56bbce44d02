/* pssm.c — see pssm.h. */
#include "motif/pssm.h"
#include "motif/background.h"
#include "motif/quantise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cm_log_odds_k(const double *f, int w, int k, const double *bg, double *L)
{
    for (int i = 0; i < w; i++)
        for (int a = 0; a < k; a++) {
            double x = f[(size_t)i * k + a], b = bg[a];
            if (!(x > 0) || !(b > 0)) return -1;
            L[(size_t)i * k + a] = log(x / b) * CM_LOG2_FIMO;
        }
    return 0;
}

int cm_log_odds(const double *f, int w, const double bg[4], double *L)
{
    return cm_log_odds_k(f, w, 4, bg, L);
}

/* Null pmf of the window score by convolution over columns (letter-major inner loops),
 * then the upper tail pv[s] = P(S >= s) summed from the top, capped at 1. */
static void pv_table(cm_pssm_t *p, const double *bg)
{
    int w = p->w, max = 0, K = p->k;
    for (int i = 0; i < w; i++) {
        int cm = 0;
        for (int a = 0; a < K; a++)
            if (p->mat[i * K + a] > cm) cm = p->mat[i * K + a];
        max += cm;
    }
    p->max_score = max;
    double *cur = cm_calloc((size_t)max + 1, sizeof *cur);
    double *nxt = cm_calloc((size_t)max + 1, sizeof *nxt);
    cur[0] = 1;
    int top = 0;  /* highest index with possible mass in cur */
    for (int i = 0; i < w; i++) {
        int cm = 0;
        for (int a = 0; a < K; a++)
            if (p->mat[i * K + a] > cm) cm = p->mat[i * K + a];
        memset(nxt, 0, ((size_t)top + cm + 1) * sizeof *nxt);
        for (int a = 0; a < K; a++) {
            int d = p->mat[i * K + a];
            double b = bg[a];
            /* no test for cur[k] == 0: adding 0·b leaves every sum bit-identical,
             * and the branch-free loop vectorises */
            double *dst = nxt + d;
            for (int k = 0; k <= top; k++) dst[k] += cur[k] * b;
        }
        top += cm;
        double *t = cur; cur = nxt; nxt = t;
    }
    free(nxt);
    for (int s = max - 1; s >= 0; s--) cur[s] += cur[s + 1];
    for (int s = 0; s <= max; s++)
        if (cur[s] > 1) cur[s] = 1;
    p->pv = cur;
}

void cm_pssm_from_int_k(const int *mat, int w, int k, double offset, double scale,
                        const double *bg, cm_pssm_t *p)
{
    memset(p, 0, sizeof *p);
    p->w = w;
    p->k = k;
    p->offset = offset;
    p->scale = scale;
    p->mat = cm_malloc((size_t)w * k * sizeof *p->mat);
    memcpy(p->mat, mat, (size_t)w * k * sizeof *p->mat);
    pv_table(p, bg);
}

void cm_pssm_from_int(const int *mat, int w, double offset, double scale, const double bg[4],
                      cm_pssm_t *p)
{
    cm_pssm_from_int_k(mat, w, 4, offset, scale, bg, p);
}

int cm_pssm_build(const cm_motif_t *m, const char *path, const double *bg, double pseudo,
                  int range, cm_pssm_t *p, cm_err_t *err)
{
    int w = m->w, K = cm_motif_k(m);
    double *f = cm_malloc((size_t)w * K * sizeof *f);
    double *L = cm_malloc((size_t)w * K * sizeof *L);
    int *Z = cm_malloc((size_t)w * K * sizeof *Z);
    memset(p, 0, sizeof *p);
    cm_motif_pseudocount(m, bg, pseudo, f);
    int rc = cm_log_odds_k(f, w, K, bg, L);
    if (rc == 0) {
        double off, sc;
        cm_quantise(L, w * K, range, Z, &off, &sc);
        cm_pssm_from_int_k(Z, w, K, off, sc, bg, p);
    } else {
        cm_fail(err, "%s:%ld: motif %s has a zero probability (log-odds -inf); use --motif-pseudo > 0",
                path ? path : "motifs", m->lineno, m->id);
    }
    free(f); free(L); free(Z);
    return rc;
}

void cm_pssm_revcomp_alph(const cm_pssm_t *fwd, const cm_alph_t *al, const double *bg,
                          cm_pssm_t *rc)
{
    int w = fwd->w, K = fwd->k;
    int *z = cm_malloc((size_t)w * K * sizeof *z);
    for (int i = 0; i < w; i++)
        for (int a = 0; a < K; a++) {
            int c = al->comp[a] >= 0 ? al->comp[a] : a;
            z[i * K + a] = fwd->mat[(w - 1 - i) * K + c];
        }
    cm_pssm_from_int_k(z, w, K, fwd->offset, fwd->scale, bg, rc);
    free(z);
}

void cm_pssm_revcomp(const cm_pssm_t *fwd, const double bg[4], cm_pssm_t *rc)
{
    int w = fwd->w;
    int *z = cm_malloc((size_t)w * 4 * sizeof *z);
    for (int i = 0; i < w; i++)
        for (int a = 0; a < 4; a++) z[i * 4 + a] = fwd->mat[(w - 1 - i) * 4 + (3 - a)];
    cm_pssm_from_int(z, w, fwd->offset, fwd->scale, bg, rc);
    free(z);
}

void cm_pssm_free(cm_pssm_t *p)
{
    if (!p) return;
    free(p->mat);
    free(p->pv);
    memset(p, 0, sizeof *p);
}

double cm_round_sig(double x, int digits)
{
    if (x == 0 || !isfinite(x)) return x;
    char buf[64];
    snprintf(buf, sizeof buf, "%.*e", digits - 1, x);
    return strtod(buf, NULL);
}

double cm_pssm_pvalue(const cm_pssm_t *p, int s)
{
    if (s < 0) s = 0;
    if (s > p->max_score) return 0;
    return cm_round_sig(p->pv[s], 10);
}

double cm_pssm_score(const cm_pssm_t *p, int s)
{
    return cm_round_sig((double)s / p->scale + p->w * p->offset, 10);
}

int cm_pssm_min_score(const cm_pssm_t *p, double thresh)
{
    /* pv is non-increasing and rounding is monotone: binary search for the first pass. */
    int lo = 0, hi = p->max_score + 1;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (cm_pssm_pvalue(p, mid) <= thresh) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}
