/* cnn.c — see cnn.h. */
#include "model/cnn.h"
#include "model/kinds.h"
#include "core/textio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Find tensor NAME and check it holds n0 × n1 × n2 (trailing 1s allowed: a 1×1
 * convolution's weight is D0 × D1 × 1).  dims < 0 are not checked. */
static const cm_tensor_t *need(const cm_model_file_t *f, const char *name, int nd,
                               const int64_t *dims, cm_err_t *err)
{
    const cm_tensor_t *t = cm_model_file_tensor(f, name);
    if (!t) { cm_fail(err, "%s: explainn model has no tensor '%s'", f->path, name); return NULL; }
    int ok = t->ndim >= nd;
    for (int i = 0; ok && i < t->ndim; i++) {
        if (i < nd) ok = dims[i] < 0 || t->shape[i] == dims[i];
        else ok = t->shape[i] == 1;
    }
    if (!ok) {
        char want[128] = "", got[128] = "";
        for (int i = 0; i < nd; i++)
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s%lld", i ? "," : "", (long long)dims[i]);
        for (int i = 0; i < t->ndim; i++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%lld", i ? "," : "", (long long)t->shape[i]);
        cm_fail(err, "%s:%ld: tensor '%s' has shape %s, expected %s (-1 = any)", f->path, t->line, name,
                got, want);
        return NULL;
    }
    return t;
}

static int key_long(const cm_model_file_t *f, const char *key, int required, long def,
                    long *out, cm_err_t *err)
{
    const char *v = cm_model_file_get(f, key);
    if (!v) {
        if (required) return cm_fail(err, "%s: header has no '%s' line", f->path, key);
        *out = def;
        return 0;
    }
    if (cm_parse_long(v, out) != 0 || *out <= 0 || *out > 100000000)
        return cm_fail(err, "%s:%ld: header '%s %s': expected a positive integer", f->path,
                       cm_model_file_key_line(f, key), key, v);
    return 0;
}

/* BatchNorm scale and shift (eval mode) for channel i of prefix NAME. */
typedef struct { const float *w, *b, *mean, *var; } bn_t;

static int get_bn(const cm_model_file_t *f, const char *prefix, int64_t n, bn_t *bn, cm_err_t *err)
{
    char name[256];
    const cm_tensor_t *t;
    const char *parts[4] = { "weight", "bias", "running_mean", "running_var" };
    const float **dst[4] = { &bn->w, &bn->b, &bn->mean, &bn->var };
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "%s.%s", prefix, parts[i]);
        if (!(t = need(f, name, 1, &n, err))) return -1;
        *dst[i] = t->data;
    }
    for (int64_t i = 0; i < n; i++)
        if (bn->var[i] < 0)
            return cm_fail(err, "%s: %s.running_var[%lld] is negative", f->path, prefix, (long long)i);
    return 0;
}

