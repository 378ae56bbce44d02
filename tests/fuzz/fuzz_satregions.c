/* fuzz_satregions.c — libFuzzer harness: the regions of coopmap-ism --saturation (a BED
 * file, and a sources.tsv), run through cm_sat_run with a fixed grammar model and genome
 * (outputs to /dev/null). */
#include "fixtures_small.h"
#include "ism/saturation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;    /* every base of every region is mutated: keep it short */
    const char *path = fz_write(0, data, size);
    cm_model_t *m = fz_model();
    cm_genome_t *g = fz_genome();
    cm_sat_opts_t o;
    cm_sat_opts_init(&o);
    o.threads = 1;
    o.chunk = 4;
    for (int kind = 0; kind < 2; kind++) {
        cm_sat_stats_t st = {0};
        cm_err_t err = {{0}};
        if (cm_sat_run(m, g, path, (cm_sat_input_t)kind, &o, "/dev/null", NULL, NULL, &st, &err) != 0
            && !err.msg[0]) abort();
    }
    return 0;
}
