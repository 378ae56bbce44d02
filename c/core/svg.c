/* svg.c — see svg.h. */
#include "core/svg.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

/* Diverging palette end points (ColorBrewer RdBu): blue, white, red. */
static const double NEG[3] = { 33, 102, 172 }, MID[3] = { 255, 255, 255 }, POS[3] = { 178, 24, 43 };

char *cm_svg_colour(double v, double lim, char *buf)
{
    if (!(lim > 0) || !isfinite(v)) v = 0, lim = 1;
    double f = v / lim;
    if (f > 1) f = 1;
    if (f < -1) f = -1;
    const double *end = f < 0 ? NEG : POS;
    double a = fabs(f);
    int c[3];
    for (int k = 0; k < 3; k++) c[k] = (int)lround(MID[k] + (end[k] - MID[k]) * a);
    snprintf(buf, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
    return buf;
}

void cm_svg_esc(FILE *fp, const char *s)
{
    if (!s) return;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        switch (ch) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&apos;", fp); break;
        default:
            if ((ch < 0x20 && ch != '\t') || ch == 0x7f) fputc('?', fp);
            else fputc(ch, fp);
        }
    }
}

void cm_svg_comment(FILE *fp, const char *s)
{
    fputs("<!-- ", fp);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (*s == '-' && (s[1] == '-' || s[1] == 0)) fputs("- ", fp);
        else if ((ch < 0x20 && ch != '\t') || ch == 0x7f) fputc('?', fp);
        else fputc(ch, fp);
    }
    fputs(" -->\n", fp);
}

char *cm_svg_utf8_trim(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) i--;
    if (i == 0 || (unsigned char)s[i - 1] < 0xC0) return s;   /* ASCII end or no lead byte */
    unsigned char c = (unsigned char)s[i - 1];
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (n - (i - 1) < need) s[i - 1] = 0;
    return s;
}

double cm_svg_text_w(const char *s, double fs)
{
    double n = 0;
    for (; s && *s; s++) if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n * fs * 0.62;
}

char *cm_svg_num(char *b, size_t n, double v)
{
    snprintf(b, n, fabs(v) >= 100 ? "%.0f" : "%.1f", v);
    if (strcmp(b, "-0.0") == 0 || strcmp(b, "-0") == 0) memmove(b, b + 1, strlen(b));
    return b;
}

void cm_svg_begin(FILE *fp, double w, double h, const char *title, const char *desc, const char *prov)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", fp);
    if (prov) cm_svg_comment(fp, prov);
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "viewBox=\"0 0 %.0f %.0f\" role=\"img\" font-family=\"Helvetica, Arial, sans-serif\">\n",
            ceil(w), ceil(h), ceil(w), ceil(h));
    fputs("<title>", fp);
    cm_svg_esc(fp, title && *title ? title : "figure");
    fputs("</title>\n", fp);
    if (desc) {
        fputs("<desc>", fp);
        cm_svg_esc(fp, desc);
        fputs("</desc>\n", fp);
    }
    fputs("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", fp);
}

void cm_svg_end(FILE *fp) { fputs("</svg>\n", fp); }

void cm_svg_defs(FILE *fp)
{
    fputs("<defs>\n"
          "<pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
          "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#e6e6e6\"/>"
          "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b0b0b0\" stroke-width=\"1.5\"/></pattern>\n"
          "<linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\n", fp);
    for (int s = 0; s <= 10; s++) {
        char c[8];
        fprintf(fp, "<stop offset=\"%.1f\" stop-color=\"%s\"/>\n", s / 10.0, cm_svg_colour((s - 5) / 5.0, 1, c));
    }
    fputs("</linearGradient>\n</defs>\n", fp);
}

void cm_svg_text(FILE *fp, double x, double y, double fs, const char *anchor, double rot,
                 const char *attr, const char *s)
{
    fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\"", x, y, fs);
    if (anchor && strcmp(anchor, "start")) fprintf(fp, " text-anchor=\"%s\"", anchor);
    if (rot != 0) fprintf(fp, " transform=\"rotate(%.4g %.2f %.2f)\"", rot, x, y);
    if (attr) fprintf(fp, " %s", attr);
    fputc('>', fp);
    cm_svg_esc(fp, s);
    fputs("</text>\n", fp);
}

