/* shard.c — shard numbers and ranges (shard.h). */
#include "core/shard.h"
#include "core/rng.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* argv without the options in drop (cm_cmdline_without) into keep (argc + 1 slots);
 * returns the number kept. */
static int kept_words(int argc, char **argv, const char *const *drop, char **keep)
{
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
    return nk;
}

char *cm_cmdline_without(int argc, char **argv, const char *const *drop)
{
    char **keep = cm_malloc((size_t)(argc + 1) * sizeof *keep);
    int nk = kept_words(argc, argv, drop, keep);
    char *s = cm_cmdline(nk, keep);
    free(keep);
    return s;
}

/* h extended by one word of a command line: a readable regular file as its base name
 * and size, anything else as its text. */
static uint64_t key_word(uint64_t h, const char *w)
{
    struct stat st;
    if (stat(w, &st) == 0 && S_ISREG(st.st_mode)) {
        const char *b = strrchr(w, '/');
        h = cm_rng_key(h, 1);
        h = cm_rng_key(h, cm_rng_hash_str(b ? b + 1 : w));
        return cm_rng_key(h, (uint64_t)st.st_size);
    }
    h = cm_rng_key(h, 2);
    return cm_rng_key(h, cm_rng_hash_str(w));
}

uint64_t cm_run_key(const char *tag, int argc, char **argv, const char *const *drop)
{
    char **keep = cm_malloc((size_t)(argc + 1) * sizeof *keep);
    int nk = kept_words(argc, argv, drop, keep);
    uint64_t h = cm_rng_hash_str(tag);
    for (int i = 1; i < nk; i++) {   /* keep[0] = argv[0], the program's path */
        const char *eq = keep[i][0] == '-' && keep[i][1] == '-' ? strchr(keep[i], '=') : NULL;
        if (!eq) {
            h = key_word(h, keep[i]);
            continue;
        }
        char *opt = cm_strdup(keep[i]);   /* "--opt=VAL" counts as "--opt VAL" */
        opt[eq - keep[i]] = 0;
        h = key_word(h, opt);
        h = key_word(h, eq + 1);
        free(opt);
    }
    free(keep);
    return h;
}
