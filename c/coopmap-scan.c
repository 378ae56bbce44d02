/* coopmap-scan — FIMO 5.5.8-compatible motif scanning (see scan.h, COMPAT.md items 1–10). */
#include "background.h"
#include "error.h"
#include "motif.h"
#include "scan.h"
#include "textio.h"
#include "version.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *fp)
{
    fprintf(fp,
"Usage: coopmap-scan [options] MOTIFS.meme SEQS.fa\n"
"\n"
"Scan DNA sequences (FASTA: plain, gzip or bgzip; '-' = stdin) with MEME-format motifs,\n"
"scoring exactly as FIMO 5.5.8 does: log2-odds with pseudocounts, integer matrix,\n"
"exact p-value of the score under the background, both strands, p <= --thresh.\n"
"\n"
"Output (FIMO TSV: motif_id motif_alt_id sequence_name start stop strand score p-value\n"
"q-value matched_sequence; start/stop 1-based inclusive). Rows are in FIMO --text order\n"
"(motif, sequence, position, '+' before '-'); the q-value column is empty; the header\n"
"line is printed only when there is at least one hit.\n"
"\n"
"Options (FIMO spellings):\n"
"  --text               text mode: write the TSV to standard output in scan order\n"
"  -o, --output FILE    text mode, writing the TSV to FILE (atomically) instead\n"
"  --oc DIR             full mode (the default, into ./fimo_out, as FIMO): write\n"
"                       DIR/fimo.tsv sorted by ascending p-value (ties in scan order),\n"
"                       header always, then a blank line and three '#' lines (tool\n"
"                       version, format URL, command line).  q-values are not computed\n"
"                       yet (column empty); every hit is kept (no --max-stored-scores)\n"
"  --bed FILE           also write BED6+: chrom, start (0-based), end (half-open),\n"
"                       motif_id, score, strand, motif_alt_id, p-value\n"
"  --thresh P           report windows with p-value <= P (default 1e-4)\n"
"  --bfile SPEC         background: --nrdb-- (default), --uniform--, --motif-- (the\n"
"                       motif file's), or a MEME background file (0-order lines 'A 0.3')\n"
"  --motif-pseudo X     pseudocount weight added to motif frequencies (default 0.1)\n"
"  --motif ID           scan only motif ID (id or alt name); repeatable\n"
"  --norc               scan the given strand only (background not symmetrised)\n"
"  --no-pgc             do not parse genomic coordinates from FASTA headers; the\n"
"                       sequence name is the first word and positions start at 1.\n"
"                       By default 'chr1:100-200' (or Galaxy 'hg19_chr1_100_200'), in\n"
"                       the name or description, gives name chr1 and positions from 100\n"
"  --parse-genomic-coord  parse coordinates (the default; for FIMO command lines)\n"
"  --verbosity N        accepted for FIMO compatibility (coopmap-scan prints only errors)\n"
"  --threads N          OpenMP threads (default 1); output is identical for any N\n"
"  --batch-bases N      FASTA bases read and scanned at a time (whole records;\n"
"                       default 33554432); bounds memory, output unchanged\n"
"  --spill-bytes N      hit bytes held in memory before they go to a temporary file\n"
"                       (default 268435456); output unchanged\n"
"  --help               print this help and exit\n"
"  --version            print the version and exit\n");
}

typedef struct {
    FILE *tsv, *bed;
    int header_done;
} writer_t;

static const char HEADER[] = "motif_id\tmotif_alt_id\tsequence_name\tstart\tstop\tstrand\t"
                             "score\tp-value\tq-value\tmatched_sequence\n";

