/* motif.h — motif I/O: position probability matrices (PPMs) read from motif files.
 *
 * Read here: MEME text format (v4/v5, "minimal" and loose files that lack the
 * ALPHABET/strands/background lines), parsed as COMPAT.md "Motif files" describes.
 * JASPAR, TRANSFAC and HOMER files are read into the same cm_motifset_t by
 * motif_formats.h, which calls cm_motifs_read() for MEME files.
 *
 * Alphabet is DNA, letters in the order A, C, G, T (index 0..3) everywhere in coopmap.
 */
#ifndef COOPMAP_MOTIF_H
#define COOPMAP_MOTIF_H

#include "core/error.h"

/* One motif as a PPM. */
typedef struct {
    char *id;          /* MOTIF identifier (first token), e.g. "MA0139.2" */
    char *alt;         /* alternate name (second token unless it contains '='), "" if none */
    int w;             /* width in columns (bp) */
    double nsites;     /* nsites= value as written (may be fractional); 20 when absent */
    int has_nsites;    /* 1 if nsites= was given */
    double *freq;      /* w × 4, row-major (freq[i*4+a]), exactly as written (rows sum to
                          1 ± 0.1; they are checked, not renormalised: see cm_motifs_read) */
    char *url;         /* URL line or NULL */
    long lineno;       /* line of the MOTIF line in the source file (for messages) */
} cm_motif_t;

/* The motifs of one file plus that file's background. */
typedef struct {
    int n;             /* number of motifs */
    cm_motif_t *m;     /* n motifs in file order */
    double bg[4];      /* "Background letter frequencies" (A,C,G,T), uniform if absent */
    int has_bg;        /* 1 if the file gave a background */
    char *path;        /* file name as given */
} cm_motifset_t;

/* Read every motif of PATH (plain or gzip) into set (zeroed by the caller or fresh).
 * MEME rules (COMPAT.md "Motif files"): "MEME version" line required; a row's
 * entries must be numbers >= 0 and sum to 1 ± 0.1; without w= rows run until the
 * first non-numeric line; missing nsites ⇒ 20.  Rows are kept exactly as written:
 * COMPAT.md says they are renormalised, but Tomtom 5.5.8's reference p-values are
 * reproduced only with the rows as written (JASPAR rows sum to 1 ± 1e-6; 971 of
 * 1,405 p-values match renormalised, all unrenormalised), and FIMO's reference
 * output is identical either way.
 * Returns 0, or -1 with err = "PATH:LINE: what" and set left empty. */
int cm_motifs_read(const char *path, cm_motifset_t *set, cm_err_t *err);

/* Keep only the motifs whose id (or, failing that, alt name) is in ids[0..n-1],
 * in file order.  Returns -1 with err naming the first id that matches nothing. */
int cm_motifs_select(cm_motifset_t *set, char **ids, int n, cm_err_t *err);

/* Keep only motifs [lo, hi) of set (0 <= lo <= hi <= set->n; clamped), in file order,
 * freeing the others; the file's background is kept (coopmap-scan --shard, shard.h). */
void cm_motifs_keep_range(cm_motifset_t *set, int lo, int hi);

/* Free everything in set and zero it; NULL-safe. */
void cm_motifs_free(cm_motifset_t *set);

/* Consensus string of a PPM (argmax letter per column, ties to the earlier letter
 * in A,C,G,T order); out must hold w+1 bytes. */
void cm_motif_consensus(const double *freq, int w, char *out);

#endif
