/* pattern.c — clustering seqlets into patterns and writing them (pattern.h). */
#include "patterns/pattern.h"
#include "patterns/louvain.h"
#include "core/rng.h"
#include "motif/motif.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void cm_pat_opts_init(cm_pat_opts_t *o)
{
    cm_pat_seqlet_opts_init(&o->seq);
    cm_pat_knn_opts_init(&o->knn);
    o->gamma = 1, o->min_seqlets = 10, o->merge = 0.8, o->trim = 0.3, o->threads = 1;
}

/* A pattern under construction. */
typedef struct {
    int n, *mem;         /* member indices into the group's seqlets, ascending */
    int *d, *o;          /* each member's alignment to the reference frame */
    int lr, P, ua, ub, w;
    double *cnt, *cwm;   /* w × 4, trimmed */
    float *ref;          /* w × 4: cwm × sign, the reference of the next build */
    double refnorm;
} build_t;

static void build_free(build_t *b)
{
    free(b->mem), free(b->d), free(b->o), free(b->cnt), free(b->cwm), free(b->ref);
    memset(b, 0, sizeof *b);
}

typedef struct {
    const cm_pat_track_t *tr;
    const cm_pat_seqlet_t *s;
    cm_pat_mats_t M;
    int sign;
    double trim;
} grp_t;

/* Build b (members b->mem[0..n−1] set) around reference R (lr × 4, norm nr). */
static void build(const grp_t *G, build_t *b, const float *R, int lr, double nr)
{
    int L = G->M.L, n = b->n, P = L, W = lr + 2 * P;
    int ov = (L < lr ? L : lr) / 2;
    if (ov < 1) ov = 1;
    b->d = cm_realloc(b->d, (size_t)n * sizeof(int));
    b->o = cm_realloc(b->o, (size_t)n * sizeof(int));
    double *cnt = cm_calloc((size_t)W * 4, sizeof(double)), *sum = cm_calloc((size_t)W * 4, sizeof(double));
    int *cov = cm_calloc((size_t)W, sizeof(int));
    for (int m = 0; m < n; m++) {
        int i = b->mem[m];
        cm_pat_xcorr_sparse(G->M.base + (size_t)i * L, G->M.val + (size_t)i * L, L, G->M.norm[i],
                            R, lr, nr, -(L - ov), lr - ov, &b->d[m], &b->o[m]);
        const cm_pat_region_t *rg = &G->tr->reg[G->s[i].reg];
        for (int u = 0; u < W; u++) {
            int k = u - P - b->d[m], orig = b->o[m] ? L - 1 - k : k;
            if (k < 0 || k >= L) continue;
            cov[u]++;
            long q = (long)G->s[i].start + orig;
            if (rg->seq[q] > 3) continue;
            int base = b->o[m] ? 3 - rg->seq[q] : rg->seq[q];
            cnt[4 * u + base] += 1;
            sum[4 * u + base] += rg->imp[q];
        }
    }
    double mx = 0, *I = cm_malloc((size_t)W * sizeof(double));
    for (int u = 0; u < W; u++) {
        I[u] = 0;
        if (2 * cov[u] < n) continue;   /* columns covered by fewer than half the members */
        for (int a = 0; a < 4; a++) I[u] += fabs(sum[4 * u + a] / n);
        if (I[u] > mx) mx = I[u];
    }
    int ua = P, ub = P + lr - 1;
    if (mx > 0) {
        ua = 0;
        while (I[ua] < G->trim * mx) ua++;
        ub = W - 1;
        while (I[ub] < G->trim * mx) ub--;
    }
    b->lr = lr, b->P = P, b->ua = ua, b->ub = ub, b->w = ub - ua + 1;
    free(b->cnt), free(b->cwm), free(b->ref);
    b->cnt = cm_malloc((size_t)b->w * 4 * sizeof(double));
    b->cwm = cm_malloc((size_t)b->w * 4 * sizeof(double));
    b->ref = cm_malloc((size_t)b->w * 4 * sizeof(float));
    for (int c = 0; c < 4 * b->w; c++) {
        b->cnt[c] = cnt[4 * ua + c];
        b->cwm[c] = sum[4 * ua + c] / n;
        b->ref[c] = (float)(G->sign * b->cwm[c]);
    }
    b->refnorm = cm_pat_norm(b->ref, b->w);
    free(I), free(cnt), free(sum), free(cov);
}

