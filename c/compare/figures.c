/* figures.c — see figures.h. */
#include "compare/figures.h"
#include "core/svg.h"
#include "core/textio.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAXF 64

/* ---------------------------------------------------------------- SVG text helpers */

/* a text element (core/svg.h), upright */
#define svg_text(fp, x, y, fs, anchor, extra, s) cm_svg_text(fp, x, y, fs, anchor, 0, extra, s)

/* ---------------------------------------------------------------- a string index */

/* Names in order of first appearance with an open-addressing hash (FNV-1a), so
 * reading an all-vs-all Tomtom TSV stays linear. */
typedef struct {
    char **name;
    int n, cap;
    int *slot;     /* nslot entries: index + 1, 0 = empty */
    int nslot;
} names_t;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int names_get(names_t *h, const char *s)
{
    if (2 * (h->n + 1) > h->nslot) {   /* grow and rehash */
        int ns = h->nslot ? 2 * h->nslot : 256;
        int *sl = cm_calloc((size_t)ns, sizeof *sl);
        for (int i = 0; i < h->n; i++) {
            uint64_t k = fnv(h->name[i]) & (uint64_t)(ns - 1);
            while (sl[k]) k = (k + 1) & (uint64_t)(ns - 1);
            sl[k] = i + 1;
        }
        free(h->slot);
        h->slot = sl;
        h->nslot = ns;
    }
    uint64_t k = fnv(s) & (uint64_t)(h->nslot - 1);
    while (h->slot[k]) {
        if (strcmp(h->name[h->slot[k] - 1], s) == 0) return h->slot[k] - 1;
        k = (k + 1) & (uint64_t)(h->nslot - 1);
    }
    h->name = cm_grow(h->name, h->n, &h->cap, sizeof *h->name, 64);
    h->name[h->n] = cm_strdup(s);
    h->slot[k] = ++h->n;
    return h->n - 1;
}

static void names_free(names_t *h)
{
    for (int i = 0; i < h->n; i++) free(h->name[i]);
    free(h->name);
    free(h->slot);
    memset(h, 0, sizeof *h);
}

/* ---------------------------------------------------------------- Tomtom heatmap */

typedef struct { double e, q; } cell_t;   /* e < 0: no row */

/* Read every row into Q, T and rows (query, target, E, q). */
typedef struct { int q, t; double e, qv; } trow_t;

static int read_tomtom(const char *path, names_t *Q, names_t *T, trow_t **rows, int *nrows,
                       cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int rc, header = 0, ie = -1, iq = -1, need = 0, cap = 0;
    char *f[MAXF];
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '#' || r->len == 0) continue;
        int nf = cm_split_tabs(r->line, f, MAXF);
        if (!header) {
            if (nf >= 2) ie = cm_field_index(f, nf, "E-value"), iq = cm_field_index(f, nf, "q-value");
            if (nf < 2 || strcmp(f[0], "Query_ID") || strcmp(f[1], "Target_ID") || ie < 0 || iq < 0) {
                cm_fail(err, "%s:%ld: not a Tomtom TSV (header Query_ID Target_ID ... E-value "
                        "q-value ...)", path, r->lineno);
                goto fail;
            }
            need = (ie > iq ? ie : iq) + 1;
            header = 1;
            continue;
        }
        if (nf < need) {
            cm_fail(err, "%s:%ld: %d fields, a Tomtom row needs at least %d", path, r->lineno, nf, need);
            goto fail;
        }
        double e, q;
        const char *bad = cm_parse_double(f[ie], &e) != 0 || !(e >= 0) || !isfinite(e) ? "E-value"
                        : cm_parse_double(f[iq], &q) != 0 || !(q >= 0) || !isfinite(q) ? "q-value" : NULL;
        if (bad) {
            cm_fail(err, "%s:%ld: bad Tomtom row: %s '%s' is not a number >= 0", path, r->lineno,
                    bad, f[bad[0] == 'E' ? ie : iq]);
            goto fail;
        }
        if (!f[0][0] || !f[1][0]) {
            cm_fail(err, "%s:%ld: bad Tomtom row: empty Query_ID or Target_ID", path, r->lineno);
            goto fail;
        }
        *rows = cm_grow(*rows, *nrows, &cap, sizeof **rows, 256);
        trow_t *t = &(*rows)[(*nrows)++];
        t->q = names_get(Q, f[0]);
        t->t = names_get(T, f[1]);
        t->e = e;
        t->qv = q;
    }
    if (rc < 0) goto fail;
    if (!header) {
        cm_fail(err, "%s: empty file (expected a Tomtom TSV with a header line)", path);
        goto fail;
    }
    cm_reader_close(r);
    return 0;
