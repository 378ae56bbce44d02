/* mt19937.c — see mt19937.h.  Written from the published algorithm (Matsumoto &
 * Nishimura 1998, ACM TOMACS 8:3–30): twist with matrix A = 0x9908b0df, tempering
 * masks 0x9d2c5680 / 0xefc60000, shifts 11, 7, 15, 18. */
#include "core/mt19937.h"

#define MT_M 397
#define MT_MATRIX_A 0x9908b0dfu
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7fffffffu

void cm_mt_seed(cm_mt19937_t *r, uint32_t seed)
{
    r->mt[0] = seed;
    for (int i = 1; i < CM_MT_N; i++) r->mt[i] = 69069u * r->mt[i - 1];
    r->mti = CM_MT_N;
}

static void twist(cm_mt19937_t *r)
{
    uint32_t *mt = r->mt, y;
    int k;
    for (k = 0; k < CM_MT_N - MT_M; k++) {
        y = (mt[k] & MT_UPPER) | (mt[k + 1] & MT_LOWER);
        mt[k] = mt[k + MT_M] ^ (y >> 1) ^ ((y & 1u) ? MT_MATRIX_A : 0u);
    }
    for (; k < CM_MT_N - 1; k++) {
        y = (mt[k] & MT_UPPER) | (mt[k + 1] & MT_LOWER);
        mt[k] = mt[k + (MT_M - CM_MT_N)] ^ (y >> 1) ^ ((y & 1u) ? MT_MATRIX_A : 0u);
    }
    y = (mt[CM_MT_N - 1] & MT_UPPER) | (mt[0] & MT_LOWER);
    mt[CM_MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ ((y & 1u) ? MT_MATRIX_A : 0u);
    r->mti = 0;
}

uint32_t cm_mt_u32(cm_mt19937_t *r)
{
    if (r->mti >= CM_MT_N) twist(r);
    uint32_t y = r->mt[r->mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

double cm_mt_double(cm_mt19937_t *r)
{
    uint64_t a = cm_mt_u32(r);
    uint64_t b = cm_mt_u32(r);
    return (double)(a << 32 | b) * 0x1p-64;
}

void cm_mt_doubles(cm_mt19937_t *r, double *out, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (r->mti >= CM_MT_N - 1) {   /* block boundary inside the pair: the slow path */
            out[i++] = cm_mt_double(r);
            continue;
        }
        /* whole pairs left in this block */
        size_t m = (size_t)(CM_MT_N - r->mti) / 2;
        if (m > n - i) m = n - i;
        const uint32_t *mt = r->mt + r->mti;
        double *o = out + i;
        #pragma omp simd
        for (size_t j = 0; j < m; j++) {   /* lanes independent: same numbers */
            uint32_t a = mt[2 * j], b = mt[2 * j + 1];
            a ^= a >> 11;
            a ^= (a << 7) & 0x9d2c5680u;
            a ^= (a << 15) & 0xefc60000u;
            a ^= a >> 18;
            b ^= b >> 11;
            b ^= (b << 7) & 0x9d2c5680u;
            b ^= (b << 15) & 0xefc60000u;
            b ^= b >> 18;
            /* a·2^32 + b rounded once to double: the same value as converting the
             * 64-bit integer (a << 32 | b) directly, without its sign-bit branch */
            o[j] = ((double)a * 4294967296.0 + (double)b) * 0x1p-64;
        }
        r->mti += (int)(2 * m);
        i += m;
    }
}
