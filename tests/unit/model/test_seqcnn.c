/* Unit tests for seqcnn.c (model kind "seqcnn", docs/model-format.md).
 *  - tiny hand-derived networks: one-hot conv (N = zero column), stride/dilation,
 *    max/avg pooling with padding (count_include_pad), BatchNorm folding and
 *    unfolded BatchNorm, residual add, flatten order c·T + t, linear, reverse-
 *    complement averaging, activations;
 *  - loader error messages (shape, missing/unused tensor, unknown type/key, order);
 *  - incremental predict_edits equals the full recompute (max |diff| <= 1e-5) on random
 *    single-base and 20-bp edits, for a Basset-like, a residual dilated and a strided /
 *    grouped / reverse-complement-averaged network, and batch/thread invariance. */
#include "check.h"
#include "model/model.h"
#include "model/seqcnn.h"
#include "core/dna.h"
#include "core/rng.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One tensor to write: name, shape "D0,D1,...", values (NULL: random). */
typedef struct { const char *name; const char *shape; const float *v; } tw_t;

static int64_t numel(const char *shape)
{
    int64_t n = 1;
    for (const char *p = shape; *p;) { n *= strtol(p, (char **)&p, 10); if (*p == ',') p++; }
    return n;
}

/* Write a model file: "coopmap-model 1", header (lines, '\n'-terminated), tensors.
 * Random values: weights ~ U(-1,1)/sqrt(fan_in), running_var in [0.5, 2]. */
static void write_model(const char *path, const char *header, const tw_t *t, int nt, uint64_t seed)
{
    FILE *f = fopen(path, "wb");
    fprintf(f, "coopmap-model 1\n%s", header);
    for (int i = 0; i < nt; i++) fprintf(f, "tensor %s f32 %s\n", t[i].name, t[i].shape);
    fputs("end\n", f);
    uint64_t ctr = 0;
    for (int i = 0; i < nt; i++) {
        int64_t n = numel(t[i].shape);
        const char *c = strchr(t[i].shape, ',');
        double fan = c ? (double)n / strtol(t[i].shape, NULL, 10) : 1.0;
        for (int64_t j = 0; j < n; j++) {
            float v;
            if (t[i].v) v = t[i].v[j];
            else {
                double u = cm_rng_double(seed, ctr++);
                if (strstr(t[i].name, "running_var")) v = (float)(0.5 + 1.5 * u);
                else if (strstr(t[i].name, "running_mean") || !c) v = (float)(0.2 * (u - 0.5));
                else v = (float)((2 * u - 1) * 1.7 / sqrt(fan));
            }
            fwrite(&v, 4, 1, f);
        }
    }
    fclose(f);
}

static const char *TMP = "/tmp/cm_test_seqcnn.cmm";

static cm_model_t *load(cm_err_t *err) { err->msg[0] = 0; return cm_model_load(TMP, err); }

static void codes_of(const char *s, uint8_t *x)
{
    for (size_t i = 0; s[i]; i++) x[i] = cm_nt4((unsigned char)s[i]);
}

/* Predict one sequence through the model in TMP; returns number of outputs or -1. */
static int pred(const char *seq, float *out)
{
    cm_err_t err;
    cm_model_t *m = load(&err);
    if (!m) { printf("# load failed: %s\n", err.msg); return -1; }
    uint8_t x[64];
    codes_of(seq, x);
    int rc = cm_model_predict(m, x, 1, out, &err);
    int H = cm_model_n_heads(m);
    cm_model_free(m);
    return rc ? -1 : H;
}

/* conv 4 -> 1, kernel 2, w[a][k] = (a+1)·(k ? 10 : 1): on ACGTA gives 21 32 43 14 */
static const float W1[8] = { 1, 10, 2, 20, 3, 30, 4, 40 };

