/* report.c — the run's HTML report (see report.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <htslib/hts.h>

#include "report/report.h"
#include "compare/family.h"
#include "compare/figures.h"
#include "ism/sat_figure.h"
#include "core/svg.h"   /* cm_svg_esc: XML escaping is valid HTML escaping */
#include "core/textio.h"
#include "core/version.h"
#include "motif/motif.h"
#include "motif/motif_formats.h"
#include "stats/stats.h"

/* One drawn figure: its file name under figures/ and its SVG text. */
typedef struct {
    char *file;
    char *svg;
    size_t len;
} fig_t;

typedef struct {
    fig_t *f;
    int n, cap;
} figs_t;

/* A file-name-safe copy of s: [A-Za-z0-9._-] kept, anything else '_'. */
static char *safe_name(const char *prefix, const char *s)
{
    size_t n = strlen(prefix) + (s ? strlen(s) : 0) + 8;
    char *b = cm_malloc(n), *p;
    snprintf(b, n, "%s%s%s.svg", prefix, s && *s ? "_" : "", s ? s : "");
    for (p = b + strlen(prefix); p < b + strlen(b) - 4; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-')) *p = '_';
    return b;
}

static void figs_push(figs_t *F, char *file, char *svg, size_t len)
{
    F->f = cm_grow(F->f, F->n, &F->cap, sizeof *F->f, 8);
    F->f[F->n].file = file;
    F->f[F->n].svg = svg;
    F->f[F->n].len = len;
    F->n++;
}

static void figs_free(figs_t *F)
{
    for (int i = 0; i < F->n; i++) { free(F->f[i].file); free(F->f[i].svg); }
    free(F->f);
}

/* Draw one figure into memory: CALL writes to the FILE *fp in scope.  On failure
 * (err filled by the figure) jumps to done with rc = -1. */
#define DRAW(F, FILE_NAME, CALL) do {                                              \
        char *b_ = NULL; size_t l_ = 0;                                            \
        FILE *fp = open_memstream(&b_, &l_);                                       \
        if (!fp) { free(FILE_NAME); rc = cm_fail(err, "out of memory"); goto done; } \
        int r_ = (CALL);                                                           \
        fclose(fp);                                                                \
        if (r_ < 0) { free(b_); free(FILE_NAME); rc = -1; goto done; }             \
        figs_push((F), (FILE_NAME), b_, l_);                                       \
    } while (0)

/* Write figure k inline: without its XML declaration, every id="X" (and its
 * references url(#X), href="#X") prefixed with "fK-" so figures cannot clash. */
static void inline_svg(FILE *h, const fig_t *f, int k)
{
    const char *p = f->svg;
    if (!strncmp(p, "<?xml", 5)) {
        const char *e = strstr(p, "?>");
        if (e) p = e + 2;
        while (*p == '\n') p++;
    }
    fprintf(h, "<figure id=\"fig-%d\">\n", k);
    while (*p) {
        if (p > f->svg && (p[-1] == ' ' || p[-1] == '\n') && !strncmp(p, "id=\"", 4)) {
            fprintf(h, "id=\"f%d-", k);
            p += 4;
        } else if (!strncmp(p, "url(#", 5)) {
            fprintf(h, "url(#f%d-", k);
            p += 5;
        } else if (!strncmp(p, "href=\"#", 7)) {
            fprintf(h, "href=\"#f%d-", k);
            p += 7;
        } else fputc(*p++, h);
    }
    fprintf(h, "<figcaption><a href=\"figures/");
    cm_svg_esc(h, f->file);
    fprintf(h, "\">figures/");
    cm_svg_esc(h, f->file);
    fprintf(h, "</a></figcaption>\n</figure>\n");
}

/* Size, MD5 and the first '#' line of an input table, as a table row. */
static int input_row(FILE *h, const char *role, const char *path, cm_err_t *err)
{
    fputs("<tr><td>", h);
    cm_svg_esc(h, role);
    fputs("</td><td><code>", h);
    cm_svg_esc(h, path);
    fputs("</code></td>", h);
    if (!strcmp(path, "-")) {
        fputs("<td></td><td>(standard input)</td><td></td></tr>\n", h);
        return 0;
    }
    FILE *in = fopen(path, "rb");
    if (!in) return cm_fail(err, "%s: cannot open: %s", path, strerror(errno));
    hts_md5_context *md5 = hts_md5_init();
    if (!md5) { fclose(in); return cm_fail(err, "out of memory"); }
    unsigned char buf[1 << 16], dig[16];
    size_t n, size = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) { hts_md5_update(md5, buf, (unsigned long)n); size += n; }
    int bad = ferror(in);
    fclose(in);
    hts_md5_final(dig, md5);
    hts_md5_destroy(md5);
    if (bad) return cm_fail(err, "%s: read error", path);
    char hex[33];
    hts_md5_hex(hex, dig);
    fprintf(h, "<td data-v=\"%zu\">%zu</td><td><code>%s</code></td><td><code>", size, size, hex);
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int rc;
    while ((rc = cm_reader_next(r, err)) == 1)
        if (r->line[0] == '#' || r->line[0] == '<') break;
    if (rc == 1 && r->line[0] == '#') cm_svg_esc(h, r->line + 1 + (r->line[1] == ' '));
    else if (rc == 1 && strstr(r->line, "<!-- ")) cm_svg_esc(h, strstr(r->line, "<!-- ") + 5);
    cm_reader_close(r);
    if (rc < 0) return -1;
    fputs("</code></td></tr>\n", h);
    return 0;
}

