/* track.h — per-base importance tracks for coopmap-patterns, read from the saturation
 * table of `coopmap-ism --saturation` (ism/saturation.h) or from bedGraphs, with the
 * sequence of every region taken from an indexed genome (seq/genome.h).
 *
 * Importance of a base (saturation input).  For a position x with reference base r and
 * head h, the importance of the observed base is the mean-centred effect of keeping r,
 *     imp(x, h) = delta(x, r) − (1/4) Σ_{b in ACGT} delta(x, b) = −(1/4) Σ_{b != r} delta(x, b),
 * with delta(x, r) = 0: exactly the value of saturation.h's PREFIX.HEAD.obs.bedGraph.
 * Positive = the observed base supports the prediction (mutating it lowers the
 * output), negative = it works against it.  This is the ISM analogue of the
 * contribution scores (DeepLIFT·one-hot, "hypothetical contributions" projected on the
 * observed base) that TF-MoDISco takes; max|delta| (the .maxabs track) has no sign and
 * could not keep the two signs apart.  For a reference N the sum runs over all four
 * bases (saturation.h), and the base is N: it enters no pattern (all-zero one-hot).
 *
 * Regions.  Rows of the saturation table come sorted by region, position, alt, head
 * (saturation.h); a region here is a maximal run of consecutive positions on one
 * chromosome (a row whose position is not the previous one + 1 starts a new region,
 * so overlapping input regions each stay whole).  bedGraph intervals (any width) are
 * expanded to bases; an interval that does not start at the previous one's end, on
 * the same chromosome, starts a new region.  A region is one "sequence" of the share
 * of sequences holding a pattern.
 *
 * Checks (errors "FILE:LINE: what", nothing kept): a chromosome not in the genome, a
 * position at or beyond the chromosome's end, a ref letter that differs from the
 * genome's base (upper-cased; non-ACGT compared as N), a malformed row, a head at some
 * position but not at another (every position must have every head of the file, with
 * 3 rows per head, 4 at a reference N), a head asked for (--head) that the file lacks,
 * a file without data rows, a delta or bedGraph value that is not a finite number or
 * whose magnitude exceeds CM_PAT_MAX_ABS.
 *
 * Memory: one float and one byte per base per head (regions are held whole).
 */
#ifndef COOPMAP_PAT_TRACK_H
#define COOPMAP_PAT_TRACK_H

#include <stdint.h>
#include "core/error.h"
#include "seq/genome.h"

/* Largest |delta| / |bedGraph value| read: importances are floats, and the seqlet and
 * similarity steps sum their squares in float (an ISM delta is a difference of
 * probabilities or logits: far below this). */
#define CM_PAT_MAX_ABS 1e15

/* One region of one head's track. */
typedef struct {
    int chrom;        /* index into cm_pat_data_t.chroms */
    int64_t start;    /* genome start of base 0 (0-based) */
    int len;          /* bases */
    uint8_t *seq;     /* len nt4 codes (core/dna.h) from the genome */
    float *imp;       /* len importances (see above) */
} cm_pat_region_t;

/* One head's track: its regions in input order. */
typedef struct {
    char *head;
    int nreg, cap;
    cm_pat_region_t *reg;
} cm_pat_track_t;

/* Everything read: chromosome names (interned), tracks in head order (the file's
 * first-position order for saturation input, or the order asked for with --head). */
typedef struct {
    int nchrom, cap_chrom;
    char **chroms;
    int ntrack;
    cm_pat_track_t *track;
} cm_pat_data_t;

/* Read a saturation table (plain, gzip or BGZF).  heads[0..nheads-1] (may be 0) keep
 * only those heads, in that order.  Returns 0, or -1 with err and d left empty. */
int cm_pat_read_saturation(const char *path, cm_genome_t *g, char **heads, int nheads,
                           cm_pat_data_t *d, cm_err_t *err);

/* Read one bedGraph ("chrom start end value"; '#', "track", "browser" and blank lines
 * skipped) as the track of head `head`, appended to d.  0, or -1 with err (d is then
 * freed by the caller with cm_pat_data_free). */
int cm_pat_read_bedgraph(const char *path, const char *head, cm_genome_t *g,
                         cm_pat_data_t *d, cm_err_t *err);

/* Base composition of the regions of all tracks (A, C, G, T; N skipped), symmetrised
 * over the two strands (A=T, C=G); uniform when there are no ACGT bases. */
void cm_pat_composition(const cm_pat_data_t *d, double comp[4]);

/* Free everything and zero d; NULL-safe. */
void cm_pat_data_free(cm_pat_data_t *d);

#endif
