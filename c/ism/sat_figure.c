/* sat_figure.c — see sat_figure.h. */
#include "ism/sat_figure.h"
#include "core/svg.h"
#include "core/textio.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- SVG text helpers */

/* a text element (core/svg.h), upright */
#define svg_text(fp, x, y, fs, anchor, extra, s) cm_svg_text(fp, x, y, fs, anchor, 0, extra, s)

/* ---------------------------------------------------------------- reading the table */

typedef struct {
    int64_t pos;
    int head;
    char ref, alt;   /* 0..3 = A C G T, 4 = N (ref only) */
    double d;
    long block, line;
} srow_t;

typedef struct {
    char *chrom;              /* the run's or the region's chrom */
    int64_t s, e;             /* extent of the rows kept (run mode) */
    char **head;
    int H, hcap;
    srow_t *r;
    int n, cap;
    char units[32];
} sat_t;

static int code_of(const char *s, int allow_n)
{
    if (!s[0] || s[1]) return -1;
    switch (s[0]) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    case 'T': return 3;
    case 'N': return allow_n ? 4 : -1;
    default: return -1;
    }
}

/* Read the rows of path on rchrom in [rs, re) (have_region), or the first contiguous
 * run of positions.  Returns 0 or -1. */
static int read_sat(const char *path, int have_region, const char *rchrom, int64_t rs,
                    int64_t re, sat_t *D, cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int rc, ncol = 0, ic = -1, ip = -1, ir = -1, ia = -1, ih = -1, id = -1, ret = -1;
    char **f = NULL;
    int fcap = 0;
    char *prev_chrom = NULL;
    int64_t prev_pos = -1, last = -1;
    long block = 0;
    snprintf(D->units, sizeof D->units, "\xce\x94 prediction");
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '#') {
            if (!ncol && strstr(r->line, "# saturation:")) {
                if (strstr(r->line, "on the logit scale")) snprintf(D->units, sizeof D->units, "\xce\x94 logit");
                else if (strstr(r->line, "on the prob scale")) snprintf(D->units, sizeof D->units, "\xce\x94 probability");
            }
            continue;
        }
        if (r->len == 0) continue;
        if ((int)r->len + 1 > fcap) {
            fcap = (int)r->len + 1;
            f = cm_realloc(f, (size_t)fcap * sizeof *f);
        }
        int nf = cm_split_tabs(r->line, f, fcap);
        if (!ncol) {
            ic = cm_field_index(f, nf, "chrom"), ip = cm_field_index(f, nf, "pos"), ir = cm_field_index(f, nf, "ref");
            ia = cm_field_index(f, nf, "alt"), ih = cm_field_index(f, nf, "head"), id = cm_field_index(f, nf, "delta");
            const char *miss = ic < 0 ? "chrom" : ip < 0 ? "pos" : ir < 0 ? "ref" : ia < 0 ? "alt"
                             : ih < 0 ? "head" : id < 0 ? "delta" : NULL;
            if (miss) {
                cm_fail(err, "%s:%ld: not a saturation table (header chrom pos ref alt head baseline "
                        "delta; no column '%s')", path, r->lineno, miss);
                goto out;
            }
            ncol = nf;
            continue;
        }
        if (nf != ncol) {
            cm_fail(err, "%s:%ld: %d fields, the header has %d", path, r->lineno, nf, ncol);
            goto out;
        }
        long pos;
        double d = NAN;
        if (cm_parse_long(f[ip], &pos) != 0 || pos < 0) {
            cm_fail(err, "%s:%ld: pos '%s' is not a non-negative integer", path, r->lineno, f[ip]);
            goto out;
        }
        int ref = code_of(f[ir], 1), alt = code_of(f[ia], 0);
        if (ref < 0 || alt < 0) {
            cm_fail(err, "%s:%ld: %s '%s' is not one of A C G T%s", path, r->lineno, ref < 0 ? "ref" : "alt",
                    ref < 0 ? f[ir] : f[ia], ref < 0 ? " N" : "");
            goto out;
        }
        if (alt == ref) {
            cm_fail(err, "%s:%ld: alt %s equals ref", path, r->lineno, f[ia]);
            goto out;
        }
        if (cm_parse_double(f[id], &d) != 0) d = NAN;
        if (!isfinite(d) || fabs(d) > CM_SAT_DELTA_MAX) {
            cm_fail(err, "%s:%ld: delta '%s' is not a finite number%s", path, r->lineno, f[id],
                    isfinite(d) ? " in [-1e100, 1e100]" : "");
            goto out;
        }
        if (!f[ic][0] || !f[ih][0]) {
            cm_fail(err, "%s:%ld: empty %s", path, r->lineno, f[ic][0] ? "head" : "chrom");
            goto out;
        }
        int newblock = !prev_chrom || strcmp(prev_chrom, f[ic]) || prev_pos != pos;
        if (newblock) {
            block++;
            free(prev_chrom);
            prev_chrom = cm_strdup(f[ic]);
            prev_pos = pos;
        }
        if (have_region) {
            if (strcmp(f[ic], rchrom) || pos < rs || pos >= re) continue;
        } else {
            if (!D->chrom) D->chrom = cm_strdup(f[ic]), D->s = pos, last = pos;
            else if (strcmp(D->chrom, f[ic]) || (pos != last && pos != last + 1)) break;   /* the run ends */
            last = pos;
            D->e = pos + 1;
        }
        D->r = cm_grow(D->r, D->n, &D->cap, sizeof *D->r, 256);
        srow_t *x = &D->r[D->n++];
        x->pos = pos;
        x->head = cm_intern(&D->head, &D->H, &D->hcap, f[ih]);
        x->ref = (char)ref;
        x->alt = (char)alt;
        x->d = d;
        x->block = block;
        x->line = r->lineno;
    }
    if (rc < 0) goto out;
    if (!ncol) {
        cm_fail(err, "%s: no header line (expected chrom pos ref alt head baseline delta)", path);
        goto out;
    }
    ret = 0;
