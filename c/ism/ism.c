/* ism.c — see ism.h. */
#include "ism/ism.h"
#include "ism/shuffle.h"
#include "core/rng.h"
#include "seq/seqio.h"
#include "core/textio.h"
#include "core/dna.h"

#include <htslib/khash.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

KHASH_MAP_INIT_STR(cm_ism_id, long)

const char *const cm_ism_pair_cols[CM_ISM_NPAIRCOL] = {
    "pair_id", "chrom", "source_tf", "source_motif", "source_start", "source_end",
    "source_strand", "target_tf", "target_motif", "target_start", "target_end",
    "target_strand", "distance", "position", "orientation", "window_start", "window_end",
    "homotypic"
};

/* pairs.tsv column indices used below */
enum { C_ID = 0, C_CHROM = 1, C_STF = 2, C_SSTART = 4, C_SEND = 5, C_TSTART = 9,
       C_TEND = 10, C_DIST = 12, C_WSTART = 15, C_WEND = 16, C_HOMO = 17 };

/* sources.tsv columns and the pairs.tsv column each one fills in a self row */
#define NSRCCOL 9
static const char *const src_cols[NSRCCOL] = {
    "site_id", "chrom", "tf", "motif", "start", "end", "strand", "window_start", "window_end"
};
static const int src_to_pair[NSRCCOL] = { 0, 1, 2, 3, 4, 5, 6, 15, 16 };

void cm_ism_opts_init(cm_ism_opts_t *o)
{
    o->draws = 10;
    o->seed = 1;
    o->ko = CM_KO_RANDOM;
    o->scale = CM_SCALE_PROB;
    o->threads = 1;
    o->chunk = 256;
    o->full_recompute = 0;
    o->shard.k = o->shard.n = 0;
}

/* ---------------------------------------------------------------- knockouts */

uint64_t cm_ism_key(uint64_t seed, cm_ism_kind_t kind, const char *id, cm_ism_role_t role, int draw)
{
    uint64_t k = cm_rng_key(UINT64_C(0x636f6f706d61702d), seed);   /* "coopmap-" */
    k = cm_rng_key(k, (uint64_t)kind);
    k = cm_rng_key(k, cm_rng_hash_str(id));
    k = cm_rng_key(k, (uint64_t)role);
    return cm_rng_key(k, (uint64_t)draw);
}

int cm_ism_parse_ko(const char *s, cm_ko_mode_t *mode, cm_err_t *err)
{
    if (cm_strieq(s, "random")) *mode = CM_KO_RANDOM;
    else if (cm_strieq(s, "shuffle")) *mode = CM_KO_SHUFFLE;
    else if (cm_strieq(s, "gc")) *mode = CM_KO_GC;
    else if (cm_strieq(s, "N")) *mode = CM_KO_NMASK;
    else return cm_fail(err, "--knockout: expected random, shuffle, gc or N, got '%s'", s);
    return 0;
}

int cm_ism_knockout(uint8_t *win, int L, int64_t wstart, int64_t s_start, int64_t s_end,
                    cm_ko_mode_t mode, uint64_t key)
{
    int64_t a = s_start > wstart ? s_start : wstart;
    int64_t b = s_end < wstart + L ? s_end : wstart + L;
    if (b <= a) return 0;
    uint8_t *w = win + (a - wstart);
    const int n = (int)(b - a);
    switch (mode) {
    case CM_KO_NMASK:
        memset(w, 4, (size_t)n);
        break;
    case CM_KO_SHUFFLE:
        cm_dinuc_shuffle(w, n, key);
        break;
    case CM_KO_GC: {
        int gcn = 0, acgt = 0;
        for (int i = 0; i < n; i++) {
            if (w[i] > 3) continue;
            acgt++;
            gcn += w[i] == 1 || w[i] == 2;
        }
        const double gc = acgt ? (double)gcn / acgt : 0.5;
        for (int64_t x = a; x < b; x++) {
            uint64_t k = (uint64_t)(x - s_start);
            int strong = cm_rng_double(key, 2 * k) < gc;
            int second = cm_rng_below(key, 2 * k + 1, 2) != 0;
            win[x - wstart] = (uint8_t)(strong ? (second ? 2 : 1) : (second ? 3 : 0));
        }
        break;
    }
    default:   /* CM_KO_RANDOM */
        for (int64_t x = a; x < b; x++)
            win[x - wstart] = (uint8_t)cm_rng_below(key, (uint64_t)(x - s_start), 4);
    }
    return n;
}

