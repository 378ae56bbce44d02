/* kinds.c — the list of model kinds; see kinds.h.  One line per kind. */
#include "model/kinds.h"

#define CM_MODEL_KIND_LIST(X) \
    X(explainn)   /* model/cnn.c: ExplaiNN CNN engine */ \
    X(grammar)    /* model/grammar.c: transparent grammar model (docs/grammar.md) */ \
    X(seqcnn)     /* model/seqcnn.c: general sequential CNN (docs/model-format.md) */

#define CM_DECLARE_KIND(k) extern const cm_model_kind_t cm_model_kind_##k;
CM_MODEL_KIND_LIST(CM_DECLARE_KIND)

#define CM_KIND_ENTRY(k) &cm_model_kind_##k,
const cm_model_kind_t *const cm_model_kinds[] = { CM_MODEL_KIND_LIST(CM_KIND_ENTRY) NULL };
