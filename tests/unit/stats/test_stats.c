/* Unit tests for stats.c, effects.c and svg.c.  Reference numbers come from
 * tests/fixtures/stats/make_fixtures.py (scipy ttest_1samp cross-checked against
 * 60-digit mpmath, statsmodels multipletests fdr_bh), included as ttest_cases.h. */
#include "check.h"
#include "stats/effects.h"
#include "stats/stats.h"
#include "core/svg.h"
#include "../../fixtures/stats/ttest_cases.h"

#include <stdlib.h>
#include <unistd.h>

#define HDR "kind\tpair_id\tsource_tf\ttarget_tf\tdistance\thomotypic\tdelta_source\tdelta_target\tinteraction\tother\n"

/* Read TEXT as an effects file (its temporary name copied to path); returns the
 * reader's status, err filled. */
static int read_text(const char *text, cm_effects_t *ef, cm_err_t *err, char *path)
{
    strcpy(path, check_tmpfile(text));
    cm_effects_init(ef);
    int rc = cm_effects_read(path, ef, err);
    unlink(path);
    return rc;
}

/* Does err mention "PATH:LINE:" and WHAT? */
static int err_has(const cm_err_t *err, const char *path, int line, const char *what)
{
    char want[128];
    snprintf(want, sizeof want, "%s:%d:", path, line);
    return strstr(err->msg, want) != NULL && strstr(err->msg, what) != NULL;
}

static char *memwrite(int which, const cm_cells_t *cells, const cm_effects_t *ef)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (which == 0) cm_write_long(fp, cells, ef, NULL);
    else if (which == 1) cm_write_matrix(fp, cells, ef, 0, "prov line");
    else if (which == 4) cm_write_matrix(fp, cells, ef, 1, "prov line");
    else if (which == 2) cm_write_profile(fp, ef, 50, NULL);
    else cm_write_ranking(fp, ef, NULL);
    fclose(fp);
    return buf;
}

