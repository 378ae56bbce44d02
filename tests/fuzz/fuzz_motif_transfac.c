/* fuzz_motif_transfac.c — libFuzzer harness: TRANSFAC records.
 * Seeds: seeds/motif_transfac/, dictionary: motif_transfac.dict (README.md). */
#define FZ_FORMATS CM_MF_TRANSFAC
#define FZ_MEME_DIRECT 0
#include "motif_harness.h"
