/* fimo_out.c — FIMO-compatible TSV, GFF3 and BED6+ outputs and the --max-strand filter
 * (see fimo_out.h). */
#include "scan/fimo_out.h"
#include "core/version.h"
#include "core/textio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char HEADER[] = "motif_id\tmotif_alt_id\tsequence_name\tstart\tstop\tstrand\t"
                             "score\tp-value\tq-value\tmatched_sequence\n";
static const char HEADER_R[] = "motif_id\tmotif_alt_id\tsequence_name\tstart\tstop\tstrand\t"
                               "score\tp-value\tq-value\tmatched_sequence\tregion\n";

const char *cm_fimo_header(int regions) { return regions ? HEADER_R : HEADER; }

void cm_fimo_writer_init(cm_fimo_writer_t *w, FILE *tsv, FILE *bed, int regions)
{
    memset(w, 0, sizeof *w);
    w->tsv = tsv;
    w->bed = bed;
    w->regions = regions;
}

void cm_fimo_writer_free(cm_fimo_writer_t *w)
{
    if (!w) return;
    free(w->line);
    for (int u = 0; u < 2; u++) { free(w->stamp[u]); free(w->txt[u]); }
    w->line = NULL;
    w->line_n = w->line_cap = 0;
    w->cap = 0;
    for (int u = 0; u < 2; u++) { w->stamp[u] = NULL; w->txt[u] = NULL; }
}

void cm_fimo_write_header(cm_fimo_writer_t *w)
{
    fputs(cm_fimo_header(w->regions), w->tsv);
    w->header_done = 1;
}

/* The formatted "%g\t%.3g" of a hit's score and p-value, cached per integer score
 * (NULL when the score is outside the cache's range). */
static const char *score_text(cm_fimo_writer_t *w, const cm_hit_t *h)
{
    int t = h->strand == '-', s = h->iscore;
    if (s < 0 || s > 1 << 22) return NULL;
    if (s >= w->cap) {
        int nc = s + 1 > 2 * w->cap ? s + 1 : 2 * w->cap;
        for (int u = 0; u < 2; u++) {
            w->stamp[u] = cm_realloc(w->stamp[u], (size_t)nc * sizeof *w->stamp[u]);
            memset(w->stamp[u] + w->cap, 0, (size_t)(nc - w->cap) * sizeof *w->stamp[u]);
            w->txt[u] = cm_realloc(w->txt[u], (size_t)nc * sizeof *w->txt[u]);
        }
        w->cap = nc;
    }
    if (w->stamp[t][s] != h->motif + 1) {
        snprintf(w->txt[t][s], sizeof w->txt[t][s], "%g\t%.3g", h->score, h->pvalue);
        w->stamp[t][s] = h->motif + 1;
    }
    return w->txt[t][s];
}

static void ln_put(cm_fimo_writer_t *w, const char *s, size_t n)
{
    if (w->line_n + n + 1 > w->line_cap) {
        w->line_cap = (w->line_n + n + 1) * 2;
        w->line = cm_realloc(w->line, w->line_cap);
    }
    memcpy(w->line + w->line_n, s, n);
    w->line_n += n;
}

static void ln_str(cm_fimo_writer_t *w, const char *s) { ln_put(w, s, strlen(s)); }
static void ln_chr(cm_fimo_writer_t *w, char c) { ln_put(w, &c, 1); }

static void ln_long(cm_fimo_writer_t *w, long v)
{
    char b[24];
    int i = 24, neg = v < 0;
    unsigned long u = neg ? 0UL - (unsigned long)v : (unsigned long)v;
    do { b[--i] = (char)('0' + u % 10); u /= 10; } while (u);
    if (neg) b[--i] = '-';
    ln_put(w, b + i, (size_t)(24 - i));
}

