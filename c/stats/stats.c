/* stats.c — see stats.h. */
#include "stats/stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

/* Below this p the GSL value is replaced by the log-space tail (it may have lost
 * relative accuracy or underflowed). */
#define CM_P_SMALL 1e-290

void cm_stats_init(void)
{
    gsl_set_error_handler_off();
}

/* ln of the continued fraction factor of I_x(a,b) (DLMF 8.17.22), modified Lentz.
 * Valid (fast) for x < (a+1)/(a+b+2).  Returns NAN if it does not converge. */
static double ln_betacf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-16;
    double f = 1.0, C = 1.0, D = 0.0;
    for (int j = 1; j <= 200000; j++) {
        int m = j / 2;
        double d;
        if (j & 1) d = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
        else       d = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
        D = 1.0 + d * D;
        if (fabs(D) < tiny) D = tiny;
        C = 1.0 + d / C;
        if (fabs(C) < tiny) C = tiny;
        D = 1.0 / D;
        double delta = C * D;
        f *= delta;
        if (fabs(delta - 1.0) < eps) return -log(f);
    }
    return NAN;
}

/* cm_tdist_log10p2, also giving GSL's p = 2*Q(|t|) in *p_gsl (NAN when not computed),
 * so cm_ttest1 does not evaluate the tail twice. */
static double tdist_log10p2(double t, double df, double *p_gsl)
{
    *p_gsl = NAN;
    if (!(df > 0) || !isfinite(t) || !isfinite(df)) return NAN;
    if (t == 0) { *p_gsl = 1.0; return 0.0; }
    double at = fabs(t);
    double p = *p_gsl = 2.0 * gsl_cdf_tdist_Q(at, df);
    if (isfinite(p) && p >= CM_P_SMALL) return p >= 1.0 ? 0.0 : log10(p);
    /* p = I_x(df/2, 1/2), x = df/(df+t^2), in log space. */
    double a = 0.5 * df, b = 0.5, lx, l1mx;
    if (at > 1e150) {                 /* t^2 would overflow; df/t^2 negligible */
        lx = log(df) - 2.0 * log(at);
        l1mx = -exp(lx);
    } else {
        double t2 = at * at;
        lx = log(df) - log(df + t2);
        l1mx = log(t2) - log(df + t2);
    }
    double x = exp(lx);
    if (x >= (a + 1.0) / (a + b + 2.0)) return NAN;   /* not the tail: should not happen */
    double lcf = ln_betacf(a, b, x);
    if (!isfinite(lcf)) return NAN;
    double ln_p = a * lx + b * l1mx - log(a) - gsl_sf_lnbeta(a, b) + lcf;
    if (!isfinite(ln_p)) return NAN;
    return ln_p / M_LN10;
}

double cm_tdist_log10p2(double t, double df)
{
    double p_gsl;
    return tdist_log10p2(t, df, &p_gsl);
}

void cm_ttest1(const double *x, size_t n, cm_ttest_t *r)
{
    r->n = n;
    r->mean = r->sd = r->t = NAN;
    r->p = 1.0;
    r->log10p = 0.0;
    r->score = 0.0;
    if (n == 0) return;
    double s = 0;
    int same = 1;
    for (size_t i = 0; i < n; i++) {
        s += x[i];
        if (x[i] != x[0]) same = 0;
    }
    double mean = s / (double)n;
    r->mean = same ? x[0] : mean;
    if (n < 2) return;
    if (same) { r->sd = 0.0; return; }
    double ss = 0, sc = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - mean;
        ss += d * d;
        sc += d;
    }
    double var = (ss - sc * sc / (double)n) / (double)(n - 1);
    double sd = sqrt(var > 0 ? var : 0);
    r->sd = sd;
    if (!(sd > 0) || !isfinite(sd)) return;
    double t = mean / (sd / sqrt((double)n));
    if (!isfinite(t)) return;                           /* evaluation failed */
    double p_gsl, lp = tdist_log10p2(t, (double)(n - 1), &p_gsl);
    if (!isfinite(lp)) { r->t = t; return; }            /* evaluation failed: p = 1 */
    double p = lp >= log10(CM_P_SMALL) ? p_gsl : pow(10.0, lp);
    if (!isfinite(p)) { r->t = t; return; }
    if (p >= 1.0) { p = 1.0; lp = 0.0; }
    r->t = t;
    r->p = p;
    r->log10p = lp;
    double sc2 = mean > 0 ? -lp : mean < 0 ? lp : 0.0;
    r->score = sc2 == 0 ? 0.0 : sc2;                    /* never -0 */
}

