/* fuzz_fasta.c — libFuzzer harness: FASTA (plain, gzip, BGZF) through both readers,
 * seqio.h record by record and fachunk.h in small overlapping chunks, and checks that
 * they agree: the same records, names, descriptions and letters (chunks reassembled
 * from their overlap), and the same success or failure. */
#include "fuzz_common.h"
#include "seq/seqio.h"
#include "seq/fachunk.h"

typedef struct { char *name, *desc, *seq; size_t len; } rec_t;

static void fail(const char *what, long rec)
{
    fprintf(stderr, "seqio and fachunk disagree: %s (record %ld)\n", what, rec);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    /* pass 1: seqio */
    rec_t *recs = NULL;
    long n = 0, cap = 0;
    int rc1;
    cm_err_t err = {{0}};
    cm_fasta_t *f = cm_fasta_open(path, &err);
    if (!f) return 0;
    cm_seqrec_t r = {0};
    while ((rc1 = cm_fasta_next(f, &r, &err)) == 1) {
        if (n == cap) { cap = cap ? 2 * cap : 8; recs = realloc(recs, (size_t)cap * sizeof *recs); }
        recs[n].name = strdup(r.name); recs[n].desc = strdup(r.desc);
        recs[n].seq = malloc(r.len + 1); memcpy(recs[n].seq, r.seq, r.len + 1);
        recs[n].len = r.len;
        if (strlen(r.seq) != r.len) fail("seqio len != strlen(seq)", n);
        n++;
    }
    if (rc1 < 0 && !err.msg[0]) abort();
    cm_seqrec_free(&r);
    cm_fasta_close(f);
    /* pass 2: fachunk, chunk size and overlap from the input's length */
    size_t cb = 1 + size % 13, ov = size % 5;
    cm_err_t err2 = {{0}};
    cm_fachunk_t *c = cm_fachunk_open(path, cb, ov, &err2);
    if (!c) fail("fachunk cannot open", -1);
    cm_chunk_t ch;
    long k = -1;
    size_t got = 0, prevlen = 0;
    int rc2, past = 0;
    while ((rc2 = cm_fachunk_next(c, &ch, &err2)) == 1) {
        if (ch.seq[ch.len] != 0) fail("chunk not NUL-terminated", k);
        if (ch.first) {
            if (k >= 0 && k < n && got != recs[k].len) fail("length", k);
            k++; got = 0;
            if (ch.rec != k) fail("record index", k);
            if (k >= n) {
                if (rc1 >= 0) fail("extra record", k);
                past = 1;     /* seqio failed in this record: fachunk must fail later */
            }
            if (!past && (strcmp(ch.name, recs[k].name) || strcmp(ch.desc, recs[k].desc)))
                fail("name/desc", k);
            if (ch.start != 0) fail("first chunk start", k);
        } else if (ch.start != got - (prevlen < ov ? prevlen : ov)) {
            fail("chunk start", k);
        }
        prevlen = ch.len;
        if (!past) {
            if (ch.start + ch.len > recs[k].len) fail("chunk past the end", k);
            if (memcmp(ch.seq, recs[k].seq + ch.start, ch.len)) fail("letters", k);
        }
        got = ch.start + ch.len;
        if (!past && ch.last && got != recs[k].len) fail("last chunk short", k);
    }
    if (rc2 < 0 && !err2.msg[0]) abort();
    if (rc1 < 0 && rc2 >= 0) fail("seqio failed, fachunk did not", k);
    if (rc1 == 0 && rc2 < 0) fail("fachunk failed, seqio did not", k);
    if (rc1 == 0 && k + 1 != n) fail("record count", k);
    if (rc1 == 0 && k >= 0 && got != recs[k].len) fail("length at end", k);
    cm_fachunk_close(c);
    for (long i = 0; i < n; i++) { free(recs[i].name); free(recs[i].desc); free(recs[i].seq); }
    free(recs);
    return 0;
}
