/* scan.h — FIMO-compatible motif scanning engine (MEME Suite 5.5.8 FIMO, COMPAT.md
 * "FIMO scoring" items 1–10).
 *
 * A cm_scanner_t holds, for every motif, the forward and reverse-complement integer
 * PSSMs (pssm.h) and the smallest integer score that passes the p-value threshold, so
 * the scan loop is integer sums and one comparison per window and strand; the p-value
 * of a passing window is looked up in the motif's table.
 *
 * cm_scan_fasta() reads FASTA (plain/gzip/bgzip) in chunks of CM_SCAN_CHUNK bases that
 * overlap by the widest motif − 1 (fachunk.h; a record is never held whole), scans
 * every chunk of a batch for all motifs in parallel (OpenMP, --threads) with the
 * filters of scan_engine.h, and hands the hits to a callback in FIMO --text order:
 * motif (file order), then sequence (file order), then position, '+' before '-' at
 * the same position.  The order and every value are independent of the thread count
 * and of the chunk size.  Hits are kept per motif as compact records until the end
 * (spilled to an unnamed temporary file beyond opts.spill_bytes), so memory is bounded
 * by the batch size plus the spill buffer plus the motifs' tables.  cm_scan_chunks()
 * does the same for any chunk source (regions.h: --regions of an indexed genome).
 *
 * Threads (opts.threads >= 2; output unchanged, issue 12): the next batch is read
 * (decompressed) by one thread while the others scan the current one, so two batches of
 * letters are held (the first batch is read while the others build the engine).  The
 * threads scan one chunk at a time, each a different group of motifs (32 groups of
 * consecutive motifs), the next chunk prepared ahead, in a ring of 6 chunk workspaces
 * (scan_engine.h, ~11 bytes per base).  The last batch (the one the source ends in)
 * ends in supergroups over its last 3 chunks, and each group's hits go to the callback
 * as soon as every chunk is scanned for it, by one thread at a time, while the other
 * threads scan the next groups: the callback (the output writer) runs beside the scan
 * instead of after it.  The callback is never called by two threads at once, always in
 * the order above, but not always from the calling thread.  A motif's held hits are
 * freed as soon as they are delivered.  cm_scan_chunks_rows (below) moves the
 * formatting of the rows into the scan threads too (a group over all its chunks, motif
 * by motif, once it is scanned), so that only writing bytes is left to the one
 * delivering thread.
 *
 * Coordinates: windows are reported 1-based inclusive (start..stop), plus the parsed
 * header offset (item 9).  Windows containing any non-ACGT letter are skipped (item 8).
 */
#ifndef COOPMAP_SCAN_H
#define COOPMAP_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "seq/fachunk.h"
#include "motif/motif.h"
#include "motif/pssm.h"
#include "scan/prior.h"

/* Bases per chunk (the unit of parallel work and of memory, fachunk.h). */
#define CM_SCAN_CHUNK ((size_t)1 << 19)

/* Scan options (FIMO option names in brackets). */
typedef struct {
    double thresh;        /* p-value threshold, inclusive [--thresh, 1e-4] */
    double pseudo;        /* motif pseudocount weight [--motif-pseudo, 0.1] */
    const char *bfile;    /* background spec for cm_bg_resolve [--bfile]; NULL = --nrdb-- */
    int norc;             /* 1 = scan the given strand only [--norc] */
    int pgc;              /* 1 = parse genomic coordinates from headers (default);
                           * 0 = name is the first word, offset 0 [--no-pgc] */
    int threads;          /* OpenMP threads [--threads, 1] */
    size_t batch_bases;   /* FASTA bases read and scanned per parallel round, default
                           * 8 Mi, in chunks of min(CM_SCAN_CHUNK, batch_bases) bases
                           * (records are cut into chunks overlapping by wmax − 1) */
    size_t spill_bytes;   /* hit-record bytes kept in memory before spilling, 64 Mi */
    int method;           /* scan_engine.h: 0 = per motif (default), 1 = 8-mer buckets
                           * for all, 2 = linear lookahead for all (output identical) */
    const cm_psp_t *psp;  /* position-specific priors [--psp] (prior.h), with ... */
    const cm_prior_dist_t *prior_dist;   /* ... their distribution [--prior-dist]; both
                           * or neither (borrowed: must outlive the scanner) */
    double alpha;         /* prior scale [--alpha, 1] */
    int max_strand;       /* --max-strand: the tested count (and the q-values' sample)
                           * has one (window, strand) pair per window, the strand of the
                           * higher score, as FIMO records only that one (fimo.c
                           * fimo_score_sequence -> fimo_record_score); the hits
                           * themselves are filtered by the caller (fimo_out.h) */
} cm_scan_opts_t;

