/* test_simulate.c — coopmap-simulate's generator (simulate.h): planted bases,
 * positions, spacing, weights, composition, determinism, errors, MEME output. */
#include "check.h"
#include "core/dna.h"
#include "model/grammar.h"
#include "motif/motif.h"
#include "sim/simulate.h"

#include <stdlib.h>
#include <unistd.h>

static int load(const char *text, cm_grammar_t *g)
{
    cm_err_t err = {{0}};
    const char *p = check_tmpfile(text);
    int rc = cm_grammar_read(p, g, &err);
    if (rc) printf("# %s\n", err.msg);
    unlink(p);
    return rc;
}

static void revcomp(const char *s, int w, char *out)
{
    for (int i = 0; i < w; i++) out[i] = cm_comp_letter(s[w - 1 - i]);
    out[w] = 0;
}

static const char *exact =
    "coopmap-grammar 1\n"
    "motif AAA ACGTTGCA purity=1\n"
    "motif BBB GGGACTTTC purity=1\n"
    "motif CCC TATACCGG purity=1\n"
    "sequences count=500 length=200 margin=30\n"
    "module ab weight=3 motifs=AAA,BBB spacing=15-25\n"
    "module none weight=1\n"
    "decoy CCC count=0-2\n";

static void test_planting(void)
{
    cm_grammar_t g;
    cm_err_t err = {{0}};
    if (load(exact, &g)) { CHECK(0, "sim: load grammar"); return; }
    long n_ab = 0, order_ab = 0, sites_ok = 0, sites = 0, spacing_ok = 0, margin_ok = 0, dec_ok = 0;
    long plus = 0, llr_ok = 0;
    int odd_half = 0;
    for (long k = 0; k < 500; k++) {
        cm_sim_seq_t s;
        if (cm_sim_one(&g, 11, k, &s, &err) != 0) { CHECK(0, "sim: generate"); break; }
        int ia = -1, ib = -1, nd = 0;
        for (int i = 0; i < s.n_sites; i++) {
            const cm_sim_site_t *x = &s.sites[i];
            const cm_gmotif_t *m = &g.motifs[x->motif];
            char rc[32], got[32];
            memcpy(got, s.seq + x->start, (size_t)m->w); got[m->w] = 0;
            revcomp(m->consensus, m->w, rc);
            sites++;
            sites_ok += x->end - x->start == m->w &&
                        strcmp(got, x->strand == '+' ? m->consensus : rc) == 0;
            plus += x->strand == '+';
            llr_ok += fabs(x->llr - m->w * log(4.0)) < 1e-9;
            margin_ok += x->start >= 30 && x->end <= 170;
            if (i > 0) margin_ok -= s.sites[i - 1].end > x->start;   /* overlap: undo one */
            if (x->module < 0) nd++;
            else if (x->motif == 0) ia = i; else ib = i;
        }
        dec_ok += nd >= 0 && nd <= 2;
        if (s.module == 0) {
            n_ab++;
            if (ia >= 0 && ib >= 0) {
                double d = fabs((double)((s.sites[ib].start + s.sites[ib].end) - (s.sites[ia].start + s.sites[ia].end))) / 2.0;
                spacing_ok += d >= 14.5 && d <= 25.5;
                if (d != floor(d)) odd_half = 1;
                order_ab += s.sites[ia].start < s.sites[ib].start;
            }
        } else spacing_ok += ia < 0 && ib < 0;
        cm_sim_seq_free(&s);
    }
    CHECK(sites > 500 && sites_ok == sites, "sim: every planted site reads its consensus (or reverse complement)");
    CHECK(llr_ok == sites, "sim: llr of an exact site = w ln 4");
    CHECK(margin_ok == sites, "sim: sites keep the margin and do not overlap");
    CHECK(spacing_ok == 500, "sim: module spacing within 15-25 bp (to half a base); 'none' plants nothing");
    CHECK(odd_half, "sim: widths 8 and 9 give half-base centre distances");
    CHECK(dec_ok == 500, "sim: decoy count within 0-2");
    /* weights 3:1 -> 375 of 500 expected; binomial sd 9.7 */
    CHECK(n_ab > 335 && n_ab < 415, "sim: module weights 3:1");
    /* random order: half of the ab modules put AAA first */
    CHECK(order_ab > 0.35 * n_ab && order_ab < 0.65 * n_ab, "sim: random order reverses about half the modules");
    CHECK(plus > 0.4 * sites && plus < 0.6 * sites, "sim: about half the sites on each strand");
    cm_grammar_free(&g);
}

