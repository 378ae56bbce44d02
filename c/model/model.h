/* model.h — the sequence-model interface used by coopmap-ism (and by the grammar
 * model and the external scorer), plus the container format of model files.
 *
 * A model maps one-hot DNA windows of a fixed input length L to H output logits
 * ("heads", e.g. one per TF).  Input is given as nt4 codes (dna.h): A,C,G,T = 0..3;
 * code 4 (N or any other letter) is an all-zero one-hot column.
 *
 * Thread safety: cm_model_predict is reentrant — a loaded model is read-only and
 * every call allocates its own scratch — so callers may run many predictions on one
 * model concurrently (e.g. an OpenMP loop over pairs).  Results for a sequence do
 * not depend on the batch it is predicted in.
 *
 * Model file ("coopmap-model 1"; full description in docs/model-format.md): a text
 * header of "KEY VALUE..." lines, starting with "coopmap-model 1" and "kind KIND",
 * with one "tensor NAME f32 D0,D1,..." line per tensor and a closing "end" line,
 * followed immediately by the tensors' data, little-endian IEEE float32, row-major
 * (C order), concatenated in header order, and nothing after it.  Made from a
 * PyTorch checkpoint by scripts/coopmap-convert-model.
 */
#ifndef COOPMAP_MODEL_H
#define COOPMAP_MODEL_H

#include <stdint.h>
#include "core/error.h"

/* ---------- container format ---------- */

#define CM_MODEL_MAGIC "coopmap-model"
#define CM_MODEL_FORMAT_VERSION 1
#define CM_TENSOR_MAXDIM 8

/* One tensor of a model file: shape[0] × shape[1] × … row-major float32. */
typedef struct {
    char *name;                        /* e.g. "linears.0.weight" */
    int ndim;                          /* 1..CM_TENSOR_MAXDIM */
    int64_t shape[CM_TENSOR_MAXDIM];
    int64_t n;                         /* number of floats = product of shape */
    float *data;                       /* host byte order, owned */
    long line;                         /* header line of its 'tensor' line (messages); 0 if none */
} cm_tensor_t;

/* A parsed model file: header key/value lines (other than tensor lines) in file
 * order, and the tensors. */
typedef struct {
    char *path;          /* for messages */
    char *kind;          /* value of the "kind" line, e.g. "explainn" */
    int n_keys;
    char **keys, **vals; /* vals[i] is the rest of the line after the key and one blank */
    long *key_line;      /* header line number of each key (for messages) */
    int n_tensors;
    cm_tensor_t *t;
} cm_model_file_t;

/* Read and check a model file: magic and version, header syntax, tensor shapes,
 * exact data size (a truncated file or trailing bytes is an error naming the file),
 * finite values; a header line ending in CRLF is an error of its own (a file converted
 * to DOS line ends has its binary data changed too).  Returns 0, or -1 with err "PATH[:LINE]: what" (f then holds
 * nothing to free). */
int cm_model_file_read(const char *path, cm_model_file_t *f, cm_err_t *err);

/* Value of header key KEY (first occurrence), or NULL. */
const char *cm_model_file_get(const cm_model_file_t *f, const char *key);

/* Header line number of key KEY (first occurrence), or 0 when absent: for messages
 * "PATH:LINE: ..." about a header value. */
long cm_model_file_key_line(const cm_model_file_t *f, const char *key);

/* Tensor called NAME, or NULL. */
const cm_tensor_t *cm_model_file_tensor(const cm_model_file_t *f, const char *name);

void cm_model_file_free(cm_model_file_t *f);  /* frees contents, zeroes f */

/* ---------- the model interface ---------- */

/* A loaded model (opaque): an implementation, its input length and head names. */
typedef struct cm_model_s cm_model_t;

/* One edit of a baseline window: bases [start, start + len) (0-based, bp, within the
 * window) are replaced by codes[0 .. len) (nt4 codes; 4 = N).  A single-base
 * substitution is len = 1; a motif knockout is len = the site's clipped width. */
typedef struct {
    int start, len;
    const uint8_t *codes;
} cm_model_edit_t;

/* What a model implementation provides.  predict must be reentrant (see above):
 * codes is n × L nt4 codes (row-major), logits receives n × H floats. */
