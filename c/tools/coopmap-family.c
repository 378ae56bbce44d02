/* coopmap-family — analyses on motif match sets (family.h): the Jaccard Overlap
 * Score per TF (EpiBinder study), all-vs-all similarity matrices and leave-one-out
 * k-NN TF-family prediction (JASPAR 2024 thesis), on coopmap-compare's Tomtom engine. */
#include "compare/compare.h"
#include "core/error.h"
#include "compare/family.h"
#include "compare/figures.h"
#include "compare/knn.h"
#include "motif/motif.h"
#include "motif/motif_formats.h"
#include "compare/simmatrix.h"
#include "core/textio.h"
#include "core/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE =
"Usage: coopmap-family jos --labels PATTERNS.tsv [options] TOMTOM.tsv [TOMTOM2.tsv ...]\n"
"       coopmap-family knn --labels JASPAR.tsv [options] MOTIFS.meme\n"
"       coopmap-family matrix [options] QUERY.meme TARGETS.meme\n"
"       coopmap-family heatmap [--thresh X] [--evalue] [--labels FILE] [--title T]\n"
"                      -o FIG.svg TOMTOM.tsv\n"
"       coopmap-family jos-plot [--title T] -o FIG.svg JOS.tsv\n"
"\n"
"jos     Jaccard Overlap Score per TF (EpiBinder study): for the patterns of each\n"
"        TF, the mean over pattern pairs of the Jaccard index of their sets of\n"
"        significant matches (1 = all patterns match the same motifs, 0 = disjoint).\n"
"        A pair of patterns without matches has Jaccard 0; a TF with fewer than two\n"
"        patterns has JOS NA.  Output: tf n_patterns n_matched n_pairs jos\n"
"        mean_matches.\n"
"  --labels FILE      TSV with a header: pattern id and TF\n"
"  --key-col NAME     header of the pattern-id column (default: the first)\n"
"  --label-col NAME   header of the TF column (default: the second)\n"
"  --thresh X         a match is a row with q-value <= X (default 0.05)\n"
"  --evalue           threshold the E-value instead\n"
"  --svg FILE         also draw the JOS per TF as an SVG bar chart (sorted by JOS;\n"
"                     NA without a bar)\n"
"  --title T          title of the --svg chart\n"
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
"  --labels FILE      TSV with a header, e.g. JASPAR's: motif id, class, name\n"
"  --key-col NAME     header of the motif-id column (default matrix_id)\n"
"  --label-col NAME   header of the class column (default tf_class)\n"
"  --name-col NAME    header of the name column (default name; '::' marks a dimer)\n"
"  --min-class N      drop classes with fewer than N motifs (default 20)\n"
"  --keep-dimers      keep dimers (dropped by default)\n"
"  --kmax K           largest k (default 11)\n"
"  --neighbour-thresh X  threshold of the q ranking (default 0.5)\n"
"  --min-overlap N    Tomtom -min-overlap of the comparisons (default 1; the Tomtom\n"
"                     web server uses 5, with --evalue --neighbour-thresh 10)\n"
"  --database FILE    neighbours from FILE's motifs instead of the labelled set\n"
"                     (e.g. the whole JASPAR file, dimers and rare classes\n"
"                     included); a neighbour outside the set is a wrong vote\n"
"  --evalue           the q ranking (and --matrix) use E-values, not q-values\n"
"  --confusion FILE   confusion matrix (rows true, columns predicted), p ranking\n"
"  --confusion-dist NAME  its distance: ed, pearson, sandelin or ensemble (default)\n"
"  --confusion-k K    its k (default 1; at most --kmax)\n"
"  --matrix FILE      also write the similarity matrix (-log10 q, or E with\n"
"                     --evalue) of --matrix-dist\n"
"  --matrix-dist NAME ed (default), pearson or sandelin\n"
"\n"
"matrix  All-vs-all similarity matrix: first column the query id, one column per\n"
"        target, cells -log10 of the q-value (or E-value with --value E) of the\n"
"        best orientation; a value of 0 underflowed in float is written as the\n"
"        smallest positive float (-log10 = 45.15).\n"
"  -dist NAME         ed (default), pearson, sandelin, kullback, allr, blic1,\n"
"                     blic5, llr1, llr5 (as coopmap-compare)\n"
"  --value q|E        (default q)\n"
"\n"
"heatmap SVG heatmap of a Tomtom TSV (Tomtom's or coopmap-compare's): rows = queries\n"
"        in file order, columns = the targets with a match q <= --thresh (all\n"
"        targets when none has one), ordered by the query each matches best; colour\n"
"        = -log10 E-value (white 0 to red, capped at 10); a box around every cell\n"
"        with q <= --thresh; grey = no Tomtom row.\n"
"  --thresh X         a cell is boxed when its q-value <= X (default 0.05)\n"
"  --evalue           threshold the E-value instead\n"
"  --labels FILE      optional TSV with a header mapping motif ids to names shown as\n"
"                     'ID NAME' (e.g. JASPAR's, --key-col matrix_id --label-col name)\n"
"  --key-col NAME     header of the id column (default: the first)\n"
"  --label-col NAME   header of the name column (default: the second)\n"
"  --title T          figure title\n"
"\n"
"jos-plot Bar chart of a JOS table written by jos (the chart of jos --svg): columns\n"
"        tf and jos found by name; n_patterns n_matched n_pairs mean_matches shown\n"
"        in the tooltips when present.\n"
"  --title T          figure title\n"
"\n"
"Common options (one or two leading dashes):\n"
"  -o FILE            output (default standard output), written atomically\n"
"  --motif-pseudo X   pseudocount (default 0.1); background: the query file's\n"
"  --threads N        OpenMP threads (default 1); output does not depend on it\n"
"  -h, --help         this help\n"
"  --version          print the version\n";