static void test_determinism_and_composition(void)
{
    cm_grammar_t g;
    cm_err_t err = {{0}};
    if (load("coopmap-grammar 1\nmotif M ACGTACGTAC\n"
             "sequences count=3 length=100000 composition=4,1,1,4\n"
             "module one motifs=M order=fixed\n", &g)) { CHECK(0, "sim: load"); return; }
    cm_sim_seq_t a, b, c;
    cm_sim_one(&g, 5, 1, &a, &err);
    cm_sim_one(&g, 5, 1, &b, &err);
    cm_sim_one(&g, 6, 1, &c, &err);
    CHECK(strcmp(a.seq, b.seq) == 0 && a.sites[0].start == b.sites[0].start, "sim: same seed, same sequence");
    CHECK(strcmp(a.seq, c.seq) != 0, "sim: another seed, another sequence");
    CHECK_STR(a.name, "seq2", "sim: name PREFIX + k+1, padded to the count's width");
    long cnt[4] = {0};
    for (long i = 0; i < a.len; i++) cnt[a.seq[i] == 'A' ? 0 : a.seq[i] == 'C' ? 1 : a.seq[i] == 'G' ? 2 : 3]++;
    CHECK_NEAR(cnt[0] / 1e5, 0.4, 0.01, 0, "sim: composition A 0.4");
    CHECK_NEAR(cnt[1] / 1e5, 0.1, 0.01, 0, "sim: composition C 0.1");
    CHECK_NEAR(cnt[3] / 1e5, 0.4, 0.01, 0, "sim: composition T 0.4");
    /* sequence k does not depend on the count (only the name's padding does) */
    g.n_seq = 1000;
    cm_sim_seq_free(&c);
    cm_sim_one(&g, 5, 1, &c, &err);
    CHECK(strcmp(a.seq, c.seq) == 0, "sim: sequence k independent of the count");
    CHECK_STR(c.name, "seq0002", "sim: padding follows the count");
    cm_sim_seq_free(&a); cm_sim_seq_free(&b); cm_sim_seq_free(&c);
    cm_grammar_free(&g);
}

static void test_errors(void)
{
    cm_grammar_t g;
    cm_err_t err = {{0}};
    cm_sim_seq_t s;
    const char *p = check_tmpfile("coopmap-grammar 1\nmotif M ACGTACGTAC\nsequences count=2 length=40 margin=5\n"
                       "module big motifs=M,M spacing=30-30\n");
    char path[64];
    strcpy(path, p);
    CHECK(cm_grammar_read(path, &g, &err) == 0, "sim: load tight grammar");
    char want[256];
    snprintf(want, sizeof want, "%s:4: module 'big' spans 40 bp here: does not fit in length 40 with margin 5", path);
    CHECK(cm_sim_one(&g, 1, 0, &s, &err) == -1 && strcmp(err.msg, want) == 0, "sim: module that does not fit names its line");
    if (strcmp(err.msg, want)) printf("# got: %s\n", err.msg);
    cm_grammar_free(&g);
    unlink(path);
    p = check_tmpfile("coopmap-grammar 1\nmotif M ACGTACGTAC\nsequences count=2 length=40\ndecoy M count=5\n");
    strcpy(path, p);
    cm_grammar_read(path, &g, &err);
    snprintf(want, sizeof want, "%s:4: cannot place decoy M in seq1 ", path);
    CHECK(cm_sim_one(&g, 1, 0, &s, &err) == -1 && strncmp(err.msg, want, strlen(want)) == 0,
          "sim: decoys that cannot be placed name their line and the sequence");
    if (strncmp(err.msg, want, strlen(want))) printf("# got: %s\n", err.msg);
    /* the whole run fails and leaves none of its files in the directory */
    char d[] = "/tmp/cm_simfail_XXXXXX";
    cm_sim_counts_t n;
    if (mkdtemp(d)) {
        CHECK(cm_sim_run(&g, 1, 0, 1, d, NULL, &n, &err) == -1 && strncmp(err.msg, want, strlen(want)) == 0,
              "run: a sequence that cannot be generated fails the run with its message");
        free(n.per_module);
        CHECK(rmdir(d) == 0, "run: a failed run leaves no file in the directory");
    }
    cm_grammar_free(&g);
    unlink(path);
}

