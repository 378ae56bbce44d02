/* svg.h — standalone SVG heatmap of a TF x TF score matrix (coopmap-stats).
 *
 * Layout follows the EpiBinder study's Fig. 3a-c: rows = source TF (whose predicted
 * binding is read), columns = target TF (whose motif is knocked out), the diagonal =
 * self-effects (outlined); a diverging colour scale (blue negative, white 0, red
 * positive; RdBu end colours) symmetric around 0 with limits +-max|score| over shown
 * cells (1 when there is none); masked cells light grey with a diagonal hatch;
 * untested cells unfilled with a centred "·"; a colour bar with tick values; legend
 * entries for masked / not tested / self-effect; optional cell values.
 * Every cell carries a <title> tooltip (source, target, value).  TF names and all
 * other text are XML-escaped (control characters become '?'); output is UTF-8.
 */
#ifndef COOPMAP_SVG_H
#define COOPMAP_SVG_H

#include <stdio.h>
#include "core/error.h"

/* Drawing options; zero-initialise and set what you need. */
typedef struct {
    const char *title;        /* plot title; NULL or "" = none */
    const char *row_title;    /* y-axis title; NULL = "source TF (prediction read)" */
    const char *col_title;    /* x-axis title; NULL = "target TF (motif knocked out)" */
    const char *scale_title;  /* colour-bar title; NULL = "signed −log10 p" */
    double alpha;             /* masking threshold shown in the legend ("q > alpha");
                                 <= 0 means 0.05 */
    int show_values;          /* print scores in shown cells: 1 yes, 0 no,
                                 -1 auto (at most 20 rows and 20 columns drawn) */
    const char *prov;         /* provenance, written as an XML comment; NULL = none */
} cm_svg_opts_t;

/* Cell states (same values as stats.h CM_MAP_*, so a cm_cells_map state array is
 * passed as is). */
enum { CM_SVG_UNTESTED = 0, CM_SVG_MASKED = 1, CM_SVG_SHOWN = 2 };

/* Write the heatmap to fp.  score and state are n x n (row i = source TF, column j =
 * target TF, index i*n + j); names[0..n-1] are the TF names.  Only rows rows[0..nr-1]
 * and columns cols[0..nc-1] (indices into names) are drawn, in that order; a cell
 * whose row and column are the same TF is outlined as the self-effect.  score is used
 * when state == CM_SVG_SHOWN (non-finite shown scores are drawn as untested).
 * nr = 0 or nc = 0 gives a valid SVG with the text "no data".  Returns 0, or -1 with
 * err filled for negative sizes or out-of-range indices.  Write errors are left to
 * the stream (cm_out_commit). */
int cm_svg_heatmap(FILE *fp, const char *const *names, int n, const int *rows, int nr,
                   const int *cols, int nc, const double *score, const unsigned char *state,
                   const cm_svg_opts_t *opt, cm_err_t *err);

/* Colour of value v on the diverging scale with limit lim > 0 (v clamped to
 * [-lim, lim]) as "#rrggbb" into buf (>= 8 bytes).  Returns buf. */
char *cm_svg_colour(double v, double lim, char *buf);

#endif
