/* fachunk.c — see fachunk.h.  Built on textio.h's line reader (htslib underneath). */
#include "seq/fachunk.h"
#include "seq/seqio.h"
#include "core/textio.h"

#include <stdlib.h>
#include <string.h>

struct cm_fachunk_s {
    cm_reader_t *r;
    size_t chunk, overlap;
    int state;            /* 0 = at a header (pending or to read), 1 = inside a record, 2 = EOF */
    size_t lpos;          /* next unread byte of r->line (inside a record) */
    int line_pending;     /* r->line holds unread sequence text or a header */
    long rec;
    char *name, *desc;
    long lineno;
    size_t rec_pos;       /* bases of the record delivered before buf[0] */
    int first;
    char *buf;
    size_t len, cap;
};

cm_fachunk_t *cm_fachunk_open(const char *path, size_t chunk_bases, size_t overlap, cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return NULL;
    r->max_line = 0;   /* a chromosome may be one line */
    cm_fachunk_t *f = cm_calloc(1, sizeof *f);
    f->r = r;
    f->chunk = chunk_bases ? chunk_bases : 1;
    f->overlap = overlap;
    f->cap = f->chunk + overlap + 1;
    f->buf = cm_malloc(f->cap);
    f->rec = -1;
    return f;
}

/* Read the header line in r->line into name/desc. */
static int take_header(cm_fachunk_t *f, cm_err_t *err)
{
    cm_reader_t *r = f->r;
    const char *h, *d;
    size_t nl;
    if (cm_fasta_header(r->path, r->lineno, r->line, &h, &nl, &d, err) != 0) return -1;
    free(f->name); free(f->desc);
    f->name = cm_malloc(nl + 1);
    memcpy(f->name, h, nl);
    f->name[nl] = 0;
    f->desc = cm_strdup(d);
    f->lineno = r->lineno;
    f->rec++;
    f->rec_pos = 0;
    f->first = 1;
    f->len = 0;
    f->line_pending = 0;
    f->state = 1;
    return 0;
}

int cm_fachunk_next(cm_fachunk_t *f, cm_chunk_t *c, cm_err_t *err)
{
    cm_reader_t *r = f->r;
    int rc;
    if (f->state == 2) return 0;
    if (f->state == 0) {
        for (;;) {
            if (!f->line_pending) {
                rc = cm_reader_next(r, err);
                if (rc < 0) return -1;
                if (rc == 0) { f->state = 2; return 0; }
            }
            f->line_pending = 0;
            rc = cm_fasta_preamble_line(r->path, r->lineno, r->line, err);
            if (rc < 0) return -1;
            if (rc == 1) break;
        }
        if (take_header(f, err) < 0) return -1;
    }
    /* carry the overlap from the previous chunk of this record */
    size_t keep = 0;
    if (!f->first) {
        keep = f->len < f->overlap ? f->len : f->overlap;
        memmove(f->buf, f->buf + f->len - keep, keep);
        f->rec_pos += f->len - keep;
    }
    f->len = keep;
    size_t limit = keep + f->chunk;
    int end = 0;             /* 1 = record ended (header pending or EOF) */
    while (f->len < limit) {
        if (!f->line_pending) {
            rc = cm_reader_next(r, err);
            if (rc < 0) return -1;
            if (rc == 0) { end = 2; break; }
            f->lpos = 0;
            f->line_pending = 1;
        }
        if (r->line[0] == '>' && f->lpos == 0) { end = 1; break; }
        const char *p = r->line + f->lpos, *e = r->line + r->len;
        size_t m = (size_t)(e - p) < limit - f->len ? (size_t)(e - p) : limit - f->len;
        if (!memchr(p, ' ', m) && !memchr(p, '\t', m)) {   /* the usual line: copied whole */
            memcpy(f->buf + f->len, p, m);
            f->len += m;
            p += m;
        } else {
            while (p < e && f->len < limit) {
                if (*p != ' ' && *p != '\t') f->buf[f->len++] = *p;
                p++;
            }
        }
        f->lpos = (size_t)(p - r->line);
        if (p == e) f->line_pending = 0;
    }
    if (!end && !f->line_pending) {
        /* chunk full exactly at a line end: peek whether the record continues */
        rc = cm_reader_next(r, err);
        if (rc < 0) return -1;
        if (rc == 0) end = 2;
        else {
            f->lpos = 0;
            f->line_pending = 1;
            if (r->line[0] == '>') end = 1;
        }
    }
    f->buf[f->len] = 0;
    c->rec = f->rec;
    c->name = f->name;
    c->desc = f->desc;
    c->lineno = f->lineno;
    c->start = f->rec_pos;
    c->seq = f->buf;
    c->len = f->len;
    c->first = f->first;
    c->last = end != 0;
    c->has_offset = 0;
    c->offset = 0;
    c->label = NULL;
    f->first = 0;
    if (end == 1) { f->state = 0; f->line_pending = 1; }
    else if (end == 2) f->state = 2;   /* end of file: 0 next time */
    return 1;
}

void cm_fachunk_close(cm_fachunk_t *f)
{
    if (!f) return;
    cm_reader_close(f->r);
    free(f->name); free(f->desc); free(f->buf);
    free(f);
}

int cm_fachunk_src_next(void *f, cm_chunk_t *c, cm_err_t *err)
{
    return cm_fachunk_next(f, c, err);
}

void *cm_fachunk_src_open(void *path, size_t chunk_bases, size_t overlap, cm_err_t *err)
{
    return cm_fachunk_open(path, chunk_bases, overlap, err);
}

void cm_fachunk_src_close(void *f) { cm_fachunk_close(f); }

long cm_fachunk_records(const cm_fachunk_t *f) { return f->rec + 1; }
