/* fuzz_fimo_merge.c — libFuzzer harness: coopmap-scan --merge inputs (FIMO TSV shards
 * ending with "# shard K/N" lines; cm_fimo_merge_text of the input as shard 1 of 1, and as
 * shards 1 and 2 of 2 when it has a "\n@@\n" separator). */
#include "fuzz_common.h"
#include "scan/fimo_out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p[2];
    size_t len[2];
    int k = fz_split(data, size, p, len, 2);
    char *paths[2];
    for (int i = 0; i < k; i++) paths[i] = (char *)fz_write(i, p[i], len[i]);
    long rows = 0;
    cm_err_t err = {{0}};
    if (cm_fimo_merge_text(paths, k, fz_null(), &rows, &err) != 0 && !err.msg[0]) abort();
    return 0;
}
