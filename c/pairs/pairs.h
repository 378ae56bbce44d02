/* pairs.h — localize motif sites in labelled peaks and enumerate ordered TF pairs
 * (DESIGN.md "coopmap-pairs"; EpiBinder study, Methods C.2: FIMO hits refined to
 * sites consistent with the ChIP-seq-labelled TF, pairs within 500 bp, a model
 * window centred on the source motif).
 *
 * Coordinates are 0-based half-open bp throughout.  A site's centre is kept doubled
 * (c2 = start + end) so that half-base centres stay exact integers; distances are
 * |c2_target − c2_source| / 2 bp. */
#ifndef COOPMAP_PAIRS_H
#define COOPMAP_PAIRS_H

#include <stdint.h>
#include <stdio.h>
#include "core/error.h"
#include "pairs/sites.h"
#include "pairs/peaks.h"

/* A localized site: one locus per TF after merging overlapping hits. */
typedef struct {
    int chrom;            /* index into cm_loci_t.chroms */
    int64_t start, end;   /* of the best hit of the merged group, 0-based half-open bp */
    char strand;          /* '+' or '-' (of the best hit) */
    int tf;               /* index into cm_loci_t.tfs */
    int motif;            /* index into the cm_sites_t motif tables */
    double p, score;      /* FIMO p-value and score of the best hit */
    int64_t wstart, wend; /* window centred on the site, [wstart, wend), W bp */
    int window_ok;        /* 1 if the window lies inside the sequence */
} cm_locus_t;

/* Parameters of pair enumeration. */
typedef struct {
    double max_distance;  /* centre-to-centre, bp, inclusive (default 500) */
    int64_t window;       /* W, bp (default: model input length, else 1000) */
    int allow_overlap;    /* 1 = keep pairs whose sites overlap (default 0) */
} cm_pairs_opt_t;

/* Counts for the log (every drop is counted, DESIGN.md). */
typedef struct {
    long hits;             /* rows read from the sites file */
    long hits_localized;   /* (hit, TF) combinations inside a matching peak */
    long loci;             /* sites after merging */
    long loci_window_off;  /* sites whose window runs off the sequence */
    long pairs;            /* pairs written */
    long pairs_homotypic;
    long drop_overlap;     /* candidate pairs dropped: sites overlap */
    long drop_window_off;  /* ... source window runs off the sequence */
    long drop_target_out;  /* ... target not wholly inside the source window */
} cm_pairs_count_t;

/* Localized, merged sites sorted by (chromosome name, start, end, TF). */
typedef struct {
    int n;
    cm_locus_t *l;
    char **chroms;        /* borrowed from the cm_sites_t */
    int ntf;
    char **tfs;           /* TF labels (owned) */
    const cm_sites_t *hits;
} cm_loci_t;

/* Does the motif name match the TF label?  Case-insensitive equality with the whole
 * name or with one component of a complex name split on "::" ("FOS::JUN" matches FOS
 * and JUN).  (EpiBinder study, C.2.) */
int cm_motif_matches_tf(const char *motif_name, const char *tf);

/* Localize hits: with peaks, a hit becomes a site of TF t for every TF label t of a
 * peak that wholly contains it and matches its motif_alt_id (cm_motif_matches_tf;
 * the motif_id is tried too when the alt is empty); without peaks (NULL) every hit is
 * a site labelled by its motif_alt_id (motif_id if empty).  Then overlapping sites of
 * the same TF are merged, keeping the best hit (smallest p, then largest score, then
 * leftmost).  Windows of opt->window bp are centred on each site: wstart =
 * floor((start + end − W) / 2); window_ok needs wstart >= 0 and, when chrom_len is
 * given (chrom_len(name, data) returns −1 for unknown), wend <= length.  hits must
 * outlive out (names are borrowed).  count fields hits, hits_localized, loci and
 * loci_window_off are set (count zeroed by the caller).  Returns 0; it cannot fail
 * (err is unused, kept for the library convention). */
int cm_loci_build(const cm_sites_t *hits, const cm_peaks_t *peaks, const cm_pairs_opt_t *opt,
                  int64_t (*chrom_len)(const char *name, void *data), void *len_data,
                  cm_loci_t *out, cm_pairs_count_t *count, cm_err_t *err);

/* Write sources.tsv (DESIGN.md "Stage files"): one row per site whose window fits,
 * columns site_id chrom tf motif start end strand window_start window_end, site ids
 * "s<N>" numbered in sorted order (1-based).  `prov` is written as a '#' line first. */
void cm_sources_write(FILE *fp, const cm_loci_t *L, const char *prov);

/* Enumerate ordered pairs (source, target), target != source, same chromosome,
 * distance <= max_distance, and write pairs.tsv: pair_id chrom source_tf source_motif
 * source_start source_end source_strand target_tf target_motif target_start target_end
 * target_strand distance position orientation window_start window_end homotypic.
 * Rows ordered by source site, then target site; pair ids "p<N>".  `position` is
 * where the target lies on the genome relative to the source (upstream: smaller
 * centre; downstream otherwise); distance in bp, an integer or a half (".5");
 * orientation same|opposite strand; homotypic 1 when both TFs are equal.  Pairs
 * whose sites overlap (unless opt->allow_overlap), whose source window is off the
 * sequence or whose target is not wholly inside it are dropped and counted in count
 * (pairs, pairs_homotypic and drop_* are added to).  Write errors are left to fp. */
void cm_pairs_write(FILE *fp, const cm_loci_t *L, const cm_pairs_opt_t *opt, const char *prov,
                    cm_pairs_count_t *count);

/* Free the loci and the TF table (not the borrowed hits) and zero L; NULL-safe. */
void cm_loci_free(cm_loci_t *L);

#endif
