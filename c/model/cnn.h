/* cnn.h — built-in forward pass of PyTorch-trained CNNs (inference / eval mode).
 *
 * Architectures (cm_cnn_arch_t):
 *   CM_CNN_EXPLAINN — ExplaiNN (Novakovsky et al., Genome Biology 2023): U independent
 *     units, each one filter of width K over one-hot A,C,G,T, BatchNorm, exp, max-pool,
 *     two per-unit fully connected layers with BatchNorm + ReLU, then a linear layer
 *     to O outputs.  Exactly steps 1–9 of ARCHITECTURE.md
 *     (data/models/explainn_MAX_FOXA1_JUND/ARCHITECTURE.md); model-file kind "explainn",
 *     tensors named as in the PyTorch state_dict (docs/model-format.md).
 * A Basset/DeepSEA-style sequential CNN would be a new arch value with its own
 * parameter block (a list of conv/bn/pool/linear layers) next to `ex`.
 *
 * Speed: at load time every BatchNorm (eval mode: running statistics) is folded into
 * the preceding convolution / fully connected weights.  With one-hot input a
 * convolution value is a sum of table lookups; the tables are indexed by three
 * consecutive bases at once (5^3 = 125 entries, code 4 = N contributing 0), so a
 * filter of width K costs ceil(K/3) lookups per position.  Because exp is increasing,
 * the max-pool is taken before exp (max_i exp(c_i) = exp(max_i c_i)), which needs U·P
 * instead of U·T exponentials.  The FC1 weights are stored position-major so the
 * inner loop runs over the H hidden channels (vectorised).  Arithmetic is float32
 * (table entries are summed in double before rounding).
 */
#ifndef COOPMAP_CNN_H
#define COOPMAP_CNN_H

#include <stdint.h>
#include "core/error.h"
#include "model/model.h"

/* Architecture of a built-in CNN (only ExplaiNN so far; see above). */
typedef enum {
    CM_CNN_EXPLAINN = 1
} cm_cnn_arch_t;

/* ExplaiNN parameters after BatchNorm folding.
 * With s = gamma / sqrt(running_var + eps) per channel, a layer y = W x + b followed by
 * BatchNorm becomes y' = (s W) x + (s (b - running_mean) + beta). */
typedef struct {
    int U;          /* units (filters) */
    int K;          /* filter width, bp */
    int T;          /* convolution positions, L - K + 1 */
    int pool;       /* max-pool size */
    int stride;     /* max-pool stride */
    int P;          /* pooled positions, (T - pool) / stride + 1 */
    int H;          /* hidden size of the first per-unit FC layer */
    int J;          /* base triples per filter, ceil(K / 3) */
    float *conv3;   /* U × J × 125: entry [u][j][a·25 + b·5 + c] = sum of the BN1-scaled conv
                     * weights of codes a, b, c at filter offsets 3j, 3j+1, 3j+2 (0 for
                     * code 4 = N and for offsets >= K).  (ARCHITECTURE.md steps 1–2) */
    float *conv_b;  /* U: folded conv bias */
    float *fc1;     /* U × P × H: folded per-unit FC1 weights, fc1[u][p][j] =
                     * linears.6.weight[u·H + j, p] · s (steps 5–6) */
    float *fc1_b;   /* U·H */
    float *fc2;     /* U × H: folded per-unit FC2 weights (steps 7–8) */
    float *fc2_b;   /* U */
    float *out;     /* O × U: final linear layer (step 9) */
    float *out_b;   /* O */
} cm_explainn_t;

/* A loaded CNN: read-only after cm_cnn_from_file, so shared by threads. */
typedef struct {
    cm_cnn_arch_t arch;
    int L;            /* input length, bp */
    int n_out;        /* outputs O (logits) */
    cm_explainn_t ex; /* arch == CM_CNN_EXPLAINN */
} cm_cnn_t;

/* Build the engine from a parsed model file of kind "explainn": checks that every
 * tensor is present with consistent shapes and that the header keys (input_length,
 * pool_size, pool_stride, bn_eps; units / filter_size / hidden when given) agree
 * with them.  NULL with err "PATH[:LINE]: what" on failure. */
cm_cnn_t *cm_cnn_from_file(const cm_model_file_t *f, cm_err_t *err);

/* Forward pass of n windows: codes n × L nt4 codes (4 or more = N = zero column),
 * logits n × O.  Reentrant (scratch allocated per call).  Returns 0. */
int cm_cnn_predict(const cm_cnn_t *c, const uint8_t *codes, int n, float *logits, cm_err_t *err);

/* First-layer (folded conv + BN1, ARCHITECTURE.md steps 1–2) pre-activation values of
 * one sequence of any length L >= 1 (not only c->L): codes L nt4 codes (>= 4 = N =
 * zero column), out U × T row-major with T = L − K + 1 valid positions (no padding;
 * nothing written when L < K); out[u·T + t] covers bases [t, t + K) and is the value
 * cm_cnn_predict feeds to exp (same float sums).  ExplaiNN's activation is exp of it. */
void cm_cnn_first_layer(const cm_cnn_t *c, const uint8_t *codes, int L, float *out);

/* Predictions of n edited copies of base (L nt4 codes; see cm_model_edit_t in model.h),
 * logits n × O, computed incrementally (fastISM, Nair et al., Bioinformatics 2022):
 * the baseline convolution values, pooled values and FC1 pre-activations of every
 * unit are computed once; for an edit of [a, b) only the conv positions
 * t in [a − K + 1, b − 1] are recomputed, only the max-pool windows that contain one of
 * them are re-taken, FC1 is updated as baseline + fc1[u][p]·Δm[p] over those windows,
 * and steps 7–9 are recomputed.  Equal to cm_cnn_predict of the edited window up to
 * float rounding.  Edits must lie within [0, L).  Reentrant.  Returns 0. */
int cm_cnn_predict_edits(const cm_cnn_t *c, const uint8_t *base, int n, const cm_model_edit_t *edits,
                         float *logits, cm_err_t *err);

void cm_cnn_free(cm_cnn_t *c);  /* NULL-safe */

#endif
