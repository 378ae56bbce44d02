/* scan.c — see scan.h. */
#include "scan/scan.h"
#include "motif/background.h"
#include "core/dna.h"
#include "seq/fachunk.h"
#include "scan/scan_engine.h"
#include "seq/seqio.h"

#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
static int omp_thread(void) { return omp_get_thread_num(); }
#else
static int omp_thread(void) { return 0; }
#endif

void cm_scan_opts_init(cm_scan_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->thresh = 1e-4;
    o->pseudo = 0.1;
    o->bfile = NULL;
    o->norc = 0;
    o->pgc = 1;
    o->threads = 1;
    o->batch_bases = (size_t)8 << 20;
    o->spill_bytes = (size_t)64 << 20;
}

int cm_scanner_init(cm_scanner_t *sc, const cm_motifset_t *set, const cm_scan_opts_t *o,
                    cm_err_t *err)
{
    memset(sc, 0, sizeof *sc);
    if (cm_bg_resolve(o->bfile, set, sc->bg, err) != 0) return -1;
    cm_bg_finish(sc->bg, !o->norc);
    sc->n = set->n;
    sc->motifs = set->m;
    sc->norc = o->norc;
    sc->fwd = cm_calloc(set->n ? set->n : 1, sizeof *sc->fwd);
    sc->rc = cm_calloc(set->n ? set->n : 1, sizeof *sc->rc);
    sc->min_fwd = cm_calloc(set->n ? set->n : 1, sizeof *sc->min_fwd);
    sc->min_rc = cm_calloc(set->n ? set->n : 1, sizeof *sc->min_rc);
    for (int k = 0; k < set->n; k++)
        if (set->m[k].w < 1) {
            cm_fail(err, "%s:%ld: motif %s has no columns", set->path ? set->path : "motifs",
                    set->m[k].lineno, set->m[k].id);
            cm_scanner_free(sc);
            return -1;
        }
    /* matrices and p-value tables of the motifs in parallel; the first failure (in
     * file order) is then rebuilt to report its message */
    int bad = set->n;
    #pragma omp parallel for schedule(dynamic, 1) num_threads(o->threads > 0 ? o->threads : 1) reduction(min:bad)
    for (int k = 0; k < set->n; k++) {
        if (cm_pssm_build(&set->m[k], set->path, sc->bg, o->pseudo, CM_PSSM_RANGE, &sc->fwd[k], NULL) != 0) {
            if (k < bad) bad = k;
            continue;
        }
        sc->min_fwd[k] = cm_pssm_min_score(&sc->fwd[k], o->thresh);
        if (!o->norc) {
            cm_pssm_revcomp(&sc->fwd[k], sc->bg, &sc->rc[k]);
            sc->min_rc[k] = cm_pssm_min_score(&sc->rc[k], o->thresh);
        }
    }
    if (bad < set->n) {
        cm_pssm_t tmp;
        cm_pssm_build(&set->m[bad], set->path, sc->bg, o->pseudo, CM_PSSM_RANGE, &tmp, err);
        cm_pssm_free(&tmp);
        cm_scanner_free(sc);
        return -1;
    }
    return 0;
}

void cm_scanner_free(cm_scanner_t *sc)
{
    if (!sc) return;
    for (int k = 0; k < sc->n; k++) {
        if (sc->rc) cm_pssm_free(&sc->rc[k]);
        if (sc->fwd) cm_pssm_free(&sc->fwd[k]);
    }
    free(sc->fwd); free(sc->rc); free(sc->min_fwd); free(sc->min_rc);
    memset(sc, 0, sizeof *sc);
}

/* ---- header coordinates ---- */

typedef struct {
    regex_t ucsc, galaxy;
} coord_re_t;

static void coord_re_init(coord_re_t *re)
{
    regcomp(&re->ucsc, "([^[:space:]:]+):([[:digit:]]+)-([[:digit:]]+)", REG_EXTENDED);
    /* FIMO 5.5.8's Galaxy form: the name is GENOME_CHROM, both fields (mm9_chr18) */
    regcomp(&re->galaxy, "([^[:space:]_]+_[^[:space:]_]+)_([[:digit:]]+)_([[:digit:]]+)",
            REG_EXTENDED);
}

static void coord_re_free(coord_re_t *re)
{
    regfree(&re->ucsc);
    regfree(&re->galaxy);
}

