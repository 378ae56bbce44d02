/* motif.h — motif I/O: position probability matrices (PPMs) read from motif files.
 *
 * Read here: MEME text format (v4/v5, "minimal" and loose files that lack the
 * ALPHABET/strands/background lines), parsed as COMPAT.md "Motif files" describes.
 * JASPAR, TRANSFAC and HOMER files are read into the same cm_motifset_t by
 * motif_formats.h, which calls cm_motifs_read() for MEME files.
 *
 * Alphabets (alphabet.h): a MEME file may name a built-in alphabet ("ALPHABET= ACGT",
 * "ALPHABET= ACGU", the 20 amino acids) or define its own in an "ALPHABET … END
 * ALPHABET" block; without either it is DNA (or guessed as MEME does: background
 * letters A C G U ⇒ RNA, alength= 20 or 20-value rows ⇒ protein).  A set's matrices
 * have K = set->alph.k columns in the alphabet's core order; for DNA that is A, C, G,
 * T (index 0..3), and every other format (JASPAR, TRANSFAC, HOMER, the XML/HTML
 * outputs) is read as DNA.
 */
#ifndef COOPMAP_MOTIF_H
#define COOPMAP_MOTIF_H

#include "core/error.h"
#include "motif/alphabet.h"

/* One motif as a PPM. */
typedef struct {
    char *id;          /* MOTIF identifier (first token), e.g. "MA0139.2" */
    char *alt;         /* alternate name (second token unless it contains '='), "" if none */
    int w;             /* width in columns (bp) */
    double nsites;     /* nsites= value as written (may be fractional); 20 when absent */
    int has_nsites;    /* 1 if nsites= was given */
    int k;             /* letters per row: K of the set's alphabet (4 for DNA); 0 is read
                          as 4 (cm_motif_k) for motifs built elsewhere */
    double *freq;      /* w × K, row-major (freq[i*K+a], a in the alphabet's core order;
                          DNA: A C G T): rows as written when they sum to 1 ± 1e-5, else
                          divided by their sum (cm_motif_normalise_rows) */
    char *url;         /* URL line or NULL */
    long lineno;       /* line of the MOTIF line in the source file (for messages) */
} cm_motif_t;

/* The motifs of one file plus that file's background. */
typedef struct {
    int n;             /* number of motifs */
    cm_motif_t *m;     /* n motifs in file order */
    cm_alph_t alph;    /* the file's alphabet (DNA unless the file says otherwise) */
    double bg[CM_ALPH_MAX]; /* "Background letter frequencies", K = alph.k entries in core
                          order (DNA: A,C,G,T), scaled to sum 1; uniform if absent */
    int has_bg;        /* 1 if the file gave a background */
    char *path;        /* file name as given */
} cm_motifset_t;

/* The widest motif any reader accepts, in columns: MEME's own largest -maxw.  The
 * scan's exact p-value table of a motif costs O(w^2) time (about 0.2 s at 300 columns)
 * and the comparison's null distributions of a query O(w^3) memory (about 1.5 GB at
 * 300 columns, per thread); real motifs are much narrower (JASPAR 2024: at most 33). */
#define CM_MOTIF_MAX_W 300

/* Letters per row of m (m->k, or 4 when 0). */
static inline int cm_motif_k(const cm_motif_t *m) { return m->k > 0 ? m->k : 4; }

/* Read every motif of PATH (plain or gzip) into set (zeroed by the caller or fresh).
 * MEME rules (COMPAT.md "Motif files"): "MEME version" line required; the alphabet
 * from "ALPHABET=" or an ALPHABET block (errors "PATH:LINE: alphabet: reason"); a
 * background lists each core letter once (any order, letters mapped through the
 * alphabet: aliases, case), its numbers >= 0 and finite; alength= must equal K; a row
 * has K entries, numbers >= 0, summing to 1 ± 0.1; without w= rows run until the
 * first non-numeric line; missing nsites ⇒ 20.  Every motif then goes through
 * cm_motif_normalise_rows (MEME's rule: rows within 1e-5 of 1 kept as written, the
 * others divided by their sum).  Keeping near-1 rows as written matters: Tomtom
 * 5.5.8's reference p-values are reproduced only so (JASPAR rows sum to 1 ± 1e-6;
 * 971 of 1,405 p-values match renormalised, all as written).  Then cm_motifs_check.
 * Returns 0, or -1 with err = "PATH:LINE: what" and set left empty. */
int cm_motifs_read(const char *path, cm_motifset_t *set, cm_err_t *err);

/* Flags of cm_motifs_read_flags / cm_motifs_read_any_flags (motif_formats.h). */
#define CM_MOTIFS_EMPTY_OK 1   /* a well-formed file without motifs (a MEME file of only its
                                * header: coopmap-patterns' patterns.meme when no pattern was
                                * found) is read as an empty set, not refused */

/* cm_motifs_read with flags (0 = cm_motifs_read). */
int cm_motifs_read_flags(const char *path, int flags, cm_motifset_t *set, cm_err_t *err);

/* Checks every reader applies to a set it read: no motif wider than CM_MOTIF_MAX_W
 * columns ("PATH:LINE: motif ID is W columns wide, more than the limit of 300 ..."),
 * no motif id used twice ("PATH:LINE: motif id 'ID' is used twice (first at line N)":
 * tools select, pair and report motifs by id, so a repeated id, as from a file
 * concatenated with itself, would merge two motifs' results).  LINE is the motif's
 * line.  Returns 0, or -1 with err; set is not changed. */
int cm_motifs_check(const cm_motifset_t *set, cm_err_t *err);

/* MEME Suite 5.5.8's row normalisation, which every MEME motif reader applies to every
 * motif after parsing, whatever the format (motif-in.c, normalize_motif(motif, 1e-5)
 * → array.c normalize_subarray): for each of the w rows of m->freq, total = A+C+G+T
 * (summed in that order); when 1 − 1e-5 <= total <= 1 + 1e-5 the row is left exactly
 * as written, otherwise each entry is divided by total.  A row of zeros is left as is
 * (the readers reject it first).  Count matrices (JASPAR, TRANSFAC, HOMER counts)
 * are divided by their column sums when read, so their rows are already within 1e-5
 * and this is a no-op for them, as in MEME (whose readers do the same).  Idempotent.
 * Returns the number of rows changed. */
int cm_motif_normalise_rows(cm_motif_t *m);

/* cm_motif_normalise_rows on every motif of set; returns the rows changed in all. */
int cm_motifs_normalise(cm_motifset_t *set);

/* Keep only the motifs whose id (or, failing that, alt name) is in ids[0..n-1],
 * in file order.  Returns -1 with err naming the first id that matches nothing. */
int cm_motifs_select(cm_motifset_t *set, char **ids, int n, cm_err_t *err);

/* Keep only motifs [lo, hi) of set (0 <= lo <= hi <= set->n; clamped), in file order,
 * freeing the others; the file's background is kept (coopmap-scan --shard, shard.h). */
void cm_motifs_keep_range(cm_motifset_t *set, int lo, int hi);

/* Free everything in set and zero it; NULL-safe. */
void cm_motifs_free(cm_motifset_t *set);

/* Consensus string of a DNA PPM (argmax letter per column, ties to the earlier letter
 * in A,C,G,T order); out must hold w+1 bytes. */
void cm_motif_consensus(const double *freq, int w, char *out);

/* The same over a K-letter alphabet (letters a->core). */
void cm_motif_consensus_alph(const cm_alph_t *a, const double *freq, int w, char *out);

#endif
