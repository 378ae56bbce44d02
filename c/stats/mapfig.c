/* mapfig.c — see mapfig.h. */
#include "stats/mapfig.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/svg.h"
#include "stats/cluster.h"

#define MINUS "\xe2\x88\x92"
#define TIMES "\xc3\x97"
#define PLUSMINUS "\xc2\xb1"
#define DELTA "\xce\x94"

static const char *ROW_T = "source TF (prediction read)";
static const char *COL_T = "target TF (motif knocked out)";
static const char *SCALE_T = "score: signed " MINUS "log10 p";

/* Append printf-style text to buf (size n), truncating. */
static void cat(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t n, const char *fmt, ...)
{
    size_t l = strlen(buf);
    if (l + 1 >= n) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + l, n - l, fmt, ap);
    va_end(ap);
}

static int has(const char *s) { return s && *s; }

/* ---- cooperativity maps -------------------------------------------------------- */

double cm_map_maxabs(const cm_mapview_t *m)
{
    double lim = 0;
    if (!m || !m->cells) return 0;
    for (size_t i = 0; i < m->cells->n; i++) {
        const cm_cell_t *c = &m->cells->c[i];
        if ((c->kind != CM_CELL_SELF && c->kind != CM_CELL_PAIR) || c->masked || !isfinite(c->tt.score)) continue;
        if (fabs(c->tt.score) > lim) lim = fabs(c->tt.score);
    }
    return lim;
}

/* One map prepared for drawing: the view arrays, the drawn rows and columns (in
 * drawing order) and, when clustered, the trees over the positions of the axes in TF
 * order (leaf i = i-th drawn row / column before reordering). */
typedef struct {
    const char *const *names;
    int n, nr, nc, nmask;
    double *score;
    unsigned char *state;
    int *rows, *cols;
    cm_tree_t rt, ct;
} mprep_t;

static void prep_free(mprep_t *p)
{
    free(p->score); free(p->state); free(p->rows); free(p->cols);
    cm_tree_free(&p->rt);
    cm_tree_free(&p->ct);
}

/* Cluster the nr x nc matrix x by rows; reorder idx[0..nr-1] by the leaf order. */
static int cluster_axis(const double *x, int nr, int nc, int *idx, cm_tree_t *t, cm_err_t *err)
{
    double *d = cm_malloc(sizeof *d * (size_t)nr * nr + 1);
    cm_dist_euclid_rows(x, nr, nc, d);
    int rc = cm_cluster_average(d, nr, t, err);
    free(d);
    if (rc < 0) return -1;
    int *tmp = cm_malloc(sizeof *tmp * (size_t)nr);
    for (int i = 0; i < nr; i++) tmp[i] = idx[t->order[i]];
    memcpy(idx, tmp, sizeof *tmp * (size_t)nr);
    free(tmp);
    return 0;
}

