/* prior.h — FIMO's position-specific priors: --psp FILE, --prior-dist FILE, --alpha A.
 *
 * Reproduced from the MEME Suite source (read, not copied; version 5.4.1 as vendored by
 * pymemesuite — the 5.5.8 tree was not available to read; the option set of fimo.c is
 * the same): fimo.c fimo_score_site() and fimo_score_sequence(), pssm.c
 * scale_score_matrix(), get_scaled_lo_prior_dist(), get_pdf_table() and
 * get_pv_lookup_pos_dep(), prior-dist.c new_prior_dist(), prior-reader-from-psp.c
 * (file syntax, header parsing), data-block-reader.c get_prior_from_reader(), and
 * compute-prior-dist.c (the distribution file).  Units: log-odds in bits computed as
 * FIMO does, ln(x) · 1.44269504 (CM_LOG2_FIMO).
 *
 * What FIMO does with priors, per motif and strand (w columns, range R = 1000):
 *  1. Scaling: the log-odds matrix L is quantised with the prior log-odds range added
 *     to its cells' range: small = min(min L, lo(#min)), large = max(max L, lo(#max)),
 *     offset = floor(small), scale = floor(R / (large − offset)),
 *     M = nint((L − offset) · scale), where lo(p) = log2(α·p / (1 − α·p)).
 *  2. Null distribution: the prior log-odds are one more "column": bin i of the
 *     distribution file (n bins, value v_i) stands for the prior
 *     p_i = (i + 0.5) / ((n − 1) / (#max − #min)) + #min, whose log-odds go to integer
 *     index nint((lo(p_i) − offset) · scale), v_i added there when the index is < R
 *     (a single bin of mass 1 at lo(#max) when #min == #max); then the w columns are
 *     convolved under the background, giving a pmf over 0..(w + 1)·R and
 *     pv[x] = P(S' >= x), capped at 1 (pv[0] is the total mass, which may be < 1).
 *  3. A window at 1-based position x (its first base, both strands alike) with motif
 *     score S (sum of M) and prior p: raw = S / scale + w·offset + lo(p);
 *     S' = nint((raw − (w + 1)·offset) · scale) clamped to 0..(w + 1)·R (an
 *     out-of-range conversion, as for p = 0, gives 0 as on x86);
 *     score = S' / scale + (w + 1)·offset, p-value = pv[S'] (both then rounded to 10
 *     significant digits like every FIMO score, scan.h).
 *  4. Which prior: the PSP record of the sequence (same order as the FASTA: each FASTA
 *     sequence takes the next record, whose name must be the sequence's name, else
 *     FIMO stops: "Sequence name X from PSP file F doesn't match ..."), value number
 *     x − START (1-based) when the record header has coordinates "name:START-END"
 *     (with --parse-genomic-coord, FIMO's default), else value number x.  A window
 *     with no value (before START, past the record's end) gets FIMO's default prior,
 *     which for a PSP file is not the distribution's median (fimo.c passes the median
 *     only to the wiggle reader; the PSP reader's default is read from an unrelated
 *     struct field, a denormal ~1e-323), i.e. effectively p = 0: S' = 0, p-value pv[0]
 *     (~1), never reported below --thresh 1.  coopmap uses p = 0 there.
 *  5. --alpha (default 1) scales every prior (PSP values and distribution).
 *  6. Refused (scan.h cm_scanner_init), as p-value 0 is no p-value: a PSP file
 *     whose largest prior lifts some motif's best window above every S' the
 *     distribution reaches (pv[S'] = 0: a prior above #max, or empty top bins), i.e. a
 *     distribution not made from this PSP file.
 * FIMO 5.4.1 also resets the PSP reader per motif in a way that fails with a single
 * FASTA sequence and 2+ motifs ("Failed to read first prior"); coopmap has no such
 * limit.  Wiggle (.wig) prior files are not read.
 */
#ifndef COOPMAP_PRIOR_H
#define COOPMAP_PRIOR_H

#include <stddef.h>
#include "core/error.h"