static int parse_coords_re(const coord_re_t *re, const char *name, const char *desc,
                           char **chrom, long *offset)
{
    size_t nl = strlen(name), dl = desc ? strlen(desc) : 0;
    char *h = cm_malloc(nl + dl + 2);
    memcpy(h, name, nl);
    h[nl] = 0;
    if (dl) { h[nl] = ' '; memcpy(h + nl + 1, desc, dl + 1); }
    regmatch_t m[5];
    int cg = -1, sg = -1;
    if (regexec(&re->ucsc, h, 5, m, 0) == 0) cg = 1, sg = 2;
    else if (regexec(&re->galaxy, h, 5, m, 0) == 0) cg = 1, sg = 2;
    if (cg < 0) {
        free(h);
        *chrom = cm_strdup(name);
        *offset = 0;
        return 0;
    }
    size_t cl = (size_t)(m[cg].rm_eo - m[cg].rm_so);
    *chrom = cm_malloc(cl + 1);
    memcpy(*chrom, h + m[cg].rm_so, cl);
    (*chrom)[cl] = 0;
    *offset = strtol(h + m[sg].rm_so, NULL, 10) - 1;
    free(h);
    return 1;
}

int cm_parse_coords(const char *name, const char *desc, char **chrom, long *offset)
{
    coord_re_t re;
    coord_re_init(&re);
    int r = parse_coords_re(&re, name, desc, chrom, offset);
    coord_re_free(&re);
    return r;
}

typedef struct {
    void (*emit)(void *, size_t, char, int);
    void *data;
    size_t base;
} range_ctx_t;

static void range_emit(void *d, size_t start0, char strand, int iscore)
{
    range_ctx_t *r = d;
    r->emit(r->data, r->base + start0, strand, iscore);
}

/* ---- the inner loop (for tests and benchmarks; the driver uses scan_engine.h) ---- */

void cm_scan_range(const cm_scanner_t *sc, int k, const unsigned char *codes, size_t len,
                   size_t from, size_t to,
                   void (*emit)(void *data, size_t start0, char strand, int iscore),
                   void *data)
{
    int w = sc->fwd[k].w;
    if (len < (size_t)w) return;
    if (to > len - w + 1) to = len - w + 1;
    if (from >= to) return;
    int ff = sc->min_fwd[k] <= sc->fwd[k].max_score;
    int fr = !sc->norc && sc->min_rc[k] <= sc->rc[k].max_score;
    if (!ff && !fr) return;
    cm_look_t lf = {0}, lr = {0};
    if (ff) cm_look_init(&lf, &sc->fwd[k], sc->min_fwd[k]);
    if (fr) cm_look_init(&lr, &sc->rc[k], sc->min_rc[k]);
    /* packed 4-mers and ACGT runs of the bases from..to+w−2 (indexed from 0 = from) */
    size_t n = to - from + (size_t)w - 1;
    const unsigned char *c = codes + from;
    unsigned char *pk = cm_malloc(n);
    uint32_t *rs = cm_malloc((n / 2 + 1) * sizeof *rs), *re = cm_malloc((n / 2 + 1) * sizeof *re);
    size_t nr = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned x = 0;
        for (size_t u = 0; u < 4; u++) x = (x << 2) | (i + u < n ? (c[i + u] & 3u) : 0u);
        pk[i] = (unsigned char)x;
    }
    for (size_t i = 0; i < n;) {
        if (c[i] > 3) { i++; continue; }
        rs[nr] = (uint32_t)i;
        while (i < n && c[i] <= 3) i++;
        re[nr++] = (uint32_t)i;
    }
    range_ctx_t rc = {emit, data, from};
    cm_linear_scan(ff ? &lf : NULL, fr ? &lr : NULL, w, pk, rs, re, nr, 0, to - from, range_emit, &rc);
    free(pk); free(rs); free(re);
    cm_look_free(&lf);
    cm_look_free(&lr);
}

/* ---- batches, tasks, hit records ---- */

/* A hit record: header then w matched letters (no NUL). */
typedef struct {
    int64_t pos0;     /* 0-based window start within the record */
    int32_t sid;      /* global sequence index */
    int32_t iscore;
    char strand;
    char pad_[7];
} hrec_t;

typedef struct { char *p; size_t n, cap; } buf_t;

static void buf_put(buf_t *b, const void *x, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 256;
        b->p = cm_realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, x, n);
    b->n += n;
}

