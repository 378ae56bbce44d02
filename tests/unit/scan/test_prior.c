/* Unit tests for prior.c (FIMO's --psp / --prior-dist / --alpha) on the hand-derived fixture
 * of tests/scan_prior.bats: motif row A C G T = 0.7 0.1 0.1 0.1 without pseudocount under a
 * uniform background, distribution #min 0.01 #max 0.4 with bins 0.75 0.25:
 *   offset floor(min(-1.321928, lo(0.01) = -6.629357)) = -7, scale floor(1000/8.485427) = 117,
 *   cells nint(8.485427*117) = 993 and nint(5.678072*117) = 664;
 *   prior bins at indices 590 (0.75) and 884 (0.25) (priors 0.205 and 0.595);
 *   S' = bin + cell: 1254 .5625, 1548 .1875, 1583 .1875, 1877 .0625, so
 *   pv[0] = 1, pv[1255] = pv[1548] = .4375, pv[1549] = pv[1583] = .25, pv[1584] = pv[1877] =
 *   .0625, pv[1878] = 0;
 *   window A with prior 0.3: S' = nint(993 + (7 + log2(0.3/0.7))*117) = nint(1668.98) = 1669. */
#include "check.h"
#include "motif/pssm.h"
#include "scan/prior.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *tmp_file(const char *name, const char *text)
{
    static char path[4][256];
    static int i;
    char *p = path[i++ % 4];
    snprintf(p, 256, "%s/%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
    return p;
}

int main(void)
{
    cm_err_t err = {{0}};
    cm_prior_dist_t d;
    const char *dp = tmp_file("coopmap_test_prior.dist", "#min 0.01000\n#max 0.40000\n#median 0.10000\n0.75000\n0.25000\n");
    CHECK(cm_prior_dist_read(dp, &d, &err) == 0 && d.n == 2, "distribution read");
    CHECK_NEAR(d.scale, 1 / 0.39, 1e-12, 0, "bin scale (n-1)/(max-min)");
    double L[4] = {log(0.7 / 0.25) * CM_LOG2_FIMO, log(0.4) * CM_LOG2_FIMO, log(0.4) * CM_LOG2_FIMO,
                   log(0.4) * CM_LOG2_FIMO};
    int Z[4];
    double off, sc;
    cm_prior_quantise(L, 1, &d, 1.0, 1000, Z, &off, &sc);
    CHECK(off == -7 && sc == 117, "scaling includes the priors' log-odds range");
    CHECK(Z[0] == 993 && Z[1] == 664 && Z[3] == 664, "cells 993 and 664");
    double bg[4] = {0.25, 0.25, 0.25, 0.25}, *pv;
    int npv;
    cm_prior_pv(Z, 1, bg, &d, 1.0, 1000, sc, off, &pv, &npv);
    CHECK(npv == 2001, "table of (w + 1) * 1000 + 1 entries");
    CHECK_NEAR(pv[0], 1, 1e-15, 0, "pv[0]");
    CHECK_NEAR(pv[1254], 1, 1e-15, 0, "pv[1254]");
    CHECK_NEAR(pv[1255], 0.4375, 1e-15, 0, "pv[1255]");
    CHECK_NEAR(pv[1548], 0.4375, 1e-15, 0, "pv[1548]");
    CHECK_NEAR(pv[1549], 0.25, 1e-15, 0, "pv[1549]");
    CHECK_NEAR(pv[1584], 0.0625, 1e-15, 0, "pv[1584]");
    CHECK_NEAR(pv[1877], 0.0625, 1e-15, 0, "pv[1877]");
    CHECK(pv[1878] == 0, "pv past the top is 0");
    CHECK(cm_prior_adjust(993, 1, sc, off, cm_prior_log_odds(0.3, 1), npv) == 1669, "S' at prior 0.3");
    CHECK(cm_prior_adjust(664, 1, sc, off, cm_prior_log_odds(0.05, 1), npv) == 986, "S' at prior 0.05");
    CHECK(cm_prior_adjust(993, 1, sc, off, cm_prior_log_odds(0, 1), npv) == 0, "prior 0: clamped to 0");
    CHECK(cm_prior_adjust(993, 1, sc, off, cm_prior_log_odds(1, 1), npv) == 0,
          "prior 1 at alpha 1: an infinite log-odds converts out of range, clamped to 0 as on x86");
    free(pv);

    /* PSP: records in order, coordinates, values per position */
    cm_psp_t psp;
    const char *pp = tmp_file("coopmap_test_prior.psp", "junk before\n>chr2:101-104 x\n0.1 0.2\n 0.3\n>b:c d\n1 0\n");
    CHECK(cm_psp_read(pp, 1, &psp, &err) == 0 && psp.n == 2, "PSP read");
    CHECK_STR(psp.s[0].name, "chr2", "UCSC header: the chromosome");
    CHECK(psp.s[0].start == 100 && psp.s[0].n == 3, "START - 1 and three values");
    CHECK_STR(psp.s[1].name, "b", "no coordinates: the name stops at ':'");
    CHECK(cm_psp_value(&psp.s[0], 101) == 0.1 && cm_psp_value(&psp.s[0], 103) == 0.3, "value of position x");
    CHECK(cm_psp_value(&psp.s[0], 100) < 0 && cm_psp_value(&psp.s[0], 104) < 0, "no value outside the record");
    CHECK(psp.pmax == 1, "largest prior");
    cm_psp_free(&psp);
    CHECK(cm_psp_read(pp, 0, &psp, &err) == 0, "PSP read without pgc");
    CHECK_STR(psp.s[0].name, "chr2:101-104", "no pgc: the first word");
    CHECK(psp.s[0].start == 0, "no pgc: positions from 1");
    cm_psp_free(&psp);
    pp = tmp_file("coopmap_test_prior2.psp", ">s\n0.1\n0.5 -0.2\n");
    CHECK(cm_psp_read(pp, 1, &psp, &err) == -1 && strstr(err.msg, "coopmap_test_prior2.psp:3: '-0.2'"),
          "bad prior names FILE:LINE");
    cm_prior_dist_free(&d);
    dp = tmp_file("coopmap_test_prior2.dist", "#min 0.01\n#median 0.1\n");
    CHECK(cm_prior_dist_read(dp, &d, &err) == -1 && strstr(err.msg, ":2: expected '#max VALUE'"),
          "distribution without #max names the line");
    return check_status();
}
