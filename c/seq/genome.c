/* genome.c — see genome.h. */
#include "seq/genome.h"
#include "core/dna.h"
#include "core/textio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <unistd.h>

struct cm_genome_s {
    faidx_t *fai;
    char *path;
};

int cm_genome_check_bgzf(const char *path, cm_err_t *err)
{
    cm_hts_quiet();
    if (strcmp(path, "-") != 0 && access(path, R_OK) != 0)
        return cm_fail(err, "%s: cannot open: %s", path, strerror(errno));
    BGZF *fp = strcmp(path, "-") ? bgzf_open(path, "r") : NULL;
    if (!fp) return 0;
    int rc = 0;
    if (fp->is_gzip)
        rc = cm_fail(err, "%s: compressed with gzip, not bgzip: an indexed genome must be plain "
                     "or bgzip (zcat %s | bgzip > GENOME.fa.gz)", path, path);
    else if (fp->is_compressed && bgzf_check_EOF(fp) == 0)
        rc = cm_fail(err, "%s: no BGZF end-of-file marker: truncated? (compress it again with "
                     "bgzip and remake its .fai and .gzi)", path);
    bgzf_close(fp);
    return rc;
}

cm_genome_t *cm_genome_open(const char *path, cm_err_t *err)
{
    if (cm_genome_check_bgzf(path, err) != 0) return NULL;
    faidx_t *fai = fai_load3(path, NULL, NULL, FAI_CREATE);
    if (!fai) {
        cm_fail(err, "%s: cannot open indexed FASTA (needs %s.fai, and %s.gzi when "
                "bgzip-compressed; plain gzip is not indexable)", path, path, path);
        return NULL;
    }
    cm_genome_t *g = cm_calloc(1, sizeof *g);
    g->fai = fai;
    g->path = cm_strdup(path);
    return g;
}

int64_t cm_genome_seq_len(const cm_genome_t *g, const char *chrom)
{
    if (!faidx_has_seq(g->fai, chrom)) return -1;
    return faidx_seq_len(g->fai, chrom);
}

int cm_genome_fetch(cm_genome_t *g, const char *chrom, int64_t start, int64_t end,
                    uint8_t *codes, cm_err_t *err)
{
    int64_t len = cm_genome_seq_len(g, chrom);
    if (len < 0)
        return cm_fail(err, "%s: no sequence named '%s'", g->path, chrom);
    if (start < 0 || end <= start)
        return cm_fail(err, "%s: bad window %s:%lld-%lld", g->path, chrom,
                       (long long)start, (long long)end);
    if (end > len)
        return cm_fail(err, "%s: window %s:%lld-%lld runs past the end of %s (length %lld)",
                       g->path, chrom, (long long)start, (long long)end, chrom, (long long)len);
    hts_pos_t got = 0;
    char *s = faidx_fetch_seq64(g->fai, chrom, start, end - 1, &got);
    if (!s || got != end - start) {
        free(s);
        return cm_fail(err, "%s: cannot read %s:%lld-%lld", g->path, chrom,
                       (long long)start, (long long)end);
    }
    for (int64_t i = 0; i < got; i++) codes[i] = cm_nt4((unsigned char)s[i]);
    free(s);
    return 0;
}

const char *cm_genome_path(const cm_genome_t *g) { return g->path; }

void cm_genome_close(cm_genome_t *g)
{
    if (!g) return;
    fai_destroy(g->fai);
    free(g->path);
    free(g);
}
