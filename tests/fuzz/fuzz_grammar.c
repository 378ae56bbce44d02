/* fuzz_grammar.c — libFuzzer harness: grammar files (grammar.h): cm_grammar_read, the
 * lookups, and the logits of one short window when the file has heads. */
#include "fuzz_common.h"
#include "model/grammar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write(0, data, size);
    cm_grammar_t g = {0};
    cm_err_t err = {{0}};
    if (cm_grammar_read(path, &g, &err) != 0) { if (!err.msg[0]) abort(); return 0; }
    for (int i = 0; i < g.n_motifs; i++)
        if (cm_grammar_motif(&g, g.motifs[i].name) < 0) abort();
    for (int i = 0; i < g.n_heads; i++)
        if (cm_grammar_head(&g, g.heads[i].name) < 0) abort();
    if (g.n_heads > 0 && g.n_heads <= 64 && g.n_motifs <= 64) {
        int L = 60;
        uint8_t codes[60];
        double lg[64];
        for (int i = 0; i < L; i++) codes[i] = (uint8_t)((i * 5 + size) % 5);
        cm_grammar_logits(&g, codes, L, lg);
    }
    cm_grammar_free(&g);
    return 0;
}