/* Fill o with the defaults above. */
void cm_scan_opts_init(cm_scan_opts_t *o);

/* Prepared motifs.  Arrays have n entries, in motif-file order. */
typedef struct {
    int n;
    const cm_motif_t *motifs;   /* borrowed from the motif set (must outlive the scanner) */
    cm_pssm_t *fwd;             /* forward-strand PSSMs */
    cm_pssm_t *rc;              /* reverse-complement PSSMs (unused when norc) */
    int *min_fwd, *min_rc;      /* smallest passing integer score per strand */
    double bg[CM_ALPH_MAX];     /* finished background, K = alph->k letters (DNA: A,C,G,T) */
    int norc;                   /* given strand only: --norc, or an alphabet without
                                 * complements (RNA), as FIMO */
    const cm_alph_t *alph;      /* the motif set's alphabet (borrowed); K != 4 alphabets
                                 * take the engine's general-K path (scan_engine.h) */
    /* with priors (opts psp and prior_dist; prior.h): fwd/rc are scaled with the
     * priors' log-odds range, min_fwd/min_rc are the loosest motif-score thresholds
     * (at the file's largest prior), and pp[k] holds per strand (0 '+', 1 '-') the
     * prior-convolved p-value table (npv = (w + 1)·1000 + 1 entries) and tmin, the
     * smallest adjusted score S' whose p-value passes; a window passes iff its S' at
     * its own prior reaches tmin (checked per window: a position-dependent threshold).
     * NULL without priors. */
    const cm_psp_t *psp;
    double alpha;
    struct cm_prior_pssm { double *pv[2]; int npv; int tmin[2]; } *pp;
} cm_scanner_t;

/* Resolve and finish the background (cm_bg_resolve, cm_bg_finish(bg, !norc)), build the
 * PSSMs of every motif of set and their threshold scores (with priors as prior.h).
 * set->path names the file in messages.  Returns 0, or -1 with err (bad --bfile, zero
 * probability without pseudocount, a prior distribution or alpha FIMO cannot use, a
 * distribution that does not cover the PSP's priors: prior.h item 6). */
int cm_scanner_init(cm_scanner_t *sc, const cm_motifset_t *set, const cm_scan_opts_t *o,
                    cm_err_t *err);
void cm_scanner_free(cm_scanner_t *sc);   /* NULL-safe */

/* Parse genomic coordinates from a FASTA header (COMPAT.md item 9).  The header is
 * "name desc" (desc may be ""); the first match, searched left to right, of UCSC
 * "CHROM:START-END" (CHROM without blanks or ':'), else Galaxy
 * "GENOME_CHROM_START_END" (fields without blanks or '_'; the name is "GENOME_CHROM",
 * e.g. mm9_chr18, as FIMO 5.5.8 names it) sets *chrom (malloc'd copy)
 * and *offset = START − 1 (bases before the first one, so position p of the record
 * is reported as offset + p, p 1-based).  Returns 1 when parsed, 0 otherwise (then
 * *chrom = the first run of characters other than blanks and ':' of the header —
 * FIMO's name when there are no coordinates, so "chr1:abc" is named chr1 — and
 * *offset = 0). */
