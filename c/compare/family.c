/* family.c — see family.h (EpiBinder study supplement A; JASPAR 2024 thesis). */
#include "compare/family.h"
#include "core/textio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXF 64

static int col_index(char **f, int nf, const char *name, int dflt)
{
    if (!name) return dflt < nf ? dflt : -1;
    for (int i = 0; i < nf; i++)
        if (strcmp(f[i], name) == 0) return i;
    return -1;
}

int cm_labels_read(const char *path, const char *key_col, const char *label_col,
                   const char *extra_col, cm_labels_t *L, cm_err_t *err)
{
    memset(L, 0, sizeof *L);
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int ik = -1, il = -1, ie = -1, have_header = 0, cap = 0, rc, need = 0;
    char *f[MAXF];
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '#' || r->len == 0) continue;
        int nf = cm_split_tabs(r->line, f, MAXF);
        if (!have_header) {
            have_header = 1;
            ik = col_index(f, nf, key_col, 0);
            il = col_index(f, nf, label_col, 1);
            ie = extra_col ? col_index(f, nf, extra_col, -1) : -1;
            if (ik < 0 || il < 0 || (extra_col && ie < 0)) {
                /* the named column that is missing, or NULL: a default column */
                const char *miss = ik < 0 ? key_col : il < 0 ? label_col : extra_col;
                if (miss) cm_fail(err, "%s:%ld: no column '%s' in the header", path, r->lineno, miss);
                else cm_fail(err, "%s:%ld: the header needs at least 2 tab-separated columns",
                             path, r->lineno);
                goto fail;
            }
            need = ik > il ? ik : il;
            if (ie > need) need = ie;
            continue;
        }
        if (nf <= need) {
            cm_fail(err, "%s:%ld: %d fields, need %d", path, r->lineno, nf, need + 1);
            goto fail;
        }
        if (cm_labels_find(L, f[ik]) >= 0) {
            cm_fail(err, "%s:%ld: key '%s' repeated", path, r->lineno, f[ik]);
            goto fail;
        }
        if (L->n == cap) {
            cap = cap ? 2 * cap : 256;
            L->key = cm_realloc(L->key, cap * sizeof(char *));
            L->label = cm_realloc(L->label, cap * sizeof(char *));
            if (extra_col) L->extra = cm_realloc(L->extra, cap * sizeof(char *));
        }
        L->key[L->n] = cm_strdup(f[ik]);
        L->label[L->n] = cm_strdup(f[il]);
        if (extra_col) L->extra[L->n] = cm_strdup(f[ie]);
        L->n++;
    }
    if (rc < 0) goto fail;
    if (!have_header) {
        cm_fail(err, "%s: empty table (a header line is required)", path);
        goto fail;
    }
    cm_reader_close(r);
    return 0;
fail:
    cm_reader_close(r);
    cm_labels_free(L);
    return -1;
}

void cm_labels_free(cm_labels_t *L)
{
    if (!L) return;
    for (int i = 0; i < L->n; i++) {
        free(L->key[i]);
        free(L->label[i]);
        if (L->extra) free(L->extra[i]);
    }
    free(L->key);
    free(L->label);
    free(L->extra);
    memset(L, 0, sizeof *L);
}

int cm_labels_find(const cm_labels_t *L, const char *key)
{
    for (int i = 0; i < L->n; i++)
        if (strcmp(L->key[i], key) == 0) return i;
    return -1;
}

void cm_matches_add(cm_matches_t *M, const char *query, const char *target)
{
    M->query = cm_grow(M->query, M->n, &M->cq, sizeof *M->query, 64);
    M->target = cm_grow(M->target, M->n, &M->ct, sizeof *M->target, 64);
    M->query[M->n] = cm_strdup(query);
    M->target[M->n] = cm_strdup(target);
    M->n++;
}

