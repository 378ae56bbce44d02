/* fachunk.h — FASTA (plain, gzip or bgzip; "-" = stdin) read in bounded chunks, so a
 * chromosome-sized record never has to be held whole.  Record parsing follows seqio.h
 * (header name = first word, desc = rest; blanks inside sequence lines dropped; case
 * kept; ';' comment and blank lines before the first header skipped; same errors).
 *
 * Chunks of one record overlap by `overlap` bases: a chunk that is not the record's
 * first starts with the last `overlap` bases of the previous chunk.  So with
 * overlap = wmax − 1, every window of width <= wmax lies wholly inside some chunk, and
 * a scan that takes from each chunk the window starts [0, len − wmax + 1) (all starts
 * with a full window, len − w + 1, in the record's last chunk) sees every window of
 * the record exactly once.
 */
#ifndef COOPMAP_FACHUNK_H
#define COOPMAP_FACHUNK_H

#include <stddef.h>
#include "core/error.h"

typedef struct cm_fachunk_s cm_fachunk_t;

/* One chunk (buffers owned by the reader; valid until the next call). */
typedef struct {
    long rec;            /* 0-based record index in the file */
    const char *name;    /* record name (first word of the header) */
    const char *desc;    /* rest of the header ("" if none) */
    long lineno;         /* header line, for messages */
    size_t start;        /* 0-based position in the record of seq[0] */
    const char *seq;     /* len letters (NUL-terminated), as in the file */
    size_t len;
    int first, last;     /* first / last chunk of the record (an empty record is one
                          * chunk with len 0, first = last = 1) */
    int has_offset;      /* other sources (regions.h): name is final and position p
                          * (1-based) of the record is reported as offset + p */
    long offset;
    const char *label;   /* other sources: a label carried to every hit, or NULL */
} cm_chunk_t;

/* Open path; chunks hold at most chunk_bases new bases (>= 1) plus the overlap.  Lines
 * of any length (no CM_LINE_MAX).  NULL with err on failure. */
cm_fachunk_t *cm_fachunk_open(const char *path, size_t chunk_bases, size_t overlap, cm_err_t *err);

/* Next chunk: 1 with *c, 0 at end of file, -1 with err ("PATH:LINE: what"). */
int cm_fachunk_next(cm_fachunk_t *f, cm_chunk_t *c, cm_err_t *err);

void cm_fachunk_close(cm_fachunk_t *f);   /* NULL-safe */

/* FASTA records (headers) read so far: after the last chunk, the file's record count
 * (0: an empty FASTA, which callers warn about). */
long cm_fachunk_records(const cm_fachunk_t *f);

/* The same three behind void pointers, for the chunk-source interfaces of the scan:
 * cm_fachunk_src_next is a cm_chunk_fn (scan.h; src = a cm_fachunk_t *), and
 * cm_fachunk_src_open / cm_fachunk_src_close are the open / close of a re-openable
 * cm_source_t (scan_q.h) whose ctx is the path (const char *, not "-": standard input
 * cannot be read again).  Same results and errors as the functions above. */
int cm_fachunk_src_next(void *f, cm_chunk_t *c, cm_err_t *err);
void *cm_fachunk_src_open(void *path, size_t chunk_bases, size_t overlap, cm_err_t *err);
void cm_fachunk_src_close(void *f);   /* NULL-safe */

#endif