cm_cnn_t *cm_cnn_from_file(const cm_model_file_t *f, cm_err_t *err)
{
    long L, pool, stride, v;
    double eps = 1e-5;
    if (key_long(f, "input_length", 1, 0, &L, err) || key_long(f, "pool_size", 1, 0, &pool, err)
        || key_long(f, "pool_stride", 1, 0, &stride, err))
        return NULL;
    const char *ev = cm_model_file_get(f, "bn_eps");
    if (!ev || cm_parse_double(ev, &eps) != 0 || !(eps > 0)) {
        if (ev) cm_fail(err, "%s:%ld: header needs 'bn_eps E' with E > 0", f->path, cm_model_file_key_line(f, "bn_eps"));
        else cm_fail(err, "%s: header needs 'bn_eps E' with E > 0", f->path);
        return NULL;
    }
    const char *act = cm_model_file_get(f, "activation");
    if (act && strcmp(act, "exp") != 0) {
        cm_fail(err, "%s:%ld: explainn activation '%s' not supported (only exp)", f->path,
                cm_model_file_key_line(f, "activation"), act);
        return NULL;
    }
    const char *alpha = cm_model_file_get(f, "alphabet");
    if (alpha && strcmp(alpha, "ACGT") != 0) {
        cm_fail(err, "%s:%ld: alphabet '%s' not supported (only ACGT)", f->path,
                cm_model_file_key_line(f, "alphabet"), alpha);
        return NULL;
    }

    int64_t d[3] = { -1, 4, -1 };
    const cm_tensor_t *cw = need(f, "linears.0.weight", 3, d, err);
    if (!cw) return NULL;
    int64_t U = cw->shape[0], K = cw->shape[2];
    int64_t T = L - K + 1;
    if (T < pool) {
        cm_fail(err, "%s:%ld: input_length %ld too short for filter %lld and pool %ld", f->path,
                cm_model_file_key_line(f, "input_length"), L, (long long)K, pool);
        return NULL;
    }
    int64_t P = (T - pool) / stride + 1;
    const cm_tensor_t *cb = need(f, "linears.0.bias", 1, &U, err);
    if (!cb) return NULL;
    d[0] = -1; d[1] = P;
    const cm_tensor_t *w1 = need(f, "linears.6.weight", 2, d, err);
    if (!w1) {
        const cm_tensor_t *t = cm_model_file_tensor(f, "linears.6.weight");
        if (t && t->ndim >= 2 && t->shape[1] != P)
            cm_fail(err, "%s:%ld: linears.6.weight has %lld pooled positions per unit, but input_length %ld, "
                    "filter %lld, pool %ld/%ld give %lld", f->path, t->line, (long long)t->shape[1], L,
                    (long long)K, pool, stride, (long long)P);
        return NULL;
    }
    if (w1->shape[0] % U) {
        cm_fail(err, "%s:%ld: linears.6.weight has %lld rows, not a multiple of %lld units", f->path, w1->line,
                (long long)w1->shape[0], (long long)U);
        return NULL;
    }
    int64_t H = w1->shape[0] / U, UH = U * H;
    const cm_tensor_t *b1 = need(f, "linears.6.bias", 1, &UH, err);
    d[0] = U; d[1] = H;
    const cm_tensor_t *w2 = b1 ? need(f, "linears.10.weight", 2, d, err) : NULL;
    const cm_tensor_t *b2 = w2 ? need(f, "linears.10.bias", 1, &U, err) : NULL;
    d[0] = -1; d[1] = U;
    const cm_tensor_t *wo = b2 ? need(f, "final.weight", 2, d, err) : NULL;
    if (!wo) return NULL;
    int64_t O = wo->shape[0];
    const cm_tensor_t *bo = need(f, "final.bias", 1, &O, err);
    bn_t bn1, bn2, bn3;
    if (!bo || get_bn(f, "linears.1", U, &bn1, err) || get_bn(f, "linears.7", UH, &bn2, err)
        || get_bn(f, "linears.11", U, &bn3, err))
        return NULL;
    const char *keys[3] = { "units", "filter_size", "hidden" };
    int64_t vals[3] = { U, K, H };
    for (int i = 0; i < 3; i++) {
        if (key_long(f, keys[i], 0, vals[i], &v, err)) return NULL;
        if (v != vals[i]) {
            cm_fail(err, "%s:%ld: header says '%s %ld' but the tensors give %lld", f->path,
                    cm_model_file_key_line(f, keys[i]), keys[i], v, (long long)vals[i]);
            return NULL;
        }
    }

    cm_cnn_t *c = cm_calloc(1, sizeof *c);
    cm_explainn_t *e = &c->ex;
    c->arch = CM_CNN_EXPLAINN;
    c->L = (int)L;
    c->n_out = (int)O;
    e->U = (int)U; e->K = (int)K; e->T = (int)T; e->pool = (int)pool; e->stride = (int)stride;
    e->P = (int)P; e->H = (int)H;
    e->J = (int)((K + 2) / 3);
    e->conv3 = cm_calloc((size_t)(U * e->J * 125), sizeof(float));
    e->conv_b = cm_malloc((size_t)U * sizeof(float));
    e->fc1 = cm_malloc((size_t)(UH * P) * sizeof(float));
    e->fc1_b = cm_malloc((size_t)UH * sizeof(float));
    e->fc2 = cm_malloc((size_t)(U * H) * sizeof(float));
    e->fc2_b = cm_malloc((size_t)U * sizeof(float));
    e->out = cm_malloc((size_t)(O * U) * sizeof(float));
    e->out_b = cm_malloc((size_t)O * sizeof(float));
    /* steps 1-2: conv + BN1, as triple-base lookup tables */
    for (int64_t u = 0; u < U; u++) {
        double s = bn1.w[u] / sqrt((double)bn1.var[u] + eps);
        for (int j = 0; j < e->J; j++)
            for (int a = 0; a < 125; a++) {
                int code[3] = { a / 25, a / 5 % 5, a % 5 };
                double sum = 0;
                for (int i = 0; i < 3; i++) {
                    int64_t k = 3 * j + i;
                    if (k < K && code[i] < 4) sum += cw->data[(u * 4 + code[i]) * K + k] * s;
                }
                e->conv3[(u * e->J + j) * 125 + a] = (float)sum;
            }
        e->conv_b[u] = (float)((cb->data[u] - bn1.mean[u]) * s + bn1.b[u]);
    }
    /* steps 5-6: FC1 + BN2, stored U × P × H */
    for (int64_t r = 0; r < UH; r++) {
        double s = bn2.w[r] / sqrt((double)bn2.var[r] + eps);
        int64_t u = r / H, j = r % H;
        for (int64_t p = 0; p < P; p++) e->fc1[(u * P + p) * H + j] = (float)(w1->data[r * P + p] * s);
        e->fc1_b[r] = (float)((b1->data[r] - bn2.mean[r]) * s + bn2.b[r]);
    }
    /* steps 7-8: FC2 + BN3 */
    for (int64_t u = 0; u < U; u++) {
        double s = bn3.w[u] / sqrt((double)bn3.var[u] + eps);
        for (int64_t j = 0; j < H; j++) e->fc2[u * H + j] = (float)(w2->data[u * H + j] * s);
        e->fc2_b[u] = (float)((b2->data[u] - bn3.mean[u]) * s + bn3.b[u]);
    }
    /* step 9 */
    memcpy(e->out, wo->data, (size_t)(O * U) * sizeof(float));
    memcpy(e->out_b, bo->data, (size_t)O * sizeof(float));
    return c;
}

