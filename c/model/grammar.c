/* grammar.c — grammar files and the grammar model; see grammar.h, docs/grammar.md. */
#include "model/grammar.h"
#include "model/kinds.h"
#include "core/dna.h"
#include "core/textio.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- kernels and IUPAC ---------- */

double cm_kernel_eval(const cm_kernel_t *k, double d)
{
    switch (k->kind) {
    case CM_KERNEL_BOX: return d >= k->a && d <= k->b ? 1.0 : 0.0;
    case CM_KERNEL_GAUSS: return exp(-d * d / (2.0 * k->a * k->a));
    case CM_KERNEL_EXP: return exp(-d / k->a);
    default: return 1.0;
    }
}

/* Letter set of IUPAC code c as a 4-bit mask (A=1, C=2, G=4, T=8), 0 if none. */
static int iupac_mask(char c)
{
    switch (toupper((unsigned char)c)) {
    case 'A': return 1; case 'C': return 2; case 'G': return 4; case 'T': return 8;
    case 'R': return 1 | 4; case 'Y': return 2 | 8; case 'S': return 2 | 4;
    case 'W': return 1 | 8; case 'K': return 4 | 8; case 'M': return 1 | 2;
    case 'B': return 2 | 4 | 8; case 'D': return 1 | 4 | 8; case 'H': return 1 | 2 | 8;
    case 'V': return 1 | 2 | 4; case 'N': return 15;
    default: return 0;
    }
}

int cm_iupac_row(char c, double purity, double row[4])
{
    int mask = iupac_mask(c), n = 0;
    if (!mask) return -1;
    for (int a = 0; a < 4; a++) n += (mask >> a) & 1;
    for (int a = 0; a < 4; a++)
        row[a] = n == 4 ? 0.25 : (mask >> a) & 1 ? purity / n : (1.0 - purity) / (4 - n);
    return 0;
}

/* ---------- parsing helpers ---------- */

typedef struct {
    const char *path;
    long line;
    cm_err_t *err;
} ctx_t;

/* Value of option KEY=VALUE in tok, or NULL. */
static const char *opt_val(const char *tok, const char *key)
{
    size_t n = strlen(key);
    return strncmp(tok, key, n) == 0 && tok[n] == '=' ? tok + n + 1 : NULL;
}

static int num(ctx_t *c, const char *what, const char *s, double lo, double hi, double *out)
{
    if (cm_parse_double(s, out) != 0 || !isfinite(*out) || *out < lo || *out > hi)
        return cm_fail(c->err, "%s:%ld: %s: expected a number in [%g, %g], got '%s'",
                       c->path, c->line, what, lo, hi, s);
    return 0;
}

static int inum(ctx_t *c, const char *what, const char *s, long lo, long hi, long *out)
{
    if (cm_parse_long(s, out) != 0 || *out < lo || *out > hi)
        return cm_fail(c->err, "%s:%ld: %s: expected an integer in %ld..%ld, got '%s'",
                       c->path, c->line, what, lo, hi, s);
    return 0;
}

/* "MIN-MAX" (or a single "N") of integers in [lo, hi] with MIN <= MAX. */
static int range(ctx_t *c, const char *what, const char *s, long lo, long hi, int *a, int *b)
{
    char buf[64];
    if (strlen(s) >= sizeof buf) return cm_fail(c->err, "%s:%ld: %s: bad range '%s'", c->path, c->line, what, s);
    strcpy(buf, s);
    char *dash = strchr(buf, '-');
    long x, y;
    if (dash) *dash = 0;
    if (cm_parse_long(buf, &x) != 0 || (dash && cm_parse_long(dash + 1, &y) != 0))
        return cm_fail(c->err, "%s:%ld: %s: expected MIN-MAX (integers), got '%s'", c->path, c->line, what, s);
    if (!dash) y = x;
    if (x < lo || y > hi || x > y)
        return cm_fail(c->err, "%s:%ld: %s: range '%s' must satisfy %ld <= MIN <= MAX <= %ld",
                       c->path, c->line, what, s, lo, hi);
    *a = (int)x; *b = (int)y;
    return 0;
}

static int unknown_opt(ctx_t *c, const char *stmt, const char *tok)
{
    return cm_fail(c->err, "%s:%ld: %s: unknown option '%s'", c->path, c->line, stmt, tok);
}