int main(void)
{
    char name[160], path[64];
    cm_stats_init();

    /* ---- one-sample t-test against scipy/mpmath ---- */
    for (int i = 0; i < N_TT_CASES; i++) {
        const tt_case_t *c = &tt_cases[i];
        cm_ttest_t r;
        cm_ttest1(c->x, c->n, &r);
        snprintf(name, sizeof name, "ttest %s: n", c->name);
        CHECK(r.n == c->n, name);
        snprintf(name, sizeof name, "ttest %s: mean", c->name);
        CHECK_NEAR(r.mean, c->mean, 1e-300, 1e-12, name);
        snprintf(name, sizeof name, "ttest %s: sd", c->name);
        CHECK_NEAR(r.sd, c->sd, 1e-300, 1e-10, name);
        snprintf(name, sizeof name, "ttest %s: t", c->name);
        CHECK_NEAR(r.t, c->t, 1e-300, 1e-10, name);
        snprintf(name, sizeof name, "ttest %s: p", c->name);
        CHECK_NEAR(r.p, c->p, 0, 1e-10, name);
        snprintf(name, sizeof name, "ttest %s: log10 p", c->name);
        CHECK_NEAR(r.log10p, c->log10p, 1e-12, 1e-10, name);
        snprintf(name, sizeof name, "ttest %s: score", c->name);
        CHECK_NEAR(r.score, c->score, 1e-12, 1e-10, name);
        snprintf(name, sizeof name, "ttest %s: score finite, never -0", c->name);
        CHECK(isfinite(r.score) && !(r.score == 0 && signbit(r.score)), name);
    }
    {   /* sign of the score follows the mean */
        double neg[] = { -0.3, -0.2, -0.25, -0.31 }, pos[] = { 0.3, 0.2, 0.25, 0.31 };
        cm_ttest_t a, b;
        cm_ttest1(neg, 4, &a);
        cm_ttest1(pos, 4, &b);
        CHECK(a.score < 0 && b.score > 0 && a.score == -b.score && a.p == b.p, "score sign = sign(mean), p symmetric");
        double inf[] = { 1e308, 1.7e308, -1e308 };
        cm_ttest1(inf, 3, &a);
        CHECK(a.p == 1 && a.score == 0, "overflowing sums: evaluation fails => p = 1");
    }

    /* ---- two-sided t tail in log space (GSL and continued-fraction branches) ---- */
    for (int i = 0; i < N_TAIL_CASES; i++) {
        snprintf(name, sizeof name, "log10 p(|t| = %g, df = %g)", tail_cases[i].t, tail_cases[i].df);
        CHECK_NEAR(cm_tdist_log10p2(tail_cases[i].t, tail_cases[i].df), tail_cases[i].log10p, 0, 1e-10, name);
    }
    CHECK(cm_tdist_log10p2(0, 5) == 0, "log10 p(t = 0) = 0");
    CHECK(isnan(cm_tdist_log10p2(1, 0)) && isnan(cm_tdist_log10p2(INFINITY, 3)), "bad df / t => NaN");

    /* ---- Benjamini-Hochberg against statsmodels ---- */
    for (int i = 0; i < N_BH_CASES; i++) {
        const bh_case_t *c = &bh_cases[i];
        double q[64], lp[64], lq[64];
        cm_bh(c->p, c->n, q);
        for (size_t k = 0; k < c->n; k++) {
            snprintf(name, sizeof name, "BH %s: q[%zu]", c->name, k);
            CHECK_NEAR(q[k], c->q[k], 0, 1e-12, name);
            lp[k] = log10(c->p[k]);
        }
        cm_bh_log10(lp, c->n, lq);
        int ok = 1;
        for (size_t k = 0; k < c->n; k++)
            if (c->q[k] > 0 && fabs(lq[k] - log10(c->q[k])) > 1e-12 * (1 + fabs(lq[k]))) ok = 0;
        snprintf(name, sizeof name, "BH in log10 space %s", c->name);
        CHECK(ok, name);
    }
    {   /* aliasing, n = 0 and log-space beyond double range */
        double p[3] = { 0.02, 0.01, 0.03 };
        cm_bh(p, 3, p);
        CHECK(p[0] == 0.03 && p[1] == 0.03 && p[2] == 0.03, "BH in place");
        cm_bh(NULL, 0, NULL);
        double lp[3] = { -800, -400, -1 }, lq[3];
        cm_bh_log10(lp, 3, lq);
        CHECK_NEAR(lq[0], -800 + log10(3.0), 0, 1e-14, "BH log10: q of an underflowed p");
        CHECK_NEAR(lq[1], -400 + log10(1.5), 0, 1e-14, "BH log10: second rank");
        CHECK(lq[2] == -1, "BH log10: last rank");
    }

    /* ---- probability formatting ---- */
    {
        char b[64];
        CHECK_STR(cm_fmt_prob(b, sizeof b, 0.05, log10(0.05)), "0.05", "fmt p normal");
        CHECK_STR(cm_fmt_prob(b, sizeof b, 0, -400.5), "3.16228e-401", "fmt p beyond double range");
        CHECK_STR(cm_fmt_prob(b, sizeof b, 0, -597.5282061299515), "2.96342e-598", "fmt p of the underflow case");
        CHECK_STR(cm_fmt_prob(b, sizeof b, 0, -1000), "1e-1000", "fmt exact power of ten");
        CHECK_STR(cm_fmt_prob(b, sizeof b, 1, 0), "1", "fmt p = 1");
    }

    /* ---- effects reader ---- */
    cm_effects_t ef;
    cm_err_t err = { { 0 } };
    const char *good =
        "# coopmap-ism provenance\n" HDR
        "self\ts1\tZNF\t\t\t\t-0.5\t\t\tx\n"
        "self\ts2\tZNF\t\t\t\t-0.7\t\t\tx\n"
        "self\ts3\tZNF\t\t\t\t-0.4\t\t\tx\n"
        "pair\tp1\tZNF\tAP1\t120\t0\t-0.1\t0.2\t0.01\tx\n"
        "pair\tp2\tZNF\tAP1\t10\t0\t-0.1\t0.3\t\tx\n"
        "pair\tp3\tZNF\tAP1\t130\t0\t-0.1\t0.25\t0.03\tx\n"
        "\n"
        "pair\tp4\tAP1\tAP1\t60\t0\t-0.1\t-0.2\t0.02\tx\n"      /* same name, homotypic=0 */
        "pair\tp5\tAP1\tAP1\t70\t1\t-0.1\t-0.3\t0.04\tx\n"
        "# comment in the middle\n"
        "pair\tp6\tAP1\tZNF\t70\t0\t\t0.05\t\tx\n";
    CHECK(read_text(good, &ef, &err, path) == 0, "effects: good file reads");
    CHECK(ef.n == 9 && ef.n_tf == 2, "effects: 9 rows, 2 TFs");
    CHECK(ef.e[6].homotypic == 1 && ef.e[7].homotypic == 1 && ef.e[3].homotypic == 0,
          "effects: homotypic by flag or by equal names");
    CHECK(isnan(ef.e[4].interaction) && ef.e[3].interaction == 0.01, "effects: empty interaction is NaN");
    CHECK(isnan(ef.e[8].delta_source) && ef.e[0].tgt == -1 && ef.e[0].distance == -1, "effects: self row targets unset");
    cm_effects_finish(&ef);
    CHECK_STR(ef.tf[0], "AP1", "effects: TF table sorted (AP1)");
    CHECK_STR(ef.tf[1], "ZNF", "effects: TF table sorted (ZNF)");
    CHECK(ef.e[0].src == 1 && ef.e[3].tgt == 0, "effects: rows renumbered after sort");

    /* ---- cells ---- */
    cm_cells_t cells;
    CHECK(cm_cells_compute(&ef, 0, &cells, &err) == -1, "cells: alpha 0 rejected");
    CHECK(cm_cells_compute(&ef, 0.05, &cells, &err) == 0, "cells compute");
    /* expected cells in order: self ZNF; pair AP1>ZNF, ZNF>AP1; homotypic AP1>AP1;
     * interaction AP1>AP1, ZNF>AP1 */
    static const struct { int kind, src, tgt; size_t n; } want[] = {
        { CM_CELL_SELF, 1, 1, 3 }, { CM_CELL_PAIR, 0, 1, 1 }, { CM_CELL_PAIR, 1, 0, 3 },
        { CM_CELL_HOMOTYPIC, 0, 0, 2 }, { CM_CELL_INTERACTION, 0, 0, 2 }, { CM_CELL_INTERACTION, 1, 0, 2 },
    };
    int shape = cells.n == 6;
    for (size_t i = 0; shape && i < 6; i++)
        shape = cells.c[i].kind == want[i].kind && cells.c[i].src == want[i].src &&
                cells.c[i].tgt == want[i].tgt && cells.c[i].tt.n == want[i].n;
    CHECK(shape, "cells: kinds, order and counts");
    if (shape) {
        /* family {self, pair}: p of self ZNF, pair AP1>ZNF (n=1, p=1), pair ZNF>AP1 */
        double p3[3] = { cells.c[0].tt.p, cells.c[1].tt.p, cells.c[2].tt.p }, q3[3];
        cm_bh(p3, 3, q3);
        CHECK(cells.c[0].q == q3[0] && cells.c[1].q == 1 && cells.c[2].q == q3[2], "cells: BH family self+pair (m = 3)");
        CHECK(cells.c[3].q == cells.c[3].tt.p, "cells: homotypic is its own BH family (m = 1)");
        double p2[2] = { cells.c[4].tt.p, cells.c[5].tt.p }, q2[2];
        cm_bh(p2, 2, q2);
        CHECK(cells.c[4].q == q2[0] && cells.c[5].q == q2[1], "cells: interaction is its own BH family (m = 2)");
        CHECK(cells.c[1].masked == 1 && cells.c[0].masked == (cells.c[0].q > 0.05), "cells: masked = q > alpha");
        double zv[3] = { -0.5, -0.7, -0.4 };
        cm_ttest_t r;
        cm_ttest1(zv, 3, &r);
        CHECK(r.p == cells.c[0].tt.p && r.mean == cells.c[0].tt.mean, "cells: self cell = t-test of delta_source");
    }
    char *s = memwrite(1, &cells, &ef);
    char want_m[256];
    {   /* shown scores exactly as printed; masked and untested cells empty */
        char a[32] = "", b[32] = "";
        if (!cells.c[2].masked) snprintf(a, sizeof a, "%.6g", cells.c[2].tt.score);
        if (!cells.c[0].masked) snprintf(b, sizeof b, "%.6g", cells.c[0].tt.score);
        snprintf(want_m, sizeof want_m, "# prov line\nsource_tf\tAP1\tZNF\nAP1\t\t\nZNF\t%s\t%s\n", a, b);
    }
    CHECK_STR(s, want_m, "matrix TSV: masked/untested cells empty, diagonal = self (AP1 row kept: its pair cell is tested, masked)");
    free(s);
    s = memwrite(0, &cells, &ef);
    {
        const char *head = "source_tf\ttarget_tf\tkind\tn\tmean\tsd\tt\tp\tscore\tq\tmasked"
                           "\ttest\tfamily\tci_low\tci_high\tcohens_d\nZNF\tZNF\tself\t3\t";
        CHECK(strncmp(s, head, strlen(head)) == 0, "long TSV: header and first row");
    }
    /* n = 1: empty sd, t, CI and d; test and family appended */
    CHECK(strstr(s, "AP1\tZNF\tpair\t1\t0.05\t\t\t1\t0\t1\t1\tt\tmap\t\t\t\n") != NULL, "long TSV: n = 1 row (empty sd and t, p = 1)");
    /* homotypic AP1>AP1: -0.2, -0.3: mean -0.25, sd 0.1/sqrt 2, t975(1 df) = 12.7062047361747,
     * CI -0.25 -+ 12.7062047361747 * 0.05 = [-0.885310, 0.385310], d = -0.25 / 0.0707107 */
    CHECK(strstr(s, "\thomotypic\t-0.88531\t0.38531\t-3.53553\n") != NULL, "long TSV: homotypic family, CI and d columns");
    free(s);
    /* by hand from the rows above, bins of 50 bp: pair [0,50) ZNF>AP1 at 10 (0.3);
     * [50,100) AP1>ZNF at 70 (0.05); [100,150) ZNF>AP1 at 120, 130 (0.2, 0.25: mean
     * 0.225, sd 0.05/sqrt 2, interactions 0.01, 0.03); homotypic [50,100) AP1>AP1 at
     * 60, 70 (-0.2, -0.3: sd 0.1/sqrt 2; interactions 0.02, 0.04) */
    s = memwrite(2, &cells, &ef);
    CHECK_STR(s, "kind\tbin_start\tbin_end\tn\tmean_delta_target\tsd_delta_target\tmean_abs_delta_target\tn_interaction\tmean_interaction\n"
                 "pair\t0\t50\t1\t0.3\t\t0.3\t0\t\n"
                 "pair\t50\t100\t1\t0.05\t\t0.05\t0\t\n"
                 "pair\t100\t150\t2\t0.225\t0.0353553\t0.225\t2\t0.02\n"
                 "homotypic\t50\t100\t2\t-0.25\t0.0707107\t0.25\t2\t0.03\n", "distance profile");
    free(s);
    /* ZNF: self |-0.5|, |-0.7|, |-0.4| -> 1.6/3; pairs as source 0.2, 0.3, 0.25 -> 0.25.
     * AP1: no self rows (last); pairs -0.2, -0.3, 0.05 -> 0.55/3 */
    s = memwrite(3, &cells, &ef);
    CHECK_STR(s, "tf\tn_self\tmean_abs_self\tn_pair\tmean_abs_target_effect\n"
                 "ZNF\t3\t0.533333\t3\t0.25\n"
                 "AP1\t0\t\t3\t0.183333\n", "TF ranking");
    free(s);
    cm_cells_free(&cells);
    cm_effects_free(&ef);

    {   /* --square matters when a TF is only ever a target: cells of a hand-made table */
        char *tf[3] = { "AP1", "NFY", "ZNF" };
        cm_effects_t e3 = { .tf = tf, .n_tf = 3 };
        cm_cell_t cc[2] = { { .kind = CM_CELL_SELF, .src = 2, .tgt = 2 },
                            { .kind = CM_CELL_PAIR, .src = 2, .tgt = 0 } };
        cc[0].tt.score = -4; cc[1].tt.score = 2.5;
        cm_cells_t c3 = { cc, 2 };
        s = memwrite(1, &c3, &e3);
        CHECK_STR(s, "# prov line\nsource_tf\tAP1\tZNF\nZNF\t2.5\t-4\n", "matrix TSV: only tested rows and columns");
        free(s);
        s = memwrite(4, &c3, &e3);
        CHECK_STR(s, "# prov line\nsource_tf\tAP1\tNFY\tZNF\nAP1\t\t\t\nNFY\t\t\t\nZNF\t2.5\t\t-4\n",
                  "matrix TSV, square: every TF on both axes");
        free(s);
    }

    /* ---- reader errors: FILE:LINE and the column ---- */
    static const struct { const char *name, *text; int line; const char *what; } bad[] = {
        { "missing column names file:line and column",
          "# x\nkind\tsource_tf\ttarget_tf\tdistance\thomotypic\tdelta_source\tdelta_target\n", 2,
          "missing column 'interaction'" },
        { "non-numeric value", HDR "self\ts1\tZNF\t\t\t\tabc\t\t\tx\n", 2, "'delta_source': 'abc'" },
        { "NaN value", HDR "self\ts1\tZNF\t\t\t\t-0.5\t\t\tx\npair\tp\tZNF\tAP1\t10\t0\t0\tnan\t\tx\n", 3,
          "'delta_target': 'nan'" },
        { "bad kind", HDR "both\ts1\tZNF\t\t\t\t-0.5\t\t\tx\n", 2, "'kind'" },
        { "homotypic not 0/1", HDR "pair\tp\tZNF\tAP1\t10\t2\t0\t0.1\t\tx\n", 2, "'homotypic'" },
        { "negative distance", HDR "pair\tp\tZNF\tAP1\t-5\t0\t0\t0.1\t\tx\n", 2, "'distance'" },
        { "pair row without target", HDR "pair\tp\tZNF\t\t10\t0\t0\t0.1\t\tx\n", 2, "'target_tf'" },
        { "short row", HDR "self\ts1\tZNF\t-0.5\n", 2, "fields" },
        { "distance beyond 1e9", HDR "pair\tp\tZNF\tAP1\t1e308\t0\t0\t0.1\t\tx\n", 2, "'distance': '1e308' is not a number in [0, 1e9]" },
        { "value beyond 1e100", HDR "self\ts1\tZNF\t\t\t\t-2e100\t\t\tx\n", 2, "out of range (|value| <= 1e+100)" },
        { "repeated (kind, pair_id)", HDR "self\ts1\tZNF\t\t\t\t-0.5\t\t\tx\npair\ts1\tZNF\tAP1\t10\t0\t0\t0.1\t\tx\n"
          "self\ts1\tAP1\t\t\t\t-0.5\t\t\tx\n", 4, "self row 's1' repeats " },
        { "long row", HDR "self\ts1\tZNF\t\t\t\t-0.5\t\t\tx\ty\n", 2, "fields" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(name, sizeof name, "error: %s", bad[i].name);
        CHECK(read_text(bad[i].text, &ef, &err, path) == -1 && err_has(&err, path, bad[i].line, bad[i].what), name);
        cm_effects_free(&ef);
    }
    CHECK(read_text("# only comments\n", &ef, &err, path) == -1 && strstr(err.msg, "no header") != NULL,
          "error: no header line");
    cm_effects_free(&ef);
    {   /* the same rows read twice into one set: the second file's first row repeats the first */
        char p2[64];
        strcpy(p2, check_tmpfile(HDR "self\ts1\tZNF\t\t\t\t-0.5\t\t\tx\n"));
        cm_effects_init(&ef);
        int r1 = cm_effects_read(p2, &ef, &err), r2 = cm_effects_read(p2, &ef, &err);
        char want[160];
        snprintf(want, sizeof want, "%s:2: self row 's1' repeats %s:2 (", p2, p2);
        CHECK(r1 == 0 && r2 == -1 && strstr(err.msg, want) == err.msg, "error: one file read twice into a set");
        unlink(p2);
        cm_effects_free(&ef);
    }
    {   /* the profile holds only the bins with rows: distances of 0 and 1e9 bp, bins of 1 bp */
        CHECK(read_text(HDR "pair\tp1\tZNF\tAP1\t1e9\t0\t0\t0.5\t\tx\npair\tp2\tZNF\tAP1\t0\t0\t0\t0.25\t\tx\n",
                        &ef, &err, path) == 0, "profile: rows 1e9 bp apart read");
        cm_effects_finish(&ef);
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        cm_write_profile(fp, &ef, 1, NULL);
        fclose(fp);
        CHECK(strstr(buf, "\npair\t0\t1\t1\t0.25\t\t0.25\t0\t\npair\t1000000000\t1000000001\t1\t0.5\t\t0.5\t0\t\n") != NULL,
              "profile: two bins, 1e9 bp apart, in order");
        free(buf);
        cm_effects_free(&ef);
    }

    /* ---- SVG ---- */
    char c[8];
    CHECK_STR(cm_svg_colour(0, 3, c), "#ffffff", "colour: 0 = white");
    CHECK_STR(cm_svg_colour(3, 3, c), "#b2182b", "colour: +lim = red");
    CHECK_STR(cm_svg_colour(-9, 3, c), "#2166ac", "colour: below -lim clamps to blue");
    CHECK_STR(cm_svg_colour(-1.5, 3, c), "#90b3d6", "colour: -lim/2 halfway blue-white");
    {
        const char *names[2] = { "A&B", "<C>" };
        double sc[4] = { -2, 1, NAN, 0 };
        unsigned char st[4] = { CM_SVG_SHOWN, CM_SVG_SHOWN, CM_SVG_MASKED, CM_SVG_UNTESTED };
        cm_svg_opts_t o = { .title = "t\"q", .show_values = -1, .prov = "cmd --x" };
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        int rows[2] = { 0, 1 }, cols[2] = { 0, 1 };
        CHECK(cm_svg_heatmap(fp, names, 2, rows, 2, cols, 2, sc, st, &o, &err) == 0, "svg written");
        fclose(fp);
        CHECK(strstr(buf, ">A&amp;B</text>") && strstr(buf, ">&lt;C&gt;</text>") && !strstr(buf, "<C>"),
              "svg: TF names escaped");
        CHECK(strstr(buf, "t&quot;q") != NULL && strstr(buf, "<!-- cmd - -x -->") != NULL, "svg: title escaped, provenance comment");
        CHECK(strstr(buf, "fill=\"#2166ac\"") && strstr(buf, "url(#hatch)") && strstr(buf, "masked (q &gt; 0.05)"),
              "svg: limit colour, masked hatch and legend");
        CHECK(strstr(buf, ">-2.0</text>") && strstr(buf, ">1.0</text>"), "svg: cell values printed for small maps");
        free(buf);
    }
    CHECK(cm_svg_heatmap(stdout, NULL, -1, NULL, 0, NULL, 0, NULL, NULL, NULL, &err) == -1, "svg: negative n rejected");
    {
        int bad[1] = { 5 };
        CHECK(cm_svg_heatmap(stdout, NULL, 2, bad, 1, bad, 1, NULL, NULL, NULL, &err) == -1, "svg: out-of-range row rejected");
        /* rectangular: 1 row x 3 columns; the self outline sits where row TF = column TF */
        const char *names[3] = { "A", "B", "C" };
        double sc[9] = { 0, 0, 0, 1, -1, 2, 0, 0, 0 };
        unsigned char st[9] = { 0, 0, 0, CM_SVG_SHOWN, CM_SVG_SHOWN, CM_SVG_SHOWN, 0, 0, 0 };
        int rows[1] = { 1 }, cols[3] = { 0, 1, 2 };
        cm_svg_opts_t o = { .show_values = 1 };
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        CHECK(cm_svg_heatmap(fp, names, 3, rows, 1, cols, 3, sc, st, &o, &err) == 0, "svg: rectangular map written");
        fclose(fp);
        const char *d = strstr(buf, "<g id=\"diagonal\"");
        int nrect = 0;
        for (const char *q = d; q && (q = strstr(q + 1, "<rect")) && q < strstr(d, "</g>");) nrect++;
        CHECK(d && nrect == 1, "svg: one self outline in a 1 x 3 map");
        const char *rl = strstr(buf, "<g id=\"row-labels\""), *rle = rl ? strstr(rl, "</g>") : NULL;
        int nlab = 0, has_b = 0;
        for (const char *q = rl; q && (q = strstr(q + 1, "<text")) && q < rle; nlab++)
            has_b |= strncmp(strchr(q, '>'), ">B</text>", 9) == 0;
        CHECK(strstr(buf, ">-1.0</text>") && strstr(buf, ">2.0</text>") && rle && nlab == 1 && has_b,
              "svg: only row B is labelled on the rows");
        free(buf);
    }
    return check_status();
}
