/* scan_engine.h — the scanning engine of coopmap-scan: exact integer-score thresholds
 * (scan.h) evaluated with filters so that most windows cost almost nothing.
 *
 * Per motif and strand, two methods, chosen once from the motif (results identical):
 *   bucket  The chunk's positions are indexed by their 8-mer (counting sort, once per
 *           chunk for all motifs).  For the motif, the 8 consecutive columns at offset
 *           o that reject the most background mass are chosen, and the 8-mers x whose
 *           bound score_o(x) + Σ_{other columns} max ≥ threshold are listed (a k-mer
 *           table of the windows that can still reach the threshold).  Only windows
 *           whose 8-mer at o is listed are scored (fully, with lookahead); every other
 *           window is rejected without being touched.  Motifs narrower than 8 use their
 *           w columns (the key's other bases are free).
 *   linear  Every window: two 4-column lookup blocks inline, then MOODS-style lookahead
 *           (blocks visited most-selective first, stop when the threshold is out of
 *           reach).  Used when the listed 8-mers would cover more than
 *           CM_BUCKET_MAX_FRAC of the background mass (weak motifs, lax thresholds).
 * Windows containing a non-ACGT letter are skipped in O(1) per run of such letters
 * (next-N table), not per letter.
 *
 * A reported hit always has its exact integer score (the plain column sum), so the
 * method never changes output.  All tables are built once (cm_engine_init) and only
 * read afterwards: thread-safe.
 */
#ifndef COOPMAP_SCAN_ENGINE_H
#define COOPMAP_SCAN_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "scan/scan.h"

#define CM_KMER 8
#define CM_BUCKET_MAX_FRAC 0.5

/* Lookahead blocks of one strand matrix (layout documented in scan_engine.c). */
typedef struct {
    int nb, t;           /* number of 4-column blocks; threshold integer score */
    int *tab, *off, *rest;   /* nb × 256 block tables, first columns, rest-of-motif maxima */
} cm_look_t;

/* The filter of one motif strand (built by cm_engine_init, read-only afterwards). */
typedef struct {
    int on;              /* strand scanned and its threshold reachable */
    int bucket;          /* 1 = bucket method, 0 = linear */
    int koff;            /* 8-mer offset o in the window (bucket) */
    double frac;         /* background mass of the listed 8-mers */
    uint16_t *keys;      /* listed 8-mers, ascending (bucket) */
    size_t nkeys;
    cm_look_t look;
} cm_strand_filter_t;

/* The engine of a scanner: one filter per motif strand. */
typedef struct {
    int n;                   /* motifs */
    int wmax;                /* widest motif (columns) */
    int any_bucket;          /* some strand uses the bucket method: chunks get an 8-mer index */
    int own_code;            /* 1: letters map through code[] (a non-DNA alphabet, e.g.
                              * RNA: U and T are letter 3), else cm_nt4 (DNA) */
    unsigned char code[256]; /* letter → 0..3, 4 = not a core letter (K = 4); with
                              * generic, 0..K-1 and 255 */
    int generic, k;          /* generic: a K != 4 alphabet (k letters), scanned by the
                              * plain K-letter window sum (no filters, no packed codes);
                              * chunk workspaces then hold only codes, nn and runs */
    cm_strand_filter_t *f;   /* 2n: motif k forward at 2k, reverse complement at 2k+1 */
} cm_engine_t;

/* Build the filters of every motif strand of sc (the thresholds sc->min_fwd/min_rc;
 * a strand is off when norc or its threshold exceeds its max score), in parallel
 * with `threads` OpenMP threads.  method: 0 = choose per motif (above), 1 = bucket
 * for all, 2 = linear for all.  Never fails.  cm_engine_free frees (NULL-safe). */
void cm_engine_init(cm_engine_t *e, const cm_scanner_t *sc, int method, int threads);
/* cm_engine_init, with side(side_arg) run meanwhile by one of the threads (which then
 * joins the build): work that does not need the engine, such as reading the first
 * sequences (scan.c).  side NULL: cm_engine_init.  With 1 thread side runs first. */
void cm_engine_init_beside(cm_engine_t *e, const cm_scanner_t *sc, int method, int threads,
                           void (*side)(void *), void *side_arg);
void cm_engine_free(cm_engine_t *e);

/* Per-thread workspace for one chunk of sequence. */
typedef struct {
    size_t len, cap;
    unsigned char *codes;    /* nt4 codes */
    unsigned char *pk;       /* packed 4-mer at each position (bases past len = A) */
    uint32_t *nn;            /* nn[i] = first position >= i with a non-ACGT letter, or len */
    uint32_t *kstart;        /* 65537 bucket starts */
    uint32_t *kpos;          /* indexed positions, grouped by 8-mer, ascending within */
    size_t nvalid;           /* ACGT letters in the chunk */
    uint32_t *rs, *re;       /* maximal runs of ACGT letters: [rs[r], re[r]) */
    size_t nruns, rcap;
    uint64_t *hk;            /* bucket-mode hits of one motif: (start << 1 | strand) ... */
    int *hs;                 /* ... and their integer scores */
    size_t nh, hcap;
} cm_chunkws_t;

/* Prepare ws for seq[0..len-1] (codes, packed 4-mers, next-N table, ACGT runs; the
 * 8-mer index when e->any_bucket).  Zero-initialise ws before the first call; it is
 * reused (grown as needed) from chunk to chunk.  len < 2^32. */
void cm_chunkws_prepare(cm_chunkws_t *ws, const cm_engine_t *e, const char *seq, size_t len);
void cm_chunkws_free(cm_chunkws_t *ws);

/* Scan motif k over window starts [0, lim) of the prepared chunk (lim <= len − w + 1);
 * emit(data, start0, '+'|'-', iscore) in position order, '+' before '-'.  Writes only
 * ws's bucket scratch (hk, hs, nh, hcap); everything else is read, so threads may scan
 * one prepared chunk at once, each through its own copy of *ws with its own scratch
 * (as scan.c's last-batch pipeline does). */
void cm_engine_scan(const cm_engine_t *e, const cm_scanner_t *sc, int k, cm_chunkws_t *ws,
                    size_t lim, void (*emit)(void *, size_t, char, int), void *data);

/* Lookahead tables for strand matrix p and threshold t (also used by cm_scan_range). */
void cm_look_init(cm_look_t *L, const cm_pssm_t *p, int t);
void cm_look_free(cm_look_t *L);

/* The linear method over window starts [from, to) (to <= len − w + 1) of a sequence
 * given its packed 4-mers pk and its ACGT runs [rs[r], re[r]) (ascending); windows
 * outside the runs cost nothing.  Either look may be NULL (strand off). */
void cm_linear_scan(const cm_look_t *lf, const cm_look_t *lr, int w, const unsigned char *pk,
                    const uint32_t *rs, const uint32_t *re, size_t nruns, size_t from, size_t to,
                    void (*emit)(void *, size_t, char, int), void *data);

#endif