/* One chunk of a batch (fachunk.h) with its per-motif hit records. */
typedef struct {
    int sid;                 /* global sequence index */
    size_t start;            /* record position of text[0] */
    char *text;              /* letters as read */
    size_t len;
    int last;                /* last chunk of its record */
    buf_t *out;              /* per motif */
    uint64_t *tested;        /* per motif: windows scanned in this chunk */
} bseq_t;

typedef struct {
    buf_t *out;
    const bseq_t *s;
    int w;
} emit_ctx_t;

static void emit_rec(void *data, size_t start0, char strand, int iscore)
{
    emit_ctx_t *e = data;
    hrec_t h;
    memset(&h, 0, sizeof h);
    h.pos0 = (int64_t)(e->s->start + start0);
    h.sid = e->s->sid;
    h.iscore = iscore;
    h.strand = strand;
    buf_put(e->out, &h, sizeof h);
    char tmp[256], *m = e->w <= 256 ? tmp : cm_malloc((size_t)e->w);
    const char *src = e->s->text + start0;
    if (strand == '+') {
        memcpy(m, src, (size_t)e->w);
    } else {
        for (int t = 0; t < e->w; t++)
            m[t] = (char)toupper((unsigned char)cm_comp_letter(src[e->w - 1 - t]));
    }
    buf_put(e->out, m, (size_t)e->w);
    if (m != tmp) free(m);
}

typedef struct { long off; size_t len; } spill_chunk_t;

typedef struct {
    buf_t *mem;                /* record buffers not yet spilled, in order (owned; moved
                                * here from the chunks, not copied) */
    int nmem, mcap;
    spill_chunk_t *ch;
    int nch, cap;
} motif_hits_t;

typedef struct {
    char **name;
    long *offset;
    char **label;     /* per sequence: region name or NULL */
    int n, cap;
} names_t;

/* Reported score and p-value per (strand, integer score) of one motif, computed on
 * first use (their 10-digit rounding goes through printf/strtod): shared by all the
 * record buffers of the motif. */
typedef struct {
    int k, top;
    double *cs[2], *cp[2];
} score_cache_t;

static void score_cache_init(score_cache_t *c, const cm_scanner_t *sc, int k)
{
    c->k = k;
    c->top = sc->fwd[k].max_score > sc->rc[k].max_score ? sc->fwd[k].max_score : sc->rc[k].max_score;
    for (int t = 0; t < 2; t++) {
        c->cs[t] = cm_malloc(((size_t)c->top + 1) * sizeof *c->cs[t]);
        c->cp[t] = cm_malloc(((size_t)c->top + 1) * sizeof *c->cp[t]);
        for (int x = 0; x <= c->top; x++) c->cs[t][x] = NAN;
    }
}

static void score_cache_free(score_cache_t *c)
{
    for (int t = 0; t < 2; t++) { free(c->cs[t]); free(c->cp[t]); }
}

/* Hand the hit records p[0..n) of motif c->k to fn, counting them in *count. */
static int deliver(const cm_scanner_t *sc, score_cache_t *c, const char *p, size_t n,
                   const names_t *nm, cm_hit_fn fn, void *data, long *count, cm_err_t *err)
{
    int k = c->k, w = sc->fwd[k].w;
    size_t rs = sizeof(hrec_t) + (size_t)w;
    char *mt = cm_malloc((size_t)w + 1);
    for (size_t o = 0; o + rs <= n; o += rs) {
        hrec_t h;
        memcpy(&h, p + o, sizeof h);
        memcpy(mt, p + o + sizeof h, (size_t)w);
        mt[w] = 0;
        const cm_pssm_t *ps = h.strand == '+' ? &sc->fwd[k] : &sc->rc[k];
        cm_hit_t hit;
        hit.motif = k;
        hit.motif_id = sc->motifs[k].id;
        hit.motif_alt = sc->motifs[k].alt ? sc->motifs[k].alt : "";
        hit.seq_name = nm->name[h.sid];
        hit.seq_index = (int)h.sid;
        hit.region = nm->label[h.sid];
        hit.start = nm->offset[h.sid] + (long)h.pos0 + 1;
        hit.stop = hit.start + w - 1;
        hit.strand = h.strand;
        hit.iscore = h.iscore;
        int t = h.strand == '-';
        if (h.iscore >= 0 && h.iscore <= c->top) {
            if (isnan(c->cs[t][h.iscore])) {
                c->cs[t][h.iscore] = cm_pssm_score(ps, h.iscore);
                c->cp[t][h.iscore] = cm_pssm_pvalue(ps, h.iscore);
            }
            hit.score = c->cs[t][h.iscore];
            hit.pvalue = c->cp[t][h.iscore];
        } else {
            hit.score = cm_pssm_score(ps, h.iscore);
            hit.pvalue = cm_pssm_pvalue(ps, h.iscore);
        }
        hit.qvalue = NAN;
        hit.matched = mt;
        (*count)++;
        if (fn(&hit, data, err) != 0) {
            free(mt);
            if (!err || !err->msg[0]) cm_fail(err, "scan stopped by the output writer");
            return -1;
        }
    }
    free(mt);
    return 0;
}

