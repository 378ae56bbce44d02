/* motif_formats.h — motif files in MEME, JASPAR, TRANSFAC and HOMER formats, detected
 * from content (or forced), all read into the cm_motifset_t of motif.h.
 *
 * Formats (DNA, letters A C G T):
 *   meme      MEME text format: cm_motifs_read (motif.h), unchanged.
 *   jaspar    ">ID name" then 4 rows of counts, one per letter, each "A [ c1 c2 … ]"
 *             (letter label and brackets optional, labels in any order; unlabelled rows
 *             are A, C, G, T); counts may be fractional.  JASPAR's .jaspar/.pfm files.
 *   transfac  records ending with "//": "AC id", "ID name" (or "NA name"), a "P0"/"PO"
 *             header naming the letter columns, then rows "NN a c g t [consensus]";
 *             other lines ignored.  JASPAR's TRANSFAC download.
 *   homer     ">consensus<TAB>name<TAB>log-odds threshold…" then one row of 4
 *             probabilities (A C G T) per position.
 * Motif fields:
 *   id    JASPAR: first header word; TRANSFAC: AC (ID when no AC); HOMER: name.
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
    CM_MF_AUTO = 0, CM_MF_MEME, CM_MF_JASPAR, CM_MF_TRANSFAC, CM_MF_HOMER
} cm_motif_format_t;

/* "auto" | "meme" | "jaspar" | "transfac" | "homer" -> *fmt; -1 if unknown. */
int cm_motif_format_parse(const char *s, cm_motif_format_t *fmt);

/* Name of a format ("meme", …). */
const char *cm_motif_format_name(cm_motif_format_t fmt);

/* Detect the format of PATH from its first non-blank lines: a "MEME version" line
 * anywhere before the first motif ⇒ meme; "AC"/"ID"/"P0"/"PO"/"//" lines ⇒ transfac;
 * a '>' header followed by a labelled row ("A [", "A:", "A ") or by a numeric row
 * whose count of values is not 4 ⇒ jaspar; followed by a 4-value numeric row ⇒ homer
 * when the header has a third tab-separated field that is a number, else jaspar.
 * Returns 0 with *fmt, or -1 with err (unreadable or unrecognised). */
int cm_motif_format_detect(const char *path, cm_motif_format_t *fmt, cm_err_t *err);

/* Read PATH in format fmt (CM_MF_AUTO: detect).  Returns 0, or -1 with err. */
int cm_motifs_read_any(const char *path, cm_motif_format_t fmt, cm_motifset_t *set,
                       cm_err_t *err);

#endif
