/* ism.h — in-silico knockouts through a sequence model (coopmap-ism).
 *
 * Method (EpiBinder study, DESIGN.md "coopmap-ism"): for every source window
 * (sources.tsv) predict the window as is (baseline) and with the site knocked out
 * (self-effect); for every pair window (pairs.tsv) predict the baseline and the
 * knockouts of the source site, the target site and both, giving
 *   delta_source = ko_source - baseline,   delta_target = ko_target - baseline,
 *   interaction  = ko_both - ko_source - ko_target + baseline.
 * The prediction is the model head of the source site's TF (case-insensitive match of
 * the TF label to the head names) as a probability (sigmoid of the logit) or a logit.
 *
 * Knockout (--knockout): the site's bases, clipped to the window, are replaced by
 *   random   uniform random A/C/G/T (the paper's choice; CM_KO_RANDOM): the base at
 *            genome position x of site S is cm_rng_below(key, x - S.start, 4);
 *   shuffle  a dinucleotide-preserving shuffle of the site's own (clipped) bases
 *            (Altschul & Erickson 1985; shuffle.h: Eulerian walk with a random
 *            last-edge arborescence; Ns stay in place; CM_KO_SHUFFLE);
 *   gc       random bases with the site's GC fraction (CM_KO_GC): gc = (#C + #G) /
 *            (#A + #C + #G + #T) over the clipped site's bases (Ns not counted; 0.5 when
 *            all are N); the base at offset k = x - S.start is G or C when
 *            cm_rng_double(key, 2k) < gc, else A or T, and then the first (C resp. A)
 *            when cm_rng_below(key, 2k + 1, 2) == 0, else the second (G resp. T); so
 *            P(C) = P(G) = gc/2 and P(A) = P(T) = (1 - gc)/2, independently per base;
 *            Ns of the site are replaced too, as in random;
 *   N        all-zero one-hot columns (AgentBind's blocking; CM_KO_NMASK).
 * Random knockouts (random, shuffle, gc) are averaged over `draws` draws (the mean of
 * the per-draw predictions on the chosen scale), with
 *   key = cm_ism_key(seed, kind, id, role, d)
 * for draw d, kind = self|pair, id = the site_id / pair_id string, role =
 * source|target; so a value never depends on thread count, batching or row order.
 * ko_both applies the source knockout and then the target knockout of the same draw,
 * both computed from the unmodified window (common random numbers: for a model in which
 * the two sites act additively the interaction is exactly 0; where the sites overlap the
 * target's bases win).  With N-mask knockouts there is nothing to average and draws is 1.
 * Knockouts are predicted with cm_model_predict (full windows), so their values do not
 * depend on a model's incremental path.
 *
 * Coordinates are BED-style, 0-based half-open; a window is [window_start, window_end)
 * and must be exactly the model's input length.
 */
#ifndef COOPMAP_ISM_H
#define COOPMAP_ISM_H

#include <stdint.h>
#include <stdio.h>
#include "core/error.h"
#include "model/model.h"
#include "seq/genome.h"
#include "core/shard.h"

/* How a site is knocked out (see above). */
typedef enum { CM_KO_RANDOM = 0, CM_KO_NMASK = 1, CM_KO_SHUFFLE = 2, CM_KO_GC = 3 } cm_ko_mode_t;

/* Parse a --knockout value (random, shuffle, gc, N; case-insensitive): 0, or -1 with
 * err "--knockout: expected random, shuffle, gc or N, got 'X'". */
int cm_ism_parse_ko(const char *s, cm_ko_mode_t *mode, cm_err_t *err);
/* Scale of the reported predictions: sigmoid(logit) or the logit itself. */
typedef enum { CM_SCALE_PROB = 0, CM_SCALE_LOGIT = 1 } cm_scale_t;
/* Row kind: a source window (sources.tsv) or a pair window (pairs.tsv). */
typedef enum { CM_ISM_SELF = 0, CM_ISM_PAIR = 1 } cm_ism_kind_t;
/* Which site of a row a knockout draw belongs to (part of the RNG key). */
typedef enum { CM_ROLE_SOURCE = 0, CM_ROLE_TARGET = 1 } cm_ism_role_t;

/* Options of a run (cm_ism_opts_init sets the defaults). */
typedef struct {
    int draws;          /* random draws per knockout, >= 1 (default 10) */
    uint64_t seed;      /* default 1 */
    cm_ko_mode_t ko;    /* default CM_KO_RANDOM */
    cm_scale_t scale;   /* default CM_SCALE_PROB */
    int threads;        /* OpenMP threads, >= 1 */
    int chunk;          /* rows read, evaluated in parallel and written per round (default 256) */
    int full_recompute; /* 1: predict every knocked-out window in full, never through the
                         * model's incremental predict_edits (default 0; for checking) */
    cm_shard_t shard;   /* evaluate only this shard of the rows (shard.h: items are the
                         * data rows of SOURCES then PAIRS, in input order); n = 0: all */
} cm_ism_opts_t;

/* Defaults as above. */
void cm_ism_opts_init(cm_ism_opts_t *o);

/* The number of columns of pairs.tsv, and their names in order. */
#define CM_ISM_NPAIRCOL 18
extern const char *const cm_ism_pair_cols[CM_ISM_NPAIRCOL];