/* Sort order for BH: ascending value, then index (deterministic with ties). */
typedef struct { double v; size_t i; } cm_pv_t;

static int cmp_pv(const void *a, const void *b)
{
    const cm_pv_t *x = a, *y = b;
    if (x->v < y->v) return -1;
    if (x->v > y->v) return 1;
    return (x->i > y->i) - (x->i < y->i);
}

static cm_pv_t *sorted_pv(const double *v, size_t n, double nan_as)
{
    cm_pv_t *s = cm_malloc(n * sizeof *s);
    for (size_t i = 0; i < n; i++) {
        s[i].v = isnan(v[i]) ? nan_as : v[i];
        s[i].i = i;
    }
    qsort(s, n, sizeof *s, cmp_pv);
    return s;
}

void cm_bh(const double *p, size_t n, double *q)
{
    if (n == 0) return;
    cm_pv_t *s = sorted_pv(p, n, 1.0);
    double run = 1.0;
    for (size_t k = n; k-- > 0;) {
        double v = s[k].v / ((double)(k + 1) / (double)n);   /* as statsmodels: p / ecdf */
        if (v < run) run = v;
        q[s[k].i] = run;
    }
    free(s);
}

void cm_bh_log10(const double *lp, size_t n, double *lq)
{
    if (n == 0) return;
    cm_pv_t *s = sorted_pv(lp, n, 0.0);
    double run = 0.0;
    for (size_t k = n; k-- > 0;) {
        double v = s[k].v + log10((double)n / (double)(k + 1));
        if (v < run) run = v;
        lq[s[k].i] = run;
    }
    free(s);
}

const char *cm_cell_kind_name(int kind)
{
    static const char *const names[CM_CELL_NKIND] = { "self", "pair", "homotypic", "interaction" };
    return kind >= 0 && kind < CM_CELL_NKIND ? names[kind] : "?";
}

/* One value for grouping: key (kind, src, tgt), then input row for a stable order. */
typedef struct { int kind, src, tgt; size_t row; double v; } cm_entry_t;

static int cmp_entry(const void *a, const void *b)
{
    const cm_entry_t *x = a, *y = b;
    if (x->kind != y->kind) return x->kind - y->kind;
    if (x->src != y->src) return x->src - y->src;
    if (x->tgt != y->tgt) return x->tgt - y->tgt;
    return (x->row > y->row) - (x->row < y->row);
}

static int family(int kind)
{
    return kind == CM_CELL_PAIR ? CM_CELL_SELF : kind;
}

