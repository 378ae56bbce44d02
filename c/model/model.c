/* model.c — model file container and the generic model interface; see model.h. */
#include "model/model.h"
#include "model/kinds.h"
#include "core/textio.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct cm_model_s {
    const cm_model_ops_t *ops;
    void *impl;
    int L, H;
    char **heads;
};

/* ---------- container ---------- */

#define HEADER_MAX (1 << 20)  /* a header longer than 1 MiB is not a model file */

static int host_is_le(void)
{
    const uint16_t x = 1;
    return *(const uint8_t *)&x == 1;
}

/* Parse "D0,D1,..." into t->shape. */
static int parse_shape(const char *s, cm_tensor_t *t)
{
    t->ndim = 0;
    t->n = 1;
    while (*s) {
        if (t->ndim == CM_TENSOR_MAXDIM) return -1;
        char *end;
        errno = 0;
        long long d = strtoll(s, &end, 10);
        if (end == s || errno || d <= 0 || d > (1LL << 40)) return -1;
        t->shape[t->ndim++] = d;
        if (t->n > (1LL << 40) / d) return -1;
        t->n *= d;
        s = end;
        if (*s == ',') { s++; if (!*s) return -1; }
        else if (*s) return -1;
    }
    return t->ndim > 0 ? 0 : -1;
}

void cm_model_file_free(cm_model_file_t *f)
{
    if (!f) return;
    for (int i = 0; i < f->n_keys; i++) { free(f->keys[i]); free(f->vals[i]); }
    for (int i = 0; i < f->n_tensors; i++) { free(f->t[i].name); free(f->t[i].data); }
    free(f->keys); free(f->vals); free(f->key_line); free(f->t);
    free(f->kind); free(f->path);
    memset(f, 0, sizeof *f);
}

