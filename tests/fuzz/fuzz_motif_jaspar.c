/* fuzz_motif_jaspar.c — libFuzzer harness: JASPAR .jaspar/.pfm.
 * Seeds: seeds/motif_jaspar/, dictionary: motif_jaspar.dict (README.md). */
#define FZ_FORMATS CM_MF_JASPAR
#define FZ_MEME_DIRECT 0
#include "motif_harness.h"