void cm_svg_textf(FILE *fp, double x, double y, double fs, const char *anchor, double rot,
                  const char *attr, const char *fmt, ...)
{
    char b[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    cm_svg_text(fp, x, y, fs, anchor, rot, attr, b);
}

void cm_svg_tooltip(FILE *fp, const char *fmt, ...)
{
    char b[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    fputs("<title>", fp);
    cm_svg_esc(fp, b);
    fputs("</title>", fp);
}

int cm_svg_ticks(double lo, double hi, int want, double *t, int max, double *step)
{
    if (max < 1) return 0;
    if (!(hi > lo) || !isfinite(lo) || !isfinite(hi)) {
        if (step) *step = 1;
        t[0] = isfinite(lo) ? lo : 0;
        return 1;
    }
    if (want < 1) want = 1;
    double raw = (hi - lo) / want, mag = pow(10, floor(log10(raw))), r = raw / mag;
    double st = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
    int n = 0;
    for (double k = ceil(lo / st - 1e-9); n < max; k++) {
        double v = k * st;
        if (v > hi + st * 1e-9) break;
        if (fabs(v) < st * 1e-9) v = 0;
        t[n++] = v;
    }
    if (step) *step = st;
    return n;
}

/* Tick label with as many decimals as the step needs. */
static void tick_label(char *b, size_t n, double v, double step)
{
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (dec > 12) dec = 12;
    snprintf(b, n, "%.*f", dec, v);
    if (b[0] == '-' && strspn(b + 1, "0.") == strlen(b + 1)) memmove(b, b + 1, strlen(b));
}

double cm_svg_axis_pos(const cm_svg_axis_t *a, double v)
{
    double f = a->hi > a->lo ? (v - a->lo) / (a->hi - a->lo) : 0.5;
    return a->vertical ? a->y - f * a->len : a->x + f * a->len;
}

static double axis_fs(const cm_svg_axis_t *a) { return a->fs > 0 ? a->fs : 11; }

static int axis_ticks(const cm_svg_axis_t *a, double *t, double *st)
{
    if (!(a->step > 0) || !(a->hi > a->lo)) return cm_svg_ticks(a->lo, a->hi, 6, t, 64, st);
    int n = 0;
    for (double k = ceil(a->lo / a->step - 1e-9); n < 64 && k * a->step <= a->hi + a->step * 1e-9; k++)
        t[n++] = k * a->step;
    *st = a->step;
    return n;
}

/* Widest tick label of a vertical axis. */
static double axis_label_w(const cm_svg_axis_t *a)
{
    double t[64], st, w = 0;
    int n = axis_ticks(a, t, &st);
    for (int i = 0; i < n; i++) {
        char b[64];
        tick_label(b, sizeof b, t[i], st);
        double x = cm_svg_text_w(b, axis_fs(a));
        if (x > w) w = x;
    }
    return w;
}

double cm_svg_axis_room(const cm_svg_axis_t *a)
{
    double fs = axis_fs(a), tt = a->title ? fs + 1 + 8 : 0;
    return a->vertical ? 8 + axis_label_w(a) + tt + 4 : 5 + fs * 1.3 + tt + 4;
}

void cm_svg_axis(FILE *fp, const cm_svg_axis_t *a)
{
    double fs = axis_fs(a), t[64], st;
    int n = axis_ticks(a, t, &st);
    fprintf(fp, "<g class=\"axis\" font-size=\"%.1f\" stroke-width=\"1\">\n", fs);
    if (a->grid > 0)
        for (int i = 0; i < n; i++) {
            double p = cm_svg_axis_pos(a, t[i]);
            if (a->vertical)
                fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#e5e5e5\"/>\n",
                        a->x, p, a->x + a->grid, p);
            else
                fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#e5e5e5\"/>\n",
                        p, a->y, p, a->y - a->grid);
        }
    if (a->vertical)
        fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>\n",
                a->x, a->y, a->x, a->y - a->len);
    else
        fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>\n",
                a->x, a->y, a->x + a->len, a->y);
    for (int i = 0; i < n; i++) {
        double p = cm_svg_axis_pos(a, t[i]);
        char b[64];
        tick_label(b, sizeof b, t[i], st);
        if (a->vertical) {
            fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>",
                    a->x - 5, p, a->x, p);
            cm_svg_text(fp, a->x - 8, p, fs, "end", 0, "dominant-baseline=\"central\"", b);
        } else {
            fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>",
                    p, a->y, p, a->y + 5);
            cm_svg_text(fp, p, a->y + 5 + fs, fs, "middle", 0, NULL, b);
        }
    }
    if (a->title) {
        if (a->vertical) {
            double x = a->x - 8 - axis_label_w(a) - 8 - (fs + 1) / 2;
            cm_svg_text(fp, x, a->y - a->len / 2, fs + 1, "middle", -90, "dominant-baseline=\"central\"", a->title);
        } else {
            cm_svg_text(fp, a->x + a->len / 2, a->y + 5 + fs * 1.3 + fs + 6, fs + 1, "middle", 0, NULL, a->title);
        }
    }
    fputs("</g>\n", fp);
}

