/* exhaustive_scan.c — the bench's baseline (not part of coopmap): a plain exhaustive
 * scan of the same integer matrices coopmap-scan uses (scan.h), every window and
 * strand scored column by column, no filter.  Prints the number of (window, strand)
 * pairs at or above the threshold score, which must equal coopmap-scan's hit count.
 * Usage: exhaustive_scan MOTIFS FASTA THRESH [EVERY]   (EVERY: use motifs 0, E, 2E, …) */
#include "motif/motif_formats.h"
#include "scan/scan.h"
#include "seq/seqio.h"
#include "core/textio.h"
#include "core/dna.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 4) { fprintf(stderr, "usage: exhaustive_scan MOTIFS FASTA THRESH [EVERY]\n"); return 1; }
    int every = argc > 4 ? atoi(argv[4]) : 1;
    cm_err_t err = {{0}};
    cm_motifset_t set;
    if (cm_motifs_read_any(argv[1], CM_MF_AUTO, &set, &err)) { cm_report("exhaustive", &err); return 1; }
    cm_scan_opts_t o;
    cm_scan_opts_init(&o);
    if (cm_parse_double(argv[3], &o.thresh) != 0 || !(o.thresh >= 0)) {
        fprintf(stderr, "exhaustive_scan: THRESH '%s' is not a number >= 0\n", argv[3]);
        return 1;
    }
    cm_scanner_t sc;
    if (cm_scanner_init(&sc, &set, &o, &err)) { cm_report("exhaustive", &err); return 1; }
    cm_fasta_t *fa = cm_fasta_open(argv[2], &err);
    if (!fa) { cm_report("exhaustive", &err); return 1; }
    cm_seqrec_t rec;
    memset(&rec, 0, sizeof rec);
    long hits = 0;
    int used = 0;
    int rc;
    while ((rc = cm_fasta_next(fa, &rec, &err)) == 1) {
        size_t n = rec.len;
        unsigned char *c = malloc(n + 1);
        for (size_t i = 0; i < n; i++) c[i] = cm_nt4((unsigned char)rec.seq[i]);
        used = 0;
        for (int k = 0; k < sc.n; k += every) {
            used++;
            int w = sc.fwd[k].w;
            /* 5-letter tables: a non-ACGT letter makes the window fail */
            int *tf = malloc(sizeof(int) * 5 * w), *tr = malloc(sizeof(int) * 5 * w);
            for (int j = 0; j < w; j++) {
                for (int a = 0; a < 4; a++) {
                    tf[j * 5 + a] = sc.fwd[k].mat[j * 4 + a];
                    tr[j * 5 + a] = sc.rc[k].mat[j * 4 + a];
                }
                tf[j * 5 + 4] = tr[j * 5 + 4] = -(1 << 24);
            }
            int mf = sc.min_fwd[k], mr = sc.min_rc[k];
            for (size_t i = 0; i + w <= n; i++) {
                int sf = 0, sr = 0;
                for (int j = 0; j < w; j++) {
                    sf += tf[j * 5 + c[i + j]];
                    sr += tr[j * 5 + c[i + j]];
                }
                hits += (sf >= mf) + (sr >= mr);
            }
            free(tf); free(tr);
        }
        free(c);
    }
    if (rc < 0) { cm_report("exhaustive", &err); return 1; }
    printf("%ld %d\n", hits, used);
    cm_seqrec_free(&rec);
    cm_fasta_close(fa);
    cm_scanner_free(&sc);
    cm_motifs_free(&set);
    return 0;
}
