/* scan_engine.c — see scan_engine.h. */
#include "scan/scan_engine.h"
#include "core/dna.h"

#include <stdlib.h>
#include <string.h>

#define NKEY (1u << (2 * CM_KMER))

/* Score table of the 4 columns c0..c0+3 over the packed codes x = c0<<6|c1<<4|c2<<2|c3
 * of their bases (columns past the motif's end score 0): a lookahead block, or one
 * half of an 8-mer key. */
static void half_table(const cm_pssm_t *p, int c0, int *tab)
{
    for (int x = 0; x < 256; x++) {
        int s = 0;
        for (int u = 0; u < 4; u++) {
            int col = c0 + u;
            if (col < p->w) s += p->mat[col * 4 + ((x >> (6 - 2 * u)) & 3)];
        }
        tab[x] = s;
    }
}

/* ---- lookahead blocks ----
 * The window is cut into blocks of 4 columns; block b is a 256-entry table indexed by
 * the packed codes of its 4 bases (c0<<6|c1<<4|c2<<2|c3; a last block of fewer columns
 * ignores the extra bases).  Blocks are stored in decreasing order of spread
 * (max − min): tab[q*256 + x] is the q-th visited block, off[q] its first column and
 * rest[q] the sum of the maxima of the blocks visited after it. */
void cm_look_init(cm_look_t *L, const cm_pssm_t *p, int t)
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
        int *tb = raw + b * 256;
        half_table(p, 4 * b, tb);
        int hi = tb[0], lo = tb[0];
        for (int x = 1; x < 256; x++) {
            if (tb[x] > hi) hi = tb[x];
            if (tb[x] < lo) lo = tb[x];
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

void cm_look_free(cm_look_t *L)
{
    if (!L) return;
    free(L->tab); free(L->off); free(L->rest);
    memset(L, 0, sizeof *L);
}

/* Integer score of the window whose packed codes start at pk if it reaches L->t, else -1. */
static inline int look_score(const cm_look_t *L, const unsigned char *pk)
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

void cm_linear_scan(const cm_look_t *lf, const cm_look_t *lr, int w, const unsigned char *pk,
                    const uint32_t *rs, const uint32_t *re, size_t nruns, size_t from, size_t to,
                    void (*emit)(void *, size_t, char, int), void *data)
{
    static const int zero[256];
    int ff = lf != NULL, fr = lr != NULL;
    if (!ff && !fr) return;
    const int *tf0 = ff ? lf->tab : zero, *tr0 = fr ? lr->tab : zero;
    const int *tf1 = ff && lf->nb > 1 ? lf->tab + 256 : zero, *tr1 = fr && lr->nb > 1 ? lr->tab + 256 : zero;
    size_t of0 = ff ? (size_t)lf->off[0] : 0, or0 = fr ? (size_t)lr->off[0] : 0;
    size_t of1 = ff && lf->nb > 1 ? (size_t)lf->off[1] : 0, or1 = fr && lr->nb > 1 ? (size_t)lr->off[1] : 0;
    int lf0 = !ff ? 1 : lf->t - lf->rest[lf->nb > 1 ? 1 : 0];
    int lr0 = !fr ? 1 : lr->t - lr->rest[lr->nb > 1 ? 1 : 0];
    /* first run that can hold a window starting at >= from */
    size_t lo = 0, hi = nruns;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (re[mid] < from + (size_t)w) lo = mid + 1; else hi = mid;
    }
    for (size_t r = lo; r < nruns && rs[r] < to; r++) {
        if (re[r] - rs[r] < (size_t)w) continue;
        size_t i = rs[r] > from ? rs[r] : from;
        size_t end = re[r] - (size_t)w + 1;       /* one past the last start of the run */
        if (end > to) end = to;
        const unsigned char *c = pk;
        for (size_t j = i; j < end; j++) {
            int pf = tf0[c[j + of0]] + tf1[c[j + of1]] >= lf0;
            int pr = tr0[c[j + or0]] + tr1[c[j + or1]] >= lr0;
            if (__builtin_expect(pf | pr, 0)) {
                int s;
                if (pf && (s = look_score(lf, c + j)) >= 0) emit(data, j, '+', s);
                if (pr && (s = look_score(lr, c + j)) >= 0) emit(data, j, '-', s);
            }
        }
    }
}

