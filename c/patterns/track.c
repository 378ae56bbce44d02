/* track.c — importance tracks from saturation tables and bedGraphs (track.h). */
#include "patterns/track.h"
#include "core/dna.h"
#include "core/textio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cm_pat_data_free(cm_pat_data_t *d)
{
    if (!d) return;
    for (int t = 0; t < d->ntrack; t++) {
        cm_pat_track_t *tr = &d->track[t];
        for (int r = 0; r < tr->nreg; r++) {
            free(tr->reg[r].seq);
            free(tr->reg[r].imp);
        }
        free(tr->reg);
        free(tr->head);
    }
    free(d->track);
    for (int c = 0; c < d->nchrom; c++) free(d->chroms[c]);
    free(d->chroms);
    memset(d, 0, sizeof *d);
}

static int add_track(cm_pat_data_t *d, const char *head)
{
    d->track = cm_realloc(d->track, (size_t)(d->ntrack + 1) * sizeof *d->track);
    cm_pat_track_t *t = &d->track[d->ntrack];
    memset(t, 0, sizeof *t);
    t->head = cm_strdup(head);
    return d->ntrack++;
}

/* Append a region (copies of seq and imp) to track t. */
static void add_region(cm_pat_track_t *t, int chrom, int64_t start, int len,
                       const uint8_t *seq, const float *imp)
{
    t->reg = cm_grow(t->reg, t->nreg, &t->cap, sizeof *t->reg, 16);
    cm_pat_region_t *r = &t->reg[t->nreg++];
    r->chrom = chrom, r->start = start, r->len = len;
    r->seq = cm_malloc((size_t)len);
    memcpy(r->seq, seq, (size_t)len);
    r->imp = cm_malloc((size_t)len * sizeof(float));
    memcpy(r->imp, imp, (size_t)len * sizeof(float));
}

/* ---- saturation tables ---- */

typedef struct {
    const char *path;
    cm_genome_t *g;
    cm_pat_data_t *d;
    /* heads of the file */
    char **fh; int nfh, capfh, frozen;
    int *map;                 /* file head -> track, or -1 */
    /* the current position */
    int have_pos; char *chrom; int chrom_id; int64_t pos; char ref; long line;
    double *sum; int *cnt; int capsum;
    /* the current region */
    int64_t rstart; int rlen, rcap;
    char *refs; long *lines; float **imp; /* imp[file head][rlen] */
    uint8_t *codes; int ccap;
    int nrows;
} sat_t;

static int sat_close_region(sat_t *S, cm_err_t *err)
{
    if (S->rlen == 0) return 0;
    if (S->rlen > S->ccap) {
        S->ccap = S->rlen;
        S->codes = cm_realloc(S->codes, (size_t)S->ccap);
    }
    const char *chrom = S->d->chroms[S->chrom_id];
    if (cm_genome_fetch(S->g, chrom, S->rstart, S->rstart + S->rlen, S->codes, err) != 0)
        return -1;
    for (int i = 0; i < S->rlen; i++) {
        char gl = cm_nt4_letter(S->codes[i]);
        if (gl != S->refs[i])
            return cm_fail(err, "%s:%ld: ref %c at %s:%lld but the genome %s has %c there "
                           "(a saturation file from another genome?)", S->path, S->lines[i],
                           S->refs[i], chrom, (long long)(S->rstart + i),
                           cm_genome_path(S->g), gl);
    }
    for (int h = 0; h < S->nfh; h++)
        if (S->map[h] >= 0)
            add_region(&S->d->track[S->map[h]], S->chrom_id, S->rstart, S->rlen, S->codes,
                       S->imp[h]);
    S->rlen = 0;
    return 0;
}