typedef struct {
    const char *mode, *labels, *key_col, *label_col, *name_col, *out, *confusion, *matrix;
    const char *confusion_dist, *matrix_dist, *value, *database, *svg, *title;
    double thresh, pseudo;
    int use_evalue, keep_dimers, min_class, kmax, confusion_k, threads, min_overlap;
    double nb_thresh;
    cm_dist_t dist;
    char **files; int nfiles;
} args_t;

/* The modes each mode-specific option applies to (the others are common, --help):
 * an option given to another mode would be silently ignored, so it is an error. */
static const struct { const char *opt, *modes; } MODE_OPTS[] = {
    {"labels", "jos knn heatmap"}, {"key-col", "jos knn heatmap"}, {"label-col", "jos knn heatmap"},
    {"thresh", "jos heatmap"}, {"evalue", "jos knn heatmap"}, {"svg", "jos"}, {"title", "jos jos-plot heatmap"}, {"name-col", "knn"}, {"min-class", "knn"},
    {"keep-dimers", "knn"}, {"kmax", "knn"}, {"neighbour-thresh", "knn"}, {"min-overlap", "knn"}, {"database", "knn"},
    {"confusion", "knn"}, {"confusion-dist", "knn"}, {"confusion-k", "knn"}, {"matrix", "knn"},
    {"matrix-dist", "knn"}, {"dist", "matrix"}, {"value", "matrix"}, {NULL, NULL}};

