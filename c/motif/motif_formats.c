/* motif_formats.c — see motif_formats.h. */
#include "motif/motif_formats.h"
#include "core/textio.h"
#include "motif/jsonmini.h"
#include "motif/xmlmini.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *NAMES[] = {"auto", "meme", "jaspar", "transfac", "homer",
                               "meme-text", "meme-xml", "streme-xml", "dreme-xml", "meme-html"};
#define NFMT ((int)(sizeof NAMES / sizeof *NAMES))

int cm_motif_format_parse(const char *s, cm_motif_format_t *fmt)
{
    for (int i = 0; i < NFMT; i++)
        if (!strcmp(s, NAMES[i])) { *fmt = (cm_motif_format_t)i; return 0; }
    return -1;
}

const char *cm_motif_format_name(cm_motif_format_t fmt)
{
    return (unsigned)fmt < (unsigned)NFMT ? NAMES[fmt] : "?";
}

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    return s;
}

static int letter_index(int c)
{
    switch (toupper(c)) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    case 'T': case 'U': return 3;
    default: return -1;
    }
}

/* Numbers of a row after an optional letter label, ':' and brackets.  *label = letter
 * index or -1.  Returns the count (values into a growing *v), or -1 on a bad token. */
static int row_values(const char *line, int *label, double **v, int *cap)
{
    const char *s = skip_ws(line);
    *label = -1;
    if (letter_index((unsigned char)*s) >= 0 && !isdigit((unsigned char)s[1]) && s[1] != '.' &&
        (s[1] == ' ' || s[1] == '\t' || s[1] == ':' || s[1] == '[' || s[1] == '|')) {
        *label = letter_index((unsigned char)*s);
        s++;
    }
    int n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == ':' || *s == '[' || *s == ']' || *s == '|') s++;
        if (!*s) break;
        char *e;
        double x = strtod(s, &e);
        if (e == s || !isfinite(x) || x < 0) return -1;
        *v = cm_grow(*v, n, cap, sizeof **v, 64);
        (*v)[n++] = x;
        s = e;
        if (*s && *s != ' ' && *s != '\t' && *s != ']' && *s != '|') return -1;
    }
    return n;
}

static int is_num_row(const char *line)
{
    const char *s = skip_ws(line);
    char *e;
    strtod(s, &e);
    return e != s;
}

/* ---- building motifs ---- */

static cm_motif_t *new_motif(cm_motifset_t *set, int *cap, const char *id, const char *alt, long lineno)
{
    set->m = cm_grow(set->m, set->n, cap, sizeof *set->m, 64);
    cm_motif_t *m = &set->m[set->n++];
    memset(m, 0, sizeof *m);
    m->id = cm_strdup(id);
    m->alt = cm_strdup(alt ? alt : "");
    m->nsites = 20;
    m->k = 4;
    m->lineno = lineno;
    return m;
}

/* cols: w × 4 raw values (position-major).  Counts (first column sum > 1.1) become
 * frequencies with nsites = first sum; probabilities are checked and kept. */
static int finish_cols(const char *path, cm_motif_t *m, double *cols, int w, cm_err_t *err)
{
    if (w < 1) return cm_fail(err, "%s:%ld: motif %s has no matrix columns", path, m->lineno, m->id);
    for (int i = 0; i < w; i++) {
        for (int a = 0; a < 4; a++)
            if (!isfinite(cols[i * 4 + a]))
                return cm_fail(err, "%s:%ld: motif %s: column %d: value %c is not a finite number",
                               path, m->lineno, m->id, i + 1, "ACGT"[a]);
        double t = cols[i * 4] + cols[i * 4 + 1] + cols[i * 4 + 2] + cols[i * 4 + 3];
        if (!isfinite(t))
            return cm_fail(err, "%s:%ld: motif %s: column %d: the counts sum to more than the largest "
                           "number a double holds (%g + %g + %g + %g overflows); scale the counts down",
                           path, m->lineno, m->id, i + 1, cols[i * 4], cols[i * 4 + 1], cols[i * 4 + 2],
                           cols[i * 4 + 3]);
    }
    double s0 = cols[0] + cols[1] + cols[2] + cols[3];
    int counts = s0 > 1.1;
    for (int i = 0; i < w; i++) {
        double s = cols[i * 4] + cols[i * 4 + 1] + cols[i * 4 + 2] + cols[i * 4 + 3];
        if (counts) {
            if (!(s > 0)) return cm_fail(err, "%s:%ld: motif %s: column %d has no counts", path, m->lineno, m->id, i + 1);
            for (int a = 0; a < 4; a++) cols[i * 4 + a] /= s;
        } else if (fabs(s - 1.0) > 0.1) {
            return cm_fail(err, "%s:%ld: motif %s: column %d sums to %g, expected 1 ± 0.1 "
                           "(probabilities) or counts throughout", path, m->lineno, m->id, i + 1, s);
        }
    }
    m->w = w;
    m->freq = cols;
    if (counts) { m->nsites = s0; m->has_nsites = 1; }
    return 0;
}

/* ---- reading ---- */

/* The next line of r for the format readers, blanks skipped at its start, into *s;
 * at end of file *s = at_eof (a sentinel that closes the last record).  Returns
 * cm_reader_next's 1 / 0 / -1 (err filled). */
static int next_line(cm_reader_t *r, const char *at_eof, const char **s, cm_err_t *err)
{
    int rc = cm_reader_next(r, err);
    *s = rc > 0 ? skip_ws(r->line) : at_eof;
    return rc;
}

/* Append one position (4 values, A C G T) to the growing w × 4 matrix *cols. */
static void push_col(double **cols, int *w, int *wcap, const double x[4])
{
    *cols = cm_grow(*cols, *w, wcap, 4 * sizeof **cols, 32);
    memcpy(*cols + 4 * *w, x, 4 * sizeof *x);
    (*w)++;
}

/* ---- JASPAR ---- */

