/* fuzz_motif_memetext.c — libFuzzer harness: meme.txt / streme.txt / dreme.txt output (meme-text).
 * Seeds: seeds/motif_memetext/, dictionary: motif_memetext.dict (README.md). */
#define FZ_FORMATS CM_MF_MEME_TEXT
#define FZ_MEME_DIRECT 0
#include "motif_harness.h"
