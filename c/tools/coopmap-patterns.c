/* coopmap-patterns — seqlets and motif patterns from per-base importance
 * (TF-MoDISco-like; c/patterns/, docs/patterns.md): the stage between coopmap-ism
 * --saturation and coopmap-compare / coopmap-family jos. */
#include "core/error.h"
#include "core/textio.h"
#include "core/version.h"
#include "patterns/pattern.h"
#include "patterns/track.h"
#include "seq/genome.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE =
"Usage: coopmap-patterns --genome GENOME.fa -o DIR [options] SAT.tsv[.gz]\n"
"       coopmap-patterns --genome GENOME.fa -o DIR [options] --bedgraph FILE --head NAME\n"
"                        [--bedgraph FILE --head NAME ...]\n"
"\n"
"Seqlets and patterns from per-base importance, per model head and sign (docs/patterns.md):\n"
"windows of high summed importance called against a shuffled null at a target FDR,\n"
"joined in a k-nearest-neighbour graph of their contribution-weighted one-hot\n"
"matrices (maximum cross-correlation over offsets and strands; candidates from a\n"
"k-mer sketch), clustered (Louvain), aligned, merged and trimmed into PFMs and CWMs.\n"
"\n"
"Input: the saturation table of coopmap-ism --saturation (importance of the observed\n"
"base = -1/4 of the sum of delta over the alternatives, as its .obs.bedGraph), or\n"
"bedGraphs of per-base importance (--bedgraph FILE --head NAME, in pairs).  The genome\n"
"(indexed FASTA) gives the sequence and checks the input's chromosomes, positions and\n"
"reference bases.\n"
"\n"
"Output (DIR created; all four files written together, none on error):\n"
"  DIR/patterns.meme  MEME v4 PPMs, nsites= seqlet count, names HEAD_pos_N / HEAD_neg_N\n"
"  DIR/patterns.tsv   pattern head sign seqlets sequences share consensus width\n"
"  DIR/cwm.tsv        pattern pos A C G T: contribution weight matrices\n"
"  DIR/seqlets.bed    chrom start end pattern score strand (seqlets in no pattern:\n"
"                     HEAD_pos_NA / HEAD_neg_NA, strand .)\n"
"\n"
"Options (one or two leading dashes):\n"
"  --genome FILE      indexed genome FASTA (plain or bgzip, with .fai) [required]\n"
"  -o DIR             output directory [required]\n"
"  --bedgraph FILE    a bedGraph of per-base importance (with --head; repeatable)\n"
"  --head NAME        with --bedgraph: its head; with a saturation table: keep only\n"
"                     these heads (repeatable) [all]\n"
"  --window W         core window of the summed importance, bp [15]\n"
"  --flank F          bases added on each side of a core: seqlet width W + 2F [5]\n"
"  --fdr X            target false discovery rate of seqlet calls, in (0, 1] [0.05]\n"
"  --shuffles R       permutations of each region's importances for the null [2]\n"
"  --seed N           seed of the permutations and of the sketch's hashing [1]\n"
"  --knn K            neighbours per seqlet in the graph [15]\n"
"  --candidates C     exact similarities per seqlet (sketch-ranked candidates) [40]\n"
"  --resolution G     Louvain resolution, > 0 [1]\n"
"  --min-seqlets N    smallest pattern, seqlets [10]\n"
"  --merge X          merge patterns whose CWM similarity >= X, in [-1, 1]; above 1:\n"
"                     never [0.8]\n"
"  --trim X           trim columns with summed |CWM| < X * max, in [0, 1] [0.3]\n"
"  --threads N        OpenMP threads (output does not depend on it) [1]\n"
"  -h, --help         this help\n"
"  --version          print the version\n";

typedef struct {
    const char *genome, *out, *sat;
    char **bg, **heads;
    int nbg, nheads;
    cm_pat_opts_t o;
} args_t;

static int num(const char *opt, const char *v, double lo, double hi, int lo_open, double *out,
               cm_err_t *err)
{
    double d;
    if (cm_parse_double(v, &d) != 0 || !isfinite(d) || d < lo || d > hi || (lo_open && d == lo))
        return cm_fail(err, "%s %s: out of range %s%g, %g]", opt, v, lo_open ? "(" : "[", lo, hi);
    *out = d;
    return 0;
}

static int integer(const char *opt, const char *v, long lo, long hi, long *out, cm_err_t *err)
{
    long l;
    if (cm_parse_long(v, &l) != 0 || l < lo || l > hi)
        return cm_fail(err, "%s %s: not an integer in %ld..%ld", opt, v, lo, hi);
    *out = l;
    return 0;
}

