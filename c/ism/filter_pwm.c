/* filter_pwm.c — first-layer filters as MEME motifs (see filter_pwm.h). */
#include "ism/filter_pwm.h"
#include "seq/seqio.h"
#include "core/textio.h"
#include "core/dna.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Read the next record of f into codes (grown as needed); 1, 0 at EOF, -1 on error. */
static int next_codes(cm_fasta_t *f, cm_seqrec_t *rec, uint8_t **codes, size_t *cap,
                      float **act, size_t *acap, int U, cm_err_t *err)
{
    int rc = cm_fasta_next(f, rec, err);
    if (rc != 1) return rc;
    if (rec->len > (size_t)1 << 30)
        return cm_fail(err, "%s:%ld: sequence '%s' is %zu bp (limit 2^30)", cm_fasta_path(f),
                       rec->lineno, rec->name, rec->len);
    if (rec->len > *cap) {
        *cap = rec->len;
        *codes = cm_realloc(*codes, *cap);
        *acap = *cap * (size_t)U;
        *act = cm_realloc(*act, *acap * sizeof(float));
    }
    for (size_t j = 0; j < rec->len; j++) (*codes)[j] = cm_nt4((unsigned char)rec->seq[j]);
    return 1;
}

/* ok[t] = 1 when codes[t, t + K) has no N; returns T (0 if L < K). */
static int valid_positions(const uint8_t *codes, int L, int K, uint8_t *ok)
{
    int T = L - K + 1, run = 0;   /* run: ACGT bases ending at j */
    if (T < 1) return 0;
    for (int j = 0; j < L; j++) {
        run = codes[j] < 4 ? run + 1 : 0;
        if (j >= K - 1) ok[j - K + 1] = run >= K;
    }
    return T;
}

/* A first layer: U filters of width K; values(ctx, codes, L, out) writes U × (L − K + 1)
 * values; logrule: the values are pre-exp (threshold max + log F), otherwise they are the
 * activations themselves (threshold F · max when max > 0; see filter_pwm.h). */
typedef struct {
    int U, K, logrule;
    const void *ctx;
    void (*values)(const void *ctx, const uint8_t *codes, int L, float *out);
} layer_src_t;

static void cnn_values(const void *ctx, const uint8_t *codes, int L, float *out)
{
    cm_cnn_first_layer((const cm_cnn_t *)ctx, codes, L, out);
}

static void seqcnn_pre_values(const void *ctx, const uint8_t *codes, int L, float *out)
{
    cm_seqcnn_first_conv_values((const cm_seqcnn_t *)ctx, codes, L, 0, out);
}

static void seqcnn_act_values(const void *ctx, const uint8_t *codes, int L, float *out)
{
    cm_seqcnn_first_conv_values((const cm_seqcnn_t *)ctx, codes, L, 1, out);
}

static int count_filters(const layer_src_t *src, const char *fasta, double F, cm_filter_counts_t *fc,
                         cm_err_t *err)
{
    memset(fc, 0, sizeof *fc);
    if (!(F >= 0 && F <= 1)) return cm_fail(err, "--filter-threshold: expected a number in 0..1, got %g", F);
    const int U = src->U, K = src->K;
    fc->U = U; fc->K = K; fc->F = F;
    fc->max = cm_malloc((size_t)U * sizeof(float));
    fc->nsites = cm_calloc((size_t)U, sizeof(long));
    fc->counts = cm_calloc((size_t)U * K * 4, sizeof(long));
    for (int u = 0; u < U; u++) fc->max[u] = -INFINITY;
    double *thr = cm_malloc((size_t)U * sizeof(double));
    uint8_t *codes = NULL, *ok = NULL;
    float *act = NULL;
    size_t cap = 0, acap = 0, okcap = 0;
    cm_seqrec_t rec = {0};
    int ret = -1;
    long n2 = 0;   /* records seen by pass 2 */
    for (int pass = 0; pass < 2; pass++) {
        cm_fasta_t *f = cm_fasta_open(fasta, err);
        if (!f) goto out;
        int rc;
        while ((rc = next_codes(f, &rec, &codes, &cap, &act, &acap, U, err)) == 1) {
            const int L = (int)rec.len;
            if (pass == 0) fc->n_seqs++;
            else n2++;
            if ((size_t)L > okcap) { okcap = (size_t)L; ok = cm_realloc(ok, okcap); }
            const int T = valid_positions(codes, L, K, ok);
            if (T == 0) continue;
            src->values(src->ctx, codes, L, act);
            if (pass == 0) {
                for (int t = 0; t < T; t++) fc->n_pos += ok[t];
                for (int u = 0; u < U; u++) {
                    const float *a = act + (size_t)u * T;
                    for (int t = 0; t < T; t++)
                        if (ok[t] && a[t] > fc->max[u]) fc->max[u] = a[t];
                }
                continue;
            }
            for (int u = 0; u < U; u++) {
                const float *a = act + (size_t)u * T;
                long *cu = fc->counts + (size_t)u * K * 4;
                for (int t = 0; t < T; t++) {
                    if (!ok[t] || !((double)a[t] >= thr[u])) continue;
                    fc->nsites[u]++;
                    for (int k = 0; k < K; k++) cu[k * 4 + codes[t + k]]++;
                }
            }
        }
        cm_fasta_close(f);
        if (rc < 0) goto out;
        if (pass == 1 && n2 != fc->n_seqs) {
            cm_fail(err, "%s: read twice (two passes) but gave %ld records, then %ld: give a "
                    "regular file, not a pipe", fasta, fc->n_seqs, n2);
            goto out;
        }
        if (pass == 0 && src->logrule)   /* a >= log F + max a  <=>  exp(a) >= F max exp(a) (filter_pwm.h) */
            for (int u = 0; u < U; u++)
                thr[u] = F > 0 ? (double)fc->max[u] + log(F) : -INFINITY;
        else if (pass == 0)              /* act >= F max act when max > 0, else nothing */
            for (int u = 0; u < U; u++)
                thr[u] = fc->max[u] > 0 ? F * (double)fc->max[u] : INFINITY;
    }
    ret = 0;
out:
    cm_seqrec_free(&rec);
    free(codes); free(ok); free(act); free(thr);
    if (ret != 0) cm_filter_counts_free(fc);
    return ret;
}

