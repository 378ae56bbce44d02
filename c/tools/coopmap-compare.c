/* coopmap-compare — Tomtom 5.5.8-compatible motif comparison (see compare.h). */
#include "motif/background.h"
#include "compare/compare.h"
#include "core/error.h"
#include "motif/motif.h"
#include "motif/motif_formats.h"
#include "core/mt19937.h"
#include "core/textio.h"
#include "core/version.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *USAGE =
"Usage: coopmap-compare [options] QUERY.meme TARGETS.meme [TARGETS2.meme ...]\n"
"\n"
"Compare every query motif with every target motif as Tomtom 5.5.8 does (same\n"
"p-, E- and q-values, offsets and rows) and write Tomtom's TSV.  Options take one\n"
"or two leading dashes (-thresh or --thresh).\n"
"\n"
"Options:\n"
"  -dist NAME          column similarity: ed (default), pearson, sandelin,\n"
"                       kullback, allr, blic1, blic5, llr1, llr5 (the last five\n"
"                       score site counts: nsites x frequencies)\n"
"  -min-overlap N       only report alignments with at least N overlapping\n"
"                       columns (default 1; capped at the shorter width; the\n"
"                       null is not restricted)\n"
"  -internal            only alignments covering the whole shorter motif\n"
"  -incomplete-scores   score aligned columns only; p = smallest placement\n"
"                       p-value corrected for the placements (see docs)\n"
"  -thresh X            report matches with q-value <= X, or with E-value <= X\n"
"                       under -evalue (default 0.5 either way, as documented\n"
"                       for Tomtom)\n"
"  -evalue              threshold on E-value instead of q-value\n"
"  -m ID                use only query motif ID (repeatable)\n"
"  -mi N                use only the N-th query motif, 1-based (repeatable)\n"
"  -norc                do not compare with reverse-complemented targets\n"
"                       (never done for alphabets without complements: RNA, protein)\n"
"  -xalph               allow targets in another alphabet whose core letters are\n"
"                       a subset of the query's: converted to the query alphabet\n"
"                       (missing letters 0 before the pseudocount), as Tomtom\n"
"  -motif-pseudo X      pseudocount for query and target motifs (default 0.1)\n"
"  -bfile SPEC          background for allr, blic*, llr* (Tomtom refuses it with\n"
"                       the others): a MEME background file, --uniform--,\n"
"                       --nrdb--, or --motif-- (the query file's; the default)\n"
"  -text                write the TSV to standard output\n"
"  -oc DIR              write DIR/tomtom.tsv (DIR created; the default is\n"
"                       -oc tomtom_out)\n"
"  -o FILE              write the TSV to FILE (atomically)\n"
"  -verbosity N         accepted for compatibility (only errors are printed)\n"
"  -no-ssc              accepted for compatibility (no logos are drawn)\n"
"  --threads N          OpenMP threads (default 1); output does not depend on it\n"
"  -h, --help           this help\n"
"  --version            print the version\n"
"\n"
"Background: the query file's letter frequencies (uniform if absent) or -bfile,\n"
"averaged with their complements, plus 5e-7.  E = p x number of targets; q-values are\n"
"Storey's over both orientations of every target, per query.\n";

typedef struct {
    cm_cmp_opts_t cmp;
    double thresh;
    int use_evalue, text, norc, threads, xalph;
    double pseudo;
    const char *oc, *out, *bfile;
    char **ids; int nids;
    long *idx; int nidx;
    char **files; int nfiles;
} args_t;