/* The run-info TSV (section, key, value per line; '#' lines skipped) as one table per
 * section, in file order. */
static int run_info(FILE *h, const char *path, cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    char *sec = NULL;
    int rc;
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (!r->len || r->line[0] == '#' || !strcmp(r->line, "section\tkey\tvalue")) continue;
        char *f[4];
        if (cm_split_tabs(r->line, f, 4) != 3) {
            rc = cm_fail(err, "%s:%ld: expected 3 tab-separated fields (section, key, value)",
                         r->path, r->lineno);
            break;
        }
        if (!sec || strcmp(sec, f[0])) {
            if (sec) fputs("</tbody></table>\n", h);
            free(sec);
            sec = cm_strdup(f[0]);
            fputs("<h3>", h);
            cm_svg_esc(h, sec);
            fputs("</h3>\n<table class=\"sortable kv\"><thead><tr><th>key</th><th>value</th></tr></thead><tbody>\n", h);
        }
        fputs("<tr><td>", h);
        cm_svg_esc(h, f[1]);
        fputs("</td><td><code>", h);
        cm_svg_esc(h, f[2]);
        fputs("</code></td></tr>\n", h);
    }
    if (sec) fputs("</tbody></table>\n", h);
    free(sec);
    cm_reader_close(r);
    return rc < 0 ? -1 : 0;
}

/* ---- patterns (coopmap-patterns) ---- */

/* id -> alt name of every motif of the motif files (the first file naming an id wins). */
static int motif_names(const cm_report_opts_t *o, cm_labels_t *L, cm_err_t *err)
{
    int cap = 0;
    for (int i = 0; i < o->n_motif_names; i++) {
        cm_motifset_t set = { 0 };
        if (cm_motifs_read_any(o->motif_names[i], CM_MF_AUTO, &set, err) < 0) {
            cm_motifs_free(&set);
            return -1;
        }
        for (int k = 0; k < set.n; k++) {
            if (cm_labels_find(L, set.m[k].id) >= 0) continue;
            if (L->n == cap) {
                cap = cap ? 2 * cap : 1024;
                L->key = cm_realloc(L->key, (size_t)cap * sizeof *L->key);
                L->label = cm_realloc(L->label, (size_t)cap * sizeof *L->label);
            }
            L->key[L->n] = cm_strdup(set.m[k].id);
            L->label[L->n++] = cm_strdup(set.m[k].alt ? set.m[k].alt : "");
        }
        cm_motifs_free(&set);
    }
    return 0;
}

/* "ID NAME" of a motif id (the heatmaps' labels), or "ID"; caller frees. */
static char *motif_label(const cm_labels_t *L, const char *id)
{
    int k = cm_labels_find(L, id);
    if (k < 0 || !L->label[k][0] || !strcmp(L->label[k], id)) return cm_strdup(id);
    size_t n = strlen(id) + strlen(L->label[k]) + 2;
    char *b = cm_malloc(n);
    snprintf(b, n, "%s %s", id, L->label[k]);
    return b;
}

/* A row of patterns.tsv, with its best match in the Tomtom TSV. */
typedef struct {
    char *pattern, *head, *sign, *seqlets, *sequences, *share, *consensus, *width;
    double share_v;
    char *best;          /* target id of the best match, NULL: no Tomtom row */
    double best_q, best_e;
    int nsig;            /* Tomtom rows with q (E) <= thresh */
} prow_t;

typedef struct {
    prow_t *r;
    int n, cap;
} ptab_t;

static void ptab_free(ptab_t *t)
{
    for (int i = 0; i < t->n; i++) {
        prow_t *r = &t->r[i];
        free(r->pattern); free(r->head); free(r->sign); free(r->seqlets); free(r->sequences);
        free(r->share); free(r->consensus); free(r->width); free(r->best);
    }
    free(t->r);
    memset(t, 0, sizeof *t);
}

static int is_count(const char *s)
{
    long v;
    return cm_parse_long(s, &v) == 0 && v >= 0;
}

/* patterns.tsv (coopmap-patterns; docs/patterns.md): '#' lines skipped, a header naming
 * pattern head sign seqlets sequences share consensus (width optional), then one row per
 * pattern with the header's field count. */