static void hand_tests(void)
{
    float y[16];
    char hdr[2048];
    tw_t conv[1] = { { "c.weight", "1,4,2", W1 } };
    const char *base = "kind seqcnn\ninput_length 5\nheads %s\n";

    snprintf(hdr, sizeof hdr, base, "a b c d");
    strcat(hdr, "layer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 flatten\n");
    write_model(TMP, hdr, conv, 1, 0);
    CHECK(pred("ACGTA", y) == 4 && y[0] == 21 && y[1] == 32 && y[2] == 43 && y[3] == 14, "one-hot conv by hand");
    CHECK(pred("ANGTA", y) == 4 && y[0] == 1 && y[1] == 30 && y[2] == 43, "N is an all-zero column");
    CHECK(pred("acgta", y) == 4 && y[0] == 21, "lower case");

    snprintf(hdr, sizeof hdr, base, "a b");
    strcat(hdr, "layer 0 conv1d name=c in=4 out=1 kernel=2 stride=2 dilation=2 bias=0\nlayer 1 flatten\n");
    write_model(TMP, hdr, conv, 1, 0);
    CHECK(pred("ACGTA", y) == 2 && y[0] == 31 && y[1] == 13, "stride 2 dilation 2 conv");

    snprintf(hdr, sizeof hdr, base, "a b c");
    strcat(hdr, "layer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 maxpool1d kernel=2 padding=1\nlayer 2 flatten\n");
    write_model(TMP, hdr, conv, 1, 0);
    CHECK(pred("ACGTA", y) == 3 && y[0] == 21 && y[1] == 43 && y[2] == 14, "maxpool with padding");

    snprintf(hdr, sizeof hdr, base, "a b c");
    strcat(hdr, "layer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 avgpool1d kernel=2 stride=2 padding=1\nlayer 2 flatten\n");
    write_model(TMP, hdr, conv, 1, 0);
    CHECK(pred("ACGTA", y) == 3 && y[0] == 10.5f && y[1] == 37.5f && y[2] == 7, "avgpool counts the padding");

    /* BN: gamma 4, beta 1, mean 1, var 3, eps 1 -> 2x - 1; folded (after conv) and not
     * (after a pool) */
    static const float g4[1] = { 4 }, b1[1] = { 1 }, m1[1] = { 1 }, v3[1] = { 3 };
    tw_t cbn[5] = { { "c.weight", "1,4,2", W1 }, { "n.weight", "1", g4 }, { "n.bias", "1", b1 },
                    { "n.running_mean", "1", m1 }, { "n.running_var", "1", v3 } };
    snprintf(hdr, sizeof hdr, base, "a b c d");
    strcat(hdr, "layer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 batchnorm1d name=n channels=1 eps=1\nlayer 2 flatten\n");
    write_model(TMP, hdr, cbn, 5, 0);
    CHECK(pred("ACGTA", y) == 4 && y[0] == 41 && y[1] == 63 && y[3] == 27, "batchnorm folded into conv");
    snprintf(hdr, sizeof hdr, base, "a b");
    strcat(hdr, "layer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 maxpool1d kernel=2\n"
           "layer 2 batchnorm1d name=n channels=1 eps=1\nlayer 3 flatten\n");
    write_model(TMP, hdr, cbn, 5, 0);
    CHECK(pred("ACGTA", y) == 2 && y[0] == 63 && y[1] == 85, "batchnorm after a pool (affine)");

    /* residual: conv (bias -30), relu, add(0, 1): x + relu(x) */
    static const float bm30[1] = { -30 };
    tw_t cb[2] = { { "c.weight", "1,4,2", W1 }, { "c.bias", "1", bm30 } };
    snprintf(hdr, sizeof hdr, base, "a b c d");
    strcat(hdr, "layer 0 conv1d name=c in=4 out=1 kernel=2\nlayer 1 relu\nlayer 2 add inputs=0,1\nlayer 3 flatten\n");
    write_model(TMP, hdr, cb, 2, 0);
    CHECK(pred("ACGTA", y) == 4 && y[0] == -9 && y[1] == 4 && y[2] == 26 && y[3] == -16,
          "residual add of pre- and post-activation");

    /* flatten order: conv 4 -> 2 channels (second = 2 × first), T = 4, then linear */
    float w2[16], lw[8] = { 1, -1, 0.5f, 2, 0, 0, 0, 0.125f }, lb[1] = { 0.25f };
    for (int i = 0; i < 8; i++) { w2[i] = W1[i]; w2[8 + i] = 2 * W1[i]; }
    tw_t cl[3] = { { "c.weight", "2,4,2", w2 }, { "f.weight", "1,8", lw }, { "f.bias", "1", lb } };
    snprintf(hdr, sizeof hdr, base, "a");
    strcat(hdr, "layer 0 conv1d name=c in=4 out=2 kernel=2 bias=0\nlayer 1 flatten\nlayer 2 linear name=f in=8 out=1\n");
    write_model(TMP, hdr, cl, 3, 0);
    /* 21 - 32 + 21.5 + 28 + 0.125·28 + 0.25 */
    CHECK(pred("ACGTA", y) == 1 && fabsf(y[0] - 42.25f) < 1e-5f, "flatten is channel-major (c*T + t)");

    /* reverse-complement averaging: rc(ACGTA) = TACGT -> 14 21 32 43 */
    snprintf(hdr, sizeof hdr, base, "a b c d");
    strcat(hdr, "rc_average 1\nlayer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 flatten\n");
    write_model(TMP, hdr, conv, 1, 0);
    CHECK(pred("ACGTA", y) == 4 && y[0] == 17.5f && y[1] == 26.5f && y[2] == 37.5f && y[3] == 28.5f,
          "reverse-complement averaging");

    /* activations on conv outputs 21 32 43 14 scaled by 1/16 and shifted by -2 */
    float ws[8], bsh[1] = { -2 };
    for (int i = 0; i < 8; i++) ws[i] = W1[i] / 16;
    tw_t ca[2] = { { "c.weight", "1,4,2", ws }, { "c.bias", "1", bsh } };
    const char *acts[] = { "relu", "elu alpha=0.5", "exp", "sigmoid", "tanh", "softplus beta=2 threshold=1" };
    for (int a = 0; a < 6; a++) {
        snprintf(hdr, sizeof hdr, base, "a b c d");
        char l[200];
        snprintf(l, sizeof l, "layer 0 conv1d name=c in=4 out=1 kernel=2\nlayer 1 %s\nlayer 2 flatten\n", acts[a]);
        strcat(hdr, l);
        write_model(TMP, hdr, ca, 2, 0);
        int ok = pred("ACGTA", y) == 4;
        const double pre[4] = { 21 / 16.0 - 2, 32 / 16.0 - 2, 43 / 16.0 - 2, 14 / 16.0 - 2 };
        for (int t = 0; ok && t < 4; t++) {
            double x = pre[t], want;
            switch (a) {
            case 0: want = x > 0 ? x : 0; break;
            case 1: want = x > 0 ? x : 0.5 * (exp(x) - 1); break;
            case 2: want = exp(x); break;
            case 3: want = 1 / (1 + exp(-x)); break;
            case 4: want = tanh(x); break;
            default: want = 2 * x > 1 ? x : log1p(exp(2 * x)) / 2; break;
            }
            ok = fabs(y[t] - want) < 2e-6;
            if (!ok) printf("# %s t=%d got %.9g want %.9g\n", acts[a], t, y[t], want);
        }
        char nm[80];
        snprintf(nm, sizeof nm, "activation %s", acts[a]);
        CHECK(ok, nm);
    }
}

