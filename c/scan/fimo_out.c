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

static void ln_long(cm_rowbuf_t *o, long v)
{
    char b[24];
    int i = 24, neg = v < 0;
    unsigned long u = neg ? 0UL - (unsigned long)v : (unsigned long)v;
    do { b[--i] = (char)('0' + u % 10); u /= 10; } while (u);
    if (neg) b[--i] = '-';
    cm_rowbuf_put(o, b + i, (size_t)(24 - i));
}

static void ln_str(cm_rowbuf_t *o, const char *s) { cm_rowbuf_put(o, s, strlen(s)); }
static void ln_chr(cm_rowbuf_t *o, char c) { cm_rowbuf_put(o, &c, 1); }

/* One TSV row of h appended to o; sp = the "score\tp-value" text or NULL (formatted
 * here). */
static void tsv_row(cm_rowbuf_t *o, const cm_hit_t *h, const char *sp, int regions, int qv_zero)
{
    char num[64];
    ln_str(o, h->motif_id); ln_chr(o, '\t');
    ln_str(o, h->motif_alt); ln_chr(o, '\t');
    ln_str(o, h->seq_name); ln_chr(o, '\t');
    ln_long(o, h->start); ln_chr(o, '\t');
    ln_long(o, h->stop); ln_chr(o, '\t');
    ln_chr(o, h->strand); ln_chr(o, '\t');
    if (!sp) {
        snprintf(num, sizeof num, "%g\t%.3g", h->score, h->pvalue);
        sp = num;
    }
    ln_str(o, sp); ln_chr(o, '\t');
    if (!isnan(h->qvalue)) {
        snprintf(num, sizeof num, "%.3g", h->qvalue);
        ln_str(o, num);
    } else if (qv_zero) {
        ln_chr(o, '0');
    }
    ln_chr(o, '\t');
    ln_str(o, h->matched);
    if (regions) { ln_chr(o, '\t'); ln_str(o, h->region ? h->region : "."); }
    ln_chr(o, '\n');
}

int cm_fimo_write_hit(const cm_hit_t *h, void *data, cm_err_t *err)
{
    cm_fimo_writer_t *w = data;
    (void)err;
    if (w->tsv) {
        if (!w->header_done) cm_fimo_write_header(w);
        cm_rowbuf_t o = {w->line, 0, w->line_cap};
        tsv_row(&o, h, h->sp_text ? h->sp_text : score_text(w, h), w->regions, w->qv_zero);
        w->line = o.p;
        w->line_cap = o.cap;
        fwrite(o.p, 1, o.n, w->tsv);
    }
    if (w->bed) {
        fprintf(w->bed, "%s\t%ld\t%ld\t%s\t%g\t%c\t%s\t%.3g", h->seq_name, h->start - 1, h->stop,
                h->motif_id, h->score, h->strand, h->motif_alt, h->pvalue);
        if (w->regions) fprintf(w->bed, "\t%s", h->region ? h->region : ".");
        fputc('\n', w->bed);
    }
    return 0;
}

static char *put_long(char *d, long v)
{
    char b[24];
    int i = 24, neg = v < 0;
    unsigned long u = neg ? 0UL - (unsigned long)v : (unsigned long)v;
    do { b[--i] = (char)('0' + u % 10); u /= 10; } while (u);
    if (neg) b[--i] = '-';
    memcpy(d, b + i, (size_t)(24 - i));
    return d + (24 - i);
}

static char *put_str(char *d, const char *s, size_t n)
{
    memcpy(d, s, n);
    return d + n;
}

