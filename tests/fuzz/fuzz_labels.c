/* fuzz_labels.c — libFuzzer harness: label tables (coopmap-family --labels, JASPAR
 * metadata): cm_labels_read with the first two columns and with named columns, then the
 * JOS of the labels against a few matches. */
#include "fuzz_common.h"
#include "compare/family.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    static const char *cols[][3] = { { NULL, NULL, NULL }, { "matrix_id", "tf_class", "name" },
                                     { "pattern", "tf", NULL } };
    for (int k = 0; k < 3; k++) {
        cm_labels_t L = {0};
        cm_err_t err = {{0}};
        if (cm_labels_read(path, cols[k][0], cols[k][1], cols[k][2], &L, &err) == 0) {
            cm_matches_t M = {0};
            for (int i = 0; i < L.n && i < 50; i++) {
                cm_matches_add(&M, L.key[i], "T1");
                if (i % 2) cm_matches_add(&M, L.key[i], L.key[0]);
            }
            cm_jos_t *j = NULL;
            int un = 0, n = cm_jos(&L, &M, &j, &un);
            cm_jos_write(fz_null(), j, n, "fuzz");
            cm_jos_free(j, n);
            cm_matches_free(&M);
            if (L.n > 0 && cm_labels_find(&L, L.key[L.n - 1]) != L.n - 1) abort();
        } else if (!err.msg[0]) abort();
        cm_labels_free(&L);
    }
    return 0;
}
