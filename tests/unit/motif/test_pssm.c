/* Unit tests for pssm.c (FIMO integer PSSM and exact p-values) and the parts of scan.c
 * that can be checked by hand (header coordinates, the window loop). */
#include "check.h"
#include "motif/background.h"
#include "motif/pssm.h"
#include "scan/scan.h"
#include "core/dna.h"
#include <stdlib.h>

/* Collect hits of cm_scan_range as "start0 strand score;" text. */
typedef struct { char s[512]; } acc_t;
static void acc_emit(void *d, size_t start0, char strand, int iscore)
{
    acc_t *a = d;
    size_t n = strlen(a->s);
    snprintf(a->s + n, sizeof a->s - n, "%zu%c%d;", start0, strand, iscore);
}

int main(void)
{
    cm_err_t err = {{0}};
    char name[128];

    /* ---- hand-derived 2-column motif under a uniform background, no pseudocount ----
     * col 1: A .5  C .25  G .125 T .125  => log2-odds  1  0 -1 -1
     * col 2: A .125 C .125 G .5  T .25   => log2-odds -1 -1  1  0
     * With FIMO's constant ln(x)·1.44269504, log2(2) = 0.9999999976 and
     * log2(1/2) = -0.9999999976, so offset = floor(-0.99999...) = -1,
     * scale = floor(1000 / 1.9999999976) = 500, M = nint((L + 1)·500):
     * col 1: 1000 500 0 0;  col 2: 0 0 1000 500. */
    double f[8] = {.5, .25, .125, .125, .125, .125, .5, .25};
    cm_motif_t m = {0};
    m.id = "hand"; m.alt = ""; m.w = 2; m.nsites = 20; m.freq = f; m.lineno = 3;
    double uni[4] = {.25, .25, .25, .25};
    cm_pssm_t p, rc;
    CHECK(cm_pssm_build(&m, "x.meme", uni, 0.0, CM_PSSM_RANGE, &p, &err) == 0, "hand motif builds");
    int want[8] = {1000, 500, 0, 0, 0, 0, 1000, 500};
    int same = 1;
    for (int i = 0; i < 8; i++) same &= p.mat[i] == want[i];
    CHECK(same, "integer matrix 1000 500 0 0 / 0 0 1000 500");
    CHECK(p.offset == -1.0, "offset = floor(min L) = -1");
    CHECK(p.scale == 500.0, "scale = floor(1000/(max L - offset)) = 500");
    CHECK(p.max_score == 2000, "max score 2000");
    /* Null pmf (each letter 1/4): col 1 gives 1000 w.p. 1/4, 500 w.p. 1/4, 0 w.p. 1/2;
     * col 2 the same.  P(S=2000)=1/16, P(1500)=2/16, P(1000)=5/16, P(500)=4/16, P(0)=4/16. */
    CHECK(p.pv[2000] == 1.0 / 16, "p(2000) = 1/16");
    CHECK(p.pv[1999] == 1.0 / 16, "p(1999) = 1/16 (no mass between)");
    CHECK(p.pv[1500] == 3.0 / 16, "p(1500) = 3/16");
    CHECK(p.pv[1001] == 3.0 / 16, "p(1001) = 3/16");
    CHECK(p.pv[1000] == 8.0 / 16, "p(1000) = 8/16");
    CHECK(p.pv[500] == 12.0 / 16, "p(500) = 12/16");
    CHECK(p.pv[0] == 1.0, "p(0) = 1");
    CHECK(cm_pssm_pvalue(&p, 2001) == 0 && cm_pssm_pvalue(&p, -5) == 1, "p outside the table");
    CHECK(cm_pssm_score(&p, 2000) == 2.0, "score(2000) = 2000/500 + 2*(-1) = 2");
    CHECK(cm_pssm_score(&p, 1500) == 1.0, "score(1500) = 1");
    CHECK(cm_pssm_score(&p, 1001) == 0.002, "score(1001) = 0.002");
    CHECK(cm_pssm_min_score(&p, 0.1875) == 1001, "thresh 3/16 inclusive -> min score 1001");
    CHECK(cm_pssm_min_score(&p, 0.1874) == 1501, "thresh just under 3/16 -> 1501");
    CHECK(cm_pssm_min_score(&p, 0.0625) == 1501, "thresh 1/16 -> 1501");
    CHECK(cm_pssm_min_score(&p, 0.06) == 2001, "thresh under 1/16 -> none (max+1)");
    CHECK(cm_pssm_min_score(&p, 1.0) == 0, "thresh 1 -> every window");

    /* reverse complement: rc[i][a] = fwd[w-1-i][3-a] => 500 1000 0 0 / 0 0 500 1000 */
    cm_pssm_revcomp(&p, uni, &rc);
    int wrc[8] = {500, 1000, 0, 0, 0, 0, 500, 1000};
    same = 1;
    for (int i = 0; i < 8; i++) same &= rc.mat[i] == wrc[i];
    CHECK(same, "reverse-complement matrix");
    CHECK(rc.pv[1500] == 3.0 / 16 && rc.offset == -1 && rc.scale == 500, "rc table and scaling");

    /* window loop on "ACGTNAGGAC" (codes), threshold p <= 3/16 (score >= 1001):
     * '+' windows: AC=1000 CG=1500 GT=500 [TN,NA skipped] AG=2000 GG=1000 GA=0 AC=1000
     * '-' windows (rc matrix): AC=500 CG=1500 GT=1000 AG=1000 GG=500 GA=0 AC=500
     * passing: 1+1500, 1-1500, 5+2000 */
    {
        const char *txt = "ACGTNAGGAC";
        unsigned char codes[16];
        size_t n = strlen(txt);
        for (size_t i = 0; i < n; i++) codes[i] = cm_nt4((unsigned char)txt[i]);
        cm_scanner_t sc = {0};
        int mf = 1001, mr = 1001;
        sc.n = 1; sc.motifs = &m; sc.fwd = &p; sc.rc = &rc; sc.min_fwd = &mf; sc.min_rc = &mr;
        acc_t a = {{0}};
        cm_scan_range(&sc, 0, codes, n, 0, n, acc_emit, &a);
        CHECK_STR(a.s, "1+1500;1-1500;5+2000;", "scan_range: hits, N windows skipped");
        a.s[0] = 0;
        cm_scan_range(&sc, 0, codes, n, 2, 6, acc_emit, &a);
        CHECK_STR(a.s, "5+2000;", "scan_range: sub-range of window starts");
        sc.norc = 1;
        a.s[0] = 0;
        cm_scan_range(&sc, 0, codes, n, 0, n, acc_emit, &a);
        CHECK_STR(a.s, "1+1500;5+2000;", "scan_range: norc gives + only");
    }
    cm_pssm_free(&rc);
    cm_pssm_free(&p);
    CHECK(p.mat == NULL && p.pv == NULL, "free zeroes");

    /* zero probability without pseudocount -> error naming file:line and motif */
    double fz[4] = {1, 0, 0, 0};
    cm_motif_t mz = {0};
    mz.id = "zero"; mz.alt = ""; mz.w = 1; mz.nsites = 20; mz.freq = fz; mz.lineno = 7;
    CHECK(cm_pssm_build(&mz, "z.meme", uni, 0.0, CM_PSSM_RANGE, &p, &err) == -1 &&
          strncmp(err.msg, "z.meme:7: motif zero", 20) == 0, "zero frequency, pseudo 0 -> error");

    /* log2 with FIMO's constant (COMPAT.md item 3): ln(2)·1.44269504, not exactly 1 */
    {
        double L2[4];
        CHECK(cm_log_odds((double[]){.5, .25, .125, .125}, 1, uni, L2) == 0, "log-odds of one column");
        CHECK(L2[0] == log(2.0) * 1.44269504 && L2[0] < 1 && L2[0] > 0.9999999975,
              "log2(2) = ln 2 * 1.44269504 = 0.99999999757");
        CHECK(L2[1] == 0 && L2[2] == log(0.5) * 1.44269504, "log2(1) = 0, log2(1/2)");
    }

    /* ---- NRDB background finished for both strands ---- */
    double bg[4];
    CHECK(cm_bg_resolve(NULL, NULL, bg, &err) == 0, "NRDB resolves");
    cm_bg_finish(bg, 1);
    /* (0.281774 + 0.267330)/2 = 0.274552; (+5e-7)/1.000002 = 0.27455195... */
    CHECK_NEAR(bg[0], 0.2745525 / 1.000002, 1e-15, 0, "NRDB A finished");
    CHECK_NEAR(bg[0], 0.274552, 1e-6, 0, "NRDB A = T ~ 0.274552");
    CHECK(bg[0] == bg[3] && bg[1] == bg[2], "symmetric");
    CHECK_NEAR(bg[1], 0.225448, 1e-6, 0, "NRDB C = G ~ 0.225448");

    /* ---- exact p-values vs brute-force enumeration, asymmetric background ---- */
    {
        double f5[20] = {.7, .1, .1, .1,  .05, .05, .85, .05,  .25, .25, .25, .25,
                         .1, .6, .2, .1,  .3, .0, .0, .7};
        cm_motif_t m5 = {0};
        m5.id = "m5"; m5.alt = ""; m5.w = 5; m5.nsites = 13.9; m5.freq = f5;
        double b5[4] = {.3, .2, .2, .3};
        cm_bg_finish(b5, 0);
        CHECK(cm_pssm_build(&m5, NULL, b5, 0.1, CM_PSSM_RANGE, &p, &err) == 0, "5-col motif builds");
        /* pseudocount uses n = (int)13.9 = 13: cell (4,C) = 0.1·b[C]/13.1 > 0 */
        double fp[20];
        cm_motif_pseudocount(&m5, b5, 0.1, fp);
        CHECK(fp[4 * 4 + 1] == 0.1 * b5[1] / 13.1 && fp[0] == (0.7 * 13 + 0.1 * b5[0]) / 13.1,
              "pseudocount with n = (int)13.9 = 13");
        double *pmf = calloc((size_t)p.max_score + 1, sizeof *pmf);
        for (int x = 0; x < 1024; x++) {
            int s = 0;
            double pr = 1;
            for (int i = 0; i < 5; i++) {
                int a = (x >> (2 * i)) & 3;
                s += p.mat[i * 4 + a];
                pr *= b5[a];
            }
            pmf[s] += pr;
        }
        double tail = 0, maxdiff = 0;
        int mono = 1;
        for (int s = p.max_score; s >= 0; s--) {
            tail += pmf[s];
            double d = fabs(tail - p.pv[s]);
            if (d > maxdiff) maxdiff = d;
            if (s < p.max_score && p.pv[s] < p.pv[s + 1]) mono = 0;
        }
        CHECK(maxdiff < 1e-13, "table p-values equal brute-force tail sums");
        CHECK(mono, "p-values non-increasing in score");
        CHECK(p.pv[0] <= 1.0 && cm_pssm_pvalue(&p, 0) == 1.0, "p(0) <= 1, reported as 1");
        /* the best window by hand: the unique best letter of columns 1, 2, 4, 5 is
         * A, G, C, T (frequency .7, .85, .6, .7); column 3 (.25 each) scores C and G
         * alike (log(f'/.2) > log(f'/.3)), so P(best) = b[A]·b[G]·(b[C] + b[G])·b[C]·b[T]
         * ≈ .3·.2·.4·.2·.3 = 0.00144 */
        CHECK_NEAR(p.pv[p.max_score], b5[0] * b5[2] * (b5[1] + b5[2]) * b5[1] * b5[3], 0, 1e-12,
                   "best window p = b[A] b[G] (b[C]+b[G]) b[C] b[T]");
        int ms = cm_pssm_min_score(&p, 1e-2);
        snprintf(name, sizeof name, "min score %d: first score with p <= 1e-2", ms);
        CHECK(ms <= p.max_score && cm_pssm_pvalue(&p, ms) <= 1e-2 &&
              (ms == 0 || cm_pssm_pvalue(&p, ms - 1) > 1e-2), name);
        CHECK(cm_pssm_min_score(&p, 1e-3) == p.max_score + 1, "no window reaches p <= 1e-3");
        free(pmf);
        cm_pssm_free(&p);
    }

    /* ---- 10 significant digits ---- */
    CHECK(cm_round_sig(1.23456789012345, 10) == 1.234567890, "round 1.23456789012345");
    CHECK(cm_round_sig(1.00000000004e-4, 10) == 1e-4, "1.00000000004e-4 -> 1e-4 (passes 1e-4)");
    CHECK(cm_round_sig(9.99999999951e-5, 10) == 1e-4, "9.99999999951e-5 rounds up to 1e-4");
    CHECK(cm_round_sig(1.0000000006e-4, 10) == 1.000000001e-4, "1.0000000006e-4 -> 1.000000001e-4");
    CHECK(cm_round_sig(1.00000000006e-4, 10) == 1e-4, "1.00000000006e-4 -> 1e-4");
    CHECK(cm_round_sig(-2.5e-300, 10) == -2.5e-300 && cm_round_sig(0, 10) == 0, "tiny and zero");

    /* ---- header coordinates (COMPAT.md item 9) ---- */
    char *chrom;
    long off;
    CHECK(cm_parse_coords("chr1:100-200", "", &chrom, &off) == 1 && off == 99, "UCSC offset 99");
    CHECK_STR(chrom, "chr1", "UCSC chrom");
    free(chrom);
    CHECK(cm_parse_coords("peak7", "from chrX:1001-2000 strand +", &chrom, &off) == 1 && off == 1000,
          "coordinates in the description");
    CHECK_STR(chrom, "chrX", "description chrom");
    free(chrom);
    CHECK(cm_parse_coords("hg19_chr2_500_600", "", &chrom, &off) == 1 && off == 499, "Galaxy offset");
    CHECK_STR(chrom, "hg19_chr2", "Galaxy name: genome and chrom fields, as FIMO names it");
    free(chrom);
    CHECK(cm_parse_coords("chr22_16050000_22000000", "x", &chrom, &off) == 0 && off == 0,
          "three-field name is not Galaxy");
    CHECK_STR(chrom, "chr22_16050000_22000000", "unparsed name kept");
    free(chrom);

    return check_status();
}
