/* background.c — see background.h. */
#include "motif/background.h"
#include "core/textio.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <string.h>

const double CM_BG_NRDB[4] = {0.281774, 0.222020, 0.228876, 0.267330};

/* NRDB protein frequencies (MEME alphabet.c), in the protein core order
 * A C D E F G H I K L M N P Q R S T V W Y. */
static const double NRDB_AA[20] = {
    0.073164, 0.018163, 0.051739, 0.062340, 0.040283, 0.069328, 0.022428, 0.056282,
    0.058493, 0.091712, 0.023067, 0.046077, 0.050674, 0.040755, 0.051897, 0.073802,
    0.059411, 0.064362, 0.013341, 0.032682};

static int read_bfile(const char *path, const cm_alph_t *al, double *bg, cm_err_t *err)
{
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    int K = al->k, dna = cm_alph_is_dna(al), got[CM_ALPH_MAX] = {0}, rc;
    while ((rc = cm_reader_next(r, err)) == 1) {
        char *tok[4];
        int n = cm_split_ws(r->line, tok, 4);
        if (n == 0 || tok[0][0] == '#') continue;
        if (n != 2) {
            cm_fail(err, "%s:%ld: expected 'LETTER(S) FREQUENCY'", path, r->lineno);
            goto fail;
        }
        if (strlen(tok[0]) != 1) continue;  /* higher-order Markov entry: not used */
        int a = al->code[(unsigned char)tok[0][0]];
        double v;
        if (a == CM_ALPH_NONE) {
            if (dna) cm_fail(err, "%s:%ld: '%s' is not a DNA letter", path, r->lineno, tok[0]);
            else cm_fail(err, "%s:%ld: '%s' is not a core letter of alphabet %s (%s)", path, r->lineno,
                         tok[0], al->name, al->core);
            goto fail;
        }
        if (cm_parse_double(tok[1], &v) != 0 || !(v >= 0 && v <= 1)) {
            cm_fail(err, "%s:%ld: frequency '%s' is not a number in [0, 1]", path, r->lineno, tok[1]);
            goto fail;
        }
        bg[a] = v;
        got[a] = 1;
    }
    if (rc < 0) goto fail;
    double s = 0;
    for (int a = 0; a < K; a++) {
        if (!got[a]) {
            cm_fail(err, "%s: no frequency for letter %c", path, al->core[a]);
            goto fail;
        }
        s += bg[a];
    }
    if (s <= 0) {
        cm_fail(err, "%s: frequencies sum to 0", path);
        goto fail;
    }
    cm_reader_close(r);
    return 0;
fail:
    cm_reader_close(r);
    return -1;
}

int cm_bg_resolve(const char *spec, const cm_motifset_t *motifs, double *bg, cm_err_t *err)
{
    cm_alph_t dna;
    const cm_alph_t *al = motifs ? &motifs->alph : NULL;
    if (!al || al->k <= 0) { cm_alph_dna(&dna); al = &dna; }
    int K = al->k;
    if (!spec || strcmp(spec, "--nrdb--") == 0) {
        if (al->builtin == CM_ALPH_DNA) {
            memcpy(bg, CM_BG_NRDB, sizeof CM_BG_NRDB);
        } else if (al->builtin == CM_ALPH_PROTEIN) {
            memcpy(bg, NRDB_AA, sizeof NRDB_AA);
        } else {
            /* MEME: no NRDB frequencies for other alphabets ⇒ the motif file's */
            for (int a = 0; a < K; a++) bg[a] = motifs && motifs->has_bg ? motifs->bg[a] : 1.0 / K;
        }
    } else if (strcmp(spec, "--uniform--") == 0) {
        for (int a = 0; a < K; a++) bg[a] = K == 4 ? 0.25 : 1.0 / K;
    } else if (strcmp(spec, "--motif--") == 0) {
        for (int a = 0; a < K; a++)
            bg[a] = motifs && motifs->has_bg ? motifs->bg[a] : (K == 4 ? 0.25 : 1.0 / K);
    } else {
        return read_bfile(spec, al, bg, err);
    }
    return 0;
}

void cm_bg_finish_alph(const cm_alph_t *al, double *bg, int symmetrise)
{
    if (!al || cm_alph_is_dna(al)) { cm_bg_finish(bg, symmetrise); return; }
    if (symmetrise) cm_alph_symmetrise(al, bg);
    double s = 0;
    for (int a = 0; a < al->k; a++) s += (bg[a] += 5e-7);
    for (int a = 0; a < al->k; a++) bg[a] /= s;
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

void cm_motif_pseudocount(const cm_motif_t *m, const double *bg, double pseudo, double *out)
{
    double n = m->nsites < (double)INT_MAX ? (double)(int)m->nsites : (double)INT_MAX;
    int K = cm_motif_k(m);
    for (int i = 0; i < m->w; i++)
        for (int a = 0; a < K; a++)
            out[(size_t)i * K + a] = (m->freq[(size_t)i * K + a] * n + pseudo * bg[a]) / (n + pseudo);
}
