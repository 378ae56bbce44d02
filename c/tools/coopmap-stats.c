/* coopmap-stats — significance of in-silico knockout effects: cooperativity TSVs and
 * SVG heatmap (DESIGN.md, coopmap-stats; EpiBinder study, Supplement B). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include <unistd.h>

#include "stats/effects.h"
#include "core/error.h"
#include "stats/stats.h"
#include "stats/mapfig.h"
#include "report/report.h"
#include "core/svg.h"
#include "core/textio.h"
#include "core/version.h"

static const char usage[] =
"Usage: coopmap-stats [options] EFFECTS.tsv [EFFECTS.tsv ...]\n"
"       coopmap-stats --report DIR [options] [NAME=]EFFECTS.tsv ...\n"
"\n"
"Test every cell of the TF x TF cooperativity map for a non-zero mean knockout\n"
"effect (EpiBinder study): two-sided one-sample t-test against 0 with n-1 df\n"
"(as scipy ttest_1samp); p = 1 when n < 2, when the variance is 0 or when\n"
"evaluation fails; score = sign(mean) * (-log10 p); Benjamini-Hochberg q; cells with\n"
"q > alpha are masked on the map.  --test and --correction choose other tests\n"
"(Wilcoxon signed-rank, sign-flip permutation) and Benjamini-Yekutieli.\n"
"\n"
"Input: effects.tsv files of coopmap-ism (gzip ok, '-' = stdin; several files,\n"
"e.g. shards, are pooled).  Columns are found by name; required: kind source_tf\n"
"target_tf distance homotypic delta_source delta_target interaction.\n"
"NAME=EFFECTS.tsv names a map (a cell line, e.g. K562=k562/effects.tsv); files with\n"
"the same NAME are pooled, each map is tested on its own (its own BH families).\n"
"Two or more maps are drawn only by --report; unnamed files make the map 'all'.\n"
"\n"
"Cells (kind):\n"
"  self         (i,i): delta_source of the self rows of TF i (map diagonal)\n"
"  pair         (i,j): delta_target of heterotypic pair rows, source i, target j\n"
"  homotypic    (i,i): delta_target of homotypic pair rows (not on the map)\n"
"  interaction  (i,j): interaction of pair rows, both knocked out (not on the map)\n"
"BH families: self + pair cells together (the map, as in the study); homotypic\n"
"cells separately; interaction cells separately.  Every cell with n >= 1 is in\n"
"its family, including cells whose test returned p = 1.\n"
"\n"
"Outputs (at least one; without any, the long table goes to stdout):\n"
"  -o, --outdir DIR  all five outputs in DIR (created, with missing parents, if\n"
"                    needed; removed again when this run created it and fails):\n"
"                    DIR/cooperativity.tsv, DIR/cooperativity_matrix.tsv,\n"
"                    DIR/cooperativity.svg, DIR/distance_profile.tsv, DIR/tf_ranking.tsv\n"
"      --prefix P    prepend P to those five names as is: with -o DIR, DIR/Pname\n"
"                    (-o out --prefix k562_: out/k562_cooperativity.tsv); without,\n"
"                    Pname (--prefix out/k562_)\n"
"      --long F      cooperativity.tsv (overrides -o/--prefix for this file), columns:\n"
"                      source_tf target_tf  TF names\n"
"                      kind        self|pair|homotypic|interaction\n"
"                      n           number of values in the cell\n"
"                      mean, sd    sample mean and standard deviation (n-1);\n"
"                                  sd empty when n < 2\n"
"                      t           t statistic; empty when undefined (n < 2, sd = 0)\n"
"                      p           two-sided p; below 1e-308 printed from its log\n"
"                                  (e.g. 3.1e-512: exact, no cap; reads as 0)\n"
"                      score       sign(mean) * -log10 p (finite; 0 when p = 1)\n"
"                      q           BH-adjusted p within the kind's family\n"
"                      masked      1 when q > alpha, else 0\n"
"                      test        the test of p and score (--test)\n"
"                      family      cells adjusted together: map (self + pair),\n"
"                                  homotypic, interaction\n"
"                      ci_low, ci_high  95% t confidence interval of the mean,\n"
"                                  mean -/+ t(.975, n-1) sd/sqrt(n); empty if n < 2\n"
"                      cohens_d    mean / sd; empty when n < 2 or sd = 0\n"
"                    p, score and q follow --test and --correction (q BY-adjusted\n"
"                    with --correction by); mean, sd, t, CI and d are always the\n"
"                    t-test summary's\n"
"                    rows sorted by kind (as above), source_tf, target_tf\n"
"      --matrix F    cooperativity_matrix.tsv: column source_tf, then one column per\n"
"                    target TF with a tested self/pair cell (every TF with --square),\n"
"                    sorted; one row per source TF likewise; cell = score of the self\n"
"                    (diagonal) or pair cell; empty when masked or untested\n"
"      --svg F       heatmap: rows = source TF (prediction read), columns = target\n"
"                    TF (motif knocked out), diagonal = self-effects; blue < 0 <\n"
"                    red, symmetric limits = max |score| of shown cells; masked cells\n"
"                    grey-hatched, untested cells blank with a dot\n"
"      --profile F   distance profile of pair rows, bins of --bin bp, columns:\n"
"                    kind (pair|homotypic) bin_start bin_end (bp, [start,end)) n\n"
"                    mean_delta_target sd_delta_target mean_abs_delta_target\n"
"                    n_interaction mean_interaction\n"
"      --ranking F   per-TF absolute effects, columns: tf n_self mean_abs_self\n"
"                    (mean |delta_source| of self rows) n_pair\n"
"                    mean_abs_target_effect (mean |delta_target| of pair rows with\n"
"                    the TF as source); sorted by mean_abs_self descending\n"
"Options:\n"
"      --alpha A     mask cells with q > A (default 0.05; 0 < A <= 1)\n"
"      --test T      test of each cell against 0 (two-sided):\n"
"                      t            one-sample t-test (default; the study's)\n"
"                      wilcoxon     Wilcoxon signed-rank, as scipy 1.10.1's\n"
"                                   wilcoxon(x): zeros dropped, exact for n <= 50\n"
"                                   without zeros, else normal approximation with\n"
"                                   tie correction, no continuity correction;\n"
"                                   p = 1 when n = 0 or every value is 0\n"
"                      permutation  sign-flip test of the mean: B random flips,\n"
"                                   p = (1 + #{|mean*| >= |mean|}) / (B + 1); all\n"
"                                   2^n flips (exact p) when 2^n <= B\n"
"      --correction C  multiple testing within each family: bh (Benjamini-\n"
"                    Hochberg, default) or by (Benjamini-Yekutieli, any dependence)\n"
"      --permutations B  random flips of --test permutation (default 10000)\n"
"      --seed S      seed of the flips (default 1); a cell's flips depend on the\n"
"                    seed, its kind and its TF names only (not on --threads)\n"
"      --title T     heatmap title\n"
"      --values W    print scores in heatmap cells: auto (<= 20 TFs), yes, no\n"
"      --cluster     heatmap (and report maps): order rows and columns by average-\n"
"                    linkage clustering of the scores (Euclidean; masked/untested 0),\n"
"                    dendrograms beside (default: TF name order)\n"
"      --square      matrix and heatmap list every TF on both axes (default: only\n"
"                    source TFs with a tested cell as rows and tested targets as\n"
"                    columns, so a model with few heads gives a few full rows)\n"
"      --bin N       distance bin width in bp for --profile (default 50)\n"
"      --threads N   OpenMP threads (default 1); results do not depend on it\n"
"Report (--report DIR: DIR/index.html, one self-contained page, and DIR/figures/):\n"
"      --report DIR  every map, the maps side by side (one colour scale), the\n"
"                    strongest cooperative/competitive cells, distance profile,\n"
"                    effect ranking, and what the tables below allow; the inputs'\n"
"                    sizes, MD5s and provenance lines (tool, version, command)\n"
"      --tomtom F    a Tomtom TSV (coopmap-compare): heatmap of -log10 E, boxes\n"
"                    where q <= --tomtom-thresh (default 0.05; E with --tomtom-evalue)\n"
"      --jos F       a coopmap-family jos table: JOS bar chart\n"
"      --saturation [NAME=]F[,...]  coopmap-ism --saturation TSVs (NAME = a map)\n"
"      --sources [NAME=]F[,...]     coopmap-pairs sources.tsv: sites under the\n"
"                    saturation tracks (an unnamed one serves every track)\n"
"      --patterns [NAME=]F[,...]  coopmap-patterns patterns.tsv (NAME = a map): the\n"
"                    pattern table (seqlets, sequences, share of sequences, consensus,\n"
"                    best match of --patterns-tomtom with its E and q)\n"
"      --patterns-tomtom [NAME=]F[,...]  the patterns' Tomtom TSV against a motif\n"
"                    database (coopmap-compare): heatmap, boxes as --tomtom-thresh\n"
"      --patterns-jos [NAME=]F[,...]  coopmap-family jos per head of those matches\n"
"      --motif-names F[,...]  motif files (any format coopmap-compare reads): the\n"
"                    Tomtom heatmaps and best matches label targets 'ID NAME'\n"
"      --region CHR:S-E  the saturation region drawn (0-based half-open; default the\n"
"                    first of each table); --sat-max-bp N clips it (default 200)\n"
"      --run-info F  TSV section, key, value (the workflow's manifest.tsv): tables\n"
"      --top N       rows of the strongest-cells tables and ranking bars (default 20)\n"
"  -h, --help        this text\n"
"  -V, --version     print the version\n"
"Every output starts with a '#' provenance line (tool, version, command line;\n"
"an XML comment in the SVG).  Outputs are written atomically and together: an\n"
"error (named FILE:LINE) exits 1 and leaves none of them.\n";

typedef struct {
    const char *path[5];   /* long, matrix, svg, profile, ranking */
    double alpha;
    const char *title;
    int values;
    int square;
    int cluster;
    long bin;
} opts_t;