static int read_jaspar(cm_reader_t *r, cm_motifset_t *set, cm_err_t *err)
{
    int cap = 0, vcap = 0, rc;
    double *v = NULL, *rows[4] = {0};
    int nrow = 0, w = -1, seen[4] = {0};
    cm_motif_t *cur = NULL;
    long hline = 0;
    for (;;) {
        const char *s;
        if ((rc = next_line(r, "", &s, err)) < 0) goto fail;
        if (rc == 0 || *s == '>') {
            if (cur) {
                if (nrow != 4) {
                    cm_fail(err, "%s:%ld: motif %s has %d rows, expected 4 (A C G T)", r->path, hline, cur->id, nrow);
                    goto fail;
                }
                double *cols = cm_malloc((size_t)w * 4 * sizeof *cols);
                for (int i = 0; i < w; i++)
                    for (int a = 0; a < 4; a++) cols[i * 4 + a] = rows[a][i];
                if (finish_cols(r->path, cur, cols, w, err) < 0) { free(cols); goto fail; }
                for (int a = 0; a < 4; a++) { free(rows[a]); rows[a] = NULL; }
            }
            if (rc == 0) break;
            char *buf = cm_strdup(s + 1), *tok[3];
            int n = cm_split_ws(buf, tok, 3);
            if (n < 1) { free(buf); cm_fail(err, "%s:%ld: header without an identifier", r->path, r->lineno); goto fail; }
            cur = new_motif(set, &cap, tok[0], n > 1 ? tok[1] : "", r->lineno);
            hline = r->lineno;
            free(buf);
            nrow = 0; w = -1;
            memset(seen, 0, sizeof seen);
            continue;
        }
        if (!*s) continue;
        if (!cur) { cm_fail(err, "%s:%ld: matrix row before any '>' header", r->path, r->lineno); goto fail; }
        int label, n = row_values(s, &label, &v, &vcap);
        if (n < 0) { cm_fail(err, "%s:%ld: bad matrix row (numbers >= 0 expected)", r->path, r->lineno); goto fail; }
        if (n == 0) { cm_fail(err, "%s:%ld: motif %s: matrix row has no values", r->path, r->lineno, cur->id); goto fail; }
        if (nrow == 4) { cm_fail(err, "%s:%ld: motif %s has more than 4 rows", r->path, r->lineno, cur->id); goto fail; }
        int a = label >= 0 ? label : nrow;
        if (seen[a]) { cm_fail(err, "%s:%ld: motif %s: letter %c given twice", r->path, r->lineno, cur->id, "ACGT"[a]); goto fail; }
        if (w >= 0 && n != w) {
            cm_fail(err, "%s:%ld: motif %s: row has %d values, previous rows %d", r->path, r->lineno, cur->id, n, w);
            goto fail;
        }
        w = n;
        seen[a] = 1;
        rows[a] = cm_malloc((size_t)n * sizeof *rows[a]);
        memcpy(rows[a], v, (size_t)n * sizeof *v);
        nrow++;
    }
    free(v);
    return 0;
fail:
    free(v);
    for (int a = 0; a < 4; a++) free(rows[a]);
    return -1;
}

/* ---- TRANSFAC ---- */

static int read_transfac(cm_reader_t *r, cm_motifset_t *set, cm_err_t *err)
{
    int cap = 0, rc, order[4] = {0, 1, 2, 3}, inmat = 0, w = 0, wcap = 0;
    char *ac = NULL, *id = NULL;
    double *cols = NULL;
    long start = 0;
    for (;;) {
        const char *s;
        if ((rc = next_line(r, "//", &s, err)) < 0) goto fail;
        if (!strncmp(s, "//", 2)) {
            if (w > 0) {
                cm_motif_t *m = new_motif(set, &cap, ac ? ac : id ? id : "", ac && id ? id : "", start);
                if (!*m->id) { cm_fail(err, "%s:%ld: matrix without AC or ID", r->path, start); goto fail; }
                if (finish_cols(r->path, m, cols, w, err) < 0) goto fail;
                cols = NULL;
            } else if (ac || id) {
                cm_fail(err, "%s:%ld: record %s has no matrix", r->path, start, ac ? ac : id);
                goto fail;
            }
            free(ac); free(id); ac = id = NULL;
            w = wcap = 0; inmat = 0; start = 0;
            if (rc == 0) break;
            continue;
        }
        if (!start) start = r->lineno;
        if ((!strncmp(s, "P0", 2) || !strncmp(s, "PO", 2)) && (s[2] == ' ' || s[2] == '\t')) {
            char *buf = cm_strdup(s + 2), *tok[8];
            int n = cm_split_ws(buf, tok, 8), ok = n >= 4, used[4] = {0};
            for (int i = 0; ok && i < 4; i++) {
                int a = tok[i][1] ? -1 : letter_index((unsigned char)tok[i][0]);
                if (a < 0 || used[a]) ok = 0; else { order[i] = a; used[a] = 1; }
            }
            free(buf);
            if (!ok) { cm_fail(err, "%s:%ld: P0 line must name the letters A C G T", r->path, r->lineno); goto fail; }
            inmat = 1;
            continue;
        }
        if (inmat && isdigit((unsigned char)*s)) {
            char *buf = cm_strdup(s), *tok[8];
            int n = cm_split_ws(buf, tok, 8);
            double x[4];
            int ok = n >= 5;
            for (int i = 0; ok && i < 4; i++)
                if (cm_parse_double(tok[i + 1], &x[i]) != 0 || !(x[i] >= 0)) ok = 0;
            free(buf);
            if (!ok) { cm_fail(err, "%s:%ld: bad matrix row (position then 4 numbers >= 0)", r->path, r->lineno); goto fail; }
            double col[4];
            for (int i = 0; i < 4; i++) col[order[i]] = x[i];
            push_col(&cols, &w, &wcap, col);
            continue;
        }
        inmat = 0;
        if ((!strncmp(s, "AC", 2) || !strncmp(s, "ID", 2) || !strncmp(s, "NA", 2)) && (s[2] == ' ' || s[2] == '\t')) {
            char *buf = cm_strdup(s + 2), *tok[2];
            if (cm_split_ws(buf, tok, 2) >= 1) {
                if (s[0] == 'A') { free(ac); ac = cm_strdup(tok[0]); }
                else if (!id) id = cm_strdup(tok[0]);
            }
            free(buf);
        }
    }
    free(cols);
    return 0;
fail:
    free(ac); free(id); free(cols);
    return -1;
}

