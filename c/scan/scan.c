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
    o->alpha = 1.0;
}

/* --psp/--prior-dist (prior.h steps 1-2): rebuild motif k's matrices with the priors'
 * scaling, their prior-convolved p-value tables and thresholds; lo_max = the largest
 * finite prior log-odds of the PSP file (the loosest motif-score threshold is taken
 * there).  Returns 1 when that prior could lift the motif's best window above every
 * score the null distribution reaches, i.e. to p-value 0 (the distribution does not
 * cover the PSP's priors: prior.h item 6), else 0. */
static int prior_motif(cm_scanner_t *sc, const cm_motif_t *m, const cm_scan_opts_t *o, int k,
                       double lo_max)
{
    int beyond = 0;
    int w = m->w;
    double *f = cm_malloc((size_t)w * 4 * sizeof *f), *L = cm_malloc((size_t)w * 4 * sizeof *L);
    int *Z = cm_malloc((size_t)w * 4 * sizeof *Z);
    cm_motif_pseudocount(m, sc->bg, o->pseudo, f);
    cm_log_odds(f, w, sc->bg, L);   /* finite: cm_pssm_build succeeded */
    double off, scl;
    cm_prior_quantise(L, w, o->prior_dist, o->alpha, CM_PSSM_RANGE, Z, &off, &scl);
    cm_pssm_free(&sc->fwd[k]);
    cm_pssm_from_int(Z, w, off, scl, sc->bg, &sc->fwd[k]);
    struct cm_prior_pssm *P = &sc->pp[k];
    for (int t = 0; t < 2; t++) {
        if (t && sc->norc) continue;
        cm_pssm_t *ps = t ? &sc->rc[k] : &sc->fwd[k];
        if (t) {
            cm_pssm_free(ps);
            if (!sc->alph || cm_alph_is_dna(sc->alph)) cm_pssm_revcomp(&sc->fwd[k], sc->bg, ps);
            else cm_pssm_revcomp_alph(&sc->fwd[k], sc->alph, sc->bg, ps);
        }
        cm_prior_pv(ps->mat, w, sc->bg, o->prior_dist, o->alpha, CM_PSSM_RANGE, scl, off,
                    &P->pv[t], &P->npv);
        int lo = 0, hi = P->npv;   /* the first S' whose rounded p passes (pv non-increasing) */
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (cm_round_sig(P->pv[t][mid], 10) <= o->thresh) hi = mid; else lo = mid + 1;
        }
        P->tmin[t] = lo;
        /* the loosest motif-score threshold: the first S reaching tmin at lo_max (0 when
         * every window passes, even one without a prior) */
        int s0 = 0, s1 = ps->max_score + 1;
        if (lo > 0)
            while (s0 < s1) {
                int mid = s0 + (s1 - s0) / 2;
                if (cm_prior_adjust(mid, w, scl, off, lo_max, P->npv) >= lo) s1 = mid; else s0 = mid + 1;
            }
        if (lo >= P->npv) s0 = ps->max_score + 1;
        if (t) sc->min_rc[k] = s0; else sc->min_fwd[k] = s0;
        int reach = P->npv - 1;   /* the highest S' with p > 0 */
        while (reach > 0 && !(P->pv[t][reach] > 0)) reach--;
        if (cm_prior_adjust(ps->max_score, w, scl, off, lo_max, P->npv) > reach) beyond = 1;
    }
    free(f); free(L); free(Z);
    return beyond;
}

static int prior_init(cm_scanner_t *sc, const cm_motifset_t *set, const cm_scan_opts_t *o,
                      cm_err_t *err)
{
    const cm_psp_t *psp = o->psp;
    if (cm_prior_check(o->prior_dist, "--prior-dist", o->alpha, err) != 0) return -1;
    double lo_max = -INFINITY, p_max = 0;
    int i_max = -1;
    for (int i = 0; i < psp->n; i++)
        for (size_t j = 0; j < psp->s[i].n; j++) {
            double p = psp->s[i].p[j];
            if (o->alpha * p > 1)
                return cm_fail(err, "%s:%ld: --alpha %g times the prior %g of %s is > 1 (its "
                               "log-odds log2(a/(1-a)) is undefined)", psp->path, psp->s[i].lineno,
                               o->alpha, p, psp->s[i].name);
            double lo = cm_prior_log_odds(p, o->alpha);
            if (isfinite(lo) && lo > lo_max) { lo_max = lo; p_max = p; i_max = i; }
        }
    sc->psp = psp;
    sc->alpha = o->alpha;
    sc->pp = cm_calloc(set->n ? set->n : 1, sizeof *sc->pp);
    int first = set->n;   /* the first motif (file order) the priors lift to p = 0 */
    #pragma omp parallel for schedule(dynamic, 1) num_threads(o->threads > 0 ? o->threads : 1) reduction(min:first)
    for (int k = 0; k < set->n; k++)
        if (prior_motif(sc, &set->m[k], o, k, lo_max) && k < first) first = k;
    if (first < set->n && i_max >= 0)   /* (a lift needs a finite lo_max) */
        return cm_fail(err, "%s:%ld: the prior %g of %s lies above what the --prior-dist "
                       "distribution covers: motif %s would get p-value 0 there; make the "
                       "distribution from this PSP file (MEME's create-priors)",
                       psp->path, psp->s[i_max].lineno, p_max, psp->s[i_max].name,
                       set->m[first].id);
    return 0;
}

