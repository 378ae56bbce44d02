/* seqio.c — see seqio.h.  Built on the line reader of textio.c (htslib underneath). */
#include "seq/seqio.h"
#include "core/textio.h"

#include <stdlib.h>
#include <string.h>

struct cm_fasta_s {
    cm_reader_t *r;
    int have_header;     /* r->line holds a header not yet consumed */
};

cm_fasta_t *cm_fasta_open(const char *path, cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return NULL;
    r->max_line = 0;   /* a chromosome may be one line */
    cm_fasta_t *f = cm_calloc(1, sizeof *f);
    f->r = r;
    return f;
}

const char *cm_fasta_path(const cm_fasta_t *f) { return f->r->path; }

static void set_str(char **dst, size_t *cap, const char *s, size_t n)
{
    if (n + 1 > *cap) {
        *cap = n + 1;
        *dst = cm_realloc(*dst, *cap);
    }
    memcpy(*dst, s, n);
    (*dst)[n] = 0;
}

int cm_fasta_preamble_line(const char *path, long lineno, const char *line, cm_err_t *err)
{
    if (line[0] == '>') return 1;
    while (*line == ' ' || *line == '\t') line++;
    if (*line == 0 || *line == ';') return 0;
    return cm_fail(err, "%s:%ld: sequence text before the first '>' header (not FASTA?)",
                   path, lineno);
}

int cm_fasta_header(const char *path, long lineno, const char *line, const char **name,
                    size_t *nl, const char **desc, cm_err_t *err)
{
    const char *h = line + 1;
    while (*h == ' ' || *h == '\t') h++;
    size_t n = strcspn(h, " \t");
    if (n == 0) return cm_fail(err, "%s:%ld: FASTA header without a name", path, lineno);
    const char *d = h + n;
    while (*d == ' ' || *d == '\t') d++;
    *name = h;
    *nl = n;
    *desc = d;
    return 0;
}

int cm_fasta_next(cm_fasta_t *f, cm_seqrec_t *rec, cm_err_t *err)
{
    cm_reader_t *r = f->r;
    int rc;
    if (!f->have_header) {
        do {
            rc = cm_reader_next(r, err);
            if (rc <= 0) return rc;
        } while ((rc = cm_fasta_preamble_line(r->path, r->lineno, r->line, err)) == 0);
        if (rc < 0) return -1;
    }
    f->have_header = 0;
    const char *h, *d;
    size_t nl;
    if (cm_fasta_header(r->path, r->lineno, r->line, &h, &nl, &d, err) != 0) return -1;
    set_str(&rec->name, &rec->ncap_, h, nl);
    set_str(&rec->desc, &rec->dcap_, d, strlen(d));
    rec->lineno = r->lineno;
    rec->len = 0;
    if (!rec->seq) { rec->cap_ = 1024; rec->seq = cm_malloc(rec->cap_); }
    rec->seq[0] = 0;
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '>') { f->have_header = 1; break; }
        for (const char *p = r->line; *p; p++) {
            if (*p == ' ' || *p == '\t') continue;
            if (rec->len + 2 > rec->cap_) {
                rec->cap_ = rec->cap_ * 2 + r->len;
                rec->seq = cm_realloc(rec->seq, rec->cap_);
            }
            rec->seq[rec->len++] = *p;
        }
    }
    if (rc < 0) return -1;
    rec->seq[rec->len] = 0;
    return 1;
}

void cm_fasta_close(cm_fasta_t *f)
{
    if (!f) return;
    cm_reader_close(f->r);
    free(f);
}

void cm_seqrec_free(cm_seqrec_t *rec)
{
    if (!rec) return;
    free(rec->name); free(rec->desc); free(rec->seq);
    memset(rec, 0, sizeof *rec);
}
