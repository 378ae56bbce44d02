/* scorer.h — an external scorer as a model: a child process that reads sequences on
 * its standard input and writes one line of logits per sequence (coopmap-ism
 * --model-cmd), so a PyTorch, JAX or TensorFlow model on a GPU serves every mode of
 * coopmap-ism (knockouts, --predict, --saturation) through the model.h interface.
 *
 * Protocol "coopmap-scorer 1" (full text: docs/scorer-protocol.md):
 *   1. coopmap starts CMD with /bin/sh -c CMD; the scorer's standard error is passed
 *      through to coopmap's.
 *   2. The scorer's first output line is its header, blank-separated:
 *        coopmap-scorer 1 input_length=L heads=NAME1,NAME2,...
 *      (L >= 1 bp; H >= 1 distinct head names, compared case-insensitively; keys in any
 *      order after the version; unknown keys are an error).
 *   3. For each batch coopmap writes a line "batch N" (N >= 1) and then N lines of
 *      exactly L letters from A, C, G, T, N (N: an all-zero one-hot column).  The
 *      scorer answers N lines, in order, each of exactly H logits (decimal numbers
 *      separated by tabs or blanks, finite).  It may answer each sequence as soon as it
 *      is read or the whole batch at once: coopmap reads while it writes.
 *   4. When coopmap is done it closes the scorer's standard input; the scorer should
 *      then exit with status 0.
 *
 * Errors (err "scorer 'CMD': what"): a header that is not the above ("output line 1:
 * ..."); an answer line with another number of fields, a non-number, or a value that is
 * not finite ("output line K: ..."; K counts the scorer's output lines, header = 1); the
 * scorer exiting or closing its output before answering ("exited with status S" /
 * "killed by signal S"); no header or no complete answer within the timeout ("no answer
 * within T s (killed)").  After an error every later predict fails with the same
 * message.  The child is always reaped: cm_model_free closes its input and waits for it
 * (killing it after the timeout).
 *
 * Threads: predict may be called from many threads (model.h); calls are serialised by
 * a mutex, so the scorer sees one batch at a time and results do not depend on thread
 * count (a batch's answers depend only on its sequences).  The scorer is not in the
 * table of model kinds (kinds.h): it is opened from a command, not loaded from a file;
 * cm_model_kind reports "scorer".
 *
 * SIGPIPE: coopmap writes to the scorer through a UNIX socket with MSG_NOSIGNAL, so a
 * scorer that dies never kills coopmap with SIGPIPE; no signal disposition changes.
 */
#ifndef COOPMAP_SCORER_H
#define COOPMAP_SCORER_H

#include "core/error.h"
#include "model/model.h"

#define CM_SCORER_PROTOCOL_VERSION 1

/* Start CMD and read its header.  timeout_s: seconds allowed for the header and for
 * each batch's answers (0 = no limit).  Call before any parallel region (it forks).
 * Returns the model, or NULL with err ("scorer 'CMD': ...") and the child reaped. */
cm_model_t *cm_scorer_open(const char *cmd, double timeout_s, cm_err_t *err);

/* End the conversation: close the scorer's input, read its output to the end and reap
 * it.  Returns 0 when it printed nothing more and exited with status 0; otherwise -1
 * with err ("output line K: more lines than sequences sent", "exited with status S",
 * "killed by signal S", or the earlier sticky error).  Call once all predictions are
 * done and before committing outputs.  For a model of another kind: returns 0. */
int cm_scorer_finish(cm_model_t *m, cm_err_t *err);

#endif
