/* test_error.c — atomic outputs, output directories and the signal-time registry
 * (core/error.h).  Signal cases run in a forked child that kills itself, so the
 * parent can check the exit status and what is left on disk. */
#include "check.h"
#include "core/error.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char root[64];

/* Number of entries in directory p (excluding . and ..), or -1 if it does not exist. */
static int entries(const char *p)
{
    DIR *d = opendir(p);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static char *at(const char *rel)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", root, rel);
    return buf[k];
}

/* In a child: open DIR a/b/c (created) with two outputs and one in an existing
 * directory, write, then raise sig (after setting it to SIG_IGN first when ignore). */
static int child_status(int sig, int ignore)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(sig, ignore ? SIG_IGN : SIG_DFL);   /* a background job may inherit SIGINT ignored */
        cm_err_t err = {{0}};
        cm_outdir_t *d = cm_outdir_open(at("a/b/c"), &err);
        cm_out_t *o1 = cm_out_open(at("a/b/c/one.tsv"), &err);
        cm_out_t *o2 = cm_out_open(at("a/b/c/two.tsv"), &err);
        cm_out_t *o3 = cm_out_open(at("keep/three.tsv"), &err);
        if (!d || !o1 || !o2 || !o3) _exit(3);
        fputs("x\n", o1->fp); fputs("y\n", o2->fp); fputs("z\n", o3->fp);
        fflush(NULL);
        raise(sig);
        /* only reached when sig is ignored: the run finishes normally */
        cm_out_t *all[3] = { o1, o2, o3 };
        int rc = cm_out_commit_all(all, 3, &err);
        cm_outdir_close(d, rc == 0);
        _exit(rc == 0 ? 0 : 4);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return st;
}

static void cleanup(void)
{
    unlink(at("a/b/c/one.tsv")); unlink(at("a/b/c/two.tsv")); unlink(at("keep/three.tsv"));
    rmdir(at("a/b/c")); rmdir(at("a/b")); rmdir(at("a"));
}

int main(void)
{
    strcpy(root, "/tmp/cm_test_err_XXXXXX");
    if (!mkdtemp(root)) { printf("Bail out! mkdtemp\n"); return 2; }
    mkdir(at("keep"), 0777);

    /* the signals: the exit status is the signal's, and nothing is left but the
     * directory that existed before */
    const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE };
    const char *names[] = { "SIGTERM", "SIGINT", "SIGHUP", "SIGPIPE" };
    for (int i = 0; i < 4; i++) {
        char msg[160];
        int st = child_status(sigs[i], 0);
        snprintf(msg, sizeof msg, "%s: the run ends by the signal (status %#x)", names[i], st);
        CHECK(WIFSIGNALED(st) && WTERMSIG(st) == sigs[i], msg);
        snprintf(msg, sizeof msg, "%s: a/b/c and its created parents removed, no temporaries", names[i]);
        CHECK(!exists(at("a")) && entries(at("keep")) == 0, msg);
        snprintf(msg, sizeof msg, "%s: only the existing directory is left", names[i]);
        CHECK(entries(root) == 1, msg);
        cleanup();
    }

    /* an ignored signal (nohup) stays ignored: the run completes */
    int st = child_status(SIGHUP, 1);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "SIGHUP ignored at start: the run completes");
    CHECK(entries(at("a/b/c")) == 2 && entries(at("keep")) == 1, "SIGHUP ignored: all three outputs in place");
    cleanup();

    /* cm_outdir: failure removes only what this run created, only when empty */
    cm_err_t err = {{0}};
    cm_outdir_t *d = cm_outdir_open(at("a/b/c/"), &err);
    CHECK(d && exists(at("a/b/c")), "outdir: a/b/c/ created with its parents");
    CHECK_STR(d ? cm_outdir_path(d) : NULL, at("a/b/c/"), "outdir: path as given");
    cm_outdir_close(d, 0);
    CHECK(!exists(at("a")), "outdir: failed run removes a/b/c, a/b and a");

    mkdir(at("a"), 0777);
    d = cm_outdir_open(at("a/b"), &err);
    cm_outdir_close(d, 0);
    CHECK(exists(at("a")) && !exists(at("a/b")), "outdir: an existing parent stays");
    rmdir(at("a"));

    d = cm_outdir_open(at("a/b"), &err);
    FILE *fp = fopen(at("a/b/user.txt"), "w");
    if (fp) fclose(fp);
    cm_outdir_close(d, 0);
    CHECK(exists(at("a/b/user.txt")), "outdir: a directory holding a file stays");
    unlink(at("a/b/user.txt")); rmdir(at("a/b")); rmdir(at("a"));

    d = cm_outdir_open(at("a"), &err);
    cm_outdir_close(d, 1);
    CHECK(exists(at("a")), "outdir: kept on success");
    rmdir(at("a"));

    err.msg[0] = 0;
    d = cm_outdir_open("/dev/full", &err);
    CHECK(!d && strstr(err.msg, "/dev/full: not a directory"), "outdir: a device is not a directory");
    fp = fopen(at("file"), "w");
    if (fp) fclose(fp);
    err.msg[0] = 0;
    d = cm_outdir_open(at("file/sub"), &err);
    CHECK(!d && strstr(err.msg, "file: not a directory"), "outdir: a file in the path is named");
    unlink(at("file"));
    err.msg[0] = 0;
    d = cm_outdir_open("", &err);
    CHECK(!d && err.msg[0], "outdir: empty name refused");

    /* a full disk: /dev/full is written in place and the error is reported at commit */
    cm_out_t *o = cm_out_open("/dev/full", &err);
    CHECK(o && o->direct, "out: /dev/full is written in place");
    if (o) {
        for (int i = 0; i < 10000; i++) fputs("0123456789\n", o->fp);
        err.msg[0] = 0;
        CHECK(cm_out_commit(o, &err) != 0 && strstr(err.msg, "/dev/full: write error: No space left on device"),
              "out: full disk gives 'write error: No space left on device'");
    }
    /* a temporary's entry is reused after commit: many outputs in turn leave nothing */
    for (int i = 0; i < 200; i++) {
        o = cm_out_open(at("keep/r.tsv"), &err);
        if (!o) break;
        fputs("r\n", o->fp);
        if (i % 2) cm_out_abort(o);
        else cm_out_commit(o, &err);
    }
    CHECK(entries(at("keep")) == 1, "out: 200 outputs in turn leave one file and no temporary");
    unlink(at("keep/r.tsv"));
    rmdir(at("keep"));
    rmdir(root);
    return check_status();
}
