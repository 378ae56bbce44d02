/* fuzz_motif_xml.c — libFuzzer harness: meme.xml, streme.xml, dreme.xml, each input through all three readers.
 * Seeds: seeds/motif_xml/, dictionary: motif_xml.dict (README.md). */
#define FZ_FORMATS CM_MF_MEME_XML, CM_MF_STREME_XML, CM_MF_DREME_XML
#define FZ_MEME_DIRECT 0
#include "motif_harness.h"