static double on_scale(float logit, cm_scale_t s)
{
    return s == CM_SCALE_LOGIT ? (double)logit : 1.0 / (1.0 + exp(-(double)logit));
}

int cm_ism_eval(const cm_model_t *m, const cm_ism_opts_t *o, cm_ism_row_t *r, cm_err_t *err)
{
    const int L = cm_model_input_length(m), H = cm_model_n_heads(m);
    const int D = o->ko == CM_KO_NMASK ? 1 : o->draws;
    const int nk = r->kind == CM_ISM_PAIR ? 3 : 1;
    const int n = 1 + nk * D;
    uint8_t *codes = cm_malloc((size_t)n * L);
    float *lg = cm_malloc((size_t)n * H * sizeof(float));
    memcpy(codes, r->win, (size_t)L);
    for (int d = 0; d < D; d++) {
        uint64_t ks = cm_ism_key(o->seed, r->kind, r->id, CM_ROLE_SOURCE, d);
        uint8_t *x = codes + (size_t)(1 + d * nk) * L;
        memcpy(x, r->win, (size_t)L);
        cm_ism_knockout(x, L, r->wstart, r->site[0][0], r->site[0][1], o->ko, ks);
        if (nk == 3) {
            uint64_t kt = cm_ism_key(o->seed, r->kind, r->id, CM_ROLE_TARGET, d);
            uint8_t *y = x + L, *z = x + 2 * (size_t)L;
            memcpy(y, r->win, (size_t)L);
            cm_ism_knockout(y, L, r->wstart, r->site[1][0], r->site[1][1], o->ko, kt);
            memcpy(z, x, (size_t)L);   /* source knockout, then the target's bases of y */
            int64_t a = r->site[1][0] > r->wstart ? r->site[1][0] : r->wstart;
            int64_t b = r->site[1][1] < r->wstart + L ? r->site[1][1] : r->wstart + L;
            if (b > a) memcpy(z + (a - r->wstart), y + (a - r->wstart), (size_t)(b - a));
        }
    }
    int rc;
    if (cm_model_has_incremental(m) && !o->full_recompute) {
        /* incremental (model.h predict_edits): each knockout is one edit of the baseline
         * window spanning its changed bases; a knockout that changes nothing (e.g. a
         * shuffle that gives the site back) is the baseline itself */
        cm_model_edit_t *ed = cm_malloc((size_t)n * sizeof *ed);
        int *which = cm_malloc((size_t)n * sizeof *which), ne = 0;
        for (int i = 1; i < n; i++) {
            const uint8_t *x = codes + (size_t)i * L;
            int lo = 0, hi = L;
            while (lo < L && x[lo] == r->win[lo]) lo++;
            if (lo == L) continue;
            while (hi > lo && x[hi - 1] == r->win[hi - 1]) hi--;
            ed[ne].start = lo;
            ed[ne].len = hi - lo;
            ed[ne].codes = x + lo;
            which[ne++] = i;
        }
        float *le = cm_malloc((size_t)(ne ? ne : 1) * H * sizeof(float));
        rc = cm_model_predict(m, codes, 1, lg, err);
        if (rc == 0) rc = cm_model_predict_edits(m, r->win, ne, ed, le, 0, err);
        if (rc == 0) {
            for (int i = 1; i < n; i++) memcpy(lg + (size_t)i * H, lg, (size_t)H * sizeof(float));
            for (int k = 0; k < ne; k++)
                memcpy(lg + (size_t)which[k] * H, le + (size_t)k * H, (size_t)H * sizeof(float));
        }
        free(le); free(which); free(ed);
    } else {
        rc = cm_model_predict(m, codes, n, lg, err);
    }
    if (rc == 0) {
        /* means of the per-draw differences from the baseline, so that a knockout that
         * leaves the prediction unchanged gives exactly 0 (no rounding bias) */
        double s[3] = { 0, 0, 0 }, si = 0;
        const double b = on_scale(lg[r->head], o->scale);
        for (int d = 0; d < D; d++) {
            double x[3] = { 0, 0, 0 };
            for (int j = 0; j < nk; j++) {
                x[j] = on_scale(lg[(size_t)(1 + d * nk + j) * H + r->head], o->scale) - b;
                s[j] += x[j];
            }
            if (nk == 3) si += x[2] - x[0] - x[1];   /* per-draw interaction */
        }
        r->baseline = b;
        r->draws = D;
        r->delta_source = s[0] / D;
        r->ko_source = b + r->delta_source;
        if (nk == 3) {
            r->delta_target = s[1] / D;
            r->interaction = si / D;
            r->ko_target = b + r->delta_target;
            r->ko_both = b + s[2] / D;
        } else {
            r->delta_target = r->interaction = r->ko_target = r->ko_both = NAN;
        }
    }
    free(codes);
    free(lg);
    return rc;
}

