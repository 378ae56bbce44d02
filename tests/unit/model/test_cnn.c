/* Unit tests for rng.c, model.c, cnn.c, genome.c and ism.c knockouts.
 * A tiny ExplaiNN model is written by hand and checked against a naive double-precision
 * forward pass that follows ARCHITECTURE.md literally (BatchNorm unfolded, exp before
 * the max-pool).  When ../shared is present, the real MAX/FOXA1/JUND checkpoint is
 * converted with scripts/coopmap-convert-model and its 118 reference windows are run
 * (|logit - reference| <= 1e-3), and windows/s are measured. */
#include "check.h"
#include "model/cnn.h"
#include "core/dna.h"
#include "seq/genome.h"
#include "ism/ism.h"
#include "model/model.h"
#include "core/rng.h"

#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- tiny model: U=2 units, K=3, L=12, pool 2/2 (T=10, P=5), H=3, O=2 ---- */
enum { U = 2, K = 3, L = 12, POOL = 2, T = L - K + 1, P = (T - POOL) / POOL + 1, H = 3, O = 2 };
static const char *names[] = {
    "linears.0.weight", "linears.0.bias",
    "linears.1.weight", "linears.1.bias", "linears.1.running_mean", "linears.1.running_var",
    "linears.6.weight", "linears.6.bias",
    "linears.7.weight", "linears.7.bias", "linears.7.running_mean", "linears.7.running_var",
    "linears.10.weight", "linears.10.bias",
    "linears.11.weight", "linears.11.bias", "linears.11.running_mean", "linears.11.running_var",
    "final.weight", "final.bias",
};
static const char *shapes[] = {
    "2,4,3", "2", "2", "2", "2", "2", "6,5,1", "6", "6", "6", "6", "6", "2,3,1", "2",
    "2", "2", "2", "2", "2,2", "2",
};
static const int sizes[] = { 24, 2, 2, 2, 2, 2, 30, 6, 6, 6, 6, 6, 6, 2, 2, 2, 2, 2, 4, 2 };
#define NT 20
static float *tdata[NT];

static float urand(uint64_t *s, float lo, float hi)
{
    *s += 1;
    return lo + (hi - lo) * (float)cm_rng_double(0x5eed, *s);
}

static void make_weights(void)
{
    uint64_t s = 0;
    for (int i = 0; i < NT; i++) {
        tdata[i] = malloc(sizeof(float) * sizes[i]);
        int var = strstr(names[i], "running_var") != NULL;
        for (int j = 0; j < sizes[i]; j++)
            tdata[i][j] = var ? urand(&s, 0.2f, 2.0f) : urand(&s, -1.0f, 1.0f);
    }
}

/* Write the tiny model (optionally damaged) to path. */
static void write_tiny(const char *path, const char *heads, const char *kind, int drop_bytes,
                       int extra_bytes, const char *skip_tensor)
{
    FILE *f = fopen(path, "wb");
    fprintf(f, "coopmap-model 1\nkind %s\ninput_length %d\nalphabet ACGT\nheads %s\nunits %d\n"
            "filter_size %d\npool_size %d\npool_stride %d\nhidden %d\nactivation exp\nbn_eps 1e-05\n",
            kind, L, heads, U, K, POOL, POOL, H);
    for (int i = 0; i < NT; i++)
        if (!skip_tensor || strcmp(names[i], skip_tensor))
            fprintf(f, "tensor %s f32 %s\n", names[i], shapes[i]);
    fputs("end\n", f);
    long total = 0;
    for (int i = 0; i < NT; i++)
        if (!skip_tensor || strcmp(names[i], skip_tensor)) {
            fwrite(tdata[i], 4, sizes[i], f);
            total += 4 * sizes[i];
        }
    for (int i = 0; i < extra_bytes; i++) fputc(0, f);
    fclose(f);
    if (drop_bytes) {
        long sz;
        f = fopen(path, "rb"); fseek(f, 0, SEEK_END); sz = ftell(f); fclose(f);
        if (truncate(path, sz - drop_bytes) != 0) perror("truncate");
    }
    (void)total;
}

