/* motif.c — MEME motif file parser (COMPAT.md "Motif files"); see motif.h. */
#include "motif/motif.h"
#include "core/textio.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <htslib/khash.h>

KHASH_MAP_INIT_STR(cm_motif_id, long)

static void motif_free(cm_motif_t *m)
{
    free(m->id); free(m->alt); free(m->freq); free(m->url);
}

void cm_motifs_free(cm_motifset_t *set)
{
    if (!set) return;
    for (int i = 0; i < set->n; i++) motif_free(&set->m[i]);
    free(set->m);
    free(set->path);
    memset(set, 0, sizeof *set);
}

/* Value of "key= value" in a header line such as
 * "letter-probability matrix: alength= 4 w= 19 nsites= 20 E= 0"; NULL if absent. */
static const char *find_key(const char *line, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = line; (p = strstr(p, key)) != NULL; p += kl) {
        if (p != line && !isspace((unsigned char)p[-1]) && p[-1] != ':') continue;
        const char *q = p + kl;
        while (*q == ' ' || *q == '\t') q++;
        if (*q != '=') continue;
        q++;
        while (*q == ' ' || *q == '\t') q++;
        return q;
    }
    return NULL;
}

/* Is the line a row of numbers (first token parses as a number)? */
static int is_numeric_row(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) return 0;
    char *end;
    strtod(s, &end);
    return end != s && (*end == 0 || *end == ' ' || *end == '\t');
}

static int is_blank(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    return *s == 0;
}

/* Parse a matrix row of k probabilities into row[k]; the sum is checked here (1 ± 0.1)
 * and normalised later (cm_motif_normalise_rows). */
static int parse_row(cm_reader_t *r, const cm_alph_t *al, double *row, cm_err_t *err)
{
    int k = al->k;
    char *tok[CM_ALPH_MAX + 2];
    char *buf = cm_strdup(r->line);
    int n = cm_split_ws(buf, tok, CM_ALPH_MAX + 2);
    int rc = 0;
    if (n != k) {
        if (k == 4 && cm_alph_is_dna(al))
            rc = cm_fail(err, "%s:%ld: matrix row has %d values, expected 4 (A C G T)",
                         r->path, r->lineno, n);
        else
            rc = cm_fail(err, "%s:%ld: matrix row has %d values, expected %d (alphabet %s: %s)",
                         r->path, r->lineno, n, k, al->name, al->core);
        goto out;
    }
    double sum = 0;
    for (int a = 0; a < k; a++) {
        if (cm_parse_double(tok[a], &row[a]) != 0 || !isfinite(row[a]) || row[a] < 0) {
            rc = cm_fail(err, "%s:%ld: matrix value '%s' is not a number >= 0",
                         r->path, r->lineno, tok[a]);
            goto out;
        }
        sum += row[a];
    }
    if (fabs(sum - 1.0) > 0.1) {
        rc = cm_fail(err, "%s:%ld: matrix row sums to %g, expected 1 ± 0.1",
                     r->path, r->lineno, sum);
        goto out;
    }
out:
    free(buf);
    return rc;
}

/* "A p C p G p T p" (K letter/frequency pairs, possibly spanning several lines), each
 * letter mapped through the alphabet (aliases, case).  With no alphabet declared yet
 * (*declared == 0) a U means RNA, as MEME guesses from the background letters. */