/* Read up to nbatch chunks from next into bs[0..*nb), registering each new sequence's
 * name in nm (coordinates parsed with re when pgc).  Returns next's last answer: 1 =
 * the batch is full (more may follow), 0 = the source ended, -1 with err. */
static int read_batch(cm_chunk_fn next, void *src, bseq_t *bs, size_t nbatch, names_t *nm,
                      const coord_re_t *re, int pgc, int *nb, cm_err_t *err)
{
    cm_chunk_t ck;
    int rc = 1;
    *nb = 0;
    while ((size_t)*nb < nbatch && (rc = next(src, &ck, err)) == 1) {
        if (ck.first) {
            if (nm->n == INT32_MAX) return cm_fail(err, "too many sequences (more than 2^31 - 1)");
            if (nm->n == nm->cap) {
                nm->cap = nm->cap ? nm->cap * 2 : 64;
                nm->name = cm_realloc(nm->name, (size_t)nm->cap * sizeof *nm->name);
                nm->offset = cm_realloc(nm->offset, (size_t)nm->cap * sizeof *nm->offset);
                nm->label = cm_realloc(nm->label, (size_t)nm->cap * sizeof *nm->label);
            }
            nm->label[nm->n] = ck.label ? cm_strdup(ck.label) : NULL;
            if (ck.has_offset) {
                nm->name[nm->n] = cm_strdup(ck.name);
                nm->offset[nm->n] = ck.offset;
            } else if (pgc) {
                parse_coords_re(re, ck.name, ck.desc, &nm->name[nm->n], &nm->offset[nm->n]);
            } else {
                nm->name[nm->n] = cm_strdup(ck.name);
                nm->offset[nm->n] = 0;
            }
            nm->n++;
        }
        bseq_t *q = &bs[(*nb)++];
        q->sid = nm->n - 1;
        q->start = ck.start;
        q->len = ck.len;
        q->last = ck.last;
        q->text = cm_realloc(q->text, ck.len + 1);
        memcpy(q->text, ck.seq, ck.len + 1);
    }
    return rc;
}

/* Scan motifs k0..k1-1 over chunk q, prepared in W: records into q->out[k], and when
 * count_tested the windows without a non-ACGT letter into q->tested[k]. */
static void scan_motifs(const cm_scanner_t *sc, const cm_engine_t *eng, bseq_t *q,
                        cm_chunkws_t *W, int k0, int k1, int count_tested)
{
    for (int k = k0; k < k1; k++) {
        size_t w = (size_t)sc->fwd[k].w;
        size_t cut = q->last ? w : (size_t)eng->wmax;
        q->tested[k] = 0;
        if (q->len < cut) continue;
        size_t lim = q->len - cut + 1;
        if (count_tested)   /* windows of this chunk without a non-ACGT letter */
            for (size_t r = 0; r < W->nruns; r++) {
                size_t a = W->rs[r], e = W->re[r];
                if (e - a < w || a >= lim) continue;
                size_t z = e - w + 1 < lim ? e - w + 1 : lim;
                q->tested[k] += z - a;
            }
        emit_ctx_t e = {&q->out[k], q, (int)w};
        cm_engine_scan(eng, sc, k, W, lim, emit_rec, &e);
    }
}

/* Deliver every hit of motif k in scan order: its spilled records, those held in m,
 * then those of the chunks bs[0..nb) (the last batch, not moved to m). */