/* Parse the command line into A (defaults first).  Returns 0, or -1 with err. */
static int parse_args(int argc, char **argv, args_t *A, cm_err_t *err)
{
    memset(A, 0, sizeof *A);
    A->thresh = 0.05, A->pseudo = 0.1, A->min_class = 20, A->kmax = 11, A->confusion_k = 1;
    A->threads = 1, A->dist = CM_DIST_ED, A->nb_thresh = 0.5;
    A->confusion_dist = "ensemble", A->matrix_dist = "ed", A->value = "q";
    A->files = cm_calloc(argc, sizeof(char *));
    if (argc < 2) return cm_fail(err, "need a mode: jos, knn, matrix, heatmap or jos-plot (see --help)");
    A->mode = argv[1];
    if (strcmp(A->mode, "jos") && strcmp(A->mode, "knn") && strcmp(A->mode, "matrix")
        && strcmp(A->mode, "heatmap") && strcmp(A->mode, "jos-plot"))
        return cm_fail(err, "unknown mode '%s': jos, knn, matrix, heatmap or jos-plot (see --help)", A->mode);
    for (int i = 2; i < argc; i++) {
        const char *o = cm_optname(argv[i]);
        if (!o) { A->files[A->nfiles++] = argv[i]; continue; }
        for (int k = 0; MODE_OPTS[k].opt; k++)
            if (!strcmp(o, MODE_OPTS[k].opt) && !strstr(MODE_OPTS[k].modes, A->mode))
                return cm_fail(err, "option %s does not apply to %s (see --help)", argv[i], A->mode);
        static const char *with_value[] = {"labels", "key-col", "label-col", "name-col", "o",
            "confusion", "matrix", "database", "confusion-dist", "confusion-k", "matrix-dist", "value",
            "thresh", "motif-pseudo", "neighbour-thresh", "min-class", "kmax", "threads", "dist", "min-overlap",
            "svg", "title", NULL};
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
        else if (!strcmp(o, "svg")) A->svg = v;
        else if (!strcmp(o, "title")) A->title = v;
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
                   !strcmp(o, "threads") || !strcmp(o, "min-overlap")) {
            long hi = strcmp(o, "threads") ? 100000 : 1024;   /* --threads as coopmap-compare */
            if (cm_parse_long(v, &l) != 0 || l < (strcmp(o, "min-class") ? 1 : 0) || l > hi)
                return cm_fail(err, "%s %s: not an integer in %d..%ld", argv[i - 1], v,
                               strcmp(o, "min-class") ? 1 : 0, hi);
            if (!strcmp(o, "min-class")) A->min_class = (int)l;
            else if (!strcmp(o, "kmax")) A->kmax = (int)l;
            else if (!strcmp(o, "confusion-k")) A->confusion_k = (int)l;
            else if (!strcmp(o, "min-overlap")) A->min_overlap = (int)l;
            else A->threads = (int)l;
        } else if (!strcmp(o, "evalue")) A->use_evalue = 1;
        else if (!strcmp(o, "keep-dimers")) A->keep_dimers = 1;
        else return cm_fail(err, "unknown option %s (see --help)", argv[i]);
    }
    if ((!strcmp(A->mode, "jos") || !strcmp(A->mode, "knn")) && !A->labels)
        return cm_fail(err, "%s needs --labels FILE", A->mode);
    if (!strcmp(A->mode, "heatmap") && A->nfiles != 1) return cm_fail(err, "heatmap needs one Tomtom TSV");
    if (!strcmp(A->mode, "jos-plot") && A->nfiles != 1) return cm_fail(err, "jos-plot needs one JOS table");
    if (!strcmp(A->mode, "jos") && A->nfiles < 1) return cm_fail(err, "jos needs at least one Tomtom TSV");
    if (!strcmp(A->mode, "knn") && A->nfiles != 1) return cm_fail(err, "knn needs one motif file");
    if (!strcmp(A->mode, "matrix") && A->nfiles < 2) return cm_fail(err, "matrix needs a query file and a target file");
    int cd = 0, md = 0;   /* --confusion-dist / --matrix-dist name a computed distance */
    for (int d = 0; d < CM_KNN_NDIST; d++) {
        cd |= !strcmp(A->confusion_dist, cm_knn_dist_name[d]);
        md |= !strcmp(A->matrix_dist, cm_knn_dist_name[d]);
    }
    if (!cd && strcmp(A->confusion_dist, "ensemble"))
        return cm_fail(err, "--confusion-dist %s: ed, pearson, sandelin or ensemble", A->confusion_dist);
    if (!md) return cm_fail(err, "--matrix-dist %s: ed, pearson or sandelin", A->matrix_dist);
    if (A->confusion_k > A->kmax) return cm_fail(err, "--confusion-k %d exceeds --kmax %d", A->confusion_k, A->kmax);
    return 0;
}

