/* test_report_inputs.c — the report's inputs matched to the maps by name
 * (report.h cm_report_attach_sources, cm_report_group_patterns); hand-made cases. */
#include "check.h"
#include "report/report.h"

#include <stdlib.h>

int main(void)
{
    cm_err_t err = {{0}};
    const char *names[] = { "K562", "HepG2", NULL };

    /* sources: an unnamed one goes to every table, a named one wins over it */
    cm_report_file_t sat[3] = { { "K562", "k.sat", NULL }, { "HepG2", "h.sat", NULL }, { NULL, "x.sat", NULL } };
    cm_report_file_t src[2] = { { "HepG2", "h.src", NULL }, { NULL, "all.src", NULL } };
    CHECK(cm_report_attach_sources(sat, 3, src, 2, names, 2, &err) == 0, "attach: ok");
    CHECK_STR(sat[0].sources, "all.src", "attach: unnamed sources to K562");
    CHECK_STR(sat[1].sources, "h.src", "attach: HepG2's own sources kept over the unnamed one");
    CHECK_STR(sat[2].sources, "all.src", "attach: unnamed sources to the unnamed table");
    cm_report_file_t bad_sat[1] = { { "GM12878", "g.sat", NULL } };
    CHECK(cm_report_attach_sources(bad_sat, 1, NULL, 0, names, 2, &err) == -1, "attach: unknown map refused");
    CHECK_STR(err.msg, "--saturation: no map named 'GM12878'", "attach: unknown map message");
    cm_report_file_t bad_src[1] = { { "GM12878", "g.src", NULL } };
    CHECK(cm_report_attach_sources(sat, 2, bad_src, 1, names, 2, &err) == -1, "attach: sources without table refused");
    CHECK_STR(err.msg, "--sources: no saturation table named 'GM12878'", "attach: sources message");

    /* patterns: grouped by name in order of first mention, patterns then Tomtom then JOS */
    cm_report_file_t tsv[1] = { { "HepG2", "h.pat", NULL } };
    cm_report_file_t tom[2] = { { "K562", "k.tom", NULL }, { "HepG2", "h.tom", NULL } };
    cm_report_file_t jos[1] = { { "K562", "k.jos", NULL } };
    cm_report_patterns_t *pat = NULL;
    int n = 0;
    CHECK(cm_report_group_patterns(tsv, 1, tom, 2, jos, 1, names, 2, &pat, &n, &err) == 0 && n == 2,
          "group: two maps");
    CHECK(n == 2 && !strcmp(pat[0].name, "HepG2") && !strcmp(pat[0].tsv, "h.pat")
          && !strcmp(pat[0].tomtom, "h.tom") && !pat[0].jos, "group: HepG2 = patterns + Tomtom");
    CHECK(n == 2 && !strcmp(pat[1].name, "K562") && !pat[1].tsv && !strcmp(pat[1].tomtom, "k.tom")
          && !strcmp(pat[1].jos, "k.jos"), "group: K562 = Tomtom + JOS, second (first mentioned later)");
    free(pat);
    cm_report_file_t two[2] = { { "K562", "a.tom", NULL }, { "K562", "b.tom", NULL } };
    CHECK(cm_report_group_patterns(NULL, 0, two, 2, NULL, 0, names, 2, &pat, &n, &err) == -1,
          "group: two Tomtom tables for one map refused");
    CHECK_STR(err.msg, "--patterns-tomtom: two tables for map 'K562'", "group: two tables message");
    free(pat);
    cm_report_file_t none[2] = { { NULL, "a.pat", NULL }, { NULL, "b.pat", NULL } };
    CHECK(cm_report_group_patterns(none, 2, NULL, 0, NULL, 0, names, 2, &pat, &n, &err) == -1,
          "group: two unnamed patterns tables refused");
    CHECK_STR(err.msg, "--patterns: two tables for no map name", "group: unnamed message");
    free(pat);
    cm_report_file_t unk[1] = { { "X", "x.jos", NULL } };
    CHECK(cm_report_group_patterns(NULL, 0, NULL, 0, unk, 1, names, 2, &pat, &n, &err) == -1,
          "group: unknown map refused");
    CHECK_STR(err.msg, "--patterns-jos: no map named 'X'", "group: unknown map message");
    free(pat);
    return check_status();
}