/* load TMP and expect the error message to contain want */
static void expect_err(const char *header, const tw_t *t, int nt, const char *want, const char *name)
{
    write_model(TMP, header, t, nt, 1);
    cm_err_t err;
    cm_model_t *m = load(&err);
    int ok = !m && strstr(err.msg, want) != NULL;
    if (!ok) printf("# got '%s', want '%s'\n", m ? "(loaded)" : err.msg, want);
    cm_model_free(m);
    CHECK(ok, name);
}

static void error_tests(void)
{
    const char *h = "kind seqcnn\ninput_length 5\nheads a b c d\n";
    char hdr[2048], want[512];
    tw_t conv[1] = { { "c.weight", "1,4,2", W1 } };
    tw_t conv18[1] = { { "c.weight", "1,4,1", W1 } };
    snprintf(hdr, sizeof hdr, "%slayer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 flatten\n", h);
    snprintf(want, sizeof want, "%s: tensor 'c.weight': expected 1,4,2, got 1,4,1", TMP);
    expect_err(hdr, conv18, 1, want, "error: tensor shape mismatch");
    snprintf(want, sizeof want, "%s: tensor 'c.weight': expected 1,4,2, got no tensor", TMP);
    expect_err(hdr, NULL, 0, want, "error: missing tensor");
    tw_t extra[2] = { { "c.weight", "1,4,2", W1 }, { "c.bias", "1", W1 } };
    snprintf(want, sizeof want, "%s: tensor 'c.bias': not used by any layer", TMP);
    expect_err(hdr, extra, 2, want, "error: unused tensor");
    snprintf(hdr, sizeof hdr, "%slayer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 gelu\n", h);
    snprintf(want, sizeof want, "%s:6: layer 1: unknown layer type 'gelu'", TMP);
    expect_err(hdr, conv, 1, want, "error: unknown layer type");
    snprintf(hdr, sizeof hdr, "%slayer 0 conv1d name=c in=4 out=1 kernel=2 bias=0 colour=red\nlayer 1 flatten\n", h);
    snprintf(want, sizeof want, "%s:5: layer 0 (conv1d): unknown key 'colour'", TMP);
    expect_err(hdr, conv, 1, want, "error: unknown key");
    snprintf(hdr, sizeof hdr, "%slayer 0 conv1d name=c in=4 out=1 bias=0\nlayer 1 flatten\n", h);
    snprintf(want, sizeof want, "%s:5: layer 0 (conv1d): missing key 'kernel'", TMP);
    expect_err(hdr, conv, 1, want, "error: missing key");
    snprintf(hdr, sizeof hdr, "%slayer 0 conv1d name=c in=4 out=1 kernel=x bias=0\nlayer 1 flatten\n", h);
    snprintf(want, sizeof want, "%s:5: layer 0 (conv1d): key 'kernel': expected an integer >= 1", TMP);
    expect_err(hdr, conv, 1, want, "error: bad key value");
    snprintf(hdr, sizeof hdr, "%slayer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 2 flatten\n", h);
    snprintf(want, sizeof want, "%s:6: layer 2 out of order (expected layer 1)", TMP);
    expect_err(hdr, conv, 1, want, "error: layer numbering");
    snprintf(hdr, sizeof hdr, "%slayer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 linear name=f in=4 out=1\n", h);
    snprintf(want, sizeof want, "%s:6: layer 1 (linear): needs a flattened input", TMP);
    expect_err(hdr, conv, 1, want, "error: linear without flatten");
    snprintf(hdr, sizeof hdr, "%slayer 0 conv1d name=c in=8 out=1 kernel=2 bias=0\nlayer 1 flatten\n", h);
    snprintf(want, sizeof want, "%s:5: layer 0 (conv1d): in=8 but its input has 4 channels", TMP);
    expect_err(hdr, conv, 1, want, "error: channel mismatch");
    snprintf(hdr, sizeof hdr, "%slayer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 add inputs=0,1\n", h);
    snprintf(want, sizeof want, "%s:6: layer 1 (add): key 'inputs': expected two earlier layer numbers", TMP);
    expect_err(hdr, conv, 1, want, "error: add of a later layer");
    snprintf(hdr, sizeof hdr, "kind seqcnn\ninput_length 5\nheads a b c\nlayer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 flatten\n");
    snprintf(want, sizeof want, "%s:", TMP);
    expect_err(hdr, conv, 1, want, "error: head count differs from the outputs");
    snprintf(hdr, sizeof hdr, "%slayers 3\nlayer 0 conv1d name=c in=4 out=1 kernel=2 bias=0\nlayer 1 flatten\n", h);
    snprintf(want, sizeof want, "%s:5: 'layers 3' but the header has 2 layer lines", TMP);
    expect_err(hdr, conv, 1, want, "error: layers count");
    /* wrong container version */
    FILE *f = fopen(TMP, "w");
    fputs("coopmap-model 2\nkind seqcnn\nend\n", f);
    fclose(f);
    cm_err_t err;
    cm_model_t *m = load(&err);
    CHECK(!m && strstr(err.msg, "version"), "error: wrong format version");
    if (m) cm_model_free(m);
}

