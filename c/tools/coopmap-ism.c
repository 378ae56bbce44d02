/* coopmap-ism — in-silico knockouts through a sequence model (see ism.h, DESIGN.md). */
#include "core/error.h"
#include "seq/genome.h"
#include "ism/ism.h"
#include "ism/saturation.h"
#include "ism/sat_figure.h"
#include "ism/filter_pwm.h"
#include "model/model.h"
#include "model/scorer.h"
#include "core/textio.h"
#include "core/version.h"
#include "core/shard.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *fp)
{
    fputs(
"Usage: coopmap-ism --model MODEL --genome GENOME.fa --sources sources.tsv --pairs pairs.tsv\n"
"                   [options] -o effects.tsv\n"
"       coopmap-ism --model MODEL --predict SEQS.fa [-o predictions.tsv]\n"
"       coopmap-ism --model MODEL --predict SEQS.fa --filter-pwms OUT.meme\n"
"                   [--filter-threshold F]\n"
"       coopmap-ism --saturation --model MODEL --genome GENOME.fa --regions R.bed\n"
"                   [--bedgraph PREFIX] [options] -o sat.tsv[.gz]\n"
"       coopmap-ism --merge -o effects.tsv SHARD1.tsv ... SHARDN.tsv\n"
"       coopmap-ism --plot-saturation SAT.tsv[.gz] [--sources sources.tsv]\n"
"                   [--region chrom:start-end] [--max-bp N] [--title T] -o FIG.svg\n"
"\n"
"In-silico knockouts of motif sites through a sequence model (EpiBinder study):\n"
"for each source window a baseline prediction and a knockout of the site (kind=self),\n"
"for each pair window the baseline and knockouts of the source, the target and both\n"
"(kind=pair), using the model head of the source site's TF.  Coordinates are 0-based,\n"
"half-open (BED); windows must be exactly the model's input length.\n"
"\n"
"Options:\n"
"  --model FILE        coopmap model file (made by coopmap-convert-model), or\n"
"  --model-cmd CMD     an external scorer: CMD (run with /bin/sh -c) reads batches of\n"
"                      sequences on stdin and writes one line of logits per sequence\n"
"                      (protocol: docs/scorer-protocol.md; e.g. coopmap-score-torch)\n"
"  --model-timeout S   seconds the scorer may take for its header and for each batch\n"
"                      (0: no limit) [600]\n"
"  --genome FILE       indexed genome FASTA (plain + .fai, or bgzip + .fai + .gzi)\n"
"  --sources FILE      sources.tsv (site_id chrom tf motif start end strand\n"
"                      window_start window_end); self-effects\n"
"  --pairs FILE        pairs.tsv (columns as written by coopmap-pairs); pair effects\n"
"  --draws N           random knockout draws averaged per knockout [10]\n"
"  --seed N            seed of the counter-based RNG (unsigned 64-bit) [1]\n"
"  --knockout MODE     random: uniform random A/C/G/T (default); shuffle: the site's\n"
"                      bases shuffled keeping dinucleotide counts (Altschul-Erickson;\n"
"                      Ns stay in place); gc: random bases with the site's GC fraction\n"
"                      (C,G each gc/2, A,T each (1-gc)/2); N: all-zero (N) bases (one\n"
"                      draw, as there is nothing random)\n"
"  --scale SCALE       prob: sigmoid of the logit (default); logit\n"
"  --threads N         OpenMP threads [1]; output is identical for any N\n"
"  --shard K/N         evaluate only the K-th of N consecutive, equal slices (sizes\n"
"                      differ by at most 1) of the rows (sources rows, then pairs\n"
"                      rows); a last line '# shard K/N: rows LO-HI of TOTAL' follows\n"
"  --merge             instead: concatenate the --shard outputs 1..N of one run, given\n"
"                      in order, into -o: byte-identical to the unsharded output\n"
"                      (checks that every shard is there, complete and of one run)\n"
"  --filter-pwms FILE  with --predict: write each first-layer filter's motif (counts of\n"
"                      the forward-strand subsequences of SEQS.fa with activation >=\n"
"                      F x the filter's max; no N) as MEME (ExplaiNN; kinds explainn and\n"
"                      seqcnn whose first layer is a stride-1 conv1d)\n"
"  --filter-threshold F  fraction F in 0..1 for --filter-pwms [0.5]\n"
"  --predict FILE      instead: predict every FASTA record (model input length each);\n"
"                      writes name, logit_HEAD, prob_HEAD per head\n"
"  --saturation        instead: every single-base substitution of every base of the\n"
"                      regions (--regions BED, or --sources: each source window);\n"
"                      writes chrom pos ref alt head baseline delta (pos 0-based; one\n"
"                      row per alt != ref and head; ref N: all 4 alts).  A region of\n"
"                      n <= L bp (L = model input) is predicted in the window of L\n"
"                      centred on it; a longer one is cut into k = ceil(n / C) equal\n"
"                      consecutive cores, C = ceil(L/2), each predicted in the window\n"
"                      of L centred on it, so each base is predicted once, in the\n"
"                      central half of a window; windows are clipped to the chromosome\n"
"  --regions FILE      BED regions for --saturation (0-based half-open)\n"
"  --bedgraph PREFIX   with --saturation: PREFIX.HEAD.maxabs.bedGraph (max |delta|\n"
"                      over the alts) and PREFIX.HEAD.obs.bedGraph (delta_obs - mean\n"
"                      of delta over A,C,G,T with delta_ref = 0) per head\n"
"  --plot-saturation FILE  instead: draw the --saturation table FILE as an SVG: per\n"
"                      head, each position's reference letter with height = the\n"
"                      importance of the observed base (as the .obs.bedGraph: -1/4 of\n"
"                      the sum of delta over the alts), up when positive, down when\n"
"                      negative; the sites of --sources overlapping the region below.\n"
"                      Takes only --sources, --region, --max-bp, --title and -o\n"
"  --region R          with --plot-saturation: chrom:start-end (0-based half-open)\n"
"                      [the first contiguous run of positions in FILE]\n"
"  --max-bp N          with --plot-saturation: draw at most the central N bp of the\n"
"                      region (0: no limit) [200]\n"
"  --title T           with --plot-saturation: figure title\n"
"  --full-recompute    predict every knocked-out or mutated window in full, not through\n"
"                      the model's incremental path (exact to float rounding; for checking)\n"
"  -o, --output FILE   output TSV [-: standard output; .gz: BGZF with --saturation]\n"
"  -h, --help          this help\n"
"  --version           print the version\n"
"\n"
"Output (effects.tsv): a '# coopmap-ism VERSION: COMMAND' line (COMMAND leaves out\n"
"--threads, --shard and -o, which cannot change the rows); columns kind, the\n"
"pairs.tsv columns, head baseline ko_source ko_target ko_both delta_source delta_target\n"
"interaction draws seed; self rows first, then pair rows, in input order; a final '#'\n"
"line with the number of rows skipped because the source TF has no model head.\n", fp);
}

