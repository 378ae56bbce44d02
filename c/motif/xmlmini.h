/* xmlmini.h — a small, tolerant pull reader of XML tags, enough for the MEME Suite's
 * meme.xml, streme.xml and dreme.xml (motif_formats.h); no DTD validation, no
 * namespaces, no external dependency.
 *
 * The whole file (plain or gzip, via textio.h) is read into memory; cm_xml_next()
 * then returns one element tag at a time (start, end or empty "<x/>"), with its
 * attributes (any order, ' or " quoted, blanks and newlines anywhere between) and the
 * character data between the previous tag and this one.  Comments "<!-- -->",
 * processing instructions "<? ?>", "<!DOCTYPE … [ … ]>" (internal subset included) and
 * other "<! >" declarations are skipped; "<![CDATA[ ]]>" is taken as text.  The
 * entities &lt; &gt; &amp; &quot; &apos; and &#N; / &#xN; (ASCII) are decoded in text
 * and attribute values.  Errors are "PATH:LINE: what" (1-based line of the '<').
 */
#ifndef COOPMAP_XMLMINI_H
#define COOPMAP_XMLMINI_H

#include <stddef.h>
#include "core/error.h"

typedef enum { CM_XML_START = 1, CM_XML_END = 2, CM_XML_EMPTY = 3 } cm_xml_kind_t;

typedef struct {
    char *path;        /* file name as given (for messages) */
    char *buf;         /* whole file, NUL-terminated */
    size_t len, pos;   /* buffer length, read position */
    long line;         /* 1-based line at pos */
    /* the current tag (valid until the next cm_xml_next) */
    cm_xml_kind_t kind;
    long tagline;      /* line of the tag's '<' */
    char *name;        /* element name */
    int nattr;         /* number of attributes */
    char **aname, **aval;  /* nattr names and decoded values */
    char *text;        /* decoded character data before this tag, blanks trimmed */
    /* private scratch */
    char *scratch; size_t scap; int acap;
} cm_xml_t;

/* Read PATH ("-" = stdin; gzip allowed) into x.  Returns 0, or -1 with err filled
 * ("PATH: cannot open …"); x is left closed on failure. */
int cm_xml_open(cm_xml_t *x, const char *path, cm_err_t *err);

/* Advance to the next element tag.  Returns 1 (x->kind, x->name, attributes, text set),
 * 0 at end of input, -1 on a malformed tag, comment or attribute (err filled). */
int cm_xml_next(cm_xml_t *x, cm_err_t *err);

/* Value of attribute NAME of the current tag (exact, case-sensitive), NULL if absent. */
const char *cm_xml_attr(const cm_xml_t *x, const char *name);

/* Case-insensitive test of the current tag's name. */
int cm_xml_is(const cm_xml_t *x, const char *name);

/* Free everything; NULL-safe, idempotent. */
void cm_xml_close(cm_xml_t *x);

#endif