/* ---------- incremental edits vs full recompute ---------- */

static double edits_diff(cm_model_t *m, uint64_t seed, int motif, int n, int *n_done)
{
    const int L = cm_model_input_length(m), H = cm_model_n_heads(m);
    uint8_t *base = malloc((size_t)L), *codes = malloc((size_t)n * 20);
    cm_model_edit_t *ed = malloc((size_t)n * sizeof *ed);
    for (int i = 0; i < L; i++) base[i] = (uint8_t)(cm_rng_double(seed, (uint64_t)i) * 4);
    base[L / 3] = 4;   /* an N */
    uint64_t c = 1000000;
    for (int e = 0; e < n; e++) {
        int len = motif ? 20 : 1;
        int st;
        if (e == 0) st = 0;
        else if (e == 1) st = L - len;
        else st = (int)(cm_rng_double(seed, c++) * (L - len + 1));
        ed[e].start = st; ed[e].len = len; ed[e].codes = codes + (size_t)e * 20;
        for (int j = 0; j < len; j++) {
            int v = (int)(cm_rng_double(seed, c++) * 5);   /* includes N */
            codes[(size_t)e * 20 + j] = (uint8_t)(motif ? v : (base[st] + 1 + v % 3) % 4);
        }
    }
    float *a = malloc((size_t)n * H * sizeof(float)), *b = malloc((size_t)n * H * sizeof(float));
    cm_err_t err;
    int r1 = cm_model_predict_edits(m, base, n, ed, a, 0, &err);
    int r2 = cm_model_predict_edits(m, base, n, ed, b, 1, &err);
    double worst = r1 || r2 ? 1e30 : 0;
    for (int i = 0; i < n * H; i++) worst = fmax(worst, fabs((double)a[i] - b[i]));
    /* a baseline with no change must give the baseline prediction */
    float *p0 = malloc((size_t)H * sizeof(float));
    cm_model_edit_t same = { L / 2, 1, base + L / 2 };
    cm_model_predict(m, base, 1, p0, &err);
    cm_model_predict_edits(m, base, 1, &same, a, 0, &err);
    for (int h = 0; h < H; h++) worst = fmax(worst, fabs((double)a[h] - p0[h]));
    *n_done = n;
    free(p0); free(a); free(b); free(ed); free(codes); free(base);
    return worst;
}

