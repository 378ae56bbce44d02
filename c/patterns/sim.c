/* sim.c — cross-correlation similarity and nearest neighbours (sim.h). */
#include "patterns/sim.h"
#include "core/error.h"
#include "core/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NKMER 136   /* canonical DNA 4-mers */

double cm_pat_norm(const float *m, int w)
{
    double s = 0;
    for (int i = 0; i < 4 * w; i++) s += (double)m[i] * m[i];
    return sqrt(s);
}

void cm_pat_knn_opts_init(cm_pat_knn_opts_t *o)
{
    o->k = 15, o->ncand = 40, o->tables = 8, o->bits = 12, o->span = 6, o->seed = 1;
    o->threads = 1;
}

/* Order of the offsets tried: nearest the centre c first, o = 0 before o = 1, smaller d
 * first; a later candidate replaces the best only when strictly greater. */
#define OFFSET_LOOP(dmin, dmax, no) \
    int c_ = (int)floor(((double)(dmin) + (dmax)) / 2); \
    int r_ = (dmax) - c_ > c_ - (dmin) ? (dmax) - c_ : c_ - (dmin); \
    for (int a_ = 0; a_ <= r_; a_++) \
        for (int o = 0; o < (no); o++) \
            for (int s_ = 0; s_ < (a_ ? 2 : 1); s_++)

static inline double score_dense(const float *A, int la, const float *B, int lb, int d, int o)
{
    double s = 0;
    for (int k = 0; k < la; k++) {
        int j = k + d;
        if (j < 0 || j >= lb) continue;
        const float *a = o ? A + 4 * (la - 1 - k) : A + 4 * k, *b = B + 4 * j;
        if (o) s += (double)a[3] * b[0] + (double)a[2] * b[1] + (double)a[1] * b[2] + (double)a[0] * b[3];
        else s += (double)a[0] * b[0] + (double)a[1] * b[1] + (double)a[2] * b[2] + (double)a[3] * b[3];
    }
    return s;
}

static inline double score_sparse(const uint8_t *base, const float *val, int la, const float *B,
                                  int lb, int d, int o)
{
    double s = 0;
    int k0 = -d > 0 ? -d : 0, k1 = lb - d < la ? lb - d : la;
    if (o) {
        for (int k = k0; k < k1; k++) {
            int q = la - 1 - k;
            if (base[q] < 4) s += (double)val[q] * B[4 * (k + d) + 3 - base[q]];
        }
    } else {
        for (int k = k0; k < k1; k++)
            if (base[k] < 4) s += (double)val[k] * B[4 * (k + d) + base[k]];
    }
    return s;
}

double cm_pat_xcorr_dense(const float *A, int la, double na, const float *B, int lb,
                          double nb, int dmin, int dmax, int norc, int *best_d, int *best_o)
{
    double best = -HUGE_VAL;
    int bd = dmin <= 0 && dmax >= 0 ? 0 : dmin, bo = 0;
    if (na > 0 && nb > 0) {
        OFFSET_LOOP(dmin, dmax, norc ? 1 : 2) {
            int d = s_ ? c_ + a_ : c_ - a_;
            if (d < dmin || d > dmax) continue;
            double s = score_dense(A, la, B, lb, d, o);
            if (s > best) best = s, bd = d, bo = o;
        }
    }
    if (best_d) *best_d = bd;
    if (best_o) *best_o = bo;
    return best == -HUGE_VAL ? 0 : best / (na * nb);
}

double cm_pat_xcorr_sparse(const uint8_t *base, const float *val, int la, double na,
                           const float *B, int lb, double nb, int dmin, int dmax,
                           int *best_d, int *best_o)
{
    double best = -HUGE_VAL;
    int bd = dmin <= 0 && dmax >= 0 ? 0 : dmin, bo = 0;
    if (na > 0 && nb > 0) {
        OFFSET_LOOP(dmin, dmax, 2) {
            int d = s_ ? c_ + a_ : c_ - a_;
            if (d < dmin || d > dmax) continue;
            double s = score_sparse(base, val, la, B, lb, d, o);
            if (s > best) best = s, bd = d, bo = o;
        }
    }
    if (best_d) *best_d = bd;
    if (best_o) *best_o = bo;
    return best == -HUGE_VAL ? 0 : best / (na * nb);
}

void cm_pat_dense(const cm_pat_mats_t *M, int i, float *out)
{
    int L = M->L;
    memset(out, 0, (size_t)L * 4 * sizeof(float));
    const uint8_t *b = M->base + (size_t)i * L;
    const float *v = M->val + (size_t)i * L;
    for (int k = 0; k < L; k++)
        if (b[k] < 4) out[4 * k + b[k]] = v[k];
}

/* canonical index of each 4-mer code (0..255) into 0..135 */
static void kmer_table(int *canon)
{
    int id[256], next = 0;
    for (int c = 0; c < 256; c++) id[c] = -1;
    for (int c = 0; c < 256; c++) {
        int rc = 0;
        for (int k = 0; k < 4; k++) rc = rc * 4 + (3 - ((c >> (2 * k)) & 3));
        int m = c < rc ? c : rc;
        if (id[m] < 0) id[m] = next++;
        canon[c] = id[m];
    }
}