/* ---- choosing the 8-mer filter ---- */

typedef struct { int s; double pr; } sp_t;

static int sp_desc(const void *a, const void *b)
{
    const sp_t *x = a, *y = b;
    return (x->s < y->s) - (x->s > y->s);
}

/* Score tables of the two 4-mer halves of the 8-mer at offset o (A: columns o..o+3,
 * B: o+4..o+7), and the best score the motif's other columns can add. */
static int kmer_tables(const cm_pssm_t *p, int o, int A[256], int B[256])
{
    int rest = 0;
    half_table(p, o, A);
    half_table(p, o + 4, B);
    for (int i = 0; i < p->w; i++) {
        if (i >= o && i < o + CM_KMER) continue;
        int m = 0;
        for (int a = 0; a < 4; a++) if (p->mat[i * 4 + a] > m) m = p->mat[i * 4 + a];
        rest += m;
    }
    return rest;
}

/* Background mass of the 8-mers at offset o whose bound reaches t. */
static double kmer_frac(const cm_pssm_t *p, int o, int t, const double *p4)
{
    int A[256], B[256], rest = kmer_tables(p, o, A, B);
    sp_t b[256];
    for (int x = 0; x < 256; x++) { b[x].s = B[x]; b[x].pr = p4[x]; }
    qsort(b, 256, sizeof *b, sp_desc);
    double cum[257];
    cum[0] = 0;
    for (int x = 0; x < 256; x++) cum[x + 1] = cum[x] + b[x].pr;
    double f = 0;
    for (int x = 0; x < 256; x++) {
        int need = t - rest - A[x];
        int lo = 0, hi = 256;            /* count of b with s >= need */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (b[mid].s >= need) lo = mid + 1; else hi = mid;
        }
        f += p4[x] * cum[lo];
    }
    return f;
}

static void build_keys(cm_strand_filter_t *F, const cm_pssm_t *p, int o, int t)
{
    int A[256], B[256], rest = kmer_tables(p, o, A, B);
    size_t n = 0;
    uint16_t *k = cm_malloc(NKEY * sizeof *k);
    for (unsigned x = 0; x < NKEY; x++)
        if (A[x >> 8] + B[x & 255] + rest >= t) k[n++] = (uint16_t)x;
    F->keys = cm_realloc(k, (n ? n : 1) * sizeof *k);
    F->nkeys = n;
    F->koff = o;
}

void cm_engine_init(cm_engine_t *e, const cm_scanner_t *sc, int method, int threads)
{
    cm_engine_init_beside(e, sc, method, threads, NULL, NULL);
}

