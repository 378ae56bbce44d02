/* test_ism.c — knockout modes (ism.h), the dinucleotide shuffle (shuffle.h) and the
 * saturation tiling (saturation.h) on hand-checked cases.
 *
 * Shuffle: "ACAGA" has the dinucleotides AC CA AG GA; the only sequences with the
 * same counts are ACAGA and AGACA (start A, end A; C and G each have one out-edge, A's
 * two out-edges come in either order), each with probability 1/2.  Uniformity on a
 * longer case is checked against an exhaustive enumeration of every arrangement of
 * the letters with the same dinucleotide counts. */
#include "check.h"
#include "core/dna.h"
#include "core/rng.h"
#include "ism/ism.h"
#include "ism/saturation.h"
#include "ism/shuffle.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void codes_of(const char *s, uint8_t *x)
{
    for (size_t i = 0; s[i]; i++) x[i] = cm_nt4((unsigned char)s[i]);
}

static void str_of(const uint8_t *x, int n, char *s)
{
    for (int i = 0; i < n; i++) s[i] = "ACGTN"[x[i] > 3 ? 4 : x[i]];
    s[n] = 0;
}

/* 5 × 5 dinucleotide counts (N = 4) */
static void dinuc(const uint8_t *x, int n, int c[25])
{
    memset(c, 0, 25 * sizeof *c);
    for (int i = 0; i + 1 < n; i++) c[(x[i] > 3 ? 4 : x[i]) * 5 + (x[i + 1] > 3 ? 4 : x[i + 1])]++;
}

static void test_shuffle_hand(void)
{
    int n_acaga = 0, n_agaca = 0, other = 0;
    for (int k = 0; k < 400; k++) {
        uint8_t x[5];
        char s[6];
        codes_of("ACAGA", x);
        cm_dinuc_shuffle(x, 5, cm_rng_key(11, (uint64_t)k));
        str_of(x, 5, s);
        if (strcmp(s, "ACAGA") == 0) n_acaga++;
        else if (strcmp(s, "AGACA") == 0) n_agaca++;
        else other++;
    }
    CHECK(other == 0, "shuffle ACAGA: only ACAGA and AGACA");
    /* binomial(400, 1/2): sd 10; 5 sd either side */
    CHECK(n_acaga >= 150 && n_acaga <= 250, "shuffle ACAGA: each of the two about half the time");
    printf("# ACAGA %d, AGACA %d of 400\n", n_acaga, n_agaca);
    /* short runs are unchanged */
    uint8_t y[2] = { 1, 3 };
    cm_dinuc_shuffle(y, 2, 5);
    CHECK(y[0] == 1 && y[1] == 3, "shuffle: 2 bases unchanged");
}

/* every distinct arrangement of the letters of s (length n) with the dinucleotide
 * counts of s, into out (n + 1 chars each); returns the count */
static int enumerate(const char *s, int n, char (*out)[16], int max)
{
    int cnt[4] = { 0 }, want[25], got[25], nout = 0;
    uint8_t x[16], y[16];
    codes_of(s, x);
    for (int i = 0; i < n; i++) cnt[x[i]]++;
    dinuc(x, n, want);
    /* all 4^n strings (n = 10: about 10^6) */
    long total = 1;
    for (int i = 0; i < n; i++) total *= 4;
    for (long v = 0; v < total; v++) {
        long u = v;
        int c[4] = { 0 };
        for (int i = 0; i < n; i++) { y[i] = (uint8_t)(u % 4); u /= 4; c[y[i]]++; }
        if (memcmp(c, cnt, sizeof c)) continue;
        dinuc(y, n, got);
        if (memcmp(got, want, sizeof got)) continue;
        if (nout < max) str_of(y, n, out[nout]);
        nout++;
    }
    return nout;
}