int cm_scanner_init(cm_scanner_t *sc, const cm_motifset_t *set, const cm_scan_opts_t *o,
                    cm_err_t *err)
{
    memset(sc, 0, sizeof *sc);
    /* alphabets (motif/alphabet.h): 4-letter ones (DNA, RNA) scan; RNA on the given
     * strand only, as FIMO does for alphabets without complements */
    int norc = o->norc || (set->alph.k > 0 && !set->alph.complementable);
    if (cm_bg_resolve(o->bfile, set, sc->bg, err) != 0) return -1;
    cm_bg_finish_alph(set->alph.k > 0 ? &set->alph : NULL, sc->bg, !norc);
    sc->n = set->n;
    sc->motifs = set->m;
    sc->norc = norc;
    sc->alph = set->alph.k > 0 ? &set->alph : NULL;
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
        if (!norc) {
            if (!sc->alph || cm_alph_is_dna(sc->alph)) cm_pssm_revcomp(&sc->fwd[k], sc->bg, &sc->rc[k]);
            else cm_pssm_revcomp_alph(&sc->fwd[k], sc->alph, sc->bg, &sc->rc[k]);
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
    if (o->psp && o->prior_dist && prior_init(sc, set, o, err) != 0) {
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
    for (int k = 0; sc->pp && k < sc->n; k++) { free(sc->pp[k].pv[0]); free(sc->pp[k].pv[1]); }
    free(sc->pp);
    memset(sc, 0, sizeof *sc);
}

/* ---- header coordinates ---- */

typedef struct {
    regex_t ucsc, galaxy, name;
} coord_re_t;

static void coord_re_init(coord_re_t *re)
{
    regcomp(&re->ucsc, "([^[:space:]:]+):([[:digit:]]+)-([[:digit:]]+)", REG_EXTENDED);
    /* FIMO 5.5.8's Galaxy form: the name is GENOME_CHROM, both fields (mm9_chr18) */
    regcomp(&re->galaxy, "([^[:space:]_]+_[^[:space:]_]+)_([[:digit:]]+)_([[:digit:]]+)",
            REG_EXTENDED);
    /* FIMO's name without coordinates (seq-reader-from-fasta.c parse_seq_name with
     * --parse-genomic-coord): the first run of characters other than blanks and ':' */
    regcomp(&re->name, "([^[:space:]:]+)", REG_EXTENDED);
}

static void coord_re_free(coord_re_t *re)
{
    regfree(&re->ucsc);
    regfree(&re->galaxy);
    regfree(&re->name);
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
        if (regexec(&re->name, h, 2, m, 0) == 0) {   /* "chr1:abc" -> chr1, as FIMO */
            size_t l = (size_t)(m[1].rm_eo - m[1].rm_so);
            *chrom = cm_malloc(l + 1);
            memcpy(*chrom, h + m[1].rm_so, l);
            (*chrom)[l] = 0;
        } else {
            *chrom = cm_strdup(name);
        }
        free(h);
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

typedef cm_rowbuf_t buf_t;

void cm_rowbuf_put(cm_rowbuf_t *b, const void *x, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 256;
        b->p = cm_realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, x, n);
    b->n += n;
}

#define buf_put cm_rowbuf_put

/* One chunk of a batch (fachunk.h) with its per-motif hit records (or, in rows mode,
 * its per-motif formatted rows). */
typedef struct {
    int sid;                 /* global sequence index */
    const char *name;        /* the sequence's name, offset and label (names_t's: the
                              * strings stay put while names_t's arrays grow) */
    long offset;
    const char *label;
    const cm_psp_seq_t *psp; /* its PSP record (priors) or NULL */
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
    const cm_scanner_t *sc;
    int k;
} emit_ctx_t;

static void emit_rec(void *data, size_t start0, char strand, int iscore)
{
    emit_ctx_t *e = data;
    const cm_scanner_t *sc = e->sc;
    if (sc->pp) {   /* priors: the window's own threshold (prior.h step 3) */
        int t = strand == '-';
        const cm_pssm_t *ps = t ? &sc->rc[e->k] : &sc->fwd[e->k];
        double p = cm_psp_value(e->s->psp, e->s->offset + (long)(e->s->start + start0) + 1);
        double lo = cm_prior_log_odds(p < 0 ? 0 : p, sc->alpha);
        iscore = cm_prior_adjust(iscore, e->w, ps->scale, ps->offset, lo, sc->pp[e->k].npv);
        if (iscore < sc->pp[e->k].tmin[t]) return;
    }
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
            m[t] = e->sc->alph && !cm_alph_is_dna(e->sc->alph)
                       ? cm_alph_comp_letter(e->sc->alph, src[e->w - 1 - t])
                       : (char)toupper((unsigned char)cm_comp_letter(src[e->w - 1 - t]));
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
    const cm_psp_seq_t **psp;   /* per sequence: its PSP record (priors) or NULL */
    int n, cap;
} names_t;

/* Reported score and p-value, and their FIMO text, per (motif, strand, integer score),
 * computed on first use (the 10-digit rounding and the text go through printf/strtod)
 * and shared by all threads: per motif strand the scores lo..lo+n-1 (from its
 * threshold to its maximum), in pages of SP_PAGE allocated when first hit.  A slot is
 * claimed (state 0 -> 1) by the thread that computes it first and published (-> 2);
 * a thread finding it unpublished computes its own copy (same values). */
#define SP_PAGE 64
#define SP_TXT 24
typedef struct { double s, p; char txt[SP_TXT]; } sp_val_t;
typedef struct { atomic_uchar st[SP_PAGE]; sp_val_t v[SP_PAGE]; } sp_page_t;
typedef struct { int lo, n; _Atomic(sp_page_t *) *pg; } sp_strand_t;
typedef struct { const cm_scanner_t *sc; int n; sp_strand_t *t; } sp_cache_t;

static void sp_cache_init(sp_cache_t *c, const cm_scanner_t *sc)
{
    c->sc = sc;
    c->n = sc->n;
    c->t = cm_calloc(2 * (size_t)(sc->n ? sc->n : 1), sizeof *c->t);
    for (int k = 0; k < sc->n; k++)
        for (int t = 0; t < 2; t++) {
            if (t && sc->norc) continue;
            const cm_pssm_t *ps = t ? &sc->rc[k] : &sc->fwd[k];
            int lo = t ? sc->min_rc[k] : sc->min_fwd[k], hi = ps->max_score;
            if (sc->pp) lo = sc->pp[k].tmin[t], hi = sc->pp[k].npv - 1;
            if (lo < 0) lo = 0;
            if (lo > hi) continue;
            sp_strand_t *S = &c->t[2 * k + t];
            S->lo = lo;
            S->n = hi - lo + 1;
            S->pg = cm_calloc((size_t)(S->n + SP_PAGE - 1) / SP_PAGE, sizeof *S->pg);
            for (int g = 0; g < (S->n + SP_PAGE - 1) / SP_PAGE; g++) atomic_init(&S->pg[g], NULL);
        }
}

static void sp_cache_free(sp_cache_t *c)
{
    for (int i = 0; i < 2 * c->n; i++) {
        sp_strand_t *S = &c->t[i];
        for (int g = 0; S->pg && g < (S->n + SP_PAGE - 1) / SP_PAGE; g++) free(atomic_load(&S->pg[g]));
        free(S->pg);
    }
    free(c->t);
}

static void sp_compute(const cm_scanner_t *sc, int k, int t, int s, sp_val_t *v)
{
    const cm_pssm_t *ps = t ? &sc->rc[k] : &sc->fwd[k];
    if (sc->pp) {   /* s is S' (prior.h step 3) */
        v->s = cm_round_sig((double)s / ps->scale + (ps->w + 1) * ps->offset, 10);
        v->p = s >= 0 && s < sc->pp[k].npv ? cm_round_sig(sc->pp[k].pv[t][s], 10) : 0;
    } else {
        v->s = cm_pssm_score(ps, s);
        v->p = cm_pssm_pvalue(ps, s);
    }
    int r = snprintf(v->txt, SP_TXT, "%g\t%.3g", v->s, v->p);
    if (r < 0 || r >= SP_TXT) v->txt[0] = 0;   /* too long: the writer formats it */
}

/* The values of (k, strand t, score s): a pointer into the cache, or to *tmp. */
static const sp_val_t *sp_get(sp_cache_t *c, int k, int t, int s, sp_val_t *tmp)
{
    sp_strand_t *S = &c->t[2 * k + t];
    int i = s - S->lo;
    if (!S->pg || i < 0 || i >= S->n) {
        sp_compute(c->sc, k, t, s, tmp);
        return tmp;
    }
    _Atomic(sp_page_t *) *slot = &S->pg[i / SP_PAGE];
    sp_page_t *pg = atomic_load_explicit(slot, memory_order_acquire);
    if (!pg) {
        sp_page_t *np = cm_calloc(1, sizeof *np);
        for (int j = 0; j < SP_PAGE; j++) atomic_init(&np->st[j], 0);
        sp_page_t *expect = NULL;
        if (atomic_compare_exchange_strong_explicit(slot, &expect, np, memory_order_acq_rel,
                                                    memory_order_acquire))
            pg = np;
        else {
            free(np);
            pg = expect;
        }
    }
    int j = i % SP_PAGE;
    unsigned char st = atomic_load_explicit(&pg->st[j], memory_order_acquire);
    if (st == 2) return &pg->v[j];
    sp_compute(c->sc, k, t, s, tmp);
    unsigned char zero = 0;
    if (st == 0 && atomic_compare_exchange_strong_explicit(&pg->st[j], &zero, 1, memory_order_acq_rel,
                                                           memory_order_relaxed)) {
        pg->v[j] = *tmp;
        atomic_store_explicit(&pg->st[j], 2, memory_order_release);
    }
    return tmp;
}

/* Per-thread scratch of the rows mode: hits of one (chunk, motif), their matched
 * letters, and a byte buffer swapped with the chunk's record buffer. */
typedef struct {
    cm_hit_t *h;
    sp_val_t *tmp;              /* the values of hits not found in the cache */
    size_t hcap;
    char *mt;
    size_t mtcap;
    buf_t txt;
} rows_scratch_t;

/* What the scan of one batch needs besides the chunks. */
typedef struct {
    const cm_scanner_t *sc;
    const cm_engine_t *eng;
    sp_cache_t *cache;
    int count_tested;
    cm_rows_fn rows;            /* rows mode (NULL: records for a cm_hit_fn) */
    int late;                   /* rows mode with one thread: keep the (smaller) records
                                 * and format each piece when it is written */
    const void *rows_data;
    rows_scratch_t *ts;         /* per thread (rows mode) */
    atomic_long nrows;
    cm_hit_fn fn;               /* records mode: the callback */
    void *data;
    cm_write_fn write;          /* rows mode: the writer */
    void *wdata;
    const names_t *nm;          /* records mode: names (read only after the scan or
                                 * between batches) */
    FILE *spill;
    long count;                 /* hits handed to fn */
} scan_ctx_t;

/* Fill hit from record h of motif k (matched letters at mt, w + 1 bytes) with the
 * sequence's name, offset and label. */
static void hit_from_rec(scan_ctx_t *X, int k, const hrec_t *h, const char *name, long offset,
                         const char *label, char *mt, cm_hit_t *hit, sp_val_t *tmp)
{
    const cm_scanner_t *sc = X->sc;
    int w = sc->fwd[k].w;
    hit->motif = k;
    hit->motif_id = sc->motifs[k].id;
    hit->motif_alt = sc->motifs[k].alt ? sc->motifs[k].alt : "";
    hit->seq_name = name;
    hit->seq_index = (int)h->sid;
    hit->region = label;
    hit->start = offset + (long)h->pos0 + 1;
    hit->stop = hit->start + w - 1;
    hit->strand = h->strand;
    hit->iscore = h->iscore;
    const sp_val_t *v = sp_get(X->cache, k, h->strand == '-', h->iscore, tmp);
    hit->score = v->s;
    hit->pvalue = v->p;
    hit->sp_text = v->txt[0] ? v->txt : NULL;   /* v is stable while the hit is used */
    hit->qvalue = NAN;
    hit->matched = mt;
}

/* Rows mode: turn the records of motif k in chunk q into formatted rows (in place:
 * q->out[k] gets the bytes, the thread's scratch the record buffer). */
/* The rows of records p[0..n) of motif k into T->txt (emptied first): names from q, or
 * (q NULL, after the scan) from X->nm. */
static void rows_of(scan_ctx_t *X, int k, const char *p, size_t n, const bseq_t *q, rows_scratch_t *T)
{
    const buf_t src = {(char *)p, n, n}, *o = &src;
    int w = X->sc->fwd[k].w;
    size_t rs = sizeof(hrec_t) + (size_t)w, nh = o->n / rs;
    if (nh > T->hcap) {
        T->hcap = nh * 2;
        T->h = cm_realloc(T->h, T->hcap * sizeof *T->h);
        T->tmp = cm_realloc(T->tmp, T->hcap * sizeof *T->tmp);
    }
    /* the cached values a hit points to: a cache slot, or one of these */
    sp_val_t *tmp = T->tmp;
    if (nh * ((size_t)w + 1) > T->mtcap) {
        T->mtcap = nh * ((size_t)w + 1) * 2;
        T->mt = cm_realloc(T->mt, T->mtcap);
    }
    for (size_t i = 0; i < nh; i++) {
        hrec_t h;
        memcpy(&h, o->p + i * rs, sizeof h);
        char *mt = T->mt + i * ((size_t)w + 1);
        memcpy(mt, o->p + i * rs + sizeof h, (size_t)w);
        mt[w] = 0;
        if (q)
            hit_from_rec(X, k, &h, q->name, q->offset, q->label, mt, &T->h[i], &tmp[i]);
        else
            hit_from_rec(X, k, &h, X->nm->name[h.sid], X->nm->offset[h.sid], X->nm->label[h.sid],
                         mt, &T->h[i], &tmp[i]);
    }
    T->txt.n = 0;
    size_t r = X->rows(T->h, nh, X->rows_data, &T->txt);
    atomic_fetch_add(&X->nrows, (long)r);
}

/* Rows mode with 2+ threads: turn the records of motif k in chunk q into formatted rows
 * on thread tid: q->out[k] gets the bytes, in a buffer of their size (formatted in the
 * thread's scratch, which only grows: no buffer is grown piece by piece, and the rows
 * held until they are written take no slack). */
static void format_rows(scan_ctx_t *X, bseq_t *q, int k, int tid)
{
    buf_t *o = &q->out[k];
    if (!o->n) return;
    rows_scratch_t *T = &X->ts[tid];
    rows_of(X, k, o->p, o->n, q, T);
    free(o->p);
    o->n = o->cap = T->txt.n;
    o->p = o->n ? cm_malloc(o->n) : NULL;
    if (o->n) memcpy(o->p, T->txt.p, o->n);
}

/* Hand the hit records p[0..n) of motif k to X->fn, counting them in X->count. */
static int deliver(scan_ctx_t *X, int k, const char *p, size_t n, cm_err_t *err)
{
    const cm_scanner_t *sc = X->sc;
    int w = sc->fwd[k].w;
    size_t rs = sizeof(hrec_t) + (size_t)w;
    char *mt = cm_malloc((size_t)w + 1);
    for (size_t o = 0; o + rs <= n; o += rs) {
        hrec_t h;
        memcpy(&h, p + o, sizeof h);
        memcpy(mt, p + o + sizeof h, (size_t)w);
        mt[w] = 0;
        cm_hit_t hit;
        sp_val_t tmp;
        hit_from_rec(X, k, &h, X->nm->name[h.sid], X->nm->offset[h.sid], X->nm->label[h.sid],
                     mt, &hit, &tmp);
        X->count++;
        if (X->fn(&hit, X->data, err) != 0) {
            free(mt);
            if (!err || !err->msg[0]) cm_fail(err, "scan stopped by the output writer");
            return -1;
        }
    }
    free(mt);
    return 0;
}

/* One piece (records or rows) of motif k, in order. */
static int deliver_piece(scan_ctx_t *X, int k, const char *p, size_t n, cm_err_t *err)
{
    if (!n) return 0;
    if (X->rows && X->late) {   /* one thread: records formatted now, piece by piece */
        rows_of(X, k, p, n, NULL, &X->ts[0]);
        return X->ts[0].txt.n && X->write(X->ts[0].txt.p, X->ts[0].txt.n, X->wdata, err) != 0 ? -1 : 0;
    }
    if (X->rows) return X->write(p, n, X->wdata, err) != 0 ? -1 : 0;
    return deliver(X, k, p, n, err);
}

/* Read up to nbatch chunks from next into bs[0..*nb), registering each new sequence's
 * name in nm (coordinates parsed with re when pgc).  Returns next's last answer: 1 =
 * the batch is full (more may follow), 0 = the source ended, -1 with err. */
static int read_batch(cm_chunk_fn next, void *src, bseq_t *bs, size_t nbatch, names_t *nm,
                      const coord_re_t *re, int pgc, const cm_psp_t *psp, int *nb, cm_err_t *err)
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
                nm->psp = cm_realloc(nm->psp, (size_t)nm->cap * sizeof *nm->psp);
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
            nm->psp[nm->n] = NULL;
            nm->n++;
            if (psp) {   /* FIMO: the PSP records follow the FASTA's sequences, in order */
                const char *name = nm->name[nm->n - 1];
                if (nm->n > psp->n)
                    return cm_fail(err, "%s: no PSP record for sequence %d, %s (the file has %d; "
                                   "FIMO needs one per sequence, in the FASTA's order)",
                                   psp->path, nm->n, name, psp->n);
                const cm_psp_seq_t *r = &psp->s[nm->n - 1];
                if (strcmp(r->name, name) != 0)
                    return cm_fail(err, "%s:%ld: PSP record %s does not match sequence %d of the "
                                   "FASTA, %s (FIMO needs one record per sequence, in the same "
                                   "order)", psp->path, r->lineno, r->name, nm->n, name);
                nm->psp[nm->n - 1] = r;
            }
        }
        bseq_t *q = &bs[(*nb)++];
        q->sid = nm->n - 1;
        q->name = nm->name[q->sid];
        q->offset = nm->offset[q->sid];
        q->label = nm->label[q->sid];
        q->psp = nm->psp[q->sid];
        q->start = ck.start;
        q->len = ck.len;
        q->last = ck.last;
        q->text = cm_realloc(q->text, ck.len + 1);
        memcpy(q->text, ck.seq, ck.len + 1);
    }
    return rc;
}

