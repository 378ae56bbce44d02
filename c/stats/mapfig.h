/* mapfig.h — SVG figures of coopmap-stats' results (EpiBinder study, Fig. 3): the
 * cooperativity map, optionally clustered, alone or as a panel of cell lines with one
 * colour scale; the distance profile of knockout effects; the TF ranking.
 *
 * Every figure is a standalone SVG document built from the core/svg.h primitives:
 * it parses as XML, its first child is a document <title> (o->title / title, or a
 * descriptive default naming the figure and its maps) followed by a <desc>, every data
 * mark (cell, dendrogram link, profile point, ranking bar) has a <title> tooltip, all
 * text is XML-escaped, and prov (NULL = none) is written as an XML comment after the
 * XML declaration.  Layouts stay readable with 100+ TFs: map cells shrink to 10 px and
 * labels to 8.5 px, then the canvas grows; column labels turn vertical when 45-degree
 * labels would overlap; ranking bars shrink to 12 px rows.
 *
 * Errors: functions return 0, or -1 with err filled ("figure: ...") for bad sizes or
 * missing inputs; nothing is printed.  Write errors are left to the stream
 * (cm_out_commit).  No data (no map with a tested cell, no heterotypic pair row, no
 * TF with self rows) gives a valid SVG with the text "no data".
 */
#ifndef COOPMAP_MAPFIG_H
#define COOPMAP_MAPFIG_H

#include <stdio.h>
#include "core/error.h"
#include "stats/effects.h"
#include "stats/stats.h"

/* One cell line's map: its effects (TF table, rows) and tested cells
 * (cm_cells_compute of ef). */
typedef struct {
    const char *name;          /* cell-line name shown above the map; NULL/"" none */
    const cm_effects_t *ef;
    const cm_cells_t *cells;
} cm_mapview_t;

/* Options of the map figures; zero-initialise and set what you need. */
typedef struct {
    const char *title;      /* heading and document title; NULL/"" = a default */
    double alpha;           /* masking threshold for the legend ("q > alpha"); <= 0 = 0.05 */
    int show_values;        /* scores in cells: 1, 0, -1 auto (<= 20 rows and columns) */
    int cluster;            /* 1: rows and columns ordered by average-linkage clustering
                               (stats/cluster.h, UPGMA as scipy linkage 'average' and its
                               leaves_list) of the shown score matrix, Euclidean distance
                               between rows / between columns of the drawn rows x columns
                               with masked and untested cells = 0; dendrograms drawn
                               beside (rows: left, with the row labels moved right of
                               the grid; columns: top).  0: TF name order */
    int square;             /* every TF on both axes (see cm_map_axes) */
    double lim;             /* colour limit; <= 0 = max |score| of shown cells (1 if none) */
    const char *prov;       /* provenance XML comment; NULL none */
} cm_mapfig_opts_t;

/* Max |score| over the shown (unmasked, finite) self and pair cells of the map, 0 if
 * none. */
double cm_map_maxabs(const cm_mapview_t *m);

/* The cooperativity map: rows source TF (prediction read), columns target TF (motif
 * knocked out), diverging colour scale (blue < 0 < red, RdBu) with limit o->lim or
 * max |score|, a colour bar titled with the units (signed −log10 p), masked cells
 * hatched, untested blank with "·", self-effects (diagonal) outlined, the legend, and
 * with o->cluster dendrograms.  Row/column/label groups have ids "map1-cells",
 * "map1-row-labels", "map1-col-labels", "map1-diagonal", dendrograms
 * "map1-row-dendrogram" / "map1-col-dendrogram" (paths drawn in merge order).
 * Returns 0, or -1 with err filled (m, m->ef or m->cells NULL; clustering failure). */
int cm_fig_map(FILE *fp, const cm_mapview_t *m, const cm_mapfig_opts_t *o, cm_err_t *err);

/* n >= 1 maps side by side (maps[k] as group "map{k+1}", titled with its name), one
 * shared colour scale (limit o->lim when > 0, else the max of cm_map_maxabs over the
 * maps, 1 if 0) and one colour bar and legend; the same cell size for all maps (from
 * the largest); with o->cluster each map is clustered on its own.  A map without
 * tested cells shows "no data" in its place.  Returns 0, or -1 with err filled (n < 1,
 * maps NULL, a map without ef or cells). */
int cm_fig_map_panel(FILE *fp, const cm_mapview_t *maps, int n, const cm_mapfig_opts_t *o,
                     cm_err_t *err);

/* Distance profile (EpiBinder Fig. 3d): heterotypic pair rows (homotypic rows are left
 * out) binned by centre-to-centre distance into [k bin, (k+1) bin) bp; y = mean
 * delta_target per bin ± its standard error s/sqrt(n) (s the sample sd, n - 1), one
 * line per map (series named maps[k].name, "map K" when empty; colours cm_svg_qual)
 * and, when n >= 2, the pooled line "all" (black) over the rows of every map (with
 * n = 1 it would repeat the map's line).  Points at the bin centres, dodged slightly
 * per series; bins with n = 0 are skipped and break the line; n = 1 bins have no error
 * bar.  Each point is a <circle> with data-series, data-bin-start, data-bin-end,
 * data-n, data-mean and (n >= 2) data-se (%.17g) and the tooltip
 * "SERIES, bin A-B bp: mean M ± SE (n N)" (%.4g; "mean M (n 1)" for single rows).
 * Axis titles with units, a dashed zero line, a legend.  Only maps[k].ef is read
 * (cells may be NULL).  Returns 0, or -1 with err filled (n < 1, maps NULL, an ef
 * NULL, bin < 1). */
int cm_fig_profile(FILE *fp, const cm_mapview_t *maps, int n, long bin, const char *title,
                   const char *prov, cm_err_t *err);

/* TF ranking (EpiBinder Fig. 3e): horizontal bars of the first `top` TFs (top = 0: all)
 * by mean |delta_source| of their self rows, in the order of cm_write_ranking (mean
 * descending, then mean |delta_target| of their pair rows descending, then name); TFs
 * without self rows are left out.  Each bar a <rect> with data-tf, data-value (%.17g),
 * data-n and a tooltip, its value (%.3g) printed at its end; an x axis with title.
 * Returns 0, or -1 with err filled (ef NULL, top < 0). */
int cm_fig_ranking(FILE *fp, const cm_effects_t *ef, int top, const char *title,
                   const char *prov, cm_err_t *err);

#endif
