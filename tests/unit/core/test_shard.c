/* test_shard.c — shard numbers, ranges and provenance command lines (core/shard.h). */
#include "check.h"
#include "core/shard.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    cm_shard_t sh;
    cm_err_t err = {{0}};
    CHECK(cm_shard_parse("3/4", &sh, &err) == 0 && sh.k == 3 && sh.n == 4, "parse 3/4");
    CHECK(cm_shard_parse("1/1", &sh, &err) == 0 && sh.k == 1 && sh.n == 1, "parse 1/1");
    const char *bad[] = { "0/4", "5/4", "4", "/4", "1/", "a/4", "1/4x", "-1/4", "1/-4", " 1/4", "1/2000000" };
    int nbad = 0;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) nbad += cm_shard_parse(bad[i], &sh, &err) != 0;
    CHECK(nbad == (int)(sizeof bad / sizeof *bad), "parse refuses 0/4 5/4 4 /4 1/ a/4 1/4x -1/4 1/-4 ' 1/4' 1/2000000");
    cm_shard_parse("1/4x", &sh, &err);
    CHECK_STR(err.msg, "--shard: expected K/N with 1 <= K <= N, got '1/4x'", "parse error message");

    /* 10 items in 4 shards: floor(k*10/4) = 0, 2, 5, 7, 10 (hand-derived) */
    int64_t lo, hi, want[5] = { 0, 2, 5, 7, 10 };
    int ok = 1;
    for (int k = 1; k <= 4; k++) {
        cm_shard_t s = { k, 4 };
        cm_shard_range(&s, 10, &lo, &hi);
        ok &= lo == want[k - 1] && hi == want[k];
    }
    CHECK(ok, "range: 10 items in 4 shards are 0-2 2-5 5-7 7-10");
    /* every item exactly once, sizes within 1, for many n and N (incl. N > n) */
    ok = 1;
    for (int64_t n = 0; n < 40; n++)
        for (int N = 1; N <= 12; N++) {
            int64_t next = 0, mn = n, mx = 0;
            for (int k = 1; k <= N; k++) {
                cm_shard_t s = { k, N };
                cm_shard_range(&s, n, &lo, &hi);
                ok &= lo == next && hi >= lo;
                next = hi;
                if (hi - lo < mn) mn = hi - lo;
                if (hi - lo > mx) mx = hi - lo;
            }
            ok &= next == n && mx - mn <= 1;
        }
    CHECK(ok, "range: shards are consecutive, cover 0..n once, sizes differ by <= 1 (n < 40, N <= 12)");
    cm_shard_t s0 = { 0, 0 };
    cm_shard_range(&s0, 7, &lo, &hi);
    CHECK(lo == 0 && hi == 7, "range: unsharded is the whole input");
    cm_shard_t big = { 3, 7 };
    cm_shard_range(&big, INT64_C(4000000000000000000), &lo, &hi);
    CHECK(lo == INT64_C(1142857142857142857) && hi == INT64_C(1714285714285714285), "range: no overflow near 2^62");

    static const char *const drop[] = { "--threads", "--shard", "-o", "--output", NULL };
    char *argv[] = { "coopmap-ism", "--model", "m", "--threads", "4", "--shard=2/3", "-o", "out.tsv",
                     "--seed", "1", "-oother", "--output=x", "--threadsX", "--", "--threads", "5" };
    char *c = cm_cmdline_without(16, argv, drop);
    CHECK_STR(c, "coopmap-ism --model m --seed 1 --threadsX -- --threads 5",
              "cmdline_without drops --opt V, --opt=V, -o V, -oV; keeps look-alikes and operands after --");
    free(c);

    /* run keys: dropped options, "--opt=V" = "--opt V", files as base name + size */
    char dir[] = "/tmp/cm_runkey_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "run key: temp dir");
    char f1[64], f2[64], f3[64];
    snprintf(f1, sizeof f1, "%s/a", dir);
    snprintf(f2, sizeof f2, "%s/b", dir);
    mkdir(f2, 0700);
    snprintf(f2, sizeof f2, "%s/b/a", dir);   /* same name and size, elsewhere */
    snprintf(f3, sizeof f3, "%s/b/c", dir);   /* same size, another name */
    FILE *fp;
    if ((fp = fopen(f1, "w"))) { fputs("xyz", fp); fclose(fp); }
    if ((fp = fopen(f2, "w"))) { fputs("abc", fp); fclose(fp); }
    if ((fp = fopen(f3, "w"))) { fputs("abc", fp); fclose(fp); }
    char *k1[] = { "/usr/bin/scan", "--thresh", "1e-4", "--threads", "2", f1 };
    char *k2[] = { "./scan", "--threads=8", "--thresh=1e-4", "-o", "x", f2 };
    char *k3[] = { "scan", "--thresh", "1e-4", f3 };
    char *k4[] = { "scan", "--thresh", "0.0001", f1 };
    uint64_t a = cm_run_key("t 1", 6, k1, drop), b = cm_run_key("t 1", 6, k2, drop);
    CHECK(a == b, "run key: equal without --threads/-o, with --opt=V, another path to a file of the same name and size");
    CHECK(a != cm_run_key("t 2", 6, k1, drop), "run key: the tag (version) counts");
    CHECK(a != cm_run_key("t 1", 4, k3, drop), "run key: another file name counts");
    CHECK(a != cm_run_key("t 1", 4, k4, drop), "run key: another spelling of a value counts");
    if ((fp = fopen(f2, "a"))) { fputs("d", fp); fclose(fp); }
    CHECK(a != cm_run_key("t 1", 6, k2, drop), "run key: another size counts");
    remove(f1); remove(f2); remove(f3);
    snprintf(f2, sizeof f2, "%s/b", dir);
    rmdir(f2); rmdir(dir);
    return check_status();
}