int cm_filter_pwm_cnn(const cm_cnn_t *c, const char *fasta, double F, cm_filter_counts_t *fc,
                      cm_err_t *err)
{
    const layer_src_t src = { c->ex.U, c->ex.K, 1, c, cnn_values };
    return count_filters(&src, fasta, F, fc, err);
}

int cm_filter_pwm_seqcnn(const cm_seqcnn_t *s, const char *fasta, double F, cm_filter_counts_t *fc,
                         cm_err_t *err)
{
    memset(fc, 0, sizeof *fc);
    cm_seqcnn_conv1_t info;
    if (cm_seqcnn_first_conv(s, &info, err) != 0) return -1;
    const int ex = info.act == CM_SEQCNN_ACT_EXP;
    const layer_src_t src = { info.C, info.K, ex, s, ex ? seqcnn_pre_values : seqcnn_act_values };
    return count_filters(&src, fasta, F, fc, err);
}

int cm_filter_pwm_write_meme(FILE *fp, const cm_filter_counts_t *fc)
{
    fputs("MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
          "Background letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n", fp);
    int n = 0;
    for (int u = 0; u < fc->U; u++) {
        const long N = fc->nsites[u];
        if (N == 0) continue;
        fprintf(fp, "\nMOTIF filter%d\nletter-probability matrix: alength= 4 w= %d nsites= %ld E= 0\n",
                u, fc->K, N);
        const long *cu = fc->counts + (size_t)u * fc->K * 4;
        for (int k = 0; k < fc->K; k++)
            fprintf(fp, " %.6f %.6f %.6f %.6f\n", (double)cu[k * 4] / N, (double)cu[k * 4 + 1] / N,
                    (double)cu[k * 4 + 2] / N, (double)cu[k * 4 + 3] / N);
        n++;
    }
    return n;
}

int cm_filter_pwm_run(const cm_model_t *m, const char *fasta, double F, const char *out_path,
                      cm_err_t *err)
{
    const char *kind = cm_model_kind(m);
    const int sq = strcmp(kind, "seqcnn") == 0;
    if (!sq && strcmp(kind, "explainn") != 0)
        return cm_fail(err, "--filter-pwms needs a CNN model (kind %s)", kind);
    cm_filter_counts_t fc;
    if ((sq ? cm_filter_pwm_seqcnn(cm_model_impl(m), fasta, F, &fc, err)
            : cm_filter_pwm_cnn(cm_model_impl(m), fasta, F, &fc, err)) != 0)
        return -1;
    cm_out_t *out = cm_out_open(out_path, err);
    if (!out) { cm_filter_counts_free(&fc); return -1; }
    int n = cm_filter_pwm_write_meme(out->fp, &fc);
    int rc = cm_out_commit(out, err);
    if (rc == 0) {
        for (int u = 0; u < fc.U; u++)
            if (fc.nsites[u] == 0)
                fprintf(stderr, "coopmap-ism: info: filter %d: no subsequence reaches %g x max "
                        "activation; skipped\n", u, F);
        long tot = 0;
        for (int u = 0; u < fc.U; u++) tot += fc.nsites[u];
        fprintf(stderr, "coopmap-ism: info: filter-pwms: %ld sequences, %ld positions without N, "
                "%d of %d filters written (width %d, %ld subsequences in all, threshold %g x max)\n",
                fc.n_seqs, fc.n_pos, n, fc.U, fc.K, tot, F);
    }
    cm_filter_counts_free(&fc);
    return rc;
}

void cm_filter_counts_free(cm_filter_counts_t *fc)
{
    free(fc->max); free(fc->nsites); free(fc->counts);
    memset(fc, 0, sizeof *fc);
}
