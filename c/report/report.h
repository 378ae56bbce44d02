/* report.h — the run's report: one self-contained HTML page (coopmap-stats --report DIR).
 *
 * DIR/index.html holds every figure the given tables allow, inline (no network, no
 * external file: SVGs inline, CSS and the table-sorting script in the page), and the
 * same figures as separate files in DIR/figures/ (NAME.svg, for papers and slides):
 *   - cooperativity map of each map (cell line), optionally clustered (c/stats/mapfig);
 *   - the maps side by side with one shared colour scale, when there are two or more;
 *   - the strongest cooperative (score > 0) and competitive (score < 0) cells, unmasked,
 *     with n, mean, 95% CI, Cohen's d, p and q (sortable tables);
 *   - knockout effect against distance (per map and pooled) and the TFs with the
 *     largest absolute self-effects (per map);
 *   - saturation-mutagenesis tracks (c/ism/sat_figure), when saturation TSVs are given;
 *   - the Tomtom heatmap and the Jaccard Overlap Scores (c/compare/figures), when a
 *     Tomtom TSV and a JOS table are given;
 *   - the patterns the model learned, per map (coopmap-patterns, docs/patterns.md; the
 *     EpiBinder study's Fig. 2a-c): (a) the Tomtom heatmap of the patterns against a
 *     motif database, (b) the Jaccard Overlap Score per head, (c) the pattern table
 *     (head, sign, seqlets, sequences, share of the head's sequences, consensus) with
 *     each pattern's best match (smallest q-value, then E-value, then file order) and
 *     its number of significant matches, when a patterns.tsv, its Tomtom TSV and its
 *     JOS table are given (any of the three alone draws its own part);
 *   - motif names (motif_names): the targets of every Tomtom heatmap and the best
 *     matches are labelled "ID NAME" from the motif files' MOTIF id / alt name;
 *   - the run: every input table with its size, MD5 and first provenance line (tool,
 *     version, command = the parameters), and the rows of a run-info TSV (the workflow's
 *     manifest.tsv: section, key, value) when given.
 * The page has no timestamp of its own: the same inputs give the same bytes.
 * Element ids of each inlined SVG are prefixed ("f3-hatch") so figures cannot clash.
 * All files are written atomically and together (cm_out_commit_all): an error leaves
 * none of them.  Layout of the EpiBinder study's figures (Fig. 2-3).
 */
#ifndef COOPMAP_REPORT_H
#define COOPMAP_REPORT_H

#include "core/error.h"
#include "stats/mapfig.h"

/* A saturation table, labelled with the map (cell line) it belongs to. */
typedef struct {
    const char *name;     /* map / cell line label; NULL or "" = none */
    const char *path;     /* coopmap-ism --saturation TSV (gzip/BGZF ok) */
    const char *sources;  /* coopmap-pairs sources.tsv: sites drawn under the tracks; NULL none */
} cm_report_file_t;

/* One map's patterns: what coopmap-patterns wrote and what the workflow made of it.
 * Any of the three may be NULL. */
typedef struct {
    const char *name;     /* map / cell line label; NULL or "" = none */
    const char *tsv;      /* coopmap-patterns patterns.tsv: columns pattern head sign seqlets
                             sequences share consensus (found by name; width optional) */
    const char *tomtom;   /* Tomtom TSV of the patterns against a motif database */
    const char *jos;      /* coopmap-family jos table per head (labels = patterns.tsv) */
} cm_report_patterns_t;

/* What goes into the report.  Zero-initialise and set what you have. */
typedef struct {
    const char *dir;                 /* output folder (created, with DIR/figures) */
    const char *title;               /* page title; NULL = "coopmap report" */
    const cm_mapview_t *maps;        /* n_maps >= 1 maps (cells computed) */
    int n_maps;
    const char *const *map_inputs;   /* the effects files read, n_map_inputs of them */
    int n_map_inputs;
    cm_mapfig_opts_t map;            /* options of the map figures (title ignored) */
    long bin;                        /* distance-profile bin in bp (>= 1) */
    int top;                         /* rows per top-cells table and bars per ranking */
    const char *test;                /* name of the test the cells used, for the text */
    const char *correction;          /* name of the multiple-testing correction */
    const cm_report_file_t *sat;     /* coopmap-ism --saturation TSVs */
    int n_sat;
    const char *region;              /* saturation region "chrom:start-end"; NULL = first */
    int sat_max_bp;                  /* clip of the saturation tracks (bp) */
    const char *tomtom;              /* Tomtom TSV (coopmap-compare) or NULL */
    double tomtom_thresh;            /* boxes: q-value (E with tomtom_evalue) <= this */
    int tomtom_evalue;
    const char *jos;                 /* coopmap-family jos table or NULL */
    const cm_report_patterns_t *pat; /* patterns of n_pat maps (boxes: tomtom_thresh) */
    int n_pat;
    const char *const *motif_names;  /* motif files (any format) naming Tomtom targets */
    int n_motif_names;
    const char *run_info;            /* TSV section key value, or NULL */
    const char *prov;                /* "coopmap-stats VERSION: COMMAND" */
} cm_report_opts_t;

/* Match the report's saturation inputs to the maps (names[0..n_names), the map labels
 * of the effects files): every named table sat[s] must name a map, else "--saturation:
 * no map named 'X'"; every sources.tsv src[k] (path; name NULL = all tables) becomes
 * sat[s].sources of the tables of its name (a named one over an unnamed one), else
 * "--sources: no saturation table named 'X'".  Returns 0 or -1 with err. */
int cm_report_attach_sources(cm_report_file_t *sat, int n_sat, const cm_report_file_t *src,
                             int n_src, const char *const *names, int n_names, cm_err_t *err);

/* Group the --patterns, --patterns-tomtom and --patterns-jos files (tsv[0..n_tsv) ...,
 * each a name (NULL = none) and a path) into one cm_report_patterns_t per name, in the
 * order of first mention (patterns, then Tomtom, then JOS files), into *out (malloc'd,
 * *n_out entries; the strings stay the caller's).  A name must be one of names[0..
 * n_names) ("--patterns: no map named 'X'"); two tables of one kind for one name are
 * refused ("--patterns-tomtom: two tables for map 'X'").  Returns 0 or -1 with err
 * (*out then holds what was grouped so far; free it either way). */
int cm_report_group_patterns(const cm_report_file_t *tsv, int n_tsv, const cm_report_file_t *tomtom,
                             int n_tomtom, const cm_report_file_t *jos, int n_jos,
                             const char *const *names, int n_names, cm_report_patterns_t **out,
                             int *n_out, cm_err_t *err);

/* Write DIR/index.html and DIR/figures/ (see above).  Input tables that cannot be read
 * give "FILE:LINE: what" (from the figure readers; a patterns.tsv without one of its
 * columns, with a row of another field count, a sign other than pos/neg, a count that is
 * not an integer >= 0 or a share outside 0..1; a motif file the motif readers refuse)
 * and -1 with nothing written;
 * a directory that cannot be created gives "DIR: cannot create: REASON". */
int cm_report_write(const cm_report_opts_t *o, cm_err_t *err);

#endif