out:
    free(f);
    free(prev_chrom);
    cm_reader_close(r);
    return ret;
}

/* ---------------------------------------------------------------- sites */

typedef struct {
    char *id, *tf, *motif;
    int64_t start, end;
    char strand;
} site_t;

static int read_sites(const char *path, const char *chrom, int64_t s, int64_t e, site_t **out,
                      int *nout, cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int rc, ncol = 0, ii = -1, ic = -1, it = -1, im = -1, is = -1, ie = -1, isd = -1, cap = 0, ret = -1;
    char **f = NULL;
    int fcap = 0;
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '#' || r->len == 0) continue;
        if ((int)r->len + 1 > fcap) {
            fcap = (int)r->len + 1;
            f = cm_realloc(f, (size_t)fcap * sizeof *f);
        }
        int nf = cm_split_tabs(r->line, f, fcap);
        if (!ncol) {
            ii = cm_field_index(f, nf, "site_id"), ic = cm_field_index(f, nf, "chrom"), it = cm_field_index(f, nf, "tf");
            im = cm_field_index(f, nf, "motif"), is = cm_field_index(f, nf, "start"), ie = cm_field_index(f, nf, "end");
            isd = cm_field_index(f, nf, "strand");
            const char *miss = ic < 0 ? "chrom" : it < 0 ? "tf" : is < 0 ? "start" : ie < 0 ? "end"
                             : isd < 0 ? "strand" : NULL;
            if (miss) {
                cm_fail(err, "%s:%ld: not a sources.tsv (header site_id chrom tf motif start end strand "
                        "window_start window_end; no column '%s')", path, r->lineno, miss);
                goto out;
            }
            ncol = nf;
            continue;
        }
        if (nf != ncol) {
            cm_fail(err, "%s:%ld: %d fields, the header has %d", path, r->lineno, nf, ncol);
            goto out;
        }
        long a, b;
        if (cm_parse_long(f[is], &a) != 0 || a < 0 || cm_parse_long(f[ie], &b) != 0 || b <= a) {
            cm_fail(err, "%s:%ld: start '%s', end '%s': need integers 0 <= start < end", path,
                    r->lineno, f[is], f[ie]);
            goto out;
        }
        const char *sd = f[isd];
        if (!((sd[0] == '+' || sd[0] == '-' || sd[0] == '.') && !sd[1])) {
            cm_fail(err, "%s:%ld: strand '%s' is not +, - or .", path, r->lineno, sd);
            goto out;
        }
        if (strcmp(f[ic], chrom) || a >= e || b <= s) continue;
        *out = cm_grow(*out, *nout, &cap, sizeof **out, 16);
        site_t *x = &(*out)[(*nout)++];
        x->id = cm_strdup(ii >= 0 ? f[ii] : "");
        x->tf = cm_strdup(f[it]);
        x->motif = cm_strdup(im >= 0 ? f[im] : "");
        x->start = a, x->end = b, x->strand = sd[0];
    }
    if (rc < 0) goto out;
    if (!ncol) {
        cm_fail(err, "%s: no header line (expected a sources.tsv)", path);
        goto out;
    }
    ret = 0;