static int read_patterns(const char *path, ptab_t *t, cm_err_t *err)
{
    static const char *const need[7] = { "pattern", "head", "sign", "seqlets", "sequences",
                                         "share", "consensus" };
    enum { MAXF = 64 };
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int rc, nh = 0, col[8], iw = -1;
    char *f[MAXF + 1];
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '#' || r->len == 0) continue;
        int nf = cm_split_tabs(r->line, f, MAXF + 1);
        if (!nh) {
            for (int k = 0; k < 7; k++)
                if ((col[k] = cm_field_index(f, nf, need[k])) < 0) {
                    rc = cm_fail(err, "%s:%ld: not a coopmap-patterns patterns.tsv: no column '%s' "
                                 "(header pattern head sign seqlets sequences share consensus width)",
                                 path, r->lineno, need[k]);
                    goto done;
                }
            iw = cm_field_index(f, nf, "width");
            nh = nf;
            continue;
        }
        if (nf != nh) {
            rc = cm_fail(err, "%s:%ld: %d fields, the header has %d", path, r->lineno, nf, nh);
            goto done;
        }
        const char *sign = f[col[2]];
        double share;
        if (!f[col[0]][0] || !f[col[1]][0])
            rc = cm_fail(err, "%s:%ld: empty pattern or head", path, r->lineno);
        else if (strcmp(sign, "pos") && strcmp(sign, "neg"))
            rc = cm_fail(err, "%s:%ld: sign '%s' is not pos or neg", path, r->lineno, sign);
        else if (!is_count(f[col[3]]) || !is_count(f[col[4]]))
            rc = cm_fail(err, "%s:%ld: %s '%s' is not an integer >= 0", path, r->lineno,
                         is_count(f[col[3]]) ? "sequences" : "seqlets",
                         is_count(f[col[3]]) ? f[col[4]] : f[col[3]]);
        else if (cm_parse_double(f[col[5]], &share) || !(share >= 0 && share <= 1))
            rc = cm_fail(err, "%s:%ld: share '%s' is not a number in 0..1", path, r->lineno, f[col[5]]);
        else if (iw >= 0 && !is_count(f[iw]))
            rc = cm_fail(err, "%s:%ld: width '%s' is not an integer >= 0", path, r->lineno, f[iw]);
        if (rc < 0) goto done;
        t->r = cm_grow(t->r, t->n, &t->cap, sizeof *t->r, 16);
        prow_t *p = &t->r[t->n++];
        memset(p, 0, sizeof *p);
        p->pattern = cm_strdup(f[col[0]]);
        p->head = cm_strdup(f[col[1]]);
        p->sign = cm_strdup(sign);
        p->seqlets = cm_strdup(f[col[3]]);
        p->sequences = cm_strdup(f[col[4]]);
        p->share = cm_strdup(f[col[5]]);
        p->share_v = share;
        p->consensus = cm_strdup(f[col[6]]);
        p->width = cm_strdup(iw >= 0 ? f[iw] : "");
    }
    if (rc == 0 && !nh) rc = cm_fail(err, "%s: empty file (expected a coopmap-patterns patterns.tsv)", path);
done:
    cm_reader_close(r);
    return rc < 0 ? -1 : 0;
}

/* Each pattern's best row of the Tomtom TSV (smallest q, then E, then the first) and
 * its count of rows with q (E with use_evalue) <= thresh.  The file was already read
 * and checked by the heatmap (cm_fig_tomtom), so only what is used here is checked. */
static int best_matches(const char *path, double thresh, int use_evalue, ptab_t *t, cm_err_t *err)
{
    enum { MAXF = 64 };
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int rc, header = 0, ie = -1, iq = -1;
    char *f[MAXF];
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '#' || r->len == 0) continue;
        int nf = cm_split_tabs(r->line, f, MAXF);
        if (!header) {
            ie = cm_field_index(f, nf, "E-value");
            iq = cm_field_index(f, nf, "q-value");
            if (nf < 2 || strcmp(f[0], "Query_ID") || strcmp(f[1], "Target_ID") || ie < 0 || iq < 0) {
                rc = cm_fail(err, "%s:%ld: not a Tomtom TSV (header Query_ID Target_ID ... E-value "
                             "q-value ...)", path, r->lineno);
                break;
            }
            header = 1;
            continue;
        }
        double e, q;
        if (nf <= (ie > iq ? ie : iq) || cm_parse_double(f[ie], &e) || cm_parse_double(f[iq], &q)) {
            rc = cm_fail(err, "%s:%ld: bad Tomtom row", path, r->lineno);
            break;
        }
        for (int i = 0; i < t->n; i++) {
            prow_t *p = &t->r[i];
            if (strcmp(p->pattern, f[0])) continue;
            if ((use_evalue ? e : q) <= thresh) p->nsig++;
            if (!p->best || q < p->best_q || (q == p->best_q && e < p->best_e)) {
                free(p->best);
                p->best = cm_strdup(f[1]);
                p->best_q = q;
                p->best_e = e;
            }
        }
    }
    cm_reader_close(r);
    return rc < 0 ? -1 : 0;
}