void cm_engine_init_beside(cm_engine_t *e, const cm_scanner_t *sc, int method, int threads,
                          void (*side)(void *), void *side_arg)
{
    memset(e, 0, sizeof *e);
    e->n = sc->n;
    if (sc->alph && !cm_alph_is_dna(sc->alph)) {   /* letters through the alphabet */
        e->own_code = 1;
        for (int c = 0; c < 256; c++) e->code[c] = sc->alph->code[c] < 4 ? sc->alph->code[c] : 4;
    }
    e->f = cm_calloc(2 * (size_t)(sc->n ? sc->n : 1), sizeof *e->f);
    if (sc->alph && sc->alph->k != 4) {   /* general K: strands on/off only */
        e->generic = 1;
        e->k = sc->alph->k;
        memcpy(e->code, sc->alph->code, sizeof e->code);
        for (int k = 0; k < sc->n; k++) {
            if (sc->fwd[k].w > e->wmax) e->wmax = sc->fwd[k].w;
            e->f[2 * k].on = sc->min_fwd[k] <= sc->fwd[k].max_score;
            e->f[2 * k + 1].on = !sc->norc && sc->min_rc[k] <= sc->rc[k].max_score;
        }
        if (side) side(side_arg);
        return;
    }
    double p4[256];
    for (int x = 0; x < 256; x++) {
        double pr = 1;
        for (int u = 0; u < 4; u++) pr *= sc->bg[(x >> (6 - 2 * u)) & 3];
        p4[x] = pr;
    }
    for (int k = 0; k < sc->n; k++)
        if (sc->fwd[k].w > e->wmax) e->wmax = sc->fwd[k].w;
    int any = 0;
    #pragma omp parallel num_threads(threads > 0 ? threads : 1) reduction(|:any)
    {
    #pragma omp single nowait
    if (side) side(side_arg);   /* this thread joins the loop afterwards */
    #pragma omp for schedule(dynamic, 4)
    for (int k = 0; k < sc->n; k++) {
        int w = sc->fwd[k].w;
        for (int s = 0; s < 2; s++) {
            cm_strand_filter_t *F = &e->f[2 * k + s];
            const cm_pssm_t *p = s ? &sc->rc[k] : &sc->fwd[k];
            int t = s ? sc->min_rc[k] : sc->min_fwd[k];
            if ((s && sc->norc) || t > p->max_score) continue;
            F->on = 1;
            cm_look_init(&F->look, p, t);
            /* the offset whose listed 8-mers carry the least background mass
             * (first on ties) */
            int best = 0;
            double bf = 2;
            for (int o = 0;; o++) {
                double f = kmer_frac(p, o, t, p4);
                if (f < bf) { bf = f; best = o; }
                if (o + CM_KMER >= w) break;
            }
            F->frac = bf;
            F->koff = best;
        }
        double tot = e->f[2 * k].frac + e->f[2 * k + 1].frac;
        int use = method == 1 || (method == 0 && tot < CM_BUCKET_MAX_FRAC);
        for (int s = 0; s < 2; s++) {
            cm_strand_filter_t *F = &e->f[2 * k + s];
            if (!F->on || !use) continue;
            build_keys(F, s ? &sc->rc[k] : &sc->fwd[k], F->koff, F->look.t);
            F->bucket = 1;
            any = 1;
        }
    }
    }
    e->any_bucket = any;
}

void cm_engine_free(cm_engine_t *e)
{
    if (!e) return;
    for (int i = 0; i < 2 * e->n; i++) {
        free(e->f[i].keys);
        cm_look_free(&e->f[i].look);
    }
    free(e->f);
    memset(e, 0, sizeof *e);
}

/* ---- chunks ---- */

/* ws->nn (the next position whose code is >= ncore, or len) and the runs of core letters
 * ws->rs/re (half-open) of ws->codes[0, len). */
static void find_runs(cm_chunkws_t *ws, size_t len, unsigned char ncore)
{
    uint32_t next = (uint32_t)len;
    for (size_t i = len; i-- > 0;) {
        if (ws->codes[i] >= ncore) next = (uint32_t)i;
        ws->nn[i] = next;
    }
    ws->nruns = 0;
    for (size_t i = 0; i < len;) {
        if (ws->codes[i] >= ncore) { i++; continue; }
        if (ws->nruns == ws->rcap) {
            ws->rcap = ws->rcap ? ws->rcap * 2 : 64;
            ws->rs = cm_realloc(ws->rs, ws->rcap * sizeof *ws->rs);
            ws->re = cm_realloc(ws->re, ws->rcap * sizeof *ws->re);
        }
        ws->rs[ws->nruns] = (uint32_t)i;
        ws->re[ws->nruns++] = ws->nn[i];
        i = ws->nn[i];
    }
}

