/* xmlmini.c — see xmlmini.h. */
#include "motif/xmlmini.h"
#include "core/textio.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void cm_xml_close(cm_xml_t *x)
{
    if (!x) return;
    free(x->path); free(x->buf); free(x->scratch); free(x->aname); free(x->aval);
    memset(x, 0, sizeof *x);
}

int cm_xml_open(cm_xml_t *x, const char *path, cm_err_t *err)
{
    memset(x, 0, sizeof *x);
    cm_reader_t *r = cm_reader_open(path, err);
    if (!r) return -1;
    size_t cap = 4096;
    x->buf = cm_malloc(cap);
    int rc;
    while ((rc = cm_reader_next(r, err)) == 1) {
        while (x->len + r->len + 2 > cap) { cap *= 2; x->buf = realloc(x->buf, cap); if (!x->buf) abort(); }
        memcpy(x->buf + x->len, r->line, r->len);
        x->len += r->len;
        x->buf[x->len++] = '\n';
    }
    x->buf[x->len] = 0;
    cm_reader_close(r);
    if (rc < 0) { free(x->buf); x->buf = NULL; return -1; }
    x->path = cm_strdup(path);
    x->line = 1;
    return 0;
}

/* Append n bytes of s to the scratch (entities decoded when dec); returns the offset. */
static size_t put(cm_xml_t *x, size_t *used, const char *s, size_t n, int dec)
{
    size_t off = *used;
    if (*used + n + 1 > x->scap) {
        x->scap = (*used + n + 1) * 2 + 64;
        x->scratch = realloc(x->scratch, x->scap);
        if (!x->scratch) abort();
    }
    char *o = x->scratch + *used;
    for (size_t i = 0; i < n; i++) {
        if (dec && s[i] == '&') {
            static const char *ent[] = {"lt;", "gt;", "amp;", "quot;", "apos;"};
            static const char chr[] = "<>&\"'";
            int done = 0;
            for (int k = 0; k < 5 && !done; k++) {
                size_t el = strlen(ent[k]);
                if (i + 1 + el <= n && !strncmp(s + i + 1, ent[k], el)) { *o++ = chr[k]; i += el; done = 1; }
            }
            if (!done && i + 2 < n && s[i + 1] == '#') {
                char *e;
                long c = s[i + 2] == 'x' ? strtol(s + i + 3, &e, 16) : strtol(s + i + 2, &e, 10);
                if (*e == ';' && c > 0 && c < 128) { *o++ = (char)c; i = (size_t)(e - s); done = 1; }
            }
            if (done) continue;
        }
        *o++ = s[i];
    }
    *o++ = 0;
    *used = (size_t)(o - x->scratch);
    return off;
}

static void count_lines(cm_xml_t *x, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) if (x->buf[i] == '\n') x->line++;
}

/* Skip past the terminator term starting the search at pos; -1 if absent. */
static int skip_past(cm_xml_t *x, const char *term, const char *what, cm_err_t *err)
{
    const char *e = strstr(x->buf + x->pos, term);
    if (!e) return cm_fail(err, "%s:%ld: unterminated %s", x->path, x->tagline, what);
    size_t to = (size_t)(e - x->buf) + strlen(term);
    count_lines(x, x->pos, to);
    x->pos = to;
    return 0;
}

