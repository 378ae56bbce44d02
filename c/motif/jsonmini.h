/* jsonmini.h — a small JSON value reader (RFC 8259 values: objects, arrays, strings
 * with escapes, numbers, true, false, null), enough for the data object that the MEME
 * Suite embeds in meme.html / streme.html (motif_formats.h, "meme-html"); no external
 * dependency.
 *
 * The reader works on a NUL-terminated buffer already in memory (the caller reads the
 * file) and builds a tree of cm_json_t.  Grammar is strict JSON: keys must be double-
 * quoted strings, no trailing commas, no comments, numbers as -?int[.frac][e[+-]exp]
 * (converted with strtod), strings decode \" \\ \/ \b \f \n \r \t and \uXXXX (UTF-8
 * output, surrogate pairs joined; a lone surrogate or a control character below 0x20
 * is an error).  Nesting is limited to CM_JSON_MAXDEPTH levels.  Duplicate object keys
 * are kept in order (cm_json_get returns the first).  Errors are "PATH:LINE: what"
 * (1-based line of the offending character).
 */
#ifndef COOPMAP_JSONMINI_H
#define COOPMAP_JSONMINI_H

#include <stddef.h>
#include "core/error.h"

#define CM_JSON_MAXDEPTH 256

typedef enum {
    CM_JSON_NULL = 0, CM_JSON_FALSE, CM_JSON_TRUE, CM_JSON_NUM, CM_JSON_STR,
    CM_JSON_ARR, CM_JSON_OBJ
} cm_json_type_t;

/* One JSON value. */
typedef struct cm_json_s {
    cm_json_type_t type;
    long line;              /* 1-based line of the value's first character */
    double num;             /* CM_JSON_NUM: the value */
    char *str;              /* CM_JSON_STR: decoded, NUL-terminated (may hold \u0000 as
                               a NUL: strlen then stops early) */
    int n;                  /* CM_JSON_ARR / CM_JSON_OBJ: number of elements / members */
    struct cm_json_s *kid;  /* the n elements / member values, in file order */
    char **key;             /* CM_JSON_OBJ: the n member names (decoded); else NULL */
} cm_json_t;

/* Parse one JSON value from buf at *pos (blanks and newlines before it skipped);
 * *line is the 1-based line at *pos on entry and is advanced as newlines are passed.
 * On success returns 0, *out filled (free with cm_json_free) and *pos just past the
 * value (trailing text is left to the caller).  On error returns -1 with err =
 * "PATH:LINE: JSON: what" and *out zeroed. */
int cm_json_parse(const char *path, const char *buf, size_t *pos, long *line,
                  cm_json_t *out, cm_err_t *err);

/* Member KEY of object v (first match, exact), NULL if v is not an object or lacks it. */
const cm_json_t *cm_json_get(const cm_json_t *v, const char *key);

/* Name of a type ("object", "array", "string", "number", "true", "false", "null"). */
const char *cm_json_type_name(cm_json_type_t t);

/* Free the tree below v and zero v; NULL-safe, idempotent. */
void cm_json_free(cm_json_t *v);

#endif