/* Scan motifs k0..k1-1 over chunk q, prepared in W, on thread tid: records into
 * q->out[k] (formatted into rows at once when fmt, in rows mode), and when counting
 * the windows without a non-ACGT letter into q->tested[k]. */
static void scan_motifs(scan_ctx_t *X, bseq_t *q, cm_chunkws_t *W, int k0, int k1, int tid, int fmt)
{
    const cm_scanner_t *sc = X->sc;
    const cm_engine_t *eng = X->eng;
    for (int k = k0; k < k1; k++) {
        size_t w = (size_t)sc->fwd[k].w;
        size_t cut = q->last ? w : (size_t)eng->wmax;
        q->tested[k] = 0;
        if (q->len < cut) continue;
        size_t lim = q->len - cut + 1;
        if (X->count_tested)   /* windows of this chunk without a non-ACGT letter */
            for (size_t r = 0; r < W->nruns; r++) {
                size_t a = W->rs[r], e = W->re[r];
                if (e - a < w || a >= lim) continue;
                size_t z = e - w + 1 < lim ? e - w + 1 : lim;
                q->tested[k] += z - a;
            }
        emit_ctx_t e = {&q->out[k], q, (int)w, sc, k};
        cm_engine_scan(eng, sc, k, W, lim, emit_rec, &e);
        if (fmt && X->rows && !X->late) format_rows(X, q, k, tid);
    }
}