static void edit_tests(void)
{
    static const struct { const char *name, *header; const char *tensors; } nets[] = {
        { "basset-like",
          "kind seqcnn\ninput_length 300\nheads a b c\n"
          "layer 0 conv1d name=c1 in=4 out=20 kernel=19 padding=9\n"
          "layer 1 batchnorm1d name=b1 channels=20\nlayer 2 relu\nlayer 3 maxpool1d kernel=3\n"
          "layer 4 conv1d name=c2 in=20 out=24 kernel=11 padding=5\n"
          "layer 5 batchnorm1d name=b2 channels=24\nlayer 6 relu\nlayer 7 maxpool1d kernel=4\n"
          "layer 8 conv1d name=c3 in=24 out=17 kernel=7 padding=3\nlayer 9 relu\nlayer 10 maxpool1d kernel=4\n"
          "layer 11 flatten\nlayer 12 linear name=f1 in=102 out=32\nlayer 13 relu\nlayer 14 dropout\n"
          "layer 15 linear name=f2 in=32 out=3\n",
          "c1.weight 20,4,19;c1.bias 20;b1.weight 20;b1.bias 20;b1.running_mean 20;b1.running_var 20;"
          "c2.weight 24,20,11;c2.bias 24;b2.weight 24;b2.bias 24;b2.running_mean 24;b2.running_var 24;"
          "c3.weight 17,24,7;c3.bias 17;f1.weight 32,102;f1.bias 32;f2.weight 3,32;f2.bias 3" },
        { "residual dilated",
          "kind seqcnn\ninput_length 200\nheads a b\n"
          "layer 0 conv1d name=s in=4 out=16 kernel=9 padding=4\nlayer 1 relu\n"
          "layer 2 conv1d name=r1 in=16 out=16 kernel=3 dilation=2 padding=2\nlayer 3 relu\n"
          "layer 4 add inputs=1,3\n"
          "layer 5 conv1d name=r2 in=16 out=16 kernel=3 dilation=4 padding=4\n"
          "layer 6 batchnorm1d name=rb channels=16\nlayer 7 relu\nlayer 8 add inputs=4,7\n"
          "layer 9 conv1d name=r3 in=16 out=16 kernel=3 dilation=8 padding=same\nlayer 10 elu\n"
          "layer 11 add inputs=10,8\nlayer 12 avgpool1d kernel=8\nlayer 13 flatten\n"
          "layer 14 linear name=h in=400 out=2\n",
          "s.weight 16,4,9;s.bias 16;r1.weight 16,16,3;r1.bias 16;r2.weight 16,16,3;r2.bias 16;"
          "rb.weight 16;rb.bias 16;rb.running_mean 16;rb.running_var 16;r3.weight 16,16,3;r3.bias 16;"
          "h.weight 2,400;h.bias 2" },
        { "strided grouped rc",
          "kind seqcnn\ninput_length 150\nheads a b\nrc_average 1\n"
          "layer 0 conv1d name=c1 in=4 out=12 kernel=8 stride=2 padding=3\nlayer 1 softplus\n"
          "layer 2 maxpool1d kernel=3 stride=2 padding=1\n"
          "layer 3 conv1d name=c2 in=12 out=12 kernel=5 groups=3 dilation=2\nlayer 4 batchnorm1d name=b2 channels=12\n"
          "layer 5 exp\nlayer 6 maxpool1d kernel=5 stride=5\nlayer 7 tanh\nlayer 8 flatten\n"
          "layer 9 conv1d name=g in=72 out=6 kernel=1 groups=3\nlayer 10 sigmoid\n"
          "layer 11 linear name=o in=6 out=2\n",
          "c1.weight 12,4,8;c1.bias 12;c2.weight 12,4,5;c2.bias 12;b2.weight 12;b2.bias 12;"
          "b2.running_mean 12;b2.running_var 12;g.weight 6,24,1;g.bias 6;o.weight 2,6;o.bias 2" },
    };
    for (int k = 0; k < 3; k++) {
        tw_t t[32];
        char buf[2048], *save = NULL;
        int nt = 0;
        strcpy(buf, nets[k].tensors);
        for (char *p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
            char *sp = strchr(p, ' ');
            *sp = 0;
            t[nt].name = p; t[nt].shape = sp + 1; t[nt].v = NULL; nt++;
        }
        write_model(TMP, nets[k].header, t, nt, 77 + k);
        cm_err_t err;
        cm_model_t *m = load(&err);
        char nm[160];
        snprintf(nm, sizeof nm, "%s: loads", nets[k].name);
        CHECK(m != NULL, nm);
        if (!m) { printf("# %s\n", err.msg); continue; }
        CHECK(cm_model_has_incremental(m), "seqcnn has an incremental predict_edits");
        int nd;
        double d1 = edits_diff(m, 5 + k, 0, 300, &nd);
        snprintf(nm, sizeof nm, "%s: %d single-base edits, incremental = full (max |diff| %.2g)", nets[k].name, nd, d1);
        CHECK(d1 <= 1e-5, nm);
        double d2 = edits_diff(m, 9 + k, 1, 100, &nd);
        snprintf(nm, sizeof nm, "%s: %d 20-bp edits, incremental = full (max |diff| %.2g)", nets[k].name, nd, d2);
        CHECK(d2 <= 1e-5, nm);
        /* batch invariance: 3 and 40 windows at once (other kernels and batches of the
         * linear layers) = one at a time, bitwise */
        const int L = cm_model_input_length(m), H = cm_model_n_heads(m);
        uint8_t *x = malloc((size_t)40 * L);
        for (int i = 0; i < 40 * L; i++) x[i] = (uint8_t)(cm_rng_double(3, (uint64_t)i) * 4);
        float a[40 * 8], b[8];
        int same = cm_model_predict(m, x, 3, a, &err) == 0;
        for (int i = 0; i < 3 && same; i++) {
            cm_model_predict(m, x + (size_t)i * L, 1, b, &err);
            same = memcmp(a + i * H, b, (size_t)H * sizeof(float)) == 0;
        }
        snprintf(nm, sizeof nm, "%s: batch of 3 = one at a time (bitwise)", nets[k].name);
        CHECK(same, nm);
        same = cm_model_predict(m, x, 40, a, &err) == 0;
        for (int i = 0; i < 40 && same; i++) {
            cm_model_predict(m, x + (size_t)i * L, 1, b, &err);
            same = memcmp(a + i * H, b, (size_t)H * sizeof(float)) == 0;
        }
        snprintf(nm, sizeof nm, "%s: batch of 40 = one at a time (bitwise)", nets[k].name);
        CHECK(same, nm);
        free(x);
        cm_model_free(m);
    }
}

int main(void)
{
    hand_tests();
    error_tests();
    edit_tests();
    unlink(TMP);
    return check_status();
}