/* ---------------------------------------------------------------- output */

void cm_ism_write_header(FILE *fp)
{
    fputs("kind", fp);
    for (int i = 0; i < CM_ISM_NPAIRCOL; i++) fprintf(fp, "\t%s", cm_ism_pair_cols[i]);
    fputs("\thead\tbaseline\tko_source\tko_target\tko_both\tdelta_source\tdelta_target"
          "\tinteraction\tdraws\tseed\n", fp);
}

void cm_ism_write_row(FILE *fp, const cm_ism_row_t *r, const cm_ism_opts_t *o)
{
    fputs(r->kind == CM_ISM_PAIR ? "pair" : "self", fp);
    for (int i = 0; i < CM_ISM_NPAIRCOL; i++) fprintf(fp, "\t%s", r->col[i]);
    fprintf(fp, "\t%s\t%.6g\t%.6g", r->head_name, r->baseline, r->ko_source);
    if (r->kind == CM_ISM_PAIR)
        fprintf(fp, "\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g", r->ko_target, r->ko_both,
                r->delta_source, r->delta_target, r->interaction);
    else
        fprintf(fp, "\t\t\t%.6g\t\t", r->delta_source);
    fprintf(fp, "\t%d\t%llu\n", r->draws, (unsigned long long)o->seed);
}

/* ---------------------------------------------------------------- input tables */

typedef struct {
    cm_reader_t *r;
    const char *path;
    cm_ism_kind_t kind;
    int ncol;              /* fields per line (from the header) */
    int nneed;             /* columns we use */
    int idx[CM_ISM_NPAIRCOL];  /* field index of each used column */
    const int *dest;       /* pairs.tsv column each used column fills */
    khash_t(cm_ism_id) *ids;   /* site_id / pair_id -> line of the rows read so far */
} table_t;

static const int pair_identity[CM_ISM_NPAIRCOL] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17
};

static int table_open(table_t *t, const char *path, cm_ism_kind_t kind, cm_err_t *err)
{
    memset(t, 0, sizeof *t);
    t->path = path;
    t->kind = kind;
    const char *const *need = kind == CM_ISM_PAIR ? cm_ism_pair_cols : src_cols;
    t->nneed = kind == CM_ISM_PAIR ? CM_ISM_NPAIRCOL : NSRCCOL;
    t->dest = kind == CM_ISM_PAIR ? pair_identity : src_to_pair;
    if (!(t->r = cm_reader_open(path, err))) return -1;
    int rc;
    while ((rc = cm_reader_next(t->r, err)) == 1)
        if (t->r->line[0] != '#' && t->r->len > 0) break;
    if (rc < 0) return -1;
    if (rc == 0)
        return cm_fail(err, "%s: no header line (expected columns %s ...)", path, need[0]);
    char *copy = cm_strdup(t->r->line);
    int cap = (int)t->r->len + 1;
    char **f = cm_malloc((size_t)cap * sizeof *f);
    t->ncol = cm_split_tabs(copy, f, cap);
    int ret = 0;
    for (int j = 0; j < t->nneed && ret == 0; j++) {
        t->idx[j] = -1;
        for (int i = 0; i < t->ncol; i++)
            if (strcmp(f[i], need[j]) == 0) { t->idx[j] = i; break; }
        if (t->idx[j] < 0)
            ret = cm_fail(err, "%s:%ld: header has no column '%s' (a %s file needs: %s ...)",
                          path, t->r->lineno, need[j],
                          kind == CM_ISM_PAIR ? "pairs.tsv" : "sources.tsv", need[0]);
    }
    free(f);
    free(copy);
    return ret;
}