static int run_jos(const args_t *A, const char *prov, cm_err_t *err)
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
    cm_out_t *outs[2] = { cm_out_open(A->out ? A->out : "-", err), NULL };
    if (outs[0] && A->svg && !(outs[1] = cm_out_open(A->svg, err))) {
        cm_out_abort(outs[0]);
        outs[0] = NULL;
    }
    if (outs[0]) {
        cm_jos_write(outs[0]->fp, J, n, prov);
        if (A->svg && cm_fig_jos(outs[1]->fp, J, n, A->title, prov, err) != 0) {
            cm_out_abort(outs[0]);
            cm_out_abort(outs[1]);
        } else rc = cm_out_commit_all(outs, 2, err);
    }
    cm_jos_free(J, n);
    cm_labels_free(&L);
    cm_matches_free(&M);
    return rc;
}

static int run_heatmap(const args_t *A, const char *prov, cm_err_t *err)
{
    cm_labels_t L = {0};
    if (A->labels && cm_labels_read(A->labels, A->key_col, A->label_col, NULL, &L, err) != 0) return -1;
    int rc = -1;
    cm_out_t *out = cm_out_open(A->out ? A->out : "-", err);
    if (out) {
        if (cm_fig_tomtom(out->fp, A->files[0], A->thresh, A->use_evalue, A->labels ? &L : NULL,
                          A->title, prov, err) != 0)
            cm_out_abort(out);
        else rc = cm_out_commit(out, err);
    }
    cm_labels_free(&L);
    return rc;
}

static int run_jos_plot(const args_t *A, const char *prov, cm_err_t *err)
{
    cm_out_t *out = cm_out_open(A->out ? A->out : "-", err);
    if (!out) return -1;
    if (cm_fig_jos_file(out->fp, A->files[0], A->title, prov, err) != 0) {
        cm_out_abort(out);
        return -1;
    }
    return cm_out_commit(out, err);
}

static int write_matrix(const char *path, const cm_motifset_t *qs, const cm_cmp_db_t *db,
                        const double *mat, const char *prov, cm_err_t *err)
{
    cm_out_t *out = cm_out_open(path, err);
    if (!out) return -1;
    cm_simmatrix_write(out->fp, qs, db, mat, prov);
    return cm_out_commit(out, err);
}

static int run_matrix(const args_t *A, const char *prov, cm_err_t *err)
{
    int nsets = A->nfiles - 1, rc = -1;
    cm_motifset_t qs = {0}, *ts = cm_calloc(nsets, sizeof *ts);
    cm_cmp_db_t db = {0};
    double bg[4], *mat = NULL;
    if (cm_motifs_read_any(A->files[0], CM_MF_AUTO, &qs, err) != 0) goto done;
    for (int s = 0; s < nsets; s++)
        if (cm_motifs_read_any(A->files[s + 1], CM_MF_AUTO, &ts[s], err) != 0) goto done;
    cm_query_bg(&qs, bg);
    if (cm_cmp_db_build(&db, ts, nsets, bg, A->pseudo, 0, err) != 0) goto done;
    int nflat = 0;
    rc = cm_simmatrix(&qs, &db, bg, A->pseudo, A->dist, A->value[0] == 'E', A->threads, &mat,
                      &nflat, err);
    if (rc == 0 && nflat)
        cm_warn("family", CM_CMP_FLAT_WARNING, nflat, qs.n);
    if (rc == 0) rc = write_matrix(A->out ? A->out : "-", &qs, &db, mat, prov, err);
done:
    free(mat);
    cm_cmp_db_free(&db);
    for (int s = 0; s < nsets; s++) cm_motifs_free(&ts[s]);
    free(ts);
    cm_motifs_free(&qs);
    return rc;
}

