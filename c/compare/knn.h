/* knn.h — leave-one-out k-nearest-neighbour prediction of a motif's TF family from
 * its Tomtom neighbours (the JASPAR 2024 thesis, "TF family prediction using KNN";
 * ../shared/papers/002): every labelled motif is compared with every target
 * (all-vs-all, cm_cmp_run) under -dist ed, pearson and sandelin, its neighbours'
 * classes vote (cm_knn_vote) for k = 1..kmax, and the three distances form the
 * thesis's majority-vote ensemble (cm_vote3).  The vote rules, the ensemble and the
 * scores are in family.h; the neighbour rankings are documented at cm_knn_run.
 * Library code: nothing is printed; errors are "FILE:LINE: what" (error.h).
 *
 * Use: cm_knn_select (the labelled set), cm_knn_targets (the neighbour database),
 * cm_knn_run for d = 0, 1, 2, then cm_knn_scores per ranking, distance and k;
 * cm_knn_free. */
#ifndef COOPMAP_KNN_H
#define COOPMAP_KNN_H

#include "compare/compare.h"
#include "core/error.h"
#include "compare/family.h"
#include "motif/motif.h"

#include <stdio.h>

/* The three distances, in ensemble order (ed first: it wins a three-way tie), and
 * their names as printed ("ed", "pearson", "sandelin"; index 3 of a distance
 * argument means the ensemble, printed "ensemble"). */
#define CM_KNN_NDIST 3
extern const cm_dist_t cm_knn_dist[CM_KNN_NDIST];
extern const char *const cm_knn_dist_name[CM_KNN_NDIST];

/* Neighbour rankings (cm_knn_run). */
enum { CM_KNN_RANK_P = 0, CM_KNN_RANK_Q = 1 };

/* A k-NN experiment.  Zero-initialise ({0}) before cm_knn_select. */
typedef struct {
    int n;             /* labelled motifs (the queries), in motif-file order */
    int nc;            /* classes; class nc stands for "outside the labelled set" */
    int *cls;          /* n: class of each query, 0..nc−1 */
    char **cname;      /* nc class names in order of first appearance (borrowed from
                          the labels table, which must outlive this) */
    double bg[4];      /* background of the queries (cm_query_bg) */
    double pseudo;     /* pseudocount of queries and targets */
    cm_cmp_db_t db;    /* the neighbour database (targets) */
    int *dcls;         /* db.n: class of each target (nc when not in the labelled set) */
    int *self;         /* n: database index of each query (left out), −1 if absent */
    int kmax;          /* neighbours kept per query */
    int min_overlap;   /* Tomtom -min-overlap of the comparisons (0 or 1: none); the
                          Tomtom web server's default is 5 */
    int *nb;           /* 2 × 3 × n × kmax neighbour classes, nearest first, −1 padded:
                          nb[((ranking·3 + d)·n + q)·kmax + j] */
} cm_knn_t;

/* The labelled set: keep the motifs of ms (filtered in place, cm_motifs_select,
 * file order kept) whose id is a key of L (key = matrix id, label = class, extra =
 * name, which must be present) with a non-empty label, that are not dimers (a name
 * containing "::") unless keep_dimers, and whose class has at least min_class such
 * motifs.  Fills K->n, nc, cls and cname.  Returns 0, or −1 with err filled
 * ("MOTIFS: fewer than 2 labelled motifs left after filtering" when n < 2). */
int cm_knn_select(cm_motifset_t *ms, const cm_labels_t *L, int keep_dimers, int min_class,
                  cm_knn_t *K, cm_err_t *err);

/* The neighbour database: database's motifs when not NULL (those outside the
 * labelled set ms get class nc, a vote for which is always wrong), else ms itself
 * (both must outlive K).  Sets K->bg from ms (cm_query_bg), K->pseudo, K->kmax
 * (>= 1), builds K->db and allocates K->nb.  Returns 0, or −1 with err filled (an
 * empty database). */
int cm_knn_targets(cm_knn_t *K, const cm_motifset_t *ms, const cm_motifset_t *database,
                   double pseudo, int kmax, cm_err_t *err);

/* Compare the labelled set ms with the database under distance cm_knn_dist[d]
 * (with K->min_overlap; d < 3; threads OpenMP threads, results independent of them) and store each
 * query's first kmax neighbour classes, the query itself left out, under two
 * rankings:
 *   CM_KNN_RANK_P: every target in Tomtom's order (p-value, then overlap,
 *                  orientation, id; cm_cmp_select);
 *   CM_KNN_RANK_Q: only targets with q-value (E-value when use_e) <= nb_thresh,
 *                  by that value as a float, ties in database order.
 * When mat is not NULL it also gets the n × db.n row-major similarity matrix of
 * this distance (cm_sim_row, −log10 q, or E when use_e).  Returns 0 or −1 (err). */
int cm_knn_run(cm_knn_t *K, int d, const cm_motifset_t *ms, int use_e, double nb_thresh,
               int threads, double *mat, cm_err_t *err);

/* Predictions pred[0..n−1] (−1: no neighbour) of ranking (CM_KNN_RANK_*), distance
 * d (0..2 as cm_knn_dist, 3 = the ensemble cm_vote3 of the three) and k
 * (1..kmax), by cm_knn_vote over the stored neighbour lists. */
void cm_knn_predict(const cm_knn_t *K, int ranking, int d, int k, int *pred);

/* Accuracy and macro-F1 (cm_class_scores over nc + 1 classes: class nc, the
 * database motifs outside the set, has no true member, so it is left out of
 * macro-F1 and predicting it is simply wrong) of cm_knn_predict(K, ranking, d, k).
 * conf (may be NULL) gets the (nc + 1) × (nc + 1) row-major confusion counts
 * conf[true·(nc + 1) + predicted]. */
void cm_knn_scores(const cm_knn_t *K, int ranking, int d, int k, double *accuracy,
                   double *macro_f1, long *conf);

/* Write a confusion matrix conf ((nc + 1) × (nc + 1), as cm_knn_scores) as TSV:
 * "# PROV" when prov is not NULL, the header "true\predicted" + the class names
 * (+ "(outside the set)" when outside), then one line per true class: its name and
 * the counts of the nc predicted classes (nc + 1 with outside).  Write errors are
 * left to the stream. */
void cm_knn_write_confusion(FILE *fp, const cm_knn_t *K, const long *conf, int outside,
                            const char *prov);

/* Free everything K owns (not the borrowed class names' strings) and zero *K. */
void cm_knn_free(cm_knn_t *K);

#endif
