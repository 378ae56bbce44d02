/* sites.h — motif sites: reading FIMO-format TSV (coopmap-scan --text, FIMO --text,
 * or FIMO's fimo.tsv) into 0-based half-open records.
 *
 * FIMO positions are 1-based inclusive (COMPAT.md item 9); a site read here has
 * start = FIMO start − 1 and end = FIMO stop (BED convention, DESIGN.md "Stage files"). */
#ifndef COOPMAP_SITES_H
#define COOPMAP_SITES_H

#include <stdint.h>
#include "core/error.h"

/* One motif hit. */
typedef struct {
    int chrom;          /* index into cm_sites_t.chroms */
    int64_t start, end; /* 0-based, half-open, bp */
    char strand;        /* '+' or '-' */
    int motif;          /* index into cm_sites_t.motif_ids / motif_alts */
    double score;       /* FIMO log-odds score (bits) */
    double p;           /* FIMO p-value */
} cm_site_t;

/* All hits of a file, with interned chromosome and motif names. */
typedef struct {
    int n, cap;
    cm_site_t *s;
    int nchrom, cchrom;
    char **chroms;         /* sequence names in order of first appearance */
    long *chrom_line;      /* nchrom: the file line where each first appears (messages) */
    int nmotif, cmotif;
    char **motif_ids;      /* motif_id column */
    char **motif_alts;     /* motif_alt_id column ("" if empty) */
} cm_sites_t;

/* Read a FIMO TSV.  Columns are found by header name (motif_id, motif_alt_id,
 * sequence_name, start, stop, strand, score, p-value; others ignored); '#' lines and
 * blank lines are skipped, so FIMO's trailer is fine; a file with no header and no
 * rows (FIMO --text with no hits) gives zero sites.  Errors: "PATH:LINE: what" for a
 * missing column, a non-numeric field (a score must be finite, a p-value in [0, 1]),
 * stop < start, or a strand other than +/-.
 * Returns 0, or -1 with err filled and out left empty.  (Every field is parsed: a
 * row is split into at most 256 columns.) */
int cm_sites_read(const char *path, cm_sites_t *out, cm_err_t *err);

/* Free everything and zero s; NULL-safe. */
void cm_sites_free(cm_sites_t *s);

#endif