static void table_close(table_t *t)
{
    cm_reader_close(t->r);
    t->r = NULL;
    if (t->ids) {
        for (khiter_t k = kh_begin(t->ids); k != kh_end(t->ids); k++)
            if (kh_exist(t->ids, k)) free((char *)kh_key(t->ids, k));
        kh_destroy(cm_ism_id, t->ids);
        t->ids = NULL;
    }
}

/* Record the id (len bytes) of the current row; -1 with err when an earlier row of the
 * table has it: the RNG key of a knockout draw is made from the id (ism.h), so two rows
 * sharing one would share their random draws, and coopmap-stats refuses such
 * effects.tsv rows anyway (a file concatenated twice, or from two runs). */
static int table_id(table_t *t, const char *id, size_t len, cm_err_t *err)
{
    if (!t->ids) t->ids = kh_init(cm_ism_id);
    char *key = cm_malloc(len + 1);
    memcpy(key, id, len);
    key[len] = 0;
    int ret;
    khiter_t k = kh_put(cm_ism_id, t->ids, key, &ret);
    if (ret < 0) cm_oom();
    if (ret == 0) {
        cm_fail(err, "%s:%ld: %s '%s' is used twice (first at line %ld): every row needs its "
                "own id (a file concatenated twice, or from two runs?)", t->path, t->r->lineno,
                t->kind == CM_ISM_PAIR ? "pair_id" : "site_id", key, kh_val(t->ids, k));
        free(key);
        return -1;
    }
    kh_val(t->ids, k) = t->r->lineno;
    return 0;
}

static void row_free(cm_ism_row_t *r)
{
    free(r->buf_);
    free(r->win);
    memset(r, 0, sizeof *r);
}

static int parse_pos(const table_t *t, const char *s, const char *what, int64_t *out, cm_err_t *err)
{
    long v;
    if (cm_parse_long(s, &v) != 0 || v < 0)
        return cm_fail(err, "%s:%ld: %s '%s' is not a non-negative integer", t->path,
                       t->r->lineno, what, s);
    *out = v;
    return 0;
}

/* Advance to the next data line (not '#', not empty).  1, 0 at EOF, -1. */
static int table_next_line(table_t *t, cm_err_t *err)
{
    int rc;
    while ((rc = cm_reader_next(t->r, err)) == 1)
        if (t->r->line[0] != '#' && t->r->len > 0) break;
    return rc;
}

/* Number of data rows of the table at path (after its header line) into *n. */
static int table_count(const char *path, cm_ism_kind_t kind, int64_t *n, cm_err_t *err)
{
    table_t t;
    int rc;
    *n = 0;
    if (table_open(&t, path, kind, err) != 0) { table_close(&t); return -1; }
    while ((rc = table_next_line(&t, err)) == 1) {   /* ids of every shard's rows */
        const char *l = t.r->line;
        for (int i = 0; i < t.idx[0] && l; i++) {
            l = strchr(l, '\t');
            if (l) l++;
        }
        if (l && table_id(&t, l, strcspn(l, "\t"), err) != 0) { rc = -1; break; }
        (*n)++;
    }
    table_close(&t);
    return rc < 0 ? -1 : 0;
}

