/* test_patterns.c — c/patterns/: smoothing, the FDR threshold, seqlet calls, the
 * cross-correlation similarity, Louvain on a toy graph, the saturation reader.  Every
 * expected value is derived by hand in the comment beside it. */
#include "check.h"
#include "patterns/louvain.h"
#include "patterns/pattern.h"
#include "patterns/seqlet.h"
#include "patterns/sim.h"
#include "patterns/track.h"
#include "seq/genome.h"

static void test_window_sums(void)
{
    float x[5] = {1, 2, 3, 4, 5};
    double o[5];
    int m = cm_pat_window_sums(x, 5, 3, o);
    /* 1+2+3, 2+3+4, 3+4+5 */
    CHECK(m == 3 && o[0] == 6 && o[1] == 9 && o[2] == 12, "window sums of 1..5, w 3: 6 9 12");
    CHECK(cm_pat_window_sums(x, 2, 3, o) == 0, "region shorter than the window: no windows");
}

static void test_fdr(void)
{
    /* obs 5 4 3 2 1 0 −1 (7 windows), null 14 windows: 3.5 2.5 0.5 0×7 −1 −1 −2 −3.
     * FDR(v) = #null>=v · (7/14) / #obs>=v: FDR(5) = 0, FDR(4) = 0, FDR(3) = 1·0.5/3 =
     * 0.1667, FDR(2) = 2·0.5/4 = 0.25, FDR(1) = 2·0.5/5 = 0.2. */
    double obs[7] = {1, 0, 5, -1, 3, 2, 4};
    double nul[14] = {0, 0, 3.5, 0, 0, -1, 2.5, 0, -3, 0, 0.5, -1, -2, 0};
    double o2[7], n2[14];
    memcpy(o2, obs, sizeof obs), memcpy(n2, nul, sizeof nul);
    CHECK_NEAR(cm_pat_fdr_threshold(o2, 7, n2, 14, 7, 14, 0.2), 1, 0, 0, "alpha 0.2: threshold 1 (FDR(1) = 0.2)");
    memcpy(o2, obs, sizeof obs), memcpy(n2, nul, sizeof nul);
    CHECK_NEAR(cm_pat_fdr_threshold(o2, 7, n2, 14, 7, 14, 0.19), 3, 0, 0, "alpha 0.19: threshold 3 (FDR 0.1667)");
    memcpy(o2, obs, sizeof obs), memcpy(n2, nul, sizeof nul);
    CHECK_NEAR(cm_pat_fdr_threshold(o2, 7, n2, 14, 7, 14, 0.01), 4, 0, 0, "alpha 0.01: threshold 4 (FDR 0)");
    double z[3] = {0, -1, -2}, zn[3] = {0, 0, 0};
    CHECK(cm_pat_fdr_threshold(z, 3, zn, 3, 3, 3, 1) == HUGE_VAL, "no positive window: nothing passes");
}

static void test_seqlets(void)
{
    /* A constant track: every permutation equals it, so the null equals the observed
     * windows and FDR(v) = 1 for every v.  With alpha 1 every window passes (v = W = 3),
     * all tied: the greedy takes the valid cores i = F = 2, 5, 8, ..., 23 (i <= 30 − W − F
     * = 25, cores 3 apart): 8 seqlets starting at i − F = 0, 3, ..., 21.  With alpha 0.99
     * none passes.  The negated track gives the same seqlets for sign −1, none for +1. */
    float imp[30];
    uint8_t seq[30];
    for (int i = 0; i < 30; i++) imp[i] = 1, seq[i] = (uint8_t)(i % 4);
    cm_pat_region_t rg = {0, 100, 30, seq, imp};
    cm_pat_track_t tr = {"H", 1, 1, &rg};
    cm_pat_seqlet_opts_t o;
    cm_pat_seqlet_opts_init(&o);
    o.window = 3, o.flank = 2, o.fdr = 1;
    cm_pat_seqlet_t *s = NULL;
    int n = 0, cap = 0, ok = 1;
    cm_pat_call_stats_t st;
    cm_pat_call_seqlets(&tr, 1, &o, 7, &s, &n, &cap, &st);
    for (int k = 0; k < n; k++) ok &= s[k].start == 3 * k && s[k].score == 3 && s[k].sign == 1;
    CHECK(n == 8 && ok, "constant track, alpha 1: 8 seqlets at 0, 3, ..., 21, score 3");
    CHECK(st.windows == 28 && st.passing == 28 && st.thresh == 3, "28 windows, all pass at threshold 3");
    n = 0;
    o.fdr = 0.99;
    cm_pat_call_seqlets(&tr, 1, &o, 7, &s, &n, &cap, &st);
    CHECK(n == 0 && st.thresh == HUGE_VAL, "constant track, alpha 0.99: no seqlets (FDR = 1)");
    for (int i = 0; i < 30; i++) imp[i] = -1;
    o.fdr = 1;
    cm_pat_call_seqlets(&tr, 1, &o, 7, &s, &n, &cap, &st);
    CHECK(n == 0, "negative track: no positive seqlets");
    cm_pat_call_seqlets(&tr, -1, &o, 7, &s, &n, &cap, &st);
    ok = 1;
    for (int k = 0; k < n; k++) ok &= s[k].start == 3 * k && s[k].score == -3 && s[k].sign == -1;
    CHECK(n == 8 && ok, "negative track: the same 8 seqlets for sign -1, score -3");
    free(s);
}

