/* grammar.h — the grammar file: motifs built from IUPAC consensus sequences, a
 * transparent sequence model (PWM occupancy per TF head plus pairwise cooperativity
 * terms) and the plan of a simulation (coopmap-simulate, simulate.h).
 *
 * One file describes both the planted truth and the model that scores it, so a demo
 * or a benchmark has one source of ground truth.  Full description: docs/grammar.md.
 *
 * File ("coopmap-grammar 1"): plain text (gzip ok), one statement per line, '#'
 * starts a comment, blank lines are skipped, tokens are separated by blanks and
 * options are KEY=VALUE tokens in any order:
 *
 *   coopmap-grammar 1                               first line, exactly
 *   input_length L                                  model window, bp (model only)
 *   background A C G T                              log-odds background [uniform]
 *   motif NAME CONSENSUS [purity=P] [conc=K] [min_frac=F]
 *   head NAME [motif=MOTIF] [bias=B] [slope=S] [occupancy=thermo|sum]
 *   coop HEAD MOTIF C [kernel=gauss:SIGMA|exp:LAMBDA|box:DMIN-DMAX|flat]
 *   sequences count=N length=LEN [margin=M] [composition=A,C,G,T] [prefix=P]
 *   module NAME [weight=W] [motifs=M1,M2,...] [spacing=MIN-MAX] [order=random|fixed]
 *   decoy MOTIF count=MIN-MAX
 *   peaks [flank=F]
 *
 * Motif.  CONSENSUS is IUPAC DNA (ACGT RYSWKM BDHV N).  Column i gives probability
 * P / |S| to each letter of the letter set S of CONSENSUS[i] and (1 − P) / (4 − |S|)
 * to the others (N: 0.25 each); purity P in (0.25, 1], default 0.91.  Log-odds are
 * natural-log: llr[i][a] = ln(f[i][a] / bg[a]) (−inf when f = 0).
 *
 * Model (kind "grammar").  For motif m and window position p (0-based start of the
 * motif, 0 <= p <= L − w), the strand log-odds are LLR+(p) = Σ_k llr[k][x(p+k)] and
 * LLR−(p) the same for the reverse complement; a strand counts only when its LLR >=
 * min_frac · LLRmax (LLRmax = Σ_k max_a llr[k][a]; min_frac default 0.7) and no base of
 * the site is N.  Site strength s(p) = Σ over counted strands of exp(LLR), and the
 * per-position bound probability (thermodynamic, one binding mode per strand) is
 *   π_m(p) = K·s(p) / (1 + K·s(p)),
 * with concentration K = conc (default 9·exp(−LLRmax): a perfect consensus site on
 * one strand is bound with probability 0.9).  Head h with motif m has occupancy
 *   O_h = Σ_p π_m(p)            (occupancy=thermo, the default)
 *   O_h = K · Σ_p s(p)          (occupancy=sum: Σ over sites and strands of exp(LLR),
 *                                scaled by K; the low-concentration limit)
 * and logit
 *   logit_h = bias + slope · ln(1 + O_h)
 *             + Σ_{coop lines (h, t, c, f)} c · Σ_{p, q} π_m(p) · π_t(q) · f(d(p, q))
 * over every position p of h's motif and q of motif t whose sites do not overlap
 * ([p, p+w_m) ∩ [q, q+w_t) = ∅), d = |centre_p − centre_q| with centre = p + w/2 (bp).
 * c > 0 is cooperative (a site of t raises h's binding), c < 0 competitive.  Kernels:
 * gauss:σ  f = exp(−d²/(2σ²));  exp:λ  f = exp(−d/λ);  box:a-b  f = 1 for a <= d <= b,
 * else 0;  flat  f = 1.  Default bias −2, slope 3.  The prediction is the logit; coopmap-ism
 * reports sigmoid(logit) as the binding probability.  Knocking out a site of t therefore
 * changes head h by the sign of c (the ground truth of the demo).
 *
 * Simulation (coopmap-simulate): see simulate.h for the generative process.
 *
 * Errors: "FILE:LINE: what" (unknown statement or option, bad number, unknown motif
 * or head, repeated name, unusable IUPAC letter, purity out of range, ...).
 */
#ifndef COOPMAP_GRAMMAR_H
#define COOPMAP_GRAMMAR_H

#include <stdint.h>
#include "core/error.h"
#include "model/model.h"

#define CM_GRAMMAR_MAGIC "coopmap-grammar"
#define CM_GRAMMAR_VERSION 1

/* Distance kernel f(d), d in bp (>= 0). */
typedef enum { CM_KERNEL_FLAT = 0, CM_KERNEL_BOX, CM_KERNEL_GAUSS, CM_KERNEL_EXP } cm_kernel_kind_t;

typedef struct {
    cm_kernel_kind_t kind;
    double a, b;          /* box: [a, b]; gauss: σ = a; exp: λ = a (a, b > 0 where used) */
} cm_kernel_t;