/* Next data row into r (fields only; no head / window yet).  1, 0 at EOF, -1. */
static int table_next(table_t *t, cm_ism_row_t *r, cm_err_t *err)
{
    static const char *const empty = "";
    int rc = table_next_line(t, err);
    if (rc <= 0) return rc;
    memset(r, 0, sizeof *r);
    r->kind = t->kind;
    r->buf_ = cm_strdup(t->r->line);
    char **f = cm_malloc((size_t)(t->ncol + 1) * sizeof *f);
    int nf = cm_split_tabs(r->buf_, f, t->ncol + 1);
    if (nf != t->ncol) {
        cm_fail(err, "%s:%ld: %d fields, the header has %d", t->path, t->r->lineno, nf, t->ncol);
        free(f);
        return -1;
    }
    for (int i = 0; i < CM_ISM_NPAIRCOL; i++) r->col[i] = (char *)empty;
    for (int j = 0; j < t->nneed; j++) r->col[t->dest[j]] = f[t->idx[j]];
    free(f);
    r->id = r->col[C_ID];
    if (!r->id[0]) return cm_fail(err, "%s:%ld: empty %s", t->path, t->r->lineno,
                                  t->kind == CM_ISM_PAIR ? "pair_id" : "site_id");
    if (table_id(t, r->id, strlen(r->id), err) != 0) return -1;
    if (!r->col[C_CHROM][0]) return cm_fail(err, "%s:%ld: empty chrom", t->path, t->r->lineno);
    const int pc = t->kind == CM_ISM_PAIR;
    if (parse_pos(t, r->col[C_SSTART], pc ? "source_start" : "start", &r->site[0][0], err)
        || parse_pos(t, r->col[C_SEND], pc ? "source_end" : "end", &r->site[0][1], err)
        || parse_pos(t, r->col[C_WSTART], "window_start", &r->wstart, err)
        || parse_pos(t, r->col[C_WEND], "window_end", &r->wend, err))
        return -1;
    if (r->site[0][1] <= r->site[0][0])
        return cm_fail(err, "%s:%ld: site end %lld <= start %lld", t->path, t->r->lineno,
                       (long long)r->site[0][1], (long long)r->site[0][0]);
    if (pc) {
        if (parse_pos(t, r->col[C_TSTART], "target_start", &r->site[1][0], err)
            || parse_pos(t, r->col[C_TEND], "target_end", &r->site[1][1], err))
            return -1;
        if (r->site[1][1] <= r->site[1][0])
            return cm_fail(err, "%s:%ld: target_end %lld <= target_start %lld", t->path,
                           t->r->lineno, (long long)r->site[1][1], (long long)r->site[1][0]);
        double d;   /* passed through to effects.tsv, whose reader needs them sane */
        if (cm_parse_double(r->col[C_DIST], &d) != 0 || !(d >= 0) || !isfinite(d))
            return cm_fail(err, "%s:%ld: distance '%s' is not a finite number >= 0", t->path,
                           t->r->lineno, r->col[C_DIST]);
        if (strcmp(r->col[C_HOMO], "0") != 0 && strcmp(r->col[C_HOMO], "1") != 0)
            return cm_fail(err, "%s:%ld: homotypic '%s' is not 0 or 1", t->path, t->r->lineno,
                           r->col[C_HOMO]);
    }
    if (r->wend <= r->wstart)
        return cm_fail(err, "%s:%ld: window_end %lld <= window_start %lld", t->path,
                       t->r->lineno, (long long)r->wend, (long long)r->wstart);
    for (int k = 0; k <= pc; k++)   /* a knockout must change something */
        if (r->site[k][1] <= r->wstart || r->site[k][0] >= r->wend)
            return cm_fail(err, "%s:%ld: %s site %lld-%lld lies outside the window %lld-%lld",
                           t->path, t->r->lineno, k ? "target" : "source",
                           (long long)r->site[k][0], (long long)r->site[k][1],
                           (long long)r->wstart, (long long)r->wend);
    return 1;
}

/* Evaluate and write one table, chunk by chunk: only its rows whose global index
 * (*gi, counted over SOURCES then PAIRS and advanced here) lies in [st->lo, st->hi);
 * rows before lo are skipped unread, reading stops at hi. */
