/* saturation.c — see saturation.h. */
#include "ism/saturation.h"
#include "core/textio.h"
#include "model/scorer.h"

#include <htslib/bgzf.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cm_sat_opts_init(cm_sat_opts_t *o)
{
    o->threads = 1;
    o->chunk = 64;
    o->scale = CM_SCALE_PROB;
    o->full_recompute = 0;
}

/* ---------------------------------------------------------------- tiling */

int cm_sat_core_width(int L) { return (L + 1) / 2; }

int64_t cm_sat_n_windows(int64_t n, int L)
{
    if (n <= L) return 1;
    int64_t c = cm_sat_core_width(L);
    return (n + c - 1) / c;
}

void cm_sat_tile(int64_t start, int64_t end, int L, int64_t chrom_len, int64_t j,
                 int64_t *core_start, int64_t *core_end, int64_t *wstart)
{
    const int64_t n = end - start, k = cm_sat_n_windows(n, L);
    int64_t cs = start + j * n / k, ce = start + (j + 1) * n / k;
    int64_t ws = cs - (L - (ce - cs)) / 2;
    if (ws > chrom_len - L) ws = chrom_len - L;
    if (ws < 0) ws = 0;
    *core_start = cs;
    *core_end = ce;
    *wstart = ws;
}

/* ---------------------------------------------------------------- text buffers */

typedef struct {
    char *s;
    size_t len, cap;
} sbuf_t;

static void sb_printf(sbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf_t *b, const char *fmt, ...)
{
    for (;;) {
        size_t room = b->cap - b->len;
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (k >= 0 && (size_t)k < room) { b->len += (size_t)k; return; }
        b->cap = b->cap * 2 + (size_t)k + 256;
        b->s = cm_realloc(b->s, b->cap);
    }
}

/* An output: a plain stream or a BGZF stream on the atomic temporary file. */
typedef struct {
    cm_out_t *out;
    BGZF *bz;
    int bad;          /* a BGZF write failed */
} sink_t;

static int sink_open(sink_t *k, const char *path, cm_err_t *err)
{
    memset(k, 0, sizeof *k);
    if (!(k->out = cm_out_open(path, err))) return -1;
    size_t n = strlen(path);
    if (n > 3 && strcmp(path + n - 3, ".gz") == 0) {
        fflush(k->out->fp);
        int fd = dup(fileno(k->out->fp));
        if (fd < 0 || !(k->bz = bgzf_dopen(fd, "w"))) {
            if (fd >= 0) close(fd);
            cm_out_abort(k->out);
            k->out = NULL;
            return cm_fail(err, "%s: cannot open a BGZF stream", path);
        }
    }
    return 0;
}

static void sink_write(sink_t *k, const char *s, size_t n)
{
    if (n == 0) return;
    if (k->bz) { if (bgzf_write(k->bz, s, n) != (ssize_t)n) k->bad = 1; }
    else fwrite(s, 1, n, k->out->fp);
}

/* Finish the BGZF layer (if any); the cm_out_t stays for commit / abort. */
static int sink_finish(sink_t *k, cm_err_t *err)
{
    if (k->bz) {
        if (bgzf_close(k->bz) != 0) k->bad = 1;
        k->bz = NULL;
    }
    if (k->bad) return cm_fail(err, "%s: write error (BGZF)", k->out->path);
    return 0;
}

static void sink_abort(sink_t *k)
{
    if (k->bz) bgzf_close(k->bz);
    k->bz = NULL;
    cm_out_abort(k->out);
    k->out = NULL;
}

/* ---------------------------------------------------------------- region input */

typedef struct {
    cm_reader_t *r;
    const char *path;
    cm_sat_input_t kind;
    int ncol, ic, is, ie;    /* sources: fields per line, indices of chrom / start / end */
} rin_t;

static int is_skip(const char *line, cm_sat_input_t kind)
{
    if (line[0] == '#' || line[0] == 0) return 1;
    if (kind == CM_SAT_BED && (strncmp(line, "track", 5) == 0 || strncmp(line, "browser", 7) == 0))
        return 1;
    return 0;
}