/* Freeze the file's heads after the first position and map them to tracks. */
static int sat_freeze(sat_t *S, char **heads, int nheads, cm_err_t *err)
{
    S->frozen = 1;
    S->map = cm_malloc((size_t)S->nfh * sizeof(int));
    S->imp = cm_calloc((size_t)S->nfh, sizeof(float *));
    for (int h = 0; h < S->nfh; h++) S->map[h] = nheads ? -1 : add_track(S->d, S->fh[h]);
    for (int k = 0; k < nheads; k++) {
        int h = 0;
        while (h < S->nfh && strcmp(S->fh[h], heads[k])) h++;
        if (h == S->nfh) {
            char list[512] = "";
            for (int j = 0; j < S->nfh && strlen(list) < 400; j++)
                strcat(strcat(list, j ? "," : ""), S->fh[j]);
            return cm_fail(err, "%s: head %s not in the file (its heads: %s)", S->path,
                           heads[k], list);
        }
        if (S->map[h] >= 0) return cm_fail(err, "--head %s given twice", heads[k]);
        S->map[h] = add_track(S->d, heads[k]);
    }
    return 0;
}

/* The current position is complete: check its heads, store its importances. */
static int sat_close_pos(sat_t *S, char **heads, int nheads, cm_err_t *err)
{
    if (!S->have_pos) return 0;
    if (!S->frozen && sat_freeze(S, heads, nheads, err) != 0) return -1;
    int want = S->ref == 'N' ? 4 : 3;
    for (int h = 0; h < S->nfh; h++)
        if (S->cnt[h] != want)
            return cm_fail(err, "%s:%ld: %s:%lld has %d rows of head %s, expected %d (one per "
                           "alt; a head missing here?)", S->path, S->line, S->chrom,
                           (long long)S->pos, S->cnt[h], S->fh[h], want);
    if (S->rlen == S->rcap) {
        S->rcap = S->rcap ? 2 * S->rcap : 1024;
        S->refs = cm_realloc(S->refs, (size_t)S->rcap);
        S->lines = cm_realloc(S->lines, (size_t)S->rcap * sizeof(long));
        for (int h = 0; h < S->nfh; h++)
            S->imp[h] = cm_realloc(S->imp[h], (size_t)S->rcap * sizeof(float));
    }
    S->refs[S->rlen] = S->ref;
    S->lines[S->rlen] = S->line;
    for (int h = 0; h < S->nfh; h++) {
        S->imp[h][S->rlen] = (float)(-0.25 * S->sum[h]);
        S->sum[h] = 0, S->cnt[h] = 0;
    }
    S->rlen++;
    S->have_pos = 0;
    return 0;
}

