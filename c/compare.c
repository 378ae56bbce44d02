/* compare.c — see compare.h (Gupta et al. 2007; COMPAT.md "Tomtom comparison"). */
#include "compare.h"
#include "background.h"
#include "qvalue.h"
#include "quantise.h"
#include "textio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define QRANGE 100  /* quantisation range of column scores */

int cm_dist_parse(const char *name, cm_dist_t *d)
{
    if (strcmp(name, "ed") == 0) *d = CM_DIST_ED;
    else if (strcmp(name, "pearson") == 0) *d = CM_DIST_PEARSON;
    else if (strcmp(name, "sandelin") == 0) *d = CM_DIST_SANDELIN;
    else return -1;
    return 0;
}

double cm_colscore(cm_dist_t d, const double *q, const double *t)
{
    double s = 0;
    switch (d) {
    case CM_DIST_ED:
        for (int a = 0; a < 4; a++) s += (q[a] - t[a]) * (q[a] - t[a]);
        return -sqrt(s);
    case CM_DIST_SANDELIN:
        for (int a = 0; a < 4; a++) s += (q[a] - t[a]) * (q[a] - t[a]);
        return 2 - s;
    case CM_DIST_PEARSON: {
        double qq = 0, tt = 0;
        for (int a = 0; a < 4; a++) {
            double x = q[a] - 0.25, y = t[a] - 0.25;
            s += x * y, qq += x * x, tt += y * y;
        }
        double den = sqrt(qq * tt);
        return den > 0 ? s / den : 0;
    }
    }
    return 0;
}

/* Quickselect (Hoare partition): reorder v so that v[k] is the k-th smallest, with
 * v[0..k-1] <= v[k] <= v[k+1..n-1]. */
static void select_kth(double *v, long n, long k)
{
    long lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                double t = v[i]; v[i] = v[j]; v[j] = t;
                i++, j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return;   /* v[j+1..i-1] all equal the pivot */
    }
}

/* The r-th smallest (0-based) of v[0..n-1] without modifying v: bucket the values by
 * a monotone map of their range, then quickselect inside the one bucket holding rank
 * r (buf: n doubles of scratch).  Same element as a full sort would give. */
static double rank_select(const double *v, size_t n, size_t r, double *buf)
{
    enum { NB = 4096 };
    double mn = v[0], mx = v[0];
    for (size_t i = 1; i < n; i++) {
        if (v[i] < mn) mn = v[i];
        if (v[i] > mx) mx = v[i];
    }
    if (mn == mx) return mn;
    double sc = (NB - 1) / (mx - mn);
    size_t cnt[NB] = {0};
    for (size_t i = 0; i < n; i++) cnt[(size_t)((v[i] - mn) * sc)]++;
    size_t below = 0;
    int b = 0;
    while (below + cnt[b] <= r) below += cnt[b++];
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if ((int)(size_t)((v[i] - mn) * sc) == b) buf[m++] = v[i];
    select_kth(buf, (long)m, (long)(r - below));
    return buf[r - below];
}

double cm_tomtom_median(const double *v, size_t n, double *scratch)
{
    if (n == 1) return v[0];
    size_t i1 = n / 2 - 1, i2 = (n + 1) / 2 - 1;   /* floor(n/2)−1, ceil(n/2)−1 */
    double x = rank_select(v, n, i1, scratch);
    return i2 == i1 ? x : (x + rank_select(v, n, i2, scratch)) / 2;
}

int cm_cmp_db_build(cm_cmp_db_t *db, const cm_motifset_t *sets, int nsets,
                    const double bg[4], double pseudo, int norc, cm_err_t *err)
{
    memset(db, 0, sizeof *db);
    int n = 0;
    size_t cols = 0;
    for (int s = 0; s < nsets; s++) {
        n += sets[s].n;
        for (int k = 0; k < sets[s].n; k++) cols += sets[s].m[k].w;
    }
    if (n == 0) return cm_fail(err, "%s: no target motifs", nsets ? sets[0].path : "targets");
    db->n = n;
    db->norient = norc ? 1 : 2;
    db->ncol = cols * db->norient;
    db->col = cm_malloc(db->ncol * 4 * sizeof(double));
    db->w = cm_malloc(n * sizeof(int));
    db->first = cm_malloc(n * sizeof(size_t));
    db->m = cm_malloc(n * sizeof *db->m);
    db->cons = cm_calloc((size_t)n * db->norient, sizeof(char *));
    size_t c = 0;
    int t = 0;
    for (int s = 0; s < nsets; s++)
        for (int k = 0; k < sets[s].n; k++, t++) {
            const cm_motif_t *m = &sets[s].m[k];
            int w = m->w;
            db->m[t] = m;
            db->w[t] = w;
            db->first[t] = c;
            double *f = db->col + c * 4;
            cm_motif_pseudocount(m, bg, pseudo, f);
            db->cons[t * db->norient] = cm_malloc(w + 1);
            cm_motif_consensus(f, w, db->cons[t * db->norient]);
            c += w;
            if (db->norient == 2) {
                double *r = db->col + c * 4;
                for (int i = 0; i < w; i++)
                    for (int a = 0; a < 4; a++) r[i * 4 + a] = f[(w - 1 - i) * 4 + 3 - a];
                db->cons[t * 2 + 1] = cm_malloc(w + 1);
                cm_motif_consensus(r, w, db->cons[t * 2 + 1]);
                c += w;
            }
        }
    return 0;
}