/* Convolution value of unit u at position t (steps 1-2), summed in the order of
 * explainn_one so that unchanged inputs give bitwise the same value. */
static inline float conv_at(const cm_explainn_t *e, int u, const uint16_t *ix, int t)
{
    const float *tab = e->conv3 + (size_t)u * e->J * 125;
    float s = e->conv_b[u];
    for (int j = 0; j < e->J; j++) s += tab[j * 125 + ix[t + 3 * j]];
    return s;
}

/* Steps 6 (ReLU) to 8 of unit u from its FC1 pre-activations hu (H; overwritten by
 * their ReLU), shared by explainn_one and the incremental path: g[u]. */
static inline float unit_g(const cm_explainn_t *e, int u, float *hu)
{
    const int H = e->H;
    const float *w2 = e->fc2 + (size_t)u * H;
    float s = 0;
    for (int j = 0; j < H; j++) hu[j] = hu[j] > 0 ? hu[j] : 0.0f;
#pragma omp simd reduction(+:s)
    for (int j = 0; j < H; j++) s += w2[j] * hu[j];
    s += e->fc2_b[u];
    return s > 0 ? s : 0;
}

/* Step 9 from g (U): logits (O). */
static void explainn_final(const cm_explainn_t *e, int n_out, const float *g, float *logit)
{
    for (int o = 0; o < n_out; o++) {
        const float *wo = e->out + (size_t)o * e->U;
        float s = 0;
        for (int u = 0; u < e->U; u++) s += wo[u] * g[u];
        logit[o] = s + e->out_b[o];
    }
}

/* Steps 3-6 of unit u from its convolution values c (T): max-pool then exp (exp is
 * increasing, so max_i exp(c_i) = exp(max_i c_i)) into m (P), and the FC1 (+BN2
 * folded) pre-activations into h (H).  Shared by explainn_one and the incremental
 * baseline, so both give bitwise the same values. */
