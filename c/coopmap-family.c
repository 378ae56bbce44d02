/* coopmap-family — analyses on motif match sets (family.h): the Jaccard Overlap
 * Score per TF (EpiBinder study), all-vs-all similarity matrices and leave-one-out
 * k-NN TF-family prediction (JASPAR 2024 thesis), on coopmap-compare's Tomtom engine. */
#include "background.h"
#include "compare.h"
#include "error.h"
#include "family.h"
#include "motif.h"
#include "textio.h"
#include "version.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE =
"Usage: coopmap-family jos --labels PATTERNS.tsv [options] TOMTOM.tsv [TOMTOM2.tsv ...]\n"
"       coopmap-family knn --labels JASPAR.tsv [options] MOTIFS.meme\n"
"       coopmap-family matrix [options] QUERY.meme TARGETS.meme\n"
"\n"
"jos     Jaccard Overlap Score per TF (EpiBinder study): for the patterns of each\n"
"        TF, the mean over pattern pairs of the Jaccard index of their sets of\n"
"        significant matches (1 = all patterns match the same motifs, 0 = disjoint).\n"
"        A pair of patterns without matches has Jaccard 0; a TF with fewer than two\n"
"        patterns has JOS NA.  Output: tf n_patterns n_matched n_pairs jos\n"
"        mean_matches.\n"
"  --labels FILE      TSV with a header: pattern id (first column, or --key-col)\n"
"                     and TF (second column, or --label-col)\n"
"  --thresh X         a match is a row with q-value <= X (default 0.05)\n"
"  --evalue           threshold the E-value instead\n"
"\n"
"knn     Leave-one-out k-nearest-neighbour prediction of each motif's family from\n"
"        its Tomtom neighbours in the same set (all-vs-all), for -dist ed, pearson,\n"
"        sandelin and their majority vote (ensemble), k = 1..--kmax, under two\n"
"        rankings of the neighbours: p = every target in Tomtom's order (p-value,\n"
"        then overlap, orientation, id); q = only matches with q-value <=\n"
"        --neighbour-thresh (as Tomtom prints them; E-value with --evalue), by\n"
"        q-value, ties in file order (a motif without neighbours gets no\n"
"        prediction and counts as wrong).  A tied vote goes to the class of the\n"
"        nearest tied neighbour; the ensemble takes the class two distances agree\n"
"        on, else ed's.  Output: ranking distance k n classes accuracy macro_f1.\n"
"  --labels FILE      TSV with a header, e.g. JASPAR's: key column --key-col\n"
"                     (default matrix_id), class --label-col (default tf_class),\n"
"                     name --name-col (default name; '::' marks a dimer)\n"
"  --min-class N      drop classes with fewer than N motifs (default 20)\n"
"  --keep-dimers      keep dimers (dropped by default)\n"
"  --kmax K           largest k (default 11)\n"
"  --neighbour-thresh X  threshold of the q ranking (default 0.5)\n"
"  --database FILE    neighbours from FILE's motifs instead of the labelled set\n"
"                     (e.g. the whole JASPAR file, dimers and rare classes\n"
"                     included); a neighbour outside the set is a wrong vote\n"
"  --confusion FILE   confusion matrix (rows true, columns predicted) of\n"
"                     --confusion-dist (default ensemble) at --confusion-k (1),\n"
"                     p ranking\n"
"  --matrix FILE      also write the similarity matrix of --matrix-dist (ed)\n"
"\n"
"matrix  All-vs-all similarity matrix: first column the query id, one column per\n"
"        target, cells -log10 of the q-value (or E-value with --value E) of the\n"
"        best orientation; a value of 0 underflowed in float is written as the\n"
"        smallest positive float (-log10 = 45.15).\n"
"  -dist NAME         ed (default), pearson, sandelin, kullback, allr\n"
"  --value q|E        (default q)\n"
"\n"
"Common options (one or two leading dashes):\n"
"  -o FILE            output (default standard output), written atomically\n"
"  --motif-pseudo X   pseudocount (default 0.1); background: the query file's\n"
"  --threads N        OpenMP threads (default 1); output does not depend on it\n"
"  -h, --help         this help\n"
"  --version          print the version\n";

