/* seqcnn.h — model kind "seqcnn": a general sequential 1-D CNN over one-hot DNA
 * (Basset, DeepSEA, Basenji/BPNet-style residual dilated blocks, ExplaiNN, ...),
 * evaluated as PyTorch evaluates it in eval mode (BatchNorm with running statistics,
 * dropout off).  File format: docs/model-format.md, section "Kind seqcnn" (one
 * "layer N TYPE key=value ..." header line per layer, tensors named as in the PyTorch
 * state_dict).
 *
 * Data: the input is the window's nt4 codes (L bp); A,C,G,T = one-hot channels 0..3,
 * code 4 (N) = an all-zero column (PyTorch N × 4 × L).  Every activation is a C × T
 * tensor (channels × positions), stored here position-major (T × C, row-major:
 * element (c, t) at t·C + c) so that a span of positions is a block of rows.  Flatten
 * gives C·T channels × 1 position in PyTorch order (index c·T + t); Linear acts on
 * such a vector (T = 1).  The output of the last layer (C·T values, order c·T + t)
 * are the logits, one per head; with rc_average 1 the logits are the mean of the
 * outputs for the window and for its reverse complement.
 *
 * Engine (at load): BatchNorm directly after a conv/linear whose output nothing else
 * reads is folded into its weights (s = gamma / sqrt(var + eps); W' = s W,
 * b' = s (b - mean) + beta); an activation directly after a conv/linear/BatchNorm/add
 * is fused into it; dropout is the identity.  A convolution is a register-blocked
 * product of 6 output positions × 16 output channels (AVX-512 machines: 8 × 32) over
 * (kernel tap, input channel), the inner loop over output channels (weights stored in
 * blocks of 16 output channels, [group][block][tap][in][16]); a convolution on the
 * one-hot input is a sum of table rows (one per tap, selected by the base).  The ops
 * after the last positional layer (linear layers on the flattened vector) run on
 * batches of up to 32 windows at once, one row per window, so their weights are read
 * once per batch.  Every output is the same sequence of float32 fused multiply-adds
 * (bias, then taps, then input channels) whichever kernel or batch size computes it,
 * so a window's logits do not depend on the batch; the kernels are compiled for
 * AVX2+FMA, AVX-512 and plain x86-64 and picked at run time (GCC target_clones /
 * __builtin_cpu_supports), so results may differ between machines by float rounding,
 * never between thread counts or batch sizes.
 *
 * Incremental predictions (fastISM, Nair et al., Bioinformatics 2022): the baseline
 * activations of every layer are computed once per call; for each edit of bases
 * [a, b) only the positions of each layer's output that can see the edit are
 * recomputed (receptive-field propagation: a conv/pool output t reads input positions
 * t·stride − pad + k·dilation, k < kernel; a residual add takes the union of its
 * inputs' spans), reading unchanged positions from the baseline.  A conv/linear on a
 * flattened vector is updated as baseline + W·(Δ input) over the changed entries
 * only (on batches of 32 edits, so each weight row is read once per batch);
 * everything after that is recomputed (vectors, batched).  Exact up to float
 * rounding.  Callers should pass all edits of a window in one call (the baseline is
 * computed once per call).
 */
#ifndef COOPMAP_SEQCNN_H
#define COOPMAP_SEQCNN_H

#include <stdint.h>
#include "core/error.h"
#include "model/model.h"

/* A loaded seqcnn network (opaque; read-only after load, shared by threads). */
typedef struct cm_seqcnn_s cm_seqcnn_t;

/* Build the network from a parsed model file of kind "seqcnn": parses the layer
 * lines and checks every key, shape and tensor name.  NULL with err filled:
 * "PATH:LINE: layer N (TYPE): ..." for a bad layer line or key,
 * "PATH: tensor 'X': expected D0,D1,..., got E0,E1,..." for a shape mismatch
 * ("got no tensor" when it is missing), "PATH: tensor 'X': not used by any layer". */
