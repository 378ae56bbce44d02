/* effects.c — see effects.h. */
#include "stats/effects.h"
#include "core/textio.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <htslib/khash.h>

KHASH_MAP_INIT_STR(cm_tf, int)
/* "kind\tpair_id" -> file index (high 32 bits) and line (low 32 bits) of its first row */
KHASH_MAP_INIT_STR(cm_rowid, uint64_t)

enum { C_KIND, C_SRC, C_TGT, C_DIST, C_HOMO, C_DSRC, C_DTGT, C_INTER, C_N };
static const char *const col_names[C_N] = {
    "kind", "source_tf", "target_tf", "distance", "homotypic",
    "delta_source", "delta_target", "interaction"
};

void cm_effects_init(cm_effects_t *ef)
{
    memset(ef, 0, sizeof *ef);
}

static int intern(cm_effects_t *ef, const char *name)
{
    khash_t(cm_tf) *h = ef->index;
    if (!h) ef->index = h = kh_init(cm_tf);
    khiter_t k = kh_get(cm_tf, h, name);
    if (k != kh_end(h)) return kh_val(h, k);
    char *s = cm_strdup(name);
    int ret;
    k = kh_put(cm_tf, h, s, &ret);
    if (ret < 0) cm_oom();
    ef->tf = cm_realloc(ef->tf, (size_t)(ef->n_tf + 1) * sizeof *ef->tf);
    ef->tf[ef->n_tf] = s;
    kh_val(h, k) = ef->n_tf;
    return ef->n_tf++;
}

/* Parse a finite number from a required field. */
static int num(const char *path, long line, const char *col, const char *s, double *v, cm_err_t *err)
{
    if (!*s) return cm_fail(err, "%s:%ld: empty value in column '%s'", path, line, col);
    if (cm_parse_double(s, v) != 0 || !isfinite(*v))
        return cm_fail(err, "%s:%ld: column '%s': '%s' is not a finite number", path, line, col, s);
    if (fabs(*v) > CM_EFFECT_MAX)
        return cm_fail(err, "%s:%ld: column '%s': '%s' is out of range (|value| <= %g)", path, line,
                       col, s, CM_EFFECT_MAX);
    return 0;
}

/* Record (kind, id) of the row at line of the current file; -1 with err if seen. */
static int row_id(cm_effects_t *ef, const char *path, long line, const char *kind, const char *id,
                  cm_err_t *err)
{
    khash_t(cm_rowid) *h = ef->ids;
    if (!h) ef->ids = h = kh_init(cm_rowid);
    size_t nk = strlen(kind), ni = strlen(id);
    char *key = cm_malloc(nk + ni + 2);
    memcpy(key, kind, nk);
    key[nk] = '\t';
    memcpy(key + nk + 1, id, ni + 1);
    int ret;
    khiter_t k = kh_put(cm_rowid, h, key, &ret);
    if (ret < 0) cm_oom();
    if (ret == 0) {
        free(key);
        uint64_t v = kh_val(h, k);
        return cm_fail(err, "%s:%ld: %s row '%s' repeats %s:%lu (the same effects file, or "
                       "overlapping shards, given twice?)", path, line, kind, id,
                       ef->files[v >> 32], (unsigned long)(v & 0xffffffffu));
    }
    kh_val(h, k) = ((uint64_t)(ef->n_files - 1) << 32) | (uint64_t)(line & 0xffffffff);
    return 0;
}

static void ids_free(cm_effects_t *ef)
{
    khash_t(cm_rowid) *h = ef->ids;
    if (h) {
        for (khiter_t k = kh_begin(h); k != kh_end(h); k++)
            if (kh_exist(h, k)) free((char *)kh_key(h, k));
        kh_destroy(cm_rowid, h);
    }
    ef->ids = NULL;
    for (int i = 0; i < ef->n_files; i++) free(ef->files[i]);
    free(ef->files);
    ef->files = NULL;
    ef->n_files = 0;
}

