/* scan_q.c — see scan_q.h (Storey 2002; Benjamini & Hochberg 1995; COMPAT.md item 11). */
#include "scan/scan_q.h"
#include "core/dna.h"
#include "stats/qvalue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


int cm_qv_mode_parse(const char *s, cm_qv_mode_t *mode)
{
    if (!strcmp(s, "fimo")) *mode = CM_QV_FIMO;
    else if (!strcmp(s, "bh")) *mode = CM_QV_BH;
    else if (!strcmp(s, "storey")) *mode = CM_QV_STOREY;
    else if (!strcmp(s, "none")) *mode = CM_QV_NONE;
    else return -1;
    return 0;
}

/* ---- capping ---- */

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct { int nmotifs; cm_qv_motif_t *info; } cap_ctx_t;

/* cm_hitlist_filter's test: p below its motif's cutoff (counting the others). */
static int cap_keep(const cm_hit_t *h, void *data)
{
    cap_ctx_t *c = data;
    int k = h->motif;
    if (k >= 0 && k < c->nmotifs && !(h->pvalue < c->info[k].cutoff)) {
        c->info[k].dropped++;
        return 0;
    }
    return 1;
}

void cm_qv_cap_hits(cm_hitlist_t *l, int nmotifs, size_t max_stored, cm_qv_motif_t *info)
{
    if (max_stored < 1) max_stored = 1;
    for (int k = 0; k < nmotifs; k++) { info[k].cutoff = 2; info[k].dropped = 0; }
    double *st = cm_malloc(max_stored * sizeof *st);
    size_t i = 0;
    while (i < l->n) {
        int k = l->hit[i].motif;
        size_t j = i, ns = 0;
        double cut = 2;
        for (; j < l->n && l->hit[j].motif == k; j++) {
            double p = l->hit[j].pvalue;
            if (!(p < cut)) continue;
            st[ns++] = p;
            if (ns == max_stored) {
                qsort(st, ns, sizeof *st, cmp_dbl);
                cut = st[max_stored / 2];
                size_t keep = 0;
                while (keep < ns && st[keep] < cut) keep++;
                ns = keep;
            }
        }
        if (k >= 0 && k < nmotifs) info[k].cutoff = cut;
        i = j;
    }
    free(st);
    /* keep p < cutoff of its motif, in order */
    cap_ctx_t cx = {nmotifs, info};
    cm_hitlist_filter(l, cap_keep, &cx);
}

/* ---- passes over the sequence file ---- */

typedef struct {
    const cm_scanner_t *sc;
    int nst;                  /* strands per window */
    int maxst;                /* --max-strand (both strands scanned): one test per window,
                               * the strand of the higher score ('+' on ties), as FIMO
                               * records (and samples) only that one */
    uint64_t *m;              /* per motif: items so far */
    uint64_t (*hist)[CM_STOREY_BINS];    /* per motif (STOREY) or NULL */
    unsigned char **fbin, **rbin;  /* per motif: bin of each integer score */
    /* FIMO pass B */
    uint64_t **want;          /* per motif: sorted unique item indices */
    size_t *nwant, *cur;
    double **val;             /* per motif: pv of want[i] */
} pass_t;

static int window_score(const int *mat, int w, const unsigned char *c)
{
    int s = 0;
    for (int j = 0; j < w; j++) s += mat[j * 4 + c[j]];
    return s;
}

/* One chunk (fachunk.h ownership: window starts [0, len − wmax + 1), all full windows
 * in a record's last chunk): its runs of codes 0..3, in scan order. */