static void test_meme_and_run(void)
{
    cm_grammar_t g;
    cm_err_t err = {{0}};
    if (load("coopmap-grammar 1\nbackground 0.3 0.2 0.2 0.3\nmotif E1 AWGN purity=0.9\n"
             "motif E2 CCWWWWWWGG\nsequences count=600 length=90\nmodule m motifs=E1,E2\n", &g)) {
        CHECK(0, "sim: load"); return;
    }
    char d1[] = "/tmp/cm_simrun1_XXXXXX", d2[] = "/tmp/cm_simrun2_XXXXXX";
    mkdtemp(d1); mkdtemp(d2);
    cm_sim_counts_t n1, n2;
    CHECK(cm_sim_run(&g, 9, 0, 1, d1, NULL, &n1, &err) == 0, "run: 1 thread");
    CHECK(cm_sim_run(&g, 9, 0, 2, d2, NULL, &n2, &err) == 0, "run: 2 threads");
    CHECK(n1.seqs == 600 && n1.sites == 1200 && n1.per_module[0] == 600, "run: counts");
    free(n1.per_module); free(n2.per_module);
    const char *files[] = { "genome.fa", "genome.fa.fai", "truth.bed", "peaks.bed", "motifs.meme" };
    int same = 1;
    for (int f = 0; f < 5; f++) {
        char a[128], b[128], cmd[300];
        snprintf(a, sizeof a, "%s/%s", d1, files[f]);
        snprintf(b, sizeof b, "%s/%s", d2, files[f]);
        snprintf(cmd, sizeof cmd, "cmp -s %s %s", a, b);
        same &= system(cmd) == 0;
    }
    CHECK(same, "run: byte-identical output with 1 and 2 threads (600 sequences, 3 chunks)");
    char mp[128];
    snprintf(mp, sizeof mp, "%s/motifs.meme", d1);
    cm_motifset_t set = {0};
    CHECK(cm_motifs_read(mp, &set, &err) == 0 && set.n == 2, "meme: motifs.meme reads back");
    if (set.n == 2) {
        CHECK_STR(set.m[0].alt, "E1", "meme: alt name = motif name (the TF label)");
        CHECK(set.m[0].w == 4 && fabs(set.m[0].freq[4 + 0] - 0.45) < 1e-6 && fabs(set.m[0].freq[4 + 1] - 0.05) < 1e-6,
              "meme: W column at purity 0.9 = 0.45/0.05/0.05/0.45");
        CHECK(fabs(set.m[0].freq[12] - 0.25) < 1e-6, "meme: N column 0.25 each");
        CHECK(fabs(set.bg[0] - 0.3) < 1e-6 && fabs(set.bg[1] - 0.2) < 1e-6, "meme: background written");
    }
    cm_motifs_free(&set);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", d1, d2);
    CHECK(system(cmd) == 0, "run: clean up");
    cm_grammar_free(&g);
}

int main(void)
{
    test_planting();
    test_determinism_and_composition();
    test_errors();
    test_meme_and_run();
    return check_status();
}