void cm_chunkws_prepare(cm_chunkws_t *ws, const cm_engine_t *e, const char *seq, size_t len)
{
    if (len + 8 > ws->cap) {
        ws->cap = len + 8;
        free(ws->codes); free(ws->pk); free(ws->nn); free(ws->kpos);
        ws->codes = cm_malloc(ws->cap);
        ws->pk = cm_malloc(ws->cap);
        ws->nn = cm_malloc(ws->cap * sizeof *ws->nn);
        ws->kpos = NULL;
    }
    ws->len = len;
    size_t nv = 0;
    if (e->generic) {   /* K-letter codes (255 = not a core letter), next-other table, runs */
        for (size_t i = 0; i < len; i++) {
            unsigned char c = e->code[(unsigned char)seq[i]];
            ws->codes[i] = c;
            nv += c != 255;
        }
        ws->nvalid = nv;
        find_runs(ws, len, (unsigned char)e->k);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = e->own_code ? e->code[(unsigned char)seq[i]] : cm_nt4((unsigned char)seq[i]);
        ws->codes[i] = c;
        nv += c < 4;
    }
    ws->nvalid = nv;
    ws->nruns = 0;
    if (!nv) return;
    unsigned x = 0;
    for (size_t i = 0; i < 3; i++) x = (x << 2) | (i < len ? (ws->codes[i] & 3u) : 0u);
    for (size_t i = 0; i < len; i++) {
        size_t q = i + 3;
        x = ((x << 2) | (q < len ? (ws->codes[q] & 3u) : 0u)) & 0xffu;
        ws->pk[i] = (unsigned char)x;
    }
    find_runs(ws, len, 4);
    if (!e->any_bucket) return;
    if (!ws->kstart) ws->kstart = cm_malloc((NKEY + 1) * sizeof *ws->kstart);
    if (!ws->kpos) ws->kpos = cm_malloc(ws->cap * sizeof *ws->kpos);
    uint32_t *cnt = ws->kstart;
    memset(cnt, 0, (NKEY + 1) * sizeof *cnt);
    /* key of position i: packed codes i..i+7 (non-ACGT and past the end as A) */
    unsigned key = 0;
    for (size_t i = 0; i < CM_KMER - 1; i++) key = (key << 2) | (i < len ? (ws->codes[i] & 3u) : 0u);
    uint16_t *keys = cm_malloc(len * sizeof *keys);
    for (size_t i = 0; i < len; i++) {
        size_t q = i + CM_KMER - 1;
        unsigned c = q < len && ws->codes[q] < 4 ? ws->codes[q] : 0u;
        key = ((key << 2) | c) & (NKEY - 1);
        keys[i] = (uint16_t)key;
        if (ws->codes[i] < 4) cnt[key + 1]++;
    }
    for (unsigned b = 0; b < NKEY; b++) cnt[b + 1] += cnt[b];
    /* fill: kstart[b] advances to the end of bucket b, then shift back */
    for (size_t i = 0; i < len; i++)
        if (ws->codes[i] < 4) ws->kpos[cnt[keys[i]]++] = (uint32_t)i;
    for (unsigned b = NKEY; b > 0; b--) cnt[b] = cnt[b - 1];
    cnt[0] = 0;
    free(keys);
}

void cm_chunkws_free(cm_chunkws_t *ws)
{
    if (!ws) return;
    free(ws->codes); free(ws->pk); free(ws->nn); free(ws->kstart); free(ws->kpos);
    free(ws->hk); free(ws->hs); free(ws->rs); free(ws->re);
    memset(ws, 0, sizeof *ws);
}

static void hit_push(cm_chunkws_t *ws, size_t p, int strand, int s)
{
    if (ws->nh == ws->hcap) {
        ws->hcap = ws->hcap ? ws->hcap * 2 : 256;
        ws->hk = cm_realloc(ws->hk, ws->hcap * sizeof *ws->hk);
        ws->hs = cm_realloc(ws->hs, ws->hcap * sizeof *ws->hs);
    }
    ws->hk[ws->nh] = (uint64_t)p << 1 | (uint64_t)strand;
    ws->hs[ws->nh++] = s;
}

/* Score the bucket candidate window at c (non-ACGT letters read as A in pk), then check
 * the rare passing window for such letters; keep it as a hit. */
static inline void bucket_score(const cm_strand_filter_t *F, int strand, int w,
                                const unsigned char *pk, const uint32_t *nn, cm_chunkws_t *ws,
                                size_t c)
{
    int s = look_score(&F->look, pk + c);
    if (s >= 0 && nn[c] >= c + (size_t)w) hit_push(ws, c, strand, s);
}

