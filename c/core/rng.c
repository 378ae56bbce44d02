/* rng.c — see rng.h. */
#include "core/rng.h"

#define CM_GOLDEN UINT64_C(0x9E3779B97F4A7C15)

uint64_t cm_rng_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

uint64_t cm_rng_key(uint64_t key, uint64_t field)
{
    return cm_rng_mix(cm_rng_mix(key + CM_GOLDEN) ^ field);
}

uint64_t cm_rng_hash_str(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(0x100000001b3);
    }
    return cm_rng_mix(h);
}

uint64_t cm_rng_u64(uint64_t key, uint64_t ctr)
{
    return cm_rng_mix(key + (ctr + 1) * CM_GOLDEN);
}

uint32_t cm_rng_below(uint64_t key, uint64_t ctr, uint32_t n)
{
    uint64_t r = cm_rng_u64(key, ctr) >> 32;
    return (uint32_t)((r * n) >> 32);
}

double cm_rng_double(uint64_t key, uint64_t ctr)
{
    return (double)(cm_rng_u64(key, ctr) >> 11) * (1.0 / 9007199254740992.0);
}
