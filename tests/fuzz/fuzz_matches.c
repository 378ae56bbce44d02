/* fuzz_matches.c — libFuzzer harness: Tomtom-style match tables (tomtom.tsv,
 * coopmap-compare's): cm_matches_read (q- and E-value thresholds) and the Tomtom
 * heatmap's own reader (cm_fig_tomtom_file, to /dev/null). */
#include "fuzz_common.h"
#include "compare/family.h"
#include "compare/figures.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    for (int use_e = 0; use_e < 2; use_e++) {
        cm_matches_t M = {0};
        cm_err_t err = {{0}};
        if (cm_matches_read(path, use_e ? 10 : 0.05, use_e, &M, &err) != 0 && !err.msg[0]) abort();
        cm_matches_free(&M);
    }
    cm_err_t err = {{0}};
    if (cm_fig_tomtom_file(fz_null(), path, 0.05, (int)(size & 1), "fuzz", "fuzz", &err) != 0
        && !err.msg[0]) abort();
    return 0;
}