int cm_matches_read(const char *path, double thresh, int use_evalue, cm_matches_t *M,
                    cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int rc, header = 0;
    char *f[MAXF];
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '#' || r->len == 0) continue;
        int nf = cm_split_tabs(r->line, f, MAXF);
        if (!header) {
            if (nf < 6 || strcmp(f[0], "Query_ID") != 0 || strcmp(f[1], "Target_ID") != 0) {
                cm_fail(err, "%s:%ld: not a Tomtom TSV (header Query_ID Target_ID ...)", path, r->lineno);
                goto fail;
            }
            header = 1;
            continue;
        }
        double v;
        if (nf < 6 || cm_parse_double(f[use_evalue ? 4 : 5], &v) != 0) {
            cm_fail(err, "%s:%ld: bad Tomtom row (need a number in the %s column)", path,
                    r->lineno, use_evalue ? "E-value" : "q-value");
            goto fail;
        }
        if (!(v >= 0) || !isfinite(v)) {
            cm_fail(err, "%s:%ld: bad Tomtom row: %s '%s' is not a number >= 0", path,
                    r->lineno, use_evalue ? "E-value" : "q-value", f[use_evalue ? 4 : 5]);
            goto fail;
        }
        if (!f[0][0] || !f[1][0]) {
            cm_fail(err, "%s:%ld: bad Tomtom row: empty Query_ID or Target_ID", path, r->lineno);
            goto fail;
        }
        if (v <= thresh) cm_matches_add(M, f[0], f[1]);
    }
    if (rc < 0) goto fail;
    if (!header) {   /* Tomtom and coopmap-compare write the header even without matches */
        cm_fail(err, "%s: empty file (expected a Tomtom TSV with a header line)", path);
        goto fail;
    }
    cm_reader_close(r);
    return 0;
fail:
    cm_reader_close(r);
    return -1;
}

void cm_matches_free(cm_matches_t *M)
{
    if (!M) return;
    for (int i = 0; i < M->n; i++) free(M->query[i]), free(M->target[i]);
    free(M->query);
    free(M->target);
    memset(M, 0, sizeof *M);
}

double cm_jaccard(const int *a, int na, const int *b, int nb)
{
    int i = 0, j = 0, inter = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) inter++, i++, j++;
        else if (a[i] < b[j]) i++;
        else j++;
    }
    int uni = na + nb - inter;
    return uni ? (double)inter / uni : 0.0;
}

static int cmp_int(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return a < b ? -1 : a > b;
}

int cm_jos(const cm_labels_t *L, const cm_matches_t *M, cm_jos_t **out, int *unlabelled)
{
    /* per pattern: sorted, duplicate-free target indices */
    int *cnt = cm_calloc(L->n ? L->n : 1, sizeof(int));
    int **set = cm_calloc(L->n ? L->n : 1, sizeof(int *));
    char **tnames = NULL;
    int nt = 0, ct = 0, unl = 0;
    for (int i = 0; i < M->n; i++) {
        int p = cm_labels_find(L, M->query[i]);
        if (p < 0) { unl++; continue; }
        int t = cm_intern(&tnames, &nt, &ct, M->target[i]);
        set[p] = cm_realloc(set[p], (cnt[p] + 1) * sizeof(int));
        set[p][cnt[p]++] = t;
    }
    for (int p = 0; p < L->n; p++) {
        if (!cnt[p]) continue;
        qsort(set[p], cnt[p], sizeof(int), cmp_int);
        int m = 1;
        for (int i = 1; i < cnt[p]; i++)
            if (set[p][i] != set[p][m - 1]) set[p][m++] = set[p][i];
        cnt[p] = m;
    }
    /* TFs in order of first appearance */
    char **tfs = NULL;
    int ntf = 0, ctf = 0;
    int *tfof = cm_malloc((L->n ? L->n : 1) * sizeof(int));
    for (int p = 0; p < L->n; p++) tfof[p] = cm_intern(&tfs, &ntf, &ctf, L->label[p]);
    cm_jos_t *J = cm_calloc(ntf ? ntf : 1, sizeof *J);
    for (int t = 0; t < ntf; t++) {
        cm_jos_t *j = &J[t];
        j->tf = tfs[t];   /* the interned copy; freed by cm_jos_free */
        double sum = 0, nm = 0;
        for (int p = 0; p < L->n; p++) {
            if (tfof[p] != t) continue;
            j->npat++;
            j->nmatched += cnt[p] > 0;
            nm += cnt[p];
            for (int q = p + 1; q < L->n; q++)
                if (tfof[q] == t) sum += cm_jaccard(set[p], cnt[p], set[q], cnt[q]), j->npairs++;
        }
        j->mean_matches = j->npat ? nm / j->npat : 0;
        j->jos = j->npat >= 2 ? sum / (double)j->npairs : NAN;
    }
    for (int p = 0; p < L->n; p++) free(set[p]);
    free(set);
    free(cnt);
    for (int t = 0; t < nt; t++) free(tnames[t]);
    free(tnames);
    free(tfs);
    free(tfof);
    if (unlabelled) *unlabelled = unl;
    *out = J;
    return ntf;
}

