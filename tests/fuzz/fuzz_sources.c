/* fuzz_sources.c — libFuzzer harness: sources.tsv as coopmap-ism reads it (cm_ism_run, with a
 * fixed grammar model of input length 30 and a fixed genome; rows written to /dev/null). */
#include "fixtures_small.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_ism_table(data, size, 1);
}
