/* Unit tests for stats/mapfig.c (and the core/svg.c primitives it uses): clustered
 * row/column order of a hand-made map, one colour scale across a panel, distance-
 * profile points at hand-computed means and standard errors, the TF ranking order, a
 * 120-TF map within a sane canvas, "no data" figures, errors.  Every SVG is checked to
 * be well-formed XML (a small checker below: nesting, quoting, entities) and to start
 * with a document <title>.
 *
 * With CM_FIG_DIR set, every figure is also written there as NAME.svg, e.g.
 *   mkdir -p /tmp/figs && CM_FIG_DIR=/tmp/figs build/tests/test_mapfig &&
 *   /usr/bin/python3 -c 'import xml.etree.ElementTree as E,sys; [E.parse(f) for f in sys.argv[1:]]' /tmp/figs/[a-z]*.svg
 */
#include "check.h"
#include "core/svg.h"
#include "stats/effects.h"
#include "stats/mapfig.h"
#include "stats/stats.h"

#include <ctype.h>

/* ---- helpers -------------------------------------------------------------------- */

/* A TF table without rows (names copied). */
static void mk_ef(cm_effects_t *ef, const char *const *names, int n)
{
    cm_effects_init(ef);
    ef->tf = cm_malloc(sizeof *ef->tf * (size_t)(n + 1));
    for (int i = 0; i < n; i++) ef->tf[i] = cm_strdup(names[i]);
    ef->n_tf = n;
}

static void add_row(cm_effects_t *ef, int is_pair, int homotypic, int src, int tgt, double dist, double ds, double dt)
{
    if (ef->n == ef->m) {
        ef->m = ef->m ? 2 * ef->m : 16;
        ef->e = cm_realloc(ef->e, sizeof *ef->e * ef->m);
    }
    ef->e[ef->n++] = (cm_effect_t){ is_pair, homotypic, src, tgt, is_pair ? dist : -1, ds, is_pair ? dt : NAN, NAN };
}

/* Cells of an n x n map: state[i*n+j] 0 = none (untested), 1 = masked, 2 = shown with
 * score sc[i*n+j]; kind self on the diagonal, pair elsewhere. */
static void mk_cells(cm_cells_t *cells, int n, const double *sc, const unsigned char *state)
{
    cells->c = cm_calloc((size_t)n * n + 1, sizeof *cells->c);
    cells->n = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int st = state ? state[i * n + j] : 2;
            if (!st) continue;
            cm_cell_t *c = &cells->c[cells->n++];
            c->kind = i == j ? CM_CELL_SELF : CM_CELL_PAIR;
            c->src = i, c->tgt = j;
            c->tt.n = 3;
            c->tt.score = sc[i * n + j];
            c->masked = st == 1;
            c->q = st == 1 ? 0.5 : 0.01;
        }
}

static void save(const char *name, const char *buf)
{
    const char *dir = getenv("CM_FIG_DIR");
    if (!dir || !*dir) return;
    char path[512];
    snprintf(path, sizeof path, "%s/%s.svg", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp) { printf("# cannot write %s\n", path); return; }
    fputs(buf, fp);
    fclose(fp);
}

/* Small XML well-formedness check: declaration, comments (no "--" inside), balanced
 * and matching tags, quoted attributes without '<', entities only &amp; &lt; &gt;
 * &quot; &apos; &#N;, exactly one root element.  Returns 1 when well-formed. */