int cm_fimo_write_hit(const cm_hit_t *h, void *data, cm_err_t *err)
{
    cm_fimo_writer_t *w = data;
    char num[64];
    (void)err;
    if (w->tsv) {
        if (!w->header_done) cm_fimo_write_header(w);
        w->line_n = 0;
        ln_str(w, h->motif_id); ln_chr(w, '\t');
        ln_str(w, h->motif_alt); ln_chr(w, '\t');
        ln_str(w, h->seq_name); ln_chr(w, '\t');
        ln_long(w, h->start); ln_chr(w, '\t');
        ln_long(w, h->stop); ln_chr(w, '\t');
        ln_chr(w, h->strand); ln_chr(w, '\t');
        const char *sp = score_text(w, h);
        if (!sp) {
            snprintf(num, sizeof num, "%g\t%.3g", h->score, h->pvalue);
            sp = num;
        }
        ln_str(w, sp); ln_chr(w, '\t');
        if (!isnan(h->qvalue)) {
            snprintf(num, sizeof num, "%.3g", h->qvalue);
            ln_str(w, num);
        } else if (w->qv_zero) {
            ln_chr(w, '0');
        }
        ln_chr(w, '\t');
        ln_str(w, h->matched);
        if (w->regions) { ln_chr(w, '\t'); ln_str(w, h->region ? h->region : "."); }
        ln_chr(w, '\n');
        fwrite(w->line, 1, w->line_n, w->tsv);
    }
    if (w->bed) {
        fprintf(w->bed, "%s\t%ld\t%ld\t%s\t%g\t%c\t%s\t%.3g", h->seq_name, h->start - 1, h->stop,
                h->motif_id, h->score, h->strand, h->motif_alt, h->pvalue);
        if (w->regions) fprintf(w->bed, "\t%s", h->region ? h->region : ".");
        fputc('\n', w->bed);
    }
    return 0;
}

void cm_fimo_write_trailer(FILE *fp, const char *cmdline)
{
    fprintf(fp, "\n# coopmap-scan %s (FIMO 5.5.8-compatible scoring)\n"
            "# The format of this file is described at "
            "https://meme-suite.org/meme/doc/fimo-output-format.html#tsv_results.\n"
            "# %s\n", COOPMAP_VERSION, cmdline);
}

/* GFF order key of one hit: motif, sequence in scan order, then list position. */
typedef struct { int motif, seq; size_t i; } gff_key_t;

