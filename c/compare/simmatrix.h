/* simmatrix.h — all-vs-all Tomtom similarity matrices (coopmap-family matrix, and the
 * --matrix output of coopmap-family knn), on coopmap-compare's engine (compare.h).
 *
 * A cell is −log10 of the q-value (or E-value) of the query against the target in
 * the better orientation, as Tomtom would print it with no threshold; the JASPAR
 * 2024 thesis ("TF family prediction using KNN"; ../shared/papers/002) builds its
 * distances from these Tomtom all-vs-all values.  Library code: nothing is printed;
 * errors are "FILE:LINE: what" (error.h).
 */
#ifndef COOPMAP_SIMMATRIX_H
#define COOPMAP_SIMMATRIX_H

#include "compare/compare.h"
#include "core/error.h"
#include "motif/motif.h"

#include <stdio.h>

/* One similarity-matrix row: row[t] for every target t < db->n, from one query's
 * hits and the rows cm_cmp_select picked (rows[0..nr−1], indices into hits, no
 * threshold): −log10 of the hit's E-value when use_e, else of its q-value; a value
 * of 0 (underflow in float) counts as the smallest positive float (FLT_TRUE_MIN,
 * −log10 = 45.15); a target without a selected row gets 0 (p = q = 1). */
void cm_sim_row(const cm_cmp_db_t *db, const cm_cmp_hit_t *hits, const int *rows, int nr,
                int use_e, double *row);

/* Compare every query of qs with the database db (cm_cmp_run with -dist dist,
 * min-overlap 1, complete scores; background bg and pseudocount pseudo as db was
 * built with; threads OpenMP threads, the result does not depend on them) and fill
 * *mat with a malloc'd qs->n × db->n row-major matrix of cm_sim_row values (row =
 * query, column = target in database order); the caller frees it.  *nflat (if not
 * NULL) receives the number of queries with flattened scores (cm_cmp_run).  Returns
 * 0, or −1 with err filled (then *mat is NULL). */
int cm_simmatrix(const cm_motifset_t *qs, const cm_cmp_db_t *db, const double bg[4],
                 double pseudo, cm_dist_t dist, int use_e, int threads, double **mat,
                 int *nflat, cm_err_t *err);

/* Write the matrix mat (qs->n × db->n row-major, as cm_simmatrix) as TSV: "# PROV"
 * first when prov is not NULL, then the header "query" + one column per target id
 * (database order), then one line per query: its id and the cells as %.6g.  Write
 * errors are left to the stream (caught by cm_out_commit). */
void cm_simmatrix_write(FILE *fp, const cm_motifset_t *qs, const cm_cmp_db_t *db,
                        const double *mat, const char *prov);

#endif