/* Rows mode with 2+ threads: format the records of motifs k0..k1-1 in chunks bs[0..nb),
 * motif by motif (a motif's score and p-value texts stay in cache across its chunks;
 * chunk by chunk they would be fetched again for every chunk). */
static void format_group(scan_ctx_t *X, bseq_t *bs, int nb, int k0, int k1, int tid)
{
    for (int k = k0; k < k1; k++)
        for (int b = 0; b < nb; b++) format_rows(X, &bs[b], k, tid);
}

/* Deliver every hit of motif k in scan order: its spilled pieces, those held in m,
 * then those of the chunks bs[0..nb) (the last batch, not moved to m); the pieces held
 * in memory are freed once delivered (a motif is delivered once), so the last batch's
 * pipeline holds only the motifs not yet written. */
static int deliver_motif(scan_ctx_t *X, int k, motif_hits_t *m, bseq_t *bs, int nb, cm_err_t *err)
{
    int r = 0;
    for (int c = 0; r == 0 && c < m->nch; c++) {
        char *p = cm_malloc(m->ch[c].len);
        if (fseek(X->spill, m->ch[c].off, SEEK_SET) != 0 ||
            fread(p, 1, m->ch[c].len, X->spill) != m->ch[c].len)
            r = cm_fail(err, "cannot read hits back from a temporary file");
        else
            r = deliver_piece(X, k, p, m->ch[c].len, err);
        free(p);
    }
    for (int j = 0; r == 0 && j < m->nmem; j++) {
        r = deliver_piece(X, k, m->mem[j].p, m->mem[j].n, err);
        free(m->mem[j].p);
        memset(&m->mem[j], 0, sizeof m->mem[j]);
    }
    for (int b = 0; r == 0 && b < nb; b++) {
        r = deliver_piece(X, k, bs[b].out[k].p, bs[b].out[k].n, err);
        free(bs[b].out[k].p);
        memset(&bs[b].out[k], 0, sizeof bs[b].out[k]);
    }
    return r;
}

