/* pairs.c — see pairs.h. */
#include "pairs/pairs.h"
#include "core/textio.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int cm_motif_matches_tf(const char *name, const char *tf)
{
    size_t tl = strlen(tf);
    const char *p = name;
    for (;;) {
        const char *sep = strstr(p, "::");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        if (len == tl && strncasecmp(p, tf, tl) == 0) return 1;
        if (!sep) return 0;
        p = sep + 2;
    }
}

static int cmp_str(const char *a, const char *b) { return strcmp(a, b); }

/* Merge order: TF, chromosome, start, end. */
static int cmp_merge(const cm_locus_t *x, const cm_locus_t *y, char **chroms, char **tfs)
{
    int c;
    if (x->tf != y->tf && (c = cmp_str(tfs[x->tf], tfs[y->tf]))) return c;
    if (x->chrom != y->chrom && (c = cmp_str(chroms[x->chrom], chroms[y->chrom]))) return c;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return x->motif - y->motif;
}

/* Final order: chromosome, start, end, TF. */
static int cmp_final(const cm_locus_t *x, const cm_locus_t *y, char **chroms, char **tfs)
{
    int c;
    if (x->chrom != y->chrom && (c = cmp_str(chroms[x->chrom], chroms[y->chrom]))) return c;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    if (x->tf != y->tf) return cmp_str(tfs[x->tf], tfs[y->tf]);
    return 0;
}

/* qsort has no context argument in C11; a small merge sort with one does. */
static void sort_loci(cm_locus_t *a, int n, cm_locus_t *tmp,
                      int (*cmp)(const cm_locus_t *, const cm_locus_t *, char **, char **),
                      char **chroms, char **tfs)
{
    if (n < 2) return;
    int h = n / 2;
    sort_loci(a, h, tmp, cmp, chroms, tfs);
    sort_loci(a + h, n - h, tmp, cmp, chroms, tfs);
    int i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = cmp(&a[j], &a[i], chroms, tfs) < 0 ? a[j++] : a[i++];
    while (i < h) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    memcpy(a, tmp, sizeof(cm_locus_t) * n);
}

/* Is x a better hit than y? */
static int better(const cm_locus_t *x, const cm_locus_t *y)
{
    if (x->p != y->p) return x->p < y->p;
    if (x->score != y->score) return x->score > y->score;
    return x->start < y->start;
}

static int64_t floor_div2(int64_t v) { return v >= 0 ? v / 2 : -((-v + 1) / 2); }

static void push(cm_loci_t *L, int *cap, const cm_site_t *s, int tf)
{
    L->l = cm_grow(L->l, L->n, cap, sizeof(cm_locus_t), 1024);
    cm_locus_t *l = &L->l[L->n++];
    memset(l, 0, sizeof *l);
    l->chrom = s->chrom;
    l->start = s->start;
    l->end = s->end;
    l->strand = s->strand;
    l->tf = tf;
    l->motif = s->motif;
    l->p = s->p;
    l->score = s->score;
}

static int tf_index(cm_loci_t *L, int *ctf, const char *name)
{
    for (int i = 0; i < L->ntf; i++)
        if (cm_strieq(L->tfs[i], name)) return i;
    return cm_intern(&L->tfs, &L->ntf, ctf, name);
}

int cm_loci_build(const cm_sites_t *hits, const cm_peaks_t *peaks, const cm_pairs_opt_t *opt,
                  int64_t (*chrom_len)(const char *name, void *data), void *len_data,
                  cm_loci_t *out, cm_pairs_count_t *count, cm_err_t *err)
{
    (void)err;
    memset(out, 0, sizeof *out);
    out->chroms = hits->chroms;
    out->hits = hits;
    int cap = 0, ctf = 0;
    count->hits = hits->n;

    if (peaks) {
        /* TFs of the peak file, in their order, so labels keep the peak spelling */
        for (int t = 0; t < peaks->ntf; t++) tf_index(out, &ctf, peaks->tfs[t]);
        int *pk_chrom = cm_malloc(sizeof(int) * (hits->nchrom + 1));
        for (int c = 0; c < hits->nchrom; c++) pk_chrom[c] = cm_peaks_chrom(peaks, hits->chroms[c]);
        /* match[m * ntf + t]: does motif m match peak TF t */
        unsigned char *match = cm_calloc((size_t)hits->nmotif * peaks->ntf, 1);
        for (int m = 0; m < hits->nmotif; m++) {
            const char *name = hits->motif_alts[m][0] ? hits->motif_alts[m] : hits->motif_ids[m];
            for (int t = 0; t < peaks->ntf; t++)
                match[(size_t)m * peaks->ntf + t] = (unsigned char)cm_motif_matches_tf(name, peaks->tfs[t]);
        }
        unsigned char *scratch = cm_calloc(peaks->ntf, 1);
        int *tfs = cm_malloc(sizeof(int) * (peaks->ntf + 1));
        for (int i = 0; i < hits->n; i++) {
            const cm_site_t *s = &hits->s[i];
            int c = pk_chrom[s->chrom];
            if (c < 0) continue;
            int k = cm_peaks_containing(peaks, c, s->start, s->end, scratch, tfs);
            for (int j = 0; j < k; j++) {
                if (!match[(size_t)s->motif * peaks->ntf + tfs[j]]) continue;
                push(out, &cap, s, tfs[j]);   /* peak TF t has loci index t */
                count->hits_localized++;
            }
        }
        free(pk_chrom); free(match); free(scratch); free(tfs);
    } else {
        for (int i = 0; i < hits->n; i++) {
            const cm_site_t *s = &hits->s[i];
            const char *name = hits->motif_alts[s->motif][0] ? hits->motif_alts[s->motif] : hits->motif_ids[s->motif];
            push(out, &cap, s, tf_index(out, &ctf, name));
            count->hits_localized++;
        }
    }

    /* merge overlapping sites of the same TF, keeping the best hit */
    cm_locus_t *tmp = cm_malloc(sizeof(cm_locus_t) * (out->n + 1));
    sort_loci(out->l, out->n, tmp, cmp_merge, out->chroms, out->tfs);
    int k = 0;
    for (int i = 0; i < out->n;) {
        cm_locus_t best = out->l[i];
        int64_t gend = out->l[i].end;
        int j = i + 1;
        while (j < out->n && out->l[j].tf == best.tf && out->l[j].chrom == best.chrom && out->l[j].start < gend) {
            if (out->l[j].end > gend) gend = out->l[j].end;
            if (better(&out->l[j], &best)) best = out->l[j];
            j++;
        }
        out->l[k++] = best;
        i = j;
    }
    out->n = k;
    sort_loci(out->l, out->n, tmp, cmp_final, out->chroms, out->tfs);
    free(tmp);

    for (int i = 0; i < out->n; i++) {
        cm_locus_t *l = &out->l[i];
        l->wstart = floor_div2(l->start + l->end - opt->window);
        l->wend = l->wstart + opt->window;
        int64_t len = chrom_len ? chrom_len(out->chroms[l->chrom], len_data) : -1;
        l->window_ok = l->wstart >= 0 && (len < 0 || l->wend <= len);
        if (!l->window_ok) count->loci_window_off++;
    }
    count->loci = out->n;
    return 0;
}