static double bn(double x, int t0, int i)   /* t0 = index of the BN's weight tensor */
{
    return (x - tdata[t0 + 2][i]) / sqrt(tdata[t0 + 3][i] + 1e-5) * tdata[t0][i] + tdata[t0 + 1][i];
}

/* ARCHITECTURE.md steps 1-9, literally, in double. */
static void naive(const uint8_t *x, double *logit)
{
    double g[U];
    for (int u = 0; u < U; u++) {
        double c[T], m[P], h[H];
        for (int t = 0; t < T; t++) {
            double s = tdata[1][u];
            for (int ch = 0; ch < 4; ch++)
                for (int k = 0; k < K; k++)
                    s += tdata[0][(u * 4 + ch) * K + k] * (x[t + k] == ch);
            c[t] = exp(bn(s, 2, u));
        }
        for (int p = 0; p < P; p++) {
            m[p] = c[p * POOL];
            for (int i = 1; i < POOL; i++) if (c[p * POOL + i] > m[p]) m[p] = c[p * POOL + i];
        }
        for (int j = 0; j < H; j++) {
            double s = tdata[7][u * H + j];
            for (int p = 0; p < P; p++) s += tdata[6][(u * H + j) * P + p] * m[p];
            s = bn(s, 8, u * H + j);
            h[j] = s > 0 ? s : 0;
        }
        double s = tdata[13][u];
        for (int j = 0; j < H; j++) s += tdata[12][u * H + j] * h[j];
        s = bn(s, 14, u);
        g[u] = s > 0 ? s : 0;
    }
    for (int o = 0; o < O; o++) {
        double s = tdata[19][o];
        for (int u = 0; u < U; u++) s += tdata[18][o * U + u] * g[u];
        logit[o] = s;
    }
}

static int load_fails_with(const char *path, const char *needle)
{
    cm_err_t err = {{0}};
    cm_model_t *m = cm_model_load(path, &err);
    if (m) { cm_model_free(m); return 0; }
    int ok = strstr(err.msg, needle) != NULL && strstr(err.msg, path) != NULL;
    if (!ok) printf("# got: %s\n", err.msg);
    return ok;
}

static void test_rng(void)
{
    /* reference values: the first two outputs of Vigna's splitmix64.c seeded with 0
     * (x += 0x9E3779B97F4A7C15, then the mix): 16294208416658607535, 7960286522194355700 */
    CHECK(cm_rng_u64(0, 0) == UINT64_C(0xe220a8397b1dcdaf), "rng: SplitMix64 seed 0, first value");
    CHECK(cm_rng_u64(0, 1) == UINT64_C(0x6e789e6aa1b965f4), "rng: SplitMix64 seed 0, second value");
    CHECK(cm_rng_key(1, 2) != cm_rng_key(2, 1), "rng: key order matters");
    CHECK(cm_rng_hash_str("p1") != cm_rng_hash_str("p2"), "rng: string hash differs");
    int cnt[4] = { 0 }, okr = 1;
    for (int i = 0; i < 40000; i++) {
        uint32_t b = cm_rng_below(42, (uint64_t)i, 4);
        if (b > 3) okr = 0; else cnt[b]++;
    }
    CHECK(okr, "rng: below(4) in range");
    int bal = 1;
    for (int i = 0; i < 4; i++) bal &= abs(cnt[i] - 10000) < 4 * 87;  /* 4 sd */
    CHECK(bal, "rng: below(4) balanced within 4 sd over 40000 draws");
    CHECK(cm_ism_key(1, CM_ISM_PAIR, "a", CM_ROLE_SOURCE, 0) != cm_ism_key(1, CM_ISM_PAIR, "a", CM_ROLE_TARGET, 0)
          && cm_ism_key(1, CM_ISM_PAIR, "a", CM_ROLE_SOURCE, 0) != cm_ism_key(2, CM_ISM_PAIR, "a", CM_ROLE_SOURCE, 0)
          && cm_ism_key(1, CM_ISM_PAIR, "a", CM_ROLE_SOURCE, 0) != cm_ism_key(1, CM_ISM_SELF, "a", CM_ROLE_SOURCE, 0)
          && cm_ism_key(1, CM_ISM_PAIR, "a", CM_ROLE_SOURCE, 0) != cm_ism_key(1, CM_ISM_PAIR, "a", CM_ROLE_SOURCE, 1),
          "ism key depends on seed, kind, role, draw");
}

