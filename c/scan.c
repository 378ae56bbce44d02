/* scan.c — see scan.h. */
#include "scan.h"
#include "background.h"
#include "dna.h"
#include "seqio.h"

#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_WINDOWS ((size_t)1 << 20)   /* window starts per parallel task */

void cm_scan_opts_init(cm_scan_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->thresh = 1e-4;
    o->pseudo = 0.1;
    o->bfile = NULL;
    o->norc = 0;
    o->pgc = 1;
    o->threads = 1;
    o->batch_bases = (size_t)32 << 20;
    o->spill_bytes = (size_t)256 << 20;
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
    for (int k = 0; k < set->n; k++) {
        if (set->m[k].w < 1) {
            cm_fail(err, "%s:%ld: motif %s has no columns", set->path ? set->path : "motifs",
                    set->m[k].lineno, set->m[k].id);
            cm_scanner_free(sc);
            return -1;
        }
        if (cm_pssm_build(&set->m[k], set->path, sc->bg, o->pseudo, CM_PSSM_RANGE, &sc->fwd[k], err) != 0) {
            cm_scanner_free(sc);
            return -1;
        }
        sc->min_fwd[k] = cm_pssm_min_score(&sc->fwd[k], o->thresh);
        if (!o->norc) {
            cm_pssm_revcomp(&sc->fwd[k], sc->bg, &sc->rc[k]);
            sc->min_rc[k] = cm_pssm_min_score(&sc->rc[k], o->thresh);
        }
    }
    return 0;
}