typedef struct {
    const char *kind;      /* model kind reported by cm_model_kind, e.g. "explainn" */
    /* Predict n >= 1 windows; 0, or -1 with err filled. */
    int (*predict)(const void *impl, const uint8_t *codes, int n, float *logits, cm_err_t *err);
    void (*free_impl)(void *impl);   /* release impl (may be NULL: nothing to free) */
    /* Optional (NULL: cm_model_predict_edits applies each edit to a copy of the window
     * and calls predict).  Predict n >= 1 edited copies of one baseline window base
     * (L codes): logits row i (H floats) is the prediction of base with edits[i]
     * applied.  An implementation recomputes only what each layer can see of the
     * edit (fastISM-style, exact up to float rounding); reentrant. */
    int (*predict_edits)(const void *impl, const uint8_t *base, int n,
                         const cm_model_edit_t *edits, float *logits, cm_err_t *err);
} cm_model_ops_t;

/* Load the model file PATH through the table of model kinds (model/kinds.h): a file
 * that a file-format kind recognises (a text file whose first line is
 * "coopmap-grammar 1": kind "grammar", grammar.h) is loaded by it; otherwise PATH is
 * read as a container and dispatched on its "kind" line ("explainn": the built-in
 * CNN engine, cnn.h).  NULL with err filled on failure ("PATH:LINE: unknown model
 * kind 'K' (this build knows: ...)" for a kind not in the table). */
cm_model_t *cm_model_load(const char *path, cm_err_t *err);

/* Wrap an implementation as a model (for kinds built elsewhere, e.g. a grammar
 * model or an external scorer).  Copies the head names; takes ownership of impl
 * (released with ops->free_impl by cm_model_free).  ops must outlive the model. */
cm_model_t *cm_model_wrap(const cm_model_ops_t *ops, void *impl, int input_length,
                          int n_heads, const char *const *head_names);

/* Wrap impl as a model whose head names come from the container's "heads" line (one
 * blank-separated name per output, names distinct case-insensitively); for container
 * kinds.  On failure (no heads line: "PATH: header has no 'heads' line"; a count other
 * than n_out or a repeated name: "PATH:LINE: ...") releases impl with ops->free_impl
 * and returns NULL with err filled. */
cm_model_t *cm_model_wrap_file(const cm_model_ops_t *ops, void *impl, int input_length,
                               int n_out, const cm_model_file_t *f, cm_err_t *err);

/* The implementation wrapped by the model (what the kind passed to cm_model_wrap), for
 * kind-specific functions such as a CNN's first layer or a scorer's finish; check
 * cm_model_kind first.  Read-only use only. */
void *cm_model_impl(const cm_model_t *m);

/* Model kind, e.g. "explainn". */
const char *cm_model_kind(const cm_model_t *m);

/* Input length L in bp. */
int cm_model_input_length(const cm_model_t *m);

/* Number of output heads H. */
int cm_model_n_heads(const cm_model_t *m);

/* Name of head i (0 <= i < H). */
const char *cm_model_head_name(const cm_model_t *m, int i);

/* Index of the head called NAME (case-insensitive), or -1 if none. */
int cm_model_head_index(const cm_model_t *m, const char *name);

/* Predict n windows: codes is n × L nt4 codes (values > 4 count as 4), logits
 * receives n × H logits (row-major).  n may be 0.  Returns 0, or -1 with err. */
int cm_model_predict(const cm_model_t *m, const uint8_t *codes, int n, float *logits,
                     cm_err_t *err);

/* Predict n edited copies of the baseline window base (L nt4 codes): logits row i
 * (n × H, row-major) is the prediction of base with edits[i] applied (see
 * cm_model_edit_t; an edit must lie within [0, L)).  Uses the model's incremental
 * predict_edits when it has one and full_recompute is 0; otherwise builds the edited
 * windows (in batches) and calls predict, which is the reference the incremental
 * path is checked against.  n may be 0.  Returns 0, or -1 with err (an edit outside
 * the window: "edit [a, b) outside the window of L bp"). */
int cm_model_predict_edits(const cm_model_t *m, const uint8_t *base, int n,
                           const cm_model_edit_t *edits, float *logits, int full_recompute,
                           cm_err_t *err);

/* 1 if the model has an incremental predict_edits, else 0. */
int cm_model_has_incremental(const cm_model_t *m);

void cm_model_free(cm_model_t *m);  /* NULL-safe */

#endif
