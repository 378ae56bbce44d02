/* pattern.h — seqlets → patterns: per head and sign, seqlets (seqlet.h) are joined in a
 * k-nearest-neighbour graph (sim.h), clustered (louvain.h), aligned, merged, trimmed
 * and written as PFMs and CWMs (coopmap-patterns; docs/patterns.md).
 *
 * Per head h and sign σ:
 *  1. seqlets of h and σ (seqlet.h); fewer than min_seqlets ⇒ no pattern;
 *  2. their contribution-weighted one-hot matrices and the k-NN of each (sim.h); the
 *     graph has an edge {i, j} when j is a neighbour of i or i of j, weight the larger
 *     of the two similarities;
 *  3. Louvain communities at resolution γ (default 1); communities of fewer than
 *     min_seqlets (default 10) seqlets are dropped (their seqlets go unassigned);
 *  4. each community is built (below) around its centre, the member with the largest
 *     summed similarity to its neighbours in the community (ties: the lower index);
 *  5. merging: while two patterns of (h, σ) have sim(CWM_a, CWM_b) >= merge (default
 *     0.8; offsets with an overlap of at least half the narrower width, both strands),
 *     the most similar pair (ties: lower indices) becomes one, built around the CWM of
 *     the one with more seqlets; modularity splits a large family of near-identical
 *     seqlets into several communities, and this undoes it, as TF-MoDISco's merging
 *     step does.
 * Building a pattern from its members around a reference matrix R (lr × 4; a seqlet,
 * or a trimmed CWM × σ): each member is aligned to R (best offset and strand of
 * sim.h, overlap >= half the narrower width); on a canvas of lr + 2L columns (R's
 * frame widened by the seqlet width L on each side) every member contributes the
 * bases and importances of its own seqlet, reverse-complemented when aligned on '−';
 * CWM = Σ x·one-hot / n_members (signed, TF-MoDISco's contribution weight matrix), PFM
 * = base counts (N bases counted nowhere).  Trimming: with I_c = Σ_b |CWM[c][b]| on the
 * columns covered by at least half the members (0 elsewhere), the pattern keeps the
 * columns from the first to the last c with I_c >= trim · max I (default trim 0.3,
 * TF-MoDISco's trim_threshold); the coverage rule keeps a column that only a few
 * shifted members reach from widening the pattern.  A community is built twice: around
 * its centre seqlet, then around that first trimmed CWM, so members are aligned to the
 * family's consensus rather than to one instance.
 * Output order: heads in track order, '+' before '−', patterns by seqlet count
 * (descending; ties: the lower first member); names HEAD_pos_N / HEAD_neg_N, N = 0, 1, ….
 */
#ifndef COOPMAP_PAT_PATTERN_H
#define COOPMAP_PAT_PATTERN_H

#include <stdint.h>
#include "core/error.h"
#include "patterns/seqlet.h"
#include "patterns/sim.h"
#include "patterns/track.h"

typedef struct {
    cm_pat_seqlet_opts_t seq;
    cm_pat_knn_opts_t knn;
    double gamma;        /* Louvain resolution > 0 (default 1) */
    int min_seqlets;     /* >= 1 (default 10) */
    double merge;        /* in [−1, 1]; > 1 turns merging off (default 0.8) */
    double trim;         /* in [0, 1] (default 0.3) */
    int threads;         /* OpenMP threads for the neighbour search (default 1) */
} cm_pat_opts_t;

void cm_pat_opts_init(cm_pat_opts_t *o);

/* One pattern. */
typedef struct {
    char *name;          /* HEAD_pos_N / HEAD_neg_N */
    int track, sign, w;
    double *cnt;         /* w × 4 base counts (PFM) */
    double *cwm;         /* w × 4 mean contributions (signed) */
    int nseqlets;        /* members */
    int nseq, nreg;      /* regions holding a member / regions of the head */
} cm_pat_pattern_t;

/* One seqlet as written to seqlets.bed. */
typedef struct {
    int track, reg, pattern;   /* pattern index into the result, −1 when unassigned */
    int64_t start, end;        /* genome coordinates (0-based half-open) */
    char strand;               /* '+', '−' as '-', or '.' when unassigned */
    double score;              /* the seqlet's core sum S */
} cm_pat_site_t;

/* Per head and sign: what was called. */
typedef struct {
    int track, sign;
    cm_pat_call_stats_t call;
    int nseqlets, ncomm, npatterns;
    double modularity;
    long nexact;               /* exact similarities computed */
} cm_pat_group_t;

typedef struct {
    int npat; cm_pat_pattern_t *pat;
    int nsite, capsite; cm_pat_site_t *site;
    int ngroup; cm_pat_group_t *group;
} cm_pat_result_t;

/* Patterns of every head of d.  Returns 0 (the steps cannot fail on valid data;
 * allocation failure aborts). */
int cm_pat_run(const cm_pat_data_t *d, const cm_pat_opts_t *o, cm_pat_result_t *res);

/* Patterns of one group of seqlets (all of one track and sign, s[0..n−1]), appended to
 * res (exposed for the benchmark and tests; cm_pat_run calls it). */
void cm_pat_cluster_group(const cm_pat_track_t *tr, int track, int sign,
                          const cm_pat_seqlet_t *s, int n, const cm_pat_opts_t *o,
                          cm_pat_result_t *res, cm_pat_group_t *g);

/* Write DIR/patterns.meme, patterns.tsv, cwm.tsv and seqlets.bed (DIR is created when
 * missing), all committed together (error.h cm_out_commit_all).  prov is the
 * provenance line of the TSV and BED files. */
int cm_pat_write(const char *dir, const cm_pat_data_t *d, const cm_pat_result_t *res,
                 const char *prov, cm_err_t *err);

void cm_pat_result_free(cm_pat_result_t *res);

#endif
