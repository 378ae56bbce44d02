/* alphabet.c — MEME alphabets; see alphabet.h.  Rules follow MEME Suite 5.5.8's
 * alph-in.c (parser, merging of aliases, case) and alphabet.c (built-ins). */
#include "motif/alphabet.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <stdarg.h>

static int whyf(char *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int whyf(char *why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, 200, fmt, ap);
    va_end(ap);
    return -1;
}
#define WHY(...) whyf(why, __VA_ARGS__)

typedef struct {
    char sym;
    int core;                       /* 1 = core letter */
    char comp;                      /* complement symbol of a core letter, 0 none */
    char comprise[CM_ALPH_MAX + 2]; /* ambiguous: the core symbols it stands for */
} bsym_t;

struct cm_alph_block_s {
    char name[64];
    int like;
    int in_ambig;                   /* an ambiguous line was seen: no more core lines */
    int n;
    bsym_t s[256];
    int seen_upper, seen_lower;
    int builtin_def;                /* building a built-in: no comparison with itself */
};

static int is_sym(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '?' || c == '.' || c == '*' || c == '-';
}

/* MEME's alph_sym_cmp: letters < digits < other symbols, each by ASCII. */
static int sym_class(int c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return 0;
    if (c >= '0' && c <= '9') return 1;
    return 2;
}

static int sym_cmp(const void *x, const void *y)
{
    int a = *(const unsigned char *)x, b = *(const unsigned char *)y;
    if (sym_class(a) != sym_class(b)) return sym_class(a) - sym_class(b);
    return a - b;
}

static bsym_t *find(cm_alph_block_t *b, char c)
{
    for (int i = 0; i < b->n; i++)
        if (b->s[i].sym == c) return &b->s[i];
    return NULL;
}

static void note_case(cm_alph_block_t *b, char c)
{
    if (c >= 'A' && c <= 'Z') b->seen_upper = 1;
    else if (c >= 'a' && c <= 'z') b->seen_lower = 1;
}

int cm_alph_is_end(const char *line)
{
    const char *s = line;
    while (isspace((unsigned char)*s)) s++;
    if (strncasecmp(s, "END", 3) != 0 || !isspace((unsigned char)s[3])) return 0;
    s += 3;
    while (isspace((unsigned char)*s)) s++;
    if (strncasecmp(s, "ALPHABET", 8) != 0) return 0;
    s += 8;
    while (isspace((unsigned char)*s)) s++;
    return *s == 0;
}

int cm_alph_is_header(const char *line)
{
    const char *s = line;
    while (isspace((unsigned char)*s)) s++;
    if (strncasecmp(s, "ALPHABET", 8) != 0) return 0;
    s += 8;
    if (*s && !isspace((unsigned char)*s)) return 0;   /* "ALPHABETS", "ALPHABET=" */
    while (*s == ' ' || *s == '\t') s++;
    return *s != '=';
}

/* A quoted name with backslash escapes at *p (after blanks): copies up to 63 bytes. */
static int parse_name(const char **p, char *out, size_t cap)
{
    const char *s = *p;
    if (*s != '"') return 0;
    s++;
    size_t n = 0;
    while (*s && *s != '"') {
        if (*s == '\\' && s[1]) s++;
        if (n + 1 < cap) out[n++] = *s;
        s++;
    }
    if (*s != '"') return -1;
    if (cap) out[n] = 0;
    *p = s + 1;
    return 1;
}

cm_alph_block_t *cm_alph_block_begin(const char *header, char *why)
{
    const char *s = header;
    while (isspace((unsigned char)*s)) s++;
    if (strncasecmp(s, "ALPHABET", 8) != 0) { WHY("not an ALPHABET header"); return NULL; }
    s += 8;
    cm_alph_block_t *b = cm_calloc(1, sizeof *b);
    while (isspace((unsigned char)*s)) s++;
    if (*s == '"') {
        if (parse_name(&s, b->name, sizeof b->name) < 0) {
            WHY("unterminated alphabet name");
            free(b);
            return NULL;
        }
        while (isspace((unsigned char)*s)) s++;
    }
    if (*s) {
        static const char *L[] = {"RNA-LIKE", "DNA-LIKE", "PROTEIN-LIKE"};
        static const int K[] = {CM_ALPH_RNA, CM_ALPH_DNA, CM_ALPH_PROTEIN};
        for (int i = 0; i < 3 && !b->like; i++) {
            size_t l = strlen(L[i]);
            if (strncasecmp(s, L[i], l) == 0) { b->like = K[i]; s += l; }
        }
        while (isspace((unsigned char)*s)) s++;
        if (*s) {
            WHY("bad ALPHABET header (expected ALPHABET [\"name\"] [RNA-LIKE|DNA-LIKE|PROTEIN-LIKE]) at '%.40s'", s);
            free(b);
            return NULL;
        }
    }
    return b;
}