static void test_tiny(const char *dir)
{
    char path[512], bad[512];
    snprintf(path, sizeof path, "%s/tiny.cmm", dir);
    snprintf(bad, sizeof bad, "%s/bad.cmm", dir);
    write_tiny(path, "Alpha BETA", "explainn", 0, 0, NULL);
    cm_err_t err = {{0}};
    cm_model_t *m = cm_model_load(path, &err);
    CHECK(m != NULL, "tiny model loads");
    if (!m) { printf("# %s\n", err.msg); return; }
    CHECK(cm_model_input_length(m) == L && cm_model_n_heads(m) == 2, "tiny: L=12, 2 heads");
    CHECK_STR(cm_model_kind(m), "explainn", "tiny: kind");
    CHECK(cm_model_head_index(m, "beta") == 1 && cm_model_head_index(m, "ALPHA") == 0
          && cm_model_head_index(m, "gamma") == -1, "head_index is case-insensitive, -1 if none");
    CHECK_STR(cm_model_head_name(m, 1), "BETA", "head_name");
    /* 50 random windows (with some N) vs the naive pass */
    enum { NW = 50 };
    uint8_t x[NW * L];
    for (int i = 0; i < NW * L; i++) x[i] = (uint8_t)cm_rng_below(7, (uint64_t)i, 5);
    float lg[NW * O];
    CHECK(cm_model_predict(m, x, NW, lg, &err) == 0, "tiny: predict");
    double maxd = 0, maxv = 0;
    for (int i = 0; i < NW; i++) {
        double want[O];
        naive(x + i * L, want);
        for (int o = 0; o < O; o++) {
            maxd = fmax(maxd, fabs(lg[i * O + o] - want[o]) / (1 + fabs(want[o])));
            maxv = fmax(maxv, fabs(want[o]));
        }
    }
    printf("# tiny model: max relative difference to the naive double pass %.3g (max |logit| %.3g)\n", maxd, maxv);
    CHECK(maxd < 1e-5 && maxv > 0.01, "tiny: folded float engine == naive ARCHITECTURE.md pass (rel 1e-5)");
    /* batch independence: window 7 alone gives the same bits */
    float one[O];
    cm_model_predict(m, x + 7 * L, 1, one, &err);
    CHECK(memcmp(one, lg + 7 * O, sizeof one) == 0, "tiny: result independent of batch");
    /* code 4 == any code > 4 (N) */
    uint8_t y[L];
    memcpy(y, x, L);
    for (int i = 0; i < L; i++) if (y[i] == 4) y[i] = 9;
    cm_model_predict(m, y, 1, one, &err);
    CHECK(memcmp(one, lg, sizeof one) == 0, "tiny: codes > 4 are N");

    /* ISM eval on the tiny model: pair of sites, N-mask, by hand */
    cm_ism_opts_t o;
    cm_ism_opts_init(&o);
    o.ko = CM_KO_NMASK;
    o.scale = CM_SCALE_LOGIT;
    cm_ism_row_t r;
    memset(&r, 0, sizeof r);
    r.kind = CM_ISM_PAIR;
    r.id = "p1";
    r.head = 1;
    r.wstart = 100;
    r.site[0][0] = 102; r.site[0][1] = 105;
    r.site[1][0] = 109; r.site[1][1] = 115;  /* runs past the window end (112): clipped */
    r.win = x;
    CHECK(cm_ism_eval(m, &o, &r, &err) == 0, "ism eval (N mask)");
    double w[O];
    uint8_t z[L];
    naive(x, w);
    CHECK_NEAR(r.baseline, w[1], 1e-5, 1e-5, "ism: baseline = logit of head 1");
    memcpy(z, x, L); z[2] = z[3] = z[4] = 4; naive(z, w);
    CHECK_NEAR(r.ko_source, w[1], 1e-5, 1e-5, "ism: ko_source = window with 102-105 as N");
    memcpy(z, x, L); z[9] = z[10] = z[11] = 4; naive(z, w);
    CHECK_NEAR(r.ko_target, w[1], 1e-5, 1e-5, "ism: ko_target clipped to the window");
    z[2] = z[3] = z[4] = 4; naive(z, w);
    CHECK_NEAR(r.ko_both, w[1], 1e-5, 1e-5, "ism: ko_both");
    CHECK(r.draws == 1, "ism: N mask uses one draw");
    /* random knockouts: draws average, reproducible */
    o.ko = CM_KO_RANDOM; o.draws = 4; o.scale = CM_SCALE_PROB;
    cm_ism_row_t r2 = r;
    cm_ism_eval(m, &o, &r2, &err);
    double s = 0;
    for (int d = 0; d < 4; d++) {
        memcpy(z, x, L);
        cm_ism_knockout(z, L, 100, 102, 105, CM_KO_RANDOM, cm_ism_key(1, CM_ISM_PAIR, "p1", CM_ROLE_SOURCE, d));
        naive(z, w);
        s += 1 / (1 + exp(-w[1]));
    }
    CHECK_NEAR(r2.ko_source, s / 4, 1e-6, 1e-5, "ism: random ko_source = mean over 4 draws of sigmoid");
    CHECK(r2.draws == 4, "ism: draws recorded");
    /* the differences are means of per-draw differences: recompute every knockout of
     * every draw with the naive pass (ko_both = source and target draws together) */
    double b0, ds = 0, dt = 0, di = 0;
    naive(x, w); b0 = 1 / (1 + exp(-w[1]));
    for (int d = 0; d < 4; d++) {
        uint8_t zs[L], zt[L], zb[L];
        double ps, pt, pb;
        memcpy(zs, x, L); memcpy(zt, x, L);
        cm_ism_knockout(zs, L, 100, 102, 105, CM_KO_RANDOM, cm_ism_key(1, CM_ISM_PAIR, "p1", CM_ROLE_SOURCE, d));
        cm_ism_knockout(zt, L, 100, 109, 115, CM_KO_RANDOM, cm_ism_key(1, CM_ISM_PAIR, "p1", CM_ROLE_TARGET, d));
        memcpy(zb, zs, L);
        cm_ism_knockout(zb, L, 100, 109, 115, CM_KO_RANDOM, cm_ism_key(1, CM_ISM_PAIR, "p1", CM_ROLE_TARGET, d));
        naive(zs, w); ps = 1 / (1 + exp(-w[1]));
        naive(zt, w); pt = 1 / (1 + exp(-w[1]));
        naive(zb, w); pb = 1 / (1 + exp(-w[1]));
        ds += ps - b0; dt += pt - b0; di += pb - ps - pt + b0;
    }
    CHECK_NEAR(r2.delta_source, ds / 4, 1e-6, 1e-5, "ism: delta_source = mean of per-draw ko_source - baseline");
    CHECK_NEAR(r2.delta_target, dt / 4, 1e-6, 1e-5, "ism: delta_target = mean of per-draw ko_target - baseline");
    CHECK_NEAR(r2.interaction, di / 4, 1e-6, 1e-5, "ism: interaction = mean of per-draw ko_both - ko_source - ko_target + baseline");
    CHECK_NEAR(r2.delta_source, r2.ko_source - r2.baseline, 1e-12, 0, "ism: delta_source and ko_source agree");
    /* a self row whose site lies outside the window changes nothing: deltas exactly 0 */
    cm_ism_row_t r3 = r2;
    r3.kind = CM_ISM_SELF;
    r3.site[0][0] = 200; r3.site[0][1] = 205;
    CHECK(cm_ism_eval(m, &o, &r3, &err) == 0 && r3.delta_source == 0.0 && r3.ko_source == r3.baseline
          && isnan(r3.delta_target) && isnan(r3.interaction), "ism: a knockout that changes nothing gives exactly 0");
    memcpy(z, x, L);
    int nrep = cm_ism_knockout(z, L, 100, 95, 103, CM_KO_RANDOM, 99);
    int okk = nrep == 3;
    for (int i = 3; i < L; i++) okk &= z[i] == x[i];
    for (int i = 0; i < 3; i++) okk &= z[i] < 4 && z[i] == cm_rng_below(99, (uint64_t)(100 + i - 95), 4);
    CHECK(okk, "knockout: clipped at window start, bases from the keyed stream, rest untouched");
    cm_model_free(m);

    /* damaged files */
    write_tiny(bad, "Alpha BETA", "explainn", 5, 0, NULL);
    CHECK(load_fails_with(bad, "truncated"), "truncated model file: clear error naming the file");
    write_tiny(bad, "Alpha BETA", "explainn", 0, 3, NULL);
    CHECK(load_fails_with(bad, "unexpected bytes"), "trailing bytes rejected");
    write_tiny(bad, "Alpha", "explainn", 0, 0, NULL);
    CHECK(load_fails_with(bad, "1 head names for a model with 2 outputs"), "head count checked");
    write_tiny(bad, "Alpha BETA", "basset9", 0, 0, NULL);
    CHECK(load_fails_with(bad, "unknown model kind 'basset9'"), "unknown kind rejected");
    write_tiny(bad, "Alpha BETA", "explainn", 0, 0, "linears.7.running_var");
    CHECK(load_fails_with(bad, "no tensor 'linears.7.running_var'"), "missing tensor rejected");
    FILE *f = fopen(bad, "w"); fputs("coopmap-model 2\nkind explainn\nend\n", f); fclose(f);
    CHECK(load_fails_with(bad, "unsupported model format version"), "future version rejected");
    f = fopen(bad, "w"); fputs("PK\003\004 not a model", f); fclose(f);
    CHECK(load_fails_with(bad, "not a coopmap model file"), "non-model file rejected");
    unlink(bad);
    unlink(path);
}