static int rin_open(rin_t *t, const char *path, cm_sat_input_t kind, cm_err_t *err)
{
    memset(t, 0, sizeof *t);
    t->path = path;
    t->kind = kind;
    if (!(t->r = cm_reader_open(path, err))) return -1;
    if (kind == CM_SAT_BED) return 0;
    int rc;
    while ((rc = cm_reader_next(t->r, err)) == 1)
        if (!is_skip(t->r->line, kind)) break;
    if (rc < 0) return -1;
    if (rc == 0) return cm_fail(err, "%s: no header line (expected columns chrom window_start window_end)", path);
    char *copy = cm_strdup(t->r->line);
    int cap = (int)t->r->len + 1;
    char **f = cm_malloc((size_t)cap * sizeof *f);
    t->ncol = cm_split_tabs(copy, f, cap);
    t->ic = t->is = t->ie = -1;
    for (int i = 0; i < t->ncol; i++) {
        if (strcmp(f[i], "chrom") == 0 && t->ic < 0) t->ic = i;
        else if (strcmp(f[i], "window_start") == 0 && t->is < 0) t->is = i;
        else if (strcmp(f[i], "window_end") == 0 && t->ie < 0) t->ie = i;
    }
    const char *miss = t->ic < 0 ? "chrom" : t->is < 0 ? "window_start" : t->ie < 0 ? "window_end" : NULL;
    int ret = miss ? cm_fail(err, "%s:%ld: header has no column '%s' (a sources.tsv needs chrom, "
                             "window_start, window_end)", path, t->r->lineno, miss) : 0;
    free(f);
    free(copy);
    return ret;
}

static int parse_coord(const rin_t *t, const char *s, const char *what, int64_t *out, cm_err_t *err)
{
    long v;
    if (cm_parse_long(s, &v) != 0 || v < 0)
        return cm_fail(err, "%s:%ld: %s '%s' is not a non-negative integer", t->path,
                       t->r->lineno, what, s);
    *out = v;
    return 0;
}

/* Next region, checked against the genome and L: 1 (chrom is a fresh copy), 0 at the
 * end, -1 with err. */
static int rin_next(rin_t *t, const cm_genome_t *g, int L, char **chrom, int64_t *start,
                    int64_t *end, int64_t *chrom_len, cm_err_t *err)
{
    int rc;
    while ((rc = cm_reader_next(t->r, err)) == 1)
        if (!is_skip(t->r->line, t->kind)) break;
    if (rc <= 0) return rc;
    const int bed = t->kind == CM_SAT_BED;
    int cap = bed ? 4 : t->ncol + 1;
    char **f = cm_malloc((size_t)cap * sizeof *f);
    char *line = t->r->line;
    int nf = bed ? cm_split_ws(line, f, cap) : cm_split_tabs(line, f, cap);
    int ret = -1;
    const char *ws = bed ? "start" : "window_start", *we = bed ? "end" : "window_end";
    if (bed && nf < 3) {
        cm_fail(err, "%s:%ld: %d fields, a BED line needs chrom, start, end", t->path,
                t->r->lineno, nf);
        goto out;
    }
    if (!bed && nf != t->ncol) {
        cm_fail(err, "%s:%ld: %d fields, the header has %d", t->path, t->r->lineno, nf, t->ncol);
        goto out;
    }
    const char *c = f[bed ? 0 : t->ic];
    if (parse_coord(t, f[bed ? 1 : t->is], ws, start, err)
        || parse_coord(t, f[bed ? 2 : t->ie], we, end, err))
        goto out;
    if (!c[0]) { cm_fail(err, "%s:%ld: empty chrom", t->path, t->r->lineno); goto out; }
    if (*end <= *start) {
        cm_fail(err, "%s:%ld: empty or inverted region %s:%lld-%lld (%s <= %s)", t->path,
                t->r->lineno, c, (long long)*start, (long long)*end, we, ws);
        goto out;
    }
    *chrom_len = cm_genome_seq_len(g, c);
    if (*chrom_len < 0) {
        cm_fail(err, "%s:%ld: chrom '%s' is not in the genome %s", t->path, t->r->lineno, c,
                cm_genome_path(g));
        goto out;
    }
    if (*end > *chrom_len) {
        cm_fail(err, "%s:%ld: region %s:%lld-%lld runs past the end of %s (length %lld) in %s",
                t->path, t->r->lineno, c, (long long)*start, (long long)*end, c,
                (long long)*chrom_len, cm_genome_path(g));
        goto out;
    }
    if (*chrom_len < L) {
        cm_fail(err, "%s:%ld: %s is %lld bp, shorter than the model input length %d: no window fits",
                t->path, t->r->lineno, c, (long long)*chrom_len, L);
        goto out;
    }
    *chrom = cm_strdup(c);
    ret = 1;
out:
    free(f);
    return ret;
}

