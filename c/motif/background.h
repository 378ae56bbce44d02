/* background.h — 0-order background letter frequencies and motif pseudocounts,
 * as FIMO and Tomtom 5.5.8 compute them (COMPAT.md FIMO scoring items 1–2, and
 * "Tomtom comparison", first bullet).  Letter order A, C, G, T. */
#ifndef COOPMAP_BACKGROUND_H
#define COOPMAP_BACKGROUND_H

#include "core/error.h"
#include "motif/motif.h"

/* The non-redundant protein database (NRDB) DNA frequencies FIMO uses by default:
 * A .281774, C .222020, G .228876, T .267330 (before cm_bg_finish). */
extern const double CM_BG_NRDB[4];

/* Resolve a --bfile specification into raw frequencies bg[4] (before finishing):
 *   "--nrdb--" (or NULL)  the NRDB frequencies above;
 *   "--uniform--"         0.25 each;
 *   "--motif--"           the motif file's background (uniform if it has none);
 *   anything else         a MEME background file: 0-order Markov lines "A 0.3"
 *                         (order-k lines with longer words and '#' comments are
 *                         skipped; all four letters required).
 * Returns 0, or -1 with err "FILE:LINE: what". */
int cm_bg_resolve(const char *spec, const cm_motifset_t *motifs, double bg[4], cm_err_t *err);

/* Finish a background as FIMO/Tomtom do: if symmetrise, average each letter with its
 * complement (A,T and C,G); then add 5e-7 to every letter and renormalise to sum 1.
 * NRDB finished with symmetrise=1 gives A = T ≈ 0.274552, C = G ≈ 0.225448. */
void cm_bg_finish(double bg[4], int symmetrise);

/* Apply the motif pseudocount: out[i*4+a] = (f·n + pseudo·bg[a]) / (n + pseudo) with
 * n = (int)m->nsites (truncated, COMPAT.md item 2).  out is m->w × 4, row-major. */
void cm_motif_pseudocount(const cm_motif_t *m, const double bg[4], double pseudo, double *out);

#endif