static int run_table(const cm_model_t *m, cm_genome_t *g, const char *path, cm_ism_kind_t kind,
                     const cm_ism_opts_t *o, FILE *fp, cm_ism_stats_t *st, int64_t *gi,
                     cm_err_t *err)
{
    table_t t;
    const int L = cm_model_input_length(m);
    int chunk = o->chunk > 0 ? o->chunk : 256;
    cm_ism_row_t *rows = cm_calloc((size_t)chunk, sizeof *rows);
    cm_err_t *errs = cm_calloc((size_t)chunk, sizeof *errs);
    int *bad = cm_calloc((size_t)chunk, sizeof *bad);
    int ret = -1, n = 0, rc = 0;
    if (table_open(&t, path, kind, err) != 0) goto out;
    for (;;) {
        n = 0;
        while (n < chunk) {
            if (*gi >= st->hi) { rc = 0; break; }   /* the shard's rows are done */
            if (*gi < st->lo) {                     /* another shard's row */
                if ((rc = table_next_line(&t, err)) != 1) break;
                (*gi)++;
                continue;
            }
            if ((rc = table_next(&t, &rows[n], err)) != 1) break;
            (*gi)++;
            cm_ism_row_t *r = &rows[n];
            if (r->wend - r->wstart != L) {
                cm_fail(err, "%s:%ld: window %s:%s-%s is %lld bp, the model's input length is %d",
                        path, t.r->lineno, r->col[C_CHROM], r->col[C_WSTART], r->col[C_WEND],
                        (long long)(r->wend - r->wstart), L);
                rc = -1;
                break;
            }
            /* a file from another genome fails even on rows that would be skipped */
            int64_t clen = cm_genome_seq_len(g, r->col[C_CHROM]);
            if (clen < 0 || r->wend > clen) {
                if (clen < 0)
                    cm_fail(err, "%s:%ld: %s: no sequence named '%s'", path, t.r->lineno,
                            cm_genome_path(g), r->col[C_CHROM]);
                else
                    cm_fail(err, "%s:%ld: %s: window %s:%lld-%lld runs past the end of %s (length %lld)",
                            path, t.r->lineno, cm_genome_path(g), r->col[C_CHROM],
                            (long long)r->wstart, (long long)r->wend, r->col[C_CHROM], (long long)clen);
                rc = -1;
                break;
            }
            r->head = cm_model_head_index(m, r->col[C_STF]);
            if (r->head < 0) {
                if (kind == CM_ISM_PAIR) st->pair_skipped++; else st->self_skipped++;
                row_free(r);
                continue;
            }
            r->head_name = cm_model_head_name(m, r->head);
            r->win = cm_malloc((size_t)L);
            cm_err_t e2 = {{0}};
            if (cm_genome_fetch(g, r->col[C_CHROM], r->wstart, r->wstart + L, r->win, &e2) != 0) {
                cm_fail(err, "%s:%ld: %s", path, t.r->lineno, e2.msg);
                rc = -1;
                break;
            }
            n++;
        }
        if (rc < 0) { n++; goto out; }   /* rows[n] partly filled: free it too */
        if (n == 0) break;
#pragma omp parallel for schedule(dynamic, 1) num_threads(o->threads)
        for (int i = 0; i < n; i++)
            bad[i] = cm_ism_eval(m, o, &rows[i], &errs[i]) != 0;
        for (int i = 0; i < n; i++)
            if (bad[i]) { cm_fail(err, "%s: %s", path, errs[i].msg); goto out; }
        for (int i = 0; i < n; i++) {
            cm_ism_write_row(fp, &rows[i], o);
            row_free(&rows[i]);
        }
        if (kind == CM_ISM_PAIR) st->pair_rows += n; else st->self_rows += n;
        if (rc == 0) { n = 0; break; }
    }
    ret = 0;
out:
    for (int i = 0; i < n && i < chunk; i++) row_free(&rows[i]);
    if (t.r) table_close(&t);
    free(rows); free(errs); free(bad);
    return ret;
}

int cm_ism_run(const cm_model_t *m, cm_genome_t *g, const char *sources, const char *pairs,
               const cm_ism_opts_t *o, FILE *fp, cm_ism_stats_t *st, cm_err_t *err)
{
    memset(st, 0, sizeof *st);
    int64_t gi = 0;
    st->lo = 0;
    st->hi = st->total = INT64_MAX;
    if (o->shard.n > 0) {   /* the shard's range needs the number of rows first */
        int64_t ns = 0, np = 0;
        if ((sources && table_count(sources, CM_ISM_SELF, &ns, err) != 0)
            || (pairs && table_count(pairs, CM_ISM_PAIR, &np, err) != 0))
            return -1;
        st->total = ns + np;
        cm_shard_range(&o->shard, st->total, &st->lo, &st->hi);
    }
    if (sources && run_table(m, g, sources, CM_ISM_SELF, o, fp, st, &gi, err) != 0) return -1;
    if (pairs && run_table(m, g, pairs, CM_ISM_PAIR, o, fp, st, &gi, err) != 0) return -1;
    if (o->shard.n == 0) st->hi = st->total = gi;
    return 0;
}