/* ---------------------------------------------------------------- windows */

typedef struct {
    char *chrom;                 /* owned */
    int64_t cs, ce, ws;          /* core [cs, ce), window start */
    uint8_t *win;                /* L codes */
    int ne;                      /* edits */
    cm_model_edit_t *ed;
    uint8_t *alt;                /* alt code of each edit */
    float *base, *lg;            /* H baseline logits; ne × H edit logits */
    sbuf_t tsv;                  /* formatted rows */
    int bad;
    cm_err_t err;
} job_t;

static const char ACGT[] = "ACGTN";

static double on_scale(float logit, cm_scale_t s)
{
    return s == CM_SCALE_LOGIT ? (double)logit : 1.0 / (1.0 + exp(-(double)logit));
}

/* Predict one window and format its rows. */
static void job_eval(const cm_model_t *m, const cm_sat_opts_t *o, job_t *j)
{
    const int H = cm_model_n_heads(m);
    const int off = (int)(j->cs - j->ws), cw = (int)(j->ce - j->cs);
    j->ed = cm_realloc(j->ed, (size_t)4 * cw * sizeof *j->ed);
    j->alt = cm_realloc(j->alt, (size_t)4 * cw);
    j->base = cm_realloc(j->base, (size_t)H * sizeof(float));
    j->ne = 0;
    for (int p = 0; p < cw; p++) {
        const int ref = j->win[off + p];
        for (int b = 0; b < 4; b++) {
            if (b == ref) continue;
            j->alt[j->ne] = (uint8_t)b;
            j->ed[j->ne].start = off + p;
            j->ed[j->ne].len = 1;
            j->ne++;
        }
    }
    for (int i = 0; i < j->ne; i++) j->ed[i].codes = &j->alt[i];
    j->lg = cm_realloc(j->lg, (size_t)(j->ne ? j->ne : 1) * H * sizeof(float));
    j->tsv.len = 0;
    j->bad = cm_model_predict(m, j->win, 1, j->base, &j->err) != 0
          || cm_model_predict_edits(m, j->win, j->ne, j->ed, j->lg, o->full_recompute, &j->err) != 0;
    if (j->bad) return;
    for (int i = 0; i < j->ne; i++) {
        const int pos = j->ed[i].start;
        const char rc = ACGT[j->win[pos] > 3 ? 4 : j->win[pos]];
        for (int h = 0; h < H; h++) {
            double b = on_scale(j->base[h], o->scale);
            double d = on_scale(j->lg[(size_t)i * H + h], o->scale) - b;
            sb_printf(&j->tsv, "%s\t%lld\t%c\t%c\t%s\t%.6g\t%.6g\n", j->chrom,
                      (long long)(j->ws + pos), rc, ACGT[j->alt[i]], cm_model_head_name(m, h),
                      b, d);
        }
    }
}

