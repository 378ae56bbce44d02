/* fuzz_satfig.c — libFuzzer harness: the saturation figure's inputs (sat_figure.h): a
 * saturation TSV, optionally followed by "\n@@\n" and a sources.tsv, and by another
 * "\n@@\n" and a region string; drawn to /dev/null. */
#include "fuzz_common.h"
#include "ism/sat_figure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p[3];
    size_t len[3];
    int k = fz_split(data, size, p, len, 3);
    const char *sat = fz_write(0, p[0], len[0]);
    const char *src = k > 1 ? fz_write(1, p[1], len[1]) : NULL;
    char *region = NULL;
    if (k > 2) {
        region = malloc(len[2] + 1);
        memcpy(region, p[2], len[2]);
        region[len[2]] = 0;
        for (size_t i = 0; i < len[2]; i++) if (region[i] == '\n') { region[i] = 0; break; }
    }
    cm_err_t err = {{0}};
    if (cm_fig_saturation_file(fz_null(), sat, src, region, (int)(size % 3) * 20, "fuzz", "fuzz", &err) != 0
        && !err.msg[0]) abort();
    free(region);
    return 0;
}