/* The last batch with 2+ threads: the hits of a motif are complete once every chunk
 * of this batch is scanned for it, and a complete motif group is delivered by whichever
 * thread finds it complete first and no delivery running, while the other threads scan
 * on: the serial part (the callback, or writing the rows) runs beside the scan instead
 * of after it.  Order of delivery = motif order, as always.  The motifs are scanned in G
 * groups; the work items, taken in order by any thread, are
 *   - for each chunk but the last PL_TAIL: its G groups, the preparation (run_item)
 *     of the next chunk before them: the threads scan one chunk at
 *     a time with different motifs, while its index is in the shared cache (as in the
 *     earlier batches), and the next chunk is ready when they reach it;
 *   - the last PL_TAIL chunks (prepared before the groups of the chunk before them):
 *     their groups in supergroups, groups sg[s]..sg[s+1]-1 (G/4 each, the last G/4
 *     halved down to one group: 8 8 8 4 2 1 1 of 32), chunk-major within: each
 *     supergroup is complete, and written, while the next one is scanned, and what is
 *     written after the scan is one group.  The PL_TAIL chunks' indexes (about 5 MB
 *     each) stay in the shared cache through their supergroups; all of a batch's would
 *     not.
 * In rows mode a complete group is first formatted (format_group, by any thread: taken
 * before scan items), then written.  A scan item waits for its chunk's preparation,
 * taken earlier by a running thread.  It scans a copy of the prepared chunk with its
 * thread's own bucket scratch (wsc[thread], the only part cm_engine_scan writes).
 * Returns 0, or -1 with err. */