int cm_pat_read_saturation(const char *path, cm_genome_t *g, char **heads, int nheads,
                           cm_pat_data_t *d, cm_err_t *err)
{
    memset(d, 0, sizeof *d);
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    sat_t S;
    memset(&S, 0, sizeof S);
    S.path = path, S.g = g, S.d = d;
    int ci[6] = {-1, -1, -1, -1, -1, -1}, have_header = 0, rc = -1, st;
    static const char *cols[6] = {"chrom", "pos", "ref", "alt", "head", "delta"};
    char *f[64];
    while ((st = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '#' || r->len == 0) continue;
        int nf = cm_split_tabs(r->line, f, 64);
        if (!have_header) {
            for (int k = 0; k < 6; k++)
                if ((ci[k] = cm_field_index(f, nf, cols[k])) < 0) {
                    cm_fail(err, "%s:%ld: header lacks column %s (not a saturation table of "
                            "coopmap-ism --saturation: chrom pos ref alt head baseline delta)",
                            path, r->lineno, cols[k]);
                    goto done;
                }
            have_header = 1;
            continue;
        }
        int need = 0;
        for (int k = 0; k < 6; k++) need = ci[k] >= need ? ci[k] + 1 : need;
        if (nf < need) {
            cm_fail(err, "%s:%ld: %d fields, expected %d", path, r->lineno, nf, need);
            goto done;
        }
        const char *chrom = f[ci[0]], *head = f[ci[4]];
        long pos;
        double delta;
        if (cm_parse_long(f[ci[1]], &pos) != 0 || pos < 0) {
            cm_fail(err, "%s:%ld: pos '%s' is not an integer >= 0", path, r->lineno, f[ci[1]]);
            goto done;
        }
        if (cm_parse_double(f[ci[5]], &delta) != 0 || !(fabs(delta) <= CM_PAT_MAX_ABS)) {
            cm_fail(err, "%s:%ld: delta '%s' is not a finite number in [-%g, %g]", path,
                    r->lineno, f[ci[5]], CM_PAT_MAX_ABS, CM_PAT_MAX_ABS);
            goto done;
        }
        char ref = f[ci[2]][0];
        if (strlen(f[ci[2]]) != 1 || !strchr("ACGTN", ref)) {
            cm_fail(err, "%s:%ld: ref '%s' is not one of A C G T N", path, r->lineno, f[ci[2]]);
            goto done;
        }
        int newpos = !S.have_pos || S.pos != pos || strcmp(S.chrom, chrom);
        if (newpos) {
            int same_chrom = S.chrom && !strcmp(S.chrom, chrom);
            int64_t prev = S.pos;
            if (sat_close_pos(&S, heads, nheads, err) != 0) goto done;
            if (!same_chrom || pos != prev + 1 || S.rlen == 0) {
                if (sat_close_region(&S, err) != 0) goto done;
                int64_t L = cm_genome_seq_len(g, chrom);
                if (L < 0) {
                    cm_fail(err, "%s:%ld: chrom %s is not in the genome %s (a saturation file "
                            "from another genome?)", path, r->lineno, chrom, cm_genome_path(g));
                    goto done;
                }
                if (!same_chrom) {
                    free(S.chrom);
                    S.chrom = cm_strdup(chrom);
                    S.chrom_id = cm_intern(&d->chroms, &d->nchrom, &d->cap_chrom, chrom);
                }
                S.rstart = pos;
            }
            int64_t L = cm_genome_seq_len(g, chrom);
            if (pos >= L) {
                cm_fail(err, "%s:%ld: pos %ld is beyond the end of %s (%lld bp) in the genome %s",
                        path, r->lineno, pos, chrom, (long long)L, cm_genome_path(g));
                goto done;
            }
            S.have_pos = 1, S.pos = pos, S.ref = ref, S.line = r->lineno;
        } else if (ref != S.ref) {
            cm_fail(err, "%s:%ld: ref %c differs from the ref %c of the rows before at %s:%ld",
                    path, r->lineno, ref, S.ref, chrom, pos);
            goto done;
        }
        int h = 0;
        while (h < S.nfh && strcmp(S.fh[h], head)) h++;
        if (h == S.nfh) {
            if (S.frozen) {
                cm_fail(err, "%s:%ld: head %s is not among the heads of the first position",
                        path, r->lineno, head);
                goto done;
            }
            S.fh = cm_grow(S.fh, S.nfh, &S.capfh, sizeof(char *), 8);
            S.fh[S.nfh] = cm_strdup(head);
            if (S.nfh >= S.capsum) {
                S.capsum = S.capfh;
                S.sum = cm_realloc(S.sum, (size_t)S.capsum * sizeof(double));
                S.cnt = cm_realloc(S.cnt, (size_t)S.capsum * sizeof(int));
            }
            S.sum[S.nfh] = 0, S.cnt[S.nfh] = 0;
            S.nfh++;
        }
        S.sum[h] += delta;
        S.cnt[h]++;
        S.nrows++;
    }
    if (st < 0) goto done;
    if (!have_header) {
        cm_fail(err, "%s: empty (no header line 'chrom pos ref alt head baseline delta')", path);
        goto done;
    }
    if (S.nrows == 0) {
        cm_fail(err, "%s:%ld: no data rows (empty importance track)", path, r->lineno);
        goto done;
    }
    if (sat_close_pos(&S, heads, nheads, err) != 0 || sat_close_region(&S, err) != 0) goto done;
    rc = 0;
done:
    cm_reader_close(r);
    for (int h = 0; h < S.nfh; h++) {
        free(S.fh[h]);
        if (S.imp) free(S.imp[h]);
    }
    free(S.fh), free(S.imp), free(S.map), free(S.sum), free(S.cnt), free(S.chrom);
    free(S.refs), free(S.lines), free(S.codes);
    if (rc != 0) cm_pat_data_free(d);
    return rc;
}

/* ---- bedGraphs ---- */

