/* fuzz_model.c — libFuzzer harness: model files (.cmm containers of every kind, and
 * grammar files through the kind table): cm_model_file_read, cm_model_load, then one
 * prediction and one edit when the model is small. */
#include "fuzz_common.h"
#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    cm_model_file_t f = {0};
    cm_err_t err = {{0}};
    if (cm_model_file_read(path, &f, &err) == 0) {
        cm_model_file_get(&f, "kind");
        cm_model_file_tensor(&f, "final.weight");
        cm_model_file_free(&f);
    } else if (!err.msg[0]) abort();
    cm_err_t err2 = {{0}};
    cm_model_t *m = cm_model_load(path, &err2);
    if (!m) { if (!err2.msg[0]) abort(); return 0; }
    int L = cm_model_input_length(m), H = cm_model_n_heads(m);
    if (L < 1 || H < 1) { fprintf(stderr, "loaded model with L %d H %d\n", L, H); abort(); }
    for (int h = 0; h < H; h++)
        if (cm_model_head_index(m, cm_model_head_name(m, h)) < 0) abort();
    if ((long)L * H <= 100000 && L <= 5000) {
        uint8_t *codes = malloc((size_t)L);
        float *lg = malloc(2 * (size_t)H * sizeof *lg);
        for (int i = 0; i < L; i++) codes[i] = (uint8_t)((i * 7 + size) % 5);
        cm_err_t e3 = {{0}};
        if (cm_model_predict(m, codes, 1, lg, &e3) != 0 && !e3.msg[0]) abort();
        uint8_t sub = 2;
        cm_model_edit_t ed[2] = { { L / 2, 1, &sub }, { 0, 1, &sub } };
        if (cm_model_predict_edits(m, codes, 2, ed, lg, 0, &e3) != 0 && !e3.msg[0]) abort();
        free(codes); free(lg);
    }
    cm_model_free(m);
    return 0;
}