static int deliver_motif(const cm_scanner_t *sc, int k, const motif_hits_t *m, const bseq_t *bs,
                         int nb, FILE *spill, const names_t *nm, cm_hit_fn fn, void *data,
                         long *count, cm_err_t *err)
{
    int any = m->nch || m->nmem;
    for (int b = 0; !any && b < nb; b++) any = bs[b].out[k].n > 0;
    if (!any) return 0;
    score_cache_t cache;
    score_cache_init(&cache, sc, k);
    int r = 0;
    for (int c = 0; r == 0 && c < m->nch; c++) {
        char *p = cm_malloc(m->ch[c].len);
        if (fseek(spill, m->ch[c].off, SEEK_SET) != 0 ||
            fread(p, 1, m->ch[c].len, spill) != m->ch[c].len)
            r = cm_fail(err, "cannot read hits back from a temporary file");
        else
            r = deliver(sc, &cache, p, m->ch[c].len, nm, fn, data, count, err);
        free(p);
    }
    for (int j = 0; r == 0 && j < m->nmem; j++)
        r = deliver(sc, &cache, m->mem[j].p, m->mem[j].n, nm, fn, data, count, err);
    for (int b = 0; r == 0 && b < nb; b++)
        if (bs[b].out[k].n) r = deliver(sc, &cache, bs[b].out[k].p, bs[b].out[k].n, nm, fn, data, count, err);
    score_cache_free(&cache);
    return r;
}

/* The last batch with 2+ threads: the hits of a motif are complete once every chunk
 * of this batch is scanned for it, so the motifs are scanned in groups (work items
 * (group, chunk), group-major, taken in order by any thread) and a group is handed to
 * fn, by whichever thread finds it complete first and no delivery running, while the
 * other threads scan the next groups: the serial callback (output formatting) runs
 * beside the scan instead of after it.  Order of delivery = motif order, as always.
 * Each chunk is prepared once, into ws[b] (nb <= the ws entries), by the item of
 * group 0; the other groups' items wait for that (it was taken before them) and scan
 * a copy of the prepared chunk with their thread's own bucket scratch (wsc[thread],
 * the only part cm_engine_scan writes).  Returns 0, or -1 with err from fn. */
static int pipeline_last(const cm_scanner_t *sc, const cm_engine_t *eng,
                         bseq_t *bs, int nb, motif_hits_t *mh, FILE *spill, const names_t *nm,
                         cm_chunkws_t *ws, cm_chunkws_t *wsc, int threads, int count_tested,
                         cm_hit_fn fn, void *data, long *count, cm_err_t *err)
{
    int K = sc->n;
    if (K == 0) return 0;
    int G = K < 32 ? K : 32;           /* groups of consecutive motifs */
    long nitems = (long)G * nb;
    atomic_long next_item = 0;
    atomic_int *ready = cm_calloc((size_t)nb, sizeof *ready);   /* chunk prepared */
    atomic_int *done = cm_calloc((size_t)G, sizeof *done);      /* chunks scanned per group */
    atomic_int busy = 0, failed = 0;
    atomic_int next_group = 0;         /* next group to deliver (written under busy) */
    #pragma omp parallel num_threads(threads)
    {
        cm_chunkws_t *S = &wsc[omp_thread()];
        for (;;) {
            if (atomic_load(&failed)) break;
            /* deliver the complete groups, in order, if no one else is */
            int ng = atomic_load(&next_group);   /* a peek: re-checked under busy */
            if (ng < G && atomic_load(&done[ng]) == nb) {
                int zero = 0;
                if (atomic_compare_exchange_strong(&busy, &zero, 1)) {
                    for (int g; (g = atomic_load(&next_group)) < G && atomic_load(&done[g]) == nb;) {
                        int k0 = (int)((long)K * g / G), k1 = (int)((long)K * (g + 1) / G);
                        for (int k = k0; k < k1; k++)
                            if (deliver_motif(sc, k, &mh[k], bs, nb, spill, nm, fn, data, count, err) != 0) {
                                atomic_store(&failed, 1);
                                break;
                            }
                        if (atomic_load(&failed)) break;
                        atomic_store(&next_group, g + 1);
                    }
                    atomic_store(&busy, 0);
                    continue;
                }
            }
            long i = atomic_fetch_add(&next_item, 1);
            if (i >= nitems) break;   /* what is left undelivered is delivered below */
            int g = (int)(i / nb), b = (int)(i % nb);
            int k0 = (int)((long)K * g / G), k1 = (int)((long)K * (g + 1) / G);
            bseq_t *q = &bs[b];
            if (g == 0) {
                cm_chunkws_prepare(&ws[b], eng, q->text, q->len);
                atomic_store(&ready[b], 1);
            } else {
                while (!atomic_load(&ready[b])) ;   /* taken earlier by a running thread */
            }
            cm_chunkws_t W = ws[b];
            W.hk = S->hk; W.hs = S->hs; W.hcap = S->hcap; W.nh = 0;
            scan_motifs(sc, eng, q, &W, k0, k1, count_tested);
            S->hk = W.hk; S->hs = W.hs; S->hcap = W.hcap;
            atomic_fetch_add(&done[g], 1);
        }
    }
    for (int g = next_group; !failed && g < G; g++)   /* the rest, after the scan */
        for (int k = (int)((long)K * g / G); k < (int)((long)K * (g + 1) / G); k++)
            if (deliver_motif(sc, k, &mh[k], bs, nb, spill, nm, fn, data, count, err) != 0) {
                failed = 1;
                break;
            }
    free(ready);
    free(done);
    return failed ? -1 : 0;
}

