/* fuzz_jos.c — libFuzzer harness: JOS tables (coopmap-family jos output) read by the
 * JOS bar chart (cm_fig_jos_file, to /dev/null). */
#include "fuzz_common.h"
#include "compare/figures.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    cm_err_t err = {{0}};
    if (cm_fig_jos_file(fz_null(), path, "fuzz", "fuzz", &err) != 0 && !err.msg[0]) abort();
    return 0;
}