typedef struct {
    const char *mode, *labels, *key_col, *label_col, *name_col, *out, *confusion, *matrix;
    const char *confusion_dist, *matrix_dist, *value, *database;
    double thresh, pseudo;
    int use_evalue, keep_dimers, min_class, kmax, confusion_k, threads;
    double nb_thresh;
    cm_dist_t dist;
    char **files; int nfiles;
} args_t;

static int parse_args(int argc, char **argv, args_t *A, cm_err_t *err)
{
    memset(A, 0, sizeof *A);
    A->thresh = 0.05, A->pseudo = 0.1, A->min_class = 20, A->kmax = 11, A->confusion_k = 1;
    A->threads = 1, A->dist = CM_DIST_ED, A->nb_thresh = 0.5;
    A->confusion_dist = "ensemble", A->matrix_dist = "ed", A->value = "q";
    A->files = cm_calloc(argc, sizeof(char *));
    if (argc < 2) return cm_fail(err, "need a mode: jos, knn or matrix (see --help)");
    A->mode = argv[1];
    if (strcmp(A->mode, "jos") && strcmp(A->mode, "knn") && strcmp(A->mode, "matrix"))
        return cm_fail(err, "unknown mode '%s': jos, knn or matrix (see --help)", A->mode);
    for (int i = 2; i < argc; i++) {
        const char *o = cm_optname(argv[i]);
        if (!o) { A->files[A->nfiles++] = argv[i]; continue; }
        static const char *with_value[] = {"labels", "key-col", "label-col", "name-col", "o",
            "confusion", "matrix", "database", "confusion-dist", "confusion-k", "matrix-dist", "value",
            "thresh", "motif-pseudo", "neighbour-thresh", "min-class", "kmax", "threads", "dist", NULL};
        const char *v = NULL;
        for (int k = 0; with_value[k]; k++)
            if (strcmp(o, with_value[k]) == 0) {
                if (i + 1 >= argc) return cm_fail(err, "option %s needs a value", argv[i]);
                v = argv[++i];
            }
        long l; double d;
        if (!strcmp(o, "labels")) A->labels = v;
        else if (!strcmp(o, "key-col")) A->key_col = v;
        else if (!strcmp(o, "label-col")) A->label_col = v;
        else if (!strcmp(o, "name-col")) A->name_col = v;
        else if (!strcmp(o, "o")) A->out = v;
        else if (!strcmp(o, "confusion")) A->confusion = v;
        else if (!strcmp(o, "matrix")) A->matrix = v;
        else if (!strcmp(o, "database")) A->database = v;
        else if (!strcmp(o, "confusion-dist")) A->confusion_dist = v;
        else if (!strcmp(o, "matrix-dist")) A->matrix_dist = v;
        else if (!strcmp(o, "neighbour-thresh")) {
            if (cm_parse_double(v, &d) != 0 || !(d >= 0)) return cm_fail(err, "--neighbour-thresh %s: not a number >= 0", v);
            A->nb_thresh = d;
        } else if (!strcmp(o, "value")) {
            if (strcmp(v, "q") && strcmp(v, "E")) return cm_fail(err, "--value %s: q or E", v);
            A->value = v;
        } else if (!strcmp(o, "dist")) {
            if (cm_dist_parse(v, &A->dist) != 0) return cm_fail(err, "-dist %s: not supported", v);
        } else if (!strcmp(o, "thresh")) {
            if (cm_parse_double(v, &d) != 0 || !(d >= 0)) return cm_fail(err, "--thresh %s: not a number >= 0", v);
            A->thresh = d;
        } else if (!strcmp(o, "motif-pseudo")) {
            if (cm_parse_double(v, &d) != 0 || !(d > 0)) return cm_fail(err, "--motif-pseudo %s: not a number > 0", v);
            A->pseudo = d;
        } else if (!strcmp(o, "min-class") || !strcmp(o, "kmax") || !strcmp(o, "confusion-k") ||
                   !strcmp(o, "threads")) {
            if (cm_parse_long(v, &l) != 0 || l < (strcmp(o, "min-class") ? 1 : 0) || l > 100000)
                return cm_fail(err, "%s %s: not a valid integer", argv[i - 1], v);
            if (!strcmp(o, "min-class")) A->min_class = (int)l;
            else if (!strcmp(o, "kmax")) A->kmax = (int)l;
            else if (!strcmp(o, "confusion-k")) A->confusion_k = (int)l;
            else A->threads = (int)l;
        } else if (!strcmp(o, "evalue")) A->use_evalue = 1;
        else if (!strcmp(o, "keep-dimers")) A->keep_dimers = 1;
        else return cm_fail(err, "unknown option %s (see --help)", argv[i]);
    }
    if (strcmp(A->mode, "matrix") && !A->labels) return cm_fail(err, "%s needs --labels FILE", A->mode);
    if (!strcmp(A->mode, "jos") && A->nfiles < 1) return cm_fail(err, "jos needs at least one Tomtom TSV");
    if (!strcmp(A->mode, "knn") && A->nfiles != 1) return cm_fail(err, "knn needs one motif file");
    if (!strcmp(A->mode, "matrix") && A->nfiles < 2) return cm_fail(err, "matrix needs a query file and a target file");
    if (A->confusion_k > A->kmax) return cm_fail(err, "--confusion-k %d exceeds --kmax %d", A->confusion_k, A->kmax);
    return 0;
}