static int prep(const cm_mapview_t *m, int k, int square, int cluster, mprep_t *p, cm_err_t *err)
{
    memset(p, 0, sizeof *p);
    if (!m->ef || !m->cells)
        return cm_fail(err, "figure: map %d%s%s%s has no %s", k + 1, has(m->name) ? " (" : "",
                       has(m->name) ? m->name : "", has(m->name) ? ")" : "", m->ef ? "cells" : "effects");
    int n = m->ef->n_tf;
    size_t nn = (size_t)n * n;
    p->names = (const char *const *)m->ef->tf;
    p->n = n;
    p->score = cm_malloc(sizeof *p->score * nn + 1);
    p->state = cm_malloc(nn + 1);
    p->rows = cm_malloc(sizeof(int) * ((size_t)n + 1));
    p->cols = cm_malloc(sizeof(int) * ((size_t)n + 1));
    cm_cells_map(m->cells, n, p->score, p->state);
    cm_map_axes(p->state, n, square, p->rows, &p->nr, p->cols, &p->nc);
    int nr = p->nr, nc = p->nc;
    for (int i = 0; i < nr; i++)
        for (int j = 0; j < nc; j++) p->nmask += p->state[(size_t)p->rows[i] * n + p->cols[j]] == CM_MAP_MASKED;
    if (!cluster || nr == 0 || nc == 0) return 0;
    /* the shown scores, masked and untested = 0; x is nr x nc, xt its transpose */
    double *x = cm_malloc(sizeof *x * (size_t)nr * nc), *xt = cm_malloc(sizeof *xt * (size_t)nr * nc);
    for (int i = 0; i < nr; i++)
        for (int j = 0; j < nc; j++) {
            size_t q = (size_t)p->rows[i] * n + p->cols[j];
            double v = p->state[q] == CM_MAP_SHOWN && isfinite(p->score[q]) ? p->score[q] : 0;
            x[(size_t)i * nc + j] = xt[(size_t)j * nr + i] = v;
        }
    int rc = 0;
    if (nr >= 2) rc = cluster_axis(x, nr, nc, p->rows, &p->rt, err);
    if (rc == 0 && nc >= 2) rc = cluster_axis(xt, nc, nr, p->cols, &p->ct, err);
    free(x); free(xt);
    return rc;
}

/* A dendrogram of t.  Rows (cols = 0): leaves down from y0 (cs apart, leaf i at
 * y0 + (i + 0.5) cs), the leaves' end at x = base, the root `depth` px further left.
 * Columns: leaves right from x0, the leaves' end at y = base, the root above. */
static void dendrogram(FILE *fp, const cm_tree_t *t, int cols, double start, double base, double cs,
                       double depth, const char *id)
{
    int n = t->n;
    if (n < 2) return;
    double *pos = cm_malloc(sizeof *pos * (size_t)(2 * n)), *h = cm_malloc(sizeof *h * (size_t)(2 * n));
    for (int i = 0; i < n; i++) pos[t->order[i]] = i + 0.5, h[t->order[i]] = 0;
    double hmax = t->height[n - 2] > 0 ? t->height[n - 2] : 1;
    fprintf(fp, "<g id=\"%s%s-dendrogram\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1\">\n", id,
            cols ? "col" : "row");
    for (int k = 0; k < n - 1; k++) {
        int a = t->merge[k][0], b = t->merge[k][1], c = n + k;
        pos[c] = (pos[a] + pos[b]) / 2;
        h[c] = t->height[k];
        double pa = start + pos[a] * cs, pb = start + pos[b] * cs;
        double ha = base - h[a] / hmax * depth, hb = base - h[b] / hmax * depth, hc = base - h[c] / hmax * depth;
        if (cols)
            fprintf(fp, "<path d=\"M%.2f %.2fV%.2fH%.2fV%.2f\">", pa, ha, hc, pb, hb);
        else
            fprintf(fp, "<path d=\"M%.2f %.2fH%.2fV%.2fH%.2f\">", ha, pa, hc, pb, hb);
        cm_svg_tooltip(fp, "%d %s joined at distance %.4g", t->size[k], cols ? "target TFs" : "source TFs", t->height[k]);
        fputs("</path>\n", fp);
    }
    fputs("</g>\n", fp);
    free(pos);
    free(h);
}

