/* error.c — see error.h. */
#include "core/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cm_fail(cm_err_t *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void cm_report(const char *tool, const cm_err_t *err)
{
    fprintf(stderr, "coopmap-%s: %s\n", tool,
            err && err->msg[0] ? err->msg : "unknown error");
}

void cm_warn(const char *tool, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "coopmap-%s: warning: ", tool);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void oom(void)
{
    fputs("coopmap: out of memory\n", stderr);
    abort();
}

void *cm_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *cm_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *cm_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom();
    return q;
}

void *cm_grow(void *p, int n, int *cap, size_t size, int first)
{
    if (n < *cap) return p;
    int c = *cap > 0 ? *cap : (first > 0 ? first : 16);
    while (c <= n) c *= 2;
    *cap = c;
    return cm_realloc(p, size * (size_t)c);
}

char *cm_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = cm_malloc(n);
    memcpy(d, s, n);
    return d;
}

cm_out_t *cm_out_open(const char *path, cm_err_t *err)
{
    cm_out_t *o = cm_calloc(1, sizeof *o);
    o->path = cm_strdup(path);
    if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0) {
        o->fp = stdout;
        return o;
    }
    struct stat st;
    if (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0
        || (stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
        if (!(o->fp = fopen(path, "w"))) {
            cm_fail(err, "%s: cannot write: %s", path, strerror(errno));
            free(o->path); free(o);
            return NULL;
        }
        o->direct = 1;
        return o;
    }
    size_t n = strlen(path) + 16;
    o->tmp = cm_malloc(n);
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
        cm_fail(err, "%s: cannot write: %s", path, strerror(errno));
        if (fd >= 0) { close(fd); unlink(o->tmp); }
        free(o->tmp); free(o->path); free(o);
        return NULL;
    }
    mode_t mask = umask(0);   /* mkstemp makes 0600; give the file the usual mode */
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    return o;
}

/* Flush and close o's stream (standard output is only flushed).  Returns 0, or -1 with
 * err filled and the temporary file removed.  o->fp is NULL afterwards unless it is
 * standard output. */
static int out_close(cm_out_t *o, cm_err_t *err)
{
    if (!o->tmp && !o->direct) {
        if (fflush(o->fp) != 0 || ferror(o->fp))
            return cm_fail(err, "standard output: write error: %s", strerror(errno));
        return 0;
    }
    int rc = 0, bad = ferror(o->fp);
    if (fclose(o->fp) != 0 || bad) {
        rc = cm_fail(err, "%s: write error: %s", o->path, strerror(errno));
        if (o->tmp) unlink(o->tmp);
    }
    o->fp = NULL;
    return rc;
}

/* Rename a closed temporary file into place (nothing to do for in-place outputs). */
static int out_rename(cm_out_t *o, cm_err_t *err)
{
    if (o->tmp && rename(o->tmp, o->path) != 0) {
        int rc = cm_fail(err, "%s: cannot rename output into place: %s", o->path, strerror(errno));
        unlink(o->tmp);
        return rc;
    }
    return 0;
}

static void out_free(cm_out_t *o)
{
    free(o->tmp); free(o->path); free(o);
}

int cm_out_commit(cm_out_t *o, cm_err_t *err)
{
    int rc = out_close(o, err);
    if (rc == 0) rc = out_rename(o, err);
    out_free(o);
    return rc;
}

int cm_out_commit_all(cm_out_t **o, int n, cm_err_t *err)
{
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        if (o[i]) rc = out_close(o[i], err);
    for (int i = 0; i < n; i++) {
        if (!o[i]) continue;
        if (rc == 0) {
            rc = out_rename(o[i], err);
            out_free(o[i]);
        } else {
            cm_out_abort(o[i]);
        }
        o[i] = NULL;
    }
    return rc;
}

void cm_out_abort(cm_out_t *o)
{
    if (!o) return;
    if (o->tmp || o->direct) {
        if (o->fp) fclose(o->fp);
        if (o->tmp) unlink(o->tmp);
    } else {
        fflush(o->fp);
    }
    out_free(o);
}

char *cm_cmdline(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    char *s = cm_malloc(n), *p = s;
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]);
        if (i) *p++ = ' ';
        memcpy(p, argv[i], l);
        p += l;
    }
    *p = 0;
    return s;
}
