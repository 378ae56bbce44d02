/* fuzz_sources.c — libFuzzer harness: sources.tsv as coopmap-ism reads it (cm_ism_run, with a
 * fixed grammar model of input length 30 and a fixed genome; rows written to /dev/null). */
#include "fixtures_small.h"
#include "ism/ism.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    cm_model_t *m = fz_model();
    cm_genome_t *g = fz_genome();
    cm_ism_opts_t o;
    cm_ism_opts_init(&o);
    o.threads = 1;
    o.draws = 2;
    o.chunk = 3;
    o.ko = (cm_ko_mode_t)(size % 4);
    cm_ism_stats_t st = {0};
    cm_err_t err = {{0}};
    if (cm_ism_run(m, g, path, NULL, &o, fz_null(), &st, &err) != 0 && !err.msg[0]) abort();
    return 0;
}