void cm_jos_free(cm_jos_t *j, int n)
{
    if (!j) return;
    for (int i = 0; i < n; i++) free(j[i].tf);
    free(j);
}

void cm_jos_write(FILE *fp, const cm_jos_t *j, int n, const char *prov)
{
    if (prov) fprintf(fp, "# %s\n", prov);
    fputs("tf\tn_patterns\tn_matched\tn_pairs\tjos\tmean_matches\n", fp);
    for (int i = 0; i < n; i++) {
        fprintf(fp, "%s\t%d\t%d\t%ld\t", j[i].tf, j[i].npat, j[i].nmatched, j[i].npairs);
        if (isnan(j[i].jos)) fputs("NA", fp);
        else fprintf(fp, "%.6g", j[i].jos);
        fprintf(fp, "\t%.6g\n", j[i].mean_matches);
    }
}

int cm_knn_vote(const int *nb, int k)
{
    int n = 0;
    while (n < k && nb[n] >= 0) n++;
    if (n == 0) return -1;
    int best = -1, bestv = 0;
    for (int i = 0; i < n; i++) {      /* candidates in order of their nearest member */
        int c = nb[i], seen = 0, v = 0;
        for (int j = 0; j < i; j++) seen |= nb[j] == c;
        if (seen) continue;
        for (int j = i; j < n; j++) v += nb[j] == c;
        if (v > bestv) best = c, bestv = v;   /* strict: earlier (nearer) wins ties */
    }
    return best;
}

int cm_vote3(int a, int b, int c)
{
    if (a >= 0 && (a == b || a == c)) return a;
    if (b >= 0 && b == c) return b;
    return a >= 0 ? a : b >= 0 ? b : c;
}

void cm_class_scores(const int *truth, const int *pred, int n, int nc, double *accuracy,
                     double *macro_f1, long *conf)
{
    long *tp = cm_calloc(nc, sizeof(long)), *fp = cm_calloc(nc, sizeof(long)),
         *fn = cm_calloc(nc, sizeof(long)), *tn = cm_calloc(nc, sizeof(long));
    long correct = 0;
    if (conf) memset(conf, 0, (size_t)nc * nc * sizeof(long));
    for (int i = 0; i < n; i++) {
        int t = truth[i], p = pred[i];
        tn[t]++;   /* true members per class */
        if (p == t) { correct++; tp[t]++; }
        else {
            fn[t]++;
            if (p >= 0) fp[p]++;
        }
        if (conf && p >= 0) conf[(size_t)t * nc + p]++;
    }
    double f1 = 0;
    int k = 0;
    for (int c = 0; c < nc; c++) {
        if (!tn[c]) continue;
        f1 += 2.0 * tp[c] / (double)(2 * tp[c] + fp[c] + fn[c]);
        k++;
    }
    *accuracy = n ? (double)correct / n : 0;
    *macro_f1 = k ? f1 / k : 0;
    free(tp), free(fp), free(fn), free(tn);
}
