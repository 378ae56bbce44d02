/* test_filter_pwm.c — filter PWMs (filter_pwm.h) on a hand-built ExplaiNN first layer.
 *
 * Three filters of width 2 (J = 1 table of 125 entries each, conv3[u][a·25 + b·5 + c]
 * = w[u][0][a] + w[u][1][b]; N = code 4 adds 0):
 *   filter 0: bias 0.25, +1 for A at offset 0, +1 for C at offset 1: max a = 2.25
 *             ("AC"); F = 0.5 keeps a >= 2.25 − ln 2 = 1.557: only "AC".
 *   filter 1: +1.0 for G at 0; +0.70 for G, +0.01 for T at 1: max 1.70 ("GG");
 *             F = 0.5 keeps a >= 1.70 − 0.6931 = 1.0069: "GG" and "GT" (1.01,
 *             exp(−0.69) = 0.50158), not "GA"/"GC" (1.00, exp(−0.70) = 0.49659).
 *   filter 2: −1 for every base at both offsets: every real subsequence is −2 = max, so
 *             with F = 1 every N-free position qualifies (were N-containing
 *             subsequences counted, "xN"/"Nx" (−1) would be the max).
 * Sequences: ACGTGGAC, GTNACGA, A (shorter than K), ggtnac (lower case):
 * N-free positions 7 + 4 + 0 + 3 = 14; "AC" occurs 2 + 1 + 1 = 4 times; "GG" twice
 * (s1, s4), "GT" three times (s1, s2, s4).
 *
 * Kind seqcnn (seqcnn_tests): conv 4 -> 2, kernel 2, padding 1, no bias; filter 0
 * w[a][k] = (a+1)·(k ? 10 : 1), filter 1 = −filter 0; BatchNorm gamma 4, beta 1,
 * mean 1, var 3, eps 1 (= 2x − 1, folded); ReLU.  On ACGTA the unpadded positions give
 * conv 21 32 43 14 -> BN 41 63 85 27 for filter 0 (pre-activation −43 −65 −87 −29 ->
 * ReLU 0 for filter 1); the padded positions (10 -> 19 and 1 -> 1) are not subsequences.
 * F 0.5: max 85, keep >= 42.5: CG, GT; F 0: all 4 unpadded positions; filter 1 has max
 * 0 (<= 0): skipped at every F. */
#include "check.h"
#include "core/dna.h"
#include "ism/filter_pwm.h"
#include "model/cnn.h"
#include "model/model.h"
#include "model/seqcnn.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { U = 3, K = 2 };
static const double W[U][K][4] = {
    { { 1, 0, 0, 0 }, { 0, 1, 0, 0 } },
    { { 0, 0, 1.0, 0 }, { 0, 0, 0.70, 0.01 } },
    { { -1, -1, -1, -1 }, { -1, -1, -1, -1 } },
};
static const double B[U] = { 0.25, 0, 0 };
static const char *SEQS[] = { "ACGTGGAC", "GTNACGA", "A", "ggtnac" };

static void build(cm_cnn_t *c, float *conv3, float *conv_b)
{
    memset(c, 0, sizeof *c);
    c->arch = CM_CNN_EXPLAINN;
    c->L = 8;
    c->ex.U = U; c->ex.K = K; c->ex.J = 1; c->ex.T = c->L - K + 1;
    for (int u = 0; u < U; u++) {
        conv_b[u] = (float)B[u];
        for (int a = 0; a < 5; a++)
            for (int b = 0; b < 5; b++)
                for (int d = 0; d < 5; d++)
                    conv3[u * 125 + a * 25 + b * 5 + d] =
                        (float)((a < 4 ? W[u][0][a] : 0) + (b < 4 ? W[u][1][b] : 0));
    }
    c->ex.conv3 = conv3;
    c->ex.conv_b = conv_b;
}

static char *write_fasta(const char *const *seqs, int n)
{
    static char path[64];
    strcpy(path, "/tmp/test_filter_pwm_XXXXXX");
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");
    for (int i = 0; i < n; i++) fprintf(fp, ">s%d desc\n%s\n", i + 1, seqs[i]);
    fclose(fp);
    return path;
}