/* Colour-bar tick labels: widest of the five. */
static double bar_label_w(double lim)
{
    double w = 0;
    for (int s = 0; s <= 4; s++) {
        char b[32];
        double x = cm_svg_text_w(cm_svg_num(b, sizeof b, lim * (1 - s / 2.0)), 11);
        if (x > w) w = x;
    }
    return w;
}

double cm_svg_colour_bar_w(double lim, const char *title)
{
    return 16 + 7 + bar_label_w(lim) + (title ? 8 + 12 : 0) + 4;
}

double cm_svg_colour_bar(FILE *fp, double x, double y, double h, double lim, const char *title)
{
    fprintf(fp, "<g id=\"colour-bar\" font-size=\"11\">\n"
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"16\" height=\"%.2f\" fill=\"url(#scale)\" "
                "stroke=\"#333333\" stroke-width=\"0.5\">", x, y, h);
    cm_svg_tooltip(fp, "colour scale: %s from %g (blue) to %g (red)", title ? title : "value", -lim, lim);
    fputs("</rect>\n", fp);
    for (int s = 0; s <= 4; s++) {
        double v = lim * (1 - s / 2.0), ty = y + h * s / 4.0;
        char b[32];
        cm_svg_num(b, sizeof b, v);
        fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>"
                    "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">%s</text>\n",
                x + 16, ty, x + 20, ty, x + 23, ty, b);
    }
    if (title) {
        double tx = x + 23 + bar_label_w(lim) + 8 + 6;
        cm_svg_text(fp, tx, y + h / 2, 12, "middle", -90, "dominant-baseline=\"central\"", title);
    }
    fputs("</g>\n", fp);
    return cm_svg_colour_bar_w(lim, title);
}

double cm_svg_legend_w(const cm_svg_key_t *k, int n, double fs)
{
    if (fs <= 0) fs = 11;
    double w = 0;
    for (int i = 0; i < n; i++) {
        double x = cm_svg_text_w(k[i].label, fs) + (k[i].kind == CM_SVG_KEY_NONE ? 0 : k[i].kind == CM_SVG_KEY_LINE ? 28 : 20);
        if (x > w) w = x;
    }
    return w + 4;
}