static void provenance(FILE *fp, int argc, char **argv)
{
    char *cmd = cm_cmdline(argc, argv);
    fprintf(fp, "# coopmap-family %s: %s\n", COOPMAP_VERSION, cmd);
    free(cmd);
}

static int run_jos(int argc, char **argv, const args_t *A, cm_err_t *err)
{
    cm_labels_t L;
    cm_matches_t M = {0};
    if (cm_labels_read(A->labels, A->key_col, A->label_col, NULL, &L, err) != 0) return -1;
    for (int i = 0; i < A->nfiles; i++)
        if (cm_matches_read(A->files[i], A->thresh, A->use_evalue, &M, err) != 0) {
            cm_labels_free(&L);
            cm_matches_free(&M);
            return -1;
        }
    cm_jos_t *J;
    int unl, n = cm_jos(&L, &M, &J, &unl);
    if (unl) cm_warn("family", "%d match rows of patterns not in %s ignored", unl, A->labels);
    int rc = -1;
    cm_out_t *out = cm_out_open(A->out ? A->out : "-", err);
    if (out) {
        provenance(out->fp, argc, argv);
        fputs("tf\tn_patterns\tn_matched\tn_pairs\tjos\tmean_matches\n", out->fp);
        for (int i = 0; i < n; i++) {
            fprintf(out->fp, "%s\t%d\t%d\t%ld\t", J[i].tf, J[i].npat, J[i].nmatched, J[i].npairs);
            if (isnan(J[i].jos)) fputs("NA", out->fp);
            else fprintf(out->fp, "%.6g", J[i].jos);
            fprintf(out->fp, "\t%.6g\n", J[i].mean_matches);
        }
        rc = cm_out_commit(out, err);
    }
    cm_jos_free(J, n);
    cm_labels_free(&L);
    cm_matches_free(&M);
    return rc;
}

/* ---- all-vs-all: neighbours and similarity matrix ---- */

typedef struct {
    const cm_cmp_db_t *db;
    const int *cls;      /* class of each target (knn), or NULL */
    const int *self;     /* knn: database index of each query (left out), −1 if none */
    int kmax;
    int *nb;             /* n × kmax neighbour classes (−1 pad), p ranking, or NULL */
    int *nbq;            /* the same for the q ranking */
    double *mat;         /* nq × n similarity values, or NULL */
    int use_e;
    int *rows;
    double nb_thresh;    /* knn q ranking: neighbours need q (or E with use_e) <= this */
} ava_t;

typedef struct { float q; int target, idx; } qrow_t;

static int cmp_qrow(const void *x, const void *y)
{
    const qrow_t *a = x, *b = y;
    if (a->q != b->q) return a->q < b->q ? -1 : 1;
    return a->target < b->target ? -1 : a->target > b->target;
}

static double neglog10(double v)
{
    return -log10(v > 0 ? v : FLT_TRUE_MIN);
}