/* The pattern table (the study's panel c, with d's best match). */
static void patterns_table(FILE *h, const ptab_t *t, int with_tomtom, const cm_labels_t *names,
                           double thresh, int use_evalue)
{
    if (!t->n) {
        fputs("<p class=\"none\">No patterns: no head had seqlets enough for a pattern.</p>\n", h);
        return;
    }
    fputs("<table class=\"sortable patterns\"><thead><tr><th>pattern</th><th>head</th><th>sign</th>"
          "<th>seqlets</th><th>sequences</th><th>share of sequences</th><th>consensus</th>"
          "<th>width</th>", h);
    if (with_tomtom)
        fprintf(h, "<th>best match</th><th>E</th><th>q</th><th>matches %s &le; %g</th>",
                use_evalue ? "E" : "q", thresh);
    fputs("</tr></thead><tbody>\n", h);
    for (int i = 0; i < t->n; i++) {
        const prow_t *p = &t->r[i];
        fputs("<tr><td>", h);
        cm_svg_esc(h, p->pattern);
        fputs("</td><td>", h);
        cm_svg_esc(h, p->head);
        fprintf(h, "</td><td>%s</td><td>", p->sign);
        cm_svg_esc(h, p->seqlets);
        fputs("</td><td>", h);
        cm_svg_esc(h, p->sequences);
        fputs("</td><td data-v=\"", h);
        cm_svg_esc(h, p->share);
        fprintf(h, "\"><span class=\"share\" style=\"width:%.2fem\"></span> %.1f%%</td><td><code>",
                8 * p->share_v, 100 * p->share_v);
        cm_svg_esc(h, p->consensus);
        fputs("</code></td><td>", h);
        cm_svg_esc(h, p->width);
        fputs("</td>", h);
        if (with_tomtom && p->best) {
            char *lab = motif_label(names, p->best);
            int sig = (use_evalue ? p->best_e : p->best_q) <= thresh;
            fputs(sig ? "<td class=\"sig\">" : "<td>", h);
            cm_svg_esc(h, lab);
            free(lab);
            fprintf(h, "</td><td data-v=\"%.17g\">%.3g</td><td data-v=\"%.17g\">%.3g</td><td>%d</td>",
                    p->best_e, p->best_e, p->best_q, p->best_q, p->nsig);
        } else if (with_tomtom)
            fputs("<td class=\"none\">no Tomtom row</td><td data-v=\"\"></td><td data-v=\"\"></td><td>0</td>", h);
        fputs("</tr>\n", h);
    }
    fputs("</tbody></table>\n", h);
}

typedef struct {
    int map;
    const cm_cell_t *c;
} top_t;

static int cmp_top_desc(const void *a, const void *b)
{
    const top_t *x = a, *y = b;
    if (x->c->tt.score != y->c->tt.score) return x->c->tt.score < y->c->tt.score ? 1 : -1;
    if (x->map != y->map) return x->map - y->map;
    return x->c < y->c ? -1 : x->c > y->c;
}

static int cmp_top_asc(const void *a, const void *b)
{
    const top_t *x = a, *y = b;
    if (x->c->tt.score != y->c->tt.score) return x->c->tt.score > y->c->tt.score ? 1 : -1;
    if (x->map != y->map) return x->map - y->map;
    return x->c < y->c ? -1 : x->c > y->c;
}

static void num_cell(FILE *h, double v)
{
    if (isfinite(v)) fprintf(h, "<td>%.4g</td>", v);
    else fputs("<td data-v=\"\"></td>", h);
}

/* The top cells of the maps' self/pair cells, unmasked, with sign > 0 (cooperative) or
 * < 0 (competitive), strongest first. */
static void top_table(FILE *h, const cm_report_opts_t *o, int sign)
{
    top_t *t = NULL;
    int n = 0, cap = 0;
    for (int m = 0; m < o->n_maps; m++) {
        const cm_cells_t *cs = o->maps[m].cells;
        for (size_t i = 0; i < cs->n; i++) {
            const cm_cell_t *c = &cs->c[i];
            if (c->kind != CM_CELL_SELF && c->kind != CM_CELL_PAIR) continue;
            if (c->masked || !isfinite(c->tt.score) || c->tt.score * sign <= 0) continue;
            t = cm_grow(t, n, &cap, sizeof *t, 64);
            t[n].map = m;
            t[n++].c = c;
        }
    }
    if (n) qsort(t, n, sizeof *t, sign > 0 ? cmp_top_desc : cmp_top_asc);
    if (n > o->top) n = o->top;
    fprintf(h, "<h3>Strongest %s cells</h3>\n", sign > 0 ? "cooperative (score &gt; 0)" : "competitive (score &lt; 0)");
    if (!n) {
        fprintf(h, "<p class=\"none\">No unmasked cell with a %s score (q &le; %g).</p>\n",
                sign > 0 ? "positive" : "negative", o->map.alpha > 0 ? o->map.alpha : 0.05);
        free(t);
        return;
    }
    fputs("<table class=\"sortable\"><thead><tr><th>map</th><th>source TF</th><th>target TF</th>"
          "<th>kind</th><th>family</th><th>n</th><th>mean &Delta;</th><th>95% CI</th>"
          "<th>Cohen's d</th><th>p</th><th>q</th><th>score</th></tr></thead><tbody>\n", h);
    for (int i = 0; i < n; i++) {
        const cm_cell_t *c = t[i].c;
        const cm_effects_t *ef = o->maps[t[i].map].ef;
        char pb[40], qb[40];
        fputs("<tr><td>", h);
        cm_svg_esc(h, o->maps[t[i].map].name);
        fputs("</td><td>", h);
        cm_svg_esc(h, ef->tf[c->src]);
        fputs("</td><td>", h);
        cm_svg_esc(h, ef->tf[c->tgt]);
        fprintf(h, "</td><td>%s</td><td>%s</td><td>%zu</td>", cm_cell_kind_name(c->kind),
                cm_family_name(c->family), c->tt.n);
        num_cell(h, c->tt.mean);
        if (isfinite(c->ci_low) && isfinite(c->ci_high))
            fprintf(h, "<td data-v=\"%.17g\">[%.4g, %.4g]</td>", c->ci_low, c->ci_low, c->ci_high);
        else fputs("<td data-v=\"\"></td>", h);
        num_cell(h, c->cohens_d);
        fprintf(h, "<td data-v=\"%.17g\">%s</td><td data-v=\"%.17g\">%s</td>", c->tt.log10p,
                cm_fmt_prob(pb, sizeof pb, c->tt.p, c->tt.log10p), c->log10q,
                cm_fmt_prob(qb, sizeof qb, c->q, c->log10q));
        num_cell(h, c->tt.score);
        fputs("</tr>\n", h);
    }
    fputs("</tbody></table>\n", h);
    free(t);
}

