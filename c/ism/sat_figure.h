/* sat_figure.h — SVG figure of a saturation-mutagenesis table (coopmap-ism
 * --plot-saturation; issue 11): one sequence-logo-style track per model head and the
 * motif sites of a sources.tsv under them.
 *
 * Input: the TSV of cm_sat_run (saturation.h; plain, gzip or BGZF): '#' lines (the
 * "# saturation: ... on the logit|prob scale" line gives the units), the header
 * (columns chrom pos ref alt head delta found by name), rows "chrom pos ref alt head
 * baseline delta", pos 0-based, grouped by position.
 *
 * Importance of the observed base at a position, per head (the same number as the
 * PREFIX.HEAD.obs.bedGraph of cm_sat_run):
 *     imp = delta_obs − mean over b in {A,C,G,T} of delta(b), with delta_obs = 0,
 *         = −(1/4) Σ over the rows' alternatives of delta
 * (3 alternatives, or 4 when the reference is N).  The track shows the reference
 * letter of each position scaled to height |imp| (a <text> glyph of Helvetica/Arial
 * Bold stretched with a transform, upright in both directions), above the zero line
 * when imp > 0 (mutating the base lowers the prediction: the observed base supports
 * it) and below when imp < 0; A green, C blue, G orange, T red, N grey.  All heads
 * share one y scale, symmetric around 0, to the "nice" number >= max |imp| drawn, with
 * the units "Δ logit" or "Δ probability" (the table's scale; "Δ prediction" when it
 * does not say).  Under the tracks the sites of sources_tsv that overlap the drawn
 * region (same chrom, start < end of region and end > its start) are labelled boxes
 * "TF →" / "TF ←" (strand + / −), packed in lanes so that no two overlap, clipped to
 * the region; then the position axis (1-based coordinates, as in genome browsers).
 *
 * Tooltips (<title>): per position and head "CHROM:POS (1-based) ref R, head H:
 * importance I UNITS; max |Δ| M" with I and M as %.6g (the bedGraph's format), or
 * "no data" when the table has no rows for the position; per site "site ID: TF (motif
 * M) CHROM:S-E (1-based, inclusive), strand X".  Marks: <rect class="pos"> per
 * position and head (the tooltip's target, transparent), <text class="letter">,
 * <g class="site">.  The document has a <title> and <desc>; all text is XML-escaped.
 *
 * Region: "chrom:start-end", 0-based half-open (chrom may itself contain ':'; the
 * last ':' separates it); NULL = the first contiguous run of positions in the table
 * (the first row's chrom, from its pos while each next position is the same or the
 * next one).  max_bp > 0 clips a longer region to its central max_bp bp (start +
 * floor((n − max_bp) / 2)); the figure says so.  Positions of the region without rows
 * are drawn empty.  When a position appears in more than one block of rows (regions
 * that overlapped in the saturation run), the first block is used.
 *
 * Errors ("FILE:LINE: what", or "FILE: what"): unreadable file, no header or a
 * missing column, a row with the wrong number of fields, a bad pos, ref/alt not one of
 * A C G T (N for ref), alt == ref, a delta that is not a finite number with |delta| <=
 * 1e100 (CM_SAT_DELTA_MAX: no model gives more, and the drawing's sums and scale
 * would overflow), a position whose rows disagree
 * on ref or repeat an (alt, head), a (position, head) with fewer alternatives than 3
 * (4 for N), no rows in the region; a bad region string; a sources.tsv without the
 * columns chrom tf start end strand, or with a bad row.  All input is read before
 * anything is written: on error fp is untouched.  Returns 0 or -1.
 */
#ifndef COOPMAP_SAT_FIGURE_H
#define COOPMAP_SAT_FIGURE_H

/* Largest |delta| of a saturation table row (see the errors above). */
#define CM_SAT_DELTA_MAX 1e100

#include <stdio.h>
#include "core/error.h"

int cm_fig_saturation_file(FILE *fp, const char *sat_tsv, const char *sources_tsv,
                           const char *region, int max_bp, const char *title,
                           const char *prov, cm_err_t *err);

#endif
