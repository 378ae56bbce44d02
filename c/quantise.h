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
 * When max S == offset (all values equal an integer) the scale is `range`
 * (every Z is 0).  n must be > 0. */
void cm_quantise(const double *S, int n, int range, int *Z, double *offset, double *scale);

#endif