/* Parse the command line into A (defaults first).  Returns 0, or -1 with err. */
static int parse_args(int argc, char **argv, args_t *A, cm_err_t *err)
{
    memset(A, 0, sizeof *A);
    A->cmp.dist = CM_DIST_ED;
    A->cmp.min_overlap = 1;
    A->thresh = 0.5;
    A->pseudo = 0.1;
    A->threads = 1;
    A->ids = cm_calloc(argc, sizeof(char *));
    A->idx = cm_calloc(argc, sizeof(long));
    A->files = cm_calloc(argc, sizeof(char *));
    for (int i = 1; i < argc; i++) {
        const char *o = cm_optname(argv[i]);
        if (!o) { A->files[A->nfiles++] = argv[i]; continue; }
        const char *v = NULL;
        static const char *with_value[] = {"dist", "min-overlap", "thresh", "m", "mi", "motif-pseudo",
                                           "oc", "o", "verbosity", "threads", "bfile", NULL};
        for (int k = 0; with_value[k]; k++)
            if (strcmp(o, with_value[k]) == 0) {
                if (i + 1 >= argc) return cm_fail(err, "option %s needs a value", argv[i]);
                v = argv[++i];
            }
        long l; double d;
        if (strcmp(o, "dist") == 0) {
            if (cm_dist_parse(v, &A->cmp.dist) != 0)
                return cm_fail(err, "-dist %s: not one of ed, pearson, sandelin, kullback, allr, "
                               "blic1, blic5, llr1, llr5", v);
        } else if (strcmp(o, "min-overlap") == 0) {
            if (cm_parse_long(v, &l) != 0 || l < 1) return cm_fail(err, "-min-overlap %s: not an integer >= 1", v);
            A->cmp.min_overlap = (int)l;
        } else if (strcmp(o, "thresh") == 0) {
            if (cm_parse_double(v, &d) != 0 || !(d >= 0)) return cm_fail(err, "-thresh %s: not a number >= 0", v);
            A->thresh = d;
        } else if (strcmp(o, "motif-pseudo") == 0) {
            if (cm_parse_double(v, &d) != 0 || !(d >= 0)) return cm_fail(err, "-motif-pseudo %s: not a number >= 0", v);
            A->pseudo = d;
        } else if (strcmp(o, "m") == 0) {
            A->ids[A->nids++] = (char *)v;
        } else if (strcmp(o, "mi") == 0) {
            if (cm_parse_long(v, &l) != 0 || l < 1) return cm_fail(err, "-mi %s: not an index >= 1", v);
            A->idx[A->nidx++] = l;
        } else if (strcmp(o, "bfile") == 0) {
            A->bfile = v;
        } else if (strcmp(o, "oc") == 0) {
            A->oc = v;
        } else if (strcmp(o, "o") == 0) {
            A->out = v;
        } else if (strcmp(o, "verbosity") == 0) {
            if (cm_parse_long(v, &l) != 0) return cm_fail(err, "-verbosity %s: not an integer", v);
        } else if (strcmp(o, "threads") == 0) {
            if (cm_parse_long(v, &l) != 0 || l < 1 || l > 1024) return cm_fail(err, "--threads %s: not an integer in 1..1024", v);
            A->threads = (int)l;
        } else if (strcmp(o, "evalue") == 0) {
            A->use_evalue = 1;
        } else if (strcmp(o, "incomplete-scores") == 0) {
            A->cmp.incomplete = 1;
        } else if (strcmp(o, "internal") == 0) {
            A->cmp.internal = 1;
        } else if (strcmp(o, "text") == 0) {
            A->text = 1;
        } else if (strcmp(o, "norc") == 0) {
            A->norc = 1;
        } else if (strcmp(o, "xalph") == 0) {
            A->xalph = 1;
        } else if (strcmp(o, "no-ssc") == 0) {
            /* logos only: nothing to do */
        } else {
            return cm_fail(err, "unknown option %s (see --help)", argv[i]);
        }
    }
    if ((A->cmp.dist == CM_DIST_KULLBACK || A->cmp.dist == CM_DIST_ALLR) && !(A->pseudo > 0))
        return cm_fail(err, "-dist kullback and allr need -motif-pseudo > 0 (zero frequencies)");
    if (A->bfile && !cm_dist_uses_counts(A->cmp.dist))
        return cm_fail(err, "-bfile is not allowed with -dist ed, pearson, sandelin or kullback "
                       "(as in Tomtom: those scores do not use a background)");
    if (A->nfiles < 2) return cm_fail(err, "need a query file and at least one target file (see --help)");
    return 0;
}

