/* shard.c — shard numbers and ranges (shard.h). */
#include "core/shard.h"

#include <stdlib.h>
#include <string.h>

int cm_shard_parse(const char *s, cm_shard_t *sh, cm_err_t *err)
{
    char *end;
    const char *slash = strchr(s, '/');
    long k = -1, n = -1;
    if (slash && slash > s && slash[1] && s[0] >= '0' && s[0] <= '9'
        && slash[1] >= '0' && slash[1] <= '9') {
        k = strtol(s, &end, 10);
        if (end != slash) k = -1;
        n = strtol(slash + 1, &end, 10);
        if (*end) n = -1;
    }
    if (k < 1 || n < 1 || k > n || n > 1000000)
        return cm_fail(err, "--shard: expected K/N with 1 <= K <= N, got '%s'", s);
    sh->k = (int)k;
    sh->n = (int)n;
    return 0;
}

void cm_shard_range(const cm_shard_t *sh, int64_t n, int64_t *lo, int64_t *hi)
{
    if (sh->n <= 0) {
        *lo = 0;
        *hi = n;
        return;
    }
    /* floor((K-1)·n/N) without overflow for any n < 2^63 / 10^6 */
    *lo = (int64_t)((__int128)(sh->k - 1) * n / sh->n);
    *hi = (int64_t)((__int128)sh->k * n / sh->n);
}

/* 1 when a (one argv word) is option o written with its value attached
 * ("--opt=VAL", or "-oVAL" for a one-letter o); 2 when it is o alone (the value is the
 * next word); 0 otherwise. */
static int is_opt(const char *a, const char *o)
{
    size_t l = strlen(o);
    if (strncmp(a, o, l) != 0) return 0;
    if (a[l] == 0) return 2;
    if (o[1] == '-' && a[l] == '=') return 1;
    if (o[1] != '-' && l == 2) return 1;
    return 0;
}

char *cm_cmdline_without(int argc, char **argv, const char *const *drop)
{
    char **keep = cm_malloc((size_t)(argc + 1) * sizeof *keep);
    int nk = 0;
    for (int i = 0; i < argc; i++) {
        int hit = 0;
        if (i > 0 && strcmp(argv[i], "--") != 0)
            for (const char *const *d = drop; *d && !hit; d++) hit = is_opt(argv[i], *d);
        if (hit == 2) i++;   /* skip the value too */
        if (!hit) keep[nk++] = argv[i];
        if (i > 0 && i < argc && strcmp(argv[i], "--") == 0) {   /* the rest are operands */
            while (++i < argc) keep[nk++] = argv[i];
        }
    }
    char *s = cm_cmdline(nk, keep);
    free(keep);
    return s;
}