int cm_cells_compute(const cm_effects_t *ef, double alpha, cm_cells_t *cells, cm_err_t *err)
{
    cells->c = NULL;
    cells->n = 0;
    if (!(alpha > 0 && alpha <= 1))
        return cm_fail(err, "alpha must be in (0, 1], got %g", alpha);
    cm_stats_init();

    size_t ne = 0;
    cm_entry_t *e = cm_malloc((2 * ef->n + 1) * sizeof *e);
    for (size_t k = 0; k < ef->n; k++) {
        const cm_effect_t *r = &ef->e[k];
        if (!r->is_pair) {
            e[ne++] = (cm_entry_t){ CM_CELL_SELF, r->src, r->src, k, r->delta_source };
            continue;
        }
        e[ne++] = (cm_entry_t){ r->homotypic ? CM_CELL_HOMOTYPIC : CM_CELL_PAIR, r->src, r->tgt, k, r->delta_target };
        if (!isnan(r->interaction))
            e[ne++] = (cm_entry_t){ CM_CELL_INTERACTION, r->src, r->tgt, k, r->interaction };
    }
    qsort(e, ne, sizeof *e, cmp_entry);

    double *v = cm_malloc((ne + 1) * sizeof *v);
    size_t *off = cm_malloc((ne + 1) * sizeof *off);
    size_t nc = 0;
    for (size_t k = 0; k < ne; k++) {   /* a cell starts where the key (kind, src, tgt) changes */
        v[k] = e[k].v;
        if (k == 0 || e[k].kind != e[k - 1].kind || e[k].src != e[k - 1].src || e[k].tgt != e[k - 1].tgt)
            off[nc++] = k;
    }
    off[nc] = ne;
    cm_cell_t *c = cm_calloc(nc + 1, sizeof *c);
    for (size_t i = 0; i < nc; i++) {
        c[i].kind = e[off[i]].kind;
        c[i].src = e[off[i]].src;
        c[i].tgt = e[off[i]].tgt;
    }
    free(e);

    long nci = (long)nc;
    #pragma omp parallel for schedule(dynamic, 16)
    for (long i = 0; i < nci; i++)
        cm_ttest1(v + off[i], off[i + 1] - off[i], &c[i].tt);
    free(v);
    free(off);

    /* BH per family: {self, pair}, {homotypic}, {interaction}. */
    double *p = cm_malloc((nc + 1) * sizeof *p), *lp = cm_malloc((nc + 1) * sizeof *lp);
    double *q = cm_malloc((nc + 1) * sizeof *q), *lq = cm_malloc((nc + 1) * sizeof *lq);
    size_t *idx = cm_malloc((nc + 1) * sizeof *idx);
    for (int fam = CM_CELL_SELF; fam < CM_CELL_NKIND; fam++) {
        if (fam == CM_CELL_PAIR) continue;
        size_t m = 0;
        for (size_t i = 0; i < nc; i++)
            if (family(c[i].kind) == fam) {
                idx[m] = i;
                p[m] = c[i].tt.p;
                lp[m] = c[i].tt.log10p;
                m++;
            }
        cm_bh(p, m, q);
        cm_bh_log10(lp, m, lq);
        for (size_t k = 0; k < m; k++) {
            cm_cell_t *x = &c[idx[k]];
            if (q[k] >= CM_P_SMALL) {
                x->q = q[k];
                x->log10q = log10(q[k]);
            } else {
                x->q = pow(10.0, lq[k]);
                x->log10q = lq[k];
            }
            x->masked = x->q > alpha;
        }
    }
    free(p); free(lp); free(q); free(lq); free(idx);
    cells->c = c;
    cells->n = nc;
    return 0;
}

void cm_cells_free(cm_cells_t *cells)
{
    if (!cells) return;
    free(cells->c);
    cells->c = NULL;
    cells->n = 0;
}

char *cm_fmt_prob(char *buf, size_t size, double p, double log10p)
{
    if (p >= DBL_MIN || !isfinite(log10p) || log10p >= -300) {
        snprintf(buf, size, "%.6g", p);
        return buf;
    }
    double e = floor(log10p);
    char m[32];
    snprintf(m, sizeof m, "%.6g", pow(10.0, log10p - e));
    if (strcmp(m, "10") == 0) { e += 1; snprintf(m, sizeof m, "1"); }
    snprintf(buf, size, "%se-%02.0f", m, -e);
    return buf;
}

void cm_cells_map(const cm_cells_t *cells, int n_tf, double *score, unsigned char *state)
{
    size_t nn = (size_t)n_tf * (size_t)n_tf;
    for (size_t k = 0; k < nn; k++) { score[k] = NAN; state[k] = CM_MAP_UNTESTED; }
    for (size_t i = 0; i < cells->n; i++) {
        const cm_cell_t *c = &cells->c[i];
        if (c->kind != CM_CELL_SELF && c->kind != CM_CELL_PAIR) continue;
        size_t k = (size_t)c->src * (size_t)n_tf + (size_t)c->tgt;
        state[k] = c->masked ? CM_MAP_MASKED : CM_MAP_SHOWN;
        if (!c->masked) score[k] = c->tt.score;
    }
}

