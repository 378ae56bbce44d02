/* coopmap-stats — significance of in-silico knockout effects: cooperativity TSVs and
 * SVG heatmap (DESIGN.md, coopmap-stats; EpiBinder study, Supplement B). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "stats/effects.h"
#include "core/error.h"
#include "stats/stats.h"
#include "core/svg.h"
#include "core/textio.h"
#include "core/version.h"

static const char usage[] =
"Usage: coopmap-stats [options] EFFECTS.tsv [EFFECTS.tsv ...]\n"
"\n"
"Test every cell of the TF x TF cooperativity map for a non-zero mean knockout\n"
"effect (EpiBinder study): two-sided one-sample t-test against 0 with n-1 df\n"
"(GSL Student t); p = 1 when n < 2, when the variance is 0 or when evaluation\n"
"fails; score = sign(mean) * (-log10 p); Benjamini-Hochberg q; cells with\n"
"q > alpha are masked on the map.\n"
"\n"
"Input: effects.tsv files of coopmap-ism (gzip ok, '-' = stdin; several files,\n"
"e.g. shards, are pooled).  Columns are found by name; required: kind source_tf\n"
"target_tf distance homotypic delta_source delta_target interaction.\n"
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
"  -o, --prefix P    all five outputs: Pcooperativity.tsv, Pcooperativity_matrix.tsv,\n"
"                    Pcooperativity.svg, Pdistance_profile.tsv, Ptf_ranking.tsv\n"
"                    (P is prepended as is: 'out/' or 'out/k562_')\n"
"      --long F      cooperativity.tsv (overrides -o for this file), columns:\n"
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
"      --title T     heatmap title\n"
"      --values W    print scores in heatmap cells: auto (<= 20 TFs), yes, no\n"
"      --square      matrix and heatmap list every TF on both axes (default: only\n"
"                    source TFs with a tested cell as rows and tested targets as\n"
"                    columns, so a model with few heads gives a few full rows)\n"
"      --bin N       distance bin width in bp for --profile (default 50)\n"
"      --threads N   OpenMP threads (default 1); results do not depend on it\n"
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
    long bin;
} opts_t;

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
        { "prefix", required_argument, 0, 'o' }, { "long", required_argument, 0, 1 },
        { "matrix", required_argument, 0, 2 }, { "svg", required_argument, 0, 3 },
        { "profile", required_argument, 0, 4 }, { "ranking", required_argument, 0, 5 },
        { "alpha", required_argument, 0, 6 }, { "title", required_argument, 0, 7 },
        { "values", required_argument, 0, 8 }, { "bin", required_argument, 0, 9 },
        { "threads", required_argument, 0, 10 }, { "square", no_argument, 0, 11 },
        { "help", no_argument, 0, 'h' },
        { "version", no_argument, 0, 'V' }, { 0, 0, 0, 0 }
    };
    opts_t o = { .alpha = 0.05, .values = -1, .bin = 50 };
    const char *prefix = NULL;
    long threads = 1;
    cm_err_t err = { { 0 } };
    int c;
    while ((c = getopt_long(argc, argv, "o:hV", lo, NULL)) != -1) {
        switch (c) {
        case 'o': prefix = optarg; break;
        case 1: case 2: case 3: case 4: case 5: o.path[c - 1] = optarg; break;
        case 6:
            if (cm_parse_double(optarg, &o.alpha) || !(o.alpha > 0 && o.alpha <= 1)) {
                cm_fail(&err, "--alpha: '%s' is not a number in (0, 1]", optarg);
                goto bad;
            }
            break;
        case 7: o.title = optarg; break;
        case 11: o.square = 1; break;
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
        else if (prefix) {
            size_t n = strlen(prefix) + strlen(suffix[k]) + 1;
            paths[k] = cm_malloc(n);
            snprintf(paths[k], n, "%s%s", prefix, suffix[k]);
        }
        any |= paths[k] != NULL;
    }
    if (!any) paths[0] = cm_strdup("-");

    cm_effects_t ef;
    cm_cells_t cells = { 0 };
    cm_effects_init(&ef);
    int rc = 0;
    for (int i = optind; i < argc && rc == 0; i++) rc = cm_effects_read(argv[i], &ef, &err);
    if (rc == 0) {
        cm_effects_finish(&ef);
        rc = cm_cells_compute(&ef, o.alpha, &cells, &err);
    }
    char *cmd = cm_cmdline(argc, argv);
    size_t pn = strlen(cmd) + 64;
    char *prov = cm_malloc(pn);
    snprintf(prov, pn, "coopmap-stats %s: %s", COOPMAP_VERSION, cmd);
    if (rc == 0) rc = write_all(&o, paths, &ef, &cells, prov, &err);
    free(cmd);
    free(prov);
    for (int k = 0; k < 5; k++) free(paths[k]);
    cm_cells_free(&cells);
    cm_effects_free(&ef);
    if (rc == 0) return 0;
bad:
    cm_report("stats", &err);
    return 1;
}