double cm_svg_legend(FILE *fp, double x, double y, double fs, const cm_svg_key_t *k, int n)
{
    if (fs <= 0) fs = 11;
    double step = fs * 1.8, sw = fs * 14 / 11;
    fprintf(fp, "<g id=\"legend\" font-size=\"%.1f\">\n", fs);
    for (int i = 0; i < n; i++, y += step) {
        double tx = x + sw + 6, cy = y + sw / 2;
        switch (k[i].kind) {
        case CM_SVG_KEY_FILL:
            fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                    x, y, sw, sw, k[i].colour ? k[i].colour : "#888888");
            break;
        case CM_SVG_KEY_HATCH:
            fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.1f\" height=\"%.1f\" fill=\"url(#hatch)\"/>", x, y, sw, sw);
            break;
        case CM_SVG_KEY_BLANK:
            fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#dddddd\"/>"
                        "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" fill=\"#999999\" text-anchor=\"middle\" "
                        "dominant-baseline=\"central\">\xc2\xb7</text>",
                    x, y, sw, sw, x + sw / 2, cy, sw * 0.65);
            break;
        case CM_SVG_KEY_OUTLINE:
            fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#333333\" "
                        "stroke-width=\"1.2\"/>", x, y, sw, sw);
            break;
        case CM_SVG_KEY_LINE:
            fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"2\"/>"
                        "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"3\" fill=\"%s\"/>",
                    x, cy, x + 22, cy, k[i].colour, x + 11, cy, k[i].colour);
            tx = x + 28;
            break;
        default:
            tx = x;
        }
        cm_svg_text(fp, tx, cy, fs, NULL, 0, "dominant-baseline=\"central\"", k[i].label);
    }
    fputs("</g>\n", fp);
    return n * step;
}

const char *cm_svg_qual(int k)
{
    static const char *const pal[6] = { "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9" };
    if (k < 0) k = -k;
    return pal[k % 6];
}

void cm_svg_grid_layout(int nmax, double *cs, double *fs)
{
    double c = nmax <= 20 ? 36 : nmax <= 40 ? 20 : 720.0 / nmax;
    if (c < 10) c = 10;
    *cs = c;
    *fs = c * 0.85 < 12 ? c * 0.85 : 12;
}

double cm_svg_col_rot(double cs, double fs) { return cs * 0.70710678 >= 1.15 * fs ? 45 : 90; }

double cm_svg_label_w(const char *const *names, const int *idx, int k, double fs)
{
    double w = 0;
    for (int i = 0; i < k; i++) {
        double x = cm_svg_text_w(names[idx[i]], fs);
        if (x > w) w = x;
    }
    return w;
}

double cm_svg_col_label_h(double w, double rot, double fs)
{
    return rot == 90 ? w + 8 : w * 0.70710678 + fs * 0.7 + 8;
}

