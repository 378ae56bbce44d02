/* kinds.h — the table of model kinds that cm_model_load (model.h) dispatches on.
 *
 * Each kind lives in a file of its own (model/cnn.c: "explainn"; model/grammar.c:
 * "grammar") and contributes one const cm_model_kind_t named cm_model_kind_NAME; the
 * list in model/kinds.c names them.  Adding a kind is one new file and one line of
 * that list: model.c knows only this table, never the kinds, so the interface and the
 * kinds do not include each other.
 *
 * Two ways in:
 *   - container kinds (sniff == NULL) are coopmap-model files (model.h) whose "kind"
 *     header line equals name; load gets the parsed file f;
 *   - file-format kinds (sniff != NULL) recognise a file of their own from its content
 *     (e.g. a grammar text file, first line "coopmap-grammar 1"); load gets f == NULL.
 */
#ifndef COOPMAP_MODEL_KINDS_H
#define COOPMAP_MODEL_KINDS_H

#include "core/error.h"
#include "model/model.h"

typedef struct {
    const char *name;                /* kind, e.g. "explainn"; as cm_model_kind reports */
    int (*sniff)(const char *path);  /* 1 if PATH is of this kind; NULL: container kind */
    /* Load PATH (f: its parsed container, or NULL for a sniffed kind).  Returns the
     * model, or NULL with err "PATH[:LINE]: what".  Must not free f. */
    cm_model_t *(*load)(const char *path, const cm_model_file_t *f, cm_err_t *err);
} cm_model_kind_t;

/* Every kind this build knows, in dispatch order (sniffed kinds are tried first, in
 * this order), terminated by NULL. */
extern const cm_model_kind_t *const cm_model_kinds[];

#endif