static int parse_background(cm_reader_t *r, cm_motifset_t *set, int *declared, cm_err_t *err)
{
    int got[CM_ALPH_MAX] = {0}, ngot = 0;
    while (ngot < set->alph.k) {
        int rc = cm_reader_next(r, err);
        if (rc < 0) return -1;
        if (rc == 0) return cm_fail(err, "%s:%ld: background letter frequencies incomplete",
                                    r->path, r->lineno);
        if (is_blank(r->line)) continue;
        char *buf = cm_strdup(r->line), *tok[2 * CM_ALPH_MAX + 2];
        int n = cm_split_ws(buf, tok, 2 * CM_ALPH_MAX + 2);
        if (n % 2) {
            free(buf);
            return cm_fail(err, "%s:%ld: background must be letter/frequency pairs",
                           r->path, r->lineno);
        }
        for (int i = 0; i < n; i += 2) {
            unsigned char c = (unsigned char)tok[i][0];
            if (!*declared && (c == 'U' || c == 'u') && set->alph.builtin == CM_ALPH_DNA) {
                cm_alph_rna(&set->alph);
                *declared = 2;   /* guessed */
            }
            double v;
            int a = tok[i][1] ? CM_ALPH_NONE : set->alph.code[c];
            int bad = a == CM_ALPH_NONE || cm_parse_double(tok[i + 1], &v) != 0 || !(v >= 0) ||
                      !isfinite(v);
            if (bad || got[a]) {
                /* the message is made before buf (which tok points into) is freed */
                if (a == CM_ALPH_NONE)
                    cm_fail(err, "%s:%ld: bad background entry '%s %s': '%s' is not a core letter of alphabet %s (%s)",
                            r->path, r->lineno, tok[i], tok[i + 1], tok[i], set->alph.name, set->alph.core);
                else if (bad)
                    cm_fail(err, "%s:%ld: bad background entry '%s %s': frequency is not a number >= 0",
                            r->path, r->lineno, tok[i], tok[i + 1]);
                else
                    cm_fail(err, "%s:%ld: background letter '%s' given twice", r->path, r->lineno, tok[i]);
                free(buf);
                return -1;
            }
            got[a] = 1;
            ngot++;
            set->bg[a] = v;
        }
        free(buf);
    }
    double s = 0;
    for (int a = 0; a < set->alph.k; a++) s += set->bg[a];
    if (s <= 0) return cm_fail(err, "%s:%ld: background frequencies sum to 0", r->path, r->lineno);
    for (int a = 0; a < set->alph.k; a++) set->bg[a] /= s;
    set->has_bg = 1;
    return 0;
}

/* An "ALPHABET … END ALPHABET" block whose header is r->line (MEME also ends it at a
 * line of 80 '*' after the first line). */
static int read_alph_block(cm_reader_t *r, cm_alph_t *out, cm_err_t *err)
{
    char why[200];
    long start = r->lineno;
    cm_alph_block_t *b = cm_alph_block_begin(r->line, why);
    if (!b) return cm_fail(err, "%s:%ld: alphabet: %s", r->path, r->lineno, why);
    for (int nl = 0;; nl++) {
        int rc = cm_reader_next(r, err);
        if (rc < 0) { cm_alph_block_free(b); return -1; }
        if (rc == 0) {
            cm_alph_block_free(b);
            return cm_fail(err, "%s:%ld: alphabet: the ALPHABET block of line %ld has no END ALPHABET line",
                           r->path, r->lineno, start);
        }
        const char *s = r->line;
        size_t ns = strspn(s, "*");
        if (cm_alph_is_end(s) || (nl > 0 && ns == 80 && s[80] == 0)) break;
        if (ns == 80 && s[80] == 0) continue;
        if (cm_alph_block_line(b, s, why) != 0) {
            cm_alph_block_free(b);
            return cm_fail(err, "%s:%ld: alphabet: %s", r->path, r->lineno, why);
        }
    }
    int rc = cm_alph_block_end(b, out, why);
    cm_alph_block_free(b);
    if (rc != 0) return cm_fail(err, "%s:%ld: alphabet: %s", r->path, r->lineno, why);
    return 0;
}

/* Set the file's alphabet to a (declared at the current line). */
static int declare_alph(cm_reader_t *r, cm_motifset_t *set, int *declared, const cm_alph_t *a,
                        cm_err_t *err)
{
    if (*declared == 1 && !cm_alph_equal(&set->alph, a))
        return cm_fail(err, "%s:%ld: alphabet: %s does not match the previously declared %s",
                       r->path, r->lineno, a->name, set->alph.name);
    if (set->n > 0 || set->has_bg)
        if (!cm_alph_equal(&set->alph, a))
            return cm_fail(err, "%s:%ld: alphabet: declared after the %s it applies to",
                           r->path, r->lineno, set->n > 0 ? "first motif" : "background");
    set->alph = *a;
    *declared = 1;
    for (int c = 0; c < set->alph.k; c++) if (!set->has_bg) set->bg[c] = 1.0 / set->alph.k;
    return 0;
}