int cm_model_file_read(const char *path, cm_model_file_t *f, cm_err_t *err)
{
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "rb");
    if (!fp) return cm_fail(err, "%s: cannot open model file: %s", path, strerror(errno));
    f->path = cm_strdup(path);

    /* Header: lines up to and including "end\n". */
    size_t cap = 256, len = 0;
    char *line = cm_malloc(cap);
    long lineno = 0;
    int64_t total_bytes = 0;   /* tensor data expected */
    int ended = 0, rc = -1;
    size_t header_bytes = 0;
    while (!ended) {
        len = 0;
        int c;
        while ((c = fgetc(fp)) != EOF && c != '\n') {
            if (c == 0 || header_bytes + len > HEADER_MAX) {
                cm_fail(err, "%s:%ld: not a coopmap model file (binary data in the header)",
                        path, lineno + 1);
                goto out;
            }
            if (len + 1 >= cap) line = cm_realloc(line, cap *= 2);
            line[len++] = (char)c;
        }
        line[len] = 0;
        lineno++;
        header_bytes += len + 1;
        if (c == '\n' && len > 0 && line[len - 1] == '\r') {
            /* CRLF: converted to DOS line ends, which also changed bytes of the tensors */
            cm_fail(err, "%s:%ld: the header line ends in CRLF: the file was converted to DOS line "
                    "ends, which also damages its binary tensor data (convert the model again)",
                    path, lineno);
            goto out;
        }
        if (c == EOF && lineno == 1 && len > 0 && strncmp(line, CM_MODEL_MAGIC " ", strlen(CM_MODEL_MAGIC) + 1) != 0) {
            cm_fail(err, "%s:1: not a coopmap model file (convert checkpoints with coopmap-convert-model)", path);
            goto out;
        }
        if (c == EOF) {
            if (lineno == 1 && len == 0) cm_fail(err, "%s: empty model file", path);
            else cm_fail(err, "%s:%ld: truncated model file (header has no 'end' line)", path, lineno);
            goto out;
        }
        if (lineno == 1) {
            size_t ml = strlen(CM_MODEL_MAGIC);
            long ver;
            if (strncmp(line, CM_MODEL_MAGIC " ", ml + 1) != 0) {
                cm_fail(err, "%s:1: not a coopmap model file (first line must be '"
                        CM_MODEL_MAGIC " %d'; convert checkpoints with coopmap-convert-model)",
                        path, CM_MODEL_FORMAT_VERSION);
                goto out;
            }
            if (cm_parse_long(line + ml + 1, &ver) != 0 || ver != CM_MODEL_FORMAT_VERSION) {
                cm_fail(err, "%s:1: unsupported model format version '%s' (this build reads %d)",
                        path, line + ml + 1, CM_MODEL_FORMAT_VERSION);
                goto out;
            }
            continue;
        }
        if (strcmp(line, "end") == 0) { ended = 1; break; }
        char *sp = strchr(line, ' ');
        if (!sp || sp == line || sp[1] == 0) {
            cm_fail(err, "%s:%ld: expected 'KEY VALUE', got '%s'", path, lineno, line);
            goto out;
        }
        *sp = 0;
        const char *key = line, *val = sp + 1;
        if (lineno == 2 && strcmp(key, "kind") != 0) {
            cm_fail(err, "%s:2: expected 'kind KIND' as the second line", path);
            goto out;
        }
        if (strcmp(key, "tensor") == 0) {
            char buf[1024];
            if (strlen(val) >= sizeof buf) { cm_fail(err, "%s:%ld: tensor line too long", path, lineno); goto out; }
            strcpy(buf, val);
            char *tok[4];
            int nt = cm_split_ws(buf, tok, 4);
            cm_tensor_t t = {0};
            if (nt != 3 || strcmp(tok[1], "f32") != 0 || parse_shape(tok[2], &t) != 0) {
                cm_fail(err, "%s:%ld: expected 'tensor NAME f32 D0,D1,...' with positive sizes", path, lineno);
                goto out;
            }
            if (cm_model_file_tensor(f, tok[0])) {
                cm_fail(err, "%s:%ld: tensor '%s' defined twice", path, lineno, tok[0]);
                goto out;
            }
            t.name = cm_strdup(tok[0]);
            t.line = lineno;
            f->t = cm_realloc(f->t, (size_t)(f->n_tensors + 1) * sizeof *f->t);
            f->t[f->n_tensors++] = t;
            total_bytes += t.n * 4;
        } else {
            f->keys = cm_realloc(f->keys, (size_t)(f->n_keys + 1) * sizeof *f->keys);
            f->vals = cm_realloc(f->vals, (size_t)(f->n_keys + 1) * sizeof *f->vals);
            f->key_line = cm_realloc(f->key_line, (size_t)(f->n_keys + 1) * sizeof *f->key_line);
            f->keys[f->n_keys] = cm_strdup(key);
            f->vals[f->n_keys] = cm_strdup(val);
            f->key_line[f->n_keys++] = lineno;
            if (strcmp(key, "kind") == 0 && !f->kind) f->kind = cm_strdup(val);
        }
    }
    if (!f->kind) { cm_fail(err, "%s: no 'kind' line in the header", path); goto out; }

    /* Data: exactly total_bytes, then EOF.  In a regular file the bytes left are known:
     * a tensor larger than them is reported before it is allocated (a corrupt shape
     * must not ask for terabytes). */
    int le = host_is_le();
    struct stat st;
    long here = ftell(fp);
    int64_t left = fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && here >= 0
                       ? (int64_t)st.st_size - here : -1;
    for (int i = 0; i < f->n_tensors; i++) {
        cm_tensor_t *t = &f->t[i];
        int big = left >= 0 && t->n * 4 > left;
        t->data = cm_malloc(big ? 4 : (size_t)t->n * sizeof(float));
        size_t got = big ? (size_t)left : fread(t->data, 1, (size_t)t->n * 4, fp);
        if (left >= 0) left -= (int64_t)got;
        if (got != (size_t)t->n * 4) {
            cm_fail(err, "%s: truncated model file: tensor '%s' needs %lld bytes, only %lld "
                    "left (%lld bytes of tensor data expected in all)", path, t->name,
                    (long long)t->n * 4, (long long)got, (long long)total_bytes);
            goto out;
        }
        if (!le) {
            uint8_t *b = (uint8_t *)t->data;
            for (int64_t j = 0; j < t->n; j++) {
                uint8_t x0 = b[4*j], x1 = b[4*j+1];
                b[4*j] = b[4*j+3]; b[4*j+1] = b[4*j+2]; b[4*j+2] = x1; b[4*j+3] = x0;
            }
        }
        for (int64_t j = 0; j < t->n; j++)
            if (!isfinite(t->data[j])) {
                cm_fail(err, "%s: tensor '%s' has a non-finite value at flat index %lld",
                        path, t->name, (long long)j);
                goto out;
            }
    }
    if (fgetc(fp) != EOF) {
        cm_fail(err, "%s: %s after the tensor data (header describes %lld bytes)", path,
                "unexpected bytes", (long long)total_bytes);
        goto out;
    }
    if (ferror(fp)) { cm_fail(err, "%s: read error", path); goto out; }
    rc = 0;
