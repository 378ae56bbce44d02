/* svg.h — SVG writing: the standalone TF x TF heatmap of coopmap-stats, and the drawing
 * primitives every figure shares (document header with a <title>, escaped text,
 * tooltips, axes with ticks, the diverging colour scale and its colour bar, legends,
 * the cell grid of a map).  Figure layouts live next to the stage that owns their data
 * (stats/mapfig.h: clustered maps, panels, distance profile, TF ranking).
 *
 * Conventions of every figure: UTF-8 output; an XML declaration, an optional
 * provenance comment, then <svg> with role="img" whose first child is the document
 * <title> (the accessible name read by screen readers) and a <desc>; every data mark
 * carries a <title> child (its tooltip); all text (TF names, titles, tooltips) is
 * XML-escaped (& < > " ' as entities, control characters other than tab become '?').
 * Coordinates are in px (1 user unit = 1 px).  Shared <defs> ids: "hatch" (masked
 * cells) and "scale" (the colour bar's gradient); their content is the same in every
 * figure, so SVGs inlined into one HTML page may repeat them harmlessly.
 *
 * The heatmap (cm_svg_heatmap) follows the EpiBinder study's Fig. 3a-c: rows = source
 * TF (whose predicted binding is read), columns = target TF (whose motif is knocked
 * out), the diagonal = self-effects (outlined); a diverging colour scale (blue negative,
 * white 0, red positive; ColorBrewer RdBu end colours) symmetric around 0 with limits
 * +-max|score| over shown cells (1 when there is none); masked cells light grey with a
 * diagonal hatch; untested cells unfilled with a centred "·"; a colour bar with tick
 * values; legend entries for the sign, masked / not tested / self-effect; optional
 * cell values.  Every cell carries a <title> tooltip (source, target, value).
 * Readable with 100+ TFs: cells shrink down to 10 px (fonts to 8.5 px), the canvas
 * grows beyond that, and column labels turn vertical when 45-degree labels would
 * overlap (cm_svg_grid_layout).
 */
#ifndef COOPMAP_SVG_H
#define COOPMAP_SVG_H

#include <stddef.h>
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

/* ---- primitives ---------------------------------------------------------------- */

/* Write s XML-escaped (see the conventions above).  NULL writes nothing. */
void cm_svg_esc(FILE *fp, const char *s);

/* "<!-- s -->\n", with "--" (not allowed in comments) broken as "- -". */
void cm_svg_comment(FILE *fp, const char *s);

/* Drop a multi-byte UTF-8 sequence cut off at the end of s (snprintf truncation of a
 * long name), in place, so the document stays valid UTF-8.  Returns s. */
char *cm_svg_utf8_trim(char *s);

/* Approximate rendered width in px of s at font size fs (0.62 fs per character,
 * UTF-8 aware; Helvetica/Arial average). */
double cm_svg_text_w(const char *s, double fs);

/* v with one decimal ("%.1f"; "%.0f" when |v| >= 100), never "-0.0".  buf >= 32
 * bytes.  Returns buf.  (Cell values and colour-bar ticks.) */
char *cm_svg_num(char *buf, size_t size, double v);

/* Start a document of w x h px: XML declaration, provenance comment (prov; NULL none),
 * <svg> root (role="img", font-family Helvetica/Arial), <title>title</title> (NULL =
 * "figure"), <desc>desc</desc> when desc is not NULL, and a white background. */
void cm_svg_begin(FILE *fp, double w, double h, const char *title, const char *desc,
                  const char *prov);

/* Close the document ("</svg>\n"). */
void cm_svg_end(FILE *fp);

/* <defs> with the hatch pattern (id "hatch") and the diverging vertical gradient of
 * the colour bar (id "scale", -1 at the bottom .. +1 at the top). */
void cm_svg_defs(FILE *fp);

/* <text> at (x, y), font size fs, text-anchor `anchor` ("start", "middle", "end";
 * NULL = start), rotated by rot degrees about (x, y) when rot != 0, with the extra
 * attributes `attr` written verbatim (NULL none; a constant of the caller such as
 * "font-weight=\"bold\""), and the escaped string s. */
void cm_svg_text(FILE *fp, double x, double y, double fs, const char *anchor, double rot,
                 const char *attr, const char *s);