static void test_shuffle_uniform(void)
{
    const char *s = "TATTATGCAG";   /* 15 arrangements share its dinucleotide counts */
    const int n = 10, D = 20000;
    static char set[64][16];
    int m = enumerate(s, n, set, 64);
    printf("# %s: %d sequences with its dinucleotide counts\n", s, m);
    CHECK(m == 15, "uniformity case: 15 candidates (enumerated independently in Python)");
    int hits[64] = { 0 }, outside = 0;
    for (int k = 0; k < D; k++) {
        uint8_t x[16];
        char t[16];
        codes_of(s, x);
        cm_dinuc_shuffle(x, n, cm_rng_key(99, (uint64_t)k));
        str_of(x, n, t);
        int f = -1;
        for (int i = 0; i < m; i++) if (strcmp(t, set[i]) == 0) { f = i; break; }
        if (f < 0) outside++; else hits[f]++;
    }
    CHECK(outside == 0, "shuffle gives only sequences with the same dinucleotide counts");
    double e = (double)D / m, chi2 = 0;
    int ok = 1;
    for (int i = 0; i < m; i++) {
        chi2 += (hits[i] - e) * (hits[i] - e) / e;
        if (fabs(hits[i] - e) > 5 * sqrt(e)) ok = 0;
    }
    printf("# chi2 = %.2f on %d df\n", chi2, m - 1);
    CHECK(ok, "shuffle: every candidate within 5 sd of D / m (uniform)");
    /* chi2 with m-1 df: mean m-1, sd sqrt(2(m-1)); 6 sd margin */
    CHECK(chi2 < (m - 1) + 6 * sqrt(2.0 * (m - 1)), "shuffle: chi-square consistent with uniform");
}

static void test_shuffle_random_with_n(void)
{
    int all_ok = 1, npos_ok = 1, ends_ok = 1, distinct = 0;
    for (int t = 0; t < 200; t++) {
        const int n = 5 + (int)cm_rng_below(3, (uint64_t)t * 1000, 60);
        uint8_t x[80], y[80], z[80];
        for (int i = 0; i < n; i++) {
            uint32_t r = cm_rng_below(4, (uint64_t)t * 1000 + i, 20);
            x[i] = r == 0 ? 4 : (uint8_t)(r % 4);      /* about 5% N */
        }
        memcpy(y, x, (size_t)n);
        memcpy(z, x, (size_t)n);
        cm_dinuc_shuffle(y, n, cm_rng_key(5, (uint64_t)t));
        cm_dinuc_shuffle(z, n, cm_rng_key(6, (uint64_t)t));
        int a[25], b[25];
        dinuc(x, n, a);
        dinuc(y, n, b);
        if (memcmp(a, b, sizeof a)) all_ok = 0;
        for (int i = 0; i < n; i++) if ((x[i] > 3) != (y[i] > 3)) npos_ok = 0;
        if (y[0] != x[0] || y[n - 1] != x[n - 1]) ends_ok = 0;
        if (memcmp(y, z, (size_t)n)) distinct++;
    }
    CHECK(all_ok, "shuffle: 5x5 dinucleotide counts (N included) preserved, 200 random cases");
    CHECK(npos_ok, "shuffle: Ns stay in place");
    CHECK(ends_ok, "shuffle: first and last base kept");
    printf("# %d of 200 pairs of draws differ\n", distinct);
    CHECK(distinct > 150, "shuffle: different keys give different shuffles");
}