static int parse_int_opt(const char *name, const char *v, long lo, long hi, long *out, cm_err_t *err)
{
    if (cm_parse_long(v, out) != 0 || *out < lo || *out > hi)
        return cm_fail(err, "--%s: expected an integer in %ld..%ld, got '%s'", name, lo, hi, v);
    return 0;
}

int main(int argc, char **argv)
{
    enum { O_MODEL = 256, O_GENOME, O_SOURCES, O_PAIRS, O_DRAWS, O_SEED, O_KO, O_SCALE,
           O_THREADS, O_PREDICT, O_VERSION, O_SAT, O_REGIONS, O_BEDGRAPH, O_FULL,
           O_MODEL_CMD, O_MODEL_TIMEOUT, O_FILTER_PWMS, O_FILTER_THR, O_SHARD, O_MERGE,
           O_PLOT_SAT, O_REGION, O_MAX_BP, O_TITLE };
    static const struct option longopts[] = {
        { "model", required_argument, 0, O_MODEL }, { "genome", required_argument, 0, O_GENOME },
        { "sources", required_argument, 0, O_SOURCES }, { "pairs", required_argument, 0, O_PAIRS },
        { "draws", required_argument, 0, O_DRAWS }, { "seed", required_argument, 0, O_SEED },
        { "knockout", required_argument, 0, O_KO }, { "scale", required_argument, 0, O_SCALE },
        { "threads", required_argument, 0, O_THREADS }, { "predict", required_argument, 0, O_PREDICT },
        { "output", required_argument, 0, 'o' }, { "help", no_argument, 0, 'h' },
        { "version", no_argument, 0, O_VERSION }, { "saturation", no_argument, 0, O_SAT },
        { "regions", required_argument, 0, O_REGIONS }, { "bedgraph", required_argument, 0, O_BEDGRAPH },
        { "full-recompute", no_argument, 0, O_FULL },
        { "shard", required_argument, 0, O_SHARD }, { "merge", no_argument, 0, O_MERGE },
        { "model-cmd", required_argument, 0, O_MODEL_CMD },
        { "filter-pwms", required_argument, 0, O_FILTER_PWMS },
        { "filter-threshold", required_argument, 0, O_FILTER_THR },
        { "model-timeout", required_argument, 0, O_MODEL_TIMEOUT },
        { "plot-saturation", required_argument, 0, O_PLOT_SAT }, { "region", required_argument, 0, O_REGION },
        { "max-bp", required_argument, 0, O_MAX_BP }, { "title", required_argument, 0, O_TITLE }, { 0, 0, 0, 0 }
    };
    cm_err_t err = {{0}};
    cm_ism_opts_t opt;
    cm_ism_opts_init(&opt);
    const char *model_path = NULL, *genome_path = NULL, *sources = NULL, *pairs = NULL;
    const char *model_cmd = NULL;
    const char *filter_pwms = NULL;   /* --filter-pwms (filter_pwm.h) */
    double filter_thr = 0.5;
    int filter_thr_given = 0;
    double model_timeout = 600;
    const char *predict = NULL, *out_path = "-", *regions = NULL, *bedgraph = NULL;
    int saturation = 0, full_recompute = 0, ko_opts = 0, merge = 0;   /* ko_opts: --draws/--seed/--knockout given */
    const char *plot_sat = NULL, *plot_region = NULL, *plot_title = NULL;   /* --plot-saturation */
    long plot_max_bp = 200;
    const char *plot_only = NULL, *not_plot = NULL;   /* first option of --plot-saturation only / not for it */
    long v;
    int c, li = -1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, &li)) != -1) {
        const char *oname = c == 'o' ? "-o" : c == 'h' ? "-h" : li >= 0 ? longopts[li].name : "?";
        li = -1;
        if (c == O_REGION || c == O_MAX_BP || c == O_TITLE) { if (!plot_only) plot_only = oname; }
        else if (c != O_PLOT_SAT && c != O_SOURCES && c != 'o' && c != 'h' && c != O_VERSION && c != '?')
            { if (!not_plot) not_plot = oname; }
        switch (c) {
        case O_PLOT_SAT: plot_sat = optarg; break;
        case O_REGION: plot_region = optarg; break;
        case O_TITLE: plot_title = optarg; break;
        case O_MAX_BP:
            if (parse_int_opt("max-bp", optarg, 0, 1000000000L, &plot_max_bp, &err)) goto fail;
            break;
        case O_MODEL: model_path = optarg; break;
        case O_MODEL_CMD: model_cmd = optarg; break;
        case O_MODEL_TIMEOUT:
            if (cm_parse_double(optarg, &model_timeout) != 0 || !(model_timeout >= 0) || model_timeout > 1e7) {
                cm_fail(&err, "--model-timeout: expected seconds >= 0, got '%s'", optarg);
                goto fail;
            }
            break;
        case O_GENOME: genome_path = optarg; break;
        case O_SOURCES: sources = optarg; break;
        case O_PAIRS: pairs = optarg; break;
        case O_PREDICT: predict = optarg; break;
        case O_FILTER_PWMS: filter_pwms = optarg; break;
        case O_FILTER_THR:
            if (cm_parse_double(optarg, &filter_thr) != 0 || !(filter_thr >= 0 && filter_thr <= 1)) {
                cm_fail(&err, "--filter-threshold: expected a number in 0..1, got '%s'", optarg);
                goto fail;
            }
            filter_thr_given = 1;
            break;
        case O_SAT: saturation = 1; break;
        case O_REGIONS: regions = optarg; break;
        case O_BEDGRAPH: bedgraph = optarg; break;
        case O_FULL: full_recompute = 1; break;
        case O_SHARD:
            if (cm_shard_parse(optarg, &opt.shard, &err)) goto fail;
            break;
        case O_MERGE: merge = 1; break;
        case 'o': out_path = optarg; break;
        case O_DRAWS:
            ko_opts = 1;
            if (parse_int_opt("draws", optarg, 1, 1000000, &v, &err)) goto fail;
            opt.draws = (int)v;
            break;
        case O_THREADS:
            if (parse_int_opt("threads", optarg, 1, 4096, &v, &err)) goto fail;
            opt.threads = (int)v;
            break;
        case O_SEED: {
            ko_opts = 1;
            char *end;
            errno = 0;
            unsigned long long s = strtoull(optarg, &end, 10);
            if (!optarg[0] || optarg[0] == '-' || *end || errno) {   /* errno: out of range */
                cm_fail(&err, "--seed: expected an unsigned 64-bit integer, got '%s'", optarg);
                goto fail;
            }
            opt.seed = s;
            break;
        }
        case O_KO:
            ko_opts = 1;
            if (cm_ism_parse_ko(optarg, &opt.ko, &err)) goto fail;
            break;
        case O_SCALE:
            if (strcmp(optarg, "prob") == 0) opt.scale = CM_SCALE_PROB;
            else if (strcmp(optarg, "logit") == 0) opt.scale = CM_SCALE_LOGIT;
            else { cm_fail(&err, "--scale: expected prob or logit, got '%s'", optarg); goto fail; }
            break;
        case 'h': usage(stdout); return 0;
        case O_VERSION: printf("coopmap-ism %s\n", COOPMAP_VERSION); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (merge) {   /* --merge -o OUT SHARD...: nothing else */
        if (model_path || model_cmd || genome_path || sources || pairs || predict || saturation
            || opt.shard.n || plot_sat || plot_only) {
            cm_fail(&err, "--merge takes only -o OUT and the shard files"); goto fail;
        }
        if (optind >= argc) { cm_fail(&err, "--merge: give the shard files, in order"); goto fail; }
        cm_out_t *mo = cm_out_open(out_path, &err);
        if (!mo) goto fail;
        long rows;
        if (cm_ism_merge(argv + optind, argc - optind, mo->fp, &rows, &err) != 0) {
            cm_out_abort(mo);
            goto fail;
        }
        if (cm_out_commit(mo, &err) != 0) goto fail;
        fprintf(stderr, "coopmap-ism: info: merged %d shards, %ld rows\n", argc - optind, rows);
        return 0;
    }
    if (optind < argc) { cm_fail(&err, "unexpected argument '%s' (see --help)", argv[optind]); goto fail; }
    if (!plot_sat && plot_only) { cm_fail(&err, "--%s needs --plot-saturation%s", plot_only,
                                          !strcmp(plot_only, "region") ? " (for --saturation: --regions)" : ""); goto fail; }
    if (plot_sat) {   /* --plot-saturation SAT.tsv [--sources] [--region] [--max-bp] [--title] -o FIG.svg */
        if (not_plot) {
            cm_fail(&err, "--plot-saturation takes only --sources, --region, --max-bp, --title and -o (not %s%s)",
                    not_plot[0] != '-' ? "--" : "", not_plot);
            goto fail;
        }
        char *cmd = cm_cmdline(argc, argv);
        size_t n = strlen(cmd) + 64;
        char *prov = cm_malloc(n);
        snprintf(prov, n, "coopmap-ism %s: %s", COOPMAP_VERSION, cmd);
        free(cmd);
        cm_out_t *fo = cm_out_open(out_path, &err);
        int rc = -1;
        if (fo) {
            rc = cm_fig_saturation_file(fo->fp, plot_sat, sources, plot_region, (int)plot_max_bp,
                                        plot_title, prov, &err);
            if (rc == 0) rc = cm_out_commit(fo, &err);
            else cm_out_abort(fo);
        }
        free(prov);
        if (rc != 0) goto fail;
        return 0;
    }
    if (opt.shard.n && (predict || saturation)) {
        cm_fail(&err, "--shard is for knockouts (--sources/--pairs), not --predict or --saturation"); goto fail;
    }
    if (!model_path == !model_cmd) { cm_fail(&err, "give one of --model and --model-cmd (see --help)"); goto fail; }
    if (filter_thr_given && !filter_pwms) { cm_fail(&err, "--filter-threshold needs --filter-pwms"); goto fail; }
    if (filter_pwms && (!predict || saturation || sources || pairs)) {
        cm_fail(&err, "--filter-pwms takes --predict SEQS.fa (and no --saturation, --sources or --pairs)"); goto fail;
    }
    if (saturation) {
        if (predict || pairs) { cm_fail(&err, "--saturation takes --regions or --sources, not --predict or --pairs"); goto fail; }
        if (!regions == !sources) { cm_fail(&err, "--saturation needs exactly one of --regions and --sources"); goto fail; }
        if (!genome_path) { cm_fail(&err, "--genome is required (see --help)"); goto fail; }
        if (ko_opts) { cm_fail(&err, "--draws, --seed and --knockout are for knockouts, not --saturation"); goto fail; }
    } else if (regions || bedgraph) {
        cm_fail(&err, "--regions and --bedgraph need --saturation"); goto fail;
    }
    opt.full_recompute = full_recompute;
    if (!predict && !saturation) {
        if (!genome_path) { cm_fail(&err, "--genome is required (see --help)"); goto fail; }
        if (!sources && !pairs) { cm_fail(&err, "give --sources and/or --pairs (or --predict)"); goto fail; }
    }

    cm_model_t *m = model_cmd ? cm_scorer_open(model_cmd, model_timeout, &err)
                              : cm_model_load(model_path, &err);
    if (!m) goto fail;
    if (filter_pwms) {
        int rc = cm_filter_pwm_run(m, predict, filter_thr, filter_pwms, &err);
        if (rc == 0) rc = cm_scorer_finish(m, &err);
        cm_model_free(m);
        if (rc != 0) goto fail;
        return 0;
    }
    cm_genome_t *g = NULL;
    if (!predict && !(g = cm_genome_open(genome_path, &err))) { cm_model_free(m); goto fail; }
    if (saturation) {
        cm_sat_opts_t so;
        cm_sat_opts_init(&so);
        so.threads = opt.threads;
        so.scale = opt.scale;
        so.full_recompute = full_recompute;
        char *cmd = cm_cmdline(argc, argv);
        size_t n = strlen(cmd) + 64;
        char *prov = cm_malloc(n);
        snprintf(prov, n, "# coopmap-ism %s: %s", COOPMAP_VERSION, cmd);
        cm_sat_stats_t st;
        int rc = cm_sat_run(m, g, regions ? regions : sources, regions ? CM_SAT_BED : CM_SAT_SOURCES,
                            &so, out_path, bedgraph, prov, &st, &err);
        if (rc == 0)
            fprintf(stderr, "coopmap-ism: info: saturation: %ld regions, %ld windows, %ld positions, "
                    "%ld rows written\n", st.regions, st.windows, st.positions, st.rows);
        free(prov);
        free(cmd);
        cm_genome_close(g);
        cm_model_free(m);
        if (rc != 0) goto fail;
        return 0;
    }
    cm_out_t *out = cm_out_open(out_path, &err);
    if (!out) { cm_genome_close(g); cm_model_free(m); goto fail; }
    /* provenance: what determines the rows (not --threads, --shard or -o), so the
     * outputs of any thread count and merged shards are byte-identical */
    static const char *const volatile_opts[] = { "--threads", "--shard", "-o", "--output", NULL };
    char *cmd = cm_cmdline_without(argc, argv, volatile_opts);
    fprintf(out->fp, "# coopmap-ism %s: %s\n", COOPMAP_VERSION, cmd);
    free(cmd);
    int rc;
    if (predict) {
        long n;
        rc = cm_ism_predict_fasta(m, predict, opt.threads, out->fp, &n, &err);
        if (rc == 0 && n == 0) cm_warn("ism", "%s: no sequences (an empty FASTA?)", predict);
    } else {
        cm_ism_stats_t st;
        cm_ism_write_header(out->fp);
        rc = cm_ism_run(m, g, sources, pairs, &opt, out->fp, &st, &err);
        if (rc == 0) {
            long sk = st.self_skipped + st.pair_skipped;
            cm_ism_write_trailer(out->fp, &opt, &st);
            fprintf(stderr, "coopmap-ism: info: %ld self rows, %ld pair rows written; skipped %ld rows "
                    "(%ld sources, %ld pairs) whose source TF has no model head (heads:",
                    st.self_rows, st.pair_rows, sk, st.self_skipped, st.pair_skipped);
            for (int i = 0; i < cm_model_n_heads(m); i++) fprintf(stderr, " %s", cm_model_head_name(m, i));
            fputs(")\n", stderr);
        }
    }
    if (rc == 0) rc = cm_scorer_finish(m, &err);   /* a scorer must end cleanly first */
    if (rc == 0) rc = cm_out_commit(out, &err);
    else cm_out_abort(out);
    cm_genome_close(g);
    cm_model_free(m);
    if (rc != 0) goto fail;
    return 0;
fail:
    cm_report("ism", &err);
    return 1;
}
