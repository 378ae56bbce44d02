/* background.c — see background.h. */
#include "motif/background.h"
#include "core/textio.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

const double CM_BG_NRDB[4] = {0.281774, 0.222020, 0.228876, 0.267330};

static int read_bfile(const char *path, double bg[4], cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int got[4] = {0, 0, 0, 0}, rc;
    while ((rc = cm_reader_next(r, err)) == 1) {
        char *tok[4];
        int n = cm_split_ws(r->line, tok, 4);
        if (n == 0 || tok[0][0] == '#') continue;
        if (n != 2) {
            cm_fail(err, "%s:%ld: expected 'LETTER(S) FREQUENCY'", path, r->lineno);
            goto fail;
        }
        if (strlen(tok[0]) != 1) continue;  /* higher-order Markov entry: not used */
        const char *p = strchr("ACGT", toupper((unsigned char)tok[0][0]));
        double v;
        if (!p) {
            cm_fail(err, "%s:%ld: '%s' is not a DNA letter", path, r->lineno, tok[0]);
            goto fail;
        }
        if (cm_parse_double(tok[1], &v) != 0 || !(v >= 0) || !isfinite(v)) {
            cm_fail(err, "%s:%ld: frequency '%s' is not a number >= 0", path, r->lineno, tok[1]);
            goto fail;
        }
        bg[p - "ACGT"] = v;
        got[p - "ACGT"] = 1;
    }
    if (rc < 0) goto fail;
    for (int a = 0; a < 4; a++)
        if (!got[a]) {
            cm_fail(err, "%s: no frequency for letter %c", path, "ACGT"[a]);
            goto fail;
        }
    if (bg[0] + bg[1] + bg[2] + bg[3] <= 0) {
        cm_fail(err, "%s: frequencies sum to 0", path);
        goto fail;
    }
    cm_reader_close(r);
    return 0;
fail:
    cm_reader_close(r);
    return -1;
}

int cm_bg_resolve(const char *spec, const cm_motifset_t *motifs, double bg[4], cm_err_t *err)
{
    if (!spec || strcmp(spec, "--nrdb--") == 0) {
        memcpy(bg, CM_BG_NRDB, sizeof CM_BG_NRDB);
    } else if (strcmp(spec, "--uniform--") == 0) {
        for (int a = 0; a < 4; a++) bg[a] = 0.25;
    } else if (strcmp(spec, "--motif--") == 0) {
        for (int a = 0; a < 4; a++) bg[a] = motifs && motifs->has_bg ? motifs->bg[a] : 0.25;
    } else {
        return read_bfile(spec, bg, err);
    }
    return 0;
}

void cm_bg_finish(double bg[4], int symmetrise)
{
    if (symmetrise) {
        double at = (bg[0] + bg[3]) / 2, cg = (bg[1] + bg[2]) / 2;
        bg[0] = bg[3] = at;
        bg[1] = bg[2] = cg;
    }
    double s = 0;
    for (int a = 0; a < 4; a++) s += (bg[a] += 5e-7);
    for (int a = 0; a < 4; a++) bg[a] /= s;
}

void cm_motif_pseudocount(const cm_motif_t *m, const double bg[4], double pseudo, double *out)
{
    double n = (double)(int)m->nsites;
    for (int i = 0; i < m->w; i++)
        for (int a = 0; a < 4; a++)
            out[i * 4 + a] = (m->freq[i * 4 + a] * n + pseudo * bg[a]) / (n + pseudo);
}