/* A prior distribution file (MEME compute-prior-dist): "#min X", "#max Y",
 * "#median Z" lines, then one bin value per line (whitespace-separated numbers). */
typedef struct {
    double min, max, median;
    double *bin;      /* n bin values (normalised counts, as written: %6.5f) */
    int n;
    double scale, offset;   /* FIMO's: (n − 1) / (max − min) and min */
} cm_prior_dist_t;

/* Read path into d.  Errors "PATH:LINE: what" (missing #min/#max/#median, a value that
 * is not a number, no bins, bins whose sum is 0 or not finite (every p-value would be 0
 * or NaN), #min > #max, #min <= 0, one bin with #min < #max; an empty file: "PATH:
 * empty file ...").  Returns 0 or -1 with err. */
int cm_prior_dist_read(const char *path, cm_prior_dist_t *d, cm_err_t *err);
void cm_prior_dist_free(cm_prior_dist_t *d);   /* NULL-safe */

/* One PSP record: priors of positions start + 1 .. start + n (1-based). */
typedef struct {
    char *name;       /* the sequence name, parsed as FIMO's PSP reader does */
    long start;       /* START − 1 from a "name:START-END" header (pgc), else 0 */
    double *p;        /* n priors, each in [0, 1] */
    size_t n;
    long lineno;      /* line of the '>' header */
} cm_psp_seq_t;

/* A PSP file (MEME format): records ">header" then whitespace-separated priors in
 * [0, 1] over any number of lines; text before the first '>' is ignored (FIMO skips
 * it).  Header parsing as FIMO: with pgc, "name:START-END" anywhere in the header
 * (the first match; START − 1 is the record's start), else the name is the first run
 * of characters other than blanks and ':' (pgc) or other than blanks (no pgc). */
typedef struct {
    cm_psp_seq_t *s;
    int n;
    double pmax;      /* largest prior in the file (0 if none) */
    char *path;
} cm_psp_t;

/* Read path (plain or gzip; lines of any length: a sequence's priors may be one line).
 * Errors "PATH:LINE: what" (a value that is not a number or outside [0, 1], a header
 * without a name, no record; an empty file: "PATH: empty file ...").  Returns 0 or -1
 * with err. */
int cm_psp_read(const char *path, int pgc, cm_psp_t *psp, cm_err_t *err);
void cm_psp_free(cm_psp_t *psp);   /* NULL-safe */

/* Check d against alpha (FIMO would take the log of a value <= 0 or divide by 0):
 * alpha > 0 and alpha · (the largest prior a bin stands for, #max + half a bin) < 1.
 * Returns 0 or -1 with err "PATH: what". */
int cm_prior_check(const cm_prior_dist_t *d, const char *path, double alpha, cm_err_t *err);

/* The log-odds prior FIMO adds at scan time, log2(a/(1 − a)) with a = alpha·p in
 * double (fimo_score_site); −inf for p == 0. */
double cm_prior_log_odds(double p, double alpha);

/* Step 1: quantise the w × 4 log-odds L with the distribution's log-odds range
 * (computed, as in pssm.c, with a long double quotient).  Writes Z (w × 4), *offset,
 * *scale. */
void cm_prior_quantise(const double *L, int w, const cm_prior_dist_t *d, double alpha, int range,
                       int *Z, double *offset, double *scale);

/* Step 2: the p-value table of integer matrix mat (w × 4) with the prior column under
 * background bg: *pv gets (w + 1)·range + 1 entries (malloc'd), *npv their number. */
void cm_prior_pv(const int *mat, int w, const double bg[4], const cm_prior_dist_t *d,
                 double alpha, int range, double scale, double offset, double **pv, int *npv);

/* Step 3: the adjusted integer score S' of motif score s with prior log-odds lo
 * (−inf allowed), clamped to 0..npv − 1. */
int cm_prior_adjust(int s, int w, double scale, double offset, double lo, int npv);

/* Step 4: the prior of 1-based position x of the sequence of record r, or −1 when r
 * has no value there (then FIMO's default, p = 0, applies). */
double cm_psp_value(const cm_psp_seq_t *r, long x);

#endif
