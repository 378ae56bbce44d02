/* knn.c — see knn.h (JASPAR 2024 thesis, "TF family prediction using KNN"). */
#include "compare/knn.h"
#include "compare/simmatrix.h"
#include "core/textio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const cm_dist_t cm_knn_dist[CM_KNN_NDIST] = {CM_DIST_ED, CM_DIST_PEARSON, CM_DIST_SANDELIN};
const char *const cm_knn_dist_name[CM_KNN_NDIST] = {"ed", "pearson", "sandelin"};

int cm_knn_select(cm_motifset_t *ms, const cm_labels_t *L, int keep_dimers, int min_class,
                  cm_knn_t *K, cm_err_t *err)
{
    /* the labelled set: known key, non-empty class, no dimer, class size >= min */
    int *lab = cm_malloc((ms->n ? ms->n : 1) * sizeof(int));
    for (int k = 0; k < ms->n; k++) {
        int i = cm_labels_find(L, ms->m[k].id);
        if (i >= 0 && (!L->label[i][0] || (!keep_dimers && strstr(L->extra[i], "::")))) i = -1;
        lab[k] = i;
    }
    /* class sizes by label string (cid: the motif's label index in names) */
    char **names = NULL;
    int nn = 0, cn = 0, nk = 0;
    int *cid = cm_malloc((ms->n ? ms->n : 1) * sizeof(int));
    int *size = cm_calloc(ms->n ? ms->n : 1, sizeof(int));   /* at most n labels */
    for (int k = 0; k < ms->n; k++)
        if (lab[k] >= 0) size[cid[k] = cm_intern(&names, &nn, &cn, L->label[lab[k]])]++;
    char **ids = cm_malloc((ms->n ? ms->n : 1) * sizeof(char *));
    for (int k = 0; k < ms->n; k++)
        if (lab[k] >= 0 && size[cid[k]] >= min_class) ids[nk++] = ms->m[k].id;
    for (int i = 0; i < nn; i++) free(names[i]);
    free(names);
    free(size);
    free(cid);
    free(lab);
    int rc = nk < 2 ? cm_fail(err, "%s: fewer than 2 labelled motifs left after filtering", ms->path)
                    : cm_motifs_select(ms, ids, nk, err);
    free(ids);
    if (rc != 0) return -1;
    /* classes in order of first appearance */
    K->n = ms->n;
    K->cls = cm_malloc(ms->n * sizeof(int));
    for (int k = 0; k < ms->n; k++) {
        const char *c = L->label[cm_labels_find(L, ms->m[k].id)];
        int j = 0;
        while (j < K->nc && strcmp(K->cname[j], c)) j++;
        if (j == K->nc) {
            K->cname = cm_realloc(K->cname, (K->nc + 1) * sizeof(char *));
            K->cname[K->nc++] = (char *)c;
        }
        K->cls[k] = j;
    }
    return 0;
}

int cm_knn_targets(cm_knn_t *K, const cm_motifset_t *ms, const cm_motifset_t *database,
                   double pseudo, int kmax, cm_err_t *err)
{
    cm_query_bg(ms, K->bg);
    K->pseudo = pseudo;
    K->kmax = kmax;
    if (cm_cmp_db_build(&K->db, database ? database : ms, 1, K->bg, pseudo, 0, err) != 0)
        return -1;
    int n = K->n, nc = K->nc;
    const cm_cmp_db_t *db = &K->db;
    K->dcls = cm_malloc(db->n * sizeof(int));
    K->self = cm_malloc(n * sizeof(int));
    for (int t = 0; t < db->n; t++) {
        K->dcls[t] = nc;
        for (int k = 0; k < n && K->dcls[t] == nc; k++)
            if (!strcmp(db->m[t]->id, ms->m[k].id)) K->dcls[t] = K->cls[k];
    }
    for (int k = 0; k < n; k++) {
        K->self[k] = -1;
        for (int t = 0; t < db->n && K->self[k] < 0; t++)
            if (!strcmp(db->m[t]->id, ms->m[k].id)) K->self[k] = t;
    }
    K->nb = cm_malloc((size_t)2 * CM_KNN_NDIST * n * kmax * sizeof(int));
    return 0;
}

/* ---- one all-vs-all run: neighbour lists (and a similarity matrix) ---- */

typedef struct {
    const cm_cmp_db_t *db;
    const int *cls;      /* class of each target */
    const int *self;     /* database index of each query (left out), −1 if none */
    int kmax;
    int *nb;             /* n × kmax neighbour classes (−1 pad), p ranking */
    int *nbq;            /* the same for the q ranking */
    double *mat;         /* n × db->n similarity values, or NULL */
    int use_e;
    int *rows;           /* db->n scratch for cm_cmp_select */
    double nb_thresh;    /* q ranking: neighbours need q (or E with use_e) <= this */
} ava_t;

typedef struct { float q; int target; } qrow_t;

static int cmp_qrow(const void *x, const void *y)
{
    const qrow_t *a = x, *b = y;
    if (a->q != b->q) return a->q < b->q ? -1 : 1;
    return a->target < b->target ? -1 : a->target > b->target;
}

