/* coopmap-scan — FIMO 5.5.8-compatible motif scanning (see scan.h, scan_q.h, fimo_out.h;
 * COMPAT.md items 1–10): options, then the scan, q-values and outputs of the library. */
#include "motif/background.h"
#include "core/error.h"
#include "scan/cisml.h"
#include "scan/fimo_out.h"
#include "motif/motif.h"
#include "motif/motif_formats.h"
#include "scan/scan.h"
#include "scan/scan_q.h"
#include "seq/regions.h"
#include "core/shard.h"
#include "seq/fachunk.h"
#include "core/textio.h"
#include "core/version.h"

#include <errno.h>
#include <math.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *fp)
{
    fprintf(fp,
"Usage: coopmap-scan [options] MOTIFS SEQS.fa\n"
"       coopmap-scan [options] --regions BED --genome GENOME.fa[.gz] MOTIFS\n"
"       coopmap-scan --merge -o sites.tsv SHARD1.tsv ... SHARDN.tsv\n"
"\n"
"Scan DNA sequences (FASTA: plain, gzip or bgzip; '-' = stdin) with motifs (MEME,\n"
"JASPAR, TRANSFAC or HOMER format, detected from the content),\n"
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
"                       version, format URL, command line), with q-values per motif;\n"
"                       also DIR/fimo.gff (GFF3) and DIR/best_site.narrowPeak, both\n"
"                       as FIMO's, DIR/fimo.xml and DIR/cisml.xml (FIMO's layout),\n"
"                       and DIR/fimo.bed (BED6+)\n"
"  --qv-method M        full-mode q-values: fimo (default: FIMO 5.5.8's Storey q-values\n"
"                       from a 10,000-value reservoir sample, MT19937 seed 4357, at most\n"
"                       --max-stored-scores hits per motif), bh (exact Benjamini-Hochberg\n"
"                       over all tested windows, no cap), storey (exact Storey over all\n"
"                       tested windows, no cap; scores every window), none\n"
"  --no-qvalue          same as --qv-method none (FIMO spelling)\n"
"  --qv-thresh          full mode: --thresh also applies to q-values (FIMO): the scan\n"
"                       keeps p <= P as usual, q-values are computed over them, and\n"
"                       fimo.tsv, fimo.bed, fimo.gff and cisml.xml list only q <= P\n"
"                       (best_site.narrowPeak is not filtered, as FIMO's); refused\n"
"                       with --text/-o and with --no-qvalue / --qv-method none\n"
"  --max-stored-scores N  --qv-method fimo: hits kept per motif (default 100000); on\n"
"                       overflow the worse half is dropped and the effective threshold\n"
"                       lowered (a warning names the new cutoff)\n"
"  --bed FILE           also write BED6+: chrom, start (0-based), end (half-open),\n"
"                       motif_id, score, strand, motif_alt_id, p-value (full mode:\n"
"                       instead of DIR/fimo.bed)\n"
"  --regions BED        scan only these regions (chrom, start, end[, name]) of the\n"
"  --genome FASTA       indexed genome (plain or bgzip, .fai/.gzi built if missing);\n"
"                       positions are genome positions and a last column 'region'\n"
"                       carries the BED name ('.' if none)\n"
"  --psp FILE           position-specific priors (MEME PSP file: '>name' records, one\n"
"                       prior in [0,1] per position, in the FASTA's sequence order),\n"
"                       applied as FIMO does: the window's prior log-odds\n"
"                       log2(a/(1-a)), a = alpha x prior at its first base, is added\n"
"                       to its score, p-values from the motif's score distribution\n"
"                       convolved with the priors' (--prior-dist); a position without\n"
"                       a prior counts as prior 0 (FIMO's effective default)\n"
"  --prior-dist FILE    the distribution of the priors, as MEME's compute-prior-dist\n"
"                       writes it ('#min', '#max', '#median' lines, then bin values)\n"
"  --alpha A            scale of every prior (default 1)\n"
"  --max-strand         of a window's two strand hits report only the higher score\n"
"                       ('+' on ties; FIMO picks at random)\n"
"  --thresh P           report windows with p-value <= P (default 1e-4)\n"
"  --bfile SPEC         background: --nrdb-- (default), --uniform--, --motif-- (the\n"
"                       motif file's), or a MEME background file (0-order lines 'A 0.3')\n"
"  --motif-pseudo X     pseudocount weight added to motif frequencies (default 0.1)\n"
"  --motif ID           scan only motif ID (id or alt name); repeatable\n"
"  --motif-format F     auto (default, detected from the content), meme, meme-text,\n"
"                       meme-xml, streme-xml, dreme-xml, meme-html (MEME, STREME and\n"
"                       DREME output), jaspar, transfac or homer; count matrices become\n"
"                       frequencies with nsites = the first column's sum; rows off 1 by\n"
"                       more than 1e-5 are normalised, as MEME does\n"
"  --norc               scan the given strand only (background not symmetrised)\n"
"  --no-pgc             do not parse genomic coordinates from FASTA headers; the\n"
"                       sequence name is the first word and positions start at 1.\n"
"                       By default 'chr1:100-200' (or Galaxy 'hg19_chr1_100_200'), in\n"
"                       the name or description, gives name chr1 and positions from 100\n"
"  --parse-genomic-coord  parse coordinates (the default; for FIMO command lines)\n"
"  --verbosity N        accepted for FIMO compatibility (coopmap-scan prints only errors)\n"
"  --threads N          OpenMP threads (default 1); output is identical for any N\n"
"  --shard K/N          text mode: scan only the K-th of N consecutive, equal slices\n"
"                       (sizes differ by at most 1) of the motifs, in file order (after\n"
"                       --motif); a last line '# shard K/N: motifs LO-HI of TOTAL, run R'\n"
"                       follows (R: a key of the command line without --threads, --shard,\n"
"                       -o, --verbosity, --batch-bases, --spill-bytes, input files counted\n"
"                       by base name and size)\n"
"  --merge              instead: concatenate the --shard outputs 1..N of one scan, given\n"
"                       in order, into -o (header once): byte-identical to the unsharded\n"
"                       --text output (checks that every shard is there and complete, and\n"
"                       that all have one run key)\n"
"  --filter F           window filter: auto (default: per motif), kmer (8-mer table of\n"
"                       the windows that can reach the threshold) or lookahead (every\n"
"                       window, MOODS-style early exit); output is identical\n"
"  --batch-bases N      bases read and scanned in parallel at a time, in chunks of\n"
"                       at most 524288 (default 8388608; records of any length are\n"
"                       cut into overlapping chunks); bounds memory, output unchanged\n"
"  --spill-bytes N      hit bytes held in memory before they go to a temporary file\n"
"                       (default 67108864); output unchanged\n"
"  --help               print this help and exit\n"
"  --version            print the version and exit\n");
}

