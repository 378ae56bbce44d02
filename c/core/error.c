/* error.c — see error.h. */
#include "core/error.h"
#include "core/version.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
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

static void reg_cleanup(void);

void cm_oom(void)
{
    /* no allocation from here on: the message is one write, the cleanup only unlinks */
    static const char what[] = ": out of memory (the run needs more than the machine or its "
                               "limits allow)\n";
    const char *tool = program_invocation_short_name;
    if (write(2, tool, strlen(tool)) < 0 || write(2, what, sizeof what - 1) < 0) {}
    reg_cleanup();
    _exit(1);
}

static void oom(void) { cm_oom(); }

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

/* ---- the signal-time registry (error.h, "Signals"): the one global mutable state ----
 * A lock-free singly linked list of entries, each holding one registered path (a file
 * to unlink, or a directory to rmdir) or NULL when free.  Entries are pushed at the
 * head with a compare-and-swap and never freed or unlinked from the list, so the
 * handler can walk it at any moment; a free entry is reused by CAS NULL -> path.
 * The path strings belong to their cm_out_t / cm_outdir_t, which clear the entry
 * before freeing them. */
typedef struct reg_entry {
    struct reg_entry *next;        /* immutable once the entry is published */
    _Atomic(char *) path;
    int dir;                       /* 1 = rmdir, 0 = unlink */
} reg_entry_t;

static _Atomic(reg_entry_t *) reg_head;
static atomic_int reg_installed;

static const int reg_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
#define N_REG_SIGNALS ((int)(sizeof reg_signals / sizeof reg_signals[0]))

/* Remove what is registered: only async-signal-safe calls.  Files first, then
 * directories, over several passes so nested directories go innermost first whatever
 * their order. */
static void reg_cleanup(void)
{
    for (reg_entry_t *e = atomic_load(&reg_head); e; e = e->next) {
        char *p = atomic_load(&e->path);
        if (p && !e->dir) unlink(p);
    }
    for (int pass = 0, removed = 1; removed && pass < 64; pass++) {
        removed = 0;
        for (reg_entry_t *e = atomic_load(&reg_head); e; e = e->next) {
            char *p = atomic_load(&e->path);
            if (p && e->dir && rmdir(p) == 0) removed = 1;
        }
    }
}

/* The handler: removes what is registered, then dies by the signal. */
static void reg_on_signal(int sig)
{
    int saved = errno;
    reg_cleanup();
    errno = saved;
    /* The default action only now that everything is removed: a second signal (timeout
     * sends SIGTERM to the child and again to its group) that arrives meanwhile is held
     * (sa_mask) or runs this handler again on another thread; both are harmless. */
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

static void reg_install(void)
{
    int expected = 0;
    if (!atomic_compare_exchange_strong(&reg_installed, &expected, 1)) return;
    for (int i = 0; i < N_REG_SIGNALS; i++) {
        struct sigaction old, sa;
        if (sigaction(reg_signals[i], NULL, &old) != 0) continue;
        if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) continue;   /* ignored, or the program's own */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = reg_on_signal;
        sigemptyset(&sa.sa_mask);
        for (int j = 0; j < N_REG_SIGNALS; j++) sigaddset(&sa.sa_mask, reg_signals[j]);
        sa.sa_flags = 0;
        sigaction(reg_signals[i], &sa, NULL);
    }
}

/* Register path (owned by the caller, valid until reg_drop) and return its entry. */
static reg_entry_t *reg_add(char *path, int dir)
{
    reg_install();
    for (reg_entry_t *e = atomic_load(&reg_head); e; e = e->next) {
        char *none = NULL;
        if (e->dir == dir && atomic_compare_exchange_strong(&e->path, &none, path)) return e;
    }
    reg_entry_t *e = cm_calloc(1, sizeof *e);
    e->dir = dir;
    atomic_init(&e->path, path);
    e->next = atomic_load(&reg_head);
    while (!atomic_compare_exchange_weak(&reg_head, &e->next, e)) {}
    return e;
}

static void reg_drop(reg_entry_t *e)
{
    if (e) atomic_store(&e->path, NULL);
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
    /* registered before it exists, so no instant is left where a signal would miss it
     * (before mkstemp fills in the name the handler unlinks a name that is not there) */
    o->reg = reg_add(o->tmp, 0);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
        cm_fail(err, "%s: cannot write: %s", path, strerror(errno));
        if (fd >= 0) { close(fd); unlink(o->tmp); }
        reg_drop(o->reg);
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
    /* the reason: the failing flush's or close's errno, else (an earlier fwrite failed
     * and set the stream's error flag) errno as that write left it */
    int rc = 0, e = 0, before = errno;
    if (fflush(o->fp) != 0) e = errno;
    int bad = ferror(o->fp);
    if (fclose(o->fp) != 0 && !e) e = errno;
    if (bad && !e) e = before;
    if (e || bad) {
        rc = cm_fail(err, "%s: write error: %s", o->path, strerror(e ? e : EIO));
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

/* The temporary file is renamed or unlinked by now: forget it, then free. */
static void out_free(cm_out_t *o)
{
    reg_drop(o->reg);
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

/* ---- output directories ---- */
struct cm_outdir {
    char *path;        /* as given */
    int n;             /* directories this run created, outermost first */
    char **made;
    reg_entry_t **reg;
};

cm_outdir_t *cm_outdir_open(const char *path, cm_err_t *err)
{
    struct stat st;
    if (!path[0]) { cm_fail(err, "output directory: empty name"); return NULL; }
    cm_outdir_t *d = cm_calloc(1, sizeof *d);
    d->path = cm_strdup(path);
    char *p = cm_strdup(path);
    size_t len = strlen(p);
    for (size_t i = 1; i <= len; i++) {
        if (i < len && p[i] != '/') continue;
        if (i < len && p[i - 1] == '/') continue;      /* "a//b" */
        char c = p[i];
        p[i] = 0;
        if (mkdir(p, 0777) == 0) {
            d->made = cm_realloc(d->made, sizeof *d->made * (d->n + 1));
            d->reg = cm_realloc(d->reg, sizeof *d->reg * (d->n + 1));
            d->made[d->n] = cm_strdup(p);
            d->reg[d->n] = reg_add(d->made[d->n], 1);
            d->n++;
        } else {
            int e = errno;
            if (!(e == EEXIST && stat(p, &st) == 0 && S_ISDIR(st.st_mode))) {
                if (e == EEXIST) cm_fail(err, "%s: not a directory", p);
                else cm_fail(err, "%s: cannot create directory: %s", p, strerror(e));
                free(p);
                cm_outdir_close(d, 0);
                return NULL;
            }
        }
        p[i] = c;
    }
    free(p);
    return d;
}

const char *cm_outdir_path(const cm_outdir_t *d)
{
    return d->path;
}

void cm_outdir_close(cm_outdir_t *d, int keep)
{
    if (!d) return;
    for (int i = d->n - 1; i >= 0; i--) {     /* innermost first; stop at a non-empty one */
        if (!keep && rmdir(d->made[i]) != 0) keep = 1;
        reg_drop(d->reg[i]);
        free(d->made[i]);
    }
    free(d->made); free(d->reg); free(d->path); free(d);
}

char *cm_provenance(const char *tool, int argc, char **argv)
{
    char *cmd = cm_cmdline(argc, argv);
    size_t len = strlen(tool) + strlen(COOPMAP_VERSION) + strlen(cmd) + 4;
    char *p = cm_malloc(len);
    snprintf(p, len, "%s %s: %s", tool, COOPMAP_VERSION, cmd);
    free(cmd);
    return p;
}