fail:
    cm_reader_close(r);
    return -1;
}

typedef struct { int t, bq, first; double be; } colkey_t;

static int cmp_col(const void *a, const void *b)
{
    const colkey_t *x = a, *y = b;
    if (x->bq != y->bq) return x->bq < y->bq ? -1 : 1;
    if (x->be != y->be) return x->be < y->be ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

/* "ID" or "ID NAME" (caller frees). */
static char *label_of(const char *id, const cm_labels_t *names)
{
    int k = names ? cm_labels_find(names, id) : -1;
    if (k < 0 || !names->label[k][0] || strcmp(names->label[k], id) == 0) return cm_strdup(id);
    size_t n = strlen(id) + strlen(names->label[k]) + 2;
    char *s = cm_malloc(n);
    snprintf(s, n, "%s %s", id, names->label[k]);
    return s;
}

static void fmt_num(char *b, size_t n, double v)
{
    snprintf(b, n, "%.3g", v);
}

static double neglog10(double e)
{
    return e > 0 ? -log10(e) : INFINITY;
}

int cm_fig_tomtom(FILE *fp, const char *tomtom_tsv, double thresh, int use_evalue,
                  const cm_labels_t *names, const char *title, const char *prov,
                  cm_err_t *err)
{
    names_t Q = {0}, T = {0};
    trow_t *rows = NULL;
    int nrows = 0;
    if (read_tomtom(tomtom_tsv, &Q, &T, &rows, &nrows, err) != 0) {
        names_free(&Q), names_free(&T), free(rows);
        return -1;
    }
    const int nq = Q.n, nt = T.n;
    const char *vname = use_evalue ? "E" : "q";
    cell_t *cell = cm_malloc((size_t)(nq ? nq : 1) * (nt ? nt : 1) * sizeof *cell);
    for (long k = 0; k < (long)nq * nt; k++) cell[k].e = -1, cell[k].q = -1;
    for (int i = 0; i < nrows; i++) {
        cell_t *c = &cell[(size_t)rows[i].q * nt + rows[i].t];
        if (c->e < 0 || rows[i].e < c->e) c->e = rows[i].e, c->q = rows[i].qv;
    }
    /* columns: targets with a significant cell (else all), ordered by best query */
    unsigned char *sig_t = cm_calloc((size_t)(nt ? nt : 1), 1);
    int nsig_t = 0;
    for (int t = 0; t < nt; t++) {
        for (int q = 0; q < nq && !sig_t[t]; q++) {
            const cell_t *c = &cell[(size_t)q * nt + t];
            sig_t[t] = c->e >= 0 && (use_evalue ? c->e : c->q) <= thresh;
        }
        nsig_t += sig_t[t];
    }
    const int all_targets = nsig_t == 0;
    colkey_t *ck = cm_malloc((size_t)(nt ? nt : 1) * sizeof *ck);
    int nc = 0;
    for (int t = 0; t < nt; t++) {
        if (!all_targets && !sig_t[t]) continue;
        colkey_t k = { t, nq, t, INFINITY };
        for (int q = 0; q < nq; q++) {
            const cell_t *c = &cell[(size_t)q * nt + t];
            if (c->e >= 0 && c->e < k.be) k.be = c->e, k.bq = q;
        }
        ck[nc++] = k;
    }
    qsort(ck, (size_t)nc, sizeof *ck, cmp_col);
    const int nr = nq;
    char **rlab = cm_malloc((size_t)(nr ? nr : 1) * sizeof *rlab);
    char **clab = cm_malloc((size_t)(nc ? nc : 1) * sizeof *clab);
    for (int i = 0; i < nr; i++) rlab[i] = label_of(Q.name[i], names);
    for (int j = 0; j < nc; j++) clab[j] = label_of(T.name[ck[j].t], names);

    /* colour limit: the largest finite -log10 E drawn, in [1, 10] */
    double lim = 0;
    long nbox = 0;
    for (int i = 0; i < nr; i++)
        for (int j = 0; j < nc; j++) {
            const cell_t *c = &cell[(size_t)i * nt + ck[j].t];
            if (c->e < 0) continue;
            double v = neglog10(c->e);
            if (!isfinite(v)) v = 10;
            if (v > lim) lim = v;
            nbox += (use_evalue ? c->e : c->q) <= thresh;
        }
    const int clipped = lim > 10;
    if (lim < 1) lim = 1;
    if (lim > 10) lim = 10;

    /* layout */
    const int nmax = nr > nc ? nr : nc;
    double cs = nmax <= 20 ? 28 : nmax <= 50 ? 16 : 720.0 / nmax;
    if (cs < 8) cs = 8;
    const double lfs = cs * 0.8 < 12 ? cs * 0.8 : 12;
    const int steep = nc > 20;   /* column labels vertical, else at 45 degrees */
    double rw = 0, cw = 0;
    for (int i = 0; i < nr; i++) { double w = cm_svg_text_w(rlab[i], lfs); if (w > rw) rw = w; }
    for (int j = 0; j < nc; j++) { double w = cm_svg_text_w(clab[j], lfs); if (w > cw) cw = w; }
    const int has_title = title && *title;
    char note[512], thr[64];
    snprintf(thr, sizeof thr, "%s \xe2\x89\xa4 %g", vname, thresh);
    if (nrows == 0) snprintf(note, sizeof note, "no Tomtom rows");
    else if (all_targets)
        snprintf(note, sizeof note, "no match with %s: all %d targets shown; %d queries", thr, nc, nr);
    else
        snprintf(note, sizeof note, "%d queries \xc3\x97 the %d targets with a match %s "
                 "(%ld boxed cells); colour: \xe2\x88\x92log10 E-value", nr, nc, thr, nbox);
    const double left = 30 + rw + 8;
    const double top = (has_title ? 48 : 18) + 22;
    const double gw = cs * nc, gh = cs * nr;
    const double bottom = (steep ? cw : cw * 0.7072) + lfs + 44;
    const double bar_x = left + gw + 30, bar_w = 16, bar_h = 160;
    double W = bar_x + bar_w + 200;
    double need_w = cm_svg_text_w(note, 12) + 40;
    if (has_title && cm_svg_text_w(title, 16) + 40 > need_w) need_w = cm_svg_text_w(title, 16) + 40;
    if (W < need_w) W = need_w;
    double H = top + (gh > bar_h + 110 ? gh : bar_h + 110) + bottom + 10;

    char desc[1024];
    snprintf(desc, sizeof desc, "Heatmap of Tomtom matches of %s: rows are queries, columns "
             "targets; cell colour is -log10 of the E-value (white 0 to red %g%s); cells "
             "with %s are outlined; grey cells have no Tomtom row.", tomtom_tsv, lim,
             clipped ? " or more" : "", thr);
    cm_svg_utf8_trim(desc);
    cm_svg_begin(fp, W, H, has_title ? title : "Tomtom matches: queries \xc3\x97 targets", desc, prov);
    fputs("<defs><linearGradient id=\"seq-scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\n", fp);
    for (int s = 0; s <= 10; s++) {
        char c[8];
        fprintf(fp, "<stop offset=\"%.1f\" stop-color=\"%s\"/>\n", s / 10.0, cm_svg_colour(s / 10.0, 1, c));
    }
    fputs("</linearGradient></defs>\n", fp);
    if (has_title) svg_text(fp, 20, 28, 16, "start", "font-weight=\"bold\"", title);
    svg_text(fp, left, top - 12, 12, "start", "fill=\"#444444\"", note);
    if (nr == 0 || nc == 0) {
        fputs("</svg>\n", fp);
        goto done;
    }

    /* cells */
    fputs("<g id=\"cells\" stroke=\"#ffffff\" stroke-width=\"0.5\">\n", fp);
    for (int i = 0; i < nr; i++)
        for (int j = 0; j < nc; j++) {
            const cell_t *c = &cell[(size_t)i * nt + ck[j].t];
            double x = left + j * cs, y = top + i * cs;
            char col[8];
            if (c->e < 0) {
                fprintf(fp, "<rect class=\"none\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                            "fill=\"#eeeeee\"><title>query ", x, y, cs, cs);
                cm_svg_esc(fp, rlab[i]);
                fputs(", target ", fp);
                cm_svg_esc(fp, clab[j]);
                fputs(": no row in the Tomtom TSV (not reported)</title></rect>\n", fp);
                continue;
            }
            double v = neglog10(c->e);
            double vc = isfinite(v) ? v : lim;
            if (vc < 0) vc = 0;
            char eb[32], qb[32], vb[32];
            fmt_num(eb, sizeof eb, c->e);
            fmt_num(qb, sizeof qb, c->q);
            if (isfinite(v)) snprintf(vb, sizeof vb, "%.2f", v + 0.0);
            else snprintf(vb, sizeof vb, "inf");
            int sig = (use_evalue ? c->e : c->q) <= thresh;
            fprintf(fp, "<rect class=\"cell\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                        "fill=\"%s\"><title>query ", x, y, cs, cs, cm_svg_colour(vc, lim, col));
            cm_svg_esc(fp, rlab[i]);
            fputs(", target ", fp);
            cm_svg_esc(fp, clab[j]);
            fprintf(fp, ": E = %s, q = %s, \xe2\x88\x92log10 E = %s%s%s</title></rect>\n", eb, qb, vb,
                    sig ? "; boxed: " : "", sig ? thr : "");
        }
    fputs("</g>\n", fp);
    /* boxes around significant cells */
    double sw = cs >= 16 ? 1.5 : 1;
    fprintf(fp, "<g id=\"significant\" fill=\"none\" stroke=\"#000000\" stroke-width=\"%.1f\">\n", sw);
    for (int i = 0; i < nr; i++)
        for (int j = 0; j < nc; j++) {
            const cell_t *c = &cell[(size_t)i * nt + ck[j].t];
            if (c->e < 0 || (use_evalue ? c->e : c->q) > thresh) continue;
            fprintf(fp, "<rect class=\"sig\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>\n",
                    left + j * cs + sw / 2, top + i * cs + sw / 2, cs - sw, cs - sw);
        }
    fputs("</g>\n", fp);

    /* labels */
    fprintf(fp, "<g id=\"row-labels\" font-size=\"%.1f\" text-anchor=\"end\">\n", lfs);
    for (int i = 0; i < nr; i++) {
        fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">", left - 5,
                top + (i + 0.5) * cs);
        cm_svg_esc(fp, rlab[i]);
        fputs("</text>\n", fp);
    }
    fprintf(fp, "</g>\n<g id=\"col-labels\" font-size=\"%.1f\" text-anchor=\"end\">\n", lfs);
    for (int j = 0; j < nc; j++) {
        double x = left + (j + 0.5) * cs, y = top + gh + 5;
        fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\" "
                    "transform=\"rotate(%d %.2f %.2f)\">", x, y, steep ? -90 : -45, x, y);
        cm_svg_esc(fp, clab[j]);
        fputs("</text>\n", fp);
    }
    fputs("</g>\n", fp);
    svg_text(fp, left + gw / 2, top + gh + (steep ? cw : cw * 0.7072) + lfs + 28, 13, "middle", NULL,
             "target (Tomtom match)");
    {
        double ry = top + gh / 2, rh = cm_svg_text_w("query", 13) / 2 + 4;
        if (ry < rh) ry = rh;
        char tr[96];
        snprintf(tr, sizeof tr, "transform=\"rotate(-90 16 %.2f)\"", ry);
        svg_text(fp, 16, ry, 13, "middle", tr, "query");
    }

    /* colour bar and legend */
    fprintf(fp, "<g id=\"colour-bar\" font-size=\"11\">\n<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                "height=\"%.2f\" fill=\"url(#seq-scale)\" stroke=\"#333333\" stroke-width=\"0.5\"/>\n",
            bar_x, top, bar_w, bar_h);
    for (int s = 0; s <= 4; s++) {
        double v = lim * (1 - s / 4.0), y = top + bar_h * s / 4.0;
        char b[32];
        snprintf(b, sizeof b, "%s%.3g", s == 0 && clipped ? "\xe2\x89\xa5" : "", v + 0.0);
        fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>"
                    "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">%s</text>\n",
                bar_x + bar_w, y, bar_x + bar_w + 4, y, bar_x + bar_w + 7, y, b);
    }
    {
        double tx = bar_x + bar_w + 48, ty = top + bar_h / 2;
        char tr[96];
        snprintf(tr, sizeof tr, "transform=\"rotate(-90 %.2f %.2f)\"", tx, ty);
        svg_text(fp, tx, ty, 12, "middle", tr, "\xe2\x88\x92log10 E");
    }
    double ly = top + bar_h + 24;
    fprintf(fp, "</g>\n<g id=\"legend\" font-size=\"11\">\n"
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"14\" height=\"14\" fill=\"#ffffff\" stroke=\"#000000\" "
                "stroke-width=\"1.5\"/><text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">",
            bar_x, ly, bar_x + 20, ly + 7);
    cm_svg_esc(fp, thr);
    fprintf(fp, " (outlined)</text>\n<rect x=\"%.2f\" y=\"%.2f\" width=\"14\" height=\"14\" "
                "fill=\"#eeeeee\"/><text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">"
                "no Tomtom row</text>\n</g>\n</svg>\n", bar_x, ly + 22, bar_x + 20, ly + 29);