/* A map: the effects files of one NAME (or of no name: "all"), tested on their own. */
typedef struct {
    char *name;
    cm_effects_t ef;
    cm_cells_t cells;
} map_t;

/* Split "NAME=PATH" (NAME non-empty without '/', and the whole word not an existing
 * file) into *name (allocated) and the returned PATH; anything else: *name = NULL. */
static const char *split_name(const char *arg, char **name)
{
    const char *eq = strchr(arg, '=');
    *name = NULL;
    if (!eq || eq == arg || memchr(arg, '/', eq - arg) || access(arg, F_OK) == 0) return arg;
    *name = cm_malloc(eq - arg + 1);
    memcpy(*name, arg, eq - arg);
    (*name)[eq - arg] = 0;
    return eq + 1;
}

/* Append the comma-separated [NAME=]FILE items of arg to f[0..*n). */
static void add_files(cm_report_file_t **f, int *n, int *cap, const char *arg, int sources)
{
    char *buf = cm_strdup(arg), *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *name;
        const char *path = split_name(t, &name);
        *f = cm_grow(*f, *n, cap, sizeof **f, 4);
        (*f)[*n] = (cm_report_file_t){ .name = name, .path = cm_strdup(path) };
        (*f)[*n].sources = sources ? (*f)[*n].path : NULL;
        (*n)++;
    }
    free(buf);
}

