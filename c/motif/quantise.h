/* quantise.h — FIMO's integer scaling of a real-valued score matrix
 * (COMPAT.md FIMO scoring item 4; Tomtom uses the same routine with range 100).
 *
 *   offset = floor(min S),  scale = floor(range / (max S − offset)),
 *   Z = nint((S − offset) · scale)     (nint = round half away from zero)
 *
 * so Z is in 0..range.  A real score is recovered as Z / scale + offset per cell. */
#ifndef COOPMAP_QUANTISE_H
#define COOPMAP_QUANTISE_H

/* Quantise the n values S[0..n-1] into Z[0..n-1]; writes *offset and *scale.
 * When all values are equal the minimum is taken as max S − 1 first (as MEME's
 * scale_score_matrix does).  When the values span more than `range` the scale is 0
 * and every Z is 0 (MEME's behaviour too).  n must be > 0. */
void cm_quantise(const double *S, int n, int range, int *Z, double *offset, double *scale);

#endif
