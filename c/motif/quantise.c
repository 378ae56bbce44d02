/* quantise.c — see quantise.h. */
#include "motif/quantise.h"
#include <math.h>

void cm_quantise(const double *S, int n, int range, int *Z, double *offset, double *scale)
{
    double mn = S[0], mx = S[0];
    for (int i = 1; i < n; i++) {
        if (S[i] < mn) mn = S[i];
        if (S[i] > mx) mx = S[i];
    }
    if (mx == mn) mn = mx - 1;   /* all entries equal (MEME's scale_score_matrix) */
    double off = floor(mn);
    double sc = floor(range / (mx - off));
    for (int i = 0; i < n; i++) Z[i] = (int)round((S[i] - off) * sc);
    *offset = off;
    *scale = sc;
}
