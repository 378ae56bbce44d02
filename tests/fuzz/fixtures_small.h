/* fixtures_small.h — the fixed helper files of the harnesses that need a genome and a
 * model besides the fuzzed input: the genome of tests/fixtures/ism/genome.fa and a
 * grammar model of input length 30 with heads AAA, BBB and CCC (the TFs of
 * tests/fixtures/ism/sources.tsv and pairs.tsv). */
#ifndef COOPMAP_FUZZ_FIXTURES_SMALL_H
#define COOPMAP_FUZZ_FIXTURES_SMALL_H

#include "fuzz_common.h"
#include "ism/ism.h"
#include "model/model.h"
#include "seq/genome.h"

static const char fz_genome_fa[] =
    ">chrA test\n"
    "TTTCCTCATGCAATTCAAAACCATGTCCGTAATGTAGGCGAAATAGTAAA\n"
    "CCATTTTACGNNNNATACCAAATTCCTCCTTATTCAGGACCTAACCTGAG\n"
    "GTAAACCAGGTCTCTCCGCC\n"
    ">chrB\n"
    "cccttataaaagctgttgcacctagccaagttcaacggcagctgcaatgg\n"
    "aaataggcaa\n";

static const char fz_grammar[] =
    "coopmap-grammar 1\n"
    "input_length 30\n"
    "motif AAA CATGCA\n"
    "motif BBB GTCCG\n"
    "motif CCC TTATTC\n"
    "head AAA\n"
    "head BBB bias=-1 slope=2\n"
    "head CCC\n"
    "coop AAA BBB 1.5 kernel=gauss:10\n"
    "coop BBB CCC -1 kernel=box:0-20\n";

static const char *fz_genome_path(void)
{
    return fz_fixed(0, "genome.fa", fz_genome_fa, sizeof fz_genome_fa - 1);
}

static cm_genome_t *fz_genome(void)
{
    static cm_genome_t *g;
    if (!g) {
        cm_err_t err = {{0}};
        fz_quiet();
        if (!(g = cm_genome_open(fz_genome_path(), &err))) { fprintf(stderr, "%s\n", err.msg); abort(); }
    }
    return g;
}

static cm_model_t *fz_model(void)
{
    static cm_model_t *m;
    if (!m) {
        cm_err_t err = {{0}};
        const char *p = fz_fixed(1, "model.grammar", fz_grammar, sizeof fz_grammar - 1);
        if (!(m = cm_model_load(p, &err))) { fprintf(stderr, "%s\n", err.msg); abort(); }
    }
    return m;
}

/* One cm_ism_run over the fuzz input as sources.tsv (as_sources = 1) or pairs.tsv (0),
 * with the fixed model and genome; a failure must say why. */
static inline int fz_ism_table(const uint8_t *data, size_t size, int as_sources)
{
    const char *path = fz_write(0, data, size);
    cm_ism_opts_t o;
    cm_ism_opts_init(&o);
    o.threads = 1;
    o.draws = 2;
    o.chunk = 3;
    o.ko = (cm_ko_mode_t)(size % 4);
    cm_ism_stats_t st = {0};
    cm_err_t err = {{0}};
    if (cm_ism_run(fz_model(), fz_genome(), as_sources ? path : NULL, as_sources ? NULL : path, &o,
                   fz_null(), &st, &err) != 0 && !err.msg[0])
        abort();
    return 0;
}

#endif