/* Keep only the query motifs named by -m / -mi (file order). */
static int select_queries(cm_motifset_t *q, const args_t *A, cm_err_t *err)
{
    if (A->nids == 0 && A->nidx == 0) return 0;
    char *keep = cm_calloc(q->n ? q->n : 1, 1);
    for (int i = 0; i < A->nidx; i++) {
        if (A->idx[i] > q->n) {
            free(keep);
            return cm_fail(err, "%s: -mi %ld: the file has %d motifs", q->path, A->idx[i], q->n);
        }
        keep[A->idx[i] - 1] = 1;
    }
    for (int i = 0; i < A->nids; i++) {
        int found = 0;
        for (int k = 0; k < q->n; k++)
            if (strcmp(q->m[k].id, A->ids[i]) == 0 || strcmp(q->m[k].alt, A->ids[i]) == 0) keep[k] = 1, found = 1;
        if (!found) {
            free(keep);
            return cm_fail(err, "%s: -m %s: no such motif", q->path, A->ids[i]);
        }
    }
    char **names = cm_malloc((q->n ? q->n : 1) * sizeof(char *));
    int nn = 0;
    for (int k = 0; k < q->n; k++)
        if (keep[k]) names[nn++] = q->m[k].id;
    int rc = cm_motifs_select(q, names, nn, err);
    free(names);
    free(keep);
    return rc;
}

typedef struct {
    const cm_cmp_db_t *db;
    const cm_motifset_t *qs;
    const args_t *A;
    FILE *fp;
    const double *bg;
    int *rows;
} write_ctx_t;

/* cm_cmp_run callback: Tomtom's rows of one query. */
static int write_query(void *ud, int qi, const cm_cmp_hit_t *h, cm_err_t *err)
{
    (void)err;
    write_ctx_t *c = ud;
    const cm_motif_t *m = &c->qs->m[qi];
    double *qf = cm_malloc((size_t)m->w * cm_motif_k(m) * sizeof(double));
    char *cons = cm_malloc(m->w + 1);
    cm_motif_pseudocount(m, c->bg, c->A->pseudo, qf);
    if (cm_alph_is_dna(&c->qs->alph)) cm_cmp_consensus(qf, m->w, cons);
    else cm_cmp_consensus_alph(&c->qs->alph, qf, m->w, cons);
    int nr = cm_cmp_select(c->db, h, c->A->thresh, c->A->use_evalue, c->rows);
    cm_cmp_write_rows(c->fp, c->db, m->id, cons, h, c->rows, nr);
    free(qf);
    free(cons);
    return 0;
}