/* Direct enumeration: the rule of filter_pwm.h evaluated from W, B in double. */
static void enumerate(double F, long nsites[U], long counts[U][K][4])
{
    double mx[U];
    for (int u = 0; u < U; u++) mx[u] = -INFINITY;
    memset(counts, 0, sizeof(long) * U * K * 4);
    memset(nsites, 0, sizeof(long) * U);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 4; i++) {
            const char *s = SEQS[i];
            int L = (int)strlen(s);
            for (int t = 0; t + K <= L; t++) {
                uint8_t x[K];
                int hasn = 0;
                for (int k = 0; k < K; k++) { x[k] = cm_nt4((unsigned char)s[t + k]); hasn |= x[k] > 3; }
                if (hasn) continue;
                for (int u = 0; u < U; u++) {
                    double a = B[u];
                    for (int k = 0; k < K; k++) a += W[u][k][x[k]];
                    if (pass == 0) { if (a > mx[u]) mx[u] = a; continue; }
                    if (exp(a) >= F * exp(mx[u]) * (1 - 1e-12)) {
                        nsites[u]++;
                        for (int k = 0; k < K; k++) counts[u][k][x[k]]++;
                    }
                }
            }
        }
}

static int same_counts(const cm_filter_counts_t *fc, const long nsites[U], const long counts[U][K][4])
{
    for (int u = 0; u < U; u++) {
        if (fc->nsites[u] != nsites[u]) return 0;
        for (int k = 0; k < K; k++)
            for (int b = 0; b < 4; b++)
                if (fc->counts[(u * K + k) * 4 + b] != counts[u][k][b]) return 0;
    }
    return 1;
}

static char *meme_text(const cm_filter_counts_t *fc, int *n)
{
    FILE *fp = tmpfile();
    *n = cm_filter_pwm_write_meme(fp, fc);
    long sz = ftell(fp);
    rewind(fp);
    char *s = calloc((size_t)sz + 1, 1);
    if (fread(s, 1, (size_t)sz, fp) != (size_t)sz) s[0] = 0;
    fclose(fp);
    return s;
}

/* Write a seqcnn model file (input 5 bp, H heads) with explicit f32 tensors (name,
 * shape, values). */
static void write_seqcnn(const char *path, int H, const char *layers, int nt, const char *const *names,
                         const char *const *shapes, const float *const *vals, const int *nv)
{
    FILE *f = fopen(path, "wb");
    fputs("coopmap-model 1\nkind seqcnn\ninput_length 5\nheads", f);
    for (int h = 0; h < H; h++) fprintf(f, " h%d", h);
    fprintf(f, "\n%s", layers);
    for (int i = 0; i < nt; i++) fprintf(f, "tensor %s f32 %s\n", names[i], shapes[i]);
    fputs("end\n", f);
    for (int i = 0; i < nt; i++) fwrite(vals[i], 4, (size_t)nv[i], f);
    fclose(f);
}