/* The same with printf-style text (formatted, then escaped; at most 1023 bytes). */
void cm_svg_textf(FILE *fp, double x, double y, double fs, const char *anchor, double rot,
                  const char *attr, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* A tooltip: "<title>TEXT</title>" with printf-style TEXT, escaped (<= 1023 bytes).
 * Write it as the first child of the mark it describes. */
void cm_svg_tooltip(FILE *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Up to max "nice" tick values (1, 2 or 5 x 10^k apart, about `want` of them) inside
 * [lo, hi] (lo < hi; otherwise the single value lo).  Returns the count; *step (if not
 * NULL) gets the spacing. */
int cm_svg_ticks(double lo, double hi, int want, double *t, int max, double *step);

/* A linear axis: a line of length len from (x, y), ticks with labels, and a title.
 * Horizontal (vertical = 0): from (x, y) to (x + len, y), lo at the left, ticks and
 * labels below, the title centred under them.  Vertical (vertical = 1): from (x, y) up
 * to (x, y - len), lo at the bottom, ticks and labels left, the title rotated on the
 * left.  grid > 0 draws light grid lines of that length across the plot (up from a
 * horizontal axis, right of a vertical one).  Ticks: cm_svg_ticks(lo, hi, 6), or the
 * multiples of step when step > 0 (at most 64). */
typedef struct {
    double x, y, len;
    int vertical;
    double lo, hi;       /* data range of the line (lo < hi) */
    const char *title;   /* NULL none */
    double fs;           /* tick label font size; <= 0 = 11 (title fs + 1) */
    double grid;
    double step;         /* > 0: ticks at the multiples of step in [lo, hi] instead */
} cm_svg_axis_t;
void cm_svg_axis(FILE *fp, const cm_svg_axis_t *a);
/* Pixel coordinate of value v on the axis (x for horizontal, y for vertical). */
double cm_svg_axis_pos(const cm_svg_axis_t *a, double v);
/* Room in px the axis needs outside its line (below a horizontal axis, left of a
 * vertical one) for ticks, labels and title. */
double cm_svg_axis_room(const cm_svg_axis_t *a);

/* A vertical colour bar of the diverging scale with limit lim at (x, y), 16 px wide
 * and h px high (needs cm_svg_defs), ticks -lim, -lim/2, 0, lim/2, lim (cm_svg_num),
 * and `title` (NULL none) rotated to its right.  Returns the width used in px. */
double cm_svg_colour_bar(FILE *fp, double x, double y, double h, double lim, const char *title);
/* The width cm_svg_colour_bar would use. */
double cm_svg_colour_bar_w(double lim, const char *title);

/* Legend entries, one per line (20 px apart at fs 11): a 14 px swatch and a label. */
enum {
    CM_SVG_KEY_FILL,     /* square filled with colour */
    CM_SVG_KEY_HATCH,    /* masked-cell hatch */
    CM_SVG_KEY_BLANK,    /* untested cell: outline and "·" */
    CM_SVG_KEY_OUTLINE,  /* self-effect outline */
    CM_SVG_KEY_LINE,     /* a line with a dot in colour (a series) */
    CM_SVG_KEY_NONE      /* label only (a heading or a note) */
};
typedef struct {
    int kind;            /* CM_SVG_KEY_* */
    const char *colour;  /* "#rrggbb" for FILL and LINE */
    const char *label;   /* escaped on output */
} cm_svg_key_t;
/* Draw n entries in <g id="legend"> with the top-left corner at (x, y), font fs (<= 0:
 * 11).  Returns the height used. */
double cm_svg_legend(FILE *fp, double x, double y, double fs, const cm_svg_key_t *k, int n);
/* The width cm_svg_legend would use. */
double cm_svg_legend_w(const cm_svg_key_t *k, int n, double fs);

/* The legend of a map, into keys[0..4] (returns 5): red "> 0: knockout raises the
 * prediction", blue "< 0: knockout lowers the prediction", hatch "masked (q > ALPHA)"
 * (formatted into lab, n >= 48 bytes), blank "not tested (no data)", outline
 * "diagonal: self-effect". */
int cm_svg_map_keys(cm_svg_key_t *keys, char *lab, size_t n, double alpha);

/* The k-th colour (k >= 0, cycling) of a colour-blind-safe qualitative palette
 * (Okabe & Ito 2008, without yellow and black): "#0072b2", "#d55e00", "#009e73",
 * "#cc79a7", "#e69f00", "#56b4e9". */
const char *cm_svg_qual(int k);

/* The cell grid of a map: cells, self-effect outlines, row and column labels.
 * Cells (rows[i], cols[j]) of the n x n score/state arrays are drawn at
 * (x + j cs, y + i cs), cs x cs px: shown = colour of score on the scale with limit lim
 * (> 0), masked = hatch, untested (or non-finite shown score) = outline with "·";
 * each with a tooltip "source R, target C: score S" / ": masked" / ": not tested".
 * values: print shown scores (cm_svg_num) in the cells.  Row labels (font fs) left of
 * the grid, or right of it when labels_right; column labels below it, rotated by
 * cm_svg_col_rot(cs, fs).  Groups get the ids ID"cells", ID"diagonal", ID"row-labels",
 * ID"col-labels" with ID = id (NULL = "").  Indices are not checked here. */
typedef struct {
    const char *const *names;
    int n;
    const int *rows, *cols;
    int nr, nc;
    const double *score;
    const unsigned char *state;
    double x, y, cs, fs, lim;
    int values, labels_right;
    const char *id;
} cm_svg_grid_t;
void cm_svg_grid(FILE *fp, const cm_svg_grid_t *g);

/* Cell size cs and label font size fs for a map with at most nmax rows or columns:
 * 36 px up to 20, 20 px up to 40, then 720/nmax but at least 10 px (so the canvas
 * grows past 72 TFs); fs = min(12, 0.85 cs). */
void cm_svg_grid_layout(int nmax, double *cs, double *fs);
/* Column-label rotation in degrees for cells of cs px and labels of fs px: 45 when
 * neighbouring 45-degree labels do not overlap (cs sin 45 >= 1.15 fs), else 90. */
double cm_svg_col_rot(double cs, double fs);
/* Widest label among names[idx[0..k-1]] at fs, in px. */
double cm_svg_label_w(const char *const *names, const int *idx, int k, double fs);
/* Height below the grid the column labels take: label width w rotated by rot. */
double cm_svg_col_label_h(double w, double rot, double fs);

#endif