/* ---- HOMER ---- */

static int read_homer(cm_reader_t *r, cm_motifset_t *set, cm_err_t *err)
{
    int cap = 0, rc, w = 0, wcap = 0, vcap = 0;
    double *cols = NULL, *v = NULL;
    cm_motif_t *cur = NULL;
    for (;;) {
        const char *s;
        if ((rc = next_line(r, "", &s, err)) < 0) goto fail;
        if (rc == 0 || *s == '>') {
            if (cur) {
                if (finish_cols(r->path, cur, cols, w, err) < 0) goto fail;
                cols = NULL;
            }
            if (rc == 0) break;
            /* tab-separated: consensus, name, threshold, … */
            char *buf = cm_strdup(s + 1), *f[2];
            int n = cm_split_tabs(buf, f, 2);
            const char *name = n >= 2 && *f[1] ? f[1] : f[0];
            if (!*name) { free(buf); cm_fail(err, "%s:%ld: HOMER header without a name", r->path, r->lineno); goto fail; }
            cur = new_motif(set, &cap, name, n >= 2 ? f[0] : "", r->lineno);
            free(buf);
            w = wcap = 0;
            continue;
        }
        if (!*s) continue;
        if (!cur) { cm_fail(err, "%s:%ld: matrix row before any '>' header", r->path, r->lineno); goto fail; }
        int label, n = row_values(s, &label, &v, &vcap);
        if (n != 4 || label >= 0) {
            cm_fail(err, "%s:%ld: HOMER row must be 4 probabilities (A C G T)", r->path, r->lineno);
            goto fail;
        }
        push_col(&cols, &w, &wcap, v);
    }
    free(v);
    return 0;
fail:
    free(v); free(cols);
    return -1;
}

/* ---- MEME Suite text output: meme.txt, streme.txt, dreme.txt ---- */

/* Value after "key=" in s (blanks allowed around '='), NULL if absent. */
static const char *key_value(const char *s, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = s; (p = strstr(p, key)) != NULL; p += kl) {
        if (p != s && !isspace((unsigned char)p[-1]) && p[-1] != ':') continue;
        const char *q = skip_ws(p + kl);
        if (*q != '=') continue;
        return skip_ws(q + 1);
    }
    return NULL;
}

/* Rows of a "letter-probability matrix:" block, as cm_motifs_read reads them (4 numbers
 * >= 0 summing to 1 ± 0.1, kept as written); the banner, sections, log-odds matrices,
 * site lists and '#' lines around them are ignored.  Returns 0 or -1. */
static int read_meme_text(cm_reader_t *r, cm_motifset_t *set, cm_err_t *err)
{
    int cap = 0, rc, seen_version = 0, pending = 0, want_w = -1, w = 0, wcap = 0, vcap = 0;
    double *cols = NULL, *v = NULL;
    cm_motif_t *cur = NULL;
    for (;;) {
        const char *s;
        if ((rc = next_line(r, "", &s, err)) < 0) goto fail;
        if (pending) {
            if (rc > 0 && is_num_row(s) && (want_w < 0 || w < want_w)) {
                int label, n = row_values(s, &label, &v, &vcap);
                if (n != 4 || label >= 0) {
                    cm_fail(err, "%s:%ld: matrix row must be 4 probabilities (A C G T)", r->path, r->lineno);
                    goto fail;
                }
                double sum = v[0] + v[1] + v[2] + v[3];
                if (fabs(sum - 1.0) > 0.1) {
                    cm_fail(err, "%s:%ld: matrix row sums to %g, expected 1 ± 0.1", r->path, r->lineno, sum);
                    goto fail;
                }
                push_col(&cols, &w, &wcap, v);
                continue;
            }
            if (rc > 0 && !*s && w == 0) continue;
            if (w == 0 || (want_w >= 0 && w < want_w)) {
                cm_fail(err, "%s:%ld: motif %s has %d matrix rows, w= says %d", r->path, r->lineno,
                        cur->id, w, want_w);
                goto fail;
            }
            cur->w = w; cur->freq = cols; cols = NULL;
            pending = 0;
        }
        if (rc == 0) break;
        if (!strncmp(s, "MEME version", 12)) { seen_version = 1; continue; }
        if (!seen_version) continue;   /* banner, '#' header of dreme.txt */
        if (!strncmp(s, "ALPHABET", 8)) {
            /* MEME/STREME/DREME text output of a non-DNA run: refused, not misread as DNA */
            const char *q = skip_ws(s + 8);
            int dna = *q == '=' && !strncasecmp(skip_ws(q + 1), "ACGT", 4) && !*skip_ws(skip_ws(q + 1) + 4);
            if (!dna) {
                cm_fail(err, "%s:%ld: this MEME/STREME/DREME text output is not over the DNA alphabet; "
                        "meme-text is read for DNA only (give the run's motifs in MEME motif format, "
                        "which reads RNA, protein and custom alphabets)", r->path, r->lineno);
                goto fail;
            }
            continue;
        }
        if (!strncmp(s, "Background letter frequencies", 29)) {
            double bg[4] = {0};
            int got = 0;
            while (got < 4) {
                if ((rc = next_line(r, "", &s, err)) < 0) goto fail;
                if (rc == 0) { cm_fail(err, "%s:%ld: background letter frequencies incomplete", r->path, r->lineno); goto fail; }
                if (!*s) continue;
                char *buf = cm_strdup(s), *tok[16];
                int n = cm_split_ws(buf, tok, 16), ok = n % 2 == 0;
                for (int i = 0; ok && i < n; i += 2) {
                    int a = tok[i][1] ? -1 : letter_index((unsigned char)tok[i][0]);
                    double x;
                    if (a < 0 || cm_parse_double(tok[i + 1], &x) != 0 || x < 0) ok = 0;
                    else { bg[a] = x; got++; }
                }
                free(buf);
                if (!ok) { cm_fail(err, "%s:%ld: background must be letter/frequency pairs (A C G T)", r->path, r->lineno); goto fail; }
            }
            double t = bg[0] + bg[1] + bg[2] + bg[3];
            if (!(t > 0)) { cm_fail(err, "%s:%ld: background frequencies sum to 0", r->path, r->lineno); goto fail; }
            for (int a = 0; a < 4; a++) set->bg[a] = bg[a] / t;
            set->has_bg = 1;
            continue;
        }
        if (!strncmp(s, "MOTIF", 5) && (s[5] == ' ' || s[5] == '\t')) {
            if (cur && !cur->freq) {
                cm_fail(err, "%s:%ld: motif %s has no letter-probability matrix", r->path, cur->lineno, cur->id);
                goto fail;
            }
            /* "MOTIF id alt  width = 10 sites = 20 …" (meme.txt) or "MOTIF id alt" */
            char *buf = cm_strdup(s + 5), *tok[3];
            int n = cm_split_ws(buf, tok, 3);
            if (n < 1) { free(buf); cm_fail(err, "%s:%ld: MOTIF line without an identifier", r->path, r->lineno); goto fail; }
            int alt = n >= 2 && !strchr(tok[1], '=') && strcmp(tok[1], "width");
            cur = new_motif(set, &cap, tok[0], alt ? tok[1] : "", r->lineno);
            free(buf);
            continue;
        }
        if (!strncmp(s, "letter-probability matrix", 25)) {
            if (!cur) { cm_fail(err, "%s:%ld: letter-probability matrix before any MOTIF line", r->path, r->lineno); goto fail; }
            if (cur->freq) { cm_fail(err, "%s:%ld: second letter-probability matrix for motif %s", r->path, r->lineno, cur->id); goto fail; }
            const char *val;
            char *e;
            if ((val = key_value(s, "alength")) && strtol(val, NULL, 10) != 4) {
                cm_fail(err, "%s:%ld: only the DNA alphabet (alength= 4) is supported", r->path, r->lineno);
                goto fail;
            }
            want_w = -1;
            if ((val = key_value(s, "w"))) {
                long ww = strtol(val, &e, 10);
                if (e == val || ww <= 0 || ww > INT_MAX) {   /* wider than the limit: refused below, by name */
                    cm_fail(err, "%s:%ld: bad w= value", r->path, r->lineno);
                    goto fail;
                }
                want_w = (int)ww;
            }
            if ((val = key_value(s, "nsites"))) {
                double ns = strtod(val, &e);
                if (e == val || !(ns >= 0) || !isfinite(ns)) { cm_fail(err, "%s:%ld: bad nsites= value", r->path, r->lineno); goto fail; }
                cur->nsites = ns; cur->has_nsites = 1;
            }
            pending = 1; w = wcap = 0;
            continue;
        }
        if (!strncmp(s, "URL", 3) && (s[3] == ' ' || s[3] == '\t') && cur) {
            free(cur->url);
            cur->url = cm_strdup(skip_ws(s + 3));
        }
    }
    if (!seen_version) { cm_fail(err, "%s: no 'MEME version' line (not MEME Suite text output)", r->path); goto fail; }
    if (cur && !cur->freq) {
        cm_fail(err, "%s:%ld: motif %s has no letter-probability matrix", r->path, cur->lineno, cur->id);
        goto fail;
    }
    free(v);
    return 0;
fail:
    free(v); free(cols);
    return -1;
}