/* SYM ["name"] [RRGGBB] at *p: the symbol, or 0 with why filled. */
static char parse_spec(const char **p, char *why)
{
    const char *s = *p;
    while (isspace((unsigned char)*s)) s++;
    if (!is_sym((unsigned char)*s)) { WHY("expected a symbol (A-Z a-z 0-9 ? . * -) at '%.40s'", s); return 0; }
    char c = *s++;
    if (*s && !isspace((unsigned char)*s) && *s != '~' && *s != '=') {
        WHY("symbols are one character: '%.40s'", *p);
        return 0;
    }
    const char *t = s;
    while (isspace((unsigned char)*t)) t++;
    if (*t == '"' && t != s) {
        char tmp[64];
        if (parse_name(&t, tmp, sizeof tmp) < 0) { WHY("unterminated name of symbol %c", c); return 0; }
        s = t;
        t = s;
        while (isspace((unsigned char)*t)) t++;
    }
    if (t != s) {
        int h = 0;
        while (h < 6 && isxdigit((unsigned char)t[h])) h++;
        if (h == 6 && (!t[6] || isspace((unsigned char)t[6]) || t[6] == '~' || t[6] == '=')) s = t + 6;
    }
    *p = s;
    return c;
}

static int add_core(cm_alph_block_t *b, char c, char comp, char *why)
{
    if (c == '?')
        return WHY("symbol '?' is reserved as a wildcard and can not be defined to have any other meaning");
    if (find(b, c)) return WHY("core symbol %c is already defined", c);
    if (b->n >= 256) return WHY("too many symbols");
    bsym_t *x = &b->s[b->n++];
    memset(x, 0, sizeof *x);
    x->sym = c;
    x->core = 1;
    x->comp = comp;
    note_case(b, c);
    return 0;
}

int cm_alph_block_line(cm_alph_block_t *b, const char *line, char *why)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", line);
    char *hash = strchr(buf, '#');
    if (hash) *hash = 0;
    const char *s = buf;
    while (isspace((unsigned char)*s)) s++;
    if (!*s) return 0;
    char c = parse_spec(&s, why);
    if (!c) return -1;
    while (isspace((unsigned char)*s)) s++;
    if (*s == 0 || *s == '~') {
        if (b->in_ambig)
            return WHY("core symbol %c after an ambiguous symbol: core symbols come first", c);
        if (*s == 0) return add_core(b, c, 0, why);
        s++;
        char d = parse_spec(&s, why);
        if (!d) return -1;
        while (isspace((unsigned char)*s)) s++;
        if (*s) return WHY("unexpected '%.40s' after the complementary pair %c ~ %c", s, c, d);
        if (add_core(b, c, d, why) < 0) return -1;
        return add_core(b, d, c, why);
    }
    if (*s != '=') return WHY("line '%.60s' did not match any expected patterns", line);
    s++;
    while (isspace((unsigned char)*s)) s++;
    char comprise[CM_ALPH_MAX + 2];
    int n = 0;
    for (; *s && !isspace((unsigned char)*s); s++) {
        if (!is_sym((unsigned char)*s)) return WHY("'%c' is not a symbol (in %c = ...)", *s, c);
        bsym_t *x = find(b, *s);
        if (!x || !x->core) return WHY("required core symbol %c has not been defined", *s);
        if (!memchr(comprise, *s, (size_t)n)) {
            if (n >= CM_ALPH_MAX) return WHY("ambiguous symbol %c: too many letters", c);
            comprise[n++] = *s;
        }
    }
    while (isspace((unsigned char)*s)) s++;
    if (*s) return WHY("unexpected '%.40s' after ambiguous symbol %c", s, c);
    if (n == 0) return WHY("ambiguous symbol %c stands for no core symbol", c);
    comprise[n] = 0;
    if (c == '?') {
        int ncore = 0;
        for (int i = 0; i < b->n; i++) ncore += b->s[i].core;
        if (n != ncore)
            return WHY("symbol '?' is reserved as a wildcard and can not be defined to have any other meaning");
    }
    if (find(b, c)) return WHY("ambiguous symbol %c is already defined", c);
    if (b->n >= 256) return WHY("too many symbols");
    bsym_t *x = &b->s[b->n++];
    memset(x, 0, sizeof *x);
    x->sym = c;
    memcpy(x->comprise, comprise, (size_t)n + 1);
    note_case(b, c);
    b->in_ambig = 1;
    return 0;
}

