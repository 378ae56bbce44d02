/* fimo_out.h — coopmap-scan's outputs, as FIMO 5.5.8 writes them: TSV rows and header
 * (--text and fimo.tsv), the fimo.tsv trailer, GFF3 (fimo.gff), BED6+ (fimo.bed,
 * --bed), and the --max-strand filter that sits between the scan and a writer.
 *
 * Coordinates: hits (cm_hit_t, scan.h) are 1-based inclusive (start..stop), as FIMO
 * reports them; TSV and GFF3 print them so; BED6+ prints start − 1 and stop (0-based,
 * half-open).  Numbers use FIMO's formats: score "%g", p-value and q-value "%.3g"
 * (an empty q-value field when cm_hit_t.qvalue is NaN, or "0" with qv_zero).
 *
 * Nothing here prints to stderr or exits.  Write errors are not checked row by row: they
 * set the stream's error flag and are reported by cm_out_commit (error.h) when the
 * file is closed, so every writer below is void or always returns 0.
 */
#ifndef COOPMAP_FIMO_OUT_H
#define COOPMAP_FIMO_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/error.h"
#include "scan/scan.h"

/* The TSV header line (FIMO's, with a trailing 'region' column when regions = 1),
 * newline included. */
const char *cm_fimo_header(int regions);

/* A row writer for TSV and BED6+ at once; a cm_hit_fn via cm_fimo_write_hit.
 * Zero-initialise (or cm_fimo_writer_init), set the public fields, use, then
 * cm_fimo_writer_free. */
typedef struct {
    FILE *tsv;        /* TSV rows go here, or NULL for none */
    FILE *bed;        /* BED6+ rows go here, or NULL for none */
    int regions;      /* 1 = add the region-name column to both ('.' when a hit has none;
                       * --regions) */
    int header_done;  /* 1 once the TSV header was written (set by the functions) */
    int qv_zero;      /* 1 = TSV q-value "0" instead of empty for a NaN q-value (full
                       * mode with --no-qvalue: FIMO 5.5.8 writes 0 there) */
    /* private: the row being built (one fwrite per row: printf's format parsing costs
     * more than the scan for the ~10^6 rows of a genome-wide run) and the formatted
     * "score\tp-value" per (strand, integer score), valid when stamp == motif + 1
     * (used when a hit has no sp_text) */
    char *line;
    size_t line_n, line_cap;
    int cap;
    int *stamp[2];
    char (*txt[2])[48];
} cm_fimo_writer_t;

/* Zero w and set its outputs. */
void cm_fimo_writer_init(cm_fimo_writer_t *w, FILE *tsv, FILE *bed, int regions);

/* Write the TSV header to w->tsv now (full mode: fimo.tsv has it even with no rows)
 * and mark it done. */
void cm_fimo_write_header(cm_fimo_writer_t *w);

/* A cm_hit_fn (data = cm_fimo_writer_t *): one row per output.
 * TSV (when w->tsv): the header first if not yet written (FIMO --text prints it only
 * when there is a hit), then motif_id, motif_alt_id, sequence_name, start, stop
 * (1-based inclusive), strand, score, p-value, q-value (empty when NaN),
 * matched_sequence[, region], tab-separated.
 * BED6+ (when w->bed): sequence_name, start − 1, stop (0-based half-open), motif_id,
 * score, strand, motif_alt_id, p-value[, region] (coopmap's; FIMO has no BED output).
 * Always returns 0; err is unused. */
int cm_fimo_write_hit(const cm_hit_t *h, void *w, cm_err_t *err);

/* Rows formatted by the scan threads (scan.h cm_scan_chunks_rows), for --text without
 * --bed: the configuration of cm_fimo_format_rows. */
typedef struct {
    int regions;      /* as cm_fimo_writer_t.regions */
    int qv_zero;      /* as cm_fimo_writer_t.qv_zero */
    int max_strand;   /* 1 = --max-strand (as cm_maxstrand_t: of a window's two strand
                       * hits only the higher score, '+' on ties) */
} cm_fimo_rows_t;

/* A cm_rows_fn (cfg = const cm_fimo_rows_t *): the TSV rows of h[0..n), exactly as
 * cm_fimo_write_hit writes them (so --max-strand, applied here per call, gives the
 * rows cm_maxstrand_t would).  Thread-safe; returns the rows written. */
size_t cm_fimo_format_rows(const cm_hit_t *h, size_t n, const void *cfg, cm_rowbuf_t *out);

/* A cm_write_fn (data = cm_fimo_writer_t *): the TSV header first if not yet written,
 * then the bytes to w->tsv.  Always returns 0. */
int cm_fimo_write_rows(const char *p, size_t n, void *data, cm_err_t *err);

/* Free w's buffers (not the streams); NULL-safe, w may be reused after init. */
void cm_fimo_writer_free(cm_fimo_writer_t *w);