/* dense one-hot × values of a string */
static void onehot(const char *b, const float *v, float *m, uint8_t *code)
{
    int L = (int)strlen(b);
    memset(m, 0, (size_t)L * 4 * sizeof(float));
    for (int k = 0; k < L; k++) {
        int c = b[k] == 'A' ? 0 : b[k] == 'C' ? 1 : b[k] == 'G' ? 2 : 3;
        m[4 * k + c] = v[k];
        code[k] = (uint8_t)c;
    }
}

static void test_xcorr(void)
{
    /* A = AAGT with values 1 2 3 4 (norm √30), B = GTCC with 2 1 1 1 (norm √7).
     * Forward, d = −2 (A[2..3] = GT on B[0..1] = GT): 3·2 + 4·1 = 10; no other forward
     * offset matches a base.  rc(A) = ACTT with values 4 3 2 1: d = 1 gives C(3)·C(1) = 3,
     * d = 2 also 3, d = −1 T(2)·T(1) = 2, d = −2 T(1)·T(1) = 1.  Best: 10 / √210 =
     * 0.690065559 at d = −2, forward. */
    float va[4] = {1, 2, 3, 4}, vb[4] = {2, 1, 1, 1}, A[16], B[16];
    uint8_t ca[4], cb[4];
    onehot("AAGT", va, A, ca);
    onehot("GTCC", vb, B, cb);
    int d = 99, o = 99;
    double s = cm_pat_xcorr_dense(A, 4, sqrt(30), B, 4, sqrt(7), -3, 3, 0, &d, &o);
    CHECK_NEAR(s, 10 / sqrt(210), 1e-12, 0, "dense: AAGT vs GTCC = 10/sqrt(210)");
    CHECK(d == -2 && o == 0, "dense: at offset -2, forward");
    d = o = 99;
    s = cm_pat_xcorr_sparse(ca, va, 4, sqrt(30), B, 4, sqrt(7), -3, 3, &d, &o);
    CHECK_NEAR(s, 10 / sqrt(210), 1e-12, 0, "sparse: the same value");
    CHECK(d == -2 && o == 0, "sparse: the same alignment");
    /* only reverse: −norc range −1..2 excludes −2: forward max 0, rc max 3 at d = 1
     * (nearest the centre floor(1/2) = 0: d = 1 before d = 2) */
    s = cm_pat_xcorr_sparse(ca, va, 4, sqrt(30), B, 4, sqrt(7), -1, 2, &d, &o);
    CHECK_NEAR(s, 3 / sqrt(210), 1e-12, 0, "offsets -1..2: best is the reverse strand, 3/sqrt(210)");
    CHECK(d == 1 && o == 1, "reverse strand at offset 1");
    /* a seqlet against its own reverse complement: similarity 1 on '-' at d = 0 */
    float vr[4] = {4, 3, 2, 1}, R[16];
    uint8_t cr[4];
    onehot("ACTT", vr, R, cr);
    s = cm_pat_xcorr_dense(A, 4, sqrt(30), R, 4, sqrt(30), -3, 3, 0, &d, &o);
    CHECK_NEAR(s, 1, 1e-12, 0, "AAGT vs its reverse complement ACTT: 1");
    CHECK(d == 0 && o == 1, "... at offset 0 on the reverse strand");
}