static int valid_name(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("_.:-+", *s)) return 0;
    return 1;
}

/* Check the NAME of a new motif / head / module (what): a valid name not defined
 * before (exists: a case-insensitive match was found). */
static int new_name(ctx_t *c, const char *what, const char *name, int exists)
{
    if (!valid_name(name)) return cm_fail(c->err, "%s:%ld: bad %s name '%s'", c->path, c->line, what, name);
    if (exists) return cm_fail(c->err, "%s:%ld: %s '%s' defined twice", c->path, c->line, what, name);
    return 0;
}

static void motif_finish(cm_gmotif_t *m, const double bg[4])
{
    m->llr_max = 0;
    for (int i = 0; i < m->w; i++) {
        double best = -INFINITY;
        for (int a = 0; a < 4; a++) {
            double f = m->freq[i * 4 + a];
            m->llr[i * 4 + a] = f > 0 ? log(f / bg[a]) : -INFINITY;
            if (m->llr[i * 4 + a] > best) best = m->llr[i * 4 + a];
        }
        m->llr_max += best;
    }
    m->thresh = m->min_frac * m->llr_max;
    if (m->conc <= 0) m->conc = 9.0 * exp(-m->llr_max);
}

/* ---------- statements ---------- */

static int st_motif(ctx_t *c, cm_grammar_t *g, char **tok, int nt)
{
    if (nt < 3) return cm_fail(c->err, "%s:%ld: expected 'motif NAME CONSENSUS [options]'", c->path, c->line);
    if (new_name(c, "motif", tok[1], cm_grammar_motif(g, tok[1]) >= 0)) return -1;
    cm_gmotif_t m = {0};
    m.purity = 0.91; m.min_frac = 0.7; m.conc = 0; m.line = c->line;
    for (int i = 3; i < nt; i++) {
        const char *v;
        if ((v = opt_val(tok[i], "purity"))) { if (num(c, "purity", v, 0.25 + 1e-9, 1, &m.purity)) return -1; }
        else if ((v = opt_val(tok[i], "conc"))) { if (num(c, "conc", v, 1e-300, 1e300, &m.conc)) return -1; }
        else if ((v = opt_val(tok[i], "min_frac"))) { if (num(c, "min_frac", v, 0, 1, &m.min_frac)) return -1; }
        else return unknown_opt(c, "motif", tok[i]);
    }
    m.w = (int)strlen(tok[2]);
    if (m.w > 1000) return cm_fail(c->err, "%s:%ld: motif '%s' is wider than 1000 bp", c->path, c->line, tok[1]);
    int informative = 0;
    for (int i = 0; i < m.w; i++) {
        int mk = iupac_mask(tok[2][i]);
        if (!mk) return cm_fail(c->err, "%s:%ld: motif '%s': '%c' (column %d) is not an IUPAC DNA letter",
                                c->path, c->line, tok[1], tok[2][i], i + 1);
        if (mk != 15) informative = 1;
    }
    if (!informative) return cm_fail(c->err, "%s:%ld: motif '%s' has no informative column", c->path, c->line, tok[1]);
    m.name = cm_strdup(tok[1]);
    m.consensus = cm_strdup(tok[2]);
    for (char *p = m.consensus; *p; p++) *p = (char)toupper((unsigned char)*p);
    m.freq = cm_malloc((size_t)m.w * 4 * sizeof(double));
    m.llr = cm_malloc((size_t)m.w * 4 * sizeof(double));
    for (int i = 0; i < m.w; i++) cm_iupac_row(m.consensus[i], m.purity, m.freq + 4 * i);
    g->motifs = cm_realloc(g->motifs, (size_t)(g->n_motifs + 1) * sizeof *g->motifs);
    g->motifs[g->n_motifs++] = m;
    return 0;
}

static int need_motif(ctx_t *c, const cm_grammar_t *g, const char *name, int *out)
{
    if ((*out = cm_grammar_motif(g, name)) < 0)
        return cm_fail(c->err, "%s:%ld: unknown motif '%s' (define it with a 'motif' line first)",
                       c->path, c->line, name);
    return 0;
}

