/* Unit tests for alphabet.c and the K-letter paths of motif.c, background.c, pssm.c:
 * built-in alphabets, ALPHABET blocks (core order, complements, aliases, case), subset
 * and equality, and the K-letter p-value table.  Values derived by hand in comments. */
#include "check.h"
#include "motif/alphabet.h"
#include "motif/background.h"
#include "motif/motif.h"
#include "motif/pssm.h"

static int parse_block(const char *header, const char *const *lines, cm_alph_t *a, char *why)
{
    cm_alph_block_t *b = cm_alph_block_begin(header, why);
    if (!b) return -1;
    for (int i = 0; lines[i]; i++)
        if (cm_alph_block_line(b, lines[i], why) != 0) { cm_alph_block_free(b); return -1; }
    int rc = cm_alph_block_end(b, a, why);
    cm_alph_block_free(b);
    return rc;
}

int main(void)
{
    cm_alph_t d, r, p, c;
    char why[200];
    cm_alph_dna(&d);
    CHECK(d.k == 4 && !strcmp(d.core, "ACGT") && cm_alph_is_dna(&d), "DNA: A C G T, built-in");
    CHECK(d.comp[0] == 3 && d.comp[1] == 2 && d.comp[2] == 1 && d.comp[3] == 0 && d.complementable,
          "DNA complements A~T C~G");
    CHECK(d.code['u'] == 3 && d.code['U'] == 3 && d.code['a'] == 0 && d.case_insensitive,
          "DNA: U (either case) is T's alias, case-insensitive");
    CHECK(d.code['N'] == CM_ALPH_NONE && d.amb['N'] && d.amb['X'] == d.amb['N'] && d.amb['.'] == d.amb['N'],
          "DNA: N is ambiguous (not scored), X and . are its aliases");
    cm_alph_rna(&r);
    CHECK(r.k == 4 && !strcmp(r.core, "ACGU") && !r.complementable && r.code['T'] == 3 && r.code['t'] == 3,
          "RNA: A C G U, no complements, T alias of U");
    cm_alph_protein(&p);
    CHECK(p.k == 20 && !strcmp(p.core, "ACDEFGHIKLMNPQRSTVWY") && !p.complementable,
          "protein: 20 letters in sorted order, no complements");
    CHECK(!cm_alph_equal(&d, &r), "DNA != RNA");
    CHECK(cm_alph_from_letters("acgu", &c) == 0 && c.builtin == CM_ALPH_RNA, "ALPHABET= acgu is RNA");
    CHECK(cm_alph_from_letters("ACGX", &c) != 0, "ALPHABET= ACGX refused");

    /* a covalent alphabet, listed out of order: core sorted letters (upper, lower) then digits */
    const char *cov[] = {"1 \"G:5mC\" 4575B4 ~ m \"5mC\" D73027", "T ~ A", "C \"Cytosine\" ~ G",
                         "U = T", "N = ACGT", "X = ACGTm1", "z = Cm", "# comment", "", NULL};
    CHECK(parse_block("ALPHABET \"DNA with 5mC\" DNA-LIKE", cov, &c, why) == 0, "covalent block parses");
    CHECK_STR(c.core, "ACGTm1", "core order A C G T m 1 (MEME's symbol order)");
    CHECK_STR(c.name, "DNA with 5mC", "name");
    CHECK(c.k == 6 && c.comp[4] == 5 && c.comp[5] == 4 && c.comp[0] == 3, "m ~ 1, A ~ T");
    CHECK(!c.case_insensitive && c.code['a'] == CM_ALPH_NONE && c.code['M'] == CM_ALPH_NONE &&
          c.code['m'] == 4 && c.code['1'] == 5 && c.code['U'] == 3 && c.code['u'] == CM_ALPH_NONE,
          "both cases used: case-sensitive (a, M, u are not letters)");
    CHECK(c.builtin == 0 && c.like == CM_ALPH_DNA && c.amb['z'], "DNA-LIKE but not built-in DNA");
    CHECK(cm_alph_comp_letter(&c, 'm') == '1' && cm_alph_comp_letter(&c, 'U') == 'A',
          "complement letters through the alphabet");
    int idx[8];
    CHECK(cm_alph_core_subset(&d, &c, idx) == 1 && idx[0] == 0 && idx[3] == 3, "DNA is a subset of it");
    CHECK(cm_alph_core_subset(&c, &d, NULL) == 0, "it is not a subset of DNA");
    CHECK(cm_alph_core_subset(&r, &d, idx) == -1 && idx[3] == 3,
          "RNA into DNA: U -> T, complements differ (-1)");
    double bg[6] = {0.3, 0.2, 0.1, 0.1, 0.2, 0.1};
    cm_alph_symmetrise(&c, bg);
    CHECK(fabs(bg[0] - 0.2) < 1e-15 && bg[3] == bg[0] && fabs(bg[1] - 0.15) < 1e-15 && bg[2] == bg[1] &&
          fabs(bg[4] - 0.15) < 1e-15 && bg[5] == bg[4], "symmetrise over A~T, C~G, m~1");

    /* a block that spells out built-in DNA is built-in DNA; drop one code and it is not */
    const char *dl[] = {"A ~ T", "C ~ G", "U = T", "W = AT", "S = CG", "M = AC", "K = GT", "R = AG",
                        "Y = CT", "B = CGT", "D = AGT", "H = ACT", "V = ACG", "N = ACGT", "X = ACGT",
                        ". = ACGT", NULL};
    CHECK(parse_block("ALPHABET \"mine\" DNA-LIKE", dl, &c, why) == 0 && c.builtin == CM_ALPH_DNA,
          "a full DNA definition is the built-in DNA alphabet");
    dl[15] = NULL;
    CHECK(parse_block("ALPHABET \"mine\" DNA-LIKE", dl, &c, why) == 0 && c.builtin == 0,
          "without '.' it is a custom alphabet");
    const char *bad1[] = {"A ~ T", "G", NULL};
    CHECK(parse_block("ALPHABET DNA-LIKE", bad1, &c, why) != 0 && strstr(why, "C is not defined"),
          "DNA-LIKE without C refused");
    CHECK(cm_alph_block_begin("ALPHABET \"x\" FOO-LIKE", why) == NULL, "bad header refused");
    CHECK(cm_alph_is_end("  end   alphabet ") && !cm_alph_is_end("END ALPHABETS"), "END ALPHABET line");
    CHECK(cm_alph_is_header("ALPHABET \"x\"") && !cm_alph_is_header("ALPHABET= ACGT"), "header vs ALPHABET=");

    /* the K-letter p-value table: one column of 3 letters with scores 0 1 2 under
     * b = 0.5 0.3 0.2: P(S >= 0) = 1, P(S >= 1) = 0.5, P(S >= 2) = 0.2 */
    int mat[3] = {0, 1, 2};
    double b3[3] = {0.5, 0.3, 0.2};
    cm_pssm_t ps;
    cm_pssm_from_int_k(mat, 1, 3, 0, 1, b3, &ps);
    CHECK(ps.k == 3 && ps.max_score == 2, "K = 3 matrix, max 2");
    CHECK_NEAR(ps.pv[1], 0.5, 1e-15, 0, "P(S >= 1) = 0.5");
    CHECK_NEAR(ps.pv[2], 0.2, 1e-15, 0, "P(S >= 2) = 0.2");
    cm_pssm_free(&ps);

    /* the covalent MEME file: K = 6 rows, background in core order */
    cm_motifset_t s;
    cm_err_t err = {{0}};
    CHECK(cm_motifs_read("tests/fixtures/motif/alph/cov.meme", &s, &err) == 0, "cov.meme parses");
    CHECK(s.alph.k == 6 && s.n == 1 && s.m[0].k == 6 && s.m[0].w == 2, "6 letters, one motif of width 2");
    CHECK(s.m[0].freq[4] == 1 && s.m[0].freq[6 + 2] == 1, "rows in core order (m, then G)");
    CHECK(s.has_bg && fabs(s.bg[4] - 0.05) < 1e-15 && fabs(s.bg[1] - 0.2) < 1e-15, "background m 0.05, C 0.2");
    double rb[CM_ALPH_MAX];
    CHECK(cm_bg_resolve(NULL, &s, rb, &err) == 0 && rb[4] == s.bg[4],
          "--nrdb-- for a custom alphabet falls back to the motif file's background (FIMO)");
    cm_motifs_free(&s);
    /* no ALPHABET line: background letters A C G U make it RNA (MEME's guess) */
    const char *g = check_tmpfile("MEME version 4\n\nBackground letter frequencies\nA 0.3 C 0.2 G 0.2 U 0.3\n\n"
                                  "MOTIF a\nletter-probability matrix: alength= 4 w= 1\n0 0 0 1\n");
    CHECK(cm_motifs_read(g, &s, &err) == 0 && s.alph.builtin == CM_ALPH_RNA && fabs(s.bg[3] - 0.3) < 1e-15,
          "background A C G U: RNA");
    cm_motifs_free(&s);
    unlink(g);
    return check_status();
}
