/* error.h — error values returned up the call chain, and atomic output files.
 *
 * Convention (as in htslib/minimap2): library functions never print and never exit.
 * They return 0 on success and -1 on failure after filling a cm_err_t with a
 * one-line message of the form "FILE:LINE: what is wrong" (or "FILE: what" when no
 * line applies).  The tool's main() reports it once, as "coopmap-TOOL: message",
 * and exits non-zero (DESIGN.md, cross-cutting rules: Errors).
 *
 * Output files are written to a temporary sibling name and renamed into place only
 * on success (cm_out_commit), so a failed run never leaves a half-written file.
 *
 * Signals.  A run killed by SIGINT, SIGTERM, SIGHUP or SIGPIPE (Ctrl-C, a cluster job
 * kill, a closed pipe) leaves no temporary file and no directory it created either:
 * the first cm_out_open or cm_outdir_open installs a handler for those four signals
 * (except one the process inherited as ignored, e.g. under nohup, which stays ignored)
 * that unlinks every open temporary file, removes the directories cm_outdir_open
 * created that are still open and empty, then restores the default action and
 * re-raises the signal, so the exit status is the signal's (128 + N in a shell).
 * The handler calls only async-signal-safe functions (unlink, rmdir, sigprocmask,
 * raise).  The one exception to "no global mutable state" in coopmap is what this
 * needs: the registry the handler reads (a lock-free list of paths in error.c, each
 * entry set and cleared with C11 atomics; never freed, entries are reused) and a flag
 * recording that the handler is installed.  Nothing else reads or writes them.
 * Outputs written in place (standard output, devices, FIFOs) are not removed.
 */
#ifndef COOPMAP_ERROR_H
#define COOPMAP_ERROR_H

#include <stdio.h>
#include <stdarg.h>

/* An error message buffer.  msg[0] == 0 means "no error recorded". */
typedef struct {
    char msg[2048];
} cm_err_t;

/* Format a message into err (printf-style) and return -1, so callers can write
 * `return cm_fail(err, "%s:%ld: bad value", path, line);`.  err may be NULL. */
int cm_fail(cm_err_t *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print "coopmap-TOOL: MSG\n" to stderr (tool is e.g. "scan"). */
void cm_report(const char *tool, const cm_err_t *err);

/* Print "coopmap-TOOL: warning: ...\n" to stderr. */
void cm_warn(const char *tool, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Out of memory: print "coopmap-TOOL: out of memory (...)" (the program's name), remove
 * the registered temporaries and created directories as the signal handler below does,
 * and exit with status 1 (no core dump, nothing left behind).  Does not return. */
void cm_oom(void) __attribute__((noreturn));

/* Allocation that never returns NULL: on failure cm_oom (there is no sane recovery,
 * and it keeps every caller simple). */
void *cm_malloc(size_t n);
void *cm_calloc(size_t n, size_t size);
void *cm_realloc(void *p, size_t n);
char *cm_strdup(const char *s);

/* Room for element n of a growing array: when n >= *cap, the capacity grows to
 * `first` (if 0) or doubles until it exceeds n, and p is reallocated to *cap elements of
 * `size` bytes.  Returns p (possibly moved); never NULL (cm_realloc).  Usage:
 *     v = cm_grow(v, n, &cap, sizeof *v, 64);  v[n++] = x; */
void *cm_grow(void *p, int n, int *cap, size_t size, int first);

/* An output file written atomically.  path "-" (or "/dev/stdout") means standard
 * output; a path that is not a regular file (a device, a FIFO, /proc/self/fd/N, for
 * example a Snakemake pipe) is written in place, since it cannot be renamed over. */
typedef struct {
    FILE *fp;     /* write here */
    char *path;   /* final name */
    char *tmp;    /* temporary name in the same directory; NULL when written in place */
    int direct;   /* 1 = fp was opened on path itself (closed by commit/abort) */
    struct reg_entry *reg;   /* tmp's entry in the signal-time registry (internal) */
} cm_out_t;

/* Create PATH's temporary sibling ("PATH.tmp.XXXXXX") and open it for writing.
 * Returns NULL and fills err if the directory is not writable. */
cm_out_t *cm_out_open(const char *path, cm_err_t *err);

/* Flush, close and rename the temporary file to its final name.  Returns 0, or -1
 * with err filled (write error, disk full, rename failure); on failure the
 * temporary file is removed.  Frees o in every case. */
int cm_out_commit(cm_out_t *o, cm_err_t *err);

/* Commit several outputs as one: every file is flushed and closed first, and only
 * when all were written without error are the temporary files renamed into place,
 * so a write error in any of them (disk full, /dev/full) leaves no final name touched
 * and no temporary file behind.  NULL entries are skipped.  Frees every o[i] and sets
 * it to NULL.  Returns 0, or -1 with err filled for the first failure.  (A rename that
 * fails after earlier renames succeeded cannot be undone; renames within one
 * directory practically never fail once the files are written.) */
int cm_out_commit_all(cm_out_t **o, int n, cm_err_t *err);

/* Close and delete the temporary file without touching PATH; frees o.  NULL-safe. */
void cm_out_abort(cm_out_t *o);

/* An output directory (coopmap-scan --oc, coopmap-stats -o, coopmap-simulate -o):
 * created with its missing parents, and removed again by this run only where this run
 * created it.  Opaque; the directories created are registered with the signal handler
 * above until cm_outdir_close. */
typedef struct cm_outdir cm_outdir_t;

/* Create PATH (and missing parents, as mkdir -p; mode 0777 & ~umask) unless it is an
 * existing directory.  Returns the handle, or NULL with err filled ("PATH: cannot create
 * directory: REASON", "PATH: not a directory") and nothing created. */
cm_outdir_t *cm_outdir_open(const char *path, cm_err_t *err);

/* The directory's path as given to cm_outdir_open. */
const char *cm_outdir_path(const cm_outdir_t *d);

/* Done with the directory.  keep = 1 (the run succeeded): leave it.  keep = 0 (the run
 * failed): remove the directories cm_outdir_open created (PATH, then its created
 * parents) if they are empty; an existing directory, or one holding files, stays.
 * Unregisters them from the signal handler and frees d.  NULL-safe. */
void cm_outdir_close(cm_outdir_t *d, int keep);

/* The command line as one string, arguments separated by single spaces
 * (for provenance header lines).  Caller frees. */
char *cm_cmdline(int argc, char **argv);

/* "TOOL VERSION: COMMAND LINE" (e.g. "coopmap-pairs 0.1.0: coopmap-pairs -o p.tsv …"), the
 * provenance text that every output's first '#' line carries (docs/architecture.md, stage
 * file contracts).  Caller frees. */
char *cm_provenance(const char *tool, int argc, char **argv);

#endif