static const char css[] =
"body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0;color:#222;background:#fff}\n"
"header{background:#1f3b57;color:#fff;padding:1em 2em}header h1{margin:0;font-size:1.5em}\n"
"header p{margin:.3em 0 0;opacity:.85}nav{padding:.5em 2em;background:#eef2f6;border-bottom:1px solid #ccd}\n"
"nav a{margin-right:1.2em;color:#1f3b57}main{padding:0 2em 2em}section{margin-top:1.5em}\n"
"h2{border-bottom:2px solid #1f3b57;padding-bottom:.2em}figure{margin:1em 0;overflow-x:auto}\n"
"figcaption{font-size:.8em;color:#666}table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}\n"
"th,td{border:1px solid #ccd;padding:.2em .6em;text-align:left}th{background:#eef2f6;cursor:pointer}\n"
"th[data-dir=asc]::after{content:' \\25B2'}th[data-dir=desc]::after{content:' \\25BC'}\n"
"td code{font-size:.85em;word-break:break-all}.none{color:#666;font-style:italic}\n"
".share{display:inline-block;height:.8em;background:#1f3b57;vertical-align:middle}td.sig{font-weight:bold}\n";

/* click a header to sort; numbers (data-v when given) numerically, text otherwise */
static const char js[] =
"document.querySelectorAll('table.sortable th').forEach(function(th){\n"
" th.addEventListener('click',function(){\n"
"  var t=th.closest('table'),b=t.tBodies[0],i=th.cellIndex,asc=th.dataset.dir!=='asc';\n"
"  t.querySelectorAll('th').forEach(function(h){delete h.dataset.dir;});\n"
"  th.dataset.dir=asc?'asc':'desc';\n"
"  var key=function(r){var c=r.cells[i];return c.dataset.v!==undefined?c.dataset.v:c.textContent;};\n"
"  Array.from(b.rows).sort(function(r,s){var x=key(r),y=key(s),nx=parseFloat(x),ny=parseFloat(y);\n"
"   var d=(!isNaN(nx)&&!isNaN(ny))?nx-ny:(isNaN(nx)-isNaN(ny))||x.localeCompare(y);return asc?d:-d;})\n"
"   .forEach(function(r){b.appendChild(r);});});});\n";

static void section_open(FILE *h, const char *id, const char *title)
{
    fprintf(h, "<section id=\"%s\">\n<h2>%s</h2>\n", id, title);
}