#define SKIP_FMT "# skipped %ld rows (%ld sources, %ld pairs): source TF has no model head"

void cm_ism_write_trailer(FILE *fp, const cm_ism_opts_t *o, const cm_ism_stats_t *st)
{
    long sk = st->self_skipped + st->pair_skipped;
    fprintf(fp, SKIP_FMT "\n", sk, st->self_skipped, st->pair_skipped);
    if (o->shard.n > 0)
        fprintf(fp, "# shard %d/%d: rows %lld-%lld of %lld\n", o->shard.k, o->shard.n,
                (long long)st->lo, (long long)st->hi, (long long)st->total);
}

/* ---------------------------------------------------------------- --merge */


int cm_ism_merge(char *const *paths, int n, FILE *fp, long *rows, cm_err_t *err)
{
    char *prov = NULL, *header = NULL;
    long ss = 0, sp = 0;
    int64_t next_lo = 0, total = -1;
    int ret = -1;
    *rows = 0;
    if (n < 1) return cm_fail(err, "--merge: no shard files given");
    for (int f = 0; f < n; f++) {
        cm_reader_t *r = cm_reader_open(paths[f], err);
        if (!r) goto out;
        int rc, seen_shard = 0, seen_skip = 0;
        long line = 0;
        while ((rc = cm_reader_next(r, err)) == 1) {
            line++;
            const char *l = r->line;
            if (seen_shard) {
                cm_fail(err, "%s:%ld: a line after the '# shard' line", paths[f], r->lineno);
                break;
            }
            if (line == 1) {
                if (strncmp(l, "# coopmap-ism ", 14) != 0) {
                    cm_fail(err, "%s:1: not a coopmap-ism effects file (no '# coopmap-ism' line)", paths[f]);
                    break;
                }
                if (!prov) prov = cm_strdup(l);
                else if (strcmp(prov, l) != 0) {
                    cm_fail(err, "%s:1: the provenance line differs from %s's: shards of different runs?",
                            paths[f], paths[0]);
                    break;
                }
                if (f == 0) fprintf(fp, "%s\n", l);
            } else if (line == 2) {
                if (strncmp(l, "kind\t", 5) != 0) {
                    cm_fail(err, "%s:2: expected the effects.tsv header line", paths[f]);
                    break;
                }
                if (!header) header = cm_strdup(l);
                else if (strcmp(header, l) != 0) {
                    cm_fail(err, "%s:2: the header differs from %s's", paths[f], paths[0]);
                    break;
                }
                if (f == 0) fprintf(fp, "%s\n", l);
            } else if (l[0] == '#') {
                long a, b, c;
                int k, nn, used = -1;
                long long lo, hi, tot;
                if (sscanf(l, SKIP_FMT "%n", &a, &b, &c, &used) == 3 && used == (int)r->len && !seen_skip) {
                    seen_skip = 1;
                    ss += b;
                    sp += c;
                } else if (sscanf(l, "# shard %d/%d: rows %lld-%lld of %lld%n", &k, &nn, &lo, &hi, &tot,
                                  &used) == 5 && used == (int)r->len) {
                    seen_shard = 1;
                    if (nn != n || k != f + 1) {
                        cm_fail(err, "%s:%ld: shard %d/%d given as shard %d of %d: give the %d shards "
                                "of one run, in order", paths[f], r->lineno, k, nn, f + 1, n, nn);
                        break;
                    }
                    if (total < 0) total = tot;
                    if (tot != total || lo != next_lo || hi < lo || hi > tot) {
                        cm_fail(err, "%s:%ld: rows %lld-%lld of %lld do not follow the previous shard's "
                                "(next row %lld of %lld)", paths[f], r->lineno, lo, hi, tot,
                                (long long)next_lo, (long long)total);
                        break;
                    }
                    next_lo = hi;
                } else {
                    cm_fail(err, "%s:%ld: unexpected '#' line", paths[f], r->lineno);
                    break;
                }
            } else {
                if (seen_skip) {
                    cm_fail(err, "%s:%ld: a row after the trailer lines", paths[f], r->lineno);
                    break;
                }
                fprintf(fp, "%s\n", l);
                (*rows)++;
            }
        }
        if (rc == 0 && line < 2) cm_fail(err, "%s: empty or truncated (no header)", paths[f]), rc = -1;
        else if (rc == 0 && !seen_shard)
            cm_fail(err, "%s: no '# shard K/N' line at the end: not a --shard output, or cut short",
                    paths[f]), rc = -1;
        else if (rc == 0 && !seen_skip)
            cm_fail(err, "%s: no '# skipped' line: cut short?", paths[f]), rc = -1;
        cm_reader_close(r);
        if (rc != 0) goto out;
    }
    if (next_lo != total) {
        cm_fail(err, "%s: the shards end at row %lld of %lld", paths[n - 1], (long long)next_lo,
                (long long)total);
        goto out;
    }
    fprintf(fp, SKIP_FMT "\n", ss + sp, ss, sp);
    ret = 0;
out:
    free(prov);
    free(header);
    return ret;
}

