/* test_grammar.c — grammar files and the grammar model (grammar.h) on tiny
 * hand-derived cases.
 *
 * Motifs of purity 0.97 on a uniform background: a consensus column scores
 * ln(0.97/0.25) = ln 3.88, a mismatch ln(0.01/0.25) = ln 0.04, so a 4-mer has
 * LLRmax = 4 ln 3.88 = 5.4233 and the default threshold 0.7 · LLRmax = 3.796 admits
 * only exact matches (3 matches + 1 mismatch = 0.848).  The default concentration
 * K = 9 exp(−LLRmax) binds a one-strand consensus site with π = 0.9, so with
 * bias 0 and slope 1 one site gives logit ln 1.9 = 0.641853886. */
#include "check.h"
#include "core/dna.h"
#include "model/grammar.h"
#include "model/model.h"

#include <stdlib.h>
#include <unistd.h>

static void codes_of(const char *s, uint8_t *x)
{
    for (size_t i = 0; s[i]; i++) x[i] = cm_nt4((unsigned char)s[i]);
}

#define LN19 0.6418538861723947   /* ln 1.9 */

/* Logit of head h on sequence s under grammar text. */
static double logit_of(const char *text, const char *s, int h)
{
    cm_grammar_t g;
    cm_err_t err = {{0}};
    const char *p = check_tmpfile(text);
    if (cm_grammar_read(p, &g, &err) != 0) { printf("# %s\n", err.msg); unlink(p); return NAN; }
    unlink(p);
    int L = (int)strlen(s);
    uint8_t x[256];
    double lg[8];
    codes_of(s, x);
    cm_grammar_logits(&g, x, L, lg);
    double v = lg[h];
    cm_grammar_free(&g);
    return v;
}

static const char *two =
    "coopmap-grammar 1\n"
    "input_length 14\n"
    "motif X AACC purity=0.97   # reverse complement GGTT\n"
    "motif Y GAGA purity=0.97   # reverse complement TCTC\n"
    "head X bias=0 slope=1\n"
    "head Y bias=0 slope=1\n";

static void test_iupac(void)
{
    double r[4];
    CHECK(cm_iupac_row('W', 0.9, r) == 0, "iupac: W accepted");
    CHECK_NEAR(r[0], 0.45, 1e-15, 0, "iupac: W -> A 0.45");
    CHECK_NEAR(r[1], 0.05, 1e-15, 0, "iupac: W -> C 0.05");
    CHECK(cm_iupac_row('b', 0.9, r) == 0 && fabs(r[0] - 0.1) < 1e-15 && fabs(r[3] - 0.3) < 1e-15,
          "iupac: b (lower case) -> A 0.1, C/G/T 0.3");
    CHECK(cm_iupac_row('N', 0.9, r) == 0 && r[2] == 0.25, "iupac: N -> 0.25 each");
    CHECK(cm_iupac_row('G', 1.0, r) == 0 && r[2] == 1.0 && r[0] == 0.0, "iupac: G purity 1 -> 0/0/1/0");
    CHECK(cm_iupac_row('X', 0.9, r) == -1, "iupac: X rejected");
}

