/* svg.c — see svg.h. */
#include "core/svg.h"

#include <math.h>
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

/* XML-escaped text. */
static void xesc(FILE *fp, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        switch (ch) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&apos;", fp); break;
        default:
            if (ch < 0x20 && ch != '\t') fputc('?', fp);
            else fputc(ch, fp);
        }
    }
}

/* Comment text: "--" is not allowed inside XML comments. */
static void xcomment(FILE *fp, const char *s)
{
    fputs("<!-- ", fp);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (*s == '-' && (s[1] == '-' || s[1] == 0)) fputs("- ", fp);
        else if (ch < 0x20 && ch != '\t') fputc('?', fp);
        else fputc(ch, fp);
    }
    fputs(" -->\n", fp);
}

/* Approximate rendered width in px of s at font size fs (UTF-8 aware). */
static double text_w(const char *s, double fs)
{
    double n = 0;
    for (; *s; s++) if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n * fs * 0.62;
}

static void fmt_val(char *b, size_t n, double v)
{
    snprintf(b, n, fabs(v) >= 100 ? "%.0f" : "%.1f", v);
    if (strcmp(b, "-0.0") == 0 || strcmp(b, "-0") == 0) memmove(b, b + 1, strlen(b));
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

    const double fs = 12;                                   /* label font size */
    double cs = nmax <= 20 ? 36 : nmax <= 40 ? 20 : 720.0 / nmax;   /* cell size */
    if (cs < 6) cs = 6;
    double lab = 0, clab = 0;   /* widest row label, widest column label */
    for (int i = 0; i < nr; i++) { double w = text_w(names[rows[i]], fs); if (w > lab) lab = w; }
    for (int j = 0; j < nc; j++) { double w = text_w(names[cols[j]], fs); if (w > clab) clab = w; }
    int has_title = o.title && *o.title;
    double left = 30 + lab + 10;                 /* axis title + row labels */
    double top = has_title ? 50 : 20;
    double gw = cs * nc, gh = cs * nr;          /* grid width and height */
    double bottom = clab * 0.7072 + fs + 45;     /* 45-degree column labels + axis title */
    double bar_x = left + gw + 30, bar_w = 16, bar_h = gh > 160 ? gh : 160;
    double legend_w = 190;
    double W = bar_x + bar_w + legend_w;
    double tw = has_title ? text_w(o.title, 16) + 40 : 0;
    if (W < tw) W = tw;
    double H = top + (bar_h > gh ? bar_h : gh) + bottom + 10;

    double lim = 0;
    for (int i = 0; i < nr; i++)
        for (int j = 0; j < nc; j++) {
            long k = (long)rows[i] * n + cols[j];
            if (state[k] == CM_SVG_SHOWN && isfinite(score[k]) && fabs(score[k]) > lim) lim = fabs(score[k]);
        }
    if (!(lim > 0)) lim = 1;

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", fp);
    if (o.prov) xcomment(fp, o.prov);
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "viewBox=\"0 0 %.0f %.0f\" font-family=\"Helvetica, Arial, sans-serif\">\n",
            ceil(W), ceil(H), ceil(W), ceil(H));
    fputs("<defs>\n"
          "<pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
          "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#e6e6e6\"/>"
          "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b0b0b0\" stroke-width=\"1.5\"/></pattern>\n"
          "<linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\n", fp);
    for (int s = 0; s <= 10; s++) {
        char c[8];
        fprintf(fp, "<stop offset=\"%.1f\" stop-color=\"%s\"/>\n", s / 10.0, cm_svg_colour((s - 5) / 5.0, 1, c));
    }
    fputs("</linearGradient>\n</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", fp);
    if (has_title) {
        fprintf(fp, "<text x=\"%.1f\" y=\"28\" font-size=\"16\" font-weight=\"bold\" text-anchor=\"middle\">",
                W / 2);
        xesc(fp, o.title);
        fputs("</text>\n", fp);
    }
    if (nr == 0 || nc == 0) {
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\">no data</text>\n</svg>\n", left, top + 20);
        return 0;
    }

    /* cells */
    fputs("<g id=\"cells\" stroke=\"#ffffff\" stroke-width=\"0.5\">\n", fp);
    for (int i = 0; i < nr; i++)
        for (int j = 0; j < nc; j++) {
            long k = (long)rows[i] * n + cols[j];
            double x = left + j * cs, y = top + i * cs;
            int st = state[k];
            if (st == CM_SVG_SHOWN && !isfinite(score[k])) st = CM_SVG_UNTESTED;
            char c[8], v[32] = "";
            if (st == CM_SVG_SHOWN) {
                fmt_val(v, sizeof v, score[k]);
                fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\">",
                        x, y, cs, cs, cm_svg_colour(score[k], lim, c));
            } else if (st == CM_SVG_MASKED) {
                fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"url(#hatch)\">",
                        x, y, cs, cs);
            } else {
                fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" "
                            "stroke=\"#dddddd\">", x, y, cs, cs);
            }
            fputs("<title>source ", fp); xesc(fp, names[rows[i]]);
            fputs(", target ", fp); xesc(fp, names[cols[j]]);
            fprintf(fp, ": %s</title></rect>\n",
                    st == CM_SVG_SHOWN ? v : st == CM_SVG_MASKED ? "masked" : "not tested");
            if (st == CM_SVG_UNTESTED)
                fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" fill=\"#999999\" stroke=\"none\" "
                            "text-anchor=\"middle\" dominant-baseline=\"central\">\xc2\xb7</text>\n",
                        x + cs / 2, y + cs / 2, cs * 0.5);
            else if (st == CM_SVG_SHOWN && values)
                fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" fill=\"%s\" stroke=\"none\" "
                            "text-anchor=\"middle\" dominant-baseline=\"central\">%s</text>\n",
                        x + cs / 2, y + cs / 2, cs * 0.3 > 11 ? 11 : cs * 0.3,
                        fabs(score[k]) / lim > 0.6 ? "#ffffff" : "#000000", v);
        }
    fputs("</g>\n<g id=\"diagonal\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1.2\">\n", fp);
    for (int i = 0; i < nr; i++)
        for (int j = 0; j < nc; j++)
            if (rows[i] == cols[j])
                fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>\n",
                        left + j * cs + 0.6, top + i * cs + 0.6, cs - 1.2, cs - 1.2);
    fputs("</g>\n", fp);

    /* labels */
    double lfs = cs < fs + 2 ? cs * 0.8 : fs;
    fprintf(fp, "<g id=\"row-labels\" font-size=\"%.1f\" text-anchor=\"end\">\n", lfs);
    for (int i = 0; i < nr; i++) {
        fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">", left - 6, top + (i + 0.5) * cs);
        xesc(fp, names[rows[i]]);
        fputs("</text>\n", fp);
    }
    fprintf(fp, "</g>\n<g id=\"col-labels\" font-size=\"%.1f\" text-anchor=\"end\">\n", lfs);
    for (int j = 0; j < nc; j++) {
        double x = left + (j + 0.5) * cs, y = top + gh + 6;
        fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\" "
                    "transform=\"rotate(-45 %.2f %.2f)\">", x, y, x, y);
        xesc(fp, names[cols[j]]);
        fputs("</text>\n", fp);
    }
    fputs("</g>\n", fp);
    fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"13\" text-anchor=\"middle\">",
            left + gw / 2, top + gh + clab * 0.7072 + fs + 30);
    xesc(fp, col_t);
    /* the rotated row title is centred on the grid, but never so high that it leaves
     * the picture (a map with few rows is shorter than the title) */
    double ry = top + gh / 2, rh = text_w(row_t, 13) / 2 + 4;
    if (ry < rh) ry = rh;
    fprintf(fp, "</text>\n<text x=\"16\" y=\"%.2f\" font-size=\"13\" text-anchor=\"middle\" "
                "transform=\"rotate(-90 16 %.2f)\">", ry, ry);
    xesc(fp, row_t);
    fputs("</text>\n", fp);

    /* colour bar */
    double by = top;
    fprintf(fp, "<g id=\"colour-bar\" font-size=\"11\">\n"
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"url(#scale)\" "
                "stroke=\"#333333\" stroke-width=\"0.5\"/>\n", bar_x, by, bar_w, bar_h * 0.6);
    for (int s = 0; s <= 4; s++) {
        double v = lim * (1 - s / 2.0), y = by + bar_h * 0.6 * s / 4.0;
        char b[32];
        fmt_val(b, sizeof b, v);
        fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#333333\"/>"
                    "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">%s</text>\n",
                bar_x + bar_w, y, bar_x + bar_w + 4, y, bar_x + bar_w + 7, y, b);
    }
    double tx = bar_x + bar_w + 7 + 6 * 11 * 0.62 + 8;   /* right of the tick labels */
    fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"12\" text-anchor=\"middle\" "
                "transform=\"rotate(-90 %.2f %.2f)\">",
            tx, by + bar_h * 0.3, tx, by + bar_h * 0.3);
    xesc(fp, sc_t);
    fputs("</text>\n</g>\n", fp);

    /* legend */
    double ly = by + bar_h * 0.6 + 20;
    fprintf(fp, "<g id=\"legend\" font-size=\"11\">\n"
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"14\" height=\"14\" fill=\"url(#hatch)\"/>"
                "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">masked (q &gt; %g)</text>\n",
            bar_x, ly, bar_x + 20, ly + 7, alpha);
    ly += 20;
    fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"14\" height=\"14\" fill=\"none\" stroke=\"#dddddd\"/>"
                "<text x=\"%.2f\" y=\"%.2f\" font-size=\"9\" fill=\"#999999\" text-anchor=\"middle\" "
                "dominant-baseline=\"central\">\xc2\xb7</text>"
                "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">not tested (no data)</text>\n",
            bar_x, ly, bar_x + 7, ly + 7, bar_x + 20, ly + 7);
    ly += 20;
    fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"14\" height=\"14\" fill=\"none\" stroke=\"#333333\" "
                "stroke-width=\"1.2\"/>"
                "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">diagonal: self-effect</text>\n"
                "</g>\n</svg>\n", bar_x, ly, bar_x + 20, ly + 7);
    return 0;
}