static void sketch_with(const cm_pat_mats_t *M, int i, const int *canon, float *e)
{
    int L = M->L;
    const uint8_t *b = M->base + (size_t)i * L;
    const float *v = M->val + (size_t)i * L;
    memset(e, 0, NKMER * sizeof(float));
    for (int p = 0; p + 4 <= L; p++) {
        int code = 0, ok = 1;
        double w = 0;
        for (int k = 0; k < 4; k++) {
            if (b[p + k] > 3) { ok = 0; break; }
            code = code * 4 + b[p + k];
            w += v[p + k];
        }
        if (ok) e[canon[code]] += (float)w;
    }
    double s = 0;
    for (int k = 0; k < NKMER; k++) s += (double)e[k] * e[k];
    if (s > 0) {
        float f = (float)(1 / sqrt(s));
        for (int k = 0; k < NKMER; k++) e[k] *= f;
    }
}

void cm_pat_sketch(const cm_pat_mats_t *M, int i, float *e)
{
    int canon[256];
    kmer_table(canon);
    sketch_with(M, i, canon, e);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

typedef struct { float s; int j; } sc_t;

static int cmp_sc(const void *a, const void *b)
{
    const sc_t *x = a, *y = b;
    if (x->s != y->s) return x->s > y->s ? -1 : 1;
    return (x->j > y->j) - (x->j < y->j);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void cm_pat_knn(const cm_pat_mats_t *M, const cm_pat_knn_opts_t *o, int *nbr, float *sim,
                long *nexact)
{
    int n = M->n, L = M->L, K = o->k, T = o->tables, nb = o->bits, span = o->span;
    int canon[256];
    kmer_table(canon);
    float *E = cm_malloc((size_t)n * NKMER * sizeof(float));
    for (int i = 0; i < n; i++) sketch_with(M, i, canon, E + (size_t)i * NKMER);
    int all = n - 1 <= o->ncand;
    int *order = NULL, *rank = NULL;
    if (!all) {
        /* SimHash tables: order[t][r] = seqlet at rank r, rank[t][i] = rank of i */
        order = cm_malloc((size_t)T * n * sizeof(int));
        rank = cm_malloc((size_t)T * n * sizeof(int));
        float *H = cm_malloc((size_t)nb * NKMER * sizeof(float));
        uint64_t *key = cm_malloc((size_t)n * sizeof(uint64_t));
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < nb; b++) {
                uint64_t kk = cm_rng_key(cm_rng_key(cm_rng_key(o->seed, 0x5151), (uint64_t)t), (uint64_t)b);
                for (int k = 0; k < NKMER; k++)
                    H[b * NKMER + k] = (float)(2 * cm_rng_double(kk, (uint64_t)k) - 1);
            }
            for (int i = 0; i < n; i++) {
                uint64_t code = 0;
                const float *e = E + (size_t)i * NKMER;
                for (int b = 0; b < nb; b++) {
                    double s = 0;
                    for (int k = 0; k < NKMER; k++) s += (double)e[k] * H[b * NKMER + k];
                    code = code << 1 | (s > 0);
                }
                key[i] = code << 32 | (uint64_t)i;
            }
            qsort(key, (size_t)n, sizeof *key, cmp_u64);
            for (int r = 0; r < n; r++) {
                int i = (int)(key[r] & 0xffffffffu);
                order[(size_t)t * n + r] = i;
                rank[(size_t)t * n + i] = r;
            }
        }
        free(H);
        free(key);
    }
    long ne = 0;
    #pragma omp parallel num_threads(o->threads) reduction(+:ne)
    {
        int maxc = all ? n : 2 * span * T;
        int *cand = cm_malloc((size_t)(maxc + 1) * sizeof(int));
        sc_t *sc = cm_malloc((size_t)(maxc + 1) * sizeof(sc_t));
        float *D = cm_malloc((size_t)L * 4 * sizeof(float));
        #pragma omp for schedule(dynamic, 64)
        for (int i = 0; i < n; i++) {
            int nc = 0;
            if (all) {
                for (int j = 0; j < n; j++) if (j != i) cand[nc++] = j;
            } else {
                for (int t = 0; t < T; t++) {
                    int r = rank[(size_t)t * n + i];
                    for (int q = r - span; q <= r + span; q++)
                        if (q >= 0 && q < n && q != r) cand[nc++] = order[(size_t)t * n + q];
                }
                qsort(cand, (size_t)nc, sizeof(int), cmp_int);
                int u = 0;
                for (int q = 0; q < nc; q++) if (!u || cand[q] != cand[u - 1]) cand[u++] = cand[q];
                nc = u;
            }
            const float *ei = E + (size_t)i * NKMER;
            for (int q = 0; q < nc; q++) {
                const float *ej = E + (size_t)cand[q] * NKMER;
                double s = 0;
                for (int k = 0; k < NKMER; k++) s += (double)ei[k] * ej[k];
                sc[q] = (sc_t){(float)s, cand[q]};
            }
            qsort(sc, (size_t)nc, sizeof *sc, cmp_sc);
            int m = nc < o->ncand ? nc : o->ncand;
            cm_pat_dense(M, i, D);
            for (int q = 0; q < m; q++) {
                int j = sc[q].j;
                sc[q].s = (float)cm_pat_xcorr_sparse(M->base + (size_t)j * L, M->val + (size_t)j * L,
                                                     L, M->norm[j], D, L, M->norm[i], -L / 2, L / 2,
                                                     NULL, NULL);
            }
            ne += m;
            qsort(sc, (size_t)m, sizeof *sc, cmp_sc);
            int r = 0;
            for (int q = 0; q < m && r < K; q++)
                if (sc[q].s > 0) {
                    nbr[(size_t)i * K + r] = sc[q].j;
                    sim[(size_t)i * K + r] = sc[q].s;
                    r++;
                }
            for (; r < K; r++) nbr[(size_t)i * K + r] = -1, sim[(size_t)i * K + r] = 0;
        }
        free(cand), free(sc), free(D);
    }
    if (nexact) *nexact = ne;
    free(order), free(rank), free(E);
}