void cm_scan_chunking(const cm_scanner_t *sc, const cm_scan_opts_t *o, size_t *chunk,
                      size_t *overlap)
{
    int wmax = 0;
    for (int k = 0; k < sc->n; k++)
        if (sc->fwd[k].w > wmax) wmax = sc->fwd[k].w;
    size_t cb = o->batch_bases < CM_SCAN_CHUNK ? o->batch_bases : CM_SCAN_CHUNK;
    *chunk = cb < 1 ? 1 : cb;
    *overlap = wmax > 0 ? (size_t)wmax - 1 : 0;
}

int cm_scan_fasta(const cm_scanner_t *sc, const cm_scan_opts_t *o, const char *path,
                  cm_hit_fn fn, void *data, long *nhits, cm_err_t *err)
{
    size_t cb, ov;
    cm_scan_chunking(sc, o, &cb, &ov);
    cm_fachunk_t *fa = cm_fachunk_open(path, cb, ov, err);
    if (!fa) { if (nhits) *nhits = 0; return -1; }
    int r = cm_scan_chunks(sc, o, cm_fachunk_src_next, fa, fn, data, nhits, NULL, err);
    cm_fachunk_close(fa);
    return r;
}

int cm_scan_chunks(const cm_scanner_t *sc, const cm_scan_opts_t *o, cm_chunk_fn next, void *src,
                   cm_hit_fn fn, void *data, long *nhits, uint64_t *tested, cm_err_t *err)
{
    int ret = -1, K = sc->n;
    long count = 0;
    int threads = o->threads > 0 ? o->threads : 1;
    cm_engine_t eng;
    cm_engine_init(&eng, sc, o->method, threads);
    size_t cb, ov;
    cm_scan_chunking(sc, o, &cb, &ov);
    size_t nbatch = o->batch_bases / cb;
    if (nbatch < (size_t)threads) nbatch = (size_t)threads;
    if (tested) memset(tested, 0, (size_t)K * sizeof *tested);
    coord_re_t re;
    coord_re_init(&re);
    names_t nm = {0};
    motif_hits_t *mh = cm_calloc(K ? K : 1, sizeof *mh);
    FILE *spill = NULL;
    long spill_end = 0;
    size_t mem_bytes = 0;
    /* two batches with 2+ threads: one scanned while the next is read */
    bseq_t *bs = cm_calloc(nbatch, sizeof *bs), *bs2 = threads > 1 ? cm_calloc(nbatch, sizeof *bs2) : NULL;
    for (size_t b = 0; b < nbatch; b++) {
        bs[b].out = cm_calloc(K ? K : 1, sizeof *bs[b].out);
        bs[b].tested = cm_calloc(K ? K : 1, sizeof *bs[b].tested);
        if (bs2) {
            bs2[b].out = cm_calloc(K ? K : 1, sizeof *bs2[b].out);
            bs2[b].tested = cm_calloc(K ? K : 1, sizeof *bs2[b].tested);
        }
    }
    /* per thread, and with 2+ threads per chunk of the last batch (pipeline_last) */
    size_t nws = threads > 1 && nbatch > (size_t)threads ? nbatch : (size_t)threads;
    cm_chunkws_t *ws = cm_calloc(nws, sizeof *ws), *wsc = cm_calloc((size_t)threads, sizeof *wsc);
    int nb = 0, rc = 1, delivered = 0;

    rc = read_batch(next, src, bs, nbatch, &nm, &re, o->pgc, &nb, err);
    for (;;) {
        if (rc < 0) goto out;
        if (nb == 0) break;

        if (threads > 1 && rc == 0) {
            /* the last batch: scanned and delivered at once (see pipeline_last) */
            if (pipeline_last(sc, &eng, bs, nb, mh, spill, &nm, ws, wsc, threads, tested != NULL,
                              fn, data, &count, err) != 0)
                goto out;
            if (tested)
                for (int b = 0; b < nb; b++)
                    for (int k = 0; k < K; k++) tested[k] += bs[b].tested[k] * (uint64_t)(sc->norc ? 1 : 2);
            delivered = 1;
            break;
        }
        /* scan the batch; with 2+ threads item 0 reads the next batch meanwhile (into
         * bs2: bs holds the one being scanned), so decompression overlaps the scan */
        int nb2 = 0, rc2 = 0, ahead = threads > 1 && rc == 1;
        #pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (int b = -ahead; b < nb; b++) {
            if (b < 0) {
                rc2 = read_batch(next, src, bs2, nbatch, &nm, &re, o->pgc, &nb2, err);
                continue;
            }
            bseq_t *q = &bs[b];
            cm_chunkws_t *W = &ws[omp_thread()];
            cm_chunkws_prepare(W, &eng, q->text, q->len);
            scan_motifs(sc, &eng, q, W, 0, K, tested != NULL);
        }
        if (tested)
            for (int b = 0; b < nb; b++)
                for (int k = 0; k < K; k++) tested[k] += bs[b].tested[k] * (uint64_t)(sc->norc ? 1 : 2);
        for (int b = 0; b < nb; b++)
            for (int k = 0; k < K; k++) {
                buf_t *x = &bs[b].out[k];
                if (x->n) {
                    motif_hits_t *m = &mh[k];
                    if (m->nmem == m->mcap) {
                        m->mcap = m->mcap ? m->mcap * 2 : 8;
                        m->mem = cm_realloc(m->mem, (size_t)m->mcap * sizeof *m->mem);
                    }
                    m->mem[m->nmem++] = *x;
                    mem_bytes += x->n;
                    memset(x, 0, sizeof *x);
                }
            }
        nb = 0;

        /* spill every motif's records when too much is held in memory */
        if (mem_bytes > o->spill_bytes) {
            if (!spill && !(spill = tmpfile())) {
                cm_fail(err, "cannot create a temporary file for hits");
                goto out;
            }
            for (int k = 0; k < K; k++) {
                motif_hits_t *m = &mh[k];
                for (int j = 0; j < m->nmem; j++) {
                    buf_t *x = &m->mem[j];
                    if (fseek(spill, spill_end, SEEK_SET) != 0 ||
                        fwrite(x->p, 1, x->n, spill) != x->n) {
                        cm_fail(err, "cannot write hits to a temporary file");
                        goto out;
                    }
                    if (m->nch == m->cap) {
                        m->cap = m->cap ? m->cap * 2 : 8;
                        m->ch = cm_realloc(m->ch, (size_t)m->cap * sizeof *m->ch);
                    }
                    m->ch[m->nch].off = spill_end;
                    m->ch[m->nch++].len = x->n;
                    spill_end += (long)x->n;
                    free(x->p);
                }
                m->nmem = 0;
            }
            mem_bytes = 0;
        }
        if (ahead) {   /* the batch read meanwhile */
            bseq_t *x = bs; bs = bs2; bs2 = x;
            nb = nb2;
            rc = rc2;
        } else if (rc == 1) {
            rc = read_batch(next, src, bs, nbatch, &nm, &re, o->pgc, &nb, err);
        } else {
            break;
        }
    }

    /* deliver in motif order */
    for (int k = 0; !delivered && k < K; k++)
        if (deliver_motif(sc, k, &mh[k], NULL, 0, spill, &nm, fn, data, &count, err) != 0) goto out;
    ret = 0;