/* f(d) as defined above. */
double cm_kernel_eval(const cm_kernel_t *k, double d);

/* A motif of the grammar. */
typedef struct {
    char *name;           /* TF label, e.g. "ELF1" (also the MEME MOTIF id and alt name) */
    char *consensus;      /* IUPAC consensus as written (upper case) */
    int w;                /* width, bp */
    double purity;        /* probability mass on the consensus letters per column */
    double *freq;         /* w × 4 probabilities, row-major (A, C, G, T) */
    double *llr;          /* w × 4 natural-log log-odds vs the background (may be −inf) */
    double llr_max;       /* Σ_i max_a llr[i][a] */
    double min_frac;      /* strand counts when LLR >= min_frac · llr_max */
    double thresh;        /* = min_frac · llr_max */
    double conc;          /* K (see above) */
    long line;
} cm_gmotif_t;

/* A model head. */
typedef struct {
    char *name;
    int motif;            /* index into motifs */
    double bias, slope;
    int sum_mode;         /* 1 = occupancy=sum */
    long line;
} cm_ghead_t;

/* A pairwise term: head `head` reads sites of motif `motif` with coefficient c. */
typedef struct {
    int head, motif;
    double c;
    cm_kernel_t kernel;
    long line;
} cm_gcoop_t;

/* A module of co-planted motifs (simulation). */
typedef struct {
    char *name;
    double weight;        /* relative probability that a sequence carries this module */
    int n;                /* motifs in the module (0 = background-only sequences) */
    int *motifs;          /* n motif indices, in listed order */
    int smin, smax;       /* centre-to-centre spacing of consecutive motifs, bp, inclusive */
    int random_order;     /* 1 = the listed order is reversed with probability 1/2 */
    long line;
} cm_gmodule_t;

/* Decoy motifs planted at random positions (simulation). */
typedef struct {
    int motif;
    int cmin, cmax;       /* count per sequence, uniform in [cmin, cmax] */
    long line;
} cm_gdecoy_t;

/* A parsed grammar file. */
typedef struct {
    char *path;
    int L;                /* input_length, 0 if not given */
    double bg[4];         /* log-odds background (sums to 1) */
    int n_motifs;   cm_gmotif_t *motifs;
    int n_heads;    cm_ghead_t *heads;
    int n_coop;     cm_gcoop_t *coop;
    /* simulation plan */
    int has_sequences;    /* 1 if a "sequences" line was given */
    long n_seq;           /* sequences count */
    int64_t seq_len;      /* length of every sequence, bp */
    int64_t margin;       /* planted sites keep this far from both ends, bp [0] */
    double comp[4];       /* base composition of the i.i.d. background [= bg] */
    char *prefix;         /* sequence names are PREFIX1, PREFIX2, ... zero-padded ["seq"] */
    int n_modules;  cm_gmodule_t *modules;
    int n_decoys;   cm_gdecoy_t *decoys;
    int64_t peak_flank;   /* peaks extend planted sites by this many bp on each side [50] */
} cm_grammar_t;

/* Probability row of IUPAC letter c with purity P (see above) into row[4].
 * Returns 0, or -1 if c is not an IUPAC DNA letter (either case). */
int cm_iupac_row(char c, double purity, double row[4]);

/* Read and check a grammar file.  Returns 0, or -1 with err "PATH:LINE: what"
 * (g then holds nothing to free). */
int cm_grammar_read(const char *path, cm_grammar_t *g, cm_err_t *err);

/* Free everything and zero g; NULL-safe. */
void cm_grammar_free(cm_grammar_t *g);

/* Index of motif / head NAME (case-insensitive), or -1. */
int cm_grammar_motif(const cm_grammar_t *g, const char *name);
int cm_grammar_head(const cm_grammar_t *g, const char *name);

/* 1 if the file PATH begins with "coopmap-grammar" (plain text only), else 0. */
int cm_grammar_sniff(const char *path);

/* Log-odds of motif m on one strand at window position p of codes[0..L): strand 0 =
 * forward, 1 = reverse complement.  −inf if a base is N (code >= 4). */
double cm_grammar_site_llr(const cm_gmotif_t *m, const uint8_t *codes, int p, int strand);

/* Bound probabilities π_m(p) of motif m for p = 0 .. L − w (pi must hold L entries; the
 * tail is set to 0) and Σ_p s(p) in *sum_s (may be NULL).  L < w gives all zeros. */
void cm_grammar_occupancy(const cm_gmotif_t *m, const uint8_t *codes, int L, double *pi,
                          double *sum_s);

/* Logits of every head for one window of L codes (L need not equal g->L): logits[h],
 * h = 0 .. n_heads − 1, in double precision.  Reentrant. */
void cm_grammar_logits(const cm_grammar_t *g, const uint8_t *codes, int L, double *logits);

/* Load PATH as a model (kind "grammar", model.h interface).  Requires input_length and
 * at least one head.  NULL with err on failure. */
cm_model_t *cm_grammar_model_load(const char *path, cm_err_t *err);

#endif