int cm_pat_read_bedgraph(const char *path, const char *head, cm_genome_t *g,
                         cm_pat_data_t *d, cm_err_t *err)
{
    for (int t = 0; t < d->ntrack; t++)
        if (!strcmp(d->track[t].head, head)) return cm_fail(err, "--head %s given twice", head);
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int t = add_track(d, head), rc = -1, st, chrom_id = -1, rlen = 0, rcap = 0;
    int64_t rstart = 0;
    float *imp = NULL;
    uint8_t *codes = NULL;
    char *f[8];
    long nrows = 0;
#define FLUSH() do { if (rlen) { codes = cm_realloc(codes, (size_t)rlen); \
        if (cm_genome_fetch(g, d->chroms[chrom_id], rstart, rstart + rlen, codes, err) != 0) goto done; \
        add_region(&d->track[t], chrom_id, rstart, rlen, codes, imp); rlen = 0; } } while (0)
    while ((st = cm_reader_next(r, err)) == 1) {
        if (r->len == 0 || r->line[0] == '#' || !strncmp(r->line, "track", 5) ||
            !strncmp(r->line, "browser", 7)) continue;
        int nf = cm_split_ws(r->line, f, 8);
        long s, e;
        double v;
        if (nf < 4) {
            cm_fail(err, "%s:%ld: %d fields, expected chrom start end value", path, r->lineno, nf);
            goto done;
        }
        if (cm_parse_long(f[1], &s) != 0 || cm_parse_long(f[2], &e) != 0 || s < 0 || e <= s) {
            cm_fail(err, "%s:%ld: bad interval %s %s (need 0 <= start < end)", path, r->lineno,
                    f[1], f[2]);
            goto done;
        }
        if (cm_parse_double(f[3], &v) != 0 || !(fabs(v) <= CM_PAT_MAX_ABS)) {
            cm_fail(err, "%s:%ld: value '%s' is not a finite number in [-%g, %g]", path,
                    r->lineno, f[3], CM_PAT_MAX_ABS, CM_PAT_MAX_ABS);
            goto done;
        }
        int64_t L = cm_genome_seq_len(g, f[0]);
        if (L < 0) {
            cm_fail(err, "%s:%ld: chrom %s is not in the genome %s", path, r->lineno, f[0],
                    cm_genome_path(g));
            goto done;
        }
        if (e > L) {
            cm_fail(err, "%s:%ld: end %ld is beyond the end of %s (%lld bp) in the genome %s",
                    path, r->lineno, e, f[0], (long long)L, cm_genome_path(g));
            goto done;
        }
        int c = cm_intern(&d->chroms, &d->nchrom, &d->cap_chrom, f[0]);
        if (c != chrom_id || s != rstart + rlen) {
            FLUSH();
            chrom_id = c, rstart = s;
        }
        if (rlen + (e - s) > 1000000000L) {
            cm_fail(err, "%s:%ld: region longer than 1e9 bp", path, r->lineno);
            goto done;
        }
        while (rlen + (e - s) > rcap) {
            rcap = rcap ? 2 * rcap : 1024;
            imp = cm_realloc(imp, (size_t)rcap * sizeof(float));
        }
        for (long p = s; p < e; p++) imp[rlen++] = (float)v;
        nrows++;
    }
    if (st < 0) goto done;
    if (nrows == 0) {
        cm_fail(err, "%s: no intervals (empty importance track of head %s)", path, head);
        goto done;
    }
    FLUSH();
    rc = 0;
#undef FLUSH
done:
    cm_reader_close(r);
    free(imp);
    free(codes);
    return rc;
}

void cm_pat_composition(const cm_pat_data_t *d, double comp[4])
{
    double n[4] = {0, 0, 0, 0};
    for (int t = 0; t < d->ntrack; t++)
        for (int r = 0; r < d->track[t].nreg; r++) {
            const cm_pat_region_t *R = &d->track[t].reg[r];
            for (int i = 0; i < R->len; i++)
                if (R->seq[i] < 4) n[R->seq[i]] += 1;
        }
    double tot = n[0] + n[1] + n[2] + n[3];
    if (tot <= 0) {
        comp[0] = comp[1] = comp[2] = comp[3] = 0.25;
        return;
    }
    comp[0] = comp[3] = (n[0] + n[3]) / (2 * tot);
    comp[1] = comp[2] = (n[1] + n[2]) / (2 * tot);
}
