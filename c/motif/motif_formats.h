/* motif_formats.h — motif files in MEME, JASPAR, TRANSFAC and HOMER formats, detected
 * from content (or forced), all read into the cm_motifset_t of motif.h.
 *
 * Formats (DNA, letters A C G T, except meme):
 *   meme      MEME text format: cm_motifs_read (motif.h), unchanged; the only format read
 *             in any alphabet (ALPHABET= or an ALPHABET block, alphabet.h); every other
 *             reader sets set->alph to DNA (meme-text refuses a non-DNA ALPHABET= line).
 *   jaspar    ">ID name" then 4 rows of counts, one per letter, each "A [ c1 c2 … ]"
 *             (letter label and brackets optional, labels in any order; unlabelled rows
 *             are A, C, G, T); counts may be fractional.  JASPAR's .jaspar/.pfm files.
 *   transfac  records ending with "//": "AC id", "ID name" (or "NA name"), a "P0"/"PO"
 *             header naming the letter columns, then rows "NN a c g t [consensus]";
 *             other lines ignored.  JASPAR's TRANSFAC download.
 *   homer     ">consensus<TAB>name<TAB>log-odds threshold…" then one row of 4
 *             probabilities (A C G T) per position.
 *   meme-text the text output of MEME, STREME and DREME (meme.txt, streme.txt, dreme.txt):
 *             anything (banner, '#' lines) before a "MEME version" line, then MOTIF lines
 *             ("MOTIF id alt [width = …]"), "letter-probability matrix:" blocks (w=,
 *             nsites= read as cm_motifs_read does) and "Background letter frequencies";
 *             sections, log-odds matrices and site lists are ignored.
 *   meme-xml  meme.xml: <MEME>; motif <motif name= alt= width= sites=>, rows from
 *             <probabilities><alphabet_matrix><alphabet_array><value letter_id=…> (the
 *             <scores> matrix is ignored); background from <background_frequencies>.
 *   streme-xml streme.xml: <STREME>; <motif id= alt= width= train_pos_count=
 *             test_pos_count=> (nsites = their sum, as MEME's motif-in-streme-xml.c),
 *             rows <pos A= C= G= T=/>; background as meme-xml.
 *   dreme-xml dreme.xml: <dreme>; <motif seq= alt= length= nsites=>, rows <pos i= A= …/>,
 *             background <background A= C= G= T= …/>.
 *   meme-html meme.html / streme.html: the first "var data = {…}" object of the page
 *             (JSON, read by jsonmini.h; "program" must be MEME, STREME or DREME),
 *             fields as MEME's motif-in-meme-json.c takes them: motifs[] {id, alt, len,
 *             nsites, pwm: len rows in the alphabet's core-symbol order} (psm, sites,
 *             scan … ignored); background from background.freqs (older files:
 *             alphabet.freqs); alphabet.symbols (objects with "symbol", the first ncore
 *             core, or a string) must be DNA; no alphabet ⇒ A C G T.
 *             XML letter ids map through the file's <alphabet><letter id= symbol=>, else
 *             "letter_A" (MEME 4) or "A"; only DNA.  XML is read by xmlmini.h.
 *             Rows of these five are kept as written, checked to sum to 1 ± 0.1; the
 *             background is scaled to sum to 1 (as cm_motifs_read does).
 * Motif fields:
 *   id    JASPAR: first header word; TRANSFAC: AC (ID when no AC); HOMER: name;
 *         meme-text: first MOTIF word; meme-xml: name= (id= if absent); streme-xml: id=;
 *         dreme-xml: seq=; meme-html: "id".  alt of these five: the MOTIF line's second word (not
 *         "width" or a key=value), alt= or "alt", "" if none.
 *   alt   JASPAR: second header word; TRANSFAC: ID/NA when AC is given, else "";
 *         HOMER: consensus.
 *   freq  count matrices (a column — a TRANSFAC row — summing to more than 1.1) become
 *         count/column-sum, and nsites = the first column's sum (has_nsites = 1), as
 *         JASPAR's own MEME files do (e.g. MA0139.2: nsites 913, 107/912 = 0.117325);
 *         probability rows are kept as written (checked to sum to 1 ± 0.1), nsites 20,
 *         has_nsites 0 — the MEME default, so HOMER motifs get FIMO's pseudocounts.
 * Errors are "PATH:LINE: what" (cm_fail); the set is left empty on failure.
 */
#ifndef COOPMAP_MOTIF_FORMATS_H
#define COOPMAP_MOTIF_FORMATS_H

#include "core/error.h"
#include "motif/motif.h"

typedef enum {
    CM_MF_AUTO = 0, CM_MF_MEME, CM_MF_JASPAR, CM_MF_TRANSFAC, CM_MF_HOMER,
    CM_MF_MEME_TEXT, CM_MF_MEME_XML, CM_MF_STREME_XML, CM_MF_DREME_XML, CM_MF_MEME_HTML
} cm_motif_format_t;

/* "auto" | "meme" | "jaspar" | "transfac" | "homer" | "meme-text" | "meme-xml" |
 * "streme-xml" | "dreme-xml" | "meme-html" -> *fmt; -1 if unknown. */
int cm_motif_format_parse(const char *s, cm_motif_format_t *fmt);

/* Name of a format ("meme", …). */
const char *cm_motif_format_name(cm_motif_format_t fmt);

/* Detect the format of PATH from its first non-blank lines: a first line "MEME
 * version" ⇒ meme; a first line starting with '<' ⇒ the XML root element <MEME>,
 * <STREME> or <dreme> (case-insensitive) ⇒ meme-xml, streme-xml or dreme-xml; any
 * other root (<html>, <!DOCTYPE html> …) holding "var data = {" whose first member is
 * "program": "MEME" / "STREME" / "DREME" (any case) ⇒ meme-html; any other such file
 * is an error ("root <x> is not MEME, STREME or DREME XML output"); other text followed later by a "MEME
 * version" line ⇒ meme-text; "AC"/"ID"/"P0"/"PO"/"//" lines ⇒ transfac;
 * a '>' header followed by a labelled row ("A [", "A:", "A ") or by a numeric row
 * whose count of values is not 4 ⇒ jaspar; followed by a 4-value numeric row ⇒ homer
 * when the header has a third tab-separated field that is a number, else jaspar.
 * Returns 0 with *fmt, or -1 with err (unreadable or unrecognised). */
int cm_motif_format_detect(const char *path, cm_motif_format_t *fmt, cm_err_t *err);

/* Read PATH in format fmt (CM_MF_AUTO: detect), then normalise the rows as MEME does
 * (cm_motifs_normalise: a row whose sum is off 1 by more than 1e-5 is divided by its
 * sum; COMPAT.md, issue 12 item 1) and check the widths and ids (cm_motifs_check).
 * Returns 0, or -1 with err. */
int cm_motifs_read_any(const char *path, cm_motif_format_t fmt, cm_motifset_t *set,
                       cm_err_t *err);

/* cm_motifs_read_any with flags (motif.h: CM_MOTIFS_EMPTY_OK; 0 = cm_motifs_read_any). */
int cm_motifs_read_any_flags(const char *path, cm_motif_format_t fmt, int flags,
                             cm_motifset_t *set, cm_err_t *err);

#endif
