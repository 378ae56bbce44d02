/* family.h — analyses built on motif match sets: the Jaccard Overlap Score of the
 * patterns learned for each TF (EpiBinder study, supplement A), and leave-one-out
 * k-nearest-neighbour prediction of a motif's TF family from its Tomtom neighbours
 * (the JASPAR 2024 thesis, "TF family prediction using KNN"; ../shared/papers/002).
 *
 * Labels come from TSV tables with a header line (cm_labels_read); matches come from
 * Tomtom TSV files (cm_matches_read: Tomtom's own or coopmap-compare's) or straight
 * from cm_cmp_run.  The all-vs-all k-NN experiment built on the votes and scores
 * below is in knn.h, the similarity matrices in simmatrix.h.  Library code: nothing
 * is printed; errors are "FILE:LINE: what".
 */
#ifndef COOPMAP_FAMILY_H
#define COOPMAP_FAMILY_H

#include "core/error.h"

#include <stdio.h>

/* A key → label table (e.g. pattern id → TF, or JASPAR matrix_id → tf_class). */
typedef struct {
    int n;
    char **key;      /* n keys (unique; a repeated key is an error) */
    char **label;    /* n labels ("" allowed) */
    char **extra;    /* n values of the optional extra column, or NULL (see below) */
} cm_labels_t;

/* Read PATH, a TSV whose first non-'#' line is a header.  key_col and label_col name
 * header columns (NULL: the first and second column); extra_col (may be NULL) names
 * a third column to keep (e.g. JASPAR's "name", to recognise dimers).  Rows with too
 * few fields are errors ("PATH:LINE: ..."); a missing column is an error naming it.
 * Returns 0 or -1. */
int cm_labels_read(const char *path, const char *key_col, const char *label_col,
                   const char *extra_col, cm_labels_t *L, cm_err_t *err);
/* Free the table's strings and arrays and zero *L; NULL-safe. */
void cm_labels_free(cm_labels_t *L);

/* Index of key in L, or -1.  A linear scan (O(n) strcmp): the tables here hold at
 * most a few thousand keys. */
int cm_labels_find(const cm_labels_t *L, const char *key);

/* Matches (query id, target id) read from Tomtom TSV files.  Zero-initialise. */
typedef struct {
    int n;
    char **query, **target;   /* n owned copies each */
    int cq, ct;               /* allocated lengths of query and target (cm_grow) */
} cm_matches_t;

/* Append to M the rows of the Tomtom TSV PATH (header "Query_ID Target_ID ...";
 * '#' and blank lines skipped) whose q-value (column 6), or E-value (column 5) when
 * use_evalue, is <= thresh.  Errors ("PATH:LINE: ..."): no header line (an empty
 * file: Tomtom writes the header even without matches), a row with fewer than 6 fields,
 * an empty id, or a value that is not a finite number >= 0.  Returns 0 or -1. */
int cm_matches_read(const char *path, double thresh, int use_evalue, cm_matches_t *M,
                    cm_err_t *err);
/* Append copies of (query, target) to M (zero-initialise M before the first call). */
void cm_matches_add(cm_matches_t *M, const char *query, const char *target);
/* Free M's strings and arrays and zero *M; NULL-safe. */
void cm_matches_free(cm_matches_t *M);

/* Jaccard Overlap Score of one TF.  For TF t with patterns P_t and J(p) the set of
 * targets matched by pattern p (significant matches, q <= 0.05 by default):
 *
 *     JOS_t = mean over unordered pairs {p_i, p_j} ⊂ P_t, i ≠ j, of
 *             |J(p_i) ∩ J(p_j)| / |J(p_i) ∪ J(p_j)|
 *
 * (the mean over ordered pairs is the same number).  This is the *described*
 * meaning of the EpiBinder study (1 = the patterns converge on one motif, CTCF
 * highest, 0 = disjoint matches); its printed formula "1 − mean Jaccard" says the
 * opposite and is not used.  Conventions: a pair whose match sets are both empty
 * has Jaccard 0 (patterns that match nothing do not converge on a motif); a TF with
 * fewer than 2 patterns has no JOS (NaN, printed "NA"). */
typedef struct {
    char *tf;          /* label, in order of first appearance in the labels table */
    int npat;          /* patterns labelled with this TF */
    int nmatched;      /* of which with at least one match */
    long npairs;       /* npat·(npat−1)/2 */
    double jos;        /* NaN when npat < 2 */
    double mean_matches; /* mean |J(p)| over the TF's patterns */
} cm_jos_t;

/* JOS per TF of L (key = pattern id, label = TF) from the matches M (queries not in
 * L are ignored and their match rows counted in *unlabelled, which may be NULL).  Writes a malloc'd array into *out
 * (caller frees with cm_jos_free) and returns the number of TFs. */
int cm_jos(const cm_labels_t *L, const cm_matches_t *M, cm_jos_t **out, int *unlabelled);
/* Free the n rows of a cm_jos result (their tf strings and the array); NULL-safe. */
void cm_jos_free(cm_jos_t *j, int n);

/* Write the n JOS rows j as TSV: "# PROV" first when prov is not NULL, then the
 * header "tf n_patterns n_matched n_pairs jos mean_matches" and one line per TF
 * (jos and mean_matches as %.6g, a NaN jos as "NA").  Write errors are left to the
 * stream (caught by cm_out_commit). */
void cm_jos_write(FILE *fp, const cm_jos_t *j, int n, const char *prov);

/* Jaccard index of two sorted, duplicate-free int sets (0 when both are empty). */
double cm_jaccard(const int *a, int na, const int *b, int nb);

/* k-NN vote: the predicted class among the first k of the neighbour classes
 * nb[0..] (nearest first; entries < 0 mean "no neighbour" and end the list):
 * the class with most votes; a tie goes to the tied class whose best-ranked
 * neighbour is nearest (so k = 1 and any tie reduce to nearest-neighbour order).
 * Returns -1 when there is no neighbour. */
int cm_knn_vote(const int *nb, int k);

/* Ensemble of three predictions (the thesis's majority vote of ed, pearson and
 * sandelin): the class predicted by at least two; if all three differ, the first
 * (coopmap passes ed first).  -1 entries (no prediction) never win a vote. */
int cm_vote3(int a, int b, int c);

/* Scores of predictions pred[i] against truth[i], i < n, classes 0..nc−1
 * (pred −1 counts as wrong).  conf (nc × nc, may be NULL) gets counts
 * conf[truth·nc + pred].  accuracy = correct / n; macro-F1 = mean over the classes
 * with at least one true member of 2·TP / (2·TP + FP + FN). */
void cm_class_scores(const int *truth, const int *pred, int n, int nc, double *accuracy,
                     double *macro_f1, long *conf);

#endif