void cm_svg_grid(FILE *fp, const cm_svg_grid_t *g)
{
    const char *id = g->id ? g->id : "";
    int n = g->n;
    double cs = g->cs, x0 = g->x, y0 = g->y, gw = cs * g->nc, gh = cs * g->nr;
    double vfs = cs * 0.3 > 11 ? 11 : cs * 0.3;
    fprintf(fp, "<g id=\"%scells\" stroke=\"#ffffff\" stroke-width=\"0.5\">\n", id);
    for (int i = 0; i < g->nr; i++)
        for (int j = 0; j < g->nc; j++) {
            long k = (long)g->rows[i] * n + g->cols[j];
            double x = x0 + j * cs, y = y0 + i * cs, s = g->score[k];
            int st = g->state[k];
            if (st == CM_SVG_SHOWN && !isfinite(s)) st = CM_SVG_UNTESTED;
            char c[8], v[32] = "", tip[40];
            if (st == CM_SVG_SHOWN) {
                cm_svg_num(v, sizeof v, s);
                snprintf(tip, sizeof tip, "score %.2f", s);
                if (!strcmp(tip, "score -0.00")) strcpy(tip, "score 0.00");
                fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\">",
                        x, y, cs, cs, cm_svg_colour(s, g->lim, c));
            } else if (st == CM_SVG_MASKED) {
                strcpy(tip, "masked");
                fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"url(#hatch)\">",
                        x, y, cs, cs);
            } else {
                strcpy(tip, "not tested");
                fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" "
                            "stroke=\"#dddddd\">", x, y, cs, cs);
            }
            fputs("<title>source ", fp); cm_svg_esc(fp, g->names[g->rows[i]]);
            fputs(", target ", fp); cm_svg_esc(fp, g->names[g->cols[j]]);
            fprintf(fp, ": %s</title></rect>\n", tip);
            if (st == CM_SVG_UNTESTED)
                fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" fill=\"#999999\" stroke=\"none\" "
                            "text-anchor=\"middle\" dominant-baseline=\"central\">\xc2\xb7</text>\n",
                        x + cs / 2, y + cs / 2, cs * 0.5);
            else if (st == CM_SVG_SHOWN && g->values)
                fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" fill=\"%s\" stroke=\"none\" "
                            "text-anchor=\"middle\" dominant-baseline=\"central\">%s</text>\n",
                        x + cs / 2, y + cs / 2, vfs, fabs(s) / g->lim > 0.6 ? "#ffffff" : "#000000", v);
        }
    fprintf(fp, "</g>\n<g id=\"%sdiagonal\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1.2\">\n", id);
    for (int i = 0; i < g->nr; i++)
        for (int j = 0; j < g->nc; j++)
            if (g->rows[i] == g->cols[j])
                fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>\n",
                        x0 + j * cs + 0.6, y0 + i * cs + 0.6, cs - 1.2, cs - 1.2);
    fputs("</g>\n", fp);

    fprintf(fp, "<g id=\"%srow-labels\" font-size=\"%.1f\" text-anchor=\"%s\">\n", id, g->fs,
            g->labels_right ? "start" : "end");
    for (int i = 0; i < g->nr; i++) {
        fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">",
                g->labels_right ? x0 + gw + 6 : x0 - 6, y0 + (i + 0.5) * cs);
        cm_svg_esc(fp, g->names[g->rows[i]]);
        fputs("</text>\n", fp);
    }
    double rot = cm_svg_col_rot(cs, g->fs);
    fprintf(fp, "</g>\n<g id=\"%scol-labels\" font-size=\"%.1f\" text-anchor=\"end\">\n", id, g->fs);
    for (int j = 0; j < g->nc; j++) {
        double x = x0 + (j + 0.5) * cs, y = y0 + gh + 6;
        fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\" "
                    "transform=\"rotate(%.0f %.2f %.2f)\">", x, y, -rot, x, y);
        cm_svg_esc(fp, g->names[g->cols[j]]);
        fputs("</text>\n", fp);
    }
    fputs("</g>\n", fp);
}

int cm_svg_map_keys(cm_svg_key_t *keys, char *lab, size_t n, double alpha)
{
    snprintf(lab, n, "masked (q > %g)", alpha);
    keys[0] = (cm_svg_key_t){ CM_SVG_KEY_FILL, "#b2182b", "> 0: knockout raises the prediction" };
    keys[1] = (cm_svg_key_t){ CM_SVG_KEY_FILL, "#2166ac", "< 0: knockout lowers the prediction" };
    keys[2] = (cm_svg_key_t){ CM_SVG_KEY_HATCH, NULL, lab };
    keys[3] = (cm_svg_key_t){ CM_SVG_KEY_BLANK, NULL, "not tested (no data)" };
    keys[4] = (cm_svg_key_t){ CM_SVG_KEY_OUTLINE, NULL, "diagonal: self-effect" };
    return 5;
}