/* A chunk source in front of the scan's (full mode): records each sequence's name, as
 * hits report it, and length, for fimo.xml and cisml.xml.  The scan reads its
 * chunks one at a time, in order, so the list is in scan order (cm_hit_t.seq_index). */
typedef struct {
    cm_chunk_fn next;
    void *src;
    int pgc;
    cm_seqlist_t *seqs;
} seqtrack_t;

static int seqtrack_next(void *data, cm_chunk_t *c, cm_err_t *err)
{
    seqtrack_t *t = data;
    int r = t->next(t->src, c, err);
    if (r != 1) return r;
    if (c->first) {
        char *chrom = NULL;
        long off;
        if (!c->has_offset && t->pgc) cm_parse_coords(c->name, c->desc, &chrom, &off);
        cm_seqlist_add(t->seqs, chrom ? chrom : c->name);
        free(chrom);
    }
    cm_seqinfo_t *si = &t->seqs->s[t->seqs->n - 1];
    if ((long)(c->start + c->len) > si->length) si->length = (long)(c->start + c->len);
    return r;
}

enum { O_TEXT = 256, O_BED, O_THRESH, O_BFILE, O_PSEUDO, O_MOTIF, O_NORC, O_NOPGC, O_PGC,
       O_VERB, O_THREADS, O_HELP, O_VERSION, O_OC, O_BATCH, O_SPILL, O_QVM, O_NOQV, O_MAXST, O_MFMT, O_FILTER, O_REGIONS, O_GENOME, O_MAXSTRAND, O_SHARD, O_MERGE, O_QVTHRESH, O_PSP, O_PDIST, O_ALPHA };

/* What --merge's run key (shard.h cm_run_key) leaves out: options that cannot change
 * the rows of a shard. */