static inline void pool_fc1(const cm_explainn_t *e, int u, const float *c, float *m, float *h)
{
    const int P = e->P, H = e->H;
    for (int p = 0; p < P; p++) {
        const float *cp = c + (size_t)p * e->stride;
        float mx = cp[0];
        for (int i = 1; i < e->pool; i++) if (cp[i] > mx) mx = cp[i];
        m[p] = expf(mx);
    }
    const float *w1 = e->fc1 + (size_t)u * P * H;
    memcpy(h, e->fc1_b + (size_t)u * H, (size_t)H * sizeof(float));
    for (int p = 0; p < P; p++) {
        const float mp = m[p];
        const float *wp = w1 + (size_t)p * H;
#pragma omp simd
        for (int j = 0; j < H; j++) h[j] += wp[j] * mp;
    }
}

/* One window through ExplaiNN.  ix: triple codes, ix[t] = x[t]·25 + x[t+1]·5 + x[t+2]
 * for t < T + 3(J-1) (x padded with N).  scratch: T + P + H + U floats. */
static void explainn_one(const cm_explainn_t *e, int n_out, const uint16_t *ix, float *logit,
                         float *scratch)
{
    const int U = e->U, J = e->J, T = e->T, P = e->P, H = e->H;
    float *c = scratch, *m = c + T, *h = m + P, *g = h + H;
    for (int u = 0; u < U; u++) {
        /* steps 1-2: c[t] = b + sum_j tab[u,j,ix[t+3j]] */
        const float *tab = e->conv3 + (size_t)u * J * 125;
        const float b = e->conv_b[u];
        int t = 0;
        for (; t + 4 <= T; t += 4) {   /* 4 positions at a time: independent sums */
            float s0 = b, s1 = b, s2 = b, s3 = b;
            for (int j = 0; j < J; j++) {
                const float *w = tab + j * 125;
                const uint16_t *q = ix + t + 3 * j;
                s0 += w[q[0]]; s1 += w[q[1]]; s2 += w[q[2]]; s3 += w[q[3]];
            }
            c[t] = s0; c[t + 1] = s1; c[t + 2] = s2; c[t + 3] = s3;
        }
        for (; t < T; t++) {
            float s = b;
            for (int j = 0; j < J; j++) s += tab[j * 125 + ix[t + 3 * j]];
            c[t] = s;
        }
        /* steps 3-8 */
        pool_fc1(e, u, c, m, h);
        g[u] = unit_g(e, u, h);
    }
    /* step 9 */
    explainn_final(e, n_out, g, logit);
}

int cm_cnn_predict(const cm_cnn_t *c, const uint8_t *codes, int n, float *logits, cm_err_t *err)
{
    (void)err;
    const cm_explainn_t *e = &c->ex;
    const int L = c->L, NI = e->T + 3 * (e->J - 1);
    size_t ns = (size_t)e->T + (size_t)e->P + (size_t)e->H + (size_t)e->U;
    float *scratch = cm_malloc(ns * sizeof(float));
    uint8_t *x = cm_malloc((size_t)NI + 2);
    uint16_t *ix = cm_malloc((size_t)NI * sizeof(uint16_t));
    for (int i = 0; i < n; i++) {
        const uint8_t *xi = codes + (size_t)i * L;
        for (int j = 0; j < L; j++) x[j] = xi[j] < 4 ? xi[j] : 4;
        for (int j = L; j < NI + 2; j++) x[j] = 4;   /* padding beyond the window: N */
        for (int t = 0; t < NI; t++) ix[t] = (uint16_t)(x[t] * 25 + x[t + 1] * 5 + x[t + 2]);
        explainn_one(e, c->n_out, ix, logits + (size_t)i * c->n_out, scratch);
    }
    free(ix);
    free(x);
    free(scratch);
    return 0;
}