static int run_knn(const args_t *A, const char *prov, cm_err_t *err)
{
    int rc = -1, K = A->kmax;
    cm_labels_t L = {0};
    cm_motifset_t ms = {0}, dbset = {0};
    cm_knn_t kn = {0};
    double *mat = NULL;
    long *conf = NULL;
    cm_out_t *out = NULL;
    if (cm_labels_read(A->labels, A->key_col ? A->key_col : "matrix_id",
                       A->label_col ? A->label_col : "tf_class",
                       A->name_col ? A->name_col : "name", &L, err) != 0) goto done;
    if (cm_motifs_read_any(A->files[0], CM_MF_AUTO, &ms, err) != 0) goto done;
    if (cm_knn_select(&ms, &L, A->keep_dimers, A->min_class, &kn, err) != 0) goto done;
    /* targets: the labelled set itself, or --database */
    if (A->database && cm_motifs_read_any(A->database, CM_MF_AUTO, &dbset, err) != 0) goto done;
    if (cm_knn_targets(&kn, &ms, A->database ? &dbset : NULL, A->pseudo, K, err) != 0) goto done;
    kn.min_overlap = A->min_overlap;
    for (int d = 0; d < CM_KNN_NDIST; d++) {
        int want_mat = A->matrix && !strcmp(A->matrix_dist, cm_knn_dist_name[d]);
        if (want_mat) mat = cm_malloc((size_t)kn.n * kn.db.n * sizeof(double));
        if (cm_knn_run(&kn, d, &ms, A->use_evalue, A->nb_thresh, A->threads, mat, err) != 0)
            goto done;
        if (want_mat) {
            if (write_matrix(A->matrix, &ms, &kn.db, mat, prov, err) != 0) goto done;
            free(mat);
            mat = NULL;
        }
    }
    /* scores for every ranking, distance, the ensemble and k */
    conf = cm_malloc((size_t)(kn.nc + 1) * (kn.nc + 1) * sizeof(long));
    out = cm_out_open(A->out ? A->out : "-", err);
    if (!out) goto done;
    fprintf(out->fp, "# %s\n# %d motifs in %d classes\n", prov, kn.n, kn.nc);
    fputs("ranking\tdistance\tk\tn\tclasses\taccuracy\tmacro_f1\n", out->fp);
    for (int rk = 0; rk < 2; rk++)
    for (int d = 0; d <= CM_KNN_NDIST; d++)
        for (int k = 1; k <= K; k++) {
            double acc, f1;
            const char *dn = d < CM_KNN_NDIST ? cm_knn_dist_name[d] : "ensemble";
            int want_conf = rk == CM_KNN_RANK_P && A->confusion && k == A->confusion_k &&
                            !strcmp(dn, A->confusion_dist);
            cm_knn_scores(&kn, rk, d, k, &acc, &f1, want_conf ? conf : NULL);
            fprintf(out->fp, "%s\t%s\t%d\t%d\t%d\t%.4f\t%.4f\n", rk ? "q" : "p", dn, k, kn.n,
                    kn.nc, acc, f1);
            if (want_conf) {
                cm_out_t *co = cm_out_open(A->confusion, err);
                if (!co) goto done;
                cm_knn_write_confusion(co->fp, &kn, conf, A->database != NULL, prov);
                if (cm_out_commit(co, err) != 0) goto done;
            }
        }
    rc = cm_out_commit(out, err);
    out = NULL;
done:
    cm_out_abort(out);
    free(conf);
    free(mat);
    cm_knn_free(&kn);
    cm_motifs_free(&dbset);
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
        char *prov = cm_provenance("coopmap-family", argc, argv);
        if (!strcmp(A.mode, "jos")) rc = run_jos(&A, prov, &err);
        else if (!strcmp(A.mode, "knn")) rc = run_knn(&A, prov, &err);
        else if (!strcmp(A.mode, "heatmap")) rc = run_heatmap(&A, prov, &err);
        else if (!strcmp(A.mode, "jos-plot")) rc = run_jos_plot(&A, prov, &err);
        else rc = run_matrix(&A, prov, &err);
        free(prov);
    }
    free(A.files);
    if (rc != 0) {
        cm_report("family", &err);
        return 1;
    }
    return 0;
}
