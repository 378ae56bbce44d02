/* motif_formats.c — see motif_formats.h. */
#include "motif/motif_formats.h"
#include "core/textio.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *NAMES[] = {"auto", "meme", "jaspar", "transfac", "homer"};

int cm_motif_format_parse(const char *s, cm_motif_format_t *fmt)
{
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, NAMES[i])) { *fmt = (cm_motif_format_t)i; return 0; }
    return -1;
}

const char *cm_motif_format_name(cm_motif_format_t fmt)
{
    return (unsigned)fmt < 5 ? NAMES[fmt] : "?";
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
    m->lineno = lineno;
    return m;
}

/* cols: w × 4 raw values (position-major).  Counts (first column sum > 1.1) become
 * frequencies with nsites = first sum; probabilities are checked and kept. */
static int finish_cols(const char *path, cm_motif_t *m, double *cols, int w, cm_err_t *err)
{
    if (w < 1) return cm_fail(err, "%s:%ld: motif %s has no matrix columns", path, m->lineno, m->id);
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
        if (nrow == 4) { cm_fail(err, "%s:%ld: motif %s has more than 4 rows", r->path, r->lineno, cur->id); goto fail; }
        int a = label >= 0 ? label : nrow;
        if (seen[a]) { cm_fail(err, "%s:%ld: motif %s: letter %c given twice", r->path, r->lineno, cur->id, "ACGT"[a]); goto fail; }
        if (w >= 0 && n != w) {
            cm_fail(err, "%s:%ld: motif %s: row has %d values, previous rows %d", r->path, r->lineno, cur->id, n, w);
            goto fail;
        }
        w = n;
        seen[a] = 1;
        rows[a] = cm_malloc((size_t)(n ? n : 1) * sizeof *rows[a]);
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
            break;   /* MEME files may start with other text: left to the MEME parser */
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
    if (fmt == CM_MF_AUTO && cm_motif_format_detect(path, &fmt, err) != 0) {
        memset(set, 0, sizeof *set);
        return -1;
    }
    if (fmt == CM_MF_MEME) return cm_motifs_read(path, set, err);
    memset(set, 0, sizeof *set);
    set->path = cm_strdup(path);
    for (int a = 0; a < 4; a++) set->bg[a] = 0.25;
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) { cm_motifs_free(set); return -1; }
    int rc = fmt == CM_MF_JASPAR ? read_jaspar(r, set, err)
           : fmt == CM_MF_TRANSFAC ? read_transfac(r, set, err)
           : read_homer(r, set, err);
    if (rc == 0 && set->n == 0) rc = cm_fail(err, "%s: no %s motifs found", path, cm_motif_format_name(fmt));
    cm_reader_close(r);
    if (rc != 0) { cm_motifs_free(set); return -1; }
    return 0;
}