out:
    free(line);
    fclose(fp);
    if (rc) cm_model_file_free(f);
    return rc;
}

const char *cm_model_file_get(const cm_model_file_t *f, const char *key)
{
    for (int i = 0; i < f->n_keys; i++)
        if (strcmp(f->keys[i], key) == 0) return f->vals[i];
    return NULL;
}

long cm_model_file_key_line(const cm_model_file_t *f, const char *key)
{
    for (int i = 0; i < f->n_keys; i++)
        if (strcmp(f->keys[i], key) == 0) return f->key_line[i];
    return 0;
}

const cm_tensor_t *cm_model_file_tensor(const cm_model_file_t *f, const char *name)
{
    for (int i = 0; i < f->n_tensors; i++)
        if (strcmp(f->t[i].name, name) == 0) return &f->t[i];
    return NULL;
}

/* ---------- interface ---------- */

cm_model_t *cm_model_wrap(const cm_model_ops_t *ops, void *impl, int input_length,
                          int n_heads, const char *const *head_names)
{
    cm_model_t *m = cm_calloc(1, sizeof *m);
    m->ops = ops;
    m->impl = impl;
    m->L = input_length;
    m->H = n_heads;
    m->heads = cm_calloc((size_t)n_heads, sizeof *m->heads);
    for (int i = 0; i < n_heads; i++) m->heads[i] = cm_strdup(head_names[i]);
    return m;
}

cm_model_t *cm_model_wrap_file(const cm_model_ops_t *ops, void *impl, int input_length,
                               int n_out, const cm_model_file_t *f, cm_err_t *err)
{
    /* heads: names separated by blanks, one per output */
    const char *hv = cm_model_file_get(f, "heads");
    long hl = cm_model_file_key_line(f, "heads");
    if (!hv) {
        cm_fail(err, "%s: header has no 'heads' line", f->path);
        if (ops->free_impl) ops->free_impl(impl);
        return NULL;
    }
    char *buf = cm_strdup(hv);
    int cap = (int)strlen(buf) + 1;   /* every name counted, for the message */
    char **tok = cm_malloc((size_t)cap * sizeof *tok);
    int nt = cm_split_ws(buf, tok, cap);
    cm_model_t *m = NULL;
    if (nt != n_out) {
        cm_fail(err, "%s:%ld: %d head names for a model with %d outputs", f->path, hl, nt, n_out);
        goto out;
    }
    for (int i = 0; i < nt; i++)
        for (int j = 0; j < i; j++)
            if (cm_strieq(tok[i], tok[j])) {
                cm_fail(err, "%s:%ld: head name '%s' repeated", f->path, hl, tok[i]);
                goto out;
            }
    m = cm_model_wrap(ops, impl, input_length, n_out, (const char *const *)tok);
out:
    if (!m && ops->free_impl) ops->free_impl(impl);
    free(tok); free(buf);
    return m;
}

