/* prior.c — see prior.h (FIMO's --psp / --prior-dist / --alpha). */
#include "scan/prior.h"
#include "core/textio.h"
#include "motif/pssm.h"
#include "motif/quantise.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

/* ---- the distribution file ---- */

int cm_prior_dist_read(const char *path, cm_prior_dist_t *d, cm_err_t *err)
{
    memset(d, 0, sizeof *d);
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    static const char *key[3] = {"#min", "#max", "#median"};
    double *val[3] = {&d->min, &d->max, &d->median};
    int nk = 0, rc, cap = 0;
    while ((rc = cm_reader_next(r, err)) == 1) {
        char *f[64];
        int nf = cm_split_ws(r->line, f, 64);
        if (nf == 0) continue;
        if (nk < 3) {   /* compute-prior-dist writes the three in this order */
            double x;
            if (nf != 2 || strcmp(f[0], key[nk]) != 0 || cm_parse_double(f[1], &x) != 0) {
                cm_fail(err, "%s:%ld: expected '%s VALUE' (a MEME prior distribution file, "
                        "as compute-prior-dist writes it)", path, r->lineno, key[nk]);
                goto fail;
            }
            *val[nk++] = x;
            continue;
        }
        for (int i = 0; i < nf; i++) {
            double x;
            if (cm_parse_double(f[i], &x) != 0 || !isfinite(x) || x < 0) {
                cm_fail(err, "%s:%ld: '%s' is not a bin value (a number >= 0)", path, r->lineno, f[i]);
                goto fail;
            }
            if (d->n == cap) {
                cap = cap ? 2 * cap : 128;
                d->bin = cm_realloc(d->bin, (size_t)cap * sizeof *d->bin);
            }
            d->bin[d->n++] = x;
        }
    }
    if (rc < 0) goto fail;
    if (nk < 3) {
        if (r->lineno == 0) cm_fail(err, "%s: empty file (expected a MEME prior distribution: '%s VALUE' first)", path, key[nk]);
        else cm_fail(err, "%s:%ld: no '%s' line", path, r->lineno, key[nk]);
        goto fail;
    }
    if (d->n == 0) {
        cm_fail(err, "%s:%ld: no bin values after #median", path, r->lineno);
        goto fail;
    }
    double mass = 0;
    for (int i = 0; i < d->n; i++) mass += d->bin[i];
    if (!(mass > 0) || !isfinite(mass)) {   /* every p-value would be 0, or NaN */
        cm_fail(err, "%s:%ld: the bin values sum to %g: need a finite sum > 0 (a distribution)",
                path, r->lineno, mass);
        goto fail;
    }
    if (!(d->min > 0) || !(d->min <= d->max) || !isfinite(d->max)) {
        cm_fail(err, "%s:1: #min %g and #max %g: need 0 < #min <= #max", path, d->min, d->max);
        goto fail;
    }
    if (d->n == 1 && d->min < d->max) {
        cm_fail(err, "%s:%ld: one bin needs #min == #max (uniform priors)", path, r->lineno);
        goto fail;
    }
    d->offset = d->min;
    d->scale = d->max > d->min ? (double)(d->n - 1) / (d->max - d->min) : 0;
    cm_reader_close(r);
    return 0;
fail:
    cm_reader_close(r);
    cm_prior_dist_free(d);
    return -1;
}

void cm_prior_dist_free(cm_prior_dist_t *d)
{
    if (!d) return;
    free(d->bin);
    memset(d, 0, sizeof *d);
}

/* ---- the PSP file ---- */

static void psp_free_seq(cm_psp_seq_t *s)
{
    free(s->name);
    free(s->p);
}