/* ---------------------------------------------------------------- --predict */

int cm_ism_predict_fasta(const cm_model_t *m, const char *fasta, int threads, FILE *fp,
                         long *n_out, cm_err_t *err)
{
    const int L = cm_model_input_length(m), H = cm_model_n_heads(m);
    enum { BATCH = 1024 };
    cm_fasta_t *f = cm_fasta_open(fasta, err);
    if (!f) return -1;
    char **names = cm_calloc(BATCH, sizeof *names);
    uint8_t *codes = cm_malloc((size_t)BATCH * L);
    float *lg = cm_malloc((size_t)BATCH * H * sizeof(float));
    int *bad = cm_calloc(BATCH, sizeof *bad);
    cm_err_t *errs = cm_calloc(BATCH, sizeof *errs);
    cm_seqrec_t rec = {0};
    int ret = -1, rc = 1, n = 0;
    *n_out = 0;
    fputs("name", fp);
    for (int h = 0; h < H; h++)
        fprintf(fp, "\tlogit_%s\tprob_%s", cm_model_head_name(m, h), cm_model_head_name(m, h));
    fputc('\n', fp);
    while (rc == 1) {
        n = 0;
        while (n < BATCH && (rc = cm_fasta_next(f, &rec, err)) == 1) {
            if (rec.len != (size_t)L) {
                cm_fail(err, "%s:%ld: sequence '%s' is %zu bp, the model's input length is %d",
                        fasta, rec.lineno, rec.name, rec.len, L);
                goto out;
            }
            for (int j = 0; j < L; j++) codes[(size_t)n * L + j] = cm_nt4((unsigned char)rec.seq[j]);
            free(names[n]);
            names[n++] = cm_strdup(rec.name);
        }
        if (rc < 0) goto out;
        /* one model call per thread's share (at most 256 windows): large batches for
         * an external scorer, whose calls are serialised; results do not depend on
         * the batch (model.h), so the output does not depend on threads */
        int per = (n + threads - 1) / threads;
        if (per > 256) per = 256;
        if (per < 1) per = 1;
        int ngroup = (n + per - 1) / per;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (int gi = 0; gi < ngroup; gi++) {
            int i0 = gi * per, nb = n - i0 < per ? n - i0 : per;
            bad[gi] = cm_model_predict(m, codes + (size_t)i0 * L, nb, lg + (size_t)i0 * H, &errs[gi]) != 0;
        }
        for (int gi = 0; gi < ngroup; gi++)
            if (bad[gi]) { cm_fail(err, "%s: %s", fasta, errs[gi].msg); goto out; }
        for (int i = 0; i < n; i++) {
            fputs(names[i], fp);
            for (int h = 0; h < H; h++) {
                float x = lg[(size_t)i * H + h];
                fprintf(fp, "\t%.6g\t%.6g", x, 1.0 / (1.0 + exp(-(double)x)));
            }
            fputc('\n', fp);
        }
        *n_out += n;
    }
    ret = 0;
out:
    for (int i = 0; i < BATCH; i++) free(names[i]);
    free(names); free(codes); free(lg); free(bad); free(errs);
    cm_seqrec_free(&rec);
    cm_fasta_close(f);
    return ret;
}