static const char *const run_volatile[] = {
    "--threads", "--shard", "-o", "--output", "--verbosity", "--batch-bases", "--spill-bytes", NULL
};

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
        {"qv-method", required_argument, 0, O_QVM},
        {"motif-format", required_argument, 0, O_MFMT},
        {"filter", required_argument, 0, O_FILTER},
        {"regions", required_argument, 0, O_REGIONS},
        {"genome", required_argument, 0, O_GENOME},
        {"max-strand", no_argument, 0, O_MAXSTRAND},
        {"shard", required_argument, 0, O_SHARD},
        {"merge", no_argument, 0, O_MERGE},
        {"no-qvalue", no_argument, 0, O_NOQV},
        {"qv-thresh", no_argument, 0, O_QVTHRESH},
        {"psp", required_argument, 0, O_PSP},
        {"prior-dist", required_argument, 0, O_PDIST},
        {"alpha", required_argument, 0, O_ALPHA},
        {"max-stored-scores", required_argument, 0, O_MAXST},
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
    cm_qv_mode_t qvm = CM_QV_FIMO;
    cm_motif_format_t mfmt = CM_MF_AUTO;
    const char *regions_path = NULL, *genome_path = NULL, *psp_path = NULL, *pdist_path = NULL;
    int max_strand = 0, merge = 0, nopt = 0, qv_thresh = 0, verbosity = 2;
    cm_shard_t shard = {0, 0};
    long max_stored = 100000;
    long v;
    double d;
    while ((c = getopt_long(argc, argv, "o:", lo, NULL)) != -1) {
        if (c != 'o' && c != O_MERGE) nopt++;
        switch (c) {
        case O_TEXT: text = 1; break;
        case 'o': out_path = optarg; text = 1; break;
        case O_OC: oc = optarg; break;
        case O_BED: bed_path = optarg; break;
        case O_THRESH:
            if (cm_parse_double(optarg, &d) != 0 || !(d >= 0 && d <= 1)) {
                cm_fail(&err, "--thresh: '%s' is not a p- or q-value in [0, 1]", optarg);
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
        case O_QVM:
            if (cm_qv_mode_parse(optarg, &qvm) != 0) {
                cm_fail(&err, "--qv-method: '%s' is not fimo, bh, storey or none", optarg);
                goto fail;
            }
            break;
        case O_NOQV: qvm = CM_QV_NONE; break;
        case O_QVTHRESH: qv_thresh = 1; break;
        case O_PSP: psp_path = optarg; break;
        case O_PDIST: pdist_path = optarg; break;
        case O_ALPHA:
            if (cm_parse_double(optarg, &d) != 0 || !(d > 0) || !isfinite(d)) {
                cm_fail(&err, "--alpha: '%s' is not a number > 0", optarg);
                goto fail;
            }
            opt.alpha = d;
            break;
        case O_REGIONS: regions_path = optarg; break;
        case O_GENOME: genome_path = optarg; break;
        case O_MAXSTRAND: max_strand = opt.max_strand = 1; break;
        case O_SHARD:
            if (cm_shard_parse(optarg, &shard, &err) != 0) goto fail;
            break;
        case O_MERGE: merge = 1; break;
        case O_FILTER:
            if (!strcmp(optarg, "auto")) opt.method = 0;
            else if (!strcmp(optarg, "kmer")) opt.method = 1;
            else if (!strcmp(optarg, "lookahead")) opt.method = 2;
            else {
                cm_fail(&err, "--filter: '%s' is not auto, kmer or lookahead", optarg);
                goto fail;
            }
            break;
        case O_MFMT:
            if (cm_motif_format_parse(optarg, &mfmt) != 0) {
                cm_fail(&err, "--motif-format: '%s' is not auto, meme, meme-text, meme-xml, streme-xml, dreme-xml, meme-html, jaspar, transfac or homer", optarg);
                goto fail;
            }
            break;
        case O_MAXST:
            if (cm_parse_long(optarg, &max_stored) != 0 || max_stored < 1) {
                cm_fail(&err, "--max-stored-scores: '%s' is not an integer >= 1", optarg);
                goto fail;
            }
            break;
        case O_NOPGC: opt.pgc = 0; break;
        case O_PGC: opt.pgc = 1; break;
        case O_VERB:
            if (cm_parse_long(optarg, &v) != 0 || v < 1 || v > 5) {
                cm_fail(&err, "--verbosity: '%s' is not an integer in 1..5 (FIMO's levels)", optarg);
                goto fail;
            }
            verbosity = (int)v;
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
    if (merge) {   /* --merge -o OUT SHARD...: nothing else */
        if (nopt) { cm_fail(&err, "--merge takes only -o OUT and the shard files"); goto fail; }
        if (optind >= argc) { cm_fail(&err, "--merge: give the shard files, in order"); goto fail; }
        cm_out_t *mo = cm_out_open(out_path ? out_path : "-", &err);
        if (!mo) goto fail;
        long rows;
        if (cm_fimo_merge_text(argv + optind, argc - optind, mo->fp, &rows, &err) != 0) {
            cm_out_abort(mo);
            goto fail;
        }
        if (cm_out_commit(mo, &err) != 0) goto fail;
        free(ids);
        return 0;
    }
    if (shard.n && (!text || bed_path)) {
        cm_fail(&err, "--shard needs --text or -o (full mode sorts across motifs) and no --bed");
        goto fail;
    }
    if (argc - optind != (regions_path ? 1 : 2) || (!regions_path != !genome_path)) {
        if (!regions_path != !genome_path)
            fprintf(stderr, "coopmap-scan: --regions and --genome go together\n");
        else
            fprintf(stderr, "coopmap-scan: expected %s, got %d argument%s\n",
                    regions_path ? "MOTIFS (with --regions)" : "MOTIFS and SEQS.fa",
                    argc - optind, argc - optind == 1 ? "" : "s");
        usage(stderr);
        free(ids);
        return 1;
    }
    const char *motif_path = argv[optind], *seq_path = regions_path ? NULL : argv[optind + 1];
    /* FIMO 5.5.8 refuses these two, in this order */
    if (qv_thresh && qvm == CM_QV_NONE) {
        cm_fail(&err, "the --no-qvalue option (or --qv-method none) cannot be used with the "
                "--qv-thresh option");
        goto fail;
    }
    if (qv_thresh && text) {
        cm_fail(&err, "the --text option (or -o) cannot be used with the --qv-thresh option "
                "(text mode computes no q-values)");
        goto fail;
    }
    if (text && oc) {
        cm_fail(&err, "--oc cannot be combined with --text/--output");
        goto fail;
    }
    /* FIMO 5.5.8 wants both or neither */
    if (psp_path && !pdist_path) {
        cm_fail(&err, "setting the --psp option requires that the --prior-dist option be set as well");
        goto fail;
    }
    if (pdist_path && !psp_path) {
        cm_fail(&err, "setting the --prior-dist option requires that the --psp option be set as well");
        goto fail;
    }
    if (psp_path && regions_path) {
        cm_fail(&err, "--psp cannot be combined with --regions (the PSP records follow the FASTA's sequences)");
        goto fail;
    }
    if (psp_path && !text && qvm == CM_QV_STOREY) {
        cm_fail(&err, "--qv-method storey is not available with --psp (use fimo, bh or none)");
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
    cm_psp_t psp;
    memset(&psp, 0, sizeof psp);
    cm_prior_dist_t pdist;
    memset(&pdist, 0, sizeof pdist);
    cm_out_t *out = NULL, *bed = NULL, *gff = NULL, *np = NULL, *fx = NULL, *cx = NULL;
    cm_motifset_t allset;   /* fimo.xml lists every motif of the file */
    memset(&allset, 0, sizeof allset);
    cm_seqlist_t seqs = {0};
    seqtrack_t trk;
    char *fx_path = NULL, *cx_path = NULL;
    cm_regions_t *rg = NULL;
    cm_outdir_t *od = NULL;   /* --oc DIR: removed again if this run created it and fails */
    cm_fachunk_t *fa = NULL;
    uint64_t *tested = NULL;
    char *gff_path = NULL, *fbed_path = NULL, *np_path = NULL;
    cm_fimo_writer_t wr;
    cm_fimo_writer_init(&wr, NULL, NULL, 0);
    cm_maxstrand_t ms;
    cm_maxstrand_init(&ms, NULL, NULL);
    if (cm_motifs_read_any(motif_path, mfmt, &set, &err) != 0) goto fail;
    if (!text && cm_motifs_read_any(motif_path, mfmt, &allset, &err) != 0) goto fail_set;
    if (nids && cm_motifs_select(&set, ids, nids, &err) != 0) goto fail_set;
    int64_t shard_lo = 0, shard_hi = set.n;
    const int nmotifs_all = set.n;
    if (shard.n) {
        cm_shard_range(&shard, set.n, &shard_lo, &shard_hi);
        cm_motifs_keep_range(&set, (int)shard_lo, (int)shard_hi);
    }
    if (psp_path) {   /* position-specific priors (prior.h) */
        if (cm_psp_read(psp_path, opt.pgc, &psp, &err) != 0 ||
            cm_prior_dist_read(pdist_path, &pdist, &err) != 0)
            goto fail_set;
        opt.psp = &psp;
        opt.prior_dist = &pdist;
    }
    if (cm_scanner_init(&sc, &set, &opt, &err) != 0) goto fail_set;
    opt.norc = sc.norc;   /* alphabets without complements (RNA) scan one strand, as FIMO */
    size_t cb, ov;
    cm_scan_chunking(&sc, &opt, &cb, &ov);
    if (regions_path) {
        if (!(rg = cm_regions_open(regions_path, genome_path, cb, ov, &err))) goto fail_sc;
    } else if (!(fa = cm_fachunk_open(seq_path, cb, ov, &err))) {
        goto fail_sc;
    }
    if (oc && !(od = cm_outdir_open(oc, &err))) goto fail_sc;
    if (!(out = cm_out_open(out_path, &err))) goto fail_sc;
    if (!text && !bed_path) {
        fbed_path = cm_malloc(strlen(oc) + 16);
        sprintf(fbed_path, "%s/fimo.bed", oc);
        bed_path = fbed_path;
    }
    if (bed_path && !(bed = cm_out_open(bed_path, &err))) goto fail_sc;
    if (!text) {
        gff_path = cm_malloc(strlen(oc) + 16);
        sprintf(gff_path, "%s/fimo.gff", oc);
        if (!(gff = cm_out_open(gff_path, &err))) goto fail_sc;
        fx_path = cm_malloc(strlen(oc) + 16);
        sprintf(fx_path, "%s/fimo.xml", oc);
        if (!(fx = cm_out_open(fx_path, &err))) goto fail_sc;
        cx_path = cm_malloc(strlen(oc) + 16);
        sprintf(cx_path, "%s/cisml.xml", oc);
        if (!(cx = cm_out_open(cx_path, &err))) goto fail_sc;
        np_path = cm_malloc(strlen(oc) + 32);
        sprintf(np_path, "%s/best_site.narrowPeak", oc);
        if (!(np = cm_out_open(np_path, &err))) goto fail_sc;
    }
    cm_fimo_writer_init(&wr, out->fp, bed ? bed->fp : NULL, rg != NULL);
    if (!text) tested = cm_calloc(sc.n ? sc.n : 1, sizeof *tested);   /* q-values' m */
    cm_chunk_fn next = rg ? cm_regions_next : cm_fachunk_src_next;
    void *src = rg ? (void *)rg : (void *)fa;
    if (!text) {
        trk = (seqtrack_t){next, src, opt.pgc, &seqs};
        next = seqtrack_next;
        src = &trk;
    }
    if (text) {
        int r;
        if (!bed) {   /* rows formatted by the scan threads, written in order */
            cm_fimo_rows_t rcfg = {rg != NULL, 0, max_strand};
            r = cm_scan_chunks_rows(&sc, &opt, next, src, cm_fimo_format_rows, &rcfg,
                                    cm_fimo_write_rows, &wr, NULL, tested, &err);
        } else {
            cm_maxstrand_init(&ms, cm_fimo_write_hit, &wr);
            r = cm_scan_chunks(&sc, &opt, next, src, max_strand ? cm_maxstrand_add : cm_fimo_write_hit,
                               max_strand ? (void *)&ms : (void *)&wr, NULL, tested, &err);
            if (r == 0 && max_strand) r = cm_maxstrand_flush(&ms, &err);
        }
        if (r != 0) goto fail_sc;
        if (shard.n)
            cm_fimo_write_shard_line(out->fp, shard.k, shard.n, (int)shard_lo, (int)shard_hi, nmotifs_all,
                                     cm_run_key("coopmap-scan " COOPMAP_VERSION, argc, argv, run_volatile));
    } else {
        cm_hitlist_t hl = {0};
        cm_maxstrand_init(&ms, cm_hitlist_add, &hl);
        int r = cm_scan_chunks(&sc, &opt, next, src, max_strand ? cm_maxstrand_add : cm_hitlist_add,
                               max_strand ? (void *)&ms : (void *)&hl, NULL, tested, &err);
        if (r == 0 && max_strand) r = cm_maxstrand_flush(&ms, &err);
        if (r != 0) {
            cm_hitlist_free(&hl);
            goto fail_sc;
        }
        if (qvm != CM_QV_NONE) {
            cm_qv_motif_t *qi = cm_calloc(sc.n ? sc.n : 1, sizeof *qi);
            if (qvm == CM_QV_FIMO) {
                cm_qv_cap_hits(&hl, sc.n, (size_t)max_stored, qi);
                for (int k = 0; k < sc.n; k++)
                    if (qi[k].dropped)
                        cm_warn("scan", "motif %s: reached --max-stored-scores %ld; matches with "
                                "p-value >= %.3g were dropped (%zu)", sc.motifs[k].id, max_stored,
                                qi[k].cutoff, qi[k].dropped);
            }
            cm_source_t qs;
            cm_regions_spec_t rspec = {regions_path, genome_path};
            if (rg) {
                qs.open = cm_regions_src_open; qs.next = cm_regions_next;
                qs.close = cm_regions_src_close; qs.ctx = &rspec;
            } else {
                qs.open = cm_fachunk_src_open; qs.next = cm_fachunk_src_next;
                qs.close = cm_fachunk_src_close; qs.ctx = (void *)seq_path;
            }
            r = cm_scan_qvalues(&sc, &opt, rg || strcmp(seq_path, "-") ? &qs : NULL, tested, qvm,
                                &hl, qi, &err);
            free(qi);
            if (r != 0) {
                cm_hitlist_free(&hl);
                goto fail_sc;
            }
        }
        cm_hitlist_sort(&hl);
        wr.qv_zero = qvm == CM_QV_NONE;   /* FIMO --no-qvalue: q-value column 0 */
        cm_fimo_write_header(&wr);
        /* --qv-thresh (FIMO): the rows, BED and GFF keep q <= thresh only */
        double qmax = qv_thresh ? opt.thresh : INFINITY;
        for (size_t i = 0; i < hl.n; i++)
            if (!(hl.hit[i].qvalue > qmax)) cm_fimo_write_hit(&hl.hit[i], &wr, &err);
        cm_fimo_write_gff_q(gff->fp, &hl, qmax);
        cm_fimo_xml_opts_t xo = {cmd, oc, motif_path, rg ? genome_path : seq_path,
                                 opt.bfile ? opt.bfile : "--nrdb--", qvm != CM_QV_NONE, opt.pgc,
                                 opt.norc, qv_thresh, verbosity, opt.thresh, opt.pseudo,
                                 max_stored, ids, nids};
        cm_fimo_write_xml(fx->fp, &xo, &allset, sc.bg, &seqs);
        cm_fimo_write_cisml(cx->fp, &xo, &hl, &set, &seqs);
        cm_fimo_write_best_sites(np->fp, &hl);
        cm_hitlist_free(&hl);
        cm_fimo_write_trailer(out->fp, cmd);
    }
    if (fa && cm_fachunk_records(fa) == 0) cm_warn("scan", "%s: no sequences (an empty FASTA?)", seq_path);
    {
        cm_out_t *all[6] = {out, bed, gff, np, fx, cx};   /* NULL entries are skipped */
        out = bed = gff = np = fx = cx = NULL;
        if (cm_out_commit_all(all, 6, &err) != 0) goto fail_sc;   /* all or none */
    }
    cm_outdir_close(od, 1);
    cm_fimo_writer_free(&wr);
    cm_maxstrand_free(&ms);
    cm_regions_close(rg);
    cm_fachunk_close(fa);
    free(tested); free(gff_path); free(fbed_path); free(np_path); free(fx_path); free(cx_path);
    cm_seqlist_free(&seqs);
    cm_scanner_free(&sc);
    cm_motifs_free(&set);
    cm_motifs_free(&allset);
    cm_psp_free(&psp);
    cm_prior_dist_free(&pdist);
    free(ids); free(full_path); free(cmd);
    return 0;

fail_sc:
    cm_fimo_writer_free(&wr);
    cm_maxstrand_free(&ms);
    cm_regions_close(rg);
    cm_fachunk_close(fa);
    free(tested); free(gff_path); free(fbed_path); free(np_path); free(fx_path); free(cx_path);
    cm_seqlist_free(&seqs);
    cm_out_abort(cx);
    cm_out_abort(fx);
    cm_out_abort(np);
    cm_out_abort(gff);
    cm_out_abort(bed);
    cm_out_abort(out);
    cm_outdir_close(od, 0);
    cm_scanner_free(&sc);
fail_set:
    cm_motifs_free(&set);
    cm_motifs_free(&allset);
    cm_psp_free(&psp);
    cm_prior_dist_free(&pdist);
fail:
    free(ids); free(full_path); free(cmd);
    cm_report("scan", &err);
    return 1;
}