void cm_scanner_free(cm_scanner_t *sc)
{
    if (!sc) return;
    for (int k = 0; k < sc->n; k++) {
        if (sc->fwd) cm_pssm_free(&sc->fwd[k]);
        if (sc->rc) cm_pssm_free(&sc->rc[k]);
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
    regcomp(&re->galaxy, "([^[:space:]_]+)_([^[:space:]_]+)_([[:digit:]]+)_([[:digit:]]+)",
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
    else if (regexec(&re->galaxy, h, 5, m, 0) == 0) cg = 2, sg = 3;
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

/* ---- the inner loop ---- */

/* Blocked lookahead scoring.  The window is cut into blocks of 4 columns; block b is a
 * 256-entry table indexed by the packed codes of its 4 bases (c0<<6|c1<<4|c2<<2|c3; a
 * last block of fewer columns ignores the extra bases).  Blocks are visited in
 * decreasing order of their spread (max − min), and scoring stops as soon as the
 * partial sum plus the best possible rest cannot reach the threshold (MOODS-style
 * lookahead).  A window that reaches the end has the same integer score as the plain
 * column sum. */
typedef struct {
    int nb, t;
    int *tab;      /* nb × 256, tables in visiting order */
    int *off;      /* nb, first window column of the q-th visited block */
    int *rest;     /* nb, Σ of block maxima over visited blocks q+1..nb−1 */
} look_t;

static void look_init(look_t *L, const cm_pssm_t *p, int t)
{
    int w = p->w, nb = (w + 3) / 4;
    L->nb = nb;
    L->t = t;
    L->tab = cm_malloc((size_t)nb * 256 * sizeof *L->tab);
    L->off = cm_malloc((size_t)nb * sizeof *L->off);
    L->rest = cm_malloc((size_t)nb * sizeof *L->rest);
    int *raw = cm_malloc((size_t)nb * 256 * sizeof *raw);
    int *mx = cm_malloc((size_t)nb * sizeof *mx), *sp = cm_malloc((size_t)nb * sizeof *sp);
    int *ord = cm_malloc((size_t)nb * sizeof *ord);
    for (int b = 0; b < nb; b++) {
        int hi = 0, lo = 0;
        for (int x = 0; x < 256; x++) {
            int s = 0;
            for (int u = 0; u < 4 && 4 * b + u < w; u++)
                s += p->mat[(4 * b + u) * 4 + ((x >> (6 - 2 * u)) & 3)];
            raw[b * 256 + x] = s;
            if (x == 0 || s > hi) hi = s;
            if (x == 0 || s < lo) lo = s;
        }
        mx[b] = hi;
        sp[b] = hi - lo;
        ord[b] = b;
    }
    for (int i = 1; i < nb; i++) {   /* stable insertion sort by spread, descending */
        int x = ord[i], j = i;
        while (j > 0 && sp[ord[j - 1]] < sp[x]) { ord[j] = ord[j - 1]; j--; }
        ord[j] = x;
    }
    int r = 0;
    for (int q = nb - 1; q >= 0; q--) {
        L->rest[q] = r;
        r += mx[ord[q]];
    }
    for (int q = 0; q < nb; q++) {
        L->off[q] = 4 * ord[q];
        memcpy(L->tab + q * 256, raw + ord[q] * 256, 256 * sizeof *raw);
    }
    free(raw); free(mx); free(sp); free(ord);
}

static void look_free(look_t *L)
{
    free(L->tab); free(L->off); free(L->rest);
}

/* Integer score of the window whose packed codes start at pk if it reaches L->t,
 * else -1. */
static inline int look_score(const look_t *L, const unsigned char *pk)
{
    const int *tab = L->tab, *off = L->off, *rest = L->rest;
    int s = tab[pk[off[0]]];
    if (s + rest[0] < L->t) return -1;
    for (int q = 1; q < L->nb; q++) {
        s += tab[q * 256 + pk[off[q]]];
        if (s + rest[q] < L->t) return -1;
    }
    return s;
}

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
    look_t lf = {0}, lr = {0};
    if (ff) look_init(&lf, &sc->fwd[k], sc->min_fwd[k]);
    if (fr) look_init(&lr, &sc->rc[k], sc->min_rc[k]);
    /* packed 4-base codes for positions from..to+w−2 (bases past len count as A) */
    size_t np = to - from + (size_t)w - 1;
    unsigned char *pk = cm_malloc(np);
    unsigned x = 0;
    for (size_t u = 0; u < 3; u++)
        x = (x << 2) | (from + u < len ? (codes[from + u] & 3u) : 0u);
    for (size_t u = 0; u < np; u++) {
        size_t q = from + u + 3;
        x = ((x << 2) | (q < len ? (codes[q] & 3u) : 0u)) & 0xffu;
        pk[u] = (unsigned char)x;
    }
    /* the first two blocks' tables and the limit after them as locals (a missing
     * second block reads a zero table; a disabled strand never passes) */
    static const int zero[256];
    const int *tf0 = ff ? lf.tab : zero, *tr0 = fr ? lr.tab : zero;
    const int *tf1 = ff && lf.nb > 1 ? lf.tab + 256 : zero, *tr1 = fr && lr.nb > 1 ? lr.tab + 256 : zero;
    size_t of0 = ff ? (size_t)lf.off[0] : 0, or0 = fr ? (size_t)lr.off[0] : 0;
    size_t of1 = ff && lf.nb > 1 ? (size_t)lf.off[1] : 0, or1 = fr && lr.nb > 1 ? (size_t)lr.off[1] : 0;
    int lf0 = !ff ? 1 : lf.t - lf.rest[lf.nb > 1 ? 1 : 0];
    int lr0 = !fr ? 1 : lr.t - lr.rest[lr.nb > 1 ? 1 : 0];
    size_t i = from;
    while (i < to) {
        /* the valid run starting at i ends before the next code 4 */
        size_t lim = to + w - 1;     /* one past the last base any window here uses */
        const unsigned char *bad = memchr(codes + i, 4, lim - i);
        size_t end = bad ? (size_t)(bad - codes) : lim;   /* valid bases i..end-1 */
        if (end >= i + w) {
            size_t last = end - w;   /* last valid window start */
            const unsigned char *c = pk + (i - from);
            size_t n = last - i + 1;
            for (size_t j = 0; j < n; j++) {
                /* the two most selective blocks inline: most windows stop here */
                int pf = tf0[c[j + of0]] + tf1[c[j + of1]] >= lf0;
                int pr = tr0[c[j + or0]] + tr1[c[j + or1]] >= lr0;
                if (__builtin_expect(pf | pr, 0)) {
                    int s;
                    if (pf && (s = look_score(&lf, c + j)) >= 0) emit(data, i + j, '+', s);
                    if (pr && (s = look_score(&lr, c + j)) >= 0) emit(data, i + j, '-', s);
                }
            }
        }
        if (!bad) break;
        i = end + 1;
    }
    free(pk);
    if (ff) look_free(&lf);
    if (fr) look_free(&lr);
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

typedef struct {
    int sid;
    char *text;              /* letters as read */
    unsigned char *codes;    /* nt4 codes */
    size_t len;
} bseq_t;

typedef struct {
    int k, b;                /* motif, batch sequence */
    size_t from, to;         /* window starts */
    buf_t out;
} task_t;

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
    h.pos0 = (int64_t)start0;
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
    buf_t mem;                 /* records not yet spilled */
    spill_chunk_t *ch;
    int nch, cap;
} motif_hits_t;

typedef struct {
    char **name;
    long *offset;
    int n, cap;
} names_t;

static int deliver(const cm_scanner_t *sc, int k, const char *p, size_t n, const names_t *nm,
                   cm_hit_fn fn, void *data, long *count, cm_err_t *err)
{
    int w = sc->fwd[k].w;
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
        hit.start = nm->offset[h.sid] + (long)h.pos0 + 1;
        hit.stop = hit.start + w - 1;
        hit.strand = h.strand;
        hit.iscore = h.iscore;
        hit.score = cm_pssm_score(ps, h.iscore);
        hit.pvalue = cm_pssm_pvalue(ps, h.iscore);
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

int cm_scan_fasta(const cm_scanner_t *sc, const cm_scan_opts_t *o, const char *path,
                  cm_hit_fn fn, void *data, long *nhits, cm_err_t *err)
{
    int ret = -1, K = sc->n;
    long count = 0;
    cm_fasta_t *fa = cm_fasta_open(path, err);
    if (!fa) return -1;
    coord_re_t re;
    coord_re_init(&re);
    cm_seqrec_t rec;
    memset(&rec, 0, sizeof rec);
    names_t nm = {0};
    motif_hits_t *mh = cm_calloc(K ? K : 1, sizeof *mh);
    FILE *spill = NULL;
    long spill_end = 0;
    size_t mem_bytes = 0;
    bseq_t *bs = NULL;
    int nb = 0, bcap = 0, rc = 1, threads = o->threads > 0 ? o->threads : 1;

    while (rc == 1) {
        /* read one batch of whole records */
        size_t bases = 0;
        nb = 0;
        while (bases < o->batch_bases && (rc = cm_fasta_next(fa, &rec, err)) == 1) {
            if (nm.n == INT32_MAX) { cm_fail(err, "%s: too many sequences", path); goto out; }
            if (nm.n == nm.cap) {
                nm.cap = nm.cap ? nm.cap * 2 : 64;
                nm.name = cm_realloc(nm.name, (size_t)nm.cap * sizeof *nm.name);
                nm.offset = cm_realloc(nm.offset, (size_t)nm.cap * sizeof *nm.offset);
            }
            if (o->pgc) {
                parse_coords_re(&re, rec.name, rec.desc, &nm.name[nm.n], &nm.offset[nm.n]);
            } else {
                nm.name[nm.n] = cm_strdup(rec.name);
                nm.offset[nm.n] = 0;
            }
            if (nb == bcap) {
                bcap = bcap ? bcap * 2 : 16;
                bs = cm_realloc(bs, (size_t)bcap * sizeof *bs);
            }
            bseq_t *s = &bs[nb++];
            s->sid = nm.n++;
            s->len = rec.len;
            s->text = cm_malloc(rec.len + 1);
            memcpy(s->text, rec.seq, rec.len + 1);
            s->codes = cm_malloc(rec.len + 1);
            for (size_t i = 0; i < rec.len; i++) s->codes[i] = cm_nt4((unsigned char)rec.seq[i]);
            bases += rec.len;
        }
        if (rc < 0) goto out;
        if (nb == 0) break;

        /* tasks in output order: motif, sequence, chunk */
        size_t nt = 0, tcap = 0;
        task_t *tk = NULL;
        for (int k = 0; k < K; k++)
            for (int b = 0; b < nb; b++) {
                size_t w = (size_t)sc->fwd[k].w;
                if (bs[b].len < w) continue;
                size_t nwin = bs[b].len - w + 1;
                for (size_t f = 0; f < nwin; f += CHUNK_WINDOWS) {
                    if (nt == tcap) {
                        tcap = tcap ? tcap * 2 : 64;
                        tk = cm_realloc(tk, tcap * sizeof *tk);
                    }
                    task_t *t = &tk[nt++];
                    memset(t, 0, sizeof *t);
                    t->k = k; t->b = b; t->from = f;
                    t->to = f + CHUNK_WINDOWS < nwin ? f + CHUNK_WINDOWS : nwin;
                }
            }
        #pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (size_t i = 0; i < nt; i++) {
            task_t *t = &tk[i];
            emit_ctx_t e = {&t->out, &bs[t->b], sc->fwd[t->k].w};
            cm_scan_range(sc, t->k, bs[t->b].codes, bs[t->b].len, t->from, t->to, emit_rec, &e);
        }
        for (size_t i = 0; i < nt; i++) {
            if (tk[i].out.n) {
                buf_put(&mh[tk[i].k].mem, tk[i].out.p, tk[i].out.n);
                mem_bytes += tk[i].out.n;
            }
            free(tk[i].out.p);
        }
        free(tk);
        for (int b = 0; b < nb; b++) { free(bs[b].text); free(bs[b].codes); }
        nb = 0;

        /* spill every motif's records when too much is held in memory */
        if (mem_bytes > o->spill_bytes) {
            if (!spill && !(spill = tmpfile())) {
                cm_fail(err, "cannot create a temporary file for hits");
                goto out;
            }
            for (int k = 0; k < K; k++) {
                motif_hits_t *m = &mh[k];
                if (!m->mem.n) continue;
                if (fseek(spill, spill_end, SEEK_SET) != 0 ||
                    fwrite(m->mem.p, 1, m->mem.n, spill) != m->mem.n) {
                    cm_fail(err, "cannot write hits to a temporary file");
                    goto out;
                }
                if (m->nch == m->cap) {
                    m->cap = m->cap ? m->cap * 2 : 8;
                    m->ch = cm_realloc(m->ch, (size_t)m->cap * sizeof *m->ch);
                }
                m->ch[m->nch].off = spill_end;
                m->ch[m->nch++].len = m->mem.n;
                spill_end += (long)m->mem.n;
                m->mem.n = 0;
            }
            mem_bytes = 0;
        }
    }

    /* deliver in motif order */
    for (int k = 0; k < K; k++) {
        motif_hits_t *m = &mh[k];
        for (int c = 0; c < m->nch; c++) {
            char *p = cm_malloc(m->ch[c].len);
            if (fseek(spill, m->ch[c].off, SEEK_SET) != 0 ||
                fread(p, 1, m->ch[c].len, spill) != m->ch[c].len) {
                free(p);
                cm_fail(err, "cannot read hits back from a temporary file");
                goto out;
            }
            int r = deliver(sc, k, p, m->ch[c].len, &nm, fn, data, &count, err);
            free(p);
            if (r != 0) goto out;
        }
        if (deliver(sc, k, m->mem.p, m->mem.n, &nm, fn, data, &count, err) != 0) goto out;
    }
    ret = 0;
out:
    for (int b = 0; b < nb; b++) { free(bs[b].text); free(bs[b].codes); }
    free(bs);
    for (int k = 0; k < K; k++) { free(mh[k].mem.p); free(mh[k].ch); }
    free(mh);
    for (int i = 0; i < nm.n; i++) free(nm.name[i]);
    free(nm.name); free(nm.offset);
    if (spill) fclose(spill);
    cm_seqrec_free(&rec);
    coord_re_free(&re);
    cm_fasta_close(fa);
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
    l->n++;
    return 0;
}

/* Sort key: p ascending; then the genome position of the motif's first column (start
 * on '+', stop on '-': observed in FIMO 5.5.8's fimo.tsv, where an overlapping '+' hit
 * at 3139660 precedes a '-' hit at 3139658–3139672 of equal p); then scan order. */
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

void cm_hitlist_free(cm_hitlist_t *l)
{
    if (!l) return;
    /* shared names: free each distinct pointer once (sharing is between list
     * neighbours in scan order, which sorting may have separated) */
    const char **names = cm_malloc((l->n ? l->n : 1) * sizeof *names);
    size_t nn = 0;
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->hit[i].matched);
        names[nn++] = l->hit[i].seq_name;
    }
    qsort(names, nn, sizeof *names, ptr_cmp);
    for (size_t i = 0; i < nn; i++)
        if (i == 0 || names[i] != names[i - 1]) free((char *)names[i]);
    free(names);
    free(l->hit);
    memset(l, 0, sizeof *l);
}
