/* fuzz_background.c — libFuzzer harness: MEME background files (cm_bg_resolve, --bfile)
 * and cm_bg_finish on what they give. */
#include "fuzz_common.h"
#include "motif/background.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    cm_motifset_t none = {0};
    double bg[4];
    cm_err_t err = {{0}};
    if (cm_bg_resolve(path, &none, bg, &err) == 0) {
        cm_bg_finish(bg, 1);
        for (int a = 0; a < 4; a++)
            if (!(bg[a] > 0 && bg[a] < 1)) { fprintf(stderr, "background %d = %g\n", a, bg[a]); abort(); }
    } else if (!err.msg[0]) abort();
    return 0;
}