cm_model_t *cm_model_load(const char *path, cm_err_t *err)
{
    /* kinds with a file format of their own (e.g. a grammar file) first */
    for (int k = 0; cm_model_kinds[k]; k++)
        if (cm_model_kinds[k]->sniff && cm_model_kinds[k]->sniff(path))
            return cm_model_kinds[k]->load(path, NULL, err);
    cm_model_file_t f;
    if (cm_model_file_read(path, &f, err) != 0) return NULL;
    cm_model_t *m = NULL;
    const cm_model_kind_t *kind = NULL;
    for (int k = 0; cm_model_kinds[k] && !kind; k++)
        if (!cm_model_kinds[k]->sniff && strcmp(f.kind, cm_model_kinds[k]->name) == 0)
            kind = cm_model_kinds[k];
    if (kind) {
        m = kind->load(path, &f, err);
    } else {
        char known[256] = "";
        for (int k = 0; cm_model_kinds[k]; k++)
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
                     k ? ", " : "", cm_model_kinds[k]->name);
        cm_fail(err, "%s:%ld: unknown model kind '%s' (this build knows: %s)", path,
                cm_model_file_key_line(&f, "kind"), f.kind, known);
    }
    cm_model_file_free(&f);
    return m;
}

void *cm_model_impl(const cm_model_t *m) { return m->impl; }
const char *cm_model_kind(const cm_model_t *m) { return m->ops->kind; }
int cm_model_input_length(const cm_model_t *m) { return m->L; }
int cm_model_n_heads(const cm_model_t *m) { return m->H; }
const char *cm_model_head_name(const cm_model_t *m, int i)
{
    return i >= 0 && i < m->H ? m->heads[i] : NULL;
}

int cm_model_head_index(const cm_model_t *m, const char *name)
{
    for (int i = 0; i < m->H; i++)
        if (cm_strieq(m->heads[i], name)) return i;
    return -1;
}

int cm_model_predict(const cm_model_t *m, const uint8_t *codes, int n, float *logits, cm_err_t *err)
{
    if (n <= 0) return 0;
    return m->ops->predict(m->impl, codes, n, logits, err);
}

int cm_model_has_incremental(const cm_model_t *m) { return m->ops->predict_edits != NULL; }

int cm_model_predict_edits(const cm_model_t *m, const uint8_t *base, int n,
                           const cm_model_edit_t *edits, float *logits, int full_recompute,
                           cm_err_t *err)
{
    if (n <= 0) return 0;
    for (int i = 0; i < n; i++)
        if (edits[i].start < 0 || edits[i].len < 0 || edits[i].start > m->L - edits[i].len)
            return cm_fail(err, "edit [%d, %d) outside the window of %d bp", edits[i].start,
                           edits[i].start + edits[i].len, m->L);
    if (m->ops->predict_edits && !full_recompute)
        return m->ops->predict_edits(m->impl, base, n, edits, logits, err);
    enum { BATCH = 64 };
    const size_t L = (size_t)m->L;
    uint8_t *codes = cm_malloc(BATCH * L);
    int rc = 0;
    for (int i0 = 0; i0 < n && rc == 0; i0 += BATCH) {
        int nb = n - i0 < BATCH ? n - i0 : BATCH;
        for (int i = 0; i < nb; i++) {
            uint8_t *w = codes + (size_t)i * L;
            const cm_model_edit_t *e = &edits[i0 + i];
            memcpy(w, base, L);
            memcpy(w + e->start, e->codes, (size_t)e->len);
        }
        rc = m->ops->predict(m->impl, codes, nb, logits + (size_t)i0 * m->H, err);
    }
    free(codes);
    return rc;
}

void cm_model_free(cm_model_t *m)
{
    if (!m) return;
    if (m->ops->free_impl) m->ops->free_impl(m->impl);
    for (int i = 0; i < m->H; i++) free(m->heads[i]);
    free(m->heads);
    free(m);
}