static int gff_key_cmp(const void *x, const void *y)
{
    const gff_key_t *a = x, *b = y;
    if (a->motif != b->motif) return a->motif < b->motif ? -1 : 1;
    if (a->seq != b->seq) return a->seq < b->seq ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

void cm_fimo_write_gff(FILE *fp, const cm_hitlist_t *l, int nmotifs)
{
    (void)nmotifs;
    cm_fimo_write_gff_q(fp, l, INFINITY);
}

void cm_fimo_write_gff_q(FILE *fp, const cm_hitlist_t *l, double qmax)
{
    fputs("##gff-version 3\n", fp);
    /* FIMO writes per motif, per sequence (scan order), the sequence's hits in list
     * order, numbering them from 1 within each (motif, sequence) */
    gff_key_t *ord = cm_malloc((l->n ? l->n : 1) * sizeof *ord);
    for (size_t i = 0; i < l->n; i++)
        ord[i] = (gff_key_t){l->hit[i].motif, l->hit[i].seq_index, i};
    qsort(ord, l->n, sizeof *ord, gff_key_cmp);
    int n = 0;
    for (size_t j = 0; j < l->n; j++) {
        const cm_hit_t *h = &l->hit[ord[j].i];
        n = j && ord[j].motif == ord[j - 1].motif && ord[j].seq == ord[j - 1].seq ? n + 1 : 1;
        if (h->qvalue > qmax) continue;   /* --qv-thresh: numbered, not written (FIMO) */
        /* FIMO's score is MIN(1000, −4.342·ln p), an approximation of −10·log10 p
         * (10/ln 10 = 4.3429...), so it is computed the same way */
        double sc = h->pvalue > 0 ? -4.342 * log(h->pvalue) : 1000.0;
        fprintf(fp, "%s\tfimo\tnucleotide_motif\t%ld\t%ld\t%3.3g\t%c\t.\tName=%s_%s%c;",
                h->seq_name, h->start, h->stop, sc < 1000.0 ? sc : 1000.0, h->strand, h->motif_id,
                h->seq_name, h->strand);
        fprintf(fp, "Alias=%s;ID=%s%s%s-%d-%s;", h->motif_alt, h->motif_id, *h->motif_alt ? "-" : "",
                h->motif_alt, n, h->seq_name);
        fprintf(fp, "pvalue=%.3g;", h->pvalue);
        if (!isnan(h->qvalue)) fprintf(fp, "qvalue=%.3g;", h->qvalue);
        fprintf(fp, "sequence=%s;", h->matched);
        if (h->region) fprintf(fp, "region=%s;", h->region);
        fputc('\n', fp);
    }
    free(ord);
}

/* Does hit a beat hit b as the best site of their (motif, sequence)? */
static int better_site(const cm_hit_t *a, const cm_hit_t *b)
{
    if (a->pvalue != b->pvalue) return a->pvalue < b->pvalue;
    if (a->start != b->start) return a->start < b->start;
    return a->strand == '+' && b->strand != '+';
}

void cm_fimo_write_best_sites(FILE *fp, const cm_hitlist_t *l)
{
    gff_key_t *ord = cm_malloc((l->n ? l->n : 1) * sizeof *ord);
    char *best = cm_calloc(l->n ? l->n : 1, 1);
    for (size_t i = 0; i < l->n; i++)
        ord[i] = (gff_key_t){l->hit[i].motif, l->hit[i].seq_index, i};
    qsort(ord, l->n, sizeof *ord, gff_key_cmp);
    for (size_t j = 0; j < l->n;) {   /* one group per (motif, sequence) */
        size_t b = ord[j].i, e = j + 1;
        for (; e < l->n && ord[e].motif == ord[j].motif && ord[e].seq == ord[j].seq; e++)
            if (better_site(&l->hit[ord[e].i], &l->hit[b])) b = ord[e].i;
        best[b] = 1;
        j = e;
    }
    for (size_t i = 0; i < l->n; i++) {
        if (!best[i]) continue;
        const cm_hit_t *h = &l->hit[i];
        fprintf(fp, "%s\t%ld\t%ld\t%s\t450\t%c\t%g\t%.3g\t%.3g\t%ld\n", h->seq_name, h->start,
                h->stop + 1, h->motif_id, h->strand, h->score, h->pvalue, h->qvalue,
                (h->stop - h->start) / 2);
    }
    free(best);
    free(ord);
}

void cm_maxstrand_init(cm_maxstrand_t *m, cm_hit_fn fn, void *data)
{
    memset(m, 0, sizeof *m);
    m->fn = fn;
    m->data = data;
}

static void maxstrand_hold(cm_maxstrand_t *m, const cm_hit_t *h)
{
    free(m->seq); free(m->mt); free(m->reg);
    m->h = *h;
    m->h.seq_name = m->seq = cm_strdup(h->seq_name);
    m->h.matched = m->mt = cm_strdup(h->matched);
    m->reg = h->region ? cm_strdup(h->region) : NULL;
    m->h.region = m->reg;
    m->have = 1;
}

int cm_maxstrand_add(const cm_hit_t *h, void *data, cm_err_t *err)
{
    cm_maxstrand_t *m = data;
    if (m->have && m->h.motif == h->motif && m->h.start == h->start && m->h.strand == '+' &&
        h->strand == '-' && !strcmp(m->h.seq_name, h->seq_name)) {
        if (h->score > m->h.score) maxstrand_hold(m, h);
        int r = m->fn(&m->h, m->data, err);
        m->have = 0;
        return r;
    }
    if (m->have && m->fn(&m->h, m->data, err) != 0) return -1;
    maxstrand_hold(m, h);
    return 0;
}

int cm_maxstrand_flush(cm_maxstrand_t *m, cm_err_t *err)
{
    int r = m->have ? m->fn(&m->h, m->data, err) : 0;
    m->have = 0;
    return r;
}

void cm_maxstrand_free(cm_maxstrand_t *m)
{
    if (!m) return;
    free(m->seq); free(m->mt); free(m->reg);
    m->seq = m->mt = m->reg = NULL;
    m->have = 0;
}

/* ---------------------------------------------------------------- --shard / --merge */

void cm_fimo_write_shard_line(FILE *fp, int k, int n, int lo, int hi, int total)
{
    fprintf(fp, "# shard %d/%d: motifs %d-%d of %d\n", k, n, lo, hi, total);
}

int cm_fimo_merge_text(char *const *paths, int n, FILE *fp, long *rows, cm_err_t *err)
{
    char *header = NULL;
    int next_lo = 0, total = -1, ret = -1;
    *rows = 0;
    if (n < 1) return cm_fail(err, "--merge: no shard files given");
    /* the header goes out with the first row; remember it until then */
    int header_out = 0;
    for (int f = 0; f < n; f++) {
        cm_reader_t *r = cm_reader_open(paths[f], err);
        if (!r) goto out;
        int rc, seen_shard = 0;
        while ((rc = cm_reader_next(r, err)) == 1) {
            const char *l = r->line;
            if (seen_shard) {
                cm_fail(err, "%s:%ld: a line after the '# shard' line", paths[f], r->lineno);
                break;
            }
            if (l[0] == '#') {
                int k, nn, lo, hi, tot, used = -1;
                if (sscanf(l, "# shard %d/%d: motifs %d-%d of %d%n", &k, &nn, &lo, &hi, &tot, &used) != 5
                    || used != (int)r->len) {
                    cm_fail(err, "%s:%ld: unexpected '#' line (not a coopmap-scan --shard output?)",
                            paths[f], r->lineno);
                    break;
                }
                seen_shard = 1;
                if (nn != n || k != f + 1) {
                    cm_fail(err, "%s:%ld: shard %d/%d given as shard %d of %d: give the %d shards "
                            "of one scan, in order", paths[f], r->lineno, k, nn, f + 1, n, nn);
                    break;
                }
                if (total < 0) total = tot;
                if (tot != total || lo != next_lo || hi < lo || hi > tot) {
                    cm_fail(err, "%s:%ld: motifs %d-%d of %d do not follow the previous shard's "
                            "(next motif %d of %d)", paths[f], r->lineno, lo, hi, tot, next_lo, total);
                    break;
                }
                next_lo = hi;
            } else if (strncmp(l, "motif_id\t", 9) == 0) {
                if (!header) header = cm_strdup(l);
                else if (strcmp(header, l) != 0) {
                    cm_fail(err, "%s:%ld: the header differs from the first shard's", paths[f], r->lineno);
                    break;
                }
            } else {
                if (!header) {
                    cm_fail(err, "%s:%ld: a row before the header line", paths[f], r->lineno);
                    break;
                }
                if (!header_out) {
                    fprintf(fp, "%s\n", header);
                    header_out = 1;
                }
                fprintf(fp, "%s\n", l);
                (*rows)++;
            }
        }
        if (rc == 0 && !seen_shard)
            cm_fail(err, "%s: no '# shard K/N' line at the end: not a --shard output, or cut short",
                    paths[f]), rc = -1;
        cm_reader_close(r);
        if (rc != 0) goto out;
    }
    if (next_lo != total) {
        cm_fail(err, "%s: the shards end at motif %d of %d", paths[n - 1], next_lo, total);
        goto out;
    }
    ret = 0;
out:
    free(header);
    return ret;
}
