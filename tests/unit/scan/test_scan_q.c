/* Unit tests for scan_q.c: histogram Storey pi0 against cm_storey_pi0, the bins, the
 * --max-stored-scores cap on a hand-made hit list. */
#include "check.h"
#include "stats/qvalue.h"
#include "scan/scan_q.h"

#include <stdlib.h>

static void hit(cm_hitlist_t *l, int motif, double p)
{
    cm_hit_t h = {0};
    h.motif = motif;
    h.motif_id = motif ? "m1" : "m0";
    h.motif_alt = "";
    h.seq_name = "s";
    h.start = (long)l->n + 1;
    h.stop = h.start;
    h.strand = '+';
    h.pvalue = p;
    h.matched = "A";
    cm_hitlist_add(&h, l, NULL);
}

int main(void)
{
    /* bins: p >= 0.005k for k = 1..100 */
    CHECK(cm_storey_bin(0.0) == 0 && cm_storey_bin(0.0049) == 0, "bin 0 below 0.005");
    CHECK(cm_storey_bin(0.005) == 1 && cm_storey_bin(0.5) == 100 && cm_storey_bin(1) == 100,
          "bin edges inclusive, top bin 100");

    /* the histogram estimator equals cm_storey_pi0 on the values, random use included */
    cm_mt19937_t g;
    cm_mt_seed(&g, 7);
    for (int rep = 0; rep < 3; rep++) {
        size_t n = rep == 0 ? 50 : rep == 1 ? 5000 : 20000;
        double *p = malloc(n * sizeof *p);
        uint64_t h[101] = {0};
        for (size_t i = 0; i < n; i++) {
            double u = cm_mt_double(&g);
            p[i] = i % 3 ? u : u * u * u;     /* a mixture with pi0 < 1 */
            h[cm_storey_bin(p[i])]++;
        }
        cm_mt19937_t a, b;
        cm_mt_seed(&a, 4357);
        cm_mt_seed(&b, 4357);
        double x = cm_storey_pi0(p, n, &a), y = cm_storey_pi0_hist(h, &b);
        char name[96];
        snprintf(name, sizeof name, "pi0 from histogram == cm_storey_pi0 (n=%zu, pi0=%.4f)", n, x);
        CHECK(x == y, name);
        CHECK(cm_mt_u32(&a) == cm_mt_u32(&b), "same number of random draws");
        /* 2/3 uniform + 1/3 u^3: pi0(λ) = 2/3 + (1 − λ^(1/3)) / (3(1 − λ)), from 1 at
         * λ = 0 down to 2/3 + 1/9 = 0.78 as λ → 1, so the estimate lies well inside
         * (0.6, 1) */
        if (n > 100) CHECK(x < 1 && x > 0.6, "pi0 of the mixture is below 1");
        else CHECK(x == 1, "n <= 100: pi0 = 1");
        free(p);
    }

    /* cap: motif 0 gets p = 10, 9, 8, 1, 7, 6, 2 (x1e-5), max 4.  After 10,9,8,1 are
     * stored: sorted 1,8,9,10, cutoff = sorted[2] = 9 -> keep 1,8.  Then 7 (<9, stored:
     * 1,8,7), 6 (stored 4: 1,6,7,8 -> cutoff 7, keep 1,6), 2 (kept).  Final cutoff 7e-5:
     * kept = p < 7e-5 = {1, 6, 2}; motif 1 (2 hits) untouched. */
    cm_hitlist_t l = {0};
    double ps[] = {10, 9, 8, 1, 7, 6, 2};
    for (int i = 0; i < 7; i++) hit(&l, 0, ps[i] * 1e-5);
    hit(&l, 1, 5e-5);
    hit(&l, 1, 9e-5);
    cm_qv_motif_t info[2];
    cm_qv_cap_hits(&l, 2, 4, info);
    CHECK(l.n == 5, "cap keeps 3 + 2 hits");
    CHECK_NEAR(info[0].cutoff, 7e-5, 0, 1e-12, "final cutoff = 7e-5");
    CHECK(info[0].dropped == 4 && info[1].dropped == 0 && info[1].cutoff == 2, "dropped counts");
    CHECK(l.n == 5 && l.hit[0].pvalue == 1 * 1e-5 && l.hit[1].pvalue == 6 * 1e-5 && l.hit[2].pvalue == 2 * 1e-5 &&
          l.hit[3].motif == 1, "kept hits in scan order");
    cm_hitlist_free(&l);

    cm_qv_mode_t m;
    CHECK(cm_qv_mode_parse("bh", &m) == 0 && m == CM_QV_BH && cm_qv_mode_parse("x", &m) == -1, "mode names");
    return check_status();
}
