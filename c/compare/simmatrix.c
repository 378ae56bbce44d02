/* simmatrix.c — see simmatrix.h (all-vs-all Tomtom similarity matrices). */
#include "compare/simmatrix.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

static double neglog10(double v)
{
    return -log10(v > 0 ? v : FLT_TRUE_MIN);
}

void cm_sim_row(const cm_cmp_db_t *db, const cm_cmp_hit_t *hits, const int *rows, int nr,
                int use_e, double *row)
{
    for (int t = 0; t < db->n; t++) row[t] = 0;   /* no alignment: p = q = 1 */
    for (int r = 0; r < nr; r++) {
        const cm_cmp_hit_t *x = &hits[rows[r]];
        row[x->target] = neglog10(use_e ? x->e : x->q);
    }
}

typedef struct {
    const cm_cmp_db_t *db;
    double *mat;         /* nq × db->n */
    int use_e;
    int *rows;           /* db->n scratch for cm_cmp_select */
} sim_t;

static int sim_query(void *ud, int qi, const cm_cmp_hit_t *h, cm_err_t *err)
{
    (void)err;
    sim_t *s = ud;
    int nr = cm_cmp_select(s->db, h, INFINITY, 0, s->rows);   /* every target, Tomtom order */
    cm_sim_row(s->db, h, s->rows, nr, s->use_e, s->mat + (size_t)qi * s->db->n);
    return 0;
}

int cm_simmatrix(const cm_motifset_t *qs, const cm_cmp_db_t *db, const double bg[4],
                 double pseudo, cm_dist_t dist, int use_e, int threads, double **mat,
                 int *nflat, cm_err_t *err)
{
    double *m = cm_malloc((size_t)qs->n * db->n * sizeof(double) + 1);
    sim_t s = {db, m, use_e, cm_malloc(db->n * sizeof(int))};
    cm_cmp_opts_t o = {dist, 1, 0, 0, 0};
    int rc = cm_cmp_run(db, qs, bg, pseudo, &o, threads, sim_query, &s, nflat, err);
    free(s.rows);
    if (rc != 0) {
        free(m);
        m = NULL;
    }
    *mat = m;
    return rc;
}

void cm_simmatrix_write(FILE *fp, const cm_motifset_t *qs, const cm_cmp_db_t *db,
                        const double *mat, const char *prov)
{
    if (prov) fprintf(fp, "# %s\n", prov);
    fputs("query", fp);
    for (int t = 0; t < db->n; t++) fprintf(fp, "\t%s", db->m[t]->id);
    fputc('\n', fp);
    for (int q = 0; q < qs->n; q++) {
        fputs(qs->m[q].id, fp);
        for (int t = 0; t < db->n; t++) fprintf(fp, "\t%.6g", mat[(size_t)q * db->n + t]);
        fputc('\n', fp);
    }
}