static int write_hit(const cm_hit_t *h, void *data, cm_err_t *err)
{
    writer_t *w = data;
    (void)err;
    if (w->tsv) {
        if (!w->header_done) {
            fputs(HEADER, w->tsv);
            w->header_done = 1;
        }
        fprintf(w->tsv, "%s\t%s\t%s\t%ld\t%ld\t%c\t%g\t%.3g\t\t%s\n", h->motif_id, h->motif_alt,
                h->seq_name, h->start, h->stop, h->strand, h->score, h->pvalue, h->matched);
    }
    if (w->bed)
        fprintf(w->bed, "%s\t%ld\t%ld\t%s\t%g\t%c\t%s\t%.3g\n", h->seq_name, h->start - 1, h->stop,
                h->motif_id, h->score, h->strand, h->motif_alt, h->pvalue);
    return 0;
}

enum { O_TEXT = 256, O_BED, O_THRESH, O_BFILE, O_PSEUDO, O_MOTIF, O_NORC, O_NOPGC, O_PGC,
       O_VERB, O_THREADS, O_HELP, O_VERSION, O_OC, O_BATCH, O_SPILL };

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        {"text", no_argument, 0, O_TEXT},
        {"output", required_argument, 0, 'o'},
        {"oc", required_argument, 0, O_OC},
        {"batch-bases", required_argument, 0, O_BATCH},
        {"spill-bytes", required_argument, 0, O_SPILL},
        {"bed", required_argument, 0, O_BED},
        {"thresh", required_argument, 0, O_THRESH},
        {"bfile", required_argument, 0, O_BFILE},
        {"motif-pseudo", required_argument, 0, O_PSEUDO},
        {"motif", required_argument, 0, O_MOTIF},
        {"norc", no_argument, 0, O_NORC},
        {"no-pgc", no_argument, 0, O_NOPGC},
        {"parse-genomic-coord", no_argument, 0, O_PGC},
        {"verbosity", required_argument, 0, O_VERB},
        {"threads", required_argument, 0, O_THREADS},
        {"help", no_argument, 0, O_HELP},
        {"version", no_argument, 0, O_VERSION},
        {0, 0, 0, 0}};
    cm_scan_opts_t opt;
    cm_scan_opts_init(&opt);
    cm_err_t err = {{0}};
    const char *out_path = NULL, *bed_path = NULL, *oc = NULL;
    int text = 0;
    char *full_path = NULL, *cmd = NULL;
    char **ids = NULL;
    int nids = 0, c;
    long v;
    double d;
    while ((c = getopt_long(argc, argv, "o:", lo, NULL)) != -1) {
        switch (c) {
        case O_TEXT: text = 1; break;
        case 'o': out_path = optarg; text = 1; break;
        case O_OC: oc = optarg; break;
        case O_BED: bed_path = optarg; break;
        case O_THRESH:
            if (cm_parse_double(optarg, &d) != 0 || !(d >= 0)) {
                cm_fail(&err, "--thresh: '%s' is not a number >= 0", optarg);
                goto fail;
            }
            opt.thresh = d;
            break;
        case O_BFILE: opt.bfile = optarg; break;
        case O_PSEUDO:
            if (cm_parse_double(optarg, &d) != 0 || !(d >= 0)) {
                cm_fail(&err, "--motif-pseudo: '%s' is not a number >= 0", optarg);
                goto fail;
            }
            opt.pseudo = d;
            break;
        case O_MOTIF:
            ids = cm_realloc(ids, (size_t)(nids + 1) * sizeof *ids);
            ids[nids++] = optarg;
            break;
        case O_NORC: opt.norc = 1; break;
        case O_NOPGC: opt.pgc = 0; break;
        case O_PGC: opt.pgc = 1; break;
        case O_VERB:
            if (cm_parse_long(optarg, &v) != 0) {
                cm_fail(&err, "--verbosity: '%s' is not an integer", optarg);
                goto fail;
            }
            break;
        case O_THREADS:
            if (cm_parse_long(optarg, &v) != 0 || v < 1 || v > 1024) {
                cm_fail(&err, "--threads: '%s' is not an integer in 1..1024", optarg);
                goto fail;
            }
            opt.threads = (int)v;
            break;
        case O_BATCH:
        case O_SPILL:
            if (cm_parse_long(optarg, &v) != 0 || v < 1) {
                cm_fail(&err, "--%s: '%s' is not an integer >= 1",
                        c == O_BATCH ? "batch-bases" : "spill-bytes", optarg);
                goto fail;
            }
            if (c == O_BATCH) opt.batch_bases = (size_t)v;
            else opt.spill_bytes = (size_t)v;
            break;
        case O_HELP: usage(stdout); free(ids); return 0;
        case O_VERSION: printf("coopmap-scan %s\n", COOPMAP_VERSION); free(ids); return 0;
        default: usage(stderr); free(ids); return 1;
        }
    }
    if (argc - optind != 2) {
        usage(stderr);
        free(ids);
        return 1;
    }
    const char *motif_path = argv[optind], *seq_path = argv[optind + 1];
    if (text && oc) {
        cm_fail(&err, "--oc cannot be combined with --text/--output");
        goto fail;
    }
    if (!text) {
        if (!oc) oc = "fimo_out";
        full_path = cm_malloc(strlen(oc) + 16);
        sprintf(full_path, "%s/fimo.tsv", oc);
        out_path = full_path;
    } else if (!out_path) {
        out_path = "-";
    }
    cmd = cm_cmdline(argc, argv);

    cm_motifset_t set;
    memset(&set, 0, sizeof set);
    cm_scanner_t sc;
    memset(&sc, 0, sizeof sc);
    cm_out_t *out = NULL, *bed = NULL;
    if (cm_motifs_read(motif_path, &set, &err) != 0) goto fail;
    if (nids && cm_motifs_select(&set, ids, nids, &err) != 0) goto fail_set;
    if (cm_scanner_init(&sc, &set, &opt, &err) != 0) goto fail_set;
    if (oc && mkdir(oc, 0777) != 0 && errno != EEXIST) {
        cm_fail(&err, "%s: cannot create directory: %s", oc, strerror(errno));
        goto fail_sc;
    }
    if (!(out = cm_out_open(out_path, &err))) goto fail_sc;
    if (bed_path && !(bed = cm_out_open(bed_path, &err))) goto fail_sc;
    writer_t wr = {out->fp, bed ? bed->fp : NULL, 0};
    if (text) {
        if (cm_scan_fasta(&sc, &opt, seq_path, write_hit, &wr, NULL, &err) != 0) goto fail_sc;
    } else {
        cm_hitlist_t hl = {0};
        if (cm_scan_fasta(&sc, &opt, seq_path, cm_hitlist_add, &hl, NULL, &err) != 0) {
            cm_hitlist_free(&hl);
            goto fail_sc;
        }
        cm_hitlist_sort(&hl);
        fputs(HEADER, out->fp);
        wr.header_done = 1;
        for (size_t i = 0; i < hl.n; i++) write_hit(&hl.hit[i], &wr, &err);
        cm_hitlist_free(&hl);
        fprintf(out->fp, "\n# coopmap-scan %s (FIMO 5.5.8-compatible scoring)\n"
                "# The format of this file is described at "
                "https://meme-suite.org/meme/doc/fimo-output-format.html#tsv_results.\n"
                "# %s\n", COOPMAP_VERSION, cmd);
    }
    if (bed && cm_out_commit(bed, &err) != 0) { bed = NULL; goto fail_sc; }
    bed = NULL;
    if (cm_out_commit(out, &err) != 0) { out = NULL; goto fail_sc; }
    cm_scanner_free(&sc);
    cm_motifs_free(&set);
    free(ids); free(full_path); free(cmd);
    return 0;

fail_sc:
    cm_out_abort(bed);
    cm_out_abort(out);
    cm_scanner_free(&sc);
fail_set:
    cm_motifs_free(&set);
fail:
    free(ids); free(full_path); free(cmd);
    cm_report("scan", &err);
    return 1;
}