#define PL_TAIL 3

/* A work item of a batch with 2+ threads: prepare chunk b (g = PL_PREP), scan group g
 * over chunk b (g >= 0), or format group -g - 2 over all chunks (g <= PL_FMT(0)). */
typedef struct { int b, g; } pl_item_t;
#define PL_PREP (-1)
#define PL_FMT(f) (-(f) - 2)
#define PL_FMT_GROUP(g) (-(g) - 2)   /* the group of a formatting item */

/* First motif of group g of G over K motifs (group g: gk(K, g, G) .. gk(K, g + 1, G) - 1). */
static inline int gk(int K, int g, int G) { return (int)((long)K * g / G); }

/* Append to it[n..) the items of chunks b0..b1-1, chunk-major: for each chunk its G
 * groups, with the preparation of the next chunk before them (so that it is ready when
 * the threads reach it) -- after the last, the preparations of chunks b1..pe-1 -- and
 * chunk b0's first.  b0 == b1: only the preparations of b1..pe-1.  Returns the new n. */
static long items_chunk_major(pl_item_t *it, long n, int b0, int b1, int G, int pe)
{
    if (b0 == b1) {
        for (int c = b1; c < pe; c++) it[n++] = (pl_item_t){c, PL_PREP};
        return n;
    }
    it[n++] = (pl_item_t){b0, PL_PREP};
    for (int b = b0; b < b1; b++) {
        if (b + 1 < b1) it[n++] = (pl_item_t){b + 1, PL_PREP};
        else for (int c = b1; c < pe; c++) it[n++] = (pl_item_t){c, PL_PREP};
        for (int g = 0; g < G; g++) it[n++] = (pl_item_t){b, g};
    }
    return n;
}

/* Workspaces of a batch with 2+ threads: PL_SLOTS, chunk b in ws[b % PL_SLOTS] (a
 * chunk's index is about 5 MB: one per chunk of an 8 Mi batch would be 16 of them).
 * Chunk b is prepared there once chunk b - PL_SLOTS, the slot's previous chunk, is
 * scanned for all G groups.  Both item orders (items_chunk_major, pipeline_last's tail)
 * take every scan of chunk b - PL_SLOTS before the preparation of chunk b, so the wait
 * ends. */
#define PL_SLOTS (PL_TAIL + 3)

/* What the items of a batch share: per chunk, prepared (ready) and groups scanned
 * (fin); per group, chunks scanned (gdone). */
typedef struct { atomic_int *ready, *fin, *gdone; int G; } pl_sync_t;

/* Run item t (a preparation or a scan, not a formatting) on thread tid: the scan of
 * group t.g over chunk t.b waits for its preparation, then uses a copy of the slot's
 * workspace with the thread's own bucket scratch T (the only part cm_engine_scan
 * writes), and counts itself in y->fin and y->gdone. */
static void run_item(scan_ctx_t *X, bseq_t *bs, cm_chunkws_t *ws, cm_chunkws_t *T,
                     const pl_sync_t *y, pl_item_t t, int tid)
{
    int b = t.b, g = t.g, G = y->G, K = X->sc->n;
    if (g == PL_PREP) {
        if (b >= PL_SLOTS)
            while (atomic_load(&y->fin[b - PL_SLOTS]) < G) ;
        cm_chunkws_prepare(&ws[b % PL_SLOTS], X->eng, bs[b].text, bs[b].len);
        atomic_store(&y->ready[b], 1);
        return;
    }
    while (!atomic_load(&y->ready[b])) ;   /* taken earlier by a running thread */
    cm_chunkws_t W = ws[b % PL_SLOTS];
    W.hk = T->hk; W.hs = T->hs; W.hcap = T->hcap; W.nh = 0;
    scan_motifs(X, &bs[b], &W, gk(K, g, G), gk(K, g + 1, G), tid, 0);
    T->hk = W.hk; T->hs = W.hs; T->hcap = W.hcap;
    atomic_fetch_add(&y->fin[b], 1);
    atomic_fetch_add(&y->gdone[g], 1);
}

