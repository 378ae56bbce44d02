/* Unit tests for compare.c's K-letter path: column scores over K letters (hand-derived),
 * the consensus letters of an alphabet, and the database's orientation rule. */
#include "check.h"
#include "compare/compare.h"

int main(void)
{
    /* K = 6: q = (0.5, 0.1 × 5), t = q with the first two letters swapped.
     * ed = −sqrt(0.4² + 0.4²) = −sqrt(0.32); sandelin = 2 − 0.32;
     * pearson centres on 1/6: x = (1/3, −1/15 × 5), y = (−1/15, 1/3, −1/15 × 4);
     * Σxy = 2·(1/3)(−1/15) + 4/225 = −6/225, Σx² = Σy² = 1/9 + 5/225 = 30/225 ⇒ −0.2;
     * kullback = −½ Σ (q−t)(log10 q − log10 t) = −½ · 2 · 0.4 · log10 5 = −0.4·log10 5 */
    double q[6] = {0.5, 0.1, 0.1, 0.1, 0.1, 0.1}, t[6] = {0.1, 0.5, 0.1, 0.1, 0.1, 0.1};
    double bg[6] = {1 / 6., 1 / 6., 1 / 6., 1 / 6., 1 / 6., 1 / 6.};
    CHECK_NEAR(cm_colscore_k(CM_DIST_ED, 6, q, t, 0, 0, bg), -sqrt(0.32), 1e-15, 0, "ed over 6 letters");
    CHECK_NEAR(cm_colscore_k(CM_DIST_SANDELIN, 6, q, t, 0, 0, bg), 2 - 0.32, 1e-15, 0, "sandelin over 6 letters");
    CHECK_NEAR(cm_colscore_k(CM_DIST_PEARSON, 6, q, t, 0, 0, bg), -0.2, 1e-13, 0, "pearson centred on 1/6");
    CHECK_NEAR(cm_colscore_k(CM_DIST_KULLBACK, 6, q, t, 0, 0, bg), -0.4 * log10(5), 1e-15, 0, "kullback");
    /* allr, nq = nt = 10: [Σ 10 t ln(q/b) + Σ 10 q ln(t/b)] / Σ 10(q + t)
     * = [0.1 ln 3 + 0.5 ln 0.6 + 0.4 ln 0.6 ... ] computed term by term below */
    double num = 0, den = 0;
    for (int a = 0; a < 6; a++) {
        num += 10 * t[a] * log(q[a] * 6) + 10 * q[a] * log(t[a] * 6);
        den += 10 * (q[a] + t[a]);
    }
    CHECK_NEAR(cm_colscore_k(CM_DIST_ALLR, 6, q, t, 10, 10, bg), num / den, 1e-15, 0, "allr over 6 letters");
    /* with K = 4 the K-letter formulas agree with the DNA ones */
    double q4[4] = {0.7, 0.1, 0.1, 0.1}, t4[4] = {0.2, 0.3, 0.4, 0.1};
    CHECK(cm_colscore_k(CM_DIST_PEARSON, 4, q4, t4, 0, 0, bg) == cm_colscore(CM_DIST_PEARSON, q4, t4),
          "K = 4 pearson = the DNA pearson (same rounding)");
    CHECK(cm_colscore_k(CM_DIST_ED, 4, q4, t4, 0, 0, bg) == cm_colscore(CM_DIST_ED, q4, t4), "K = 4 ed");

    cm_alph_t r;
    cm_alph_rna(&r);
    char cons[3];
    double f[8] = {0.1, 0.1, 0.1, 0.7, 0.7, 0.1, 0.1, 0.1};
    cm_cmp_consensus_alph(&r, f, 2, cons);
    CHECK_STR(cons, "UA", "RNA consensus letters");

    /* an RNA database gets one orientation (Tomtom: no complements, no reverse) */
    cm_motifset_t s = {0};
    cm_motif_t m = {0};
    m.id = "a"; m.alt = ""; m.w = 2; m.k = 4; m.nsites = 20; m.freq = f;
    s.n = 1; s.m = &m; s.alph = r; s.path = "x";
    cm_cmp_db_t db;
    cm_err_t err = {{0}};
    double b4[4] = {0.25, 0.25, 0.25, 0.25};
    CHECK(cm_cmp_db_build_alph(&db, &s, 1, &r, b4, 0.1, 0, 0, &err) == 0 && db.norient == 1 && db.k == 4,
          "RNA database: 1 orientation");
    CHECK_STR(db.cons[0], "UA", "RNA target consensus");
    cm_cmp_db_free(&db);
    cm_alph_t d;
    cm_alph_dna(&d);
    CHECK(cm_cmp_db_build_alph(&db, &s, 1, &d, b4, 0.1, 0, 0, &err) != 0 && strstr(err.msg, "--xalph"),
          "RNA targets for a DNA query need --xalph");
    err.msg[0] = 0;
    CHECK(cm_cmp_db_build_alph(&db, &s, 1, &d, b4, 0.1, 0, 1, &err) == 0 && db.norient == 2 && db.xalph_warn,
          "--xalph: converted, both orientations, complements warned");
    CHECK_STR(db.cons[0], "TA", "converted target consensus in DNA letters");
    cm_cmp_db_free(&db);
    return check_status();
}