size_t cm_fimo_format_rows(const cm_hit_t *h, size_t n, const void *cfg, cm_rowbuf_t *out)
{
    const cm_fimo_rows_t *c = cfg;
    size_t rows = 0;
    /* "motif_id\tmotif_alt_id\tsequence_name\t", the same for the hits of one call (one
     * motif, one chunk), rebuilt if it changes; the region likewise */
    cm_rowbuf_t pre = {0};
    const char *pm = NULL, *ps = NULL;
    size_t rl = 0;
    for (size_t i = 0; i < n; i++) {
        const cm_hit_t *x = &h[i];
        /* --max-strand: a '+' hit and the '-' hit of the same window that follows it
         * (always in the same call): the higher score, '+' on ties */
        if (c->max_strand && i + 1 < n && x->strand == '+' && h[i + 1].strand == '-' &&
            h[i + 1].start == x->start && h[i + 1].seq_index == x->seq_index) {
            if (h[i + 1].score > x->score) x = &h[i + 1];
            i++;
        }
        if (x->motif_id != pm || x->seq_name != ps) {
            pre.n = 0;
            ln_str(&pre, x->motif_id); ln_chr(&pre, '\t');
            ln_str(&pre, x->motif_alt); ln_chr(&pre, '\t');
            ln_str(&pre, x->seq_name); ln_chr(&pre, '\t');
            pm = x->motif_id;
            ps = x->seq_name;
            rl = c->regions ? strlen(x->region ? x->region : ".") : 0;
        }
        char num[64];
        const char *sp = x->sp_text;
        if (!sp) {
            snprintf(num, sizeof num, "%g\t%.3g", x->score, x->pvalue);
            sp = num;
        }
        size_t spl = strlen(sp), w = strlen(x->matched);
        char q[32];
        size_t ql = 0;
        if (!isnan(x->qvalue)) ql = (size_t)snprintf(q, sizeof q, "%.3g", x->qvalue);
        else if (c->qv_zero) q[0] = '0', ql = 1;
        size_t need = pre.n + 48 + spl + ql + w + rl + 4;
        if (out->n + need > out->cap) {
            out->cap = (out->n + need) * 2 + 4096;
            out->p = cm_realloc(out->p, out->cap);
        }
        char *d = out->p + out->n;
        d = put_str(d, pre.p, pre.n);
        d = put_long(d, x->start); *d++ = '\t';
        d = put_long(d, x->stop); *d++ = '\t';
        *d++ = x->strand; *d++ = '\t';
        d = put_str(d, sp, spl); *d++ = '\t';
        d = put_str(d, q, ql); *d++ = '\t';
        d = put_str(d, x->matched, w);
        if (c->regions) { *d++ = '\t'; d = put_str(d, x->region ? x->region : ".", rl); }
        *d++ = '\n';
        out->n = (size_t)(d - out->p);
        rows++;
    }
    free(pre.p);
    return rows;
}

int cm_fimo_write_rows(const char *p, size_t n, void *data, cm_err_t *err)
{
    cm_fimo_writer_t *w = data;
    (void)err;
    if (!w->header_done) cm_fimo_write_header(w);
    fwrite(p, 1, n, w->tsv);
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
        /* --no-qvalue: FIMO prints the match's q-value field, never set, so 0 (as its
         * fimo.tsv column, verified there on 5.5.8) */
        fprintf(fp, "%s\t%ld\t%ld\t%s\t450\t%c\t%g\t%.3g\t%.3g\t%ld\n", h->seq_name, h->start,
                h->stop + 1, h->motif_id, h->strand, h->score, h->pvalue,
                isnan(h->qvalue) ? 0.0 : h->qvalue, (h->stop - h->start) / 2);
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
    m->h.sp_text = NULL;   /* h's text lives only during its callback */
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

void cm_fimo_write_shard_line(FILE *fp, int k, int n, int lo, int hi, int total, uint64_t run)
{
    fprintf(fp, "# shard %d/%d: motifs %d-%d of %d, run %016llx\n", k, n, lo, hi, total,
            (unsigned long long)run);
}

int cm_fimo_merge_text(char *const *paths, int n, FILE *fp, long *rows, cm_err_t *err)
{
    char *header = NULL;
    int next_lo = 0, total = -1, ret = -1;
    char run0[17] = "";   /* the first shard's run key ("" = none) */
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
                int k, nn, lo, hi, tot, used = -1, used2 = -1;
                char run[17] = "";
                if (sscanf(l, "# shard %d/%d: motifs %d-%d of %d%n", &k, &nn, &lo, &hi, &tot, &used) != 5
                    || (used != (int)r->len
                        && (sscanf(l + used, ", run %16[0-9a-f]%n", run, &used2) != 1
                            || strlen(run) != 16 || used + used2 != (int)r->len))) {
                    cm_fail(err, "%s:%ld: unexpected '#' line (not a coopmap-scan --shard output?)",
                            paths[f], r->lineno);
                    break;
                }
                seen_shard = 1;
                if (f == 0) memcpy(run0, run, sizeof run);
                else if (strcmp(run, run0) != 0) {
                    cm_fail(err, "%s:%ld: run %s, but %s is of run %s: shards of different scans "
                            "(other motifs, sequences or options, or another version)?",
                            paths[f], r->lineno, run[0] ? run : "(none)", paths[0],
                            run0[0] ? run0 : "(none)");
                    break;
                }
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