/* Parse a PSP header as prior-reader-from-psp.c does. */
static int psp_header(const char *h, int pgc, const regex_t *ucsc, const regex_t *nm, char **name,
                      long *start)
{
    regmatch_t m[4];
    *start = 0;
    if (pgc && regexec(ucsc, h, 4, m, 0) == 0) {
        *name = strndup(h + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
        *start = strtol(h + m[2].rm_so, NULL, 10) - 1;
        return 0;
    }
    if (regexec(nm, h, 2, m, 0) != 0) return -1;
    *name = strndup(h + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
    return 0;
}

int cm_psp_read(const char *path, int pgc, cm_psp_t *psp, cm_err_t *err)
{
    memset(psp, 0, sizeof *psp);
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    r->max_line = 0;   /* a sequence's priors may be one line */
    regex_t ucsc, nm;
    regcomp(&ucsc, "[[:space:]]*([^[:space:]:]+):([[:digit:]]+)-([[:digit:]]+)", REG_EXTENDED);
    regcomp(&nm, pgc ? "([^[:space:]:]+)" : "([^[:space:]]+)", REG_EXTENDED);
    int rc, cap = 0;
    size_t pcap = 0;
    cm_psp_seq_t *cur = NULL;
    while ((rc = cm_reader_next(r, err)) == 1) {
        if (r->line[0] == '>') {
            if (psp->n == cap) {
                cap = cap ? 2 * cap : 16;
                psp->s = cm_realloc(psp->s, (size_t)cap * sizeof *psp->s);
            }
            cur = &psp->s[psp->n];
            memset(cur, 0, sizeof *cur);
            cur->lineno = r->lineno;
            if (psp_header(r->line + 1, pgc, &ucsc, &nm, &cur->name, &cur->start) != 0) {
                cm_fail(err, "%s:%ld: no sequence name in the header", path, r->lineno);
                goto fail;
            }
            psp->n++;
            pcap = 0;
            continue;
        }
        if (!cur) continue;   /* FIMO skips to the first '>' */
        char *s = r->line;
        for (;;) {
            while (*s && isspace((unsigned char)*s)) s++;
            if (!*s) break;
            char *e = s;
            while (*e && !isspace((unsigned char)*e)) e++;
            char c = *e;
            *e = 0;
            char *end;
            double x = strtod(s, &end);
            if (end == s || *end || !(x >= 0 && x <= 1) || e - s >= 99) {
                cm_fail(err, "%s:%ld: '%s' is not a prior (a number in [0, 1])", path, r->lineno, s);
                goto fail;
            }
            if (cur->n == pcap) {
                pcap = pcap ? 2 * pcap : 1024;
                cur->p = cm_realloc(cur->p, pcap * sizeof *cur->p);
            }
            cur->p[cur->n++] = x;
            if (x > psp->pmax) psp->pmax = x;
            *e = c;
            s = e;
        }
    }
    if (rc < 0) goto fail;
    if (psp->n == 0) {
        if (r->lineno == 0) cm_fail(err, "%s: empty file (expected a MEME PSP file: '>' records of priors)", path);
        else cm_fail(err, "%s:%ld: no '>' record (not a MEME PSP file?)", path, r->lineno);
        goto fail;
    }
    psp->path = cm_strdup(path);
    regfree(&ucsc);
    regfree(&nm);
    cm_reader_close(r);
    return 0;
fail:
    regfree(&ucsc);
    regfree(&nm);
    cm_reader_close(r);
    cm_psp_free(psp);
    return -1;
}

void cm_psp_free(cm_psp_t *psp)
{
    if (!psp) return;
    for (int i = 0; i < psp->n; i++) psp_free_seq(&psp->s[i]);
    free(psp->s);
    free(psp->path);
    memset(psp, 0, sizeof *psp);
}

double cm_psp_value(const cm_psp_seq_t *r, long x)
{
    if (!r) return -1;
    long i = x - r->start - 1;
    return i >= 0 && (size_t)i < r->n ? r->p[i] : -1;
}

/* ---- scoring ---- */

/* MEME's my_log2 of a value computed in long double (pssm.c: 1.0L − α·p). */
static double lo_ld(double ap)
{
    double x = (double)((long double)ap / (1.0L - (long double)ap));
    return x > 0 ? log(x) * CM_LOG2_FIMO : -INFINITY;
}

double cm_prior_log_odds(double p, double alpha)
{
    double a = alpha * p;
    double x = a / (1.0 - a);
    return x > 0 ? log(x) * CM_LOG2_FIMO : -INFINITY;
}

int cm_prior_check(const cm_prior_dist_t *d, const char *path, double alpha, cm_err_t *err)
{
    if (!(alpha > 0) || !isfinite(alpha))
        return cm_fail(err, "--alpha: %g is not a number > 0", alpha);
    double top = d->n > 1 ? (d->n - 0.5) / d->scale + d->offset : d->max;
    if (!(alpha * top < 1) || !(alpha * d->max < 1))
        return cm_fail(err, "%s: alpha x the largest prior (%g x %g) must be < 1 (its log-odds "
                       "log2(a/(1-a)) would be infinite or undefined)", path, alpha, top);
    return 0;
}

/* MEME's nint to int, with an x86 conversion of values out of int range (INT_MIN) */
static int nint_int(double x)
{
    double y = x >= 0 ? x + 0.5 : x - 0.5;
    if (!(y > (double)INT_MIN - 1.0 && y < (double)INT_MAX + 1.0)) return INT_MIN;
    return (int)y;
}

void cm_prior_quantise(const double *L, int w, const cm_prior_dist_t *d, double alpha, int range,
                       int *Z, double *offset, double *scale)
{
    int n = 4 * w;
    double *S = cm_malloc((size_t)(n + 2) * sizeof *S);
    int *z = cm_malloc((size_t)(n + 2) * sizeof *z);
    memcpy(S, L, (size_t)n * sizeof *S);
    S[n] = lo_ld(alpha * d->min);      /* get_min_lo_prior */
    S[n + 1] = lo_ld(alpha * d->max);  /* get_max_lo_prior */
    cm_quantise(S, n + 2, range, z, offset, scale);
    memcpy(Z, z, (size_t)n * sizeof *Z);
    free(S);
    free(z);
}

void cm_prior_pv(const int *mat, int w, const double bg[4], const cm_prior_dist_t *d,
                 double alpha, int range, double scale, double offset, double **pv, int *npv)
{
    int size = (w + 1) * range + 1;
    double *cur = cm_calloc((size_t)size, sizeof *cur), *nxt = cm_calloc((size_t)size, sizeof *nxt);
    /* the scaled log-odds prior distribution: the pmf before the first column */
    if (d->max == d->min) {
        int i = nint_int((lo_ld(alpha * d->max) - offset) * scale);
        if (i >= 0 && i <= range) cur[i] = 1.0;
    } else {
        for (int b = 0; b < d->n; b++) {
            double sp = (double)((long double)b + 0.5L);
            double prior = sp / d->scale + d->offset;
            int i = nint_int((lo_ld(alpha * prior) - offset) * scale);
            if (i >= 0 && i < range) cur[i] += d->bin[b];
        }
    }
    int top = range;   /* highest index that may hold mass */
    for (int c = 0; c < w; c++) {
        int cm = 0;
        for (int a = 0; a < 4; a++)
            if (mat[c * 4 + a] > cm) cm = mat[c * 4 + a];
        memset(nxt, 0, ((size_t)top + cm + 1) * sizeof *nxt);
        for (int a = 0; a < 4; a++) {   /* get_pdf_table's order: letter, then score */
            double *dst = nxt + mat[c * 4 + a];
            double b = bg[a];
            for (int k = 0; k <= top; k++) dst[k] += cur[k] * b;
        }
        top += cm;
        double *t = cur; cur = nxt; nxt = t;
    }
    free(nxt);
    for (int s = size - 2; s >= 0; s--) {   /* get_pv_lookup_pos_dep: capped as it goes */
        double p = cur[s] + cur[s + 1];
        cur[s] = p < 1.0 ? p : 1.0;
    }
    *pv = cur;
    *npv = size;
}

int cm_prior_adjust(int s, int w, double scale, double offset, double lo, int npv)
{
    double raw = (double)s / scale + w * offset;   /* get_unscaled_pssm_score */
    raw += lo;
    int x = nint_int((raw - (w + 1) * offset) * scale);   /* raw_to_scaled, w + 1 */
    if (x < 0) return 0;
    if (x > npv - 1) return npv - 1;
    return x;
}
