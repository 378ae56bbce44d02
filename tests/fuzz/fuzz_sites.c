/* fuzz_sites.c — libFuzzer harness: FIMO TSV sites (sites.h), then what coopmap-pairs
 * does with them without peaks: localized loci and the pairs written (to /dev/null). */
#include "fuzz_common.h"
#include "pairs/sites.h"
#include "pairs/pairs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    cm_sites_t s = {0};
    cm_err_t err = {{0}};
    if (cm_sites_read(path, &s, &err) == 0) {
        for (int i = 0; i < s.n; i++)
            if (s.s[i].end < s.s[i].start || (s.s[i].strand != '+' && s.s[i].strand != '-')) abort();
        cm_pairs_opt_t opt = { 500, 40, (int)(size & 1) };
        cm_loci_t L = {0};
        cm_pairs_count_t cnt = {0};
        if (s.n <= 2000 && cm_loci_build(&s, NULL, &opt, NULL, NULL, &L, &cnt, &err) == 0) {
            cm_sources_write(fz_null(), &L, "fuzz");
            cm_pairs_write(fz_null(), &L, &opt, "fuzz", &cnt);
        }
        cm_loci_free(&L);
    } else if (!err.msg[0]) abort();
    cm_sites_free(&s);
    return 0;
}
