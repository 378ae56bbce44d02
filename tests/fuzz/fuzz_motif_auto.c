/* fuzz_motif_auto.c — libFuzzer harness: detection of every format, then the detected reader.
 * Seeds: seeds/motif_auto/, dictionary: motif_auto.dict (README.md). */
#define FZ_FORMATS CM_MF_AUTO
#define FZ_MEME_DIRECT 0
#include "motif_harness.h"