/* Append the bedGraph lines of a window (edits are grouped by position, 3 or 4 each). */
static void job_bedgraph(const cm_model_t *m, const cm_sat_opts_t *o, const job_t *j,
                         sbuf_t *bmax, sbuf_t *bobs)
{
    const int H = cm_model_n_heads(m);
    for (int h = 0; h < H; h++) {
        double b = on_scale(j->base[h], o->scale);
        for (int i = 0; i < j->ne;) {
            const int pos = j->ed[i].start;
            double mx = 0, sum = 0;
            for (; i < j->ne && j->ed[i].start == pos; i++) {
                double d = on_scale(j->lg[(size_t)i * H + h], o->scale) - b;
                if (fabs(d) > mx) mx = fabs(d);
                sum += d;
            }
            long long x = (long long)(j->ws + pos);
            sb_printf(&bmax[h], "%s\t%lld\t%lld\t%.6g\n", j->chrom, x, x + 1, mx);
            sb_printf(&bobs[h], "%s\t%lld\t%lld\t%.6g\n", j->chrom, x, x + 1, -sum / 4 + 0.0);
        }
    }
}

static void job_free(job_t *j)
{
    free(j->chrom); free(j->win); free(j->ed); free(j->alt); free(j->base); free(j->lg);
    free(j->tsv.s);
    memset(j, 0, sizeof *j);
}

/* ---------------------------------------------------------------- the run */

