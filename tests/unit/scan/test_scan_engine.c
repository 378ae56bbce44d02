/* Unit tests for fachunk.c (chunks with overlap rebuild each record) and scan_engine.c
 * (both filters give exactly the windows a brute-force column sum passes, around N
 * runs, at chunk ends, for motifs narrower and wider than the 8-mer key). */
#include "check.h"
#include "core/dna.h"
#include "seq/fachunk.h"
#include "scan/scan_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char buf[1 << 16]; size_t n; } acc_t;

static void emit(void *d, size_t start0, char strand, int iscore)
{
    acc_t *a = d;
    a->n += (size_t)snprintf(a->buf + a->n, sizeof a->buf - a->n, "%zu%c%d;", start0, strand, iscore);
}

static unsigned lcg(unsigned *s) { *s = *s * 1103515245u + 12345u; return *s >> 16; }

int main(void)
{
    /* ---- fachunk ---- */
    char path[64];
    strcpy(path, check_tmpfile("; comment\n\n>r1 first record\nACGTA CGTAC\nGTACG\n>r2\n>r3 x\nAAAAACCCCCGG\nGGGTTT\n"));
    const char *want[3] = {"ACGTACGTACGTACG", "", "AAAAACCCCCGGGGGTTT"};
    cm_err_t err = {{0}};
    cm_fachunk_t *f = cm_fachunk_open(path, 4, 3, &err);
    CHECK(f != NULL, "fachunk opens");
    char rebuilt[3][64] = {{0}};
    int nch[3] = {0}, ok = 1, rc;
    cm_chunk_t c;
    while ((rc = cm_fachunk_next(f, &c, &err)) == 1) {
        int r = (int)c.rec;
        if (r < 0 || r > 2) { ok = 0; break; }
        size_t have = strlen(rebuilt[r]);
        /* a non-first chunk starts with the last min(3, have) bases already seen */
        size_t carry = c.first ? 0 : 3;
        if (!c.first && c.start != have - carry) ok = 0;
        if (!c.first && strncmp(c.seq, rebuilt[r] + have - carry, carry) != 0) ok = 0;
        if (c.len - carry > 4) ok = 0;
        strcat(rebuilt[r], c.seq + carry);
        nch[r]++;
        if (c.last && strcmp(rebuilt[r], want[r]) != 0) ok = 0;
        if (r == 0 && strcmp(c.desc, "first record") != 0) ok = 0;
    }
    CHECK(rc == 0 && ok, "chunks with overlap rebuild every record; positions and carry right");
    CHECK(nch[0] == 4 && nch[1] == 1 && nch[2] == 5, "chunk counts 4, 1 (empty record), 5");
    cm_fachunk_close(f);
    remove(path);
    strcpy(path, check_tmpfile("ACGT\n>x\nAC\n"));
    f = cm_fachunk_open(path, 4, 3, &err);
    CHECK(cm_fachunk_next(f, &c, &err) == -1 && strstr(err.msg, ":1: sequence text before"), "text before header -> FILE:1 error");
    cm_fachunk_close(f);
    remove(path);
    strcpy(path, check_tmpfile(">  \nAC\n"));
    f = cm_fachunk_open(path, 4, 3, &err);
    CHECK(cm_fachunk_next(f, &c, &err) == -1 && strstr(err.msg, ":1: FASTA header without a name"), "nameless header -> FILE:1 error");
    cm_fachunk_close(f);
    remove(path);

    /* ---- engine vs brute force ---- */
    unsigned seed = 7;
    size_t n = 3000;
    char *seq = malloc(n + 1);
    for (size_t i = 0; i < n; i++) seq[i] = "ACGT"[lcg(&seed) & 3];
    memset(seq + 500, 'N', 40);          /* an N run */
    seq[1203] = 'n';                     /* single N */
    memcpy(seq + 2000, "TTGACTCATCAGG", 13);
    seq[n] = 0;
    unsigned char *codes = malloc(n);
    for (size_t i = 0; i < n; i++) codes[i] = cm_nt4((unsigned char)seq[i]);
    int widths[3] = {5, 8, 13};
    for (int t = 0; t < 3; t++) {
        int w = widths[t];
        cm_pssm_t fwd, rc2;
        int *mat = malloc(sizeof(int) * 4 * w);
        for (int i = 0; i < 4 * w; i++) mat[i] = (int)(lcg(&seed) % 60);
        double uni[4] = {.25, .25, .25, .25};
        cm_pssm_from_int(mat, w, 0, 1, uni, &fwd);
        cm_pssm_revcomp(&fwd, uni, &rc2);
        int thr[2] = {fwd.max_score * 7 / 10, fwd.max_score * 6 / 10};
        for (int ti = 0; ti < 2; ti++) {
            int mf = thr[ti], mr = thr[ti];
            cm_motif_t m = {0};
            m.id = "m"; m.alt = ""; m.w = w;
            cm_scanner_t sc = {0};
            sc.n = 1; sc.motifs = &m; sc.fwd = &fwd; sc.rc = &rc2; sc.min_fwd = &mf; sc.min_rc = &mr;
            /* brute force, chunk ending at 2500 (not the last chunk of its record: starts
             * < 2500 − 13 + 1 for wmax 13) */
            size_t lim = 2500 - 13 + 1;
            acc_t bf = {{0}, 0};
            for (size_t i = 0; i < lim; i++) {
                int sf = 0, sr = 0, bad = 0;
                for (int j = 0; j < w; j++) {
                    if (codes[i + j] > 3) { bad = 1; break; }
                    sf += fwd.mat[j * 4 + codes[i + j]];
                    sr += rc2.mat[j * 4 + codes[i + j]];
                }
                if (bad) continue;
                if (sf >= mf) emit(&bf, i, '+', sf);
                if (sr >= mr) emit(&bf, i, '-', sr);
            }
            for (int method = 1; method <= 2; method++) {
                cm_engine_t e;
                cm_engine_init(&e, &sc, method, 1);
                cm_chunkws_t ws = {0};
                cm_chunkws_prepare(&ws, &e, seq, 2500);
                acc_t got = {{0}, 0};
                cm_engine_scan(&e, &sc, 0, &ws, lim, emit, &got);
                char name[128];
                snprintf(name, sizeof name, "w=%d thr=%d %s: same hits as brute force (%zu bytes)", w, thr[ti],
                         method == 1 ? "k-mer" : "lookahead", bf.n);
                CHECK(bf.n > 0 && strcmp(got.buf, bf.buf) == 0, name);
                if (method == 1) CHECK(e.f[0].bucket && e.f[0].nkeys > 0 && e.f[0].nkeys < 65536, "k-mer list built");
                cm_chunkws_free(&ws);
                cm_engine_free(&e);
            }
            acc_t lin = {{0}, 0};
            cm_scan_range(&sc, 0, codes, 2500, 0, lim, emit, &lin);
            CHECK(strcmp(lin.buf, bf.buf) == 0, "cm_scan_range agrees");
        }
        cm_pssm_free(&fwd);
        cm_pssm_free(&rc2);
        free(mat);
    }
    /* a chunk without any ACGT letter has no runs, whatever the chunk before had (the
     * tested-window count of the q-values reads them) */
    {
        cm_engine_t e = {0};
        cm_chunkws_t ws = {0};
        cm_chunkws_prepare(&ws, &e, "ACGTNACG", 8);
        CHECK(ws.nruns == 2 && ws.rs[1] == 5 && ws.re[1] == 8, "runs [0,4) and [5,8)");
        cm_chunkws_prepare(&ws, &e, "NNNN", 4);
        CHECK(ws.nvalid == 0 && ws.nruns == 0, "all-N chunk after another: no runs");
        cm_chunkws_free(&ws);
    }
    free(seq);
    free(codes);
    return check_status();
}