static void test_knockout_modes(void)
{
    cm_err_t err = {{0}};
    cm_ko_mode_t m;
    CHECK(cm_ism_parse_ko("shuffle", &m, &err) == 0 && m == CM_KO_SHUFFLE, "parse shuffle");
    CHECK(cm_ism_parse_ko("GC", &m, &err) == 0 && m == CM_KO_GC, "parse gc");
    CHECK(cm_ism_parse_ko("n", &m, &err) == 0 && m == CM_KO_NMASK, "parse N");
    CHECK(cm_ism_parse_ko("random", &m, &err) == 0 && m == CM_KO_RANDOM, "parse random");
    CHECK(cm_ism_parse_ko("dinuc", &m, &err) == -1, "parse: unknown mode");
    CHECK_STR(err.msg, "--knockout: expected random, shuffle, gc or N, got 'dinuc'", "parse message");

    /* window of 10 at genome position 100; site [97, 104) clipped to [100, 104) */
    uint8_t w[10], w0[10];
    codes_of("ACGTACGTAC", w0);
    const uint64_t key = cm_ism_key(1, CM_ISM_SELF, "s1", CM_ROLE_SOURCE, 0);
    memcpy(w, w0, 10);
    int n = cm_ism_knockout(w, 10, 100, 97, 104, CM_KO_RANDOM, key);
    int ok = n == 4;
    for (int x = 100; x < 104; x++) ok &= w[x - 100] == cm_rng_below(key, (uint64_t)(x - 97), 4);
    ok &= memcmp(w + 4, w0 + 4, 6) == 0;
    CHECK(ok, "random: base x is cm_rng_below(key, x - site start, 4), clipped to the window");
    memcpy(w, w0, 10);
    n = cm_ism_knockout(w, 10, 100, 108, 120, CM_KO_NMASK, key);
    CHECK(n == 2 && w[8] == 4 && w[9] == 4 && memcmp(w, w0, 8) == 0, "N: clipped site masked");
    memcpy(w, w0, 10);
    CHECK(cm_ism_knockout(w, 10, 100, 110, 120, CM_KO_GC, key) == 0 && memcmp(w, w0, 10) == 0,
          "a site outside the window changes nothing");
}

static void test_gc(void)
{
    /* site GGGCATGC: 6 of 8 are G/C -> gc = 0.75 */
    const int D = 4000;
    long cnt[5] = { 0 };
    for (int d = 0; d < D; d++) {
        uint8_t w[12];
        codes_of("TTGGGCATGCTT", w);
        cm_ism_knockout(w, 12, 0, 2, 10, CM_KO_GC, cm_ism_key(3, CM_ISM_PAIR, "p", CM_ROLE_TARGET, d));
        for (int i = 2; i < 10; i++) cnt[w[i]]++;
        if (w[0] != 3 || w[11] != 3) cnt[4] += 1000000;
    }
    const double tot = 8.0 * D;
    printf("# gc 0.75: A %.4f C %.4f G %.4f T %.4f\n", cnt[0] / tot, cnt[1] / tot, cnt[2] / tot, cnt[3] / tot);
    CHECK(cnt[4] == 0, "gc: only the site changes");
    /* sd of a frequency 0.375 over 32000 bases: 0.0027 */
    CHECK_NEAR((cnt[1] + cnt[2]) / tot, 0.75, 0.012, 0, "gc: GC fraction of the draws = the site's 0.75");
    CHECK_NEAR(cnt[1] / tot, 0.375, 0.012, 0, "gc: P(C) = gc/2");
    CHECK_NEAR(cnt[2] / tot, 0.375, 0.012, 0, "gc: P(G) = gc/2");
    CHECK_NEAR(cnt[0] / tot, 0.125, 0.01, 0, "gc: P(A) = (1-gc)/2");
    /* an all-N site uses 0.5; an all-AT site gives only A/T */
    long gcn = 0, at_only = 1;
    for (int d = 0; d < D; d++) {
        uint8_t w[4] = { 4, 4, 4, 4 }, v[4] = { 0, 3, 3, 0 };
        uint64_t k = cm_rng_key(77, (uint64_t)d);
        cm_ism_knockout(w, 4, 0, 0, 4, CM_KO_GC, k);
        cm_ism_knockout(v, 4, 0, 0, 4, CM_KO_GC, k);
        for (int i = 0; i < 4; i++) { gcn += w[i] == 1 || w[i] == 2; at_only &= v[i] == 0 || v[i] == 3; }
    }
    CHECK_NEAR(gcn / (4.0 * D), 0.5, 0.02, 0, "gc: all-N site -> gc 0.5");
    CHECK(at_only, "gc: an A/T site gives only A and T");
    /* shuffle knockout through cm_ism_knockout keeps the composition of the clipped site */
    uint8_t w[12], w0[12];
    codes_of("TTGGGCATGCTT", w0);
    memcpy(w, w0, 12);
    cm_ism_knockout(w, 12, 0, 2, 10, CM_KO_SHUFFLE, 42);
    int a[25], b[25];
    dinuc(w0 + 2, 8, a);
    dinuc(w + 2, 8, b);
    CHECK(memcmp(a, b, sizeof a) == 0 && memcmp(w, w0, 2) == 0 && memcmp(w + 10, w0 + 10, 2) == 0,
          "shuffle knockout: site dinucleotides kept, flanks untouched");
}