/* ---- MEME Suite XML: meme.xml, streme.xml, dreme.xml ---- */

/* Letter index (A C G T) of an XML letter id: through the file's <alphabet> letters
 * (ids[i] -> syms[i]), else "letter_X" (MEME 4) or a one-letter id. */
static int xml_letter(const char *id, char ids[][32], const char *syms, int nid)
{
    for (int i = 0; i < nid; i++)
        if (!strcmp(ids[i], id)) return letter_index((unsigned char)syms[i]);
    if (!strncmp(id, "letter_", 7)) id += 7;
    return id[0] && !id[1] ? letter_index((unsigned char)id[0]) : -1;
}

/* A number >= 0 from an attribute or element text; -1 (err) if bad. */
static int xml_num(const cm_xml_t *x, const char *s, const char *what, double *out, cm_err_t *err)
{
    if (!s || cm_parse_double(s, out) != 0 || !(*out >= 0) || !isfinite(*out))
        return cm_fail(err, "%s:%ld: <%s>: %s '%s' is not a number >= 0", x->path, x->tagline,
                       x->name, what, s ? s : "(missing)");
    return 0;
}

/* Check and store one position (row[a] = -1 where missing). */
static int xml_row(const cm_xml_t *x, cm_motif_t *m, double row[4], double **cols, int *w, int *wcap, cm_err_t *err)
{
    double sum = 0;
    for (int a = 0; a < 4; a++) {
        if (row[a] < 0)
            return cm_fail(err, "%s:%ld: motif %s, position %d: no value for letter %c", x->path,
                           x->tagline, m ? m->id : "(background)", *w + 1, "ACGT"[a]);
        sum += row[a];
    }
    if (fabs(sum - 1.0) > 0.1)
        return cm_fail(err, "%s:%ld: motif %s, position %d: probabilities sum to %g, expected 1 ± 0.1",
                       x->path, x->tagline, m ? m->id : "(background)", *w + 1, sum);
    push_col(cols, w, wcap, row);
    return 0;
}

/* Letter attributes (A="0.1" C=…) of a STREME/DREME <pos> or DREME <background>. */
static int xml_attr_row(const cm_xml_t *x, char ids[][32], const char *syms, int nid, double row[4], cm_err_t *err)
{
    for (int a = 0; a < 4; a++) row[a] = -1;
    for (int i = 0; i < x->nattr; i++) {
        int a = xml_letter(x->aname[i], ids, syms, nid);
        if (a < 0 || (nid == 0 && strlen(x->aname[i]) != 1)) continue;   /* i=, type=, from= … */
        if (xml_num(x, x->aval[i], x->aname[i], &row[a], err) < 0) return -1;
    }
    return 0;
}