int cm_report_write(const cm_report_opts_t *o, cm_err_t *err)
{
    figs_t F = { 0 };
    cm_labels_t names = { 0 };
    ptab_t *ptab = NULL;
    int *k_ptom = NULL, *k_pjos = NULL;   /* figure index of each map's patterns heatmap, JOS */
    char *html = NULL;
    size_t hlen = 0;
    FILE *h = NULL;
    cm_out_t **out = NULL;
    cm_outdir_t *od = NULL;   /* DIR/figures: removed again where this run made them, if it fails */
    int rc = 0, nout = 0;
    const char *title = o->title && *o->title ? o->title : "coopmap report";
    if (o->n_maps < 1 || o->bin < 1 || o->top < 1)
        return cm_fail(err, "report: needs at least one map, bin >= 1 and top >= 1");

    /* the figures first: a table that cannot be read stops everything here */
    int k_map = F.n;
    for (int m = 0; m < o->n_maps; m++) {
        cm_mapfig_opts_t mo = o->map;
        char mt[512];
        snprintf(mt, sizeof mt, "Cooperativity map: %s", o->maps[m].name);
        mo.title = mt;
        mo.prov = o->prov;
        char *fn = safe_name("map", o->maps[m].name);
        DRAW(&F, fn, cm_fig_map(fp, &o->maps[m], &mo, err));
    }
    int k_panel = -1;
    if (o->n_maps >= 2) {
        cm_mapfig_opts_t mo = o->map;
        mo.title = "Cooperativity maps side by side (one colour scale)";
        mo.prov = o->prov;
        k_panel = F.n;
        char *fn = cm_strdup("maps_panel.svg");
        DRAW(&F, fn, cm_fig_map_panel(fp, o->maps, o->n_maps, &mo, err));
    }
    int k_prof = F.n;
    {
        char *fn = cm_strdup("distance_profile.svg");
        DRAW(&F, fn, cm_fig_profile(fp, o->maps, o->n_maps, o->bin,
                                    "Knockout effect on the target against distance", o->prov, err));
    }
    int k_rank = F.n;
    for (int m = 0; m < o->n_maps; m++) {
        char t[512];
        snprintf(t, sizeof t, "Largest absolute self-effects — %s", o->maps[m].name);
        char *fn = safe_name("ranking", o->maps[m].name);
        DRAW(&F, fn, cm_fig_ranking(fp, o->maps[m].ef, o->top, t, o->prov, err));
    }
    int k_sat = F.n;
    for (int s = 0; s < o->n_sat; s++) {
        char t[512];
        const char *nm = o->sat[s].name && *o->sat[s].name ? o->sat[s].name : NULL;
        snprintf(t, sizeof t, "Saturation mutagenesis%s%s", nm ? " — " : "", nm ? nm : "");
        char *fn = safe_name("saturation", nm);
        DRAW(&F, fn, cm_fig_saturation_file(fp, o->sat[s].path, o->sat[s].sources, o->region,
                                            o->sat_max_bp, t, o->prov, err));
    }
    if (o->n_motif_names && motif_names(o, &names, err) < 0) { rc = -1; goto done; }
    const cm_labels_t *nm = o->n_motif_names ? &names : NULL;
    int k_tom = -1, k_jos = -1;
    if (o->tomtom) {
        k_tom = F.n;
        char *fn = cm_strdup("tomtom.svg");
        DRAW(&F, fn, cm_fig_tomtom(fp, o->tomtom, o->tomtom_thresh, o->tomtom_evalue, nm,
                                   "Motif comparison (Tomtom): −log10 E, significant matches boxed",
                                   o->prov, err));
    }
    if (o->jos) {
        k_jos = F.n;
        char *fn = cm_strdup("jos.svg");
        DRAW(&F, fn, cm_fig_jos_file(fp, o->jos, "Jaccard Overlap Score per TF", o->prov, err));
    }
    /* patterns: per map (a) Tomtom heatmap, (b) JOS bars, (c) the table (read here) */
    k_ptom = cm_malloc(sizeof(int) * (o->n_pat + 1));
    k_pjos = cm_malloc(sizeof(int) * (o->n_pat + 1));
    ptab = cm_calloc(o->n_pat + 1, sizeof *ptab);
    for (int i = 0; i < o->n_pat; i++) {
        const cm_report_patterns_t *p = &o->pat[i];
        const char *pn = p->name && *p->name ? p->name : NULL;
        char t[512];
        k_ptom[i] = k_pjos[i] = -1;
        if (p->tomtom) {
            snprintf(t, sizeof t, "Patterns vs motifs (Tomtom): −log10 E, %s ≤ %g boxed%s%s",
                     o->tomtom_evalue ? "E" : "q", o->tomtom_thresh, pn ? " — " : "", pn ? pn : "");
            k_ptom[i] = F.n;
            char *fn = safe_name("patterns_tomtom", pn);
            DRAW(&F, fn, cm_fig_tomtom(fp, p->tomtom, o->tomtom_thresh, o->tomtom_evalue, nm, t,
                                       o->prov, err));
        }
        if (p->jos) {
            snprintf(t, sizeof t, "Jaccard Overlap Score of the patterns per head%s%s",
                     pn ? " — " : "", pn ? pn : "");
            k_pjos[i] = F.n;
            char *fn = safe_name("patterns_jos", pn);
            DRAW(&F, fn, cm_fig_jos_file(fp, p->jos, t, o->prov, err));
        }
        if (p->tsv && read_patterns(p->tsv, &ptab[i], err) < 0) { rc = -1; goto done; }
        if (p->tsv && p->tomtom &&
            best_matches(p->tomtom, o->tomtom_thresh, o->tomtom_evalue, &ptab[i], err) < 0) {
            rc = -1;
            goto done;
        }
    }

    /* the page */
    if (!(h = open_memstream(&html, &hlen))) { rc = cm_fail(err, "out of memory"); goto done; }
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", h);
    cm_svg_esc(h, title);
    fprintf(h, "</title>\n<meta name=\"generator\" content=\"coopmap-stats %s\">\n<style>\n%s</style>\n</head>\n<body>\n",
            COOPMAP_VERSION, css);
    if (o->prov) { fputs("<!-- ", h); cm_svg_esc(h, o->prov); fputs(" -->\n", h); }
    fputs("<header><h1>", h);
    cm_svg_esc(h, title);
    fprintf(h, "</h1><p>coopmap %s &middot; %d map%s &middot; test: ", COOPMAP_VERSION, o->n_maps,
            o->n_maps == 1 ? "" : "s");
    cm_svg_esc(h, o->test ? o->test : "t");
    fputs(" &middot; correction: ", h);
    cm_svg_esc(h, o->correction ? o->correction : "bh");
    fprintf(h, " &middot; cells masked when q &gt; %g</p></header>\n", o->map.alpha > 0 ? o->map.alpha : 0.05);
    fputs("<nav><a href=\"#maps\">Cooperativity maps</a><a href=\"#top\">Strongest cells</a>"
          "<a href=\"#distance\">Distance</a><a href=\"#ranking\">Ranking</a>", h);
    if (o->n_sat) fputs("<a href=\"#saturation\">Saturation mutagenesis</a>", h);
    if (o->n_pat) fputs("<a href=\"#patterns\">Patterns</a>", h);
    if (o->tomtom || o->jos) fputs("<a href=\"#motifs\">Motif comparison</a>", h);
    fputs("<a href=\"#run\">Run</a></nav>\n<main>\n", h);

    section_open(h, "maps", "Cooperativity maps");
    fputs("<p>Rows: the TF whose predicted binding is read (source); columns: the TF whose motif "
          "is knocked out (target); diagonal (outlined): self-effects. Colour: signed "
          "&minus;log10 p of the mean knockout effect (red: knocking the target out raises the "
          "prediction, blue: lowers it). Hatched: q above the threshold; blank: not tested.</p>\n", h);
    if (k_panel >= 0) inline_svg(h, &F.f[k_panel], k_panel);
    for (int m = 0; m < o->n_maps; m++) inline_svg(h, &F.f[k_map + m], k_map + m);
    fputs("</section>\n", h);

    section_open(h, "top", "Strongest cells");
    fputs("<p>Unmasked self and pair cells of every map, by score; click a column to sort. "
          "<em>family</em>: the cells whose p-values were corrected together (each map on its "
          "own); 95% CI: t-based interval of the mean knockout effect; Cohen's d = mean / sd.</p>\n", h);
    top_table(h, o, 1);
    top_table(h, o, -1);
    fputs("</section>\n", h);

    section_open(h, "distance", "Knockout effect against distance");
    inline_svg(h, &F.f[k_prof], k_prof);
    fputs("</section>\n", h);

    section_open(h, "ranking", "TFs with the largest absolute effects");
    for (int m = 0; m < o->n_maps; m++) inline_svg(h, &F.f[k_rank + m], k_rank + m);
    fputs("</section>\n", h);

    if (o->n_sat) {
        section_open(h, "saturation", "Saturation mutagenesis");
        fputs("<p>Letter height: the importance of the observed base (its &Delta; against the "
              "mean over A, C, G, T); motif sites drawn under the tracks.</p>\n", h);
        for (int s = 0; s < o->n_sat; s++) inline_svg(h, &F.f[k_sat + s], k_sat + s);
        fputs("</section>\n", h);
    }
    if (o->n_pat) {
        section_open(h, "patterns", "Patterns learned by the model");
        fprintf(h, "<p>Seqlets (windows of high summed importance of the observed bases, called "
                "against a shuffled null at an FDR) clustered into patterns per head and sign "
                "(coopmap-patterns), then compared with a motif database. (a) &minus;log10 E of "
                "each pattern (row) against the motifs (columns) with a match %s &le; %g (boxed); "
                "(b) Jaccard Overlap Score per head: 1 when the head's patterns match the same "
                "motifs, 0 when they match disjoint sets; (c) each pattern's seqlets, the "
                "sequences (regions) holding one and their share of the sequences, and its best "
                "match (smallest q-value).</p>\n",
                o->tomtom_evalue ? "E" : "q", o->tomtom_thresh);
        for (int i = 0; i < o->n_pat; i++) {
            const cm_report_patterns_t *p = &o->pat[i];
            if (p->name && *p->name) {
                fputs("<h3>", h);
                cm_svg_esc(h, p->name);
                fputs("</h3>\n", h);
            }
            if (k_ptom[i] >= 0) inline_svg(h, &F.f[k_ptom[i]], k_ptom[i]);
            if (k_pjos[i] >= 0) inline_svg(h, &F.f[k_pjos[i]], k_pjos[i]);
            if (p->tsv) patterns_table(h, &ptab[i], p->tomtom != NULL, &names, o->tomtom_thresh,
                                       o->tomtom_evalue);
        }
        fputs("</section>\n", h);
    }
    if (k_tom >= 0 || k_jos >= 0) {
        section_open(h, "motifs", "Motif comparison");
        if (k_tom >= 0) inline_svg(h, &F.f[k_tom], k_tom);
        if (k_jos >= 0) inline_svg(h, &F.f[k_jos], k_jos);
        fputs("</section>\n", h);
    }

    section_open(h, "run", "Run");
    fputs("<h3>Input tables</h3>\n<p>Each table's first provenance line gives the tool, its version "
          "and the command (the parameters) that wrote it.</p>\n"
          "<table class=\"sortable\"><thead><tr><th>role</th><th>file</th><th>bytes</th>"
          "<th>MD5</th><th>written by</th></tr></thead><tbody>\n", h);
    for (int i = 0; i < o->n_map_inputs && rc == 0; i++) rc = input_row(h, "effects", o->map_inputs[i], err);
    for (int s = 0; s < o->n_sat && rc == 0; s++) rc = input_row(h, "saturation", o->sat[s].path, err);
    for (int s = 0; s < o->n_sat && rc == 0; s++)
        if (o->sat[s].sources) rc = input_row(h, "sources", o->sat[s].sources, err);
    if (rc == 0 && o->tomtom) rc = input_row(h, "motif comparison", o->tomtom, err);
    if (rc == 0 && o->jos) rc = input_row(h, "JOS", o->jos, err);
    for (int i = 0; i < o->n_pat && rc == 0; i++) {
        const cm_report_patterns_t *p = &o->pat[i];
        if (p->tsv) rc = input_row(h, "patterns", p->tsv, err);
        if (rc == 0 && p->tomtom) rc = input_row(h, "patterns vs motifs", p->tomtom, err);
        if (rc == 0 && p->jos) rc = input_row(h, "patterns JOS", p->jos, err);
    }
    for (int i = 0; i < o->n_motif_names && rc == 0; i++)
        rc = input_row(h, "motif names", o->motif_names[i], err);
    if (rc == 0 && o->run_info) rc = input_row(h, "run info", o->run_info, err);
    if (rc < 0) goto done;
    fputs("</tbody></table>\n", h);
    if (o->prov) {
        fputs("<h3>This report</h3>\n<p><code>", h);
        cm_svg_esc(h, o->prov);
        fputs("</code></p>\n", h);
    }
    if (o->run_info && (rc = run_info(h, o->run_info, err)) < 0) goto done;
    fputs("</section>\n</main>\n<script>\n", h);
    fputs(js, h);
    fputs("</script>\n</body>\n</html>\n", h);
    if (fclose(h)) { h = NULL; rc = cm_fail(err, "out of memory"); goto done; }
    h = NULL;

    /* all files, atomically and together */
    size_t dn = strlen(o->dir) + 16;
    char *figdir = cm_malloc(dn);
    snprintf(figdir, dn, "%s/figures", o->dir);
    od = cm_outdir_open(figdir, err);
    free(figdir);
    if (!od) { rc = -1; goto done; }
    out = cm_calloc(F.n + 1, sizeof *out);
    for (int i = 0; i <= F.n; i++) {
        const char *name = i < F.n ? F.f[i].file : "index.html";
        size_t pn = strlen(o->dir) + strlen(name) + 16;
        char *path = cm_malloc(pn);
        snprintf(path, pn, "%s/%s%s", o->dir, i < F.n ? "figures/" : "", name);
        out[i] = cm_out_open(path, err);
        free(path);
        if (!out[i]) { rc = -1; break; }
        nout = i + 1;
        if (i < F.n) fwrite(F.f[i].svg, 1, F.f[i].len, out[i]->fp);
        else fwrite(html, 1, hlen, out[i]->fp);
    }
    if (rc == 0) rc = cm_out_commit_all(out, nout, err);
    else for (int i = 0; i < nout; i++) cm_out_abort(out[i]);
done:
    cm_outdir_close(od, rc == 0);
    for (int i = 0; ptab && i < o->n_pat; i++) ptab_free(&ptab[i]);
    free(ptab);
    free(k_ptom);
    free(k_pjos);
    cm_labels_free(&names);
    if (h) fclose(h);
    free(html);
    free(out);
    figs_free(&F);
    return rc;
}

