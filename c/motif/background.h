/* background.h — 0-order background letter frequencies and motif pseudocounts,
 * as FIMO and Tomtom 5.5.8 compute them (COMPAT.md FIMO scoring items 1–2, and
 * "Tomtom comparison", first bullet).  Arrays hold K entries in the alphabet's core
 * order (motif.h, alphabet.h); for DNA, K = 4 and the order is A, C, G, T. */
#ifndef COOPMAP_BACKGROUND_H
#define COOPMAP_BACKGROUND_H

#include "core/error.h"
#include "motif/motif.h"

/* The non-redundant protein database (NRDB) DNA frequencies FIMO uses by default:
 * A .281774, C .222020, G .228876, T .267330 (before cm_bg_finish). */
extern const double CM_BG_NRDB[4];

/* Resolve a --bfile specification into raw frequencies bg[0..K-1] (before finishing),
 * K = motifs->alph.k (4, DNA, when motifs is NULL); bg must hold K entries:
 *   "--nrdb--" (or NULL)  the NRDB frequencies above for the built-in DNA alphabet
 *                         (MEME's NRDB protein frequencies for protein); any other
 *                         alphabet has none, so, as FIMO/Tomtom 5.5.8 do, the motif
 *                         file's background is used (uniform if it has none);
 *   "--uniform--"         1/K each;
 *   "--motif--"           the motif file's background (uniform if it has none);
 *   anything else         a MEME background file: 0-order Markov lines "A 0.3"
 *                         (order-k lines with longer words and '#' comments are
 *                         skipped; every core letter required, letters mapped
 *                         through the alphabet: aliases, case); each frequency a number in
 *                         [0, 1] (a larger one is not a frequency, and once the
 *                         background is finished it would leave the other letters
 *                         too small for finite log-odds).
 * Returns 0, or -1 with err "FILE:LINE: what". */
int cm_bg_resolve(const char *spec, const cm_motifset_t *motifs, double *bg, cm_err_t *err);

/* cm_bg_finish over alphabet al's K letters: symmetrise averages two-way complement
 * pairs (cm_alph_symmetrise; a no-op for RNA and protein); then +5e-7 and renormalise.
 * Identical to cm_bg_finish for DNA (and for al NULL). */
void cm_bg_finish_alph(const cm_alph_t *al, double *bg, int symmetrise);

/* Finish a background as FIMO/Tomtom do: if symmetrise, average each letter with its
 * complement (A,T and C,G); then add 5e-7 to every letter and renormalise to sum 1.
 * NRDB finished with symmetrise=1 gives A = T ≈ 0.274552, C = G ≈ 0.225448. */
void cm_bg_finish(double bg[4], int symmetrise);

/* Apply the motif pseudocount: out[i*K+a] = (f·n + pseudo·bg[a]) / (n + pseudo) with
 * n = (int)m->nsites (truncated, COMPAT.md item 2; an nsites beyond INT_MAX counts as
 * INT_MAX instead of overflowing the conversion), K = cm_motif_k(m).  out is
 * m->w × K, row-major; bg has K entries. */
void cm_motif_pseudocount(const cm_motif_t *m, const double *bg, double pseudo, double *out);

#endif
