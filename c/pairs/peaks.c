/* peaks.c — see peaks.h. */
#include "pairs/peaks.h"
#include "pairs/sites.h"
#include "core/textio.h"

#include <stdlib.h>
#include <string.h>

static int cmp_peak(const void *a, const void *b)
{
    const cm_peak_t *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return x->tf - y->tf;
}

int cm_peaks_chrom(const cm_peaks_t *pk, const char *name)
{
    for (int c = 0; c < pk->nchrom; c++)
        if (strcmp(pk->chroms[c], name) == 0) return c;
    return -1;
}

int cm_peaks_read(const char *path, char **cells, int ncells, cm_peaks_t *out, cm_err_t *err)
{
    memset(out, 0, sizeof *out);
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int cchrom = 0, rc;
    int *cap = NULL;
    char *f[8];
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->len == 0 || r->line[0] == '#' || strncmp(r->line, "track", 5) == 0
            || strncmp(r->line, "browser", 7) == 0)
            continue;
        int nf = cm_split_tabs(r->line, f, 5);
        if (nf < 4) {
            cm_fail(err, "%s:%ld: %d tab-separated columns; labelled peaks need chrom, start, end, name",
                    path, r->lineno, nf);
            goto fail;
        }
        long st, en;
        if (cm_parse_long(f[1], &st) || cm_parse_long(f[2], &en) || st < 0 || en <= st) {
            cm_fail(err, "%s:%ld: bad BED coordinates '%s' '%s' (0-based, end > start)", path, r->lineno, f[1], f[2]);
            goto fail;
        }
        char *name = f[3], *tf = name, *colon = strchr(name, ':');
        if (!*name || strcmp(name, ".") == 0) {
            cm_fail(err, "%s:%ld: peak has no TF label in the name column", path, r->lineno);
            goto fail;
        }
        if (colon) {
            *colon = 0;
            tf = colon + 1;
            char *end = strchr(tf, ':');
            if (end) *end = 0;
            if (!*tf) {
                cm_fail(err, "%s:%ld: label '%s:' has an empty TF part", path, r->lineno, name);
                goto fail;
            }
        }
        if (ncells > 0) {
            int keep = 0;
            for (int i = 0; colon && i < ncells; i++)
                if (cm_strieq(name, cells[i])) keep = 1;
            if (!keep) continue;
        }
        int c = cm_peaks_chrom(out, f[0]);
        if (c < 0) {
            int old = cchrom;
            c = cm_intern(&out->chroms, &out->nchrom, &cchrom, f[0]);
            if (cchrom != old) {
                out->n = cm_realloc(out->n, sizeof(int) * cchrom);
                out->p = cm_realloc(out->p, sizeof(cm_peak_t *) * cchrom);
                out->maxlen = cm_realloc(out->maxlen, sizeof(int64_t) * cchrom);
                cap = cm_realloc(cap, sizeof(int) * cchrom);
            }
            out->n[c] = 0; out->p[c] = NULL; out->maxlen[c] = 0; cap[c] = 0;
        }
        out->p[c] = cm_grow(out->p[c], out->n[c], &cap[c], sizeof(cm_peak_t), 256);
        cm_peak_t *p = &out->p[c][out->n[c]++];
        p->start = st;
        p->end = en;
        p->tf = -1;
        for (int i = 0; i < out->ntf; i++)
            if (cm_strieq(out->tfs[i], tf)) p->tf = i;
        if (p->tf < 0) p->tf = cm_intern(&out->tfs, &out->ntf, &out->ctf, tf);
        if (en - st > out->maxlen[c]) out->maxlen[c] = en - st;
        out->total++;
    }
    if (rc < 0) goto fail;
    for (int c = 0; c < out->nchrom; c++) qsort(out->p[c], out->n[c], sizeof(cm_peak_t), cmp_peak);
    free(cap);
    cm_reader_close(r);
    return 0;
fail:
    free(cap);
    cm_reader_close(r);
    cm_peaks_free(out);
    return -1;
}

int cm_peaks_containing(const cm_peaks_t *pk, int c, int64_t start, int64_t end,
                        unsigned char *scratch, int *tfs)
{
    const cm_peak_t *p = pk->p[c];
    int lo = 0, hi = pk->n[c], k = 0;
    while (lo < hi) {   /* first peak with p.start > start */
        int mid = (lo + hi) / 2;
        if (p[mid].start <= start) lo = mid + 1; else hi = mid;
    }
    for (int i = lo - 1; i >= 0 && p[i].start >= start - pk->maxlen[c]; i--) {
        if (p[i].end < end || scratch[p[i].tf]) continue;
        scratch[p[i].tf] = 1;
        tfs[k++] = p[i].tf;
    }
    for (int i = 0; i < k; i++) scratch[tfs[i]] = 0;
    return k;
}

void cm_peaks_free(cm_peaks_t *pk)
{
    if (!pk) return;
    for (int c = 0; c < pk->nchrom; c++) { free(pk->chroms[c]); free(pk->p[c]); }
    for (int i = 0; i < pk->ntf; i++) free(pk->tfs[i]);
    free(pk->chroms); free(pk->p); free(pk->n); free(pk->maxlen); free(pk->tfs);
    memset(pk, 0, sizeof *pk);
}
