/* fuzz_peaks.c — libFuzzer harness: labelled peaks, BED / narrowPeak (peaks.h), read
 * without and with a cell filter, then overlap queries on every chromosome. */
#include "fuzz_common.h"
#include "pairs/peaks.h"

static void query(const cm_peaks_t *pk)
{
    unsigned char *scratch = calloc((size_t)pk->ntf + 1, 1);
    int *tfs = malloc(((size_t)pk->ntf + 1) * sizeof *tfs);
    for (int c = 0; c < pk->nchrom; c++)
        for (int i = 0; i < pk->n[c] && i < 64; i++) {
            const cm_peak_t *p = &pk->p[c][i];
            int k = cm_peaks_containing(pk, c, p->start, p->end, scratch, tfs);
            if (k < 1 || k > pk->ntf) { fprintf(stderr, "peak not inside itself\n"); abort(); }
            cm_peaks_containing(pk, c, p->start + 1, p->start + 2, scratch, tfs);
        }
    for (int t = 0; t < pk->ntf; t++) if (scratch[t]) abort();
    free(scratch); free(tfs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    char *cells[] = { "K562", "hepg2" };
    for (int nc = 0; nc <= 2; nc += 2) {
        cm_peaks_t pk = {0};
        cm_err_t err = {{0}};
        if (cm_peaks_read(path, cells, nc, &pk, &err) == 0) {
            if (pk.nchrom > 0) cm_peaks_chrom(&pk, pk.chroms[0]);
            query(&pk);
        } else if (!err.msg[0]) abort();
        cm_peaks_free(&pk);
    }
    return 0;
}
