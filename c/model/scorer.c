/* scorer.c — an external scorer process as a model; see scorer.h and
 * docs/scorer-protocol.md. */
#include "model/scorer.h"
#include "core/textio.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    char *cmd;
    pid_t pid;            /* child, or -1 once reaped */
    int in_fd;            /* our end of the scorer's standard input (a UNIX socket) */
    int out_fd;           /* read end of the scorer's standard output (a pipe) */
    double timeout;       /* seconds per header / batch; 0 = none */
    int L, H;
    long out_line;        /* scorer output lines consumed (header = 1) */
    char *rbuf;           /* output read but not yet consumed */
    size_t rlen, rcap;
    int eof;              /* the scorer closed its output */
    int failed;           /* sticky error (msg) */
    cm_err_t msg;
    pthread_mutex_t mu;
} scorer_t;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Reap the child: wait up to wait_s seconds (0: do not wait), then kill it.  Fills
 * *status (waitpid's) and returns 1 if it had exited by itself, else 0. */
static int reap(scorer_t *s, double wait_s, int *status)
{
    if (s->pid < 0) return 0;
    double end = now_s() + wait_s;
    for (;;) {
        pid_t r = waitpid(s->pid, status, WNOHANG);
        if (r == s->pid || (r < 0 && errno != EINTR)) { s->pid = -1; return r > 0; }
        if (now_s() >= end) break;
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    kill(-s->pid, SIGKILL);   /* the child's whole process group (see cm_scorer_open) */
    kill(s->pid, SIGKILL);
    while (waitpid(s->pid, status, 0) < 0 && errno == EINTR) {}
    s->pid = -1;
    return 0;
}

/* Record the sticky error "scorer 'CMD': what" (and return -1). */
static int scorer_fail(scorer_t *s, cm_err_t *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int scorer_fail(scorer_t *s, cm_err_t *err, const char *fmt, ...)
{
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (!s->failed) {
        cm_fail(&s->msg, "scorer '%s': %s", s->cmd, what);
        s->failed = 1;
    }
    if (err) *err = s->msg;
    return -1;
}

/* The scorer stopped answering (end of its output): say how it ended. */
static int fail_ended(scorer_t *s, cm_err_t *err, const char *waiting_for)
{
    int status = 0;
    if (s->in_fd >= 0) { close(s->in_fd); s->in_fd = -1; }
    int exited = reap(s, 2.0, &status);
    if (exited && WIFEXITED(status))
        return scorer_fail(s, err, "exited with status %d before %s (output line %ld)",
                           WEXITSTATUS(status), waiting_for, s->out_line + 1);
    if (exited && WIFSIGNALED(status))
        return scorer_fail(s, err, "killed by signal %d before %s (output line %ld)",
                           WTERMSIG(status), waiting_for, s->out_line + 1);
    return scorer_fail(s, err, "closed its output before %s (output line %ld)", waiting_for,
                       s->out_line + 1);
}

/* Take one complete line out of rbuf into *line (NUL-terminated, no '\n', "\r"
 * stripped; valid until the next call).  Returns 1, or 0 when none is complete. */
static int take_line(scorer_t *s, char **line, size_t *consumed)
{
    char *nl = s->rlen ? memchr(s->rbuf + *consumed, '\n', s->rlen - *consumed) : NULL;
    if (!nl) return 0;
    *nl = 0;
    if (nl > s->rbuf + *consumed && nl[-1] == '\r') nl[-1] = 0;
    *line = s->rbuf + *consumed;
    *consumed = (size_t)(nl - s->rbuf) + 1;
    s->out_line++;
    return 1;
}

/* Drop the consumed prefix of rbuf. */
static void compact(scorer_t *s, size_t consumed)
{
    memmove(s->rbuf, s->rbuf + consumed, s->rlen - consumed);
    s->rlen -= consumed;
}

/* Read what the scorer has written (at most one read). 1 = read data, 0 = end of
 * output, -1 = read error (errno). */
static int read_some(scorer_t *s)
{
    if (s->rcap - s->rlen < 65536) {
        s->rcap = s->rcap ? 2 * s->rcap : 1 << 17;
        s->rbuf = cm_realloc(s->rbuf, s->rcap);
    }
    ssize_t r = read(s->out_fd, s->rbuf + s->rlen, s->rcap - s->rlen - 1);
    if (r > 0) { s->rlen += (size_t)r; return 1; }
    if (r == 0) { s->eof = 1; return 0; }
    return errno == EINTR || errno == EAGAIN ? 1 : -1;
}

/* Parse one answer line into H floats. */
static int parse_answer(scorer_t *s, char *line, float *out, cm_err_t *err)
{
    char *tok[4096];
    int cap = (int)(sizeof tok / sizeof *tok);
    int nt = cm_split_ws(line, tok, cap);
    if (nt != s->H)
        return scorer_fail(s, err, "output line %ld: expected %d logits (one per head), got %d%s",
                           s->out_line, s->H, nt, nt == cap ? " or more" : "");
    for (int h = 0; h < nt; h++) {
        double v;
        if (cm_parse_double(tok[h], &v) != 0)
            return scorer_fail(s, err, "output line %ld: field %d: '%.40s' is not a number",
                               s->out_line, h + 1, tok[h]);
        if (!isfinite(v) || !isfinite((float)v))
            return scorer_fail(s, err, "output line %ld: field %d: '%.40s' is not finite",
                               s->out_line, h + 1, tok[h]);
        out[h] = (float)v;
    }
    return 0;
}

/* One batch: send "batch n" and n sequences while reading the n answer lines. */
static int scorer_batch(scorer_t *s, const uint8_t *codes, int n, float *logits, cm_err_t *err)
{
    static const char letters[5] = { 'A', 'C', 'G', 'T', 'N' };
    const size_t L = (size_t)s->L;
    char head[32];
    int hl = snprintf(head, sizeof head, "batch %d\n", n);
    size_t total = (size_t)hl + (size_t)n * (L + 1);
    char *wbuf = cm_malloc(total);
    memcpy(wbuf, head, (size_t)hl);
    char *w = wbuf + hl;
    for (int i = 0; i < n; i++) {
        const uint8_t *c = codes + (size_t)i * L;
        for (size_t j = 0; j < L; j++) *w++ = letters[c[j] > 4 ? 4 : c[j]];
        *w++ = '\n';
    }
    size_t sent = 0, consumed = 0;
    int got = 0, rc = 0;
    double deadline = s->timeout > 0 ? now_s() + s->timeout : 0;
    while (got < n) {
        char *line;
        while (got < n && take_line(s, &line, &consumed)) {
            if (parse_answer(s, line, logits + (size_t)got * s->H, err) != 0) { rc = -1; goto out; }
            got++;
        }
        compact(s, consumed);
        consumed = 0;
        if (got == n) break;
        if (s->eof) { rc = fail_ended(s, err, "answering a batch"); goto out; }
        struct pollfd pf[2] = { { s->out_fd, POLLIN, 0 }, { s->in_fd, POLLOUT, 0 } };
        int npf = sent < total ? 2 : 1;
        int wait_ms = -1;
        if (deadline > 0) {
            double left = deadline - now_s();
            if (left <= 0) {
                reap(s, 0, &(int){0});
                rc = scorer_fail(s, err, "no answer within %g s (killed; --model-timeout)", s->timeout);
                goto out;
            }
            wait_ms = (int)(left * 1000) + 1;
        }
        int pr = poll(pf, (nfds_t)npf, wait_ms);
        if (pr < 0) {
            if (errno == EINTR) continue;
            rc = scorer_fail(s, err, "poll: %s", strerror(errno));
            goto out;
        }
        if (npf == 2 && (pf[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t k = send(s->in_fd, wbuf + sent, total - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (k > 0) sent += (size_t)k;
            else if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                /* the scorer stopped reading: it has exited or will answer no more */
                if (errno == EPIPE || errno == ECONNRESET) sent = total;
                else { rc = scorer_fail(s, err, "writing to the scorer: %s", strerror(errno)); goto out; }
            }
        }
        if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (read_some(s) < 0) { rc = scorer_fail(s, err, "reading its output: %s", strerror(errno)); goto out; }
        }
    }
    /* Lines beyond the n answers stay buffered: the next batch or cm_scorer_finish
     * reports them. */
out:
    free(wbuf);
    return rc;
}

static int scorer_predict(const void *impl, const uint8_t *codes, int n, float *logits, cm_err_t *err)
{
    scorer_t *s = (scorer_t *)impl;
    pthread_mutex_lock(&s->mu);
    int rc;
    if (s->failed) { if (err) *err = s->msg; rc = -1; }
    else if (s->rlen > 0) {
        /* output that no batch asked for (e.g. more answer lines than sequences) */
        size_t consumed = 0;
        char *line;
        if (take_line(s, &line, &consumed))
            rc = scorer_fail(s, err, "output line %ld: more lines than sequences sent", s->out_line);
        else
            rc = scorer_fail(s, err, "output line %ld: output that was not asked for", s->out_line + 1);
    } else {
        rc = 0;
        enum { MAXBATCH = 4096 };
        for (int i0 = 0; i0 < n && rc == 0; i0 += MAXBATCH) {
            int nb = n - i0 < MAXBATCH ? n - i0 : MAXBATCH;
            rc = scorer_batch(s, codes + (size_t)i0 * s->L, nb, logits + (size_t)i0 * s->H, err);
        }
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static void scorer_free(void *impl)
{
    scorer_t *s = (scorer_t *)impl;
    if (!s) return;
    if (s->in_fd >= 0) close(s->in_fd);
    int status;
    reap(s, s->timeout > 0 ? (s->timeout < 10 ? s->timeout : 10) : 10, &status);
    if (s->out_fd >= 0) close(s->out_fd);
    pthread_mutex_destroy(&s->mu);
    free(s->rbuf);
    free(s->cmd);
    free(s);
}

static const cm_model_ops_t scorer_ops = { "scorer", scorer_predict, scorer_free, NULL };

int cm_scorer_finish(cm_model_t *m, cm_err_t *err)
{
    if (strcmp(cm_model_kind(m), "scorer") != 0) return 0;
    scorer_t *s = (scorer_t *)cm_model_impl(m);
    pthread_mutex_lock(&s->mu);
    int rc = 0;
    if (s->failed) { if (err) *err = s->msg; rc = -1; goto out; }
    if (s->in_fd >= 0) { close(s->in_fd); s->in_fd = -1; }
    /* read to the end of its output: there must be nothing left */
    double deadline = s->timeout > 0 ? now_s() + s->timeout : 0;
    while (!s->eof) {
        int wait_ms = -1;
        if (deadline > 0) {
            double left = deadline - now_s();
            if (left <= 0) {
                reap(s, 0, &(int){0});
                rc = scorer_fail(s, err, "did not exit within %g s after its input was closed (killed)",
                                 s->timeout);
                goto out;
            }
            wait_ms = (int)(left * 1000) + 1;
        }
        struct pollfd pf = { s->out_fd, POLLIN, 0 };
        int pr = poll(&pf, 1, wait_ms);
        if (pr < 0 && errno != EINTR) { rc = scorer_fail(s, err, "poll: %s", strerror(errno)); goto out; }
        if (pr > 0 && read_some(s) < 0) { rc = scorer_fail(s, err, "reading its output: %s", strerror(errno)); goto out; }
    }
    for (size_t i = 0; i < s->rlen; i++)
        if (s->rbuf[i] != '\n' && s->rbuf[i] != '\r' && s->rbuf[i] != ' ' && s->rbuf[i] != '\t') {
            rc = scorer_fail(s, err, "output line %ld: more lines than sequences sent", s->out_line + 1);
            goto out;
        }
    int status = 0;
    int exited = reap(s, s->timeout > 0 ? s->timeout : 3600, &status);
    if (!exited) rc = scorer_fail(s, err, "did not exit after its input was closed (killed)");
    else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        rc = scorer_fail(s, err, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        rc = scorer_fail(s, err, "killed by signal %d", WTERMSIG(status));
out:
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* Read and check the header line; fills L, H and the names (tok points into rbuf). */
static int read_header(scorer_t *s, char ***names, char **names_buf, cm_err_t *err)
{
    double deadline = s->timeout > 0 ? now_s() + s->timeout : 0;
    size_t consumed = 0;
    char *line = NULL;
    while (!take_line(s, &line, &consumed)) {
        if (s->eof) return fail_ended(s, err, "writing its header line");
        int wait_ms = -1;
        if (deadline > 0) {
            double left = deadline - now_s();
            if (left <= 0) {
                reap(s, 0, &(int){0});
                return scorer_fail(s, err, "no header line within %g s (killed; --model-timeout)",
                                   s->timeout);
            }
            wait_ms = (int)(left * 1000) + 1;
        }
        struct pollfd pf = { s->out_fd, POLLIN, 0 };
        int pr = poll(&pf, 1, wait_ms);
        if (pr < 0 && errno != EINTR) return scorer_fail(s, err, "poll: %s", strerror(errno));
        if (pr > 0 && read_some(s) < 0) return scorer_fail(s, err, "reading its output: %s", strerror(errno));
    }
    char *copy = cm_strdup(line);
    compact(s, consumed);
    char *tok[64];
    int nt = cm_split_ws(copy, tok, 64);
    const char *want = "expected 'coopmap-scorer 1 input_length=L heads=H1,H2,...'";
    if (nt < 2 || strcmp(tok[0], "coopmap-scorer") != 0) {
        free(copy);
        return scorer_fail(s, err, "output line 1: not a coopmap scorer header (%s)", want);
    }
    long ver;
    if (cm_parse_long(tok[1], &ver) != 0 || ver != CM_SCORER_PROTOCOL_VERSION) {
        scorer_fail(s, err, "output line 1: protocol version '%s' (this build speaks %d)", tok[1],
                    CM_SCORER_PROTOCOL_VERSION);
        free(copy);
        return -1;
    }
    long L = 0;
    const char *heads = NULL;
    for (int i = 2; i < nt; i++) {
        if (strncmp(tok[i], "input_length=", 13) == 0) {
            if (cm_parse_long(tok[i] + 13, &L) != 0 || L < 1 || L > (1L << 24)) {
                scorer_fail(s, err, "output line 1: bad input_length '%s'", tok[i] + 13);
                free(copy);
                return -1;
            }
        } else if (strncmp(tok[i], "heads=", 6) == 0) {
            heads = tok[i] + 6;
        } else {
            scorer_fail(s, err, "output line 1: unknown header field '%s' (%s)", tok[i], want);
            free(copy);
            return -1;
        }
    }
    if (L == 0 || !heads || !*heads) {
        free(copy);
        return scorer_fail(s, err, "output line 1: header lacks input_length= or heads= (%s)", want);
    }
    /* split heads on commas */
    char *hb = cm_strdup(heads);
    free(copy);
    int H = 1;
    for (char *p = hb; *p; p++) H += *p == ',';
    char **nm = cm_malloc((size_t)H * sizeof *nm);
    char *p = hb;
    for (int h = 0; h < H; h++) {
        nm[h] = p;
        char *c = strchr(p, ',');
        if (c) { *c = 0; p = c + 1; }
        if (!*nm[h]) { free(nm); free(hb); return scorer_fail(s, err, "output line 1: empty head name"); }
        for (int j = 0; j < h; j++)
            if (cm_strieq(nm[j], nm[h])) {
                scorer_fail(s, err, "output line 1: head name '%s' repeated", nm[h]);
                free(nm); free(hb);
                return -1;
            }
    }
    s->L = (int)L;
    s->H = H;
    *names = nm;
    *names_buf = hb;
    return 0;
}

cm_model_t *cm_scorer_open(const char *cmd, double timeout_s, cm_err_t *err)
{
    int sv[2], po[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        cm_fail(err, "scorer '%s': socketpair: %s", cmd, strerror(errno));
        return NULL;
    }
    if (pipe2(po, O_CLOEXEC) != 0) {
        cm_fail(err, "scorer '%s': pipe: %s", cmd, strerror(errno));
        close(sv[0]); close(sv[1]);
        return NULL;
    }
    fflush(NULL);   /* nothing buffered is written twice by the child */
    pid_t pid = fork();
    if (pid < 0) {
        cm_fail(err, "scorer '%s': fork: %s", cmd, strerror(errno));
        close(sv[0]); close(sv[1]); close(po[0]); close(po[1]);
        return NULL;
    }
    if (pid == 0) {   /* child: only async-signal-safe calls until exec */
        /* its own process group, so a kill reaches what CMD starts (wrappers, shims) */
        setpgid(0, 0);
        if (dup2(sv[1], 0) < 0 || dup2(po[1], 1) < 0) _exit(127);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);   /* also here, so the group exists before any kill */
    close(sv[1]);
    close(po[1]);
    /* a scorer that stops reading must not block our writes forever: they are
     * non-blocking (MSG_DONTWAIT) and multiplexed with reads by poll */
    scorer_t *s = cm_calloc(1, sizeof *s);
    s->cmd = cm_strdup(cmd);
    s->pid = pid;
    s->in_fd = sv[0];
    s->out_fd = po[0];
    s->timeout = timeout_s > 0 ? timeout_s : 0;
    pthread_mutex_init(&s->mu, NULL);
    char **names = NULL, *names_buf = NULL;
    if (read_header(s, &names, &names_buf, err) != 0) {
        scorer_free(s);
        return NULL;
    }
    cm_model_t *m = cm_model_wrap(&scorer_ops, s, s->L, s->H, (const char *const *)names);
    free(names);
    free(names_buf);
    return m;
}
