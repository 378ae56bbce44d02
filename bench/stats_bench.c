/* stats_bench.c — coopmap-stats' cell tests timed for bench/60-stats.sh (linked
 * against libcoopmap.a).
 *
 * usage: stats_bench FILE NCELLS NVALS THREADS
 *
 * Writes NCELLS x NVALS values (float64, row-major: cell after cell) to FILE: normal
 * deviates (Box–Muller on core/rng.h's counter-based stream, seed 60), every 10th cell
 * shifted by +0.5 sd so some cells are significant.  Then tests every cell the way
 * coopmap-stats does (cm_cells_test: one-sample t-test, 95% CI and Cohen's d; then
 * cm_cells_adjust: Benjamini–Hochberg over one family) on THREADS OpenMP threads,
 * best of 5 runs, writes each cell's p and q to FILE.q (float64 pairs) and prints
 *   c_seconds S
 * The script times scipy + statsmodels on the same FILE and compares the q-values. */
#include "stats/stats.h"
#include "core/rng.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 5) { fprintf(stderr, "usage: stats_bench FILE NCELLS NVALS THREADS\n"); return 2; }
    const char *path = argv[1];
    size_t nc = strtoul(argv[2], NULL, 10), nv = strtoul(argv[3], NULL, 10);
    int threads = atoi(argv[4]);
    if (nc < 1 || nv < 1 || threads < 1) { fprintf(stderr, "stats_bench: bad arguments\n"); return 2; }
    size_t nx = nc * nv;
    double *v = malloc(nx * sizeof *v);
    size_t *off = malloc((nc + 1) * sizeof *off);
    cm_cell_t *c = calloc(nc, sizeof *c);
    if (!v || !off || !c) { fprintf(stderr, "stats_bench: out of memory\n"); return 1; }
    uint64_t key = cm_rng_key(60, 0);
    for (size_t k = 0; k < nx; k += 2) {
        double u1 = 1.0 - cm_rng_double(key, k), u2 = cm_rng_double(key, k + 1);
        double r = sqrt(-2.0 * log(u1));
        v[k] = r * cos(2 * M_PI * u2);
        if (k + 1 < nx) v[k + 1] = r * sin(2 * M_PI * u2);
    }
    for (size_t i = 0; i < nc; i += 10)
        for (size_t j = 0; j < nv; j++) v[i * nv + j] += 0.5;
    for (size_t i = 0; i <= nc; i++) off[i] = i * nv;
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(v, sizeof *v, nx, fp) != nx || fclose(fp)) { fprintf(stderr, "stats_bench: cannot write %s\n", path); return 1; }

    cm_test_opts_t o;
    cm_test_opts_init(&o);          /* t-test, BH */
    cm_err_t err;
    omp_set_num_threads(threads);
    double best = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = omp_get_wtime();
        if (cm_cells_test(v, off, nc, &o, NULL, c, &err) < 0) { fprintf(stderr, "stats_bench: %s\n", err.msg); return 1; }
        for (size_t i = 0; i < nc; i++) c[i].family = CM_FAMILY_MAP;
        if (cm_cells_adjust(c, nc, CM_CORR_BH, 0.05, &err) < 0) { fprintf(stderr, "stats_bench: %s\n", err.msg); return 1; }
        double dt = omp_get_wtime() - t0;
        if (dt < best) best = dt;
    }
    double *q = malloc(2 * nc * sizeof *q);
    for (size_t i = 0; i < nc; i++) { q[2 * i] = c[i].tt.p; q[2 * i + 1] = c[i].q; }
    char qp[4096];
    snprintf(qp, sizeof qp, "%s.q", path);
    fp = fopen(qp, "wb");
    if (!fp || fwrite(q, sizeof *q, 2 * nc, fp) != 2 * nc || fclose(fp)) { fprintf(stderr, "stats_bench: cannot write %s\n", qp); return 1; }
    printf("c_seconds %.6f\n", best);
    free(q); free(v); free(off); free(c);
    return 0;
}
