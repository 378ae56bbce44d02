/* textio.h — line-oriented reading of text files (plain, gzip or bgzip) with
 * file:line tracking for error messages, and small parsing helpers.
 *
 * Reading goes through htslib (hts_open/hts_getline), so every input that names
 * a file may also be gzip- or bgzip-compressed, and "-" reads standard input.
 */
#ifndef COOPMAP_TEXTIO_H
#define COOPMAP_TEXTIO_H

#include <stddef.h>
#include "core/error.h"

/* Longest line of a table, BED, motif, grammar or other non-sequence text file
 * (64 MiB; README "Limits").  Such files have short lines, so a longer one means the
 * file is not what it should be (binary data, or line ends that are not '\n').  A
 * sequence file (FASTA, a MEME PSP file) has no limit but memory: its readers set
 * max_line to 0, since a chromosome may be one line. */
#define CM_LINE_MAX ((size_t)64 << 20)

typedef struct cm_reader_s {
    void *fp;            /* htsFile*, opaque here */
    char *path;          /* as given, for messages */
    long lineno;         /* 1-based number of the line in `line`, 0 before the first */
    char *line;          /* current line without '\n' or trailing '\r'; NUL-terminated */
    size_t len;          /* strlen(line) */
    void *ks;            /* kstring_t*, opaque */
    size_t max_line;     /* longest line accepted, bytes; CM_LINE_MAX after open, 0 = any */
} cm_reader_t;

/* htslib prints its own messages ("[E::bgzf_read_block] ...") to stderr; coopmap's
 * library never prints (core/error.h), so every function of it that calls htslib turns
 * htslib's logging off first (hts_set_log_level(HTS_LOG_OFF); htslib's own setting,
 * the same for every caller).  Idempotent. */
void cm_hts_quiet(void);

/* Open PATH ("-" = stdin) for reading.  NULL and err filled ("PATH: cannot open: ...";
 * "PATH: cannot open: not a text file (an unknown binary format)" for binary data
 * htslib cannot decode) on failure.  Calls cm_hts_quiet. */
cm_reader_t *cm_reader_open(const char *path, cm_err_t *err);

/* Advance to the next line.  Returns 1 with r->line set, 0 at end of file, -1 on a
 * read/decompression error (err filled as "PATH:LINE: read error: REASON") or on a line
 * that no text file of coopmap holds (err "PATH:LINE: ..."): a NUL byte (binary data),
 * a carriage return inside the line (old Mac CR-only line ends, which would make the
 * whole file one line; a CR before the '\n' of CRLF line ends is removed and fine), or
 * more than r->max_line bytes.  For a
 * compressed file LINE is the first line its decompressible data does not hold in
 * full (found by decompressing the file again, with zlib, on this error path only;
 * standard input: the line after the last one returned).  A BGZF file cut at a block
 * boundary is caught by its missing end-of-file marker. */
int cm_reader_next(cm_reader_t *r, cm_err_t *err);

/* Close and free; NULL-safe. */
void cm_reader_close(cm_reader_t *r);

/* Split s in place on tabs (TSV: empty fields kept) into at most max fields;
 * returns the number of fields.  fields[i] point into s.  Beyond max fields the rest
 * of the line is dropped (the last field ends at its tab), so a caller that must
 * detect extra fields passes a larger max. */
int cm_split_tabs(char *s, char **fields, int max);

/* Split s in place on runs of blanks (space/tab) into at most max tokens; returns the
 * number of tokens (leading/trailing blanks ignored; tokens past max are dropped). */
int cm_split_ws(char *s, char **fields, int max);

/* Strict numeric parsing of a whole token: 0 on success, -1 if the token is empty,
 * has trailing junk, or is out of range. */
int cm_parse_double(const char *s, double *out);
int cm_parse_long(const char *s, long *out);

/* Name of a command-line option written with one or two leading dashes, as Tomtom
 * accepts ("-thresh" and "--thresh" both give "thresh"); NULL when a is not an option
 * ("-" alone or no leading dash). */
const char *cm_optname(const char *a);

/* Index of the field equal to name (strcmp) among f[0..nf-1] (a header line split with
 * cm_split_tabs), or -1. */
int cm_field_index(char **f, int nf, const char *name);

/* Case-insensitive string equality. */
int cm_strieq(const char *a, const char *b);

/* Index of name in list[0..*n-1] (exact strcmp), appending a copy when absent (grows
 * *cap with cm_grow).  Linear search from the most recent name. */
int cm_intern(char ***list, int *n, int *cap, const char *name);

#endif