done:
    for (int i = 0; i < nr; i++) free(rlab[i]);
    for (int j = 0; j < nc; j++) free(clab[j]);
    free(rlab), free(clab), free(ck), free(sig_t), free(cell), free(rows);
    names_free(&Q), names_free(&T);
    return 0;
}

int cm_fig_tomtom_file(FILE *fp, const char *tomtom_tsv, double thresh, int use_evalue,
                       const char *title, const char *prov, cm_err_t *err)
{
    return cm_fig_tomtom(fp, tomtom_tsv, thresh, use_evalue, NULL, title, prov, err);
}

/* ---------------------------------------------------------------- JOS bar chart */

typedef struct { const cm_jos_t *j; int i; } jkey_t;

static int cmp_jos(const void *a, const void *b)
{
    const jkey_t *x = a, *y = b;
    int nx = isnan(x->j->jos), ny = isnan(y->j->jos);
    if (nx != ny) return nx - ny;   /* NA last */
    if (!nx && x->j->jos != y->j->jos) return x->j->jos > y->j->jos ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

int cm_fig_jos(FILE *fp, const cm_jos_t *j, int n, const char *title, const char *prov,
               cm_err_t *err)
{
    if (n < 0) return cm_fail(err, "jos figure: negative number of rows");
    jkey_t *k = cm_malloc((size_t)(n ? n : 1) * sizeof *k);
    for (int i = 0; i < n; i++) k[i].j = &j[i], k[i].i = i;
    qsort(k, (size_t)n, sizeof *k, cmp_jos);
    int nna = 0;
    for (int i = 0; i < n; i++) nna += isnan(j[i].jos);

    double bw = n <= 20 ? 36 : 720.0 / n;   /* slot width per TF */
    if (bw < 12) bw = 12;
    const double lfs = bw * 0.8 < 12 ? bw * 0.8 : 12;
    double lw = 0, maxw = 0;
    for (int i = 0; i < n; i++) { double w = cm_svg_text_w(j[i].tf, lfs); if (w > lw) lw = w; }
    const int rot = n > 0 && lw > bw - 2 ? (n > 30 ? 90 : 45) : 0;
    const double show_vals = n <= 30;
    const int has_title = title && *title;
    char note[256];
    snprintf(note, sizeof note, "%d TFs, sorted by JOS; %d with fewer than 2 patterns (NA)", n, nna);
    const double left = 70, top = (has_title ? 48 : 18) + 24, ph = 240;
    const double pw = bw * (n ? n : 1);
    const double bottom = (rot == 90 ? lw : rot == 45 ? lw * 0.7072 + lfs : lfs) + 44;
    double W = left + pw + 30;
    maxw = cm_svg_text_w(note, 12) + left + 20;
    if (has_title && cm_svg_text_w(title, 16) + 40 > maxw) maxw = cm_svg_text_w(title, 16) + 40;
    if (W < maxw) W = maxw;
    const double H = top + ph + bottom + 10;
    char desc[512];
    snprintf(desc, sizeof desc, "Bar chart of the Jaccard Overlap Score (JOS, 0 to 1) of %d TFs, "
             "sorted from highest to lowest; TFs with fewer than two patterns have no JOS and are "
             "marked NA.", n);
    cm_svg_begin(fp, W, H, has_title ? title : "Jaccard Overlap Score per TF", desc, prov);
    if (has_title) svg_text(fp, 20, 28, 16, "start", "font-weight=\"bold\"", title);
    svg_text(fp, left, top - 14, 12, "start", "fill=\"#444444\"", n ? note : "no TFs");
    const double y0 = top + ph;
    /* axis, grid and ticks */
    fputs("<g id=\"y-axis\" font-size=\"11\">\n", fp);
    for (int t = 0; t <= 5; t++) {
        double v = t / 5.0, y = y0 - v * ph;
        fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#e0e0e0\"/>"
                    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>"
                    "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" dominant-baseline=\"central\">%.1f</text>\n",
                left, y, left + pw, y, left - 4, y, left, y, left - 7, y, v);
    }
    fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>\n"
                "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>\n</g>\n",
            left, top, left, y0, left, y0, left + pw, y0);
    {
        char tr[96];
        snprintf(tr, sizeof tr, "transform=\"rotate(-90 18 %.2f)\"", top + ph / 2);
        svg_text(fp, 18, top + ph / 2, 13, "middle", tr, "JOS (Jaccard Overlap Score)");
    }
    /* bars */
    fputs("<g id=\"bars\">\n", fp);
    for (int i = 0; i < n; i++) {
        const cm_jos_t *r = k[i].j;
        double x = left + i * bw, xc = x + bw / 2;
        char jb[32];
        if (isnan(r->jos)) {
            fprintf(fp, "<g class=\"na\"><title>");
            cm_svg_esc(fp, r->tf);
            fprintf(fp, ": JOS NA, fewer than 2 patterns (n_patterns %d)</title>"
                        "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" fill=\"#777777\" "
                        "text-anchor=\"middle\">NA</text></g>\n",
                    r->npat, xc, y0 - 4, lfs < 10 ? lfs : 10);
            continue;
        }
        snprintf(jb, sizeof jb, "%.4g", r->jos);
        double v = r->jos < 0 ? 0 : r->jos > 1 ? 1 : r->jos;
        double h = v * ph;
        fprintf(fp, "<rect class=\"bar\" x=\"%.2f\" y=\"%.3f\" width=\"%.2f\" height=\"%.3f\" "
                    "fill=\"#4878a8\"><title>", x + bw * 0.1, y0 - h, bw * 0.8, h);
        cm_svg_esc(fp, r->tf);
        fprintf(fp, ": JOS %s (n_patterns %d, n_matched %d, n_pairs %ld, mean_matches %.3g)</title></rect>\n",
                jb, r->npat, r->nmatched, r->npairs, r->mean_matches);
        if (show_vals) {
            char vb[32];
            snprintf(vb, sizeof vb, "%.2f", r->jos);
            svg_text(fp, xc, y0 - h - 4, lfs < 10 ? lfs : 10, "middle", NULL, vb);
        }
    }
    fputs("</g>\n", fp);
    /* TF labels */
    fprintf(fp, "<g id=\"tf-labels\" font-size=\"%.1f\" text-anchor=\"%s\">\n", lfs, rot ? "end" : "middle");
    for (int i = 0; i < n; i++) {
        double xc = left + (i + 0.5) * bw, y = y0 + (rot ? 6 : lfs + 4);
        if (rot)
            fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\" transform=\"rotate(%d %.2f %.2f)\">",
                    xc, y, -rot, xc, y);
        else fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\">", xc, y);
        cm_svg_esc(fp, k[i].j->tf);
        fputs("</text>\n", fp);
    }
    fputs("</g>\n", fp);
    svg_text(fp, left + pw / 2, H - 16, 13, "middle", NULL, "TF");
    fputs("</svg>\n", fp);
    free(k);
    return 0;
}

