/* Unit tests for cm_cnn_predict_edits (cnn.c): the incremental ExplaiNN predictions of
 * edited windows equal the full recompute (cm_model_predict_edits with full_recompute)
 * to max |diff| <= 1e-5, for random single-base substitutions, 20-bp motif edits
 * (including edits at both window edges, N codes and no-change edits), on a random
 * ExplaiNN of the real geometry (L 200, K 19, pool 7/7) and, when ../shared is present,
 * on the real MAX/FOXA1/JUND checkpoint (converted with scripts/coopmap-convert-model;
 * run from the repo root). */
#include "check.h"
#include "model/model.h"
#include "core/rng.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { U = 12, K = 19, L = 200, T = L - K + 1, P = (T - 7) / 7 + 1, H = 6, O = 3 };

static void write_random(const char *path)
{
    const char *names[] = {
        "linears.0.weight", "linears.0.bias",
        "linears.1.weight", "linears.1.bias", "linears.1.running_mean", "linears.1.running_var",
        "linears.6.weight", "linears.6.bias",
        "linears.7.weight", "linears.7.bias", "linears.7.running_mean", "linears.7.running_var",
        "linears.10.weight", "linears.10.bias",
        "linears.11.weight", "linears.11.bias", "linears.11.running_mean", "linears.11.running_var",
        "final.weight", "final.bias",
    };
    char shapes[20][32];
    int sizes[20];
    snprintf(shapes[0], 32, "%d,4,%d", U, K); sizes[0] = U * 4 * K;
    for (int i = 1; i < 6; i++) { snprintf(shapes[i], 32, "%d", U); sizes[i] = U; }
    snprintf(shapes[6], 32, "%d,%d,1", U * H, P); sizes[6] = U * H * P;
    for (int i = 7; i < 12; i++) { snprintf(shapes[i], 32, "%d", U * H); sizes[i] = U * H; }
    snprintf(shapes[12], 32, "%d,%d,1", U, H); sizes[12] = U * H;
    for (int i = 13; i < 18; i++) { snprintf(shapes[i], 32, "%d", U); sizes[i] = U; }
    snprintf(shapes[18], 32, "%d,%d", O, U); sizes[18] = O * U;
    snprintf(shapes[19], 32, "%d", O); sizes[19] = O;
    FILE *f = fopen(path, "wb");
    fprintf(f, "coopmap-model 1\nkind explainn\ninput_length %d\nheads A B C\npool_size 7\n"
            "pool_stride 7\nbn_eps 1e-05\n", L);
    for (int i = 0; i < 20; i++) fprintf(f, "tensor %s f32 %s\n", names[i], shapes[i]);
    fputs("end\n", f);
    uint64_t c = 0;
    for (int i = 0; i < 20; i++)
        for (int j = 0; j < sizes[i]; j++) {
            double u = cm_rng_double(42, c++);
            float v = strstr(names[i], "running_var") ? (float)(0.5 + u) : (float)(u - 0.5);
            if (i == 0) v *= 0.6f;   /* keep exp() of the conv moderate */
            fwrite(&v, 4, 1, f);
        }
    fclose(f);
}

/* max |incremental - full| over n random edits of width len (0: mixed 1 and 20). */
static double diff(cm_model_t *m, uint64_t seed, int len, int n)
{
    const int Lm = cm_model_input_length(m), Hm = cm_model_n_heads(m);
    uint8_t *base = malloc((size_t)Lm), *codes = malloc((size_t)n * 20);
    cm_model_edit_t *ed = malloc((size_t)n * sizeof *ed);
    for (int i = 0; i < Lm; i++) base[i] = (uint8_t)(cm_rng_double(seed, (uint64_t)i) * 4);
    base[Lm / 2] = 4;
    uint64_t c = 1u << 20;
    for (int e = 0; e < n; e++) {
        int w = len ? len : (e % 2 ? 20 : 1);
        int st = e == 0 ? 0 : e == 1 ? Lm - w : (int)(cm_rng_double(seed, c++) * (Lm - w + 1));
        ed[e].start = st; ed[e].len = w; ed[e].codes = codes + (size_t)e * 20;
        for (int j = 0; j < w; j++)
            codes[(size_t)e * 20 + j] = e == 2 ? base[st + j]        /* no change */
                : (uint8_t)(cm_rng_double(seed, c++) * 5);           /* 4 = N */
    }
    float *a = malloc((size_t)n * Hm * sizeof(float)), *b = malloc((size_t)n * Hm * sizeof(float));
    cm_err_t err;
    double worst = 0;
    if (cm_model_predict_edits(m, base, n, ed, a, 0, &err) || cm_model_predict_edits(m, base, n, ed, b, 1, &err))
        worst = 1e30;
    for (int i = 0; i < n * Hm; i++) worst = fmax(worst, fabs((double)a[i] - b[i]));
    /* the no-change edit gives the baseline prediction */
    float p0[8];
    cm_model_predict(m, base, 1, p0, &err);
    for (int h = 0; h < Hm; h++) worst = fmax(worst, fabs((double)a[2 * Hm + h] - p0[h]));
    free(a); free(b); free(ed); free(codes); free(base);
    return worst;
}

static void run(cm_model_t *m, const char *what)
{
    char nm[200];
    CHECK(cm_model_has_incremental(m), "explainn has an incremental predict_edits");
    double d1 = diff(m, 1, 1, 600), d2 = diff(m, 2, 20, 200), d3 = diff(m, 3, 0, 200);
    snprintf(nm, sizeof nm, "%s: 600 single-base edits, incremental = full (max |diff| %.2g)", what, d1);
    CHECK(d1 <= 1e-5, nm);
    snprintf(nm, sizeof nm, "%s: 200 20-bp edits, incremental = full (max |diff| %.2g)", what, d2);
    CHECK(d2 <= 1e-5, nm);
    snprintf(nm, sizeof nm, "%s: 200 mixed edits, incremental = full (max |diff| %.2g)", what, d3);
    CHECK(d3 <= 1e-5, nm);
}

int main(void)
{
    char path[] = "/tmp/cm_test_cnn_edits_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) { printf("Bail out! mkstemp\n"); return 2; }
    close(fd);
    write_random(path);
    cm_err_t err = { { 0 } };
    cm_model_t *m = cm_model_load(path, &err);
    CHECK(m != NULL, "random ExplaiNN loads");
    if (m) { run(m, "random ExplaiNN"); cm_model_free(m); }
    else printf("# %s\n", err.msg);

    const char *pth = "../shared/data/models/explainn_MAX_FOXA1_JUND/model_epoch_best_4.pth";
    if (access(pth, R_OK) != 0 || access("scripts/coopmap-convert-model", R_OK) != 0) {
        printf("ok - real ExplaiNN edits # skip ../shared or scripts/ not found (run from the repo root)\n");
    } else {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "python3 scripts/coopmap-convert-model %s --heads MAX,FOXA1,JUND -o %s", pth, path);
        CHECK(system(cmd) == 0, "converter makes the real model file");
        m = cm_model_load(path, &err);
        CHECK(m != NULL, "real ExplaiNN loads");
        if (m) { run(m, "real MAX/FOXA1/JUND"); cm_model_free(m); }
    }
    unlink(path);
    return check_status();
}
