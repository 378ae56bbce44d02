/* regions.h — scan only the regions of a BED file of an indexed genome (htslib faidx:
 * plain FASTA + .fai, or bgzip + .fai + .gzi; the index is built when missing and the
 * directory is writable), as a chunk source for cm_scan_chunks (scan.h).
 *
 * BED: chrom, start (0-based), end (half-open), optional name; '#', "track" and
 * "browser" lines and blank lines are skipped; further columns are ignored.
 * Each region is one sequence in file order: its name is the chrom and its positions
 * are genome positions (a hit at region position p, 1-based, is reported at
 * start + p), so output coordinates are the genome's; the BED name (or "." when the
 * line has none) is carried to every hit of the region (cm_hit_t.region).
 * Letters are fetched as stored (soft-masking kept), one chunk at a time.
 * Overlapping regions are scanned independently (a window in both is reported twice).
 */
#ifndef COOPMAP_REGIONS_H
#define COOPMAP_REGIONS_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "seq/fachunk.h"

typedef struct cm_regions_s cm_regions_t;

/* Read BED at bed_path and open the indexed genome at genome_path; every region is
 * checked against the index (known chrom, 0 <= start < end <= length).  Chunks hold
 * at most chunk_bases new bases plus `overlap` carried ones (fachunk.h rules).
 * NULL with err ("BED:LINE: what" or the genome's message) on failure. */
cm_regions_t *cm_regions_open(const char *bed_path, const char *genome_path, size_t chunk_bases,
                              size_t overlap, cm_err_t *err);

/* Number of regions. */
size_t cm_regions_count(const cm_regions_t *r);

/* Next chunk (1), end (0) or error (-1); a cm_chunk_fn for cm_scan_chunks. */
int cm_regions_next(void *regions, cm_chunk_t *c, cm_err_t *err);

void cm_regions_close(cm_regions_t *r);   /* NULL-safe */

/* What cm_regions_open reads: the BED file and the indexed genome (paths). */
typedef struct {
    const char *bed, *genome;
} cm_regions_spec_t;

/* Open / close of a re-openable cm_source_t (scan_q.h) whose ctx is a
 * cm_regions_spec_t * and whose next is cm_regions_next: cm_regions_open and
 * cm_regions_close behind void pointers (same results and errors). */
void *cm_regions_src_open(void *spec, size_t chunk_bases, size_t overlap, cm_err_t *err);
void cm_regions_src_close(void *r);   /* NULL-safe */

#endif
