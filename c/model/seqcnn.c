/* seqcnn.c — see seqcnn.h. */
#include "model/seqcnn.h"
#include "model/kinds.h"
#include "core/textio.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- layers as declared in the file ---------- */

enum { L_CONV, L_LINEAR, L_BN, L_ACT, L_MAXPOOL, L_AVGPOOL, L_FLATTEN, L_DROPOUT, L_ADD };
enum { ACT_NONE, ACT_RELU, ACT_ELU, ACT_EXP, ACT_SIGMOID, ACT_TANH, ACT_SOFTPLUS };

typedef struct {
    int type, act;
    double alpha, beta, thresh, eps;
    char name[200];
    long in, out, kernel, stride, padl, padr, dilation, groups, bias, channels;
    int inputs[2];
    int C, T;        /* output shape: channels × positions */
    long line;
} layer_t;

/* ---------- executable ops (after folding / fusion) ---------- */

enum { OP_INPUT, OP_CONV, OP_AFFINE, OP_ACT, OP_MAXPOOL, OP_AVGPOOL, OP_FLATTEN, OP_ADD };

#define CT 16  /* output-channel tile of the conv kernels (weights padded to it) */
#define RT 6   /* output-position tile */

typedef struct {
    int type, act;
    float alpha, beta, thresh;
    int in0, in1;         /* input ops */
    int C, T, Cin, Tin;   /* output and input shapes */
    int K, s, d, padl;    /* conv / pool geometry */
    int groups, cin_g, cout_g, cpad;
    int onehot;           /* conv reading the one-hot input by table rows */
    int delta;            /* conv on a flattened vector: incremental baseline + W·Δx */
    float *w;             /* conv: [g][k][ci][cpad] (onehot: [k][4][cpad]); 64-byte aligned */
    float *b;             /* conv: [g][cpad] bias (padded); affine: scale C then shift C */
    float *wt;            /* delta conv: weights [g][ci][cout_g] (row j = input entry j) */
} op_t;

/* Index of weight (group g, tap k, input ci, output c within the group) of a general
 * conv: blocks of CT output channels, each [k][ci][CT], so that the kernel streams one
 * block contiguously. */
static inline size_t widx(const op_t *o, int g, int k, int ci, int c)
{
    return (((size_t)(g * (o->cpad / CT) + c / CT) * o->K + k) * o->cin_g + ci) * CT + c % CT;
}

struct cm_seqcnn_s {
    int L, n_out, rc;
    int n_ops;
    op_t *op;             /* op 0 is the input (4 × L one-hot) */
    int max_C;            /* largest channel count of any op (zero row size) */
    int max_rp;           /* largest row-pointer array a conv/pool needs */
    int vstart;           /* ops [vstart, n_ops) act on vectors only and are run on a
                           * batch of windows at once (rows = windows); 0: none */
    int type0;            /* layer type (L_*) of layer 0 */
    int next1, next1_type; /* first layer not merged into op 1 and its type (-1: none) */
};

_Static_assert((int)CM_SEQCNN_ACT_NONE == (int)ACT_NONE && (int)CM_SEQCNN_ACT_RELU == (int)ACT_RELU
               && (int)CM_SEQCNN_ACT_ELU == (int)ACT_ELU && (int)CM_SEQCNN_ACT_EXP == (int)ACT_EXP
               && (int)CM_SEQCNN_ACT_SIGMOID == (int)ACT_SIGMOID && (int)CM_SEQCNN_ACT_TANH == (int)ACT_TANH
               && (int)CM_SEQCNN_ACT_SOFTPLUS == (int)ACT_SOFTPLUS, "seqcnn.h activation codes");

int cm_seqcnn_input_length(const cm_seqcnn_t *s) { return s->L; }
int cm_seqcnn_n_out(const cm_seqcnn_t *s) { return s->n_out; }

void cm_seqcnn_free(cm_seqcnn_t *s)
{
    if (!s) return;
    for (int i = 0; i < s->n_ops; i++) { free(s->op[i].w); free(s->op[i].b); free(s->op[i].wt); }
    free(s->op);
    free(s);
}

/* ---------- parsing ---------- */

static void shape_str(char *buf, size_t n, int nd, const int64_t *d)
{
    buf[0] = 0;
    for (int i = 0; i < nd; i++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%lld", i ? "," : "", (long long)d[i]);
}

/* Tensor NAME with exactly the shape d[0..nd) (trailing 1s are not accepted: the
 * state_dict shape is checked as is); marks it used. */
static const float *need_tensor(const cm_model_file_t *f, char *used, const char *name, int nd,
                                const int64_t *d, cm_err_t *err)
{
    char want[160], got[160];
    shape_str(want, sizeof want, nd, d);
    for (int i = 0; i < f->n_tensors; i++) {
        const cm_tensor_t *t = &f->t[i];
        if (strcmp(t->name, name) != 0) continue;
        int ok = t->ndim == nd;
        for (int j = 0; ok && j < nd; j++) ok = t->shape[j] == d[j];
        if (!ok) {
            shape_str(got, sizeof got, t->ndim, t->shape);
            cm_fail(err, "%s: tensor '%s': expected %s, got %s", f->path, name, want, got);
            return NULL;
        }
        used[i] = 1;
        return t->data;
    }
    cm_fail(err, "%s: tensor '%s': expected %s, got no tensor", f->path, name, want);
    return NULL;
}

#define MAXKV 16
typedef struct { int n; char *k[MAXKV], *v[MAXKV]; int seen[MAXKV]; } kv_t;

static const char *const TYPE_NAMES[] = { "conv1d", "linear", "batchnorm1d", "act", "maxpool1d",
                                          "avgpool1d", "flatten", "dropout", "add" };
static const char *const ACT_NAMES[] = { "", "relu", "elu", "exp", "sigmoid", "tanh", "softplus" };

typedef struct {
    const cm_model_file_t *f;
    long line;
    int idx;
    const char *type;
    kv_t *kv;
    cm_err_t *err;
} lctx_t;

static int lfail(const lctx_t *c, const char *fmt, const char *a, const char *b)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    return cm_fail(c->err, "%s:%ld: layer %d (%s): %s", c->f->path, c->line, c->idx, c->type, msg);
}

static const char *kv_get(const lctx_t *c, const char *key)
{
    for (int i = 0; i < c->kv->n; i++)
        if (strcmp(c->kv->k[i], key) == 0) { c->kv->seen[i] = 1; return c->kv->v[i]; }
    return NULL;
}

/* Integer key: lo <= value <= 1e8; absent: def (def < -1e9: required). */
static int kv_long(const lctx_t *c, const char *key, long def, long lo, long *out)
{
    const char *v = kv_get(c, key);
    if (!v) {
        if (def < -1000000000L) return lfail(c, "missing key '%s'", key, NULL);
        *out = def;
        return 0;
    }
    if (cm_parse_long(v, out) != 0 || *out < lo || *out > 100000000L) {
        char want[40];
        snprintf(want, sizeof want, "an integer >= %ld", lo);
        return lfail(c, "key '%s': expected %s", key, want);
    }
    return 0;
}

static int kv_double(const lctx_t *c, const char *key, double def, int positive, double *out)
{
    const char *v = kv_get(c, key);
    if (!v) { *out = def; return 0; }
    if (cm_parse_double(v, out) != 0 || !isfinite(*out) || (positive && !(*out > 0)))
        return lfail(c, "key '%s': expected a %snumber", key, positive ? "positive " : "");
    return 0;
}

