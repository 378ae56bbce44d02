/* ism_bench.c — saturation ISM timing for bench/50-ism.sh (linked against libcoopmap.a).
 *
 * usage: ism_bench MODEL NAME [SAMPLE_EVERY [N_FORWARD]]
 *
 * One random baseline window (fixed seed) of the model's input length L; the 3·L
 * saturation edits (every alternative base at every position).  Prints
 *   ism saturation NAME: incremental R.Rx full recompute, max |diff| D
 *       R = (full-recompute seconds per edit) / (incremental seconds per edit), one
 *       thread; incremental = cm_model_predict_edits over all 3·L edits in one call;
 *       full recompute = the same call with full_recompute = 1 on the edits at every
 *       SAMPLE_EVERY-th position (all 3 bases; default 1 = all), D = max |logit
 *       difference| between the two on those edits;
 *   ism threads NAME: R.Rx on 2 vs 1
 *       incremental saturation ISM split into per-thread chunks (one predict_edits
 *       call each), wall time on 1 thread / on 2 threads (repeated to >= ~1 s);
 *   forward NAME: N windows S s
 *       N_FORWARD (default 128) random windows in one cm_model_predict call, one
 *       thread (the script compares it with PyTorch on the same windows' count);
 * and a "#" line with the absolute times.  Each time is the minimum of 2 runs. */
#include "model/model.h"
#include "core/rng.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Wall time of `reps` saturation passes (best of 2), edits split in `threads` chunks. */
static double sat_threads(const cm_model_t *m, const uint8_t *base, int n, const cm_model_edit_t *ed,
                          float *out, int threads, int reps)
{
    const int H = cm_model_n_heads(m);
    double best = 1e30;
    for (int rep = 0; rep < 2; rep++) {
        double t0 = omp_get_wtime();
        int bad = 0;
        for (int r = 0; r < reps; r++)
#pragma omp parallel num_threads(threads) reduction(|:bad)
        {
            int nt = omp_get_num_threads(), id = omp_get_thread_num();
            int a = (int)((long)n * id / nt), b = (int)((long)n * (id + 1) / nt);
            cm_err_t err;
            if (b > a) bad |= cm_model_predict_edits(m, base, b - a, ed + a, out + (size_t)a * H, 0, &err) != 0;
        }
        double dt = omp_get_wtime() - t0;
        if (bad) { fprintf(stderr, "ism_bench: predict_edits failed\n"); exit(1); }
        if (dt < best) best = dt;
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: ism_bench MODEL NAME [SAMPLE_EVERY [N_FORWARD]]\n"); return 2; }
    const char *name = argv[2];
    int every = argc > 3 ? atoi(argv[3]) : 1, nfw = argc > 4 ? atoi(argv[4]) : 128;
    if (every < 1) every = 1;
    cm_err_t err;
    cm_model_t *m = cm_model_load(argv[1], &err);
    if (!m) { fprintf(stderr, "ism_bench: %s\n", err.msg); return 1; }
    const int L = cm_model_input_length(m), H = cm_model_n_heads(m), n = 3 * L;
    uint8_t *base = malloc((size_t)L), *alt = malloc((size_t)n);
    for (int i = 0; i < L; i++) base[i] = (uint8_t)(cm_rng_double(2026, (uint64_t)i) * 4);
    cm_model_edit_t *ed = malloc((size_t)n * sizeof *ed), *sub = malloc((size_t)n * sizeof *sub);
    int ns = 0;
    for (int p = 0; p < L; p++)
        for (int k = 0; k < 3; k++) {
            int e = 3 * p + k;
            alt[e] = (uint8_t)((base[p] + 1 + k) % 4);
            ed[e].start = p; ed[e].len = 1; ed[e].codes = &alt[e];
            if (p % every == 0) sub[ns++] = ed[e];
        }
    float *inc = malloc((size_t)n * H * sizeof(float)), *full = malloc((size_t)ns * H * sizeof(float));
    double t_inc = sat_threads(m, base, n, ed, inc, 1, 1);
    double t_full = 1e30;
    for (int rep = 0; rep < (every > 1 ? 1 : 2); rep++) {
        double t0 = omp_get_wtime();
        if (cm_model_predict_edits(m, base, ns, sub, full, 1, &err)) { fprintf(stderr, "ism_bench: %s\n", err.msg); return 1; }
        double dt = omp_get_wtime() - t0;
        if (dt < t_full) t_full = dt;
    }
    double worst = 0;
    for (int i = 0, j = 0; i < n; i++) {
        if (ed[i].start % every) continue;
        for (int h = 0; h < H; h++) worst = fmax(worst, fabs((double)inc[(size_t)i * H + h] - full[(size_t)j * H + h]));
        j++;
    }
    double per_inc = t_inc / n, per_full = t_full / ns;
    printf("ism saturation %s: incremental %.1fx full recompute, max |diff| %.2g\n", name, per_full / per_inc, worst);
    int reps = (int)ceil(1.0 / t_inc);   /* >= about 1 s per measurement */
    if (reps < 1) reps = 1;
    double t1 = sat_threads(m, base, n, ed, inc, 1, reps), t2 = sat_threads(m, base, n, ed, inc, 2, reps);
    printf("ism threads %s: %.1fx on 2 vs 1\n", name, t1 / t2);
    uint8_t *w = malloc((size_t)nfw * L);
    for (size_t i = 0; i < (size_t)nfw * L; i++) w[i] = (uint8_t)(cm_rng_double(7, i) * 4);
    float *lg = malloc((size_t)nfw * H * sizeof(float));
    double t_fw = 1e30;
    for (int rep = 0; rep < 2; rep++) {
        double t0 = omp_get_wtime();
        cm_model_predict(m, w, nfw, lg, &err);
        double dt = omp_get_wtime() - t0;
        if (dt < t_fw) t_fw = dt;
    }
    printf("forward %s: %d windows %.6f s\n", name, nfw, t_fw);
    printf("# %s: L %d, %d edits; incremental %.3f ms/edit, full recompute %.3f ms/edit (%d sampled edits); "
           "%d saturation ISM(s) 1 thread %.2f s, 2 threads %.2f s; forward %.3f ms/window\n", name, L, n,
           1e3 * per_inc, 1e3 * per_full, ns, reps, t1, t2, 1e3 * t_fw / nfw);
    free(w); free(lg); free(inc); free(full); free(ed); free(sub); free(alt); free(base);
    cm_model_free(m);
    return 0;
}
