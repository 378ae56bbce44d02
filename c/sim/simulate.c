/* simulate.c — synthetic sequences with planted motif sites; see simulate.h. */
#include "sim/simulate.h"
#include "core/dna.h"
#include "core/rng.h"
#include "core/version.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_BG 1
#define STREAM_PLAN 2
#define SIM_TAG UINT64_C(0x636f6f70736d)   /* "coopsm" */

/* Sequential draws of one sequence's plan stream. */
typedef struct { uint64_t key, ctr; } stream_t;

static double draw(stream_t *s) { return cm_rng_double(s->key, s->ctr++); }
static long draw_int(stream_t *s, long lo, long hi)   /* uniform in [lo, hi] */
{
    return lo + (long)cm_rng_below(s->key, s->ctr++, (uint32_t)(hi - lo + 1));
}

static int letter_of(const double p[4], double u)
{
    double c = 0;
    for (int a = 0; a < 3; a++) { c += p[a]; if (u < c) return a; }
    return 3;
}

static void add_site(cm_sim_seq_t *s, int64_t start, int motif, int w, int module)
{
    s->sites = cm_realloc(s->sites, (size_t)(s->n_sites + 1) * sizeof *s->sites);
    cm_sim_site_t *x = &s->sites[s->n_sites++];
    memset(x, 0, sizeof *x);
    x->start = start; x->end = start + w; x->motif = motif; x->module = module;
}

static int overlaps(const cm_sim_seq_t *s, int64_t a, int64_t b)
{
    for (int i = 0; i < s->n_sites; i++)
        if (a < s->sites[i].end && s->sites[i].start < b) return 1;
    return 0;
}

