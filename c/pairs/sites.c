/* sites.c — see sites.h. */
#include "pairs/sites.h"
#include "core/textio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Index of the (id, alt) motif, appended when new. */
static int intern_motif(cm_sites_t *out, const char *id, const char *alt)
{
    for (int i = out->nmotif - 1; i >= 0; i--)
        if (strcmp(out->motif_ids[i], id) == 0 && strcmp(out->motif_alts[i], alt) == 0) return i;
    int n = out->nmotif, cap = out->cmotif;   /* the two tables share cmotif */
    out->motif_ids = cm_grow(out->motif_ids, n, &out->cmotif, sizeof(char *), 16);
    out->motif_alts = cm_grow(out->motif_alts, n, &cap, sizeof(char *), 16);
    out->motif_ids[n] = cm_strdup(id);
    out->motif_alts[n] = cm_strdup(alt);
    return out->nmotif++;
}

enum { C_ID, C_ALT, C_SEQ, C_START, C_STOP, C_STRAND, C_SCORE, C_P, C_N };
static const char *COLS[C_N] = {"motif_id", "motif_alt_id", "sequence_name", "start",
                                "stop", "strand", "score", "p-value"};

int cm_sites_read(const char *path, cm_sites_t *out, cm_err_t *err)
{
    memset(out, 0, sizeof *out);
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int col[C_N], have_header = 0, rc, maxcol = 0;
    char *f[256];
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '#' || r->len == 0) continue;
        int nf = cm_split_tabs(r->line, f, 256);
        if (!have_header) {
            for (int c = 0; c < C_N; c++) {
                col[c] = -1;
                for (int i = 0; i < nf; i++)
                    if (strcmp(f[i], COLS[c]) == 0) col[c] = i;
                if (col[c] < 0) {
                    cm_fail(err, "%s:%ld: not a FIMO TSV header: no '%s' column", path, r->lineno, COLS[c]);
                    goto fail;
                }
                if (col[c] > maxcol) maxcol = col[c];
            }
            have_header = 1;
            continue;
        }
        if (nf <= maxcol) {
            cm_fail(err, "%s:%ld: %d columns, the header has more than %d", path, r->lineno, nf, maxcol);
            goto fail;
        }
        long st, sp;
        double score, p;
        if (cm_parse_long(f[col[C_START]], &st) || cm_parse_long(f[col[C_STOP]], &sp) || st < 1 || sp < st) {
            cm_fail(err, "%s:%ld: bad start/stop '%s'/'%s' (1-based, stop >= start)", path, r->lineno,
                    f[col[C_START]], f[col[C_STOP]]);
            goto fail;
        }
        if (cm_parse_double(f[col[C_SCORE]], &score) || !isfinite(score) || cm_parse_double(f[col[C_P]], &p)
            || !(p >= 0 && p <= 1)) {
            cm_fail(err, "%s:%ld: bad score or p-value '%s'/'%s'", path, r->lineno, f[col[C_SCORE]], f[col[C_P]]);
            goto fail;
        }
        const char *strand = f[col[C_STRAND]];
        if ((strand[0] != '+' && strand[0] != '-') || strand[1]) {
            cm_fail(err, "%s:%ld: strand '%s' is not + or -", path, r->lineno, strand);
            goto fail;
        }
        out->s = cm_grow(out->s, out->n, &out->cap, sizeof(cm_site_t), 1024);
        cm_site_t *s = &out->s[out->n++];
        int nc = out->nchrom;
        s->chrom = cm_intern(&out->chroms, &out->nchrom, &out->cchrom, f[col[C_SEQ]]);
        if (out->nchrom > nc) {
            out->chrom_line = cm_realloc(out->chrom_line, (size_t)out->nchrom * sizeof *out->chrom_line);
            out->chrom_line[nc] = r->lineno;
        }
        int mi = intern_motif(out, f[col[C_ID]], f[col[C_ALT]]);
        s->motif = mi;
        s->start = st - 1;
        s->end = sp;
        s->strand = strand[0];
        s->score = score;
        s->p = p;
    }
    if (rc < 0) goto fail;
    cm_reader_close(r);
    return 0;
fail:
    cm_reader_close(r);
    cm_sites_free(out);
    return -1;
}

void cm_sites_free(cm_sites_t *s)
{
    if (!s) return;
    for (int i = 0; i < s->nchrom; i++) free(s->chroms[i]);
    for (int i = 0; i < s->nmotif; i++) { free(s->motif_ids[i]); free(s->motif_alts[i]); }
    free(s->chroms); free(s->chrom_line); free(s->motif_ids); free(s->motif_alts); free(s->s);
    memset(s, 0, sizeof *s);
}
