/* fuzz_prior.c — libFuzzer harness: FIMO's position-specific priors (prior.h): the input
 * is a PSP file, optionally followed by "\n@@\n" and a prior distribution (--prior-dist);
 * both are read (the PSP with and without --parse-genomic-coord, the first part also as
 * a distribution), and when both parse, a fixed motif is scanned over the fixed genome
 * (chrA, chrB) with them, every hit's p-value checked to be in (0, thresh]. */
#include "fixtures_small.h"
#include "motif/motif_formats.h"
#include "scan/prior.h"
#include "scan/scan.h"

#include <math.h>

static const char fz_prior_meme[] =
    "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
    "Background letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n\n"
    "MOTIF m1 cat\nletter-probability matrix: alength= 4 w= 4 nsites= 10 E= 0\n"
    "0.1 0.7 0.1 0.1\n0.7 0.1 0.1 0.1\n0.1 0.1 0.1 0.7\n0.1 0.1 0.7 0.1\n";

typedef struct { double thresh; long n; } fz_hits_t;

static int hit_check(const cm_hit_t *h, void *data, cm_err_t *err)
{
    (void)err;
    fz_hits_t *c = data;
    if (!(h->pvalue > 0 && h->pvalue <= c->thresh) || !isfinite(h->score)) {
        fprintf(stderr, "hit %s %ld %c score %g p %g\n", h->seq_name, h->start, h->strand, h->score, h->pvalue);
        abort();
    }
    c->n++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p[2];
    size_t len[2];
    int k = fz_split(data, size, p, len, 2);
    const char *psp_path = fz_write(0, p[0], len[0]);
    const char *dist_path = k > 1 ? fz_write(1, p[1], len[1]) : psp_path;
    cm_prior_dist_t d0 = {0};
    cm_err_t err = {{0}};
    if (k > 1 && cm_prior_dist_read(psp_path, &d0, &err) != 0 && !err.msg[0]) abort();
    cm_prior_dist_free(&d0);
    cm_prior_dist_t dist = {0};
    err.msg[0] = 0;
    int have_dist = cm_prior_dist_read(dist_path, &dist, &err) == 0;
    if (!have_dist && !err.msg[0]) abort();
    const char *mpath = fz_fixed(2, "prior.meme", fz_prior_meme, sizeof fz_prior_meme - 1);
    for (int pgc = 0; pgc < 2; pgc++) {
        cm_psp_t psp = {0};
        err.msg[0] = 0;
        if (cm_psp_read(psp_path, pgc, &psp, &err) != 0) {
            if (!err.msg[0]) abort();
            cm_psp_free(&psp);
            continue;
        }
        for (int i = 0; i < psp.n; i++) {   /* values as the scan looks them up */
            double v = cm_psp_value(&psp.s[i], psp.s[i].start + 1);
            if (psp.s[i].n && !(v >= 0 && v <= 1)) abort();
            if (cm_psp_value(&psp.s[i], psp.s[i].start) != -1) abort();
        }
        if (have_dist) {
            cm_motifset_t set = {0};
            if (cm_motifs_read_any(mpath, CM_MF_AUTO, &set, &err) != 0) abort();
            cm_scan_opts_t o;
            cm_scan_opts_init(&o);
            o.bfile = "--uniform--";
            o.pgc = pgc;
            o.psp = &psp;
            o.prior_dist = &dist;
            o.alpha = pgc ? 1 : 0.5;
            o.thresh = 0.05;
            cm_scanner_t sc;
            err.msg[0] = 0;
            if (cm_scanner_init(&sc, &set, &o, &err) == 0) {
                fz_hits_t c = { o.thresh, 0 };
                long n = 0;
                if (cm_scan_fasta(&sc, &o, fz_genome_path(), hit_check, &c, &n, &err) != 0) {
                    if (!err.msg[0]) abort();
                } else if (n != c.n) abort();
                cm_scanner_free(&sc);
            } else if (!err.msg[0]) abort();
            cm_motifs_free(&set);
        }
        cm_psp_free(&psp);
    }
    cm_prior_dist_free(&dist);
    return 0;
}