int cm_svg_heatmap(FILE *fp, const char *const *names, int n, const int *rows, int nr,
                   const int *cols, int nc, const double *score, const unsigned char *state,
                   const cm_svg_opts_t *opt, cm_err_t *err)
{
    if (n < 0 || nr < 0 || nc < 0) return cm_fail(err, "svg: negative matrix size");
    for (int i = 0; i < nr; i++) if (rows[i] < 0 || rows[i] >= n) return cm_fail(err, "svg: row index out of range");
    for (int j = 0; j < nc; j++) if (cols[j] < 0 || cols[j] >= n) return cm_fail(err, "svg: column index out of range");
    int nmax = nr > nc ? nr : nc;
    cm_svg_opts_t o = { 0 };
    if (opt) o = *opt;
    const char *row_t = o.row_title ? o.row_title : "source TF (prediction read)";
    const char *col_t = o.col_title ? o.col_title : "target TF (motif knocked out)";
    const char *sc_t = o.scale_title ? o.scale_title : "signed \xe2\x88\x92log10 p";
    double alpha = o.alpha > 0 ? o.alpha : 0.05;
    int values = o.show_values < 0 ? nmax <= 20 : o.show_values;
    int has_title = o.title && *o.title;

    double lim = 0;
    int nmask = 0;
    for (int i = 0; i < nr; i++)
        for (int j = 0; j < nc; j++) {
            long k = (long)rows[i] * n + cols[j];
            if (state[k] == CM_SVG_SHOWN && isfinite(score[k]) && fabs(score[k]) > lim) lim = fabs(score[k]);
            nmask += state[k] == CM_SVG_MASKED;
        }
    if (!(lim > 0)) lim = 1;

    double cs, fs;
    cm_svg_grid_layout(nmax, &cs, &fs);
    double rot = cm_svg_col_rot(cs, fs);
    double lab = cm_svg_label_w(names, rows, nr, fs), clab = cm_svg_label_w(names, cols, nc, fs);
    double clh = cm_svg_col_label_h(clab, rot, fs);
    double left = 30 + lab + 10;                 /* axis title + row labels */
    if (rot == 45 && clab * 0.7072 - cs / 2 + 8 > left) left = clab * 0.7072 - cs / 2 + 8;
    double top = has_title ? 50 : 20;
    double gw = cs * nc, gh = cs * nr;
    double bottom = clh + 13 + 24;               /* column labels + axis title */
    double bar_x = left + gw + 30, bar_h = gh * 0.6;
    if (bar_h < 120) bar_h = 120;
    if (bar_h > 320) bar_h = 320;
    char mlab[64];
    cm_svg_key_t keys[5];
    int nk = cm_svg_map_keys(keys, mlab, sizeof mlab, alpha);
    double bw = cm_svg_colour_bar_w(lim, sc_t), lw = cm_svg_legend_w(keys, nk, 11);
    double W = bar_x + (bw > lw ? bw : lw) + 10;
    double tw = has_title ? cm_svg_text_w(o.title, 16) + 40 : 0;
    if (W < tw) W = tw;
    double ly = top + bar_h + 20, lh = nk * 11 * 1.8;
    double H = top + gh + bottom + 10;
    if (H < ly + lh + 10) H = ly + lh + 10;
    if (nr == 0 || nc == 0) H = top + 60, W = W < 300 ? 300 : W;

    char title[1024], desc[512];
    snprintf(title, sizeof title, "%s", has_title ? o.title : "Cooperativity map: source TF \xc3\x97 target TF");
    snprintf(desc, sizeof desc, "Heatmap of %d source TFs (rows) by %d target TFs (columns); colour: %s, "
             "blue negative, red positive, limit %g; %d cells masked (q > %g).", nr, nc, sc_t, lim, nmask, alpha);
    cm_svg_begin(fp, W, H, title, desc, o.prov);
    if (has_title) cm_svg_text(fp, W / 2, 28, 16, "middle", 0, "font-weight=\"bold\"", o.title);
    if (nr == 0 || nc == 0) {
        cm_svg_text(fp, left, top + 20, 14, NULL, 0, NULL, "no data");
        cm_svg_end(fp);
        return 0;
    }
    cm_svg_defs(fp);
    cm_svg_grid_t g = { .names = names, .n = n, .rows = rows, .cols = cols, .nr = nr, .nc = nc,
                        .score = score, .state = state, .x = left, .y = top, .cs = cs, .fs = fs,
                        .lim = lim, .values = values };
    cm_svg_grid(fp, &g);
    cm_svg_text(fp, left + gw / 2, top + gh + clh + 18, 13, "middle", 0, NULL, col_t);
    /* the rotated row title is centred on the grid, but never so high that it leaves
     * the picture (a map with few rows is shorter than the title) */
    double ry = top + gh / 2, rh = cm_svg_text_w(row_t, 13) / 2 + 4;
    if (ry < rh) ry = rh;
    cm_svg_text(fp, 16, ry, 13, "middle", -90, NULL, row_t);
    cm_svg_colour_bar(fp, bar_x, top, bar_h, lim, sc_t);
    cm_svg_legend(fp, bar_x, ly, 11, keys, nk);
    cm_svg_end(fp);
    return 0;
}
