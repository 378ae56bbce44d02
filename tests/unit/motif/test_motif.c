/* Unit tests for motif.c: MEME parsing on the real JASPAR files and on loose files. */
#include <math.h>
#include "check.h"
#include "motif/motif.h"
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    cm_motifset_t s;
    cm_err_t err = {{0}};

    /* Hand-made loose file: no alphabet/background, no nsites, tab separated,
     * a row summing to 1.05 (within 1 ± 0.1). */
    const char *p = check_tmpfile("MEME version 4\n\nMOTIF f0 \nletter-probability matrix: alength= 4 w= 2 \n"
                                 "0.5\t0.25\t0.25\t0.05\n0.1 0.2 0.3 0.4\n\nMOTIF f1 nm\n"
                                 "letter-probability matrix:\n1 0 0 0\n0 0 0 1\n0 1 0 0\nURL x\n");
    CHECK(cm_motifs_read(p, &s, &err) == 0, "loose MEME file parses");
    CHECK(s.n == 2, "two motifs");
    CHECK(s.has_bg == 0 && s.bg[0] == 0.25, "no background => uniform");
    CHECK_STR(s.m[0].id, "f0", "id");
    CHECK_STR(s.m[0].alt, "", "empty alt");
    CHECK(s.m[0].w == 2 && s.m[0].nsites == 20 && !s.m[0].has_nsites, "w=2, nsites defaults to 20");
    /* MEME's rule (issue 12 item 1): a row off 1 by more than 1e-5 is divided by its sum,
     * a row within 1e-5 is kept as written */
    CHECK(fabs(s.m[0].freq[0] - 0.5 / 1.05) < 1e-15 && fabs(s.m[0].freq[3] - 0.05 / 1.05) < 1e-15,
          "row with sum 1.05 normalised by its sum, as MEME does");
    CHECK(s.m[0].freq[4] == 0.1 && s.m[0].freq[7] == 0.4, "row with sum 1 kept as written");
    CHECK(s.m[1].w == 3, "without w= rows run to first non-numeric line");
    CHECK_STR(s.m[1].alt, "nm", "alt name");
    CHECK_STR(s.m[1].url, "x", "URL kept");
    char cons[4];
    cm_motif_consensus(s.m[0].freq, 2, cons);
    CHECK_STR(cons, "AT", "consensus: argmax per column");
    const double tie[4] = { 0.1, 0.4, 0.4, 0.1 };
    cm_motif_consensus(tie, 1, cons);
    CHECK_STR(cons, "C", "consensus: ties go to the earlier letter");
    cm_motifs_free(&s);
    unlink(p);

    /* Errors carry file and line. */
    p = check_tmpfile("MEME version 4\nMOTIF a\nletter-probability matrix: w= 2\n0.5 0.5 0 0\n0.9 0.9 0 0\n");
    CHECK(cm_motifs_read(p, &s, &err) == -1, "row summing to 1.8 rejected");
    char want[128];
    snprintf(want, sizeof want, "%s:5: matrix row sums to 1.8", p);
    CHECK(strncmp(err.msg, want, strlen(want)) == 0, "message names file:line");
    unlink(p);
    p = check_tmpfile("MOTIF a\n");
    CHECK(cm_motifs_read(p, &s, &err) == -1 && strstr(err.msg, ":1: not a MEME"), "missing version line rejected");
    unlink(p);
    p = check_tmpfile("MEME version 4\nMOTIF a\nletter-probability matrix: w= 3\n0.5 0.5 0 0\n");
    CHECK(cm_motifs_read(p, &s, &err) == -1 && strstr(err.msg, "has 1 matrix rows, w= says 3"), "short matrix rejected");
    unlink(p);

    /* cm_motifs_check: a repeated id, a motif wider than CM_MOTIF_MAX_W */
    p = check_tmpfile("MEME version 4\nMOTIF a\nletter-probability matrix: w= 1\n1 0 0 0\n"
                      "MOTIF b\nletter-probability matrix: w= 1\n1 0 0 0\n"
                      "MOTIF a x\nletter-probability matrix: w= 1\n0 1 0 0\n");
    snprintf(want, sizeof want, "%s:8: motif id 'a' is used twice (first at line 2)", p);
    CHECK(cm_motifs_read(p, &s, &err) == -1 && strncmp(err.msg, want, strlen(want)) == 0 && s.n == 0,
          "repeated motif id rejected, both lines named");
    unlink(p);
    {
        char *text = malloc(100 + 8 * (CM_MOTIF_MAX_W + 1));
        for (int w = CM_MOTIF_MAX_W; w <= CM_MOTIF_MAX_W + 1; w++) {
            int n = sprintf(text, "MEME version 4\nMOTIF wide\nletter-probability matrix: w= %d\n", w);
            for (int i = 0; i < w; i++) n += sprintf(text + n, "1 0 0 0\n");
            p = check_tmpfile(text);
            int rc = cm_motifs_read(p, &s, &err);
            if (w == CM_MOTIF_MAX_W) CHECK(rc == 0 && s.m[0].w == w, "a motif of CM_MOTIF_MAX_W columns is read");
            else CHECK(rc == -1 && strstr(err.msg, ":2: motif wide is 301 columns wide, more than the limit of 300"),
                       "a motif of CM_MOTIF_MAX_W + 1 columns is refused at its MOTIF line");
            cm_motifs_free(&s);
            unlink(p);
        }
        free(text);
    }

    /* Real JASPAR 2024 file (skipped when ../shared is absent). */
    const char *jp = "../shared/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme";
    if (access(jp, R_OK) == 0) {
        CHECK(cm_motifs_read(jp, &s, &err) == 0, "JASPAR 2024 vertebrates parses");
        CHECK(s.n == 879, "879 motifs");
        int ok = 1;
        for (int i = 0; i < s.n; i++) if (s.m[i].w < 5 || s.m[i].w > 33) ok = 0;
        CHECK(ok, "widths 5..33 as documented");
        CHECK_STR(s.m[0].id, "MA0002.3", "first id (file order)");
        char *sel[] = {"CTCF", "MA0139.2"};
        CHECK(cm_motifs_select(&s, sel, 2, &err) == 0 && s.n == 3, "select by alt name: the 3 CTCF matrices");
        char *sel2[] = {"MA0139.2"};
        CHECK(cm_motifs_select(&s, sel2, 1, &err) == 0 && s.n == 1 && s.m[0].w == 15 && s.m[0].nsites == 913,
              "select by id");
        char *sel3[] = {"NOPE"};
        CHECK(cm_motifs_select(&s, sel3, 1, &err) == -1 && strstr(err.msg, "'NOPE'"), "unknown id is an error");
        cm_motifs_free(&s);
        CHECK(cm_motifs_read("../shared/data/motifs_query/explainn_filters.meme", &s, &err) == 0 && s.n == 100
              && s.m[99].w == 19, "ExplaiNN filter file (loose MEME) parses");
        cm_motifs_free(&s);
    } else {
        printf("ok - JASPAR checks # skip ../shared not found\n");
    }
    return check_status();
}