static int parse_layer(const cm_model_file_t *f, long line, const char *val, int want_idx,
                       layer_t *ly, cm_err_t *err)
{
    char buf[1024];
    if (strlen(val) >= sizeof buf) return cm_fail(err, "%s:%ld: layer line too long", f->path, line);
    strcpy(buf, val);
    char *save = NULL, *tok[2 + MAXKV + 1];
    int nt = 0;
    for (char *p = strtok_r(buf, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
        if (nt == 2 + MAXKV)
            return cm_fail(err, "%s:%ld: layer line has more than %d keys", f->path, line, MAXKV);
        tok[nt++] = p;
    }
    long idx;
    if (nt < 2 || cm_parse_long(tok[0], &idx) != 0)
        return cm_fail(err, "%s:%ld: expected 'layer N TYPE key=value ...'", f->path, line);
    if (idx != want_idx)
        return cm_fail(err, "%s:%ld: layer %ld out of order (expected layer %d)", f->path, line,
                       idx, want_idx);
    memset(ly, 0, sizeof *ly);
    ly->line = line;
    const char *type = tok[1];
    kv_t kv = { 0 };
    for (int i = 2; i < nt; i++) {
        char *eq = strchr(tok[i], '=');
        if (!eq || eq == tok[i] || !eq[1])
            return cm_fail(err, "%s:%ld: layer %d (%s): expected key=value, got '%s'", f->path, line,
                           want_idx, type, tok[i]);
        *eq = 0;
        for (int j = 0; j < kv.n; j++)
            if (strcmp(kv.k[j], tok[i]) == 0)
                return cm_fail(err, "%s:%ld: layer %d (%s): key '%s' given twice", f->path, line,
                               want_idx, type, tok[i]);
        kv.k[kv.n] = tok[i]; kv.v[kv.n] = eq + 1; kv.seen[kv.n] = 0; kv.n++;
    }
    lctx_t c = { f, line, want_idx, type, &kv, err };
    ly->type = -1;
    for (int t = 0; t < (int)(sizeof TYPE_NAMES / sizeof *TYPE_NAMES); t++)
        if (t != L_ACT && strcmp(type, TYPE_NAMES[t]) == 0) ly->type = t;
    for (int a = 1; a < (int)(sizeof ACT_NAMES / sizeof *ACT_NAMES); a++)
        if (strcmp(type, ACT_NAMES[a]) == 0) { ly->type = L_ACT; ly->act = a; }
    if (ly->type < 0)
        return cm_fail(err, "%s:%ld: layer %d: unknown layer type '%s' (known: conv1d linear "
                       "batchnorm1d relu elu exp sigmoid tanh softplus maxpool1d avgpool1d flatten "
                       "dropout add)", f->path, line, want_idx, type);
    const long REQ = -2000000000L;
    int rc = 0;
    const char *name = NULL;
    if (ly->type == L_CONV || ly->type == L_LINEAR || ly->type == L_BN) {
        name = kv_get(&c, "name");
        if (!name) return lfail(&c, "missing key 'name' (the state_dict prefix of its tensors)", NULL, NULL);
        if (strlen(name) >= sizeof ly->name - 32) return lfail(&c, "name too long", NULL, NULL);
        strcpy(ly->name, name);
    }
    switch (ly->type) {
    case L_CONV: {
        const char *pv = kv_get(&c, "padding");
        rc = kv_long(&c, "in", REQ, 1, &ly->in) || kv_long(&c, "out", REQ, 1, &ly->out)
            || kv_long(&c, "kernel", REQ, 1, &ly->kernel) || kv_long(&c, "stride", 1, 1, &ly->stride)
            || kv_long(&c, "dilation", 1, 1, &ly->dilation) || kv_long(&c, "groups", 1, 1, &ly->groups)
            || kv_long(&c, "bias", 1, 0, &ly->bias);
        if (rc) return -1;
        if (ly->bias > 1) return lfail(&c, "key 'bias': expected 0 or 1", NULL, NULL);
        if (pv && strcmp(pv, "same") == 0) {
            if (ly->stride != 1) return lfail(&c, "padding=same needs stride=1", NULL, NULL);
            long tot = ly->dilation * (ly->kernel - 1);
            ly->padl = tot / 2;           /* PyTorch: extra padding goes on the right */
            ly->padr = tot - ly->padl;
        } else if (pv) {
            if (cm_parse_long(pv, &ly->padl) != 0 || ly->padl < 0 || ly->padl > 100000000L)
                return lfail(&c, "key 'padding': expected an integer >= 0 or 'same'", NULL, NULL);
            ly->padr = ly->padl;
        }
        if (ly->in % ly->groups || ly->out % ly->groups)
            return lfail(&c, "in and out must be multiples of groups", NULL, NULL);
        break;
    }
    case L_LINEAR:
        rc = kv_long(&c, "in", REQ, 1, &ly->in) || kv_long(&c, "out", REQ, 1, &ly->out)
            || kv_long(&c, "bias", 1, 0, &ly->bias);
        if (rc) return -1;
        if (ly->bias > 1) return lfail(&c, "key 'bias': expected 0 or 1", NULL, NULL);
        ly->kernel = ly->stride = ly->dilation = ly->groups = 1;
        break;
    case L_BN:
        if (kv_long(&c, "channels", REQ, 1, &ly->channels) || kv_double(&c, "eps", 1e-5, 1, &ly->eps))
            return -1;
        break;
    case L_ACT:
        if (ly->act == ACT_ELU && kv_double(&c, "alpha", 1.0, 0, &ly->alpha)) return -1;
        if (ly->act == ACT_SOFTPLUS && (kv_double(&c, "beta", 1.0, 1, &ly->beta)
                                        || kv_double(&c, "threshold", 20.0, 0, &ly->thresh)))
            return -1;
        break;
    case L_MAXPOOL: case L_AVGPOOL:
        if (kv_long(&c, "kernel", REQ, 1, &ly->kernel)) return -1;
        if (kv_long(&c, "stride", ly->kernel, 1, &ly->stride) || kv_long(&c, "padding", 0, 0, &ly->padl))
            return -1;
        if (2 * ly->padl > ly->kernel)
            return lfail(&c, "padding must be at most half the kernel (as in PyTorch)", NULL, NULL);
        ly->padr = ly->padl;
        ly->dilation = 1;
        break;
    case L_ADD: {
        const char *v = kv_get(&c, "inputs");
        long a, b;
        char tmp[64];
        char *comma;
        if (!v) return lfail(&c, "missing key 'inputs' (two earlier layer numbers, e.g. inputs=3,7)", NULL, NULL);
        if (strlen(v) >= sizeof tmp || !(comma = strchr(strcpy(tmp, v), ',')))
            return lfail(&c, "key 'inputs': expected two layer numbers I,J", NULL, NULL);
        *comma = 0;
        if (cm_parse_long(tmp, &a) || cm_parse_long(comma + 1, &b) || a < 0 || b < 0
            || a >= want_idx || b >= want_idx)
            return lfail(&c, "key 'inputs': expected two earlier layer numbers I,J (0 <= I, J < this layer)", NULL, NULL);
        ly->inputs[0] = (int)a; ly->inputs[1] = (int)b;
        break;
    }
    default: break;
    }
    for (int i = 0; i < kv.n; i++)
        if (!kv.seen[i]) return lfail(&c, "unknown key '%s'", kv.k[i], NULL);
    return 0;
}

/* ---------- building ---------- */

static float *alloc_aligned(size_t n)
{
    size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
    float *p = aligned_alloc(64, bytes ? bytes : 64);
    if (!p) cm_oom();
    memset(p, 0, bytes ? bytes : 64);
    return p;
}

/* 1 if layer c reads the output of layer j (c > j). */
static int consumes(const layer_t *ly, int n, int c, int j)
{
    if (c >= n) return c == n && j == n - 1;   /* c == n: the model output */
    if (ly[c].type == L_ADD) return ly[c].inputs[0] == j || ly[c].inputs[1] == j;
    return c == j + 1;
}

/* 1 if layer i may be merged into the op of layer i-1: no layer other than i (and
 * layers already merged into that op) reads any layer mapped to that op. */
static int can_merge(const layer_t *ly, int n, const int *lop, int i)
{
    int X = lop[i - 1];
    for (int j = 0; j < i; j++) {
        if (lop[j] != X) continue;
        for (int c = j + 1; c <= n; c++) {
            if (!consumes(ly, n, c, j) || c == i) continue;
            if (c < i && lop[c] == X) continue;
            return 0;
        }
    }
    return 1;
}

/* Fold BatchNorm (per output channel scale sc, shift sh: y' = sc·y + sh) into conv op o. */
static void fold_bn(op_t *o, const double *sc, const double *sh)
{
    if (o->onehot) {
        for (int k = 0; k < o->K; k++)
            for (int a = 0; a < 4; a++)
                for (int c = 0; c < o->C; c++)
                    o->w[((size_t)k * 4 + a) * o->cpad + c] = (float)(o->w[((size_t)k * 4 + a) * o->cpad + c] * sc[c]);
    } else {
        for (int g = 0; g < o->groups; g++)
            for (int k = 0; k < o->K; k++)
                for (int ci = 0; ci < o->cin_g; ci++)
                    for (int c = 0; c < o->cout_g; c++) {
                        float *w = &o->w[widx(o, g, k, ci, c)];
                        *w = (float)(*w * sc[g * o->cout_g + c]);
                    }
    }
    for (int g = 0; g < o->groups; g++)
        for (int c = 0; c < o->cout_g; c++) {
            float *b = &o->b[(size_t)g * o->cpad + c];
            *b = (float)(*b * sc[g * o->cout_g + c] + sh[g * o->cout_g + c]);
        }
}

cm_seqcnn_t *cm_seqcnn_from_file(const cm_model_file_t *f, cm_err_t *err)
{
    long L = 0, rc_avg = 0;
    int n = 0, nl_decl = -1;
    long nl_line = 0;
    for (int i = 0; i < f->n_keys; i++) {
        const char *k = f->keys[i], *v = f->vals[i];
        if (strcmp(k, "layer") == 0) { n++; continue; }
        if (strcmp(k, "input_length") == 0) {
            if (cm_parse_long(v, &L) || L <= 0 || L > 100000000L)
                return cm_fail(err, "%s:%ld: input_length: expected a positive integer", f->path, f->key_line[i]), NULL;
        } else if (strcmp(k, "rc_average") == 0) {
            if (cm_parse_long(v, &rc_avg) || rc_avg < 0 || rc_avg > 1)
                return cm_fail(err, "%s:%ld: rc_average: expected 0 or 1", f->path, f->key_line[i]), NULL;
        } else if (strcmp(k, "layers") == 0) {
            long x;
            if (cm_parse_long(v, &x) || x <= 0 || x > 10000)
                return cm_fail(err, "%s:%ld: layers: expected a positive integer", f->path, f->key_line[i]), NULL;
            nl_decl = (int)x; nl_line = f->key_line[i];
        } else if (strcmp(k, "alphabet") == 0) {
            if (strcmp(v, "ACGT") != 0)
                return cm_fail(err, "%s:%ld: alphabet '%s' not supported (only ACGT)", f->path, f->key_line[i], v), NULL;
        }
    }
    if (!L) return cm_fail(err, "%s: header has no 'input_length' line", f->path), NULL;
    if (!n) return cm_fail(err, "%s: seqcnn model has no 'layer' lines", f->path), NULL;
    if (nl_decl >= 0 && nl_decl != n)
        return cm_fail(err, "%s:%ld: 'layers %d' but the header has %d layer lines", f->path, nl_line, nl_decl, n), NULL;

    layer_t *ly = cm_calloc((size_t)n, sizeof *ly);
    int *lop = cm_calloc((size_t)n, sizeof *lop);
    char *used = cm_calloc((size_t)f->n_tensors + 1, 1);
    cm_seqcnn_t *s = cm_calloc(1, sizeof *s);
    s->L = (int)L;
    s->rc = (int)rc_avg;
    s->op = cm_calloc((size_t)n + 1, sizeof *s->op);
    s->n_ops = 1;
    s->op[0].type = OP_INPUT; s->op[0].C = 4; s->op[0].T = (int)L;
    s->max_C = 4;
    int li = 0;
    for (int i = 0; i < f->n_keys; i++) {
        if (strcmp(f->keys[i], "layer") != 0) continue;
        if (parse_layer(f, f->key_line[i], f->vals[i], li, &ly[li], err)) goto fail;
        li++;
    }
    for (int i = 0; i < n; i++) {
        layer_t *y = &ly[i];
        int pC = i ? ly[i - 1].C : 4, pT = i ? ly[i - 1].T : (int)L, pop = i ? lop[i - 1] : 0;
        char nm[256];
        const char *tn = y->type == L_ACT ? ACT_NAMES[y->act] : TYPE_NAMES[y->type];
#define LFAIL(...) do { char m_[400]; snprintf(m_, sizeof m_, __VA_ARGS__); \
        cm_fail(err, "%s:%ld: layer %d (%s): %s", f->path, y->line, i, tn, m_); goto fail; } while (0)
        y->C = pC; y->T = pT;
        switch (y->type) {
        case L_CONV: case L_LINEAR: {
            if (y->type == L_LINEAR && pT != 1)
                LFAIL("needs a flattened input (1 position), its input is %d channels x %d positions "
                      "(add a flatten layer)", pC, pT);
            if (y->in != pC) LFAIL("in=%ld but its input has %d channels", y->in, pC);
            long span = y->dilation * (y->kernel - 1) + 1, tp = pT + y->padl + y->padr;
            if (tp < span) LFAIL("input of %d positions (padded %ld) is shorter than the kernel span %ld", pT, tp, span);
            y->C = (int)y->out;
            y->T = (int)((tp - span) / y->stride + 1);
            int64_t wd[3] = { y->out, y->in / y->groups, y->kernel };
            snprintf(nm, sizeof nm, "%s.weight", y->name);
            const float *w = need_tensor(f, used, nm, y->type == L_LINEAR ? 2 : 3, wd, err);
            if (!w) goto fail;
            const float *b = NULL;
            if (y->bias) {
                snprintf(nm, sizeof nm, "%s.bias", y->name);
                if (!(b = need_tensor(f, used, nm, 1, wd, err))) goto fail;
            }
            op_t *o = &s->op[s->n_ops];
            o->type = OP_CONV; o->in0 = pop;
            o->C = y->C; o->T = y->T; o->Cin = pC; o->Tin = pT;
            o->K = (int)y->kernel; o->s = (int)y->stride; o->d = (int)y->dilation; o->padl = (int)y->padl;
            o->groups = (int)y->groups; o->cin_g = (int)(y->in / y->groups); o->cout_g = (int)(y->out / y->groups);
            o->cpad = (o->cout_g + CT - 1) / CT * CT;
            o->onehot = pop == 0 && o->groups == 1;
            o->delta = s->op[pop].type == OP_FLATTEN && o->K == 1 && o->T == 1;
            o->b = alloc_aligned((size_t)o->groups * o->cpad);
            if (o->onehot) {
                o->w = alloc_aligned((size_t)o->K * 4 * o->cpad);
                for (int c = 0; c < o->C; c++)
                    for (int a = 0; a < 4; a++)
                        for (int k = 0; k < o->K; k++)
                            o->w[((size_t)k * 4 + a) * o->cpad + c] = w[((size_t)c * 4 + a) * o->K + k];
            } else {
                o->w = alloc_aligned((size_t)o->groups * o->K * o->cin_g * o->cpad);
                for (int g = 0; g < o->groups; g++)
                    for (int c = 0; c < o->cout_g; c++)
                        for (int ci = 0; ci < o->cin_g; ci++)
                            for (int k = 0; k < o->K; k++)
                                o->w[widx(o, g, k, ci, c)] =
                                    w[(((size_t)g * o->cout_g + c) * o->cin_g + ci) * o->K + k];
            }
            for (int g = 0; g < o->groups; g++)
                for (int c = 0; c < o->cout_g; c++)
                    o->b[(size_t)g * o->cpad + c] = b ? b[g * o->cout_g + c] : 0.0f;
            lop[i] = s->n_ops++;
            break;
        }
        case L_BN: {
            if (y->channels != pC) LFAIL("channels=%ld but its input has %d channels", y->channels, pC);
            const char *part[4] = { "weight", "bias", "running_mean", "running_var" };
            const float *p[4];
            int64_t d = pC;
            for (int q = 0; q < 4; q++) {
                snprintf(nm, sizeof nm, "%s.%s", y->name, part[q]);
                if (!(p[q] = need_tensor(f, used, nm, 1, &d, err))) goto fail;
            }
            double *sc = cm_malloc((size_t)pC * sizeof *sc), *sh = cm_malloc((size_t)pC * sizeof *sh);
            int neg = -1;
            for (int c = 0; c < pC; c++) {
                if (p[3][c] < 0 && neg < 0) neg = c;
                sc[c] = p[0][c] / sqrt((double)p[3][c] + y->eps);
                sh[c] = p[1][c] - p[2][c] * sc[c];
            }
            if (neg >= 0) { free(sc); free(sh); LFAIL("%s.running_var[%d] is negative", y->name, neg); }
            if (i > 0 && (ly[i - 1].type == L_CONV || ly[i - 1].type == L_LINEAR)
                && s->op[pop].act == ACT_NONE && can_merge(ly, n, lop, i)) {
                fold_bn(&s->op[pop], sc, sh);
                lop[i] = pop;
            } else {
                op_t *o = &s->op[s->n_ops];
                o->type = OP_AFFINE; o->in0 = pop; o->C = o->Cin = pC; o->T = o->Tin = pT;
                o->b = alloc_aligned((size_t)2 * pC);
                for (int c = 0; c < pC; c++) { o->b[c] = (float)sc[c]; o->b[pC + c] = (float)sh[c]; }
                lop[i] = s->n_ops++;
            }
            free(sc); free(sh);
            break;
        }
        case L_ACT: {
            op_t *po = &s->op[pop];
            if (i > 0 && po->act == ACT_NONE && (po->type == OP_CONV || po->type == OP_AFFINE || po->type == OP_ADD)
                && can_merge(ly, n, lop, i)) {
                lop[i] = pop;
            } else {
                op_t *o = &s->op[s->n_ops];
                o->type = OP_ACT; o->in0 = pop; o->C = o->Cin = pC; o->T = o->Tin = pT;
                lop[i] = s->n_ops++;
                po = o;
            }
            po->act = y->act; po->alpha = (float)y->alpha; po->beta = (float)y->beta; po->thresh = (float)y->thresh;
            break;
        }
        case L_MAXPOOL: case L_AVGPOOL: {
            long tp = pT + 2 * y->padl;
            if (tp < y->kernel) LFAIL("input of %d positions (padded %ld) is shorter than the kernel %ld", pT, tp, y->kernel);
            y->T = (int)((tp - y->kernel) / y->stride + 1);
            op_t *o = &s->op[s->n_ops];
            o->type = y->type == L_MAXPOOL ? OP_MAXPOOL : OP_AVGPOOL;
            o->in0 = pop; o->C = o->Cin = pC; o->T = y->T; o->Tin = pT;
            o->K = (int)y->kernel; o->s = (int)y->stride; o->d = 1; o->padl = (int)y->padl;
            lop[i] = s->n_ops++;
            break;
        }
        case L_FLATTEN: {
            if ((int64_t)pC * pT > 100000000) LFAIL("flattened size %lld too large", (long long)pC * pT);
            y->C = pC * pT; y->T = 1;
            if (pT == 1) { lop[i] = pop; break; }
            op_t *o = &s->op[s->n_ops];
            o->type = OP_FLATTEN; o->in0 = pop; o->C = y->C; o->T = 1; o->Cin = pC; o->Tin = pT;
            lop[i] = s->n_ops++;
            break;
        }
        case L_DROPOUT: lop[i] = pop; break;
        case L_ADD: {
            const layer_t *a = &ly[y->inputs[0]], *b = &ly[y->inputs[1]];
            if (a->C != b->C || a->T != b->T)
                LFAIL("inputs %d and %d have different shapes (%d x %d and %d x %d)", y->inputs[0],
                      y->inputs[1], a->C, a->T, b->C, b->T);
            y->C = a->C; y->T = a->T;
            op_t *o = &s->op[s->n_ops];
            o->type = OP_ADD; o->in0 = lop[y->inputs[0]]; o->in1 = lop[y->inputs[1]];
            o->C = o->Cin = y->C; o->T = o->Tin = y->T;
            lop[i] = s->n_ops++;
            break;
        }
        }
#undef LFAIL
    }
    for (int i = 0; i < f->n_tensors; i++)
        if (!used[i]) {
            cm_fail(err, "%s: tensor '%s': not used by any layer", f->path, f->t[i].name);
            goto fail;
        }
    {
        const layer_t *last = &ly[n - 1];
        if ((int64_t)last->C * last->T > 100000) {
            cm_fail(err, "%s: the last layer gives %d x %d outputs (too many heads)", f->path, last->C, last->T);
            goto fail;
        }
        s->n_out = last->C * last->T;
        /* lop[n-1] is the last op: every layer either makes a new op or merges into
         * the op of the layer before it */
        if (lop[n - 1] == 0) { cm_fail(err, "%s: the model has no layer that reads the input", f->path); goto fail; }
    }
    for (int i = 0; i < s->n_ops; i++) {
        op_t *o = &s->op[i];
        if (o->type == OP_CONV && o->delta) {   /* after BatchNorm folding */
            o->wt = alloc_aligned((size_t)o->groups * o->cin_g * o->cout_g);
            for (int g = 0; g < o->groups; g++)
                for (int ci = 0; ci < o->cin_g; ci++)
                    for (int c = 0; c < o->cout_g; c++)
                        o->wt[((size_t)g * o->cin_g + ci) * o->cout_g + c] = o->w[widx(o, g, 0, ci, c)];
        }
        if (o->C > s->max_C) s->max_C = o->C;
        if (o->Cin > s->max_C) s->max_C = o->Cin;
        if (o->type == OP_CONV || o->type == OP_MAXPOOL || o->type == OP_AVGPOOL) {
            int need = (o->T - 1) * o->s + (o->K - 1) * o->d + 1;
            if (need > s->max_rp) s->max_rp = need;
        }
    }
    for (int v = 2; v < s->n_ops && !s->vstart; v++) {
        int ok = s->op[v - 1].T == 1;
        for (int j = v; ok && j < s->n_ops; j++) {
            const op_t *o = &s->op[j];
            ok = o->T == 1 && o->in0 >= v - 1 && (o->type != OP_ADD || o->in1 >= v - 1)
                && (o->type == OP_AFFINE || o->type == OP_ACT || o->type == OP_ADD
                    || (o->type == OP_CONV && !o->onehot && o->Tin == 1 && o->K == 1 && o->padl == 0));
        }
        if (ok) s->vstart = v;
    }
    s->type0 = ly[0].type;
    s->next1 = -1; s->next1_type = -1;
    for (int i = 0; i < n; i++)
        if (lop[i] != 1) { s->next1 = i; s->next1_type = ly[i].type; break; }
    free(ly); free(lop); free(used);
    return s;
fail:
    free(ly); free(lop); free(used);
    cm_seqcnn_free(s);
    return NULL;
}

