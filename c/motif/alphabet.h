/* alphabet.h — sequence alphabets as the MEME Suite 5.5.8 defines them: the built-in
 * DNA, RNA and protein alphabets and custom alphabets written in motif files
 * ("ALPHABET "name" DNA-LIKE" … "END ALPHABET", MEME's alphabet definition format).
 *
 * An alphabet has K core letters (the motif matrix columns, in MEME's order: the
 * core symbols sorted letters < digits < other symbols, letters by ASCII so upper
 * before lower case — DNA is A C G T, dna_with_covalent-style alphabets put m, h, 1,
 * 2 … after T), a complement for each core letter or none, aliases (symbols that
 * mean one core letter: U for T in DNA, T for U in RNA) and ambiguous symbols (N, R,
 * X …: several core letters).  When every symbol and alias is written in one case the
 * alphabet is case-insensitive (MEME: seen upper != seen lower), otherwise 'm' and 'M'
 * are different symbols.
 *
 * How the tools use it (MEME 5.5.8 fimo.c, tomtom.c, motif-in.c, alphabet.c):
 *   - a sequence letter is scored only when it maps to a core letter (code[]: core
 *     letters, their aliases and, when case-insensitive, the other case); a window
 *     holding any other letter (ambiguous, wildcard, unknown) is skipped;
 *   - both strands are scanned / compared only when the alphabet is complementable
 *     (MEME's alph_has_complement: the first core letter has a complement), so RNA
 *     and protein use the given strand only;
 *   - backgrounds are averaged over two-way complement pairs (cm_alph_symmetrise);
 *   - the NRDB default background exists only for the built-in DNA and protein
 *     alphabets (builtin != 0); others fall back to the motif file's background.
 *
 * Definition format (parsed by cm_alph_block_*; MEME alph-in.c rules):
 *   ALPHABET ["name"] [RNA-LIKE|DNA-LIKE|PROTEIN-LIKE]     header (case-insensitive)
 *   SYM ["name"] [RRGGBB]                                  core letter
 *   SYM ["name"] [RRGGBB] ~ SYM ["name"] [RRGGBB]          complementary core pair
 *   SYM ["name"] [RRGGBB] = SYMS                           ambiguous symbol (after
 *                                                          all core lines); one
 *                                                          letter in SYMS = an alias
 *   END ALPHABET
 *   SYM is one of A-Z a-z 0-9 ? . * -; '?' is reserved for the wildcard; '#' starts
 *   a comment.  Errors (each reported as "FILE:LINE: alphabet: reason"): a line that
 *   matches none of the forms, a core line after an ambiguous one, a symbol defined
 *   twice, an ambiguous symbol naming an undefined core letter, a complement that is
 *   not a core letter, '?' used for anything but the full wildcard, no core letters,
 *   more than CM_ALPH_MAX core letters, and an X-LIKE alphabet missing X's core
 *   letters (DNA: A C G T with A~T, C~G; RNA: A C G U; protein: the 20 amino acids).
 */
#ifndef COOPMAP_ALPHABET_H
#define COOPMAP_ALPHABET_H

#include <stdint.h>
#include "core/error.h"

/* Most core letters an alphabet may have (MEME's symbol set has 65 besides '?'). */
#define CM_ALPH_MAX 72
/* Most ambiguous symbols (after merging aliases of one another). */
#define CM_ALPH_AMAX 80
/* code[] value of a letter that is not a core letter or an alias of one. */
#define CM_ALPH_NONE 255

typedef enum {
    CM_ALPH_CUSTOM = 0, CM_ALPH_DNA = 1, CM_ALPH_RNA = 2, CM_ALPH_PROTEIN = 3
} cm_alph_kind_t;

typedef struct {
    char name[64];                 /* "DNA", "RNA", "Protein", or the block's name (its
                                      core letters when unnamed), at most 63 bytes */
    int like;                      /* the header's X-LIKE flag (cm_alph_kind_t) */
    int builtin;                   /* kind of the built-in alphabet it equals, else 0 */
    int k;                         /* K, number of core letters (1..CM_ALPH_MAX) */
    char core[CM_ALPH_MAX + 1];    /* the K core symbols in MEME order, NUL-terminated */
    signed char comp[CM_ALPH_MAX]; /* complement (core index) of each core letter, -1 none */
    int complementable;            /* comp[0] >= 0 (MEME alph_has_complement) */
    int case_insensitive;          /* letters map in both cases */
    unsigned char code[256];       /* byte → core index, CM_ALPH_NONE when the byte is
                                      not a core letter or an alias of one */
    unsigned char amb[256];        /* byte → 1 + ambiguous-symbol index, 0 if not one */
    int namb;                      /* ambiguous symbols */
    uint64_t amask[CM_ALPH_AMAX][2]; /* core letters each ambiguous symbol stands for
                                      (bit i of word i/64) */
} cm_alph_t;