static int ava_query(void *ud, int qi, const cm_cmp_hit_t *h, cm_err_t *err)
{
    (void)err;
    ava_t *a = ud;
    int nr = cm_cmp_select(a->db, h, INFINITY, 0, a->rows);   /* every target, Tomtom order */
    if (a->nb) {
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
            qr[m].q = (float)(a->use_e ? x->e : x->q), qr[m].target = x->target, qr[m].idx = r;
            m++;
        }
        qsort(qr, m, sizeof *qr, cmp_qrow);
        nb = a->nbq + (size_t)qi * a->kmax, j = 0;
        for (; j < m && j < a->kmax; j++) nb[j] = a->cls[qr[j].target];
        for (; j < a->kmax; j++) nb[j] = -1;
        free(qr);
    }
    if (a->mat) {
        double *row = a->mat + (size_t)qi * a->db->n;
        for (int t = 0; t < a->db->n; t++) row[t] = 0;   /* no alignment: p = q = 1 */
        for (int r = 0; r < nr; r++) {
            const cm_cmp_hit_t *x = &h[a->rows[r]];
            row[x->target] = neglog10(a->use_e ? x->e : x->q);
        }
    }
    return 0;
}

static int write_matrix(const char *path, const cm_motifset_t *qs, const cm_cmp_db_t *db,
                        const double *mat, int argc, char **argv, cm_err_t *err)
{
    cm_out_t *out = cm_out_open(path, err);
    if (!out) return -1;
    provenance(out->fp, argc, argv);
    fputs("query", out->fp);
    for (int t = 0; t < db->n; t++) fprintf(out->fp, "\t%s", db->m[t]->id);
    fputc('\n', out->fp);
    for (int q = 0; q < qs->n; q++) {
        fputs(qs->m[q].id, out->fp);
        for (int t = 0; t < db->n; t++) fprintf(out->fp, "\t%.6g", mat[(size_t)q * db->n + t]);
        fputc('\n', out->fp);
    }
    return cm_out_commit(out, err);
}

static void query_bg(const cm_motifset_t *qs, double bg[4])
{
    for (int a = 0; a < 4; a++) bg[a] = qs->has_bg ? qs->bg[a] : 0.25;
    cm_bg_finish(bg, 1);
}

static int run_matrix(int argc, char **argv, const args_t *A, cm_err_t *err)
{
    int nsets = A->nfiles - 1, rc = -1;
    cm_motifset_t qs = {0}, *ts = cm_calloc(nsets, sizeof *ts);
    cm_cmp_db_t db = {0};
    double bg[4], *mat = NULL;
    if (cm_motifs_read(A->files[0], &qs, err) != 0) goto done;
    for (int s = 0; s < nsets; s++)
        if (cm_motifs_read(A->files[s + 1], &ts[s], err) != 0) goto done;
    query_bg(&qs, bg);
    if (cm_cmp_db_build(&db, ts, nsets, bg, A->pseudo, 0, err) != 0) goto done;
    mat = cm_malloc((size_t)qs.n * db.n * sizeof(double) + 1);
    ava_t a = {&db, NULL, NULL, 0, NULL, NULL, mat, A->value[0] == 'E', cm_malloc(db.n * sizeof(int)), INFINITY};
    cm_cmp_opts_t o = {A->dist, 1, 0, 0, 0};
    rc = cm_cmp_run(&db, &qs, bg, A->pseudo, &o, A->threads, ava_query, &a, err);
    free(a.rows);
    if (rc == 0) rc = write_matrix(A->out ? A->out : "-", &qs, &db, mat, argc, argv, err);
done:
    free(mat);
    cm_cmp_db_free(&db);
    for (int s = 0; s < nsets; s++) cm_motifs_free(&ts[s]);
    free(ts);
    cm_motifs_free(&qs);
    return rc;
}