static void test_motif_numbers(void)
{
    cm_grammar_t g;
    cm_err_t err = {{0}};
    const char *p = check_tmpfile(two);
    CHECK(cm_grammar_read(p, &g, &err) == 0, "read: two-motif grammar");
    unlink(p);
    CHECK(g.n_motifs == 2 && g.n_heads == 2 && g.L == 14, "read: 2 motifs, 2 heads, L 14");
    CHECK_NEAR(g.motifs[0].llr_max, 5.423340614540728, 1e-12, 0, "motif: LLRmax = 4 ln 3.88");
    CHECK_NEAR(g.motifs[0].thresh, 0.7 * 5.423340614540728, 1e-12, 0, "motif: threshold 0.7 LLRmax");
    CHECK_NEAR(g.motifs[0].conc * exp(g.motifs[0].llr_max), 9, 1e-9, 0, "motif: default K = 9 exp(-LLRmax)");
    uint8_t x[14];
    codes_of("AACCTTTTTTGAGA", x);
    CHECK_NEAR(cm_grammar_site_llr(&g.motifs[0], x, 0, 0), 5.423340614540728, 1e-12, 0, "llr: AACC forward");
    CHECK_NEAR(cm_grammar_site_llr(&g.motifs[0], x, 1, 0), 2 * log(3.88) + 2 * log(0.04), 1e-12, 0, "llr: ACCT = 2 matches + 2 mismatches");
    CHECK_NEAR(cm_grammar_site_llr(&g.motifs[1], x, 10, 1), 4 * log(0.04), 1e-12, 0,
               "llr: reverse strand of GAGA (TCTC vs GAGA) = 4 mismatches");
    double pi[14], s;
    cm_grammar_occupancy(&g.motifs[0], x, 14, pi, &s);
    CHECK_NEAR(pi[0], 0.9, 1e-12, 0, "occupancy: consensus site pi = 0.9");
    int others = 0;
    for (int i = 1; i < 14; i++) others += pi[i] != 0;
    CHECK(others == 0, "occupancy: no other position passes the threshold");
    CHECK_NEAR(s, pow(3.88, 4), 1e-9, 0, "occupancy: sum of exp(LLR) = 3.88^4");
    x[2] = 4;  /* N inside the site */
    cm_grammar_occupancy(&g.motifs[0], x, 14, pi, &s);
    CHECK(pi[0] == 0 && s == 0, "occupancy: an N in the site removes it");
    cm_grammar_free(&g);
}

static void test_logits(void)
{
    char buf[1024];
    CHECK_NEAR(logit_of(two, "AACCTTTTTTGAGA", 0), LN19, 1e-12, 0, "logit: one site, no coop = ln 1.9");
    CHECK_NEAR(logit_of(two, "TTTTTTTTTTTTTT", 0), 0, 1e-15, 0, "logit: no site = bias");

    snprintf(buf, sizeof buf, "%scoop X Y 2 kernel=box:0-20\n", two);
    CHECK_NEAR(logit_of(buf, "AACCTTTTTTGAGA", 0), LN19 + 2 * 0.81, 1e-12, 0,
               "logit: coop box, d = 10: ln 1.9 + 2 * 0.9 * 0.9 = 2.261853886");
    CHECK_NEAR(logit_of(buf, "AACCTTTTTTGAGA", 1), LN19, 1e-12, 0, "logit: coop is directional (Y unchanged)");
    CHECK_NEAR(logit_of(buf, "AACCTTTTTTTTTT", 0), LN19, 1e-12, 0, "logit: Y knocked out -> coop term gone");
    CHECK_NEAR(logit_of(buf, "TTTTTTTTTTGAGA", 0), 0, 1e-15, 0, "logit: X knocked out -> nothing left");
    snprintf(buf, sizeof buf, "%scoop X Y 2 kernel=gauss:10\n", two);
    CHECK_NEAR(logit_of(buf, "AACCTTTTTTGAGA", 0), 1.624433554906861, 1e-12, 0,
               "logit: gauss:10 at d = 10: ln 1.9 + 1.62 exp(-0.5)");
    snprintf(buf, sizeof buf, "%scoop X Y -2 kernel=exp:5\n", two);
    CHECK_NEAR(logit_of(buf, "AACCTTTTTTGAGA", 0), LN19 - 1.62 * exp(-2), 1e-12, 0,
               "logit: competitive exp:5 at d = 10: ln 1.9 - 1.62 exp(-2)");
    snprintf(buf, sizeof buf, "%scoop X Y 2 kernel=box:11-20\n", two);
    CHECK_NEAR(logit_of(buf, "AACCTTTTTTGAGA", 0), LN19, 1e-12, 0, "logit: box:11-20 excludes d = 10");
    /* two Y sites at d = 10 and d = 5 (centres 12 and 7), flat kernel: 2 * 0.81 * 2 */
    snprintf(buf, sizeof buf, "%scoop X Y 2 kernel=flat\n", two);
    CHECK_NEAR(logit_of(buf, "AACCTGAGATGAGA", 0), LN19 + 2 * 0.81 * 2, 1e-12, 0,
               "logit: two target sites add up (flat)");
    /* overlapping sites do not interact: X AACC at 0, Z CCTT at 2 */
    CHECK_NEAR(logit_of("coopmap-grammar 1\nmotif X AACC purity=0.97\nmotif Z CCTT purity=0.97\n"
                        "head X bias=0 slope=1\ncoop X Z 2 kernel=flat\n", "AACCTT", 0), LN19, 1e-12, 0,
               "logit: overlapping sites have no pair term");
    /* palindrome ACGT: both strands count, K s = 18, pi = 18/19 */
    const char *pal = "coopmap-grammar 1\nmotif P ACGT purity=0.97\nhead P bias=0 slope=1\n";
    CHECK_NEAR(logit_of(pal, "TTACGTTT", 0), 0.666478933477784, 1e-12, 0, "logit: palindrome = ln(1 + 18/19)");
    const char *pals = "coopmap-grammar 1\nmotif P ACGT purity=0.97\nhead P bias=0 slope=1 occupancy=sum\n";
    CHECK_NEAR(logit_of(pals, "TTACGTTT", 0), log(19), 1e-12, 0, "logit: occupancy=sum, K s = 18 -> ln 19");
    const char *cc = "coopmap-grammar 1\nmotif X AACC purity=0.97 conc=1\nhead X bias=0.5 slope=2\n";
    CHECK_NEAR(logit_of(cc, "AACCTT", 0), 0.5 + 2 * 0.6909482655443036, 1e-12, 0,
               "logit: conc=1: pi = 3.88^4/(1+3.88^4), logit 0.5 + 2 ln(1 + pi)");
    const char *lo = "coopmap-grammar 1\nmotif X AACC purity=0.97 min_frac=0.1\nhead X bias=0 slope=1\n";
    /* min_frac 0.1 (threshold 0.542) admits 3-of-4 matches (0.848): ACCT? no (2 mism.);
     * AACA at 0 scores 0.848 -> pi = K e^0.848 / (1 + ...) */
    double K = 9 * exp(-5.423340614540728), s = exp(3 * log(3.88) + log(0.04));
    CHECK_NEAR(logit_of(lo, "AACATT", 0), log1p(K * s / (1 + K * s)), 1e-12, 0,
               "logit: min_frac=0.1 admits a one-mismatch site");
}