/* meme.xml: <motif name= alt= width= sites=> <probabilities><alphabet_matrix>
 *   <alphabet_array><value letter_id=>p</value>…; background in
 *   <background_frequencies><alphabet_array>.  streme.xml: <motif id= alt= width=
 *   train_pos_count= test_pos_count=> <pos A= C= G= T=/>…; background as meme.xml.
 * dreme.xml: <motif seq= alt= length= nsites=> <pos i= A= …/>; <background A= …/>. */
static int read_xml(const char *path, cm_motif_format_t fmt, cm_motifset_t *set, cm_err_t *err)
{
    cm_xml_t x;
    if (cm_xml_open(&x, path, err) < 0) return -1;
    char ids[16][32], syms[16];
    int nid = 0, in_alph = 0, in_bg = 0, in_prob = 0, in_motifs = 0, root = 0, cap = 0;
    int w = 0, wcap = 0, want_w = -1, rc;
    double row[4] = {-1, -1, -1, -1}, bg[4] = {-1, -1, -1, -1}, *cols = NULL;
    cm_motif_t *cur = NULL;
    const char *rootname = fmt == CM_MF_MEME_XML ? "MEME" : fmt == CM_MF_STREME_XML ? "STREME" : "dreme";
    while ((rc = cm_xml_next(&x, err)) == 1) {
        int st = x.kind != CM_XML_END, en = x.kind != CM_XML_START;
        if (!root) {
            if (!cm_xml_is(&x, rootname) || !st) {
                cm_fail(err, "%s:%ld: root element <%s>, expected <%s>", path, x.tagline, x.name, rootname);
                goto fail;
            }
            root = 1;
            continue;
        }
        if (cm_xml_is(&x, "alphabet")) {
            in_alph = x.kind == CM_XML_START;
        } else if (cm_xml_is(&x, "letter") && in_alph && st && !cm_xml_attr(&x, "equals")) {
            /* core letters only: ambiguity codes (equals="ACGT") are skipped */
            const char *id = cm_xml_attr(&x, "id"), *sym = cm_xml_attr(&x, "symbol");
            if (!id || !sym || strlen(id) >= 32 || !sym[0]) { cm_fail(err, "%s:%ld: <letter> needs id= and symbol=", path, x.tagline); goto fail; }
            if (letter_index((unsigned char)sym[0]) < 0 || sym[1]) {
                cm_fail(err, "%s:%ld: alphabet letter '%s': only DNA (A C G T) is supported", path, x.tagline, sym);
                goto fail;
            }
            if (nid < 16) { strcpy(ids[nid], id); syms[nid++] = sym[0]; }
        } else if (cm_xml_is(&x, "background_frequencies")) {
            in_bg = x.kind == CM_XML_START;
        } else if (cm_xml_is(&x, "background") && st && fmt == CM_MF_DREME_XML) {
            if (xml_attr_row(&x, ids, syms, nid, bg, err) < 0) goto fail;
            for (int a = 0; a < 4; a++)
                if (bg[a] < 0) { cm_fail(err, "%s:%ld: <background> has no %c= frequency", path, x.tagline, "ACGT"[a]); goto fail; }
        } else if (cm_xml_is(&x, "motifs")) {
            in_motifs = x.kind == CM_XML_START;
        } else if (cm_xml_is(&x, "motif") && in_motifs && st) {
            if (cur) { cm_fail(err, "%s:%ld: <motif> inside <motif>", path, x.tagline); goto fail; }
            const char *id = fmt == CM_MF_MEME_XML ? cm_xml_attr(&x, "name")
                           : fmt == CM_MF_DREME_XML ? cm_xml_attr(&x, "seq") : cm_xml_attr(&x, "id");
            if (!id && fmt == CM_MF_MEME_XML) id = cm_xml_attr(&x, "id");
            if (!id || !*id) { cm_fail(err, "%s:%ld: <motif> without an identifier", path, x.tagline); goto fail; }
            const char *alt = cm_xml_attr(&x, "alt");
            cur = new_motif(set, &cap, id, alt ? alt : "", x.tagline);
            double d;
            const char *ws = cm_xml_attr(&x, fmt == CM_MF_DREME_XML ? "length" : "width");
            want_w = -1;
            if (ws) {
                if (xml_num(&x, ws, fmt == CM_MF_DREME_XML ? "length" : "width", &d, err) < 0) goto fail;
                if (!(d >= 1 && d <= CM_MOTIF_MAX_W) || d != (int)d) {
                    cm_fail(err, "%s:%ld: motif %s: %s '%s' is not a whole number of columns in [1, %d]",
                            path, x.tagline, id, fmt == CM_MF_DREME_XML ? "length" : "width", ws,
                            CM_MOTIF_MAX_W);
                    goto fail;
                }
                want_w = (int)d;
            }
            if (fmt == CM_MF_STREME_XML) {
                double tr = 0, te = 0;
                const char *a1 = cm_xml_attr(&x, "train_pos_count"), *a2 = cm_xml_attr(&x, "test_pos_count");
                if (a1 && xml_num(&x, a1, "train_pos_count", &tr, err) < 0) goto fail;
                if (a2 && xml_num(&x, a2, "test_pos_count", &te, err) < 0) goto fail;
                if (a1 || a2) { cur->nsites = tr + te; cur->has_nsites = 1; }
            } else {
                const char *ns = cm_xml_attr(&x, fmt == CM_MF_MEME_XML ? "sites" : "nsites");
                if (ns) {
                    if (xml_num(&x, ns, fmt == CM_MF_MEME_XML ? "sites" : "nsites", &d, err) < 0) goto fail;
                    cur->nsites = d; cur->has_nsites = 1;
                }
            }
            const char *url = cm_xml_attr(&x, "url");
            if (url && *url) cur->url = cm_strdup(url);
            w = wcap = 0;
            if (x.kind == CM_XML_EMPTY) goto end_motif;
        } else if (cm_xml_is(&x, "motif") && cur && x.kind == CM_XML_END) {
        end_motif:
            if (w == 0) { cm_fail(err, "%s:%ld: motif %s has no probability matrix", path, cur->lineno, cur->id); goto fail; }
            if (want_w >= 0 && w != want_w) {
                cm_fail(err, "%s:%ld: motif %s has %d positions, width says %d", path, cur->lineno, cur->id, w, want_w);
                goto fail;
            }
            cur->w = w; cur->freq = cols; cols = NULL;
            cur = NULL;
        } else if (cm_xml_is(&x, "probabilities") && cur) {
            in_prob = x.kind == CM_XML_START;
        } else if (cm_xml_is(&x, "alphabet_array") && (in_bg || in_prob)) {
            if (st) for (int a = 0; a < 4; a++) row[a] = -1;
            if (en && in_prob && xml_row(&x, cur, row, &cols, &w, &wcap, err) < 0) goto fail;
            if (en && in_bg) {
                for (int a = 0; a < 4; a++)
                    if (row[a] < 0) { cm_fail(err, "%s:%ld: background has no %c value", path, x.tagline, "ACGT"[a]); goto fail; }
                memcpy(bg, row, sizeof bg);
            }
        } else if (cm_xml_is(&x, "value") && x.kind == CM_XML_START && (in_bg || in_prob)) {
            const char *lid = cm_xml_attr(&x, "letter_id");
            int a = lid ? xml_letter(lid, ids, syms, nid) : -1;
            if (a < 0) { cm_fail(err, "%s:%ld: <value letter_id=\"%s\">: not a DNA letter", path, x.tagline, lid ? lid : ""); goto fail; }
            if ((rc = cm_xml_next(&x, err)) != 1) { if (rc == 0) cm_fail(err, "%s: file ends inside <value>", path); goto fail; }
            if (!cm_xml_is(&x, "value") || x.kind != CM_XML_END) { cm_fail(err, "%s:%ld: <%s> inside <value>", path, x.tagline, x.name); goto fail; }
            if (xml_num(&x, x.text, "value", &row[a], err) < 0) goto fail;
        } else if (cm_xml_is(&x, "pos") && cur && st && fmt != CM_MF_MEME_XML) {
            if (xml_attr_row(&x, ids, syms, nid, row, err) < 0) goto fail;
            if (xml_row(&x, cur, row, &cols, &w, &wcap, err) < 0) goto fail;
        }
    }
    if (rc < 0) goto fail;
    if (!root) { cm_fail(err, "%s: no <%s> element", path, rootname); goto fail; }
    if (cur) { cm_fail(err, "%s:%ld: motif %s: file ends before </motif>", path, cur->lineno, cur->id); goto fail; }
    if (bg[0] >= 0) {
        double t = bg[0] + bg[1] + bg[2] + bg[3];
        if (!(t > 0)) { cm_fail(err, "%s: background frequencies sum to 0", path); goto fail; }
        for (int a = 0; a < 4; a++) set->bg[a] = bg[a] / t;
        set->has_bg = 1;
    }
    cm_xml_close(&x);
    return 0;
fail:
    free(cols);
    cm_xml_close(&x);
    return -1;
}