out:
    free(f);
    cm_reader_close(r);
    return ret;
}

static int cmp_site(const void *a, const void *b)
{
    const site_t *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

/* ---------------------------------------------------------------- region string */

static int parse_region(const char *s, char **chrom, int64_t *start, int64_t *end, cm_err_t *err)
{
    const char *colon = strrchr(s, ':');
    const char *dash = colon ? strchr(colon + 1, '-') : NULL;
    long a, b;
    int ok = colon && colon > s && dash;
    if (ok) {
        char *as = cm_strdup(colon + 1);
        as[dash - colon - 1] = 0;
        ok = cm_parse_long(as, &a) == 0 && cm_parse_long(dash + 1, &b) == 0 && a >= 0 && b > a;
        free(as);
    }
    if (!ok)
        return cm_fail(err, "region '%s': expected chrom:start-end (0-based half-open, 0 <= start < end)", s);
    *chrom = cm_malloc((size_t)(colon - s) + 1);
    memcpy(*chrom, s, (size_t)(colon - s));
    (*chrom)[colon - s] = 0;
    *start = a, *end = b;
    return 0;
}

/* ---------------------------------------------------------------- drawing */

static const char *const LETTER = "ACGTN";
static const char *const COLOUR[5] = { "#109648", "#255c99", "#f7a21b", "#d62839", "#888888" };
/* Helvetica/Arial Bold advance widths (em); cap height 0.716 em */
static const double ADV[5] = { 0.722, 0.722, 0.778, 0.611, 0.722 };

/* Smallest 1, 2, 2.5 or 5 × 10^k >= v (v > 0). */
static double nice_ceil(double v)
{
    double p = pow(10, floor(log10(v)));
    static const double m[] = { 1, 2, 2.5, 5, 10 };
    for (int i = 0; i < 5; i++)
        if (m[i] * p >= v * (1 - 1e-12)) return m[i] * p;
    return 10 * p;
}

int cm_fig_saturation_file(FILE *fp, const char *sat_tsv, const char *sources_tsv,
                           const char *region, int max_bp, const char *title,
                           const char *prov, cm_err_t *err)
{
    sat_t D = {0};
    site_t *sites = NULL;
    int nsites = 0, ret = -1;
    char *rchrom = NULL;
    int64_t s = 0, e = 0, full_s = 0, full_e = 0;
    double *sum = NULL, *mx = NULL;
    unsigned char *mask = NULL;
    signed char *refc = NULL;
    long *blk = NULL;
    int clipped = 0;

    if (region) {
        if (parse_region(region, &rchrom, &s, &e, err) != 0) goto out;
        full_s = s, full_e = e;
        if (max_bp > 0 && e - s > max_bp) s += (e - s - max_bp) / 2, e = s + max_bp, clipped = 1;
        if (read_sat(sat_tsv, 1, rchrom, s, e, &D, err) != 0) goto out;
        D.chrom = cm_strdup(rchrom);
    } else {
        if (read_sat(sat_tsv, 0, NULL, 0, 0, &D, err) != 0) goto out;
        if (!D.chrom) { cm_fail(err, "%s: no saturation rows", sat_tsv); goto out; }
        s = full_s = D.s, e = full_e = D.e;
        if (max_bp > 0 && e - s > max_bp) s += (e - s - max_bp) / 2, e = s + max_bp, clipped = 1;
    }
    const int64_t n = e - s;
    const int H = D.H;
    /* aggregate: per position the first block of rows; per (position, head) the sum and
     * max |delta| over the alternatives */
    blk = cm_malloc((size_t)n * sizeof *blk);
    refc = cm_malloc((size_t)n);
    for (int64_t i = 0; i < n; i++) blk[i] = -1, refc[i] = -1;
    sum = cm_calloc((size_t)n * (H ? H : 1), sizeof *sum);
    mx = cm_calloc((size_t)n * (H ? H : 1), sizeof *mx);
    mask = cm_calloc((size_t)n * (H ? H : 1), 1);
    int npos = 0;
    for (int k = 0; k < D.n; k++) {
        const srow_t *x = &D.r[k];
        if (x->pos < s || x->pos >= e) continue;
        int64_t o = x->pos - s;
        if (blk[o] < 0) blk[o] = x->block, refc[o] = x->ref, npos++;
        else if (blk[o] != x->block) continue;   /* a later, overlapping region */
        if (refc[o] != x->ref) {
            cm_fail(err, "%s:%ld: ref %c of %s:%lld differs from the position's earlier rows (%c)", sat_tsv,
                    x->line, LETTER[(int)x->ref], D.chrom, (long long)x->pos, LETTER[(int)refc[o]]);
            goto out;
        }
        size_t c = (size_t)o * H + x->head;
        if (mask[c] & (1u << x->alt)) {
            cm_fail(err, "%s:%ld: repeated row for %s:%lld alt %c head %s", sat_tsv, x->line, D.chrom,
                    (long long)x->pos, LETTER[(int)x->alt], D.head[x->head]);
            goto out;
        }
        mask[c] |= (unsigned char)(1u << x->alt);
        sum[c] += x->d;
        if (fabs(x->d) > mx[c]) mx[c] = fabs(x->d);
    }
    if (npos == 0) {
        cm_fail(err, "%s: no saturation rows in %s:%lld-%lld", sat_tsv, D.chrom, (long long)s, (long long)e);
        goto out;
    }
    double lim = 0;
    for (int64_t o = 0; o < n; o++) {
        if (blk[o] < 0) continue;
        int need = refc[o] == 4 ? 4 : 3;
        for (int h = 0; h < H; h++) {
            size_t c = (size_t)o * H + h;
            int got = (mask[c] & 1) + (mask[c] >> 1 & 1) + (mask[c] >> 2 & 1) + (mask[c] >> 3 & 1);
            if (got != need) {
                cm_fail(err, "%s: %s:%lld (0-based) head %s: %d alternatives, need %d (an incomplete table?)",
                        sat_tsv, D.chrom, (long long)(s + o), D.head[h], got, need);
                goto out;
            }
            sum[c] = -sum[c] / 4 + 0.0;   /* the importance, as saturation.c's obs bedGraph */
            if (fabs(sum[c]) > lim) lim = fabs(sum[c]);
        }
    }
    if (sources_tsv && read_sites(sources_tsv, D.chrom, s, e, &sites, &nsites, err) != 0) goto out;
    if (nsites > 1) qsort(sites, (size_t)nsites, sizeof *sites, cmp_site);
    lim = lim > 0 ? nice_ceil(lim) : 1;

    /* ---- layout */
    double cw = n <= 30 ? 22 : n <= 60 ? 14 : n <= 150 ? 7 : 1000.0 / (double)n;
    if (cw < 3) cw = 3;
    const double left = 130, th = 100, tgap = 26, sfs = 10;
    const int has_title = title && *title;
    char sub[768], doc_title[512], reg1[256];
    snprintf(reg1, sizeof reg1, "%s:%lld-%lld", D.chrom, (long long)s + 1, (long long)e);
    int sl = snprintf(sub, sizeof sub, "%s:%lld-%lld (0-based half-open; %s in 1-based coordinates), "
                      "%lld bp, %d head%s", D.chrom, (long long)s, (long long)e, reg1, (long long)n, H,
                      H == 1 ? "" : "s");
    if (clipped && sl > 0 && (size_t)sl < sizeof sub)
        snprintf(sub + sl, sizeof sub - (size_t)sl, "; the central %d bp of %s:%lld-%lld", max_bp, D.chrom,
                 (long long)full_s, (long long)full_e);
    snprintf(doc_title, sizeof doc_title, "Saturation mutagenesis of %s (1-based)", reg1);
    cm_svg_utf8_trim(reg1), cm_svg_utf8_trim(sub), cm_svg_utf8_trim(doc_title);
    const double top = (has_title ? 48 : 20) + 58;
    const double gw = cw * (double)n;
    /* site lanes (greedy, by start), each extent = box and label + 4 px */
    double *lane_end = NULL;
    int nlanes = 0;
    int *lane = cm_malloc((size_t)(nsites ? nsites : 1) * sizeof *lane);
    char **slab = cm_malloc((size_t)(nsites ? nsites : 1) * sizeof *slab);
    for (int i = 0; i < nsites; i++) {
        const site_t *x = &sites[i];
        size_t ln = strlen(x->tf) + 8;
        slab[i] = cm_malloc(ln);
        snprintf(slab[i], ln, "%s%s", x->tf, x->strand == '+' ? " \xe2\x86\x92" : x->strand == '-' ? " \xe2\x86\x90" : "");
        double x0 = left + (double)((x->start > s ? x->start : s) - s) * cw;
        double x1 = left + (double)((x->end < e ? x->end : e) - s) * cw;
        double xc = (x0 + x1) / 2, tw = cm_svg_text_w(slab[i], sfs);
        double a = x0 < xc - tw / 2 ? x0 : xc - tw / 2, b = x1 > xc + tw / 2 ? x1 : xc + tw / 2;
        int l = 0;
        while (l < nlanes && lane_end[l] > a) l++;
        if (l == nlanes) lane_end = cm_realloc(lane_end, (size_t)++nlanes * sizeof *lane_end);
        lane_end[l] = b + 4;
        lane[i] = l;
    }
    double ymax_lab = left + gw;   /* rightmost pixel used by site labels */
    for (int l = 0; l < nlanes; l++) if (lane_end[l] > ymax_lab) ymax_lab = lane_end[l];
    const double tracks_h = H * (th + tgap);
    const double sites_top = top + tracks_h + 4, lane_h = 30;
    const double axis_y = sites_top + (nlanes ? nlanes * lane_h + 6 : 0);
    double W = ymax_lab + 40;
    char legend2[160];
    snprintf(legend2, sizeof legend2, "height: importance of the observed base = \xe2\x88\x92\xc2\xbc \xce\xa3 "
             "\xce\x94 over its alternatives (%s); up: the observed base raises the prediction", D.units);
    double need_w = 20 + cm_svg_text_w(sub, 12) + 20;
    if (20 + cm_svg_text_w(legend2, 12) + 20 > need_w) need_w = 20 + cm_svg_text_w(legend2, 12) + 20;
    if (has_title && 20 + cm_svg_text_w(title, 16) + 20 > need_w) need_w = 20 + cm_svg_text_w(title, 16) + 20;
    if (need_w < 560) need_w = 560;
    if (W < need_w) W = need_w;
    const double Ht = axis_y + 50;

    /* ---- header */
    char desc[sizeof sub + sizeof D.units + 512];
    snprintf(desc, sizeof desc, "Saturation mutagenesis tracks, one per model head, of %s. Each "
             "position shows its reference base with height equal to the importance of the "
             "observed base, minus one quarter of the sum of the changes in prediction over its "
             "alternatives (%s), drawn up when positive and down when negative; %d motif site%s "
             "of the sources table are drawn as labelled boxes below.", sub, D.units, nsites,
             nsites == 1 ? "" : "s");
    cm_svg_begin(fp, W, Ht, has_title ? title : doc_title, cm_svg_utf8_trim(desc), prov);
    if (has_title) svg_text(fp, 20, 28, 16, "start", "font-weight=\"bold\"", title);
    double hy = has_title ? 48 : 20;
    svg_text(fp, 20, hy, 12, "start", "fill=\"#444444\"", sub);
    /* legend: letter colours and the height's meaning */
    fprintf(fp, "<text x=\"20\" y=\"%.2f\" font-size=\"12\" fill=\"#444444\">letter: the reference base "
                "<tspan font-weight=\"bold\" fill=\"%s\">A</tspan> <tspan font-weight=\"bold\" fill=\"%s\">C</tspan> "
                "<tspan font-weight=\"bold\" fill=\"%s\">G</tspan> <tspan font-weight=\"bold\" fill=\"%s\">T</tspan> "
                "<tspan font-weight=\"bold\" fill=\"%s\">N</tspan></text>\n",
            hy + 18, COLOUR[0], COLOUR[1], COLOUR[2], COLOUR[3], COLOUR[4]);
    svg_text(fp, 20, hy + 36, 12, "start", "fill=\"#444444\"", legend2);

    /* ---- tracks */
    char tb[64];
    for (int h = 0; h < H; h++) {
        const double ty = top + h * (th + tgap), y0 = ty + th / 2, half = th / 2;
        fputs("<g class=\"track\">\n", fp);
        fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"12\" font-weight=\"bold\">head ", left, ty - 6);
        cm_svg_esc(fp, D.head[h]);
        fputs("</text>\n", fp);
        /* y axis */
        fprintf(fp, "<g class=\"y-axis\" font-size=\"10\" stroke=\"#333333\">"
                    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", left - 4, ty, left - 4, ty + th);
        for (int t = -2; t <= 2; t++) {
            double v = lim * t / 2.0, y = y0 - v / lim * half;
            snprintf(tb, sizeof tb, "%.3g", v + 0.0);
            fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>"
                        "<text x=\"%.2f\" y=\"%.2f\" stroke=\"none\" text-anchor=\"end\" "
                        "dominant-baseline=\"central\">%s</text>\n", left - 8, y, left - 4, y, left - 10, y, tb);
        }
        fputs("</g>\n", fp);
        {
            double tx = left - 52, tyc = y0;
            char tr[96];
            snprintf(tr, sizeof tr, "transform=\"rotate(-90 %.2f %.2f)\"", tx, tyc);
            char lab[64];
            snprintf(lab, sizeof lab, "importance (%s)", D.units);
            svg_text(fp, tx, tyc, 10, "middle", tr, lab);
        }
        fprintf(fp, "<line class=\"zero\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#999999\" "
                    "stroke-width=\"0.8\"/>\n", left, y0, left + gw, y0);
        /* letters */
        fputs("<g class=\"letters\" font-size=\"100\" font-weight=\"bold\" text-anchor=\"middle\">\n", fp);
        for (int64_t o = 0; o < n; o++) {
            if (blk[o] < 0) continue;
            double v = sum[(size_t)o * H + h], hh = fabs(v) / lim * half;
            if (hh < 0.3) continue;
            int b = refc[o];
            double xc = left + ((double)o + 0.5) * cw;
            double sx = cw * 0.92 / (ADV[b] * 100), sy = hh / 71.6;
            double yb = v > 0 ? y0 : y0 + hh;
            fprintf(fp, "<text class=\"letter\" fill=\"%s\" transform=\"translate(%.2f %.2f) scale(%.4f %.4f)\">%c</text>\n",
                    COLOUR[b], xc, yb, sx, sy, LETTER[b]);
        }
        fputs("</g>\n", fp);
        /* tooltip targets */
        fputs("<g class=\"positions\" fill=\"#ffffff\" fill-opacity=\"0\">\n", fp);
        for (int64_t o = 0; o < n; o++) {
            fprintf(fp, "<rect class=\"pos\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"><title>",
                    left + (double)o * cw, ty, cw, th);
            cm_svg_esc(fp, D.chrom);
            fprintf(fp, ":%lld (1-based) ", (long long)(s + o) + 1);
            if (blk[o] < 0) {
                fputs("head ", fp);
                cm_svg_esc(fp, D.head[h]);
                fputs(": no data</title></rect>\n", fp);
                continue;
            }
            fprintf(fp, "ref %c, head ", LETTER[(int)refc[o]]);
            cm_svg_esc(fp, D.head[h]);
            fprintf(fp, ": importance %.6g ", sum[(size_t)o * H + h]);
            cm_svg_esc(fp, D.units);
            fprintf(fp, "; max |\xce\x94| %.6g</title></rect>\n", mx[(size_t)o * H + h]);
        }
        fputs("</g>\n</g>\n", fp);
    }

    /* ---- sites */
    fputs("<g id=\"sites\" font-size=\"10\">\n", fp);
    for (int i = 0; i < nsites; i++) {
        const site_t *x = &sites[i];
        double x0 = left + (double)((x->start > s ? x->start : s) - s) * cw;
        double x1 = left + (double)((x->end < e ? x->end : e) - s) * cw;
        double y = sites_top + lane[i] * lane_h;
        int cut = x->start < s || x->end > e;
        fputs("<g class=\"site\"><title>site ", fp);
        cm_svg_esc(fp, x->id[0] ? x->id : "?");
        fputs(": ", fp);
        cm_svg_esc(fp, x->tf);
        if (x->motif[0]) { fputs(" (motif ", fp); cm_svg_esc(fp, x->motif); fputs(")", fp); }
        fputc(' ', fp);
        cm_svg_esc(fp, D.chrom);
        fprintf(fp, ":%lld-%lld (1-based, inclusive), strand %c%s</title>", (long long)x->start + 1,
                (long long)x->end, x->strand, cut ? "; extends past the drawn region" : "");
        fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"12\" fill=\"%s\" stroke=\"#555555\" "
                    "stroke-width=\"0.8\"%s/>", x0, y, x1 - x0, x->strand == '-' ? "#f4d6b8" : "#c9dcef",
                cut ? " stroke-dasharray=\"3 2\"" : "");
        fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">", (x0 + x1) / 2, y + 23);
        cm_svg_esc(fp, slab[i]);
        fputs("</text></g>\n", fp);
    }
    fputs("</g>\n", fp);

    /* ---- position axis (1-based) */
    {
        double step = 1;
        while ((double)n / step > 10) {
            double t = step;
            if (n / (2 * t) <= 10) { step = 2 * t; break; }
            if (n / (5 * t) <= 10) { step = 5 * t; break; }
            step = 10 * t;
        }
        int64_t st = (int64_t)step;
        fprintf(fp, "<g id=\"x-axis\" font-size=\"10\" stroke=\"#333333\"><line x1=\"%.2f\" y1=\"%.2f\" "
                    "x2=\"%.2f\" y2=\"%.2f\"/>\n", left, axis_y, left + gw, axis_y);
        for (int64_t p1 = ((s + 1 + st - 1) / st) * st; p1 <= e; p1 += st) {
            double x = left + ((double)(p1 - 1 - s) + 0.5) * cw;
            fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/><text x=\"%.2f\" y=\"%.2f\" "
                        "stroke=\"none\" text-anchor=\"middle\">%lld</text>\n", x, axis_y, x, axis_y + 4, x,
                    axis_y + 15, (long long)p1);
        }
        fputs("</g>\n", fp);
        fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"12\" text-anchor=\"middle\">", left + gw / 2, axis_y + 34);
        cm_svg_esc(fp, D.chrom);
        fputs(" position (1-based)</text>\n", fp);
    }
    fputs("</svg>\n", fp);
    for (int i = 0; i < nsites; i++) free(slab[i]);
    free(slab), free(lane), free(lane_end);
    ret = 0;
out:
    for (int i = 0; i < nsites; i++) free(sites[i].id), free(sites[i].tf), free(sites[i].motif);
    free(sites);
    for (int h = 0; h < D.H; h++) free(D.head[h]);
    free(D.head), free(D.r), free(D.chrom);
    free(rchrom), free(sum), free(mx), free(mask), free(refc), free(blk);
    return ret;
}