static const char *const suffix[5] = {
    "cooperativity.tsv", "cooperativity_matrix.tsv", "cooperativity.svg",
    "distance_profile.tsv", "tf_ranking.tsv"
};

static int write_all(const opts_t *o, char *const *paths, const cm_effects_t *ef,
                     const cm_cells_t *cells, const char *prov, cm_err_t *err)
{
    cm_out_t *out[5] = { 0 };
    for (int k = 0; k < 5; k++) {
        if (!paths[k]) continue;
        if (!(out[k] = cm_out_open(paths[k], err))) goto fail;
        FILE *fp = out[k]->fp;
        if (k == 0) cm_write_long(fp, cells, ef, prov);
        else if (k == 1) cm_write_matrix(fp, cells, ef, o->square, prov);
        else if (k == 2 && o->cluster) {
            cm_mapview_t mv = { .name = "", .ef = ef, .cells = cells };
            cm_mapfig_opts_t mo = { .title = o->title, .alpha = o->alpha, .show_values = o->values,
                                    .cluster = 1, .square = o->square, .prov = prov };
            if (cm_fig_map(fp, &mv, &mo, err) < 0) goto fail;
        }
        else if (k == 2) {
            int n = ef->n_tf, nr, nc;
            double *score = cm_malloc((size_t)n * n * sizeof *score + 1);
            unsigned char *state = cm_malloc((size_t)n * n + 1);
            int *rows = cm_malloc(sizeof(int) * (n + 1)), *cols = cm_malloc(sizeof(int) * (n + 1));
            cm_cells_map(cells, n, score, state);
            cm_map_axes(state, n, o->square, rows, &nr, cols, &nc);
            cm_svg_opts_t so = { .title = o->title, .alpha = o->alpha, .show_values = o->values, .prov = prov };
            int r = cm_svg_heatmap(fp, (const char *const *)ef->tf, n, rows, nr, cols, nc, score, state, &so, err);
            free(score); free(state); free(rows); free(cols);
            if (r < 0) goto fail;
        }
        else if (k == 3) cm_write_profile(fp, ef, o->bin, prov);
        else cm_write_ranking(fp, ef, prov);
    }
    /* all or none: a write error in any output leaves no new file */
    return cm_out_commit_all(out, 5, err);
fail:
    for (int k = 0; k < 5; k++) cm_out_abort(out[k]);
    return -1;
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        { "outdir", required_argument, 0, 'o' }, { "prefix", required_argument, 0, 12 },
        { "long", required_argument, 0, 1 },
        { "matrix", required_argument, 0, 2 }, { "svg", required_argument, 0, 3 },
        { "profile", required_argument, 0, 4 }, { "ranking", required_argument, 0, 5 },
        { "alpha", required_argument, 0, 6 }, { "title", required_argument, 0, 7 },
        { "values", required_argument, 0, 8 }, { "bin", required_argument, 0, 9 },
        { "threads", required_argument, 0, 10 }, { "square", no_argument, 0, 11 },
        { "report", required_argument, 0, 20 }, { "cluster", no_argument, 0, 21 },
        { "tomtom", required_argument, 0, 22 }, { "tomtom-thresh", required_argument, 0, 23 },
        { "tomtom-evalue", no_argument, 0, 24 }, { "jos", required_argument, 0, 25 },
        { "saturation", required_argument, 0, 26 }, { "sources", required_argument, 0, 27 },
        { "region", required_argument, 0, 28 }, { "run-info", required_argument, 0, 29 },
        { "top", required_argument, 0, 30 }, { "sat-max-bp", required_argument, 0, 31 },
        { "patterns", required_argument, 0, 32 }, { "patterns-tomtom", required_argument, 0, 33 },
        { "patterns-jos", required_argument, 0, 34 }, { "motif-names", required_argument, 0, 35 },
        { "test", required_argument, 0, 40 }, { "correction", required_argument, 0, 41 },
        { "permutations", required_argument, 0, 42 }, { "seed", required_argument, 0, 43 },
        { "help", no_argument, 0, 'h' },
        { "version", no_argument, 0, 'V' }, { 0, 0, 0, 0 }
    };
    opts_t o = { .alpha = 0.05, .values = -1, .bin = 50 };
    cm_test_opts_t to;                 /* --test, --correction, --permutations, --seed */
    cm_test_opts_init(&to);
    cm_report_opts_t ro = { .tomtom_thresh = 0.05, .top = 20, .sat_max_bp = 200 };
    cm_report_file_t *sat = NULL, *src = NULL;
    int n_sat = 0, c_sat = 0, n_src = 0, c_src = 0;
    cm_report_file_t *pf[3] = { NULL, NULL, NULL };   /* --patterns, --patterns-tomtom, --patterns-jos */
    int n_pf[3] = { 0 }, c_pf[3] = { 0 };
    cm_report_patterns_t *pat = NULL;
    int n_pat = 0;
    cm_report_file_t *mnames = NULL;
    int n_mnames = 0, c_mnames = 0;
    map_t *maps = NULL;
    int n_maps = 0, c_maps = 0;
    const char **inputs = NULL;
    int n_inputs = 0, c_inputs = 0;
    const char *prefix = NULL, *outdir = NULL;
    cm_outdir_t *od = NULL;
    long threads = 1;
    cm_err_t err = { { 0 } };
    int c;
    while ((c = getopt_long(argc, argv, "o:hV", lo, NULL)) != -1) {
        switch (c) {
        case 'o': outdir = optarg; break;
        case 12: prefix = optarg; break;
        case 1: case 2: case 3: case 4: case 5: o.path[c - 1] = optarg; break;
        case 6:
            if (cm_parse_double(optarg, &o.alpha) || !(o.alpha > 0 && o.alpha <= 1)) {
                cm_fail(&err, "--alpha: '%s' is not a number in (0, 1]", optarg);
                goto bad;
            }
            break;
        case 7: o.title = optarg; break;
        case 40:
            if ((to.test = cm_test_parse(optarg)) < 0) {
                cm_fail(&err, "--test: '%s' is not t, wilcoxon or permutation", optarg);
                goto bad;
            }
            break;
        case 41:
            if ((to.correction = cm_correction_parse(optarg)) < 0) {
                cm_fail(&err, "--correction: '%s' is not bh or by", optarg);
                goto bad;
            }
            break;
        case 42:
            if (cm_parse_long(optarg, &to.permutations) || to.permutations < 1 || to.permutations > 1000000000) {
                cm_fail(&err, "--permutations: '%s' is not an integer in [1, 1e9]", optarg);
                goto bad;
            }
            break;
        case 43: {
            long sv;
            if (cm_parse_long(optarg, &sv) || sv < 0) {
                cm_fail(&err, "--seed: '%s' is not a non-negative integer", optarg);
                goto bad;
            }
            to.seed = (uint64_t)sv;
            break;
        }
        case 11: o.square = 1; break;
        case 20: ro.dir = optarg; break;
        case 21: o.cluster = 1; break;
        case 22: ro.tomtom = optarg; break;
        case 23:
            if (cm_parse_double(optarg, &ro.tomtom_thresh) || !(ro.tomtom_thresh > 0)) {
                cm_fail(&err, "--tomtom-thresh: '%s' is not a number > 0", optarg);
                goto bad;
            }
            break;
        case 24: ro.tomtom_evalue = 1; break;
        case 25: ro.jos = optarg; break;
        case 26: add_files(&sat, &n_sat, &c_sat, optarg, 0); break;
        case 27: add_files(&src, &n_src, &c_src, optarg, 1); break;
        case 28: ro.region = optarg; break;
        case 32: case 33: case 34: add_files(&pf[c - 32], &n_pf[c - 32], &c_pf[c - 32], optarg, 0); break;
        case 35: {   /* plain paths: a motif file name may hold '=' */
            char *buf = cm_strdup(optarg), *save = NULL;
            for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                mnames = cm_grow(mnames, n_mnames, &c_mnames, sizeof *mnames, 4);
                mnames[n_mnames++] = (cm_report_file_t){ .path = cm_strdup(t) };
            }
            free(buf);
            break;
        }
        case 29: ro.run_info = optarg; break;
        case 30: case 31: {
            long v;
            if (cm_parse_long(optarg, &v) || v < 1 || v > 1000000) {
                cm_fail(&err, "--%s: '%s' is not a positive integer", c == 30 ? "top" : "sat-max-bp", optarg);
                goto bad;
            }
            if (c == 30) ro.top = (int)v;
            else ro.sat_max_bp = (int)v;
            break;
        }
        case 8:
            if (!strcmp(optarg, "auto")) o.values = -1;
            else if (!strcmp(optarg, "yes")) o.values = 1;
            else if (!strcmp(optarg, "no")) o.values = 0;
            else { cm_fail(&err, "--values: '%s' is not auto, yes or no", optarg); goto bad; }
            break;
        case 9:
            if (cm_parse_long(optarg, &o.bin) || o.bin < 1) {
                cm_fail(&err, "--bin: '%s' is not a positive integer", optarg);
                goto bad;
            }
            break;
        case 10:
            if (cm_parse_long(optarg, &threads) || threads < 1 || threads > 4096) {
                cm_fail(&err, "--threads: '%s' is not a positive integer", optarg);
                goto bad;
            }
            break;
        case 'h': fputs(usage, stdout); return 0;
        case 'V': puts("coopmap-stats " COOPMAP_VERSION); return 0;
        default: fputs("Try 'coopmap-stats --help'.\n", stderr); return 1;
        }
    }
    if (optind >= argc) { cm_fail(&err, "no effects file given (see --help)"); goto bad; }
    omp_set_num_threads((int)threads);

    char *paths[5] = { 0 };
    int any = 0;
    for (int k = 0; k < 5; k++) {
        if (o.path[k]) paths[k] = cm_strdup(o.path[k]);
        else if (outdir || prefix) {
            size_t n = (outdir ? strlen(outdir) + 1 : 0) + (prefix ? strlen(prefix) : 0)
                       + strlen(suffix[k]) + 1;
            paths[k] = cm_malloc(n);
            snprintf(paths[k], n, "%s%s%s%s", outdir ? outdir : "", outdir ? "/" : "",
                     prefix ? prefix : "", suffix[k]);
        }
        any |= paths[k] != NULL;
    }
    if (!any && !ro.dir) { paths[0] = cm_strdup("-"); any = 1; }

    /* the maps: NAME=FILE words, files of one name pooled, in order of first mention */
    int rc = 0, named = -1;
    for (int i = optind; i < argc && rc == 0; i++) {
        char *name;
        const char *path = split_name(argv[i], &name);
        if (named >= 0 && named != (name != NULL))
            rc = cm_fail(&err, "%s: give every effects file a NAME= or none", argv[i]);
        named = name != NULL;
        if (!name) name = cm_strdup("all");
        int m = 0;
        while (m < n_maps && strcmp(maps[m].name, name)) m++;
        if (m == n_maps) {
            maps = cm_grow(maps, n_maps, &c_maps, sizeof *maps, 4);
            maps[m].name = name;
            cm_effects_init(&maps[m].ef);
            maps[m].cells = (cm_cells_t){ 0 };
            n_maps++;
        } else free(name);
        inputs = cm_grow(inputs, n_inputs, &c_inputs, sizeof *inputs, 8);
        inputs[n_inputs++] = path;
        if (rc == 0) rc = cm_effects_read(path, &maps[m].ef, &err);
    }
    if (rc == 0 && n_maps > 1 && any)
        rc = cm_fail(&err, "two or more maps (NAME=FILE) are drawn only by --report; "
                     "-o, --prefix, --long, --matrix, --svg, --profile and --ranking need one map");
    if (rc == 0) {   /* the report's inputs, matched to the maps by name */
        const char **names = cm_malloc(sizeof *names * (n_maps ? n_maps : 1));
        for (int m = 0; m < n_maps; m++) names[m] = maps[m].name;
        rc = cm_report_attach_sources(sat, n_sat, src, n_src, names, n_maps, &err);
        if (rc == 0)
            rc = cm_report_group_patterns(pf[0], n_pf[0], pf[1], n_pf[1], pf[2], n_pf[2], names,
                                          n_maps, &pat, &n_pat, &err);
        free(names);
    }
    if (rc == 0 && !ro.dir && (n_sat || n_src || ro.tomtom || ro.jos || ro.run_info || ro.region ||
                               n_pat || n_mnames))
        rc = cm_fail(&err, "--tomtom, --jos, --saturation, --sources, --region, --run-info, "
                     "--patterns, --patterns-tomtom, --patterns-jos and --motif-names "
                     "are report inputs: give --report DIR");
    for (int m = 0; m < n_maps && rc == 0; m++) {
        cm_effects_finish(&maps[m].ef);
        rc = cm_cells_compute_opts(&maps[m].ef, o.alpha, &to, &maps[m].cells, &err);
    }
    char *cmd = cm_cmdline(argc, argv);
    size_t pn = strlen(cmd) + 64;
    char *prov = cm_malloc(pn);
    snprintf(prov, pn, "coopmap-stats %s: %s", COOPMAP_VERSION, cmd);
    /* DIR only now, when everything was read and tested: a bad input creates nothing */
    if (rc == 0 && outdir && !(od = cm_outdir_open(outdir, &err))) rc = -1;
    if (rc == 0 && any) rc = write_all(&o, paths, &maps[0].ef, &maps[0].cells, prov, &err);
    if (rc == 0 && ro.dir) {
        cm_mapview_t *mv = cm_malloc(sizeof *mv * n_maps);
        for (int m = 0; m < n_maps; m++)
            mv[m] = (cm_mapview_t){ .name = maps[m].name, .ef = &maps[m].ef, .cells = &maps[m].cells };
        ro.maps = mv;
        ro.n_maps = n_maps;
        ro.map_inputs = inputs;
        ro.n_map_inputs = n_inputs;
        ro.map = (cm_mapfig_opts_t){ .alpha = o.alpha, .show_values = o.values,
                                     .cluster = o.cluster, .square = o.square };
        ro.title = o.title;
        ro.test = cm_test_name(to.test);
        ro.correction = cm_correction_name(to.correction);
        ro.bin = o.bin;
        ro.sat = sat;
        ro.n_sat = n_sat;
        ro.pat = pat;
        ro.n_pat = n_pat;
        const char **mn = cm_malloc(sizeof *mn * (n_mnames + 1));
        for (int i = 0; i < n_mnames; i++) mn[i] = mnames[i].path;
        ro.motif_names = mn;
        ro.n_motif_names = n_mnames;
        ro.prov = prov;
        rc = cm_report_write(&ro, &err);
        free(mv);
        free(mn);
    }
    cm_outdir_close(od, rc == 0);
    free(cmd);
    free(prov);
    for (int k = 0; k < 5; k++) free(paths[k]);
    for (int m = 0; m < n_maps; m++) {
        cm_cells_free(&maps[m].cells);
        cm_effects_free(&maps[m].ef);
        free(maps[m].name);
    }
    free(maps);
    free(inputs);
    for (int k = 0; k < n_sat; k++) { free((char *)sat[k].name); free((char *)sat[k].path); }
    for (int k = 0; k < n_src; k++) { free((char *)src[k].name); free((char *)src[k].path); }
    free(sat);
    free(src);
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < n_pf[k]; i++) { free((char *)pf[k][i].name); free((char *)pf[k][i].path); }
        free(pf[k]);
    }
    free(pat);
    for (int i = 0; i < n_mnames; i++) free((char *)mnames[i].path);
    free(mnames);
    if (rc == 0) return 0;
bad:
    cm_report("stats", &err);
    return 1;
}
