/* cisml.h — coopmap-scan's full-mode XML outputs, laid out as FIMO 5.5.8 writes them:
 * DIR/fimo.xml (run description: command line, settings, sequence counts, alphabet,
 * every motif of the motif file, background, pointer to cisml.xml) and DIR/cisml.xml
 * (CisML: per scanned motif, per scanned sequence, the matched elements).
 *
 * Layout facts (FIMO 5.5.8; fimo.xml checked against ../shared/reference/fimo_dev_full):
 *   fimo.xml  — FIMO's header lines as written (including the namespace text that FIMO
 *               prints as character data after the <fimo> start tag), settings in
 *               FIMO's order ("output threshold" and "pseudocount" "%3.2g", one
 *               "selected motif" per --motif), <sequence-data num-sequences=
 *               num-residues=> (residues = summed record / region lengths, N included),
 *               FIMO's DNA <alphabet> block, one <motif name= alt= width=
 *               best-possible-match=> per motif of the FILE (not only the scanned ones;
 *               best match = argmax letter per column), <background source=> values
 *               "%1.3f" of the finished background, <cisml-file>cisml.xml</cisml-file>.
 *   cisml.xml — <cis-element-search> with the cisml and mem namespaces, <program-name>fimo,
 *               <parameters> (command-line, pattern-file, sequence-file,
 *               <site-pvalue-cutoff> only when the threshold is on p-values,
 *               <sequence-filtering on-off="off"/>), then per scanned motif (file order)
 *               <pattern accession=ID name=ALT>, per sequence in scan order (also those
 *               without hits) <scanned-sequence accession=NAME name=NAME>, its hits in
 *               fimo.tsv order as <matched-element start= stop= score="%g"
 *               pvalue="%.3g"> with <sequence> and <mem:qvalue>%.3g</mem:qvalue> (when
 *               q-values were computed); start > stop on the '-' strand (FIMO's
 *               orientation: start is the motif's first column); then
 *               <mem:has-qvalues>yes</mem:has-qvalues> when q-values were computed.
 *               A hit is listed when p <= the p cutoff and q <= the q cutoff (FIMO:
 *               cutoffs 1 when not set, i.e. --thresh on p by default, on q with
 *               --qv-thresh).
 *               Not reproduced: FIMO writes an internal DTD before <cis-element-search>;
 *               coopmap writes the plain XML declaration instead.
 * Text is XML-escaped (& < > " ').  Nothing here fails: write errors set the stream's
 * error flag and are reported by cm_out_commit (error.h).
 */
#ifndef COOPMAP_CISML_H
#define COOPMAP_CISML_H

#include <stdio.h>
#include "motif/motif.h"
#include "scan/scan.h"

/* The scanned sequences in scan order (cm_hit_t.seq_index indexes s). */
typedef struct {
    char *name;     /* name as reported in hits (after coordinate parsing) */
    long length;    /* letters in the record or region (N and other letters included) */
} cm_seqinfo_t;

typedef struct {
    int n, cap;
    cm_seqinfo_t *s;
} cm_seqlist_t;

/* Append a sequence (name copied); returns its index. */
int cm_seqlist_add(cm_seqlist_t *l, const char *name);
void cm_seqlist_free(cm_seqlist_t *l);   /* frees names and zeroes l; NULL-safe */

/* What fimo.xml's <settings> and cisml.xml's <parameters> report. */
typedef struct {
    const char *cmdline;     /* the command line (cm_cmdline) */
    const char *oc;          /* output directory */
    const char *motif_path;  /* motif file as given */
    const char *seq_path;    /* sequence file as given (--genome file with --regions) */
    const char *bg_source;   /* --bfile as given, "--nrdb--" by default */
    int qvalues;             /* 1 = q-values were computed */
    int pgc;                 /* parse genomic coordinates */
    int norc;                /* 1 = one strand */
    int qv_thresh;           /* 1 = thresh applies to q-values (--qv-thresh) */
    int verbosity;           /* --verbosity (FIMO default 2) */
    double thresh;           /* --thresh */
    double pseudo;           /* --motif-pseudo */
    long max_stored;         /* --max-stored-scores */
    char *const *selected;   /* --motif arguments in command-line order */
    int nselected;
} cm_fimo_xml_opts_t;

/* fimo.xml: all = every motif of the motif file (before --motif), bg = the finished
 * background (A,C,G,T), seqs = the scanned sequences. */
void cm_fimo_write_xml(FILE *fp, const cm_fimo_xml_opts_t *o, const cm_motifset_t *all,
                       const double bg[4], const cm_seqlist_t *seqs);

/* cisml.xml: l = the hits in fimo.tsv order (after cm_hitlist_sort), scanned = the
 * scanned motifs (cm_hit_t.motif indexes scanned->m), seqs as above. */
void cm_fimo_write_cisml(FILE *fp, const cm_fimo_xml_opts_t *o, const cm_hitlist_t *l,
                         const cm_motifset_t *scanned, const cm_seqlist_t *seqs);

#endif
