/* fuzz_effects.c — libFuzzer harness: effects.tsv (stats/effects.h: read, finish), and the
 * same bytes as a one-shard coopmap-ism --merge input (cm_ism_merge). */
#include "fuzz_common.h"
#include "stats/effects.h"
#include "ism/ism.h"
#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = (char *)fz_write(0, data, size);
    cm_effects_t ef;
    cm_effects_init(&ef);
    cm_err_t err = {{0}};
    if (cm_effects_read(path, &ef, &err) == 0) {
        cm_effects_finish(&ef);
        for (size_t i = 0; i < ef.n; i++) {
            const cm_effect_t *e = &ef.e[i];
            if (e->src < 0 || e->src >= ef.n_tf || (e->is_pair && (e->tgt < 0 || e->tgt >= ef.n_tf))) abort();
            if (e->is_pair && !(e->distance >= 0)) abort();
        }
    } else if (!err.msg[0]) abort();
    cm_effects_free(&ef);
    long rows = 0;
    cm_err_t err2 = {{0}};
    if (cm_ism_merge(&path, 1, fz_null(), &rows, &err2) != 0 && !err2.msg[0]) abort();
    return 0;
}