/* ---- MEME Suite HTML: meme.html, streme.html (the embedded `var data = {…}`) ---- */

/* Offset of the '{' of the first "var data = {" in buf (blanks/newlines allowed around
 * '='; "var dataset" etc. are not it), -1 if none. */
static long html_data_at(const char *buf)
{
    for (const char *p = buf; (p = strstr(p, "var data")) != NULL; p += 8) {
        if (p != buf && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '$')) continue;
        const char *q = p + 8;
        while (isspace((unsigned char)*q)) q++;
        if (*q != '=') continue;
        q++;
        while (isspace((unsigned char)*q)) q++;
        if (*q == '{') return (long)(q - buf);
    }
    return -1;
}

static long line_at(const char *buf, long off)
{
    long line = 1;
    for (long i = 0; i < off; i++) line += buf[i] == '\n';
    return line;
}

static int program_ok(const char *s)
{
    return cm_strieq(s, "MEME") || cm_strieq(s, "STREME") || cm_strieq(s, "DREME");
}

/* Detection: the file holds "var data = {" whose first member is "program" set to MEME,
 * STREME or DREME (as MEME Suite writes it).  1 yes, 0 no. */
static int html_is_meme(const char *path)
{
    cm_xml_t x;
    cm_err_t e = {0};
    if (cm_xml_open(&x, path, &e) < 0) return 0;
    long at = html_data_at(x.buf), line = 1;
    int ok = 0;
    if (at >= 0) {
        size_t pos = (size_t)at + 1;
        cm_json_t k = {0}, v = {0};
        if (cm_json_parse(path, x.buf, &pos, &line, &k, &e) == 0 && k.type == CM_JSON_STR &&
            !strcmp(k.str, "program")) {
            while (isspace((unsigned char)x.buf[pos])) pos++;
            if (x.buf[pos] == ':') {
                pos++;
                if (cm_json_parse(path, x.buf, &pos, &line, &v, &e) == 0 && v.type == CM_JSON_STR)
                    ok = program_ok(v.str);
            }
        }
        cm_json_free(&k); cm_json_free(&v);
    }
    cm_xml_close(&x);
    return ok;
}

/* A JSON array of n numbers >= 0 (an alphabet-ordered row) into x[n]. */
static int json_row(const char *path, const cm_json_t *v, int n, double *x, const char *what, cm_err_t *err)
{
    if (!v || v->type != CM_JSON_ARR || v->n != n)
        return cm_fail(err, "%s:%ld: %s must be an array of %d numbers", path, v ? v->line : 0L, what, n);
    for (int i = 0; i < n; i++) {
        if (v->kid[i].type != CM_JSON_NUM || !(v->kid[i].num >= 0))
            return cm_fail(err, "%s:%ld: %s: value %d is not a number >= 0", path, v->kid[i].line, what, i + 1);
        x[i] = v->kid[i].num;
    }
    return 0;
}

/* data.alphabet -> order[i] = A C G T index of core symbol i; returns ncore (4) or -1.
 * Symbols: a string of the core letters (old files) or objects {"symbol": …}, core
 * ones first (ncore= of them, else those without "equals"); no alphabet ⇒ A C G T. */