int cm_fig_jos_file(FILE *fp, const char *jos_tsv, const char *title, const char *prov,
                    cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(jos_tsv, err);
    if (!r) return -1;
    cm_jos_t *J = NULL;
    int n = 0, cap = 0, rc, header = 0, ncol = 0, ret = -1;
    int itf = -1, ijos = -1, inp = -1, inm = -1, ipairs = -1, imean = -1;
    char *f[MAXF];
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '#' || r->len == 0) continue;
        int nf = cm_split_tabs(r->line, f, MAXF);
        if (!header) {
            itf = cm_field_index(f, nf, "tf"), ijos = cm_field_index(f, nf, "jos");
            inp = cm_field_index(f, nf, "n_patterns"), inm = cm_field_index(f, nf, "n_matched");
            ipairs = cm_field_index(f, nf, "n_pairs"), imean = cm_field_index(f, nf, "mean_matches");
            if (itf < 0 || ijos < 0) {
                cm_fail(err, "%s:%ld: not a JOS table (header tf n_patterns n_matched n_pairs jos "
                        "mean_matches; no column '%s')", jos_tsv, r->lineno, itf < 0 ? "tf" : "jos");
                goto out;
            }
            ncol = nf;
            header = 1;
            continue;
        }
        if (nf != ncol) {
            cm_fail(err, "%s:%ld: %d fields, the header has %d", jos_tsv, r->lineno, nf, ncol);
            goto out;
        }
        cm_jos_t x = {0};
        double d;
        long l;
        if (!strcmp(f[ijos], "NA")) x.jos = NAN;
        else if (cm_parse_double(f[ijos], &d) != 0 || !(d >= 0 && d <= 1)) {
            cm_fail(err, "%s:%ld: jos '%s' is neither NA nor a number in 0..1", jos_tsv, r->lineno, f[ijos]);
            goto out;
        } else x.jos = d;
        const int ic[3] = { inp, inm, ipairs };
        for (int c = 0; c < 3; c++) {
            if (ic[c] < 0) continue;
            if (cm_parse_long(f[ic[c]], &l) != 0 || l < 0 || l > 2000000000L) {
                cm_fail(err, "%s:%ld: %s '%s' is not a count", jos_tsv, r->lineno,
                        c == 0 ? "n_patterns" : c == 1 ? "n_matched" : "n_pairs", f[ic[c]]);
                goto out;
            }
            if (c == 0) x.npat = (int)l;
            else if (c == 1) x.nmatched = (int)l;
            else x.npairs = l;
        }
        if (imean >= 0 && (cm_parse_double(f[imean], &d) != 0 || !(d >= 0) || !isfinite(d))) {
            cm_fail(err, "%s:%ld: mean_matches '%s' is not a number >= 0", jos_tsv, r->lineno, f[imean]);
            goto out;
        }
        if (imean >= 0) x.mean_matches = d;
        x.tf = cm_strdup(f[itf]);
        J = cm_grow(J, n, &cap, sizeof *J, 64);
        J[n++] = x;
    }
    if (rc < 0) goto out;
    if (!header) {
        cm_fail(err, "%s: empty file (expected a JOS table with a header line)", jos_tsv);
        goto out;
    }
    ret = cm_fig_jos(fp, J, n, title, prov, err);
out:
    cm_reader_close(r);
    cm_jos_free(J, n);
    return ret;
}