void cm_cmp_db_free(cm_cmp_db_t *db)
{
    if (!db) return;
    if (db->cons)
        for (int i = 0; i < db->n * db->norient; i++) free(db->cons[i]);
    free(db->cons);
    free(db->col);
    free(db->w);
    free(db->first);
    free(db->m);
    memset(db, 0, sizeof *db);
}

/* Survival functions P(S_{a..b} >= x), x = 0..QRANGE·(b−a+1), of every sub-range
 * sum of the query columns' null scores. */
struct cm_cmp_null_s {
    int Q;
    double **tail;   /* Q × Q, tail[a*Q+b] for a <= b */
};

cm_cmp_null_t *cm_cmp_null_build(const int *Z, int Q, size_t NC)
{
    cm_cmp_null_t *nl = cm_calloc(1, sizeof *nl);
    /* histogram of each query column's quantised scores over the N_c columns */
    int *nval = cm_malloc(Q * sizeof(int));
    int *val = cm_malloc((size_t)Q * (QRANGE + 1) * sizeof(int));
    double *prob = cm_malloc((size_t)Q * (QRANGE + 1) * sizeof(double));
    for (int i = 0; i < Q; i++) {
        size_t cnt[QRANGE + 1] = {0};
        for (size_t c = 0; c < NC; c++) cnt[Z[i * NC + c]]++;
        nval[i] = 0;
        for (int v = 0; v <= QRANGE; v++)
            if (cnt[v]) {
                val[i * (QRANGE + 1) + nval[i]] = v;
                prob[i * (QRANGE + 1) + nval[i]] = (double)cnt[v] / (double)NC;
                nval[i]++;
            }
    }
    nl->Q = Q;
    nl->tail = cm_calloc((size_t)Q * Q, sizeof(double *));
    double *pmf = cm_malloc(((size_t)QRANGE * Q + 1) * sizeof(double));
    double *nxt = cm_malloc(((size_t)QRANGE * Q + 1) * sizeof(double));
    for (int a = 0; a < Q; a++) {
        int top = 0;         /* pmf support 0..top */
        pmf[0] = 1;
        for (int b = a; b < Q; b++) {
            int ntop = top + QRANGE;
            memset(nxt, 0, (ntop + 1) * sizeof(double));
            const int *vv = val + b * (QRANGE + 1);
            const double *pp = prob + b * (QRANGE + 1);
            for (int x = 0; x <= top; x++) {
                double px = pmf[x];
                if (px == 0) continue;
                for (int j = 0; j < nval[b]; j++) nxt[x + vv[j]] += px * pp[j];
            }
            top = ntop;
            double *t = cm_malloc((top + 2) * sizeof(double));
            double acc = 0;
            t[top + 1] = 0;
            for (int x = top; x >= 0; x--) {
                acc += nxt[x];
                t[x] = acc;
            }
            nl->tail[a * Q + b] = t;
            double *sw = pmf; pmf = nxt; nxt = sw;
        }
    }
    free(pmf);
    free(nxt);
    free(nval);
    free(val);
    free(prob);
    return nl;
}

double cm_cmp_null_tail(const cm_cmp_null_t *nl, int a, int b, long x)
{
    if (x <= 0) return 1;
    long top = (long)QRANGE * (b - a + 1);
    if (x > top) return 0;
    double t = nl->tail[a * nl->Q + b][x];
    return t < 1 ? t : 1;   /* rounding can push a sum of probabilities past 1 */
}

void cm_cmp_null_free(cm_cmp_null_t *nl)
{
    if (!nl) return;
    for (int i = 0; i < nl->Q * nl->Q; i++) free(nl->tail[i]);
    free(nl->tail);
    free(nl);
}