static int ava_query(void *ud, int qi, const cm_cmp_hit_t *h, cm_err_t *err)
{
    (void)err;
    ava_t *a = ud;
    int nr = cm_cmp_select(a->db, h, INFINITY, 0, a->rows);   /* every target, Tomtom order */
    /* p ranking: every target in Tomtom's order */
    int *nb = a->nb + (size_t)qi * a->kmax, j = 0;
    for (int r = 0; r < nr && j < a->kmax; r++) {
        int t = h[a->rows[r]].target;
        if (t != a->self[qi]) nb[j++] = a->cls[t];   /* leave one out */
    }
    for (; j < a->kmax; j++) nb[j] = -1;
    /* q ranking: significant matches by q-value, ties in database order */
    qrow_t *qr = cm_malloc((nr ? nr : 1) * sizeof *qr);
    int m = 0;
    for (int r = 0; r < nr; r++) {
        const cm_cmp_hit_t *x = &h[a->rows[r]];
        if ((a->use_e ? x->e : x->q) > a->nb_thresh || x->target == a->self[qi]) continue;
        qr[m].q = (float)(a->use_e ? x->e : x->q), qr[m].target = x->target;
        m++;
    }
    qsort(qr, m, sizeof *qr, cmp_qrow);
    nb = a->nbq + (size_t)qi * a->kmax, j = 0;
    for (; j < m && j < a->kmax; j++) nb[j] = a->cls[qr[j].target];
    for (; j < a->kmax; j++) nb[j] = -1;
    free(qr);
    if (a->mat) cm_sim_row(a->db, h, a->rows, nr, a->use_e, a->mat + (size_t)qi * a->db->n);
    return 0;
}

int cm_knn_run(cm_knn_t *K, int d, const cm_motifset_t *ms, int use_e, double nb_thresh,
               int threads, double *mat, cm_err_t *err)
{
    size_t len = (size_t)K->n * K->kmax;
    ava_t a = {&K->db, K->dcls, K->self, K->kmax,
               K->nb + (size_t)(CM_KNN_RANK_P * CM_KNN_NDIST + d) * len,
               K->nb + (size_t)(CM_KNN_RANK_Q * CM_KNN_NDIST + d) * len,
               mat, use_e, cm_malloc(K->db.n * sizeof(int)), nb_thresh};
    cm_cmp_opts_t o = {cm_knn_dist[d], K->min_overlap > 1 ? K->min_overlap : 1, 0, 0, 0};
    int rc = cm_cmp_run(&K->db, ms, K->bg, K->pseudo, &o, threads, ava_query, &a, NULL, err);
    free(a.rows);
    return rc;
}

/* ---- predictions and scores ---- */

void cm_knn_predict(const cm_knn_t *K, int ranking, int d, int k, int *pred)
{
    int n = K->n, kmax = K->kmax;
    const int *nbr = K->nb + (size_t)ranking * CM_KNN_NDIST * n * kmax;
    for (int q = 0; q < n; q++) {
        if (d < CM_KNN_NDIST) {   /* one distance: only its vote */
            pred[q] = cm_knn_vote(nbr + ((size_t)d * n + q) * kmax, k);
            continue;
        }
        int p[CM_KNN_NDIST];
        for (int e = 0; e < CM_KNN_NDIST; e++) p[e] = cm_knn_vote(nbr + ((size_t)e * n + q) * kmax, k);
        pred[q] = cm_vote3(p[0], p[1], p[2]);
    }
}

void cm_knn_scores(const cm_knn_t *K, int ranking, int d, int k, double *accuracy,
                   double *macro_f1, long *conf)
{
    int *pred = cm_malloc((K->n ? K->n : 1) * sizeof(int));
    cm_knn_predict(K, ranking, d, k, pred);
    cm_class_scores(K->cls, pred, K->n, K->nc + 1, accuracy, macro_f1, conf);
    free(pred);
}

void cm_knn_write_confusion(FILE *fp, const cm_knn_t *K, const long *conf, int outside,
                            const char *prov)
{
    int nc = K->nc, ncol = outside ? nc + 1 : nc;
    if (prov) fprintf(fp, "# %s\n", prov);
    fprintf(fp, "true\\predicted");
    for (int j = 0; j < nc; j++) fprintf(fp, "\t%s", K->cname[j]);
    if (outside) fputs("\t(outside the set)", fp);
    fputc('\n', fp);
    for (int i = 0; i < nc; i++) {
        fputs(K->cname[i], fp);
        for (int j = 0; j < ncol; j++) fprintf(fp, "\t%ld", conf[(size_t)i * (nc + 1) + j]);
        fputc('\n', fp);
    }
}

void cm_knn_free(cm_knn_t *K)
{
    free(K->cls);
    free(K->cname);
    cm_cmp_db_free(&K->db);
    free(K->dcls);
    free(K->self);
    free(K->nb);
    memset(K, 0, sizeof *K);
}
