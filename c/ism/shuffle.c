/* shuffle.c — see shuffle.h. */
#include "ism/shuffle.h"
#include "core/error.h"
#include "core/rng.h"

#include <stdlib.h>
#include <string.h>

/* Shuffle one run r[0..n) of A/C/G/T codes; *ctr is the next RNG counter.
 * edge[v][0..deg[v]) are the successors of v; scratch holds 4 × n bytes. */
static void shuffle_run(uint8_t *r, int n, uint64_t key, uint64_t *ctr, uint8_t *scratch)
{
    if (n <= 2) return;
    uint8_t *edge[4];
    int deg[4] = { 0, 0, 0, 0 }, used[4] = { 0, 0, 0, 0 };
    for (int v = 0; v < 4; v++) edge[v] = scratch + (size_t)v * n;
    for (int i = 0; i + 1 < n; i++) edge[r[i]][deg[r[i]]++] = r[i + 1];
    const int first = r[0], last = r[n - 1];
    /* step 2: last edges forming a random arborescence towards `last` (Wilson) */
    int intree[4] = { 0, 0, 0, 0 }, next[4] = { -1, -1, -1, -1 };
    intree[last] = 1;
    for (int u = 0; u < 4; u++) {
        if (deg[u] == 0) continue;
        for (int v = u; !intree[v]; v = edge[v][next[v]])
            next[v] = (int)cm_rng_below(key, (*ctr)++, (uint32_t)deg[v]);
        for (int v = u; !intree[v]; v = edge[v][next[v]]) intree[v] = 1;
    }
    /* step 3: move the last edge to the end, shuffle the others (Fisher-Yates) */
    for (int v = 0; v < 4; v++) {
        int m = deg[v];
        if (m == 0) continue;
        if (v != last) {
            uint8_t t = edge[v][next[v]];
            edge[v][next[v]] = edge[v][m - 1];
            edge[v][m - 1] = t;
            m--;
        }
        for (int i = m - 1; i > 0; i--) {
            int j = (int)cm_rng_below(key, (*ctr)++, (uint32_t)(i + 1));
            uint8_t t = edge[v][i];
            edge[v][i] = edge[v][j];
            edge[v][j] = t;
        }
    }
    /* step 4: the walk */
    int v = first;
    r[0] = (uint8_t)v;
    for (int i = 1; i < n; i++) {
        v = edge[v][used[v]++];
        r[i] = (uint8_t)v;
    }
}

void cm_dinuc_shuffle(uint8_t *s, int n, uint64_t key)
{
    if (n <= 2) return;
    uint8_t *scratch = cm_malloc((size_t)4 * n);
    uint64_t ctr = 0;
    for (int i = 0; i < n;) {
        if (s[i] > 3) { i++; continue; }
        int j = i;
        while (j < n && s[j] <= 3) j++;
        shuffle_run(s + i, j - i, key, &ctr, scratch);
        i = j;
    }
    free(scratch);
}