/* End of a matrix after `have` rows: check against w= and set cur->w. */
static int finish_matrix(const cm_reader_t *r, cm_motif_t *cur, int have, int want_w,
                         const char *where, cm_err_t *err)
{
    if (want_w >= 0 && have < want_w)
        return cm_fail(err, "%s:%ld: motif %s has %d matrix rows, w= says %d%s",
                       r->path, r->lineno, cur->id, have, want_w, where);
    if (have == 0)
        return cm_fail(err, "%s:%ld: motif %s has no matrix rows", r->path, r->lineno, cur->id);
    cur->w = have;
    return 0;
}

int cm_motifs_read(const char *path, cm_motifset_t *set, cm_err_t *err)
{
    return cm_motifs_read_flags(path, 0, set, err);
}

int cm_motifs_read_flags(const char *path, int flags, cm_motifset_t *set, cm_err_t *err)
{
    memset(set, 0, sizeof *set);
    set->path = cm_strdup(path);
    cm_alph_dna(&set->alph);
    for (int a = 0; a < 4; a++) set->bg[a] = 0.25;
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) { cm_motifs_free(set); return -1; }

    int cap = 0, seen_version = 0, rc;
    int declared = 0;   /* 1 = alphabet declared, 2 = guessed (from background letters) */
    cm_motif_t *cur = NULL;
    int pending = 0;    /* 1 = reading rows of cur */
    int want_w = -1, have = 0, rcap = 0;

    for (;;) {
        rc = cm_reader_next(r, err);
        if (rc < 0) goto fail;
        if (rc == 0) break;
        char *line = r->line;
        const char *s = line;
        while (*s == ' ' || *s == '\t') s++;

        if (pending) {
            if (is_numeric_row(s) && (want_w < 0 || have < want_w)) {
                int K = set->alph.k;
                if (have == 0 && !declared && set->n == 1 && K == 4 && !set->has_bg) {
                    /* no alphabet yet: a 20-value row means protein (MEME's guess) */
                    char *b2 = cm_strdup(s), *t2[24];
                    if (cm_split_ws(b2, t2, 24) == 20) { cm_alph_protein(&set->alph); declared = 2; K = cur->k = 20; }
                    free(b2);
                }
                cur->freq = cm_grow(cur->freq, have, &rcap, sizeof(double) * (size_t)K, 32);
                if (parse_row(r, &set->alph, cur->freq + (size_t)K * have, err) < 0) goto fail;
                have++;
                continue;
            }
            if (is_blank(s) && have == 0) continue;
            if (finish_matrix(r, cur, have, want_w, "", err) < 0) goto fail;
            pending = 0;
            /* fall through: this line is not a row, interpret it below */
        }

        if (strncmp(s, "MEME version", 12) == 0) { seen_version = 1; continue; }
        if (!seen_version) {
            if (is_blank(s)) continue;
            cm_fail(err, "%s:%ld: not a MEME motif file (first line must be 'MEME version N')",
                    path, r->lineno);
            goto fail;
        }
        if (strncmp(s, "Background letter frequencies", 29) == 0) {
            if (parse_background(r, set, &declared, err) < 0) goto fail;
            continue;
        }
        if (strncmp(s, "ALPHABET", 8) == 0) {
            const char *q = s + 8;
            while (*q == ' ' || *q == '\t') q++;
            cm_alph_t a;
            if (*q == '=') {
                q++;
                char *buf = cm_strdup(q), *tok[2];
                int n = cm_split_ws(buf, tok, 2);
                if (n != 1 || cm_alph_from_letters(tok[0], &a) != 0) {
                    cm_fail(err, "%s:%ld: alphabet: unrecognised alphabet '%s'; only the built-in alphabets "
                            "(ACGT, ACGU, ACDEFGHIKLMNPQRSTVWY) can be written as ALPHABET=, others need an "
                            "ALPHABET ... END ALPHABET block", path, r->lineno, n ? tok[0] : "");
                    free(buf);
                    goto fail;
                }
                free(buf);
            } else if (cm_alph_is_header(s)) {
                if (read_alph_block(r, &a, err) < 0) goto fail;
            } else {
                continue;
            }
            if (declare_alph(r, set, &declared, &a, err) < 0) goto fail;
            continue;
        }
        if (strncmp(s, "MOTIF", 5) == 0 && (s[5] == ' ' || s[5] == '\t')) {
            char *buf = cm_strdup(s + 5), *tok[3];
            int n = cm_split_ws(buf, tok, 3);
            if (n < 1) {
                free(buf);
                cm_fail(err, "%s:%ld: MOTIF line without an identifier", path, r->lineno);
                goto fail;
            }
            if (cur && cur->w == 0) {
                cm_fail(err, "%s:%ld: motif %s has no letter-probability matrix",
                        path, cur->lineno, cur->id);
                free(buf);
                goto fail;
            }
            set->m = cm_grow(set->m, set->n, &cap, sizeof(cm_motif_t), 64);
            cur = &set->m[set->n++];
            memset(cur, 0, sizeof *cur);
            cur->id = cm_strdup(tok[0]);
            cur->alt = cm_strdup(n >= 2 && !strchr(tok[1], '=') ? tok[1] : "");
            cur->nsites = 20;
            cur->k = set->alph.k;
            cur->lineno = r->lineno;
            free(buf);
            continue;
        }
        if (strncmp(s, "letter-probability matrix", 25) == 0) {
            if (!cur) {
                cm_fail(err, "%s:%ld: letter-probability matrix before any MOTIF line",
                        path, r->lineno);
                goto fail;
            }
            if (cur->freq) {
                cm_fail(err, "%s:%ld: second letter-probability matrix for motif %s",
                        path, r->lineno, cur->id);
                goto fail;
            }
            const char *v;
            want_w = -1;
            if ((v = find_key(s, "alength"))) {
                long al = strtol(v, NULL, 10);
                if (al == 20 && !declared && set->n == 1 && !set->has_bg) {
                    cm_alph_protein(&set->alph);   /* MEME guesses protein from alength= 20 */
                    declared = 2;
                    cur->k = 20;
                }
                if (al != set->alph.k) {
                    cm_fail(err, "%s:%ld: alength= %ld does not match the %s alphabet's %d letters (%s)",
                            path, r->lineno, al, set->alph.name, set->alph.k, set->alph.core);
                    goto fail;
                }
            }
            if ((v = find_key(s, "w"))) {
                char *e;
                long w = strtol(v, &e, 10);
                if (e == v || w <= 0 || w > INT_MAX) {   /* wider than the limit: refused below, by name */
                    cm_fail(err, "%s:%ld: bad w= value", path, r->lineno);
                    goto fail;
                }
                want_w = (int)w;
            }
            if ((v = find_key(s, "nsites"))) {
                char *e;
                double ns = strtod(v, &e);
                if (e == v || ns < 0 || !isfinite(ns)) {
                    cm_fail(err, "%s:%ld: bad nsites= value", path, r->lineno);
                    goto fail;
                }
                cur->nsites = ns;
                cur->has_nsites = 1;
            }
            pending = 1;
            have = 0;
            rcap = 0;
            continue;
        }
        if (strncmp(s, "URL", 3) == 0 && (s[3] == ' ' || s[3] == '\t') && cur) {
            const char *u = s + 3;
            while (*u == ' ' || *u == '\t') u++;
            free(cur->url);
            cur->url = cm_strdup(u);
            continue;
        }
        /* ALPHABET=, strands:, log-odds matrices, comments and anything else: ignored */
    }
    if (pending && finish_matrix(r, cur, have, want_w, " (file ends)", err) < 0) goto fail;
    if (!seen_version) {
        cm_fail(err, "%s: empty file, or not a MEME motif file", path);
        goto fail;
    }
    if (cur && cur->w == 0) {
        cm_fail(err, "%s:%ld: motif %s has no letter-probability matrix", path, cur->lineno, cur->id);
        goto fail;
    }
    if (set->n == 0 && !(flags & CM_MOTIFS_EMPTY_OK)) {
        cm_fail(err, "%s: no motifs found", path);
        goto fail;
    }
    cm_reader_close(r);
    cm_motifs_normalise(set);
    if (cm_motifs_check(set, err) != 0) {
        cm_motifs_free(set);
        return -1;
    }
    return 0;