int cm_effects_read(const char *path, cm_effects_t *ef, cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int col[C_N], have_header = 0, maxf = 0, rc, ret = -1, cid = -1;
    char **f = NULL;
    for (int i = 0; i < C_N; i++) col[i] = -1;
    ef->files = cm_realloc(ef->files, (size_t)(ef->n_files + 1) * sizeof *ef->files);
    ef->files[ef->n_files++] = cm_strdup(path);

    while ((rc = cm_reader_next(r, err)) == 1) {
        char *s = r->line;
        if (s[0] == '#' ) continue;
        if (!have_header) {
            int nf = 1;
            for (char *p = s; *p; p++) nf += *p == '\t';
            maxf = nf + 1;
            f = cm_malloc((size_t)maxf * sizeof *f);
            nf = cm_split_tabs(s, f, maxf);
            for (int i = 0; i < nf; i++)
                for (int c = 0; c < C_N; c++)
                    if (col[c] < 0 && strcmp(f[i], col_names[c]) == 0) col[c] = i;
            for (int c = 0; c < C_N; c++)
                if (col[c] < 0) {
                    cm_fail(err, "%s:%ld: missing column '%s' in the header line", path, r->lineno, col_names[c]);
                    goto done;
                }
            cid = cm_field_index(f, nf, "pair_id");
            have_header = 1;
            continue;
        }
        if (!s[0]) continue;
        int nf = cm_split_tabs(s, f, maxf);
        if (nf != maxf - 1) {
            cm_fail(err, "%s:%ld: %d fields, the header has %d", path, r->lineno, nf, maxf - 1);
            goto done;
        }
        cm_effect_t e = { 0, 0, -1, -1, -1, NAN, NAN, NAN };
        const char *kind = f[col[C_KIND]];
        if (strcmp(kind, "self") == 0) e.is_pair = 0;
        else if (strcmp(kind, "pair") == 0) e.is_pair = 1;
        else { cm_fail(err, "%s:%ld: column 'kind': '%s' is not self or pair", path, r->lineno, kind); goto done; }
        const char *src = f[col[C_SRC]];
        if (!*src) { cm_fail(err, "%s:%ld: empty value in column 'source_tf'", path, r->lineno); goto done; }
        if (!e.is_pair) {
            if (num(path, r->lineno, "delta_source", f[col[C_DSRC]], &e.delta_source, err) < 0) goto done;
        } else {
            const char *tgt = f[col[C_TGT]], *h = f[col[C_HOMO]], *in = f[col[C_INTER]];
            if (!*tgt) { cm_fail(err, "%s:%ld: empty value in column 'target_tf' of a pair row", path, r->lineno); goto done; }
            if (cm_parse_double(f[col[C_DIST]], &e.distance) != 0 || !(e.distance >= 0 && e.distance <= 1e9)) {
                cm_fail(err, "%s:%ld: column 'distance': '%s' is not a number in [0, 1e9] (bp)", path,
                        r->lineno, f[col[C_DIST]]);
                goto done;
            }
            if (strcmp(h, "0") != 0 && strcmp(h, "1") != 0) {
                cm_fail(err, "%s:%ld: column 'homotypic': '%s' is not 0 or 1", path, r->lineno, h);
                goto done;
            }
            e.homotypic = h[0] == '1' || strcmp(src, tgt) == 0;
            if (num(path, r->lineno, "delta_target", f[col[C_DTGT]], &e.delta_target, err) < 0) goto done;
            if (*in && num(path, r->lineno, "interaction", in, &e.interaction, err) < 0) goto done;
            const char *ds = f[col[C_DSRC]];
            if (*ds && num(path, r->lineno, "delta_source", ds, &e.delta_source, err) < 0) goto done;
            e.tgt = intern(ef, tgt);
        }
        if (cid >= 0 && f[cid][0] && row_id(ef, path, r->lineno, kind, f[cid], err) < 0) goto done;
        e.src = intern(ef, src);
        if (ef->n == ef->m) {
            ef->m = ef->m ? ef->m * 2 : 1024;
            ef->e = cm_realloc(ef->e, ef->m * sizeof *ef->e);
        }
        ef->e[ef->n++] = e;
    }
    if (rc < 0) goto done;
    if (!have_header) { cm_fail(err, "%s: no header line", path); goto done; }
    ret = 0;
done:
    free(f);
    cm_reader_close(r);
    return ret;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

void cm_effects_finish(cm_effects_t *ef)
{
    if (ef->index) { kh_destroy(cm_tf, (khash_t(cm_tf) *)ef->index); ef->index = NULL; }
    ids_free(ef);
    if (ef->n_tf == 0) return;
    char ***ptr = cm_malloc((size_t)ef->n_tf * sizeof *ptr);
    for (int i = 0; i < ef->n_tf; i++) ptr[i] = &ef->tf[i];
    qsort(ptr, (size_t)ef->n_tf, sizeof *ptr, cmp_name);   /* names are unique */
    int *newidx = cm_malloc((size_t)ef->n_tf * sizeof *newidx);
    char **sorted = cm_malloc((size_t)ef->n_tf * sizeof *sorted);
    for (int i = 0; i < ef->n_tf; i++) {
        int old = (int)(ptr[i] - ef->tf);
        newidx[old] = i;
        sorted[i] = ef->tf[old];
    }
    for (size_t k = 0; k < ef->n; k++) {
        ef->e[k].src = newidx[ef->e[k].src];
        if (ef->e[k].tgt >= 0) ef->e[k].tgt = newidx[ef->e[k].tgt];
    }
    free(ef->tf);
    ef->tf = sorted;
    free(newidx);
    free(ptr);
}

void cm_effects_free(cm_effects_t *ef)
{
    if (!ef) return;
    if (ef->index) kh_destroy(cm_tf, (khash_t(cm_tf) *)ef->index);
    ids_free(ef);
    for (int i = 0; i < ef->n_tf; i++) free(ef->tf[i]);
    free(ef->tf);
    free(ef->e);
    memset(ef, 0, sizeof *ef);
}