static int by_start(const void *a, const void *b)
{
    const cm_sim_site_t *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

void cm_sim_seq_free(cm_sim_seq_t *s)
{
    if (!s) return;
    free(s->name); free(s->seq); free(s->sites);
    memset(s, 0, sizeof *s);
}

int cm_sim_one(const cm_grammar_t *g, uint64_t seed, long k, cm_sim_seq_t *out, cm_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (!g->has_sequences) return cm_fail(err, "%s: no 'sequences' line: nothing to simulate", g->path);
    uint64_t key = cm_rng_key(cm_rng_key(cm_rng_key(SIM_TAG, seed), (uint64_t)k), 0);
    int64_t n = g->seq_len, M = g->margin;
    int digits = 1;
    for (long x = g->n_seq; x >= 10; x /= 10) digits++;
    out->name = cm_malloc(strlen(g->prefix) + 24);
    sprintf(out->name, "%s%0*ld", g->prefix, digits, k + 1);   /* seq001 ... seq300 */
    out->len = n;
    out->seq = cm_malloc((size_t)n + 1);
    out->module = -1;
    /* 1. background */
    uint64_t kb = cm_rng_key(key, STREAM_BG);
    for (int64_t i = 0; i < n; i++)
        out->seq[i] = cm_nt4_letter((uint8_t)letter_of(g->comp, cm_rng_double(kb, (uint64_t)i)));
    out->seq[n] = 0;
    stream_t st = { cm_rng_key(key, STREAM_PLAN), 0 };
    /* 2. module */
    double W = 0;
    for (int i = 0; i < g->n_modules; i++) W += g->modules[i].weight;
    if (g->n_modules > 0 && W > 0) {
        double u = draw(&st) * W, c = 0;
        int mi = g->n_modules - 1;
        for (int i = 0; i < g->n_modules; i++) {
            c += g->modules[i].weight;
            if (u < c && g->modules[i].weight > 0) { mi = i; break; }
        }
        const cm_gmodule_t *md = &g->modules[mi];
        out->module = mi;
        if (md->n > 0) {
            int rev = md->random_order && draw(&st) < 0.5;
            int64_t *rel = cm_malloc((size_t)md->n * sizeof *rel);
            double centre = 0;
            for (int j = 0; j < md->n; j++) {
                const cm_gmotif_t *m = &g->motifs[md->motifs[rev ? md->n - 1 - j : j]];
                if (j > 0) centre += (double)draw_int(&st, md->smin, md->smax);
                rel[j] = (int64_t)floor(centre - m->w / 2.0);
            }
            int64_t lo = rel[0], hi = INT64_MIN;
            for (int j = 0; j < md->n; j++) {
                const cm_gmotif_t *m = &g->motifs[md->motifs[rev ? md->n - 1 - j : j]];
                if (rel[j] < lo) lo = rel[j];
                if (rel[j] + m->w > hi) hi = rel[j] + m->w;
            }
            int64_t span = hi - lo, room = n - 2 * M - span;
            if (room < 0) {
                free(rel); cm_sim_seq_free(out);
                return cm_fail(err, "%s:%ld: module '%s' spans %lld bp here: does not fit in length %lld with margin %lld",
                               g->path, md->line, md->name, (long long)span, (long long)n, (long long)M);
            }
            int64_t off = M + draw_int(&st, 0, (long)room) - lo;
            for (int j = 0; j < md->n; j++) {
                int mo = md->motifs[rev ? md->n - 1 - j : j];
                add_site(out, off + rel[j], mo, g->motifs[mo].w, mi);
            }
            free(rel);
        }
    }
    /* 3. decoys */
    for (int d = 0; d < g->n_decoys; d++) {
        const cm_gdecoy_t *dc = &g->decoys[d];
        int w = g->motifs[dc->motif].w;
        long cnt = draw_int(&st, dc->cmin, dc->cmax);
        for (long c = 0; c < cnt; c++) {
            int64_t room = n - 2 * M - w;
            int placed = 0;
            for (int t = 0; t < 1000 && room >= 0 && !placed; t++) {
                int64_t p = M + draw_int(&st, 0, (long)room);
                if (!overlaps(out, p, p + w)) { add_site(out, p, dc->motif, w, -1); placed = 1; }
            }
            if (!placed) {
                cm_fail(err, "%s:%ld: cannot place decoy %s in %s (no free room after 1000 tries)",
                        g->path, dc->line, g->motifs[dc->motif].name, out->name);
                cm_sim_seq_free(out);
                return -1;
            }
        }
    }
    /* 4. strands and bases */
    for (int i = 0; i < out->n_sites; i++) {
        cm_sim_site_t *x = &out->sites[i];
        const cm_gmotif_t *m = &g->motifs[x->motif];
        x->strand = draw(&st) < 0.5 ? '+' : '-';
        x->llr = 0;
        for (int c = 0; c < m->w; c++) {
            int a = letter_of(m->freq + 4 * c, draw(&st));
            x->llr += m->llr[4 * c + a];
            if (x->strand == '+') out->seq[x->start + c] = cm_nt4_letter((uint8_t)a);
            else out->seq[x->start + m->w - 1 - c] = cm_nt4_letter(cm_nt4_comp((uint8_t)a));
        }
    }
    if (out->n_sites > 1) qsort(out->sites, (size_t)out->n_sites, sizeof *out->sites, by_start);
    return 0;
}

void cm_sim_write_meme(FILE *fp, const cm_grammar_t *g)
{
    fprintf(fp, "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
            "Background letter frequencies\nA %.6f C %.6f G %.6f T %.6f\n",
            g->bg[0], g->bg[1], g->bg[2], g->bg[3]);
    for (int i = 0; i < g->n_motifs; i++) {
        const cm_gmotif_t *m = &g->motifs[i];
        fprintf(fp, "\nMOTIF %s %s\nletter-probability matrix: alength= 4 w= %d nsites= 20 E= 0\n",
                m->name, m->name, m->w);
        for (int c = 0; c < m->w; c++)
            fprintf(fp, " %.6f %.6f %.6f %.6f\n", m->freq[4 * c], m->freq[4 * c + 1],
                    m->freq[4 * c + 2], m->freq[4 * c + 3]);
    }
}

static char *join(const char *dir, const char *name)
{
    char *p = cm_malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

int cm_sim_run(const cm_grammar_t *g, uint64_t seed, long n, int threads, const char *dir,
               const char *cmdline, cm_sim_counts_t *counts, cm_err_t *err)
{
    enum { F_FA, F_FAI, F_TRUTH, F_PEAKS, F_MEME, NF };
    static const char *names[NF] = { "genome.fa", "genome.fa.fai", "truth.bed", "peaks.bed", "motifs.meme" };
    memset(counts, 0, sizeof *counts);
    if (!g->has_sequences) return cm_fail(err, "%s: no 'sequences' line: nothing to simulate", g->path);
    if (n <= 0) n = g->n_seq;
    cm_out_t *o[NF] = {0};
    int rc = -1;
    for (int f = 0; f < NF; f++) {
        char *p = join(dir, names[f]);
        o[f] = cm_out_open(p, err);
        free(p);
        if (!o[f]) goto out;
    }
    counts->per_module = cm_calloc((size_t)(g->n_modules > 0 ? g->n_modules : 1), sizeof(long));
    const char *ver = "# coopmap-simulate " COOPMAP_VERSION ": ";
    fprintf(o[F_TRUTH]->fp, "%s%s\n#chrom\tstart\tend\ttf\tllr\tstrand\tmodule\n", ver, cmdline ? cmdline : "");
    fprintf(o[F_PEAKS]->fp, "%s%s\n#chrom\tstart\tend\ttf\tscore\tstrand\n", ver, cmdline ? cmdline : "");
    cm_sim_write_meme(o[F_MEME]->fp, g);
    enum { CHUNK = 256 };
    cm_sim_seq_t *buf = cm_calloc(CHUNK, sizeof *buf);
    int *brc = cm_calloc(CHUNK, sizeof *brc);
    cm_err_t *berr = cm_calloc(CHUNK, sizeof *berr);
    long long fa_off = 0;
    for (long base = 0; base < n; base += CHUNK) {
        int m = (int)(n - base < CHUNK ? n - base : CHUNK);
        #pragma omp parallel for num_threads(threads) schedule(dynamic, 8)
        for (int i = 0; i < m; i++) brc[i] = cm_sim_one(g, seed, base + i, &buf[i], &berr[i]);
        for (int i = 0; i < m; i++)
            if (brc[i]) { *err = berr[i]; for (int j = 0; j < m; j++) cm_sim_seq_free(&buf[j]); goto done; }
        for (int i = 0; i < m; i++) {
            const cm_sim_seq_t *s = &buf[i];
            fprintf(o[F_FA]->fp, ">%s\n", s->name);
            fa_off += (long long)strlen(s->name) + 2;
            fprintf(o[F_FAI]->fp, "%s\t%lld\t%lld\t60\t61\n", s->name, (long long)s->len, fa_off);
            for (int64_t p = 0; p < s->len; p += 60) {
                int w = (int)(s->len - p < 60 ? s->len - p : 60);
                fwrite(s->seq + p, 1, (size_t)w, o[F_FA]->fp);
                fputc('\n', o[F_FA]->fp);
                fa_off += w + 1;
            }
            for (int j = 0; j < s->n_sites; j++) {
                const cm_sim_site_t *x = &s->sites[j];
                const char *tf = g->motifs[x->motif].name;
                fprintf(o[F_TRUTH]->fp, "%s\t%lld\t%lld\t%s\t%.4f\t%c\t%s\n", s->name, (long long)x->start,
                        (long long)x->end, tf, x->llr, x->strand, x->module >= 0 ? g->modules[x->module].name : "decoy");
                int64_t a = x->start - g->peak_flank, b = x->end + g->peak_flank;
                fprintf(o[F_PEAKS]->fp, "%s\t%lld\t%lld\t%s\t0\t.\n", s->name, (long long)(a < 0 ? 0 : a),
                        (long long)(b > s->len ? s->len : b), tf);
                counts->sites++;
                if (x->module < 0) counts->decoys++;
            }
            if (s->module >= 0) counts->per_module[s->module]++;
            counts->seqs++;
            cm_sim_seq_free(&buf[i]);
        }
    }
    rc = 0;
done:
    free(buf); free(brc); free(berr);
out:
    /* all five files or none: renamed into place only when every one was written */
    if (rc == 0) rc = cm_out_commit_all(o, NF, err);
    else for (int f = 0; f < NF; f++) cm_out_abort(o[f]);
    return rc;
}