fail:
    cm_reader_close(r);
    cm_motifs_free(set);
    return -1;
}

int cm_motifs_check(const cm_motifset_t *set, cm_err_t *err)
{
    const char *path = set->path ? set->path : "motifs";
    for (int i = 0; i < set->n; i++)
        if (set->m[i].w > CM_MOTIF_MAX_W)
            return cm_fail(err, "%s:%ld: motif %s is %d columns wide, more than the limit of %d "
                           "(MEME's largest -maxw; the scan's p-value table and the comparison's "
                           "null distributions grow with the width's square and cube)",
                           path, set->m[i].lineno, set->m[i].id, set->m[i].w, CM_MOTIF_MAX_W);
    khash_t(cm_motif_id) *h = kh_init(cm_motif_id);
    int rc = 0;
    for (int i = 0; i < set->n && rc == 0; i++) {
        int ret;
        khiter_t k = kh_put(cm_motif_id, h, set->m[i].id, &ret);
        if (ret < 0) cm_oom();
        if (ret == 0)
            rc = cm_fail(err, "%s:%ld: motif id '%s' is used twice (first at line %ld): give each "
                         "motif its own id", path, set->m[i].lineno, set->m[i].id, kh_val(h, k));
        else
            kh_val(h, k) = set->m[i].lineno;
    }
    kh_destroy(cm_motif_id, h);
    return rc;
}

