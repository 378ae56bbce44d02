/* saturation.h — saturation mutagenesis through a sequence model (coopmap-ism
 * --saturation): every single-base substitution of every base of a set of regions.
 *
 * Method: in-silico saturation mutagenesis as in DeepSEA / Basset / AgentBind (Zhou &
 * Troyanskaya 2015; Kelley et al. 2016; Zheng et al. 2021): for each base x of a region
 * and each alternative base b, the model's prediction of the window with x := b minus
 * the prediction of the unmodified window,
 *   delta(x, b, h) = f(window with x := b)_h − f(window)_h,
 * on the probability scale (sigmoid of the logit) or the logit scale.
 *
 * Tiling (deterministic).  Let L be the model input length and C = ceil(L / 2) the
 * "core" width (the central half of a window).  A region [s, e) of length n = e − s
 *   - with n <= L is one window of L bp centred on it: window start
 *     s − floor((L − n) / 2);
 *   - with n > L is cut into k = ceil(n / C) consecutive cores of nearly equal width,
 *     core j = [s + floor(j·n/k), s + floor((j+1)·n/k)) (j = 0..k−1, width <= C), each
 *     predicted in the window of L bp centred on it: start cs − floor((L − cw) / 2)
 *     for a core [cs, cs + cw);
 * and every window is then clipped to the chromosome (moved to start 0 or to end at
 * the chromosome's end; the core stays inside it).  So every base of the region is
 * predicted in exactly one window, and (away from chromosome ends) at least
 * floor((L − C) / 2) bp from that window's edges, i.e. in the central half of it.
 * Only the core's bases are mutated: 3 single-base edits per base (4 where the
 * reference is N), predicted with cm_model_predict_edits (model.h) against the
 * window's baseline, so models with an incremental path use it.
 *
 * Reference N (genome letter other than A/C/G/T, an all-zero one-hot column): all four
 * bases A, C, G, T are predicted as alternatives (ref column "N").
 *
 * Output (TSV, or BGZF-compressed when the path ends in ".gz"): the caller's provenance
 * line, a "# saturation: ..." line stating L, C, scale and the tiling, then the header
 *   chrom pos ref alt head baseline delta
 * and one row per (position, alt != ref, head): pos 0-based, ref/alt upper-case,
 * baseline = the window's prediction of that head, delta as above, numbers %.6g; rows
 * sorted by region (input order; overlapping regions are each written in full), then
 * position, then alt (A C G T), then head (model order).
 *
 * bedGraph (optional, PREFIX given): per head HEAD (model order)
 *   PREFIX.HEAD.maxabs.bedGraph  max over the alternatives b of |delta(x, b)|
 *   PREFIX.HEAD.obs.bedGraph     importance of the observed base, mean-centred:
 *                                delta_obs − mean over b in {A,C,G,T} of delta(x, b),
 *                                with delta_obs = delta(x, ref) = 0, i.e.
 *                                −(1/4) Σ_{b != ref} delta(x, b); for a reference N
 *                                the observed "base" is N (delta 0) and the sum is over
 *                                all four bases;
 * each with a "track type=bedGraph ..." line, then "chrom pos pos+1 value" (%.6g) in
 * the order of the TSV rows.
 *
 * Input: a BED file (chrom, start, end, further columns ignored; '#', "track",
 * "browser" and blank lines skipped; 0-based half-open) or a sources.tsv (columns
 * chrom, window_start, window_end found by header name; one region per source
 * window).  A region with an unknown chrom, an end beyond the chromosome, end <= start,
 * a bad number, or on a chromosome shorter than L is an error "FILE:LINE: what".
 *
 * Streaming and threads: regions are read one at a time and cut into windows; windows
 * are fetched serially, predicted in parallel in rounds of `chunk` windows (OpenMP),
 * and written in order after each round, so memory is O(chunk · L · H) for any region
 * size (a whole chromosome included) and the output is byte-identical for any thread
 * count.  All outputs are written atomically (error.h: nothing is left on error).
 */
#ifndef COOPMAP_SATURATION_H
#define COOPMAP_SATURATION_H

#include <stdint.h>
#include "core/error.h"
#include "ism/ism.h"
#include "model/model.h"
#include "seq/genome.h"

/* Options (cm_sat_opts_init sets the defaults). */
typedef struct {
    int threads;          /* OpenMP threads, >= 1 (default 1) */
    int chunk;            /* windows per parallel round (default 64) */
    cm_scale_t scale;     /* default CM_SCALE_PROB */
    int full_recompute;   /* 1: cm_model_predict_edits without the incremental path */
} cm_sat_opts_t;

void cm_sat_opts_init(cm_sat_opts_t *o);

/* The input kinds. */
typedef enum { CM_SAT_BED = 0, CM_SAT_SOURCES = 1 } cm_sat_input_t;

/* Core width C = ceil(L / 2) for input length L >= 1. */
int cm_sat_core_width(int L);

/* Number of windows of a region of n >= 1 bp: 1 when n <= L, else ceil(n / C). */
int64_t cm_sat_n_windows(int64_t n, int L);

/* Window j (0 <= j < cm_sat_n_windows) of region [start, end) on a chromosome of
 * chrom_len >= L bp (see the tiling above): its core [*core_start, *core_end) and
 * window start *wstart (the window is [*wstart, *wstart + L)). */
void cm_sat_tile(int64_t start, int64_t end, int L, int64_t chrom_len, int64_t j,
                 int64_t *core_start, int64_t *core_end, int64_t *wstart);

/* Counts of a run. */
typedef struct {
    long regions, windows, positions, rows;
} cm_sat_stats_t;

/* Run saturation mutagenesis over the regions of in_path (kind) and write the TSV to
 * out_path ("-" = standard output; ".gz" = BGZF) and, when bg_prefix is not NULL, the
 * 2·H bedGraphs.  provenance (may be NULL) is written as the first line (no newline in
 * it).  Returns 0, or -1 with err ("FILE:LINE: what" for input, the model's message
 * prefixed with the input path) and no output file left. */
int cm_sat_run(const cm_model_t *m, cm_genome_t *g, const char *in_path, cm_sat_input_t kind,
               const cm_sat_opts_t *o, const char *out_path, const char *bg_prefix,
               const char *provenance, cm_sat_stats_t *st, cm_err_t *err);

#endif