void cm_cnn_first_layer(const cm_cnn_t *c, const uint8_t *codes, int L, float *out)
{
    const cm_explainn_t *e = &c->ex;
    const int K = e->K, J = e->J, T = L - K + 1;
    if (T < 1) return;
    const int NI = T + 3 * (J - 1);
    uint8_t *x = cm_malloc((size_t)NI + 2);
    uint16_t *ix = cm_malloc((size_t)NI * sizeof(uint16_t));
    for (int j = 0; j < NI + 2; j++) x[j] = j < L && codes[j] < 4 ? codes[j] : 4;
    for (int t = 0; t < NI; t++) ix[t] = (uint16_t)(x[t] * 25 + x[t + 1] * 5 + x[t + 2]);
    for (int u = 0; u < e->U; u++) {
        const float *tab = e->conv3 + (size_t)u * J * 125;
        for (int t = 0; t < T; t++) {
            float s = e->conv_b[u];
            for (int j = 0; j < J; j++) s += tab[j * 125 + ix[t + 3 * j]];
            out[(size_t)u * T + t] = s;
        }
    }
    free(ix);
    free(x);
}

void cm_cnn_free(cm_cnn_t *c)
{
    if (!c) return;
    cm_explainn_t *e = &c->ex;
    free(e->conv3); free(e->conv_b); free(e->fc1); free(e->fc1_b);
    free(e->fc2); free(e->fc2_b); free(e->out); free(e->out_b);
    free(c);
}

/* ---------- incremental edits (fastISM-style; see cnn.h) ---------- */

/* Triple codes ix[t] (t < NI) of the codes x (L bp, padded with N to NI + 2). */
static void triples(const uint8_t *x, int L, int NI, uint8_t *xp, uint16_t *ix)
{
    for (int j = 0; j < L; j++) xp[j] = x[j] < 4 ? x[j] : 4;
    for (int j = L; j < NI + 2; j++) xp[j] = 4;
    for (int t = 0; t < NI; t++) ix[t] = (uint16_t)(xp[t] * 25 + xp[t + 1] * 5 + xp[t + 2]);
}