int cm_motif_normalise_rows(cm_motif_t *m)
{
    const double tol = 1e-5;
    int changed = 0, K = cm_motif_k(m);
    for (int i = 0; i < m->w; i++) {
        double *row = m->freq + (size_t)K * i, total = 0.0;
        for (int a = 0; a < K; a++) total += row[a];
        /* MEME's almost_equal(1, total, tol): outside iff 1 − tol > total or 1 + tol < total */
        if (!(1.0 - tol > total || 1.0 + tol < total) || total == 0.0) continue;
        for (int a = 0; a < K; a++) row[a] /= total;
        changed++;
    }
    return changed;
}

int cm_motifs_normalise(cm_motifset_t *set)
{
    int n = 0;
    for (int k = 0; k < set->n; k++) n += cm_motif_normalise_rows(&set->m[k]);
    return n;
}

int cm_motifs_select(cm_motifset_t *set, char **ids, int n, cm_err_t *err)
{
    char *keep = cm_calloc(set->n, 1);
    for (int k = 0; k < n; k++) {
        int found = 0;
        for (int i = 0; i < set->n; i++)
            if (strcmp(set->m[i].id, ids[k]) == 0) { keep[i] = 1; found = 1; }
        if (!found)
            for (int i = 0; i < set->n; i++)
                if (strcmp(set->m[i].alt, ids[k]) == 0) { keep[i] = 1; found = 1; }
        if (!found) {
            free(keep);
            return cm_fail(err, "%s: no motif with id or name '%s'", set->path, ids[k]);
        }
    }
    int j = 0;
    for (int i = 0; i < set->n; i++) {
        if (keep[i]) set->m[j++] = set->m[i];
        else motif_free(&set->m[i]);
    }
    set->n = j;
    free(keep);
    return 0;
}

void cm_motifs_keep_range(cm_motifset_t *set, int lo, int hi)
{
    if (lo < 0) lo = 0;
    if (hi > set->n) hi = set->n;
    if (hi < lo) hi = lo;
    for (int i = 0; i < set->n; i++)
        if (i < lo || i >= hi) motif_free(&set->m[i]);
    if (lo > 0 && hi > lo) memmove(set->m, set->m + lo, (size_t)(hi - lo) * sizeof *set->m);
    set->n = hi - lo;
}

void cm_motif_consensus(const double *freq, int w, char *out)
{
    for (int i = 0; i < w; i++) {
        int best = 0;
        for (int a = 1; a < 4; a++)
            if (freq[i * 4 + a] > freq[i * 4 + best]) best = a;
        out[i] = "ACGT"[best];
    }
    out[w] = 0;
}

void cm_motif_consensus_alph(const cm_alph_t *al, const double *freq, int w, char *out)
{
    int K = al->k;
    for (int i = 0; i < w; i++) {
        int best = 0;
        for (int a = 1; a < K; a++)
            if (freq[(size_t)i * K + a] > freq[(size_t)i * K + best]) best = a;
        out[i] = al->core[best];
    }
    out[w] = 0;
}