static int entity_ok(const char *p)
{
    static const char *const ent[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
    for (int i = 0; i < 5; i++) if (!strncmp(p, ent[i], strlen(ent[i]))) return (int)strlen(ent[i]);
    if (p[1] == '#') {
        int k = 2;
        while (isdigit((unsigned char)p[k])) k++;
        if (k > 2 && p[k] == ';') return k + 1;
    }
    return 0;
}

static int xml_ok(const char *s)
{
    const char *stack[64];
    size_t len[64];
    int sp = 0, roots = 0;
    const char *p = s;
    if (strncmp(p, "<?xml ", 6)) return 0;
    p = strstr(p, "?>");
    if (!p) return 0;
    p += 2;
    while (*p) {
        if (*p == '<') {
            if (!strncmp(p, "<!--", 4)) {
                const char *e = strstr(p + 4, "-->");
                if (!e) return 0;
                for (const char *q = p + 4; q < e; q++) if (q[0] == '-' && q[1] == '-') return 0;
                p = e + 3;
                continue;
            }
            int close = p[1] == '/';
            const char *nm = p + 1 + close;
            size_t nl = 0;
            while (isalnum((unsigned char)nm[nl]) || nm[nl] == '-' || nm[nl] == ':' || nm[nl] == '_') nl++;
            if (!nl) return 0;
            const char *q = nm + nl;
            if (close) {
                while (isspace((unsigned char)*q)) q++;
                if (*q != '>' || !sp || len[sp - 1] != nl || strncmp(stack[sp - 1], nm, nl)) return 0;
                sp--;
                p = q + 1;
                continue;
            }
            /* attributes */
            for (;;) {
                while (isspace((unsigned char)*q)) q++;
                if (*q == '>' || (q[0] == '/' && q[1] == '>')) break;
                size_t al = 0;
                while (isalnum((unsigned char)q[al]) || q[al] == '-' || q[al] == ':' || q[al] == '_') al++;
                if (!al || q[al] != '=' || (q[al + 1] != '"' && q[al + 1] != '\'')) return 0;
                char quote = q[al + 1];
                q += al + 2;
                while (*q && *q != quote) {
                    if (*q == '<') return 0;
                    if (*q == '&') { int k = entity_ok(q); if (!k) return 0; q += k; continue; }
                    q++;
                }
                if (!*q) return 0;
                q++;
            }
            if (sp == 0) roots++;
            if (*q == '/') p = q + 2;
            else {
                if (sp == 64) return 0;
                stack[sp] = nm, len[sp++] = nl;
                p = q + 1;
            }
            continue;
        }
        if (*p == '&') {
            int k = entity_ok(p);
            if (!k) return 0;
            p += k;
            continue;
        }
        if (sp == 0 && !isspace((unsigned char)*p)) return 0;   /* text outside the root */
        p++;
    }
    return sp == 0 && roots == 1;
}

/* Does the document's root <svg> have a non-empty <title> as first child? */
static int doc_title(const char *s, const char *want)
{
    const char *r = strstr(s, "<svg ");
    if (!r || !(r = strchr(r, '>'))) return 0;
    r++;
    while (isspace((unsigned char)*r)) r++;
    if (strncmp(r, "<title>", 7) || r[7] == '<') return 0;
    if (!want) return 1;
    return !strncmp(r + 7, want, strlen(want)) && !strncmp(r + 7 + strlen(want), "</title>", 8);
}

/* The element <g id="ID" ...> ... up to its first "</g>" (groups checked here do
 * not nest), as [*b, *e). */
static int group(const char *s, const char *id, const char **b, const char **e)
{
    char key[96];
    snprintf(key, sizeof key, "<g id=\"%s\"", id);
    *b = strstr(s, key);
    *e = *b ? strstr(*b, "</g>") : NULL;
    return *b && *e;
}

/* Texts of the <text> elements in group ID, joined by "|" into out. */
static void texts(const char *s, const char *id, char *out, size_t n)
{
    const char *b, *e;
    out[0] = 0;
    if (!group(s, id, &b, &e)) return;
    for (const char *q = b; (q = strstr(q, "<text")) && q < e; q++) {
        const char *t = strchr(q, '>') + 1, *te = strstr(t, "</text>");
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%s%.*s", l ? "|" : "", (int)(te - t), t);
    }
}

/* fill="..." of the <rect> whose tooltip is exactly TIP, inside group ID. */
static const char *fill_of(const char *s, const char *id, const char *tip, char *out)
{
    const char *b, *e;
    char key[160];
    out[0] = 0;
    if (!group(s, id, &b, &e)) return out;
    snprintf(key, sizeof key, "<title>%s</title>", tip);
    const char *t = strstr(b, key);
    if (!t || t > e) return out;
    const char *r = t;
    while (r > b && strncmp(r, "<rect", 5)) r--;
    const char *f = strstr(r, "fill=\"");
    if (f && f < t) snprintf(out, 32, "%.*s", (int)(strchr(f + 6, '"') - f - 6), f + 6);
    return out;
}

static int count(const char *b, const char *e, const char *what)
{
    int n = 0;
    for (const char *q = b; (q = strstr(q, what)) && (!e || q < e); q++) n++;
    return n;
}

/* Numeric attribute NAME="..." of the element starting at el. */
static double attr_num(const char *el, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *a = strstr(el, key), *end = strchr(el, '>');
    return a && a < end ? strtod(a + strlen(key), NULL) : NAN;
}

/* Start of the element TAG ("<rect") that contains position q. */
static const char *elem_at(const char *s, const char *q, const char *tag)
{
    if (!q) return NULL;
    while (q > s && strncmp(q, tag, strlen(tag))) q--;
    return q;
}

/* The <circle> of series SERIES at bin start B (NULL if none). */
static const char *point(const char *s, const char *series, long b)
{
    char key[128];
    snprintf(key, sizeof key, "data-series=\"%s\" data-bin-start=\"%ld\"", series, b);
    const char *k = strstr(s, key);
    if (!k) return NULL;
    while (k > s && strncmp(k, "<circle", 7)) k--;
    return k;
}

/* The tooltip text following element el. */
static void tip_of(const char *el, char *out, size_t n)
{
    const char *t = strstr(el, "<title>");
    out[0] = 0;
    if (t) snprintf(out, n, "%.*s", (int)(strstr(t, "</title>") - t - 7), t + 7);
}

static char *draw_panel(const cm_mapview_t *m, int n, const cm_mapfig_opts_t *o, int *rc, cm_err_t *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    *rc = n == 1 ? cm_fig_map(fp, m, o, err) : cm_fig_map_panel(fp, m, n, o, err);
    fclose(fp);
    return buf;
}

static char *draw_profile(const cm_mapview_t *m, int n, long bin, const char *title, int *rc, cm_err_t *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    *rc = cm_fig_profile(fp, m, n, bin, title, "prov --x", err);
    fclose(fp);
    return buf;
}

static char *draw_ranking(const cm_effects_t *ef, int top, int *rc, cm_err_t *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    *rc = cm_fig_ranking(fp, ef, top, "TF ranking", NULL, err);
    fclose(fp);
    return buf;
}

/* canvas size from the root element */
static void canvas(const char *s, double *w, double *h)
{
    const char *r = strstr(s, "<svg ");
    *w = r ? attr_num(r, "width") : NAN;
    *h = r ? attr_num(r, "height") : NAN;
}

int main(void)
{
    cm_err_t err = { { 0 } };
    char t[4096], c1[32], c2[32], want[32];
    int rc;

    /* ---- clustering of a hand-made 4-TF map ----
     * scores (rows source A..D, columns target A..D), all shown:
     *   A:  5 -1  4  0        row distances (Euclidean): d(A,C) = sqrt(1+1+1+1) = 2,
     *   B: -3  2 -3  1        d(B,D) = sqrt(1+1+0+1) = sqrt 3, every other pair > 10.
     *   C:  4  0  5 -1        UPGMA: {B,D} at sqrt 3 (cluster 4), {A,C} at 2 (cluster 5),
     *   D: -2  1 -3  2        root (4, 5) at (d(A,B)+d(A,D)+d(C,B)+d(C,D))/4 =
     *                         (sqrt 123 + sqrt 106 + 11 + sqrt 110)/4 = 10.7186.
     * Children in scipy's order (smaller cluster id first): rows B D A C.
     * Columns: d(A,C) = sqrt(1+0+1+1) = sqrt 3 first (cluster 4), d(B,D) = 2 (5): A C B D.
     * scipy: linkage(pdist(M), 'average') -> leaves_list [1 3 0 2], columns [0 2 1 3]. */
    const char *n4[4] = { "A", "B", "C", "D" };
    double m4[16] = { 5, -1, 4, 0, -3, 2, -3, 1, 4, 0, 5, -1, -2, 1, -3, 2 };
    cm_effects_t ef4;
    cm_cells_t cl4;
    mk_ef(&ef4, n4, 4);
    mk_cells(&cl4, 4, m4, NULL);
    cm_mapview_t v4 = { "K562", &ef4, &cl4 };
    {
        cm_mapfig_opts_t o = { .cluster = 1, .title = "clustered & <sorted>" };
        char *s = draw_panel(&v4, 1, &o, &rc, &err);
        save("map_cluster4", s);
        CHECK(rc == 0 && xml_ok(s), "cluster 4: valid XML");
        CHECK(doc_title(s, "clustered &amp; &lt;sorted&gt;"), "cluster 4: document <title> = escaped title");
        texts(s, "map1-row-labels", t, sizeof t);
        CHECK_STR(t, "B|D|A|C", "cluster 4: rows in average-linkage order B D A C");
        texts(s, "map1-col-labels", t, sizeof t);
        CHECK_STR(t, "A|C|B|D", "cluster 4: columns in average-linkage order A C B D");
        const char *b, *e;
        CHECK(group(s, "map1-row-dendrogram", &b, &e) && count(b, e, "<path") == 3
              && strstr(b, "<title>4 source TFs joined at distance 10.72</title>") < e
              && strstr(b, "<title>2 source TFs joined at distance 1.732</title>") < e,
              "cluster 4: row dendrogram: 3 links, root at 10.72, first merge at sqrt 3");
        CHECK(group(s, "map1-col-dendrogram", &b, &e) && count(b, e, "<path") == 3,
              "cluster 4: column dendrogram with 3 links");
        CHECK(group(s, "map1-cells", &b, &e) && count(b, e, "<title>source ") == 16,
              "cluster 4: 16 cells, each with a tooltip");
        /* the (A, A) cell is 5 = the limit: full red, and it is the self-effect */
        CHECK_STR(fill_of(s, "map1-cells", "source A, target A: score 5.00", c1), "#b2182b",
                  "cluster 4: max |score| cell gets the end colour");
        CHECK(group(s, "map1-diagonal", &b, &e) && count(b, e, "<rect") == 4, "cluster 4: 4 self-effect outlines");
        CHECK(!strstr(s, ">-3.0</text>"), "cluster 4: show_values 0 prints no values");
        free(s);
        o.cluster = 0, o.show_values = -1;
        s = draw_panel(&v4, 1, &o, &rc, &err);
        save("map_plain4", s);
        texts(s, "map1-row-labels", t, sizeof t);
        CHECK(rc == 0 && xml_ok(s) && !strcmp(t, "A|B|C|D") && !strstr(s, "dendrogram"),
              "no cluster: rows in name order, no dendrogram");
        CHECK(strstr(s, ">-3.0</text>") && strstr(s, ">masked (q &gt; 0.05)</text>")
              && strstr(s, ">score: signed \xe2\x88\x92log10 p</text>"),
              "no cluster: auto cell values, legend, colour-bar units");
        free(s);
    }
    {   /* masked cells count as 0 in the distances: rows A (all masked = 0 0 0),
         * B = 5 5 5, C = 0.5 0.5 0.5: d(A,C) = sqrt .75 is the smallest, so {A,C}
         * (cluster 3) joins B at the root: children (1, 3) -> rows B A C. */
        const char *n3[3] = { "A", "B", "C" };
        double m3[9] = { 9, 9, 9, 5, 5, 5, 0.5, 0.5, 0.5 };
        unsigned char s3[9] = { 1, 1, 1, 2, 2, 2, 2, 2, 2 };
        cm_effects_t ef;
        cm_cells_t cl;
        mk_ef(&ef, n3, 3);
        mk_cells(&cl, 3, m3, s3);
        cm_mapview_t v = { NULL, &ef, &cl };
        cm_mapfig_opts_t o = { .cluster = 1 };
        char *s = draw_panel(&v, 1, &o, &rc, &err);
        texts(s, "map1-row-labels", t, sizeof t);
        CHECK(rc == 0 && xml_ok(s), "masked rows: valid");
        CHECK_STR(t, "B|A|C", "masked cells are 0 in the clustering: rows B A C");
        CHECK(doc_title(s, "Cooperativity map"), "unnamed map: default document title");
        CHECK(count(s, NULL, "url(#hatch)\"><title>source A") == 3, "masked row drawn hatched");
        free(s);
        cm_cells_free(&cl);
        cm_effects_free(&ef);
    }

    /* ---- panel: one colour scale ----
     * map 1: (A,B) = 2, (A,A) = 4;  map 2: (A,B) = 2, (B,B) = -8 -> shared limit 8, so
     * the two (A,B) cells have the same colour, cm_svg_colour(2, 8), not (2, 4). */
    {
        const char *n2[2] = { "A", "B" };
        double a[4] = { 4, 2, 0, 0 }, b[4] = { 0, 2, 0, -8 };
        unsigned char sa[4] = { 2, 2, 0, 0 }, sb[4] = { 0, 2, 0, 2 };
        cm_effects_t e1, e2;
        cm_cells_t k1, k2;
        mk_ef(&e1, n2, 2); mk_ef(&e2, n2, 2);
        mk_cells(&k1, 2, a, sa); mk_cells(&k2, 2, b, sb);
        cm_mapview_t v[2] = { { "K562", &e1, &k1 }, { "HepG2 <x>", &e2, &k2 } };
        CHECK_NEAR(cm_map_maxabs(&v[0]), 4, 0, 0, "maxabs: map 1 = 4");
        CHECK_NEAR(cm_map_maxabs(&v[1]), 8, 0, 0, "maxabs: map 2 = 8 (|negative|)");
        cm_mapfig_opts_t o = { .cluster = 1, .prov = "coopmap-report --x" };
        char *s = draw_panel(v, 2, &o, &rc, &err);
        save("map_panel2", s);
        CHECK(rc == 0 && xml_ok(s), "panel: valid XML");
        CHECK(doc_title(s, "Cooperativity maps: K562, HepG2 &lt;x&gt;"), "panel: default title names the maps");
        fill_of(s, "map1-cells", "source A, target B: score 2.00", c1);
        fill_of(s, "map2-cells", "source A, target B: score 2.00", c2);
        CHECK(c1[0] == '#' && !strcmp(c1, c2), "panel: equal scores, equal colours in both maps");
        CHECK_STR(c1, cm_svg_colour(2, 8, want), "panel: colour on the shared limit 8");
        CHECK(count(s, NULL, "id=\"colour-bar\"") == 1 && count(s, NULL, "id=\"legend\"") == 1,
              "panel: one colour bar, one legend");
        const char *gb, *ge;
        CHECK(group(s, "colour-bar", &gb, &ge) && strstr(gb, ">8.0</text>") < ge && strstr(gb, ">-8.0</text>") < ge,
              "panel: colour bar spans -8..8");
        CHECK(strstr(s, ">K562</text>") && strstr(s, ">HepG2 &lt;x&gt;</text>") && strstr(s, "data-name=\"HepG2 &lt;x&gt;\""),
              "panel: maps titled with their (escaped) names");
        CHECK(strstr(s, "<!-- coopmap-report - -x -->") != NULL, "panel: provenance comment");
        free(s);
        o.lim = 10;
        s = draw_panel(v, 2, &o, &rc, &err);
        CHECK_STR(fill_of(s, "map2-cells", "source A, target B: score 2.00", c2), cm_svg_colour(2, 10, want),
                  "panel: o.lim overrides the limit");
        free(s);
        /* single map: its own limit 4 */
        o.lim = 0;
        s = draw_panel(v, 1, &o, &rc, &err);
        CHECK_STR(fill_of(s, "map1-cells", "source A, target B: score 2.00", c1), cm_svg_colour(2, 4, want),
                  "single map: limit = its own max |score|");
        free(s);
        cm_cells_free(&k1); cm_cells_free(&k2);
        cm_effects_free(&e1); cm_effects_free(&e2);
    }

    /* ---- distance profile ----
     * K562, heterotypic rows, bins of 50 bp:
     *   [0,50):   0.15 0.35 0.15 0.35 -> mean 0.25, deviations +-0.1, s^2 = 0.04/3,
     *             se = s/2 = 0.1/sqrt 3 = 0.057735 (n 4)
     *   [50,100): nothing (skipped);  [100,150): -0.2 (n 1, no error bar)
     *   homotypic row at 10 bp (5.0) and self rows are left out.
     * HepG2: [0,50): 0.45 0.05 -> mean 0.25, s^2 = 0.08, se = sqrt(0.08/2) = 0.2 (n 2)
     * all (pooled): [0,50): mean 1.5/6 = 0.25, SS = 4(0.01) + 2(0.04) = 0.12,
     *             se = sqrt(0.12/5/6) = sqrt 0.004 = 0.063246 (n 6); [100,150): -0.2 (n 1). */
    {
        const char *nm[3] = { "A", "B", "C" };
        cm_effects_t e1, e2;
        mk_ef(&e1, nm, 3); mk_ef(&e2, nm, 3);
        add_row(&e1, 0, 0, 0, -1, 0, 0.9, 0);
        add_row(&e1, 1, 0, 0, 1, 10, NAN, 0.15);
        add_row(&e1, 1, 0, 1, 0, 20, NAN, 0.35);
        add_row(&e1, 1, 0, 0, 2, 30, NAN, 0.15);
        add_row(&e1, 1, 0, 2, 1, 49.5, NAN, 0.35);
        add_row(&e1, 1, 1, 0, 0, 10, NAN, 5.0);
        add_row(&e1, 1, 0, 1, 2, 120, NAN, -0.2);
        add_row(&e2, 1, 0, 0, 1, 5, NAN, 0.45);
        add_row(&e2, 1, 0, 1, 0, 45, NAN, 0.05);
        cm_mapview_t v[2] = { { "K562", &e1, NULL }, { "HepG2", &e2, NULL } };
        char *s = draw_profile(v, 2, 50, "distance & effect", &rc, &err);
        save("profile2", s);
        CHECK(rc == 0 && xml_ok(s) && doc_title(s, "distance &amp; effect"), "profile: valid, titled");
        const char *p = point(s, "K562", 0), *ph = point(s, "HepG2", 0), *pa = point(s, "all", 0);
        CHECK(p && attr_num(p, "data-n") == 4, "profile K562 [0,50): n 4 (homotypic row left out)");
        CHECK_NEAR(p ? attr_num(p, "data-mean") : NAN, 0.25, 1e-12, 0, "profile K562 [0,50): mean 0.25");
        CHECK_NEAR(p ? attr_num(p, "data-se") : NAN, 0.1 / sqrt(3), 1e-12, 0, "profile K562 [0,50): se 0.1/sqrt 3");
        if (p) tip_of(p, t, sizeof t);
        CHECK_STR(t, "K562, bin 0-50 bp: mean 0.25 \xc2\xb1 0.05774 (n 4)", "profile K562 [0,50): tooltip");
        CHECK_NEAR(ph ? attr_num(ph, "data-se") : NAN, 0.2, 1e-12, 0, "profile HepG2 [0,50): se 0.2");
        CHECK(pa && attr_num(pa, "data-n") == 6, "profile all [0,50): n 6 pooled");
        CHECK_NEAR(pa ? attr_num(pa, "data-mean") : NAN, 0.25, 1e-12, 0, "profile all [0,50): mean 0.25");
        CHECK_NEAR(pa ? attr_num(pa, "data-se") : NAN, sqrt(0.004), 1e-12, 0, "profile all [0,50): se sqrt 0.004");
        CHECK(!point(s, "K562", 50) && !point(s, "all", 50), "profile: empty bin [50,100) skipped");
        const char *p1 = point(s, "K562", 100);
        if (p1) tip_of(p1, t, sizeof t);
        CHECK(p1 && attr_num(p1, "data-n") == 1 && isnan(attr_num(p1, "data-se"))
              && !strcmp(t, "K562, bin 100-150 bp: mean -0.2 (n 1)"), "profile: n = 1 bin, no s.e.");
        CHECK(count(s, NULL, "class=\"series\"") == 3 && !point(s, "HepG2", 100), "profile: 2 maps + pooled = 3 series");
        /* geometry: error bars centred on the point, half-lengths proportional to se */
        double cy = p ? attr_num(p, "cy") : NAN, cyh = ph ? attr_num(ph, "cy") : NAN;
        const char *eb = strstr(s, "class=\"error-bar\"");   /* first: K562 [0,50) */
        double x, ya, yb, xb, ya2, yb2;
        int ok = eb && sscanf(strstr(eb, "d=\"M") + 4, "%lf %lfV%lf", &x, &ya, &yb) == 3;
        const char *eh = strstr(s, "data-series=\"HepG2\" stroke");
        eh = eh ? strstr(eh, "class=\"error-bar\"") : NULL;
        ok = ok && eh && sscanf(strstr(eh, "d=\"M") + 4, "%lf %lfV%lf", &xb, &ya2, &yb2) == 3;
        CHECK(ok && fabs((ya + yb) / 2 - cy) < 0.02 && fabs((ya2 + yb2) / 2 - cyh) < 0.02 && fabs(cy - cyh) < 0.01,
              "profile: error bars centred on equal means");
        CHECK(ok && fabs((ya - yb) / (ya2 - yb2) - (0.1 / sqrt(3)) / 0.2) < 0.01,
              "profile: error-bar lengths in the ratio of the s.e.s");
        CHECK(strstr(s, "centre-to-centre distance (bp; bins of 50 bp)") && strstr(s, "knockout \xe2\x88\x92 baseline"),
              "profile: axis titles with units");
        free(s);
        /* one map: no pooled line */
        s = draw_profile(v, 1, 100, NULL, &rc, &err);
        save("profile1", s);
        p = point(s, "K562", 0);
        CHECK(rc == 0 && xml_ok(s) && count(s, NULL, "class=\"series\"") == 1 && !point(s, "all", 0),
              "profile, one map: one series");
        CHECK(p && attr_num(p, "data-n") == 4 && attr_num(p, "data-bin-end") == 100
              && point(s, "K562", 100) && attr_num(point(s, "K562", 100), "data-n") == 1,
              "profile, bin 100: [0,100) holds 4 rows, [100,200) 1");
        free(s);
        /* no heterotypic rows */
        cm_effects_t e3;
        mk_ef(&e3, nm, 3);
        add_row(&e3, 1, 1, 0, 0, 10, NAN, 1);
        cm_mapview_t v3 = { "x", &e3, NULL };
        s = draw_profile(&v3, 1, 50, NULL, &rc, &err);
        CHECK(rc == 0 && xml_ok(s) && strstr(s, ">no data</text>") && doc_title(s, NULL), "profile: no data");
        free(s);
        CHECK(cm_fig_profile(stdout, v, 2, 0, NULL, NULL, &err) == -1 && strstr(err.msg, "bin"), "profile: bin 0 rejected");
        CHECK(cm_fig_profile(stdout, v, 0, 50, NULL, NULL, &err) == -1, "profile: n = 0 rejected");
        cm_effects_free(&e1); cm_effects_free(&e2); cm_effects_free(&e3);
    }

    /* ---- ranking ----
     * self rows: A |0.75|, |-0.25| -> 0.5 (n 2); B 1.0; D -0.5 -> 0.5; C none.
     * A and D tie at 0.5: pair rows |delta_target| A 0.125, D 0.875 -> D first.
     * Order (cm_write_ranking): B, D, A; C left out. */
    {
        const char *nm[4] = { "A", "B", "C", "D" };
        cm_effects_t ef;
        mk_ef(&ef, nm, 4);
        add_row(&ef, 0, 0, 0, -1, 0, 0.75, 0);
        add_row(&ef, 0, 0, 0, -1, 0, -0.25, 0);
        add_row(&ef, 0, 0, 1, -1, 0, 1.0, 0);
        add_row(&ef, 0, 0, 3, -1, 0, -0.5, 0);
        add_row(&ef, 1, 0, 0, 1, 10, NAN, 0.125);
        add_row(&ef, 1, 0, 3, 1, 10, NAN, -0.875);
        add_row(&ef, 1, 0, 2, 1, 10, NAN, 3);
        char *s = draw_ranking(&ef, 0, &rc, &err);
        save("ranking", s);
        CHECK(rc == 0 && xml_ok(s) && doc_title(s, "TF ranking"), "ranking: valid, titled");
        const char *b, *e;
        int ok = group(s, "bars", &b, &e);
        char order[64] = "";
        for (const char *q = b; ok && (q = strstr(q, "data-tf=\"")) && q < e; q++) {
            size_t l = strlen(order);
            snprintf(order + l, sizeof order - l, "%s%c", l ? " " : "", q[9]);
        }
        CHECK_STR(order, "B D A", "ranking: B D A (tie broken by the pair effect), C left out");
        /* the same order as cm_write_ranking */
        char *tsv = NULL;
        size_t tl = 0;
        FILE *fp = open_memstream(&tsv, &tl);
        cm_write_ranking(fp, &ef, NULL);
        fclose(fp);
        CHECK(!strncmp(strchr(tsv, '\n') + 1, "B\t", 2) && strstr(tsv, "\nD\t") < strstr(tsv, "\nA\t"),
              "ranking: cm_write_ranking has the same order");
        free(tsv);
        const char *ra = elem_at(s, strstr(s, "data-tf=\"A\""), "<rect"), *rb = elem_at(s, strstr(s, "data-tf=\"B\""), "<rect");
        CHECK(ra && attr_num(ra, "data-value") == 0.5 && attr_num(ra, "data-n") == 2, "ranking: A's bar value 0.5, n 2");
        texts(s, "bar-labels", t, sizeof t);
        CHECK_STR(t, "B|1|D|0.5|A|0.5", "ranking: name and value labels");
        CHECK_NEAR(rb && ra ? attr_num(rb, "width") / attr_num(ra, "width") : NAN, 2, 1e-3, 0,
                   "ranking: bar lengths proportional (1.0 vs 0.5)");
        free(s);
        s = draw_ranking(&ef, 2, &rc, &err);
        CHECK(rc == 0 && xml_ok(s) && count(s, NULL, "data-tf=") == 2 && !strstr(s, "data-tf=\"A\""), "ranking: top 2");
        free(s);
        CHECK(cm_fig_ranking(stdout, &ef, -1, NULL, NULL, &err) == -1, "ranking: top < 0 rejected");
        cm_effects_free(&ef);
        cm_effects_t e0;
        mk_ef(&e0, nm, 2);
        s = draw_ranking(&e0, 0, &rc, &err);
        CHECK(rc == 0 && xml_ok(s) && strstr(s, ">no data</text>"), "ranking: no self rows = no data");
        free(s);
        cm_effects_free(&e0);
    }

    /* ---- 120 TFs: readable and within a sane canvas ---- */
    {
        enum { N = 120 };
        const char *names[N];
        char nb[N][16];
        for (int i = 0; i < N; i++) { snprintf(nb[i], 16, "TF%03d", i); names[i] = nb[i]; }
        names[7] = "A&B<x>";
        double *sc = cm_malloc(sizeof *sc * N * N);
        unsigned char *st = cm_malloc(N * N);
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                sc[i * N + j] = ((i % 3) - 1) * ((j % 4) - 1.5) * 2 + 0.01 * ((i * 7 + j * 3) % 11);
                st[i * N + j] = (i * 31 + j * 17) % 13 == 0 ? 0 : (i + j) % 9 == 0 ? 1 : 2;
            }
        cm_effects_t ef;
        cm_cells_t cl;
        mk_ef(&ef, names, N);
        mk_cells(&cl, N, sc, st);
        cm_mapview_t v = { "K562", &ef, &cl };
        cm_mapfig_opts_t o = { .cluster = 1, .square = 1, .show_values = -1, .title = "120 TFs" };
        char *s = draw_panel(&v, 1, &o, &rc, &err);
        save("map_cluster120", s);
        double w, h;
        canvas(s, &w, &h);
        printf("# 120-TF clustered map: %.0f x %.0f px, %zu bytes\n", w, h, strlen(s));
        CHECK(rc == 0 && xml_ok(s), "120 TFs: valid XML");
        CHECK(w >= 1200 && w <= 2000 && h >= 1200 && h <= 2000, "120 TFs: canvas grows to fit but stays under 2000 px");
        const char *b, *e;
        CHECK(group(s, "map1-cells", &b, &e) && strstr(b, "width=\"10.00\"") && count(b, e, "<title>") == N * N,
              "120 TFs: 10 px cells, one tooltip per cell");
        CHECK(group(s, "map1-cells", &b, &e) && count(b, e, "fill=\"#000000\" stroke=\"none\"") == 0,
              "120 TFs: no cell values (auto: more than 20 TFs)");
        CHECK(group(s, "map1-row-labels", &b, &e) && count(b, e, "<text") == N && attr_num(b, "font-size") >= 8,
              "120 TFs: 120 row labels at >= 8 px");
        CHECK(group(s, "map1-col-labels", &b, &e) && count(b, e, "rotate(-90 ") == N,
              "120 TFs: 120 vertical column labels");
        CHECK(strstr(s, ">A&amp;B&lt;x&gt;</text>") && !strstr(s, "A&B<"), "120 TFs: names escaped");
        CHECK(group(s, "map1-row-dendrogram", &b, &e) && count(b, e, "<path") == N - 1, "120 TFs: 119 row merges drawn");
        free(s);
        /* the coopmap-stats heatmap on the same data */
        int rows[N], cols[N], nr, nc;
        double *sco = cm_malloc(sizeof *sco * N * N);
        unsigned char *sta = cm_malloc(N * N);
        cm_cells_map(&cl, N, sco, sta);
        cm_map_axes(sta, N, 1, rows, &nr, cols, &nc);
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        cm_svg_opts_t so = { .title = "heatmap 120", .show_values = -1 };
        rc = cm_svg_heatmap(fp, (const char *const *)ef.tf, N, rows, nr, cols, nc, sco, sta, &so, &err);
        fclose(fp);
        save("heatmap120", buf);
        canvas(buf, &w, &h);
        CHECK(rc == 0 && xml_ok(buf) && doc_title(buf, "heatmap 120") && w <= 2000 && h <= 2000
              && group(buf, "row-labels", &b, &e) && attr_num(b, "font-size") >= 8,
              "heatmap (coopmap-stats --svg), 120 TFs: valid, titled, sane size, >= 8 px labels");
        free(buf);
        /* a panel of three */
        cm_mapview_t v3[3] = { v, v, v };
        v3[1].name = "HepG2", v3[2].name = "GM12878";
        s = draw_panel(v3, 3, &o, &rc, &err);
        save("map_panel3x120", s);
        canvas(s, &w, &h);
        CHECK(rc == 0 && xml_ok(s) && w > 3 * 1200 && w < 6000 && h <= 2000, "panel of 3 x 120 TFs: valid, grows sideways");
        free(s);
        free(sco); free(sta); free(sc); free(st);
        cm_cells_free(&cl);
        cm_effects_free(&ef);
    }

    /* ---- the stats fixture, through cm_effects_read + cm_cells_compute ---- */
    {
        cm_effects_t ef;
        cm_cells_t cl = { 0 };
        cm_effects_init(&ef);
        int ok = cm_effects_read("tests/fixtures/stats/effects.tsv", &ef, &err) == 0;
        if (ok) { cm_effects_finish(&ef); ok = cm_cells_compute(&ef, 0.05, &cl, &err) == 0; }
        CHECK(ok, "fixture: effects read and tested (run from the repository root)");
        if (ok) {
            cm_mapview_t v = { "K562 & <test>", &ef, &cl };
            cm_mapfig_opts_t o = { .cluster = 1 };
            char *s = draw_panel(&v, 1, &o, &rc, &err);
            save("fixture_map", s);
            CHECK(rc == 0 && xml_ok(s) && strstr(s, "url(#hatch)\"><title>") && strstr(s, ">FOS::JUN</text>")
                  && strstr(s, ">A&amp;B&lt;x&gt;</text>"), "fixture map: valid, masked cells hatched, names escaped");
            free(s);
            s = draw_profile(&v, 1, 100, NULL, &rc, &err);
            save("fixture_profile", s);
            /* [0,100): CTCF>GATA1 at 40 and 70 bp, GATA1>A&B<x> at 10 bp (tests/stats.bats) */
            const char *p = point(s, "K562 &amp; &lt;test&gt;", 0);
            CHECK(rc == 0 && xml_ok(s) && p && attr_num(p, "data-n") == 3, "fixture profile: [0,100) holds 3 rows");
            free(s);
            char *r = draw_ranking(&ef, 10, &rc, &err);
            save("fixture_ranking", r);
            CHECK(rc == 0 && xml_ok(r) && strstr(r, "data-tf=\"FOS::JUN\" data-value=\"0.29999999999999999\" data-n=\"1\""),
                  "fixture ranking: FOS::JUN first, |-0.3| over 1 self row");
            free(r);
        }
        cm_cells_free(&cl);
        cm_effects_free(&ef);
    }

    /* ---- no data, errors ---- */
    {
        cm_cells_t none = { 0 };
        cm_mapview_t v = { "K562", &ef4, &none };
        char *s = draw_panel(&v, 1, NULL, &rc, &err);
        save("map_nodata", s);
        CHECK(rc == 0 && xml_ok(s) && strstr(s, ">no data</text>") && doc_title(s, "Cooperativity map: K562"),
              "map without tested cells: valid SVG saying no data");
        free(s);
        cm_mapview_t pv[2] = { v4, v };
        s = draw_panel(pv, 2, NULL, &rc, &err);
        CHECK(rc == 0 && xml_ok(s) && strstr(s, ">no data</text>") && strstr(s, "map1-cells"),
              "panel with one empty map: that map says no data");
        free(s);
        CHECK(cm_fig_map_panel(stdout, pv, 0, NULL, &err) == -1, "panel: n = 0 rejected");
        cm_mapview_t bad = { "X", &ef4, NULL };
        CHECK(cm_fig_map(stdout, &bad, NULL, &err) == -1 && strstr(err.msg, "map 1 (X) has no cells"),
              "map without cells rejected, naming it");
    }
    cm_cells_free(&cl4);
    cm_effects_free(&ef4);
    return check_status();
}