static int html_alphabet(const char *path, const cm_json_t *root, int order[4], cm_err_t *err)
{
    const cm_json_t *al = cm_json_get(root, "alphabet");
    for (int a = 0; a < 4; a++) order[a] = a;
    if (!al) return 4;
    const cm_json_t *sy = cm_json_get(al, "symbols"), *nc = cm_json_get(al, "ncore");
    char core[17];
    int n = 0;
    if (sy && sy->type == CM_JSON_STR) {
        for (; sy->str[n] && n < 16; n++) core[n] = sy->str[n];
    } else if (sy && sy->type == CM_JSON_ARR) {
        for (int i = 0; i < sy->n && n < 16; i++) {
            const cm_json_t *s = cm_json_get(&sy->kid[i], "symbol");
            if (!s || s->type != CM_JSON_STR || strlen(s->str) != 1)
                return cm_fail(err, "%s:%ld: alphabet symbol needs a one-letter \"symbol\"", path, sy->kid[i].line);
            if (!nc && cm_json_get(&sy->kid[i], "equals")) break;   /* ambiguity codes follow */
            core[n++] = s->str[0];
        }
    } else {
        return cm_fail(err, "%s:%ld: alphabet has no \"symbols\"", path, al->line);
    }
    if (nc && nc->type == CM_JSON_NUM && nc->num >= 0 && nc->num < n) n = (int)nc->num;
    int used[4] = {0};
    for (int i = 0; i < n; i++) {
        int a = letter_index((unsigned char)core[i]);
        if (n != 4 || a < 0 || used[a])
            return cm_fail(err, "%s:%ld: alphabet: only DNA (core letters A C G T) is supported", path, al->line);
        used[a] = 1;
        order[i] = a;
    }
    if (n != 4) return cm_fail(err, "%s:%ld: alphabet: only DNA (core letters A C G T) is supported", path, al->line);
    return 4;
}

/* meme.html / streme.html: data.motifs[] {id, alt, len, nsites, pwm: len rows of
 * alphabet-ordered probabilities}; background data.background.freqs (older files:
 * data.alphabet.freqs) — the fields MEME's motif-in-meme-json.c reads. */
static int read_html(const char *path, cm_motifset_t *set, cm_err_t *err)
{
    cm_xml_t x;
    if (cm_xml_open(&x, path, err) < 0) return -1;
    cm_json_t root = {0};
    double *cols = NULL;
    int cap = 0, order[4];
    long at = html_data_at(x.buf);
    if (at < 0) { cm_fail(err, "%s: no 'var data = {' object (not MEME or STREME HTML output)", path); goto fail; }
    size_t pos = (size_t)at;
    long line = line_at(x.buf, at);
    if (cm_json_parse(path, x.buf, &pos, &line, &root, err) < 0) goto fail;
    const cm_json_t *prog = cm_json_get(&root, "program");
    if (!prog || prog->type != CM_JSON_STR || !program_ok(prog->str)) {
        cm_fail(err, "%s:%ld: data \"program\" is not MEME, STREME or DREME", path, prog ? prog->line : root.line);
        goto fail;
    }
    if (html_alphabet(path, &root, order, err) < 0) goto fail;
    const cm_json_t *bgf = cm_json_get(cm_json_get(&root, "background"), "freqs");
    if (!bgf) bgf = cm_json_get(cm_json_get(&root, "alphabet"), "freqs");
    if (bgf) {
        double raw[4], t = 0;
        if (json_row(path, bgf, 4, raw, "background freqs", err) < 0) goto fail;
        for (int i = 0; i < 4; i++) t += raw[i];
        if (!(t > 0)) { cm_fail(err, "%s:%ld: background frequencies sum to 0", path, bgf->line); goto fail; }
        for (int i = 0; i < 4; i++) set->bg[order[i]] = raw[i] / t;
        set->has_bg = 1;
    }
    const cm_json_t *ms = cm_json_get(&root, "motifs");
    if (!ms || ms->type != CM_JSON_ARR) { cm_fail(err, "%s:%ld: data has no \"motifs\" array", path, root.line); goto fail; }
    for (int k = 0; k < ms->n; k++) {
        const cm_json_t *mo = &ms->kid[k];
        const cm_json_t *id = cm_json_get(mo, "id"), *alt = cm_json_get(mo, "alt");
        const cm_json_t *len = cm_json_get(mo, "len"), *ns = cm_json_get(mo, "nsites");
        const cm_json_t *pwm = cm_json_get(mo, "pwm");
        if (!id || id->type != CM_JSON_STR || !*id->str) { cm_fail(err, "%s:%ld: motif without an \"id\" string", path, mo->line); goto fail; }
        cm_motif_t *m = new_motif(set, &cap, id->str, alt && alt->type == CM_JSON_STR ? alt->str : "", mo->line);
        if (ns) {
            if (ns->type != CM_JSON_NUM || !(ns->num >= 0)) { cm_fail(err, "%s:%ld: motif %s: \"nsites\" is not a number >= 0", path, ns->line, m->id); goto fail; }
            m->nsites = ns->num; m->has_nsites = 1;
        }
        if (!pwm || pwm->type != CM_JSON_ARR || pwm->n == 0) { cm_fail(err, "%s:%ld: motif %s has no \"pwm\" matrix", path, mo->line, m->id); goto fail; }
        if (len && (len->type != CM_JSON_NUM || len->num != pwm->n)) {
            cm_fail(err, "%s:%ld: motif %s has %d pwm rows, len says %g", path, pwm->line, m->id, pwm->n,
                    len->type == CM_JSON_NUM ? len->num : -1.0);
            goto fail;
        }
        cols = cm_malloc((size_t)pwm->n * 4 * sizeof *cols);
        for (int i = 0; i < pwm->n; i++) {
            double raw[4], sum = 0;
            char what[64];
            snprintf(what, sizeof what, "motif %.30s, position %d", m->id, i + 1);
            if (json_row(path, &pwm->kid[i], 4, raw, what, err) < 0) goto fail;
            for (int a = 0; a < 4; a++) { cols[i * 4 + order[a]] = raw[a]; sum += raw[a]; }
            if (fabs(sum - 1.0) > 0.1) {
                cm_fail(err, "%s:%ld: %s: probabilities sum to %g, expected 1 ± 0.1", path, pwm->kid[i].line, what, sum);
                goto fail;
            }
        }
        m->w = pwm->n; m->freq = cols; cols = NULL;
    }
    cm_json_free(&root);
    cm_xml_close(&x);
    return 0;
fail:
    free(cols);
    cm_json_free(&root);
    cm_xml_close(&x);
    return -1;
}