static int map_figure(FILE *fp, const cm_mapview_t *maps, int n, const cm_mapfig_opts_t *opt, cm_err_t *err)
{
    if (n < 1 || !maps) return cm_fail(err, "figure: no map to draw (n = %d)", n);
    cm_mapfig_opts_t o = { 0 };
    if (opt) o = *opt;
    double alpha = o.alpha > 0 ? o.alpha : 0.05;
    mprep_t *p = cm_calloc((size_t)n, sizeof *p);
    for (int k = 0; k < n; k++)
        if (prep(&maps[k], k, o.square, o.cluster, &p[k], err) < 0) {
            for (int i = 0; i <= k; i++) prep_free(&p[i]);
            free(p);
            return -1;
        }
    double lim = o.lim;
    if (!(lim > 0)) {
        lim = 0;
        for (int k = 0; k < n; k++) { double v = cm_map_maxabs(&maps[k]); if (v > lim) lim = v; }
        if (!(lim > 0)) lim = 1;
    }
    int nmax = 0, any = 0, named = 0;
    for (int k = 0; k < n; k++) {
        if (p[k].nr > nmax) nmax = p[k].nr;
        if (p[k].nc > nmax) nmax = p[k].nc;
        any |= p[k].nr > 0 && p[k].nc > 0;
        named |= has(maps[k].name);
    }
    int values = o.show_values < 0 ? nmax <= 20 : o.show_values, clus = o.cluster != 0;
    double cs, fs;
    cm_svg_grid_layout(nmax, &cs, &fs);
    double rot = cm_svg_col_rot(cs, fs);
    double DW = clus ? (nmax > 40 ? 90 : 60) : 0;          /* dendrogram depth */
    int has_title = has(o.title);
    double gtop = 20 + (has_title ? 36 : 0) + (named ? 22 : 0) + (clus ? DW + 6 : 0);

    /* geometry of the blocks */
    double *gx = cm_malloc(sizeof *gx * (size_t)n), *bx = cm_malloc(sizeof *bx * (size_t)n);
    double *bwid = cm_malloc(sizeof *bwid * (size_t)n), *clhs = cm_malloc(sizeof *clhs * (size_t)n);
    double x = 36, bottom = gtop + 60, maxgh = 0;
    for (int k = 0; k < n; k++) {
        const mprep_t *q = &p[k];
        double nw = has(maps[k].name) ? cm_svg_text_w(maps[k].name, 13) + 10 : 0, bw;
        bx[k] = x;
        if (q->nr == 0 || q->nc == 0) {
            bw = nw > 120 ? nw : 120;
            gx[k] = x;
            clhs[k] = 0;
        } else {
            double lab = cm_svg_label_w(q->names, q->rows, q->nr, fs);
            double clab = cm_svg_label_w(q->names, q->cols, q->nc, fs);
            double clh = cm_svg_col_label_h(clab, rot, fs);
            double lp = clus ? DW + 6 : lab + 10, ov = rot == 45 ? clab * 0.7072 - cs / 2 + 4 : 0;
            if (ov > lp) lp = ov;
            double gw = cs * q->nc, gh = cs * q->nr, ct = cm_svg_text_w(COL_T, 13);
            gx[k] = x + lp;
            bw = lp + gw + (clus ? 6 + lab + 6 : 0);
            if (lp + gw / 2 + ct / 2 > bw) bw = lp + gw / 2 + ct / 2;
            if (nw > bw) bw = nw;
            clhs[k] = clh;
            if (gtop + gh + clh + 30 > bottom) bottom = gtop + gh + clh + 30;
            if (gh > maxgh) maxgh = gh;
        }
        bwid[k] = bw;
        x += bw + 30;
    }
    double bar_x = x, bar_h = maxgh * 0.6;
    if (bar_h < 120) bar_h = 120;
    if (bar_h > 320) bar_h = 320;
    char mlab[64];
    cm_svg_key_t keys[5];
    int nk = cm_svg_map_keys(keys, mlab, sizeof mlab, alpha);
    double bw = cm_svg_colour_bar_w(lim, SCALE_T), lw = cm_svg_legend_w(keys, nk, 11);
    double ly = gtop + bar_h + 20;
    double W = bar_x + (bw > lw ? bw : lw) + 10, H = bottom + 10;
    if (H < ly + nk * 11 * 1.8 + 10) H = ly + nk * 11 * 1.8 + 10;
    if (has_title && W < cm_svg_text_w(o.title, 16) + 40) W = cm_svg_text_w(o.title, 16) + 40;
    if (!any) W = W < 300 ? 300 : W, H = (has_title ? 56 : 20) + 60;

    /* document title and description */
    char title[1024] = "", desc[2048] = "";
    if (has_title) cat(title, sizeof title, "%s", o.title);
    else {
        cat(title, sizeof title, "Cooperativity map%s", n > 1 ? "s" : "");
        for (int k = 0, c = 0; k < n; k++)
            if (has(maps[k].name)) cat(title, sizeof title, "%s%s", c++ ? ", " : ": ", maps[k].name);
    }
    for (int k = 0; k < n; k++) {
        cat(desc, sizeof desc, "%s%s%s%d source TFs (rows) " TIMES " %d target TFs (columns), %d masked",
            k ? "; " : "Heatmap of ", has(maps[k].name) ? maps[k].name : "", has(maps[k].name) ? ": " : "",
            p[k].nr, p[k].nc, p[k].nmask);
    }
    cat(desc, sizeof desc, ". Colour: signed " MINUS "log10 p of a t-test of the knockout effects, blue "
        "negative, red positive, limit %g; masked: q > %g; %s.", lim, alpha,
        clus ? "rows and columns ordered by average-linkage clustering, dendrograms beside"
             : "TFs in name order");
    cm_svg_begin(fp, W, H, title, desc, o.prov);
    if (has_title) cm_svg_text(fp, W / 2, 28, 16, "middle", 0, "font-weight=\"bold\"", o.title);
    if (!any) {
        cm_svg_text(fp, 36, (has_title ? 56 : 20) + 20, 14, NULL, 0, NULL, "no data");
        cm_svg_end(fp);
        goto done;
    }
    cm_svg_defs(fp);
    for (int k = 0; k < n; k++) {
        const mprep_t *q = &p[k];
        char id[32];
        snprintf(id, sizeof id, "map%d-", k + 1);
        fprintf(fp, "<g id=\"map%d\" data-name=\"", k + 1);
        cm_svg_esc(fp, maps[k].name);
        fputs("\">\n", fp);
        double gw = cs * q->nc, gh = cs * q->nr;
        if (has(maps[k].name)) {
            double cx = q->nr && q->nc ? gx[k] + gw / 2 : bx[k] + bwid[k] / 2;
            double nw = cm_svg_text_w(maps[k].name, 13);
            if (cx - nw / 2 < bx[k]) cx = bx[k] + nw / 2;
            cm_svg_text(fp, cx, gtop - (clus ? DW + 6 : 0) - 8, 13, "middle", 0, "font-weight=\"bold\"", maps[k].name);
        }
        if (q->nr == 0 || q->nc == 0) {
            cm_svg_text(fp, bx[k], gtop + 20, 14, NULL, 0, NULL, "no data");
            fputs("</g>\n", fp);
            continue;
        }
        if (clus) {
            dendrogram(fp, &q->rt, 0, gtop, gx[k] - 4, cs, DW, id);
            dendrogram(fp, &q->ct, 1, gx[k], gtop - 4, cs, DW, id);
        }
        cm_svg_grid_t g = { .names = q->names, .n = q->n, .rows = q->rows, .cols = q->cols, .nr = q->nr,
                            .nc = q->nc, .score = q->score, .state = q->state, .x = gx[k], .y = gtop,
                            .cs = cs, .fs = fs, .lim = lim, .values = values, .labels_right = clus, .id = id };
        cm_svg_grid(fp, &g);
        cm_svg_text(fp, gx[k] + gw / 2, gtop + gh + clhs[k] + 18, 13, "middle", 0, NULL, COL_T);
        fputs("</g>\n", fp);
    }
    double ry = gtop + maxgh / 2, rh = cm_svg_text_w(ROW_T, 13) / 2 + 4;
    if (ry < rh) ry = rh;
    cm_svg_text(fp, 16, ry, 13, "middle", -90, NULL, ROW_T);
    cm_svg_colour_bar(fp, bar_x, gtop, bar_h, lim, SCALE_T);
    cm_svg_legend(fp, bar_x, ly, 11, keys, nk);
    cm_svg_end(fp);
done:
    for (int k = 0; k < n; k++) prep_free(&p[k]);
    free(p); free(gx); free(bx); free(bwid); free(clhs);
    return 0;
}

