/* fuzz_motif_homer.c — libFuzzer harness: HOMER .motif.
 * Seeds: seeds/motif_homer/, dictionary: motif_homer.dict (README.md). */
#define FZ_FORMATS CM_MF_HOMER
#define FZ_MEME_DIRECT 0
#include "motif_harness.h"
