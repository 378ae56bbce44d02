/* Unit tests for family.c: Jaccard index, k-NN votes, the 3-way ensemble vote and
 * accuracy / macro-F1.  Every expected number is derived by hand next to it. */
#include "check.h"
#include "compare/family.h"

#include <math.h>

static void test_jaccard(void)
{
    int a[] = {1, 2, 3}, b[] = {2, 3, 4, 5}, c[] = {7};
    CHECK(cm_jaccard(a, 3, b, 4) == 2.0 / 5, "|{2,3}| / |{1..5}| = 2/5");
    CHECK(cm_jaccard(a, 3, a, 3) == 1, "a set with itself: 1");
    CHECK(cm_jaccard(a, 3, c, 1) == 0, "disjoint sets: 0");
    CHECK(cm_jaccard(a, 0, c, 0) == 0, "two empty sets: 0 (convention)");
    CHECK(cm_jaccard(a, 0, c, 1) == 0, "empty vs non-empty: 0");
}

static void test_votes(void)
{
    int nb[] = {3, 5, 5, 3, 7};
    CHECK(cm_knn_vote(nb, 1) == 3, "k=1: the nearest neighbour's class");
    CHECK(cm_knn_vote(nb, 2) == 3, "k=2: 3 vs 5 tied, the nearer (3) wins");
    CHECK(cm_knn_vote(nb, 3) == 5, "k=3: 5 has two votes");
    CHECK(cm_knn_vote(nb, 4) == 3, "k=4: 2-2 tie, 3 is nearer");
    CHECK(cm_knn_vote(nb, 5) == 3, "k=5: 3 and 5 two each, 3 nearer; 7 one");
    int few[] = {2, -1, -1};
    CHECK(cm_knn_vote(few, 3) == 2, "fewer neighbours than k: vote among those");
    int none[] = {-1};
    CHECK(cm_knn_vote(none, 1) == -1, "no neighbour: no prediction");
    CHECK(cm_vote3(1, 2, 2) == 2, "ensemble: two of three");
    CHECK(cm_vote3(5, 1, 5) == 5, "ensemble: first and third agree");
    CHECK(cm_vote3(1, 2, 3) == 1, "ensemble: all differ, the first (ed)");
    CHECK(cm_vote3(-1, -1, 4) == 4, "ensemble: missing predictions never win");
    CHECK(cm_vote3(-1, 2, -1) == 2, "ensemble: the only prediction");
}

static void test_scores(void)
{
    /* truth 0 0 1 1 2, pred 0 1 1 1 −: correct 3/5.
     * class 0: TP 1, FP 0, FN 1 → F1 2/3; class 1: TP 2, FP 1, FN 0 → 4/5;
     * class 2: TP 0, FN 1 → 0.  macro-F1 = (2/3 + 4/5 + 0)/3 = 22/45. */
    int truth[] = {0, 0, 1, 1, 2}, pred[] = {0, 1, 1, 1, -1};
    double acc, f1;
    long conf[9];
    cm_class_scores(truth, pred, 5, 3, &acc, &f1, conf);
    CHECK_NEAR(acc, 0.6, 1e-15, 0, "accuracy 3/5");
    CHECK_NEAR(f1, 22.0 / 45, 1e-15, 0, "macro-F1 22/45");
    CHECK(conf[0] == 1 && conf[1] == 1 && conf[4] == 2 && conf[6] + conf[7] + conf[8] == 0,
          "confusion: rows true, columns predicted; no prediction is not counted");
    /* a class with no true member is left out of the macro mean: truth 0 0, pred 0 1 →
     * class 0: TP 1, FN 1 → 2/3; class 1 has no true member (its FP is counted in
     * class 0's FN only) → macro-F1 = 2/3 */
    int t2[] = {0, 0}, p2[] = {0, 1};
    cm_class_scores(t2, p2, 2, 2, &acc, &f1, NULL);
    CHECK_NEAR(f1, 2.0 / 3, 1e-15, 0, "classes without true members are not averaged");
}

static void test_jos(void)
{
    /* CTCF: p1 {A,B}, p2 {A,B}, p3 {A,C}: Jaccard 1, 1/3, 1/3 → 5/9.
     * FOX: {D}, {} → 0.  MAX: one pattern → NaN.  Unlabelled query zz ignored. */
    char *keys[] = {"p1", "p2", "p3", "p4", "p5", "p6"};
    char *labs[] = {"CTCF", "CTCF", "CTCF", "FOX", "FOX", "MAX"};
    cm_labels_t L = {6, keys, labs, NULL};
    cm_matches_t M = {0};
    cm_matches_add(&M, "p1", "A"), cm_matches_add(&M, "p1", "B");
    cm_matches_add(&M, "p2", "B"), cm_matches_add(&M, "p2", "A"), cm_matches_add(&M, "p2", "A");
    cm_matches_add(&M, "p3", "C"), cm_matches_add(&M, "p3", "A");
    cm_matches_add(&M, "p4", "D"), cm_matches_add(&M, "zz", "A"), cm_matches_add(&M, "p6", "A");
    cm_jos_t *J;
    int unl, n = cm_jos(&L, &M, &J, &unl);
    CHECK(n == 3 && unl == 1, "3 TFs, 1 unlabelled match row");
    CHECK_STR(J[0].tf, "CTCF", "TFs in table order");
    CHECK_NEAR(J[0].jos, 5.0 / 9, 1e-15, 0, "CTCF JOS = (1 + 1/3 + 1/3)/3 (duplicate match ignored)");
    CHECK(J[0].npairs == 3 && J[0].npat == 3 && J[0].nmatched == 3, "CTCF counts");
    CHECK(J[1].jos == 0 && J[1].nmatched == 1 && J[1].mean_matches == 0.5, "FOX: disjoint/empty → 0");
    CHECK(isnan(J[2].jos) && J[2].npairs == 0, "MAX: one pattern → NA");
    cm_jos_free(J, n);
    cm_matches_free(&M);
}

int main(void)
{
    test_jaccard();
    test_votes();
    test_scores();
    test_jos();
    return check_status();
}
