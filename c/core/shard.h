/* shard.h — splitting one stage run into N shards whose outputs, concatenated in
 * shard order by the stage's --merge, are byte-identical to the unsharded output
 * (issue 10: "byte-identical results whether a job ran on 1 core or in 200 shards").
 *
 * A shard is written K/N on the command line (--shard K/N, 1 <= K <= N, as GNU
 * split's -n K/N): item i (0-based) of n items in input order belongs to shard K when
 * lo <= i < hi with lo = floor((K-1)·n/N), hi = floor(K·n/N), so the N shards are
 * consecutive, cover every item once, and differ in size by at most one.  What an
 * item is belongs to the stage: a motif for coopmap-scan (motif-file order), a
 * self or pair row for coopmap-ism (sources rows, then pairs rows).
 */
#ifndef COOPMAP_SHARD_H
#define COOPMAP_SHARD_H

#include <stdint.h>
#include "core/error.h"

/* One shard of a run; n = 0 means "not sharded" (the whole input). */
typedef struct {
    int k;   /* 1-based shard number */
    int n;   /* number of shards; 0 = unsharded */
} cm_shard_t;

/* Parse "K/N" (decimal, 1 <= K <= N <= 1000000).  Returns 0, or -1 with err
 * "--shard: expected K/N with 1 <= K <= N, got 'S'". */
int cm_shard_parse(const char *s, cm_shard_t *sh, cm_err_t *err);

/* The half-open item range [*lo, *hi) of shard sh among n items (above); the whole
 * [0, n) when sh->n == 0. */
void cm_shard_range(const cm_shard_t *sh, int64_t n, int64_t *lo, int64_t *hi);

/* The command line (as cm_cmdline, error.h) without the options named in drop
 * (NULL-terminated list of spellings such as "--threads", "-o"), each with its value,
 * whether written "--opt VAL", "--opt=VAL", or for one-letter options "-o VAL" and
 * "-oVAL".  For provenance lines that must not depend on what cannot change an
 * output's bytes (thread count, shard, output name).  Caller frees. */
char *cm_cmdline_without(int argc, char **argv, const char *const *drop);

/* A 64-bit key of a run, so that --merge can tell the shards of one run from those of
 * another: a hash (rng.h, cm_rng_key chain) of tag (e.g. "coopmap-scan 0.1.0") and of
 * argv[1..argc) without the options in drop (as cm_cmdline_without), where each word
 * that names a readable regular file counts as its base name and size in bytes, so
 * shards run from other directories, or on staged copies of the inputs (Nextflow work
 * directories), agree, and another input of another size does not.  "--opt=VAL"
 * counts as "--opt VAL"; values spelled differently ("1e-4" vs "0.0001") give different
 * keys.  Never fails. */
uint64_t cm_run_key(const char *tag, int argc, char **argv, const char *const *drop);

#endif