static int parse_args(int argc, char **argv, args_t *A, cm_err_t *err)
{
    memset(A, 0, sizeof *A);
    cm_pat_opts_init(&A->o);
    A->bg = cm_calloc((size_t)argc, sizeof(char *));
    A->heads = cm_calloc((size_t)argc, sizeof(char *));
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *o = cm_optname(argv[i]);
        if (!o) {
            if (npos++) return cm_fail(err, "one saturation table only (got %s and %s)", A->sat, argv[i]);
            A->sat = argv[i];
            continue;
        }
        if (i + 1 >= argc) return cm_fail(err, "option %s needs a value (or is unknown; see --help)", argv[i]);
        const char *v = argv[++i];
        double d;
        long l;
        if (!strcmp(o, "genome")) A->genome = v;
        else if (!strcmp(o, "o") || !strcmp(o, "output")) A->out = v;
        else if (!strcmp(o, "bedgraph")) A->bg[A->nbg++] = (char *)v;
        else if (!strcmp(o, "head")) A->heads[A->nheads++] = (char *)v;
        else if (!strcmp(o, "fdr")) {
            if (num(argv[i - 1], v, 0, 1, 1, &d, err)) return -1;
            A->o.seq.fdr = d;
        } else if (!strcmp(o, "resolution")) {
            if (num(argv[i - 1], v, 0, 1e6, 1, &d, err)) return -1;
            A->o.gamma = d;
        } else if (!strcmp(o, "merge")) {
            if (num(argv[i - 1], v, -1, 1e300, 0, &d, err)) return -1;
            A->o.merge = d;
        } else if (!strcmp(o, "trim")) {
            if (num(argv[i - 1], v, 0, 1, 0, &d, err)) return -1;
            A->o.trim = d;
        } else if (!strcmp(o, "window")) {
            if (integer(argv[i - 1], v, 1, 1000, &l, err)) return -1;
            A->o.seq.window = (int)l;
        } else if (!strcmp(o, "flank")) {
            if (integer(argv[i - 1], v, 0, 1000, &l, err)) return -1;
            A->o.seq.flank = (int)l;
        } else if (!strcmp(o, "shuffles")) {
            if (integer(argv[i - 1], v, 1, 1000, &l, err)) return -1;
            A->o.seq.shuffles = (int)l;
        } else if (!strcmp(o, "seed")) {
            if (integer(argv[i - 1], v, 0, 2147483647L, &l, err)) return -1;
            A->o.seq.seed = (uint64_t)l, A->o.knn.seed = (uint64_t)l;
        } else if (!strcmp(o, "knn")) {
            if (integer(argv[i - 1], v, 1, 1000, &l, err)) return -1;
            A->o.knn.k = (int)l;
        } else if (!strcmp(o, "candidates")) {
            if (integer(argv[i - 1], v, 1, 100000, &l, err)) return -1;
            A->o.knn.ncand = (int)l;
        } else if (!strcmp(o, "min-seqlets")) {
            if (integer(argv[i - 1], v, 1, 100000000L, &l, err)) return -1;
            A->o.min_seqlets = (int)l;
        } else if (!strcmp(o, "threads")) {
            if (integer(argv[i - 1], v, 1, 1024, &l, err)) return -1;
            A->o.threads = (int)l;
        } else return cm_fail(err, "unknown option %s (see --help)", argv[i - 1]);
    }
    if (!A->genome) return cm_fail(err, "need --genome FILE (see --help)");
    if (!A->out) return cm_fail(err, "need -o DIR (see --help)");
    if (A->sat && A->nbg) return cm_fail(err, "give a saturation table or --bedgraph files, not both");
    if (!A->sat && !A->nbg) return cm_fail(err, "need a saturation table or --bedgraph FILE --head NAME (see --help)");
    if (A->nbg && A->nbg != A->nheads)
        return cm_fail(err, "%d --bedgraph files but %d --head names: give one head per bedGraph",
                       A->nbg, A->nheads);
    if (A->o.knn.ncand < A->o.knn.k)
        return cm_fail(err, "--candidates %d is below --knn %d", A->o.knn.ncand, A->o.knn.k);
    return 0;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *o = cm_optname(argv[i]);
        if (o && (!strcmp(o, "help") || !strcmp(o, "h"))) { fputs(USAGE, stdout); return 0; }
        if (o && !strcmp(o, "version")) { printf("coopmap-patterns %s\n", COOPMAP_VERSION); return 0; }
    }
    cm_err_t err = {{0}};
    args_t A;
    cm_pat_data_t D = {0};
    cm_pat_result_t R = {0};
    cm_genome_t *g = NULL;
    int rc = parse_args(argc, argv, &A, &err);
    if (rc == 0 && !(g = cm_genome_open(A.genome, &err))) rc = -1;
    if (rc == 0) {
        if (A.sat) rc = cm_pat_read_saturation(A.sat, g, A.heads, A.nheads, &D, &err);
        else
            for (int k = 0; k < A.nbg && rc == 0; k++)
                rc = cm_pat_read_bedgraph(A.bg[k], A.heads[k], g, &D, &err);
    }
    if (rc == 0) {
        cm_pat_run(&D, &A.o, &R);
        char *prov = cm_provenance("coopmap-patterns", argc, argv);
        rc = cm_pat_write(A.out, &D, &R, prov, &err);
        free(prov);
        if (rc == 0)
            for (int k = 0; k < R.ngroup; k++) {
                const cm_pat_group_t *q = &R.group[k];
                fprintf(stderr, "coopmap-patterns: info: %s %s: %zu windows, threshold %.6g, "
                        "%zu passing, %d seqlets, %d communities (Q %.3f), %d patterns, %ld "
                        "exact similarities\n", D.track[q->track].head, q->sign > 0 ? "pos" : "neg",
                        q->call.windows, q->call.thresh, q->call.passing, q->nseqlets, q->ncomm,
                        q->modularity, q->npatterns, q->nexact);
            }
    }
    cm_pat_result_free(&R);
    cm_pat_data_free(&D);
    cm_genome_close(g);
    free(A.bg), free(A.heads);
    if (rc != 0) {
        cm_report("patterns", &err);
        return 1;
    }
    return 0;
}