/* The built-in alphabets (MEME alphabet.c): DNA (A C G T, A~T C~G, U alias of T,
 * W S M K R Y B D H V N, X and . aliases of N), RNA (A C G U, no complements, T alias
 * of U, the same ambiguity codes over U), protein (the 20 amino acids A C D E F G H I
 * K L M N P Q R S T V W Y, B Z J, X with * and . as aliases).  All case-insensitive. */
void cm_alph_dna(cm_alph_t *a);
void cm_alph_rna(cm_alph_t *a);
void cm_alph_protein(cm_alph_t *a);

/* The built-in alphabet named by a MEME "ALPHABET= LETTERS" line: ACGT (DNA), ACGU
 * (RNA) or ACDEFGHIKLMNPQRSTVWY (protein), any case.  0, or -1 for other strings
 * (only the built-in alphabets may be written that way, as in MEME). */
int cm_alph_from_letters(const char *letters, cm_alph_t *a);

/* Is a the built-in DNA alphabet (A C G T with the standard complements and
 * symbols)?  The DNA fast paths of scan and compare are taken only then. */
static inline int cm_alph_is_dna(const cm_alph_t *a) { return a->builtin == CM_ALPH_DNA; }

/* Same core letters (in order), complements and symbol meanings (core letter, alias or
 * ambiguous set of every byte): MEME's alph_equal, names and colours aside. */
int cm_alph_equal(const cm_alph_t *a, const cm_alph_t *b);

/* MEME alph_core_subset: every core letter of sub is a core letter (or alias) of super.
 * Returns 0 (not a subset), 1 (subset, complements agree) or -1 (subset, but some
 * complement differs).  idx (may be NULL; sub->k entries) receives each of sub's core
 * letters' index in super. */
int cm_alph_core_subset(const cm_alph_t *sub, const cm_alph_t *super, int *idx);

/* Average the background bg[0..K-1] over each two-way complement pair (a~b with
 * comp[a] = b and comp[b] = a), as MEME's average_freq_with_complement. */
void cm_alph_symmetrise(const cm_alph_t *a, double *bg);

/* Display letter of core index x (a->core[x], as the definition writes it). */
static inline char cm_alph_letter(const cm_alph_t *a, int x) { return a->core[x]; }

/* The complement of sequence letter c as the reverse strand's matched sequence shows
 * it: the core symbol of the complement of c's core letter (c's own core symbol when it
 * has no complement); c itself when it is not a core letter or alias. */
static inline char cm_alph_comp_letter(const cm_alph_t *a, char c)
{
    int x = a->code[(unsigned char)c];
    if (x == CM_ALPH_NONE) return c;
    return a->core[a->comp[x] >= 0 ? a->comp[x] : x];
}

/* Reading an "ALPHABET … END ALPHABET" block, one line at a time.  begin parses the
 * header line (returns 0, or -1 with the reason in why, a buffer of at least 200
 * bytes, when it is not an ALPHABET header); line takes each following line until
 * the "END ALPHABET" line, which goes to end (that builds *out).  line and end return
 * 0 or -1 with the reason in why (no FILE:LINE; the caller adds them). */
typedef struct cm_alph_block_s cm_alph_block_t;
cm_alph_block_t *cm_alph_block_begin(const char *header, char *why);
int cm_alph_block_line(cm_alph_block_t *b, const char *line, char *why);
int cm_alph_block_end(cm_alph_block_t *b, cm_alph_t *out, char *why);
void cm_alph_block_free(cm_alph_block_t *b);   /* NULL-safe */

/* Is the line an "END ALPHABET" line (blanks around, any case)? */
int cm_alph_is_end(const char *line);
/* Is the line an alphabet block header ("ALPHABET" alone or with a name / -LIKE, not
 * "ALPHABET=")? */
int cm_alph_is_header(const char *line);

#endif
