/* fuzz_motif_html.c — libFuzzer harness: meme.html / streme.html (the JSON of 'var data').
 * Seeds: seeds/motif_html/, dictionary: motif_html.dict (README.md). */
#define FZ_FORMATS CM_MF_MEME_HTML
#define FZ_MEME_DIRECT 0
#include "motif_harness.h"