out:
    for (int u = 0; u < 2; u++) {
        bseq_t *x = u ? bs2 : bs;
        for (size_t b = 0; x && b < nbatch; b++) {
            free(x[b].text);
            for (int k = 0; k < K; k++) free(x[b].out[k].p);
            free(x[b].out);
            free(x[b].tested);
        }
        free(x);
    }
    for (size_t t = 0; t < nws; t++) cm_chunkws_free(&ws[t]);
    for (int t = 0; t < threads; t++) cm_chunkws_free(&wsc[t]);
    free(ws); free(wsc);
    cm_engine_free(&eng);
    for (int k = 0; k < K; k++) {
        for (int j = 0; j < mh[k].nmem; j++) free(mh[k].mem[j].p);
        free(mh[k].mem);
        free(mh[k].ch);
    }
    free(mh);
    for (int i = 0; i < nm.n; i++) { free(nm.name[i]); free(nm.label[i]); }
    free(nm.name); free(nm.offset); free(nm.label);
    if (spill) fclose(spill);
    coord_re_free(&re);
    if (nhits) *nhits = count;
    return ret;
}

/* ---- stored hit lists (full mode) ---- */

int cm_hitlist_add(const cm_hit_t *hit, void *data, cm_err_t *err)
{
    cm_hitlist_t *l = data;
    (void)err;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->hit = cm_realloc(l->hit, l->cap * sizeof *l->hit);
    }
    cm_hit_t *h = &l->hit[l->n];
    *h = *hit;
    /* consecutive hits mostly share a sequence name: share the copy */
    if (l->n && strcmp(l->hit[l->n - 1].seq_name, hit->seq_name) == 0)
        h->seq_name = l->hit[l->n - 1].seq_name;
    else
        h->seq_name = cm_strdup(hit->seq_name);
    h->matched = cm_strdup(hit->matched);
    h->region = hit->region ? cm_strdup(hit->region) : NULL;
    l->n++;
    return 0;
}