int cm_compare_query(const cm_cmp_db_t *db, const double *qfreq, int Q,
                     const cm_cmp_opts_t *o, cm_cmp_hit_t *hits, cm_err_t *err)
{
    (void)err;
    size_t NC = db->ncol;
    double *S = cm_malloc((size_t)Q * NC * sizeof(double));
    double *tmp = cm_malloc(NC * sizeof(double));
    for (int i = 0; i < Q; i++) {
        double *row = S + i * NC;
        for (size_t c = 0; c < NC; c++) row[c] = cm_colscore(o->dist, qfreq + i * 4, db->col + c * 4);
        double med = cm_tomtom_median(row, NC, tmp);
        for (size_t c = 0; c < NC; c++) row[c] -= med;
    }
    free(tmp);
    int *Z = cm_malloc((size_t)Q * NC * sizeof(int));
    double off, sc;
    cm_quantise(S, Q * (int)NC, QRANGE, Z, &off, &sc);
    free(S);
    long Z0 = lround(-off * sc);
    cm_cmp_null_t *nl = cm_cmp_null_build(Z, Q, NC);

    for (int k = 0; k < db->n; k++) {
        int L = db->w[k], minw = Q < L ? Q : L;
        for (int or = 0; or < db->norient; or++) {
            const int *zb = Z + db->first[k] + (size_t)or * L;   /* column 0 of this target */
            cm_cmp_hit_t *h = &hits[k * db->norient + or];
            h->target = k, h->orient = or, h->q = 1;
            long bestT = 0;
            int bestlen = 0, bestd = 0;
            for (int d = -(Q - 1); d <= L - 1; d++) {
                int a = d < 0 ? -d : 0, b = Q - 1 < L - 1 - d ? Q - 1 : L - 1 - d;
                int len = b - a + 1;
                if (len < o->min_overlap || (o->internal && len != minw)) continue;
                long s = 0;
                for (int i = a; i <= b; i++) s += zb[i * NC + i + d];
                long T = s + (long)(Q - len) * Z0;
                if (bestlen == 0 || T > bestT || (T == bestT && len > bestlen))
                    bestT = T, bestlen = len, bestd = d;
            }
            if (bestlen == 0) {            /* no placement passes -min-overlap/-internal */
                h->offset = 0, h->overlap = 0, h->p = 1, h->e = (float)db->n;
                continue;
            }
            double lg = 0;   /* Σ log P(placement d scores below the observed best) */
            for (int d = -(Q - 1); d <= L - 1; d++) {
                int a = d < 0 ? -d : 0, b = Q - 1 < L - 1 - d ? Q - 1 : L - 1 - d;
                double t = cm_cmp_null_tail(nl, a, b, bestT - (long)(Q - (b - a + 1)) * Z0);
                lg += log1p(-t);
            }
            float pf = (float)-expm1(db->norient * lg);
            h->offset = bestd;
            h->overlap = bestlen;
            h->p = pf;
            h->e = pf * (float)db->n;      /* float arithmetic, as Tomtom */
        }
    }
    cm_cmp_null_free(nl);
    free(Z);
    return 0;
}

void cm_cmp_qvalues(cm_cmp_hit_t *hits, size_t n, cm_mt19937_t *rng)
{
    double *p = cm_malloc(n * sizeof(double)), *q = cm_malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) p[i] = hits[i].p;
    cm_storey_qvalues(p, n, rng, q);
    for (size_t i = 0; i < n; i++) hits[i].q = (float)q[i];
    free(p);
    free(q);
}

typedef struct { const cm_cmp_hit_t *h; const char *id; int idx; } row_t;

static int cmp_rows(const void *x, const void *y)
{
    const row_t *ra = x, *rb = y;
    const cm_cmp_hit_t *a = ra->h, *b = rb->h;
    if (a->p != b->p) return a->p < b->p ? -1 : 1;
    if (a->overlap != b->overlap) return a->overlap > b->overlap ? -1 : 1;
    if (a->orient != b->orient) return a->orient < b->orient ? -1 : 1;
    int c = strcmp(ra->id, rb->id);
    if (c) return c;
    return a->target < b->target ? -1 : a->target > b->target;
}

int cm_cmp_select(const cm_cmp_db_t *db, const cm_cmp_hit_t *hits, double thresh,
                  int use_evalue, int *rows)
{
    row_t *r = cm_malloc(db->n * sizeof *r);
    int n = 0;
    for (int k = 0; k < db->n; k++) {
        int best = -1;
        for (int o = 0; o < db->norient; o++) {
            int i = k * db->norient + o;
            const cm_cmp_hit_t *h = &hits[i];
            if (h->overlap == 0) continue;
            if (best < 0 || h->p < hits[best].p ||
                (h->p == hits[best].p && h->overlap > hits[best].overlap))
                best = i;
        }
        if (best >= 0) r[n].h = &hits[best], r[n].id = db->m[k]->id, r[n].idx = best, n++;
    }
    qsort(r, n, sizeof *r, cmp_rows);
    int m = 0;
    for (; m < n; m++) {
        double v = use_evalue ? r[m].h->e : r[m].h->q;
        if (v > thresh) break;
        rows[m] = r[m].idx;
    }
    free(r);
    return m;
}

void cm_cmp_write_header(FILE *fp)
{
    fputs("Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\t"
          "Query_consensus\tTarget_consensus\tOrientation\n", fp);
}

void cm_cmp_write_rows(FILE *fp, const cm_cmp_db_t *db, const char *qid, const char *qcons,
                       const cm_cmp_hit_t *hits, const int *rows, int nrows)
{
    for (int r = 0; r < nrows; r++) {
        const cm_cmp_hit_t *h = &hits[rows[r]];
        fprintf(fp, "%s\t%s\t%d\t%g\t%g\t%g\t%d\t%s\t%s\t%c\n", qid, db->m[h->target]->id,
                h->offset, h->p, h->e, h->q, h->overlap, qcons,
                db->cons[h->target * db->norient + h->orient], h->orient ? '-' : '+');
    }
}