/* The root element of an XML file (first tag), lowercased into out; "" if none. */
static void xml_root(const char *path, char *out, size_t n)
{
    cm_xml_t x;
    cm_err_t e = {0};
    out[0] = 0;
    if (cm_xml_open(&x, path, &e) < 0) return;
    if (cm_xml_next(&x, &e) == 1 && x.kind != CM_XML_END) {
        size_t i = 0;
        for (; x.name[i] && i + 1 < n; i++) out[i] = (char)tolower((unsigned char)x.name[i]);
        out[i] = 0;
    }
    cm_xml_close(&x);
}

/* ---- detection and dispatch ---- */

int cm_motif_format_detect(const char *path, cm_motif_format_t *fmt, cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int rc, state = 0;           /* 1 = after a '>' header */
    int hdr_homer = 0;
    *fmt = CM_MF_AUTO;
    while (*fmt == CM_MF_AUTO && (rc = cm_reader_next(r, err)) == 1) {
        const char *s = skip_ws(r->line);
        if (!*s) continue;
        if (!strncmp(s, "MEME version", 12)) { *fmt = CM_MF_MEME; break; }
        if (state == 0) {
            if (*s == '>') {
                state = 1;
                /* HOMER: third tab field numeric */
                const char *t1 = strchr(s, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
                if (t2) {
                    char *e;
                    strtod(t2 + 1, &e);
                    hdr_homer = e != t2 + 1 && (*e == 0 || *e == '\t' || *e == ' ');
                }
                continue;
            }
            if ((!strncmp(s, "AC", 2) || !strncmp(s, "ID", 2) || !strncmp(s, "P0", 2) ||
                 !strncmp(s, "PO", 2) || !strncmp(s, "XX", 2) || !strncmp(s, "NA", 2) ||
                 !strncmp(s, "DE", 2) || !strncmp(s, "VV", 2)) && (s[2] == ' ' || s[2] == '\t' || !s[2])) {
                *fmt = CM_MF_TRANSFAC;
                break;
            }
            if (!strncmp(s, "//", 2)) { *fmt = CM_MF_TRANSFAC; break; }
            if (*s == '<') {   /* MEME Suite XML, by its root element */
                char root[16];
                cm_reader_close(r);
                xml_root(path, root, sizeof root);
                *fmt = !strcmp(root, "meme") ? CM_MF_MEME_XML : !strcmp(root, "streme") ? CM_MF_STREME_XML
                     : !strcmp(root, "dreme") ? CM_MF_DREME_XML : CM_MF_AUTO;
                /* meme.html / streme.html: the MEME Suite's embedded data object */
                if (*fmt == CM_MF_AUTO && html_is_meme(path)) *fmt = CM_MF_MEME_HTML;
                if (*fmt == CM_MF_AUTO)
                    return cm_fail(err, "%s: XML or HTML%s%s%s is not MEME, STREME or DREME XML output "
                                   "(use meme.xml, streme.xml, dreme.xml or meme.html)", path,
                                   *root ? " root <" : "", root, *root ? ">" : "");
                return 0;
            }
            /* other text first (the banner of meme.txt/streme.txt, '#' lines of dreme.txt):
             * MEME Suite text output when a "MEME version" line follows */
            while ((rc = cm_reader_next(r, err)) == 1)
                if (!strncmp(skip_ws(r->line), "MEME version", 12)) { *fmt = CM_MF_MEME_TEXT; break; }
            break;
        }
        /* first row after the header */
        if (!is_num_row(s)) { *fmt = CM_MF_JASPAR; break; }
        double *v = NULL;
        int cap = 0, label, n = row_values(s, &label, &v, &cap);
        free(v);
        *fmt = n == 4 && hdr_homer ? CM_MF_HOMER : CM_MF_JASPAR;
    }
    cm_reader_close(r);
    if (err && err->msg[0]) return -1;
    if (*fmt == CM_MF_AUTO) *fmt = CM_MF_MEME;   /* let the MEME parser say what is wrong */
    return 0;
}

int cm_motifs_read_any(const char *path, cm_motif_format_t fmt, cm_motifset_t *set,
                       cm_err_t *err)
{
    return cm_motifs_read_any_flags(path, fmt, 0, set, err);
}

int cm_motifs_read_any_flags(const char *path, cm_motif_format_t fmt, int flags,
                             cm_motifset_t *set, cm_err_t *err)
{
    if (fmt == CM_MF_AUTO && cm_motif_format_detect(path, &fmt, err) != 0) {
        memset(set, 0, sizeof *set);
        return -1;
    }
    if (fmt == CM_MF_MEME) return cm_motifs_read_flags(path, flags, set, err);   /* checks too */
    memset(set, 0, sizeof *set);
    set->path = cm_strdup(path);
    cm_alph_dna(&set->alph);
    for (int a = 0; a < 4; a++) set->bg[a] = 0.25;
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) { cm_motifs_free(set); return -1; }
    int rc = fmt == CM_MF_JASPAR ? read_jaspar(r, set, err)
           : fmt == CM_MF_TRANSFAC ? read_transfac(r, set, err)
           : fmt == CM_MF_HOMER ? read_homer(r, set, err)
           : fmt == CM_MF_MEME_TEXT ? read_meme_text(r, set, err)
           : fmt == CM_MF_MEME_HTML ? read_html(path, set, err)
           : read_xml(path, fmt, set, err);
    if (rc == 0 && set->n == 0 && !(flags & CM_MOTIFS_EMPTY_OK)) rc = cm_fail(err, "%s: no %s motifs found", path, cm_motif_format_name(fmt));
    cm_reader_close(r);
    if (rc != 0) { cm_motifs_free(set); return -1; }
    cm_motifs_normalise(set);   /* MEME's 1e-5 row rule, as after every MEME Suite reader */
    if (cm_motifs_check(set, err) != 0) { cm_motifs_free(set); return -1; }
    return 0;
}