/* Sort key: p ascending, as rounded to 10 digits (not the unrounded table value: the
 * two strands' tables differ in the last bits, and sorting on those reorders 444 of
 * the 5,218 rows of FIMO 5.5.8's reference fimo.tsv, where equal-score '+' and '-'
 * hits are in position order); then the genome position of the motif's first column
 * (start on '+', stop on '-': observed in FIMO 5.5.8's fimo.tsv, where an overlapping
 * '+' hit at 3139660 precedes a '-' hit at 3139658–3139672 of equal p; FIMO's '-'
 * elements store start > stop); then scan order. */
typedef struct { double p; long pos; size_t i; } pkey_t;

static int pkey_cmp(const void *a, const void *b)
{
    const pkey_t *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

void cm_hitlist_sort(cm_hitlist_t *l)
{
    if (l->n < 2) return;
    pkey_t *k = cm_malloc(l->n * sizeof *k);
    for (size_t i = 0; i < l->n; i++) {
        k[i].p = l->hit[i].pvalue;
        k[i].pos = l->hit[i].strand == '-' ? l->hit[i].stop : l->hit[i].start;
        k[i].i = i;
    }
    qsort(k, l->n, sizeof *k, pkey_cmp);
    cm_hit_t *h = cm_malloc(l->n * sizeof *h);
    for (size_t i = 0; i < l->n; i++) h[i] = l->hit[k[i].i];
    free(l->hit);
    l->hit = h;
    l->cap = l->n;
    free(k);
}

static int ptr_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(const char *const *)a, y = (uintptr_t)*(const char *const *)b;
    return (x > y) - (x < y);
}

/* Free each distinct pointer of names[0..n) once, except those also in keep[0..nk)
 * (both arrays are sorted here). */
static void free_names(const char **names, size_t n, const char **keep, size_t nk)
{
    qsort(names, n, sizeof *names, ptr_cmp);
    if (nk) qsort(keep, nk, sizeof *keep, ptr_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i && names[i] == names[i - 1]) continue;
        if (nk && bsearch(&names[i], keep, nk, sizeof *keep, ptr_cmp)) continue;
        free((char *)names[i]);
    }
}

size_t cm_hitlist_filter(cm_hitlist_t *l, int (*keep)(const cm_hit_t *hit, void *data),
                         void *data)
{
    size_t n = l->n, o = 0, nd = 0;
    const char **drop = cm_malloc((n ? n : 1) * sizeof *drop);
    const char **kept = cm_malloc((n ? n : 1) * sizeof *kept);
    for (size_t t = 0; t < n; t++) {
        cm_hit_t *h = &l->hit[t];
        if (!keep(h, data)) {
            free((char *)h->matched);
            free((char *)h->region);
            drop[nd++] = h->seq_name;
        } else {
            kept[o] = h->seq_name;
            l->hit[o++] = *h;
        }
    }
    free_names(drop, nd, kept, o);
    free(drop); free(kept);
    l->n = o;
    return nd;
}

void cm_hitlist_free(cm_hitlist_t *l)
{
    if (!l) return;
    /* shared names: free each distinct pointer once (sharing is between list
     * neighbours in scan order, which sorting may have separated) */
    const char **names = cm_malloc((l->n ? l->n : 1) * sizeof *names);
    size_t nn = 0;
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->hit[i].matched);
        free((char *)l->hit[i].region);
        names[nn++] = l->hit[i].seq_name;
    }
    free_names(names, nn, NULL, 0);
    free(names);
    free(l->hit);
    memset(l, 0, sizeof *l);
}