/* "%.6g" or empty for NaN. */
static void put_num(FILE *fp, double v)
{
    if (!isnan(v)) fprintf(fp, "%.6g", v);
}

int cm_write_long(FILE *fp, const cm_cells_t *cells, const cm_effects_t *ef, const char *prov)
{
    if (prov) fprintf(fp, "# %s\n", prov);
    fputs("source_tf\ttarget_tf\tkind\tn\tmean\tsd\tt\tp\tscore\tq\tmasked\n", fp);
    char b[64];
    for (size_t i = 0; i < cells->n; i++) {
        const cm_cell_t *c = &cells->c[i];
        fprintf(fp, "%s\t%s\t%s\t%zu\t", ef->tf[c->src], ef->tf[c->tgt], cm_cell_kind_name(c->kind), c->tt.n);
        put_num(fp, c->tt.mean); fputc('\t', fp);
        put_num(fp, c->tt.sd); fputc('\t', fp);
        put_num(fp, c->tt.t); fputc('\t', fp);
        fputs(cm_fmt_prob(b, sizeof b, c->tt.p, c->tt.log10p), fp); fputc('\t', fp);
        put_num(fp, c->tt.score); fputc('\t', fp);
        fputs(cm_fmt_prob(b, sizeof b, c->q, c->log10q), fp);
        fprintf(fp, "\t%d\n", c->masked);
    }
    return 0;
}

void cm_map_axes(const unsigned char *state, int n_tf, int square, int *rows, int *nr,
                 int *cols, int *nc)
{
    *nr = *nc = 0;
    for (int i = 0; i < n_tf; i++) {
        int keep = square;
        for (int j = 0; j < n_tf && !keep; j++) keep = state[(size_t)i * n_tf + j] != CM_MAP_UNTESTED;
        if (keep) rows[(*nr)++] = i;
    }
    for (int j = 0; j < n_tf; j++) {
        int keep = square;
        for (int i = 0; i < n_tf && !keep; i++) keep = state[(size_t)i * n_tf + j] != CM_MAP_UNTESTED;
        if (keep) cols[(*nc)++] = j;
    }
}

int cm_write_matrix(FILE *fp, const cm_cells_t *cells, const cm_effects_t *ef, int square,
                    const char *prov)
{
    int n = ef->n_tf, nr, nc;
    double *score = cm_malloc((size_t)n * n * sizeof *score + 1);
    unsigned char *state = cm_malloc((size_t)n * n + 1);
    int *rows = cm_malloc(sizeof(int) * (n + 1)), *cols = cm_malloc(sizeof(int) * (n + 1));
    cm_cells_map(cells, n, score, state);
    cm_map_axes(state, n, square, rows, &nr, cols, &nc);
    if (prov) fprintf(fp, "# %s\n", prov);
    fputs("source_tf", fp);
    for (int j = 0; j < nc; j++) fprintf(fp, "\t%s", ef->tf[cols[j]]);
    fputc('\n', fp);
    for (int i = 0; i < nr; i++) {
        fputs(ef->tf[rows[i]], fp);
        for (int j = 0; j < nc; j++) {
            size_t k = (size_t)rows[i] * n + cols[j];
            fputc('\t', fp);
            if (state[k] == CM_MAP_SHOWN) put_num(fp, score[k]);
        }
        fputc('\n', fp);
    }
    free(score); free(state); free(rows); free(cols);
    return 0;
}

/* Running sums for a bin or a TF. */
typedef struct { size_t n, ni; double s, s2, sa, si; } cm_acc_t;

