/* peaks.h — labelled peaks (BED / narrowPeak, plain or gzip) for site localization.
 *
 * The BED name column labels each peak with its ChIP-seq factor: either the TF
 * itself ("MAX") or "CELL:TF[:more]" ("K562:MAX:dream"), as in the merged ENCODE
 * file of the test data.  Coordinates are BED: 0-based, half-open. */
#ifndef COOPMAP_PEAKS_H
#define COOPMAP_PEAKS_H

#include <stdint.h>
#include "core/error.h"

typedef struct {
    int64_t start, end;   /* 0-based half-open, bp */
    int tf;               /* index into cm_peaks_t.tfs */
} cm_peak_t;

/* Peaks grouped by chromosome, each group sorted by start. */
typedef struct {
    int nchrom;
    char **chroms;        /* nchrom names */
    int *n;               /* n[c] peaks on chroms[c] */
    cm_peak_t **p;        /* p[c][0..n[c]-1], sorted by start then end */
    int64_t *maxlen;      /* longest peak on chroms[c] (bounds the overlap search) */
    int ntf, ctf;
    char **tfs;           /* distinct TF labels, in order of first appearance */
    long total;           /* peaks kept */
} cm_peaks_t;

/* Read PATH.  If ncells > 0, keep only peaks whose label has a CELL part equal
 * (case-insensitive) to one of cells[]; unlabelled-by-cell names are then dropped.
 * TF labels are matched case-insensitively (the first spelling seen is kept).
 * Lines starting with '#', "track" or "browser" and blank lines are skipped.
 * Returns 0, or -1 with err filled and out left empty.
 * Errors: "PATH:LINE: what" (fewer than 4 columns, bad coordinates, empty name). */
int cm_peaks_read(const char *path, char **cells, int ncells, cm_peaks_t *out, cm_err_t *err);

/* Chromosome index of name in pk (exact, case-sensitive), or -1. */
int cm_peaks_chrom(const cm_peaks_t *pk, const char *name);

/* Distinct TF labels of the peaks on chromosome c (0 <= c < nchrom) that wholly
 * contain [start, end) (0-based half-open): written to tfs[] (capacity pk->ntf), count
 * returned, nearest peak start first (callers should not rely on the order).  scratch
 * must hold pk->ntf zero bytes and is left zeroed.  Binary search, then a walk back
 * over at most maxlen[c] bp of peak starts. */
int cm_peaks_containing(const cm_peaks_t *pk, int c, int64_t start, int64_t end,
                        unsigned char *scratch, int *tfs);

/* Free everything and zero pk; NULL-safe. */
void cm_peaks_free(cm_peaks_t *pk);

#endif