int cm_sat_run(const cm_model_t *m, cm_genome_t *g, const char *in_path, cm_sat_input_t kind,
               const cm_sat_opts_t *o, const char *out_path, const char *bg_prefix,
               const char *provenance, cm_sat_stats_t *st, cm_err_t *err)
{
    const int L = cm_model_input_length(m), H = cm_model_n_heads(m);
    const int chunk = o->chunk > 0 ? o->chunk : 64;
    const int nsink = 1 + (bg_prefix ? 2 * H : 0);
    sink_t *sk = cm_calloc((size_t)nsink, sizeof *sk);
    job_t *jobs = cm_calloc((size_t)chunk, sizeof *jobs);
    sbuf_t *bmax = cm_calloc((size_t)H, sizeof *bmax), *bobs = cm_calloc((size_t)H, sizeof *bobs);
    rin_t t = {0};
    char *chrom = NULL;
    int ret = -1, opened = 0;
    memset(st, 0, sizeof *st);

    if (rin_open(&t, in_path, kind, err) != 0) goto out;
    if (sink_open(&sk[0], out_path, err) != 0) goto out;
    opened = 1;
    for (int h = 0; bg_prefix && h < H; h++)
        for (int w = 0; w < 2; w++) {
            size_t n = strlen(bg_prefix) + strlen(cm_model_head_name(m, h)) + 32;
            char *p = cm_malloc(n);
            snprintf(p, n, "%s.%s.%s.bedGraph", bg_prefix, cm_model_head_name(m, h),
                     w ? "obs" : "maxabs");
            int rc = sink_open(&sk[1 + 2 * h + w], p, err);
            free(p);
            if (rc != 0) goto out;
            opened = 2 + 2 * h + w;
        }
    {
        sbuf_t hb = {0};
        const char *sc = o->scale == CM_SCALE_LOGIT ? "logit" : "prob";
        if (provenance) sb_printf(&hb, "%s\n", provenance);
        sb_printf(&hb, "# saturation: model input L=%d bp, core C=ceil(L/2)=%d bp; a region of "
                  "n <= L bp is predicted in the window of L centred on it, a longer one in "
                  "k=ceil(n/C) windows of L centred on k equal consecutive cores (each base "
                  "in exactly one window); windows clipped to the chromosome; pos 0-based; "
                  "delta = f(alt) - f(ref) on the %s scale; ref N: all 4 alts\n",
                  L, cm_sat_core_width(L), sc);
        sb_printf(&hb, "chrom\tpos\tref\talt\thead\tbaseline\tdelta\n");
        sink_write(&sk[0], hb.s, hb.len);
        for (int h = 0; bg_prefix && h < H; h++) {
            for (int w = 0; w < 2; w++) {
                hb.len = 0;
                sb_printf(&hb, "track type=bedGraph name=\"%s %s\" description=\"coopmap-ism "
                          "saturation, %s scale: %s\"\n", cm_model_head_name(m, h),
                          w ? "obs" : "maxabs", sc,
                          w ? "delta_obs - mean over ACGT of delta (delta_ref = 0)"
                            : "max over alts of |delta|");
                sink_write(&sk[1 + 2 * h + w], hb.s, hb.len);
            }
        }
        free(hb.s);
    }

    /* stream: region -> windows -> rounds of `chunk` windows */
    int64_t rs = 0, re = 0, clen = 0, nw = 0, jw = 0;
    int have = 0, eof = 0;
    while (!eof || have) {
        int n = 0;
        while (n < chunk) {
            if (!have) {
                if (eof) break;
                free(chrom);
                chrom = NULL;
                int rc = rin_next(&t, g, L, &chrom, &rs, &re, &clen, err);
                if (rc < 0) goto out;
                if (rc == 0) { eof = 1; break; }
                have = 1;
                jw = 0;
                nw = cm_sat_n_windows(re - rs, L);
                st->regions++;
            }
            job_t *j = &jobs[n];
            cm_sat_tile(rs, re, L, clen, jw, &j->cs, &j->ce, &j->ws);
            free(j->chrom);
            j->chrom = cm_strdup(chrom);
            if (!j->win) j->win = cm_malloc((size_t)L);
            cm_err_t e2 = {{0}};
            if (cm_genome_fetch(g, chrom, j->ws, j->ws + L, j->win, &e2) != 0) {
                cm_fail(err, "%s:%ld: %s", in_path, t.r->lineno, e2.msg);
                goto out;
            }
            n++;
            if (++jw == nw) have = 0;
        }
        if (n == 0) break;
#pragma omp parallel for schedule(dynamic, 1) num_threads(o->threads)
        for (int i = 0; i < n; i++) job_eval(m, o, &jobs[i]);
        for (int i = 0; i < n; i++) {
            job_t *j = &jobs[i];
            if (j->bad) { cm_fail(err, "%s: %s", in_path, j->err.msg); goto out; }
            sink_write(&sk[0], j->tsv.s, j->tsv.len);
            st->windows++;
            st->positions += (long)(j->ce - j->cs);
            st->rows += (long)j->ne * H;
            if (bg_prefix) {
                for (int h = 0; h < H; h++) bmax[h].len = bobs[h].len = 0;
                job_bedgraph(m, o, j, bmax, bobs);
                for (int h = 0; h < H; h++) {
                    sink_write(&sk[1 + 2 * h], bmax[h].s, bmax[h].len);
                    sink_write(&sk[2 + 2 * h], bobs[h].s, bobs[h].len);
                }
            }
        }
    }
    for (int i = 0; i < nsink; i++)
        if (sink_finish(&sk[i], err) != 0) goto out;
    /* an external scorer must end cleanly before anything is committed (scorer.h) */
    if (cm_scorer_finish((cm_model_t *)m, err) != 0) goto out;
    {
        cm_out_t **outs = cm_malloc((size_t)nsink * sizeof *outs);
        for (int i = 0; i < nsink; i++) { outs[i] = sk[i].out; sk[i].out = NULL; }
        opened = 0;
        ret = cm_out_commit_all(outs, nsink, err);
        free(outs);
    }
out:
    for (int i = 0; i < opened && i < nsink; i++) sink_abort(&sk[i]);
    if (t.r) cm_reader_close(t.r);
    for (int i = 0; i < chunk; i++) job_free(&jobs[i]);
    for (int h = 0; h < H; h++) { free(bmax[h].s); free(bobs[h].s); }
    free(bmax); free(bobs); free(jobs); free(sk); free(chrom);
    return ret;
}
