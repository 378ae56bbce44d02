/* motif_harness.h — the body of the motif-file harnesses: define FZ_FORMATS (a list of
 * cm_motif_format_t, CM_MF_AUTO = detection) before including it.  Each input is read
 * in every listed format (a file forced into the wrong reader must fail cleanly too),
 * and what a read returns is used as the tools use it: rows normalised, consensus. */
#include "fuzz_common.h"
#include "motif/motif.h"
#include "motif/motif_formats.h"

static const cm_motif_format_t fz_formats[] = { FZ_FORMATS };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    for (size_t k = 0; k < sizeof fz_formats / sizeof fz_formats[0]; k++) {
        cm_motifset_t set = {0};
        cm_err_t err = {{0}};
        int rc = fz_formats[k] == CM_MF_MEME && FZ_MEME_DIRECT
                     ? cm_motifs_read(path, &set, &err)
                     : cm_motifs_read_any(path, fz_formats[k], &set, &err);
        if (rc == 0) {
            cm_motifs_normalise(&set);
            for (int i = 0; i < set.n; i++) {
                char *cons = malloc((size_t)set.m[i].w + 1);
                cm_motif_consensus(set.m[i].freq, set.m[i].w, cons);
                free(cons);
            }
        } else if (!err.msg[0]) {
            fprintf(stderr, "read failed without a message\n");
            abort();
        }
        cm_motifs_free(&set);
    }
    return 0;
}