int cm_parse_coords(const char *name, const char *desc, char **chrom, long *offset);

/* One reported hit (valid only during the callback). */
typedef struct {
    int motif;              /* index into the scanner's motifs */
    const char *motif_id, *motif_alt;
    const char *seq_name;   /* sequence name after coordinate parsing */
    int seq_index;          /* 0-based index of the sequence (FASTA record or region)
                             * in scan order */
    long start, stop;       /* 1-based inclusive, offset applied */
    char strand;            /* '+' or '-' */
    int iscore;             /* integer score (of the strand's matrix; with priors the
                             * adjusted score S' of prior.h) */
    double score;           /* s / scale + w·offset, 10 significant digits */
    double pvalue;          /* 10 significant digits, <= thresh */
    double qvalue;          /* q-value (full mode, scan_q.h); NaN = none (printed empty) */
    const char *matched;    /* w letters: '+' as in the input, '-' upper-case reverse
                             * complement; NUL-terminated */
    const char *region;     /* label of the sequence's source (--regions BED name) or NULL */
    const char *sp_text;    /* score and p-value as FIMO prints them, "%g\t%.3g" of score and
                             * pvalue, or NULL (then the writer formats them); valid only
                             * during the callback (copies of hits must drop it) */
} cm_hit_t;

/* Called once per hit, in FIMO scan order; return 0 to continue, non-zero to stop
 * (cm_scan_fasta / cm_scan_chunks then return -1, with err as the callback left it). */
typedef int (*cm_hit_fn)(const cm_hit_t *hit, void *data, cm_err_t *err);

/* Scan the FASTA file at path with every motif of sc; call fn for each hit.
 * *nhits (may be NULL) receives the number of hits.  Returns 0, or -1 with err
 * ("PATH:LINE: what" for bad FASTA, I/O errors, or the callback's error). */
int cm_scan_fasta(const cm_scanner_t *sc, const cm_scan_opts_t *o, const char *path,
                  cm_hit_fn fn, void *data, long *nhits, cm_err_t *err);

/* Chunk size and overlap (wmax − 1) a chunk source must use for sc and o. */
void cm_scan_chunking(const cm_scanner_t *sc, const cm_scan_opts_t *o, size_t *chunk,
                      size_t *overlap);

/* A chunk source: 1 with *c, 0 at the end, -1 with err. */
typedef int (*cm_chunk_fn)(void *src, cm_chunk_t *c, cm_err_t *err);

/* Scan the chunks of a source (opened with cm_scan_chunking's sizes; fachunk.h rules),
 * as cm_scan_fasta does.  tested (may be NULL) receives per motif the number of
 * (window, strand) pairs scanned: windows without a non-ACGT letter, times 2 unless
 * norc or max_strand (the m of the q-values, scan_q.h). */
int cm_scan_chunks(const cm_scanner_t *sc, const cm_scan_opts_t *o, cm_chunk_fn next, void *src,
                   cm_hit_fn fn, void *data, long *nhits, uint64_t *tested, cm_err_t *err);

/* ---- rows formatted by the scan threads (coopmap-scan --text) ----
 * cm_scan_chunks hands every hit to one callback, in order, from one thread at a time:
 * for the ~10^6 rows of a genome-wide scan, formatting them there is the serial part of
 * the run.  cm_scan_chunks_rows instead has the scan threads format the hits of each
 * (chunk, motif) into bytes once every chunk of the batch is scanned for the motif's
 * group (in parallel, a group per thread; motif by motif, so a motif's score and
 * p-value texts stay in cache across its chunks), and only writes the bytes, in the
 * order of cm_scan_chunks' callback, from one thread at a time.  Output is
 * byte-identical for any --threads, --batch-bases and --spill-bytes (the formatted
 * bytes are what is held and spilled). */

/* A growable byte buffer. */
typedef struct { char *p; size_t n, cap; } cm_rowbuf_t;