static void pass_chunk(pass_t *P, const unsigned char *c, size_t len, int last, size_t wmax,
                       long pbase, const cm_psp_seq_t *rec)
{
    const cm_scanner_t *sc = P->sc;
    size_t i = 0;
    while (i < len) {
        while (i < len && c[i] > 3) i++;
        size_t a = i;
        while (i < len && c[i] <= 3) i++;
        if (i == a) continue;
        for (int k = 0; k < sc->n; k++) {
            size_t w = (size_t)sc->fwd[k].w, cut = last ? w : wmax;
            if (len < cut || i - a < w) continue;
            size_t lim = len - cut + 1, z = i - w + 1 < lim ? i - w + 1 : lim;
            if (a >= z) continue;
            uint64_t nwin = z - a, items = nwin * (uint64_t)P->nst, base = P->m[k];
            if (P->hist) {
                uint64_t *h = P->hist[k];
                for (uint64_t x = 0; x < nwin; x++) {
                    int sf = window_score(sc->fwd[k].mat, (int)w, c + a + x);
                    if (P->maxst) {
                        int sr = window_score(sc->rc[k].mat, (int)w, c + a + x);
                        h[sr > sf ? P->rbin[k][sr] : P->fbin[k][sf]]++;
                        continue;
                    }
                    h[P->fbin[k][sf]]++;
                    if (P->nst == 2) h[P->rbin[k][window_score(sc->rc[k].mat, (int)w, c + a + x)]]++;
                }
            }
            if (P->want) {
                while (P->cur[k] < P->nwant[k] && P->want[k][P->cur[k]] < base + items) {
                    uint64_t it = P->want[k][P->cur[k]] - base;
                    size_t pos = a + (size_t)(it / (uint64_t)P->nst);
                    int t = (int)(it % (uint64_t)P->nst);
                    const cm_pssm_t *ps = t ? &sc->rc[k] : &sc->fwd[k];
                    int sc0 = window_score(ps->mat, (int)w, c + pos);
                    double lo = 0;
                    if (sc->pp) {   /* priors (prior.h): the window's adjusted score */
                        double pr = cm_psp_value(rec, pbase + (long)pos + 1);
                        lo = cm_prior_log_odds(pr < 0 ? 0 : pr, sc->alpha);
                        sc0 = cm_prior_adjust(sc0, (int)w, ps->scale, ps->offset, lo, sc->pp[k].npv);
                    }
                    if (P->maxst) {   /* the better strand's ('+' on ties) */
                        int sr = window_score(sc->rc[k].mat, (int)w, c + pos);
                        if (sc->pp)
                            sr = cm_prior_adjust(sr, (int)w, sc->rc[k].scale, sc->rc[k].offset, lo,
                                                 sc->pp[k].npv);
                        if (sr > sc0) { t = 1; sc0 = sr; ps = &sc->rc[k]; }
                    }
                    P->val[k][P->cur[k]] = sc->pp ? sc->pp[k].pv[t][sc0] : ps->pv[sc0];
                    P->cur[k]++;
                }
            }
            P->m[k] = base + items;
        }
    }
}

