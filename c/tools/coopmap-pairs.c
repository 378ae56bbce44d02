/* coopmap-pairs — localize motif sites in labelled peaks and enumerate TF pairs. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <htslib/faidx.h>

#include "core/error.h"
#include "model/model.h"
#include "pairs/pairs.h"
#include "seq/genome.h"
#include "core/textio.h"
#include "core/version.h"

static const char *USAGE =
"Usage: coopmap-pairs [options] SITES.tsv\n"
"\n"
"Localize motif sites (FIMO/coopmap-scan TSV) in labelled ChIP-seq peaks and\n"
"enumerate ordered TF pairs (source, target) for in-silico knockouts.\n"
"\n"
"A hit is a site of TF t when it lies wholly inside a peak labelled t whose label\n"
"matches the motif's alt name, or one component of a complex name (FOS::JUN matches\n"
"FOS or JUN), case-insensitively.  Overlapping sites of one TF are merged (best p\n"
"kept).  Pairs: distinct sites on one sequence with centre-to-centre distance\n"
"<= --max-distance, both orders; windows of W bp are centred on the source site.\n"
"\n"
"Options:\n"
"  -p, --peaks FILE        labelled peaks, BED/narrowPeak (gz ok); name = TF or CELL:TF[:...].\n"
"                          Without it every hit is a site labelled by its motif alt name.\n"
"  -c, --cells LIST        keep only peaks of these cells (comma-separated, e.g. HepG2,K562;\n"
"                          case-insensitive); peaks named without a CELL part are dropped\n"
"  -d, --max-distance BP   maximum centre-to-centre distance (default 500)\n"
"  -w, --window BP         window length centred on the source (default: the model's\n"
"                          input length with --model, else 1000)\n"
"  -m, --model FILE        coopmap model file; its input length is the default window\n"
"  -g, --genome FASTA      indexed FASTA (.fai): drop windows running off a sequence end\n"
"                          (every sequence of SITES must be in it)\n"
"      --allow-overlap     keep pairs whose two sites overlap (default: dropped)\n"
"  -o, --output FILE       pairs TSV (default: stdout)\n"
"  -s, --sources FILE      also write every localized site whose window fits (self-effects);\n"
"                          the two outputs are committed together (both or neither)\n"
"  -t, --threads N         accepted for uniformity (this stage is single-threaded)\n"
"  -h, --help, -V, --version\n"
"\n"
"Outputs (0-based half-open, '#' provenance line, then a header):\n"
"  pairs:   pair_id chrom source_tf source_motif source_start source_end source_strand\n"
"           target_tf target_motif target_start target_end target_strand distance\n"
"           position orientation window_start window_end homotypic\n"
"           (distance in bp between centres; position = upstream|downstream: where the\n"
"           target lies on the genome relative to the source; orientation = same|opposite\n"
"           strand; homotypic = 1 when both sites have the same TF; pair_id p1, p2, ...\n"
"           in order of source, then target site; window = the source's model window)\n"
"  sources: site_id chrom tf motif start end strand window_start window_end\n"
"           (site_id s1, s2, ... numbered over all sites in (chrom, start, end, tf) order, so\n"
"           ids of sites whose window is off the sequence are missing)\n"
"  Motif columns hold the motif_id of the best hit of a merged site.\n"
"Counts of sites, pairs and every dropped pair go to stderr.  Errors name FILE:LINE\n"
"and exit 1 (bad options too) without leaving an output file.\n";

static int64_t fai_len(const char *name, void *data)
{
    faidx_t *fai = data;
    return faidx_has_seq(fai, name) ? (int64_t)faidx_seq_len(fai, name) : -1;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"peaks", required_argument, 0, 'p'}, {"cells", required_argument, 0, 'c'},
        {"max-distance", required_argument, 0, 'd'}, {"window", required_argument, 0, 'w'},
        {"model", required_argument, 0, 'm'}, {"genome", required_argument, 0, 'g'},
        {"allow-overlap", no_argument, 0, 'O'}, {"output", required_argument, 0, 'o'},
        {"sources", required_argument, 0, 's'}, {"threads", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'}, {"version", no_argument, 0, 'V'}, {0, 0, 0, 0}};
    const char *peaks_path = NULL, *model_path = NULL, *genome = NULL, *out_path = "-", *src_path = NULL;
    char *cells_arg = NULL, **cells = NULL;
    int ncells = 0, c;
    long threads;
    long window = 0;
    cm_pairs_opt_t opt = {500, 0, 0};
    cm_err_t err = {{0}};
    char *cmd = cm_cmdline(argc, argv);   /* before strtok edits --cells */
    while ((c = getopt_long(argc, argv, "p:c:d:w:m:g:o:s:t:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'p': peaks_path = optarg; break;
        case 'c': cells_arg = optarg; break;
        case 'd':
            if (cm_parse_double(optarg, &opt.max_distance) || !(opt.max_distance >= 0)
                || opt.max_distance > 1e9) {
                fprintf(stderr, "coopmap-pairs: --max-distance: '%s' is not a number in [0, 1e9]\n", optarg);
                free(cmd);
                return 1;
            }
            break;
        case 'w':
            if (cm_parse_long(optarg, &window) || window < 1 || window > 1000000000L) {
                fprintf(stderr, "coopmap-pairs: --window: '%s' is not an integer in 1..1000000000\n", optarg);
                free(cmd);
                return 1;
            }
            break;
        case 'm': model_path = optarg; break;
        case 'g': genome = optarg; break;
        case 'O': opt.allow_overlap = 1; break;
        case 'o': out_path = optarg; break;
        case 's': src_path = optarg; break;
        case 't':   /* checked, then unused: this stage is single-threaded */
            if (cm_parse_long(optarg, &threads) || threads < 1 || threads > 4096) {
                fprintf(stderr, "coopmap-pairs: --threads: '%s' is not an integer in 1..4096\n", optarg);
                free(cmd);
                return 1;
            }
            break;
        case 'h': fputs(USAGE, stdout); free(cmd); return 0;
        case 'V': puts("coopmap-pairs " COOPMAP_VERSION); free(cmd); return 0;
        default: fputs("Try 'coopmap-pairs --help'.\n", stderr); free(cmd); return 1;
        }
    }
    if (optind != argc - 1) {
        fputs("coopmap-pairs: expected one SITES.tsv argument\nTry 'coopmap-pairs --help'.\n", stderr);
        free(cmd);
        return 1;
    }
    if (cells_arg) {   /* at most one cell per character: no limit on their number */
        cells = cm_malloc(sizeof(char *) * (strlen(cells_arg) + 1));
        for (char *tok = strtok(cells_arg, ","); tok; tok = strtok(NULL, ","))
            if (*tok) cells[ncells++] = tok;
    }

    int rc = 1;
    cm_sites_t hits = {0};
    cm_peaks_t peaks = {0};
    cm_loci_t loci = {0};
    cm_pairs_count_t n = {0};
    faidx_t *fai = NULL;
    cm_out_t *outs[2] = {NULL, NULL};   /* pairs, sources: committed together */
    char *prov = NULL;

    if (model_path && !window) {
        cm_model_t *m = cm_model_load(model_path, &err);
        if (!m) goto done;
        window = cm_model_input_length(m);
        cm_model_free(m);
    }
    opt.window = window ? window : 1000;
    if (genome && cm_genome_check_bgzf(genome, &err) != 0) goto done;
    if (genome && !(fai = fai_load(genome))) {
        cm_fail(&err, "%s: cannot load the FASTA index (.fai; bgzip also needs .gzi)", genome);
        goto done;
    }
    if (cm_sites_read(argv[optind], &hits, &err) < 0) goto done;
    for (int c = 0; fai && c < hits.nchrom; c++)   /* sites from another genome's scan? */
        if (!faidx_has_seq(fai, hits.chroms[c])) {
            cm_fail(&err, "%s:%ld: sequence '%s' is not in the genome %s (a scan of another genome, "
                    "or another naming: chr1 against 1?)", argv[optind], hits.chrom_line[c],
                    hits.chroms[c], genome);
            goto done;
        }
    if (peaks_path && cm_peaks_read(peaks_path, cells, ncells, &peaks, &err) < 0) goto done;
    if (cm_loci_build(&hits, peaks_path ? &peaks : NULL, &opt, fai ? fai_len : NULL, fai, &loci, &n, &err) < 0)
        goto done;
    if (hits.n == 0) cm_warn("pairs", "%s: no motif hits", argv[optind]);
    else if (peaks_path && peaks.total == 0)
        cm_warn("pairs", "%s: no peaks%s: no site is localized", peaks_path,
                ncells ? " of the cells given by --cells" : "");
    else if (peaks_path) {   /* another genome's names (chr22 against 22, hg19 against mm10)? */
        int shared = 0;
        for (int c = 0; c < hits.nchrom && !shared; c++) shared = cm_peaks_chrom(&peaks, hits.chroms[c]) >= 0;
        if (!shared)
            cm_warn("pairs", "%s: no peak is on a sequence of %s (peaks on '%s'%s, sites on '%s'%s): "
                    "no site is localized", peaks_path, argv[optind], peaks.chroms[0],
                    peaks.nchrom > 1 ? ", ..." : "", hits.chroms[0], hits.nchrom > 1 ? ", ..." : "");
    }
    size_t pl = strlen(cmd) + 64;
    prov = cm_malloc(pl);
    snprintf(prov, pl, "coopmap-pairs %s: %s", COOPMAP_VERSION, cmd);
    if (!(outs[0] = cm_out_open(out_path, &err))) goto done;
    if (src_path && !(outs[1] = cm_out_open(src_path, &err))) goto done;
    cm_pairs_write(outs[0]->fp, &loci, &opt, prov, &n);
    if (outs[1]) cm_sources_write(outs[1]->fp, &loci, prov);
    /* both or neither: a write error in either leaves no new file */
    if (cm_out_commit_all(outs, 2, &err) < 0) goto done;

    fprintf(stderr, "coopmap-pairs: %ld hits, %ld localized, %ld sites (%ld with windows of %lld bp off the sequence), "
                    "%ld pairs (%ld homotypic); dropped candidate pairs: %ld overlapping, %ld source window off the "
                    "sequence, %ld target outside the window\n",
            n.hits, n.hits_localized, n.loci, n.loci_window_off, (long long)opt.window, n.pairs, n.pairs_homotypic,
            n.drop_overlap, n.drop_window_off, n.drop_target_out);
    long *per_tf = cm_calloc((size_t)loci.ntf + 1, sizeof *per_tf);   /* one pass, not ntf */
    for (int i = 0; i < loci.n; i++) per_tf[loci.l[i].tf]++;
    for (int t = 0; t < loci.ntf; t++)
        if (per_tf[t]) fprintf(stderr, "coopmap-pairs: sites of %s: %ld\n", loci.tfs[t], per_tf[t]);
    free(per_tf);
    rc = 0;
done:
    if (rc) cm_report("pairs", &err);
    cm_out_abort(outs[0]);
    cm_out_abort(outs[1]);
    if (fai) fai_destroy(fai);
    cm_loci_free(&loci);
    cm_peaks_free(&peaks);
    cm_sites_free(&hits);
    free(cmd); free(prov); free(cells);
    return rc;
}
