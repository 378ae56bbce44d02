/* textio.c — see textio.h. */
#include "core/textio.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <unistd.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>

/* hts_getline delimiter for "end of line" (KS_SEP_LINE in kseq.h) */
#define KS_SEP_LINE_ 2

cm_reader_t *cm_reader_open(const char *path, cm_err_t *err)
{
    /* check first: hts_open would also print its own message */
    if (strcmp(path, "-") != 0 && access(path, R_OK) != 0) {
        cm_fail(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    htsFile *fp = hts_open(path, "r");
    if (!fp) {
        cm_fail(err, "%s: cannot open: %s", path, errno ? strerror(errno) : "unknown format");
        return NULL;
    }
    cm_reader_t *r = cm_calloc(1, sizeof *r);
    r->fp = fp;
    r->path = cm_strdup(path);
    r->ks = cm_calloc(1, sizeof(kstring_t));
    return r;
}

int cm_reader_next(cm_reader_t *r, cm_err_t *err)
{
    kstring_t *ks = r->ks;
    int ret = hts_getline((htsFile *)r->fp, KS_SEP_LINE_, ks);
    if (ret == -1) return 0;
    if (ret < -1) return cm_fail(err, "%s:%ld: read error (truncated or corrupt file?)",
                                 r->path, r->lineno + 1);
    r->lineno++;
    size_t n = ks->l;
    while (n > 0 && (ks->s[n - 1] == '\r' || ks->s[n - 1] == '\n')) ks->s[--n] = 0;
    ks->l = n;
    r->line = ks->s ? ks->s : (char *)"";
    r->len = n;
    return 1;
}

void cm_reader_close(cm_reader_t *r)
{
    if (!r) return;
    if (r->fp) hts_close((htsFile *)r->fp);
    kstring_t *ks = r->ks;
    if (ks) free(ks->s);
    free(ks);
    free(r->path);
    free(r);
}

int cm_split_tabs(char *s, char **fields, int max)
{
    int n = 0;
    if (max <= 0) return 0;
    fields[n++] = s;
    for (char *p = s; *p; p++) {
        if (*p == '\t') {
            *p = 0;
            if (n == max) break;
            fields[n++] = p + 1;
        }
    }
    return n;
}

int cm_split_ws(char *s, char **fields, int max)
{
    int n = 0;
    char *p = s;
    while (*p) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        if (n == max) break;
        fields[n++] = p;
        while (*p && *p != ' ' && *p != '\t') p++;
        if (*p) *p++ = 0;
    }
    return n;
}

int cm_parse_double(const char *s, double *out)
{
    char *end;
    if (!s || !*s) return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != 0 || (errno == ERANGE && fabs(v) == HUGE_VAL)) return -1;
    *out = v;
    return 0;
}

int cm_parse_long(const char *s, long *out)
{
    char *end;
    if (!s || !*s) return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != 0 || errno == ERANGE) return -1;
    *out = v;
    return 0;
}

const char *cm_optname(const char *a)
{
    if (a[0] != '-' || a[1] == 0) return NULL;
    return a[1] == '-' ? a + 2 : a + 1;
}

int cm_strieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
    return *a == *b;
}

int cm_field_index(char **f, int nf, const char *name)
{
    for (int i = 0; i < nf; i++)
        if (strcmp(f[i], name) == 0) return i;
    return -1;
}

int cm_intern(char ***list, int *n, int *cap, const char *name)
{
    for (int i = *n - 1; i >= 0; i--)   /* recent names first: files come sorted */
        if (strcmp((*list)[i], name) == 0) return i;
    *list = cm_grow(*list, *n, cap, sizeof(char *), 16);
    (*list)[*n] = cm_strdup(name);
    return (*n)++;
}
