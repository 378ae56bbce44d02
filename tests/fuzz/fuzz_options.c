/* fuzz_options.c — libFuzzer harness: the option and value parsers of the library that
 * the tools (and the workflows' rendered command lines) pass strings to: --shard K/N,
 * --knockout, --dist, --motif-format, --qv-mode, --correction, --test, numbers
 * (cm_parse_double / cm_parse_long), option names (cm_optname), FASTA-header
 * coordinates (cm_parse_coords), the field splitters, and provenance command lines
 * (cm_cmdline_without) and run keys (cm_run_key).  The input is split on newlines into values. */
#include "fuzz_common.h"
#include "core/textio.h"
#include "core/shard.h"
#include "ism/ism.h"
#include "compare/compare.h"
#include "motif/motif_formats.h"
#include "scan/scan.h"
#include "scan/scan_q.h"
#include "stats/stats.h"
#include <math.h>

static void one(char *s, const char *next)
{
    cm_err_t err = {{0}};
    cm_shard_t sh;
    if (cm_shard_parse(s, &sh, &err) == 0) {
        if (!(sh.k >= 1 && sh.k <= sh.n && sh.n <= 1000000)) abort();
        int64_t lo, hi;
        cm_shard_range(&sh, 12345, &lo, &hi);
        if (lo < 0 || hi < lo || hi > 12345) abort();
    } else if (!err.msg[0]) abort();
    cm_ko_mode_t ko;
    cm_ism_parse_ko(s, &ko, &err);
    cm_dist_t d;
    cm_dist_parse(s, &d);
    cm_motif_format_t mf;
    if (cm_motif_format_parse(s, &mf) == 0) cm_motif_format_name(mf);
    cm_qv_mode_t qv;
    cm_qv_mode_parse(s, &qv);
    cm_correction_parse(s);
    cm_test_parse(s);
    double x;
    long l;
    cm_parse_double(s, &x);
    cm_parse_long(s, &l);
    cm_optname(s);
    char *chrom = NULL;
    long off = 0;
    cm_parse_coords(s, next, &chrom, &off);
    free(chrom);
    char *f[16];
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    memcpy(c, s, n + 1);
    int k = cm_split_tabs(c, f, 16);
    if (k > 0) cm_field_index(f, k, "chrom");
    memcpy(c, s, n + 1);
    cm_split_ws(c, f, 16);
    free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = 0;
    char *argv[65];
    int argc = 0;
    char *p = buf;
    while (argc < 64) {
        argv[argc++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = 0;
        p = nl + 1;
    }
    for (int i = 0; i < argc; i++) one(argv[i], i + 1 < argc ? argv[i + 1] : "");
    argv[argc] = NULL;   /* as in main() */
    static const char *const drop[] = { "--threads", "--shard", "-o", NULL };
    free(cm_cmdline_without(argc, argv, drop));
    (void)cm_run_key("fuzz", argc, argv, drop);
    free(cm_cmdline(argc, argv));
    free(buf);
    return 0;
}
