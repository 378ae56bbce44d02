/* Unit tests for textio.c's line reader: line ends (LF, CRLF, none at the end), and the
 * lines no text input of coopmap holds: a NUL byte, a carriage return inside the line
 * (CR-only line ends), a line longer than r->max_line (CM_LINE_MAX for tables). */
#include "check.h"
#include "core/textio.h"

#include <stdlib.h>

/* Read every line of TEXT with max_line; returns the last cm_reader_next status, the
 * number of lines in *n and the last line read in last (up to 63 bytes). */
static int read_all(const char *text, size_t len, size_t max_line, int *n, char *last, cm_err_t *err)
{
    static char path[64];
    strcpy(path, "/tmp/cm_test_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len) { printf("Bail out! cannot write %s\n", path); exit(2); }
    close(fd);
    cm_reader_t *r = cm_reader_open(path, err);
    int rc = -1;
    *n = 0;
    if (r) {
        r->max_line = max_line;
        while ((rc = cm_reader_next(r, err)) == 1) {
            (*n)++;
            snprintf(last, 64, "%s", r->line);
        }
        cm_reader_close(r);
    }
    unlink(path);
    return rc;
}

int main(void)
{
    cm_err_t err = {{0}};
    char last[64] = "";
    int n;
    CHECK(read_all("a\tb\nc\n", 6, CM_LINE_MAX, &n, last, &err) == 0 && n == 2 && !strcmp(last, "c"), "LF lines");
    CHECK(read_all("a\r\nc\r\n", 6, CM_LINE_MAX, &n, last, &err) == 0 && n == 2 && !strcmp(last, "c"),
          "CRLF: the CR before the LF is removed");
    CHECK(read_all("a\nlast", 6, CM_LINE_MAX, &n, last, &err) == 0 && n == 2 && !strcmp(last, "last"),
          "a last line without its line end");
    CHECK(read_all("a\nb\rc\rd\n", 8, CM_LINE_MAX, &n, last, &err) == -1 && n == 1
          && strstr(err.msg, ":2: carriage return inside the line: old Mac (CR-only) line ends?"),
          "CR-only line ends: refused at the line");
    {   /* (htslib sniffs the start: a file that does not start as FASTA does is called
         * binary for a NUL in its first bytes and not opened, below) */
        char text[300] = ">s\n";
        memset(text + 3, 'A', 256);
        text[259] = '\n';
        memcpy(text + 260, "b\0c\n", 4);
        CHECK(read_all(text, 264, CM_LINE_MAX, &n, last, &err) == -1 && n == 2
              && strstr(err.msg, ":3: binary data (a NUL byte) in the line"), "a NUL byte: refused at the line");
        CHECK(read_all("\0\1\2\3binary", 10, CM_LINE_MAX, &n, last, &err) == -1
              && strstr(err.msg, ": cannot open: not a text file (an unknown binary format)"), "a binary file: not opened");
    }
    CHECK(read_all("abc\nabcdef\n", 11, 5, &n, last, &err) == -1 && n == 1
          && strstr(err.msg, ":2: line of 6 bytes, longer than the limit of 0 MiB"), "a line over max_line");
    CHECK(read_all("abc\nabcdef\n", 11, 0, &n, last, &err) == 0 && n == 2 && !strcmp(last, "abcdef"),
          "max_line 0: no limit (sequence files)");
    CHECK(CM_LINE_MAX == (size_t)64 << 20, "the table limit is 64 MiB (README Limits)");
    return check_status();
}