static int st_head(ctx_t *c, cm_grammar_t *g, char **tok, int nt)
{
    if (nt < 2) return cm_fail(c->err, "%s:%ld: expected 'head NAME [options]'", c->path, c->line);
    if (new_name(c, "head", tok[1], cm_grammar_head(g, tok[1]) >= 0)) return -1;
    cm_ghead_t h = {0};
    h.bias = -2; h.slope = 3; h.line = c->line;
    const char *motif = tok[1];
    for (int i = 2; i < nt; i++) {
        const char *v;
        if ((v = opt_val(tok[i], "motif"))) motif = v;
        else if ((v = opt_val(tok[i], "bias"))) { if (num(c, "bias", v, -1e6, 1e6, &h.bias)) return -1; }
        else if ((v = opt_val(tok[i], "slope"))) { if (num(c, "slope", v, -1e6, 1e6, &h.slope)) return -1; }
        else if ((v = opt_val(tok[i], "occupancy"))) {
            if (strcmp(v, "thermo") == 0) h.sum_mode = 0;
            else if (strcmp(v, "sum") == 0) h.sum_mode = 1;
            else return cm_fail(c->err, "%s:%ld: occupancy: expected thermo or sum, got '%s'", c->path, c->line, v);
        } else return unknown_opt(c, "head", tok[i]);
    }
    if (need_motif(c, g, motif, &h.motif)) return -1;
    h.name = cm_strdup(tok[1]);
    g->heads = cm_realloc(g->heads, (size_t)(g->n_heads + 1) * sizeof *g->heads);
    g->heads[g->n_heads++] = h;
    return 0;
}

static int parse_kernel(ctx_t *c, const char *v, cm_kernel_t *k)
{
    if (strcmp(v, "flat") == 0) { k->kind = CM_KERNEL_FLAT; return 0; }
    if (strncmp(v, "gauss:", 6) == 0) { k->kind = CM_KERNEL_GAUSS; return num(c, "kernel gauss:SIGMA", v + 6, 1e-9, 1e9, &k->a); }
    if (strncmp(v, "exp:", 4) == 0) { k->kind = CM_KERNEL_EXP; return num(c, "kernel exp:LAMBDA", v + 4, 1e-9, 1e9, &k->a); }
    if (strncmp(v, "box:", 4) == 0) {
        int a, b;
        if (range(c, "kernel box:DMIN-DMAX", v + 4, 0, 1000000000, &a, &b)) return -1;
        k->kind = CM_KERNEL_BOX; k->a = a; k->b = b;
        return 0;
    }
    return cm_fail(c->err, "%s:%ld: kernel: expected gauss:SIGMA, exp:LAMBDA, box:DMIN-DMAX or flat, got '%s'",
                   c->path, c->line, v);
}

static int st_coop(ctx_t *c, cm_grammar_t *g, char **tok, int nt)
{
    if (nt < 4) return cm_fail(c->err, "%s:%ld: expected 'coop HEAD MOTIF C [kernel=...]'", c->path, c->line);
    cm_gcoop_t t = {0};
    t.line = c->line;
    t.kernel.kind = CM_KERNEL_GAUSS; t.kernel.a = 50;
    if ((t.head = cm_grammar_head(g, tok[1])) < 0)
        return cm_fail(c->err, "%s:%ld: unknown head '%s' (define it with a 'head' line first)", c->path, c->line, tok[1]);
    if (need_motif(c, g, tok[2], &t.motif)) return -1;
    if (num(c, "coefficient C", tok[3], -1e6, 1e6, &t.c)) return -1;
    for (int i = 4; i < nt; i++) {
        const char *v;
        if ((v = opt_val(tok[i], "kernel"))) { if (parse_kernel(c, v, &t.kernel)) return -1; }
        else return unknown_opt(c, "coop", tok[i]);
    }
    g->coop = cm_realloc(g->coop, (size_t)(g->n_coop + 1) * sizeof *g->coop);
    g->coop[g->n_coop++] = t;
    return 0;
}

static int parse_comp(ctx_t *c, const char *what, const char *v, double out[4])
{
    char buf[256];
    if (strlen(v) >= sizeof buf) return cm_fail(c->err, "%s:%ld: %s: too long", c->path, c->line, what);
    strcpy(buf, v);
    char *save = NULL, *p = strtok_r(buf, ",", &save);
    int n = 0;
    double s = 0;
    for (; p; p = strtok_r(NULL, ",", &save)) {
        if (n == 4) return cm_fail(c->err, "%s:%ld: %s: expected 4 values (A,C,G,T)", c->path, c->line, what);
        if (num(c, what, p, 0, 1e9, &out[n])) return -1;
        s += out[n++];
    }
    if (n != 4 || s <= 0) return cm_fail(c->err, "%s:%ld: %s: expected 4 values (A,C,G,T) with a positive sum", c->path, c->line, what);
    for (int a = 0; a < 4; a++) out[a] /= s;
    return 0;
}