/* Append n bytes to b (grows it). */
void cm_rowbuf_put(cm_rowbuf_t *b, const void *x, size_t n);

/* Format the hits h[0..n) — one motif, one chunk, in scan order (position, '+' before
 * '-' of a window; both strand hits of a window are always in the same call) — as
 * output bytes appended to out; return the number of rows written.  Called by several
 * scan threads at once: must only read data. */
typedef size_t (*cm_rows_fn)(const cm_hit_t *h, size_t n, const void *data, cm_rowbuf_t *out);

/* Write n > 0 formatted bytes; called in output order, by one thread at a time (not
 * always the calling thread).  Return 0, or non-zero with err to stop the scan. */
typedef int (*cm_write_fn)(const char *p, size_t n, void *data, cm_err_t *err);

/* cm_scan_chunks with formatting by the scan threads: rows(…, rows_data, …) formats,
 * write(…, wdata, …) writes.  *nrows (may be NULL) receives the rows written; tested as
 * cm_scan_chunks.  Returns 0, or -1 with err (the source's or write's). */
int cm_scan_chunks_rows(const cm_scanner_t *sc, const cm_scan_opts_t *o, cm_chunk_fn next,
                        void *src, cm_rows_fn rows, const void *rows_data, cm_write_fn write,
                        void *wdata, long *nrows, uint64_t *tested, cm_err_t *err);

/* Scan one range of window starts of an nt4-coded sequence (codes 0..3, 4 = other, see
 * dna.h) with motif k: starts from..to-1 (0-based; `to` is clipped to len − w + 1).
 * For each window and strand whose integer score reaches min_fwd[k] / min_rc[k], calls
 * emit(data, start0, strand '+'/'-', iscore), in position order, '+' first.  Windows
 * containing a code 4 are skipped (COMPAT.md item 8).  Scoring uses 4-column lookup
 * tables over packed codes, visited most-selective first with early exit when the
 * threshold is out of reach (MOODS-style lookahead); a reported score is the exact
 * integer sum.  Thread-safe (reads sc only).  The engine's inner loop, exposed for
 * tests and benchmarks. */
void cm_scan_range(const cm_scanner_t *sc, int k, const unsigned char *codes, size_t len,
                   size_t from, size_t to,
                   void (*emit)(void *data, size_t start0, char strand, int iscore),
                   void *data);

/* A list of stored hits (full mode: FIMO sorts its fimo.tsv by p-value).  Each entry
 * owns copies of matched and region; seq_name copies are shared between entries (free
 * and drop entries only with the functions below); motif_id/motif_alt point into the
 * motif set. */
typedef struct {
    size_t n, cap;
    cm_hit_t *hit;
} cm_hitlist_t;

/* A cm_hit_fn appending a copy of *hit to the cm_hitlist_t at data (zero-initialised
 * before the first call).  Never fails. */
int cm_hitlist_add(const cm_hit_t *hit, void *data, cm_err_t *err);

/* Sort into FIMO full-mode order: ascending p-value as rounded to 10 digits (so hits
 * that tie at the printed %.3g digits are in p order; the unrounded value is not used:
 * it reorders FIMO 5.5.8's reference, see scan.c); equal p by the position of the
 * motif's first column (start on '+', stop on '-'), as observed in FIMO 5.5.8 output;
 * then scan order.  Assumes the list was filled in scan order.
 * (Ties across sequences: by that position, then scan order — not checked against
 * FIMO, whose reference run has one sequence.) */
void cm_hitlist_sort(cm_hitlist_t *l);

/* Keep only the hits for which keep(hit, data) is non-zero, in their order, freeing
 * the copies of the others (a sequence name shared with a kept hit stays).  Returns
 * the number of hits removed. */
size_t cm_hitlist_filter(cm_hitlist_t *l, int (*keep)(const cm_hit_t *hit, void *data),
                         void *data);

void cm_hitlist_free(cm_hitlist_t *l);   /* frees the copies and zeroes l */

#endif