static void seqcnn_tests(void)
{
    static const float w[16] = { 1, 10, 2, 20, 3, 30, 4, 40, -1, -10, -2, -20, -3, -30, -4, -40 };
    static const float g[2] = { 4, 4 }, be[2] = { 1, 1 }, mu[2] = { 1, 1 }, var[2] = { 3, 3 };
    const char *names[5] = { "c.weight", "n.weight", "n.bias", "n.running_mean", "n.running_var" };
    const char *shapes[5] = { "2,4,2", "2", "2", "2", "2" };
    const float *vals[5] = { w, g, be, mu, var };
    const int nv[5] = { 16, 2, 2, 2, 2 };
    const char *path = "/tmp/test_filter_pwm_seqcnn.cmm";
    cm_err_t err;
    write_seqcnn(path, 12, "layer 0 conv1d name=c in=4 out=2 kernel=2 padding=1 bias=0\n"
                 "layer 1 batchnorm1d name=n channels=2 eps=1\nlayer 2 relu\nlayer 3 flatten\n",
                 5, names, shapes, vals, nv);
    cm_model_t *m = cm_model_load(path, &err);
    CHECK(m != NULL, "seqcnn: model loads");
    if (!m) { printf("# %s\n", err.msg); return; }
    const cm_seqcnn_t *s = cm_model_impl(m);
    cm_seqcnn_conv1_t info;
    CHECK(cm_seqcnn_first_conv(s, &info, &err) == 0 && info.K == 2 && info.C == 2 &&
          info.act == CM_SEQCNN_ACT_RELU, "seqcnn: first conv K 2, C 2, ReLU");
    uint8_t x[5];
    for (int i = 0; i < 5; i++) x[i] = cm_nt4((unsigned char)"ACGTA"[i]);
    float v[8], p[8];
    cm_seqcnn_first_conv_values(s, x, 5, 1, v);
    cm_seqcnn_first_conv_values(s, x, 5, 0, p);
    CHECK(v[0] == 41 && v[1] == 63 && v[2] == 85 && v[3] == 27 && v[4] == 0 && v[7] == 0,
          "seqcnn: values after BN + ReLU on the 4 unpadded positions (41 63 85 27; 0)");
    CHECK(p[0] == 41 && p[4] == -43 && p[5] == -65 && p[6] == -87 && p[7] == -29,
          "seqcnn: pre-activation values (filter 1: -43 -65 -87 -29)");
    const char *sq[] = { "ACGTA" };
    char *fa = write_fasta(sq, 1);
    cm_filter_counts_t fc;
    CHECK(cm_filter_pwm_seqcnn(s, fa, 0.5, &fc, &err) == 0 && fc.n_pos == 4 && fc.max[0] == 85 &&
          fc.max[1] == 0, "seqcnn F 0.5: 4 positions, max 85 and 0");
    CHECK(fc.nsites[0] == 2 && fc.counts[0 * 4 + 1] == 1 && fc.counts[0 * 4 + 2] == 1 &&
          fc.counts[1 * 4 + 2] == 1 && fc.counts[1 * 4 + 3] == 1 && fc.nsites[1] == 0,
          "seqcnn F 0.5: filter 0 = CG + GT; filter 1 (max 0) none");
    cm_filter_counts_free(&fc);
    CHECK(cm_filter_pwm_seqcnn(s, fa, 0, &fc, &err) == 0 && fc.nsites[0] == 4 && fc.nsites[1] == 0 &&
          fc.counts[0 * 4 + 0] == 1 && fc.counts[0 * 4 + 3] == 1 && fc.counts[1 * 4 + 0] == 1 &&
          fc.counts[1 * 4 + 2] == 1 && fc.counts[1 * 4 + 1] == 1,
          "seqcnn F 0: the 4 unpadded positions (not the 2 padded ones); filter 1 none");
    cm_filter_counts_free(&fc);
    cm_model_free(m);

    write_seqcnn(path, 4, "layer 0 conv1d name=c in=4 out=2 kernel=2 stride=2 bias=0\n"
                 "layer 1 flatten\n", 1, names, shapes, vals, nv);
    m = cm_model_load(path, &err);
    CHECK(m != NULL, "seqcnn stride 2: loads");
    if (m) {
        CHECK(cm_filter_pwm_seqcnn(cm_model_impl(m), fa, 0.5, &fc, &err) == -1 &&
              strstr(err.msg, "the first conv1d has stride 2 (needs 1)"), "seqcnn stride 2: refused");
        cm_model_free(m);
    }
    remove(fa);
    remove(path);
}

