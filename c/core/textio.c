/* textio.c — see textio.h. */
#include "core/textio.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <unistd.h>
#include <htslib/hts.h>
#include <htslib/bgzf.h>
#include <htslib/kstring.h>
#include <zlib.h>

/* hts_getline delimiter for "end of line" (KS_SEP_LINE in kseq.h) */
#define KS_SEP_LINE_ 2

void cm_hts_quiet(void)
{
    hts_set_log_level(HTS_LOG_OFF);
}

cm_reader_t *cm_reader_open(const char *path, cm_err_t *err)
{
    cm_hts_quiet();
    /* check first: hts_open would also print its own message */
    if (strcmp(path, "-") != 0 && access(path, R_OK) != 0) {
        cm_fail(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    errno = 0;
    htsFile *fp = hts_open(path, "r");
    if (!fp) {
        /* htslib says ENOEXEC for data it does not recognise as any format */
        cm_fail(err, "%s: cannot open: %s", path,
                errno == ENOEXEC || !errno ? "not a text file (an unknown binary format)" : strerror(errno));
        return NULL;
    }
    cm_reader_t *r = cm_calloc(1, sizeof *r);
    r->fp = fp;
    r->path = cm_strdup(path);
    r->ks = cm_calloc(1, sizeof(kstring_t));
    r->max_line = CM_LINE_MAX;
    return r;
}

/* Newlines in the data of PATH that zlib can decompress before the stream ends or
 * breaks (gzread reads gzip members in sequence, so BGZF too), or -1 when PATH cannot
 * be read again (standard input).  Only on the error path. */
static long readable_lines(const char *path)
{
    if (!strcmp(path, "-")) return -1;
    gzFile gz = gzopen(path, "rb");
    if (!gz) return -1;
    char *buf = cm_malloc(1 << 16);
    long n = 0;
    int k;
    while ((k = gzread(gz, buf, 1 << 16)) > 0)
        for (int i = 0; i < k; i++) n += buf[i] == '\n';
    free(buf);
    gzclose(gz);
    return n;
}

/* A compressed input that fails: htslib inflates a block (up to 64 KiB) at a time and
 * drops a block that ends early, so the line it stopped at can be far before the
 * damage; the line reported is the first one the data does not hold in full. */
static int read_failed(cm_reader_t *r, const char *what, cm_err_t *err)
{
    long line = r->lineno + 1, n = readable_lines(r->path);
    if (n >= r->lineno) line = n + 1;
    return cm_fail(err, "%s:%ld: read error: %s", r->path, line, what);
}

int cm_reader_next(cm_reader_t *r, cm_err_t *err)
{
    kstring_t *ks = r->ks;
    htsFile *fp = r->fp;
    int ret = hts_getline(fp, KS_SEP_LINE_, ks);
    if (ret == -1 && fp->format.compression == bgzf && fp->is_bgzf) {
        /* hts_getline reports a BGZF block cut short as the end of the file */
        if (fp->fp.bgzf->errcode)
            return read_failed(r, "compressed data cut short or corrupt (truncated file?)", err);
        if (bgzf_check_EOF(fp->fp.bgzf) == 0)
            return read_failed(r, "no BGZF end-of-file marker (truncated file?)", err);
    }
    if (ret == -1) return 0;
    if (ret < -1)
        return fp->format.compression != no_compression
            ? read_failed(r, "compressed data cut short or corrupt (truncated file?)", err)
            : cm_fail(err, "%s:%ld: read error (truncated or corrupt file?)", r->path, r->lineno + 1);
    r->lineno++;
    size_t n = ks->l;
    while (n > 0 && (ks->s[n - 1] == '\r' || ks->s[n - 1] == '\n')) ks->s[--n] = 0;
    ks->l = n;
    if (r->max_line && n > r->max_line)
        return cm_fail(err, "%s:%ld: line of %zu bytes, longer than the limit of %zu MiB for this "
                       "kind of file (not a text file, or no line ends?)", r->path, r->lineno, n,
                       r->max_line >> 20);
    if (n && memchr(ks->s, 0, n))
        return cm_fail(err, "%s:%ld: binary data (a NUL byte) in the line: not a text file", r->path,
                       r->lineno);
    if (n && memchr(ks->s, '\r', n))
        return cm_fail(err, "%s:%ld: carriage return inside the line: old Mac (CR-only) line ends? "
                       "(convert them with: tr '\\r' '\\n')", r->path, r->lineno);
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
