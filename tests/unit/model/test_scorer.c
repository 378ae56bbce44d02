/* test_scorer.c — the external scorer as a library model (scorer.h), on a tiny bash
 * scorer whose answers are hand-checkable: heads GC and A, logits = number of G+C and
 * number of A in the window (N counts for neither).
 *
 * Checked: the header becomes the model's input length and head names; predict from
 * many OpenMP threads at once (the mutex serialises the batches; every thread's
 * answers must be its own sequences'); cm_scorer_finish succeeds and cm_model_free
 * reaps the child (afterwards this process has no child left: waitpid gives ECHILD);
 * a NaN answer is an error naming the scorer's output line, and the error is sticky
 * (the next predict fails with the same message); a scorer that ignores the end of
 * its input is killed after the timeout by cm_model_free; a scorer that exits before
 * its header is an error and is reaped. */
#include "check.h"
#include "core/dna.h"
#include "model/model.h"
#include "model/scorer.h"

#include <errno.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

/* A bash scorer (builtins only, so it answers each line at once): skips "batch N"
 * lines; $1 (optional): a 1-based sequence number whose first logit is "nan". */
static const char *scorer_sh =
    "echo 'coopmap-scorer 1 input_length=8 heads=GC,A'\n"
    "n=0\n"
    "while read -r s; do\n"
    "  case $s in batch*) continue;; esac\n"
    "  n=$((n + 1)); g=${s//[ATN]/}; a=${s//[CGTN]/}\n"
    "  if [ \"$n\" = \"${1:-0}\" ]; then printf 'nan\\t%d\\n' ${#a};\n"
    "  else printf '%d\\t%d\\n' ${#g} ${#a}; fi\n"
    "done\n";

/* No child process left (all reaped): waitpid(-1) fails with ECHILD. */
static int no_children(void)
{
    return waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
}

static void codes_of(const char *s, uint8_t *x)
{
    for (size_t i = 0; s[i]; i++) x[i] = cm_nt4((unsigned char)s[i]);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(void)
{
    const char *p = check_tmpfile(scorer_sh);
    char script[64], cmd[160];
    strcpy(script, p);
    cm_err_t err = {{0}};

    /* --- header, hand-checked answers --- */
    snprintf(cmd, sizeof cmd, "bash %s", script);
    cm_model_t *m = cm_scorer_open(cmd, 10, &err);
    CHECK(m != NULL, "scorer opens");
    if (!m) { printf("# %s\n", err.msg); unlink(script); return 1; }
    CHECK_STR(cm_model_kind(m), "scorer", "kind is scorer");
    CHECK(cm_model_input_length(m) == 8, "input_length from the header");
    CHECK(cm_model_n_heads(m) == 2, "two heads");
    CHECK_STR(cm_model_head_name(m, 1), "A", "head names from the header");
    uint8_t x[3 * 8];
    codes_of("GGGGCCCCAAAAAAAANNNNACGT", x);   /* GC 8, A 0 | GC 0, A 8 | GC 2, A 1 */
    float lg[6];
    int rc = cm_model_predict(m, x, 3, lg, &err);
    CHECK(rc == 0 && lg[0] == 8 && lg[1] == 0 && lg[2] == 0 && lg[3] == 8 && lg[4] == 2 && lg[5] == 1,
          "answers are the hand-counted G+C and A");

    /* --- many threads at once: each gets its own sequences' answers --- */
    enum { NT = 8, NB = 25 };
    int bad = 0;
    #pragma omp parallel for num_threads(NT) schedule(static, 1) reduction(+:bad)
    for (int b = 0; b < NT * NB; b++) {
        /* batch b: (b % 4) + 1 windows; window i has (b + i) % 9 leading G's, rest A */
        int n = b % 4 + 1;
        uint8_t y[4 * 8];
        float o[8];
        cm_err_t e = {{0}};
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 8; j++) y[i * 8 + j] = j < (b + i) % 9 ? 2 : 0;
        if (cm_model_predict(m, y, n, o, &e) != 0) { bad++; continue; }
        for (int i = 0; i < n; i++) {
            int g = (b + i) % 9;
            if (o[2 * i] != g || o[2 * i + 1] != 8 - g) bad++;
        }
    }
    CHECK(bad == 0, "8 threads predicting concurrently each get their own answers");
    CHECK(cm_scorer_finish(m, &err) == 0, "finish: scorer exits with status 0");
    cm_model_free(m);
    CHECK(no_children(), "the scorer is reaped (no child left)");

    /* --- a NaN answer: output line named, error sticky, child reaped --- */
    snprintf(cmd, sizeof cmd, "bash %s 2", script);
    m = cm_scorer_open(cmd, 10, &err);
    CHECK(m != NULL, "scorer with a NaN answer opens");
    if (m) {
        cm_err_t e1 = {{0}}, e2 = {{0}};
        int r1 = cm_model_predict(m, x, 3, lg, &e1);
        /* header = output line 1, answers 2..4: the second sequence's answer is line 3 */
        CHECK(r1 != 0 && strstr(e1.msg, "output line 3: field 1: 'nan' is not finite") != NULL,
              "NaN answer: error names output line 3 and field 1");
        printf("# %s\n", e1.msg);
        int r2 = cm_model_predict(m, x, 1, lg, &e2);
        CHECK(r2 != 0 && strcmp(e1.msg, e2.msg) == 0, "the error is sticky");
        CHECK(cm_scorer_finish(m, &e2) != 0, "finish reports the earlier error");
        cm_model_free(m);
        CHECK(no_children(), "the failed scorer is reaped");
    }

    /* --- a scorer that ignores the end of its input: killed after the timeout --- */
    m = cm_scorer_open("echo 'coopmap-scorer 1 input_length=8 heads=X'; exec sleep 60", 1, &err);
    CHECK(m != NULL, "a scorer that never answers opens (its header is there)");
    if (m) {
        double t0 = now_s();
        cm_model_free(m);
        double dt = now_s() - t0;
        CHECK(dt < 10, "cm_model_free kills a scorer that does not exit within the timeout");
        CHECK(no_children(), "the killed scorer is reaped");
    }

    /* --- exits before its header --- */
    m = cm_scorer_open("exit 5", 10, &err);
    CHECK(m == NULL && strstr(err.msg, "scorer 'exit 5': exited with status 5 before writing its header line"),
          "exit before the header: status named");
    CHECK(no_children(), "a scorer that failed to open is reaped");

    unlink(script);
    return check_status();
}