static void test_model_interface(void)
{
    cm_err_t err = {{0}};
    char buf[1024];
    snprintf(buf, sizeof buf, "%scoop X Y 2 kernel=box:0-20\n", two);
    const char *p = check_tmpfile(buf);
    cm_model_t *m = cm_model_load(p, &err);
    CHECK(m != NULL, "model: cm_model_load reads a grammar file");
    if (!m) { printf("# %s\n", err.msg); unlink(p); return; }
    CHECK_STR(cm_model_kind(m), "grammar", "model: kind grammar");
    CHECK(cm_model_input_length(m) == 14 && cm_model_n_heads(m) == 2, "model: L 14, 2 heads");
    CHECK(cm_model_head_index(m, "y") == 1, "model: head names case-insensitive");
    uint8_t x[3 * 14];
    codes_of("AACCTTTTTTGAGA" "AACCTTTTTTTTTT" "TTTTTTTTTTGAGA", x);
    float lg[6], one[2];
    CHECK(cm_model_predict(m, x, 3, lg, &err) == 0, "model: predict 3 windows");
    CHECK_NEAR(lg[0], LN19 + 1.62, 1e-6, 0, "model: window 1 head X");
    CHECK_NEAR(lg[1], LN19, 1e-6, 0, "model: window 1 head Y");
    CHECK_NEAR(lg[2], LN19, 1e-6, 0, "model: window 2 head X (Y knocked out)");
    CHECK_NEAR(lg[4], 0, 1e-7, 0, "model: window 3 head X (X knocked out)");
    CHECK(cm_model_predict(m, x + 14, 1, one, &err) == 0 && one[0] == lg[2] && one[1] == lg[3],
          "model: a window's logits do not depend on its batch");
    x[5] = 7;   /* values > 4 count as N: outside every site here */
    CHECK(cm_model_predict(m, x, 1, one, &err) == 0 && one[0] == lg[0], "model: codes > 4 treated as N");
    cm_model_free(m);
    unlink(p);
}

