/* fuzz_regions.c — libFuzzer harness: --regions BED files (regions.h) over a fixed
 * indexed genome, every chunk read (small chunks with overlap). */
#include "fixtures_small.h"
#include "seq/regions.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    const char *genome = fz_genome_path();
    cm_err_t err = {{0}};
    cm_regions_t *r = cm_regions_open(path, genome, 1 + size % 17, size % 4, &err);
    if (!r) { if (!err.msg[0]) abort(); return 0; }
    cm_chunk_t c;
    int rc;
    while ((rc = cm_regions_next(r, &c, &err)) == 1)
        if (c.seq[c.len] != 0) abort();
    if (rc < 0 && !err.msg[0]) abort();
    cm_regions_close(r);
    return 0;
}
