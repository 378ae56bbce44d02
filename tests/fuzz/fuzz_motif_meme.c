/* fuzz_motif_meme.c — libFuzzer harness: MEME text format (cm_motifs_read), including its background section.
 * Seeds: seeds/motif_meme/, dictionary: motif_meme.dict (README.md). */
#define FZ_FORMATS CM_MF_MEME
#define FZ_MEME_DIRECT 1
#include "motif_harness.h"