static int st_sequences(ctx_t *c, cm_grammar_t *g, char **tok, int nt, int *has_comp)
{
    if (g->has_sequences) return cm_fail(c->err, "%s:%ld: 'sequences' given twice", c->path, c->line);
    g->has_sequences = 1;
    long v;
    int got_n = 0, got_len = 0;
    for (int i = 1; i < nt; i++) {
        const char *s;
        if ((s = opt_val(tok[i], "count"))) { if (inum(c, "count", s, 1, 100000000, &v)) return -1; g->n_seq = v; got_n = 1; }
        else if ((s = opt_val(tok[i], "length"))) { if (inum(c, "length", s, 1, 1000000000, &v)) return -1; g->seq_len = v; got_len = 1; }
        else if ((s = opt_val(tok[i], "margin"))) { if (inum(c, "margin", s, 0, 1000000000, &v)) return -1; g->margin = v; }
        else if ((s = opt_val(tok[i], "composition"))) { if (parse_comp(c, "composition", s, g->comp)) return -1; *has_comp = 1; }
        else if ((s = opt_val(tok[i], "prefix"))) {
            if (!valid_name(s)) return cm_fail(c->err, "%s:%ld: prefix: bad sequence name prefix '%s'", c->path, c->line, s);
            free(g->prefix); g->prefix = cm_strdup(s);
        } else return unknown_opt(c, "sequences", tok[i]);
    }
    if (!got_n || !got_len) return cm_fail(c->err, "%s:%ld: sequences: count= and length= are required", c->path, c->line);
    if (2 * g->margin >= g->seq_len)
        return cm_fail(c->err, "%s:%ld: sequences: margin %lld leaves no room in length %lld", c->path, c->line,
                       (long long)g->margin, (long long)g->seq_len);
    return 0;
}

static int st_module(ctx_t *c, cm_grammar_t *g, char **tok, int nt)
{
    if (nt < 2) return cm_fail(c->err, "%s:%ld: expected 'module NAME [options]'", c->path, c->line);
    int seen = 0;
    for (int i = 0; i < g->n_modules; i++) seen |= cm_strieq(g->modules[i].name, tok[1]);
    if (new_name(c, "module", tok[1], seen)) return -1;
    cm_gmodule_t m = {0};
    m.weight = 1; m.smin = 20; m.smax = 80; m.random_order = 1; m.line = c->line;
    const char *list = NULL;
    for (int i = 2; i < nt; i++) {
        const char *v;
        if ((v = opt_val(tok[i], "weight"))) { if (num(c, "weight", v, 0, 1e12, &m.weight)) return -1; }
        else if ((v = opt_val(tok[i], "motifs"))) list = v;
        else if ((v = opt_val(tok[i], "spacing"))) { if (range(c, "spacing", v, 0, 100000000, &m.smin, &m.smax)) return -1; }
        else if ((v = opt_val(tok[i], "order"))) {
            if (strcmp(v, "random") == 0) m.random_order = 1;
            else if (strcmp(v, "fixed") == 0) m.random_order = 0;
            else return cm_fail(c->err, "%s:%ld: order: expected random or fixed, got '%s'", c->path, c->line, v);
        } else return unknown_opt(c, "module", tok[i]);
    }
    if (list && *list) {
        char *buf = cm_strdup(list), *save = NULL;
        for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
            int k;
            if (need_motif(c, g, p, &k)) { free(buf); free(m.motifs); return -1; }
            m.motifs = cm_realloc(m.motifs, (size_t)(m.n + 1) * sizeof *m.motifs);
            m.motifs[m.n++] = k;
        }
        free(buf);
    }
    /* consecutive sites must not overlap at the smallest spacing */
    for (int i = 1; i < m.n; i++) {
        int wa = g->motifs[m.motifs[i - 1]].w, wb = g->motifs[m.motifs[i]].w;
        if (2 * m.smin < wa + wb) {
            cm_fail(c->err, "%s:%ld: module '%s': spacing %d bp lets %s and %s overlap (need >= %d)",
                    c->path, c->line, tok[1], m.smin, g->motifs[m.motifs[i - 1]].name,
                    g->motifs[m.motifs[i]].name, (wa + wb + 1) / 2);
            free(m.motifs);
            return -1;
        }
    }
    m.name = cm_strdup(tok[1]);
    g->modules = cm_realloc(g->modules, (size_t)(g->n_modules + 1) * sizeof *g->modules);
    g->modules[g->n_modules++] = m;
    return 0;
}

