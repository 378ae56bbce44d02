/* fuzz_common.h — what every libFuzzer harness of tests/fuzz/ shares (README.md there).
 *
 * The parsers of coopmap take file names, so each input is written to one temporary
 * file of the process (a memfd, named /proc/self/fd/N, or a mkstemp file in $TMPDIR or
 * /tmp when memfd is unavailable), rewritten in place for every input.  Extra fixed
 * files a harness needs (a genome, a model) are made once under fz_dir().
 * Harnesses free everything they get from the library: a leak is a failure
 * (LeakSanitizer runs after every input).
 */
#ifndef COOPMAP_FUZZ_COMMON_H
#define COOPMAP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <htslib/hts.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    int fd;
    char path[256];
} fz_file_t;

static void fz_quiet(void)
{
    static int done;
    if (!done) { hts_set_log_level(HTS_LOG_OFF); done = 1; }
}

/* A directory of this process for fixed helper files (removed at exit). */
static char fz_dir_[256];
static void fz_dir_rm(void)
{
    char cmd[300];
    if (fz_dir_[0] && strncmp(fz_dir_, "/tmp", 4) == 0) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", fz_dir_);
        if (system(cmd)) { /* nothing to do */ }
    }
}
static const char *fz_dir(void)
{
    if (!fz_dir_[0]) {
        snprintf(fz_dir_, sizeof fz_dir_, "/tmp/cmfuzz.XXXXXX");
        if (!mkdtemp(fz_dir_)) { perror("mkdtemp"); abort(); }
        atexit(fz_dir_rm);
    }
    return fz_dir_;
}

/* Write a helper file NAME (in fz_dir()) once; returns its path (static storage per slot). */
static const char *fz_fixed(int slot, const char *name, const void *d, size_t n)
{
    static char paths[8][300];
    if (!paths[slot][0]) {
        snprintf(paths[slot], sizeof paths[slot], "%s/%s", fz_dir(), name);
        FILE *f = fopen(paths[slot], "wb");
        if (!f || fwrite(d, 1, n, f) != n || fclose(f) != 0) { perror(paths[slot]); abort(); }
    }
    return paths[slot];
}

/* (Re)write the input into temporary file slot f (0..3) and return its path. */
static const char *fz_write(int slot, const uint8_t *d, size_t n)
{
    static fz_file_t files[4];
    fz_file_t *f = &files[slot];
    fz_quiet();
    if (!f->path[0]) {
        f->fd = memfd_create("cmfuzz", 0);
        if (f->fd >= 0) snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
        else {
            snprintf(f->path, sizeof f->path, "%s/in%d.XXXXXX", fz_dir(), slot);
            f->fd = mkstemp(f->path);
            if (f->fd < 0) { perror("mkstemp"); abort(); }
        }
    }
    if (ftruncate(f->fd, 0) != 0) { perror("ftruncate"); abort(); }
    size_t off = 0;
    while (off < n) {
        ssize_t w = pwrite(f->fd, d + off, n - off, (off_t)off);
        if (w <= 0) { perror("pwrite"); abort(); }
        off += (size_t)w;
    }
    return f->path;
}

/* Split data at the first occurrence of the 4-byte separator "\n@@\n" into parts
 * (at most max); returns the number of parts.  Lets one input carry several files. */
static int fz_split(const uint8_t *d, size_t n, const uint8_t **p, size_t *len, int max)
{
    int k = 0;
    size_t start = 0;
    for (size_t i = 0; k < max - 1 && i + 4 <= n; i++)
        if (d[i] == '\n' && d[i + 1] == '@' && d[i + 2] == '@' && d[i + 3] == '\n') {
            p[k] = d + start; len[k] = i + 1 - start; k++;
            start = i + 4; i += 3;
        }
    p[k] = d + start; len[k] = n - start; k++;
    return k;
}

/* /dev/null for writers (figures, merges), opened once. */
static FILE *fz_null(void)
{
    static FILE *f;
    if (!f && !(f = fopen("/dev/null", "w"))) { perror("/dev/null"); abort(); }
    return f;
}

#endif