int cm_fig_map(FILE *fp, const cm_mapview_t *m, const cm_mapfig_opts_t *o, cm_err_t *err)
{
    if (!m) return cm_fail(err, "figure: no map to draw");
    return map_figure(fp, m, 1, o, err);
}

int cm_fig_map_panel(FILE *fp, const cm_mapview_t *maps, int n, const cm_mapfig_opts_t *o, cm_err_t *err)
{
    return map_figure(fp, maps, n, o, err);
}

/* ---- distance profile ---------------------------------------------------------- */

typedef struct { long bin; size_t idx; double v; } pv_t;

static int cmp_pv(const void *a, const void *b)
{
    const pv_t *x = a, *y = b;
    if (x->bin != y->bin) return x->bin < y->bin ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

typedef struct { long bin; size_t n; double mean, se; } ppt_t;

/* Bins of the values v (sorted by bin then input order): mean and standard error. */
static int profile_points(const pv_t *v, size_t nv, ppt_t *pt)
{
    int np = 0;
    for (size_t i = 0; i < nv;) {
        size_t j = i;
        double s = 0;
        while (j < nv && v[j].bin == v[i].bin) s += v[j++].v;
        size_t m = j - i;
        double mean = s / (double)m, s2 = 0;
        for (size_t k = i; k < j; k++) s2 += (v[k].v - mean) * (v[k].v - mean);
        pt[np++] = (ppt_t){ v[i].bin, m, mean, m >= 2 ? sqrt(s2 / (double)(m - 1)) / sqrt((double)m) : NAN };
        i = j;
    }
    return np;
}

int cm_fig_profile(FILE *fp, const cm_mapview_t *maps, int n, long bin, const char *title,
                   const char *prov, cm_err_t *err)
{
    if (n < 1 || !maps) return cm_fail(err, "figure: no map for the distance profile (n = %d)", n);
    if (bin < 1) return cm_fail(err, "figure: distance bin %ld bp is not a positive integer", bin);
    for (int k = 0; k < n; k++)
        if (!maps[k].ef) return cm_fail(err, "figure: map %d has no effects", k + 1);
    int ns = n >= 2 ? n + 1 : 1;                 /* series: maps, then pooled */
    pv_t **sv = cm_calloc((size_t)ns, sizeof *sv);
    size_t *nv = cm_calloc((size_t)ns, sizeof *nv), idx = 0, total = 0;
    for (int k = 0; k < n; k++) {
        const cm_effects_t *ef = maps[k].ef;
        sv[k] = cm_malloc(sizeof **sv * (ef->n + 1));
        for (size_t r = 0; r < ef->n; r++) {
            const cm_effect_t *e = &ef->e[r];
            if (!e->is_pair || e->homotypic || !isfinite(e->delta_target) || !(e->distance >= 0)) continue;
            sv[k][nv[k]++] = (pv_t){ (long)floor(e->distance / (double)bin), idx++, e->delta_target };
        }
        total += nv[k];
    }
    if (ns > n) {
        sv[n] = cm_malloc(sizeof **sv * (total + 1));
        for (int k = 0; k < n; k++) {
            memcpy(sv[n] + nv[n], sv[k], sizeof **sv * nv[k]);
            nv[n] += nv[k];
        }
    }
    ppt_t **pt = cm_calloc((size_t)ns, sizeof *pt);
    int *np = cm_calloc((size_t)ns, sizeof *np);
    long maxbin = -1;
    double ylo = 0, yhi = 0;
    for (int s = 0; s < ns; s++) {
        qsort(sv[s], nv[s], sizeof **sv, cmp_pv);
        pt[s] = cm_malloc(sizeof **pt * (nv[s] + 1));
        np[s] = profile_points(sv[s], nv[s], pt[s]);
        for (int i = 0; i < np[s]; i++) {
            const ppt_t *q = &pt[s][i];
            double e = isnan(q->se) ? 0 : q->se;
            if (q->mean - e < ylo) ylo = q->mean - e;
            if (q->mean + e > yhi) yhi = q->mean + e;
            if (q->bin > maxbin) maxbin = q->bin;
        }
    }
    char (*nbuf)[24] = cm_malloc(sizeof *nbuf * (size_t)ns);
    const char **sname = cm_malloc(sizeof *sname * (size_t)ns);
    for (int s = 0; s < ns; s++) {
        snprintf(nbuf[s], sizeof nbuf[s], "map %d", s + 1);
        sname[s] = s == n ? "all" : has(maps[s].name) ? maps[s].name : nbuf[s];
    }

    int has_title = has(title);
    const char *doc_title = has_title ? title : "Distance profile of knockout effects";
    double top = 20 + (has_title ? 36 : 0), ph = 320;
    double xmax = (double)(maxbin + 1) * bin;
    long nbins = maxbin + 1;
    double pw = nbins * 28.0;
    if (pw < 420) pw = 420;
    if (pw > 1400) pw = 1400;
    double pad = (yhi - ylo) * 0.06;
    if (!(pad > 0)) pad = 0.1;
    ylo -= pad, yhi += pad;
    char xt[128];
    snprintf(xt, sizeof xt, "centre-to-centre distance (bp; bins of %ld bp)", bin);
    cm_svg_axis_t ay = { .y = top + ph, .len = ph, .vertical = 1, .lo = ylo, .hi = yhi,
                         .title = "mean " DELTA " target (knockout " MINUS " baseline)", .grid = pw };
    double left = 20 + cm_svg_axis_room(&ay);
    ay.x = left;
    cm_svg_axis_t ax = { .x = left, .y = top + ph, .len = pw, .lo = 0, .hi = xmax > 0 ? xmax : 1, .title = xt,
                         .step = bin * ceil(nbins / 8.0) };   /* ticks on bin edges */
    cm_svg_key_t *keys = cm_malloc(sizeof *keys * (size_t)(ns + 2));
    for (int s = 0; s < ns; s++) keys[s] = (cm_svg_key_t){ CM_SVG_KEY_LINE, s == n ? "#000000" : cm_svg_qual(s), sname[s] };
    char note[96];
    snprintf(note, sizeof note, "points: bin mean " PLUSMINUS " 1 s.e.");
    keys[ns] = (cm_svg_key_t){ CM_SVG_KEY_NONE, NULL, "heterotypic pairs" };
    keys[ns + 1] = (cm_svg_key_t){ CM_SVG_KEY_NONE, NULL, note };
    int nk = ns + 2;
    double lx = left + pw + 24;
    double W = lx + cm_svg_legend_w(keys, nk, 11) + 10;
    double H = top + ph + cm_svg_axis_room(&ax) + 10;
    if (H < top + nk * 11 * 1.8 + 10) H = top + nk * 11 * 1.8 + 10;
    if (has_title && W < cm_svg_text_w(title, 16) + 40) W = cm_svg_text_w(title, 16) + 40;
    if (maxbin < 0) W = 300, H = top + 60;

    char desc[1024];
    snprintf(desc, sizeof desc, "Mean delta_target of heterotypic pair rows per %ld bp distance bin, "
             "with standard errors; %d series.", bin, ns);
    cm_svg_begin(fp, W, H, doc_title, desc, prov);
    if (has_title) cm_svg_text(fp, W / 2, 28, 16, "middle", 0, "font-weight=\"bold\"", title);
    if (maxbin < 0) {
        cm_svg_text(fp, 20, top + 20, 14, NULL, 0, NULL, "no data");
        cm_svg_end(fp);
        goto done;
    }
    cm_svg_axis(fp, &ay);
    cm_svg_axis(fp, &ax);
    double y0 = cm_svg_axis_pos(&ay, 0);
    fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#888888\" "
                "stroke-dasharray=\"4 3\"/>\n", left, y0, left + pw, y0);
    double bpx = pw * bin / ax.hi, dodge = bpx * 0.5 / ns;
    if (dodge > 6) dodge = 6;
    for (int s = 0; s < ns; s++) {
        const char *col = s == n ? "#000000" : cm_svg_qual(s);
        double off = (s - (ns - 1) / 2.0) * dodge;
        fprintf(fp, "<g class=\"series\" data-series=\"");
        cm_svg_esc(fp, sname[s]);
        fprintf(fp, "\" stroke=\"%s\" fill=\"%s\">\n", col, col);
        /* line segments over consecutive bins */
        for (int i = 0; i < np[s];) {
            int j = i + 1;
            while (j < np[s] && pt[s][j].bin == pt[s][j - 1].bin + 1) j++;
            if (j - i >= 2) {
                fprintf(fp, "<polyline fill=\"none\" stroke-width=\"%s\" points=\"", s == n ? "2.5" : "2");
                for (int k = i; k < j; k++)
                    fprintf(fp, "%s%.2f,%.2f", k > i ? " " : "", cm_svg_axis_pos(&ax, (pt[s][k].bin + 0.5) * bin) + off,
                            cm_svg_axis_pos(&ay, pt[s][k].mean));
                fputs("\"/>\n", fp);
            }
            i = j;
        }
        for (int i = 0; i < np[s]; i++) {
            const ppt_t *q = &pt[s][i];
            double cx = cm_svg_axis_pos(&ax, (q->bin + 0.5) * bin) + off, cy = cm_svg_axis_pos(&ay, q->mean);
            long b0 = q->bin * bin, b1 = (q->bin + 1) * bin;
            if (q->n >= 2) {
                double ya = cm_svg_axis_pos(&ay, q->mean - q->se), yb = cm_svg_axis_pos(&ay, q->mean + q->se);
                fprintf(fp, "<path class=\"error-bar\" fill=\"none\" stroke-width=\"1.2\" "
                            "d=\"M%.2f %.2fV%.2fM%.2f %.2fH%.2fM%.2f %.2fH%.2f\"/>\n",
                        cx, ya, yb, cx - 3, ya, cx + 3, cx - 3, yb, cx + 3);
            }
            fprintf(fp, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"3.5\" stroke=\"#ffffff\" stroke-width=\"0.8\" "
                        "data-series=\"", cx, cy);
            cm_svg_esc(fp, sname[s]);
            fprintf(fp, "\" data-bin-start=\"%ld\" data-bin-end=\"%ld\" data-n=\"%zu\" data-mean=\"%.17g\"",
                    b0, b1, q->n, q->mean);
            if (q->n >= 2) fprintf(fp, " data-se=\"%.17g\"", q->se);
            fputc('>', fp);
            if (q->n >= 2)
                cm_svg_tooltip(fp, "%s, bin %ld-%ld bp: mean %.4g " PLUSMINUS " %.4g (n %zu)", sname[s], b0, b1,
                               q->mean, q->se, q->n);
            else
                cm_svg_tooltip(fp, "%s, bin %ld-%ld bp: mean %.4g (n 1)", sname[s], b0, b1, q->mean);
            fputs("</circle>\n", fp);
        }
        fputs("</g>\n", fp);
    }
    cm_svg_legend(fp, lx, top, 11, keys, nk);
    cm_svg_end(fp);
done:
    for (int s = 0; s < ns; s++) { free(sv[s]); free(pt[s]); }
    free(sv); free(nv); free(pt); free(np); free(sname); free(nbuf); free(keys);
    return 0;
}