static void test_tiling(void)
{
    int64_t cs, ce, ws;
    CHECK(cm_sat_core_width(14) == 7 && cm_sat_core_width(15) == 8, "core width ceil(L/2)");
    CHECK(cm_sat_n_windows(14, 14) == 1 && cm_sat_n_windows(15, 14) == 3
          && cm_sat_n_windows(50, 14) == 8, "window counts");
    /* region [0, 50), L = 14: k = 8, cores at floor(50j/8) = 0 6 12 18 25 31 37 43 50 */
    cm_sat_tile(0, 50, 14, 120, 1, &cs, &ce, &ws);
    CHECK(cs == 6 && ce == 12 && ws == 2, "core 1 of [0,50): [6,12), window [2,16)");
    cm_sat_tile(0, 50, 14, 120, 0, &cs, &ce, &ws);
    CHECK(cs == 0 && ce == 6 && ws == 0, "core 0 clipped to the chromosome start");
    cm_sat_tile(0, 50, 14, 120, 4, &cs, &ce, &ws);
    CHECK(cs == 25 && ce == 31 && ws == 21, "core 4: [25,31), window [21,35)");
    /* short region centred: [5, 9) in L = 14 -> start 5 - 5 = 0 */
    cm_sat_tile(5, 9, 14, 120, 0, &cs, &ce, &ws);
    CHECK(cs == 5 && ce == 9 && ws == 0, "short region centred");
    cm_sat_tile(110, 119, 14, 120, 0, &cs, &ce, &ws);
    CHECK(ws == 106, "short region at the chromosome end clipped to [106,120)");

    /* exhaustive: every base once, cores inside windows, central half away from ends */
    int ok = 1, central = 1;
    for (int L = 5; L <= 16; L++)
        for (int64_t s = 0; s < 60; s += 7)
            for (int64_t n = 1; s + n <= 200; n += 3) {
                int64_t k = cm_sat_n_windows(n, L), prev = s;
                for (int64_t j = 0; j < k; j++) {
                    cm_sat_tile(s, s + n, L, 200, j, &cs, &ce, &ws);
                    ok &= cs == prev && ce > cs && ws >= 0 && ws + L <= 200 && cs >= ws && ce <= ws + L;
                    prev = ce;
                    if (n > L && ws > 0 && ws + L < 200)
                        central &= cs - ws >= (L - cm_sat_core_width(L)) / 2
                                && ws + L - ce >= (L - cm_sat_core_width(L)) / 2;
                }
                ok &= prev == s + n;
            }
    CHECK(ok, "tiling: cores partition the region in order, inside their clipped windows");
    CHECK(central, "tiling: every base at least floor((L - C)/2) from its window's edges");
}

int main(void)
{
    test_shuffle_hand();
    test_shuffle_uniform();
    test_shuffle_random_with_n();
    test_knockout_modes();
    test_gc();
    test_tiling();
    return check_status();
}