int cm_write_profile(FILE *fp, const cm_effects_t *ef, long bin, const char *prov)
{
    if (bin < 1) bin = 1;
    double maxd = -1;
    for (size_t k = 0; k < ef->n; k++)
        if (ef->e[k].is_pair && ef->e[k].distance > maxd) maxd = ef->e[k].distance;
    size_t nb = maxd < 0 ? 0 : (size_t)floor(maxd / bin) + 1;
    cm_acc_t *a = cm_calloc(2 * nb + 1, sizeof *a);
    /* first pass: sums; mean then centred sums for sd (two-pass, as cm_ttest1) */
    for (size_t k = 0; k < ef->n; k++) {
        const cm_effect_t *r = &ef->e[k];
        if (!r->is_pair) continue;
        cm_acc_t *x = &a[(size_t)r->homotypic * nb + (size_t)floor(r->distance / bin)];
        x->n++;
        x->s += r->delta_target;
        x->sa += fabs(r->delta_target);
        if (!isnan(r->interaction)) { x->ni++; x->si += r->interaction; }
    }
    for (size_t k = 0; k < ef->n; k++) {
        const cm_effect_t *r = &ef->e[k];
        if (!r->is_pair) continue;
        cm_acc_t *x = &a[(size_t)r->homotypic * nb + (size_t)floor(r->distance / bin)];
        double d = r->delta_target - x->s / (double)x->n;
        x->s2 += d * d;
    }
    if (prov) fprintf(fp, "# %s\n", prov);
    fputs("kind\tbin_start\tbin_end\tn\tmean_delta_target\tsd_delta_target\tmean_abs_delta_target"
          "\tn_interaction\tmean_interaction\n", fp);
    for (int h = 0; h < 2; h++)
        for (size_t b = 0; b < nb; b++) {
            cm_acc_t *x = &a[(size_t)h * nb + b];
            if (!x->n) continue;
            fprintf(fp, "%s\t%ld\t%ld\t%zu\t", h ? "homotypic" : "pair", (long)b * bin, (long)(b + 1) * bin, x->n);
            put_num(fp, x->s / (double)x->n); fputc('\t', fp);
            if (x->n >= 2) put_num(fp, sqrt(x->s2 / (double)(x->n - 1)));
            fputc('\t', fp);
            put_num(fp, x->sa / (double)x->n);
            fprintf(fp, "\t%zu\t", x->ni);
            if (x->ni) put_num(fp, x->si / (double)x->ni);
            fputc('\n', fp);
        }
    free(a);
    return 0;
}

typedef struct { int tf; double self, pair; } cm_rank_t;

static int cmp_rank(const void *a, const void *b)
{
    const cm_rank_t *x = a, *y = b;
    int xs = !isnan(x->self), ys = !isnan(y->self);
    if (xs != ys) return ys - xs;
    if (xs && x->self != y->self) return x->self < y->self ? 1 : -1;
    int xp = !isnan(x->pair), yp = !isnan(y->pair);
    if (xp != yp) return yp - xp;
    if (xp && x->pair != y->pair) return x->pair < y->pair ? 1 : -1;
    return x->tf - y->tf;       /* TF table is sorted by name */
}

int cm_write_ranking(FILE *fp, const cm_effects_t *ef, const char *prov)
{
    int n = ef->n_tf;
    cm_acc_t *a = cm_calloc((size_t)n + 1, sizeof *a);
    for (size_t k = 0; k < ef->n; k++) {
        const cm_effect_t *r = &ef->e[k];
        if (!r->is_pair) { a[r->src].n++; a[r->src].sa += fabs(r->delta_source); }
        else { a[r->src].ni++; a[r->src].si += fabs(r->delta_target); }
    }
    cm_rank_t *rk = cm_malloc(((size_t)n + 1) * sizeof *rk);
    for (int i = 0; i < n; i++) {
        rk[i].tf = i;
        rk[i].self = a[i].n ? a[i].sa / (double)a[i].n : NAN;
        rk[i].pair = a[i].ni ? a[i].si / (double)a[i].ni : NAN;
    }
    qsort(rk, (size_t)n, sizeof *rk, cmp_rank);
    if (prov) fprintf(fp, "# %s\n", prov);
    fputs("tf\tn_self\tmean_abs_self\tn_pair\tmean_abs_target_effect\n", fp);
    for (int i = 0; i < n; i++) {
        const cm_acc_t *x = &a[rk[i].tf];
        fprintf(fp, "%s\t%zu\t", ef->tf[rk[i].tf], x->n);
        put_num(fp, rk[i].self);
        fprintf(fp, "\t%zu\t", x->ni);
        put_num(fp, rk[i].pair);
        fputc('\n', fp);
    }
    free(rk);
    free(a);
    return 0;
}