int cm_xml_next(cm_xml_t *x, cm_err_t *err)
{
    size_t used = 0, text_off = put(x, &used, "", 0, 0);
    for (;;) {
        const char *lt = strchr(x->buf + x->pos, '<');
        size_t at = lt ? (size_t)(lt - x->buf) : x->len;
        /* character data before the tag (appended: CDATA and comments may split it) */
        if (at > x->pos) {
            used--;   /* drop the NUL of the text so far */
            put(x, &used, x->buf + x->pos, at - x->pos, 1);
        }
        count_lines(x, x->pos, at);
        x->pos = at;
        if (!lt) { x->text = x->scratch + text_off; return 0; }
        x->tagline = x->line;
        const char *s = lt;
        if (!strncmp(s, "<!--", 4)) { if (skip_past(x, "-->", "comment", err) < 0) return -1; continue; }
        if (!strncmp(s, "<?", 2)) { if (skip_past(x, "?>", "processing instruction", err) < 0) return -1; continue; }
        if (!strncmp(s, "<![CDATA[", 9)) {
            const char *e = strstr(s + 9, "]]>");
            if (!e) return cm_fail(err, "%s:%ld: unterminated CDATA section", x->path, x->tagline);
            used--;
            put(x, &used, s + 9, (size_t)(e - s - 9), 0);
            count_lines(x, x->pos, (size_t)(e - x->buf) + 3);
            x->pos = (size_t)(e - x->buf) + 3;
            continue;
        }
        if (s[1] == '!') {   /* <!DOCTYPE …>, with an optional [internal subset] */
            size_t i = x->pos + 2;
            int depth = 0;
            char q = 0;
            for (; i < x->len; i++) {
                char c = x->buf[i];
                if (q) { if (c == q) q = 0; continue; }
                if (c == '"' || c == '\'') q = c;
                else if (c == '[') depth++;
                else if (c == ']') depth--;
                else if (c == '>' && depth <= 0) break;
                else if (c == '<' && depth > 0 && !strncmp(x->buf + i, "<!--", 4)) {
                    const char *e = strstr(x->buf + i, "-->");
                    if (!e) break;
                    i = (size_t)(e - x->buf) + 2;
                }
            }
            if (i >= x->len) return cm_fail(err, "%s:%ld: unterminated <! declaration", x->path, x->tagline);
            count_lines(x, x->pos, i + 1);
            x->pos = i + 1;
            continue;
        }
        break;
    }
    /* an element tag */
    const char *s = x->buf + x->pos + 1;
    x->kind = CM_XML_START;
    if (*s == '/') { x->kind = CM_XML_END; s++; }
    const char *n0 = s;
    while (*s && (isalnum((unsigned char)*s) || strchr("_-.:", *s))) s++;
    if (s == n0) return cm_fail(err, "%s:%ld: bad tag (no element name after '<')", x->path, x->tagline);
    size_t name_off = put(x, &used, n0, (size_t)(s - n0), 0);
    int na = 0;
    size_t aoff[2 * 64];
    for (;;) {
        while (*s && isspace((unsigned char)*s)) s++;
        if (!*s) return cm_fail(err, "%s:%ld: unterminated tag <%s", x->path, x->tagline, x->scratch + name_off);
        if (*s == '>') { s++; break; }
        if (s[0] == '/' && s[1] == '>') {
            if (x->kind == CM_XML_END) return cm_fail(err, "%s:%ld: bad end tag", x->path, x->tagline);
            x->kind = CM_XML_EMPTY; s += 2; break;
        }
        if (x->kind == CM_XML_END) return cm_fail(err, "%s:%ld: end tag with attributes", x->path, x->tagline);
        const char *a0 = s;
        while (*s && !isspace((unsigned char)*s) && !strchr("=/>\"'<", *s)) s++;
        if (s == a0) return cm_fail(err, "%s:%ld: bad attribute in tag <%s>", x->path, x->tagline, x->scratch + name_off);
        size_t alen = (size_t)(s - a0);
        while (*s && isspace((unsigned char)*s)) s++;
        if (*s != '=') return cm_fail(err, "%s:%ld: attribute %.*s without '=' in tag <%s>", x->path, x->tagline, (int)alen, a0, x->scratch + name_off);
        s++;
        while (*s && isspace((unsigned char)*s)) s++;
        char q = *s;
        if (q != '"' && q != '\'') return cm_fail(err, "%s:%ld: attribute %.*s: value not quoted", x->path, x->tagline, (int)alen, a0);
        const char *v0 = ++s, *v1 = strchr(v0, q);
        if (!v1) return cm_fail(err, "%s:%ld: attribute %.*s: unterminated value", x->path, x->tagline, (int)alen, a0);
        if (na < 64) {
            aoff[2 * na] = put(x, &used, a0, alen, 0);
            aoff[2 * na + 1] = put(x, &used, v0, (size_t)(v1 - v0), 1);
            na++;
        }
        s = v1 + 1;
    }
    count_lines(x, x->pos, (size_t)(s - x->buf));
    x->pos = (size_t)(s - x->buf);
    /* pointers into the scratch, now that it no longer moves */
    if (na > x->acap) {
        x->acap = na;
        x->aname = realloc(x->aname, (size_t)na * sizeof *x->aname);
        x->aval = realloc(x->aval, (size_t)na * sizeof *x->aval);
        if (!x->aname || !x->aval) abort();
    }
    x->nattr = na;
    for (int i = 0; i < na; i++) { x->aname[i] = x->scratch + aoff[2 * i]; x->aval[i] = x->scratch + aoff[2 * i + 1]; }
    x->name = x->scratch + name_off;
    /* trim the text */
    char *t = x->scratch + text_off;
    while (isspace((unsigned char)*t)) t++;
    size_t tl = strlen(t);
    while (tl && isspace((unsigned char)t[tl - 1])) t[--tl] = 0;
    x->text = t;
    return 1;
}

const char *cm_xml_attr(const cm_xml_t *x, const char *name)
{
    for (int i = 0; i < x->nattr; i++)
        if (!strcmp(x->aname[i], name)) return x->aval[i];
    return NULL;
}

int cm_xml_is(const cm_xml_t *x, const char *name)
{
    return x->name && !strcasecmp(x->name, name);
}