cm_seqcnn_t *cm_seqcnn_from_file(const cm_model_file_t *f, cm_err_t *err);

/* Input length L (bp) and number of outputs. */
int cm_seqcnn_input_length(const cm_seqcnn_t *s);
int cm_seqcnn_n_out(const cm_seqcnn_t *s);

/* Forward pass of n windows: codes n × L nt4 codes (>= 4 = N), logits n × n_out.
 * Reentrant (scratch allocated per call).  Returns 0. */
int cm_seqcnn_predict(const cm_seqcnn_t *s, const uint8_t *codes, int n, float *logits,
                      cm_err_t *err);

/* Predictions of n edited copies of base (L codes), see cm_model_edit_t: row i of
 * logits (n × n_out) is base with edits[i] applied, computed incrementally (above).
 * Edits must lie within [0, L) (cm_model_predict_edits checks).  Reentrant.  0. */
int cm_seqcnn_predict_edits(const cm_seqcnn_t *s, const uint8_t *base, int n,
                            const cm_model_edit_t *edits, float *logits, cm_err_t *err);

/* ---------- the first layer as motif detectors (coopmap-ism --filter-pwms) ----------
 *
 * Activations of the first layer, as listed in docs/model-format.md: codes of the
 * activation that follows it (same numbering as the layer types). */
enum { CM_SEQCNN_ACT_NONE, CM_SEQCNN_ACT_RELU, CM_SEQCNN_ACT_ELU, CM_SEQCNN_ACT_EXP,
       CM_SEQCNN_ACT_SIGMOID, CM_SEQCNN_ACT_TANH, CM_SEQCNN_ACT_SOFTPLUS };

/* Shape of the first layer: C filters (output channels) of width K (bp), followed by
 * activation act (CM_SEQCNN_ACT_*; NONE when no activation directly follows). */
typedef struct { int K, C, act; } cm_seqcnn_conv1_t;

/* Check that the first layer is a Conv1d on the one-hot input that can be read as C
 * motif detectors: layer 0 is conv1d with stride 1, dilation 1, groups 1 (any padding,
 * any bias), optionally followed directly by batchnorm1d (folded into it at load), then
 * optionally one activation (fused at load); dropout in between is the identity.  Fills
 * info.  Returns 0, or -1 with err: "--filter-pwms: the first layer of a seqcnn model
 * must be a conv1d on the one-hot input (layer 0 is TYPE)", "...: the first conv1d has
 * stride S / dilation D / groups G (needs 1)", or "...: layer N (TYPE) after the first
 * conv1d could not be folded into it (another layer reads the conv1d output)". */
int cm_seqcnn_first_conv(const cm_seqcnn_t *s, cm_seqcnn_conv1_t *info, cm_err_t *err);

/* Values of the first layer (cm_seqcnn_first_conv must have returned 0) at the
 * unpadded positions of a sequence of any length L (not only the model's input
 * length): out is C × T row-major (filter-major: out[c·T + t]), T = L − K + 1 (nothing
 * written when L < K), out[c·T + t] = the value of filter c on bases [t, t + K):
 * bias + sum_k W'[c][x[t + k]][k] with the BatchNorm-folded weights W' (code >= 4 adds
 * 0), computed by the same one-hot kernel and in the same float32 order as the
 * predictions; with activate != 0 the activation info.act is then applied as the
 * engine applies it (ReLU exact; the others by expf/tanhf/... of libm), otherwise the
 * pre-activation value is returned.  Positions of the padding (t < 0 or t > L − K) are
 * not computed: they are not subsequences of the input.  The values are those of
 * PyTorch (conv, BatchNorm in eval mode, activation) up to float rounding of the
 * folding.  Reentrant (scratch allocated per call). */
void cm_seqcnn_first_conv_values(const cm_seqcnn_t *s, const uint8_t *codes, int L, int activate,
                                 float *out);

void cm_seqcnn_free(cm_seqcnn_t *s);  /* NULL-safe */

#endif
