/* rng.h — counter-based random numbers (no state, no global mutable state).
 *
 * Every random value is a pure function of a key and a counter, so a result never
 * depends on thread count, batch size, sharding or processing order (DESIGN.md,
 * cross-cutting rules: Determinism).  The generator is SplitMix64's finaliser
 * (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators"),
 * applied to key + counter·φ, where φ = 0x9E3779B97F4A7C15 — i.e. exactly the
 * SplitMix64 stream of seed `key`, addressed by position instead of advanced.
 *
 * Keys are built by chaining cm_rng_key(prev, field) over the fields that
 * identify a draw (seed, kind, item id, knockout, draw number); strings such as a
 * pair id are reduced first with cm_rng_hash_str.
 */
#ifndef COOPMAP_RNG_H
#define COOPMAP_RNG_H

#include <stdint.h>

/* SplitMix64 finaliser: a bijective 64-bit mix. */
uint64_t cm_rng_mix(uint64_t x);

/* Combine a key with one more field; order of fields matters. */
uint64_t cm_rng_key(uint64_t key, uint64_t field);

/* 64-bit hash of a NUL-terminated string (FNV-1a, then mixed). */
uint64_t cm_rng_hash_str(const char *s);

/* The ctr-th 64-bit value of the stream keyed by key (ctr = 0, 1, 2, ...). */
uint64_t cm_rng_u64(uint64_t key, uint64_t ctr);

/* Uniform integer in [0, n), n >= 1 (multiply-shift on the top 32 bits;
 * exact for n a power of two, bias < n/2^32 otherwise). */
uint32_t cm_rng_below(uint64_t key, uint64_t ctr, uint32_t n);

/* Uniform double in [0, 1) with 53 random bits. */
double cm_rng_double(uint64_t key, uint64_t ctr);

#endif