static int st_decoy(ctx_t *c, cm_grammar_t *g, char **tok, int nt)
{
    if (nt < 2) return cm_fail(c->err, "%s:%ld: expected 'decoy MOTIF count=MIN-MAX'", c->path, c->line);
    cm_gdecoy_t d = {0};
    d.cmin = d.cmax = 1; d.line = c->line;
    if (need_motif(c, g, tok[1], &d.motif)) return -1;
    for (int i = 2; i < nt; i++) {
        const char *v;
        if ((v = opt_val(tok[i], "count"))) { if (range(c, "count", v, 0, 1000000, &d.cmin, &d.cmax)) return -1; }
        else return unknown_opt(c, "decoy", tok[i]);
    }
    g->decoys = cm_realloc(g->decoys, (size_t)(g->n_decoys + 1) * sizeof *g->decoys);
    g->decoys[g->n_decoys++] = d;
    return 0;
}

/* ---------- file ---------- */

int cm_grammar_read(const char *path, cm_grammar_t *g, cm_err_t *err)
{
    memset(g, 0, sizeof *g);
    for (int a = 0; a < 4; a++) g->bg[a] = 0.25;
    g->peak_flank = 50;
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    g->path = cm_strdup(path);
    ctx_t c = { path, 0, err };
    int rc = -1, has_comp = 0, seen_magic = 0, seen_motif = 0, k;
    char *tok[64];
    while ((k = cm_reader_next(r, err)) == 1) {
        c.line = r->lineno;
        char *hash = strchr(r->line, '#');
        if (hash) *hash = 0;
        int nt = cm_split_ws(r->line, tok, 64);
        if (nt == 0) continue;
        if (nt == 64) { cm_fail(err, "%s:%ld: too many tokens", path, c.line); goto out; }
        if (!seen_magic) {
            long ver;
            if (strcmp(tok[0], CM_GRAMMAR_MAGIC) != 0) {
                cm_fail(err, "%s:%ld: not a grammar file (the first line must be '" CM_GRAMMAR_MAGIC " %d')",
                        path, c.line, CM_GRAMMAR_VERSION);
                goto out;
            }
            if (nt != 2 || cm_parse_long(tok[1], &ver) != 0 || ver != CM_GRAMMAR_VERSION) {
                cm_fail(err, "%s:%ld: unsupported grammar version '%s' (this build reads %d)", path, c.line,
                        nt > 1 ? tok[1] : "", CM_GRAMMAR_VERSION);
                goto out;
            }
            seen_magic = 1;
            continue;
        }
        const char *s = tok[0];
        int bad = 0;
        if (strcmp(s, "input_length") == 0) {
            long v;
            if (nt != 2) { cm_fail(err, "%s:%ld: expected 'input_length L'", path, c.line); goto out; }
            if (inum(&c, "input_length", tok[1], 1, 1000000, &v)) goto out;
            g->L = (int)v;
        } else if (strcmp(s, "background") == 0) {
            if (seen_motif) { cm_fail(err, "%s:%ld: 'background' must come before the first motif", path, c.line); goto out; }
            double sum = 0;
            if (nt != 5) { cm_fail(err, "%s:%ld: expected 'background A C G T'", path, c.line); goto out; }
            for (int a = 0; a < 4; a++) {
                if (num(&c, "background", tok[1 + a], 1e-9, 1, &g->bg[a])) goto out;
                sum += g->bg[a];
            }
            for (int a = 0; a < 4; a++) g->bg[a] /= sum;
        } else if (strcmp(s, "motif") == 0) { bad = st_motif(&c, g, tok, nt); seen_motif = 1; }
        else if (strcmp(s, "head") == 0) bad = st_head(&c, g, tok, nt);
        else if (strcmp(s, "coop") == 0) bad = st_coop(&c, g, tok, nt);
        else if (strcmp(s, "sequences") == 0) bad = st_sequences(&c, g, tok, nt, &has_comp);
        else if (strcmp(s, "module") == 0) bad = st_module(&c, g, tok, nt);
        else if (strcmp(s, "decoy") == 0) bad = st_decoy(&c, g, tok, nt);
        else if (strcmp(s, "peaks") == 0) {
            for (int i = 1; i < nt; i++) {
                const char *v;
                long f;
                if ((v = opt_val(tok[i], "flank"))) { if (inum(&c, "flank", v, 0, 1000000000, &f)) goto out; g->peak_flank = f; }
                else { unknown_opt(&c, "peaks", tok[i]); goto out; }
            }
        } else {
            cm_fail(err, "%s:%ld: unknown statement '%s' (input_length, background, motif, head, coop, "
                    "sequences, module, decoy, peaks)", path, c.line, s);
            goto out;
        }
        if (bad) goto out;
    }
    if (k < 0) goto out;
    if (!seen_magic) { cm_fail(err, "%s: empty grammar file", path); goto out; }
    for (int i = 0; i < g->n_motifs; i++) motif_finish(&g->motifs[i], g->bg);
    if (!has_comp) memcpy(g->comp, g->bg, sizeof g->comp);
    if (!g->prefix) g->prefix = cm_strdup("seq");
    rc = 0;
out:
    cm_reader_close(r);
    if (rc) cm_grammar_free(g);
    return rc;
}

