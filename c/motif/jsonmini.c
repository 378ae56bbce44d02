/* jsonmini.c — see jsonmini.h. */
#include "motif/jsonmini.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *path, *s;
    size_t i;
    long line;
    cm_err_t *err;
} jp_t;

static int jfail(jp_t *p, const char *what)
{
    return cm_fail(p->err, "%s:%ld: JSON: %s", p->path, p->line, what);
}

static void skip(jp_t *p)
{
    for (;;) {
        char c = p->s[p->i];
        if (c == '\n') p->line++;
        else if (c != ' ' && c != '\t' && c != '\r') return;
        p->i++;
    }
}

static int hex4(const char *s, unsigned *u)
{
    *u = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return -1;
        *u = *u * 16 + (unsigned)d;
    }
    return 0;
}

/* A string at p->s[p->i] == '"' into a fresh decoded *out. */
static int jstring(jp_t *p, char **out)
{
    size_t cap = 32, n = 0;
    char *o = cm_malloc(cap);
    p->i++;
    for (;;) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (n + 5 > cap) { cap *= 2; o = cm_realloc(o, cap); }
        if (c == '"') { p->i++; break; }
        if (c == 0) { free(o); return jfail(p, "unterminated string"); }
        if (c < 0x20) { free(o); return jfail(p, "control character in string"); }
        if (c != '\\') { o[n++] = (char)c; p->i++; continue; }
        char e = p->s[p->i + 1];
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t", *k = e ? strchr(from, e) : NULL;
        if (k) { o[n++] = to[k - from]; p->i += 2; continue; }
        unsigned u, u2;
        if (e != 'u' || hex4(p->s + p->i + 2, &u) < 0) { free(o); return jfail(p, "bad escape in string"); }
        p->i += 6;
        if (u >= 0xDC00 && u <= 0xDFFF) { free(o); return jfail(p, "lone low surrogate \\u escape"); }
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (p->s[p->i] != '\\' || p->s[p->i + 1] != 'u' || hex4(p->s + p->i + 2, &u2) < 0 ||
                u2 < 0xDC00 || u2 > 0xDFFF) { free(o); return jfail(p, "lone high surrogate \\u escape"); }
            p->i += 6;
            u = 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00);
        }
        if (u < 0x80) o[n++] = (char)u;
        else if (u < 0x800) { o[n++] = (char)(0xC0 | u >> 6); o[n++] = (char)(0x80 | (u & 0x3F)); }
        else if (u < 0x10000) {
            o[n++] = (char)(0xE0 | u >> 12); o[n++] = (char)(0x80 | ((u >> 6) & 0x3F));
            o[n++] = (char)(0x80 | (u & 0x3F));
        } else {
            o[n++] = (char)(0xF0 | u >> 18); o[n++] = (char)(0x80 | ((u >> 12) & 0x3F));
            o[n++] = (char)(0x80 | ((u >> 6) & 0x3F)); o[n++] = (char)(0x80 | (u & 0x3F));
        }
    }
    o[n] = 0;
    *out = o;
    return 0;
}

static int digits(jp_t *p)
{
    size_t i0 = p->i;
    while (p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;
    return p->i > i0;
}

static int jnumber(jp_t *p, double *x)
{
    size_t i0 = p->i;
    if (p->s[p->i] == '-') p->i++;
    if (p->s[p->i] == '0') p->i++;
    else if (!digits(p)) return jfail(p, "bad number");
    if (p->s[p->i] == '.') { p->i++; if (!digits(p)) return jfail(p, "bad number (digits after '.')"); }
    if (p->s[p->i] == 'e' || p->s[p->i] == 'E') {
        p->i++;
        if (p->s[p->i] == '+' || p->s[p->i] == '-') p->i++;
        if (!digits(p)) return jfail(p, "bad number (exponent)");
    }
    *x = strtod(p->s + i0, NULL);
    return 0;
}

static int jvalue(jp_t *p, cm_json_t *v, int depth)
{
    memset(v, 0, sizeof *v);
    skip(p);
    v->line = p->line;
    char c = p->s[p->i];
    if (c == '{' || c == '[') {
        if (depth >= CM_JSON_MAXDEPTH) return jfail(p, "nesting too deep");
        char close = c == '{' ? '}' : ']';
        int cap = 0, kcap = 0;
        v->type = c == '{' ? CM_JSON_OBJ : CM_JSON_ARR;
        p->i++;
        skip(p);
        if (p->s[p->i] == close) { p->i++; return 0; }
        for (;;) {
            skip(p);
            if (v->type == CM_JSON_OBJ) {
                if (p->s[p->i] != '"') return jfail(p, p->s[p->i] == '}' ? "trailing ',' in object"
                                                                    : "object key must be a \"string\"");
                v->key = cm_grow(v->key, v->n, &kcap, sizeof *v->key, 8);
                if (jstring(p, &v->key[v->n]) < 0) return -1;
                skip(p);
                if (p->s[p->i] != ':') { free(v->key[v->n]); return jfail(p, "expected ':' after object key"); }
                p->i++;
            }
            v->kid = cm_grow(v->kid, v->n, &cap, sizeof *v->kid, 8);
            if (v->type == CM_JSON_ARR) { skip(p); if (p->s[p->i] == ']') return jfail(p, "trailing ',' in array"); }
            int rc = jvalue(p, &v->kid[v->n], depth + 1);
            v->n++;   /* counted even on failure so cm_json_free frees it */
            if (rc < 0) return -1;
            skip(p);
            if (p->s[p->i] == ',') { p->i++; continue; }
            if (p->s[p->i] == close) { p->i++; return 0; }
            return jfail(p, close == '}' ? "expected ',' or '}' in object" : "expected ',' or ']' in array");
        }
    }
    if (c == '"') { v->type = CM_JSON_STR; return jstring(p, &v->str); }
    if (c == '-' || (c >= '0' && c <= '9')) { v->type = CM_JSON_NUM; return jnumber(p, &v->num); }
    static const char *lit[] = {"null", "false", "true"};
    for (int k = 0; k < 3; k++) {
        size_t l = strlen(lit[k]);
        if (!strncmp(p->s + p->i, lit[k], l)) { v->type = (cm_json_type_t)k; p->i += l; return 0; }
    }
    return jfail(p, c ? "unexpected character (not a JSON value)" : "unexpected end of input");
}

int cm_json_parse(const char *path, const char *buf, size_t *pos, long *line,
                  cm_json_t *out, cm_err_t *err)
{
    jp_t p = {path, buf, *pos, *line, err};
    if (jvalue(&p, out, 0) < 0) { cm_json_free(out); return -1; }
    *pos = p.i;
    *line = p.line;
    return 0;
}

const cm_json_t *cm_json_get(const cm_json_t *v, const char *key)
{
    if (!v || v->type != CM_JSON_OBJ) return NULL;
    for (int i = 0; i < v->n; i++)
        if (!strcmp(v->key[i], key)) return &v->kid[i];
    return NULL;
}

const char *cm_json_type_name(cm_json_type_t t)
{
    static const char *names[] = {"null", "false", "true", "number", "string", "array", "object"};
    return (unsigned)t < 7u ? names[t] : "?";
}

void cm_json_free(cm_json_t *v)
{
    if (!v) return;
    for (int i = 0; i < v->n; i++) {
        cm_json_free(&v->kid[i]);
        if (v->key) free(v->key[i]);
    }
    free(v->kid);
    free(v->key);
    free(v->str);
    memset(v, 0, sizeof *v);
}
