/* genome.h — windows of an indexed genome FASTA (htslib faidx).
 *
 * The FASTA may be plain (with PATH.fai) or bgzip-compressed (with PATH.fai and
 * PATH.gzi); the index is built by htslib if missing and the directory is writable.
 * Coordinates are BED-style: 0-based, half-open [start, end).
 *
 * Not thread-safe: one cm_genome_t must be used by one thread at a time (htslib's
 * BGZF reader keeps a position); fetch windows up front, then work in parallel.
 */
#ifndef COOPMAP_GENOME_H
#define COOPMAP_GENOME_H

#include <stdint.h>
#include "core/error.h"

typedef struct cm_genome_s cm_genome_t;

/* Open PATH and its index.  NULL with err "PATH: cannot open indexed FASTA ..." ,
 * or (cm_genome_check_bgzf) "PATH: no BGZF end-of-file marker ...". */
cm_genome_t *cm_genome_open(const char *path, cm_err_t *err);

/* Checks before every faidx open (genome, regions, coopmap-pairs --genome), each -1 with
 * err: PATH unreadable ("PATH: cannot open: REASON"); compressed with plain gzip, which
 * faidx cannot index ("PATH: compressed with gzip, not bgzip: ..."); bgzip-compressed
 * without BGZF's end-of-file marker ("PATH: no BGZF end-of-file marker: truncated? ...";
 * htslib's faidx would abort on an assertion reading past the cut).  Else 0 (plain
 * FASTA, or a complete bgzip file; standard input "-": 0, the loader refuses it).
 * Calls cm_hts_quiet (textio.h). */
int cm_genome_check_bgzf(const char *path, cm_err_t *err);

/* Length of sequence CHROM, or -1 if the genome has no such sequence. */
int64_t cm_genome_seq_len(const cm_genome_t *g, const char *chrom);

/* Fetch [start, end) of CHROM as nt4 codes (dna.h: A,C,G,T = 0..3, anything else
 * 4) into codes[0 .. end-start).  Returns 0, or -1 with err filled when CHROM is
 * unknown, start < 0, end <= start, end runs past the sequence's end, or the read
 * fails.  Messages name the genome file and the window (chrom:start-end). */
int cm_genome_fetch(cm_genome_t *g, const char *chrom, int64_t start, int64_t end,
                    uint8_t *codes, cm_err_t *err);

/* Path given to cm_genome_open. */
const char *cm_genome_path(const cm_genome_t *g);

void cm_genome_close(cm_genome_t *g);  /* NULL-safe */

#endif