static void bucket_scan(const cm_strand_filter_t *F, int strand, int w, cm_chunkws_t *ws, size_t lim)
{
    const uint32_t *ks = ws->kstart, *kp = ws->kpos, *nn = ws->nn;
    const unsigned char *pk = ws->pk;
    size_t o = (size_t)F->koff, f0 = (size_t)F->look.off[0];
    /* the candidate windows in index order, each scored RING candidates after its
     * first block was prefetched (the packed codes of a chunk do not fit in L2) */
    enum { RING = 16 };
    size_t ring[RING], n = 0;
    for (size_t t = 0; t < F->nkeys; t++) {
        unsigned x = F->keys[t];
        for (uint32_t j = ks[x], je = ks[x + 1]; j < je; j++) {
            size_t p = (size_t)kp[j] - o;          /* wraps to huge when kp < o */
            if (p >= lim) continue;
            __builtin_prefetch(pk + p + f0);
            if (n >= RING) bucket_score(F, strand, w, pk, nn, ws, ring[n % RING]);
            ring[n++ % RING] = p;
        }
    }
    for (size_t i = n > RING ? n - RING : 0; i < n; i++)
        bucket_score(F, strand, w, pk, nn, ws, ring[i % RING]);
}

/* (position << 1 | strand, score) pairs of the bucket method, sorted by key into scan
 * order (position, '+' before '-') */
typedef struct { uint64_t k; int s; } ks_t;

static int ks_cmp(const void *a, const void *b)
{
    uint64_t x = ((const ks_t *)a)->k, y = ((const ks_t *)b)->k;
    return (x > y) - (x < y);
}

/* General K (e->generic): every window of each run of core letters, the plain column sum
 * of the K-letter matrices, '+' then '-' per position. */
static void generic_scan(const cm_engine_t *e, const cm_scanner_t *sc, int k,
                         const cm_chunkws_t *ws, size_t lim,
                         void (*emit)(void *, size_t, char, int), void *data)
{
    int w = sc->fwd[k].w, K = e->k;
    int on[2] = {e->f[2 * k].on, e->f[2 * k + 1].on};
    const cm_pssm_t *p[2] = {&sc->fwd[k], &sc->rc[k]};
    int t[2] = {sc->min_fwd[k], sc->min_rc[k]};
    for (size_t r = 0; r < ws->nruns; r++) {
        size_t a = ws->rs[r], z = ws->re[r];
        if (z - a < (size_t)w) continue;
        size_t last = z - (size_t)w + 1 < lim ? z - (size_t)w + 1 : lim;
        for (size_t s0 = a; s0 < last; s0++) {
            const unsigned char *c = ws->codes + s0;
            for (int st = 0; st < 2; st++) {
                if (!on[st]) continue;
                const int *m = p[st]->mat;
                int sum = 0;
                for (int i = 0; i < w; i++) sum += m[i * K + c[i]];
                if (sum >= t[st]) emit(data, s0, st ? '-' : '+', sum);
            }
        }
    }
}

void cm_engine_scan(const cm_engine_t *e, const cm_scanner_t *sc, int k, cm_chunkws_t *ws,
                    size_t lim, void (*emit)(void *, size_t, char, int), void *data)
{
    int w = sc->fwd[k].w;
    if (!ws->nvalid || ws->len < (size_t)w) return;
    if (lim > ws->len - (size_t)w + 1) lim = ws->len - (size_t)w + 1;
    if (!lim) return;
    const cm_strand_filter_t *Ff = &e->f[2 * k], *Fr = &e->f[2 * k + 1];
    if (!Ff->on && !Fr->on) return;
    if (e->generic) { generic_scan(e, sc, k, ws, lim, emit, data); return; }
    if (!Ff->bucket && !Fr->bucket) {
        cm_linear_scan(Ff->on ? &Ff->look : NULL, Fr->on ? &Fr->look : NULL, w, ws->pk,
                       ws->rs, ws->re, ws->nruns, 0, lim, emit, data);
        return;
    }
    ws->nh = 0;
    if (Ff->on) bucket_scan(Ff, 0, w, ws, lim);
    if (Fr->on) bucket_scan(Fr, 1, w, ws, lim);
    size_t n = ws->nh;
    if (!n) return;
    ks_t *v = cm_malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) { v[i].k = ws->hk[i]; v[i].s = ws->hs[i]; }
    qsort(v, n, sizeof *v, ks_cmp);
    for (size_t i = 0; i < n; i++)
        emit(data, (size_t)(v[i].k >> 1), (v[i].k & 1) ? '-' : '+', v[i].s);
    free(v);
}