static const char *motif_id(const cm_loci_t *L, const cm_locus_t *l) { return L->hits->motif_ids[l->motif]; }

void cm_sources_write(FILE *fp, const cm_loci_t *L, const char *prov)
{
    fprintf(fp, "# %s\nsite_id\tchrom\ttf\tmotif\tstart\tend\tstrand\twindow_start\twindow_end\n", prov);
    for (int i = 0; i < L->n; i++) {
        const cm_locus_t *l = &L->l[i];
        if (!l->window_ok) continue;
        fprintf(fp, "s%d\t%s\t%s\t%s\t%lld\t%lld\t%c\t%lld\t%lld\n", i + 1, L->chroms[l->chrom], L->tfs[l->tf],
                motif_id(L, l), (long long)l->start, (long long)l->end, l->strand,
                (long long)l->wstart, (long long)l->wend);
    }
}

void cm_pairs_write(FILE *fp, const cm_loci_t *L, const cm_pairs_opt_t *opt, const char *prov,
                    cm_pairs_count_t *count)
{
    fprintf(fp, "# %s\npair_id\tchrom\tsource_tf\tsource_motif\tsource_start\tsource_end\tsource_strand\t"
                "target_tf\ttarget_motif\ttarget_start\ttarget_end\ttarget_strand\tdistance\tposition\t"
                "orientation\twindow_start\twindow_end\thomotypic\n", prov);
    long id = 0;
    int64_t maxd2 = (int64_t)(2 * opt->max_distance + 1e-9);
    /* Loci are sorted by (chrom, start) and a doubled centre is c2 = 2*start + width,
     * with width <= maxw.  So a target within the distance (|c2t - c2s| <= maxd2) has
     * 2*start + maxw >= c2s - maxd2 (bounds the walk back from the source) and
     * 2*start <= c2s + maxd2 (bounds the walk forward). */
    int64_t maxw = 0;
    for (int i = 0; i < L->n; i++)
        if (L->l[i].end - L->l[i].start > maxw) maxw = L->l[i].end - L->l[i].start;
    for (int i = 0; i < L->n; i++) {
        const cm_locus_t *s = &L->l[i];
        int64_t c2s = s->start + s->end;
        int lo = i;
        while (lo > 0 && L->l[lo - 1].chrom == s->chrom && 2 * L->l[lo - 1].start + maxw >= c2s - maxd2) lo--;
        for (int j = lo; j < L->n && L->l[j].chrom == s->chrom && 2 * L->l[j].start <= c2s + maxd2; j++) {
            if (j == i) continue;
            const cm_locus_t *t = &L->l[j];
            int64_t c2t = t->start + t->end;
            int64_t d2 = c2t > c2s ? c2t - c2s : c2s - c2t;
            if (d2 > maxd2) continue;
            if (!opt->allow_overlap && t->start < s->end && s->start < t->end) { count->drop_overlap++; continue; }
            if (!s->window_ok) { count->drop_window_off++; continue; }
            if (t->start < s->wstart || t->end > s->wend) { count->drop_target_out++; continue; }
            int homo = s->tf == t->tf;
            /* distance d2/2 exactly: "%g" would print 1.5e+06 past 6 digits */
            fprintf(fp, "p%ld\t%s\t%s\t%s\t%lld\t%lld\t%c\t%s\t%s\t%lld\t%lld\t%c\t%lld%s\t%s\t%s\t%lld\t%lld\t%d\n",
                    ++id, L->chroms[s->chrom], L->tfs[s->tf], motif_id(L, s), (long long)s->start, (long long)s->end,
                    s->strand, L->tfs[t->tf], motif_id(L, t), (long long)t->start, (long long)t->end, t->strand,
                    (long long)(d2 / 2), d2 % 2 ? ".5" : "", c2t < c2s ? "upstream" : "downstream",
                    s->strand == t->strand ? "same" : "opposite", (long long)s->wstart, (long long)s->wend, homo);
            count->pairs_homotypic += homo;
        }
    }
    count->pairs = id;
}

void cm_loci_free(cm_loci_t *L)
{
    if (!L) return;
    for (int i = 0; i < L->ntf; i++) free(L->tfs[i]);
    free(L->tfs);
    free(L->l);
    memset(L, 0, sizeof *L);
}
