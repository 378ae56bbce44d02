/* scan_q.h — q-values of coopmap-scan's full mode (COMPAT.md FIMO scoring item 11).
 *
 * Three methods, all per motif, over the m (window, strand) pairs the scan tested
 * (windows without non-ACGT letters; both strands unless --norc):
 *
 *   CM_QV_FIMO    FIMO 5.5.8's, reproduced exactly (every q-value of the reference run
 *                 ../shared/reference/fimo_dev_full/fimo.tsv):
 *                 - one MT19937 stream (cm_mt_seed(4357)) for the whole run, never reset;
 *                 - motifs in motif-file order; for each, every tested p-value (unrounded
 *                   pv[score]) in scan order (sequence, window start, '+' then '-') goes
 *                   to a 10,000-slot reservoir: the i-th value (i 1-based) fills slot i−1
 *                   while i <= 10,000, later ones draw u = cm_mt_double and replace slot
 *                   floor(u·i) when that is < 10,000 (Vitter's algorithm R; one double
 *                   per value, accepted or not);
 *                 - a motif with at least one stored hit then gets pi0 = cm_storey_pi0 of
 *                   the sample (100 × 1000 bootstrap doubles when the sample has > 100
 *                   values); a motif without hits draws nothing more;
 *                 - q = cm_qvalues_pi0(stored hit p-values, m, pi0).
 *                 Verified: with these rules all 3,486 CTCF q-values (the only motif whose
 *                 q-values are not all 1) of the reference agree as printed; with a
 *                 two-draw reservoir, floor(u·(i−1)), a bootstrap for the hit-less MAX
 *                 motif, or command-line motif order they do not.
 *                 --max-stored-scores (cm_qv_cap_hits) caps the hits kept per motif.
 *   CM_QV_BH      exact Benjamini–Hochberg over all m tests: q = min_{r'>=r} p·m/r'.
 *                 Needs only the hits and m; no cap, no random numbers.
 *   CM_QV_STOREY  exact Storey: pi0 from the p-values of all m tests (their 101-bin
 *                 histogram over the λ grid, the same estimator and bootstrap as
 *                 cm_storey_pi0, from the same MT19937 stream), then as FIMO.  No cap;
 *                 scores every window (exhaustive speed).
 *
 * The reservoir samples and histograms come from extra passes over the sequences (a
 * re-openable source: a FASTA file, not standard input, or --regions of a genome);
 * m is counted during the scan.  Thread count never changes a result.
 */
#ifndef COOPMAP_SCAN_Q_H
#define COOPMAP_SCAN_Q_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "core/mt19937.h"
#include "scan/scan.h"

typedef enum { CM_QV_NONE = 0, CM_QV_FIMO, CM_QV_BH, CM_QV_STOREY } cm_qv_mode_t;

/* Parse "fimo" | "bh" | "storey" | "none"; returns -1 for anything else. */
int cm_qv_mode_parse(const char *s, cm_qv_mode_t *mode);

/* Per-motif results of cm_scan_qvalues. */
typedef struct {
    uint64_t m;        /* tested (window, strand) pairs */
    double pi0;        /* pi0 used (1 for BH; 1 when the motif has no hits) */
    double cutoff;     /* --max-stored-scores: hits with p >= cutoff were dropped
                        * (2 = nothing dropped) */
    size_t dropped;    /* hits dropped by the cap */
} cm_qv_motif_t;

/* FIMO's --max-stored-scores on a hit list in scan order (motif-major, as
 * cm_scan_fasta delivers): per motif, hits are stored one by one; when the number
 * stored reaches max_stored, the stored p-values are sorted, the cutoff becomes the
 * p-value at index max_stored/2 (0-based; the best half is kept) and every stored hit
 * with p >= cutoff is dropped; from then on only hits with p < cutoff are stored
 * (FIMO's documented behaviour: "discard 50% of the least significant matches, and new
 * matches falling below the significance level of the retained matches"; the exact
 * tie rule is not verified against FIMO).  Equivalent to keeping the hits with
 * p < the final cutoff, which is what is done to l (order kept).  info[k].cutoff and
 * .dropped are set for every motif k < nmotifs.  max_stored >= 1. */
void cm_qv_cap_hits(cm_hitlist_t *l, int nmotifs, size_t max_stored, cm_qv_motif_t *info);

/* A re-openable chunk source (the scanned sequences, read again chunk by chunk):
 * open(ctx, chunk, overlap, err) gives a fresh source (NULL with err), next as
 * cm_chunk_fn, close frees it. */
typedef struct {
    void *(*open)(void *ctx, size_t chunk, size_t overlap, cm_err_t *err);
    cm_chunk_fn next;
    void (*close)(void *src);
    void *ctx;
} cm_source_t;

/* q-values of the hits in l (any order; grouped per motif internally) into
 * l->hit[i].qvalue, by mode (not CM_QV_NONE).  tested: per motif the m counted by
 * cm_scan_chunks (or NULL: counted by a pass over src).  src (may be NULL for
 * CM_QV_BH with tested) is read again, chunk by chunk, for CM_QV_STOREY (histograms)
 * and CM_QV_FIMO (the reservoir's values).  info (may be NULL) receives sc->n entries
 * (m and pi0; cutoff/dropped untouched).  Returns 0, or -1 with err (read errors, or
 * no source when one is needed). */
int cm_scan_qvalues(const cm_scanner_t *sc, const cm_scan_opts_t *o, const cm_source_t *src,
                    const uint64_t *tested, cm_qv_mode_t mode, cm_hitlist_t *l,
                    cm_qv_motif_t *info, cm_err_t *err);


#endif