static void test_genome(const char *dir)
{
    char path[512], fai[600];
    snprintf(path, sizeof path, "%s/g.fa", dir);
    snprintf(fai, sizeof fai, "%s.fai", path);
    FILE *f = fopen(path, "w");
    fputs(">c1 desc\nACGTNacgt\nGGCC\n>c2\nTTTT\n", f);
    fclose(f);
    cm_err_t err = {{0}};
    cm_genome_t *g = cm_genome_open(path, &err);
    CHECK(g != NULL, "genome opens (index built)");
    if (!g) { printf("# %s\n", err.msg); return; }
    uint8_t c[16];
    CHECK(cm_genome_seq_len(g, "c1") == 13 && cm_genome_seq_len(g, "zz") == -1, "genome: lengths");
    CHECK(cm_genome_fetch(g, "c1", 3, 11, c, &err) == 0 && c[0] == 3 && c[1] == 4 && c[2] == 0
          && c[5] == 3 && c[6] == 2 && c[7] == 2, "genome: fetch c1:3-11 across a line break, case-insensitive, N=4");
    CHECK(cm_genome_fetch(g, "c1", 10, 14, c, &err) == -1 && strstr(err.msg, "runs past the end"),
          "genome: window past the end is an error");
    CHECK(cm_genome_fetch(g, "c3", 0, 2, c, &err) == -1 && strstr(err.msg, "no sequence named 'c3'"),
          "genome: unknown chrom");
    CHECK(cm_genome_fetch(g, "c2", 0, 4, c, &err) == 0 && c[3] == 3, "genome: c2 whole");
    cm_genome_close(g);
    unlink(path);
    unlink(fai);
}

