/* check.h — minimal TAP-emitting assertions for the C unit tests.
 * Each CHECK prints "ok - NAME" or "not ok - NAME (file:line: detail)"; main() returns
 * check_status() so the process exit code also reflects failures. */
#ifndef COOPMAP_CHECK_H
#define COOPMAP_CHECK_H
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

static int check_failures_;

#define CHECK(cond, name) do { \
    if (cond) printf("ok - %s\n", name); \
    else { printf("not ok - %s (%s:%d: %s)\n", name, __FILE__, __LINE__, #cond); check_failures_++; } \
} while (0)

/* |got - want| <= abs_tol + rel_tol * |want| */
#define CHECK_NEAR(got, want, abs_tol, rel_tol, name) do { \
    double g_ = (got), w_ = (want); \
    int ok_ = fabs(g_ - w_) <= (abs_tol) + (rel_tol) * fabs(w_) || (isnan(g_) && isnan(w_)); \
    if (ok_) printf("ok - %s\n", name); \
    else { printf("not ok - %s (%s:%d: got %.17g, want %.17g)\n", name, __FILE__, __LINE__, g_, w_); check_failures_++; } \
} while (0)

#define CHECK_STR(got, want, name) do { \
    const char *g_ = (got), *w_ = (want); \
    if (g_ && w_ && strcmp(g_, w_) == 0) printf("ok - %s\n", name); \
    else { printf("not ok - %s (%s:%d: got '%s', want '%s')\n", name, __FILE__, __LINE__, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); check_failures_++; } \
} while (0)

/* Write text to a new temporary file and return its path (a static buffer, valid
 * until the next call; the caller unlinks it).  Aborts the test run if /tmp is not
 * writable, since no check could mean anything then. */
static inline const char *check_tmpfile(const char *text)
{
    static char path[64];
    strcpy(path, "/tmp/cm_test_XXXXXX");
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) { printf("Bail out! cannot create %s\n", path); exit(2); }
    fputs(text, fp);
    fclose(fp);
    return path;
}

static inline int check_status(void) { return check_failures_ ? 1 : 0; }
#endif