static void set_code(cm_alph_t *a, unsigned char c, int both, unsigned char v, int amb)
{
    unsigned char other = c;
    if (both && c >= 'A' && c <= 'Z') other = (unsigned char)(c + 32);
    else if (both && c >= 'a' && c <= 'z') other = (unsigned char)(c - 32);
    if (amb) { a->amb[c] = v; a->amb[other] = v; }
    else { a->code[c] = v; a->code[other] = v; }
}

static int core_index(const cm_alph_t *a, char c)
{
    const char *p = strchr(a->core, c);
    return p && c ? (int)(p - a->core) : -1;
}

static void builtin_check(cm_alph_t *a);

int cm_alph_block_end(cm_alph_block_t *b, cm_alph_t *a, char *why)
{
    memset(a, 0, sizeof *a);
    memset(a->code, CM_ALPH_NONE, sizeof a->code);
    char core[257];
    int k = 0;
    for (int i = 0; i < b->n; i++)
        if (b->s[i].core) core[k++] = b->s[i].sym;
    if (k == 0) return WHY("no core symbols");
    if (k > CM_ALPH_MAX) return WHY("%d core symbols, at most %d are supported", k, CM_ALPH_MAX);
    core[k] = 0;
    qsort(core, (size_t)k, 1, sym_cmp);
    a->k = k;
    memcpy(a->core, core, (size_t)k + 1);
    for (int i = 0; i < b->n; i++) {
        bsym_t *x = &b->s[i];
        if (x->core && x->comp) {
            bsym_t *y = find(b, x->comp);
            if (!y || !y->core)
                return WHY("core symbol %c has complement %c which has not been defined", x->sym, x->comp);
        }
    }
    a->case_insensitive = b->seen_lower != b->seen_upper;
    int both = a->case_insensitive;
    for (int i = 0; i < k; i++) {
        bsym_t *x = find(b, core[i]);
        a->comp[i] = (signed char)(x->comp ? core_index(a, x->comp) : -1);
        set_code(a, (unsigned char)core[i], both, (unsigned char)i, 0);
    }
    a->complementable = a->comp[0] >= 0;
    /* ambiguous symbols: one core letter = an alias; the same set = one merged symbol */
    for (int i = 0; i < b->n; i++) {
        bsym_t *x = &b->s[i];
        if (x->core) continue;
        if (strlen(x->comprise) == 1) {
            set_code(a, (unsigned char)x->sym, both, (unsigned char)core_index(a, x->comprise[0]), 0);
            continue;
        }
        uint64_t m[2] = {0, 0};
        for (const char *p = x->comprise; *p; p++) {
            int ci = core_index(a, *p);
            m[ci / 64] |= (uint64_t)1 << (ci % 64);
        }
        int g = -1;
        for (int j = 0; j < a->namb; j++)
            if (a->amask[j][0] == m[0] && a->amask[j][1] == m[1]) g = j;
        if (g < 0) {
            if (a->namb >= CM_ALPH_AMAX) return WHY("too many ambiguous symbols");
            g = a->namb++;
            a->amask[g][0] = m[0];
            a->amask[g][1] = m[1];
        }
        set_code(a, (unsigned char)x->sym, both, (unsigned char)(g + 1), 1);
    }
    a->like = b->like;
    if (b->name[0]) snprintf(a->name, sizeof a->name, "%s", b->name);
    else snprintf(a->name, sizeof a->name, "%.63s", a->core);
    /* MEME check_alphabet_extension */
    const char *req = NULL, *rc = NULL, *ext = NULL;
    if (b->like == CM_ALPH_RNA) { ext = "RNA"; req = "ACGU"; }
    else if (b->like == CM_ALPH_DNA) { ext = "DNA"; req = "ACGT"; rc = "TGCA"; }
    else if (b->like == CM_ALPH_PROTEIN) { ext = "protein"; req = "ACDEFGHIKLMNPQRSTVWY"; }
    for (int i = 0; req && req[i]; i++) {
        int x = core_index(a, req[i]);
        if (x < 0) return WHY("not like %s alphabet as %c is not defined", ext, req[i]);
        if (rc && a->comp[x] != core_index(a, rc[i]))
            return WHY("not like %s alphabet as %c complement rules are incorrect", ext, req[i]);
    }
    if (a->like && !b->builtin_def) builtin_check(a);
    return 0;
}

void cm_alph_block_free(cm_alph_block_t *b) { free(b); }

/* Build from definition lines (the built-ins); aborts on a bad definition. */
static void from_lines(cm_alph_t *a, const char *header, const char *const *lines, int builtin)
{
    char why[200];
    cm_alph_block_t *b = cm_alph_block_begin(header, why);
    if (b) b->builtin_def = 1;
    for (int i = 0; b && lines[i]; i++)
        if (cm_alph_block_line(b, lines[i], why) != 0) { fprintf(stderr, "alphabet: %s\n", why); abort(); }
    if (!b || cm_alph_block_end(b, a, why) != 0) { fprintf(stderr, "alphabet: %s\n", why); abort(); }
    cm_alph_block_free(b);
    a->builtin = builtin;
}

