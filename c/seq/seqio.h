/* seqio.h — FASTA reading (plain, gzip or bgzip; "-" = stdin), record by record.
 * Sequence letters are kept exactly as in the file (case preserved, so soft-masked
 * lower case survives for FIMO's '+' matched_sequence); line breaks and blanks are
 * removed. */
#ifndef COOPMAP_SEQIO_H
#define COOPMAP_SEQIO_H

#include <stddef.h>
#include "core/error.h"

/* One FASTA record.  Buffers are owned by the record and reused between calls. */
typedef struct {
    char *name;        /* first word of the header line (after '>') */
    char *desc;        /* rest of the header after the first blank run, "" if none */
    char *seq;         /* letters, NUL-terminated */
    size_t len;        /* strlen(seq) */
    long lineno;       /* line number of the header, for messages */
    size_t cap_, ncap_, dcap_;  /* private */
} cm_seqrec_t;

typedef struct cm_fasta_s cm_fasta_t;

/* Open a FASTA file (lines of any length: no CM_LINE_MAX, a chromosome may be one
 * line).  NULL with err filled on failure. */
cm_fasta_t *cm_fasta_open(const char *path, cm_err_t *err);

/* Read the next record into rec (zero-initialise rec before the first call).
 * Returns 1 with a record, 0 at end of file, -1 with err "PATH:LINE: what"
 * (sequence text before the first '>', empty header name, read error). */
int cm_fasta_next(cm_fasta_t *f, cm_seqrec_t *rec, cm_err_t *err);

/* Path of an open FASTA (for messages). */
const char *cm_fasta_path(const cm_fasta_t *f);

void cm_fasta_close(cm_fasta_t *f);     /* NULL-safe */

/* The two rules every FASTA reader of coopmap shares (this one and fachunk.h's):
 *
 * cm_fasta_preamble_line: what a line read before the first '>' header is (line
 * number lineno of path, for the message): 1 = the header itself, 0 = skipped (blank
 * or a ';' comment), -1 = sequence text before the first header, with err
 * "PATH:LINE: sequence text before the first '>' header (not FASTA?)".
 *
 * cm_fasta_header: split a header line (line[0] == '>') into the name, its first word
 * (*name, *nl bytes, not NUL-terminated: it points into line), and the description,
 * the rest after the blank run (*desc, "" if none).  Returns 0, or -1 with err
 * "PATH:LINE: FASTA header without a name". */
int cm_fasta_preamble_line(const char *path, long lineno, const char *line, cm_err_t *err);
int cm_fasta_header(const char *path, long lineno, const char *line, const char **name,
                    size_t *nl, const char **desc, cm_err_t *err);
void cm_seqrec_free(cm_seqrec_t *rec);  /* frees the buffers, zeroes rec */

#endif
