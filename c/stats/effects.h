/* effects.h — reader for coopmap-ism's effects.tsv (DESIGN.md, "Stage files").
 *
 * File layout: '#' lines are comments (provenance) and are skipped anywhere; the first
 * other line is the header; every further non-empty line is a row.  Columns are found
 * by header name, so order does not matter and unknown columns are ignored.  Gzip and
 * bgzip input is read transparently (textio.h); "-" is standard input.
 *
 * Required columns (error "FILE:LINE: missing column 'NAME'" on the header line):
 *   kind source_tf target_tf distance homotypic delta_source delta_target interaction
 * Row rules (error "FILE:LINE: ..." naming the column and the value):
 *   kind          "self" or "pair"
 *   source_tf     non-empty
 *   self rows     delta_source: finite number.  Target columns are ignored.
 *   pair rows     target_tf non-empty; distance: number in [0, 1e9] (bp, half-base
 *                 centres allowed; coopmap-pairs' largest --max-distance);
 *                 homotypic: 0 or 1; delta_target: finite number; interaction: finite
 *                 number or empty (empty = no both-knockout was run; the row then has
 *                 no interaction).
 *   numbers       |x| <= CM_EFFECT_MAX (1e100): no model gives more (model outputs are
 *                 float32, below 3.4e38), and the squares summed for a variance would
 *                 overflow to inf.
 *   pair_id       optional column; when present, (kind, pair_id) must not repeat within
 *                 the files read into one set ("FILE:LINE: ... repeats FILE2:LINE2": the
 *                 same file, or overlapping shards, given twice would count every row
 *                 twice).
 * A pair row counts as homotypic when homotypic = 1 or source_tf == target_tf.
 */
#ifndef COOPMAP_EFFECTS_H
#define COOPMAP_EFFECTS_H

#include <stddef.h>
#include "core/error.h"

/* One effects row, reduced to what the statistics use. */
typedef struct {
    int is_pair;          /* 0 = self row, 1 = pair row */
    int homotypic;        /* pair rows: 1 when homotypic (see above); self rows: 0 */
    int src, tgt;         /* TF indices into cm_effects_t.tf; tgt = -1 for self rows */
    double distance;      /* pair rows: centre-to-centre distance in bp; self rows: -1 */
    double delta_source;  /* ko_source - baseline (self rows; pair rows if given, else NAN) */
    double delta_target;  /* ko_target - baseline (pair rows), NAN for self rows */
    double interaction;   /* ko_both - ko_source - ko_target + baseline; NAN if empty */
} cm_effect_t;

/* All rows of one or more effects files, with an interned TF-name table. */
typedef struct {
    char **tf;            /* TF names; after cm_effects_finish sorted by strcmp */
    int n_tf;
    cm_effect_t *e;       /* rows in input order (files in the order read) */
    size_t n, m;          /* used / allocated rows */
    void *index;          /* name -> index hash, opaque; NULL after cm_effects_finish */
    void *ids;            /* (kind, pair_id) -> where first read, opaque; NULL after finish */
    char **files;         /* paths read (for the repeat message); freed by finish */
    int n_files;
} cm_effects_t;

/* Largest |value| of an effects number (see the row rules above). */
#define CM_EFFECT_MAX 1e100

/* Initialise an empty set. */
void cm_effects_init(cm_effects_t *ef);

/* Append the rows of PATH to ef.  Returns 0, or -1 with err filled
 * ("PATH:LINE: what"); on failure ef keeps the rows of earlier files only partly
 * defined and should just be freed. */
int cm_effects_read(const char *path, cm_effects_t *ef, cm_err_t *err);

/* After the last read: sort the TF table by name (strcmp) and renumber the rows'
 * src/tgt so index order is name order.  Call exactly once. */
void cm_effects_finish(cm_effects_t *ef);

/* Free everything; NULL-safe, leaves ef empty. */
void cm_effects_free(cm_effects_t *ef);

#endif