static int run(int argc, char **argv, const args_t *A, cm_err_t *err)
{
    int rc = -1, nsets = A->nfiles - 1;
    cm_motifset_t qs = {0}, *ts = cm_calloc(nsets, sizeof *ts);
    cm_cmp_db_t db = {0};
    cm_out_t *out = NULL;
    char *cmd = NULL;
    const char *made_dir = NULL;   /* the -oc directory, when this run created it */
    /* a query file without motifs (patterns.meme of a run that found none) gives the
     * header-only table, so a workflow's later stages still run */
    if (cm_motifs_read_any_flags(A->files[0], CM_MF_AUTO, CM_MOTIFS_EMPTY_OK, &qs, err) != 0) goto done;
    if (qs.n == 0) cm_warn("compare", "%s: no query motifs: the output holds only its header", A->files[0]);
    if (select_queries(&qs, A, err) != 0) goto done;
    for (int s = 0; s < nsets; s++)
        if (cm_motifs_read_any(A->files[s + 1], CM_MF_AUTO, &ts[s], err) != 0) goto done;
    double bg[CM_ALPH_MAX];
    cm_query_bg_alph(&qs, bg);
    if (A->bfile && strcmp(A->bfile, "--motif--") != 0 && strcmp(A->bfile, "motif-file") != 0 &&
        strcmp(A->bfile, "--query--") != 0) {
        if (cm_bg_resolve(A->bfile, &qs, bg, err) != 0) goto done;
        cm_bg_finish_alph(&qs.alph, bg, 1);
    }
    if (cm_cmp_db_build_alph(&db, ts, nsets, &qs.alph, bg, A->pseudo, A->norc, A->xalph, err) != 0)
        goto done;
    if (db.k != 4 && cm_dist_uses_counts(A->cmp.dist) && A->cmp.dist != CM_DIST_ALLR) {
        cm_fail(err, "-dist blic1/blic5/llr1/llr5 use 4-letter Dirichlet priors; the %s alphabet has "
                "%d letters (use ed, pearson, sandelin, kullback or allr)", db.alph.name, db.k);
        goto done;
    }
    if (db.xalph_warn)
        cm_warn("compare", "the alphabet expansion to '%s' requires changing complementation rules",
                qs.alph.name);

    const char *path = "-";
    char *ocpath = NULL;
    if (A->out) path = A->out;
    else if (!A->text) {
        const char *dir = A->oc ? A->oc : "tomtom_out";
        if (mkdir(dir, 0777) == 0) made_dir = dir;   /* removed again if the run fails */
        else if (errno != EEXIST) {
            cm_fail(err, "%s: cannot create directory: %s", dir, strerror(errno));
            goto done;
        }
        ocpath = cm_malloc(strlen(dir) + 16);
        sprintf(ocpath, "%s/tomtom.tsv", dir);
        path = ocpath;
    }
    out = cm_out_open(path, err);
    free(ocpath);
    if (!out) goto done;
    cm_cmp_write_header(out->fp);

    write_ctx_t wc = {&db, &qs, A, out->fp, bg, cm_malloc(db.n * sizeof(int))};
    int nflat = 0;
    int frc = cm_cmp_run(&db, &qs, bg, A->pseudo, &A->cmp, A->threads, write_query, &wc, &nflat, err);
    free(wc.rows);
    if (frc != 0) goto done;
    cmd = cm_cmdline(argc, argv);
    fprintf(out->fp, "\n# coopmap-compare (Tomtom 5.5.8-compatible motif comparison): Version %s\n"
            "# The format of this file is described at https://meme-suite.org/meme/doc/tomtom-output-format.html.\n"
            "# %s\n", COOPMAP_VERSION, cmd);
    rc = cm_out_commit(out, err);
    out = NULL;
    if (rc == 0 && nflat) cm_warn("compare", CM_CMP_FLAT_WARNING, nflat, qs.n);
done:
    cm_out_abort(out);
    if (rc != 0 && made_dir) rmdir(made_dir);   /* a failed run leaves no -oc DIR */
    free(cmd);
    cm_cmp_db_free(&db);
    for (int s = 0; s < nsets; s++) cm_motifs_free(&ts[s]);
    free(ts);
    cm_motifs_free(&qs);
    return rc;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *o = cm_optname(argv[i]);
        if (o && (strcmp(o, "help") == 0 || strcmp(o, "h") == 0)) { fputs(USAGE, stdout); return 0; }
        if (o && strcmp(o, "version") == 0) { printf("coopmap-compare %s\n", COOPMAP_VERSION); return 0; }
    }
    cm_err_t err = {{0}};
    args_t A;
    int rc = parse_args(argc, argv, &A, &err);
    if (rc == 0) rc = run(argc, argv, &A, &err);
    free(A.ids);
    free(A.idx);
    free(A.files);
    if (rc != 0) {
        cm_report("compare", &err);
        return 1;
    }
    return 0;
}