static const char *const DNA_LINES[] = {
    "A ~ T", "C ~ G", "U = T", "W = AT", "S = CG", "M = AC", "K = GT", "R = AG", "Y = CT",
    "B = CGT", "D = AGT", "H = ACT", "V = ACG", "N = ACGT", "X = ACGT", ". = ACGT", NULL};
static const char *const RNA_LINES[] = {
    "A", "C", "G", "U", "T = U", "W = AU", "S = CG", "M = AC", "K = GU", "R = AG", "Y = CU",
    "B = CGU", "D = AGU", "H = ACU", "V = ACG", "N = ACGU", "X = ACGU", ". = ACGU", NULL};
static const char *const PROT_LINES[] = {
    "A", "R", "N", "D", "C", "E", "Q", "G", "H", "I", "L", "K", "M", "F", "P", "S", "T", "W",
    "Y", "V", "B = ND", "Z = QE", "J = LI", "X = ARNDCEQGHILKMFPSTWYV",
    "* = ARNDCEQGHILKMFPSTWYV", ". = ARNDCEQGHILKMFPSTWYV", NULL};

void cm_alph_dna(cm_alph_t *a) { from_lines(a, "ALPHABET \"DNA\" DNA-LIKE", DNA_LINES, CM_ALPH_DNA); }
void cm_alph_rna(cm_alph_t *a) { from_lines(a, "ALPHABET \"RNA\" RNA-LIKE", RNA_LINES, CM_ALPH_RNA); }
void cm_alph_protein(cm_alph_t *a)
{
    from_lines(a, "ALPHABET \"Protein\" PROTEIN-LIKE", PROT_LINES, CM_ALPH_PROTEIN);
}

static void builtin_check(cm_alph_t *a)
{
    cm_alph_t ref;
    if (a->like == CM_ALPH_DNA) cm_alph_dna(&ref);
    else if (a->like == CM_ALPH_RNA) cm_alph_rna(&ref);
    else cm_alph_protein(&ref);
    if (cm_alph_equal(a, &ref)) a->builtin = a->like;
}

int cm_alph_from_letters(const char *letters, cm_alph_t *a)
{
    if (!strcasecmp(letters, "ACGT")) cm_alph_dna(a);
    else if (!strcasecmp(letters, "ACGU")) cm_alph_rna(a);
    else if (!strcasecmp(letters, "ACDEFGHIKLMNPQRSTVWY")) cm_alph_protein(a);
    else return -1;
    return 0;
}

/* Core letters meant by byte c (core letter, alias, ambiguous set, or none). */
static void meaning(const cm_alph_t *a, int c, uint64_t m[2])
{
    m[0] = m[1] = 0;
    if (a->code[c] != CM_ALPH_NONE) m[a->code[c] / 64] = (uint64_t)1 << (a->code[c] % 64);
    else if (a->amb[c]) { m[0] = a->amask[a->amb[c] - 1][0]; m[1] = a->amask[a->amb[c] - 1][1]; }
}

int cm_alph_equal(const cm_alph_t *a, const cm_alph_t *b)
{
    if (a->k != b->k || strcmp(a->core, b->core) != 0) return 0;
    for (int i = 0; i < a->k; i++)
        if (a->comp[i] != b->comp[i]) return 0;
    for (int c = 0; c < 256; c++) {
        uint64_t x[2], y[2];
        meaning(a, c, x);
        meaning(b, c, y);
        if (x[0] != y[0] || x[1] != y[1]) return 0;
    }
    return 1;
}

int cm_alph_core_subset(const cm_alph_t *sub, const cm_alph_t *super, int *idx)
{
    int ok = 1;
    for (int i = 0; i < sub->k; i++) {
        int j = super->code[(unsigned char)sub->core[i]];
        if (j == CM_ALPH_NONE) return 0;
        if (idx) idx[i] = j;
    }
    for (int i = 0; i < sub->k; i++) {
        int j = super->code[(unsigned char)sub->core[i]];
        int cs = sub->comp[i], cp = super->comp[j];
        int want = cs < 0 ? -1 : super->code[(unsigned char)sub->core[cs]];
        if (want == CM_ALPH_NONE) want = -1;
        if (cp != want) ok = -1;
    }
    return ok;
}

void cm_alph_symmetrise(const cm_alph_t *a, double *bg)
{
    for (int i = 0; i < a->k; i++) {
        int c = a->comp[i];
        if (c > i && a->comp[c] == i) {
            double v = (bg[i] + bg[c]) / 2.0;
            bg[i] = bg[c] = v;
        }
    }
}