static int run_pass(pass_t *P, const cm_source_t *src, const cm_scan_opts_t *o, cm_err_t *err)
{
    size_t cb, ov;
    cm_scan_chunking(P->sc, o, &cb, &ov);
    void *h = src->open(src->ctx, cb, ov, err);
    if (!h) return -1;
    unsigned char *codes = NULL;
    size_t ccap = 0;
    int rc;
    cm_chunk_t c;
    memset(P->m, 0, (size_t)P->sc->n * sizeof *P->m);
    const cm_psp_t *psp = P->sc->psp;
    int seq = -1;
    long off = 0;
    while ((rc = src->next(h, &c, err)) == 1) {
        if (c.first) {   /* priors: the sequence's PSP record and coordinate offset */
            seq++;
            off = 0;
            if (psp) {
                char *nm = NULL;
                if (c.has_offset) off = c.offset;
                else if (o->pgc) cm_parse_coords(c.name, c.desc, &nm, &off);
                free(nm);
            }
        }
        if (c.len + 1 > ccap) {
            ccap = c.len + 1;
            free(codes);
            codes = cm_malloc(ccap);
        }
        for (size_t i = 0; i < c.len; i++) codes[i] = cm_nt4((unsigned char)c.seq[i]);
        pass_chunk(P, codes, c.len, c.last, ov + 1, off + (long)c.start,
                   psp && seq >= 0 && seq < psp->n ? &psp->s[seq] : NULL);
    }
    free(codes);
    src->close(h);
    return rc < 0 ? -1 : 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The reservoir of one motif: slot[s] = item index held by slot s at the end. */
static size_t reservoir_items(uint64_t n, cm_mt19937_t *rng, uint64_t *slot)
{
    size_t cap = CM_PI0_RESERVOIR;
    size_t ns = n < cap ? (size_t)n : cap;
    for (size_t s = 0; s < ns; s++) slot[s] = s;
    enum { B = 4096 };
    double u[B];
    for (uint64_t i = cap + 1; i <= n;) {        /* i = 1-based index of the value */
        size_t b = n - i + 1 < B ? (size_t)(n - i + 1) : B;
        cm_mt_doubles(rng, u, b);
        for (size_t t = 0; t < b; t++, i++) {
            uint64_t j = (uint64_t)(u[t] * (double)i);
            if (j < cap) slot[j] = i - 1;
        }
    }
    return ns;
}

typedef struct { double p; size_t i; } pq_t;

int cm_scan_qvalues(const cm_scanner_t *sc, const cm_scan_opts_t *o, const cm_source_t *src,
                    const uint64_t *tested, cm_qv_mode_t mode, cm_hitlist_t *l,
                    cm_qv_motif_t *info, cm_err_t *err)
{
    int K = sc->n, ret = -1;
    int need_src = mode == CM_QV_STOREY || mode == CM_QV_FIMO || !tested;
    if (need_src && !src) {
        cm_fail(err, "--qv-method %s reads the sequences again: give a file, not standard "
                     "input (or use --qv-method bh, none, or --text)",
                mode == CM_QV_STOREY ? "storey" : mode == CM_QV_FIMO ? "fimo" : "bh");
        return -1;
    }
    pass_t P;
    memset(&P, 0, sizeof P);
    P.sc = sc;
    P.nst = o->norc || o->max_strand ? 1 : 2;
    P.maxst = !o->norc && o->max_strand;
    P.m = cm_calloc(K ? K : 1, sizeof *P.m);
    double *pi0 = cm_malloc((K ? K : 1) * sizeof *pi0);
    size_t *nh = cm_calloc(K ? K : 1, sizeof *nh);
    for (size_t i = 0; i < l->n; i++) nh[l->hit[i].motif]++;
    cm_mt19937_t rng;
    cm_mt_seed(&rng, CM_MT_DEFAULT_SEED);
    for (int k = 0; k < K; k++) pi0[k] = 1;

    if (mode == CM_QV_STOREY) {
        P.hist = cm_calloc(K ? K : 1, sizeof *P.hist);
        P.fbin = cm_calloc(K ? K : 1, sizeof *P.fbin);
        P.rbin = cm_calloc(K ? K : 1, sizeof *P.rbin);
        for (int k = 0; k < K; k++) {
            for (int s = 0; s < P.nst; s++) {
                const cm_pssm_t *ps = s ? &sc->rc[k] : &sc->fwd[k];
                unsigned char *b = cm_malloc((size_t)ps->max_score + 1);
                for (int x = 0; x <= ps->max_score; x++) b[x] = (unsigned char)cm_storey_bin(ps->pv[x]);
                if (s) P.rbin[k] = b; else P.fbin[k] = b;
            }
        }
    }
    if (mode == CM_QV_STOREY || !tested) {
        if (run_pass(&P, src, o, err) != 0) goto out;
    } else {
        memcpy(P.m, tested, (size_t)K * sizeof *P.m);
    }

    if (mode == CM_QV_STOREY) {
        for (int k = 0; k < K; k++)
            if (nh[k]) pi0[k] = cm_storey_pi0_hist(P.hist[k], &rng);
    } else if (mode == CM_QV_FIMO) {
        /* draws for every motif first (value-independent), saving the stream at each
         * bootstrap; then one pass for the sampled values; then the bootstraps */
        uint64_t **slot = cm_calloc(K ? K : 1, sizeof *slot);
        size_t *nslot = cm_calloc(K ? K : 1, sizeof *nslot);
        cm_mt19937_t *boot = cm_malloc((K ? K : 1) * sizeof *boot);
        P.want = cm_calloc(K ? K : 1, sizeof *P.want);
        P.nwant = cm_calloc(K ? K : 1, sizeof *P.nwant);
        P.cur = cm_calloc(K ? K : 1, sizeof *P.cur);
        P.val = cm_calloc(K ? K : 1, sizeof *P.val);
        double *skip = cm_malloc(CM_STOREY_BOOT_N * sizeof *skip);
        for (int k = 0; k < K; k++) {
            slot[k] = cm_malloc(CM_PI0_RESERVOIR * sizeof **slot);
            nslot[k] = reservoir_items(P.m[k], &rng, slot[k]);
            if (!nh[k]) continue;
            boot[k] = rng;
            if (nslot[k] > CM_PI0_MIN_N)
                for (int it = 0; it < CM_STOREY_NBOOT; it++) cm_mt_doubles(&rng, skip, CM_STOREY_BOOT_N);
            P.want[k] = cm_malloc((nslot[k] ? nslot[k] : 1) * sizeof **P.want);
            memcpy(P.want[k], slot[k], nslot[k] * sizeof **P.want);
            qsort(P.want[k], nslot[k], sizeof **P.want, cmp_u64);
            size_t u = 0;
            for (size_t s = 0; s < nslot[k]; s++)
                if (!u || P.want[k][s] != P.want[k][u - 1]) P.want[k][u++] = P.want[k][s];
            P.nwant[k] = u;
            P.val[k] = cm_malloc((u ? u : 1) * sizeof **P.val);
        }
        free(skip);
        int r = run_pass(&P, src, o, err);
        if (r == 0) {
            double *sample = cm_malloc(CM_PI0_RESERVOIR * sizeof *sample);
            for (int k = 0; k < K; k++) {
                if (!nh[k]) continue;
                for (size_t s = 0; s < nslot[k]; s++) {
                    const uint64_t *w = P.want[k];
                    size_t lo = 0, hi = P.nwant[k];
                    while (lo < hi) {
                        size_t mid = (lo + hi) / 2;
                        if (w[mid] < slot[k][s]) lo = mid + 1; else hi = mid;
                    }
                    sample[s] = P.val[k][lo];
                }
                pi0[k] = cm_storey_pi0(sample, nslot[k], &boot[k]);
            }
            free(sample);
        }
        for (int k = 0; k < K; k++) {
            free(slot[k]); free(P.want[k]); free(P.val[k]);
        }
        free(slot); free(nslot); free(boot);
        if (r != 0) goto out;
    }

    /* q per motif over its hits */
    {
        pq_t *g = cm_malloc((l->n ? l->n : 1) * sizeof *g);
        size_t *start = cm_calloc((size_t)K + 1, sizeof *start);
        for (int k = 0; k < K; k++) start[k + 1] = start[k] + nh[k];
        size_t *fill = cm_malloc((K ? K : 1) * sizeof *fill);
        memcpy(fill, start, (K ? K : 1) * sizeof *fill);
        for (size_t i = 0; i < l->n; i++) {
            int k = l->hit[i].motif;
            g[fill[k]].p = l->hit[i].pvalue;
            g[fill[k]++].i = i;
        }
        double *p = cm_malloc((l->n ? l->n : 1) * sizeof *p), *q = cm_malloc((l->n ? l->n : 1) * sizeof *q);
        for (int k = 0; k < K; k++) {
            size_t n = nh[k];
            for (size_t t = 0; t < n; t++) p[t] = g[start[k] + t].p;
            cm_qvalues_pi0(p, n, (double)P.m[k], pi0[k], q);
            for (size_t t = 0; t < n; t++) l->hit[g[start[k] + t].i].qvalue = q[t];
        }
        free(g); free(start); free(fill); free(p); free(q);
    }
    if (info)
        for (int k = 0; k < K; k++) { info[k].m = P.m[k]; info[k].pi0 = pi0[k]; }
    ret = 0;
out:
    if (P.hist) {
        for (int k = 0; k < K; k++) { free(P.fbin[k]); free(P.rbin[k]); }
        free(P.hist); free(P.fbin); free(P.rbin);
    }
    free(P.want); free(P.nwant); free(P.cur); free(P.val);
    free(P.m); free(pi0); free(nh);
    return ret;
}