static void test_knn(void)
{
    /* three seqlets of width 4: 0 = AAGT (1 2 3 4), 1 = the same, 2 = CCCC (1 1 1 1).
     * n − 1 = 2 <= ncand: every pair exact.  0's best neighbour is 1 (similarity 1);
     * CCCC shares no base with AAGT on any offset or strand? rc(CCCC) = GGGG and AAGT
     * has G at 2: 3·1 / (√30 · 2) = 0.27386 — so 2's neighbours are 0 and 1 at 0.27386
     * (tie: smaller index first). */
    uint8_t base[12] = {0, 0, 2, 3, 0, 0, 2, 3, 1, 1, 1, 1};
    float val[12] = {1, 2, 3, 4, 1, 2, 3, 4, 1, 1, 1, 1};
    double norm[3] = {sqrt(30), sqrt(30), 2};
    cm_pat_mats_t M = {3, 4, base, val, norm};
    cm_pat_knn_opts_t o;
    cm_pat_knn_opts_init(&o);
    o.k = 2;
    int nbr[6];
    float sim[6];
    long ne;
    cm_pat_knn(&M, &o, nbr, sim, &ne);
    CHECK(nbr[0] == 1 && fabs(sim[0] - 1) < 1e-6, "seqlet 0: nearest is its copy, similarity 1");
    CHECK(nbr[4] == 0 && nbr[5] == 1, "seqlet 2: neighbours 0 then 1 (tie to the smaller index)");
    CHECK_NEAR(sim[4], 3 / (sqrt(30) * 2), 1e-6, 0, "seqlet 2 to 0: 3/(2 sqrt 30) via the reverse strand");
    CHECK(ne == 6, "3 seqlets x 2 candidates: 6 exact similarities");
}

static void test_louvain(void)
{
    /* Two triangles {0,1,2} and {3,4,5} joined by edge 2–3, unit weights: m = 7.
     * Q(two triangles) = Σ_c [L_c/m − (d_c/2m)²] = 2·(3/7 − (7/14)²) = 6/7 − 1/2 =
     * 0.357142857; Q(singletons) = −Σ k_i²/(2m)² = −(4+4+9+9+4+4)/196 = −0.173469. */
    int e[7][2] = {{0, 1}, {0, 2}, {1, 2}, {2, 3}, {3, 4}, {3, 5}, {4, 5}};
    int rp[7] = {0}, col[14], fill[6];
    double w[14];
    for (int k = 0; k < 7; k++) rp[e[k][0] + 1]++, rp[e[k][1] + 1]++;
    for (int i = 0; i < 6; i++) rp[i + 1] += rp[i], fill[i] = rp[i];
    for (int k = 0; k < 7; k++) {
        col[fill[e[k][0]]] = e[k][1], w[fill[e[k][0]]++] = 1;
        col[fill[e[k][1]]] = e[k][0], w[fill[e[k][1]]++] = 1;
    }
    int lab[6];
    double Q;
    int nc = cm_pat_louvain(6, rp, col, w, 1, lab, &Q);
    CHECK(nc == 2, "two triangles: 2 communities");
    CHECK(lab[0] == 0 && lab[1] == 0 && lab[2] == 0 && lab[3] == 1 && lab[4] == 1 && lab[5] == 1,
          "communities {0,1,2} and {3,4,5}, numbered by their lowest node");
    CHECK_NEAR(Q, 6.0 / 7 - 0.5, 1e-12, 0, "modularity 6/7 - 1/2");
    int single[6] = {0, 1, 2, 3, 4, 5};
    CHECK_NEAR(cm_pat_modularity(6, rp, col, w, 1, single), -34.0 / 196, 1e-12, 0, "singletons: -34/196");
    /* resolution 0: no penalty, one community holds everything: Q = 1 */
    nc = cm_pat_louvain(6, rp, col, w, 0, lab, &Q);
    CHECK(nc == 1 && fabs(Q - 1) < 1e-12, "resolution 0: one community, Q 1");
}

