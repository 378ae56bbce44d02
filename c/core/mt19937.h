/* mt19937.h — the original (1998) Mersenne Twister MT19937 of Matsumoto & Nishimura,
 * as a value type: the whole generator state lives in a cm_mt19937_t that the caller
 * owns and passes around (no global state, so independent streams can coexist).
 *
 * Seeding is the 1998 `sgenrand(seed)` of mt19937.c: mt[0] = seed and
 * mt[i] = 69069 · mt[i−1] mod 2^32 (Knuth, TAOCP vol. 2, 2nd ed., p. 102, line 25).
 * Default seed 4357, as FIMO/Tomtom use (COMPAT.md FIMO scoring item 11).  Doubles
 * are made from two successive 32-bit outputs a, b as ((uint64)a << 32 | b) · 2^-64.
 *
 * Which seeding: the 1998 integer variant (mt19937int.c) fills each word from the
 * high halves of two steps of x ← 69069·x + 1 instead.  Tomtom 5.5.8's q-values were
 * reproduced with the multiplicative fill above (107 of 108 reference queries exact,
 * the last differing by an unrelated NaN) and not with the halves fill (82 of 108),
 * so the multiplicative fill is the one implemented.  Neither is the 2002
 * `init_genrand` (multiplier 1812433253) of C++ std::mt19937 / numpy.
 */
#ifndef COOPMAP_MT19937_H
#define COOPMAP_MT19937_H

#include <stddef.h>
#include <stdint.h>

#define CM_MT_N 624
#define CM_MT_DEFAULT_SEED 4357u

/* Generator state.  Initialise with cm_mt_seed before use. */
typedef struct {
    uint32_t mt[CM_MT_N];  /* state vector */
    int mti;               /* next word to temper; CM_MT_N means "regenerate first" */
} cm_mt19937_t;

/* Seed as the 1998 sgenrand(seed) does (seed 0 gives an all-zero state: do not). */
void cm_mt_seed(cm_mt19937_t *r, uint32_t seed);

/* Next tempered 32-bit output (the 1998 genrand() before its conversion to double). */
uint32_t cm_mt_u32(cm_mt19937_t *r);

/* Next double from two outputs a, b: ((uint64)a << 32 | b) · 2^-64, in [0, 1]
 * (the uint64 → double conversion rounds, so 1.0 is possible with probability ~2^-54;
 * callers that index arrays must clamp). */
double cm_mt_double(cm_mt19937_t *r);

/* n successive cm_mt_double values into out[0..n-1] (the same numbers, faster). */
void cm_mt_doubles(cm_mt19937_t *r, double *out, size_t n);

#endif