/* ---------- kernels ---------- */

typedef float v8 __attribute__((vector_size(32)));

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CM_CLONES __attribute__((target_clones("arch=x86-64-v3", "default"), optimize("fp-contract=fast")))
#else
#define CM_CLONES
#endif

/* unaligned load of 8 floats (a macro: a function returning a vector would change the ABI) */
#define ld8(p) __extension__ ({ v8 v_; memcpy(&v_, (p), sizeof v_); v_; })

/* Conv rows: output rows r = 0..nr-1 (relative) read padded input rows rp[r·s + k·d]
 * (each a pointer to Cin floats, a zero row in the padding).  dst: nr × C, bias added,
 * no activation.  zero: a zero row of >= Cin floats.  Register tile: 6 rows × 16
 * output channels (12 accumulators of 8 floats); the weight block of a tile is read
 * contiguously, and the loop over rows is inside the loop over channel tiles so the
 * block stays in cache. */
CM_CLONES
static void conv_rows(const op_t *o, const float *const *rp, int nr, const float *zero, float *dst)
{
    const int K = o->K, s = o->s, d = o->d, cig = o->cin_g, cog = o->cout_g, C = o->C;
    const int ntile = o->cpad / CT;
    for (int g = 0; g < o->groups; g++) {
        for (int j = 0; j < ntile; j++) {
            const int c0 = j * CT, nc = cog - c0 < CT ? cog - c0 : CT;
            const float *W = o->w + (size_t)(g * ntile + j) * K * cig * CT;
            const float *B = o->b + (size_t)g * o->cpad + c0;
            for (int r0 = 0; r0 < nr; r0 += RT) {
                const int nrr = nr - r0 < RT ? nr - r0 : RT;
                v8 a00 = ld8(B), a01 = ld8(B + 8);
                if (nrr == 1) {   /* same sums in the same order as the 6-row tile */
                    for (int k = 0; k < K; k++) {
                        const float *x0 = rp[r0 * s + k * d] + g * cig;
                        const float *w = W + (size_t)k * cig * CT;
                        for (int ci = 0; ci < cig; ci++, w += CT) {
                            a00 += ld8(w) * x0[ci]; a01 += ld8(w + 8) * x0[ci];
                        }
                    }
                    float out[CT];
                    memcpy(out, &a00, 32); memcpy(out + 8, &a01, 32);
                    memcpy(dst + (size_t)r0 * C + g * cog + c0, out, (size_t)nc * sizeof(float));
                    continue;
                }
                v8 a10 = a00, a11 = a01, a20 = a00, a21 = a01, a30 = a00, a31 = a01;
                v8 a40 = a00, a41 = a01, a50 = a00, a51 = a01;
                for (int k = 0; k < K; k++) {
                    const float *x0 = rp[r0 * s + k * d] + g * cig;
                    const float *x1 = nrr > 1 ? rp[(r0 + 1) * s + k * d] + g * cig : zero;
                    const float *x2 = nrr > 2 ? rp[(r0 + 2) * s + k * d] + g * cig : zero;
                    const float *x3 = nrr > 3 ? rp[(r0 + 3) * s + k * d] + g * cig : zero;
                    const float *x4 = nrr > 4 ? rp[(r0 + 4) * s + k * d] + g * cig : zero;
                    const float *x5 = nrr > 5 ? rp[(r0 + 5) * s + k * d] + g * cig : zero;
                    const float *w = W + (size_t)k * cig * CT;
                    for (int ci = 0; ci < cig; ci++, w += CT) {
                        const v8 w0 = ld8(w), w1 = ld8(w + 8);
                        float y;
                        y = x0[ci]; a00 += w0 * y; a01 += w1 * y;
                        y = x1[ci]; a10 += w0 * y; a11 += w1 * y;
                        y = x2[ci]; a20 += w0 * y; a21 += w1 * y;
                        y = x3[ci]; a30 += w0 * y; a31 += w1 * y;
                        y = x4[ci]; a40 += w0 * y; a41 += w1 * y;
                        y = x5[ci]; a50 += w0 * y; a51 += w1 * y;
                    }
                }
                float out[RT][CT];
                memcpy(out[0], &a00, 32); memcpy(out[0] + 8, &a01, 32);
                memcpy(out[1], &a10, 32); memcpy(out[1] + 8, &a11, 32);
                memcpy(out[2], &a20, 32); memcpy(out[2] + 8, &a21, 32);
                memcpy(out[3], &a30, 32); memcpy(out[3] + 8, &a31, 32);
                memcpy(out[4], &a40, 32); memcpy(out[4] + 8, &a41, 32);
                memcpy(out[5], &a50, 32); memcpy(out[5] + 8, &a51, 32);
                for (int r = 0; r < nrr; r++)
                    memcpy(dst + (size_t)(r0 + r) * C + g * cog + c0, out[r], (size_t)nc * sizeof(float));
            }
        }
    }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CM_HAVE_512 1
typedef float v16 __attribute__((vector_size(64)));
#define ld16(p) __extension__ ({ v16 v_; memcpy(&v_, (p), sizeof v_); v_; })

/* conv_rows for AVX-512 machines: register tile 8 rows × 32 output channels (two
 * weight blocks, 16 accumulators of 16 floats).  Same sums, same order per output as
 * conv_rows (bias, then taps k, then inputs ci), so results agree with it to float
 * rounding only through FMA contraction, which both use. */
__attribute__((target("arch=x86-64-v4"), optimize("fp-contract=fast")))
static void conv_rows_512(const op_t *o, const float *const *rp, int nr, const float *zero, float *dst)
{
    const int K = o->K, s = o->s, d = o->d, cig = o->cin_g, cog = o->cout_g, C = o->C;
    const int ntile = o->cpad / CT;
    for (int g = 0; g < o->groups; g++) {
        for (int j = 0; j < ntile; j += 2) {
            const int two = j + 1 < ntile;
            const int c0 = j * CT, nc = cog - c0 < 2 * CT ? cog - c0 : 2 * CT;
            const float *W0 = o->w + (size_t)(g * ntile + j) * K * cig * CT;
            const float *W1 = two ? W0 + (size_t)K * cig * CT : W0;
            const float *B = o->b + (size_t)g * o->cpad + c0;
            const v16 bz = { 0 };
            const v16 ba = ld16(B), bb = two ? ld16(B + CT) : bz;
            for (int r0 = 0; r0 < nr; r0 += 8) {
                const int nrr = nr - r0 < 8 ? nr - r0 : 8;
                v16 a0 = ba, a1 = ba, a2 = ba, a3 = ba, a4 = ba, a5 = ba, a6 = ba, a7 = ba;
                v16 b0 = bb, b1 = bb, b2 = bb, b3 = bb, b4 = bb, b5 = bb, b6 = bb, b7 = bb;
                for (int k = 0; k < K; k++) {
#define XR(r) const float *x##r = nrr > r ? rp[(r0 + r) * s + k * d] + g * cig : zero
                    XR(0); XR(1); XR(2); XR(3); XR(4); XR(5); XR(6); XR(7);
#undef XR
                    const float *w0 = W0 + (size_t)k * cig * CT, *w1 = W1 + (size_t)k * cig * CT;
                    for (int ci = 0; ci < cig; ci++) {
                        const v16 p = ld16(w0 + (size_t)ci * CT), q = ld16(w1 + (size_t)ci * CT);
                        float y;
                        y = x0[ci]; a0 += p * y; b0 += q * y;
                        y = x1[ci]; a1 += p * y; b1 += q * y;
                        y = x2[ci]; a2 += p * y; b2 += q * y;
                        y = x3[ci]; a3 += p * y; b3 += q * y;
                        y = x4[ci]; a4 += p * y; b4 += q * y;
                        y = x5[ci]; a5 += p * y; b5 += q * y;
                        y = x6[ci]; a6 += p * y; b6 += q * y;
                        y = x7[ci]; a7 += p * y; b7 += q * y;
                    }
                }
                float out[8][2 * CT];
#define ST(r) memcpy(out[r], &a##r, 64); memcpy(out[r] + CT, &b##r, 64)
                ST(0); ST(1); ST(2); ST(3); ST(4); ST(5); ST(6); ST(7);
#undef ST
                for (int r = 0; r < nrr; r++)
                    memcpy(dst + (size_t)(r0 + r) * C + g * cog + c0, out[r], (size_t)nc * sizeof(float));
            }
        }
    }
}
#endif

/* conv_rows, or its AVX-512 variant (for whole 8-row tiles) where the CPU has
 * AVX-512; both compute every output as the same sequence of fused multiply-adds. */
static void conv_any(const op_t *o, const float *const *rp, int nr, const float *zero, float *dst)
{
#ifdef CM_HAVE_512
    if (nr >= 8 && __builtin_cpu_supports("x86-64-v4")) {
        const int n8 = nr & ~7;   /* whole 8-row tiles here, the rest in 6-row tiles */
        conv_rows_512(o, rp, n8, zero, dst);
        if (n8 < nr) conv_rows(o, rp + (size_t)n8 * o->s, nr - n8, zero, dst + (size_t)n8 * o->C);
        return;
    }
#endif
    conv_rows(o, rp, nr, zero, dst);
}

/* One-hot conv rows t0..t0+nr-1 (absolute output positions) from the codes x (L):
 * out[t] = b + sum_k table[k][x[t·s − pad + k·d]] (code 4 / padding: a zero row).
 * 6 rows × 16 channels at a time (12 independent sums).  zero: >= cpad zeros. */
CM_CLONES
static void onehot_rows(const op_t *o, const uint8_t *x, int L, int t0, int nr, const float *zero,
                        float *dst)
{
    const int K = o->K, s = o->s, d = o->d, cpad = o->cpad, C = o->C;
    for (int c0 = 0; c0 < C; c0 += CT) {
        const int nc = C - c0 < CT ? C - c0 : CT;
        const float *tab = o->w + c0;
        for (int r0 = 0; r0 < nr; r0 += RT) {
            const int nrr = nr - r0 < RT ? nr - r0 : RT;
            v8 a00 = ld8(o->b + c0), a01 = ld8(o->b + c0 + 8);
            v8 a10 = a00, a11 = a01, a20 = a00, a21 = a01, a30 = a00, a31 = a01;
            v8 a40 = a00, a41 = a01, a50 = a00, a51 = a01;
            const int p0 = (t0 + r0) * s - o->padl;
            for (int k = 0; k < K; k++) {
#define TP(r) const float *w##r; { const int p = p0 + r * s + k * d; \
                w##r = r < nrr && p >= 0 && p < L && x[p] < 4 ? tab + ((size_t)k * 4 + x[p]) * cpad : zero; }
                TP(0) TP(1) TP(2) TP(3) TP(4) TP(5)
#undef TP
                a00 += ld8(w0); a01 += ld8(w0 + 8);
                a10 += ld8(w1); a11 += ld8(w1 + 8);
                a20 += ld8(w2); a21 += ld8(w2 + 8);
                a30 += ld8(w3); a31 += ld8(w3 + 8);
                a40 += ld8(w4); a41 += ld8(w4 + 8);
                a50 += ld8(w5); a51 += ld8(w5 + 8);
            }
            float out[RT][CT];
            memcpy(out[0], &a00, 32); memcpy(out[0] + 8, &a01, 32);
            memcpy(out[1], &a10, 32); memcpy(out[1] + 8, &a11, 32);
            memcpy(out[2], &a20, 32); memcpy(out[2] + 8, &a21, 32);
            memcpy(out[3], &a30, 32); memcpy(out[3] + 8, &a31, 32);
            memcpy(out[4], &a40, 32); memcpy(out[4] + 8, &a41, 32);
            memcpy(out[5], &a50, 32); memcpy(out[5] + 8, &a51, 32);
            for (int r = 0; r < nrr; r++)
                memcpy(dst + (size_t)(r0 + r) * C + c0, out[r], (size_t)nc * sizeof(float));
        }
    }
}

/* y[0..n) += w[0..n) · a */
CM_CLONES
static void delta_axpy(float *restrict y, const float *restrict w, float a, int n)
{
    for (int i = 0; i < n; i++) y[i] += w[i] * a;
}

static void apply_act(const op_t *o, float *x, size_t n)
{
    switch (o->act) {
    case ACT_NONE: break;
    case ACT_RELU: for (size_t i = 0; i < n; i++) x[i] = x[i] > 0 ? x[i] : 0.0f; break;
    case ACT_ELU:
        for (size_t i = 0; i < n; i++) x[i] = x[i] > 0 ? x[i] : o->alpha * expm1f(x[i]);
        break;
    case ACT_EXP: for (size_t i = 0; i < n; i++) x[i] = expf(x[i]); break;
    case ACT_SIGMOID: for (size_t i = 0; i < n; i++) x[i] = 1.0f / (1.0f + expf(-x[i])); break;
    case ACT_TANH: for (size_t i = 0; i < n; i++) x[i] = tanhf(x[i]); break;
    case ACT_SOFTPLUS:
        for (size_t i = 0; i < n; i++) {
            float bx = o->beta * x[i];
            x[i] = bx > o->thresh ? x[i] : log1pf(expf(bx)) / o->beta;
        }
        break;
    }
}

/* ---------- evaluation with spans ---------- */

/* Per-call workspace.  For op i, rows [s0, s1) of its current output are in buf[i]
 * (row s0 first); other rows are the baseline base[i].  A full pass writes base[i]
 * with empty spans. */
typedef struct {
    float **base, **buf, **pre;  /* pre: delta convs' pre-activation baseline (C) */
    int *s0, *s1;
    const float **rp;
    float *zero, *ninf;
    uint8_t *x;                  /* current codes (L) */
} ws_t;

static inline const float *row(const ws_t *w, const op_t *ops, int i, int r)
{
    if (r >= w->s0[i] && r < w->s1[i]) return w->buf[i] + (size_t)(r - w->s0[i]) * ops[i].C;
    return w->base[i] + (size_t)r * ops[i].C;
}

static void ws_init(const cm_seqcnn_t *s, ws_t *w, int edits)
{
    int n = s->n_ops;
    w->base = cm_calloc((size_t)n, sizeof *w->base);
    w->buf = cm_calloc((size_t)n, sizeof *w->buf);
    w->pre = cm_calloc((size_t)n, sizeof *w->pre);
    w->s0 = cm_calloc((size_t)n, sizeof *w->s0);
    w->s1 = cm_calloc((size_t)n, sizeof *w->s1);
    for (int i = 0; i < n; i++) {
        size_t sz = (size_t)s->op[i].T * s->op[i].C;
        w->base[i] = cm_malloc(sz * sizeof(float));
        if (edits) w->buf[i] = cm_malloc(sz * sizeof(float));
        if (edits && s->op[i].type == OP_CONV && s->op[i].delta) w->pre[i] = cm_malloc(sz * sizeof(float));
    }
    w->rp = cm_malloc((size_t)(s->max_rp + RT * 64 + 1) * sizeof *w->rp);
    w->zero = cm_calloc((size_t)s->max_C + CT, sizeof(float));
    w->ninf = cm_malloc(((size_t)s->max_C + CT) * sizeof(float));
    for (int i = 0; i < s->max_C + CT; i++) w->ninf[i] = -INFINITY;
    w->x = cm_malloc((size_t)s->L);
}

static void ws_free(const cm_seqcnn_t *s, ws_t *w)
{
    for (int i = 0; i < s->n_ops; i++) { free(w->base[i]); free(w->buf[i]); free(w->pre[i]); }
    free(w->base); free(w->buf); free(w->pre); free(w->s0); free(w->s1);
    free(w->rp); free(w->zero); free(w->ninf); free(w->x);
}

/* Compute rows [t0, t1) of op i into dst (row t0 first), reading inputs through row(). */
static void compute_op(const cm_seqcnn_t *s, const op_t *o, ws_t *w, int t0, int t1, float *dst)
{
    const op_t *ops = s->op;
    const int C = o->C, nr = t1 - t0;
    switch (o->type) {
    case OP_INPUT:
        memset(dst, 0, (size_t)nr * 4 * sizeof(float));
        for (int t = t0; t < t1; t++)
            if (w->x[t] < 4) dst[(size_t)(t - t0) * 4 + w->x[t]] = 1.0f;
        return;
    case OP_CONV:
        if (o->onehot) {
            onehot_rows(o, w->x, s->L, t0, nr, w->zero, dst);
        } else {
            const int q0 = t0 * o->s, nq = (nr - 1) * o->s + (o->K - 1) * o->d + 1;
            for (int q = 0; q < nq; q++) {
                int p = q0 + q - o->padl;
                w->rp[q] = p >= 0 && p < o->Tin ? row(w, ops, o->in0, p) : w->zero;
            }
            conv_any(o, w->rp, nr, w->zero, dst);
        }
        break;
    case OP_AFFINE:
        for (int t = t0; t < t1; t++) {
            const float *x = row(w, ops, o->in0, t);
            float *y = dst + (size_t)(t - t0) * C;
            for (int c = 0; c < C; c++) y[c] = x[c] * o->b[c] + o->b[C + c];
        }
        break;
    case OP_ACT:
        for (int t = t0; t < t1; t++) memcpy(dst + (size_t)(t - t0) * C, row(w, ops, o->in0, t), (size_t)C * sizeof(float));
        break;
    case OP_MAXPOOL: case OP_AVGPOOL: {
        const int mx = o->type == OP_MAXPOOL;
        const float inv = 1.0f / (float)o->K;
        for (int t = t0; t < t1; t++) {
            float *y = dst + (size_t)(t - t0) * C;
            memcpy(y, mx ? w->ninf : w->zero, (size_t)C * sizeof(float));
            for (int k = 0; k < o->K; k++) {
                int p = t * o->s - o->padl + k;
                if (p < 0 || p >= o->Tin) continue;
                const float *x = row(w, ops, o->in0, p);
                if (mx) { for (int c = 0; c < C; c++) y[c] = x[c] > y[c] ? x[c] : y[c]; }
                else { for (int c = 0; c < C; c++) y[c] += x[c]; }
            }
            if (!mx) for (int c = 0; c < C; c++) y[c] *= inv;   /* count_include_pad=True */
        }
        break;
    }
    case OP_FLATTEN: {
        const int Ci = o->Cin, Ti = o->Tin;
        for (int t = 0; t < Ti; t++) {
            const float *x = row(w, ops, o->in0, t);
            for (int c = 0; c < Ci; c++) dst[(size_t)c * Ti + t] = x[c];
        }
        break;
    }
    case OP_ADD:
        for (int t = t0; t < t1; t++) {
            const float *a = row(w, ops, o->in0, t), *b = row(w, ops, o->in1, t);
            float *y = dst + (size_t)(t - t0) * C;
            for (int c = 0; c < C; c++) y[c] = a[c] + b[c];
        }
        break;
    }
    apply_act(o, dst, (size_t)nr * C);
}

static void compute(const cm_seqcnn_t *s, ws_t *w, int i, int t0, int t1, float *dst)
{
    compute_op(s, &s->op[i], w, t0, t1, dst);
}

/* Full pass of the codes in w->x: base[i] for ops 0 .. nops-1 (spans emptied). */
static void full_pass_to(const cm_seqcnn_t *s, ws_t *w, int nops)
{
    for (int i = 0; i < s->n_ops; i++) w->s0[i] = w->s1[i] = 0;
    for (int i = 0; i < nops; i++) {
        const op_t *o = &s->op[i];
        if (w->pre[i]) {   /* conv updated by deltas: keep the pre-activation baseline */
            op_t lin = *o;
            lin.act = ACT_NONE;
            compute_op(s, &lin, w, 0, o->T, w->pre[i]);
            memcpy(w->base[i], w->pre[i], (size_t)o->T * o->C * sizeof(float));
            apply_act(o, w->base[i], (size_t)o->T * o->C);
        } else {
            compute(s, w, i, 0, o->T, w->base[i]);
        }
    }
}

static void full_pass(const cm_seqcnn_t *s, ws_t *w) { full_pass_to(s, w, s->n_ops); }

/* Read the model output (c·T + t order) of the current state into out. */
static void read_out(const cm_seqcnn_t *s, const ws_t *w, float *out)
{
    const int i = s->n_ops - 1;
    const op_t *o = &s->op[i];
    for (int t = 0; t < o->T; t++) {
        const float *r = row(w, s->op, i, t);
        for (int c = 0; c < o->C; c++) out[(size_t)c * o->T + t] = r[c];
    }
}

static void revcomp(const uint8_t *x, int L, uint8_t *y)
{
    for (int i = 0; i < L; i++) { uint8_t c = x[L - 1 - i]; y[i] = c < 4 ? (uint8_t)(3 - c) : 4; }
}

/* Batched prediction for nets with a vector stage (vstart > 0): ops below vstart run
 * window by window; the vector ops run on up to VB windows (and their reverse
 * complements) at once, one row each, so each weight matrix is read once per batch.
 * Every output is the same sum in the same order as one window alone (conv_rows). */
static void predict_batched(const cm_seqcnn_t *s, ws_t *w, const uint8_t *codes, int n, float *logits)
{
    enum { VB = 32 };
    const int L = s->L, O = s->n_out, v = s->vstart, R = s->rc ? 2 : 1, last = s->n_ops - 1;
    ws_t wb;
    memset(&wb, 0, sizeof wb);
    wb.base = cm_calloc((size_t)s->n_ops, sizeof *wb.base);
    wb.s0 = cm_calloc((size_t)s->n_ops, sizeof *wb.s0);
    wb.s1 = cm_calloc((size_t)s->n_ops, sizeof *wb.s1);
    for (int j = v - 1; j < s->n_ops; j++) wb.base[j] = cm_malloc((size_t)VB * R * s->op[j].C * sizeof(float));
    wb.rp = cm_malloc((size_t)(VB * R + 1) * sizeof *wb.rp);
    wb.zero = w->zero;
    const int Cv = s->op[v - 1].C;
    for (int i0 = 0; i0 < n; i0 += VB) {
        const int nb = n - i0 < VB ? n - i0 : VB, rows = nb * R;
        for (int i = 0; i < nb; i++) {
            const uint8_t *xi = codes + (size_t)(i0 + i) * L;
            for (int j = 0; j < L; j++) w->x[j] = xi[j] < 4 ? xi[j] : 4;
            full_pass_to(s, w, v);
            memcpy(wb.base[v - 1] + (size_t)i * Cv, w->base[v - 1], (size_t)Cv * sizeof(float));
            if (s->rc) {
                revcomp(xi, L, w->x);
                full_pass_to(s, w, v);
                memcpy(wb.base[v - 1] + (size_t)(nb + i) * Cv, w->base[v - 1], (size_t)Cv * sizeof(float));
            }
        }
        for (int j = v; j < s->n_ops; j++) {
            op_t tmp = s->op[j];
            tmp.T = tmp.Tin = rows;
            compute_op(s, &tmp, &wb, 0, rows, wb.base[j]);
        }
        for (int i = 0; i < nb; i++) {
            float *out = logits + (size_t)(i0 + i) * O;
            const float *y = wb.base[last] + (size_t)i * O;
            if (s->rc) {
                const float *yr = wb.base[last] + (size_t)(nb + i) * O;
                for (int o = 0; o < O; o++) out[o] = (y[o] + yr[o]) * 0.5f;
            } else {
                memcpy(out, y, (size_t)O * sizeof(float));
            }
        }
    }
    for (int j = v - 1; j < s->n_ops; j++) free(wb.base[j]);
    free(wb.base); free(wb.s0); free(wb.s1); free(wb.rp);
}

int cm_seqcnn_predict(const cm_seqcnn_t *s, const uint8_t *codes, int n, float *logits, cm_err_t *err)
{
    (void)err;
    ws_t w;
    ws_init(s, &w, 0);
    const int L = s->L, O = s->n_out;
    if (s->vstart) {
        predict_batched(s, &w, codes, n, logits);
        ws_free(s, &w);
        return 0;
    }
    float *tmp = cm_malloc((size_t)O * sizeof(float));
    for (int i = 0; i < n; i++) {
        const uint8_t *xi = codes + (size_t)i * L;
        float *out = logits + (size_t)i * O;
        for (int j = 0; j < L; j++) w.x[j] = xi[j] < 4 ? xi[j] : 4;
        full_pass(s, &w);
        read_out(s, &w, out);
        if (s->rc) {
            revcomp(xi, L, w.x);
            full_pass(s, &w);
            read_out(s, &w, tmp);
            for (int o = 0; o < O; o++) out[o] = (out[o] + tmp[o]) * 0.5f;
        }
    }
    free(tmp);
    ws_free(s, &w);
    return 0;
}

static inline int floordiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/* Apply one edit [a, b) (codes already patched into w->x) incrementally and read the
 * output into out.  Baseline in w->base (and w->pre). */
static void edit_pass_to(const cm_seqcnn_t *s, ws_t *w, int a, int b, int nops)
{
    const op_t *ops = s->op;
    w->s0[0] = a; w->s1[0] = b;
    if (b > a) compute(s, w, 0, a, b, w->buf[0]);
    for (int i = 1; i < nops; i++) {
        const op_t *o = &ops[i];
        int lo = w->s0[o->in0], hi = w->s1[o->in0];
        int t0 = 0, t1 = 0;
        if (o->type == OP_ADD) {
            int lo2 = w->s0[o->in1], hi2 = w->s1[o->in1];
            if (hi <= lo) { lo = lo2; hi = hi2; }
            else if (hi2 > lo2) { lo = lo < lo2 ? lo : lo2; hi = hi > hi2 ? hi : hi2; }
        }
        if (hi > lo) {
            switch (o->type) {
            case OP_CONV: case OP_MAXPOOL: case OP_AVGPOOL: {
                int span = (o->K - 1) * o->d;
                t0 = -floordiv(-(lo + o->padl - span), o->s);   /* ceil */
                t1 = floordiv(hi - 1 + o->padl, o->s) + 1;
                if (t0 < 0) t0 = 0;
                if (t1 > o->T) t1 = o->T;
                break;
            }
            case OP_FLATTEN: t0 = 0; t1 = 1; break;
            default: t0 = lo; t1 = hi; break;
            }
        }
        if (t1 <= t0) { w->s0[i] = w->s1[i] = 0; continue; }
        w->s0[i] = t0; w->s1[i] = t1;
        if (o->type == OP_CONV && o->delta) {
            /* baseline + W·Δx over the flattened entries c·Tf + t, t in the span of the
             * flatten's input (all channels c) */
            const op_t *fl = &ops[o->in0];
            const int Tf = fl->Tin, Cf = fl->Cin, fs0 = w->s0[fl->in0], fs1 = w->s1[fl->in0];
            const float *nx = w->buf[o->in0], *bx = w->base[o->in0];
            float *y = w->buf[i];
            memcpy(y, w->pre[i], (size_t)o->C * sizeof(float));
            for (int c = 0; c < Cf; c++)
                for (int t = fs0; t < fs1; t++) {
                    const int j = c * Tf + t, g = j / o->cin_g;
                    const float dx = nx[j] - bx[j];
                    if (dx == 0.0f) continue;
                    float *yg = y + (size_t)g * o->cout_g;
                    const float *wr = o->wt + (size_t)j * o->cout_g;
                    delta_axpy(yg, wr, dx, o->cout_g);
                }
            apply_act(o, y, (size_t)o->C);
        } else {
            compute(s, w, i, t0, t1, w->buf[i]);
        }
    }
}

static void edit_pass(const cm_seqcnn_t *s, ws_t *w, int a, int b, float *out)
{
    edit_pass_to(s, w, a, b, s->n_ops);
    read_out(s, w, out);
}

/* Incremental predictions of edits on one strand: base codes xb (L), edits given as
 * (start, len, codes, reverse) — reverse: the edit is applied to the reverse
 * complement window, mirrored. */
/* Batched delta update of a linear (groups 1, weights o->wt) on a flattened vector:
 * for each edit e < nb, y[e] += sum over entries j = c·Tf + t, t in [sp[2e], sp[2e+1]),
 * of wt[j]·(xn[e][j] − xb[j]); outputs in chunks of 256 so each weight row is read
 * once per batch.  Same order of sums per output as the one-edit path. */
CM_CLONES
static void batch_delta(const op_t *o, int Tf, int Cf, int Cx, int u0, int u1, const int *sp, int nb,
                        const float *xn, const float *xb, float *y)
{
    enum { CH = 256 };
    const int C = o->C;
    for (int c0 = 0; c0 < C; c0 += CH) {
        const int nc = C - c0 < CH ? C - c0 : CH;
        for (int c = 0; c < Cf; c++)
            for (int t = u0; t < u1; t++) {
                const int j = c * Tf + t;
                const float *restrict wr = o->wt + (size_t)j * C + c0;
                for (int e = 0; e < nb; e++) {
                    if (t < sp[2 * e] || t >= sp[2 * e + 1]) continue;
                    const float dx = xn[(size_t)e * Cx + j] - xb[j];
                    if (dx == 0.0f) continue;
                    float *restrict ye = y + (size_t)e * C + c0;
                    for (int k = 0; k < nc; k++) ye[k] += wr[k] * dx;
                }
            }
    }
}

/* Current output (C floats) of vector op i after an edit pass. */
static const float *vec_of(const ws_t *w, int i) { return w->s1[i] > w->s0[i] ? w->buf[i] : w->base[i]; }

/* Incremental predictions of edits on one strand: base codes xb (L), edits as given,
 * or (reverse) applied to the reverse-complement window, mirrored.  With a vector
 * stage (vstart > 0) the ops after the first vector op run on batches of edits (one
 * row each), as in predict_batched. */
static void edits_strand(const cm_seqcnn_t *s, ws_t *w, const uint8_t *xb, int n,
                         const cm_model_edit_t *edits, int reverse, float *logits, int accumulate)
{
    enum { VB = 32 };
    const int L = s->L, O = s->n_out, v = s->vstart, last = s->n_ops - 1;
    const int batched = v > 0 && v < last;
    /* the first vector op a delta linear (groups 1): its update runs on the batch too */
    const int bdelta = batched && s->op[v].type == OP_CONV && s->op[v].delta && s->op[v].groups == 1;
    int fsp[2 * VB];
    float *tmp = cm_malloc((size_t)O * sizeof(float));
    ws_t wb;
    memset(&wb, 0, sizeof wb);
    if (batched) {
        wb.base = cm_calloc((size_t)s->n_ops, sizeof *wb.base);
        wb.s0 = cm_calloc((size_t)s->n_ops, sizeof *wb.s0);
        wb.s1 = cm_calloc((size_t)s->n_ops, sizeof *wb.s1);
        for (int j = v - 1; j < s->n_ops; j++) wb.base[j] = cm_malloc((size_t)VB * s->op[j].C * sizeof(float));
        wb.rp = cm_malloc((size_t)(VB + 1) * sizeof *wb.rp);
        wb.zero = w->zero;
    }
    memcpy(w->x, xb, (size_t)L);
    full_pass(s, w);
    for (int e0 = 0; e0 < n; e0 += batched ? VB : 1) {
        const int nb = batched ? (n - e0 < VB ? n - e0 : VB) : 1;
        for (int e = e0; e < e0 + nb; e++) {
            const cm_model_edit_t *ed = &edits[e];
            int a = reverse ? L - ed->start - ed->len : ed->start, b = a + ed->len;
            for (int j = 0; j < ed->len; j++) {
                uint8_t c = ed->codes[j] < 4 ? ed->codes[j] : 4;
                if (reverse) w->x[b - 1 - j] = c < 4 ? (uint8_t)(3 - c) : 4;
                else w->x[a + j] = c;
            }
            if (bdelta) {
                edit_pass_to(s, w, a, b, v);       /* through the flatten */
                const int f = s->op[v - 1].in0;
                fsp[2 * (e - e0)] = w->s0[f]; fsp[2 * (e - e0) + 1] = w->s1[f];
                memcpy(wb.base[v - 1] + (size_t)(e - e0) * s->op[v - 1].C, vec_of(w, v - 1),
                       (size_t)s->op[v - 1].C * sizeof(float));
            } else if (batched) {
                edit_pass_to(s, w, a, b, v + 1);   /* through the first vector op */
                for (int j = v - 1; j <= v; j++)
                    memcpy(wb.base[j] + (size_t)(e - e0) * s->op[j].C, vec_of(w, j), (size_t)s->op[j].C * sizeof(float));
            } else {
                edit_pass(s, w, a, b, tmp);
                float *out = logits + (size_t)e * O;
                if (accumulate) for (int o = 0; o < O; o++) out[o] = (out[o] + tmp[o]) * 0.5f;
                else memcpy(out, tmp, (size_t)O * sizeof(float));
            }
            memcpy(w->x + a, xb + a, (size_t)ed->len);
        }
        if (!batched) continue;
        if (bdelta) {
            /* y_e = pre + sum over e's changed flattened entries j: W[:, j]·Δx_e[j], in
             * chunks of CH outputs so the weight rows are read once per batch and the
             * outputs stay in cache; same order of sums per output as edit_pass */
            const op_t *o = &s->op[v], *fl = &s->op[v - 1];
            const int C = o->C, Tf = fl->Tin, Cf = fl->Cin;
            const float *bx = w->base[v - 1];
            int u0 = INT32_MAX, u1 = -1;
            for (int e = 0; e < nb; e++)
                if (fsp[2 * e + 1] > fsp[2 * e]) {
                    if (fsp[2 * e] < u0) u0 = fsp[2 * e];
                    if (fsp[2 * e + 1] > u1) u1 = fsp[2 * e + 1];
                }
            for (int e = 0; e < nb; e++) memcpy(wb.base[v] + (size_t)e * C, w->pre[v], (size_t)C * sizeof(float));
            if (u1 > u0) batch_delta(o, Tf, Cf, fl->C, u0, u1, fsp, nb, wb.base[v - 1], bx, wb.base[v]);
            apply_act(o, wb.base[v], (size_t)nb * C);
        }
        for (int j = v + 1; j < s->n_ops; j++) {
            op_t t = s->op[j];
            t.T = t.Tin = nb;
            compute_op(s, &t, &wb, 0, nb, wb.base[j]);
        }
        for (int e = 0; e < nb; e++) {
            float *out = logits + (size_t)(e0 + e) * O;
            const float *y = wb.base[last] + (size_t)e * O;
            if (accumulate) for (int o = 0; o < O; o++) out[o] = (out[o] + y[o]) * 0.5f;
            else memcpy(out, y, (size_t)O * sizeof(float));
        }
    }
    if (batched) {
        for (int j = v - 1; j < s->n_ops; j++) free(wb.base[j]);
        free(wb.base); free(wb.s0); free(wb.s1); free(wb.rp);
    }
    free(tmp);
}

int cm_seqcnn_predict_edits(const cm_seqcnn_t *s, const uint8_t *base, int n,
                            const cm_model_edit_t *edits, float *logits, cm_err_t *err)
{
    (void)err;
    if (n <= 0) return 0;
    ws_t w;
    ws_init(s, &w, 1);
    const int L = s->L;
    uint8_t *xb = cm_malloc((size_t)L);
    for (int j = 0; j < L; j++) xb[j] = base[j] < 4 ? base[j] : 4;
    edits_strand(s, &w, xb, n, edits, 0, logits, 0);
    if (s->rc) {
        uint8_t *xr = cm_malloc((size_t)L);
        revcomp(xb, L, xr);
        edits_strand(s, &w, xr, n, edits, 1, logits, 1);
        free(xr);
    }
    free(xb);
    ws_free(s, &w);
    return 0;
}

/* ---------- the first layer as motif detectors (see seqcnn.h) ---------- */

int cm_seqcnn_first_conv(const cm_seqcnn_t *s, cm_seqcnn_conv1_t *info, cm_err_t *err)
{
    const char *E = "--filter-pwms: the first layer of a seqcnn model";
    if (s->type0 != L_CONV || s->n_ops < 2 || s->op[1].type != OP_CONV || s->op[1].in0 != 0)
        return cm_fail(err, "%s must be a conv1d on the one-hot input (layer 0 is %s)", E,
                       s->type0 == L_ACT ? "an activation" : TYPE_NAMES[s->type0]);
    const op_t *o = &s->op[1];
    if (o->s != 1) return cm_fail(err, "%s: the first conv1d has stride %d (needs 1)", E, o->s);
    if (o->d != 1) return cm_fail(err, "%s: the first conv1d has dilation %d (needs 1)", E, o->d);
    if (o->groups != 1 || !o->onehot)
        return cm_fail(err, "%s: the first conv1d has groups %d (needs 1)", E, o->groups);
    if (s->next1_type == L_BN || s->next1_type == L_ACT)
        return cm_fail(err, "%s: layer %d (%s) after the first conv1d could not be folded into it "
                       "(another layer reads the conv1d output)", E, s->next1,
                       s->next1_type == L_ACT ? "activation" : TYPE_NAMES[s->next1_type]);
    info->K = o->K; info->C = o->C; info->act = o->act;
    return 0;
}

void cm_seqcnn_first_conv_values(const cm_seqcnn_t *s, const uint8_t *codes, int L, int activate,
                                 float *out)
{
    op_t o = s->op[1];
    const int T = L - o.K + 1, C = o.C;
    if (T < 1) return;
    o.padl = 0;   /* output t reads bases [t, t + K): only unpadded positions */
    float *zero = cm_calloc((size_t)o.cpad + CT, sizeof(float));
    float *tmp = cm_malloc((size_t)T * C * sizeof(float));   /* T × C, position-major */
    onehot_rows(&o, codes, L, 0, T, zero, tmp);
    if (activate) apply_act(&o, tmp, (size_t)T * C);
    for (int t = 0; t < T; t++)
        for (int c = 0; c < C; c++) out[(size_t)c * T + t] = tmp[(size_t)t * C + c];
    free(tmp);
    free(zero);
}

/* ---------- model kind "seqcnn" (model/kinds.h) ---------- */

static int sq_predict(const void *impl, const uint8_t *codes, int n, float *logits, cm_err_t *err)
{
    return cm_seqcnn_predict((const cm_seqcnn_t *)impl, codes, n, logits, err);
}

static int sq_predict_edits(const void *impl, const uint8_t *base, int n, const cm_model_edit_t *edits,
                            float *logits, cm_err_t *err)
{
    return cm_seqcnn_predict_edits((const cm_seqcnn_t *)impl, base, n, edits, logits, err);
}

static void sq_free(void *impl) { cm_seqcnn_free((cm_seqcnn_t *)impl); }

static const cm_model_ops_t seqcnn_ops = { "seqcnn", sq_predict, sq_free, sq_predict_edits };

static cm_model_t *sq_load(const char *path, const cm_model_file_t *f, cm_err_t *err)
{
    (void)path;
    cm_seqcnn_t *s = cm_seqcnn_from_file(f, err);
    if (!s) return NULL;
    return cm_model_wrap_file(&seqcnn_ops, s, s->L, s->n_out, f, err);
}

const cm_model_kind_t cm_model_kind_seqcnn = { "seqcnn", NULL, sq_load };