/* Build twice: around R, then around the first build's trimmed CWM. */
static void build2(const grp_t *G, build_t *b, const float *R, int lr, double nr)
{
    build(G, b, R, lr, nr);
    float *R2 = cm_malloc((size_t)b->w * 4 * sizeof(float));
    memcpy(R2, b->ref, (size_t)b->w * 4 * sizeof(float));
    int w2 = b->w;
    double n2 = b->refnorm;
    build(G, b, R2, w2, n2);
    free(R2);
}

static double pat_sim(const build_t *a, const build_t *b)
{
    int ov = (a->w < b->w ? a->w : b->w) / 2;
    if (ov < 1) ov = 1;
    return cm_pat_xcorr_dense(a->ref, a->w, a->refnorm, b->ref, b->w, b->refnorm,
                              -(a->w - ov), b->w - ov, 0, NULL, NULL);
}

static int cmp_build(const void *x, const void *y)
{
    const build_t *a = x, *b = y;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return (a->mem[0] > b->mem[0]) - (a->mem[0] < b->mem[0]);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

typedef struct { int a, b; double w; } edge_t;

static int cmp_edge(const void *x, const void *y)
{
    const edge_t *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    if (p->b != q->b) return p->b < q->b ? -1 : 1;
    return (p->w < q->w) - (p->w > q->w);   /* larger weight first */
}

static void add_site(cm_pat_result_t *res, cm_pat_site_t st)
{
    res->site = cm_grow(res->site, res->nsite, &res->capsite, sizeof *res->site, 256);
    res->site[res->nsite++] = st;
}

void cm_pat_cluster_group(const cm_pat_track_t *tr, int track, int sign,
                          const cm_pat_seqlet_t *s, int n, const cm_pat_opts_t *o,
                          cm_pat_result_t *res, cm_pat_group_t *g)
{
    g->track = track, g->sign = sign, g->nseqlets = n;
    g->ncomm = g->npatterns = 0, g->modularity = 0, g->nexact = 0;
    int L = o->seq.window + 2 * o->seq.flank;
    int *assigned = cm_malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    int *ad = cm_calloc((size_t)(n > 0 ? n : 1), sizeof(int)), *ao = cm_calloc((size_t)(n > 0 ? n : 1), sizeof(int));
    for (int i = 0; i < n; i++) assigned[i] = -1;
    build_t *B = NULL;
    int nb = 0;
    grp_t G = {tr, s, {n, L, NULL, NULL, NULL}, sign, o->trim};
    if (n >= o->min_seqlets && n >= 2) {
        /* 1. matrices */
        G.M.base = cm_malloc((size_t)n * L);
        G.M.val = cm_malloc((size_t)n * L * sizeof(float));
        G.M.norm = cm_malloc((size_t)n * sizeof(double));
        for (int i = 0; i < n; i++) {
            const cm_pat_region_t *rg = &tr->reg[s[i].reg];
            double q = 0;
            for (int k = 0; k < L; k++) {
                uint8_t b = rg->seq[s[i].start + k];
                float v = b < 4 ? (float)(sign * rg->imp[s[i].start + k]) : 0.0f;
                G.M.base[(size_t)i * L + k] = b;
                G.M.val[(size_t)i * L + k] = v;
                q += (double)v * v;
            }
            G.M.norm[i] = sqrt(q);
        }
        /* 2. neighbours and the graph */
        int K = o->knn.k;
        cm_pat_knn_opts_t ko = o->knn;
        ko.threads = o->threads;
        ko.seed = cm_rng_key(o->knn.seed, cm_rng_key(cm_rng_hash_str(tr->head), (uint64_t)(sign + 1)));
        int *nbr = cm_malloc((size_t)n * K * sizeof(int));
        float *sim = cm_malloc((size_t)n * K * sizeof(float));
        cm_pat_knn(&G.M, &ko, nbr, sim, &g->nexact);
        edge_t *E = cm_malloc((size_t)n * K * 2 * sizeof(edge_t));
        size_t ne = 0;
        for (int i = 0; i < n; i++)
            for (int r = 0; r < K; r++) {
                int j = nbr[(size_t)i * K + r];
                if (j < 0) break;
                double w = sim[(size_t)i * K + r];
                E[ne++] = (edge_t){i, j, w};
                E[ne++] = (edge_t){j, i, w};
            }
        qsort(E, ne, sizeof *E, cmp_edge);
        int *rp = cm_calloc((size_t)n + 1, sizeof(int)), *cl = cm_malloc((ne + 1) * sizeof(int));
        double *ww = cm_malloc((ne + 1) * sizeof(double));
        size_t m = 0;
        for (size_t e = 0; e < ne; e++) {
            if (e && E[e].a == E[e - 1].a && E[e].b == E[e - 1].b) continue;   /* keep the max */
            cl[m] = E[e].b, ww[m] = E[e].w, m++;
            rp[E[e].a + 1]++;
        }
        for (int i = 0; i < n; i++) rp[i + 1] += rp[i];
        free(E);
        /* 3. communities */
        int *lab = cm_malloc((size_t)n * sizeof(int));
        g->ncomm = cm_pat_louvain(n, rp, cl, ww, o->gamma, lab, &g->modularity);
        /* 4. build each community large enough around its centre */
        int *sz = cm_calloc((size_t)g->ncomm + 1, sizeof(int));
        for (int i = 0; i < n; i++) sz[lab[i]]++;
        float *R = cm_malloc((size_t)L * 4 * sizeof(float));
        for (int c = 0; c < g->ncomm; c++) {
            if (sz[c] < o->min_seqlets) continue;
            B = cm_realloc(B, (size_t)(nb + 1) * sizeof *B);
            build_t *b = &B[nb++];
            memset(b, 0, sizeof *b);
            b->mem = cm_malloc((size_t)sz[c] * sizeof(int));
            int centre = -1;
            double best = -1;
            for (int i = 0; i < n; i++) {
                if (lab[i] != c) continue;
                b->mem[b->n++] = i;
                double t = 0;
                for (int r = 0; r < K; r++) {
                    int j = nbr[(size_t)i * K + r];
                    if (j >= 0 && lab[j] == c) t += sim[(size_t)i * K + r];
                }
                if (t > best) best = t, centre = i;
            }
            cm_pat_dense(&G.M, centre, R);
            build2(&G, b, R, L, G.M.norm[centre]);
        }
        free(R), free(sz), free(lab), free(rp), free(cl), free(ww), free(nbr), free(sim);
        /* 5. merging; S[a·nb0 + c] caches sim(B[a], B[c]) for a < c (rows of the
         * merged pattern are recomputed, the removed one is swapped out) */
        int nb0 = nb;
        double *S = cm_malloc((size_t)(nb0 > 0 ? nb0 : 1) * (nb0 > 0 ? nb0 : 1) * sizeof(double));
        int *slot = cm_malloc((size_t)(nb0 > 0 ? nb0 : 1) * sizeof(int));   /* B index -> row of S */
        for (int a = 0; a < nb; a++) slot[a] = a;
        if (o->merge <= 1)
            for (int a = 0; a < nb; a++)
                for (int c = a + 1; c < nb; c++) S[(size_t)a * nb0 + c] = S[(size_t)c * nb0 + a] = pat_sim(&B[a], &B[c]);
        while (o->merge <= 1 && nb > 1) {
            int ba = -1, bb = -1;
            double best = -HUGE_VAL;
            for (int a = 0; a < nb; a++)
                for (int c = a + 1; c < nb; c++) {
                    /* ties: the pair of lower first members (B order changes by swaps) */
                    double t = S[(size_t)slot[a] * nb0 + slot[c]];
                    int lo = B[a].mem[0] < B[c].mem[0] ? a : c, hi = lo == a ? c : a;
                    if (t > best || (t == best && (B[lo].mem[0] < B[ba].mem[0] ||
                        (B[lo].mem[0] == B[ba].mem[0] && B[hi].mem[0] < B[bb].mem[0]))))
                        best = t, ba = lo, bb = hi;
                }
            if (best < o->merge) break;
            build_t *x = &B[ba], *y = &B[bb], mg;
            memset(&mg, 0, sizeof mg);
            mg.n = x->n + y->n;
            mg.mem = cm_malloc((size_t)mg.n * sizeof(int));
            memcpy(mg.mem, x->mem, (size_t)x->n * sizeof(int));
            memcpy(mg.mem + x->n, y->mem, (size_t)y->n * sizeof(int));
            qsort(mg.mem, (size_t)mg.n, sizeof(int), cmp_int);
            const build_t *big = x->n >= y->n ? x : y;
            build2(&G, &mg, big->ref, big->w, big->refnorm);
            build_free(x);
            build_free(y);
            *x = mg;
            B[bb] = B[nb - 1], slot[bb] = slot[nb - 1], nb--;
            for (int c = 0; c < nb; c++)
                if (c != ba)
                    S[(size_t)slot[ba] * nb0 + slot[c]] = S[(size_t)slot[c] * nb0 + slot[ba]] = pat_sim(&B[ba], &B[c]);
        }
        free(S), free(slot);
        if (nb > 1) qsort(B, (size_t)nb, sizeof *B, cmp_build);
    }
    /* patterns and sites */
    const char *sg = sign > 0 ? "pos" : "neg";
    int first = res->npat;
    for (int p = 0; p < nb; p++) {
        build_t *b = &B[p];
        res->pat = cm_realloc(res->pat, (size_t)(res->npat + 1) * sizeof *res->pat);
        cm_pat_pattern_t *P = &res->pat[res->npat++];
        size_t len = strlen(tr->head) + 32;
        P->name = cm_malloc(len);
        snprintf(P->name, len, "%s_%s_%d", tr->head, sg, p);
        P->track = track, P->sign = sign, P->w = b->w;
        P->cnt = b->cnt, P->cwm = b->cwm;
        b->cnt = b->cwm = NULL;
        P->nseqlets = b->n, P->nreg = tr->nreg, P->nseq = 0;
        int last = -1;   /* members ascend, seqlets sorted by region: count distinct */
        for (int m = 0; m < b->n; m++) {
            int i = b->mem[m];
            if (s[i].reg != last) P->nseq++, last = s[i].reg;
            assigned[i] = first + p, ad[i] = b->d[m], ao[i] = b->o[m];
        }
        /* remember the frame of this pattern in the per-seqlet arrays below */
    }
    for (int i = 0; i < n; i++) {
        const cm_pat_region_t *rg = &tr->reg[s[i].reg];
        cm_pat_site_t st = {track, s[i].reg, assigned[i], 0, 0, '.', s[i].score};
        long q0 = s[i].start, q1 = (long)s[i].start + L;
        if (assigned[i] >= 0) {
            const build_t *b = &B[assigned[i] - first];
            int d = ad[i];
            if (!ao[i]) {
                q0 = s[i].start + (b->ua - b->P - d);
                q1 = s[i].start + (b->ub - b->P - d) + 1;
            } else {
                q0 = (long)s[i].start + L - 1 - (b->ub - b->P - d);
                q1 = (long)s[i].start + L - 1 - (b->ua - b->P - d) + 1;
            }
            st.strand = ao[i] ? '-' : '+';
            if (q0 < 0) q0 = 0;
            if (q1 > rg->len) q1 = rg->len;
        }
        st.start = rg->start + q0, st.end = rg->start + q1;
        add_site(res, st);
    }
    g->npatterns = nb;
    for (int p = 0; p < nb; p++) build_free(&B[p]);
    free(B), free(assigned), free(ad), free(ao);
    free(G.M.base), free(G.M.val), free(G.M.norm);
}

int cm_pat_run(const cm_pat_data_t *d, const cm_pat_opts_t *o, cm_pat_result_t *res)
{
    memset(res, 0, sizeof *res);
    res->group = cm_calloc((size_t)d->ntrack * 2 + 1, sizeof *res->group);
    for (int t = 0; t < d->ntrack; t++)
        for (int sg = 0; sg < 2; sg++) {
            int sign = sg ? -1 : 1, n = 0, cap = 0;
            cm_pat_seqlet_t *s = NULL;
            cm_pat_group_t *g = &res->group[res->ngroup++];
            cm_pat_call_stats_t cs;
            cm_pat_call_seqlets(&d->track[t], sign, &o->seq, cm_rng_hash_str(d->track[t].head),
                                &s, &n, &cap, &cs);
            cm_pat_cluster_group(&d->track[t], t, sign, s, n, o, res, g);
            g->call = cs;
            free(s);
        }
    return 0;
}

void cm_pat_result_free(cm_pat_result_t *res)
{
    if (!res) return;
    for (int p = 0; p < res->npat; p++) {
        free(res->pat[p].name), free(res->pat[p].cnt), free(res->pat[p].cwm);
    }
    free(res->pat), free(res->site), free(res->group);
    memset(res, 0, sizeof *res);
}

/* ---- output ---- */

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = cm_malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

typedef struct { int chrom; int64_t start, end; int idx; } skey_t;

static int cmp_skey(const void *x, const void *y)
{
    const skey_t *a = x, *b = y;
    if (a->chrom != b->chrom) return a->chrom < b->chrom ? -1 : 1;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end < b->end ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

int cm_pat_write(const char *dir, const cm_pat_data_t *d, const cm_pat_result_t *res,
                 const char *prov, cm_err_t *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return cm_fail(err, "%s: cannot create directory: %s", dir, strerror(errno));
    static const char *names[4] = {"patterns.meme", "patterns.tsv", "cwm.tsv", "seqlets.bed"};
    cm_out_t *out[4] = {NULL, NULL, NULL, NULL};
    for (int k = 0; k < 4; k++) {
        char *p = join(dir, names[k]);
        out[k] = cm_out_open(p, err);
        free(p);
        if (!out[k]) {
            for (int j = 0; j < k; j++) cm_out_abort(out[j]);
            return -1;
        }
    }
    double comp[4];
    cm_pat_composition(d, comp);
    FILE *fp = out[0]->fp;
    fprintf(fp, "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
            "Background letter frequencies\nA %.4f C %.4f G %.4f T %.4f\n\n",
            comp[0], comp[1], comp[2], comp[3]);
    FILE *tp = out[1]->fp, *cp = out[2]->fp, *bp = out[3]->fp;
    fprintf(tp, "# %s\npattern\thead\tsign\tseqlets\tsequences\tshare\tconsensus\twidth\n", prov);
    fprintf(cp, "# %s\n# CWM: mean over the seqlets of importance x one-hot; pos 0-based\n"
            "pattern\tpos\tA\tC\tG\tT\n", prov);
    fprintf(bp, "# %s\n#chrom\tstart\tend\tpattern\tscore\tstrand\n", prov);
    for (int p = 0; p < res->npat; p++) {
        const cm_pat_pattern_t *P = &res->pat[p];
        double *ppm = cm_malloc((size_t)P->w * 4 * sizeof(double));
        for (int c = 0; c < P->w; c++) {
            double t = 0;
            for (int a = 0; a < 4; a++) t += P->cnt[4 * c + a];
            for (int a = 0; a < 4; a++) ppm[4 * c + a] = t > 0 ? P->cnt[4 * c + a] / t : 0.25;
        }
        char *cons = cm_malloc((size_t)P->w + 1);
        cm_motif_consensus(ppm, P->w, cons);
        fprintf(fp, "MOTIF %s %s\nletter-probability matrix: alength= 4 w= %d nsites= %d E= 0\n",
                P->name, d->track[P->track].head, P->w, P->nseqlets);
        for (int c = 0; c < P->w; c++)
            fprintf(fp, " %.6f\t %.6f\t %.6f\t %.6f\n", ppm[4 * c], ppm[4 * c + 1], ppm[4 * c + 2],
                    ppm[4 * c + 3]);
        fputc('\n', fp);
        fprintf(tp, "%s\t%s\t%s\t%d\t%d\t%.4f\t%s\t%d\n", P->name, d->track[P->track].head,
                P->sign > 0 ? "pos" : "neg", P->nseqlets, P->nseq,
                P->nreg ? (double)P->nseq / P->nreg : 0.0, cons, P->w);
        for (int c = 0; c < P->w; c++)
            fprintf(cp, "%s\t%d\t%.6g\t%.6g\t%.6g\t%.6g\n", P->name, c, P->cwm[4 * c],
                    P->cwm[4 * c + 1], P->cwm[4 * c + 2], P->cwm[4 * c + 3]);
        free(ppm), free(cons);
    }
    skey_t *k = cm_malloc((size_t)(res->nsite + 1) * sizeof *k);
    for (int i = 0; i < res->nsite; i++) {
        const cm_pat_site_t *st = &res->site[i];
        k[i] = (skey_t){d->track[st->track].reg[st->reg].chrom, st->start, st->end, i};
    }
    qsort(k, (size_t)res->nsite, sizeof *k, cmp_skey);
    for (int i = 0; i < res->nsite; i++) {
        const cm_pat_site_t *st = &res->site[k[i].idx];
        if (st->pattern >= 0)
            fprintf(bp, "%s\t%lld\t%lld\t%s\t%.6g\t%c\n", d->chroms[k[i].chrom],
                    (long long)st->start, (long long)st->end, res->pat[st->pattern].name,
                    st->score, st->strand);
        else   /* a seqlet in no pattern: HEAD_pos_NA / HEAD_neg_NA */
            fprintf(bp, "%s\t%lld\t%lld\t%s_%s_NA\t%.6g\t.\n", d->chroms[k[i].chrom],
                    (long long)st->start, (long long)st->end, d->track[st->track].head,
                    st->score > 0 ? "pos" : "neg", st->score);
    }
    free(k);
    return cm_out_commit_all(out, 4, err);
}
