/* regions.c — see regions.h. */
#include "seq/regions.h"
#include "core/textio.h"
#include "seq/genome.h"

#include <htslib/faidx.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *chrom, *name;
    int64_t start, end;
} region_t;

struct cm_regions_s {
    faidx_t *fai;
    char *gpath;
    region_t *r;
    size_t n, cap;
    size_t chunk, overlap;
    size_t cur;          /* region being delivered */
    int64_t pos;         /* next new base of region cur (genome coordinate) */
    char *buf;           /* chunk letters */
    size_t len;
};

size_t cm_regions_count(const cm_regions_t *r) { return r->n; }

cm_regions_t *cm_regions_open(const char *bed_path, const char *genome_path, size_t chunk_bases,
                              size_t overlap, cm_err_t *err)
{
    cm_regions_t *R = cm_calloc(1, sizeof *R);
    R->chunk = chunk_bases ? chunk_bases : 1;
    R->overlap = overlap;
    R->gpath = cm_strdup(genome_path);
    if (cm_genome_check_bgzf(genome_path, err) != 0) { cm_regions_close(R); return NULL; }
    R->fai = fai_load3(genome_path, NULL, NULL, FAI_CREATE);
    if (!R->fai) {
        cm_fail(err, "%s: cannot open indexed FASTA (plain or bgzip, with .fai/.gzi or a "
                     "writable directory to build them)", genome_path);
        cm_regions_close(R);
        return NULL;
    }
    cm_reader_t *rd = cm_reader_open(bed_path, err);
    if (!rd) { cm_regions_close(R); return NULL; }
    int rc;
    while ((rc = cm_reader_next(rd, err)) == 1) {
        char *s = rd->line;
        while (*s == ' ' || *s == '\t') s++;
        if (!*s || *s == '#' || !strncmp(s, "track", 5) || !strncmp(s, "browser", 7)) continue;
        char *buf = cm_strdup(rd->line), *f[5];
        int nf = cm_split_tabs(buf, f, 5);
        long a, b;
        if (nf < 3 || cm_parse_long(f[1], &a) != 0 || cm_parse_long(f[2], &b) != 0 || a < 0 || b <= a) {
            cm_fail(err, "%s:%ld: bad BED line (chrom, start >= 0, end > start; tab-separated)",
                    bed_path, rd->lineno);
            free(buf);
            rc = -1;
            break;
        }
        if (!faidx_has_seq(R->fai, f[0])) {
            cm_fail(err, "%s:%ld: sequence '%s' is not in %s", bed_path, rd->lineno, f[0], genome_path);
            free(buf);
            rc = -1;
            break;
        }
        int64_t L = faidx_seq_len(R->fai, f[0]);
        if (b > L) {
            cm_fail(err, "%s:%ld: end %ld is past the end of %s (%lld bp)", bed_path, rd->lineno,
                    b, f[0], (long long)L);
            free(buf);
            rc = -1;
            break;
        }
        if (R->n == R->cap) {
            R->cap = R->cap ? R->cap * 2 : 64;
            R->r = cm_realloc(R->r, R->cap * sizeof *R->r);
        }
        region_t *g = &R->r[R->n++];
        g->chrom = cm_strdup(f[0]);
        g->name = cm_strdup(nf >= 4 && *f[3] ? f[3] : ".");
        g->start = a;
        g->end = b;
        free(buf);
    }
    cm_reader_close(rd);
    if (rc < 0) { cm_regions_close(R); return NULL; }
    R->cur = 0;
    R->pos = R->n ? R->r[0].start : 0;
    R->buf = cm_malloc(R->chunk + R->overlap + 1);
    return R;
}

int cm_regions_next(void *regions, cm_chunk_t *c, cm_err_t *err)
{
    cm_regions_t *R = regions;
    if (R->cur >= R->n) return 0;
    region_t *g = &R->r[R->cur];
    int first = R->pos == g->start;
    int64_t from = first ? g->start : R->pos - (int64_t)R->overlap;
    if (from < g->start) from = g->start;
    int64_t to = R->pos + (int64_t)R->chunk;
    if (to > g->end) to = g->end;
    hts_pos_t got = 0;
    char *s = faidx_fetch_seq64(R->fai, g->chrom, from, to - 1, &got);
    if (!s || got != to - from) {
        free(s);
        return cm_fail(err, "%s: cannot read %s:%lld-%lld", R->gpath, g->chrom,
                       (long long)from, (long long)to);
    }
    memcpy(R->buf, s, (size_t)got);
    R->buf[got] = 0;
    free(s);
    c->rec = (long)R->cur;
    c->name = g->chrom;
    c->desc = "";
    c->lineno = 0;
    c->start = (size_t)(from - g->start);
    c->seq = R->buf;
    c->len = (size_t)got;
    c->first = first;
    c->last = to == g->end;
    c->has_offset = 1;
    c->offset = (long)g->start;
    c->label = g->name;
    if (c->last) {
        R->cur++;
        if (R->cur < R->n) R->pos = R->r[R->cur].start;
    } else {
        R->pos = to;
    }
    return 1;
}

void cm_regions_close(cm_regions_t *R)
{
    if (!R) return;
    if (R->fai) fai_destroy(R->fai);
    for (size_t i = 0; i < R->n; i++) { free(R->r[i].chrom); free(R->r[i].name); }
    free(R->r); free(R->buf); free(R->gpath);
    free(R);
}

void *cm_regions_src_open(void *spec, size_t chunk_bases, size_t overlap, cm_err_t *err)
{
    const cm_regions_spec_t *s = spec;
    return cm_regions_open(s->bed, s->genome, chunk_bases, overlap, err);
}

void cm_regions_src_close(void *r) { cm_regions_close(r); }
