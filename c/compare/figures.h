/* figures.h — SVG figures of motif comparisons (issue 11): a heatmap of a Tomtom TSV
 * (queries × targets) and a bar chart of the Jaccard Overlap Score per TF.
 *
 * Both are standalone UTF-8 SVG 1.1 documents with a document <title> (first child of
 * <svg>, referenced by aria-labelledby, for screen readers) and a <desc>, a <title>
 * tooltip on every data mark, and every piece of text XML-escaped (control characters
 * become '?').  The provenance string, when given, is written as an XML comment.  They
 * stay readable with hundreds of labels: cells and bars shrink down to a floor, label
 * fonts follow them, column labels are rotated, and the canvas grows beyond it.
 *
 * Library code: nothing is printed; input errors are "FILE:LINE: what" (or "FILE:
 * what").  All input is read and checked before the first byte is written, so a
 * failed call leaves fp untouched; write errors are left to the stream (cm_out_commit).
 */
#ifndef COOPMAP_FIGURES_H
#define COOPMAP_FIGURES_H

#include <stdio.h>
#include "core/error.h"
#include "compare/family.h"

/* Heatmap of the Tomtom TSV tomtom_tsv (Tomtom 5.5.8's tomtom.tsv or coopmap-compare's:
 * header "Query_ID Target_ID ..." with columns named "E-value" and "q-value"; '#' and
 * blank lines skipped; gzip allowed).
 *   rows     every query, in order of first appearance in the file;
 *   columns  the targets with at least one significant row (q-value <= thresh, or
 *            E-value <= thresh when use_evalue); when no row is significant, every
 *            target (the figure says so).  Columns are ordered for a readable
 *            near-diagonal: by the row index of the query each target matches best
 *            (smallest E-value, ties to the earlier query), then by that E-value, then
 *            by first appearance in the file;
 *   cells    colour = −log10 E on a sequential white→red scale (cm_svg_colour of the
 *            diverging scale's positive half) from 0 to L = the largest finite value
 *            drawn, at least 1 and at most 10 (E <= 1e-10 all take the full colour; the
 *            colour bar's top tick then reads "≥10"; E >= 1 is white); a (query,
 *            target) pair without a row (Tomtom did not report it) is light grey; a row
 *            repeated for the same pair keeps the smaller E-value;
 *   boxes    a black outline (<rect class="sig">) around every drawn cell whose row is
 *            significant — one per significant row of the file when no pair repeats;
 *   labels   the ids, or "ID NAME" when names (may be NULL) maps the id to a non-empty
 *            name different from it (e.g. a JASPAR table read with cm_labels_read,
 *            key matrix_id, label name).
 * Tooltips: "query Q, target T: E = …, q = …, −log10 E = …" and whether it is boxed.
 * A file with a header and no rows gives a valid SVG saying "no Tomtom rows".
 * Errors: unreadable file, missing header or columns, a row with too few fields or an
 * E-/q-value that is not a number >= 0 ("FILE:LINE: ...").  Returns 0 or -1. */
int cm_fig_tomtom(FILE *fp, const char *tomtom_tsv, double thresh, int use_evalue,
                  const cm_labels_t *names, const char *title, const char *prov,
                  cm_err_t *err);

/* cm_fig_tomtom without names (ids as labels). */
int cm_fig_tomtom_file(FILE *fp, const char *tomtom_tsv, double thresh, int use_evalue,
                       const char *title, const char *prov, cm_err_t *err);

/* Bar chart of the JOS rows j[0..n-1] (family.h): one vertical bar per TF, sorted by
 * JOS descending (ties and NA rows keep their input order; NA rows last), y axis 0..1
 * with ticks every 0.2; a NaN JOS (fewer than two patterns) is drawn as the text "NA"
 * (<g class="na">) and no bar; bars are <rect class="bar"> in that order, each with a
 * tooltip "TF: JOS x (n_patterns …, n_matched …, n_pairs …, mean_matches …)".
 * JOS outside 0..1 is clamped when drawn (cm_jos gives none).  n = 0 gives a valid SVG
 * saying "no TFs".  Returns 0 (or -1 with err for n < 0). */
int cm_fig_jos(FILE *fp, const cm_jos_t *j, int n, const char *title, const char *prov,
               cm_err_t *err);

/* cm_fig_jos of a JOS table jos_tsv as written by coopmap-family jos (cm_jos_write:
 * '#' lines skipped, header with at least the columns tf and jos, found by name; the
 * columns n_patterns, n_matched, n_pairs and mean_matches are read when present).
 * Errors: missing header or column, a row whose field count differs from the header's,
 * a jos that is neither NA nor a number in 0..1, a bad count ("FILE:LINE: ...").
 * Returns 0 or -1. */
int cm_fig_jos_file(FILE *fp, const char *jos_tsv, const char *title, const char *prov,
                    cm_err_t *err);

#endif
