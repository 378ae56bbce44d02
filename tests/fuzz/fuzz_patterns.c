/* fuzz_patterns.c — libFuzzer harness: coopmap-patterns' importance inputs (track.h)
 * over the fixed genome (chrA, chrB): the input as a saturation table (all heads, and
 * --head AAA,BBB), then as a bedGraph; on success the regions must be whole (sequence
 * and importance of every base, finite) and the composition a distribution. */
#include "fixtures_small.h"
#include "patterns/track.h"

#include <math.h>

static void check(const cm_pat_data_t *d)
{
    for (int t = 0; t < d->ntrack; t++)
        for (int r = 0; r < d->track[t].nreg; r++) {
            const cm_pat_region_t *g = &d->track[t].reg[r];
            if (g->len <= 0 || g->chrom < 0 || g->chrom >= d->nchrom || g->start < 0) abort();
            for (int i = 0; i < g->len; i++)
                if (g->seq[i] > 4 || !isfinite(g->imp[i])) abort();
        }
    double c[4];
    cm_pat_composition(d, c);
    double s = c[0] + c[1] + c[2] + c[3];
    if (!(fabs(s - 1) < 1e-9) || c[0] != c[3] || c[1] != c[2]) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    cm_genome_t *g = fz_genome();
    char *heads[] = { "AAA", "BBB" };
    for (int k = 0; k < 3; k++) {
        cm_pat_data_t d = {0};
        cm_err_t err = {{0}};
        int rc = k < 2 ? cm_pat_read_saturation(path, g, heads, k ? 2 : 0, &d, &err)
                       : cm_pat_read_bedgraph(path, "h", g, &d, &err);
        if (rc == 0) check(&d);
        else if (!err.msg[0]) abort();
        cm_pat_data_free(&d);
    }
    return 0;
}