/* One window to evaluate. */
typedef struct {
    cm_ism_kind_t kind;
    char *col[CM_ISM_NPAIRCOL]; /* output text of the pairs.tsv columns ("" = empty);
                                 * for self rows pair_id = site_id, target columns empty */
    const char *id;             /* = col[0] */
    int head;                   /* model head index */
    const char *head_name;      /* its name (owned by the model) */
    int64_t wstart, wend;       /* window [start, end), 0-based */
    int64_t site[2][2];         /* [role][start, end): source, target (pair rows only) */
    uint8_t *win;               /* model input length nt4 codes of the window */
    /* results on the chosen scale (filled by cm_ism_eval): predictions (means over the
     * draws) and the means over the draws of the per-draw differences
     *   delta_source = ko_source − baseline, delta_target = ko_target − baseline,
     *   interaction  = ko_both − ko_source − ko_target + baseline
     * (NAN for what a self row lacks) */
    double baseline, ko_source, ko_target, ko_both;
    double delta_source, delta_target, interaction;
    int draws;                  /* draws averaged (1 for N-mask knockouts) */
    char *buf_;                 /* private: storage for col[] */
} cm_ism_row_t;

/* RNG key of one knockout draw (see above). */
uint64_t cm_ism_key(uint64_t seed, cm_ism_kind_t kind, const char *id, cm_ism_role_t role, int draw);

/* Knock out site [s_start, s_end) in win (L codes starting at genome position
 * wstart), clipped to the window, in mode `mode` with random numbers from key (see
 * above).  Returns the number of bases in the clipped site. */
int cm_ism_knockout(uint8_t *win, int L, int64_t wstart, int64_t s_start, int64_t s_end,
                    cm_ko_mode_t mode, uint64_t key);

/* Predict baseline and knockouts of one row (1 + draws windows for self rows,
 * 1 + 3·draws for pairs) and fill the results (baseline … interaction, draws).  When
 * the model has an incremental path (model.h, cm_model_has_incremental) and
 * o->full_recompute is 0, each knockout is predicted as one edit of the baseline window
 * spanning the bases it changed (for ko_both: from the first to the last changed base
 * of both sites), so only what each layer sees of the edit is recomputed (fastISM-style;
 * equal to the full recompute to float rounding); a knockout that changed no base gets
 * the baseline's logits exactly.  Otherwise one model call of all windows.  r must have
 * kind, id, head, wstart, site and win set.  Reentrant.  Returns 0, or -1 with err from
 * the model. */
int cm_ism_eval(const cm_model_t *m, const cm_ism_opts_t *o, cm_ism_row_t *r, cm_err_t *err);

/* Counts of a run. */
typedef struct {
    long self_rows, pair_rows;        /* rows written */
    long self_skipped, pair_skipped;  /* rows whose source TF has no model head */
    int64_t lo, hi, total;            /* the shard's row range [lo, hi) of total rows
                                       * (sources then pairs; the whole [0, total)
                                       * unsharded) */
} cm_ism_stats_t;

/* Write the effects.tsv column-name line. */
void cm_ism_write_header(FILE *fp);

/* Write one effects.tsv row (numbers %.6g; empty cells for what a self row lacks);
 * o supplies the seed column. */
void cm_ism_write_row(FILE *fp, const cm_ism_row_t *r, const cm_ism_opts_t *o);

/* The whole main mode: stream SOURCES (may be NULL) then PAIRS (may be NULL), fetch
 * windows from g, evaluate in parallel chunks and write rows to fp in input order
 * (self rows, then pair rows).  Input errors are "FILE:LINE: what" (missing column,
 * wrong field count, bad number, window length != model input length, a pairs.tsv
 * distance that is not a finite number >= 0 or a homotypic other than 0 or 1 (both are
 * copied to effects.tsv, where coopmap-stats needs them), a site that
 * lies wholly outside its window, a chrom not in the genome or a window past the
 * chromosome's end — the last two checked on every row, also rows skipped for having
 * no model head, so a file made for another genome always fails).  Returns 0 or -1
 * with err; nothing is written for a row before all rows of its chunk passed. */
int cm_ism_run(const cm_model_t *m, cm_genome_t *g, const char *sources, const char *pairs,
               const cm_ism_opts_t *o, FILE *fp, cm_ism_stats_t *st, cm_err_t *err);

/* The trailer lines of an effects.tsv, after the rows: the count of rows skipped for
 * having no model head, and, for a shard (o->shard.n > 0), the line
 *   "# shard K/N: rows LO-HI of TOTAL"
 * that cm_ism_merge checks. */
void cm_ism_write_trailer(FILE *fp, const cm_ism_opts_t *o, const cm_ism_stats_t *st);

/* --merge mode: concatenate the effects.tsv of shards 1..N of one run (paths[0..n-1], in
 * shard order) into fp: the provenance line and the header once (they must be the same
 * in every shard), the rows of each shard in order, and one skipped-rows line with the
 * sums, so the result is byte-identical to the unsharded run's output (the provenance
 * line leaves out --threads, --shard and -o, coopmap-ism --help).  Checked: every file
 * ends with its "# shard K/N" line, the K are 1..n in order with the same N = n, and
 * the row ranges are consecutive from 0 to the same total.  Errors "FILE:LINE: what"
 * (or "FILE: what"); returns 0 or -1 with err, and *rows the number of rows. */
int cm_ism_merge(char *const *paths, int n, FILE *fp, long *rows, cm_err_t *err);

/* --predict mode: every FASTA record (length must be the model input length, else
 * "FILE:LINE: ...") → "name" then "logit_HEAD prob_HEAD" per head, %.6g.  Writes the
 * column-name line first.  Returns 0 or -1 with err. */
int cm_ism_predict_fasta(const cm_model_t *m, const char *fasta, int threads, FILE *fp,
                         long *n_out, cm_err_t *err);

#endif