/* ---- inputs ---- */

/* Index of name in names[0..n), or n. */
static int name_index(const char *const *names, int n, const char *name)
{
    int m = 0;
    while (m < n && strcmp(names[m], name)) m++;
    return m;
}

int cm_report_attach_sources(cm_report_file_t *sat, int n_sat, const cm_report_file_t *src,
                             int n_src, const char *const *names, int n_names, cm_err_t *err)
{
    for (int s = 0; s < n_sat; s++)
        if (sat[s].name && name_index(names, n_names, sat[s].name) == n_names)
            return cm_fail(err, "--saturation: no map named '%s'", sat[s].name);
    for (int k = 0; k < n_src; k++) {   /* sites for the tracks of that name */
        int hit = 0;
        for (int s = 0; s < n_sat; s++)
            if (!src[k].name || (sat[s].name && !strcmp(sat[s].name, src[k].name))) {
                if (!sat[s].sources || src[k].name) sat[s].sources = src[k].path;
                hit = 1;
            }
        if (!hit)
            return cm_fail(err, "--sources: no saturation table named '%s'",
                           src[k].name ? src[k].name : "");
    }
    return 0;
}

int cm_report_group_patterns(const cm_report_file_t *tsv, int n_tsv, const cm_report_file_t *tomtom,
                             int n_tomtom, const cm_report_file_t *jos, int n_jos,
                             const char *const *names, int n_names, cm_report_patterns_t **out,
                             int *n_out, cm_err_t *err)
{
    static const char *const opt[3] = { "--patterns", "--patterns-tomtom", "--patterns-jos" };
    const cm_report_file_t *pf[3] = { tsv, tomtom, jos };
    const int npf[3] = { n_tsv, n_tomtom, n_jos };
    cm_report_patterns_t *pat = NULL;
    int n_pat = 0, c_pat = 0, rc = 0;
    for (int k = 0; k < 3 && rc == 0; k++)
        for (int i = 0; i < npf[k] && rc == 0; i++) {
            const char *name = pf[k][i].name;
            if (name && name_index(names, n_names, name) == n_names) {
                rc = cm_fail(err, "%s: no map named '%s'", opt[k], name);
                break;
            }
            int g = 0;
            while (g < n_pat && !((!name && !pat[g].name)
                                  || (name && pat[g].name && !strcmp(name, pat[g].name))))
                g++;
            if (g == n_pat) {
                pat = cm_grow(pat, n_pat, &c_pat, sizeof *pat, 4);
                pat[n_pat++] = (cm_report_patterns_t){ .name = name };
            }
            const char **slot = k == 0 ? &pat[g].tsv : k == 1 ? &pat[g].tomtom : &pat[g].jos;
            if (*slot) {
                rc = cm_fail(err, "%s: two tables for %s%s%s", opt[k], name ? "map '" : "no map name",
                             name ? name : "", name ? "'" : "");
                break;
            }
            *slot = pf[k][i].path;
        }
    *out = pat;
    *n_out = n_pat;
    return rc;
}