int cm_cnn_predict_edits(const cm_cnn_t *c, const uint8_t *base, int n, const cm_model_edit_t *edits,
                         float *logits, cm_err_t *err)
{
    (void)err;
    if (n <= 0) return 0;
    const cm_explainn_t *e = &c->ex;
    const int L = c->L, U = e->U, T = e->T, P = e->P, H = e->H, K = e->K, NI = T + 3 * (e->J - 1);
    const int pool = e->pool, st = e->stride;
    uint8_t *x = cm_malloc((size_t)L), *xp = cm_malloc((size_t)NI + 2);
    uint16_t *ix = cm_malloc((size_t)NI * sizeof(uint16_t));
    float *cb = cm_malloc((size_t)U * T * sizeof(float));    /* baseline conv, U × T */
    float *mb = cm_malloc((size_t)U * P * sizeof(float));    /* baseline pooled (after exp) */
    float *hb = cm_malloc((size_t)U * H * sizeof(float));    /* baseline FC1 pre-activation */
    float *h = cm_malloc((size_t)H * sizeof(float));
    float *cn = cm_malloc((size_t)T * sizeof(float));        /* new conv values of one unit */
    float *g = cm_malloc((size_t)U * sizeof(float)), *gb = cm_malloc((size_t)U * sizeof(float));
    /* baseline: steps 1-6 for every unit */
    for (int j = 0; j < L; j++) x[j] = base[j] < 4 ? base[j] : 4;
    triples(x, L, NI, xp, ix);
    for (int u = 0; u < U; u++) {
        float *cu = cb + (size_t)u * T, *mu = mb + (size_t)u * P, *hu = hb + (size_t)u * H;
        for (int t = 0; t < T; t++) cu[t] = conv_at(e, u, ix, t);
        pool_fc1(e, u, cu, mu, hu);
        memcpy(h, hu, (size_t)H * sizeof(float));
        gb[u] = unit_g(e, u, h);
    }
    for (int i = 0; i < n; i++) {
        const cm_model_edit_t *ed = &edits[i];
        float *out = logits + (size_t)i * c->n_out;
        memcpy(g, gb, (size_t)U * sizeof(float));
        /* conv positions that see [a, b): t in [a - K + 1, b - 1] */
        int t0 = ed->start - K + 1, t1 = ed->start + ed->len - 1;
        if (t0 < 0) t0 = 0;
        if (t1 > T - 1) t1 = T - 1;
        if (ed->len > 0 && t0 <= t1) {
            for (int j = 0; j < ed->len; j++) x[ed->start + j] = ed->codes[j] < 4 ? ed->codes[j] : 4;
            /* triple codes change for t in [start - 2, end - 1]; recompute those */
            int q0 = ed->start - 2 < 0 ? 0 : ed->start - 2, q1 = ed->start + ed->len;
            if (q1 > NI) q1 = NI;
            for (int j = q0; j < q1 + 2 && j < NI + 2; j++) xp[j] = j < L ? x[j] : 4;
            for (int t = q0; t < q1; t++) ix[t] = (uint16_t)(xp[t] * 25 + xp[t + 1] * 5 + xp[t + 2]);
            /* pooled windows [p·st, p·st + pool) that meet [t0, t1] */
            int p0 = t0 - pool + 1 <= 0 ? 0 : (t0 - pool + 1 + st - 1) / st, p1 = t1 / st;
            if (p1 > P - 1) p1 = P - 1;
            for (int u = 0; u < U; u++) {
                const float *cu = cb + (size_t)u * T, *mu = mb + (size_t)u * P;
                for (int t = t0; t <= t1; t++) cn[t] = conv_at(e, u, ix, t);
                float *hu = h;   /* this unit's FC1 pre-activations, copied on first change */
                int changed = 0;
                const float *w1 = e->fc1 + (size_t)u * P * H;
                for (int p = p0; p <= p1; p++) {
                    const int w0 = p * st;
                    float mx = -INFINITY;
                    for (int k = 0; k < pool; k++) {
                        const int t = w0 + k;
                        const float v = t >= t0 && t <= t1 ? cn[t] : cu[t];
                        if (v > mx) mx = v;
                    }
                    const float dm = expf(mx) - mu[p];
                    if (dm == 0.0f) continue;
                    if (!changed) { memcpy(hu, hb + (size_t)u * H, (size_t)H * sizeof(float)); changed = 1; }
                    const float *wp = w1 + (size_t)p * H;
#pragma omp simd
                    for (int j = 0; j < H; j++) hu[j] += wp[j] * dm;
                }
                if (changed) g[u] = unit_g(e, u, hu);   /* unchanged pooled values: g[u] stays */
            }
            /* restore the baseline codes */
            for (int j = 0; j < ed->len; j++) x[ed->start + j] = base[ed->start + j] < 4 ? base[ed->start + j] : 4;
            for (int j = q0; j < q1 + 2 && j < NI + 2; j++) xp[j] = j < L ? x[j] : 4;
            for (int t = q0; t < q1; t++) ix[t] = (uint16_t)(xp[t] * 25 + xp[t + 1] * 5 + xp[t + 2]);
        }
        explainn_final(e, c->n_out, g, out);
    }
    free(x); free(xp); free(ix); free(cb); free(mb); free(hb); free(h); free(cn); free(g); free(gb);
    return 0;
}

/* ---------- model kind "explainn" (model/kinds.h) ---------- */

static int cnn_predict(const void *impl, const uint8_t *codes, int n, float *logits, cm_err_t *err)
{
    return cm_cnn_predict((const cm_cnn_t *)impl, codes, n, logits, err);
}

static int cnn_predict_edits(const void *impl, const uint8_t *base, int n, const cm_model_edit_t *edits,
                             float *logits, cm_err_t *err)
{
    return cm_cnn_predict_edits((const cm_cnn_t *)impl, base, n, edits, logits, err);
}

static void cnn_free(void *impl) { cm_cnn_free((cm_cnn_t *)impl); }

static const cm_model_ops_t cnn_ops = { "explainn", cnn_predict, cnn_free, cnn_predict_edits };

static cm_model_t *cnn_load(const char *path, const cm_model_file_t *f, cm_err_t *err)
{
    (void)path;
    cm_cnn_t *c = cm_cnn_from_file(f, err);
    if (!c) return NULL;
    return cm_model_wrap_file(&cnn_ops, c, c->L, c->n_out, f, err);
}

const cm_model_kind_t cm_model_kind_explainn = { "explainn", NULL, cnn_load };
