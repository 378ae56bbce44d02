/* Unit tests for permtest.c.  Exact p-values: tests/fixtures/stats/make_tests_fixtures.py
 * enumerates all 2^n sign flips in rational arithmetic (Python fractions of the values'
 * decimal forms), so flips that tie |S| mathematically count even where their
 * floating-point sums differ (the "0.1 0.2 0.3" case and the 16-value vector of
 * decimals check the tolerance of permtest.h).  Monte Carlo: reproducible
 * from the key, independent of the thread count, and within 5 standard errors of the
 * exact p of a 16-value vector (the key is fixed, so this is deterministic). */
#include "check.h"
#include "stats/permtest.h"
#include "stats/stats.h"
#include "core/rng.h"
#include "../../fixtures/stats/tests_perm_cases.h"

#include <omp.h>
#include <stdlib.h>

int main(void)
{
    char name[200];
    uint64_t key = cm_rng_key(1, 42);
    int bad = 0;
    for (int i = 0; i < N_PM_CASES; i++) {
        const pm_case_t *c = &pm_cases[i];
        cm_permtest_t r;
        cm_permtest1(c->x, c->n, 10000, key, &r);
        double want = (double)c->count / (double)(1ULL << c->n);
        int ok = r.exact && r.flips == (1ULL << c->n) && r.count == c->count && r.p == want &&
                 r.log10p == (want >= 1 ? 0 : log10(want));
        if (!ok) {
            bad++;
            printf("# %s: exact %d count %llu of %llu, want %llu\n", c->name, r.exact,
                   (unsigned long long)r.count, (unsigned long long)r.flips, c->count);
        }
        if (i < 7 || !ok) {
            snprintf(name, sizeof name, "permutation exact %s (n %zu): %llu / 2^n", c->name, c->n, c->count);
            CHECK(ok, name);
        }
    }
    snprintf(name, sizeof name, "permutation exact = enumeration in fractions on all %d vectors", N_PM_CASES);
    CHECK(bad == 0, name);
    {   /* by hand: 1 2 3 4: only the all-plus and all-minus flips reach |S| = 10 -> 2/16 */
        double x[] = { 1, 2, 3, 4 };
        cm_permtest_t r;
        cm_permtest1(x, 4, 16, key, &r);
        CHECK(r.exact && r.count == 2 && r.p == 0.125, "permutation by hand: 1 2 3 4 -> 2/16 (B = 2^n: exact)");
        cm_permtest1(x, 4, 15, key, &r);
        CHECK(!r.exact && r.flips == 15 && r.p == (1.0 + (double)r.count) / 16.0, "B = 2^n - 1: Monte Carlo, p = (1 + k)/(B + 1)");
        cm_permtest1(x, 0, 100, key, &r);
        CHECK(r.p == 1 && r.log10p == 0 && isnan(r.mean), "n = 0: p = 1");
        double z[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        cm_permtest1(z, 20, 100, key, &r);
        CHECK(!r.exact && r.count == 100 && r.p == 1, "all zeros (Monte Carlo): every flip ties, p = 1");
        cm_permtest1(x, 4, 0, key, &r);
        CHECK(r.flips == 1, "B < 1 taken as 1");
    }
    {   /* Monte Carlo against the exact p of 16 values (65,536 flips) */
        cm_permtest_t r, r2, r3;
        double pe = (double)PM_MC_COUNT / 65536.0;
        cm_permtest1(pm_mc_x, PM_MC_N, 20000, key, &r);
        cm_permtest1(pm_mc_x, PM_MC_N, 20000, key, &r2);
        cm_permtest1(pm_mc_x, PM_MC_N, 20000, cm_rng_key(2, 42), &r3);
        double se = sqrt(pe * (1 - pe) / 20000);
        snprintf(name, sizeof name, "Monte Carlo p %.5f within 5 se of the exact %.5f (B = 20000)", r.p, pe);
        CHECK(!r.exact && fabs(r.p - pe) <= 5 * se + 1.0 / 20001, name);
        CHECK(r.count == r2.count && r.p == r2.p, "Monte Carlo reproducible from the key");
        CHECK(fabs(r3.p - pe) <= 5 * se + 1.0 / 20001, "another key: also within 5 se");
        CHECK(r3.count != r.count, "another key: another draw (seeded, deterministic)");
        cm_permtest1(pm_mc_x, PM_MC_N, 65536, key, &r);
        CHECK(r.exact && r.count == PM_MC_COUNT, "B = 2^16: exact, = the enumeration in fractions");
    }
    {   /* through cm_cells_test: p on 1 and 3 threads identical, and keyed by (seed, cell) */
        size_t nc = 64, per = 24;
        double *v = malloc(nc * per * sizeof *v);
        size_t off[65];
        for (size_t i = 0; i <= nc; i++) off[i] = i * per;
        for (size_t k = 0; k < nc * per; k++) v[k] = cm_rng_double(99, k) - 0.4;
        cm_cell_t *a = calloc(nc, sizeof *a), *b = calloc(nc, sizeof *b), *s = calloc(nc, sizeof *s);
        cm_test_opts_t o;
        cm_err_t err;
        cm_test_opts_init(&o);
        o.test = CM_TEST_PERMUTATION;
        o.permutations = 2000;
        omp_set_num_threads(1);
        CHECK(cm_cells_test(v, off, nc, &o, NULL, a, &err) == 0, "cells_test permutation, 1 thread");
        omp_set_num_threads(3);
        CHECK(cm_cells_test(v, off, nc, &o, NULL, b, &err) == 0, "cells_test permutation, 3 threads");
        o.seed = 2;
        CHECK(cm_cells_test(v, off, nc, &o, NULL, s, &err) == 0, "cells_test permutation, seed 2");
        int same = 1, moved = 0, keyed = 1;
        for (size_t i = 0; i < nc; i++) {
            same &= a[i].tt.p == b[i].tt.p && a[i].stat == b[i].stat;
            moved += a[i].tt.p != s[i].tt.p;
            cm_permtest_t r;
            cm_permtest1(v + off[i], per, 2000, cm_rng_key(cm_rng_key(1, CM_PERM_STREAM), i), &r);
            keyed &= r.p == a[i].tt.p && a[i].test == CM_TEST_PERMUTATION && a[i].stat == r.mean;
        }
        CHECK(same, "cells_test permutation: identical p on 1 and 3 threads");
        CHECK(keyed, "cells_test permutation: cell i keyed by cm_rng_key(cm_rng_key(seed, CM_PERM_STREAM), i)");
        CHECK((size_t)moved > nc / 2, "cells_test permutation: another seed moves the p-values");
        omp_set_num_threads(1);
        free(v); free(a); free(b); free(s);
    }
    return check_status();
}