int main(void)
{
    float conv3[U * 125], conv_b[U];
    cm_cnn_t c;
    build(&c, conv3, conv_b);
    cm_err_t err = {{0}};

    /* the accessor: hand values of ACGTGGAC (T = 7) */
    uint8_t x[8];
    for (int j = 0; j < 8; j++) x[j] = cm_nt4((unsigned char)SEQS[0][j]);
    float a[U * 7];
    cm_cnn_first_layer(&c, x, 8, a);
    CHECK_NEAR(a[0], 2.25, 1e-6, 0, "first layer: filter 0 at AC = 2.25");
    CHECK_NEAR(a[1], 0.25, 1e-6, 0, "first layer: filter 0 at CG = 0.25");
    CHECK_NEAR(a[7 + 4], 1.70, 1e-6, 0, "first layer: filter 1 at GG = 1.70");
    CHECK_NEAR(a[7 + 2], 1.01, 1e-6, 0, "first layer: filter 1 at GT = 1.01");
    CHECK_NEAR(a[14 + 3], -2, 1e-6, 0, "first layer: filter 2 at TG = -2");

    char *fa = write_fasta(SEQS, 4);
    cm_filter_counts_t fc;
    long ns[U], cnt[U][K][4];

    /* F = 0.5: hand numbers and the enumeration */
    CHECK(cm_filter_pwm_cnn(&c, fa, 0.5, &fc, &err) == 0, "F 0.5: runs");
    CHECK(fc.n_seqs == 4 && fc.n_pos == 14, "F 0.5: 4 records, 14 N-free positions");
    CHECK(fc.nsites[0] == 4 && fc.counts[0 * 4 + 0] == 4 && fc.counts[1 * 4 + 1] == 4,
          "F 0.5: filter 0 = 4 x AC");
    CHECK(fc.nsites[1] == 5 && fc.counts[(2 + 0) * 4 + 2] == 5 && fc.counts[(2 + 1) * 4 + 2] == 2 &&
          fc.counts[(2 + 1) * 4 + 3] == 3, "F 0.5: filter 1 = 2 x GG + 3 x GT (GA/GC at 0.4966 x max excluded)");
    CHECK(fc.nsites[2] == 14, "F 0.5: filter 2: all 14 N-free positions (Ns not in the max)");
    CHECK_NEAR(fc.max[1], 1.70, 1e-6, 0, "F 0.5: max of filter 1");
    enumerate(0.5, ns, cnt);
    CHECK(same_counts(&fc, ns, cnt), "F 0.5: counts equal the direct enumeration");
    int n;
    char *txt = meme_text(&fc, &n);
    CHECK(n == 3, "MEME: 3 motifs");
    CHECK_STR(txt,
        "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
        "Background letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n"
        "\nMOTIF filter0\nletter-probability matrix: alength= 4 w= 2 nsites= 4 E= 0\n"
        " 1.000000 0.000000 0.000000 0.000000\n 0.000000 1.000000 0.000000 0.000000\n"
        "\nMOTIF filter1\nletter-probability matrix: alength= 4 w= 2 nsites= 5 E= 0\n"
        " 0.000000 0.000000 1.000000 0.000000\n 0.000000 0.000000 0.400000 0.600000\n"
        "\nMOTIF filter2\nletter-probability matrix: alength= 4 w= 2 nsites= 14 E= 0\n"
        " 0.285714 0.142857 0.500000 0.071429\n 0.142857 0.285714 0.357143 0.214286\n",
        "MEME: exact text at F 0.5");
    free(txt);
    cm_filter_counts_free(&fc);

    /* other thresholds against the enumeration; F = 1 is the boundary a == max */
    const double Fs[] = { 0, 0.4965, 0.4967, 0.5015, 0.5016, 0.9, 1 };
    for (int i = 0; i < 7; i++) {
        char name[80];
        CHECK(cm_filter_pwm_cnn(&c, fa, Fs[i], &fc, &err) == 0, "F runs");
        enumerate(Fs[i], ns, cnt);
        snprintf(name, sizeof name, "F %g: counts equal the direct enumeration", Fs[i]);
        CHECK(same_counts(&fc, ns, cnt), name);
        if (Fs[i] == 0) CHECK(fc.nsites[0] == 14 && fc.nsites[1] == 14, "F 0: every N-free position");
        if (Fs[i] == 0.4965) CHECK(fc.nsites[1] == 5 + 2, "F 0.4965: the 2 GA (exp(-0.70) = 0.49659 x max) now in");
        if (Fs[i] == 0.4967) CHECK(fc.nsites[1] == 5, "F 0.4967: GA out again");
        if (Fs[i] == 0.5015) CHECK(fc.nsites[1] == 5, "F 0.5015: GT (exp(-0.69) = 0.50158 x max) in");
        if (Fs[i] == 0.5016) CHECK(fc.nsites[1] == 2, "F 0.5016: GT out");
        if (Fs[i] == 1) CHECK(fc.nsites[0] == 4 && fc.nsites[1] == 2 && fc.nsites[2] == 14,
                              "F 1: exactly the positions at the max (ties kept)");
        cm_filter_counts_free(&fc);
    }

    /* bad threshold, missing file */
    CHECK(cm_filter_pwm_cnn(&c, fa, 1.5, &fc, &err) == -1 && strstr(err.msg, "--filter-threshold"),
          "F 1.5 refused");
    CHECK(cm_filter_pwm_cnn(&c, "/nonexistent/x.fa", 0.5, &fc, &err) == -1 && strstr(err.msg, "/nonexistent/x.fa"),
          "missing FASTA names the file");
    remove(fa);

    /* only Ns: no filter qualifies, nothing but the header is written */
    const char *nn[] = { "NNNN", "ANA" };
    fa = write_fasta(nn, 2);
    CHECK(cm_filter_pwm_cnn(&c, fa, 0.5, &fc, &err) == 0 && fc.n_pos == 0 &&
          fc.nsites[0] + fc.nsites[1] + fc.nsites[2] == 0, "all-N: no subsequence");
    txt = meme_text(&fc, &n);
    CHECK(n == 0 && strstr(txt, "MOTIF") == NULL, "all-N: no MOTIF written");
    free(txt);
    cm_filter_counts_free(&fc);
    remove(fa);
    seqcnn_tests();
    return check_status();
}