/* The last line of a --shard K/N text output (shard.h): "# shard K/N: motifs LO-HI of
 * TOTAL, run R" (motif-file order, after --motif; R = the run key, shard.h cm_run_key,
 * as 16 hex digits), which cm_fimo_merge_text checks. */
void cm_fimo_write_shard_line(FILE *fp, int k, int n, int lo, int hi, int total, uint64_t run);

/* coopmap-scan --merge: the --text outputs of shards 1..n of one scan (paths, in shard
 * order; each its rows, with the header line before them when it has any, then its
 * "# shard" line) into fp: the header once when any shard has a row, then every row in
 * shard order, so the result is byte-identical to the unsharded --text output (FIMO
 * --text order is motif-major and the shards are consecutive motif slices).  Checked:
 * the shard lines say 1/n .. n/n in order with consecutive motif ranges from 0 to one
 * total and one run key (a shard line without one, as written before the key existed,
 * only beside others without one), and the headers are the same.  Errors
 * "FILE:LINE: what"; returns 0 or -1 with err, *rows the rows written. */
int cm_fimo_merge_text(char *const *paths, int n, FILE *fp, long *rows, cm_err_t *err);

/* fimo.tsv's trailer after the rows: a blank line and three '#' lines (tool version,
 * the format's URL, cmdline), in place of FIMO's own version line. */
void cm_fimo_write_trailer(FILE *fp, const char *cmdline);

/* GFF3 as FIMO 5.5.8 writes fimo.gff (fimo-output.c print_fimo_gff_file; with
 * --no-qvalue it leaves out the "qvalue=" attribute, as coopmap does for NaN): "##gff-version 3",
 * then per motif (file order), per sequence (scan order: cm_hit_t.seq_index), that
 * sequence's hits in l's order (fimo.tsv's, after cm_hitlist_sort), numbered from 1
 * within each (motif, sequence).  Columns: seqid, "fimo", "nucleotide_motif", start,
 * stop (1-based inclusive), score = MIN(1000, −4.342·ln p) ("%3.3g"; FIMO's rounded
 * −10·log10 p; 1000 for p = 0), strand, ".", attributes Name=ID_SEQSTRAND;
 * Alias=ALT; (empty when the motif has no alt name) ID=ID[-ALT]-N-SEQ; pvalue=;
 * qvalue= (when not NaN); sequence=; and coopmap's region= (when the hit has one).
 * nmotifs is unused (kept for callers). */
void cm_fimo_write_gff(FILE *fp, const cm_hitlist_t *l, int nmotifs);

/* cm_fimo_write_gff, leaving out the hits with q-value > qmax (--qv-thresh; a NaN
 * q-value is never left out).  As FIMO 5.5.8, a left-out hit still takes its number:
 * the ID= numbers of the written ones are those of the unfiltered file. */
void cm_fimo_write_gff_q(FILE *fp, const cm_hitlist_t *l, double qmax);

/* best_site.narrowPeak as FIMO 5.5.8 writes it in full mode: for every (motif,
 * sequence) its best site — the smallest p-value, ties to the smaller start, then
 * '+' — as one narrowPeak line, in l's order (fimo.tsv's): seq, start (FIMO writes
 * the 1-based start unchanged), stop + 1, motif id, 450, strand, score (%g),
 * p (%.3g), q (%.3g; 0 when none, i.e. --no-qvalue: FIMO prints its never-set q
 * field there, as in fimo.tsv), peak = (stop − start) / 2 (integer). */
void cm_fimo_write_best_sites(FILE *fp, const cm_hitlist_t *l);

/* --max-strand: of the two strand hits of one window (same motif, sequence and start)
 * pass on only the one with the higher score, '+' on ties (FIMO 5.5.8 picks one at
 * random, so ties are not reproduced; everything else is).  A cm_hit_fn placed in
 * front of another: hits arrive in scan order ('+' before '-' of a window), so one hit
 * is held back (with its own copies of the strings) until the next one shows whether
 * it has a partner; cm_maxstrand_flush passes on the last.  Zero-initialise (or
 * cm_maxstrand_init), then cm_maxstrand_free. */
typedef struct {
    cm_hit_fn fn;     /* the next stage */
    void *data;       /* its data */
    /* private: the held hit */
    int have;
    cm_hit_t h;
    char *seq, *mt, *reg;
} cm_maxstrand_t;

/* Zero m and set the next stage. */
void cm_maxstrand_init(cm_maxstrand_t *m, cm_hit_fn fn, void *data);

/* A cm_hit_fn (data = cm_maxstrand_t *).  Returns 0, or non-zero (with the next
 * stage's err) when the next stage fails. */
int cm_maxstrand_add(const cm_hit_t *h, void *m, cm_err_t *err);

/* Pass on the held hit, if any, at the end of the scan.  Returns as cm_maxstrand_add. */
int cm_maxstrand_flush(cm_maxstrand_t *m, cm_err_t *err);

/* Free the held copies; NULL-safe. */
void cm_maxstrand_free(cm_maxstrand_t *m);

#endif