static void expect_error(const char *text, const char *want, const char *name)
{
    cm_grammar_t g;
    cm_err_t err = {{0}};
    const char *p = check_tmpfile(text);
    int rc = cm_grammar_read(p, &g, &err);
    char full[256];
    snprintf(full, sizeof full, "%s%s", p, want);
    int ok = rc == -1 && strncmp(err.msg, full, strlen(full)) == 0;
    if (!ok) printf("# got: %s\n", err.msg);
    CHECK(ok, name);
    if (rc == 0) cm_grammar_free(&g);
    unlink(p);
}

static void test_errors(void)
{
    expect_error("motif X ACGT\n", ":1: not a grammar file", "error: missing magic line");
    expect_error("coopmap-grammar 2\n", ":1: unsupported grammar version", "error: version 2");
    expect_error("coopmap-grammar 1\nmotif X ACGJ\n", ":2: motif 'X': 'J' (column 4) is not an IUPAC",
                 "error: bad IUPAC letter names line and column");
    expect_error("coopmap-grammar 1\nmotif X ACGT purity=0.2\n", ":2: purity: expected a number",
                 "error: purity out of range");
    expect_error("coopmap-grammar 1\nmotif X ACGT\nmotif x AAAA\n", ":3: motif 'x' defined twice",
                 "error: repeated motif (case-insensitive)");
    expect_error("coopmap-grammar 1\nmotif X ACGT\ncoop X X 1\n", ":3: unknown head 'X'", "error: coop before head");
    expect_error("coopmap-grammar 1\nmotif X ACGT\nhead X\ncoop X Q 1\n", ":4: unknown motif 'Q'",
                 "error: coop with unknown motif");
    expect_error("coopmap-grammar 1\nmotif X ACGT\nhead X\ncoop X X 1 kernel=tri:3\n", ":4: kernel: expected",
                 "error: unknown kernel");
    expect_error("coopmap-grammar 1\nmotif X ACGT\nhead X\nhead x motif=X\n", ":4: head 'x' defined twice",
                 "error: repeated head (case-insensitive)");
    expect_error("coopmap-grammar 1\nmodule m\nmodule M\n", ":3: module 'M' defined twice",
                 "error: repeated module (case-insensitive)");
    expect_error("coopmap-grammar 1\nmotif X/1 ACGT\n", ":2: bad motif name 'X/1'", "error: bad motif name");
    expect_error("coopmap-grammar 1\n\n# comment\nfoo 1\n", ":4: unknown statement 'foo'", "error: unknown statement");
    expect_error("coopmap-grammar 1\nmotif X ACGT\nhead X sloap=1\n", ":3: head: unknown option 'sloap=1'",
                 "error: unknown option");
    expect_error("coopmap-grammar 1\nmotif X ACGTACGT\nmotif Y ACGTACGT\nmodule m motifs=X,Y spacing=5-10\n",
                 ":4: module 'm': spacing 5 bp lets X and Y overlap", "error: module spacing below motif widths");
    expect_error("coopmap-grammar 1\nsequences count=10 length=100 margin=50\n", ":2: sequences: margin 50 leaves no room",
                 "error: margin too large");

    cm_err_t err = {{0}};
    const char *p = check_tmpfile("coopmap-grammar 1\nmotif X ACGT\nhead X\n");
    CHECK(cm_model_load(p, &err) == NULL && strstr(err.msg, "no 'input_length L' line"),
          "error: a model needs input_length");
    unlink(p);
    p = check_tmpfile("coopmap-grammar 1\ninput_length 3\nmotif X ACGT\nhead X\n");
    CHECK(cm_model_load(p, &err) == NULL && strstr(err.msg, ":4: head 'X': motif wider than input_length 3"),
          "error: head motif wider than the window");
    unlink(p);
}

int main(void)
{
    test_iupac();
    test_motif_numbers();
    test_logits();
    test_model_interface();
    test_errors();
    return check_status();
}