static int run_knn(int argc, char **argv, const args_t *A, cm_err_t *err)
{
    static const char *DN[3] = {"ed", "pearson", "sandelin"};
    static const cm_dist_t DD[3] = {CM_DIST_ED, CM_DIST_PEARSON, CM_DIST_SANDELIN};
    int rc = -1, K = A->kmax;
    cm_labels_t L = {0};
    cm_motifset_t ms = {0};
    cm_cmp_db_t db = {0};
    char **ids = NULL, **cname = NULL;
    int *cls = NULL, *nb = NULL, *pred = NULL, nc = 0, *dcls = NULL, *self = NULL;
    cm_motifset_t dbset = {0};
    double *mat = NULL;
    long *conf = NULL;
    cm_out_t *out = NULL;
    if (cm_labels_read(A->labels, A->key_col ? A->key_col : "matrix_id",
                       A->label_col ? A->label_col : "tf_class",
                       A->name_col ? A->name_col : "name", &L, err) != 0) goto done;
    if (cm_motifs_read(A->files[0], &ms, err) != 0) goto done;
    /* the labelled set: known key, non-empty class, no dimer, class size >= min */
    int *lab = cm_malloc((ms.n ? ms.n : 1) * sizeof(int));
    for (int k = 0; k < ms.n; k++) {
        int i = cm_labels_find(&L, ms.m[k].id);
        if (i >= 0 && (!L.label[i][0] || (!A->keep_dimers && strstr(L.extra[i], "::")))) i = -1;
        lab[k] = i;
    }
    /* class sizes by label string */
    int nk = 0;
    ids = cm_malloc((ms.n ? ms.n : 1) * sizeof(char *));
    for (int k = 0; k < ms.n; k++) {
        if (lab[k] < 0) continue;
        int same = 0;
        for (int j = 0; j < ms.n; j++)
            if (lab[j] >= 0 && strcmp(L.label[lab[j]], L.label[lab[k]]) == 0) same++;
        if (same >= A->min_class) ids[nk++] = ms.m[k].id;
    }
    if (nk < 2) {
        cm_fail(err, "%s: fewer than 2 labelled motifs left after filtering", A->files[0]);
        free(lab);
        goto done;
    }
    if (cm_motifs_select(&ms, ids, nk, err) != 0) { free(lab); goto done; }
    free(lab);
    /* classes in order of first appearance */
    cls = cm_malloc(ms.n * sizeof(int));
    for (int k = 0; k < ms.n; k++) {
        const char *c = L.label[cm_labels_find(&L, ms.m[k].id)];
        int j = 0;
        while (j < nc && strcmp(cname[j], c)) j++;
        if (j == nc) cname = cm_realloc(cname, (nc + 1) * sizeof(char *)), cname[nc++] = (char *)c;
        cls[k] = j;
    }
    double bg[4];
    query_bg(&ms, bg);
    /* targets: the labelled set itself, or --database (whose motifs outside the
     * labelled set form one extra class, nc, that is never right) */
    if (A->database && cm_motifs_read(A->database, &dbset, err) != 0) goto done;
    if (cm_cmp_db_build(&db, A->database ? &dbset : &ms, 1, bg, A->pseudo, 0, err) != 0) goto done;
    int n = ms.n;
    dcls = cm_malloc(db.n * sizeof(int));
    self = cm_malloc(n * sizeof(int));
    for (int t = 0; t < db.n; t++) {
        dcls[t] = nc;
        for (int k = 0; k < n && dcls[t] == nc; k++)
            if (!strcmp(db.m[t]->id, ms.m[k].id)) dcls[t] = cls[k];
    }
    for (int k = 0; k < n; k++) {
        self[k] = -1;
        for (int t = 0; t < db.n && self[k] < 0; t++)
            if (!strcmp(db.m[t]->id, ms.m[k].id)) self[k] = t;
    }
    nb = cm_malloc((size_t)6 * n * K * sizeof(int));   /* [ranking][distance][motif][k] */
    for (int d = 0; d < 3; d++) {
        int want_mat = A->matrix && !strcmp(A->matrix_dist, DN[d]);
        if (want_mat) mat = cm_malloc((size_t)n * db.n * sizeof(double));
        ava_t a = {&db, dcls, self, K, nb + (size_t)d * n * K, nb + (size_t)(3 + d) * n * K,
                   want_mat ? mat : NULL, A->use_evalue, cm_malloc(db.n * sizeof(int)), A->nb_thresh};
        cm_cmp_opts_t o = {DD[d], 1, 0, 0, 0};
        int r = cm_cmp_run(&db, &ms, bg, A->pseudo, &o, A->threads, ava_query, &a, err);
        free(a.rows);
        if (r != 0) goto done;
        if (want_mat) {
            if (write_matrix(A->matrix, &ms, &db, mat, argc, argv, err) != 0) goto done;
            free(mat);
            mat = NULL;
        }
    }
    /* predictions for every distance, the ensemble and k */
    pred = cm_malloc((size_t)4 * n * sizeof(int));
    conf = cm_malloc((size_t)(nc + 1) * (nc + 1) * sizeof(long));
    out = cm_out_open(A->out ? A->out : "-", err);
    if (!out) goto done;
    provenance(out->fp, argc, argv);
    fprintf(out->fp, "# %d motifs in %d classes\n", n, nc);
    fputs("ranking\tdistance\tk\tn\tclasses\taccuracy\tmacro_f1\n", out->fp);
    for (int rk = 0; rk < 2; rk++)
    for (int d = 0; d < 4; d++)
        for (int k = 1; k <= K; k++) {
            const int *nbr = nb + (size_t)rk * 3 * n * K;
            for (int q = 0; q < n; q++) {
                int p[3];
                for (int e = 0; e < 3; e++) p[e] = cm_knn_vote(nbr + ((size_t)e * n + q) * K, k);
                pred[q] = d < 3 ? p[d] : cm_vote3(p[0], p[1], p[2]);
            }
            double acc, f1;
            const char *dn = d < 3 ? DN[d] : "ensemble";
            int want_conf = rk == 0 && A->confusion && k == A->confusion_k &&
                            !strcmp(dn, A->confusion_dist);
            /* class nc (database motifs outside the set) has no true member, so it is
             * left out of macro-F1; predicting it is simply wrong */
            cm_class_scores(cls, pred, n, nc + 1, &acc, &f1, want_conf ? conf : NULL);
            fprintf(out->fp, "%s\t%s\t%d\t%d\t%d\t%.4f\t%.4f\n", rk ? "q" : "p", dn, k, n, nc, acc, f1);
            if (want_conf) {
                cm_out_t *co = cm_out_open(A->confusion, err);
                if (!co) goto done;
                provenance(co->fp, argc, argv);
                fprintf(co->fp, "true\\predicted");
                int ncol = A->database ? nc + 1 : nc;
                for (int j = 0; j < nc; j++) fprintf(co->fp, "\t%s", cname[j]);
                if (A->database) fputs("\t(outside the set)", co->fp);
                fputc('\n', co->fp);
                for (int i = 0; i < nc; i++) {
                    fputs(cname[i], co->fp);
                    for (int j = 0; j < ncol; j++) fprintf(co->fp, "\t%ld", conf[(size_t)i * (nc + 1) + j]);
                    fputc('\n', co->fp);
                }
                if (cm_out_commit(co, err) != 0) goto done;
            }
        }
    rc = cm_out_commit(out, err);
    out = NULL;
done:
    cm_out_abort(out);
    free(conf);
    free(pred);
    free(nb);
    free(mat);
    free(cls);
    free(dcls);
    free(self);
    cm_motifs_free(&dbset);
    free(cname);
    free(ids);
    cm_cmp_db_free(&db);
    cm_motifs_free(&ms);
    cm_labels_free(&L);
    return rc;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *o = cm_optname(argv[i]);
        if (o && (strcmp(o, "help") == 0 || strcmp(o, "h") == 0)) { fputs(USAGE, stdout); return 0; }
        if (o && strcmp(o, "version") == 0) { printf("coopmap-family %s\n", COOPMAP_VERSION); return 0; }
    }
    cm_err_t err = {{0}};
    args_t A;
    int rc = parse_args(argc, argv, &A, &err);
    if (rc == 0) {
        if (!strcmp(A.mode, "jos")) rc = run_jos(argc, argv, &A, &err);
        else if (!strcmp(A.mode, "knn")) rc = run_knn(argc, argv, &A, &err);
        else rc = run_matrix(argc, argv, &A, &err);
    }
    free(A.files);
    if (rc != 0) {
        cm_report("family", &err);
        return 1;
    }
    return 0;
}