void cm_grammar_free(cm_grammar_t *g)
{
    if (!g) return;
    for (int i = 0; i < g->n_motifs; i++) {
        free(g->motifs[i].name); free(g->motifs[i].consensus);
        free(g->motifs[i].freq); free(g->motifs[i].llr);
    }
    for (int i = 0; i < g->n_heads; i++) free(g->heads[i].name);
    for (int i = 0; i < g->n_modules; i++) { free(g->modules[i].name); free(g->modules[i].motifs); }
    free(g->motifs); free(g->heads); free(g->coop); free(g->modules); free(g->decoys);
    free(g->prefix); free(g->path);
    memset(g, 0, sizeof *g);
}

int cm_grammar_motif(const cm_grammar_t *g, const char *name)
{
    for (int i = 0; i < g->n_motifs; i++) if (cm_strieq(g->motifs[i].name, name)) return i;
    return -1;
}

int cm_grammar_head(const cm_grammar_t *g, const char *name)
{
    for (int i = 0; i < g->n_heads; i++) if (cm_strieq(g->heads[i].name, name)) return i;
    return -1;
}

int cm_grammar_sniff(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return 0;
    char buf[sizeof CM_GRAMMAR_MAGIC];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    return n == sizeof buf - 1 && memcmp(buf, CM_GRAMMAR_MAGIC, n) == 0;
}

/* ---------- the model ---------- */

double cm_grammar_site_llr(const cm_gmotif_t *m, const uint8_t *codes, int p, int strand)
{
    double s = 0;
    for (int k = 0; k < m->w; k++) {
        uint8_t x = codes[p + k];
        if (x >= 4) return -INFINITY;
        s += strand == 0 ? m->llr[k * 4 + x] : m->llr[(m->w - 1 - k) * 4 + cm_nt4_comp(x)];
    }
    return s;
}

void cm_grammar_occupancy(const cm_gmotif_t *m, const uint8_t *codes, int L, double *pi, double *sum_s)
{
    double tot = 0;
    for (int p = 0; p < L; p++) pi[p] = 0;
    for (int p = 0; p + m->w <= L; p++) {
        double s = 0;
        for (int strand = 0; strand < 2; strand++) {
            double l = cm_grammar_site_llr(m, codes, p, strand);
            if (l >= m->thresh && l > -INFINITY) s += exp(l);
        }
        if (s > 0) {
            double ks = m->conc * s;
            pi[p] = ks / (1.0 + ks);
            tot += s;
        }
    }
    if (sum_s) *sum_s = tot;
}