static int pipeline_last(scan_ctx_t *X, bseq_t *bs, int nb, motif_hits_t *mh, cm_chunkws_t *ws,
                         cm_chunkws_t *wsc, int threads, cm_err_t *err)
{
    int K = X->sc->n;
    if (K == 0) return 0;
    int G = K < 32 ? K : 32;           /* groups of consecutive motifs */
    int sg[33], S = 0, full = G / 4 > 0 ? G / 4 : 1;   /* S <= G <= 32 supergroups */
    sg[0] = 0;
    while (sg[S] < G) {
        int r = G - sg[S], n = r > full ? full : r > 1 ? (r + 1) / 2 : 1;
        sg[S + 1] = sg[S] + n;
        S++;
    }
    long nitems = (long)(G + 1) * nb;
    pl_item_t *it = cm_malloc((size_t)nitems * sizeof *it);
    int head = nb > PL_TAIL ? nb - PL_TAIL : 0;
    long n = items_chunk_major(it, 0, 0, head, G, nb);
    for (int u = 0; u < S; u++)
        for (int b = head; b < nb; b++)
            for (int g = sg[u]; g < sg[u + 1]; g++) it[n++] = (pl_item_t){b, g};
    int fmt = X->rows && !X->late;     /* groups are formatted before they are written */
    atomic_long next_item = 0;
    atomic_int *ready = cm_calloc((size_t)(2 * G + 2 * nb), sizeof *ready);
    pl_sync_t y = {ready, ready + nb, ready + 2 * nb, G};
    atomic_int *done = y.gdone;                                  /* chunks scanned per group */
    atomic_int *formatted = done + G;                            /* per group */
    atomic_int busy = 0, failed = 0;
    atomic_int next_group = 0;         /* next group to deliver (written under busy) */
    atomic_int next_fmt = 0;           /* next group to format */
    #pragma omp parallel num_threads(threads)
    {
        int tid = omp_thread();
        cm_chunkws_t *T = &wsc[tid];
        for (;;) {
            if (atomic_load(&failed)) break;
            /* deliver the complete groups, in order, if no one else is */
            int ng = atomic_load(&next_group);   /* a peek: re-checked under busy */
            if (ng < G && atomic_load(fmt ? &formatted[ng] : &done[ng]) == (fmt ? 1 : nb)) {
                int zero = 0;
                if (atomic_compare_exchange_strong(&busy, &zero, 1)) {
                    for (int g; (g = atomic_load(&next_group)) < G &&
                                atomic_load(fmt ? &formatted[g] : &done[g]) == (fmt ? 1 : nb);) {
                        int k0 = gk(K, g, G), k1 = gk(K, g + 1, G);
                        for (int k = k0; k < k1; k++)
                            if (deliver_motif(X, k, &mh[k], bs, nb, err) != 0) {
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
            /* format the next complete group, if no one has taken it */
            int nf = atomic_load(&next_fmt);
            if (fmt && nf < G && atomic_load(&done[nf]) == nb &&
                atomic_compare_exchange_strong(&next_fmt, &nf, nf + 1)) {
                format_group(X, bs, nb, gk(K, nf, G), gk(K, nf + 1, G), tid);
                atomic_store(&formatted[nf], 1);
                continue;
            }
            long i = atomic_fetch_add(&next_item, 1);
            if (i >= nitems) {   /* no scan left: format what is left, if anything */
                if (!fmt || atomic_load(&next_fmt) >= G) break;
                atomic_fetch_sub(&next_item, 1);   /* keeps next_item from wrapping */
                continue;
            }
            run_item(X, bs, ws, T, &y, it[i], tid);
        }
    }
    for (int g = next_group; !failed && g < G; g++)   /* the rest, after the scan */
        for (int k = gk(K, g, G); k < gk(K, g + 1, G); k++)
            if (deliver_motif(X, k, &mh[k], bs, nb, err) != 0) {
                failed = 1;
                break;
            }
    free(ready);
    free(it);
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

/* read_batch's arguments and answer, for cm_engine_init_beside. */
typedef struct {
    cm_chunk_fn next;
    void *src;
    bseq_t *bs;
    size_t nbatch;
    names_t *nm;
    const coord_re_t *re;
    int pgc;
    const cm_psp_t *psp;
    int *nb;
    cm_err_t *err;
    int rc;
} first_read_t;

static void first_read(void *arg)
{
    first_read_t *f = arg;
    f->rc = read_batch(f->next, f->src, f->bs, f->nbatch, f->nm, f->re, f->pgc, f->psp, f->nb, f->err);
}

/* The scan driver of cm_scan_chunks (fn) and cm_scan_chunks_rows (rows). */
static int scan_driver(const cm_scanner_t *sc, const cm_scan_opts_t *o, cm_chunk_fn next, void *src,
                       cm_hit_fn fn, void *data, cm_rows_fn rows, const void *rows_data,
                       cm_write_fn write, void *wdata, long *nhits, uint64_t *tested, cm_err_t *err)
{
    int ret = -1, K = sc->n;
    int threads = o->threads > 0 ? o->threads : 1;
    cm_engine_t eng;
    sp_cache_t cache;
    sp_cache_init(&cache, sc);
    size_t cb, ov;
    cm_scan_chunking(sc, o, &cb, &ov);
    size_t nbatch = o->batch_bases / cb;
    if (nbatch < (size_t)threads) nbatch = (size_t)threads;
    if (tested) memset(tested, 0, (size_t)K * sizeof *tested);
    coord_re_t re;
    coord_re_init(&re);
    names_t nm = {0};
    motif_hits_t *mh = cm_calloc(K ? K : 1, sizeof *mh);
    scan_ctx_t X;
    memset(&X, 0, sizeof X);
    X.sc = sc;
    X.eng = &eng;
    X.cache = &cache;
    X.count_tested = tested != NULL;
    X.rows = rows;
    X.rows_data = rows_data;
    X.late = threads == 1;
    X.ts = rows ? cm_calloc((size_t)threads, sizeof *X.ts) : NULL;
    atomic_init(&X.nrows, 0);
    X.fn = fn;
    X.data = data;
    X.write = write;
    X.wdata = wdata;
    X.nm = &nm;
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
    /* per thread, and with 2+ threads the PL_SLOTS chunk slots of run_item */
    size_t nws = threads > 1 && PL_SLOTS > threads ? PL_SLOTS : (size_t)threads;
    cm_chunkws_t *ws = cm_calloc(nws, sizeof *ws), *wsc = cm_calloc((size_t)threads, sizeof *wsc);
    int nb = 0, rc = 1, delivered = 0;

    /* the first batch is read while the other threads build the engine */
    first_read_t fr = {next, src, bs, nbatch, &nm, &re, o->pgc, sc->psp, &nb, err, 0};
    cm_engine_init_beside(&eng, sc, o->method, threads, first_read, &fr);
    rc = fr.rc;
    for (;;) {
        if (rc < 0) goto out;
        if (nb == 0) break;

        if (threads > 1 && rc == 0) {
            /* the last batch: scanned and delivered at once (see pipeline_last) */
            if (pipeline_last(&X, bs, nb, mh, ws, wsc, threads, err) != 0) goto out;
            if (tested)
                for (int b = 0; b < nb; b++)
                    for (int k = 0; k < K; k++) tested[k] += bs[b].tested[k] * (uint64_t)(sc->norc || o->max_strand ? 1 : 2);
            delivered = 1;
            break;
        }
        /* scan the batch; with 2+ threads item 0 reads the next batch meanwhile (into
         * bs2: bs holds the one being scanned), so decompression overlaps the scan */
        int nb2 = 0, rc2 = 0, ahead = threads > 1 && rc == 1;
        /* with 2+ threads the work items are those of items_chunk_major: chunk by chunk,
         * its motif groups, the next chunk's preparation (run_item) before them, so a
         * batch whose sequence sits in a few chunks (the end of a run of N) is still
         * shared, and the threads scan one chunk at a time with different motifs (one
         * chunk's index in the shared cache, not one per thread); in rows mode then the
         * formatting of each group over all chunks (format_group).  A dynamic loop hands
         * out iterations in order, so what an item waits for (a chunk's preparation, a
         * group's scans) was taken before it by a running thread; each scan uses a copy
         * of the prepared chunk with its thread's own bucket scratch, as in pipeline_last */
        int G = threads > 1 && K > 1 ? (K < 32 ? K : 32) : 1;
        int fmt = X.rows && !X.late;
        long nit = 0;
        pl_item_t *it = NULL;
        atomic_int *ready = NULL;
        pl_sync_t y = {NULL, NULL, NULL, G};
        if (G > 1) {
            it = cm_malloc(((size_t)(G + 1) * nb + (size_t)G) * sizeof *it);
            nit = items_chunk_major(it, 0, 0, nb, G, nb);
            for (int f = 0; fmt && f < G; f++) it[nit++] = (pl_item_t){0, PL_FMT(f)};
            ready = cm_calloc((size_t)(2 * nb + G), sizeof *ready);
            y = (pl_sync_t){ready, ready + nb, ready + 2 * nb, G};
        }
        #pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (long i = -ahead; i < (G > 1 ? nit : nb); i++) {
            if (i < 0) {
                rc2 = read_batch(next, src, bs2, nbatch, &nm, &re, o->pgc, sc->psp, &nb2, err);
                continue;
            }
            int tid = omp_thread();
            if (G == 1) {
                bseq_t *q = &bs[i];
                cm_chunkws_t *W = &ws[tid];
                cm_chunkws_prepare(W, &eng, q->text, q->len);
                scan_motifs(&X, q, W, 0, K, tid, 1);
                continue;
            }
            if (it[i].g < PL_PREP) {   /* format group f once all chunks are scanned for it */
                int f = PL_FMT_GROUP(it[i].g);
                while (atomic_load(&y.gdone[f]) < nb) ;
                format_group(&X, bs, nb, gk(K, f, G), gk(K, f + 1, G), tid);
                continue;
            }
            run_item(&X, bs, ws, &wsc[tid], &y, it[i], tid);
        }
        free(it);
        free(ready);
        if (tested)
            for (int b = 0; b < nb; b++)
                for (int k = 0; k < K; k++) tested[k] += bs[b].tested[k] * (uint64_t)(sc->norc || o->max_strand ? 1 : 2);
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

        /* spill every motif's pieces when too much is held in memory (not after the
         * last batch: they are delivered, and freed, right away) */
        if (mem_bytes > o->spill_bytes && rc != 0) {
            if (!X.spill && !(X.spill = tmpfile())) {
                cm_fail(err, "cannot create a temporary file for hits");
                goto out;
            }
            for (int k = 0; k < K; k++) {
                motif_hits_t *m = &mh[k];
                for (int j = 0; j < m->nmem; j++) {
                    buf_t *x = &m->mem[j];
                    if (fseek(X.spill, spill_end, SEEK_SET) != 0 ||
                        fwrite(x->p, 1, x->n, X.spill) != x->n) {
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
            rc = read_batch(next, src, bs, nbatch, &nm, &re, o->pgc, sc->psp, &nb, err);
        } else {
            break;
        }
    }

    /* deliver in motif order */
    for (int k = 0; !delivered && k < K; k++)
        if (deliver_motif(&X, k, &mh[k], NULL, 0, err) != 0) goto out;
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
    for (int t = 0; X.ts && t < threads; t++) { free(X.ts[t].h); free(X.ts[t].tmp); free(X.ts[t].mt); free(X.ts[t].txt.p); }
    free(X.ts);
    cm_engine_free(&eng);
    sp_cache_free(&cache);
    for (int k = 0; k < K; k++) {
        for (int j = 0; j < mh[k].nmem; j++) free(mh[k].mem[j].p);
        free(mh[k].mem);
        free(mh[k].ch);
    }
    free(mh);
    for (int i = 0; i < nm.n; i++) { free(nm.name[i]); free(nm.label[i]); }
    free(nm.name); free(nm.offset); free(nm.label); free(nm.psp);
    if (X.spill) fclose(X.spill);
    coord_re_free(&re);
    if (nhits) *nhits = rows ? atomic_load(&X.nrows) : X.count;
    return ret;
}

int cm_scan_chunks(const cm_scanner_t *sc, const cm_scan_opts_t *o, cm_chunk_fn next, void *src,
                   cm_hit_fn fn, void *data, long *nhits, uint64_t *tested, cm_err_t *err)
{
    return scan_driver(sc, o, next, src, fn, data, NULL, NULL, NULL, NULL, nhits, tested, err);
}

int cm_scan_chunks_rows(const cm_scanner_t *sc, const cm_scan_opts_t *o, cm_chunk_fn next,
                        void *src, cm_rows_fn rows, const void *rows_data, cm_write_fn write,
                        void *wdata, long *nrows, uint64_t *tested, cm_err_t *err)
{
    return scan_driver(sc, o, next, src, NULL, NULL, rows, rows_data, write, wdata, nrows, tested, err);
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
    h->sp_text = NULL;   /* points into the scan's cache */
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