/* ---- TF ranking ---------------------------------------------------------------- */

int cm_fig_ranking(FILE *fp, const cm_effects_t *ef, int top, const char *title,
                   const char *prov, cm_err_t *err)
{
    if (!ef) return cm_fail(err, "figure: no effects for the TF ranking");
    if (top < 0) return cm_fail(err, "figure: ranking length %d is negative", top);
    int n = ef->n_tf;
    cm_rank_t *rk = cm_ranking(ef);   /* cm_write_ranking's order */
    int k = 0;
    while (k < n && rk[k].n_self > 0) k++;
    if (top > 0 && k > top) k = top;

    int has_title = has(title);
    double rh = k <= 30 ? 22 : 660.0 / k, vmax = 0;
    if (rh < 12) rh = 12;
    double fs = rh * 0.75 < 12 ? rh * 0.75 : 12;
    for (int i = 0; i < k; i++) if (rk[i].self > vmax) vmax = rk[i].self;
    double lab = 0;
    for (int i = 0; i < k; i++) {
        double w = cm_svg_text_w(ef->tf[rk[i].tf], fs);
        if (w > lab) lab = w;
    }
    double t[64], st;
    int nt = cm_svg_ticks(0, vmax > 0 ? vmax : 1, 5, t, 64, &st);
    double xhi = vmax > 0 ? ceil(vmax / st - 1e-9) * st : 1;
    (void)nt;
    double tp = 20 + (has_title ? 36 : 0), left = 20 + lab + 8, pw = 420;
    cm_svg_axis_t ax = { .x = left, .y = tp + k * rh + 4, .len = pw, .lo = 0, .hi = xhi,
                         .title = "mean |" DELTA " source| of the self rows (|knockout " MINUS " baseline|)",
                         .grid = k * rh + 4 };
    double W = left + pw + 60, H = ax.y + cm_svg_axis_room(&ax) + 10;
    double aw = cm_svg_text_w(ax.title, 12) + 40;
    if (W < left + pw / 2 + aw / 2) W = left + pw / 2 + aw / 2;
    if (has_title && W < cm_svg_text_w(title, 16) + 40) W = cm_svg_text_w(title, 16) + 40;
    if (k == 0) W = 300, H = tp + 60;
    char desc[512];
    snprintf(desc, sizeof desc, "Horizontal bars: the %d TFs with the largest mean absolute effect of knocking "
             "out their own motif on their predicted binding (self rows), largest first.", k);
    cm_svg_begin(fp, W, H, has_title ? title : "TF ranking by self knockout effect", desc, prov);
    if (has_title) cm_svg_text(fp, W / 2, 28, 16, "middle", 0, "font-weight=\"bold\"", title);
    if (k == 0) {
        cm_svg_text(fp, 20, tp + 20, 14, NULL, 0, NULL, "no data");
        cm_svg_end(fp);
        goto done;
    }
    cm_svg_axis(fp, &ax);
    fprintf(fp, "<g id=\"bars\" fill=\"%s\">\n", cm_svg_qual(0));
    for (int i = 0; i < k; i++) {
        const cm_rank_t *r = &rk[i];
        const char *name = ef->tf[r->tf];
        double y = tp + i * rh, w = r->self / xhi * pw;
        fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" data-tf=\"", left, y + rh * 0.15,
                w, rh * 0.7);
        cm_svg_esc(fp, name);
        fprintf(fp, "\" data-value=\"%.17g\" data-n=\"%zu\">", r->self, r->n_self);
        cm_svg_tooltip(fp, "%d. %s: mean |" DELTA " source| %.4g over %zu self row%s", i + 1, name, r->self, r->n_self,
                       r->n_self == 1 ? "" : "s");
        fputs("</rect>\n", fp);
    }
    fputs("</g>\n", fp);
    fprintf(fp, "<g id=\"bar-labels\" font-size=\"%.1f\">\n", fs);
    for (int i = 0; i < k; i++) {
        const cm_rank_t *r = &rk[i];
        double y = tp + (i + 0.5) * rh;
        cm_svg_text(fp, left - 6, y, fs, "end", 0, "dominant-baseline=\"central\"", ef->tf[r->tf]);
        cm_svg_textf(fp, left + r->self / xhi * pw + 4, y, fs, NULL, 0, "dominant-baseline=\"central\"", "%.3g", r->self);
    }
    fputs("</g>\n", fp);
    cm_svg_end(fp);
done:
    free(rk);
    return 0;
}