void cm_grammar_logits(const cm_grammar_t *g, const uint8_t *codes, int L, double *logits)
{
    /* occupancy of every motif a head or coop term needs */
    int nm = g->n_motifs;
    double *pi = cm_calloc((size_t)nm * (size_t)(L > 0 ? L : 1), sizeof *pi);
    double *sum_s = cm_calloc((size_t)nm, sizeof *sum_s);
    unsigned char *need = cm_calloc((size_t)nm, 1);
    for (int h = 0; h < g->n_heads; h++) need[g->heads[h].motif] = 1;
    for (int t = 0; t < g->n_coop; t++) need[g->coop[t].motif] = 1;
    for (int m = 0; m < nm; m++)
        if (need[m]) cm_grammar_occupancy(&g->motifs[m], codes, L, pi + (size_t)m * L, &sum_s[m]);
    for (int h = 0; h < g->n_heads; h++) {
        const cm_ghead_t *hd = &g->heads[h];
        const cm_gmotif_t *mh = &g->motifs[hd->motif];
        const double *ph = pi + (size_t)hd->motif * L;
        double occ = 0;
        if (hd->sum_mode) occ = mh->conc * sum_s[hd->motif];
        else for (int p = 0; p < L; p++) occ += ph[p];
        double lg = hd->bias + hd->slope * log1p(occ);
        for (int t = 0; t < g->n_coop; t++) {
            const cm_gcoop_t *ct = &g->coop[t];
            if (ct->head != h) continue;
            const cm_gmotif_t *mt = &g->motifs[ct->motif];
            const double *pt = pi + (size_t)ct->motif * L;
            double acc = 0;
            for (int p = 0; p + mh->w <= L; p++) {
                if (ph[p] == 0) continue;
                double cp = p + mh->w / 2.0, inner = 0;
                for (int q = 0; q + mt->w <= L; q++) {
                    if (pt[q] == 0) continue;
                    if (q < p + mh->w && p < q + mt->w) continue;   /* overlapping sites */
                    inner += pt[q] * cm_kernel_eval(&ct->kernel, fabs(q + mt->w / 2.0 - cp));
                }
                acc += ph[p] * inner;
            }
            lg += ct->c * acc;
        }
        logits[h] = lg;
    }
    free(pi); free(sum_s); free(need);
}

static int grammar_predict(const void *impl, const uint8_t *codes, int n, float *logits, cm_err_t *err)
{
    const cm_grammar_t *g = impl;
    double *lg = cm_malloc((size_t)(g->n_heads > 0 ? g->n_heads : 1) * sizeof *lg);
    for (int i = 0; i < n; i++) {
        /* codes > 4 need no mapping: cm_grammar_site_llr treats every code >= 4 as N */
        cm_grammar_logits(g, codes + (size_t)i * g->L, g->L, lg);
        for (int h = 0; h < g->n_heads; h++) logits[(size_t)i * g->n_heads + h] = (float)lg[h];
    }
    free(lg);
    (void)err;
    return 0;
}

static void grammar_free_impl(void *impl)
{
    cm_grammar_free(impl);
    free(impl);
}

static const cm_model_ops_t grammar_ops = { "grammar", grammar_predict, grammar_free_impl, NULL };

cm_model_t *cm_grammar_model_load(const char *path, cm_err_t *err)
{
    cm_grammar_t *g = cm_malloc(sizeof *g);
    if (cm_grammar_read(path, g, err) != 0) { free(g); return NULL; }
    if (g->L <= 0) { cm_fail(err, "%s: grammar model has no 'input_length L' line", path); goto bad; }
    if (g->n_heads == 0) { cm_fail(err, "%s: grammar model has no 'head' line", path); goto bad; }
    for (int h = 0; h < g->n_heads; h++)
        if (g->motifs[g->heads[h].motif].w > g->L) {
            cm_fail(err, "%s:%ld: head '%s': motif wider than input_length %d", path, g->heads[h].line,
                    g->heads[h].name, g->L);
            goto bad;
        }
    const char **names = cm_malloc((size_t)g->n_heads * sizeof *names);
    for (int h = 0; h < g->n_heads; h++) names[h] = g->heads[h].name;
    cm_model_t *m = cm_model_wrap(&grammar_ops, g, g->L, g->n_heads, names);
    free(names);
    return m;
bad:
    cm_grammar_free(g);
    free(g);
    return NULL;
}

/* ---------- model kind "grammar" (model/kinds.h) ---------- */

static cm_model_t *grammar_kind_load(const char *path, const cm_model_file_t *f, cm_err_t *err)
{
    (void)f;
    return cm_grammar_model_load(path, err);
}

const cm_model_kind_t cm_model_kind_grammar = { "grammar", cm_grammar_sniff, grammar_kind_load };