static void test_reader(void)
{
    /* genome chrQ = ACGTN ACGTA; saturation rows for chrQ:1 (C) and chrQ:2 (G), heads
     * H1 and H2, then chrQ:5 (A): three regions? no — 1,2 consecutive, 5 starts a new one.
     * imp = −(1/4) Σ_{alt} delta: chrQ:1 H1 deltas −0.4 −0.4 −0.4 → 0.3; H2 0.2 0 0 → −0.05. */
    char fa[64];
    strcpy(fa, "/tmp/cm_test_pat_XXXXXX");
    int fd = mkstemp(fa);
    FILE *fp = fdopen(fd, "w");
    fputs(">chrQ\nACGTNACGTA\n", fp);
    fclose(fp);
    const char *sat = check_tmpfile(
        "# made by hand\nchrom\tpos\tref\talt\thead\tbaseline\tdelta\n"
        "chrQ\t1\tC\tA\tH1\t0.5\t-0.4\nchrQ\t1\tC\tA\tH2\t0.5\t0.2\n"
        "chrQ\t1\tC\tG\tH1\t0.5\t-0.4\nchrQ\t1\tC\tG\tH2\t0.5\t0\n"
        "chrQ\t1\tC\tT\tH1\t0.5\t-0.4\nchrQ\t1\tC\tT\tH2\t0.5\t0\n"
        "chrQ\t2\tG\tA\tH1\t0.5\t0.1\nchrQ\t2\tG\tA\tH2\t0.5\t0\n"
        "chrQ\t2\tG\tC\tH1\t0.5\t0.1\nchrQ\t2\tG\tC\tH2\t0.5\t0\n"
        "chrQ\t2\tG\tT\tH1\t0.5\t0.2\nchrQ\t2\tG\tT\tH2\t0.5\t0\n"
        "chrQ\t5\tA\tC\tH1\t0.5\t1\nchrQ\t5\tA\tC\tH2\t0.5\t0\n"
        "chrQ\t5\tA\tG\tH1\t0.5\t1\nchrQ\t5\tA\tG\tH2\t0.5\t0\n"
        "chrQ\t5\tA\tT\tH1\t0.5\t1\nchrQ\t5\tA\tT\tH2\t0.5\t0\n");
    char satp[64];
    strcpy(satp, sat);
    cm_err_t err = {{0}};
    cm_genome_t *g = cm_genome_open(fa, &err);
    CHECK(g != NULL, "genome opened");
    cm_pat_data_t d;
    int rc = cm_pat_read_saturation(satp, g, NULL, 0, &d, &err);
    CHECK(rc == 0, "saturation table read");
    if (rc == 0) {
        CHECK(d.ntrack == 2 && !strcmp(d.track[0].head, "H1") && !strcmp(d.track[1].head, "H2"),
              "heads H1, H2 in file order");
        const cm_pat_track_t *t = &d.track[0];
        CHECK(t->nreg == 2 && t->reg[0].start == 1 && t->reg[0].len == 2 && t->reg[1].start == 5 &&
              t->reg[1].len == 1, "regions chrQ:1-3 and chrQ:5-6");
        CHECK_NEAR(t->reg[0].imp[0], 0.3, 1e-7, 0, "H1 chrQ:1: -(1/4)(-1.2) = 0.3");
        CHECK_NEAR(t->reg[0].imp[1], -0.1, 1e-7, 0, "H1 chrQ:2: -(1/4)(0.4) = -0.1");
        CHECK_NEAR(t->reg[1].imp[0], -0.75, 1e-7, 0, "H1 chrQ:5: -(1/4)(3) = -0.75");
        CHECK_NEAR(d.track[1].reg[0].imp[0], -0.05, 1e-7, 0, "H2 chrQ:1: -(1/4)(0.2) = -0.05");
        CHECK(t->reg[0].seq[0] == 1 && t->reg[0].seq[1] == 2, "sequence C G from the genome");
        cm_pat_data_free(&d);
    }
    char *h2[1] = {"H2"};
    rc = cm_pat_read_saturation(satp, g, h2, 1, &d, &err);
    CHECK(rc == 0 && d.ntrack == 1 && !strcmp(d.track[0].head, "H2"), "--head H2 keeps one track");
    if (rc == 0) cm_pat_data_free(&d);
    char *hx[1] = {"HX"};
    rc = cm_pat_read_saturation(satp, g, hx, 1, &d, &err);
    CHECK(rc == -1 && strstr(err.msg, "head HX not in the file (its heads: H1,H2)"), "an unknown head is an error");
    /* ref mismatch: the genome has G at chrQ:2, the row says T (line 3) */
    const char *bad = check_tmpfile("chrom\tpos\tref\talt\thead\tbaseline\tdelta\n"
                                    "chrQ\t1\tC\tA\tH1\t0.5\t0\nchrQ\t1\tC\tG\tH1\t0.5\t0\nchrQ\t1\tC\tT\tH1\t0.5\t0\n"
                                    "chrQ\t2\tT\tA\tH1\t0.5\t0\nchrQ\t2\tT\tC\tH1\t0.5\t0\nchrQ\t2\tT\tG\tH1\t0.5\t0\n");
    char badp[64];
    strcpy(badp, bad);
    rc = cm_pat_read_saturation(badp, g, NULL, 0, &d, &err);
    char want[128];
    snprintf(want, sizeof want, "%s:5: ref T at chrQ:2 but the genome", badp);
    CHECK(rc == -1 && strstr(err.msg, want), "ref mismatch named at its line");
    unlink(badp);
    cm_genome_close(g);
    unlink(satp);
    unlink(fa);
    char fai[80];
    snprintf(fai, sizeof fai, "%s.fai", fa);
    unlink(fai);
}

int main(void)
{
    test_window_sums();
    test_fdr();
    test_seqlets();
    test_xcorr();
    test_knn();
    test_louvain();
    test_reader();
    return check_status();
}