static void test_real(const char *dir)
{
    const char *mdir = "../shared/data/models/explainn_MAX_FOXA1_JUND";
    char cmd[2048], model[512], ref[512];
    snprintf(ref, sizeof ref, "%s/reference_logits_hg19_chr22.tsv", mdir);
    if (access(ref, R_OK) != 0 || access("scripts/coopmap-convert-model", R_OK) != 0) {
        printf("ok - real ExplaiNN model # skip ../shared or scripts/ not found (run from the repo root)\n");
        return;
    }
    snprintf(model, sizeof model, "%s/explainn.cmm", dir);
    snprintf(cmd, sizeof cmd, "python3 scripts/coopmap-convert-model %s/model_epoch_best_4.pth "
             "--heads MAX,FOXA1,JUND -o %s", mdir, model);
    CHECK(system(cmd) == 0, "converter makes the real model file from the .pth");
    cm_err_t err = {{0}};
    cm_model_t *m = cm_model_load(model, &err);
    CHECK(m != NULL, "real model loads");
    if (!m) { printf("# %s\n", err.msg); return; }
    CHECK(cm_model_input_length(m) == 200 && cm_model_n_heads(m) == 3
          && cm_model_head_index(m, "foxa1") == 1, "real model: L=200, heads MAX FOXA1 JUND");
    FILE *f = fopen(ref, "r");
    char *line = NULL;
    size_t cap = 0;
    int n = 0;
    uint8_t *x = malloc(200 * 200);
    double want[200][3];
    getline(&line, &cap, f);  /* header */
    while (getline(&line, &cap, f) > 0 && n < 200) {
        char *fld[8];
        int nf = 0;
        for (char *p = strtok(line, "\t\n"); p && nf < 8; p = strtok(NULL, "\t\n")) fld[nf++] = p;
        if (nf != 8 || strlen(fld[4]) != 200) continue;
        for (int j = 0; j < 200; j++) x[n * 200 + j] = cm_nt4((unsigned char)fld[4][j]);
        for (int o = 0; o < 3; o++) want[n][o] = atof(fld[5 + o]);
        n++;
    }
    fclose(f);
    free(line);
    CHECK(n == 118, "118 reference windows read");
    float lg[200 * 3];
    cm_model_predict(m, x, n, lg, &err);
    double maxd = 0;
    for (int i = 0; i < n; i++)
        for (int o = 0; o < 3; o++) maxd = fmax(maxd, fabs(lg[i * 3 + o] - want[i][o]));
    printf("# real model: max |logit - reference| over %d x 3 logits = %.3g\n", n, maxd);
    CHECK(maxd <= 1e-3, "real model: every logit within 1e-3 of the reference");
    /* the FOXA1 peak window scores FOXA1 highest */
    CHECK(lg[1] > 4 && lg[1] > lg[0] && lg[1] > lg[2], "real model: window 1 (FOXA1 peak) -> FOXA1");

    /* speed: windows/s, 1 and 2 threads */
    enum { NB = 4000 };
    uint8_t *xb = malloc((size_t)NB * 200);
    float *lb = malloc((size_t)NB * 3 * sizeof(float));
    for (int i = 0; i < NB; i++) memcpy(xb + (size_t)i * 200, x + (size_t)(i % n) * 200, 200);
    for (int th = 1; th <= 2; th++) {
        double t0 = omp_get_wtime();
#pragma omp parallel for schedule(static) num_threads(th)
        for (int b = 0; b < NB / 50; b++)
            cm_model_predict(m, xb + (size_t)b * 50 * 200, 50, lb + (size_t)b * 50 * 3, NULL);
        double dt = omp_get_wtime() - t0;
        printf("# real model: %d windows in %.3f s with %d thread(s): %.0f windows/s\n", NB, dt, th, NB / dt);
    }
    CHECK(memcmp(lb, lg, 3 * sizeof(float)) == 0, "threaded predictions equal the serial ones");
    free(xb); free(lb); free(x);
    cm_model_free(m);
    unlink(model);
}

int main(void)
{
    char dir[] = "/tmp/cm_cnn_XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    make_weights();
    test_rng();
    test_tiny(dir);
    test_genome(dir);
    test_real(dir);
    for (int i = 0; i < NT; i++) free(tdata[i]);
    rmdir(dir);
    return check_status();
}
